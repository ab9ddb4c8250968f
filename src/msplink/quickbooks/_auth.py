"""OAuth 2.0 for QuickBooks Online: the token pair, its stores, and the ``httpx.Auth`` flow.

QBO access tokens live one hour; refresh tokens roll for 100 days and **may rotate on any refresh**,
so the refresh token of every token response is saved (atomically) before the new access token is
used. Refreshes are single-flight across threads, asyncio tasks and event loops together (and, with
a :class:`FileTokenStore`, across processes): the flow and its locking are
:class:`msplink._core.TokenAuth`, shared with Salesforce; the stores are the ``msplink._core``
token-store family, typed for :class:`OAuthToken`.
"""

from __future__ import annotations

import base64
import json
import os
import re
from collections.abc import Callable, Generator, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any, Protocol, runtime_checkable
from urllib.parse import urlencode

import attrs
import httpx

from msplink._core import (
    Acquire,
    AuthFlow,
    Release,
    TokenAuth,
    arun_flow,
    loads_json,
    malformed_token_response,
    optional_datetime,
    optional_text,
    require_text,
    run_flow,
    token_endpoint_error,
)
from msplink._core import FileTokenStore as _FileTokenStore
from msplink._core import MemoryTokenStore as _MemoryTokenStore
from msplink._core import TokenStore as _TokenStore
from msplink.errors import (
    APIError,
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

_TOKEN_PATH = "/oauth2/v1/tokens/bearer"
_REVOKE_PATH = "/v2/oauth2/tokens/revoke"
_TEN_YEARS = 10 * 366 * 86_400
_TOKEN_TEXT = re.compile(r"[\x21-\x7e]{1,4096}\Z")


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _token_text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not _TOKEN_TEXT.match(value):
        raise ValueError(f"{key} is missing or not a token")
    return value


def _seconds(data: Mapping[str, Any], key: str, default: int | None) -> int | None:
    value = data.get(key, default)
    if value is None:
        return None
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= _TEN_YEARS:
        raise ValueError(f"{key} is not a number of seconds")
    return value


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
        """Build a token from a token-endpoint answer (POST /oauth2/v1/tokens/bearer).

        Raises:
            ValueError: A field is missing or has the wrong shape (the message names the field only).
        """
        if not isinstance(data, Mapping):
            raise ValueError("the token answer is not a JSON object")
        expires_in = _seconds(data, "expires_in", 3600)
        refresh_in = _seconds(data, "x_refresh_token_expires_in", None)
        token_type = data.get("token_type", "bearer")
        if not isinstance(token_type, str) or token_type.lower() != "bearer":
            raise ValueError("token_type is not bearer")
        return cls(
            access_token=_token_text(data, "access_token"),
            refresh_token=_token_text(data, "refresh_token"),
            expires_at=now + timedelta(seconds=expires_in or 3600),
            refresh_expires_at=now + timedelta(seconds=refresh_in) if refresh_in is not None else None,
            realm_id=realm_id,
            token_type=token_type,
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
        """The inverse of :meth:`to_dict`.

        Raises:
            ConfigurationError: A field is missing or mistyped (named; its value is never quoted).
        """
        expires_at = optional_datetime(data, "expires_at")
        if expires_at is None:
            raise ConfigurationError("field 'expires_at' must be an ISO 8601 datetime")
        return cls(
            access_token=optional_text(data, "access_token") or "",
            refresh_token=require_text(data, "refresh_token"),
            expires_at=expires_at,
            refresh_expires_at=optional_datetime(data, "refresh_expires_at"),
            realm_id=optional_text(data, "realm_id"),
            token_type=optional_text(data, "token_type") or "bearer",
        )


@runtime_checkable
class TokenStore(_TokenStore[OAuthToken], Protocol):
    """Where a QBO token pair is persisted (:class:`msplink._core.TokenStore` of :class:`OAuthToken`).

    QBO rotates refresh tokens: every new pair must be saved. A ``lock`` attribute
    (:class:`msplink._core.TokenLock`) makes renewals single-flight across everything sharing the store.
    """


class MemoryTokenStore(_MemoryTokenStore[OAuthToken]):
    """A thread-safe in-memory store of a QBO token pair (tests, short scripts)."""


class FileTokenStore(_FileTokenStore[OAuthToken]):
    """A QBO token file: 0600, replaced atomically, locked across threads, tasks and processes.

    Args:
        path: The JSON file (``~`` is expanded). A ``<name>.lock`` file beside it is the
            inter-process renewal lock.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__(path, decode=OAuthToken.from_dict, encode=OAuthToken.to_dict)


class QuickBooksOAuth2(TokenAuth[OAuthToken]):
    """OAuth 2.0 authorization-code grant for QBO, as an ``httpx.Auth``.

    The flow adds ``Authorization: Bearer``; it refreshes first when the access token is expired (or
    within ``refresh_margin``) and once more when the API answers 401. Refreshes are single-flight
    across threads, tasks and event loops (and processes sharing a :class:`FileTokenStore`); the
    rotated refresh token is saved before it is used. An ``invalid_grant`` answer raises
    :class:`~msplink.errors.ReauthorizationRequiredError`, and every later call fails fast the same
    way, without asking again, until the store holds another grant.

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

    Attributes:
        token_requests: Refresh requests sent (also :attr:`refresh_count`).
    """

    platform = "quickbooks"

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
        for name, url in (("token_url", token_url), ("revoke_url", revoke_url)):
            if not url.startswith(("https://", "http://")):
                raise ConfigurationError(f"{name} must be an http(s) URL")
        super().__init__(store=store)
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

    def __repr__(self) -> str:
        return f"QuickBooksOAuth2(client_id={self.client_id!r}, client_secret='***', store={self.store!r})"

    @property
    def refresh_count(self) -> int:
        """Refresh requests sent so far (the same count as :attr:`token_requests`)."""
        return self.token_requests

    # ---- requests (pure)

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
        if not code:
            raise ConfigurationError("exchange_code needs the authorization code")
        return self._token_request(
            {"grant_type": "authorization_code", "code": code, "redirect_uri": self.redirect_uri}
        )

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

    # ---- answers

    def _refusal(self, response: httpx.Response, path: str) -> APIError:
        try:
            details = details_from_body(loads_json(response.content or b"{}"))
        except (ValueError, TypeError, AttributeError):
            details = ()
        if not details:
            details = (ErrorDetail(code=None, message=f"token endpoint answered {response.status_code}"),)
        cls = classify_details(details)
        return token_endpoint_error(
            self.platform,
            response,
            details,
            path=path,
            reauthorize=cls is not None and issubclass(cls, ReauthorizationRequiredError),
            request_id=response.headers.get("intuit_tid"),
        )

    def _read_token(self, response: httpx.Response, realm_id: str | None) -> OAuthToken:
        if response.status_code != 200:
            raise self._refusal(response, _TOKEN_PATH)
        try:
            data = loads_json(response.content)
        except ValueError:
            raise malformed_token_response(
                self.platform, response, path=_TOKEN_PATH, why="not JSON"
            ) from None
        try:
            return OAuthToken.from_response(data, now=self._now(), realm_id=realm_id)
        except ValueError as exc:  # the message names the field, never its value
            raise malformed_token_response(self.platform, response, path=_TOKEN_PATH, why=str(exc)) from None

    def _required(self, token: OAuthToken | None) -> OAuthToken:
        if token is None:
            raise ReauthorizationRequiredError(
                "quickbooks: no token in the store; authorize the app first",
                platform=self.platform,
                status_code=401,
                method="",
                path="",
            )
        return token

    # ---- TokenAuth hooks

    def _current(self) -> OAuthToken | None:
        return self.store.load()

    def _is_fresh(self, token: OAuthToken) -> bool:
        return bool(token.access_token) and not token.is_expired(self._now(), self.refresh_margin)

    def _renewal_request(self, current: OAuthToken | None) -> httpx.Request:
        refresh_token = self._required(current).refresh_token
        return self._token_request({"grant_type": "refresh_token", "refresh_token": refresh_token})

    def _accept(self, response: httpx.Response, current: OAuthToken | None) -> OAuthToken:
        token = self._read_token(response, current.realm_id if current is not None else None)
        self.store.save(token)
        return token

    def _authorize(self, request: httpx.Request, token: OAuthToken) -> None:
        request.headers["Authorization"] = f"Bearer {token.access_token}"

    def _grant_key(self, current: OAuthToken | None) -> str | None:
        return current.refresh_token if current is not None else None

    # ---- standalone calls: one flow each, run by a sync or an async client

    def _exchange_flow(self, code: str, realm_id: str | None) -> AuthFlow[OAuthToken]:
        request = self._code_request(code)
        yield Acquire(self._locks)
        token = self._read_token((yield request), realm_id)
        self.store.save(token)
        self._settle(None)
        yield Release()
        return token

    def _revoke_flow(self, token: str | None) -> AuthFlow[None]:
        response = yield self._revoke_request(token or self._required(self.store.load()).refresh_token)
        if response.status_code != 200:
            raise self._refusal(response, _REVOKE_PATH)

    def _send(self, request: httpx.Request) -> httpx.Response:
        transport = self._transport if isinstance(self._transport, httpx.BaseTransport) else None
        with httpx.Client(transport=transport, timeout=30.0) as client:
            return client.send(request)

    async def _asend(self, request: httpx.Request) -> httpx.Response:
        transport = self._transport if isinstance(self._transport, httpx.AsyncBaseTransport) else None
        async with httpx.AsyncClient(transport=transport, timeout=30.0) as client:
            return await client.send(request)

    def exchange_code(self, code: str, *, realm_id: str | None = None) -> OAuthToken:
        """Exchange an authorization code for tokens (POST /oauth2/v1/tokens/bearer) and save them.

        Raises:
            ReauthorizationRequiredError: The code is invalid or was already used (``invalid_grant``).
            TransportError: The token endpoint could not be reached.
        """
        return run_flow(self._exchange_flow(code, realm_id), self._send, platform=self.platform)

    async def aexchange_code(self, code: str, *, realm_id: str | None = None) -> OAuthToken:
        """Async twin of :meth:`exchange_code` (POST /oauth2/v1/tokens/bearer)."""
        return await arun_flow(self._exchange_flow(code, realm_id), self._asend, platform=self.platform)

    def refresh(self) -> OAuthToken:
        """Refresh now (POST /oauth2/v1/tokens/bearer), single-flight, and save the rotated pair.

        Raises:
            ReauthorizationRequiredError: The refresh token is invalid (``invalid_grant``) or the
                store is empty.
            TransportError: The token endpoint could not be reached.
        """
        return run_flow(self._renewal(None, forced=True), self._send, platform=self.platform)

    async def arefresh(self) -> OAuthToken:
        """Async twin of :meth:`refresh` (POST /oauth2/v1/tokens/bearer)."""
        return await arun_flow(self._renewal(None, forced=True), self._asend, platform=self.platform)

    def revoke(self, token: str | None = None) -> None:
        """Revoke the grant (POST /v2/oauth2/tokens/revoke), by default with the stored refresh token.

        Raises:
            AuthenticationError: The revoke endpoint refused.
            TransportError: The revoke endpoint could not be reached.
        """
        run_flow(self._revoke_flow(token), self._send, platform=self.platform)

    async def arevoke(self, token: str | None = None) -> None:
        """Async twin of :meth:`revoke` (POST /v2/oauth2/tokens/revoke)."""
        await arun_flow(self._revoke_flow(token), self._asend, platform=self.platform)


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
