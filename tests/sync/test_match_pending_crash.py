"""Records waiting for the flow the other way's match conflict (``MatchPendingError``) under crashes
and faults (SYNC.md invariants 1-5): a run that dies at any point of the flow holding them, or whose
writes fail at random, ends, once rerun, exactly where an uninterrupted sequence ends (full snapshots
of both systems and of the state store), with nothing written twice and no record linked by flow
order.

The sequence: a -> b asks which of two b records "Willow Pharmacy" is (a ``match`` conflict) and
creates six companies; b -> a keeps the two b records waiting (two pages apart) and creates five b-only
records; the person picks one; a -> b links it; b -> a, retrying its dead letters, updates a's record
from the chosen one and creates the other.
"""

from __future__ import annotations

import random
import textwrap
from pathlib import Path
from typing import Any

import pytest

from msplink.errors import SyncError
from msplink.sync import (
    Direction,
    FieldPolicy,
    Flow,
    Owner,
    SQLiteStateStore,
    StateStore,
    by_email,
    by_link,
    by_name,
    run,
)
from tests.sync._crash import arm, sigkilled, state_snapshot, world_snapshot
from tests.sync._world import Crash, MemoryAdapter, MemorySystem, customer_mapper

BACKWARD, RETRY = 1, 3
"""The steps of :func:`step` that run b -> a (the flow holding the waiting records)."""


def seed(a: MemorySystem, b: MemorySystem) -> None:
    a.add(name="Willow Pharmacy")
    for n in range(6):
        a.add(name=f"Company {n}", email=f"c{n}@company{n}.test")
    b.add(name="Willow Pharmacy Corp.")  # b:1, page 1 of b -> a
    b.add(name="Only B 0", email="b0@only.test")
    b.add(name="willow pharmacy corp.")  # b:3, page 2
    for n in range(1, 5):
        b.add(name=f"Only B {n}", email=f"b{n}@only.test")


def flows(a: MemorySystem, b: MemorySystem) -> tuple[Flow, Flow]:
    forward = Flow(
        name="a-to-b",
        source=MemoryAdapter(a, integration_user="msplink", page_size=3),
        target=MemoryAdapter(b, batch_size=2),
        source_mapper=customer_mapper("a"),
        target_mapper=customer_mapper("b"),
        direction=Direction.TWO_WAY,
        match=(by_link(), by_email(), by_name()),
        policies=(FieldPolicy("name", Owner.TARGET),),
    )
    backward = forward.reversed(
        name="b-to-a",
        source=MemoryAdapter(b, integration_user="msplink", page_size=2),
        target=MemoryAdapter(a, batch_size=2),
    )
    return forward, backward


def step(n: int, a: MemorySystem, b: MemorySystem, store: StateStore) -> int:
    """Run step ``n`` of the sequence; return its writes."""
    forward, backward = flows(a, b)
    if n == 0:
        return run(forward, state=store).writes
    if n == BACKWARD:
        return run(backward, state=store).writes
    if n == 2:
        [question] = [c for c in store.conflicts(None) if c.kind == "match"]
        if question.status == "open":
            [chosen] = [rid for rid, r in b.records.items() if r["Name"] == "Willow Pharmacy Corp."]
            store.resolve_conflict(question.id or 0, take=chosen)
        return run(forward, state=store).writes
    return run(backward, state=store, retry_dead_letters=True).writes


def finish(a: MemorySystem, b: MemorySystem, path: Path, after: int) -> tuple[Any, ...]:
    """Run the steps after ``after`` on a store opened afresh; check a further round writes nothing;
    return the full snapshots."""
    with SQLiteStateStore(path) as store:
        for n in range(after + 1, RETRY + 1):
            step(n, a, b, store)
        forward, backward = flows(a, b)
        assert [run(f, state=store).writes for f in (forward, backward)] == [0, 0]
        assert store.dead_letters() == [] and store.conflicts() == []
    return world_snapshot(a), world_snapshot(b), state_snapshot(path, a, b)


@pytest.fixture(scope="module")
def expected(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, ...]:
    a, b = MemorySystem("a"), MemorySystem("b")
    seed(a, b)
    path = tmp_path_factory.mktemp("baseline") / "state.db"
    with SQLiteStateStore(path) as store:
        writes = [step(n, a, b, store) for n in range(RETRY + 1)]
        waiting = [(d.source.id, d.error_type) for d in store.dead_letters()]
    assert writes == [6, 5, 0, 2] and waiting == []
    return finish(a, b, path, RETRY)


def test_the_sequence_links_the_chosen_record_and_creates_the_other(expected: tuple[Any, ...]) -> None:
    a, b, state = expected
    assert [row[0] for row in a].count("willow pharmacy corp.") == 1  # b:3, created once
    assert [row[0] for row in a].count("Willow Pharmacy Corp.") == 1  # a:1, its name from b:1
    assert len(a) == 7 + 5 + 1 and len(b) == 7 + 6
    assert [(*c[:2], c[-1]) for c in state["conflicts"]] == [("match", "$match", "applied")]
    assert state["dead_letters"] == [] and state["leases"] == []


POINTS = (
    (BACKWARD, "a", "write_before", 1),  # the first create batch reached a, nothing of it applied
    (BACKWARD, "a", "write_mid", 1),  # half of the two-create batch (page 3) applied
    (BACKWARD, "a", "write_after", 3),  # the last batch applied, its answer lost
    (BACKWARD, "store", "journal:after", 1),  # intents journalled, nothing written
    (BACKWARD, "store", "commit:before", 1),  # page 1 (b:1 waiting, Only B 0 created) not recorded
    (BACKWARD, "store", "commit:before", 2),  # page 2 (b:3 waiting) not recorded
    (RETRY, "a", "write_mid", 1),  # the update of a:1 applied, the create of b:3 not
    (RETRY, "a", "write_after", 1),  # both applied, the answer lost
    (RETRY, "store", "commit:before", 1),  # written, the dead letters not cleared
)
IDS = [f"step{s}-{w}-{p.replace(':', '-')}-{n}" for s, w, p, n in POINTS]


@pytest.mark.parametrize(("at", "where", "point", "nth"), POINTS, ids=IDS)
def test_a_crash_at_each_point_then_a_rerun_ends_as_the_uninterrupted_sequence(
    tmp_path: Path, expected: tuple[Any, ...], at: int, where: str, point: str, nth: int
) -> None:
    a, b = MemorySystem("a"), MemorySystem("b")
    seed(a, b)
    path = tmp_path / "state.db"
    store = SQLiteStateStore(path)
    for n in range(at):
        step(n, a, b, store)
    armed = arm(a, b, store, where, point, nth)
    with pytest.raises(Crash):
        step(at, a, b, armed)
    del armed, store  # the crashed process's connection is never used again
    a.crash_at.clear()
    b.crash_at.clear()
    assert finish(a, b, path, at - 1) == expected


_CHILD = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from msplink.sync import SQLiteStateStore
    from tests.sync._crash import arm
    from tests.sync._world import MemorySystem
    from tests.sync.test_match_pending_crash import step

    work, at, where, point, nth = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
    a, b = MemorySystem.load(work / "a.json"), MemorySystem.load(work / "b.json")
    a.on_crash = b.on_crash = lambda _point: os.kill(os.getpid(), signal.SIGKILL)
    step(at, a, b, arm(a, b, SQLiteStateStore(work / "state.db"), where, point, nth))
    sys.exit(3)  # the point was never reached
    """
)


@pytest.mark.parametrize(
    ("at", "where", "point", "nth"),
    [
        (BACKWARD, "a", "write_mid", 1),
        (BACKWARD, "store", "commit:before", 2),
        (RETRY, "a", "write_after", 1),
    ],
    ids=["backward-write-mid", "backward-commit-page-2", "retry-write-after"],
)
def test_sigkill_at_a_point_then_a_rerun_ends_as_the_uninterrupted_sequence(
    tmp_path: Path, expected: tuple[Any, ...], at: int, where: str, point: str, nth: int
) -> None:
    a, b = MemorySystem("a", path=tmp_path / "a.json"), MemorySystem("b", path=tmp_path / "b.json")
    seed(a, b)
    with SQLiteStateStore(tmp_path / "state.db") as store:
        for n in range(at):
            step(n, a, b, store)
    a.save()
    b.save()
    sigkilled("-c", _CHILD, str(tmp_path), str(at), where, point, str(nth))
    a, b = MemorySystem.load(tmp_path / "a.json"), MemorySystem.load(tmp_path / "b.json")
    assert finish(a, b, tmp_path / "state.db", at - 1) == expected


@pytest.mark.parametrize("seed_", [3, 17])
def test_random_write_faults_then_retries_end_as_the_fault_free_sequence(
    tmp_path: Path, expected: tuple[Any, ...], seed_: int
) -> None:
    """Every write to a fails at random (5xx) in both b -> a runs; each exhausted failure is a dead
    letter beside the waiting ones, and retries bring the sequence to the fault-free end."""
    a, b = MemorySystem("a"), MemorySystem("b")
    seed(a, b)
    path = tmp_path / "state.db"
    with SQLiteStateStore(path) as store:
        step(0, a, b, store)
        a.chaos, a.chaos_rate = random.Random(seed_), 0.3
        for n in (BACKWARD, 2, RETRY):
            for _ in range(10):  # a settlement the faults break stops the run; the next one resumes
                try:
                    step(n, a, b, store)
                    break
                except SyncError:
                    continue
        failed = {d.error_type for d in store.dead_letters()}
        assert failed <= {"ServerError", "RateLimitError", "TransportError", "MatchPendingError"}
        a.chaos = None
        for _ in range(3):  # what failed is retried; nothing is written twice
            step(RETRY, a, b, store)
    got = finish(a, b, path, RETRY)
    assert got[:2] == expected[:2]  # both systems, exactly
    # the state exactly, but for which record of a's last second the a -> b watermark names: retries
    # reorder a's writes within it
    assert {k: v for k, v in got[2].items() if k != "watermarks"} == {
        k: v for k, v in expected[2].items() if k != "watermarks"
    }
