from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from msplink.models import (
    CONNECTWISE,
    BillableStatus,
    Contact,
    CurrencyMismatchError,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    LineKind,
    Link,
    Money,
    Payment,
    PaymentAllocation,
    PurchaseOrder,
    PurchaseOrderLine,
    TimeEntry,
    VendorBill,
    VendorBillLine,
)

ACME = Link.to(CONNECTWISE, "company", 1, display="Acme")


def usd(x: str) -> Money:
    return Money(x, "USD")


def invoice(**kw: Any) -> Invoice:
    lines = (
        InvoiceLine(amount=usd("1237.50"), quantity=Decimal("16.5"), unit_price=usd("75")),
        InvoiceLine(amount=usd("-50"), kind=LineKind.DISCOUNT),
    )
    base: dict[str, Any] = {"customer": ACME, "currency": "USD", "lines": lines, "tax_total": usd("95.20")}
    base.update(kw)
    return Invoice(**base)


def test_invoice_totals():
    inv = invoice(total=usd("1282.70"), balance=usd("282.70"), due_date=date(2026, 3, 1))
    assert inv.lines_total() == usd("1187.50")
    assert inv.computed_total() == usd("1282.70")
    assert inv.amount_paid == usd("1000.00")
    assert not inv.is_paid()
    assert inv.is_overdue(date(2026, 3, 2))
    assert not inv.is_overdue(date(2026, 3, 1))
    assert invoice(balance=usd("0")).is_paid()
    assert invoice(status=InvoiceStatus.PAID).is_paid()
    assert not invoice(status=InvoiceStatus.VOID, balance=usd("0")).is_paid()
    assert invoice().amount_paid is None


def test_invoice_refuses_other_currency_amounts():
    with pytest.raises(CurrencyMismatchError, match=r"Invoice.lines\[0\].amount"):
        Invoice(customer=ACME, currency="EUR", lines=[InvoiceLine(amount=usd("1"))])
    with pytest.raises(CurrencyMismatchError, match=r"Invoice\.total"):
        Invoice(customer=ACME, currency="EUR", total=usd("1"))
    with pytest.raises(CurrencyMismatchError, match="unit_price"):
        InvoiceLine(amount=usd("1"), unit_price=Money(1, "EUR"))


def test_payment_allocation_across_invoices_and_credit():
    inv = [Link.to("quickbooks", "Invoice", n) for n in ("130", "131")]
    credit = Link.to("quickbooks", "CreditMemo", "140")
    p = Payment(
        customer=ACME,
        total=usd("1500.00"),
        allocations=[
            PaymentAllocation(target=inv[0], amount=usd("1187.50")),
            PaymentAllocation(target=inv[1], amount=usd("300.00")),
            PaymentAllocation(target=credit, amount=usd("50.00"), target_type="CreditMemo"),
        ],
    )
    assert p.applied == usd("1437.50")
    assert p.unapplied == usd("62.50")
    assert p.currency == "USD"
    with pytest.raises(CurrencyMismatchError):
        Payment(
            customer=ACME,
            total=usd("1"),
            allocations=[PaymentAllocation(target=credit, amount=Money(1, "EUR"))],
        )


def test_time_entry_amounts():
    t = TimeEntry(hours="1.5", hourly_rate=usd("150"), cost_rate=usd("45.333"))
    assert t.billable_amount() == usd("225.00")
    assert t.cost_amount() == usd("68.00")
    assert TimeEntry(hours=2, billable_hours="1.25", hourly_rate=usd("99.99")).billable_amount() == usd(
        "124.99"
    )
    assert (
        TimeEntry(hours=1, billable=BillableStatus.NO_CHARGE, hourly_rate=usd("1")).billable_amount() is None
    )
    with pytest.raises(TypeError):
        TimeEntry(hours=1.5)


def test_contact_full_name():
    assert Contact(first_name="Ann", last_name="Lee").full_name == "Ann Lee"
    assert Contact(last_name="Lee").full_name == "Lee"


def test_purchase_order_and_bill_totals():
    po = PurchaseOrder(
        vendor=ACME,
        currency="USD",
        lines=[PurchaseOrderLine(amount=usd("120")), PurchaseOrderLine(amount=usd("30.5"))],
    )
    assert po.lines_total() == usd("150.5")
    bill = VendorBill(vendor=ACME, currency="USD", lines=[VendorBillLine(amount=usd("299"))])
    assert bill.lines_total() == usd("299")
    with pytest.raises(CurrencyMismatchError):
        VendorBill(vendor=ACME, currency="EUR", total=usd("1"))
