"""``msplink._core.dumps`` writes what the plain definition (``json.dumps`` per leaf, exact Decimals)
writes, for any JSON-able body: its exact-type fast paths change the cost, not the bytes."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from msplink._core import dumps
from msplink._core._converter import _format_datetime


def _reference(value: Any) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, Mapping):
        return "{" + ",".join(json.dumps(str(k)) + ":" + _reference(v) for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_reference(v) for v in value) + "]"
    if isinstance(value, datetime):
        return json.dumps(_format_datetime(value))
    if isinstance(value, date):
        return json.dumps(value.isoformat())
    return json.dumps(value, ensure_ascii=False)


LEAVES = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
    | st.decimals(allow_nan=False, allow_infinity=False)
    | st.dates()
    | st.datetimes(timezones=st.just(timezone.utc))
)
BODIES = st.recursive(
    LEAVES,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)


@given(BODIES)
def test_dumps_writes_what_the_plain_definition_writes(body: Any) -> None:
    assert dumps(body) == _reference(body).encode("utf-8")


def test_keys_are_ascii_escaped_and_values_are_not() -> None:
    assert dumps({"ключ": "знач\u2028", "n": [True, None, 2, Decimal("1.10")]}) == (
        '{"\\u043a\\u043b\\u044e\\u0447":"знач\u2028","n":[true,null,2,1.10]}'.encode()
    )
