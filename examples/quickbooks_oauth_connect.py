"""Connect a QuickBooks Online company: the OAuth 2.0 consent, in a browser, to a stored token file.

Run it once per company; it prints the environment variables ``QuickBooksClient.from_env()`` needs::

    export MSPLINK_QBO_CLIENT_ID=... MSPLINK_QBO_CLIENT_SECRET=...
    python examples/quickbooks_oauth_connect.py --environment sandbox   # an Intuit sandbox company

1. A small web server starts on the redirect URI (``http://localhost:8765/callback`` unless
   ``MSPLINK_QBO_REDIRECT_URI`` says otherwise; register the same URI on the app's Keys & OAuth
   page: Intuit accepts ``http://localhost`` for Development keys only).
2. The browser opens Intuit's consent page; the user signs in and picks the company.
3. Intuit redirects to the server with ``code``, ``state`` and ``realmId``; the server checks
   ``state`` (CSRF), exchanges the code once (``POST /oauth2/v1/tokens/bearer``) and saves the
   token pair with ``FileTokenStore`` (``0600``, replaced atomically).
4. One API call (``GET /companyinfo``) shows the connection works.

Production keys need an ``https`` redirect URI that is not localhost: register one, set
``MSPLINK_QBO_REDIRECT_URI`` to it, and paste the address the browser lands on when asked.

Without ``MSPLINK_QBO_CLIENT_ID`` the script runs the whole flow against msplink's QuickBooks
sandbox instead: the "browser" is an HTTP client that asks the sandbox's authorization endpoint
and follows its redirect to the local server.
"""

from __future__ import annotations

import argparse
import html
import os
import secrets
import socket
import tempfile
import threading
import webbrowser
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from msplink.quickbooks import (
    FileTokenStore,
    OAuthToken,
    QuickBooksClient,
    QuickBooksEnvironment,
    QuickBooksOAuth2,
)

DEFAULT_REDIRECT_URI = "http://localhost:8765/callback"


class ConnectError(Exception):
    """The consent did not complete (denied, wrong state, no code)."""


class Callback:
    """What the redirect brought: the token (after the exchange) and the realm id, or an error."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.token: OAuthToken | None = None
        self.realm_id: str | None = None
        self.error: str | None = None


def check_redirect(params: dict[str, str], state: str) -> tuple[str, str]:
    """The ``(code, realmId)`` of a redirect's parameters, once ``state`` matches.

    Raises:
        ConnectError: The consent was refused, the state differs, or the code is missing.
    """
    if "error" in params:
        raise ConnectError(f"Intuit answered {params['error']!r}: the consent was not given")
    if not secrets.compare_digest(params.get("state", ""), state):
        raise ConnectError("the state does not match: not the consent this script asked for")
    if not params.get("code") or not params.get("realmId"):
        raise ConnectError("the redirect carries no code or realmId")
    return params["code"], params["realmId"]


def complete(auth: QuickBooksOAuth2, query: str, state: str, result: Callback) -> None:
    """Check a redirect's query (``code``, ``state``, ``realmId`` or ``error``), exchange the code once,
    and record the outcome in ``result``."""
    params = {key: values[0] for key, values in parse_qs(query).items()}
    try:
        code, result.realm_id = check_redirect(params, state)
        result.token = auth.exchange_code(code, realm_id=result.realm_id)
    except Exception as exc:  # reported to the user, in the browser and on the terminal
        result.error = str(exc)
    finally:
        result.done.set()


def serve_callback(auth: QuickBooksOAuth2, state: str) -> tuple[HTTPServer, Callback]:
    """Start a one-shot HTTP server on the redirect URI's host and port (in a thread)."""
    target = urlsplit(auth.redirect_uri or DEFAULT_REDIRECT_URI)
    result = Callback()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlsplit(self.path)
            if url.path != target.path or result.done.is_set():
                self.send_error(404)
                return
            complete(auth, url.query, state, result)
            ok = result.error is None
            body = "Connected: you can close this tab." if ok else f"Not connected: {result.error}"
            self.send_response(200 if ok else 400)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(f"<html><body><p>{html.escape(body)}</p></body></html>".encode())

        def log_message(self, format: str, *args: Any) -> None:  # quiet: the query holds the code
            return

    server = HTTPServer((target.hostname or "localhost", target.port or 80), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, result


def connect(
    auth: QuickBooksOAuth2,
    *,
    open_browser: Callable[[str], object] = webbrowser.open,
    ask: Callable[[str], str] = input,
    timeout: float = 300.0,
) -> tuple[OAuthToken, str]:
    """Run the consent and return the saved token and the realm id.

    With a ``localhost`` redirect URI a local server receives the redirect; otherwise the user
    pastes the address the browser landed on.

    Raises:
        ConnectError: The consent was refused, timed out, or answered something unexpected.
    """
    state = secrets.token_urlsafe(24)
    url = auth.authorization_url(state=state)
    local = urlsplit(auth.redirect_uri or "").hostname in {"localhost", "127.0.0.1"}
    if not local:
        print("Open this address, connect the company, then paste the address you land on:\n", url)
        open_browser(url)
        result = Callback()
        complete(auth, urlsplit(ask("address: ").strip()).query, state, result)
    else:
        server, result = serve_callback(auth, state)
        try:
            print("Opening the consent page (or open it yourself):\n", url)
            open_browser(url)
            if not result.done.wait(timeout):
                raise ConnectError(f"no redirect arrived within {timeout:.0f} s")
        finally:
            server.shutdown()
            server.server_close()
    if result.error is not None or result.token is None or result.realm_id is None:
        raise ConnectError(result.error or "the consent did not complete")
    return result.token, result.realm_id


def report(realm_id: str, token_file: Path, environment: QuickBooksEnvironment | None, company: str) -> None:
    """Print what to put in the environment for ``QuickBooksClient.from_env()``."""
    print(f"Connected {company!r} (realm {realm_id}). For QuickBooksClient.from_env():")
    print(f"  MSPLINK_QBO_REALM_ID={realm_id}")
    print(f"  MSPLINK_QBO_TOKEN_FILE={token_file}")
    if environment is not None:  # msplink's own sandbox answers on any host
        print(f"  MSPLINK_QBO_ENVIRONMENT={environment.value}")
    print("  (and MSPLINK_QBO_CLIENT_ID / MSPLINK_QBO_CLIENT_SECRET, as for this script)")


def run_real(environment: QuickBooksEnvironment, token_file: Path) -> None:
    """Connect a real company (production or an Intuit sandbox company)."""
    auth = QuickBooksOAuth2(
        client_id=os.environ["MSPLINK_QBO_CLIENT_ID"],
        client_secret=os.environ.get("MSPLINK_QBO_CLIENT_SECRET", ""),
        store=FileTokenStore(token_file),
        redirect_uri=os.environ.get("MSPLINK_QBO_REDIRECT_URI", DEFAULT_REDIRECT_URI),
    )
    _, realm_id = connect(auth)
    with QuickBooksClient(realm_id=realm_id, auth=auth, environment=environment) as qbo:
        company = qbo.company_info.get().company_name or ""
    report(realm_id, token_file, environment, company)


def run_against_the_sandbox() -> None:
    """The same flow against msplink's QuickBooks sandbox (no accounts): a real local server, the
    sandbox's authorization endpoint and token endpoint, a real token file."""
    from msplink.sandbox.quickbooks import QuickBooksSandbox

    sandbox = QuickBooksSandbox()
    sandbox.seed(size=5)
    creds = sandbox.credentials()
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        token_file = Path(folder) / "qbo-tokens.json"
        auth = QuickBooksOAuth2(
            client_id=creds["client_id"],
            client_secret=creds["client_secret"],
            store=FileTokenStore(token_file),
            redirect_uri=f"http://localhost:{port}/callback",
            transport=sandbox.transport(),
        )

        def browser(url: str) -> None:
            # The user's browser: the authorize page redirects to the local server with the code.
            with httpx.Client(transport=sandbox.transport()) as intuit:
                consent = intuit.get(url)
            httpx.get(consent.headers["Location"], timeout=10)

        token, realm_id = connect(auth, open_browser=browser, timeout=10)
        assert FileTokenStore(token_file).load() == token  # noqa: S101 - the example checks itself
        with QuickBooksClient(realm_id=realm_id, auth=auth, transport=sandbox.transport()) as qbo:
            company = qbo.company_info.get().company_name or ""
        report(realm_id, token_file, None, company)
        print("token file mode:", oct(token_file.stat().st_mode & 0o777))


def free_port() -> int:
    """A free localhost port (bound, then released for the callback server)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main(argv: list[str] | None = None) -> None:
    """Connect a company (real credentials in the environment) or show the flow on the sandbox."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--environment", choices=["production", "sandbox"], default="production")
    parser.add_argument("--token-file", default=os.environ.get("MSPLINK_QBO_TOKEN_FILE", "qbo-tokens.json"))
    args = parser.parse_args(argv)
    if os.environ.get("MSPLINK_QBO_CLIENT_ID"):
        run_real(QuickBooksEnvironment(args.environment), Path(args.token_file).expanduser().resolve())
    else:
        run_against_the_sandbox()


if __name__ == "__main__":
    main()
