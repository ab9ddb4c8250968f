"""Wire models on disk for one run: a private temporary SQLite database (issue 18, flat memory).

Adapters that keep what a run read, so as not to ask the platform for it again, keep it here rather
than in memory: :class:`~msplink.sync.adapters.SharedReads` (Salesforce) and the QuickBooks target's
records of its index reads (:class:`HeldRecords`). A model is stored as its ``raw`` payload, pickled
(Decimals stay Decimals), and built again by its class's ``from_api``: what comes out equals what
went in. The database is private (SQLite unlinks a temporary database's file as it opens it) and
holds only what this process pickled; past a page cache of :data:`CACHE_KIB` it is on disk.
"""

from __future__ import annotations

import json
import pickle
import sqlite3
import weakref
from collections.abc import Iterable, Sequence
from typing import Any, Final

__all__ = ["CACHE_KIB", "DiskModels", "HeldRecords"]

CACHE_KIB: Final = 4096
"""The SQLite page cache of one database (KiB); the rest of its records are on disk."""


def json_list(values: Iterable[str]) -> str:
    """``values`` as a JSON array (a statement's ``json_each(?)`` parameter)."""
    return json.dumps(list(values))


class DiskModels:
    """A private temporary SQLite database of pickled wire models (see the module docstring).

    Args:
        schema: The tables (``executescript``).
    """

    def __init__(self, schema: str) -> None:
        self.db = sqlite3.connect("", isolation_level=None, check_same_thread=False)
        for pragma in ("journal_mode=OFF", "synchronous=OFF", f"cache_size=-{CACHE_KIB}", "temp_store=FILE"):
            self.db.execute(f"PRAGMA {pragma}")
        self.db.executescript(schema)
        self.kinds: list[Any] = []
        self._kind: dict[Any, int] = {}

    def close(self) -> None:
        self.db.close()

    def kind_of(self, model: Any) -> int:
        """The number of ``model``'s class in this database (what :meth:`model` builds it again with)."""
        cls = type(model)
        kind = self._kind.get(cls)
        if kind is None:
            kind = self._kind[cls] = len(self.kinds)
            self.kinds.append(cls)
        return kind

    @staticmethod
    def blob(model: Any) -> bytes:
        """``model``'s ``raw`` payload, pickled."""
        return pickle.dumps(getattr(model, "raw", None) or {}, pickle.HIGHEST_PROTOCOL)

    def model(self, kind: int, blob: bytes) -> Any:
        """The model a :meth:`blob` of class number ``kind`` was made from."""
        # this process's own payloads, in its private database
        return self.kinds[kind].from_api(pickle.loads(blob))  # noqa: S301


_HELD_SCHEMA: Final = """
CREATE TABLE rec (
    id TEXT PRIMARY KEY, kind INTEGER NOT NULL, raw BLOB NOT NULL
) WITHOUT ROWID;
"""


class HeldRecords:
    """The newest wire model of each record an adapter read or wrote, by id, on disk.

    The database is made at the first :meth:`put` and goes with the object.
    """

    def __init__(self) -> None:
        self._disk: DiskModels | None = None

    def _db(self) -> DiskModels:
        if self._disk is None:
            disk = self._disk = DiskModels(_HELD_SCHEMA)
            weakref.finalize(self, disk.close)
        return self._disk

    def put(self, models: Sequence[Any]) -> None:
        """Hold ``models``, each in place of what was held of its id."""
        if not models:
            return
        disk = self._db()
        rows = [(str(m.id), disk.kind_of(m), disk.blob(m)) for m in models]
        disk.db.executemany("INSERT OR REPLACE INTO rec (id, kind, raw) VALUES (?, ?, ?)", rows)

    def get(self, ids: Iterable[str]) -> dict[str, Any]:
        """The held models of ``ids``, by id."""
        if self._disk is None:
            return {}
        disk = self._disk
        query = "SELECT id, kind, raw FROM rec WHERE id IN (SELECT value FROM json_each(?))"
        return {row[0]: disk.model(row[1], row[2]) for row in disk.db.execute(query, (json_list(ids),))}

    def drop(self, ids: Iterable[str]) -> None:
        """Hold nothing of ``ids`` (a later look-up asks the platform)."""
        if self._disk is None:
            return
        self._disk.db.execute(
            "DELETE FROM rec WHERE id IN (SELECT value FROM json_each(?))", (json_list(ids),)
        )
