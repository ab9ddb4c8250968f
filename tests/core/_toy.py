"""A tiny vendor for exercising the core: a sandbox with paging and writes, and its client platform."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import httpx

from msplink._core import (
    AsyncExecutor,
    Call,
    Page,
    Platform,
    RateLimit,
    RetryPolicy,
    SyncExecutor,
    decode_json,
)
from msplink.errors import ConflictError, ErrorDetail
from msplink.sandbox import Abort, Sandbox, SandboxRateLimit, SandboxRequest, SandboxResponse

BASE_URL = "https://toy.example.com/api"


class ToySandbox(Sandbox):
    """Records 1..n, paged by ``page``/``pageSize``; POST creates; errors as ``{"code","message"}``."""

    platform = "toy"

    def __init__(self, *, records: int = 0, limits: Sequence[SandboxRateLimit] = (), **kw: Any) -> None:
        self._limits = tuple(limits)
        super().__init__(**kw)
        self.items: list[dict[str, Any]] = [{"id": i, "name": f"item {i}"} for i in range(1, records + 1)]

    def default_rate_limits(self) -> Sequence[SandboxRateLimit]:
        return self._limits

    def _register_routes(self) -> None:
        self.router.add("GET", "/api/items", self._list)
        self.router.add("GET", "/api/items/{id}", self._get)
        self.router.add("POST", "/api/items", self._create)
        self.router.add("GET", "/api/raw/{kind}", self._raw)

    def rate_limited_response(
        self, request: SandboxRequest, retry_after: float, limit: str
    ) -> SandboxResponse:
        return SandboxResponse.json(
            429, {"code": "Throttled", "message": f"limit {limit}"}, {"Retry-After": f"{retry_after:g}"}
        )

    def server_error_response(self, request: SandboxRequest, status: int) -> SandboxResponse:
        return SandboxResponse.json(status, {"code": "ServerError", "message": "try again"})

    def not_found_response(self, request: SandboxRequest) -> SandboxResponse:
        return SandboxResponse.json(404, {"code": "NotFound", "message": "no route"})

    def _list(self, request: SandboxRequest) -> SandboxResponse:
        page = int(request.param("page", "1") or 1)
        size = int(request.param("pageSize", "25") or 25)
        chunk = self.items[(page - 1) * size : page * size]
        return SandboxResponse.json(200, chunk)

    def _get(self, request: SandboxRequest) -> SandboxResponse:
        wanted = int(request.path_params["id"])
        for item in self.items:
            if item["id"] == wanted:
                return SandboxResponse.json(200, item)
        raise Abort(SandboxResponse.json(404, {"code": "NotFound", "message": f"item {wanted} not found"}))

    def _create(self, request: SandboxRequest) -> SandboxResponse:
        body = request.json()
        if any(i["name"] == body.get("name") for i in self.items):
            return SandboxResponse.json(400, {"code": "ObjectExists", "message": "name taken"})
        item = {"id": len(self.items) + 1, **body}
        self.items.append(item)
        return SandboxResponse.json(201, item)

    def _raw(self, request: SandboxRequest) -> SandboxResponse:
        kind = request.path_params["kind"]
        if kind == "html":
            return SandboxResponse.text(200, "<html>maintenance</html>", "text/html")
        if kind == "truncated":
            return SandboxResponse(
                status=200, headers=(("Content-Type", "application/json"),), body=b'{"id": 1, "na'
            )
        return SandboxResponse.json(200, {"unexpected": True})


def toy_errors(response: httpx.Response) -> tuple[ErrorDetail, ...]:
    try:
        body = response.json()
    except ValueError:
        return ()
    if isinstance(body, dict):
        return (ErrorDetail(code=body.get("code"), message=str(body.get("message", ""))),)
    return ()


def toy_classify(response: httpx.Response, details: tuple[ErrorDetail, ...]) -> type[ConflictError] | None:
    return ConflictError if any(d.code == "ObjectExists" for d in details) else None


TOY = Platform(
    name="toy",
    parse_errors=toy_errors,
    classify=toy_classify,
    request_id_header="x-toy-request-id",
    default_rate_limit=RateLimit(),
)


def parse_item(response: httpx.Response) -> dict[str, Any]:
    data = decode_json(response)
    return {"id": int(data["id"]), "name": str(data["name"])}


def list_call(page: int = 1, page_size: int = 10) -> Call[Page[dict[str, Any]]]:
    def parse(response: httpx.Response) -> Page[dict[str, Any]]:
        rows = decode_json(response)
        more = len(rows) == page_size
        return Page(
            items=[{"id": r["id"], "name": r["name"]} for r in rows],
            next_cursor=str(page + 1) if more else None,
        )

    return Call(
        method="GET",
        path="/items",
        template="/items",
        params={"page": str(page), "pageSize": str(page_size)},
        parse=parse,
    )


def next_list_call(
    prev: Call[Page[dict[str, Any]]], page: Page[dict[str, Any]]
) -> Call[Page[dict[str, Any]]] | None:
    if page.next_cursor is None:
        return None
    return list_call(int(page.next_cursor), int(str(prev.params["pageSize"])))


def get_call(item_id: int) -> Call[dict[str, Any]]:
    return Call(method="GET", path=f"/items/{item_id}", template="/items/{id}", parse=parse_item)


def create_call(name: str, *, idempotent: bool = False) -> Call[dict[str, Any]]:
    return Call(
        method="POST",
        path="/items",
        template="/items",
        json={"name": name},
        idempotent=idempotent,
        parse=parse_item,
    )


def sync_executor(sandbox: Sandbox, *, sleep: Callable[[float], object], **kw: Any) -> SyncExecutor:
    kw.setdefault("retry", RetryPolicy(jitter=0))
    return SyncExecutor(platform=TOY, base_url=BASE_URL, transport=sandbox.transport(), sleep=sleep, **kw)


def async_executor(sandbox: Sandbox, *, sleep: Callable[[float], Any], **kw: Any) -> AsyncExecutor:
    kw.setdefault("retry", RetryPolicy(jitter=0))
    return AsyncExecutor(platform=TOY, base_url=BASE_URL, transport=sandbox.transport(), sleep=sleep, **kw)
