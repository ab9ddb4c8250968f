"""The CRM recipes' Salesforce calls against the platform minimum (issue 18), exactly.

Each recipe runs after its prerequisites on a 100-company world, metered by the benchmark's
transport (:mod:`benchmarks._traffic`); the minimum is :func:`benchmarks._traffic.minimum_calls`
(every record read once in full pages, writes in full batches). What is above it is named:

- ``describe``: one per client, because the mappers read ``CurrencyIsoCode`` and the org has one
  currency; the platform has no call-free way to tell an org's currency mode (the first describe of
  an object tells it for all: multi-currency adds the field to every object);
- ``split``: writes of one sObject that cannot share a call: creates go as an upsert by the external
  id (idempotent), updates of records matched by name as a ``PATCH`` by ``Id`` (an upsert by the
  external id would create them again), and each sObject's upsert is its own call.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from benchmarks._traffic import minimum_calls
from benchmarks._world import meters, run_prerequisites, run_recipe, sync_clients
from benchmarks.bench_recipes import world_for

from msplink.sync import MemoryStateStore
from msplink.sync.recipes import RECIPES

# recipe: (calls, minimum, describe, split, rerun calls)
EXPECTED = {
    "leads_to_connectwise": (2, 2, 0, 0, 1),
    "closed_won_to_connectwise": (5, 4, 1, 0, 4),
    "accounts_and_contacts": (7, 4, 1, 2, 3),
    "tickets_to_cases": (4, 3, 1, 0, 0),
    "renewals_to_salesforce": (4, 3, 1, 0, 0),
    "invoices_to_salesforce": (6, 4, 1, 1, 0),
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
