"""Recipes: one small function per MSP use case, built only from the public parts of
:mod:`msplink.sync` (SYNC.md §10), and the :data:`RECIPES` registry the CLI and the demo read.

Each recipe takes keyword-only clients (``cw=``, ``qbo=``, ``sf=``), ``state``, ``config``,
``dry_run`` and ``progress``, returns a :class:`~msplink.sync.SyncReport`, and exposes its flows
(``recipes.<name>.flows(...)``) so ``arun`` can run them. The registry is filled as recipes land.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

import attrs

__all__ = ["RECIPES", "Recipe", "companies_and_customers"]


@attrs.frozen(kw_only=True)
class Recipe:
    """One registered recipe.

    Attributes:
        name: The stable name (``companies_and_customers``), used by the CLI.
        summary: One line saying what it syncs.
        systems: The systems it needs (``connectwise``, ``quickbooks``, ``salesforce``).
        run: The recipe function.
        flows: Builds the recipe's flows (for ``arun`` and inspection).
    """

    name: str
    summary: str
    systems: tuple[str, ...]
    run: Callable[..., Any]
    flows: Callable[..., Any]


from msplink.sync.recipes._companies import companies_and_customers  # noqa: E402

RECIPES: Mapping[str, Recipe] = MappingProxyType(
    {
        recipe.name: Recipe(
            name=recipe.name, summary=recipe.summary, systems=recipe.systems, run=recipe, flows=recipe.flows
        )
        for recipe in (companies_and_customers,)
    }
)
"""Every recipe by name (read-only)."""
