"""Pure request builders and parsers for QBO endpoints (sans-I/O): each returns a ``Call[T]``."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, Generic, TypeVar

import attrs
import httpx

from msplink._core import Call, Page, decode_json, path
from msplink._core import build_api_error as _build_api_error
from msplink.errors import ConfigurationError
from msplink.quickbooks._errors import PLATFORM, details_from_body
from msplink.quickbooks.models import DeletedEntity, Entity, RecurringTransaction
from msplink.quickbooks.query import MAX_RESULTS, Select, ensure_statement

__all__ = [
    "EntitySpec",
    "count_call",
    "create_call",
    "deactivate_call",
    "delete_call",
    "get_call",
    "new_request_id",
    "query_call",
    "query_page_call",
    "raw_call",
    "update_call",
    "void_call",
]

T = TypeVar("T")
E = TypeVar("E", bound=Entity)

PREFIX = "/v3/company/{realm}"


def new_request_id() -> str:
    """A fresh ``requestid`` (uuid4 hex, 32 characters: within the 36 allowed on ``/batch``)."""
    return uuid.uuid4().hex


@attrs.frozen
class EntitySpec(Generic[E]):
    """What the builders need to know about an entity: its model, name and URL segment."""

    model: type[E]
    segment: str

    @property
    def name(self) -> str:
        """The QBO entity name (``Invoice``)."""
        return self.model.entity_name

    def parse(self, data: Mapping[str, Any]) -> E:
        """Parse one object of this entity."""
        return self.model.from_api(data)


def _params(minor_version: int, **extra: str) -> dict[str, str]:
    params = {"minorversion": str(minor_version)}
    params.update(extra)
    return params


def checked(call: Call[Any], parse_body: Callable[[Any], T]) -> Call[T]:
    """Attach a parser that raises the typed error for a ``Fault`` inside a 2xx body."""

    def parse(response: httpx.Response) -> T:
        body = decode_json(response)
        if isinstance(body, Mapping) and ("Fault" in body or "fault" in body):
            raise _build_api_error(PLATFORM, call, response, details=details_from_body(body))
        return parse_body(body)

    return call.with_parse(parse)


def _envelope(spec: EntitySpec[E]) -> Callable[[Any], E]:
    def parse(body: Any) -> E:
        data = body.get(spec.name, body)
        if spec.model is RecurringTransaction:
            data = body.get("RecurringTransaction", body)
        return spec.parse(data)

    return parse


def get_call(spec: EntitySpec[E], entity_id: str, *, minor_version: int) -> Call[E]:
    """Read one entity (GET /v3/company/{realm}/{entity}/{id})."""
    call: Call[Any] = Call(
        method="GET",
        path=path("/" + spec.segment + "/{id}", id=entity_id),
        template=f"{PREFIX}/{spec.segment}/{{id}}",
        params=_params(minor_version),
    )
    return checked(call, _envelope(spec))


def singleton_call(spec: EntitySpec[E], segment_path: str, *, minor_version: int) -> Call[E]:
    """Read a singleton (GET /v3/company/{realm}/preferences, /companyinfo/{realm})."""
    call: Call[Any] = Call(
        method="GET",
        path=segment_path,
        template=f"{PREFIX}/{spec.segment}",
        params=_params(minor_version),
    )
    return checked(call, _envelope(spec))


def _query_base(statement: str, minor_version: int) -> Call[Any]:
    return Call(
        method="POST",
        path="/query",
        template=f"{PREFIX}/query",
        params=_params(minor_version),
        content=statement.encode("utf-8"),
        headers={"Content-Type": "application/text"},
        idempotent=True,
    )


def _query_items(spec: EntitySpec[E], body: Any) -> tuple[list[E], Mapping[str, Any]]:
    response = body.get("QueryResponse", {}) or {}
    raw_items = response.get(spec.name, []) or []
    return [spec.parse(item) for item in raw_items], response


def query_call(spec: EntitySpec[E], statement: str | Select, *, minor_version: int) -> Call[list[E]]:
    """Run one statement as given (POST /v3/company/{realm}/query, ``application/text``)."""
    text = ensure_statement(statement)
    return checked(_query_base(text, minor_version), lambda body: _query_items(spec, body)[0])


def count_call(statement: Select, *, minor_version: int) -> Call[int]:
    """Count matching entities (POST /v3/company/{realm}/query with ``SELECT COUNT(*)``)."""
    text = attrs.evolve(statement, is_count=True, order=(), start=None, max_results=None).render()

    def parse(body: Any) -> int:
        return int((body.get("QueryResponse") or {}).get("totalCount", 0))

    return checked(_query_base(text, minor_version), parse)


def query_page_call(spec: EntitySpec[E], statement: Select, *, minor_version: int) -> Call[Page[E]]:
    """One page of a statement (POST /v3/company/{realm}/query with STARTPOSITION/MAXRESULTS)."""
    start = statement.start or 1
    size = statement.max_results or MAX_RESULTS
    statement = statement.page(start, size)

    def parse(body: Any) -> Page[E]:
        items, _ = _query_items(spec, body)
        cursor = str(start + len(items)) if len(items) >= size else None
        return Page(items=items, next_cursor=cursor, raw=statement)

    return checked(_query_base(statement.render(), minor_version), parse)


def next_query_page(
    minor_version: int, spec: EntitySpec[E]
) -> Callable[[Call[Page[E]], Page[E]], Call[Page[E]] | None]:
    """The pure next-call function of query paging: ``STARTPOSITION += MAXRESULTS`` while pages are full."""

    def next_call(prev: Call[Page[E]], page: Page[E]) -> Call[Page[E]] | None:
        if page.next_cursor is None or not isinstance(page.raw, Select):
            return None
        stmt: Select = page.raw
        return query_page_call(
            spec,
            stmt.page(int(page.next_cursor), stmt.max_results or MAX_RESULTS),
            minor_version=minor_version,
        )

    return next_call


def _write_call(
    spec: EntitySpec[Any],
    body: Mapping[str, Any],
    *,
    minor_version: int,
    request_id: str | None,
    **extra: str,
) -> Call[Any]:
    return Call(
        method="POST",
        path="/" + spec.segment,
        template=f"{PREFIX}/{spec.segment}",
        params=_params(minor_version, requestid=request_id or new_request_id(), **extra),
        json=dict(body),
        idempotent=True,  # the requestid makes a replay return the original answer
    )


def body_of(entity: Entity | Mapping[str, Any]) -> dict[str, Any]:
    """The wire body of a model or a mapping."""
    if isinstance(entity, Entity):
        return entity.to_api()
    if isinstance(entity, Mapping):
        return dict(entity)
    raise ConfigurationError(f"expected a QBO model or a mapping, got {type(entity).__name__}")


def create_call(
    spec: EntitySpec[E],
    entity: E | Mapping[str, Any],
    *,
    minor_version: int,
    request_id: str | None = None,
) -> Call[E]:
    """Create an entity (POST /v3/company/{realm}/{entity}?requestid=...)."""
    if isinstance(entity, Entity) and not isinstance(entity, spec.model):
        raise ConfigurationError(f"expected a {spec.name}, got {type(entity).__name__}")
    body = body_of(entity)
    for key in ("Id", "SyncToken", "MetaData"):
        body.pop(key, None)
    return checked(
        _write_call(spec, body, minor_version=minor_version, request_id=request_id), _envelope(spec)
    )


def update_body(entity: Entity | Mapping[str, Any], *, full: bool) -> dict[str, Any]:
    """The body of a sparse update (set fields only) or a full update (the raw payload round-tripped)."""
    body = entity.to_api_full() if full and isinstance(entity, Entity) else body_of(entity)
    if not body.get("Id") or body.get("SyncToken") in (None, ""):
        raise ConfigurationError("an update needs the entity's Id and current SyncToken")
    body["sparse"] = not full
    return body


def update_call(
    spec: EntitySpec[E],
    entity: E | Mapping[str, Any],
    *,
    full: bool = False,
    minor_version: int,
    request_id: str | None = None,
) -> Call[E]:
    """Update an entity (POST /v3/company/{realm}/{entity}); sparse unless ``full``."""
    body = update_body(entity, full=full)
    return checked(
        _write_call(spec, body, minor_version=minor_version, request_id=request_id), _envelope(spec)
    )


def _id_token(entity_id: str, sync_token: str) -> dict[str, Any]:
    if not entity_id or sync_token in (None, ""):
        raise ConfigurationError("delete and void need the entity's Id and current SyncToken")
    return {"Id": str(entity_id), "SyncToken": str(sync_token)}


def delete_call(
    spec: EntitySpec[Any],
    entity_id: str,
    *,
    sync_token: str,
    minor_version: int,
    request_id: str | None = None,
    wrap: str | None = None,
) -> Call[DeletedEntity]:
    """Delete a transaction (POST /v3/company/{realm}/{entity}?operation=delete)."""
    body: dict[str, Any] = _id_token(entity_id, sync_token)
    if wrap:
        body = {wrap: body}

    def parse(data: Any) -> DeletedEntity:
        inner = data.get(wrap or spec.name) or data.get(spec.name) or data.get("RecurringTransaction") or {}
        if wrap and isinstance(inner, Mapping) and wrap in inner:
            inner = inner[wrap]
        deleted = DeletedEntity.from_api(inner)
        return attrs.evolve(deleted, entity_name=spec.name)

    call = _write_call(spec, body, minor_version=minor_version, request_id=request_id, operation="delete")
    return checked(call, parse)


def deactivate_call(
    spec: EntitySpec[E],
    entity_id: str,
    *,
    sync_token: str,
    minor_version: int,
    request_id: str | None = None,
) -> Call[E]:
    """Deactivate a name-list entity (POST /v3/company/{realm}/{entity}, sparse ``Active: false``)."""
    body = {**_id_token(entity_id, sync_token), "sparse": True, "Active": False}
    return checked(
        _write_call(spec, body, minor_version=minor_version, request_id=request_id), _envelope(spec)
    )


def void_call(
    spec: EntitySpec[E],
    entity_id: str,
    *,
    sync_token: str,
    minor_version: int,
    request_id: str | None = None,
) -> Call[E]:
    """Void a transaction: Invoice ``?operation=void``; Payment ``?operation=update&include=void`` (sparse)."""
    body = _id_token(entity_id, sync_token)
    if spec.name == "Invoice":
        call = _write_call(spec, body, minor_version=minor_version, request_id=request_id, operation="void")
    else:
        call = _write_call(
            spec,
            {**body, "sparse": True},
            minor_version=minor_version,
            request_id=request_id,
            operation="update",
            include="void",
        )
    return checked(call, _envelope(spec))


def raw_call(
    method: str,
    url_path: str,
    *,
    minor_version: int,
    params: Mapping[str, str] | None = None,
    json: Any = None,
    content: bytes | None = None,
    headers: Mapping[str, str] | None = None,
) -> Call[httpx.Response]:
    """A raw call relative to ``/v3/company/{realm}`` (the escape hatch); writes get a ``requestid``."""
    merged = _params(minor_version)
    if method.upper() == "POST":
        merged["requestid"] = new_request_id()
    merged.update(params or {})
    return Call(
        method=method.upper(),
        path=url_path if url_path.startswith(("/", "http")) else "/" + url_path,
        params=merged,
        json=json,
        content=content,
        headers=dict(headers or {}),
        idempotent=method.upper() != "POST" or "requestid" in merged,
        parse=lambda response: response,
    )


def cdc_call(entities: Sequence[str], changed_since: datetime, *, minor_version: int) -> Call[Any]:
    """Change data capture (GET /v3/company/{realm}/cdc?entities=...&changedSince=...)."""
    call: Call[Any] = Call(
        method="GET",
        path="/cdc",
        template=f"{PREFIX}/cdc",
        params=_params(minor_version, entities=",".join(entities), changedSince=changed_since.isoformat()),
    )
    return checked(call, lambda body: body)


def batch_call(
    items: Sequence[Mapping[str, Any]], *, minor_version: int, request_id: str | None = None
) -> Call[Any]:
    """One batch (POST /v3/company/{realm}/batch, at most 30 items, ``requestid`` on the URL)."""
    call: Call[Any] = Call(
        method="POST",
        path="/batch",
        template=f"{PREFIX}/batch",
        params=_params(minor_version, requestid=request_id or new_request_id()),
        json={"BatchItemRequest": list(items)},
        idempotent=True,
    )
    return checked(call, lambda body: body)
