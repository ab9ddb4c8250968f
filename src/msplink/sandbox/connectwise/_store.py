"""``Store``: the ConnectWise sandbox's records — collections, parent links, id sequences, references.

The HTTP surface (``_sandbox``) and the seeding module (``_seed``) both write through these methods;
neither reaches into the other.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any

from msplink.sandbox.connectwise._collections import COLLECTIONS, Collection

__all__ = ["Store", "now_text"]

Record = dict[str, Any]


def now_text(moment: datetime) -> str:
    """A moment as CW writes ``_info`` timestamps (``2026-01-01T00:00:00Z``)."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class Store:
    """Every collection's records by id, the parent of each child record, and the next id per collection.

    Args:
        now: The wall clock of ``_info`` stamps.
        site: The API host named in reference ``_href`` links.
        codebase: The codebase named in reference ``_href`` links.

    Attributes:
        data: Records by collection name, then id.
        parents: The parent id of each child record, by collection name.
        next_ids: The next free id per collection.
    """

    def __init__(self, *, now: Callable[[], datetime], site: str, codebase: str) -> None:
        self.data: dict[str, dict[int, Record]] = {c.name: {} for c in COLLECTIONS}
        self.parents: dict[str, dict[int, int]] = {c.name: {} for c in COLLECTIONS}
        self.next_ids: dict[str, int] = dict.fromkeys(self.data, 1)
        self._children: dict[str, dict[int, set[int]]] = {}
        self._unique: dict[str, dict[str, set[int]]] = {}
        self._derived: dict[str, dict[Any, Any]] = {}
        self.specs: dict[str, Collection] = {c.name: c for c in COLLECTIONS}
        self.site = site
        self.codebase = codebase
        self._now = now

    def now(self) -> datetime:
        """The wall clock's now."""
        return self._now()

    def stamp(self) -> str:
        """Now as an ``_info`` timestamp."""
        return now_text(self._now())

    def spec(self, collection: str) -> Collection:
        """The description of a collection."""
        return self.specs[collection]

    def insert(
        self, collection: str, record: Record, *, parent: int | None = None, by: str = "api_sync"
    ) -> Record:
        """Store ``record`` (the dict itself, no validation), stamping ``id`` and ``_info``; returns it.

        A record's own integer ``id`` is kept (the sequence moves past it); a ``_stamp`` key, when
        present, is popped and used as its ``lastUpdated``/``dateEntered``.
        """
        spec = self.specs[collection]
        sequence = spec.sequence or collection
        record_id = record.get("id") if isinstance(record.get("id"), int) else None
        if record_id is None:
            record_id = self.next_ids.get(sequence, 1)
        self.next_ids[sequence] = max(self.next_ids.get(sequence, 1), record_id + 1)
        record["id"] = record_id
        stamp = record.pop("_stamp", None) or self.stamp()
        record["_info"] = {"lastUpdated": stamp, "updatedBy": by, "dateEntered": stamp, "enteredBy": by}
        if spec.parent is not None and parent is not None:
            self.unlink(collection, record_id)
            self.parents[collection][record_id] = parent
            index = self._children.get(collection)
            if index is not None:
                index.setdefault(parent, set()).add(record_id)
            if spec.parent_field:
                record[spec.parent_field] = parent if spec.parent_as_id else {"id": parent}
        self.put(collection, record)
        return record

    def put(self, collection: str, record: Record) -> None:
        """Store ``record`` under its ``id`` in place of what was there (its unique value indexed)."""
        table = self.data[collection]
        record_id = record["id"]
        self._index_unique(collection, record_id, table.get(record_id), record)
        self._derived.pop(collection, None)
        table[record_id] = record

    def remove(self, collection: str, record_id: int) -> Record | None:
        """Delete a record (and its parent link); returns it (``None`` when there was none)."""
        record = self.data[collection].pop(record_id, None)
        self._index_unique(collection, record_id, record, None)
        self._derived.pop(collection, None)
        self.unlink(collection, record_id)
        return record

    def _unique_key(self, collection: str, record: Record | None) -> str | None:
        field = self.specs[collection].unique
        return None if record is None or field is None else str(record.get(field, "")).lower()

    def _unique_index(self, collection: str) -> dict[str, set[int]]:
        index = self._unique.get(collection)
        if index is None:
            index = {}
            for record_id, record in self.data[collection].items():
                index.setdefault(self._unique_key(collection, record) or "", set()).add(record_id)
            self._unique[collection] = index
        return index

    def _index_unique(self, collection: str, record_id: int, old: Record | None, new: Record | None) -> None:
        if self.specs[collection].unique is None or collection not in self._unique:
            return
        index = self._unique[collection]
        if old is not None:
            index.get(self._unique_key(collection, old) or "", set()).discard(record_id)
        if new is not None:
            index.setdefault(self._unique_key(collection, new) or "", set()).add(record_id)

    def holding(self, collection: str, value: str) -> list[int]:
        """The ids of the records whose unique field (``Collection.unique``) is ``value``, any case.

        The index behind it is derived from :attr:`data` on first use per collection and kept by
        :meth:`put` and :meth:`remove`; a stored record changed in place is checked again here.
        """
        field = self.specs[collection].unique
        if field is None:
            return []
        wanted, table = value.lower(), self.data[collection]
        return sorted(
            record_id
            for record_id in self._unique_index(collection).get(wanted, ())
            if record_id in table and str(table[record_id].get(field, "")).lower() == wanted
        )

    def children(self, collection: str, parent: int) -> list[int]:
        """The ids of one parent's records of a child collection, ascending.

        The index behind it is derived from :attr:`parents` on first use per collection and kept by
        :meth:`insert` and :meth:`unlink`; :meth:`reindex` drops it after ``parents`` is replaced.
        """
        index = self._children.get(collection)
        if index is None:
            index = {}
            for record_id, owner in self.parents[collection].items():
                index.setdefault(owner, set()).add(record_id)
            self._children[collection] = index
        return sorted(index.get(parent, ()))

    def unlink(self, collection: str, record_id: int) -> int | None:
        """Forget a child record's parent; returns the parent's id (``None`` when it had none)."""
        parent = self.parents[collection].pop(record_id, None)
        index = self._children.get(collection)
        if parent is not None and index is not None:
            index.get(parent, set()).discard(record_id)
        return parent

    def reindex(self) -> None:
        """Drop the derived indexes (after :attr:`data` and :attr:`parents` were replaced wholesale)."""
        self._children.clear()
        self._unique.clear()
        self._derived.clear()

    def changed(self, collection: str) -> None:
        """A record of ``collection`` was changed in place: what was derived from them is built again."""
        self._derived.pop(collection, None)

    def derived(self, collection: str, key: Any, build: Callable[[], Any]) -> Any:
        """A value derived from a collection's records (``build()`` on first use), kept until a record
        of the collection is put or removed, or :meth:`changed` is called (a read-side index: see
        ``Reads._number_ids``).

        A write that changes a stored record in place (an invoice's balance after a payment, a
        contact's ``communicationItems``) calls :meth:`changed`; so must a caller that edits
        :attr:`data` directly after the first read.
        """
        held = self._derived.setdefault(collection, {})
        if key not in held:
            held[key] = build()
        return held[key]

    def scope(self, collection: str, parent: int | None) -> list[Record]:
        """The records of a collection (of one parent, for child collections)."""
        records = self.data[collection]
        if parent is None:
            return list(records.values())
        return [records[rid] for rid in self.children(collection, parent) if rid in records]

    def resolve_ref(self, target: str, value: Any) -> Record | None:
        """The record a reference (``{"id": ...}``, or ``identifier``/``name``, any case) points at."""
        if not isinstance(value, Mapping):
            return None
        records = self.data[target]
        if isinstance(value.get("id"), int) and not isinstance(value.get("id"), bool):
            return records.get(value["id"])
        for key in ("identifier", "name"):
            wanted = value.get(key)
            if isinstance(wanted, str):
                for record in records.values():
                    if str(record.get(key, "")).lower() == wanted.lower():
                        return record
        return None

    def href(self, target: str, record_id: int) -> str:
        """The ``_href`` of a top-level record (``https://{site}/{codebase}/apis/3.0/service/tickets/5``)."""
        return f"https://{self.site}/{self.codebase}/apis/3.0{self.specs[target].path}/{record_id}"

    def ref_of(
        self,
        target: str,
        record: Mapping[str, Any],
        *,
        keys: tuple[str, ...] = ("identifier", "name", "summary"),
    ) -> Record:
        """The reference CW writes for a record (``id``, ``identifier``/``name``/``summary``, ``_info`` href);
        ``keys=()`` gives the bare ``{id, _info}`` of a ``TimeEntryReference``."""
        ref: Record = {"id": record["id"]}
        for key in keys:
            if key in record:
                ref[key] = record[key]
        if target == "members" and "name" in keys and "name" not in ref:
            ref["name"] = f"{record.get('firstName', '')} {record.get('lastName', '')}".strip()
        spec = self.specs[target]
        if spec.parent is None:
            ref["_info"] = {f"{spec.label}_href": self.href(target, record["id"])}
        return ref

    def statuses(self, board_id: int) -> list[Record]:
        """The statuses of a service board, in id order."""
        return [
            s for sid, s in self.data["statuses"].items() if self.parents["statuses"].get(sid) == board_id
        ]

    def refresh_contact_items(self, contact_id: int) -> None:
        """Copy a contact's communications into its ``communicationItems`` (as CW returns them)."""
        contact = self.data["contacts"][contact_id]
        items = [copy.deepcopy(c) for c in self.scope("communications", contact_id)]
        for item in items:
            item.pop("_info", None)
        contact["communicationItems"] = items
        self.changed("contacts")

    def refresh_all_contact_items(self) -> None:
        """:meth:`refresh_contact_items` for every contact, in one pass over the communications."""
        by_contact: dict[int, list[Record]] = {contact_id: [] for contact_id in self.data["contacts"]}
        owners = self.parents["communications"]
        for item_id, item in self.data["communications"].items():
            owner = owners.get(item_id)
            if owner in by_contact:
                copied = copy.deepcopy(item)
                copied.pop("_info", None)
                by_contact[owner].append(copied)
        for contact_id, items in by_contact.items():
            self.data["contacts"][contact_id]["communicationItems"] = items
        self.changed("contacts")
