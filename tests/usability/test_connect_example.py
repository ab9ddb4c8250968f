"""The QuickBooks connect example is a working local flow: a real callback server, the QuickBooks
sandbox's authorization and token endpoints, and a token file written with ``FileTokenStore``."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from urllib.parse import urlencode

import httpx
import pytest

from msplink.quickbooks import FileTokenStore, QuickBooksOAuth2
from msplink.sandbox.quickbooks import QuickBooksSandbox

EXAMPLE = Path(__file__).parents[2] / "examples" / "quickbooks_oauth_connect.py"


@pytest.fixture(scope="module")
def example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("quickbooks_oauth_connect", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _auth(sandbox: QuickBooksSandbox, token_file: Path, redirect_uri: str) -> QuickBooksOAuth2:
    creds = sandbox.credentials()
    return QuickBooksOAuth2(
        client_id=creds["client_id"],
        client_secret=creds["client_secret"],
        store=FileTokenStore(token_file),
        redirect_uri=redirect_uri,
        transport=sandbox.transport(),
    )


def test_the_example_runs_end_to_end(example: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    example.main([])
    out = capsys.readouterr().out.splitlines()
    assert out[2] == "Connected 'Sandbox MSP Inc.' (realm 9130350000000000). For QuickBooksClient.from_env():"
    assert out[3] == "  MSPLINK_QBO_REALM_ID=9130350000000000"
    assert out[-1] == "token file mode: 0o600"


def test_local_server_receives_the_code_and_stores_the_token(example: ModuleType, tmp_path: Path) -> None:
    sandbox = QuickBooksSandbox()
    port = example.free_port()
    token_file = tmp_path / "qbo.json"
    auth = _auth(sandbox, token_file, f"http://localhost:{port}/callback")
    seen: list[httpx.Response] = []

    def browser(url: str) -> None:
        with httpx.Client(transport=sandbox.transport()) as intuit:
            consent = intuit.get(url)  # GET /connect/oauth2 on the sandbox: 302 to the redirect URI
        assert consent.status_code == 302
        seen.append(httpx.get(consent.headers["Location"], timeout=10))

    token, realm_id = example.connect(auth, open_browser=browser, timeout=10)
    assert realm_id == sandbox.realm_id
    assert FileTokenStore(token_file).load() == token and token.realm_id == realm_id
    assert (token_file.stat().st_mode & 0o777) == 0o600
    assert seen[0].status_code == 200 and "Connected" in seen[0].text
    assert sandbox.token_requests == 1  # the code is exchanged exactly once
    assert sandbox.count("GET", r"^/connect/oauth2$", status=302) == 1


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"error": "access_denied", "state": "x"}, "Intuit answered 'access_denied'"),
        ({"code": "AB11-forged", "state": "not-the-state", "realmId": "1"}, "the state does not match"),
    ],
)
def test_refused_or_forged_redirects_store_nothing(
    example: ModuleType, tmp_path: Path, params: dict[str, str], error: str
) -> None:
    sandbox = QuickBooksSandbox()
    port = example.free_port()
    token_file = tmp_path / "qbo.json"
    auth = _auth(sandbox, token_file, f"http://localhost:{port}/callback")
    answers: list[int] = []

    def browser(url: str) -> None:
        answers.append(
            httpx.get(f"http://localhost:{port}/callback?{urlencode(params)}", timeout=10).status_code
        )

    with pytest.raises(example.ConnectError, match=error):
        example.connect(auth, open_browser=browser, timeout=10)
    assert answers == [400]
    assert not token_file.exists() and sandbox.token_requests == 0


def test_pasted_address_for_an_https_redirect_uri(example: ModuleType, tmp_path: Path) -> None:
    sandbox = QuickBooksSandbox()
    token_file = tmp_path / "qbo.json"
    auth = _auth(sandbox, token_file, "https://app.example.com/qbo/callback")
    landed: list[str] = []

    def browser(url: str) -> None:
        with httpx.Client(transport=sandbox.transport()) as intuit:
            landed.append(intuit.get(url).headers["Location"])

    token, realm_id = example.connect(auth, open_browser=browser, ask=lambda prompt: landed[0])
    assert landed[0].startswith("https://app.example.com/qbo/callback?code=")
    assert FileTokenStore(token_file).load() == token and realm_id == sandbox.realm_id


def test_no_redirect_times_out(example: ModuleType, tmp_path: Path) -> None:
    sandbox = QuickBooksSandbox()
    auth = _auth(sandbox, tmp_path / "qbo.json", f"http://localhost:{example.free_port()}/callback")
    with pytest.raises(example.ConnectError, match="no redirect arrived within 0 s"):
        example.connect(auth, open_browser=lambda url: None, timeout=0.05)
