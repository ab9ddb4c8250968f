"""The QBO sandbox's fast page encoder writes what the framework's exact-Decimal encoder writes.

Same JSON values, Decimals with the same digits (``1237.50`` stays ``1237.50``); the only byte difference
allowed is that non-ASCII object keys are written as UTF-8 rather than ``\\u`` escapes."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from msplink.sandbox._framework import json_dumps
from msplink.sandbox.quickbooks import _wire
from msplink.sandbox.quickbooks._wire import dumps

_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.text(),
    st.dates(),
    st.datetimes(timezones=st.just(timezone.utc)),
)
_VALUES = st.recursive(
    _LEAVES,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=30,
)


@given(value=_VALUES)
@settings(max_examples=300, deadline=None)
def test_fast_encoder_equals_the_exact_encoder(value: Any) -> None:
    fast, exact = dumps(value), json_dumps(value)
    assert json.loads(fast, parse_float=str) == json.loads(exact, parse_float=str)
    if not _has_non_ascii_key(value):
        assert fast == exact


def _has_non_ascii_key(value: Any) -> bool:
    if isinstance(value, dict):
        return any(not k.isascii() or _has_non_ascii_key(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_non_ascii_key(v) for v in value)
    return False


def test_no_stored_string_can_forge_a_number() -> None:
    marked = "\x00" + _wire._NONCE + "1.5\x01" + _wire._NONCE  # what a Decimal becomes before unquoting
    for text in (marked, '"' + marked + '"', "\\u0000" + _wire._NONCE, "\x01" + _wire._NONCE):
        for page in ({"x": text}, {"x": text, "n": Decimal("2.50")}, [Decimal("1"), text, Decimal("3")]):
            assert json.loads(dumps(page), parse_float=Decimal) == page
    page = {
        "Amount": Decimal("1237.50"),
        "When": date(2026, 1, 31),
        "At": datetime(2026, 1, 31, tzinfo=timezone.utc),
    }
    assert dumps(page) == b'{"Amount":1237.50,"When":"2026-01-31","At":"2026-01-31T00:00:00+00:00"}'
