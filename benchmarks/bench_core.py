"""Core overhead: executor round trips per second and paginator memory over an in-memory transport."""

from __future__ import annotations

import json
import time
import tracemalloc

import httpx

from benchmarks._harness import Result
from msplink._core import Call, Page, Paginator, Platform, SyncExecutor, decode_json

_PLATFORM = Platform(name="bench")
_ROWS = 100_000
_PAGE = 1000
_ROW_BODY = {"id": 0, "name": "Company", "balance": "12.50"}


def _handler(request: httpx.Request) -> httpx.Response:
    if request.url.path.endswith("/ping"):
        return httpx.Response(200, content=b'{"ok": true}')
    page = int(request.url.params["page"])
    start = (page - 1) * _PAGE
    rows = [dict(_ROW_BODY, id=i) for i in range(start, min(start + _PAGE, _ROWS))]
    return httpx.Response(200, content=json.dumps(rows).encode())


def _page_call(page: int) -> Call[Page[int]]:
    def parse(response: httpx.Response) -> Page[int]:
        rows = decode_json(response)
        return Page(
            items=[row["id"] for row in rows], next_cursor=str(page + 1) if len(rows) == _PAGE else None
        )

    return Call(method="GET", path="/rows", params={"page": str(page)}, parse=parse)


def _next(prev: Call[Page[int]], page: Page[int]) -> Call[Page[int]] | None:
    return _page_call(int(page.next_cursor)) if page.next_cursor else None


def run() -> list[Result]:
    """Measure calls/second and the peak memory of walking 100,000 rows."""
    executor = SyncExecutor(
        platform=_PLATFORM, base_url="https://bench.local", transport=httpx.MockTransport(_handler)
    )
    ping: Call[object] = Call(method="GET", path="/ping", parse=decode_json)
    count = 2000
    started = time.perf_counter()
    for _ in range(count):
        executor.execute(ping)
    per_second = count / (time.perf_counter() - started)

    tracemalloc.start()
    total = sum(1 for _ in Paginator(executor, _page_call(1), _next))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert total == _ROWS
    return [
        Result("core: executed calls per second (in-memory transport)", per_second, "calls/s", 1000, True),
        Result("core: peak memory walking 100,000 rows in 1,000-row pages", peak / 2**20, "MiB", 16),
    ]
