"""CW service tickets (high priority, escalated) -> Salesforce Cases (DESIGN §1 use case 12).

Two flows, run in order over one state store:

1. ``crm:cw-companies-to-sf-accounts``: ConnectWise companies linked to their Salesforce accounts
   (:func:`~msplink.sync.recipes._cw_to_sf.company_account_flow`);
2. ``cw-tickets-to-sf-cases``: the open tickets of a linked company that match the recipe's scope
   (:class:`TicketScope`: priority, escalated status or escalation level, board) become Cases on that
   account (upserted by ``CW_Ticket_Id__c``); a ticket that already has a case keeps it in step
   whatever the scope says afterwards: its subject, description, status, priority, escalation,
   account and contact follow ConnectWise, and closing the ticket closes the case.

Status and priority go through the config's picklists (``case_statuses``, ``case_priorities``, which
map Salesforce values to ConnectWise ones; the reverse entries choose where several CW values share a
Case value); a ticket's priority and status are compared in the Case's vocabulary, so a
``Priority 1 - Emergency`` ticket on a ``High`` case is in step. ``origins`` maps the ticket's CW
source to the Case ``Origin`` (set when the case is created). The description is the ticket's first
detail note (``initialDescription`` is write-only in ConnectWise): one
``GET /service/tickets/{id}/notes`` per ticket in scope that changed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any, Final

import attrs

from msplink.errors import MappingError
from msplink.mappers import Mapper, MappingConfig, find_mapper
from msplink.models import SALESFORCE, Ticket
from msplink.sync import (
    Direction,
    FieldPolicy,
    Flow,
    Guards,
    Owner,
    RemoteRecord,
    StateStore,
    SyncReport,
    by_external_id,
    by_link,
    run,
)
from msplink.sync.adapters import SharedReads
from msplink.sync.recipes._cw_to_sf import (
    Read,
    Steps,
    company_account_flow,
    cw_adapter,
    enriched_source,
    link_refs,
    linked_to,
    planned_state,
    same_kind,
    sf_adapter,
)

__all__ = ["CASE_FIELDS", "CASE_FLOW", "DEFAULT_ORIGINS", "TicketScope", "TicketsToCases", "tickets_to_cases"]

NAME: Final = "tickets_to_cases"
CASE_FLOW: Final = "cw-tickets-to-sf-cases"

CASE_FIELDS: Final = (
    "summary",
    "description",
    "status",
    "priority",
    "escalated",
    "source",
    "customer",
    "contact",
)
"""What the case flow writes (ConnectWise owns them; ``source``, the Case Origin, only at the create)."""

DEFAULT_ORIGINS: Final[Mapping[str, str]] = {
    "Phone": "Phone",
    "Call": "Phone",
    "Email": "Email",
    "E-mail": "Email",
    "Email Connector": "Email",
    "Portal": "Web",
    "Web": "Web",
}
"""CW ticket source -> Salesforce Case ``Origin`` (the standard Origin values are Phone, Email, Web)."""


def _names(values: Iterable[str]) -> frozenset[str]:
    return frozenset(values)


def _some_names(values: Iterable[str] | None) -> frozenset[str] | None:
    return None if values is None else frozenset(values)


@attrs.frozen(kw_only=True)
class TicketScope:
    """Which open ConnectWise tickets get a Case (a closed ticket never gets a new one).

    A ticket is in scope when it is on one of ``boards`` (any board when ``None``) and its priority is
    in ``priorities``, or its status is in ``statuses``, or (with ``escalated``) its escalation level is
    above zero. Names are ConnectWise's, compared without regard to case.

    Attributes:
        priorities: CW priority names.
        statuses: CW status names.
        escalated: Whether an escalation level above zero puts a ticket in scope.
        boards: CW service board names (``None``: every board).
    """

    priorities: frozenset[str] = attrs.field(
        default=frozenset({"Priority 1 - Emergency", "Priority 2 - High"}), converter=_names
    )
    statuses: frozenset[str] = attrs.field(default=frozenset({"Escalated"}), converter=_names)
    escalated: bool = True
    boards: frozenset[str] | None = attrs.field(default=None, converter=_some_names)

    def __call__(self, ticket: Ticket) -> bool:
        """Whether an open ticket is in scope."""
        if ticket.closed:
            return False
        if self.boards is not None and _fold(ticket.board) not in {_fold(b) for b in self.boards}:
            return False
        return (
            _fold(ticket.priority) in {_fold(p) for p in self.priorities}
            or _fold(ticket.status) in {_fold(s) for s in self.statuses}
            or (self.escalated and ticket.escalated)
        )


def _fold(value: str | None) -> str:
    return " ".join((value or "").casefold().split())


def _in_case_terms(ticket: Ticket, config: MappingConfig | None, origins: Mapping[str, str]) -> Ticket:
    """The ticket as its Case will read back: status and priority through the Case picklists and back,
    the CW source as the Case Origin."""
    cfg = config if config is not None else MappingConfig()
    status, priority = ticket.status, ticket.priority
    if status:
        case_status = cfg.case_statuses.inverse(status, path="Case.Status", table="case_statuses")
        status = cfg.case_statuses.get(case_status, path="Ticket.status", table="case_statuses")
    if priority:
        case_priority = cfg.case_priorities.inverse(priority, path="Case.Priority", table="case_priorities")
        priority = cfg.case_priorities.get(case_priority, path="Ticket.priority", table="case_priorities")
    origin = None
    if ticket.source:
        folded = {_fold(k): v for k, v in origins.items()}
        origin = folded.get(_fold(ticket.source))
    return attrs.evolve(ticket, status=status, priority=priority, source=origin)


def _source_mapper(cw_ticket: Mapper[Ticket], origins: Mapping[str, str]) -> Mapper[Ticket]:
    base = cw_ticket.to_canonical
    assert base is not None  # noqa: S101 - the table's ticket row maps inbound

    def to_canonical(wire: Any, config: MappingConfig | None) -> Ticket:
        return _in_case_terms(base(wire, config), config, origins)

    return attrs.evolve(cw_ticket, to_canonical=to_canonical)


def _case_mapper(case: Mapper[Ticket]) -> Mapper[Ticket]:
    """The Case row, writing a contact only when the identity map knows its Salesforce contact."""
    base = case.from_canonical
    assert base is not None  # noqa: S101 - the table's Case row maps outbound

    def from_canonical(ticket: Ticket, config: MappingConfig | None) -> Any:
        if ticket.contact is not None and ticket.contact.ref_for(SALESFORCE, "Contact") is None:
            ticket = attrs.evolve(ticket, contact=None)
        return base(ticket, config)

    return attrs.evolve(case, from_canonical=from_canonical)


def _with_descriptions(
    cw: Any,
    mapper: Mapper[Ticket],
    config: MappingConfig | None,
    in_scope: Callable[[Ticket], bool],
    state: Any,
) -> Callable[[list[RemoteRecord], Read | None], Steps[list[RemoteRecord]]]:
    """The case flow's expansion: each ticket in scope that the flow has not processed at its version
    gets its first detail note as its description
    (``GET /service/tickets/{id}/notes?conditions=detailDescriptionFlag = true&orderBy=id asc``)."""
    where = "detailDescriptionFlag = true"  # a constant conditions expression: nothing to quote
    inbound = mapper.to_canonical
    assert inbound is not None  # noqa: S101 - the ticket row maps inbound

    def expand(records: list[RemoteRecord], read: Read | None) -> Steps[list[RemoteRecord]]:
        done = state.processed(CASE_FLOW, [r.id for r in records]) if records else {}
        wanted: list[int] = []  # positions of the tickets whose description is read
        for n, record in enumerate(records):
            model = record.data
            if model is None or model.id is None or model.initial_description is not None:
                continue
            if read is not None and done.get(record.id) == record.version:  # re-read in the overlap
                continue
            try:
                ticket = inbound(model, config)
            except MappingError:  # the engine maps it again and records the failure
                continue
            if in_scope(ticket):
                wanted.append(n)
        params = {"conditions": where, "orderBy": "id asc", "pageSize": "1", "fields": "id,text"}
        # one read per ticket (ConnectWise serves notes only under their ticket), the page's at once
        responses = (
            (
                yield tuple(
                    functools.partial(
                        cw.request, "GET", f"/service/tickets/{int(records[n].data.id)}/notes", params=params
                    )
                    for n in wanted
                )
            )
            if wanted
            else ()
        )
        out = list(records)
        for n, response in zip(wanted, responses, strict=True):
            notes = response.json()
            text = (
                notes[0].get("text")
                if isinstance(notes, list) and notes and isinstance(notes[0], dict)
                else None
            )
            described = attrs.evolve(
                records[n].data, initial_description=text if isinstance(text, str) else None
            )
            out[n] = attrs.evolve(records[n], data=described)
        return out

    return expand


class TicketsToCases:
    """The recipe: call it to sync once; :meth:`flows` gives its two flows."""

    name: Final = NAME
    summary: Final = "ConnectWise tickets (high priority, escalated) -> Salesforce Cases on the account"
    systems: Final = ("connectwise", "salesforce")
    Scope: Final = TicketScope
    """The scope option's type: ``tickets_to_cases(..., scope=tickets_to_cases.Scope(boards=[...]))``."""

    def flows(
        self,
        *,
        cw: Any,
        sf: Any,
        state: StateStore,
        config: MappingConfig | None,
        scope: TicketScope | None = None,
        origins: Mapping[str, str] | None = None,
        create_accounts: bool = False,
        cw_integration_user: str | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> tuple[Flow, Flow]:
        """The flows (company links, then tickets -> cases), over sync or async clients.

        Args:
            cw: A ``ConnectWiseClient`` (or ``AsyncConnectWiseClient``).
            sf: A ``SalesforceClient`` (or ``AsyncSalesforceClient``).
            state: The state store the flows will run with (their scope asks its identity map).
            config: The ``MappingConfig`` (``case_statuses``, ``case_priorities``).
            scope: Which tickets get a case (default :class:`TicketScope`: open tickets escalated, or
                of priority 1 or 2, on any board).
            origins: CW source -> Case Origin (default :data:`DEFAULT_ORIGINS`).
            create_accounts: Create a Salesforce account for a company that has none (default: the
                tickets of such companies are skipped as ``filtered``).
            cw_integration_user: The ConnectWise API member msplink writes as.
            now: The clock of the adapters (default: the system clock).
        """
        same_kind(cw, sf)
        in_scope = scope or TicketScope()
        shared = SharedReads()  # the run's Salesforce reads, each once (issue 18)
        links = company_account_flow(
            cw=cw, sf=sf, config=config, create_accounts=create_accounts,
            cw_integration_user=cw_integration_user, now=now, shared=shared,
        )  # fmt: skip
        cw_ticket = _source_mapper(find_mapper("connectwise", "ticket", Ticket), origins or DEFAULT_ORIGINS)
        case = _case_mapper(find_mapper("salesforce", "Case", Ticket))
        account_linked = linked_to(state, SALESFORCE, "Account")
        case_linked = linked_to(state, SALESFORCE, "Case")
        inner = cw_adapter(cw, cw_ticket, config=config, integration_user=cw_integration_user, now=now)

        def wanted(ticket: Ticket) -> bool:
            return (in_scope(ticket) and account_linked(link_refs(ticket.customer))) or case_linked(
                ticket.refs
            )

        cases = Flow(
            name=CASE_FLOW,
            source=enriched_source(inner, _with_descriptions(cw, cw_ticket, config, wanted, state)),
            target=sf_adapter(
                sf, case, config=config, external_id_field="CW_Ticket_Id__c", now=now, shared=shared
            ),
            source_mapper=cw_ticket,
            target_mapper=case,
            config=config,
            direction=Direction.ONE_WAY,
            match=(by_link(), by_external_id("refs.connectwise.ticket")),
            fields=CASE_FIELDS,
            policies=(FieldPolicy("source", Owner.TARGET),),
            guards=Guards(),
            filter=wanted,
        )
        return links, cases

    def __call__(
        self,
        *,
        cw: Any,
        sf: Any,
        state: StateStore,
        config: MappingConfig | None,
        dry_run: bool = False,
        progress: bool | Callable[[int, int], None] | None = None,
        scope: TicketScope | None = None,
        origins: Mapping[str, str] | None = None,
        create_accounts: bool = False,
        retry_dead_letters: bool = False,
        cw_integration_user: str | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> SyncReport:
        """Sync ConnectWise tickets to Salesforce Cases once (see the module docstring).

        Args:
            cw: A ``ConnectWiseClient`` (``GET /service/tickets``, ``GET /service/tickets/{id}/notes``, ``GET /company/companies``).
            sf: A ``SalesforceClient`` (SOQL on ``Account`` and ``Case``, ``PATCH /composite/sobjects/Case/CW_Ticket_Id__c``).
            state: The state store the flows share.
            config: The ``MappingConfig`` (``case_statuses``, ``case_priorities``).
            dry_run: Plan and report only (the case flow's dry run sees the company links the first
                flow would make).
            progress: ``True`` for a progress bar, or a callback ``(records, writes)``.
            scope: Which tickets get a case (default :class:`TicketScope`).
            origins: CW source -> Case Origin (default :data:`DEFAULT_ORIGINS`).
            create_accounts: Create a Salesforce account for a company that has none.
            retry_dead_letters: Retry each flow's dead letters first.
            cw_integration_user: The ConnectWise API member msplink writes as.
            now: The clock of the adapters (default: the system clock).

        Returns:
            One report for both flows (``report.parts`` holds each flow's).

        Raises:
            GuardError: A flow's plan exceeded its guards (before its first write).
            LeaseError: Another process runs one of the flows.
            SyncError: Authentication, configuration or reading failed.
            TypeError: Async clients (run :meth:`flows` with ``arun``).
        """
        if same_kind(cw, sf):
            raise TypeError("async clients: run each of tickets_to_cases.flows(...) with arun")
        options: dict[str, Any] = {
            "cw": cw, "sf": sf, "config": config, "scope": scope, "origins": origins,
            "create_accounts": create_accounts, "cw_integration_user": cw_integration_user, "now": now,
        }  # fmt: skip
        links, cases = self.flows(state=state, **options)
        first = run(
            links, state=state, dry_run=dry_run, progress=progress, retry_dead_letters=retry_dead_letters
        )
        view = planned_state(state, dry_run, [first])
        if view is not state:
            _, cases = self.flows(state=view, **options)
        second = run(
            cases, state=view, dry_run=dry_run, progress=progress, retry_dead_letters=retry_dead_letters
        )
        return SyncReport.combine(NAME, [first, second])

    def __repr__(self) -> str:
        return "<recipe tickets_to_cases>"


tickets_to_cases: Final = TicketsToCases()
"""CW tickets -> Salesforce Cases: ``tickets_to_cases(cw=..., sf=..., state=..., config=...)``;
``tickets_to_cases.flows(...)`` for ``arun``."""
