"""Running a :class:`~msplink._core.Call` over httpx: auth, rate limits, retries, errors, logging.

The vendor clients are thin shells over :class:`SyncExecutor` and :class:`AsyncExecutor`; every
vendor difference (error bodies, classification, transient codes, request-id header, default rate
limit) is data in a :class:`Platform`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import platform as _python_platform
import threading
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

import attrs
import cattrs
import httpx
import tenacity

from msplink._core._call import Call
from msplink._core._converter import dumps
from msplink._core._hints import HintFor, os_reason, with_hint
from msplink._core._hooks import ParseError
from msplink._core._plan import Plan, arun_plan, run_plan
from msplink._core._progress import note_wait
from msplink._core._ratelimit import AsyncRateLimiter, RateLimit, RateLimiter
from msplink._core._retry import RetryPolicy, parse_retry_after
from msplink._version import __version__
from msplink.errors import (
    APIError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    ErrorDetail,
    MsplinkError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestTimeoutError,
    ServerError,
    TransportError,
)

__all__ = [
    "DEFAULT_TIMEOUT",
    "AsyncExecutor",
    "CallCounter",
    "Platform",
    "SyncExecutor",
    "build_api_error",
    "error_class_for_status",
    "handle_response",
    "user_agent",
]

T = TypeVar("T")
_SyncE = TypeVar("_SyncE", bound="SyncExecutor")
_C = TypeVar("_C", httpx.Client, httpx.AsyncClient)
_PARSED_URLS = 512
"""Parsed URLs an executor keeps (all dropped when full)."""
_AsyncE = TypeVar("_AsyncE", bound="AsyncExecutor")

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
"""30 s for reads and writes, 5 s to connect. "No timeout" is never a default."""

_PARSE_FAILURES: tuple[type[BaseException], ...] = (
    ValueError,
    KeyError,
    TypeError,
    IndexError,
    AttributeError,
    UnicodeDecodeError,
    RecursionError,
    cattrs.BaseValidationError,
    httpx.DecodingError,
)


def _no_details(response: httpx.Response) -> tuple[ErrorDetail, ...]:
    return ()


def _no_classification(response: httpx.Response, details: tuple[ErrorDetail, ...]) -> type[APIError] | None:
    return None


@attrs.frozen(kw_only=True)
class Platform:
    """What differs between vendors for the executor.

    Attributes:
        name: ``connectwise``, ``quickbooks`` or ``salesforce`` (also the logger suffix).
        parse_errors: Parses an error body into details; must not raise (return ``()`` instead).
        classify: Picks an error class by meaning (stale SyncToken -> ConflictError); ``None`` falls
            back to the status code.
        request_id_header: The vendor's request id response header.
        transient_codes: Vendor error codes that are always safe to retry.
        is_transient: A vendor rule marking other errors as safe to retry (refused, nothing written).
        default_rate_limit: The client-side limit used when the caller gives none.
    """

    name: str
    parse_errors: Callable[[httpx.Response], tuple[ErrorDetail, ...]] = _no_details
    classify: Callable[[httpx.Response, tuple[ErrorDetail, ...]], type[APIError] | None] = _no_classification
    request_id_header: str | None = None
    transient_codes: frozenset[str] = frozenset()
    is_transient: Callable[[APIError], bool] | None = None
    default_rate_limit: RateLimit = RateLimit()


def user_agent(app_name: str | None = None) -> str:
    """The User-Agent msplink sends: ``msplink/<v> httpx/<v> python/<v>`` plus the app name."""
    agent = f"msplink/{__version__} httpx/{httpx.__version__} python/{_python_platform.python_version()}"
    return f"{agent} {app_name}" if app_name else agent


_STATUS_CLASSES: Mapping[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    412: ConflictError,
    429: RateLimitError,
}


def error_class_for_status(status: int) -> type[APIError]:
    """The default error class of an HTTP status."""
    if status in _STATUS_CLASSES:
        return _STATUS_CLASSES[status]
    if status >= 500:
        return ServerError
    if 400 <= status < 500:
        return BadRequestError
    return APIError


def build_api_error(
    platform: Platform,
    call: Call[Any],
    response: httpx.Response,
    *,
    details: tuple[ErrorDetail, ...] | None = None,
    cls: type[APIError] | None = None,
    message: str | None = None,
) -> APIError:
    """Build the typed error for a failed response (status >= 400 or a fault inside a 2xx).

    Args:
        platform: The vendor description.
        call: The call that failed (its path template goes into the message).
        response: The response.
        details: Already-parsed details; parsed with ``platform.parse_errors`` when omitted.
        cls: Force an error class; otherwise classified by meaning, then by status.
        message: Override the one-line message.
    """
    if details is None:
        try:
            details = tuple(platform.parse_errors(response))
        except Exception:
            details = ()
    chosen = cls or platform.classify(response, details) or error_class_for_status(response.status_code)
    request_id = response.headers.get(platform.request_id_header) if platform.request_id_header else None
    common: dict[str, Any] = {
        "platform": platform.name,
        "status_code": response.status_code,
        "method": call.method.upper(),
        "path": call.template,
        "errors": details,
        "request_id": request_id,
        "response": response,
    }
    if issubclass(chosen, RateLimitError):
        return chosen(message, retry_after=parse_retry_after(response.headers.get("Retry-After")), **common)
    return chosen(message, **common)


def handle_response(platform: Platform, call: Call[T], response: httpx.Response) -> T:
    """Turn a response into the call's result or its typed error.

    A status >= 400 becomes an :class:`APIError` subclass; a body the parser cannot read (not JSON,
    truncated, wrong shape) becomes an :class:`APIError` carrying the status, never a bare
    ``ValueError`` or ``KeyError``.
    """
    if response.status_code >= 400:
        raise build_api_error(platform, call, response)
    try:
        return call.parse(response)
    except MsplinkError:
        raise
    except _PARSE_FAILURES as exc:
        where = f" at {exc.path}" if isinstance(exc, ParseError) else ""
        detail = ErrorDetail(
            code="malformed_response", message=f"unreadable response body ({type(exc).__name__}{where})"
        )
        raise build_api_error(platform, call, response, details=(detail,), cls=APIError) from exc


class CallCounter:
    """Counts the HTTP requests an executor sends (every attempt, retries included; token requests
    made by an auth flow are not API calls and are not counted). Shared by ``with_options`` copies.
    Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._total = 0

    def add(self) -> None:
        """Count one request."""
        with self._lock:
            self._total += 1

    @property
    def total(self) -> int:
        """Requests sent so far."""
        return self._total

    def reset(self) -> int:
        """Set the count back to zero; return what it was."""
        with self._lock:
            total, self._total = self._total, 0
        return total

    def __repr__(self) -> str:
        return f"CallCounter(total={self._total})"


class _LeanCookies(httpx.Cookies):
    """A cookie jar that reads a response's cookies only when it sets some.

    httpx hands every response to ``extract_cookies``, which wraps request and response in urllib
    adapters before the jar finds no ``Set-Cookie`` header: about a tenth of a request's CPU in
    msplink. The jar itself (what it keeps, what it sends) is httpx's.
    """

    def extract_cookies(self, response: httpx.Response) -> None:
        """Load the response's ``Set-Cookie`` (or RFC 2965 ``Set-Cookie2``) headers, if it has any."""
        headers = response.headers
        if "set-cookie" in headers or "set-cookie2" in headers:
            super().extract_cookies(response)


def _lean(client: _C) -> _C:
    """``client`` (one msplink created) with :class:`_LeanCookies` as its jar."""
    if type(getattr(client, "_cookies", None)) is httpx.Cookies:
        client._cookies = _LeanCookies(client.cookies)
    return client


def _origin(url: str) -> tuple[str, str, int | None]:
    parsed = httpx.URL(url)
    default = {"http": 80, "https": 443}.get(parsed.scheme)
    return parsed.scheme, parsed.host.lower(), parsed.port or default


class _ExecutorBase:
    """Configuration shared by the sync and async executors."""

    def __init__(
        self,
        *,
        platform: Platform,
        base_url: str | Callable[[], str],
        retry: RetryPolicy | None,
        timeout: httpx.Timeout | float | None,
        app_name: str | None,
        headers: Mapping[str, str] | None = None,
        hints: HintFor | None = None,
    ) -> None:
        if isinstance(base_url, str) and not base_url.startswith(("http://", "https://")):
            raise ConfigurationError(f"{platform.name}: base URL must start with http:// or https://")
        if retry is not None and not isinstance(retry, RetryPolicy):
            raise ConfigurationError("retry must be a RetryPolicy")
        self.platform = platform
        self._base_url = base_url
        self.retry = retry if retry is not None else RetryPolicy()
        if timeout is None:
            self.timeout = DEFAULT_TIMEOUT
        elif isinstance(timeout, httpx.Timeout):
            self.timeout = timeout
        elif isinstance(timeout, (int, float)) and not isinstance(timeout, bool) and timeout > 0:
            self.timeout = httpx.Timeout(float(timeout), connect=min(5.0, float(timeout)))
        else:
            raise ConfigurationError("timeout must be a positive number or an httpx.Timeout")
        self.app_name = app_name
        self.logger = logging.getLogger(f"msplink.{platform.name}")
        self._default_headers = self._headers(headers)
        self.api_calls = CallCounter()
        self.hints = hints
        self._urls: dict[str, httpx.URL] = {}

    def _hinted(self, exc: MsplinkError) -> MsplinkError:
        """Add the vendor's hint (what the likely mistake is) to an error on its way out."""
        if self.hints is not None and exc.hint is None:
            try:
                hint = self.hints(exc)
            except Exception:  # a hint must never hide the error it explains
                hint = None
            with_hint(exc, hint)
        return exc

    @property
    def base_url(self) -> str:
        """The base URL calls are relative to (it may be resolved lazily, e.g. Salesforce instance_url)."""
        value = self._base_url() if callable(self._base_url) else self._base_url
        return value.rstrip("/")

    def _url(self, call: Call[Any]) -> str:
        base = self.base_url
        if not call.path.startswith(("http://", "https://")):
            if not call.path.startswith("/"):
                # "@evil.example/x" glued to "https://host" would name another host.
                raise self._refused(call, "invalid_url", "a relative path that does not start with '/'")
            return base + call.path
        # An absolute URL (a Link header, a nextRecordsUrl, a locator) came from a response: the
        # credentials this executor attaches go only to the configured origin.
        try:
            same = _origin(call.path) == _origin(base)
        except (httpx.InvalidURL, ValueError):
            same = False
        if not same:
            raise self._refused(call, "foreign_url", "an absolute URL outside the configured base URL")
        return call.path

    def _refused(self, call: Call[Any], code: str, why: str) -> APIError:
        detail = ErrorDetail(code=code, message=f"refused to follow {why}")
        return APIError(
            platform=self.platform.name,
            status_code=0,
            method=call.method.upper(),
            path=call.template,
            errors=(detail,),
        )

    def _build(self, client: httpx.Client | httpx.AsyncClient, call: Call[Any]) -> httpx.Request:
        url = self._url(call)
        headers = {**self._default_headers, **call.headers}
        content = call.content
        if call.json is not None:
            content = dumps(call.json)
            headers.setdefault("Content-Type", "application/json")
        params: list[tuple[str, str | int | float | bool | None]] = [
            (k, v) for k, value in call.params.items() for v in ([value] if isinstance(value, str) else value)
        ]
        try:
            return client.build_request(
                call.method.upper(),
                self._parsed(url),
                params=params or None,
                content=content,
                headers=headers,
                timeout=self.timeout,
            )
        except httpx.InvalidURL as exc:
            raise self._refused(call, "invalid_url", f"an invalid URL ({exc})") from None

    def _parsed(self, url: str) -> httpx.URL:
        """``httpx.URL(url)``, parsed once per URL (a page walk, a batch endpoint and a collection's
        creates send the same URL again; parsing is a fifth of building a request). Raises
        ``httpx.InvalidURL`` as parsing does."""
        found = self._urls.get(url)
        if found is None:
            found = httpx.URL(url)
            if len(self._urls) >= _PARSED_URLS:
                self._urls.clear()
            self._urls[url] = found
        return found

    def _transport_error(
        self, call: Call[Any], exc: httpx.TransportError | httpx.DecodingError, request: httpx.Request
    ) -> TransportError:
        # An undecodable body (gzip that is not) is a lost response: the request may have been
        # applied, so it is retried only as an idempotent call would be. The message keeps the
        # operating system's reason (name resolution, refused, TLS) and the host, never the query.
        cls = RequestTimeoutError if isinstance(exc, httpx.TimeoutException) else TransportError
        # The request that failed: an auth flow's token request goes to another host.
        with contextlib.suppress(RuntimeError):
            request = exc.request
        reason = os_reason(exc)
        detail = f"{type(exc).__name__}: {reason}" if reason else type(exc).__name__
        return cls(
            f"{self.platform.name} {call.method.upper()} {call.template}: {detail} (host {request.url.host})",
            platform=self.platform.name,
            method=call.method.upper(),
            path=call.template,
        )

    def _log_attempt(
        self, call: Call[Any], response: httpx.Response | None, started: float, attempt: int
    ) -> None:
        if not self.logger.isEnabledFor(logging.DEBUG):
            return
        rid_header = self.platform.request_id_header
        request_id = response.headers.get(rid_header) if (response is not None and rid_header) else None
        self.logger.debug(
            "%s %s -> %s in %.0f ms (attempt %d, request_id=%s)",
            call.method.upper(),
            call.template,
            response.status_code if response is not None else "no response",
            (time.perf_counter() - started) * 1000,
            attempt,
            request_id,
        )

    def _before_sleep(self, call: Call[Any]) -> Callable[[tenacity.RetryCallState], None]:
        def log(state: tenacity.RetryCallState) -> None:
            exc = state.outcome.exception() if state.outcome is not None else None
            reason = (
                f"status {exc.status_code}"
                if isinstance(exc, APIError)
                else type(exc).__name__
                if exc
                else "?"
            )
            wait = state.next_action.sleep if state.next_action is not None else 0.0
            note_wait(wait, f"retrying after {reason}")
            self.logger.warning(
                "retrying %s %s in %.2f s after %s (attempt %d of %d)",
                call.method.upper(),
                call.template,
                wait,
                reason,
                state.attempt_number,
                self.retry.max_attempts,
            )

        return log

    def _retry_kwargs(self, call: Call[Any]) -> dict[str, Any]:
        return self.retry.tenacity_kwargs(
            idempotent=call.idempotent,
            transient_codes=self.platform.transient_codes,
            is_transient=self.platform.is_transient,
            before_sleep=self._before_sleep(call),
        )

    def _headers(self, extra: Mapping[str, str] | None) -> dict[str, str]:
        headers = {"User-Agent": user_agent(self.app_name), "Accept": "application/json"}
        headers.update(extra or {})
        return headers


class SyncExecutor(_ExecutorBase):
    """Executes calls on an ``httpx.Client``; owns the client unless one was lent (``http_client=``)."""

    def __init__(
        self,
        *,
        platform: Platform,
        base_url: str | Callable[[], str],
        auth: httpx.Auth | None = None,
        headers: Mapping[str, str] | None = None,
        retry: RetryPolicy | None = None,
        timeout: httpx.Timeout | float | None = None,
        rate_limit: RateLimit | None = None,
        transport: httpx.BaseTransport | None = None,
        http_client: httpx.Client | None = None,
        sleep: Callable[[float], object] | None = None,
        clock: Callable[[], float] = time.monotonic,
        app_name: str | None = None,
        hints: HintFor | None = None,
    ) -> None:
        super().__init__(
            platform=platform,
            base_url=base_url,
            retry=retry,
            timeout=timeout,
            app_name=app_name,
            headers=headers,
            hints=hints,
        )
        if transport is not None and http_client is not None:
            raise ConfigurationError("pass transport= or http_client=, not both")
        self._sleep: Callable[[float], object] = sleep if sleep is not None else time.sleep
        self._owns_client = http_client is None
        self._auth = auth
        self.http_client = (
            http_client
            if http_client is not None
            else _lean(httpx.Client(transport=transport, follow_redirects=False))
        )
        self.rate_limiter = RateLimiter(
            rate_limit if rate_limit is not None else platform.default_rate_limit,
            sleep=self._sleep,
            clock=clock,
            logger=self.logger,
        )

    def _sleep_none(self, seconds: float) -> None:
        self._sleep(seconds)

    @property
    def sleep(self) -> Callable[[float], object]:
        """The injected sleep (``time.sleep`` unless a test gave another)."""
        return self._sleep

    def with_options(
        self: _SyncE, *, retry: RetryPolicy | None = None, timeout: httpx.Timeout | float | None = None
    ) -> _SyncE:
        """A copy sharing the connection pool and rate limiter, with another retry policy or timeout."""
        clone = object.__new__(type(self))
        clone.__dict__.update(self.__dict__)
        clone._owns_client = False
        if retry is not None:
            clone.retry = retry
        if timeout is not None:
            clone.timeout = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(float(timeout))
        return clone

    def send(self, call: Call[Any]) -> httpx.Response:
        """Send one call with auth, rate limits and retries; return the raw response (errors raised)."""
        return self.execute(call.with_parse(lambda r: r))

    def execute(self, call: Call[T]) -> T:
        """Run a call: rate limit, send, classify, retry per the policy, parse.

        The first attempt runs outside tenacity (most calls succeed at once, and the retry loop costs
        about as much CPU as the request's own msplink code); a failed first attempt is handed to the
        same tenacity loop as its attempt 1, so retries, waits and logging are what they always were.
        """
        try:
            try:
                return self._attempt(call, 1)
            except BaseException as exc:  # every outcome goes to the retry policy, as tenacity's would
                first: BaseException | None = exc
            for attempt in tenacity.Retrying(sleep=self._sleep_none, **self._retry_kwargs(call)):
                with attempt:
                    if first is not None:
                        failed, first = first, None
                        raise failed
                    result = self._attempt(call, attempt.retry_state.attempt_number)
        except MsplinkError as exc:
            self._hinted(exc)
            raise
        return result

    def run(self, plan: Plan[T]) -> T:
        """Drive a multi-call plan (see :mod:`msplink._core._plan`) and return its result."""
        return run_plan(self, plan)

    def _attempt(self, call: Call[T], number: int) -> T:
        slot = self.rate_limiter.acquire()
        self.api_calls.add()
        started = time.perf_counter()
        response: httpx.Response | None = None
        try:
            request = self._build(self.http_client, call)
            try:
                response = self.http_client.send(request, auth=self._auth or httpx.USE_CLIENT_DEFAULT)
            except (httpx.TransportError, httpx.DecodingError) as exc:
                raise self._transport_error(call, exc, request) from exc
        finally:
            self.rate_limiter.release(slot)
            self._log_attempt(call, response, started, number)
        return handle_response(self.platform, call, response)

    def close(self) -> None:
        """Close the httpx client if this executor created it."""
        if self._owns_client:
            self.http_client.close()


class AsyncExecutor(_ExecutorBase):
    """Executes calls on an ``httpx.AsyncClient``; owns the client unless one was lent."""

    def __init__(
        self,
        *,
        platform: Platform,
        base_url: str | Callable[[], str],
        auth: httpx.Auth | None = None,
        headers: Mapping[str, str] | None = None,
        retry: RetryPolicy | None = None,
        timeout: httpx.Timeout | float | None = None,
        rate_limit: RateLimit | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        http_client: httpx.AsyncClient | None = None,
        sleep: Callable[[float], Awaitable[object]] | None = None,
        clock: Callable[[], float] = time.monotonic,
        app_name: str | None = None,
        hints: HintFor | None = None,
    ) -> None:
        super().__init__(
            platform=platform,
            base_url=base_url,
            retry=retry,
            timeout=timeout,
            app_name=app_name,
            headers=headers,
            hints=hints,
        )
        if transport is not None and http_client is not None:
            raise ConfigurationError("pass transport= or http_client=, not both")
        self._sleep: Callable[[float], Awaitable[object]] = sleep if sleep is not None else asyncio.sleep
        self._owns_client = http_client is None
        self._auth = auth
        self.http_client = (
            http_client
            if http_client is not None
            else _lean(httpx.AsyncClient(transport=transport, follow_redirects=False))
        )
        self.rate_limiter = AsyncRateLimiter(
            rate_limit if rate_limit is not None else platform.default_rate_limit,
            sleep=self._sleep,
            clock=clock,
            logger=self.logger,
        )

    async def _sleep_none(self, seconds: float) -> None:
        await self._sleep(seconds)

    @property
    def sleep(self) -> Callable[[float], Awaitable[object]]:
        """The injected coroutine sleep (``asyncio.sleep`` unless a test gave another)."""
        return self._sleep

    def with_options(
        self: _AsyncE, *, retry: RetryPolicy | None = None, timeout: httpx.Timeout | float | None = None
    ) -> _AsyncE:
        """A copy sharing the connection pool and rate limiter, with another retry policy or timeout."""
        clone = object.__new__(type(self))
        clone.__dict__.update(self.__dict__)
        clone._owns_client = False
        if retry is not None:
            clone.retry = retry
        if timeout is not None:
            clone.timeout = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(float(timeout))
        return clone

    async def send(self, call: Call[Any]) -> httpx.Response:
        """Send one call with auth, rate limits and retries; return the raw response (errors raised)."""
        return await self.execute(call.with_parse(lambda r: r))

    async def execute(self, call: Call[T]) -> T:
        """Run a call: rate limit, send, classify, retry per the policy, parse (the first attempt
        outside tenacity, a failed one handed to it as its attempt 1: see ``SyncExecutor.execute``)."""
        try:
            try:
                return await self._attempt(call, 1)
            except BaseException as exc:  # every outcome goes to the retry policy, as tenacity's would
                first: BaseException | None = exc
            async for attempt in tenacity.AsyncRetrying(sleep=self._sleep_none, **self._retry_kwargs(call)):
                with attempt:
                    if first is not None:
                        failed, first = first, None
                        raise failed
                    result = await self._attempt(call, attempt.retry_state.attempt_number)
        except MsplinkError as exc:
            self._hinted(exc)
            raise
        return result

    async def run(self, plan: Plan[T]) -> T:
        """Drive a multi-call plan (see :mod:`msplink._core._plan`) and return its result."""
        return await arun_plan(self, plan)

    async def _attempt(self, call: Call[T], number: int) -> T:
        slot = await self.rate_limiter.acquire()
        self.api_calls.add()
        started = time.perf_counter()
        response: httpx.Response | None = None
        try:
            request = self._build(self.http_client, call)
            try:
                response = await self.http_client.send(request, auth=self._auth or httpx.USE_CLIENT_DEFAULT)
            except (httpx.TransportError, httpx.DecodingError) as exc:
                raise self._transport_error(call, exc, request) from exc
        finally:
            self.rate_limiter.release(slot)
            self._log_attempt(call, response, started, number)
        return handle_response(self.platform, call, response)

    async def aclose(self) -> None:
        """Close the httpx client if this executor created it."""
        if self._owns_client:
            await self.http_client.aclose()
