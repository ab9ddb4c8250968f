"""``msplink.check(client)`` and ``python -m msplink check``: one verdict per common mistake.

Every verdict is produced against the sandboxes (which serve the real auth flows) or, for answers
the sandboxes do not give, a MockRouter; each test pins the exact API calls the check spent.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

import msplink
from msplink import RetryPolicy
from msplink.__main__ import main
from msplink._check import check_from_env
from msplink.connectwise import ConnectWiseClient
from msplink.errors import ConfigurationError
from msplink.quickbooks import QuickBooksClient, QuickBooksEnvironment
from msplink.salesforce import ClientCredentialsAuth, SalesforceClient
from msplink.sandbox import ConnectWiseSandbox, QuickBooksSandbox, SalesforceSandbox
from msplink.testing import MockRouter
from tests.usability.conftest import cw_client, qbo_client, sf_client
from tests.usability.test_hints import _dns_failure

# ------------------------------------------------------------------------------------------ ConnectWise


def test_connectwise_ok(cw_sandbox: ConnectWiseSandbox) -> None:
    result = msplink.check(cw_client(cw_sandbox))
    assert (result.ok, result.verdict, result.api_calls) == (True, "ok", 2)
    assert dict(result.facts) == {
        "site": "api-na.myconnectwise.net",
        "company id": "msplink",
        "codebase": "v2025_1/",
        "cloud": "yes",
    }
    assert [(r.method, r.path) for r in cw_sandbox.requests] == [
        ("GET", "/login/companyinfo/msplink"),
        ("GET", "/v2025_1/apis/3.0/system/info"),
    ]
    assert str(result).startswith("OK   connectwise: the keys and clientId work for company 'msplink'")


@pytest.mark.parametrize(
    ("change", "verdict", "calls"),
    [
        ({"company_id": "acme-typo"}, "wrong_company_id", 1),
        ({"public_key": "SomeoneElsesKey"}, "bad_keys", 2),
        ({"client_id": "00000000-0000-0000-0000-000000000000"}, "bad_client_id", 2),
    ],
)
def test_connectwise_mistakes(
    cw_sandbox: ConnectWiseSandbox, change: dict[str, str], verdict: str, calls: int
) -> None:
    result = msplink.check(cw_client(cw_sandbox, **change))
    assert (result.ok, result.verdict, result.api_calls) == (False, verdict, calls)
    assert result.hint and result.hint in str(result)
    assert " -- hint: " not in result.message
    assert "SandboxPrivateKey01" not in str(result)


def test_connectwise_site_that_is_not_connectwise() -> None:
    router = MockRouter()
    router.get("/login/companyinfo/acme", status=404, text="<html><title>404 Not Found</title></html>")
    client = ConnectWiseClient(
        site="cw.example.com", company_id="acme", public_key="p", private_key="k", client_id="c",
        transport=router.transport(), retry=RetryPolicy.none(),
    )  # fmt: skip
    result = msplink.check(client)
    assert (result.verdict, result.api_calls) == ("wrong_site", 1)


def test_connectwise_role_without_system_info() -> None:
    router = MockRouter()
    router.get("/login/companyinfo/acme", json={"Codebase": "v2025_1/", "IsCloud": False})
    router.get("/v2025_1/apis/3.0/system/info", status=403, json={"code": "Forbidden", "message": "denied"})
    client = ConnectWiseClient(
        site="cw.example.com", company_id="acme", public_key="p", private_key="k", client_id="c",
        transport=router.transport(), retry=RetryPolicy.none(),
    )  # fmt: skip
    result = msplink.check(client)
    assert (result.verdict, result.api_calls, result.facts["cloud"]) == ("permission_denied", 2, "no")


def test_connectwise_unreachable() -> None:
    client = ConnectWiseClient(
        site="api-xx.myconnectwise.net", company_id="acme", public_key="p", private_key="k",
        client_id="c", transport=httpx.MockTransport(_dns_failure), retry=RetryPolicy.none(),
    )  # fmt: skip
    result = msplink.check(client)
    assert (result.verdict, result.api_calls) == ("unreachable", 1)
    assert "Name or service not known" in result.message


# ------------------------------------------------------------------------------------------- QuickBooks


def test_quickbooks_ok(qbo_sandbox: QuickBooksSandbox) -> None:
    result = msplink.check(qbo_client(qbo_sandbox))
    assert (result.ok, result.verdict, result.api_calls) == (True, "ok", 1)
    assert result.facts["realm id"] == qbo_sandbox.realm_id
    assert result.facts["environment"] == "production"
    assert result.facts["company"]
    assert qbo_sandbox.token_requests == 1  # the stored token had expired: one refresh


@pytest.mark.parametrize(
    ("change", "verdict", "calls"),
    [
        ({"refresh_token": "RT1-revoked"}, "grant_expired", 1),
        ({"client_secret": "wrong-secret"}, "bad_client_secret", 1),
        ({"realm_id": "4620816365"}, "wrong_realm", 2),
    ],
)
def test_quickbooks_mistakes(
    qbo_sandbox: QuickBooksSandbox, change: dict[str, str], verdict: str, calls: int
) -> None:
    # A refused refresh happens inside the first API call's attempt, which counts as one call.
    result = msplink.check(qbo_client(qbo_sandbox, **change))
    assert (result.ok, result.verdict, result.api_calls) == (False, verdict, calls)
    assert result.hint


@pytest.mark.parametrize(
    ("configured", "answering", "hint"),
    [
        (
            QuickBooksEnvironment.PRODUCTION,
            "sandbox-quickbooks.api.intuit.com",
            "QuickBooksEnvironment.SANDBOX",
        ),
        (QuickBooksEnvironment.SANDBOX, "quickbooks.api.intuit.com", "QuickBooksEnvironment.PRODUCTION"),
    ],
)
def test_quickbooks_company_of_the_other_environment(
    configured: QuickBooksEnvironment, answering: str, hint: str
) -> None:
    fault = {"Fault": {"Error": [{"Message": "ApplicationAuthorizationFailed", "code": "3100"}]}}

    def company_info(request: httpx.Request) -> httpx.Response:
        if request.url.host == answering:
            return httpx.Response(200, json={"CompanyInfo": {"Id": "1", "CompanyName": "Acme"}})
        return httpx.Response(403, json=fault)

    router = MockRouter()
    route = router.get("/v3/company/9130/companyinfo/9130", company_info)
    client = QuickBooksClient(
        realm_id="9130",
        auth="acc-1",
        environment=configured,
        transport=router.transport(),
        retry=RetryPolicy.none(),
    )
    result = msplink.check(client)
    assert (result.verdict, result.api_calls, route.call_count) == ("wrong_environment", 2, 2)
    assert hint in str(result.hint)


# ------------------------------------------------------------------------------------------- Salesforce


def test_salesforce_ok(sf_sandbox: SalesforceSandbox) -> None:
    sf_sandbox.clear_log()
    result = msplink.check(sf_client(sf_sandbox))
    assert (result.ok, result.verdict, result.api_calls) == (True, "ok", 2)
    assert result.facts["user"] == sf_sandbox.credentials()["username"]
    assert result.facts["auth"] == "JWTBearerAuth"
    assert [r.path for r in sf_sandbox.requests] == [
        "/services/oauth2/token",
        "/services/oauth2/userinfo",
        "/services/data",
    ]


@pytest.mark.parametrize(
    ("change", "verdict"),
    [
        ({"client_id": "3MVG9NotThisApp"}, "bad_consumer_key"),
        ({"username": "not.approved@acme.example"}, "not_preauthorized"),
        ({"audience": "https://acme.my.salesforce.com"}, "wrong_login_url"),
    ],
)
def test_salesforce_mistakes(sf_sandbox: SalesforceSandbox, change: dict[str, str], verdict: str) -> None:
    result = msplink.check(sf_client(sf_sandbox, **change))
    assert (result.ok, result.verdict, result.api_calls) == (False, verdict, 1)
    assert result.hint


def test_salesforce_api_version_the_org_does_not_serve(sf_sandbox: SalesforceSandbox) -> None:
    client = sf_client(sf_sandbox)
    client = SalesforceClient(auth=client.auth, api_version="99.0", transport=sf_sandbox.transport())
    result = msplink.check(client)
    assert (result.verdict, result.api_calls) == ("unsupported_api_version", 2)
    assert result.hint == "pass api_version='66.0' (MSPLINK_SF_API_VERSION) or an older version it serves"


def test_salesforce_without_run_as_user() -> None:
    router = MockRouter()
    body = {"error": "invalid_grant", "error_description": "no client credentials user enabled"}
    router.post("/services/oauth2/token", status=400, json=body)
    auth = ClientCredentialsAuth(
        client_id="3MVG9x", client_secret="s", login_url="https://acme.my.salesforce.com"
    )
    result = msplink.check(
        SalesforceClient(auth=auth, transport=router.transport(), retry=RetryPolicy.none())
    )
    assert (result.verdict, result.api_calls) == ("no_run_as_user", 1)


def test_check_refuses_other_objects() -> None:
    with pytest.raises(ConfigurationError):
        msplink.check(object())


# ---------------------------------------------------------------------------------------- from the env


def test_check_from_env_reports_missing_settings() -> None:
    result = check_from_env("quickbooks", {"MSPLINK_QBO_REALM_ID": "9130"})
    assert (result.ok, result.verdict, result.api_calls) == (False, "missing_settings", 0)
    assert "MSPLINK_QBO_CLIENT_ID" in result.message
    assert result.hint == "set the MSPLINK_QBO_* variables (see docs/quickbooks-credentials.md)"


def test_check_from_env_reports_a_missing_key_file() -> None:
    env = {
        "MSPLINK_SF_CLIENT_ID": "3MVG9x",
        "MSPLINK_SF_USERNAME": "u@x",
        "MSPLINK_SF_PRIVATE_KEY_FILE": "/nope/key.pem",
    }
    result = check_from_env("salesforce", env)
    assert result.verdict == "missing_settings"
    assert result.message == "FileNotFoundError: No such file or directory (/nope/key.pem)"


def test_check_from_env_with_a_transport(cw_sandbox: ConnectWiseSandbox) -> None:
    env = {f"MSPLINK_CW_{k.upper()}": v for k, v in cw_sandbox.credentials().items()}
    result = check_from_env("connectwise", env, transport=cw_sandbox.transport())
    assert (result.verdict, result.api_calls) == ("ok", 2)


def test_cli_without_settings(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    for key in [k for k in __import__("os").environ if k.startswith("MSPLINK_")]:
        monkeypatch.delenv(key)
    assert main(["check"]) == 2
    assert "No MSPLINK_CW_*, MSPLINK_QBO_* or MSPLINK_SF_* variables are set" in capsys.readouterr().out
    assert main(["check", "jira"]) == 2
    assert main(["check", "salesforce"]) == 1
    assert capsys.readouterr().out.startswith("FAIL salesforce: Salesforce credentials incomplete")


@pytest.fixture
def served_connectwise() -> Iterator[tuple[ConnectWiseSandbox, int]]:
    uvicorn = pytest.importorskip("uvicorn")
    sandbox = ConnectWiseSandbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(sandbox, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        yield sandbox, port
    finally:
        server.should_exit = True
        thread.join(10)


def test_cli_check_against_a_served_sandbox(
    served_connectwise: tuple[ConnectWiseSandbox, int],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sandbox, port = served_connectwise
    creds = {**sandbox.credentials(), "site": f"http://localhost:{port}"}
    for key, value in creds.items():
        monkeypatch.setenv(f"MSPLINK_CW_{key.upper()}", value)
    assert main(["check", "connectwise"]) == 0
    out = capsys.readouterr().out
    assert (
        out.splitlines()[0]
        == f"OK   connectwise: the keys and clientId work for company 'msplink' at localhost:{port}"
    )
    monkeypatch.setenv("MSPLINK_CW_COMPANY_ID", "acme-typo")
    assert main(["check"]) == 1
    assert "FAIL connectwise: NotFoundError" in capsys.readouterr().out
    assert [r.status for r in sandbox.requests] == [200, 200, 404]
