"""``SalesforceClient`` and ``AsyncSalesforceClient``: thin shells over the executors (STYLE R7-R8)."""

from __future__ import annotations

import asyncio
import builtins
import copy
import os
import time
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, Generic, TypeVar

import httpx

from msplink._core import (
    AsyncExecutor,
    AsyncPaginator,
    Call,
    Paginator,
    RateLimit,
    RetryPolicy,
    SyncExecutor,
)
from msplink.errors import ConfigurationError, RequestTimeoutError
from msplink.salesforce import _calls as calls
from msplink.salesforce import soql
from msplink.salesforce._auth import (
    DEFAULT_LOGIN_URL,
    PLACEHOLDER_INSTANCE_URL,
    AccessTokenAuth,
    ClientCredentialsAuth,
    JWTBearerAuth,
    RefreshTokenAuth,
)
from msplink.salesforce._platform import SALESFORCE
from msplink.salesforce.models import (
    Account,
    BulkRecordResult,
    Case,
    CompositeSubrequest,
    CompositeSubresponse,
    Contact,
    Contract,
    DeletedResult,
    IngestResult,
    JobInfo,
    Lead,
    LimitInfo,
    Limits,
    Opportunity,
    Record,
    RecordError,
    SaveResult,
    SObject,
    SObjectDescribe,
    Task,
    UpdatedResult,
    User,
)

__all__ = [
    "DEFAULT_API_VERSION",
    "DEFAULT_BULK_THRESHOLD",
    "AsyncBulk",
    "AsyncCollections",
    "AsyncComposite",
    "AsyncSObjects",
    "AsyncSalesforceClient",
    "Bulk",
    "Collections",
    "Composite",
    "SObjects",
    "SalesforceClient",
]

DEFAULT_API_VERSION = "62.0"
DEFAULT_BULK_THRESHOLD = 2000
"""Above this many records, ``upsert_many`` / ``create_many`` use Bulk API 2.0 instead of Collections."""

T = TypeVar("T")
M = TypeVar("M")


def _record(data: Mapping[str, Any]) -> Record:
    return dict(data)


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


_RETRYABLE_RECORD_CODES = frozenset({"UNABLE_TO_LOCK_ROW"})
_ROLLED_BACK = "ALL_OR_NONE_OPERATION_ROLLED_BACK"


def _lock_retry_plan(results: Sequence[SaveResult], all_or_none: bool) -> list[int]:
    """Indices to resend: records refused only for a row lock (all of them when ``allOrNone`` rolled back)."""
    locked = [
        i
        for i, r in enumerate(results)
        if not r.success and r.codes and set(r.codes) <= _RETRYABLE_RECORD_CODES
    ]
    if not locked:
        return []
    if not all_or_none:
        return locked
    if all(r.success or set(r.codes) <= _RETRYABLE_RECORD_CODES | {_ROLLED_BACK} for r in results):
        return list(range(len(results)))
    return []


def _statement(
    sobject: str,
    fields: Sequence[str | soql.Query],
    where: soql.Condition | None,
    order_by: Sequence[str] | None,
) -> str:
    """The SOQL a resource's ``query()`` / ``count()`` sends (built, never formatted)."""
    q = soql.select(*fields).from_(sobject)
    if where is not None:
        q = q.where(where)
    if order_by:
        q = q.order_by(*order_by)
    return q.render()


class _State:
    """Mutable state shared by a client and its ``with_options`` copies."""

    def __init__(self) -> None:
        self.limit_info: LimitInfo | None = None
        self.describes: dict[str, SObjectDescribe] = {}

    def observe(self, response: httpx.Response) -> None:
        reading = LimitInfo.parse(response.headers.get("Sforce-Limit-Info"))
        if reading is not None:
            self.limit_info = reading


class _ObservingAuth(httpx.Auth):
    """Wraps the caller's auth to read ``Sforce-Limit-Info`` from every response."""

    def __init__(self, inner: httpx.Auth, state: _State) -> None:
        self.inner = inner
        self.state = state
        self.requires_response_body = getattr(inner, "requires_response_body", False)
        self.requires_request_body = getattr(inner, "requires_request_body", False)

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        flow = self.inner.sync_auth_flow(request)
        try:  # closing the inner flow releases its renewal locks at once, however this one ends
            outgoing = next(flow)
            while True:
                response = yield outgoing
                self.state.observe(response)
                try:
                    outgoing = flow.send(response)
                except StopIteration:
                    return
        finally:
            flow.close()

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        flow = self.inner.async_auth_flow(request)
        try:
            outgoing = await flow.__anext__()
            while True:
                response = yield outgoing
                self.state.observe(response)
                try:
                    outgoing = await flow.asend(response)
                except StopAsyncIteration:
                    return
        finally:
            await flow.aclose()


def _auth_from_env(env: Mapping[str, str]) -> httpx.Auth:
    login = env.get("MSPLINK_SF_LOGIN_URL", DEFAULT_LOGIN_URL)
    client_id = env.get("MSPLINK_SF_CLIENT_ID", "")
    if env.get("MSPLINK_SF_ACCESS_TOKEN") and env.get("MSPLINK_SF_INSTANCE_URL"):
        return AccessTokenAuth(
            access_token=env["MSPLINK_SF_ACCESS_TOKEN"], instance_url=env["MSPLINK_SF_INSTANCE_URL"]
        )
    key = env.get("MSPLINK_SF_PRIVATE_KEY")
    if not key and env.get("MSPLINK_SF_PRIVATE_KEY_FILE"):
        with open(env["MSPLINK_SF_PRIVATE_KEY_FILE"], encoding="utf-8") as handle:
            key = handle.read()
    if key and env.get("MSPLINK_SF_USERNAME") and client_id:
        return JWTBearerAuth(
            client_id=client_id, username=env["MSPLINK_SF_USERNAME"], private_key=key, login_url=login
        )
    if env.get("MSPLINK_SF_REFRESH_TOKEN") and client_id:
        return RefreshTokenAuth(
            client_id=client_id,
            client_secret=env.get("MSPLINK_SF_CLIENT_SECRET") or None,
            refresh_token=env["MSPLINK_SF_REFRESH_TOKEN"],
            login_url=login,
        )
    if client_id and env.get("MSPLINK_SF_CLIENT_SECRET"):
        return ClientCredentialsAuth(
            client_id=client_id, client_secret=env["MSPLINK_SF_CLIENT_SECRET"], login_url=login
        )
    raise ConfigurationError(
        "Salesforce credentials incomplete: set MSPLINK_SF_CLIENT_ID with MSPLINK_SF_USERNAME + "
        "MSPLINK_SF_PRIVATE_KEY(_FILE) (JWT), MSPLINK_SF_CLIENT_SECRET (client credentials) or "
        "MSPLINK_SF_REFRESH_TOKEN; or MSPLINK_SF_ACCESS_TOKEN + MSPLINK_SF_INSTANCE_URL"
    )


class _ClientBase:
    """What both twins share: configuration, base URL resolution, limit readings, describe cache."""

    api_version: str
    _state: _State
    _auth: httpx.Auth
    _instance_url: str | None

    def _configure(self, auth: httpx.Auth, api_version: str, instance_url: str | None) -> None:
        if not isinstance(auth, httpx.Auth):
            raise ConfigurationError("auth must be an httpx.Auth (JWTBearerAuth, ClientCredentialsAuth, ...)")
        self.api_version = calls.check_version(api_version)
        self._auth = auth
        self._instance_url = instance_url.rstrip("/") if instance_url else None
        self._state = _State()

    def _base_url(self) -> str:
        return self._instance_url or getattr(self._auth, "instance_url", None) or PLACEHOLDER_INSTANCE_URL

    @property
    def limit_info(self) -> LimitInfo | None:
        """The last ``Sforce-Limit-Info`` reading (``api-usage=used/max``), or ``None`` before any call."""
        return self._state.limit_info

    @property
    def auth(self) -> httpx.Auth:
        """The auth strategy."""
        return self._auth


# ============================================================================================ sync


class SObjects(Generic[M]):
    """One sObject type: ``client.accounts``, ``client.contacts`` ... or ``client.sobject("X__c")``."""

    def __init__(
        self,
        client: SalesforceClient,
        sobject: str,
        parse: Callable[[Mapping[str, Any]], M],
        fields: Sequence[str],
    ) -> None:
        self._client = client
        self.sobject = soql.check_identifier(sobject)
        self._parse = parse
        self.default_fields = tuple(fields)

    def _v(self) -> str:
        return self._client.api_version

    def get(self, record_id: str, /, *, fields: Sequence[str] | None = None) -> M:
        """Fetch one record (GET /sobjects/{type}/{id})."""
        return self._client._execute(
            calls.get_record(self._v(), self.sobject, record_id, self._parse, fields)
        )

    def get_by_external_id(self, field: str, value: str, /, *, fields: Sequence[str] | None = None) -> M:
        """Fetch one record by external id (GET /sobjects/{type}/{field}/{value}).

        Raises:
            MultipleMatchesError: Several records match (HTTP 300).
            NotFoundError: No record or no such field.
        """
        return self._client._execute(
            calls.get_by_external_id(self._v(), self.sobject, field, value, self._parse, fields)
        )

    def create(self, record: SObject | Mapping[str, Any], /) -> SaveResult:
        """Create one record (POST /sobjects/{type})."""
        return self._client._execute(calls.create(self._v(), self.sobject, record))

    def update(self, record_id: str, values: SObject | Mapping[str, Any], /) -> None:
        """Update fields of one record (PATCH /sobjects/{type}/{id}); ``None`` in a mapping clears."""
        self._client._execute(calls.update(self._v(), self.sobject, record_id, values))

    def delete(self, record_id: str, /) -> None:
        """Delete one record (DELETE /sobjects/{type}/{id})."""
        self._client._execute(calls.delete(self._v(), self.sobject, record_id))

    def upsert(self, field: str, value: str, record: SObject | Mapping[str, Any], /) -> SaveResult:
        """Insert or update by external id (PATCH /sobjects/{type}/{field}/{value}).

        Returns:
            The result; ``created`` tells insert (201) from update (200).

        Raises:
            MultipleMatchesError: The value matched several records (HTTP 300).
            NotFoundError: The field is not an external id field (HTTP 404).
        """
        return self._client._execute(calls.upsert(self._v(), self.sobject, field, value, record))

    def query(
        self,
        where: soql.Condition | None = None,
        *,
        fields: Sequence[str | soql.Query] | None = None,
        order_by: Sequence[str] | None = None,
        limit: int | None = None,
        batch_size: int | None = None,
        include_deleted: bool = False,
    ) -> Paginator[M]:
        """Query records lazily (GET /query or /queryAll), following ``nextRecordsUrl``."""
        statement = _statement(self.sobject, fields or self.default_fields, where, order_by)
        first = calls.query(
            self._v(), statement, self._parse, include_deleted=include_deleted, batch_size=batch_size
        )
        return Paginator(self._client._executor, first, calls.next_query, limit=limit)

    def list(
        self,
        *,
        fields: Sequence[str | soql.Query] | None = None,
        limit: int | None = None,
        batch_size: int | None = None,
    ) -> Paginator[M]:
        """Every record, lazily (GET /query ``SELECT <fields> FROM <type> ORDER BY Id``)."""
        return self.query(fields=fields, order_by=["Id"], limit=limit, batch_size=batch_size)

    def count(self, where: soql.Condition | None = None) -> int:
        """Count records (GET /query ``SELECT COUNT() ...``)."""
        statement = _statement(self.sobject, ["COUNT()"], where, None)
        return self._client._execute(
            calls.query(self._v(), statement, _record).with_parse(calls.count_parser)
        )

    def updated(self, start: datetime, end: datetime) -> UpdatedResult:
        """Ids changed in a window (GET /sobjects/{type}/updated, at most 30 days back)."""
        return self._client._execute(calls.updated(self._v(), self.sobject, start, end))

    def deleted(self, start: datetime, end: datetime) -> DeletedResult:
        """Records deleted in a window (GET /sobjects/{type}/deleted, at most 15 days back)."""
        return self._client._execute(calls.deleted(self._v(), self.sobject, start, end))

    def describe(self) -> SObjectDescribe:
        """Describe this type, cached (GET /sobjects/{type}/describe)."""
        return self._client.describe(self.sobject)

    def retrieve(
        self, ids: Sequence[str], /, *, fields: Sequence[str] | None = None
    ) -> builtins.list[M | None]:
        """Fetch records by id, 2,000 per call (POST /composite/sobjects/{type}); missing ids give ``None``."""
        rows = self._client.collections.retrieve(self.sobject, ids, fields=fields or self.default_fields)
        return [self._parse(row) if row is not None else None for row in rows]

    def create_many(
        self,
        records: Sequence[SObject | Mapping[str, Any]],
        /,
        *,
        all_or_none: bool = False,
        bulk_threshold: int = DEFAULT_BULK_THRESHOLD,
    ) -> builtins.list[SaveResult]:
        """Create records: sObject Collections (200 per call), or Bulk 2.0 above ``bulk_threshold``."""
        if len(records) > bulk_threshold and not all_or_none:
            ingest = self._client.bulk.ingest(self.sobject, records, operation="insert")
            return _bulk_save_results(records, ingest, None)
        return self._client.collections.create(records, sobject=self.sobject, all_or_none=all_or_none)

    def update_many(
        self, records: Sequence[SObject | Mapping[str, Any]], /, *, all_or_none: bool = False
    ) -> builtins.list[SaveResult]:
        """Update records by Id, 200 per call (PATCH /composite/sobjects)."""
        return self._client.collections.update(records, sobject=self.sobject, all_or_none=all_or_none)

    def upsert_many(
        self,
        field: str,
        records: Sequence[SObject | Mapping[str, Any]],
        /,
        *,
        all_or_none: bool = False,
        bulk_threshold: int = DEFAULT_BULK_THRESHOLD,
    ) -> builtins.list[SaveResult]:
        """Upsert by external id: Collections (PATCH /composite/sobjects/{type}/{field}, 200 per call),
        or a Bulk 2.0 upsert job above ``bulk_threshold`` records. Results are in input order."""
        if len(records) > bulk_threshold and not all_or_none:
            ingest = self._client.bulk.ingest(
                self.sobject, records, operation="upsert", external_id_field=field
            )
            return _bulk_save_results(records, ingest, field)
        return self._client.collections.upsert(self.sobject, field, records, all_or_none=all_or_none)

    def delete_many(self, ids: Sequence[str], /, *, all_or_none: bool = False) -> builtins.list[SaveResult]:
        """Delete records, 200 per call (DELETE /composite/sobjects)."""
        return self._client.collections.delete(ids, all_or_none=all_or_none)


class Collections:
    """sObject Collections (``/composite/sobjects``): up to 200 records per call, chunked for you."""

    def __init__(self, client: SalesforceClient) -> None:
        self._client = client

    def _write(
        self,
        items: Sequence[Any],
        all_or_none: bool,
        build: Callable[[Sequence[Any]], Call[builtins.list[SaveResult]]],
    ) -> builtins.list[SaveResult]:
        """Send chunks of 200; resend records refused with ``UNABLE_TO_LOCK_ROW`` (backoff per the retry policy)."""
        out: list[SaveResult] = []
        policy = self._client._executor.retry
        for chunk in _chunks(items, calls.COLLECTION_SIZE):
            results = self._client._execute(build(chunk))
            for attempt in range(1, policy.max_attempts):
                again = _lock_retry_plan(results, all_or_none)
                if not again:
                    break
                self._client._sleep(policy.backoff(attempt))
                retried = self._client._execute(build([chunk[i] for i in again]))
                for index, result in zip(again, retried, strict=False):
                    results[index] = result
            out.extend(results)
        return out

    def create(
        self,
        records: Sequence[SObject | Mapping[str, Any]],
        *,
        sobject: str | None = None,
        all_or_none: bool = False,
    ) -> builtins.list[SaveResult]:
        """Create records (POST /composite/sobjects), per-record results in order."""
        return self._write(
            records,
            all_or_none,
            lambda part: calls.collection_create(self._client.api_version, part, sobject, all_or_none),
        )

    def update(
        self,
        records: Sequence[SObject | Mapping[str, Any]],
        *,
        sobject: str | None = None,
        all_or_none: bool = False,
    ) -> builtins.list[SaveResult]:
        """Update records by Id (PATCH /composite/sobjects)."""
        return self._write(
            records,
            all_or_none,
            lambda part: calls.collection_update(self._client.api_version, part, sobject, all_or_none),
        )

    def upsert(
        self,
        sobject: str,
        field: str,
        records: Sequence[SObject | Mapping[str, Any]],
        *,
        all_or_none: bool = False,
    ) -> builtins.list[SaveResult]:
        """Upsert by external id (PATCH /composite/sobjects/{type}/{field}); ``created`` per record."""
        return self._write(
            records,
            all_or_none,
            lambda part: calls.collection_upsert(self._client.api_version, sobject, field, part, all_or_none),
        )

    def delete(self, ids: Sequence[str], *, all_or_none: bool = False) -> builtins.list[SaveResult]:
        """Delete records (DELETE /composite/sobjects?ids=...)."""
        return self._write(
            ids,
            all_or_none,
            lambda part: calls.collection_delete(self._client.api_version, part, all_or_none),
        )

    def retrieve(
        self, sobject: str, ids: Sequence[str], *, fields: Sequence[str]
    ) -> builtins.list[Record | None]:
        """Fetch records by id (POST /composite/sobjects/{type}), 2,000 per call; ``None`` for missing ids."""
        out: list[Record | None] = []
        for chunk in _chunks(ids, calls.RETRIEVE_SIZE):
            part = self._client._execute(
                calls.collection_retrieve(self._client.api_version, sobject, chunk, fields)
            )
            out.extend(part)
        return out


class Composite:
    """Composite requests (``POST /composite``): up to 25 chained subrequests in one API call."""

    def __init__(self, client: SalesforceClient) -> None:
        self._client = client

    def execute(
        self, subrequests: Sequence[CompositeSubrequest], *, all_or_none: bool = False, collate: bool = False
    ) -> builtins.list[CompositeSubresponse]:
        """Run subrequests (POST /composite); ``@{ref.id}`` references earlier results."""
        return self._client._execute(
            calls.composite(self._client.api_version, subrequests, all_or_none, collate)
        )


class Bulk:
    """Bulk API 2.0 (``/jobs/ingest``, ``/jobs/query``): CSV jobs for large record sets."""

    max_upload_bytes: int = calls.MAX_UPLOAD_BYTES
    """Raw CSV bytes per upload; larger record sets are uploaded in several parts."""

    def __init__(self, client: SalesforceClient) -> None:
        self._client = client

    def _v(self) -> str:
        return self._client.api_version

    def create_ingest_job(
        self, sobject: str, operation: str, *, external_id_field: str | None = None
    ) -> JobInfo:
        """Open an ingest job (POST /jobs/ingest)."""
        return self._client._execute(
            calls.create_ingest_job(self._v(), sobject, operation, external_id_field)
        )

    def upload(self, job_id: str, records: Sequence[SObject | Mapping[str, Any]] | bytes) -> None:
        """Upload CSV data (PUT /jobs/ingest/{id}/batches)."""
        data = records if isinstance(records, bytes) else calls.to_csv(records)[0]
        self._client._execute(calls.upload_job_data(self._v(), job_id, data))

    def close(self, job_id: str) -> JobInfo:
        """Mark the upload complete so processing starts (PATCH /jobs/ingest/{id})."""
        return self._client._execute(calls.set_job_state(self._v(), job_id, "UploadComplete"))

    def abort(self, job_id: str) -> JobInfo:
        """Abort a job (PATCH /jobs/ingest/{id} ``{"state":"Aborted"}``)."""
        return self._client._execute(calls.set_job_state(self._v(), job_id, "Aborted"))

    def get_job(self, job_id: str, *, kind: str = "ingest") -> JobInfo:
        """Job status (GET /jobs/ingest/{id} or /jobs/query/{id})."""
        return self._client._execute(calls.get_job(self._v(), kind, job_id))

    def wait(
        self,
        job_id: str,
        *,
        kind: str = "ingest",
        timeout: float = 3600.0,
        initial_delay: float = 1.0,
        max_delay: float = 30.0,
    ) -> JobInfo:
        """Poll a job with exponential backoff (1 s doubling to 30 s) until it is finished (GET /jobs/{kind}/{id}).

        Raises:
            RequestTimeoutError: The job did not finish within ``timeout`` seconds of waiting.
        """
        delay, waited = initial_delay, 0.0
        while True:
            job = self.get_job(job_id, kind=kind)
            if job.done:
                return job
            if waited >= timeout:
                raise RequestTimeoutError(
                    f"salesforce bulk {kind} job did not finish in {timeout:.0f} s",
                    platform="salesforce",
                    method="GET",
                    path=f"/services/data/v{self._v()}/jobs/{kind}/{{id}}",
                )
            self._client._sleep(delay)
            waited += delay
            delay = min(max_delay, delay * 2)

    def results(
        self, job_id: str
    ) -> tuple[list[BulkRecordResult], list[BulkRecordResult], list[BulkRecordResult]]:
        """Successful, failed and unprocessed rows (GET /jobs/ingest/{id}/successfulResults ...)."""
        v = self._v()
        return (
            self._client._execute(calls.ingest_results(v, job_id, "successfulResults")),
            self._client._execute(calls.ingest_results(v, job_id, "failedResults")),
            self._client._execute(calls.ingest_results(v, job_id, "unprocessedrecords")),
        )

    def ingest(
        self,
        sobject: str,
        records: Sequence[SObject | Mapping[str, Any]],
        *,
        operation: str = "insert",
        external_id_field: str | None = None,
        timeout: float = 3600.0,
    ) -> IngestResult:
        """Run a whole ingest job (POST /jobs/ingest, PUT .../batches, PATCH, GET polls, GET the result files)."""
        if not records:
            raise ConfigurationError("ingest needs at least one record")
        uploads = calls.to_csv_chunks(records, self.max_upload_bytes)[0]
        job_id = (self.create_ingest_job(sobject, operation, external_id_field=external_id_field)).id
        for data in uploads:
            self.upload(job_id, data)
        self.close(job_id)
        job = self.wait(job_id, timeout=timeout)
        ok, failed, unprocessed = self.results(job_id)
        return IngestResult(
            job=job, successful=tuple(ok), failed=tuple(failed), unprocessed=tuple(unprocessed)
        )

    def query(
        self,
        statement: str | soql.Query,
        *,
        include_deleted: bool = False,
        max_records: int | None = None,
        timeout: float = 3600.0,
    ) -> Paginator[dict[str, str]]:
        """Run a query job (POST /jobs/query), wait for it, and page its CSV results by ``Sforce-Locator``."""
        job = self._client._execute(calls.create_query_job(self._v(), str(statement), include_deleted))
        self.wait(job.id, kind="query", timeout=timeout)
        first = calls.query_results(self._v(), job.id, None, max_records)
        return Paginator(self._client._executor, first, calls.next_query_results)


def _bulk_save_results(
    records: Sequence[SObject | Mapping[str, Any]], ingest: IngestResult, key: str | None
) -> builtins.list[SaveResult]:
    """Map Bulk 2.0 rows back to input order (by external id, else by row order within each file)."""

    def to_result(row: BulkRecordResult) -> SaveResult:
        if row.success:
            return SaveResult(id=row.id, success=True, created=row.created if key else None)
        error = row.error or RecordError(code="UNPROCESSED", message="record was not processed")
        return SaveResult(id=row.id, success=False, errors=(error,))

    if key is None:
        return [to_result(r) for r in ingest.results][: len(records)]
    by_key = {row.record.get(key, ""): to_result(row) for row in ingest.results}
    out: list[SaveResult] = []
    for record in records:
        body = calls.record_body(record)
        value = calls.csv_value(body.get(key))
        out.append(by_key.get(value, SaveResult(success=False, errors=(RecordError(code="MISSING_RESULT"),))))
    return out


class SalesforceClient(_ClientBase):
    """The synchronous Salesforce client.

    Args:
        auth: An ``httpx.Auth`` strategy (:class:`JWTBearerAuth`, :class:`ClientCredentialsAuth`,
            :class:`RefreshTokenAuth`, :class:`AccessTokenAuth`); its token's ``instance_url`` is the base URL.
        api_version: The pinned REST API version.
        instance_url: Override the base URL (normally learnt from the token).
        transport: An httpx transport (tests: ``sandbox.transport()``).
        http_client: Borrow an ``httpx.Client`` instead (not closed by this client).
        retry: The :class:`RetryPolicy`; concurrent ``REQUEST_LIMIT_EXCEEDED`` is retried too.
        timeout: Seconds or an ``httpx.Timeout``.
        sleep: Injected sleep (retries, Bulk polling); tests pass a fake clock's.
        rate_limit: Client-side request rate / concurrency limit.
        app_name: Appended to the User-Agent.
    """

    def __init__(
        self,
        *,
        auth: httpx.Auth,
        api_version: str = DEFAULT_API_VERSION,
        instance_url: str | None = None,
        transport: httpx.BaseTransport | None = None,
        http_client: httpx.Client | None = None,
        retry: RetryPolicy | None = None,
        timeout: httpx.Timeout | float | None = None,
        sleep: Callable[[float], object] | None = None,
        rate_limit: RateLimit | None = None,
        app_name: str | None = None,
    ) -> None:
        self._configure(auth, api_version, instance_url)
        self._sleep: Callable[[float], object] = sleep if sleep is not None else time.sleep
        self._executor = SyncExecutor(
            platform=SALESFORCE,
            base_url=self._base_url,
            auth=_ObservingAuth(auth, self._state),
            headers={"Sforce-Call-Options": f"client={app_name or 'msplink'}"},
            retry=retry,
            timeout=timeout,
            rate_limit=rate_limit,
            transport=transport,
            http_client=http_client,
            sleep=self._sleep,
            app_name=app_name,
        )
        self._bind()

    def _bind(self) -> None:
        self.accounts: SObjects[Account] = SObjects(self, "Account", Account.from_api, Account.api_fields())
        self.contacts: SObjects[Contact] = SObjects(self, "Contact", Contact.from_api, Contact.api_fields())
        self.leads: SObjects[Lead] = SObjects(self, "Lead", Lead.from_api, Lead.api_fields())
        self.opportunities: SObjects[Opportunity] = SObjects(
            self, "Opportunity", Opportunity.from_api, Opportunity.api_fields()
        )
        self.cases: SObjects[Case] = SObjects(self, "Case", Case.from_api, Case.api_fields())
        self.tasks: SObjects[Task] = SObjects(self, "Task", Task.from_api, Task.api_fields())
        self.contracts: SObjects[Contract] = SObjects(
            self, "Contract", Contract.from_api, Contract.api_fields()
        )
        self.users: SObjects[User] = SObjects(self, "User", User.from_api, User.api_fields())
        self.collections = Collections(self)
        self.composite = Composite(self)
        self.bulk = Bulk(self)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **options: Any) -> SalesforceClient:
        """Build a client from ``MSPLINK_SF_*`` environment variables (``MSPLINK_SF_API_VERSION`` too).

        Raises:
            ConfigurationError: The variables do not name a complete auth scheme.
        """
        env = os.environ if environ is None else environ
        options.setdefault("api_version", env.get("MSPLINK_SF_API_VERSION", DEFAULT_API_VERSION))
        return cls(auth=_auth_from_env(env), **options)

    def _execute(self, call: Call[T]) -> T:
        return self._executor.execute(call)

    def sobject(self, name: str) -> SObjects[Record]:
        """Untyped access to any object, custom ones included (records are plain dicts)."""
        return SObjects(self, name, _record, ("Id",))

    def query(
        self, statement: str | soql.Query, *, batch_size: int | None = None, limit: int | None = None
    ) -> Paginator[Record]:
        """Run SOQL lazily (GET /query), following ``nextRecordsUrl``; rows are dicts.

        Raises:
            QueryError: The statement is certainly invalid (checked before any I/O).
        """
        first = calls.query(self.api_version, str(statement), _record, batch_size=batch_size)
        return Paginator(self._executor, first, calls.next_query, limit=limit)

    def query_all(
        self, statement: str | soql.Query, *, batch_size: int | None = None, limit: int | None = None
    ) -> Paginator[Record]:
        """Run SOQL including deleted and archived rows (GET /queryAll)."""
        first = calls.query(
            self.api_version, str(statement), _record, include_deleted=True, batch_size=batch_size
        )
        return Paginator(self._executor, first, calls.next_query, limit=limit)

    def describe(self, sobject: str, *, refresh: bool = False) -> SObjectDescribe:
        """Describe an object (GET /sobjects/{type}/describe), cached per client."""
        key = sobject.lower()
        if refresh or key not in self._state.describes:
            self._state.describes[key] = self._execute(calls.describe(self.api_version, sobject))
        return self._state.describes[key]

    def limits(self) -> Limits:
        """The org limits (GET /limits)."""
        return self._execute(calls.limits(self.api_version))

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        json: Any = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """Send any request with auth, retries and error mapping (paths relative to the instance URL)."""
        target = (
            url if url.startswith(("/", "http://", "https://")) else f"{calls.base(self.api_version)}/{url}"
        )
        call: Call[httpx.Response] = Call(
            method=method,
            path=target,
            params=dict(params or {}),
            json=json,
            content=content,
            headers=dict(headers or {}),
        )
        return self._executor.send(call)

    def with_options(
        self, *, retry: RetryPolicy | None = None, timeout: httpx.Timeout | float | None = None
    ) -> SalesforceClient:
        """A copy with another retry policy or timeout, sharing the connection pool and caches."""
        clone = copy.copy(self)
        clone._executor = self._executor.with_options(retry=retry, timeout=timeout)
        clone._bind()
        return clone

    def close(self) -> None:
        """Close the HTTP client if this client created it."""
        self._executor.close()

    def __enter__(self) -> SalesforceClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# =========================================================================================== async


class AsyncSObjects(Generic[M]):
    """The async twin of :class:`SObjects`."""

    def __init__(
        self,
        client: AsyncSalesforceClient,
        sobject: str,
        parse: Callable[[Mapping[str, Any]], M],
        fields: Sequence[str],
    ) -> None:
        self._client = client
        self.sobject = soql.check_identifier(sobject)
        self._parse = parse
        self.default_fields = tuple(fields)

    def _v(self) -> str:
        return self._client.api_version

    async def get(self, record_id: str, /, *, fields: Sequence[str] | None = None) -> M:
        """Fetch one record (GET /sobjects/{type}/{id})."""
        return await self._client._execute(
            calls.get_record(self._v(), self.sobject, record_id, self._parse, fields)
        )

    async def get_by_external_id(
        self, field: str, value: str, /, *, fields: Sequence[str] | None = None
    ) -> M:
        """Fetch one record by external id (GET /sobjects/{type}/{field}/{value})."""
        return await self._client._execute(
            calls.get_by_external_id(self._v(), self.sobject, field, value, self._parse, fields)
        )

    async def create(self, record: SObject | Mapping[str, Any], /) -> SaveResult:
        """Create one record (POST /sobjects/{type})."""
        return await self._client._execute(calls.create(self._v(), self.sobject, record))

    async def update(self, record_id: str, values: SObject | Mapping[str, Any], /) -> None:
        """Update fields of one record (PATCH /sobjects/{type}/{id})."""
        await self._client._execute(calls.update(self._v(), self.sobject, record_id, values))

    async def delete(self, record_id: str, /) -> None:
        """Delete one record (DELETE /sobjects/{type}/{id})."""
        await self._client._execute(calls.delete(self._v(), self.sobject, record_id))

    async def upsert(self, field: str, value: str, record: SObject | Mapping[str, Any], /) -> SaveResult:
        """Insert or update by external id (PATCH /sobjects/{type}/{field}/{value})."""
        return await self._client._execute(calls.upsert(self._v(), self.sobject, field, value, record))

    def query(
        self,
        where: soql.Condition | None = None,
        *,
        fields: Sequence[str | soql.Query] | None = None,
        order_by: Sequence[str] | None = None,
        limit: int | None = None,
        batch_size: int | None = None,
        include_deleted: bool = False,
    ) -> AsyncPaginator[M]:
        """Query records lazily (GET /query or /queryAll), following ``nextRecordsUrl``."""
        statement = _statement(self.sobject, fields or self.default_fields, where, order_by)
        first = calls.query(
            self._v(), statement, self._parse, include_deleted=include_deleted, batch_size=batch_size
        )
        return AsyncPaginator(self._client._executor, first, calls.next_query, limit=limit)

    def list(
        self,
        *,
        fields: Sequence[str | soql.Query] | None = None,
        limit: int | None = None,
        batch_size: int | None = None,
    ) -> AsyncPaginator[M]:
        """Every record, lazily (GET /query ``SELECT <fields> FROM <type> ORDER BY Id``)."""
        return self.query(fields=fields, order_by=["Id"], limit=limit, batch_size=batch_size)

    async def count(self, where: soql.Condition | None = None) -> int:
        """Count records (GET /query ``SELECT COUNT() ...``)."""
        statement = _statement(self.sobject, ["COUNT()"], where, None)
        return await self._client._execute(
            calls.query(self._v(), statement, _record).with_parse(calls.count_parser)
        )

    async def updated(self, start: datetime, end: datetime) -> UpdatedResult:
        """Ids changed in a window (GET /sobjects/{type}/updated)."""
        return await self._client._execute(calls.updated(self._v(), self.sobject, start, end))

    async def deleted(self, start: datetime, end: datetime) -> DeletedResult:
        """Records deleted in a window (GET /sobjects/{type}/deleted)."""
        return await self._client._execute(calls.deleted(self._v(), self.sobject, start, end))

    async def describe(self) -> SObjectDescribe:
        """Describe this type, cached (GET /sobjects/{type}/describe)."""
        return await self._client.describe(self.sobject)

    async def retrieve(
        self, ids: Sequence[str], /, *, fields: Sequence[str] | None = None
    ) -> builtins.list[M | None]:
        """Fetch records by id (POST /composite/sobjects/{type}); missing ids give ``None``."""
        rows = await self._client.collections.retrieve(
            self.sobject, ids, fields=fields or self.default_fields
        )
        return [self._parse(row) if row is not None else None for row in rows]

    async def create_many(
        self,
        records: Sequence[SObject | Mapping[str, Any]],
        /,
        *,
        all_or_none: bool = False,
        bulk_threshold: int = DEFAULT_BULK_THRESHOLD,
    ) -> builtins.list[SaveResult]:
        """Create records: Collections (200 per call), or Bulk 2.0 above ``bulk_threshold``."""
        if len(records) > bulk_threshold and not all_or_none:
            ingest = await self._client.bulk.ingest(self.sobject, records, operation="insert")
            return _bulk_save_results(records, ingest, None)
        return await self._client.collections.create(records, sobject=self.sobject, all_or_none=all_or_none)

    async def update_many(
        self, records: Sequence[SObject | Mapping[str, Any]], /, *, all_or_none: bool = False
    ) -> builtins.list[SaveResult]:
        """Update records by Id, 200 per call (PATCH /composite/sobjects)."""
        return await self._client.collections.update(records, sobject=self.sobject, all_or_none=all_or_none)

    async def upsert_many(
        self,
        field: str,
        records: Sequence[SObject | Mapping[str, Any]],
        /,
        *,
        all_or_none: bool = False,
        bulk_threshold: int = DEFAULT_BULK_THRESHOLD,
    ) -> builtins.list[SaveResult]:
        """Upsert by external id: Collections (200 per call) or Bulk 2.0 above ``bulk_threshold``."""
        if len(records) > bulk_threshold and not all_or_none:
            ingest = await self._client.bulk.ingest(
                self.sobject, records, operation="upsert", external_id_field=field
            )
            return _bulk_save_results(records, ingest, field)
        return await self._client.collections.upsert(self.sobject, field, records, all_or_none=all_or_none)

    async def delete_many(
        self, ids: Sequence[str], /, *, all_or_none: bool = False
    ) -> builtins.list[SaveResult]:
        """Delete records, 200 per call (DELETE /composite/sobjects)."""
        return await self._client.collections.delete(ids, all_or_none=all_or_none)


class AsyncCollections:
    """The async twin of :class:`Collections`."""

    def __init__(self, client: AsyncSalesforceClient) -> None:
        self._client = client

    async def _write(
        self,
        items: Sequence[Any],
        all_or_none: bool,
        build: Callable[[Sequence[Any]], Call[builtins.list[SaveResult]]],
    ) -> builtins.list[SaveResult]:
        """Send chunks of 200; resend records refused with ``UNABLE_TO_LOCK_ROW`` (backoff per the retry policy)."""
        out: list[SaveResult] = []
        policy = self._client._executor.retry
        for chunk in _chunks(items, calls.COLLECTION_SIZE):
            results = await self._client._execute(build(chunk))
            for attempt in range(1, policy.max_attempts):
                again = _lock_retry_plan(results, all_or_none)
                if not again:
                    break
                await self._client._sleep(policy.backoff(attempt))
                retried = await self._client._execute(build([chunk[i] for i in again]))
                for index, result in zip(again, retried, strict=False):
                    results[index] = result
            out.extend(results)
        return out

    async def create(
        self,
        records: Sequence[SObject | Mapping[str, Any]],
        *,
        sobject: str | None = None,
        all_or_none: bool = False,
    ) -> builtins.list[SaveResult]:
        """Create records (POST /composite/sobjects)."""
        return await self._write(
            records,
            all_or_none,
            lambda part: calls.collection_create(self._client.api_version, part, sobject, all_or_none),
        )

    async def update(
        self,
        records: Sequence[SObject | Mapping[str, Any]],
        *,
        sobject: str | None = None,
        all_or_none: bool = False,
    ) -> builtins.list[SaveResult]:
        """Update records by Id (PATCH /composite/sobjects)."""
        return await self._write(
            records,
            all_or_none,
            lambda part: calls.collection_update(self._client.api_version, part, sobject, all_or_none),
        )

    async def upsert(
        self,
        sobject: str,
        field: str,
        records: Sequence[SObject | Mapping[str, Any]],
        *,
        all_or_none: bool = False,
    ) -> builtins.list[SaveResult]:
        """Upsert by external id (PATCH /composite/sobjects/{type}/{field})."""
        return await self._write(
            records,
            all_or_none,
            lambda part: calls.collection_upsert(self._client.api_version, sobject, field, part, all_or_none),
        )

    async def delete(self, ids: Sequence[str], *, all_or_none: bool = False) -> builtins.list[SaveResult]:
        """Delete records (DELETE /composite/sobjects?ids=...)."""
        return await self._write(
            ids,
            all_or_none,
            lambda part: calls.collection_delete(self._client.api_version, part, all_or_none),
        )

    async def retrieve(
        self, sobject: str, ids: Sequence[str], *, fields: Sequence[str]
    ) -> builtins.list[Record | None]:
        """Fetch records by id (POST /composite/sobjects/{type}), 2,000 per call."""
        out: list[Record | None] = []
        for chunk in _chunks(ids, calls.RETRIEVE_SIZE):
            part = await self._client._execute(
                calls.collection_retrieve(self._client.api_version, sobject, chunk, fields)
            )
            out.extend(part)
        return out


class AsyncComposite:
    """The async twin of :class:`Composite`."""

    def __init__(self, client: AsyncSalesforceClient) -> None:
        self._client = client

    async def execute(
        self, subrequests: Sequence[CompositeSubrequest], *, all_or_none: bool = False, collate: bool = False
    ) -> builtins.list[CompositeSubresponse]:
        """Run subrequests (POST /composite)."""
        return await self._client._execute(
            calls.composite(self._client.api_version, subrequests, all_or_none, collate)
        )


class AsyncBulk:
    """The async twin of :class:`Bulk`."""

    max_upload_bytes: int = calls.MAX_UPLOAD_BYTES
    """Raw CSV bytes per upload; larger record sets are uploaded in several parts."""

    def __init__(self, client: AsyncSalesforceClient) -> None:
        self._client = client

    def _v(self) -> str:
        return self._client.api_version

    async def create_ingest_job(
        self, sobject: str, operation: str, *, external_id_field: str | None = None
    ) -> JobInfo:
        """Open an ingest job (POST /jobs/ingest)."""
        return await self._client._execute(
            calls.create_ingest_job(self._v(), sobject, operation, external_id_field)
        )

    async def upload(self, job_id: str, records: Sequence[SObject | Mapping[str, Any]] | bytes) -> None:
        """Upload CSV data (PUT /jobs/ingest/{id}/batches)."""
        data = records if isinstance(records, bytes) else calls.to_csv(records)[0]
        await self._client._execute(calls.upload_job_data(self._v(), job_id, data))

    async def close(self, job_id: str) -> JobInfo:
        """Mark the upload complete (PATCH /jobs/ingest/{id})."""
        return await self._client._execute(calls.set_job_state(self._v(), job_id, "UploadComplete"))

    async def abort(self, job_id: str) -> JobInfo:
        """Abort a job (PATCH /jobs/ingest/{id} ``{"state":"Aborted"}``)."""
        return await self._client._execute(calls.set_job_state(self._v(), job_id, "Aborted"))

    async def get_job(self, job_id: str, *, kind: str = "ingest") -> JobInfo:
        """Job status (GET /jobs/ingest/{id} or /jobs/query/{id})."""
        return await self._client._execute(calls.get_job(self._v(), kind, job_id))

    async def wait(
        self,
        job_id: str,
        *,
        kind: str = "ingest",
        timeout: float = 3600.0,
        initial_delay: float = 1.0,
        max_delay: float = 30.0,
    ) -> JobInfo:
        """Poll a job with exponential backoff until it is finished (GET /jobs/{kind}/{id})."""
        delay, waited = initial_delay, 0.0
        while True:
            job = await self.get_job(job_id, kind=kind)
            if job.done:
                return job
            if waited >= timeout:
                raise RequestTimeoutError(
                    f"salesforce bulk {kind} job did not finish in {timeout:.0f} s",
                    platform="salesforce",
                    method="GET",
                    path=f"/services/data/v{self._v()}/jobs/{kind}/{{id}}",
                )
            await self._client._sleep(delay)
            waited += delay
            delay = min(max_delay, delay * 2)

    async def results(
        self, job_id: str
    ) -> tuple[list[BulkRecordResult], list[BulkRecordResult], list[BulkRecordResult]]:
        """Successful, failed and unprocessed rows (GET /jobs/ingest/{id}/successfulResults ...)."""
        v = self._v()
        return (
            await self._client._execute(calls.ingest_results(v, job_id, "successfulResults")),
            await self._client._execute(calls.ingest_results(v, job_id, "failedResults")),
            await self._client._execute(calls.ingest_results(v, job_id, "unprocessedrecords")),
        )

    async def ingest(
        self,
        sobject: str,
        records: Sequence[SObject | Mapping[str, Any]],
        *,
        operation: str = "insert",
        external_id_field: str | None = None,
        timeout: float = 3600.0,
    ) -> IngestResult:
        """Run a whole ingest job (POST /jobs/ingest, PUT .../batches, PATCH, GET polls, GET the result files)."""
        if not records:
            raise ConfigurationError("ingest needs at least one record")
        uploads = calls.to_csv_chunks(records, self.max_upload_bytes)[0]
        job_id = (await self.create_ingest_job(sobject, operation, external_id_field=external_id_field)).id
        for data in uploads:
            await self.upload(job_id, data)
        await self.close(job_id)
        job = await self.wait(job_id, timeout=timeout)
        ok, failed, unprocessed = await self.results(job_id)
        return IngestResult(
            job=job, successful=tuple(ok), failed=tuple(failed), unprocessed=tuple(unprocessed)
        )

    async def query(
        self,
        statement: str | soql.Query,
        *,
        include_deleted: bool = False,
        max_records: int | None = None,
        timeout: float = 3600.0,
    ) -> AsyncPaginator[dict[str, str]]:
        """Run a query job (POST /jobs/query), wait for it, and page its CSV results."""
        job = await self._client._execute(calls.create_query_job(self._v(), str(statement), include_deleted))
        await self.wait(job.id, kind="query", timeout=timeout)
        first = calls.query_results(self._v(), job.id, None, max_records)
        return AsyncPaginator(self._client._executor, first, calls.next_query_results)


class AsyncSalesforceClient(_ClientBase):
    """The asynchronous Salesforce client (same resources and methods as :class:`SalesforceClient`)."""

    def __init__(
        self,
        *,
        auth: httpx.Auth,
        api_version: str = DEFAULT_API_VERSION,
        instance_url: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        http_client: httpx.AsyncClient | None = None,
        retry: RetryPolicy | None = None,
        timeout: httpx.Timeout | float | None = None,
        sleep: Callable[[float], Awaitable[object]] | None = None,
        rate_limit: RateLimit | None = None,
        app_name: str | None = None,
    ) -> None:
        self._configure(auth, api_version, instance_url)
        self._sleep: Callable[[float], Awaitable[object]] = sleep if sleep is not None else asyncio.sleep
        self._executor = AsyncExecutor(
            platform=SALESFORCE,
            base_url=self._base_url,
            auth=_ObservingAuth(auth, self._state),
            headers={"Sforce-Call-Options": f"client={app_name or 'msplink'}"},
            retry=retry,
            timeout=timeout,
            rate_limit=rate_limit,
            transport=transport,
            http_client=http_client,
            sleep=self._sleep,
            app_name=app_name,
        )
        self._bind()

    def _bind(self) -> None:
        self.accounts: AsyncSObjects[Account] = AsyncSObjects(
            self, "Account", Account.from_api, Account.api_fields()
        )
        self.contacts: AsyncSObjects[Contact] = AsyncSObjects(
            self, "Contact", Contact.from_api, Contact.api_fields()
        )
        self.leads: AsyncSObjects[Lead] = AsyncSObjects(self, "Lead", Lead.from_api, Lead.api_fields())
        self.opportunities: AsyncSObjects[Opportunity] = AsyncSObjects(
            self, "Opportunity", Opportunity.from_api, Opportunity.api_fields()
        )
        self.cases: AsyncSObjects[Case] = AsyncSObjects(self, "Case", Case.from_api, Case.api_fields())
        self.tasks: AsyncSObjects[Task] = AsyncSObjects(self, "Task", Task.from_api, Task.api_fields())
        self.contracts: AsyncSObjects[Contract] = AsyncSObjects(
            self, "Contract", Contract.from_api, Contract.api_fields()
        )
        self.users: AsyncSObjects[User] = AsyncSObjects(self, "User", User.from_api, User.api_fields())
        self.collections = AsyncCollections(self)
        self.composite = AsyncComposite(self)
        self.bulk = AsyncBulk(self)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **options: Any) -> AsyncSalesforceClient:
        """Build a client from ``MSPLINK_SF_*`` environment variables.

        Raises:
            ConfigurationError: The variables do not name a complete auth scheme.
        """
        env = os.environ if environ is None else environ
        options.setdefault("api_version", env.get("MSPLINK_SF_API_VERSION", DEFAULT_API_VERSION))
        return cls(auth=_auth_from_env(env), **options)

    async def _execute(self, call: Call[T]) -> T:
        return await self._executor.execute(call)

    def sobject(self, name: str) -> AsyncSObjects[Record]:
        """Untyped access to any object, custom ones included (records are plain dicts)."""
        return AsyncSObjects(self, name, _record, ("Id",))

    def query(
        self, statement: str | soql.Query, *, batch_size: int | None = None, limit: int | None = None
    ) -> AsyncPaginator[Record]:
        """Run SOQL lazily (GET /query), following ``nextRecordsUrl``; rows are dicts."""
        first = calls.query(self.api_version, str(statement), _record, batch_size=batch_size)
        return AsyncPaginator(self._executor, first, calls.next_query, limit=limit)

    def query_all(
        self, statement: str | soql.Query, *, batch_size: int | None = None, limit: int | None = None
    ) -> AsyncPaginator[Record]:
        """Run SOQL including deleted and archived rows (GET /queryAll)."""
        first = calls.query(
            self.api_version, str(statement), _record, include_deleted=True, batch_size=batch_size
        )
        return AsyncPaginator(self._executor, first, calls.next_query, limit=limit)

    async def describe(self, sobject: str, *, refresh: bool = False) -> SObjectDescribe:
        """Describe an object (GET /sobjects/{type}/describe), cached per client."""
        key = sobject.lower()
        if refresh or key not in self._state.describes:
            self._state.describes[key] = await self._execute(calls.describe(self.api_version, sobject))
        return self._state.describes[key]

    async def limits(self) -> Limits:
        """The org limits (GET /limits)."""
        return await self._execute(calls.limits(self.api_version))

    async def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        json: Any = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """Send any request with auth, retries and error mapping (paths relative to the instance URL)."""
        target = (
            url if url.startswith(("/", "http://", "https://")) else f"{calls.base(self.api_version)}/{url}"
        )
        call: Call[httpx.Response] = Call(
            method=method,
            path=target,
            params=dict(params or {}),
            json=json,
            content=content,
            headers=dict(headers or {}),
        )
        return await self._executor.send(call)

    def with_options(
        self, *, retry: RetryPolicy | None = None, timeout: httpx.Timeout | float | None = None
    ) -> AsyncSalesforceClient:
        """A copy with another retry policy or timeout, sharing the connection pool and caches."""
        clone = copy.copy(self)
        clone._executor = self._executor.with_options(retry=retry, timeout=timeout)
        clone._bind()
        return clone

    async def aclose(self) -> None:
        """Close the HTTP client if this client created it."""
        await self._executor.aclose()

    async def __aenter__(self) -> AsyncSalesforceClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
