"""Wire-level behaviour of the ConnectWise sandbox (raw httpx, no msplink client)."""

from __future__ import annotations

import asyncio
import base64
import json
from datetime import datetime, timezone
from typing import Any

import httpx
import pytest

from msplink.sandbox.connectwise import ConnectWiseSandbox

BASE = "https://anything.example/v2025_1/apis/3.0"
_FIXED = datetime(2026, 1, 1, tzinfo=timezone.utc)


def _client(sandbox: ConnectWiseSandbox, **headers: str) -> httpx.Client:
    creds = sandbox.credentials()
    token = base64.b64encode(
        f"{creds['company_id']}+{creds['public_key']}:{creds['private_key']}".encode()
    ).decode()
    base = {"Authorization": f"Basic {token}", "clientId": creds["client_id"]}
    return httpx.Client(transport=sandbox.transport(), headers={**base, **headers})


def test_companyinfo_needs_no_auth(sandbox: ConnectWiseSandbox) -> None:
    with httpx.Client(transport=sandbox.transport()) as raw:
        info = raw.get("https://whatever/login/companyinfo/MSPLINK").json()
        assert info["Codebase"] == "v2025_1/" and info["IsCloud"] is True
        assert raw.get("https://whatever/login/companyinfo/other").status_code == 404
        denied = raw.get(BASE + "/company/companies")
        assert denied.status_code == 401 and denied.json()["code"] == "Unauthorized"


def test_navigable_link_headers(sandbox: ConnectWiseSandbox) -> None:
    for i in range(7):
        sandbox.insert("companies", {"identifier": f"L{i}", "name": f"L {i}"})
    with _client(sandbox) as client:
        first = client.get(
            BASE + "/company/companies", params={"pageSize": 3, "conditions": 'name like "L%"'}
        )
        assert [c["id"] for c in first.json()] == [1, 2, 3]
        assert set(first.links) == {"first", "next", "last"}
        assert "page=2" in first.links["next"]["url"] and "conditions=" in first.links["next"]["url"]
        last = client.get(first.links["last"]["url"])
        assert [c["id"] for c in last.json()] == [7]
        assert set(last.links) == {"first", "prev", "last"}
        past = client.get(BASE + "/company/companies", params={"pageSize": 3, "page": 9})
        assert past.status_code == 200 and past.json() == []
        default = client.get(BASE + "/company/companies").json()
        assert len(default) == 7  # pageSize defaults to 25


def test_forward_only_paging(sandbox: ConnectWiseSandbox) -> None:
    for i in range(5):
        sandbox.insert("companies", {"identifier": f"F{i}", "name": f"F {i}"})
    with _client(sandbox, **{"pagination-type": "forward-only"}) as client:
        page = client.get(BASE + "/company/companies", params={"pageSize": 2})
        assert [c["id"] for c in page.json()] == [1, 2]
        nxt = page.links["next"]["url"]
        assert "pageId=2" in nxt
        page = client.get(nxt)
        page = client.get(page.links["next"]["url"])
        assert [c["id"] for c in page.json()] == [5]
        # REFERENCE.md §4.2: forward-only answers always carry Link; the last one's is empty.
        assert page.headers["link"] == "" and page.links == {}
        refused = client.get(BASE + "/company/companies", params={"orderBy": "name asc"})
        assert refused.status_code == 400


def test_patch_semantics(sandbox: ConnectWiseSandbox) -> None:
    sandbox.seed(size=2)
    with _client(sandbox) as client:
        ticket = client.get(BASE + "/service/tickets/1").json()
        ops: list[dict[str, Any]] = [{"op": "replace", "path": "company/identifier", "value": "C0-00002"}]
        same = client.patch(BASE + "/service/tickets/1", json=ops)
        assert same.status_code == 200 and same.json()["company"] == ticket["company"]  # CW's false 200
        assert same.json()["_info"]["lastUpdated"] == ticket["_info"]["lastUpdated"]
        bad = client.patch(
            BASE + "/service/tickets/1", json=[{"op": "replace", "path": "Summary", "value": "x"}]
        )
        assert bad.status_code == 400 and bad.json()["errors"][0]["code"] == "InvalidField"
        ops = [
            {"op": "replace", "path": "/summary", "value": "New Summary"},
            {"op": "replace", "path": "status", "value": {"id": 9999}},
        ]
        invalid = client.patch(BASE + "/service/tickets/1", json=ops)
        assert invalid.status_code == 400 and invalid.json()["errors"][0]["field"] == "status/id"
        contact = client.get(BASE + "/company/contacts/1").json()
        ops = [{"op": "replace", "path": "/communicationItems/0/value", "value": "new@example.com"}]
        patched = client.patch(BASE + "/company/contacts/1", json=ops).json()
        assert patched["communicationItems"][0]["value"] == "new@example.com"
        assert patched["communicationItems"][1] == contact["communicationItems"][1]
        assert client.put(BASE + "/company/companies/1", json={"name": "Only name"}).status_code == 400
        assert client.delete(BASE + "/company/companies/1").status_code == 409
        assert client.post(BASE + "/company/companies", content=b"{nope").status_code == 400
        assert client.post(BASE + "/company/companies/count").status_code == 405
        missing = client.get(BASE + "/no/such/endpoint")
        assert missing.status_code == 404 and missing.json()["message"] == "The endpoint does not exist."


def test_conditions_grammar_on_the_server(sandbox: ConnectWiseSandbox) -> None:
    sandbox.seed(size=12)
    with _client(sandbox) as client:

        def count(cond: str, **extra: str) -> Any:
            response = client.get(BASE + "/service/tickets/count", params={"conditions": cond, **extra})
            return response.json()["count"] if response.status_code == 200 else response.json()["code"]

        total = count("id > 0")
        assert total == 24
        assert count("board/name = 'help desk'") == 24
        assert count('Board/Name="Help Desk" AND (priority/id = 1 OR priority/id = 2)') == 12
        assert count("NOT (priority/id in (1, 2))") == 12
        assert count("priority/id not in (1, 2)") == 12
        assert count('summary not contains "VPN"') == 18
        assert count("closedFlag = True") + count("closedFlag = false") == total
        assert count("lastUpdated > [2000-01-01T00:00:00Z]") == total
        assert count("_info/dateEntered < [2000-01-01]") == 0
        assert count("contact/id != null") == total
        assert count("budgetHours >= 2 and actualHours < 1.5") == 12
        assert count("nonsense = 1") == "ApiFindCondition"
        assert count("summary = ") == "ApiFindCondition"


def test_asgi_app_ignores_host(sandbox: ConnectWiseSandbox) -> None:
    sandbox.insert("companies", {"identifier": "ASGI", "name": "Asgi"})
    creds = sandbox.credentials()
    token = base64.b64encode(
        f"{creds['company_id']}+{creds['public_key']}:{creds['private_key']}".encode()
    ).decode()

    async def run() -> list[Any]:
        transport = httpx.ASGITransport(app=sandbox)
        async with httpx.AsyncClient(
            transport=transport, base_url="https://api-eu.myconnectwise.net"
        ) as client:
            response = await client.get(
                "/v2025_1/apis/3.0/company/companies",
                headers={"Authorization": f"Basic {token}", "clientId": creds["client_id"]},
            )
            result: list[Any] = json.loads(response.content)
            return result

    assert [c["identifier"] for c in asyncio.run(run())] == ["ASGI"]


@pytest.mark.parametrize("size", [0, 1, 7])
def test_seed_is_deterministic(size: int) -> None:
    one, two = ConnectWiseSandbox(now=lambda: _FIXED), ConnectWiseSandbox(now=lambda: _FIXED)
    assert one.seed(size=size, seed=3) == two.seed(size=size, seed=3)
    assert one.records("companies") == two.records("companies")
    assert len(one.records("companies")) == size


def test_the_store_refreshes_contact_items_one_by_one_or_all_at_once() -> None:
    one, all_ = ConnectWiseSandbox(now=lambda: _FIXED), ConnectWiseSandbox(now=lambda: _FIXED)
    one.seed(size=6, seed=2)
    all_.seed(size=6, seed=2)
    for record in all_.store.data["contacts"].values():
        record["communicationItems"] = []
    all_.store.refresh_all_contact_items()
    assert all_.records("contacts") == one.records("contacts")
    contact = one.records("contacts")[0]
    assert [c["value"] for c in contact["communicationItems"]] == [
        c["value"] for c in one.store.scope("communications", contact["id"])
    ]
    assert all("_info" not in c for c in contact["communicationItems"])
