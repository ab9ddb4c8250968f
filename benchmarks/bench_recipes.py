"""Every registered recipe against the sandboxes, at 1k, 10k (and 100k) source records (issue 18).

For each recipe of ``msplink.sync.recipes.RECIPES`` (so recipes appear here as they land) and each
size, a world is seeded with enough companies for about that many source records (a recipe's
records per company are measured once on a 100-company world; the world is capped at
:func:`world_size`'s ceiling, and the table says when a recipe's world cannot reach the target).

Most recipes need another's links first (an invoice's QuickBooks customer, a case's Salesforce
account): before every measured run below (and the calibration), the transitive closure of the
recipe's :attr:`~msplink.sync.recipes.Recipe.after` recipes runs on the same world and state store,
in :func:`msplink.demo.dependency_order`, UNMETERED (:func:`benchmarks._world.run_prerequisites`:
their own meters, before the CPU clock and memory tracing start; the world's clock then moves on an
hour so no rate window they used is still open). Then the recipe itself is measured:

1. **sync run**, in process, the vendors' real rate limits enforced, ``MSPLINK_BENCH_LATENCY``
   seconds of simulated latency per request (default 0.1) in virtual time: API calls per system
   against the platform minimum (:func:`benchmarks._traffic.minimum_calls`; target <= 1.10x),
   virtual wall time (latency plus every rate-limit wait the limits impose), and msplink's CPU per
   record: thread CPU time minus the time spent inside the sandboxes (measured around every
   request by the metering transport), so it is parse + map + plan + serialise + the client and
   httpx around them, with a ``MemoryStateStore`` (virtual waits cost no CPU, so this is the
   zero-latency CPU; target <= 30 us). The seeded world is frozen out of the garbage collector
   (``gc.freeze()``) for the run: in production no emulator shares msplink's heap, and at 10k its
   ~480k objects made each full collection cost ~0.5 s;
2. **rerun** of the same world an hour later with nothing changed: API calls and writes (must be 0);
3. **async run** of the recipe's flows with ``arun`` on a virtual-time event loop (same latency and
   limits): wall time, which must beat the sync run's, and the requests in flight per system;
4. **memory** (sizes >= 10k): the recipe against the same world served over HTTP by a child
   process (so this process holds none of the sandboxes' memory), with a ``SQLiteStateStore``
   file, peak traced memory of the run (``tracemalloc``); 100k must stay within 1.2x of 10k.

The measured run's dead letters are reported (the seeded world has deliberate mapping gaps: a few
percent is expected; most records failing would mean the setup is wrong).

Sizes come from ``MSPLINK_BENCH_SIZES`` (default ``1000,10000``; ``nox -s bench`` adds 100000),
recipes from ``MSPLINK_BENCH_RECIPES`` (comma-separated names; default every recipe), the world
ceiling from ``MSPLINK_BENCH_MAX_COMPANIES`` (default 20,000). Results go to
``benchmarks/results/recipes.json`` and ``recipes.md``, with the machine noted; each save merges the
recipes and sizes this run measured into what the file holds (under a lock), so runs of different
recipes or sizes can go side by side.
"""

from __future__ import annotations

import fcntl
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
    Clients,
    async_clients,
    meters,
    prerequisites,
    recipe_options,
    run_prerequisites,
    run_recipe,
    run_recipe_async,
    set_latency,
    sync_clients,
)
from msplink.connectwise import ConnectWiseClient
from msplink.demo import dependency_order
from msplink.mappers import MappingConfig
from msplink.quickbooks import QuickBooksClient
from msplink.salesforce import ClientCredentialsAuth, SalesforceClient
from msplink.sandbox import World, seed_world
from msplink.sync import MemoryStateStore, SQLiteStateStore, StateStore, SyncReport
from msplink.sync.recipes import RECIPES, Recipe

RESULTS = Path(__file__).resolve().parent / "results"
SIZES = tuple(int(s) for s in os.environ.get("MSPLINK_BENCH_SIZES", "1000,10000").split(",") if s)
LATENCY = float(os.environ.get("MSPLINK_BENCH_LATENCY", "0.1"))
SEED = 7
CALIBRATION_SIZE = 100
SYSTEM_KEYS = {"connectwise": "cw", "quickbooks": "qbo", "salesforce": "sf"}
PHASES = frozenset(os.environ.get("MSPLINK_BENCH_PHASES", "sync,async,memory").split(","))
"""The runs to make (``sync`` with its rerun, ``async``, ``memory``): each is saved as it ends, and a
row's runs made by separate processes are merged."""
MAX_COMPANIES = int(os.environ.get("MSPLINK_BENCH_MAX_COMPANIES", "20000"))
"""The largest world a size below it may ask for. A recipe with few records per company (a few
purchase orders per hundred companies) would otherwise ask for hundreds of thousands of companies,
and its prerequisites (companies_and_customers over every company, invoices_to_quickbooks over every
invoice) run on the whole world before it: on the 2 shared cores a 20,000-company world seeds in
about 25 s and its prerequisites take minutes; a larger one would not finish a bench run. A target
above it gets a world of its own size (at least one record per company is the common case)."""
PROCUREMENT = frozenset({"purchase_orders_to_quickbooks"})
"""Recipes measured on a world seeded with ``procurement=True`` (vendors and purchase orders): the
default world holds no purchase orders, the procurement one one per four of its first 160 client
companies and one per client beyond (``msplink.sandbox._worldprocurement.purchase_order_count``)."""
PROCUREMENT_CALIBRATION_SIZE = 1000
"""The calibration world of a :data:`PROCUREMENT` recipe: past the first 160 clients, where its
orders grow one per client (a 100-company world would promise a third of the orders large worlds hold)."""


def _records(report: SyncReport) -> int:
    """Source records the run planned (every flow's)."""
    return sum(report.counts.values())


def world_for(recipe: Recipe, companies: int) -> World:
    """The seeded world a recipe is measured on (:data:`PROCUREMENT` recipes get purchase orders)."""
    return seed_world(companies, seed=SEED, procurement=recipe.name in PROCUREMENT)


def world_size(target: int, per_company: float) -> tuple[int, bool]:
    """Companies to seed for about ``target`` source records, and whether the ceiling cut it short.

    The ceiling is :data:`MAX_COMPANIES` (or ``target`` itself when larger), and never more than 20
    companies per record wanted.
    """
    wanted = max(20, round(target / per_company))
    ceiling = min(20 * target, max(target, MAX_COMPANIES))
    return min(wanted, ceiling), wanted > ceiling


def _prepared(recipe: Recipe, companies: int, state: StateStore) -> tuple[World, dict[str, Any]]:
    """A fresh world on which the recipe's prerequisites ran (unmetered), and what they did."""
    world = world_for(recipe, companies)
    reports = run_prerequisites(recipe, world, state)
    return world, {
        r.name: {"records": _records(report), "writes": report.writes, "failures": report.failed}
        for r, report in zip(prerequisites(recipe), reports, strict=True)
    }


def calibration_size(recipe: Recipe) -> int:
    """The world a recipe's records per company are measured on: :data:`CALIBRATION_SIZE` companies, or
    :data:`PROCUREMENT_CALIBRATION_SIZE` for a :data:`PROCUREMENT` recipe."""
    return PROCUREMENT_CALIBRATION_SIZE if recipe.name in PROCUREMENT else CALIBRATION_SIZE


def records_per_company(recipe: Recipe) -> float:
    """A recipe's source records per seeded company, on a small world (after its prerequisites)."""
    state = MemoryStateStore()
    size = calibration_size(recipe)
    world, _ = _prepared(recipe, size, state)
    with sync_clients(world, meters(world, analyse=False)) as c:
        report = run_recipe(recipe, world, c, state)
    return max(_records(report), 1) / size


def _failure_kinds(report: SyncReport) -> dict[str, int]:
    """Error types of the failures the report keeps (``Flow.report_limit`` per flow; the count is exact)."""
    kinds: dict[str, int] = {}
    for failure in report.failures:
        kind = failure.error_type
        kinds[kind] = kinds.get(kind, 0) + 1
    return kinds


def sync_run(recipe: Recipe, size: int) -> dict[str, Any]:
    """Run 1 and 2: the sync run (calls, CPU, virtual wall) and its no-change rerun."""
    state = MemoryStateStore()
    world, before = _prepared(recipe, size, state)
    set_latency(world, LATENCY)
    m = meters(world)
    started_virtual, started_real = world.clock.monotonic(), time.perf_counter()
    gc.collect()
    gc.freeze()  # the seeded world is no part of msplink's heap: collections walk only what the run makes
    try:
        cpu_started = time.thread_time_ns()
        with sync_clients(world, m) as c:
            report = run_recipe(recipe, world, c, state)
        cpu = time.thread_time_ns() - cpu_started
    finally:
        gc.unfreeze()
    records = _records(report)
    out: dict[str, Any] = {
        "companies": size,
        "records": records,
        "writes": report.writes,
        "counts": dict(report.counts),
        "failures": report.failed,
        "failure_kinds": _failure_kinds(report),
        "prerequisites": before,
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
    """Run 3: the recipe's flows with ``arun`` on a virtual-time loop (after its prerequisites)."""
    state = MemoryStateStore()
    world, _ = _prepared(recipe, size, state)
    set_latency(world, LATENCY, asynchronous=True)
    m = meters(world, analyse=True)
    started = world.clock.monotonic()

    async def main() -> SyncReport:
        async with async_clients(world, m) as c:
            return await run_recipe_async(recipe, world, c, state)

    report = run_virtual(world.clock, main)
    wall = world.clock.monotonic() - started
    return {
        "virtual_wall_s": wall,
        "speedup": sync_result["virtual_wall_s"] / wall if wall else float("inf"),
        "writes": report.writes,
        "failures": report.failed,
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
    """Run 4: peak traced memory of the recipe against a world served by a child process (its
    prerequisites run first over the same clients and state file, before tracing starts)."""
    procurement = recipe.name in PROCUREMENT
    with (
        served(size, SEED, limits=False, procurement=procurement) as spec,
        tempfile.TemporaryDirectory() as tmp,
    ):
        clients = _remote_clients(spec)
        moment = datetime.fromisoformat(spec["now"])
        config = MappingConfig.from_dict(spec["config"])
        store = SQLiteStateStore(Path(tmp) / "state.db")

        def call(r: Recipe) -> SyncReport:
            return r.sync(
                cw=clients.cw, qbo=clients.qbo, sf=clients.sf, state=store, config=config,
                now=lambda: moment, **recipe_options(r.run),
            )  # fmt: skip

        for before in prerequisites(recipe):
            call(before)
        gc.collect()
        tracemalloc.start()
        report = call(recipe)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        store.close()
        for client in (clients.cw, clients.qbo, clients.sf):
            client.close()
    return {"records": _records(report), "peak_mib": peak / 2**20}


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
                entry["after"] = [r.name for r in prerequisites(recipe)]
                entry["procurement_world"] = recipe.name in PROCUREMENT
                ratio = records_per_company(recipe)
                entry["records_per_company"] = ratio
                for target in sizes:
                    companies, capped = world_size(target, ratio)
                    row: dict[str, Any] = {}
                    entry[str(target)] = row
                    if "sync" in PHASES:
                        _progress(f"{recipe.name} @{target:,}: sync run ({companies:,} companies)")
                        row.update(companies=companies, target_records=target, capped=capped)
                        row.update(sync_run(recipe, companies))
                        save()
                    if "async" in PHASES and "sync" in PHASES:
                        _progress(f"{recipe.name} @{target:,}: async run")
                        row["async"] = async_run(recipe, companies, row)
                        save()
                    if "memory" in PHASES and target >= 10_000:
                        _progress(f"{recipe.name} @{target:,}: memory run ({companies:,} companies)")
                        row["memory"] = {"companies": companies, **memory_run(recipe, companies)}
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


def _fmt_memory(name: str, size: int, row: dict[str, Any], notes: list[str]) -> str:
    """The peak-memory cell; a memory run on another world than the row's sync run gets a note."""
    memory = row.get("memory")
    if memory is None:
        return "-"
    cell = f"{memory['peak_mib']:.1f} MiB"
    companies = memory.get("companies")
    if companies is not None and "records" in row and companies != row["companies"]:
        notes.append(
            f"- {name} @{size:,}: peak memory measured on {companies:,} companies "
            f"({memory['records']:,} records), a later calibration than the sync run's."
        )
        cell += " ⁽ᵐ⁾"
    return cell


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
        "MemoryStateStore, the seeded world frozen out of the GC. Wall = virtual seconds (latency + rate-limit waits). Memory = peak traced "
        "memory against a world served by another process, SQLiteStateStore.",
        "",
        "Each recipe is measured after its prerequisites (the recipes its `after=` names, transitively) ran "
        "on the same world and state store, unmetered. Target = the source records asked for; records = "
        "those the measured run planned (never scaled). Dead letters = the measured run's failures (the "
        "seeded world has deliberate mapping gaps).",
        "",
        "| recipe | target | companies | records | dead letters | calls (made/minimum) | CPU/record "
        "| sync wall | async wall | rerun writes, calls | peak memory |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    notes: list[str] = []
    notes_memory: list[str] = []
    for name, entry in report["recipes"].items():
        if "error" in entry:
            lines.append(f"| {name} | error: {entry['error']} | | | | | | | | | |")
        for size in report["sizes"]:
            row = entry.get(str(size))
            if row is None:
                continue
            memory = _fmt_memory(name, size, row, notes_memory)
            if "records" not in row:
                lines.append(
                    f"| {name} | {size:,} | {row.get('companies', row.get('memory', {}).get('companies', 0)):,} | "
                    f"{row['memory']['records'] if 'memory' in row else '-'} (memory run only) "
                    f"| | | | | | | {memory} |"
                )
                continue
            rerun = row["rerun"]
            rerun_calls = ", ".join(f"{SYSTEM_KEYS[s]} {n}" for s, n in rerun["api_calls"].items())
            share = row["failures"] / max(row["records"], 1)
            short = row["records"] < size / 2
            mark = " ⁽ᶜ⁾" if row.get("capped") or short else ""
            wall = (
                f"{row['async']['virtual_wall_s']:,.1f} s ({row['async']['speedup']:.2f}x)"
                if "async" in row
                else "not run"
            )
            lines.append(
                f"| {name} | {size:,} | {row['companies']:,} | {row['records']:,}{mark} | "
                f"{row['failures']:,} ({share:.1%}) | {_fmt_calls(row)} | {row['cpu_us_per_record']:.0f} µs | "
                f"{row['virtual_wall_s']:,.1f} s | {wall} | {rerun['writes']}, {rerun_calls or '-'} | {memory} |"
            )
            if row.get("capped"):
                notes.append(
                    f"- {name} @{size:,}: {entry['records_per_company']:.2f} records per company, so the "
                    f"target needs {round(size / entry['records_per_company']):,} companies; the world is "
                    f"capped at {row['companies']:,} (`MAX_COMPANIES`), so {row['records']:,} records were "
                    "measured."
                )
            elif short:
                notes.append(
                    f"- {name} @{size:,}: the {row['companies']:,}-company world holds only "
                    f"{row['records']:,} of its records (they do not grow with the world as the "
                    f"{calibration_size(RECIPES[name])}-company calibration's {entry['records_per_company']:.2f} per "
                    "company "
                    "suggested); that is what was measured."
                )
    if notes:
        lines += ["", "⁽ᶜ⁾ The world cannot reach the target size:", "", *notes]
    if notes_memory:
        lines += ["", "⁽ᵐ⁾ The memory run's world is not the sync run's:", "", *notes_memory]
    after = [f"- {n}: after {', '.join(e['after'])}" for n, e in report["recipes"].items() if e.get("after")]
    if after:
        lines += ["", "Prerequisites run unmetered before each measured run:", "", *after]
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
            if "records" in row:
                for system, t in row["systems"].items():
                    yield Result(f"{label} {SYSTEM_KEYS[system]} calls / minimum", t["ratio"], "x", 1.10)
                yield Result(f"{label} msplink CPU per record", row["cpu_us_per_record"], "us", 30)
                yield Result(f"{label} rerun writes", row["rerun"]["writes"], "writes", 0)
            if "async" in row:
                yield Result(f"{label} async / sync wall", 1 / row["async"]["speedup"], "x", 1.0)
            if "memory" in row:
                peaks[size] = row["memory"]["peak_mib"]
        if 10_000 in peaks and 100_000 in peaks:
            yield Result(f"recipes: {name} peak memory 100k / 10k", peaks[100_000] / peaks[10_000], "x", 1.2)


def _merge(disk: dict[str, Any], mine: dict[str, Any]) -> dict[str, Any]:
    """``disk`` (what the results file holds) with this run's recipes and sizes laid over it; the
    file's entries for other recipes and sizes are kept when the latency matches."""
    same = disk.get("latency_s") == mine["latency_s"]
    recipes: dict[str, Any] = dict(disk.get("recipes", {})) if same else {}
    for name, entry in mine["recipes"].items():
        old = recipes.get(name, {})
        recipes[name] = {
            **old,
            **{
                k: {**old[k], **v} if isinstance(v, dict) and isinstance(old.get(k), dict) else v
                for k, v in entry.items()
            },
        }
        if "error" not in entry:
            recipes[name].pop("error", None)
    order = [name for name in RECIPES if name in recipes] + [n for n in recipes if n not in RECIPES]
    return {
        "machine": mine["machine"],
        "latency_s": mine["latency_s"],
        "sizes": sorted(set(mine["sizes"]) | (set(disk.get("sizes", [])) if same else set())),
        "recipes": {name: recipes[name] for name in order},
    }


def selected() -> list[Recipe]:
    """The recipes ``MSPLINK_BENCH_RECIPES`` names (every recipe when unset), in dependency order."""
    names = [n for n in os.environ.get("MSPLINK_BENCH_RECIPES", "").split(",") if n]
    unknown = sorted(set(names) - set(RECIPES))
    if unknown:
        raise SystemExit(f"MSPLINK_BENCH_RECIPES: no recipe named {', '.join(unknown)}")
    return [RECIPES[n] for n in dependency_order(RECIPES) if not names or n in names]


def rewrite_markdown() -> None:
    """Write ``results/recipes.md`` again from ``results/recipes.json`` (after a change of the table)."""
    report = json.loads((RESULTS / "recipes.json").read_text(encoding="utf-8"))
    (RESULTS / "recipes.md").write_text(markdown(report), encoding="utf-8")


def run() -> list[Result]:
    """Measure the selected recipes, merge them into ``results/recipes.json`` and ``recipes.md`` after
    each size (under a lock, so side-by-side runs of other recipes or sizes keep theirs), return the
    targets of what the file holds."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "recipes.json"
    mine: dict[str, Any] = {"machine": machine(), "latency_s": LATENCY, "sizes": list(SIZES), "recipes": {}}
    merged: dict[str, Any] = {}

    def save() -> None:
        nonlocal merged
        with (RESULTS / ".recipes.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            disk = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
            merged = _merge(disk, mine)
            path.write_text(json.dumps(merged, indent=2, default=str) + "\n", encoding="utf-8")
            (RESULTS / "recipes.md").write_text(markdown(merged), encoding="utf-8")

    measure(selected(), SIZES, mine["recipes"], save)
    save()
    return list(results(merged))


if __name__ == "__main__":
    rewrite_markdown()
