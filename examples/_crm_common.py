"""What the CRM recipe examples share: real accounts from the environment, else a seeded world.

With ``MSPLINK_CW_*`` and ``MSPLINK_SF_*`` credentials set (see the credential guides) a recipe runs
against your accounts, its state kept in ``msplink-state.db`` and its lookups read from the mapping
config file named by ``MSPLINK_MAPPING`` (TOML, ``mapping.toml`` by default). Without them it runs
against ``seed_world("small", seed=1)``: three in-process sandboxes holding one coherent MSP.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from msplink.connectwise import ConnectWiseClient
from msplink.mappers import MappingConfig
from msplink.salesforce import SalesforceClient
from msplink.sandbox import World, seed_world
from msplink.sync import MemoryStateStore, SQLiteStateStore, StateStore, SyncReport

Recipe = Callable[..., SyncReport]


def real_accounts() -> bool:
    """Whether ConnectWise and Salesforce credentials are in the environment."""
    return bool(os.environ.get("MSPLINK_CW_PRIVATE_KEY") and os.environ.get("MSPLINK_SF_CLIENT_ID"))


def run(recipe: Recipe, show: Callable[[World | None], None], **options: Any) -> None:
    """A dry run (what would be written), the run, and a rerun that writes nothing."""
    if real_accounts():
        config = MappingConfig.from_toml(os.environ.get("MSPLINK_MAPPING", "mapping.toml"))
        with (
            ConnectWiseClient.from_env() as cw,
            SalesforceClient.from_env() as sf,
            SQLiteStateStore("msplink-state.db", tenant="example") as state,
        ):
            _three_runs(recipe, cw, sf, state, config, None, **options)
        show(None)
        return
    world = seed_world("small", seed=1)
    store: StateStore = MemoryStateStore()
    with world.clients() as c:
        _three_runs(recipe, c.cw, c.sf, store, world.config, world, **options)
    show(world)


def _three_runs(
    recipe: Recipe,
    cw: Any,
    sf: Any,
    state: StateStore,
    config: MappingConfig,
    world: World | None,
    **options: Any,
) -> None:
    clock = {"now": world.clock.now} if world is not None else {}
    plan = recipe(cw=cw, sf=sf, state=state, config=config, dry_run=True, **clock, **options)
    print(f"dry run: {sum(p.counts['create'] for p in plan.parts)} creates planned, {plan.writes} written")
    report = recipe(cw=cw, sf=sf, state=state, config=config, **clock, **options)
    print(report)
    if world is not None:
        world.clock.advance(3600)
    again = recipe(cw=cw, sf=sf, state=state, config=config, **clock, **options)
    print(f"rerun: {again.writes} writes")
