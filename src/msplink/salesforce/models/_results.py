"""Results of writes and reads: per-record results, org limits, change windows, composite answers."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import attrs

from msplink._core import parse_datetime
from msplink.errors import ErrorDetail
from msplink.salesforce.models._converter import fitted

__all__ = [
    "CompositeSubrequest",
    "CompositeSubresponse",
    "DeletedRecord",
    "DeletedResult",
    "Limit",
    "LimitInfo",
    "Limits",
    "RecordError",
    "SaveResult",
    "UpdatedResult",
]


@attrs.frozen(kw_only=True, slots=False)
class RecordError:
    """One per-record error (``statusCode`` in collections, ``errorCode`` elsewhere, Bulk CSV text).

    Attributes:
        code: The Salesforce code (``REQUIRED_FIELD_MISSING``, ``UNABLE_TO_LOCK_ROW`` ...).
        message: The message.
        fields: The fields concerned.
    """

    code: str
    message: str = ""
    fields: tuple[str, ...] = ()

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> RecordError:
        """Parse ``{"statusCode"|"errorCode", "message", "fields"}``.

        Raises:
            ParseError: The payload does not fit (a ``ValueError``; the message names no value).
        """
        return fitted(cls.__name__, lambda: cls._from_api(data))

    @classmethod
    def _from_api(cls, data: Mapping[str, Any]) -> RecordError:
        code = data.get("statusCode") or data.get("errorCode") or "UNKNOWN"
        fields = data.get("fields") or ()
        return cls(code=str(code), message=str(data.get("message") or ""), fields=tuple(map(str, fields)))

    @classmethod
    def from_bulk(cls, text: str) -> RecordError:
        """Parse a Bulk 2.0 ``sf__Error`` cell: ``CODE:message:fields --``."""
        body = text.strip()
        if body.endswith("--"):
            body = body[:-2].rstrip()
        code, colon, rest = body.partition(":")
        if not colon or not re.fullmatch(r"[A-Z][A-Z0-9_]*", code.strip()):
            return cls(code="UNKNOWN", message=body)
        message, sep, fields_text = rest.rpartition(":")
        if not sep:
            message, fields_text = rest, ""
        fields = tuple(f.strip() for f in fields_text.split(",") if f.strip())
        return cls(code=code.strip() or "UNKNOWN", message=message.strip(), fields=fields)

    def to_detail(self) -> ErrorDetail:
        """This error as an :class:`msplink.errors.ErrorDetail`."""
        return ErrorDetail(code=self.code, message=self.message, fields=self.fields)

    def __str__(self) -> str:
        where = f" ({', '.join(self.fields)})" if self.fields else ""
        return f"[{self.code}] {self.message}{where}"


@attrs.frozen(kw_only=True, slots=False)
class SaveResult:
    """The outcome of one record write (create, update, upsert, delete; single or collections).

    Attributes:
        id: The record id, when known.
        success: Whether the write happened.
        errors: Every error of the record.
        created: For upserts: ``True`` inserted, ``False`` updated; ``None`` otherwise.
        raw: The untouched result (excluded from equality and repr).
    """

    id: str | None = None
    success: bool = True
    errors: tuple[RecordError, ...] = ()
    created: bool | None = None
    raw: Any = attrs.field(default=None, eq=False, repr=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> SaveResult:
        """Parse ``{"id","success","errors","created"?}``.

        Raises:
            ParseError: The payload does not fit (a ``ValueError``; the message names no value).
        """
        return fitted(cls.__name__, lambda: cls._from_api(data))

    @classmethod
    def _from_api(cls, data: Mapping[str, Any]) -> SaveResult:
        errors = tuple(RecordError.from_api(e) for e in (data.get("errors") or ()))
        created = data.get("created")
        return cls(
            id=data.get("id"),
            success=bool(data.get("success", not errors)),
            errors=errors,
            created=bool(created) if created is not None else None,
            raw=data,
        )

    @property
    def codes(self) -> tuple[str, ...]:
        """The error codes, in order."""
        return tuple(e.code for e in self.errors)


@attrs.frozen(kw_only=True, slots=False)
class Limit:
    """One org limit: ``max`` and ``remaining``."""

    max: int
    remaining: int

    @property
    def used(self) -> int:
        """``max - remaining``."""
        return self.max - self.remaining


@attrs.frozen(kw_only=True, slots=False)
class Limits:
    """The org limits (``GET /limits``), by name (``DailyApiRequests`` ...)."""

    values: Mapping[str, Limit]
    raw: Any = attrs.field(default=None, eq=False, repr=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Limits:
        """Parse the ``/limits`` body.

        Raises:
            ParseError: The payload does not fit (a ``ValueError``; the message names no value).
        """
        return fitted(cls.__name__, lambda: cls._from_api(data))

    @classmethod
    def _from_api(cls, data: Mapping[str, Any]) -> Limits:
        values = {
            name: Limit(max=int(v.get("Max", 0)), remaining=int(v.get("Remaining", 0)))
            for name, v in data.items()
            if isinstance(v, Mapping)
        }
        return cls(values=values, raw=data)

    def __getitem__(self, name: str) -> Limit:
        return self.values[name]

    @property
    def daily_api_requests(self) -> Limit | None:
        """The rolling 24-hour API request allocation."""
        return self.values.get("DailyApiRequests")


_USAGE = re.compile(r"api-usage=(\d+)/(\d+)")
_PER_APP = re.compile(r"per-app-api-usage=(\d+)/(\d+)\(appName=([^)]*)\)")


@attrs.frozen(kw_only=True, slots=False)
class LimitInfo:
    """The last ``Sforce-Limit-Info`` reading: ``api-usage=used/max`` (and per-app usage).

    Attributes:
        used: API requests used in the rolling 24 hours.
        max: The allocation.
        per_app_used: Per-app usage, when sent.
        per_app_max: Per-app allocation, when sent.
        app_name: The app of the per-app reading.
    """

    used: int
    max: int
    per_app_used: int | None = None
    per_app_max: int | None = None
    app_name: str | None = None

    @classmethod
    def parse(cls, header: str | None) -> LimitInfo | None:
        """Parse a header value; ``None`` when absent or unreadable."""
        if not header:
            return None
        found = _USAGE.search(header)
        if found is None:
            return None
        per_app = _PER_APP.search(header)
        return cls(
            used=int(found.group(1)),
            max=int(found.group(2)),
            per_app_used=int(per_app.group(1)) if per_app else None,
            per_app_max=int(per_app.group(2)) if per_app else None,
            app_name=per_app.group(3) if per_app else None,
        )

    @property
    def remaining(self) -> int:
        """Requests left in the allocation."""
        return max(0, self.max - self.used)

    @property
    def fraction_used(self) -> float:
        """``used / max`` (0 when max is 0)."""
        return self.used / self.max if self.max else 0.0


@attrs.frozen(kw_only=True, slots=False)
class UpdatedResult:
    """``GET /sobjects/{type}/updated``: ids changed in the window and the next ``start``."""

    ids: tuple[str, ...]
    latest_date_covered: datetime | None = None
    raw: Any = attrs.field(default=None, eq=False, repr=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> UpdatedResult:
        """Parse the body.

        Raises:
            ParseError: The payload does not fit (a ``ValueError``; the message names no value).
        """
        return fitted(cls.__name__, lambda: cls._from_api(data))

    @classmethod
    def _from_api(cls, data: Mapping[str, Any]) -> UpdatedResult:
        latest = data.get("latestDateCovered")
        return cls(
            ids=tuple(data.get("ids") or ()),
            latest_date_covered=parse_datetime(latest) if latest else None,
            raw=data,
        )


@attrs.frozen(kw_only=True, slots=False)
class DeletedRecord:
    """One deleted record: its id and when it was deleted."""

    id: str
    deleted_date: datetime


@attrs.frozen(kw_only=True, slots=False)
class DeletedResult:
    """``GET /sobjects/{type}/deleted``: deletes in the window and how far back the log goes."""

    deleted_records: tuple[DeletedRecord, ...]
    earliest_date_available: datetime | None = None
    latest_date_covered: datetime | None = None
    raw: Any = attrs.field(default=None, eq=False, repr=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> DeletedResult:
        """Parse the body.

        Raises:
            ParseError: The payload does not fit (a ``ValueError``; the message names no value).
        """
        return fitted(cls.__name__, lambda: cls._from_api(data))

    @classmethod
    def _from_api(cls, data: Mapping[str, Any]) -> DeletedResult:
        earliest = data.get("earliestDateAvailable")
        latest = data.get("latestDateCovered")
        return cls(
            deleted_records=tuple(
                DeletedRecord(id=r["id"], deleted_date=parse_datetime(r["deletedDate"]))
                for r in data.get("deletedRecords") or ()
            ),
            earliest_date_available=parse_datetime(earliest) if earliest else None,
            latest_date_covered=parse_datetime(latest) if latest else None,
            raw=data,
        )


@attrs.frozen(kw_only=True, slots=False)
class CompositeSubrequest:
    """One subrequest of ``POST /composite``.

    Attributes:
        method: HTTP method.
        url: Absolute path (``/services/data/v62.0/sobjects/Account``) or relative to the versioned
            base (``sobjects/Account``); may hold ``@{ref.id}`` references.
        reference_id: The name later subrequests reference.
        body: The JSON body, if any.
        http_headers: Per-subrequest headers.
    """

    method: str
    url: str
    reference_id: str
    body: Any = None
    http_headers: Mapping[str, str] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True, slots=False)
class CompositeSubresponse:
    """One subresponse of ``POST /composite``."""

    reference_id: str
    status: int
    body: Any = None
    headers: Mapping[str, str] = attrs.field(factory=dict)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> CompositeSubresponse:
        """Parse ``{"body","httpHeaders","httpStatusCode","referenceId"}``.

        Raises:
            ParseError: The payload does not fit (a ``ValueError``; the message names no value).
        """
        return fitted(cls.__name__, lambda: cls._from_api(data))

    @classmethod
    def _from_api(cls, data: Mapping[str, Any]) -> CompositeSubresponse:
        return cls(
            reference_id=str(data.get("referenceId") or ""),
            status=int(data.get("httpStatusCode") or 0),
            body=data.get("body"),
            headers=dict(data.get("httpHeaders") or {}),
        )

    @property
    def ok(self) -> bool:
        """Whether the subrequest succeeded (2xx)."""
        return 200 <= self.status < 300

    @property
    def errors(self) -> tuple[RecordError, ...]:
        """The subrequest's errors (its body when it failed)."""
        if self.ok or not isinstance(self.body, Sequence) or isinstance(self.body, str):
            return ()
        return tuple(RecordError.from_api(e) for e in self.body if isinstance(e, Mapping))
