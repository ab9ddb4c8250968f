"""The Salesforce reads of one run, shared by its adapters (:class:`SharedReads`, issue 18).

A recipe runs several flows over the same sObjects, and a flow looks up its target page by page. The
platform minimum reads each record once; this module is the memory that gets a run close to it. It
holds wire models (``msplink.salesforce.models``) only: it makes no call of its own, the adapter
(:mod:`msplink.sync.adapters.salesforce`) asks it first and tells it what it read and wrote.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any, Final

import attrs

__all__ = ["SHARED_MAX_ROWS", "SharedReads"]

SHARED_MAX_ROWS: Final = 20_000
"""Records one :class:`SharedReads` holds at most (ten full Salesforce pages)."""
STALE_MAX: Final = 50_000
"""Stale values one table tracks at most (about 3 MiB); past that it is dropped."""

_Position = tuple[datetime, str]


def _position(model: Any) -> _Position:
    stamp = model.system_modstamp
    stamp = stamp.astimezone(timezone.utc) if stamp is not None else datetime.min.replace(tzinfo=timezone.utc)
    return stamp, str(model.id)


def _raw(model: Any, field: str) -> str | None:
    raw = getattr(model, "raw", None) or {}
    for key, value in raw.items():
        if key.lower() == field.lower():
            return None if value is None else str(value)
    return None


def _values(record: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    """A record's scalar fields as ``(field, value)`` (lower-case names), as a look-up compares them."""
    for key, value in record.items():
        if value is not None and not isinstance(value, (dict, list)):
            yield key.lower(), str(value)


@attrs.define
class _Table:
    """Every row of one sObject (or every row whose ``scope`` field is set), in keyset order, as one
    complete read returned them; and what the run wrote since."""

    deleted: bool
    """Read through ``/queryAll``: the deleted rows are in it (a ``/query`` table has live rows only)."""
    scope: str | None = None
    """``None``: every row of the sObject. A field name (lower case): every row whose field is not
    null (``WHERE CW_Ticket_Id__c != null``): it answers look-ups by that field only."""
    rows: list[Any] = attrs.field(factory=list)
    end: _Position | None = None
    complete: bool = False
    index: dict[str, int] = attrs.field(factory=dict)
    written: bool = False
    """A member wrote the sObject since the read: rows it created are not in the table, so it no
    longer answers a page of every row; look-ups still are, but for :attr:`stale` values."""
    stale_ids: set[str] = attrs.field(factory=set)
    stale: dict[str, set[str]] = attrs.field(factory=dict)
    """Field (lower case) -> values a write sent or took away since the read: a look-up of one goes to
    Salesforce (a record may have that value now, or no longer)."""
    asked: set[str] = attrs.field(factory=set)
    """Fields (lower case) look-ups asked the table by: from the first write on, the only ones it
    answers (a write's stale values are kept for them alone, so they stay few)."""

    def add(self, items: Sequence[Any]) -> None:
        for model in items:
            self.index[str(model.id)] = len(self.rows)
            self.rows.append(model)

    def wrote(self, ids: Iterable[str], records: Iterable[Mapping[str, Any]]) -> None:
        """Writes of ``ids`` (their rows' values now stale) sending ``records`` (their values too)."""
        self.written = True
        pairs: list[tuple[str, str]] = []
        for record_id in ids:
            self.stale_ids.add(record_id)
            at = self.index.get(record_id)
            if at is not None:
                pairs.extend(_values(getattr(self.rows[at], "raw", None) or {}))
        for record in records:
            pairs.extend(_values(record))
        for field, value in pairs:
            if field in self.asked:
                self.stale.setdefault(field, set()).add(value)

    @property
    def tracked(self) -> int:
        """Values in :attr:`stale` and :attr:`stale_ids`."""
        return len(self.stale_ids) + sum(len(values) for values in self.stale.values())


@attrs.define
class _Bucket:
    """What one sObject's reads returned."""

    statements: dict[tuple[str, bool], tuple[list[Any], _Position | None]] = attrs.field(factory=dict)
    table: _Table | None = None
    by_id: dict[str, Any] = attrs.field(factory=dict)
    """Every record any read of the run returned (statements and the table share these models)."""
    no_table: set[str] = attrs.field(factory=set)
    """Scopes whose complete read did not fit (one page): not tried again this run."""

    @property
    def held(self) -> int:
        """Records held, each once: those indexed by id, and the table's rows a write took out of it."""
        return len(self.by_id) + (len(self.table.stale_ids) if self.table is not None else 0)

    def new(self, rows: Iterable[Any]) -> int:
        """How many of ``rows`` are not held yet."""
        return sum(1 for model in rows if str(model.id) not in self.by_id)

    def index(self, rows: Iterable[Any]) -> None:
        for model in rows:
            self.by_id[str(model.id)] = model


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
      one page, :meth:`feed_scoped`) is a *scoped table*: it answers look-ups by that field;
    - a write through a member (create, upsert, update, delete) forgets the statements of its sObject
      and the records it wrote, and everything of every sObject whose rows reach it through a
      relationship (``Account.Name`` of a Contact). Its table stays, knowing what was written: the
      values the write sent and those the written rows held are *stale*, and a look-up of a stale value
      or a written ``Id`` goes to Salesforce; a page of every row is not answered from it again (the
      rows created are not in it). What the write changed is read again from Salesforce (settling a
      write always asks the platform).

    The answers are as fresh as the run's first read of them, never older: a record another user changes
    during the run is read at its new ``SystemModstamp`` by the next run (watermarks come from the
    records, not from the clock). It holds at most ``max_rows`` records; past that it keeps no more, and
    the reads it cannot answer go to Salesforce as before. Make one per run (a recipe's ``flows()`` does):
    it is not a cache across runs.

    Args:
        max_rows: Records held at most; reads past it go to Salesforce.

    Attributes:
        served: Reads answered from memory (each would have been one ``GET /query`` or more).
    """

    def __init__(self, *, max_rows: int = SHARED_MAX_ROWS) -> None:
        self.max_rows = max_rows
        self.served = 0
        self._members: dict[str, list[Any]] = {}
        self._buckets: dict[str, _Bucket] = {}

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
        if sobject is None:
            self._buckets.clear()
            return
        if ids is not None:
            ids, records = list(ids), list(records)
            if not ids and not records:  # nothing was written
                return
        written = sobject.lower()
        for name in list(self._buckets):
            if name != written and self._reaches(name, written):
                del self._buckets[name]
        bucket = self._buckets.get(written)
        if bucket is None:
            return
        if ids is None:
            del self._buckets[written]
            return
        bucket.statements.clear()
        table = bucket.table
        if table is not None:
            table.wrote(ids, records)
            if table.tracked > STALE_MAX:
                table = bucket.table = None
        for record_id in ids:
            bucket.by_id.pop(record_id, None)

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

    def _room(self, bucket: _Bucket, rows: Sequence[Any]) -> bool:
        """Whether ``rows`` fit: the records held (each once, however many reads returned it) and
        those of ``rows`` not held yet stay within :attr:`max_rows`."""
        return sum(b.held for b in self._buckets.values()) + bucket.new(rows) <= self.max_rows

    # --- statements --------------------------------------------------------------------------

    def answer(
        self, sobject: str, statement: str, deleted: bool
    ) -> tuple[list[Any], _Position | None] | None:
        """The rows of a statement read before in this run, and the keyset position after them
        (``None``: the last page, or a statement read whole)."""
        bucket = self._buckets.get(sobject.lower())
        found = bucket.statements.get((statement, deleted)) if bucket is not None else None
        if found is not None:
            self.served += 1
        return found

    def keep(
        self, sobject: str, statement: str, deleted: bool, rows: list[Any], after: _Position | None
    ) -> None:
        """Remember a statement's rows (and the keyset position after them)."""
        bucket = self._bucket(sobject)
        if (statement, deleted) not in bucket.statements and self._room(bucket, rows):
            bucket.statements[statement, deleted] = (rows, after)
            bucket.index(rows)

    def held(self, sobject: str, ids: Iterable[str], deleted: bool) -> tuple[list[Any], list[str]]:
        """The records of ``ids`` any read of this run returned (live ones, unless ``deleted``: a
        deleted one is known not to be live), and the ids no read returned."""
        bucket = self._buckets.get(sobject.lower())
        by_id = bucket.by_id if bucket is not None else {}
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
            at = table.index.get(after[1])
            if at is None or _position(table.rows[at]) != after:
                return None
            start = at + 1
        items: list[Any] = []
        for model in table.rows[start:]:
            if deleted or not model.is_deleted:
                items.append(model)
                if len(items) > size:
                    break
        self.served += 1
        if len(items) > size:
            return items[:size], _position(items[size - 1])
        return items, None

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
        stale = table.stale_ids if name == "id" else table.stale.get(name, set())
        rest = sorted(wanted & stale)
        wanted -= stale
        self.served += 1
        if name == "id":
            found: Iterable[Any] = (table.rows[table.index[v]] for v in wanted if v in table.index)
        else:
            found = (m for m in table.rows if _raw(m, field) in wanted and str(m.id) not in table.stale_ids)
        return [m for m in found if deleted or not m.is_deleted], rest

    def answers(self, sobject: str, field: str, deleted: bool = False) -> bool:
        """Whether a table answers look-ups of ``sobject`` by ``field`` (see :meth:`table_rows`)."""
        table = self._table(sobject, deleted)
        name = field.lower()
        if table is None or table.scope not in (None, name):
            return False
        # written ids are always kept; another field's stale values only once it was asked for
        return name == "id" or name in table.asked or not table.written

    def scoped(self, sobject: str, field: str) -> bool | None:
        """Whether a scoped table of ``field`` answers (``None``: none was tried; ``False``: one was,
        and did not fit)."""
        bucket = self._buckets.get(sobject.lower())
        if bucket is None:
            return None
        if field.lower() in bucket.no_table:
            return False
        table = bucket.table
        return True if table is not None and table.complete and table.scope == field.lower() else None

    def feed_scoped(self, sobject: str, field: str, items: Sequence[Any], complete: bool) -> None:
        """The answer of ``SELECT ... WHERE field != null`` through ``/query``: a scoped table when it
        is every such row (``complete``) and there is room; otherwise the scope is not tried again."""
        bucket = self._bucket(sobject)
        if bucket.table is not None and bucket.table.complete:
            return  # a table of every row answers more
        if not complete or not self._room(bucket, items):
            bucket.no_table.add(field.lower())
            return
        table = bucket.table = _Table(deleted=False, scope=field.lower(), asked={field.lower()})
        table.add(items)
        bucket.index(items)
        table.complete = True

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
            table = bucket.table = _Table(deleted=deleted, asked=self._keys(sobject))
        elif table is None or table.complete or table.end != after or table.deleted != deleted:
            return
        if not self._room(bucket, items):
            bucket.table = None
            return
        table.add(items)
        bucket.index(items)
        table.end = end
        table.complete = end is None
