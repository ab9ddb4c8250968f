"""Robustness properties: parsers never fail with anything but their typed errors."""

from __future__ import annotations

import contextlib
import json
from datetime import date

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st

from msplink.errors import QueryError
from msplink.salesforce import models, soql
from msplink.salesforce._calls import query_page_parser
from msplink.salesforce._errors import parse_errors
from msplink.sandbox.salesforce._soql import InList, SoqlError, _compare, evaluate, parse_soql

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=10,
)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(300, 599),
    st.one_of(st.binary(max_size=200), json_values.map(lambda v: json.dumps(v).encode())),
)
def test_parse_errors_never_raises(status, body):
    details = parse_errors(httpx.Response(status, content=body))
    assert isinstance(details, tuple)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_validate_raises_only_query_errors(text):
    with contextlib.suppress(QueryError):
        soql.validate(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120) | st.just("SELECT Id FROM Account WHERE ").map(lambda p: p + "Name = 'x'"))
def test_sandbox_parser_raises_only_soql_errors(text):
    with contextlib.suppress(SoqlError):
        parse_soql(text)


error_item = st.fixed_dictionaries(
    {
        "statusCode": st.sampled_from(["UNABLE_TO_LOCK_ROW", "REQUIRED_FIELD_MISSING"]),
        "message": st.text(max_size=20),
    },
    optional={"fields": st.lists(st.text(max_size=8), max_size=3)},
)


@settings(max_examples=200, deadline=None)
@given(
    st.fixed_dictionaries(
        {"success": st.booleans(), "errors": st.lists(error_item, max_size=3)},
        optional={"id": st.text(min_size=15, max_size=18), "created": st.booleans()},
    )
)
def test_save_results_parse(data):
    result = models.SaveResult.from_api(data)
    assert result.success is data["success"]
    assert result.codes == tuple(e["statusCode"] for e in data["errors"])
    assert result.created == data.get("created")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries({"Id": st.text(max_size=18), "Name": st.text(max_size=20) | st.none()}),
        max_size=5,
    ),
    st.booleans(),
    st.integers(0, 10_000),
)
def test_query_pages_parse(records, done, total):
    body = {
        "totalSize": total,
        "done": done,
        "records": [{"attributes": {"type": "Account"}, **r} for r in records],
    }
    if not done:
        body["nextRecordsUrl"] = "/services/data/v62.0/query/0r8xx5R2yF2gs3VASQ-2000"
    page = query_page_parser(models.Account.from_api)(httpx.Response(200, json=body))
    assert [a.name for a in page.items] == [r["Name"] for r in records]
    assert page.total == total
    assert page.next_cursor == (None if done else body["nextRecordsUrl"])


_IN_VALUES = st.one_of(
    st.none(),
    st.text(alphabet="aAbB1 ", max_size=3),
    st.decimals(min_value=-3, max_value=3, places=1, allow_nan=False),
    st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(
    actual=_IN_VALUES,
    values=st.lists(_IN_VALUES, min_size=1, max_size=6).map(tuple),
    negate=st.booleans(),
    ftype=st.sampled_from(["string", "double", "boolean", "id"]),
)
def test_an_in_list_is_one_set_look_up_equal_to_one_comparison_per_value(
    actual: object, values: tuple[object, ...], negate: bool, ftype: str
) -> None:
    """``X IN (...)`` of plain literals (text any case, numbers, booleans, null) answers as comparing the
    row's value with each literal in turn does."""
    node = InList("X", values, negate)
    assert node.keys is not None
    today = date(2026, 3, 3)
    hit = any(_compare(actual, "=", v, ftype, today) for v in values)
    assert evaluate(node, {}, lambda _row, _name: (actual, ftype), today) is (not hit if negate else hit)
