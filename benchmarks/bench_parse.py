"""The parsing hot path side by side with the peers, in one process (issue 10).

Measured (thread CPU time, garbage collector off, the minimum of 3 passes, distinct records):

* full-record parse per record, from the response bytes, each client with its own decoding: CW
  company and ticket vs pyconnectwise (pydantic), QBO customer and invoice vs python-quickbooks;
* the projected sync path: a CW company projected to the fields its mapper reads (``fields=``), vs
  pyconnectwise's full parse;
* client CPU to read 10,000 CW companies through each client over an in-memory server that answers
  pre-rendered pages (so the emulator costs nothing): msplink's forward-only walk vs pyconnectwise's
  ``paginated(...).all()``;
* QBO: 1,000 creates through ``batch()`` with 50 ms of latency per request, async vs sync wall time
  (rate-limit waits on a fake clock);
* memory: peak traced memory streaming 10,000 and 100,000 CW companies.

A peer that is not installed is skipped (``pip install pyconnectwise python-quickbooks``, or ``nox -s
bench``). Results go to ``benchmarks/results/parse.json`` and ``parse.md`` with the machine noted.
``MSPLINK_BENCH_RECORDS`` sets the records per parse measurement (default 2,000).
"""

from __future__ import annotations

import asyncio
import gc
import importlib
import json
import os
import time
import tracemalloc
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from benchmarks import _payloads as payloads
from benchmarks._harness import Result
from benchmarks._machine import machine
from msplink.connectwise import ConnectWiseClient
from msplink.connectwise import models as cw
from msplink.mappers import MAPPERS, MappingConfig
from msplink.quickbooks import (
    AsyncQuickBooksClient,
    MemoryTokenStore,
    OAuthToken,
    QuickBooksClient,
    QuickBooksOAuth2,
)
from msplink.quickbooks import models as qbo
from msplink.quickbooks._operations import BatchOperation
from msplink.sandbox.quickbooks import QuickBooksSandbox
from msplink.testing import FakeClock

RESULTS = Path(__file__).resolve().parent / "results"
RECORDS = int(os.environ.get("MSPLINK_BENCH_RECORDS", "2000"))
CW_SITE = "api-na.myconnectwise.net"
CW_BASE = f"https://{CW_SITE}/v2025_1/apis/3.0"
PAGE = 1000


def _cpu_per_item(fn: Callable[[Any], object], items: list[Any], passes: int = 3) -> float:
    """Microseconds of thread CPU time per item (minimum over ``passes``, GC off)."""
    best = float("inf")
    gc.collect()
    gc.disable()
    try:
        for _ in range(passes):
            started = time.thread_time_ns()
            for item in items:
                fn(item)
            best = min(best, time.thread_time_ns() - started)
    finally:
        gc.enable()
    return best / len(items) / 1000


def _cpu(fn: Callable[[], object], passes: int = 3) -> float:
    """Seconds of thread CPU time of ``fn()`` (minimum over ``passes``, GC off)."""
    best = float("inf")
    for _ in range(passes):
        gc.collect()
        gc.disable()
        try:
            started = time.thread_time_ns()
            fn()
            best = min(best, time.thread_time_ns() - started)
        finally:
            gc.enable()
    return best / 1e9


def _compact(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), default=str).encode()


def _peers() -> dict[str, Any]:
    """The installed peers' model classes (imported by name: they are not project dependencies)."""
    found: dict[str, Any] = {}
    try:
        manage = importlib.import_module("pyconnectwise.models.manage")
        found["pyconnectwise"] = {"company": manage.Company, "ticket": manage.Ticket}
    except ImportError:  # pragma: no cover - the peer is optional
        pass
    try:
        customer = importlib.import_module("quickbooks.objects.customer")
        invoice = importlib.import_module("quickbooks.objects.invoice")
        found["python-quickbooks"] = {"customer": customer.Customer, "invoice": invoice.Invoice}
    except ImportError:  # pragma: no cover - the peer is optional
        pass
    return found


def _loads_decimal(body: bytes) -> Any:
    return json.loads(body, parse_float=Decimal)


def _from_bytes(parse: Callable[[Any], object], *, plain_json: bool = False) -> Callable[[bytes], object]:
    """Bytes to model as the client does it (msplink: Decimal fractions; the peers: plain floats)."""
    decode: Callable[[bytes], Any] = json.loads if plain_json else _loads_decimal

    def run(body: bytes) -> object:
        return parse(decode(body))

    return run


# ------------------------------------------------------------------------------------- parse per record


def parse_rows(peers: dict[str, Any]) -> list[dict[str, Any]]:
    """Per record: JSON alone, msplink (bytes -> model, model only), the peer, and the ratios."""
    cases: list[tuple[str, Callable[[int], dict[str, Any]], Any, str, str]] = [
        ("CW company", payloads.cw_company, cw.Company.from_api, "pyconnectwise", "company"),
        ("CW ticket", payloads.cw_ticket, cw.Ticket.from_api, "pyconnectwise", "ticket"),
        ("QBO customer", payloads.qbo_customer, qbo.Customer.from_api, "python-quickbooks", "customer"),
        ("QBO invoice", payloads.qbo_invoice, qbo.Invoice.from_api, "python-quickbooks", "invoice"),
    ]
    rows = []
    for label, build, ours, peer_name, peer_model in cases:
        bodies = [_compact(build(i)) for i in range(RECORDS)]
        decoded = [_loads_decimal(b) for b in bodies]
        row: dict[str, Any] = {
            "payload": label,
            "bytes": sum(len(b) for b in bodies) // len(bodies),
            "json_us": _cpu_per_item(_loads_decimal, bodies),
            "msplink_model_us": _cpu_per_item(ours, decoded),
            "msplink_us": _cpu_per_item(_from_bytes(ours), bodies),
            "peer": peer_name,
        }
        peer = peers.get(peer_name)
        if peer is not None:
            model = peer[peer_model]
            validate = model.model_validate if peer_name == "pyconnectwise" else model.from_json
            plain = [json.loads(b) for b in bodies]
            row["peer_model_us"] = _cpu_per_item(validate, plain)
            row["peer_us"] = _cpu_per_item(_from_bytes(validate, plain_json=True), bodies)
            row["ratio"] = row["msplink_us"] / row["peer_us"]
            row["model_ratio"] = row["msplink_model_us"] / row["peer_model_us"]
        rows.append(row)
    return rows


def _answer(record: Mapping[str, Any], paths: Iterable[str]) -> dict[str, Any]:
    """What ConnectWise answers to ``fields=`` with these paths (``status/name``: only that value)."""
    out: dict[str, Any] = {}
    for path in paths:
        head, _, rest = path.partition("/")
        if head not in record:
            continue
        if not rest:
            out[head] = record[head]
        elif isinstance(record[head], Mapping):
            inner = _answer(record[head], [rest])
            if inner:
                out.setdefault(head, {}).update(inner)
    return out


def projected_row(peers: dict[str, Any]) -> dict[str, Any]:
    """A CW company read as the sync adapter reads it vs pyconnectwise's full parse.

    The adapter asks ``fields=`` :meth:`Company.projection` of its mapper's ``reads_for(config)``:
    the fields the mapper reads, references as their own fields, ``_info`` as the record's stamps
    (no links), and ``customFields`` only when the config maps one of them. Measured with the
    default config (no custom field mapped) and with one that maps a company custom field.
    """
    mapper = next(m for m in MAPPERS if m.system == "connectwise" and m.object == "company")
    custom = MappingConfig.from_dict(
        {"custom_fields": [{"record": "Customer", "name": "sla", "connectwise": "SLA Tier"}]}
    )
    full = [payloads.cw_company(i) for i in range(RECORDS)]
    paths = cw.Company.projection(("id", *mapper.reads_for(MappingConfig()), "_info"))
    custom_paths = cw.Company.projection(("id", *mapper.reads_for(custom), "_info"))
    bodies = [_compact(_answer(record, paths)) for record in full]
    custom_bodies = [_compact(_answer(record, custom_paths)) for record in full]
    parse = _from_bytes(cw.Company.from_api)
    row: dict[str, Any] = {
        "payload": f"CW company projected to {len(paths)} paths",
        "bytes": sum(len(b) for b in bodies) // len(bodies),
        "msplink_us": _cpu_per_item(parse, bodies),
        "custom_bytes": sum(len(b) for b in custom_bodies) // len(custom_bodies),
        "msplink_custom_us": _cpu_per_item(parse, custom_bodies),
    }
    peer = peers.get("pyconnectwise")
    if peer is not None:
        plain = [_compact(record) for record in full]
        row["peer_full_us"] = _cpu_per_item(
            _from_bytes(peer["company"].model_validate, plain_json=True), plain
        )
        row["ratio"] = row["msplink_us"] / row["peer_full_us"]
        row["custom_ratio"] = row["msplink_custom_us"] / row["peer_full_us"]
    return row


# ----------------------------------------------------------------------------- 10k CW companies, CPU


class _Pages:
    """Pre-rendered CW company pages, answered in both paging modes (REFERENCE §4)."""

    def __init__(self, total: int, *, distinct: bool = True) -> None:
        self.total = total
        self.pages = total // PAGE
        if distinct:
            self.bodies = [
                _compact([payloads.cw_company(p * PAGE + i) for i in range(PAGE)]) for p in range(self.pages)
            ]
        else:  # one page answered for every page number (memory runs: the server must not grow)
            self.bodies = [_compact([payloads.cw_company(i) for i in range(PAGE)])]

    def answer(self, query: dict[str, list[str]]) -> tuple[bytes, str]:
        """The body and ``Link`` header of a request for companies."""
        if "pageId" in query:
            number = int(query["pageId"][0]) // PAGE + 1
        else:
            number = int(query.get("page", ["1"])[0])
        if number > self.pages:
            return b"[]", ""
        body = self.bodies[(number - 1) % len(self.bodies)]
        if "page" in query:
            link = f'<{CW_BASE}/company/companies?pageSize={PAGE}&page=1>; rel="first"'
            if number < self.pages:
                link += f', <{CW_BASE}/company/companies?pageSize={PAGE}&page={number + 1}>; rel="next"'
            return body, link
        link = (
            f'<{CW_BASE}/company/companies?pageSize={PAGE}&pageId={number * PAGE}>; rel="next"'
            if number < self.pages
            else ""
        )
        return body, link


def _msplink_read(pages: _Pages) -> Callable[[], int]:
    def handler(request: httpx.Request) -> httpx.Response:
        body, link = pages.answer(parse_qs(request.url.query.decode()))
        return httpx.Response(200, content=body, headers={"Link": link} if link else {})

    client = ConnectWiseClient(
        site=CW_SITE,
        company_id="bench",
        public_key="pub",
        private_key="priv",
        client_id="cid",
        codebase="v2025_1",
        transport=httpx.MockTransport(handler),
    )

    def read() -> int:
        return sum(1 for _ in client.companies.list())

    return read


def _pyconnectwise_read(pages: _Pages) -> Callable[[], int]:
    requests = importlib.import_module("requests")
    client_class = importlib.import_module("pyconnectwise").ConnectWiseManageAPIClient

    def send(adapter: Any, request: Any, **kwargs: Any) -> Any:
        body, link = pages.answer(parse_qs(urlsplit(request.url).query))
        response = requests.Response()
        response.status_code = 200
        response._content = body
        response.headers["Content-Type"] = "application/json"
        if link:
            response.headers["Link"] = link
        response.url = request.url
        response.request = request
        return response

    requests.adapters.HTTPAdapter.send = send  # the in-memory server, below requests' own machinery
    client = client_class("bench", CW_SITE, "cid", "pub", "priv", codebase="v2025_1")
    client.codebase = "v2025_1"  # pyconnectwise 0.6.1.2 only sets it when it fetched it itself

    def read() -> int:
        return sum(1 for _ in client.company.companies.paginated(1, PAGE).all())

    return read


def read_row(peers: dict[str, Any], total: int = 10_000) -> dict[str, Any]:
    """Client CPU seconds to read ``total`` CW companies (1,000 a page)."""
    pages = _Pages(total)
    ours = _msplink_read(pages)
    assert ours() == total
    row: dict[str, Any] = {"records": total, "msplink_s": _cpu(ours, passes=2)}
    if "pyconnectwise" in peers:
        theirs = _pyconnectwise_read(pages)
        assert theirs() == total
        row["peer_s"] = _cpu(theirs, passes=2)
        row["ratio"] = row["msplink_s"] / row["peer_s"]
    return row


def memory_row() -> dict[str, Any]:
    """Peak traced memory streaming 10,000 and 100,000 CW companies (nothing kept)."""
    out: dict[str, Any] = {}
    for total in (10_000, 100_000):
        read = _msplink_read(_Pages(total, distinct=False))
        gc.collect()
        tracemalloc.start()
        assert read() == total
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        out[f"peak_mib_{total}"] = peak / 2**20
    out["growth"] = out["peak_mib_100000"] / out["peak_mib_10000"]
    return out


# ------------------------------------------------------------------------ QBO 1,000 creates, latency


class _Latency(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """The sandbox behind ``seconds`` of real latency per request."""

    def __init__(self, inner: Any, seconds: float) -> None:
        self.inner = inner
        self.seconds = seconds

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        time.sleep(self.seconds)
        response: httpx.Response = self.inner.handle_request(request)
        return response

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(self.seconds)
        response: httpx.Response = await self.inner.handle_async_request(request)
        return response


def _qbo_setup() -> tuple[QuickBooksSandbox, QuickBooksOAuth2, FakeClock]:
    clock = FakeClock()
    box = QuickBooksSandbox(
        clock=clock, sleep=clock.sleep, async_sleep=clock.async_sleep, enforce_rate_limits=False
    )
    creds = box.credentials()
    store = MemoryTokenStore(
        OAuthToken(
            access_token=creds["access_token"],
            refresh_token=creds["refresh_token"],
            expires_at=clock.now() + timedelta(hours=1),
            realm_id=creds["realm_id"],
        )
    )
    auth = QuickBooksOAuth2(
        client_id=creds["client_id"],
        client_secret=creds["client_secret"],
        store=store,
        redirect_uri=creds["redirect_uri"],
        now=clock.now,
    )
    return box, auth, clock


def _creates(prefix: str, count: int) -> Iterator[BatchOperation]:
    for i in range(count):
        yield BatchOperation.create(qbo.Customer(display_name=f"{prefix} {i:05d}"))


def qbo_batch_row(count: int = 1000, latency: float = 0.05) -> dict[str, Any]:
    """Wall seconds of ``count`` creates through ``batch()``: sync, then async."""
    box, auth, clock = _qbo_setup()
    transport = _Latency(box.transport(), latency)
    with QuickBooksClient(
        realm_id=box.realm_id, auth=auth, transport=transport, sleep=clock.sleep, clock=clock.monotonic
    ) as client:
        started = time.perf_counter()
        done = client.batch(_creates("Sync", count))
        sync_s = time.perf_counter() - started
    assert len(done) == count
    assert all(r.error is None for r in done)
    sync_calls = sum(1 for r in box.requests if r.path.endswith("/batch"))

    async def run_async() -> float:
        async with AsyncQuickBooksClient(
            realm_id=box.realm_id,
            auth=auth,
            transport=transport,
            sleep=clock.async_sleep,
            clock=clock.monotonic,
        ) as aclient:
            started = time.perf_counter()
            results = await aclient.batch(_creates("Async", count))
            elapsed = time.perf_counter() - started
        assert len(results) == count
        assert all(r.error is None for r in results)
        return elapsed

    async_s = asyncio.run(run_async())
    async_calls = sum(1 for r in box.requests if r.path.endswith("/batch")) - sync_calls
    return {"creates": count, "latency_ms": latency * 1000, "sync_s": sync_s, "async_s": async_s,
            "ratio": async_s / sync_s, "batch_calls": sync_calls, "async_batch_calls": async_calls}  # fmt: skip


# --------------------------------------------------------------------------------------------- report


def _machine() -> dict[str, Any]:
    return {**machine(), "records_per_parse_measurement": RECORDS}


def _markdown(report: dict[str, Any]) -> str:
    m = report["machine"]
    lines = [
        "# Parsing hot path: msplink vs the peers",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores (shared), Python {m['python']}, {m['platform']}.",
        "Thread CPU time, GC off, minimum of 3 passes, distinct records; bytes = compact JSON per record.",
        "",
        "| payload | bytes | json.loads | msplink (model only) | msplink | peer (model only) | peer | ratio |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in report["parse"]:
        peer = f"{r['peer']} {r['peer_us']:.1f} µs" if "peer_us" in r else f"{r['peer']} not installed"
        lines.append(
            f"| {r['payload']} | {r['bytes']:,} | {r['json_us']:.1f} µs | {r['msplink_model_us']:.1f} µs | "
            f"{r['msplink_us']:.1f} µs | {r.get('peer_model_us', float('nan')):.1f} µs | {peer} | "
            f"{r.get('ratio', float('nan')):.2f}x |"
        )
    p = report["projected"]
    lines += [
        "",
        f"Projected sync path: {p['payload']} ({p['bytes']:,} bytes): msplink {p['msplink_us']:.1f} µs vs "
        f"pyconnectwise full parse {p.get('peer_full_us', float('nan')):.1f} µs = "
        f"{p.get('ratio', float('nan')):.2f}x (target ≤ 0.5x); with a company custom field mapped "
        f"(``customFields`` read too, {p['custom_bytes']:,} bytes) {p['msplink_custom_us']:.1f} µs = "
        f"{p.get('custom_ratio', float('nan')):.2f}x.",
    ]
    r = report["read"]
    lines.append(
        f"Client CPU to read {r['records']:,} CW companies (1,000 a page): msplink {r['msplink_s']:.2f} s vs "
        f"pyconnectwise {r.get('peer_s', float('nan')):.2f} s = {r.get('ratio', float('nan')):.2f}x (target ≤ 1.0x)."
    )
    q = report["qbo_batch"]
    lines.append(
        f"QBO {q['creates']:,} creates via batch() with {q['latency_ms']:.0f} ms latency: sync {q['sync_s']:.2f} s, "
        f"async {q['async_s']:.2f} s = {q['ratio']:.2f}x ({q['batch_calls']} batch calls each way; target ≤ 0.3x)."
    )
    mem = report["memory"]
    lines.append(
        f"Peak traced memory streaming CW companies: 10k {mem['peak_mib_10000']:.1f} MiB, "
        f"100k {mem['peak_mib_100000']:.1f} MiB ({mem['growth']:.2f}x)."
    )
    return "\n".join(lines) + "\n"


def _results(report: dict[str, Any]) -> Iterable[Result]:
    for r in report["parse"]:
        if "ratio" in r:
            yield Result(f"parse: {r['payload']} vs {r['peer']} (bytes -> model)", r["ratio"], "x peer", 1.5)
    if "ratio" in report["projected"]:
        yield Result(
            "parse: projected CW company vs pyconnectwise full", report["projected"]["ratio"], "x peer", 0.5
        )
    if "ratio" in report["read"]:
        yield Result(
            "client CPU: read 10k CW companies vs pyconnectwise", report["read"]["ratio"], "x peer", 1.0
        )
    yield Result(
        "QBO 1,000 creates, 50 ms latency: async / sync wall", report["qbo_batch"]["ratio"], "x sync", 0.3
    )
    yield Result("memory: streaming 100k / 10k CW companies, peak", report["memory"]["growth"], "x", 1.2)


def run() -> list[Result]:
    """Measure everything, write ``results/parse.json`` and ``results/parse.md``, return the targets."""
    peers = _peers()
    report = {
        "machine": _machine(),
        "peers": sorted(peers),
        "parse": parse_rows(peers),
        "projected": projected_row(peers),
        "read": read_row(peers),
        "qbo_batch": qbo_batch_row(),
        "memory": memory_row(),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "parse.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    (RESULTS / "parse.md").write_text(_markdown(report), encoding="utf-8")
    return list(_results(report))
