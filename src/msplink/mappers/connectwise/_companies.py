"""ConnectWise companies and sites <-> canonical customers, vendors and addresses; contacts <-> contacts."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any, Final

from msplink.connectwise import models as cw
from msplink.mappers._common import parse_model, ref, unmapped_fields
from msplink.mappers._config import MappingConfig, normalise_name
from msplink.mappers._util import fail, opt_money, require, total
from msplink.mappers.connectwise._shared import (
    SYSTEM,
    address_of,
    config_or_empty,
    currency_in,
    currency_out,
    custom_fields_in,
    custom_fields_out,
    link_in,
    member_link_in,
    member_out,
    named_reference,
    own_id,
    reference_name,
    reference_name_in,
    reference_out,
    updated_in,
    version_in,
)
from msplink.models import Address, Contact, Customer, Vendor

__all__ = [
    "UNMAPPED_COMPANY_FIELDS",
    "UNMAPPED_CONTACT_FIELDS",
    "UNMAPPED_VENDOR_FIELDS",
    "company_from_canonical",
    "company_from_vendor",
    "company_to_customer",
    "company_to_vendor",
    "contact_from_canonical",
    "contact_to_contact",
    "derive_identifier",
    "site_from_canonical",
    "site_to_address",
]


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
    return address_of(s.address_line1, s.address_line2, s.city, state, s.zip, country)


@total("CompanySite")
def site_from_canonical(
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
    cfg = config_or_empty(config)
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
        country=named_reference("countries", address.country, cfg),
        default_billing_flag=billing or None,
    )


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
        "market",
        "lead_source",
    }
)


UNMAPPED_COMPANY_FIELDS: Final = unmapped_fields(cw.Company, _COMPANY_MAPPED)
"""Company attributes not carried (``status`` is read into ``Customer.active``, and into
``Customer.rating`` when the config's ``account_ratings`` table pairs statuses with ratings)."""


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
"""Company attributes not carried by :func:`company_to_vendor` / :func:`company_from_vendor`."""


@total("Customer")
def company_to_customer(
    company: cw.Company | Mapping[str, Any],
    config: MappingConfig | None = None,
    *,
    billing_site: cw.CompanySite | Mapping[str, Any] | None = None,
) -> Customer:
    """Map a CW company (``GET /company/companies/{id}``) to a canonical :class:`Customer`.

    The market is the customer's ``industry``, the first company type its ``customer_type``, the
    lead source its ``lead_source``; the status is its ``rating`` only when the config's
    ``account_ratings`` table pairs Salesforce ratings with ConnectWise statuses.

    Args:
        company: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).
        billing_site: The company's billing site; its address replaces the company address.

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = config_or_empty(config)
    c = parse_model(cw.Company, company, "Customer")
    currency = currency_in(c.currency, cfg, "Customer.currency")
    status = normalise_name(c.status.name) if c.status is not None and c.status.name else ""
    country = c.country.name or c.country.identifier if c.country is not None else None
    return Customer(
        refs=ref(SYSTEM, "company", c.id, version_in(c)),
        updated_at=updated_in(c, "Customer.updated_at"),
        deleted=bool(c.deleted_flag),
        custom_fields=custom_fields_in(c.custom_fields, "Customer", cfg),
        name=require(c.name, "Customer.name"),
        identifier=c.identifier,
        active=not c.deleted_flag and status not in {"inactive", "deleted"},
        email=c.invoice_to_email_address,
        phone=c.phone_number,
        fax=c.fax_number,
        website=c.website,
        billing_address=site_to_address(billing_site, cfg)
        if billing_site is not None
        else address_of(c.address_line1, c.address_line2, c.city, c.state, c.zip, country),
        terms=reference_name_in(c.billing_terms, "billing_terms", cfg),
        tax_code=reference_name_in(c.tax_code, "tax_codes", cfg),
        currency=currency if c.currency is not None else None,
        credit_limit=opt_money(c.credit_limit, currency, "Customer.credit_limit"),
        account_number=c.account_number,
        customer_type=c.types[0].name if c.types else None,
        industry=reference_name(c.market) or None,
        rating=c.status.name if cfg.account_ratings and c.status is not None and c.status.name else None,
        lead_source=c.lead_source or None,
        parent=link_in(c.parent_company, "company"),
        owner=member_link_in(c.territory_manager),
        annual_revenue=opt_money(c.annual_revenue, currency, "Customer.annual_revenue"),
        employee_count=c.number_of_employees,
    )


@total("Company")
def company_from_canonical(customer: Customer, config: MappingConfig | None = None) -> cw.Company:
    """Build a CW company (``POST /company/companies``) from a canonical :class:`Customer`.

    A new company (no ConnectWise ref) without an ``identifier`` gets one derived from its name
    (:func:`derive_identifier`). The ``industry`` is written as the market (id from
    ``connectwise_ids.markets``) and a ``rating`` as the status (``connectwise_ids.company_statuses``),
    the latter only when the ``account_ratings`` table is configured.

    Args:
        customer: Link to the paying customer, when the caller knows it.
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = config_or_empty(config)
    address = customer.billing_address or Address()
    country = None
    if address.country:
        country = cw.Reference(id=cfg.cw_id("countries", address.country), name=address.country)
    own = own_id(customer, "company")
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
        billing_terms=named_reference("billing_terms", customer.terms, cfg),
        tax_code=named_reference("tax_codes", customer.tax_code, cfg),
        currency=currency_out(customer.currency, cfg),
        credit_limit=customer.credit_limit.amount if customer.credit_limit is not None else None,
        account_number=customer.account_number,
        types=_types_out(customer.customer_type, cfg),
        market=named_reference("markets", customer.industry, cfg),
        status=named_reference("company_statuses", customer.rating, cfg) if cfg.account_ratings else None,
        lead_source=customer.lead_source,
        parent_company=reference_out(customer.parent, "company", "Company.parentCompany"),
        territory_manager=member_out(customer.owner, cfg, "Company.territoryManager"),
        invoice_to_email_address=customer.email,
        custom_fields=custom_fields_out(customer.custom_fields, "Customer", cfg),
        annual_revenue=customer.annual_revenue.amount if customer.annual_revenue is not None else None,
        number_of_employees=customer.employee_count,
    )


def _types_out(name: str | None, config: MappingConfig) -> tuple[cw.Reference, ...] | None:
    reference = named_reference("company_types", name, config)
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
    cfg = config_or_empty(config)
    c = parse_model(cw.Company, company, "Vendor")
    country = c.country.name or c.country.identifier if c.country is not None else None
    return Vendor(
        refs=ref(SYSTEM, "company", c.id, version_in(c)),
        updated_at=updated_in(c, "Vendor.updated_at"),
        deleted=bool(c.deleted_flag),
        custom_fields=custom_fields_in(c.custom_fields, "Vendor", cfg),
        name=require(c.name, "Vendor.name"),
        identifier=c.identifier,
        active=not c.deleted_flag,
        email=c.invoice_to_email_address,
        phone=c.phone_number,
        website=c.website,
        address=address_of(c.address_line1, c.address_line2, c.city, c.state, c.zip, country),
        terms=reference_name_in(c.billing_terms, "billing_terms", cfg),
        currency=c.currency.currency_code if c.currency is not None else None,
        account_number=c.account_number,
    )


@total("Company")
def company_from_vendor(vendor: Vendor, config: MappingConfig | None = None) -> cw.Company:
    """Build a CW vendor company (``POST /company/companies`` with ``isVendorFlag``) from a :class:`Vendor`.

    Args:
        vendor: The canonical record.
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = config_or_empty(config)
    address = vendor.address or Address()
    return cw.Company(
        id=own_id(vendor, "company"),
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
        country=named_reference("countries", address.country, cfg),
        billing_terms=named_reference("billing_terms", vendor.terms, cfg),
        currency=currency_out(vendor.currency, cfg),
        account_number=vendor.account_number,
        invoice_to_email_address=vendor.email,
        custom_fields=custom_fields_out(vendor.custom_fields, "Vendor", cfg),
    )


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
        is_mobile = normalise_name(reference_name(item.type) or "") in _MOBILE_TYPES
        if is_mobile != mobile and kind == "phone":
            continue
        candidates.append(item)
    candidates.sort(key=lambda i: not i.default_flag)
    return candidates[0].value if candidates else None


@total("Contact")
def contact_to_contact(
    contact: cw.Contact | Mapping[str, Any], config: MappingConfig | None = None
) -> Contact:
    """Map a CW contact (``GET /company/contacts/{id}``) to a canonical :class:`Contact`.

    Args:
        contact: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = config_or_empty(config)
    c = parse_model(cw.Contact, contact, "Contact")
    country = c.country.name or c.country.identifier if c.country is not None else None
    return Contact(
        refs=ref(SYSTEM, "contact", c.id, version_in(c)),
        updated_at=updated_in(c, "Contact.updated_at"),
        custom_fields=custom_fields_in(c.custom_fields, "Contact", cfg),
        first_name=c.first_name,
        last_name=c.last_name,
        email=_comm(c.communication_items, "email"),
        phone=_comm(c.communication_items, "phone"),
        mobile_phone=_comm(c.communication_items, "phone", mobile=True),
        title=c.title,
        department=reference_name_in(c.department, "contact_departments", cfg),
        company=link_in(c.company, "company"),
        address=address_of(c.address_line1, c.address_line2, c.city, c.state, c.zip, country),
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
    cfg = config_or_empty(config)
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
                    type=named_reference("communication_types", type_name, cfg),
                    value=value,
                    default_flag=True,
                    communication_type=comm_type,
                )
            )
    address = contact.address or Address()
    return cw.Contact(
        id=own_id(contact, "contact"),
        first_name=contact.first_name,
        last_name=contact.last_name,
        title=contact.title,
        department=named_reference("contact_departments", contact.department, cfg),
        company=reference_out(contact.company, "company", "Contact.company"),
        address_line1=address.line1,
        address_line2=address.line2,
        city=address.city,
        state=address.region,
        zip=address.postal_code,
        country=named_reference("countries", address.country, cfg),
        inactive_flag=not contact.active,
        default_flag=contact.primary,
        communication_items=tuple(items) or None,
        custom_fields=custom_fields_out(contact.custom_fields, "Contact", cfg),
    )
