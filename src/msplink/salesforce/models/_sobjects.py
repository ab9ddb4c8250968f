"""Typed sObject records (DESIGN §4).

sObject models (:class:`Account`, :class:`Contact`, :class:`Lead`, :class:`Opportunity`,
:class:`Case`, :class:`Task`, :class:`Contract`, :class:`User`) have snake_case attributes for the
standard fields (``billing_city`` <-> ``BillingCity``), keep every custom field (``__c``) in
``custom`` and the untouched payload in ``raw``. ``model["CW_Company_Id__c"]`` and
``model["Account.Name"]`` read any field, custom or relationship, from the payload. Money is
``Decimal``, datetimes are aware (UTC), dates are ``date``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar, TypeVar

import attrs

from msplink._core._display import compact_repr, html_record
from msplink.salesforce.models._converter import (
    api_name,
    format_datetime,
    structure_sobject,
)

__all__ = [
    "Account",
    "Case",
    "Contact",
    "Contract",
    "Lead",
    "Opportunity",
    "Record",
    "SObject",
    "Task",
    "User",
    "to_api_value",
]

Record = dict[str, Any]
"""An untyped record (``client.sobject("X__c")`` and ``client.query(...)`` results)."""

_S = TypeVar("_S", bound="SObject")

_AUDIT_FIELDS = frozenset(
    {
        "Id",
        "IsDeleted",
        "CreatedDate",
        "CreatedById",
        "LastModifiedDate",
        "LastModifiedById",
        "SystemModstamp",
    }
)


def to_api_value(value: Any) -> Any:
    """Turn a Python value into its Salesforce JSON form (dates ISO, datetimes UTC, models dicts)."""
    if isinstance(value, SObject):
        return value.to_api()
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): to_api_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_api_value(v) for v in value]
    return value


def _lookup(data: Mapping[str, Any], path: str) -> Any:
    current: Any = data
    for part in path.split("."):
        if not isinstance(current, Mapping):
            return None
        found = None
        for key, value in current.items():
            if key.lower() == part.lower():
                found = (value,)
                break
        if found is None:
            raise KeyError(path)
        current = found[0]
    return current


@attrs.frozen(kw_only=True, slots=False)
class SObject:
    """Base of the typed sObject models.

    Attributes:
        id: The 18-character record id (``None`` before creation).
        custom: Custom fields (``__c``) by API name, kept as sent.
        raw: The untouched payload (excluded from equality and repr).
    """

    SOBJECT: ClassVar[str] = ""
    READ_ONLY: ClassVar[frozenset[str]] = frozenset()
    NOT_ON_OBJECT: ClassVar[frozenset[str]] = frozenset()

    id: str | None = None
    is_deleted: bool | None = None
    created_date: datetime | None = None
    created_by_id: str | None = None
    last_modified_date: datetime | None = None
    last_modified_by_id: str | None = None
    system_modstamp: datetime | None = None
    custom: Mapping[str, Any] = attrs.field(factory=dict)
    raw: Mapping[str, Any] = attrs.field(factory=dict, eq=False, repr=False)

    __repr__ = compact_repr

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # Every subclass gets the short repr: attrs sees a class that has its own ``__repr__`` and
        # generates none (the generated one would list every field, ~2,400 characters of ``None``).
        super().__init_subclass__(**kwargs)
        setattr(cls, "__repr__", compact_repr)  # noqa: B010

    def _repr_html_(self) -> str:
        """An HTML table of the fields that are set (Jupyter)."""
        return html_record(self)

    @classmethod
    def from_api(cls: type[_S], data: Mapping[str, Any]) -> _S:
        """Parse a record payload (query row, GET body, collections retrieve entry)."""
        return structure_sobject(data, cls)

    @classmethod
    def api_fields(cls) -> tuple[str, ...]:
        """The API names of the standard fields this model types (for default field lists)."""
        names = (api_name(a.name) for a in attrs.fields(cls) if a.name not in {"custom", "raw"})
        return tuple(n for n in names if n not in cls.NOT_ON_OBJECT)

    def to_api(self) -> dict[str, Any]:
        """The writable fields that are set (not ``None``), in Salesforce names, plus custom fields.

        ``None`` means "not given" here; to clear a field send a mapping with ``None`` instead.
        """
        out: dict[str, Any] = {}
        for attribute in attrs.fields(type(self)):
            if attribute.name in {"custom", "raw"}:
                continue
            name = api_name(attribute.name)
            if name in _AUDIT_FIELDS or name in self.READ_ONLY:
                continue
            value = getattr(self, attribute.name)
            if value is not None:
                out[name] = to_api_value(value)
        for key, value in self.custom.items():
            out[key] = to_api_value(value)
        return out

    def __getitem__(self, name: str) -> Any:
        """Any field by API name or relationship path (``CW_Company_Id__c``, ``Account.Name``)."""
        if name in self.custom:
            return self.custom[name]
        try:
            return _lookup(self.raw, name)
        except KeyError:
            for attribute in attrs.fields(type(self)):
                if api_name(attribute.name).lower() == name.lower():
                    return getattr(self, attribute.name)
            raise

    def get(self, name: str, default: Any = None) -> Any:
        """Like ``self[name]`` but ``default`` when the payload has no such field."""
        try:
            return self[name]
        except KeyError:
            return default


@attrs.frozen(kw_only=True, slots=False)
class Account(SObject):
    """An Account (key prefix ``001``)."""

    SOBJECT: ClassVar[str] = "Account"
    READ_ONLY: ClassVar[frozenset[str]] = frozenset({"MasterRecordId"})

    name: str | None = None
    type: str | None = None
    industry: str | None = None
    parent_id: str | None = None
    account_number: str | None = None
    billing_street: str | None = None
    billing_city: str | None = None
    billing_state: str | None = None
    billing_postal_code: str | None = None
    billing_country: str | None = None
    shipping_street: str | None = None
    shipping_city: str | None = None
    shipping_state: str | None = None
    shipping_postal_code: str | None = None
    shipping_country: str | None = None
    phone: str | None = None
    fax: str | None = None
    website: str | None = None
    annual_revenue: Decimal | None = None
    number_of_employees: int | None = None
    description: str | None = None
    rating: str | None = None
    account_source: str | None = None
    owner_id: str | None = None


@attrs.frozen(kw_only=True, slots=False)
class Contact(SObject):
    """A Contact (key prefix ``003``)."""

    SOBJECT: ClassVar[str] = "Contact"
    READ_ONLY: ClassVar[frozenset[str]] = frozenset({"Name"})

    account_id: str | None = None
    salutation: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    mobile_phone: str | None = None
    title: str | None = None
    department: str | None = None
    mailing_street: str | None = None
    mailing_city: str | None = None
    mailing_state: str | None = None
    mailing_postal_code: str | None = None
    mailing_country: str | None = None
    lead_source: str | None = None
    has_opted_out_of_email: bool | None = None
    do_not_call: bool | None = None
    birthdate: date | None = None
    reports_to_id: str | None = None
    description: str | None = None
    owner_id: str | None = None


@attrs.frozen(kw_only=True, slots=False)
class Lead(SObject):
    """A Lead (key prefix ``00Q``); converted leads are read-only."""

    SOBJECT: ClassVar[str] = "Lead"
    READ_ONLY: ClassVar[frozenset[str]] = frozenset(
        {
            "Name",
            "IsConverted",
            "ConvertedDate",
            "ConvertedAccountId",
            "ConvertedContactId",
            "ConvertedOpportunityId",
        }
    )

    salutation: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    name: str | None = None
    company: str | None = None
    title: str | None = None
    status: str | None = None
    email: str | None = None
    phone: str | None = None
    mobile_phone: str | None = None
    website: str | None = None
    industry: str | None = None
    rating: str | None = None
    lead_source: str | None = None
    number_of_employees: int | None = None
    annual_revenue: Decimal | None = None
    street: str | None = None
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None
    country: str | None = None
    description: str | None = None
    is_converted: bool | None = None
    converted_date: date | None = None
    converted_account_id: str | None = None
    converted_contact_id: str | None = None
    converted_opportunity_id: str | None = None
    owner_id: str | None = None


@attrs.frozen(kw_only=True, slots=False)
class Opportunity(SObject):
    """An Opportunity (key prefix ``006``); ``is_won``/``is_closed`` derive from the stage."""

    SOBJECT: ClassVar[str] = "Opportunity"
    READ_ONLY: ClassVar[frozenset[str]] = frozenset({"IsClosed", "IsWon", "ExpectedRevenue"})

    name: str | None = None
    account_id: str | None = None
    stage_name: str | None = None
    close_date: date | None = None
    amount: Decimal | None = None
    probability: Decimal | None = None
    type: str | None = None
    lead_source: str | None = None
    next_step: str | None = None
    description: str | None = None
    forecast_category_name: str | None = None
    is_closed: bool | None = None
    is_won: bool | None = None
    owner_id: str | None = None


@attrs.frozen(kw_only=True, slots=False)
class Case(SObject):
    """A Case (key prefix ``500``)."""

    SOBJECT: ClassVar[str] = "Case"
    READ_ONLY: ClassVar[frozenset[str]] = frozenset({"CaseNumber", "IsClosed", "ClosedDate"})

    case_number: str | None = None
    subject: str | None = None
    description: str | None = None
    status: str | None = None
    priority: str | None = None
    origin: str | None = None
    reason: str | None = None
    type: str | None = None
    account_id: str | None = None
    contact_id: str | None = None
    parent_id: str | None = None
    is_closed: bool | None = None
    closed_date: datetime | None = None
    is_escalated: bool | None = None
    owner_id: str | None = None


@attrs.frozen(kw_only=True, slots=False)
class Task(SObject):
    """A Task (key prefix ``00T``); ``who_id``/``what_id`` are polymorphic."""

    SOBJECT: ClassVar[str] = "Task"
    READ_ONLY: ClassVar[frozenset[str]] = frozenset({"AccountId", "IsClosed", "IsHighPriority"})

    subject: str | None = None
    status: str | None = None
    priority: str | None = None
    activity_date: date | None = None
    who_id: str | None = None
    what_id: str | None = None
    account_id: str | None = None
    description: str | None = None
    is_closed: bool | None = None
    is_high_priority: bool | None = None
    task_subtype: str | None = None
    owner_id: str | None = None


@attrs.frozen(kw_only=True, slots=False)
class Contract(SObject):
    """A Contract (key prefix ``800``); create as Draft, then activate."""

    SOBJECT: ClassVar[str] = "Contract"
    READ_ONLY: ClassVar[frozenset[str]] = frozenset(
        {"EndDate", "ContractNumber", "StatusCode", "ActivatedDate"}
    )

    account_id: str | None = None
    status: str | None = None
    status_code: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    contract_term: int | None = None
    contract_number: str | None = None
    billing_street: str | None = None
    billing_city: str | None = None
    billing_state: str | None = None
    billing_postal_code: str | None = None
    billing_country: str | None = None
    special_terms: str | None = None
    description: str | None = None
    activated_date: datetime | None = None
    owner_id: str | None = None


@attrs.frozen(kw_only=True, slots=False)
class User(SObject):
    """A User (key prefix ``005``)."""

    SOBJECT: ClassVar[str] = "User"
    READ_ONLY: ClassVar[frozenset[str]] = frozenset({"Name", "UserType"})
    NOT_ON_OBJECT: ClassVar[frozenset[str]] = frozenset({"IsDeleted"})

    username: str | None = None
    name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    alias: str | None = None
    title: str | None = None
    is_active: bool | None = None
    profile_id: str | None = None
    user_type: str | None = None
    time_zone_sid_key: str | None = None
