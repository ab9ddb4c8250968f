"""Client-side rate limiting in virtual time."""

from __future__ import annotations

import asyncio
import contextlib
import threading

import pytest

from msplink import RateLimit
from msplink._core import AsyncRateLimiter, RateLimiter
from msplink.errors import ConfigurationError
from msplink.sandbox import SandboxRateLimit
from msplink.testing import FakeClock
from tests.core._toy import ToySandbox, get_call, sync_executor


def test_window_spaces_requests_exactly() -> None:
    clock = FakeClock()
    limiter = RateLimiter(RateLimit(requests=5, per=1.0), sleep=clock.sleep, clock=clock)
    for _ in range(12):
        limiter.acquire()
        limiter.release()
    # A sliding window: 5 at t=0, 5 at t=1, 2 at t=2.
    assert clock.sleeps == [1.0, 1.0]


def test_async_window_spaces_requests_exactly() -> None:
    clock = FakeClock()
    limiter = AsyncRateLimiter(RateLimit(requests=3, per=10.0), sleep=clock.async_sleep, clock=clock)

    async def run() -> None:
        for _ in range(7):
            await limiter.acquire()
            limiter.release()

    asyncio.run(run())
    assert clock.sleeps == [10.0, 10.0]  # 3 at t=0, 3 at t=10, 1 at t=20


def test_concurrency_is_capped() -> None:
    limiter = RateLimiter(RateLimit(max_concurrency=3))
    inside = 0
    peak = 0
    lock = threading.Lock()
    gate = threading.Barrier(3, timeout=5)

    def work() -> None:
        nonlocal inside, peak
        limiter.acquire()
        try:
            with lock:
                inside += 1
                peak = max(peak, inside)
            with contextlib.suppress(threading.BrokenBarrierError):
                gate.wait()
            with lock:
                inside -= 1
        finally:
            limiter.release()

    threads = [threading.Thread(target=work) for _ in range(9)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert peak == 3


def test_client_limit_keeps_a_sandbox_limit_from_ever_answering_429() -> None:
    clock = FakeClock()
    sandbox = ToySandbox(
        records=1, clock=clock, limits=[SandboxRateLimit(name="minute", requests=100, window=60)]
    )
    executor = sync_executor(
        sandbox, sleep=clock.sleep, clock=clock, rate_limit=RateLimit(requests=90, per=60)
    )

    for _ in range(300):
        executor.execute(get_call(1))

    assert sandbox.count(status=429) == 0
    assert len(sandbox.requests) == 300
    assert clock.sleeps == [60.0, 60.0, 60.0]  # 90 + 90 + 90 + 30


@pytest.mark.parametrize("kwargs", [{"requests": 0}, {"per": 0}, {"max_concurrency": 0}])
def test_invalid_rate_limit(kwargs: dict[str, float]) -> None:
    with pytest.raises(ConfigurationError):
        RateLimit(**kwargs)  # type: ignore[arg-type]
