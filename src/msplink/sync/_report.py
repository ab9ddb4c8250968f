"""``SyncReport``: what a run did, as text, dicts and DataFrames; plus progress reporting."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from types import MappingProxyType
from typing import Any

import attrs

from msplink.errors import MsplinkError
from msplink.models import ExternalRef, tz_aware
from msplink.sync._model import STATUSES, Action, Conflict, DeadLetter, Outcome, RunRecord, Watermark

__all__ = ["ProgressCallback", "ReportBuilder", "SyncReport", "make_progress"]

ProgressCallback = Callable[[int, int], None]
"""``progress(records_done, writes_done)``, called after every page."""

logger = logging.getLogger("msplink.sync.engine")


def _frozen(value: Mapping[str, int] | None) -> Mapping[str, int]:
    return MappingProxyType(dict(value or {}))


def _ref(ref: ExternalRef | None) -> str | None:
    return None if ref is None else f"{ref.system}:{ref.object_type}:{ref.id}"


def _outcome_row(outcome: Outcome) -> dict[str, Any]:
    return {
        "source": _ref(outcome.source),
        "action": outcome.action.value,
        "status": outcome.status,
        "target": _ref(outcome.target),
        "reason": outcome.reason,
        "error": type(outcome.error).__name__ if outcome.error else None,
    }


@attrs.frozen(kw_only=True)
class SyncReport:
    """The result of a run (or of ``apply``); also written to the state store's run log.

    Attributes:
        flow: The flow name.
        started_at: Start (aware).
        ended_at: End (aware).
        dry_run: Whether the run only planned (nothing written, no state moved).
        counts: Records per planned action (``create``, ``update``, ``link``, ``skip``,
            ``conflict``, ``delete``), zeros included.
        outcome_counts: Records per outcome status (see ``STATUSES``), zeros included.
        writes: Records created, updated or deleted in the target (0 on a rerun with no changes).
        outcomes: Per-record outcomes (the first ``Flow.report_limit``; counts stay exact).
        outcomes_dropped: Outcomes beyond the limit, counted but not kept.
        failures: Records that failed in this run, with their typed errors (the first
            ``Flow.report_limit`` dead letters; every one is in the state store's dead letters).
        failures_dropped: Failures beyond the limit, counted but not kept.
        conflicts: Conflicts found in this run (the first ``Flow.report_limit``; every one is in
            the state store's conflict log).
        conflicts_dropped: Conflicts beyond the limit, counted but not kept.
        api_calls: API calls per system during the run, read from the clients' counters.
        watermark: The flow's watermark after the run.
        replanned: Records ``apply`` re-planned because they changed after planning.
        status: ``ok``, ``failed`` or ``guarded``.
        parts: For a report of several flows (a recipe's), each flow's own report, in run order.
    """

    flow: str
    started_at: datetime = attrs.field(validator=tz_aware)
    ended_at: datetime = attrs.field(validator=tz_aware)
    dry_run: bool = False
    counts: Mapping[str, int] = attrs.field(factory=dict, converter=_frozen)
    outcome_counts: Mapping[str, int] = attrs.field(factory=dict, converter=_frozen)
    writes: int = 0
    outcomes: tuple[Outcome, ...] = ()
    outcomes_dropped: int = 0
    failures: tuple[DeadLetter, ...] = ()
    failures_dropped: int = 0
    conflicts: tuple[Conflict, ...] = ()
    conflicts_dropped: int = 0
    api_calls: Mapping[str, int] = attrs.field(factory=dict, converter=_frozen)
    watermark: Watermark | None = None
    replanned: int = 0
    status: str = "ok"
    parts: tuple[SyncReport, ...] = ()

    @classmethod
    def combine(cls, name: str, reports: Sequence[SyncReport]) -> SyncReport:
        """One report for several flows run one after the other (a two-way sync, a recipe).

        Counts, writes and API calls are added up; outcomes, failures and conflicts are listed in run
        order; ``status`` is the worst of the parts; each flow's own report stays in ``parts``.

        Raises:
            ValueError: No reports.
        """
        if not reports:
            raise ValueError("combine() needs at least one report")
        counts: Counter[str] = Counter()
        statuses: Counter[str] = Counter()
        calls: Counter[str] = Counter()
        for report in reports:
            counts.update(report.counts)
            statuses.update(report.outcome_counts)
            calls.update(report.api_calls)
        rank = {"ok": 0, "guarded": 1, "failed": 2}
        return cls(
            flow=name,
            started_at=min(r.started_at for r in reports),
            ended_at=max(r.ended_at for r in reports),
            dry_run=all(r.dry_run for r in reports),
            counts=dict(counts),
            outcome_counts=dict(statuses),
            writes=sum(r.writes for r in reports),
            outcomes=tuple(o for r in reports for o in r.outcomes),
            outcomes_dropped=sum(r.outcomes_dropped for r in reports),
            failures=tuple(f for r in reports for f in r.failures),
            failures_dropped=sum(r.failures_dropped for r in reports),
            conflicts=tuple(c for r in reports for c in r.conflicts),
            conflicts_dropped=sum(r.conflicts_dropped for r in reports),
            api_calls=dict(calls),
            replanned=sum(r.replanned for r in reports),
            status=max((r.status for r in reports), key=lambda s: rank.get(s, 2)),
            parts=tuple(reports),
        )

    @property
    def watermarks(self) -> dict[str, str | None]:
        """The new watermark per flow."""
        if self.parts:
            return {k: v for part in self.parts for k, v in part.watermarks.items()}
        return {self.flow: str(self.watermark) if self.watermark else None}

    @property
    def failed(self) -> int:
        """Records that failed in this run (the dead letters), kept or not."""
        return len(self.failures) + self.failures_dropped

    @property
    def duration(self) -> float:
        """Seconds the run took."""
        return (self.ended_at - self.started_at).total_seconds()

    def to_record(self) -> RunRecord:
        """The run-log row for this report."""
        counts = {
            **{k: v for k, v in self.counts.items() if v},
            **{k: v for k, v in self.outcome_counts.items() if v},
        }
        return RunRecord(
            flow=self.flow,
            started_at=self.started_at,
            ended_at=self.ended_at,
            writes=self.writes,
            counts=counts,
            api_calls=self.api_calls,
            dry_run=self.dry_run,
            status=self.status,
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable view."""
        return {
            "flow": self.flow,
            "started_at": self.started_at.isoformat(),
            "ended_at": self.ended_at.isoformat(),
            "dry_run": self.dry_run,
            "status": self.status,
            "writes": self.writes,
            "counts": dict(self.counts),
            "outcome_counts": dict(self.outcome_counts),
            "api_calls": dict(self.api_calls),
            "watermark": str(self.watermark) if self.watermark else None,
            "watermarks": self.watermarks,
            "replanned": self.replanned,
            "outcomes": [_outcome_row(o) for o in self.outcomes],
            "outcomes_dropped": self.outcomes_dropped,
            "failures": [
                {
                    "source": _ref(f.source),
                    "action": f.action,
                    "error_type": f.error_type,
                    "message": f.message,
                }
                for f in self.failures
            ],
            "failures_dropped": self.failures_dropped,
            "conflicts": [
                {"kind": c.kind, "field": c.field, "source": _ref(c.source), "target": _ref(c.target)}
                for c in self.conflicts
            ],
            "conflicts_dropped": self.conflicts_dropped,
        }

    def to_pandas(self) -> Any:
        """One row per kept outcome (needs the ``pandas`` extra)."""
        import pandas as pd

        rows = [_outcome_row(o) for o in self.outcomes]
        return pd.DataFrame(rows, columns=["source", "action", "status", "target", "reason", "error"])

    def _repr_html_(self) -> str:
        """The report as HTML (Jupyter): the summary line, counts, API calls, then the failures."""
        from msplink._core._display import html_table

        summary = [
            *(("planned", action, n) for action, n in self.counts.items() if n),
            *(("outcome", status, n) for status, n in self.outcome_counts.items() if n),
            *(("API calls", system, n) for system, n in self.api_calls.items()),
        ]
        table = html_table(("", "", "records"), summary, caption=str(self).split("\n", 1)[0])
        if self.failures:
            rows = [(_ref(f.source), f.error_type, f.message) for f in self.failures[:50]]
            table += html_table(("failed", "error", "message"), rows, more=self.failed - len(rows))
        return table

    def __str__(self) -> str:
        head = "dry run" if self.dry_run else "sync"
        actions = ", ".join(f"{n} {a}" for a, n in self.counts.items() if n) or "no records"
        statuses = ", ".join(f"{n} {s}" for s, n in self.outcome_counts.items() if n) or "nothing"
        calls = ", ".join(f"{s} {n}" for s, n in self.api_calls.items()) or "none"
        lines = [
            f"{head} {self.flow!r} [{self.status}] in {self.duration:.2f}s: {self.writes} writes",
            f"  planned:   {actions}",
            f"  outcomes:  {statuses}",
            f"  API calls: {calls}",
        ]
        if self.parts:
            lines.extend(f"  watermark: {flow}: {mark or '-'}" for flow, mark in self.watermarks.items())
        else:
            lines.append(f"  watermark: {self.watermark or '-'}")
        shown = self.failures[:20]
        lines.extend(f"  failed {_ref(f.source)}: {f.error_type}: {f.message}" for f in shown)
        if self.failed > len(shown):
            lines.append(f"  ... {self.failed - len(shown)} more failures")
        return "\n".join(lines)


def _detached(error: BaseException | None) -> None:
    """Drop the tracebacks of ``error`` and the errors chained to it.

    A report keeps the typed errors of its failures for the caller; their tracebacks would keep every
    frame they passed through alive, with the page of records each held: a run with a failure on most
    pages kept most of its pages until the report was dropped (a 3,000-company sync held 66 MiB for 77
    failures; memory grew with the run instead of staying flat).
    """
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        error.__traceback__ = None
        error = error.__cause__ or error.__context__


class ReportBuilder:
    """Collects a run's outcomes page by page (bounded memory: counts always, details up to a limit)."""

    def __init__(self, flow: str, *, started_at: datetime, dry_run: bool, limit: int) -> None:
        self.flow = flow
        self.started_at = started_at
        self.dry_run = dry_run
        self.limit = limit
        self.actions: Counter[str] = Counter()
        self.statuses: Counter[str] = Counter()
        self.outcomes: list[Outcome] = []
        self.dropped = 0
        self.failures: list[DeadLetter] = []
        self.failures_dropped = 0
        self.conflicts: list[Conflict] = []
        self.conflicts_dropped = 0
        self.writes = 0
        self.records = 0
        self.replanned = 0

    def add(
        self,
        source: ExternalRef,
        action: Action,
        status: str,
        *,
        target: ExternalRef | None = None,
        reason: str | None = None,
        error: MsplinkError | None = None,
    ) -> None:
        """Count one record's outcome."""
        self.records += 1
        self.actions[action.value] += 1
        self.statuses[status] += 1
        if status in ("created", "updated", "deleted"):
            self.writes += 1
        _detached(error)
        if len(self.outcomes) < self.limit:
            self.outcomes.append(
                Outcome(
                    source=source, action=action, status=status, target=target, reason=reason, error=error
                )
            )
        else:
            self.dropped += 1

    def fail(self, letter: DeadLetter) -> None:
        """Keep a failure (up to the limit)."""
        _detached(letter.error)
        self.failures_dropped += not self._kept(self.failures, letter)

    def conflict(self, conflict: Conflict) -> None:
        """Keep a conflict found (up to the limit)."""
        self.conflicts_dropped += not self._kept(self.conflicts, conflict)

    def _kept(self, details: list[Any], detail: Any) -> bool:
        """Append ``detail`` while ``details`` holds fewer than the limit; whether it was kept."""
        if len(details) < self.limit:
            details.append(detail)
            return True
        return False

    def build(
        self,
        *,
        ended_at: datetime,
        api_calls: Mapping[str, int],
        watermark: Watermark | None,
        status: str = "ok",
    ) -> SyncReport:
        """The report as it stands."""
        return SyncReport(
            flow=self.flow,
            started_at=self.started_at,
            ended_at=ended_at,
            dry_run=self.dry_run,
            counts={a.value: self.actions[a.value] for a in Action},
            outcome_counts={s: self.statuses[s] for s in STATUSES},
            writes=self.writes,
            outcomes=tuple(self.outcomes),
            outcomes_dropped=self.dropped,
            failures=tuple(self.failures),
            failures_dropped=self.failures_dropped,
            conflicts=tuple(self.conflicts),
            conflicts_dropped=self.conflicts_dropped,
            api_calls=api_calls,
            watermark=watermark,
            replanned=self.replanned,
            status=status,
        )


class _Tqdm:
    def __init__(self, flow: str) -> None:
        from tqdm import tqdm

        self.bar = tqdm(desc=flow, unit="record")
        self.done = 0

    def __call__(self, records: int, writes: int) -> None:
        self.bar.update(records - self.done)
        self.done = records
        self.bar.set_postfix(writes=writes, refresh=False)

    def close(self) -> None:
        self.bar.close()


class _LogProgress:
    def __init__(self, flow: str) -> None:
        self.flow = flow

    def __call__(self, records: int, writes: int) -> None:
        logger.info("flow %s progress: %d records, %d writes", self.flow, records, writes)

    def close(self) -> None:
        """Nothing to release."""


def make_progress(
    progress: bool | ProgressCallback | None, flow: str
) -> tuple[ProgressCallback | None, Callable[[], None]]:
    """Turn the ``progress=`` argument into a callback and a closer.

    ``True`` uses tqdm when the ``progress`` extra is installed, else INFO log lines; a callable is
    called as ``progress(records_done, writes_done)`` after every page.
    """
    if progress is None or progress is False:
        return None, lambda: None
    if progress is True:
        try:
            bar: _Tqdm | _LogProgress = _Tqdm(flow)
        except ImportError:
            bar = _LogProgress(flow)
        return bar, bar.close
    return progress, lambda: None
