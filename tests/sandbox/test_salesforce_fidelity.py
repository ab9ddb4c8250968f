"""The Salesforce sandbox answers as a real org does (issue 12): polymorphic relationships, aggregate
queries, child sets that page themselves, describe-driven query checks.

Each test names the real behaviour it pins: REFERENCE.md (``shared/apis/salesforce``), its samples and
describes, or Salesforce's own documentation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from msplink.salesforce import AccessTokenAuth, SalesforceClient
from msplink.sandbox.salesforce import SalesforceSandbox
from msplink.testing import FakeClock

V = "/services/data/v62.0"
SAMPLE_OWNER: dict[str, Any] = {
    "attributes": {"type": "Name", "url": "/services/data/v60.0/sobjects/User/005Dn000006yWySIAU"},
    "Name": "Mock Test",
}
"""``records[0].Owner`` of ``shared/apis/salesforce/samples/query-leads-owner-relationship.json``."""


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sandbox(clock: FakeClock) -> SalesforceSandbox:
    sb = SalesforceSandbox(clock=clock, wall_clock=clock.now)
    sb.seed(size=10, seed=1)
    return sb


@pytest.fixture
def api(sandbox: SalesforceSandbox) -> Iterator[httpx.Client]:
    token = sandbox.credentials()["access_token"]
    with httpx.Client(
        transport=sandbox.transport(),
        base_url="https://whatever.example",
        headers={"Authorization": f"Bearer {token}"},
    ) as http:
        yield http


def query(api: httpx.Client, statement: str, **headers: str) -> Any:
    response = api.get(f"{V}/query", params={"q": statement}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def refused(api: httpx.Client, statement: str) -> tuple[str, str]:
    response = api.get(f"{V}/query", params={"q": statement})
    assert response.status_code == 400, response.text
    body = response.json()[0]
    return body["errorCode"], body["message"]


# ------------------------------------------------------------------------------ polymorphic owners


def test_a_polymorphic_owner_answers_as_the_name_object_with_its_type(
    api: httpx.Client, sandbox: SalesforceSandbox
) -> None:
    """Lead.Owner is a User or a queue; its record says ``"type": "Name"`` and ``Owner.Type`` tells which
    (REFERENCE.md §5 and §15, ``samples/query-leads-owner-relationship.json``)."""
    body = query(api, "SELECT Id, OwnerId, Owner.Name, Owner.Type FROM Lead ORDER BY Id")
    kinds = Counter(r["Owner"]["Type"] for r in body["records"])
    assert kinds == {"User": 9, "Queue": 1}  # seed: every seventh lead is routed to a queue
    for record in body["records"]:
        owner = record["Owner"]
        assert owner["attributes"]["type"] == SAMPLE_OWNER["attributes"]["type"] == "Name"
        assert set(owner) == {*SAMPLE_OWNER, "Type"}
        target = "Group" if owner["Type"] == "Queue" else "User"
        assert owner["attributes"]["url"] == f"{V}/sobjects/{target}/{record['OwnerId']}"
    queued = query(api, "SELECT Id, Owner.Name FROM Lead WHERE Owner.Type = 'Queue'")["records"]
    assert [r["Owner"]["Name"] for r in queued] == ["Sales Queue"]
    # A single-target lookup keeps its object's type (Account.Owner is a User only).
    account = query(api, "SELECT Owner.Name FROM Account LIMIT 1")["records"][0]
    assert account["Owner"]["attributes"]["type"] == "User"
    # Task.Who / Task.What are polymorphic too.
    task = query(api, "SELECT Who.Type, What.Type, What.Name FROM Task LIMIT 1")["records"][0]
    assert task["Who"]["attributes"]["type"] == "Name" and task["Who"]["Type"] == "Contact"
    assert task["What"]["Type"] == "Account" and task["What"]["Name"]


def test_queues_own_leads_and_cases_but_not_accounts(api: httpx.Client, sandbox: SalesforceSandbox) -> None:
    """OwnerId of Lead/Case/Task references Group and User, of Account only User
    (``describe/Task.describe.v60.json``, ``describe/Account.describe.v58.json``); only a queue can own."""
    queue = query(api, "SELECT Id FROM Group WHERE Type = 'Queue' AND Name = 'Support Queue'")["records"][0][
        "Id"
    ]
    assert queue.startswith("00G")
    regular = sandbox.insert("Group", {"Name": "Everyone", "Type": "Regular"})
    lead = api.post(f"{V}/sobjects/Lead", json={"LastName": "Q", "Company": "Q Co", "OwnerId": queue})
    assert lead.status_code == 201
    row = query(api, f"SELECT Owner.Type, Owner.Name FROM Lead WHERE Id = '{lead.json()['id']}'")["records"][
        0
    ]
    assert row["Owner"]["Type"] == "Queue" and row["Owner"]["Name"] == "Support Queue"
    for sobject, body in (
        ("Lead", {"LastName": "R", "Company": "R Co", "OwnerId": regular}),
        ("Account", {"Name": "Queued account", "OwnerId": queue}),
    ):
        answer = api.post(f"{V}/sobjects/{sobject}", json=body)
        assert answer.status_code == 400
        assert answer.json()[0]["errorCode"] == "INVALID_CROSS_REFERENCE_KEY"
    owner = next(f for f in api.get(f"{V}/sobjects/Case/describe").json()["fields"] if f["name"] == "OwnerId")
    assert owner["referenceTo"] == ["Group", "User"] and owner["polymorphicForeignKey"] is True
    # The Name object has no relationships of its own.
    assert refused(api, "SELECT Owner.Profile.Name FROM Lead")[0] == "INVALID_FIELD"
    assert refused(api, "SELECT Owner.Nickname__c FROM Lead")[0] == "INVALID_FIELD"


# ------------------------------------------------------------------------------------ aggregates


def _opportunities(sandbox: SalesforceSandbox) -> list[dict[str, Any]]:
    return sandbox.records("Opportunity")


def test_aggregate_functions_group_by_and_aliases(api: httpx.Client, sandbox: SalesforceSandbox) -> None:
    """``AggregateResult`` records without ``url``; unaliased aggregates are ``expr0``, ``expr1`` ...
    numbered over the aggregates without an alias (``samples/query-aggregate-result.restforce.json``;
    Salesforce SOQL reference, "Use Aliases with GROUP BY")."""
    opps = _opportunities(sandbox)
    total = query(api, "SELECT COUNT(Id) FROM Opportunity")
    assert total == {
        "totalSize": 1,
        "done": True,
        "records": [{"attributes": {"type": "AggregateResult"}, "expr0": len(opps)}],
    }
    named = query(api, "SELECT MAX(Amount), MIN(Amount) mn, SUM(Amount) FROM Opportunity")["records"][0]
    amounts = [o["Amount"] for o in opps]
    assert named == {
        "attributes": {"type": "AggregateResult"},
        "expr0": max(amounts),
        "mn": min(amounts),
        "expr1": sum(amounts),
    }
    body = query(
        api,
        "SELECT StageName, COUNT(Id) n, SUM(Amount) total, AVG(Amount), MIN(CloseDate), "
        "COUNT_DISTINCT(AccountId) FROM Opportunity GROUP BY StageName ORDER BY StageName",
    )
    stages = sorted({o["StageName"] for o in opps})
    assert body["totalSize"] == len(stages) and body["done"] is True
    for stage, record in zip(stages, body["records"], strict=True):
        rows = [o for o in opps if o["StageName"] == stage]
        assert record == {
            "attributes": {"type": "AggregateResult"},
            "StageName": stage,
            "n": len(rows),
            "total": sum(r["Amount"] for r in rows),
            "expr0": sum(r["Amount"] for r in rows) / len(rows),
            "expr1": min(r["CloseDate"] for r in rows).isoformat(),
            "expr2": len({r["AccountId"] for r in rows}),
        }


def test_having_ordering_nulls_and_limits_of_groups(api: httpx.Client, sandbox: SalesforceSandbox) -> None:
    """HAVING filters groups; nulls form their own group (the sample's ``"CampaignId": null``);
    aggregates ignore nulls except ``COUNT(Id)`` (Salesforce, "Aggregate Functions")."""
    for body in ({"Name": "No industry A"}, {"Name": "No industry B", "AnnualRevenue": 5}):
        assert api.post(f"{V}/sobjects/Account", json=body).status_code == 201
    accounts = sandbox.records("Account")
    by_industry = Counter(a["Industry"] for a in accounts)
    body = query(
        api,
        "SELECT Industry, COUNT(Id), COUNT(AnnualRevenue) withRevenue FROM Account "
        "GROUP BY Industry HAVING COUNT(Id) > 1 ORDER BY COUNT(Id) DESC, Industry NULLS FIRST",
    )
    expected = sorted(
        ((industry, n) for industry, n in by_industry.items() if n > 1),
        key=lambda pair: (-pair[1], pair[0] is not None, pair[0] or ""),
    )
    assert [(r["Industry"], r["expr0"]) for r in body["records"]] == expected
    nulls = next(r for r in body["records"] if r["Industry"] is None)
    assert nulls["expr0"] == 2 and nulls["withRevenue"] == 1
    top = query(api, "SELECT Industry i FROM Account GROUP BY Industry ORDER BY Industry LIMIT 2 OFFSET 1")
    names = sorted((k for k in by_industry if k is not None), key=str.lower)
    assert [r["i"] for r in top["records"]] == [None, *names][1:3]
    picklist = query(api, "SELECT MAX(Rating) FROM Account")  # no rating anywhere: null, not an error
    assert picklist["records"][0]["expr0"] is None
    count = query(api, "SELECT COUNT() FROM Account GROUP BY Industry")
    assert count == {"totalSize": len(by_industry), "done": True, "records": []}


def test_aggregate_queries_are_checked_like_the_real_parser(api: httpx.Client) -> None:
    """Grouped/aggregated select lists, groupable and numeric fields (describe ``groupable``,
    ``aggregatable``: ``describe/Account.describe.v58.json``), aggregates only in HAVING."""
    assert refused(api, "SELECT Name, COUNT(Id) FROM Account GROUP BY Industry") == (
        "MALFORMED_QUERY",
        "Field must be grouped or aggregated: Name",
    )
    assert refused(api, "SELECT SUM(Name) FROM Account")[0] == "MALFORMED_QUERY"
    assert refused(api, "SELECT MAX(IsDeleted) FROM Account")[0] == "MALFORMED_QUERY"
    assert refused(api, "SELECT AnnualRevenue FROM Account GROUP BY AnnualRevenue") == (
        "MALFORMED_QUERY",
        "field 'AnnualRevenue' can not be grouped in a query call",
    )
    assert refused(api, "SELECT Name n FROM Account")[0] == "MALFORMED_QUERY"
    assert refused(api, "SELECT Industry FROM Account WHERE COUNT(Id) > 1 GROUP BY Industry")[0] == (
        "MALFORMED_QUERY"
    )
    assert refused(api, "SELECT Industry FROM Account GROUP BY Industry HAVING Name = 'x'")[0] == (
        "MALFORMED_QUERY"
    )
    assert refused(api, "SELECT Id, (SELECT Id FROM Contacts) FROM Account GROUP BY Id")[0] == (
        "MALFORMED_QUERY"
    )
    assert refused(api, "SELECT Id FROM Account WHERE Description = 'x'") == (
        "INVALID_FIELD",
        "field 'Description' can not be filtered in a query call",
    )
    assert refused(api, "SELECT Id FROM Account ORDER BY Description")[0] == "INVALID_FIELD"
    bulk = api.post(
        f"{V}/jobs/query",
        json={"operation": "query", "query": "SELECT Industry, COUNT(Id) FROM Account GROUP BY Industry"},
    )
    assert bulk.status_code == 400 and bulk.json()[0]["errorCode"] == "INVALIDJOB"


def test_the_client_reads_aggregate_results(sandbox: SalesforceSandbox, clock: FakeClock) -> None:
    """The reports issue reads AggregateResult rows through ``client.query`` (one request)."""
    creds = sandbox.credentials()
    auth = AccessTokenAuth(access_token=creds["access_token"], instance_url=creds["instance_url"])
    with SalesforceClient(auth=auth, transport=sandbox.transport(), sleep=clock.sleep) as client:
        sandbox.clear_log()
        rows = client.query(
            "SELECT StageName s, SUM(Amount) total FROM Opportunity GROUP BY StageName ORDER BY SUM(Amount) DESC"
        ).to_list()
    opps = _opportunities(sandbox)
    totals = Counter[str]()
    for o in opps:
        totals[o["StageName"]] += o["Amount"]
    assert [(r["s"], r["total"]) for r in rows] == sorted(totals.items(), key=lambda kv: -kv[1])
    assert sandbox.count("GET", r"/query") == 1


# ------------------------------------------------------------------------------ child subqueries


def _account_with_contacts(sandbox: SalesforceSandbox, name: str, n: int) -> str:
    account = sandbox.insert("Account", {"Name": name})
    for i in range(n):
        sandbox.insert("Contact", {"AccountId": account, "LastName": f"{name}-{i:04d}"})
    return account


def test_a_large_child_set_pages_itself(api: httpx.Client, sandbox: SalesforceSandbox) -> None:
    """A child set holds its first records and a ``nextRecordsUrl`` of its own, followed before the
    parent's (REFERENCE.md §5; simple-salesforce#311 shows ``"done": false`` and ``.../query/01g...-499``
    inside a record); following pages honour ``Sforce-Query-Options: batchSize``."""
    account = _account_with_contacts(sandbox, "Big", 450)
    statement = (
        f"SELECT Id, (SELECT LastName FROM Contacts ORDER BY LastName) FROM Account WHERE Id = '{account}'"
    )
    body = query(api, statement)
    contacts = body["records"][0]["Contacts"]
    assert body["done"] is True and contacts["totalSize"] == 450 and contacts["done"] is False
    assert len(contacts["records"]) == 200
    url = contacts["nextRecordsUrl"]
    assert url.startswith(f"{V}/query/01g") and url.endswith("-200")
    names = [r["LastName"] for r in contacts["records"]]
    pages = []
    while url:
        page = api.get(url, headers={"Sforce-Query-Options": "batchSize=200"}).json()
        pages.append(len(page["records"]))
        names += [r["LastName"] for r in page["records"]]
        assert page["totalSize"] == 450
        url = page.get("nextRecordsUrl")
    assert pages == [200, 50]
    assert names == [f"Big-{i:04d}" for i in range(450)]
    sandbox.org.child_batch_size = 499
    assert len(query(api, statement)["records"][0]["Contacts"]["records"]) == 450


def test_child_rows_count_toward_the_batch(api: httpx.Client, sandbox: SalesforceSandbox) -> None:
    """``batchSize`` counts child rows (REFERENCE.md §5): parents with 150 children each fill a page of
    200 one by one."""
    ids = [_account_with_contacts(sandbox, f"Mid{i}", 150) for i in range(3)]
    statement = "SELECT Name, (SELECT Id FROM Contacts) FROM Account WHERE Name LIKE 'Mid%' ORDER BY Name"
    first = query(api, statement, **{"Sforce-Query-Options": "batchSize=200"})
    assert first["totalSize"] == 3 and len(first["records"]) == 1 and first["done"] is False
    assert first["records"][0]["Contacts"]["totalSize"] == 150
    following = api.get(first["nextRecordsUrl"], headers={"Sforce-Query-Options": "batchSize=2000"}).json()
    assert [r["Name"] for r in following["records"]] == ["Mid1", "Mid2"] and following["done"] is True
    assert first["records"][0]["attributes"]["url"].endswith(ids[0])


def test_the_client_follows_child_sets_before_the_parent(
    sandbox: SalesforceSandbox, clock: FakeClock
) -> None:
    """The SF client completes each child set through its ``nextRecordsUrl`` (exact request count)."""
    for i in range(2):
        _account_with_contacts(sandbox, f"Kid{i}", 450)
    creds = sandbox.credentials()
    auth = AccessTokenAuth(access_token=creds["access_token"], instance_url=creds["instance_url"])
    with SalesforceClient(auth=auth, transport=sandbox.transport(), sleep=clock.sleep) as client:
        sandbox.clear_log()
        rows = client.query(
            "SELECT Name, (SELECT LastName FROM Contacts ORDER BY LastName) FROM Account "
            "WHERE Name LIKE 'Kid%' ORDER BY Name",
            page_size=2000,
        ).to_list()
    assert [r["Name"] for r in rows] == ["Kid0", "Kid1"]
    for i, row in enumerate(rows):
        assert [c["LastName"] for c in row["Contacts"]["records"]] == [f"Kid{i}-{n:04d}" for n in range(450)]
    # Page 1 holds Kid0 (1 + 200 inline) and Kid1 (1 + 200): 402 <= 2000; each child set needs one more
    # page of 250 (batchSize 2000).
    assert sandbox.count("GET", r"/query") == 3


def test_fields_functions_expand_from_describe(api: httpx.Client) -> None:
    """``FIELDS(STANDARD)`` is unbounded, ``FIELDS(ALL)``/``FIELDS(CUSTOM)`` need ``LIMIT`` <= 200
    (REFERENCE.md §6); the expansion is the describe's field list."""
    described = [f["name"] for f in api.get(f"{V}/sobjects/Account/describe").json()["fields"]]
    custom = [f["name"] for f in api.get(f"{V}/sobjects/Account/describe").json()["fields"] if f["custom"]]
    standard = query(api, "SELECT FIELDS(STANDARD) FROM Account")
    assert standard["totalSize"] == 10
    assert list(standard["records"][0])[1:] == [n for n in described if n not in custom]
    assert list(query(api, "SELECT FIELDS(ALL) FROM Account LIMIT 200")["records"][0])[1:] == described
    assert list(query(api, "SELECT Id, FIELDS(CUSTOM) FROM Account LIMIT 1")["records"][0])[1:] == [
        "Id",
        *custom,
    ]
    assert refused(api, "SELECT FIELDS(CUSTOM) FROM Account") == (
        "MALFORMED_QUERY",
        "The SOQL FIELDS function must have a LIMIT of at most 200",
    )
    assert refused(api, "SELECT FIELDS(SOME) FROM Account")[0] == "MALFORMED_QUERY"
