# mypy: disable-error-code="union-attr,index"
"""OAuth 2.0 against the sandbox token endpoint: code exchange, rotation, single-flight, stores, revoke."""

from __future__ import annotations

import asyncio
import os
import threading
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from msplink.errors import AuthenticationError, ConfigurationError, ReauthorizationRequiredError
from msplink.quickbooks import FileTokenStore, MemoryTokenStore, OAuthToken, QuickBooksOAuth2, TokenStore
from msplink.sandbox.quickbooks import QuickBooksSandbox
from tests.quickbooks.conftest import make_async, make_sync


def _expired(store: MemoryTokenStore, clock) -> OAuthToken:
    token = store.load()
    assert token is not None
    expired = OAuthToken(
        access_token=token.access_token,
        refresh_token=token.refresh_token,
        expires_at=clock.now() - timedelta(seconds=1),
        realm_id=token.realm_id,
    )
    store.save(expired)
    return expired


def test_authorization_url_carries_state_and_scope(auth):
    url = auth.authorization_url(state="csrf-123")
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    assert parts.netloc == "appcenter.intuit.com"
    assert query["state"] == ["csrf-123"] and query["response_type"] == ["code"]
    assert query["scope"] == ["com.intuit.quickbooks.accounting"]
    with pytest.raises(ConfigurationError):
        auth.authorization_url(state="")


def test_code_exchange_once_then_invalid_grant(sandbox, clock):
    store = MemoryTokenStore()
    auth = QuickBooksOAuth2(
        client_id=sandbox.client_id,
        client_secret=sandbox.credentials()["client_secret"],
        store=store,
        redirect_uri=sandbox.redirect_uri,
        transport=sandbox.transport(),
        now=clock.now,
    )
    redirect = sandbox.authorize(state="s1")
    params = parse_qs(urlsplit(redirect).query)
    assert params["state"] == ["s1"] and params["realmId"] == [sandbox.realm_id]
    token = auth.exchange_code(params["code"][0], realm_id=params["realmId"][0])
    assert store.load() == token and token.realm_id == sandbox.realm_id
    assert token.expires_at == clock.now() + timedelta(seconds=3600)
    with pytest.raises(ReauthorizationRequiredError) as info:
        auth.exchange_code(params["code"][0])
    assert info.value.codes == ("invalid_grant",)
    assert token.access_token not in repr(token) and "sandbox-secret" not in repr(auth)


def test_refresh_rotates_and_persists_then_superseded_token_expires(sandbox, auth, store, clock):
    auth_with_transport = QuickBooksOAuth2(
        client_id=auth.client_id,
        client_secret="sandbox-secret",
        store=store,
        transport=sandbox.transport(),
        now=clock.now,
    )
    first = store.load()
    second = auth_with_transport.refresh()
    assert second.refresh_token != first.refresh_token and store.load() == second
    # Within the grace period the superseded refresh token still works ...
    stale = MemoryTokenStore(first)
    replay = QuickBooksOAuth2(
        client_id=auth.client_id,
        client_secret="sandbox-secret",
        store=stale,
        transport=sandbox.transport(),
        now=clock.now,
    )
    replay.refresh()
    # ... after it, it is invalid_grant: a typed re-authorization error.
    clock.advance(86_401)
    stale.save(first)
    with pytest.raises(ReauthorizationRequiredError):
        replay.refresh()


def test_expired_token_refreshes_inside_the_auth_flow(sandbox, auth, store, clock):
    _expired(store, clock)
    client = make_sync(sandbox, auth, clock)
    assert client.preferences.get().id == "1"
    assert sandbox.token_requests == 1 and auth.refresh_count == 1
    assert client.preferences.get().id == "1"
    assert sandbox.token_requests == 1


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_401_refreshes_once_and_replays(flavour, sandbox, auth, store, clock):
    before = store.load()
    sandbox.expire_access_tokens()  # the server expires it; the client still believes it valid
    if flavour == "sync":
        assert make_sync(sandbox, auth, clock).preferences.get().id == "1"
    else:

        async def run() -> str | None:
            async with make_async(sandbox, auth, clock) as client:
                return (await client.preferences.get()).id

        assert asyncio.run(run()) == "1"
    assert sandbox.token_requests == 1
    assert sandbox.count("GET", r"/preferences$", status=401) == 1
    assert sandbox.count("GET", r"/preferences$", status=200) == 1
    assert store.load().refresh_token != before.refresh_token


def test_second_401_is_an_authentication_error(sandbox, clock):
    client = make_sync(sandbox, "not-a-token", clock)
    with pytest.raises(AuthenticationError) as info:
        client.preferences.get()
    assert info.value.status_code == 401 and info.value.codes == ("3200",)


def test_revoked_grant_needs_reauthorization(sandbox, auth, store, clock):
    revoker = QuickBooksOAuth2(
        client_id=auth.client_id,
        client_secret="sandbox-secret",
        store=store,
        transport=sandbox.transport(),
        now=clock.now,
    )
    revoker.revoke()
    with pytest.raises(AuthenticationError):
        make_sync(sandbox, auth, clock).preferences.get()
    _expired(store, clock)
    with pytest.raises(ReauthorizationRequiredError):
        make_sync(sandbox, auth, clock).preferences.get()


def test_twenty_threads_share_one_refresh(sandbox, auth, store, clock):
    original = _expired(store, clock)
    client = make_sync(sandbox, auth, clock)
    barrier = threading.Barrier(20)
    results: list[str | None] = []
    errors: list[BaseException] = []

    def work() -> None:
        barrier.wait()
        try:
            results.append(client.preferences.get().id)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and results == ["1"] * 20
    assert sandbox.token_requests == 1 and auth.refresh_count == 1
    saved = store.load()
    assert saved.refresh_token != original.refresh_token
    assert sandbox.count("GET", r"/preferences$", status=200) == 20


def test_twenty_tasks_share_one_refresh(sandbox, auth, store, clock):
    original = _expired(store, clock)

    async def run() -> list[str | None]:
        async with make_async(sandbox, auth, clock) as client:
            prefs = await asyncio.gather(*(client.preferences.get() for _ in range(20)))
            return [p.id for p in prefs]

    assert asyncio.run(run()) == ["1"] * 20
    assert sandbox.token_requests == 1 and auth.refresh_count == 1
    assert store.load().refresh_token != original.refresh_token


def test_file_token_store_is_private_and_atomic(tmp_path, clock):
    path = tmp_path / "nested" / "qbo.json"
    store = FileTokenStore(path)
    assert isinstance(store, TokenStore)
    assert store.load() is None
    token = OAuthToken(access_token="a" * 20, refresh_token="RT1-x", expires_at=clock.now(), realm_id="1")
    store.save(token)
    assert os.stat(path).st_mode & 0o777 == 0o600
    assert store.load() == token
    store.save(OAuthToken(access_token="b" * 20, refresh_token="RT1-y", expires_at=clock.now()))
    assert store.load().refresh_token == "RT1-y"
    assert sorted(p.name for p in path.parent.iterdir()) == ["qbo.json"]  # no temporary file left behind
    assert "RT1-y" not in repr(store)


def test_token_endpoint_rejects_a_bad_client(sandbox, store, clock):
    bad = QuickBooksOAuth2(
        client_id="sandbox-client",
        client_secret="wrong",
        store=store,
        transport=sandbox.transport(),
        now=clock.now,
    )
    with pytest.raises(AuthenticationError) as info:
        bad.refresh()
    assert info.value.codes == ("invalid_client",) and not isinstance(
        info.value, ReauthorizationRequiredError
    )


def test_async_standalone_calls(sandbox, clock):
    store = MemoryTokenStore()
    auth = QuickBooksOAuth2(
        client_id=sandbox.client_id,
        client_secret="sandbox-secret",
        store=store,
        redirect_uri=sandbox.redirect_uri,
        transport=sandbox.transport(),
        now=clock.now,
    )
    code = parse_qs(urlsplit(sandbox.authorize(state="x")).query)["code"][0]

    async def run() -> None:
        first = await auth.aexchange_code(code)
        second = await auth.arefresh()
        assert first.refresh_token != second.refresh_token
        await auth.arevoke()

    asyncio.run(run())
    assert sandbox.token_requests == 2


def test_sandbox_authorize_page_redirects(sandbox):
    with httpx.Client(transport=sandbox.transport()) as http:
        response = http.get(
            "https://appcenter.intuit.com/connect/oauth2",
            params={
                "client_id": sandbox.client_id,
                "response_type": "code",
                "state": "abc",
                "redirect_uri": sandbox.redirect_uri,
                "scope": "com.intuit.quickbooks.accounting",
            },
        )
    assert response.status_code == 302
    assert parse_qs(urlsplit(response.headers["location"]).query)["state"] == ["abc"]


def test_unused_sandbox_fixture_types(sandbox: QuickBooksSandbox) -> None:
    assert sandbox.realm_id.isdigit()


def test_refresh_token_expires_after_100_days_unused(sandbox, store, clock):
    auth = QuickBooksOAuth2(
        client_id="sandbox-client",
        client_secret="sandbox-secret",
        store=store,
        transport=sandbox.transport(),
        now=clock.now,
    )
    clock.advance(8_726_400)
    with pytest.raises(ReauthorizationRequiredError):
        auth.refresh()


def test_twenty_threads_persist_the_rotated_token_to_disk(sandbox, creds, clock, tmp_path):
    path = tmp_path / "qbo.json"
    file_store = FileTokenStore(path)
    file_store.save(
        OAuthToken(
            access_token=creds["access_token"],
            refresh_token=creds["refresh_token"],
            expires_at=clock.now() - timedelta(seconds=1),
            realm_id=creds["realm_id"],
        )
    )
    auth = QuickBooksOAuth2(
        client_id=creds["client_id"], client_secret=creds["client_secret"], store=file_store, now=clock.now
    )
    client = make_sync(sandbox, auth, clock)
    barrier = threading.Barrier(20)

    def work() -> None:
        barrier.wait()
        client.company_info.get()

    threads = [threading.Thread(target=work) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sandbox.token_requests == 1
    on_disk = FileTokenStore(path).load()
    assert on_disk.refresh_token != creds["refresh_token"] and on_disk.expires_at > clock.now()
    assert os.stat(path).st_mode & 0o777 == 0o600
