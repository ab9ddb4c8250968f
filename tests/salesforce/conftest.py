"""Fixtures: a seeded sandbox sharing a FakeClock with sync and async clients (twins run the same tests)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from msplink.salesforce import AsyncSalesforceClient, JWTBearerAuth, SalesforceClient
from msplink.sandbox.salesforce import SalesforceSandbox
from msplink.testing import FakeClock, SyncAdapter


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
