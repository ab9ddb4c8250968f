"""ConnectWise Manage wire models (REST API 3.0, model version 2025.16).

Frozen attrs classes with snake_case attributes; the wire names (camelCase) live in field metadata and
the converter does the renaming. Parsing is lenient: every field is optional (the API omits nulls),
unknown fields are tolerated, and the untouched payload is kept in ``model.raw`` (excluded from
``==`` and ``repr``). Money and quantities are ``Decimal``; datetimes are timezone-aware.

``<Model>Update`` classes are partial updates: ``UNSET`` leaves a field alone, ``None`` clears it.
They become ConnectWise's JSON Patch operation lists (references and custom fields replaced whole).

The entity field lists are generated from the 2025.16 objects schema.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar, TypeVar

import attrs

from msplink._core import UNSET, Maybe
from msplink.connectwise._converter import structure, unstructure_value

__all__ = [
    "Agreement",
    "AgreementAddition",
    "AgreementAdditionUpdate",
    "AgreementReference",
    "AgreementUpdate",
    "BillingTerm",
    "BillingTermUpdate",
    "Board",
    "BoardStatus",
    "BoardStatusUpdate",
    "BoardUpdate",
    "Callback",
    "CallbackUpdate",
    "CatalogItem",
    "CatalogItemUpdate",
    "CommunicationItem",
    "CommunicationItemUpdate",
    "Company",
    "CompanyInfo",
    "CompanySite",
    "CompanySiteUpdate",
    "CompanyUpdate",
    "Contact",
    "ContactUpdate",
    "CurrencyReference",
    "CustomFieldValue",
    "Invoice",
    "InvoicePayment",
    "InvoicePaymentUpdate",
    "InvoiceReference",
    "InvoiceUpdate",
    "Member",
    "MemberUpdate",
    "Opportunity",
    "OpportunityUpdate",
    "Priority",
    "PriorityReference",
    "PriorityUpdate",
    "ProductItem",
    "ProductItemUpdate",
    "Project",
    "ProjectUpdate",
    "PurchaseOrder",
    "PurchaseOrderLineItem",
    "PurchaseOrderLineItemUpdate",
    "PurchaseOrderUpdate",
    "Reference",
    "TaxCode",
    "TaxCodeUpdate",
    "Ticket",
    "TicketReference",
    "TicketUpdate",
    "TimeEntry",
    "TimeEntryUpdate",
]

M = TypeVar("M", bound="_Model")


@attrs.frozen(kw_only=True)
class _Model:
    """Base of every wire model: ``from_api`` / ``to_api`` and the untouched payload in ``raw``."""

    __cw_model__: ClassVar[bool] = True

    raw: Mapping[str, Any] = attrs.field(factory=dict, eq=False, repr=False, metadata={"raw": True})

    @classmethod
    def from_api(cls: type[M], data: Mapping[str, Any]) -> M:
        """Parse a wire payload (a decoded JSON object) into this model.

        Raises:
            ValueError: A field has a value of the wrong type (cattrs errors are ``ValueError`` too).
            TypeError: ``data`` is not a JSON object.
        """
        return structure(data, cls)

    def to_api(self) -> dict[str, Any]:
        """The wire form of the fields that are set (``None`` omitted, read-only ``_info`` left out)."""
        result: dict[str, Any] = unstructure_value(self)
        return result


@attrs.frozen(kw_only=True)
class _Entity(_Model):
    """An entity with an ``_info`` block; its ``lastUpdated`` / ``updatedBy`` are lifted."""

    info: Mapping[str, Any] | None = attrs.field(default=None, eq=False, metadata={"wire": "_info"})
    last_updated: datetime | None = attrs.field(default=None, metadata={"info": "lastUpdated"})
    updated_by: str | None = attrs.field(default=None, metadata={"info": "updatedBy"})


@attrs.frozen(kw_only=True)
class _Update:
    """Base of partial updates: fields default to ``UNSET``."""

    __cw_model__: ClassVar[bool] = True

    def to_patch(self) -> list[dict[str, Any]]:
        """The ConnectWise JSON Patch operations for the fields that are set.

        ``None`` becomes ``replace`` with ``null`` (clear); references and custom fields are sent
        whole (CW never patches ``company/identifier`` or a single custom field).
        """
        ops: list[dict[str, Any]] = []
        for field in attrs.fields(type(self)):
            value = getattr(self, field.name)
            if value is UNSET:
                continue
            ops.append({"op": "replace", "path": field.metadata["wire"], "value": unstructure_value(value)})
        return ops

    def is_empty(self) -> bool:
        """Tell whether no field is set."""
        return all(getattr(self, f.name) is UNSET for f in attrs.fields(type(self)))


@attrs.frozen(kw_only=True)
class Reference(_Model):
    """A reference to another record (``{"id", "identifier", "name", "_info"}``); unknown keys in ``raw``."""

    __cw_open__: ClassVar[bool] = True  # references carry tenant-specific extras (isClosed, sort ...)

    id: int | None = attrs.field(default=None, metadata={"wire": "id"})
    identifier: str | None = attrs.field(default=None, metadata={"wire": "identifier"})
    name: str | None = attrs.field(default=None, metadata={"wire": "name"})
    info: Mapping[str, Any] | None = attrs.field(default=None, eq=False, metadata={"wire": "_info"})


@attrs.frozen(kw_only=True)
class PriorityReference(Reference):
    """A ticket priority reference (adds ``sort`` and ``level``)."""

    sort: int | None = attrs.field(default=None, metadata={"wire": "sort"})
    level: str | None = attrs.field(default=None, metadata={"wire": "level"})


@attrs.frozen(kw_only=True)
class AgreementReference(Reference):
    """An agreement reference (adds the agreement ``type`` name)."""

    type: str | None = attrs.field(default=None, metadata={"wire": "type"})


@attrs.frozen(kw_only=True)
class TicketReference(Reference):
    """A ticket reference (adds ``summary``)."""

    summary: str | None = attrs.field(default=None, metadata={"wire": "summary"})


@attrs.frozen(kw_only=True)
class InvoiceReference(Reference):
    """An invoice reference (adds ``billingType`` and ``applyToType``)."""

    billing_type: str | None = attrs.field(default=None, metadata={"wire": "billingType"})
    apply_to_type: str | None = attrs.field(default=None, metadata={"wire": "applyToType"})


@attrs.frozen(kw_only=True)
class CurrencyReference(Reference):
    """A currency reference (symbol, ISO code and display settings)."""

    symbol: str | None = attrs.field(default=None, metadata={"wire": "symbol"})
    currency_code: str | None = attrs.field(default=None, metadata={"wire": "currencyCode"})
    currency_identifier: str | None = attrs.field(default=None, metadata={"wire": "currencyIdentifier"})
    decimal_separator: str | None = attrs.field(default=None, metadata={"wire": "decimalSeparator"})
    thousands_separator: str | None = attrs.field(default=None, metadata={"wire": "thousandsSeparator"})
    number_of_decimals: int | None = attrs.field(default=None, metadata={"wire": "numberOfDecimals"})
    negative_parentheses_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "negativeParenthesesFlag"}
    )
    display_symbol_flag: bool | None = attrs.field(default=None, metadata={"wire": "displaySymbolFlag"})
    display_id_flag: bool | None = attrs.field(default=None, metadata={"wire": "displayIdFlag"})
    right_align: bool | None = attrs.field(default=None, metadata={"wire": "rightAlign"})


@attrs.frozen(kw_only=True)
class CustomFieldValue(_Model):
    """One custom field value (``customFields[]``); ``value`` is polymorphic (str, bool, number, null)."""

    __cw_open__: ClassVar[bool] = True

    id: int | None = attrs.field(default=None, metadata={"wire": "id"})
    caption: str | None = attrs.field(default=None, metadata={"wire": "caption"})
    type: str | None = attrs.field(default=None, metadata={"wire": "type"})
    entry_method: str | None = attrs.field(default=None, metadata={"wire": "entryMethod"})
    number_of_decimals: int | None = attrs.field(default=None, metadata={"wire": "numberOfDecimals"})
    value: Any = attrs.field(default=None, metadata={"wire": "value"})
    connect_wise_id: str | None = attrs.field(default=None, metadata={"wire": "connectWiseId"})


@attrs.frozen(kw_only=True)
class Company(_Entity):
    """A company (``/company/companies``).

    Every field is optional (the API omits nulls); unknown fields stay in ``raw``.
    """

    id: int | None = attrs.field(default=None, metadata={"wire": "id"})
    account_number: str | None = attrs.field(default=None, metadata={"wire": "accountNumber"})
    additional_debt: Decimal | None = attrs.field(default=None, metadata={"wire": "additionalDebt"})
    address_line1: str | None = attrs.field(default=None, metadata={"wire": "addressLine1"})
    address_line2: str | None = attrs.field(default=None, metadata={"wire": "addressLine2"})
    annual_revenue: Decimal | None = attrs.field(default=None, metadata={"wire": "annualRevenue"})
    bill_to_company: Reference | None = attrs.field(default=None, metadata={"wire": "billToCompany"})
    billing_contact: Reference | None = attrs.field(default=None, metadata={"wire": "billingContact"})
    billing_site: Reference | None = attrs.field(default=None, metadata={"wire": "billingSite"})
    billing_terms: Reference | None = attrs.field(default=None, metadata={"wire": "billingTerms"})
    calendar: Reference | None = attrs.field(default=None, metadata={"wire": "calendar"})
    city: str | None = attrs.field(default=None, metadata={"wire": "city"})
    company_entity_type: Reference | None = attrs.field(default=None, metadata={"wire": "companyEntityType"})
    country: Reference | None = attrs.field(default=None, metadata={"wire": "country"})
    credit_limit: Decimal | None = attrs.field(default=None, metadata={"wire": "creditLimit"})
    currency: CurrencyReference | None = attrs.field(default=None, metadata={"wire": "currency"})
    custom_fields: tuple[CustomFieldValue, ...] | None = attrs.field(
        default=None, metadata={"wire": "customFields"}
    )
    date_acquired: datetime | None = attrs.field(default=None, metadata={"wire": "dateAcquired"})
    date_deleted: datetime | None = attrs.field(default=None, metadata={"wire": "dateDeleted"})
    default_contact: Reference | None = attrs.field(default=None, metadata={"wire": "defaultContact"})
    deleted_by: str | None = attrs.field(default=None, metadata={"wire": "deletedBy"})
    deleted_flag: bool | None = attrs.field(default=None, metadata={"wire": "deletedFlag"})
    email_template: Reference | None = attrs.field(default=None, metadata={"wire": "emailTemplate"})
    facebook_url: str | None = attrs.field(default=None, metadata={"wire": "facebookUrl"})
    fax_number: str | None = attrs.field(default=None, metadata={"wire": "faxNumber"})
    identifier: str | None = attrs.field(default=None, metadata={"wire": "identifier"})
    integrator_tags: tuple[str, ...] | None = attrs.field(default=None, metadata={"wire": "integratorTags"})
    invoice_cc_email_address: str | None = attrs.field(
        default=None, metadata={"wire": "invoiceCCEmailAddress"}
    )
    invoice_delivery_method: Reference | None = attrs.field(
        default=None, metadata={"wire": "invoiceDeliveryMethod"}
    )
    invoice_template: Reference | None = attrs.field(default=None, metadata={"wire": "invoiceTemplate"})
    invoice_to_email_address: str | None = attrs.field(
        default=None, metadata={"wire": "invoiceToEmailAddress"}
    )
    is_vendor_flag: bool | None = attrs.field(default=None, metadata={"wire": "isVendorFlag"})
    lead_flag: bool | None = attrs.field(default=None, metadata={"wire": "leadFlag"})
    lead_source: str | None = attrs.field(default=None, metadata={"wire": "leadSource"})
    linked_in_url: str | None = attrs.field(default=None, metadata={"wire": "linkedInUrl"})
    market: Reference | None = attrs.field(default=None, metadata={"wire": "market"})
    mobile_guid: str | None = attrs.field(default=None, metadata={"wire": "mobileGuid"})
    name: str | None = attrs.field(default=None, metadata={"wire": "name"})
    number_of_employees: int | None = attrs.field(default=None, metadata={"wire": "numberOfEmployees"})
    ownership_type: Reference | None = attrs.field(default=None, metadata={"wire": "ownershipType"})
    parent_company: Reference | None = attrs.field(default=None, metadata={"wire": "parentCompany"})
    phone_number: str | None = attrs.field(default=None, metadata={"wire": "phoneNumber"})
    pricing_schedule: Reference | None = attrs.field(default=None, metadata={"wire": "pricingSchedule"})
    reseller_identifier: str | None = attrs.field(default=None, metadata={"wire": "resellerIdentifier"})
    revenue_year: int | None = attrs.field(default=None, metadata={"wire": "revenueYear"})
    sic_code: Reference | None = attrs.field(default=None, metadata={"wire": "sicCode"})
    site: Reference | None = attrs.field(default=None, metadata={"wire": "site"})
    state: str | None = attrs.field(default=None, metadata={"wire": "state"})
    status: Reference | None = attrs.field(default=None, metadata={"wire": "status"})
    tax_code: Reference | None = attrs.field(default=None, metadata={"wire": "taxCode"})
    tax_identifier: str | None = attrs.field(default=None, metadata={"wire": "taxIdentifier"})
    territory: Reference | None = attrs.field(default=None, metadata={"wire": "territory"})
    territory_manager: Reference | None = attrs.field(default=None, metadata={"wire": "territoryManager"})
    time_zone_setup: Reference | None = attrs.field(default=None, metadata={"wire": "timeZoneSetup"})
    twitter_url: str | None = attrs.field(default=None, metadata={"wire": "twitterUrl"})
    types: tuple[Reference, ...] | None = attrs.field(default=None, metadata={"wire": "types"})
    unsubscribe_flag: bool | None = attrs.field(default=None, metadata={"wire": "unsubscribeFlag"})
    user_defined_field1: str | None = attrs.field(default=None, metadata={"wire": "userDefinedField1"})
    user_defined_field10: str | None = attrs.field(default=None, metadata={"wire": "userDefinedField10"})
    user_defined_field2: str | None = attrs.field(default=None, metadata={"wire": "userDefinedField2"})
    user_defined_field3: str | None = attrs.field(default=None, metadata={"wire": "userDefinedField3"})
    user_defined_field4: str | None = attrs.field(default=None, metadata={"wire": "userDefinedField4"})
    user_defined_field5: str | None = attrs.field(default=None, metadata={"wire": "userDefinedField5"})
    user_defined_field6: str | None = attrs.field(default=None, metadata={"wire": "userDefinedField6"})
    user_defined_field7: str | None = attrs.field(default=None, metadata={"wire": "userDefinedField7"})
    user_defined_field8: str | None = attrs.field(default=None, metadata={"wire": "userDefinedField8"})
    user_defined_field9: str | None = attrs.field(default=None, metadata={"wire": "userDefinedField9"})
    vendor_identifier: str | None = attrs.field(default=None, metadata={"wire": "vendorIdentifier"})
    website: str | None = attrs.field(default=None, metadata={"wire": "website"})
    year_established: int | None = attrs.field(default=None, metadata={"wire": "yearEstablished"})
    zip: str | None = attrs.field(default=None, metadata={"wire": "zip"})


@attrs.frozen(kw_only=True)
class CompanyUpdate(_Update):
    """A partial update of a Company (JSON Patch): ``UNSET`` leaves a field, ``None`` clears it."""

    account_number: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "accountNumber"})
    additional_debt: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "additionalDebt"})
    address_line1: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "addressLine1"})
    address_line2: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "addressLine2"})
    annual_revenue: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "annualRevenue"})
    bill_to_company: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "billToCompany"})
    billing_contact: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "billingContact"})
    billing_site: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "billingSite"})
    billing_terms: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "billingTerms"})
    calendar: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "calendar"})
    city: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "city"})
    company_entity_type: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "companyEntityType"})
    country: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "country"})
    credit_limit: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "creditLimit"})
    currency: Maybe[CurrencyReference] = attrs.field(default=UNSET, metadata={"wire": "currency"})
    custom_fields: Maybe[tuple[CustomFieldValue, ...]] = attrs.field(
        default=UNSET, metadata={"wire": "customFields"}
    )
    date_acquired: Maybe[datetime] = attrs.field(default=UNSET, metadata={"wire": "dateAcquired"})
    date_deleted: Maybe[datetime] = attrs.field(default=UNSET, metadata={"wire": "dateDeleted"})
    default_contact: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "defaultContact"})
    deleted_by: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "deletedBy"})
    deleted_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "deletedFlag"})
    email_template: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "emailTemplate"})
    facebook_url: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "facebookUrl"})
    fax_number: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "faxNumber"})
    identifier: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "identifier"})
    integrator_tags: Maybe[tuple[str, ...]] = attrs.field(default=UNSET, metadata={"wire": "integratorTags"})
    invoice_cc_email_address: Maybe[str] = attrs.field(
        default=UNSET, metadata={"wire": "invoiceCCEmailAddress"}
    )
    invoice_delivery_method: Maybe[Reference] = attrs.field(
        default=UNSET, metadata={"wire": "invoiceDeliveryMethod"}
    )
    invoice_template: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "invoiceTemplate"})
    invoice_to_email_address: Maybe[str] = attrs.field(
        default=UNSET, metadata={"wire": "invoiceToEmailAddress"}
    )
    is_vendor_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "isVendorFlag"})
    lead_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "leadFlag"})
    lead_source: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "leadSource"})
    linked_in_url: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "linkedInUrl"})
    market: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "market"})
    mobile_guid: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "mobileGuid"})
    name: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "name"})
    number_of_employees: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "numberOfEmployees"})
    ownership_type: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "ownershipType"})
    parent_company: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "parentCompany"})
    phone_number: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "phoneNumber"})
    pricing_schedule: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "pricingSchedule"})
    reseller_identifier: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "resellerIdentifier"})
    revenue_year: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "revenueYear"})
    sic_code: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "sicCode"})
    site: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "site"})
    state: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "state"})
    status: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "status"})
    tax_code: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "taxCode"})
    tax_identifier: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "taxIdentifier"})
    territory: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "territory"})
    territory_manager: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "territoryManager"})
    time_zone_setup: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "timeZoneSetup"})
    twitter_url: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "twitterUrl"})
    types: Maybe[tuple[Reference, ...]] = attrs.field(default=UNSET, metadata={"wire": "types"})
    unsubscribe_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "unsubscribeFlag"})
    user_defined_field1: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "userDefinedField1"})
    user_defined_field10: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "userDefinedField10"})
    user_defined_field2: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "userDefinedField2"})
    user_defined_field3: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "userDefinedField3"})
    user_defined_field4: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "userDefinedField4"})
    user_defined_field5: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "userDefinedField5"})
    user_defined_field6: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "userDefinedField6"})
    user_defined_field7: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "userDefinedField7"})
    user_defined_field8: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "userDefinedField8"})
    user_defined_field9: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "userDefinedField9"})
    vendor_identifier: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "vendorIdentifier"})
    website: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "website"})
    year_established: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "yearEstablished"})
    zip: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "zip"})


@attrs.frozen(kw_only=True)
class Contact(_Entity):
    """A contact (``/company/contacts``).

    Every field is optional (the API omits nulls); unknown fields stay in ``raw``.
    """

    id: int | None = attrs.field(default=None, metadata={"wire": "id"})
    address_line1: str | None = attrs.field(default=None, metadata={"wire": "addressLine1"})
    address_line2: str | None = attrs.field(default=None, metadata={"wire": "addressLine2"})
    anniversary: datetime | None = attrs.field(default=None, metadata={"wire": "anniversary"})
    assistant_contact: Reference | None = attrs.field(default=None, metadata={"wire": "assistantContact"})
    birth_day: str | None = attrs.field(default=None, metadata={"wire": "birthDay"})
    children: str | None = attrs.field(default=None, metadata={"wire": "children"})
    children_flag: bool | None = attrs.field(default=None, metadata={"wire": "childrenFlag"})
    city: str | None = attrs.field(default=None, metadata={"wire": "city"})
    communication_items: tuple[CommunicationItem, ...] | None = attrs.field(
        default=None, metadata={"wire": "communicationItems"}
    )
    company: Reference | None = attrs.field(default=None, metadata={"wire": "company"})
    company_location: Reference | None = attrs.field(default=None, metadata={"wire": "companyLocation"})
    country: Reference | None = attrs.field(default=None, metadata={"wire": "country"})
    custom_fields: tuple[CustomFieldValue, ...] | None = attrs.field(
        default=None, metadata={"wire": "customFields"}
    )
    default_billing_flag: bool | None = attrs.field(default=None, metadata={"wire": "defaultBillingFlag"})
    default_flag: bool | None = attrs.field(default=None, metadata={"wire": "defaultFlag"})
    default_merge_contact_id: int | None = attrs.field(
        default=None, metadata={"wire": "defaultMergeContactId"}
    )
    default_phone_extension: str | None = attrs.field(
        default=None, metadata={"wire": "defaultPhoneExtension"}
    )
    default_phone_nbr: str | None = attrs.field(default=None, metadata={"wire": "defaultPhoneNbr"})
    default_phone_type: str | None = attrs.field(default=None, metadata={"wire": "defaultPhoneType"})
    department: Reference | None = attrs.field(default=None, metadata={"wire": "department"})
    disable_portal_login_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "disablePortalLoginFlag"}
    )
    facebook_url: str | None = attrs.field(default=None, metadata={"wire": "facebookUrl"})
    first_name: str | None = attrs.field(default=None, metadata={"wire": "firstName"})
    gender: str | None = attrs.field(default=None, metadata={"wire": "gender"})
    ignore_duplicates: bool | None = attrs.field(default=None, metadata={"wire": "ignoreDuplicates"})
    inactive_flag: bool | None = attrs.field(default=None, metadata={"wire": "inactiveFlag"})
    integrator_tags: tuple[str, ...] | None = attrs.field(default=None, metadata={"wire": "integratorTags"})
    last_name: str | None = attrs.field(default=None, metadata={"wire": "lastName"})
    linked_in_url: str | None = attrs.field(default=None, metadata={"wire": "linkedInUrl"})
    manager_contact: Reference | None = attrs.field(default=None, metadata={"wire": "managerContact"})
    married_flag: bool | None = attrs.field(default=None, metadata={"wire": "marriedFlag"})
    mobile_guid: str | None = attrs.field(default=None, metadata={"wire": "mobileGuid"})
    nick_name: str | None = attrs.field(default=None, metadata={"wire": "nickName"})
    photo: Reference | None = attrs.field(default=None, metadata={"wire": "photo"})
    portal_password: str | None = attrs.field(default=None, metadata={"wire": "portalPassword"})
    portal_security_level: int | None = attrs.field(default=None, metadata={"wire": "portalSecurityLevel"})
    presence: str | None = attrs.field(default=None, metadata={"wire": "presence"})
    relationship: Reference | None = attrs.field(default=None, metadata={"wire": "relationship"})
    relationship_override: str | None = attrs.field(default=None, metadata={"wire": "relationshipOverride"})
    school: str | None = attrs.field(default=None, metadata={"wire": "school"})
    security_identifier: str | None = attrs.field(default=None, metadata={"wire": "securityIdentifier"})
    significant_other: str | None = attrs.field(default=None, metadata={"wire": "significantOther"})
    site: Reference | None = attrs.field(default=None, metadata={"wire": "site"})
    state: str | None = attrs.field(default=None, metadata={"wire": "state"})
    title: str | None = attrs.field(default=None, metadata={"wire": "title"})
    twitter_url: str | None = attrs.field(default=None, metadata={"wire": "twitterUrl"})
    type_ids: tuple[int, ...] | None = attrs.field(default=None, metadata={"wire": "typeIds"})
    types: tuple[Reference, ...] | None = attrs.field(default=None, metadata={"wire": "types"})
    unsubscribe_flag: bool | None = attrs.field(default=None, metadata={"wire": "unsubscribeFlag"})
    user_defined_field1: str | None = attrs.field(default=None, metadata={"wire": "userDefinedField1"})
    user_defined_field10: str | None = attrs.field(default=None, metadata={"wire": "userDefinedField10"})
    user_defined_field2: str | None = attrs.field(default=None, metadata={"wire": "userDefinedField2"})
    user_defined_field3: str | None = attrs.field(default=None, metadata={"wire": "userDefinedField3"})
    user_defined_field4: str | None = attrs.field(default=None, metadata={"wire": "userDefinedField4"})
    user_defined_field5: str | None = attrs.field(default=None, metadata={"wire": "userDefinedField5"})
    user_defined_field6: str | None = attrs.field(default=None, metadata={"wire": "userDefinedField6"})
    user_defined_field7: str | None = attrs.field(default=None, metadata={"wire": "userDefinedField7"})
    user_defined_field8: str | None = attrs.field(default=None, metadata={"wire": "userDefinedField8"})
    user_defined_field9: str | None = attrs.field(default=None, metadata={"wire": "userDefinedField9"})
    zip: str | None = attrs.field(default=None, metadata={"wire": "zip"})


@attrs.frozen(kw_only=True)
class ContactUpdate(_Update):
    """A partial update of a Contact (JSON Patch): ``UNSET`` leaves a field, ``None`` clears it."""

    address_line1: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "addressLine1"})
    address_line2: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "addressLine2"})
    anniversary: Maybe[datetime] = attrs.field(default=UNSET, metadata={"wire": "anniversary"})
    assistant_contact: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "assistantContact"})
    birth_day: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "birthDay"})
    children: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "children"})
    children_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "childrenFlag"})
    city: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "city"})
    communication_items: Maybe[tuple[CommunicationItem, ...]] = attrs.field(
        default=UNSET, metadata={"wire": "communicationItems"}
    )
    company: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "company"})
    company_location: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "companyLocation"})
    country: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "country"})
    custom_fields: Maybe[tuple[CustomFieldValue, ...]] = attrs.field(
        default=UNSET, metadata={"wire": "customFields"}
    )
    default_billing_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "defaultBillingFlag"})
    default_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "defaultFlag"})
    default_merge_contact_id: Maybe[int] = attrs.field(
        default=UNSET, metadata={"wire": "defaultMergeContactId"}
    )
    default_phone_extension: Maybe[str] = attrs.field(
        default=UNSET, metadata={"wire": "defaultPhoneExtension"}
    )
    default_phone_nbr: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "defaultPhoneNbr"})
    default_phone_type: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "defaultPhoneType"})
    department: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "department"})
    disable_portal_login_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "disablePortalLoginFlag"}
    )
    facebook_url: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "facebookUrl"})
    first_name: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "firstName"})
    gender: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "gender"})
    ignore_duplicates: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "ignoreDuplicates"})
    inactive_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "inactiveFlag"})
    integrator_tags: Maybe[tuple[str, ...]] = attrs.field(default=UNSET, metadata={"wire": "integratorTags"})
    last_name: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "lastName"})
    linked_in_url: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "linkedInUrl"})
    manager_contact: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "managerContact"})
    married_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "marriedFlag"})
    mobile_guid: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "mobileGuid"})
    nick_name: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "nickName"})
    photo: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "photo"})
    portal_password: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "portalPassword"})
    portal_security_level: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "portalSecurityLevel"})
    presence: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "presence"})
    relationship: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "relationship"})
    relationship_override: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "relationshipOverride"})
    school: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "school"})
    security_identifier: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "securityIdentifier"})
    significant_other: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "significantOther"})
    site: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "site"})
    state: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "state"})
    title: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "title"})
    twitter_url: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "twitterUrl"})
    type_ids: Maybe[tuple[int, ...]] = attrs.field(default=UNSET, metadata={"wire": "typeIds"})
    types: Maybe[tuple[Reference, ...]] = attrs.field(default=UNSET, metadata={"wire": "types"})
    unsubscribe_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "unsubscribeFlag"})
    user_defined_field1: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "userDefinedField1"})
    user_defined_field10: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "userDefinedField10"})
    user_defined_field2: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "userDefinedField2"})
    user_defined_field3: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "userDefinedField3"})
    user_defined_field4: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "userDefinedField4"})
    user_defined_field5: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "userDefinedField5"})
    user_defined_field6: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "userDefinedField6"})
    user_defined_field7: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "userDefinedField7"})
    user_defined_field8: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "userDefinedField8"})
    user_defined_field9: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "userDefinedField9"})
    zip: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "zip"})


@attrs.frozen(kw_only=True)
class Agreement(_Entity):
    """An agreement (``/finance/agreements``).

    Every field is optional (the API omits nulls); unknown fields stay in ``raw``.
    """

    id: int | None = attrs.field(default=None, metadata={"wire": "id"})
    agreement_status: str | None = attrs.field(default=None, metadata={"wire": "agreementStatus"})
    allow_overruns: bool | None = attrs.field(default=None, metadata={"wire": "allowOverruns"})
    application_cycle: str | None = attrs.field(default=None, metadata={"wire": "applicationCycle"})
    application_limit: Decimal | None = attrs.field(default=None, metadata={"wire": "applicationLimit"})
    application_units: str | None = attrs.field(default=None, metadata={"wire": "applicationUnits"})
    application_unlimited_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "applicationUnlimitedFlag"}
    )
    auto_invoice_flag: bool | None = attrs.field(default=None, metadata={"wire": "autoInvoiceFlag"})
    bill_amount: Decimal | None = attrs.field(default=None, metadata={"wire": "billAmount"})
    bill_expenses: str | None = attrs.field(default=None, metadata={"wire": "billExpenses"})
    bill_one_time_flag: bool | None = attrs.field(default=None, metadata={"wire": "billOneTimeFlag"})
    bill_products: str | None = attrs.field(default=None, metadata={"wire": "billProducts"})
    bill_start_date: datetime | None = attrs.field(default=None, metadata={"wire": "billStartDate"})
    bill_time: str | None = attrs.field(default=None, metadata={"wire": "billTime"})
    bill_to_company: Reference | None = attrs.field(default=None, metadata={"wire": "billToCompany"})
    bill_to_contact: Reference | None = attrs.field(default=None, metadata={"wire": "billToContact"})
    bill_to_site: Reference | None = attrs.field(default=None, metadata={"wire": "billToSite"})
    billable_expense_invoice: bool | None = attrs.field(
        default=None, metadata={"wire": "billableExpenseInvoice"}
    )
    billable_product_invoice: bool | None = attrs.field(
        default=None, metadata={"wire": "billableProductInvoice"}
    )
    billable_time_invoice: bool | None = attrs.field(default=None, metadata={"wire": "billableTimeInvoice"})
    billing_cycle: Reference | None = attrs.field(default=None, metadata={"wire": "billingCycle"})
    billing_terms: Reference | None = attrs.field(default=None, metadata={"wire": "billingTerms"})
    bottom_comment: bool | None = attrs.field(default=None, metadata={"wire": "bottomComment"})
    cancelled_flag: bool | None = attrs.field(default=None, metadata={"wire": "cancelledFlag"})
    carry_over_unused: bool | None = attrs.field(default=None, metadata={"wire": "carryOverUnused"})
    charge_to_firm: bool | None = attrs.field(default=None, metadata={"wire": "chargeToFirm"})
    comp_hourly_rate: Decimal | None = attrs.field(default=None, metadata={"wire": "compHourlyRate"})
    comp_limit_amount: Decimal | None = attrs.field(default=None, metadata={"wire": "compLimitAmount"})
    company: Reference | None = attrs.field(default=None, metadata={"wire": "company"})
    company_location: Reference | None = attrs.field(default=None, metadata={"wire": "companyLocation"})
    contact: Reference | None = attrs.field(default=None, metadata={"wire": "contact"})
    cover_agreement_expense: bool | None = attrs.field(
        default=None, metadata={"wire": "coverAgreementExpense"}
    )
    cover_agreement_product: bool | None = attrs.field(
        default=None, metadata={"wire": "coverAgreementProduct"}
    )
    cover_agreement_time: bool | None = attrs.field(default=None, metadata={"wire": "coverAgreementTime"})
    cover_sales_tax: bool | None = attrs.field(default=None, metadata={"wire": "coverSalesTax"})
    currency: CurrencyReference | None = attrs.field(default=None, metadata={"wire": "currency"})
    custom_fields: tuple[CustomFieldValue, ...] | None = attrs.field(
        default=None, metadata={"wire": "customFields"}
    )
    customer_po: str | None = attrs.field(default=None, metadata={"wire": "customerPO"})
    date_cancelled: datetime | None = attrs.field(default=None, metadata={"wire": "dateCancelled"})
    department: Reference | None = attrs.field(default=None, metadata={"wire": "department"})
    employee_comp_not_exceed: str | None = attrs.field(
        default=None, metadata={"wire": "employeeCompNotExceed"}
    )
    employee_comp_rate: str | None = attrs.field(default=None, metadata={"wire": "employeeCompRate"})
    end_date: datetime | None = attrs.field(default=None, metadata={"wire": "endDate"})
    expire_when_zero: bool | None = attrs.field(default=None, metadata={"wire": "expireWhenZero"})
    expired_days: int | None = attrs.field(default=None, metadata={"wire": "expiredDays"})
    internal_notes: str | None = attrs.field(default=None, metadata={"wire": "internalNotes"})
    invoice_description: str | None = attrs.field(default=None, metadata={"wire": "invoiceDescription"})
    invoice_prorated_additions_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "invoiceProratedAdditionsFlag"}
    )
    invoice_template: Reference | None = attrs.field(default=None, metadata={"wire": "invoiceTemplate"})
    invoicing_cycle: str | None = attrs.field(default=None, metadata={"wire": "invoicingCycle"})
    limit: int | None = attrs.field(default=None, metadata={"wire": "limit"})
    location: Reference | None = attrs.field(default=None, metadata={"wire": "location"})
    name: str | None = attrs.field(default=None, metadata={"wire": "name"})
    next_invoice_date: datetime | None = attrs.field(default=None, metadata={"wire": "nextInvoiceDate"})
    no_ending_date_flag: bool | None = attrs.field(default=None, metadata={"wire": "noEndingDateFlag"})
    one_time_flag: bool | None = attrs.field(default=None, metadata={"wire": "oneTimeFlag"})
    opportunity: Reference | None = attrs.field(default=None, metadata={"wire": "opportunity"})
    parent_agreement: AgreementReference | None = attrs.field(
        default=None, metadata={"wire": "parentAgreement"}
    )
    period_type: str | None = attrs.field(default=None, metadata={"wire": "periodType"})
    project_type: Reference | None = attrs.field(default=None, metadata={"wire": "projectType"})
    prorate_first_bill: Decimal | None = attrs.field(default=None, metadata={"wire": "prorateFirstBill"})
    prorate_flag: bool | None = attrs.field(default=None, metadata={"wire": "prorateFlag"})
    reason_cancelled: str | None = attrs.field(default=None, metadata={"wire": "reasonCancelled"})
    restrict_department_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "restrictDepartmentFlag"}
    )
    restrict_down_payment: bool | None = attrs.field(default=None, metadata={"wire": "restrictDownPayment"})
    restrict_location_flag: bool | None = attrs.field(default=None, metadata={"wire": "restrictLocationFlag"})
    ship_to_company: Reference | None = attrs.field(default=None, metadata={"wire": "shipToCompany"})
    ship_to_contact: Reference | None = attrs.field(default=None, metadata={"wire": "shipToContact"})
    ship_to_site: Reference | None = attrs.field(default=None, metadata={"wire": "shipToSite"})
    site: Reference | None = attrs.field(default=None, metadata={"wire": "site"})
    sla: Reference | None = attrs.field(default=None, metadata={"wire": "sla"})
    start_date: datetime | None = attrs.field(default=None, metadata={"wire": "startDate"})
    sub_contract_company: Reference | None = attrs.field(
        default=None, metadata={"wire": "subContractCompany"}
    )
    sub_contract_contact: Reference | None = attrs.field(
        default=None, metadata={"wire": "subContractContact"}
    )
    tax_code: Reference | None = attrs.field(default=None, metadata={"wire": "taxCode"})
    taxable: bool | None = attrs.field(default=None, metadata={"wire": "taxable"})
    top_comment: bool | None = attrs.field(default=None, metadata={"wire": "topComment"})
    type: Reference | None = attrs.field(default=None, metadata={"wire": "type"})
    work_order: str | None = attrs.field(default=None, metadata={"wire": "workOrder"})
    work_role: Reference | None = attrs.field(default=None, metadata={"wire": "workRole"})
    work_type: Reference | None = attrs.field(default=None, metadata={"wire": "workType"})


@attrs.frozen(kw_only=True)
class AgreementUpdate(_Update):
    """A partial update of a Agreement (JSON Patch): ``UNSET`` leaves a field, ``None`` clears it."""

    agreement_status: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "agreementStatus"})
    allow_overruns: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "allowOverruns"})
    application_cycle: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "applicationCycle"})
    application_limit: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "applicationLimit"})
    application_units: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "applicationUnits"})
    application_unlimited_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "applicationUnlimitedFlag"}
    )
    auto_invoice_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "autoInvoiceFlag"})
    bill_amount: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "billAmount"})
    bill_expenses: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "billExpenses"})
    bill_one_time_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "billOneTimeFlag"})
    bill_products: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "billProducts"})
    bill_start_date: Maybe[datetime] = attrs.field(default=UNSET, metadata={"wire": "billStartDate"})
    bill_time: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "billTime"})
    bill_to_company: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "billToCompany"})
    bill_to_contact: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "billToContact"})
    bill_to_site: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "billToSite"})
    billable_expense_invoice: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "billableExpenseInvoice"}
    )
    billable_product_invoice: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "billableProductInvoice"}
    )
    billable_time_invoice: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "billableTimeInvoice"})
    billing_cycle: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "billingCycle"})
    billing_terms: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "billingTerms"})
    bottom_comment: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "bottomComment"})
    cancelled_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "cancelledFlag"})
    carry_over_unused: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "carryOverUnused"})
    charge_to_firm: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "chargeToFirm"})
    comp_hourly_rate: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "compHourlyRate"})
    comp_limit_amount: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "compLimitAmount"})
    company: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "company"})
    company_location: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "companyLocation"})
    contact: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "contact"})
    cover_agreement_expense: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "coverAgreementExpense"}
    )
    cover_agreement_product: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "coverAgreementProduct"}
    )
    cover_agreement_time: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "coverAgreementTime"})
    cover_sales_tax: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "coverSalesTax"})
    currency: Maybe[CurrencyReference] = attrs.field(default=UNSET, metadata={"wire": "currency"})
    custom_fields: Maybe[tuple[CustomFieldValue, ...]] = attrs.field(
        default=UNSET, metadata={"wire": "customFields"}
    )
    customer_po: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "customerPO"})
    date_cancelled: Maybe[datetime] = attrs.field(default=UNSET, metadata={"wire": "dateCancelled"})
    department: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "department"})
    employee_comp_not_exceed: Maybe[str] = attrs.field(
        default=UNSET, metadata={"wire": "employeeCompNotExceed"}
    )
    employee_comp_rate: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "employeeCompRate"})
    end_date: Maybe[datetime] = attrs.field(default=UNSET, metadata={"wire": "endDate"})
    expire_when_zero: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "expireWhenZero"})
    expired_days: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "expiredDays"})
    internal_notes: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "internalNotes"})
    invoice_description: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "invoiceDescription"})
    invoice_prorated_additions_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "invoiceProratedAdditionsFlag"}
    )
    invoice_template: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "invoiceTemplate"})
    invoicing_cycle: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "invoicingCycle"})
    limit: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "limit"})
    location: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "location"})
    name: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "name"})
    next_invoice_date: Maybe[datetime] = attrs.field(default=UNSET, metadata={"wire": "nextInvoiceDate"})
    no_ending_date_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "noEndingDateFlag"})
    one_time_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "oneTimeFlag"})
    opportunity: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "opportunity"})
    parent_agreement: Maybe[AgreementReference] = attrs.field(
        default=UNSET, metadata={"wire": "parentAgreement"}
    )
    period_type: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "periodType"})
    project_type: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "projectType"})
    prorate_first_bill: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "prorateFirstBill"})
    prorate_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "prorateFlag"})
    reason_cancelled: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "reasonCancelled"})
    restrict_department_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "restrictDepartmentFlag"}
    )
    restrict_down_payment: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "restrictDownPayment"})
    restrict_location_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "restrictLocationFlag"}
    )
    ship_to_company: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "shipToCompany"})
    ship_to_contact: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "shipToContact"})
    ship_to_site: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "shipToSite"})
    site: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "site"})
    sla: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "sla"})
    start_date: Maybe[datetime] = attrs.field(default=UNSET, metadata={"wire": "startDate"})
    sub_contract_company: Maybe[Reference] = attrs.field(
        default=UNSET, metadata={"wire": "subContractCompany"}
    )
    sub_contract_contact: Maybe[Reference] = attrs.field(
        default=UNSET, metadata={"wire": "subContractContact"}
    )
    tax_code: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "taxCode"})
    taxable: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "taxable"})
    top_comment: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "topComment"})
    type: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "type"})
    work_order: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "workOrder"})
    work_role: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "workRole"})
    work_type: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "workType"})


@attrs.frozen(kw_only=True)
class Invoice(_Entity):
    """An invoice (``/finance/invoices``).

    Every field is optional (the API omits nulls); unknown fields stay in ``raw``.
    """

    id: int | None = attrs.field(default=None, metadata={"wire": "id"})
    account_number: str | None = attrs.field(default=None, metadata={"wire": "accountNumber"})
    add_to_batch_email_list: bool | None = attrs.field(default=None, metadata={"wire": "addToBatchEmailList"})
    adjusted_by: str | None = attrs.field(default=None, metadata={"wire": "adjustedBy"})
    adjustment_reason: str | None = attrs.field(default=None, metadata={"wire": "adjustmentReason"})
    agreement: AgreementReference | None = attrs.field(default=None, metadata={"wire": "agreement"})
    agreement_amount: Decimal | None = attrs.field(default=None, metadata={"wire": "agreementAmount"})
    apply_to_id: int | None = attrs.field(default=None, metadata={"wire": "applyToId"})
    apply_to_type: str | None = attrs.field(default=None, metadata={"wire": "applyToType"})
    attention: str | None = attrs.field(default=None, metadata={"wire": "attention"})
    balance: Decimal | None = attrs.field(default=None, metadata={"wire": "balance"})
    bill_to_company: Reference | None = attrs.field(default=None, metadata={"wire": "billToCompany"})
    billing_setup_reference: Reference | None = attrs.field(
        default=None, metadata={"wire": "billingSetupReference"}
    )
    billing_site: Reference | None = attrs.field(default=None, metadata={"wire": "billingSite"})
    billing_site_address_line1: str | None = attrs.field(
        default=None, metadata={"wire": "billingSiteAddressLine1"}
    )
    billing_site_address_line2: str | None = attrs.field(
        default=None, metadata={"wire": "billingSiteAddressLine2"}
    )
    billing_site_city: str | None = attrs.field(default=None, metadata={"wire": "billingSiteCity"})
    billing_site_country: str | None = attrs.field(default=None, metadata={"wire": "billingSiteCountry"})
    billing_site_state: str | None = attrs.field(default=None, metadata={"wire": "billingSiteState"})
    billing_site_zip: str | None = attrs.field(default=None, metadata={"wire": "billingSiteZip"})
    billing_terms: Reference | None = attrs.field(default=None, metadata={"wire": "billingTerms"})
    bottom_comment: str | None = attrs.field(default=None, metadata={"wire": "bottomComment"})
    closed_by: str | None = attrs.field(default=None, metadata={"wire": "closedBy"})
    company: Reference | None = attrs.field(default=None, metadata={"wire": "company"})
    credits: Decimal | None = attrs.field(default=None, metadata={"wire": "credits"})
    currency: CurrencyReference | None = attrs.field(default=None, metadata={"wire": "currency"})
    custom_fields: tuple[CustomFieldValue, ...] | None = attrs.field(
        default=None, metadata={"wire": "customFields"}
    )
    customer_po: str | None = attrs.field(default=None, metadata={"wire": "customerPO"})
    date: datetime | None = attrs.field(default=None, metadata={"wire": "date"})
    department: Reference | None = attrs.field(default=None, metadata={"wire": "department"})
    department_id: int | None = attrs.field(default=None, metadata={"wire": "departmentId"})
    downpayment_applied: Decimal | None = attrs.field(default=None, metadata={"wire": "downpaymentApplied"})
    downpayment_previously_taxed_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "downpaymentPreviouslyTaxedFlag"}
    )
    due_date: datetime | None = attrs.field(default=None, metadata={"wire": "dueDate"})
    email_template_id: int | None = attrs.field(default=None, metadata={"wire": "emailTemplateId"})
    expense_total: Decimal | None = attrs.field(default=None, metadata={"wire": "expenseTotal"})
    gl_batch: Reference | None = attrs.field(default=None, metadata={"wire": "glBatch"})
    internal_notes: str | None = attrs.field(default=None, metadata={"wire": "internalNotes"})
    invoice_number: str | None = attrs.field(default=None, metadata={"wire": "invoiceNumber"})
    invoice_template: Reference | None = attrs.field(default=None, metadata={"wire": "invoiceTemplate"})
    location: Reference | None = attrs.field(default=None, metadata={"wire": "location"})
    location_id: int | None = attrs.field(default=None, metadata={"wire": "locationId"})
    override_down_payment_amount_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "overrideDownPaymentAmountFlag"}
    )
    payments: Decimal | None = attrs.field(default=None, metadata={"wire": "payments"})
    phase: Reference | None = attrs.field(default=None, metadata={"wire": "phase"})
    previous_progress_applied: Decimal | None = attrs.field(
        default=None, metadata={"wire": "previousProgressApplied"}
    )
    product_total: Decimal | None = attrs.field(default=None, metadata={"wire": "productTotal"})
    project: Reference | None = attrs.field(default=None, metadata={"wire": "project"})
    reference: str | None = attrs.field(default=None, metadata={"wire": "reference"})
    remaining_downpayment: Decimal | None = attrs.field(
        default=None, metadata={"wire": "remainingDownpayment"}
    )
    restrict_downpayment_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "restrictDownpaymentFlag"}
    )
    sales_order: Reference | None = attrs.field(default=None, metadata={"wire": "salesOrder"})
    sales_tax: Decimal | None = attrs.field(default=None, metadata={"wire": "salesTax"})
    service_adjustment_amount: Decimal | None = attrs.field(
        default=None, metadata={"wire": "serviceAdjustmentAmount"}
    )
    service_total: Decimal | None = attrs.field(default=None, metadata={"wire": "serviceTotal"})
    ship_to_attention: str | None = attrs.field(default=None, metadata={"wire": "shipToAttention"})
    ship_to_company: Reference | None = attrs.field(default=None, metadata={"wire": "shipToCompany"})
    shipping_site: Reference | None = attrs.field(default=None, metadata={"wire": "shippingSite"})
    shipping_site_address_line1: str | None = attrs.field(
        default=None, metadata={"wire": "shippingSiteAddressLine1"}
    )
    shipping_site_address_line2: str | None = attrs.field(
        default=None, metadata={"wire": "shippingSiteAddressLine2"}
    )
    shipping_site_city: str | None = attrs.field(default=None, metadata={"wire": "shippingSiteCity"})
    shipping_site_country: str | None = attrs.field(default=None, metadata={"wire": "shippingSiteCountry"})
    shipping_site_state: str | None = attrs.field(default=None, metadata={"wire": "shippingSiteState"})
    shipping_site_zip: str | None = attrs.field(default=None, metadata={"wire": "shippingSiteZip"})
    special_invoice_flag: bool | None = attrs.field(default=None, metadata={"wire": "specialInvoiceFlag"})
    status: Reference | None = attrs.field(default=None, metadata={"wire": "status"})
    subtotal: Decimal | None = attrs.field(default=None, metadata={"wire": "subtotal"})
    tax_code: Reference | None = attrs.field(default=None, metadata={"wire": "taxCode"})
    taxable_flag: bool | None = attrs.field(default=None, metadata={"wire": "taxableFlag"})
    template_setup_id: int | None = attrs.field(default=None, metadata={"wire": "templateSetupId"})
    territory: Reference | None = attrs.field(default=None, metadata={"wire": "territory"})
    territory_id: int | None = attrs.field(default=None, metadata={"wire": "territoryId"})
    ticket: TicketReference | None = attrs.field(default=None, metadata={"wire": "ticket"})
    top_comment: str | None = attrs.field(default=None, metadata={"wire": "topComment"})
    total: Decimal | None = attrs.field(default=None, metadata={"wire": "total"})
    type: str | None = attrs.field(default=None, metadata={"wire": "type"})
    unbatched_batch: Reference | None = attrs.field(default=None, metadata={"wire": "unbatchedBatch"})


@attrs.frozen(kw_only=True)
class InvoiceUpdate(_Update):
    """A partial update of a Invoice (JSON Patch): ``UNSET`` leaves a field, ``None`` clears it."""

    account_number: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "accountNumber"})
    add_to_batch_email_list: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "addToBatchEmailList"}
    )
    adjusted_by: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "adjustedBy"})
    adjustment_reason: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "adjustmentReason"})
    agreement: Maybe[AgreementReference] = attrs.field(default=UNSET, metadata={"wire": "agreement"})
    agreement_amount: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "agreementAmount"})
    apply_to_id: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "applyToId"})
    apply_to_type: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "applyToType"})
    attention: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "attention"})
    balance: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "balance"})
    bill_to_company: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "billToCompany"})
    billing_setup_reference: Maybe[Reference] = attrs.field(
        default=UNSET, metadata={"wire": "billingSetupReference"}
    )
    billing_site: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "billingSite"})
    billing_site_address_line1: Maybe[str] = attrs.field(
        default=UNSET, metadata={"wire": "billingSiteAddressLine1"}
    )
    billing_site_address_line2: Maybe[str] = attrs.field(
        default=UNSET, metadata={"wire": "billingSiteAddressLine2"}
    )
    billing_site_city: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "billingSiteCity"})
    billing_site_country: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "billingSiteCountry"})
    billing_site_state: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "billingSiteState"})
    billing_site_zip: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "billingSiteZip"})
    billing_terms: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "billingTerms"})
    bottom_comment: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "bottomComment"})
    closed_by: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "closedBy"})
    company: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "company"})
    credits: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "credits"})
    currency: Maybe[CurrencyReference] = attrs.field(default=UNSET, metadata={"wire": "currency"})
    custom_fields: Maybe[tuple[CustomFieldValue, ...]] = attrs.field(
        default=UNSET, metadata={"wire": "customFields"}
    )
    customer_po: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "customerPO"})
    date: Maybe[datetime] = attrs.field(default=UNSET, metadata={"wire": "date"})
    department: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "department"})
    department_id: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "departmentId"})
    downpayment_applied: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "downpaymentApplied"})
    downpayment_previously_taxed_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "downpaymentPreviouslyTaxedFlag"}
    )
    due_date: Maybe[datetime] = attrs.field(default=UNSET, metadata={"wire": "dueDate"})
    email_template_id: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "emailTemplateId"})
    expense_total: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "expenseTotal"})
    gl_batch: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "glBatch"})
    internal_notes: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "internalNotes"})
    invoice_number: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "invoiceNumber"})
    invoice_template: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "invoiceTemplate"})
    location: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "location"})
    location_id: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "locationId"})
    override_down_payment_amount_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "overrideDownPaymentAmountFlag"}
    )
    payments: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "payments"})
    phase: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "phase"})
    previous_progress_applied: Maybe[Decimal] = attrs.field(
        default=UNSET, metadata={"wire": "previousProgressApplied"}
    )
    product_total: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "productTotal"})
    project: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "project"})
    reference: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "reference"})
    remaining_downpayment: Maybe[Decimal] = attrs.field(
        default=UNSET, metadata={"wire": "remainingDownpayment"}
    )
    restrict_downpayment_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "restrictDownpaymentFlag"}
    )
    sales_order: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "salesOrder"})
    sales_tax: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "salesTax"})
    service_adjustment_amount: Maybe[Decimal] = attrs.field(
        default=UNSET, metadata={"wire": "serviceAdjustmentAmount"}
    )
    service_total: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "serviceTotal"})
    ship_to_attention: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "shipToAttention"})
    ship_to_company: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "shipToCompany"})
    shipping_site: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "shippingSite"})
    shipping_site_address_line1: Maybe[str] = attrs.field(
        default=UNSET, metadata={"wire": "shippingSiteAddressLine1"}
    )
    shipping_site_address_line2: Maybe[str] = attrs.field(
        default=UNSET, metadata={"wire": "shippingSiteAddressLine2"}
    )
    shipping_site_city: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "shippingSiteCity"})
    shipping_site_country: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "shippingSiteCountry"})
    shipping_site_state: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "shippingSiteState"})
    shipping_site_zip: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "shippingSiteZip"})
    special_invoice_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "specialInvoiceFlag"})
    status: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "status"})
    subtotal: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "subtotal"})
    tax_code: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "taxCode"})
    taxable_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "taxableFlag"})
    template_setup_id: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "templateSetupId"})
    territory: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "territory"})
    territory_id: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "territoryId"})
    ticket: Maybe[TicketReference] = attrs.field(default=UNSET, metadata={"wire": "ticket"})
    top_comment: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "topComment"})
    total: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "total"})
    type: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "type"})
    unbatched_batch: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "unbatchedBatch"})


@attrs.frozen(kw_only=True)
class BillingTerm(_Entity):
    """Billing terms (``/finance/billingTerms``).

    Every field is optional (the API omits nulls); unknown fields stay in ``raw``.
    """

    id: int | None = attrs.field(default=None, metadata={"wire": "id"})
    connect_wise_id: str | None = attrs.field(default=None, metadata={"wire": "connectWiseId"})
    default_flag: bool | None = attrs.field(default=None, metadata={"wire": "defaultFlag"})
    due_days: int | None = attrs.field(default=None, metadata={"wire": "dueDays"})
    name: str | None = attrs.field(default=None, metadata={"wire": "name"})
    terms_xref: str | None = attrs.field(default=None, metadata={"wire": "termsXref"})


@attrs.frozen(kw_only=True)
class BillingTermUpdate(_Update):
    """A partial update of a BillingTerm (JSON Patch): ``UNSET`` leaves a field, ``None`` clears it."""

    connect_wise_id: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "connectWiseId"})
    default_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "defaultFlag"})
    due_days: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "dueDays"})
    name: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "name"})
    terms_xref: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "termsXref"})


@attrs.frozen(kw_only=True)
class TaxCode(_Entity):
    """A tax code (``/finance/taxCodes``).

    Every field is optional (the API omits nulls); unknown fields stay in ``raw``.
    """

    id: int | None = attrs.field(default=None, metadata={"wire": "id"})
    add_all_expense_types: bool | None = attrs.field(default=None, metadata={"wire": "addAllExpenseTypes"})
    add_all_product_types: bool | None = attrs.field(default=None, metadata={"wire": "addAllProductTypes"})
    add_all_work_roles: bool | None = attrs.field(default=None, metadata={"wire": "addAllWorkRoles"})
    canada_calculate_gst_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "canadaCalculateGSTFlag"}
    )
    cancel_date: datetime | None = attrs.field(default=None, metadata={"wire": "cancelDate"})
    connect_wise_id: str | None = attrs.field(default=None, metadata={"wire": "connectWiseId"})
    country: Reference | None = attrs.field(default=None, metadata={"wire": "country"})
    default_flag: bool | None = attrs.field(default=None, metadata={"wire": "defaultFlag"})
    description: str | None = attrs.field(default=None, metadata={"wire": "description"})
    display_on_invoice_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "displayOnInvoiceFlag"}
    )
    effective_date: datetime | None = attrs.field(default=None, metadata={"wire": "effectiveDate"})
    expense_type_ids: tuple[int, ...] | None = attrs.field(default=None, metadata={"wire": "expenseTypeIds"})
    identifier: str | None = attrs.field(default=None, metadata={"wire": "identifier"})
    invoice_caption: str | None = attrs.field(default=None, metadata={"wire": "invoiceCaption"})
    level_five_agency_xref: str | None = attrs.field(default=None, metadata={"wire": "levelFiveAgencyXref"})
    level_five_apply_single_unit_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "levelFiveApplySingleUnitFlag"}
    )
    level_five_apply_single_unit_max: Decimal | None = attrs.field(
        default=None, metadata={"wire": "levelFiveApplySingleUnitMax"}
    )
    level_five_apply_single_unit_min: Decimal | None = attrs.field(
        default=None, metadata={"wire": "levelFiveApplySingleUnitMin"}
    )
    level_five_caption: str | None = attrs.field(default=None, metadata={"wire": "levelFiveCaption"})
    level_five_expenses_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "levelFiveExpensesFlag"}
    )
    level_five_products_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "levelFiveProductsFlag"}
    )
    level_five_rate: Decimal | None = attrs.field(default=None, metadata={"wire": "levelFiveRate"})
    level_five_rate_type: str | None = attrs.field(default=None, metadata={"wire": "levelFiveRateType"})
    level_five_services_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "levelFiveServicesFlag"}
    )
    level_five_tax_code_xref: str | None = attrs.field(
        default=None, metadata={"wire": "levelFiveTaxCodeXref"}
    )
    level_five_taxable_max: Decimal | None = attrs.field(
        default=None, metadata={"wire": "levelFiveTaxableMax"}
    )
    level_four_agency_xref: str | None = attrs.field(default=None, metadata={"wire": "levelFourAgencyXref"})
    level_four_apply_single_unit_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "levelFourApplySingleUnitFlag"}
    )
    level_four_apply_single_unit_max: Decimal | None = attrs.field(
        default=None, metadata={"wire": "levelFourApplySingleUnitMax"}
    )
    level_four_apply_single_unit_min: Decimal | None = attrs.field(
        default=None, metadata={"wire": "levelFourApplySingleUnitMin"}
    )
    level_four_caption: str | None = attrs.field(default=None, metadata={"wire": "levelFourCaption"})
    level_four_expenses_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "levelFourExpensesFlag"}
    )
    level_four_products_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "levelFourProductsFlag"}
    )
    level_four_rate: Decimal | None = attrs.field(default=None, metadata={"wire": "levelFourRate"})
    level_four_rate_type: str | None = attrs.field(default=None, metadata={"wire": "levelFourRateType"})
    level_four_services_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "levelFourServicesFlag"}
    )
    level_four_tax_code_xref: str | None = attrs.field(
        default=None, metadata={"wire": "levelFourTaxCodeXref"}
    )
    level_four_taxable_max: Decimal | None = attrs.field(
        default=None, metadata={"wire": "levelFourTaxableMax"}
    )
    level_one_agency_xref: str | None = attrs.field(default=None, metadata={"wire": "levelOneAgencyXref"})
    level_one_apply_single_unit_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "levelOneApplySingleUnitFlag"}
    )
    level_one_apply_single_unit_max: Decimal | None = attrs.field(
        default=None, metadata={"wire": "levelOneApplySingleUnitMax"}
    )
    level_one_apply_single_unit_min: Decimal | None = attrs.field(
        default=None, metadata={"wire": "levelOneApplySingleUnitMin"}
    )
    level_one_caption: str | None = attrs.field(default=None, metadata={"wire": "levelOneCaption"})
    level_one_expenses_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "levelOneExpensesFlag"}
    )
    level_one_products_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "levelOneProductsFlag"}
    )
    level_one_rate: Decimal | None = attrs.field(default=None, metadata={"wire": "levelOneRate"})
    level_one_rate_type: str | None = attrs.field(default=None, metadata={"wire": "levelOneRateType"})
    level_one_services_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "levelOneServicesFlag"}
    )
    level_one_tax_code_xref: str | None = attrs.field(default=None, metadata={"wire": "levelOneTaxCodeXref"})
    level_one_taxable_max: Decimal | None = attrs.field(default=None, metadata={"wire": "levelOneTaxableMax"})
    level_six_agency_xref: str | None = attrs.field(default=None, metadata={"wire": "levelSixAgencyXref"})
    level_six_apply_single_unit_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "levelSixApplySingleUnitFlag"}
    )
    level_six_apply_single_unit_max: Decimal | None = attrs.field(
        default=None, metadata={"wire": "levelSixApplySingleUnitMax"}
    )
    level_six_apply_single_unit_min: Decimal | None = attrs.field(
        default=None, metadata={"wire": "levelSixApplySingleUnitMin"}
    )
    level_six_caption: str | None = attrs.field(default=None, metadata={"wire": "levelSixCaption"})
    level_six_expenses_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "levelSixExpensesFlag"}
    )
    level_six_products_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "levelSixProductsFlag"}
    )
    level_six_rate: Decimal | None = attrs.field(default=None, metadata={"wire": "levelSixRate"})
    level_six_rate_type: str | None = attrs.field(default=None, metadata={"wire": "levelSixRateType"})
    level_six_services_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "levelSixServicesFlag"}
    )
    level_six_tax_code_xref: str | None = attrs.field(default=None, metadata={"wire": "levelSixTaxCodeXref"})
    level_six_taxable_max: Decimal | None = attrs.field(default=None, metadata={"wire": "levelSixTaxableMax"})
    level_three_agency_xref: str | None = attrs.field(default=None, metadata={"wire": "levelThreeAgencyXref"})
    level_three_apply_single_unit_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "levelThreeApplySingleUnitFlag"}
    )
    level_three_apply_single_unit_max: Decimal | None = attrs.field(
        default=None, metadata={"wire": "levelThreeApplySingleUnitMax"}
    )
    level_three_apply_single_unit_min: Decimal | None = attrs.field(
        default=None, metadata={"wire": "levelThreeApplySingleUnitMin"}
    )
    level_three_caption: str | None = attrs.field(default=None, metadata={"wire": "levelThreeCaption"})
    level_three_expenses_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "levelThreeExpensesFlag"}
    )
    level_three_products_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "levelThreeProductsFlag"}
    )
    level_three_rate: Decimal | None = attrs.field(default=None, metadata={"wire": "levelThreeRate"})
    level_three_rate_type: str | None = attrs.field(default=None, metadata={"wire": "levelThreeRateType"})
    level_three_services_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "levelThreeServicesFlag"}
    )
    level_three_tax_code_xref: str | None = attrs.field(
        default=None, metadata={"wire": "levelThreeTaxCodeXref"}
    )
    level_three_taxable_max: Decimal | None = attrs.field(
        default=None, metadata={"wire": "levelThreeTaxableMax"}
    )
    level_two_agency_xref: str | None = attrs.field(default=None, metadata={"wire": "levelTwoAgencyXref"})
    level_two_apply_single_unit_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "levelTwoApplySingleUnitFlag"}
    )
    level_two_apply_single_unit_max: Decimal | None = attrs.field(
        default=None, metadata={"wire": "levelTwoApplySingleUnitMax"}
    )
    level_two_apply_single_unit_min: Decimal | None = attrs.field(
        default=None, metadata={"wire": "levelTwoApplySingleUnitMin"}
    )
    level_two_caption: str | None = attrs.field(default=None, metadata={"wire": "levelTwoCaption"})
    level_two_expenses_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "levelTwoExpensesFlag"}
    )
    level_two_products_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "levelTwoProductsFlag"}
    )
    level_two_rate: Decimal | None = attrs.field(default=None, metadata={"wire": "levelTwoRate"})
    level_two_rate_type: str | None = attrs.field(default=None, metadata={"wire": "levelTwoRateType"})
    level_two_services_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "levelTwoServicesFlag"}
    )
    level_two_tax_code_xref: str | None = attrs.field(default=None, metadata={"wire": "levelTwoTaxCodeXref"})
    level_two_taxable_max: Decimal | None = attrs.field(default=None, metadata={"wire": "levelTwoTaxableMax"})
    product_type_ids: tuple[int, ...] | None = attrs.field(default=None, metadata={"wire": "productTypeIds"})
    remove_all_expense_types: bool | None = attrs.field(
        default=None, metadata={"wire": "removeAllExpenseTypes"}
    )
    remove_all_product_types: bool | None = attrs.field(
        default=None, metadata={"wire": "removeAllProductTypes"}
    )
    remove_all_work_roles: bool | None = attrs.field(default=None, metadata={"wire": "removeAllWorkRoles"})
    work_role_ids: tuple[int, ...] | None = attrs.field(default=None, metadata={"wire": "workRoleIds"})


@attrs.frozen(kw_only=True)
class TaxCodeUpdate(_Update):
    """A partial update of a TaxCode (JSON Patch): ``UNSET`` leaves a field, ``None`` clears it."""

    add_all_expense_types: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "addAllExpenseTypes"})
    add_all_product_types: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "addAllProductTypes"})
    add_all_work_roles: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "addAllWorkRoles"})
    canada_calculate_gst_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "canadaCalculateGSTFlag"}
    )
    cancel_date: Maybe[datetime] = attrs.field(default=UNSET, metadata={"wire": "cancelDate"})
    connect_wise_id: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "connectWiseId"})
    country: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "country"})
    default_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "defaultFlag"})
    description: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "description"})
    display_on_invoice_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "displayOnInvoiceFlag"}
    )
    effective_date: Maybe[datetime] = attrs.field(default=UNSET, metadata={"wire": "effectiveDate"})
    expense_type_ids: Maybe[tuple[int, ...]] = attrs.field(default=UNSET, metadata={"wire": "expenseTypeIds"})
    identifier: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "identifier"})
    invoice_caption: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "invoiceCaption"})
    level_five_agency_xref: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "levelFiveAgencyXref"})
    level_five_apply_single_unit_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "levelFiveApplySingleUnitFlag"}
    )
    level_five_apply_single_unit_max: Maybe[Decimal] = attrs.field(
        default=UNSET, metadata={"wire": "levelFiveApplySingleUnitMax"}
    )
    level_five_apply_single_unit_min: Maybe[Decimal] = attrs.field(
        default=UNSET, metadata={"wire": "levelFiveApplySingleUnitMin"}
    )
    level_five_caption: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "levelFiveCaption"})
    level_five_expenses_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "levelFiveExpensesFlag"}
    )
    level_five_products_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "levelFiveProductsFlag"}
    )
    level_five_rate: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "levelFiveRate"})
    level_five_rate_type: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "levelFiveRateType"})
    level_five_services_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "levelFiveServicesFlag"}
    )
    level_five_tax_code_xref: Maybe[str] = attrs.field(
        default=UNSET, metadata={"wire": "levelFiveTaxCodeXref"}
    )
    level_five_taxable_max: Maybe[Decimal] = attrs.field(
        default=UNSET, metadata={"wire": "levelFiveTaxableMax"}
    )
    level_four_agency_xref: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "levelFourAgencyXref"})
    level_four_apply_single_unit_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "levelFourApplySingleUnitFlag"}
    )
    level_four_apply_single_unit_max: Maybe[Decimal] = attrs.field(
        default=UNSET, metadata={"wire": "levelFourApplySingleUnitMax"}
    )
    level_four_apply_single_unit_min: Maybe[Decimal] = attrs.field(
        default=UNSET, metadata={"wire": "levelFourApplySingleUnitMin"}
    )
    level_four_caption: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "levelFourCaption"})
    level_four_expenses_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "levelFourExpensesFlag"}
    )
    level_four_products_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "levelFourProductsFlag"}
    )
    level_four_rate: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "levelFourRate"})
    level_four_rate_type: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "levelFourRateType"})
    level_four_services_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "levelFourServicesFlag"}
    )
    level_four_tax_code_xref: Maybe[str] = attrs.field(
        default=UNSET, metadata={"wire": "levelFourTaxCodeXref"}
    )
    level_four_taxable_max: Maybe[Decimal] = attrs.field(
        default=UNSET, metadata={"wire": "levelFourTaxableMax"}
    )
    level_one_agency_xref: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "levelOneAgencyXref"})
    level_one_apply_single_unit_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "levelOneApplySingleUnitFlag"}
    )
    level_one_apply_single_unit_max: Maybe[Decimal] = attrs.field(
        default=UNSET, metadata={"wire": "levelOneApplySingleUnitMax"}
    )
    level_one_apply_single_unit_min: Maybe[Decimal] = attrs.field(
        default=UNSET, metadata={"wire": "levelOneApplySingleUnitMin"}
    )
    level_one_caption: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "levelOneCaption"})
    level_one_expenses_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "levelOneExpensesFlag"}
    )
    level_one_products_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "levelOneProductsFlag"}
    )
    level_one_rate: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "levelOneRate"})
    level_one_rate_type: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "levelOneRateType"})
    level_one_services_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "levelOneServicesFlag"}
    )
    level_one_tax_code_xref: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "levelOneTaxCodeXref"})
    level_one_taxable_max: Maybe[Decimal] = attrs.field(
        default=UNSET, metadata={"wire": "levelOneTaxableMax"}
    )
    level_six_agency_xref: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "levelSixAgencyXref"})
    level_six_apply_single_unit_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "levelSixApplySingleUnitFlag"}
    )
    level_six_apply_single_unit_max: Maybe[Decimal] = attrs.field(
        default=UNSET, metadata={"wire": "levelSixApplySingleUnitMax"}
    )
    level_six_apply_single_unit_min: Maybe[Decimal] = attrs.field(
        default=UNSET, metadata={"wire": "levelSixApplySingleUnitMin"}
    )
    level_six_caption: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "levelSixCaption"})
    level_six_expenses_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "levelSixExpensesFlag"}
    )
    level_six_products_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "levelSixProductsFlag"}
    )
    level_six_rate: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "levelSixRate"})
    level_six_rate_type: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "levelSixRateType"})
    level_six_services_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "levelSixServicesFlag"}
    )
    level_six_tax_code_xref: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "levelSixTaxCodeXref"})
    level_six_taxable_max: Maybe[Decimal] = attrs.field(
        default=UNSET, metadata={"wire": "levelSixTaxableMax"}
    )
    level_three_agency_xref: Maybe[str] = attrs.field(
        default=UNSET, metadata={"wire": "levelThreeAgencyXref"}
    )
    level_three_apply_single_unit_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "levelThreeApplySingleUnitFlag"}
    )
    level_three_apply_single_unit_max: Maybe[Decimal] = attrs.field(
        default=UNSET, metadata={"wire": "levelThreeApplySingleUnitMax"}
    )
    level_three_apply_single_unit_min: Maybe[Decimal] = attrs.field(
        default=UNSET, metadata={"wire": "levelThreeApplySingleUnitMin"}
    )
    level_three_caption: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "levelThreeCaption"})
    level_three_expenses_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "levelThreeExpensesFlag"}
    )
    level_three_products_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "levelThreeProductsFlag"}
    )
    level_three_rate: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "levelThreeRate"})
    level_three_rate_type: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "levelThreeRateType"})
    level_three_services_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "levelThreeServicesFlag"}
    )
    level_three_tax_code_xref: Maybe[str] = attrs.field(
        default=UNSET, metadata={"wire": "levelThreeTaxCodeXref"}
    )
    level_three_taxable_max: Maybe[Decimal] = attrs.field(
        default=UNSET, metadata={"wire": "levelThreeTaxableMax"}
    )
    level_two_agency_xref: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "levelTwoAgencyXref"})
    level_two_apply_single_unit_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "levelTwoApplySingleUnitFlag"}
    )
    level_two_apply_single_unit_max: Maybe[Decimal] = attrs.field(
        default=UNSET, metadata={"wire": "levelTwoApplySingleUnitMax"}
    )
    level_two_apply_single_unit_min: Maybe[Decimal] = attrs.field(
        default=UNSET, metadata={"wire": "levelTwoApplySingleUnitMin"}
    )
    level_two_caption: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "levelTwoCaption"})
    level_two_expenses_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "levelTwoExpensesFlag"}
    )
    level_two_products_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "levelTwoProductsFlag"}
    )
    level_two_rate: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "levelTwoRate"})
    level_two_rate_type: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "levelTwoRateType"})
    level_two_services_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "levelTwoServicesFlag"}
    )
    level_two_tax_code_xref: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "levelTwoTaxCodeXref"})
    level_two_taxable_max: Maybe[Decimal] = attrs.field(
        default=UNSET, metadata={"wire": "levelTwoTaxableMax"}
    )
    product_type_ids: Maybe[tuple[int, ...]] = attrs.field(default=UNSET, metadata={"wire": "productTypeIds"})
    remove_all_expense_types: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "removeAllExpenseTypes"}
    )
    remove_all_product_types: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "removeAllProductTypes"}
    )
    remove_all_work_roles: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "removeAllWorkRoles"})
    work_role_ids: Maybe[tuple[int, ...]] = attrs.field(default=UNSET, metadata={"wire": "workRoleIds"})


@attrs.frozen(kw_only=True)
class TimeEntry(_Entity):
    """A time entry (``/time/entries``).

    Every field is optional (the API omits nulls); unknown fields stay in ``raw``.
    """

    id: int | None = attrs.field(default=None, metadata={"wire": "id"})
    activity: Reference | None = attrs.field(default=None, metadata={"wire": "activity"})
    actual_hours: Decimal | None = attrs.field(default=None, metadata={"wire": "actualHours"})
    add_to_detail_description_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "addToDetailDescriptionFlag"}
    )
    add_to_internal_analysis_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "addToInternalAnalysisFlag"}
    )
    add_to_resolution_flag: bool | None = attrs.field(default=None, metadata={"wire": "addToResolutionFlag"})
    adjustment: Decimal | None = attrs.field(default=None, metadata={"wire": "adjustment"})
    agreement: AgreementReference | None = attrs.field(default=None, metadata={"wire": "agreement"})
    agreement_adjustment: Decimal | None = attrs.field(default=None, metadata={"wire": "agreementAdjustment"})
    agreement_amount: Decimal | None = attrs.field(default=None, metadata={"wire": "agreementAmount"})
    agreement_hours: Decimal | None = attrs.field(default=None, metadata={"wire": "agreementHours"})
    agreement_type: str | None = attrs.field(default=None, metadata={"wire": "agreementType"})
    billable_option: str | None = attrs.field(default=None, metadata={"wire": "billableOption"})
    business_group_desc: str | None = attrs.field(default=None, metadata={"wire": "businessGroupDesc"})
    business_unit_id: int | None = attrs.field(default=None, metadata={"wire": "businessUnitId"})
    charge_to_id: int | None = attrs.field(default=None, metadata={"wire": "chargeToId"})
    charge_to_type: str | None = attrs.field(default=None, metadata={"wire": "chargeToType"})
    company: Reference | None = attrs.field(default=None, metadata={"wire": "company"})
    company_type: str | None = attrs.field(default=None, metadata={"wire": "companyType"})
    custom_fields: tuple[CustomFieldValue, ...] | None = attrs.field(
        default=None, metadata={"wire": "customFields"}
    )
    date_entered: datetime | None = attrs.field(default=None, metadata={"wire": "dateEntered"})
    department: Reference | None = attrs.field(default=None, metadata={"wire": "department"})
    email_cc: str | None = attrs.field(default=None, metadata={"wire": "emailCc"})
    email_cc_flag: bool | None = attrs.field(default=None, metadata={"wire": "emailCcFlag"})
    email_contact_flag: bool | None = attrs.field(default=None, metadata={"wire": "emailContactFlag"})
    email_resource_flag: bool | None = attrs.field(default=None, metadata={"wire": "emailResourceFlag"})
    entered_by: str | None = attrs.field(default=None, metadata={"wire": "enteredBy"})
    extended_invoice_amount: Decimal | None = attrs.field(
        default=None, metadata={"wire": "extendedInvoiceAmount"}
    )
    hourly_cost: str | None = attrs.field(default=None, metadata={"wire": "hourlyCost"})
    hourly_rate: Decimal | None = attrs.field(default=None, metadata={"wire": "hourlyRate"})
    hours_billed: Decimal | None = attrs.field(default=None, metadata={"wire": "hoursBilled"})
    hours_deduct: Decimal | None = attrs.field(default=None, metadata={"wire": "hoursDeduct"})
    internal_notes: str | None = attrs.field(default=None, metadata={"wire": "internalNotes"})
    invoice: InvoiceReference | None = attrs.field(default=None, metadata={"wire": "invoice"})
    invoice_flag: bool | None = attrs.field(default=None, metadata={"wire": "invoiceFlag"})
    invoice_hours: Decimal | None = attrs.field(default=None, metadata={"wire": "invoiceHours"})
    invoice_ready: int | None = attrs.field(default=None, metadata={"wire": "invoiceReady"})
    location: Reference | None = attrs.field(default=None, metadata={"wire": "location"})
    location_id: int | None = attrs.field(default=None, metadata={"wire": "locationId"})
    location_name: str | None = attrs.field(default=None, metadata={"wire": "locationName"})
    member: Reference | None = attrs.field(default=None, metadata={"wire": "member"})
    mobile_guid: str | None = attrs.field(default=None, metadata={"wire": "mobileGuid"})
    notes: str | None = attrs.field(default=None, metadata={"wire": "notes"})
    opportunity_recid: int | None = attrs.field(default=None, metadata={"wire": "opportunityRecid"})
    overage_rate: Decimal | None = attrs.field(default=None, metadata={"wire": "overageRate"})
    phase: Reference | None = attrs.field(default=None, metadata={"wire": "phase"})
    project: Reference | None = attrs.field(default=None, metadata={"wire": "project"})
    project_activity: str | None = attrs.field(default=None, metadata={"wire": "projectActivity"})
    status: str | None = attrs.field(default=None, metadata={"wire": "status"})
    tax_code: Reference | None = attrs.field(default=None, metadata={"wire": "taxCode"})
    territory: str | None = attrs.field(default=None, metadata={"wire": "territory"})
    ticket: TicketReference | None = attrs.field(default=None, metadata={"wire": "ticket"})
    ticket_board: str | None = attrs.field(default=None, metadata={"wire": "ticketBoard"})
    ticket_status: str | None = attrs.field(default=None, metadata={"wire": "ticketStatus"})
    ticket_sub_type: str | None = attrs.field(default=None, metadata={"wire": "ticketSubType"})
    ticket_type: str | None = attrs.field(default=None, metadata={"wire": "ticketType"})
    time_end: datetime | None = attrs.field(default=None, metadata={"wire": "timeEnd"})
    time_sheet: Reference | None = attrs.field(default=None, metadata={"wire": "timeSheet"})
    time_start: datetime | None = attrs.field(default=None, metadata={"wire": "timeStart"})
    work_role: Reference | None = attrs.field(default=None, metadata={"wire": "workRole"})
    work_type: Reference | None = attrs.field(default=None, metadata={"wire": "workType"})


@attrs.frozen(kw_only=True)
class TimeEntryUpdate(_Update):
    """A partial update of a TimeEntry (JSON Patch): ``UNSET`` leaves a field, ``None`` clears it."""

    activity: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "activity"})
    actual_hours: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "actualHours"})
    add_to_detail_description_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "addToDetailDescriptionFlag"}
    )
    add_to_internal_analysis_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "addToInternalAnalysisFlag"}
    )
    add_to_resolution_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "addToResolutionFlag"})
    adjustment: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "adjustment"})
    agreement: Maybe[AgreementReference] = attrs.field(default=UNSET, metadata={"wire": "agreement"})
    agreement_adjustment: Maybe[Decimal] = attrs.field(
        default=UNSET, metadata={"wire": "agreementAdjustment"}
    )
    agreement_amount: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "agreementAmount"})
    agreement_hours: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "agreementHours"})
    agreement_type: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "agreementType"})
    billable_option: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "billableOption"})
    business_group_desc: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "businessGroupDesc"})
    business_unit_id: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "businessUnitId"})
    charge_to_id: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "chargeToId"})
    charge_to_type: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "chargeToType"})
    company: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "company"})
    company_type: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "companyType"})
    custom_fields: Maybe[tuple[CustomFieldValue, ...]] = attrs.field(
        default=UNSET, metadata={"wire": "customFields"}
    )
    date_entered: Maybe[datetime] = attrs.field(default=UNSET, metadata={"wire": "dateEntered"})
    department: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "department"})
    email_cc: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "emailCc"})
    email_cc_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "emailCcFlag"})
    email_contact_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "emailContactFlag"})
    email_resource_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "emailResourceFlag"})
    entered_by: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "enteredBy"})
    extended_invoice_amount: Maybe[Decimal] = attrs.field(
        default=UNSET, metadata={"wire": "extendedInvoiceAmount"}
    )
    hourly_cost: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "hourlyCost"})
    hourly_rate: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "hourlyRate"})
    hours_billed: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "hoursBilled"})
    hours_deduct: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "hoursDeduct"})
    internal_notes: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "internalNotes"})
    invoice: Maybe[InvoiceReference] = attrs.field(default=UNSET, metadata={"wire": "invoice"})
    invoice_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "invoiceFlag"})
    invoice_hours: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "invoiceHours"})
    invoice_ready: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "invoiceReady"})
    location: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "location"})
    location_id: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "locationId"})
    location_name: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "locationName"})
    member: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "member"})
    mobile_guid: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "mobileGuid"})
    notes: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "notes"})
    opportunity_recid: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "opportunityRecid"})
    overage_rate: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "overageRate"})
    phase: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "phase"})
    project: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "project"})
    project_activity: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "projectActivity"})
    status: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "status"})
    tax_code: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "taxCode"})
    territory: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "territory"})
    ticket: Maybe[TicketReference] = attrs.field(default=UNSET, metadata={"wire": "ticket"})
    ticket_board: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "ticketBoard"})
    ticket_status: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "ticketStatus"})
    ticket_sub_type: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "ticketSubType"})
    ticket_type: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "ticketType"})
    time_end: Maybe[datetime] = attrs.field(default=UNSET, metadata={"wire": "timeEnd"})
    time_sheet: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "timeSheet"})
    time_start: Maybe[datetime] = attrs.field(default=UNSET, metadata={"wire": "timeStart"})
    work_role: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "workRole"})
    work_type: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "workType"})


@attrs.frozen(kw_only=True)
class Ticket(_Entity):
    """A service ticket (``/service/tickets``).

    Every field is optional (the API omits nulls); unknown fields stay in ``raw``.
    """

    id: int | None = attrs.field(default=None, metadata={"wire": "id"})
    actual_hours: Decimal | None = attrs.field(default=None, metadata={"wire": "actualHours"})
    address_line1: str | None = attrs.field(default=None, metadata={"wire": "addressLine1"})
    address_line2: str | None = attrs.field(default=None, metadata={"wire": "addressLine2"})
    agreement: AgreementReference | None = attrs.field(default=None, metadata={"wire": "agreement"})
    agreement_type: str | None = attrs.field(default=None, metadata={"wire": "agreementType"})
    allow_all_clients_portal_view: bool | None = attrs.field(
        default=None, metadata={"wire": "allowAllClientsPortalView"}
    )
    approved: bool | None = attrs.field(default=None, metadata={"wire": "approved"})
    automatic_email_cc: str | None = attrs.field(default=None, metadata={"wire": "automaticEmailCc"})
    automatic_email_cc_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "automaticEmailCcFlag"}
    )
    automatic_email_contact_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "automaticEmailContactFlag"}
    )
    automatic_email_resource_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "automaticEmailResourceFlag"}
    )
    bill_expenses: str | None = attrs.field(default=None, metadata={"wire": "billExpenses"})
    bill_products: str | None = attrs.field(default=None, metadata={"wire": "billProducts"})
    bill_time: str | None = attrs.field(default=None, metadata={"wire": "billTime"})
    billing_amount: Decimal | None = attrs.field(default=None, metadata={"wire": "billingAmount"})
    billing_method: str | None = attrs.field(default=None, metadata={"wire": "billingMethod"})
    board: Reference | None = attrs.field(default=None, metadata={"wire": "board"})
    budget_hours: Decimal | None = attrs.field(default=None, metadata={"wire": "budgetHours"})
    city: str | None = attrs.field(default=None, metadata={"wire": "city"})
    closed_by: str | None = attrs.field(default=None, metadata={"wire": "closedBy"})
    closed_date: datetime | None = attrs.field(default=None, metadata={"wire": "closedDate"})
    closed_flag: bool | None = attrs.field(default=None, metadata={"wire": "closedFlag"})
    company: Reference | None = attrs.field(default=None, metadata={"wire": "company"})
    contact: Reference | None = attrs.field(default=None, metadata={"wire": "contact"})
    contact_email_address: str | None = attrs.field(default=None, metadata={"wire": "contactEmailAddress"})
    contact_email_lookup: str | None = attrs.field(default=None, metadata={"wire": "contactEmailLookup"})
    contact_name: str | None = attrs.field(default=None, metadata={"wire": "contactName"})
    contact_phone_extension: str | None = attrs.field(
        default=None, metadata={"wire": "contactPhoneExtension"}
    )
    contact_phone_number: str | None = attrs.field(default=None, metadata={"wire": "contactPhoneNumber"})
    country: Reference | None = attrs.field(default=None, metadata={"wire": "country"})
    currency: CurrencyReference | None = attrs.field(default=None, metadata={"wire": "currency"})
    custom_fields: tuple[CustomFieldValue, ...] | None = attrs.field(
        default=None, metadata={"wire": "customFields"}
    )
    customer_updated_flag: bool | None = attrs.field(default=None, metadata={"wire": "customerUpdatedFlag"})
    date_resolved: str | None = attrs.field(default=None, metadata={"wire": "dateResolved"})
    date_resplan: str | None = attrs.field(default=None, metadata={"wire": "dateResplan"})
    date_responded: str | None = attrs.field(default=None, metadata={"wire": "dateResponded"})
    department: Reference | None = attrs.field(default=None, metadata={"wire": "department"})
    duration: int | None = attrs.field(default=None, metadata={"wire": "duration"})
    escalation_last_update_minutes: int | None = attrs.field(
        default=None, metadata={"wire": "escalationLastUpdateMinutes"}
    )
    escalation_level: int | None = attrs.field(default=None, metadata={"wire": "escalationLevel"})
    escalation_start_date_utc: datetime | None = attrs.field(
        default=None, metadata={"wire": "escalationStartDateUTC"}
    )
    estimated_expense_cost: Decimal | None = attrs.field(
        default=None, metadata={"wire": "estimatedExpenseCost"}
    )
    estimated_expense_revenue: Decimal | None = attrs.field(
        default=None, metadata={"wire": "estimatedExpenseRevenue"}
    )
    estimated_product_cost: Decimal | None = attrs.field(
        default=None, metadata={"wire": "estimatedProductCost"}
    )
    estimated_product_revenue: Decimal | None = attrs.field(
        default=None, metadata={"wire": "estimatedProductRevenue"}
    )
    estimated_start_date: datetime | None = attrs.field(default=None, metadata={"wire": "estimatedStartDate"})
    estimated_time_cost: Decimal | None = attrs.field(default=None, metadata={"wire": "estimatedTimeCost"})
    estimated_time_revenue: Decimal | None = attrs.field(
        default=None, metadata={"wire": "estimatedTimeRevenue"}
    )
    external_x_ref: str | None = attrs.field(default=None, metadata={"wire": "externalXRef"})
    has_child_ticket: bool | None = attrs.field(default=None, metadata={"wire": "hasChildTicket"})
    has_merged_child_ticket_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "hasMergedChildTicketFlag"}
    )
    hourly_rate: Decimal | None = attrs.field(default=None, metadata={"wire": "hourlyRate"})
    impact: str | None = attrs.field(default=None, metadata={"wire": "impact"})
    initial_description: str | None = attrs.field(default=None, metadata={"wire": "initialDescription"})
    initial_description_from: str | None = attrs.field(
        default=None, metadata={"wire": "initialDescriptionFrom"}
    )
    initial_internal_analysis: str | None = attrs.field(
        default=None, metadata={"wire": "initialInternalAnalysis"}
    )
    initial_resolution: str | None = attrs.field(default=None, metadata={"wire": "initialResolution"})
    integrator_tags: tuple[str, ...] | None = attrs.field(default=None, metadata={"wire": "integratorTags"})
    is_in_sla: bool | None = attrs.field(default=None, metadata={"wire": "isInSla"})
    item: Reference | None = attrs.field(default=None, metadata={"wire": "item"})
    knowledge_base_category_id: int | None = attrs.field(
        default=None, metadata={"wire": "knowledgeBaseCategoryId"}
    )
    knowledge_base_link_id: int | None = attrs.field(default=None, metadata={"wire": "knowledgeBaseLinkId"})
    knowledge_base_link_type: str | None = attrs.field(
        default=None, metadata={"wire": "knowledgeBaseLinkType"}
    )
    knowledge_base_sub_category_id: int | None = attrs.field(
        default=None, metadata={"wire": "knowledgeBaseSubCategoryId"}
    )
    lag_days: int | None = attrs.field(default=None, metadata={"wire": "lagDays"})
    lag_nonworking_days_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "lagNonworkingDaysFlag"}
    )
    location: Reference | None = attrs.field(default=None, metadata={"wire": "location"})
    merged_parent_ticket: TicketReference | None = attrs.field(
        default=None, metadata={"wire": "mergedParentTicket"}
    )
    minutes_before_waiting: int | None = attrs.field(default=None, metadata={"wire": "minutesBeforeWaiting"})
    minutes_waiting: int | None = attrs.field(default=None, metadata={"wire": "minutesWaiting"})
    mobile_guid: str | None = attrs.field(default=None, metadata={"wire": "mobileGuid"})
    opportunity: Reference | None = attrs.field(default=None, metadata={"wire": "opportunity"})
    owner: Reference | None = attrs.field(default=None, metadata={"wire": "owner"})
    parent_ticket_id: int | None = attrs.field(default=None, metadata={"wire": "parentTicketId"})
    po_number: str | None = attrs.field(default=None, metadata={"wire": "poNumber"})
    predecessor_closed_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "predecessorClosedFlag"}
    )
    predecessor_id: int | None = attrs.field(default=None, metadata={"wire": "predecessorId"})
    predecessor_type: str | None = attrs.field(default=None, metadata={"wire": "predecessorType"})
    priority: PriorityReference | None = attrs.field(default=None, metadata={"wire": "priority"})
    process_notifications: bool | None = attrs.field(default=None, metadata={"wire": "processNotifications"})
    record_type: str | None = attrs.field(default=None, metadata={"wire": "recordType"})
    request_for_change_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "requestForChangeFlag"}
    )
    required_date: datetime | None = attrs.field(default=None, metadata={"wire": "requiredDate"})
    res_plan_minutes: int | None = attrs.field(default=None, metadata={"wire": "resPlanMinutes"})
    resolution_goal_utc: datetime | None = attrs.field(default=None, metadata={"wire": "resolutionGoalUTC"})
    resolution_hours: Decimal | None = attrs.field(default=None, metadata={"wire": "resolutionHours"})
    resolve_minutes: int | None = attrs.field(default=None, metadata={"wire": "resolveMinutes"})
    resolved_by: str | None = attrs.field(default=None, metadata={"wire": "resolvedBy"})
    resources: str | None = attrs.field(default=None, metadata={"wire": "resources"})
    resplan_by: str | None = attrs.field(default=None, metadata={"wire": "resplanBy"})
    resplan_goal_utc: datetime | None = attrs.field(default=None, metadata={"wire": "resplanGoalUTC"})
    resplan_hours: Decimal | None = attrs.field(default=None, metadata={"wire": "resplanHours"})
    resplan_skipped_minutes: int | None = attrs.field(
        default=None, metadata={"wire": "resplanSkippedMinutes"}
    )
    respond_by_goal_utc: datetime | None = attrs.field(default=None, metadata={"wire": "respondByGoalUTC"})
    respond_minutes: int | None = attrs.field(default=None, metadata={"wire": "respondMinutes"})
    responded_by: str | None = attrs.field(default=None, metadata={"wire": "respondedBy"})
    responded_hours: Decimal | None = attrs.field(default=None, metadata={"wire": "respondedHours"})
    responded_skipped_minutes: int | None = attrs.field(
        default=None, metadata={"wire": "respondedSkippedMinutes"}
    )
    service_location: Reference | None = attrs.field(default=None, metadata={"wire": "serviceLocation"})
    severity: str | None = attrs.field(default=None, metadata={"wire": "severity"})
    site: Reference | None = attrs.field(default=None, metadata={"wire": "site"})
    site_name: str | None = attrs.field(default=None, metadata={"wire": "siteName"})
    skip_callback: bool | None = attrs.field(default=None, metadata={"wire": "skipCallback"})
    sla: Reference | None = attrs.field(default=None, metadata={"wire": "sla"})
    sla_status: str | None = attrs.field(default=None, metadata={"wire": "slaStatus"})
    source: Reference | None = attrs.field(default=None, metadata={"wire": "source"})
    state_identifier: str | None = attrs.field(default=None, metadata={"wire": "stateIdentifier"})
    status: Reference | None = attrs.field(default=None, metadata={"wire": "status"})
    sub_billing_amount: Decimal | None = attrs.field(default=None, metadata={"wire": "subBillingAmount"})
    sub_billing_method: str | None = attrs.field(default=None, metadata={"wire": "subBillingMethod"})
    sub_date_accepted: datetime | None = attrs.field(default=None, metadata={"wire": "subDateAccepted"})
    sub_type: Reference | None = attrs.field(default=None, metadata={"wire": "subType"})
    summary: str | None = attrs.field(default=None, metadata={"wire": "summary"})
    team: Reference | None = attrs.field(default=None, metadata={"wire": "team"})
    type: Reference | None = attrs.field(default=None, metadata={"wire": "type"})
    work_role: Reference | None = attrs.field(default=None, metadata={"wire": "workRole"})
    work_type: Reference | None = attrs.field(default=None, metadata={"wire": "workType"})
    zip: str | None = attrs.field(default=None, metadata={"wire": "zip"})


@attrs.frozen(kw_only=True)
class TicketUpdate(_Update):
    """A partial update of a Ticket (JSON Patch): ``UNSET`` leaves a field, ``None`` clears it."""

    actual_hours: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "actualHours"})
    address_line1: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "addressLine1"})
    address_line2: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "addressLine2"})
    agreement: Maybe[AgreementReference] = attrs.field(default=UNSET, metadata={"wire": "agreement"})
    agreement_type: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "agreementType"})
    allow_all_clients_portal_view: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "allowAllClientsPortalView"}
    )
    approved: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "approved"})
    automatic_email_cc: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "automaticEmailCc"})
    automatic_email_cc_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "automaticEmailCcFlag"}
    )
    automatic_email_contact_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "automaticEmailContactFlag"}
    )
    automatic_email_resource_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "automaticEmailResourceFlag"}
    )
    bill_expenses: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "billExpenses"})
    bill_products: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "billProducts"})
    bill_time: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "billTime"})
    billing_amount: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "billingAmount"})
    billing_method: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "billingMethod"})
    board: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "board"})
    budget_hours: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "budgetHours"})
    city: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "city"})
    closed_by: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "closedBy"})
    closed_date: Maybe[datetime] = attrs.field(default=UNSET, metadata={"wire": "closedDate"})
    closed_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "closedFlag"})
    company: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "company"})
    contact: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "contact"})
    contact_email_address: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "contactEmailAddress"})
    contact_email_lookup: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "contactEmailLookup"})
    contact_name: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "contactName"})
    contact_phone_extension: Maybe[str] = attrs.field(
        default=UNSET, metadata={"wire": "contactPhoneExtension"}
    )
    contact_phone_number: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "contactPhoneNumber"})
    country: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "country"})
    currency: Maybe[CurrencyReference] = attrs.field(default=UNSET, metadata={"wire": "currency"})
    custom_fields: Maybe[tuple[CustomFieldValue, ...]] = attrs.field(
        default=UNSET, metadata={"wire": "customFields"}
    )
    customer_updated_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "customerUpdatedFlag"})
    date_resolved: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "dateResolved"})
    date_resplan: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "dateResplan"})
    date_responded: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "dateResponded"})
    department: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "department"})
    duration: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "duration"})
    escalation_last_update_minutes: Maybe[int] = attrs.field(
        default=UNSET, metadata={"wire": "escalationLastUpdateMinutes"}
    )
    escalation_level: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "escalationLevel"})
    escalation_start_date_utc: Maybe[datetime] = attrs.field(
        default=UNSET, metadata={"wire": "escalationStartDateUTC"}
    )
    estimated_expense_cost: Maybe[Decimal] = attrs.field(
        default=UNSET, metadata={"wire": "estimatedExpenseCost"}
    )
    estimated_expense_revenue: Maybe[Decimal] = attrs.field(
        default=UNSET, metadata={"wire": "estimatedExpenseRevenue"}
    )
    estimated_product_cost: Maybe[Decimal] = attrs.field(
        default=UNSET, metadata={"wire": "estimatedProductCost"}
    )
    estimated_product_revenue: Maybe[Decimal] = attrs.field(
        default=UNSET, metadata={"wire": "estimatedProductRevenue"}
    )
    estimated_start_date: Maybe[datetime] = attrs.field(
        default=UNSET, metadata={"wire": "estimatedStartDate"}
    )
    estimated_time_cost: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "estimatedTimeCost"})
    estimated_time_revenue: Maybe[Decimal] = attrs.field(
        default=UNSET, metadata={"wire": "estimatedTimeRevenue"}
    )
    external_x_ref: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "externalXRef"})
    has_child_ticket: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "hasChildTicket"})
    has_merged_child_ticket_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "hasMergedChildTicketFlag"}
    )
    hourly_rate: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "hourlyRate"})
    impact: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "impact"})
    initial_description: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "initialDescription"})
    initial_description_from: Maybe[str] = attrs.field(
        default=UNSET, metadata={"wire": "initialDescriptionFrom"}
    )
    initial_internal_analysis: Maybe[str] = attrs.field(
        default=UNSET, metadata={"wire": "initialInternalAnalysis"}
    )
    initial_resolution: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "initialResolution"})
    integrator_tags: Maybe[tuple[str, ...]] = attrs.field(default=UNSET, metadata={"wire": "integratorTags"})
    is_in_sla: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "isInSla"})
    item: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "item"})
    knowledge_base_category_id: Maybe[int] = attrs.field(
        default=UNSET, metadata={"wire": "knowledgeBaseCategoryId"}
    )
    knowledge_base_link_id: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "knowledgeBaseLinkId"})
    knowledge_base_link_type: Maybe[str] = attrs.field(
        default=UNSET, metadata={"wire": "knowledgeBaseLinkType"}
    )
    knowledge_base_sub_category_id: Maybe[int] = attrs.field(
        default=UNSET, metadata={"wire": "knowledgeBaseSubCategoryId"}
    )
    lag_days: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "lagDays"})
    lag_nonworking_days_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "lagNonworkingDaysFlag"}
    )
    location: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "location"})
    merged_parent_ticket: Maybe[TicketReference] = attrs.field(
        default=UNSET, metadata={"wire": "mergedParentTicket"}
    )
    minutes_before_waiting: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "minutesBeforeWaiting"})
    minutes_waiting: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "minutesWaiting"})
    mobile_guid: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "mobileGuid"})
    opportunity: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "opportunity"})
    owner: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "owner"})
    parent_ticket_id: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "parentTicketId"})
    po_number: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "poNumber"})
    predecessor_closed_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "predecessorClosedFlag"}
    )
    predecessor_id: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "predecessorId"})
    predecessor_type: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "predecessorType"})
    priority: Maybe[PriorityReference] = attrs.field(default=UNSET, metadata={"wire": "priority"})
    process_notifications: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "processNotifications"})
    record_type: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "recordType"})
    request_for_change_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "requestForChangeFlag"}
    )
    required_date: Maybe[datetime] = attrs.field(default=UNSET, metadata={"wire": "requiredDate"})
    res_plan_minutes: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "resPlanMinutes"})
    resolution_goal_utc: Maybe[datetime] = attrs.field(default=UNSET, metadata={"wire": "resolutionGoalUTC"})
    resolution_hours: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "resolutionHours"})
    resolve_minutes: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "resolveMinutes"})
    resolved_by: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "resolvedBy"})
    resources: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "resources"})
    resplan_by: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "resplanBy"})
    resplan_goal_utc: Maybe[datetime] = attrs.field(default=UNSET, metadata={"wire": "resplanGoalUTC"})
    resplan_hours: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "resplanHours"})
    resplan_skipped_minutes: Maybe[int] = attrs.field(
        default=UNSET, metadata={"wire": "resplanSkippedMinutes"}
    )
    respond_by_goal_utc: Maybe[datetime] = attrs.field(default=UNSET, metadata={"wire": "respondByGoalUTC"})
    respond_minutes: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "respondMinutes"})
    responded_by: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "respondedBy"})
    responded_hours: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "respondedHours"})
    responded_skipped_minutes: Maybe[int] = attrs.field(
        default=UNSET, metadata={"wire": "respondedSkippedMinutes"}
    )
    service_location: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "serviceLocation"})
    severity: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "severity"})
    site: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "site"})
    site_name: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "siteName"})
    skip_callback: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "skipCallback"})
    sla: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "sla"})
    sla_status: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "slaStatus"})
    source: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "source"})
    state_identifier: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "stateIdentifier"})
    status: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "status"})
    sub_billing_amount: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "subBillingAmount"})
    sub_billing_method: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "subBillingMethod"})
    sub_date_accepted: Maybe[datetime] = attrs.field(default=UNSET, metadata={"wire": "subDateAccepted"})
    sub_type: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "subType"})
    summary: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "summary"})
    team: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "team"})
    type: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "type"})
    work_role: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "workRole"})
    work_type: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "workType"})
    zip: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "zip"})


@attrs.frozen(kw_only=True)
class Board(_Entity):
    """A service board (``/service/boards``).

    Every field is optional (the API omits nulls); unknown fields stay in ``raw``.
    """

    id: int | None = attrs.field(default=None, metadata={"wire": "id"})
    all_sort: str | None = attrs.field(default=None, metadata={"wire": "allSort"})
    auto_assign_limit_amount: int | None = attrs.field(
        default=None, metadata={"wire": "autoAssignLimitAmount"}
    )
    auto_assign_limit_flag: bool | None = attrs.field(default=None, metadata={"wire": "autoAssignLimitFlag"})
    auto_assign_new_ec_tickets_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "autoAssignNewECTicketsFlag"}
    )
    auto_assign_new_portal_tickets_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "autoAssignNewPortalTicketsFlag"}
    )
    auto_assign_new_tickets_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "autoAssignNewTicketsFlag"}
    )
    auto_assign_ticket_owner_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "autoAssignTicketOwnerFlag"}
    )
    auto_close_status: Reference | None = attrs.field(default=None, metadata={"wire": "autoCloseStatus"})
    bill_expense: str | None = attrs.field(default=None, metadata={"wire": "billExpense"})
    bill_product: str | None = attrs.field(default=None, metadata={"wire": "billProduct"})
    bill_ticket_separately_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "billTicketSeparatelyFlag"}
    )
    bill_tickets_after_closed_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "billTicketsAfterClosedFlag"}
    )
    bill_time: str | None = attrs.field(default=None, metadata={"wire": "billTime"})
    bill_unapproved_time_expense_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "billUnapprovedTimeExpenseFlag"}
    )
    board_icon: Reference | None = attrs.field(default=None, metadata={"wire": "boardIcon"})
    closed_loop_all_flag: bool | None = attrs.field(default=None, metadata={"wire": "closedLoopAllFlag"})
    closed_loop_discussions_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "closedLoopDiscussionsFlag"}
    )
    closed_loop_internal_analysis_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "closedLoopInternalAnalysisFlag"}
    )
    closed_loop_resolution_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "closedLoopResolutionFlag"}
    )
    connect_wise_id: str | None = attrs.field(default=None, metadata={"wire": "connectWiseId"})
    contact_template: Reference | None = attrs.field(default=None, metadata={"wire": "contactTemplate"})
    department: Reference | None = attrs.field(default=None, metadata={"wire": "department"})
    discussions_locked_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "discussionsLockedFlag"}
    )
    dispatch_member: Reference | None = attrs.field(default=None, metadata={"wire": "dispatchMember"})
    duty_manager_member: Reference | None = attrs.field(default=None, metadata={"wire": "dutyManagerMember"})
    email_connector_allow_reopen_closed_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "emailConnectorAllowReopenClosedFlag"}
    )
    email_connector_never_reopen_by_days_closed_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "emailConnectorNeverReopenByDaysClosedFlag"}
    )
    email_connector_never_reopen_by_days_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "emailConnectorNeverReopenByDaysFlag"}
    )
    email_connector_new_ticket_no_match_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "emailConnectorNewTicketNoMatchFlag"}
    )
    email_connector_reopen_days_closed_limit: int | None = attrs.field(
        default=None, metadata={"wire": "emailConnectorReopenDaysClosedLimit"}
    )
    email_connector_reopen_days_limit: int | None = attrs.field(
        default=None, metadata={"wire": "emailConnectorReopenDaysLimit"}
    )
    email_connector_reopen_resources_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "emailConnectorReopenResourcesFlag"}
    )
    email_connector_reopen_status: Reference | None = attrs.field(
        default=None, metadata={"wire": "emailConnectorReopenStatus"}
    )
    inactive_flag: bool | None = attrs.field(default=None, metadata={"wire": "inactiveFlag"})
    internal_analysis_sort: str | None = attrs.field(default=None, metadata={"wire": "internalAnalysisSort"})
    location: Reference | None = attrs.field(default=None, metadata={"wire": "location"})
    mark_first_note_issue_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "markFirstNoteIssueFlag"}
    )
    name: str | None = attrs.field(default=None, metadata={"wire": "name"})
    notify_email_from: str | None = attrs.field(default=None, metadata={"wire": "notifyEmailFrom"})
    notify_email_from_name: str | None = attrs.field(default=None, metadata={"wire": "notifyEmailFromName"})
    oncall_member: Reference | None = attrs.field(default=None, metadata={"wire": "oncallMember"})
    override_billing_setup_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "overrideBillingSetupFlag"}
    )
    percentage_calculation: str | None = attrs.field(default=None, metadata={"wire": "percentageCalculation"})
    problem_sort: str | None = attrs.field(default=None, metadata={"wire": "problemSort"})
    project_flag: bool | None = attrs.field(default=None, metadata={"wire": "projectFlag"})
    resolution_sort: str | None = attrs.field(default=None, metadata={"wire": "resolutionSort"})
    resource_template: Reference | None = attrs.field(default=None, metadata={"wire": "resourceTemplate"})
    restrict_board_by_default_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "restrictBoardByDefaultFlag"}
    )
    send_to_bundled_flag: bool | None = attrs.field(default=None, metadata={"wire": "sendToBundledFlag"})
    send_to_cc_flag: bool | None = attrs.field(default=None, metadata={"wire": "sendToCCFlag"})
    send_to_contact_flag: bool | None = attrs.field(default=None, metadata={"wire": "sendToContactFlag"})
    send_to_resource_flag: bool | None = attrs.field(default=None, metadata={"wire": "sendToResourceFlag"})
    service_manager_member: Reference | None = attrs.field(
        default=None, metadata={"wire": "serviceManagerMember"}
    )
    show_dependencies_flag: bool | None = attrs.field(default=None, metadata={"wire": "showDependenciesFlag"})
    show_estimates_flag: bool | None = attrs.field(default=None, metadata={"wire": "showEstimatesFlag"})
    sign_off_template: Reference | None = attrs.field(default=None, metadata={"wire": "signOffTemplate"})
    time_entry_discussion_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "timeEntryDiscussionFlag"}
    )
    time_entry_internal_analysis_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "timeEntryInternalAnalysisFlag"}
    )
    time_entry_locked_flag: bool | None = attrs.field(default=None, metadata={"wire": "timeEntryLockedFlag"})
    time_entry_resolution_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "timeEntryResolutionFlag"}
    )
    use_member_display_name_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "useMemberDisplayNameFlag"}
    )
    work_role: Reference | None = attrs.field(default=None, metadata={"wire": "workRole"})
    work_type: Reference | None = attrs.field(default=None, metadata={"wire": "workType"})


@attrs.frozen(kw_only=True)
class BoardUpdate(_Update):
    """A partial update of a Board (JSON Patch): ``UNSET`` leaves a field, ``None`` clears it."""

    all_sort: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "allSort"})
    auto_assign_limit_amount: Maybe[int] = attrs.field(
        default=UNSET, metadata={"wire": "autoAssignLimitAmount"}
    )
    auto_assign_limit_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "autoAssignLimitFlag"})
    auto_assign_new_ec_tickets_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "autoAssignNewECTicketsFlag"}
    )
    auto_assign_new_portal_tickets_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "autoAssignNewPortalTicketsFlag"}
    )
    auto_assign_new_tickets_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "autoAssignNewTicketsFlag"}
    )
    auto_assign_ticket_owner_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "autoAssignTicketOwnerFlag"}
    )
    auto_close_status: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "autoCloseStatus"})
    bill_expense: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "billExpense"})
    bill_product: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "billProduct"})
    bill_ticket_separately_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "billTicketSeparatelyFlag"}
    )
    bill_tickets_after_closed_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "billTicketsAfterClosedFlag"}
    )
    bill_time: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "billTime"})
    bill_unapproved_time_expense_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "billUnapprovedTimeExpenseFlag"}
    )
    board_icon: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "boardIcon"})
    closed_loop_all_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "closedLoopAllFlag"})
    closed_loop_discussions_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "closedLoopDiscussionsFlag"}
    )
    closed_loop_internal_analysis_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "closedLoopInternalAnalysisFlag"}
    )
    closed_loop_resolution_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "closedLoopResolutionFlag"}
    )
    connect_wise_id: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "connectWiseId"})
    contact_template: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "contactTemplate"})
    department: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "department"})
    discussions_locked_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "discussionsLockedFlag"}
    )
    dispatch_member: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "dispatchMember"})
    duty_manager_member: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "dutyManagerMember"})
    email_connector_allow_reopen_closed_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "emailConnectorAllowReopenClosedFlag"}
    )
    email_connector_never_reopen_by_days_closed_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "emailConnectorNeverReopenByDaysClosedFlag"}
    )
    email_connector_never_reopen_by_days_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "emailConnectorNeverReopenByDaysFlag"}
    )
    email_connector_new_ticket_no_match_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "emailConnectorNewTicketNoMatchFlag"}
    )
    email_connector_reopen_days_closed_limit: Maybe[int] = attrs.field(
        default=UNSET, metadata={"wire": "emailConnectorReopenDaysClosedLimit"}
    )
    email_connector_reopen_days_limit: Maybe[int] = attrs.field(
        default=UNSET, metadata={"wire": "emailConnectorReopenDaysLimit"}
    )
    email_connector_reopen_resources_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "emailConnectorReopenResourcesFlag"}
    )
    email_connector_reopen_status: Maybe[Reference] = attrs.field(
        default=UNSET, metadata={"wire": "emailConnectorReopenStatus"}
    )
    inactive_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "inactiveFlag"})
    internal_analysis_sort: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "internalAnalysisSort"})
    location: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "location"})
    mark_first_note_issue_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "markFirstNoteIssueFlag"}
    )
    name: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "name"})
    notify_email_from: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "notifyEmailFrom"})
    notify_email_from_name: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "notifyEmailFromName"})
    oncall_member: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "oncallMember"})
    override_billing_setup_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "overrideBillingSetupFlag"}
    )
    percentage_calculation: Maybe[str] = attrs.field(
        default=UNSET, metadata={"wire": "percentageCalculation"}
    )
    problem_sort: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "problemSort"})
    project_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "projectFlag"})
    resolution_sort: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "resolutionSort"})
    resource_template: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "resourceTemplate"})
    restrict_board_by_default_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "restrictBoardByDefaultFlag"}
    )
    send_to_bundled_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "sendToBundledFlag"})
    send_to_cc_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "sendToCCFlag"})
    send_to_contact_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "sendToContactFlag"})
    send_to_resource_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "sendToResourceFlag"})
    service_manager_member: Maybe[Reference] = attrs.field(
        default=UNSET, metadata={"wire": "serviceManagerMember"}
    )
    show_dependencies_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "showDependenciesFlag"}
    )
    show_estimates_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "showEstimatesFlag"})
    sign_off_template: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "signOffTemplate"})
    time_entry_discussion_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "timeEntryDiscussionFlag"}
    )
    time_entry_internal_analysis_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "timeEntryInternalAnalysisFlag"}
    )
    time_entry_locked_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "timeEntryLockedFlag"})
    time_entry_resolution_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "timeEntryResolutionFlag"}
    )
    use_member_display_name_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "useMemberDisplayNameFlag"}
    )
    work_role: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "workRole"})
    work_type: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "workType"})


@attrs.frozen(kw_only=True)
class Priority(_Entity):
    """A ticket priority (``/service/priorities``).

    Every field is optional (the API omits nulls); unknown fields stay in ``raw``.
    """

    id: int | None = attrs.field(default=None, metadata={"wire": "id"})
    color: str | None = attrs.field(default=None, metadata={"wire": "color"})
    connect_wise_id: str | None = attrs.field(default=None, metadata={"wire": "connectWiseId"})
    default_flag: bool | None = attrs.field(default=None, metadata={"wire": "defaultFlag"})
    image_link: str | None = attrs.field(default=None, metadata={"wire": "imageLink"})
    level: str | None = attrs.field(default=None, metadata={"wire": "level"})
    name: str | None = attrs.field(default=None, metadata={"wire": "name"})
    sort_order: int | None = attrs.field(default=None, metadata={"wire": "sortOrder"})
    urgency_sort_order: str | None = attrs.field(default=None, metadata={"wire": "urgencySortOrder"})


@attrs.frozen(kw_only=True)
class PriorityUpdate(_Update):
    """A partial update of a Priority (JSON Patch): ``UNSET`` leaves a field, ``None`` clears it."""

    color: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "color"})
    connect_wise_id: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "connectWiseId"})
    default_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "defaultFlag"})
    image_link: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "imageLink"})
    level: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "level"})
    name: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "name"})
    sort_order: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "sortOrder"})
    urgency_sort_order: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "urgencySortOrder"})


@attrs.frozen(kw_only=True)
class Project(_Entity):
    """A project (``/project/projects``).

    Every field is optional (the API omits nulls); unknown fields stay in ``raw``.
    """

    id: int | None = attrs.field(default=None, metadata={"wire": "id"})
    actual_end: datetime | None = attrs.field(default=None, metadata={"wire": "actualEnd"})
    actual_hours: Decimal | None = attrs.field(default=None, metadata={"wire": "actualHours"})
    actual_start: datetime | None = attrs.field(default=None, metadata={"wire": "actualStart"})
    agreement: AgreementReference | None = attrs.field(default=None, metadata={"wire": "agreement"})
    bill_expenses: str | None = attrs.field(default=None, metadata={"wire": "billExpenses"})
    bill_products: str | None = attrs.field(default=None, metadata={"wire": "billProducts"})
    bill_project_after_closed_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "billProjectAfterClosedFlag"}
    )
    bill_time: str | None = attrs.field(default=None, metadata={"wire": "billTime"})
    bill_to_company: Reference | None = attrs.field(default=None, metadata={"wire": "billToCompany"})
    bill_to_contact: Reference | None = attrs.field(default=None, metadata={"wire": "billToContact"})
    bill_to_site: Reference | None = attrs.field(default=None, metadata={"wire": "billToSite"})
    bill_unapproved_time_and_expense: bool | None = attrs.field(
        default=None, metadata={"wire": "billUnapprovedTimeAndExpense"}
    )
    billing_amount: Decimal | None = attrs.field(default=None, metadata={"wire": "billingAmount"})
    billing_attention: str | None = attrs.field(default=None, metadata={"wire": "billingAttention"})
    billing_method: str | None = attrs.field(default=None, metadata={"wire": "billingMethod"})
    billing_rate_type: str | None = attrs.field(default=None, metadata={"wire": "billingRateType"})
    billing_start_date: datetime | None = attrs.field(default=None, metadata={"wire": "billingStartDate"})
    billing_terms: Reference | None = attrs.field(default=None, metadata={"wire": "billingTerms"})
    board: Reference | None = attrs.field(default=None, metadata={"wire": "board"})
    budget_analysis: str | None = attrs.field(default=None, metadata={"wire": "budgetAnalysis"})
    budget_flag: bool | None = attrs.field(default=None, metadata={"wire": "budgetFlag"})
    budget_hours: Decimal | None = attrs.field(default=None, metadata={"wire": "budgetHours"})
    closed_flag: bool | None = attrs.field(default=None, metadata={"wire": "closedFlag"})
    company: Reference | None = attrs.field(default=None, metadata={"wire": "company"})
    company_location: Reference | None = attrs.field(default=None, metadata={"wire": "companyLocation"})
    contact: Reference | None = attrs.field(default=None, metadata={"wire": "contact"})
    currency: CurrencyReference | None = attrs.field(default=None, metadata={"wire": "currency"})
    custom_fields: tuple[CustomFieldValue, ...] | None = attrs.field(
        default=None, metadata={"wire": "customFields"}
    )
    customer_po: str | None = attrs.field(default=None, metadata={"wire": "customerPO"})
    department: Reference | None = attrs.field(default=None, metadata={"wire": "department"})
    description: str | None = attrs.field(default=None, metadata={"wire": "description"})
    do_not_display_in_portal_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "doNotDisplayInPortalFlag"}
    )
    downpayment: Decimal | None = attrs.field(default=None, metadata={"wire": "downpayment"})
    estimated_end: datetime | None = attrs.field(default=None, metadata={"wire": "estimatedEnd"})
    estimated_expense_cost: Decimal | None = attrs.field(
        default=None, metadata={"wire": "estimatedExpenseCost"}
    )
    estimated_expense_revenue: Decimal | None = attrs.field(
        default=None, metadata={"wire": "estimatedExpenseRevenue"}
    )
    estimated_hours: Decimal | None = attrs.field(default=None, metadata={"wire": "estimatedHours"})
    estimated_product_cost: Decimal | None = attrs.field(
        default=None, metadata={"wire": "estimatedProductCost"}
    )
    estimated_product_revenue: Decimal | None = attrs.field(
        default=None, metadata={"wire": "estimatedProductRevenue"}
    )
    estimated_start: datetime | None = attrs.field(default=None, metadata={"wire": "estimatedStart"})
    estimated_time_cost: Decimal | None = attrs.field(default=None, metadata={"wire": "estimatedTimeCost"})
    estimated_time_revenue: Decimal | None = attrs.field(
        default=None, metadata={"wire": "estimatedTimeRevenue"}
    )
    expense_approver: Reference | None = attrs.field(default=None, metadata={"wire": "expenseApprover"})
    include_dependencies_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "includeDependenciesFlag"}
    )
    include_estimates_flag: bool | None = attrs.field(default=None, metadata={"wire": "includeEstimatesFlag"})
    location: Reference | None = attrs.field(default=None, metadata={"wire": "location"})
    manager: Reference | None = attrs.field(default=None, metadata={"wire": "manager"})
    name: str | None = attrs.field(default=None, metadata={"wire": "name"})
    opportunity: Reference | None = attrs.field(default=None, metadata={"wire": "opportunity"})
    override_percent_complete: bool | None = attrs.field(
        default=None, metadata={"wire": "overridePercentComplete"}
    )
    percent_complete: Decimal | None = attrs.field(default=None, metadata={"wire": "percentComplete"})
    po_amount: Decimal | None = attrs.field(default=None, metadata={"wire": "poAmount"})
    project_template_id: int | None = attrs.field(default=None, metadata={"wire": "projectTemplateId"})
    restrict_down_payment_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "restrictDownPaymentFlag"}
    )
    scheduled_end: datetime | None = attrs.field(default=None, metadata={"wire": "scheduledEnd"})
    scheduled_hours: Decimal | None = attrs.field(default=None, metadata={"wire": "scheduledHours"})
    scheduled_start: datetime | None = attrs.field(default=None, metadata={"wire": "scheduledStart"})
    ship_to_company: Reference | None = attrs.field(default=None, metadata={"wire": "shipToCompany"})
    ship_to_contact: Reference | None = attrs.field(default=None, metadata={"wire": "shipToContact"})
    ship_to_site: Reference | None = attrs.field(default=None, metadata={"wire": "shipToSite"})
    show_override_percent_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "showOverridePercentFlag"}
    )
    site: Reference | None = attrs.field(default=None, metadata={"wire": "site"})
    status: Reference | None = attrs.field(default=None, metadata={"wire": "status"})
    tax_code: Reference | None = attrs.field(default=None, metadata={"wire": "taxCode"})
    time_approver: Reference | None = attrs.field(default=None, metadata={"wire": "timeApprover"})
    type: Reference | None = attrs.field(default=None, metadata={"wire": "type"})


@attrs.frozen(kw_only=True)
class ProjectUpdate(_Update):
    """A partial update of a Project (JSON Patch): ``UNSET`` leaves a field, ``None`` clears it."""

    actual_end: Maybe[datetime] = attrs.field(default=UNSET, metadata={"wire": "actualEnd"})
    actual_hours: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "actualHours"})
    actual_start: Maybe[datetime] = attrs.field(default=UNSET, metadata={"wire": "actualStart"})
    agreement: Maybe[AgreementReference] = attrs.field(default=UNSET, metadata={"wire": "agreement"})
    bill_expenses: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "billExpenses"})
    bill_products: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "billProducts"})
    bill_project_after_closed_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "billProjectAfterClosedFlag"}
    )
    bill_time: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "billTime"})
    bill_to_company: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "billToCompany"})
    bill_to_contact: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "billToContact"})
    bill_to_site: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "billToSite"})
    bill_unapproved_time_and_expense: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "billUnapprovedTimeAndExpense"}
    )
    billing_amount: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "billingAmount"})
    billing_attention: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "billingAttention"})
    billing_method: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "billingMethod"})
    billing_rate_type: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "billingRateType"})
    billing_start_date: Maybe[datetime] = attrs.field(default=UNSET, metadata={"wire": "billingStartDate"})
    billing_terms: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "billingTerms"})
    board: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "board"})
    budget_analysis: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "budgetAnalysis"})
    budget_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "budgetFlag"})
    budget_hours: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "budgetHours"})
    closed_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "closedFlag"})
    company: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "company"})
    company_location: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "companyLocation"})
    contact: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "contact"})
    currency: Maybe[CurrencyReference] = attrs.field(default=UNSET, metadata={"wire": "currency"})
    custom_fields: Maybe[tuple[CustomFieldValue, ...]] = attrs.field(
        default=UNSET, metadata={"wire": "customFields"}
    )
    customer_po: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "customerPO"})
    department: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "department"})
    description: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "description"})
    do_not_display_in_portal_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "doNotDisplayInPortalFlag"}
    )
    downpayment: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "downpayment"})
    estimated_end: Maybe[datetime] = attrs.field(default=UNSET, metadata={"wire": "estimatedEnd"})
    estimated_expense_cost: Maybe[Decimal] = attrs.field(
        default=UNSET, metadata={"wire": "estimatedExpenseCost"}
    )
    estimated_expense_revenue: Maybe[Decimal] = attrs.field(
        default=UNSET, metadata={"wire": "estimatedExpenseRevenue"}
    )
    estimated_hours: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "estimatedHours"})
    estimated_product_cost: Maybe[Decimal] = attrs.field(
        default=UNSET, metadata={"wire": "estimatedProductCost"}
    )
    estimated_product_revenue: Maybe[Decimal] = attrs.field(
        default=UNSET, metadata={"wire": "estimatedProductRevenue"}
    )
    estimated_start: Maybe[datetime] = attrs.field(default=UNSET, metadata={"wire": "estimatedStart"})
    estimated_time_cost: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "estimatedTimeCost"})
    estimated_time_revenue: Maybe[Decimal] = attrs.field(
        default=UNSET, metadata={"wire": "estimatedTimeRevenue"}
    )
    expense_approver: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "expenseApprover"})
    include_dependencies_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "includeDependenciesFlag"}
    )
    include_estimates_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "includeEstimatesFlag"}
    )
    location: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "location"})
    manager: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "manager"})
    name: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "name"})
    opportunity: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "opportunity"})
    override_percent_complete: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "overridePercentComplete"}
    )
    percent_complete: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "percentComplete"})
    po_amount: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "poAmount"})
    project_template_id: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "projectTemplateId"})
    restrict_down_payment_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "restrictDownPaymentFlag"}
    )
    scheduled_end: Maybe[datetime] = attrs.field(default=UNSET, metadata={"wire": "scheduledEnd"})
    scheduled_hours: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "scheduledHours"})
    scheduled_start: Maybe[datetime] = attrs.field(default=UNSET, metadata={"wire": "scheduledStart"})
    ship_to_company: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "shipToCompany"})
    ship_to_contact: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "shipToContact"})
    ship_to_site: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "shipToSite"})
    show_override_percent_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "showOverridePercentFlag"}
    )
    site: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "site"})
    status: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "status"})
    tax_code: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "taxCode"})
    time_approver: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "timeApprover"})
    type: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "type"})


@attrs.frozen(kw_only=True)
class PurchaseOrder(_Entity):
    """A purchase order (``/procurement/purchaseorders``).

    Every field is optional (the API omits nulls); unknown fields stay in ``raw``.
    """

    id: int | None = attrs.field(default=None, metadata={"wire": "id"})
    business_unit: Reference | None = attrs.field(default=None, metadata={"wire": "businessUnit"})
    business_unit_id: int | None = attrs.field(default=None, metadata={"wire": "businessUnitId"})
    cancel_reason: str | None = attrs.field(default=None, metadata={"wire": "cancelReason"})
    closed_by: str | None = attrs.field(default=None, metadata={"wire": "closedBy"})
    closed_flag: bool | None = attrs.field(default=None, metadata={"wire": "closedFlag"})
    currency: CurrencyReference | None = attrs.field(default=None, metadata={"wire": "currency"})
    custom_fields: tuple[CustomFieldValue, ...] | None = attrs.field(
        default=None, metadata={"wire": "customFields"}
    )
    customer_city: str | None = attrs.field(default=None, metadata={"wire": "customerCity"})
    customer_company: Reference | None = attrs.field(default=None, metadata={"wire": "customerCompany"})
    customer_contact: Reference | None = attrs.field(default=None, metadata={"wire": "customerContact"})
    customer_country: Reference | None = attrs.field(default=None, metadata={"wire": "customerCountry"})
    customer_extension: str | None = attrs.field(default=None, metadata={"wire": "customerExtension"})
    customer_name: str | None = attrs.field(default=None, metadata={"wire": "customerName"})
    customer_phone: str | None = attrs.field(default=None, metadata={"wire": "customerPhone"})
    customer_site: Reference | None = attrs.field(default=None, metadata={"wire": "customerSite"})
    customer_site_name: str | None = attrs.field(default=None, metadata={"wire": "customerSiteName"})
    customer_state: str | None = attrs.field(default=None, metadata={"wire": "customerState"})
    customer_street_line1: str | None = attrs.field(default=None, metadata={"wire": "customerStreetLine1"})
    customer_street_line2: str | None = attrs.field(default=None, metadata={"wire": "customerStreetLine2"})
    customer_zip: str | None = attrs.field(default=None, metadata={"wire": "customerZip"})
    date_closed: datetime | None = attrs.field(default=None, metadata={"wire": "dateClosed"})
    drop_ship_customer_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "dropShipCustomerFlag"}
    )
    entered_by: str | None = attrs.field(default=None, metadata={"wire": "enteredBy"})
    freight_cost: Decimal | None = attrs.field(default=None, metadata={"wire": "freightCost"})
    freight_packing_slip: str | None = attrs.field(default=None, metadata={"wire": "freightPackingSlip"})
    freight_tax_total: Decimal | None = attrs.field(default=None, metadata={"wire": "freightTaxTotal"})
    internal_notes: str | None = attrs.field(default=None, metadata={"wire": "internalNotes"})
    location: Reference | None = attrs.field(default=None, metadata={"wire": "location"})
    location_id: int | None = attrs.field(default=None, metadata={"wire": "locationId"})
    po_date: datetime | None = attrs.field(default=None, metadata={"wire": "poDate"})
    po_number: str | None = attrs.field(default=None, metadata={"wire": "poNumber"})
    sales_tax: Decimal | None = attrs.field(default=None, metadata={"wire": "salesTax"})
    shipment_date: datetime | None = attrs.field(default=None, metadata={"wire": "shipmentDate"})
    shipment_method: Reference | None = attrs.field(default=None, metadata={"wire": "shipmentMethod"})
    shipping_instructions: str | None = attrs.field(default=None, metadata={"wire": "shippingInstructions"})
    status: Reference | None = attrs.field(default=None, metadata={"wire": "status"})
    sub_total: Decimal | None = attrs.field(default=None, metadata={"wire": "subTotal"})
    tax_code: Reference | None = attrs.field(default=None, metadata={"wire": "taxCode"})
    tax_freight_flag: bool | None = attrs.field(default=None, metadata={"wire": "taxFreightFlag"})
    tax_po_flag: bool | None = attrs.field(default=None, metadata={"wire": "taxPoFlag"})
    terms: Reference | None = attrs.field(default=None, metadata={"wire": "terms"})
    total: Decimal | None = attrs.field(default=None, metadata={"wire": "total"})
    tracking_number: str | None = attrs.field(default=None, metadata={"wire": "trackingNumber"})
    update_shipment_info: bool | None = attrs.field(default=None, metadata={"wire": "updateShipmentInfo"})
    update_vendor_order_number: bool | None = attrs.field(
        default=None, metadata={"wire": "updateVendorOrderNumber"}
    )
    vendor_company: Reference | None = attrs.field(default=None, metadata={"wire": "vendorCompany"})
    vendor_contact: Reference | None = attrs.field(default=None, metadata={"wire": "vendorContact"})
    vendor_invoice_date: datetime | None = attrs.field(default=None, metadata={"wire": "vendorInvoiceDate"})
    vendor_invoice_number: str | None = attrs.field(default=None, metadata={"wire": "vendorInvoiceNumber"})
    vendor_order_number: str | None = attrs.field(default=None, metadata={"wire": "vendorOrderNumber"})
    vendor_site: Reference | None = attrs.field(default=None, metadata={"wire": "vendorSite"})
    warehouse: Reference | None = attrs.field(default=None, metadata={"wire": "warehouse"})
    warehouse_contact: Reference | None = attrs.field(default=None, metadata={"wire": "warehouseContact"})


@attrs.frozen(kw_only=True)
class PurchaseOrderUpdate(_Update):
    """A partial update of a PurchaseOrder (JSON Patch): ``UNSET`` leaves a field, ``None`` clears it."""

    business_unit: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "businessUnit"})
    business_unit_id: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "businessUnitId"})
    cancel_reason: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "cancelReason"})
    closed_by: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "closedBy"})
    closed_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "closedFlag"})
    currency: Maybe[CurrencyReference] = attrs.field(default=UNSET, metadata={"wire": "currency"})
    custom_fields: Maybe[tuple[CustomFieldValue, ...]] = attrs.field(
        default=UNSET, metadata={"wire": "customFields"}
    )
    customer_city: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "customerCity"})
    customer_company: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "customerCompany"})
    customer_contact: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "customerContact"})
    customer_country: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "customerCountry"})
    customer_extension: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "customerExtension"})
    customer_name: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "customerName"})
    customer_phone: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "customerPhone"})
    customer_site: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "customerSite"})
    customer_site_name: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "customerSiteName"})
    customer_state: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "customerState"})
    customer_street_line1: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "customerStreetLine1"})
    customer_street_line2: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "customerStreetLine2"})
    customer_zip: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "customerZip"})
    date_closed: Maybe[datetime] = attrs.field(default=UNSET, metadata={"wire": "dateClosed"})
    drop_ship_customer_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "dropShipCustomerFlag"}
    )
    entered_by: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "enteredBy"})
    freight_cost: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "freightCost"})
    freight_packing_slip: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "freightPackingSlip"})
    freight_tax_total: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "freightTaxTotal"})
    internal_notes: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "internalNotes"})
    location: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "location"})
    location_id: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "locationId"})
    po_date: Maybe[datetime] = attrs.field(default=UNSET, metadata={"wire": "poDate"})
    po_number: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "poNumber"})
    sales_tax: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "salesTax"})
    shipment_date: Maybe[datetime] = attrs.field(default=UNSET, metadata={"wire": "shipmentDate"})
    shipment_method: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "shipmentMethod"})
    shipping_instructions: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "shippingInstructions"})
    status: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "status"})
    sub_total: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "subTotal"})
    tax_code: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "taxCode"})
    tax_freight_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "taxFreightFlag"})
    tax_po_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "taxPoFlag"})
    terms: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "terms"})
    total: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "total"})
    tracking_number: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "trackingNumber"})
    update_shipment_info: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "updateShipmentInfo"})
    update_vendor_order_number: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "updateVendorOrderNumber"}
    )
    vendor_company: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "vendorCompany"})
    vendor_contact: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "vendorContact"})
    vendor_invoice_date: Maybe[datetime] = attrs.field(default=UNSET, metadata={"wire": "vendorInvoiceDate"})
    vendor_invoice_number: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "vendorInvoiceNumber"})
    vendor_order_number: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "vendorOrderNumber"})
    vendor_site: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "vendorSite"})
    warehouse: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "warehouse"})
    warehouse_contact: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "warehouseContact"})


@attrs.frozen(kw_only=True)
class CatalogItem(_Entity):
    """A catalog item (``/procurement/catalog``).

    Every field is optional (the API omits nulls); unknown fields stay in ``raw``.
    """

    id: int | None = attrs.field(default=None, metadata={"wire": "id"})
    agreement_type: Reference | None = attrs.field(default=None, metadata={"wire": "agreementType"})
    auto_update_unit_cost_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "autoUpdateUnitCostFlag"}
    )
    auto_update_unit_price_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "autoUpdateUnitPriceFlag"}
    )
    billable_option: str | None = attrs.field(default=None, metadata={"wire": "billableOption"})
    calculated_cost: Decimal | None = attrs.field(default=None, metadata={"wire": "calculatedCost"})
    calculated_cost_flag: bool | None = attrs.field(default=None, metadata={"wire": "calculatedCostFlag"})
    calculated_price: Decimal | None = attrs.field(default=None, metadata={"wire": "calculatedPrice"})
    calculated_price_flag: bool | None = attrs.field(default=None, metadata={"wire": "calculatedPriceFlag"})
    category: Reference | None = attrs.field(default=None, metadata={"wire": "category"})
    connect_wise_id: str | None = attrs.field(default=None, metadata={"wire": "connectWiseID"})
    cost: Decimal | None = attrs.field(default=None, metadata={"wire": "cost"})
    custom_fields: tuple[CustomFieldValue, ...] | None = attrs.field(
        default=None, metadata={"wire": "customFields"}
    )
    customer_description: str | None = attrs.field(default=None, metadata={"wire": "customerDescription"})
    description: str | None = attrs.field(default=None, metadata={"wire": "description"})
    drop_ship_flag: bool | None = attrs.field(default=None, metadata={"wire": "dropShipFlag"})
    entity_type: Reference | None = attrs.field(default=None, metadata={"wire": "entityType"})
    identifier: str | None = attrs.field(default=None, metadata={"wire": "identifier"})
    inactive_flag: bool | None = attrs.field(default=None, metadata={"wire": "inactiveFlag"})
    integration_x_ref: str | None = attrs.field(default=None, metadata={"wire": "integrationXRef"})
    manufacturer: Reference | None = attrs.field(default=None, metadata={"wire": "manufacturer"})
    manufacturer_part_number: str | None = attrs.field(
        default=None, metadata={"wire": "manufacturerPartNumber"}
    )
    markup_flag: bool | None = attrs.field(default=None, metadata={"wire": "markupFlag"})
    markup_percentage: Decimal | None = attrs.field(default=None, metadata={"wire": "markupPercentage"})
    min_stock_level: int | None = attrs.field(default=None, metadata={"wire": "minStockLevel"})
    notes: str | None = attrs.field(default=None, metadata={"wire": "notes"})
    phase_product_flag: bool | None = attrs.field(default=None, metadata={"wire": "phaseProductFlag"})
    price: Decimal | None = attrs.field(default=None, metadata={"wire": "price"})
    price_attribute: str | None = attrs.field(default=None, metadata={"wire": "priceAttribute"})
    product_class: str | None = attrs.field(default=None, metadata={"wire": "productClass"})
    recurring_bill_cycle: Reference | None = attrs.field(
        default=None, metadata={"wire": "recurringBillCycle"}
    )
    recurring_cost: Decimal | None = attrs.field(default=None, metadata={"wire": "recurringCost"})
    recurring_cycle_type: str | None = attrs.field(default=None, metadata={"wire": "recurringCycleType"})
    recurring_flag: bool | None = attrs.field(default=None, metadata={"wire": "recurringFlag"})
    recurring_one_time_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "recurringOneTimeFlag"}
    )
    recurring_revenue: Decimal | None = attrs.field(default=None, metadata={"wire": "recurringRevenue"})
    serialized_cost_flag: bool | None = attrs.field(default=None, metadata={"wire": "serializedCostFlag"})
    serialized_flag: bool | None = attrs.field(default=None, metadata={"wire": "serializedFlag"})
    sla: Reference | None = attrs.field(default=None, metadata={"wire": "sla"})
    special_order_flag: bool | None = attrs.field(default=None, metadata={"wire": "specialOrderFlag"})
    subcategory: Reference | None = attrs.field(default=None, metadata={"wire": "subcategory"})
    taxable_flag: bool | None = attrs.field(default=None, metadata={"wire": "taxableFlag"})
    type: Reference | None = attrs.field(default=None, metadata={"wire": "type"})
    unit_of_measure: Reference | None = attrs.field(default=None, metadata={"wire": "unitOfMeasure"})
    vendor: Reference | None = attrs.field(default=None, metadata={"wire": "vendor"})
    vendor_sku: str | None = attrs.field(default=None, metadata={"wire": "vendorSku"})


@attrs.frozen(kw_only=True)
class CatalogItemUpdate(_Update):
    """A partial update of a CatalogItem (JSON Patch): ``UNSET`` leaves a field, ``None`` clears it."""

    agreement_type: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "agreementType"})
    auto_update_unit_cost_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "autoUpdateUnitCostFlag"}
    )
    auto_update_unit_price_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "autoUpdateUnitPriceFlag"}
    )
    billable_option: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "billableOption"})
    calculated_cost: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "calculatedCost"})
    calculated_cost_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "calculatedCostFlag"})
    calculated_price: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "calculatedPrice"})
    calculated_price_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "calculatedPriceFlag"})
    category: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "category"})
    connect_wise_id: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "connectWiseID"})
    cost: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "cost"})
    custom_fields: Maybe[tuple[CustomFieldValue, ...]] = attrs.field(
        default=UNSET, metadata={"wire": "customFields"}
    )
    customer_description: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "customerDescription"})
    description: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "description"})
    drop_ship_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "dropShipFlag"})
    entity_type: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "entityType"})
    identifier: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "identifier"})
    inactive_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "inactiveFlag"})
    integration_x_ref: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "integrationXRef"})
    manufacturer: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "manufacturer"})
    manufacturer_part_number: Maybe[str] = attrs.field(
        default=UNSET, metadata={"wire": "manufacturerPartNumber"}
    )
    markup_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "markupFlag"})
    markup_percentage: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "markupPercentage"})
    min_stock_level: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "minStockLevel"})
    notes: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "notes"})
    phase_product_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "phaseProductFlag"})
    price: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "price"})
    price_attribute: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "priceAttribute"})
    product_class: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "productClass"})
    recurring_bill_cycle: Maybe[Reference] = attrs.field(
        default=UNSET, metadata={"wire": "recurringBillCycle"}
    )
    recurring_cost: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "recurringCost"})
    recurring_cycle_type: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "recurringCycleType"})
    recurring_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "recurringFlag"})
    recurring_one_time_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "recurringOneTimeFlag"}
    )
    recurring_revenue: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "recurringRevenue"})
    serialized_cost_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "serializedCostFlag"})
    serialized_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "serializedFlag"})
    sla: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "sla"})
    special_order_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "specialOrderFlag"})
    subcategory: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "subcategory"})
    taxable_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "taxableFlag"})
    type: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "type"})
    unit_of_measure: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "unitOfMeasure"})
    vendor: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "vendor"})
    vendor_sku: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "vendorSku"})


@attrs.frozen(kw_only=True)
class ProductItem(_Entity):
    """A product item (``/procurement/products``).

    Every field is optional (the API omits nulls); unknown fields stay in ``raw``.
    """

    id: int | None = attrs.field(default=None, metadata={"wire": "id"})
    add_components_flag: bool | None = attrs.field(default=None, metadata={"wire": "addComponentsFlag"})
    agreement: AgreementReference | None = attrs.field(default=None, metadata={"wire": "agreement"})
    agreement_amount: Decimal | None = attrs.field(default=None, metadata={"wire": "agreementAmount"})
    asio_subscriptions_id: str | None = attrs.field(default=None, metadata={"wire": "asioSubscriptionsID"})
    billable_option: str | None = attrs.field(default=None, metadata={"wire": "billableOption"})
    business_unit: Reference | None = attrs.field(default=None, metadata={"wire": "businessUnit"})
    business_unit_id: int | None = attrs.field(default=None, metadata={"wire": "businessUnitId"})
    bypass_forecast_update: bool | None = attrs.field(default=None, metadata={"wire": "bypassForecastUpdate"})
    calculated_cost: Decimal | None = attrs.field(default=None, metadata={"wire": "calculatedCost"})
    calculated_cost_flag: bool | None = attrs.field(default=None, metadata={"wire": "calculatedCostFlag"})
    calculated_price: Decimal | None = attrs.field(default=None, metadata={"wire": "calculatedPrice"})
    calculated_price_flag: bool | None = attrs.field(default=None, metadata={"wire": "calculatedPriceFlag"})
    cancelled_by: int | None = attrs.field(default=None, metadata={"wire": "cancelledBy"})
    cancelled_date: datetime | None = attrs.field(default=None, metadata={"wire": "cancelledDate"})
    cancelled_flag: bool | None = attrs.field(default=None, metadata={"wire": "cancelledFlag"})
    cancelled_reason: str | None = attrs.field(default=None, metadata={"wire": "cancelledReason"})
    catalog_item: Reference | None = attrs.field(default=None, metadata={"wire": "catalogItem"})
    company: Reference | None = attrs.field(default=None, metadata={"wire": "company"})
    cost: Decimal | None = attrs.field(default=None, metadata={"wire": "cost"})
    custom_fields: tuple[CustomFieldValue, ...] | None = attrs.field(
        default=None, metadata={"wire": "customFields"}
    )
    customer_description: str | None = attrs.field(default=None, metadata={"wire": "customerDescription"})
    description: str | None = attrs.field(default=None, metadata={"wire": "description"})
    discount: Decimal | None = attrs.field(default=None, metadata={"wire": "discount"})
    dropship_flag: bool | None = attrs.field(default=None, metadata={"wire": "dropshipFlag"})
    entity_type: Reference | None = attrs.field(default=None, metadata={"wire": "entityType"})
    ext_cost: Decimal | None = attrs.field(default=None, metadata={"wire": "extCost"})
    ext_price: Decimal | None = attrs.field(default=None, metadata={"wire": "extPrice"})
    forecast_detail_id: int | None = attrs.field(default=None, metadata={"wire": "forecastDetailId"})
    forecast_status: Reference | None = attrs.field(default=None, metadata={"wire": "forecastStatus"})
    ignore_pricing_schedules_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "ignorePricingSchedulesFlag"}
    )
    integration_x_ref: str | None = attrs.field(default=None, metadata={"wire": "integrationXRef"})
    internal_notes: str | None = attrs.field(default=None, metadata={"wire": "internalNotes"})
    invoice: InvoiceReference | None = attrs.field(default=None, metadata={"wire": "invoice"})
    invoice_grouping: Reference | None = attrs.field(default=None, metadata={"wire": "invoiceGrouping"})
    list_price: Decimal | None = attrs.field(default=None, metadata={"wire": "listPrice"})
    location: Reference | None = attrs.field(default=None, metadata={"wire": "location"})
    location_id: int | None = attrs.field(default=None, metadata={"wire": "locationId"})
    margin: Decimal | None = attrs.field(default=None, metadata={"wire": "margin"})
    minimum_stock_flag: bool | None = attrs.field(default=None, metadata={"wire": "minimumStockFlag"})
    need_to_order_quantity: int | None = attrs.field(default=None, metadata={"wire": "needToOrderQuantity"})
    need_to_purchase_flag: bool | None = attrs.field(default=None, metadata={"wire": "needToPurchaseFlag"})
    opportunity: Reference | None = attrs.field(default=None, metadata={"wire": "opportunity"})
    phase: Reference | None = attrs.field(default=None, metadata={"wire": "phase"})
    phase_product_flag: bool | None = attrs.field(default=None, metadata={"wire": "phaseProductFlag"})
    po_approved_flag: bool | None = attrs.field(default=None, metadata={"wire": "poApprovedFlag"})
    price: Decimal | None = attrs.field(default=None, metadata={"wire": "price"})
    price_method: str | None = attrs.field(default=None, metadata={"wire": "priceMethod"})
    product_class: str | None = attrs.field(default=None, metadata={"wire": "productClass"})
    product_supplied_flag: bool | None = attrs.field(default=None, metadata={"wire": "productSuppliedFlag"})
    project: Reference | None = attrs.field(default=None, metadata={"wire": "project"})
    purchase_date: datetime | None = attrs.field(default=None, metadata={"wire": "purchaseDate"})
    quantity: Decimal | None = attrs.field(default=None, metadata={"wire": "quantity"})
    quantity_cancelled: Decimal | None = attrs.field(default=None, metadata={"wire": "quantityCancelled"})
    recurring: Mapping[str, Any] | None = attrs.field(default=None, metadata={"wire": "recurring"})
    sales_order: Reference | None = attrs.field(default=None, metadata={"wire": "salesOrder"})
    sequence_number: Decimal | None = attrs.field(default=None, metadata={"wire": "sequenceNumber"})
    serial_number_ids: tuple[int, ...] | None = attrs.field(
        default=None, metadata={"wire": "serialNumberIds"}
    )
    serial_numbers: tuple[str, ...] | None = attrs.field(default=None, metadata={"wire": "serialNumbers"})
    ship_set: str | None = attrs.field(default=None, metadata={"wire": "shipSet"})
    sla: Reference | None = attrs.field(default=None, metadata={"wire": "sla"})
    special_order_flag: bool | None = attrs.field(default=None, metadata={"wire": "specialOrderFlag"})
    sub_contractor_amount_limit: Decimal | None = attrs.field(
        default=None, metadata={"wire": "subContractorAmountLimit"}
    )
    sub_contractor_ship_to_id: int | None = attrs.field(
        default=None, metadata={"wire": "subContractorShipToId"}
    )
    tax_code: Reference | None = attrs.field(default=None, metadata={"wire": "taxCode"})
    taxable_flag: bool | None = attrs.field(default=None, metadata={"wire": "taxableFlag"})
    ticket: TicketReference | None = attrs.field(default=None, metadata={"wire": "ticket"})
    unit_of_measure: Reference | None = attrs.field(default=None, metadata={"wire": "unitOfMeasure"})
    uom: str | None = attrs.field(default=None, metadata={"wire": "uom"})
    vendor: Reference | None = attrs.field(default=None, metadata={"wire": "vendor"})
    vendor_sku: str | None = attrs.field(default=None, metadata={"wire": "vendorSku"})
    warehouse: str | None = attrs.field(default=None, metadata={"wire": "warehouse"})
    warehouse_bin: str | None = attrs.field(default=None, metadata={"wire": "warehouseBin"})
    warehouse_bin_id: int | None = attrs.field(default=None, metadata={"wire": "warehouseBinId"})
    warehouse_bin_id_object: Reference | None = attrs.field(
        default=None, metadata={"wire": "warehouseBinIdObject"}
    )
    warehouse_id: int | None = attrs.field(default=None, metadata={"wire": "warehouseId"})
    warehouse_id_object: Reference | None = attrs.field(default=None, metadata={"wire": "warehouseIdObject"})


@attrs.frozen(kw_only=True)
class ProductItemUpdate(_Update):
    """A partial update of a ProductItem (JSON Patch): ``UNSET`` leaves a field, ``None`` clears it."""

    add_components_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "addComponentsFlag"})
    agreement: Maybe[AgreementReference] = attrs.field(default=UNSET, metadata={"wire": "agreement"})
    agreement_amount: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "agreementAmount"})
    asio_subscriptions_id: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "asioSubscriptionsID"})
    billable_option: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "billableOption"})
    business_unit: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "businessUnit"})
    business_unit_id: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "businessUnitId"})
    bypass_forecast_update: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "bypassForecastUpdate"}
    )
    calculated_cost: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "calculatedCost"})
    calculated_cost_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "calculatedCostFlag"})
    calculated_price: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "calculatedPrice"})
    calculated_price_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "calculatedPriceFlag"})
    cancelled_by: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "cancelledBy"})
    cancelled_date: Maybe[datetime] = attrs.field(default=UNSET, metadata={"wire": "cancelledDate"})
    cancelled_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "cancelledFlag"})
    cancelled_reason: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "cancelledReason"})
    catalog_item: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "catalogItem"})
    company: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "company"})
    cost: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "cost"})
    custom_fields: Maybe[tuple[CustomFieldValue, ...]] = attrs.field(
        default=UNSET, metadata={"wire": "customFields"}
    )
    customer_description: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "customerDescription"})
    description: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "description"})
    discount: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "discount"})
    dropship_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "dropshipFlag"})
    entity_type: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "entityType"})
    ext_cost: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "extCost"})
    ext_price: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "extPrice"})
    forecast_detail_id: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "forecastDetailId"})
    forecast_status: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "forecastStatus"})
    ignore_pricing_schedules_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "ignorePricingSchedulesFlag"}
    )
    integration_x_ref: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "integrationXRef"})
    internal_notes: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "internalNotes"})
    invoice: Maybe[InvoiceReference] = attrs.field(default=UNSET, metadata={"wire": "invoice"})
    invoice_grouping: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "invoiceGrouping"})
    list_price: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "listPrice"})
    location: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "location"})
    location_id: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "locationId"})
    margin: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "margin"})
    minimum_stock_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "minimumStockFlag"})
    need_to_order_quantity: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "needToOrderQuantity"})
    need_to_purchase_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "needToPurchaseFlag"})
    opportunity: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "opportunity"})
    phase: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "phase"})
    phase_product_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "phaseProductFlag"})
    po_approved_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "poApprovedFlag"})
    price: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "price"})
    price_method: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "priceMethod"})
    product_class: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "productClass"})
    product_supplied_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "productSuppliedFlag"})
    project: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "project"})
    purchase_date: Maybe[datetime] = attrs.field(default=UNSET, metadata={"wire": "purchaseDate"})
    quantity: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "quantity"})
    quantity_cancelled: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "quantityCancelled"})
    recurring: Maybe[Mapping[str, Any]] = attrs.field(default=UNSET, metadata={"wire": "recurring"})
    sales_order: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "salesOrder"})
    sequence_number: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "sequenceNumber"})
    serial_number_ids: Maybe[tuple[int, ...]] = attrs.field(
        default=UNSET, metadata={"wire": "serialNumberIds"}
    )
    serial_numbers: Maybe[tuple[str, ...]] = attrs.field(default=UNSET, metadata={"wire": "serialNumbers"})
    ship_set: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "shipSet"})
    sla: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "sla"})
    special_order_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "specialOrderFlag"})
    sub_contractor_amount_limit: Maybe[Decimal] = attrs.field(
        default=UNSET, metadata={"wire": "subContractorAmountLimit"}
    )
    sub_contractor_ship_to_id: Maybe[int] = attrs.field(
        default=UNSET, metadata={"wire": "subContractorShipToId"}
    )
    tax_code: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "taxCode"})
    taxable_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "taxableFlag"})
    ticket: Maybe[TicketReference] = attrs.field(default=UNSET, metadata={"wire": "ticket"})
    unit_of_measure: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "unitOfMeasure"})
    uom: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "uom"})
    vendor: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "vendor"})
    vendor_sku: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "vendorSku"})
    warehouse: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "warehouse"})
    warehouse_bin: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "warehouseBin"})
    warehouse_bin_id: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "warehouseBinId"})
    warehouse_bin_id_object: Maybe[Reference] = attrs.field(
        default=UNSET, metadata={"wire": "warehouseBinIdObject"}
    )
    warehouse_id: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "warehouseId"})
    warehouse_id_object: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "warehouseIdObject"})


@attrs.frozen(kw_only=True)
class Opportunity(_Entity):
    """An opportunity (``/sales/opportunities``).

    Every field is optional (the API omits nulls); unknown fields stay in ``raw``.
    """

    id: int | None = attrs.field(default=None, metadata={"wire": "id"})
    bill_to_company: Reference | None = attrs.field(default=None, metadata={"wire": "billToCompany"})
    bill_to_contact: Reference | None = attrs.field(default=None, metadata={"wire": "billToContact"})
    bill_to_site: Reference | None = attrs.field(default=None, metadata={"wire": "billToSite"})
    billing_terms: Reference | None = attrs.field(default=None, metadata={"wire": "billingTerms"})
    business_unit_id: int | None = attrs.field(default=None, metadata={"wire": "businessUnitId"})
    campaign: Reference | None = attrs.field(default=None, metadata={"wire": "campaign"})
    closed_by: Reference | None = attrs.field(default=None, metadata={"wire": "closedBy"})
    closed_date: datetime | None = attrs.field(default=None, metadata={"wire": "closedDate"})
    company: Reference | None = attrs.field(default=None, metadata={"wire": "company"})
    company_location_id: int | None = attrs.field(default=None, metadata={"wire": "companyLocationId"})
    contact: Reference | None = attrs.field(default=None, metadata={"wire": "contact"})
    currency: CurrencyReference | None = attrs.field(default=None, metadata={"wire": "currency"})
    custom_fields: tuple[CustomFieldValue, ...] | None = attrs.field(
        default=None, metadata={"wire": "customFields"}
    )
    customer_po: str | None = attrs.field(default=None, metadata={"wire": "customerPO"})
    date_became_lead: datetime | None = attrs.field(default=None, metadata={"wire": "dateBecameLead"})
    expected_close_date: datetime | None = attrs.field(default=None, metadata={"wire": "expectedCloseDate"})
    location_id: int | None = attrs.field(default=None, metadata={"wire": "locationId"})
    name: str | None = attrs.field(default=None, metadata={"wire": "name"})
    notes: str | None = attrs.field(default=None, metadata={"wire": "notes"})
    pipeline_change_date: datetime | None = attrs.field(default=None, metadata={"wire": "pipelineChangeDate"})
    primary_sales_rep: Reference | None = attrs.field(default=None, metadata={"wire": "primarySalesRep"})
    priority: Reference | None = attrs.field(default=None, metadata={"wire": "priority"})
    probability: Reference | None = attrs.field(default=None, metadata={"wire": "probability"})
    rating: Reference | None = attrs.field(default=None, metadata={"wire": "rating"})
    secondary_sales_rep: Reference | None = attrs.field(default=None, metadata={"wire": "secondarySalesRep"})
    ship_to_company: Reference | None = attrs.field(default=None, metadata={"wire": "shipToCompany"})
    ship_to_contact: Reference | None = attrs.field(default=None, metadata={"wire": "shipToContact"})
    ship_to_site: Reference | None = attrs.field(default=None, metadata={"wire": "shipToSite"})
    site: Reference | None = attrs.field(default=None, metadata={"wire": "site"})
    source: str | None = attrs.field(default=None, metadata={"wire": "source"})
    stage: Reference | None = attrs.field(default=None, metadata={"wire": "stage"})
    status: Reference | None = attrs.field(default=None, metadata={"wire": "status"})
    tax_code: Reference | None = attrs.field(default=None, metadata={"wire": "taxCode"})
    technical_contact: Reference | None = attrs.field(default=None, metadata={"wire": "technicalContact"})
    total_sales_tax: Decimal | None = attrs.field(default=None, metadata={"wire": "totalSalesTax"})
    type: Reference | None = attrs.field(default=None, metadata={"wire": "type"})


@attrs.frozen(kw_only=True)
class OpportunityUpdate(_Update):
    """A partial update of a Opportunity (JSON Patch): ``UNSET`` leaves a field, ``None`` clears it."""

    bill_to_company: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "billToCompany"})
    bill_to_contact: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "billToContact"})
    bill_to_site: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "billToSite"})
    billing_terms: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "billingTerms"})
    business_unit_id: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "businessUnitId"})
    campaign: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "campaign"})
    closed_by: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "closedBy"})
    closed_date: Maybe[datetime] = attrs.field(default=UNSET, metadata={"wire": "closedDate"})
    company: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "company"})
    company_location_id: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "companyLocationId"})
    contact: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "contact"})
    currency: Maybe[CurrencyReference] = attrs.field(default=UNSET, metadata={"wire": "currency"})
    custom_fields: Maybe[tuple[CustomFieldValue, ...]] = attrs.field(
        default=UNSET, metadata={"wire": "customFields"}
    )
    customer_po: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "customerPO"})
    date_became_lead: Maybe[datetime] = attrs.field(default=UNSET, metadata={"wire": "dateBecameLead"})
    expected_close_date: Maybe[datetime] = attrs.field(default=UNSET, metadata={"wire": "expectedCloseDate"})
    location_id: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "locationId"})
    name: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "name"})
    notes: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "notes"})
    pipeline_change_date: Maybe[datetime] = attrs.field(
        default=UNSET, metadata={"wire": "pipelineChangeDate"}
    )
    primary_sales_rep: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "primarySalesRep"})
    priority: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "priority"})
    probability: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "probability"})
    rating: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "rating"})
    secondary_sales_rep: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "secondarySalesRep"})
    ship_to_company: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "shipToCompany"})
    ship_to_contact: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "shipToContact"})
    ship_to_site: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "shipToSite"})
    site: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "site"})
    source: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "source"})
    stage: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "stage"})
    status: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "status"})
    tax_code: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "taxCode"})
    technical_contact: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "technicalContact"})
    total_sales_tax: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "totalSalesTax"})
    type: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "type"})


@attrs.frozen(kw_only=True)
class Member(_Entity):
    """A member (``/system/members``).

    Every field is optional (the API omits nulls); unknown fields stay in ``raw``.
    """

    id: int | None = attrs.field(default=None, metadata={"wire": "id"})
    admin_flag: bool | None = attrs.field(default=None, metadata={"wire": "adminFlag"})
    agreement_invoicing_display_options: str | None = attrs.field(
        default=None, metadata={"wire": "agreementInvoicingDisplayOptions"}
    )
    allow_expenses_entered_against_companies_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "allowExpensesEnteredAgainstCompaniesFlag"}
    )
    allow_in_cell_entry_on_time_sheet: bool | None = attrs.field(
        default=None, metadata={"wire": "allowInCellEntryOnTimeSheet"}
    )
    authentication_service_type: str | None = attrs.field(
        default=None, metadata={"wire": "authenticationServiceType"}
    )
    auto_popup_quick_notes_with_stopwatch: bool | None = attrs.field(
        default=None, metadata={"wire": "autoPopupQuickNotesWithStopwatch"}
    )
    auto_start_stopwatch: bool | None = attrs.field(default=None, metadata={"wire": "autoStartStopwatch"})
    billable_forecast: Decimal | None = attrs.field(default=None, metadata={"wire": "billableForecast"})
    calendar: Reference | None = attrs.field(default=None, metadata={"wire": "calendar"})
    calendar_sync_integration_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "calendarSyncIntegrationFlag"}
    )
    client_id: str | None = attrs.field(default=None, metadata={"wire": "clientId"})
    company_activity_tab_format: str | None = attrs.field(
        default=None, metadata={"wire": "companyActivityTabFormat"}
    )
    copy_column_layouts_and_filters: bool | None = attrs.field(
        default=None, metadata={"wire": "copyColumnLayoutsAndFilters"}
    )
    copy_pod_layouts: bool | None = attrs.field(default=None, metadata={"wire": "copyPodLayouts"})
    copy_shared_default_views: bool | None = attrs.field(
        default=None, metadata={"wire": "copySharedDefaultViews"}
    )
    country: Reference | None = attrs.field(default=None, metadata={"wire": "country"})
    custom_fields: tuple[CustomFieldValue, ...] | None = attrs.field(
        default=None, metadata={"wire": "customFields"}
    )
    daily_capacity: Decimal | None = attrs.field(default=None, metadata={"wire": "dailyCapacity"})
    days_tolerance: int | None = attrs.field(default=None, metadata={"wire": "daysTolerance"})
    default_department: Reference | None = attrs.field(default=None, metadata={"wire": "defaultDepartment"})
    default_email: str | None = attrs.field(default=None, metadata={"wire": "defaultEmail"})
    default_location: Reference | None = attrs.field(default=None, metadata={"wire": "defaultLocation"})
    default_phone: str | None = attrs.field(default=None, metadata={"wire": "defaultPhone"})
    directional_sync: Reference | None = attrs.field(default=None, metadata={"wire": "directionalSync"})
    disable_online_flag: bool | None = attrs.field(default=None, metadata={"wire": "disableOnlineFlag"})
    employee_identifer: str | None = attrs.field(default=None, metadata={"wire": "employeeIdentifer"})
    enable_ldap_authentication_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "enableLdapAuthenticationFlag"}
    )
    enable_mobile_flag: bool | None = attrs.field(default=None, metadata={"wire": "enableMobileFlag"})
    enable_mobile_gps_flag: bool | None = attrs.field(default=None, metadata={"wire": "enableMobileGpsFlag"})
    enter_time_against_company_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "enterTimeAgainstCompanyFlag"}
    )
    excluded_project_board_ids: tuple[int, ...] | None = attrs.field(
        default=None, metadata={"wire": "excludedProjectBoardIds"}
    )
    excluded_service_board_ids: tuple[int, ...] | None = attrs.field(
        default=None, metadata={"wire": "excludedServiceBoardIds"}
    )
    expense_approver: Reference | None = attrs.field(default=None, metadata={"wire": "expenseApprover"})
    first_name: str | None = attrs.field(default=None, metadata={"wire": "firstName"})
    from_member_rec_id: int | None = attrs.field(default=None, metadata={"wire": "fromMemberRecId"})
    from_member_template_rec_id: int | None = attrs.field(
        default=None, metadata={"wire": "fromMemberTemplateRecId"}
    )
    global_search_default_sort: str | None = attrs.field(
        default=None, metadata={"wire": "globalSearchDefaultSort"}
    )
    global_search_default_ticket_filter: str | None = attrs.field(
        default=None, metadata={"wire": "globalSearchDefaultTicketFilter"}
    )
    hide_member_in_dispatch_portal_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "hideMemberInDispatchPortalFlag"}
    )
    hire_date: datetime | None = attrs.field(default=None, metadata={"wire": "hireDate"})
    home_email: str | None = attrs.field(default=None, metadata={"wire": "homeEmail"})
    home_extension: str | None = attrs.field(default=None, metadata={"wire": "homeExtension"})
    home_phone: str | None = attrs.field(default=None, metadata={"wire": "homePhone"})
    hourly_cost: Decimal | None = attrs.field(default=None, metadata={"wire": "hourlyCost"})
    hourly_rate: Decimal | None = attrs.field(default=None, metadata={"wire": "hourlyRate"})
    identifier: str | None = attrs.field(default=None, metadata={"wire": "identifier"})
    inactive_date: datetime | None = attrs.field(default=None, metadata={"wire": "inactiveDate"})
    inactive_flag: bool | None = attrs.field(default=None, metadata={"wire": "inactiveFlag"})
    include_in_utilization_reporting_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "includeInUtilizationReportingFlag"}
    )
    invoice_screen_default_tab_format: str | None = attrs.field(
        default=None, metadata={"wire": "invoiceScreenDefaultTabFormat"}
    )
    invoice_time_tab_format: str | None = attrs.field(default=None, metadata={"wire": "invoiceTimeTabFormat"})
    invoicing_display_options: str | None = attrs.field(
        default=None, metadata={"wire": "invoicingDisplayOptions"}
    )
    last_login: str | None = attrs.field(default=None, metadata={"wire": "lastLogin"})
    last_name: str | None = attrs.field(default=None, metadata={"wire": "lastName"})
    ldap_configuration: Reference | None = attrs.field(default=None, metadata={"wire": "ldapConfiguration"})
    ldap_user_name: str | None = attrs.field(default=None, metadata={"wire": "ldapUserName"})
    license_class: str | None = attrs.field(default=None, metadata={"wire": "licenseClass"})
    mapi_name: str | None = attrs.field(default=None, metadata={"wire": "mapiName"})
    member_personas: tuple[Any, ...] | None = attrs.field(default=None, metadata={"wire": "memberPersonas"})
    middle_initial: str | None = attrs.field(default=None, metadata={"wire": "middleInitial"})
    minimum_hours: Decimal | None = attrs.field(default=None, metadata={"wire": "minimumHours"})
    mobile_email: str | None = attrs.field(default=None, metadata={"wire": "mobileEmail"})
    mobile_extension: str | None = attrs.field(default=None, metadata={"wire": "mobileExtension"})
    mobile_phone: str | None = attrs.field(default=None, metadata={"wire": "mobilePhone"})
    notes: str | None = attrs.field(default=None, metadata={"wire": "notes"})
    office365: Mapping[str, Any] | None = attrs.field(default=None, metadata={"wire": "office365"})
    office_email: str | None = attrs.field(default=None, metadata={"wire": "officeEmail"})
    office_extension: str | None = attrs.field(default=None, metadata={"wire": "officeExtension"})
    office_phone: str | None = attrs.field(default=None, metadata={"wire": "officePhone"})
    partner_portal_flag: bool | None = attrs.field(default=None, metadata={"wire": "partnerPortalFlag"})
    password: str | None = attrs.field(default=None, metadata={"wire": "password"})
    phone_integration_type: str | None = attrs.field(default=None, metadata={"wire": "phoneIntegrationType"})
    phone_source: str | None = attrs.field(default=None, metadata={"wire": "phoneSource"})
    photo: Reference | None = attrs.field(default=None, metadata={"wire": "photo"})
    primary_email: str | None = attrs.field(default=None, metadata={"wire": "primaryEmail"})
    project_default_board: Reference | None = attrs.field(
        default=None, metadata={"wire": "projectDefaultBoard"}
    )
    project_default_department: Reference | None = attrs.field(
        default=None, metadata={"wire": "projectDefaultDepartment"}
    )
    project_default_location: Reference | None = attrs.field(
        default=None, metadata={"wire": "projectDefaultLocation"}
    )
    report_card: Reference | None = attrs.field(default=None, metadata={"wire": "reportCard"})
    reports_to: Reference | None = attrs.field(default=None, metadata={"wire": "reportsTo"})
    require_expense_entry_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "requireExpenseEntryFlag"}
    )
    require_start_and_end_time_on_time_entry_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "requireStartAndEndTimeOnTimeEntryFlag"}
    )
    require_time_sheet_entry_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "requireTimeSheetEntryFlag"}
    )
    restrict_default_sales_territory_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "restrictDefaultSalesTerritoryFlag"}
    )
    restrict_default_warehouse_bin_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "restrictDefaultWarehouseBinFlag"}
    )
    restrict_default_warehouse_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "restrictDefaultWarehouseFlag"}
    )
    restrict_department_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "restrictDepartmentFlag"}
    )
    restrict_location_flag: bool | None = attrs.field(default=None, metadata={"wire": "restrictLocationFlag"})
    restrict_project_default_department_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "restrictProjectDefaultDepartmentFlag"}
    )
    restrict_project_default_location_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "restrictProjectDefaultLocationFlag"}
    )
    restrict_schedule_flag: bool | None = attrs.field(default=None, metadata={"wire": "restrictScheduleFlag"})
    restrict_service_default_department_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "restrictServiceDefaultDepartmentFlag"}
    )
    restrict_service_default_location_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "restrictServiceDefaultLocationFlag"}
    )
    sales_default_location: Reference | None = attrs.field(
        default=None, metadata={"wire": "salesDefaultLocation"}
    )
    schedule_capacity: Decimal | None = attrs.field(default=None, metadata={"wire": "scheduleCapacity"})
    schedule_default_department: Reference | None = attrs.field(
        default=None, metadata={"wire": "scheduleDefaultDepartment"}
    )
    schedule_default_location: Reference | None = attrs.field(
        default=None, metadata={"wire": "scheduleDefaultLocation"}
    )
    security_location: Reference | None = attrs.field(default=None, metadata={"wire": "securityLocation"})
    security_role: Reference | None = attrs.field(default=None, metadata={"wire": "securityRole"})
    service_board_team_ids: tuple[int, ...] | None = attrs.field(
        default=None, metadata={"wire": "serviceBoardTeamIds"}
    )
    service_default_board: Reference | None = attrs.field(
        default=None, metadata={"wire": "serviceDefaultBoard"}
    )
    service_default_department: Reference | None = attrs.field(
        default=None, metadata={"wire": "serviceDefaultDepartment"}
    )
    service_default_location: Reference | None = attrs.field(
        default=None, metadata={"wire": "serviceDefaultLocation"}
    )
    service_location: Reference | None = attrs.field(default=None, metadata={"wire": "serviceLocation"})
    signature: str | None = attrs.field(default=None, metadata={"wire": "signature"})
    sso_settings: Reference | None = attrs.field(default=None, metadata={"wire": "ssoSettings"})
    structure_level: Reference | None = attrs.field(default=None, metadata={"wire": "structureLevel"})
    sts_user_admin_url: str | None = attrs.field(default=None, metadata={"wire": "stsUserAdminUrl"})
    teams: tuple[Reference, ...] | None = attrs.field(default=None, metadata={"wire": "teams"})
    time_approver: Reference | None = attrs.field(default=None, metadata={"wire": "timeApprover"})
    time_reminder_email_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "timeReminderEmailFlag"}
    )
    time_sheet_start_date: datetime | None = attrs.field(
        default=None, metadata={"wire": "timeSheetStartDate"}
    )
    time_zone: Reference | None = attrs.field(default=None, metadata={"wire": "timeZone"})
    timebased_one_time_password_activated: bool | None = attrs.field(
        default=None, metadata={"wire": "timebasedOneTimePasswordActivated"}
    )
    title: str | None = attrs.field(default=None, metadata={"wire": "title"})
    toast_notification_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "toastNotificationFlag"}
    )
    token: str | None = attrs.field(default=None, metadata={"wire": "token"})
    type: Reference | None = attrs.field(default=None, metadata={"wire": "type"})
    use_browser_language_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "useBrowserLanguageFlag"}
    )
    vendor_number: str | None = attrs.field(default=None, metadata={"wire": "vendorNumber"})
    warehouse: Reference | None = attrs.field(default=None, metadata={"wire": "warehouse"})
    warehouse_bin: Reference | None = attrs.field(default=None, metadata={"wire": "warehouseBin"})
    work_role: Reference | None = attrs.field(default=None, metadata={"wire": "workRole"})
    work_type: Reference | None = attrs.field(default=None, metadata={"wire": "workType"})


@attrs.frozen(kw_only=True)
class MemberUpdate(_Update):
    """A partial update of a Member (JSON Patch): ``UNSET`` leaves a field, ``None`` clears it."""

    admin_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "adminFlag"})
    agreement_invoicing_display_options: Maybe[str] = attrs.field(
        default=UNSET, metadata={"wire": "agreementInvoicingDisplayOptions"}
    )
    allow_expenses_entered_against_companies_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "allowExpensesEnteredAgainstCompaniesFlag"}
    )
    allow_in_cell_entry_on_time_sheet: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "allowInCellEntryOnTimeSheet"}
    )
    authentication_service_type: Maybe[str] = attrs.field(
        default=UNSET, metadata={"wire": "authenticationServiceType"}
    )
    auto_popup_quick_notes_with_stopwatch: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "autoPopupQuickNotesWithStopwatch"}
    )
    auto_start_stopwatch: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "autoStartStopwatch"})
    billable_forecast: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "billableForecast"})
    calendar: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "calendar"})
    calendar_sync_integration_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "calendarSyncIntegrationFlag"}
    )
    client_id: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "clientId"})
    company_activity_tab_format: Maybe[str] = attrs.field(
        default=UNSET, metadata={"wire": "companyActivityTabFormat"}
    )
    copy_column_layouts_and_filters: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "copyColumnLayoutsAndFilters"}
    )
    copy_pod_layouts: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "copyPodLayouts"})
    copy_shared_default_views: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "copySharedDefaultViews"}
    )
    country: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "country"})
    custom_fields: Maybe[tuple[CustomFieldValue, ...]] = attrs.field(
        default=UNSET, metadata={"wire": "customFields"}
    )
    daily_capacity: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "dailyCapacity"})
    days_tolerance: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "daysTolerance"})
    default_department: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "defaultDepartment"})
    default_email: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "defaultEmail"})
    default_location: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "defaultLocation"})
    default_phone: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "defaultPhone"})
    directional_sync: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "directionalSync"})
    disable_online_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "disableOnlineFlag"})
    employee_identifer: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "employeeIdentifer"})
    enable_ldap_authentication_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "enableLdapAuthenticationFlag"}
    )
    enable_mobile_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "enableMobileFlag"})
    enable_mobile_gps_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "enableMobileGpsFlag"})
    enter_time_against_company_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "enterTimeAgainstCompanyFlag"}
    )
    excluded_project_board_ids: Maybe[tuple[int, ...]] = attrs.field(
        default=UNSET, metadata={"wire": "excludedProjectBoardIds"}
    )
    excluded_service_board_ids: Maybe[tuple[int, ...]] = attrs.field(
        default=UNSET, metadata={"wire": "excludedServiceBoardIds"}
    )
    expense_approver: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "expenseApprover"})
    first_name: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "firstName"})
    from_member_rec_id: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "fromMemberRecId"})
    from_member_template_rec_id: Maybe[int] = attrs.field(
        default=UNSET, metadata={"wire": "fromMemberTemplateRecId"}
    )
    global_search_default_sort: Maybe[str] = attrs.field(
        default=UNSET, metadata={"wire": "globalSearchDefaultSort"}
    )
    global_search_default_ticket_filter: Maybe[str] = attrs.field(
        default=UNSET, metadata={"wire": "globalSearchDefaultTicketFilter"}
    )
    hide_member_in_dispatch_portal_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "hideMemberInDispatchPortalFlag"}
    )
    hire_date: Maybe[datetime] = attrs.field(default=UNSET, metadata={"wire": "hireDate"})
    home_email: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "homeEmail"})
    home_extension: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "homeExtension"})
    home_phone: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "homePhone"})
    hourly_cost: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "hourlyCost"})
    hourly_rate: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "hourlyRate"})
    identifier: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "identifier"})
    inactive_date: Maybe[datetime] = attrs.field(default=UNSET, metadata={"wire": "inactiveDate"})
    inactive_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "inactiveFlag"})
    include_in_utilization_reporting_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "includeInUtilizationReportingFlag"}
    )
    invoice_screen_default_tab_format: Maybe[str] = attrs.field(
        default=UNSET, metadata={"wire": "invoiceScreenDefaultTabFormat"}
    )
    invoice_time_tab_format: Maybe[str] = attrs.field(
        default=UNSET, metadata={"wire": "invoiceTimeTabFormat"}
    )
    invoicing_display_options: Maybe[str] = attrs.field(
        default=UNSET, metadata={"wire": "invoicingDisplayOptions"}
    )
    last_login: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "lastLogin"})
    last_name: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "lastName"})
    ldap_configuration: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "ldapConfiguration"})
    ldap_user_name: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "ldapUserName"})
    license_class: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "licenseClass"})
    mapi_name: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "mapiName"})
    member_personas: Maybe[tuple[Any, ...]] = attrs.field(default=UNSET, metadata={"wire": "memberPersonas"})
    middle_initial: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "middleInitial"})
    minimum_hours: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "minimumHours"})
    mobile_email: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "mobileEmail"})
    mobile_extension: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "mobileExtension"})
    mobile_phone: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "mobilePhone"})
    notes: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "notes"})
    office365: Maybe[Mapping[str, Any]] = attrs.field(default=UNSET, metadata={"wire": "office365"})
    office_email: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "officeEmail"})
    office_extension: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "officeExtension"})
    office_phone: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "officePhone"})
    partner_portal_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "partnerPortalFlag"})
    password: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "password"})
    phone_integration_type: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "phoneIntegrationType"})
    phone_source: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "phoneSource"})
    photo: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "photo"})
    primary_email: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "primaryEmail"})
    project_default_board: Maybe[Reference] = attrs.field(
        default=UNSET, metadata={"wire": "projectDefaultBoard"}
    )
    project_default_department: Maybe[Reference] = attrs.field(
        default=UNSET, metadata={"wire": "projectDefaultDepartment"}
    )
    project_default_location: Maybe[Reference] = attrs.field(
        default=UNSET, metadata={"wire": "projectDefaultLocation"}
    )
    report_card: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "reportCard"})
    reports_to: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "reportsTo"})
    require_expense_entry_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "requireExpenseEntryFlag"}
    )
    require_start_and_end_time_on_time_entry_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "requireStartAndEndTimeOnTimeEntryFlag"}
    )
    require_time_sheet_entry_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "requireTimeSheetEntryFlag"}
    )
    restrict_default_sales_territory_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "restrictDefaultSalesTerritoryFlag"}
    )
    restrict_default_warehouse_bin_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "restrictDefaultWarehouseBinFlag"}
    )
    restrict_default_warehouse_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "restrictDefaultWarehouseFlag"}
    )
    restrict_department_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "restrictDepartmentFlag"}
    )
    restrict_location_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "restrictLocationFlag"}
    )
    restrict_project_default_department_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "restrictProjectDefaultDepartmentFlag"}
    )
    restrict_project_default_location_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "restrictProjectDefaultLocationFlag"}
    )
    restrict_schedule_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "restrictScheduleFlag"}
    )
    restrict_service_default_department_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "restrictServiceDefaultDepartmentFlag"}
    )
    restrict_service_default_location_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "restrictServiceDefaultLocationFlag"}
    )
    sales_default_location: Maybe[Reference] = attrs.field(
        default=UNSET, metadata={"wire": "salesDefaultLocation"}
    )
    schedule_capacity: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "scheduleCapacity"})
    schedule_default_department: Maybe[Reference] = attrs.field(
        default=UNSET, metadata={"wire": "scheduleDefaultDepartment"}
    )
    schedule_default_location: Maybe[Reference] = attrs.field(
        default=UNSET, metadata={"wire": "scheduleDefaultLocation"}
    )
    security_location: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "securityLocation"})
    security_role: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "securityRole"})
    service_board_team_ids: Maybe[tuple[int, ...]] = attrs.field(
        default=UNSET, metadata={"wire": "serviceBoardTeamIds"}
    )
    service_default_board: Maybe[Reference] = attrs.field(
        default=UNSET, metadata={"wire": "serviceDefaultBoard"}
    )
    service_default_department: Maybe[Reference] = attrs.field(
        default=UNSET, metadata={"wire": "serviceDefaultDepartment"}
    )
    service_default_location: Maybe[Reference] = attrs.field(
        default=UNSET, metadata={"wire": "serviceDefaultLocation"}
    )
    service_location: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "serviceLocation"})
    signature: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "signature"})
    sso_settings: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "ssoSettings"})
    structure_level: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "structureLevel"})
    sts_user_admin_url: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "stsUserAdminUrl"})
    teams: Maybe[tuple[Reference, ...]] = attrs.field(default=UNSET, metadata={"wire": "teams"})
    time_approver: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "timeApprover"})
    time_reminder_email_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "timeReminderEmailFlag"}
    )
    time_sheet_start_date: Maybe[datetime] = attrs.field(
        default=UNSET, metadata={"wire": "timeSheetStartDate"}
    )
    time_zone: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "timeZone"})
    timebased_one_time_password_activated: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "timebasedOneTimePasswordActivated"}
    )
    title: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "title"})
    toast_notification_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "toastNotificationFlag"}
    )
    token: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "token"})
    type: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "type"})
    use_browser_language_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "useBrowserLanguageFlag"}
    )
    vendor_number: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "vendorNumber"})
    warehouse: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "warehouse"})
    warehouse_bin: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "warehouseBin"})
    work_role: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "workRole"})
    work_type: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "workType"})


@attrs.frozen(kw_only=True)
class Callback(_Entity):
    """A callback registration (``/system/callbacks``).

    Every field is optional (the API omits nulls); unknown fields stay in ``raw``.
    """

    id: int | None = attrs.field(default=None, metadata={"wire": "id"})
    connect_wise_id: str | None = attrs.field(default=None, metadata={"wire": "connectWiseID"})
    description: str | None = attrs.field(default=None, metadata={"wire": "description"})
    inactive_flag: bool | None = attrs.field(default=None, metadata={"wire": "inactiveFlag"})
    is_self_suppressed_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "isSelfSuppressedFlag"}
    )
    is_soap_callback_flag: bool | None = attrs.field(default=None, metadata={"wire": "isSoapCallbackFlag"})
    level: str | None = attrs.field(default=None, metadata={"wire": "level"})
    member_id: int | None = attrs.field(default=None, metadata={"wire": "memberId"})
    object_id: int | None = attrs.field(default=None, metadata={"wire": "objectId"})
    payload_version: str | None = attrs.field(default=None, metadata={"wire": "payloadVersion"})
    type: str | None = attrs.field(default=None, metadata={"wire": "type"})
    url: str | None = attrs.field(default=None, metadata={"wire": "url"})


@attrs.frozen(kw_only=True)
class CallbackUpdate(_Update):
    """A partial update of a Callback (JSON Patch): ``UNSET`` leaves a field, ``None`` clears it."""

    connect_wise_id: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "connectWiseID"})
    description: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "description"})
    inactive_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "inactiveFlag"})
    is_self_suppressed_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "isSelfSuppressedFlag"}
    )
    is_soap_callback_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "isSoapCallbackFlag"})
    level: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "level"})
    member_id: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "memberId"})
    object_id: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "objectId"})
    payload_version: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "payloadVersion"})
    type: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "type"})
    url: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "url"})


@attrs.frozen(kw_only=True)
class CompanySite(_Entity):
    """A company site (``/company/companies/{id}/sites``).

    Every field is optional (the API omits nulls); unknown fields stay in ``raw``.
    """

    id: int | None = attrs.field(default=None, metadata={"wire": "id"})
    address_format: str | None = attrs.field(default=None, metadata={"wire": "addressFormat"})
    address_line1: str | None = attrs.field(default=None, metadata={"wire": "addressLine1"})
    address_line2: str | None = attrs.field(default=None, metadata={"wire": "addressLine2"})
    bill_separate_flag: bool | None = attrs.field(default=None, metadata={"wire": "billSeparateFlag"})
    calendar: Reference | None = attrs.field(default=None, metadata={"wire": "calendar"})
    city: str | None = attrs.field(default=None, metadata={"wire": "city"})
    company: Reference | None = attrs.field(default=None, metadata={"wire": "company"})
    core_entity_site_identifier: str | None = attrs.field(
        default=None, metadata={"wire": "coreEntitySiteIdentifier"}
    )
    country: Reference | None = attrs.field(default=None, metadata={"wire": "country"})
    default_billing_flag: bool | None = attrs.field(default=None, metadata={"wire": "defaultBillingFlag"})
    default_mailing_flag: bool | None = attrs.field(default=None, metadata={"wire": "defaultMailingFlag"})
    default_shipping_flag: bool | None = attrs.field(default=None, metadata={"wire": "defaultShippingFlag"})
    entity_type: Reference | None = attrs.field(default=None, metadata={"wire": "entityType"})
    expense_reimbursement: Decimal | None = attrs.field(
        default=None, metadata={"wire": "expenseReimbursement"}
    )
    fax_number: str | None = attrs.field(default=None, metadata={"wire": "faxNumber"})
    inactive_flag: bool | None = attrs.field(default=None, metadata={"wire": "inactiveFlag"})
    mobile_guid: str | None = attrs.field(default=None, metadata={"wire": "mobileGuid"})
    name: str | None = attrs.field(default=None, metadata={"wire": "name"})
    phone_number: str | None = attrs.field(default=None, metadata={"wire": "phoneNumber"})
    primary_address_flag: bool | None = attrs.field(default=None, metadata={"wire": "primaryAddressFlag"})
    state_reference: Reference | None = attrs.field(default=None, metadata={"wire": "stateReference"})
    tax_code: Reference | None = attrs.field(default=None, metadata={"wire": "taxCode"})
    time_zone: Reference | None = attrs.field(default=None, metadata={"wire": "timeZone"})
    zip: str | None = attrs.field(default=None, metadata={"wire": "zip"})


@attrs.frozen(kw_only=True)
class CompanySiteUpdate(_Update):
    """A partial update of a CompanySite (JSON Patch): ``UNSET`` leaves a field, ``None`` clears it."""

    address_format: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "addressFormat"})
    address_line1: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "addressLine1"})
    address_line2: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "addressLine2"})
    bill_separate_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "billSeparateFlag"})
    calendar: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "calendar"})
    city: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "city"})
    company: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "company"})
    core_entity_site_identifier: Maybe[str] = attrs.field(
        default=UNSET, metadata={"wire": "coreEntitySiteIdentifier"}
    )
    country: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "country"})
    default_billing_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "defaultBillingFlag"})
    default_mailing_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "defaultMailingFlag"})
    default_shipping_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "defaultShippingFlag"})
    entity_type: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "entityType"})
    expense_reimbursement: Maybe[Decimal] = attrs.field(
        default=UNSET, metadata={"wire": "expenseReimbursement"}
    )
    fax_number: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "faxNumber"})
    inactive_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "inactiveFlag"})
    mobile_guid: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "mobileGuid"})
    name: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "name"})
    phone_number: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "phoneNumber"})
    primary_address_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "primaryAddressFlag"})
    state_reference: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "stateReference"})
    tax_code: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "taxCode"})
    time_zone: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "timeZone"})
    zip: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "zip"})


@attrs.frozen(kw_only=True)
class CommunicationItem(_Entity):
    """A contact communication item (``/company/contacts/{id}/communications``).

    Every field is optional (the API omits nulls); unknown fields stay in ``raw``.
    """

    id: int | None = attrs.field(default=None, metadata={"wire": "id"})
    communication_type: str | None = attrs.field(default=None, metadata={"wire": "communicationType"})
    default_flag: bool | None = attrs.field(default=None, metadata={"wire": "defaultFlag"})
    domain: str | None = attrs.field(default=None, metadata={"wire": "domain"})
    extension: str | None = attrs.field(default=None, metadata={"wire": "extension"})
    type: Reference | None = attrs.field(default=None, metadata={"wire": "type"})
    value: str | None = attrs.field(default=None, metadata={"wire": "value"})


@attrs.frozen(kw_only=True)
class CommunicationItemUpdate(_Update):
    """A partial update of a CommunicationItem (JSON Patch): ``UNSET`` leaves a field, ``None`` clears it."""

    communication_type: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "communicationType"})
    default_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "defaultFlag"})
    domain: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "domain"})
    extension: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "extension"})
    type: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "type"})
    value: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "value"})


@attrs.frozen(kw_only=True)
class AgreementAddition(_Entity):
    """An agreement addition (``/finance/agreements/{id}/additions``).

    Every field is optional (the API omits nulls); unknown fields stay in ``raw``.
    """

    id: int | None = attrs.field(default=None, metadata={"wire": "id"})
    agreement_id: int | None = attrs.field(default=None, metadata={"wire": "agreementId"})
    agreement_status: str | None = attrs.field(default=None, metadata={"wire": "agreementStatus"})
    bill_customer: str | None = attrs.field(default=None, metadata={"wire": "billCustomer"})
    billed_quantity: Decimal | None = attrs.field(default=None, metadata={"wire": "billedQuantity"})
    cancelled_date: datetime | None = attrs.field(default=None, metadata={"wire": "cancelledDate"})
    custom_fields: tuple[CustomFieldValue, ...] | None = attrs.field(
        default=None, metadata={"wire": "customFields"}
    )
    description: str | None = attrs.field(default=None, metadata={"wire": "description"})
    effective_date: datetime | None = attrs.field(default=None, metadata={"wire": "effectiveDate"})
    ext_cost: Decimal | None = attrs.field(default=None, metadata={"wire": "extCost"})
    ext_price: Decimal | None = attrs.field(default=None, metadata={"wire": "extPrice"})
    extended_prorate_cost: Decimal | None = attrs.field(
        default=None, metadata={"wire": "extendedProrateCost"}
    )
    extended_prorate_price: Decimal | None = attrs.field(
        default=None, metadata={"wire": "extendedProratePrice"}
    )
    invoice_description: str | None = attrs.field(default=None, metadata={"wire": "invoiceDescription"})
    invoice_grouping: Reference | None = attrs.field(default=None, metadata={"wire": "invoiceGrouping"})
    less_included: Decimal | None = attrs.field(default=None, metadata={"wire": "lessIncluded"})
    margin: Decimal | None = attrs.field(default=None, metadata={"wire": "margin"})
    opportunity: Reference | None = attrs.field(default=None, metadata={"wire": "opportunity"})
    product: Reference | None = attrs.field(default=None, metadata={"wire": "product"})
    prorate_cost: Decimal | None = attrs.field(default=None, metadata={"wire": "prorateCost"})
    prorate_current_period_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "prorateCurrentPeriodFlag"}
    )
    prorate_price: Decimal | None = attrs.field(default=None, metadata={"wire": "proratePrice"})
    purchase_item_flag: bool | None = attrs.field(default=None, metadata={"wire": "purchaseItemFlag"})
    quantity: Decimal | None = attrs.field(default=None, metadata={"wire": "quantity"})
    sequence_number: Decimal | None = attrs.field(default=None, metadata={"wire": "sequenceNumber"})
    serial_number: str | None = attrs.field(default=None, metadata={"wire": "serialNumber"})
    special_order_flag: bool | None = attrs.field(default=None, metadata={"wire": "specialOrderFlag"})
    taxable_flag: bool | None = attrs.field(default=None, metadata={"wire": "taxableFlag"})
    unit_cost: Decimal | None = attrs.field(default=None, metadata={"wire": "unitCost"})
    unit_price: Decimal | None = attrs.field(default=None, metadata={"wire": "unitPrice"})
    uom: str | None = attrs.field(default=None, metadata={"wire": "uom"})


@attrs.frozen(kw_only=True)
class AgreementAdditionUpdate(_Update):
    """A partial update of a AgreementAddition (JSON Patch): ``UNSET`` leaves a field, ``None`` clears it."""

    agreement_id: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "agreementId"})
    agreement_status: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "agreementStatus"})
    bill_customer: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "billCustomer"})
    billed_quantity: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "billedQuantity"})
    cancelled_date: Maybe[datetime] = attrs.field(default=UNSET, metadata={"wire": "cancelledDate"})
    custom_fields: Maybe[tuple[CustomFieldValue, ...]] = attrs.field(
        default=UNSET, metadata={"wire": "customFields"}
    )
    description: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "description"})
    effective_date: Maybe[datetime] = attrs.field(default=UNSET, metadata={"wire": "effectiveDate"})
    ext_cost: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "extCost"})
    ext_price: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "extPrice"})
    extended_prorate_cost: Maybe[Decimal] = attrs.field(
        default=UNSET, metadata={"wire": "extendedProrateCost"}
    )
    extended_prorate_price: Maybe[Decimal] = attrs.field(
        default=UNSET, metadata={"wire": "extendedProratePrice"}
    )
    invoice_description: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "invoiceDescription"})
    invoice_grouping: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "invoiceGrouping"})
    less_included: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "lessIncluded"})
    margin: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "margin"})
    opportunity: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "opportunity"})
    product: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "product"})
    prorate_cost: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "prorateCost"})
    prorate_current_period_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "prorateCurrentPeriodFlag"}
    )
    prorate_price: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "proratePrice"})
    purchase_item_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "purchaseItemFlag"})
    quantity: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "quantity"})
    sequence_number: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "sequenceNumber"})
    serial_number: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "serialNumber"})
    special_order_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "specialOrderFlag"})
    taxable_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "taxableFlag"})
    unit_cost: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "unitCost"})
    unit_price: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "unitPrice"})
    uom: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "uom"})


@attrs.frozen(kw_only=True)
class InvoicePayment(_Entity):
    """A payment applied to an invoice (``/finance/invoices/{id}/payments``).

    Every field is optional (the API omits nulls); unknown fields stay in ``raw``.
    """

    id: int | None = attrs.field(default=None, metadata={"wire": "id"})
    amount: Decimal | None = attrs.field(default=None, metadata={"wire": "amount"})
    applied_by: str | None = attrs.field(default=None, metadata={"wire": "appliedBy"})
    credit: InvoiceReference | None = attrs.field(default=None, metadata={"wire": "credit"})
    invoice: InvoiceReference | None = attrs.field(default=None, metadata={"wire": "invoice"})
    payment_date: datetime | None = attrs.field(default=None, metadata={"wire": "paymentDate"})
    type: str | None = attrs.field(default=None, metadata={"wire": "type"})


@attrs.frozen(kw_only=True)
class InvoicePaymentUpdate(_Update):
    """A partial update of a InvoicePayment (JSON Patch): ``UNSET`` leaves a field, ``None`` clears it."""

    amount: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "amount"})
    applied_by: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "appliedBy"})
    credit: Maybe[InvoiceReference] = attrs.field(default=UNSET, metadata={"wire": "credit"})
    invoice: Maybe[InvoiceReference] = attrs.field(default=UNSET, metadata={"wire": "invoice"})
    payment_date: Maybe[datetime] = attrs.field(default=UNSET, metadata={"wire": "paymentDate"})
    type: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "type"})


@attrs.frozen(kw_only=True)
class PurchaseOrderLineItem(_Entity):
    """A purchase order line item (``/procurement/purchaseorders/{id}/lineitems``).

    Every field is optional (the API omits nulls); unknown fields stay in ``raw``.
    """

    id: int | None = attrs.field(default=None, metadata={"wire": "id"})
    backordered_flag: bool | None = attrs.field(default=None, metadata={"wire": "backorderedFlag"})
    canceled_by: str | None = attrs.field(default=None, metadata={"wire": "canceledBy"})
    canceled_flag: bool | None = attrs.field(default=None, metadata={"wire": "canceledFlag"})
    canceled_reason: str | None = attrs.field(default=None, metadata={"wire": "canceledReason"})
    closed_flag: bool | None = attrs.field(default=None, metadata={"wire": "closedFlag"})
    custom_fields: tuple[CustomFieldValue, ...] | None = attrs.field(
        default=None, metadata={"wire": "customFields"}
    )
    date_canceled: datetime | None = attrs.field(default=None, metadata={"wire": "dateCanceled"})
    date_received: datetime | None = attrs.field(default=None, metadata={"wire": "dateReceived"})
    description: str | None = attrs.field(default=None, metadata={"wire": "description"})
    display_internal_notes_flag: bool | None = attrs.field(
        default=None, metadata={"wire": "displayInternalNotesFlag"}
    )
    expected_ship_date: datetime | None = attrs.field(default=None, metadata={"wire": "expectedShipDate"})
    internal_notes: str | None = attrs.field(default=None, metadata={"wire": "internalNotes"})
    line_number: int | None = attrs.field(default=None, metadata={"wire": "lineNumber"})
    packing_slip: str | None = attrs.field(default=None, metadata={"wire": "packingSlip"})
    product: Reference | None = attrs.field(default=None, metadata={"wire": "product"})
    purchase_order_id: int | None = attrs.field(default=None, metadata={"wire": "purchaseOrderId"})
    quantity: Decimal | None = attrs.field(default=None, metadata={"wire": "quantity"})
    received_quantity: int | None = attrs.field(default=None, metadata={"wire": "receivedQuantity"})
    received_status: str | None = attrs.field(default=None, metadata={"wire": "receivedStatus"})
    serial_numbers: str | None = attrs.field(default=None, metadata={"wire": "serialNumbers"})
    ship_date: datetime | None = attrs.field(default=None, metadata={"wire": "shipDate"})
    ship_set: str | None = attrs.field(default=None, metadata={"wire": "shipSet"})
    shipment_method: Reference | None = attrs.field(default=None, metadata={"wire": "shipmentMethod"})
    tax: Decimal | None = attrs.field(default=None, metadata={"wire": "tax"})
    tracking_number: str | None = attrs.field(default=None, metadata={"wire": "trackingNumber"})
    unit_cost: Decimal | None = attrs.field(default=None, metadata={"wire": "unitCost"})
    unit_of_measure: Reference | None = attrs.field(default=None, metadata={"wire": "unitOfMeasure"})
    vendor_order_number: str | None = attrs.field(default=None, metadata={"wire": "vendorOrderNumber"})
    vendor_sku: str | None = attrs.field(default=None, metadata={"wire": "vendorSku"})
    warehouse: Reference | None = attrs.field(default=None, metadata={"wire": "warehouse"})
    warehouse_bin: Reference | None = attrs.field(default=None, metadata={"wire": "warehouseBin"})


@attrs.frozen(kw_only=True)
class PurchaseOrderLineItemUpdate(_Update):
    """A partial update of a PurchaseOrderLineItem (JSON Patch): ``UNSET`` leaves a field, ``None`` clears it."""

    backordered_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "backorderedFlag"})
    canceled_by: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "canceledBy"})
    canceled_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "canceledFlag"})
    canceled_reason: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "canceledReason"})
    closed_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "closedFlag"})
    custom_fields: Maybe[tuple[CustomFieldValue, ...]] = attrs.field(
        default=UNSET, metadata={"wire": "customFields"}
    )
    date_canceled: Maybe[datetime] = attrs.field(default=UNSET, metadata={"wire": "dateCanceled"})
    date_received: Maybe[datetime] = attrs.field(default=UNSET, metadata={"wire": "dateReceived"})
    description: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "description"})
    display_internal_notes_flag: Maybe[bool] = attrs.field(
        default=UNSET, metadata={"wire": "displayInternalNotesFlag"}
    )
    expected_ship_date: Maybe[datetime] = attrs.field(default=UNSET, metadata={"wire": "expectedShipDate"})
    internal_notes: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "internalNotes"})
    line_number: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "lineNumber"})
    packing_slip: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "packingSlip"})
    product: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "product"})
    purchase_order_id: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "purchaseOrderId"})
    quantity: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "quantity"})
    received_quantity: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "receivedQuantity"})
    received_status: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "receivedStatus"})
    serial_numbers: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "serialNumbers"})
    ship_date: Maybe[datetime] = attrs.field(default=UNSET, metadata={"wire": "shipDate"})
    ship_set: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "shipSet"})
    shipment_method: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "shipmentMethod"})
    tax: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "tax"})
    tracking_number: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "trackingNumber"})
    unit_cost: Maybe[Decimal] = attrs.field(default=UNSET, metadata={"wire": "unitCost"})
    unit_of_measure: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "unitOfMeasure"})
    vendor_order_number: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "vendorOrderNumber"})
    vendor_sku: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "vendorSku"})
    warehouse: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "warehouse"})
    warehouse_bin: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "warehouseBin"})


@attrs.frozen(kw_only=True)
class BoardStatus(_Entity):
    """A status of a service board (``/service/boards/{id}/statuses``).

    Every field is optional (the API omits nulls); unknown fields stay in ``raw``.
    """

    id: int | None = attrs.field(default=None, metadata={"wire": "id"})
    board: Reference | None = attrs.field(default=None, metadata={"wire": "board"})
    closed_status: bool | None = attrs.field(default=None, metadata={"wire": "closedStatus"})
    custom_status_indicator_name: str | None = attrs.field(
        default=None, metadata={"wire": "customStatusIndicatorName"}
    )
    customer_portal_description: str | None = attrs.field(
        default=None, metadata={"wire": "customerPortalDescription"}
    )
    customer_portal_flag: bool | None = attrs.field(default=None, metadata={"wire": "customerPortalFlag"})
    default_flag: bool | None = attrs.field(default=None, metadata={"wire": "defaultFlag"})
    display_on_board: bool | None = attrs.field(default=None, metadata={"wire": "displayOnBoard"})
    email_template: Reference | None = attrs.field(default=None, metadata={"wire": "emailTemplate"})
    escalation_status: str | None = attrs.field(default=None, metadata={"wire": "escalationStatus"})
    inactive: bool | None = attrs.field(default=None, metadata={"wire": "inactive"})
    name: str | None = attrs.field(default=None, metadata={"wire": "name"})
    save_time_as_note: bool | None = attrs.field(default=None, metadata={"wire": "saveTimeAsNote"})
    sort_order: int | None = attrs.field(default=None, metadata={"wire": "sortOrder"})
    status_indicator: Reference | None = attrs.field(default=None, metadata={"wire": "statusIndicator"})
    time_entry_not_allowed: bool | None = attrs.field(default=None, metadata={"wire": "timeEntryNotAllowed"})


@attrs.frozen(kw_only=True)
class BoardStatusUpdate(_Update):
    """A partial update of a BoardStatus (JSON Patch): ``UNSET`` leaves a field, ``None`` clears it."""

    board: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "board"})
    closed_status: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "closedStatus"})
    custom_status_indicator_name: Maybe[str] = attrs.field(
        default=UNSET, metadata={"wire": "customStatusIndicatorName"}
    )
    customer_portal_description: Maybe[str] = attrs.field(
        default=UNSET, metadata={"wire": "customerPortalDescription"}
    )
    customer_portal_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "customerPortalFlag"})
    default_flag: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "defaultFlag"})
    display_on_board: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "displayOnBoard"})
    email_template: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "emailTemplate"})
    escalation_status: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "escalationStatus"})
    inactive: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "inactive"})
    name: Maybe[str] = attrs.field(default=UNSET, metadata={"wire": "name"})
    save_time_as_note: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "saveTimeAsNote"})
    sort_order: Maybe[int] = attrs.field(default=UNSET, metadata={"wire": "sortOrder"})
    status_indicator: Maybe[Reference] = attrs.field(default=UNSET, metadata={"wire": "statusIndicator"})
    time_entry_not_allowed: Maybe[bool] = attrs.field(default=UNSET, metadata={"wire": "timeEntryNotAllowed"})


@attrs.frozen(kw_only=True)
class CompanyInfo(_Model):
    """The answer of ``GET /login/companyinfo/{companyId}`` (PascalCase keys; no auth needed)."""

    company_name: str | None = attrs.field(default=None, metadata={"wire": "CompanyName"})
    codebase: str | None = attrs.field(default=None, metadata={"wire": "Codebase"})
    version_code: str | None = attrs.field(default=None, metadata={"wire": "VersionCode"})
    version_number: str | None = attrs.field(default=None, metadata={"wire": "VersionNumber"})
    company_id: str | None = attrs.field(default=None, metadata={"wire": "CompanyID"})
    is_cloud: bool | None = attrs.field(default=None, metadata={"wire": "IsCloud"})
    site_url: str | None = attrs.field(default=None, metadata={"wire": "SiteUrl"})
    allowed_origins: tuple[str, ...] | None = attrs.field(default=None, metadata={"wire": "AllowedOrigins"})
