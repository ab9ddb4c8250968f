"""Write operations: the bodies of creates and updates, the items of ``POST /batch`` and their results.

A :class:`BatchOperation` is one item of a batch; :func:`parse_batch_items` matches a
``BatchItemResponse`` to the operations by ``bId`` and gives every operation a
:class:`BatchItemResult`: its entity, its query rows, or a typed error. A malformed item (an entity that
is not an object, a ``Fault`` that is not an object, a ``QueryResponse`` that is not an object) is an
error of that item, never a silent success.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import cattrs

from msplink.errors import (
    APIError,
    BadRequestError,
    ConfigurationError,
    ErrorDetail,
    MsplinkError,
    RateLimitError,
    ServerError,
    TransportError,
)
from msplink.quickbooks._errors import MALFORMED, BadShape, classify_details, fault_details, malformed
from msplink.quickbooks.models import DeletedEntity, Entity, SparseUpdate, entity_class
from msplink.quickbooks.query import Select, ensure_statement

__all__ = [
    "BATCH_SIZE",
    "MAX_REQUEST_ID",
    "BatchItemResult",
    "BatchOperation",
    "body_of",
    "check_request_id",
    "chunk_request_id",
    "create_body",
    "is_ambiguous",
    "parse_batch_items",
    "update_body",
    "validate_operations",
]

BATCH_SIZE = 30
"""QBO's maximum of items in one ``/batch`` request."""

MAX_REQUEST_ID = 36
"""The longest ``requestid`` QBO accepts on ``/batch`` (50 elsewhere)."""

_WRITE_ONLY_ON_READ = ("Id", "SyncToken", "MetaData")
_PARSE_FAILURES = (ValueError, TypeError, KeyError, AttributeError, cattrs.BaseValidationError)


def body_of(entity: Entity | SparseUpdate | Mapping[str, Any]) -> dict[str, Any]:
    """The wire body of a model, a sparse update or a mapping."""
    if isinstance(entity, (Entity, SparseUpdate)):
        return entity.to_api()
    if isinstance(entity, Mapping):
        return dict(entity)
    raise ConfigurationError(f"expected a QBO model or a mapping, got {type(entity).__name__}")


def create_body(entity: Entity | Mapping[str, Any]) -> dict[str, Any]:
    """The body of a create: the set fields, without ``Id``, ``SyncToken`` and ``MetaData``."""
    if isinstance(entity, SparseUpdate):
        raise ConfigurationError("a sparse update cannot create an entity")
    body = body_of(entity)
    for key in _WRITE_ONLY_ON_READ:
        body.pop(key, None)
    return body


def update_body(entity: Entity | SparseUpdate | Mapping[str, Any], *, full: bool) -> dict[str, Any]:
    """The body of an update.

    A :class:`~msplink.quickbooks.models.SparseUpdate` is sparse (``UNSET`` left alone, ``None``
    cleared); a model is sparse with its set fields (``None`` left alone) unless ``full``, where the
    raw payload is round-tripped and every field omitted is cleared by QBO.

    Raises:
        ConfigurationError: No ``Id`` or ``SyncToken``, or ``full`` asked of a sparse update.
    """
    if isinstance(entity, SparseUpdate):
        if full:
            raise ConfigurationError("a sparse update cannot be sent as a full update")
        body = entity.to_api()
    else:
        body = entity.to_api_full() if full and isinstance(entity, Entity) else body_of(entity)
        body["sparse"] = not full
    if not body.get("Id") or body.get("SyncToken") in (None, ""):
        raise ConfigurationError("an update needs the entity's Id and current SyncToken")
    return body


def _name_of(entity: type[Entity] | str) -> str:
    name = entity if isinstance(entity, str) else entity.entity_name
    if entity_class(name) is None:
        raise ConfigurationError(f"unknown QBO entity {name!r}")
    return name


def check_request_id(value: object, what: str = "request id") -> str:
    """Validate a caller's ``requestid`` for ``/batch`` (1 to 36 printable ASCII characters).

    Raises:
        ConfigurationError: It is not such a string.
    """
    if (
        not isinstance(value, str)
        or not 1 <= len(value) <= MAX_REQUEST_ID
        or not value.isascii()
        or not value.isprintable()
    ):
        raise ConfigurationError(f"a {what} is a string of 1 to {MAX_REQUEST_ID} printable ASCII characters")
    return value


@attrs.frozen(kw_only=True)
class BatchOperation:
    """One item of a batch. Build with :meth:`create`, :meth:`update`, :meth:`delete`, :meth:`void`,
    :meth:`query`.

    Attributes:
        request_id: An optional stable id of this operation (the sync engine derives it from tenant,
            flow, source id and version). When every operation of a 30-item chunk has one, the chunk's
            ``requestid`` is derived from them, so re-running the same operations is answered by QBO's
            ``requestid`` replay instead of being applied twice.
    """

    operation: str | None
    entity_name: str | None = None
    body: Mapping[str, Any] | None = attrs.field(default=None, repr=False)
    statement: str | None = None
    options_data: str | None = None
    request_id: str | None = None

    @classmethod
    def create(cls, entity: Entity, *, request_id: str | None = None) -> BatchOperation:
        """Create ``entity``."""
        return cls(
            operation="create",
            entity_name=_name_of(type(entity)),
            body=create_body(entity),
            request_id=request_id,
        )

    @classmethod
    def update(
        cls, entity: Entity | SparseUpdate, *, full: bool = False, request_id: str | None = None
    ) -> BatchOperation:
        """Update ``entity``: a typed sparse update, or a model (sparse unless ``full``)."""
        name = entity.entity_name if isinstance(entity, SparseUpdate) else type(entity).entity_name
        return cls(
            operation="update",
            entity_name=_name_of(name),
            body=update_body(entity, full=full),
            request_id=request_id,
        )

    @classmethod
    def delete(
        cls, entity: type[Entity] | str, entity_id: str, *, sync_token: str, request_id: str | None = None
    ) -> BatchOperation:
        """Delete a transaction."""
        return cls(
            operation="delete",
            entity_name=_name_of(entity),
            body={"Id": str(entity_id), "SyncToken": str(sync_token)},
            request_id=request_id,
        )

    @classmethod
    def void(
        cls, entity: type[Entity] | str, entity_id: str, *, sync_token: str, request_id: str | None = None
    ) -> BatchOperation:
        """Void a transaction (``operation: update`` with ``optionsData: void``)."""
        return cls(
            operation="update",
            entity_name=_name_of(entity),
            body={"Id": str(entity_id), "SyncToken": str(sync_token), "sparse": True},
            options_data="void",
            request_id=request_id,
        )

    @classmethod
    def query(cls, statement: str | Select, *, request_id: str | None = None) -> BatchOperation:
        """Run a query statement."""
        return cls(operation=None, statement=ensure_statement(statement), request_id=request_id)

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


def chunk_request_id(operations: Sequence[BatchOperation]) -> str | None:
    """The ``requestid`` of a chunk derived from its operations' own ids (32 hex characters), or
    ``None`` when none of them carries one.

    Raises:
        ConfigurationError: Some operations of the chunk carry an id and others do not (a chunk id
            derived from part of its operations could not deduplicate a re-run).
    """
    ids = [op.request_id for op in operations]
    if all(i is None for i in ids):
        return None
    if any(i is None for i in ids):
        raise ConfigurationError("either every operation of a batch carries a request_id, or none does")
    digest = hashlib.sha256("\x1f".join(str(i) for i in ids).encode("utf-8"))
    return digest.hexdigest()[:32]


def is_ambiguous(error: MsplinkError) -> bool:
    """Whether a failed ``/batch`` call may have been applied (lost answer, 5xx, unreadable body) or was
    refused unprocessed (throttled): resending it with the same ``requestid`` is then safe and needed.
    A 4xx answer (bad request, authentication, permission) was definitely refused."""
    if isinstance(error, (TransportError, RateLimitError, ServerError)):
        return True
    return isinstance(error, APIError) and (error.status_code >= 500 or MALFORMED in error.codes)


@attrs.frozen(kw_only=True)
class BatchItemResult:
    """The result of one batch item, in the order the operations were given.

    Attributes:
        operation: The operation.
        bid: The ``bId`` it was last sent with.
        request_id: The ``requestid`` of the ``/batch`` call that gave this result (re-run with the same
            operations to have QBO replay it).
        entity: The entity answered by a create/update/void, or the deletion.
        items: The entities of a query item.
        total_count: ``totalCount`` of a ``COUNT(*)`` query item.
        fault_type: ``Fault.type`` when the item failed.
        error: The typed error of a failed item (``StaleObjectError``, ``DuplicateNameError``, a
            ``TransportError`` when its call never got an answer ...).
    """

    operation: BatchOperation
    bid: str
    request_id: str = ""
    entity: Entity | DeletedEntity | None = None
    items: tuple[Entity, ...] | None = None
    total_count: int | None = None
    fault_type: str | None = None
    error: MsplinkError | None = attrs.field(default=None, eq=False)

    @property
    def ok(self) -> bool:
        """Whether the item succeeded."""
        return self.error is None

    @property
    def applied(self) -> bool | None:
        """``True`` when the item succeeded, ``False`` when QBO refused it (a fault, a 4xx), ``None``
        when nobody knows (no answer, a 5xx, an unreadable answer): re-run it with the same request id."""
        if self.error is None:
            return True
        if self.fault_type is not None:
            return False
        return None if is_ambiguous(self.error) or "missing" in _codes(self.error) else False

    @property
    def errors(self) -> tuple[ErrorDetail, ...]:
        """The error details of a failed item."""
        return self.error.errors if isinstance(self.error, APIError) else ()


def _codes(error: MsplinkError) -> tuple[str, ...]:
    return error.codes if isinstance(error, APIError) else ()


def _parse_entity(name: str, data: Mapping[str, Any]) -> Entity | DeletedEntity:
    if data.get("status") == "Deleted":
        return attrs.evolve(DeletedEntity.from_api(data), entity_name=name)
    cls = entity_class(name)
    if cls is None:
        raise BadShape(f"{name} is not an entity msplink models")
    return cls.from_api(data)


def _query_item(response: Mapping[str, Any]) -> tuple[tuple[Entity, ...], int | None]:
    found: list[Entity] = []
    for key, value in response.items():
        cls = entity_class(key)
        if cls is None:
            continue
        if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
            raise BadShape(f"QueryResponse.{key} is not a list of objects")
        found.extend(cls.from_api(v) for v in value)
    total = response.get("totalCount")
    if total is not None and (isinstance(total, bool) or not isinstance(total, (int, str))):
        raise BadShape("totalCount is not a number")
    return tuple(found), int(total) if total is not None else None


def _item_result(
    op: BatchOperation, bid: str, item: Mapping[str, Any], *, path: str, request_id: str
) -> BatchItemResult:
    common: dict[str, Any] = {"operation": op, "bid": bid, "request_id": request_id}
    if "Fault" in item:
        fault = item["Fault"]
        if not isinstance(fault, Mapping):
            return BatchItemResult(**common, error=malformed(path, f"bId {bid}: Fault is not an object"))
        details = fault_details(fault) or (ErrorDetail(code=None, message="a fault without details"),)
        cls = classify_details(details) or BadRequestError
        error = cls(platform="quickbooks", status_code=200, method="POST", path=path, errors=details)
        fault_type = fault.get("type")
        return BatchItemResult(
            **common, fault_type=str(fault_type) if fault_type is not None else "", error=error
        )
    try:
        return BatchItemResult(**common, **_success(op, item))
    except BadShape as exc:
        return BatchItemResult(**common, error=malformed(path, f"bId {bid}: {exc}"))
    except _PARSE_FAILURES as exc:
        message = f"bId {bid}: unreadable {op.entity_name or 'query answer'} ({type(exc).__name__})"
        return BatchItemResult(**common, error=malformed(path, message))


def _success(op: BatchOperation, item: Mapping[str, Any]) -> dict[str, Any]:
    if op.statement is not None:
        response = item.get("QueryResponse")
        if not isinstance(response, Mapping):
            raise BadShape("QueryResponse is not an object")
        rows, total = _query_item(response)
        return {"items": rows, "total_count": total}
    name = str(op.entity_name)
    data = item.get(name)
    if not isinstance(data, Mapping):
        raise BadShape(f"{name} is missing or not an object")
    return {"entity": _parse_entity(name, data)}


def parse_batch_items(
    operations: Sequence[BatchOperation], body: object, *, path: str, request_id: str = ""
) -> list[BatchItemResult]:
    """Match ``BatchItemResponse`` entries to operations by ``bId`` (``"0"``, ``"1"`` ... in order).

    An operation without an answer, or with an unreadable one, gets a typed error; nothing is ever
    reported as a success without its entity.

    Raises:
        BadShape: The body is not an object with a ``BatchItemResponse`` list of objects (the call's
            parser turns this into a typed ``APIError``).
    """
    if not isinstance(body, Mapping):
        raise BadShape("the batch answer is not an object")
    items = body.get("BatchItemResponse")
    if not isinstance(items, list) or not all(isinstance(i, Mapping) for i in items):
        raise BadShape("BatchItemResponse is not a list of objects")
    by_bid = {str(item.get("bId")): item for item in items}
    results: list[BatchItemResult] = []
    for index, op in enumerate(operations):
        bid = str(index)
        item = by_bid.get(bid)
        if item is None:
            detail = ErrorDetail(code="missing", message=f"no answer for bId {bid}")
            error = APIError(
                platform="quickbooks", status_code=200, method="POST", path=path, errors=(detail,)
            )
            results.append(BatchItemResult(operation=op, bid=bid, request_id=request_id, error=error))
            continue
        results.append(_item_result(op, bid, item, path=path, request_id=request_id))
    return results


def validate_operations(operations: Iterable[BatchOperation]) -> list[BatchOperation]:
    """The operations as a list, each checked to be a :class:`BatchOperation` with a valid request id.

    Raises:
        ConfigurationError: Something else was given.
    """
    ops = list(operations)
    for op in ops:
        if not isinstance(op, BatchOperation):
            raise ConfigurationError("batch() takes BatchOperation values")
        if op.request_id is not None and (not isinstance(op.request_id, str) or not op.request_id):
            raise ConfigurationError("BatchOperation.request_id is a non-empty string")
    return ops
