"""Shared builders for the first-hour tests: sandbox-backed clients with one setting spoiled."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from msplink import RetryPolicy
from msplink.connectwise import ConnectWiseClient
from msplink.quickbooks import MemoryTokenStore, OAuthToken, QuickBooksClient, QuickBooksOAuth2
from msplink.salesforce import JWTBearerAuth, SalesforceClient
from msplink.sandbox import ConnectWiseSandbox, QuickBooksSandbox, SalesforceSandbox
from msplink.testing import FakeClock

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@pytest.fixture
def cw_sandbox() -> ConnectWiseSandbox:
    sandbox = ConnectWiseSandbox()
    sandbox.seed(size=5, seed=1)
    return sandbox


def cw_client(sandbox: ConnectWiseSandbox, **changes: Any) -> ConnectWiseClient:
    options = {**sandbox.credentials(), **changes}
    return ConnectWiseClient(**options, transport=sandbox.transport(), retry=RetryPolicy.none())


@pytest.fixture
def qbo_sandbox() -> QuickBooksSandbox:
    sandbox = QuickBooksSandbox()
    sandbox.seed(size=5, seed=1)
    return sandbox


def qbo_client(
    sandbox: QuickBooksSandbox,
    *,
    refresh_token: str | None = None,
    client_secret: str | None = None,
    realm_id: str | None = None,
    token_realm: str | None = None,
) -> QuickBooksClient:
    creds = sandbox.credentials()
    store = MemoryTokenStore()
    store.save(
        OAuthToken(
            access_token="",
            refresh_token=refresh_token or creds["refresh_token"],
            expires_at=EPOCH,
            realm_id=token_realm,
        )
    )
    auth = QuickBooksOAuth2(
        client_id=creds["client_id"],
        client_secret=client_secret or creds["client_secret"],
        store=store,
        transport=sandbox.transport(),
    )
    return QuickBooksClient(
        realm_id=realm_id or creds["realm_id"],
        auth=auth,
        transport=sandbox.transport(),
        retry=RetryPolicy.none(),
    )


@pytest.fixture(scope="module")
def sf_sandbox() -> SalesforceSandbox:
    clock = FakeClock()
    sandbox = SalesforceSandbox(clock=clock, wall_clock=clock.now)
    sandbox.seed(size=5, seed=1)
    return sandbox


def sf_client(sandbox: SalesforceSandbox, **changes: Any) -> SalesforceClient:
    creds = sandbox.credentials()
    options = {
        "client_id": creds["client_id"],
        "username": creds["username"],
        "private_key": creds["private_key"],
        **changes,
    }
    return SalesforceClient(
        auth=JWTBearerAuth(**options), transport=sandbox.transport(), retry=RetryPolicy.none()
    )
