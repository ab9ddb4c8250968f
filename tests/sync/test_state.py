"""The state stores (SYNC.md §3): one suite against both, then what only SQLite does."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import stat
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from msplink.errors import ConfigurationError
from msplink.models import ExternalRef
from msplink.sync import (
    Action,
    Conflict,
    DeadLetter,
    Intent,
    LeaseError,
    MemoryStateStore,
    RunRecord,
    SQLiteStateStore,
    StateStore,
    Watermark,
)
from msplink.sync._protocols import LedgerRow, StateChanges
from msplink.sync._sqlite import MIGRATIONS, SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)


def ref(system: str, rid: str, version: str | None = None) -> ExternalRef:
    return ExternalRef(system, "customer", rid, version)


def letter(rid: str, error_type: str = "MappingError", when: datetime = T0) -> DeadLetter:
    return DeadLetter(
        flow="f",
        source=ref("a", rid, "1"),
        action="map",
        error_type=error_type,
        message="Customer.terms: no mapping",
        first_seen=when,
        last_seen=when,
    )


def field_conflict(entity: str = "e1", value: object = "x", **kw: object) -> Conflict:
    base: dict[str, object] = {
        "flow": "f",
        "entity": entity,
        "field": "email",
        "source": ref("a", "1", "3"),
        "target": ref("b", "9", "4"),
        "source_value": value,
        "target_value": "y",
    }
    return Conflict(**{**base, **kw})  # type: ignore[arg-type]


def test_watermark_processed_and_reset(store: StateStore) -> None:
    assert store.watermark("f") is None
    mark = Watermark(updated_at=T0, id="7")
    store.commit(StateChanges(flow="f", watermark=mark, processed=[("7", "2"), ("8", "1")]))
    assert store.watermark("f") == mark
    assert store.watermark("other") is None
    assert store.processed("f", ["7", "8", "9"]) == {"7": "2", "8": "1"}
    store.commit(StateChanges(flow="f", links=[("e1", ref("a", "7")), ("e1", ref("b", "1"))]))
    store.reset("f")
    assert store.watermark("f") is None
    assert store.processed("f", ["7", "8"]) == {}
    assert store.links("e1") == (ref("a", "7"), ref("b", "1"))  # links survive a reset


def test_identity_links_merges_and_unlinks(store: StateStore) -> None:
    store.commit(
        StateChanges(
            flow="f",
            links=[("e1", ref("a", "1")), ("e1", ref("b", "10")), ("e2", ref("c", "5"))],
            written=[(ref("b", "10"), "v3")],
        )
    )
    assert store.identities([ref("a", "1"), ref("b", "10", "any"), ref("a", "2")]) == {
        ref("a", "1"): ("e1", None),
        ref("b", "10"): ("e1", "v3"),
    }
    assert store.linked(["e1", "e2", "e3"], "b", "customer") == {"e1": ref("b", "10")}
    assert store.linked(["e2"], "c", None) == {"e2": ref("c", "5")}
    assert store.pairs(("a", "customer"), ("b", "customer")) == [("1", "10")]
    assert store.links(ref("b", "10")) == (ref("a", "1"), ref("b", "10"))
    assert store.links(ref("z", "0")) == ()
    # the SF-linked entity turns out to be the same company: merge it in
    store.commit(StateChanges(flow="f", merges=[("e2", "e1")]))
    assert store.links("e1") == (ref("a", "1"), ref("b", "10"), ref("c", "5"))
    assert store.links("e2") == ()
    # a new record for the same slot replaces the old link; unlinking removes one record
    store.commit(StateChanges(flow="f", links=[("e1", ref("b", "11"))], unlinks=[ref("c", "5")]))
    assert store.links("e1") == (ref("a", "1"), ref("b", "11"))
    assert store.identities([ref("b", "10")]) == {}


def test_ledger_rows_and_forget(store: StateStore) -> None:
    rows = [
        LedgerRow("b", "customer", "10", "email", "h1", "v1"),
        LedgerRow("b", "customer", "10", "name", "h2"),
    ]
    store.commit(StateChanges(flow="f", ledger=rows))
    store.commit(StateChanges(flow="f", ledger=[LedgerRow("b", "customer", "10", "email", "h3", "v2")]))
    assert store.ledger([ref("b", "10"), ref("b", "11")]) == {
        ("b", "customer", "10"): {"email": "h3", "name": "h2"}
    }
    store.commit(StateChanges(flow="f", forget=[ref("b", "10")]))
    assert store.ledger([ref("b", "10")]) == {}


def test_journal_pending_and_outcomes(store: StateStore) -> None:
    intents = [
        Intent(
            key=f"k{n}",
            flow="f",
            action=Action.CREATE,
            source=ref("a", str(n), "1"),
            entity=f"e{n}",
            values={"name": f"Company {n}"},
            target_hashes={"name": "h"},
            applied=(3,),
            created_at=T0 + timedelta(seconds=n),
        )
        for n in range(3)
    ]
    store.journal(intents)
    store.journal(
        [Intent(key="g", flow="g", action=Action.DELETE, source=ref("a", "9"), target=ref("b", "9"))]
    )
    pending = store.pending("f")
    assert [i.key for i in pending] == ["k0", "k1", "k2"]
    assert pending[0].values == {"name": "Company 0"}
    assert pending[0].target_hashes == {"name": "h"}
    assert pending[0].applied == (3,)
    assert pending[0].source == ref("a", "0")
    assert pending[0].source.version == "1"
    store.commit(StateChanges(flow="f", journal=[("k0", "done"), ("k1", "abandoned")]))
    assert [i.key for i in store.pending("f")] == ["k2"]
    assert [i.key for i in store.pending("g")] == ["g"]


def test_conflicts_are_recorded_once_and_decided(store: StateStore) -> None:
    store.commit(StateChanges(flow="f", conflicts=[field_conflict(value="x")]))
    store.commit(StateChanges(flow="f", conflicts=[field_conflict(value="x2")]))  # same question again
    [found] = store.conflicts()
    assert (found.id, found.source_value, found.status) == (1, "x2", "open")
    assert found.created_at is not None
    # the reverse flow finds it with the sides swapped: it stays one conflict, seen the first way
    reverse = field_conflict(
        flow="g", source=ref("b", "9", "5"), target=ref("a", "1", "3"), source_value="y2", target_value="x3"
    )
    store.commit(StateChanges(flow="g", conflicts=[reverse]))
    [found] = store.conflicts()
    assert (found.flow, found.source, found.source_value, found.target_value) == (
        "f",
        ref("a", "1"),
        "x3",
        "y2",
    )
    assert found.target is not None and found.target.version == "5"
    assert store.conflicts_for([ref("b", "9")], ("open",)) == [found]
    assert store.conflicts_for([ref("b", "8")], ("open",)) == []

    decided = store.resolve_conflict(1, take="target")
    assert (decided.status, decided.take, decided.value) == ("resolved", "target", None)
    assert decided.resolved_at is not None
    assert store.conflicts() == []
    assert [c.id for c in store.conflicts("resolved")] == [1]
    again = store.resolve_conflict(1, take="a@b.com")
    assert (again.take, again.value) == ("value", "a@b.com")
    assert store.conflicts("resolved")[0].value == "a@b.com"
    store.commit(StateChanges(flow="f", applied=[1]))
    assert [c.status for c in store.conflicts(None)] == ["applied"]
    with pytest.raises(ConfigurationError, match="already applied"):
        store.resolve_conflict(1, take="source")
    with pytest.raises(ConfigurationError, match="no conflict 99"):
        store.resolve_conflict(99)
    # a new disagreement on the same field after that is a new conflict
    store.commit(StateChanges(flow="f", conflicts=[field_conflict(value="z")]))
    assert [c.id for c in store.conflicts()] == [2]


def test_match_and_missing_conflicts_take_only_what_fits(store: StateStore) -> None:
    match = Conflict(
        flow="f",
        kind="match",
        field="$match",
        source=ref("a", "1"),
        candidates=(ref("b", "3"), ref("b", "4")),
    )
    missing = Conflict(flow="f", kind="missing", field="$missing", source=ref("a", "2"), target=ref("b", "7"))
    store.commit(StateChanges(flow="f", conflicts=[match, missing]))
    with pytest.raises(ConfigurationError, match=r"candidate ids \['3', '4'\]"):
        store.resolve_conflict(1, take="target")
    with pytest.raises(ConfigurationError):
        store.resolve_conflict(1, take="5")
    assert store.resolve_conflict(1, take="4").value == "4"
    assert store.resolve_conflict(1, take="source").value is None
    with pytest.raises(ConfigurationError, match="re-creates"):
        store.resolve_conflict(2, take="x")
    assert store.resolve_conflict(2, take="target").take == "target"
    assert store.conflicts("resolved", flow="f")[1].candidates == ()


def test_conflict_values_of_every_kind_round_trip(store: StateStore) -> None:
    from decimal import Decimal

    from msplink.models import Address, Money

    value = {"addr": Address(line1="1 Main St", city="Austin"), "n": Decimal("1.50")}
    store.commit(
        StateChanges(
            flow="f",
            conflicts=[
                field_conflict(value=Address(city="Austin"), target_value=Money(Decimal("2.10"), "USD"))
            ],
        )
    )
    store.resolve_conflict(1, take=value)
    [found] = store.conflicts("resolved")
    assert found.source_value == Address(city="Austin")
    assert found.target_value == Money(Decimal("2.10"), "USD")
    assert found.value == value


def test_dead_letters_count_attempts_and_clear(store: StateStore) -> None:
    store.commit(StateChanges(flow="f", dead_letters=[letter("1"), letter("2")]))
    store.commit(
        StateChanges(flow="f", dead_letters=[letter("1", "BadRequestError", T0 + timedelta(hours=1))])
    )
    first, second = store.dead_letters()
    assert (first.source.id, first.attempts, first.error_type, first.first_seen) == (
        "1",
        2,
        "BadRequestError",
        T0,
    )
    assert (second.source.id, second.attempts) == ("2", 1)
    assert store.dead_letters("other") == []
    store.commit(StateChanges(flow="f", cleared=[ref("a", "1", "7")]))
    assert [d.source.id for d in store.dead_letters("f")] == ["2"]


def test_the_run_log(store: StateStore) -> None:
    run = RunRecord(
        flow="f",
        started_at=T0,
        ended_at=T0 + timedelta(seconds=3),
        writes=4,
        counts={"create": 4, "created": 4},
        api_calls={"a": 1, "b": 2},
        dry_run=False,
    )
    first = store.record_run(run)
    second = store.record_run(
        RunRecord(flow="g", started_at=T0, ended_at=T0, dry_run=True, status="failed", error="boom")
    )
    assert first.id is not None and second.id is not None and second.id > first.id
    assert store.runs() == [first, second]
    assert store.runs("g") == [second]
    assert store.runs()[0].counts == {"create": 4, "created": 4}


def test_tenants_share_a_database_but_not_rows(store: StateStore) -> None:
    other = store.with_tenant("msp-2")  # type: ignore[attr-defined]
    store.commit(
        StateChanges(
            flow="f",
            watermark=Watermark(updated_at=T0, id="1"),
            links=[("e1", ref("a", "1"))],
            conflicts=[field_conflict()],
            dead_letters=[letter("1")],
        )
    )
    store.record_run(RunRecord(flow="f", started_at=T0, ended_at=T0))
    assert other.tenant == "msp-2"
    assert other.watermark("f") is None
    assert other.links("e1") == ()
    assert other.conflicts() == []
    assert other.dead_letters() == []
    assert other.runs() == []
    with pytest.raises(ConfigurationError):
        other.resolve_conflict(1)
    other.acquire_lease("f", "h:1:x", timedelta(minutes=1))  # its own lease table rows


def test_leases(tmp_path: Path) -> None:
    now = [T0]
    for store in (
        MemoryStateStore(clock=lambda: now[0]),
        SQLiteStateStore(tmp_path / "s.db", clock=lambda: now[0]),
    ):
        store.acquire_lease("f", "host-a:1:run1", timedelta(minutes=5))
        store.acquire_lease("f", "host-a:1:run1", timedelta(minutes=5))  # renewing is fine
        with pytest.raises(
            LeaseError, match=r"being run by host-a:1:run1 \(lease held until 2026-03-01T12:05"
        ) as caught:
            store.acquire_lease("f", "host-b:2:run2", timedelta(minutes=5))
        assert caught.value.flow == "f"
        store.acquire_lease("g", "host-b:2:run2", timedelta(minutes=5))  # other flows are free
        store.release_lease("f", "host-b:2:run2")  # not the holder: nothing happens
        with pytest.raises(LeaseError):
            store.acquire_lease("f", "host-b:2:run2", timedelta(minutes=5))
        now[0] = T0 + timedelta(minutes=6)  # expired: taken over
        store.acquire_lease("f", "host-b:2:run2", timedelta(minutes=5))
        store.release_lease("f", "host-b:2:run2")
        store.acquire_lease("f", "host-c:3:run3", timedelta(minutes=5))
        now[0] = T0


def test_a_lease_left_by_a_dead_process_on_this_host_is_taken_over(store: StateStore) -> None:
    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, check=True
    )
    dead = f"{socket.gethostname()}:{int(child.stdout)}:crashed"
    store.acquire_lease("f", dead, timedelta(hours=1))
    store.acquire_lease("f", "me:1:new", timedelta(minutes=1))
    alive = f"{socket.gethostname()}:{os.getpid()}:running"
    store.acquire_lease("g", alive, timedelta(hours=1))
    with pytest.raises(LeaseError):
        store.acquire_lease("g", "me:1:new", timedelta(minutes=1))


# --------------------------------------------------------------------------------- SQLite only


def test_the_file_and_its_wal_and_shm_are_private(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "state.db"
    store = SQLiteStateStore(path)
    store.commit(StateChanges(flow="f", watermark=Watermark(updated_at=T0, id="1")))
    for suffix in ("", "-wal", "-shm"):
        target = Path(f"{path}{suffix}")
        assert target.exists(), suffix
        assert stat.S_IMODE(target.stat().st_mode) == 0o600, suffix
    assert store.schema_version == SCHEMA_VERSION
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.close()


def test_an_existing_readable_file_is_tightened(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    path.touch(mode=0o644)
    os.chmod(path, 0o644)
    SQLiteStateStore(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_version_1_file_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[0])
    db.execute("PRAGMA user_version = 1")
    db.execute(
        "INSERT INTO runs (tenant, flow, started_at, ended_at, writes, counts, api_calls, dry_run) "
        "VALUES ('default', 'f', ?, ?, 3, '{\"created\": 3}', '{\"a\": 1}', 0)",
        (T0.isoformat(), T0.isoformat()),
    )
    db.execute(
        "INSERT INTO identity (tenant, entity, system, object, id, linked_at) VALUES ('default', 'e1', 'a', 'customer', '1', ?)",
        (T0.isoformat(),),
    )
    db.commit()
    db.close()
    store = SQLiteStateStore(path)
    assert store.schema_version == SCHEMA_VERSION == 4
    [run] = store.runs()
    assert (run.writes, run.counts, run.status, run.error) == (3, {"created": 3}, "ok", None)
    assert store.links("e1") == (ref("a", "1"),)
    store.commit(StateChanges(flow="f", processed=[("1", "v")]))  # the table v2 added
    assert store.processed("f", ["1"]) == {"1": "v"}
    indexes = {
        r[0] for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master WHERE type = 'index'")
    }
    assert "conflicts_entity" in indexes  # the index v3 added
    assert "match_keys_id" in indexes  # the key index tables v4 added
    store.close()
    assert SQLiteStateStore(path).schema_version == 4  # idempotent


def test_the_look_ups_of_every_page_use_their_indexes(tmp_path: Path) -> None:
    """A full scan per page makes a run quadratic in the records linked (the no-change rerun of the
    engine benchmark cost 230 us a record at 50k against 100 at 10k): each page query searches by
    an index of what it is given."""
    store = SQLiteStateStore(tmp_path / "plans.db")
    db = sqlite3.connect(tmp_path / "plans.db")
    db.execute("ANALYZE")  # whatever statistics SQLite gathers, the plans stay the same
    queries = {
        "identity_entity": "SELECT entity FROM identity INDEXED BY identity_entity WHERE tenant = ? AND "
        "system = ? AND entity IN (?, ?) AND object = ?",
        "conflicts_source": "SELECT id FROM conflicts INDEXED BY conflicts_source WHERE tenant = ? AND "
        "source_key IN (?, ?) AND status IN (?, ?)",
        "conflicts_entity": "SELECT id FROM conflicts INDEXED BY conflicts_entity WHERE tenant = ? AND "
        "entity = ? AND field = ? AND kind = 'field' AND status = 'open'",
    }
    for index, sql in queries.items():
        plan = " ".join(str(r[-1]) for r in db.execute("EXPLAIN QUERY PLAN " + sql, ("t",) * sql.count("?")))
        assert f"INDEX {index} (" in plan and "SCAN" not in plan
    for sql in (
        "SELECT id FROM identity WHERE tenant = ? AND system = ? AND object = ? AND id IN (?, ?)",
        "SELECT id FROM ledger WHERE tenant = ? AND system = ? AND object = ? AND id IN (?, ?)",
        "SELECT id FROM processed WHERE tenant = ? AND flow = ? AND id IN (?, ?)",
    ):
        plan = " ".join(str(r[-1]) for r in db.execute("EXPLAIN QUERY PLAN " + sql, ("t",) * sql.count("?")))
        assert "id=?" in plan and "SCAN" not in plan
    db.close()
    store.close()


def test_a_file_from_a_newer_msplink_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(ConfigurationError, match="upgrade msplink"):
        SQLiteStateStore(path)


def test_committed_pages_survive_a_new_connection(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    first = SQLiteStateStore(path)
    first.commit(
        StateChanges(flow="f", watermark=Watermark(updated_at=T0, id="9"), links=[("e", ref("a", "1"))])
    )
    second = SQLiteStateStore(path)  # first is still open: WAL readers see committed pages
    assert second.watermark("f") == Watermark(updated_at=T0, id="9")
    assert second.links("e") == (ref("a", "1"),)
    assert repr(second) == f"SQLiteStateStore({str(path)!r}, tenant='default')"
    first.close()
    second.close()
    memory = SQLiteStateStore(":memory:")
    assert memory.watermark("f") is None


CHILD = textwrap.dedent(
    """
    import sys
    from msplink.sync import LeaseError, SQLiteStateStore, run
    from tests.sync.conftest import World
    from tests.sync._world import MemorySystem

    world = World(MemorySystem("a"), MemorySystem("b"))
    world.a.add(name="Only")
    try:
        report = run(world.forward(), state=SQLiteStateStore(sys.argv[1]))
    except LeaseError as exc:
        print("LeaseError", exc.holder, str(exc))
        sys.exit(7)
    print("ok", report.writes)
    """
)


def test_a_second_process_running_the_same_flow_gets_a_lease_error(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    holder = f"{socket.gethostname()}:{os.getpid()}:parent-run"
    now = [datetime.now(timezone.utc)]
    parent = SQLiteStateStore(path, clock=lambda: now[0])
    parent.acquire_lease("a-to-b", holder, timedelta(minutes=10))

    def child() -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603
            [sys.executable, "-c", CHILD, str(path)],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    refused = child()
    assert refused.returncode == 7, refused.stderr
    assert refused.stdout.startswith(f"LeaseError {holder} flow 'a-to-b' is being run by {holder}")
    # the parent's lease runs out (it stopped renewing): the next process takes over
    now[0] -= timedelta(minutes=30)
    parent.acquire_lease("a-to-b", holder, timedelta(minutes=10))
    taken = child()
    assert (taken.returncode, taken.stdout.split()) == (0, ["ok", "1"]), taken.stderr
    assert json.loads(json.dumps([r.writes for r in parent.runs()])) == [1]
    parent.close()
