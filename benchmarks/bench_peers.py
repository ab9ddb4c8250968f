"""msplink side by side with the libraries a user would otherwise use, on one served world (issue 18).

One child process seeds a world and serves its three sandboxes over HTTP with
``MSPLINK_BENCH_PEER_LATENCY`` seconds (default 0.02) of real latency per request and the rate limits
off (the peers do not throttle themselves, so with the limits on they would be refused rather than
measured; where a peer's call count exceeds a platform limit the table says so). The peers reach it
through ``requests``, whose adapter is pointed at the served ports for the vendors' host names (they
hard-code ``https://`` hosts); msplink through its ``transport=``. In one run:

- QuickBooks, 1,000 customer creates: msplink ``batch()`` (sync and async) vs python-quickbooks
  per-record ``save()`` and ``batch_create``;
- Salesforce, 2,000 account upserts by external id: msplink ``upsert_many`` through sObject
  Collections (sync and async) and through Bulk 2.0 vs simple-salesforce per record and ``bulk2``;
- ConnectWise, reading every company of a 12,000-company world (~10k companies) at page size 1,000:
  msplink ``companies.list()`` (forward-only) vs pyconnectwise ``paginated(1, 1000).all()``.

API calls are counted on the client side of each tool (token requests left out); wall time is real;
CPU is this process's (the servers run in the child). Per-record parse times against the peers'
models are ``bench_parse`` (same payloads). A peer that is not installed is skipped (``nox -s bench``
installs them). Results: ``benchmarks/results/peers.json`` and ``peers.md``.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import json
import logging
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar
from urllib.parse import urlsplit

from benchmarks._harness import Result
from benchmarks._machine import machine
from benchmarks._serve import AsyncRedirect, Redirect, served
from benchmarks.bench_recipes import RESULTS
from msplink._core import RateLimit
from msplink.connectwise import ConnectWiseClient
from msplink.quickbooks import AsyncQuickBooksClient, BatchOperation, QuickBooksClient
from msplink.quickbooks import models as qbo
from msplink.salesforce import AsyncSalesforceClient, ClientCredentialsAuth, SalesforceClient
from msplink.salesforce.models import Account

T = TypeVar("T")
LATENCY = float(os.environ.get("MSPLINK_BENCH_PEER_LATENCY", "0.02"))
WORLD = int(os.environ.get("MSPLINK_BENCH_PEER_WORLD", "12000"))
QBO_CREATES = 1000
SF_UPSERTS = 2000
QBO_HOST = "sandbox-quickbooks.api.intuit.com"
DISCOVERY_HOST = "developer.intuit.com"
BATCH_BUDGET = RateLimit(requests=40, per=60.0, max_concurrency=10)
"""QBO's documented /batch budget (40 a minute per realm and app, 10 in flight): 34 batches fit, so
msplink's own (more careful) default of 15 a minute does not make it wait in this timed run."""


def _peer(name: str) -> Any | None:
    try:
        return importlib.import_module(name)
    except ImportError:  # pragma: no cover - the peers are optional
        return None


@contextlib.contextmanager
def requests_to(routes: dict[str, str], counts: Counter[str]) -> Iterator[None]:
    """Point ``requests`` at the served sandboxes: ``https://<vendor host>/...`` goes to
    ``routes[host]``; counts API requests per host (token requests left out). Any other host is
    refused: nothing leaves the machine."""
    adapters = importlib.import_module("requests.adapters")
    original = adapters.HTTPAdapter.send

    def send(self: Any, request: Any, **kwargs: Any) -> Any:
        parts = urlsplit(request.url)
        base = routes.get(parts.hostname or "")
        if base is not None:
            if "/oauth2/" not in parts.path:
                counts[parts.hostname or ""] += 1
            request.url = base + parts.path + (f"?{parts.query}" if parts.query else "")
        elif parts.hostname not in {"127.0.0.1", "localhost"}:
            raise ConnectionError(f"benchmark: no request leaves this machine ({parts.hostname})")
        return original(self, request, **kwargs)

    adapters.HTTPAdapter.send = send
    try:
        yield
    finally:
        adapters.HTTPAdapter.send = original


def _timed(fn: Callable[[], T]) -> tuple[T, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return value, time.perf_counter() - wall, time.process_time() - cpu


def _row(tool: str, calls: int, wall: float, cpu: float, done: int, **extra: Any) -> dict[str, Any]:
    return {"tool": tool, "calls": calls, "wall_s": wall, "cpu_s": cpu, "done": done, **extra}


# ------------------------------------------------------------------------------------------ QuickBooks


def quickbooks(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """1,000 customer creates, four ways."""
    url, realm = spec["urls"]["qbo"], spec["realm_id"]
    token = spec["credentials"]["qbo"]["access_token"]
    rows = []

    def creates(prefix: str) -> list[BatchOperation]:
        return [
            BatchOperation.create(qbo.Customer(display_name=f"{prefix} {i:05d}")) for i in range(QBO_CREATES)
        ]

    redirect = Redirect(url)
    with QuickBooksClient(
        realm_id=realm, auth=token, transport=redirect, batch_rate_limit=BATCH_BUDGET
    ) as client:
        results, wall, cpu = _timed(lambda: client.batch(creates("msplink sync")))
    ok = sum(1 for r in results if r.error is None)
    rows.append(_row("msplink batch() sync", redirect.api_calls, wall, cpu, ok))

    aredirect = AsyncRedirect(url)

    async def run_async() -> list[Any]:
        async with AsyncQuickBooksClient(
            realm_id=realm, auth=token, transport=aredirect, batch_rate_limit=BATCH_BUDGET
        ) as aclient:
            return await aclient.batch(creates("msplink async"))

    results, wall, cpu = _timed(lambda: asyncio.run(run_async()))
    ok = sum(1 for r in results if r.error is None)
    rows.append(_row("msplink batch() async", aredirect.api_calls, wall, cpu, ok))

    if _peer("quickbooks") is None:
        return rows
    client_module = importlib.import_module("quickbooks")
    customer_class = importlib.import_module("quickbooks.objects.customer").Customer
    batch = importlib.import_module("quickbooks.batch")
    auth_client = importlib.import_module("intuitlib.client").AuthClient
    creds = spec["credentials"]["qbo"]
    counts: Counter[str] = Counter()
    with requests_to({QBO_HOST: url, DISCOVERY_HOST: url}, counts):
        auth = auth_client(
            creds["client_id"], creds["client_secret"], creds["redirect_uri"], "sandbox",
            access_token=token, refresh_token=creds["refresh_token"],
        )  # fmt: skip
        qb = client_module.QuickBooks(
            auth_client=auth, refresh_token=creds["refresh_token"], company_id=realm, minorversion=75
        )

        def customers(prefix: str) -> list[Any]:
            out = []
            for i in range(QBO_CREATES):
                c = customer_class()
                c.DisplayName = f"{prefix} {i:05d}"
                out.append(c)
            return out

        counts.clear()
        per_record = customers("python-quickbooks save")
        _, wall, cpu = _timed(lambda: [c.save(qb=qb) for c in per_record])
        done = sum(1 for c in per_record if getattr(c, "Id", None))
        rows.append(
            _row(
                "python-quickbooks save()", counts[QBO_HOST], wall, cpu, done,
                note="1,000 calls: twice QBO's 500 a minute per realm (limits off here)",
            )
        )  # fmt: skip
        counts.clear()
        batch_input = customers("python-quickbooks batch")
        response, wall, cpu = _timed(lambda: batch.batch_create(batch_input, qb=qb))
        rows.append(
            _row("python-quickbooks batch_create", counts[QBO_HOST], wall, cpu, len(response.successes))
        )
    return rows


# ------------------------------------------------------------------------------------------ Salesforce


def _accounts(start: int) -> list[Account]:
    return [
        Account(name=f"Peer Account {i:06d}", custom={"CW_Company_Id__c": f"P{i:06d}"})
        for i in range(start, start + SF_UPSERTS)
    ]


def salesforce(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """2,000 account upserts by external id, five ways."""
    url = spec["urls"]["sf"]
    creds = spec["credentials"]["sf"]
    rows = []

    def auth() -> ClientCredentialsAuth:
        return ClientCredentialsAuth(client_id=creds["client_id"], client_secret=creds["client_secret"])

    for label, start, threshold in (("sObject Collections", 0, 10**9), ("Bulk 2.0", 10_000, 0)):
        redirect = Redirect(url)
        with SalesforceClient(auth=auth(), transport=redirect) as client:
            accounts = _accounts(start)

            def upsert(
                c: SalesforceClient = client, batch: list[Account] = accounts, t: int = threshold
            ) -> Any:
                return c.accounts.upsert_many("CW_Company_Id__c", batch, bulk_threshold=t)

            results, wall, cpu = _timed(upsert)
        ok = sum(1 for r in results if r.success)
        rows.append(_row(f"msplink upsert_many() sync, {label}", redirect.api_calls, wall, cpu, ok))

    aredirect = AsyncRedirect(url)

    async def run_async() -> list[Any]:
        async with AsyncSalesforceClient(auth=auth(), transport=aredirect) as aclient:
            return await aclient.accounts.upsert_many(
                "CW_Company_Id__c", _accounts(20_000), bulk_threshold=10**9
            )

    results, wall, cpu = _timed(lambda: asyncio.run(run_async()))
    ok = sum(1 for r in results if r.success)
    rows.append(_row("msplink upsert_many() async, sObject Collections", aredirect.api_calls, wall, cpu, ok))

    simple = _peer("simple_salesforce")
    if simple is None:
        return rows
    host = urlsplit(creds["instance_url"]).hostname or ""
    counts: Counter[str] = Counter()
    with requests_to({host: url}, counts):
        sf = simple.Salesforce(
            instance_url=f"https://{host}", session_id=creds["access_token"], version="62.0"
        )
        records = [{"Name": a.name, "key": a.custom["CW_Company_Id__c"]} for a in _accounts(30_000)]
        statuses, wall, cpu = _timed(
            lambda: [sf.Account.upsert(f"CW_Company_Id__c/{r['key']}", {"Name": r["Name"]}) for r in records]
        )
        done = sum(1 for s in statuses if s in (200, 201, 204))
        rows.append(_row("simple-salesforce per record", counts[host], wall, cpu, done))
        counts.clear()
        bulk = [{"Name": a.name, "CW_Company_Id__c": a.custom["CW_Company_Id__c"]} for a in _accounts(40_000)]
        result, wall, cpu = _timed(
            lambda: sf.bulk2.Account.upsert(records=bulk, external_id_field="CW_Company_Id__c", wait=0)
        )
        done = sum(int(r.get("numberRecordsProcessed", 0)) for r in result)
        rows.append(_row("simple-salesforce bulk2", counts[host], wall, cpu, done))
    return rows


# ------------------------------------------------------------------------------------------ ConnectWise


def connectwise(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Every company of the world at page size 1,000, two ways."""
    url = spec["urls"]["cw"]
    creds = spec["credentials"]["cw"]
    rows = []
    redirect = Redirect(url)
    with ConnectWiseClient(**creds, transport=redirect) as client:
        count, wall, cpu = _timed(lambda: sum(1 for _ in client.companies.list()))
    rows.append(_row("msplink companies.list()", redirect.api_calls, wall, cpu, int(count)))

    pyconnectwise = _peer("pyconnectwise")
    if pyconnectwise is None:
        return rows
    counts: Counter[str] = Counter()
    site = creds["site"]
    with requests_to({site: url}, counts):
        client = pyconnectwise.ConnectWiseManageAPIClient(
            creds["company_id"], site, creds["client_id"], creds["public_key"], creds["private_key"],
            codebase="v2025_1",
        )  # fmt: skip
        client.codebase = "v2025_1"  # pyconnectwise 0.6.1.2 only sets it when it fetched it itself
        count, wall, cpu = _timed(lambda: sum(1 for _ in client.company.companies.paginated(1, 1000).all()))
        rows.append(_row("pyconnectwise paginated(1, 1000).all()", counts[site], wall, cpu, int(count)))
    return rows


# --------------------------------------------------------------------------------------------- report


def measure() -> dict[str, Any]:
    """Every job, on one served world."""
    logging.disable(logging.WARNING)
    try:
        with served(WORLD, 7, limits=False, latency=LATENCY) as spec:
            return {
                "machine": machine(),
                "latency_s": LATENCY,
                "world_companies": spec["size"],
                "jobs": {
                    "QBO 1,000 customer creates": quickbooks(spec),
                    "SF 2,000 account upserts": salesforce(spec),
                    "CW read every company, page size 1,000": connectwise(spec),
                },
            }
    finally:
        logging.disable(logging.NOTSET)


def markdown(report: dict[str, Any]) -> str:
    """The side-by-side table."""
    m = report["machine"]
    lines = [
        "# msplink vs the peers, on one served world",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores (shared), Python {m['python']}, {m['platform']}.",
        f"Sandboxes served over HTTP by another process, {report['latency_s'] * 1000:.0f} ms of real latency "
        "per request, rate limits off. Calls are API calls (token requests left out); ratios are msplink's "
        "best sync path over each peer path of the same job.",
        "",
        "| job | tool | calls | done | wall | client CPU | note |",
        "|---|---|---|---|---|---|---|",
    ]
    for job, rows in report["jobs"].items():
        for r in rows:
            lines.append(
                f"| {job} | {r['tool']} | {r['calls']:,} | {r['done']:,} | {r['wall_s']:.2f} s | "
                f"{r['cpu_s']:.2f} s | {r.get('note', '')} |"
            )
    return "\n".join(lines) + "\n"


def _ours(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in rows if r["tool"].startswith("msplink")]


def results(report: dict[str, Any]) -> Iterable[Result]:
    """Targets: msplink makes no more calls than any peer path of the same kind; async beats sync."""
    for job, rows in report["jobs"].items():
        ours = _ours(rows)
        peers = [r for r in rows if not r["tool"].startswith("msplink")]
        for peer in peers:
            bulk = "bulk" in peer["tool"].lower()
            mine = [r for r in ours if ("Bulk" in r["tool"]) == bulk] or ours
            best = min(r["calls"] for r in mine)
            yield Result(
                f"peers: {job}: msplink calls / {peer['tool']}", best / max(peer["calls"], 1), "x", 1.0
            )
            fastest = min(r["wall_s"] for r in mine)
            yield Result(
                f"peers: {job}: msplink wall / {peer['tool']}", fastest / max(peer["wall_s"], 1e-9), "x", 1.0
            )
        sync = [r for r in ours if "sync" in r["tool"] and "Bulk" not in r["tool"]]
        asynchronous = [r for r in ours if "async" in r["tool"]]
        if sync and asynchronous:
            yield Result(
                f"peers: {job}: msplink async / sync wall",
                asynchronous[0]["wall_s"] / sync[0]["wall_s"],
                "x",
                1.0,
            )
        for r in rows:
            if r["tool"].startswith("msplink"):
                expected = {"QBO": QBO_CREATES, "SF ": SF_UPSERTS}.get(job[:3])
                if expected is not None:
                    yield Result(
                        f"peers: {job}: {r['tool']} records done", r["done"], "records", expected, True
                    )


def run() -> list[Result]:
    """Measure, write ``results/peers.json`` and ``peers.md``, return the targets."""
    report = measure()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "peers.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    (RESULTS / "peers.md").write_text(markdown(report), encoding="utf-8")
    return list(results(report))
