"""The benchmark harness measures what it says (issue 18): its metering transport counts exactly the
API calls the sandboxes served, its platform minimum follows the page and batch sizes, and its
virtual-time loop overlaps concurrent waits. Small sizes only: the benchmarks themselves run in
``nox -s bench``."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator

import pytest
from benchmarks import bench_concurrency, bench_recipes
from benchmarks._traffic import Traffic, minimum_calls
from benchmarks._virtual import run_virtual

from msplink.sync.recipes import RECIPES
from msplink.testing import FakeClock


@pytest.fixture(autouse=True)
def _quiet() -> Iterator[None]:
    logging.disable(logging.WARNING)
    yield
    logging.disable(logging.NOTSET)


def test_the_virtual_loop_overlaps_concurrent_waits() -> None:
    clock = FakeClock()

    async def main() -> tuple[float, float]:
        started = clock.monotonic()
        await asyncio.gather(*(asyncio.sleep(0.1) for _ in range(10)))
        together = clock.monotonic() - started
        for _ in range(10):
            await asyncio.sleep(0.1)
        return together, clock.monotonic() - started - together

    together, apart = run_virtual(clock, main)
    assert together == pytest.approx(0.1) and apart == pytest.approx(1.0)


def test_the_platform_minimum_counts_full_pages_and_full_batches() -> None:
    cw = Traffic("connectwise")
    cw.read_calls["/company/companies"] = 3
    cw.read_ids["/company/companies"].update(str(i) for i in range(2500))
    cw.writes["/company/companies"] = 7
    assert minimum_calls(cw) == 3 + 7  # 2,500 records in pages of 1,000; one call per CW write
    qbo = Traffic("quickbooks")
    qbo.read_calls["Customer"] = 1
    qbo.writes["Customer"] = 61
    assert minimum_calls(qbo) == 1 + 3  # an object read at least once; 61 writes in batches of 30
    sf = Traffic("salesforce")
    sf.writes["Account"] = 401
    assert minimum_calls(sf) == 3


def test_a_recipe_run_is_metered_exactly() -> None:
    recipe = RECIPES["companies_and_customers"]
    row = bench_recipes.sync_run(recipe, 60)
    assert set(row["systems"]) == {"connectwise", "quickbooks"}
    for system, traffic in row["systems"].items():
        assert traffic["api_calls"] >= traffic["minimum"] >= 1, system
    assert row["rerun"]["writes"] == 0
    assert row["cpu_us_per_record"] > 0 and row["cpu_outside_s"] > 0
    async_row = bench_recipes.async_run(recipe, 60, row)
    assert async_row["api_calls"] == {s: t["api_calls"] for s, t in row["systems"].items()}
    assert async_row["virtual_wall_s"] < row["virtual_wall_s"]


def test_the_async_qbo_batch_fills_the_realms_ten_slots() -> None:
    result = bench_concurrency.quickbooks(creates=300)
    assert result["done"] == 300 and result["api_calls"] == 10
    assert result["peak_in_flight"] == 10


def test_the_meters_count_what_the_sandboxes_served() -> None:
    from benchmarks._world import meters, run_recipe, sync_clients

    from msplink.sandbox import seed_world
    from msplink.sync import MemoryStateStore

    world = seed_world(60, seed=3)
    m = meters(world)
    with sync_clients(world, m) as c:
        run_recipe(RECIPES["companies_and_customers"], world, c, MemoryStateStore())
    token = ("/oauth2/", "/login/")
    for meter, sandbox in ((m.cw, world.cw), (m.qbo, world.qbo), (m.sf, world.sf)):
        served = [r for r in sandbox.requests if not any(t in r.path for t in token)]
        assert meter.traffic.api_calls == len(served), meter.system
        writes = sum(
            1 for r in served if r.method in {"PATCH", "PUT", "DELETE"} or r.path.endswith("/companies")
        )
        if meter.system == "connectwise":
            assert meter.traffic.calls["write"] == writes - sum(
                1 for r in served if r.method == "GET" and r.path.endswith("/companies")
            )
