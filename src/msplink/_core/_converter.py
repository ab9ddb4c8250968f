"""Shared cattrs hooks and JSON helpers: Decimal money, tz-aware datetimes, dates.

Each vendor builds its own converter with :func:`make_converter` and adds its naming and lifting
hooks; nobody uses the global ``cattrs`` converter.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Mapping
from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation
from typing import Any, Final

import cattrs
import httpx
from dateutil import parser as date_parser

__all__ = [
    "decode_json",
    "dumps",
    "make_converter",
    "parse_date",
    "parse_datetime",
    "parse_decimal",
    "to_jsonable",
]


def parse_decimal(value: object) -> Decimal:
    """Parse a money or quantity value into a Decimal, never through float.

    Raises:
        ValueError: The value is not a finite number.
    """
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    elif isinstance(value, (int, str)):
        try:
            result = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError(f"not a number: {value!r}") from None
    elif isinstance(value, float):
        # Only reachable when a caller parsed JSON without parse_float=Decimal; repr round-trips.
        result = Decimal(repr(value))
    else:
        raise ValueError(f"not a number: {value!r}")
    if not result.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return result


def parse_datetime(value: object, *, default_tz: timezone = timezone.utc) -> datetime:
    """Parse an ISO-8601 datetime into an aware datetime (naive values are taken as ``default_tz``).

    Raises:
        ValueError: The value is not a datetime.
    """
    if isinstance(value, datetime):
        result = value
    elif isinstance(value, str):
        result = _parse_datetime_text(value.strip())
    else:
        raise ValueError(f"not a datetime: {value!r}")
    if result.tzinfo is None:
        result = result.replace(tzinfo=default_tz)
    return result


_FROMISOFORMAT_FIRST = sys.version_info >= (3, 11)
"""On 3.11+ ``datetime.fromisoformat`` reads every ISO 8601 form the vendors send (``Z``, offsets
without a colon, fractions of any length) about 15x faster than dateutil's ``isoparse``; 3.10's only
reads ``datetime.isoformat()`` output, so there ``isoparse`` stays first (the old order)."""


def _parse_datetime_text(text: str) -> datetime:
    if _FROMISOFORMAT_FIRST:
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            pass
    try:
        return date_parser.isoparse(text)
    except (ValueError, OverflowError):
        pass
    if not _FROMISOFORMAT_FIRST:
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            pass
    try:
        return date_parser.parse(text)
    except (ValueError, OverflowError):
        raise ValueError(f"not a datetime: {text!r}") from None


def parse_date(value: object) -> date:
    """Parse an ISO date (``2024-03-01``, or the date part of a datetime).

    Raises:
        ValueError: The value is not a date.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            pass
    raise ValueError(f"not a date: {value!r}")


def _format_datetime(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.isoformat()


def make_converter(*, strict: bool = False) -> cattrs.Converter:
    """Build a converter with the shared hooks registered.

    Args:
        strict: Forbid unknown keys (used by the test-suite to catch model drift).
    """
    conv = cattrs.Converter(forbid_extra_keys=strict)
    conv.register_structure_hook(Decimal, lambda v, _: parse_decimal(v))
    conv.register_unstructure_hook(Decimal, lambda v: v)
    conv.register_structure_hook(datetime, lambda v, _: parse_datetime(v))
    conv.register_unstructure_hook(datetime, _format_datetime)
    conv.register_structure_hook(date, lambda v, _: parse_date(v))
    conv.register_unstructure_hook(date, lambda v: v.isoformat())
    return conv


def decode_json(response: httpx.Response) -> Any:
    """Decode a response body as JSON with every number that has a fraction as a Decimal.

    Raises:
        ValueError: The body is not JSON, or nests too deeply to decode (callers turn this into an
            APIError carrying the status).
    """
    text = response.content.decode(response.encoding or "utf-8", errors="replace")
    return loads_json(text)


def loads_json(text: str | bytes) -> Any:
    """``json.loads`` with Decimal fractions; hostile nesting is a ``ValueError``, never a ``RecursionError``.

    Raises:
        ValueError: The text is not JSON or nests too deeply.
    """
    try:
        return json.loads(text, parse_float=Decimal)
    except RecursionError:
        raise ValueError("JSON nests too deeply to decode") from None


def to_jsonable(value: Any) -> Any:
    """Turn Decimals, dates and datetimes inside a structure into JSON-ready values.

    Decimals become JSON numbers with their exact digits (see :func:`dumps`), dates ISO strings.
    """
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return _format_datetime(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def dumps(value: Any) -> bytes:
    """Serialise a JSON body, writing Decimals as exact JSON numbers (never via float rounding)."""
    return _encode(value).encode("utf-8")


_LEAF_ENCODER: Final = json.JSONEncoder(ensure_ascii=False)
"""``json.dumps(value, ensure_ascii=False)`` without building an encoder per value."""
_encode_text: Final[Callable[[str], str]] = json.encoder.encode_basestring
_encode_key: Final[Callable[[str], str]] = json.encoder.encode_basestring_ascii


def _encode(value: Any) -> str:
    # exact-type fast paths first (a body is mostly dicts, lists and strings); each writes what the
    # general branches below write for the same value
    kind = type(value)
    if kind is str:
        return _encode_text(value)
    if kind is dict:
        return "{" + ",".join(_encode_key(str(k)) + ":" + _encode(v) for k, v in value.items()) + "}"
    if kind is list:
        return "[" + ",".join(_encode(v) for v in value) + "]"
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"cannot send a non-finite number: {value!r}")
        return format(value, "f")
    if isinstance(value, Mapping):
        return "{" + ",".join(json.dumps(str(k)) + ":" + _encode(v) for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_encode(v) for v in value) + "]"
    if isinstance(value, datetime):
        return json.dumps(_format_datetime(value))
    if isinstance(value, date):
        return json.dumps(value.isoformat())
    return _LEAF_ENCODER.encode(value)
