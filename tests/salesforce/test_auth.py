"""OAuth strategies against the sandbox token endpoint."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import datetime, timezone
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from msplink import RetryPolicy
from msplink.errors import (
    APIError,
    AuthenticationError,
    ConfigurationError,
    MsplinkError,
    ReauthorizationRequiredError,
    TransportError,
)
from msplink.salesforce import (
    AccessTokenAuth,
    AsyncSalesforceClient,
    ClientCredentialsAuth,
    FileTokenStore,
    MemoryTokenStore,
    RefreshTokenAuth,
    SalesforceClient,
    Token,
)
from msplink.sandbox.salesforce import SalesforceSandbox
from msplink.testing import MockRouter


def test_client_credentials(sandbox):
    creds = sandbox.credentials()
    auth = ClientCredentialsAuth(client_id=creds["client_id"], client_secret=creds["client_secret"])
    with SalesforceClient(auth=auth, transport=sandbox.transport()) as client:
        assert client.accounts.count() == 10
    assert auth.instance_url == sandbox.instance_url
    assert "client_secret" not in repr(auth) and creds["client_secret"] not in repr(auth)
    bad = ClientCredentialsAuth(client_id=creds["client_id"], client_secret="wrong")
    with (
        SalesforceClient(auth=bad, transport=sandbox.transport()) as client,
        pytest.raises(AuthenticationError),
    ):
        client.accounts.count()


def test_refresh_token_rotation_is_saved(clock):
    sandbox = SalesforceSandbox(clock=clock, wall_clock=clock.now, rotate_refresh_tokens=True)
    creds = sandbox.credentials()
    store = MemoryTokenStore()
    auth = RefreshTokenAuth(client_id=creds["client_id"], refresh_token=creds["refresh_token"], store=store)
    with SalesforceClient(auth=auth, transport=sandbox.transport()) as client:
        client.accounts.count()
        first = store.load()
        assert first is not None and first.refresh_token != creds["refresh_token"]
        sandbox.expire_sessions()
        client.accounts.count()
        second = store.load()
        assert second is not None and second.refresh_token != first.refresh_token
        assert store.saves == 2
        assert "refresh_token=" not in repr(second)


def test_revoked_refresh_token_needs_reauthorization(sandbox):
    creds = sandbox.credentials()
    auth = RefreshTokenAuth(client_id=creds["client_id"], refresh_token="revoked")
    with (
        SalesforceClient(auth=auth, transport=sandbox.transport()) as client,
        pytest.raises(ReauthorizationRequiredError),
    ):
        client.accounts.count()


def test_static_access_token_cannot_reauthenticate(sandbox):
    creds = sandbox.credentials()
    auth = AccessTokenAuth(access_token=creds["access_token"], instance_url=creds["instance_url"])
    with SalesforceClient(auth=auth, transport=sandbox.transport()) as client:
        assert client.accounts.count() == 10
        sandbox.expire_sessions()
        with pytest.raises(AuthenticationError) as info:
            client.accounts.count()
        assert info.value.codes == ("INVALID_SESSION_ID",)


def test_from_env_and_configuration_errors(sandbox):
    creds = sandbox.credentials()
    env = {"MSPLINK_SF_CLIENT_ID": creds["client_id"], "MSPLINK_SF_CLIENT_SECRET": creds["client_secret"]}
    with SalesforceClient.from_env(env, transport=sandbox.transport()) as client:
        assert isinstance(client.auth, ClientCredentialsAuth)
        assert client.accounts.count() == 10
    with pytest.raises(ConfigurationError):
        SalesforceClient.from_env({})
    with pytest.raises(ConfigurationError):
        SalesforceClient(auth=AccessTokenAuth(access_token="x", instance_url="https://x"), api_version="62")


def test_with_options_shares_state(sandbox, clock):
    creds = sandbox.credentials()
    auth = AccessTokenAuth(access_token=creds["access_token"], instance_url=creds["instance_url"])
    with SalesforceClient(auth=auth, transport=sandbox.transport(), sleep=clock.sleep) as client:
        quick = client.with_options(timeout=5)
        quick.accounts.count()
        assert client.limit_info is not None
        assert client.request("GET", "limits").status_code == 200


def test_token_minting_is_single_flight(sandbox):
    import asyncio
    import threading

    from msplink.salesforce import AsyncSalesforceClient

    creds = sandbox.credentials()
    auth = ClientCredentialsAuth(client_id=creds["client_id"], client_secret=creds["client_secret"])
    with SalesforceClient(auth=auth, transport=sandbox.transport()) as client:
        threads = [threading.Thread(target=client.accounts.count) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert auth.token_requests == 1

    async_auth = ClientCredentialsAuth(client_id=creds["client_id"], client_secret=creds["client_secret"])

    async def run() -> list[int]:
        async with AsyncSalesforceClient(auth=async_auth, transport=sandbox.transport()) as client:
            counts = await asyncio.gather(*(client.accounts.count() for _ in range(6)))
            sandbox.expire_sessions()
            await asyncio.gather(*(client.accounts.count() for _ in range(6)))
            return counts

    assert asyncio.run(run()) == [10] * 6
    assert async_auth.token_requests == 2


def test_file_token_store(tmp_path, sandbox):
    import os
    import stat

    from msplink.salesforce import FileTokenStore

    creds = sandbox.credentials()
    store = FileTokenStore(tmp_path / "sf" / "token.json")
    assert store.load() is None
    auth = RefreshTokenAuth(client_id=creds["client_id"], refresh_token=creds["refresh_token"], store=store)
    with SalesforceClient(auth=auth, transport=sandbox.transport()) as client:
        client.accounts.count()
    saved = store.load()
    assert saved is not None and saved.instance_url == sandbox.instance_url
    assert stat.S_IMODE(os.stat(store.path).st_mode) == 0o600
    again = RefreshTokenAuth(client_id=creds["client_id"], store=store)
    with SalesforceClient(auth=again, transport=sandbox.transport()) as client:
        assert client.accounts.count() == 10
    assert again.token_requests == 0  # the stored access token was still valid


def test_proactive_renewal_before_the_session_times_out(clock):
    sandbox = SalesforceSandbox(clock=clock, wall_clock=clock.now, session_ttl=7200)
    creds = sandbox.credentials()
    auth = ClientCredentialsAuth(
        client_id=creds["client_id"],
        client_secret=creds["client_secret"],
        max_token_age=5760,
        clock=clock.monotonic,
    )
    with SalesforceClient(auth=auth, transport=sandbox.transport(), sleep=clock.sleep) as client:
        client.accounts.count()
        clock.advance(5000)
        client.accounts.count()
        clock.advance(1000)
        client.accounts.count()
    assert auth.token_requests == 2
    assert sandbox.count(None, None, status=401) == 0
    with pytest.raises(ConfigurationError):
        ClientCredentialsAuth(client_id="a", client_secret="b", max_token_age=0)


# ---- the instance_url of a token answer is followed only to Salesforce (issue 11 item 5), typed errors

TOKEN_ANSWER = {
    "access_token": "00Dsession!secret-session-value",
    "token_type": "Bearer",
    "issued_at": "1778067049123",
}


def _router_with_token(instance_url: str | None, *, body: bytes | None = None) -> MockRouter:
    router = MockRouter()
    if body is None:
        payload: dict[str, Any] = {**TOKEN_ANSWER}
        if instance_url is not None:
            payload["instance_url"] = instance_url
        body = json.dumps(payload).encode()
    router.post("/services/oauth2/token", httpx.Response(200, content=body))
    router.add("*", re.compile(r"^/services/data/"), json={"totalSize": 3, "done": True, "records": []})
    return router


@pytest.mark.parametrize(
    "instance_url",
    [
        "https://evil.example",
        "http://acme.my.salesforce.com",
        "https://acme.my.salesforce.com.evil.example",
        "https://acme.my.salesforce.com:8443",
        "https://user:pw@acme.my.salesforce.com",
        "https://acme.my.salesforce.com/services/data",
        "https://10.0.0.7",
        "javascript:alert(1)",
        None,
    ],
)
@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_an_untrusted_instance_url_never_receives_the_session(instance_url, flavour):
    router = _router_with_token(instance_url)
    auth = ClientCredentialsAuth(client_id="3MVG9", client_secret="consumer-secret")

    def run() -> int:
        if flavour == "sync":
            with SalesforceClient(
                auth=auth, transport=router.transport(), retry=RetryPolicy.none()
            ) as client:
                return client.accounts.count()

        async def go() -> int:
            async with AsyncSalesforceClient(
                auth=auth, transport=router.transport(), retry=RetryPolicy.none()
            ) as client:
                return await client.accounts.count()

        return asyncio.run(go())

    with pytest.raises(APIError) as info:
        run()
    assert type(info.value) is APIError and info.value.codes == ("malformed_token_response",)
    assert [(c.method, c.url.host) for c in router.calls] == [("POST", "login.salesforce.com")]
    assert auth.token is None and "secret-session-value" not in str(info.value)


def test_the_configured_token_host_may_name_itself_over_http(sandbox):
    """A sandbox served on a local socket names the host it was reached on: that one origin is trusted."""
    creds = sandbox.credentials()
    auth = ClientCredentialsAuth(
        client_id=creds["client_id"], client_secret=creds["client_secret"], login_url="http://127.0.0.1:8080"
    )
    with SalesforceClient(auth=auth, transport=sandbox.transport()) as client:
        assert client.accounts.count() == 10
    assert auth.instance_url == "http://127.0.0.1:8080"
    # Another token host naming that origin is refused (only the configured origin is trusted).
    fixed = SalesforceSandbox(instance_url="http://127.0.0.1:8080")
    creds = fixed.credentials()
    other = ClientCredentialsAuth(
        client_id=creds["client_id"], client_secret=creds["client_secret"], login_url="http://127.0.0.1:9090"
    )
    with SalesforceClient(auth=other, transport=fixed.transport()) as client, pytest.raises(APIError):
        client.accounts.count()
    assert fixed.count("GET", None) == 0


HOSTILE_SF_TOKEN_ANSWERS = {
    "deep nesting": b"[" * 100_000 + b"]" * 100_000,
    "not json": b"<html>maintenance</html>",
    "a list": b"[]",
    "number as token": json.dumps(
        {**TOKEN_ANSWER, "access_token": 5, "instance_url": "https://a.my.salesforce.com"}
    ).encode(),
    "header injection": json.dumps(
        {**TOKEN_ANSWER, "access_token": "00D!x\r\nX-Evil: 1", "instance_url": "https://a.my.salesforce.com"}
    ).encode(),
    "not bearer": json.dumps(
        {**TOKEN_ANSWER, "token_type": "MAC", "instance_url": "https://a.my.salesforce.com"}
    ).encode(),
}


@pytest.mark.parametrize("body", HOSTILE_SF_TOKEN_ANSWERS.values(), ids=HOSTILE_SF_TOKEN_ANSWERS.keys())
def test_hostile_token_answers_are_typed(body):
    router = _router_with_token(None, body=body)
    auth = ClientCredentialsAuth(client_id="3MVG9", client_secret="consumer-secret")
    with (
        SalesforceClient(auth=auth, transport=router.transport(), retry=RetryPolicy.none()) as client,
        pytest.raises(APIError) as info,
    ):
        client.accounts.count()
    assert type(info.value) is APIError and info.value.codes == ("malformed_token_response",)
    assert len(router.calls) == 1


@settings(max_examples=100)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=12), c, max_size=4),
        max_leaves=12,
    )
    | st.fixed_dictionaries(
        {
            "access_token": st.text(max_size=12),
            "instance_url": st.sampled_from(["https://a.my.salesforce.com", "x"]),
        },
        optional={"token_type": st.text(max_size=8), "issued_at": st.text(max_size=20) | st.integers()},
    ),
    st.sampled_from([200, 400, 401, 500]),
)
def test_any_token_answer_is_a_session_or_a_typed_error(body, status):
    router = MockRouter()
    router.post("/services/oauth2/token", httpx.Response(status, content=json.dumps(body).encode()))
    router.add("*", re.compile(r"^/services/data/"), json={"totalSize": 3, "done": True, "records": []})
    auth = ClientCredentialsAuth(client_id="3MVG9", client_secret="consumer-secret")
    with SalesforceClient(auth=auth, transport=router.transport(), retry=RetryPolicy.none()) as client:
        try:
            assert client.accounts.count() == 3
        except MsplinkError as exc:
            assert isinstance(exc, APIError)
        else:
            assert auth.instance_url == "https://a.my.salesforce.com"


@pytest.mark.parametrize(
    "body", [b"[" * 100_000 + b"]" * 100_000, b"\xff\xfe", b"{}"], ids=["deep", "bytes", "empty"]
)
def test_a_hostile_401_body_is_a_typed_error(body):
    router = MockRouter()
    router.add("*", re.compile(r"^/services/data/"), httpx.Response(401, content=body))
    auth = AccessTokenAuth(access_token="00D!x", instance_url="https://acme.my.salesforce.com")
    with (
        SalesforceClient(auth=auth, transport=router.transport(), retry=RetryPolicy.none()) as client,
        pytest.raises(AuthenticationError),
    ):
        client.accounts.count()


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_an_unreachable_token_endpoint_is_a_transport_error_and_the_next_call_works(flavour, sandbox):
    creds = sandbox.credentials()
    inner = sandbox.transport()
    down = {"now": True}

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/services/oauth2/token" and down.pop("now", False):
            raise httpx.ConnectError("refused", request=request)
        response: httpx.Response = inner.handle_request(request)
        return response

    auth = ClientCredentialsAuth(client_id=creds["client_id"], client_secret=creds["client_secret"])
    transport = httpx.MockTransport(handler)
    if flavour == "sync":
        with SalesforceClient(auth=auth, transport=transport, retry=RetryPolicy.none()) as client:
            with pytest.raises(TransportError):
                client.accounts.count()
            assert client.accounts.count() == 10
    else:

        async def go() -> int:
            async with AsyncSalesforceClient(
                auth=auth, transport=transport, retry=RetryPolicy.none()
            ) as client:
                with pytest.raises(TransportError):
                    await client.accounts.count()
                return await client.accounts.count()

        assert asyncio.run(go()) == 10
    assert auth.token_requests == 2


@pytest.mark.parametrize(
    "content",
    [
        "",
        "{oops",
        "[1]",
        "null",
        "{}",
        json.dumps({"access_token": "a", "instance_url": "x"}),
        json.dumps({"instance_url": "https://acme.my.salesforce.com"}),
        json.dumps(
            {"access_token": "a", "instance_url": "https://a.my.salesforce.com", "issued_at": "yesterday"}
        ),
    ],
    ids=["empty", "not-json", "list", "null", "empty-object", "bad-url", "no-token", "bad-date"],
)
def test_file_token_store_refuses_corrupt_files_with_a_typed_error(tmp_path, content):
    path = tmp_path / "sf.json"
    path.write_text(content)
    with pytest.raises(ConfigurationError, match="does not hold a valid token"):
        FileTokenStore(path).load()


def test_a_stored_token_naming_a_foreign_host_is_refused(tmp_path, sandbox):
    creds = sandbox.credentials()
    store = FileTokenStore(tmp_path / "sf.json")
    store.save(Token(access_token="00D!stolen", instance_url="https://evil.example", refresh_token="5Aep-x"))
    auth = RefreshTokenAuth(client_id=creds["client_id"], store=store)
    with (
        SalesforceClient(auth=auth, transport=sandbox.transport()) as client,
        pytest.raises(ConfigurationError, match=r"evil\.example"),
    ):
        client.accounts.count()
    assert sandbox.requests == []


def test_token_round_trips_through_the_file_store(tmp_path):
    store = FileTokenStore(tmp_path / "sf.json")
    token = Token(
        access_token="00D!a",
        instance_url="https://acme.my.salesforce.com",
        scope="api refresh_token",
        id="https://login.salesforce.com/id/00D/005",
        issued_at=datetime(2026, 5, 1, 12, 0, tzinfo=timezone.utc),
        refresh_token="5Aep-r",
    )
    store.save(token)
    assert store.load() == token and Token.from_dict(token.to_dict()) == token
    assert "00D!a" not in repr(store.load()) and "5Aep-r" not in repr(store.load())
