"""Canonical billing records: invoices, invoice lines, payments and their allocations."""

from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal

import attrs

from msplink.models._common import Address, Link, Record
from msplink.models._convert import as_tuple, check_same_currency, opt_decimal
from msplink.models._money import Money

__all__ = [
    "Invoice",
    "InvoiceLine",
    "InvoiceStatus",
    "LineKind",
    "Payment",
    "PaymentAllocation",
]


class LineKind(str, enum.Enum):
    """The role of an invoice line."""

    ITEM = "Item"
    DESCRIPTION = "Description"
    DISCOUNT = "Discount"
    ADJUSTMENT = "Adjustment"


class InvoiceStatus(str, enum.Enum):
    """Lifecycle state of an invoice, normalised across systems."""

    DRAFT = "Draft"
    OPEN = "Open"
    PARTIALLY_PAID = "PartiallyPaid"
    PAID = "Paid"
    VOID = "Void"


@attrs.frozen(kw_only=True)
class InvoiceLine:
    """One line of an invoice.

    Discount lines carry a negative ``amount``. For item lines ``amount`` should equal
    ``quantity x unit_price`` rounded ROUND_HALF_UP to 2 places (QuickBooks rule 6070);
    :func:`msplink.mappers.line_amount` computes it.

    Attributes:
        amount: The line total.
        description: Line text.
        quantity: Quantity (Decimal).
        unit_price: Price per unit.
        kind: Item, description-only, discount or adjustment.
        product: The product sold.
        sku: The product's SKU / CW catalog identifier (drives item mapping).
        product_class: The CW product class (fallback item/account mapping).
        tax_code: Tax code, ConnectWise vocabulary.
        taxable: Whether the line is taxable, when known.
        service_date: Date the service was delivered.
        line_number: Position on the source document.
    """

    amount: Money
    description: str | None = None
    quantity: Decimal | None = attrs.field(default=None, converter=opt_decimal)
    unit_price: Money | None = None
    kind: LineKind = LineKind.ITEM
    product: Link | None = None
    sku: str | None = None
    product_class: str | None = None
    tax_code: str | None = None
    taxable: bool | None = None
    service_date: date | None = None
    line_number: int | None = None

    def __attrs_post_init__(self) -> None:
        check_same_currency("InvoiceLine", self.amount.currency, [("unit_price", self.unit_price)])


@attrs.frozen(kw_only=True)
class Invoice(Record):
    """A sales invoice or credit memo (CW invoice, QBO Invoice, SF custom invoice object).

    Every amount must be in ``currency`` (``CurrencyMismatchError`` otherwise).

    Attributes:
        customer: Who is billed.
        currency: The invoice currency.
        number: Invoice number (CW ``invoiceNumber``, QBO ``DocNumber``).
        invoice_type: CW invoice type (Standard, Agreement, CreditMemo, DownPayment, Progress ...).
        status: Normalised lifecycle state.
        issue_date: Invoice date.
        due_date: Due date.
        lines: The lines, in order.
        subtotal: Total before tax as the source reports it.
        tax_total: Sales tax.
        total: Grand total as the source reports it.
        balance: Amount still open.
        terms: Payment terms, ConnectWise vocabulary.
        tax_code: Document-level tax code, ConnectWise vocabulary.
        po_number: Customer purchase-order number.
        memo: Private/internal note.
        customer_memo: Message shown to the customer.
        email: Where the invoice is e-mailed.
        agreement: The agreement billed, for agreement invoices.
        billing_address: Bill-to address.
        exchange_rate: Home-currency units per invoice-currency unit, when multi-currency.
        tax_inclusive: Line amounts include tax (non-US); None when the source does not say.
    """

    customer: Link
    currency: str
    number: str | None = None
    invoice_type: str | None = None
    status: InvoiceStatus | None = None
    issue_date: date | None = None
    due_date: date | None = None
    lines: tuple[InvoiceLine, ...] = attrs.field(default=(), converter=as_tuple)
    subtotal: Money | None = None
    tax_total: Money | None = None
    total: Money | None = None
    balance: Money | None = None
    terms: str | None = None
    tax_code: str | None = None
    po_number: str | None = None
    memo: str | None = None
    customer_memo: str | None = None
    email: str | None = None
    agreement: Link | None = None
    billing_address: Address | None = None
    exchange_rate: Decimal | None = attrs.field(default=None, converter=opt_decimal)
    tax_inclusive: bool | None = None

    def __attrs_post_init__(self) -> None:
        monies = [("subtotal", self.subtotal), ("tax_total", self.tax_total), ("total", self.total)]
        monies.append(("balance", self.balance))
        monies.extend((f"lines[{i}].amount", line.amount) for i, line in enumerate(self.lines))
        check_same_currency("Invoice", self.currency, monies)

    def lines_total(self) -> Money:
        """Sum of every line's amount (discounts are negative), unrounded."""
        return Money.sum((line.amount for line in self.lines), self.currency)

    def computed_total(self) -> Money:
        """Lines total plus ``tax_total`` (zero when unknown)."""
        tax = self.tax_total if self.tax_total is not None else Money.zero(self.currency)
        return self.lines_total() + tax

    @property
    def amount_paid(self) -> Money | None:
        """``total - balance`` when both are known."""
        if self.total is None or self.balance is None:
            return None
        return self.total - self.balance

    def is_paid(self) -> bool:
        """Whether nothing is left to pay (status PAID, or a zero balance on a non-void invoice)."""
        if self.status is InvoiceStatus.PAID:
            return True
        return self.status is not InvoiceStatus.VOID and self.balance is not None and self.balance.is_zero()

    def is_overdue(self, as_of: date) -> bool:
        """Whether the due date has passed on ``as_of`` and a positive balance remains."""
        if self.due_date is None or self.balance is None or self.status is InvoiceStatus.VOID:
            return False
        return self.due_date < as_of and self.balance.amount > 0


@attrs.frozen(kw_only=True)
class PaymentAllocation:
    """The part of a payment applied to one invoice (or credit memo).

    Attributes:
        target: The invoice or credit memo the amount is applied to.
        amount: The amount applied (positive).
        target_type: ``Invoice`` or ``CreditMemo`` (any source type name is kept as is).
    """

    target: Link
    amount: Money
    target_type: str = "Invoice"


@attrs.frozen(kw_only=True)
class Payment(Record):
    """A customer payment, possibly split across several invoices (QBO Payment, CW invoice payment).

    Attributes:
        customer: Who paid.
        total: Cash received.
        payment_date: When it was received.
        method: Payment method label (Check, Card ...).
        reference: Cheque or reference number.
        memo: Private note.
        allocations: How the payment is applied.
        exchange_rate: Home-currency units per payment-currency unit, when multi-currency.
    """

    customer: Link
    total: Money
    payment_date: date | None = None
    method: str | None = None
    reference: str | None = None
    memo: str | None = None
    allocations: tuple[PaymentAllocation, ...] = attrs.field(default=(), converter=as_tuple)
    exchange_rate: Decimal | None = attrs.field(default=None, converter=opt_decimal)

    def __attrs_post_init__(self) -> None:
        check_same_currency(
            "Payment",
            self.total.currency,
            [(f"allocations[{i}].amount", a.amount) for i, a in enumerate(self.allocations)],
        )

    @property
    def currency(self) -> str:
        """The payment currency."""
        return self.total.currency

    @property
    def applied(self) -> Money:
        """Amount applied to invoices net of credit memos used (``Σ invoices - Σ credit memos``)."""
        applied = Money.zero(self.currency)
        for allocation in self.allocations:
            if allocation.target_type == "CreditMemo":
                applied = applied - allocation.amount
            else:
                applied = applied + allocation.amount
        return applied

    @property
    def unapplied(self) -> Money:
        """Cash left as customer credit: ``total - applied`` (QBO ``UnappliedAmt``)."""
        return self.total - self.applied
