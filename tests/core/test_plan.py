"""Multi-call plans: one generator, driven by the sync and async executors with the same outcome."""

from __future__ import annotations

import asyncio
import gzip
from collections.abc import Generator, Iterator
from typing import Any

import httpx
import pytest

from msplink._core import (
    AsyncExecutor,
    Call,
    Gather,
    Page,
    Paginator,
    Plan,
    RetryPolicy,
    Sleep,
    SyncExecutor,
    decode_json,
    loads_json,
    path,
)
from msplink.errors import APIError, ConfigurationError, MsplinkError, NotFoundError, TransportError
from msplink.testing import MockRouter
from tests.core._toy import BASE_URL, TOY


def _json(response: httpx.Response) -> Any:
    return decode_json(response)


def _plan(log: list[str]) -> Plan[tuple[Any, ...]]:
    first = yield Call(method="GET", path="/a", parse=_json)
    log.append(f"a={first}")
    yield Sleep(2.5)
    try:
        yield Call(method="GET", path="/missing", parse=_json)
    except NotFoundError as exc:
        log.append(f"missing={exc.status_code}")
    gathered = yield Gather(
        [Call(method="GET", path=f"/n/{i}", parse=_json) for i in range(3)], concurrency=2
    )
    return (first, *gathered)


def _router() -> MockRouter:
    router = MockRouter()
    router.get("/api/a", json={"v": 1})
    router.get("/api/missing", status=404, json={"code": "NotFound", "message": "no"})
    for i in range(3):
        if i == 1:
            router.get(f"/api/n/{i}", status=400, json={"code": "Bad", "message": "bad"})
        else:
            router.get(f"/api/n/{i}", json={"n": i})
    return router


def test_the_sync_and_async_drivers_give_the_same_result_and_log() -> None:
    sync_slept: list[float] = []
    sync_log: list[str] = []
    router = _router()
    executor = SyncExecutor(
        platform=TOY, base_url=BASE_URL, transport=router.transport(), sleep=sync_slept.append
    )
    sync_result = executor.run(_plan(sync_log))

    async_slept: list[float] = []
    async_log: list[str] = []

    async def asleep(seconds: float) -> None:
        async_slept.append(seconds)

    async def go() -> tuple[Any, ...]:
        arouter = _router()
        aexec = AsyncExecutor(platform=TOY, base_url=BASE_URL, transport=arouter.transport(), sleep=asleep)
        try:
            return await aexec.run(_plan(async_log))
        finally:
            await aexec.aclose()

    async_result = asyncio.run(go())
    for result, log, slept in ((sync_result, sync_log, sync_slept), (async_result, async_log, async_slept)):
        assert result[0] == {"v": 1}
        assert result[1] == {"n": 0}
        assert isinstance(result[2], APIError)
        assert result[2].status_code == 400
        assert result[3] == {"n": 2}
        assert log == ["a={'v': 1}", "missing=404"]
        assert slept == [2.5]
    assert len(router.calls) == 5
    assert executor.api_calls.total == 5
    assert executor.with_options(timeout=3).api_calls is executor.api_calls


def test_an_error_the_plan_does_not_catch_propagates_and_closes_the_plan() -> None:
    closed: list[bool] = []

    def plan() -> Generator[Any, Any, None]:
        try:
            yield Call(method="GET", path="/missing", parse=_json)
        finally:
            closed.append(True)

    executor = SyncExecutor(platform=TOY, base_url=BASE_URL, transport=_router().transport())
    with pytest.raises(NotFoundError):
        executor.run(plan())
    assert closed == [True]


def test_async_gather_runs_up_to_its_concurrency() -> None:
    in_flight = 0
    peak = 0

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.01)
        in_flight -= 1
        return httpx.Response(200, json={"ok": True})

    def plan() -> Generator[Any, Any, int]:
        results = yield Gather(
            [Call(method="GET", path=f"/x/{i}", parse=_json) for i in range(10)], concurrency=3
        )
        return len(results)

    async def go() -> int:
        aexec = AsyncExecutor(platform=TOY, base_url=BASE_URL, transport=httpx.MockTransport(handler))
        try:
            return await aexec.run(plan())
        finally:
            await aexec.aclose()

    assert asyncio.run(go()) == 10
    assert peak == 3


def test_gather_concurrency_must_be_positive() -> None:
    with pytest.raises(ConfigurationError):
        Gather([], concurrency=0)


@pytest.mark.parametrize("value", [".", "..", ""])
def test_dot_segments_and_empty_ids_never_reach_a_path(value: str) -> None:
    with pytest.raises(ConfigurationError):
        path("/sobjects/Account/{id}", id=value)


@pytest.mark.parametrize("value", ["...", ".a", "a/..", "%2e%2e"])
def test_other_dotted_ids_stay_inside_their_segment(value: str) -> None:
    rendered = path("/things/{id}", id=value)
    assert rendered.count("/") == 2
    assert rendered.split("/")[-1] not in {".", ".."}


def test_hostile_nesting_is_a_value_error_not_a_recursion_error() -> None:
    with pytest.raises(ValueError, match="nests too deeply"):
        loads_json("[" * 200_000 + "]" * 200_000)


class _Raw(httpx.SyncByteStream):
    """A body httpx decodes lazily, as a real network body is."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def __iter__(self) -> Iterator[bytes]:
        yield self._data


def test_deep_json_and_fake_gzip_bodies_are_typed_errors() -> None:
    router = MockRouter()
    router.add("GET", "/api/deep", httpx.Response(200, content=b"[" * 100_000 + b"]" * 100_000))
    gz = {"Content-Encoding": "gzip"}
    router.add("GET", "/api/gzip", lambda request: httpx.Response(200, headers=gz, stream=_Raw(b'{"a": 1}')))
    real = gzip.compress(b'{"a": 1}')
    router.add("GET", "/api/realgzip", lambda request: httpx.Response(200, headers=gz, stream=_Raw(real)))
    executor = SyncExecutor(
        platform=TOY, base_url=BASE_URL, transport=router.transport(), retry=RetryPolicy.none()
    )
    with pytest.raises(APIError) as deep:
        executor.execute(Call(method="GET", path="/deep", parse=_json))
    assert deep.value.codes == ("malformed_response",)
    with pytest.raises(TransportError):
        executor.execute(Call(method="GET", path="/gzip", parse=_json))
    assert executor.execute(Call(method="GET", path="/realgzip", parse=_json)) == {"a": 1}


def _paged(cursors: list[str | None]) -> Paginator[int]:
    router = MockRouter()
    router.get("/api/p", json={})
    executor = SyncExecutor(platform=TOY, base_url=BASE_URL, transport=router.transport())
    pages = iter(cursors)

    def parse(response: httpx.Response) -> Page[int]:
        return Page(items=[1], next_cursor=next(pages))

    def next_call(prev: Call[Page[int]], page: Page[int]) -> Call[Page[int]] | None:
        if page.next_cursor is None:
            return None
        return prev.replace(params={"cursor": page.next_cursor})

    return Paginator(executor, Call(method="GET", path="/p", parse=parse), next_call)


def test_a_repeated_cursor_stops_the_walk_with_an_error() -> None:
    with pytest.raises(APIError) as info:
        list(_paged(["a", "b", "a", "b"]))
    assert info.value.codes == ("repeated_cursor",)
    assert isinstance(info.value, MsplinkError)


def test_distinct_cursors_walk_to_the_end() -> None:
    assert list(_paged(["a", "b", None])) == [1, 1, 1]


@pytest.mark.parametrize("relative", ["@evil.example/x", "evil.example/x", ".evil.example/x", ""])
def test_relative_paths_must_start_with_a_slash(relative: str) -> None:
    router = MockRouter()
    executor = SyncExecutor(platform=TOY, base_url=BASE_URL, transport=router.transport())
    with pytest.raises(APIError) as info:
        executor.execute(Call(method="GET", path=relative, template="/x"))
    assert info.value.codes == ("invalid_url",)
    assert router.calls == []


def test_one_async_executor_serves_two_event_loops() -> None:
    from msplink._core import RateLimit

    router = MockRouter()
    router.get("/api/x", json={"ok": True})
    aexec = AsyncExecutor(
        platform=TOY,
        base_url=BASE_URL,
        transport=router.transport(),
        rate_limit=RateLimit(requests=1000, per=60, max_concurrency=2),
    )

    async def burst() -> list[Any]:
        return list(
            await asyncio.gather(
                *(aexec.execute(Call(method="GET", path="/x", parse=_json)) for _ in range(5))
            )
        )

    assert asyncio.run(burst()) == [{"ok": True}] * 5
    assert asyncio.run(burst()) == [{"ok": True}] * 5
    assert aexec.api_calls.total == 10
