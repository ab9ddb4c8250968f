"""QuickBooks customers and vendors <-> canonical customers and vendors."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from msplink.mappers._common import parse_model, unmapped_fields
from msplink.mappers._config import MappingConfig
from msplink.mappers._util import fail, opt_money, require, total
from msplink.mappers.quickbooks._shared import (
    address_in,
    address_out,
    config_or_empty,
    currency_in,
    email_in,
    link_in,
    own_ref,
    phone_in,
    reference_out,
    refs_of,
    terms_in,
    terms_out,
    updated_in,
)
from msplink.models import (
    Customer,
    Vendor,
)
from msplink.quickbooks import models as qbo

__all__ = [
    "UNMAPPED_CUSTOMER_FIELDS",
    "UNMAPPED_VENDOR_FIELDS",
    "customer_from_canonical",
    "customer_to_customer",
    "vendor_from_canonical",
    "vendor_to_vendor",
]


_CUSTOMER_MAPPED: Final = frozenset(
    {
        "id",
        "sync_token",
        "meta_data",
        "display_name",
        "company_name",
        "active",
        "primary_email_addr",
        "primary_phone",
        "fax",
        "web_addr",
        "bill_addr",
        "ship_addr",
        "sales_term_ref",
        "default_tax_code_ref",
        "taxable",
        "currency_ref",
        "parent_ref",
        "notes",
    }
)


UNMAPPED_CUSTOMER_FIELDS: Final = unmapped_fields(qbo.Customer, _CUSTOMER_MAPPED)
"""Customer attributes not carried; ``balance`` is read into ``Customer.balance`` but is read-only in QBO."""


@total("Customer")
def customer_to_customer(
    customer: qbo.Customer | Mapping[str, Any], config: MappingConfig | None = None
) -> Customer:
    """Map a QBO customer (``GET /v3/company/{realm}/customer/{id}``) to a canonical :class:`Customer`.

    Args:
        customer: Link to the paying customer, when the caller knows it.
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = config_or_empty(config)
    c = parse_model(qbo.Customer, customer, "Customer")
    currency = currency_in(c.currency_ref, cfg, "Customer.currency")
    tax_code = None
    if c.default_tax_code_ref is not None and c.default_tax_code_ref.value:
        tax_code = cfg.tax_codes.inverse(
            c.default_tax_code_ref.value, path="Customer.tax_code", table="tax_codes"
        )
    return Customer(
        refs=refs_of(c, "Customer"),
        updated_at=updated_in(c, "Customer.updated_at"),
        deleted=False,
        name=require(c.display_name, "Customer.name"),
        company_name=c.company_name,
        active=c.active is not False,
        email=email_in(c.primary_email_addr),
        phone=phone_in(c.primary_phone),
        fax=phone_in(c.fax),
        website=c.web_addr.uri if c.web_addr is not None else None,
        billing_address=address_in(c.bill_addr),
        shipping_address=address_in(c.ship_addr),
        terms=terms_in(c.sales_term_ref, cfg, "Customer.terms"),
        tax_code=tax_code,
        taxable=c.taxable,
        currency=currency if c.currency_ref is not None else None,
        balance=opt_money(c.balance, currency, "Customer.balance"),
        parent=link_in(c.parent_ref, "Customer"),
        notes=c.notes,
    )


@total("Customer")
def customer_from_canonical(customer: Customer, config: MappingConfig | None = None) -> qbo.Customer:
    """Build a QBO customer (``POST /v3/company/{realm}/customer``) from a canonical :class:`Customer`.

    Includes ``Id``/``SyncToken`` when the customer already has a QuickBooks ref (updates).

    Args:
        customer: Link to the paying customer, when the caller knows it.
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = config_or_empty(config)
    own_id, token = own_ref(customer, "Customer")
    tax_ref = None
    if customer.tax_code:
        tax_ref = qbo.Ref(
            value=cfg.tax_codes.get(customer.tax_code, path="Customer.tax_code", table="tax_codes")
        )
    if ":" in customer.name:
        fail("Customer.DisplayName", "QuickBooks names cannot contain ':'", value=customer.name)
    parent = reference_out(customer.parent, "Customer", "Customer.ParentRef")
    return qbo.Customer(
        id=own_id,
        sync_token=token,
        display_name=customer.name[:500],
        company_name=customer.company_name,
        active=customer.active,
        primary_email_addr=qbo.EmailAddress(address=customer.email) if customer.email else None,
        primary_phone=qbo.Telephone(free_form_number=customer.phone) if customer.phone else None,
        fax=qbo.Telephone(free_form_number=customer.fax) if customer.fax else None,
        web_addr=qbo.WebAddress(uri=customer.website) if customer.website else None,
        bill_addr=address_out(customer.billing_address),
        ship_addr=address_out(customer.shipping_address),
        sales_term_ref=terms_out(customer.terms, cfg, "Customer.SalesTermRef"),
        default_tax_code_ref=tax_ref,
        taxable=customer.taxable,
        currency_ref=qbo.Ref(value=customer.currency) if customer.currency else None,
        parent_ref=parent,
        job=True if parent is not None else None,
        notes=customer.notes,
    )


_VENDOR_MAPPED: Final = frozenset(
    {
        "id",
        "sync_token",
        "meta_data",
        "display_name",
        "company_name",
        "active",
        "primary_email_addr",
        "primary_phone",
        "web_addr",
        "bill_addr",
        "term_ref",
        "currency_ref",
        "acct_num",
    }
)


UNMAPPED_VENDOR_FIELDS: Final = unmapped_fields(qbo.Vendor, _VENDOR_MAPPED)
"""Vendor attributes not carried (``TaxIdentifier`` is a secret-ish masked value and never read)."""


@total("Vendor")
def vendor_to_vendor(vendor: qbo.Vendor | Mapping[str, Any], config: MappingConfig | None = None) -> Vendor:
    """Map a QBO vendor (``GET /v3/company/{realm}/vendor/{id}``) to a canonical :class:`Vendor`.

    Args:
        vendor: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = config_or_empty(config)
    v = parse_model(qbo.Vendor, vendor, "Vendor")
    currency = currency_in(v.currency_ref, cfg, "Vendor.currency")
    return Vendor(
        refs=refs_of(v, "Vendor"),
        updated_at=updated_in(v, "Vendor.updated_at"),
        name=require(v.display_name, "Vendor.name"),
        company_name=v.company_name,
        active=v.active is not False,
        email=email_in(v.primary_email_addr),
        phone=phone_in(v.primary_phone),
        website=v.web_addr.uri if v.web_addr is not None else None,
        address=address_in(v.bill_addr),
        terms=terms_in(v.term_ref, cfg, "Vendor.terms"),
        currency=currency if v.currency_ref is not None else None,
        balance=opt_money(v.balance, currency, "Vendor.balance"),
        account_number=v.acct_num,
    )


@total("Vendor")
def vendor_from_canonical(vendor: Vendor, config: MappingConfig | None = None) -> qbo.Vendor:
    """Build a QBO vendor (``POST /v3/company/{realm}/vendor``) from a canonical :class:`Vendor`.

    Args:
        vendor: The canonical record.
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = config_or_empty(config)
    own_id, token = own_ref(vendor, "Vendor")
    if ":" in vendor.name:
        fail("Vendor.DisplayName", "QuickBooks names cannot contain ':'", value=vendor.name)
    return qbo.Vendor(
        id=own_id,
        sync_token=token,
        display_name=vendor.name[:500],
        company_name=vendor.company_name,
        active=vendor.active,
        primary_email_addr=qbo.EmailAddress(address=vendor.email) if vendor.email else None,
        primary_phone=qbo.Telephone(free_form_number=vendor.phone) if vendor.phone else None,
        web_addr=qbo.WebAddress(uri=vendor.website) if vendor.website else None,
        bill_addr=address_out(vendor.address),
        term_ref=terms_out(vendor.terms, cfg, "Vendor.TermRef"),
        currency_ref=qbo.Ref(value=vendor.currency) if vendor.currency else None,
        acct_num=vendor.account_number,
    )
