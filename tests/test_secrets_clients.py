"""Secrets given to any client never reach logs, reprs or exception strings (all three vendors)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from msplink.connectwise import ConnectWiseClient
from msplink.errors import MsplinkError
from msplink.quickbooks import MemoryTokenStore, OAuthToken, QuickBooksClient, QuickBooksOAuth2
from msplink.salesforce import ClientCredentialsAuth, SalesforceClient
from msplink.sandbox import ConnectWiseSandbox, FaultKind, QuickBooksSandbox, SalesforceSandbox
from msplink.testing import FakeClock


def _connectwise(clock: FakeClock) -> tuple[Any, list[str], Callable[[Any], None]]:
    sandbox = ConnectWiseSandbox(clock=clock)
    sandbox.seed(size=3, seed=1)
    creds = sandbox.credentials()
    sandbox.faults.inject(
        FaultKind.SERVER_ERROR, status=503, times=1, method="GET", path="/company/companies"
    )
    client = ConnectWiseClient(**creds, transport=sandbox.transport(), sleep=clock.sleep)

    def exercise(c: ConnectWiseClient) -> None:
        c.companies.list().to_list()
        c.companies.get(999_999)

    return client, [creds["private_key"], creds["public_key"], creds["client_id"]], exercise


def _quickbooks(clock: FakeClock) -> tuple[Any, list[str], Callable[[Any], None]]:
    sandbox = QuickBooksSandbox(clock=clock)
    creds = sandbox.credentials()
    store = MemoryTokenStore(
        OAuthToken(
            access_token=creds["access_token"],
            refresh_token=creds["refresh_token"],
            expires_at=clock.now() - timedelta(seconds=1),  # expired: forces a refresh on the first call
            realm_id=creds["realm_id"],
        )
    )
    auth = QuickBooksOAuth2(client_id=creds["client_id"], client_secret=creds["client_secret"], store=store)
    sandbox.faults.inject(FaultKind.SERVER_ERROR, status=503, times=1, path="/query")
    client = QuickBooksClient(
        realm_id=creds["realm_id"], auth=auth, transport=sandbox.transport(), sleep=clock.sleep
    )

    def exercise(c: QuickBooksClient) -> None:
        c.customers.list().to_list()
        c.customers.get("999999")

    secrets = [creds["client_secret"], creds["access_token"], creds["refresh_token"]]

    def exercise_and_collect(c: QuickBooksClient) -> None:
        try:
            exercise(c)
        finally:
            rotated = store.load()
            assert rotated is not None
            secrets.extend([rotated.access_token, rotated.refresh_token])

    return client, secrets, exercise_and_collect


def _salesforce(clock: FakeClock) -> tuple[Any, list[str], Callable[[Any], None]]:
    sandbox = SalesforceSandbox(clock=clock)
    sandbox.seed(size=3, seed=1)
    creds = sandbox.credentials()
    auth = ClientCredentialsAuth(client_id=creds["client_id"], client_secret=creds["client_secret"])
    sandbox.faults.inject(FaultKind.SERVER_ERROR, status=503, times=1, method="GET", path="/query")
    client = SalesforceClient(auth=auth, transport=sandbox.transport(), sleep=clock.sleep)

    def exercise(c: SalesforceClient) -> None:
        c.accounts.list().to_list()
        c.accounts.get("001000000000000AAA")

    return client, [creds["client_secret"], creds["client_id"]], exercise


@pytest.mark.parametrize("build", [_connectwise, _quickbooks, _salesforce], ids=["cw", "qbo", "sf"])
def test_no_secret_in_logs_reprs_or_errors(
    build: Callable[[FakeClock], tuple[Any, list[str], Callable[[Any], None]]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    client, secrets, exercise = build(FakeClock())
    errors: list[BaseException] = []
    with caplog.at_level(logging.DEBUG, logger="msplink"):
        try:
            exercise(client)
        except MsplinkError as exc:
            errors.append(exc)

    assert len(errors) == 1, "the last call of each exercise asks for a record that does not exist"
    assert "retrying " in caplog.text, "the injected 503 was retried and logged"
    seen = caplog.text + repr(client) + "".join(f"{e!s} {e!r} {e.args!r}" for e in errors)
    for attr in ("_auth", "auth", "_executor"):
        if hasattr(client, attr):
            seen += repr(getattr(client, attr))
    for secret in secrets:
        assert secret
        assert secret not in seen
    client.close()
