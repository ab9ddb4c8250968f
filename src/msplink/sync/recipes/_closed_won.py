"""Salesforce Closed Won opportunities -> a ConnectWise company, its primary contact(s) and an
onboarding ticket (or project), with the ConnectWise ids written back (DESIGN §1 use case 11).

Four flows, run in order over one state store:

1. ``sf-won-accounts-to-cw-companies``: the account of every opportunity won since the last run is
   matched to its ConnectWise company (the identity map, the account's ``CW_Company_Id__c``, the
   normalised name, the web domain) or created (name, phone, website, billing address); a matched
   company is linked, never changed;
2. ``sf-won-contacts-to-cw-contacts``: the account's primary contact(s) (see
   :mod:`~msplink.sync.recipes._won_sources`) are matched by ``CW_Contact_Id__c`` or e-mail, or created
   under the company (name, e-mail, phone, title);
3. ``sf-won-opportunities-to-cw-tickets`` (``...-cw-projects`` with ``onboarding="project"``): one
   onboarding service ticket on ``board`` per won opportunity, its summary and description filled
   from ``summary`` / ``description`` templates, for the company and the primary contact, owned by the
   ConnectWise member the opportunity owner maps to (``owners``). It is created once: editing the
   opportunity later changes nothing (every field is written at the create only);
4. ``cw-onboarding-to-sf-opportunities``: the ids of the ConnectWise company and ticket (or project)
   are written back to the opportunity (``CW_Company_Id__c``, ``CW_Ticket_Id__c`` /
   ``CW_Project_Id__c``).

Templates are ``str.format`` strings over: ``opportunity`` (name), ``account``, ``amount``,
``close_date``, ``owner`` (name), ``stage``, ``type``, ``description`` and ``opportunity_id``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta, timezone
from typing import Any, Final, Literal

import attrs

from msplink.errors import MappingError
from msplink.mappers import CustomFieldMapping, Mapper, MappingConfig, find_mapper
from msplink.models import (
    CONNECTWISE,
    SALESFORCE,
    Contact,
    Customer,
    Link,
    Opportunity,
    OpportunityStatus,
    Ticket,
)
from msplink.sync import (
    Direction,
    FieldPolicy,
    Flow,
    Guards,
    Owner,
    StateStore,
    SyncReport,
    by_domain,
    by_email,
    by_external_id,
    by_link,
    by_name,
    run,
)
from msplink.sync.adapters import SharedReads
from msplink.sync.recipes._cw_to_sf import cw_adapter, linked_to, same_kind, sf_adapter
from msplink.sync.recipes._won_sources import WonOpportunity, won_records

__all__ = [
    "DEFAULT_DESCRIPTION",
    "DEFAULT_SUMMARY",
    "ClosedWonToConnectWise",
    "closed_won_to_connectwise",
    "onboarding_row",
]

NAME: Final = "closed_won_to_connectwise"
ACCOUNT_FLOW: Final = "sf-won-accounts-to-cw-companies"
CONTACT_FLOW: Final = "sf-won-contacts-to-cw-contacts"
TICKET_FLOW: Final = "sf-won-opportunities-to-cw-tickets"
PROJECT_FLOW: Final = "sf-won-opportunities-to-cw-projects"
WRITE_BACK_FLOW: Final = "cw-onboarding-to-sf-opportunities"

DEFAULT_SUMMARY: Final = "Onboarding: {account}"
DEFAULT_DESCRIPTION: Final = (
    "{opportunity} was won on {close_date} ({amount}); sales owner {owner}. "
    "Onboard {account}: kick-off call, documentation, agents, billing. Salesforce opportunity {opportunity_id}."
)
"""One line: ConnectWise keeps no line breaks in a note sent as JSON."""

COMPANY_FIELDS: Final = (
    "name",
    "phone",
    "website",
    "billing_address.line1",
    "billing_address.line2",
    "billing_address.city",
    "billing_address.region",
    "billing_address.postal_code",
    "billing_address.country",
)
CONTACT_FIELDS: Final = ("first_name", "last_name", "email", "phone", "title", "company")
ONBOARDING_FIELDS: Final = (
    "summary",
    "description",
    "board",
    "status",
    "priority",
    "ticket_type",
    "customer",
    "contact",
    "owner",
    "opened_at",
)
"""What the onboarding flow writes, once (a project starts on the close date: ``opened_at``)."""
WRITE_BACK: Final = {
    "ticket": "CW_Ticket_Id__c",
    "project": "CW_Project_Id__c",
    "company": "CW_Company_Id__c",
}


def _text(value: object) -> str:
    return "" if value is None else str(value)


def template_values(opportunity: Opportunity, opportunity_id: str) -> dict[str, str]:
    """The values the summary and description templates may name."""
    return {
        "opportunity": opportunity.name,
        "account": _text(opportunity.customer.display if opportunity.customer else None) or opportunity.name,
        "amount": _text(opportunity.amount.quantize() if opportunity.amount is not None else "no amount"),
        "close_date": _text(opportunity.close_date.isoformat() if opportunity.close_date else "(no date)"),
        "owner": _text(opportunity.owner.display if opportunity.owner else None) or "(unknown)",
        "stage": _text(opportunity.stage),
        "type": _text(opportunity.opportunity_type),
        "description": _text(opportunity.description),
        "opportunity_id": opportunity_id,
    }


def _fill(template: str, values: dict[str, str], path: str) -> str:
    try:
        return template.format_map(values)
    except (KeyError, IndexError, ValueError, AttributeError) as exc:
        raise MappingError(path, f"the template cannot be filled ({exc!s})", value=template) from exc


def _onboarding_mapper(
    *,
    summary: str,
    description: str,
    board: str,
    status: str | None,
    priority: str | None,
    ticket_type: str | None,
) -> Mapper[Ticket]:
    """A won opportunity (:class:`WonOpportunity`) -> the canonical onboarding ticket."""
    row = find_mapper("salesforce", "Opportunity", Opportunity)
    inbound = row.to_canonical
    assert inbound is not None  # noqa: S101 - the table's row maps inbound

    def to_canonical(won: WonOpportunity, config: MappingConfig | None) -> Ticket:
        opportunity = inbound(won.opportunity, config)
        own = opportunity.ref_for(SALESFORCE, "Opportunity")
        values = template_values(opportunity, own.id if own is not None else "")
        owner = (
            opportunity.owner
            if opportunity.owner and opportunity.owner.ref_for(CONNECTWISE, "member")
            else None
        )
        return Ticket(
            refs=opportunity.refs,
            updated_at=opportunity.updated_at,
            summary=_fill(summary, values, "Ticket.summary")[:100],
            description=_fill(description, values, "Ticket.description"),
            board=board,
            status=status,
            priority=priority,
            ticket_type=ticket_type,
            closed=opportunity.status is not OpportunityStatus.WON,  # a won deal only: see the flow filter
            customer=opportunity.customer,
            contact=Link.to(SALESFORCE, "Contact", won.contact) if won.contact else None,
            owner=owner,
            opened_at=datetime.combine(opportunity.close_date, time(0), tzinfo=timezone.utc)
            if opportunity.close_date
            else None,
        )

    def from_canonical(ticket: Ticket, config: MappingConfig | None) -> Any:
        raise MappingError("Opportunity", "an onboarding ticket is not written to Salesforce (one-way)")

    return Mapper(
        system=SALESFORCE,
        object="Opportunity",
        canonical=Ticket,
        to_canonical=to_canonical,
        from_canonical=from_canonical,
        reads=row.reads,
    )


def _without_unresolved(ticket: Ticket) -> Ticket:
    """The onboarding record without the optional links ConnectWise cannot name (a contact that did not
    sync, an owner with no member)."""
    if ticket.contact is not None and ticket.contact.ref_for(CONNECTWISE, "contact") is None:
        ticket = attrs.evolve(ticket, contact=None)
    if ticket.owner is not None and ticket.owner.ref_for(CONNECTWISE, "member") is None:
        ticket = attrs.evolve(ticket, owner=None)
    return ticket


def onboarding_row(
    onboarding: Literal["ticket", "project"], *, billing_method: str, days: int
) -> Mapper[Ticket]:
    """The ConnectWise row the onboarding record is written with: the table's ticket (or project) row,
    leaving out links ConnectWise cannot name, a project with ``billing_method`` and ``days`` long."""
    row = find_mapper(CONNECTWISE, onboarding, Ticket)
    outbound = row.from_canonical
    assert outbound is not None  # noqa: S101 - the table's rows map outbound

    def from_canonical(ticket: Ticket, config: MappingConfig | None) -> Any:
        wire = outbound(_without_unresolved(ticket), config)
        if onboarding == "project":
            start = wire.estimated_start
            wire = attrs.evolve(
                wire, billing_method=billing_method, estimated_end=start + timedelta(days=days)
            )
        return wire

    return attrs.evolve(row, from_canonical=from_canonical)


def _write_back_config(config: MappingConfig | None) -> MappingConfig:
    """The config plus the write-back fields of the opportunity (as custom fields of ``Opportunity``)."""
    cfg = config if config is not None else MappingConfig()
    known = {(c.record, c.name) for c in cfg.custom_fields}
    extra = [
        CustomFieldMapping(record="Opportunity", name=f"cw_{kind}_id", salesforce=field)
        for kind, field in WRITE_BACK.items()
        if ("Opportunity", f"cw_{kind}_id") not in known
    ]
    changes: dict[str, Any] = {"custom_fields": (*cfg.custom_fields, *extra)}
    return attrs.evolve(cfg, **changes)


def _write_back_mapper(onboarding: Mapper[Ticket], kind: str) -> Mapper[Opportunity]:
    """A ConnectWise ticket (or project) -> the opportunity fields that name it and its company."""
    inbound = onboarding.to_canonical
    assert inbound is not None  # noqa: S101

    def to_canonical(wire: Any, config: MappingConfig | None) -> Opportunity:
        ticket = inbound(wire, config)
        company = ticket.customer.id_for(CONNECTWISE, "company") if ticket.customer else None
        return Opportunity(
            refs=ticket.refs,
            updated_at=ticket.updated_at,
            name=ticket.summary,
            custom_fields={f"cw_{kind}_id": ticket.id_for(CONNECTWISE, kind), "cw_company_id": company},
        )

    def from_canonical(opportunity: Opportunity, config: MappingConfig | None) -> Any:
        raise MappingError("Ticket", "the write-back flow writes Salesforce only (one-way)")

    return Mapper(
        system=CONNECTWISE,
        object=kind,
        canonical=Opportunity,
        to_canonical=to_canonical,
        from_canonical=from_canonical,
        reads=onboarding.reads,
    )


class ClosedWonToConnectWise:
    """The recipe: call it to sync once; :meth:`flows` gives its four flows."""

    name: Final = NAME
    summary: Final = "Salesforce Closed Won -> ConnectWise company, contact and onboarding ticket or project"
    systems: Final = ("salesforce", "connectwise")

    def flows(
        self,
        *,
        cw: Any,
        sf: Any,
        state: StateStore,
        config: MappingConfig | None,
        onboarding: Literal["ticket", "project"] = "ticket",
        board: str | None = None,
        summary: str = DEFAULT_SUMMARY,
        description: str = DEFAULT_DESCRIPTION,
        status: str | None = None,
        priority: str | None = None,
        ticket_type: str | None = None,
        contacts: Literal["first", "all"] = "first",
        project_billing_method: str = "FixedFee",
        project_days: int = 30,
        cw_integration_user: str | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> tuple[Flow, Flow, Flow, Flow]:
        """The four flows, over sync or async clients.

        Args:
            cw: A ``ConnectWiseClient`` (or ``AsyncConnectWiseClient``).
            sf: A ``SalesforceClient`` (or ``AsyncSalesforceClient``).
            state: The state store the flows will run with (the write-back asks its identity map).
            config: The ``MappingConfig`` (``owners``, ``connectwise_ids`` for boards, statuses,
                priorities, countries, members).
            onboarding: ``ticket`` (a service ticket) or ``project``.
            board: The ConnectWise board (default ``Help Desk`` for a ticket, ``Projects`` for a project).
            summary: The summary (project name) template.
            description: The description template (the ticket's first note).
            status: The ticket's status (default: the board's default).
            priority: The ticket's priority.
            ticket_type: The ticket's type.
            contacts: ``first`` (each account's earliest created contact) or ``all`` its contacts.
            project_billing_method: A project's billing method.
            project_days: A project's estimated length.
            cw_integration_user: The ConnectWise API member msplink writes as.
            now: The clock of the adapters (default: the system clock).
        """
        same_kind(cw, sf)
        account_row = find_mapper("salesforce", "Account", Customer)
        contact_row = find_mapper("salesforce", "Contact", Contact)
        company_row = find_mapper("connectwise", "company", Customer)
        cw_contact_row = find_mapper("connectwise", "contact", Contact)
        opportunity_row = find_mapper("salesforce", "Opportunity", Opportunity)
        shared = SharedReads()  # the four flows read each won opportunity, account and contact once
        adapters = {
            "opportunities": sf_adapter(
                sf, opportunity_row, config=config, now=now, where={"IsWon": True}, shared=shared
            ),
            "accounts": sf_adapter(sf, account_row, config=config, now=now, shared=shared),
            "contacts": sf_adapter(sf, contact_row, config=config, now=now, shared=shared),
        }
        cw_options: dict[str, Any] = {"config": config, "integration_user": cw_integration_user, "now": now}
        companies = Flow(
            name=ACCOUNT_FLOW,
            source=won_records(sf, view="Account", **adapters),
            target=cw_adapter(cw, company_row, **cw_options),
            source_mapper=account_row,
            target_mapper=company_row,
            config=config,
            direction=Direction.ONE_WAY,
            match=(
                by_link(),
                by_external_id("refs.connectwise.company", on="source"),
                by_name(),
                by_domain(),
            ),
            fields=COMPANY_FIELDS,
            guards=Guards(allow_update=False),
        )
        people = Flow(
            name=CONTACT_FLOW,
            source=won_records(sf, view="Contact", primary=contacts, **adapters),
            target=cw_adapter(cw, cw_contact_row, name_field="email", **cw_options),
            source_mapper=contact_row,
            target_mapper=cw_contact_row,
            config=config,
            direction=Direction.ONE_WAY,
            match=(by_link(), by_external_id("refs.connectwise.contact", on="source"), by_email()),
            fields=CONTACT_FIELDS,
            guards=Guards(allow_update=False),
        )
        record_row = onboarding_row(onboarding, billing_method=project_billing_method, days=project_days)
        if onboarding == "project":
            resource, flow_name, default_board = "projects", PROJECT_FLOW, "Projects"
        else:
            resource, flow_name, default_board = "tickets", TICKET_FLOW, "Help Desk"
        won = _onboarding_mapper(
            summary=summary, description=description, board=board or default_board, status=status,
            priority=priority, ticket_type=ticket_type,
        )  # fmt: skip
        tickets = Flow(
            name=flow_name,
            source=won_records(sf, view="Opportunity", primary=contacts, **adapters),
            target=cw_adapter(cw, record_row, resource=resource, name_field="summary", **cw_options),
            source_mapper=won,
            target_mapper=record_row,
            config=config,
            direction=Direction.ONE_WAY,
            match=(by_link(),),
            fields=ONBOARDING_FIELDS,
            policies=tuple(FieldPolicy(f, Owner.TARGET) for f in ONBOARDING_FIELDS),
            guards=Guards(),
            filter=lambda ticket: not ticket.closed,
        )
        kind = "project" if onboarding == "project" else "ticket"
        back_config = _write_back_config(config)
        onboarded = linked_to(state, SALESFORCE, "Opportunity")
        write_back = Flow(
            name=WRITE_BACK_FLOW,
            # no integration user: the records msplink created are the ones this flow is for
            source=cw_adapter(cw, record_row, resource=resource, config=back_config, now=now),
            target=sf_adapter(sf, opportunity_row, config=back_config, now=now, shared=shared),
            source_mapper=_write_back_mapper(record_row, kind),
            target_mapper=opportunity_row,
            config=back_config,
            direction=Direction.ONE_WAY,
            match=(by_link(),),
            fields=(f"custom_fields.cw_{kind}_id", "custom_fields.cw_company_id"),
            guards=Guards(allow_create=False),
            filter=lambda opportunity: onboarded(opportunity.refs),
        )
        return companies, people, tickets, write_back

    def __call__(
        self,
        *,
        cw: Any,
        sf: Any,
        state: StateStore,
        config: MappingConfig | None,
        dry_run: bool = False,
        progress: bool | Callable[[int, int], None] | None = None,
        onboarding: Literal["ticket", "project"] = "ticket",
        board: str | None = None,
        summary: str = DEFAULT_SUMMARY,
        description: str = DEFAULT_DESCRIPTION,
        status: str | None = None,
        priority: str | None = None,
        ticket_type: str | None = None,
        contacts: Literal["first", "all"] = "first",
        project_billing_method: str = "FixedFee",
        project_days: int = 30,
        retry_dead_letters: bool = False,
        cw_integration_user: str | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> SyncReport:
        """Onboard Closed Won opportunities in ConnectWise once (see the module docstring).

        Args:
            cw: A ``ConnectWiseClient`` (``POST /company/companies``, ``/company/contacts``, ``/service/tickets`` (``/project/projects``)).
            sf: A ``SalesforceClient`` (SOQL on ``Opportunity``, ``Account``, ``Contact``; ``PATCH /composite/sobjects``).
            state: The state store the flows share.
            config: The ``MappingConfig``.
            dry_run: Plan and report only. A dry run cannot foresee the write-back (the records it
                names do not exist yet).
            progress: ``True`` for a progress bar, or a callback ``(records, writes)``.
            onboarding: ``ticket`` (a service ticket) or ``project``.
            board: The ConnectWise board (default ``Help Desk`` for a ticket, ``Projects`` for a project).
            summary: The summary (project name) template.
            description: The description template.
            status: The ticket's status (default: the board's default).
            priority: The ticket's priority.
            ticket_type: The ticket's type.
            contacts: ``first`` (each account's earliest created contact) or ``all`` its contacts.
            project_billing_method: A project's billing method.
            project_days: A project's estimated length.
            retry_dead_letters: Retry each flow's dead letters first.
            cw_integration_user: The ConnectWise API member msplink writes as.
            now: The clock of the adapters (default: the system clock).

        Returns:
            One report for the four flows (``report.parts`` holds each flow's).

        Raises:
            GuardError: A flow's plan exceeded its guards (before its first write).
            LeaseError: Another process runs one of the flows.
            SyncError: Authentication, configuration or reading failed.
            TypeError: Async clients (run :meth:`flows` with ``arun``).
        """
        if same_kind(cw, sf):
            raise TypeError("async clients: run each of closed_won_to_connectwise.flows(...) with arun")
        reports = [
            run(flow, state=state, dry_run=dry_run, progress=progress, retry_dead_letters=retry_dead_letters)
            for flow in self.flows(
                cw=cw, sf=sf, state=state, config=config, onboarding=onboarding, board=board, summary=summary,
                description=description, status=status, priority=priority, ticket_type=ticket_type,
                contacts=contacts, project_billing_method=project_billing_method, project_days=project_days,
                cw_integration_user=cw_integration_user, now=now,
            )
        ]  # fmt: skip
        return SyncReport.combine(NAME, reports)

    def __repr__(self) -> str:
        return "<recipe closed_won_to_connectwise>"


closed_won_to_connectwise: Final = ClosedWonToConnectWise()
"""Salesforce Closed Won -> ConnectWise onboarding: ``closed_won_to_connectwise(cw=..., sf=..., state=...,
config=...)``; ``closed_won_to_connectwise.flows(...)`` for ``arun``."""
