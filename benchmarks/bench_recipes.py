"""Every registered recipe against the sandboxes, at 1k, 10k (and 100k) source records (issue 18).

For each recipe of ``msplink.sync.recipes.RECIPES`` (so recipes appear here as they land) and each
size, a world is seeded with enough companies for about that many source records (a recipe's
records per company are measured once on a 100-company world), then:

1. **sync run**, in process, the vendors' real rate limits enforced, ``MSPLINK_BENCH_LATENCY``
   seconds of simulated latency per request (default 0.1) in virtual time: API calls per system
   against the platform minimum (:func:`benchmarks._traffic.minimum_calls`; target <= 1.10x),
   virtual wall time (latency plus every rate-limit wait the limits impose), and msplink's CPU per
   record: thread CPU time minus the time spent inside the sandboxes (measured around every
   request by the metering transport), so it is parse + map + plan + serialise + the client and
   httpx around them, with a ``MemoryStateStore`` (virtual waits cost no CPU, so this is the
   zero-latency CPU; target <= 30 us);
2. **rerun** of the same world an hour later with nothing changed: API calls and writes (must be 0);
3. **async run** of the recipe's flows with ``arun`` on a virtual-time event loop (same latency and
   limits): wall time, which must beat the sync run's, and the requests in flight per system;
4. **memory** (sizes >= 10k): the recipe against the same world served over HTTP by a child
   process (so this process holds none of the sandboxes' memory), with a ``SQLiteStateStore``
   file, peak traced memory of the run (``tracemalloc``); 100k must stay within 1.2x of 10k.

Sizes come from ``MSPLINK_BENCH_SIZES`` (default ``1000,10000``; ``nox -s bench`` adds 100000).
Results go to ``benchmarks/results/recipes.json`` and ``recipes.md``, with the machine noted.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from benchmarks._harness import Result
from benchmarks._machine import machine
from benchmarks._serve import Redirect, served
from benchmarks._virtual import run_virtual
from benchmarks._world import (
    INTEGRATION_USER,
    Clients,
    async_clients,
    meters,
    run_recipe,
    run_recipe_async,
    set_latency,
    sync_clients,
)
from msplink.connectwise import ConnectWiseClient
from msplink.mappers import MappingConfig
from msplink.quickbooks import QuickBooksClient
from msplink.salesforce import ClientCredentialsAuth, SalesforceClient
from msplink.sandbox import seed_world
from msplink.sync import MemoryStateStore, SQLiteStateStore, SyncReport
from msplink.sync.recipes import RECIPES, Recipe

RESULTS = Path(__file__).resolve().parent / "results"
SIZES = tuple(int(s) for s in os.environ.get("MSPLINK_BENCH_SIZES", "1000,10000").split(",") if s)
LATENCY = float(os.environ.get("MSPLINK_BENCH_LATENCY", "0.1"))
SEED = 7
CALIBRATION_SIZE = 100
SYSTEM_KEYS = {"connectwise": "cw", "quickbooks": "qbo", "salesforce": "sf"}


def _records(report: SyncReport) -> int:
    """Source records the run planned (every flow's)."""
    return sum(report.counts.values()) + len(report.failures)


def records_per_company(recipe: Recipe) -> float:
    """A recipe's source records per seeded company, on a small world."""
    world = seed_world(CALIBRATION_SIZE, seed=SEED)
    with sync_clients(world, meters(world, analyse=False)) as c:
        report = run_recipe(recipe, world, c, MemoryStateStore())
    return max(_records(report), 1) / CALIBRATION_SIZE


def sync_run(recipe: Recipe, size: int) -> dict[str, Any]:
    """Run 1 and 2: the sync run (calls, CPU, virtual wall) and its no-change rerun."""
    world = seed_world(size, seed=SEED)
    set_latency(world, LATENCY)
    m = meters(world)
    started_virtual, started_real = world.clock.monotonic(), time.perf_counter()
    gc.collect()
    cpu_started = time.thread_time_ns()
    state = MemoryStateStore()
    with sync_clients(world, m) as c:
        report = run_recipe(recipe, world, c, state)
    cpu = time.thread_time_ns() - cpu_started
    records = _records(report)
    out: dict[str, Any] = {
        "companies": size,
        "records": records,
        "writes": report.writes,
        "counts": dict(report.counts),
        "failures": len(report.failures),
        "virtual_wall_s": world.clock.monotonic() - started_virtual,
        "real_s": time.perf_counter() - started_real,
        "cpu_total_s": cpu / 1e9,
        "cpu_outside_s": m.outside_ns / 1e9,
        "cpu_us_per_record": (cpu - m.outside_ns) / 1e3 / max(records, 1),
        "systems": {},
    }
    for meter in m:
        traffic = meter.traffic.to_dict()
        if traffic["api_calls"]:
            traffic["ratio"] = traffic["api_calls"] / max(traffic["minimum"], 1)
            out["systems"][meter.system] = traffic
    world.clock.advance(3600)
    again = meters(world)
    with sync_clients(world, again) as c:
        rerun = run_recipe(recipe, world, c, state)
    out["rerun"] = {
        "writes": rerun.writes,
        "api_calls": {x.system: x.traffic.api_calls for x in again if x.traffic.api_calls},
    }
    return out


def async_run(recipe: Recipe, size: int, sync_result: dict[str, Any]) -> dict[str, Any]:
    """Run 3: the recipe's flows with ``arun`` on a virtual-time loop."""
    world = seed_world(size, seed=SEED)
    set_latency(world, LATENCY, asynchronous=True)
    m = meters(world, analyse=True)
    started = world.clock.monotonic()

    async def main() -> SyncReport:
        async with async_clients(world, m) as c:
            return await run_recipe_async(recipe, world, c, MemoryStateStore())

    report = run_virtual(world.clock, main)
    wall = world.clock.monotonic() - started
    return {
        "virtual_wall_s": wall,
        "speedup": sync_result["virtual_wall_s"] / wall if wall else float("inf"),
        "writes": report.writes,
        "api_calls": {x.system: x.traffic.api_calls for x in m if x.traffic.api_calls},
        "in_flight": {
            x.system: {"peak": x.peak_in_flight, "mean_while_busy": round(x.mean_in_flight, 2)}
            for x in m
            if x.traffic.api_calls
        },
    }


def _remote_clients(spec: dict[str, Any]) -> Clients:
    creds, urls = spec["credentials"], spec["urls"]
    none = lambda _s: None  # noqa: E731 - nothing waits: the served world's limits are off
    cw = ConnectWiseClient(**creds["cw"], transport=Redirect(urls["cw"]), sleep=none)
    qbo = QuickBooksClient(
        realm_id=spec["realm_id"],
        auth=creds["qbo"]["access_token"],
        transport=Redirect(urls["qbo"]),
        sleep=none,
    )
    sf = SalesforceClient(
        auth=ClientCredentialsAuth(
            client_id=creds["sf"]["client_id"], client_secret=creds["sf"]["client_secret"]
        ),
        transport=Redirect(urls["sf"]),
        sleep=none,
    )
    return Clients(cw=cw, qbo=qbo, sf=sf)


def memory_run(recipe: Recipe, size: int) -> dict[str, Any]:
    """Run 4: peak traced memory of the recipe against a world served by a child process."""
    with served(size, SEED, limits=False) as spec, tempfile.TemporaryDirectory() as tmp:
        clients = _remote_clients(spec)
        moment = datetime.fromisoformat(spec["now"])
        config = MappingConfig.from_dict(spec["config"])
        store = SQLiteStateStore(Path(tmp) / "state.db")
        offered = {
            "cw": clients.cw, "qbo": clients.qbo, "sf": clients.sf, "config": config,
            "now": lambda: moment, "cw_integration_user": INTEGRATION_USER, "state": store,
        }  # fmt: skip
        kwargs = {k: v for k, v in offered.items() if k in recipe_kwargs_names(recipe)}
        gc.collect()
        tracemalloc.start()
        report = recipe.run(**kwargs)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        store.close()
        for client in (clients.cw, clients.qbo, clients.sf):
            client.close()
    return {"records": _records(report), "peak_mib": peak / 2**20}


def recipe_kwargs_names(recipe: Recipe) -> set[str]:
    """The keyword names the recipe function accepts."""
    import inspect

    return set(inspect.signature(recipe.run).parameters)


def _progress(message: str) -> None:
    print(f"bench_recipes: {message}", file=sys.stderr, flush=True)


def measure(
    recipes: Iterable[Recipe],
    sizes: Iterable[int],
    out: dict[str, Any] | None = None,
    save: Callable[[], None] = lambda: None,
) -> dict[str, Any]:
    """Every measurement of every recipe and size, into ``out`` (entries of sizes not measured now are
    kept); ``save()`` is called after each size, so a long run keeps what it measured."""
    logging.disable(logging.WARNING)  # the worlds' deliberate mapping gaps log a warning per record
    out = {} if out is None else out
    try:
        for recipe in recipes:
            entry: dict[str, Any] = out.setdefault(recipe.name, {})
            entry.update(systems=list(recipe.systems), summary=recipe.summary)
            entry.pop("error", None)
            try:
                ratio = records_per_company(recipe)
                entry["records_per_company"] = ratio
                for target in sizes:
                    companies = max(20, round(target / ratio))
                    _progress(f"{recipe.name} @{target:,}: sync run ({companies:,} companies)")
                    row = sync_run(recipe, companies)
                    row["target_records"] = target
                    _progress(f"{recipe.name} @{target:,}: async run")
                    row["async"] = async_run(recipe, companies, row)
                    if target >= 10_000:
                        _progress(f"{recipe.name} @{target:,}: memory run")
                        row["memory"] = memory_run(recipe, companies)
                    entry[str(target)] = row
                    save()
            except Exception as exc:
                entry["error"] = f"{type(exc).__name__}: {exc}"
                save()
        return out
    finally:
        logging.disable(logging.NOTSET)


# --------------------------------------------------------------------------------------------- report


def _fmt_calls(row: dict[str, Any]) -> str:
    parts = []
    for system, t in row["systems"].items():
        parts.append(f"{SYSTEM_KEYS[system]} {t['api_calls']:,}/{t['minimum']:,} = {t['ratio']:.2f}x")
    return "; ".join(parts) or "-"


def markdown(report: dict[str, Any]) -> str:
    """The results table."""
    m = report["machine"]
    lines = [
        "# Recipes against the platform limits",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores (shared), Python {m['python']}, {m['platform']}.",
        f"Latency {report['latency_s'] * 1000:.0f} ms per request in virtual time; the vendors' rate limits "
        "enforced by the sandboxes. Calls = API calls / platform minimum (reads at full pages, writes at "
        "full batches). CPU = msplink's thread CPU per source record (sandboxes excluded), "
        "MemoryStateStore. Wall = virtual seconds (latency + rate-limit waits). Memory = peak traced "
        "memory against a world served by another process, SQLiteStateStore.",
        "",
        "| recipe | records | calls (made/minimum) | CPU/record | sync wall | async wall | rerun writes, calls | peak memory |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, entry in report["recipes"].items():
        if "error" in entry:
            lines.append(f"| {name} | error: {entry['error']} | | | | | | |")
            continue
        for size in report["sizes"]:
            row = entry.get(str(size))
            if row is None:
                continue
            rerun = row["rerun"]
            rerun_calls = ", ".join(f"{SYSTEM_KEYS[s]} {n}" for s, n in rerun["api_calls"].items())
            memory = f"{row['memory']['peak_mib']:.1f} MiB" if "memory" in row else "-"
            lines.append(
                f"| {name} | {row['records']:,} | {_fmt_calls(row)} | {row['cpu_us_per_record']:.0f} µs | "
                f"{row['virtual_wall_s']:,.1f} s | {row['async']['virtual_wall_s']:,.1f} s "
                f"({row['async']['speedup']:.2f}x) | {rerun['writes']}, {rerun_calls} | {memory} |"
            )
    return "\n".join(lines) + "\n"


def results(report: dict[str, Any]) -> Iterable[Result]:
    """The targets of issue 18."""
    for name, entry in report["recipes"].items():
        if "error" in entry:
            yield Result(f"recipes: {name} ran", 0, "ok", 1, higher_is_better=True)
            continue
        peaks = {}
        for size in report["sizes"]:
            row = entry.get(str(size))
            if row is None:
                continue
            label = f"recipes: {name} @{size:,}"
            for system, t in row["systems"].items():
                yield Result(f"{label} {SYSTEM_KEYS[system]} calls / minimum", t["ratio"], "x", 1.10)
            yield Result(f"{label} msplink CPU per record", row["cpu_us_per_record"], "us", 30)
            yield Result(f"{label} rerun writes", row["rerun"]["writes"], "writes", 0)
            yield Result(f"{label} async / sync wall", 1 / row["async"]["speedup"], "x", 1.0)
            if "memory" in row:
                peaks[size] = row["memory"]["peak_mib"]
        if 10_000 in peaks and 100_000 in peaks:
            yield Result(f"recipes: {name} peak memory 100k / 10k", peaks[100_000] / peaks[10_000], "x", 1.2)


def run() -> list[Result]:
    """Measure every recipe, write ``results/recipes.json`` and ``recipes.md`` (merged with the sizes
    an earlier run measured), return the targets."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "recipes.json"
    earlier = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    report: dict[str, Any] = {
        "machine": machine(),
        "latency_s": LATENCY,
        "sizes": sorted(
            set(SIZES) | set(earlier.get("sizes", [])) if earlier.get("latency_s") == LATENCY else SIZES
        ),
        "recipes": earlier.get("recipes", {}) if earlier.get("latency_s") == LATENCY else {},
    }

    def save() -> None:
        path.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
        (RESULTS / "recipes.md").write_text(markdown(report), encoding="utf-8")

    measure(RECIPES.values(), SIZES, report["recipes"], save)
    save()
    return list(results(report))
