"""Bulk API 2.0 resource shells (``client.bulk``), sync and async twins: every method is one line over
a call builder or a plan (:mod:`msplink.salesforce._calls`, :mod:`msplink.salesforce._plans`)."""

from __future__ import annotations

import builtins
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from msplink._core import AsyncExecutor, AsyncPaginator, Paginator, SyncExecutor
from msplink.salesforce import _calls as calls
from msplink.salesforce import _plans as plans
from msplink.salesforce import soql
from msplink.salesforce._csv import MAX_UPLOAD_BYTES, to_csv
from msplink.salesforce.models import BulkRecordResult, IngestResult, JobInfo, SObject

__all__ = ["AsyncBulk", "Bulk"]

Records = Sequence[SObject | Mapping[str, Any]]


class Bulk:
    """Bulk API 2.0 (``/jobs/ingest``, ``/jobs/query``): CSV jobs for large record sets.

    Attributes:
        max_upload_bytes: Raw CSV bytes per upload; larger record sets are uploaded in several parts.
    """

    def __init__(self, executor: SyncExecutor, version: str) -> None:
        self._x = executor
        self._v = version
        self.max_upload_bytes: int = MAX_UPLOAD_BYTES

    def create_ingest_job(
        self, sobject: str, operation: str, *, external_id_field: str | None = None
    ) -> JobInfo:
        """Open an ingest job (POST /jobs/ingest)."""
        return self._x.execute(calls.create_ingest_job(self._v, sobject, operation, external_id_field))

    def upload(self, job_id: str, records: Records | bytes) -> None:
        """Upload CSV data (PUT /jobs/ingest/{id}/batches); uploads append to the job.

        Never retried on doubt: after a :class:`~msplink.errors.TransportError` the data may or may
        not be in the job, so abort it and start a new one (:meth:`ingest` does).
        """
        self._x.execute(
            calls.upload_job_data(
                self._v, job_id, records if isinstance(records, bytes) else to_csv(records)[0]
            )
        )

    def close(self, job_id: str) -> JobInfo:
        """Mark the upload complete so processing starts (PATCH /jobs/ingest/{id} ``UploadComplete``)."""
        return self._x.run(plans.close_job(self._v, job_id))

    def abort(self, job_id: str) -> JobInfo:
        """Abort a job (PATCH /jobs/ingest/{id} ``{"state":"Aborted"}``)."""
        return self._x.run(plans.abort_job(self._v, job_id))

    def get_job(self, job_id: str, *, kind: str = "ingest") -> JobInfo:
        """Job status (GET /jobs/ingest/{id} or /jobs/query/{id})."""
        return self._x.execute(calls.get_job(self._v, kind, job_id))

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
        return self._x.run(
            plans.wait_job(
                self._v, job_id, kind=kind, timeout=timeout, initial_delay=initial_delay, max_delay=max_delay
            )
        )

    def result_rows(self, job_id: str, kind: str, /) -> Iterator[BulkRecordResult]:
        """The rows of one result file, parsed one at a time as you iterate
        (GET /jobs/ingest/{id}/successfulResults, /failedResults or /unprocessedrecords)."""
        return self._x.execute(calls.ingest_results(self._v, job_id, kind))

    def results(self, job_id: str) -> tuple[builtins.list[BulkRecordResult], ...]:
        """Successful, failed and unprocessed rows, each file read whole (GET /jobs/ingest/{id}/successfulResults,
        /failedResults, /unprocessedrecords); :meth:`result_rows` reads one file row by row."""
        return self._x.run(plans.results(self._v, job_id))

    def ingest(
        self,
        sobject: str,
        records: Records,
        *,
        operation: str = "insert",
        external_id_field: str | None = None,
        timeout: float = 3600.0,
    ) -> IngestResult:
        """Run a whole ingest job (POST /jobs/ingest, PUT .../batches, PATCH, GET polls, GET the result
        files); an upload in doubt restarts the job, never appending the same rows twice."""
        return self._x.run(
            plans.ingest(
                self._v,
                sobject,
                records,
                operation=operation,
                external_id_field=external_id_field,
                max_upload_bytes=self.max_upload_bytes,
                retry=self._x.retry,
                timeout=timeout,
            )
        )

    def query(
        self,
        statement: str | soql.Query,
        *,
        include_deleted: bool = False,
        page_size: int | None = None,
        timeout: float = 3600.0,
    ) -> Paginator[dict[str, str]]:
        """Run a query job (POST /jobs/query), wait for it, and page its CSV results by ``Sforce-Locator``
        (``page_size`` is ``maxRecords``: rows per page, the server's choice when ``None``).

        Raises:
            APIError: The job failed or was aborted.
        """
        return Paginator(
            self._x,
            calls.query_results(
                self._v,
                self._x.run(
                    plans.query_job(self._v, str(statement), include_deleted=include_deleted, timeout=timeout)
                ).id,
                None,
                page_size,
            ),
            calls.next_query_results,
        )


class AsyncBulk:
    """The async twin of :class:`Bulk`.

    Bulk API 2.0 (``/jobs/ingest``, ``/jobs/query``): CSV jobs for large record sets.

    Attributes:
        max_upload_bytes: Raw CSV bytes per upload; larger record sets are uploaded in several parts.
    """

    def __init__(self, executor: AsyncExecutor, version: str) -> None:
        self._x = executor
        self._v = version
        self.max_upload_bytes: int = MAX_UPLOAD_BYTES

    async def create_ingest_job(
        self, sobject: str, operation: str, *, external_id_field: str | None = None
    ) -> JobInfo:
        """Open an ingest job (POST /jobs/ingest)."""
        return await self._x.execute(calls.create_ingest_job(self._v, sobject, operation, external_id_field))

    async def upload(self, job_id: str, records: Records | bytes) -> None:
        """Upload CSV data (PUT /jobs/ingest/{id}/batches); uploads append to the job.

        Never retried on doubt: after a :class:`~msplink.errors.TransportError` the data may or may
        not be in the job, so abort it and start a new one (:meth:`ingest` does).
        """
        await self._x.execute(
            calls.upload_job_data(
                self._v, job_id, records if isinstance(records, bytes) else to_csv(records)[0]
            )
        )

    async def close(self, job_id: str) -> JobInfo:
        """Mark the upload complete so processing starts (PATCH /jobs/ingest/{id} ``UploadComplete``)."""
        return await self._x.run(plans.close_job(self._v, job_id))

    async def abort(self, job_id: str) -> JobInfo:
        """Abort a job (PATCH /jobs/ingest/{id} ``{"state":"Aborted"}``)."""
        return await self._x.run(plans.abort_job(self._v, job_id))

    async def get_job(self, job_id: str, *, kind: str = "ingest") -> JobInfo:
        """Job status (GET /jobs/ingest/{id} or /jobs/query/{id})."""
        return await self._x.execute(calls.get_job(self._v, kind, job_id))

    async def wait(
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
        return await self._x.run(
            plans.wait_job(
                self._v, job_id, kind=kind, timeout=timeout, initial_delay=initial_delay, max_delay=max_delay
            )
        )

    async def result_rows(self, job_id: str, kind: str, /) -> Iterator[BulkRecordResult]:
        """The rows of one result file, parsed one at a time as you iterate
        (GET /jobs/ingest/{id}/successfulResults, /failedResults or /unprocessedrecords)."""
        return await self._x.execute(calls.ingest_results(self._v, job_id, kind))

    async def results(self, job_id: str) -> tuple[builtins.list[BulkRecordResult], ...]:
        """Successful, failed and unprocessed rows, each file read whole (GET /jobs/ingest/{id}/successfulResults,
        /failedResults, /unprocessedrecords); :meth:`result_rows` reads one file row by row."""
        return await self._x.run(plans.results(self._v, job_id))

    async def ingest(
        self,
        sobject: str,
        records: Records,
        *,
        operation: str = "insert",
        external_id_field: str | None = None,
        timeout: float = 3600.0,
    ) -> IngestResult:
        """Run a whole ingest job (POST /jobs/ingest, PUT .../batches, PATCH, GET polls, GET the result
        files); an upload in doubt restarts the job, never appending the same rows twice."""
        return await self._x.run(
            plans.ingest(
                self._v,
                sobject,
                records,
                operation=operation,
                external_id_field=external_id_field,
                max_upload_bytes=self.max_upload_bytes,
                retry=self._x.retry,
                timeout=timeout,
            )
        )

    async def query(
        self,
        statement: str | soql.Query,
        *,
        include_deleted: bool = False,
        page_size: int | None = None,
        timeout: float = 3600.0,
    ) -> AsyncPaginator[dict[str, str]]:
        """Run a query job (POST /jobs/query), wait for it, and page its CSV results by ``Sforce-Locator``
        (``page_size`` is ``maxRecords``: rows per page, the server's choice when ``None``).

        Raises:
            APIError: The job failed or was aborted.
        """
        return AsyncPaginator(
            self._x,
            calls.query_results(
                self._v,
                (
                    await self._x.run(
                        plans.query_job(
                            self._v, str(statement), include_deleted=include_deleted, timeout=timeout
                        )
                    )
                ).id,
                None,
                page_size,
            ),
            calls.next_query_results,
        )
