"""A record's comparable field values as one flat mapping: what a sync planner diffs and hashes."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Final

import attrs

from msplink.models._common import ExternalRef, Link, Record
from msplink.models._money import Money

__all__ = ["PROVENANCE_FIELDS", "fields_of"]

PROVENANCE_FIELDS: Final = frozenset({"refs", "updated_at"})
"""Record attributes that say where a record comes from, not what it says: left out of :func:`fields_of`."""

FieldValue = str | int | bool | Decimal | date | datetime


def fields_of(record: Any) -> dict[str, FieldValue]:
    """Flatten a canonical record into ``{dotted path: value}``, sorted by path, for diffing and hashing.

    * Provenance (``refs``, ``updated_at``) is left out; so is every attribute excluded from ``==``.
    * ``None`` and empty collections are left out: a path that is absent means "no value". Two
      records of the same class have equal mappings exactly when their compared fields are equal,
      counting an object without any value (an empty ``Address``, a ``Link`` without refs) as ``None``.
    * :class:`Money` becomes ``<path>.amount`` (``Decimal``) and ``<path>.currency`` (ISO code).
    * Decimals are canonical (``Decimal("1.50")`` -> ``Decimal("1.5")``, ``Decimal("1E+2")`` ->
      ``Decimal("100")``), so equal amounts have one spelling.
    * Nested objects (addresses, lines) become ``<path>.<field>``; sequence items ``<path>[<i>]``;
      mapping entries (custom fields) ``<path>.<key>``.
    * A :class:`Link` becomes ``<path>`` -> its refs as sorted ``system:object:id`` text joined by
      ``" "`` (the display label is not compared): translate links through the identity map before
      comparing records read from different systems.
    * Enums become their value; dates and timezone-aware datetimes stay as they are.

    Args:
        record: A canonical record (``Customer``, ``Invoice`` ...) or any attrs value inside one.

    Returns:
        The flat mapping, keys in sorted order.

    Raises:
        TypeError: ``record`` is not an attrs instance.
    """
    if not attrs.has(type(record)):
        raise TypeError(f"fields_of expects a canonical record, got {type(record).__name__}")
    out: dict[str, FieldValue] = {}
    _walk(record, "", out, top=True)
    return dict(sorted(out.items()))


def _canonical_decimal(value: Decimal) -> Decimal:
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _walk(value: Any, path: str, out: dict[str, FieldValue], *, top: bool = False) -> None:
    if value is None:
        return
    if isinstance(value, Money):
        out[_join(path, "amount")] = _canonical_decimal(value.amount)
        out[_join(path, "currency")] = value.currency
    elif isinstance(value, Link):
        if value.refs:
            out[path] = " ".join(sorted(str(ref) for ref in value.refs))
    elif isinstance(value, ExternalRef):
        out[path] = str(value)
    elif isinstance(value, enum.Enum):
        out[path] = value.value
    elif isinstance(value, bool | int | str | date):  # datetime is a date
        out[path] = value
    elif isinstance(value, Decimal):
        out[path] = _canonical_decimal(value)
    elif attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            if not field.eq or (top and isinstance(value, Record) and field.name in PROVENANCE_FIELDS):
                continue
            _walk(getattr(value, field.name), _join(path, field.name), out)
    elif isinstance(value, Mapping):
        for key in sorted(value, key=str):
            _walk(value[key], _join(path, str(key)), out)
    elif isinstance(value, list | tuple | frozenset | set):
        items = sorted(value, key=repr) if isinstance(value, frozenset | set) else value
        for index, item in enumerate(items):
            _walk(item, f"{path}[{index}]", out)
    else:
        out[path] = str(value)
