"""Salesforce Cases and Tasks <-> canonical tickets and tasks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from dateutil.parser import isoparse

from msplink.mappers._common import parse_model, unmapped_fields
from msplink.mappers._config import MappingConfig, normalise_name
from msplink.mappers._util import at, aware, total
from msplink.mappers.salesforce._shared import (
    CW_TICKET_ID_FIELD,
    config_or_empty,
    custom_fields_in,
    custom_fields_out,
    cw_id_out,
    id_out,
    link_in,
    own_id,
    owner_in,
    owner_out,
    refs_of,
    updated_in,
)
from msplink.models import (
    Task,
    Ticket,
)
from msplink.salesforce import models as sf

__all__ = [
    "UNMAPPED_CASE_FIELDS",
    "UNMAPPED_TASK_FIELDS",
    "case_from_canonical",
    "case_to_ticket",
    "task_from_canonical",
    "task_to_task",
]


_CASE_MAPPED: Final = frozenset(
    {
        "id",
        "is_deleted",
        "system_modstamp",
        "last_modified_date",
        "created_date",
        "case_number",
        "subject",
        "description",
        "status",
        "priority",
        "origin",
        "type",
        "account_id",
        "contact_id",
        "is_closed",
        "closed_date",
        "is_escalated",
        "owner_id",
    }
)


UNMAPPED_CASE_FIELDS: Final = unmapped_fields(sf.Case, _CASE_MAPPED) | {
    "case_number",
    "is_closed",
    "closed_date",
}
"""Case attributes not carried (``Reason``, parent case); ``CaseNumber``, ``IsClosed`` and
``ClosedDate`` are read into the ticket but are read-only in Salesforce."""


@total("Ticket")
def case_to_ticket(case: sf.Case | Mapping[str, Any], config: MappingConfig | None = None) -> Ticket:
    """Map a Salesforce Case (``GET .../sobjects/Case/{id}``) to a canonical :class:`Ticket`.

    Status and priority are translated with ``case_statuses`` / ``case_priorities`` (SF -> CW).

    Args:
        case: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: An unmapped status or priority, or another value that cannot be mapped.
    """
    cfg = config_or_empty(config)
    c = parse_model(sf.Case, case, "Ticket")
    status = (
        cfg.case_statuses.get(c.status, path="Ticket.status", table="case_statuses") if c.status else None
    )
    priority = (
        cfg.case_priorities.get(c.priority, path="Ticket.priority", table="case_priorities")
        if c.priority
        else None
    )
    closed = c.is_closed if c.is_closed is not None else normalise_name(c.status or "") == "closed"
    return Ticket(
        refs=refs_of(c, "Case", CW_TICKET_ID_FIELD, "ticket"),
        updated_at=updated_in(c, "Ticket.updated_at"),
        deleted=bool(c.is_deleted),
        custom_fields=custom_fields_in(c, "Ticket", cfg),
        summary=c.subject or "",
        description=c.description,
        number=c.case_number,
        status=status,
        priority=priority,
        closed=bool(closed),
        escalated=bool(c.is_escalated),
        customer=link_in(c.account_id, "Account", c.get("Account.Name")),
        contact=link_in(c.contact_id, "Contact", c.get("Contact.Name")),
        owner=owner_in(c, c.owner_id, cfg),
        ticket_type=c.type,
        source=c.origin,
        opened_at=aware(c.created_date, "Ticket.opened_at"),
        closed_at=aware(c.closed_date, "Ticket.closed_at"),
    )


@total("Case")
def case_from_canonical(ticket: Ticket, config: MappingConfig | None = None) -> sf.Case:
    """Build a Salesforce Case (``POST .../sobjects/Case`` or upsert by ``CW_Ticket_Id__c``) from a ticket.

    Args:
        ticket: The canonical record.
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: An unmapped status, priority, owner, account or contact.
    """
    cfg = config_or_empty(config)
    status = None
    if ticket.status:
        status = cfg.case_statuses.inverse(ticket.status, path="Case.Status", table="case_statuses")
    priority = None
    if ticket.priority:
        priority = cfg.case_priorities.inverse(ticket.priority, path="Case.Priority", table="case_priorities")
    return sf.Case(
        id=own_id(ticket, "Case"),
        subject=ticket.summary or None,
        description=ticket.description,
        status=status,
        priority=priority,
        origin=ticket.source,
        type=ticket.ticket_type,
        account_id=id_out(ticket.customer, "Account", "Case.AccountId"),
        contact_id=id_out(ticket.contact, "Contact", "Case.ContactId"),
        is_escalated=ticket.escalated,
        owner_id=owner_out(ticket.owner, cfg, "Case.OwnerId"),
        custom={
            **custom_fields_out(ticket.custom_fields, "Ticket", cfg),
            **cw_id_out(ticket, "ticket", CW_TICKET_ID_FIELD),
        },
    )


_TASK_MAPPED: Final = frozenset(
    {
        "id",
        "is_deleted",
        "system_modstamp",
        "last_modified_date",
        "subject",
        "status",
        "priority",
        "activity_date",
        "who_id",
        "what_id",
        "description",
        "is_closed",
        "owner_id",
    }
)


UNMAPPED_TASK_FIELDS: Final = unmapped_fields(sf.Task, _TASK_MAPPED) | {"is_closed"}
"""Task attributes not carried (``AccountId`` and ``IsHighPriority`` are derived; subtype)."""


@total("Task")
def task_to_task(task: sf.Task | Mapping[str, Any], config: MappingConfig | None = None) -> Task:
    """Map a Salesforce Task (``GET .../sobjects/Task/{id}``) to a canonical :class:`Task`.

    Args:
        task: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = config_or_empty(config)
    t = parse_model(sf.Task, task, "Task")
    completed = t.get("CompletedDateTime")
    completed_at = None
    if isinstance(completed, str) and completed:
        with at("Task.completed_at"):
            completed_at = isoparse(completed)
    return Task(
        refs=refs_of(t, "Task", None, "task"),
        updated_at=updated_in(t, "Task.updated_at"),
        deleted=bool(t.is_deleted),
        custom_fields=custom_fields_in(t, "Task", cfg),
        subject=t.subject or "",
        description=t.description,
        status=t.status,
        priority=t.priority,
        closed=bool(t.is_closed),
        due_date=t.activity_date,
        owner=owner_in(t, t.owner_id, cfg),
        who=link_in(t.who_id, "Contact", t.get("Who.Name")),
        what=link_in(t.what_id, "Account", t.get("What.Name")),
        completed_at=aware(completed_at, "Task.completed_at"),
    )


@total("Task")
def task_from_canonical(task: Task, config: MappingConfig | None = None) -> sf.Task:
    """Build a Salesforce Task (``POST .../sobjects/Task``) from a canonical :class:`Task`.

    Args:
        task: The canonical record.
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: The owner, ``who`` or ``what`` record has no Salesforce ref.
    """
    cfg = config_or_empty(config)
    return sf.Task(
        id=own_id(task, "Task"),
        subject=task.subject or None,
        status=task.status,
        priority=task.priority,
        activity_date=task.due_date,
        who_id=id_out(task.who, None, "Task.WhoId"),
        what_id=id_out(task.what, None, "Task.WhatId"),
        description=task.description,
        owner_id=owner_out(task.owner, cfg, "Task.OwnerId"),
        custom=custom_fields_out(task.custom_fields, "Task", cfg),
    )
