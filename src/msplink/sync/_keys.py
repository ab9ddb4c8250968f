"""The target key index held by the SQLite state store (SYNC.md §1 invariant 7: memory is flat).

An adapter matches by keys a platform cannot search server-side (a normalised name) through an
index of the normalised match keys of every target record. In memory
(:class:`~msplink.sync.adapters._base.KeyIndex`) it costs a few hundred bytes a record, so a run over
100,000 records held tens of MiB more than one over 10,000. :class:`SQLiteKeyIndex` keeps the same
index in the state store's file instead: only a bounded write-behind buffer (:data:`FLUSH_AT` records)
and a few scalars stay in Python, and each look-up asks for a page's keys with one query per key kind.

It is a cache of the target's keys, never a source of truth: each adapter gets a fresh *scope* (its
own rows, numbered), read in full from the target at its first look-up as the in-memory index is.
A scope records who holds it (``host:pid:token``, as leases do) and when it was last used; a scope
whose process is gone (a crashed or finished run), whose index object was dropped, or that was unused
for :data:`STALE_AFTER` is deleted when the next scope is opened. An index whose scope went missing
(deleted, or the file replaced) says it is not loaded, so its adapter reads the target again: a lost
or partial index is rebuilt, never trusted.

Keys are stored as 64-bit BLAKE2b digests of ``(kind, key)``: two keys sharing a digest only make a
record a candidate it is not, which the engine re-checks on the record itself (the in-memory index
makes the same trade with Python's ``hash``).
"""

from __future__ import annotations

import hashlib
import os
import socket
import sqlite3
import time
import uuid
import weakref
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from datetime import datetime, timedelta, timezone
from typing import Any, Final, Protocol

from msplink.sync._state import lease_is_free

__all__ = ["FLUSH_AT", "STALE_AFTER", "SQLiteKeyIndex", "key_digest"]

INDEX_OVERLAP: Final = timedelta(minutes=1)
"""How far before the newest indexed change a refresh reads again (as the in-memory index)."""

FLUSH_AT: Final = 1000
"""Records buffered in Python before they are written to the file (the index's whole memory)."""

STALE_AFTER: Final = timedelta(days=1)
"""A scope unused this long is deleted when another opens (its holder may be on another host)."""

TOUCH_EVERY: Final = 60.0
"""Seconds between two updates of a scope's last-used time."""

_CHUNK: Final = 400
_TOKEN: Final = uuid.uuid4().hex[:12]
_LIVE: weakref.WeakValueDictionary[tuple[str, int], SQLiteKeyIndex] = weakref.WeakValueDictionary()
"""This process's open scopes by (database, scope id): a scope of this process not here was dropped."""


class KeyIndexHome(Protocol):
    """What the index uses of :class:`msplink.sync.SQLiteStateStore` (which imports this module)."""

    @property
    def path(self) -> str: ...
    @property
    def tenant(self) -> str: ...
    def _tx(self) -> AbstractContextManager[sqlite3.Connection]: ...
    def _rows(self, sql: str, *args: Any) -> list[tuple[Any, ...]]: ...


def key_digest(kind: str, key: str) -> int:
    """A stable signed 64-bit digest of one ``(kind, normalised key)`` (the same in every process)."""
    text = f"{kind}\x1f{key}".encode("utf-8", "surrogatepass")
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "big", signed=True)


def _holder() -> str:
    """This process as a scope holder (the pid at call time: a forked child is another holder)."""
    return f"{socket.gethostname()}:{os.getpid()}:{_TOKEN}"


def _chunks(items: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


class SQLiteKeyIndex:
    """The normalised match keys of a target object's records, held in a SQLite state store.

    The same interface and answers as :class:`~msplink.sync.adapters._base.KeyIndex` (``put``,
    ``drop``, ``forget``, ``written``, ``find``, ``len``, ``loaded``, ``mark``, ``delta_since``); the
    adapters cannot tell them apart. Made by :meth:`SQLiteStateStore.key_index`.

    Args:
        store: The state store whose file holds the rows.
        name: What the index serves (``system:object``).
        flush_at: Records buffered before they are written (tests use small values).

    Attributes:
        name: What the index serves (``system:object``), for inspection.
        mark: The newest change time indexed (the next refresh reads from it, minus an overlap).
    """

    def __init__(self, store: KeyIndexHome, name: str, *, flush_at: int = FLUSH_AT) -> None:
        self._store = store
        self.name = name
        self._flush_at = max(1, flush_at)
        self.mark: datetime | None = None
        self._loaded = False
        self._pending: dict[str, tuple[int, ...]] = {}
        self._forgot: set[str] = set()
        self._any_written = False
        self._incomplete = False
        self._touched = 0.0
        # private in-memory databases share the name ":memory:": told apart by their store
        self._home = os.path.realpath(store.path) if store.path != ":memory:" else f":memory:{id(store)}"
        self._scope = self._open()

    def __repr__(self) -> str:
        return f"SQLiteKeyIndex({self.name!r}, scope={self._scope})"

    # --- the scope -------------------------------------------------------------------------

    @property
    def scope(self) -> int:
        """The scope id of this index's rows."""
        return self._scope

    def _open(self) -> int:
        """Open a new scope (deleting scopes nobody holds any more)."""
        store = self._store
        now = datetime.now(timezone.utc)
        me = _holder()
        with store._tx() as db:
            dead = [
                scope
                for scope, holder, touched in db.execute(
                    "SELECT id, holder, touched_at FROM match_scopes WHERE tenant = ?", (store.tenant,)
                )
                if self._abandoned(scope, holder, datetime.fromisoformat(touched), me, now)
            ]
            for chunk in _chunks(dead):
                marks = ",".join("?" * len(chunk))
                for table in ("match_keys", "match_written"):
                    db.execute(f"DELETE FROM {table} WHERE scope IN ({marks})", chunk)  # noqa: S608
                db.execute(f"DELETE FROM match_scopes WHERE id IN ({marks})", chunk)  # noqa: S608
            cursor = db.execute(
                "INSERT INTO match_scopes (tenant, name, holder, touched_at, loaded) VALUES (?, ?, ?, ?, 0)",
                (store.tenant, self.name, me, now.isoformat()),
            )
        scope = int(cursor.lastrowid or 0)
        _LIVE[(self._home, scope)] = self
        self._touched = time.monotonic()
        return scope

    def _abandoned(self, scope: int, holder: str, touched: datetime, me: str, now: datetime) -> bool:
        if holder == me:  # this process's: abandoned once its index object is gone
            return (self._home, scope) not in _LIVE
        return lease_is_free(holder, touched + STALE_AFTER, me, now)

    def discard(self) -> None:
        """Delete this index's rows (its adapter replaced it); the object must not be used again."""
        self._pending.clear()
        self._forgot.clear()
        with self._store._tx() as db:
            for table in ("match_keys", "match_written"):
                db.execute(f"DELETE FROM {table} WHERE scope = ?", (self._scope,))  # noqa: S608
            db.execute("DELETE FROM match_scopes WHERE id = ?", (self._scope,))
        _LIVE.pop((self._home, self._scope), None)

    @property
    def loaded(self) -> bool:
        """Whether the full read is done and the rows are still there (a lost scope reads again)."""
        if not self._loaded:
            return False
        row = self._store._rows("SELECT loaded FROM match_scopes WHERE id = ?", self._scope)
        if not row or not row[0][0]:
            self._lost()
            self._incomplete = False  # found before the read: the read that follows is whole
            return False
        if time.monotonic() - self._touched >= TOUCH_EVERY:
            with self._store._tx() as db:
                db.execute(
                    "UPDATE match_scopes SET touched_at = ? WHERE id = ?",
                    (datetime.now(timezone.utc).isoformat(), self._scope),
                )
            self._touched = time.monotonic()
        return True

    @loaded.setter
    def loaded(self, value: bool) -> None:
        self._flush()
        value = value and not self._incomplete  # rows lost during the read: it must read again
        self._incomplete = False
        with self._store._tx() as db:
            db.execute("UPDATE match_scopes SET loaded = ? WHERE id = ?", (int(value), self._scope))
        self._loaded = value

    def _lost(self) -> None:
        """The scope's rows are gone: start over in a new scope (the adapter reads everything again).

        Records msplink wrote that are still buffered stay out of the new scope.
        """
        _LIVE.pop((self._home, self._scope), None)
        self._loaded = False
        self._incomplete = True
        self._any_written = False
        self.mark = None
        self._scope = self._open()

    def _exists(self) -> bool:
        return bool(self._store._rows("SELECT 1 FROM match_scopes WHERE id = ?", self._scope))

    # --- the index -------------------------------------------------------------------------

    def __len__(self) -> int:
        self._flush()
        rows = self._store._rows("SELECT COUNT(DISTINCT id) FROM match_keys WHERE scope = ?", self._scope)
        return int(rows[0][0])

    def put(self, record_id: str, keys: Iterable[tuple[str, str]], updated_at: datetime | None) -> None:
        """Index (or re-index) one record (records msplink wrote are left out)."""
        if updated_at is not None and (self.mark is None or updated_at > self.mark):
            self.mark = updated_at
        if self.written(record_id):
            return
        self._pending[record_id] = tuple(sorted({key_digest(kind, key) for kind, key in keys}))
        if len(self._pending) >= self._flush_at:
            self._flush()

    def drop(self, record_id: str) -> None:
        """Forget one record (deleted, or about to be re-indexed)."""
        self._pending[record_id] = ()
        if len(self._pending) >= self._flush_at:
            self._flush()

    def forget(self, record_id: str) -> None:
        """A record msplink wrote: linked, so never a candidate; out of the index for good."""
        self._forgot.add(record_id)
        self.drop(record_id)

    def written(self, record_id: str) -> bool:
        """Whether msplink wrote the record (a refresh reading it again need not map it)."""
        if record_id in self._forgot:
            return True
        if not self._any_written:
            return False
        rows = self._store._rows(
            "SELECT 1 FROM match_written WHERE scope = ? AND id = ?", self._scope, record_id
        )
        return bool(rows)

    def find(self, kind: str, keys: Iterable[str]) -> set[str]:
        """Ids of the records holding any of ``keys`` of this kind (a superset: see the module)."""
        self._flush()
        digests = sorted({key_digest(kind, key) for key in keys})
        found: set[str] = set()
        for chunk in _chunks(digests):
            marks = ",".join("?" * len(chunk))
            found.update(
                row[0]
                for row in self._store._rows(
                    f"SELECT id FROM match_keys WHERE scope = ? AND digest IN ({marks})",  # noqa: S608
                    self._scope,
                    *chunk,
                )
            )
        return found

    def delta_since(self) -> datetime | None:
        """Where the next refresh reads from (``None``: nothing indexed yet, read from the start)."""
        return None if self.mark is None else self.mark - INDEX_OVERLAP

    def _flush(self) -> None:
        """Write the buffered records (one transaction)."""
        if not self._pending and not self._forgot:
            return
        if not self._exists():  # lost while buffering: written to a new scope, which must read again
            self._lost()
        scope = self._scope
        with self._store._tx() as db:
            db.executemany(
                "DELETE FROM match_keys WHERE scope = ? AND id = ?", [(scope, rid) for rid in self._pending]
            )
            db.executemany(
                "INSERT OR IGNORE INTO match_keys (scope, digest, id) VALUES (?, ?, ?)",
                [(scope, digest, rid) for rid, digests in self._pending.items() for digest in digests],
            )
            db.executemany(
                "INSERT OR IGNORE INTO match_written (scope, id) VALUES (?, ?)",
                [(scope, rid) for rid in self._forgot],
            )
        self._any_written = self._any_written or bool(self._forgot)
        self._pending.clear()
        self._forgot.clear()
