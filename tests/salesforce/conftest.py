"""Fixtures: a seeded sandbox sharing a FakeClock with sync and async clients (twins run the same tests)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from msplink.salesforce import AccessTokenAuth, AsyncSalesforceClient, JWTBearerAuth, SalesforceClient
from msplink.sandbox.salesforce import SalesforceSandbox
from msplink.testing import FakeClock, MockRouter, SyncAdapter


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
        yield SyncAdapter(async_client, loop)
    finally:
        loop.run_until_complete(async_client.aclose())
        loop.close()


INSTANCE = "https://acme.my.salesforce.com"
"""The instance URL of the MockRouter clients (``mocked``)."""

SESSION = "00DdM00000vfgTu!SESSION-SECRET"


async def _no_wait(seconds: float) -> None:
    return None


@pytest.fixture(params=["sync", "async"])
def mocked(request: pytest.FixtureRequest) -> Iterator[Callable[..., Any]]:
    """Build a client (sync, or async behind a sync view) over a MockRouter, for hostile answers."""
    closers: list[Callable[[], None]] = []

    def make(router: MockRouter, **options: Any) -> Any:
        auth = AccessTokenAuth(access_token=SESSION, instance_url=INSTANCE)
        if request.param == "sync":
            sync_client = SalesforceClient(
                auth=auth, transport=router.transport(), sleep=lambda s: None, **options
            )
            closers.append(sync_client.close)
            return sync_client
        loop = asyncio.new_event_loop()
        async_client = AsyncSalesforceClient(
            auth=auth, transport=router.transport(), sleep=_no_wait, **options
        )

        def close() -> None:
            loop.run_until_complete(async_client.aclose())
            loop.close()

        closers.append(close)
        return SyncAdapter(async_client, loop)

    yield make
    for close in closers:
        close()
