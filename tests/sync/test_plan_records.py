"""A target's ``plan_records``: source pages gathered into one planned page (issue 18).

A target that writes many records per call (Salesforce: five collections of 200 in one
``POST /composite``) declares how many source records it wants planned together; the engine reads
source pages until it holds that many, then plans, journals, writes and commits them as one page. The
invariants are the page's: nothing of a gathered page is committed before all of it is written, a
crash inside it is resumed exactly, and the end state does not depend on how pages were gathered.
"""

from __future__ import annotations

import asyncio
import copy
import random
import textwrap
from pathlib import Path
from typing import Any

import attrs
import pytest

from msplink.sync import (
    ChangePage,
    MemoryStateStore,
    SQLiteStateStore,
    StateStore,
    Watermark,
    arun,
    run,
    run_together,
)
from msplink.sync.adapters import SharedPages
from tests.sync._crash import sigkilled
from tests.sync._world import Crash, MemoryAdapter, MemorySystem
from tests.sync.conftest import World
from tests.sync.test_async import async_twin

RECORDS = 25

_CHILD = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from msplink.sync import SQLiteStateStore, run
    from tests.sync._world import MemorySystem
    from tests.sync.conftest import World

    work, point, nth = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    world = World(MemorySystem.load(work / "a.json"), MemorySystem.load(work / "b.json"))
    world.b.on_crash = lambda _point: os.kill(os.getpid(), signal.SIGKILL)
    world.b.crash(point, nth)
    with SQLiteStateStore(work / "state.db") as store:
        run(world.forward(page_size=10, batch_size=4, plan_records=20), state=store)
    sys.exit(3)  # the point was never reached
    """
)


def _seed(world: World, overlap: bool = False) -> None:
    for n in range(RECORDS):
        world.a.add(name=f"Company {n:02d}", email=f"c{n}@company{n}.com")
    if overlap:  # some already in b under another spelling: links and updates, not creates
        for n in range(0, RECORDS, 4):
            world.b.add(name=f"COMPANY {n:02d} LLC", email=f"c{n}@company{n}.com")


def _copy(world: World) -> World:
    twin = World(MemorySystem("a"), MemorySystem("b"))
    for mine, theirs in ((twin.a, world.a), (twin.b, world.b)):
        mine.records, mine.next_id, mine.clock = copy.deepcopy(theirs.records), theirs.next_id, theirs.clock
    return twin


def _names(system: MemorySystem) -> list[tuple[str, str]]:
    return sorted((r["Name"], r["Email"]) for r in system.records.values())


def _newest(system: MemorySystem, count: int) -> Watermark:
    """The watermark of the ``count``-th record in ``(updated_at, id)`` order."""
    rows = sorted((r["Updated"], r["Id"]) for r in system.records.values())
    updated, rid = rows[count - 1]
    return Watermark(updated_at=updated, id=rid)


def test_source_pages_are_gathered_to_plan_records_and_written_together(
    world: World, store: StateStore
) -> None:
    _seed(world)
    report = run(world.forward(page_size=10, batch_size=4, plan_records=20), state=store)
    assert report.writes == RECORDS
    # three pages read; planned as 20 (two pages) and 5: one look-up each, ceil(n / 4) write batches
    assert dict(world.a.calls) == {"read": 3}
    assert dict(world.b.calls) == {"lookup": 2, "write": 5 + 2}
    assert report.api_calls == {"a": 3, "b": 9}


def test_without_plan_records_each_source_page_is_planned_alone(world: World, store: StateStore) -> None:
    _seed(world)
    run(world.forward(page_size=10, batch_size=4), state=store)
    assert dict(world.b.calls) == {"lookup": 3, "write": 3 + 3 + 2}


@pytest.mark.parametrize("plan_records", [1, 7, 10, 23, 1000])
def test_the_end_state_does_not_depend_on_how_pages_are_gathered(plan_records: int) -> None:
    reference = World(MemorySystem("a"), MemorySystem("b"))
    _seed(reference, overlap=True)
    world = _copy(reference)
    expected_state, state = MemoryStateStore(), MemoryStateStore()
    expected = run(reference.forward(page_size=5, batch_size=3), state=expected_state)
    report = run(world.forward(page_size=5, batch_size=3, plan_records=plan_records), state=state)
    assert world.b.snapshot() == reference.b.snapshot()
    assert (report.counts, report.writes) == (expected.counts, expected.writes)
    assert state.watermark("a-to-b") == expected_state.watermark("a-to-b") == _newest(world.a, RECORDS)
    assert [c.source.id for c in state.conflicts()] == [c.source.id for c in expected_state.conflicts()]
    assert run(world.forward(page_size=5, batch_size=3, plan_records=plan_records), state=state).writes == 0


@pytest.mark.parametrize(("point", "nth", "landed"), [("write_before", 6, 20), ("write_after", 6, 24)])
def test_a_crash_inside_a_gathered_page_commits_none_of_it_and_the_rerun_ends_exactly(
    world: World, store: StateStore, point: str, nth: int, landed: int
) -> None:
    _seed(world)
    reference = _copy(world)
    run(reference.forward(page_size=10, batch_size=4, plan_records=20), state=MemoryStateStore())
    flow = world.forward(page_size=10, batch_size=4, plan_records=20)
    world.b.crash(point, nth)  # the sixth batch: the first of the second planned page (5 + 1)
    with pytest.raises(Crash):
        run(flow, state=store)
    assert len(world.b.records) == landed
    # the first planned page (two source pages) is committed, nothing of the second
    assert store.watermark(flow.name) == _newest(world.a, 20)
    assert len(store.pending(flow.name)) == RECORDS - 20  # journalled before the first write of the page
    again = run(flow, state=store)
    assert world.b.snapshot() == reference.b.snapshot()
    assert again.writes == RECORDS - landed
    assert run(flow, state=store).writes == 0


class _Unordered:
    """A source paged in another order than ``(updated_at, id)`` (ConnectWise's forward-only paging)."""

    def __init__(self, inner: MemoryAdapter) -> None:
        self.inner = inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def read_changes(self, since: Any, page_token: str | None) -> ChangePage:
        return attrs.evolve(self.inner.read_changes(since, page_token), ordered=False)


def test_an_unordered_read_moves_the_watermark_only_once_it_is_complete(
    world: World, store: StateStore
) -> None:
    _seed(world)
    reference = _copy(world)
    run(reference.forward(page_size=10, batch_size=4, plan_records=20), state=MemoryStateStore())
    flow = world.forward(page_size=10, batch_size=4, plan_records=20)
    flow = attrs.evolve(flow, source=_Unordered(flow.source))  # type: ignore[arg-type]
    world.b.crash("write_before", 6)
    with pytest.raises(Crash):
        run(flow, state=store)
    assert len(world.b.records) == 20 and store.watermark(flow.name) is None  # the read did not complete
    again = run(flow, state=store)
    assert world.b.snapshot() == reference.b.snapshot()
    assert again.writes == RECORDS - 20  # the 20 written are dropped as processed, not written again
    assert store.watermark(flow.name) == _newest(world.a, RECORDS)


def test_the_async_driver_gathers_the_same_pages(world: World) -> None:
    _seed(world)
    reference = _copy(world)
    run(reference.forward(page_size=10, batch_size=4, plan_records=20), state=MemoryStateStore())
    flow = world.forward(page_size=10, batch_size=4, plan_records=20)
    flow = async_twin(flow)
    report = asyncio.run(arun(flow, state=MemoryStateStore()))
    assert report.writes == RECORDS
    assert dict(world.b.calls) == {"lookup": 2, "write": 5 + 2}
    assert world.b.snapshot() == reference.b.snapshot()


@pytest.mark.parametrize(("point", "nth"), [("write_mid", 3), ("write_after", 6), ("write_mid", 6)])
def test_sigkill_inside_a_gathered_page_then_a_rerun_ends_exactly(
    tmp_path: Path, point: str, nth: int
) -> None:
    """The process dies mid-batch or after a batch landed, inside the first or the second gathered
    page; the systems keep what was written (saved after every change, like a platform)."""
    world = World(MemorySystem("a", path=tmp_path / "a.json"), MemorySystem("b", path=tmp_path / "b.json"))
    _seed(world)
    world.a.save()
    world.b.save()
    reference = _copy(world)
    run(reference.forward(page_size=10, batch_size=4, plan_records=20), state=MemoryStateStore())
    sigkilled("-c", _CHILD, str(tmp_path), point, str(nth))
    world = World(MemorySystem.load(tmp_path / "a.json"), MemorySystem.load(tmp_path / "b.json"))
    with SQLiteStateStore(tmp_path / "state.db") as store:
        committed = store.watermark("a-to-b")
        run(world.forward(page_size=10, batch_size=4, plan_records=20), state=store)
        assert store.pending("a-to-b") == [] and run(world.forward(plan_records=20), state=store).writes == 0
    # killed in the first gathered page (batches 1-5): nothing committed; in the second: the first
    assert committed == (None if nth <= 5 else _newest(world.a, 20))
    assert world.b.snapshot() == reference.b.snapshot() and len(world.b.records) == RECORDS


def test_flows_run_in_turn_gather_to_the_largest_plan_records_and_read_each_page_once() -> None:
    """Of two flows over one shared source, only b's target gathers (10 records); both plan on the
    same boundaries, so c never plans a page b has only read (a flow needing the other's writes, as
    tasks need their invoices, finds them written)."""
    world = World(MemorySystem("a"), MemorySystem("c"))
    _seed(world)
    b = MemorySystem("b")
    pages = SharedPages(MemoryAdapter(world.a, integration_user="msplink", page_size=5))
    order: list[str] = []

    class Logged(MemoryAdapter):
        def write(self, ops: Any) -> Any:
            order.append(f"{self.memory.name}{len(ops)}")
            return super().write(ops)

    def flow(name: str, target: MemoryAdapter) -> Any:
        return attrs.evolve(world.forward(name=name), source=pages, target=target)

    gathering, plain = Logged(b, batch_size=10, plan_records=10), Logged(world.b, batch_size=10)
    reports = run_together([flow("a-to-b", gathering), flow("a-to-c", plain)], state=MemoryStateStore())
    assert [r.outcome_counts["created"] for r in reports] == [RECORDS, RECORDS]
    assert world.a.calls["read"] == 5 and pages.served == 5  # 25 records, 5 a page: each page read once
    # planned pages of 10, 10 and 5 records, each written to b, then to c
    assert order == ["b10", "c10", "b10", "c10", "b5", "c5"]
    assert dict(b.calls) == dict(world.b.calls) == {"lookup": 3, "write": 3}


@pytest.mark.parametrize("seed", [1, 2])
def test_under_random_faults_gathered_pages_converge_exactly(store: StateStore, seed: int) -> None:
    """Batches refused, items throttled, connections dropped after writing, settlement failing, inside
    gathered pages: after ``retry_dead_letters`` the target equals a fault-free run's, record for
    record, with nothing written twice."""
    world = World(MemorySystem("a"), MemorySystem("b"))
    for n in range(120):
        world.a.add(name=f"Company {n:03d}", email=f"c{n}@company{n}.com")
    for n in range(0, 120, 7):
        world.b.add(name=f"COMPANY {n:03d} LLC", email=f"c{n}@company{n}.com")
    clean = _copy(world)
    run(clean.forward(page_size=10, batch_size=6, plan_records=35), state=MemoryStateStore())

    world.b.chaos, world.b.chaos_rate = random.Random(seed), 0.15
    flow = world.forward(page_size=10, batch_size=6, plan_records=35)
    first = run(flow, state=store)
    assert first.outcome_counts["failed"] == len(store.dead_letters())
    world.b.chaos_rate = 0.0
    run(flow, state=store, retry_dead_letters=True)
    assert store.dead_letters() == [] and store.pending(flow.name) == []
    assert _names(world.b) == _names(clean.b) and len(world.b.records) == len(clean.b.records) == 120
    assert run(flow, state=store).writes == 0
