"""QuickBooks time activities <-> canonical time entries; labour-cost journal entries from time entries."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Final

from msplink.mappers._common import parse_model, unmapped_fields
from msplink.mappers._config import MappingConfig
from msplink.mappers._money import quantize_amount
from msplink.mappers._util import aware, fail, opt_money, require, total
from msplink.mappers.quickbooks._shared import (
    SYSTEM,
    amount_of,
    config_or_empty,
    is_deletion_stub,
    link_in,
    own_ref,
    reference_out,
    refs_of,
    updated_in,
)
from msplink.models import (
    CONNECTWISE,
    BillableStatus,
    ExternalRef,
    TimeEntry,
)
from msplink.quickbooks import models as qbo

__all__ = [
    "UNMAPPED_TIME_ACTIVITY_FIELDS",
    "journal_entry_from_canonical",
    "time_activity_from_canonical",
    "time_activity_to_time_entry",
]


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
    cfg = config_or_empty(config)
    t = parse_model(qbo.TimeActivity, activity, "TimeEntry")
    if is_deletion_stub(t):
        return TimeEntry(refs=refs_of(t, "TimeActivity"), deleted=True, hours=Decimal(0))
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
    member = link_in(t.employee_ref, "Employee")
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
        refs=refs_of(t, "TimeActivity"),
        updated_at=updated_in(t, "TimeEntry.updated_at"),
        hours=hours,
        member=member,
        customer=link_in(t.customer_ref, "Customer"),
        work_date=t.txn_date,
        start=aware(t.start_time, "TimeEntry.start"),
        end=aware(t.end_time, "TimeEntry.end"),
        billable=billable,
        hourly_rate=opt_money(t.hourly_rate, currency, "TimeEntry.hourly_rate"),
        cost_rate=opt_money(t.cost_rate, currency, "TimeEntry.cost_rate"),
        notes=t.description,
        work_type=work_type,
        product=link_in(t.item_ref, "Item"),
    )


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
    cfg = config_or_empty(config)
    own_id, token = own_ref(entry, "TimeActivity")
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
    customer = reference_out(
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
        hourly_rate=amount_of(entry.hourly_rate),
        cost_rate=amount_of(entry.cost_rate),
        hours=hours,
        minutes=minutes,
        description=entry.notes,
    )


@total("JournalEntry")
def journal_entry_from_canonical(
    entries: Sequence[TimeEntry],
    config: MappingConfig | None = None,
    *,
    txn_date: date | None = None,
    doc_number: str | None = None,
    currency: str | None = None,
) -> qbo.JournalEntry:
    """Build a labour-cost journal entry (``POST /v3/company/{realm}/journalentry``) from time entries.

    One debit line per customer on ``labour_expense_account`` (hours x cost rate, rounded
    ROUND_HALF_UP per entry) and one balancing credit on ``labour_liability_account``.

    Args:
        entries: The time entries.
        config: Lookup tables (default: an empty ``MappingConfig``).
        txn_date: Journal entry date (default: the latest ``work_date`` among the entries).
        doc_number: Journal entry number.
        currency: Currency of the amounts (default: ``config.default_currency``).

    Raises:
        MappingError: Accounts not configured, an entry without a cost rate, mixed currencies, or no
            ``txn_date`` given and no entry has a ``work_date``.
    """
    cfg = config_or_empty(config)
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
    if txn_date is None:
        dates = [entry.work_date for entry in entries if entry.work_date is not None]
        txn_date = require(max(dates) if dates else None, "JournalEntry.txn_date", "no entry has a work date")
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
