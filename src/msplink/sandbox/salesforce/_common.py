"""Wire helpers shared by the Salesforce sandbox's modules: ids, timestamps, error bodies, injections, CSV."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

import attrs

from msplink.sandbox._framework import Abort, SandboxRequest, SandboxResponse

__all__ = [
    "INSTANCE_URL",
    "MESSAGES",
    "ORG_ID",
    "V",
    "Injection",
    "Injections",
    "RecordFailure",
    "abort",
    "csv_cell",
    "csv_text",
    "eq",
    "error",
    "fmt_dt",
    "id18",
    "norm",
    "parse_param_dt",
    "wire",
]

V = "/services/data/v{version}"
INSTANCE_URL = "https://msplink-sandbox.my.salesforce.com"
ORG_ID = "00DSB0000000001"
_SUFFIX = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"

MESSAGES = {
    "UNABLE_TO_LOCK_ROW": "unable to obtain exclusive access to this record or 1 records",
    "SERVER_UNAVAILABLE": "Server unavailable, please try again",
}


def id18(id15: str) -> str:
    """The 18-character, case-insensitive form of a 15-character Salesforce id (checksum suffix)."""
    suffix = ""
    for block in range(3):
        bits = 0
        for pos, ch in enumerate(id15[block * 5 : block * 5 + 5]):
            if "A" <= ch <= "Z":
                bits |= 1 << pos
        suffix += _SUFFIX[bits]
    return id15 + suffix


def fmt_dt(value: datetime) -> str:
    """A dateTime as the REST API writes it (``2026-01-01T00:00:00.000+0000``)."""
    utc = value.astimezone(timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}+0000"


def wire(value: Any) -> Any:
    """A stored value as JSON sends it (dateTimes and dates as text)."""
    if isinstance(value, datetime):
        return fmt_dt(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def norm(value: Any) -> str:
    """The index key of a value (text compares case-insensitively)."""
    return value.lower() if isinstance(value, str) else str(value)


def eq(a: Any, b: Any) -> bool:
    """Equality as external-id and unique lookups see it (case-insensitive text)."""
    if isinstance(a, str) and isinstance(b, str):
        return a.lower() == b.lower()
    if a is None or b is None:
        return False
    return str(a) == str(b)


def parse_param_dt(text: str) -> datetime:
    """An aware dateTime query parameter (getUpdated/getDeleted ``start``/``end``).

    Raises:
        ValueError: Not an ISO dateTime with an offset.
    """
    value = text.strip().replace(" ", "+").replace("Z", "+00:00")
    if re.search(r"[+-]\d{4}$", value):
        value = value[:-2] + ":" + value[-2:]
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError("naive")
    return parsed.astimezone(timezone.utc)


class RecordFailure(Exception):
    """One record refused (a 4xx for single-record calls, an error entry inside collections and Bulk)."""

    def __init__(self, code: str, message: str, fields: Sequence[str] = (), status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.fields = list(fields)
        self.status = status

    def body(self, key: str = "errorCode") -> dict[str, Any]:
        """The error entry (``errorCode`` in REST bodies, ``statusCode`` inside collections)."""
        return {key: self.code, "message": self.message, "fields": self.fields}


def error(status: int, code: str, message: str, fields: Sequence[str] | None = None) -> SandboxResponse:
    """Salesforce's error body: ``[{"message": ..., "errorCode": ...}]``."""
    item: dict[str, Any] = {"message": message, "errorCode": code}
    if fields is not None:
        item["fields"] = list(fields)
    return SandboxResponse.json(status, [item])


def abort(status: int, code: str, message: str, fields: Sequence[str] | None = None) -> Abort:
    """An :class:`Abort` carrying :func:`error`'s body."""
    return Abort(error(status, code, message, fields))


@attrs.define
class Injection:
    """An injected error (``SalesforceSandbox.inject_error``) and how many more times it fires."""

    code: str
    remaining: int
    per_record: bool
    method: str | None
    path: str | None
    message: str | None


@attrs.define
class Injections:
    """The pending injected errors, taken per request or per record write."""

    pending: list[Injection] = attrs.field(factory=list)

    def add(self, injection: Injection) -> None:
        """Queue an injection."""
        self.pending.append(injection)

    def take(self, request: SandboxRequest | None, *, per_record: bool) -> Injection | None:
        """The first live injection matching the request (or any record write), used up by one."""
        for inj in self.pending:
            if inj.remaining <= 0 or inj.per_record != per_record:
                continue
            if request is not None:
                if inj.method and inj.method.upper() != request.method:
                    continue
                if inj.path and not re.search(inj.path, request.path):
                    continue
            inj.remaining -= 1
            return inj
        return None

    def check_record(self) -> None:
        """Fail a record write with ``UNABLE_TO_LOCK_ROW`` when a per-record injection is pending.

        Raises:
            RecordFailure: An injection fired.
        """
        if self.take(None, per_record=True) is not None:
            raise RecordFailure("UNABLE_TO_LOCK_ROW", MESSAGES["UNABLE_TO_LOCK_ROW"])


def csv_cell(value: Any) -> str:
    """A stored value as a Bulk API 2.0 CSV cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def csv_text(head: Sequence[str], rows: Sequence[Mapping[str, str]]) -> str:
    """A CSV document (LF line endings, minimal quoting) with ``head`` as its header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(head)
    for row in rows:
        writer.writerow([row.get(h, "") for h in head])
    return buffer.getvalue()
