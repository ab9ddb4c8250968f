"""ConnectWise invoices and invoice payments <-> canonical invoices and payments."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, Final

from msplink.connectwise import models as cw
from msplink.mappers._common import parse_model, ref, unmapped_fields
from msplink.mappers._config import MappingConfig
from msplink.mappers._util import money, opt_decimal, opt_money, require, total
from msplink.mappers.connectwise._shared import (
    SYSTEM,
    address_of,
    config_or_empty,
    currency_in,
    currency_out,
    custom_fields_in,
    custom_fields_out,
    date_in,
    datetime_out,
    id_out,
    link_in,
    named_reference,
    own_id,
    reference_name_in,
    reference_out,
    updated_in,
    version_in,
)
from msplink.models import (
    QUICKBOOKS,
    Address,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    LineKind,
    Link,
    Money,
    Payment,
    PaymentAllocation,
)

__all__ = [
    "UNMAPPED_INVOICE_FIELDS",
    "UNMAPPED_PAYMENT_FIELDS",
    "invoice_from_canonical",
    "invoice_payment_to_payment",
    "invoice_payments_from_canonical",
    "invoice_summary_lines",
    "invoice_to_invoice",
    "product_item_to_invoice_line",
    "time_entry_to_invoice_line",
]


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
def invoice_to_invoice(
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
    cfg = config_or_empty(config)
    inv = parse_model(cw.Invoice, invoice, "Invoice")
    currency = currency_in(inv.currency, cfg, "Invoice.currency")
    detail = tuple(lines) if lines is not None else invoice_summary_lines(inv, currency)
    agreement = None
    if inv.agreement is not None and inv.agreement.id is not None:
        agreement = Link.to(SYSTEM, "agreement", inv.agreement.id, display=inv.agreement.name)
    return Invoice(
        refs=ref(SYSTEM, "invoice", inv.id, version_in(inv)),
        updated_at=updated_in(inv, "Invoice.updated_at"),
        custom_fields=custom_fields_in(inv.custom_fields, "Invoice", cfg),
        customer=require(link_in(inv.company, "company"), "Invoice.customer"),
        currency=currency,
        number=inv.invoice_number,
        invoice_type=inv.type,
        status=_invoice_status(inv.total, inv.balance),
        issue_date=date_in(inv.date),
        due_date=date_in(inv.due_date),
        lines=detail,
        subtotal=opt_money(inv.subtotal, currency, "Invoice.subtotal"),
        tax_total=opt_money(inv.sales_tax, currency, "Invoice.tax_total"),
        total=opt_money(inv.total, currency, "Invoice.total"),
        balance=opt_money(inv.balance, currency, "Invoice.balance"),
        terms=reference_name_in(inv.billing_terms, "billing_terms", cfg),
        tax_code=reference_name_in(inv.tax_code, "tax_codes", cfg),
        po_number=inv.customer_po,
        memo=inv.internal_notes,
        customer_memo=inv.top_comment,
        agreement=agreement,
        billing_address=address_of(
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
    cfg = config_or_empty(config)
    address = invoice.billing_address or Address()
    agreement = None
    if invoice.agreement is not None:
        agreement = cw.AgreementReference(
            id=id_out(invoice.agreement, "agreement", "Invoice.agreement"), name=invoice.agreement.display
        )

    def amount(value: Money | None) -> Decimal | None:
        return value.amount if value is not None else None

    return cw.Invoice(
        id=own_id(invoice, "invoice"),
        invoice_number=invoice.number,
        type=invoice.invoice_type or "Standard",
        company=reference_out(invoice.customer, "company", "Invoice.company", required=True),
        date=datetime_out(invoice.issue_date),
        due_date=datetime_out(invoice.due_date),
        currency=currency_out(invoice.currency, cfg),
        subtotal=amount(invoice.subtotal),
        sales_tax=amount(invoice.tax_total),
        total=amount(invoice.total),
        balance=amount(invoice.balance),
        billing_terms=named_reference("billing_terms", invoice.terms, cfg),
        tax_code=named_reference("tax_codes", invoice.tax_code, cfg),
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
        custom_fields=custom_fields_out(invoice.custom_fields, "Invoice", cfg),
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
    cfg = config_or_empty(config)
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
        product=link_in(p.catalog_item, "catalog_item"),
        sku=p.catalog_item.identifier if p.catalog_item is not None else None,
        product_class=p.product_class,
        tax_code=reference_name_in(p.tax_code, "tax_codes", cfg),
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
    cfg = config_or_empty(config)
    t = parse_model(cw.TimeEntry, entry, "InvoiceLine")
    cur = currency or cfg.default_currency
    hours = require(_hours_billed(t), "InvoiceLine.quantity")
    rate = money(t.hourly_rate if t.hourly_rate is not None else 0, cur, "InvoiceLine.unit_price")
    amount = t.extended_invoice_amount if t.extended_invoice_amount is not None else rate.amount * hours
    work_type = reference_name_in(t.work_type, "work_types", cfg)
    item_id = cfg.work_types.find(work_type) if work_type else None
    return InvoiceLine(
        amount=money(amount, cur, "InvoiceLine.amount"),
        description=t.notes or work_type,
        quantity=hours,
        unit_price=rate,
        product=Link.to(QUICKBOOKS, "Item", item_id, display=work_type) if item_id else None,
        product_class="Service",
        service_date=date_in(t.time_start),
        taxable=False,
    )


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
    cfg = config_or_empty(config)
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
        refs=ref(SYSTEM, "payment", p.id, version_in(p)),
        updated_at=updated_in(p, "Payment.updated_at"),
        customer=customer or Link(),
        total=amount,
        payment_date=date_in(p.payment_date),
        method=p.type,
        allocations=allocations,
    )


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
        invoice_id = id_out(allocation.target, "invoice", path, required=True)
        assert invoice_id is not None  # noqa: S101 - required=True guarantees it
        out.append(
            (
                invoice_id,
                cw.InvoicePayment(
                    id=own_id(payment, "payment"),
                    amount=allocation.amount.amount,
                    payment_date=datetime_out(payment.payment_date),
                    type=payment.method,
                    invoice=cw.InvoiceReference(id=invoice_id, identifier=allocation.target.display),
                ),
            )
        )
    return tuple(out)
