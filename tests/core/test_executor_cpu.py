"""The executor's CPU shortcuts keep its behaviour: the first attempt outside tenacity (a failure is
still retried by the policy, once per attempt), and the cookie jar that skips responses setting no
cookie (a cookie that is set is still kept and sent back)."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from msplink import RetryPolicy
from msplink._core import AsyncExecutor, Call, SyncExecutor, decode_json
from msplink.errors import BadRequestError, ServerError
from msplink.testing import FakeClock, MockRouter
from tests.core._toy import BASE_URL, TOY


def _sync(router: MockRouter, clock: FakeClock, **kw: object) -> SyncExecutor:
    return SyncExecutor(
        platform=TOY,
        base_url=BASE_URL,
        transport=router.transport(),
        sleep=clock.sleep,
        **kw,  # type: ignore[arg-type]
    )


def test_a_failed_first_attempt_is_retried_by_the_policy() -> None:
    router = MockRouter()
    route = router.get(
        "/api/x",
        httpx.Response(503, json={}),
        httpx.Response(503, json={}),
        httpx.Response(200, json={"ok": 1}),
    )
    clock = FakeClock()
    executor = _sync(router, clock, retry=RetryPolicy(max_attempts=3, initial_delay=0.5, jitter=0))
    assert executor.execute(Call(method="GET", path="/x", parse=decode_json)) == {"ok": 1}
    assert route.call_count == 3
    assert executor.api_calls.total == 3
    assert clock.sleeps == [0.5, 1.0]


def test_a_first_attempt_the_policy_does_not_retry_raises_after_one_request() -> None:
    router = MockRouter()
    route = router.get("/api/x", status=400, json={"code": "bad", "message": "no"})
    clock = FakeClock()
    executor = _sync(router, clock, retry=RetryPolicy(max_attempts=5, jitter=0))
    with pytest.raises(BadRequestError):
        executor.execute(Call(method="GET", path="/x"))
    assert (route.call_count, clock.sleeps) == (1, [])


def test_the_last_attempt_error_is_raised_when_attempts_run_out() -> None:
    router = MockRouter()
    route = router.get("/api/x", status=503, json={})
    clock = FakeClock()
    executor = _sync(router, clock, retry=RetryPolicy(max_attempts=2, initial_delay=1, jitter=0))
    with pytest.raises(ServerError):
        executor.execute(Call(method="GET", path="/x"))
    assert (route.call_count, clock.sleeps) == (2, [1.0])


def test_a_non_msplink_exception_of_the_first_attempt_propagates_unretried() -> None:
    router = MockRouter()
    route = router.get("/api/x", json={})

    def boom(response: httpx.Response) -> object:
        raise KeyboardInterrupt

    clock = FakeClock()
    executor = _sync(router, clock, retry=RetryPolicy(max_attempts=4, jitter=0))
    with pytest.raises(KeyboardInterrupt):
        executor.execute(Call(method="GET", path="/x", parse=boom))
    assert (route.call_count, clock.sleeps) == (1, [])


def test_async_first_attempt_failure_is_retried_the_same() -> None:
    router = MockRouter()
    route = router.get("/api/x", httpx.Response(503, json={}), httpx.Response(200, json={"ok": 2}))
    clock = FakeClock()

    async def run() -> object:
        executor = AsyncExecutor(
            platform=TOY, base_url=BASE_URL, transport=router.transport(), sleep=clock.async_sleep,
            retry=RetryPolicy(max_attempts=3, initial_delay=0.25, jitter=0),
        )  # fmt: skip
        try:
            return await executor.execute(Call(method="GET", path="/x", parse=decode_json))
        finally:
            await executor.aclose()

    assert asyncio.run(run()) == {"ok": 2}
    assert (route.call_count, clock.sleeps) == (2, [0.25])


def _cookie_router() -> tuple[MockRouter, list[httpx.Request]]:
    router = MockRouter()
    router.get("/api/login", json={}, headers={"Set-Cookie": "session=abc; Path=/"})
    seen = router.get("/api/x", json={})
    return router, seen.calls


def test_a_cookie_set_by_a_response_is_sent_back_and_others_leave_the_jar_alone() -> None:
    router, seen = _cookie_router()
    executor = _sync(router, FakeClock())
    executor.execute(Call(method="GET", path="/x"))
    assert len(executor.http_client.cookies.jar) == 0
    executor.execute(Call(method="GET", path="/login"))
    executor.execute(Call(method="GET", path="/x"))
    assert [r.headers.get("Cookie") for r in seen] == [None, "session=abc"]
    assert dict(executor.http_client.cookies) == {"session": "abc"}


def test_the_async_client_keeps_set_cookies_too() -> None:
    router, seen = _cookie_router()

    async def run() -> None:
        executor = AsyncExecutor(platform=TOY, base_url=BASE_URL, transport=router.transport())
        await executor.execute(Call(method="GET", path="/login"))
        await executor.execute(Call(method="GET", path="/x"))
        await executor.aclose()

    asyncio.run(run())
    assert [r.headers.get("Cookie") for r in seen] == ["session=abc"]


def test_a_lent_client_keeps_its_own_cookie_jar() -> None:
    router, _ = _cookie_router()
    lent = httpx.Client(transport=router.transport())
    jar = lent.cookies
    executor = SyncExecutor(platform=TOY, base_url=BASE_URL, http_client=lent)
    executor.execute(Call(method="GET", path="/login"))
    assert lent.cookies is jar and type(jar) is httpx.Cookies
    assert dict(jar) == {"session": "abc"}


def test_a_url_parsed_once_still_carries_each_calls_own_parameters() -> None:
    router = MockRouter()
    route = router.get("/api/items", json={})
    executor = _sync(router, FakeClock())
    for page in ("1", "2"):
        executor.execute(Call(method="GET", path="/items", params={"page": page, "tag": ["a b", "c"]}))
    executor.execute(Call(method="GET", path="/items"))
    assert [str(r.url) for r in route.calls] == [
        "https://toy.example.com/api/items?page=1&tag=a+b&tag=c",
        "https://toy.example.com/api/items?page=2&tag=a+b&tag=c",
        "https://toy.example.com/api/items",
    ]
