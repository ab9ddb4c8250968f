"""OAuth strategies against the sandbox token endpoint."""

from __future__ import annotations

import pytest

from msplink.errors import AuthenticationError, ConfigurationError, ReauthorizationRequiredError
from msplink.salesforce import (
    AccessTokenAuth,
    ClientCredentialsAuth,
    MemoryTokenStore,
    RefreshTokenAuth,
    SalesforceClient,
)
from msplink.sandbox.salesforce import SalesforceSandbox


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
