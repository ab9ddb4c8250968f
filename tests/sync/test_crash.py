"""Crash safety (SYNC.md invariants 1-3): a run that dies at any point, rerun, ends exactly where an
uninterrupted run ends, with no duplicates.

Each point is tried twice: by raising out of the run (the state store is then reopened from a fresh
connection, the crashed one is never used again), and by SIGKILL of a child process whose
"remote" systems live in files, exactly as a real platform keeps its data when a client dies.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from msplink.sync import SQLiteStateStore
from tests.sync._crash import (
    POINTS,
    baseline,
    crash_in_process,
    edit,
    resume,
    run_phase,
    seed,
    sigkilled,
    state_snapshot,
    world_snapshot,
)
from tests.sync._world import MemorySystem

IDS = [f"phase{p}-{w}-{pt.replace(':', '-')}-{n}" for p, w, pt, n in POINTS]
# SIGKILL costs a process start (~1 s): three points run by default, all of them with MSPLINK_SLOW=1.
QUICK_KILLS = {(1, "b", "write_mid", 1), (1, "store", "commit:before", 1), (2, "b", "write_after", 1)}
KILLS = [
    pytest.param(*p, id=i, marks=() if p in QUICK_KILLS else pytest.mark.slow)
    for p, i in zip(POINTS, IDS, strict=True)
]


@pytest.fixture(scope="module")
def expected(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any, Any]:
    return baseline(tmp_path_factory.mktemp("baseline"))


def test_the_scenario_writes_creates_updates_and_conflicts(expected: tuple[Any, Any, Any]) -> None:
    _, b, state = expected
    assert len(b) == 14  # 4 already there + 9 created in phase 1 + 1 created in phase 2
    assert max(Counter(row[0] for row in b).values()) == 1
    by_name = {row[0]: row for row in b}
    assert by_name["Company 02"][2] == "333"  # the owned field flowed
    assert by_name["Company 03"][1] == "three@company3.com"  # changed in a only: flowed
    assert by_name["Company Five"][1] == "c5@company5.com"  # contested name: b's stays
    assert by_name["Company 01"][1] == "C1@company1.com"  # the same address in another case: left as is
    # first links with differing REVIEW fields, and the contested rename, wait for a person (not the
    # e-mail addresses that differ only in case: Flow.same)
    assert [(c[0], c[1], c[2]) for c in state["conflicts"]] == [
        ("field", "name", "Company 00"),
        ("field", "name", "Company 05 Renamed"),
        ("field", "notes", "Company 02"),
        ("field", "terms", "Company 00"),
        ("field", "terms", "Company 01"),
        ("field", "terms", "Company 02"),
        ("field", "website", "Company 01"),
    ]
    assert len(state["identity"]) == 13
    assert state["leases"] == []
    assert [status for _, _, status in state["journal"]] == ["done"] * 13  # 10 writes, then 3


@pytest.mark.parametrize(("phase", "where", "point", "nth"), POINTS, ids=IDS)
def test_a_crash_at_each_point_then_a_rerun_ends_as_an_uninterrupted_run(
    tmp_path: Path, expected: tuple[Any, Any, Any], phase: int, where: str, point: str, nth: int
) -> None:
    assert crash_in_process(tmp_path, phase, where, point, nth) == expected


@pytest.mark.parametrize(("phase", "where", "point", "nth"), KILLS)
def test_sigkill_at_each_point_then_a_rerun_ends_as_an_uninterrupted_run(
    tmp_path: Path, expected: tuple[Any, Any, Any], phase: int, where: str, point: str, nth: int
) -> None:
    a, b = MemorySystem("a", path=tmp_path / "a.json"), MemorySystem("b", path=tmp_path / "b.json")
    seed(a, b)
    if phase == 2:
        with SQLiteStateStore(tmp_path / "state.db") as store:
            run_phase(a, b, store)
        edit(a, b)
    a.save()
    b.save()
    sigkilled("-m", "tests.sync._sigkill_child", str(tmp_path), str(phase), where, point, str(nth))
    a, b = MemorySystem.load(tmp_path / "a.json"), MemorySystem.load(tmp_path / "b.json")
    resume(a, b, tmp_path / "state.db", phase)
    assert (world_snapshot(a), world_snapshot(b), state_snapshot(tmp_path / "state.db", a, b)) == expected
