"""Canonical -> canonical derivations the use cases need (renewals, overdue tasks, bills, allocation).

Pure functions over the canonical models; the vendor mappers then write the results out
(``salesforce.opportunity_from_canonical``, ``salesforce.task_from_canonical``,
``quickbooks.bill_from_canonical``, ``quickbooks.payment_from_canonical``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import ROUND_DOWN, Decimal
from typing import Final, Literal

from msplink.errors import MappingError
from msplink.mappers._config import MappingConfig
from msplink.mappers._util import fail, total
from msplink.models import (
    QUICKBOOKS,
    Agreement,
    BillableStatus,
    Invoice,
    InvoiceLine,
    Link,
    Money,
    Opportunity,
    OpportunityStatus,
    PaymentAllocation,
    PurchaseOrder,
    Task,
    Ticket,
    TimeEntry,
    VendorBill,
    VendorBillLine,
)

__all__ = [
    "ALLOCATION_STRATEGIES",
    "AllocationStrategy",
    "aggregate_time_entries",
    "allocate_payment",
    "onboarding_ticket",
    "overdue_invoice_task",
    "purchase_order_to_vendor_bill",
    "renewal_opportunity",
]

AllocationStrategy = Literal["oldest_first", "largest_first", "proportional"]
ALLOCATION_STRATEGIES: Final = ("oldest_first", "largest_first", "proportional")


@total("Opportunity")
def renewal_opportunity(
    agreement: Agreement,
    *,
    stage: str,
    as_of: date | None = None,
    opportunity_type: str = "Renewal",
) -> Opportunity:
    """A renewal opportunity for an agreement nearing its end (use case 13).

    Amount = annual recurring revenue (``agreement.arr(as_of)``); close date = the agreement's end
    date; owner = the agreement's owner; ``stage`` is in ConnectWise vocabulary (the Salesforce
    mapper translates it).

    Args:
        agreement: The canonical record.
        stage: Sales stage, ConnectWise vocabulary.
        as_of: Day on which additions must be active (None: ignore dates).
        opportunity_type: Opportunity type label.

    Raises:
        MappingError: The agreement has no end date (nothing to renew).
    """
    if agreement.end_date is None or agreement.no_end_date:
        fail("Opportunity.close_date", "the agreement has no end date to renew at", value=agreement.name)
    return Opportunity(
        name=f"Renewal: {agreement.name}"[:120],
        customer=agreement.customer,
        contact=agreement.contact,
        stage=stage,
        amount=agreement.arr(as_of),
        close_date=agreement.end_date,
        owner=agreement.owner,
        opportunity_type=opportunity_type,
        description=f"Renews {agreement.name} ({agreement.billing_cycle.value}, MRR {agreement.mrr(as_of)})",
        agreement=agreement.link(agreement.name),
    )


@total("Ticket")
def onboarding_ticket(
    opportunity: Opportunity,
    *,
    board: str | None = None,
    status: str | None = None,
    priority: str | None = None,
    summary_prefix: str = "Onboarding: ",
) -> Ticket:
    """An onboarding ticket for a won opportunity (use case 11), in ConnectWise vocabulary.

    The ticket is for the opportunity's customer and contact, owned by its owner; ``board``,
    ``status`` and ``priority`` are CW names (``connectwise.ticket_from_canonical`` resolves ids).

    Args:
        opportunity: The canonical record.
        board: CW service board name.
        status: CW ticket status name.
        priority: Priority label.
        summary_prefix: Text put before the opportunity name.

    Raises:
        MappingError: The opportunity is not won.
    """
    if opportunity.status is not OpportunityStatus.WON:
        fail("Ticket", "only won opportunities start an onboarding", value=opportunity.status.value)
    amount = f" ({opportunity.amount.quantize()})" if opportunity.amount is not None else ""
    return Ticket(
        summary=f"{summary_prefix}{opportunity.name}"[:100],
        description=f"Won opportunity {opportunity.name}{amount}; close date {opportunity.close_date}.",
        status=status,
        priority=priority,
        customer=opportunity.customer,
        contact=opportunity.contact,
        owner=opportunity.owner,
        board=board,
        ticket_type="Onboarding",
    )


@total("Task")
def overdue_invoice_task(
    invoice: Invoice, *, as_of: date, owner: Link | None = None, priority: str = "High"
) -> Task | None:
    """A follow-up task for an overdue invoice (use case 14), or ``None`` when it is not overdue.

    The task concerns the invoice's customer (``what``), is due on ``as_of`` and says how much is
    open and for how many days.

    Args:
        invoice: The canonical record.
        as_of: The day to judge by (also the task's due date).
        owner: Who gets the task.
        priority: Priority label.

    """
    if not invoice.is_overdue(as_of) or invoice.balance is None or invoice.due_date is None:
        return None
    days = (as_of - invoice.due_date).days
    number = invoice.number or "(no number)"
    return Task(
        subject=f"Overdue invoice {number}",
        description=f"Invoice {number}: {invoice.balance.quantize()} open, {days} days past due ({invoice.due_date}).",
        status="Not Started",
        priority=priority,
        due_date=as_of,
        owner=owner,
        what=invoice.customer,
    )


@total("VendorBill")
def purchase_order_to_vendor_bill(order: PurchaseOrder, *, received_only: bool = True) -> VendorBill:
    """A vendor bill for a purchase order (use case 5): one item line per PO line.

    With ``received_only`` the quantity billed is the received quantity (lines with nothing
    received are left out); freight becomes an account line keyed ``freight`` (map it in
    ``expense_accounts``). The vendor's invoice number and date become the bill's.

    Args:
        order: The canonical record.
        received_only: Bill received quantities only (default) or everything ordered.

    Raises:
        MappingError: Nothing to bill.
    """
    lines: list[VendorBillLine] = []
    for line in order.lines:
        quantity = line.quantity
        if received_only:
            quantity = line.received_quantity if line.received_quantity is not None else Decimal(0)
        if not quantity:
            continue
        cost = line.unit_cost if line.unit_cost is not None else None
        amount = cost * quantity if cost is not None else line.amount
        lines.append(
            VendorBillLine(
                amount=amount,
                description=line.description,
                quantity=quantity,
                unit_cost=cost,
                product=line.product,
                sku=line.sku,
                customer=line.customer or order.customer,
                billable=(line.customer or order.customer) is not None,
            )
        )
    if order.freight is not None and not order.freight.is_zero():
        lines.append(VendorBillLine(amount=order.freight, description="Freight", account="freight"))
    if not lines:
        fail("VendorBill.lines", "nothing received on this purchase order yet", value=order.number)
    return VendorBill(
        vendor=order.vendor,
        currency=order.currency,
        number=order.vendor_invoice_number or order.number,
        bill_date=order.vendor_invoice_date or order.order_date,
        lines=lines,
        terms=order.terms,
        purchase_order=order.link(order.number),
        memo=f"PO {order.number}" if order.number else None,
    )


def allocate_payment(
    total_amount: Money,
    invoices: Sequence[Invoice],
    *,
    strategy: AllocationStrategy = "oldest_first",
) -> tuple[PaymentAllocation, ...]:
    """Split a payment across open invoices (use case 8).

    * ``oldest_first``: pay invoices in due-date order (then issue date, then number) until the
      money runs out; the last one may be paid partially.
    * ``largest_first``: the same, biggest open balance first.
    * ``proportional``: every invoice gets a share proportional to its balance, rounded down to the
      currency's minor unit; the pennies left are given one by one in oldest-first order, so the
      allocations add up exactly.

    Only invoices with a positive balance take part; the part of the payment above their total
    stays unapplied (customer credit).

    Args:
        total_amount: The payment amount.
        invoices: Candidate invoices (only those with a positive balance take part).
        strategy: ``oldest_first``, ``largest_first`` or ``proportional``.

    Raises:
        MappingError: Unknown strategy, a non-positive amount, or an invoice in another currency.
    """
    if strategy not in ALLOCATION_STRATEGIES:
        raise MappingError("Payment.allocations", f"unknown allocation strategy {strategy!r}", value=strategy)
    if total_amount.amount <= 0:
        raise MappingError(
            "Payment.total", "a payment to allocate must be positive", value=str(total_amount.amount)
        )
    open_invoices = []
    for i, invoice in enumerate(invoices):
        if invoice.currency != total_amount.currency:
            raise MappingError(
                f"Payment.allocations[{i}]", f"invoice is in {invoice.currency}", value=total_amount.currency
            )
        if invoice.balance is not None and invoice.balance.amount > 0:
            open_invoices.append(invoice)

    def oldest(inv: Invoice) -> tuple[date, date, str]:
        return (inv.due_date or date.max, inv.issue_date or date.max, inv.number or "")

    ordered = sorted(open_invoices, key=oldest)
    if strategy == "largest_first":
        ordered = sorted(
            open_invoices, key=lambda inv: (-(inv.balance.amount if inv.balance else 0), oldest(inv))
        )
    if strategy == "proportional":
        return _proportional(total_amount, ordered)
    remaining = total_amount
    out = []
    for invoice in ordered:
        if remaining.is_zero():
            break
        assert invoice.balance is not None  # noqa: S101 - filtered above
        amount = min(invoice.balance, remaining)
        out.append(PaymentAllocation(target=invoice.link(invoice.number), amount=amount))
        remaining = remaining - amount
    return tuple(out)


def _proportional(total_amount: Money, ordered: list[Invoice]) -> tuple[PaymentAllocation, ...]:
    balances = [inv.balance.amount for inv in ordered if inv.balance is not None]
    open_total = sum(balances, Decimal(0))
    if open_total == 0:
        return ()
    to_allocate = min(total_amount.amount, open_total)
    unit = Decimal(1).scaleb(-total_amount.minor_units)
    shares = [(to_allocate * b / open_total).quantize(unit, rounding=ROUND_DOWN) for b in balances]
    leftover = to_allocate - sum(shares, Decimal(0))
    progressed = True
    while leftover >= unit and progressed:  # hand out the pennies left, oldest first
        progressed = False
        for i in range(len(shares)):
            if leftover >= unit and shares[i] + unit <= balances[i]:
                shares[i] += unit
                leftover -= unit
                progressed = True
    return tuple(
        PaymentAllocation(target=inv.link(inv.number), amount=Money(share, total_amount.currency))
        for inv, share in zip(ordered, shares, strict=True)
        if share > 0
    )


@total("InvoiceLine")
def aggregate_time_entries(
    entries: Sequence[TimeEntry], config: MappingConfig | None = None
) -> dict[Link, tuple[InvoiceLine, ...]]:
    """Billable time rolled up into invoice lines per customer (use case 3, "time as invoice lines").

    Entries are grouped by customer, work type and hourly rate; each group becomes one line with
    quantity = the hours to bill and amount = quantity x rate rounded ROUND_HALF_UP to cents. The
    line's product is the entry's service item, else ``work_types[work_type]`` (a QBO item), and
    its product class ``Service``. Non-billable, no-charge and already billed entries are skipped.

    Args:
        entries: The time entries.
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A billable entry has no customer or no hourly rate.
    """
    groups: dict[tuple[Link, str | None, Money], list[TimeEntry]] = {}
    for i, entry in enumerate(entries):
        if entry.billable is not BillableStatus.BILLABLE:
            continue
        if entry.customer is None:
            fail(f"TimeEntry[{i}].customer", "billable time needs a customer")
        if entry.hourly_rate is None:
            fail(f"TimeEntry[{i}].hourly_rate", "billable time needs an hourly rate")
        groups.setdefault((entry.customer, entry.work_type, entry.hourly_rate), []).append(entry)
    out: dict[Link, list[InvoiceLine]] = {}
    for (customer, work_type, rate), group in groups.items():
        hours = sum((e.hours_to_bill for e in group), Decimal(0))
        product = next((e.product for e in group if e.product is not None), None)
        if product is None and work_type and config is not None:
            item = config.work_types.find(work_type)
            product = Link.to(QUICKBOOKS, "Item", item, display=work_type) if item else None
        dates = sorted(e.work_date for e in group if e.work_date is not None)
        label = f"{work_type or 'Labour'}: {len(group)} entries, {hours.normalize():f} h"
        out.setdefault(customer, []).append(
            InvoiceLine(
                amount=(rate * hours).quantize(2),
                quantity=hours,
                unit_price=rate,
                description=label,
                product=product,
                product_class="Service",
                service_date=dates[-1] if dates else None,
                taxable=False,
            )
        )
    return {customer: tuple(lines) for customer, lines in out.items()}
