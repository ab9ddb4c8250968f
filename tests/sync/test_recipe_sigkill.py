"""``companies_and_customers`` killed with SIGKILL at points over reading, journalling, writing and
committing, then rerun, ends exactly as an uninterrupted run (SYNC.md invariants 1-3).

The ConnectWise and QuickBooks sandboxes of a seeded world are served by this process over real
sockets (uvicorn in a thread), so their state survives the child process that runs the recipe with a
``SQLiteStateStore`` file and kills itself at the Nth occurrence of a named point
(``tests/sync/_sigkill_recipe_child.py``). The rerun happens here, then the edits and the second
sync; the targets' full snapshot and the state that matters (links, conflicts, dead letters,
watermarks) are compared with a run that was never interrupted, and no record exists twice. QBO
writes whose answer died with the process are found by settling (requestid replay would have
answered a resend; the journalled creates are found by their DisplayName), ConnectWise creates by
looking them up.

Three points run by default; all thirteen with ``MSPLINK_SLOW=1`` (``nox -s reliability``).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from msplink.quickbooks import models as qbo
from msplink.sandbox import Sandbox, World, seed_world
from msplink.sync import SQLiteStateStore, StateStore
from msplink.sync.adapters import _base as adapter_base
from tests.sync._recipes import (
    BACKWARD,
    FORWARD,
    INTEGRATION_USER,
    companies,
    customers,
    edit_company,
    edit_customer,
    person,
    snapshot,
    state_tables,
    sync,
)

ROOT = Path(__file__).resolve().parents[2]
uvicorn = pytest.importorskip("uvicorn")

POINTS: tuple[tuple[int, str, int], ...] = (
    # (phase, point, nth)
    (1, "cw.read", 1),  # reading: before the first read of changes
    (1, "qbo.read", 1),  # reading: the page is read, its look-up (the QBO key index read) not sent
    (1, "store.journal:after", 1),  # journalling: intents durable, nothing written
    (1, "qbo.write:before", 1),  # writing: the first /batch of creates about to go out
    (1, "qbo.write:after", 1),  # writing: a /batch applied, its answer lost with the process
    (1, "store.commit:before", 2),  # committing: the first page written, its outcomes not recorded
    (1, "store.commit:after", 2),  # committing: the forward flow committed, nothing after it
    (1, "qbo.read", 2),  # reading: the reverse flow's read of customers
    (1, "cw.create:after", 1),  # writing: a ConnectWise create applied, its answer lost
    (1, "store.record_run:before", 2),  # committing: everything done but the reverse run's log row
    (2, "qbo.lookup", 1),  # reading: phase 2's batched look-up of the linked customers not sent
    (2, "cw.update:after", 1),  # writing: an update applied in phase 2, its answer lost
    (2, "qbo.write:after", 1),  # writing: phase 2's updates applied in QuickBooks, answer lost
)
DEFAULT = {("qbo.write:after", 1), ("cw.create:after", 1), ("store.journal:after", 1)}


def _params() -> list[Any]:
    return [
        pytest.param(phase, point, nth, id=f"phase{phase}-{point}-{nth}")
        if (point, nth) in DEFAULT and phase == 1
        else pytest.param(phase, point, nth, id=f"phase{phase}-{point}-{nth}", marks=pytest.mark.slow)
        for phase, point, nth in POINTS
    ]


class Served:
    """A sandbox served over a real socket by uvicorn, in a thread of this process."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.server = uvicorn.Server(
            uvicorn.Config(sandbox, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the sandbox server did not start")
            time.sleep(0.01)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def edits(world: World) -> None:
    """Between the two syncs: people edit both sides."""
    with person(world) as c:
        edit_company(c, 2, phone_number="+1 555 000 0002")
        edit_company(c, 7, name="Redwood Design Studio")
        edit_customer(c, "3", primary_email_addr=qbo.EmailAddress(address="ap@oakridgelegal3.example"))
        edit_customer(c, "5", sales_term_ref=qbo.Ref(value="1"))


def outcome(world: World, store: StateStore) -> dict[str, Any]:
    """Everything compared: the targets' snapshot, and the state by names (links, conflicts, dead
    letters). Watermarks are left out: a rerun may read a change the killed run made after the
    uninterrupted run's read, and its watermark is then further on (a later run's is anyway)."""
    return {"snapshot": snapshot(world), "state": state_tables(world, store)}


@pytest.fixture(scope="module")
def expected(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The uninterrupted run: sync, edits, sync."""
    world = seed_world("small", seed=1)
    store = SQLiteStateStore(tmp_path_factory.mktemp("baseline") / "state.db")
    sync(world, store)
    edits(world)
    sync(world, store)
    return outcome(world, store)


@pytest.fixture
def served() -> Iterator[tuple[World, Served, Served]]:
    world = seed_world("small", seed=1)
    cw, qb = Served(world.cw), Served(world.qbo)
    try:
        yield world, cw, qb
    finally:
        cw.stop()
        qb.stop()


def _kill(world: World, cw: Served, qb: Served, workdir: Path, point: str, nth: int, **extra: Any) -> None:
    spec = {
        **extra,
        "cw": world.cw.credentials(),
        "cw_url": cw.url,
        "qbo_url": qb.url,
        "realm_id": world.qbo.realm_id,
        "qbo_token": world.qbo.credentials()["access_token"],
        "config": world.config.to_dict(),
        "now": world.clock.now().isoformat(),
        "integration_user": INTEGRATION_USER,
    }
    (workdir / "run.json").write_text(json.dumps(spec, default=str), encoding="utf-8")
    child = subprocess.run(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "tests.sync._sigkill_recipe_child", str(workdir), point, str(nth)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr.decode()[-2000:]


@pytest.mark.parametrize(("phase", "point", "nth"), _params())
def test_sigkill_at_a_point_then_a_rerun_ends_as_an_uninterrupted_run(
    served: tuple[World, Served, Served],
    expected: dict[str, Any],
    tmp_path: Path,
    phase: int,
    point: str,
    nth: int,
) -> None:
    world, cw, qb = served
    path = tmp_path / "state.db"
    if phase == 2:
        with SQLiteStateStore(path) as store:
            sync(world, store)
        edits(world)
    _kill(world, cw, qb, tmp_path, point, nth)
    with SQLiteStateStore(path) as store:
        sync(world, store)  # the rerun settles what the killed run journalled, then finishes
        if phase == 1:
            edits(world)
            sync(world, store)
        assert outcome(world, store) == expected
        with world.clients() as c:
            assert len({x.name.casefold() for x in companies(c)}) == len(companies(c)) == 36
            assert len({x.display_name.casefold() for x in customers(c)}) == len(customers(c)) == 36
        world.clock.advance(3600)
        assert sync(world, store).writes == 0
        assert all(store.watermark(flow) is not None for flow in (FORWARD, BACKWARD))


@pytest.mark.parametrize(("point", "nth"), [("qbo.write:after", 1), ("cw.update:after", 1)])
def test_sigkill_with_every_wire_record_evicted_ends_as_an_uninterrupted_run(
    served: tuple[World, Served, Served],
    expected: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    point: str,
    nth: int,
) -> None:
    """Updates whose wire records the adapters no longer keep (``RAW_CACHE`` of 2 in the killed run
    and in the rerun: each is read again by id before its write) end as the uninterrupted run with the
    default bound, killed while phase 2's updates are applied and their answers lost."""
    monkeypatch.setattr(adapter_base, "RAW_CACHE", 2)
    monkeypatch.setattr(adapter_base.AdapterBase, "keeps_lookups", False)
    world, cw, qb = served
    path = tmp_path / "state.db"
    with SQLiteStateStore(path) as store:
        sync(world, store)
    edits(world)
    _kill(world, cw, qb, tmp_path, point, nth, raw_cache=2)
    with SQLiteStateStore(path) as store:
        sync(world, store)
        assert outcome(world, store) == expected
        world.clock.advance(3600)
        assert sync(world, store).writes == 0
