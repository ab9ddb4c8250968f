"""The Salesforce reads of one run, shared by its adapters so that no record is asked for twice.

A recipe runs several flows over the same sObjects: ``leads_to_connectwise`` reads every ``Lead``
three times (lead companies, open leads, converted leads) and looks four of them up again for the
write-back; ``accounts_and_contacts`` reads every ``Account`` as a source, again to load its target
index, again by id for the records it updates and by external id for the ones it creates. The
platform minimum (issue 18) reads each record once. :class:`SharedReads` is that memory, for one run:

- every adapter that joins it reads its sObject with one field list (the union of theirs), so
  their statements are the same text;
- a statement answered once is answered again from memory (its rows, and whether a page followed);
- a record any read returned is not asked for again by ``Id``;
- a complete read of an sObject with no condition (every keyset page of ``SELECT ... FROM X``
  through ``/queryAll``, deleted rows included, from the first page to the last) is the *table*:
  later reads of it with no condition (live rows or all, any page), by ``Id``, by an external-id
  field and by a parent field (``AccountId IN (...)``) are answered from it, as Salesforce would
  have answered them at the time of that read;
- any write through any member (create, upsert, update, delete) forgets everything: what follows
  a write is read again from Salesforce (settling a write always asks the platform).

The answers are as fresh as the run's first read of them, never older: a record another user changes
during the run is read at its new ``SystemModstamp`` by the next run (watermarks come from the
records, not from the clock). It holds at most ``max_rows`` records; past that it keeps no more, and
the reads it cannot answer go to Salesforce as before. Make one per run (a recipe's ``flows()`` does):
it is not a cache across runs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from typing import Any

import attrs

__all__ = ["MAX_ROWS", "SharedReads"]

MAX_ROWS = 20_000
"""Records one :class:`SharedReads` holds at most (ten full Salesforce pages)."""

Position = tuple[datetime, str]


def _position(model: Any) -> Position:
    stamp = model.system_modstamp
    stamp = stamp.astimezone(timezone.utc) if stamp is not None else datetime.min.replace(tzinfo=timezone.utc)
    return stamp, str(model.id)


@attrs.define
class _Table:
    """Every row of one sObject, in keyset order, as one complete read returned them."""

    rows: list[Any] = attrs.field(factory=list)
    end: Position | None = None
    complete: bool = False
    index: dict[str, int] = attrs.field(factory=dict)

    def add(self, items: Sequence[Any]) -> None:
        for model in items:
            self.index[str(model.id)] = len(self.rows)
            self.rows.append(model)


class SharedReads:
    """What the Salesforce adapters of one run read (see the module docstring).

    Args:
        max_rows: Records held at most; reads past it go to Salesforce.

    Attributes:
        served: Reads answered from memory (each would have been one ``GET /query`` or more).
    """

    def __init__(self, *, max_rows: int = MAX_ROWS) -> None:
        self.max_rows = max_rows
        self.served = 0
        self._members: dict[str, list[Any]] = {}
        self._statements: dict[tuple[str, bool], tuple[list[Any], Position | None]] = {}
        self._tables: dict[str, _Table] = {}
        self._by_id: dict[str, dict[str, Any]] = {}
        self._held = 0

    def __repr__(self) -> str:
        return f"<SharedReads {sorted(self._members)} held={self._held} served={self.served}>"

    # --- members ---------------------------------------------------------------------------

    def join(self, adapter: Any) -> None:
        """Read ``adapter``'s sObject with the union of every member's field list."""
        members = self._members.setdefault(adapter.sobject.lower(), [])
        members.append(adapter)
        fields = tuple(dict.fromkeys(f for m in members for f in m.fields))
        for member in members:
            member.fields = fields

    def members(self, sobject: str) -> Sequence[Any]:
        """The adapters of ``sobject`` that joined."""
        return self._members.get(sobject.lower(), ())

    def forget(self) -> None:
        """A member writes: nothing read so far is answered again."""
        self._statements.clear()
        self._tables.clear()
        self._by_id.clear()
        self._held = 0

    def _room(self, rows: int) -> bool:
        if self._held + rows > self.max_rows:
            return False
        self._held += rows
        return True

    # --- statements --------------------------------------------------------------------------

    def answer(self, statement: str, deleted: bool) -> tuple[list[Any], Position | None] | None:
        """The rows of a statement read before in this run, and the keyset position after them
        (``None``: the last page, or a statement read whole)."""
        found = self._statements.get((statement, deleted))
        if found is not None:
            self.served += 1
        return found

    def keep(
        self, sobject: str, statement: str, deleted: bool, rows: list[Any], after: Position | None
    ) -> None:
        """Remember a statement's rows (and the keyset position after them)."""
        if (statement, deleted) not in self._statements and self._room(len(rows)):
            self._statements[statement, deleted] = (rows, after)
            self._index(sobject, rows)

    def _index(self, sobject: str, rows: Iterable[Any]) -> None:
        by_id = self._by_id.setdefault(sobject.lower(), {})
        for model in rows:
            by_id[str(model.id)] = model

    def held(self, sobject: str, ids: Iterable[str], deleted: bool) -> tuple[list[Any], list[str]]:
        """The records of ``ids`` any read of this run returned (live ones, unless ``deleted``: a
        deleted one is known not to be live), and the ids no read returned."""
        by_id = self._by_id.get(sobject.lower(), {})
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

    def table_page(
        self, sobject: str, after: Position | None, deleted: bool, size: int
    ) -> tuple[list[Any], Position | None] | None:
        """A keyset page of every row (``deleted``: tombstones too) after ``after``, from the table."""
        table = self._tables.get(sobject.lower())
        if table is None or not table.complete:
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

    def table_rows(self, sobject: str, field: str, values: Iterable[str], deleted: bool) -> list[Any] | None:
        """The rows whose ``field`` (``Id``, an external id, a parent id) holds one of ``values``."""
        table = self._tables.get(sobject.lower())
        if table is None or not table.complete:
            return None
        wanted = set(values)
        self.served += 1
        if field.lower() == "id":
            found = (table.rows[table.index[v]] for v in wanted if v in table.index)
        else:
            found = (m for m in table.rows if _raw(m, field) in wanted)
        return [m for m in found if deleted or not m.is_deleted]

    def feed_table(
        self, sobject: str, after: Position | None, items: Sequence[Any], end: Position | None
    ) -> None:
        """One keyset page of ``SELECT ... FROM X`` through ``/queryAll`` (no condition): the table
        grows page by page while the pages follow each other, and is complete at the last one."""
        key = sobject.lower()
        table = self._tables.get(key)
        if after is None:
            if table is not None and table.complete:
                return
            if table is not None:
                self._held -= len(table.rows)
            table = self._tables[key] = _Table()
        elif table is None or table.complete or table.end != after:
            return
        if not self._room(len(items)):
            self._held -= len(table.rows)
            del self._tables[key]
            return
        table.add(items)
        self._index(sobject, items)
        table.end = end
        table.complete = end is None


def _raw(model: Any, field: str) -> str | None:
    raw = getattr(model, "raw", None) or {}
    for key, value in raw.items():
        if key.lower() == field.lower():
            return None if value is None else str(value)
    return None
