"""CW time entries -> QuickBooks time, invoice lines or labour cost (DESIGN §1 use case 3).

Built from public parts (copy it and vary it): the generic ConnectWise adapter of time entries with a
source mapper for the chosen ``mode``, then either the generic QuickBooks adapter of time activities
(``mode="time_activity"``) or a posting target (``journal``, ``invoice_lines``: many entries share one
QuickBooks document, :mod:`msplink.sync.recipes._postings`), one :class:`~msplink.sync.Flow` and
:func:`~msplink.sync.run`. The entries' customers come through the identity map, after
``companies_and_customers``' ConnectWise -> QuickBooks flow has run.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Final

import attrs

from msplink.errors import ConfigurationError, MappingError
from msplink.mappers import Mapper, MappingConfig, find_mapper
from msplink.models import QUICKBOOKS, BillableStatus, ExternalRef, Link, Money, TimeEntry
from msplink.sync import (
    Direction,
    FieldPolicy,
    Flow,
    Guards,
    MatchRule,
    Owner,
    StateStore,
    SyncReport,
    by_external_id,
    by_link,
    run,
)
from msplink.sync.adapters import (
    AsyncConnectWiseAdapter,
    AsyncQuickBooksAdapter,
    ConnectWiseAdapter,
    QuickBooksAdapter,
)
from msplink.sync.recipes._companies import companies_and_customers
from msplink.sync.recipes._postings import (
    DETAIL,
    POSTED,
    TAG_RULE_FIELD,
    async_posting_target,
    posting_target,
    postings_to_entry,
    unchanged,
)

__all__ = ["DEFAULT_STATUSES", "FLOWS", "MODES", "TimeToQuickBooks", "time_to_quickbooks"]

NAME: Final = "time_to_quickbooks"
MODES: Final = ("time_activity", "journal", "invoice_lines")
FLOWS: Final[Mapping[str, str]] = {
    "time_activity": "cw-time-to-qbo-time-activities",
    "journal": "cw-time-to-qbo-labour-cost",
    "invoice_lines": "cw-time-to-qbo-time-invoices",
}
"""The flow name of each mode (each keeps its own state: the modes can run side by side)."""

DEFAULT_STATUSES: Final = ("ApprovedByTierTwo", "ReadyToBill", "Billed")
"""The CW time statuses that count as approved: approved by the second tier, ready to bill, billed."""

TIME_ACTIVITY_FIELDS: Final = (
    "hours",
    "member",
    "customer",
    "work_date",
    "billable",
    "hourly_rate",
    "notes",
    "product",
)
"""What a QBO TimeActivity carries of a CW entry (the hours to bill, to the minute)."""

BY_TAG: Final = MatchRule("notes", ("notes",))
"""Match a TimeActivity on its description, which ends with the CW entry's tag ``[cw-time 1234]``."""

_CW_TIME = find_mapper("connectwise", "time_entry", TimeEntry)
_QBO_TIME = find_mapper("quickbooks", "TimeActivity", TimeEntry)


def _is_async(client: Any) -> bool:
    return inspect.iscoroutinefunction(getattr(getattr(client, "invoices", None), "create", None))


def in_scope(mode: str, statuses: Iterable[str] | None) -> Callable[[TimeEntry], bool]:
    """The flow filter: approved (``statuses``), billable time; for ``invoice_lines`` only time not
    billed yet on a CW invoice (that time reaches QuickBooks with ``invoices_to_quickbooks``)."""
    wanted = None if statuses is None else frozenset(s.casefold() for s in statuses)

    def keep(entry: TimeEntry) -> bool:
        if wanted is not None and (entry.status or "").casefold() not in wanted:
            return False
        if mode == "invoice_lines":
            return entry.billable is BillableStatus.BILLABLE and entry.invoice is None
        return entry.billable in (BillableStatus.BILLABLE, BillableStatus.BILLED)

    return keep


def _minutes(hours: Decimal) -> Decimal:
    """Hours as QuickBooks keeps them (whole minutes), computed as its mapper reads them back."""
    total = int((hours * 60).to_integral_value(rounding=ROUND_HALF_UP))
    whole, minutes = divmod(total, 60)
    return Decimal(whole) + Decimal(minutes) / Decimal(60)


def _member(entry: TimeEntry) -> str:
    member = entry.member.id_for("connectwise", "member") if entry.member is not None else None
    if member is None:
        raise MappingError("TimeEntry.member", "the entry has no member")
    return member


def _time_activity(entry: TimeEntry, config: MappingConfig) -> TimeEntry:
    employee = config.employees.get(_member(entry), path="TimeActivity.EmployeeRef", table="employees")
    assert entry.member is not None  # noqa: S101 - _member checked it
    member = entry.member.with_ref(ExternalRef(QUICKBOOKS, "Employee", employee))
    item = None
    if entry.work_type:
        item = config.work_types.get(entry.work_type, path="TimeActivity.ItemRef", table="work_types")
    if entry.hourly_rate is None:
        raise MappingError("TimeActivity.HourlyRate", "billable time needs an hourly rate")
    entry_id = next((r.id for r in entry.refs if r.system == "connectwise"), "")
    notes = f"{entry.notes or ''} [cw-time {entry_id}]".strip()
    return attrs.evolve(
        entry,
        hours=_minutes(entry.hours_to_bill),
        billable_hours=None,
        member=member,
        product=Link.to(QUICKBOOKS, "Item", item) if item else None,
        notes=notes,
        start=None,
        end=None,
        cost_rate=None,
    )


def _journal(
    entry: TimeEntry,
    config: MappingConfig,
    cost_rates: Mapping[str, Decimal],
    default_cost_rate: Decimal | None,
) -> TimeEntry:
    if not config.labour_expense_account or not config.labour_liability_account:
        raise MappingError(
            "JournalEntry.labour_expense_account",
            "labour_expense_account and labour_liability_account are needed",
        )
    member = _member(entry)
    rate = (
        entry.cost_rate.amount if entry.cost_rate is not None else cost_rates.get(member, default_cost_rate)
    )
    if rate is None:
        raise MappingError("TimeEntry.cost_rate", "no cost rate for this member (cost_rates=)", value=member)
    posted = Money(entry.hours * rate, config.default_currency)
    detail = {"work_date": entry.work_date, "hours": entry.hours, "rate": rate}
    return attrs.evolve(entry, custom_fields={**entry.custom_fields, POSTED: posted, DETAIL: detail})


def _invoice_line(entry: TimeEntry, config: MappingConfig) -> TimeEntry:
    if entry.hourly_rate is None:
        raise MappingError("TimeEntry.hourly_rate", "billable time needs an hourly rate")
    item = config.work_types.find(entry.work_type) if entry.work_type else None
    if item is None:
        try:
            item = config.qbo_item_for(sku=None, product_class="Service", path="TimePosting.item")
        except MappingError as exc:
            raise MappingError(
                "TimePosting.item", "no QBO item for this work type", value=entry.work_type
            ) from exc
    hours = entry.hours_to_bill
    posted = Money(hours * entry.hourly_rate.amount, entry.hourly_rate.currency)
    detail = {
        "work_date": entry.work_date, "hours": hours, "rate": entry.hourly_rate.amount, "item": item,
        "label": entry.work_type or "Time",
    }  # fmt: skip
    return attrs.evolve(entry, custom_fields={**entry.custom_fields, POSTED: posted, DETAIL: detail})


def source_mapper(
    mode: str,
    statuses: Iterable[str] | None,
    cost_rates: Mapping[str, Decimal] | None = None,
    default_cost_rate: Decimal | None = None,
) -> Mapper[TimeEntry]:
    """The CW time entry mapper row of ``mode``: the standard one, then what the mode's QuickBooks
    record needs (checked here, so an entry blocked by a missing mapping is a dead letter naming it).
    Entries the flow filters out are not checked."""
    keep = in_scope(mode, statuses)
    rates = {k: Decimal(v) for k, v in (cost_rates or {}).items()}

    def to_canonical(wire: Any, config: MappingConfig | None) -> TimeEntry:
        cfg = config if config is not None else MappingConfig()
        entry = _CW_TIME.inbound(wire, cfg)
        if not keep(entry):
            return entry
        if mode == "time_activity":
            return _time_activity(entry, cfg)
        if mode == "journal":
            return _journal(entry, cfg, rates, default_cost_rate)
        return _invoice_line(entry, cfg)

    return Mapper(
        system="connectwise",
        object="time_entry",
        canonical=TimeEntry,
        to_canonical=to_canonical,
        from_canonical=_CW_TIME.from_canonical,
        reads=_CW_TIME.reads,
        writes=_CW_TIME.writes,
    )


class TimeToQuickBooks:
    """The recipe: call it to post once; :meth:`flows` gives its flows."""

    name: Final = NAME
    summary: Final = "ConnectWise approved time -> QuickBooks time activities, time invoices or labour-cost journal entries"
    systems: Final = ("connectwise", "quickbooks")

    def flows(
        self,
        *,
        cw: Any,
        qbo: Any,
        config: MappingConfig,
        mode: str = "time_activity",
        statuses: Iterable[str] | None = DEFAULT_STATUSES,
        cost_rates: Mapping[str, Decimal] | None = None,
        default_cost_rate: Decimal | None = None,
        sync_customers: bool = True,
        cw_integration_user: str | None = None,
        guards: Guards | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> tuple[Flow, ...]:
        """The flows, in run order: ConnectWise companies -> QuickBooks customers (with
        ``sync_customers``), then the time flow of ``mode``.

        Args:
            cw: A ``ConnectWiseClient`` (or ``AsyncConnectWiseClient``).
            qbo: A ``QuickBooksClient`` (or ``AsyncQuickBooksClient``).
            config: The ``MappingConfig`` (``employees``, ``work_types``, labour accounts).
            mode: ``time_activity``, ``journal`` or ``invoice_lines``.
            statuses: The time statuses that count as approved (``None``: any).
            cost_rates: Labour cost per hour by CW member identifier (``journal``), for entries that
                carry no ``hourlyCost``.
            default_cost_rate: Labour cost per hour of members not in ``cost_rates``.
            sync_customers: Run ``companies_and_customers``' ConnectWise -> QuickBooks flow first.
            cw_integration_user: The ConnectWise API member msplink writes as.
            guards: Blast-radius limits for every flow.
            now: The clock of the adapters (default: the system clock).

        Raises:
            ConfigurationError: An unknown mode.
        """
        if mode not in MODES:
            raise ConfigurationError(
                f"time_to_quickbooks: mode must be one of {', '.join(MODES)}, got {mode!r}"
            )
        asynchronous = _is_async(cw)
        if asynchronous != _is_async(qbo):
            raise TypeError("pass two sync clients or two async clients")
        rate = Decimal(default_cost_rate) if default_cost_rate is not None else None
        mapper = source_mapper(mode, statuses, cost_rates, rate)
        cw_cls = AsyncConnectWiseAdapter if asynchronous else ConnectWiseAdapter
        source = cw_cls(cw, mapper, config=config, integration_user=cw_integration_user, now=now)
        common: dict[str, Any] = {
            "name": FLOWS[mode], "source": source, "source_mapper": mapper, "config": config,
            "direction": Direction.ONE_WAY, "guards": guards or Guards(), "filter": in_scope(mode, statuses),
        }  # fmt: skip
        if mode == "time_activity":
            qbo_cls = AsyncQuickBooksAdapter if asynchronous else QuickBooksAdapter
            target = qbo_cls(
                qbo, _QBO_TIME, config=config, now=now, name_field="notes", index_rules=(BY_TAG,)
            )
            flow = Flow(
                target=target, target_mapper=_QBO_TIME, match=(by_link(), BY_TAG), fields=TIME_ACTIVITY_FIELDS,
                **common,
            )  # fmt: skip
        else:
            build = async_posting_target if asynchronous else posting_target
            posting = build(qbo, mode=mode, config=config, now=now)
            target_mapper = Mapper(
                system="quickbooks", object=posting.object, canonical=TimeEntry,
                to_canonical=postings_to_entry, from_canonical=unchanged,
            )  # fmt: skip
            flow = Flow(
                target=posting, target_mapper=target_mapper, match=(by_link(), by_external_id(TAG_RULE_FIELD)),
                fields=(f"custom_fields.{POSTED}", "customer"), policies=(FieldPolicy("customer", Owner.TARGET),),
                **common,
            )  # fmt: skip
        if not sync_customers:
            return (flow,)
        customers, _ = companies_and_customers.flows(
            cw=cw, qbo=qbo, config=config, cw_integration_user=cw_integration_user, guards=guards, now=now
        )
        return (customers, flow)

    def __call__(
        self,
        *,
        cw: Any,
        qbo: Any,
        state: StateStore,
        config: MappingConfig,
        dry_run: bool = False,
        progress: bool | Callable[[int, int], None] | None = None,
        mode: str = "time_activity",
        statuses: Iterable[str] | None = DEFAULT_STATUSES,
        cost_rates: Mapping[str, Decimal] | None = None,
        default_cost_rate: Decimal | None = None,
        sync_customers: bool = True,
        cw_integration_user: str | None = None,
        guards: Guards | None = None,
        retry_dead_letters: bool = False,
        now: Callable[[], datetime] | None = None,
    ) -> SyncReport:
        """Post approved ConnectWise time to QuickBooks once.

        ``mode="time_activity"``: each approved billable entry becomes one QBO TimeActivity (employee
        from ``employees``, service item from ``work_types``, the hours to bill to the minute, ``Billable``
        or ``HasBeenBilled``); a changed entry updates its TimeActivity (sparse), never a second one.
        ``mode="invoice_lines"``: approved billable time not yet billed on a CW invoice becomes lines of
        one QBO invoice per customer and month of work (one line per service item and rate).
        ``mode="journal"``: the labour cost (hours x cost rate) of approved time is posted in one journal
        entry per month of work (debit ``labour_expense_account`` per customer, credit
        ``labour_liability_account``). In both posting modes each entry is posted once, and an entry
        changed after posting produces an adjustment line for the difference in a new document.

        Args:
            cw: A ``ConnectWiseClient`` (``GET /time/entries``).
            qbo: A ``QuickBooksClient`` (``/batch`` of time activities; ``/journalentry``, ``/invoice``).
            state: The state store.
            config: The ``MappingConfig``.
            dry_run: Plan and report only.
            progress: ``True`` for a progress bar, or a callback ``(records, writes)``.
            mode: ``time_activity`` (default), ``journal`` or ``invoice_lines``.
            statuses: The time statuses that count as approved (default :data:`DEFAULT_STATUSES`).
            cost_rates: Labour cost per hour by CW member identifier (``journal``).
            default_cost_rate: Labour cost per hour of members not in ``cost_rates`` (``journal``).
            sync_customers: Sync new companies to QuickBooks customers first (default ``True``).
            cw_integration_user: The ConnectWise API member msplink writes as.
            guards: Blast-radius limits for every flow.
            retry_dead_letters: Retry each flow's dead letters first.
            now: The clock of the adapters (default: the system clock).

        Returns:
            One report for the flows (``report.parts`` holds each flow's).

        Raises:
            ConfigurationError: An unknown mode.
            GuardError: A flow's plan exceeded its guards (before its first write).
            LeaseError: Another process runs one of the flows.
            SyncError: Authentication, configuration or reading failed.
            TypeError: Async clients (run :meth:`flows` with ``arun``).
        """
        if _is_async(cw) or _is_async(qbo):
            raise TypeError("async clients: run each of time_to_quickbooks.flows(...) with arun")
        flows = self.flows(
            cw=cw, qbo=qbo, config=config, mode=mode, statuses=statuses, cost_rates=cost_rates,
            default_cost_rate=default_cost_rate, sync_customers=sync_customers,
            cw_integration_user=cw_integration_user, guards=guards, now=now,
        )  # fmt: skip
        reports = [
            run(flow, state=state, dry_run=dry_run, progress=progress, retry_dead_letters=retry_dead_letters)
            for flow in flows
        ]
        return SyncReport.combine(NAME, reports)

    def __repr__(self) -> str:
        return f"<recipe {NAME}>"


time_to_quickbooks: Final = TimeToQuickBooks()
"""CW time -> QuickBooks: ``time_to_quickbooks(cw=..., qbo=..., state=..., config=..., mode=...)``;
``time_to_quickbooks.flows(...)`` for ``arun``."""
