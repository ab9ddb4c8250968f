"""Bearer-token auth with single-flight renewal, written once for QuickBooks and Salesforce.

:class:`TokenAuth` is an ``httpx.Auth`` whose logic is one generator (:meth:`TokenAuth._flow`) of
steps: an ``httpx.Request`` to send, :class:`Acquire` (take the renewal locks) or :class:`Release`.
Four small drivers run such a flow: :func:`drive` / :func:`adrive` inside httpx (the sync and async
auth flows) and :func:`run_flow` / :func:`arun_flow` with a client of their own (standalone calls
such as QBO ``refresh()``). The drivers differ only in how they wait, so the twins share every
decision, and every lock taken is released however the flow ends.

Renewal is single-flight across threads, asyncio tasks and event loops together: the renewal locks
are :class:`~msplink._core._tokens.FlightLock` (the auth's own) plus the store's lock when it has
one (a :class:`~msplink._core._tokens.FileTokenStore` lock also holds across processes). Whoever
takes the locks first asks the token endpoint; the others re-read the token and use the new one.
A definitive refusal (HTTP 4xx other than 429) is shared with everyone who was waiting for that
renewal, and an ``invalid_grant`` (:class:`~msplink.errors.ReauthorizationRequiredError`) is
remembered: later callers fail fast, without asking again, until the stored grant changes (a user
authorised again). A transient failure (5xx, 429, connection) is not shared: the next waiter tries.
"""

from __future__ import annotations

import abc
import re
import threading
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator, Sequence
from typing import Any, ClassVar, Generic, TypeAlias, TypeVar

import attrs
import httpx

from msplink._core._converter import loads_json
from msplink._core._hints import os_reason
from msplink._core._retry import parse_retry_after
from msplink._core._tokens import FlightLock, TokenLock
from msplink.errors import (
    APIError,
    AuthenticationError,
    ConfigurationError,
    ErrorDetail,
    MsplinkError,
    RateLimitError,
    ReauthorizationRequiredError,
    RequestTimeoutError,
    ServerError,
    TransportError,
)

__all__ = [
    "Acquire",
    "AuthFlow",
    "Release",
    "TokenAuth",
    "adrive",
    "arun_flow",
    "drive",
    "malformed_token_response",
    "oauth_details",
    "run_flow",
    "token_endpoint_error",
    "token_transport_error",
    "trusted_origin",
]

T = TypeVar("T")
R = TypeVar("R")
E = TypeVar("E", bound=BaseException)


@attrs.frozen
class Acquire:
    """A flow step: take these locks, in order (the driver waits as its kind of caller must)."""

    locks: tuple[TokenLock, ...]


@attrs.frozen
class Release:
    """A flow step: release every lock the flow holds."""


AuthStep: TypeAlias = "httpx.Request | Acquire | Release"
AuthFlow: TypeAlias = Generator[AuthStep, Any, R]
"""A flow: yields steps, receives the ``httpx.Response`` of each request (``None`` otherwise)."""


# ---------------------------------------------------------------------------------------- drivers


def _release(held: list[TokenLock]) -> None:
    while held:
        held.pop().release()


def drive(flow: AuthFlow[R]) -> Generator[httpx.Request, httpx.Response, R]:
    """Run a flow as an httpx sync auth flow: yield its requests, take its locks blocking."""
    held: list[TokenLock] = []
    try:
        step = next(flow)
        while True:
            if isinstance(step, httpx.Request):
                response = yield step
                response.read()
                step = flow.send(response)
                continue
            if isinstance(step, Acquire):
                for lock in step.locks:
                    lock.acquire()
                    held.append(lock)
            else:
                _release(held)
            step = flow.send(None)
    except StopIteration as stop:
        return stop.value  # type: ignore[no-any-return]
    finally:
        try:
            flow.close()
        finally:
            _release(held)


async def adrive(flow: AuthFlow[Any]) -> AsyncGenerator[httpx.Request, httpx.Response]:
    """Run a flow as an httpx async auth flow: yield its requests, await its locks."""
    held: list[TokenLock] = []
    try:
        step = next(flow)
        while True:
            if isinstance(step, httpx.Request):
                response = yield step
                await response.aread()
                step = flow.send(response)
                continue
            if isinstance(step, Acquire):
                for lock in step.locks:
                    await lock.acquire_async()
                    held.append(lock)
            else:
                _release(held)
            step = flow.send(None)
    except StopIteration:
        return
    finally:
        try:
            flow.close()
        finally:
            _release(held)


def token_transport_error(platform: str, request: httpx.Request, exc: Exception) -> TransportError:
    """The typed error for a token-endpoint exchange that failed before a response arrived."""
    cls = RequestTimeoutError if isinstance(exc, httpx.TimeoutException) else TransportError
    path = request.url.path
    reason = os_reason(exc)
    detail = f"{type(exc).__name__}: {reason}" if reason else type(exc).__name__
    return cls(
        f"{platform} POST {path}: {detail} (host {request.url.host})",
        platform=platform,
        method="POST",
        path=path,
    )


def run_flow(flow: AuthFlow[R], send: Callable[[httpx.Request], httpx.Response], *, platform: str) -> R:
    """Run a flow with a sync sender (a standalone call); connection failures become ``TransportError``."""
    steps = drive(flow)
    try:
        request = next(steps)
        while True:
            try:
                response = send(request)
            except (httpx.TransportError, httpx.DecodingError) as exc:
                raise token_transport_error(platform, request, exc) from None
            request = steps.send(response)
    except StopIteration as stop:
        return stop.value  # type: ignore[no-any-return]
    finally:
        steps.close()


def _boxed(flow: AuthFlow[R], box: list[R]) -> AuthFlow[None]:
    box.append((yield from flow))


async def arun_flow(
    flow: AuthFlow[R], send: Callable[[httpx.Request], Awaitable[httpx.Response]], *, platform: str
) -> R:
    """Async twin of :func:`run_flow` (the same flow, awaited)."""
    box: list[R] = []
    steps = adrive(_boxed(flow, box))
    try:
        request = await steps.__anext__()
        while True:
            try:
                response = await send(request)
            except (httpx.TransportError, httpx.DecodingError) as exc:
                raise token_transport_error(platform, request, exc) from None
            request = await steps.asend(response)
    except StopAsyncIteration:
        return box[0]
    finally:
        await steps.aclose()


# ----------------------------------------------------------------------------- token-endpoint errors


def oauth_details(response: httpx.Response) -> tuple[ErrorDetail, ...]:
    """The ``{"error", "error_description"}`` of an OAuth error body; never raises, never quotes the body."""
    try:
        body = loads_json(response.content or b"{}")
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("error"), str):
        description = body.get("error_description")
        message = description if isinstance(description, str) and description else body["error"]
        return (ErrorDetail(code=body["error"], message=message[:300]),)
    return (ErrorDetail(code=None, message=f"token endpoint answered {response.status_code}"),)


def token_endpoint_error(
    platform: str,
    response: httpx.Response,
    details: Sequence[ErrorDetail],
    *,
    path: str,
    reauthorize: bool,
    request_id: str | None = None,
) -> APIError:
    """The typed error of a refused token request.

    5xx is a :class:`ServerError` and 429 a :class:`RateLimitError` (both transient); otherwise a
    :class:`ReauthorizationRequiredError` when the vendor says the grant is gone (``reauthorize``),
    else an :class:`AuthenticationError`.
    """
    status = response.status_code
    common: dict[str, Any] = {
        "platform": platform,
        "status_code": status,
        "method": "POST",
        "path": path,
        "errors": tuple(details),
        "request_id": request_id,
        "response": response,
    }
    if status >= 500:
        return ServerError(**common)
    if status == 429:
        return RateLimitError(retry_after=parse_retry_after(response.headers.get("Retry-After")), **common)
    if reauthorize:
        return ReauthorizationRequiredError(**common)
    return AuthenticationError(**common)


def malformed_token_response(platform: str, response: httpx.Response, *, path: str, why: str) -> APIError:
    """The typed error of a token answer that cannot be used (not JSON, wrong shape, untrusted URL)."""
    return APIError(
        platform=platform,
        status_code=response.status_code,
        method="POST",
        path=path,
        errors=(ErrorDetail(code="malformed_token_response", message=why),),
        response=response,
    )


_HOST_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
_DNS_NAME = re.compile(rf"{_HOST_LABEL}(?:\.{_HOST_LABEL})+\Z")


def trusted_origin(url: object, *, domains: Sequence[str], origins: Sequence[str] = ()) -> str:
    """Check a URL a server answer told us to send credentials to; return its origin.

    Accepted: exactly one of ``origins`` (scheme, host and port as configured, e.g. the token URL,
    which may be a local ``http://`` sandbox); or ``https`` on the default port to a DNS host name
    under one of ``domains``. Never: user info, a path, a query or a fragment.

    Raises:
        ValueError: The URL is not acceptable (the message names the host, never a credential).
    """
    if not isinstance(url, str) or not url:
        raise ValueError("not a URL")
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError, TypeError):
        raise ValueError("not a URL") from None
    if parsed.userinfo or parsed.query or parsed.fragment or parsed.path not in ("", "/"):
        raise ValueError("an origin must not carry user info, a path, a query or a fragment")
    host = parsed.host.lower()
    origin = f"{parsed.scheme}://{host}" + (f":{parsed.port}" if parsed.port else "")
    for allowed in origins:
        configured = httpx.URL(allowed)
        port = configured.port
        if (configured.scheme, configured.host.lower(), port) == (parsed.scheme, host, parsed.port):
            return origin
    if parsed.scheme != "https" or parsed.port not in (None, 443):
        raise ValueError(f"{host or 'the URL'} is not https on the default port")
    if not _DNS_NAME.match(host) or not any(host.endswith("." + d.lower().strip(".")) for d in domains):
        raise ValueError(f"{host or 'the URL'} is not a host of the vendor")
    return f"https://{host}"


def _again(exc: E) -> E:
    """A fresh copy of an exception to raise in another caller (tracebacks are never shared)."""
    clone = type(exc).__new__(type(exc))
    clone.__dict__.update(exc.__dict__)
    clone.args = exc.args
    return clone


def _definitive(exc: MsplinkError) -> bool:
    return isinstance(exc, APIError) and 400 <= exc.status_code < 500 and not isinstance(exc, RateLimitError)


# -------------------------------------------------------------------------------------- the auth


class TokenAuth(httpx.Auth, Generic[T], metaclass=abc.ABCMeta):
    """An ``httpx.Auth`` that adds a bearer token, renews it single-flight, and replays once on refusal.

    Vendors implement the hooks (where the token lives, when it is fresh, the renewal request, how
    the answer is read and kept); the flow, the locking and the failure sharing live here once.

    Attributes:
        token_requests: Renewal requests sent to the token endpoint by this auth object.
    """

    requires_response_body = True
    platform: ClassVar[str] = ""

    def __init__(self, *, store: object | None = None) -> None:
        self._flight = FlightLock()
        store_lock = getattr(store, "lock", None)
        self._locks: tuple[TokenLock, ...] = (self._flight,) + (
            (store_lock,) if isinstance(store_lock, TokenLock) else ()
        )
        self._generation = 0
        self._failure: MsplinkError | None = None
        self._dead: tuple[str, ReauthorizationRequiredError] | None = None
        self._count_lock = threading.Lock()
        self.token_requests = 0

    # ---- hooks

    @abc.abstractmethod
    def _current(self) -> T | None:
        """The token to use now (cheap: memory or the store), ``None`` when there is none."""

    def _reload(self) -> T | None:
        """The token, re-read under the renewal locks (another process may have renewed it)."""
        return self._current()

    @abc.abstractmethod
    def _is_fresh(self, token: T) -> bool:
        """Whether ``token`` can be used without renewing it first."""

    @abc.abstractmethod
    def _renewal_request(self, current: T | None) -> httpx.Request:
        """The token-endpoint request that renews ``current`` (raises when no renewal is possible)."""

    @abc.abstractmethod
    def _accept(self, response: httpx.Response, current: T | None) -> T:
        """Read a token answer (raising typed errors), keep the new token (memory, store), return it."""

    @abc.abstractmethod
    def _authorize(self, request: httpx.Request, token: T) -> None:
        """Put the token on an API request."""

    def _rejected(self, response: httpx.Response) -> bool:
        """Whether the API refused the token (renew once and replay)."""
        return response.status_code == 401

    def _can_renew(self) -> bool:
        """Whether this auth can get a new token at all."""
        return True

    def _grant_key(self, current: T | None) -> str | None:
        """What identifies the grant a renewal spends (a refresh token), for the revoked-grant memory."""
        return None

    # ---- the flow (one for sync and async)

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """The flow for ``httpx.Client``: waiting for a renewal blocks the calling thread."""
        return drive(self._flow(request))

    def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        """The flow for ``httpx.AsyncClient``: waiting for a renewal awaits, on any event loop."""
        return adrive(self._flow(request))

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """The sync flow (httpx calls :meth:`sync_auth_flow` / :meth:`async_auth_flow` directly)."""
        return self.sync_auth_flow(request)

    def _flow(self, request: httpx.Request) -> AuthFlow[None]:
        token = self._current()
        if self._can_renew() and (token is None or not self._is_fresh(token)):
            token = yield from self._renewal(token)
        if token is None:
            raise ConfigurationError(f"{type(self).__name__} has no token and cannot get one")
        self._authorize(request, token)
        response = yield request
        if self._can_renew() and self._rejected(response):
            token = yield from self._renewal(token)
            self._authorize(request, token)
            yield request

    def _renewal(self, seen: T | None, *, forced: bool = False) -> AuthFlow[T]:
        """Renew single-flight: reuse a token renewed meanwhile, share a definitive refusal, fail fast
        on a grant known to be revoked; otherwise ask the token endpoint and keep the answer."""
        generation = self._generation
        yield Acquire(self._locks)
        current = self._reload()
        key = self._grant_key(current)
        if not forced:
            if self._generation != generation and self._failure is not None:
                raise _again(self._failure)
            if current is not None and current != seen and self._is_fresh(current):
                yield Release()
                return current
            if key is not None and self._dead is not None and self._dead[0] == key:
                raise _again(self._dead[1])
        request = self._renewal_request(current)
        with self._count_lock:
            self.token_requests += 1
        response = yield request
        try:
            token = self._accept(response, current)
        except MsplinkError as exc:
            self._settle(exc if _definitive(exc) else None)
            if key is not None and isinstance(exc, ReauthorizationRequiredError):
                self._dead = (key, exc)
            raise
        self._settle(None)
        yield Release()
        return token

    def _settle(self, failure: MsplinkError | None) -> None:
        """Record the outcome of a renewal (called with the renewal locks held)."""
        self._generation += 1
        self._failure = failure
