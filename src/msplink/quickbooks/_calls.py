"""Pure request builders for QBO endpoints (sans-I/O): each returns a ``Call[T]`` whose parser reads
the answer, and the ``next_call`` function of query paging.

Every parser runs inside the executor, so an unreadable answer becomes a typed ``APIError`` (a
``BadShape`` names the part that was wrong, coded ``malformed_response``), never an
``AttributeError`` escaping from a plan.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, Generic, TypeVar

import attrs
import httpx

from msplink._core import Call, Page, build_api_error, decode_json, path
from msplink.errors import APIError, ConfigurationError, ErrorDetail, QueryError
from msplink.quickbooks._changes import CDCResult, parse_cdc
from msplink.quickbooks._errors import MALFORMED, PLATFORM, BadShape, details_from_body
from msplink.quickbooks._operations import (
    BatchItemResult,
    BatchOperation,
    create_body,
    parse_batch_items,
    update_body,
)
from msplink.quickbooks.models import DeletedEntity, Entity, SparseUpdate
from msplink.quickbooks.query import (
    MAX_RESULTS,
    Condition,
    Select,
    ensure_statement,
    order_term,
    parse_where,
    select,
)

__all__ = [
    "PREFIX",
    "EntitySpec",
    "Statement",
    "batch_call",
    "cdc_call",
    "changed_since_param",
    "count_call",
    "create_call",
    "deactivate_call",
    "delete_call",
    "get_call",
    "list_statement",
    "new_request_id",
    "next_query_page",
    "query_page_call",
    "raw_call",
    "singleton_call",
    "statement_of",
    "update_call",
    "void_call",
]

T = TypeVar("T")
E = TypeVar("E", bound=Entity)

PREFIX = "/v3/company/{realm}"
_LITERAL = re.compile(r"'(?:\\.|[^'\\])*'")
_PAGING = re.compile(r"\b(?:STARTPOSITION|MAXRESULTS)\b", re.I)
_COUNT = re.compile(r"(?is)select\s+count\s*\(")
_FROM = re.compile(r"(?is)\bfrom\s+([A-Za-z][A-Za-z0-9]*)\b")


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
    """Attach a parser that raises the typed error for a ``Fault`` inside a 2xx body, and for a body
    whose shape is wrong (``BadShape``: an ``APIError`` coded ``malformed_response``)."""

    def parse(response: httpx.Response) -> T:
        body = decode_json(response)
        if isinstance(body, Mapping) and ("Fault" in body or "fault" in body):
            raise build_api_error(PLATFORM, call, response, details=details_from_body(body))
        try:
            return parse_body(body)
        except BadShape as exc:
            detail = ErrorDetail(code=MALFORMED, message=str(exc))
            raise build_api_error(PLATFORM, call, response, details=(detail,), cls=APIError) from None

    return call.with_parse(parse)


def _envelope(spec: EntitySpec[E]) -> Callable[[Any], E]:
    def parse(body: Any) -> E:
        if not isinstance(body, Mapping):
            raise BadShape("the answer is not an object")
        data = body.get(spec.name)
        if not isinstance(data, Mapping):
            raise BadShape(f"{spec.name} is missing or not an object")
        return spec.parse(data)

    return parse


def get_call(spec: EntitySpec[E], entity_id: str, *, minor_version: int) -> Call[E]:
    """Read one entity (GET /v3/company/{realm}/{entity}/{id}); ``.`` and ``..`` are refused."""
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


# ---------------------------------------------------------------------------------------------- query


@attrs.frozen
class Statement:
    """A query statement being paged: its text without paging clauses, and where the walk stands.

    Attributes:
        text: ``SELECT ... [WHERE ...] [ORDERBY ...]`` (no STARTPOSITION/MAXRESULTS).
        start: The ``STARTPOSITION`` of the page (1-based).
        size: The ``MAXRESULTS`` of the page.
        single: The caller set the paging clauses: exactly that one page is read.
    """

    text: str
    start: int = 1
    size: int = MAX_RESULTS
    single: bool = False

    def render(self) -> str:
        """The text of this page's statement."""
        if self.single:
            return self.text
        return f"{self.text} STARTPOSITION {self.start} MAXRESULTS {self.size}"


def _check_entity(spec: EntitySpec[Any], entity: str) -> None:
    if entity.lower() != spec.name.lower():
        raise QueryError(f"the statement selects from {entity}, not {spec.name}")


def statement_of(spec: EntitySpec[Any], statement: str | Select) -> Statement:
    """Read a whole statement for :meth:`query`, before any I/O.

    A built :class:`~msplink.quickbooks.query.Select` or a string; without paging clauses every page is
    read (``STARTPOSITION`` += 1000); with ``MAXRESULTS`` exactly the page asked for.

    Raises:
        QueryError: Not a SELECT of this entity, or a ``COUNT(*)`` (use ``count()``).
    """
    if isinstance(statement, Select):
        _check_entity(spec, statement.entity)
        if statement.is_count:
            raise QueryError("SELECT COUNT(*) answers a number: use count()")
        if statement.max_results is not None:
            return Statement(statement.render(), single=True)
        bare = attrs.evolve(statement, start=None, max_results=None).render()
        return Statement(bare, start=statement.start or 1)
    text = ensure_statement(statement)
    skeleton = _LITERAL.sub("''", text)
    if _COUNT.match(skeleton):
        raise QueryError("SELECT COUNT(*) answers a number: use count()")
    entity = _FROM.search(skeleton)
    if entity is None:
        raise QueryError("a QBO query names its entity: SELECT ... FROM <Entity>")
    _check_entity(spec, entity.group(1))
    return Statement(text, single=bool(_PAGING.search(skeleton)))


def list_statement(
    spec: EntitySpec[Any],
    *,
    where: Condition | str | None,
    order_by: str | Sequence[str] | None,
    fields: Sequence[str] | None,
    limit: int | None,
    page_size: int | None,
    cursor: str | None,
) -> Statement:
    """The statement of ``list()``: ``SELECT <fields> FROM <Entity> WHERE ... ORDERBY ...`` paged.

    Raises:
        QueryError: A malformed condition, ordering or field name (before any I/O).
        ConfigurationError: ``page_size`` outside 1..1000 or a cursor that is not a position.
    """
    size = MAX_RESULTS if page_size is None else page_size
    if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= MAX_RESULTS:
        raise ConfigurationError(f"page_size must be in 1..{MAX_RESULTS}")
    if limit:
        size = min(size, limit)
    start = 1
    if cursor is not None:
        if not isinstance(cursor, str) or not cursor.isdigit() or int(cursor) < 1:
            raise ConfigurationError("cursor is a page's next_cursor (a STARTPOSITION)")
        start = int(cursor)
    stmt = select(spec.name, *(fields or ()))
    if where is not None:
        condition = parse_where(where) if isinstance(where, str) else where
        stmt = stmt.where(condition)
    terms = [order_by] if isinstance(order_by, str) else list(order_by or ["Id"])
    stmt = attrs.evolve(stmt, order=tuple(order_term(t) for t in terms))
    return Statement(stmt.render(), start=start, size=size)


def _base_query(text: str, minor_version: int) -> Call[Any]:
    return Call(
        method="POST",
        path="/query",
        template=f"{PREFIX}/query",
        params=_params(minor_version),
        content=text.encode("utf-8"),
        headers={"Content-Type": "application/text"},
        idempotent=True,
    )


def _query_response(body: Any) -> Mapping[str, Any]:
    if not isinstance(body, Mapping):
        raise BadShape("the query answer is not an object")
    response = body.get("QueryResponse", {})
    if not isinstance(response, Mapping):
        raise BadShape("QueryResponse is not an object")
    return response


def _query_items(spec: EntitySpec[E], body: Any) -> list[E]:
    rows = _query_response(body).get(spec.name, []) or []
    if not isinstance(rows, list) or not all(isinstance(row, Mapping) for row in rows):
        raise BadShape(f"QueryResponse.{spec.name} is not a list of objects")
    return [spec.parse(row) for row in rows]


def query_page_call(spec: EntitySpec[E], statement: Statement, *, minor_version: int) -> Call[Page[E]]:
    """One page of a statement (POST /v3/company/{realm}/query, ``application/text``)."""

    def parse(body: Any) -> Page[E]:
        items = _query_items(spec, body)
        full = not statement.single and len(items) >= statement.size
        cursor = str(statement.start + len(items)) if full else None
        return Page(items=items, next_cursor=cursor, raw=statement)

    return checked(_base_query(statement.render(), minor_version), parse)


def next_query_page(
    minor_version: int, spec: EntitySpec[E]
) -> Callable[[Call[Page[E]], Page[E]], Call[Page[E]] | None]:
    """The pure next-call function of query paging: ``STARTPOSITION += MAXRESULTS`` while pages are full."""

    def next_call(prev: Call[Page[E]], page: Page[E]) -> Call[Page[E]] | None:
        if page.next_cursor is None or not isinstance(page.raw, Statement):
            return None
        following = attrs.evolve(page.raw, start=int(page.next_cursor))
        return query_page_call(spec, following, minor_version=minor_version)

    return next_call


def count_call(spec: EntitySpec[Any], where: Condition | str | None, *, minor_version: int) -> Call[int]:
    """Count matching entities (POST /v3/company/{realm}/query with ``SELECT COUNT(*)``)."""
    stmt = attrs.evolve(select(spec.name), is_count=True)
    if where is not None:
        stmt = stmt.where(parse_where(where) if isinstance(where, str) else where)

    def parse(body: Any) -> int:
        total = _query_response(body).get("totalCount")
        if isinstance(total, bool) or not isinstance(total, (int, str)) or not str(total).isdigit():
            raise BadShape("totalCount is missing or not a number")
        return int(total)

    return checked(_base_query(stmt.render(), minor_version), parse)


# --------------------------------------------------------------------------------------------- writes


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
    body = create_body(entity)
    return checked(
        _write_call(spec, body, minor_version=minor_version, request_id=request_id), _envelope(spec)
    )


def update_call(
    spec: EntitySpec[E],
    entity: E | SparseUpdate | Mapping[str, Any],
    *,
    full: bool = False,
    minor_version: int,
    request_id: str | None = None,
) -> Call[E]:
    """Update an entity (POST /v3/company/{realm}/{entity}): a typed sparse update, or a model
    (sparse with its set fields unless ``full``)."""
    if isinstance(entity, SparseUpdate) and entity.entity_name != spec.name:
        raise ConfigurationError(f"expected a {spec.name}Update, got {type(entity).__name__}")
    if isinstance(entity, Entity) and not isinstance(entity, spec.model):
        raise ConfigurationError(f"expected a {spec.name}, got {type(entity).__name__}")
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
        if not isinstance(data, Mapping):
            raise BadShape("the answer is not an object")
        inner = data.get(wrap or spec.name) or data.get(spec.name)
        if wrap and isinstance(inner, Mapping) and wrap in inner:
            inner = inner[wrap]
        if not isinstance(inner, Mapping):
            raise BadShape(f"{wrap or spec.name} is missing or not an object")
        return attrs.evolve(DeletedEntity.from_api(inner), entity_name=spec.name)

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


# --------------------------------------------------------------------------------------- CDC and batch


def changed_since_param(moment: datetime) -> str:
    """``changedSince`` at second precision, as Intuit documents it (``2015-12-23T10:00:01-07:00``).

    Fractions are cut, never rounded up, so the window only ever grows (results are de-duplicated).
    """
    return moment.replace(microsecond=0).isoformat()


def cdc_call(entities: Sequence[str], changed_since: datetime, *, minor_version: int) -> Call[CDCResult]:
    """Change data capture (GET /v3/company/{realm}/cdc?entities=...&changedSince=...)."""
    call: Call[Any] = Call(
        method="GET",
        path="/cdc",
        template=f"{PREFIX}/cdc",
        params=_params(
            minor_version, entities=",".join(entities), changedSince=changed_since_param(changed_since)
        ),
    )
    return checked(call, parse_cdc)


def batch_call(
    operations: Sequence[BatchOperation], *, request_id: str, minor_version: int
) -> Call[list[BatchItemResult]]:
    """One batch (POST /v3/company/{realm}/batch, at most 30 items, ``requestid`` on the URL), its
    answer matched to the operations by ``bId``."""
    template = f"{PREFIX}/batch"
    call: Call[Any] = Call(
        method="POST",
        path="/batch",
        template=template,
        params=_params(minor_version, requestid=request_id),
        json={"BatchItemRequest": [op.to_item(str(n)) for n, op in enumerate(operations)]},
        idempotent=True,
    )
    return checked(
        call, lambda body: parse_batch_items(operations, body, path=template, request_id=request_id)
    )
