"""Pure request builders and parsers for the Salesforce REST, Composite and Bulk 2.0 APIs (STYLE R7).

Nothing here does I/O: each function returns a :class:`~msplink._core.Call`; the clients only
execute it, alone or inside a plan (:mod:`msplink.salesforce._plans`). Every answer that lists one
result per input (collections, retrieve, composite) must account for every input, or the call
raises :class:`~msplink.errors.APIError` ``result_count_mismatch``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any, TypeVar

import attrs
import httpx

from msplink._core import Call, Page, build_api_error, decode_json, path
from msplink.errors import APIError, ConfigurationError, ErrorDetail
from msplink.salesforce import soql
from msplink.salesforce._csv import iter_csv, parse_csv, record_body, result_row
from msplink.salesforce._errors import PLATFORM
from msplink.salesforce.models import (
    BulkRecordResult,
    CompositeSubrequest,
    CompositeSubresponse,
    DeletedResult,
    JobInfo,
    Limits,
    Record,
    SaveResult,
    SObject,
    SObjectDescribe,
    UpdatedResult,
    to_api_value,
)

__all__ = [
    "COLLECTION_SIZE",
    "COMPOSITE_COLLECTIONS",
    "COMPOSITE_SIZE",
    "INGEST_OPERATIONS",
    "RESULT_KINDS",
    "RETRIEVE_SIZE",
    "QueryAssembly",
    "base",
    "check_version",
    "collection_create",
    "collection_delete",
    "collection_retrieve",
    "collection_update",
    "collection_upsert",
    "collections_in_composite",
    "composite",
    "composite_parse",
    "count_parser",
    "create",
    "create_ingest_job",
    "create_query_job",
    "delete",
    "deleted",
    "describe",
    "get_by_external_id",
    "get_job",
    "get_record",
    "ingest_results",
    "limits",
    "list_statement",
    "next_query",
    "next_query_results",
    "query",
    "query_page",
    "query_page_parser",
    "query_results",
    "raw_record",
    "set_job_state",
    "update",
    "updated",
    "upload_job_data",
    "upsert",
]

_T = TypeVar("_T")
_X = TypeVar("_X")

COLLECTION_SIZE = 200
COMPOSITE_SIZE = 25
COMPOSITE_COLLECTIONS = 5
"""sObject Collections (or query) subrequests one ``POST /composite`` may hold (of its 25), API v43.0+:
five collections of 200 records are one API call (REFERENCE §9)."""
RETRIEVE_SIZE = 2000
INGEST_OPERATIONS = frozenset({"insert", "update", "upsert", "delete", "hardDelete"})
RESULT_KINDS = ("successfulResults", "failedResults", "unprocessedrecords")
"""The three result files of an ingest job, in the order :meth:`Bulk.results` returns them."""

_VERSION = re.compile(r"[0-9]{1,3}\.[0-9]\Z")
_CURSOR_PREFIX = "/services/data/"
_CSV_HEADERS = {"Accept": "text/csv"}


def base(version: str) -> str:
    """The versioned REST base path (``/services/data/v62.0``)."""
    return f"/services/data/v{version}"


def check_version(version: str) -> str:
    """Validate an API version such as ``62.0``.

    Raises:
        ConfigurationError: Not ``<digits>.<digit>`` (ASCII digits only).
    """
    if not isinstance(version, str) or not _VERSION.match(version):
        raise ConfigurationError(f"api_version must look like '62.0', got {version!r}")
    return version


def raw_record(data: Mapping[str, Any]) -> Record:
    """An untyped record: the payload as a dict."""
    return dict(data)


def _json(response: httpx.Response) -> Any:
    return decode_json(response)


def _json_object(response: httpx.Response) -> Mapping[str, Any]:
    body = _json(response)
    if not isinstance(body, Mapping):
        raise TypeError(f"expected a JSON object, got {type(body).__name__}")
    return body


def _json_list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise TypeError(f"expected a JSON array, got {type(value).__name__}")
    return value


def _none(response: httpx.Response) -> None:
    return None


def _mismatch(call: Call[Any], response: httpx.Response, got: int, expected: int, what: str) -> APIError:
    detail = ErrorDetail(
        code="result_count_mismatch",
        message=f"the answer holds {got} {what} for {expected} inputs; the outcome of the others is unknown",
    )
    return build_api_error(PLATFORM, call, response, details=(detail,), cls=APIError)


def _expect_count(call: Call[list[_X]], expected: int, what: str) -> Call[list[_X]]:
    """Wrap a parser: an answer with fewer or more items than inputs is a typed error."""
    inner = call.parse

    def parse(response: httpx.Response) -> list[_X]:
        items = inner(response)
        if len(items) != expected:
            raise _mismatch(call, response, len(items), expected, what)
        return items

    return call.with_parse(parse)


def _invalid_cursor(call: Call[Any], why: str) -> APIError:
    detail = ErrorDetail(code="invalid_cursor", message=f"refused to follow {why}")
    return APIError(
        platform=PLATFORM.name,
        status_code=0,
        method=call.method.upper(),
        path=call.template,
        errors=(detail,),
    )


def _follow(base_call: Call[_T], cursor: object, what: str) -> Call[_T]:
    """The call fetching a ``nextRecordsUrl``: a path under ``/services/data/`` on the instance.

    An absolute URL is passed on as given: the executor sends credentials only to the configured
    origin. Anything else (``@host``, ``host/x``, not a string) could name another host once joined
    to the instance URL, and is refused.
    """
    if not isinstance(cursor, str) or not (
        cursor.startswith(_CURSOR_PREFIX) or cursor.startswith(("https://", "http://"))
    ):
        raise _invalid_cursor(base_call, f"a {what} that is not a /services/data/ path")
    head, _, _ = cursor.rpartition("/")
    template = f"{head}/{{locator}}" if cursor.startswith(_CURSOR_PREFIX) else "{nextRecordsUrl}"
    return base_call.replace(path=cursor, params={}, template=template)


# --------------------------------------------------------------------------------------- query


@attrs.frozen(eq=False)
class QueryAssembly:
    """A query page whose child subqueries carry their own ``nextRecordsUrl`` (REFERENCE.md §5).

    Salesforce pages a large child set separately: the parent row holds the first child records and
    a ``nextRecordsUrl`` to follow before the parent's. While children are being fetched, the
    paginator sees pages with no items (and no cursor); the page that completes the rows carries them
    all and the parent's cursor.

    Attributes:
        rows: The parent rows (child sets are extended in place as their pages arrive).
        body: The parent page body.
        parse_record: Turns a finished row into the paginator's item type.
        next_cursor: The parent page's ``nextRecordsUrl`` (``None`` on the last page).
        total: The parent ``totalSize``.
        parent_call: The call that fetched the parent page (its headers carry ``batchSize``).
        pending: The child set being completed: the row (or child record) holding it and its key.
    """

    rows: list[dict[str, Any]]
    body: Mapping[str, Any]
    parse_record: Callable[[Mapping[str, Any]], Any]
    next_cursor: str | None
    total: int | None
    parent_call: Call[Any] | None = None
    pending: tuple[dict[str, Any], str] | None = None


def _find_pending(rows: Sequence[Mapping[str, Any]]) -> tuple[dict[str, Any], str] | None:
    """The first child set, at any depth, that is not done; a not-done set without a cursor is malformed."""
    stack: list[Mapping[str, Any]] = list(reversed(rows))
    while stack:
        holder = stack.pop()
        for key, value in holder.items():
            if not isinstance(value, dict):
                continue
            records = value.get("records")
            if isinstance(records, list) and "done" in value:
                if value.get("done") is False:
                    if not isinstance(value.get("nextRecordsUrl"), str):
                        raise ValueError(f"child set {key!r} is not done and has no nextRecordsUrl")
                    if isinstance(holder, dict):
                        return holder, key
                stack.extend(r for r in reversed(records) if isinstance(r, Mapping))
            else:
                stack.append(value)
    return None


def _assemble(state: QueryAssembly) -> Page[Any]:
    pending = _find_pending(state.rows)
    if pending is not None:
        return Page(items=[], next_cursor=None, total=state.total, raw=attrs.evolve(state, pending=pending))
    items = [state.parse_record(row) for row in state.rows]
    raw: Any = state.body if state.parent_call is None else attrs.evolve(state, pending=None)
    return Page(items=items, next_cursor=state.next_cursor, total=state.total, raw=raw)


def _records(body: Mapping[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for record in _json_list(body.get("records") or []):
        if not isinstance(record, Mapping):
            raise TypeError("a query record is not a JSON object")
        rows.append(dict(record))
    return rows


def _page_cursor(body: Mapping[str, Any]) -> str | None:
    if body.get("done", True) is not False:
        return None
    cursor = body.get("nextRecordsUrl")
    if not isinstance(cursor, str) or not cursor:
        raise ValueError("a page that is not done has no nextRecordsUrl")
    return cursor


def query_page_parser(
    parse_record: Callable[[Mapping[str, Any]], _T],
) -> Callable[[httpx.Response], Page[_T]]:
    """Parse one query page: records, ``nextRecordsUrl`` (cursor) and ``totalSize``."""

    return lambda response: query_page(_json_object(response), parse_record)


def query_page(body: Mapping[str, Any], parse_record: Callable[[Mapping[str, Any]], _T]) -> Page[_T]:
    """One query page from its decoded body (a ``/query`` answer, or a composite subresponse's)."""
    total = body.get("totalSize")
    state = QueryAssembly(
        rows=_records(body),
        body=body,
        parse_record=parse_record,
        next_cursor=_page_cursor(body),
        total=total if isinstance(total, int) and not isinstance(total, bool) else None,
    )
    return _assemble(state)


def _merge_child(state: QueryAssembly) -> Callable[[httpx.Response], Page[Any]]:
    def parse(response: httpx.Response) -> Page[Any]:
        body = _json_object(response)
        if state.pending is None:
            raise TypeError("no child set is being completed")
        holder, key = state.pending
        child = holder[key]
        child["records"] = [*child["records"], *_records(body)]
        cursor = _page_cursor(body)
        child["done"] = cursor is None
        if cursor is None:
            child.pop("nextRecordsUrl", None)
        else:
            child["nextRecordsUrl"] = cursor
        return _assemble(attrs.evolve(state, pending=None))

    return parse


def query(
    version: str,
    statement: str,
    parse_record: Callable[[Mapping[str, Any]], _T],
    *,
    include_deleted: bool = False,
    page_size: int | None = None,
) -> Call[Page[_T]]:
    """``GET /query?q=`` (or ``/queryAll``), with ``Sforce-Query-Options: batchSize`` when asked.

    Raises:
        QueryError: The statement is certainly invalid (before any I/O).
        ConfigurationError: ``page_size`` is outside 200..2,000.
    """
    soql.validate(statement)
    headers: dict[str, str] = {}
    if page_size is not None:
        if isinstance(page_size, bool) or not isinstance(page_size, int) or not 200 <= page_size <= 2000:
            raise ConfigurationError("page_size must be between 200 and 2000 (Salesforce batchSize)")
        headers["Sforce-Query-Options"] = f"batchSize={page_size}"
    resource = "queryAll" if include_deleted else "query"
    return Call(
        method="GET",
        path=f"{base(version)}/{resource}",
        params={"q": statement},
        headers=headers,
        parse=query_page_parser(parse_record),
    )


def next_query(prev: Call[Page[_T]], page: Page[_T]) -> Call[Page[_T]] | None:
    """The next request of a query walk: a pending child set's ``nextRecordsUrl`` first, then the
    parent's, until ``done`` (REFERENCE.md §5)."""
    base_call: Call[Page[_T]] = prev
    if isinstance(page.raw, QueryAssembly):
        state = page.raw
        base_call = state.parent_call or prev
        if state.pending is not None:
            holder, key = state.pending
            child = _follow(base_call, holder[key].get("nextRecordsUrl"), "child nextRecordsUrl")
            return child.with_parse(_merge_child(attrs.evolve(state, parent_call=base_call)))
    if not page.next_cursor:
        return None
    return _follow(base_call, page.next_cursor, "nextRecordsUrl")


def count_parser(response: httpx.Response) -> int:
    """``SELECT COUNT() ...`` returns its answer in ``totalSize``."""
    total = _json_object(response)["totalSize"]
    if isinstance(total, bool) or not isinstance(total, int):
        raise TypeError("totalSize is not an integer")
    return total


def list_statement(
    sobject: str,
    fields: Sequence[str | soql.Query],
    where: soql.Condition | str | None,
    order_by: Sequence[str | soql.F] | str | None,
) -> str:
    """The SOQL ``list()`` / ``count()`` send (built, never formatted; a string ``where`` is checked).

    Raises:
        QueryError: A field, condition or ORDER BY term is invalid.
    """
    q = soql.select(*fields).from_(sobject)
    if where is not None:
        q = q.where(soql.condition(where) if isinstance(where, str) else where)
    if order_by:
        q = q.order_by(*([order_by] if isinstance(order_by, str) else order_by))
    return q.render()


# ----------------------------------------------------------------------------------------- CRUD


def _fields_params(fields: Sequence[str] | None) -> dict[str, str]:
    if not fields:
        return {}
    return {"fields": ",".join(soql.check_identifier(f) for f in fields)}


def get_record(
    version: str,
    sobject: str,
    record_id: str,
    parse_record: Callable[[Mapping[str, Any]], _T],
    fields: Sequence[str] | None = None,
) -> Call[_T]:
    """``GET /sobjects/{type}/{id}``."""
    template = base(version) + "/sobjects/{sobject}/{id}"
    return Call(
        method="GET",
        path=path(template, sobject=soql.check_identifier(sobject), id=record_id),
        template=template,
        params=_fields_params(fields),
        parse=lambda r: parse_record(_json_object(r)),
    )


def _multiple_choices_guard(call: Call[_T]) -> Call[_T]:
    inner = call.parse

    def parse(response: httpx.Response) -> _T:
        if response.status_code == 300:
            raise build_api_error(PLATFORM, call, response)
        return inner(response)

    return call.with_parse(parse)


def get_by_external_id(
    version: str,
    sobject: str,
    field: str,
    value: str,
    parse_record: Callable[[Mapping[str, Any]], _T],
    fields: Sequence[str] | None = None,
) -> Call[_T]:
    """``GET /sobjects/{type}/{field}/{value}`` (300 when several records match)."""
    template = base(version) + "/sobjects/{sobject}/{field}/{value}"
    call: Call[_T] = Call(
        method="GET",
        path=path(
            template,
            sobject=soql.check_identifier(sobject),
            field=soql.check_identifier(field),
            value=str(value),
        ),
        template=template,
        params=_fields_params(fields),
        parse=lambda r: parse_record(_json_object(r)),
    )
    return _multiple_choices_guard(call)


def create(version: str, sobject: str, record: SObject | Mapping[str, Any]) -> Call[SaveResult]:
    """``POST /sobjects/{type}`` -> 201 ``{"id","success","errors"}`` (not idempotent: never replayed)."""
    template = base(version) + "/sobjects/{sobject}"
    return Call(
        method="POST",
        path=path(template, sobject=soql.check_identifier(sobject)),
        template=template,
        json=record_body(record),
        parse=lambda r: SaveResult.from_api(_json_object(r)),
    )


def update(version: str, sobject: str, record_id: str, values: SObject | Mapping[str, Any]) -> Call[None]:
    """``PATCH /sobjects/{type}/{id}`` -> 204 (idempotent: the same values set twice)."""
    template = base(version) + "/sobjects/{sobject}/{id}"
    body = record_body(values)
    body.pop("Id", None)
    return Call(
        method="PATCH",
        path=path(template, sobject=soql.check_identifier(sobject), id=record_id),
        template=template,
        json=body,
        parse=_none,
    )


def delete(version: str, sobject: str, record_id: str) -> Call[None]:
    """``DELETE /sobjects/{type}/{id}`` -> 204."""
    template = base(version) + "/sobjects/{sobject}/{id}"
    return Call(
        method="DELETE",
        path=path(template, sobject=soql.check_identifier(sobject), id=record_id),
        template=template,
        parse=_none,
    )


def _upsert_result(response: httpx.Response) -> SaveResult:
    if response.status_code == 204 or not response.content:
        return SaveResult(success=True, created=None)
    result = SaveResult.from_api(_json_object(response))
    if result.created is None:
        result = attrs.evolve(result, created=response.status_code == 201)
    return result


def upsert(
    version: str, sobject: str, field: str, value: str, record: SObject | Mapping[str, Any]
) -> Call[SaveResult]:
    """``PATCH /sobjects/{type}/{field}/{value}``: 201 created, 200 updated, 300 ambiguous, 404 bad field.

    Idempotent by external id: a replay after a lost response updates the record it created.
    """
    template = base(version) + "/sobjects/{sobject}/{field}/{value}"
    body = record_body(record)
    body.pop("Id", None)
    body.pop(field, None)
    call = Call(
        method="PATCH",
        path=path(
            template,
            sobject=soql.check_identifier(sobject),
            field=soql.check_identifier(field),
            value=str(value),
        ),
        template=template,
        json=body,
        parse=_upsert_result,
    )
    return _multiple_choices_guard(call)


# ---------------------------------------------------------------------------------- collections


def _typed(record: SObject | Mapping[str, Any], sobject: str | None) -> dict[str, Any]:
    body = record_body(record)
    kind = sobject
    if isinstance(record, SObject) and record.SOBJECT:
        kind = kind or record.SOBJECT
    if isinstance(record, Mapping) and isinstance(record.get("attributes"), Mapping):
        kind = kind or record["attributes"].get("type")
    if not kind:
        raise ConfigurationError("collection records need a type: pass sobject= or include attributes.type")
    return {"attributes": {"type": soql.check_identifier(str(kind))}, **body}


def _results(response: httpx.Response) -> list[SaveResult]:
    items = _json_list(_json(response))
    for item in items:
        if not isinstance(item, Mapping):
            raise TypeError("a collection result is not a JSON object")
    return [SaveResult.from_api(item) for item in items]


def _check_chunk(records: Sequence[Any]) -> None:
    if len(records) > COLLECTION_SIZE:
        raise ConfigurationError(f"sObject Collections take at most {COLLECTION_SIZE} records per call")


def _collection_call(call: Call[list[SaveResult]], count: int) -> Call[list[SaveResult]]:
    return _expect_count(call, count, "results")


def collection_create(
    version: str, records: Sequence[SObject | Mapping[str, Any]], sobject: str | None, all_or_none: bool
) -> Call[list[SaveResult]]:
    """``POST /composite/sobjects`` (at most 200 records; not idempotent)."""
    _check_chunk(records)
    call = Call(
        method="POST",
        path=base(version) + "/composite/sobjects",
        json={"allOrNone": all_or_none, "records": [_typed(r, sobject) for r in records]},
        parse=_results,
    )
    return _collection_call(call, len(records))


def collection_update(
    version: str, records: Sequence[SObject | Mapping[str, Any]], sobject: str | None, all_or_none: bool
) -> Call[list[SaveResult]]:
    """``PATCH /composite/sobjects`` (each record carries its ``id``; idempotent: values set twice)."""
    _check_chunk(records)
    body = []
    for record in records:
        typed = _typed(record, sobject)
        record_id = typed.pop("Id", None) or typed.pop("id", None)
        if record_id is None and isinstance(record, SObject):
            record_id = record.id
        if not record_id:
            raise ConfigurationError("every record of a collections update needs an Id")
        body.append({**typed, "id": record_id})
    call = Call(
        method="PATCH",
        path=base(version) + "/composite/sobjects",
        json={"allOrNone": all_or_none, "records": body},
        parse=_results,
    )
    return _collection_call(call, len(records))


def collection_upsert(
    version: str,
    sobject: str,
    field: str,
    records: Sequence[SObject | Mapping[str, Any]],
    all_or_none: bool,
) -> Call[list[SaveResult]]:
    """``PATCH /composite/sobjects/{type}/{externalIdField}`` (idempotent by external id)."""
    _check_chunk(records)
    body = []
    for record in records:
        typed = _typed(record, sobject)
        typed.pop("Id", None)
        if typed.get(field) in (None, ""):
            raise ConfigurationError(f"every record of an upsert needs a value for {field}")
        body.append(typed)
    template = base(version) + "/composite/sobjects/{sobject}/{field}"
    call = Call(
        method="PATCH",
        path=path(template, sobject=soql.check_identifier(sobject), field=soql.check_identifier(field)),
        template=template,
        json={"allOrNone": all_or_none, "records": body},
        parse=_results,
    )
    return _collection_call(call, len(records))


def collection_delete(version: str, ids: Sequence[str], all_or_none: bool) -> Call[list[SaveResult]]:
    """``DELETE /composite/sobjects?ids=...`` (at most 200 ids)."""
    _check_chunk(ids)
    if any(not isinstance(i, str) or not i or "," in i for i in ids):
        raise ConfigurationError("ids must be non-empty strings and contain no commas")
    call = Call(
        method="DELETE",
        path=base(version) + "/composite/sobjects",
        params={"ids": ",".join(ids), "allOrNone": "true" if all_or_none else "false"},
        parse=_results,
    )
    return _collection_call(call, len(ids))


def _retrieved(response: httpx.Response) -> list[Record | None]:
    rows: list[Record | None] = []
    for item in _json_list(_json(response)):
        if item is not None and not isinstance(item, Mapping):
            raise TypeError("a retrieved record is not a JSON object")
        rows.append(dict(item) if item is not None else None)
    return rows


def collection_retrieve(
    version: str, sobject: str, ids: Sequence[str], fields: Sequence[str]
) -> Call[list[Record | None]]:
    """``POST /composite/sobjects/{type}`` with ``{"ids","fields"}`` (up to 2,000; a read, so replayable)."""
    if len(ids) > RETRIEVE_SIZE:
        raise ConfigurationError(f"retrieve takes at most {RETRIEVE_SIZE} ids per call")
    if not fields:
        raise ConfigurationError("retrieve needs at least one field")
    template = base(version) + "/composite/sobjects/{sobject}"
    call: Call[list[Record | None]] = Call(
        method="POST",
        path=path(template, sobject=soql.check_identifier(sobject)),
        template=template,
        json={"ids": list(ids), "fields": [soql.check_identifier(f) for f in fields]},
        idempotent=True,
        parse=_retrieved,
    )
    return _expect_count(call, len(ids), "records")


# ------------------------------------------------------------------------------------ composite

_REFERENCE_ID = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")


def composite(
    version: str, subrequests: Sequence[CompositeSubrequest], all_or_none: bool, collate: bool
) -> Call[list[CompositeSubresponse]]:
    """``POST /composite`` (at most 25 subrequests; ``@{ref.field}`` chaining; not idempotent).

    The answer is returned in the order of ``subrequests`` and must hold one subresponse per
    ``referenceId``.
    """
    if not subrequests:
        raise ConfigurationError("composite needs at least one subrequest")
    if len(subrequests) > COMPOSITE_SIZE:
        raise ConfigurationError(f"composite takes at most {COMPOSITE_SIZE} subrequests")
    references: list[str] = []
    body = []
    for sub in subrequests:
        if not isinstance(sub.reference_id, str) or not _REFERENCE_ID.match(sub.reference_id):
            raise ConfigurationError(f"invalid referenceId {sub.reference_id!r}")
        if sub.reference_id in references:
            raise ConfigurationError(f"duplicate referenceId {sub.reference_id!r}")
        references.append(sub.reference_id)
        url = sub.url if sub.url.startswith("/") else f"{base(version)}/{sub.url}"
        item: dict[str, Any] = {"method": sub.method.upper(), "url": url, "referenceId": sub.reference_id}
        if sub.body is not None:
            item["body"] = to_api_value(sub.body)
        if sub.http_headers:
            item["httpHeaders"] = dict(sub.http_headers)
        body.append(item)

    call: Call[list[CompositeSubresponse]] = Call(
        method="POST",
        path=base(version) + "/composite",
        json={"allOrNone": all_or_none, "collateSubrequests": collate, "compositeRequest": body},
    )

    def parse(response: httpx.Response) -> list[CompositeSubresponse]:
        answers = composite_parse(response)
        by_reference = {a.reference_id: a for a in answers}
        if len(answers) != len(references) or set(by_reference) != set(references):
            raise _mismatch(call, response, len(answers), len(references), "subresponses")
        return [by_reference[r] for r in references]

    return call.with_parse(parse)


def collections_in_composite(
    version: str, parts: Sequence[Call[list[SaveResult]]]
) -> Call[list[list[SaveResult]]]:
    """Several sObject Collections writes (create, update, upsert) as one ``POST /composite`` call.

    Salesforce counts the whole composite as one API call and takes up to
    :data:`COMPOSITE_COLLECTIONS` collections subrequests in it (REFERENCE §9), so five chunks of
    200 records cost one call instead of five. Each part keeps its own ``allOrNone``; the composite
    itself is ``allOrNone: false`` and ``collateSubrequests: false`` (parts run in order, each
    commits on its own, as separate collection calls would).

    Args:
        version: The API version.
        parts: The collection calls (built by :func:`collection_create`, :func:`collection_update`
            or :func:`collection_upsert`), at most :data:`COMPOSITE_COLLECTIONS`.

    Returns:
        The call; its answer holds one result list per part, in order. A part Salesforce refused as
        a whole (a 4xx/5xx subresponse) gives each of its records a failed result with the
        subresponse's errors. The call is idempotent only when every part is (no creates).
    """
    if not 1 <= len(parts) <= COMPOSITE_COLLECTIONS:
        raise ConfigurationError(f"a composite call takes 1 to {COMPOSITE_COLLECTIONS} collection writes")
    subrequests = []
    counts = []
    for number, part in enumerate(parts):
        body = part.json
        records = body.get("records") if isinstance(body, Mapping) else None
        if part.params or not isinstance(records, list):
            raise ConfigurationError("only collection creates, updates and upserts go in a composite call")
        counts.append(len(records))
        subrequests.append(
            {"method": part.method.upper(), "url": part.path, "referenceId": f"part{number}", "body": body}
        )
    call: Call[list[list[SaveResult]]] = Call(
        method="POST",
        path=base(version) + "/composite",
        json={"allOrNone": False, "collateSubrequests": False, "compositeRequest": subrequests},
        idempotent=all(part.idempotent for part in parts),
    )

    def parse(response: httpx.Response) -> list[list[SaveResult]]:
        answers = {a.reference_id: a for a in composite_parse(response)}
        if set(answers) != {f"part{n}" for n in range(len(parts))}:
            raise _mismatch(call, response, len(answers), len(parts), "subresponses")
        out: list[list[SaveResult]] = []
        for number, (part, count) in enumerate(zip(parts, counts, strict=True)):
            answer = answers[f"part{number}"]
            if 200 <= answer.status < 300:
                inner = httpx.Response(answer.status, json=answer.body, request=response.request)
                out.append(part.parse(inner))
                continue
            errors = [
                e for e in (answer.body if isinstance(answer.body, list) else []) if isinstance(e, Mapping)
            ]
            failed = SaveResult.from_api(
                {
                    "success": False,
                    "errors": errors or [{"errorCode": "UNKNOWN", "message": f"HTTP {answer.status}"}],
                }
            )
            out.append([failed] * count)
        return out

    return call.with_parse(parse)


def composite_parse(response: httpx.Response) -> list[CompositeSubresponse]:
    """Parse a ``/composite`` body (any order, any count)."""
    items = _json_list(_json_object(response)["compositeResponse"])
    for item in items:
        if not isinstance(item, Mapping):
            raise TypeError("a composite subresponse is not a JSON object")
    return [CompositeSubresponse.from_api(x) for x in items]


# -------------------------------------------------------------------- describe, limits, changes


def describe(version: str, sobject: str) -> Call[SObjectDescribe]:
    """``GET /sobjects/{type}/describe``."""
    template = base(version) + "/sobjects/{sobject}/describe"
    return Call(
        method="GET",
        path=path(template, sobject=soql.check_identifier(sobject)),
        template=template,
        parse=lambda r: SObjectDescribe.from_api(_json_object(r)),
    )


def limits(version: str) -> Call[Limits]:
    """``GET /limits``."""
    return Call(
        method="GET", path=base(version) + "/limits", parse=lambda r: Limits.from_api(_json_object(r))
    )


def _window(start: datetime, end: datetime) -> dict[str, str]:
    for value in (start, end):
        if value.tzinfo is None:
            raise ConfigurationError("start and end must be timezone-aware")
    if start >= end:
        raise ConfigurationError("start must be before end")
    return {
        "start": start.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+00:00"),
        "end": end.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+00:00"),
    }


def updated(version: str, sobject: str, start: datetime, end: datetime) -> Call[UpdatedResult]:
    """``GET /sobjects/{type}/updated/?start&end`` (window at most 30 days back)."""
    template = base(version) + "/sobjects/{sobject}/updated/"
    return Call(
        method="GET",
        path=path(template, sobject=soql.check_identifier(sobject)),
        template=template,
        params=_window(start, end),
        parse=lambda r: UpdatedResult.from_api(_json_object(r)),
    )


def deleted(version: str, sobject: str, start: datetime, end: datetime) -> Call[DeletedResult]:
    """``GET /sobjects/{type}/deleted/?start&end`` (window at most 15 days back)."""
    template = base(version) + "/sobjects/{sobject}/deleted/"
    return Call(
        method="GET",
        path=path(template, sobject=soql.check_identifier(sobject)),
        template=template,
        params=_window(start, end),
        parse=lambda r: DeletedResult.from_api(_json_object(r)),
    )


# ------------------------------------------------------------------------------------ Bulk 2.0


def _job(response: httpx.Response) -> JobInfo:
    return JobInfo.from_api(_json_object(response))


def create_ingest_job(
    version: str, sobject: str, operation: str, external_id_field: str | None
) -> Call[JobInfo]:
    """``POST /jobs/ingest``.

    Replayable although a POST: a replay after a lost answer at worst leaves an empty ``Open`` job
    behind, which holds no data and is never closed, so it never processes a record.
    """
    if operation not in INGEST_OPERATIONS:
        raise ConfigurationError(f"operation must be one of {sorted(INGEST_OPERATIONS)}")
    body: dict[str, Any] = {
        "object": soql.check_identifier(sobject),
        "operation": operation,
        "contentType": "CSV",
        "lineEnding": "LF",
        "columnDelimiter": "COMMA",
    }
    if operation == "upsert":
        if not external_id_field:
            raise ConfigurationError("an upsert job needs external_id_field")
        body["externalIdFieldName"] = soql.check_identifier(external_id_field)
    return Call(method="POST", path=base(version) + "/jobs/ingest", json=body, idempotent=True, parse=_job)


def _job_path(version: str, kind: str, job_id: str, suffix: str = "") -> tuple[str, str]:
    if kind not in {"ingest", "query"}:
        raise ConfigurationError(f"kind must be 'ingest' or 'query', got {kind!r}")
    template = base(version) + f"/jobs/{kind}/{{id}}{suffix}"
    return path(template, id=job_id), template


def upload_job_data(version: str, job_id: str, data: bytes) -> Call[None]:
    """``PUT /jobs/ingest/{id}/batches`` (CSV) -> 201.

    Not idempotent although a PUT: each upload *appends* to the job ("one or more uploads",
    REFERENCE.md §10), so a replay after a lost response would store every row twice. The call is
    never retried on doubt; the ingest plan aborts the job and starts a new one instead.
    """
    p, t = _job_path(version, "ingest", job_id, "/batches")
    return Call(
        method="PUT",
        path=p,
        template=t,
        content=data,
        headers={"Content-Type": "text/csv"},
        idempotent=False,
        parse=_none,
    )


def set_job_state(version: str, job_id: str, state: str) -> Call[JobInfo]:
    """``PATCH /jobs/ingest/{id}`` with ``{"state": "UploadComplete" | "Aborted"}``.

    Replayable: a replay of an applied state change is answered 409 ``INVALIDJOBSTATE``, which the
    close and abort plans resolve by reading the job.
    """
    if state not in {"UploadComplete", "Aborted"}:
        raise ConfigurationError(f"state must be 'UploadComplete' or 'Aborted', got {state!r}")
    p, t = _job_path(version, "ingest", job_id)
    return Call(method="PATCH", path=p, template=t, json={"state": state}, parse=_job)


def get_job(version: str, kind: str, job_id: str) -> Call[JobInfo]:
    """``GET /jobs/ingest/{id}`` or ``GET /jobs/query/{id}``."""
    p, t = _job_path(version, kind, job_id)
    return Call(method="GET", path=p, template=t, parse=_job)


def ingest_results(version: str, job_id: str, kind: str) -> Call[Iterator[BulkRecordResult]]:
    """``GET /jobs/ingest/{id}/successfulResults|failedResults|unprocessedrecords`` (CSV).

    The parsed result is an iterator: rows are turned into :class:`BulkRecordResult` one at a time as
    it is consumed (an unreadable row raises :class:`~msplink.errors.APIError` ``malformed_response``).
    """
    if kind not in RESULT_KINDS:
        raise ConfigurationError(f"kind must be one of {RESULT_KINDS}")
    p, t = _job_path(version, "ingest", job_id, f"/{kind}")
    call: Call[Iterator[BulkRecordResult]] = Call(method="GET", path=p, template=t, headers=_CSV_HEADERS)

    def rows(response: httpx.Response) -> Iterator[BulkRecordResult]:
        try:
            for row in iter_csv([response.content]):
                yield result_row(kind, row)
        except ValueError as exc:
            detail = ErrorDetail(code="malformed_response", message=f"unreadable result CSV ({exc})")
            raise build_api_error(PLATFORM, call, response, details=(detail,), cls=APIError) from exc

    return call.with_parse(rows)


def create_query_job(version: str, statement: str, include_deleted: bool) -> Call[JobInfo]:
    """``POST /jobs/query`` (``query`` or ``queryAll``).

    Replayable although a POST: a query job reads, so a replay after a lost response at worst leaves
    an unused job (deleted by Salesforce after 7 days).
    """
    soql.validate(statement)
    return Call(
        method="POST",
        path=base(version) + "/jobs/query",
        json={"operation": "queryAll" if include_deleted else "query", "query": statement},
        idempotent=True,
        parse=_job,
    )


def query_results(
    version: str, job_id: str, locator: str | None, page_size: int | None
) -> Call[Page[dict[str, str]]]:
    """``GET /jobs/query/{id}/results`` (CSV; ``Sforce-Locator`` pages, ``"null"`` at the end).

    Raises:
        ConfigurationError: ``page_size`` (``maxRecords``) is not a positive integer.
    """
    p, t = _job_path(version, "query", job_id, "/results")
    params: dict[str, str] = {}
    if locator:
        params["locator"] = locator
    if page_size is not None:
        if isinstance(page_size, bool) or not isinstance(page_size, int) or page_size < 1:
            raise ConfigurationError("page_size (maxRecords) must be a positive integer")
        params["maxRecords"] = str(page_size)

    def parse(response: httpx.Response) -> Page[dict[str, str]]:
        rows = parse_csv(response.content.decode("utf-8"))
        next_locator = response.headers.get("Sforce-Locator")
        total = response.headers.get("Sforce-NumberOfRecords")
        return Page(
            items=rows,
            next_cursor=None if next_locator in (None, "", "null") else next_locator,
            total=int(total) if total and total.isascii() and total.isdigit() else None,
        )

    return Call(method="GET", path=p, template=t, params=params, headers=_CSV_HEADERS, parse=parse)


def next_query_results(
    prev: Call[Page[dict[str, str]]], page: Page[dict[str, str]]
) -> Call[Page[dict[str, str]]] | None:
    """The next Bulk query result page, by ``Sforce-Locator`` (a query parameter: it never names a host)."""
    if page.next_cursor is None:
        return None
    params = dict(prev.params)
    params["locator"] = page.next_cursor
    return prev.replace(params=params)
