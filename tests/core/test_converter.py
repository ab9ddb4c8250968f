"""Shared parsing hooks: Decimal money, tz-aware datetimes, exact JSON numbers (property tests)."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from urllib.parse import unquote

import attrs
import cattrs
import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from msplink._core import (
    UNSET,
    Maybe,
    decode_json,
    dumps,
    is_set,
    make_converter,
    parse_date,
    parse_datetime,
    parse_decimal,
    parse_retry_after,
    path,
)

finite_decimals = st.decimals(
    allow_nan=False, allow_infinity=False, places=None, min_value=-(10**12), max_value=10**12
)


@settings(max_examples=300, deadline=None)
@given(finite_decimals)
def test_decimals_survive_dumps_and_decode_exactly(value: Decimal) -> None:
    body = dumps({"Amount": value, "Lines": [value]})
    decoded = decode_json(httpx.Response(200, content=body))
    assert decoded["Amount"] == value
    assert isinstance(decoded["Amount"], (Decimal, int))
    assert decoded["Lines"][0] == value


@settings(max_examples=200, deadline=None)
@given(st.one_of(finite_decimals, st.integers(), st.text()))
def test_parse_decimal_returns_a_finite_decimal_or_value_error(value: object) -> None:
    try:
        result = parse_decimal(value)
    except ValueError:
        return
    assert isinstance(result, Decimal) and result.is_finite()


@pytest.mark.parametrize("value", [True, None, [], "NaN", "Infinity", "abc", float("nan")])
def test_parse_decimal_refuses_non_numbers(value: object) -> None:
    with pytest.raises(ValueError):
        parse_decimal(value)


def test_money_is_never_float_rounded() -> None:
    assert parse_decimal("0.10") + parse_decimal("0.20") == Decimal("0.30")
    assert parse_decimal(0.1) == Decimal("0.1")
    assert dumps({"x": Decimal("1234567890.123456789")}) == b'{"x":1234567890.123456789}'


@settings(max_examples=200, deadline=None)
@given(st.datetimes(timezones=st.one_of(st.none(), st.timezones())))
def test_parsed_datetimes_are_always_aware(value: datetime) -> None:
    parsed = parse_datetime(value.isoformat())
    assert parsed.tzinfo is not None
    if value.tzinfo is not None and value.utcoffset() is not None:
        # Same wall time and offset; compared as text because zoneinfo datetimes inside a DST gap
        # compare by wall time against their own zone but by instant against a fixed offset.
        assert parsed.isoformat() == value.isoformat()
        assert parsed.utcoffset() == value.utcoffset()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-01T10:00:00Z", datetime(2024, 3, 1, 10, tzinfo=timezone.utc)),
        ("2024-03-01T10:00:00-07:00", datetime(2024, 3, 1, 17, tzinfo=timezone.utc)),
        ("2024-03-01T10:00:00.000+0000", datetime(2024, 3, 1, 10, tzinfo=timezone.utc)),
        ("2024-03-01T10:00:00", datetime(2024, 3, 1, 10, tzinfo=timezone.utc)),
    ],
)
def test_vendor_datetime_shapes(text: str, expected: datetime) -> None:
    assert parse_datetime(text) == expected


def test_dates() -> None:
    assert parse_date("2024-03-01") == date(2024, 3, 1)
    assert parse_date("2024-03-01T00:00:00Z") == date(2024, 3, 1)
    with pytest.raises(ValueError):
        parse_date("March")


@attrs.frozen(kw_only=True)
class _Line:
    amount: Decimal
    when: datetime
    on: date | None = None


def test_converter_hooks() -> None:
    conv = make_converter()
    line = conv.structure(
        {"amount": "10.50", "when": "2024-01-01T00:00:00Z", "on": "2024-01-02", "x": 1}, _Line
    )
    assert line == _Line(
        amount=Decimal("10.50"), when=datetime(2024, 1, 1, tzinfo=timezone.utc), on=date(2024, 1, 2)
    )
    assert conv.unstructure(line) == {
        "amount": Decimal("10.50"),
        "when": "2024-01-01T00:00:00+00:00",
        "on": "2024-01-02",
    }
    with pytest.raises(cattrs.ClassValidationError) as info:
        make_converter(strict=True).structure({"amount": "1", "when": "2024-01-01", "x": 1}, _Line)
    assert any(isinstance(e, cattrs.ForbiddenExtraKeysError) for e in info.value.exceptions)


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1).filter(lambda v: v not in {".", ".."}))
def test_path_values_stay_one_segment(value: str) -> None:
    built = path("/company/companies/{id}/sites", id=value)
    segments = built.split("/")
    assert len(segments) == 5
    assert unquote(segments[3]) == value


def test_unset_sentinel() -> None:
    field: Maybe[str] = UNSET
    assert field is UNSET and not is_set(field) and repr(field) == "UNSET" and not field
    assert is_set(None) and is_set("")


@pytest.mark.parametrize(
    ("header", "expected"),
    [("5", 5.0), ("0.5", 0.5), ("", None), (None, None), ("soon", None), ("-3", None)],
)
def test_retry_after_seconds(header: str | None, expected: float | None) -> None:
    assert parse_retry_after(header) == expected


def test_retry_after_http_date() -> None:
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=timezone.utc)
    later = (now + timedelta(seconds=30)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert parse_retry_after(later, now=lambda: now) == 30.0
    assert json.loads(dumps({"d": date(2024, 1, 2)})) == {"d": "2024-01-02"}
