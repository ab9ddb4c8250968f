"""Wire helpers of the QBO sandbox: fast exact JSON, request bodies read the way Intuit's server reads them.

Intuit's server deserialises a request body into its schema types (the XSD in ``_schema``) with Jackson:
an unknown key, or a value of the wrong shape, is refused with fault 2010 "Request has invalid or
unsupported property" before any business rule runs, e.g. ``Property Name:Unrecognized field "BillableSt"
... specified is unsupported or invalid`` and ``Property Name:Can not deserialize instance of
com.intuit.schema.finance.v3.LineDetailTypeEnum out of START_OBJECT token ...`` (python-quickbooks#38, real
answers quoted by its users; intuit/QuickBooks-V3-DotNET-SDK#376). Scalars are coerced as Jackson does by
default (``"12.5"`` for a decimal, ``12`` for a string, ``"true"`` for a boolean), ``null`` means absent, and
an empty string for a date means "unset" (issue 12: ``TxnDate: ""`` must not fail).
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from msplink.sandbox._framework import InvalidBody, SandboxRequest, SandboxResponse, json_dumps
from msplink.sandbox.quickbooks._faults import Fault
from msplink.sandbox.quickbooks._schema import TYPES

__all__ = ["MAX_AMOUNT", "check_body", "dumps", "json_response", "read_json"]

MAX_AMOUNT = Decimal("1e15")
"""Amounts at or beyond this magnitude are refused (QBO stores money with 15 significant digits or fewer;
the exact bound is not published, so the sandbox refuses rather than mis-rounds)."""

_NONCE = secrets.token_hex(8)
_OPEN = "\x00" + _NONCE
_CLOSE = "\x01" + _NONCE
_OPEN_QUOTED = '"\\u0000' + _NONCE
_CLOSE_QUOTED = "\\u0001" + _NONCE + '"'
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_JAVA = "com.intuit.schema.finance.v3."


def dumps(data: Any) -> bytes:
    """JSON with Decimals written as exact numbers, through the C encoder.

    Decimals are rendered as strings between per-process random markers that start with control
    characters (JSON escapes them as ``\\u0000`` / ``\\u0001``); two plain replacements then drop the
    markers and their quotes. Should a stored string contain a marker (the counts disagree), the page is
    written by the framework's exact encoder instead, so no string can ever become a number.
    """
    decimals = 0

    def default(value: Any) -> Any:
        nonlocal decimals
        if isinstance(value, Decimal):
            decimals += 1
            return f"{_OPEN}{value:f}{_CLOSE}"
        if isinstance(value, (datetime, date)):
            return value.isoformat()
        raise TypeError(f"not JSON serialisable: {type(value).__name__}")

    text = json.JSONEncoder(
        ensure_ascii=False, default=default, separators=(",", ":"), check_circular=False
    ).encode(data)
    if decimals:
        if text.count(_OPEN_QUOTED) != decimals or text.count(_CLOSE_QUOTED) != decimals:
            return json_dumps(data)
        text = text.replace(_OPEN_QUOTED, "").replace(_CLOSE_QUOTED, "")
    return text.encode("utf-8")


def json_response(status: int, data: Any, headers: Mapping[str, str] | None = None) -> SandboxResponse:
    """A JSON response encoded with :func:`dumps`."""
    merged = {"Content-Type": "application/json; charset=utf-8", **(headers or {})}
    return SandboxResponse(status=status, headers=tuple(merged.items()), body=dumps(data))


def read_json(request: SandboxRequest) -> Any:
    """The body as JSON (fractions as Decimal); anything unreadable is fault 2010, never an error 500."""
    try:
        text = request.text()
        return json.loads(text, parse_float=Decimal)
    except (InvalidBody, ValueError, RecursionError) as exc:
        raise _invalid("failed to parse json object; a property specified is unsupported or invalid") from exc


def _invalid(detail: str, element: str = "") -> Fault:
    return Fault(
        "2010", "Request has invalid or unsupported property", f"Property Name:{detail}", element=element
    )


def _unrecognized(key: str, type_name: str) -> Fault:
    return _invalid(
        f'Unrecognized field "{key}" (class {_JAVA}{type_name}), not marked as ignorable '
        "specified is unsupported or invalid",
        element=key,
    )


def _cannot(target: str, token: str, element: str) -> Fault:
    return _invalid(
        f"Can not deserialize instance of {target} out of {token} token specified is unsupported or invalid",
        element=element,
    )


def _token(value: Any) -> str:
    if isinstance(value, Mapping):
        return "START_OBJECT"
    if isinstance(value, list):
        return "START_ARRAY"
    if isinstance(value, bool):
        return "VALUE_TRUE" if value else "VALUE_FALSE"
    if isinstance(value, (int, Decimal)):
        return "VALUE_NUMBER"
    return "VALUE_STRING"


def _scalar(kind: str, value: Any, element: str) -> Any:
    """One scalar read as Jackson reads it (``_MISSING`` for an empty date)."""
    if isinstance(value, (Mapping, list)):
        raise _cannot("java.lang." + kind, _token(value), element)
    if kind in {"string", "any"}:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, Decimal):
            return format(value, "f")
        return str(value)
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in {"true", "false"}:
            return value.strip().lower() == "true"
        raise _invalid(f"Can not construct instance of boolean from value {value!r}", element)
    if kind in {"decimal", "int"}:
        if isinstance(value, bool):
            raise _cannot("java.math.BigDecimal", _token(value), element)
        try:
            number = Decimal(value.strip()) if isinstance(value, str) else Decimal(value)
        except (InvalidOperation, ValueError, TypeError):
            raise _invalid(
                f"Can not construct instance of java.math.BigDecimal from {value!r}", element
            ) from None
        if not number.is_finite() or abs(number) >= MAX_AMOUNT:
            raise _invalid(f"Numeric value {value!r} out of range", element)
        if kind == "int":
            return int(number)  # Jackson's default ACCEPT_FLOAT_AS_INT truncates
        return number
    if kind in {"date", "dateTime"}:
        if not isinstance(value, str):
            raise _cannot("java.util.Date", _token(value), element)
        text = value.strip()
        if not text:
            return _MISSING
        if not _valid_date(kind, text):
            raise _invalid(
                f"Can not construct instance of java.util.Date from String value '{text}'", element
            )
        return text
    return value


_MISSING = object()


def _valid_date(kind: str, text: str) -> bool:
    """``YYYY-MM-DD`` (a date may carry a time part) or an ISO date-time."""
    try:
        if kind == "date":
            if not _DATE.match(text[:10]) or (len(text) > 10 and text[10] != "T"):
                return False
            date.fromisoformat(text[:10])
        if kind == "dateTime" or len(text) > 10:
            datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def check_body(type_name: str, body: Any, element: str = "") -> dict[str, Any]:
    """Read ``body`` as an instance of the XSD type ``type_name``; a copy with coerced scalars.

    ``null`` values and empty dates are dropped (absent), unknown keys and wrong shapes raise fault 2010
    naming the element.

    Raises:
        Fault: 2010 for anything Intuit's deserialiser refuses.
    """
    if not isinstance(body, Mapping):
        raise _cannot(_JAVA + type_name, _token(body), element or type_name)
    fields = TYPES.get(type_name, {})
    out: dict[str, Any] = {}
    for key, value in body.items():
        spec = fields.get(key)
        if spec is None:
            raise _unrecognized(str(key), type_name)
        if value is None:
            continue
        kind, is_list = spec
        path = f"{element}.{key}" if element else key
        if is_list:
            if not isinstance(value, list):
                raise _cannot("java.util.ArrayList", _token(value), path)
            items = []
            for index, item in enumerate(value):
                if item is None:
                    continue
                read = _one(kind, item, f"{path}[{index}]")
                if read is not _MISSING:
                    items.append(read)
            out[key] = items
            continue
        read = _one(kind, value, path)
        if read is not _MISSING:
            out[key] = read
    return out


def _one(kind: str, value: Any, path: str) -> Any:
    if kind in TYPES:
        if kind == "IntuitAnyType":
            if not isinstance(value, Mapping):
                raise _cannot(_JAVA + kind, _token(value), path)
            return value
        return check_body(kind, value, path)
    return _scalar(kind, value, path)
