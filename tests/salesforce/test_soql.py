"""SOQL quoting and the builder; property: the sandbox parser reads back exactly one literal."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from msplink.errors import QueryError
from msplink.salesforce import soql
from msplink.salesforce.soql import F
from msplink.sandbox.salesforce._soql import Cmp, InList, Like, Logic, like_regex, parse_soql


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Bob's BBQ", r"'Bob\'s BBQ'"),
        ('a"b', r"'a\"b'"),
        ("back\\slash", r"'back\\slash'"),
        ("l1\nl2\r\t\b\f", r"'l1\nl2\r\t\b\f'"),
        (None, "null"),
        (True, "true"),
        (False, "false"),
        (42, "42"),
        (Decimal("1000.50"), "1000.50"),
        (date(2026, 3, 8), "2026-03-08"),
        (datetime(2026, 5, 6, 13, 30, 49, 123, tzinfo=timezone(timedelta(hours=2))), "2026-05-06T11:30:49Z"),
        (["a", "b'"], r"('a', 'b\'')"),
        (soql.LAST_N_DAYS(7), "LAST_N_DAYS:7"),
        (soql.TODAY, "TODAY"),
    ],
)
def test_quote(value, expected):
    assert soql.quote(value) == expected


def test_like_escaping():
    assert soql.quote("50%_off", like=True) == r"'50\%\_off'"
    assert str(F("Name").contains("50%")) == r"Name LIKE '%50\%%'"


@pytest.mark.parametrize("bad", [datetime(2026, 1, 1), float("nan"), [], object(), [[1]]])
def test_quote_rejects(bad):
    with pytest.raises(QueryError):
        soql.quote(bad)


@pytest.mark.parametrize("name", ["Name; DELETE", "1abc", "a..b", "Name'", "", "Account.Name "])
def test_identifiers_are_checked(name):
    with pytest.raises(QueryError):
        F(name)


def test_builder_renders_full_statement():
    q = (
        soql.select("Id", "Name", "Account.Name")
        .from_("Contact")
        .where((F("Email") == "x@y.com") | ~(F("Title").in_(["CEO", "CFO"])), F("CreatedDate") > soql.TODAY)
        .order_by(F("Name").desc(nulls="last"), "Id")
        .limit(10)
        .offset(5)
    )
    text = str(q)
    assert text == (
        "SELECT Id, Name, Account.Name FROM Contact WHERE (Email = 'x@y.com' OR (NOT (Title IN ('CEO', 'CFO')))) "
        "AND CreatedDate > TODAY ORDER BY Name DESC NULLS LAST, Id LIMIT 10 OFFSET 5"
    )
    parsed = parse_soql(text)
    assert parsed.fields == ("Id", "Name", "Account.Name") and parsed.limit == 10 and parsed.offset == 5
    assert isinstance(parsed.where, Logic) and parsed.where.op == "AND"


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "   ",
        "DELETE FROM Account",
        "SELECT Id FROM",
        "SELECT Id FROM Account WHERE Name = 'x",
        "SELECT Id FROM Account WHERE Name = 'a\\q'",
    ],
)
def test_validate_rejects(bad):
    with pytest.raises(QueryError):
        soql.validate(bad)


def test_offset_and_where_guards():
    with pytest.raises(QueryError):
        soql.select("Id").from_("Account").offset(2001)
    with pytest.raises(QueryError):
        soql.select("Id").from_("Account").where("Name = 'x'")  # type: ignore[arg-type]


text_values = st.text(st.characters(codec="utf-8"), max_size=40)


@settings(max_examples=200, deadline=None)
@given(text_values)
def test_any_string_is_one_literal_for_the_sandbox(value):
    statement = str(soql.select("Id").from_("Account").where(F("Name") == value))
    soql.validate(statement)
    parsed = parse_soql(statement)
    assert parsed.where == Cmp("Name", "=", value)


@settings(max_examples=200, deadline=None)
@given(st.lists(text_values, min_size=1, max_size=5))
def test_any_in_list_round_trips(values):
    parsed = parse_soql(str(soql.select("Id").from_("Account").where(F("Name").in_(values))))
    assert parsed.where == InList("Name", tuple(values), False)


@settings(max_examples=200, deadline=None)
@given(text_values, text_values, text_values)
def test_contains_matches_only_literally(needle, before, after):
    parsed = parse_soql(str(soql.select("Id").from_("Account").where(F("Name").contains(needle))))
    assert isinstance(parsed.where, Like)
    pattern = like_regex(parsed.where.raw)
    assert pattern.match(before + needle + after)
    if needle and needle.lower() not in "x" * 3:
        assert pattern.match("x" * 3) is None


@settings(max_examples=100, deadline=None)
@given(st.decimals(allow_nan=False, allow_infinity=False, places=4), st.integers(), st.dates())
def test_numbers_and_dates_round_trip(amount, count, day):
    q = (
        soql.select("Id")
        .from_("Account")
        .where(F("AnnualRevenue") == amount, F("NumberOfEmployees") == count, F("CreatedDate") > day)
    )
    where = parse_soql(str(q)).where
    assert where.nodes[0].value == amount
    assert where.nodes[1].value == count
    assert where.nodes[2].value == day


@settings(max_examples=60, deadline=None)
@given(st.text(st.characters(codec="utf-8"), min_size=1, max_size=60), text_values)
def test_end_to_end_literal_round_trip_through_the_sandbox(name, other):
    """A value written, then searched for with the builder, finds exactly its record, whatever it contains."""
    from msplink.salesforce import AccessTokenAuth, SalesforceClient
    from msplink.sandbox.salesforce import SalesforceSandbox

    sandbox = SalesforceSandbox()
    creds = sandbox.credentials()
    auth = AccessTokenAuth(access_token=creds["access_token"], instance_url=creds["instance_url"])
    with SalesforceClient(auth=auth, transport=sandbox.transport()) as client:
        mine = client.accounts.create({"Name": name}).id
        if other.lower() != name.lower() and other:
            client.accounts.create({"Name": other})
        found = client.accounts.list(where=F("Name") == name, fields=["Id", "Name"]).to_list()
        assert [(a.id, a.name) for a in found] == [(mine, name)]
        like = client.accounts.list(where=F("Name").contains(name), fields=["Id"]).to_list()
        assert mine in {a.id for a in like}
