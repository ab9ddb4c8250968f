"""Running any registered recipe against a seeded world, with metered clients, sync or async.

The clients are built here (rather than with ``world.clients()``) so that every request passes a
:class:`~benchmarks._traffic.Meter`, and so that the async clients wait with ``asyncio.sleep`` on the
virtual-time loop (``world.clients()`` gives clients whose fake sleep returns at once, which would
serialise concurrent waits).
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import timedelta
from typing import Any

import attrs

from benchmarks._traffic import Meter
from msplink._core import RateLimit
from msplink.connectwise import AsyncConnectWiseClient, ConnectWiseClient
from msplink.demo import dependency_order
from msplink.quickbooks import (
    AsyncQuickBooksClient,
    MemoryTokenStore,
    OAuthToken,
    QuickBooksClient,
    QuickBooksOAuth2,
)
from msplink.salesforce import AsyncSalesforceClient, ClientCredentialsAuth, SalesforceClient
from msplink.sandbox import FaultKind, World
from msplink.sync import StateStore, SyncReport
from msplink.sync.recipes import RECIPES, Recipe

__all__ = [
    "INTEGRATION_USER",
    "Meters",
    "async_clients",
    "prerequisites",
    "recipe_options",
    "run_prerequisites",
    "run_recipe",
    "run_recipe_async",
    "set_latency",
    "sync_clients",
]

INTEGRATION_USER = "api_sync"
"""The API member the world's ConnectWise credentials log in as."""

SYSTEMS = ("connectwise", "quickbooks", "salesforce")


@attrs.define
class Meters:
    """One meter per system."""

    cw: Meter
    qbo: Meter
    sf: Meter

    def __iter__(self) -> Iterator[Meter]:
        return iter((self.cw, self.qbo, self.sf))

    @property
    def outside_ns(self) -> int:
        """CPU spent serving requests (the sandboxes) and analysing them: not msplink's."""
        return sum(m.outside_ns for m in self)


def meters(world: World, *, analyse: bool = True) -> Meters:
    """Fresh meters in front of the world's three sandboxes."""
    clock = world.clock.monotonic
    return Meters(
        cw=Meter("connectwise", world.cw.transport(), clock=clock, analyse=analyse),
        qbo=Meter("quickbooks", world.qbo.transport(), clock=clock, analyse=analyse),
        sf=Meter("salesforce", world.sf.transport(), clock=clock, analyse=analyse),
    )


def set_latency(world: World, seconds: float, *, asynchronous: bool = False) -> None:
    """Every API request to the world's sandboxes waits ``seconds`` inside the server (token
    requests too), while it holds its concurrency slot, as a slow network would.

    For async runs the sandboxes wait with ``asyncio.sleep``, so a :class:`VirtualTimeLoop` can run
    the waits concurrently (the world's fake clock sleep would add them up one after the other).
    """
    for sandbox in (world.cw, world.qbo, world.sf):
        if seconds > 0:
            sandbox.faults.inject(FaultKind.LATENCY, latency=seconds)
        # the world built its sandboxes with the fake clock's sleeps; async waits must yield
        sandbox._async_sleep = asyncio.sleep if asynchronous else world.clock.async_sleep


def _qbo_auth(world: World) -> QuickBooksOAuth2:
    creds = world.qbo.credentials()
    token = OAuthToken(
        access_token=creds["access_token"],
        refresh_token=creds["refresh_token"],
        expires_at=world.clock.now() + timedelta(seconds=int(creds["expires_in"])),
        realm_id=creds["realm_id"],
    )
    return QuickBooksOAuth2(
        client_id=creds["client_id"],
        client_secret=creds["client_secret"],
        store=MemoryTokenStore(token),
        redirect_uri=creds["redirect_uri"],
        now=world.clock.now,
        transport=world.qbo.transport(),
    )


def _sf_auth(world: World) -> ClientCredentialsAuth:
    creds = world.sf.credentials()
    return ClientCredentialsAuth(
        client_id=creds["client_id"], client_secret=creds["client_secret"], clock=world.clock.monotonic
    )


@attrs.frozen
class Clients:
    """The three clients of one run (sync or async)."""

    cw: Any
    qbo: Any
    sf: Any


@contextlib.contextmanager
def sync_clients(world: World, m: Meters) -> Iterator[Clients]:
    """Sync clients over the meters, waiting on the world's fake clock."""
    clock = world.clock
    with (
        ConnectWiseClient(
            **world.cw.credentials(), transport=m.cw, sleep=clock.sleep, clock=clock.monotonic
        ) as cw,
        QuickBooksClient(
            realm_id=world.qbo.realm_id,
            auth=_qbo_auth(world),
            transport=m.qbo,
            sleep=clock.sleep,
            clock=clock.monotonic,
            now=clock.now,
        ) as qbo,
        SalesforceClient(auth=_sf_auth(world), transport=m.sf, sleep=clock.sleep) as sf,
    ):
        yield Clients(cw=cw, qbo=qbo, sf=sf)


@contextlib.asynccontextmanager
async def async_clients(
    world: World, m: Meters, *, sf_concurrency: int | None = None
) -> AsyncIterator[Clients]:
    """Async clients over the meters, waiting with ``asyncio.sleep`` (run them on a virtual loop)."""
    clock = world.clock
    sf_options: dict[str, Any] = {}
    if sf_concurrency is not None:
        sf_options["rate_limit"] = RateLimit(max_concurrency=sf_concurrency)
    async with (
        AsyncConnectWiseClient(
            **world.cw.credentials(), transport=m.cw, sleep=asyncio.sleep, clock=clock.monotonic
        ) as cw,
        AsyncQuickBooksClient(
            realm_id=world.qbo.realm_id,
            auth=_qbo_auth(world),
            transport=m.qbo,
            sleep=asyncio.sleep,
            clock=clock.monotonic,
            now=clock.now,
        ) as qbo,
        AsyncSalesforceClient(auth=_sf_auth(world), transport=m.sf, sleep=asyncio.sleep, **sf_options) as sf,
    ):
        yield Clients(cw=cw, qbo=qbo, sf=sf)


def recipe_options(function: Callable[..., Any]) -> dict[str, Any]:
    """The recipe's own options the benchmark passes, where its signature takes them (the API member
    the world's ConnectWise credentials log in as, so a recipe can tell its own writes apart)."""
    if "cw_integration_user" in inspect.signature(function).parameters:
        return {"cw_integration_user": INTEGRATION_USER}
    return {}


def run_recipe(recipe: Recipe, world: World, clients: Clients, state: StateStore, **extra: Any) -> SyncReport:
    """Run a recipe once over sync clients (:meth:`Recipe.sync`: each recipe gets the clients it
    declares)."""
    return recipe.sync(
        cw=clients.cw,
        qbo=clients.qbo,
        sf=clients.sf,
        state=state,
        config=world.config,
        now=world.clock.now,
        **recipe_options(recipe.run),
        **extra,
    )


async def run_recipe_async(
    recipe: Recipe, world: World, clients: Clients, state: StateStore, **extra: Any
) -> SyncReport:
    """Run a recipe once over async clients (:meth:`Recipe.arun`: its flows in order, those reading
    one shared source in turn)."""
    return await recipe.arun(
        cw=clients.cw,
        qbo=clients.qbo,
        sf=clients.sf,
        state=state,
        config=world.config,
        now=world.clock.now,
        **recipe_options(recipe.flows),
        **extra,
    )


def prerequisites(recipe: Recipe) -> tuple[Recipe, ...]:
    """The recipes that must run before ``recipe`` (the transitive closure of :attr:`Recipe.after`),
    in :func:`msplink.demo.dependency_order`."""
    needed: set[str] = set()
    pending = list(recipe.after)
    while pending:
        name = pending.pop()
        if name not in needed and name in RECIPES:
            needed.add(name)
            pending.extend(RECIPES[name].after)
    return tuple(RECIPES[name] for name in dependency_order(RECIPES) if name in needed)


PAUSE_S = 3600.0
"""Virtual seconds between the prerequisites and the measured run: every vendor's rate window has
reopened, so the measured run owes no wait to the unmetered calls before it. A recipe without
prerequisites waits too: the seed stamps every record with the clock's one instant, and a run starting
at that instant would find the whole world changed in the minute its index refreshes read again (a
real MSP's records last changed over years, not in the minute before a sync)."""


def run_prerequisites(recipe: Recipe, world: World, state: StateStore) -> list[SyncReport]:
    """Run ``recipe``'s prerequisites on ``world`` and ``state``, unmetered (their own meters, thrown
    away), then move the world's clock on :data:`PAUSE_S` (with no prerequisites too).

    Call it before the measured run's meters, CPU clock and memory tracing start, so that none of
    the prerequisites' calls, CPU or memory is counted.
    """
    reports = []
    before = prerequisites(recipe)
    if before:
        with sync_clients(world, meters(world, analyse=False)) as c:
            reports = [run_recipe(p, world, c, state) for p in before]
    world.clock.advance(PAUSE_S)
    return reports
