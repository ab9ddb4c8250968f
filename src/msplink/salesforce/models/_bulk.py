"""Bulk API 2.0 bodies: job information and the per-row outcome of an ingest job."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

import attrs

from msplink.salesforce.models._converter import camel_converter, fitted
from msplink.salesforce.models._results import RecordError

__all__ = ["BulkRecordResult", "IngestResult", "JobInfo"]


@attrs.frozen(kw_only=True, slots=False)
class JobInfo:
    """A Bulk API 2.0 job (ingest or query); some answers (``PATCH`` state changes) carry no ``id``."""

    id: str = ""
    operation: str | None = None
    object: str | None = None
    state: str | None = None
    external_id_field_name: str | None = None
    content_type: str | None = None
    api_version: Decimal | None = None
    job_type: str | None = None
    line_ending: str | None = None
    column_delimiter: str | None = None
    concurrency_mode: str | None = None
    content_url: str | None = None
    created_date: datetime | None = None
    system_modstamp: datetime | None = None
    number_records_processed: int | None = None
    number_records_failed: int | None = None
    retries: int | None = None
    total_processing_time: int | None = None
    error_message: str | None = None
    raw: Any = attrs.field(default=None, eq=False, repr=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> JobInfo:
        """Parse a JobInfo body.

        Raises:
            ParseError: The payload does not fit (a ``ValueError``; the message names no value).
        """
        return fitted(cls.__name__, lambda: cls._from_api(data))

    @classmethod
    def _from_api(cls, data: Mapping[str, Any]) -> JobInfo:
        model = camel_converter.structure(dict(data), cls)
        object.__setattr__(model, "raw", data)
        return model

    @property
    def done(self) -> bool:
        """Whether the job reached a terminal state."""
        return self.state in {"JobComplete", "Failed", "Aborted"}


@attrs.frozen(kw_only=True, slots=False)
class BulkRecordResult:
    """One row of a Bulk 2.0 ingest result, correlated back to the record sent.

    Attributes:
        record: The columns sent (as the result CSV echoes them).
        id: ``sf__Id`` (empty for failures before insert).
        success: From the successful-results file.
        created: ``sf__Created``.
        error: ``sf__Error`` parsed; ``None`` on success.
        processed: ``False`` for unprocessed records.
    """

    record: Mapping[str, str]
    id: str | None = None
    success: bool = False
    created: bool | None = None
    error: RecordError | None = None
    processed: bool = True


@attrs.frozen(kw_only=True, slots=False)
class IngestResult:
    """A finished Bulk 2.0 ingest: the job and every row's outcome."""

    job: JobInfo
    successful: tuple[BulkRecordResult, ...] = ()
    failed: tuple[BulkRecordResult, ...] = ()
    unprocessed: tuple[BulkRecordResult, ...] = ()

    @property
    def results(self) -> tuple[BulkRecordResult, ...]:
        """Every row, successful first."""
        return self.successful + self.failed + self.unprocessed
