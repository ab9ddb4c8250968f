"""Secrets given to a client never appear in logs, reprs or exception strings."""

from __future__ import annotations

import logging

import httpx
import pytest

from msplink._core import SENSITIVE_HEADERS, Secret, redact_headers, redact_text
from msplink.errors import AuthenticationError, TransportError
from msplink.sandbox import FaultKind
from msplink.testing import FakeClock
from tests.core._toy import ToySandbox, create_call, get_call, sync_executor

PASSWORD = "s3cr3t-private-key-value"
USER = "acme+publickey"


def test_secret_never_shows_itself() -> None:
    secret = Secret(PASSWORD)
    assert PASSWORD not in repr(secret)
    assert PASSWORD not in str(secret)
    assert PASSWORD not in f"{secret} {secret!r} {[secret]} { ({'k': secret}) }"
    assert secret.get() == PASSWORD
    assert secret == Secret(PASSWORD)
    with pytest.raises(TypeError):
        secret.__reduce__()


def test_redact_headers_and_text() -> None:
    headers = {"Authorization": "Basic abc", "clientId": "cid", "Accept": "application/json"}
    assert redact_headers(headers) == {
        "Authorization": "***",
        "clientId": "***",
        "Accept": "application/json",
    }
    assert "authorization" in SENSITIVE_HEADERS
    assert redact_text(f"token={PASSWORD}; again {PASSWORD}", [PASSWORD, ""]) == "token=***; again ***"


def test_nothing_secret_reaches_logs_reprs_or_errors(caplog: pytest.LogCaptureFixture) -> None:
    clock = FakeClock()
    sandbox = ToySandbox(records=1, clock=clock)
    sandbox.faults.inject(FaultKind.SERVER_ERROR, status=503, times=1, method="GET")
    sandbox.faults.inject(FaultKind.LOSE_RESPONSE, times=1, method="POST")
    executor = sync_executor(
        sandbox,
        sleep=clock.sleep,
        auth=httpx.BasicAuth(USER, PASSWORD),
        headers={"clientId": "client-id-123456"},
    )
    caught: list[BaseException] = []
    with caplog.at_level(logging.DEBUG, logger="msplink"):
        executor.execute(get_call(1))
        try:
            executor.execute(create_call("x"))
        except TransportError as exc:
            caught.append(exc)
        try:
            executor.execute(get_call(42))
        except Exception as exc:
            caught.append(exc)

    text = caplog.text + "".join(f"{e!s}{e!r}" for e in caught) + repr(executor) + repr(executor.http_client)
    assert "retrying GET /items/{id}" in caplog.text
    assert "GET /items/{id} -> 200" in caplog.text
    for secret in (PASSWORD, "client-id-123456", "Basic "):
        assert secret not in text
    assert len(caught) == 2


def test_auth_failure_error_carries_no_credentials() -> None:
    def deny(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json={"code": "Unauthorized", "message": "bad credentials"})

    from msplink._core import SyncExecutor
    from tests.core._toy import BASE_URL, TOY

    executor = SyncExecutor(
        platform=TOY,
        base_url=BASE_URL,
        transport=httpx.MockTransport(deny),
        auth=httpx.BasicAuth(USER, PASSWORD),
    )
    with pytest.raises(AuthenticationError) as info:
        executor.execute(get_call(1))
    assert PASSWORD not in str(info.value) and PASSWORD not in repr(info.value)
