"""Fixtures: a sandbox on a fake clock, and the sync and async clients behind one adapter."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from msplink._core import RetryPolicy
from msplink.connectwise import AsyncConnectWiseClient, ConnectWiseClient
from msplink.sandbox.connectwise import ConnectWiseSandbox
from msplink.testing import FakeClock, SyncAdapter

FAST_RETRY = RetryPolicy(max_attempts=4, initial_delay=0.5, jitter=0.0)


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
        return SyncAdapter(aclient, loop)

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
