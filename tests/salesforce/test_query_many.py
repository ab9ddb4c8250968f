"""Several SOQL statements five to a ``POST /composite`` call (``SObjects.query_many``).

REFERENCE §9: up to five of a composite's 25 subrequests may be queries, and the composite counts as
one API call. REFERENCE §5 (Salesforce help article 000386264): a ``GET /query`` URI holds at most
16,384 bytes (414 past it) while a statement may be 100,000 characters, so a long statement goes in a
composite subrequest, whose URL travels in the body.
"""

from __future__ import annotations

import asyncio
import itertools
from typing import Any
from urllib.parse import quote_plus

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from msplink.errors import APIError, BadRequestError, ConfigurationError, QueryError
from msplink.salesforce import AsyncSalesforceClient, SalesforceClient, soql
from msplink.salesforce import _queries as queries
from msplink.sandbox.salesforce import SalesforceSandbox
from tests.salesforce.conftest import make_auth


def _calls_made(sandbox: SalesforceSandbox, before: int) -> list[tuple[str, str]]:
    """The API calls since ``before`` (the token request is not one)."""
    return [(r.method, r.path.split("/v62.0")[-1]) for r in sandbox.requests[before:] if "/v62.0" in r.path]


def _seed(sandbox: SalesforceSandbox, n: int) -> list[str]:
    return [sandbox.insert("Account", {"Name": f"Q {i:05d}", "Industry": "Tech"}) for i in range(n)]


def _in(ids: list[str]) -> str:
    return f"SELECT Id, Name FROM Account WHERE {soql.F('Id').in_(ids)}"


def test_five_statements_are_one_call_and_answer_in_order(sandbox: SalesforceSandbox) -> None:
    ids = _seed(sandbox, 60)
    groups = [ids[n : n + 10] for n in range(0, 60, 10)]  # six statements: five, then one
    with SalesforceClient(auth=make_auth(sandbox), transport=sandbox.transport()) as client:
        before = len(sandbox.requests)
        answers = client.accounts.query_many([_in(g) for g in groups])
    assert _calls_made(sandbox, before) == [("POST", "/composite"), ("POST", "/composite")]
    assert [sorted(str(r.id) for r in rows) for rows in answers] == [sorted(g) for g in groups]


def test_a_statement_too_long_for_a_get_uri_is_answered_in_a_composite(sandbox: SalesforceSandbox) -> None:
    ids = _seed(sandbox, 5)
    wanted = [*ids, *(f"001SB{n:010d}AAA" for n in range(1995))]  # 2,000 ids: ~56 KB URL-encoded
    statement = _in(wanted)
    assert len(quote_plus(statement)) > 16_384 and len(statement) <= soql.MAX_LENGTH
    with SalesforceClient(auth=make_auth(sandbox), transport=sandbox.transport()) as client:
        with pytest.raises(APIError) as refused:
            client.accounts.query(statement).to_list()
        [rows] = client.accounts.query_many([statement])
    assert refused.value.status_code == 414
    assert sorted(str(r.id) for r in rows) == sorted(ids)


def test_an_answer_over_one_page_is_followed_by_next_records_url(sandbox: SalesforceSandbox) -> None:
    _seed(sandbox, 2_300)
    statements = ["SELECT Id FROM Account WHERE Industry = 'Tech'", "SELECT Id FROM Account LIMIT 3"]
    with SalesforceClient(auth=make_auth(sandbox), transport=sandbox.transport()) as client:
        before = len(sandbox.requests)
        tech, three = client.accounts.query_many(statements)
        expected = client.accounts.query(statements[0]).to_list()
    calls = _calls_made(sandbox, before)
    assert calls[0] == ("POST", "/composite") and calls[1][0] == "GET" and calls[1][1].startswith("/query/")
    assert len(calls) == 2 + 2  # the composite, one following page; then the plain query's two pages
    assert [str(r.id) for r in tech] == [str(r.id) for r in expected] and len(tech) == 2_300
    assert len(three) == 3


def test_a_refused_statement_raises_the_error_a_get_would(sandbox: SalesforceSandbox) -> None:
    good, bad = "SELECT Id FROM Account", "SELECT Id, No_Such__c FROM Account"
    with SalesforceClient(auth=make_auth(sandbox), transport=sandbox.transport()) as client:
        with pytest.raises(BadRequestError) as plain:
            client.accounts.query(bad).to_list()
        with pytest.raises(BadRequestError) as packed:
            client.accounts.query_many([good, bad])
    assert [e.code for e in packed.value.errors] == [e.code for e in plain.value.errors] == ["INVALID_FIELD"]
    assert packed.value.status_code == 400


def test_bad_input_fails_before_any_io(sandbox: SalesforceSandbox) -> None:
    with SalesforceClient(auth=make_auth(sandbox), transport=sandbox.transport()) as client:
        before = len(sandbox.requests)
        with pytest.raises(QueryError):
            client.accounts.query_many(["SELECT Id FROM Account", "SELECT Id FROM"])
        with pytest.raises(QueryError):  # names another object
            client.accounts.query_many([soql.select("Id").from_("Contact")])
        with pytest.raises(QueryError):  # longer than a statement may be
            client.accounts.query_many([_in([f"001SB{n:010d}AAA" for n in range(5_000)])])
        with pytest.raises(ConfigurationError):
            queries.queries_in_composite("v62.0", [], lambda r: r)
        with pytest.raises(ConfigurationError):
            queries.queries_in_composite("v62.0", ["SELECT Id FROM Account"] * 6, lambda r: r)
        assert client.accounts.query_many([]) == []
    assert len(sandbox.requests) == before


def test_the_sandbox_refuses_a_get_uri_and_a_statement_over_their_limits(sandbox: SalesforceSandbox) -> None:
    long_in = _in([f"001SB{n:010d}AAA" for n in range(700)])  # ~19.6 KB URL-encoded
    too_long = "SELECT Id FROM Account WHERE Name = '" + "x" * 100_000 + "'"
    sub = {
        "method": "GET",
        "url": f"/services/data/v62.0/query?q={quote_plus(too_long)}",
        "referenceId": "q0",
    }
    with SalesforceClient(auth=make_auth(sandbox), transport=sandbox.transport()) as client:
        with pytest.raises(APIError) as refused:
            client.request("GET", "query", params={"q": long_in})
        answer = client.request("POST", "composite", json={"compositeRequest": [sub]})
    assert refused.value.status_code == 414
    [result] = answer.json()["compositeResponse"]
    assert result["httpStatusCode"] == 400 and result["body"][0]["errorCode"] == "MALFORMED_QUERY"


def test_the_async_twin_answers_the_same(sandbox: SalesforceSandbox) -> None:
    ids = _seed(sandbox, 30)
    groups = [ids[n : n + 5] for n in range(0, 30, 5)]

    async def main() -> list[list[Any]]:
        async with AsyncSalesforceClient(auth=make_auth(sandbox), transport=sandbox.transport()) as client:
            return await client.accounts.query_many([_in(g) for g in groups])

    before = len(sandbox.requests)
    answers = asyncio.run(main())
    assert _calls_made(sandbox, before) == [("POST", "/composite"), ("POST", "/composite")]
    assert [sorted(str(r.id) for r in rows) for rows in answers] == [sorted(g) for g in groups]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cuts=st.lists(st.integers(0, 40), min_size=0, max_size=12))
def test_any_split_of_the_ids_answers_what_one_query_per_part_would(
    sandbox: SalesforceSandbox, cuts: list[int]
) -> None:
    """Property: however the ids are split into statements, each statement's rows are those a plain
    query of it answers, in one composite call per five statements."""
    ids = sorted(str(r["Id"]) for r in sandbox.records("Account"))[:40] or _seed(sandbox, 40)
    bounds = sorted({0, len(ids), *(min(c, len(ids)) for c in cuts)})
    groups = [ids[a:b] for a, b in itertools.pairwise(bounds) if b > a]
    with SalesforceClient(auth=make_auth(sandbox), transport=sandbox.transport()) as client:
        before = len(sandbox.requests)
        answers = client.accounts.query_many([_in(g) for g in groups])
        made = len(_calls_made(sandbox, before))
        plain = [client.accounts.query(_in(g)).to_list() for g in groups]
    assert made == -(-len(groups) // 5)
    assert [sorted(str(r.id) for r in a) for a in answers] == [sorted(str(r.id) for r in p) for p in plain]
