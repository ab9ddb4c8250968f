"""Salesforce <-> canonical mappers (pure, total, both directions).

Vendor -> canonical functions are named ``<sobject>_to_<canonical>`` (``account_to_customer``,
``case_to_ticket``); canonical -> Salesforce functions are ``<sobject>_from_canonical`` and return
typed sObject models ready for ``to_api()``. Every function takes the
:class:`~msplink.mappers.MappingConfig` and raises :class:`~msplink.errors.MappingError` naming
the field path, never anything else.

Picklists are translated to ConnectWise's vocabulary on the way in and back on the way out:
``opportunity_stages`` (StageName), ``case_statuses`` (Case Status), ``case_priorities`` (Case
Priority); owners (``OwnerId``) travel as links carrying the SF User ref plus, when mapped in
``owners``, the CW member. The ConnectWise ids of linked records travel in msplink's external-id
fields (``CW_Company_Id__c`` ...), so upserts by external id find the record again.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any, Final

from dateutil.parser import isoparse

from msplink.mappers._common import parse_model, unmapped_fields, vendor_custom_in, vendor_custom_out
from msplink.mappers._config import MappingConfig, normalise_name
from msplink.mappers._util import at, aware, fail, opt_money, require, total
from msplink.models import (
    CONNECTWISE,
    SALESFORCE,
    Address,
    Agreement,
    AgreementStatus,
    Contact,
    Customer,
    ExternalRef,
    Invoice,
    Link,
    Opportunity,
    OpportunityStatus,
    Task,
    Ticket,
)
from msplink.salesforce import models as sf

__all__ = [
    "CW_AGREEMENT_ID_FIELD",
    "CW_COMPANY_ID_FIELD",
    "CW_CONTACT_ID_FIELD",
    "CW_INVOICE_ID_FIELD",
    "CW_OPPORTUNITY_ID_FIELD",
    "CW_TICKET_ID_FIELD",
    "INVOICE_RECORD_FIELDS",
    "KEY_PREFIXES",
    "SYSTEM",
    "UNMAPPED_ACCOUNT_FIELDS",
    "UNMAPPED_CASE_FIELDS",
    "UNMAPPED_CONTACT_FIELDS",
    "UNMAPPED_CONTRACT_FIELDS",
    "UNMAPPED_LEAD_FIELDS",
    "UNMAPPED_OPPORTUNITY_FIELDS",
    "UNMAPPED_TASK_FIELDS",
    "account_from_canonical",
    "account_to_canonical",
    "account_to_customer",
    "case_from_canonical",
    "case_to_canonical",
    "case_to_ticket",
    "contact_from_canonical",
    "contact_to_canonical",
    "contract_from_canonical",
    "contract_to_agreement",
    "contract_to_canonical",
    "invoice_record_from_canonical",
    "lead_from_canonical",
    "lead_to_canonical",
    "lead_to_contact",
    "opportunity_from_canonical",
    "opportunity_to_canonical",
    "task_from_canonical",
    "task_to_canonical",
]

SYSTEM: Final = SALESFORCE

CW_COMPANY_ID_FIELD: Final = "CW_Company_Id__c"
"""Account external-id field holding the ConnectWise company id (msplink's upsert key)."""
CW_CONTACT_ID_FIELD: Final = "CW_Contact_Id__c"
"""Contact external-id field holding the ConnectWise contact id."""
CW_TICKET_ID_FIELD: Final = "CW_Ticket_Id__c"
"""Case external-id field holding the ConnectWise ticket id."""
CW_AGREEMENT_ID_FIELD: Final = "CW_Agreement_Id__c"
"""Contract (and renewal Opportunity) field holding the ConnectWise agreement id."""
CW_INVOICE_ID_FIELD: Final = "CW_Invoice_Id__c"
"""External-id field of the invoice custom object holding the ConnectWise invoice id."""
CW_OPPORTUNITY_ID_FIELD: Final = "CW_Opportunity_Id__c"
"""Opportunity external-id field holding the ConnectWise opportunity id."""

KEY_PREFIXES: Final[dict[str, str]] = {
    "001": "Account",
    "003": "Contact",
    "005": "User",
    "006": "Opportunity",
    "00G": "Group",
    "00Q": "Lead",
    "00T": "Task",
    "500": "Case",
    "800": "Contract",
}
"""Record-id key prefixes -> sObject names (for polymorphic ``WhoId``/``WhatId``/``OwnerId``)."""

_EMPTY: Final = MappingConfig()


# ------------------------------------------------------------------------------------------- helpers


def _cfg(config: MappingConfig | None) -> MappingConfig:
    return config if config is not None else _EMPTY


def _stamp(record: sf.SObject) -> datetime | None:
    return record.system_modstamp or record.last_modified_date


def _refs(record: sf.SObject, object_type: str, cw_field: str | None, cw_type: str) -> frozenset[ExternalRef]:
    refs: set[ExternalRef] = set()
    stamp = _stamp(record)
    if record.id:
        refs.add(
            ExternalRef(SYSTEM, object_type, record.id, stamp.isoformat() if stamp is not None else None)
        )
    if cw_field is not None:
        value = record.custom.get(cw_field)
        if value is not None and str(value).strip():
            cw_id = str(value).strip()
            if cw_id.endswith(".0"):  # numbers in text fields sometimes come back as 19342.0
                cw_id = cw_id[:-2]
            refs.add(ExternalRef(CONNECTWISE, cw_type, cw_id))
    return frozenset(refs)


def _object_type(record_id: str, default: str) -> str:
    return KEY_PREFIXES.get(record_id[:3], default)


def _link(record_id: str | None, default_type: str, display: object = None) -> Link | None:
    if not record_id:
        return None
    text = display if isinstance(display, str) else None
    return Link.to(SYSTEM, _object_type(record_id, default_type), record_id, display=text)


def _owner_in(record: sf.SObject, owner_id: str | None, config: MappingConfig) -> Link | None:
    link = _link(owner_id, "User", record.get("Owner.Name"))
    if link is None or owner_id is None:
        return None
    member = config.owners.find(owner_id)
    return link.with_ref(ExternalRef(CONNECTWISE, "member", member)) if member else link


def _owner_out(link: Link | None, config: MappingConfig, path: str) -> str | None:
    if link is None:
        return None
    user = link.id_for(SYSTEM, "User") or link.id_for(SYSTEM, "Group")
    if user is not None:
        return user
    member = link.id_for(CONNECTWISE, "member")
    if member is None:
        fail(path, "the owner has no Salesforce user or ConnectWise member ref", value=link.display)
    return config.owners.inverse(member, path=path, table="owners")


def _id_out(link: Link | None, object_type: str | None, path: str, *, required: bool = False) -> str | None:
    if link is None:
        if required:
            fail(path, "is required but missing")
        return None
    value = link.id_for(SYSTEM, object_type)
    if value is None:
        fail(path, f"the linked record has no {SYSTEM} {object_type or 'record'} ref", value=link.display)
    return value


def _own_id(record: Any, object_type: str) -> str | None:
    value: str | None = record.id_for(SYSTEM, object_type)
    return value


def _cw_out(record: Any, cw_type: str, field: str) -> dict[str, Any]:
    cw_id = record.id_for(CONNECTWISE, cw_type)
    return {field: cw_id} if cw_id is not None else {}


def _street(lines: tuple[str, ...]) -> str | None:
    return "\n".join(lines) if lines else None


def _address_in(
    street: str | None, city: str | None, state: str | None, postal: str | None, country: str | None
) -> Address | None:
    parts = [p for p in (street or "").replace("\r\n", "\n").split("\n")] if street else []
    if len(parts) > 5:
        parts = [*parts[:4], " ".join(parts[4:])]
    parts += [""] * (5 - len(parts))
    address = Address(
        line1=parts[0] or None,
        line2=parts[1] or None,
        line3=parts[2] or None,
        line4=parts[3] or None,
        line5=parts[4] or None,
        city=city,
        region=state,
        postal_code=postal,
        country=country,
    )
    return None if address.is_empty() else address


def _custom_in(record: sf.SObject, name: str, config: MappingConfig) -> dict[str, Any]:
    return vendor_custom_in(record.custom, name, SYSTEM, config)


def _custom_out(custom: Mapping[str, Any], name: str, config: MappingConfig) -> dict[str, Any]:
    return vendor_custom_out(custom, name, SYSTEM, config)


def _updated(record: sf.SObject, path: str) -> datetime | None:
    return aware(_stamp(record), path)


# ------------------------------------------------------------------------------------------- accounts

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
    }
)
UNMAPPED_ACCOUNT_FIELDS: Final = unmapped_fields(sf.Account, _ACCOUNT_MAPPED)
"""Account attributes not carried (rating, source)."""


@total("Customer")
def account_to_customer(
    account: sf.Account | Mapping[str, Any], config: MappingConfig | None = None
) -> Customer:
    """Map a Salesforce Account (``GET /services/data/vXX.X/sobjects/Account/{id}``) to a :class:`Customer`.

    Args:
        account: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = _cfg(config)
    a = parse_model(sf.Account, account, "Customer")
    return Customer(
        refs=_refs(a, "Account", CW_COMPANY_ID_FIELD, "company"),
        updated_at=_updated(a, "Customer.updated_at"),
        deleted=bool(a.is_deleted),
        custom_fields=_custom_in(a, "Customer", cfg),
        name=require(a.name, "Customer.name"),
        phone=a.phone,
        fax=a.fax,
        website=a.website,
        billing_address=_address_in(
            a.billing_street, a.billing_city, a.billing_state, a.billing_postal_code, a.billing_country
        ),
        shipping_address=_address_in(
            a.shipping_street, a.shipping_city, a.shipping_state, a.shipping_postal_code, a.shipping_country
        ),
        account_number=a.account_number,
        customer_type=a.type,
        industry=a.industry,
        parent=_link(a.parent_id, "Account", a.get("Parent.Name")),
        owner=_owner_in(a, a.owner_id, cfg),
        notes=a.description,
        annual_revenue=opt_money(
            a.annual_revenue, str(a.get("CurrencyIsoCode") or cfg.default_currency), "Customer.annual_revenue"
        ),
        employee_count=a.number_of_employees,
    )


account_to_canonical = account_to_customer


@total("Account")
def account_from_canonical(customer: Customer, config: MappingConfig | None = None) -> sf.Account:
    """Build a Salesforce Account (``POST .../sobjects/Account`` or upsert by ``CW_Company_Id__c``) from a customer.

    Args:
        customer: Link to the paying customer, when the caller knows it.
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = _cfg(config)
    billing = customer.billing_address or Address()
    shipping = customer.shipping_address or Address()
    return sf.Account(
        id=_own_id(customer, "Account"),
        name=customer.name,
        type=customer.customer_type,
        industry=customer.industry,
        parent_id=_id_out(customer.parent, "Account", "Account.ParentId"),
        account_number=customer.account_number,
        billing_street=_street(billing.street_lines),
        billing_city=billing.city,
        billing_state=billing.region,
        billing_postal_code=billing.postal_code,
        billing_country=billing.country,
        shipping_street=_street(shipping.street_lines),
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
        owner_id=_owner_out(customer.owner, cfg, "Account.OwnerId"),
        custom={
            **_custom_out(customer.custom_fields, "Customer", cfg),
            **_cw_out(customer, "company", CW_COMPANY_ID_FIELD),
        },
    )


# --------------------------------------------------------------------------------------- contacts/leads

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
def contact_to_canonical(
    contact: sf.Contact | Mapping[str, Any], config: MappingConfig | None = None
) -> Contact:
    """Map a Salesforce Contact (``GET .../sobjects/Contact/{id}``) to a canonical :class:`Contact`.

    Args:
        contact: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = _cfg(config)
    c = parse_model(sf.Contact, contact, "Contact")
    return Contact(
        refs=_refs(c, "Contact", CW_CONTACT_ID_FIELD, "contact"),
        updated_at=_updated(c, "Contact.updated_at"),
        deleted=bool(c.is_deleted),
        custom_fields=_custom_in(c, "Contact", cfg),
        first_name=c.first_name,
        last_name=c.last_name,
        email=c.email,
        phone=c.phone,
        mobile_phone=c.mobile_phone,
        title=c.title,
        department=c.department,
        company=_link(c.account_id, "Account", c.get("Account.Name")),
        address=_address_in(
            c.mailing_street, c.mailing_city, c.mailing_state, c.mailing_postal_code, c.mailing_country
        ),
        owner=_owner_in(c, c.owner_id, cfg),
        lead_source=c.lead_source,
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
    cfg = _cfg(config)
    address = contact.address or Address()
    return sf.Contact(
        id=_own_id(contact, "Contact"),
        account_id=_id_out(contact.company, "Account", "Contact.AccountId"),
        first_name=contact.first_name,
        last_name=require(contact.last_name, "Contact.LastName"),
        email=contact.email,
        phone=contact.phone,
        mobile_phone=contact.mobile_phone,
        title=contact.title,
        department=contact.department,
        mailing_street=_street(address.street_lines),
        mailing_city=address.city,
        mailing_state=address.region,
        mailing_postal_code=address.postal_code,
        mailing_country=address.country,
        lead_source=contact.lead_source,
        owner_id=_owner_out(contact.owner, cfg, "Contact.OwnerId"),
        custom={
            **_custom_out(contact.custom_fields, "Contact", cfg),
            **_cw_out(contact, "contact", CW_CONTACT_ID_FIELD),
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
    cfg = _cfg(config)
    ld = parse_model(sf.Lead, lead, "Contact")
    refs = set(_refs(ld, "Lead", None, "contact"))
    if ld.converted_contact_id:
        refs.add(ExternalRef(SYSTEM, "Contact", ld.converted_contact_id))
    return Contact(
        refs=refs,
        updated_at=_updated(ld, "Contact.updated_at"),
        deleted=bool(ld.is_deleted),
        custom_fields=_custom_in(ld, "Contact", cfg),
        first_name=ld.first_name,
        last_name=ld.last_name,
        email=ld.email,
        phone=ld.phone,
        mobile_phone=ld.mobile_phone,
        title=ld.title,
        company=_link(ld.converted_account_id, "Account", ld.company),
        company_name=ld.company,
        address=_address_in(ld.street, ld.city, ld.state, ld.postal_code, ld.country),
        owner=_owner_in(ld, ld.owner_id, cfg),
        lead_status=ld.status,
        lead_source=ld.lead_source,
        converted=bool(ld.is_converted),
    )


lead_to_canonical = lead_to_contact


@total("Lead")
def lead_from_canonical(contact: Contact, config: MappingConfig | None = None) -> sf.Lead:
    """Build a Salesforce Lead (``POST .../sobjects/Lead``) from a canonical :class:`Contact`.

    Args:
        contact: The canonical record.
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: ``LastName`` or ``Company`` is missing, or the owner cannot be mapped.
    """
    cfg = _cfg(config)
    address = contact.address or Address()
    company = contact.company_name or (contact.company.display if contact.company is not None else None)
    return sf.Lead(
        id=_own_id(contact, "Lead"),
        first_name=contact.first_name,
        last_name=require(contact.last_name, "Lead.LastName"),
        company=require(company, "Lead.Company"),
        title=contact.title,
        status=contact.lead_status,
        email=contact.email,
        phone=contact.phone,
        mobile_phone=contact.mobile_phone,
        lead_source=contact.lead_source,
        street=_street(address.street_lines),
        city=address.city,
        state=address.region,
        postal_code=address.postal_code,
        country=address.country,
        owner_id=_owner_out(contact.owner, cfg, "Lead.OwnerId"),
        custom=_custom_out(contact.custom_fields, "Contact", cfg),
    )


# -------------------------------------------------------------------------------------- opportunities

_OPPORTUNITY_MAPPED: Final = frozenset(
    {
        "id",
        "is_deleted",
        "system_modstamp",
        "last_modified_date",
        "name",
        "account_id",
        "stage_name",
        "close_date",
        "amount",
        "probability",
        "type",
        "lead_source",
        "description",
        "is_closed",
        "is_won",
        "owner_id",
    }
)
UNMAPPED_OPPORTUNITY_FIELDS: Final = unmapped_fields(sf.Opportunity, _OPPORTUNITY_MAPPED) | {
    "is_closed",
    "is_won",
}
"""Opportunity attributes not carried (``IsClosed``/``IsWon`` are read into ``status`` but derived in SF)."""


def _opportunity_status(o: sf.Opportunity) -> OpportunityStatus:
    if o.is_won:
        return OpportunityStatus.WON
    if o.is_closed:
        return OpportunityStatus.LOST
    stage = normalise_name(o.stage_name or "")
    if stage == "closed won":
        return OpportunityStatus.WON
    if stage == "closed lost":
        return OpportunityStatus.LOST
    return OpportunityStatus.OPEN


@total("Opportunity")
def opportunity_to_canonical(
    opportunity: sf.Opportunity | Mapping[str, Any], config: MappingConfig | None = None
) -> Opportunity:
    """Map a Salesforce Opportunity (``GET .../sobjects/Opportunity/{id}``) to a canonical :class:`Opportunity`.

    ``StageName`` is translated with ``opportunity_stages`` (SF -> CW); ``CurrencyIsoCode`` (multi-
    currency orgs) gives the amount's currency, else the default currency.

    Args:
        opportunity: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: An unmapped stage or another value that cannot be mapped.
    """
    cfg = _cfg(config)
    o = parse_model(sf.Opportunity, opportunity, "Opportunity")
    currency = o.get("CurrencyIsoCode") or cfg.default_currency
    stage = None
    if o.stage_name:
        stage = cfg.opportunity_stages.get(o.stage_name, path="Opportunity.stage", table="opportunity_stages")
    agreement_id = o.custom.get(CW_AGREEMENT_ID_FIELD)
    return Opportunity(
        refs=_refs(o, "Opportunity", CW_OPPORTUNITY_ID_FIELD, "opportunity"),
        updated_at=_updated(o, "Opportunity.updated_at"),
        deleted=bool(o.is_deleted),
        custom_fields=_custom_in(o, "Opportunity", cfg),
        name=require(o.name, "Opportunity.name"),
        customer=_link(o.account_id, "Account", o.get("Account.Name")),
        stage=stage,
        status=_opportunity_status(o),
        amount=opt_money(o.amount, str(currency), "Opportunity.amount"),
        close_date=o.close_date,
        probability=o.probability,
        owner=_owner_in(o, o.owner_id, cfg),
        opportunity_type=o.type,
        source=o.lead_source,
        description=o.description,
        agreement=Link.to(CONNECTWISE, "agreement", str(agreement_id)) if agreement_id else None,
    )


@total("Opportunity")
def opportunity_from_canonical(
    opportunity: Opportunity, config: MappingConfig | None = None
) -> sf.Opportunity:
    """Build a Salesforce Opportunity (``POST .../sobjects/Opportunity``) from a canonical :class:`Opportunity`.

    Args:
        opportunity: The canonical record.
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: No stage or close date (both required by Salesforce), an unmapped stage or owner.
    """
    cfg = _cfg(config)
    stage = require(opportunity.stage, "Opportunity.StageName")
    custom = {**_custom_out(opportunity.custom_fields, "Opportunity", cfg)}
    custom.update(_cw_out(opportunity, "opportunity", CW_OPPORTUNITY_ID_FIELD))
    if opportunity.agreement is not None and opportunity.agreement.id_for(CONNECTWISE, "agreement"):
        custom[CW_AGREEMENT_ID_FIELD] = opportunity.agreement.id_for(CONNECTWISE, "agreement")
    if opportunity.amount is not None and opportunity.amount.currency != cfg.default_currency:
        custom["CurrencyIsoCode"] = opportunity.amount.currency
    return sf.Opportunity(
        id=_own_id(opportunity, "Opportunity"),
        name=opportunity.name,
        account_id=_id_out(opportunity.customer, "Account", "Opportunity.AccountId"),
        stage_name=cfg.opportunity_stages.inverse(
            stage, path="Opportunity.StageName", table="opportunity_stages"
        ),
        close_date=require(opportunity.close_date, "Opportunity.CloseDate"),
        amount=opportunity.amount.amount if opportunity.amount is not None else None,
        probability=opportunity.probability,
        type=opportunity.opportunity_type,
        lead_source=opportunity.source,
        description=opportunity.description,
        owner_id=_owner_out(opportunity.owner, cfg, "Opportunity.OwnerId"),
        custom=custom,
    )


# ---------------------------------------------------------------------------------------------- cases

_CASE_MAPPED: Final = frozenset(
    {
        "id",
        "is_deleted",
        "system_modstamp",
        "last_modified_date",
        "created_date",
        "case_number",
        "subject",
        "description",
        "status",
        "priority",
        "origin",
        "type",
        "account_id",
        "contact_id",
        "is_closed",
        "closed_date",
        "is_escalated",
        "owner_id",
    }
)
UNMAPPED_CASE_FIELDS: Final = unmapped_fields(sf.Case, _CASE_MAPPED) | {
    "case_number",
    "is_closed",
    "closed_date",
}
"""Case attributes not carried (``Reason``, parent case); ``CaseNumber``, ``IsClosed`` and
``ClosedDate`` are read into the ticket but are read-only in Salesforce."""


@total("Ticket")
def case_to_ticket(case: sf.Case | Mapping[str, Any], config: MappingConfig | None = None) -> Ticket:
    """Map a Salesforce Case (``GET .../sobjects/Case/{id}``) to a canonical :class:`Ticket`.

    Status and priority are translated with ``case_statuses`` / ``case_priorities`` (SF -> CW).

    Args:
        case: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: An unmapped status or priority, or another value that cannot be mapped.
    """
    cfg = _cfg(config)
    c = parse_model(sf.Case, case, "Ticket")
    status = (
        cfg.case_statuses.get(c.status, path="Ticket.status", table="case_statuses") if c.status else None
    )
    priority = (
        cfg.case_priorities.get(c.priority, path="Ticket.priority", table="case_priorities")
        if c.priority
        else None
    )
    closed = c.is_closed if c.is_closed is not None else normalise_name(c.status or "") == "closed"
    return Ticket(
        refs=_refs(c, "Case", CW_TICKET_ID_FIELD, "ticket"),
        updated_at=_updated(c, "Ticket.updated_at"),
        deleted=bool(c.is_deleted),
        custom_fields=_custom_in(c, "Ticket", cfg),
        summary=c.subject or "",
        description=c.description,
        number=c.case_number,
        status=status,
        priority=priority,
        closed=bool(closed),
        escalated=bool(c.is_escalated),
        customer=_link(c.account_id, "Account", c.get("Account.Name")),
        contact=_link(c.contact_id, "Contact", c.get("Contact.Name")),
        owner=_owner_in(c, c.owner_id, cfg),
        ticket_type=c.type,
        source=c.origin,
        opened_at=aware(c.created_date, "Ticket.opened_at"),
        closed_at=aware(c.closed_date, "Ticket.closed_at"),
    )


case_to_canonical = case_to_ticket


@total("Case")
def case_from_canonical(ticket: Ticket, config: MappingConfig | None = None) -> sf.Case:
    """Build a Salesforce Case (``POST .../sobjects/Case`` or upsert by ``CW_Ticket_Id__c``) from a ticket.

    Args:
        ticket: The canonical record.
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: An unmapped status, priority, owner, account or contact.
    """
    cfg = _cfg(config)
    status = None
    if ticket.status:
        status = cfg.case_statuses.inverse(ticket.status, path="Case.Status", table="case_statuses")
    priority = None
    if ticket.priority:
        priority = cfg.case_priorities.inverse(ticket.priority, path="Case.Priority", table="case_priorities")
    return sf.Case(
        id=_own_id(ticket, "Case"),
        subject=ticket.summary or None,
        description=ticket.description,
        status=status,
        priority=priority,
        origin=ticket.source,
        type=ticket.ticket_type,
        account_id=_id_out(ticket.customer, "Account", "Case.AccountId"),
        contact_id=_id_out(ticket.contact, "Contact", "Case.ContactId"),
        is_escalated=ticket.escalated,
        owner_id=_owner_out(ticket.owner, cfg, "Case.OwnerId"),
        custom={
            **_custom_out(ticket.custom_fields, "Ticket", cfg),
            **_cw_out(ticket, "ticket", CW_TICKET_ID_FIELD),
        },
    )


# ---------------------------------------------------------------------------------------------- tasks

_TASK_MAPPED: Final = frozenset(
    {
        "id",
        "is_deleted",
        "system_modstamp",
        "last_modified_date",
        "subject",
        "status",
        "priority",
        "activity_date",
        "who_id",
        "what_id",
        "description",
        "is_closed",
        "owner_id",
    }
)
UNMAPPED_TASK_FIELDS: Final = unmapped_fields(sf.Task, _TASK_MAPPED) | {"is_closed"}
"""Task attributes not carried (``AccountId`` and ``IsHighPriority`` are derived; subtype)."""


@total("Task")
def task_to_canonical(task: sf.Task | Mapping[str, Any], config: MappingConfig | None = None) -> Task:
    """Map a Salesforce Task (``GET .../sobjects/Task/{id}``) to a canonical :class:`Task`.

    Args:
        task: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = _cfg(config)
    t = parse_model(sf.Task, task, "Task")
    completed = t.get("CompletedDateTime")
    completed_at = None
    if isinstance(completed, str) and completed:
        with at("Task.completed_at"):
            completed_at = isoparse(completed)
    return Task(
        refs=_refs(t, "Task", None, "task"),
        updated_at=_updated(t, "Task.updated_at"),
        deleted=bool(t.is_deleted),
        custom_fields=_custom_in(t, "Task", cfg),
        subject=t.subject or "",
        description=t.description,
        status=t.status,
        priority=t.priority,
        closed=bool(t.is_closed),
        due_date=t.activity_date,
        owner=_owner_in(t, t.owner_id, cfg),
        who=_link(t.who_id, "Contact", t.get("Who.Name")),
        what=_link(t.what_id, "Account", t.get("What.Name")),
        completed_at=aware(completed_at, "Task.completed_at"),
    )


@total("Task")
def task_from_canonical(task: Task, config: MappingConfig | None = None) -> sf.Task:
    """Build a Salesforce Task (``POST .../sobjects/Task``) from a canonical :class:`Task`.

    Args:
        task: The canonical record.
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: The owner, ``who`` or ``what`` record has no Salesforce ref.
    """
    cfg = _cfg(config)
    return sf.Task(
        id=_own_id(task, "Task"),
        subject=task.subject or None,
        status=task.status,
        priority=task.priority,
        activity_date=task.due_date,
        who_id=_id_out(task.who, None, "Task.WhoId"),
        what_id=_id_out(task.what, None, "Task.WhatId"),
        description=task.description,
        owner_id=_owner_out(task.owner, cfg, "Task.OwnerId"),
        custom=_custom_out(task.custom_fields, "Task", cfg),
    )


# ------------------------------------------------------------------------------------------ contracts

_CONTRACT_MAPPED: Final = frozenset(
    {
        "id",
        "is_deleted",
        "system_modstamp",
        "last_modified_date",
        "account_id",
        "status",
        "status_code",
        "start_date",
        "end_date",
        "contract_term",
        "description",
        "owner_id",
    }
)
UNMAPPED_CONTRACT_FIELDS: Final = unmapped_fields(sf.Contract, _CONTRACT_MAPPED) | {"status_code", "end_date"}
"""Contract attributes not carried (billing address, special terms, signatures; ``EndDate`` is
derived from ``StartDate`` + ``ContractTerm`` and ``StatusCode`` from ``Status``)."""

_CONTRACT_STATUS: Final[dict[str, AgreementStatus]] = {
    "activated": AgreementStatus.ACTIVE,
    "draft": AgreementStatus.INACTIVE,
    "inapproval": AgreementStatus.INACTIVE,
    "in approval process": AgreementStatus.INACTIVE,
    "terminated": AgreementStatus.CANCELLED,
    "expired": AgreementStatus.EXPIRED,
}


def _add_months(start: date, months: int) -> date:
    month = start.month - 1 + months
    year = start.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _months_between(start: date, end: date) -> int:
    """Whole months from ``start`` to the day after ``end`` (Salesforce's ContractTerm), rounded up."""
    after = end + timedelta(days=1)
    months = (after.year - start.year) * 12 + (after.month - start.month)
    if _add_months(start, months) < after:
        months += 1
    return max(months, 1)


@total("Agreement")
def contract_to_agreement(
    contract: sf.Contract | Mapping[str, Any], config: MappingConfig | None = None
) -> Agreement:
    """Map a Salesforce Contract (``GET .../sobjects/Contract/{id}``) to a canonical :class:`Agreement`.

    Contracts carry no billing amounts or cycle: the agreement has no ``bill_amount`` and a monthly
    cycle; the CW agreement id comes from ``CW_Agreement_Id__c``.

    Args:
        contract: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = _cfg(config)
    c = parse_model(sf.Contract, contract, "Agreement")
    key = normalise_name(c.status_code or c.status or "draft")
    status = _CONTRACT_STATUS.get(key) or _CONTRACT_STATUS.get(normalise_name(c.status or ""))
    if status is None:
        fail("Agreement.status", "unknown contract status", value=c.status_code or c.status)
    end = c.end_date
    if end is None and c.start_date is not None and c.contract_term:
        with at("Agreement.end_date"):
            end = _add_months(c.start_date, c.contract_term) - timedelta(days=1)
    name = c.get("Name") or c.contract_number or c.description
    return Agreement(
        refs=_refs(c, "Contract", CW_AGREEMENT_ID_FIELD, "agreement"),
        updated_at=_updated(c, "Agreement.updated_at"),
        deleted=bool(c.is_deleted),
        custom_fields=_custom_in(c, "Agreement", cfg),
        name=str(require(name, "Agreement.name")),
        customer=require(_link(c.account_id, "Account", c.get("Account.Name")), "Agreement.customer"),
        currency=str(c.get("CurrencyIsoCode") or cfg.default_currency),
        status=status,
        start_date=c.start_date,
        end_date=end,
        no_end_date=end is None,
        description=c.description,
        owner=_owner_in(c, c.owner_id, cfg),
    )


contract_to_canonical = contract_to_agreement


@total("Contract")
def contract_from_canonical(agreement: Agreement, config: MappingConfig | None = None) -> sf.Contract:
    """Build a Salesforce Contract (``POST .../sobjects/Contract``) from a canonical :class:`Agreement`.

    ``Status`` is ``Activated`` for active agreements and ``Draft`` otherwise (Salesforce creates
    contracts as Draft); ``ContractTerm`` is the months from start to end, rounded up.

    Args:
        agreement: The canonical record.
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: The customer has no Salesforce Account ref, or the owner cannot be mapped.
    """
    cfg = _cfg(config)
    term = None
    if agreement.start_date is not None and agreement.end_date is not None and not agreement.no_end_date:
        if agreement.end_date < agreement.start_date:
            fail(
                "Contract.ContractTerm",
                "the agreement ends before it starts",
                value=agreement.end_date.isoformat(),
            )
        term = _months_between(agreement.start_date, agreement.end_date)
    custom = {
        **_custom_out(agreement.custom_fields, "Agreement", cfg),
        **_cw_out(agreement, "agreement", CW_AGREEMENT_ID_FIELD),
    }
    return sf.Contract(
        id=_own_id(agreement, "Contract"),
        account_id=_id_out(agreement.customer, "Account", "Contract.AccountId", required=True),
        status="Activated" if agreement.status is AgreementStatus.ACTIVE else "Draft",
        start_date=agreement.start_date,
        contract_term=term,
        description=agreement.description,
        owner_id=_owner_out(agreement.owner, cfg, "Contract.OwnerId"),
        custom=custom,
    )


# ------------------------------------------------------------------------------- invoices (custom)

INVOICE_RECORD_FIELDS: Final[dict[str, str]] = {
    "number": "Name",
    "account": "Account__c",
    "total": "Amount__c",
    "balance": "Balance__c",
    "currency": "CurrencyIsoCode",
    "issue_date": "Invoice_Date__c",
    "due_date": "Due_Date__c",
    "status": "Status__c",
    "cw_id": CW_INVOICE_ID_FIELD,
}
"""Default field names of the invoice custom object (Salesforce has no standard invoice); override
per org with ``fields=``. A field mapped to an empty string is left out."""


@total("Invoice")
def invoice_record_from_canonical(
    invoice: Invoice, config: MappingConfig | None = None, *, fields: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Build an invoice custom-object record (``PATCH .../sobjects/Invoice__c/CW_Invoice_Id__c/{id}``).

    Use case 14: amount, balance, due date and status of CW invoices visible in Salesforce. Returns
    a plain record for ``client.sobject("Invoice__c")``; amounts are Decimals rounded to the
    currency's minor units, dates ISO strings; ``CurrencyIsoCode`` is only sent when it differs
    from the default currency.

    Args:
        invoice: The canonical record.
        config: Lookup tables (default: an empty ``MappingConfig``).
        fields: Field-name overrides for the org's invoice object.

    Raises:
        MappingError: The invoice's customer has no Salesforce Account ref.
    """
    cfg = _cfg(config)
    names = {**INVOICE_RECORD_FIELDS, **(fields or {})}
    values: dict[str, Any] = {
        "number": invoice.number,
        "account": _id_out(invoice.customer, "Account", "Invoice.Account__c", required=True),
        "total": invoice.total.quantize().amount if invoice.total is not None else None,
        "balance": invoice.balance.quantize().amount if invoice.balance is not None else None,
        "currency": invoice.currency if invoice.currency != cfg.default_currency else None,
        "issue_date": invoice.issue_date.isoformat() if invoice.issue_date else None,
        "due_date": invoice.due_date.isoformat() if invoice.due_date else None,
        "status": invoice.status.value if invoice.status is not None else None,
        "cw_id": invoice.id_for(CONNECTWISE, "invoice"),
    }
    unknown = set(names) - set(values)
    if unknown:
        fail("Invoice.fields", f"unknown invoice record fields {sorted(unknown)}")
    return {names[k]: v for k, v in values.items() if v is not None and names[k]}
