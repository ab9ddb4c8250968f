"""ConnectWise projects <-> canonical tickets (a project is onboarding or service work of its own)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import Any, Final

from msplink.connectwise import models as cw
from msplink.mappers._common import parse_model, ref, unmapped_fields
from msplink.mappers._config import MappingConfig
from msplink.mappers._util import aware, require, total
from msplink.mappers.connectwise._shared import (
    SYSTEM,
    config_or_empty,
    custom_fields_in,
    custom_fields_out,
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
from msplink.models import Ticket

__all__ = [
    "PROJECT_BILLING_METHOD",
    "PROJECT_DAYS",
    "UNMAPPED_PROJECT_FIELDS",
    "project_from_canonical",
    "project_to_ticket",
]

PROJECT_BILLING_METHOD: Final = "FixedFee"
"""The billing method of a project created from a ticket (the API requires one)."""

PROJECT_DAYS: Final = 30
"""The estimated length of a project created from a ticket, from its start."""

_PROJECT_MAPPED: Final = frozenset(
    {
        "id",
        "name",
        "description",
        "company",
        "contact",
        "board",
        "status",
        "manager",
        "closed_flag",
        "estimated_start",
        "estimated_end",
        "billing_method",
        "custom_fields",
    }
)


UNMAPPED_PROJECT_FIELDS: Final = unmapped_fields(cw.Project, _PROJECT_MAPPED)
"""Project attributes not carried (billing, budget, estimates, phases, team)."""


@total("Ticket")
def project_to_ticket(project: cw.Project | Mapping[str, Any], config: MappingConfig | None = None) -> Ticket:
    """Map a CW project (``GET /project/projects/{id}``) to a canonical :class:`Ticket`.

    The name is the summary, the manager the owner, the estimated start ``opened_at``.

    Args:
        project: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = config_or_empty(config)
    p = parse_model(cw.Project, project, "Ticket")
    return Ticket(
        refs=ref(SYSTEM, "project", p.id, version_in(p)),
        updated_at=updated_in(p, "Ticket.updated_at"),
        custom_fields=custom_fields_in(p.custom_fields, "Ticket", cfg),
        summary=p.name or "",
        description=p.description,
        number=str(p.id) if p.id is not None else None,
        status=reference_name_in(p.status, "project_statuses", cfg),
        closed=bool(p.closed_flag),
        customer=link_in(p.company, "company"),
        contact=link_in(p.contact, "contact"),
        owner=member_link_in(p.manager),
        board=reference_name_in(p.board, "boards", cfg),
        opened_at=aware(p.estimated_start, "Ticket.opened_at"),
    )


@total("Ticket")
def project_from_canonical(ticket: Ticket, config: MappingConfig | None = None) -> cw.Project:
    """Build a CW project (``POST /project/projects``) from a canonical :class:`Ticket`.

    The project starts at ``opened_at`` (now when unset) and is estimated to end
    :data:`PROJECT_DAYS` later, billed :data:`PROJECT_BILLING_METHOD` (change both on the model
    before sending for other values).

    Args:
        ticket: The canonical record.
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = config_or_empty(config)
    start = ticket.opened_at or datetime.now(timezone.utc)
    own = own_id(ticket, "project")
    return cw.Project(
        id=own,
        name=require(ticket.summary, "Project.name")[:100],
        description=ticket.description,
        company=reference_out(ticket.customer, "company", "Project.company", required=own is None),
        contact=reference_out(ticket.contact, "contact", "Project.contact"),
        board=named_reference("boards", ticket.board, cfg),
        status=named_reference("project_statuses", ticket.status, cfg),
        manager=member_out(ticket.owner, cfg, "Project.manager"),
        closed_flag=ticket.closed or None,
        billing_method=PROJECT_BILLING_METHOD,
        estimated_start=start,
        estimated_end=start + timedelta(days=PROJECT_DAYS),
        custom_fields=custom_fields_out(ticket.custom_fields, "Ticket", cfg),
    )
