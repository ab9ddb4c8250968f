"""Fixtures: a QBO sandbox on a fake clock, OAuth wired to it, and sync/async clients behind one adapter."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from msplink._core import RetryPolicy
from msplink.quickbooks import (
    AsyncQuickBooksClient,
    MemoryTokenStore,
    OAuthToken,
    QuickBooksClient,
    QuickBooksOAuth2,
)
from msplink.sandbox.quickbooks import QuickBooksSandbox
from msplink.testing import FakeClock, SyncAdapter

SAMPLES = Path(__file__).resolve().parent / "samples"
"""A verbatim copy of ../shared/apis/quickbooks/samples (Intuit's API-reference payloads), so CI needs no
checkout of the shared folder; ``test_samples_match_the_shared_reference`` catches drift."""

SHARED_SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "apis" / "quickbooks" / "samples"

FAST_RETRY = RetryPolicy(max_attempts=4, initial_delay=0.5, jitter=0.0)


def sample(name: str) -> Any:
    """A real payload from ../shared/apis/quickbooks/samples (Decimals for fractions)."""
    return json.loads((SAMPLES / name).read_text(encoding="utf-8"), parse_float=Decimal)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sandbox(clock: FakeClock) -> QuickBooksSandbox:
    return QuickBooksSandbox(clock=clock, sleep=clock.sleep, async_sleep=clock.async_sleep)


@pytest.fixture
def creds(sandbox: QuickBooksSandbox) -> dict[str, Any]:
    return sandbox.credentials()


@pytest.fixture
def store(creds: dict[str, Any], clock: FakeClock) -> MemoryTokenStore:
    return MemoryTokenStore(
        OAuthToken(
            access_token=creds["access_token"],
            refresh_token=creds["refresh_token"],
            expires_at=clock.now() + timedelta(seconds=3600),
            realm_id=creds["realm_id"],
        )
    )


@pytest.fixture
def auth(creds: dict[str, Any], store: MemoryTokenStore, clock: FakeClock) -> QuickBooksOAuth2:
    return QuickBooksOAuth2(
        client_id=creds["client_id"],
        client_secret=creds["client_secret"],
        store=store,
        redirect_uri=creds["redirect_uri"],
        now=clock.now,
    )


def make_sync(sandbox: QuickBooksSandbox, auth: Any, clock: FakeClock, **kw: Any) -> QuickBooksClient:
    return QuickBooksClient(
        realm_id=sandbox.realm_id,
        auth=auth,
        transport=sandbox.transport(),
        sleep=clock.sleep,
        clock=clock.monotonic,
        retry=kw.pop("retry", FAST_RETRY),
        **kw,
    )


def make_async(sandbox: QuickBooksSandbox, auth: Any, clock: FakeClock, **kw: Any) -> AsyncQuickBooksClient:
    return AsyncQuickBooksClient(
        realm_id=sandbox.realm_id,
        auth=auth,
        transport=sandbox.transport(),
        sleep=clock.async_sleep,
        clock=clock.monotonic,
        retry=kw.pop("retry", FAST_RETRY),
        **kw,
    )


@pytest.fixture(params=["sync", "async"])
def qbo(
    request: pytest.FixtureRequest, sandbox: QuickBooksSandbox, auth: QuickBooksOAuth2, clock: FakeClock
) -> Iterator[Any]:
    """The sync client, or the async client behind a synchronous adapter (same test body)."""
    if request.param == "sync":
        client = make_sync(sandbox, auth, clock)
        yield client
        client.close()
        return
    loop = asyncio.new_event_loop()
    aclient = make_async(sandbox, auth, clock)
    yield SyncAdapter(aclient, loop)
    loop.run_until_complete(aclient.aclose())
    loop.close()
