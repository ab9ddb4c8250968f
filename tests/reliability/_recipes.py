"""Running any registered recipe against a seeded world, for the reliability suite.

Recipes share a calling convention (SYNC.md §10): keyword-only clients (``cw=``, ``qbo=``, ``sf=``),
``state``, ``config``, plus options such as ``now``, ``cw_integration_user`` and
``retry_dead_letters``. :func:`kwargs_for` offers the conventional names and passes those the
recipe accepts, so every recipe in ``RECIPES`` runs here as it lands.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from typing import Any

from msplink.sandbox import FaultKind, World, seed_world
from msplink.sync import StateStore, SyncReport
from msplink.sync.recipes import RECIPES

__all__ = [
    "API_PATHS",
    "INTEGRATION_USER",
    "dead_letters",
    "fault_profile",
    "kwargs_for",
    "prepare",
    "recipe_names",
    "sync",
    "world_for",
]

INTEGRATION_USER = "api_sync"
"""The API member the world's ConnectWise credentials log in as."""

API_PATHS = r"/(apis/3\.0|v3/company|services/data)/"
"""The API paths of the three sandboxes (token and login endpoints are not on them)."""


WORLD_OPTIONS: dict[str, dict[str, Any]] = {"purchase_orders_to_quickbooks": {"procurement": True}}
"""``seed_world`` options a recipe needs to have anything to do: the default world holds no purchase
orders (its vendors and orders are seeded only with ``procurement=True``)."""


def world_for(name: str, size: int, seed: int) -> World:
    """The seeded world recipe ``name`` runs on (with what it syncs: see :data:`WORLD_OPTIONS`)."""
    return seed_world(size, seed=seed, **WORLD_OPTIONS.get(name, {}))


PREREQUISITES: dict[str, tuple[str, ...]] = {"agreements_to_quickbooks": ("companies_and_customers",)}
"""Recipes that must have run first for a recipe to have anything to write: agreement templates are
written for companies ``companies_and_customers`` linked to QBO customers (without it, every agreement
of the 40-company world is a dead letter and nothing is written)."""


def prepare(world: World, name: str, state: StateStore) -> None:
    """Run the recipes ``name`` needs first (:data:`PREREQUISITES`), fault-free, into ``state``."""
    for first in PREREQUISITES.get(name, ()):
        sync(world, first, state)


def recipe_names() -> list[str]:
    """Every registered recipe, by name."""
    return sorted(RECIPES)


def kwargs_for(function: Any, offered: dict[str, Any]) -> dict[str, Any]:
    """The offered keyword arguments ``function`` accepts."""
    accepted = inspect.signature(function).parameters
    return {k: v for k, v in offered.items() if k in accepted}


def sync(world: World, name: str, state: StateStore, **options: Any) -> SyncReport:
    """Run recipe ``name`` once over fresh sync clients of the world."""
    recipe = RECIPES[name]
    with world.clients() as c:
        offered = {
            "cw": c.cw, "qbo": c.qbo, "sf": c.sf, "state": state, "config": world.config,
            "now": world.clock.now, "cw_integration_user": INTEGRATION_USER, **options,
        }  # fmt: skip
        report: SyncReport = recipe.run(**kwargs_for(recipe.run, offered))
    return report


def dead_letters(state: StateStore) -> set[tuple[str, str, str, str]]:
    """Dead letters by (flow, source system, source id, error type)."""
    return {(d.flow, d.source.system, d.source.id, d.error_type) for d in state.dead_letters()}


def fault_profile(
    world: World, seed: int, rate: float, systems: Iterable[str], *, lose_rate: float | None = None
) -> None:
    """The sandbox fault profile on the API paths of ``systems`` (token endpoints spared): 429s (SF:
    403 REQUEST_LIMIT_EXCEEDED), 503s, dropped connections, and writes applied with their answer
    lost (at ``lose_rate`` per POST or PATCH, default ``2 * rate``)."""
    boxes = {"connectwise": world.cw, "quickbooks": world.qbo, "salesforce": world.sf}
    for system in systems:
        sandbox = boxes[system]
        sandbox.faults.reseed(seed)
        sandbox.faults.inject(FaultKind.RATE_LIMIT, rate=rate, retry_after=1, path=API_PATHS)
        sandbox.faults.inject(FaultKind.SERVER_ERROR, rate=rate, status=503, path=API_PATHS)
        sandbox.faults.inject(FaultKind.DROP_CONNECTION, rate=rate, path=API_PATHS)
        for method in ("POST", "PATCH"):
            lost = 2 * rate if lose_rate is None else lose_rate
            sandbox.faults.inject(FaultKind.LOSE_RESPONSE, rate=lost, method=method, path=API_PATHS)


def clear_faults(world: World) -> None:
    """Remove every fault rule."""
    for sandbox in (world.cw, world.qbo, world.sf):
        sandbox.faults.clear()


def injected(world: World) -> dict[FaultKind, int]:
    """Faults injected so far, by kind, over the three sandboxes."""
    return {
        k: world.cw.faults.injected[k] + world.qbo.faults.injected[k] + world.sf.faults.injected[k]
        for k in FaultKind
    }
