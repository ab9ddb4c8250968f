"""The emulator framework under the three vendor sandboxes.

A :class:`Sandbox` is a route table of handlers over in-memory state. One request path serves
three front doors: an httpx transport (sync and async, in-process), and an ASGI application (any
HTTP client over a real socket, whatever the Host header says). Around the handlers it adds what a
real vendor does to you: deterministic fault injection (latency, 429 with Retry-After, 5xx, dropped
connections, writes applied but their response lost, token expiry), request-rate and concurrency
limits, and a request log for exact API-call counts.

This package imports no client code: it is an independent implementation of the vendors' wire
behaviour, so it catches client bugs instead of mirroring them.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import json
import random
import re
import secrets
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping, MutableMapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar
from urllib.parse import parse_qsl, unquote

import attrs
import httpx

__all__ = [
    "Abort",
    "FaultInjector",
    "FaultKind",
    "FaultRule",
    "InvalidBody",
    "RequestRecord",
    "Route",
    "Router",
    "Sandbox",
    "SandboxRateLimit",
    "SandboxRequest",
    "SandboxResponse",
    "SandboxTransport",
    "exact_json_dumps",
    "json_dumps",
]


# --------------------------------------------------------------------------------------------- wire


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


_NONCE = secrets.token_hex(8)
_OPEN = "\x00" + _NONCE
_CLOSE = "\x01" + _NONCE
_OPEN_QUOTED = '"\\u0000' + _NONCE
_CLOSE_QUOTED = "\\u0001" + _NONCE + '"'


def json_dumps(data: Any) -> bytes:
    """Encode JSON the way the vendors do: Decimals as exact numbers, dates as ISO strings.

    The C encoder writes the document (compact separators, UTF-8): a Decimal goes through it as a
    string between per-process random markers that start with control characters (which JSON escapes
    as ``\\u0000`` / ``\\u0001``), and two plain replacements then drop the markers and their quotes.
    Should a stored string contain a marker (the counts disagree), the document is written by the
    pure-Python exact encoder instead, so no string can ever become a number.
    """
    decimals = 0

    def default(value: Any) -> Any:
        nonlocal decimals
        if isinstance(value, Decimal):
            decimals += 1
            return f"{_OPEN}{value:f}{_CLOSE}"
        if isinstance(value, Mapping):
            return dict(value)
        return _default(value)

    try:
        text = json.JSONEncoder(
            ensure_ascii=False, default=default, separators=(",", ":"), check_circular=False
        ).encode(data)
    except (TypeError, ValueError, RecursionError):
        return exact_json_dumps(data)
    if decimals:
        if text.count(_OPEN_QUOTED) != decimals or text.count(_CLOSE_QUOTED) != decimals:
            return exact_json_dumps(data)
        text = text.replace(_OPEN_QUOTED, "").replace(_CLOSE_QUOTED, "")
    return text.encode("utf-8")


def exact_json_dumps(data: Any) -> bytes:
    """The pure-Python encoder :func:`json_dumps` falls back to (the same bytes)."""
    return _encode(data).encode("utf-8")


def _encode(value: Any) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, Mapping):
        return (
            "{"
            + ",".join(json.dumps(str(k), ensure_ascii=False) + ":" + _encode(v) for k, v in value.items())
            + "}"
        )
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_encode(v) for v in value) + "]"
    return json.dumps(value, default=_default, ensure_ascii=False)


class InvalidBody(Exception):
    """The request body is not what the endpoint accepts (not JSON, wrong shape)."""


@attrs.frozen(kw_only=True)
class SandboxRequest:
    """A request as the sandbox sees it.

    Attributes:
        method: Upper-case method.
        path: The percent-decoded path.
        raw_path: The path as sent (still encoded).
        query: Decoded query pairs, in order.
        headers: Header names lower-cased (last value wins).
        body: The raw body.
        path_params: Filled in by the router from the route pattern.
    """

    method: str
    path: str
    raw_path: str = ""
    query: tuple[tuple[str, str], ...] = ()
    headers: Mapping[str, str] = attrs.field(factory=dict)
    body: bytes = b""
    path_params: Mapping[str, str] = attrs.field(factory=dict)

    def param(self, name: str, default: str | None = None) -> str | None:
        """The first value of a query parameter (names compared case-insensitively)."""
        lowered = name.lower()
        for key, value in self.query:
            if key.lower() == lowered:
                return value
        return default

    def params(self, name: str) -> list[str]:
        """Every value of a query parameter."""
        lowered = name.lower()
        return [value for key, value in self.query if key.lower() == lowered]

    def header(self, name: str, default: str | None = None) -> str | None:
        """A header value (case-insensitive)."""
        return self.headers.get(name.lower(), default)

    def text(self) -> str:
        """The body as UTF-8 text."""
        try:
            return self.body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidBody("body is not UTF-8") from exc

    def json(self) -> Any:
        """The body as JSON (numbers with a fraction as Decimal).

        Raises:
            InvalidBody: It is not JSON.
        """
        try:
            return json.loads(self.text(), parse_float=Decimal)
        except json.JSONDecodeError as exc:
            raise InvalidBody(f"body is not JSON: {exc.msg} at {exc.pos}") from exc

    def form(self) -> dict[str, str]:
        """The body as ``application/x-www-form-urlencoded`` fields."""
        return dict(parse_qsl(self.text(), keep_blank_values=True))


@attrs.frozen(kw_only=True)
class SandboxResponse:
    """A response the sandbox sends."""

    status: int
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""

    @classmethod
    def json(cls, status: int, data: Any, headers: Mapping[str, str] | None = None) -> SandboxResponse:
        """A JSON response (``Content-Type: application/json; charset=utf-8``)."""
        merged = {"Content-Type": "application/json; charset=utf-8", **(headers or {})}
        return cls(status=status, headers=tuple(merged.items()), body=json_dumps(data))

    @classmethod
    def text(
        cls,
        status: int,
        text: str,
        content_type: str = "text/plain",
        headers: Mapping[str, str] | None = None,
    ) -> SandboxResponse:
        """A text response (HTML, XML, CSV ...)."""
        merged = {"Content-Type": f"{content_type}; charset=utf-8", **(headers or {})}
        return cls(status=status, headers=tuple(merged.items()), body=text.encode("utf-8"))

    @classmethod
    def empty(cls, status: int = 204, headers: Mapping[str, str] | None = None) -> SandboxResponse:
        """A response without a body."""
        return cls(status=status, headers=tuple((headers or {}).items()))

    def header(self, name: str) -> str | None:
        """A header value (case-insensitive)."""
        lowered = name.lower()
        for key, value in self.headers:
            if key.lower() == lowered:
                return value
        return None

    def with_headers(self, extra: Mapping[str, str]) -> SandboxResponse:
        """A copy with more headers."""
        return attrs.evolve(self, headers=(*self.headers, *extra.items()))


class Abort(Exception):
    """Raised by a handler (or a helper it calls) to answer at once with ``response``."""

    def __init__(self, response: SandboxResponse) -> None:
        super().__init__(f"abort with {response.status}")
        self.response = response


# ------------------------------------------------------------------------------------------ routing

Handler = Callable[[SandboxRequest], SandboxResponse]


@attrs.frozen
class Route:
    """One route: a method, a path pattern (``/v3/company/{realm}/{entity}/{id}``) and its handler."""

    method: str
    pattern: str
    handler: Handler
    regex: re.Pattern[str]
    name: str


def _compile(pattern: str) -> re.Pattern[str]:
    parts: list[str] = []
    for token in re.split(r"(\{[a-zA-Z_][a-zA-Z0-9_]*(?::path)?\})", pattern):
        if token.startswith("{") and token.endswith("}"):
            inner = token[1:-1]
            if inner.endswith(":path"):
                parts.append(f"(?P<{inner[:-5]}>.+)")
            else:
                parts.append(f"(?P<{inner}>[^/]+)")
        else:
            parts.append(re.escape(token))
    return re.compile("^" + "".join(parts) + "/?$", re.IGNORECASE)


class Router:
    """A route table. Matching is case-insensitive on the path (vendors are)."""

    def __init__(self) -> None:
        self.routes: list[Route] = []

    def add(self, method: str, pattern: str, handler: Handler, *, name: str | None = None) -> None:
        """Register a handler for ``method`` (or ``*``) and a path pattern."""
        self.routes.append(Route(method.upper(), pattern, handler, _compile(pattern), name or pattern))

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | bool | None:
        """Find the route: ``(route, params)``; ``False`` when the path exists under another method."""
        path_matched = False
        for route in self.routes:
            found = route.regex.match(path)
            if found is None:
                continue
            path_matched = True
            if route.method in {"*", method.upper()}:
                return route, {k: unquote(v) for k, v in found.groupdict().items()}
        return False if path_matched else None


# ------------------------------------------------------------------------------------------- faults


class FaultKind(enum.Enum):
    """What an injected fault does."""

    LATENCY = "latency"
    """Delay the response by ``FaultRule.latency`` seconds."""
    RATE_LIMIT = "rate_limit"
    """Answer 429 with ``Retry-After: FaultRule.retry_after`` (in the vendor's body shape)."""
    SERVER_ERROR = "server_error"
    """Answer ``FaultRule.status`` (5xx) in the vendor's body shape, doing nothing."""
    DROP_CONNECTION = "drop_connection"
    """Close the connection without answering, doing nothing."""
    LOSE_RESPONSE = "lose_response"
    """Apply the request, then close the connection before the response is sent."""
    TOKEN_EXPIRY = "token_expiry"
    """Expire the access token the request carries, so it is answered as unauthenticated."""


@attrs.frozen(kw_only=True)
class FaultRule:
    """When and how to inject a fault.

    Attributes:
        kind: What happens.
        rate: Probability per matching request (drawn from the sandbox's seeded random generator).
        method: Only requests with this method (``None``: any).
        path: Only paths matching this regular expression (``re.search``; ``None``: any).
        times: Inject at most this many times (``None``: no cap).
        status: The status of ``SERVER_ERROR`` faults.
        retry_after: The ``Retry-After`` seconds of ``RATE_LIMIT`` faults.
        latency: The delay of ``LATENCY`` faults, in seconds.
    """

    kind: FaultKind
    rate: float = 1.0
    method: str | None = None
    path: str | None = None
    times: int | None = None
    status: int = 503
    retry_after: float = 1.0
    latency: float = 0.0

    def matches(self, request: SandboxRequest) -> bool:
        """Tell whether the rule applies to a request (rate aside)."""
        if self.method is not None and self.method.upper() != request.method:
            return False
        return self.path is None or re.search(self.path, request.path) is not None


class FaultInjector:
    """Seeded, deterministic fault injection: the same seed and requests give the same faults."""

    def __init__(self, seed: int = 0) -> None:
        self._random = random.Random(seed)
        self._rules: list[FaultRule] = []
        self._used: dict[int, int] = {}
        self.injected: dict[FaultKind, int] = dict.fromkeys(FaultKind, 0)

    def add(self, rule: FaultRule) -> FaultRule:
        """Add a rule; rules are consulted in the order added."""
        self._rules.append(rule)
        return rule

    def inject(self, kind: FaultKind | str, **options: Any) -> FaultRule:
        """Add a rule from keyword options (``rate=``, ``method=``, ``path=``, ``times=`` ...)."""
        return self.add(FaultRule(kind=FaultKind(kind), **options))

    def clear(self) -> None:
        """Remove every rule."""
        self._rules.clear()
        self._used.clear()

    def reseed(self, seed: int) -> None:
        """Restart the random sequence."""
        self._random = random.Random(seed)

    def getrandbits(self, k: int) -> int:
        """``k`` random bits from the injector's seeded sequence (deterministic ids for a sandbox seed)."""
        return self._random.getrandbits(k)

    def pick(self, request: SandboxRequest) -> list[FaultRule]:
        """The faults that fire for this request (at most one of each kind)."""
        fired: list[FaultRule] = []
        kinds: set[FaultKind] = set()
        for index, rule in enumerate(self._rules):
            if rule.kind in kinds or not rule.matches(request):
                continue
            if rule.times is not None and self._used.get(index, 0) >= rule.times:
                continue
            if rule.rate < 1.0 and self._random.random() >= rule.rate:
                continue
            self._used[index] = self._used.get(index, 0) + 1
            self.injected[rule.kind] += 1
            kinds.add(rule.kind)
            fired.append(rule)
        return fired


class _Dropped(Exception):
    """The connection is closed before any response."""


class _Lost(Exception):
    """The request was applied but its response is lost."""


# -------------------------------------------------------------------------------------- rate limits


@attrs.frozen(kw_only=True)
class SandboxRateLimit:
    """A server-side limit: ``requests`` per ``window`` seconds per key, and/or ``max_concurrent``.

    Attributes:
        name: Shown in logs and in the 429 body where the vendor has one.
        requests: Requests allowed per window per key (``None``: no window limit).
        window: The window length in seconds.
        max_concurrent: Requests in flight per key (``None``: no concurrency limit).
        key: Which bucket a request counts against (``None``: not limited by this rule).
    """

    name: str
    requests: int | None = None
    window: float = 60.0
    max_concurrent: int | None = None
    key: Callable[[SandboxRequest], str | None] = lambda request: "all"


@attrs.frozen(kw_only=True)
class RequestRecord:
    """One served request, for exact API-call counts.

    Attributes:
        method: The method.
        path: The decoded path (without the query).
        status: The status sent, or ``None`` when the connection was dropped or the response lost.
        query: The raw query string.
        fault: The injected fault kind, if one fired.
    """

    method: str
    path: str
    status: int | None
    query: str = ""
    fault: str | None = None


# ------------------------------------------------------------------------------------------ sandbox


class Sandbox:
    """Base class of the vendor sandboxes.

    Subclasses register routes in ``_register_routes`` and override the ``*_response`` hooks to give
    errors their vendor's body shapes. Handlers run one at a time under a lock, so state stays
    consistent under threads and tasks; limits and latency act outside that lock.

    Args:
        seed: Seed of the fault injector and of generated data.
        clock: A monotonic clock for rate-limit windows (tests pass a fake one).
        sleep: How latency faults wait in the sync transport.
        async_sleep: How latency faults wait in the async transport and the ASGI app.
        enforce_rate_limits: Answer 429 when a vendor limit is exceeded.
        raise_internal_errors: Re-raise handler bugs (tests) instead of answering 500 (serving).
    """

    platform: ClassVar[str] = "sandbox"

    def __init__(
        self,
        *,
        seed: int = 0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], object] = time.sleep,
        async_sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        enforce_rate_limits: bool = True,
        raise_internal_errors: bool = True,
    ) -> None:
        self.router = Router()
        self.requests: list[RequestRecord] = []
        self.faults = FaultInjector(seed)
        self.rate_limits: list[SandboxRateLimit] = list(self.default_rate_limits())
        self.enforce_rate_limits = enforce_rate_limits
        self.raise_internal_errors = raise_internal_errors
        self._clock = clock
        self._sleep = sleep
        self._async_sleep = async_sleep
        self._lock = threading.RLock()
        self._limit_lock = threading.Lock()
        self._windows: dict[tuple[str, str], deque[float]] = {}
        self._inflight: dict[tuple[str, str], int] = {}
        self._register_routes()

    # ---- hooks for subclasses

    def _register_routes(self) -> None:
        """Register the vendor's routes on ``self.router``."""

    def default_rate_limits(self) -> Sequence[SandboxRateLimit]:
        """The vendor's real limits (enforced unless ``enforce_rate_limits=False``)."""
        return ()

    def rate_limited_response(
        self, request: SandboxRequest, retry_after: float, limit: str
    ) -> SandboxResponse:
        """The vendor's throttling answer."""
        return SandboxResponse.json(
            429, {"error": "rate_limited", "limit": limit}, {"Retry-After": _seconds(retry_after)}
        )

    def server_error_response(self, request: SandboxRequest, status: int) -> SandboxResponse:
        """The vendor's 5xx answer."""
        return SandboxResponse.json(status, {"error": "server_error"})

    def not_found_response(self, request: SandboxRequest) -> SandboxResponse:
        """The vendor's answer for an unknown path."""
        return SandboxResponse.json(404, {"error": "not_found"})

    def method_not_allowed_response(self, request: SandboxRequest) -> SandboxResponse:
        """The vendor's answer for a known path with the wrong method."""
        return SandboxResponse.json(405, {"error": "method_not_allowed"})

    def invalid_body_response(self, request: SandboxRequest, message: str) -> SandboxResponse:
        """The vendor's answer for a body it cannot read."""
        return SandboxResponse.json(400, {"error": "invalid_body", "message": message})

    def expire_credentials(self, request: SandboxRequest) -> None:
        """Expire the access token ``request`` carries (``TOKEN_EXPIRY`` faults)."""

    def credentials(self) -> dict[str, Any]:
        """Working credentials for every auth scheme the sandbox supports."""
        return {}

    def seed(self, *, size: int = 100, seed: int = 0) -> Any:
        """Fill the sandbox with a deterministic, realistic dataset of about ``size`` records per type."""
        raise TypeError(f"{type(self).__name__} does not generate data")

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the sandbox's state lock: no request is served meanwhile (for seeding, saving, loading)."""
        with self._lock:
            yield

    # ---- request log helpers

    def count(self, method: str | None = None, path: str | None = None, *, status: int | None = None) -> int:
        """Count served requests, optionally by method, path regex (``re.search``) and status."""
        return sum(
            1
            for r in self.requests
            if (method is None or r.method == method.upper())
            and (path is None or re.search(path, r.path) is not None)
            and (status is None or r.status == status)
        )

    def clear_log(self) -> None:
        """Forget the request log."""
        with self._lock:
            self.requests.clear()

    # ---- the request path

    def handle(self, request: SandboxRequest) -> SandboxResponse:
        """Serve one request synchronously (latency faults wait with ``sleep``).

        Raises:
            _Dropped: A dropped-connection fault fired (transports turn it into a transport error).
            _Lost: A lost-response fault fired after the request was applied.
        """
        faults = self.faults.pick(request)
        with self._admitted(request) as refusal:
            if refusal is not None:
                return self._log(request, refusal)
            for rule in faults:
                if rule.kind is FaultKind.LATENCY and rule.latency > 0:
                    self._sleep(rule.latency)
            return self._serve(request, faults)

    async def handle_async(self, request: SandboxRequest) -> SandboxResponse:
        """Serve one request from a coroutine (latency faults wait with ``async_sleep``)."""
        faults = self.faults.pick(request)
        with self._admitted(request) as refusal:
            if refusal is not None:
                return self._log(request, refusal)
            for rule in faults:
                if rule.kind is FaultKind.LATENCY and rule.latency > 0:
                    await self._async_sleep(rule.latency)
            return self._serve(request, faults)

    @contextlib.contextmanager
    def _admitted(self, request: SandboxRequest) -> Iterator[SandboxResponse | None]:
        """Apply the concurrency and window limits; yield a 429 response when refused."""
        taken: list[tuple[str, str]] = []
        refusal: SandboxResponse | None = None
        if self.enforce_rate_limits:
            with self._limit_lock:
                now = self._clock()
                for limit in self.rate_limits:
                    key = limit.key(request)
                    if key is None:
                        continue
                    bucket = (limit.name, key)
                    if (
                        limit.max_concurrent is not None
                        and self._inflight.get(bucket, 0) >= limit.max_concurrent
                    ):
                        refusal = self.rate_limited_response(request, 1.0, limit.name)
                        break
                    if limit.requests is not None:
                        window = self._windows.setdefault(bucket, deque())
                        while window and window[0] <= now - limit.window:
                            window.popleft()
                        if len(window) >= limit.requests:
                            refusal = self.rate_limited_response(
                                request, max(1.0, window[0] + limit.window - now), limit.name
                            )
                            break
                if refusal is None:
                    for limit in self.rate_limits:
                        key = limit.key(request)
                        if key is None:
                            continue
                        bucket = (limit.name, key)
                        if limit.requests is not None:
                            self._windows.setdefault(bucket, deque()).append(now)
                        if limit.max_concurrent is not None:
                            self._inflight[bucket] = self._inflight.get(bucket, 0) + 1
                            taken.append(bucket)
        try:
            yield refusal
        finally:
            if taken:
                with self._limit_lock:
                    for bucket in taken:
                        self._inflight[bucket] -= 1

    def _serve(self, request: SandboxRequest, faults: Sequence[FaultRule]) -> SandboxResponse:
        fired = {rule.kind: rule for rule in faults}
        fault_name = next((k.value for k in fired if k is not FaultKind.LATENCY), None)
        if FaultKind.DROP_CONNECTION in fired:
            self._log(request, None, fault_name)
            raise _Dropped
        if FaultKind.RATE_LIMIT in fired:
            rule = fired[FaultKind.RATE_LIMIT]
            return self._log(
                request, self.rate_limited_response(request, rule.retry_after, "injected"), fault_name
            )
        if FaultKind.SERVER_ERROR in fired:
            rule = fired[FaultKind.SERVER_ERROR]
            return self._log(request, self.server_error_response(request, rule.status), fault_name)
        with self._lock:
            if FaultKind.TOKEN_EXPIRY in fired:
                self.expire_credentials(request)
            response = self._dispatch(request)
        if FaultKind.LOSE_RESPONSE in fired:
            self._log(request, None, fault_name)
            raise _Lost
        return self._log(request, response, fault_name)

    def _dispatch(self, request: SandboxRequest) -> SandboxResponse:
        # Route on the path as sent, so an encoded "/" (%2F) inside one segment stays in that segment;
        # the router decodes each parameter.
        found = self.router.match(request.method, request.raw_path or request.path)
        if found is None:
            return self.not_found_response(request)
        if found is False:
            return self.method_not_allowed_response(request)
        assert not isinstance(found, bool)  # noqa: S101 - narrowing for mypy
        route, params = found
        bound = attrs.evolve(request, path_params=params)
        try:
            return route.handler(bound)
        except Abort as abort:
            return abort.response
        except InvalidBody as exc:
            return self.invalid_body_response(bound, str(exc))
        except Exception:
            if self.raise_internal_errors:
                raise
            return self.server_error_response(bound, 500)

    def _log(
        self, request: SandboxRequest, response: SandboxResponse | None, fault: str | None = None
    ) -> SandboxResponse:
        query = "&".join(f"{k}={v}" for k, v in request.query)
        with self._lock:
            self.requests.append(
                RequestRecord(
                    method=request.method,
                    path=request.path,
                    status=response.status if response is not None else None,
                    query=query,
                    fault=fault,
                )
            )
        return response  # type: ignore[return-value]

    # ---- front doors

    def transport(self) -> SandboxTransport:
        """An httpx transport serving this sandbox in-process (usable by sync and async clients)."""
        return SandboxTransport(self)

    async def __call__(
        self,
        scope: MutableMapping[str, Any],
        receive: Callable[[], Awaitable[MutableMapping[str, Any]]],
        send: Callable[[MutableMapping[str, Any]], Awaitable[None]],
    ) -> None:
        """Serve as an ASGI application (the Host header is ignored)."""
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        raw_path = scope.get("raw_path") or scope["path"].encode()
        request = SandboxRequest(
            method=scope["method"].upper(),
            path=scope["path"],
            raw_path=raw_path.decode("latin-1") if isinstance(raw_path, bytes) else str(raw_path),
            query=tuple(parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)),
            headers={k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])},
            body=b"".join(chunks),
        )
        try:
            response = await self.handle_async(request)
        except (_Dropped, _Lost):
            # Closing without a response is what a dropped connection looks like to the peer.
            raise ConnectionAbortedError("sandbox: injected connection drop") from None
        await send(
            {
                "type": "http.response.start",
                "status": response.status,
                "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in response.headers],
            }
        )
        await send({"type": "http.response.body", "body": response.body})


def _seconds(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.3f}"


def _to_sandbox_request(request: httpx.Request, body: bytes) -> SandboxRequest:
    raw_path = request.url.raw_path.decode("ascii")
    path_only = raw_path.split("?", 1)[0]
    return SandboxRequest(
        method=request.method.upper(),
        path=unquote(path_only),
        raw_path=path_only,
        query=tuple(parse_qsl(request.url.query.decode("ascii"), keep_blank_values=True)),
        headers={k.lower(): v for k, v in request.headers.items()},
        body=body,
    )


def _to_httpx_response(response: SandboxResponse, request: httpx.Request) -> httpx.Response:
    return httpx.Response(
        response.status, headers=list(response.headers), content=response.body, request=request
    )


class SandboxTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """An httpx transport that hands requests to a :class:`Sandbox` in-process."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Serve a request from a sync client."""
        sreq = _to_sandbox_request(request, request.read())
        try:
            return _to_httpx_response(self.sandbox.handle(sreq), request)
        except _Dropped:
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response.", request=request
            ) from None
        except _Lost:
            raise httpx.ReadError("Connection reset by peer", request=request) from None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Serve a request from an async client."""
        sreq = _to_sandbox_request(request, await request.aread())
        try:
            return _to_httpx_response(await self.sandbox.handle_async(sreq), request)
        except _Dropped:
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response.", request=request
            ) from None
        except _Lost:
            raise httpx.ReadError("Connection reset by peer", request=request) from None


def iter_chunks(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    """Split a sequence into chunks of ``size`` (paging helper for handlers)."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
