"""A window slot counts from the request's answer, not its send (issue 18).

A server meters a request when it arrives, which is a latency after the client sent it (the QBO
sandbox meters each ``/batch`` item when it runs, after its latency). A client window that counted
from the send reopened up to one latency early: at 100 ms of latency, 1,000 QBO creates through
``batch()`` made 47 calls instead of 34 (items refused with 3001, batches with 429, then resent).
"""

from __future__ import annotations

import asyncio

from benchmarks._virtual import run_virtual

from msplink import RateLimit
from msplink._core import RateLimiter
from msplink.quickbooks import AsyncQuickBooksClient, BatchOperation, QuickBooksClient
from msplink.quickbooks import models as m
from msplink.sandbox import FaultKind
from msplink.sandbox.quickbooks import QuickBooksSandbox
from msplink.testing import FakeClock


def test_a_slot_counts_from_its_answer() -> None:
    clock = FakeClock()
    limiter = RateLimiter(RateLimit(requests=2, per=60.0), sleep=clock.sleep, clock=clock)
    for _ in range(2):
        slot = limiter.acquire()
        clock.advance(5.0)  # the request takes 5 s to be answered
        limiter.release(slot)
    limiter.acquire()
    # the first answer came at t=5: the window reopens at 65 (t is 10 now), not at 60
    assert clock.sleeps == [55.0]


def _ops(n: int) -> list[BatchOperation]:
    return [BatchOperation.create(m.Customer(display_name=f"Latency {i:04d}")) for i in range(n)]


def _sandbox(clock: FakeClock, *, asynchronous: bool) -> QuickBooksSandbox:
    box = QuickBooksSandbox(
        clock=clock, sleep=clock.sleep, async_sleep=asyncio.sleep if asynchronous else clock.async_sleep
    )
    box.faults.inject(FaultKind.LATENCY, latency=0.1)
    return box


def _refusals(box: QuickBooksSandbox) -> int:
    return box.count("POST", r"/batch$", status=429)


def test_sync_batch_under_latency_is_never_refused() -> None:
    clock = FakeClock()
    box = _sandbox(clock, asynchronous=False)
    creds = box.credentials()
    with QuickBooksClient(
        realm_id=creds["realm_id"], auth=creds["access_token"], transport=box.transport(),
        sleep=clock.sleep, clock=clock.monotonic,
    ) as client:  # fmt: skip
        results = client.batch(_ops(1000))
    assert all(r.ok for r in results) and len(box.entities("Customer")) == 1000
    assert box.count("POST", r"/batch$") == 34 and _refusals(box) == 0


def test_async_batch_under_latency_is_never_refused() -> None:
    clock = FakeClock()
    box = _sandbox(clock, asynchronous=True)
    creds = box.credentials()

    async def run() -> list[object]:
        async with AsyncQuickBooksClient(
            realm_id=creds["realm_id"], auth=creds["access_token"], transport=box.transport(),
            sleep=asyncio.sleep, clock=clock.monotonic,
        ) as client:  # fmt: skip
            return list(await client.batch(_ops(1000)))

    started = clock.monotonic()
    results = run_virtual(clock, run)
    assert len(results) == 1000 and len(box.entities("Customer")) == 1000
    assert box.count("POST", r"/batch$") == 34 and _refusals(box) == 0
    # 15 batches a minute (450 items, within the realm's 500): three windows, then the answer's latency
    assert 120.0 < clock.monotonic() - started < 121.0
