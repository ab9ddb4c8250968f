"""The target key index held by the SQLite state store (SYNC.md §1 invariant 7, issue 18).

The in-memory :class:`KeyIndex` is the contract: the SQLite-held index must answer exactly as it
does (property over random operations), be rebuilt when lost or left partial by a SIGKILL, and hold
no memory per record (tracemalloc, N vs 4N records).
"""

from __future__ import annotations

import gc
import sqlite3
import subprocess
import sys
import tracemalloc
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from msplink.mappers import find_mapper
from msplink.models import Customer
from msplink.sandbox import World, seed_world
from msplink.sync import LookupRequest, MemoryStateStore, SQLiteStateStore, StateStore
from msplink.sync._keys import SQLiteKeyIndex, key_digest
from msplink.sync.adapters import ConnectWiseAdapter, QuickBooksAdapter
from msplink.sync.adapters._base import KeyIndex
from tests.sync._keys_child import T0, record_keys
from tests.sync._recipes import request_counts

QBO_MAPPER = find_mapper("quickbooks", "Customer", Customer)
CW_MAPPER = find_mapper("connectwise", "company", Customer)
ROOT = Path(__file__).resolve().parents[2]

KINDS = ("name", "email", "domain")
KEYS = st.tuples(st.sampled_from(KINDS), st.sampled_from(["acme", "globex", "x.com", "ä\x00", "\ud800"]))
OPS = st.lists(
    st.tuples(
        st.sampled_from("abcdefgh"), st.sets(KEYS, max_size=4), st.sampled_from(["put", "drop", "forget"])
    ),
    max_size=40,
)


@pytest.fixture(scope="module")
def sqlite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SQLiteStateStore]:
    store = SQLiteStateStore(tmp_path_factory.mktemp("keys") / "state.db")
    yield store
    store.close()


def _scopes(path: Path) -> list[tuple[int, int]]:
    db = sqlite3.connect(path)
    try:
        return [(s, n) for s, n in db.execute("SELECT id, loaded FROM match_scopes ORDER BY id")]
    finally:
        db.close()


def _rows(path: Path, table: str) -> int:
    db = sqlite3.connect(path)
    try:
        return int(db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
    finally:
        db.close()


def _loaded(index: SQLiteKeyIndex) -> bool:
    return index.loaded


# --------------------------------------------------------------------------- same answers as memory


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(OPS, st.integers(1, 5))
def test_property_the_sqlite_index_answers_as_the_memory_index(
    sqlite: SQLiteStateStore, ops: list[tuple[str, set[tuple[str, str]], str]], flush_at: int
) -> None:
    memory, stored = KeyIndex(), SQLiteKeyIndex(sqlite, "b:customer", flush_at=flush_at)
    for n, (record_id, keys, op) in enumerate(ops):
        for index in (memory, stored):
            if op == "put":
                index.put(record_id, keys, T0 + timedelta(seconds=n))
            else:
                getattr(index, op)(record_id)
        assert stored.written(record_id) == memory.written(record_id)
    for kind in KINDS:
        for key in ("acme", "globex", "x.com", "ä\x00", "\ud800", "absent"):
            assert stored.find(kind, [key]) == memory.find(kind, [key]), (kind, key)
        assert stored.find(kind, ["acme", "globex"]) == memory.find(kind, ["acme", "globex"])
    assert len(stored) == len(memory)
    assert (stored.mark, stored.delta_since()) == (memory.mark, memory.delta_since())
    stored.discard()


@given(st.text(max_size=30), st.text(max_size=30))
def test_property_key_digests_are_stable_64_bit_and_keep_kind_and_key_apart(kind: str, key: str) -> None:
    digest = key_digest(kind, key)
    assert -(2**63) <= digest < 2**63
    assert digest == key_digest(kind, key)
    if "\x1f" not in kind + key:
        assert digest != key_digest(kind + key, "") or key == ""


def test_a_loaded_index_reads_again_only_when_its_rows_are_lost(tmp_path: Path) -> None:
    store = SQLiteStateStore(tmp_path / "state.db")
    index = store.key_index("b:customer")
    index.put("1", {("name", "acme")}, T0)
    index.loaded = True
    assert _loaded(index) and index.find("name", ["acme"]) == {"1"}
    db = sqlite3.connect(tmp_path / "state.db")
    db.execute("DELETE FROM match_scopes")  # lost (another process, or a person, emptied it)
    db.commit()
    db.close()
    assert not _loaded(index)  # the adapter reads the target again ...
    assert index.find("name", ["acme"]) == set()  # ... into a new, empty scope
    index.put("1", {("name", "acme")}, T0)
    index.loaded = True
    assert _loaded(index) and index.find("name", ["acme"]) == {"1"}
    assert len(_scopes(tmp_path / "state.db")) == 1
    store.close()


def test_rows_lost_while_a_read_is_under_way_leave_the_index_unloaded(tmp_path: Path) -> None:
    store = SQLiteStateStore(tmp_path / "state.db")
    index = SQLiteKeyIndex(store, "b:customer", flush_at=2)
    index.put("1", {("name", "acme")}, T0)
    index.put("2", {("name", "globex")}, T0)  # flushed
    db = sqlite3.connect(tmp_path / "state.db")
    db.execute("DELETE FROM match_scopes")
    db.commit()
    db.close()
    index.put("3", {("name", "initech")}, T0)
    index.loaded = True  # the read ends, but record 1 and 2 are gone: not loaded, read again
    assert not _loaded(index)
    store.close()


# --------------------------------------------------------------------------------- crash and rebuild


def test_an_index_left_partial_by_sigkill_is_deleted_and_rebuilt_with_the_same_answers(
    tmp_path: Path,
) -> None:
    path = tmp_path / "state.db"
    SQLiteStateStore(path).close()
    child = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "tests.sync._keys_child", str(path), "3000", "2500"],
        cwd=ROOT,
        check=False,
        capture_output=True,
    )
    assert child.returncode == -9, child.stderr.decode()
    [(dead, loaded)] = _scopes(path)
    assert loaded == 0  # the partial index was never marked loaded ...
    assert _rows(path, "match_keys") == 2000 * 3  # ... and holds the two flushed thousands, no more
    store = SQLiteStateStore(path)
    rebuilt = store.key_index("quickbooks:Customer")  # the dead process's scope is deleted
    memory = KeyIndex()
    for n in range(3000):
        rebuilt.put(str(n), record_keys(n), T0 + timedelta(seconds=n))
        memory.put(str(n), record_keys(n), T0 + timedelta(seconds=n))
    rebuilt.loaded = True
    assert [s for s, _ in _scopes(path)] == [rebuilt.scope] and rebuilt.scope != dead
    for n in (0, 3, 6, 2999):
        for kind, key in record_keys(n):
            assert rebuilt.find(kind, [key]) == memory.find(kind, [key])
    assert rebuilt.find("name", ["company 3"]) == {str(n) for n in range(3, 3000, 7)}
    assert len(rebuilt) == len(memory) == 3000
    store.close()


def test_scopes_of_dropped_indexes_of_this_process_are_deleted(tmp_path: Path) -> None:
    store = SQLiteStateStore(tmp_path / "state.db")
    first = store.key_index("b:customer")
    first.put("1", {("name", "acme")}, T0)
    first.loaded = True
    kept = store.key_index("b:customer")
    assert len(_scopes(tmp_path / "state.db")) == 2  # both alive
    del first
    gc.collect()
    third = store.key_index("b:customer")
    assert [s for s, _ in _scopes(tmp_path / "state.db")] == [kept.scope, third.scope]
    assert _rows(tmp_path / "state.db", "match_keys") == 0  # the dropped index's rows went with it
    store.close()


# ------------------------------------------------------------------------------ through the adapters


@pytest.fixture
def world() -> World:
    return seed_world("small", seed=1)


def test_a_qbo_adapter_on_a_sqlite_store_finds_what_it_finds_in_memory_with_the_same_calls(
    world: World, tmp_path: Path
) -> None:
    store = SQLiteStateStore(tmp_path / "state.db")
    requests = [
        LookupRequest(ids=["1", "2"], keys={"email": ["billing@metroroofing9.example"]}),
        LookupRequest(ids=["3"], keys={"name": ["crescent manufacturing"]}),
    ]
    answers: dict[str, list[list[str]]] = {}
    calls: dict[str, Any] = {}
    with world.clients() as c:
        for home in ("memory", "sqlite"):
            adapter = QuickBooksAdapter(c.qbo, QBO_MAPPER, config=world.config, now=world.clock.now)
            adapter.use_state(MemoryStateStore() if home == "memory" else store)
            world.qbo.clear_log()
            answers[home] = [sorted(r.id for r in adapter.lookup(q)) for q in requests]
            calls[home] = request_counts(world.qbo)
        assert isinstance(adapter.index, SQLiteKeyIndex) and len(adapter.index) > 0
    assert answers["sqlite"] == answers["memory"] == [["1", "2", "8"], ["1", "3", "7"]]
    # the first look-up takes ids 1 and 2 from the index read itself; the second id 3 from what it held
    assert calls["sqlite"] == calls["memory"] == {"POST query": 1}
    store.close()


def test_a_lost_index_is_read_again_at_the_next_look_up_and_finds_the_same(
    world: World, tmp_path: Path
) -> None:
    store = SQLiteStateStore(tmp_path / "state.db")
    request = LookupRequest(keys={"name": ["oakridge legal", "crescent manufacturing"]})
    with world.clients() as c:
        adapter = ConnectWiseAdapter(c.cw, CW_MAPPER, config=world.config, now=world.clock.now)
        adapter.use_state(store)
        world.cw.clear_log()
        first = sorted(r.id for r in adapter.lookup(request))
        assert request_counts(world.cw) == {"GET companies": 1}  # the index (its page holds the candidates)
        db = sqlite3.connect(tmp_path / "state.db")
        db.execute("DELETE FROM match_keys")
        db.execute("DELETE FROM match_scopes")
        db.commit()
        db.close()
        again = sorted(r.id for r in adapter.lookup(request))
        assert request_counts(world.cw) == {"GET companies": 2}  # the whole index read again
    assert again == first and len(first) >= 2
    store.close()


def test_use_state_keeps_the_index_for_the_same_store_and_starts_over_for_another(
    world: World, tmp_path: Path
) -> None:
    store = SQLiteStateStore(tmp_path / "state.db")
    with world.clients() as c:
        adapter = QuickBooksAdapter(c.qbo, QBO_MAPPER, config=world.config, now=world.clock.now)
        adapter.use_state(store)
        index = adapter.index
        adapter.use_state(store)
        assert adapter.index is index
        adapter.use_state(MemoryStateStore())
        assert isinstance(adapter.index, KeyIndex)
        assert _scopes(tmp_path / "state.db") == []  # the replaced index's scope is deleted
    store.close()


# ------------------------------------------------------------------------------------- flat memory


def _held(build: Any, n: int) -> int:
    """Bytes still traced after ``build(n)`` returned its index (the index kept alive)."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        index = build(n)
        gc.collect()
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    del index
    return held


def _fill(index: Any, n: int) -> Any:
    for i in range(n):
        index.put(str(i), record_keys(i), T0 + timedelta(seconds=i))
        if i % 3 == 0:
            index.forget(f"w{i}")  # msplink's own writes are remembered too
    index.loaded = True
    return index


def test_the_sqlite_index_holds_no_memory_per_record(tmp_path: Path) -> None:
    store = SQLiteStateStore(tmp_path / "state.db")
    small = _held(lambda n: _fill(store.key_index("b:customer"), n), 2000)
    large = _held(lambda n: _fill(store.key_index("b:customer"), n), 8000)
    assert large - small < 32 * 1024, (small, large)  # 6,000 more records: (almost) nothing more held
    memory_small = _held(lambda n: _fill(KeyIndex(), n), 2000)
    memory_large = _held(lambda n: _fill(KeyIndex(), n), 8000)
    assert memory_large - memory_small > 6000 * 200  # the in-memory index: hundreds of bytes a record
    store.close()


def test_indexes_of_two_private_in_memory_stores_never_collect_each_other() -> None:
    one, two = SQLiteStateStore(":memory:"), SQLiteStateStore(":memory:")
    first = one.key_index("b:customer")
    first.put("1", {("name", "acme")}, T0)
    first.loaded = True
    other = two.key_index("b:customer")  # the same scope number, in another database
    other.discard()
    two.key_index("b:customer")
    one.key_index("b:customer")  # opening a scope collects only what is abandoned: not ``first``
    assert _loaded(first) and first.find("name", ["acme"]) == {"1"} and first.scope == other.scope
    one.close()
    two.close()


def test_a_recipe_on_a_sqlite_store_keeps_its_indexes_in_the_file_and_ends_as_in_memory(
    tmp_path: Path,
) -> None:
    from tests.sync._recipes import sync

    worlds = {home: seed_world("small", seed=1) for home in ("memory", "sqlite")}
    path = tmp_path / "state.db"
    sqlite = SQLiteStateStore(path)
    stores: dict[str, StateStore] = {"memory": MemoryStateStore(), "sqlite": sqlite}
    reports = {home: sync(worlds[home], stores[home]) for home in worlds}
    names = sorted(name for name, _ in sqlite3.connect(path).execute("SELECT name, loaded FROM match_scopes"))
    assert names == ["connectwise:company", "quickbooks:Customer"]  # both targets' indexes, loaded
    assert _rows(path, "match_keys") > 0  # (msplink's own writes wait in the bounded buffer: unflushed)
    for home in worlds:
        worlds[home].clock.advance(3600)
        sync(worlds[home], stores[home])  # new adapters: the first run's scopes are collected
    assert len(_scopes(path)) == 2
    parts = {
        home: [(p.flow, dict(p.outcome_counts), dict(p.api_calls)) for p in r.parts]
        for home, r in reports.items()
    }
    assert parts["sqlite"] == parts["memory"]
    assert worlds["sqlite"].qbo.count("POST", ".*") == worlds["memory"].qbo.count("POST", ".*")
    sqlite.close()


def test_a_dry_run_keeps_its_key_indexes_in_memory_and_writes_nothing_to_the_state_file(
    tmp_path: Path,
) -> None:
    from tests.sync._recipes import sync

    world = seed_world("small", seed=1)
    path = tmp_path / "state.db"
    store = SQLiteStateStore(path)
    dry = sync(world, store, dry_run=True)
    assert dry.writes == 0 and sum(dry.counts.values()) > 0  # it planned, looked up and wrote nothing
    assert _rows(path, "match_scopes") == _rows(path, "match_keys") == _rows(path, "match_written") == 0
    sync(world, store)  # a writing run keeps them in the file
    assert _rows(path, "match_scopes") == 2 and _rows(path, "match_keys") > 0
    store.close()
