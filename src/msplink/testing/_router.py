"""A route-table ``MockTransport`` that fails loudly on any request it has no route for."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

import attrs
import httpx

__all__ = ["MockRouter", "MockRoute", "UnmatchedRequestError"]

Responder = Callable[[httpx.Request], httpx.Response]


class UnmatchedRequestError(AssertionError):
    """A request reached the mock that no route matches (the test is missing a route)."""


@attrs.define
class MockRoute:
    """One route: method, path (exact, or a compiled regex) and the responses to give, in turn.

    Attributes:
        calls: The requests this route served, in order.
    """

    method: str
    path: str | re.Pattern[str]
    responses: list[httpx.Response | Responder]
    repeat_last: bool = True
    calls: list[httpx.Request] = attrs.field(factory=list)

    def matches(self, request: httpx.Request) -> bool:
        """Tell whether the route serves this request."""
        if self.method not in {"*", request.method.upper()}:
            return False
        if isinstance(self.path, re.Pattern):
            return self.path.search(request.url.path) is not None
        return request.url.path == self.path

    def respond(self, request: httpx.Request) -> httpx.Response:
        """Give the next response (the last one again when ``repeat_last``)."""
        index = len(self.calls)
        self.calls.append(request)
        if index >= len(self.responses):
            if not self.repeat_last or not self.responses:
                raise UnmatchedRequestError(
                    f"route {self.method} {self.path} has no response left for call #{index + 1}"
                )
            index = len(self.responses) - 1
        reply = self.responses[index]
        if callable(reply):
            return reply(request)
        reply.read()  # a fresh copy per call: one response object must not serve two requests
        return httpx.Response(reply.status_code, headers=reply.headers, content=reply.content)

    @property
    def call_count(self) -> int:
        """How many requests the route served."""
        return len(self.calls)


class MockRouter:
    """Route table for ``httpx.MockTransport``: unmatched requests raise, never pass silently.

    Example:
        >>> router = MockRouter()
        >>> route = router.get("/v4_6_release/apis/3.0/company/companies/1", json={"id": 1})
        >>> client = httpx.Client(transport=router.transport())
    """

    def __init__(self) -> None:
        self.routes: list[MockRoute] = []
        self.unmatched: list[httpx.Request] = []

    def add(
        self,
        method: str,
        path: str | re.Pattern[str],
        *responses: httpx.Response | Responder,
        status: int = 200,
        json: Any = None,
        text: str | None = None,
        headers: Mapping[str, str] | None = None,
        repeat_last: bool = True,
    ) -> MockRoute:
        """Add a route; with no explicit responses, one is built from ``status``/``json``/``text``."""
        replies: list[httpx.Response | Responder] = list(responses)
        if not replies:
            replies.append(_make_response(status, json, text, headers))
        route = MockRoute(method.upper(), path, replies, repeat_last=repeat_last)
        self.routes.append(route)
        return route

    def get(
        self, path: str | re.Pattern[str], *responses: httpx.Response | Responder, **kw: Any
    ) -> MockRoute:
        """Add a GET route."""
        return self.add("GET", path, *responses, **kw)

    def post(
        self, path: str | re.Pattern[str], *responses: httpx.Response | Responder, **kw: Any
    ) -> MockRoute:
        """Add a POST route."""
        return self.add("POST", path, *responses, **kw)

    def patch(
        self, path: str | re.Pattern[str], *responses: httpx.Response | Responder, **kw: Any
    ) -> MockRoute:
        """Add a PATCH route."""
        return self.add("PATCH", path, *responses, **kw)

    def delete(
        self, path: str | re.Pattern[str], *responses: httpx.Response | Responder, **kw: Any
    ) -> MockRoute:
        """Add a DELETE route."""
        return self.add("DELETE", path, *responses, **kw)

    def handler(self, request: httpx.Request) -> httpx.Response:
        """The MockTransport handler."""
        for route in self.routes:
            if route.matches(request):
                return route.respond(request)
        self.unmatched.append(request)
        known = ", ".join(f"{r.method} {r.path}" for r in self.routes) or "none"
        raise UnmatchedRequestError(f"no route for {request.method} {request.url.path} (routes: {known})")

    def transport(self) -> httpx.MockTransport:
        """An ``httpx.MockTransport`` serving this table (sync and async clients)."""
        return httpx.MockTransport(self.handler)

    @property
    def calls(self) -> list[httpx.Request]:
        """Every request served, over all routes."""
        return [call for route in self.routes for call in route.calls]


def _make_response(
    status: int, body: Any, text: str | None, headers: Mapping[str, str] | None
) -> httpx.Response:
    if body is not None:
        return httpx.Response(
            status,
            content=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", **(headers or {})},
        )
    return httpx.Response(status, text=text or "", headers=dict(headers or {}))
