"""Salesforce Accounts, Contacts and Leads <-> canonical customers and contacts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from msplink.mappers._common import parse_model, unmapped_fields
from msplink.mappers._config import MappingConfig
from msplink.mappers._util import opt_money, require, total
from msplink.mappers.salesforce._shared import (
    CW_COMPANY_ID_FIELD,
    CW_CONTACT_ID_FIELD,
    SYSTEM,
    address_in,
    config_or_empty,
    custom_fields_in,
    custom_fields_out,
    cw_id_out,
    id_out,
    link_in,
    own_id,
    owner_in,
    owner_out,
    picklist_in,
    picklist_out,
    refs_of,
    street_of,
    updated_in,
)
from msplink.models import (
    Address,
    Contact,
    Customer,
    ExternalRef,
)
from msplink.salesforce import models as sf

__all__ = [
    "UNMAPPED_ACCOUNT_FIELDS",
    "UNMAPPED_CONTACT_FIELDS",
    "UNMAPPED_LEAD_FIELDS",
    "account_from_canonical",
    "account_to_customer",
    "contact_from_canonical",
    "contact_to_contact",
    "lead_from_canonical",
    "lead_to_contact",
]


_ACCOUNT_MAPPED: Final = frozenset(
    {
        "id",
        "is_deleted",
        "system_modstamp",
        "last_modified_date",
        "name",
        "type",
        "industry",
        "parent_id",
        "account_number",
        "billing_street",
        "billing_city",
        "billing_state",
        "billing_postal_code",
        "billing_country",
        "shipping_street",
        "shipping_city",
        "shipping_state",
        "shipping_postal_code",
        "shipping_country",
        "phone",
        "fax",
        "website",
        "description",
        "owner_id",
        "annual_revenue",
        "number_of_employees",
        "rating",
        "account_source",
    }
)


UNMAPPED_ACCOUNT_FIELDS: Final = unmapped_fields(sf.Account, _ACCOUNT_MAPPED)
"""Account attributes not carried."""


@total("Customer")
def account_to_customer(
    account: sf.Account | Mapping[str, Any], config: MappingConfig | None = None
) -> Customer:
    """Map a Salesforce Account (``GET /services/data/vXX.X/sobjects/Account/{id}``) to a :class:`Customer`.

    The picklists ``Industry``, ``Type``, ``Rating`` and ``AccountSource`` are translated to
    ConnectWise's vocabulary with the config's ``industries``, ``account_types``,
    ``account_ratings`` and ``lead_sources`` tables (an empty table passes the value unchanged).

    Args:
        account: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = config_or_empty(config)
    a = parse_model(sf.Account, account, "Customer")
    return Customer(
        refs=refs_of(a, "Account", CW_COMPANY_ID_FIELD, "company"),
        updated_at=updated_in(a, "Customer.updated_at"),
        deleted=bool(a.is_deleted),
        custom_fields=custom_fields_in(a, "Customer", cfg),
        name=require(a.name, "Customer.name"),
        phone=a.phone,
        fax=a.fax,
        website=a.website,
        billing_address=address_in(
            a.billing_street, a.billing_city, a.billing_state, a.billing_postal_code, a.billing_country
        ),
        shipping_address=address_in(
            a.shipping_street, a.shipping_city, a.shipping_state, a.shipping_postal_code, a.shipping_country
        ),
        account_number=a.account_number,
        customer_type=picklist_in(cfg, "account_types", a.type, "Customer.customer_type"),
        industry=picklist_in(cfg, "industries", a.industry, "Customer.industry"),
        rating=picklist_in(cfg, "account_ratings", a.rating, "Customer.rating"),
        lead_source=picklist_in(cfg, "lead_sources", a.account_source, "Customer.lead_source"),
        parent=link_in(a.parent_id, "Account", a.get("Parent.Name")),
        owner=owner_in(a, a.owner_id, cfg),
        notes=a.description,
        annual_revenue=opt_money(
            a.annual_revenue, str(a.get("CurrencyIsoCode") or cfg.default_currency), "Customer.annual_revenue"
        ),
        employee_count=a.number_of_employees,
    )


@total("Account")
def account_from_canonical(customer: Customer, config: MappingConfig | None = None) -> sf.Account:
    """Build a Salesforce Account (``POST .../sobjects/Account`` or upsert by ``CW_Company_Id__c``) from a customer.

    Picklists go back to Salesforce's vocabulary through the same tables as :func:`account_to_customer`.

    Args:
        customer: Link to the paying customer, when the caller knows it.
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = config_or_empty(config)
    billing = customer.billing_address or Address()
    shipping = customer.shipping_address or Address()
    return sf.Account(
        id=own_id(customer, "Account"),
        name=customer.name,
        type=picklist_out(cfg, "account_types", customer.customer_type, "Account.Type"),
        industry=picklist_out(cfg, "industries", customer.industry, "Account.Industry"),
        rating=picklist_out(cfg, "account_ratings", customer.rating, "Account.Rating"),
        account_source=picklist_out(cfg, "lead_sources", customer.lead_source, "Account.AccountSource"),
        parent_id=id_out(customer.parent, "Account", "Account.ParentId"),
        account_number=customer.account_number,
        billing_street=street_of(billing.street_lines),
        billing_city=billing.city,
        billing_state=billing.region,
        billing_postal_code=billing.postal_code,
        billing_country=billing.country,
        shipping_street=street_of(shipping.street_lines),
        shipping_city=shipping.city,
        shipping_state=shipping.region,
        shipping_postal_code=shipping.postal_code,
        shipping_country=shipping.country,
        phone=customer.phone,
        fax=customer.fax,
        website=customer.website,
        description=customer.notes,
        annual_revenue=customer.annual_revenue.amount if customer.annual_revenue is not None else None,
        number_of_employees=customer.employee_count,
        owner_id=owner_out(customer.owner, cfg, "Account.OwnerId"),
        custom={
            **custom_fields_out(customer.custom_fields, "Customer", cfg),
            **cw_id_out(customer, "company", CW_COMPANY_ID_FIELD),
        },
    )


_CONTACT_MAPPED: Final = frozenset(
    {
        "id",
        "is_deleted",
        "system_modstamp",
        "last_modified_date",
        "account_id",
        "first_name",
        "last_name",
        "email",
        "phone",
        "mobile_phone",
        "title",
        "department",
        "mailing_street",
        "mailing_city",
        "mailing_state",
        "mailing_postal_code",
        "mailing_country",
        "lead_source",
        "owner_id",
    }
)


UNMAPPED_CONTACT_FIELDS: Final = unmapped_fields(sf.Contact, _CONTACT_MAPPED, extra={"name"})
"""Contact attributes not carried (salutation, opt-outs, birthdate, reporting line, description)."""


@total("Contact")
def contact_to_contact(
    contact: sf.Contact | Mapping[str, Any], config: MappingConfig | None = None
) -> Contact:
    """Map a Salesforce Contact (``GET .../sobjects/Contact/{id}``) to a canonical :class:`Contact`.

    Args:
        contact: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = config_or_empty(config)
    c = parse_model(sf.Contact, contact, "Contact")
    return Contact(
        refs=refs_of(c, "Contact", CW_CONTACT_ID_FIELD, "contact"),
        updated_at=updated_in(c, "Contact.updated_at"),
        deleted=bool(c.is_deleted),
        custom_fields=custom_fields_in(c, "Contact", cfg),
        first_name=c.first_name,
        last_name=c.last_name,
        email=c.email,
        phone=c.phone,
        mobile_phone=c.mobile_phone,
        title=c.title,
        department=c.department,
        company=link_in(c.account_id, "Account", c.get("Account.Name")),
        address=address_in(
            c.mailing_street, c.mailing_city, c.mailing_state, c.mailing_postal_code, c.mailing_country
        ),
        owner=owner_in(c, c.owner_id, cfg),
        lead_source=picklist_in(cfg, "lead_sources", c.lead_source, "Contact.lead_source"),
    )


@total("Contact")
def contact_from_canonical(contact: Contact, config: MappingConfig | None = None) -> sf.Contact:
    """Build a Salesforce Contact (``POST .../sobjects/Contact``) from a canonical :class:`Contact`.

    Args:
        contact: The canonical record.
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: ``LastName`` is missing, or a link/owner cannot be mapped.
    """
    cfg = config_or_empty(config)
    address = contact.address or Address()
    return sf.Contact(
        id=own_id(contact, "Contact"),
        account_id=id_out(contact.company, "Account", "Contact.AccountId"),
        first_name=contact.first_name,
        last_name=require(contact.last_name, "Contact.LastName"),
        email=contact.email,
        phone=contact.phone,
        mobile_phone=contact.mobile_phone,
        title=contact.title,
        department=contact.department,
        mailing_street=street_of(address.street_lines),
        mailing_city=address.city,
        mailing_state=address.region,
        mailing_postal_code=address.postal_code,
        mailing_country=address.country,
        lead_source=picklist_out(cfg, "lead_sources", contact.lead_source, "Contact.LeadSource"),
        owner_id=owner_out(contact.owner, cfg, "Contact.OwnerId"),
        custom={
            **custom_fields_out(contact.custom_fields, "Contact", cfg),
            **cw_id_out(contact, "contact", CW_CONTACT_ID_FIELD),
        },
    )


_LEAD_MAPPED: Final = frozenset(
    {
        "id",
        "is_deleted",
        "system_modstamp",
        "last_modified_date",
        "first_name",
        "last_name",
        "company",
        "title",
        "status",
        "email",
        "phone",
        "mobile_phone",
        "lead_source",
        "street",
        "city",
        "state",
        "postal_code",
        "country",
        "is_converted",
        "converted_account_id",
        "converted_contact_id",
        "owner_id",
    }
)


UNMAPPED_LEAD_FIELDS: Final = unmapped_fields(sf.Lead, _LEAD_MAPPED, extra={"name"})
"""Lead attributes not carried (website, industry, rating, revenue, employees, description, salutation)."""


@total("Contact")
def lead_to_contact(lead: sf.Lead | Mapping[str, Any], config: MappingConfig | None = None) -> Contact:
    """Map a Salesforce Lead (``GET .../sobjects/Lead/{id}``) to a canonical :class:`Contact`.

    A converted lead also carries the converted Contact's ref and links the converted Account.

    Args:
        lead: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = config_or_empty(config)
    ld = parse_model(sf.Lead, lead, "Contact")
    refs = set(refs_of(ld, "Lead", None, "contact"))
    if ld.converted_contact_id:
        refs.add(ExternalRef(SYSTEM, "Contact", ld.converted_contact_id))
    return Contact(
        refs=refs,
        updated_at=updated_in(ld, "Contact.updated_at"),
        deleted=bool(ld.is_deleted),
        custom_fields=custom_fields_in(ld, "Contact", cfg),
        first_name=ld.first_name,
        last_name=ld.last_name,
        email=ld.email,
        phone=ld.phone,
        mobile_phone=ld.mobile_phone,
        title=ld.title,
        company=link_in(ld.converted_account_id, "Account", ld.company),
        company_name=ld.company,
        address=address_in(ld.street, ld.city, ld.state, ld.postal_code, ld.country),
        owner=owner_in(ld, ld.owner_id, cfg),
        lead_status=ld.status,
        lead_source=picklist_in(cfg, "lead_sources", ld.lead_source, "Contact.lead_source"),
        converted=bool(ld.is_converted),
    )


@total("Lead")
def lead_from_canonical(contact: Contact, config: MappingConfig | None = None) -> sf.Lead:
    """Build a Salesforce Lead (``POST .../sobjects/Lead``) from a canonical :class:`Contact`.

    Args:
        contact: The canonical record.
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: ``LastName`` or ``Company`` is missing, or the owner cannot be mapped.
    """
    cfg = config_or_empty(config)
    address = contact.address or Address()
    company = contact.company_name or (contact.company.display if contact.company is not None else None)
    return sf.Lead(
        id=own_id(contact, "Lead"),
        first_name=contact.first_name,
        last_name=require(contact.last_name, "Lead.LastName"),
        company=require(company, "Lead.Company"),
        title=contact.title,
        status=contact.lead_status,
        email=contact.email,
        phone=contact.phone,
        mobile_phone=contact.mobile_phone,
        lead_source=picklist_out(cfg, "lead_sources", contact.lead_source, "Lead.LeadSource"),
        street=street_of(address.street_lines),
        city=address.city,
        state=address.region,
        postal_code=address.postal_code,
        country=address.country,
        owner_id=owner_out(contact.owner, cfg, "Lead.OwnerId"),
        custom=custom_fields_out(contact.custom_fields, "Contact", cfg),
    )
