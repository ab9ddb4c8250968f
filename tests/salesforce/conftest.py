"""Fixtures: a seeded sandbox sharing a FakeClock with sync and async clients (twins run the same tests)."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Iterator
from typing import Any

import pytest

from msplink._core import AsyncPaginator
from msplink.salesforce import AsyncSalesforceClient, JWTBearerAuth, SalesforceClient
from msplink.sandbox.salesforce import SalesforceSandbox
from msplink.testing import FakeClock


class _Pages:
    """A sync view of an AsyncPaginator."""

    def __init__(self, paginator: AsyncPaginator[Any], loop: asyncio.AbstractEventLoop) -> None:
        self._p = paginator
        self._loop = loop

    def to_list(self) -> list[Any]:
        return self._loop.run_until_complete(self._p.to_list())

    def first(self) -> Any:
        return self._loop.run_until_complete(self._p.first())

    def pages(self) -> list[Any]:
        async def collect() -> list[Any]:
            return [page async for page in self._p.pages()]

        return self._loop.run_until_complete(collect())

    def __iter__(self) -> Iterator[Any]:
        return iter(self.to_list())


class SyncView:
    """Wraps the async client so a test body calls it like the sync one."""

    def __init__(self, target: Any, loop: asyncio.AbstractEventLoop) -> None:
        self._target = target
        self._loop = loop

    def __setattr__(self, name: str, value: Any) -> None:
        if name.startswith("_"):
            object.__setattr__(self, name, value)
        else:
            setattr(self._target, name, value)

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if callable(value):

            def call(*args: Any, **kwargs: Any) -> Any:
                result = value(*args, **kwargs)
                if inspect.isawaitable(result):
                    result = self._loop.run_until_complete(result)
                if isinstance(result, AsyncPaginator):
                    return _Pages(result, self._loop)
                if hasattr(result, "_client"):
                    return SyncView(result, self._loop)
                return result

            return call
        if hasattr(value, "_client"):
            return SyncView(value, self._loop)
        return value


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sandbox(clock: FakeClock) -> SalesforceSandbox:
    sb = SalesforceSandbox(clock=clock, wall_clock=clock.now)
    sb.seed(size=10, seed=1)
    return sb


def make_auth(sandbox: SalesforceSandbox) -> JWTBearerAuth:
    creds = sandbox.credentials()
    return JWTBearerAuth(
        client_id=creds["client_id"], username=creds["username"], private_key=creds["private_key"]
    )


@pytest.fixture(params=["sync", "async"])
def client(request: pytest.FixtureRequest, sandbox: SalesforceSandbox, clock: FakeClock) -> Iterator[Any]:
    """The sync client, or the async client behind a sync view: the same test runs against both."""
    auth = make_auth(sandbox)
    if request.param == "sync":
        with SalesforceClient(auth=auth, transport=sandbox.transport(), sleep=clock.sleep) as sync_client:
            yield sync_client
        return
    loop = asyncio.new_event_loop()
    async_client = AsyncSalesforceClient(auth=auth, transport=sandbox.transport(), sleep=clock.async_sleep)
    try:
        yield SyncView(async_client, loop)
    finally:
        loop.run_until_complete(async_client.aclose())
        loop.close()
