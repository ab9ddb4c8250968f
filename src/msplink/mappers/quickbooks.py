"""QuickBooks Online <-> canonical mappers (pure, total, both directions).

Vendor -> canonical functions are named ``<qbo entity>_to_<canonical>`` (``time_activity_to_time_entry``)
or ``<entity>_to_canonical`` when the names agree; canonical -> QBO functions are
``<entity>_from_canonical`` (``customer_from_canonical``) and return wire models ready for
``to_api()``. Every function takes the :class:`~msplink.mappers.MappingConfig` and raises
:class:`~msplink.errors.MappingError` naming the field path, never anything else.

Money rules: every sales line ``Amount`` is ``round(Qty x UnitPrice, 2)`` with ROUND_HALF_UP
(:func:`~msplink.mappers.line_amount`); when the rounded lines differ from the canonical
subtotal and ``MappingConfig.penny_adjustment_item`` is set, one adjustment line absorbs the
difference (up to ``penny_tolerance``, otherwise ``MappingError``). ``CurrencyRef`` and
``ExchangeRate`` are always carried.

Tax: in ``tax_mode = "us"`` lines carry the pseudo codes ``TAX``/``NON`` (from the line's
``taxable`` flag or the mapped tax code) and a document tax code that maps to a real QBO code id
goes to ``TxnTaxDetail.TxnTaxCodeRef``; in ``"global"`` mode every line carries the mapped code id.
Each ``UNMAPPED_*_FIELDS`` set lists attributes left out (read-only totals, projects, delivery ...).

Deletion stubs (``{"status": "Deleted", "Id": ...}`` from a delete or from CDC) of invoices,
payments, bills and time activities map to tombstones: records with ``deleted=True`` and only their
ref set (the customer/vendor link is empty).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Final

import attrs

from msplink.mappers._common import parse_model, ref, unmapped_fields, vendor_custom_in, vendor_custom_out
from msplink.mappers._config import MappingConfig
from msplink.mappers._money import line_amount, penny_adjustment, quantize_amount
from msplink.mappers._util import at, aware, fail, money, opt_money, require, total
from msplink.models import (
    CONNECTWISE,
    QUICKBOOKS,
    Address,
    Agreement,
    AgreementAddition,
    AgreementStatus,
    BillableStatus,
    BillingCycle,
    Customer,
    ExternalRef,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    LineKind,
    Link,
    Money,
    Payment,
    PaymentAllocation,
    Product,
    ProductKind,
    TimeEntry,
    Vendor,
    VendorBill,
    VendorBillLine,
)
from msplink.quickbooks import models as qbo

__all__ = [
    "INTERVALS",
    "SYSTEM",
    "UNMAPPED_ADDRESS_FIELDS",
    "UNMAPPED_BILL_FIELDS",
    "UNMAPPED_CUSTOMER_FIELDS",
    "UNMAPPED_INVOICE_FIELDS",
    "UNMAPPED_ITEM_FIELDS",
    "UNMAPPED_LINE_DETAIL_FIELDS",
    "UNMAPPED_LINE_FIELDS",
    "UNMAPPED_PAYMENT_FIELDS",
    "UNMAPPED_RECURRING_FIELDS",
    "UNMAPPED_TIME_ACTIVITY_FIELDS",
    "UNMAPPED_VENDOR_FIELDS",
    "bill_from_canonical",
    "bill_to_canonical",
    "bill_to_vendor_bill",
    "customer_from_canonical",
    "customer_to_canonical",
    "invoice_from_canonical",
    "invoice_to_canonical",
    "item_from_canonical",
    "item_to_canonical",
    "item_to_product",
    "journal_entry_from_time_entries",
    "payment_from_canonical",
    "payment_to_canonical",
    "recurring_transaction_from_agreement",
    "recurring_transaction_from_canonical",
    "recurring_transaction_to_agreement",
    "recurring_transaction_to_canonical",
    "time_activity_from_canonical",
    "time_activity_to_canonical",
    "time_activity_to_time_entry",
    "vendor_from_canonical",
    "vendor_to_canonical",
]

SYSTEM: Final = QUICKBOOKS

_EMPTY: Final = MappingConfig()

INTERVALS: Final[dict[BillingCycle, tuple[str, int]]] = {
    BillingCycle.WEEKLY: ("Weekly", 1),
    BillingCycle.BIWEEKLY: ("Weekly", 2),
    BillingCycle.MONTHLY: ("Monthly", 1),
    BillingCycle.BIMONTHLY: ("Monthly", 2),
    BillingCycle.QUARTERLY: ("Monthly", 3),
    BillingCycle.SEMIANNUAL: ("Monthly", 6),
    BillingCycle.YEARLY: ("Yearly", 1),
}
"""Billing cycle -> QBO ``ScheduleInfo`` (``IntervalType``, ``NumInterval``); one-time has none."""

_CYCLES: Final = {v: k for k, v in INTERVALS.items()} | {("Monthly", 12): BillingCycle.YEARLY}

_KINDS_IN: Final[dict[str, ProductKind]] = {
    "Service": ProductKind.SERVICE,
    "NonInventory": ProductKind.NON_INVENTORY,
    "Inventory": ProductKind.INVENTORY,
    "Group": ProductKind.BUNDLE,
    "Bundle": ProductKind.BUNDLE,
}
_KINDS_OUT: Final[dict[ProductKind, str]] = {
    ProductKind.SERVICE: "Service",
    ProductKind.NON_INVENTORY: "NonInventory",
    ProductKind.INVENTORY: "Inventory",
    ProductKind.AGREEMENT: "Service",
    ProductKind.BUNDLE: "Group",
    ProductKind.OTHER: "NonInventory",
}

_BILLABLE_IN: Final[dict[str, BillableStatus]] = {
    "Billable": BillableStatus.BILLABLE,
    "NotBillable": BillableStatus.NOT_BILLABLE,
    "HasBeenBilled": BillableStatus.BILLED,
}
_BILLABLE_OUT: Final[dict[BillableStatus, str]] = {
    BillableStatus.BILLABLE: "Billable",
    BillableStatus.NOT_BILLABLE: "NotBillable",
    BillableStatus.NO_CHARGE: "NotBillable",
    BillableStatus.BILLED: "HasBeenBilled",
}

_US_CODES: Final = frozenset({"TAX", "NON"})

_TAX_CALCULATION: Final[dict[str, bool]] = {"TaxInclusive": True, "TaxExcluded": False}

_DETAIL_TYPES: Final[dict[str, str]] = {
    name.replace("_", "").lower(): name
    for name in (
        "SalesItemLineDetail",
        "DescriptionOnly",
        "DiscountLineDetail",
        "SubTotalLineDetail",
        "GroupLineDetail",
        "AccountBasedExpenseLineDetail",
        "ItemBasedExpenseLineDetail",
    )
} | {"descriptionlinedetail": "DescriptionOnly"}


def _detail_type(value: str | None) -> str | None:
    """Canonical spelling of a line ``DetailType`` (some responses use ``SALES_ITEM_LINE_DETAIL``)."""
    if value is None:
        return None
    return _DETAIL_TYPES.get(value.replace("_", "").lower(), value)


def _deleted(entity: Any) -> bool:
    """Whether a payload is a deletion stub (``{"status": "Deleted", "Id": ...}`` from delete or CDC)."""
    raw = getattr(entity, "raw", None) or {}
    return isinstance(raw, Mapping) and raw.get("status") == "Deleted"


UNMAPPED_ADDRESS_FIELDS: Final = unmapped_fields(
    qbo.Address,
    {
        "line1",
        "line2",
        "line3",
        "line4",
        "line5",
        "city",
        "country",
        "country_sub_division_code",
        "postal_code",
    },
)
"""Address attributes not carried (QBO's address record id and geocode)."""

UNMAPPED_LINE_FIELDS: Final = frozenset({"id", "project_ref", "linked_txn"})
"""Line attributes not carried (line ids are QBO's; projects are not modelled)."""

UNMAPPED_LINE_DETAIL_FIELDS: Final = (
    unmapped_fields(
        qbo.SalesItemLineDetail, {"item_ref", "qty", "unit_price", "service_date", "tax_code_ref"}
    )
    | unmapped_fields(
        qbo.AccountBasedExpenseLineDetail, {"account_ref", "customer_ref", "billable_status", "tax_code_ref"}
    )
    | unmapped_fields(
        qbo.ItemBasedExpenseLineDetail,
        {"item_ref", "qty", "unit_price", "customer_ref", "billable_status", "tax_code_ref"},
    )
    | unmapped_fields(qbo.DiscountLineDetail, {"percent_based"})
)
"""Line-detail attributes not carried (classes, item accounts, tax-inclusive amounts, discount
accounts, markup; a description-only line's tax code is dropped too)."""


# ------------------------------------------------------------------------------------------- helpers


def _cfg(config: MappingConfig | None) -> MappingConfig:
    return config if config is not None else _EMPTY


def _version(entity: Any) -> str | None:
    token: str | None = getattr(entity, "sync_token", None)
    return token


def _updated(entity: Any, path: str) -> datetime | None:
    meta = getattr(entity, "meta_data", None)
    return aware(meta.last_updated_time if meta is not None else None, path)


def _refs(entity: Any, object_type: str) -> frozenset[Any]:
    return ref(SYSTEM, object_type, getattr(entity, "id", None), _version(entity))


def _own(record: Any, object_type: str) -> tuple[str | None, str | None]:
    own = record.ref_for(SYSTEM, object_type)
    if own is None:
        return None, None
    return own.id, own.version


def _link(reference: qbo.Ref | None, object_type: str) -> Link | None:
    if reference is None or not reference.value:
        return None
    return Link.to(SYSTEM, object_type, reference.value, display=reference.name)


def _ref_out(link: Link | None, object_type: str, path: str, *, required: bool = False) -> qbo.Ref | None:
    if link is None:
        if required:
            fail(path, "is required but missing")
        return None
    value = link.id_for(SYSTEM, object_type)
    if value is None:
        fail(path, f"the linked record has no {SYSTEM} {object_type} ref", value=link.display)
    return qbo.Ref(value=value, name=link.display)


def _currency(reference: qbo.Ref | None, config: MappingConfig, path: str) -> str:
    if reference is None or not reference.value:
        return config.default_currency
    with at(path):
        return Money(0, reference.value).currency


def _address_in(address: qbo.Address | None) -> Address | None:
    if address is None:
        return None
    result = Address(
        line1=address.line1,
        line2=address.line2,
        line3=address.line3,
        line4=address.line4,
        line5=address.line5,
        city=address.city,
        region=address.country_sub_division_code,
        postal_code=address.postal_code,
        country=address.country,
    )
    return None if result.is_empty() else result


def _address_out(address: Address | None) -> qbo.Address | None:
    if address is None or address.is_empty():
        return None
    return qbo.Address(
        line1=address.line1,
        line2=address.line2,
        line3=address.line3,
        line4=address.line4,
        line5=address.line5,
        city=address.city,
        country_sub_division_code=address.region,
        postal_code=address.postal_code,
        country=address.country,
    )


def _email(value: qbo.EmailAddress | None) -> str | None:
    return value.address if value is not None else None


def _phone(value: qbo.Telephone | None) -> str | None:
    return value.free_form_number if value is not None else None


def _terms_in(reference: qbo.Ref | None, config: MappingConfig, path: str) -> str | None:
    if reference is None or not reference.value:
        return None
    return config.terms.inverse(reference.value, path=path, table="terms")


def _terms_out(terms: str | None, config: MappingConfig, path: str) -> qbo.Ref | None:
    if not terms:
        return None
    return qbo.Ref(value=config.terms.get(terms, path=path, table="terms"))


def _custom_in(
    fields: Sequence[qbo.CustomField] | None, record: str, config: MappingConfig
) -> dict[str, Any]:
    values = {cf.name: cf.string_value for cf in fields or () if cf.name and cf.string_value is not None}
    return vendor_custom_in(values, record, SYSTEM, config)


def _custom_out(
    custom: Mapping[str, Any], record: str, config: MappingConfig
) -> tuple[qbo.CustomField, ...] | None:
    values = vendor_custom_out(custom, record, SYSTEM, config)
    if not values:
        return None
    return tuple(
        qbo.CustomField(
            definition_id=config.qbo_id("custom_fields", name),
            name=name,
            type="StringType",
            string_value=str(value),
        )
        for name, value in values.items()
    )


def _amount(value: Money | None) -> Decimal | None:
    return value.amount if value is not None else None


# ------------------------------------------------------------------------------- customers and vendors

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
def customer_to_canonical(
    customer: qbo.Customer | Mapping[str, Any], config: MappingConfig | None = None
) -> Customer:
    """Map a QBO customer (``GET /v3/company/{realm}/customer/{id}``) to a canonical :class:`Customer`.

    Args:
        customer: Link to the paying customer, when the caller knows it.
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = _cfg(config)
    c = parse_model(qbo.Customer, customer, "Customer")
    currency = _currency(c.currency_ref, cfg, "Customer.currency")
    tax_code = None
    if c.default_tax_code_ref is not None and c.default_tax_code_ref.value:
        tax_code = cfg.tax_codes.inverse(
            c.default_tax_code_ref.value, path="Customer.tax_code", table="tax_codes"
        )
    return Customer(
        refs=_refs(c, "Customer"),
        updated_at=_updated(c, "Customer.updated_at"),
        deleted=False,
        name=require(c.display_name, "Customer.name"),
        company_name=c.company_name,
        active=c.active is not False,
        email=_email(c.primary_email_addr),
        phone=_phone(c.primary_phone),
        fax=_phone(c.fax),
        website=c.web_addr.uri if c.web_addr is not None else None,
        billing_address=_address_in(c.bill_addr),
        shipping_address=_address_in(c.ship_addr),
        terms=_terms_in(c.sales_term_ref, cfg, "Customer.terms"),
        tax_code=tax_code,
        taxable=c.taxable,
        currency=currency if c.currency_ref is not None else None,
        balance=opt_money(c.balance, currency, "Customer.balance"),
        parent=_link(c.parent_ref, "Customer"),
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
    cfg = _cfg(config)
    own_id, token = _own(customer, "Customer")
    tax_ref = None
    if customer.tax_code:
        tax_ref = qbo.Ref(
            value=cfg.tax_codes.get(customer.tax_code, path="Customer.tax_code", table="tax_codes")
        )
    if ":" in customer.name:
        fail("Customer.DisplayName", "QuickBooks names cannot contain ':'", value=customer.name)
    parent = _ref_out(customer.parent, "Customer", "Customer.ParentRef")
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
        bill_addr=_address_out(customer.billing_address),
        ship_addr=_address_out(customer.shipping_address),
        sales_term_ref=_terms_out(customer.terms, cfg, "Customer.SalesTermRef"),
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
def vendor_to_canonical(
    vendor: qbo.Vendor | Mapping[str, Any], config: MappingConfig | None = None
) -> Vendor:
    """Map a QBO vendor (``GET /v3/company/{realm}/vendor/{id}``) to a canonical :class:`Vendor`.

    Args:
        vendor: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = _cfg(config)
    v = parse_model(qbo.Vendor, vendor, "Vendor")
    currency = _currency(v.currency_ref, cfg, "Vendor.currency")
    return Vendor(
        refs=_refs(v, "Vendor"),
        updated_at=_updated(v, "Vendor.updated_at"),
        name=require(v.display_name, "Vendor.name"),
        company_name=v.company_name,
        active=v.active is not False,
        email=_email(v.primary_email_addr),
        phone=_phone(v.primary_phone),
        website=v.web_addr.uri if v.web_addr is not None else None,
        address=_address_in(v.bill_addr),
        terms=_terms_in(v.term_ref, cfg, "Vendor.terms"),
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
    cfg = _cfg(config)
    own_id, token = _own(vendor, "Vendor")
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
        bill_addr=_address_out(vendor.address),
        term_ref=_terms_out(vendor.terms, cfg, "Vendor.TermRef"),
        currency_ref=qbo.Ref(value=vendor.currency) if vendor.currency else None,
        acct_num=vendor.account_number,
    )


# ---------------------------------------------------------------------------------------------- items

_ITEM_MAPPED: Final = frozenset(
    {
        "id",
        "sync_token",
        "meta_data",
        "name",
        "type",
        "sku",
        "description",
        "active",
        "unit_price",
        "purchase_cost",
        "taxable",
        "income_account_ref",
        "expense_account_ref",
    }
)
UNMAPPED_ITEM_FIELDS: Final = unmapped_fields(qbo.Item, _ITEM_MAPPED)
"""Item attributes not carried (inventory quantities, asset account, hierarchy)."""


@total("Product")
def item_to_product(item: qbo.Item | Mapping[str, Any], config: MappingConfig | None = None) -> Product:
    """Map a QBO item (``GET /v3/company/{realm}/item/{id}``) to a canonical :class:`Product`.

    The product class is recovered from the income/expense accounts when exactly one configured
    ``product_classes`` entry uses them.

    Args:
        item: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = _cfg(config)
    i = parse_model(qbo.Item, item, "Product")
    currency = cfg.default_currency
    income = i.income_account_ref.value if i.income_account_ref is not None else None
    expense = i.expense_account_ref.value if i.expense_account_ref is not None else None
    classes = [
        name
        for name, pc in cfg.product_classes.items()
        if (income or expense) and pc.income_account == income and pc.expense_account == expense
    ]
    return Product(
        refs=_refs(i, "Item"),
        updated_at=_updated(i, "Product.updated_at"),
        name=require(i.name, "Product.name"),
        sku=i.sku,
        description=i.description,
        kind=_KINDS_IN.get(i.type or "", ProductKind.OTHER),
        product_class=classes[0] if len(classes) == 1 else None,
        unit_price=opt_money(i.unit_price, currency, "Product.unit_price"),
        unit_cost=opt_money(i.purchase_cost, currency, "Product.unit_cost"),
        taxable=i.taxable,
        active=i.active is not False,
    )


item_to_canonical = item_to_product


@total("Item")
def item_from_canonical(product: Product, config: MappingConfig | None = None) -> qbo.Item:
    """Build a QBO item (``POST /v3/company/{realm}/item``) from a canonical :class:`Product`.

    Income and expense accounts come from ``product_classes[product.product_class]``; a Service or
    NonInventory item with no income account is a ``MappingError`` (QBO requires one).

    Args:
        product: The canonical record.
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = _cfg(config)
    own_id, token = _own(product, "Item")
    item_type = _KINDS_OUT[product.kind]
    pc = cfg.product_class(product.product_class)
    income = pc.income_account if pc is not None else None
    expense = pc.expense_account if pc is not None else None
    if own_id is None and income is None and item_type in {"Service", "NonInventory", "Inventory"}:
        fail("Item.IncomeAccountRef", "no income account for this product class", value=product.product_class)
    name = product.name.replace(":", "-")[:100]
    return qbo.Item(
        id=own_id,
        sync_token=token,
        name=name,
        type=item_type,
        sku=product.sku,
        description=product.description,
        active=product.active,
        unit_price=_amount(product.unit_price),
        purchase_cost=_amount(product.unit_cost),
        taxable=product.taxable,
        income_account_ref=qbo.Ref(value=income) if income else None,
        expense_account_ref=qbo.Ref(value=expense) if expense else None,
    )


# ------------------------------------------------------------------------------------------- invoices

_INVOICE_MAPPED: Final = frozenset(
    {
        "id",
        "sync_token",
        "meta_data",
        "doc_number",
        "txn_date",
        "due_date",
        "private_note",
        "currency_ref",
        "exchange_rate",
        "line",
        "txn_tax_detail",
        "total_amt",
        "balance",
        "custom_field",
        "customer_ref",
        "customer_memo",
        "bill_email",
        "bill_addr",
        "sales_term_ref",
        "global_tax_calculation",
    }
)
UNMAPPED_INVOICE_FIELDS: Final = unmapped_fields(qbo.Invoice, _INVOICE_MAPPED) | {"total_amt", "balance"}
"""Invoice attributes not carried (``TotalAmt``/``Balance`` are read into the canonical totals but
are read-only in QBO; ``TxnTaxDetail`` keeps only ``TxnTaxCodeRef`` on the way back)."""


def _line_tax_in(
    reference: qbo.Ref | None, config: MappingConfig, path: str
) -> tuple[str | None, bool | None]:
    if reference is None or not reference.value:
        return None, None
    if reference.value in _US_CODES:
        return None, reference.value == "TAX"
    return config.tax_codes.inverse(reference.value, path=path, table="tax_codes"), None


def _line_tax_out(
    line: InvoiceLine | VendorBillLine, document_code: str | None, config: MappingConfig, path: str
) -> qbo.Ref | None:
    code = line.tax_code or document_code
    if config.tax_mode == "us":
        if line.taxable is not None:
            return qbo.Ref(value="TAX" if line.taxable else "NON")
        if code:
            mapped = config.tax_codes.get(code, path=path, table="tax_codes")
            return qbo.Ref(value=mapped if mapped in _US_CODES else "TAX")
        return None
    if not code:
        fail(path, "a tax code is required on every line outside the US (tax_mode = global)")
    return qbo.Ref(value=config.tax_codes.get(code, path=path, table="tax_codes"))


def _status(total_amount: Decimal | None, balance: Decimal | None, note: str | None = None) -> InvoiceStatus:
    if total_amount == 0 and (note or "").strip().lower().startswith("voided"):
        return InvoiceStatus.VOID  # QBO voids zero the amounts and set PrivateNote "Voided"
    if total_amount is None or balance is None:
        return InvoiceStatus.OPEN
    if balance == 0 and total_amount != 0:
        return InvoiceStatus.PAID
    if 0 < balance < total_amount:
        return InvoiceStatus.PARTIALLY_PAID
    return InvoiceStatus.OPEN


def _sales_lines_in(
    lines: Sequence[qbo.Line] | None, currency: str, config: MappingConfig, root: str
) -> tuple[list[InvoiceLine], Decimal | None]:
    out: list[InvoiceLine] = []
    subtotal: Decimal | None = None
    for i, line in enumerate(lines or ()):
        path = f"{root}.lines[{i}]"
        detail_type = _detail_type(line.detail_type)
        if detail_type == "SubTotalLineDetail":
            subtotal = line.amount
            continue
        if detail_type == "SalesItemLineDetail":
            d = line.sales_item_line_detail or qbo.SalesItemLineDetail()
            tax_code, taxable = _line_tax_in(d.tax_code_ref, config, f"{path}.tax_code")
            item_id = d.item_ref.value if d.item_ref is not None else None
            out.append(
                InvoiceLine(
                    amount=money(require(line.amount, f"{path}.amount"), currency, f"{path}.amount"),
                    description=line.description,
                    quantity=d.qty,
                    unit_price=opt_money(d.unit_price, currency, f"{path}.unit_price"),
                    product=_link(d.item_ref, "Item"),
                    sku=config.catalog_items.find_inverse(item_id) if item_id else None,
                    tax_code=tax_code,
                    taxable=taxable,
                    service_date=d.service_date,
                    line_number=line.line_num,
                )
            )
        elif detail_type == "DescriptionOnly":
            d2 = line.description_line_detail or qbo.DescriptionLineDetail()
            out.append(
                InvoiceLine(
                    amount=money(line.amount or 0, currency, f"{path}.amount"),
                    description=line.description,
                    kind=LineKind.DESCRIPTION,
                    service_date=d2.service_date,
                    line_number=line.line_num,
                )
            )
        elif detail_type == "DiscountLineDetail":
            amount = money(require(line.amount, f"{path}.amount"), currency, f"{path}.amount")
            out.append(
                InvoiceLine(
                    amount=-amount,
                    description=line.description,
                    kind=LineKind.DISCOUNT,
                    line_number=line.line_num,
                )
            )
        else:
            fail(f"{path}.DetailType", "unsupported line type", value=detail_type)
    return out, subtotal


@total("Invoice")
def invoice_to_canonical(
    invoice: qbo.Invoice | Mapping[str, Any], config: MappingConfig | None = None
) -> Invoice:
    """Map a QBO invoice (``GET /v3/company/{realm}/invoice/{id}``) to a canonical :class:`Invoice`.

    Args:
        invoice: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = _cfg(config)
    inv = parse_model(qbo.Invoice, invoice, "Invoice")
    if _deleted(inv):
        return Invoice(
            refs=_refs(inv, "Invoice"), deleted=True, customer=Link(), currency=cfg.default_currency
        )
    currency = _currency(inv.currency_ref, cfg, "Invoice.currency")
    lines, subtotal = _sales_lines_in(inv.line, currency, cfg, "Invoice")
    tax = inv.txn_tax_detail
    doc_code = None
    if tax is not None and tax.txn_tax_code_ref is not None and tax.txn_tax_code_ref.value:
        doc_code = cfg.tax_codes.inverse(
            tax.txn_tax_code_ref.value, path="Invoice.tax_code", table="tax_codes"
        )
    memo = inv.customer_memo.get("value") if isinstance(inv.customer_memo, Mapping) else None
    return Invoice(
        refs=_refs(inv, "Invoice"),
        updated_at=_updated(inv, "Invoice.updated_at"),
        custom_fields=_custom_in(inv.custom_field, "Invoice", cfg),
        customer=require(_link(inv.customer_ref, "Customer"), "Invoice.customer"),
        currency=currency,
        number=inv.doc_number,
        status=_status(inv.total_amt, inv.balance, inv.private_note),
        issue_date=inv.txn_date,
        due_date=inv.due_date,
        lines=lines,
        subtotal=opt_money(subtotal, currency, "Invoice.subtotal"),
        tax_total=opt_money(tax.total_tax if tax is not None else None, currency, "Invoice.tax_total"),
        total=opt_money(inv.total_amt, currency, "Invoice.total"),
        balance=opt_money(inv.balance, currency, "Invoice.balance"),
        terms=_terms_in(inv.sales_term_ref, cfg, "Invoice.terms"),
        tax_code=doc_code,
        memo=inv.private_note,
        customer_memo=memo if isinstance(memo, str) else None,
        email=_email(inv.bill_email),
        billing_address=_address_in(inv.bill_addr),
        exchange_rate=inv.exchange_rate,
        tax_inclusive=_TAX_CALCULATION.get(inv.global_tax_calculation or ""),
    )


def _item_ref(line: InvoiceLine, config: MappingConfig, path: str) -> qbo.Ref:
    if line.product is not None:
        item_id = line.product.id_for(SYSTEM, "Item")
        if item_id is not None:
            return qbo.Ref(value=item_id, name=line.product.display)
    return qbo.Ref(value=config.qbo_item_for(sku=line.sku, product_class=line.product_class, path=path))


def _sales_lines_out(
    document: Invoice | Agreement, lines: Sequence[InvoiceLine], config: MappingConfig, root: str
) -> list[qbo.Line]:
    out: list[qbo.Line] = []
    document_code = document.tax_code
    for i, line in enumerate(lines):
        path = f"{root}.lines[{i}]"
        if line.kind is LineKind.DESCRIPTION:
            out.append(
                qbo.Line(
                    detail_type="DescriptionOnly",
                    line_num=line.line_number,
                    description=line.description,
                    description_line_detail=qbo.DescriptionLineDetail(service_date=line.service_date),
                )
            )
            continue
        if line.kind is LineKind.DISCOUNT:
            out.append(
                qbo.Line(
                    detail_type="DiscountLineDetail",
                    line_num=line.line_number,
                    amount=quantize_amount(-line.amount.amount),
                    description=line.description,
                    discount_line_detail=qbo.DiscountLineDetail(percent_based=False),
                )
            )
            continue
        quantity = line.quantity
        price = line.unit_price.amount if line.unit_price is not None else None
        if quantity is not None and price is not None:
            amount = line_amount(quantity, price)
        else:
            amount = quantize_amount(line.amount.amount)
        out.append(
            qbo.Line(
                detail_type="SalesItemLineDetail",
                line_num=line.line_number,
                amount=amount,
                description=line.description,
                sales_item_line_detail=qbo.SalesItemLineDetail(
                    item_ref=_item_ref(line, config, f"{path}.item"),
                    qty=quantity,
                    unit_price=price,
                    service_date=line.service_date,
                    tax_code_ref=_line_tax_out(line, document_code, config, f"{path}.tax_code"),
                ),
            )
        )
    return out


def _with_penny_line(
    out: list[qbo.Line], expected: Money, config: MappingConfig, path: str
) -> list[qbo.Line]:
    if config.penny_adjustment_item is None:
        return out
    sales = Decimal(0)
    for line in out:
        if line.detail_type == "SalesItemLineDetail" and line.amount is not None:
            sales += line.amount
        elif line.detail_type == "DiscountLineDetail" and line.amount is not None:
            sales -= line.amount
    adjustment = penny_adjustment(
        Money(sales, expected.currency), expected, tolerance=config.penny_tolerance, path=path
    )
    if adjustment is None:
        return out
    code = "NON" if config.tax_mode == "us" else None
    return [
        *out,
        qbo.Line(
            detail_type="SalesItemLineDetail",
            amount=adjustment.amount,
            description="Rounding adjustment",
            sales_item_line_detail=qbo.SalesItemLineDetail(
                item_ref=qbo.Ref(value=config.penny_adjustment_item),
                qty=Decimal(1),
                unit_price=adjustment.amount,
                tax_code_ref=qbo.Ref(value=code) if code else None,
            ),
        ),
    ]


def _txn_tax_out(tax_code: str | None, config: MappingConfig, path: str) -> qbo.TxnTaxDetail | None:
    if not tax_code or config.tax_mode != "us":
        return None
    mapped = config.tax_codes.get(tax_code, path=path, table="tax_codes")
    if mapped in _US_CODES:
        return None
    return qbo.TxnTaxDetail(txn_tax_code_ref=qbo.Ref(value=mapped))


@total("Invoice")
def invoice_from_canonical(invoice: Invoice, config: MappingConfig | None = None) -> qbo.Invoice:
    """Build a QBO invoice (``POST /v3/company/{realm}/invoice``) from a canonical :class:`Invoice`.

    Line amounts follow the 6070 rule (ROUND_HALF_UP to cents); with a configured
    ``penny_adjustment_item`` an extra line makes the lines add up to the canonical subtotal
    (``invoice.subtotal``, else the sum of the canonical lines).

    Args:
        invoice: The canonical record.
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = _cfg(config)
    own_id, token = _own(invoice, "Invoice")
    if not invoice.lines:
        fail("Invoice.Line", "a QuickBooks invoice needs at least one line")
    if invoice.number is not None and len(invoice.number) > 21:
        fail(
            "Invoice.DocNumber", "QuickBooks document numbers are at most 21 characters", value=invoice.number
        )
    lines = _sales_lines_out(invoice, invoice.lines, cfg, "Invoice")
    expected = invoice.subtotal if invoice.subtotal is not None else invoice.lines_total()
    lines = _with_penny_line(lines, expected, cfg, "Invoice.subtotal")
    return qbo.Invoice(
        id=own_id,
        sync_token=token,
        customer_ref=_ref_out(invoice.customer, "Customer", "Invoice.CustomerRef", required=True),
        doc_number=invoice.number,
        txn_date=invoice.issue_date,
        due_date=invoice.due_date,
        private_note=invoice.memo,
        currency_ref=qbo.Ref(value=invoice.currency),
        exchange_rate=invoice.exchange_rate,
        line=tuple(lines),
        txn_tax_detail=_txn_tax_out(invoice.tax_code, cfg, "Invoice.TxnTaxDetail"),
        custom_field=_custom_out(invoice.custom_fields, "Invoice", cfg),
        customer_memo={"value": invoice.customer_memo} if invoice.customer_memo else None,
        bill_email=qbo.EmailAddress(address=invoice.email) if invoice.email else None,
        bill_addr=_address_out(invoice.billing_address),
        sales_term_ref=_terms_out(invoice.terms, cfg, "Invoice.SalesTermRef"),
        global_tax_calculation=_global_tax(invoice.tax_inclusive, cfg),
    )


def _global_tax(tax_inclusive: bool | None, config: MappingConfig) -> str | None:
    if config.tax_mode != "global":
        return None  # US companies reject GlobalTaxCalculation
    return "TaxInclusive" if tax_inclusive else "TaxExcluded"


# ------------------------------------------------------------------------------------------- payments

_PAYMENT_MAPPED: Final = frozenset(
    {
        "id",
        "sync_token",
        "meta_data",
        "customer_ref",
        "total_amt",
        "txn_date",
        "payment_method_ref",
        "payment_ref_num",
        "private_note",
        "currency_ref",
        "exchange_rate",
        "line",
        "deposit_to_account_ref",
    }
)
UNMAPPED_PAYMENT_FIELDS: Final = unmapped_fields(qbo.Payment, _PAYMENT_MAPPED)
"""Payment attributes not carried (``UnappliedAmt`` is derived: ``Payment.unapplied``)."""


@total("Payment")
def payment_to_canonical(
    payment: qbo.Payment | Mapping[str, Any], config: MappingConfig | None = None
) -> Payment:
    """Map a QBO payment (``GET /v3/company/{realm}/payment/{id}``) to a canonical :class:`Payment`.

    Each ``Line`` becomes an allocation to its linked transaction (Invoice, CreditMemo ...). The
    payment method is the ``quickbooks_ids.payment_methods`` name of the ref id (else the ref's
    name, else the id).

    Args:
        payment: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = _cfg(config)
    p = parse_model(qbo.Payment, payment, "Payment")
    if _deleted(p):
        return Payment(
            refs=_refs(p, "Payment"), deleted=True, customer=Link(), total=Money.zero(cfg.default_currency)
        )
    currency = _currency(p.currency_ref, cfg, "Payment.currency")
    allocations = []
    for i, line in enumerate(p.line or ()):
        path = f"Payment.allocations[{i}]"
        for txn in line.linked_txn or ():
            if not txn.txn_id:
                fail(f"{path}.target", "linked transaction without an id")
            target_type = txn.txn_type or "Invoice"
            allocations.append(
                PaymentAllocation(
                    target=Link.to(SYSTEM, target_type, txn.txn_id),
                    amount=money(require(line.amount, f"{path}.amount"), currency, f"{path}.amount"),
                    target_type=target_type,
                )
            )
    method = None
    if p.payment_method_ref is not None and p.payment_method_ref.value:
        value = p.payment_method_ref.value
        method = cfg.qbo_name("payment_methods", value) or p.payment_method_ref.name or value
    return Payment(
        refs=_refs(p, "Payment"),
        updated_at=_updated(p, "Payment.updated_at"),
        customer=require(_link(p.customer_ref, "Customer"), "Payment.customer"),
        total=money(require(p.total_amt, "Payment.total"), currency, "Payment.total"),
        payment_date=p.txn_date,
        method=method,
        reference=p.payment_ref_num,
        memo=p.private_note,
        allocations=allocations,
        exchange_rate=p.exchange_rate,
        custom_fields={"deposit_account": p.deposit_to_account_ref.value}
        if p.deposit_to_account_ref is not None and p.deposit_to_account_ref.value
        else {},
    )


@total("Payment")
def payment_from_canonical(payment: Payment, config: MappingConfig | None = None) -> qbo.Payment:
    """Build a QBO payment (``POST /v3/company/{realm}/payment``) applying it across invoices.

    Every allocation target needs a QuickBooks ref (the sync engine adds it from the identity map).

    Args:
        payment: The canonical record.
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = _cfg(config)
    own_id, token = _own(payment, "Payment")
    lines = []
    for i, allocation in enumerate(payment.allocations):
        path = f"Payment.allocations[{i}].target"
        txn_id = allocation.target.id_for(SYSTEM, allocation.target_type)
        if txn_id is None:
            txn_id = allocation.target.id_for(SYSTEM)
        if txn_id is None:
            fail(path, f"the {allocation.target_type} has no QuickBooks ref", value=allocation.target.display)
        lines.append(
            qbo.Line(
                amount=quantize_amount(allocation.amount.amount),
                linked_txn=(qbo.LinkedTxn(txn_id=txn_id, txn_type=allocation.target_type),),
            )
        )
    method_ref = None
    if payment.method:
        method_id = cfg.qbo_id("payment_methods", payment.method)
        if method_id is None:
            if not payment.method.isdigit():
                fail(
                    "Payment.PaymentMethodRef",
                    "no QuickBooks payment method id for this name",
                    value=payment.method,
                )
            method_id = payment.method
        method_ref = qbo.Ref(value=method_id)
    deposit = payment.custom_fields.get("deposit_account")
    return qbo.Payment(
        id=own_id,
        sync_token=token,
        customer_ref=_ref_out(payment.customer, "Customer", "Payment.CustomerRef", required=True),
        total_amt=quantize_amount(payment.total.amount),
        txn_date=payment.payment_date,
        payment_method_ref=method_ref,
        payment_ref_num=payment.reference,
        private_note=payment.memo,
        currency_ref=qbo.Ref(value=payment.currency),
        exchange_rate=payment.exchange_rate,
        line=tuple(lines) or None,
        deposit_to_account_ref=qbo.Ref(value=str(deposit)) if deposit else None,
    )


# --------------------------------------------------------------------------------------- time activity

_TIME_MAPPED: Final = frozenset(
    {
        "id",
        "sync_token",
        "meta_data",
        "txn_date",
        "name_of",
        "employee_ref",
        "customer_ref",
        "item_ref",
        "billable_status",
        "hourly_rate",
        "cost_rate",
        "hours",
        "minutes",
        "seconds",
        "start_time",
        "end_time",
        "break_hours",
        "break_minutes",
        "description",
    }
)
UNMAPPED_TIME_ACTIVITY_FIELDS: Final = unmapped_fields(qbo.TimeActivity, _TIME_MAPPED)
"""TimeActivity attributes not carried (projects, classes, departments, vendor time)."""


@total("TimeEntry")
def time_activity_to_time_entry(
    activity: qbo.TimeActivity | Mapping[str, Any], config: MappingConfig | None = None
) -> TimeEntry:
    """Map a QBO time activity (``GET /v3/company/{realm}/timeactivity/{id}``) to a :class:`TimeEntry`.

    The employee link carries the QBO Employee ref plus the CW member from ``employees`` when mapped.

    Args:
        activity: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = _cfg(config)
    t = parse_model(qbo.TimeActivity, activity, "TimeEntry")
    if _deleted(t):
        return TimeEntry(refs=_refs(t, "TimeActivity"), deleted=True, hours=Decimal(0))
    currency = cfg.default_currency
    if t.start_time is not None and t.end_time is not None:
        seconds = Decimal((t.end_time - t.start_time).total_seconds())
        seconds -= Decimal((t.break_hours or 0) * 3600 + (t.break_minutes or 0) * 60)
        hours = seconds / Decimal(3600)
    elif t.hours is not None or t.minutes is not None:
        hours = (
            Decimal(t.hours or 0)
            + Decimal(t.minutes or 0) / Decimal(60)
            + Decimal(t.seconds or 0) / Decimal(3600)
        )
    else:
        fail("TimeEntry.hours", "neither Hours/Minutes nor StartTime/EndTime is set")
    member = _link(t.employee_ref, "Employee")
    if member is not None and t.employee_ref is not None and t.employee_ref.value:
        cw_member = cfg.employees.find_inverse(t.employee_ref.value)
        if cw_member is not None:
            member = member.with_ref(ExternalRef(CONNECTWISE, "member", cw_member))
    billable = _BILLABLE_IN.get(t.billable_status or "NotBillable")
    if billable is None:
        fail("TimeEntry.billable", "unknown BillableStatus", value=t.billable_status)
    work_type = None
    if t.item_ref is not None and t.item_ref.value:
        work_type = cfg.work_types.find_inverse(t.item_ref.value)
    return TimeEntry(
        refs=_refs(t, "TimeActivity"),
        updated_at=_updated(t, "TimeEntry.updated_at"),
        hours=hours,
        member=member,
        customer=_link(t.customer_ref, "Customer"),
        work_date=t.txn_date,
        start=aware(t.start_time, "TimeEntry.start"),
        end=aware(t.end_time, "TimeEntry.end"),
        billable=billable,
        hourly_rate=opt_money(t.hourly_rate, currency, "TimeEntry.hourly_rate"),
        cost_rate=opt_money(t.cost_rate, currency, "TimeEntry.cost_rate"),
        notes=t.description,
        work_type=work_type,
        product=_link(t.item_ref, "Item"),
    )


time_activity_to_canonical = time_activity_to_time_entry


@total("TimeActivity")
def time_activity_from_canonical(entry: TimeEntry, config: MappingConfig | None = None) -> qbo.TimeActivity:
    """Build a QBO time activity (``POST /v3/company/{realm}/timeactivity``) from a :class:`TimeEntry`.

    Duration is written as ``Hours``/``Minutes`` of the hours to bill (actual hours for
    non-billable time; minutes rounded ROUND_HALF_UP); the employee comes from the link's QBO ref or ``employees[cw member]``; the
    service item from the link, then ``work_types[work_type]``.

    Args:
        entry: The canonical record.
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = _cfg(config)
    own_id, token = _own(entry, "TimeActivity")
    member = require(entry.member, "TimeActivity.EmployeeRef")
    employee = member.id_for(SYSTEM, "Employee")
    if employee is None:
        cw_member = member.id_for(CONNECTWISE, "member")
        if cw_member is None:
            fail(
                "TimeActivity.EmployeeRef", "the member has no QuickBooks employee or ConnectWise member ref"
            )
        employee = cfg.employees.get(cw_member, path="TimeActivity.EmployeeRef", table="employees")
    billed = entry.billable in {BillableStatus.BILLABLE, BillableStatus.BILLED}
    duration = entry.hours_to_bill if billed else entry.hours
    total_minutes = (duration * 60).to_integral_value(rounding=ROUND_HALF_UP)
    if total_minutes < 0:
        fail("TimeActivity.Hours", "negative duration", value=str(duration))
    hours, minutes = divmod(int(total_minutes), 60)
    item = None
    if entry.product is not None and entry.product.id_for(SYSTEM, "Item") is not None:
        item = qbo.Ref(value=entry.product.id_for(SYSTEM, "Item"), name=entry.product.display)
    elif entry.work_type:
        item = qbo.Ref(
            value=cfg.work_types.get(entry.work_type, path="TimeActivity.ItemRef", table="work_types")
        )
    billable = _BILLABLE_OUT[entry.billable]
    customer = _ref_out(
        entry.customer, "Customer", "TimeActivity.CustomerRef", required=billable == "Billable"
    )
    if billable == "Billable" and entry.hourly_rate is None:
        fail("TimeActivity.HourlyRate", "billable time needs an hourly rate")
    work_date = entry.work_date or (entry.start.date() if entry.start is not None else None)
    return qbo.TimeActivity(
        id=own_id,
        sync_token=token,
        txn_date=work_date,
        name_of="Employee",
        employee_ref=qbo.Ref(value=employee, name=member.display),
        customer_ref=customer,
        item_ref=item,
        billable_status=billable,
        hourly_rate=_amount(entry.hourly_rate),
        cost_rate=_amount(entry.cost_rate),
        hours=hours,
        minutes=minutes,
        description=entry.notes,
    )


# ---------------------------------------------------------------------------------------------- bills

_BILL_MAPPED: Final = frozenset(
    {
        "id",
        "sync_token",
        "meta_data",
        "vendor_ref",
        "doc_number",
        "txn_date",
        "due_date",
        "private_note",
        "currency_ref",
        "line",
        "total_amt",
        "balance",
        "sales_term_ref",
        "linked_txn",
        "exchange_rate",
    }
)
UNMAPPED_BILL_FIELDS: Final = unmapped_fields(qbo.Bill, _BILL_MAPPED) | {"total_amt", "balance", "linked_txn"}
"""Bill attributes not carried (``TotalAmt``/``Balance`` are read-only; ``LinkedTxn`` is read for the PO link)."""


@total("VendorBill")
def bill_to_vendor_bill(
    bill: qbo.Bill | Mapping[str, Any], config: MappingConfig | None = None
) -> VendorBill:
    """Map a QBO bill (``GET /v3/company/{realm}/bill/{id}``) to a canonical :class:`VendorBill`.

    Args:
        bill: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = _cfg(config)
    b = parse_model(qbo.Bill, bill, "VendorBill")
    if _deleted(b):
        return VendorBill(refs=_refs(b, "Bill"), deleted=True, vendor=Link(), currency=cfg.default_currency)
    currency = _currency(b.currency_ref, cfg, "VendorBill.currency")
    lines = []
    for i, line in enumerate(b.line or ()):
        path = f"VendorBill.lines[{i}]"
        amount = money(require(line.amount, f"{path}.amount"), currency, f"{path}.amount")
        detail_type = _detail_type(line.detail_type)
        if detail_type == "AccountBasedExpenseLineDetail":
            d = line.account_based_expense_line_detail or qbo.AccountBasedExpenseLineDetail()
            account = d.account_ref.value if d.account_ref is not None else None
            key = cfg.expense_accounts.find_inverse(account) if account else None
            tax_code, taxable = _line_tax_in(d.tax_code_ref, cfg, f"{path}.tax_code")
            lines.append(
                VendorBillLine(
                    amount=amount,
                    description=line.description,
                    account=key or account,
                    customer=_link(d.customer_ref, "Customer"),
                    billable=d.billable_status == "Billable",
                    tax_code=tax_code,
                    taxable=taxable,
                )
            )
        elif detail_type == "ItemBasedExpenseLineDetail":
            e = line.item_based_expense_line_detail or qbo.ItemBasedExpenseLineDetail()
            item_id = e.item_ref.value if e.item_ref is not None else None
            tax_code, taxable = _line_tax_in(e.tax_code_ref, cfg, f"{path}.tax_code")
            lines.append(
                VendorBillLine(
                    amount=amount,
                    description=line.description,
                    quantity=e.qty,
                    unit_cost=opt_money(e.unit_price, currency, f"{path}.unit_cost"),
                    product=_link(e.item_ref, "Item"),
                    sku=cfg.catalog_items.find_inverse(item_id) if item_id else None,
                    customer=_link(e.customer_ref, "Customer"),
                    billable=e.billable_status == "Billable",
                    tax_code=tax_code,
                    taxable=taxable,
                )
            )
        else:
            fail(f"{path}.DetailType", "unsupported bill line type", value=line.detail_type)
    purchase_order = None
    for txn in b.linked_txn or ():
        if txn.txn_type == "PurchaseOrder" and txn.txn_id:
            purchase_order = Link.to(SYSTEM, "PurchaseOrder", txn.txn_id)
    return VendorBill(
        refs=_refs(b, "Bill"),
        updated_at=_updated(b, "VendorBill.updated_at"),
        vendor=require(_link(b.vendor_ref, "Vendor"), "VendorBill.vendor"),
        currency=currency,
        number=b.doc_number,
        bill_date=b.txn_date,
        due_date=b.due_date,
        lines=lines,
        total=opt_money(b.total_amt, currency, "VendorBill.total"),
        balance=opt_money(b.balance, currency, "VendorBill.balance"),
        terms=_terms_in(b.sales_term_ref, cfg, "VendorBill.terms"),
        purchase_order=purchase_order,
        memo=b.private_note,
        exchange_rate=b.exchange_rate,
    )


bill_to_canonical = bill_to_vendor_bill


def _bill_tax_out(line: VendorBillLine, config: MappingConfig, path: str) -> qbo.Ref | None:
    if line.tax_code is None and line.taxable is None:
        return None  # purchases may omit tax codes; QBO applies the item/account default
    return _line_tax_out(line, None, config, path)


@total("Bill")
def bill_from_canonical(bill: VendorBill, config: MappingConfig | None = None) -> qbo.Bill:
    """Build a QBO bill (``POST /v3/company/{realm}/bill``) from a canonical :class:`VendorBill`.

    Item lines resolve the QBO item like invoice lines; account lines take the account from
    ``expense_accounts[line.account]`` (or a raw QBO id), the product class's expense account, or
    ``default_expense_account``.

    Args:
        bill: The canonical record.
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = _cfg(config)
    own_id, token = _own(bill, "Bill")
    if not bill.lines:
        fail("Bill.Line", "a QuickBooks bill needs at least one line")
    lines = []
    for i, line in enumerate(bill.lines):
        path = f"Bill.lines[{i}]"
        customer = _ref_out(line.customer, "Customer", f"{path}.customer")
        status = "Billable" if line.billable else "NotBillable"
        is_item = (line.product is not None and line.product.id_for(SYSTEM, "Item") is not None) or (
            line.sku is not None and line.sku in cfg.catalog_items
        )
        if is_item:
            item_line = InvoiceLine(amount=line.amount, product=line.product, sku=line.sku)
            qty = line.quantity
            cost = line.unit_cost.amount if line.unit_cost is not None else None
            lines.append(
                qbo.Line(
                    detail_type="ItemBasedExpenseLineDetail",
                    amount=line_amount(qty, cost)
                    if qty is not None and cost is not None
                    else quantize_amount(line.amount.amount),
                    description=line.description,
                    item_based_expense_line_detail=qbo.ItemBasedExpenseLineDetail(
                        item_ref=_item_ref(item_line, cfg, f"{path}.item"),
                        qty=qty,
                        unit_price=cost,
                        customer_ref=customer,
                        billable_status=status,
                        tax_code_ref=_bill_tax_out(line, cfg, f"{path}.tax_code"),
                    ),
                )
            )
            continue
        account = None
        if line.account:
            account = cfg.expense_accounts.find(line.account) or (
                line.account if line.account.isdigit() else None
            )
        if account is None:
            pc = cfg.product_class(line.product_class)
            account = (
                pc.expense_account if pc is not None and pc.expense_account else cfg.default_expense_account
            )
        if account is None:
            fail(
                f"{path}.account",
                "no QBO expense account for this line",
                value=line.account or line.product_class,
            )
        lines.append(
            qbo.Line(
                detail_type="AccountBasedExpenseLineDetail",
                amount=quantize_amount(line.amount.amount),
                description=line.description,
                account_based_expense_line_detail=qbo.AccountBasedExpenseLineDetail(
                    account_ref=qbo.Ref(value=account),
                    customer_ref=customer,
                    billable_status=status,
                    tax_code_ref=_bill_tax_out(line, cfg, f"{path}.tax_code"),
                ),
            )
        )
    linked = None
    if bill.purchase_order is not None and bill.purchase_order.id_for(SYSTEM, "PurchaseOrder") is not None:
        linked = (
            qbo.LinkedTxn(
                txn_id=bill.purchase_order.id_for(SYSTEM, "PurchaseOrder"), txn_type="PurchaseOrder"
            ),
        )
    if bill.number is not None and len(bill.number) > 21:
        fail("Bill.DocNumber", "QuickBooks document numbers are at most 21 characters", value=bill.number)
    return qbo.Bill(
        id=own_id,
        sync_token=token,
        vendor_ref=_ref_out(bill.vendor, "Vendor", "Bill.VendorRef", required=True),
        doc_number=bill.number,
        txn_date=bill.bill_date,
        due_date=bill.due_date,
        private_note=bill.memo,
        currency_ref=qbo.Ref(value=bill.currency),
        exchange_rate=bill.exchange_rate,
        line=tuple(lines),
        sales_term_ref=_terms_out(bill.terms, cfg, "Bill.SalesTermRef"),
        linked_txn=linked,
    )


# ------------------------------------------------------------------------------ recurring transactions

UNMAPPED_RECURRING_FIELDS: Final = frozenset(
    {
        "recurring_info.recur_type",
        "schedule_info.day_of_week",
        "schedule_info.week_of_month",
        "schedule_info.month_of_year",
    }
)
"""Recurring-template parts not carried (reminder/unscheduled types, weekday/month anchors)."""


@total("Agreement")
def recurring_transaction_to_agreement(
    transaction: qbo.RecurringTransaction | Mapping[str, Any], config: MappingConfig | None = None
) -> Agreement:
    """Map a QBO recurring invoice template (``GET /v3/company/{realm}/recurringtransaction/{id}``) to an agreement.

    Every sales line becomes an addition (quantity x unit price per cycle); the schedule gives the
    billing cycle, start/end and next invoice date.

    Args:
        transaction: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: Not an invoice template, or an interval msplink cannot express.
    """
    cfg = _cfg(config)
    rt = parse_model(qbo.RecurringTransaction, transaction, "Agreement")
    inv = rt.invoice
    if inv is None:
        fail("Agreement", "only recurring Invoice templates map to agreements")
    currency = _currency(inv.currency_ref, cfg, "Agreement.currency")
    info = inv.recurring_info or qbo.RecurringInfo()
    schedule = info.schedule_info or qbo.ScheduleInfo()
    key = (schedule.interval_type or "", schedule.num_interval or 1)
    cycle = _CYCLES.get(key)
    if cycle is None:
        fail("Agreement.billing_cycle", "unsupported recurring interval", value=f"{key[0]} x {key[1]}")
    lines, _ = _sales_lines_in(inv.line, currency, cfg, "Agreement")
    additions = []
    for i, line in enumerate(lines):
        if line.kind is not LineKind.ITEM:
            continue
        price = line.unit_price if line.unit_price is not None else line.amount
        additions.append(
            AgreementAddition(
                unit_price=price,
                quantity=line.quantity if line.quantity is not None else Decimal(1),
                product=line.product,
                sku=line.sku,
                description=line.description,
                taxable=line.taxable,
                refs=ref(SYSTEM, "Line", (inv.line or ())[i].id if i < len(inv.line or ()) else None),
            )
        )
    return Agreement(
        refs=ref(SYSTEM, "RecurringTransaction", inv.id, inv.sync_token),
        updated_at=_updated(inv, "Agreement.updated_at"),
        name=require(info.name, "Agreement.name"),
        customer=require(_link(inv.customer_ref, "Customer"), "Agreement.customer"),
        currency=currency,
        billing_cycle=cycle,
        status=AgreementStatus.ACTIVE if info.active is not False else AgreementStatus.INACTIVE,
        start_date=schedule.start_date,
        end_date=schedule.end_date,
        no_end_date=schedule.end_date is None,
        next_invoice_date=schedule.next_date,
        additions=additions,
        terms=_terms_in(inv.sales_term_ref, cfg, "Agreement.terms"),
        description=inv.private_note,
    )


recurring_transaction_to_canonical = recurring_transaction_to_agreement


def _day(value: date | None) -> int | None:
    return value.day if value is not None else None


@total("RecurringTransaction")
def recurring_transaction_from_agreement(
    agreement: Agreement,
    config: MappingConfig | None = None,
    *,
    as_of: date | None = None,
    days_before: int | None = None,
) -> qbo.RecurringTransaction:
    """Build a QBO recurring invoice (``POST /v3/company/{realm}/recurringtransaction``) from an agreement.

    Lines: the fixed ``bill_amount`` (product class ``Agreement``) plus every addition active on
    ``as_of``; schedule from the billing cycle, starting at ``next_invoice_date`` (else
    ``bill_start_date``/``start_date``) and ending at ``end_date``.

    Args:
        agreement: The canonical record.
        config: Lookup tables (default: an empty ``MappingConfig``).
        as_of: Day on which additions must be active (None: ignore dates).
        days_before: QBO ``DaysBefore``: create each invoice this many days early.

    Raises:
        MappingError: One-time agreements, or lines that cannot be mapped.
    """
    cfg = _cfg(config)
    if agreement.billing_cycle is BillingCycle.ONE_TIME:
        fail(
            "Agreement.billing_cycle", "one-time agreements have no recurring schedule", value="NotRecurring"
        )
    interval, every = INTERVALS[agreement.billing_cycle]
    lines: list[InvoiceLine] = []
    if agreement.bill_amount is not None and not agreement.bill_amount.is_zero():
        lines.append(
            InvoiceLine(
                amount=agreement.bill_amount,
                quantity=Decimal(1),
                unit_price=agreement.bill_amount,
                description=agreement.description or agreement.name,
                product_class="Agreement",
                taxable=agreement.taxable,
            )
        )
    for addition in agreement.additions:
        if addition.is_active(as_of):
            lines.append(
                InvoiceLine(
                    amount=addition.amount_per_cycle(),
                    quantity=addition.billed_quantity,
                    unit_price=addition.unit_price,
                    description=addition.description,
                    product=addition.product,
                    sku=addition.sku,
                    taxable=addition.taxable if addition.taxable is not None else agreement.taxable,
                )
            )
    if not lines:
        fail("Agreement.additions", "nothing to bill: no bill amount and no active additions")
    lines = [attrs.evolve(line, line_number=i + 1) for i, line in enumerate(lines)]
    start = agreement.next_invoice_date or agreement.bill_start_date or agreement.start_date
    stub = Invoice(customer=agreement.customer, currency=agreement.currency, tax_code=agreement.tax_code)
    qbo_lines = _sales_lines_out(stub, lines, cfg, "Agreement")
    name = agreement.name[:100]
    schedule = qbo.ScheduleInfo(
        interval_type=interval,
        num_interval=every,
        day_of_month=_day(start) if interval != "Weekly" else None,
        start_date=start,
        end_date=None if agreement.no_end_date else agreement.end_date,
        days_before=days_before,
    )
    invoice = qbo.Invoice(
        id=agreement.id_for(SYSTEM, "RecurringTransaction"),
        customer_ref=_ref_out(agreement.customer, "Customer", "Agreement.CustomerRef", required=True),
        currency_ref=qbo.Ref(value=agreement.currency),
        line=tuple(qbo_lines),
        sales_term_ref=_terms_out(agreement.terms, cfg, "Agreement.SalesTermRef"),
        txn_tax_detail=_txn_tax_out(agreement.tax_code, cfg, "Agreement.TxnTaxDetail"),
        private_note=agreement.description,
        recurring_info=qbo.RecurringInfo(
            name=name, recur_type="Automated", active=agreement.is_active(), schedule_info=schedule
        ),
    )
    return qbo.RecurringTransaction(invoice=invoice)


recurring_transaction_from_canonical = recurring_transaction_from_agreement


# ------------------------------------------------------------------------------------ journal entries


@total("JournalEntry")
def journal_entry_from_time_entries(
    entries: Sequence[TimeEntry],
    config: MappingConfig | None = None,
    *,
    txn_date: date,
    doc_number: str | None = None,
    currency: str | None = None,
) -> qbo.JournalEntry:
    """Build a labour-cost journal entry (``POST /v3/company/{realm}/journalentry``) from time entries.

    One debit line per customer on ``labour_expense_account`` (hours x cost rate, rounded
    ROUND_HALF_UP per entry) and one balancing credit on ``labour_liability_account``.

    Args:
        entries: The time entries.
        config: Lookup tables (default: an empty ``MappingConfig``).
        txn_date: Journal entry date.
        doc_number: Journal entry number.
        currency: Currency of the amounts (default: ``config.default_currency``).

    Raises:
        MappingError: Accounts not configured, an entry without a cost rate, or mixed currencies.
    """
    cfg = _cfg(config)
    expense = require(cfg.labour_expense_account, "JournalEntry.labour_expense_account", "not configured")
    liability = require(
        cfg.labour_liability_account, "JournalEntry.labour_liability_account", "not configured"
    )
    cur = currency or cfg.default_currency
    per_customer: dict[str | None, Decimal] = {}
    names: dict[str | None, str | None] = {}
    for i, entry in enumerate(entries):
        path = f"JournalEntry.entries[{i}]"
        cost = entry.cost_amount()
        if cost is None:
            fail(f"{path}.cost_rate", "labour cost needs a cost rate")
        if cost.currency != cur:
            fail(f"{path}.cost_rate", f"expected {cur}", value=cost.currency)
        customer_id = entry.customer.id_for(SYSTEM, "Customer") if entry.customer is not None else None
        per_customer[customer_id] = per_customer.get(customer_id, Decimal(0)) + cost.amount
        names[customer_id] = entry.customer.display if entry.customer is not None else None
    total_cost = sum(per_customer.values(), Decimal(0))
    if total_cost == 0:
        fail("JournalEntry.entries", "no labour cost to post")
    lines = []
    for customer_id, amount in sorted(per_customer.items(), key=lambda kv: kv[0] or ""):
        entity = None
        if customer_id is not None:
            entity = qbo.JournalEntryEntity(
                type="Customer", entity_ref=qbo.Ref(value=customer_id, name=names[customer_id])
            )
        lines.append(
            qbo.Line(
                detail_type="JournalEntryLineDetail",
                amount=quantize_amount(amount),
                description="Labour cost",
                journal_entry_line_detail=qbo.JournalEntryLineDetail(
                    posting_type="Debit", account_ref=qbo.Ref(value=expense), entity=entity
                ),
            )
        )
    lines.append(
        qbo.Line(
            detail_type="JournalEntryLineDetail",
            amount=sum((line.amount or Decimal(0) for line in lines), Decimal(0)),
            description="Labour cost",
            journal_entry_line_detail=qbo.JournalEntryLineDetail(
                posting_type="Credit", account_ref=qbo.Ref(value=liability)
            ),
        )
    )
    return qbo.JournalEntry(
        txn_date=txn_date, doc_number=doc_number, currency_ref=qbo.Ref(value=cur), line=tuple(lines)
    )
