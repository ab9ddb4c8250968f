"""Each common first-hour mistake gets a hint naming it (``exc.hint``, and the message's end)."""

from __future__ import annotations

import socket

import httpx
import pytest

from msplink import RetryPolicy
from msplink.connectwise import ConnectWiseClient
from msplink.errors import (
    AuthenticationError,
    ConfigurationError,
    NotFoundError,
    PermissionDeniedError,
    ReauthorizationRequiredError,
    TransportError,
)
from msplink.quickbooks import QuickBooksClient
from msplink.salesforce import ClientCredentialsAuth, SalesforceClient
from msplink.sandbox import ConnectWiseSandbox, QuickBooksSandbox, SalesforceSandbox
from msplink.testing import MockRouter
from tests.usability.conftest import cw_client, qbo_client, sf_client

# ------------------------------------------------------------------------------------------ ConnectWise


def test_wrong_company_id_on_company_info(cw_sandbox: ConnectWiseSandbox) -> None:
    client = cw_client(cw_sandbox, company_id="acme-typo")
    with pytest.raises(NotFoundError) as info:
        client.company_info()
    assert "does not know the company id 'acme-typo'" in str(info.value.hint)
    assert str(info.value).endswith(" -- hint: " + str(info.value.hint))
    assert cw_sandbox.count("GET", r"/login/companyinfo/acme-typo$", status=404) == 1


def test_wrong_company_id_surfaces_on_the_first_call(cw_sandbox: ConnectWiseSandbox) -> None:
    # companyinfo 404s, the client falls back to v4_6_release, and the cloud answers a bare 404.
    client = cw_client(cw_sandbox, company_id="acme-typo")
    with pytest.raises(AuthenticationError) as info:
        client.companies.list().first()
    assert info.value.status_code == 404
    assert "GET /login/companyinfo/acme-typo answered 404" in str(info.value.hint)
    assert "company id 'acme-typo' is probably wrong" in str(info.value)
    assert len(cw_sandbox.requests) == 2


def test_unknown_site_shortcut_is_refused_before_any_io() -> None:
    with pytest.raises(ConfigurationError) as info:
        ConnectWiseClient(site="us", company_id="a", public_key="p", private_key="k", client_id="c")
    assert str(info.value).startswith("connectwise: unknown site 'us'")
    assert "au, aus, eu, na, sandbox-au, sandbox-eu, sandbox-na, staging, za" in str(info.value.hint)


@pytest.mark.parametrize("site", ["na", "na.myconnectwise.net", "cw.example.com", "http://localhost:8080"])
def test_real_sites_are_still_accepted(site: str) -> None:
    client = ConnectWiseClient(site=site, company_id="a", public_key="p", private_key="k", client_id="c")
    assert client.base_url.endswith("/v4_6_release/apis/3.0")


def test_refused_keys(cw_sandbox: ConnectWiseSandbox) -> None:
    client = cw_client(cw_sandbox, private_key="not-the-key")
    with pytest.raises(AuthenticationError) as info:
        client.companies.count()
    assert info.value.status_code == 401
    assert "public/private key pair was refused for company 'msplink'" in str(info.value.hint)
    assert "not-the-key" not in str(info.value)


def test_refused_client_id(cw_sandbox: ConnectWiseSandbox) -> None:
    client = cw_client(cw_sandbox, client_id="00000000-0000-0000-0000-000000000000")
    with pytest.raises(AuthenticationError) as info:
        client.companies.count()
    assert str(info.value.hint).startswith("the clientId header was refused")


def test_security_role_without_the_module() -> None:
    router = MockRouter()
    router.get("/v2025_1/apis/3.0/finance/invoices", status=403, json={"code": "Forbidden", "message": "no"})
    client = ConnectWiseClient(
        site="na", company_id="acme", public_key="p", private_key="k", client_id="c",
        codebase="v2025_1", transport=router.transport(), retry=RetryPolicy.none(),
    )  # fmt: skip
    with pytest.raises(PermissionDeniedError) as info:
        client.invoices.list().first()
    assert "security role does not allow GET /finance/invoices" in str(info.value.hint)


def _dns_failure(request: httpx.Request) -> httpx.Response:
    cause = socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    raise httpx.ConnectError(str(cause), request=request) from cause


def test_site_that_does_not_resolve_keeps_the_os_reason() -> None:
    client = ConnectWiseClient(
        site="api-xx.myconnectwise.net", company_id="acme", public_key="p", private_key="k",
        client_id="c", transport=httpx.MockTransport(_dns_failure), retry=RetryPolicy.none(),
    )  # fmt: skip
    with pytest.raises(TransportError) as info:
        client.company_info()
    message = str(info.value)
    assert message.startswith(
        "connectwise GET /login/companyinfo/{companyId}: ConnectError: [Errno -2] Name or service not known "
        "(host api-xx.myconnectwise.net)"
    )
    assert "does not resolve: check site=" in str(info.value.hint)


def test_refused_connection_keeps_the_os_reason() -> None:
    with socket.socket() as probe:  # a port nobody listens on: bind, then close it
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = ConnectWiseClient(
        site=f"http://localhost:{port}", company_id="acme", public_key="p", private_key="k",
        client_id="c", retry=RetryPolicy.none(),
    )  # fmt: skip
    with pytest.raises(TransportError) as info:
        client.company_info()
    assert "ConnectError: [Errno 111] Connection refused (host localhost)" in str(info.value)
    assert info.value.hint is None


# ------------------------------------------------------------------------------------------- QuickBooks


@pytest.mark.parametrize("realm", ["Acme", "9130 3500", "913035000000000a"])
def test_non_numeric_realm_is_refused_before_any_io(realm: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        QuickBooksClient(realm_id=realm, auth="token")
    assert str(info.value).startswith(f"realm_id must be the company's numeric Realm ID, got {realm!r}")
    assert "Billing & subscription" in str(info.value.hint)


def test_realm_the_token_was_not_issued_for(qbo_sandbox: QuickBooksSandbox) -> None:
    real = qbo_sandbox.realm_id
    client = qbo_client(qbo_sandbox, realm_id="123145", token_realm=real)
    with pytest.raises(PermissionDeniedError) as info:
        client.company_info.get()
    assert info.value.codes == ("3100",)
    assert info.value.hint == (
        f"the token was issued for realm {real}, not 123145: use realm_id='{real}' or connect the app to "
        "company 123145"
    )


def test_unknown_realm_mentions_the_environment(qbo_sandbox: QuickBooksSandbox) -> None:
    client = qbo_client(qbo_sandbox, realm_id="123145")
    with pytest.raises(PermissionDeniedError) as info:
        client.company_info.get()
    assert "not authorized for realm 123145" in str(info.value.hint)
    assert "environment=QuickBooksEnvironment.SANDBOX (the default is production)" in str(info.value.hint)


def test_expired_or_revoked_grant(qbo_sandbox: QuickBooksSandbox) -> None:
    client = qbo_client(qbo_sandbox, refresh_token="RT1-revoked-long-ago")
    with pytest.raises(ReauthorizationRequiredError) as info:
        client.customers.count()
    assert "connect the app again (python examples/quickbooks_oauth_connect.py" in str(info.value.hint)
    assert qbo_sandbox.count("GET", r".") == 0  # the refresh failed before any API call


def test_wrong_client_secret(qbo_sandbox: QuickBooksSandbox) -> None:
    client = qbo_client(qbo_sandbox, client_secret="not-the-secret")
    with pytest.raises(AuthenticationError) as info:
        client.customers.count()
    assert info.value.codes == ("invalid_client",)
    assert "Development keys work only with sandbox companies" in str(info.value.hint)
    assert "not-the-secret" not in str(info.value)


def test_bare_access_token_that_expired() -> None:
    router = MockRouter()
    fault = {"fault": {"error": [{"message": "AuthenticationFailed", "code": "3200"}], "type": "AUTH"}}
    router.get("/v3/company/123/companyinfo/123", status=401, json=fault)
    client = QuickBooksClient(realm_id="123", auth="acc-7e1", transport=router.transport())
    with pytest.raises(AuthenticationError) as info:
        client.company_info.get()
    assert "pass auth=QuickBooksOAuth2(...) with a token store" in str(info.value.hint)


# ------------------------------------------------------------------------------------------- Salesforce


def test_bad_consumer_key(sf_sandbox: SalesforceSandbox) -> None:
    with pytest.raises(AuthenticationError) as info:
        sf_client(sf_sandbox, client_id="3MVG9NotThisApp").limits()
    assert info.value.codes == ("invalid_client_id",)
    assert "does not know this consumer key" in str(info.value.hint)


def test_user_not_pre_authorized(sf_sandbox: SalesforceSandbox) -> None:
    with pytest.raises(AuthenticationError) as info:
        sf_client(sf_sandbox, username="someone.else@acme.example").limits()
    assert "Admin approved users are pre-authorized" in str(info.value.hint)


def test_wrong_audience(sf_sandbox: SalesforceSandbox) -> None:
    with pytest.raises(AuthenticationError) as info:
        sf_client(sf_sandbox, audience="https://acme.my.salesforce.com").limits()
    assert "never the My Domain: pass audience=" in str(info.value.hint)


def test_wrong_consumer_secret(sf_sandbox: SalesforceSandbox) -> None:
    creds = sf_sandbox.credentials()
    auth = ClientCredentialsAuth(client_id=creds["client_id"], client_secret="nope-secret")
    client = SalesforceClient(auth=auth, transport=sf_sandbox.transport(), retry=RetryPolicy.none())
    with pytest.raises(AuthenticationError) as info:
        client.limits()
    assert (
        info.value.hint
        == "the consumer secret does not match the consumer key: copy both again from the app's settings"
    )


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        ("no client credentials user enabled", "choose a Run As user"),
        ("request not supported on this domain", "works only on the org's My Domain"),
    ],
)
def test_client_credentials_setup_mistakes(description: str, expected: str) -> None:
    # Salesforce's answers for an app without a run-as user and for login.salesforce.com.
    router = MockRouter()
    router.post(
        "/services/oauth2/token",
        status=400,
        json={"error": "invalid_grant", "error_description": description},
    )
    auth = ClientCredentialsAuth(client_id="3MVG9x", client_secret="s")
    client = SalesforceClient(auth=auth, transport=router.transport(), retry=RetryPolicy.none())
    with pytest.raises(AuthenticationError) as info:
        client.limits()
    assert expected in str(info.value.hint)


def test_login_host_that_does_not_resolve() -> None:
    auth = ClientCredentialsAuth(
        client_id="3MVG9x", client_secret="s", login_url="https://acme-typo.my.salesforce.com"
    )
    client = SalesforceClient(
        auth=auth, transport=httpx.MockTransport(_dns_failure), retry=RetryPolicy.none()
    )
    with pytest.raises(TransportError) as info:
        client.limits()
    assert "(host acme-typo.my.salesforce.com)" in str(info.value)
    assert "check login_url=" in str(info.value.hint)
