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

__all__ = [
    "RECIPES",
    "Recipe",
    "accounts_and_contacts",
    "agreements_to_quickbooks",
    "closed_won_to_connectwise",
    "companies_and_customers",
    "invoices_to_quickbooks",
    "invoices_to_salesforce",
    "leads_to_connectwise",
    "payments_to_connectwise",
    "purchase_orders_to_quickbooks",
    "renewals_to_salesforce",
    "tickets_to_cases",
    "time_to_quickbooks",
]


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


from msplink.sync.recipes._accounts import accounts_and_contacts  # noqa: E402
from msplink.sync.recipes._agreements import agreements_to_quickbooks  # noqa: E402
from msplink.sync.recipes._cases import tickets_to_cases  # noqa: E402
from msplink.sync.recipes._closed_won import closed_won_to_connectwise  # noqa: E402
from msplink.sync.recipes._companies import companies_and_customers  # noqa: E402
from msplink.sync.recipes._invoices import invoices_to_quickbooks  # noqa: E402
from msplink.sync.recipes._leads import leads_to_connectwise  # noqa: E402
from msplink.sync.recipes._payments import payments_to_connectwise  # noqa: E402
from msplink.sync.recipes._purchase_orders import purchase_orders_to_quickbooks  # noqa: E402
from msplink.sync.recipes._renewals import renewals_to_salesforce  # noqa: E402
from msplink.sync.recipes._sf_invoices import invoices_to_salesforce  # noqa: E402
from msplink.sync.recipes._time import time_to_quickbooks  # noqa: E402

RECIPES: Mapping[str, Recipe] = MappingProxyType(
    {
        recipe.name: Recipe(
            name=recipe.name, summary=recipe.summary, systems=recipe.systems, run=recipe, flows=recipe.flows
        )
        for recipe in (
            companies_and_customers,
            invoices_to_quickbooks,
            time_to_quickbooks,
            payments_to_connectwise,
            purchase_orders_to_quickbooks,
            agreements_to_quickbooks,
            accounts_and_contacts,
            leads_to_connectwise,
            closed_won_to_connectwise,
            invoices_to_salesforce,
            tickets_to_cases,
            renewals_to_salesforce,
        )
    }
)
"""Every recipe by name (read-only)."""
