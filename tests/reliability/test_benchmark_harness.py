"""The benchmark harness measures what it says (issue 18): its metering transport counts exactly the
API calls the sandboxes served, its platform minimum follows the page and batch sizes, and its
virtual-time loop overlaps concurrent waits. Small sizes only: the benchmarks themselves run in
``nox -s bench``."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from benchmarks import bench_concurrency, bench_recipes
from benchmarks._traffic import Traffic, minimum_calls
from benchmarks._virtual import run_virtual
from hypothesis import given
from hypothesis import strategies as st

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
    sf.writes["Account"] = 2401
    assert minimum_calls(sf) == 3  # five collections of 200 in one POST /composite


def test_the_meter_counts_a_composite_of_collections_as_one_write_call() -> None:
    from benchmarks._world import meters, sync_clients

    from msplink.sandbox import seed_world

    world = seed_world(30, seed=7)
    metered = meters(world)
    with sync_clients(world, metered) as c:
        made = c.sf.accounts.create_many([{"Name": f"Meter {i}"} for i in range(700)])
        c.sf.accounts.save_many(
            creates=[{"Name": f"Up {i}", "CW_Company_Id__c": f"M-{i}"} for i in range(250)],
            updates=[{"Id": r.id, "Name": f"Renamed {n}"} for n, r in enumerate(made[:150])],
            external_id_field="CW_Company_Id__c",
        )
    traffic = metered.sf.traffic
    # 700 creates: one composite (4 chunks); 250 upserts + 150 updates: one composite (3 chunks)
    assert (traffic.calls["write"], traffic.writes["Account"]) == (2, 1100)
    assert minimum_calls(traffic) == 2


def test_the_meter_counts_a_composite_of_queries_as_one_read_call() -> None:
    from benchmarks._world import meters, sync_clients

    from msplink.salesforce import soql
    from msplink.sandbox import seed_world

    world = seed_world(30, seed=7)
    metered = meters(world)
    with sync_clients(world, metered) as c:
        ids = [str(r.id) for r in c.sf.accounts.query("SELECT Id FROM Account").to_list()]
        groups = [ids[n : n + 4] for n in range(0, 12, 4)]
        answers = c.sf.accounts.query_many(
            [f"SELECT Id FROM Account WHERE {soql.F('Id').in_(g)}" for g in groups]
        )
    traffic = metered.sf.traffic
    assert [len(rows) for rows in answers] == [4, 4, 4] and len(ids) > 12
    # the plain query and the composite of three statements: two read calls, the ids read once each
    assert (traffic.calls["read"], traffic.calls["write"], traffic.read_calls["Account"]) == (2, 0, 2)
    assert traffic.read_ids["Account"] == set(ids)


def test_child_collections_and_unbatched_entities_count_one_call_each() -> None:
    cw = Traffic("connectwise")
    additions = "/finance/agreements/{id}/additions"
    cw.read_calls[additions] = 40
    cw.read_ids[additions].update(str(i) for i in range(120))
    cw.parents[additions].update(str(i) for i in range(37))
    assert minimum_calls(cw) == 37  # ConnectWise serves children one parent at a time
    qbo = Traffic("quickbooks")
    qbo.writes.update({"recurringtransaction": 12, "Invoice": 31})
    qbo.unbatched["recurringtransaction"] = 12
    assert minimum_calls(qbo) == 12 + 2  # templates one per call; invoices in batches of 30


def test_the_meter_tells_child_collections_by_their_parents() -> None:
    from benchmarks._world import meters, sync_clients

    from msplink.sandbox import seed_world

    world = seed_world(30, seed=7)
    metered = meters(world)
    agreements = [a["id"] for a in world.cw.records("agreements")][:3]
    with sync_clients(world, metered) as c:
        for agreement in agreements:
            list(c.cw.agreements.additions(agreement).list())
    traffic = metered.cw.traffic
    [child] = [obj for obj in traffic.read_calls if obj.endswith("/additions")]
    assert traffic.parents[child] == {str(a) for a in agreements}
    assert minimum_calls(traffic) == 3


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


def test_a_dead_letter_is_one_record_not_two() -> None:
    """A failed record is in the report's counts (a skip, or the write it failed); the rows measured
    before 2026-12-02 added the failures again, overstating records and understating CPU per record."""
    row = bench_recipes.sync_run(RECIPES["time_to_quickbooks"], 60)
    assert row["failures"] > 0
    assert row["records"] == sum(row["counts"].values())
    assert row["cpu_us_per_record"] == pytest.approx(
        (row["cpu_total_s"] - row["cpu_outside_s"]) * 1e6 / row["records"]
    )


def test_a_memory_run_on_another_world_says_so() -> None:
    memory = {"companies": 120, "records": 360, "peak_mib": 5.0}
    row: dict[str, Any] = {
        "companies": 100, "records": 6000, "failures": 0, "systems": {}, "cpu_us_per_record": 1.0,
        "virtual_wall_s": 1.0, "rerun": {"writes": 0, "api_calls": {}},
        "memory": memory,
    }  # fmt: skip
    report = {
        "machine": {"cpu": "x", "cores": 2, "python": "3", "platform": "p"},
        "latency_s": 0.1,
        "sizes": [10_000],
        "recipes": {"time_to_quickbooks": {"10000": row}},
    }
    text = bench_recipes.markdown(report)
    assert "| 5.0 MiB ⁽ᵐ⁾ |" in text
    assert "- time_to_quickbooks @10,000: peak memory measured on 120 companies (360 records)" in text
    same = {**row, "memory": {**memory, "companies": 100}}
    text = bench_recipes.markdown({**report, "recipes": {"time_to_quickbooks": {"10000": same}}})
    assert "| 5.0 MiB |" in text and "⁽ᵐ⁾" not in text


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


def test_prerequisites_are_the_transitive_after_closure_in_dependency_order() -> None:
    from benchmarks._world import prerequisites

    assert prerequisites(RECIPES["companies_and_customers"]) == ()
    assert [r.name for r in prerequisites(RECIPES["agreements_to_quickbooks"])] == ["companies_and_customers"]
    assert [r.name for r in prerequisites(RECIPES["invoices_to_salesforce"])] == [
        "companies_and_customers",
        "leads_to_connectwise",
        "closed_won_to_connectwise",
        "accounts_and_contacts",
        "invoices_to_quickbooks",
        "payments_to_connectwise",
    ]


def test_prerequisites_run_unmetered_before_the_measured_run() -> None:
    """The metered calls of a dependent recipe are exactly those of the same recipe run, with fresh
    meters, on a world where its prerequisites already ran; and with its customers linked first
    the recipe does its work instead of dead-lettering every agreement."""
    from benchmarks._world import PAUSE_S, meters, run_recipe, set_latency, sync_clients

    from msplink.sandbox import seed_world
    from msplink.sync import MemoryStateStore

    recipe, size = RECIPES["agreements_to_quickbooks"], 40
    row = bench_recipes.sync_run(recipe, size)
    assert set(row["prerequisites"]) == {"companies_and_customers"}

    world, state = seed_world(size, seed=bench_recipes.SEED), MemoryStateStore()
    with sync_clients(world, meters(world, analyse=False)) as c:
        run_recipe(RECIPES["companies_and_customers"], world, c, state)
    world.clock.advance(PAUSE_S)
    set_latency(world, bench_recipes.LATENCY)
    m = meters(world)
    with sync_clients(world, m) as c:
        report = run_recipe(recipe, world, c, state)
    expected = {x.system: x.traffic.api_calls for x in m if x.traffic.api_calls}
    assert {s: t["api_calls"] for s, t in row["systems"].items()} == expected
    assert row["records"] == sum(report.counts.values()) > 0  # a failed record is counted once
    assert row["failures"] == report.failed <= row["records"] // 5

    alone = seed_world(size, seed=bench_recipes.SEED)
    with sync_clients(alone, meters(alone, analyse=False)) as c:
        bare = run_recipe(recipe, alone, c, MemoryStateStore())
    assert bare.failed > row["failures"]  # without its customers the recipe measures failures

    async_row = bench_recipes.async_run(recipe, size, row)
    assert async_row["api_calls"] == expected


def test_the_world_is_capped_and_says_so() -> None:
    assert bench_recipes.world_size(1000, 2.0) == (500, False)
    assert bench_recipes.world_size(1000, 0.01) == (min(20_000, bench_recipes.MAX_COMPANIES), True)
    assert bench_recipes.world_size(100_000, 1.0) == (100_000, False)  # a target above the ceiling
    assert bench_recipes.world_size(10, 5.0) == (20, False)  # never under 20 companies


@given(target=st.integers(1, 10**6), per_company=st.floats(1e-4, 100))
def test_world_size_never_exceeds_its_ceiling(target: int, per_company: float) -> None:
    companies, capped = bench_recipes.world_size(target, per_company)
    ceiling = min(20 * target, max(target, bench_recipes.MAX_COMPANIES))
    wanted = max(20, round(target / per_company))
    assert companies == min(wanted, ceiling)
    assert capped == (wanted > ceiling)


def test_a_save_keeps_the_other_recipes_and_sizes_on_disk() -> None:
    disk = {
        "latency_s": 0.1,
        "sizes": [1000],
        "recipes": {
            "time_to_quickbooks": {"1000": {"records": 1}},
            "companies_and_customers": {"error": "x"},
        },
    }
    mine = {
        "machine": {},
        "latency_s": 0.1,
        "sizes": [10000],
        "recipes": {"companies_and_customers": {"10000": {"records": 2}}},
    }
    merged = bench_recipes._merge(disk, mine)
    assert merged["sizes"] == [1000, 10000]
    assert list(merged["recipes"]) == ["companies_and_customers", "time_to_quickbooks"]
    assert merged["recipes"]["companies_and_customers"] == {"10000": {"records": 2}}
    assert merged["recipes"]["time_to_quickbooks"] == {"1000": {"records": 1}}
    assert bench_recipes._merge({**disk, "latency_s": 0.0}, mine)["recipes"] == mine["recipes"]
    memory_only = {**mine, "recipes": {"time_to_quickbooks": {"1000": {"memory": {"peak_mib": 3.0}}}}}
    row = bench_recipes._merge(disk, memory_only)["recipes"]["time_to_quickbooks"]["1000"]
    assert row == {"records": 1, "memory": {"peak_mib": 3.0}}  # a run's phases from two processes
