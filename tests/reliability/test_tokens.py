"""Tokens during a recipe: expiry and rotation under concurrency (QBO, Salesforce), and a revoked QBO
grant (issue 18).

The recipes run with their async clients on a virtual-time loop with 100 ms of latency per request,
beside a reader that shares their clients (an app serving reads while a sync runs), so requests of
the recipe and of the reader are in flight together when the sandbox expires the token they carry
(as ``TOKEN_EXPIRY`` faults do): several requests are refused 401 at once, and one renewal serves
them all (the refresh is single-flight). QBO rotates
its refresh token on every refresh: the store ends holding the newest pair, which works. The target
state equals a run without expiries.

A QBO grant revoked in the middle of a run (the revoke endpoint called after the run's first QBO API
request) stops the run with a ``SyncError`` caused by ``ReauthorizationRequiredError``; nothing is
lost: after re-authorisation (a new grant) the rerun ends exactly as an uninterrupted run.

Salesforce recipes are taken from ``RECIPES`` as they land; until one exists, a ConnectWise companies
-> Salesforce accounts flow built from the public parts stands in for one.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from benchmarks._virtual import run_virtual
from benchmarks._world import set_latency

from msplink.errors import AuthenticationError, ReauthorizationRequiredError, SyncError
from msplink.mappers import find_mapper
from msplink.models import Customer
from msplink.sandbox import SandboxRequest, World
from msplink.sync import Flow, MemoryStateStore, StateStore, SyncReport, arun, by_link, by_name, run
from msplink.sync.adapters import (
    AsyncConnectWiseAdapter,
    AsyncSalesforceAdapter,
    ConnectWiseAdapter,
    SalesforceAdapter,
)
from msplink.sync.recipes import RECIPES
from tests.reliability._clients import Auths, Clients, async_clients, auths, sync_clients
from tests.reliability._recipes import (
    API_PATHS,
    INTEGRATION_USER,
    dead_letters,
    kwargs_for,
    prepare,
    world_for,
)
from tests.reliability._snapshot import first_difference, snapshot

QBO_TOKEN = r"/oauth2/v1/tokens/bearer$"
SF_TOKEN = r"/services/oauth2/token$"

Runner = Callable[[World, Clients, StateStore], SyncReport]
AsyncRunner = Callable[[World, Clients, StateStore], Awaitable[SyncReport]]


def _offered(world: World, c: Clients, state: StateStore) -> dict[str, Any]:
    return {
        "cw": c.cw, "qbo": c.qbo, "sf": c.sf, "state": state, "config": world.config, "now": world.clock.now,
        "cw_integration_user": INTEGRATION_USER,
    }  # fmt: skip


def _recipe(name: str) -> tuple[Runner, AsyncRunner]:
    recipe = RECIPES[name]

    def sync_run(world: World, c: Clients, state: StateStore) -> SyncReport:
        report: SyncReport = recipe.run(**kwargs_for(recipe.run, _offered(world, c, state)))
        return report

    async def async_run(world: World, c: Clients, state: StateStore) -> SyncReport:
        flows = recipe.flows(**kwargs_for(recipe.flows, _offered(world, c, state)))
        flows = list(flows.values()) if isinstance(flows, dict) else list(flows)
        return SyncReport.combine(name, [await arun(flow, state=state) for flow in flows])

    return sync_run, async_run


def _accounts_flow(world: World, c: Clients, *, asynchronous: bool) -> Flow:
    """CW companies -> SF accounts, from the public parts (stands in until a Salesforce recipe lands)."""
    cw_mapper = find_mapper("connectwise", "company", Customer)
    sf_mapper = find_mapper("salesforce", "Account", Customer)
    cw_cls = AsyncConnectWiseAdapter if asynchronous else ConnectWiseAdapter
    sf_cls = AsyncSalesforceAdapter if asynchronous else SalesforceAdapter
    return Flow(
        name="cw-companies-to-sf-accounts",
        source=cw_cls(
            c.cw, cw_mapper, config=world.config, integration_user=INTEGRATION_USER, now=world.clock.now
        ),
        target=sf_cls(c.sf, sf_mapper, config=world.config, now=world.clock.now),
        source_mapper=cw_mapper,
        target_mapper=sf_mapper,
        config=world.config,
        match=(by_link(), by_name()),
        fields=("name", "phone", "website"),
    )


def _stand_in() -> tuple[Runner, AsyncRunner]:
    def sync_run(world: World, c: Clients, state: StateStore) -> SyncReport:
        return run(_accounts_flow(world, c, asynchronous=False), state=state)

    async def async_run(world: World, c: Clients, state: StateStore) -> SyncReport:
        return await arun(_accounts_flow(world, c, asynchronous=True), state=state)

    return sync_run, async_run


def _cases(system: str) -> list[Any]:
    names = [n for n, r in sorted(RECIPES.items()) if system in r.systems]
    cases = [pytest.param(n, _recipe(n), id=n) for n in names]
    stand_in = "cw-companies-to-sf-accounts"
    return cases or [pytest.param(stand_in, _stand_in(), id=stand_in)]


def _world(name: str, size: int, seed: int) -> tuple[World, StateStore]:
    """The recipe's seeded world, and a state with the recipes it needs run first (``_recipes``)."""
    world = world_for(name, size, seed)
    state = MemoryStateStore()
    prepare(world, name, state)
    return world, state


def _baseline(name: str, size: int, seed: int, runner: Runner) -> tuple[dict[str, list[str]], set[Any]]:
    world, state = _world(name, size, seed)
    with sync_clients(world, auths(world)) as c:
        runner(world, c, state)
    return snapshot(world), dead_letters(state)


class _Expirer(httpx.AsyncBaseTransport):
    """A sandbox's transport that expires the token a request carries (as ``TOKEN_EXPIRY`` faults do)
    when the request starts while others with the same token are in flight, at most ``times`` times:
    they are all refused together, and must share one renewal. Only a token that has already served
    a few answers expires (a token just issued does not, at Intuit or Salesforce)."""

    def __init__(self, sandbox: Any, times: int) -> None:
        self.sandbox = sandbox
        self.inner = sandbox.transport()
        self.left = times
        self.in_flight: dict[str, int] = {}
        self.answered: dict[str, int] = {}
        self.expired = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        token = request.headers.get("authorization", "")
        api = re.search(API_PATHS, request.url.path) is not None
        if api and self.left > 0 and self.in_flight.get(token, 0) >= 1 and self.answered.get(token, 0) >= 3:
            carried = SandboxRequest(
                method=request.method, path=request.url.path, headers={"authorization": token}
            )
            with self.sandbox.lock():
                self.sandbox.expire_credentials(carried)
            self.left -= 1
            self.expired += 1
        self.in_flight[token] = self.in_flight.get(token, 0) + 1
        try:
            response: httpx.Response = await self.inner.handle_async_request(request)
        finally:
            self.in_flight[token] -= 1
        if response.status_code < 400:
            self.answered[token] = self.answered.get(token, 0) + 1
        return response


def _async(
    world: World, a: Auths, runner: AsyncRunner, state: StateStore, system: str, transports: dict[str, Any]
) -> tuple[SyncReport, int]:
    """The recipe, with a reader sharing its clients (and so its auth) running beside it until it
    ends: an app serving reads while a sync runs. Returns the report and the reads made."""

    async def main() -> tuple[SyncReport, int]:
        async with async_clients(world, a, transports) as c:
            done = asyncio.Event()
            reads = 0

            async def reader() -> None:
                nonlocal reads
                while not done.is_set():
                    if system == "quickbooks":
                        await c.qbo.customers.list(limit=5).to_list()
                    else:
                        await c.sf.accounts.list(limit=5).to_list()
                    reads += 1

            background = asyncio.create_task(reader())
            try:
                report = await runner(world, c, state)
            finally:
                done.set()
                await background
            return report, reads

    return run_virtual(world.clock, main)


def _unauthorised(world: World, system: str) -> int:
    box = world.qbo if system == "quickbooks" else world.sf
    return sum(1 for r in box.requests if r.status == 401 and re.search(API_PATHS, r.path))


def _expiring(system: str, name: str, size: int, seed: int, runners: tuple[Runner, AsyncRunner]) -> None:
    expected, expected_letters = _baseline(name, size, seed, runners[0])
    world, state = _world(name, size, seed)
    set_latency(world, 0.1, asynchronous=True)
    box = world.qbo if system == "quickbooks" else world.sf
    expirer = _Expirer(box, times=3)
    a = auths(world)
    first = a.store.load()
    report, reads = _async(
        world, a, runners[1], state, system, {"qbo" if system == "quickbooks" else "sf": expirer}
    )
    assert reads > 0

    assert expirer.expired >= 1
    renewals = box.count("POST", QBO_TOKEN if system == "quickbooks" else SF_TOKEN)
    refused = _unauthorised(world, system)
    initial = 0 if system == "quickbooks" else 1  # the Salesforce client fetches its first token
    assert 1 <= renewals - initial <= expirer.expired  # one renewal per expiry, however many callers saw it
    assert refused > renewals - initial  # several callers were refused together and shared a renewal
    assert not [f for f in report.failures if isinstance(f.error, AuthenticationError)]
    assert dead_letters(state) == expected_letters
    assert snapshot(world) == expected, first_difference(snapshot(world), expected)
    if system == "quickbooks":
        last = a.store.load()
        assert first is not None and last is not None
        assert last.refresh_token != first.refresh_token  # rotated, and the newest pair was kept
        with sync_clients(world, a) as c:
            assert c.qbo.customers.list(limit=1).to_list()


@pytest.mark.parametrize(("name", "runners"), _cases("quickbooks"))
def test_qbo_tokens_expire_and_rotate_under_concurrency_during_a_recipe(name: str, runners: Any) -> None:
    _expiring("quickbooks", name, 120, 4, runners)


@pytest.mark.parametrize(("name", "runners"), _cases("salesforce"))
def test_sf_sessions_expire_under_concurrency_during_a_recipe(name: str, runners: Any) -> None:
    _expiring("salesforce", name, 120, 4, runners)


class _RevokeAfter(httpx.BaseTransport):
    """The QBO transport of a run: after the ``nth`` API request, the grant is revoked at Intuit."""

    def __init__(self, world: World, a: Auths, nth: int) -> None:
        self.inner = world.qbo.transport()
        self.world = world
        self.auths = a
        self.left = nth

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if re.search(API_PATHS, request.url.path):
            self.left -= 1
            if self.left == 0:
                self.revoke()
        return response

    def revoke(self) -> None:
        creds = self.world.qbo.credentials()
        token = self.auths.store.load()
        assert token is not None
        with httpx.Client(transport=self.world.qbo.transport()) as http:
            answer = http.post(
                "https://developer.api.intuit.com/v2/oauth2/tokens/revoke",
                json={"token": token.refresh_token},
                auth=(creds["client_id"], creds["client_secret"]),
            )
        assert answer.status_code == 200


@pytest.mark.parametrize("name", sorted(n for n, r in RECIPES.items() if "quickbooks" in r.systems))
def test_a_revoked_qbo_grant_stops_the_run_and_loses_nothing(name: str) -> None:
    runners = _recipe(name)
    expected, expected_letters = _baseline(name, 40, 6, runners[0])
    world, state = _world(name, 40, 6)
    a = auths(world)
    with sync_clients(world, a, {"qbo": _RevokeAfter(world, a, 1)}) as c, pytest.raises(SyncError) as stopped:
        runners[0](world, c, state)
    assert isinstance(stopped.value.__cause__, ReauthorizationRequiredError)
    assert world.qbo.count("POST", QBO_TOKEN, status=400) >= 1  # the refresh was refused: invalid_grant

    fresh = auths(world)  # re-authorised: a new grant
    with sync_clients(world, fresh) as c:
        runners[0](world, c, state)
    assert dead_letters(state) == expected_letters
    assert snapshot(world) == expected, first_difference(snapshot(world), expected)
