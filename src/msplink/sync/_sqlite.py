"""``SQLiteStateStore``: the embedded, durable state store (stdlib sqlite3).

- The database file is created with mode 0600 *before* SQLite opens it (its ``-wal`` and ``-shm``
  files inherit that mode: SQLite's unix VFS gives them the database file's permissions).
- WAL journal with ``synchronous=FULL``: a committed page survives a crash or a power cut.
- ``PRAGMA user_version`` numbers the schema; :data:`MIGRATIONS` bring an older file up to date in
  one transaction each, and a file from a newer msplink is refused.
- Every row carries the tenant, so one file can serve many MSPs.
- Each engine call is its own transaction; :meth:`SQLiteStateStore.commit` applies a whole page.
- The adapters' target key indexes live here too (:meth:`SQLiteStateStore.key_index`, tables
  ``match_scopes``, ``match_keys``, ``match_written``): a rebuildable cache of the targets' match keys,
  so a run's memory does not grow with the number of target records (SYNC.md §1 invariant 7).
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import stat
import threading
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Final

import attrs

from msplink.errors import ConfigurationError
from msplink.models import ExternalRef
from msplink.sync._keys import SQLiteKeyIndex
from msplink.sync._model import Action, Conflict, DeadLetter, LeaseError, RunRecord, Watermark
from msplink.sync._protocols import Intent, StateChanges
from msplink.sync._state import Clock, decide, lease_is_free, oriented, utcnow
from msplink.sync._values import decode, encode

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "SQLiteStateStore"]

logger = logging.getLogger("msplink.sync.state")

MIGRATIONS: Final[tuple[str, ...]] = (
    # v1: the tables of SYNC.md §3.
    """
    CREATE TABLE watermarks (
        tenant TEXT NOT NULL, flow TEXT NOT NULL, updated_at TEXT NOT NULL, last_id TEXT NOT NULL,
        moved_at TEXT NOT NULL, PRIMARY KEY (tenant, flow));
    CREATE TABLE identity (
        tenant TEXT NOT NULL, entity TEXT NOT NULL, system TEXT NOT NULL, object TEXT NOT NULL,
        id TEXT NOT NULL, written_version TEXT, linked_at TEXT NOT NULL,
        PRIMARY KEY (tenant, system, object, id));
    CREATE UNIQUE INDEX identity_entity ON identity (tenant, entity, system, object);
    CREATE TABLE ledger (
        tenant TEXT NOT NULL, system TEXT NOT NULL, object TEXT NOT NULL, id TEXT NOT NULL,
        field TEXT NOT NULL, hash TEXT NOT NULL, version TEXT, written_at TEXT NOT NULL,
        PRIMARY KEY (tenant, system, object, id, field));
    CREATE TABLE journal (
        tenant TEXT NOT NULL, key TEXT NOT NULL, flow TEXT NOT NULL, action TEXT NOT NULL,
        source TEXT NOT NULL, target TEXT, entity TEXT, body TEXT NOT NULL, status TEXT NOT NULL,
        created_at TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (tenant, key));
    CREATE INDEX journal_pending ON journal (tenant, flow, status);
    CREATE TABLE conflicts (
        id INTEGER PRIMARY KEY AUTOINCREMENT, tenant TEXT NOT NULL, flow TEXT NOT NULL,
        kind TEXT NOT NULL, entity TEXT, field TEXT NOT NULL, source TEXT NOT NULL, target TEXT,
        source_key TEXT NOT NULL, target_key TEXT, source_value TEXT, target_value TEXT,
        candidates TEXT NOT NULL, policy TEXT NOT NULL, status TEXT NOT NULL, take TEXT, value TEXT,
        resolved_at TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
    CREATE INDEX conflicts_status ON conflicts (tenant, status);
    CREATE INDEX conflicts_source ON conflicts (tenant, source_key);
    CREATE INDEX conflicts_target ON conflicts (tenant, target_key);
    CREATE TABLE dead_letters (
        tenant TEXT NOT NULL, flow TEXT NOT NULL, source TEXT NOT NULL, version TEXT,
        action TEXT NOT NULL, error_type TEXT NOT NULL, message TEXT NOT NULL,
        attempts INTEGER NOT NULL, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL,
        PRIMARY KEY (tenant, flow, source));
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT, tenant TEXT NOT NULL, flow TEXT NOT NULL,
        started_at TEXT NOT NULL, ended_at TEXT NOT NULL, writes INTEGER NOT NULL,
        counts TEXT NOT NULL, api_calls TEXT NOT NULL, dry_run INTEGER NOT NULL);
    CREATE TABLE leases (
        tenant TEXT NOT NULL, flow TEXT NOT NULL, holder TEXT NOT NULL, acquired_at TEXT NOT NULL,
        expires_at TEXT NOT NULL, PRIMARY KEY (tenant, flow));
    """,
    # v2: processed source versions (dedupe of overlap re-reads); run status and error.
    """
    CREATE TABLE processed (
        tenant TEXT NOT NULL, flow TEXT NOT NULL, id TEXT NOT NULL, version TEXT NOT NULL,
        PRIMARY KEY (tenant, flow, id));
    ALTER TABLE runs ADD COLUMN status TEXT NOT NULL DEFAULT 'ok';
    ALTER TABLE runs ADD COLUMN error TEXT;
    """,
    # v3: open field conflicts are found by (entity, field), not by scanning every open conflict.
    """
    CREATE INDEX conflicts_entity ON conflicts (tenant, entity, field);
    """,
    # v4: target key indexes held in the file, not in memory (msplink.sync._keys; a rebuildable cache).
    """
    CREATE TABLE match_scopes (
        id INTEGER PRIMARY KEY AUTOINCREMENT, tenant TEXT NOT NULL, name TEXT NOT NULL,
        holder TEXT NOT NULL, touched_at TEXT NOT NULL, loaded INTEGER NOT NULL);
    CREATE TABLE match_keys (
        scope INTEGER NOT NULL, digest INTEGER NOT NULL, id TEXT NOT NULL,
        PRIMARY KEY (scope, digest, id)) WITHOUT ROWID;
    CREATE INDEX match_keys_id ON match_keys (scope, id);
    CREATE TABLE match_written (
        scope INTEGER NOT NULL, id TEXT NOT NULL, PRIMARY KEY (scope, id)) WITHOUT ROWID;
    """,
)
SCHEMA_VERSION: Final = len(MIGRATIONS)
_CHUNK: Final = 400
# SQL here is built only from constant column lists and "?" placeholders (hence the S608 noqa's).


def _ref_text(ref: ExternalRef | None) -> str | None:
    if ref is None:
        return None
    return json.dumps([ref.system, ref.object_type, ref.id, ref.version])


def _ref(text: str | None) -> ExternalRef | None:
    if text is None:
        return None
    system, object_type, id_, version = json.loads(text)
    return ExternalRef(system, object_type, id_, version)


def _key(ref: ExternalRef) -> str:
    return json.dumps([ref.system, ref.object_type, ref.id])


def _time(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def _dump(value: object) -> str:
    return json.dumps(encode(value), sort_keys=True)


def _load(text: str | None) -> Any:
    return None if text is None else decode(json.loads(text))


def _chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _marks(n: int) -> str:
    return ",".join("?" * n)


def create_private(path: Path) -> None:
    """Create ``path`` (and its folder) with mode 0600, or tighten an existing file to 0600."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if stat.S_IMODE(os.fstat(fd).st_mode) & 0o077:
            os.fchmod(fd, 0o600)
            logger.warning("state file %s was readable by others; its mode is now 0600", path)
    finally:
        os.close(fd)


class SQLiteStateStore:
    """The embedded state store: one SQLite file (WAL), created 0600, versioned by migrations.

    Args:
        path: The database file (created if missing; ``":memory:"`` for a private in-memory one).
        tenant: The tenant every row belongs to (one file can serve many MSPs).
        clock: Returns the current aware time (leases, timestamps); injectable for tests.
        timeout: Seconds to wait for another process's write transaction.

    Raises:
        ConfigurationError: The file was written by a newer msplink (unknown schema version).
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        tenant: str = "default",
        clock: Clock = utcnow,
        timeout: float = 30.0,
    ) -> None:
        if not tenant:
            raise ConfigurationError("a state store needs a non-empty tenant")
        self._path = str(path)
        self._tenant = tenant
        self._clock = clock
        self._timeout = timeout
        if self._path != ":memory:":
            create_private(Path(self._path))
        self._lock = threading.RLock()
        self._db = sqlite3.connect(self._path, timeout=timeout, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._migrate()

    def __repr__(self) -> str:
        return f"SQLiteStateStore({self._path!r}, tenant={self._tenant!r})"

    @property
    def tenant(self) -> str:
        """The tenant every row belongs to."""
        return self._tenant

    @property
    def path(self) -> str:
        """The database file."""
        return self._path

    @property
    def schema_version(self) -> int:
        """The file's ``PRAGMA user_version``."""
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def with_tenant(self, tenant: str) -> SQLiteStateStore:
        """The same file opened for another tenant (a new connection)."""
        return SQLiteStateStore(self._path, tenant=tenant, clock=self._clock, timeout=self._timeout)

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._db.close()

    def __enter__(self) -> SQLiteStateStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _migrate(self) -> None:
        version = self.schema_version
        if version > SCHEMA_VERSION:
            raise ConfigurationError(
                f"state file {self._path} has schema version {version}; this msplink knows up to "
                f"{SCHEMA_VERSION} (upgrade msplink)"
            )
        for number in range(version, SCHEMA_VERSION):
            with self._tx() as db:
                for statement in MIGRATIONS[number].split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {number + 1}")
            logger.info("state file %s migrated to schema version %d", self._path, number + 1)

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _rows(self, sql: str, *args: Any) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    # --- public helpers --------------------------------------------------------------------

    def _conflict(self, row: tuple[Any, ...]) -> Conflict:
        (cid, flow, kind, entity, field, source, target, sv, tv, cands, policy, status, take, value,
         resolved_at, created_at) = row  # fmt: skip
        return Conflict(
            id=cid,
            flow=flow,
            kind=kind,
            entity=entity,
            field=field,
            source=_ref(source),  # type: ignore[arg-type]
            target=_ref(target),
            source_value=_load(sv),
            target_value=_load(tv),
            candidates=tuple(ExternalRef(*c) for c in json.loads(cands)),
            policy=policy,
            status=status,
            take=take,
            value=_load(value),
            resolved_at=_time(resolved_at),
            created_at=_time(created_at),
        )

    _CONFLICT_COLUMNS = (
        "id, flow, kind, entity, field, source, target, source_value, target_value, candidates, policy, "
        "status, take, value, resolved_at, created_at"
    )

    def conflicts(self, status: str | None = "open", *, flow: str | None = None) -> list[Conflict]:
        """Conflicts with this status (``None``: all), oldest first."""
        sql = f"SELECT {self._CONFLICT_COLUMNS} FROM conflicts WHERE tenant = ?"  # noqa: S608
        args: list[Any] = [self._tenant]
        if status is not None:
            sql += " AND status = ?"
            args.append(status)
        if flow is not None:
            sql += " AND flow = ?"
            args.append(flow)
        return [self._conflict(r) for r in self._rows(sql + " ORDER BY id", *args)]

    def resolve_conflict(self, id: int, take: object = "source") -> Conflict:
        """Decide a conflict (see :meth:`StateStore.resolve_conflict`).

        Raises:
            ConfigurationError: No such conflict for this tenant, it is already applied, or the
                decision does not fit it.
        """
        with self._tx() as db:
            row = db.execute(
                f"SELECT {self._CONFLICT_COLUMNS} FROM conflicts WHERE tenant = ? AND id = ?",  # noqa: S608
                (self._tenant, id),
            ).fetchone()
            if row is None:
                raise ConfigurationError(f"no conflict {id} for tenant {self._tenant!r}")
            conflict = self._conflict(row)
            if conflict.status == "applied":
                raise ConfigurationError(f"conflict {id} is already applied")
            kind, value = decide(conflict, take)
            now = self._clock()
            db.execute(
                "UPDATE conflicts SET status = 'resolved', take = ?, value = ?, resolved_at = ?, updated_at = ? "
                "WHERE tenant = ? AND id = ?",
                (kind, _dump(value), now.isoformat(), now.isoformat(), self._tenant, id),
            )
        return attrs.evolve(conflict, status="resolved", take=kind, value=value, resolved_at=now)

    def dead_letters(self, flow: str | None = None) -> list[DeadLetter]:
        """Records that failed, oldest first."""
        sql = (
            "SELECT flow, source, version, action, error_type, message, attempts, first_seen, last_seen "
            "FROM dead_letters WHERE tenant = ?"
        )
        args: list[Any] = [self._tenant]
        if flow is not None:
            sql += " AND flow = ?"
            args.append(flow)
        out = []
        for flow_, source, version, action, etype, message, attempts, first, last in self._rows(
            sql + " ORDER BY first_seen, source", *args
        ):
            ref = _ref(source) or ExternalRef("?", "?", "?")
            out.append(
                DeadLetter(
                    flow=flow_,
                    source=attrs.evolve(ref, version=version),
                    action=action,
                    error_type=etype,
                    message=message,
                    attempts=attempts,
                    first_seen=datetime.fromisoformat(first),
                    last_seen=datetime.fromisoformat(last),
                )
            )
        return out

    def runs(self, flow: str | None = None) -> list[RunRecord]:
        """The run log, oldest first."""
        sql = (
            "SELECT id, flow, started_at, ended_at, writes, counts, api_calls, dry_run, status, error "
            "FROM runs WHERE tenant = ?"
        )
        args: list[Any] = [self._tenant]
        if flow is not None:
            sql += " AND flow = ?"
            args.append(flow)
        return [
            RunRecord(
                id=rid,
                flow=flow_,
                started_at=datetime.fromisoformat(started),
                ended_at=datetime.fromisoformat(ended),
                writes=writes,
                counts=json.loads(counts),
                api_calls=json.loads(calls),
                dry_run=bool(dry),
                status=status,
                error=error,
            )
            for rid, flow_, started, ended, writes, counts, calls, dry, status, error in self._rows(
                sql + " ORDER BY id", *args
            )
        ]

    def links(self, entity: str | ExternalRef) -> tuple[ExternalRef, ...]:
        """Every record linked to an entity (by key, or by any of its records)."""
        if isinstance(entity, ExternalRef):
            found = self._rows(
                "SELECT entity FROM identity WHERE tenant = ? AND system = ? AND object = ? AND id = ?",
                self._tenant,
                entity.system,
                entity.object_type,
                entity.id,
            )
            if not found:
                return ()
            entity = found[0][0]
        rows = self._rows(
            "SELECT system, object, id FROM identity WHERE tenant = ? AND entity = ? ORDER BY system, object, id",
            self._tenant,
            entity,
        )
        return tuple(ExternalRef(*r) for r in rows)

    def watermark(self, flow: str) -> Watermark | None:
        """Where the flow's change reading stands."""
        rows = self._rows(
            "SELECT updated_at, last_id FROM watermarks WHERE tenant = ? AND flow = ?", self._tenant, flow
        )
        return Watermark(updated_at=datetime.fromisoformat(rows[0][0]), id=rows[0][1]) if rows else None

    def key_index(self, name: str) -> SQLiteKeyIndex:
        """A new, empty target key index held in this file (see :mod:`msplink.sync._keys`).

        Adapters hold their match-key index here rather than in memory, so a run's memory stays flat
        however many target records there are. Each call opens a fresh scope; scopes whose process
        is gone are deleted.
        """
        return SQLiteKeyIndex(self, name)

    def reset(self, flow: str) -> None:
        """Forget the flow's watermark and processed versions (links and ledger stay)."""
        with self._tx() as db:
            db.execute("DELETE FROM watermarks WHERE tenant = ? AND flow = ?", (self._tenant, flow))
            db.execute("DELETE FROM processed WHERE tenant = ? AND flow = ?", (self._tenant, flow))
        logger.info("flow %s: state reset (full resync on the next run)", flow)

    # --- engine side -----------------------------------------------------------------------

    def acquire_lease(self, flow: str, holder: str, ttl: timedelta) -> None:
        """Take or renew the flow's lease (raises ``LeaseError`` naming a live holder)."""
        now = self._clock()
        with self._tx() as db:
            row = db.execute(
                "SELECT holder, expires_at FROM leases WHERE tenant = ? AND flow = ?", (self._tenant, flow)
            ).fetchone()
            if row is not None:
                expires = datetime.fromisoformat(row[1])
                if not lease_is_free(row[0], expires, holder, now):
                    raise LeaseError(flow, row[0], expires)
            db.execute(
                "INSERT OR REPLACE INTO leases (tenant, flow, holder, acquired_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                (self._tenant, flow, holder, now.isoformat(), (now + ttl).isoformat()),
            )

    def release_lease(self, flow: str, holder: str) -> None:
        """Give the lease back if ``holder`` holds it."""
        with self._tx() as db:
            db.execute(
                "DELETE FROM leases WHERE tenant = ? AND flow = ? AND holder = ?",
                (self._tenant, flow, holder),
            )

    def _by_side(self, refs: Iterable[ExternalRef]) -> dict[tuple[str, str], list[str]]:
        groups: dict[tuple[str, str], list[str]] = {}
        for ref in refs:
            groups.setdefault((ref.system, ref.object_type), []).append(ref.id)
        return groups

    def identities(self, refs: Iterable[ExternalRef]) -> dict[ExternalRef, tuple[str, str | None]]:
        """For each linked ref: ``(entity, written_version)``."""
        wanted = list(refs)
        by_side = {(r.system, r.object_type, r.id): r for r in wanted}
        out: dict[ExternalRef, tuple[str, str | None]] = {}
        for (system, object_type), ids in self._by_side(wanted).items():
            for chunk in _chunks(ids):
                for id_, entity, written in self._rows(
                    f"SELECT id, entity, written_version FROM identity WHERE tenant = ? AND system = ? AND "  # noqa: S608
                    f"object = ? AND id IN ({_marks(len(chunk))})",
                    self._tenant,
                    system,
                    object_type,
                    *chunk,
                ):
                    out[by_side[(system, object_type, id_)]] = (entity, written)
        return out

    def linked(self, entities: Iterable[str], system: str, object: str | None) -> dict[str, ExternalRef]:
        """For each entity: its record in ``(system, object)`` (any object when ``None``)."""
        wanted = sorted(set(entities))
        out: dict[str, ExternalRef] = {}
        for chunk in _chunks(wanted):
            # By the entity index: an ORDER BY here made SQLite walk the primary key of every identity
            # row of the system instead (one full scan per page: reruns grew quadratic). Sorted below.
            sql = (
                "SELECT entity, system, object, id FROM identity INDEXED BY identity_entity "  # noqa: S608
                f"WHERE tenant = ? AND system = ? AND entity IN ({_marks(len(chunk))})"
            )
            args: list[Any] = [self._tenant, system, *chunk]
            if object is not None:
                sql += " AND object = ?"
                args.append(object)
            for entity, sys_, obj, id_ in sorted(self._rows(sql, *args), key=lambda r: (r[0], r[2], r[3])):
                out.setdefault(entity, ExternalRef(sys_, obj, id_))
        return out

    def pairs(self, a: tuple[str, str], b: tuple[str, str]) -> list[tuple[str, str]]:
        """Linked id pairs between two (system, object)s."""
        rows = self._rows(
            "SELECT x.id, y.id FROM identity x JOIN identity y ON x.tenant = y.tenant AND x.entity = y.entity "
            "WHERE x.tenant = ? AND x.system = ? AND x.object = ? AND y.system = ? AND y.object = ? "
            "ORDER BY x.id, y.id",
            self._tenant,
            *a,
            *b,
        )
        return [(x, y) for x, y in rows]

    def ledger(self, refs: Iterable[ExternalRef]) -> dict[tuple[str, str, str], dict[str, str]]:
        """Ledger hashes by ``(system, object, id)`` then field."""
        out: dict[tuple[str, str, str], dict[str, str]] = {}
        for (system, object_type), ids in self._by_side(refs).items():
            for chunk in _chunks(ids):
                for id_, field, digest in self._rows(
                    f"SELECT id, field, hash FROM ledger WHERE tenant = ? AND system = ? AND object = ? "  # noqa: S608
                    f"AND id IN ({_marks(len(chunk))})",
                    self._tenant,
                    system,
                    object_type,
                    *chunk,
                ):
                    out.setdefault((system, object_type, id_), {})[field] = digest
        return out

    def processed(self, flow: str, ids: Iterable[str]) -> dict[str, str]:
        """The version each source id was last processed at."""
        out: dict[str, str] = {}
        for chunk in _chunks(list(ids)):
            out.update(
                self._rows(
                    f"SELECT id, version FROM processed WHERE tenant = ? AND flow = ? AND id IN ({_marks(len(chunk))})",  # noqa: S608
                    self._tenant,
                    flow,
                    *chunk,
                )
            )
        return out

    def conflicts_for(self, refs: Iterable[ExternalRef], statuses: Collection[str]) -> list[Conflict]:
        """Conflicts in these statuses about one of ``refs`` (as source or target)."""
        keys = sorted({_key(r) for r in refs})
        found: dict[int, Conflict] = {}
        for chunk in _chunks(keys):
            marks = _marks(len(chunk))
            for column, index in (("source_key", "conflicts_source"), ("target_key", "conflicts_target")):
                # by the key's index: the status index would read every resolved and applied conflict
                for row in self._rows(
                    f"SELECT {self._CONFLICT_COLUMNS} FROM conflicts INDEXED BY {index} "  # noqa: S608
                    f"WHERE tenant = ? AND {column} IN ({marks}) AND status IN ({_marks(len(statuses))})",
                    self._tenant,
                    *chunk,
                    *statuses,
                ):
                    found[row[0]] = self._conflict(row)
        return [found[cid] for cid in sorted(found)]

    def journal(self, intents: Sequence[Intent]) -> None:
        """Record intents pending, durably, in one transaction."""
        now = self._clock().isoformat()
        with self._tx() as db:
            db.executemany(
                "INSERT OR REPLACE INTO journal (tenant, key, flow, action, source, target, entity, body, status, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)",
                [
                    (
                        self._tenant,
                        i.key,
                        i.flow,
                        i.action.value,
                        _ref_text(i.source),
                        _ref_text(i.target),
                        i.entity,
                        json.dumps(
                            {
                                "values": dict(i.values),
                                "source_hashes": dict(i.source_hashes),
                                "target_hashes": dict(i.target_hashes),
                                "pure": i.pure,
                                "applied": list(i.applied),
                            },
                            sort_keys=True,
                        ),
                        (i.created_at.isoformat() if i.created_at else now),
                        now,
                    )
                    for i in intents
                ],
            )

    def journal_entries(self, flow: str | None = None, *, status: str | None = None) -> list[Intent]:
        """Journalled intents (for inspection), oldest first."""
        sql = (
            "SELECT key, flow, action, source, target, entity, body, status, created_at FROM journal "
            "WHERE tenant = ?"
        )
        args: list[Any] = [self._tenant]
        if flow is not None:
            sql += " AND flow = ?"
            args.append(flow)
        if status is not None:
            sql += " AND status = ?"
            args.append(status)
        out = []
        for key, flow_, action, source, target, entity, body, status_, created in self._rows(
            sql + " ORDER BY created_at, key", *args
        ):
            data = json.loads(body)
            out.append(
                Intent(
                    key=key,
                    flow=flow_,
                    action=Action(action),
                    source=_ref(source),  # type: ignore[arg-type]
                    target=_ref(target),
                    entity=entity,
                    values=data["values"],
                    source_hashes=data["source_hashes"],
                    target_hashes=data["target_hashes"],
                    pure=data["pure"],
                    applied=tuple(data["applied"]),
                    status=status_,
                    created_at=datetime.fromisoformat(created),
                )
            )
        return out

    def pending(self, flow: str) -> list[Intent]:
        """The flow's intents still pending."""
        return self.journal_entries(flow, status="pending")

    def commit(self, changes: StateChanges, *, lease: tuple[str, timedelta] | None = None) -> None:
        """Apply a page's changes in one transaction (watermark last)."""
        now = self._clock()
        stamp = now.isoformat()
        tenant, flow = self._tenant, changes.flow
        with self._tx() as db:
            for absorbed, into in changes.merges:
                db.execute(
                    "UPDATE identity SET entity = ? WHERE tenant = ? AND entity = ?", (into, tenant, absorbed)
                )
            for ref in changes.unlinks:
                db.execute(
                    "DELETE FROM identity WHERE tenant = ? AND system = ? AND object = ? AND id = ?",
                    (tenant, ref.system, ref.object_type, ref.id),
                )
            db.executemany(
                "DELETE FROM identity WHERE tenant = ? AND entity = ? AND system = ? AND object = ? AND id != ?",
                [(tenant, entity, ref.system, ref.object_type, ref.id) for entity, ref in changes.links],
            )
            db.executemany(
                "INSERT INTO identity (tenant, entity, system, object, id, linked_at) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (tenant, system, object, id) DO UPDATE SET entity = excluded.entity, "
                "written_version = CASE WHEN entity = excluded.entity THEN written_version END",
                [
                    (tenant, entity, ref.system, ref.object_type, ref.id, stamp)
                    for entity, ref in changes.links
                ],
            )
            db.executemany(
                "UPDATE identity SET written_version = ? WHERE tenant = ? AND system = ? AND object = ? AND id = ?",
                [(v, tenant, r.system, r.object_type, r.id) for r, v in changes.written],
            )
            db.executemany(
                "DELETE FROM ledger WHERE tenant = ? AND system = ? AND object = ? AND id = ?",
                [(tenant, r.system, r.object_type, r.id) for r in changes.forget],
            )
            db.executemany(
                "INSERT OR REPLACE INTO ledger (tenant, system, object, id, field, hash, version, written_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (tenant, r.system, r.object, r.id, r.field, r.hash, r.version, stamp)
                    for r in changes.ledger
                ],
            )
            db.executemany(
                "UPDATE journal SET status = ?, updated_at = ? WHERE tenant = ? AND key = ?",
                [(status, stamp, tenant, key) for key, status in changes.journal],
            )
            self._upsert_conflicts(db, changes.conflicts, stamp)
            db.executemany(
                "UPDATE conflicts SET status = 'applied', updated_at = ? WHERE tenant = ? AND id = ? "
                "AND status = 'resolved'",
                [(stamp, tenant, cid) for cid in changes.applied],
            )
            db.executemany(
                "DELETE FROM dead_letters WHERE tenant = ? AND flow = ? AND source = ?",
                [(tenant, flow, _ref_text(attrs.evolve(r, version=None))) for r in changes.cleared],
            )
            db.executemany(
                "INSERT INTO dead_letters (tenant, flow, source, version, action, error_type, message, attempts, "
                "first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?) ON CONFLICT (tenant, flow, source) "
                "DO UPDATE SET version = excluded.version, action = excluded.action, error_type = excluded.error_type, "
                "message = excluded.message, attempts = attempts + 1, last_seen = excluded.last_seen",
                [
                    (
                        tenant, flow, _ref_text(attrs.evolve(d.source, version=None)), d.source.version, d.action,
                        d.error_type, d.message, d.first_seen.isoformat(), stamp,
                    )
                    for d in changes.dead_letters
                ],
            )  # fmt: skip
            db.executemany(
                "INSERT OR REPLACE INTO processed (tenant, flow, id, version) VALUES (?, ?, ?, ?)",
                [(tenant, flow, id_, version) for id_, version in changes.processed],
            )
            if changes.watermark is not None:
                db.execute(
                    "INSERT OR REPLACE INTO watermarks (tenant, flow, updated_at, last_id, moved_at) VALUES (?, ?, ?, ?, ?)",
                    (tenant, flow, changes.watermark.updated_at.isoformat(), changes.watermark.id, stamp),
                )
            if lease is not None:
                db.execute(
                    "UPDATE leases SET expires_at = ? WHERE tenant = ? AND flow = ? AND holder = ?",
                    ((now + lease[1]).isoformat(), tenant, flow, lease[0]),
                )

    def _open_conflict(self, db: sqlite3.Connection, c: Conflict) -> Conflict | None:
        args: tuple[str, ...]
        if c.kind == "field" and c.entity:
            index, sql, args = (
                "conflicts_entity",
                "entity = ? AND field = ? AND kind = 'field'",
                (c.entity, c.field),
            )
        else:
            index, sql, args = (
                "conflicts_source",
                "source_key = ? AND kind = ? AND flow = ? AND field = ?",
                (_key(c.source), c.kind, c.flow, c.field),
            )
        rows = db.execute(
            f"SELECT {self._CONFLICT_COLUMNS} FROM conflicts INDEXED BY {index} "  # noqa: S608
            f"WHERE tenant = ? AND {sql} AND status = 'open'",
            (self._tenant, *args),
        ).fetchall()
        return None if not rows else self._conflict(min(rows, key=lambda r: int(r[0])))

    def _upsert_conflicts(self, db: sqlite3.Connection, conflicts: Sequence[Conflict], stamp: str) -> None:
        for found in conflicts:
            existing = self._open_conflict(db, found)
            c = found if existing is None else oriented(found, existing)
            values = (
                c.flow, c.kind, c.entity, c.field, _ref_text(c.source), _ref_text(c.target), _key(c.source),
                None if c.target is None else _key(c.target), _dump(c.source_value), _dump(c.target_value),
                json.dumps([[r.system, r.object_type, r.id, r.version] for r in c.candidates]), c.policy,
            )  # fmt: skip
            if existing is None:
                db.execute(
                    "INSERT INTO conflicts (tenant, flow, kind, entity, field, source, target, source_key, target_key, "
                    "source_value, target_value, candidates, policy, status, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)",
                    (self._tenant, *values, stamp, stamp),
                )
            else:
                db.execute(
                    "UPDATE conflicts SET flow = ?, kind = ?, entity = ?, field = ?, source = ?, target = ?, "
                    "source_key = ?, target_key = ?, source_value = ?, target_value = ?, candidates = ?, policy = ?, "
                    "updated_at = ? WHERE tenant = ? AND id = ?",
                    (*values, stamp, self._tenant, existing.id),
                )

    def record_run(self, run: RunRecord) -> RunRecord:
        """Append to the run log."""
        with self._tx() as db:
            cursor = db.execute(
                "INSERT INTO runs (tenant, flow, started_at, ended_at, writes, counts, api_calls, dry_run, status, "
                "error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    self._tenant,
                    run.flow,
                    run.started_at.isoformat(),
                    run.ended_at.isoformat(),
                    run.writes,
                    json.dumps(dict(run.counts), sort_keys=True),
                    json.dumps(dict(run.api_calls), sort_keys=True),
                    int(run.dry_run),
                    run.status,
                    run.error,
                ),
            )
        return attrs.evolve(run, id=cursor.lastrowid)
