"""Token renewal under concurrency, QBO and Salesforce alike (the scenarios of probes/concurrency_token_refresh).

One auth object serves a sync client's 20 threads and an async client's 20 tasks (on an event loop in
its own thread) at once. The sandbox holds the first token request open until the other 39 callers are
queued for the renewal (a gate on the sandbox's latency sleep; a fixed 0.3 s wait when there is no
queue to observe), so every caller really races. Counted: requests that reached the token endpoint.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest

from msplink import RateLimit
from msplink.errors import MsplinkError, ReauthorizationRequiredError
from msplink.quickbooks import (
    AsyncQuickBooksClient,
    FileTokenStore,
    MemoryTokenStore,
    OAuthToken,
    QuickBooksClient,
    QuickBooksOAuth2,
)
from msplink.quickbooks import models as qbm
from msplink.salesforce import (
    AsyncSalesforceClient,
    JWTBearerAuth,
    RefreshTokenAuth,
    SalesforceClient,
    Token,
)
from msplink.salesforce import FileTokenStore as SalesforceFileTokenStore
from msplink.salesforce import MemoryTokenStore as SalesforceMemoryTokenStore
from msplink.sandbox import FaultKind, QuickBooksSandbox, SalesforceSandbox

N = 20
NO_LIMIT = RateLimit()  # no client-side concurrency cap: all 40 callers race for the token
QBO_TOKEN = r"/oauth2/v1/tokens/bearer"
SF_TOKEN = r"/services/oauth2/token"


class Gate:
    """The sandbox's latency sleep: hold a token request until ``expected`` callers queue behind it."""

    def __init__(self, expected: int = 2 * N - 1) -> None:
        self.expected = expected
        self.auths: list[Any] = []
        self.holding = False  # only while a storm runs

    def _queued(self) -> int | None:
        counts = [getattr(getattr(a, "_flight", None), "waiting", None) for a in self.auths]
        if not counts or not all(isinstance(c, int) for c in counts):
            return None  # nothing to observe: wait a fixed time instead
        return sum(c for c in counts if isinstance(c, int))

    def _done(self, started: float) -> bool:
        if not self.holding:
            return True
        queued = self._queued()
        if queued is None:
            return time.monotonic() - started >= 0.3
        return queued >= self.expected or time.monotonic() - started >= 10

    def sleep(self, seconds: float) -> None:
        started = time.monotonic()
        while not self._done(started):
            time.sleep(0.002)

    async def async_sleep(self, seconds: float) -> None:
        started = time.monotonic()
        while not self._done(started):  # noqa: ASYNC110 - polls a count, nothing to await
            await asyncio.sleep(0.002)


def label(exc: BaseException | None) -> str:
    if exc is None:
        return "ok"
    return type(exc).__name__ if isinstance(exc, MsplinkError) else f"UNTYPED {type(exc).__name__}"


def storm(gate: Gate, sync_call: Callable[[], Any], async_call: Callable[[], Any]) -> Counter[str]:
    """N sync calls in threads and N async calls as tasks (one loop, its own thread), all together."""
    gate.holding = True
    try:
        return _storm(sync_call, async_call)
    finally:
        gate.holding = False


def _storm(sync_call: Callable[[], Any], async_call: Callable[[], Any]) -> Counter[str]:
    outcomes: Counter[str] = Counter()
    guard = threading.Lock()
    start = threading.Barrier(N + 1)

    def record(exc: BaseException | None) -> None:
        with guard:
            outcomes[label(exc)] += 1

    def worker() -> None:
        start.wait()
        try:
            sync_call()
        except BaseException as exc:
            record(exc)
        else:
            record(None)

    def loop() -> None:
        async def one() -> None:
            try:
                await async_call()
            except BaseException as exc:
                record(exc)
            else:
                record(None)

        async def main() -> None:
            start.wait()
            await asyncio.gather(*(one() for _ in range(N)))

        asyncio.run(main())

    threads = [threading.Thread(target=worker) for _ in range(N)] + [threading.Thread(target=loop)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


# ----------------------------------------------------------------------------------------------- QBO


def qbo_world(
    gate: Gate, *, expired: bool = True
) -> tuple[QuickBooksSandbox, QuickBooksOAuth2, MemoryTokenStore]:
    sandbox = QuickBooksSandbox(sleep=gate.sleep, async_sleep=gate.async_sleep, enforce_rate_limits=False)
    creds = sandbox.credentials()
    expires = datetime.now(timezone.utc) + (timedelta(seconds=-5) if expired else timedelta(hours=1))
    store = MemoryTokenStore(
        OAuthToken(
            access_token=creds["access_token"],
            refresh_token=creds["refresh_token"],
            expires_at=expires,
            realm_id=creds["realm_id"],
        )
    )
    auth = QuickBooksOAuth2(
        client_id=creds["client_id"],
        client_secret=creds["client_secret"],
        store=store,
        redirect_uri=creds["redirect_uri"],
        transport=sandbox.transport(),
    )
    gate.auths.append(auth)
    sandbox.faults.inject(FaultKind.LATENCY, latency=1.0, path=QBO_TOKEN)
    return sandbox, auth, store


def qbo_clients(sandbox: QuickBooksSandbox, auth: QuickBooksOAuth2) -> tuple[QuickBooksClient, Any]:
    sync = QuickBooksClient(
        realm_id=sandbox.realm_id, auth=auth, transport=sandbox.transport(), rate_limit=NO_LIMIT
    )
    return sync, lambda: AsyncQuickBooksClient(
        realm_id=sandbox.realm_id, auth=auth, transport=sandbox.transport(), rate_limit=NO_LIMIT
    )


def per_loop(make: Callable[[], Any], call: Callable[[Any], Any]) -> Callable[[], Any]:
    """An async call on one client per event loop (clients belong to a loop; the auth is shared)."""
    clients: dict[int, Any] = {}

    async def run() -> Any:
        client = clients.setdefault(id(asyncio.get_running_loop()), make())
        return await call(client)

    return run


def qbo_count(make: Callable[[], Any]) -> Callable[[], Any]:
    return per_loop(make, lambda client: client.customers.count())


def sf_count(make: Callable[[], Any]) -> Callable[[], Any]:
    return per_loop(make, lambda client: client.accounts.count())


def test_qbo_expired_token_threads_and_tasks_make_one_token_request() -> None:
    gate = Gate()
    sandbox, auth, store = qbo_world(gate)
    sync, make_async = qbo_clients(sandbox, auth)
    outcomes = storm(gate, sync.customers.count, qbo_count(make_async))
    assert outcomes == {"ok": 2 * N}
    assert sandbox.count("POST", QBO_TOKEN) == 1 and auth.token_requests == 1
    assert store.saves == 1


def test_qbo_server_side_expiry_401_path_makes_one_token_request() -> None:
    gate = Gate()
    sandbox, auth, _ = qbo_world(gate, expired=False)
    sync, make_async = qbo_clients(sandbox, auth)
    sync.customers.count()
    sandbox.expire_access_tokens()
    sandbox.clear_log()
    outcomes = storm(gate, sync.customers.count, qbo_count(make_async))
    assert outcomes == {"ok": 2 * N}
    assert sandbox.count("POST", QBO_TOKEN) == 1
    assert sandbox.count("POST", r"/query", status=401) == 2 * N  # every caller was refused, then replayed
    assert sandbox.count("POST", r"/query", status=200) == 2 * N


def test_qbo_auth_shared_by_two_event_loops() -> None:
    gate = Gate(expected=N - 1)
    sandbox, auth, _ = qbo_world(gate)
    gate.holding = True
    outcomes: Counter[str] = Counter()
    for _ in range(2):
        client = AsyncQuickBooksClient(
            realm_id=sandbox.realm_id, auth=auth, transport=sandbox.transport(), rate_limit=NO_LIMIT
        )

        async def run(client: AsyncQuickBooksClient = client) -> list[Any]:
            return await asyncio.gather(*(client.customers.count() for _ in range(N)), return_exceptions=True)

        outcomes.update(label(r if isinstance(r, BaseException) else None) for r in asyncio.run(run()))
        sandbox.expire_access_tokens()
    assert outcomes == {"ok": 2 * N}
    assert sandbox.count("POST", QBO_TOKEN) == 2  # one per loop: the second loop's token was expired


def test_qbo_revoked_grant_one_token_request_then_fail_fast_until_reauthorised() -> None:
    gate = Gate()
    sandbox, auth, store = qbo_world(gate)
    sync, make_async = qbo_clients(sandbox, auth)
    kept = store.load()
    assert kept is not None
    elsewhere = QuickBooksOAuth2(
        client_id=auth.client_id,
        client_secret="sandbox-secret",
        store=MemoryTokenStore(kept),
        transport=sandbox.transport(),
    )
    elsewhere.revoke()  # revoked by another app instance, or by the user in QuickBooks
    customers = len(sandbox.entities("Customer"))
    create_async = per_loop(
        make_async, lambda client: client.customers.create(qbm.Customer(display_name="A"))
    )
    outcomes = storm(gate, lambda: sync.customers.create(qbm.Customer(display_name="T")), create_async)
    assert outcomes == {"ReauthorizationRequiredError": 2 * N}
    assert sandbox.count("POST", QBO_TOKEN) == 1
    assert len(sandbox.entities("Customer")) == customers and store.load() == kept and store.saves == 0
    # Later calls fail fast: the grant is known to be gone, nobody asks again ...
    with pytest.raises(ReauthorizationRequiredError):
        sync.customers.count()
    assert sandbox.count("POST", QBO_TOKEN) == 1
    # ... until a user authorises again (the store holds another grant).
    code = sandbox.authorize(state="again").split("code=")[1].split("&")[0]
    auth.exchange_code(code, realm_id=sandbox.realm_id)
    assert sync.customers.count() >= 0
    assert sandbox.count("POST", QBO_TOKEN) == 2  # the code exchange; the new access token is fresh


def test_qbo_file_store_two_auth_objects_like_two_processes(tmp_path: Path) -> None:
    """Two auth objects on two FileTokenStore objects of one file: only the file lock joins them."""
    gate = Gate()
    sandbox = QuickBooksSandbox(sleep=gate.sleep, async_sleep=gate.async_sleep, enforce_rate_limits=False)
    sandbox.faults.inject(FaultKind.LATENCY, latency=1.0, path=QBO_TOKEN)
    creds = sandbox.credentials()
    path = tmp_path / "qbo.json"
    FileTokenStore(path).save(
        OAuthToken(
            access_token=creds["access_token"],
            refresh_token=creds["refresh_token"],
            expires_at=datetime.now(timezone.utc) - timedelta(seconds=5),
            realm_id=creds["realm_id"],
        )
    )
    auths = [
        QuickBooksOAuth2(
            client_id=creds["client_id"], client_secret=creds["client_secret"], store=FileTokenStore(path)
        )
        for _ in range(2)
    ]
    gate.auths.extend(auths)
    gate.expected = 2 * N - 2  # one holder per auth object: one waits on the file lock, not in a queue
    sync = QuickBooksClient(
        realm_id=sandbox.realm_id, auth=auths[0], transport=sandbox.transport(), rate_limit=NO_LIMIT
    )

    def make_async() -> AsyncQuickBooksClient:
        return AsyncQuickBooksClient(
            realm_id=sandbox.realm_id, auth=auths[1], transport=sandbox.transport(), rate_limit=NO_LIMIT
        )

    outcomes = storm(gate, sync.customers.count, qbo_count(make_async))
    assert outcomes == {"ok": 2 * N}
    assert sandbox.count("POST", QBO_TOKEN) == 1
    saved = FileTokenStore(path).load()
    assert saved is not None and saved.refresh_token != creds["refresh_token"]


# ------------------------------------------------------------------------------------------------ SF


def sf_world(gate: Gate, *, rotate: bool = False) -> tuple[SalesforceSandbox, dict[str, Any]]:
    sandbox = SalesforceSandbox(
        rotate_refresh_tokens=rotate,
        sleep=gate.sleep,
        async_sleep=gate.async_sleep,
        enforce_rate_limits=False,
    )
    sandbox.seed(size=3, seed=1)
    sandbox.faults.inject(FaultKind.LATENCY, latency=1.0, path=SF_TOKEN)
    return sandbox, sandbox.credentials()


def sf_jwt(creds: dict[str, Any]) -> JWTBearerAuth:
    return JWTBearerAuth(
        client_id=creds["client_id"], username=creds["username"], private_key=creds["private_key"]
    )


def sf_clients(sandbox: SalesforceSandbox, auth: Any) -> tuple[SalesforceClient, Callable[[], Any]]:
    return SalesforceClient(
        auth=auth, transport=sandbox.transport(), rate_limit=NO_LIMIT
    ), lambda: AsyncSalesforceClient(auth=auth, transport=sandbox.transport(), rate_limit=NO_LIMIT)


@pytest.mark.parametrize("expiry", [False, True], ids=["first-use", "session-expired-401"])
def test_sf_jwt_threads_and_tasks_make_one_token_request(expiry: bool) -> None:
    gate = Gate()
    sandbox, creds = sf_world(gate)
    auth = sf_jwt(creds)
    gate.auths.append(auth)
    sync, make_async = sf_clients(sandbox, auth)
    if expiry:
        sync.accounts.count()
        sandbox.expire_sessions()
    before = sandbox.count("POST", SF_TOKEN)
    outcomes = storm(gate, sync.accounts.count, sf_count(make_async))
    assert outcomes == {"ok": 2 * N}
    assert sandbox.count("POST", SF_TOKEN) - before == 1


def test_sf_refresh_token_rotation_no_false_reauthorization() -> None:
    gate = Gate()
    sandbox, creds = sf_world(gate, rotate=True)
    store = SalesforceMemoryTokenStore()
    auth = RefreshTokenAuth(
        client_id=creds["client_id"],
        client_secret=creds["client_secret"],
        refresh_token=creds["refresh_token"],
        store=store,
    )
    gate.auths.append(auth)
    sync, make_async = sf_clients(sandbox, auth)
    sync.accounts.count()
    sandbox.expire_sessions()
    outcomes = storm(gate, sync.accounts.count, sf_count(make_async))
    assert outcomes == {"ok": 2 * N}
    assert sandbox.count("POST", SF_TOKEN) == 2  # first use, then exactly one refresh for all 40
    assert store.saves == 2
    saved = store.load()
    assert saved is not None and saved.refresh_token == sandbox.refresh_token  # the rotated one was kept


def test_sf_auth_shared_by_two_event_loops() -> None:
    gate = Gate(expected=N - 1)
    sandbox, creds = sf_world(gate)
    auth = sf_jwt(creds)
    gate.auths.append(auth)
    gate.holding = True
    outcomes: Counter[str] = Counter()
    for _ in range(2):
        client = AsyncSalesforceClient(auth=auth, transport=sandbox.transport(), rate_limit=NO_LIMIT)

        async def run(client: AsyncSalesforceClient = client) -> list[Any]:
            return await asyncio.gather(*(client.accounts.count() for _ in range(N)), return_exceptions=True)

        outcomes.update(label(r if isinstance(r, BaseException) else None) for r in asyncio.run(run()))
        sandbox.expire_sessions()
    assert outcomes == {"ok": 2 * N}
    assert sandbox.count("POST", SF_TOKEN) == 2


def test_sf_revoked_refresh_token_one_token_request_then_fail_fast() -> None:
    gate = Gate()
    sandbox, creds = sf_world(gate)
    store = SalesforceMemoryTokenStore()
    auth = RefreshTokenAuth(
        client_id=creds["client_id"],
        client_secret=creds["client_secret"],
        refresh_token=creds["refresh_token"],
        store=store,
    )
    gate.auths.append(auth)
    sync, make_async = sf_clients(sandbox, auth)
    sync.accounts.count()
    with httpx.Client(transport=sandbox.transport()) as raw:
        raw.post(
            "https://login.salesforce.com/services/oauth2/revoke", data={"token": creds["refresh_token"]}
        )
    sandbox.expire_sessions()
    accounts = len(sandbox.records("Account"))
    before = sandbox.count("POST", SF_TOKEN)
    create_async = per_loop(make_async, lambda client: client.accounts.create({"Name": "A"}))
    outcomes = storm(gate, lambda: sync.accounts.create({"Name": "T"}), create_async)
    assert outcomes == {"ReauthorizationRequiredError": 2 * N}
    assert sandbox.count("POST", SF_TOKEN) - before == 1
    assert len(sandbox.records("Account")) == accounts
    with pytest.raises(ReauthorizationRequiredError):
        sync.accounts.count()
    assert sandbox.count("POST", SF_TOKEN) - before == 1  # failed fast
    # The store now holds another refresh token (as after a re-authorisation): the auth asks again.
    store.save(Token(access_token="", instance_url=creds["instance_url"], refresh_token="5Aep-another-grant"))
    with pytest.raises(ReauthorizationRequiredError):
        sync.accounts.count()  # the sandbox does not know that one either: asked once, refused
    assert sandbox.count("POST", SF_TOKEN) - before == 2
    with pytest.raises(ReauthorizationRequiredError):
        sync.accounts.count()
    assert sandbox.count("POST", SF_TOKEN) - before == 2


def test_sf_file_store_two_auth_objects_with_rotation_like_two_processes(tmp_path: Path) -> None:
    gate = Gate()
    sandbox, creds = sf_world(gate, rotate=True)
    path = tmp_path / "sf.json"
    auths = [
        RefreshTokenAuth(
            client_id=creds["client_id"],
            client_secret=creds["client_secret"],
            refresh_token=creds["refresh_token"],
            store=SalesforceFileTokenStore(path),
        )
        for _ in range(2)
    ]
    gate.auths.extend(auths)
    gate.expected = 2 * N - 2
    sync = SalesforceClient(auth=auths[0], transport=sandbox.transport(), rate_limit=NO_LIMIT)

    def make_async() -> AsyncSalesforceClient:
        return AsyncSalesforceClient(auth=auths[1], transport=sandbox.transport(), rate_limit=NO_LIMIT)

    outcomes = storm(gate, sync.accounts.count, sf_count(make_async))
    assert outcomes == {"ok": 2 * N}
    assert sandbox.count("POST", SF_TOKEN) == 1  # the second "process" adopted the first one's token
    saved = SalesforceFileTokenStore(path).load()
    assert saved is not None and saved.refresh_token == sandbox.refresh_token
