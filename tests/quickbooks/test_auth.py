# mypy: disable-error-code="union-attr,index"
"""OAuth 2.0 against the sandbox token endpoint: code exchange, rotation, single-flight, stores, revoke."""

from __future__ import annotations

import asyncio
import json
import os
import re
import threading
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from msplink.errors import (
    APIError,
    AuthenticationError,
    ConfigurationError,
    MsplinkError,
    RateLimitError,
    ReauthorizationRequiredError,
    RequestTimeoutError,
    ServerError,
    TransportError,
)
from msplink.quickbooks import (
    FileTokenStore,
    MemoryTokenStore,
    OAuthToken,
    QuickBooksClient,
    QuickBooksOAuth2,
    TokenStore,
)
from msplink.sandbox.quickbooks import QuickBooksSandbox
from msplink.testing import MockRouter
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


# ---- only typed errors (issue 11 item 7), single flight across threads and tasks (items 8-10)

SECRET_REFRESH = "RT1-secret-refresh-value"


def _token_store(expired: bool = True) -> MemoryTokenStore:
    return MemoryTokenStore(
        OAuthToken(
            access_token="AT-secret-access-value",
            refresh_token=SECRET_REFRESH,
            expires_at=datetime(2000, 1, 1, tzinfo=timezone.utc)
            if expired
            else datetime(2999, 1, 1, tzinfo=timezone.utc),
            realm_id="123",
        )
    )


def _standalone(transport: httpx.BaseTransport | httpx.AsyncBaseTransport) -> QuickBooksOAuth2:
    return QuickBooksOAuth2(
        client_id="c",
        client_secret="client-secret-value",
        store=_token_store(),
        redirect_uri="https://localhost/callback",
        transport=transport,
    )


STANDALONE: dict[str, tuple[Callable[[QuickBooksOAuth2], object], Callable[[QuickBooksOAuth2], Any]]] = {
    "refresh": (lambda a: a.refresh(), lambda a: a.arefresh()),
    "revoke": (lambda a: a.revoke(), lambda a: a.arevoke()),
    "exchange_code": (lambda a: a.exchange_code("code-1"), lambda a: a.aexchange_code("code-1")),
}


@pytest.mark.parametrize("flavour", ["sync", "async"])
@pytest.mark.parametrize("call", sorted(STANDALONE))
@pytest.mark.parametrize(
    ("failure", "error"),
    [(httpx.ConnectError("refused"), TransportError), (httpx.ReadTimeout("slow"), RequestTimeoutError)],
    ids=["connect", "timeout"],
)
def test_standalone_calls_raise_transport_errors(flavour, call, failure, error):
    def fail(request: httpx.Request) -> httpx.Response:
        raise failure

    auth = _standalone(httpx.MockTransport(fail))
    sync_call, async_call = STANDALONE[call]

    def run() -> object:
        return sync_call(auth) if flavour == "sync" else asyncio.run(async_call(auth))

    with pytest.raises(error) as info:
        run()
    assert type(info.value) is error and info.value.platform == "quickbooks" and info.value.method == "POST"
    assert "secret" not in str(info.value) and "secret" not in repr(info.value)
    assert auth.store.load() == _token_store().load()  # nothing was saved


HOSTILE_TOKEN_ANSWERS = {
    "deep nesting": b"[" * 100_000 + b"]" * 100_000,
    "not json": b"<html>maintenance</html>",
    "a list": b"[1, 2]",
    "null": b"null",
    "no refresh token": json.dumps({"access_token": "AT2", "expires_in": 3600}).encode(),
    "number as token": json.dumps({"access_token": 5, "refresh_token": "RT2"}).encode(),
    "header injection": json.dumps({"access_token": "AT2\r\nX-Evil: 1", "refresh_token": "RT2"}).encode(),
    "huge expiry": json.dumps({"access_token": "AT2", "refresh_token": "RT2", "expires_in": 10**30}).encode(),
    "negative expiry": json.dumps({"access_token": "AT2", "refresh_token": "RT2", "expires_in": -1}).encode(),
    "expiry as text": json.dumps(
        {"access_token": "AT2", "refresh_token": "RT2", "expires_in": "soon"}
    ).encode(),
    "not bearer": json.dumps({"access_token": "AT2", "refresh_token": "RT2", "token_type": "mac"}).encode(),
}


@pytest.mark.parametrize("body", HOSTILE_TOKEN_ANSWERS.values(), ids=HOSTILE_TOKEN_ANSWERS.keys())
def test_hostile_token_answers_are_typed_and_nothing_is_saved(body):
    router = MockRouter()
    router.post("/oauth2/v1/tokens/bearer", httpx.Response(200, content=body))
    auth = _standalone(router.transport())
    before = auth.store.load()
    with pytest.raises(APIError) as info:
        auth.refresh()
    assert type(info.value) is APIError and info.value.codes == ("malformed_token_response",)
    assert info.value.status_code == 200 and info.value.path == "/oauth2/v1/tokens/bearer"
    assert (
        auth.store.load() == before and "AT2" not in str(info.value) and SECRET_REFRESH not in str(info.value)
    )


@settings(max_examples=120)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=12), c, max_size=4),
        max_leaves=12,
    )
    | st.fixed_dictionaries(
        {"access_token": st.text(max_size=12), "refresh_token": st.text(max_size=12)},
        optional={"expires_in": st.integers() | st.text(max_size=5), "token_type": st.text(max_size=8)},
    ),
    st.sampled_from([200, 400, 401, 429, 500]),
)
def test_any_token_answer_is_a_token_or_a_typed_error(body, status):
    router = MockRouter()
    router.post("/oauth2/v1/tokens/bearer", httpx.Response(status, content=json.dumps(body).encode()))
    auth = _standalone(router.transport())
    try:
        token = auth.refresh()
    except MsplinkError as exc:
        assert isinstance(exc, APIError) and exc.status_code == status
    else:
        assert status == 200 and auth.store.load() == token and token.expires_at.tzinfo is not None


@pytest.mark.parametrize(
    ("status", "error"),
    [(503, ServerError), (429, RateLimitError), (400, AuthenticationError)],
)
def test_token_endpoint_status_is_classified(status, error):
    router = MockRouter()
    router.post("/oauth2/v1/tokens/bearer", status=status, json={"error": "unavailable"})
    with pytest.raises(error) as info:
        _standalone(router.transport()).refresh()
    assert type(info.value) is error and info.value.status_code == status


def test_a_token_endpoint_hiccup_inside_the_flow_is_retried_like_a_server_error(clock):
    router = MockRouter()
    token_route = router.post(
        "/oauth2/v1/tokens/bearer",
        httpx.Response(503, json={"error": "temporarily_unavailable"}),
        httpx.Response(200, json={"access_token": "AT2", "refresh_token": "RT2", "expires_in": 3600}),
    )
    api = router.get(re.compile(r"/preferences$"), json={"Preferences": {"Id": "1"}})
    store = _token_store()
    auth = QuickBooksOAuth2(client_id="c", client_secret="s", store=store, now=clock.now)
    client = QuickBooksClient(
        realm_id="123", auth=auth, transport=router.transport(), sleep=clock.sleep, clock=clock.monotonic
    )
    assert client.preferences.get().id == "1"
    assert token_route.call_count == 2 and api.call_count == 1
    saved = store.load()
    assert saved is not None and saved.refresh_token == "RT2"


def test_a_corrupt_token_file_reaches_the_caller_as_a_configuration_error(tmp_path, sandbox, creds, clock):
    path = tmp_path / "qbo.json"
    path.write_text("{oops " + SECRET_REFRESH)
    auth = QuickBooksOAuth2(
        client_id=creds["client_id"], client_secret=creds["client_secret"], store=FileTokenStore(path)
    )
    with pytest.raises(ConfigurationError) as info:
        make_sync(sandbox, auth, clock).customers.get("1")
    assert str(path) in str(info.value) and SECRET_REFRESH not in str(info.value)
    assert sandbox.requests == []  # nothing was sent


@pytest.mark.parametrize(
    "content",
    [
        "",
        "{oops",
        "[1]",
        "null",
        "{}",
        json.dumps({"access_token": "a", "refresh_token": "b", "expires_at": "yesterday"}),
    ],
    ids=["empty", "not-json", "list", "null", "empty-object", "bad-date"],
)
def test_file_token_store_refuses_corrupt_files_with_a_typed_error(tmp_path, content):
    path = tmp_path / "qbo.json"
    path.write_text(content)
    with pytest.raises(ConfigurationError, match="does not hold a valid token"):
        FileTokenStore(path).load()


def test_file_token_store_expands_home_and_keeps_an_empty_access_token(tmp_path, monkeypatch, clock):
    monkeypatch.setenv("HOME", str(tmp_path))
    store = FileTokenStore("~/.config/msplink/qbo.json")
    token = OAuthToken(access_token="", refresh_token="RT-only", expires_at=clock.now())
    store.save(token)
    assert store.path == tmp_path / ".config" / "msplink" / "qbo.json"
    assert store.load() == token and os.stat(store.path).st_mode & 0o777 == 0o600


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_threads_and_tasks_on_one_auth_refresh_once(flavour, sandbox, auth, store, clock):
    """A lighter twin of tests/test_token_concurrency.py: 10 callers of one flavour + 10 of the other."""
    _expired(store, clock)
    sync_client = make_sync(sandbox, auth, clock)
    barrier = threading.Barrier(11)
    results: list[str | None] = []

    def thread() -> None:
        barrier.wait()
        results.append(sync_client.preferences.get().id)

    async def tasks() -> list[str | None]:
        async with make_async(sandbox, auth, clock) as client:
            barrier.wait()
            return [p.id for p in await asyncio.gather(*(client.preferences.get() for _ in range(10)))]

    threads = [threading.Thread(target=thread) for _ in range(10)]
    for t in threads:
        t.start()
    results.extend(asyncio.run(tasks()))
    for t in threads:
        t.join()
    assert results == ["1"] * 20 and sandbox.token_requests == 1 and auth.token_requests == 1


@settings(max_examples=100)
@given(
    st.builds(
        OAuthToken,
        access_token=st.text(max_size=30),
        refresh_token=st.text(min_size=1, max_size=30),
        # Fixed offsets: a wall time inside a zone's DST gap never compares equal across zones (PEP 495).
        expires_at=st.datetimes(
            timezones=st.timedeltas(min_value=timedelta(hours=-14), max_value=timedelta(hours=14)).map(
                lambda d: timezone(timedelta(minutes=d // timedelta(minutes=1)))
            )
        ),
        refresh_expires_at=st.none() | st.datetimes(timezones=st.just(timezone.utc)),
        realm_id=st.none() | st.text(max_size=12),
        token_type=st.sampled_from(["bearer", "Bearer"]),
    )
)
def test_oauth_token_round_trips_through_its_dict(token):
    again = OAuthToken.from_dict(json.loads(json.dumps(token.to_dict())))
    assert again.to_dict() == token.to_dict() and again.expires_at == token.expires_at


def test_an_empty_store_needs_authorization_before_any_request(sandbox, creds, clock):
    auth = QuickBooksOAuth2(
        client_id=creds["client_id"], client_secret=creds["client_secret"], store=MemoryTokenStore()
    )
    with pytest.raises(ReauthorizationRequiredError, match="authorize the app first"):
        make_sync(sandbox, auth, clock).customers.get("1")
    assert sandbox.requests == [] and auth.token_requests == 0
