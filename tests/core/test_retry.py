"""Retries against a sandbox route with injected faults: attempts, Retry-After, idempotency."""

from __future__ import annotations

import asyncio

import pytest

from msplink import RetryPolicy
from msplink.errors import ConfigurationError, RateLimitError, ServerError, TransportError
from msplink.sandbox import FaultKind
from msplink.testing import FakeClock
from tests.core._toy import ToySandbox, async_executor, create_call, get_call, sync_executor


def _faulty_sandbox(clock: FakeClock) -> ToySandbox:
    sandbox = ToySandbox(records=5, clock=clock, seed=7)
    sandbox.faults.inject(FaultKind.RATE_LIMIT, rate=0.15, retry_after=2, path=r"^/api/items/")
    sandbox.faults.inject(FaultKind.SERVER_ERROR, rate=0.15, status=503, path=r"^/api/items/")
    return sandbox


def test_thirty_percent_429_and_503_all_calls_succeed_with_retry_after_honoured() -> None:
    clock = FakeClock()
    sandbox = _faulty_sandbox(clock)
    policy = RetryPolicy(max_attempts=8, initial_delay=0.25, jitter=0)
    with_client = sync_executor(sandbox, sleep=clock.sleep, retry=policy, clock=clock)

    results = [with_client.execute(get_call(1 + n % 5)) for n in range(200)]

    assert all(r["id"] in {1, 2, 3, 4, 5} for r in results)
    throttled = sandbox.count(status=429)
    failed = sandbox.count(status=503)
    # About 30 % of attempts were faulted; every faulted attempt was retried exactly once more.
    assert 0.2 < (throttled + failed) / len(sandbox.requests) < 0.4
    assert len(sandbox.requests) == 200 + throttled + failed
    assert sandbox.faults.injected[FaultKind.RATE_LIMIT] == throttled
    # Each 429 was followed by exactly its Retry-After (2 s); each 503 by the exponential backoff.
    assert clock.sleeps.count(2.0) == throttled
    backoffs = [s for s in clock.sleeps if s != 2.0]
    assert len(backoffs) == failed
    assert set(backoffs) <= {0.25, 0.5, 1.0, 4.0, 8.0, 16.0}


def test_async_twin_gives_the_same_attempts_for_the_same_seed() -> None:
    sync_clock, async_clock = FakeClock(), FakeClock()
    sync_box, async_box = _faulty_sandbox(sync_clock), _faulty_sandbox(async_clock)
    policy = RetryPolicy(max_attempts=8, initial_delay=0.25, jitter=0)
    sync_ex = sync_executor(sync_box, sleep=sync_clock.sleep, retry=policy, clock=sync_clock)
    async_ex = async_executor(async_box, sleep=async_clock.async_sleep, retry=policy, clock=async_clock)

    for n in range(50):
        sync_ex.execute(get_call(1 + n % 5))

    async def run() -> None:
        for n in range(50):
            await async_ex.execute(get_call(1 + n % 5))

    asyncio.run(run())
    assert [(r.path, r.status) for r in sync_box.requests] == [(r.path, r.status) for r in async_box.requests]
    assert sync_clock.sleeps == async_clock.sleeps


def test_non_idempotent_post_is_not_retried_after_a_lost_response() -> None:
    clock = FakeClock()
    sandbox = ToySandbox(clock=clock)
    sandbox.faults.inject(FaultKind.LOSE_RESPONSE, times=1, method="POST")
    executor = sync_executor(sandbox, sleep=clock.sleep)

    with pytest.raises(TransportError) as info:
        executor.execute(create_call("Acme"))

    assert info.value.path == "/items"
    assert sandbox.count("POST") == 1
    assert [i["name"] for i in sandbox.items] == ["Acme"]  # applied once, never duplicated
    assert clock.sleeps == []


def test_idempotent_post_is_retried_after_a_lost_response() -> None:
    clock = FakeClock()
    sandbox = ToySandbox(clock=clock)
    sandbox.faults.inject(FaultKind.DROP_CONNECTION, times=2, method="POST")
    executor = sync_executor(sandbox, sleep=clock.sleep)

    created = executor.execute(create_call("Acme", idempotent=True))

    assert created["name"] == "Acme"
    assert sandbox.count("POST") == 3
    assert clock.sleeps == [0.5, 1.0]


def test_429_on_a_write_is_retried_because_it_was_refused_unprocessed() -> None:
    clock = FakeClock()
    sandbox = ToySandbox(clock=clock)
    sandbox.faults.inject(FaultKind.RATE_LIMIT, times=1, method="POST", retry_after=3)
    executor = sync_executor(sandbox, sleep=clock.sleep)

    executor.execute(create_call("Acme"))

    assert [r.status for r in sandbox.requests] == [429, 201]
    assert clock.sleeps == [3.0]
    assert len(sandbox.items) == 1


def test_503_on_a_non_idempotent_write_is_not_retried() -> None:
    clock = FakeClock()
    sandbox = ToySandbox(clock=clock)
    sandbox.faults.inject(FaultKind.SERVER_ERROR, times=1, method="POST", status=503)
    executor = sync_executor(sandbox, sleep=clock.sleep)

    with pytest.raises(ServerError) as info:
        executor.execute(create_call("Acme"))

    assert info.value.status_code == 503
    assert sandbox.count("POST") == 1


def test_retry_after_above_the_cap_raises_at_once() -> None:
    clock = FakeClock()
    sandbox = ToySandbox(records=1, clock=clock)
    sandbox.faults.inject(FaultKind.RATE_LIMIT, retry_after=600)
    executor = sync_executor(sandbox, sleep=clock.sleep, retry=RetryPolicy(max_retry_after=120, jitter=0))

    with pytest.raises(RateLimitError) as info:
        executor.execute(get_call(1))

    assert info.value.retry_after == 600
    assert info.value.errors[0].code == "Throttled"
    assert len(sandbox.requests) == 1
    assert clock.sleeps == []


def test_attempts_stop_at_max_attempts_and_reraise_the_typed_error() -> None:
    clock = FakeClock()
    sandbox = ToySandbox(records=1, clock=clock)
    sandbox.faults.inject(FaultKind.SERVER_ERROR, status=502)
    executor = sync_executor(sandbox, sleep=clock.sleep, retry=RetryPolicy(max_attempts=3, jitter=0))

    with pytest.raises(ServerError) as info:
        executor.execute(get_call(1))

    assert info.value.status_code == 502
    assert len(sandbox.requests) == 3
    assert clock.sleeps == [0.5, 1.0]


def test_retry_disabled_makes_one_attempt() -> None:
    clock = FakeClock()
    sandbox = ToySandbox(records=1, clock=clock)
    sandbox.faults.inject(FaultKind.SERVER_ERROR, status=500, times=1)
    executor = sync_executor(sandbox, sleep=clock.sleep, retry=RetryPolicy.none())

    with pytest.raises(ServerError):
        executor.execute(get_call(1))
    assert len(sandbox.requests) == 1


def test_with_options_changes_the_policy_for_a_copy_only() -> None:
    clock = FakeClock()
    sandbox = ToySandbox(records=1, clock=clock)
    sandbox.faults.inject(FaultKind.SERVER_ERROR, status=500, times=1)
    executor = sync_executor(sandbox, sleep=clock.sleep)
    strict = executor.with_options(retry=RetryPolicy.none())

    with pytest.raises(ServerError):
        strict.execute(get_call(1))
    assert executor.execute(get_call(1))["id"] == 1
    assert strict.http_client is executor.http_client


def test_backoff_grows_and_is_capped() -> None:
    policy = RetryPolicy(initial_delay=1, max_delay=5, jitter=0)
    assert [policy.backoff(n) for n in range(1, 6)] == [1, 2, 4, 5, 5]
    jittered = RetryPolicy(initial_delay=1, max_delay=100, jitter=0.5)
    assert all(1 <= jittered.backoff(1) <= 1.5 for _ in range(50))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_attempts": 0},
        {"initial_delay": -1},
        {"max_delay": -0.1},
        {"max_retry_after": -5},
        {"jitter": -1},
    ],
)
def test_invalid_policy_is_a_configuration_error(kwargs: dict[str, float]) -> None:
    with pytest.raises(ConfigurationError):
        RetryPolicy(**kwargs)  # type: ignore[arg-type]


def test_throttle_without_retry_after_waits_at_least_the_rate_limit_delay() -> None:
    import httpx

    from msplink._core import SyncExecutor
    from msplink.testing import MockRouter
    from tests.core._toy import BASE_URL, TOY

    router = MockRouter()
    router.get("/api/items/1", httpx.Response(429), httpx.Response(200, json={"id": 1, "name": "a"}))
    clock = FakeClock()
    executor = SyncExecutor(
        platform=TOY,
        base_url=BASE_URL,
        transport=router.transport(),
        sleep=clock.sleep,
        retry=RetryPolicy(rate_limit_delay=60, jitter=0),
    )
    assert executor.execute(get_call(1))["id"] == 1
    assert clock.sleeps == [60.0]
    assert executor.sleep == clock.sleep
