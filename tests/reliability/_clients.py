"""Clients of a world with their auth objects in the test's hands (token stores to inspect, grants to
revoke), sync or async; async ones wait with ``asyncio.sleep`` so they run concurrently on the
virtual-time loop (``benchmarks._virtual``)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator, Mapping
from datetime import timedelta
from typing import Any

import attrs
import httpx

from msplink.connectwise import AsyncConnectWiseClient, ConnectWiseClient
from msplink.quickbooks import (
    AsyncQuickBooksClient,
    MemoryTokenStore,
    OAuthToken,
    QuickBooksClient,
    QuickBooksOAuth2,
)
from msplink.salesforce import AsyncSalesforceClient, ClientCredentialsAuth, SalesforceClient
from msplink.sandbox import World


@attrs.define
class Auths:
    """The auth objects of one set of clients (and the QBO token store)."""

    qbo: QuickBooksOAuth2
    store: MemoryTokenStore
    sf: ClientCredentialsAuth


def auths(world: World, qbo_transport: httpx.BaseTransport | None = None) -> Auths:
    """A fresh QBO grant (in a memory store) and Salesforce client-credentials auth; the QBO token
    requests go through ``qbo_transport`` (default: the sandbox's)."""
    creds = world.qbo.credentials()
    store = MemoryTokenStore(
        OAuthToken(
            access_token=creds["access_token"],
            refresh_token=creds["refresh_token"],
            expires_at=world.clock.now() + timedelta(seconds=int(creds["expires_in"])),
            realm_id=creds["realm_id"],
        )
    )
    qbo = QuickBooksOAuth2(
        client_id=creds["client_id"],
        client_secret=creds["client_secret"],
        store=store,
        redirect_uri=creds["redirect_uri"],
        now=world.clock.now,
        transport=qbo_transport or world.qbo.transport(),
    )
    sf_creds = world.sf.credentials()
    sf = ClientCredentialsAuth(
        client_id=sf_creds["client_id"], client_secret=sf_creds["client_secret"], clock=world.clock.monotonic
    )
    return Auths(qbo=qbo, store=store, sf=sf)


@attrs.frozen
class Clients:
    cw: Any
    qbo: Any
    sf: Any


def _transport(world: World, system: str, transports: Mapping[str, Any] | None) -> Any:
    given = (transports or {}).get(system)
    if given is not None:
        return given
    return {"cw": world.cw, "qbo": world.qbo, "sf": world.sf}[system].transport()


@contextlib.contextmanager
def sync_clients(
    world: World, a: Auths, transports: Mapping[str, httpx.BaseTransport] | None = None
) -> Iterator[Clients]:
    """Sync clients on the world's fake clock."""
    clock = world.clock
    with (
        ConnectWiseClient(
            **world.cw.credentials(), transport=_transport(world, "cw", transports), sleep=clock.sleep,
            clock=clock.monotonic,
        ) as cw,
        QuickBooksClient(
            realm_id=world.qbo.realm_id, auth=a.qbo, transport=_transport(world, "qbo", transports),
            sleep=clock.sleep, clock=clock.monotonic, now=clock.now,
        ) as qbo,
        SalesforceClient(auth=a.sf, transport=_transport(world, "sf", transports), sleep=clock.sleep) as sf,
    ):  # fmt: skip
        yield Clients(cw=cw, qbo=qbo, sf=sf)


@contextlib.asynccontextmanager
async def async_clients(
    world: World, a: Auths, transports: Mapping[str, httpx.AsyncBaseTransport] | None = None
) -> AsyncIterator[Clients]:
    """Async clients waiting with ``asyncio.sleep`` (run them on a ``VirtualTimeLoop``)."""
    clock = world.clock
    async with (
        AsyncConnectWiseClient(
            **world.cw.credentials(), transport=_transport(world, "cw", transports), sleep=asyncio.sleep,
            clock=clock.monotonic,
        ) as cw,
        AsyncQuickBooksClient(
            realm_id=world.qbo.realm_id, auth=a.qbo, transport=_transport(world, "qbo", transports),
            sleep=asyncio.sleep, clock=clock.monotonic, now=clock.now,
        ) as qbo,
        AsyncSalesforceClient(auth=a.sf, transport=_transport(world, "sf", transports), sleep=asyncio.sleep) as sf,
    ):  # fmt: skip
        yield Clients(cw=cw, qbo=qbo, sf=sf)
