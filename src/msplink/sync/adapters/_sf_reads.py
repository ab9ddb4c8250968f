"""The Salesforce reads of one run, shared by its adapters (:class:`SharedReads`, issue 18).

A recipe runs several flows over the same sObjects, and a flow looks up its target page by page. The
platform minimum reads each record once; this module is the memory that gets a run close to it. It
holds wire models (``msplink.salesforce.models``) only: it makes no call of its own, the adapter
(:mod:`msplink.sync.adapters.salesforce`) asks it first and tells it what it read and wrote.

The records live in a private temporary SQLite database (:class:`_Store`), on disk past a page cache
of :data:`~msplink.sync.adapters._disk.CACHE_KIB`: a run that reads 100,000 records holds about
what one that reads 10,000 does.
"""

from __future__ import annotations

import json
import re
import weakref
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any, Final

import attrs

from msplink.sync.adapters._disk import DiskModels, json_list

__all__ = ["SHARED_MAX_ROWS", "SharedReads"]

SHARED_MAX_ROWS: Final = 1_000_000
"""Records one :class:`SharedReads` holds at most (on disk: about 2 KiB each)."""
STALE_MAX: Final = 50_000
"""Stale values one table tracks at most (on disk, in the store); past that it is dropped."""

_Position = tuple[datetime, str]
_FIELD: Final = re.compile(r"^[a-z0-9_]+$")
"""A field a look-up can be answered by (lower case): a JSON path of the stored values."""
_SCHEMA: Final = """
CREATE TABLE rec (
    n INTEGER PRIMARY KEY, ob TEXT NOT NULL, id TEXT NOT NULL, kind INTEGER NOT NULL,
    deleted INTEGER NOT NULL, live INTEGER NOT NULL, raw BLOB NOT NULL, vals TEXT NOT NULL
);
CREATE UNIQUE INDEX rec_id ON rec (ob, id);
CREATE TABLE tab (
    ob TEXT NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL, stamp TEXT NOT NULL,
    PRIMARY KEY (ob, seq)
) WITHOUT ROWID;
CREATE INDEX tab_id ON tab (ob, id);
CREATE TABLE stmt (
    ob TEXT NOT NULL, deleted INTEGER NOT NULL, text TEXT NOT NULL, after TEXT, ids TEXT NOT NULL,
    PRIMARY KEY (ob, deleted, text)
);
CREATE TABLE stale (
    ob TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (ob, field, value)
) WITHOUT ROWID;
"""
_IDS: Final = ""
"""The ``stale`` field of written record ids (no field has an empty name)."""


def _position(model: Any) -> _Position:
    stamp = model.system_modstamp
    stamp = stamp.astimezone(timezone.utc) if stamp is not None else datetime.min.replace(tzinfo=timezone.utc)
    return stamp, str(model.id)


def _values(record: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    """A record's scalar fields as ``(field, value)`` (lower-case names), as a look-up compares them."""
    for key, value in record.items():
        if value is not None and not isinstance(value, (dict, list)):
            yield key.lower(), str(value)


def _stamp(position: _Position) -> str:
    return position[0].isoformat()


class _Store(DiskModels):
    """The records of one :class:`SharedReads` in a private temporary SQLite database
    (:class:`~msplink.sync.adapters._disk.DiskModels`). A record is kept once per sObject (``rec``),
    with its scalar values by lower-case field name (``vals``, a JSON object a look-up by field is
    answered from, through an index made the first time that field is asked); a table is the order
    of its rows (``tab``); a statement the ids it returned (``stmt``). ``SObject.from_api`` keeps
    the payload as ``raw``."""

    def __init__(self) -> None:
        super().__init__(_SCHEMA)
        self._indexed: set[str] = set()

    # --- records ---------------------------------------------------------------------------

    def live(self, ob: str, ids: Iterable[str]) -> set[str]:
        """Which of ``ids`` are held (live)."""
        query = "SELECT id FROM rec WHERE ob = ? AND live = 1 AND id IN (SELECT value FROM json_each(?))"
        return {row[0] for row in self.db.execute(query, (ob, json_list(ids)))}

    def put(self, ob: str, models: Sequence[Any]) -> int:
        """Hold those of ``models`` not held (one held stays as the run first read it); how many."""
        fresh = {str(m.id) for m in models}
        fresh -= self.live(ob, fresh)
        rows = []
        for model in models:
            record_id = str(model.id)
            if record_id not in fresh:
                continue
            fresh.discard(record_id)
            # Salesforce names are unique whatever their case: one value per lower-case name
            vals = json.dumps(dict(_values(getattr(model, "raw", None) or {})))
            rows.append(
                (ob, record_id, self.kind_of(model), int(bool(model.is_deleted)), self.blob(model), vals)
            )
        self.db.executemany(
            "INSERT INTO rec (ob, id, kind, deleted, live, raw, vals) VALUES (?, ?, ?, ?, 1, ?, ?) "
            "ON CONFLICT (ob, id) DO UPDATE SET kind = excluded.kind, deleted = excluded.deleted, "
            "live = 1, raw = excluded.raw, vals = excluded.vals",
            rows,
        )
        return len(rows)

    def get(self, ob: str, ids: Sequence[str]) -> dict[str, Any]:
        """The held records of ``ids``, by id."""
        query = (
            "SELECT id, kind, raw FROM rec WHERE ob = ? AND live = 1 "
            "AND id IN (SELECT value FROM json_each(?))"
        )
        return {row[0]: self.model(row[1], row[2]) for row in self.db.execute(query, (ob, json_list(ids)))}

    def unhold(self, ob: str, ids: Sequence[str]) -> int:
        """Stop answering ``ids`` by id (their table rows stay); how many were held."""
        cursor = self.db.execute(
            "UPDATE rec SET live = 0 WHERE ob = ? AND live = 1 AND id IN (SELECT value FROM json_each(?))",
            (ob, json_list(ids)),
        )
        return cursor.rowcount

    def drop(self, ob: str | None) -> None:
        """Everything of ``ob`` (``None``: of every sObject)."""
        for name in ("rec", "tab", "stmt", "stale"):
            if ob is None:
                self.db.execute(f"DELETE FROM {name}")  # noqa: S608 (a constant table name)
            else:
                self.db.execute(f"DELETE FROM {name} WHERE ob = ?", (ob,))  # noqa: S608

    # --- statements ------------------------------------------------------------------------

    def statement(self, ob: str, text: str, deleted: bool) -> tuple[list[Any], _Position | None] | None:
        found = self.db.execute(
            "SELECT ids, after FROM stmt WHERE ob = ? AND deleted = ? AND text = ?", (ob, int(deleted), text)
        ).fetchone()
        if found is None:
            return None
        ids: list[str] = json.loads(found[0])
        models = self.get(ob, ids)
        after = None
        if found[1] is not None:
            stamp, _, last = found[1].partition("|")
            after = (datetime.fromisoformat(stamp), last)
        return [models[i] for i in ids], after

    def has_statement(self, ob: str, text: str, deleted: bool) -> bool:
        query = "SELECT 1 FROM stmt WHERE ob = ? AND deleted = ? AND text = ?"
        return self.db.execute(query, (ob, int(deleted), text)).fetchone() is not None

    def keep_statement(
        self, ob: str, text: str, deleted: bool, rows: Sequence[Any], after: _Position | None
    ) -> None:
        mark = f"{_stamp(after)}|{after[1]}" if after is not None else None
        self.db.execute(
            "INSERT INTO stmt (ob, deleted, text, after, ids) VALUES (?, ?, ?, ?, ?)",
            (ob, int(deleted), text, mark, json_list(str(m.id) for m in rows)),
        )

    def forget_statements(self, ob: str) -> None:
        self.db.execute("DELETE FROM stmt WHERE ob = ?", (ob,))

    # --- tables ----------------------------------------------------------------------------

    def add_rows(self, ob: str, start: int, models: Sequence[Any]) -> None:
        self.db.executemany(
            "INSERT INTO tab (ob, seq, id, stamp) VALUES (?, ?, ?, ?)",
            ((ob, start + n, str(m.id), _stamp(_position(m))) for n, m in enumerate(models)),
        )

    def clear_rows(self, ob: str) -> None:
        """Forget the table of ``ob`` (its rows and what was stale of it)."""
        self.db.execute("DELETE FROM tab WHERE ob = ?", (ob,))
        self.db.execute("DELETE FROM stale WHERE ob = ?", (ob,))

    def add_stale(self, ob: str, field: str, values: Iterable[str]) -> int:
        """``values`` of ``field`` (:data:`_IDS`: record ids) are stale in the table of ``ob``; how
        many were not already."""
        cursor = self.db.executemany(
            "INSERT OR IGNORE INTO stale (ob, field, value) VALUES (?, ?, ?)",
            ((ob, field, v) for v in values),
        )
        return max(0, cursor.rowcount)

    def stale_of(self, ob: str, field: str, values: Iterable[str]) -> set[str]:
        """Which of ``values`` of ``field`` are stale in the table of ``ob``."""
        query = (
            "SELECT value FROM stale WHERE ob = ? AND field = ? AND value IN (SELECT value FROM json_each(?))"
        )
        return {row[0] for row in self.db.execute(query, (ob, field, json_list(values)))}

    def seq(self, ob: str, position: _Position) -> int | None:
        """Where the row at ``position`` is in the table (``None``: not there at that position)."""
        found = self.db.execute(
            "SELECT seq, stamp FROM tab WHERE ob = ? AND id = ?", (ob, position[1])
        ).fetchone()
        if found is None or datetime.fromisoformat(found[1]) != position[0]:
            return None
        return int(found[0])

    def page(self, ob: str, start: int, deleted: bool, size: int) -> tuple[list[Any], _Position | None]:
        """Up to ``size`` table rows from ``start`` on (``deleted``: tombstones too), and the
        position after the last one when more follow."""
        rows = self.db.execute(
            "SELECT t.id, t.stamp, r.kind, r.raw FROM tab t JOIN rec r ON r.ob = t.ob AND r.id = t.id "
            "WHERE t.ob = ? AND t.seq >= ? AND (? OR r.deleted = 0) ORDER BY t.seq LIMIT ?",
            (ob, start, int(deleted), size + 1),
        ).fetchall()
        items = [self.model(kind, raw) for _, _, kind, raw in rows[:size]]
        if len(rows) > size:
            last = rows[size - 1]
            return items, (datetime.fromisoformat(last[1]), last[0])
        return items, None

    def rows_by(self, ob: str, field: str, values: Iterable[str], deleted: bool) -> list[Any]:
        """The table rows whose ``field`` (lower case; ``id``: the record id) holds one of
        ``values``, in table order, but those a write made stale."""
        if field == "id":
            match = "t.id IN (SELECT value FROM json_each(?))"
        else:
            if not _FIELD.match(field):  # the name goes into the statement: never one of another shape
                raise ValueError(f"not a field a look-up is answered by: {field!r}")
            path = f'$."{field}"'
            if field not in self._indexed:
                self.db.execute(
                    f"CREATE INDEX IF NOT EXISTS \"rec_{field}\" ON rec (ob, json_extract(vals, '{path}'))"
                )
                self._indexed.add(field)
            match = f"json_extract(r.vals, '{path}') IN (SELECT value FROM json_each(?))"  # noqa: S608
        found = self.db.execute(
            f"SELECT t.id, r.kind, r.raw FROM tab t JOIN rec r ON r.ob = t.ob AND r.id = t.id "  # noqa: S608
            f"WHERE t.ob = ? AND r.ob = ? AND {match} AND (? OR r.deleted = 0) "
            "AND NOT EXISTS (SELECT 1 FROM stale s WHERE s.ob = t.ob AND s.field = ? AND s.value = t.id) "
            "ORDER BY t.seq",
            (ob, ob, json_list(values), int(deleted), _IDS),
        )
        return [self.model(kind, raw) for _, kind, raw in found]

    def vals(self, ob: str, ids: Sequence[str]) -> Iterator[tuple[str, str]]:
        """The stored ``(field, value)`` pairs of the table rows of ``ids``."""
        query = (
            "SELECT r.vals FROM tab t JOIN rec r ON r.ob = t.ob AND r.id = t.id "
            "WHERE t.ob = ? AND t.id IN (SELECT value FROM json_each(?))"
        )
        for (text,) in self.db.execute(query, (ob, json_list(ids))):
            yield from json.loads(text).items()


@attrs.define
class _Table:
    """Every row of one sObject (or every row whose ``scope`` field is set), in keyset order, as one
    complete read returned them (the rows are in the store); and what the run wrote since."""

    deleted: bool
    """Read through ``/queryAll``: the deleted rows are in it (a ``/query`` table has live rows only)."""
    scope: str | None = None
    """``None``: every row of the sObject. A field name (lower case): every row whose field is not
    null (``WHERE CW_Ticket_Id__c != null``): it answers look-ups by that field only."""
    count: int = 0
    end: _Position | None = None
    complete: bool = False
    written: bool = False
    """A member wrote the sObject since the read: rows it created are not in the table, so it no
    longer answers a page of every row; look-ups still are, but for :attr:`stale` values."""
    stale_ids: int = 0
    """Records written since the read (their ids are in the store's ``stale`` table)."""
    stale: int = 0
    """Values a write sent or took away since the read, of the fields in :attr:`asked` (in the store's
    ``stale`` table, on disk): a look-up of one goes to Salesforce (a record may have that value now,
    or no longer)."""
    asked: set[str] = attrs.field(factory=set)
    """Fields (lower case) look-ups asked the table by: from the first write on, the only ones it
    answers (a write's stale values are kept for them alone, so they stay few)."""

    @property
    def tracked(self) -> int:
        """Values in :attr:`stale` and :attr:`stale_ids`."""
        return self.stale_ids + self.stale


@attrs.define
class Scope:
    """How far a run went towards a scoped table of one field (see :meth:`SharedReads.scope`).

    Attributes:
        total: Rows whose field is set, as the first page of their read counted them (``totalSize``);
            ``None``: not read yet.
        rent: ``POST /composite`` and ``GET /query`` calls the run's look-ups by ``IN (...)`` of this
            field made instead of reading the table.
        out: The table would not fit (``max_rows``): look-ups go on by ``IN (...)`` for the run.
    """

    total: int | None = None
    rent: int = 0
    out: bool = False


@attrs.define
class _Bucket:
    """What one sObject's reads returned (the records are in the store)."""

    table: _Table | None = None
    live: int = 0
    """Records any read of the run returned that are answered by id (a write takes its own out)."""
    scopes: dict[str, Scope] = attrs.field(factory=dict)
    """Field (lower case) -> how far the run went towards its scoped table."""

    @property
    def held(self) -> int:
        """Records held, each once: those answered by id, and the table's rows a write took out of it."""
        return self.live + (self.table.stale_ids if self.table is not None else 0)


_USER_RELATIONS: Final = frozenset({"owner", "createdby", "lastmodifiedby"})
"""Relationships to ``User``, which no flow writes."""


class SharedReads:
    """The Salesforce reads of one run, shared by its adapters so that no record is asked for twice.

    A recipe runs several flows over the same sObjects: ``leads_to_connectwise`` reads every ``Lead``
    three times (lead companies, open leads, converted leads) and looks four of them up again for the
    write-back; ``accounts_and_contacts`` reads every ``Account`` as a source, again to load its target
    index, again by id for the records it updates and by external id for the ones it creates. The
    platform minimum (issue 18) reads each record once. This is that memory, for one run:

    - every adapter that joins it reads its sObject with one field list (the union of theirs), so
      their statements are the same text;
    - a statement answered once is answered again from memory (its rows, and whether a page followed);
    - a record any read returned is not asked for again by ``Id``;
    - a complete read of an sObject with no condition (every keyset page of ``SELECT ... FROM X``, from
      the first page to the last: a source's first read through ``/queryAll``, deleted rows included,
      or a target's index load through ``/query``) is the *table*: later reads of it with no condition
      (any page), by ``Id``, by an external-id field and by a parent field (``AccountId IN (...)``)
      are answered from it, as Salesforce would have answered them at the time of that read (deleted
      rows only from a ``/queryAll`` table);
    - a complete read of the rows whose external-id field is set (``WHERE CW_Ticket_Id__c != null``,
      every keyset page, no write between the first and the last, :meth:`feed_scoped`) is a *scoped
      table*: it answers look-ups by that field (:meth:`scope` keeps how far a run went towards one);
    - a write through a member (create, upsert, update, delete) forgets the statements of its sObject
      and the records it wrote, and everything of every sObject whose rows reach it through a
      relationship (``Account.Name`` of a Contact). Its table stays, knowing what was written: the
      values the write sent and those the written rows held are *stale*, and a look-up of a stale value
      or a written ``Id`` goes to Salesforce; a page of every row is not answered from it again (the
      rows created are not in it). What the write changed is read again from Salesforce (settling a
      write always asks the platform).

    The answers are as fresh as the run's first read of them, never older: a record another user changes
    during the run is read at its new ``SystemModstamp`` by the next run (watermarks come from the
    records, not from the clock). The records are kept in a private temporary SQLite database, on disk
    past a page cache of :data:`~msplink.sync.adapters._disk.CACHE_KIB` (memory stays flat however
    many a run reads), each as its ``raw`` payload, built again by its class's ``from_api`` when a
    read is answered. It holds at most
    ``max_rows`` records; past that it keeps no more, and the reads it cannot answer go to Salesforce
    as before. Make one per run (a recipe's ``flows()`` does): it is not a cache across runs. The
    database goes with the object.

    Args:
        max_rows: Records held at most; reads past it go to Salesforce.

    Attributes:
        served: Reads answered from memory (each would have been one ``GET /query`` or more).
        epoch: Writes through members so far (a read of several calls is kept only if none came
            between its first and its last).
    """

    def __init__(self, *, max_rows: int = SHARED_MAX_ROWS) -> None:
        self.max_rows = max_rows
        self.served = 0
        self.epoch = 0
        self._members: dict[str, list[Any]] = {}
        self._buckets: dict[str, _Bucket] = {}
        self._store = _Store()
        weakref.finalize(self, self._store.close)  # dropped: the database goes too

    def __repr__(self) -> str:
        held = sum(b.held for b in self._buckets.values())
        return f"<SharedReads {sorted(self._members)} held={held} served={self.served}>"

    # --- members ---------------------------------------------------------------------------

    def join(self, adapter: Any) -> None:
        """Read ``adapter``'s sObject with the union of every member's field list."""
        members = self._members.setdefault(adapter.sobject.lower(), [])
        members.append(adapter)
        fields = tuple(dict.fromkeys(f for m in members for f in m.fields))
        for member in members:
            member.fields = fields

    def _keys(self, sobject: str) -> set[str]:
        """The external-id fields the members of ``sobject`` look records up by (lower case): a
        table keeps their stale values from its first write on, so it answers those look-ups after
        the run wrote (a write-back of ids, say) as well as before."""
        return {
            m.external_id_field.lower()
            for m in self.members(sobject)
            if getattr(m, "external_id_field", None)
        }

    def members(self, sobject: str) -> Sequence[Any]:
        """The adapters of ``sobject`` that joined."""
        return self._members.get(sobject.lower(), ())

    def reads(self, sobject: str, field: str) -> bool:
        """Whether the members of ``sobject`` read ``field``."""
        members = self.members(sobject)
        return bool(members) and field.lower() in {f.lower() for f in members[0].fields}

    def forget(
        self,
        sobject: str | None = None,
        ids: Iterable[str] | None = None,
        records: Iterable[Mapping[str, Any]] = (),
    ) -> None:
        """A member writes ``sobject`` (``None``: anything): what was read of it is not answered
        again (with ``ids``, the records written, and ``records``, the bodies sent: the table stays
        and answers look-ups of every other value, see the class docstring), nor anything of an
        sObject whose field list reaches it through a relationship (``Account.Name`` of a Contact;
        a relationship this cannot name, a custom ``X__r``, counts as reaching it). Relationships to
        ``User`` (``Owner.Name``) never do: no flow writes users."""
        if ids is not None:
            ids, records = list(ids), list(records)
            if not ids and not records:  # nothing was written
                return
        self.epoch += 1
        if sobject is None:
            self._buckets.clear()
            self._store.drop(None)
            return
        written = sobject.lower()
        for name in list(self._buckets):
            if name != written and self._reaches(name, written):
                self._drop(name)
        bucket = self._buckets.get(written)
        if bucket is None:
            return
        if ids is None:
            self._drop(written)
            return
        self._store.forget_statements(written)
        table = bucket.table
        if table is not None:
            self._wrote(written, table, ids, records)
            if table.tracked > STALE_MAX:
                bucket.table = None
                self._store.clear_rows(written)
        bucket.live -= self._store.unhold(written, ids)

    def _drop(self, name: str) -> None:
        del self._buckets[name]
        self._store.drop(name)

    def _wrote(self, ob: str, table: _Table, ids: list[str], records: Iterable[Mapping[str, Any]]) -> None:
        """Writes of ``ids`` (their rows' values now stale) sending ``records`` (their values too)."""
        table.written = True
        table.stale_ids += self._store.add_stale(ob, _IDS, ids)
        pairs = list(self._store.vals(ob, ids))
        for record in records:
            pairs.extend(_values(record))
        by_field: dict[str, list[str]] = {}
        for field, value in pairs:
            if field in table.asked:
                by_field.setdefault(field, []).append(value)
        for field, values in by_field.items():
            table.stale += self._store.add_stale(ob, field, values)

    def _reaches(self, sobject: str, written: str) -> bool:
        for field in self.members(sobject)[0].fields if self.members(sobject) else ():
            head, dot, _ = field.lower().partition(".")
            if not dot or head in _USER_RELATIONS:
                continue
            target = sobject if head == "parent" else head
            if target == written or head.endswith("__r"):
                return True
        return False

    def _bucket(self, sobject: str) -> _Bucket:
        return self._buckets.setdefault(sobject.lower(), _Bucket())

    def _room(self, sobject: str, rows: Sequence[Any]) -> bool:
        """Whether ``rows`` fit: the records held (each once, however many reads returned it) and
        those of ``rows`` not held yet stay within :attr:`max_rows`."""
        held = sum(b.held for b in self._buckets.values())
        if held + len(rows) <= self.max_rows:
            return True
        ids = {str(m.id) for m in rows}
        return held + len(ids - self._store.live(sobject.lower(), ids)) <= self.max_rows

    def _hold(self, sobject: str, rows: Sequence[Any]) -> None:
        self._bucket(sobject).live += self._store.put(sobject.lower(), rows)

    # --- statements --------------------------------------------------------------------------

    def answer(
        self, sobject: str, statement: str, deleted: bool
    ) -> tuple[list[Any], _Position | None] | None:
        """The rows of a statement read before in this run, and the keyset position after them
        (``None``: the last page, or a statement read whole)."""
        if sobject.lower() not in self._buckets:
            return None
        found = self._store.statement(sobject.lower(), statement, deleted)
        if found is not None:
            self.served += 1
        return found

    def keep(
        self, sobject: str, statement: str, deleted: bool, rows: list[Any], after: _Position | None
    ) -> None:
        """Remember a statement's rows (and the keyset position after them)."""
        name = sobject.lower()
        self._bucket(sobject)
        if not self._store.has_statement(name, statement, deleted) and self._room(sobject, rows):
            self._hold(sobject, rows)
            self._store.keep_statement(name, statement, deleted, rows, after)

    def held(self, sobject: str, ids: Iterable[str], deleted: bool) -> tuple[list[Any], list[str]]:
        """The records of ``ids`` any read of this run returned (live ones, unless ``deleted``: a
        deleted one is known not to be live), and the ids no read returned."""
        ids = list(ids)
        name = sobject.lower()
        by_id = self._store.get(name, ids) if name in self._buckets else {}
        found: list[Any] = []
        missing: list[str] = []
        for record_id in ids:
            model = by_id.get(record_id)
            if model is None:
                missing.append(record_id)
            elif deleted or not model.is_deleted:
                found.append(model)
        return found, missing

    # --- the table of an sObject ---------------------------------------------------------------

    def _table(self, sobject: str, deleted: bool) -> _Table | None:
        bucket = self._buckets.get(sobject.lower())
        table = bucket.table if bucket is not None else None
        if table is None or not table.complete or (deleted and not table.deleted):
            return None
        return table

    def table_page(
        self, sobject: str, after: _Position | None, deleted: bool, size: int
    ) -> tuple[list[Any], _Position | None] | None:
        """A keyset page of every row (``deleted``: tombstones too) after ``after``, from the table."""
        table = self._table(sobject, deleted)
        if table is None or table.scope is not None or table.written:
            return None
        start = 0
        if after is not None:
            at = self._store.seq(sobject.lower(), after)
            if at is None:
                return None
            start = at + 1
        self.served += 1
        return self._store.page(sobject.lower(), start, deleted, size)

    def table_rows(
        self, sobject: str, field: str, values: Iterable[str], deleted: bool
    ) -> tuple[list[Any], list[str]] | None:
        """The rows whose ``field`` (``Id``, an external id, a parent id) holds one of ``values``,
        and the values the table cannot answer (written since its read: ask Salesforce); ``None``:
        no table answers ``field``."""
        table = self._table(sobject, deleted)
        if table is None or not self.answers(sobject, field, deleted):
            return None
        name = field.lower()
        if name != "id":  # from now on a write keeps this field's stale values (ids: always)
            table.asked.add(name)
        wanted = set(values)
        stale = self._store.stale_of(sobject.lower(), _IDS if name == "id" else name, wanted)
        rest = sorted(stale)
        wanted -= stale
        self.served += 1
        found = self._store.rows_by(sobject.lower(), name, sorted(wanted), deleted)
        return found, rest

    def answers(self, sobject: str, field: str, deleted: bool = False) -> bool:
        """Whether a table answers look-ups of ``sobject`` by ``field`` (see :meth:`table_rows`): a
        field of the rows themselves (``Account.Name`` of a Contact is for Salesforce to answer)."""
        table = self._table(sobject, deleted)
        name = field.lower()
        if table is None or table.scope not in (None, name) or not _FIELD.match(name):
            return False
        # written ids are always kept; another field's stale values only once it was asked for
        return name == "id" or name in table.asked or not table.written

    def scope(self, sobject: str, field: str) -> Scope | None:
        """How far the run went towards a scoped table of ``field`` (the adapter updates it);
        ``None``: one answers already, or would not fit: look-ups by ``field`` need no table read."""
        bucket = self._bucket(sobject)
        table = bucket.table
        if table is not None and table.complete and table.scope == field.lower():
            return None
        scope = bucket.scopes.setdefault(field.lower(), Scope())
        return None if scope.out else scope

    def _fill(self, sobject: str, table: _Table, items: Sequence[Any]) -> None:
        self._store.add_rows(sobject.lower(), table.count, items)
        table.count += len(items)
        self._hold(sobject, items)

    def feed_scoped(
        self, sobject: str, field: str, items: Sequence[Any], epoch: int, *, first: bool, last: bool
    ) -> bool:
        """One keyset page of ``SELECT ... WHERE field != null`` through ``/query``, its read begun at
        :attr:`epoch` ``epoch``: the pages from the ``first`` to the ``last`` are a scoped table when no
        member wrote anything in between and there is room (without room the scope is not tried
        again). Whether the table is still being built (``False``: read no more pages for it)."""
        bucket = self._bucket(sobject)
        table = bucket.table
        name = sobject.lower()
        if first:
            if table is not None and table.complete:
                return False  # a table of every row answers more
            self._store.clear_rows(name)
            table = bucket.table = _Table(deleted=False, scope=field.lower(), asked={field.lower()})
        elif table is None or table.complete or table.scope != field.lower():
            return False
        if epoch != self.epoch or not self._room(sobject, items):
            if epoch == self.epoch:
                bucket.scopes.setdefault(field.lower(), Scope()).out = True
            bucket.table = None
            self._store.clear_rows(name)
            return False
        self._fill(sobject, table, items)
        table.complete = last
        return not last

    def feed_table(
        self,
        sobject: str,
        after: _Position | None,
        items: Sequence[Any],
        end: _Position | None,
        *,
        deleted: bool,
    ) -> None:
        """One keyset page of ``SELECT ... FROM X`` (no condition) through ``/queryAll``
        (``deleted``) or ``/query``: the table grows page by page while the pages follow each
        other, and is complete at the last one. A complete table is kept (one through ``/queryAll``
        answers more: it replaces a ``/query`` one)."""
        bucket = self._bucket(sobject)
        table = bucket.table
        if after is None:
            if (
                table is not None
                and table.complete
                and table.scope is None
                and not table.written
                and (table.deleted or not deleted)
            ):
                return
            self._store.clear_rows(sobject.lower())
            table = bucket.table = _Table(deleted=deleted, asked=self._keys(sobject))
        elif table is None or table.complete or table.end != after or table.deleted != deleted:
            return
        if not self._room(sobject, items):
            bucket.table = None
            self._store.clear_rows(sobject.lower())
            return
        self._fill(sobject, table, items)
        table.end = end
        table.complete = end is None
