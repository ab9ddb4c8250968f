"""Canonical parties: customers, contacts and vendors."""

from __future__ import annotations

import attrs

from msplink.models._common import Address, Link, Record
from msplink.models._money import Money

__all__ = [
    "Contact",
    "Customer",
    "Vendor",
]


@attrs.frozen(kw_only=True)
class Customer(Record):
    """A client organisation (CW company, QBO Customer, SF Account).

    Attributes:
        name: Display name (unique in QBO across customers, vendors and employees).
        identifier: Short human key (CW company ``identifier``).
        company_name: Legal or company name when it differs from ``name``.
        active: False when the source marks it inactive.
        email: Main billing e-mail address.
        phone: Main phone number, as written.
        fax: Fax number.
        website: Web address.
        billing_address: Where invoices go.
        shipping_address: Where goods go.
        terms: Payment terms, in ConnectWise's vocabulary (billing terms name, ``Net 30 days``).
        tax_code: Tax code, in ConnectWise's vocabulary (tax code identifier).
        taxable: Whether sales to it are taxable, when known.
        currency: ISO currency the customer is billed in.
        balance: Open balance, when the source reports it.
        credit_limit: Credit limit, when set.
        account_number: Account number.
        customer_type: Type/category label (CW company type, SF Account Type).
        industry: Industry label (CW company market, SF Account Industry).
        rating: Account rating (SF Account Rating; the CW company status it maps to, when the
            ``account_ratings`` table of a ``MappingConfig`` pairs them).
        lead_source: Where the customer came from (CW company lead source, SF Account Source).
        parent: The parent organisation.
        owner: The account owner (a CW member / SF user).
        notes: Free text.
        annual_revenue: Annual revenue (CRM data).
        employee_count: Number of employees (CRM data).
    """

    name: str
    identifier: str | None = None
    company_name: str | None = None
    active: bool = True
    email: str | None = None
    phone: str | None = None
    fax: str | None = None
    website: str | None = None
    billing_address: Address | None = None
    shipping_address: Address | None = None
    terms: str | None = None
    tax_code: str | None = None
    taxable: bool | None = None
    currency: str | None = None
    balance: Money | None = None
    credit_limit: Money | None = None
    account_number: str | None = None
    customer_type: str | None = None
    industry: str | None = None
    rating: str | None = None
    lead_source: str | None = None
    parent: Link | None = None
    owner: Link | None = None
    notes: str | None = None
    annual_revenue: Money | None = None
    employee_count: int | None = None

    def link(self, display: str | None = None) -> Link:
        """Return a :class:`Link` to this customer, labelled with its name."""
        return Link(refs=self.refs, display=display or self.name)


@attrs.frozen(kw_only=True)
class Contact(Record):
    """A person at a client (CW contact, SF Contact or Lead).

    Attributes:
        first_name: Given name.
        last_name: Family name.
        email: Primary e-mail address.
        phone: Primary phone.
        mobile_phone: Mobile phone.
        title: Job title.
        department: Department label.
        company: The organisation the person belongs to.
        company_name: Organisation name as free text (leads have no linked account).
        address: Mailing address.
        active: False when inactive.
        primary: The organisation's default contact.
        owner: The owner (CW member / SF user).
        lead_status: Lead status when the record is a lead.
        lead_source: Lead source.
        converted: A lead that was converted.
    """

    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    phone: str | None = None
    mobile_phone: str | None = None
    title: str | None = None
    department: str | None = None
    company: Link | None = None
    company_name: str | None = None
    address: Address | None = None
    active: bool = True
    primary: bool = False
    owner: Link | None = None
    lead_status: str | None = None
    lead_source: str | None = None
    converted: bool = False

    @property
    def full_name(self) -> str:
        """First and last name joined by a space (empty parts left out)."""
        return " ".join(x for x in (self.first_name, self.last_name) if x)


@attrs.frozen(kw_only=True)
class Vendor(Record):
    """A supplier (CW company flagged vendor, QBO Vendor).

    Attributes:
        name: Display name.
        identifier: Short human key (CW ``vendorIdentifier`` or company identifier).
        company_name: Legal name.
        active: False when inactive.
        email: E-mail address.
        phone: Phone number.
        website: Web address.
        address: Billing address.
        terms: Payment terms, ConnectWise vocabulary.
        currency: ISO currency of the vendor.
        balance: Open payable balance.
        account_number: The MSP's account number at the vendor.
        notes: Free text.
    """

    name: str
    identifier: str | None = None
    company_name: str | None = None
    active: bool = True
    email: str | None = None
    phone: str | None = None
    website: str | None = None
    address: Address | None = None
    terms: str | None = None
    currency: str | None = None
    balance: Money | None = None
    account_number: str | None = None
    notes: str | None = None
