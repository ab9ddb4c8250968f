"""ConnectWise time entries <-> canonical time entries; tickets <-> tickets."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any, Final

from dateutil.parser import isoparse

from msplink.connectwise import models as cw
from msplink.mappers._common import parse_model, ref, unmapped_fields
from msplink.mappers._config import MappingConfig, normalise_name
from msplink.mappers._util import at, aware, fail, opt_decimal, opt_money, require, total
from msplink.mappers.connectwise._shared import (
    SYSTEM,
    config_or_empty,
    custom_fields_in,
    custom_fields_out,
    date_in,
    id_out,
    link_in,
    member_link_in,
    member_out,
    named_reference,
    own_id,
    reference_name_in,
    reference_out,
    updated_in,
    version_in,
)
from msplink.models import BillableStatus, Link, Money, Ticket, TimeEntry

__all__ = [
    "UNMAPPED_TICKET_FIELDS",
    "UNMAPPED_TIME_ENTRY_FIELDS",
    "ticket_from_canonical",
    "ticket_to_ticket",
    "time_entry_from_canonical",
    "time_entry_to_time_entry",
]


_BILLABLE_IN: Final[dict[str, BillableStatus]] = {
    "billable": BillableStatus.BILLABLE,
    "donotbill": BillableStatus.NOT_BILLABLE,
    "nocharge": BillableStatus.NO_CHARGE,
    "nodefault": BillableStatus.BILLABLE,
}


_BILLABLE_OUT: Final[dict[BillableStatus, str]] = {
    BillableStatus.BILLABLE: "Billable",
    BillableStatus.NOT_BILLABLE: "DoNotBill",
    BillableStatus.NO_CHARGE: "NoCharge",
    BillableStatus.BILLED: "Billable",
}


_TIME_MAPPED: Final = frozenset(
    {
        "last_updated",
        "id",
        "member",
        "company",
        "ticket",
        "charge_to_type",
        "charge_to_id",
        "project",
        "agreement",
        "invoice",
        "time_start",
        "time_end",
        "actual_hours",
        "hours_billed",
        "billable_option",
        "hourly_rate",
        "hourly_cost",
        "notes",
        "work_type",
        "work_role",
        "status",
        "custom_fields",
    }
)


UNMAPPED_TIME_ENTRY_FIELDS: Final = unmapped_fields(cw.TimeEntry, _TIME_MAPPED)
"""Time entry attributes not carried (read-only denormalisations and e-mail action flags)."""


@total("TimeEntry")
def time_entry_to_time_entry(
    entry: cw.TimeEntry | Mapping[str, Any],
    config: MappingConfig | None = None,
    *,
    currency: str | None = None,
) -> TimeEntry:
    """Map a CW time entry (``GET /time/entries/{id}``) to a canonical :class:`TimeEntry`.

    Args:
        entry: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).
        currency: Currency of the amounts (default: ``config.default_currency``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = config_or_empty(config)
    t = parse_model(cw.TimeEntry, entry, "TimeEntry")
    cur = currency or cfg.default_currency
    hours = t.actual_hours
    if hours is None and t.time_start is not None and t.time_end is not None:
        hours = Decimal((t.time_end - t.time_start).total_seconds()) / Decimal(3600)
    billable = _BILLABLE_IN.get(normalise_name(t.billable_option or "billable").replace(" ", ""))
    if billable is None:
        fail("TimeEntry.billable", "unknown billable option", value=t.billable_option)
    if t.status in {"Billed", "BilledAgreement"} and billable is BillableStatus.BILLABLE:
        billable = BillableStatus.BILLED
    ticket = None
    if t.ticket is not None and t.ticket.id is not None:
        ticket = Link.to(SYSTEM, "ticket", t.ticket.id, display=t.ticket.summary)
    elif t.charge_to_type in {"ServiceTicket", "ProjectTicket"} and t.charge_to_id is not None:
        ticket = Link.to(SYSTEM, "ticket", t.charge_to_id)
    cost = opt_decimal(t.hourly_cost, "TimeEntry.cost_rate")
    invoice = None
    if t.invoice is not None and t.invoice.id is not None:
        invoice = Link.to(SYSTEM, "invoice", t.invoice.id, display=t.invoice.identifier)
    agreement = None
    if t.agreement is not None and t.agreement.id is not None:
        agreement = Link.to(SYSTEM, "agreement", t.agreement.id, display=t.agreement.name)
    return TimeEntry(
        refs=ref(SYSTEM, "time_entry", t.id, version_in(t)),
        updated_at=updated_in(t, "TimeEntry.updated_at"),
        custom_fields=custom_fields_in(t.custom_fields, "TimeEntry", cfg),
        hours=require(hours, "TimeEntry.hours"),
        member=member_link_in(t.member),
        customer=link_in(t.company, "company"),
        ticket=ticket,
        project=link_in(t.project, "project"),
        agreement=agreement,
        invoice=invoice,
        work_date=date_in(t.time_start),
        start=aware(t.time_start, "TimeEntry.start"),
        end=aware(t.time_end, "TimeEntry.end"),
        billable_hours=t.hours_billed,
        billable=billable,
        hourly_rate=opt_money(t.hourly_rate, cur, "TimeEntry.hourly_rate"),
        cost_rate=Money(cost, cur) if cost is not None else None,
        notes=t.notes,
        work_type=reference_name_in(t.work_type, "work_types", cfg),
        work_role=reference_name_in(t.work_role, "work_roles", cfg),
        status=t.status,
    )


@total("TimeEntry")
def time_entry_from_canonical(entry: TimeEntry, config: MappingConfig | None = None) -> cw.TimeEntry:
    """Build a CW time entry (``POST /time/entries``) from a canonical :class:`TimeEntry`.

    Without a start time (QuickBooks time has only a date) the entry starts at midnight UTC of
    ``work_date`` and carries ``actualHours``.

    Args:
        entry: The canonical record.
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = config_or_empty(config)
    start = entry.start
    if start is None and entry.work_date is not None:
        start = datetime(
            entry.work_date.year, entry.work_date.month, entry.work_date.day, tzinfo=timezone.utc
        )
    if start is None:
        fail("TimeEntry.timeStart", "ConnectWise time entries need a start time or a work date")
    ticket_id = id_out(entry.ticket, "ticket", "TimeEntry.ticket")
    agreement = None
    if entry.agreement is not None:
        agreement = cw.AgreementReference(id=id_out(entry.agreement, "agreement", "TimeEntry.agreement"))
    invoice = None
    if entry.invoice is not None:
        invoice = cw.InvoiceReference(id=id_out(entry.invoice, "invoice", "TimeEntry.invoice"))
    return cw.TimeEntry(
        id=own_id(entry, "time_entry"),
        member=member_out(entry.member, cfg, "TimeEntry.member"),
        company=reference_out(entry.customer, "company", "TimeEntry.company"),
        charge_to_type="ServiceTicket" if ticket_id is not None else None,
        charge_to_id=ticket_id,
        ticket=cw.TicketReference(id=ticket_id, summary=entry.ticket.display if entry.ticket else None)
        if ticket_id is not None
        else None,
        project=reference_out(entry.project, "project", "TimeEntry.project"),
        agreement=agreement,
        invoice=invoice,
        time_start=start,
        time_end=entry.end,
        actual_hours=entry.hours,
        hours_billed=entry.billable_hours,
        billable_option=_BILLABLE_OUT[entry.billable],
        hourly_rate=entry.hourly_rate.amount if entry.hourly_rate is not None else None,
        hourly_cost=str(entry.cost_rate.amount) if entry.cost_rate is not None else None,
        notes=entry.notes,
        work_type=named_reference("work_types", entry.work_type, cfg),
        work_role=named_reference("work_roles", entry.work_role, cfg),
        status=entry.status,
        custom_fields=custom_fields_out(entry.custom_fields, "TimeEntry", cfg),
    )


_TICKET_MAPPED: Final = frozenset(
    {
        "last_updated",
        "id",
        "summary",
        "initial_description",
        "status",
        "priority",
        "closed_flag",
        "company",
        "contact",
        "owner",
        "board",
        "type",
        "source",
        "closed_date",
        "agreement",
        "custom_fields",
    }
)


UNMAPPED_TICKET_FIELDS: Final = unmapped_fields(cw.Ticket, _TICKET_MAPPED)
"""Ticket attributes not carried (``escalationLevel`` is read into ``Ticket.escalated`` only)."""


@total("Ticket")
def ticket_to_ticket(ticket: cw.Ticket | Mapping[str, Any], config: MappingConfig | None = None) -> Ticket:
    """Map a CW service ticket (``GET /service/tickets/{id}``) to a canonical :class:`Ticket`.

    Args:
        ticket: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = config_or_empty(config)
    t = parse_model(cw.Ticket, ticket, "Ticket")
    opened = None
    if t.info is not None and isinstance(t.info.get("dateEntered"), str):
        with at("Ticket.opened_at"):
            opened = isoparse(t.info["dateEntered"])
    agreement = None
    if t.agreement is not None and t.agreement.id is not None:
        agreement = Link.to(SYSTEM, "agreement", t.agreement.id, display=t.agreement.name)
    return Ticket(
        refs=ref(SYSTEM, "ticket", t.id, version_in(t)),
        updated_at=updated_in(t, "Ticket.updated_at"),
        custom_fields=custom_fields_in(t.custom_fields, "Ticket", cfg),
        summary=t.summary or "",
        description=t.initial_description,
        number=str(t.id) if t.id is not None else None,
        status=reference_name_in(t.status, "ticket_statuses", cfg),
        priority=reference_name_in(t.priority, "priorities", cfg),
        closed=bool(t.closed_flag),
        escalated=bool(t.escalation_level),
        customer=link_in(t.company, "company"),
        contact=link_in(t.contact, "contact"),
        owner=member_link_in(t.owner),
        board=reference_name_in(t.board, "boards", cfg),
        ticket_type=reference_name_in(t.type, "ticket_types", cfg),
        source=reference_name_in(t.source, "sources", cfg),
        opened_at=aware(opened, "Ticket.opened_at"),
        closed_at=aware(t.closed_date, "Ticket.closed_at"),
        agreement=agreement,
    )


@total("Ticket")
def ticket_from_canonical(ticket: Ticket, config: MappingConfig | None = None) -> cw.Ticket:
    """Build a CW service ticket (``POST /service/tickets``) from a canonical :class:`Ticket`.

    Args:
        ticket: The canonical record.
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = config_or_empty(config)
    agreement = None
    if ticket.agreement is not None:
        agreement = cw.AgreementReference(
            id=id_out(ticket.agreement, "agreement", "Ticket.agreement"), name=ticket.agreement.display
        )
    priority = None
    if ticket.priority:
        priority = cw.PriorityReference(id=cfg.cw_id("priorities", ticket.priority), name=ticket.priority)
    own = own_id(ticket, "ticket")
    return cw.Ticket(
        id=own,
        summary=require(ticket.summary, "Ticket.summary"),
        initial_description=ticket.description,
        status=named_reference("ticket_statuses", ticket.status, cfg),
        priority=priority,
        closed_flag=ticket.closed,
        company=reference_out(ticket.customer, "company", "Ticket.company", required=own is None),
        contact=reference_out(ticket.contact, "contact", "Ticket.contact"),
        owner=member_out(ticket.owner, cfg, "Ticket.owner"),
        board=named_reference("boards", ticket.board, cfg),
        type=named_reference("ticket_types", ticket.ticket_type, cfg),
        source=named_reference("sources", ticket.source, cfg),
        closed_date=ticket.closed_at,
        agreement=agreement,
        custom_fields=custom_fields_out(ticket.custom_fields, "Ticket", cfg),
    )
