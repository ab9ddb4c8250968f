"""The sandbox on its own, over raw HTTP (no msplink client): wire shapes, SOQL engine, sessions, ASGI."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from typing import Any

import httpx
import jwt
import pytest

from msplink.sandbox.salesforce import SalesforceSandbox
from msplink.sandbox.salesforce._soql import SoqlError, parse_soql

V = "/services/data/v62.0"


@pytest.fixture
def api(sandbox):
    creds = sandbox.credentials()
    with httpx.Client(
        transport=sandbox.transport(),
        base_url="https://whatever.example",
        headers={"Authorization": f"Bearer {creds['access_token']}"},
    ) as http:
        yield http


def soql(api: httpx.Client, q: str, *, all_rows: bool = False) -> Any:
    response = api.get(f"{V}/{'queryAll' if all_rows else 'query'}", params={"q": q})
    return response


def names(api: httpx.Client, where: str) -> list[str]:
    response = soql(api, f"SELECT Name FROM Account WHERE {where} ORDER BY Name")
    assert response.status_code == 200, response.text
    return [r["Name"] for r in response.json()["records"]]


@pytest.fixture
def fixtures(api, sandbox):
    for name, revenue, industry in [
        ("Alpha 50% off", 100, "Retail"),
        ("Beta_Works", None, "Technology"),
        ("gamma co", 300, None),
        ("O'Brien & Sons", 400, "Finance"),
    ]:
        body: dict[str, Any] = {"Name": name, "Industry": industry}
        if revenue is not None:
            body["AnnualRevenue"] = revenue
        assert api.post(f"{V}/sobjects/Account", json=body).status_code == 201
    return sandbox


def test_where_operators(api, fixtures):
    assert names(api, r"Name LIKE '%\%%'") == ["Alpha 50% off"]
    assert names(api, r"Name LIKE 'Beta\_%'") == ["Beta_Works"]
    assert names(api, "Name LIKE 'GAMMA%'") == ["gamma co"]
    assert names(api, "Name = 'O\\'Brien & Sons'") == ["O'Brien & Sons"]
    assert names(
        api, "Industry IN ('Retail', 'Finance') AND AnnualRevenue >= 100 AND AnnualRevenue < 1000"
    ) == [
        "Alpha 50% off",
        "O'Brien & Sons",
    ]
    assert names(
        api,
        "Name LIKE '%a%' AND Industry NOT IN ('Retail') AND (AnnualRevenue < 1000 OR AnnualRevenue = null)",
    ) == ["Beta_Works", "gamma co"]
    assert names(api, "(Industry = null OR AnnualRevenue = null) AND NOT Name LIKE 'B%'") == ["gamma co"]
    assert names(api, "AnnualRevenue > 150 AND AnnualRevenue != 400 AND AnnualRevenue < 1000") == ["gamma co"]


def test_order_limit_offset_and_count(api, fixtures):
    base = "SELECT Name, AnnualRevenue FROM Account WHERE AnnualRevenue < 1000 OR AnnualRevenue = null ORDER BY AnnualRevenue"
    desc = soql(api, base + " DESC NULLS LAST LIMIT 3 OFFSET 1").json()
    assert [r["AnnualRevenue"] for r in desc["records"]] == [300, 100, None]
    asc = soql(api, base + " ASC NULLS FIRST, Name").json()
    assert [r["AnnualRevenue"] for r in asc["records"]] == [None, 100, 300, 400]
    count = soql(api, "SELECT COUNT() FROM Account WHERE AnnualRevenue != null").json()
    assert count == {"totalSize": 13, "done": True, "records": []}


def test_date_literals_and_datetimes(api, sandbox, clock):
    clock.advance(3600)
    created = api.post(f"{V}/sobjects/Account", json={"Name": "Today Co"}).json()["id"]
    today = names(api, "CreatedDate = TODAY")
    assert "Today Co" in today
    assert "Today Co" in names(api, "CreatedDate = LAST_N_DAYS:1")
    assert "Today Co" not in names(api, "CreatedDate < TODAY")
    stamp = (clock.now() - timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert names(api, f"CreatedDate > {stamp}") == ["Today Co"]
    row = api.get(f"{V}/sobjects/Account/{created}").json()
    assert row["CreatedDate"].endswith("+0000") and row["IsDeleted"] is False


def test_parent_relationship_fields(api, sandbox):
    rows = soql(
        api,
        "SELECT LastName, Account.Name, Account.Owner.Name FROM Contact WHERE Account.Name LIKE '%' LIMIT 2",
    ).json()
    first = rows["records"][0]
    assert first["Account"]["attributes"]["type"] == "Account"
    assert first["Account"]["Owner"]["Name"]


@pytest.mark.parametrize(
    ("q", "code"),
    [
        ("SELECT Nope FROM Account", "INVALID_FIELD"),
        ("SELECT Id FROM Nope", "INVALID_TYPE"),
        ("SELECT Id FROM Account WHERE Name = 5", "MALFORMED_QUERY"),
        ("SELECT Id FROM Account WHERE AnnualRevenue = '5'", "MALFORMED_QUERY"),
        ("SELECT Id FROM Account WHERE Name = 'a\\q'", "MALFORMED_QUERY"),
        ("SELECT Id FROM Account WHERE", "MALFORMED_QUERY"),
        ("SELECT Id FROM Account LIMIT -1", "MALFORMED_QUERY"),
        ("SELECT Id FROM Account OFFSET 2001", "NUMBER_OUTSIDE_VALID_RANGE"),
    ],
)
def test_query_errors(api, q, code):
    response = soql(api, q)
    assert response.status_code == 400
    assert response.json()[0]["errorCode"] == code


def test_query_all_sees_deleted_and_cursor_paging(api, sandbox):
    for i in range(250):
        sandbox._insert_raw("Case", {"Subject": f"S{i}"})
    page = api.get(
        f"{V}/query", params={"q": "SELECT Id FROM Case"}, headers={"Sforce-Query-Options": "batchSize=200"}
    ).json()
    assert page["totalSize"] == 260 and not page["done"] and len(page["records"]) == 200
    rest = api.get(page["nextRecordsUrl"]).json()
    assert rest["done"] and len(rest["records"]) == 60
    assert api.get(f"{V}/query/0r8bogus-200").json()[0]["errorCode"] == "INVALID_QUERY_LOCATOR"
    victim = page["records"][0]["Id"]
    assert api.delete(f"{V}/sobjects/Case/{victim}").status_code == 204
    assert soql(api, f"SELECT Id FROM Case WHERE Id = '{victim}'").json()["totalSize"] == 0
    assert soql(api, f"SELECT Id, IsDeleted FROM Case WHERE Id = '{victim}'", all_rows=True).json()[
        "records"
    ][0]["IsDeleted"]


def test_sessions_expire_and_limit_header_counts(api, sandbox, clock):
    first = api.get(f"{V}/limits")
    second = api.get(f"{V}/limits")
    used_first = int(first.headers["Sforce-Limit-Info"].split("=")[1].split("/")[0])
    assert second.headers["Sforce-Limit-Info"] == f"api-usage={used_first + 1}/15000"
    assert second.json()["DailyApiRequests"]["Remaining"] == 15000 - used_first - 1
    clock.advance(7201)
    expired = api.get(f"{V}/limits")
    assert expired.status_code == 401
    assert expired.json() == [{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}]


def test_versions_need_no_auth(sandbox):
    with httpx.Client(transport=sandbox.transport()) as http:
        versions = http.get("https://login.salesforce.com/services/data").json()
    assert {"label": "Winter '25", "url": "/services/data/v62.0", "version": "62.0"} in versions


def test_jwt_grant_errors(sandbox):
    creds = sandbox.credentials()
    key = creds["private_key"]

    def token(claims: dict[str, Any]) -> httpx.Response:
        assertion = jwt.encode(claims, key, algorithm="RS256")
        with httpx.Client(transport=sandbox.transport()) as http:
            return http.post(
                "https://login.salesforce.com/services/oauth2/token",
                data={"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion": assertion},
            )

    base = {
        "iss": creds["client_id"],
        "sub": creds["username"],
        "aud": "https://login.salesforce.com",
        "exp": int(time.time()) + 60,
    }
    ok = token(base)
    assert (
        ok.status_code == 200
        and ok.json()["instance_url"] == sandbox.instance_url
        and "refresh_token" not in ok.json()
    )
    assert (
        token({**base, "aud": "https://acme.my.salesforce.com"}).json()["error_description"]
        == "audience is invalid"
    )
    assert (
        token({**base, "sub": "nobody@example.com"}).json()["error_description"]
        == "user hasn't approved this consumer"
    )
    assert (
        token({**base, "exp": int(time.time()) - 10}).json()["error_description"]
        == "expired authorization code"
    )
    assert token({**base, "iss": "unknown"}).json()["error"] == "invalid_client_id"


def test_asgi_app_ignores_the_host_header(sandbox):
    creds = sandbox.credentials()

    async def run() -> tuple[int, int]:
        transport = httpx.ASGITransport(app=sandbox)
        async with httpx.AsyncClient(transport=transport, base_url="https://na1.salesforce.com") as http:
            token = await http.post(
                "/services/oauth2/token",
                data={
                    "grant_type": "client_credentials",
                    "client_id": creds["client_id"],
                    "client_secret": creds["client_secret"],
                },
            )
            access = token.json()["access_token"]
            rows = await http.get(
                f"{V}/query",
                params={"q": "SELECT COUNT() FROM Account"},
                headers={"Authorization": f"Bearer {access}"},
            )
            return token.status_code, rows.json()["totalSize"]

    assert asyncio.run(run()) == (200, 10)


def test_seed_is_deterministic(clock):
    one, two = (
        SalesforceSandbox(clock=clock, wall_clock=clock.now),
        SalesforceSandbox(clock=clock, wall_clock=clock.now),
    )
    assert one.seed(size=5, seed=7) == two.seed(size=5, seed=7)
    assert [a["Name"] for a in one.records("Account")] == [a["Name"] for a in two.records("Account")]
    won = [o for o in one.records("Opportunity") if o["IsWon"]]
    assert won and all(o["StageName"] == "Closed Won" and o["Probability"] == 100 for o in won)


def test_bulk_query_csv_and_locator(api, sandbox):
    job = api.post(
        f"{V}/jobs/query", json={"operation": "query", "query": "SELECT Id, Name FROM Account"}
    ).json()
    assert job["state"] == "UploadComplete"
    assert api.get(f"{V}/jobs/query/{job['id']}/results").status_code == 400  # not complete yet
    while api.get(f"{V}/jobs/query/{job['id']}").json()["state"] != "JobComplete":
        pass
    page = api.get(f"{V}/jobs/query/{job['id']}/results", params={"maxRecords": 6})
    assert page.headers["Sforce-Locator"] == "6" and page.headers["Sforce-NumberOfRecords"] == "6"
    last = api.get(f"{V}/jobs/query/{job['id']}/results", params={"maxRecords": 6, "locator": "6"})
    assert last.headers["Sforce-Locator"] == "null"
    assert last.text.splitlines()[0] == "Id,Name"


def test_parser_keeps_literals_intact():
    assert parse_soql("SELECT Id FROM Account WHERE Name = 'a\\nb\\u0041'").where.value == "a\nbA"
    with pytest.raises(SoqlError):
        parse_soql("SELECT Id FROM Account WHERE Name = 'unterminated")


def test_served_sandbox_names_the_host_it_was_reached_on(sandbox):
    creds = sandbox.credentials()
    form = {
        "grant_type": "client_credentials",
        "client_id": creds["client_id"],
        "client_secret": creds["client_secret"],
    }
    with httpx.Client(transport=sandbox.transport()) as http:
        served = http.post("http://127.0.0.1:8080/services/oauth2/token", data=form).json()
        vendor = http.post("https://login.salesforce.com/services/oauth2/token", data=form).json()
    assert served["instance_url"] == "http://127.0.0.1:8080"
    assert vendor["instance_url"] == sandbox.instance_url


def test_seeding_twice_keeps_external_ids_unique(sandbox):
    sandbox.seed(size=10, seed=1)
    keys = [a["CW_Company_Id__c"] for a in sandbox.records("Account")]
    assert len(keys) == 20 and len(set(keys)) == 20
    users = [u["Username"] for u in sandbox.records("User")]
    assert len(users) == len(set(users)) == 9


def test_parent_to_child_subqueries(api, sandbox):
    q = "SELECT Name, (SELECT LastName FROM Contacts ORDER BY LastName LIMIT 1), (SELECT Name FROM Opportunities WHERE StageName = 'Nope') FROM Account LIMIT 2"
    rows = soql(api, q).json()["records"]
    assert rows[0]["Contacts"]["totalSize"] == 1 and rows[0]["Contacts"]["done"] is True
    assert set(rows[0]["Contacts"]["records"][0]) == {"attributes", "LastName"}
    assert rows[0]["Opportunities"] is None
    bad = soql(api, "SELECT Name, (SELECT Id FROM Nopes) FROM Account")
    assert bad.status_code == 400 and bad.json()[0]["errorCode"] == "INVALID_TYPE"
    describe = api.get(f"{V}/sobjects/Account/describe").json()
    assert {
        "childSObject": "Contact",
        "field": "AccountId",
        "relationshipName": "Contacts",
        "cascadeDelete": False,
    } in describe["childRelationships"]


def test_discovery_userinfo_and_revoke(api, sandbox):
    assert api.get(f"{V}").json()["query"] == f"{V}/query"
    assert api.get(f"{V}/sobjects/Account").json()["objectDescribe"]["keyPrefix"] == "001"
    info = api.get("/services/oauth2/userinfo").json()
    assert info["preferred_username"] == "integration@msplink-sandbox.example"
    token = api.headers["Authorization"].split()[1]
    assert api.post("/services/oauth2/revoke", data={"token": token}).status_code == 200
    assert api.get(f"{V}/limits").status_code == 401


def test_records_live_in_the_org_state_object(sandbox):
    before = len(sandbox.records("Account"))
    new_id = sandbox.insert("Account", {"Name": "Direct", "CW_Company_Id__c": "777"})
    assert sandbox.org.records("Account") == sandbox.records("Account")
    assert len(sandbox.records("Account")) == before + 1
    spec = sandbox.org.spec("account")
    field, rows = sandbox.org.by_external(spec, "CW_Company_Id__c", "777")
    assert field.name == "CW_Company_Id__c" and [r["Id"] for r in rows] == [new_id]
    _, found_spec, matched = sandbox.run_query("SELECT Id FROM Account WHERE Name = 'Direct'")
    assert found_spec is spec and [r["Id"] for r in matched] == [new_id]
