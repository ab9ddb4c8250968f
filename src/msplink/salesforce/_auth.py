"""Salesforce OAuth 2.0 as ``httpx.Auth`` strategies (STYLE R29-R30).

Each strategy mints an access token at the token endpoint on first use, rewrites the request to the
token's ``instance_url`` (the client's base URL is resolved lazily), and on
``401 INVALID_SESSION_ID`` mints a new token once and replays the request. A second 401 surfaces as
:class:`msplink.errors.AuthenticationError`. No username-password flow: it is being retired.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import threading
import time
from collections.abc import AsyncGenerator, Callable, Generator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import attrs
import httpx

from msplink._core import write_private_file
from msplink.errors import (
    AuthenticationError,
    ConfigurationError,
    ErrorDetail,
    ReauthorizationRequiredError,
    ServerError,
)

__all__ = [
    "DEFAULT_LOGIN_URL",
    "PLACEHOLDER_INSTANCE_URL",
    "AccessTokenAuth",
    "ClientCredentialsAuth",
    "FileTokenStore",
    "JWTBearerAuth",
    "MemoryTokenStore",
    "RefreshTokenAuth",
    "SalesforceAuth",
    "Token",
    "TokenStore",
]

DEFAULT_LOGIN_URL = "https://login.salesforce.com"
TOKEN_PATH = "/services/oauth2/token"
PLACEHOLDER_HOST = "instance.salesforce.invalid"
PLACEHOLDER_INSTANCE_URL = f"https://{PLACEHOLDER_HOST}"
"""The base URL requests carry until a token names the real ``instance_url``."""


@attrs.frozen(kw_only=True)
class Token:
    """An access token and where to use it.

    Attributes:
        access_token: The session id (never shown in repr).
        instance_url: The org's API host (``https://acme.my.salesforce.com``).
        token_type: ``Bearer``.
        scope: Granted scopes.
        id: The identity URL.
        issued_at: When it was issued (from the ms-epoch string), if sent.
        refresh_token: Only for the refresh-token flow (never shown in repr).
    """

    access_token: str = attrs.field(repr=False)
    instance_url: str
    token_type: str = "Bearer"
    scope: str | None = None
    id: str | None = None
    issued_at: datetime | None = None
    refresh_token: str | None = attrs.field(default=None, repr=False)

    @classmethod
    def from_api(cls, data: dict[str, Any], *, refresh_token: str | None = None) -> Token:
        """Parse a token response; keep ``refresh_token`` unless the response rotates it."""
        issued = data.get("issued_at")
        issued_at = (
            datetime.fromtimestamp(int(issued) / 1000, tz=timezone.utc)
            if isinstance(issued, (str, int)) and str(issued).isdigit()
            else None
        )
        return cls(
            access_token=str(data["access_token"]),
            instance_url=str(data["instance_url"]).rstrip("/"),
            token_type=str(data.get("token_type") or "Bearer"),
            scope=data.get("scope"),
            id=data.get("id"),
            issued_at=issued_at,
            refresh_token=data.get("refresh_token") or refresh_token,
        )


@runtime_checkable
class TokenStore(Protocol):
    """Where a refresh-token strategy keeps its token (rotated refresh tokens must be persisted)."""

    def load(self) -> Token | None:
        """The stored token, or ``None``."""

    def save(self, token: Token) -> None:
        """Persist a new token (atomically: a rotated refresh token invalidates the old one)."""


class MemoryTokenStore:
    """A :class:`TokenStore` in memory (tests, short scripts)."""

    def __init__(self, token: Token | None = None) -> None:
        self._token = token
        self.saves = 0

    def load(self) -> Token | None:
        """The stored token."""
        return self._token

    def save(self, token: Token) -> None:
        """Keep the token."""
        self._token = token
        self.saves += 1

    def __repr__(self) -> str:
        return f"MemoryTokenStore(has_token={self._token is not None})"


class FileTokenStore:
    """A :class:`TokenStore` in a JSON file (created 0600, replaced atomically on every save)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path).expanduser()

    def __repr__(self) -> str:
        return f"FileTokenStore({str(self.path)!r})"

    def load(self) -> Token | None:
        """The stored token, or ``None`` when the file does not exist."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except ValueError:
            raise ConfigurationError(f"{self.path} is not a token file") from None
        issued = data.get("issued_at")
        return Token(
            access_token=data.get("access_token") or "",
            instance_url=data["instance_url"],
            token_type=data.get("token_type") or "Bearer",
            scope=data.get("scope"),
            id=data.get("id"),
            issued_at=datetime.fromisoformat(issued) if issued else None,
            refresh_token=data.get("refresh_token"),
        )

    def save(self, token: Token) -> None:
        """Write the token to a 0600 temporary file and rename it over the old one."""
        data = {
            "access_token": token.access_token,
            "instance_url": token.instance_url,
            "token_type": token.token_type,
            "scope": token.scope,
            "id": token.id,
            "issued_at": token.issued_at.isoformat() if token.issued_at else None,
            "refresh_token": token.refresh_token,
        }
        write_private_file(self.path, json.dumps(data).encode("utf-8"))


def _is_invalid_session(response: httpx.Response) -> bool:
    if response.status_code != 401:
        return False
    try:
        body = json.loads(response.content or b"null")
    except ValueError:
        return True
    items = body if isinstance(body, list) else [body]
    return any(isinstance(i, dict) and i.get("errorCode") == "INVALID_SESSION_ID" for i in items) or not body


def _token_error(response: httpx.Response) -> Exception:
    try:
        body = json.loads(response.content or b"{}")
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    code = str(body.get("error") or f"http_{response.status_code}")
    message = str(body.get("error_description") or "token request failed")
    details = (ErrorDetail(code=code, message=message),)
    common: dict[str, Any] = {
        "platform": "salesforce",
        "status_code": response.status_code,
        "method": "POST",
        "path": TOKEN_PATH,
        "errors": details,
        "response": response,
    }
    if response.status_code >= 500:
        return ServerError(**common)
    if code == "invalid_grant" and "refresh" in message:
        return ReauthorizationRequiredError(**common)
    return AuthenticationError(**common)


class SalesforceAuth(httpx.Auth):
    """Base of the Salesforce strategies: token on first use, lazy instance URL, one replay on 401."""

    requires_response_body = True

    def __init__(
        self,
        *,
        login_url: str = DEFAULT_LOGIN_URL,
        token_url: str | None = None,
        max_token_age: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not login_url.startswith(("https://", "http://")):
            raise ConfigurationError("login_url must be an http(s) URL")
        if max_token_age is not None and max_token_age <= 0:
            raise ConfigurationError("max_token_age must be positive seconds")
        self.max_token_age = max_token_age
        self._clock = clock
        self._minted_at = clock()
        self.login_url = login_url.rstrip("/")
        self.token_url = token_url or self.login_url + TOKEN_PATH
        self._token: Token | None = None
        self._lock = threading.Lock()
        self._mint_lock = threading.RLock()
        self._async_lock: asyncio.Lock | None = None
        self.token_requests = 0

    def __repr__(self) -> str:
        return f"{type(self).__name__}(login_url={self.login_url!r})"

    @property
    def token(self) -> Token | None:
        """The current token, if one was minted (or loaded)."""
        return self._token

    @property
    def instance_url(self) -> str | None:
        """The org's API base URL, known once a token exists."""
        token = self._current()
        return token.instance_url if token is not None else None

    def invalidate(self) -> None:
        """Forget the current token; the next request mints a new one."""
        with self._lock:
            self._token = None

    def _current(self) -> Token | None:
        return self._token

    def _usable(self) -> Token | None:
        """The current token, unless it is older than ``max_token_age`` (then dropped: renew proactively)."""
        token = self._current()
        if token is None or self.max_token_age is None or not self._can_mint():
            return token
        if self._clock() - self._minted_at < self.max_token_age:
            return token
        with self._lock:
            if self._token is token:
                self._token = None
        return None

    def _token_request(self) -> httpx.Request:
        raise ConfigurationError(f"{type(self).__name__} cannot mint tokens")

    def _accept(self, response: httpx.Response) -> Token:
        if response.status_code != 200:
            raise _token_error(response)
        try:
            data = json.loads(response.content)
            token = Token.from_api(data, refresh_token=self._refresh_token())
        except (ValueError, KeyError, TypeError):
            raise _token_error(response) from None
        with self._lock:
            self._token = token
            self._minted_at = self._clock()
        self._saved(token)
        return token

    def _refresh_token(self) -> str | None:
        return None

    def _saved(self, token: Token) -> None:
        return None

    @staticmethod
    def _prepare(request: httpx.Request, token: Token) -> None:
        request.headers["Authorization"] = f"{token.token_type or 'Bearer'} {token.access_token}"
        if request.url.host == PLACEHOLDER_HOST:
            target = httpx.URL(token.instance_url)
            request.url = request.url.copy_with(scheme=target.scheme, host=target.host, port=target.port)
            request.headers["Host"] = target.netloc.decode("ascii")

    def _form(self, fields: dict[str, str], headers: dict[str, str] | None = None) -> httpx.Request:
        self.token_requests += 1
        return httpx.Request(
            "POST",
            self.token_url,
            data=fields,
            headers={"Accept": "application/json", **(headers or {})},
        )

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Mint a token when needed, send, and on ``INVALID_SESSION_ID`` re-authenticate once and replay.

        This generator is not single-flight; the sync and async flows below serialise minting.
        """
        token = self._usable()
        if token is None:
            token = self._accept((yield self._token_request()))
        self._prepare(request, token)
        response = yield request
        if _is_invalid_session(response) and self._can_mint():
            fresh = self._stale(token)
            if fresh is None:
                fresh = self._accept((yield self._token_request()))
            self._prepare(request, fresh)
            yield request

    def _stale(self, failed: Token) -> Token | None:
        """Drop ``failed`` if it is still current; return a newer token another caller minted, if any."""
        with self._lock:
            if self._token is failed:
                self._token = None
            return self._token

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """The flow for ``httpx.Client``: minting is single-flight across threads."""
        token = self._usable()
        if token is None:
            with self._mint_lock:
                token = self._usable()
                if token is None:
                    reply = yield self._token_request()
                    reply.read()
                    token = self._accept(reply)
        self._prepare(request, token)
        response = yield request
        response.read()
        if _is_invalid_session(response) and self._can_mint():
            with self._mint_lock:
                fresh = self._stale(token)
                if fresh is None:
                    reply = yield self._token_request()
                    reply.read()
                    fresh = self._accept(reply)
            self._prepare(request, fresh)
            yield request

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        """The flow for ``httpx.AsyncClient``: minting is single-flight across tasks."""
        if self._async_lock is None:
            self._async_lock = asyncio.Lock()
        token = self._usable()
        if token is None:
            async with self._async_lock:
                token = self._usable()
                if token is None:
                    reply = yield self._token_request()
                    await reply.aread()
                    token = self._accept(reply)
        self._prepare(request, token)
        response = yield request
        await response.aread()
        if _is_invalid_session(response) and self._can_mint():
            async with self._async_lock:
                fresh = self._stale(token)
                if fresh is None:
                    reply = yield self._token_request()
                    await reply.aread()
                    fresh = self._accept(reply)
            self._prepare(request, fresh)
            yield request

    def _can_mint(self) -> bool:
        return True


class AccessTokenAuth(SalesforceAuth):
    """A fixed access token and instance URL (no re-authentication possible)."""

    def __init__(self, *, access_token: str, instance_url: str) -> None:
        super().__init__()
        if not access_token or not instance_url.startswith(("https://", "http://")):
            raise ConfigurationError("access_token and an http(s) instance_url are required")
        self._token = Token(access_token=access_token, instance_url=instance_url.rstrip("/"))

    def _can_mint(self) -> bool:
        return False


class ClientCredentialsAuth(SalesforceAuth):
    """OAuth client credentials (``grant_type=client_credentials``, run-as user of the app).

    Salesforce accepts this grant only on the org's My Domain token host: pass it as ``login_url``.
    """

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        login_url: str = DEFAULT_LOGIN_URL,
        max_token_age: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(login_url=login_url, max_token_age=max_token_age, clock=clock)
        if not client_id or not client_secret:
            raise ConfigurationError("client_id and client_secret are required")
        self.client_id = client_id
        self._client_secret = client_secret

    def _token_request(self) -> httpx.Request:
        basic = base64.b64encode(f"{self.client_id}:{self._client_secret}".encode()).decode("ascii")
        return self._form({"grant_type": "client_credentials"}, {"Authorization": f"Basic {basic}"})


class JWTBearerAuth(SalesforceAuth):
    """OAuth JWT bearer (RS256 assertion signed with the app's private key; needs the ``jwt`` extra).

    Args:
        client_id: The connected / external client app's consumer key (``iss``).
        username: The Salesforce user to act as (``sub``).
        private_key: The PEM private key whose certificate is uploaded to the app.
        login_url: The token host; also the ``aud`` unless ``audience`` is given.
        audience: ``https://login.salesforce.com`` or ``https://test.salesforce.com``
            (not the My Domain, even when posting to it).
        lifetime: Seconds the assertion is valid (Salesforce allows at most 3 minutes).
        now: Clock for ``exp`` (seconds since the epoch).
        max_token_age: Renew the token proactively after this many seconds (e.g. 80 % of the org's
            session timeout) instead of waiting for a 401.
        clock: Monotonic clock for ``max_token_age``.

    Raises:
        ConfigurationError: PyJWT/cryptography are missing or the key is unreadable.
    """

    def __init__(
        self,
        *,
        client_id: str,
        username: str,
        private_key: str | bytes,
        login_url: str = DEFAULT_LOGIN_URL,
        audience: str | None = None,
        lifetime: int = 180,
        now: Callable[[], float] = time.time,
        max_token_age: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(login_url=login_url, max_token_age=max_token_age, clock=clock)
        if not client_id or not username:
            raise ConfigurationError("client_id and username are required")
        try:
            import jwt  # noqa: F401
            from cryptography.hazmat.primitives.serialization import load_pem_private_key
        except ImportError:
            raise ConfigurationError(
                "JWTBearerAuth needs PyJWT and cryptography: pip install 'msplink[jwt]'"
            ) from None
        pem = private_key.encode() if isinstance(private_key, str) else private_key
        try:
            self._key: Any = load_pem_private_key(pem, password=None)
        except (ValueError, TypeError):
            raise ConfigurationError("private_key is not a readable unencrypted PEM private key") from None
        self.client_id = client_id
        self.username = username
        self.audience = (audience or self.login_url).rstrip("/")
        self.lifetime = min(lifetime, 180)
        self._now = now

    def assertion(self) -> str:
        """A freshly signed JWT assertion."""
        import jwt

        claims = {
            "iss": self.client_id,
            "sub": self.username,
            "aud": self.audience,
            "exp": int(self._now()) + self.lifetime,
        }
        return str(jwt.encode(claims, self._key, algorithm="RS256"))

    def _token_request(self) -> httpx.Request:
        return self._form(
            {"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion": self.assertion()}
        )


class RefreshTokenAuth(SalesforceAuth):
    """OAuth refresh-token flow for a user who authorised msplink (rotated tokens go to the store).

    Args:
        client_id: The consumer key.
        client_secret: The consumer secret (optional for PKCE apps).
        store: Holds the token; its refresh token is read at first use, new tokens are saved.
        refresh_token: An initial refresh token when the store is empty.
        login_url: The token host.

    Raises:
        ConfigurationError: No refresh token anywhere.
    """

    def __init__(
        self,
        *,
        client_id: str,
        store: TokenStore | None = None,
        refresh_token: str | None = None,
        client_secret: str | None = None,
        login_url: str = DEFAULT_LOGIN_URL,
        max_token_age: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(login_url=login_url, max_token_age=max_token_age, clock=clock)
        if not client_id:
            raise ConfigurationError("client_id is required")
        self.client_id = client_id
        self._client_secret = client_secret
        self.store: TokenStore = store if store is not None else MemoryTokenStore()
        self._initial_refresh = refresh_token
        self._loaded = False

    def _current(self) -> Token | None:
        if self._token is None and not self._loaded:
            self._loaded = True
            stored = self.store.load()
            if stored is not None and stored.access_token:
                self._token = stored
        return self._token

    def _refresh_token(self) -> str | None:
        stored = self.store.load()
        token = (stored.refresh_token if stored else None) or self._initial_refresh
        return token

    def _token_request(self) -> httpx.Request:
        refresh = self._refresh_token()
        if not refresh:
            raise ConfigurationError("RefreshTokenAuth has no refresh token (store empty, none given)")
        fields = {"grant_type": "refresh_token", "client_id": self.client_id, "refresh_token": refresh}
        if self._client_secret:
            fields["client_secret"] = self._client_secret
        return self._form(fields)

    def _saved(self, token: Token) -> None:
        self.store.save(token)
