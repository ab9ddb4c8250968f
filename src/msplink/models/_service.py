"""Canonical service records: time entries and tickets."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

import attrs

from msplink.models._common import Link, Record, tz_aware
from msplink.models._convert import opt_decimal
from msplink.models._money import Money, to_decimal

__all__ = [
    "BillableStatus",
    "Ticket",
    "TimeEntry",
]


class BillableStatus(str, enum.Enum):
    """Billing status of time (CW billableOption / status, QBO BillableStatus)."""

    BILLABLE = "Billable"
    NOT_BILLABLE = "NotBillable"
    NO_CHARGE = "NoCharge"
    BILLED = "Billed"


@attrs.frozen(kw_only=True)
class TimeEntry(Record):
    """Time worked by a member (CW time entry, QBO TimeActivity).

    Attributes:
        hours: Actual hours worked (Decimal).
        member: Who worked (CW member / QBO employee).
        customer: Who it was for.
        ticket: The service ticket charged.
        project: The project charged.
        agreement: The agreement that covers it.
        invoice: The invoice it was billed on.
        work_date: The day worked.
        start: Start time (tz-aware).
        end: End time (tz-aware).
        billable_hours: Hours billed when different from ``hours``.
        billable: Billing status.
        hourly_rate: Billing rate per hour.
        cost_rate: Cost per hour (labour cost).
        notes: Description of the work.
        work_type: CW work type name.
        work_role: CW work role name.
        status: Approval status label.
        product: The service item billed (QBO TimeActivity ItemRef).
    """

    hours: Decimal = attrs.field(converter=to_decimal)
    member: Link | None = None
    customer: Link | None = None
    ticket: Link | None = None
    project: Link | None = None
    agreement: Link | None = None
    invoice: Link | None = None
    work_date: date | None = None
    start: datetime | None = attrs.field(default=None, validator=tz_aware)
    end: datetime | None = attrs.field(default=None, validator=tz_aware)
    billable_hours: Decimal | None = attrs.field(default=None, converter=opt_decimal)
    billable: BillableStatus = BillableStatus.BILLABLE
    hourly_rate: Money | None = None
    cost_rate: Money | None = None
    notes: str | None = None
    work_type: str | None = None
    work_role: str | None = None
    status: str | None = None
    product: Link | None = None

    @property
    def hours_to_bill(self) -> Decimal:
        """``billable_hours`` when set, else ``hours``."""
        return self.billable_hours if self.billable_hours is not None else self.hours

    def billable_amount(self) -> Money | None:
        """``hours_to_bill x hourly_rate`` rounded ROUND_HALF_UP to 2 places; None unless billable."""
        if self.billable is not BillableStatus.BILLABLE or self.hourly_rate is None:
            return None
        return (self.hourly_rate * self.hours_to_bill).quantize(2)

    def cost_amount(self) -> Money | None:
        """``hours x cost_rate`` rounded ROUND_HALF_UP to 2 places, when a cost rate is known."""
        if self.cost_rate is None:
            return None
        return (self.cost_rate * self.hours).quantize(2)


@attrs.frozen(kw_only=True)
class Ticket(Record):
    """A service ticket (CW service ticket, SF Case).

    Attributes:
        summary: One-line subject.
        description: Long description.
        number: Human number (CW ticket id, SF CaseNumber).
        status: Status name, ConnectWise vocabulary.
        priority: Priority name, ConnectWise vocabulary.
        closed: Closed flag.
        escalated: Escalated flag.
        customer: The client.
        contact: The client contact.
        owner: Owner / assignee.
        board: CW service board name.
        ticket_type: Type label.
        source: Origin (phone, e-mail, portal ...).
        opened_at: When it was opened (tz-aware).
        closed_at: When it was closed (tz-aware).
        agreement: Covering agreement.
    """

    summary: str
    description: str | None = None
    number: str | None = None
    status: str | None = None
    priority: str | None = None
    closed: bool = False
    escalated: bool = False
    customer: Link | None = None
    contact: Link | None = None
    owner: Link | None = None
    board: str | None = None
    ticket_type: str | None = None
    source: str | None = None
    opened_at: datetime | None = attrs.field(default=None, validator=tz_aware)
    closed_at: datetime | None = attrs.field(default=None, validator=tz_aware)
    agreement: Link | None = None
