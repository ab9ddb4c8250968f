"""Sync engine cost: planner and state store CPU per record, and flat memory (SYNC.md invariant 7).

A synthetic source streams N companies in pages of 1,000; the target answers every look-up with no
candidates and accepts every write (30 per batch, QBO-sized), so everything measured is msplink's
own work: mapping, matching, planning, journalling and the SQLite state store. Numbers are CPU time
(``time.process_time``) with zero latency.

- planner: ``plan_records`` on pages of 1,000 mapped records (pure, no I/O);
- state store: ``SQLiteStateStore.commit`` of the page outcomes of 1,000 creates (links, ledger,
  journal, processed, watermark);
- first sync: a whole ``run`` (10k and 100k records) and its peak traced memory (tracemalloc); the
  100k run must stay within 1.5x of the 10k run (reads, plans and writes stream page by page);
- rerun: a second ``run`` with nothing changed, over a reset watermark (every record read again,
  found linked, compared, recognised as an echo by the ledger, nothing written). Until the fix of
  ``SQLiteStateStore.linked`` its cost per record grew with the records linked (112 us at 10k, 237 at
  100k): an ``ORDER BY`` made SQLite walk the identity primary key of the whole system for every page
  instead of the entity index, and this benchmark's target kept nothing, so every record of the
  "rerun" was a conflict about a vanished target rather than an echo.
"""

from __future__ import annotations

import tempfile
import time
import tracemalloc
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import attrs

from benchmarks._harness import Result
from msplink.models import Customer, ExternalRef
from msplink.sync import (
    ChangePage,
    Flow,
    Intent,
    LookupRequest,
    RemoteRecord,
    SQLiteStateStore,
    WriteOp,
    WriteResult,
    by_email,
    by_link,
    by_name,
)
from msplink.sync import run as sync_run
from msplink.sync._plan import Incoming, Spec, plan_records
from msplink.sync._protocols import LedgerRow, StateChanges

T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)
PAGE = 1000


def _customer(i: int, system: str = "a") -> Customer:
    return Customer(
        refs=ExternalRef(system, "customer", str(i), "1"),
        name=f"Company {i} Inc",
        email=f"billing{i}@company{i}.example.com",
        phone=f"+1 555 {i:07d}",
        website=f"https://company{i}.example.com",
        terms="Net 30",
        notes="synthetic",
    )


class Source:
    """N synthetic companies, read in pages of 1,000 (ids and timestamps ascending)."""

    system = "a"
    object = "customer"
    integration_user = None
    has_delete_feed = False

    def __init__(self, n: int) -> None:
        self.n = n
        self.calls = 0

    @property
    def api_calls(self) -> dict[str, int]:
        return {"a": self.calls}

    def read_changes(self, since: datetime | None, page_token: str | None) -> ChangePage:
        self.calls += 1
        start = int(page_token or 0)
        if since is not None:
            start = max(start, int((since - T0).total_seconds()))
        end = min(start + PAGE, self.n)
        records = [
            RemoteRecord(id=str(i), version="1", updated_at=T0 + timedelta(seconds=i), data=i)
            for i in range(start, end)
        ]
        return ChangePage(records=records, next_token=str(end) if end < self.n else None)

    def fetch(self, ids: Sequence[str]) -> list[RemoteRecord]:
        self.calls += 1
        return [
            RemoteRecord(id=i, version="1", updated_at=T0 + timedelta(seconds=int(i)), data=int(i))
            for i in ids
        ]

    def list_ids(self) -> list[str]:
        return [str(i) for i in range(self.n)]


class Target:
    """Accepts everything (30 writes per call) and finds again what it was written (by id): no match
    candidates, so every record of a first run is a create, and a rerun finds its linked targets."""

    system = "b"
    object = "customer"
    batch_size = 30

    def __init__(self) -> None:
        self.calls = 0

    @property
    def api_calls(self) -> dict[str, int]:
        return {"b": self.calls}

    def lookup(self, request: LookupRequest) -> list[RemoteRecord]:
        self.calls += 1
        return [RemoteRecord(id=i, version="1", data=int(i[1:])) for i in request.ids if i.startswith("t")]

    def write(self, ops: Sequence[WriteOp]) -> list[WriteResult]:
        self.calls += 1
        return [WriteResult(key=op.key, id=f"t{op.source.id}", version="1") for op in ops]

    def settle(self, intents: Sequence[Intent]) -> list[RemoteRecord | None]:
        return [None for _ in intents]


@attrs.frozen
class Mapper:
    to_canonical: Any
    from_canonical: Any
    reads: frozenset[str] = frozenset({"name", "email", "phone", "website", "terms", "notes"})
    writes: frozenset[str] = frozenset({"name", "email", "phone", "website", "terms", "notes"})


def _flow(n: int) -> Flow:
    return Flow(
        name="bench",
        source=Source(n),
        target=Target(),
        source_mapper=Mapper(lambda i, _cfg: _customer(i), lambda c, _cfg: {"Name": c.name}),
        target_mapper=Mapper(lambda i, _cfg: _customer(i, "b"), lambda c, _cfg: {"DisplayName": c.name}),
        match=(by_link(), by_email(), by_name()),
        overlap=timedelta(0),
    )


def _planner_us_per_record(pages: int = 10) -> float:
    flow = _flow(PAGE)
    spec = Spec.of(flow)
    incoming = [
        Incoming(ref=ExternalRef("a", "customer", str(i), "1"), record=_customer(i)) for i in range(PAGE)
    ]
    started = time.process_time()
    for _ in range(pages):
        plan_records(spec, incoming, {}, {})
    return (time.process_time() - started) / (pages * PAGE) * 1e6


def _store_us_per_record(folder: Path, pages: int = 5) -> float:
    store = SQLiteStateStore(folder / "store.db")
    elapsed = 0.0
    for page in range(pages):
        changes = StateChanges(flow="bench")
        for i in range(page * PAGE, (page + 1) * PAGE):
            source, target = ExternalRef("a", "customer", str(i)), ExternalRef("b", "customer", f"t{i}")
            changes.links += [(f"e{i}", source), (f"e{i}", target)]
            changes.written.append((target, "1"))
            for side in (source, target):
                changes.ledger += [
                    LedgerRow(side.system, "customer", side.id, f, f"h{i}")
                    for f in ("name", "email", "phone")
                ]
            changes.journal.append((f"k{i}", "done"))
            changes.processed.append((str(i), "1"))
        started = time.process_time()
        store.commit(changes)
        elapsed += time.process_time() - started
    store.close()
    return elapsed / (pages * PAGE) * 1e6


def _run(n: int, folder: Path, *, traced: bool) -> tuple[float, float, float]:
    """(CPU us per record of the first run, peak MiB of it, CPU us per record of a no-change rerun)."""
    store = SQLiteStateStore(folder / f"run-{n}-{traced}.db")
    flow = _flow(n)
    if traced:
        tracemalloc.start()
    started = time.process_time()
    report = sync_run(flow, state=store)
    first = (time.process_time() - started) / n * 1e6
    peak = 0.0
    if traced:
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    assert report.writes == n, report
    assert dict(report.api_calls) == {
        "a": -(-n // PAGE),
        "b": -(-n // PAGE) + sum(-(-min(PAGE, n - s) // 30) for s in range(0, n, PAGE)),
    }
    store.reset("bench")
    started = time.process_time()
    again = sync_run(flow, state=store)
    rerun = (time.process_time() - started) / n * 1e6
    assert again.writes == 0, again
    assert again.counts["skip"] == n, again  # echoes: found linked, nothing to write
    store.close()
    return first, peak, rerun


def run_benchmarks(sizes: tuple[int, ...] = (10_000, 100_000)) -> list[Result]:
    """Every sync benchmark (also callable with smaller sizes from a test)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        results = [
            Result(
                "sync: planner CPU per record (pure, pages of 1,000)", _planner_us_per_record(), "us", 150
            ),
            Result("sync: SQLite state store commit CPU per record", _store_us_per_record(folder), "us", 150),
        ]
        peaks = {}
        for n in sizes:
            first, _, rerun = _run(n, folder, traced=False)
            _, peaks[n], _ = _run(n, folder, traced=True)
            results += [
                Result(f"sync: first run CPU per record, {n:,} records", first, "us", 1000),
                Result(f"sync: no-change rerun CPU per record, {n:,} records", rerun, "us", 500),
                Result(f"sync: first run peak memory, {n:,} records", peaks[n], "MiB", 256),
            ]
        small, large = min(sizes), max(sizes)
        if large > small:
            results.append(
                Result(
                    f"sync: peak memory {large:,} / {small:,} records", peaks[large] / peaks[small], "x", 1.5
                )
            )
        return results


def run() -> list[Result]:
    """The benchmark entry point for ``python -m benchmarks``."""
    return run_benchmarks()
