"""ConnectWise Manage <-> canonical mappers (pure, total, both directions).

Vendor -> canonical functions are named ``<cw object>_to_<canonical>`` (``company_to_customer``)
and accept a wire model or its raw JSON payload; canonical -> vendor functions are named
``<cw object>_from_canonical`` and return wire models ready for ``to_api()``. Every function takes
the :class:`~msplink.mappers.MappingConfig` (default: an empty one) and raises
:class:`~msplink.errors.MappingError` naming the field path, never anything else.

ConnectWise references (billing terms, tax codes, statuses, priorities, boards ...) travel as
names in the canonical models; on the way back they become ``{"id", "name"}`` references, the id
taken from ``MappingConfig.connectwise_ids[<kind>]`` when configured. Members are referred to by
their ``identifier``. Each ``UNMAPPED_*_FIELDS`` set lists the wire-model attributes a mapper
deliberately leaves out (read-only, derived or tenant plumbing).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any, Final

from dateutil.parser import isoparse

from msplink.connectwise import models as cw
from msplink.mappers._common import parse_model, ref, unmapped_fields, vendor_custom_in, vendor_custom_out
from msplink.mappers._config import MappingConfig, normalise_name
from msplink.mappers._util import as_date, at, aware, fail, money, opt_decimal, opt_money, require, total
from msplink.models import (
    CONNECTWISE,
    QUICKBOOKS,
    SALESFORCE,
    Address,
    Agreement,
    AgreementAddition,
    AgreementStatus,
    BillableStatus,
    BillingCycle,
    Contact,
    Customer,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    LineKind,
    Link,
    Money,
    Opportunity,
    OpportunityStatus,
    Payment,
    PaymentAllocation,
    Product,
    ProductKind,
    PurchaseOrder,
    PurchaseOrderLine,
    Ticket,
    TimeEntry,
    Vendor,
)

__all__ = [
    "BILLING_CYCLE_NAMES",
    "SYSTEM",
    "UNMAPPED_ADDITION_FIELDS",
    "UNMAPPED_AGREEMENT_FIELDS",
    "UNMAPPED_CATALOG_ITEM_FIELDS",
    "UNMAPPED_COMPANY_FIELDS",
    "UNMAPPED_CONTACT_FIELDS",
    "UNMAPPED_INVOICE_FIELDS",
    "UNMAPPED_OPPORTUNITY_FIELDS",
    "UNMAPPED_PAYMENT_FIELDS",
    "UNMAPPED_PURCHASE_ORDER_FIELDS",
    "UNMAPPED_PURCHASE_ORDER_LINE_FIELDS",
    "UNMAPPED_TICKET_FIELDS",
    "UNMAPPED_TIME_ENTRY_FIELDS",
    "UNMAPPED_VENDOR_FIELDS",
    "addition_from_canonical",
    "addition_to_canonical",
    "agreement_from_canonical",
    "agreement_to_canonical",
    "billing_cycle_from_name",
    "catalog_item_from_canonical",
    "catalog_item_to_product",
    "company_from_canonical",
    "company_to_canonical",
    "company_to_customer",
    "company_to_vendor",
    "contact_from_canonical",
    "contact_to_canonical",
    "derive_identifier",
    "invoice_from_canonical",
    "invoice_payment_to_payment",
    "invoice_payments_from_canonical",
    "invoice_summary_lines",
    "invoice_to_canonical",
    "opportunity_from_canonical",
    "opportunity_to_canonical",
    "product_item_to_invoice_line",
    "purchase_order_from_canonical",
    "purchase_order_to_canonical",
    "site_from_address",
    "site_to_address",
    "ticket_from_canonical",
    "ticket_to_canonical",
    "time_entry_from_canonical",
    "time_entry_to_canonical",
    "time_entry_to_invoice_line",
    "vendor_from_canonical",
]

SYSTEM: Final = CONNECTWISE

_EMPTY: Final = MappingConfig()

BILLING_CYCLE_NAMES: Final[dict[BillingCycle, str]] = {
    BillingCycle.WEEKLY: "Weekly",
    BillingCycle.BIWEEKLY: "Bi-Weekly",
    BillingCycle.MONTHLY: "Monthly",
    BillingCycle.BIMONTHLY: "Bi-Monthly",
    BillingCycle.QUARTERLY: "Quarterly",
    BillingCycle.SEMIANNUAL: "Semi-Annual",
    BillingCycle.YEARLY: "Yearly",
    BillingCycle.ONE_TIME: "Not Recurring",
}
"""The billing-cycle names written back to ConnectWise (ids come from ``connectwise_ids.billing_cycles``)."""

_CYCLE_ALIASES: Final[dict[str, BillingCycle]] = {
    "weekly": BillingCycle.WEEKLY,
    "biweekly": BillingCycle.BIWEEKLY,
    "bi-weekly": BillingCycle.BIWEEKLY,
    "every two weeks": BillingCycle.BIWEEKLY,
    "monthly": BillingCycle.MONTHLY,
    "bimonthly": BillingCycle.BIMONTHLY,
    "bi-monthly": BillingCycle.BIMONTHLY,
    "every two months": BillingCycle.BIMONTHLY,
    "quarterly": BillingCycle.QUARTERLY,
    "semiannual": BillingCycle.SEMIANNUAL,
    "semi-annual": BillingCycle.SEMIANNUAL,
    "semi-annually": BillingCycle.SEMIANNUAL,
    "half-yearly": BillingCycle.SEMIANNUAL,
    "yearly": BillingCycle.YEARLY,
    "annual": BillingCycle.YEARLY,
    "annually": BillingCycle.YEARLY,
    "notrecurring": BillingCycle.ONE_TIME,
    "not recurring": BillingCycle.ONE_TIME,
    "one time": BillingCycle.ONE_TIME,
    "one-time": BillingCycle.ONE_TIME,
    "onetime": BillingCycle.ONE_TIME,
}

_PRODUCT_KINDS: Final[dict[str, ProductKind]] = {
    "agreement": ProductKind.AGREEMENT,
    "bundle": ProductKind.BUNDLE,
    "inventory": ProductKind.INVENTORY,
    "noninventory": ProductKind.NON_INVENTORY,
    "service": ProductKind.SERVICE,
}

_BILLABLE_IN: Final[dict[str, BillableStatus]] = {
    "billable": BillableStatus.BILLABLE,
    "donotbill": BillableStatus.NOT_BILLABLE,
    "nocharge": BillableStatus.NO_CHARGE,
    "nodefault": BillableStatus.BILLABLE,
}
_BILLABLE_OUT: Final[dict[BillableStatus, str]] = {
    BillableStatus.BILLABLE: "Billable",
    BillableStatus.NOT_BILLABLE: "DoNotBill",
    BillableStatus.NO_CHARGE: "NoCharge",
    BillableStatus.BILLED: "Billable",
}


# ------------------------------------------------------------------------------------------- helpers


def _cfg(config: MappingConfig | None) -> MappingConfig:
    return config if config is not None else _EMPTY


def _version(model: Any) -> str | None:
    updated: datetime | None = getattr(model, "last_updated", None)
    return updated.isoformat() if updated is not None else None


def _updated(model: Any, path: str) -> datetime | None:
    return aware(getattr(model, "last_updated", None), path)


def _link(reference: cw.Reference | None, object_type: str) -> Link | None:
    if reference is None or reference.id is None:
        return None
    return Link.to(SYSTEM, object_type, reference.id, display=reference.name or reference.identifier)


def _member_link(reference: cw.Reference | None) -> Link | None:
    if reference is None:
        return None
    key = reference.identifier or (str(reference.id) if reference.id is not None else None)
    if not key:
        return None
    return Link.to(SYSTEM, "member", key, display=reference.name or reference.identifier)


def _name(reference: cw.Reference | None) -> str | None:
    if reference is None:
        return None
    return reference.name or reference.identifier


def _name_in(reference: cw.Reference | None, kind: str, config: MappingConfig) -> str | None:
    """The name of a reference; for an id-only reference, the name ``connectwise_ids.<kind>`` gives its id."""
    name = _name(reference)
    if name is None and reference is not None and reference.id is not None:
        table = config.connectwise_ids.get(kind)
        if table is not None:
            name = table.find_inverse(str(reference.id))
    return name


def _named(kind: str, name: str | None, config: MappingConfig) -> cw.Reference | None:
    if not name:
        return None
    return cw.Reference(id=config.cw_id(kind, name), name=name)


def _id_of(link: Link | None, object_type: str, path: str, *, required: bool = False) -> int | None:
    if link is None:
        if required:
            fail(path, "is required but missing")
        return None
    value = link.id_for(SYSTEM, object_type)
    if value is None:
        fail(path, f"the linked record has no {SYSTEM} {object_type} ref", value=link.display)
    try:
        return int(value)
    except ValueError:
        fail(path, "ConnectWise ids are integers", value=value)


def _ref_out(
    link: Link | None, object_type: str, path: str, *, required: bool = False
) -> cw.Reference | None:
    record_id = _id_of(link, object_type, path, required=required)
    if record_id is None or link is None:
        return None
    return cw.Reference(id=record_id, name=link.display)


def _member_out(link: Link | None, config: MappingConfig, path: str) -> cw.Reference | None:
    if link is None:
        return None
    identifier = link.id_for(SYSTEM, "member")
    if identifier is None:
        sf_user = link.id_for(SALESFORCE, "User")
        if sf_user is not None:
            identifier = config.owners.get(sf_user, path=path, table="owners")
    if identifier is None:
        fail(path, "no ConnectWise member for this person", value=link.display)
    return cw.Reference(id=config.cw_id("members", identifier), identifier=identifier, name=link.display)


def _own_id(record: Any, object_type: str) -> int | None:
    value = record.id_for(SYSTEM, object_type)
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        fail(f"{type(record).__name__}.refs", "ConnectWise ids are integers", value=value)


def _currency(reference: cw.CurrencyReference | None, config: MappingConfig, path: str) -> str:
    code = reference.currency_code if reference is not None else None
    if not code:
        return config.default_currency
    with at(path):
        return Money(0, code).currency


def _currency_out(currency: str | None, config: MappingConfig) -> cw.CurrencyReference | None:
    if not currency:
        return None
    return cw.CurrencyReference(id=config.cw_id("currencies", currency), currency_code=currency)


def _date(value: datetime | None) -> date | None:
    return as_date(value)


def _dt_out(value: date | None) -> datetime | None:
    if value is None:
        return None
    return datetime(value.year, value.month, value.day, tzinfo=timezone.utc)


def _custom_in(
    values: Sequence[cw.CustomFieldValue] | None, record: str, config: MappingConfig
) -> dict[str, Any]:
    by_caption = {cf.caption: cf.value for cf in values or () if cf.caption}
    return vendor_custom_in(by_caption, record, SYSTEM, config)


def _custom_out(
    custom: Mapping[str, Any], record: str, config: MappingConfig
) -> tuple[cw.CustomFieldValue, ...] | None:
    values = vendor_custom_out(custom, record, SYSTEM, config)
    if not values:
        return None
    return tuple(
        cw.CustomFieldValue(id=config.cw_id("custom_fields", caption), caption=caption, value=value)
        for caption, value in values.items()
    )


def _address(
    line1: str | None,
    line2: str | None,
    city: str | None,
    region: str | None,
    postal: str | None,
    country: str | None,
) -> Address | None:
    address = Address(line1=line1, line2=line2, city=city, region=region, postal_code=postal, country=country)
    return None if address.is_empty() else address


def derive_identifier(name: str, *, path: str = "Company.identifier") -> str:
    """A CW company identifier for a new company: the name's ASCII letters and digits, at most 30.

    ConnectWise requires a unique short ``identifier`` on create; a duplicate is answered with a
    conflict the caller resolves (for example by appending a number).

    Args:
        name: Company name.
        path: Field path reported in a ``MappingError``.

    Raises:
        MappingError: The name has no letter or digit.
    """
    folded = unicodedata.normalize("NFKD", name)  # "É" -> "E" + combining accent (dropped below)
    identifier = "".join(ch for ch in folded if ch.isascii() and ch.isalnum())[:30]
    if not identifier:
        fail(path, "cannot derive an identifier from this name", value=name)
    return identifier


def billing_cycle_from_name(name: str | None, *, path: str = "Agreement.billing_cycle") -> BillingCycle:
    """Map a CW billing cycle name or ``billingOptions`` value (``Monthly``, ``Annual`` ...) to a cycle.

    Args:
        name: Company name.
        path: Field path reported in a ``MappingError``.

    Raises:
        MappingError: The name is not a known cycle.
    """
    if not name:
        fail(path, "billing cycle is missing")
    key = normalise_name(name)
    cycle = _CYCLE_ALIASES.get(key) or _CYCLE_ALIASES.get(key.replace(" ", ""))
    if cycle is None:
        fail(path, "unknown billing cycle", value=name)
    return cycle


@total("Address")
def site_to_address(
    site: cw.CompanySite | Mapping[str, Any], config: MappingConfig | None = None
) -> Address | None:
    """Map a CW company site (``GET /company/companies/{id}/sites/{siteId}``) to an :class:`Address`.

    The billing address QuickBooks needs is the company's billing site (``billingSite``, or the
    site with ``defaultBillingFlag``); pass it to :func:`company_to_customer` as ``billing_site=``.

    Args:
        site: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: The payload cannot be parsed.
    """
    s = parse_model(cw.CompanySite, site, "Address")
    state = s.state_reference.identifier or s.state_reference.name if s.state_reference is not None else None
    country = s.country.name or s.country.identifier if s.country is not None else None
    return _address(s.address_line1, s.address_line2, s.city, state, s.zip, country)


@total("CompanySite")
def site_from_address(
    address: Address, config: MappingConfig | None = None, *, name: str = "Main", billing: bool = True
) -> cw.CompanySite:
    """Build a CW company site (``POST /company/companies/{id}/sites``) from an :class:`Address`.

    Args:
        address: The canonical address.
        config: Lookup tables (``connectwise_ids.countries`` / ``states`` give reference ids).
        name: The site name (CW requires one; ``Main`` by default).
        billing: Flag the site as the default billing site.

    Raises:
        MappingError: The address has more street lines than CW's two.
    """
    cfg = _cfg(config)
    if address.line3 or address.line4 or address.line5:
        fail("CompanySite.addressLine3", "ConnectWise sites have two street lines", value=address.line3)
    state = (
        cw.Reference(id=cfg.cw_id("states", address.region), identifier=address.region)
        if address.region
        else None
    )
    return cw.CompanySite(
        name=name,
        address_line1=address.line1,
        address_line2=address.line2,
        city=address.city,
        state_reference=state,
        zip=address.postal_code,
        country=_named("countries", address.country, cfg),
        default_billing_flag=billing or None,
    )


# ------------------------------------------------------------------------------------------ companies

_COMPANY_MAPPED: Final = frozenset(
    {
        "last_updated",
        "id",
        "identifier",
        "name",
        "deleted_flag",
        "phone_number",
        "fax_number",
        "website",
        "address_line1",
        "address_line2",
        "city",
        "state",
        "zip",
        "country",
        "billing_terms",
        "tax_code",
        "currency",
        "credit_limit",
        "account_number",
        "types",
        "parent_company",
        "territory_manager",
        "invoice_to_email_address",
        "custom_fields",
        "annual_revenue",
        "number_of_employees",
    }
)
UNMAPPED_COMPANY_FIELDS: Final = unmapped_fields(cw.Company, _COMPANY_MAPPED)
"""Company attributes not carried (``status`` is read into ``Customer.active`` but never written)."""

_VENDOR_MAPPED: Final = frozenset(
    {
        "last_updated",
        "id",
        "identifier",
        "is_vendor_flag",
        "name",
        "deleted_flag",
        "phone_number",
        "website",
        "address_line1",
        "address_line2",
        "city",
        "state",
        "zip",
        "country",
        "billing_terms",
        "currency",
        "account_number",
        "invoice_to_email_address",
        "custom_fields",
    }
)
UNMAPPED_VENDOR_FIELDS: Final = unmapped_fields(cw.Company, _VENDOR_MAPPED)
"""Company attributes not carried by :func:`company_to_vendor` / :func:`vendor_from_canonical`."""


@total("Customer")
def company_to_customer(
    company: cw.Company | Mapping[str, Any],
    config: MappingConfig | None = None,
    *,
    billing_site: cw.CompanySite | Mapping[str, Any] | None = None,
) -> Customer:
    """Map a CW company (``GET /company/companies/{id}``) to a canonical :class:`Customer`.

    Args:
        company: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).
        billing_site: The company's billing site; its address replaces the company address.

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = _cfg(config)
    c = parse_model(cw.Company, company, "Customer")
    currency = _currency(c.currency, cfg, "Customer.currency")
    status = normalise_name(c.status.name) if c.status is not None and c.status.name else ""
    country = c.country.name or c.country.identifier if c.country is not None else None
    return Customer(
        refs=ref(SYSTEM, "company", c.id, _version(c)),
        updated_at=_updated(c, "Customer.updated_at"),
        deleted=bool(c.deleted_flag),
        custom_fields=_custom_in(c.custom_fields, "Customer", cfg),
        name=require(c.name, "Customer.name"),
        identifier=c.identifier,
        active=not c.deleted_flag and status not in {"inactive", "deleted"},
        email=c.invoice_to_email_address,
        phone=c.phone_number,
        fax=c.fax_number,
        website=c.website,
        billing_address=site_to_address(billing_site, cfg)
        if billing_site is not None
        else _address(c.address_line1, c.address_line2, c.city, c.state, c.zip, country),
        terms=_name_in(c.billing_terms, "billing_terms", cfg),
        tax_code=_name_in(c.tax_code, "tax_codes", cfg),
        currency=currency if c.currency is not None else None,
        credit_limit=opt_money(c.credit_limit, currency, "Customer.credit_limit"),
        account_number=c.account_number,
        customer_type=c.types[0].name if c.types else None,
        parent=_link(c.parent_company, "company"),
        owner=_member_link(c.territory_manager),
        annual_revenue=opt_money(c.annual_revenue, currency, "Customer.annual_revenue"),
        employee_count=c.number_of_employees,
    )


company_to_canonical = company_to_customer


@total("Company")
def company_from_canonical(customer: Customer, config: MappingConfig | None = None) -> cw.Company:
    """Build a CW company (``POST /company/companies``) from a canonical :class:`Customer`.

    A new company (no ConnectWise ref) without an ``identifier`` gets one derived from its name
    (:func:`derive_identifier`).

    Args:
        customer: Link to the paying customer, when the caller knows it.
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = _cfg(config)
    address = customer.billing_address or Address()
    country = None
    if address.country:
        country = cw.Reference(id=cfg.cw_id("countries", address.country), name=address.country)
    own = _own_id(customer, "company")
    identifier = customer.identifier
    if identifier is None and own is None:
        identifier = derive_identifier(customer.name, path="Company.identifier")
    return cw.Company(
        id=own,
        identifier=identifier,
        name=customer.name,
        deleted_flag=customer.deleted,
        phone_number=customer.phone,
        fax_number=customer.fax,
        website=customer.website,
        address_line1=address.line1,
        address_line2=address.line2,
        city=address.city,
        state=address.region,
        zip=address.postal_code,
        country=country,
        billing_terms=_named("billing_terms", customer.terms, cfg),
        tax_code=_named("tax_codes", customer.tax_code, cfg),
        currency=_currency_out(customer.currency, cfg),
        credit_limit=customer.credit_limit.amount if customer.credit_limit is not None else None,
        account_number=customer.account_number,
        types=_types_out(customer.customer_type, cfg),
        parent_company=_ref_out(customer.parent, "company", "Company.parentCompany"),
        territory_manager=_member_out(customer.owner, cfg, "Company.territoryManager"),
        invoice_to_email_address=customer.email,
        custom_fields=_custom_out(customer.custom_fields, "Customer", cfg),
        annual_revenue=customer.annual_revenue.amount if customer.annual_revenue is not None else None,
        number_of_employees=customer.employee_count,
    )


def _types_out(name: str | None, config: MappingConfig) -> tuple[cw.Reference, ...] | None:
    reference = _named("company_types", name, config)
    return (reference,) if reference is not None else None


@total("Vendor")
def company_to_vendor(company: cw.Company | Mapping[str, Any], config: MappingConfig | None = None) -> Vendor:
    """Map a CW vendor company (``isVendorFlag``; ``GET /company/companies/{id}``) to a :class:`Vendor`.

    Args:
        company: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = _cfg(config)
    c = parse_model(cw.Company, company, "Vendor")
    country = c.country.name or c.country.identifier if c.country is not None else None
    return Vendor(
        refs=ref(SYSTEM, "company", c.id, _version(c)),
        updated_at=_updated(c, "Vendor.updated_at"),
        deleted=bool(c.deleted_flag),
        custom_fields=_custom_in(c.custom_fields, "Vendor", cfg),
        name=require(c.name, "Vendor.name"),
        identifier=c.identifier,
        active=not c.deleted_flag,
        email=c.invoice_to_email_address,
        phone=c.phone_number,
        website=c.website,
        address=_address(c.address_line1, c.address_line2, c.city, c.state, c.zip, country),
        terms=_name_in(c.billing_terms, "billing_terms", cfg),
        currency=c.currency.currency_code if c.currency is not None else None,
        account_number=c.account_number,
    )


@total("Company")
def vendor_from_canonical(vendor: Vendor, config: MappingConfig | None = None) -> cw.Company:
    """Build a CW vendor company (``POST /company/companies`` with ``isVendorFlag``) from a :class:`Vendor`.

    Args:
        vendor: The canonical record.
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = _cfg(config)
    address = vendor.address or Address()
    return cw.Company(
        id=_own_id(vendor, "company"),
        identifier=vendor.identifier,
        is_vendor_flag=True,
        name=vendor.name,
        phone_number=vendor.phone,
        website=vendor.website,
        address_line1=address.line1,
        address_line2=address.line2,
        city=address.city,
        state=address.region,
        zip=address.postal_code,
        country=_named("countries", address.country, cfg),
        billing_terms=_named("billing_terms", vendor.terms, cfg),
        currency=_currency_out(vendor.currency, cfg),
        account_number=vendor.account_number,
        invoice_to_email_address=vendor.email,
        custom_fields=_custom_out(vendor.custom_fields, "Vendor", cfg),
    )


# ------------------------------------------------------------------------------------------- contacts

_CONTACT_MAPPED: Final = frozenset(
    {
        "last_updated",
        "id",
        "first_name",
        "last_name",
        "title",
        "department",
        "company",
        "address_line1",
        "address_line2",
        "city",
        "state",
        "zip",
        "country",
        "inactive_flag",
        "default_flag",
        "custom_fields",
    }
)
UNMAPPED_CONTACT_FIELDS: Final = unmapped_fields(cw.Contact, _CONTACT_MAPPED)
"""Contact attributes not carried. ``communicationItems`` is read for the default e-mail, phone and
mobile and written back as new items, so item ids and other items are not preserved."""

_MOBILE_TYPES: Final = frozenset({"cell", "mobile", "cell phone", "mobile phone"})


def _comm(items: Sequence[cw.CommunicationItem] | None, kind: str, *, mobile: bool = False) -> str | None:
    candidates = []
    for item in items or ():
        if (item.communication_type or "").lower() != kind or not item.value:
            continue
        is_mobile = normalise_name(_name(item.type) or "") in _MOBILE_TYPES
        if is_mobile != mobile and kind == "phone":
            continue
        candidates.append(item)
    candidates.sort(key=lambda i: not i.default_flag)
    return candidates[0].value if candidates else None


@total("Contact")
def contact_to_canonical(
    contact: cw.Contact | Mapping[str, Any], config: MappingConfig | None = None
) -> Contact:
    """Map a CW contact (``GET /company/contacts/{id}``) to a canonical :class:`Contact`.

    Args:
        contact: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = _cfg(config)
    c = parse_model(cw.Contact, contact, "Contact")
    country = c.country.name or c.country.identifier if c.country is not None else None
    return Contact(
        refs=ref(SYSTEM, "contact", c.id, _version(c)),
        updated_at=_updated(c, "Contact.updated_at"),
        custom_fields=_custom_in(c.custom_fields, "Contact", cfg),
        first_name=c.first_name,
        last_name=c.last_name,
        email=_comm(c.communication_items, "email"),
        phone=_comm(c.communication_items, "phone"),
        mobile_phone=_comm(c.communication_items, "phone", mobile=True),
        title=c.title,
        department=_name_in(c.department, "contact_departments", cfg),
        company=_link(c.company, "company"),
        address=_address(c.address_line1, c.address_line2, c.city, c.state, c.zip, country),
        active=not c.inactive_flag,
        primary=bool(c.default_flag),
    )


@total("Contact")
def contact_from_canonical(contact: Contact, config: MappingConfig | None = None) -> cw.Contact:
    """Build a CW contact (``POST /company/contacts``) from a canonical :class:`Contact`.

    The communication types are written as ``Email``, ``Direct`` and ``Cell`` (ids from
    ``connectwise_ids.communication_types`` when configured).

    Args:
        contact: The canonical record.
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = _cfg(config)
    if not contact.first_name and not contact.last_name:
        fail("Contact.first_name", "a ConnectWise contact needs a first or last name")
    items = []
    for value, type_name, comm_type in (
        (contact.email, "Email", "Email"),
        (contact.phone, "Direct", "Phone"),
        (contact.mobile_phone, "Cell", "Phone"),
    ):
        if value:
            items.append(
                cw.CommunicationItem(
                    type=_named("communication_types", type_name, cfg),
                    value=value,
                    default_flag=True,
                    communication_type=comm_type,
                )
            )
    address = contact.address or Address()
    return cw.Contact(
        id=_own_id(contact, "contact"),
        first_name=contact.first_name,
        last_name=contact.last_name,
        title=contact.title,
        department=_named("contact_departments", contact.department, cfg),
        company=_ref_out(contact.company, "company", "Contact.company"),
        address_line1=address.line1,
        address_line2=address.line2,
        city=address.city,
        state=address.region,
        zip=address.postal_code,
        country=_named("countries", address.country, cfg),
        inactive_flag=not contact.active,
        default_flag=contact.primary,
        communication_items=tuple(items) or None,
        custom_fields=_custom_out(contact.custom_fields, "Contact", cfg),
    )


# ------------------------------------------------------------------------------------------ catalogue

_CATALOG_MAPPED: Final = frozenset(
    {
        "last_updated",
        "id",
        "identifier",
        "description",
        "customer_description",
        "product_class",
        "category",
        "price",
        "cost",
        "taxable_flag",
        "inactive_flag",
        "recurring_flag",
        "recurring_bill_cycle",
        "custom_fields",
    }
)
UNMAPPED_CATALOG_ITEM_FIELDS: Final = unmapped_fields(cw.CatalogItem, _CATALOG_MAPPED)
"""Catalog item attributes not carried."""


@total("Product")
def catalog_item_to_product(
    item: cw.CatalogItem | Mapping[str, Any], config: MappingConfig | None = None
) -> Product:
    """Map a CW catalog item (``GET /procurement/catalog/{id}``) to a canonical :class:`Product`.

    ``identifier`` becomes the SKU, ``description`` the name and ``customerDescription`` the description.

    Args:
        item: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = _cfg(config)
    c = parse_model(cw.CatalogItem, item, "Product")
    currency = cfg.default_currency
    kind = _PRODUCT_KINDS.get(normalise_name(c.product_class or ""), ProductKind.OTHER)
    if c.product_class is None:
        kind = ProductKind.NON_INVENTORY
    cycle = (
        billing_cycle_from_name(c.recurring_bill_cycle.name, path="Product.billing_cycle")
        if (c.recurring_bill_cycle is not None and c.recurring_bill_cycle.name)
        else None
    )
    return Product(
        refs=ref(SYSTEM, "catalog_item", c.id, _version(c)),
        updated_at=_updated(c, "Product.updated_at"),
        custom_fields=_custom_in(c.custom_fields, "Product", cfg),
        name=require(c.description or c.identifier, "Product.name"),
        sku=c.identifier,
        description=c.customer_description,
        kind=kind,
        product_class=c.product_class,
        category=_name_in(c.category, "categories", cfg),
        unit_price=opt_money(c.price, currency, "Product.unit_price"),
        unit_cost=opt_money(c.cost, currency, "Product.unit_cost"),
        taxable=c.taxable_flag,
        active=not c.inactive_flag,
        recurring=bool(c.recurring_flag),
        billing_cycle=cycle,
    )


catalog_item_to_canonical = catalog_item_to_product


@total("CatalogItem")
def catalog_item_from_canonical(product: Product, config: MappingConfig | None = None) -> cw.CatalogItem:
    """Build a CW catalog item (``POST /procurement/catalog``) from a canonical :class:`Product`.

    Args:
        product: The canonical record.
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = _cfg(config)
    product_class = product.product_class
    if product_class is None and product.kind is not ProductKind.OTHER:
        product_class = product.kind.value
    cycle = product.billing_cycle
    return cw.CatalogItem(
        id=_own_id(product, "catalog_item"),
        identifier=require(product.sku or product.name, "CatalogItem.identifier"),
        description=product.name,
        customer_description=product.description,
        product_class=product_class,
        category=_named("categories", product.category, cfg),
        price=product.unit_price.amount if product.unit_price is not None else None,
        cost=product.unit_cost.amount if product.unit_cost is not None else None,
        taxable_flag=product.taxable,
        inactive_flag=not product.active,
        recurring_flag=product.recurring,
        recurring_bill_cycle=_named("billing_cycles", BILLING_CYCLE_NAMES[cycle], cfg) if cycle else None,
        custom_fields=_custom_out(product.custom_fields, "Product", cfg),
    )


# ----------------------------------------------------------------------------------------- agreements

_AGREEMENT_MAPPED: Final = frozenset(
    {
        "last_updated",
        "id",
        "name",
        "company",
        "contact",
        "type",
        "agreement_status",
        "cancelled_flag",
        "start_date",
        "end_date",
        "no_ending_date_flag",
        "billing_cycle",
        "bill_amount",
        "next_invoice_date",
        "bill_start_date",
        "billing_terms",
        "tax_code",
        "taxable",
        "currency",
        "invoice_description",
        "customer_po",
        "custom_fields",
    }
)
UNMAPPED_AGREEMENT_FIELDS: Final = unmapped_fields(cw.Agreement, _AGREEMENT_MAPPED)
"""Agreement attributes not carried (coverage, application limits, invoicing options ...)."""

_ADDITION_MAPPED: Final = frozenset(
    {
        "last_updated",
        "id",
        "product",
        "quantity",
        "less_included",
        "unit_price",
        "unit_cost",
        "description",
        "bill_customer",
        "taxable_flag",
        "effective_date",
        "cancelled_date",
        "custom_fields",
    }
)
UNMAPPED_ADDITION_FIELDS: Final = unmapped_fields(cw.AgreementAddition, _ADDITION_MAPPED)
"""Agreement addition attributes not carried (``extPrice`` etc. are derived)."""

_AGREEMENT_STATUS: Final[dict[str, AgreementStatus]] = {
    "active": AgreementStatus.ACTIVE,
    "cancelled": AgreementStatus.CANCELLED,
    "canceled": AgreementStatus.CANCELLED,
    "expired": AgreementStatus.EXPIRED,
    "inactive": AgreementStatus.INACTIVE,
}


@total("AgreementAddition")
def addition_to_canonical(
    addition: cw.AgreementAddition | Mapping[str, Any],
    config: MappingConfig | None = None,
    *,
    currency: str | None = None,
) -> AgreementAddition:
    """Map a CW agreement addition (``GET /finance/agreements/{id}/additions``) to canonical.

    Args:
        addition: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).
        currency: Currency of the amounts (default: ``config.default_currency``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = _cfg(config)
    a = parse_model(cw.AgreementAddition, addition, "AgreementAddition")
    cur = currency or cfg.default_currency
    bill = normalise_name(a.bill_customer or "billable")
    return AgreementAddition(
        refs=ref(SYSTEM, "addition", a.id, _version(a)),
        updated_at=_updated(a, "AgreementAddition.updated_at"),
        custom_fields=_custom_in(a.custom_fields, "AgreementAddition", cfg),
        unit_price=money(
            a.unit_price if a.unit_price is not None else 0, cur, "AgreementAddition.unit_price"
        ),
        quantity=opt_decimal(a.quantity, "AgreementAddition.quantity")
        if a.quantity is not None
        else Decimal(1),
        less_included=opt_decimal(a.less_included, "AgreementAddition.less_included") or Decimal(0),
        product=_link(a.product, "catalog_item"),
        sku=a.product.identifier if a.product is not None else None,
        description=a.description,
        unit_cost=opt_money(a.unit_cost, cur, "AgreementAddition.unit_cost"),
        billable=bill == "billable",
        taxable=a.taxable_flag,
        effective_date=_date(a.effective_date),
        cancelled_date=_date(a.cancelled_date),
    )


@total("AgreementAddition")
def addition_from_canonical(
    addition: AgreementAddition, config: MappingConfig | None = None
) -> cw.AgreementAddition:
    """Build a CW agreement addition (``POST /finance/agreements/{id}/additions``) from canonical.

    Args:
        addition: The canonical record.
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = _cfg(config)
    product = None
    if addition.product is not None or addition.sku:
        product_id = None
        if addition.product is not None and addition.product.id_for(SYSTEM, "catalog_item") is not None:
            product_id = _id_of(addition.product, "catalog_item", "AgreementAddition.product")
        product = cw.Reference(id=product_id, identifier=addition.sku)
    return cw.AgreementAddition(
        id=_own_id(addition, "addition"),
        product=require(product, "AgreementAddition.product", "a ConnectWise addition needs a catalog item"),
        quantity=addition.quantity,
        less_included=addition.less_included,
        unit_price=addition.unit_price.amount,
        unit_cost=addition.unit_cost.amount if addition.unit_cost is not None else None,
        description=addition.description,
        bill_customer="Billable" if addition.billable else "DoNotBill",
        taxable_flag=addition.taxable,
        effective_date=_dt_out(addition.effective_date),
        cancelled_date=_dt_out(addition.cancelled_date),
        custom_fields=_custom_out(addition.custom_fields, "AgreementAddition", cfg),
    )


@total("Agreement")
def agreement_to_canonical(
    agreement: cw.Agreement | Mapping[str, Any],
    config: MappingConfig | None = None,
    *,
    additions: Sequence[cw.AgreementAddition | Mapping[str, Any]] = (),
) -> Agreement:
    """Map a CW agreement (``GET /finance/agreements/{id}``) and its additions to canonical.

    Args:
        agreement: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).
        additions: The agreement's additions (``GET /finance/agreements/{id}/additions``), models or payloads.

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = _cfg(config)
    a = parse_model(cw.Agreement, agreement, "Agreement")
    currency = _currency(a.currency, cfg, "Agreement.currency")
    status = _AGREEMENT_STATUS.get(normalise_name(a.agreement_status or "active"))
    if status is None:
        fail("Agreement.status", "unknown agreement status", value=a.agreement_status)
    if a.cancelled_flag:
        status = AgreementStatus.CANCELLED
    cycle = BillingCycle.ONE_TIME
    if a.billing_cycle is not None or not a.one_time_flag:
        cycle = billing_cycle_from_name(
            _name_in(a.billing_cycle, "billing_cycles", cfg), path="Agreement.billing_cycle"
        )
    mapped_additions = []
    for i, item in enumerate(additions):
        with at(f"Agreement.additions[{i}]"):
            mapped_additions.append(addition_to_canonical(item, cfg, currency=currency))
    return Agreement(
        refs=ref(SYSTEM, "agreement", a.id, _version(a)),
        updated_at=_updated(a, "Agreement.updated_at"),
        custom_fields=_custom_in(a.custom_fields, "Agreement", cfg),
        name=require(a.name, "Agreement.name"),
        customer=require(_link(a.company, "company"), "Agreement.customer"),
        currency=currency,
        billing_cycle=cycle,
        agreement_type=_name_in(a.type, "agreement_types", cfg),
        status=status,
        start_date=_date(a.start_date),
        end_date=_date(a.end_date),
        no_end_date=bool(a.no_ending_date_flag),
        bill_amount=opt_money(a.bill_amount, currency, "Agreement.bill_amount"),
        next_invoice_date=_date(a.next_invoice_date),
        bill_start_date=_date(a.bill_start_date),
        additions=mapped_additions,
        terms=_name_in(a.billing_terms, "billing_terms", cfg),
        tax_code=_name_in(a.tax_code, "tax_codes", cfg),
        taxable=a.taxable,
        contact=_link(a.contact, "contact"),
        description=a.invoice_description,
        customer_po=a.customer_po,
    )


@total("Agreement")
def agreement_from_canonical(agreement: Agreement, config: MappingConfig | None = None) -> cw.Agreement:
    """Build a CW agreement (``POST /finance/agreements``) from canonical (additions: see ``addition_from_canonical``).

    Args:
        agreement: The canonical record.
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = _cfg(config)
    return cw.Agreement(
        id=_own_id(agreement, "agreement"),
        name=agreement.name,
        company=_ref_out(agreement.customer, "company", "Agreement.company", required=True),
        contact=_ref_out(agreement.contact, "contact", "Agreement.contact"),
        type=_named("agreement_types", agreement.agreement_type, cfg),
        agreement_status=agreement.status.value,
        cancelled_flag=agreement.status is AgreementStatus.CANCELLED,
        start_date=_dt_out(agreement.start_date),
        end_date=_dt_out(agreement.end_date),
        no_ending_date_flag=agreement.no_end_date,
        billing_cycle=_named("billing_cycles", BILLING_CYCLE_NAMES[agreement.billing_cycle], cfg),
        bill_amount=agreement.bill_amount.amount if agreement.bill_amount is not None else None,
        next_invoice_date=_dt_out(agreement.next_invoice_date),
        bill_start_date=_dt_out(agreement.bill_start_date),
        billing_terms=_named("billing_terms", agreement.terms, cfg),
        tax_code=_named("tax_codes", agreement.tax_code, cfg),
        taxable=agreement.taxable,
        currency=_currency_out(agreement.currency, cfg),
        invoice_description=agreement.description,
        customer_po=agreement.customer_po,
        custom_fields=_custom_out(agreement.custom_fields, "Agreement", cfg),
    )


# ------------------------------------------------------------------------------------------- invoices

_INVOICE_MAPPED: Final = frozenset(
    {
        "last_updated",
        "id",
        "invoice_number",
        "type",
        "company",
        "date",
        "due_date",
        "currency",
        "subtotal",
        "sales_tax",
        "total",
        "balance",
        "billing_terms",
        "tax_code",
        "customer_po",
        "internal_notes",
        "top_comment",
        "agreement",
        "billing_site_address_line1",
        "billing_site_address_line2",
        "billing_site_city",
        "billing_site_state",
        "billing_site_zip",
        "billing_site_country",
        "custom_fields",
    }
)
UNMAPPED_INVOICE_FIELDS: Final = unmapped_fields(cw.Invoice, _INVOICE_MAPPED)
"""Invoice attributes not carried (``status`` is CW's billing status; the canonical status is derived from the balance)."""

_SUMMARY_COMPONENTS: Final = (
    ("agreement_amount", "Agreement", "Agreement"),
    ("service_total", "Services", "Service"),
    ("product_total", "Products", "NonInventory"),
    ("expense_total", "Expenses", "Expense"),
)


def _invoice_status(total_amount: Decimal | None, balance: Decimal | None) -> InvoiceStatus:
    if balance is None or total_amount is None:
        return InvoiceStatus.OPEN
    if balance == 0 and total_amount != 0:
        return InvoiceStatus.PAID
    if 0 < balance < total_amount:
        return InvoiceStatus.PARTIALLY_PAID
    return InvoiceStatus.OPEN


def invoice_summary_lines(invoice: cw.Invoice, currency: str) -> tuple[InvoiceLine, ...]:
    """Summary lines for a CW invoice whose detail lines were not fetched.

    One line per non-zero component (``agreementAmount``, ``serviceTotal``, ``productTotal``,
    ``expenseTotal``) with ``product_class`` ``Agreement`` / ``Service`` / ``NonInventory`` /
    ``Expense`` (map those in ``MappingConfig.product_classes``), plus an ``Adjustments`` line
    (product class ``Adjustment``) for whatever else makes up ``subtotal`` (adjustments, down
    payments), so nothing billable is lost. When the invoice reports no component at all, one line
    carries the whole subtotal with the invoice type (``Agreement``, ``Standard`` ...) as product class.

    Args:
        invoice: The wire model, or its raw JSON payload (parsed with ``from_api``).
        currency: Currency of the amounts (default: ``config.default_currency``).

    """
    lines: list[InvoiceLine] = []
    running = Decimal(0)
    components = [
        (attr, label, pc) for attr, label, pc in _SUMMARY_COMPONENTS if getattr(invoice, attr) is not None
    ]
    if not components and invoice.subtotal:
        label = f"{invoice.type or 'Standard'} invoice {invoice.invoice_number or ''}".strip()
        amount = Money(invoice.subtotal, currency)
        return (
            InvoiceLine(
                amount=amount,
                quantity=Decimal(1),
                unit_price=amount,
                description=label,
                product_class=invoice.type or "Standard",
                taxable=invoice.taxable_flag,
                line_number=1,
            ),
        )
    for attr, label, product_class in components:
        value: Decimal | None = getattr(invoice, attr)
        if value:
            running += value
            lines.append(
                InvoiceLine(
                    amount=Money(value, currency),
                    quantity=Decimal(1),
                    unit_price=Money(value, currency),
                    description=label,
                    product_class=product_class,
                    taxable=invoice.taxable_flag,
                    line_number=len(lines) + 1,
                )
            )
    if invoice.subtotal is not None and invoice.subtotal != running:
        rest = invoice.subtotal - running
        lines.append(
            InvoiceLine(
                amount=Money(rest, currency),
                quantity=Decimal(1),
                unit_price=Money(rest, currency),
                description="Adjustments",
                kind=LineKind.ADJUSTMENT,
                product_class="Adjustment",
                taxable=invoice.taxable_flag,
                line_number=len(lines) + 1,
            )
        )
    return tuple(lines)


@total("Invoice")
def invoice_to_canonical(
    invoice: cw.Invoice | Mapping[str, Any],
    config: MappingConfig | None = None,
    *,
    lines: Sequence[InvoiceLine] | None = None,
) -> Invoice:
    """Map a CW invoice (``GET /finance/invoices/{id}``) to a canonical :class:`Invoice`.

    CW invoices carry totals, not lines: pass the detail ``lines`` built from the invoice's
    products and time (:func:`product_item_to_invoice_line`, :func:`time_entry_to_invoice_line`);
    without them :func:`invoice_summary_lines` is used.

    Args:
        invoice: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).
        lines: Canonical detail lines (from products and time); default: :func:`invoice_summary_lines`.

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = _cfg(config)
    inv = parse_model(cw.Invoice, invoice, "Invoice")
    currency = _currency(inv.currency, cfg, "Invoice.currency")
    detail = tuple(lines) if lines is not None else invoice_summary_lines(inv, currency)
    agreement = None
    if inv.agreement is not None and inv.agreement.id is not None:
        agreement = Link.to(SYSTEM, "agreement", inv.agreement.id, display=inv.agreement.name)
    return Invoice(
        refs=ref(SYSTEM, "invoice", inv.id, _version(inv)),
        updated_at=_updated(inv, "Invoice.updated_at"),
        custom_fields=_custom_in(inv.custom_fields, "Invoice", cfg),
        customer=require(_link(inv.company, "company"), "Invoice.customer"),
        currency=currency,
        number=inv.invoice_number,
        invoice_type=inv.type,
        status=_invoice_status(inv.total, inv.balance),
        issue_date=_date(inv.date),
        due_date=_date(inv.due_date),
        lines=detail,
        subtotal=opt_money(inv.subtotal, currency, "Invoice.subtotal"),
        tax_total=opt_money(inv.sales_tax, currency, "Invoice.tax_total"),
        total=opt_money(inv.total, currency, "Invoice.total"),
        balance=opt_money(inv.balance, currency, "Invoice.balance"),
        terms=_name_in(inv.billing_terms, "billing_terms", cfg),
        tax_code=_name_in(inv.tax_code, "tax_codes", cfg),
        po_number=inv.customer_po,
        memo=inv.internal_notes,
        customer_memo=inv.top_comment,
        agreement=agreement,
        billing_address=_address(
            inv.billing_site_address_line1,
            inv.billing_site_address_line2,
            inv.billing_site_city,
            inv.billing_site_state,
            inv.billing_site_zip,
            inv.billing_site_country,
        ),
    )


@total("Invoice")
def invoice_from_canonical(invoice: Invoice, config: MappingConfig | None = None) -> cw.Invoice:
    """Build a CW invoice (``POST /finance/invoices``) from a canonical :class:`Invoice`.

    Amounts are written for completeness; ConnectWise computes them itself on create.

    Args:
        invoice: The canonical record.
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = _cfg(config)
    address = invoice.billing_address or Address()
    agreement = None
    if invoice.agreement is not None:
        agreement = cw.AgreementReference(
            id=_id_of(invoice.agreement, "agreement", "Invoice.agreement"), name=invoice.agreement.display
        )

    def amount(value: Money | None) -> Decimal | None:
        return value.amount if value is not None else None

    return cw.Invoice(
        id=_own_id(invoice, "invoice"),
        invoice_number=invoice.number,
        type=invoice.invoice_type or "Standard",
        company=_ref_out(invoice.customer, "company", "Invoice.company", required=True),
        date=_dt_out(invoice.issue_date),
        due_date=_dt_out(invoice.due_date),
        currency=_currency_out(invoice.currency, cfg),
        subtotal=amount(invoice.subtotal),
        sales_tax=amount(invoice.tax_total),
        total=amount(invoice.total),
        balance=amount(invoice.balance),
        billing_terms=_named("billing_terms", invoice.terms, cfg),
        tax_code=_named("tax_codes", invoice.tax_code, cfg),
        customer_po=invoice.po_number,
        internal_notes=invoice.memo,
        top_comment=invoice.customer_memo,
        agreement=agreement,
        billing_site_address_line1=address.line1,
        billing_site_address_line2=address.line2,
        billing_site_city=address.city,
        billing_site_state=address.region,
        billing_site_zip=address.postal_code,
        billing_site_country=address.country,
        custom_fields=_custom_out(invoice.custom_fields, "Invoice", cfg),
    )


@total("InvoiceLine")
def product_item_to_invoice_line(
    product: cw.ProductItem | Mapping[str, Any],
    config: MappingConfig | None = None,
    *,
    currency: str | None = None,
) -> InvoiceLine:
    """Map a billed CW product (``GET /procurement/products?conditions=invoice/id=...``) to an invoice line.

    Args:
        product: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).
        currency: Currency of the amounts (default: ``config.default_currency``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = _cfg(config)
    p = parse_model(cw.ProductItem, product, "InvoiceLine")
    cur = currency or cfg.default_currency
    quantity = opt_decimal(p.quantity, "InvoiceLine.quantity") or Decimal(0)
    price = money(p.price if p.price is not None else 0, cur, "InvoiceLine.unit_price")
    extended = p.ext_price if p.ext_price is not None else price.amount * quantity
    return InvoiceLine(
        amount=money(extended, cur, "InvoiceLine.amount"),
        description=p.customer_description or p.description,
        quantity=quantity,
        unit_price=price,
        product=_link(p.catalog_item, "catalog_item"),
        sku=p.catalog_item.identifier if p.catalog_item is not None else None,
        product_class=p.product_class,
        tax_code=_name_in(p.tax_code, "tax_codes", cfg),
        taxable=p.taxable_flag,
    )


def _hours_billed(entry: cw.TimeEntry) -> Decimal | None:
    for value in (entry.hours_billed, entry.invoice_hours, entry.actual_hours):
        if value is not None:
            return value
    return None


@total("InvoiceLine")
def time_entry_to_invoice_line(
    entry: cw.TimeEntry | Mapping[str, Any],
    config: MappingConfig | None = None,
    *,
    currency: str | None = None,
) -> InvoiceLine:
    """Map a billed CW time entry (``GET /time/entries?conditions=invoice/id=...``) to an invoice line.

    Quantity = hours billed, unit price = hourly rate, product class ``Service`` (the QBO item comes
    from ``work_types`` then ``product_classes.Service``).

    Args:
        entry: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).
        currency: Currency of the amounts (default: ``config.default_currency``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = _cfg(config)
    t = parse_model(cw.TimeEntry, entry, "InvoiceLine")
    cur = currency or cfg.default_currency
    hours = require(_hours_billed(t), "InvoiceLine.quantity")
    rate = money(t.hourly_rate if t.hourly_rate is not None else 0, cur, "InvoiceLine.unit_price")
    amount = t.extended_invoice_amount if t.extended_invoice_amount is not None else rate.amount * hours
    work_type = _name_in(t.work_type, "work_types", cfg)
    item_id = cfg.work_types.find(work_type) if work_type else None
    return InvoiceLine(
        amount=money(amount, cur, "InvoiceLine.amount"),
        description=t.notes or work_type,
        quantity=hours,
        unit_price=rate,
        product=Link.to(QUICKBOOKS, "Item", item_id, display=work_type) if item_id else None,
        product_class="Service",
        service_date=_date(t.time_start),
        taxable=False,
    )


# ------------------------------------------------------------------------------------------- payments

_PAYMENT_MAPPED: Final = frozenset(
    {"last_updated", "id", "amount", "payment_date", "invoice", "credit", "type"}
)
UNMAPPED_PAYMENT_FIELDS: Final = unmapped_fields(cw.InvoicePayment, _PAYMENT_MAPPED)
"""Invoice payment attributes not carried (``appliedBy`` is set by ConnectWise)."""


@total("Payment")
def invoice_payment_to_payment(
    payment: cw.InvoicePayment | Mapping[str, Any],
    config: MappingConfig | None = None,
    *,
    customer: Link | None = None,
    currency: str | None = None,
) -> Payment:
    """Map a CW invoice payment (``GET /finance/invoices/{id}/payments``) to a one-allocation :class:`Payment`.

    Args:
        payment: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).
        customer: Link to the paying customer, when the caller knows it.
        currency: Currency of the amounts (default: ``config.default_currency``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = _cfg(config)
    p = parse_model(cw.InvoicePayment, payment, "Payment")
    cur = currency or cfg.default_currency
    amount = money(require(p.amount, "Payment.total"), cur, "Payment.total")
    allocations = []
    if p.invoice is not None and p.invoice.id is not None:
        target = Link.to(SYSTEM, "invoice", p.invoice.id, display=p.invoice.identifier)
        allocations.append(PaymentAllocation(target=target, amount=amount))
    if p.credit is not None and p.credit.id is not None:
        credit = Link.to(SYSTEM, "invoice", p.credit.id, display=p.credit.identifier)
        allocations.append(PaymentAllocation(target=credit, amount=amount, target_type="CreditMemo"))
    return Payment(
        refs=ref(SYSTEM, "payment", p.id, _version(p)),
        updated_at=_updated(p, "Payment.updated_at"),
        customer=customer or Link(),
        total=amount,
        payment_date=_date(p.payment_date),
        method=p.type,
        allocations=allocations,
    )


invoice_payment_to_canonical = invoice_payment_to_payment


@total("Payment")
def invoice_payments_from_canonical(
    payment: Payment, config: MappingConfig | None = None
) -> tuple[tuple[int, cw.InvoicePayment], ...]:
    """Split a canonical payment into CW invoice payments (``POST /finance/invoices/{id}/payments``).

    Returns ``(invoice id, payment)`` pairs, one per allocation to an invoice; credit-memo
    allocations are carried on the invoice payment of the same index as ``credit`` when present.

    Args:
        payment: The canonical record.
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: An allocation's invoice has no ConnectWise ref.
    """
    out: list[tuple[int, cw.InvoicePayment]] = []
    for i, allocation in enumerate(payment.allocations):
        if allocation.target_type == "CreditMemo":
            continue
        path = f"Payment.allocations[{i}].target"
        invoice_id = _id_of(allocation.target, "invoice", path, required=True)
        assert invoice_id is not None  # noqa: S101 - required=True guarantees it
        out.append(
            (
                invoice_id,
                cw.InvoicePayment(
                    id=_own_id(payment, "payment"),
                    amount=allocation.amount.amount,
                    payment_date=_dt_out(payment.payment_date),
                    type=payment.method,
                    invoice=cw.InvoiceReference(id=invoice_id, identifier=allocation.target.display),
                ),
            )
        )
    return tuple(out)


# ---------------------------------------------------------------------------------------- time entries

_TIME_MAPPED: Final = frozenset(
    {
        "last_updated",
        "id",
        "member",
        "company",
        "ticket",
        "charge_to_type",
        "charge_to_id",
        "project",
        "agreement",
        "invoice",
        "time_start",
        "time_end",
        "actual_hours",
        "hours_billed",
        "billable_option",
        "hourly_rate",
        "hourly_cost",
        "notes",
        "work_type",
        "work_role",
        "status",
        "custom_fields",
    }
)
UNMAPPED_TIME_ENTRY_FIELDS: Final = unmapped_fields(cw.TimeEntry, _TIME_MAPPED)
"""Time entry attributes not carried (read-only denormalisations and e-mail action flags)."""


@total("TimeEntry")
def time_entry_to_canonical(
    entry: cw.TimeEntry | Mapping[str, Any],
    config: MappingConfig | None = None,
    *,
    currency: str | None = None,
) -> TimeEntry:
    """Map a CW time entry (``GET /time/entries/{id}``) to a canonical :class:`TimeEntry`.

    Args:
        entry: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).
        currency: Currency of the amounts (default: ``config.default_currency``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = _cfg(config)
    t = parse_model(cw.TimeEntry, entry, "TimeEntry")
    cur = currency or cfg.default_currency
    hours = t.actual_hours
    if hours is None and t.time_start is not None and t.time_end is not None:
        hours = Decimal((t.time_end - t.time_start).total_seconds()) / Decimal(3600)
    billable = _BILLABLE_IN.get(normalise_name(t.billable_option or "billable").replace(" ", ""))
    if billable is None:
        fail("TimeEntry.billable", "unknown billable option", value=t.billable_option)
    if t.status in {"Billed", "BilledAgreement"} and billable is BillableStatus.BILLABLE:
        billable = BillableStatus.BILLED
    ticket = None
    if t.ticket is not None and t.ticket.id is not None:
        ticket = Link.to(SYSTEM, "ticket", t.ticket.id, display=t.ticket.summary)
    elif t.charge_to_type in {"ServiceTicket", "ProjectTicket"} and t.charge_to_id is not None:
        ticket = Link.to(SYSTEM, "ticket", t.charge_to_id)
    cost = opt_decimal(t.hourly_cost, "TimeEntry.cost_rate")
    invoice = None
    if t.invoice is not None and t.invoice.id is not None:
        invoice = Link.to(SYSTEM, "invoice", t.invoice.id, display=t.invoice.identifier)
    agreement = None
    if t.agreement is not None and t.agreement.id is not None:
        agreement = Link.to(SYSTEM, "agreement", t.agreement.id, display=t.agreement.name)
    return TimeEntry(
        refs=ref(SYSTEM, "time_entry", t.id, _version(t)),
        updated_at=_updated(t, "TimeEntry.updated_at"),
        custom_fields=_custom_in(t.custom_fields, "TimeEntry", cfg),
        hours=require(hours, "TimeEntry.hours"),
        member=_member_link(t.member),
        customer=_link(t.company, "company"),
        ticket=ticket,
        project=_link(t.project, "project"),
        agreement=agreement,
        invoice=invoice,
        work_date=_date(t.time_start),
        start=aware(t.time_start, "TimeEntry.start"),
        end=aware(t.time_end, "TimeEntry.end"),
        billable_hours=t.hours_billed,
        billable=billable,
        hourly_rate=opt_money(t.hourly_rate, cur, "TimeEntry.hourly_rate"),
        cost_rate=Money(cost, cur) if cost is not None else None,
        notes=t.notes,
        work_type=_name_in(t.work_type, "work_types", cfg),
        work_role=_name_in(t.work_role, "work_roles", cfg),
        status=t.status,
    )


@total("TimeEntry")
def time_entry_from_canonical(entry: TimeEntry, config: MappingConfig | None = None) -> cw.TimeEntry:
    """Build a CW time entry (``POST /time/entries``) from a canonical :class:`TimeEntry`.

    Without a start time (QuickBooks time has only a date) the entry starts at midnight UTC of
    ``work_date`` and carries ``actualHours``.

    Args:
        entry: The canonical record.
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = _cfg(config)
    start = entry.start
    if start is None and entry.work_date is not None:
        start = datetime(
            entry.work_date.year, entry.work_date.month, entry.work_date.day, tzinfo=timezone.utc
        )
    if start is None:
        fail("TimeEntry.timeStart", "ConnectWise time entries need a start time or a work date")
    ticket_id = _id_of(entry.ticket, "ticket", "TimeEntry.ticket")
    agreement = None
    if entry.agreement is not None:
        agreement = cw.AgreementReference(id=_id_of(entry.agreement, "agreement", "TimeEntry.agreement"))
    invoice = None
    if entry.invoice is not None:
        invoice = cw.InvoiceReference(id=_id_of(entry.invoice, "invoice", "TimeEntry.invoice"))
    return cw.TimeEntry(
        id=_own_id(entry, "time_entry"),
        member=_member_out(entry.member, cfg, "TimeEntry.member"),
        company=_ref_out(entry.customer, "company", "TimeEntry.company"),
        charge_to_type="ServiceTicket" if ticket_id is not None else None,
        charge_to_id=ticket_id,
        ticket=cw.TicketReference(id=ticket_id, summary=entry.ticket.display if entry.ticket else None)
        if ticket_id is not None
        else None,
        project=_ref_out(entry.project, "project", "TimeEntry.project"),
        agreement=agreement,
        invoice=invoice,
        time_start=start,
        time_end=entry.end,
        actual_hours=entry.hours,
        hours_billed=entry.billable_hours,
        billable_option=_BILLABLE_OUT[entry.billable],
        hourly_rate=entry.hourly_rate.amount if entry.hourly_rate is not None else None,
        hourly_cost=str(entry.cost_rate.amount) if entry.cost_rate is not None else None,
        notes=entry.notes,
        work_type=_named("work_types", entry.work_type, cfg),
        work_role=_named("work_roles", entry.work_role, cfg),
        status=entry.status,
        custom_fields=_custom_out(entry.custom_fields, "TimeEntry", cfg),
    )


# -------------------------------------------------------------------------------------------- tickets

_TICKET_MAPPED: Final = frozenset(
    {
        "last_updated",
        "id",
        "summary",
        "initial_description",
        "status",
        "priority",
        "closed_flag",
        "company",
        "contact",
        "owner",
        "board",
        "type",
        "source",
        "closed_date",
        "agreement",
        "custom_fields",
    }
)
UNMAPPED_TICKET_FIELDS: Final = unmapped_fields(cw.Ticket, _TICKET_MAPPED)
"""Ticket attributes not carried (``escalationLevel`` is read into ``Ticket.escalated`` only)."""


@total("Ticket")
def ticket_to_canonical(ticket: cw.Ticket | Mapping[str, Any], config: MappingConfig | None = None) -> Ticket:
    """Map a CW service ticket (``GET /service/tickets/{id}``) to a canonical :class:`Ticket`.

    Args:
        ticket: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = _cfg(config)
    t = parse_model(cw.Ticket, ticket, "Ticket")
    opened = None
    if t.info is not None and isinstance(t.info.get("dateEntered"), str):
        with at("Ticket.opened_at"):
            opened = isoparse(t.info["dateEntered"])
    agreement = None
    if t.agreement is not None and t.agreement.id is not None:
        agreement = Link.to(SYSTEM, "agreement", t.agreement.id, display=t.agreement.name)
    return Ticket(
        refs=ref(SYSTEM, "ticket", t.id, _version(t)),
        updated_at=_updated(t, "Ticket.updated_at"),
        custom_fields=_custom_in(t.custom_fields, "Ticket", cfg),
        summary=t.summary or "",
        description=t.initial_description,
        number=str(t.id) if t.id is not None else None,
        status=_name_in(t.status, "ticket_statuses", cfg),
        priority=_name_in(t.priority, "priorities", cfg),
        closed=bool(t.closed_flag),
        escalated=bool(t.escalation_level),
        customer=_link(t.company, "company"),
        contact=_link(t.contact, "contact"),
        owner=_member_link(t.owner),
        board=_name_in(t.board, "boards", cfg),
        ticket_type=_name_in(t.type, "ticket_types", cfg),
        source=_name_in(t.source, "sources", cfg),
        opened_at=aware(opened, "Ticket.opened_at"),
        closed_at=aware(t.closed_date, "Ticket.closed_at"),
        agreement=agreement,
    )


@total("Ticket")
def ticket_from_canonical(ticket: Ticket, config: MappingConfig | None = None) -> cw.Ticket:
    """Build a CW service ticket (``POST /service/tickets``) from a canonical :class:`Ticket`.

    Args:
        ticket: The canonical record.
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = _cfg(config)
    agreement = None
    if ticket.agreement is not None:
        agreement = cw.AgreementReference(
            id=_id_of(ticket.agreement, "agreement", "Ticket.agreement"), name=ticket.agreement.display
        )
    priority = None
    if ticket.priority:
        priority = cw.PriorityReference(id=cfg.cw_id("priorities", ticket.priority), name=ticket.priority)
    own = _own_id(ticket, "ticket")
    return cw.Ticket(
        id=own,
        summary=require(ticket.summary, "Ticket.summary"),
        initial_description=ticket.description,
        status=_named("ticket_statuses", ticket.status, cfg),
        priority=priority,
        closed_flag=ticket.closed,
        company=_ref_out(ticket.customer, "company", "Ticket.company", required=own is None),
        contact=_ref_out(ticket.contact, "contact", "Ticket.contact"),
        owner=_member_out(ticket.owner, cfg, "Ticket.owner"),
        board=_named("boards", ticket.board, cfg),
        type=_named("ticket_types", ticket.ticket_type, cfg),
        source=_named("sources", ticket.source, cfg),
        closed_date=ticket.closed_at,
        agreement=agreement,
        custom_fields=_custom_out(ticket.custom_fields, "Ticket", cfg),
    )


# ------------------------------------------------------------------------------------- opportunities

_OPPORTUNITY_MAPPED: Final = frozenset(
    {
        "last_updated",
        "id",
        "name",
        "company",
        "contact",
        "stage",
        "status",
        "expected_close_date",
        "probability",
        "primary_sales_rep",
        "type",
        "source",
        "notes",
        "custom_fields",
    }
)
UNMAPPED_OPPORTUNITY_FIELDS: Final = unmapped_fields(cw.Opportunity, _OPPORTUNITY_MAPPED)
"""Opportunity attributes not carried (amounts live on the forecast endpoint, not here)."""

_OPP_STATUS: Final[dict[str, OpportunityStatus]] = {
    "won": OpportunityStatus.WON,
    "closed won": OpportunityStatus.WON,
    "lost": OpportunityStatus.LOST,
    "closed lost": OpportunityStatus.LOST,
    "no decision": OpportunityStatus.LOST,
}


def _probability(reference: cw.Reference | None) -> Decimal | None:
    if reference is None or not reference.name:
        return None
    digits = "".join(ch for ch in reference.name if ch.isdigit() or ch == ".")
    return Decimal(digits) if digits and digits.count(".") <= 1 and digits != "." else None


@total("Opportunity")
def opportunity_to_canonical(
    opportunity: cw.Opportunity | Mapping[str, Any],
    config: MappingConfig | None = None,
    *,
    amount: Money | None = None,
) -> Opportunity:
    """Map a CW opportunity (``GET /sales/opportunities/{id}``) to a canonical :class:`Opportunity`.

    ``amount`` comes from the forecast endpoint (``/sales/opportunities/{id}/forecast``) when the
    caller has it.

    Args:
        opportunity: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).
        amount: The deal value from the forecast endpoint, when known.

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = _cfg(config)
    o = parse_model(cw.Opportunity, opportunity, "Opportunity")
    status = _OPP_STATUS.get(
        normalise_name(_name_in(o.status, "opportunity_statuses", cfg) or ""), OpportunityStatus.OPEN
    )
    return Opportunity(
        refs=ref(SYSTEM, "opportunity", o.id, _version(o)),
        updated_at=_updated(o, "Opportunity.updated_at"),
        custom_fields=_custom_in(o.custom_fields, "Opportunity", cfg),
        name=require(o.name, "Opportunity.name"),
        customer=_link(o.company, "company"),
        contact=_link(o.contact, "contact"),
        stage=_name_in(o.stage, "stages", cfg),
        status=status,
        amount=amount,
        close_date=_date(o.expected_close_date),
        probability=_probability(o.probability),
        owner=_member_link(o.primary_sales_rep),
        opportunity_type=_name_in(o.type, "opportunity_types", cfg),
        source=o.source,
        description=o.notes,
    )


@total("Opportunity")
def opportunity_from_canonical(
    opportunity: Opportunity, config: MappingConfig | None = None
) -> cw.Opportunity:
    """Build a CW opportunity (``POST /sales/opportunities``) from a canonical :class:`Opportunity`.

    The status is written as ``Open``, ``Won`` or ``Lost`` (ids from ``connectwise_ids.opportunity_statuses``).

    Args:
        opportunity: The canonical record.
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = _cfg(config)
    probability = None
    if opportunity.probability is not None:
        text = format(opportunity.probability.normalize(), "f")
        probability = cw.Reference(id=cfg.cw_id("probabilities", text), name=text)
    return cw.Opportunity(
        id=_own_id(opportunity, "opportunity"),
        name=opportunity.name,
        company=_ref_out(opportunity.customer, "company", "Opportunity.company"),
        contact=_ref_out(opportunity.contact, "contact", "Opportunity.contact"),
        stage=_named("stages", opportunity.stage, cfg),
        status=_named("opportunity_statuses", opportunity.status.value, cfg),
        expected_close_date=_dt_out(opportunity.close_date),
        probability=probability,
        primary_sales_rep=_member_out(opportunity.owner, cfg, "Opportunity.primarySalesRep"),
        type=_named("opportunity_types", opportunity.opportunity_type, cfg),
        source=opportunity.source,
        notes=opportunity.description,
        currency=_currency_out(opportunity.amount.currency if opportunity.amount is not None else None, cfg),
        custom_fields=_custom_out(opportunity.custom_fields, "Opportunity", cfg),
    )


# ------------------------------------------------------------------------------------ purchase orders

_PO_MAPPED: Final = frozenset(
    {
        "last_updated",
        "id",
        "po_number",
        "po_date",
        "status",
        "closed_flag",
        "vendor_company",
        "customer_company",
        "currency",
        "sub_total",
        "sales_tax",
        "freight_cost",
        "total",
        "terms",
        "vendor_invoice_number",
        "vendor_invoice_date",
        "internal_notes",
        "custom_fields",
    }
)
UNMAPPED_PURCHASE_ORDER_FIELDS: Final = unmapped_fields(cw.PurchaseOrder, _PO_MAPPED)
"""Purchase order attributes not carried (shipping, warehouse and customer address details)."""

_PO_LINE_MAPPED: Final = frozenset(
    {
        "id",
        "last_updated",
        "line_number",
        "product",
        "description",
        "quantity",
        "unit_cost",
        "received_quantity",
    }
)
UNMAPPED_PURCHASE_ORDER_LINE_FIELDS: Final = unmapped_fields(cw.PurchaseOrderLineItem, _PO_LINE_MAPPED)
"""Purchase order line attributes not carried (shipping and receiving details)."""


@total("PurchaseOrder")
def purchase_order_to_canonical(
    order: cw.PurchaseOrder | Mapping[str, Any],
    config: MappingConfig | None = None,
    *,
    lines: Sequence[cw.PurchaseOrderLineItem | Mapping[str, Any]] = (),
) -> PurchaseOrder:
    """Map a CW purchase order (``GET /procurement/purchaseorders/{id}`` + ``/lineitems``) to canonical.

    Args:
        order: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).
        lines: Detail lines (models or payloads) to use instead of derived ones.

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = _cfg(config)
    po = parse_model(cw.PurchaseOrder, order, "PurchaseOrder")
    currency = _currency(po.currency, cfg, "PurchaseOrder.currency")
    mapped = []
    for i, raw_line in enumerate(lines):
        path = f"PurchaseOrder.lines[{i}]"
        line = parse_model(cw.PurchaseOrderLineItem, raw_line, path)
        qty = opt_decimal(line.quantity, f"{path}.quantity") or Decimal(0)
        cost = money(line.unit_cost if line.unit_cost is not None else 0, currency, f"{path}.unit_cost")
        mapped.append(
            PurchaseOrderLine(
                amount=cost * qty,
                description=line.description,
                quantity=qty,
                unit_cost=cost,
                product=_link(line.product, "catalog_item"),
                sku=line.product.identifier if line.product is not None else None,
                received_quantity=line.received_quantity,
                line_number=line.line_number,
            )
        )
    return PurchaseOrder(
        refs=ref(SYSTEM, "purchase_order", po.id, _version(po)),
        updated_at=_updated(po, "PurchaseOrder.updated_at"),
        custom_fields=_custom_in(po.custom_fields, "PurchaseOrder", cfg),
        vendor=require(_link(po.vendor_company, "company"), "PurchaseOrder.vendor"),
        currency=currency,
        number=po.po_number,
        order_date=_date(po.po_date),
        status=_name_in(po.status, "purchase_order_statuses", cfg),
        closed=bool(po.closed_flag),
        customer=_link(po.customer_company, "company"),
        lines=mapped,
        subtotal=opt_money(po.sub_total, currency, "PurchaseOrder.subtotal"),
        tax_total=opt_money(po.sales_tax, currency, "PurchaseOrder.tax_total"),
        freight=opt_money(po.freight_cost, currency, "PurchaseOrder.freight"),
        total=opt_money(po.total, currency, "PurchaseOrder.total"),
        terms=_name_in(po.terms, "billing_terms", cfg),
        vendor_invoice_number=po.vendor_invoice_number,
        vendor_invoice_date=_date(po.vendor_invoice_date),
        memo=po.internal_notes,
    )


@total("PurchaseOrder")
def purchase_order_from_canonical(
    order: PurchaseOrder, config: MappingConfig | None = None
) -> tuple[cw.PurchaseOrder, tuple[cw.PurchaseOrderLineItem, ...]]:
    """Build a CW purchase order and its line items (``POST /procurement/purchaseorders`` + ``/lineitems``).

    Args:
        order: The canonical record.
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = _cfg(config)

    def amount(value: Money | None) -> Decimal | None:
        return value.amount if value is not None else None

    header = cw.PurchaseOrder(
        id=_own_id(order, "purchase_order"),
        po_number=order.number,
        po_date=_dt_out(order.order_date),
        status=_named("purchase_order_statuses", order.status, cfg),
        closed_flag=order.closed,
        vendor_company=_ref_out(order.vendor, "company", "PurchaseOrder.vendorCompany", required=True),
        customer_company=_ref_out(order.customer, "company", "PurchaseOrder.customerCompany"),
        currency=_currency_out(order.currency, cfg),
        sub_total=amount(order.subtotal),
        sales_tax=amount(order.tax_total),
        freight_cost=amount(order.freight),
        total=amount(order.total),
        terms=_named("billing_terms", order.terms, cfg),
        vendor_invoice_number=order.vendor_invoice_number,
        vendor_invoice_date=_dt_out(order.vendor_invoice_date),
        internal_notes=order.memo,
        custom_fields=_custom_out(order.custom_fields, "PurchaseOrder", cfg),
    )
    lines = []
    for i, line in enumerate(order.lines):
        product = None
        if line.product is not None or line.sku:
            product_id = None
            if line.product is not None and line.product.id_for(SYSTEM, "catalog_item") is not None:
                product_id = _id_of(line.product, "catalog_item", f"PurchaseOrder.lines[{i}].product")
            product = cw.Reference(id=product_id, identifier=line.sku)
        received = None
        if line.received_quantity is not None:
            with at(f"PurchaseOrder.lines[{i}].received_quantity"):
                received = int(line.received_quantity)
        lines.append(
            cw.PurchaseOrderLineItem(
                line_number=line.line_number if line.line_number is not None else i + 1,
                product=product,
                description=line.description or "",
                quantity=line.quantity,
                unit_cost=line.unit_cost.amount if line.unit_cost is not None else None,
                received_quantity=received,
            )
        )
    return header, tuple(lines)
