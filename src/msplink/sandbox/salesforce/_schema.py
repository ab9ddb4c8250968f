"""Object metadata of the Salesforce sandbox: standard fields, custom fields, external ids, describes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

__all__ = ["NAME_OBJECT", "FieldSpec", "ObjectSpec", "name_object", "standard_objects"]

NAME_OBJECT = "Name"
"""The object a polymorphic relationship (``Owner`` of a Lead, ``Who``/``What`` of a Task) answers as:
its records carry ``"attributes": {"type": "Name"}`` (REFERENCE.md §5, ``samples/query-leads-owner-relationship.json``)."""

_UNGROUPABLE = frozenset({"datetime", "currency", "double", "percent"})


@attrs.frozen(kw_only=True)
class FieldSpec:
    """One field of an object: its type and what the org enforces."""

    name: str
    type: str = "string"
    label: str | None = None
    length: int = 255
    required: bool = False
    readonly: bool = False
    defaulted: bool = False
    default: Any = None
    picklist: tuple[str, ...] = ()
    restricted: bool = False
    external_id: bool = False
    unique: bool = False
    id_lookup: bool = False
    reference_to: tuple[str, ...] = ()
    relationship_name: str | None = None
    child_relationship: str | None = None
    custom: bool = False

    @property
    def long_text(self) -> bool:
        """A long text area (more than 255 characters): not filterable, sortable or groupable."""
        return self.type == "textarea" and self.length > 255

    @property
    def filterable(self) -> bool:
        """Whether WHERE may name the field (describe ``filterable``; long text areas may not)."""
        return not self.long_text

    @property
    def groupable(self) -> bool:
        """Whether GROUP BY may name the field (describe ``groupable``: not datetimes, money, doubles,
        percents or long text; ``describe/Account.describe.v58.json``)."""
        return not self.long_text and self.type not in _UNGROUPABLE

    @property
    def aggregatable(self) -> bool:
        """Whether MIN/MAX/COUNT may take the field (describe ``aggregatable``: not booleans or long text)."""
        return not self.long_text and self.type != "boolean"

    def describe(self) -> dict[str, Any]:
        """This field's describe entry."""
        numeric = self.type in {"int", "double", "currency", "percent"}
        return {
            "name": self.name,
            "label": self.label or self.name.replace("__c", "").replace("_", " "),
            "type": self.type,
            "length": 0 if numeric or self.type in {"boolean", "date", "datetime"} else self.length,
            "nillable": not self.required and self.type != "boolean" and self.name != "Id",
            "createable": not self.readonly,
            "updateable": not self.readonly,
            "defaultedOnCreate": self.defaulted or self.type == "boolean",
            "defaultValue": self.default if self.type == "boolean" else None,
            "externalId": self.external_id,
            "idLookup": self.id_lookup or self.external_id or self.name == "Id",
            "unique": self.unique,
            "custom": self.custom,
            "calculated": False,
            "restrictedPicklist": self.restricted,
            "picklistValues": [
                {"active": True, "defaultValue": v == self.default, "label": v, "validFor": None, "value": v}
                for v in self.picklist
            ],
            "referenceTo": list(self.reference_to),
            "relationshipName": self.relationship_name,
            "polymorphicForeignKey": len(self.reference_to) > 1,
            "soapType": "xsd:string",
            "filterable": self.filterable,
            "sortable": self.filterable,
            "groupable": self.groupable,
            "aggregatable": self.aggregatable,
        }


@attrs.define
class ObjectSpec:
    """An object: its key prefix and fields by lower-cased name."""

    name: str
    key_prefix: str
    fields: dict[str, FieldSpec] = attrs.field(factory=dict)
    custom: bool = False

    def add(self, spec: FieldSpec) -> None:
        """Add (or replace) a field."""
        self.fields[spec.name.lower()] = spec

    def field(self, name: str) -> FieldSpec | None:
        """A field by name (case-insensitive)."""
        return self.fields.get(name.lower())

    def relationship(self, name: str) -> FieldSpec | None:
        """The reference field behind a relationship name (``Account`` -> ``AccountId``)."""
        lowered = name.lower()
        for spec in self.fields.values():
            if spec.relationship_name and spec.relationship_name.lower() == lowered:
                return spec
        return None

    def describe(self, children: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        """The object describe body."""
        return {
            "name": self.name,
            "label": self.name.replace("__c", ""),
            "labelPlural": self.name.replace("__c", "") + "s",
            "keyPrefix": self.key_prefix,
            "custom": self.custom,
            "createable": True,
            "updateable": True,
            "deletable": True,
            "queryable": True,
            "retrieveable": True,
            "replicateable": True,
            "searchable": True,
            "fields": [f.describe() for f in self.fields.values()],
            "childRelationships": children or [],
            "recordTypeInfos": [],
            "urls": {
                "sobject": f"/services/data/v62.0/sobjects/{self.name}",
                "describe": f"/services/data/v62.0/sobjects/{self.name}/describe",
            },
        }

    def summary(self, version: str) -> dict[str, Any]:
        """This object's entry in the global describe."""
        return {
            "name": self.name,
            "label": self.name,
            "keyPrefix": self.key_prefix,
            "custom": self.custom,
            "queryable": True,
            "createable": True,
            "updateable": True,
            "deletable": True,
            "replicateable": True,
            "retrieveable": True,
            "searchable": True,
            "triggerable": True,
            "urls": {
                "sobject": f"/services/data/v{version}/sobjects/{self.name}",
                "describe": f"/services/data/v{version}/sobjects/{self.name}/describe",
                "rowTemplate": f"/services/data/v{version}/sobjects/{self.name}/{{ID}}",
            },
        }


def _s(name: str, **kw: Any) -> FieldSpec:
    return FieldSpec(name=name, **kw)


def _ref(name: str, to: str | tuple[str, ...], rel: str, **kw: Any) -> FieldSpec:
    targets = (to,) if isinstance(to, str) else to
    return FieldSpec(
        name=name, type="reference", length=18, reference_to=targets, relationship_name=rel, **kw
    )


def _pick(name: str, values: Iterable[str], **kw: Any) -> FieldSpec:
    return FieldSpec(name=name, type="picklist", picklist=tuple(values), **kw)


def _system(owner: bool = True, queues: bool = False) -> list[FieldSpec]:
    """System fields; ``owner=False`` is the User shape (no ``OwnerId``, no ``IsDeleted``); ``queues=True``
    lets a queue own the record (``OwnerId`` references Group and User, as on Lead, Case and Task)."""
    fields = [
        _s("Id", type="id", length=18, readonly=True, defaulted=True),
        *([_s("IsDeleted", type="boolean", readonly=True, default=False)] if owner else []),
        _s("CreatedDate", type="datetime", readonly=True, defaulted=True),
        _ref("CreatedById", "User", "CreatedBy", readonly=True, defaulted=True),
        _s("LastModifiedDate", type="datetime", readonly=True, defaulted=True),
        _ref("LastModifiedById", "User", "LastModifiedBy", readonly=True, defaulted=True),
        _s("SystemModstamp", type="datetime", readonly=True, defaulted=True),
    ]
    if owner:
        fields.append(_ref("OwnerId", ("Group", "User") if queues else "User", "Owner", defaulted=True))
    return fields


def _address(prefix: str) -> list[FieldSpec]:
    return [
        _s(f"{prefix}Street", type="textarea"),
        _s(f"{prefix}City", length=40),
        _s(f"{prefix}State", length=80),
        _s(f"{prefix}PostalCode", length=20),
        _s(f"{prefix}Country", length=80),
    ]


_INDUSTRIES = (
    "Agriculture",
    "Banking",
    "Construction",
    "Education",
    "Finance",
    "Healthcare",
    "Manufacturing",
    "Retail",
    "Technology",
    "Other",
)
_LEAD_SOURCES = ("Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other")
STAGES: dict[str, tuple[int, bool, bool, str]] = {
    # stage: probability, is_closed, is_won, forecast category
    "Prospecting": (10, False, False, "Pipeline"),
    "Qualification": (10, False, False, "Pipeline"),
    "Needs Analysis": (20, False, False, "Pipeline"),
    "Value Proposition": (50, False, False, "Pipeline"),
    "Id. Decision Makers": (60, False, False, "Pipeline"),
    "Perception Analysis": (70, False, False, "Pipeline"),
    "Proposal/Price Quote": (75, False, False, "Pipeline"),
    "Negotiation/Review": (90, False, False, "Pipeline"),
    "Closed Won": (100, True, True, "Closed"),
    "Closed Lost": (0, True, False, "Omitted"),
}


def standard_objects() -> dict[str, ObjectSpec]:
    """Fresh metadata for the standard objects plus msplink's suggested external-id fields."""
    specs: dict[str, list[FieldSpec]] = {
        "Account": [
            *_system(),
            _s("Name", required=True, id_lookup=True),
            _pick(
                "Type",
                (
                    "Prospect",
                    "Customer - Direct",
                    "Customer - Channel",
                    "Channel Partner / Reseller",
                    "Installation Partner",
                    "Technology Partner",
                    "Other",
                ),
            ),
            _pick("Industry", _INDUSTRIES),
            _ref("ParentId", "Account", "Parent", child_relationship="ChildAccounts"),
            _ref("MasterRecordId", "Account", "MasterRecord", readonly=True),
            _s("AccountNumber", length=40),
            *_address("Billing"),
            *_address("Shipping"),
            _s("Phone", type="phone", length=40),
            _s("Fax", type="phone", length=40),
            _s("Website", type="url"),
            _s("AnnualRevenue", type="currency"),
            _s("NumberOfEmployees", type="int"),
            _s("Description", type="textarea", length=32000),
            _pick("Rating", ("Hot", "Warm", "Cold")),
            _pick("AccountSource", _LEAD_SOURCES),
            _s("CW_Company_Id__c", length=50, external_id=True, unique=True, custom=True),
            _s("QBO_Customer_Id__c", length=50, external_id=True, unique=True, custom=True),
        ],
        "Contact": [
            *_system(),
            _ref("AccountId", "Account", "Account", child_relationship="Contacts"),
            _pick("Salutation", ("Mr.", "Ms.", "Mrs.", "Dr.", "Prof.")),
            _s("FirstName", length=40),
            _s("LastName", length=80, required=True),
            _s("Name", length=121, readonly=True),
            _s("Email", type="email", length=80, id_lookup=True),
            _s("Phone", type="phone", length=40),
            _s("MobilePhone", type="phone", length=40),
            _s("Title", length=128),
            _s("Department", length=80),
            *_address("Mailing"),
            _pick("LeadSource", _LEAD_SOURCES),
            _s("HasOptedOutOfEmail", type="boolean", default=False),
            _s("DoNotCall", type="boolean", default=False),
            _s("Birthdate", type="date"),
            _ref("ReportsToId", "Contact", "ReportsTo"),
            _s("Description", type="textarea", length=32000),
            _s("CW_Contact_Id__c", length=50, external_id=True, unique=True, custom=True),
        ],
        "Lead": [
            *_system(queues=True),
            _pick("Salutation", ("Mr.", "Ms.", "Mrs.", "Dr.", "Prof.")),
            _s("FirstName", length=40),
            _s("LastName", length=80, required=True),
            _s("Name", length=121, readonly=True),
            _s("Company", required=True),
            _s("Title", length=128),
            _pick(
                "Status",
                (
                    "Open - Not Contacted",
                    "Working - Contacted",
                    "Closed - Converted",
                    "Closed - Not Converted",
                ),
                defaulted=True,
                default="Open - Not Contacted",
            ),
            _s("Email", type="email", length=80),
            _s("Phone", type="phone", length=40),
            _s("MobilePhone", type="phone", length=40),
            _s("Website", type="url"),
            _pick("Industry", _INDUSTRIES),
            _pick("Rating", ("Hot", "Warm", "Cold")),
            _pick("LeadSource", _LEAD_SOURCES),
            _s("NumberOfEmployees", type="int"),
            _s("AnnualRevenue", type="currency"),
            _s("Street", type="textarea"),
            _s("City", length=40),
            _s("State", length=80),
            _s("PostalCode", length=20),
            _s("Country", length=80),
            _s("Description", type="textarea", length=32000),
            _s("IsConverted", type="boolean", readonly=True, default=False),
            _s("ConvertedDate", type="date", readonly=True),
            _ref("ConvertedAccountId", "Account", "ConvertedAccount", readonly=True),
            _ref("ConvertedContactId", "Contact", "ConvertedContact", readonly=True),
            _ref("ConvertedOpportunityId", "Opportunity", "ConvertedOpportunity", readonly=True),
            # the ConnectWise contact and company a lead became (leads_to_connectwise writes them back);
            # not unique: several leads can be one person, many people one company
            _s("CW_Contact_Id__c", length=50, external_id=True, custom=True),
            _s("CW_Company_Id__c", length=50, external_id=True, custom=True),
        ],
        "Opportunity": [
            *_system(),
            _s("Name", length=120, required=True),
            _ref("AccountId", "Account", "Account", child_relationship="Opportunities"),
            _pick("StageName", tuple(STAGES), required=True, restricted=True),
            _s("CloseDate", type="date", required=True),
            _s("Amount", type="currency"),
            _s("Probability", type="percent", defaulted=True),
            _pick(
                "Type",
                (
                    "New Customer",
                    "Existing Customer - Upgrade",
                    "Existing Customer - Replacement",
                    "Existing Customer - Downgrade",
                    "Renewal",
                ),
            ),
            _pick("LeadSource", _LEAD_SOURCES),
            _s("NextStep"),
            _s("Description", type="textarea", length=32000),
            _pick(
                "ForecastCategoryName",
                ("Omitted", "Pipeline", "Best Case", "Commit", "Closed"),
                defaulted=True,
                restricted=True,
            ),
            _s("IsClosed", type="boolean", readonly=True, default=False),
            _s("IsWon", type="boolean", readonly=True, default=False),
            _s("CW_Opportunity_Id__c", length=50, external_id=True, unique=True, custom=True),
            _s("CW_Company_Id__c", length=50, custom=True),
            _s("CW_Ticket_Id__c", length=50, custom=True),
            _s("CW_Project_Id__c", length=50, custom=True),
            _s("CW_Agreement_Id__c", length=50, custom=True),
            _s("CW_Renewal_Term__c", length=80, external_id=True, unique=True, custom=True),
        ],
        "Case": [
            *_system(queues=True),
            _s("CaseNumber", length=30, readonly=True, defaulted=True),
            _s("Subject"),
            _s("Description", type="textarea", length=32000),
            _pick("Status", ("New", "Working", "Escalated", "Closed"), defaulted=True, default="New"),
            _pick("Priority", ("High", "Medium", "Low"), defaulted=True, default="Medium"),
            _pick("Origin", ("Phone", "Email", "Web")),
            _pick("Reason", ("Installation", "Equipment Complexity", "Performance", "Breakdown", "Other")),
            _pick("Type", ("Mechanical", "Electrical", "Electronic", "Structural", "Other")),
            _ref("AccountId", "Account", "Account", child_relationship="Cases"),
            _ref("ContactId", "Contact", "Contact", child_relationship="Cases"),
            _ref("ParentId", "Case", "Parent"),
            _s("IsClosed", type="boolean", readonly=True, default=False),
            _s("ClosedDate", type="datetime", readonly=True),
            _s("IsEscalated", type="boolean", default=False),
            _s("CW_Ticket_Id__c", length=50, external_id=True, unique=True, custom=True),
        ],
        "Task": [
            *_system(queues=True),
            _s("Subject", type="combobox"),
            _pick(
                "Status",
                ("Not Started", "In Progress", "Completed", "Waiting on someone else", "Deferred"),
                defaulted=True,
                default="Not Started",
            ),
            _pick("Priority", ("High", "Normal", "Low"), defaulted=True, default="Normal"),
            _s("ActivityDate", type="date"),
            _ref("WhoId", ("Contact", "Lead"), "Who", child_relationship="Tasks"),
            _ref(
                "WhatId", ("Account", "Opportunity", "Case", "Contract"), "What", child_relationship="Tasks"
            ),
            _ref("AccountId", "Account", "Account", readonly=True),
            _s("Description", type="textarea", length=32000),
            _s("IsClosed", type="boolean", readonly=True, default=False),
            _s("IsHighPriority", type="boolean", readonly=True, default=False),
            _pick(
                "TaskSubtype",
                ("Task", "Email", "ListEmail", "Cadence", "Call", "LinkedIn"),
                restricted=True,
                defaulted=True,
                default="Task",
            ),
        ],
        "Contract": [
            *_system(),
            _ref("AccountId", "Account", "Account", required=True, child_relationship="Contracts"),
            _pick(
                "Status",
                ("Draft", "In Approval Process", "Activated"),
                restricted=True,
                defaulted=True,
                default="Draft",
            ),
            _s("StatusCode", readonly=True, defaulted=True),
            _s("StartDate", type="date"),
            _s("EndDate", type="date", readonly=True),
            _s("ContractTerm", type="int"),
            _s("ContractNumber", length=30, readonly=True, defaulted=True),
            *_address("Billing"),
            _s("SpecialTerms", type="textarea", length=4000),
            _s("Description", type="textarea", length=32000),
            _s("ActivatedDate", type="datetime", readonly=True),
            _s("CW_Agreement_Id__c", length=50, external_id=True, unique=True, custom=True),
        ],
        "User": [
            *_system(owner=False),
            _s("Username", length=80, required=True, unique=True, id_lookup=True),
            _s("FirstName", length=40),
            _s("LastName", length=80, required=True),
            _s("Name", length=121, readonly=True),
            _s("Email", type="email", length=128, required=True),
            _s("Alias", length=8, required=True),
            _s("Title", length=80),
            _s("IsActive", type="boolean", default=True),
            _s("ProfileId", length=18),
            _s("UserType", readonly=True, defaulted=True),
            _s("TimeZoneSidKey", defaulted=True, default="America/New_York"),
        ],
        "Group": [
            *_system(owner=False),
            _ref("OwnerId", "User", "Owner", readonly=True, defaulted=True),
            _s("Name", length=40, required=True),
            _s("DeveloperName", length=80, defaulted=True),
            _pick(
                "Type",
                ("Regular", "Role", "RoleAndSubordinates", "Organization", "Queue"),
                restricted=True,
                required=True,
            ),
            _s("Email", type="email", length=255),
            _s("DoesSendEmailToMembers", type="boolean", default=False),
        ],
    }
    prefixes = {
        "Account": "001",
        "Contact": "003",
        "Lead": "00Q",
        "Opportunity": "006",
        "Case": "500",
        "Task": "00T",
        "Contract": "800",
        "User": "005",
        "Group": "00G",
    }
    out: dict[str, ObjectSpec] = {}
    for name, fields in specs.items():
        spec = ObjectSpec(name=name, key_prefix=prefixes[name])
        for f in fields:
            spec.add(f)
        out[name.lower()] = spec
    return out


INVOICE_OBJECT = "Invoice__c"
"""The MSP's invoice custom object (use case 14: CW invoices visible in Salesforce)."""


def invoice_fields() -> list[FieldSpec]:
    """The fields of the invoice custom object (``Name`` and the system fields come with every custom
    object): what ``msplink.mappers.salesforce.invoice_record_from_canonical`` writes."""
    return [
        _ref("Account__c", "Account", "Account__r", child_relationship="Invoices__r", custom=True),
        _s("Amount__c", type="currency", custom=True),
        _s("Balance__c", type="currency", custom=True),
        _s("Invoice_Date__c", type="date", custom=True),
        _s("Due_Date__c", type="date", custom=True),
        _s("Status__c", length=40, custom=True),
        _s("CW_Invoice_Id__c", length=50, external_id=True, unique=True, custom=True),
    ]


def name_object() -> ObjectSpec:
    """The ``Name`` object behind polymorphic relationships: the fields any target can answer
    (``Owner.Name``, ``Owner.Type``, ``Who.Email`` ...)."""
    spec = ObjectSpec(name=NAME_OBJECT, key_prefix="000")
    for f in (
        _s("Id", type="id", length=18, readonly=True),
        _s("Name", readonly=True),
        _s("Type", length=40, readonly=True),
        _s("Alias", length=8, readonly=True),
        _s("Email", type="email", readonly=True),
        _s("FirstName", length=40, readonly=True),
        _s("LastName", length=80, readonly=True),
        _s("Title", length=128, readonly=True),
        _s("Phone", type="phone", length=40, readonly=True),
        _s("Username", length=80, readonly=True),
        _s("IsActive", type="boolean", readonly=True),
    ):
        spec.add(f)
    return spec
