"""What the executor sends: headers, bodies, params, URLs, timeouts; client ownership."""

from __future__ import annotations

import asyncio
import json
from decimal import Decimal

import httpx
import pytest

from msplink._core import DEFAULT_TIMEOUT, AsyncExecutor, Call, SyncExecutor, user_agent
from msplink.errors import APIError
from msplink.testing import MockRouter
from tests.core._toy import BASE_URL, TOY


def _executor(router: MockRouter, **kw: object) -> SyncExecutor:
    return SyncExecutor(platform=TOY, base_url=BASE_URL, transport=router.transport(), **kw)  # type: ignore[arg-type]


def test_request_shape() -> None:
    router = MockRouter()
    route = router.post("/api/things", status=201, json={"ok": True})
    executor = _executor(router, headers={"clientId": "abc"}, app_name="acme-sync/1.0")

    executor.execute(
        Call(
            method="POST",
            path="/things",
            params={"a": "1", "many": ["x", "y z"]},
            json={"amount": Decimal("10.10"), "qty": Decimal("3"), "name": "Ä"},
        )
    )

    sent = route.calls[0]
    assert str(sent.url) == "https://toy.example.com/api/things?a=1&many=x&many=y+z"
    assert sent.headers["User-Agent"] == user_agent("acme-sync/1.0")
    assert sent.headers["User-Agent"].startswith("msplink/")
    assert sent.headers["Accept"] == "application/json"
    assert sent.headers["Content-Type"] == "application/json"
    assert sent.headers["clientId"] == "abc"
    assert sent.content == '{"amount":10.10,"qty":3,"name":"Ä"}'.encode()
    assert json.loads(sent.content, parse_float=Decimal)["amount"] == Decimal("10.10")
    assert sent.extensions["timeout"] == DEFAULT_TIMEOUT.as_dict()


def test_call_headers_win_and_same_origin_absolute_urls_pass_through() -> None:
    router = MockRouter()
    route = router.get("/services/data/v62.0/query/01g-2000", json={"done": True})
    executor = _executor(router)
    executor.execute(
        Call(
            method="GET",
            path="https://TOY.example.com:443/services/data/v62.0/query/01g-2000",
            headers={"Accept": "text/csv"},
        )
    )
    assert route.calls[0].url.host == "toy.example.com"
    assert route.calls[0].headers["Accept"] == "text/csv"


@pytest.mark.parametrize(
    "url",
    [
        "https://other.example.com/services/data/v62.0/query/01g-2000",
        "http://toy.example.com/api/x",  # same host, downgraded scheme
        "https://toy.example.com:8443/api/x",  # same host, another port
        "https://toy.example.com.evil.example/api/x",
        "https://toy.example.com@evil.example/api/x",
    ],
)
def test_absolute_urls_off_the_configured_origin_are_refused_before_sending(url: str) -> None:
    router = MockRouter()
    executor = _executor(router)
    with pytest.raises(APIError) as info:
        executor.execute(Call(method="GET", path=url, template="/query/{locator}"))
    assert info.value.codes == ("foreign_url",)
    assert info.value.path == "/query/{locator}"
    assert router.calls == []


def test_an_unparseable_absolute_url_is_a_typed_error() -> None:
    executor = _executor(MockRouter())
    with pytest.raises(APIError) as info:
        executor.execute(Call(method="GET", path="https://toy.example.com:1:2/x"))
    assert info.value.codes[0] in {"foreign_url", "invalid_url"}


def test_timeouts_and_with_options() -> None:
    router = MockRouter()
    route = router.get("/api/x", json={})
    executor = _executor(router, timeout=10)
    executor.with_options(timeout=2).execute(Call(method="GET", path="/x"))
    executor.execute(Call(method="GET", path="/x"))
    assert route.calls[0].extensions["timeout"]["read"] == 2.0
    assert route.calls[1].extensions["timeout"] == {"connect": 5.0, "read": 10.0, "write": 10.0, "pool": 10.0}


def test_lazy_base_url_is_read_per_call() -> None:
    router = MockRouter()
    route = router.get("/x", json={})
    bases = iter(["https://na1.example.com", "https://eu2.example.com"])
    executor = SyncExecutor(platform=TOY, base_url=lambda: next(bases), transport=router.transport())
    executor.execute(Call(method="GET", path="/x"))
    executor.execute(Call(method="GET", path="/x"))
    assert [c.url.host for c in route.calls] == ["na1.example.com", "eu2.example.com"]


def test_borrowed_http_client_is_not_closed() -> None:
    router = MockRouter()
    router.get("/api/x", json={})
    borrowed = httpx.Client(transport=router.transport())
    executor = SyncExecutor(platform=TOY, base_url=BASE_URL, http_client=borrowed)
    executor.execute(Call(method="GET", path="/x"))
    executor.close()
    assert not borrowed.is_closed
    owned = _executor(router)
    owned.close()
    assert owned.http_client.is_closed


def test_async_executor_sends_the_same_request() -> None:
    router = MockRouter()
    route = router.post("/api/things", status=201, json={"ok": True})
    call: Call[object] = Call(
        method="POST", path="/things", params={"a": "1"}, json={"amount": Decimal("1.5")}
    )

    async def run() -> None:
        executor = AsyncExecutor(platform=TOY, base_url=BASE_URL, transport=router.transport())
        await executor.execute(call)
        await executor.aclose()
        assert executor.http_client.is_closed

    asyncio.run(run())
    _executor(router).execute(call)
    first, second = route.calls
    assert (first.method, str(first.url), first.content) == (second.method, str(second.url), second.content)
    assert first.headers["User-Agent"] == second.headers["User-Agent"]
