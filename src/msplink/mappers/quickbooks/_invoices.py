"""QuickBooks invoices <-> canonical invoices (line amounts, tax codes, penny adjustment)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Final

from msplink.mappers._common import parse_model, unmapped_fields
from msplink.mappers._config import MappingConfig
from msplink.mappers._util import fail, opt_money, require, total
from msplink.mappers.quickbooks._lines import (
    TAX_CALCULATION,
    sales_lines_in,
    sales_lines_out,
    txn_tax_out,
    with_penny_line,
)
from msplink.mappers.quickbooks._shared import (
    address_in,
    address_out,
    config_or_empty,
    currency_in,
    custom_fields_in,
    custom_fields_out,
    email_in,
    is_deletion_stub,
    link_in,
    own_ref,
    reference_out,
    refs_of,
    terms_in,
    terms_out,
    updated_in,
)
from msplink.models import (
    Invoice,
    InvoiceStatus,
    Link,
)
from msplink.quickbooks import models as qbo

__all__ = [
    "UNMAPPED_INVOICE_FIELDS",
    "invoice_from_canonical",
    "invoice_to_invoice",
]


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


@total("Invoice")
def invoice_to_invoice(
    invoice: qbo.Invoice | Mapping[str, Any], config: MappingConfig | None = None
) -> Invoice:
    """Map a QBO invoice (``GET /v3/company/{realm}/invoice/{id}``) to a canonical :class:`Invoice`.

    Args:
        invoice: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = config_or_empty(config)
    inv = parse_model(qbo.Invoice, invoice, "Invoice")
    if is_deletion_stub(inv):
        return Invoice(
            refs=refs_of(inv, "Invoice"), deleted=True, customer=Link(), currency=cfg.default_currency
        )
    currency = currency_in(inv.currency_ref, cfg, "Invoice.currency")
    lines, subtotal = sales_lines_in(inv.line, currency, cfg, "Invoice")
    tax = inv.txn_tax_detail
    doc_code = None
    if tax is not None and tax.txn_tax_code_ref is not None and tax.txn_tax_code_ref.value:
        doc_code = cfg.tax_codes.inverse(
            tax.txn_tax_code_ref.value, path="Invoice.tax_code", table="tax_codes"
        )
    memo = inv.customer_memo.get("value") if isinstance(inv.customer_memo, Mapping) else None
    return Invoice(
        refs=refs_of(inv, "Invoice"),
        updated_at=updated_in(inv, "Invoice.updated_at"),
        custom_fields=custom_fields_in(inv.custom_field, "Invoice", cfg),
        customer=require(link_in(inv.customer_ref, "Customer"), "Invoice.customer"),
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
        terms=terms_in(inv.sales_term_ref, cfg, "Invoice.terms"),
        tax_code=doc_code,
        memo=inv.private_note,
        customer_memo=memo if isinstance(memo, str) else None,
        email=email_in(inv.bill_email),
        billing_address=address_in(inv.bill_addr),
        exchange_rate=inv.exchange_rate,
        tax_inclusive=TAX_CALCULATION.get(inv.global_tax_calculation or ""),
    )


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
    cfg = config_or_empty(config)
    own_id, token = own_ref(invoice, "Invoice")
    if not invoice.lines:
        fail("Invoice.Line", "a QuickBooks invoice needs at least one line")
    if invoice.number is not None and len(invoice.number) > 21:
        fail(
            "Invoice.DocNumber", "QuickBooks document numbers are at most 21 characters", value=invoice.number
        )
    lines = sales_lines_out(invoice, invoice.lines, cfg, "Invoice")
    expected = invoice.subtotal if invoice.subtotal is not None else invoice.lines_total()
    lines = with_penny_line(lines, expected, cfg, "Invoice.subtotal")
    return qbo.Invoice(
        id=own_id,
        sync_token=token,
        customer_ref=reference_out(invoice.customer, "Customer", "Invoice.CustomerRef", required=True),
        doc_number=invoice.number,
        txn_date=invoice.issue_date,
        due_date=invoice.due_date,
        private_note=invoice.memo,
        currency_ref=qbo.Ref(value=invoice.currency),
        exchange_rate=invoice.exchange_rate,
        line=tuple(lines),
        txn_tax_detail=txn_tax_out(invoice.tax_code, cfg, "Invoice.TxnTaxDetail"),
        custom_field=custom_fields_out(invoice.custom_fields, "Invoice", cfg),
        customer_memo={"value": invoice.customer_memo} if invoice.customer_memo else None,
        bill_email=qbo.EmailAddress(address=invoice.email) if invoice.email else None,
        bill_addr=address_out(invoice.billing_address),
        sales_term_ref=terms_out(invoice.terms, cfg, "Invoice.SalesTermRef"),
        global_tax_calculation=_global_tax(invoice.tax_inclusive, cfg),
    )


def _global_tax(tax_inclusive: bool | None, config: MappingConfig) -> str | None:
    if config.tax_mode != "global":
        return None  # US companies reject GlobalTaxCalculation
    return "TaxInclusive" if tax_inclusive else "TaxExcluded"
