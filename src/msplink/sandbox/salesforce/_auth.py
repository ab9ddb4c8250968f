"""The Salesforce sandbox's OAuth server: connected apps, sessions, refresh tokens and the token endpoint.

Grants: JWT bearer (RS256 signature checked against the app's certificate key), client credentials
(form or HTTP Basic) and refresh token (optionally rotated); ``/services/oauth2/revoke`` and
``/services/oauth2/userinfo``. The password grant is refused, as in orgs that block it.
"""

from __future__ import annotations

import base64
import json
import secrets
import time
from collections.abc import Callable
from typing import Any

import attrs

from msplink.sandbox._framework import SandboxRequest, SandboxResponse
from msplink.sandbox.salesforce._common import INSTANCE_URL, ORG_ID, id18
from msplink.sandbox.salesforce._keys import KeyPair, generate_key_pair, verify_rs256
from msplink.sandbox.salesforce._org import Org

__all__ = ["INTEGRATION_USERNAME", "OAuthServer"]

INTEGRATION_USERNAME = "integration@msplink-sandbox.example"
_VERSIONS = {
    "62.0": "Winter '25",
    "63.0": "Spring '25",
    "64.0": "Summer '25",
    "65.0": "Winter '26",
    "66.0": "Spring '26",
}


@attrs.define
class App:
    """A connected app: its consumer key and secret, and the certificate key of the JWT bearer flow."""

    client_id: str
    client_secret: str
    public_key_pem: bytes | None = None


def _b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _oauth_error(error: str, description: str, status: int = 400) -> SandboxResponse:
    return SandboxResponse.json(status, {"error": error, "error_description": description})


class OAuthServer:
    """Who may call the org: apps, users by username, live sessions and refresh tokens.

    Creates the integration user in ``org`` and one connected app with a refresh token for it.

    Attributes:
        client_id: The connected app's consumer key.
        refresh_token: The integration user's current refresh token.
        instance_url: The ``instance_url`` tokens name (unless a served client reached another host).
    """

    def __init__(
        self,
        org: Org,
        *,
        clock: Callable[[], float],
        session_ttl: float,
        rotate_refresh_tokens: bool,
        instance_url: str | None,
    ) -> None:
        self.org = org
        self._clock = clock
        self.session_ttl = session_ttl
        self.rotate_refresh_tokens = rotate_refresh_tokens
        self.instance_url = instance_url or INSTANCE_URL
        self.fixed_instance = instance_url is not None
        self.sessions: dict[str, tuple[float, str]] = {}
        self.refresh_tokens: dict[str, str] = {}
        self.apps: dict[str, App] = {}
        self.usernames: dict[str, str] = {}
        self.token_host: str | None = None
        self.token_scheme = "http"
        self._keys: KeyPair | None = None
        self.integration_user_id = org.insert_raw(
            "User",
            {
                "Username": INTEGRATION_USERNAME,
                "FirstName": "Integration",
                "LastName": "User",
                "Email": INTEGRATION_USERNAME,
                "Alias": "integ",
                "IsActive": True,
            },
        )
        org.integration_user_id = self.integration_user_id
        self.usernames[INTEGRATION_USERNAME] = self.integration_user_id
        self.client_id = "3MVG9SANDBOX" + secrets.token_hex(8)
        self.apps[self.client_id] = App(self.client_id, secrets.token_hex(16))
        self.refresh_token = "5Aep" + secrets.token_hex(20)
        self.refresh_tokens[self.refresh_token] = self.integration_user_id

    # ------------------------------------------------------------------------------ keys, apps

    def key_pair(self) -> KeyPair:
        """The JWT bearer key pair of the default app (generated on first use).

        Raises:
            ImportError: ``cryptography`` is not installed.
        """
        if self._keys is None:
            self._keys = generate_key_pair()
            self.apps[self.client_id].public_key_pem = self._keys.public_pem
        return self._keys

    def register_public_key(self, client_id: str, public_key_pem: bytes) -> None:
        """Register a connected app's certificate public key for the JWT bearer flow."""
        app = self.apps.setdefault(client_id, App(client_id, secrets.token_hex(16)))
        app.public_key_pem = public_key_pem

    def client_secret(self) -> str:
        """The default app's consumer secret."""
        return self.apps[self.client_id].client_secret

    # -------------------------------------------------------------------------------- sessions

    @staticmethod
    def bearer(request: SandboxRequest) -> str | None:
        """The bearer token a request carries."""
        header = request.header("authorization") or ""
        if header.lower().startswith("bearer "):
            return header[7:].strip()
        return None

    def new_session(self, user_id: str) -> str:
        """Open a session for a user; returns its access token."""
        token = f"{ORG_ID}!" + secrets.token_urlsafe(32)
        self.sessions[token] = (self._clock() + self.session_ttl, user_id)
        return token

    def session_user(self, token: str | None) -> str | None:
        """The user of a live session (None when unknown or expired)."""
        session = self.sessions.get(token or "")
        if session is None or session[0] <= self._clock():
            return None
        return session[1]

    def end_session(self, token: str) -> None:
        """Forget one session."""
        self.sessions.pop(token, None)

    def end_all_sessions(self) -> None:
        """Forget every session."""
        self.sessions.clear()

    # ---------------------------------------------------------------------------- endpoints

    def _token_body(
        self, user_id: str, *, refresh: str | None = None, signature: bool = True
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "access_token": self.new_session(user_id),
            "scope": "api refresh_token" if refresh else "api",
            "instance_url": self._instance_for(self.token_host),
            "id": f"https://login.salesforce.com/id/{id18(ORG_ID)}/{user_id}",
            "token_type": "Bearer",
        }
        if signature:
            body["issued_at"] = str(int(self.org.wall().timestamp() * 1000))
            body["signature"] = base64.b64encode(secrets.token_bytes(32)).decode()
        if refresh:
            body["refresh_token"] = refresh
        return body

    def _instance_for(self, host: str | None) -> str:
        """The instance URL a token names: the configured one, or the host a served client reached."""
        if self.fixed_instance or not host:
            return self.instance_url
        name = host.split(":", 1)[0].lower()
        if name.endswith((".salesforce.com", ".force.com")) or name == "testserver":
            return self.instance_url
        return f"{self.token_scheme}://{host}"

    def token(self, request: SandboxRequest) -> SandboxResponse:
        """``POST /services/oauth2/token``: the JWT bearer, client credentials and refresh token grants."""
        self.token_host = request.header("host")
        self.token_scheme = request.header("x-forwarded-proto") or "http"
        form = request.form()
        grant = form.get("grant_type", "")
        if grant == "urn:ietf:params:oauth:grant-type:jwt-bearer":
            return self._jwt_grant(form.get("assertion", ""))
        if grant == "client_credentials":
            return self._client_credentials(request, form)
        if grant == "refresh_token":
            return self._refresh_grant(form)
        if grant == "password":
            return _oauth_error("invalid_grant", "authentication failure")
        return _oauth_error("unsupported_grant_type", "grant type not supported")

    def _client_credentials(self, request: SandboxRequest, form: dict[str, str]) -> SandboxResponse:
        client_id, secret = form.get("client_id"), form.get("client_secret")
        header = request.header("authorization") or ""
        if header.lower().startswith("basic "):
            try:
                client_id, _, secret = base64.b64decode(header[6:]).decode().partition(":")
            except (ValueError, UnicodeDecodeError):
                return _oauth_error("invalid_client", "invalid client credentials")
        app = self.apps.get(client_id or "")
        if app is None:
            return _oauth_error("invalid_client_id", "client identifier invalid")
        if not secrets.compare_digest(app.client_secret, secret or ""):
            return _oauth_error("invalid_client", "invalid client credentials")
        return SandboxResponse.json(200, self._token_body(self.integration_user_id))

    def _refresh_grant(self, form: dict[str, str]) -> SandboxResponse:
        app = self.apps.get(form.get("client_id", ""))
        if app is None:
            return _oauth_error("invalid_client_id", "client identifier invalid")
        if form.get("client_secret") and not secrets.compare_digest(app.client_secret, form["client_secret"]):
            return _oauth_error("invalid_client", "invalid client credentials")
        user = self.refresh_tokens.get(form.get("refresh_token", ""))
        if user is None:
            return _oauth_error("invalid_grant", "expired access/refresh token")
        new_refresh = None
        if self.rotate_refresh_tokens:
            del self.refresh_tokens[form["refresh_token"]]
            new_refresh = "5Aep" + secrets.token_hex(20)
            self.refresh_tokens[new_refresh] = user
            self.refresh_token = new_refresh
        return SandboxResponse.json(200, self._token_body(user, refresh=new_refresh))

    def _jwt_grant(self, assertion: str) -> SandboxResponse:
        parts = assertion.split(".")
        if len(parts) != 3:
            return _oauth_error("invalid_grant", "invalid assertion")
        try:
            header = json.loads(_b64url(parts[0]))
            claims = json.loads(_b64url(parts[1]))
            signature = _b64url(parts[2])
        except (ValueError, UnicodeDecodeError):
            return _oauth_error("invalid_grant", "invalid assertion")
        if header.get("alg") != "RS256":
            return _oauth_error("invalid_grant", "invalid assertion")
        app = self.apps.get(str(claims.get("iss", "")))
        if app is None:
            return _oauth_error("invalid_client_id", "client identifier invalid")
        if app.public_key_pem is None or not verify_rs256(
            app.public_key_pem, f"{parts[0]}.{parts[1]}".encode("ascii"), signature
        ):
            return _oauth_error("invalid_grant", "invalid assertion")
        if claims.get("aud") not in {"https://login.salesforce.com", "https://test.salesforce.com"}:
            return _oauth_error("invalid_grant", "audience is invalid")
        exp = claims.get("exp")
        now = time.time()  # assertions are signed against the real clock
        if not isinstance(exp, int) or exp < now or exp > now + 600:
            return _oauth_error("invalid_grant", "expired authorization code")
        user = self.usernames.get(str(claims.get("sub", "")))
        if user is None:
            return _oauth_error("invalid_grant", "user hasn't approved this consumer")
        return SandboxResponse.json(200, self._token_body(user, signature=False))

    def versions(self, request: SandboxRequest) -> SandboxResponse:
        """``GET /services/data``: the API versions the org serves."""
        return SandboxResponse.json(
            200,
            [{"label": label, "url": f"/services/data/v{v}", "version": v} for v, label in _VERSIONS.items()],
        )

    def revoke(self, request: SandboxRequest) -> SandboxResponse:
        """``POST /services/oauth2/revoke``: end a session or invalidate a refresh token."""
        token = request.form().get("token") or request.param("token") or ""
        self.sessions.pop(token, None)
        self.refresh_tokens.pop(token, None)
        return SandboxResponse.empty(200)

    def userinfo(self, request: SandboxRequest) -> SandboxResponse:
        """``GET /services/oauth2/userinfo``: the session's user (403 ``Bad_OAuth_Token`` otherwise)."""
        user_id = self.session_user(self.bearer(request))
        if user_id is None:
            return SandboxResponse.text(403, "Bad_OAuth_Token")
        user = self.org.data["user"][user_id]
        return SandboxResponse.json(
            200,
            {
                "sub": f"https://login.salesforce.com/id/{id18(ORG_ID)}/{user['Id']}",
                "user_id": user["Id"],
                "organization_id": id18(ORG_ID),
                "preferred_username": user["Username"],
                "name": user["Name"],
                "email": user["Email"],
                "active": bool(user["IsActive"]),
                "urls": {"rest": f"{self.instance_url}/services/data/v{{version}}/"},
            },
        )
