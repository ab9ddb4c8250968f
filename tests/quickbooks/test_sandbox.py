# mypy: disable-error-code="union-attr,index"
"""The sandbox on its own (raw httpx): wire shapes, validations, query language, limits, seeding."""

from __future__ import annotations

import json
import threading
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import httpx
import pytest

from msplink.sandbox import FaultKind
from msplink.sandbox.quickbooks import QuickBooksSandbox
from msplink.testing import FakeClock


@pytest.fixture
def raw(sandbox: QuickBooksSandbox, creds: dict[str, Any]) -> Any:
    client = httpx.Client(
        transport=sandbox.transport(),
        base_url=f"https://quickbooks.api.intuit.com/v3/company/{creds['realm_id']}",
        headers={"Authorization": f"Bearer {creds['access_token']}", "Accept": "application/json"},
    )
    yield client
    client.close()


def _fault(response: httpx.Response) -> tuple[int, str]:
    body = response.json()
    return response.status_code, body["Fault"]["Error"][0]["code"]


def test_query_over_get_and_post_with_fields(raw, sandbox):
    sandbox.seed(size=12)
    stmt = "select Id, DisplayName from customer where DisplayName like '%IT%' orderby DisplayName desc maxresults 3"
    by_get = raw.get("/query", params={"query": stmt, "minorversion": "75"}).json()
    by_post = raw.post("/query", content=stmt, headers={"Content-Type": "application/text"}).json()
    assert by_get["QueryResponse"] == by_post["QueryResponse"]
    rows = by_get["QueryResponse"].get("Customer", [])
    assert all(set(r) <= {"Id", "SyncToken", "DisplayName", "domain", "sparse"} for r in rows)
    names = [r["DisplayName"] for r in rows]
    assert names == sorted(names, key=str.casefold, reverse=True)
    assert raw.post("/query", content=stmt, headers={"Content-Type": "application/json"}).status_code == 400
    assert (
        raw.get("/query", params={"query": "SELECT * FROM Customer WHERE Id = 'x' OR Id = 'y'"}).json()[
            "Fault"
        ]["Error"][0]["code"]
        == "4001"
    )
    assert _fault(raw.get("/query", params={"query": "SELECT * FROM Custmoer"})) == (400, "4001")
    assert _fault(
        raw.get("/query", params={"query": "SELECT * FROM Customer WHERE DisplayName = 'O'Brien'"})
    ) == (400, "4000")
    empty = raw.get("/query", params={"query": "SELECT * FROM Customer WHERE DisplayName = 'nobody'"}).json()
    assert empty["QueryResponse"] == {}
    count = raw.get("/query", params={"query": "SELECT COUNT(*) FROM Invoice"}).json()
    assert count["QueryResponse"] == {"totalCount": 12}


def test_query_semantics(raw, sandbox):
    for name, active in (("Alpha", True), ("beta", True), ("Gamma", False)):
        created = sandbox.add_entity("Customer", {"DisplayName": name})
        if not active:
            sandbox.company.data["Customer"][created["Id"]]["Active"] = False

    def names(where: str) -> list[str]:
        body = raw.get("/query", params={"query": f"SELECT * FROM Customer {where}"}).json()
        return [c["DisplayName"] for c in body["QueryResponse"].get("Customer", [])]

    assert names("") == ["Alpha", "beta"]  # inactive list entities are hidden by default
    assert names("WHERE Active IN (true, false) ORDERBY DisplayName") == ["Alpha", "beta", "Gamma"]
    assert names("WHERE DisplayName = 'ALPHA'") == ["Alpha"]  # case-insensitive comparison
    assert names("WHERE DisplayName LIKE 'b%'") == ["beta"]
    assert names("WHERE Id IN ('1', '3') AND Active IN (true, false)") == ["Alpha", "Gamma"]
    assert names("WHERE MetaData.CreateTime >= '2000-01-01' STARTPOSITION 2 MAXRESULTS 1") == ["beta"]
    assert names("WHERE Balance > '0'") == []


def test_validation_faults(raw, sandbox):
    customer = raw.post("/customer", json={"DisplayName": "Acme"}).json()["Customer"]
    assert _fault(raw.post("/vendor", json={"DisplayName": "ACME"})) == (400, "6240")
    assert _fault(raw.post("/customer", json={"Notes": "no name"})) == (400, "2020")
    assert _fault(raw.post("/customer", json={"DisplayName": "Parent:Child"})) == (400, "2050")
    assert _fault(raw.post("/invoice", json={"CustomerRef": {"value": customer["Id"]}})) == (400, "2020")
    assert _fault(raw.post("/invoice", json={"CustomerRef": {"value": "999"}, "Line": [{}]})) == (400, "2500")
    assert _fault(
        raw.post(
            "/journalentry",
            json={
                "Line": [
                    {
                        "DetailType": "JournalEntryLineDetail",
                        "Amount": 5,
                        "JournalEntryLineDetail": {"PostingType": "Debit", "AccountRef": {"value": "1"}},
                    },
                    {
                        "DetailType": "JournalEntryLineDetail",
                        "Amount": 4,
                        "JournalEntryLineDetail": {"PostingType": "Credit", "AccountRef": {"value": "1"}},
                    },
                ]
            },
        )
    ) == (400, "6000")
    employee = raw.post("/employee", json={"GivenName": "Ana", "FamilyName": "Diaz"}).json()["Employee"]
    assert employee["DisplayName"] == "Ana Diaz"
    assert _fault(
        raw.post(
            "/timeactivity",
            json={
                "NameOf": "Employee",
                "EmployeeRef": {"value": employee["Id"]},
                "Hours": 1,
                "BillableStatus": "Billable",
                "CustomerRef": {"value": customer["Id"]},
            },
        )
    ) == (400, "2020")
    assert _fault(raw.post("/customer?operation=delete", json={"Id": customer["Id"], "SyncToken": "0"})) == (
        400,
        "500",
    )
    assert _fault(raw.post("/taxcode", json={"Name": "x"})) == (400, "500")
    assert _fault(raw.get("/customer/abc")) == (400, "2030")
    assert _fault(raw.get("/customer/999")) == (400, "610")
    deactivated = raw.post(
        "/customer", json={"Id": customer["Id"], "SyncToken": "0", "sparse": True, "Active": False}
    ).json()
    assert deactivated["Customer"]["Active"] is False
    income = next(a for a in sandbox.entities("Account") if a["Name"] == "Services")
    item = raw.post(
        "/item", json={"Name": "Svc", "Type": "Service", "IncomeAccountRef": {"value": income["Id"]}}
    ).json()["Item"]
    line = {
        "DetailType": "SalesItemLineDetail",
        "Amount": 10,
        "SalesItemLineDetail": {"ItemRef": {"value": item["Id"]}},
    }
    assert _fault(raw.post("/invoice", json={"CustomerRef": {"value": customer["Id"]}, "Line": [line]})) == (
        400,
        "610",
    )
    assert _fault(raw.post("/item", json={"Name": "NoAccount", "Type": "Service"})) == (400, "2020")


def test_amounts_rounding_and_replay(raw, sandbox):
    income = next(a for a in sandbox.entities("Account") if a["Name"] == "Services")
    item = sandbox.add_entity(
        "Item", {"Name": "Hour", "Type": "Service", "IncomeAccountRef": {"value": income["Id"]}}
    )
    customer = sandbox.add_entity("Customer", {"DisplayName": "Round Co"})
    line = {
        "DetailType": "SalesItemLineDetail",
        "Amount": Decimal("0.01"),
        "SalesItemLineDetail": {
            "ItemRef": {"value": item["Id"]},
            "Qty": Decimal("0.5"),
            "UnitPrice": Decimal("0.025"),
        },
    }
    body = json.dumps({"CustomerRef": {"value": customer["Id"]}, "Line": [line]}, default=str)
    body = body.replace('"0.01"', "0.01").replace('"0.5"', "0.5").replace('"0.025"', "0.025")
    first = raw.post(
        "/invoice", params={"requestid": "r-1"}, content=body, headers={"Content-Type": "application/json"}
    )
    total = json.loads(first.text, parse_float=Decimal)["Invoice"]["TotalAmt"]
    assert first.status_code == 200 and total == Decimal("0.01")  # half-up of 0.0125
    again = raw.post(
        "/invoice", params={"requestid": "r-1"}, content=body, headers={"Content-Type": "application/json"}
    )
    assert again.content == first.content and len(sandbox.entities("Invoice")) == 1
    assert _fault(
        raw.post(
            "/invoice",
            params={"requestid": "x" * 51},
            content=body,
            headers={"Content-Type": "application/json"},
        )
    ) == (400, "6000")


def test_unauthorized_body_is_lower_case(sandbox, creds):
    with httpx.Client(transport=sandbox.transport()) as client:
        response = client.get(
            f"https://any.host/v3/company/{creds['realm_id']}/preferences",
            headers={"Authorization": "Bearer nope"},
        )
        assert response.status_code == 401
        assert response.json()["fault"]["error"][0]["code"] == "3200"
        assert "invalid_token" in response.headers["www-authenticate"]
        other_realm = client.get(
            "https://any.host/v3/company/1/preferences",
            headers={"Authorization": f"Bearer {creds['access_token']}"},
        )
        assert other_realm.status_code == 403


def test_realm_limit_is_500_per_minute(raw, sandbox, clock: FakeClock):
    statuses = [raw.get("/preferences").status_code for _ in range(501)]
    assert statuses[:500] == [200] * 500 and statuses[500] == 429
    throttled = raw.get("/preferences")
    assert (
        throttled.json()["Fault"]["Error"][0]["code"] == "3001" and int(throttled.headers["retry-after"]) >= 1
    )
    clock.advance(60)
    assert raw.get("/preferences").status_code == 200


def test_batch_limits(raw, sandbox, clock: FakeClock):
    items = [{"bId": str(i), "Query": "SELECT COUNT(*) FROM Customer"} for i in range(31)]
    assert _fault(raw.post("/batch", json={"BatchItemRequest": items})) == (400, "6000")
    assert _fault(
        raw.post(
            "/batch",
            params={"requestid": "abc"},
            json={"BatchItemRequest": [{"bId": "b" * 11, "Query": "SELECT * FROM Term"}]},
        )
    ) == (400, "6000")
    statuses = [raw.post("/batch", json={"BatchItemRequest": items[:1]}).status_code for _ in range(41)]
    assert statuses.count(200) == 38 and statuses[-3:] == [429] * 3  # the two refused batches above count too


def test_concurrency_limit_is_ten():
    gate = threading.Event()
    entered = threading.Semaphore(0)

    def blocking_sleep(seconds: float) -> None:
        entered.release()
        gate.wait(5)

    sandbox = QuickBooksSandbox(sleep=blocking_sleep)
    creds = sandbox.credentials()
    sandbox.faults.inject(FaultKind.LATENCY, latency=1.0, times=10)
    results: list[int] = []
    url = f"https://quickbooks.api.intuit.com/v3/company/{creds['realm_id']}/preferences"

    def call() -> None:
        with httpx.Client(transport=sandbox.transport()) as client:
            results.append(
                client.get(url, headers={"Authorization": f"Bearer {creds['access_token']}"}).status_code
            )

    threads = [threading.Thread(target=call) for _ in range(10)]
    for t in threads:
        t.start()
    for _ in range(10):
        assert entered.acquire(timeout=5)
    call()  # the 11th while ten are in flight
    gate.set()
    for t in threads:
        t.join()
    assert sorted(results) == [200] * 10 + [429]


def test_seed_is_deterministic_and_sized():
    first = QuickBooksSandbox(seed=3)
    second = QuickBooksSandbox(seed=3)
    assert first.seed(size=40, seed=9) == second.seed(size=40, seed=9)
    names = [c["DisplayName"] for c in first.entities("Customer")]
    assert names == [c["DisplayName"] for c in second.entities("Customer")]
    assert len(names) == 40 and len(first.entities("Invoice")) == 40
    for invoice in first.entities("Invoice"):
        for line in invoice["Line"]:
            detail = line.get("SalesItemLineDetail")
            if detail:
                product = Decimal(str(detail["Qty"])) * Decimal(str(detail["UnitPrice"]))
                assert line["Amount"] == product.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
