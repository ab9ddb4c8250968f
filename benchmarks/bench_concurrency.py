"""Achieved vs allowed concurrency of msplink's async paths at 100 ms of latency (issue 18).

Each sandbox enforces its vendor's documented limits while every request waits 100 ms inside it
(holding its concurrency slot), on a virtual-time event loop (:mod:`benchmarks._virtual`), so the
waits overlap exactly as they would on a network and the run takes no real time. The metering
transport records the requests in flight over (virtual) time:

- **QuickBooks**: ``AsyncQuickBooksClient.batch()`` of 1,000 creates (34 ``/batch`` calls). Allowed:
  10 concurrent requests per realm and app, 40 batches a minute, and every batch item counts
  against the realm's 500 requests a minute (REFERENCE §11), which binds first: 1,000 items need two
  minutes whatever the concurrency.
- **Salesforce**: ``AsyncSalesforceClient.accounts.upsert_many()`` of 25,000 accounts (25 calls,
  each a ``POST /composite`` of five sObject Collections of 200). Allowed: 25 concurrent long-running requests per org (REFERENCE §13; short
  ones are not capped); msplink's default is 8 ("keep per-tenant concurrency ~4-8"), so the run is
  made with the default and with ``rate_limit=RateLimit(max_concurrency=25)``.
- **ConnectWise**: the async ``companies_and_customers`` recipe on a 5,000-company world, whose
  ConnectWise writes the adapter sends 8 at a time. Allowed: about 1,000 requests a minute per API
  key (REFERENCE §3.3; no documented concurrency cap).

Reported per platform: peak and mean (while busy) requests in flight against the concurrency limit,
and requests (or QBO batch items) per minute over the whole run against the rate limit.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from benchmarks._harness import Result
from benchmarks._machine import machine
from benchmarks._traffic import Meter
from benchmarks._virtual import run_virtual
from benchmarks._world import async_clients, meters, run_recipe_async, set_latency
from benchmarks.bench_recipes import RESULTS
from msplink._core import RateLimit
from msplink.quickbooks import AsyncQuickBooksClient, BatchOperation
from msplink.quickbooks import models as qbo
from msplink.salesforce import AsyncSalesforceClient, ClientCredentialsAuth
from msplink.salesforce.models import Account
from msplink.sandbox import FaultKind, QuickBooksSandbox, SalesforceSandbox, seed_world
from msplink.sync import MemoryStateStore
from msplink.sync.recipes import RECIPES
from msplink.testing import FakeClock

LATENCY = 0.1


def _summary(
    meter: Meter, seconds: float, *, allowed: int | None, rate_allowed: float, units: int
) -> dict[str, Any]:
    minutes = max(seconds, 1e-9) / 60
    return {
        "allowed_concurrency": allowed,
        "peak_in_flight": meter.peak_in_flight,
        "mean_in_flight_while_busy": round(meter.mean_in_flight, 2),
        "virtual_seconds": round(seconds, 2),
        "busy_seconds": round(meter.busy_seconds, 2),
        "rate_allowed_per_minute": rate_allowed,
        "rate_achieved_per_minute": round(units / minutes, 1),
        "api_calls": meter.traffic.api_calls,
    }


def quickbooks(creates: int = 1000) -> dict[str, Any]:
    """1,000 creates through the async ``batch()``."""
    clock = FakeClock()
    import asyncio

    box = QuickBooksSandbox(clock=clock, sleep=clock.sleep, async_sleep=asyncio.sleep)
    box.faults.inject(FaultKind.LATENCY, latency=LATENCY)
    meter = Meter("quickbooks", box.transport(), clock=clock.monotonic)
    creds = box.credentials()

    async def main() -> int:
        async with AsyncQuickBooksClient(
            realm_id=creds["realm_id"], auth=creds["access_token"], transport=meter, sleep=asyncio.sleep,
            clock=clock.monotonic,
        ) as client:  # fmt: skip
            ops = [
                BatchOperation.create(qbo.Customer(display_name=f"Concurrent {i:05d}"))
                for i in range(creates)
            ]
            results = await client.batch(ops)
        return sum(1 for r in results if r.error is None)

    started = clock.monotonic()
    done = run_virtual(clock, main)
    out = _summary(meter, clock.monotonic() - started, allowed=10, rate_allowed=500, units=creates)
    out.update(done=done, rate_unit="batch items (each counts against the realm's 500/min)")
    return out


def salesforce(records: int = 25_000, concurrency: int | None = None) -> dict[str, Any]:
    """25,000 upserts through the async ``upsert_many()`` (five sObject Collections per call)."""
    import asyncio

    clock = FakeClock()
    box = SalesforceSandbox(clock=clock, sleep=clock.sleep, async_sleep=asyncio.sleep)
    box.faults.inject(FaultKind.LATENCY, latency=LATENCY, path=r"/services/data/")
    meter = Meter("salesforce", box.transport(), clock=clock.monotonic)
    creds = box.credentials()
    options: dict[str, Any] = {}
    if concurrency is not None:
        options["rate_limit"] = RateLimit(max_concurrency=concurrency)

    async def main() -> int:
        auth = ClientCredentialsAuth(client_id=creds["client_id"], client_secret=creds["client_secret"])
        async with AsyncSalesforceClient(
            auth=auth, transport=meter, sleep=asyncio.sleep, **options
        ) as client:
            accounts = [
                Account(name=f"Concurrent {i:05d}", custom={"CW_Company_Id__c": f"K{i}"})
                for i in range(records)
            ]
            results = await client.accounts.upsert_many("CW_Company_Id__c", accounts, bulk_threshold=10**9)
        return sum(1 for r in results if r.success)

    started = clock.monotonic()
    done = run_virtual(clock, main)
    out = _summary(
        meter,
        clock.monotonic() - started,
        allowed=25,
        rate_allowed=float("inf"),
        units=meter.traffic.api_calls,
    )
    out.update(
        done=done, client_max_concurrency=concurrency or 8, rate_unit="requests (short requests not capped)"
    )
    return out


def connectwise(companies: int = 5000) -> dict[str, Any]:
    """The async ``companies_and_customers`` recipe; the ConnectWise meter."""
    world = seed_world(companies, seed=7)
    set_latency(world, LATENCY, asynchronous=True)
    m = meters(world)
    recipe = RECIPES["companies_and_customers"]

    async def main() -> int:
        async with async_clients(world, m) as c:
            report = await run_recipe_async(recipe, world, c, MemoryStateStore())
        return report.writes

    started = world.clock.monotonic()
    writes = run_virtual(world.clock, main)
    out = _summary(
        m.cw, world.clock.monotonic() - started, allowed=None, rate_allowed=1000, units=m.cw.traffic.api_calls
    )
    out.update(done=writes, rate_unit="requests per API key", adapter_concurrency=8)
    return out


def measure() -> dict[str, Any]:
    """Every platform."""
    logging.disable(logging.WARNING)
    try:
        return {
            "machine": machine(),
            "latency_s": LATENCY,
            "quickbooks": quickbooks(),
            "salesforce (default, 8)": salesforce(),
            "salesforce (max_concurrency=25)": salesforce(concurrency=25),
            "connectwise": connectwise(),
        }
    finally:
        logging.disable(logging.NOTSET)


def markdown(report: dict[str, Any]) -> str:
    """The table."""
    m = report["machine"]
    lines = [
        "# Achieved vs allowed concurrency at 100 ms latency (async paths)",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores (shared), Python {m['python']}. Virtual time; the vendors' "
        "limits enforced by the sandboxes.",
        "",
        "| platform | path | allowed in flight | peak | mean while busy | allowed rate /min | achieved /min | calls | wall (virtual) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    paths = {
        "quickbooks": "batch() 1,000 creates",
        "salesforce (default, 8)": "upsert_many() 25,000",
        "salesforce (max_concurrency=25)": "upsert_many() 25,000",
        "connectwise": "companies_and_customers, 5,000 companies",
    }
    for key, path in paths.items():
        r = report[key]
        allowed = r["allowed_concurrency"] if r["allowed_concurrency"] is not None else "not capped"
        rate = (
            "not capped"
            if r["rate_allowed_per_minute"] == float("inf")
            else f"{r['rate_allowed_per_minute']:,.0f}"
        )
        lines.append(
            f"| {key} | {path} | {allowed} | {r['peak_in_flight']} | {r['mean_in_flight_while_busy']} | {rate} "
            f"{r['rate_unit']} | {r['rate_achieved_per_minute']:,.0f} | {r['api_calls']} | {r['virtual_seconds']} s |"
        )
    return "\n".join(lines) + "\n"


def run() -> list[Result]:
    """Measure, write ``results/concurrency.json`` and ``.md``, return the targets."""
    report = measure()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "concurrency.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    (RESULTS / "concurrency.md").write_text(markdown(report), encoding="utf-8")
    q, sf25, cw = report["quickbooks"], report["salesforce (max_concurrency=25)"], report["connectwise"]
    sf8 = report["salesforce (default, 8)"]
    return [
        Result(
            "concurrency: QBO batch peak in flight / 10 allowed", q["peak_in_flight"] / 10, "x", 1.0, True
        ),
        Result(
            "concurrency: QBO batch items per minute / 500 allowed",
            q["rate_achieved_per_minute"] / 500,
            "x",
            0.8,
            True,
        ),
        Result("concurrency: SF peak in flight / client limit 8", sf8["peak_in_flight"] / 8, "x", 1.0, True),
        Result(
            "concurrency: SF (limit 25) peak in flight / 25 allowed",
            sf25["peak_in_flight"] / 25,
            "x",
            1.0,
            True,
        ),
        Result("concurrency: CW peak in flight / adapter's 8", cw["peak_in_flight"] / 8, "x", 1.0, True),
        Result("concurrency: QBO creates done", q["done"], "records", 1000, True),
        Result("concurrency: SF upserts done", sf25["done"], "records", 25_000, True),
    ]
