"""Canonical procurement records: purchase orders and vendor bills."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs

from msplink.models._common import Link, Record
from msplink.models._convert import as_tuple, check_same_currency, opt_decimal
from msplink.models._money import Money

__all__ = [
    "PurchaseOrder",
    "PurchaseOrderLine",
    "VendorBill",
    "VendorBillLine",
]


@attrs.frozen(kw_only=True)
class PurchaseOrderLine:
    """One line of a purchase order.

    Attributes:
        amount: Line total (quantity x unit cost).
        description: Line text.
        quantity: Quantity ordered.
        unit_cost: Cost per unit.
        product: The product bought.
        sku: CW catalog identifier / vendor SKU.
        received_quantity: Quantity received so far.
        line_number: Position on the order.
        customer: The client the item is bought for (billable pass-through).
    """

    amount: Money
    description: str | None = None
    quantity: Decimal | None = attrs.field(default=None, converter=opt_decimal)
    unit_cost: Money | None = None
    product: Link | None = None
    sku: str | None = None
    received_quantity: Decimal | None = attrs.field(default=None, converter=opt_decimal)
    line_number: int | None = None
    customer: Link | None = None


@attrs.frozen(kw_only=True)
class PurchaseOrder(Record):
    """A purchase order to a vendor (CW purchase order, QBO PurchaseOrder).

    Attributes:
        vendor: The supplier.
        currency: Currency of every amount.
        number: PO number.
        order_date: Order date.
        status: Status label.
        closed: Closed flag.
        customer: The client it was bought for, when a drop-ship / billable PO.
        lines: The lines.
        subtotal: Total before tax and freight.
        tax_total: Sales tax.
        freight: Freight cost.
        total: Grand total.
        terms: Payment terms, ConnectWise vocabulary.
        vendor_invoice_number: The vendor's invoice number once billed.
        vendor_invoice_date: The vendor's invoice date.
        memo: Internal notes.
    """

    vendor: Link
    currency: str
    number: str | None = None
    order_date: date | None = None
    status: str | None = None
    closed: bool = False
    customer: Link | None = None
    lines: tuple[PurchaseOrderLine, ...] = attrs.field(default=(), converter=as_tuple)
    subtotal: Money | None = None
    tax_total: Money | None = None
    freight: Money | None = None
    total: Money | None = None
    terms: str | None = None
    vendor_invoice_number: str | None = None
    vendor_invoice_date: date | None = None
    memo: str | None = None

    def __attrs_post_init__(self) -> None:
        monies = [("subtotal", self.subtotal), ("tax_total", self.tax_total), ("freight", self.freight)]
        monies.append(("total", self.total))
        monies.extend((f"lines[{i}].amount", line.amount) for i, line in enumerate(self.lines))
        check_same_currency("PurchaseOrder", self.currency, monies)

    def lines_total(self) -> Money:
        """Sum of the line amounts."""
        return Money.sum((line.amount for line in self.lines), self.currency)


@attrs.frozen(kw_only=True)
class VendorBillLine:
    """One line of a vendor bill: an item line (``product`` set) or an account line (``account``).

    Attributes:
        amount: Line total.
        description: Line text.
        quantity: Quantity (item lines).
        unit_cost: Cost per unit (item lines).
        product: The product bought (item lines).
        sku: CW catalog identifier.
        product_class: CW product class (expense-account mapping).
        account: Expense account key (used with ``MappingConfig``) for account lines.
        customer: Client the cost is for.
        billable: Whether the cost is billable to that client.
        tax_code: Tax code, ConnectWise vocabulary.
        taxable: Whether the line is taxable, when known.
    """

    amount: Money
    description: str | None = None
    quantity: Decimal | None = attrs.field(default=None, converter=opt_decimal)
    unit_cost: Money | None = None
    product: Link | None = None
    sku: str | None = None
    product_class: str | None = None
    account: str | None = None
    customer: Link | None = None
    billable: bool = False
    tax_code: str | None = None
    taxable: bool | None = None


@attrs.frozen(kw_only=True)
class VendorBill(Record):
    """A bill from a supplier (QBO Bill; built from a received CW purchase order).

    Attributes:
        vendor: The supplier.
        currency: Currency of every amount.
        number: The vendor's bill / invoice number.
        bill_date: Bill date.
        due_date: Due date.
        lines: The lines.
        total: Total.
        balance: Amount still to pay.
        terms: Payment terms, ConnectWise vocabulary.
        purchase_order: The purchase order billed.
        memo: Private note.
        exchange_rate: Home-currency units per bill-currency unit, when multi-currency.
    """

    vendor: Link
    currency: str
    number: str | None = None
    bill_date: date | None = None
    due_date: date | None = None
    lines: tuple[VendorBillLine, ...] = attrs.field(default=(), converter=as_tuple)
    total: Money | None = None
    balance: Money | None = None
    terms: str | None = None
    purchase_order: Link | None = None
    memo: str | None = None
    exchange_rate: Decimal | None = attrs.field(default=None, converter=opt_decimal)

    def __attrs_post_init__(self) -> None:
        monies = [("total", self.total), ("balance", self.balance)]
        monies.extend((f"lines[{i}].amount", line.amount) for i, line in enumerate(self.lines))
        check_same_currency("VendorBill", self.currency, monies)

    def lines_total(self) -> Money:
        """Sum of the line amounts."""
        return Money.sum((line.amount for line in self.lines), self.currency)
