# mypy: disable-error-code="union-attr"
"""Issue 10, QBO: the async client's ``batch()`` sends its 30-item chunks concurrently, up to the realm's
concurrency (10 per realm and app, REFERENCE §11) and within the ``/batch`` budget; sync sends them in
order. Measured with transports that count the requests in flight."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from msplink._core import RateLimit, RetryPolicy
from msplink.quickbooks import AsyncQuickBooksClient, BatchOperation, QuickBooksClient
from msplink.quickbooks import models as m
from msplink.sandbox.quickbooks import QuickBooksSandbox
from msplink.testing import FakeClock


class _InFlight(httpx.AsyncBaseTransport):
    """Counts concurrent requests; each takes ``latency`` seconds of real time (others may start)."""

    def __init__(self, inner: Any, latency: float = 0.002) -> None:
        self.inner = inner
        self.latency = latency
        self.now = 0
        self.peak = 0
        self.sent = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.now += 1
        self.sent += 1
        self.peak = max(self.peak, self.now)
        try:
            await asyncio.sleep(self.latency)
            response: httpx.Response = await self.inner.handle_async_request(request)
            return response
        finally:
            self.now -= 1


class _SyncInFlight(httpx.BaseTransport):
    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.now = 0
        self.peak = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.now += 1
        self.peak = max(self.peak, self.now)
        try:
            response: httpx.Response = self.inner.handle_request(request)
            return response
        finally:
            self.now -= 1


def _ops(n: int) -> list[BatchOperation]:
    return [BatchOperation.create(m.Customer(display_name=f"Concurrent {i:04d}")) for i in range(n)]


def _async_batch(
    sandbox: QuickBooksSandbox, clock: FakeClock, n: int, **kw: Any
) -> tuple[list[Any], _InFlight]:
    creds = sandbox.credentials()
    transport = _InFlight(sandbox.transport())

    async def run() -> list[Any]:
        async with AsyncQuickBooksClient(
            realm_id=creds["realm_id"],
            auth=creds["access_token"],
            transport=transport,
            sleep=clock.async_sleep,
            clock=clock.monotonic,
            retry=RetryPolicy(max_attempts=4, initial_delay=0.5, jitter=0.0),
            **kw,
        ) as client:
            results = await client.batch(_ops(n))
            assert client.api_calls.total == transport.sent
            return results

    return asyncio.run(run()), transport


def test_async_batch_runs_chunks_concurrently_up_to_the_realm_limit():
    clock = FakeClock()
    sandbox = QuickBooksSandbox(clock=clock, sleep=clock.sleep, async_sleep=clock.async_sleep)
    results, transport = _async_batch(sandbox, clock, 300)  # 10 chunks
    assert len(results) == 300 and all(r.ok for r in results)
    assert [r.entity.display_name for r in results] == [f"Concurrent {i:04d}" for i in range(300)]
    assert transport.peak == 10 and transport.sent == 10
    assert sandbox.count("POST", r"/batch$", status=429) == 0


def test_async_batch_stays_within_the_batch_budget():
    # The assertion is the client's own pacing on its virtual clock: a FakeClock shared by concurrent
    # sleepers runs faster than real time, which makes the sandbox's windows an unreliable oracle for
    # concurrent tasks (the sync pacing test shares one clock with an enforcing sandbox).
    clock = FakeClock()
    sandbox = QuickBooksSandbox(enforce_rate_limits=False)
    started = clock.monotonic()
    results, transport = _async_batch(sandbox, clock, 1000)  # 34 chunks at 15 a minute
    assert len(sandbox.entities("Customer")) == 1000 and all(r.ok for r in results)
    assert transport.sent == 34 and transport.peak == 10
    # 15 chunks a minute: the 16th and the 31st open a new window, so at least two minutes pass.
    assert clock.monotonic() - started >= 120.0
    assert clock.sleeps and all(s > 0 for s in clock.sleeps)


def test_async_concurrency_follows_the_configured_limit():
    clock = FakeClock()
    sandbox = QuickBooksSandbox(clock=clock, sleep=clock.sleep, async_sleep=clock.async_sleep)
    limit = RateLimit(requests=40, per=60.0, max_concurrency=3)
    results, transport = _async_batch(sandbox, clock, 300, batch_rate_limit=limit)
    assert all(r.ok for r in results) and transport.peak == 3 and transport.sent == 10


def test_sync_batch_runs_chunks_in_order():
    clock = FakeClock()
    sandbox = QuickBooksSandbox(clock=clock, sleep=clock.sleep, async_sleep=clock.async_sleep)
    creds = sandbox.credentials()
    transport = _SyncInFlight(sandbox.transport())
    with QuickBooksClient(
        realm_id=creds["realm_id"],
        auth=creds["access_token"],
        transport=transport,
        sleep=clock.sleep,
        clock=clock.monotonic,
    ) as client:
        results = client.batch(_ops(300))
    assert all(r.ok for r in results) and transport.peak == 1
    ids = [int(str(r.entity.id)) for r in results]
    assert ids == sorted(ids)  # chunk after chunk, in the order given
