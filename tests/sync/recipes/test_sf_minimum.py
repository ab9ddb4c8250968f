"""The CRM recipes' Salesforce calls against the platform minimum (issue 18), exactly; and the
ConnectWise id conditions of the invoice lines.

Each recipe runs after its prerequisites on a 100-company world, metered by the benchmark's
transport (:mod:`benchmarks._traffic`); the minimum is :func:`benchmarks._traffic.minimum_calls`
(every record read once in full pages, writes in full batches). What is above it is named:

- ``describe``: one per client, because the mappers read ``CurrencyIsoCode`` and the org has one
  currency; the platform has no call-free way to tell an org's currency mode (the first describe of
  an object tells it for all: multi-currency adds the field to every object);
- ``split``: writes that cannot share a call: the minimum pools every record written, but each flow
  writes its own sObject after the flow before it (contacts need their accounts' ids), so each
  flow's writes are at least one call. Within a flow, creates (upserts by the external id) and
  updates (``PATCH`` by ``Id``) share ``POST /composite`` calls, five collections of 200 each.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from benchmarks._traffic import minimum_calls
from benchmarks._world import meters, run_prerequisites, run_recipe, sync_clients
from benchmarks.bench_recipes import world_for
from hypothesis import given
from hypothesis import strategies as st

from msplink.sync import MemoryStateStore
from msplink.sync.recipes import RECIPES
from msplink.sync.recipes._invoicing import CONDITION_BUDGET, RANGE_GAP, _id_conditions

# recipe: (calls, minimum, describe, split, rerun calls)
EXPECTED = {
    "leads_to_connectwise": (2, 2, 0, 0, 1),
    "closed_won_to_connectwise": (5, 4, 1, 0, 4),
    "accounts_and_contacts": (5, 3, 1, 1, 3),
    "tickets_to_cases": (4, 3, 1, 0, 0),
    "renewals_to_salesforce": (4, 3, 1, 0, 0),
    "invoices_to_salesforce": (5, 3, 1, 1, 0),
}


@pytest.fixture(autouse=True)
def _quiet() -> Iterator[None]:
    logging.disable(logging.WARNING)
    yield
    logging.disable(logging.NOTSET)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_crm_recipe_makes_the_minimum_salesforce_calls_plus_what_is_named(name: str) -> None:
    recipe = RECIPES[name]
    calls, minimum, describe, split, rerun_calls = EXPECTED[name]
    state = MemoryStateStore()
    world = world_for(recipe, 100)
    run_prerequisites(recipe, world, state)
    first = meters(world)
    with sync_clients(world, first) as c:
        run_recipe(recipe, world, c, state)
    sf = first.sf.traffic
    assert (sf.api_calls, minimum_calls(sf), sf.calls["meta"]) == (calls, minimum, describe)
    assert calls == minimum + describe + split
    world.clock.advance(3600)
    again = meters(world)
    with sync_clients(world, again) as c:
        rerun = run_recipe(recipe, world, c, state)
    assert rerun.writes == 0 and again.sf.traffic.api_calls == rerun_calls


# recipe: (companies for ~10k source records, calls, minimum) -- the benchmark's 10k rows
AT_10K = {
    "accounts_and_contacts": (2_024, 10, 8),
    "invoices_to_salesforce": (1_706, 9, 7),
    "tickets_to_cases": (3_704, 7, 6),
    "renewals_to_salesforce": (4_630, 7, 6),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(AT_10K))
def test_at_10k_gathered_pages_fill_the_composite_calls(name: str) -> None:
    """About 10,000 source records: the Salesforce target gathers ConnectWise pages to 5,000 records
    (``plan_records``), so its writes fill five-chunk composite calls, and look-ups longer than a GET
    go five statements to a call. Above the minimum: the describe, and one call where a flow's writes
    cannot share the previous flow's last call (was 14/8, 13/7, 11/6, 11/6 with a call per page)."""
    recipe = RECIPES[name]
    companies, calls, minimum = AT_10K[name]
    state = MemoryStateStore()
    world = world_for(recipe, companies)
    run_prerequisites(recipe, world, state)
    metered = meters(world)
    with sync_clients(world, metered) as c:
        run_recipe(recipe, world, c, state)
    sf = metered.sf.traffic
    assert (sf.api_calls, minimum_calls(sf), sf.calls["meta"]) == (calls, minimum, 1)


@given(ids=st.sets(st.integers(1, 200_000), max_size=1500))
def test_id_conditions_select_every_id_within_the_url_budget(ids: set[int]) -> None:
    conditions = list(_id_conditions("invoice/id", ids))
    assert all(len(quote(c)) <= CONDITION_BUDGET for c in conditions)
    covered: set[int] = set()
    for condition in conditions:
        for part in condition.split(" or "):
            if part.startswith("("):
                low, high = (int(x.split(">=" if ">=" in x else "<=")[1]) for x in part[1:-1].split(" and "))
                assert high - low >= 1
                covered.update(range(low, high + 1))
            else:
                listed = part.removeprefix("invoice/id in (").removesuffix(")")
                covered.update(int(n) for n in listed.split(","))
    assert ids <= covered  # every id asked for, plus at most RANGE_GAP - 1 ids between two of them
    assert all(any(abs(extra - i) < RANGE_GAP for i in ids) for extra in covered - ids)
    assert len(conditions) <= len(ids) // 100 + 1  # never more than one per 100 ids, as before


def test_a_page_of_invoice_ids_in_sequence_is_one_condition() -> None:
    assert list(_id_conditions("invoice/id", [*range(1, 700), *range(702, 1001)])) == [
        "(invoice/id>=1 and invoice/id<=1000)"
    ]
    assert list(_id_conditions("id", [5, 40, 41, 90])) == ["(id>=40 and id<=41) or id in (5,90)"]
