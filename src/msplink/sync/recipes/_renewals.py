"""CW agreements nearing their end -> one Salesforce renewal Opportunity per agreement term, for the
account owner (DESIGN §1 use case 13).

Two flows, run in order over one state store:

1. ``crm:cw-companies-to-sf-accounts``: ConnectWise companies linked to their Salesforce accounts
   (:func:`~msplink.sync.recipes._cw_to_sf.company_account_flow`);
2. ``cw-agreements-to-sf-renewals``: each *term* of an agreement (the agreement with one end date,
   ``<agreement id>@<end date>``) that ends within ``within_days`` of today, on an active agreement of a
   linked company, becomes an Opportunity on the account (upserted by ``CW_Renewal_Term__c``): named
   ``Renewal: <agreement> (<end date>)``, type ``Renewal``, close date = the end date, amount = the
   agreement's monthly recurring revenue at the end of the term (``Agreement.mrr``: the bill amount
   plus the active additions, per month) times ``renewal_months``, stage ``stage``, owned by the
   account's owner, with the agreement's id in ``CW_Agreement_Id__c``.

Afterwards the agreement drives the opportunity of its term: a change of its recurring value updates
the amount; a *renewal* (the end date moved later) closes the old term's opportunity as won
(``won_stage``), and the new term gets its own opportunity when it enters the window; a cancelled
agreement closes it as lost (``lost_stage``); an end date moved earlier closes the old term's as lost.
What sales people do in Salesforce stays theirs: the stage as they move it, a name, close date or
amount they edit (an amount changed on both sides waits in the conflict log), an opportunity they
closed themselves.

Every change of an agreement in scope costs one more call, for its additions
(``GET /finance/agreements/{id}/additions``).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date, datetime, timezone
from typing import Any, Final

import attrs

from msplink.errors import MappingError
from msplink.mappers import Mapper, MappingConfig, find_mapper
from msplink.models import (
    CONNECTWISE,
    SALESFORCE,
    Agreement,
    AgreementAddition,
    AgreementStatus,
    ExternalRef,
    Money,
    Opportunity,
    OpportunityStatus,
)
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
    account_owner_target,
    company_account_flow,
    cw_adapter,
    enriched_source,
    link_refs,
    linked_to,
    planned_state,
    same_kind,
    sf_adapter,
)

__all__ = [
    "RENEWAL_FIELDS",
    "RENEWAL_FLOW",
    "TERM_FIELD",
    "AgreementTerm",
    "RenewalsToSalesforce",
    "renewals_to_salesforce",
]

NAME: Final = "renewals_to_salesforce"
RENEWAL_FLOW: Final = "cw-agreements-to-sf-renewals"
TERM_OBJECT: Final = "agreement_term"
TERM_FIELD: Final = "CW_Renewal_Term__c"
"""The Opportunity external-id field holding ``<agreement id>@<end date>`` (the upsert key)."""

RENEWAL_FIELDS: Final = (
    "name",
    "customer",
    "amount",
    "close_date",
    "stage",
    "status",
    "opportunity_type",
    "description",
    "agreement",
)
"""What the renewal flow writes at the create; afterwards ConnectWise moves only the account and, where
sales people have not changed them, the name, amount, close date and open/won/lost status."""

OWNERS: Final = (
    FieldPolicy("customer", Owner.SOURCE),
    FieldPolicy("stage", Owner.TARGET),
    FieldPolicy("opportunity_type", Owner.TARGET),
    FieldPolicy("description", Owner.TARGET),
    FieldPolicy("name", Owner.REVIEW),
    FieldPolicy("amount", Owner.REVIEW),
    FieldPolicy("close_date", Owner.REVIEW),
    FieldPolicy("status", Owner.REVIEW),
)


@attrs.frozen(kw_only=True)
class AgreementTerm:
    """One term of a ConnectWise agreement: the agreement with one end date.

    Attributes:
        agreement: The agreement as ConnectWise holds it now.
        additions: Its additions (read only for terms in scope).
        end: The term's end date (``None``: the agreement has no end date).
        superseded_by: For an earlier term whose opportunity exists: the agreement's current end date
            (``None``: no end date any more).
        superseded: Whether this is such an earlier term.
    """

    agreement: Any
    additions: tuple[Any, ...] = ()
    end: date | None = None
    superseded_by: date | None = None
    superseded: bool = False


def term_id(agreement_id: str, end: date | None) -> str:
    """``<agreement id>@<end date>`` (``@open`` without an end date)."""
    return f"{agreement_id}@{end.isoformat() if end is not None else 'open'}"


def _end_of(agreement: Any) -> date | None:
    if agreement.no_ending_date_flag or agreement.end_date is None:
        return None
    end = agreement.end_date
    return end.astimezone(timezone.utc).date() if isinstance(end, datetime) else end


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _currency_of(addition: AgreementAddition, currency: str) -> dict[str, Any]:
    """An addition's money in its agreement's currency (the table's row reads it in the default one)."""
    changes: dict[str, Any] = {}
    for name in ("unit_price", "unit_cost"):
        value = getattr(addition, name)
        if value is not None and value.currency != currency:
            changes[name] = Money(value.amount, currency)
    return changes


def _source_mapper(*, stage: str, months: int) -> Mapper[Opportunity]:
    """An agreement term -> its canonical renewal opportunity."""

    agreement_row = find_mapper(CONNECTWISE, "agreement", Agreement)
    addition_row = find_mapper(CONNECTWISE, "addition", AgreementAddition)
    read_agreement, read_addition = agreement_row.to_canonical, addition_row.to_canonical
    assert read_agreement is not None  # noqa: S101 - the table's rows map inbound
    assert read_addition is not None  # noqa: S101

    def to_canonical(term: AgreementTerm, config: MappingConfig | None) -> Opportunity:
        agreement = read_agreement(term.agreement, config)
        if term.additions:
            additions = tuple(read_addition(a, config) for a in term.additions)
            agreement = attrs.evolve(
                agreement,
                additions=tuple(attrs.evolve(a, **_currency_of(a, agreement.currency)) for a in additions),
            )
        tid = term_id(str(term.agreement.id), term.end)
        refs = {ExternalRef(CONNECTWISE, TERM_OBJECT, tid)}
        if term.end is None:
            return Opportunity(
                refs=refs, updated_at=agreement.updated_at, customer=agreement.customer,
                name=f"Renewal: {agreement.name}"[:120],
            )  # fmt: skip
        status = OpportunityStatus.OPEN
        if term.superseded:
            renewed = term.superseded_by is not None and term.superseded_by > term.end
            status = OpportunityStatus.WON if renewed else OpportunityStatus.LOST
        elif agreement.status is AgreementStatus.CANCELLED:
            status = OpportunityStatus.LOST
        running = attrs.evolve(agreement, status=AgreementStatus.ACTIVE, end_date=term.end, no_end_date=False)
        monthly = running.mrr(term.end)
        return Opportunity(
            name=f"Renewal: {agreement.name} ({term.end.isoformat()})"[:120],
            stage=stage,
            status=status,
            amount=monthly * months,
            close_date=term.end,
            opportunity_type="Renewal",
            description=(
                f"Renews {agreement.name} ({agreement.billing_cycle.value}, MRR {monthly}), "
                f"ending {term.end.isoformat()}."
            ),
            agreement=agreement.link(agreement.name),
            refs=refs,
            updated_at=agreement.updated_at,
            customer=agreement.customer,
        )

    def from_canonical(opportunity: Opportunity, config: MappingConfig | None) -> Any:
        raise MappingError("Opportunity", "a renewal is not written to ConnectWise (this flow is one-way)")

    return Mapper(
        system=CONNECTWISE,
        object=TERM_OBJECT,
        canonical=Opportunity,
        to_canonical=to_canonical,
        from_canonical=from_canonical,
        reads=find_mapper("connectwise", "agreement", Agreement).reads,
    )


def _target_mapper(won_stage: str, lost_stage: str) -> Mapper[Opportunity]:
    """The Opportunity row reading the term from ``CW_Renewal_Term__c`` and writing a won or lost status
    as the won or lost stage (``IsWon`` and ``IsClosed`` are read-only: the stage decides them)."""
    row = find_mapper("salesforce", "Opportunity", Opportunity)
    inbound, outbound = row.to_canonical, row.from_canonical
    assert inbound is not None  # noqa: S101 - the table's row maps both ways
    assert outbound is not None  # noqa: S101

    def to_canonical(record: Any, config: MappingConfig | None) -> Opportunity:
        opportunity = inbound(record, config)
        term = record.get(TERM_FIELD) if hasattr(record, "get") else None
        if term:
            opportunity = opportunity.with_ref(ExternalRef(CONNECTWISE, TERM_OBJECT, str(term)))
        return opportunity

    def from_canonical(opportunity: Opportunity, config: MappingConfig | None) -> Any:
        closing = {OpportunityStatus.WON: won_stage, OpportunityStatus.LOST: lost_stage}.get(
            opportunity.status
        )
        if closing is not None and opportunity.stage != closing:
            opportunity = attrs.evolve(opportunity, stage=closing)
        return outbound(opportunity, config)

    return attrs.evolve(
        row, to_canonical=to_canonical, from_canonical=from_canonical, reads=(*row.reads, TERM_FIELD)
    )


def _terms(
    cw_client: Any, state: Any, today: date, within_days: int
) -> Callable[[list[RemoteRecord], Read | None], Steps[list[RemoteRecord]]]:
    """The renewal flow's expansion: each agreement as its current term, plus each earlier term that
    has an opportunity; the additions are read for the terms that can be in scope and that the flow has
    not processed at this version."""
    account_linked = linked_to(state, SALESFORCE, "Account")

    def expand(records: list[RemoteRecord], read: Read | None) -> Steps[list[RemoteRecord]]:
        earlier: dict[str, list[str]] = defaultdict(list)
        done: dict[str, str] = {}
        if records:
            for source_id, _ in state.pairs((CONNECTWISE, TERM_OBJECT), (SALESFORCE, "Opportunity")):
                agreement_id, _, end = source_id.partition("@")
                earlier[agreement_id].append(end)
            done = state.processed(RENEWAL_FLOW, [term_id(r.id, _end_of(r.data)) for r in records if r.data])
        terms: list[tuple[RemoteRecord, date | None, str, list[str], bool]] = []
        for record in records:
            agreement = record.data
            if agreement is None:
                continue
            end = _end_of(agreement)
            current = term_id(record.id, end)
            older = sorted(e for e in earlier.get(record.id, ()) if term_id(record.id, _date(e)) != current)
            company = agreement.company.id if agreement.company is not None else None
            near = end is not None and 0 <= (end - today).days <= within_days
            wanted = bool(older) or current in {
                term_id(record.id, _date(e)) for e in earlier.get(record.id, ())
            }
            if near and company is not None:
                wanted = wanted or account_linked([ExternalRef(CONNECTWISE, "company", str(company))])
            if read is not None and not older and done.get(current) == record.version:
                wanted = False  # re-read in the overlap: the engine drops it unread
            terms.append((record, end, current, older, wanted and agreement.id is not None))
        # one read per agreement (ConnectWise serves additions only under it), the page's at once
        numbers = [int(record.data.id) for record, _, _, _, wanted in terms if wanted]
        listed = (
            (yield tuple(functools.partial(_additions, cw_client, n) for n in numbers)) if numbers else ()
        )
        additions_of = {n: tuple(rows) for n, rows in zip(numbers, listed, strict=True)}
        by_record = {id(t[0]): t for t in terms}
        out: list[RemoteRecord] = []
        for record in records:
            agreement = record.data
            term = by_record.get(id(record))
            if agreement is None or term is None:
                out.append(record)
                continue
            _, end, current, older, wanted = term
            additions: tuple[Any, ...] = additions_of.get(int(agreement.id), ()) if wanted else ()
            out.append(
                attrs.evolve(
                    record, id=current, data=AgreementTerm(agreement=agreement, additions=additions, end=end)
                )
            )
            for text in older:
                out.append(
                    attrs.evolve(
                        record,
                        id=f"{record.id}@{text}",
                        version=f"{record.version}|{current}",
                        data=AgreementTerm(
                            agreement=agreement,
                            additions=additions,
                            end=_date(text),
                            superseded_by=end,
                            superseded=True,
                        ),
                    )
                )
        return out

    return expand


def _additions(client: Any, agreement_id: int) -> Any:
    """Every addition of an agreement (``GET /finance/agreements/{id}/additions``)."""
    return client.agreements.additions(agreement_id).list().to_list()


def _agreement_ids(ids: Sequence[str]) -> list[str]:
    return sorted({i.partition("@")[0] for i in ids})


class RenewalsToSalesforce:
    """The recipe: call it to sync once; :meth:`flows` gives its two flows."""

    name: Final = NAME
    summary: Final = "ConnectWise agreements nearing their end -> Salesforce renewal opportunities"
    systems: Final = ("connectwise", "salesforce")

    def flows(
        self,
        *,
        cw: Any,
        sf: Any,
        state: StateStore,
        config: MappingConfig | None,
        within_days: int = 90,
        stage: str = "Prospect",
        won_stage: str = "Won",
        lost_stage: str = "Lost",
        renewal_months: int = 12,
        today: date | None = None,
        create_accounts: bool = False,
        cw_integration_user: str | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> tuple[Flow, Flow]:
        """The flows (company links, then agreement terms -> renewal opportunities).

        Args:
            cw: A ``ConnectWiseClient`` (or ``AsyncConnectWiseClient``).
            sf: A ``SalesforceClient`` (or ``AsyncSalesforceClient``).
            state: The state store the flows will run with (their scope asks its identity map).
            config: The ``MappingConfig`` (``opportunity_stages`` translates the stages).
            within_days: How many days ahead an agreement's end makes a renewal (the window).
            stage: The stage a renewal starts in (ConnectWise vocabulary, as ``opportunity_stages``
                maps Salesforce stages to it).
            won_stage: The stage of a renewal whose agreement was renewed.
            lost_stage: The stage of a renewal whose agreement was cancelled.
            renewal_months: The months of recurring revenue a renewal is worth (12: a year).
            today: The day the window starts (default: today by ``now``).
            create_accounts: Create a Salesforce account for a company that has none (default: the
                agreements of such companies are skipped as ``filtered``).
            cw_integration_user: The ConnectWise API member msplink writes as.
            now: The clock of the adapters (default: the system clock).
        """
        same_kind(cw, sf)
        clock = now or (lambda: datetime.now(timezone.utc))
        day = today or clock().date()
        shared = SharedReads()  # the run's Salesforce reads, each once (issue 18)
        links = company_account_flow(
            cw=cw, sf=sf, config=config, create_accounts=create_accounts,
            cw_integration_user=cw_integration_user, now=now, shared=shared,
        )  # fmt: skip
        source_mapper = _source_mapper(stage=stage, months=renewal_months)
        target_mapper = _target_mapper(won_stage, lost_stage)
        agreements = find_mapper("connectwise", "agreement", Agreement)
        inner = cw_adapter(cw, agreements, config=config, integration_user=cw_integration_user, now=now)
        account_linked = linked_to(state, SALESFORCE, "Account")
        term_linked = linked_to(state, SALESFORCE, "Opportunity")

        def wanted(opportunity: Opportunity) -> bool:
            if term_linked(opportunity.refs):
                return True
            end = opportunity.close_date
            return (
                opportunity.status is OpportunityStatus.OPEN
                and end is not None
                and 0 <= (end - day).days <= within_days
                and account_linked(link_refs(opportunity.customer))
            )

        writer = sf_adapter(
            sf, target_mapper, config=config, external_id_field=TERM_FIELD, now=now, shared=shared
        )
        renewals = Flow(
            name=RENEWAL_FLOW,
            source=enriched_source(
                inner,
                _terms(cw, state, day, within_days),
                object=TERM_OBJECT,
                fetch_ids=_agreement_ids,
            ),
            target=account_owner_target(writer, sf, account_field="account_id"),
            source_mapper=source_mapper,
            target_mapper=target_mapper,
            config=config,
            direction=Direction.ONE_WAY,
            match=(by_link(), by_external_id(f"refs.{CONNECTWISE}.{TERM_OBJECT}")),
            fields=RENEWAL_FIELDS,
            policies=OWNERS,
            guards=Guards(),
            filter=wanted,
        )
        return links, renewals

    def __call__(
        self,
        *,
        cw: Any,
        sf: Any,
        state: StateStore,
        config: MappingConfig | None,
        dry_run: bool = False,
        progress: bool | Callable[[int, int], None] | None = None,
        within_days: int = 90,
        stage: str = "Prospect",
        won_stage: str = "Won",
        lost_stage: str = "Lost",
        renewal_months: int = 12,
        today: date | None = None,
        create_accounts: bool = False,
        retry_dead_letters: bool = False,
        cw_integration_user: str | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> SyncReport:
        """Sync ConnectWise agreement renewals to Salesforce once (see the module docstring).

        Args:
            cw: A ``ConnectWiseClient`` (``GET /finance/agreements`` and ``.../{id}/additions``, ``GET /company/companies``).
            sf: A ``SalesforceClient`` (SOQL on ``Account`` and ``Opportunity``, ``PATCH /composite/sobjects/Opportunity/CW_Renewal_Term__c``).
            state: The state store the flows share.
            config: The ``MappingConfig`` (``opportunity_stages``).
            dry_run: Plan and report only (the renewal flow's dry run sees the company links the first
                flow would make).
            progress: ``True`` for a progress bar, or a callback ``(records, writes)``.
            within_days: How many days ahead an agreement's end makes a renewal.
            stage: The stage a renewal starts in (ConnectWise vocabulary).
            won_stage: The stage of a renewal whose agreement was renewed.
            lost_stage: The stage of a renewal whose agreement was cancelled.
            renewal_months: The months of recurring revenue a renewal is worth.
            today: The day the window starts (default: today).
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
            raise TypeError("async clients: run each of renewals_to_salesforce.flows(...) with arun")
        options: dict[str, Any] = {
            "cw": cw, "sf": sf, "config": config, "within_days": within_days, "stage": stage,
            "won_stage": won_stage, "lost_stage": lost_stage, "renewal_months": renewal_months,
            "today": today, "create_accounts": create_accounts,
            "cw_integration_user": cw_integration_user, "now": now,
        }  # fmt: skip
        links, renewals = self.flows(state=state, **options)
        first = run(
            links, state=state, dry_run=dry_run, progress=progress, retry_dead_letters=retry_dead_letters
        )
        view = planned_state(state, dry_run, [first])
        if view is not state:
            _, renewals = self.flows(state=view, **options)
        second = run(
            renewals, state=view, dry_run=dry_run, progress=progress, retry_dead_letters=retry_dead_letters
        )
        return SyncReport.combine(NAME, [first, second])

    def __repr__(self) -> str:
        return "<recipe renewals_to_salesforce>"


renewals_to_salesforce: Final = RenewalsToSalesforce()
"""CW agreements -> Salesforce renewal opportunities: ``renewals_to_salesforce(cw=..., sf=..., state=...,
config=...)``; ``renewals_to_salesforce.flows(...)`` for ``arun``."""
