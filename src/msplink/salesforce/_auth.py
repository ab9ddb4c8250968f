"""Salesforce OAuth 2.0 as ``httpx.Auth`` strategies (STYLE R29-R30).

Each strategy mints an access token at the token endpoint (``POST /services/oauth2/token``) on first
use, rewrites the request to the token's ``instance_url`` (the client's base URL is resolved
lazily), and on ``401 INVALID_SESSION_ID`` mints a new token once and replays the request. A second
401 surfaces as :class:`msplink.errors.AuthenticationError`. No username-password flow: it is being
retired.

Minting is single-flight across threads, asyncio tasks and event loops together (the flow is
:class:`msplink._core.TokenAuth`, shared with QuickBooks). The ``instance_url`` of a token answer
is where the session id will be sent, so it must be ``https`` on a Salesforce host (or exactly the
configured token host, e.g. a local sandbox) before it is used.
"""

from __future__ import annotations

import base64
import os
import re
import threading
import time
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any, ClassVar, Protocol, runtime_checkable

import attrs
import httpx

from msplink._core import FileTokenStore as _FileTokenStore
from msplink._core import MemoryTokenStore as _MemoryTokenStore
from msplink._core import (
    TokenAuth,
    loads_json,
    malformed_token_response,
    oauth_details,
    optional_datetime,
    optional_text,
    require_text,
    token_endpoint_error,
    trusted_origin,
)
from msplink._core import TokenStore as _TokenStore
from msplink.errors import APIError, ConfigurationError

__all__ = [
    "DEFAULT_LOGIN_URL",
    "INSTANCE_DOMAINS",
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

INSTANCE_DOMAINS = ("salesforce.com", "salesforce.mil", "sfcrmproducts.cn")
"""Domains an ``instance_url`` from a token answer may name (My Domain hosts such as
``acme.my.salesforce.com``, ``…sandbox.my.salesforce.com``, Government Cloud ``…my.salesforce.mil``,
Alibaba Cloud ``…my.sfcrmproducts.cn``); besides them only the configured token host itself."""

_TOKEN_TEXT = re.compile(r"[\x21-\x7e]{1,4096}\Z")


def _token_text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not _TOKEN_TEXT.match(value):
        raise ValueError(f"{key} is missing or not a token")
    return value


def _text_or_none(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) else None


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
    def from_api(cls, data: Mapping[str, Any], *, refresh_token: str | None = None) -> Token:
        """Parse a token answer (POST /services/oauth2/token); keep ``refresh_token`` unless it rotates.

        Raises:
            ValueError: A field is missing or has the wrong shape (the message names the field only).
        """
        if not isinstance(data, Mapping):
            raise ValueError("the token answer is not a JSON object")
        instance_url = data.get("instance_url")
        if not isinstance(instance_url, str) or not instance_url:
            raise ValueError("instance_url is missing")
        token_type = data.get("token_type") or "Bearer"
        if not isinstance(token_type, str) or token_type.lower() != "bearer":
            raise ValueError("token_type is not Bearer")
        issued = data.get("issued_at")
        issued_at = None
        if isinstance(issued, str) and issued.isdigit() and len(issued) <= 15:
            issued_at = datetime.fromtimestamp(int(issued) / 1000, tz=timezone.utc)
        rotated = _token_text(data, "refresh_token") if data.get("refresh_token") is not None else None
        return cls(
            access_token=_token_text(data, "access_token"),
            instance_url=instance_url.rstrip("/"),
            token_type="Bearer",
            scope=_text_or_none(data, "scope"),
            id=_text_or_none(data, "id"),
            issued_at=issued_at,
            refresh_token=rotated or refresh_token,
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (for token stores; it contains the secrets)."""
        return {
            "access_token": self.access_token,
            "instance_url": self.instance_url,
            "token_type": self.token_type,
            "scope": self.scope,
            "id": self.id,
            "issued_at": self.issued_at.isoformat() if self.issued_at else None,
            "refresh_token": self.refresh_token,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Token:
        """The inverse of :meth:`to_dict` (``access_token`` may be empty when a refresh token is kept).

        Raises:
            ConfigurationError: A field is missing or mistyped (named; its value is never quoted).
        """
        instance_url = require_text(data, "instance_url")
        if not instance_url.startswith(("https://", "http://")):
            raise ConfigurationError("field 'instance_url' must be an http(s) URL")
        access_token = optional_text(data, "access_token") or ""
        refresh_token = optional_text(data, "refresh_token")
        if not access_token and not refresh_token:
            raise ConfigurationError("an access_token or a refresh_token is required")
        return cls(
            access_token=access_token,
            instance_url=instance_url.rstrip("/"),
            token_type=optional_text(data, "token_type") or "Bearer",
            scope=optional_text(data, "scope"),
            id=optional_text(data, "id"),
            issued_at=optional_datetime(data, "issued_at"),
            refresh_token=refresh_token,
        )


@runtime_checkable
class TokenStore(_TokenStore[Token], Protocol):
    """Where a refresh-token strategy keeps its token (:class:`msplink._core.TokenStore` of :class:`Token`).

    Rotated refresh tokens must be persisted. A ``lock`` attribute (:class:`msplink._core.TokenLock`)
    makes renewals single-flight across everything sharing the store.
    """


class MemoryTokenStore(_MemoryTokenStore[Token]):
    """A :class:`TokenStore` in memory (tests, short scripts); ``saves`` counts the saves."""


class FileTokenStore(_FileTokenStore[Token]):
    """A :class:`TokenStore` in a JSON file: 0600, replaced atomically, locked across processes.

    Args:
        path: The JSON file (``~`` is expanded). A ``<name>.lock`` file beside it is the
            inter-process renewal lock.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__(path, decode=Token.from_dict, encode=Token.to_dict)


def _is_invalid_session(response: httpx.Response) -> bool:
    if response.status_code != 401:
        return False
    try:
        body = loads_json(response.content or b"null")
    except ValueError:
        return True
    items = body if isinstance(body, list) else [body]
    return any(isinstance(i, dict) and i.get("errorCode") == "INVALID_SESSION_ID" for i in items) or not body


class SalesforceAuth(TokenAuth[Token]):
    """Base of the Salesforce strategies: token on first use, lazy instance URL, one replay on 401.

    Args:
        login_url: The token host (``https://login.salesforce.com``, ``https://test.salesforce.com``
            or the org's My Domain).
        token_url: The token endpoint, when it is not ``{login_url}/services/oauth2/token``.
        max_token_age: Renew the token proactively after this many seconds.
        clock: Monotonic clock for ``max_token_age``.
        store: Where the token is kept between runs (refresh-token flow).
    """

    platform = "salesforce"
    _invalid_grant_needs_reauthorization: ClassVar[bool] = False

    def __init__(
        self,
        *,
        login_url: str = DEFAULT_LOGIN_URL,
        token_url: str | None = None,
        max_token_age: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        store: TokenStore | None = None,
    ) -> None:
        if not login_url.startswith(("https://", "http://")):
            raise ConfigurationError("login_url must be an http(s) URL")
        if token_url is not None and not token_url.startswith(("https://", "http://")):
            raise ConfigurationError("token_url must be an http(s) URL")
        if max_token_age is not None and max_token_age <= 0:
            raise ConfigurationError("max_token_age must be positive seconds")
        super().__init__(store=store)
        self.max_token_age = max_token_age
        self._clock = clock
        self._minted_at = clock()
        self.login_url = login_url.rstrip("/")
        self.token_url = token_url or self.login_url + TOKEN_PATH
        self._token: Token | None = None
        self._state = threading.Lock()

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
        with self._state:
            self._token = None

    def _keep(self, token: Token) -> None:
        with self._state:
            self._token = token
            self._minted_at = self._clock()

    def _trusted(self, token: Token) -> Token:
        """The token, once its ``instance_url`` is a Salesforce host (or the token host itself)."""
        origin = trusted_origin(token.instance_url, domains=INSTANCE_DOMAINS, origins=(self.token_url,))
        return token if origin == token.instance_url else attrs.evolve(token, instance_url=origin)

    def _form(self, fields: dict[str, str], headers: dict[str, str] | None = None) -> httpx.Request:
        return httpx.Request(
            "POST", self.token_url, data=fields, headers={"Accept": "application/json", **(headers or {})}
        )

    def _refusal(self, response: httpx.Response) -> APIError:
        details = oauth_details(response)
        reauthorize = self._invalid_grant_needs_reauthorization and details[0].code == "invalid_grant"
        return token_endpoint_error(
            self.platform, response, details, path=TOKEN_PATH, reauthorize=reauthorize
        )

    def _saved(self, token: Token) -> None:
        """Persist a new token (the refresh-token strategy saves it to its store)."""

    def _refresh_token_of(self, current: Token | None) -> str | None:
        """The refresh token a renewal of ``current`` spends (and keeps, unless the answer rotates it)."""
        return current.refresh_token if current is not None else None

    @staticmethod
    def _prepare(request: httpx.Request, token: Token) -> None:
        request.headers["Authorization"] = f"Bearer {token.access_token}"
        if request.url.host == PLACEHOLDER_HOST:
            target = httpx.URL(token.instance_url)
            request.url = request.url.copy_with(scheme=target.scheme, host=target.host, port=target.port)
            request.headers["Host"] = target.netloc.decode("ascii")

    # ---- TokenAuth hooks

    def _current(self) -> Token | None:
        return self._token

    def _is_fresh(self, token: Token) -> bool:
        if not token.access_token:
            return False
        return self.max_token_age is None or self._clock() - self._minted_at < self.max_token_age

    def _renewal_request(self, current: Token | None) -> httpx.Request:
        raise ConfigurationError(f"{type(self).__name__} cannot mint tokens")

    def _accept(self, response: httpx.Response, current: Token | None) -> Token:
        if response.status_code != 200:
            raise self._refusal(response)
        try:
            data = loads_json(response.content)
        except ValueError:
            raise malformed_token_response(self.platform, response, path=TOKEN_PATH, why="not JSON") from None
        try:
            token = self._trusted(Token.from_api(data, refresh_token=self._refresh_token_of(current)))
        except ValueError as exc:  # names the field or the host, never a secret
            why = f"refused: {exc}"
            raise malformed_token_response(self.platform, response, path=TOKEN_PATH, why=why) from None
        self._saved(token)
        self._keep(token)
        return token

    def _authorize(self, request: httpx.Request, token: Token) -> None:
        self._prepare(request, token)

    def _rejected(self, response: httpx.Response) -> bool:
        return _is_invalid_session(response)


class AccessTokenAuth(SalesforceAuth):
    """A fixed access token and instance URL (no re-authentication possible)."""

    def __init__(self, *, access_token: str, instance_url: str) -> None:
        super().__init__()
        if not access_token or not instance_url.startswith(("https://", "http://")):
            raise ConfigurationError("access_token and an http(s) instance_url are required")
        self._token = Token(access_token=access_token, instance_url=instance_url.rstrip("/"))

    def _can_renew(self) -> bool:
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

    def _renewal_request(self, current: Token | None) -> httpx.Request:
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

    def _renewal_request(self, current: Token | None) -> httpx.Request:
        return self._form(
            {"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion": self.assertion()}
        )


class RefreshTokenAuth(SalesforceAuth):
    """OAuth refresh-token flow for a user who authorised msplink (rotated tokens go to the store).

    With refresh-token rotation on, each refresh spends the stored refresh token, so refreshes are
    single-flight across threads, tasks, event loops and (with a :class:`FileTokenStore`) processes:
    the token is re-read from the store under the store's lock before a refresh is asked for. An
    ``invalid_grant`` raises :class:`~msplink.errors.ReauthorizationRequiredError`; later calls fail
    fast the same way until the store holds another refresh token.

    Args:
        client_id: The consumer key.
        client_secret: The consumer secret (optional for PKCE apps).
        store: Holds the token; its refresh token is read at first use, new tokens are saved.
        refresh_token: An initial refresh token when the store is empty.
        login_url: The token host.
        max_token_age: Renew the token proactively after this many seconds.
        clock: Monotonic clock for ``max_token_age``.

    Raises:
        ConfigurationError: No refresh token anywhere.
    """

    _invalid_grant_needs_reauthorization = True

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
        store = store if store is not None else MemoryTokenStore()
        super().__init__(login_url=login_url, max_token_age=max_token_age, clock=clock, store=store)
        if not client_id:
            raise ConfigurationError("client_id is required")
        self.client_id = client_id
        self._client_secret = client_secret
        self.store: TokenStore = store
        self._initial_refresh = refresh_token
        self._loaded = False

    def _current(self) -> Token | None:
        if self._token is None and not self._loaded:
            self._loaded = True
            stored = self.store.load()
            if stored is not None and stored.access_token:
                self._keep(self._trusted_stored(stored))
        return self._token

    def _reload(self) -> Token | None:
        stored, memory = self.store.load(), self._token
        if stored is None or stored == memory:
            return memory
        if stored.access_token:  # renewed by another process (or auth object) meanwhile
            self._keep(self._trusted_stored(stored))
            return self._token
        if memory is not None and memory.refresh_token == stored.refresh_token:
            return memory  # a store that keeps only the refresh token: memory is the newer half
        self.invalidate()  # a user authorised again: only the stored refresh token is good now
        return stored

    def _trusted_stored(self, token: Token) -> Token:
        try:
            return self._trusted(token)
        except ValueError as exc:
            raise ConfigurationError(f"the stored Salesforce token is refused: instance_url {exc}") from None

    def _refresh_token_of(self, current: Token | None) -> str | None:
        return (current.refresh_token if current is not None else None) or self._initial_refresh

    def _grant_key(self, current: Token | None) -> str | None:
        return self._refresh_token_of(current)

    def _renewal_request(self, current: Token | None) -> httpx.Request:
        refresh = self._refresh_token_of(current)
        if not refresh:
            raise ConfigurationError("RefreshTokenAuth has no refresh token (store empty, none given)")
        fields = {"grant_type": "refresh_token", "client_id": self.client_id, "refresh_token": refresh}
        if self._client_secret:
            fields["client_secret"] = self._client_secret
        return self._form(fields)

    def _saved(self, token: Token) -> None:
        self.store.save(token)
