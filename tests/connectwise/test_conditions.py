"""The conditions builder: literals, escaping, and a round trip through the sandbox's parser.

Sources for string literals (see ``msplink.connectwise.conditions``): the ConnectWise Developer Guide
("PSA API Requests": ``Summary = "string"``; "Escaping": ``[`` as ``[[]``), ConnectWise's own ``_info``
hrefs (``chargeToType='Ticket'``, REFERENCE §5.1), and Transact-SQL LIKE ("Using wildcard characters as
literals": ``[%]``, ``[_]``, ``[[]``). No public source documents an escape inside a literal: ``quote()``
never writes one, it picks the delimiter the value does not contain.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from msplink.connectwise.conditions import (
    C,
    F,
    OrderBy,
    Query,
    custom_field,
    order_by_param,
    quote,
    render,
    validate,
)
from msplink.errors import QueryError
from msplink.sandbox.connectwise import _conditions as sandbox_conditions
from msplink.sandbox.connectwise import _conditions as server

ANY_TEXT = st.text(
    alphabet=st.characters(codec="utf-8") | st.sampled_from(list("\"\\[]()%_' ,=AND OR")),
    max_size=60,
)


def _representable(value: str) -> bool:
    """What one literal can hold under the documented grammar (no escapes; see the module docstring)."""
    return not ('"' in value and "'" in value) and not value.endswith("\\")


LITERAL_TEXT = ANY_TEXT.filter(_representable)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Acme", '"Acme"'),
        ('say "hi"', "'say \"hi\"'"),  # was '"say \\"hi\\""': an undocumented backslash escape
        ("O'Brien", '"O\'Brien"'),
        ("back\\slash", '"back\\slash"'),  # was doubled: a backslash is an ordinary character
        (42, "42"),
        (Decimal("10.50"), "10.50"),
        (1.5, "1.5"),
        (True, "True"),
        (False, "False"),
        (None, "null"),
        (datetime(2024, 1, 1, 2, 0, tzinfo=timezone(timedelta(hours=2))), "[2024-01-01T00:00:00Z]"),
        (date(2024, 3, 1), "[2024-03-01T00:00:00Z]"),
        ([3, 2, 4], "(3, 2, 4)"),
        (("a", 'b"'), '("a", \'b"\')'),
    ],
)
def test_quote(value: object, expected: str) -> None:
    assert quote(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        datetime(2024, 1, 1),
        float("nan"),
        Decimal("Infinity"),
        [],
        object(),
        [[1]],
        b"bytes",
        "both \" and '",
        "ends with \\",
        ["ok", "\"'"],
    ],
)
def test_quote_refuses(value: object) -> None:
    with pytest.raises(QueryError):
        quote(value)


def test_builder_renders() -> None:
    since = datetime(2024, 1, 1, tzinfo=timezone.utc)
    cond = (C.board.name == "Integration") & (C.last_updated > since) | ~C.closed_flag.is_true()
    assert (
        cond.render()
        == '(board/name = "Integration" AND lastUpdated > [2024-01-01T00:00:00Z]) OR NOT (closedFlag = True)'
    )
    assert render(C.board.id.in_([3, 2, 4])) == "board/id in (3, 2, 4)"
    assert render(C.summary.not_contains("Low Priority")) == 'summary not contains "Low Priority"'
    assert render(C.name.contains("50%_off[1]")) == 'name contains "50[%][_]off[[]1]"'
    assert render(C.name.starts_with("Ac")) == 'name like "Ac%"'
    assert render(F("_info/dateEntered").is_not_null()) == "_info/dateEntered != null"
    assert render(custom_field("Outage ID") == 42) == 'caption = "Outage ID" AND value = 42'
    assert render(None) is None
    assert render('board/id = 3 and summary="x"') == 'board/id = 3 and summary="x"'


def test_order_by_and_fields() -> None:
    assert order_by_param([C.company.name.asc(), "id desc"]) == "company/name asc, id desc"
    assert OrderBy("name", descending=True).render() == "name desc"
    query = Query(conditions=C.id > 5, fields=["id", "name"], order_by="name")
    assert query.params(include_info=True) == {
        "conditions": "id > 5",
        "orderBy": "name asc",
        "fields": "id,name,_info",
    }
    for bad in ["name; drop", "name asc desc", ""]:
        with pytest.raises(QueryError):
            order_by_param(bad)


@pytest.mark.parametrize("path", ["", "a b", "a//b", "1abc", "name)", 'x"', "and", "company/or"])
def test_invalid_paths(path: str) -> None:
    with pytest.raises(QueryError):
        F(path)


@pytest.mark.parametrize(
    "text",
    [
        'name = "x',
        "name = ",
        "(a = 1",
        "a = 1)",
        "a in (1,",
        "a contains 5",
        "not",
        "a = 1 and",
        "= 1",
        'a = "x" b',
    ],
)
def test_validate_rejects(text: str) -> None:
    with pytest.raises(QueryError):
        validate(text)
    with pytest.raises(server.ConditionError):
        server.parse(text)


def _literal_of(text: str) -> object:
    node = server.parse(text)
    assert isinstance(node, server.Pred)
    assert isinstance(node.value, server.Literal)
    return node.value.value


@settings(max_examples=200, deadline=None)
@given(ANY_TEXT)
def test_quote_renders_or_refuses_exactly_the_unrepresentable(value: str) -> None:
    if _representable(value):
        assert quote(value)[1:-1] == value
    else:
        with pytest.raises(QueryError):
            quote(value)


@settings(max_examples=200, deadline=None)
@given(LITERAL_TEXT)
def test_any_string_round_trips_as_one_literal(value: str) -> None:
    text = (F("name") == value).render()
    assert validate(text) == text
    node = server.parse(text)
    assert isinstance(node, server.Pred)
    assert node.path == ("name",)
    assert node.op == "="
    assert _literal_of(text) == value
    combined = ((F("name") == value) & (F("id") == 1)).render()
    parsed = server.parse(combined)
    assert isinstance(parsed, server.Bool) and parsed.op == "and"


@settings(max_examples=200, deadline=None)
@given(ANY_TEXT.filter(lambda v: not ('"' in v and "'" in v)))
def test_contains_matches_literally(value: str) -> None:
    node = server.parse(C.name.contains(value).render())
    record = {"name": f"xx{value}yy"}
    assert server.evaluate(node, record, lambda r, p: [r.get(p[0])])
    if value:
        assert not server.evaluate(node, {"name": ""}, lambda r, p: [r.get(p[0])])


@settings(max_examples=100, deadline=None)
@given(st.lists(LITERAL_TEXT, min_size=1, max_size=5))
def test_in_lists_round_trip(values: list[str]) -> None:
    node = server.parse(C.name.in_(values).render())
    assert isinstance(node, server.Pred) and isinstance(node.value, tuple)
    assert [lit.value for lit in node.value] == values


@settings(max_examples=100, deadline=None)
@given(
    st.one_of(
        st.integers(), st.decimals(allow_nan=False, allow_infinity=False, places=4), st.booleans(), st.none()
    )
)
def test_scalars_round_trip(value: object) -> None:
    parsed = _literal_of((F("x") == value).render())
    assert parsed == value or (
        isinstance(value, int) and not isinstance(value, bool) and parsed == Decimal(value)
    )


@settings(max_examples=100, deadline=None)
@given(
    st.datetimes(
        timezones=st.just(timezone.utc), min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1)
    )
)
def test_datetimes_round_trip(value: datetime) -> None:
    assert _literal_of((F("lastUpdated") > value).render()) == value.replace(microsecond=0)


# ------------------------------------------------------------- the documented reading, both sides


def test_both_delimiters_are_strings_on_the_server() -> None:
    assert _literal_of("chargeToType='Ticket'") == "Ticket"  # as in ConnectWise's own hrefs
    assert _literal_of('summary = "string"') == "string"  # as in the Developer Guide
    assert _literal_of("name = 'say \"hi\"'") == 'say "hi"'
    assert _literal_of('name = "C:\\temp\\x"') == "C:\\temp\\x"  # a backslash is a character


@pytest.mark.parametrize("text", ['name = "a\\"b"', "name = 'it\\'s'", 'name = "a\\"b" OR id = 1'])
def test_backslash_escapes_are_not_part_of_the_grammar(text: str) -> None:
    with pytest.raises(server.ConditionError):
        server.parse(text)
    with pytest.raises(QueryError):
        validate(text)


def test_a_trailing_backslash_is_an_ordinary_character_for_the_server() -> None:
    parsed = server.parse('name = "a\\" OR id = 1')
    assert isinstance(parsed, server.Bool) and parsed.op == "or"
    assert isinstance(parsed.left, server.Pred) and isinstance(parsed.left.value, server.Literal)
    assert parsed.left.value.value == "a\\"


def _backslash_escape_reading(text: str) -> list[str]:
    """Split ``text`` into tokens the way a server that *did* honour backslash escapes would."""
    tokens = re.findall(r'(?s)"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|\S', text)
    return [t for t in tokens if t[0] in "\"'"]


@settings(max_examples=200, deadline=None)
@given(LITERAL_TEXT, LITERAL_TEXT)
def test_literals_end_in_the_same_place_under_either_reading(first: str, second: str) -> None:
    """No value can leave its literal even if the server read backslashes as escapes (undocumented)."""
    text = ((F("a") == first) & (F("b") == second)).render()
    assert len(_backslash_escape_reading(text)) == 2
    parsed = server.parse(text)
    assert isinstance(parsed, server.Bool) and parsed.op == "and"
    assert isinstance(parsed.left, server.Pred) and isinstance(parsed.right, server.Pred)
    assert (parsed.left.path, parsed.right.path) == (("a",), ("b",))


def test_like_wildcards_are_bracketed_as_in_transact_sql() -> None:
    assert render(C.name.contains("5%_[x]")) == 'name contains "5[%][_][[]x]"'
    assert render(C.name.starts_with('say "a_b')) == "name like 'say \"a[_]b%'"
    node = server.parse(C.name.contains("5%_[x]").render())
    resolve = lambda record, path: [record.get(path[0])]  # noqa: E731
    assert server.evaluate(node, {"name": "a 5%_[x] b"}, resolve)
    assert not server.evaluate(node, {"name": "a 5xx[x] b"}, resolve)


@settings(max_examples=200, deadline=None)
@given(ANY_TEXT.filter(lambda v: not ('"' in v and "'" in v)), st.sampled_from(["=", "!="]))
def test_equality_is_exact_on_the_server_even_for_a_trailing_backslash(value: str, op: str) -> None:
    condition = (F("name") == value) if op == "=" else (F("name") != value)
    node = server.parse(condition.render())
    resolve = lambda record, path: [record.get(path[0])]  # noqa: E731
    assert server.evaluate(node, {"name": value}, resolve) is (op == "=")
    assert server.evaluate(node, {"name": value + "x"}, resolve) is (op == "!=")


def test_a_trailing_backslash_becomes_an_exact_like_pattern() -> None:
    assert render(F("name") == "Trail\\") == 'name like "Trail[\\]"'
    assert render(F("name") != "50%\\") == 'name not like "50[%][\\]"'
    assert render(C.name.contains("a\\")) == 'name contains "a[\\]"'
    assert render(C.name.starts_with("a\\")) == 'name like "a[\\]%"'
    assert render(F("name") == "a\\b") == 'name = "a\\b"'
    with pytest.raises(QueryError):
        F("name").in_(["ok", "Trail\\"])


_CANDIDATES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.decimals(min_value=-3, max_value=3, places=1, allow_nan=False),
    st.floats(min_value=-3, max_value=3, allow_nan=False),
    st.sampled_from(["1", "2.0", "-1", "x", "", "NaN", "1e0"]),
)


@settings(max_examples=300, deadline=None)
@given(
    candidates=st.lists(_CANDIDATES, max_size=3),
    numbers=st.lists(st.integers(-3, 3), min_size=1, max_size=5),
    negated=st.booleans(),
)
def test_a_numeric_in_list_is_one_set_look_up_equal_to_one_comparison_per_value(
    candidates: list[object], numbers: list[int], negated: bool
) -> None:
    """The sandbox's ``id in (1, 2, ...)`` answers as comparing every candidate with every value does."""
    text = "x " + ("not in" if negated else "in") + " (" + ", ".join(map(str, numbers)) + ")"
    node = sandbox_conditions.parse(text)
    assert isinstance(node, sandbox_conditions.Pred) and node.numbers is not None
    literals = node.value
    assert isinstance(literals, tuple)
    hit = any(sandbox_conditions._match_one("=", c, lit) for c in candidates for lit in literals)
    answer = sandbox_conditions.evaluate(node, {}, lambda _record, _path: list(candidates))
    assert answer is (not hit if negated else hit)
