"""msplink.testing: the route-table MockTransport and the scrubbing vcr configuration."""

from __future__ import annotations

import json
import re

import httpx
import pytest
from vcr.request import Request as VcrRequest

from msplink.testing import (
    SCRUBBED,
    FakeClock,
    MockRouter,
    UnmatchedRequestError,
    scrub_request,
    scrub_response,
    vcr_config,
)


def test_router_serves_routes_in_turn_and_counts_calls() -> None:
    router = MockRouter()
    route = router.get("/a", httpx.Response(429), httpx.Response(200, json={"ok": True}))
    router.post(re.compile(r"^/items/\d+$"), status=201, json={"id": 1})
    client = httpx.Client(transport=router.transport(), base_url="https://x.test")

    assert [client.get("/a").status_code for _ in range(3)] == [429, 200, 200]
    assert client.post("/items/7").json() == {"id": 1}
    assert route.call_count == 3
    assert len(router.calls) == 4


def test_unmatched_requests_fail_loudly() -> None:
    router = MockRouter()
    router.get("/a", status=200)
    client = httpx.Client(transport=router.transport(), base_url="https://x.test")
    with pytest.raises(UnmatchedRequestError, match="no route for POST /a"):
        client.post("/a")
    with pytest.raises(UnmatchedRequestError):
        client.get("/b")
    assert [r.url.path for r in router.unmatched] == ["/a", "/b"]


def test_exhausted_route_without_repeat_fails() -> None:
    router = MockRouter()
    router.get("/once", httpx.Response(200), repeat_last=False)
    client = httpx.Client(transport=router.transport(), base_url="https://x.test")
    client.get("/once")
    with pytest.raises(UnmatchedRequestError):
        client.get("/once")


def test_vcr_scrubs_credentials_tokens_and_realm_ids_at_record_time() -> None:
    request = VcrRequest(
        "POST",
        "https://quickbooks.api.intuit.com/v3/company/9341452345678901/query?minorversion=75&code=abc&state=xyz",
        b"grant_type=refresh_token&refresh_token=RT-123456&client_secret=shh",
        {"Authorization": "Bearer eyJ-secret", "clientId": "cw-client-id", "Accept": "application/json"},
    )
    scrubbed = scrub_request(request)
    assert "9341452345678901" not in scrubbed.uri
    assert "code=REDACTED" in scrubbed.uri and "abc" not in scrubbed.uri
    assert b"RT-123456" not in scrubbed.body and b"shh" not in scrubbed.body
    assert scrubbed.headers["Authorization"] == SCRUBBED
    assert scrubbed.headers["clientId"] == SCRUBBED

    response = {
        "status": {"code": 200, "message": "OK"},
        "headers": {"Set-Cookie": ["sid=1"], "Content-Type": ["application/json"]},
        "body": {
            "string": json.dumps(
                {"access_token": "AT-1", "refresh_token": "RT-2", "realmId": "9341452345678901"}
            ).encode()
        },
    }
    cleaned = scrub_response(response)
    body = json.loads(cleaned["body"]["string"])
    assert body["access_token"] == SCRUBBED and body["refresh_token"] == SCRUBBED
    assert body["realmId"] != "9341452345678901"
    assert cleaned["headers"]["Set-Cookie"] == [SCRUBBED]


def test_vcr_config_replays_only_and_matches_bodies() -> None:
    config = vcr_config()
    assert "record_mode" not in config
    assert "body" in config["match_on"]
    assert ("authorization", SCRUBBED) in config["filter_headers"]


def test_fake_clock() -> None:
    clock = FakeClock(start=10)
    start = clock.now()
    clock.sleep(2.5)
    clock.advance(1)
    assert clock.monotonic() == 13.5
    assert (clock.now() - start).total_seconds() == 3.5
    assert clock.sleeps == [2.5]


def test_sync_adapter_drives_an_async_client_like_its_sync_twin() -> None:
    import asyncio

    from msplink.connectwise import AsyncConnectWiseClient, ConnectWiseClient
    from msplink.sandbox import ConnectWiseSandbox
    from msplink.testing import SyncAdapter, SyncPages

    sandbox = ConnectWiseSandbox()
    sandbox.seed(size=12, seed=2)
    creds = sandbox.credentials()
    loop = asyncio.new_event_loop()
    try:
        adapted = SyncAdapter(AsyncConnectWiseClient(**creds, transport=sandbox.transport()), loop)
        twin = ConnectWiseClient(**creds, transport=sandbox.transport())
        pages = adapted.companies.list(page_size=5)
        assert isinstance(pages, SyncPages)
        assert [c.id for c in pages] == [c.id for c in twin.companies.list(page_size=5)]
        assert adapted.companies.count() == twin.companies.count() == 12
        assert "SyncAdapter(" in repr(adapted)
    finally:
        loop.close()
