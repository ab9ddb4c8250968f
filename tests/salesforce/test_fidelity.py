"""Client fidelity (issue 12) and the template's verbs (issue 9), sync and async.

- A child subquery's large result set carries its own ``nextRecordsUrl``, to be followed before the
  parent's (REFERENCE.md §5, "Relationship values"; Salesforce REST API Developer Guide, "Execute a
  SOQL Query": "query results for a child relationship can be paged"). The sandbox does not page child
  sets yet, so these tests answer through a MockRouter.
- Bulk 2.0 query results come page by page (``Sforce-Locator``), ingest result files row by row.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from msplink.errors import APIError, ConfigurationError, QueryError
from msplink.salesforce import AsyncSalesforceClient, SalesforceClient, soql
from msplink.salesforce.models import Account
from msplink.salesforce.soql import F
from msplink.testing import MockRouter

from .conftest import INSTANCE

API = "/services/data/v62.0"
CHILD_NEXT = f"{API}/query/01gxx0000000001-2"
PARENT_NEXT = f"{API}/query/0r8xx0000000001-2"


def contact(n: int) -> dict[str, Any]:
    return {"attributes": {"type": "Contact"}, "LastName": f"C{n}"}


def account(n: int, contacts: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "attributes": {"type": "Account"},
        "Id": f"001dM00003jU9G{n:04d}",
        "Name": f"A{n}",
        "Contacts": contacts,
    }


FIRST_PAGE = {
    "totalSize": 3,
    "done": False,
    "nextRecordsUrl": PARENT_NEXT,
    "records": [
        account(
            1,
            {
                "totalSize": 5,
                "done": False,
                "nextRecordsUrl": CHILD_NEXT,
                "records": [contact(1), contact(2)],
            },
        ),
        account(2, None),
    ],
}
CHILD_PAGE = {"totalSize": 5, "done": True, "records": [contact(3), contact(4), contact(5)]}
LAST_PAGE = {
    "totalSize": 3,
    "done": True,
    "records": [account(3, {"totalSize": 1, "done": True, "records": [contact(9)]})],
}


def child_paging_router() -> MockRouter:
    router = MockRouter()
    router.get(f"{API}/query", json=copy.deepcopy(FIRST_PAGE))
    router.get(CHILD_NEXT, json=CHILD_PAGE)
    router.get(PARENT_NEXT, json=LAST_PAGE)
    return router


def test_child_subqueries_follow_their_own_next_records_url(mocked):
    router = child_paging_router()
    query = soql.select("Id", "Name", soql.select("LastName").from_("Contacts")).from_("Account")
    rows = mocked(router).query(query).to_list()
    assert [r["Name"] for r in rows] == ["A1", "A2", "A3"]
    first = rows[0]["Contacts"]
    assert [c["LastName"] for c in first["records"]] == ["C1", "C2", "C3", "C4", "C5"]  # before: C1, C2
    assert first["done"] is True and "nextRecordsUrl" not in first
    assert rows[1]["Contacts"] is None
    assert [r.url.path for r in router.calls] == [f"{API}/query", CHILD_NEXT, PARENT_NEXT]


def test_typed_records_carry_every_child_and_limit_stops_after_the_assembled_page(mocked):
    router = child_paging_router()
    accounts = (
        mocked(router)
        .accounts.list(fields=["Id", "Name", soql.select("LastName").from_("Contacts")], limit=2)
        .to_list()
    )
    assert all(isinstance(a, Account) for a in accounts)
    assert len(accounts[0]["Contacts"]["records"]) == 5
    assert [r.url.path for r in router.calls] == [f"{API}/query", CHILD_NEXT]  # page 2 never read


def test_pages_waiting_for_children_carry_no_items(mocked):
    router = child_paging_router()
    pages = list(mocked(router).query("SELECT Id, (SELECT LastName FROM Contacts) FROM Account").pages())
    assert [len(p.items) for p in pages] == [0, 2, 1]
    assert [p.next_cursor for p in pages] == [None, PARENT_NEXT, None]


def test_grandchild_sets_are_completed_too(mocked):
    router = MockRouter()
    grand_next = f"{API}/query/01gxx0000000002-1"
    nested = {
        "attributes": {"type": "Contact"},
        "LastName": "C1",
        "Cases": {
            "totalSize": 2,
            "done": False,
            "nextRecordsUrl": grand_next,
            "records": [{"Subject": "S1"}],
        },
    }
    router.get(
        f"{API}/query",
        json={
            "totalSize": 1,
            "done": True,
            "records": [account(1, {"totalSize": 1, "done": True, "records": [nested]})],
        },
    )
    router.get(grand_next, json={"totalSize": 2, "done": True, "records": [{"Subject": "S2"}]})
    [row] = mocked(router).query("SELECT Id, (SELECT LastName FROM Contacts) FROM Account").to_list()
    assert [c["Subject"] for c in row["Contacts"]["records"][0]["Cases"]["records"]] == ["S1", "S2"]


@pytest.mark.parametrize(
    ("child", "code"),
    [
        ({"totalSize": 5, "done": False, "records": []}, "malformed_response"),
        (
            {
                "totalSize": 5,
                "done": False,
                "nextRecordsUrl": "https://evil.example/services/data/x",
                "records": [],
            },
            "foreign_url",
        ),
        (
            {"totalSize": 5, "done": False, "nextRecordsUrl": "@evil.example/x", "records": []},
            "invalid_cursor",
        ),
    ],
)
def test_broken_child_cursors_are_typed_errors(mocked, child, code):
    router = MockRouter()
    router.get(f"{API}/query", json={"totalSize": 1, "done": True, "records": [account(1, child)]})
    with pytest.raises(APIError) as info:
        mocked(router).query("SELECT Id, (SELECT LastName FROM Contacts) FROM Account").to_list()
    assert info.value.codes == (code,)
    assert len(router.calls) == 1


# ------------------------------------------------------------------------------ Bulk query paging


def test_bulk_query_results_are_read_page_by_page(client, sandbox):
    paginator = client.bulk.query("SELECT Id, Name FROM Contact", page_size=7)
    sandbox.clear_log()
    pages = iter(paginator.pages()) if isinstance(paginator.pages(), list) else paginator.pages()
    first = next(pages)
    assert len(first.items) == 7 and first.next_cursor == "7"
    if isinstance(client, SalesforceClient):  # lazily: one results request for one page
        assert sandbox.count("GET", r"/jobs/query/[^/]+/results") == 1
    assert sum(len(p.items) for p in pages) == 13


def test_a_failed_query_job_is_a_typed_error(mocked):
    router = MockRouter()
    job = "750dM00000QUERYJOBAA"
    router.post(f"{API}/jobs/query", json={"id": job, "state": "UploadComplete"})
    router.get(
        f"{API}/jobs/query/{job}", json={"id": job, "state": "Failed", "errorMessage": "INVALID_FIELD"}
    )
    with pytest.raises(APIError) as info:
        mocked(router).bulk.query("SELECT Nope FROM Account")
    assert info.value.codes == ("JOB_FAILED",) and "INVALID_FIELD" in str(info.value)
    assert len(router.calls) == 2


# ------------------------------------------------------------------------------ the template's verbs


def test_list_where_order_by_fields_page_size(client, sandbox):
    for i in range(450):
        sandbox._insert_raw("Account", {"Name": f"Verb {i:03d}"})
    sandbox.clear_log()
    rows = client.accounts.list(
        where=F("Name").startswith("Verb "), order_by=F("Name").desc(), fields=["Id", "Name"], page_size=200
    ).to_list()
    assert [r.name for r in rows[:2]] == ["Verb 449", "Verb 448"] and len(rows) == 450
    assert sandbox.count("GET", r"/query") == 3
    assert client.accounts.count(where=F("Name").startswith("Verb ")) == 450
    assert client.accounts.count(where="Name LIKE 'Verb 00%'") == 10


@pytest.mark.parametrize(
    "where", ["Name = 'x' LIMIT 1", "Name = 'x", "Name = 'x' ORDER BY Id", "(Name = 'x'", "  "]
)
def test_a_string_where_is_checked_before_any_io(client, sandbox, where):
    sandbox.clear_log()
    with pytest.raises(QueryError):
        client.accounts.list(where=where).to_list()
    with pytest.raises(QueryError):
        client.accounts.count(where=where)
    assert sandbox.requests == []


def test_a_string_where_may_hold_a_semi_join(mocked):
    router = MockRouter()
    route = router.get(f"{API}/query", json={"totalSize": 4, "done": True, "records": []})
    where = "Id IN (SELECT AccountId FROM Contact WHERE Email LIKE '%@example.com')"
    assert mocked(router).accounts.count(where=where) == 4
    assert route.calls[0].url.params["q"] == f"SELECT COUNT() FROM Account WHERE {where}"


def test_resource_query_runs_a_statement_as_typed_records(client, sandbox):
    rows = client.opportunities.query(
        "SELECT Id, Name, StageName FROM Opportunity WHERE StageName = 'Closed Won'"
    ).to_list()
    assert rows and all(r.is_won is None and r.stage_name == "Closed Won" for r in rows)
    with pytest.raises(QueryError, match="queries Opportunity, not Account"):
        client.opportunities.query(soql.select("Id").from_("Account"))
    deleted = client.accounts.create({"Name": "Gone"})
    client.accounts.delete(deleted.id)
    assert (
        client.accounts.query("SELECT Id FROM Account WHERE Name = 'Gone'", include_deleted=True)
        .to_list()[0]
        .id
        == deleted.id
    )
    assert client.query("SELECT Id FROM Account WHERE Name = 'Gone'").to_list() == []


def test_page_size_is_batch_size_between_200_and_2000(client, sandbox):
    sandbox.clear_log()
    for bad in (199, 2001, True):
        with pytest.raises(ConfigurationError):
            client.accounts.list(page_size=bad).to_list()
    assert sandbox.requests == []


def test_api_calls_counts_every_request_but_token_requests(client, sandbox):
    sandbox.clear_log()
    client.accounts.count()
    client.accounts.list(limit=3).to_list()
    assert client.api_calls.total == 2
    assert sandbox.count("POST", r"/oauth2/token") == 1  # minted once, not counted as an API call
    assert client.with_options(timeout=5).api_calls is client.api_calls


@pytest.mark.parametrize("cls", [SalesforceClient, AsyncSalesforceClient])
def test_from_env_reads_the_given_mapping(cls):
    env = {
        "MSPLINK_SF_ACCESS_TOKEN": "00D!tok",
        "MSPLINK_SF_INSTANCE_URL": INSTANCE,
        "MSPLINK_SF_API_VERSION": "63.0",
    }
    client = cls.from_env(env, timeout=3)
    assert client.api_version == "63.0" and client.auth.instance_url == INSTANCE
    with pytest.raises(ConfigurationError):
        cls.from_env({})
    with pytest.raises(ConfigurationError):
        cls.from_env(env, api_version="\uff16\uff12.0")  # full-width digits are not a version
