"""OAuth 2.0 for QuickBooks Online: tokens, token stores, and the ``httpx.Auth`` flow.

QBO access tokens live one hour; refresh tokens roll for 100 days and **may rotate on any refresh**,
so the refresh token of every token response is saved (atomically) before the new access token is
used, and refreshes are single-flight: one lock per auth object for threads, one per event loop for
tasks, and the store is re-read after the lock is taken so waiters reuse the winner's token.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import threading
import weakref
from collections.abc import AsyncGenerator, Callable, Generator, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Protocol, runtime_checkable
from urllib.parse import urlencode

import attrs
import httpx

from msplink._core import decode_json, parse_datetime, write_private_file
from msplink.errors import (
    APIError,
    AuthenticationError,
    ConfigurationError,
    ErrorDetail,
    ReauthorizationRequiredError,
)
from msplink.quickbooks._errors import classify_details, details_from_body

__all__ = [
    "AUTHORIZATION_URL",
    "REVOKE_URL",
    "SCOPE_ACCOUNTING",
    "TOKEN_URL",
    "FileTokenStore",
    "MemoryTokenStore",
    "OAuthToken",
    "QuickBooksOAuth2",
    "TokenStore",
]

AUTHORIZATION_URL = "https://appcenter.intuit.com/connect/oauth2"
TOKEN_URL = "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer"
REVOKE_URL = "https://developer.api.intuit.com/v2/oauth2/tokens/revoke"
SCOPE_ACCOUNTING = "com.intuit.quickbooks.accounting"


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


@attrs.frozen(kw_only=True)
class OAuthToken:
    """A QBO token pair; the token values never show in ``repr``.

    Attributes:
        access_token: The bearer token (one hour).
        refresh_token: The refresh token (rolling 100 days; may rotate on any refresh).
        expires_at: When the access token expires (aware).
        refresh_expires_at: When the refresh token expires, when known.
        realm_id: The company the grant is bound to, when known.
        token_type: ``bearer``.
    """

    access_token: str = attrs.field(repr=False)
    refresh_token: str = attrs.field(repr=False)
    expires_at: datetime
    refresh_expires_at: datetime | None = None
    realm_id: str | None = None
    token_type: str = "bearer"

    def is_expired(self, now: datetime, margin: timedelta = timedelta(0)) -> bool:
        """Tell whether the access token is expired (or will be within ``margin``)."""
        return now + margin >= self.expires_at

    @classmethod
    def from_response(
        cls, data: Mapping[str, Any], *, now: datetime, realm_id: str | None = None
    ) -> OAuthToken:
        """Build a token from a token-endpoint JSON answer.

        Raises:
            KeyError: A required key is missing.
        """
        refresh_in = data.get("x_refresh_token_expires_in")
        return cls(
            access_token=str(data["access_token"]),
            refresh_token=str(data["refresh_token"]),
            expires_at=now + timedelta(seconds=int(data.get("expires_in", 3600))),
            refresh_expires_at=now + timedelta(seconds=int(refresh_in)) if refresh_in is not None else None,
            realm_id=realm_id,
            token_type=str(data.get("token_type", "bearer")),
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (for token stores; it contains the secrets)."""
        return {
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "expires_at": self.expires_at.isoformat(),
            "refresh_expires_at": self.refresh_expires_at.isoformat() if self.refresh_expires_at else None,
            "realm_id": self.realm_id,
            "token_type": self.token_type,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> OAuthToken:
        """The inverse of :meth:`to_dict`."""
        refresh_expires = data.get("refresh_expires_at")
        return cls(
            access_token=str(data["access_token"]),
            refresh_token=str(data["refresh_token"]),
            expires_at=parse_datetime(data["expires_at"]),
            refresh_expires_at=parse_datetime(refresh_expires) if refresh_expires else None,
            realm_id=data.get("realm_id"),
            token_type=str(data.get("token_type", "bearer")),
        )


@runtime_checkable
class TokenStore(Protocol):
    """Where a token pair is persisted. QBO rotates refresh tokens: every new pair must be saved."""

    def load(self) -> OAuthToken | None:
        """The current token, or ``None`` when none was saved."""

    def save(self, token: OAuthToken) -> None:
        """Persist a new token (atomically)."""


class MemoryTokenStore:
    """A thread-safe in-memory token store (tests, short scripts)."""

    def __init__(self, token: OAuthToken | None = None) -> None:
        self._token = token
        self._lock = threading.Lock()
        self.saves = 0

    def load(self) -> OAuthToken | None:
        """The current token."""
        with self._lock:
            return self._token

    def save(self, token: OAuthToken) -> None:
        """Replace the token."""
        with self._lock:
            self._token = token
            self.saves += 1

    def __repr__(self) -> str:
        return f"MemoryTokenStore(saves={self.saves})"


class FileTokenStore:
    """A JSON file token store: created with mode 0600, replaced atomically (write + fsync + rename)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    def load(self) -> OAuthToken | None:
        """Read the token, or ``None`` when the file does not exist."""
        with self._lock:
            try:
                text = self.path.read_text(encoding="utf-8")
            except FileNotFoundError:
                return None
        return OAuthToken.from_dict(json.loads(text))

    def save(self, token: OAuthToken) -> None:
        """Write the token to a 0600 temporary file beside the target, then rename it over the target."""
        data = json.dumps(token.to_dict()).encode("utf-8")
        with self._lock:
            write_private_file(self.path, data)

    def __repr__(self) -> str:
        return f"FileTokenStore({str(self.path)!r})"


def _token_error(response: httpx.Response, what: str) -> APIError:
    try:
        details = details_from_body(decode_json(response))
    except ValueError:
        details = ()
    if not details:
        details = (ErrorDetail(code=None, message=f"token endpoint answered {response.status_code}"),)
    cls = classify_details(details)
    if cls is None or not issubclass(cls, AuthenticationError):
        cls = AuthenticationError
    return cls(
        platform="quickbooks",
        status_code=response.status_code,
        method="POST",
        path=what,
        errors=details,
        request_id=response.headers.get("intuit_tid"),
        response=response,
    )


class QuickBooksOAuth2(httpx.Auth):
    """OAuth 2.0 authorization-code grant for QBO, as an ``httpx.Auth``.

    The flow adds ``Authorization: Bearer``; it refreshes first when the access token is expired (or
    within ``refresh_margin``) and once more when the API answers 401. Refreshes are single-flight
    across threads and tasks and the rotated refresh token is saved before it is used. An
    ``invalid_grant`` answer raises :class:`~msplink.errors.ReauthorizationRequiredError`.

    Args:
        client_id: The app's client id.
        client_secret: The app's client secret (never shown in ``repr``).
        store: Where tokens are loaded from and saved to.
        redirect_uri: The registered redirect URI (for the authorization URL and code exchange).
        scopes: The scopes requested by :meth:`authorization_url`.
        token_url: The token endpoint (override to use a sandbox).
        revoke_url: The revoke endpoint.
        authorization_url_base: The authorize page.
        refresh_margin: Refresh this long before the access token expires.
        now: The wall clock (tests pass a fake one).
        transport: Transport for the standalone calls (:meth:`exchange_code`, :meth:`refresh`, :meth:`revoke`).
    """

    requires_response_body = True

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        store: TokenStore,
        redirect_uri: str | None = None,
        scopes: Sequence[str] = (SCOPE_ACCOUNTING,),
        token_url: str = TOKEN_URL,
        revoke_url: str = REVOKE_URL,
        authorization_url_base: str = AUTHORIZATION_URL,
        refresh_margin: timedelta = timedelta(minutes=5),
        now: Callable[[], datetime] = _utcnow,
        transport: httpx.BaseTransport | httpx.AsyncBaseTransport | None = None,
    ) -> None:
        if not client_id or not client_secret:
            raise ConfigurationError("QuickBooksOAuth2 needs a client_id and a client_secret")
        self.client_id = client_id
        self._client_secret = client_secret
        self.store = store
        self.redirect_uri = redirect_uri
        self.scopes = tuple(scopes)
        self.token_url = token_url
        self.revoke_url = revoke_url
        self.authorization_url_base = authorization_url_base
        self.refresh_margin = refresh_margin
        self._now = now
        self._transport = transport
        self._lock = threading.Lock()
        self._async_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )
        self.refresh_count = 0

    def __repr__(self) -> str:
        return f"QuickBooksOAuth2(client_id={self.client_id!r}, client_secret='***', store={self.store!r})"

    # ---- pure helpers

    def _basic(self) -> str:
        raw = f"{self.client_id}:{self._client_secret}".encode()
        return "Basic " + base64.b64encode(raw).decode("ascii")

    def authorization_url(self, *, state: str, scopes: Sequence[str] | None = None) -> str:
        """The URL to send the user to (``GET /connect/oauth2``), carrying a CSRF ``state``.

        Raises:
            ConfigurationError: No ``redirect_uri`` or an empty ``state``.
        """
        if not self.redirect_uri:
            raise ConfigurationError("authorization_url needs redirect_uri")
        if not state:
            raise ConfigurationError("authorization_url needs a non-empty state (CSRF protection)")
        params = {
            "client_id": self.client_id,
            "response_type": "code",
            "scope": " ".join(scopes or self.scopes),
            "redirect_uri": self.redirect_uri,
            "state": state,
        }
        return f"{self.authorization_url_base}?{urlencode(params)}"

    def _token_request(self, form: Mapping[str, str]) -> httpx.Request:
        return httpx.Request(
            "POST",
            self.token_url,
            content=urlencode(form).encode("ascii"),
            headers={
                "Authorization": self._basic(),
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
            },
        )

    def _code_request(self, code: str) -> httpx.Request:
        if not self.redirect_uri:
            raise ConfigurationError("exchange_code needs redirect_uri")
        return self._token_request(
            {"grant_type": "authorization_code", "code": code, "redirect_uri": self.redirect_uri}
        )

    def _refresh_request(self, token: OAuthToken) -> httpx.Request:
        return self._token_request({"grant_type": "refresh_token", "refresh_token": token.refresh_token})

    def _revoke_request(self, token: str) -> httpx.Request:
        return httpx.Request(
            "POST",
            self.revoke_url,
            content=json.dumps({"token": token}).encode(),
            headers={
                "Authorization": self._basic(),
                "Content-Type": "application/json",
                "Accept": "application/json",
            },
        )

    def _accept(self, response: httpx.Response, realm_id: str | None, what: str) -> OAuthToken:
        if response.status_code != 200:
            raise _token_error(response, what)
        try:
            token = OAuthToken.from_response(decode_json(response), now=self._now(), realm_id=realm_id)
        except (ValueError, KeyError, TypeError) as exc:
            raise _token_error(response, what) from exc
        self.store.save(token)
        return token

    def _load(self) -> OAuthToken:
        token = self.store.load()
        if token is None:
            raise ReauthorizationRequiredError(
                "quickbooks: no token in the store; authorize the app first",
                platform="quickbooks",
                status_code=401,
                method="",
                path="",
            )
        return token

    def _needs_refresh(self, token: OAuthToken) -> bool:
        return token.is_expired(self._now(), self.refresh_margin)

    def _lock_for_loop(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        lock = self._async_locks.get(loop)
        if lock is None:
            lock = asyncio.Lock()
            self._async_locks[loop] = lock
        return lock

    @staticmethod
    def _authorize(request: httpx.Request, token: OAuthToken) -> None:
        request.headers["Authorization"] = f"Bearer {token.access_token}"

    # ---- the httpx flows

    def _refresh_flow(self, seen: OAuthToken) -> Generator[httpx.Request, httpx.Response, OAuthToken]:
        current = self._load()
        if current.access_token != seen.access_token and not self._needs_refresh(current):
            return current  # another worker refreshed while we waited
        response = yield self._refresh_request(current)
        response.read()
        self.refresh_count += 1
        return self._accept(response, current.realm_id, "/oauth2/v1/tokens/bearer")

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """The sync flow: refresh when expired (under a thread lock), send, refresh once on 401."""
        token = self._load()
        if self._needs_refresh(token):
            with self._lock:
                token = yield from self._refresh_flow(token)
        self._authorize(request, token)
        response = yield request
        if response.status_code == 401:
            response.read()
            with self._lock:
                token = yield from self._refresh_flow(token)
            self._authorize(request, token)
            yield request

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        """The async flow: like the sync one, single-flight under a per-event-loop lock."""
        token = self._load()
        for attempt in range(2):
            if attempt == 1 or self._needs_refresh(token):
                async with self._lock_for_loop():
                    current = self._load()
                    if current.access_token != token.access_token and not self._needs_refresh(current):
                        token = current
                    else:
                        refresh_response = yield self._refresh_request(current)
                        await refresh_response.aread()
                        self.refresh_count += 1
                        token = self._accept(refresh_response, current.realm_id, "/oauth2/v1/tokens/bearer")
            self._authorize(request, token)
            response = yield request
            if response.status_code != 401 or attempt == 1:
                return
            await response.aread()

    # ---- standalone calls

    def _sync_client(self) -> httpx.Client:
        transport = self._transport if isinstance(self._transport, httpx.BaseTransport) else None
        return httpx.Client(transport=transport, timeout=30.0)

    def _async_client(self) -> httpx.AsyncClient:
        transport = self._transport if isinstance(self._transport, httpx.AsyncBaseTransport) else None
        return httpx.AsyncClient(transport=transport, timeout=30.0)

    def exchange_code(self, code: str, *, realm_id: str | None = None) -> OAuthToken:
        """Exchange an authorization code for tokens (POST /oauth2/v1/tokens/bearer) and save them.

        Raises:
            ReauthorizationRequiredError: The code is invalid or was already used (``invalid_grant``).
        """
        with self._sync_client() as client:
            response = client.send(self._code_request(code))
        return self._accept(response, realm_id, "/oauth2/v1/tokens/bearer")

    async def aexchange_code(self, code: str, *, realm_id: str | None = None) -> OAuthToken:
        """Async twin of :meth:`exchange_code` (POST /oauth2/v1/tokens/bearer)."""
        async with self._async_client() as client:
            response = await client.send(self._code_request(code))
        return self._accept(response, realm_id, "/oauth2/v1/tokens/bearer")

    def refresh(self) -> OAuthToken:
        """Refresh now (POST /oauth2/v1/tokens/bearer), single-flight, and save the rotated pair.

        Raises:
            ReauthorizationRequiredError: The refresh token is invalid (``invalid_grant``).
        """
        with self._lock:
            current = self._load()
            with self._sync_client() as client:
                response = client.send(self._refresh_request(current))
            self.refresh_count += 1
            return self._accept(response, current.realm_id, "/oauth2/v1/tokens/bearer")

    async def arefresh(self) -> OAuthToken:
        """Async twin of :meth:`refresh` (POST /oauth2/v1/tokens/bearer)."""
        async with self._lock_for_loop():
            current = self._load()
            async with self._async_client() as client:
                response = await client.send(self._refresh_request(current))
            self.refresh_count += 1
            return self._accept(response, current.realm_id, "/oauth2/v1/tokens/bearer")

    def revoke(self, token: str | None = None) -> None:
        """Revoke the grant (POST /v2/oauth2/tokens/revoke), by default with the stored refresh token."""
        value = token or self._load().refresh_token
        with self._sync_client() as client:
            response = client.send(self._revoke_request(value))
        if response.status_code != 200:
            raise _token_error(response, "/v2/oauth2/tokens/revoke")

    async def arevoke(self, token: str | None = None) -> None:
        """Async twin of :meth:`revoke` (POST /v2/oauth2/tokens/revoke)."""
        value = token or self._load().refresh_token
        async with self._async_client() as client:
            response = await client.send(self._revoke_request(value))
        if response.status_code != 200:
            raise _token_error(response, "/v2/oauth2/tokens/revoke")


class StaticBearer(httpx.Auth):
    """A fixed access token (no refresh), for short scripts and tests."""

    def __init__(self, access_token: str) -> None:
        self._token = access_token

    def __repr__(self) -> str:
        return "StaticBearer('***')"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Add the bearer header."""
        request.headers["Authorization"] = f"Bearer {self._token}"
        yield request
