"""How records look to a person: short reprs, HTML tables for Jupyter, flat rows for DataFrames.

A wire model has dozens of optional fields and a typical record sets a handful, so reprs and tables
list only the fields that are set (not ``None``, not ``UNSET``, not empty). The untouched payload
(``raw``) and anything else excluded from equality never shows: it may hold data the model does
not type, and it is long.

:class:`msplink._core._frames.RecordList` is a ``list`` that renders as a table in Jupyter and
turns into a DataFrame (``to_pandas()``); paginators' ``to_list()`` return one.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

import attrs

from msplink._core._sentinel import UNSET

__all__ = [
    "MAX_HTML_ROWS",
    "compact_repr",
    "flatten",
    "html_record",
    "html_records",
    "html_table",
    "set_fields",
    "update_repr",
]

MAX_HTML_ROWS = 50
"""Rows an HTML table of records shows before it says how many more there are."""

_SF_METADATA = "attributes"


def _is_empty(value: object) -> bool:
    if value is None or value is UNSET:
        return True
    if isinstance(value, (str, bytes)):
        return False
    return isinstance(value, (Mapping, tuple, list, frozenset, set)) and len(value) == 0


def set_fields(record: object, *, keep_none: bool = False) -> list[tuple[str, Any]]:
    """The ``(name, value)`` pairs of an attrs record that are set and shown (``repr=True``).

    ``None``, ``UNSET`` and empty containers count as not set (with ``keep_none``, as for partial
    updates where ``None`` clears a field, only ``UNSET`` does); fields excluded from ``repr`` or
    from equality (``raw``, CW ``_info``) are left out. ``id`` comes first, then the record's own
    fields, then inherited ones (audit fields such as ``last_updated``), each in declaration order.
    """
    pairs: list[tuple[bool, bool, str, Any]] = []
    for field in attrs.fields(cast(Any, type(record))):
        if not field.repr or not field.eq:
            continue
        value = getattr(record, field.name)
        if value is UNSET or (not (keep_none and value is None) and _is_empty(value)):
            continue
        pairs.append((field.name != "id", field.inherited, field.name, value))
    pairs.sort(key=lambda pair: (pair[0], pair[1]))
    return [(name, value) for _, _, name, value in pairs]


def compact_repr(self: object) -> str:
    """``Company(id=250, name='Acme')``: the class name and the fields that are set."""
    inner = ", ".join(f"{name}={value!r}" for name, value in set_fields(self))
    return f"{type(self).__name__}({inner})"


def update_repr(self: object) -> str:
    """The repr of a partial update: the fields that are not ``UNSET`` (``None`` clears, so it shows)."""
    inner = ", ".join(f"{name}={value!r}" for name, value in set_fields(self, keep_none=True))
    return f"{type(self).__name__}({inner})"


def _cell(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (date, Decimal)):
        return str(value)
    return repr(value) if not isinstance(value, str) else value


def html_record(record: object) -> str:
    """An HTML table of one record's set fields (field, value), captioned with its class."""
    rows = "".join(
        f"<tr><th style='text-align:left'>{html.escape(name)}</th>"
        f"<td style='text-align:left'>{html.escape(_cell(value))}</td></tr>"
        for name, value in set_fields(record)
    )
    caption = html.escape(type(record).__name__)
    return f"<table><caption style='text-align:left'><b>{caption}</b></caption>{rows}</table>"


def flatten(record: object, *, prefix: str = "") -> dict[str, Any]:
    """One flat row of a record: nested attrs records and mappings become dotted keys.

    ``Company(status=Reference(id=1, name='Active'))`` gives ``{"status.id": 1, "status.name":
    "Active"}``; a Salesforce row's ``attributes`` (record metadata) is left out, as are fields that
    are not set and those excluded from equality (``raw``). Sequences stay whole (one cell).
    """
    row: dict[str, Any] = {}
    if attrs.has(type(record)):
        items: Iterable[tuple[str, Any]] = set_fields(record)
    elif isinstance(record, Mapping):
        items = ((str(k), v) for k, v in record.items() if k != _SF_METADATA)
    else:
        return {prefix.rstrip(".") or "value": record}
    for name, value in items:
        key = f"{prefix}{name}"
        if attrs.has(type(value)) or isinstance(value, Mapping):
            nested = flatten(value, prefix=key + ".")
            if nested:
                row.update(nested)
        elif not _is_empty(value):
            row[key] = value
    return row


def _columns(rows: list[dict[str, Any]]) -> list[str]:
    seen: dict[str, None] = {}
    for row in rows:
        for key in row:
            seen.setdefault(key, None)
    return list(seen)


def html_records(records: Iterable[object], *, max_rows: int = MAX_HTML_ROWS) -> str:
    """An HTML table of records, one row each, columns in first-seen order (set fields only)."""
    shown: list[dict[str, Any]] = []
    total = 0
    for record in records:
        total += 1
        if len(shown) < max_rows:
            shown.append(flatten(record))
    if total == 0:
        return "<p><i>no records</i></p>"
    columns = _columns(shown)
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr>"
        + "".join(f"<td>{html.escape(_cell(row[c])) if c in row else ''}</td>" for c in columns)
        + "</tr>"
        for row in shown
    )
    more = f"<p><i>{total - len(shown)} more not shown</i></p>" if total > len(shown) else ""
    return f"<p>{total} record{'s' if total != 1 else ''}</p><table><tr>{head}</tr>{body}</table>{more}"


def html_table(
    columns: Iterable[str], rows: Iterable[Iterable[object]], *, caption: str = "", more: int = 0
) -> str:
    """A plain HTML table (escaped), with a caption and a "N more not shown" line when ``more``."""
    head = "".join(f"<th style='text-align:left'>{html.escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td style='text-align:left'>{'' if v is None else html.escape(_cell(v))}</td>" for v in row
        )
        + "</tr>"
        for row in rows
    )
    title = f"<p><b>{html.escape(caption)}</b></p>" if caption else ""
    tail = f"<p><i>{more} more not shown</i></p>" if more > 0 else ""
    return f"{title}<table><tr>{head}</tr>{body}</table>{tail}"
