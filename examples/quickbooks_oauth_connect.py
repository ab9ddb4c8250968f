"""Connect a QuickBooks Online company with OAuth 2.0 and keep the rotating tokens in a private file.

Against the sandbox (no ``MSPLINK_QBO_*`` in the environment) the consent step is simulated by
``sandbox.authorize()``; with real credentials the script prints the authorization URL to open.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from msplink.quickbooks import FileTokenStore, QuickBooksClient, QuickBooksOAuth2
from msplink.sandbox.quickbooks import QuickBooksSandbox


def main() -> None:
    """Authorize, exchange the code once, refresh (rotation saved to disk), call the API, revoke."""
    state = secrets.token_urlsafe(16)
    if os.environ.get("MSPLINK_QBO_CLIENT_ID"):
        auth = QuickBooksOAuth2(
            client_id=os.environ["MSPLINK_QBO_CLIENT_ID"],
            client_secret=os.environ.get("MSPLINK_QBO_CLIENT_SECRET", ""),
            store=FileTokenStore(os.environ.get("MSPLINK_QBO_TOKEN_FILE", "qbo-tokens.json")),
            redirect_uri=os.environ.get("MSPLINK_QBO_REDIRECT_URI", "https://localhost/callback"),
        )
        print("open:", auth.authorization_url(state=state))
        return
    sandbox = QuickBooksSandbox()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "qbo-tokens.json"
        auth = QuickBooksOAuth2(
            client_id=sandbox.client_id,
            client_secret=sandbox.credentials()["client_secret"],
            store=FileTokenStore(path),
            redirect_uri=sandbox.redirect_uri,
            transport=sandbox.transport(),
        )
        print("authorization URL:", auth.authorization_url(state=state)[:60], "...")
        callback = parse_qs(urlsplit(sandbox.authorize(state=state)).query)
        if callback["state"] != [state]:
            raise SystemExit("state mismatch: possible CSRF")
        realm_id = callback["realmId"][0]
        first = auth.exchange_code(callback["code"][0], realm_id=realm_id)
        second = auth.refresh()
        print("refresh token rotated:", first.refresh_token != second.refresh_token)
        print("token file mode:", oct(path.stat().st_mode & 0o777))
        with QuickBooksClient(realm_id=realm_id, auth=auth, transport=sandbox.transport()) as qbo:
            print("company:", qbo.company_info.get().company_name)
        auth.revoke()
        print("revoked; token requests served:", sandbox.token_requests)


if __name__ == "__main__":
    main()
