"""Fixtures: a sandbox on a fake clock, and the sync and async clients behind one adapter."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Iterator
from typing import Any

import pytest

from msplink._core import AsyncPaginator, RetryPolicy
from msplink.connectwise import AsyncConnectWiseClient, AsyncResource, ConnectWiseClient
from msplink.sandbox.connectwise import ConnectWiseSandbox
from msplink.testing import FakeClock

FAST_RETRY = RetryPolicy(max_attempts=4, initial_delay=0.5, jitter=0.0)


class PaginatorProxy:
    """Runs an AsyncPaginator on the adapter's loop with the sync paginator's surface."""

    def __init__(self, paginator: AsyncPaginator[Any], loop: asyncio.AbstractEventLoop) -> None:
        self._paginator = paginator
        self._loop = loop

    def to_list(self) -> list[Any]:
        return self._loop.run_until_complete(self._paginator.to_list())

    def first(self) -> Any:
        return self._loop.run_until_complete(self._paginator.first())

    def pages(self) -> list[Any]:
        async def collect() -> list[Any]:
            return [page async for page in self._paginator.pages()]

        return self._loop.run_until_complete(collect())

    def __iter__(self) -> Iterator[Any]:
        return iter(self.to_list())


class AsyncProxy:
    """Makes an async client (or resource) look synchronous, so one test body drives both twins."""

    def __init__(self, target: Any, loop: asyncio.AbstractEventLoop) -> None:
        self._target = target
        self._loop = loop

    def _wrap(self, value: Any) -> Any:
        if inspect.isawaitable(value):
            return self._wrap(self._loop.run_until_complete(value))
        if isinstance(value, AsyncPaginator):
            return PaginatorProxy(value, self._loop)
        if isinstance(value, (AsyncResource, AsyncConnectWiseClient)):
            return AsyncProxy(value, self._loop)
        return value

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._target, name)
        if callable(attr) and not isinstance(attr, type):

            def call(*args: Any, **kwargs: Any) -> Any:
                return self._wrap(attr(*args, **kwargs))

            return call
        return self._wrap(attr)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sandbox(clock: FakeClock) -> ConnectWiseSandbox:
    return ConnectWiseSandbox(clock=clock, now=clock.now, sleep=clock.sleep, async_sleep=clock.async_sleep)


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def make_client(mode: str, sandbox: ConnectWiseSandbox, clock: FakeClock) -> Iterator[Any]:
    """Build a (sync, or proxied async) client on the sandbox; extra kwargs go to the constructor."""
    loop = asyncio.new_event_loop()
    made: list[Any] = []

    def build(**overrides: Any) -> Any:
        options: dict[str, Any] = {
            **sandbox.credentials(),
            "transport": sandbox.transport(),
            "retry": FAST_RETRY,
        }
        options.update(overrides)
        if mode == "sync":
            client: Any = ConnectWiseClient(sleep=clock.sleep, clock=clock.monotonic, **options)
            made.append(client)
            return client
        aclient = AsyncConnectWiseClient(sleep=clock.async_sleep, clock=clock.monotonic, **options)
        made.append(aclient)
        return AsyncProxy(aclient, loop)

    yield build
    for client in made:
        if isinstance(client, AsyncConnectWiseClient):
            loop.run_until_complete(client.aclose())
        else:
            client.close()
    loop.close()


@pytest.fixture
def cw(make_client: Any) -> Any:
    return make_client()
