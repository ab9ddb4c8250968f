"""Bulk API 2.0 CSV: rendering uploads, reading result files row by row, matching rows to inputs.

REFERENCE.md §10: the first row holds the field API names; ``#N/A`` clears a field and an empty
cell leaves it unchanged; UTF-8, ``"``-quoted with embedded quotes doubled and newlines allowed;
result files echo the uploaded columns after ``sf__Id`` / ``sf__Created`` / ``sf__Error``, in no
guaranteed order; NUL bytes are stripped before parsing (as simple-salesforce does).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from msplink.errors import ConfigurationError
from msplink.salesforce.models import (
    BulkRecordResult,
    RecordError,
    SaveResult,
    SObject,
    format_datetime,
    to_api_value,
)

__all__ = [
    "MAX_UPLOAD_BYTES",
    "RowMatcher",
    "cells",
    "csv_value",
    "iter_csv",
    "parse_csv",
    "record_body",
    "result_row",
    "to_csv",
    "to_csv_chunks",
]

MAX_UPLOAD_BYTES = 100_000_000
"""Raw CSV per upload (Salesforce allows 150 MB base64-encoded, about 100 MB raw)."""


def record_body(record: SObject | Mapping[str, Any]) -> dict[str, Any]:
    """The JSON body of a record write (a model's set fields, or a mapping as given).

    Raises:
        ConfigurationError: The record is neither a model nor a mapping.
    """
    if isinstance(record, SObject):
        return record.to_api()
    if not isinstance(record, Mapping):
        raise ConfigurationError(
            f"a record must be an SObject model or a mapping, not {type(record).__name__}"
        )
    return {str(k): to_api_value(v) for k, v in record.items() if k != "attributes"}


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


def _csv_line(cells: Sequence[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL).writerow(cells)
    return buffer.getvalue()


def _columns(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    columns: list[str] = []
    seen: set[str] = set()
    for row in rows:
        for key in row:
            if key not in seen:
                seen.add(key)
                columns.append(key)
    return columns


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
    columns = _columns(rows)
    header = _csv_line(columns).encode("utf-8")
    chunks: list[bytes] = []
    current: list[bytes] = []
    size = len(header)
    for row in rows:
        line = _csv_line(cells(row, columns)).encode("utf-8")
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


def cells(row: Mapping[str, Any], columns: Sequence[str]) -> list[str]:
    """The CSV cells of one record body, in column order (absent fields are empty cells)."""
    return [csv_value(row[c]) if c in row else "" for c in columns]


def to_csv(records: Sequence[SObject | Mapping[str, Any]]) -> tuple[bytes, list[str]]:
    """Render records as one Bulk 2.0 CSV document (header = union of fields, in first-seen order)."""
    chunks, columns = to_csv_chunks(records, max_bytes=2**62)
    return chunks[0], columns


def parse_csv(text: str) -> list[dict[str, str]]:
    """Parse a whole result CSV (NUL bytes stripped, UTF-8) into dicts."""
    return list(iter_csv([text.encode("utf-8")]))


def _text_chunks(data: Iterable[bytes]) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    for chunk in data:
        text = decoder.decode(chunk)
        if text:
            yield text.replace("\x00", "")
    tail = decoder.decode(b"", final=True)
    if tail:
        yield tail


_END_OF_LINE = re.compile(r"\r\n|\r|\n")


def _lines(data: Iterable[bytes]) -> Iterator[str]:
    """Split decoded text into lines at ``\n``, ``\r\n`` or ``\r`` only, keeping the line ending
    (csv needs it inside quoted cells); form feeds and other Unicode separators stay in their cell.
    Linear in the input, however long a line is."""
    pending = ""
    for text in _text_chunks(data):
        pending += text
        start = 0
        for end in _END_OF_LINE.finditer(pending):
            if end.group() == "\r" and end.end() == len(pending):
                break  # a "\r\n" may be split across chunks
            yield pending[start : end.end()]
            start = end.end()
        pending = pending[start:]
    if pending:
        yield pending


def iter_csv(data: Iterable[bytes]) -> Iterator[dict[str, str]]:
    """Parse CSV bytes (given in one or more chunks) into one dict per row, lazily.

    Raises:
        ValueError: The bytes are not UTF-8 (``UnicodeDecodeError``) or not CSV (``csv.Error`` is
            re-raised as ``ValueError``).
    """
    reader = csv.reader(_lines(data), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            return
        for cells_ in reader:
            if not cells_:
                continue
            if len(cells_) > len(header):
                raise ValueError(f"CSV row has {len(cells_)} cells for {len(header)} columns")
            yield dict(zip(header, [*cells_, *[""] * (len(header) - len(cells_))], strict=True))
    except csv.Error as exc:
        raise ValueError(f"unreadable CSV: {exc}") from exc


def result_row(kind: str, row: dict[str, str]) -> BulkRecordResult:
    """One row of ``successfulResults`` / ``failedResults`` / ``unprocessedrecords`` as a result."""
    sf_id = row.pop("sf__Id", None) or None
    created = row.pop("sf__Created", None)
    error = row.pop("sf__Error", None)
    if kind == "successfulResults":
        return BulkRecordResult(record=row, id=sf_id, success=True, created=(created or "").lower() == "true")
    if kind == "failedResults":
        return BulkRecordResult(
            record=row, id=sf_id, success=False, error=RecordError.from_bulk(error or "UNKNOWN:no error text")
        )
    return BulkRecordResult(record=row, success=False, processed=False)


class RowMatcher:
    """Matches Bulk result rows back to the records uploaded, whatever order the files come in.

    Rows are matched by the key column when there is one (the external id of an upsert, ``Id`` of an
    update or delete) and otherwise by every cell echoed, as uploaded; identical inputs are matched in
    turn. Every record must be matched exactly once.
    """

    def __init__(self, records: Sequence[SObject | Mapping[str, Any]], key: str | None, upsert: bool) -> None:
        bodies = [record_body(r) for r in records]
        self.columns = _columns(bodies)
        self.upsert = upsert
        self.missing_keys = 0 if key is None else sum(1 for b in bodies if b.get(key) in (None, ""))
        """Records without a value in the key column (an upsert, update or delete needs one in every row)."""
        self._key_index = self.columns.index(key) if key is not None and key in self.columns else None
        self.results: list[SaveResult | None] = [None] * len(bodies)
        self._waiting: dict[tuple[str, ...], deque[int]] = {}
        for index, body in enumerate(bodies):
            self._waiting.setdefault(self._identity(cells(body, self.columns)), deque()).append(index)
        self.unmatched_rows = 0

    def _identity(self, row_cells: Sequence[str]) -> tuple[str, ...]:
        if self._key_index is not None:
            return (row_cells[self._key_index],)
        return tuple(row_cells)

    def add(self, row: BulkRecordResult) -> None:
        """Record the outcome of one result row (an unknown row is counted in ``unmatched_rows``)."""
        echoed = [str(row.record.get(c, "")) for c in self.columns]
        waiting = self._waiting.get(self._identity(echoed))
        if not waiting:
            self.unmatched_rows += 1
            return
        index = waiting.popleft()
        if row.success:
            result = SaveResult(id=row.id, success=True, created=row.created if self.upsert else None)
        else:
            error = row.error or RecordError(code="UNPROCESSED", message="record was not processed")
            result = SaveResult(id=row.id, success=False, errors=(error,))
        self.results[index] = result

    @property
    def missing(self) -> int:
        """Records no result row accounted for."""
        return sum(1 for r in self.results if r is None)
