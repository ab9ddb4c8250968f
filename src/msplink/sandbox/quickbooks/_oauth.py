"""Intuit OAuth 2.0 and OpenID Connect for the QBO sandbox (REFERENCE.md §3; ``samples/oauth-discovery-document.json``).

The discovery document is served at Intuit's paths, with and without the trailing slash intuitlib uses
(``intuitlib/config.py``: ``https://developer.intuit.com/.well-known/openid_configuration/``); every endpoint
it names is on the host the request came to, so a client that follows discovery (intuitlib reads
``authorization_endpoint``, ``token_endpoint``, ``revocation_endpoint``, ``issuer``, ``jwks_uri`` and
``userinfo_endpoint`` in ``AuthClient.__init__``) stays on the sandbox. With the ``openid`` scope the code
exchange returns an RS256 ID token verifiable against ``jwks_uri`` (claims ``iss``, ``aud`` as a list, ``sub``,
``realmid``, ``iat``, ``exp``, ``auth_time``), and the userinfo endpoint answers the profile, email, phone and
address claims the scopes grant, in Intuit's camelCase (``givenName``, ``emailVerified``, ``phoneNumber``).
"""

from __future__ import annotations

import base64
import binascii
import hmac
import random
import threading
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

import attrs

from msplink.sandbox._framework import SandboxRequest, SandboxResponse
from msplink.sandbox.quickbooks._faults import Fault
from msplink.sandbox.quickbooks._jwt import sandbox_key
from msplink.sandbox.quickbooks._wire import json_response

__all__ = [
    "ACCESS_TTL",
    "DEFAULT_SCOPE",
    "DISCOVERY_PATHS",
    "ID_TOKEN_TTL",
    "JWKS_PATH",
    "REFRESH_TTL",
    "USERINFO_PATH",
    "AccessGrant",
    "AuthAbort",
    "OAuthMixin",
    "RefreshGrant",
    "origin",
]

ACCESS_TTL = 3600.0
REFRESH_TTL = 8_726_400
ID_TOKEN_TTL = 3600
DEFAULT_SCOPE = "com.intuit.quickbooks.accounting openid profile email phone address"
DISCOVERY_PATHS = (
    "/.well-known/openid_configuration",
    "/.well-known/openid_configuration/",
    "/.well-known/openid_sandbox_configuration",
    "/.well-known/openid_sandbox_configuration/",
)
USERINFO_PATH = "/v1/openid_connect/userinfo"
JWKS_PATH = "/op/v1/jwks"


class AuthAbort(Exception):
    def __init__(self, response: SandboxResponse) -> None:
        super().__init__(response.status)
        self.response = response


@attrs.define
class AccessGrant:
    client_id: str
    realm_id: str
    expires_at: float
    grant: str
    revoked: bool = False
    scope: str = DEFAULT_SCOPE


@attrs.define
class RefreshGrant:
    client_id: str
    realm_id: str
    grant: str
    expires_at: float = float("inf")
    superseded_at: float | None = None
    revoked: bool = False
    scope: str = DEFAULT_SCOPE


def origin(request: SandboxRequest) -> str:
    """``scheme://host`` of the request as the client addressed it (``X-Forwarded-*`` first)."""
    scheme = (request.header("x-forwarded-proto") or "https").split(",")[0].strip() or "https"
    host = (request.header("x-forwarded-host") or request.header("host") or "localhost").split(",")[0].strip()
    return f"{scheme}://{host}"


class OAuthMixin:
    """The OAuth 2.0 / OpenID Connect endpoints and the bearer-token check of :class:`QuickBooksSandbox`."""

    realm_id: str
    client_id: str
    redirect_uri: str
    rotate_refresh_tokens: bool
    token_requests: int
    user: dict[str, Any]
    _client_secret: str
    _rng: random.Random
    _access: dict[str, AccessGrant]
    _refresh: dict[str, RefreshGrant]
    _codes: dict[str, dict[str, Any]]
    _lock: threading.RLock
    _clock: Callable[[], float]
    _wall: Callable[[], datetime]

    verifier_token: str
    refresh_grace: float
    fault_response: Callable[[Fault], SandboxResponse]

    def _new_secret(self, prefix: str) -> str:
        return prefix + "".join(self._rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(40))

    def _issue(
        self, client_id: str, realm_id: str, grant: str | None = None, scope: str = DEFAULT_SCOPE
    ) -> dict[str, Any]:
        grant = grant or uuid.UUID(int=self._rng.getrandbits(128)).hex
        access = self._new_secret("eyJsandbox.")
        refresh = self._new_secret("RT1-")
        self._access[access] = AccessGrant(
            client_id, realm_id, self._clock() + ACCESS_TTL, grant, scope=scope
        )
        self._refresh[refresh] = RefreshGrant(
            client_id, realm_id, grant, expires_at=self._clock() + REFRESH_TTL, scope=scope
        )
        return {
            "token_type": "bearer",
            "expires_in": int(ACCESS_TTL),
            "access_token": access,
            "refresh_token": refresh,
            "x_refresh_token_expires_in": REFRESH_TTL,
        }

    def credentials(self) -> dict[str, Any]:
        """Working credentials: realm, client id/secret, a fresh token pair, redirect URI, verifier token."""
        with self._lock:
            tokens = self._issue(self.client_id, self.realm_id)
        return {
            "realm_id": self.realm_id,
            "client_id": self.client_id,
            "client_secret": self._client_secret,
            "access_token": tokens["access_token"],
            "refresh_token": tokens["refresh_token"],
            "expires_in": tokens["expires_in"],
            "redirect_uri": self.redirect_uri,
            "verifier_token": self.verifier_token,
            "environment": "sandbox",
        }

    def authorize(
        self,
        *,
        state: str = "",
        redirect_uri: str | None = None,
        client_id: str | None = None,
        scope: str = "com.intuit.quickbooks.accounting",
    ) -> str:
        """Simulate the user consenting: return the redirect URL carrying ``code``, ``state`` and ``realmId``.

        Args:
            state: The CSRF state to echo.
            redirect_uri: The registered redirect URI (default: the sandbox's).
            client_id: The app (default: the sandbox's).
            scope: The space-separated scopes granted; with ``openid`` the code exchange adds an ID token.
        """
        with self._lock:
            code = self._new_secret("AB11")
            self._codes[code] = {
                "client_id": client_id or self.client_id,
                "redirect_uri": redirect_uri or self.redirect_uri,
                "used": False,
                "grant": None,
                "scope": scope,
            }
        query = urlencode({"code": code, "state": state, "realmId": self.realm_id})
        return f"{redirect_uri or self.redirect_uri}?{query}"

    def _authorize_page(self, request: SandboxRequest) -> SandboxResponse:
        if request.param("client_id") != self.client_id or request.param("response_type") != "code":
            return SandboxResponse.json(400, {"error": "invalid_request"})
        location = self.authorize(
            state=request.param("state") or "",
            redirect_uri=request.param("redirect_uri"),
            client_id=self.client_id,
            scope=request.param("scope") or "com.intuit.quickbooks.accounting",
        )
        return SandboxResponse.empty(302, {"Location": location})

    def _client_auth(self, request: SandboxRequest) -> str | None:
        header = request.header("authorization") or ""
        if not header.lower().startswith("basic "):
            form = request.form() if request.body else {}
            if form.get("client_id") == self.client_id and form.get("client_secret") == self._client_secret:
                return self.client_id
            return None
        try:
            decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        client_id, _, secret = decoded.partition(":")
        if client_id == self.client_id and hmac.compare_digest(secret, self._client_secret):
            return client_id
        return None

    @staticmethod
    def _oauth_error(status: int, error: str, description: str) -> SandboxResponse:
        return SandboxResponse.json(status, {"error": error, "error_description": description})

    def _token(self, request: SandboxRequest) -> SandboxResponse:
        self.token_requests += 1
        client_id = self._client_auth(request)
        if client_id is None:
            return self._oauth_error(401, "invalid_client", "Client authentication failed")
        form = request.form()
        grant_type = form.get("grant_type")
        if grant_type == "authorization_code":
            code = self._codes.get(form.get("code", ""))
            if code is None or code["client_id"] != client_id:
                return self._oauth_error(400, "invalid_grant", "Incorrect or invalid authorization code")
            if code["used"]:
                self._revoke_grant(code["grant"])  # a double exchange poisons the code
                return self._oauth_error(400, "invalid_grant", "Authorization code has already been used")
            if form.get("redirect_uri") != code["redirect_uri"]:
                return self._oauth_error(400, "invalid_grant", "redirect_uri does not match")
            tokens = self._issue(client_id, self.realm_id, scope=str(code["scope"]))
            code["used"] = True
            code["grant"] = self._refresh[tokens["refresh_token"]].grant
            if "openid" in str(code["scope"]).split():
                tokens["id_token"] = self._id_token(request, client_id)
            return SandboxResponse.json(200, tokens)
        if grant_type == "refresh_token":
            value = form.get("refresh_token", "")
            state = self._refresh.get(value)
            if state is None or state.revoked or state.client_id != client_id:
                return self._oauth_error(400, "invalid_grant", "Incorrect or invalid refresh token")
            if self._clock() >= state.expires_at or (
                state.superseded_at is not None and self._clock() - state.superseded_at > self.refresh_grace
            ):
                return self._oauth_error(400, "invalid_grant", "Token has been expired or revoked")
            tokens = self._issue(client_id, state.realm_id, state.grant, scope=state.scope)
            if self.rotate_refresh_tokens:
                for other in self._refresh.values():
                    if (
                        other.grant == state.grant
                        and other.superseded_at is None
                        and other is not self._refresh[tokens["refresh_token"]]
                    ):
                        other.superseded_at = self._clock()
            else:
                del self._refresh[tokens["refresh_token"]]
                tokens["refresh_token"] = value
            return SandboxResponse.json(200, tokens)
        return self._oauth_error(400, "unsupported_grant_type", f"grant_type {grant_type!r} is not supported")

    def _revoke_grant(self, grant: str | None) -> None:
        if grant is None:
            return
        for access in self._access.values():
            if access.grant == grant:
                access.revoked = True
        for refresh in self._refresh.values():
            if refresh.grant == grant:
                refresh.revoked = True

    def _revoke(self, request: SandboxRequest) -> SandboxResponse:
        if self._client_auth(request) is None:
            return self._oauth_error(401, "invalid_client", "Client authentication failed")
        token = str((request.json() or {}).get("token", ""))
        found = self._refresh.get(token) or self._access.get(token)
        if found is None:
            return self._oauth_error(400, "invalid_request", "Unknown token")
        self._revoke_grant(found.grant)
        return SandboxResponse.empty(200)

    @staticmethod
    def _bearer(request: SandboxRequest) -> str | None:
        header = request.header("authorization") or ""
        return header[7:].strip() if header.lower().startswith("bearer ") else None

    def _unauthorized(self, detail: str) -> SandboxResponse:
        body: dict[str, Any] = {
            "warnings": None,
            "intuitObject": None,
            "fault": {
                "error": [
                    {
                        "message": "message=AuthenticationFailed; errorCode=003200; statusCode=401",
                        "detail": detail,
                        "code": "3200",
                        "element": None,
                    }
                ],
                "type": "AUTHENTICATION",
            },
            "report": None,
            "queryResponse": None,
            "batchItemResponse": [],
            "attachableResponse": [],
            "syncErrorResponse": None,
            "requestId": None,
            "time": int(self._wall().timestamp() * 1000),
            "status": None,
            "cdcresponse": [],
        }
        return SandboxResponse.json(
            401, body, {"WWW-Authenticate": 'Bearer realm="Intuit", error="invalid_token"'}
        )

    def _authenticate(self, request: SandboxRequest) -> None:
        token = self._bearer(request)
        if not token:
            raise AuthAbort(self._unauthorized("Malformed bearer token: too short or too long"))
        grant = self._access.get(token)
        if grant is None:
            raise AuthAbort(self._unauthorized("Malformed bearer token: too short or too long"))
        if grant.revoked:
            raise AuthAbort(self._unauthorized("Token revoked"))
        if self._clock() >= grant.expires_at:
            raise AuthAbort(self._unauthorized("Token expired: " + token[:8] + "..."))
        realm = request.path_params.get("realm", "")
        if realm != grant.realm_id:
            raise AuthAbort(
                self.fault_response(
                    Fault(
                        "3100",
                        "message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403",
                        "The token is not authorized for this company",
                        status=403,
                        fault_type="AuthorizationFault",
                    )
                )
            )

    def expire_credentials(self, request: SandboxRequest) -> None:
        """Expire the access token a request carries (TOKEN_EXPIRY faults)."""
        grant = self._access.get(self._bearer(request) or "")
        if grant is not None:
            grant.expires_at = self._clock()

    def expire_access_tokens(self) -> None:
        """Expire every access token now (their refresh tokens stay valid)."""
        with self._lock:
            for grant in self._access.values():
                grant.expires_at = min(grant.expires_at, self._clock())

    # ------------------------------------------------------------------------------------ OpenID

    def discovery_document(self, base: str) -> dict[str, Any]:
        """Intuit's discovery document with every endpoint on ``base`` (``scheme://host``)."""
        return {
            "issuer": f"{base}/op/v1",
            "authorization_endpoint": f"{base}/connect/oauth2",
            "token_endpoint": f"{base}/oauth2/v1/tokens/bearer",
            "userinfo_endpoint": f"{base}{USERINFO_PATH}",
            "revocation_endpoint": f"{base}/v2/oauth2/tokens/revoke",
            "jwks_uri": f"{base}{JWKS_PATH}",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile", "address", "phone"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "claims_supported": ["aud", "exp", "iat", "iss", "realmid", "sub"],
        }

    def _discovery(self, request: SandboxRequest) -> SandboxResponse:
        return json_response(200, self.discovery_document(origin(request)))

    def _jwks(self, request: SandboxRequest) -> SandboxResponse:
        return json_response(200, {"keys": [sandbox_key().jwk()]})

    def _id_token(self, request: SandboxRequest, client_id: str) -> str:
        now = int(self._wall().timestamp())
        claims = {
            "sub": self.user["sub"],
            "aud": [client_id],
            "realmid": self.realm_id,
            "auth_time": now,
            "iss": f"{origin(request)}/op/v1",
            "exp": now + ID_TOKEN_TTL,
            "iat": now,
        }
        return sandbox_key().jwt(claims)

    def _userinfo(self, request: SandboxRequest) -> SandboxResponse:
        token = self._bearer(request) or ""
        grant = self._access.get(token)
        if grant is None or grant.revoked or self._clock() >= grant.expires_at:
            return SandboxResponse.json(
                401, {"error": "invalid_token"}, {"WWW-Authenticate": 'Bearer error="invalid_token"'}
            )
        scopes = set(grant.scope.split())
        if "openid" not in scopes:
            return SandboxResponse.json(
                403,
                {"error": "insufficient_scope"},
                {"WWW-Authenticate": 'Bearer error="insufficient_scope"'},
            )
        user = self.user
        claims: dict[str, Any] = {"sub": user["sub"]}
        if "email" in scopes:
            claims.update(email=user["email"], emailVerified=True)
        if "profile" in scopes:
            claims.update(givenName=user["givenName"], familyName=user["familyName"])
        if "phone" in scopes:
            claims.update(phoneNumber=user["phoneNumber"], phoneNumberVerified=False)
        if "address" in scopes:
            claims["address"] = dict(user["address"])
        return json_response(200, claims)
