"""Flows run page by page in turn (``run_together``) over one shared source (``SharedPages``).

Two flows copy system ``a`` into ``b`` and into ``c``. Run in turn, they read each page of ``a`` once
(the shared source holds the newest page only), and end exactly as the two flows run one after the
other with their own sources: same records in ``b`` and ``c``, same links, same reports. A crash in
the middle of the turns (raised in process, and SIGKILL of a child whose systems live in files) is
resumed by running them in turn again: nothing twice, nothing lost.
"""

from __future__ import annotations

import asyncio
import random
from pathlib import Path
from typing import Any

import attrs
import pytest

from msplink.errors import AuthenticationError, SyncError
from msplink.sync import (
    Flow,
    MemoryStateStore,
    SQLiteStateStore,
    StateStore,
    arun_together,
    by_email,
    by_link,
    run,
    run_together,
)
from msplink.sync.adapters import AsyncSharedPages, SharedPages, in_turns, shared_pages
from tests.sync._crash import sigkilled, world_snapshot
from tests.sync._world import AsyncMemoryAdapter, Crash, MemoryAdapter, MemorySystem, customer_mapper

RECORDS, PAGE = 23, 5
PAGES = 5
"""Pages of ``a`` a full read takes (23 records, 5 a page)."""


def systems(path: Path | None = None) -> tuple[MemorySystem, MemorySystem, MemorySystem]:
    a, b, c = (MemorySystem(n, path=path / f"{n}.json" if path else None) for n in "abc")
    for n in range(RECORDS):
        a.add(name=f"Company {n:02d}", email=f"ops@company{n:02d}.example", phone=f"555-01{n:02d}")
    return a, b, c


def flows(a: MemorySystem, b: MemorySystem, c: MemorySystem, source: Any = None) -> list[Flow]:
    """a -> b and a -> c; ``source``: one source for both (else each reads ``a`` itself)."""

    def one(name: str, target: MemorySystem) -> Flow:
        return Flow(
            name=name,
            source=source or MemoryAdapter(a, integration_user="msplink", page_size=PAGE),
            target=MemoryAdapter(target, batch_size=3),
            source_mapper=customer_mapper("a"),
            target_mapper=customer_mapper(target.name),
            match=(by_link(), by_email()),
        )

    return [one("a-to-b", b), one("a-to-c", c)]


def links(store: StateStore, a: MemorySystem, target: str) -> set[tuple[str, str]]:
    pairs = store.pairs(("a", "customer"), (target, "customer"))
    return {(a.records[s]["Name"], t) for s, t in pairs}


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    if request.param == "memory":
        yield MemoryStateStore()
    else:
        with SQLiteStateStore(tmp_path / "state.db") as sqlite:
            yield sqlite


def _expected() -> tuple[Any, Any, set[Any], set[Any]]:
    a, b, c = systems()
    state = MemoryStateStore()
    for flow in flows(a, b, c):
        run(flow, state=state)
    return world_snapshot(b), world_snapshot(c), links(state, a, "b"), links(state, a, "c")


def test_flows_in_turn_read_each_shared_page_once_and_end_as_run_one_after_the_other(
    store: StateStore,
) -> None:
    a, b, c = systems()
    order: list[str] = []

    class Logged(MemoryAdapter):
        def write(self, ops: Any) -> Any:
            order.append(self.memory.name)
            return super().write(ops)

    pages = SharedPages(MemoryAdapter(a, integration_user="msplink", page_size=PAGE))
    together = [
        attrs.evolve(f, target=Logged(t, batch_size=3))
        for f, t in zip(flows(a, b, c, pages), (b, c), strict=True)
    ]
    reports = run_together(together, state=store)
    assert (world_snapshot(b), world_snapshot(c), links(store, a, "b"), links(store, a, "c")) == _expected()
    assert a.calls["read"] == PAGES and pages.served == PAGES  # each page read once, answered twice
    assert [r.outcome_counts["created"] for r in reports] == [RECORDS, RECORDS]
    # the calls of each flow's own turns: together every call, none twice
    assert sum(r.api_calls.get("a", 0) for r in reports) == sum(a.calls.values())
    assert [r.api_calls.get("b", 0) for r in reports] == [sum(b.calls.values()), 0]
    assert [r.api_calls.get("c", 0) for r in reports] == [0, sum(c.calls.values())]
    # page by page in turn: each page's batches to b, then to c (5, 5, 5, 5 and 3 records; 3 a batch)
    assert order == [
        name for size in (5, 5, 5, 5, 3) for name in ("b",) * -(-size // 3) + ("c",) * -(-size // 3)
    ]

    a.edit(next(iter(a.records)), phone="555-0199")
    again = run_together(flows(a, b, c, SharedPages(MemoryAdapter(a, page_size=PAGE))), state=store)
    assert [r.writes for r in again] == [1, 1]


def test_the_async_twin_reads_each_page_once_and_ends_the_same() -> None:
    a, b, c = systems()
    pages = shared_pages(AsyncMemoryAdapter(MemoryAdapter(a, integration_user="msplink", page_size=PAGE)))
    assert isinstance(pages, AsyncSharedPages)
    state = MemoryStateStore()

    def to_async(flow: Flow, target: MemorySystem) -> Flow:
        return attrs.evolve(
            flow, source=pages, target=AsyncMemoryAdapter(MemoryAdapter(target, batch_size=3))
        )

    together = [to_async(f, t) for f, t in zip(flows(a, b, c, pages), (b, c), strict=True)]
    reports = asyncio.run(arun_together(together, state=state))
    assert (world_snapshot(b), world_snapshot(c), links(state, a, "b"), links(state, a, "c")) == _expected()
    assert a.calls["read"] == PAGES and [r.outcome_counts["created"] for r in reports] == [RECORDS, RECORDS]


def test_flows_with_their_own_sources_read_every_page_each() -> None:
    a, b, c = systems()
    state = MemoryStateStore()
    run_together(flows(a, b, c), state=state)
    assert a.calls["read"] == 2 * PAGES
    assert (world_snapshot(b), world_snapshot(c), links(state, a, "b"), links(state, a, "c")) == _expected()


def test_in_turns_groups_consecutive_flows_over_one_shared_source() -> None:
    a, b, c = systems()
    pages = SharedPages(MemoryAdapter(a, page_size=PAGE))
    first, second = flows(a, b, c, pages)
    alone, other = flows(a, b, c)
    assert in_turns([alone, first, second, other]) == [[alone], [first, second], [other]]


@pytest.mark.parametrize("nth", [1, 4, 7])
def test_a_crash_between_turns_is_resumed_by_running_them_in_turn_again(nth: int, tmp_path: Path) -> None:
    a, b, c = systems()
    c.crash("write_after", nth)  # c's nth batch landed, its page not yet committed
    with SQLiteStateStore(tmp_path / "state.db") as store, pytest.raises(Crash):
        run_together(flows(a, b, c, SharedPages(MemoryAdapter(a, page_size=PAGE))), state=store)
    with SQLiteStateStore(tmp_path / "state.db") as store:  # a fresh connection, as after a restart
        run_together(flows(a, b, c, SharedPages(MemoryAdapter(a, page_size=PAGE))), state=store)
        assert (
            world_snapshot(b),
            world_snapshot(c),
            links(store, a, "b"),
            links(store, a, "c"),
        ) == _expected()
        assert [r.writes for r in run_together(flows(a, b, c), state=store)] == [0, 0]


def test_a_flow_failing_for_good_stops_the_turns_and_both_keep_what_they_committed() -> None:
    a, b, c = systems()
    c.write_error = AuthenticationError("revoked", platform="c", status_code=401)
    state = MemoryStateStore()
    with pytest.raises(SyncError):
        run_together(flows(a, b, c, SharedPages(MemoryAdapter(a, page_size=PAGE))), state=state)
    assert len(b.records) == PAGE and not c.records  # b's first page committed, c wrote nothing
    c.write_error = None
    run_together(flows(a, b, c, SharedPages(MemoryAdapter(a, page_size=PAGE))), state=state)  # leases free
    assert (world_snapshot(b), world_snapshot(c), links(state, a, "b"), links(state, a, "c")) == _expected()


@pytest.mark.parametrize(
    ("system", "point", "nth"), [("c", "write_mid", 3), ("a", "read", 3), ("b", "lookup", 4)]
)
def test_sigkill_while_flows_run_in_turn_then_a_rerun_ends_exactly(
    system: str, point: str, nth: int, tmp_path: Path
) -> None:
    a, b, c = systems(tmp_path)
    for s in (a, b, c):
        s.save()
    sigkilled("-m", "tests.sync._together_child", str(tmp_path), system, point, str(nth))
    a, b, c = (MemorySystem.load(tmp_path / f"{n}.json") for n in "abc")
    with SQLiteStateStore(tmp_path / "state.db") as store:
        run_together(flows(a, b, c, SharedPages(MemoryAdapter(a, page_size=PAGE))), state=store)
        assert (
            world_snapshot(b),
            world_snapshot(c),
            links(store, a, "b"),
            links(store, a, "c"),
        ) == _expected()


@pytest.mark.parametrize("seed", [3, 8])
def test_faults_in_both_targets_while_in_turn_end_exactly_after_the_retry(seed: int, tmp_path: Path) -> None:
    """Rate limits, 5xx and lost answers in ``b`` and ``c`` while the flows take turns: what failed is
    a dead letter of its own flow; the retry run ends exactly as the uninterrupted flows, nothing twice."""
    a, b, c = systems()
    for n, target in enumerate((b, c)):
        target.chaos, target.chaos_rate = random.Random(seed + n), 0.15
    with SQLiteStateStore(tmp_path / "state.db") as store:
        first = run_together(flows(a, b, c, SharedPages(MemoryAdapter(a, page_size=PAGE))), state=store)
        assert sum(r.outcome_counts["failed"] for r in first) == len(store.dead_letters()) > 0
        b.chaos_rate = c.chaos_rate = 0.0
        run_together(
            flows(a, b, c, SharedPages(MemoryAdapter(a, page_size=PAGE))),
            state=store,
            retry_dead_letters=True,
        )
        assert store.dead_letters() == []
        expected_b, expected_c, _, _ = _expected()
        assert (world_snapshot(b), world_snapshot(c)) == (
            expected_b,
            expected_c,
        )  # nothing twice, nothing lost
        for target in (b, c):  # server ids follow the order the retries landed in: links compared by name
            named = {(name, target.records[t]["Name"]) for name, t in links(store, a, target.name)}
            assert named == {(r["Name"], r["Name"]) for r in a.records.values()}
