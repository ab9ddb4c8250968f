"""Pure request builders and parsers for the Salesforce REST, Composite and Bulk 2.0 APIs (STYLE R7).

Nothing here does I/O: each function returns a :class:`~msplink._core.Call`; the sync and async
clients only execute it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any, TypeVar

import httpx

from msplink._core import Call, Page, build_api_error, decode_json, path
from msplink.errors import ConfigurationError
from msplink.salesforce import soql
from msplink.salesforce._platform import SALESFORCE
from msplink.salesforce.models import (
    BulkRecordResult,
    CompositeSubrequest,
    CompositeSubresponse,
    DeletedResult,
    JobInfo,
    Limits,
    Record,
    RecordError,
    SaveResult,
    SObject,
    SObjectDescribe,
    UpdatedResult,
    format_datetime,
    to_api_value,
)

T = TypeVar("T")

COLLECTION_SIZE = 200
COMPOSITE_SIZE = 25
RETRIEVE_SIZE = 2000
DEFAULT_BATCH_SIZE = 2000


def base(version: str) -> str:
    """The versioned REST base path (``/services/data/v62.0``)."""
    return f"/services/data/v{version}"


def check_version(version: str) -> str:
    """Validate an API version such as ``62.0``."""
    parts = version.split(".")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        raise ConfigurationError(f"api_version must look like '62.0', got {version!r}")
    return version


def _json(response: httpx.Response) -> Any:
    return decode_json(response)


def _none(response: httpx.Response) -> None:
    return None


def record_body(record: SObject | Mapping[str, Any]) -> dict[str, Any]:
    """The JSON body of a record write (a model's set fields, or a mapping as given)."""
    if isinstance(record, SObject):
        return record.to_api()
    if not isinstance(record, Mapping):
        raise ConfigurationError(
            f"a record must be an SObject model or a mapping, not {type(record).__name__}"
        )
    return {str(k): to_api_value(v) for k, v in record.items() if k != "attributes"}


# --------------------------------------------------------------------------------------- query


def query_page_parser(parse_record: Callable[[Mapping[str, Any]], T]) -> Callable[[httpx.Response], Page[T]]:
    """Parse one query page: records, ``nextRecordsUrl`` (cursor) and ``totalSize``."""

    def parse(response: httpx.Response) -> Page[T]:
        body = _json(response)
        records = [parse_record(r) for r in body.get("records") or ()]
        cursor = None if body.get("done", True) else body.get("nextRecordsUrl")
        return Page(items=records, next_cursor=cursor, total=body.get("totalSize"), raw=body)

    return parse


def query(
    version: str,
    statement: str,
    parse_record: Callable[[Mapping[str, Any]], T],
    *,
    include_deleted: bool = False,
    batch_size: int | None = None,
) -> Call[Page[T]]:
    """``GET /query?q=`` (or ``/queryAll``), with ``Sforce-Query-Options: batchSize``."""
    soql.validate(statement)
    headers: dict[str, str] = {}
    if batch_size is not None:
        if isinstance(batch_size, bool) or not 200 <= batch_size <= 2000:
            raise ConfigurationError("batch_size must be between 200 and 2000")
        headers["Sforce-Query-Options"] = f"batchSize={batch_size}"
    resource = "queryAll" if include_deleted else "query"
    return Call(
        method="GET",
        path=f"{base(version)}/{resource}",
        params={"q": statement},
        headers=headers,
        parse=query_page_parser(parse_record),
    )


def next_query(prev: Call[Page[T]], page: Page[T]) -> Call[Page[T]] | None:
    """Follow ``nextRecordsUrl`` (relative to the instance URL) until ``done``."""
    if not page.next_cursor:
        return None
    head, _, _ = page.next_cursor.rpartition("/")
    return prev.replace(path=page.next_cursor, params={}, template=f"{head}/{{locator}}")


def count_parser(response: httpx.Response) -> int:
    """``SELECT COUNT() ...`` returns its answer in ``totalSize``."""
    return int(_json(response)["totalSize"])


# ----------------------------------------------------------------------------------------- CRUD


def _fields_params(fields: Sequence[str] | None) -> dict[str, str]:
    if not fields:
        return {}
    return {"fields": ",".join(soql.check_identifier(f) for f in fields)}


def get_record(
    version: str,
    sobject: str,
    record_id: str,
    parse_record: Callable[[Mapping[str, Any]], T],
    fields: Sequence[str] | None = None,
) -> Call[T]:
    """``GET /sobjects/{type}/{id}``."""
    return Call(
        method="GET",
        path=path(
            base(version) + "/sobjects/{sobject}/{id}", sobject=soql.check_identifier(sobject), id=record_id
        ),
        template=base(version) + "/sobjects/{sobject}/{id}",
        params=_fields_params(fields),
        parse=lambda r: parse_record(_json(r)),
    )


def _multiple_choices_guard(call: Call[T]) -> Call[T]:
    inner = call.parse

    def parse(response: httpx.Response) -> T:
        if response.status_code == 300:
            raise build_api_error(SALESFORCE, call, response)
        return inner(response)

    return call.with_parse(parse)


def get_by_external_id(
    version: str,
    sobject: str,
    field: str,
    value: str,
    parse_record: Callable[[Mapping[str, Any]], T],
    fields: Sequence[str] | None = None,
) -> Call[T]:
    """``GET /sobjects/{type}/{field}/{value}`` (300 when several records match)."""
    template = base(version) + "/sobjects/{sobject}/{field}/{value}"
    call: Call[T] = Call(
        method="GET",
        path=path(
            template,
            sobject=soql.check_identifier(sobject),
            field=soql.check_identifier(field),
            value=str(value),
        ),
        template=template,
        params=_fields_params(fields),
        parse=lambda r: parse_record(_json(r)),
    )
    return _multiple_choices_guard(call)


def create(version: str, sobject: str, record: SObject | Mapping[str, Any]) -> Call[SaveResult]:
    """``POST /sobjects/{type}`` -> 201 ``{"id","success","errors"}``."""
    template = base(version) + "/sobjects/{sobject}"
    return Call(
        method="POST",
        path=path(template, sobject=soql.check_identifier(sobject)),
        template=template,
        json=record_body(record),
        parse=lambda r: SaveResult.from_api(_json(r)),
    )


def update(version: str, sobject: str, record_id: str, values: SObject | Mapping[str, Any]) -> Call[None]:
    """``PATCH /sobjects/{type}/{id}`` -> 204."""
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
    result = SaveResult.from_api(_json(response))
    if result.created is None:
        result = SaveResult(
            id=result.id,
            success=result.success,
            errors=result.errors,
            created=response.status_code == 201,
            raw=result.raw,
        )
    return result


def upsert(
    version: str, sobject: str, field: str, value: str, record: SObject | Mapping[str, Any]
) -> Call[SaveResult]:
    """``PATCH /sobjects/{type}/{field}/{value}``: 201 created, 200 updated, 300 ambiguous, 404 bad field."""
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
    return [SaveResult.from_api(item) for item in _json(response)]


def _check_chunk(records: Sequence[Any]) -> None:
    if len(records) > COLLECTION_SIZE:
        raise ConfigurationError(f"sObject Collections take at most {COLLECTION_SIZE} records per call")


def collection_create(
    version: str, records: Sequence[SObject | Mapping[str, Any]], sobject: str | None, all_or_none: bool
) -> Call[list[SaveResult]]:
    """``POST /composite/sobjects`` (at most 200 records)."""
    _check_chunk(records)
    return Call(
        method="POST",
        path=base(version) + "/composite/sobjects",
        json={"allOrNone": all_or_none, "records": [_typed(r, sobject) for r in records]},
        parse=_results,
    )


def collection_update(
    version: str, records: Sequence[SObject | Mapping[str, Any]], sobject: str | None, all_or_none: bool
) -> Call[list[SaveResult]]:
    """``PATCH /composite/sobjects`` (each record carries its ``id``)."""
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
    return Call(
        method="PATCH",
        path=base(version) + "/composite/sobjects",
        json={"allOrNone": all_or_none, "records": body},
        parse=_results,
    )


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
    return Call(
        method="PATCH",
        path=path(template, sobject=soql.check_identifier(sobject), field=soql.check_identifier(field)),
        template=template,
        json={"allOrNone": all_or_none, "records": body},
        parse=_results,
    )


def collection_delete(version: str, ids: Sequence[str], all_or_none: bool) -> Call[list[SaveResult]]:
    """``DELETE /composite/sobjects?ids=...`` (at most 200 ids)."""
    _check_chunk(ids)
    if any(not i or "," in i for i in ids):
        raise ConfigurationError("ids must be non-empty and contain no commas")
    return Call(
        method="DELETE",
        path=base(version) + "/composite/sobjects",
        params={"ids": ",".join(ids), "allOrNone": "true" if all_or_none else "false"},
        parse=_results,
    )


def collection_retrieve(
    version: str, sobject: str, ids: Sequence[str], fields: Sequence[str]
) -> Call[list[Record | None]]:
    """``POST /composite/sobjects/{type}`` with ``{"ids","fields"}`` (up to 2,000; a read)."""
    if len(ids) > RETRIEVE_SIZE:
        raise ConfigurationError(f"retrieve takes at most {RETRIEVE_SIZE} ids per call")
    if not fields:
        raise ConfigurationError("retrieve needs at least one field")
    template = base(version) + "/composite/sobjects/{sobject}"
    return Call(
        method="POST",
        path=path(template, sobject=soql.check_identifier(sobject)),
        template=template,
        json={"ids": list(ids), "fields": [soql.check_identifier(f) for f in fields]},
        idempotent=True,
        parse=lambda r: list(_json(r)),
    )


# ------------------------------------------------------------------------------------ composite


def composite(
    version: str, subrequests: Sequence[CompositeSubrequest], all_or_none: bool, collate: bool
) -> Call[list[CompositeSubresponse]]:
    """``POST /composite`` (at most 25 subrequests; ``@{ref.field}`` chaining)."""
    if not subrequests:
        raise ConfigurationError("composite needs at least one subrequest")
    if len(subrequests) > COMPOSITE_SIZE:
        raise ConfigurationError(f"composite takes at most {COMPOSITE_SIZE} subrequests")
    seen: set[str] = set()
    body = []
    for sub in subrequests:
        if not sub.reference_id or not sub.reference_id.replace("_", "").isalnum():
            raise ConfigurationError(f"invalid referenceId {sub.reference_id!r}")
        if sub.reference_id in seen:
            raise ConfigurationError(f"duplicate referenceId {sub.reference_id!r}")
        seen.add(sub.reference_id)
        url = sub.url if sub.url.startswith("/") else f"{base(version)}/{sub.url}"
        item: dict[str, Any] = {"method": sub.method.upper(), "url": url, "referenceId": sub.reference_id}
        if sub.body is not None:
            item["body"] = to_api_value(sub.body)
        if sub.http_headers:
            item["httpHeaders"] = dict(sub.http_headers)
        body.append(item)
    return Call(
        method="POST",
        path=base(version) + "/composite",
        json={"allOrNone": all_or_none, "collateSubrequests": collate, "compositeRequest": body},
        parse=lambda r: [CompositeSubresponse.from_api(x) for x in _json(r)["compositeResponse"]],
    )


# -------------------------------------------------------------------- describe, limits, changes


def describe(version: str, sobject: str) -> Call[SObjectDescribe]:
    """``GET /sobjects/{type}/describe``."""
    template = base(version) + "/sobjects/{sobject}/describe"
    return Call(
        method="GET",
        path=path(template, sobject=soql.check_identifier(sobject)),
        template=template,
        parse=lambda r: SObjectDescribe.from_api(_json(r)),
    )


def limits(version: str) -> Call[Limits]:
    """``GET /limits``."""
    return Call(method="GET", path=base(version) + "/limits", parse=lambda r: Limits.from_api(_json(r)))


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
        parse=lambda r: UpdatedResult.from_api(_json(r)),
    )


def deleted(version: str, sobject: str, start: datetime, end: datetime) -> Call[DeletedResult]:
    """``GET /sobjects/{type}/deleted/?start&end`` (window at most 15 days back)."""
    template = base(version) + "/sobjects/{sobject}/deleted/"
    return Call(
        method="GET",
        path=path(template, sobject=soql.check_identifier(sobject)),
        template=template,
        params=_window(start, end),
        parse=lambda r: DeletedResult.from_api(_json(r)),
    )


# ------------------------------------------------------------------------------------ Bulk 2.0

INGEST_OPERATIONS = frozenset({"insert", "update", "upsert", "delete", "hardDelete"})
_CSV_HEADERS = {"Accept": "text/csv"}


def csv_value(value: Any) -> str:
    """One CSV cell: ``#N/A`` clears a field, booleans lower-case, dates ISO, datetimes UTC."""
    if value is None:
        return "#N/A"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


MAX_UPLOAD_BYTES = 100_000_000
"""Raw CSV per upload (Salesforce allows 150 MB base64-encoded, about 100 MB raw)."""


def _csv_line(cells: Sequence[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL).writerow(cells)
    return buffer.getvalue()


def to_csv_chunks(
    records: Sequence[SObject | Mapping[str, Any]], max_bytes: int = MAX_UPLOAD_BYTES
) -> tuple[list[bytes], list[str]]:
    """Render records as Bulk 2.0 CSV uploads of at most ``max_bytes`` each, every one with the header.

    The header is the union of the records' fields in first-seen order; a field a record lacks is an
    empty cell (left unchanged), ``None`` is ``#N/A`` (cleared).

    Raises:
        ConfigurationError: One row alone is larger than ``max_bytes``.
    """
    rows = [record_body(r) for r in records]
    columns: list[str] = []
    seen: set[str] = set()
    for row in rows:
        for key in row:
            if key not in seen:
                seen.add(key)
                columns.append(key)
    header = _csv_line(columns).encode("utf-8")
    chunks: list[bytes] = []
    current: list[bytes] = []
    size = len(header)
    for row in rows:
        line = _csv_line([csv_value(row[c]) if c in row else "" for c in columns]).encode("utf-8")
        if len(header) + len(line) > max_bytes:
            raise ConfigurationError(
                f"one record renders to {len(line)} bytes of CSV, above the upload limit"
            )
        if current and size + len(line) > max_bytes:
            chunks.append(header + b"".join(current))
            current, size = [], len(header)
        current.append(line)
        size += len(line)
    chunks.append(header + b"".join(current))
    return chunks, columns


def to_csv(records: Sequence[SObject | Mapping[str, Any]]) -> tuple[bytes, list[str]]:
    """Render records as one Bulk 2.0 CSV document (header = union of fields, in first-seen order)."""
    chunks, columns = to_csv_chunks(records, max_bytes=2**62)
    return chunks[0], columns


def parse_csv(text: str) -> list[dict[str, str]]:
    """Parse result CSV (NUL bytes stripped, UTF-8)."""
    cleaned = text.replace("\x00", "")
    if not cleaned.strip():
        return []
    return [dict(row) for row in csv.DictReader(io.StringIO(cleaned))]


def _job(response: httpx.Response) -> JobInfo:
    return JobInfo.from_api(_json(response))


def create_ingest_job(
    version: str, sobject: str, operation: str, external_id_field: str | None
) -> Call[JobInfo]:
    """``POST /jobs/ingest``."""
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
    return Call(method="POST", path=base(version) + "/jobs/ingest", json=body, parse=_job)


def _job_path(version: str, kind: str, job_id: str, suffix: str = "") -> tuple[str, str]:
    template = base(version) + f"/jobs/{kind}/{{id}}{suffix}"
    return path(template, id=job_id), template


def upload_job_data(version: str, job_id: str, data: bytes) -> Call[None]:
    """``PUT /jobs/ingest/{id}/batches`` (CSV) -> 201."""
    p, t = _job_path(version, "ingest", job_id, "/batches")
    return Call(
        method="PUT", path=p, template=t, content=data, headers={"Content-Type": "text/csv"}, parse=_none
    )


def set_job_state(version: str, job_id: str, state: str) -> Call[JobInfo]:
    """``PATCH /jobs/ingest/{id}`` with ``{"state": "UploadComplete" | "Aborted"}``."""
    p, t = _job_path(version, "ingest", job_id)
    return Call(method="PATCH", path=p, template=t, json={"state": state}, parse=_job)


def get_job(version: str, kind: str, job_id: str) -> Call[JobInfo]:
    """``GET /jobs/ingest/{id}`` or ``GET /jobs/query/{id}``."""
    p, t = _job_path(version, kind, job_id)
    return Call(method="GET", path=p, template=t, parse=_job)


def _result_rows(kind: str) -> Callable[[httpx.Response], list[BulkRecordResult]]:
    def parse(response: httpx.Response) -> list[BulkRecordResult]:
        rows = parse_csv(response.text)
        out: list[BulkRecordResult] = []
        for row in rows:
            sf_id = row.pop("sf__Id", None) or None
            created = row.pop("sf__Created", None)
            error = row.pop("sf__Error", None)
            if kind == "successfulResults":
                out.append(
                    BulkRecordResult(
                        record=row, id=sf_id, success=True, created=(created or "").lower() == "true"
                    )
                )
            elif kind == "failedResults":
                out.append(
                    BulkRecordResult(
                        record=row,
                        id=sf_id,
                        success=False,
                        error=RecordError.from_bulk(error or "UNKNOWN:no error text"),
                    )
                )
            else:
                out.append(BulkRecordResult(record=row, success=False, processed=False))
        return out

    return parse


def ingest_results(version: str, job_id: str, kind: str) -> Call[list[BulkRecordResult]]:
    """``GET /jobs/ingest/{id}/successfulResults|failedResults|unprocessedrecords`` (CSV)."""
    p, t = _job_path(version, "ingest", job_id, f"/{kind}")
    return Call(method="GET", path=p, template=t, headers=_CSV_HEADERS, parse=_result_rows(kind))


def create_query_job(version: str, statement: str, include_deleted: bool) -> Call[JobInfo]:
    """``POST /jobs/query`` (``query`` or ``queryAll``)."""
    soql.validate(statement)
    return Call(
        method="POST",
        path=base(version) + "/jobs/query",
        json={"operation": "queryAll" if include_deleted else "query", "query": statement},
        parse=_job,
    )


def query_results(
    version: str, job_id: str, locator: str | None, max_records: int | None
) -> Call[Page[dict[str, str]]]:
    """``GET /jobs/query/{id}/results`` (CSV; ``Sforce-Locator`` pages, ``"null"`` at the end)."""
    p, t = _job_path(version, "query", job_id, "/results")
    params: dict[str, str] = {}
    if locator:
        params["locator"] = locator
    if max_records is not None:
        params["maxRecords"] = str(max_records)

    def parse(response: httpx.Response) -> Page[dict[str, str]]:
        rows = parse_csv(response.text)
        next_locator = response.headers.get("Sforce-Locator")
        total = response.headers.get("Sforce-NumberOfRecords")
        return Page(
            items=rows,
            next_cursor=None if next_locator in (None, "", "null") else next_locator,
            total=int(total) if total and total.isdigit() else None,
        )

    return Call(method="GET", path=p, template=t, params=params, headers=_CSV_HEADERS, parse=parse)


def next_query_results(
    prev: Call[Page[dict[str, str]]], page: Page[dict[str, str]]
) -> Call[Page[dict[str, str]]] | None:
    """The next Bulk query result page, by ``Sforce-Locator``."""
    if page.next_cursor is None:
        return None
    params = dict(prev.params)
    params["locator"] = page.next_cursor
    return prev.replace(params=params)


def composite_parse(response: httpx.Response) -> list[CompositeSubresponse]:
    """Parse a ``/composite`` body."""
    return [CompositeSubresponse.from_api(x) for x in _json(response)["compositeResponse"]]
