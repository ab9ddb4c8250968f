"""QBO's throttles on the batch endpoint (REFERENCE.md §7 and §11).

* "Each item is metered like a normal call against the 500/min realm budget" and "a single item can also fail
  with throttle fault 3001 inside a 200 batch" (§7): a batch's items take realm slots; items past the budget
  answer ``{"bId": ..., "Fault": {3001, type SERVICE}}`` while the batch is a 200; once the budget is spent
  the next request is a 429 with fault 3001 and ``Retry-After``.
* "40 batch requests/min per realm+app; 120 batch requests/min per realm" (§7, §11).
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from msplink.sandbox.quickbooks import QuickBooksSandbox
from msplink.testing import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sandbox(clock: FakeClock) -> QuickBooksSandbox:
    return QuickBooksSandbox(clock=clock, sleep=clock.sleep)


def _api(sandbox: QuickBooksSandbox, token: str) -> httpx.Client:
    return httpx.Client(
        transport=sandbox.transport(),
        base_url=f"https://quickbooks.api.intuit.com/v3/company/{sandbox.realm_id}",
        headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
    )


def _batch(size: int, tag: str = "q") -> dict[str, Any]:
    return {
        "BatchItemRequest": [{"bId": f"{tag}{i}", "Query": "SELECT COUNT(*) FROM Term"} for i in range(size)]
    }


def _throttled(answer: dict[str, Any]) -> bool:
    fault = answer.get("Fault")
    return fault is not None and fault["type"] == "SERVICE" and fault["Error"][0]["code"] == "3001"


def test_batch_items_spend_the_realm_budget(sandbox: QuickBooksSandbox, clock: FakeClock) -> None:
    with _api(sandbox, sandbox.credentials()["access_token"]) as api:
        for _ in range(16):  # 16 x 30 = 480 of the 500 calls a minute
            answers = api.post("/batch", json=_batch(30)).json()["BatchItemResponse"]
            assert not any(_throttled(a) for a in answers)
        partial = api.post("/batch", json=_batch(30))
        assert partial.status_code == 200
        answers = partial.json()["BatchItemResponse"]
        assert [_throttled(a) for a in answers] == [False] * 20 + [True] * 10
        assert answers[20] == {
            "bId": "q20",
            "Fault": {
                "Error": [
                    {
                        "Message": "message=ThrottleExceeded; errorCode=003001; statusCode=429",
                        "Detail": "The request limit was reached.",
                        "code": "3001",
                        "element": "",
                    }
                ],
                "type": "SERVICE",
            },
        }
        refused = api.get("/preferences")
        assert refused.status_code == 429 and refused.headers["retry-after"] == "60"
        assert refused.json()["Fault"]["Error"][0]["code"] == "3001"
        assert api.post("/batch", json=_batch(1)).status_code == 429
        clock.advance(60)
        assert api.get("/preferences").status_code == 200
        assert not any(_throttled(a) for a in api.post("/batch", json=_batch(30)).json()["BatchItemResponse"])
    assert sandbox.count("POST", r"/batch$", status=200) == 18
    assert sandbox.count(status=429) == 2


def test_items_of_a_refused_batch_spend_nothing(sandbox: QuickBooksSandbox) -> None:
    with _api(sandbox, sandbox.credentials()["access_token"]) as api:
        assert api.post("/batch", json=_batch(31)).status_code == 400  # over the 30-item cap
        for _ in range(16):
            api.post("/batch", json=_batch(30))
        answers = api.post("/batch", json=_batch(30)).json()["BatchItemResponse"]
    # 1 (the refused call) + 480 + 19 more items fit: the 17th batch loses 11.
    assert sum(_throttled(a) for a in answers) == 11


def test_forty_batches_a_minute_per_realm_and_app(sandbox: QuickBooksSandbox, clock: FakeClock) -> None:
    with _api(sandbox, sandbox.credentials()["access_token"]) as api:
        statuses = [api.post("/batch", json=_batch(1)).status_code for _ in range(41)]
        assert statuses == [200] * 40 + [429]
        assert api.get("/preferences").status_code == 200  # the realm budget is not spent
        clock.advance(60)
        assert api.post("/batch", json=_batch(1)).status_code == 200


def test_one_hundred_twenty_batches_a_minute_per_realm(clock: FakeClock) -> None:
    sandbox = QuickBooksSandbox(clock=clock, sleep=clock.sleep)
    tokens = []
    for app in ("app-a", "app-b", "app-c", "app-d"):
        sandbox.client_id = app
        tokens.append(sandbox.credentials()["access_token"])
    statuses: list[int] = []
    for token in tokens:  # four apps on one realm: 40 each would be 160
        with _api(sandbox, token) as api:
            statuses += [api.post("/batch", json=_batch(1)).status_code for _ in range(40)]
    assert statuses.count(200) == 120 and statuses[-40:] == [429] * 40
