"""The emulator framework: routing, faults, limits, request log, ASGI and a real socket."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from datetime import date, datetime, timezone
from decimal import Decimal
from types import MappingProxyType
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from msplink.sandbox import (
    FaultKind,
    FaultRule,
    Router,
    SandboxRateLimit,
    SandboxRequest,
    SandboxResponse,
    _framework,
)
from msplink.sandbox._framework import exact_json_dumps, json_dumps
from msplink.testing import FakeClock
from tests.core._toy import ToySandbox


def _ok(request: SandboxRequest) -> SandboxResponse:
    return SandboxResponse.json(200, dict(request.path_params))


def test_router_matches_params_methods_and_case() -> None:
    router = Router()
    router.add("GET", "/v3/company/{realm}/{entity}/{id}", _ok)
    router.add("POST", "/v3/company/{realm}/{entity}", _ok)
    router.add("GET", "/files/{rest:path}", _ok)

    found = router.match("GET", "/V3/company/123/invoice/9")
    assert not isinstance(found, bool) and found is not None
    assert found[1] == {"realm": "123", "entity": "invoice", "id": "9"}
    assert router.match("DELETE", "/v3/company/123/invoice") is False
    assert router.match("GET", "/nowhere") is None
    nested = router.match("GET", "/files/a/b/c.csv")
    assert not isinstance(nested, bool) and nested is not None and nested[1] == {"rest": "a/b/c.csv"}


def test_unknown_path_and_wrong_method_get_vendor_answers() -> None:
    sandbox = ToySandbox()
    client = httpx.Client(transport=sandbox.transport(), base_url="https://toy.example.com")
    assert client.get("/api/nope").json() == {"code": "NotFound", "message": "no route"}
    assert client.delete("/api/items").status_code == 405
    assert [(r.method, r.path, r.status) for r in sandbox.requests] == [
        ("GET", "/api/nope", 404),
        ("DELETE", "/api/items", 405),
    ]


def test_invalid_json_body_gets_the_invalid_body_answer() -> None:
    sandbox = ToySandbox()
    client = httpx.Client(transport=sandbox.transport(), base_url="https://toy.example.com")
    response = client.post("/api/items", content=b"{not json")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_body"


def _fault_pattern(seed: int) -> list[int | None]:
    sandbox = ToySandbox(records=1, seed=seed)
    sandbox.faults.inject(FaultKind.SERVER_ERROR, rate=0.3, status=503)
    client = httpx.Client(transport=sandbox.transport(), base_url="https://toy.example.com")
    for _ in range(100):
        client.get("/api/items/1")
    return [r.status for r in sandbox.requests]


def test_faults_are_deterministic_by_seed_and_close_to_their_rate() -> None:
    first, again, other = _fault_pattern(3), _fault_pattern(3), _fault_pattern(4)
    assert first == again
    assert first != other
    assert 15 <= first.count(503) <= 45


def test_fault_rules_filter_by_method_path_and_times() -> None:
    sandbox = ToySandbox(records=2)
    sandbox.faults.add(
        FaultRule(kind=FaultKind.SERVER_ERROR, method="GET", path=r"/items/2$", times=2, status=500)
    )
    client = httpx.Client(transport=sandbox.transport(), base_url="https://toy.example.com")
    statuses = [
        client.get(p).status_code for p in ["/api/items/1", "/api/items/2", "/api/items/2", "/api/items/2"]
    ]
    assert statuses == [200, 500, 500, 200]
    assert sandbox.faults.injected[FaultKind.SERVER_ERROR] == 2
    assert [r.fault for r in sandbox.requests] == [None, "server_error", "server_error", None]


def test_dropped_connection_and_lost_response_are_transport_errors() -> None:
    sandbox = ToySandbox()
    sandbox.faults.inject(FaultKind.DROP_CONNECTION, times=1)
    client = httpx.Client(transport=sandbox.transport(), base_url="https://toy.example.com")
    with pytest.raises(httpx.RemoteProtocolError):
        client.post("/api/items", json={"name": "a"})
    assert sandbox.items == []  # nothing applied
    sandbox.faults.clear()
    sandbox.faults.inject(FaultKind.LOSE_RESPONSE, times=1)
    with pytest.raises(httpx.ReadError):
        client.post("/api/items", json={"name": "a"})
    assert [i["name"] for i in sandbox.items] == ["a"]  # applied, answer lost
    assert [r.status for r in sandbox.requests] == [None, None]


def test_latency_fault_waits_through_the_injected_sleep() -> None:
    clock = FakeClock()
    sandbox = ToySandbox(records=1, clock=clock, sleep=clock.sleep)
    sandbox.faults.inject(FaultKind.LATENCY, latency=2.5, times=1)
    client = httpx.Client(transport=sandbox.transport(), base_url="https://toy.example.com")
    assert client.get("/api/items/1").status_code == 200
    assert clock.sleeps == [2.5]


def test_window_limit_answers_429_until_the_window_moves() -> None:
    clock = FakeClock()
    sandbox = ToySandbox(records=1, clock=clock, limits=[SandboxRateLimit(name="m", requests=3, window=60)])
    client = httpx.Client(transport=sandbox.transport(), base_url="https://toy.example.com")
    statuses = [client.get("/api/items/1").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert sandbox.requests[-1].status == 429
    clock.advance(30)
    throttled = client.get("/api/items/1")
    assert throttled.status_code == 429 and throttled.headers["Retry-After"] == "30"
    clock.advance(30)
    assert client.get("/api/items/1").status_code == 200


def test_limits_are_keyed_per_bucket_and_can_be_switched_off() -> None:
    limit = SandboxRateLimit(name="per-item", requests=1, window=60, key=lambda r: r.path)
    sandbox = ToySandbox(records=2, limits=[limit])
    client = httpx.Client(transport=sandbox.transport(), base_url="https://toy.example.com")
    assert [client.get(p).status_code for p in ["/api/items/1", "/api/items/2", "/api/items/1"]] == [
        200,
        200,
        429,
    ]
    sandbox.enforce_rate_limits = False
    assert client.get("/api/items/1").status_code == 200


def test_concurrency_limit_refuses_the_extra_request_in_flight() -> None:
    gate = threading.Event()
    sandbox = ToySandbox(
        records=1,
        limits=[SandboxRateLimit(name="concurrent", max_concurrent=2)],
        sleep=lambda s: gate.wait(5),
    )
    sandbox.faults.inject(FaultKind.LATENCY, latency=1, times=2)
    client = httpx.Client(transport=sandbox.transport(), base_url="https://toy.example.com")
    results: list[int] = []
    threads = [
        threading.Thread(target=lambda: results.append(client.get("/api/items/1").status_code))
        for _ in range(2)
    ]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 5
    while sandbox.faults.injected[FaultKind.LATENCY] < 2 and time.monotonic() < deadline:
        time.sleep(0.001)
    third = client.get("/api/items/1").status_code
    gate.set()
    for t in threads:
        t.join()
    assert third == 429
    assert sorted(results) == [200, 200]
    assert client.get("/api/items/1").status_code == 200


def test_async_transport_serves_the_same_sandbox() -> None:
    sandbox = ToySandbox(records=3)

    async def run() -> list[int]:
        async with httpx.AsyncClient(
            transport=sandbox.transport(), base_url="https://toy.example.com"
        ) as client:
            responses = await asyncio.gather(*(client.get(f"/api/items/{n}") for n in (1, 2, 3)))
        return sorted(r.json()["id"] for r in responses)

    assert asyncio.run(run()) == [1, 2, 3]
    assert sandbox.count("GET", r"^/api/items/\d+$") == 3


def test_asgi_app_ignores_the_host_header() -> None:
    sandbox = ToySandbox(records=2)

    async def run() -> tuple[int, object, int]:
        transport = httpx.ASGITransport(app=sandbox)
        async with httpx.AsyncClient(
            transport=transport, base_url="https://api-na.myconnectwise.net"
        ) as client:
            got = await client.get("/api/items/2", params={"q": "a b"})
            created = await client.post("/api/items", json={"name": "new"})
        return got.status_code, got.json(), created.status_code

    assert asyncio.run(run()) == (200, {"id": 2, "name": "item 2"}, 201)
    assert sandbox.requests[0].query == "q=a b"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_served_over_a_real_socket_with_uvicorn() -> None:
    uvicorn = pytest.importorskip("uvicorn")
    sandbox = ToySandbox(records=2, raise_internal_errors=False)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(sandbox, host="127.0.0.1", port=port, log_level="error", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.01)
        response = httpx.get(f"http://127.0.0.1:{port}/api/items/1", headers={"Host": "api.example.invalid"})
        assert response.json() == {"id": 1, "name": "item 1"}
    finally:
        server.should_exit = True
        thread.join(10)
    assert sandbox.requests[0].status == 200


def test_an_encoded_slash_stays_inside_its_segment() -> None:
    router_sandbox = ToySandbox()
    router_sandbox.router.add("GET", "/api/by-name/{name}", _ok)
    client = httpx.Client(transport=router_sandbox.transport(), base_url="https://toy.example.com")
    response = client.get("/api/by-name/a%2Fb%20c")
    assert response.json() == {"name": "a/b c"}
    assert router_sandbox.requests[0].path == "/api/by-name/a/b c"


def test_lock_holds_requests_until_released() -> None:
    sandbox = ToySandbox()
    client = httpx.Client(transport=sandbox.transport(), base_url="https://toy.example.com")
    served: list[int] = []
    with sandbox.lock():
        worker = threading.Thread(target=lambda: served.append(client.get("/api/items").status_code))
        worker.start()
        worker.join(timeout=0.2)
        assert served == [] and worker.is_alive()  # waiting for the state lock
        with sandbox.lock():  # re-entrant for the holder
            pass
    worker.join(timeout=5)
    assert served == [200]


# ------------------------------------------------------------------------------- the JSON encoder

_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.text(),
    st.dates(),
    st.datetimes(timezones=st.just(timezone.utc)),
)
_VALUES = st.recursive(
    _LEAVES,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.tuples(inner, inner),
        st.dictionaries(st.text(max_size=6), inner, max_size=4),
    ),
    max_leaves=30,
)


@given(value=_VALUES)
@settings(max_examples=200, deadline=None)
def test_the_fast_encoder_writes_what_the_exact_encoder_writes(value: Any) -> None:
    """Pages go through the C encoder; Decimals keep their digits (``1237.50``), as the exact one writes."""
    fast, exact = json_dumps(value), exact_json_dumps(value)
    assert json.loads(fast, parse_float=str) == json.loads(exact, parse_float=str)
    if not _non_ascii_key(value):  # the exact encoder escapes non-ASCII keys (\\u00e9), nothing else differs
        assert fast == exact


def _non_ascii_key(value: Any) -> bool:
    if isinstance(value, dict):
        return any(not k.isascii() or _non_ascii_key(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(_non_ascii_key(v) for v in value)
    return False


def test_no_stored_string_becomes_a_number_and_mappings_encode() -> None:
    marked = "\x00" + _framework._NONCE + "1.5\x01" + _framework._NONCE
    for text in (marked, '"' + marked + '"', "\\u0000" + _framework._NONCE, "\x01" + _framework._NONCE):
        for page in ({"x": text}, {"x": text, "n": Decimal("2.50")}, [Decimal("1"), text, Decimal("3")]):
            assert json.loads(json_dumps(page), parse_float=Decimal) == page
    page = {
        "amount": Decimal("1237.50"),
        "when": date(2026, 1, 31),
        "at": datetime(2026, 1, 31, tzinfo=timezone.utc),
        "ref": MappingProxyType({"id": 1}),
        "tags": ("a", "b"),
    }
    assert json_dumps(page) == (
        b'{"amount":1237.50,"when":"2026-01-31","at":"2026-01-31T00:00:00+00:00",'
        b'"ref":{"id":1},"tags":["a","b"]}'
    )
    with pytest.raises(TypeError):
        json_dumps({"x": object()})
