"""A recipe run under simulated latency, sync or async, on the benchmarks' virtual-time harness.

Every request to the world's sandboxes waits :data:`LATENCY` seconds inside the server while it holds
its concurrency slot (``FaultKind.LATENCY``); the async run goes on a virtual-time event loop
(:mod:`benchmarks._virtual`), so concurrent waits overlap as on a network and the run costs no real
time. The metering transports (:class:`benchmarks._traffic.Meter`) count the requests in flight.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from typing import Any

import attrs
from benchmarks._virtual import run_virtual
from benchmarks._world import (
    async_clients,
    meters,
    run_prerequisites,
    run_recipe,
    run_recipe_async,
    set_latency,
    sync_clients,
)

from msplink.sandbox import World
from msplink.sync import MemoryStateStore, SyncReport
from msplink.sync.recipes import RECIPES

LATENCY = 0.1
"""Seconds each request waits inside its sandbox."""


@attrs.frozen
class Timed:
    """One run: its virtual wall time, the requests each sandbox served, the peak in flight."""

    wall: float
    requests: dict[str, Counter[tuple[str, str]]]
    peak: dict[str, int]
    outcomes: list[dict[str, int]]


def _served(world: World) -> dict[str, Counter[tuple[str, str]]]:
    """``(method, path)`` of every request each sandbox served since its log was cleared (token calls
    and ConnectWise's company-info call left out)."""
    out: dict[str, Counter[tuple[str, str]]] = {}
    for system, sandbox in (("connectwise", world.cw), ("quickbooks", world.qbo), ("salesforce", world.sf)):
        served = Counter(
            (r.method, r.path)
            for r in sandbox.requests
            if "/oauth2/" not in r.path and "/login/companyinfo/" not in r.path and "/token" not in r.path
        )
        if served:
            out[system] = served
    return out


def timed(name: str, make_world: Callable[[], World], *, asynchronous: bool) -> tuple[Timed, World]:
    """Run recipe ``name`` (after its prerequisites, unmetered) on a fresh world under latency."""
    recipe = RECIPES[name]
    world = make_world()
    state = MemoryStateStore()
    logging.disable(logging.WARNING)
    try:
        run_prerequisites(recipe, world, state)
        for sandbox in (world.cw, world.qbo, world.sf):
            sandbox.clear_log()
        set_latency(world, LATENCY, asynchronous=asynchronous)
        m = meters(world, analyse=False)
        started = world.clock.monotonic()
        if asynchronous:

            async def main() -> SyncReport:
                async with async_clients(world, m) as c:
                    return await run_recipe_async(recipe, world, c, state)

            report = run_virtual(world.clock, main)
        else:
            with sync_clients(world, m) as c:
                report = run_recipe(recipe, world, c, state)
    finally:
        logging.disable(logging.NOTSET)
    outcomes = [{k: v for k, v in p.outcome_counts.items() if v} for p in report.parts]
    peak = {x.system: x.peak_in_flight for x in m if x.peak_in_flight}
    return Timed(world.clock.monotonic() - started, _served(world), peak, outcomes), world


def both(name: str, make_world: Callable[[], World]) -> tuple[tuple[Timed, World], tuple[Timed, World]]:
    """The sync run and the async run of ``name``, each on its own fresh world."""
    return timed(name, make_world, asynchronous=False), timed(name, make_world, asynchronous=True)


def snapshot(world: World, entities: tuple[str, ...]) -> dict[str, Any]:
    """QuickBooks entities of the given types, without what the server stamps (ids, times, tokens)."""
    drop = {"Id", "SyncToken", "MetaData", "domain", "sparse"}
    out: dict[str, Any] = {}
    for entity in entities:
        rows = [{k: v for k, v in e.items() if k not in drop} for e in world.qbo.entities(entity)]
        out[entity] = sorted(repr(sorted(r.items())) for r in rows)
    return out
