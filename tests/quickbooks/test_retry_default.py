"""The QBO client waits at least 60 s after a throttle that names no Retry-After (Intuit's advice)."""

from __future__ import annotations

import re

import httpx

from msplink.quickbooks import QuickBooksClient
from msplink.quickbooks._auth import StaticBearer
from msplink.quickbooks._client import DEFAULT_RETRY
from msplink.testing import FakeClock, MockRouter

THROTTLED = {
    "Fault": {
        "Error": [
            {
                "Message": "message=ThrottleExceeded; errorCode=003001; statusCode=429",
                "Detail": "The request limit was reached.",
                "code": "3001",
            }
        ],
        "type": "SERVICE",
    }
}


def test_throttle_without_retry_after_waits_sixty_seconds_by_default() -> None:
    assert DEFAULT_RETRY.rate_limit_delay == 60.0
    router = MockRouter()
    route = router.get(
        re.compile(r"/v3/company/123/customer/1$"),
        httpx.Response(429, json=THROTTLED),
        httpx.Response(200, json={"Customer": {"Id": "1", "SyncToken": "0", "DisplayName": "Acme"}}),
    )
    clock = FakeClock()
    client = QuickBooksClient(
        realm_id="123",
        auth=StaticBearer("token"),
        transport=router.transport(),
        sleep=clock.sleep,
        clock=clock,
    )

    customer = client.customers.get("1")

    assert customer.display_name == "Acme"
    assert route.call_count == 2
    assert len(clock.sleeps) == 1
    assert clock.sleeps[0] >= 60.0
