"""Batch operations (``POST /batch``) and change data capture (``GET /cdc``): values and pure parsers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import attrs

from msplink._core import parse_datetime
from msplink.errors import APIError, BadRequestError, ConfigurationError, ErrorDetail
from msplink.quickbooks._calls import body_of, update_body
from msplink.quickbooks._errors import classify_details, fault_details
from msplink.quickbooks.models import DeletedEntity, Entity, entity_class
from msplink.quickbooks.query import Select, ensure_statement

__all__ = [
    "BATCH_SIZE",
    "BatchItemResult",
    "BatchOperation",
    "CDCResult",
    "CDC_MAX_OBJECTS",
    "chunked",
    "parse_batch_items",
    "parse_cdc",
]

BATCH_SIZE = 30
"""QBO's maximum of items in one ``/batch`` request."""

CDC_MAX_OBJECTS = 1000
"""QBO's maximum of objects in one ``/cdc`` response (no paging)."""


def _name_of(entity: type[Entity] | str) -> str:
    name = entity if isinstance(entity, str) else entity.entity_name
    if entity_class(name) is None:
        raise ConfigurationError(f"unknown QBO entity {name!r}")
    return name


@attrs.frozen(kw_only=True)
class BatchOperation:
    """One item of a batch. Build with :meth:`create`, :meth:`update`, :meth:`delete`, :meth:`void`, :meth:`query`."""

    operation: str | None
    entity_name: str | None = None
    body: Mapping[str, Any] | None = attrs.field(default=None, repr=False)
    statement: str | None = None
    options_data: str | None = None

    @classmethod
    def create(cls, entity: Entity) -> BatchOperation:
        """Create ``entity``."""
        body = body_of(entity)
        for key in ("Id", "SyncToken", "MetaData"):
            body.pop(key, None)
        return cls(operation="create", entity_name=_name_of(type(entity)), body=body)

    @classmethod
    def update(cls, entity: Entity, *, full: bool = False) -> BatchOperation:
        """Update ``entity`` (sparse unless ``full``)."""
        return cls(
            operation="update", entity_name=_name_of(type(entity)), body=update_body(entity, full=full)
        )

    @classmethod
    def delete(cls, entity: type[Entity] | str, entity_id: str, *, sync_token: str) -> BatchOperation:
        """Delete a transaction."""
        return cls(
            operation="delete",
            entity_name=_name_of(entity),
            body={"Id": str(entity_id), "SyncToken": str(sync_token)},
        )

    @classmethod
    def void(cls, entity: type[Entity] | str, entity_id: str, *, sync_token: str) -> BatchOperation:
        """Void a transaction (``operation: update`` with ``optionsData: void``)."""
        return cls(
            operation="update",
            entity_name=_name_of(entity),
            body={"Id": str(entity_id), "SyncToken": str(sync_token), "sparse": True},
            options_data="void",
        )

    @classmethod
    def query(cls, statement: str | Select) -> BatchOperation:
        """Run a query statement."""
        return cls(operation=None, statement=ensure_statement(statement))

    def to_item(self, bid: str) -> dict[str, Any]:
        """The ``BatchItemRequest`` entry."""
        if len(bid) > 10:
            raise ConfigurationError("a bId is at most 10 characters")
        item: dict[str, Any] = {"bId": bid}
        if self.statement is not None:
            item["Query"] = self.statement
            return item
        item["operation"] = self.operation
        if self.options_data:
            item["optionsData"] = self.options_data
        item[str(self.entity_name)] = dict(self.body or {})
        return item


@attrs.frozen(kw_only=True)
class BatchItemResult:
    """The result of one batch item, in the order the operations were given.

    Attributes:
        operation: The operation.
        bid: The ``bId`` it was sent with.
        entity: The entity answered by a create/update/void, or the deletion.
        items: The entities of a query item.
        total_count: ``totalCount`` of a ``COUNT(*)`` query item.
        fault_type: ``Fault.type`` when the item failed.
        error: The typed error of a failed item (``StaleObjectError``, ``DuplicateNameError`` ...).
    """

    operation: BatchOperation
    bid: str
    entity: Entity | DeletedEntity | None = None
    items: tuple[Entity, ...] | None = None
    total_count: int | None = None
    fault_type: str | None = None
    error: APIError | None = attrs.field(default=None, eq=False)

    @property
    def ok(self) -> bool:
        """Whether the item succeeded."""
        return self.error is None

    @property
    def errors(self) -> tuple[ErrorDetail, ...]:
        """The error details of a failed item."""
        return self.error.errors if self.error is not None else ()


def chunked(operations: Iterable[BatchOperation], size: int = BATCH_SIZE) -> list[list[BatchOperation]]:
    """Split operations into batches of at most ``size``."""
    ops = list(operations)
    for op in ops:
        if not isinstance(op, BatchOperation):
            raise ConfigurationError("batch() takes BatchOperation values")
    return [ops[i : i + size] for i in range(0, len(ops), size)]


def _parse_entity(name: str, data: Mapping[str, Any]) -> Entity | DeletedEntity:
    if data.get("status") == "Deleted":
        return attrs.evolve(DeletedEntity.from_api(data), entity_name=name)
    cls = entity_class(name)
    if cls is None:
        raise ValueError(f"unknown entity {name!r} in a batch answer")
    return cls.from_api(data)


def parse_batch_items(
    operations: Sequence[BatchOperation], body: Mapping[str, Any], *, path: str
) -> list[BatchItemResult]:
    """Match ``BatchItemResponse`` entries to operations by ``bId`` (not position)."""
    by_bid = {str(item.get("bId")): item for item in body.get("BatchItemResponse", []) or []}
    results: list[BatchItemResult] = []
    for index, op in enumerate(operations):
        bid = str(index)
        item = by_bid.get(bid)
        if item is None:
            error = APIError(
                platform="quickbooks",
                status_code=200,
                method="POST",
                path=path,
                errors=(ErrorDetail(code="missing", message=f"no answer for bId {bid}"),),
            )
            results.append(BatchItemResult(operation=op, bid=bid, error=error))
            continue
        fault = item.get("Fault")
        if isinstance(fault, Mapping):
            details = fault_details(fault)
            cls = classify_details(details) or BadRequestError
            error = cls(platform="quickbooks", status_code=200, method="POST", path=path, errors=details)
            results.append(BatchItemResult(operation=op, bid=bid, fault_type=fault.get("type"), error=error))
            continue
        if "QueryResponse" in item:
            response = item.get("QueryResponse") or {}
            found: list[Entity] = []
            for key, value in response.items():
                cls_ = entity_class(key)
                if cls_ is not None and isinstance(value, list):
                    found.extend(cls_.from_api(v) for v in value)
            total = response.get("totalCount")
            results.append(
                BatchItemResult(
                    operation=op,
                    bid=bid,
                    items=tuple(found),
                    total_count=int(total) if total is not None else None,
                )
            )
            continue
        name = op.entity_name or next((k for k in item if k not in {"bId", "time"}), "")
        data = item.get(name)
        entity = _parse_entity(name, data) if isinstance(data, Mapping) else None
        results.append(BatchItemResult(operation=op, bid=bid, entity=entity))
    return results


@attrs.frozen(kw_only=True)
class CDCResult:
    """Changes since a moment, by entity.

    Attributes:
        time: The server time of the (first) response: the next ``changed_since`` (minus an overlap).
        changed: Created or updated entities, by entity name.
        deleted: Deletion tombstones, by entity name.
        incomplete_deletions: Entities whose answer hit the 1,000-object cap, so their active objects
            were re-read by paginated query; deletions older than the cap may be missing for them
            (poll more often). Empty when nothing hit the cap.
        calls: How many HTTP calls the result took.
    """

    time: datetime | None
    changed: Mapping[str, tuple[Entity, ...]]
    deleted: Mapping[str, tuple[DeletedEntity, ...]]
    incomplete_deletions: frozenset[str] = frozenset()
    calls: int = 1

    @property
    def object_count(self) -> int:
        """Objects in the result (changed and deleted)."""
        return sum(len(v) for v in self.changed.values()) + sum(len(v) for v in self.deleted.values())


def parse_cdc(body: Mapping[str, Any]) -> CDCResult:
    """Parse a ``CDCResponse`` body into a :class:`CDCResult`."""
    changed: dict[str, list[Entity]] = {}
    deleted: dict[str, list[DeletedEntity]] = {}
    for block in body.get("CDCResponse", []) or []:
        for response in block.get("QueryResponse", []) or []:
            for key, value in response.items():
                if not isinstance(value, list):
                    continue
                cls = entity_class(key)
                for data in value:
                    if data.get("status") == "Deleted":
                        deleted.setdefault(key, []).append(
                            attrs.evolve(DeletedEntity.from_api(data), entity_name=key)
                        )
                    elif cls is not None:
                        changed.setdefault(key, []).append(cls.from_api(data))
    time = body.get("time")
    return CDCResult(
        time=parse_datetime(time) if time else None,
        changed={k: tuple(v) for k, v in changed.items()},
        deleted={k: tuple(v) for k, v in deleted.items()},
    )


def merge_cdc(first: CDCResult, parts: Sequence[CDCResult], *, incomplete: frozenset[str]) -> CDCResult:
    """Merge per-entity CDC results, de-duplicating by ``(Id, SyncToken)``."""
    changed: dict[str, dict[tuple[str | None, str | None], Entity]] = {}
    deleted: dict[str, dict[str | None, DeletedEntity]] = {}
    for part in parts:
        for name, entities in part.changed.items():
            bucket = changed.setdefault(name, {})
            for entity in entities:
                bucket[(entity.id, entity.sync_token)] = entity
        for name, gone in part.deleted.items():
            dbucket = deleted.setdefault(name, {})
            for item in gone:
                dbucket[item.id] = item
    return CDCResult(
        time=first.time,
        changed={k: tuple(v.values()) for k, v in changed.items()},
        deleted={k: tuple(v.values()) for k, v in deleted.items()},
        incomplete_deletions=incomplete,
        calls=sum(p.calls for p in parts),
    )
