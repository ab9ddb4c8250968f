# mypy: disable-error-code="union-attr,index"
"""The query builder: quoting, rendering, validation, and a round trip through the sandbox's parser."""

from __future__ import annotations

import operator
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from msplink.errors import QueryError
from msplink.quickbooks import query as q
from msplink.sandbox.quickbooks._query import Literal, parse_query

SAFE_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=40)


@pytest.mark.parametrize(
    ("value", "rendered"),
    [
        ("O'Brien", "'O\\'Brien'"),
        ("back\\slash", "'back\\\\slash'"),
        ("trailing\\", "'trailing\\\\'"),
        ("50%", "'50%'"),
        (True, "true"),
        (False, "false"),
        (42, "42"),
        (Decimal("1000.50"), "1000.50"),
        (1.25, "1.25"),
        (None, "' '"),
        (date(2026, 1, 31), "'2026-01-31'"),
        (
            datetime(2026, 1, 31, 10, 20, 30, tzinfo=timezone(timedelta(hours=-8))),
            "'2026-01-31T10:20:30-08:00'",
        ),
        (["130", "131"], "('130', '131')"),
        ((True, False), "(true, false)"),
    ],
)
def test_quote(value, rendered):
    assert q.quote(value) == rendered


@pytest.mark.parametrize(
    "value",
    [datetime(2026, 1, 1), "bell\x07", [], Decimal("NaN"), float("inf"), object(), b"bytes"],
)
def test_quote_rejects_unsafe_values(value):
    with pytest.raises(QueryError):
        q.quote(value)


def test_builder_renders_every_clause():
    stmt = (
        q.select("Invoice")
        .where(q.field("CustomerRef") == "58", q.field("Balance") > Decimal("0"))
        .where(q.field("TxnDate") >= date(2026, 1, 1), q.field("DocNumber").like("CW-%"))
        .where(q.field("Id").in_(["1", "2"]), q.field("TotalAmt") <= 10, q.field("TotalAmt") < 11)
        .order_by("TxnDate", desc=True)
        .order_by("Id")
        .page(1001, 1000)
    )
    assert str(stmt) == (
        "SELECT * FROM Invoice WHERE CustomerRef = '58' AND Balance > 0 AND TxnDate >= '2026-01-01' "
        "AND DocNumber LIKE 'CW-%' AND Id IN ('1', '2') AND TotalAmt <= 10 AND TotalAmt < 11 "
        "ORDERBY TxnDate DESC, Id STARTPOSITION 1001 MAXRESULTS 1000"
    )
    assert str(q.count("Customer").where(q.field("Active") == True)) == (  # noqa: E712
        "SELECT COUNT(*) FROM Customer WHERE Active = true"
    )
    assert str(q.select("Customer", "Id", "DisplayName")) == "SELECT Id, DisplayName FROM Customer"
    combined = (q.field("A") == 1) & (q.field("B") == 2)
    assert str(combined) == "A = 1 AND B = 2"


@pytest.mark.parametrize(
    "build",
    [
        lambda: q.select("Customer; DROP"),
        lambda: q.select("Customer", "Name--"),
        lambda: q.field("a b"),
        lambda: q.field("x') OR ('1'='1"),
        lambda: q.select("Customer").order_by("Id DESC"),
        lambda: q.select("Customer").limit(1001),
        lambda: q.select("Customer").start_position(0),
        lambda: q.select("Customer").where("Active = true"),  # type: ignore[arg-type]
        lambda: q.field("Id") == ["1"],
        lambda: q.field("Id").in_("12"),
        lambda: q.field("Id").in_([]),
    ],
)
def test_invalid_input_raises_query_error(build):
    with pytest.raises(QueryError):
        build()


@settings(max_examples=200, deadline=None)
@given(value=SAFE_TEXT)
def test_any_string_comes_back_as_the_same_single_literal(value):
    stmt = q.select("Customer").where(q.field("DisplayName") == value, q.field("Active") == True)  # noqa: E712
    parsed = parse_query(str(stmt))
    assert len(parsed.conditions) == 2
    first, second = parsed.conditions
    assert (first.field, first.op, first.value) == ("DisplayName", "=", Literal("string", value))
    assert (second.field, second.value) == ("Active", Literal("bool", True))


@settings(max_examples=200, deadline=None)
@given(values=st.lists(SAFE_TEXT, min_size=1, max_size=5), pattern=SAFE_TEXT)
def test_in_and_like_keep_each_value_in_its_literal(values, pattern):
    stmt = q.select("Item").where(q.field("Name").in_(values), q.field("Sku").like(pattern))
    parsed = parse_query(str(stmt))
    in_cond, like_cond = parsed.conditions
    assert in_cond.value == tuple(Literal("string", v) for v in values)
    assert like_cond.value == Literal("string", pattern)


@settings(max_examples=100, deadline=None)
@given(amount=st.decimals(allow_nan=False, allow_infinity=False, places=2), day=st.dates())
def test_numbers_and_dates_round_trip(amount, day):
    parsed = parse_query(
        str(q.select("Invoice").where(q.field("TotalAmt") >= amount, q.field("TxnDate") == day))
    )
    assert parsed.conditions[0].value == Literal("number", amount)
    assert parsed.conditions[1].value == Literal("string", day.isoformat())


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=30))
def test_quote_never_raises_anything_but_query_error(text):
    try:
        rendered = q.quote(text)
    except QueryError:
        assert any(ord(c) < 32 or 127 <= ord(c) < 160 for c in text)
    else:
        assert rendered.startswith("'") and rendered.endswith("'")


# ----------------------------------------------------------------- WHERE clauses written as strings

conditions = st.one_of(
    st.tuples(
        st.sampled_from([operator.eq, operator.lt, operator.gt, operator.le, operator.ge]), SAFE_TEXT
    ).map(lambda t: t[0](q.field("DisplayName"), t[1])),
    st.decimals(allow_nan=False, allow_infinity=False, places=2).map(lambda d: q.field("Balance") > d),
    st.lists(SAFE_TEXT, min_size=1, max_size=3).map(lambda v: q.field("Id").in_(v)),
    SAFE_TEXT.map(lambda v: q.field("Name").like(v)),
    st.booleans().map(lambda b: q.field("Active") == b),
)


@settings(max_examples=200, deadline=None)
@given(parts=st.lists(conditions, min_size=1, max_size=4))
def test_built_conditions_read_back_unchanged(parts):
    combined = parts[0]
    for part in parts[1:]:
        combined = combined & part
    assert q.parse_where(str(combined)) == combined
    assert len(parse_query(f"SELECT * FROM Customer WHERE {combined}").conditions) == len(parts)


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=40))
def test_parse_where_raises_only_query_error(text):
    try:
        condition = q.parse_where(text)
    except QueryError:
        return
    assert parse_query(f"SELECT * FROM Customer WHERE {condition}").conditions  # the sandbox reads it too


@pytest.mark.parametrize(
    "text",
    [
        "Active = true OR Balance > 0",
        "DisplayName = 'x'; DELETE FROM Customer",
        "DisplayName = 'x' ORDERBY Id",
        "DisplayName = 'x' STARTPOSITION 1",
        "DisplayName = 'unclosed",
        "DisplayName = 'bell\x07'",
        "DisplayName",
        "DisplayName = Balance",
        "Id IN ()",
        "Id IN ('1'",
        "Name LIKE 5",
        "Balance != 0",
        "AND Balance > 0",
        "",
    ],
)
def test_parse_where_refuses_what_is_not_a_condition_list(text):
    with pytest.raises(QueryError):
        q.parse_where(text)


def test_parse_where_normalises_spacing_and_keywords():
    text = "  Balance>'0' and Active = TRUE AND TxnDate <= current_date and Id in ( '1','2' )  "
    assert str(q.parse_where(text)) == (
        "Balance > '0' AND Active = true AND TxnDate <= CURRENT_DATE AND Id IN ('1', '2')"
    )


@pytest.mark.parametrize(
    ("term", "rendered"),
    [
        ("Name", "Name"),
        ("TxnDate desc", "TxnDate DESC"),
        ("MetaData.LastUpdatedTime ASC", "MetaData.LastUpdatedTime ASC"),
    ],
)
def test_order_terms(term, rendered):
    assert q.order_term(term) == rendered


@pytest.mark.parametrize("term", ["Name; DROP", "Name DESC, Id", "1Name", "Name DESCENDING", " Name"])
def test_bad_order_terms(term):
    with pytest.raises(QueryError):
        q.order_term(term)
