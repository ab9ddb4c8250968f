"""Multi-call Salesforce operations, each written once as a plan (``msplink._core._plan``).

A plan is a generator of :class:`~msplink._core.Call` / :class:`~msplink._core.Sleep` steps; the sync
client drives it with ``executor.run(plan)``, the async client with ``await executor.run(plan)``, so
both twins share one behaviour:

- :func:`collection_writes`: chunks of 200 records, five to a ``POST /composite`` call (one API call),
  resending the records Salesforce refused only for a row lock (``UNABLE_TO_LOCK_ROW``), with the
  retry policy's backoff; :func:`save_many`: the creates and updates of one sObject in those calls;
- :func:`run_ingest_job`: a Bulk 2.0 ingest job (create, upload, close, poll) that never appends the
  same data twice: an upload whose outcome is in doubt aborts the job and starts a new one; a close
  whose answer was lost (a replay answered 409 ``INVALIDJOBSTATE``) reads the job and goes on;
- :func:`ingest` / :func:`ingest_save_results`: the job plus its result files, read row by row;
- :func:`wait_job`, :func:`close_job`, :func:`abort_job`, :func:`query_job`, :func:`retrieve`,
  :func:`describe`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, MutableMapping, Sequence
from typing import Any, Final, TypeVar

from msplink._core import Call, Gather, Plan, RetryPolicy, Sleep
from msplink.errors import (
    APIError,
    ConfigurationError,
    ConflictError,
    ErrorDetail,
    MsplinkError,
    RequestTimeoutError,
    ServerError,
    TransportError,
)
from msplink.salesforce import _calls as calls
from msplink.salesforce._csv import RowMatcher, to_csv_chunks
from msplink.salesforce._errors import PLATFORM
from msplink.salesforce.models import (
    BulkRecordResult,
    IngestResult,
    JobInfo,
    Record,
    SaveResult,
    SObject,
    SObjectDescribe,
)

__all__ = [
    "abort_job",
    "close_job",
    "collection_write",
    "collection_writes",
    "create_many",
    "create_records",
    "delete_record",
    "delete_records",
    "describe",
    "ingest",
    "ingest_save_results",
    "lock_resend_indices",
    "multi_currency",
    "query_job",
    "results",
    "retrieve",
    "run_ingest_job",
    "save_many",
    "update_records",
    "upsert_many",
    "upsert_records",
    "wait_job",
]

logger = logging.getLogger("msplink.salesforce")

_X = TypeVar("_X")
_M = TypeVar("_M")

Records = Sequence[SObject | Mapping[str, Any]]

_LOCKED = frozenset({"UNABLE_TO_LOCK_ROW"})
_ROLLED_BACK = "ALL_OR_NONE_OPERATION_ROLLED_BACK"
_PAST_OPEN = frozenset({"UploadComplete", "InProgress", "JobComplete", "Failed"})
_INVALID_STATE = "INVALIDJOBSTATE"
_ALREADY_DELETED = "ENTITY_IS_DELETED"


def lock_resend_indices(results: Sequence[SaveResult], all_or_none: bool) -> list[int]:
    """Indices to resend: records refused only for a row lock (all of them when ``allOrNone`` rolled back)."""
    locked = [i for i, r in enumerate(results) if not r.success and r.codes and set(r.codes) <= _LOCKED]
    if not locked:
        return []
    if not all_or_none:
        return locked
    if all(r.success or set(r.codes) <= _LOCKED | {_ROLLED_BACK} for r in results):
        return list(range(len(results)))
    return []


def collection_write(
    items: Sequence[_X],
    build: Callable[[Sequence[_X]], Call[list[SaveResult]]],
    *,
    all_or_none: bool,
    retry: RetryPolicy,
    concurrency: int | None = 1,
    version: str | None = None,
) -> Plan[list[SaveResult]]:
    """Send ``items`` in chunks of 200: see :func:`collection_writes` (one group)."""
    written = yield from collection_writes(
        [(items, build)], all_or_none=all_or_none, retry=retry, concurrency=concurrency, version=version
    )
    return written[0]


def collection_writes(
    groups: Sequence[tuple[Sequence[Any], Callable[[Sequence[Any]], Call[list[SaveResult]]]]],
    *,
    all_or_none: bool,
    retry: RetryPolicy,
    concurrency: int | None = 1,
    version: str | None = None,
) -> Plan[list[list[SaveResult]]]:
    """Send each group's items in chunks of 200, up to five chunks per call; resend records refused
    with ``UNABLE_TO_LOCK_ROW`` up to ``retry.max_attempts`` calls per chunk, waiting ``retry.backoff``.

    With ``version``, the chunks of all groups, in order, go out five to a ``POST /composite`` call
    (:func:`~msplink.salesforce._calls.collections_in_composite`: one API call for up to 1,000
    records); a call of one chunk is sent as the plain collection call. Without it, every chunk is
    its own call (deletes, whose ids travel in the URL). Every call is built before the first is
    sent, so a malformed record fails before any I/O.

    Args:
        groups: ``(items, build)`` pairs: the records (or ids) and the collection call of one chunk.
        all_or_none: Sent as ``allOrNone`` (a chunk rolls back whole).
        retry: Bounds the row-lock resends and paces them.
        concurrency: ``1`` sends the calls one after another and stops at the first failed call
            (the sync client). Otherwise the first call of every pack goes out as one ``Gather``:
            concurrently on the async client, at most ``concurrency`` at once (``None``: as many as
            the client's rate limit lets run, 8 by default, REFERENCE §13: short requests are not
            capped per org, a tenant should keep to ~4-8). A failed call is then raised once every
            call in flight has finished, so calls after it may have been written.
        version: The API version of the composite calls (``None``: one call per chunk).

    Returns:
        One result list per group, one result per item, in input order.
    """
    chunks = [
        (number, items[i : i + calls.COLLECTION_SIZE], build)
        for number, (items, build) in enumerate(groups)
        for i in range(0, len(items), calls.COLLECTION_SIZE)
    ]
    per_call = calls.COMPOSITE_COLLECTIONS if version is not None else 1
    packs = [chunks[i : i + per_call] for i in range(0, len(chunks), per_call)]
    built = [[build(chunk) for _, chunk, build in pack] for pack in packs]
    first_calls: list[Call[Any]] = [
        parts[0] if len(parts) == 1 else calls.collections_in_composite(str(version), parts)
        for parts in built
    ]
    answers: tuple[Any, ...] = ()
    if concurrency != 1 and len(first_calls) > 1:
        answers = yield Gather(first_calls, concurrency=concurrency)
        for answer in answers:
            if isinstance(answer, MsplinkError):
                raise answer
    out: list[list[SaveResult]] = [[] for _ in groups]
    for number, (pack, call) in enumerate(zip(packs, first_calls, strict=True)):
        answer = answers[number] if answers else (yield call)
        parts: list[list[SaveResult]] = [answer] if len(pack) == 1 else list(answer)
        for (group, chunk, build), first in zip(pack, parts, strict=True):
            results = list(first)
            for attempt in range(1, retry.max_attempts):
                again = lock_resend_indices(results, all_or_none)
                if not again:
                    break
                yield Sleep(retry.backoff(attempt))
                retried: list[SaveResult] = yield build([chunk[i] for i in again])
                for index, result in zip(again, retried, strict=True):
                    results[index] = result
            out[group].extend(results)
    return out


def create_records(
    version: str,
    records: Records,
    *,
    sobject: str | None,
    all_or_none: bool,
    retry: RetryPolicy,
    concurrency: int | None = 1,
) -> Plan[list[SaveResult]]:
    """sObject Collections create (POST /composite/sobjects), 200 per chunk, five chunks per call, row locks resent;
    ``concurrency`` as in :func:`collection_write`."""
    return (
        yield from collection_write(
            records,
            lambda part: calls.collection_create(version, part, sobject, all_or_none),
            all_or_none=all_or_none,
            retry=retry,
            concurrency=concurrency,
            version=version,
        )
    )


def update_records(
    version: str, records: Records, *, sobject: str | None, all_or_none: bool, retry: RetryPolicy
) -> Plan[list[SaveResult]]:
    """sObject Collections update (PATCH /composite/sobjects), 200 per chunk, five chunks per call, row locks resent."""
    return (
        yield from collection_write(
            records,
            lambda part: calls.collection_update(version, part, sobject, all_or_none),
            all_or_none=all_or_none,
            retry=retry,
            version=version,
        )
    )


def upsert_records(
    version: str,
    sobject: str,
    field: str,
    records: Records,
    *,
    all_or_none: bool,
    retry: RetryPolicy,
    concurrency: int | None = 1,
) -> Plan[list[SaveResult]]:
    """sObject Collections upsert (PATCH /composite/sobjects/{type}/{field}), 200 per chunk, five chunks per call;
    ``concurrency`` as in :func:`collection_write`."""
    return (
        yield from collection_write(
            records,
            lambda part: calls.collection_upsert(version, sobject, field, part, all_or_none),
            all_or_none=all_or_none,
            retry=retry,
            concurrency=concurrency,
            version=version,
        )
    )


def delete_record(version: str, sobject: str, record_id: str) -> Plan[None]:
    """Delete one record (DELETE /sobjects/{type}/{id}); a record already in the Recycle Bin
    (``ENTITY_IS_DELETED``, REFERENCE.md §14: "mark deleted") is deleted as asked.

    A DELETE is replayed when its answer is lost, and the replay of an applied delete is answered
    ``ENTITY_IS_DELETED``: that answer is the outcome the caller wanted, not an error.
    """
    try:
        yield calls.delete(version, sobject, record_id)
    except APIError as exc:
        if exc.codes != (_ALREADY_DELETED,):
            raise


def delete_records(
    version: str, ids: Sequence[str], *, all_or_none: bool, retry: RetryPolicy
) -> Plan[list[SaveResult]]:
    """sObject Collections delete (DELETE /composite/sobjects?ids=...), 200 per call; a record
    refused only as ``ENTITY_IS_DELETED`` (already in the Recycle Bin, e.g. by a replayed call whose
    first answer was lost) is reported deleted."""
    results = yield from collection_write(
        ids,
        lambda part: calls.collection_delete(version, part, all_or_none),
        all_or_none=all_or_none,
        retry=retry,
    )
    return [
        SaveResult(id=r.id or record_id, success=True, raw=r.raw) if r.codes == (_ALREADY_DELETED,) else r
        for record_id, r in zip(ids, results, strict=True)
    ]


def retrieve(
    version: str,
    sobject: str,
    ids: Sequence[str],
    fields: Sequence[str],
    parse: Callable[[Mapping[str, Any]], _M],
) -> Plan[list[_M | None]]:
    """Fetch records by id, 2,000 per call (POST /composite/sobjects/{type}); ``None`` for missing ids."""
    out: list[_M | None] = []
    for start in range(0, len(ids), calls.RETRIEVE_SIZE):
        rows: list[Record | None] = yield calls.collection_retrieve(
            version, sobject, ids[start : start + calls.RETRIEVE_SIZE], fields
        )
        out.extend(parse(row) if row is not None else None for row in rows)
    return out


CURRENCY_OBJECTS: Final = frozenset(
    {"account", "contact", "lead", "opportunity", "case", "contract", "campaign"}
)
"""Standard objects that carry ``CurrencyIsoCode`` in every org with multiple currencies."""


def multi_currency(describes: Iterable[SObjectDescribe]) -> bool | None:
    """Whether an org has multiple currencies, from describes already at hand (no call).

    Enabling multiple currencies adds ``CurrencyIsoCode`` to the standard and custom objects of the
    whole org, and cannot be undone (Salesforce Help, "Considerations for Enabling Multiple
    Currencies"): one describe of such an object tells it for all. ``None``: no describe tells.
    """
    verdict: bool | None = None
    for describe in describes:
        if describe.custom or describe.name.lower() in CURRENCY_OBJECTS:
            if any(f.name.lower() == "currencyisocode" for f in describe.fields):
                return True
            verdict = False
    return verdict


def describe(
    version: str, sobject: str, cache: MutableMapping[str, SObjectDescribe], refresh: bool
) -> Plan[SObjectDescribe]:
    """Describe an object (GET /sobjects/{type}/describe) once per client, unless ``refresh``."""
    key = sobject.lower()
    if refresh or key not in cache:
        cache[key] = yield calls.describe(version, sobject)
    return cache[key]


# ------------------------------------------------------------------------------------- Bulk 2.0


def wait_job(
    version: str,
    job_id: str,
    *,
    kind: str = "ingest",
    timeout: float = 3600.0,
    initial_delay: float = 1.0,
    max_delay: float = 30.0,
) -> Plan[JobInfo]:
    """Poll a job (GET /jobs/{kind}/{id}) with backoff (1 s doubling to 30 s) until it is finished.

    Raises:
        RequestTimeoutError: The job did not finish within ``timeout`` seconds of waiting.
    """
    delay, waited = initial_delay, 0.0
    while True:
        job: JobInfo = yield calls.get_job(version, kind, job_id)
        if job.done:
            return job
        if waited >= timeout:
            raise RequestTimeoutError(
                f"salesforce bulk {kind} job did not finish in {timeout:.0f} s",
                platform=PLATFORM.name,
                method="GET",
                path=f"{calls.base(version)}/jobs/{kind}/{{id}}",
            )
        yield Sleep(delay)
        waited += delay
        delay = min(max_delay, delay * 2)


def _settle(
    version: str, job_id: str, state: str, reached: frozenset[str]
) -> Plan[tuple[JobInfo, MsplinkError | None]]:
    """Set a job state; when the answer is lost, or a replay of an applied change is answered 409
    ``INVALIDJOBSTATE``, read the job. Returns the job and, when it did not reach ``reached``, the failure."""
    try:
        job: JobInfo = yield calls.set_job_state(version, job_id, state)
        return job, None
    except ConflictError as exc:
        if _INVALID_STATE not in exc.codes:
            raise
        failure: MsplinkError = exc
    except (TransportError, ServerError) as exc:
        failure = exc
    current: JobInfo = yield calls.get_job(version, "ingest", job_id)
    return current, None if current.state in reached else failure


def close_job(version: str, job_id: str) -> Plan[JobInfo]:
    """Mark the upload complete (PATCH /jobs/ingest/{id} ``UploadComplete``).

    A replay of a close that was applied (its answer lost) is answered 409 ``INVALIDJOBSTATE``:
    the job is then read, and returned when it is past ``Open``.
    """
    job, failure = yield from _settle(version, job_id, "UploadComplete", _PAST_OPEN)
    if failure is not None:
        raise failure
    return job


def abort_job(version: str, job_id: str) -> Plan[JobInfo]:
    """Abort a job (PATCH /jobs/ingest/{id} ``Aborted``); a job already aborted is returned as is."""
    job, failure = yield from _settle(version, job_id, "Aborted", frozenset({"Aborted"}))
    if failure is not None:
        raise failure
    return job


def _discard(version: str, job_id: str) -> Plan[None]:
    """Abort a job that must never run; an abort that fails leaves it ``Open``, which never runs either."""
    try:
        yield from abort_job(version, job_id)
    except MsplinkError as exc:
        logger.warning("could not abort bulk job %s (%s); it stays Open and is never processed", job_id, exc)


def run_ingest_job(
    version: str,
    sobject: str,
    operation: str,
    external_id_field: str | None,
    uploads: Sequence[bytes],
    *,
    retry: RetryPolicy,
    timeout: float,
) -> Plan[tuple[str, JobInfo]]:
    """Run one ingest job to its end (POST /jobs/ingest, PUT .../batches per part, PATCH, GET polls).

    Uploads append, so a part is never sent twice to a job: when an upload's outcome is in doubt (the
    response was lost, or a 5xx), the job is aborted and a new one gets every part, at most
    ``retry.max_attempts`` jobs in all. A refused upload (4xx) aborts the job and raises. A close whose
    outcome is in doubt reads the job; a job still ``Open`` is aborted and the failure raised, so a
    failed call never leaves data that will still be processed.

    Returns:
        The id of the job that ran, and its final state (``JobComplete``, ``Failed`` or ``Aborted``).

    Raises:
        TransportError: Every attempt lost an upload's answer (nothing was processed).
        APIError: A step was refused (the job was aborted when it was still open).
    """
    attempt = 0
    while True:
        attempt += 1
        job: JobInfo = yield calls.create_ingest_job(version, sobject, operation, external_id_field)
        try:
            for data in uploads:
                yield calls.upload_job_data(version, job.id, data)
        except (TransportError, ServerError) as exc:
            yield from _discard(version, job.id)
            if attempt >= retry.max_attempts:
                raise
            logger.warning(
                "bulk upload to job %s in doubt (%s): job aborted, starting a new one (attempt %d of %d)",
                job.id,
                type(exc).__name__,
                attempt + 1,
                retry.max_attempts,
            )
            yield Sleep(retry.backoff(attempt))
            continue
        except MsplinkError:
            yield from _discard(version, job.id)
            raise
        break
    state, failure = yield from _settle(version, job.id, "UploadComplete", _PAST_OPEN)
    if failure is not None:
        if state.state == "Open":
            yield from _discard(version, job.id)
        raise failure
    return job.id, (yield from wait_job(version, job.id, timeout=timeout))


def ingest(
    version: str,
    sobject: str,
    records: Sequence[SObject | Mapping[str, Any]],
    *,
    operation: str,
    external_id_field: str | None,
    max_upload_bytes: int,
    retry: RetryPolicy,
    timeout: float,
) -> Plan[IngestResult]:
    """A whole ingest job and every row of its three result files (GET .../successfulResults ...)."""
    uploads = to_csv_chunks(records, max_upload_bytes)[0]
    job_id, job = yield from run_ingest_job(
        version, sobject, operation, external_id_field, uploads, retry=retry, timeout=timeout
    )
    ok, failed, unprocessed = yield from results(version, job_id)
    return IngestResult(job=job, successful=tuple(ok), failed=tuple(failed), unprocessed=tuple(unprocessed))


def results(version: str, job_id: str) -> Plan[tuple[list[BulkRecordResult], ...]]:
    """The three result files of an ingest job, each read whole (successful, failed, unprocessed)."""
    files: list[list[BulkRecordResult]] = []
    for kind in calls.RESULT_KINDS:
        files.append(list((yield calls.ingest_results(version, job_id, kind))))
    return tuple(files)


def _result_files(job: JobInfo, uploaded: int) -> tuple[str, ...]:
    """The result files that can hold rows, by the finished job's counts: no ``failedResults`` when
    ``numberRecordsFailed`` is 0, no ``unprocessedrecords`` when every record was processed (each is
    one API call saved; unknown counts read every file). The row matcher still checks that the rows
    read account for every record exactly once."""
    processed, failed = job.number_records_processed, job.number_records_failed
    if job.state != "JobComplete" or processed is None or failed is None:
        return calls.RESULT_KINDS
    wanted = []
    if processed > failed:
        wanted.append("successfulResults")
    if failed > 0:
        wanted.append("failedResults")
    if processed < uploaded:
        wanted.append("unprocessedrecords")
    return tuple(wanted)


def ingest_save_results(
    version: str,
    sobject: str,
    records: Sequence[SObject | Mapping[str, Any]],
    *,
    operation: str,
    external_id_field: str | None,
    max_upload_bytes: int,
    retry: RetryPolicy,
    timeout: float,
) -> Plan[list[SaveResult]]:
    """An ingest job whose result rows are matched back to ``records`` one at a time (REFERENCE.md
    §10: row order is not guaranteed), giving one :class:`SaveResult` per record in input order.

    Raises:
        APIError: ``result_count_mismatch`` when the result files do not account for every record
            exactly once (the job id is in the message, for inspection).
    """
    key = external_id_field if operation == "upsert" else ("Id" if operation != "insert" else None)
    matcher = RowMatcher(records, key, upsert=operation == "upsert")
    if key is not None and matcher.missing_keys:
        raise ConfigurationError(f"every record of a bulk {operation} needs a value for {key}")
    uploads = to_csv_chunks(records, max_upload_bytes)[0]
    job_id, job = yield from run_ingest_job(
        version, sobject, operation, external_id_field, uploads, retry=retry, timeout=timeout
    )
    for kind in _result_files(job, len(records)):
        for row in (yield calls.ingest_results(version, job_id, kind)):
            matcher.add(row)
    if matcher.missing or matcher.unmatched_rows:
        detail = ErrorDetail(
            code="result_count_mismatch",
            message=(
                f"bulk job {job_id}: {matcher.missing} of {len(records)} records have no result row and "
                f"{matcher.unmatched_rows} result rows match no record"
            ),
        )
        raise APIError(
            platform=PLATFORM.name,
            status_code=0,
            method="GET",
            path=f"{calls.base(version)}/jobs/ingest/{{id}}/successfulResults",
            errors=(detail,),
        )
    return [r for r in matcher.results if r is not None]


def query_job(version: str, statement: str, *, include_deleted: bool, timeout: float) -> Plan[JobInfo]:
    """Create a query job (POST /jobs/query) and wait for it (GET /jobs/query/{id}).

    Raises:
        APIError: The job ended ``Failed`` or ``Aborted`` (``JOB_FAILED`` / ``JOB_ABORTED``, with
            Salesforce's ``errorMessage``).
    """
    created: JobInfo = yield calls.create_query_job(version, statement, include_deleted)
    job = yield from wait_job(version, created.id, kind="query", timeout=timeout)
    if job.state != "JobComplete":
        detail = ErrorDetail(code=f"JOB_{(job.state or 'UNKNOWN').upper()}", message=job.error_message or "")
        raise APIError(
            platform=PLATFORM.name,
            status_code=0,
            method="GET",
            path=f"{calls.base(version)}/jobs/query/{{id}}",
            errors=(detail,),
        )
    return job


def create_many(
    version: str,
    sobject: str,
    records: Records,
    *,
    all_or_none: bool,
    bulk_threshold: int,
    max_upload_bytes: int,
    retry: RetryPolicy,
    timeout: float = 3600.0,
    concurrency: int | None = 1,
) -> Plan[list[SaveResult]]:
    """Create records: Collections (200 per chunk, five chunks per call; ``concurrency`` calls at
    once, see :func:`collection_writes`) or, above ``bulk_threshold`` records and without
    ``all_or_none``, one Bulk 2.0 insert job (:func:`save_many` of creates only). Results are in
    input order."""
    created, _ = yield from save_many(
        version, sobject, creates=records, updates=(), external_id_field=None, all_or_none=all_or_none,
        bulk_threshold=bulk_threshold, max_upload_bytes=max_upload_bytes, retry=retry, timeout=timeout,
        concurrency=concurrency,
    )  # fmt: skip
    return created


def upsert_many(
    version: str,
    sobject: str,
    field: str,
    records: Records,
    *,
    all_or_none: bool,
    bulk_threshold: int,
    max_upload_bytes: int,
    retry: RetryPolicy,
    timeout: float = 3600.0,
    concurrency: int | None = 1,
) -> Plan[list[SaveResult]]:
    """Upsert by external id: Collections (200 per chunk, five chunks per call; ``concurrency`` calls
    at once, see :func:`collection_writes`) or, above ``bulk_threshold`` records and without
    ``all_or_none``, one Bulk 2.0 upsert job (:func:`save_many` of creates only). Results are in
    input order."""
    created, _ = yield from save_many(
        version, sobject, creates=records, updates=(), external_id_field=field, all_or_none=all_or_none,
        bulk_threshold=bulk_threshold, max_upload_bytes=max_upload_bytes, retry=retry, timeout=timeout,
        concurrency=concurrency,
    )  # fmt: skip
    return created


def save_many(
    version: str,
    sobject: str,
    *,
    creates: Records,
    updates: Records,
    external_id_field: str | None,
    all_or_none: bool,
    bulk_threshold: int,
    max_upload_bytes: int,
    retry: RetryPolicy,
    timeout: float = 3600.0,
    concurrency: int | None = 1,
) -> Plan[tuple[list[SaveResult], list[SaveResult]]]:
    """Creates (upserts by ``external_id_field`` when given) and updates of one sObject type in as
    few calls as Salesforce allows: their chunks of 200 together, five to a ``POST /composite`` call
    (see :func:`collection_writes`). Creates above ``bulk_threshold`` records (without
    ``all_or_none``) go through one Bulk 2.0 job instead, as in :func:`create_many`.

    Returns:
        The creates' results and the updates' results, each in input order.
    """
    if external_id_field is None:
        build_create: Callable[[Sequence[Any]], Call[list[SaveResult]]] = lambda part: (  # noqa: E731
            calls.collection_create(version, part, sobject, all_or_none)
        )
    else:
        field = external_id_field
        build_create = lambda part: calls.collection_upsert(  # noqa: E731
            version, sobject, field, part, all_or_none
        )
    bulk = len(creates) > bulk_threshold and not all_or_none
    created: list[SaveResult] = []
    if bulk:
        created = yield from ingest_save_results(
            version,
            sobject,
            creates,
            operation="insert" if external_id_field is None else "upsert",
            external_id_field=external_id_field,
            max_upload_bytes=max_upload_bytes,
            retry=retry,
            timeout=timeout,
        )
    update = (updates, lambda part: calls.collection_update(version, part, sobject, all_or_none))
    written = yield from collection_writes(
        [update] if bulk else [(creates, build_create), update],
        all_or_none=all_or_none,
        retry=retry,
        concurrency=concurrency,
        version=version,
    )
    return (created if bulk else written[0]), written[-1]
