"""Async ``create_many`` / ``upsert_many`` send their calls (five 200-record chunks to a ``POST /composite``)
concurrently (up to the client's rate limit, 8 by default: REFERENCE §13); the sync client sends them one
after another."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from msplink._core import RateLimit
from msplink.errors import APIError
from msplink.salesforce import AsyncSalesforceClient, SalesforceClient
from msplink.sandbox.salesforce import SalesforceSandbox
from tests.salesforce.conftest import make_auth


class _InFlight(httpx.AsyncBaseTransport):
    """Counts the requests in flight over the sandbox, each held for a moment of real time."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.now = 0
        self.most = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        collection = "/composite" in request.url.path
        if collection:
            self.now += 1
            self.most = max(self.most, self.now)
            await asyncio.sleep(0.01)
        try:
            return await self.inner.handle_async_request(request)
        finally:
            if collection:
                self.now -= 1


def _writes(sandbox: SalesforceSandbox) -> int:
    return sum(1 for r in sandbox.requests if r.method in {"POST", "PATCH"} and "/composite" in r.path)


def _name(sandbox: SalesforceSandbox, record_id: str | None) -> Any:
    found = sandbox.org.find(record_id or "")
    assert found is not None
    return found[1]["Name"]


def _records(n: int, prefix: str) -> list[dict[str, Any]]:
    return [{"Name": f"{prefix} {i:04d}", "CW_Company_Id__c": f"{prefix}-{i}"} for i in range(n)]


async def _run(sandbox: SalesforceSandbox, rate_limit: RateLimit | None, action: str) -> tuple[Any, int]:
    transport = _InFlight(sandbox.transport())
    options: dict[str, Any] = {} if rate_limit is None else {"rate_limit": rate_limit}
    async with AsyncSalesforceClient(auth=make_auth(sandbox), transport=transport, **options) as client:
        if action == "create":
            results = await client.accounts.create_many(_records(5000, "Conc"), bulk_threshold=10_000)
        else:
            results = await client.accounts.upsert_many(
                "CW_Company_Id__c", _records(5000, "Ups"), bulk_threshold=10_000
            )
    return results, transport.most


@pytest.mark.parametrize("action", ["create", "upsert"])
def test_async_chunks_run_concurrently_in_input_order(sandbox: SalesforceSandbox, action: str) -> None:
    before = _writes(sandbox)
    results, most = asyncio.run(_run(sandbox, None, action))
    assert most == 5  # 5,000 records = 25 chunks of 200 = 5 composite calls, all in flight (the limit is 8)
    assert _writes(sandbox) - before == 5
    assert len(results) == 5000 and all(r.success for r in results)
    prefix = "Conc" if action == "create" else "Ups"
    names = [_name(sandbox, r.id) for r in results]
    assert names == [f"{prefix} {i:04d}" for i in range(5000)]


def test_async_concurrency_stays_within_the_rate_limit(sandbox: SalesforceSandbox) -> None:
    results, most = asyncio.run(_run(sandbox, RateLimit(max_concurrency=2), "create"))
    assert most == 2
    assert len(results) == 5000


def test_sync_client_sends_chunks_one_after_another(sandbox: SalesforceSandbox) -> None:
    with SalesforceClient(auth=make_auth(sandbox), transport=sandbox.transport()) as client:
        before = len(sandbox.requests)
        results = client.accounts.create_many(_records(2100, "Seq"), bulk_threshold=10_000)
    assert [r.path for r in sandbox.requests[before:] if "composite" in r.path] == [
        "/services/data/v62.0/composite",
        "/services/data/v62.0/composite",
        "/services/data/v62.0/composite/sobjects",
    ]  # 11 chunks: five, five, and the last one alone as a plain collection call
    assert [_name(sandbox, r.id) for r in results] == [f"Seq {i:04d}" for i in range(2100)]


def test_a_failed_chunk_is_raised_after_the_others_finish(sandbox: SalesforceSandbox) -> None:
    from msplink.sandbox import FaultKind

    sandbox.faults.inject(FaultKind.SERVER_ERROR, status=500, path=r"/composite$", times=4)

    async def go() -> None:
        async with AsyncSalesforceClient(
            auth=make_auth(sandbox), transport=sandbox.transport(), sleep=_no_sleep
        ) as client:
            await client.accounts.create_many(_records(2400, "Fail"), bulk_threshold=10_000)

    with pytest.raises(APIError):
        asyncio.run(go())


async def _no_sleep(seconds: float) -> None:
    return None
