"""Canonical sales records: opportunities and tasks."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

import attrs

from msplink.models._common import Link, Record, tz_aware
from msplink.models._convert import opt_decimal
from msplink.models._money import Money

__all__ = [
    "Opportunity",
    "OpportunityStatus",
    "Task",
]


class OpportunityStatus(str, enum.Enum):
    """Whether a deal is still open, won or lost."""

    OPEN = "Open"
    WON = "Won"
    LOST = "Lost"


@attrs.frozen(kw_only=True)
class Opportunity(Record):
    """A sales deal (CW opportunity, SF Opportunity).

    Attributes:
        name: Deal name.
        customer: The client.
        contact: Main contact.
        stage: Sales stage, ConnectWise vocabulary.
        status: Open, won or lost.
        amount: Deal value.
        close_date: Expected or actual close date.
        probability: Win probability in percent (0-100).
        owner: Sales rep (CW member / SF user).
        opportunity_type: Type label (New Customer, Renewal ...).
        source: Lead source.
        description: Notes.
        agreement: The agreement this renews, when a renewal.
    """

    name: str
    customer: Link | None = None
    contact: Link | None = None
    stage: str | None = None
    status: OpportunityStatus = OpportunityStatus.OPEN
    amount: Money | None = None
    close_date: date | None = None
    probability: Decimal | None = attrs.field(default=None, converter=opt_decimal)
    owner: Link | None = None
    opportunity_type: str | None = None
    source: str | None = None
    description: str | None = None
    agreement: Link | None = None


@attrs.frozen(kw_only=True)
class Task(Record):
    """A to-do for a person (SF Task; e.g. "chase overdue invoice").

    Attributes:
        subject: Subject line.
        description: Details.
        status: Status label (SF vocabulary: Not Started, In Progress, Completed ...).
        priority: Priority label (High, Normal, Low).
        closed: Done.
        due_date: Due date.
        owner: Who must do it.
        who: The person it concerns (contact or lead).
        what: The record it concerns (account, opportunity, case, invoice ...).
        completed_at: When it was completed (tz-aware).
    """

    subject: str
    description: str | None = None
    status: str | None = None
    priority: str | None = None
    closed: bool = False
    due_date: date | None = None
    owner: Link | None = None
    who: Link | None = None
    what: Link | None = None
    completed_at: datetime | None = attrs.field(default=None, validator=tz_aware)
