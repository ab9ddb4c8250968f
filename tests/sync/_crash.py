"""The crash scenario shared by the in-process crash tests and the SIGKILL child process.

Phase 1 syncs twelve companies into a target that already holds three of them (matched by e-mail,
with differing fields: updates and conflicts) plus one unrelated record; phase 2 edits both sides
and syncs again. A crash can be injected at a named point of either phase: in the target system
(``read``, ``lookup``, ``write_before``, ``write_mid``, ``write_after``, ``settle``, ``fetch``), in the
source system (``read``), or in the state store (``journal:after``, ``commit:before``,
``commit:after``, ``record_run:before``).
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from msplink.sync import (
    Direction,
    FieldPolicy,
    Flow,
    Owner,
    SQLiteStateStore,
    StateStore,
    by_email,
    by_link,
    run,
)
from tests.sync._world import Crash, MemoryAdapter, MemorySystem, customer_mapper

POINTS: tuple[tuple[int, str, str, int], ...] = (
    # (phase, where, point, nth)
    (1, "a", "read", 2),  # reading the second page
    (1, "b", "lookup", 1),  # after reading the first page, before its look-up
    (1, "store", "journal:after", 1),  # intents journalled, nothing written
    (1, "b", "write_before", 2),  # second batch reached the target, nothing of it applied
    (1, "b", "write_mid", 1),  # half of the first batch applied
    (1, "b", "write_after", 2),  # second batch applied, the answer lost with the process
    (1, "store", "commit:before", 1),  # first page written, its outcomes not recorded
    (1, "store", "commit:after", 2),  # second page committed, third not started
    (1, "store", "record_run:before", 1),  # everything done but the run log
    (2, "b", "write_mid", 1),  # an update batch half applied
    (2, "store", "commit:before", 1),  # updates written, outcomes not recorded
    (2, "b", "write_after", 1),  # updates applied, answer lost
)


class CrashingStore:
    """A state store that crashes when one of its methods is called for the ``nth`` time."""

    def __init__(
        self, inner: StateStore, spec: str, nth: int, on_crash: Callable[[str], None] | None = None
    ) -> None:
        self.inner = inner
        self.method, _, self.when = spec.partition(":")
        self.left = nth
        self.on_crash = on_crash

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self.inner, name)
        if name != self.method:
            return attribute

        def wrapped(*args: Any, **kwargs: Any) -> Any:
            self.left -= 1
            crash = self.left == 0
            if crash and self.when == "before":
                self._crash()
            result = attribute(*args, **kwargs)
            if crash and self.when == "after":
                self._crash()
            return result

        return wrapped

    def _crash(self) -> None:
        point = f"{self.method}:{self.when}"
        if self.on_crash is not None:
            self.on_crash(point)
        raise Crash(point)


def seed(a: MemorySystem, b: MemorySystem) -> None:
    """Phase 0: the two systems before the first sync."""
    for n in range(12):
        a.add(name=f"Company {n:02d}", email=f"c{n}@company{n}.com", phone=f"{n}00", terms="Net 30")
    b.add(name="COMPANY 00 LLC", email="c0@company0.com", phone="000")  # same e-mail, other name
    b.add(name="Company 01", email="C1@company1.com", phone="100", website="https://one.example.com")
    b.add(name="Company 02", email="c2@company2.com", phone="999", notes="b's note")
    b.add(name="Unrelated", email="x@unrelated.com")


def edit(a: MemorySystem, b: MemorySystem) -> None:
    """Between phase 1 and phase 2: edits on both sides."""
    a.edit("3", phone="333")  # Company 02: a owns phone
    a.edit("4", email="three@company3.com")  # Company 03: REVIEW, changed in a only
    a.edit("6", name="Company 05 Renamed")  # Company 05: REVIEW, changed on both sides
    a.add(name="Company 12", email="c12@company12.com")
    b.edit(b.by_name("Company 05")[0]["Id"], name="Company Five")


def flow(a: MemorySystem, b: MemorySystem) -> Flow:
    """The flow under test: a -> b, two-way defaults (REVIEW), phone owned by a."""
    return Flow(
        name="a-to-b",
        source=MemoryAdapter(a, page_size=5, integration_user="msplink"),
        target=MemoryAdapter(b, batch_size=2),
        source_mapper=customer_mapper("a"),
        target_mapper=customer_mapper("b"),
        direction=Direction.TWO_WAY,
        match=(by_link(), by_email()),
        policies=(FieldPolicy("phone", Owner.SOURCE),),
    )


def arm(a: MemorySystem, b: MemorySystem, store: StateStore, where: str, point: str, nth: int) -> StateStore:
    """Set the crash; return the store to run with."""
    if where == "store":
        return cast(StateStore, CrashingStore(store, point, nth, a.on_crash))
    (a if where == "a" else b).crash(point, nth)
    return store


def run_phase(a: MemorySystem, b: MemorySystem, store: StateStore) -> None:
    run(flow(a, b), state=store)


def world_snapshot(system: MemorySystem) -> list[tuple[Any, ...]]:
    """A system's records by content (server ids and change times left out; keys and versions kept)."""
    return sorted(
        (
            r["Name"],
            r["Email"],
            r["Phone"],
            r["Web"],
            r["Terms"],
            r["Notes"],
            r["Version"],
            r["Key"],
            r["ModifiedBy"],
        )
        for r in system.records.values()
    )


def state_snapshot(path: Path, a: MemorySystem, b: MemorySystem) -> dict[str, Any]:
    """The state store's tables with ids translated to record names (so server ids do not matter)."""
    names = {("a", rid): r["Name"] for rid, r in a.records.items()}
    names.update({("b", rid): r["Name"] for rid, r in b.records.items()})

    def named(key: str | None) -> str | None:
        if key is None:
            return None
        system, _, rid = json.loads(key)
        return str(names.get((system, rid), f"?{system}:{rid}"))

    db = sqlite3.connect(path)
    try:
        entities: dict[str, set[tuple[str, str, str | None]]] = {}
        for entity, system, rid, written in db.execute(
            "SELECT entity, system, id, written_version FROM identity"
        ):
            entities.setdefault(entity, set()).add((system, names[(system, rid)], written))
        return {
            "identity": sorted(sorted(v) for v in entities.values()),
            "ledger": sorted(
                (system, names[(system, rid)], field, digest, version)
                for system, rid, field, digest, version in db.execute(
                    "SELECT system, id, field, hash, version FROM ledger"
                )
            ),
            "conflicts": sorted(
                (kind, field, named(source), named(target), sv, tv, status)
                for kind, field, source, target, sv, tv, status in db.execute(
                    "SELECT kind, field, source_key, target_key, source_value, target_value, status FROM conflicts"
                )
            ),
            "dead_letters": sorted(db.execute("SELECT source, action, error_type FROM dead_letters")),
            "watermarks": sorted(db.execute("SELECT flow, updated_at, last_id FROM watermarks")),
            "processed": sorted(db.execute("SELECT flow, id, version FROM processed")),
            "journal": sorted(
                db.execute("SELECT key, action, status FROM journal WHERE status != 'abandoned'")
            ),
            "leases": sorted(db.execute("SELECT flow FROM leases")),
        }
    finally:
        db.close()


def baseline(workdir: Path) -> tuple[Any, Any, Any]:
    """The uninterrupted run: (a, b, state) snapshots after both phases."""
    a, b = MemorySystem("a"), MemorySystem("b")
    seed(a, b)
    path = workdir / "baseline.db"
    store = SQLiteStateStore(path)
    run_phase(a, b, store)
    edit(a, b)
    run_phase(a, b, store)
    store.close()
    return world_snapshot(a), world_snapshot(b), state_snapshot(path, a, b)


def resume(a: MemorySystem, b: MemorySystem, path: Path, phase: int) -> None:
    """After the crash of ``phase``: reopen the store from a fresh connection, rerun, finish."""
    store = SQLiteStateStore(path)
    run_phase(a, b, store)
    if phase == 1:
        edit(a, b)
        run_phase(a, b, store)
    store.close()


def crash_in_process(workdir: Path, phase: int, where: str, point: str, nth: int) -> tuple[Any, Any, Any]:
    """Crash at the point by raising out of the run, then resume; return the snapshots."""
    a, b = MemorySystem("a"), MemorySystem("b")
    seed(a, b)
    path = workdir / "crash.db"
    store = SQLiteStateStore(path)
    if phase == 2:
        run_phase(a, b, store)
        edit(a, b)
    armed = arm(a, b, store, where, point, nth)
    try:
        run_phase(a, b, armed)
    except Crash:
        pass
    else:
        raise AssertionError(f"the run did not reach {where}:{point} #{nth}")
    del armed, store  # the crashed process's connection is gone; nothing of it is reused
    a.crash_at.clear()
    b.crash_at.clear()
    resume(a, b, path, phase)
    return world_snapshot(a), world_snapshot(b), state_snapshot(path, a, b)


ROOT = Path(__file__).resolve().parents[2]


def sigkilled(*args: str) -> None:
    """Run ``python *args`` from the repository root as a child process and check that it died of
    SIGKILL (the crash point it was armed with fired); the child's stderr tells why otherwise."""
    child = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr.decode()[-2000:]
