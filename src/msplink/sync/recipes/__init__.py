"""Recipes: one small function per MSP use case, built only from the public parts of
:mod:`msplink.sync` (SYNC.md §10), and the :data:`RECIPES` registry the CLI and the demo read.

Each recipe takes keyword-only clients (``cw=``, ``qbo=``, ``sf=``), ``state``, ``config``,
``dry_run`` and ``progress``, returns a :class:`~msplink.sync.SyncReport`, and exposes its flows
(``recipes.<name>.flows(...)``) so ``arun`` can run them.

:data:`RECIPES` holds each one as a :class:`Recipe`: its summary and systems, whether its flows need
the state store, and the recipes it runs after; ``RECIPES[name].sync(cw=..., qbo=..., sf=...,
state=..., config=...)`` calls any of them alike (each gets the clients it takes).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any, Final

import attrs

from msplink.errors import ConfigurationError
from msplink.mappers import MappingConfig
from msplink.sync import Flow, StateStore, SyncReport, arun_together
from msplink.sync.adapters import in_turns

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


_CLIENT_KEYWORDS: Final[Mapping[str, str]] = MappingProxyType(
    {"connectwise": "cw", "quickbooks": "qbo", "salesforce": "sf"}
)
"""The keyword every recipe takes each system's client by."""


@attrs.frozen(kw_only=True)
class Recipe:
    """One registered recipe, and one way to call any of them.

    Recipes differ in the clients they take (``cw=``, ``qbo=``, ``sf=``) and in whether building
    their flows needs the state store; :meth:`sync` and :meth:`make_flows` take every client and
    pass each recipe what it declares here, so the CLI and the demo call all twelve alike.

    Attributes:
        name: The stable name (``companies_and_customers``), used by the CLI.
        summary: One line saying what it syncs.
        systems: The systems it needs (``connectwise``, ``quickbooks``, ``salesforce``); its clients
            are ``cw=``, ``qbo=`` and ``sf=`` for them (:attr:`clients`).
        run: The recipe function.
        flows: Builds the recipe's flows (for ``arun`` and inspection).
        flows_need_state: Whether ``flows(...)`` takes ``state=`` (flows that read the identity map
            or the ledger while they build their pages).
        after: The recipes that run before this one in a pass (:func:`msplink.demo.dependency_order`):
            the ones whose links it needs (an invoice's customer), and the ones whose new records it
            carries on (a company a lead brought into ConnectWise becomes a Salesforce account), so
            that one pass of every recipe in that order leaves the next pass nothing to write.
    """

    name: str
    summary: str
    systems: tuple[str, ...]
    run: Callable[..., SyncReport]
    flows: Callable[..., Iterable[Flow]]
    flows_need_state: bool = False
    after: tuple[str, ...] = ()

    @property
    def clients(self) -> tuple[str, ...]:
        """The client keywords it takes (``("cw", "qbo")``)."""
        return tuple(_CLIENT_KEYWORDS[system] for system in self.systems)

    def _clients(self, offered: Mapping[str, Any]) -> dict[str, Any]:
        missing = [k for k in self.clients if offered.get(k) is None]
        if missing:
            raise ConfigurationError(
                f"recipe {self.name} needs the {', '.join(missing)} client{'s' if len(missing) > 1 else ''} "
                f"({', '.join(self.systems)})"
            )
        return {k: offered[k] for k in self.clients}

    def sync(
        self,
        *,
        cw: Any = None,
        qbo: Any = None,
        sf: Any = None,
        state: StateStore,
        config: MappingConfig | None,
        dry_run: bool = False,
        progress: bool | Callable[[int, int], None] | None = None,
        retry_dead_letters: bool = False,
        now: Callable[[], datetime] | None = None,
        **options: Any,
    ) -> SyncReport:
        """Run the recipe once over sync clients, passing it the clients it takes (others are ignored).

        Args:
            cw: A ``ConnectWiseClient`` (when the recipe needs ConnectWise).
            qbo: A ``QuickBooksClient`` (when it needs QuickBooks).
            sf: A ``SalesforceClient`` (when it needs Salesforce).
            state: The state store.
            config: The ``MappingConfig``.
            dry_run: Plan and report only.
            progress: ``True`` for a progress bar, or a callback ``(records, writes)``.
            retry_dead_letters: Retry each flow's dead letters first.
            now: The clock of the adapters (default: the system clock).
            **options: The recipe's own options (see its docs page).

        Returns:
            The recipe's report (``report.parts`` holds each flow's).

        Raises:
            ConfigurationError: A client the recipe needs is missing.
        """
        return self.run(
            **self._clients({"cw": cw, "qbo": qbo, "sf": sf}),
            state=state,
            config=config,
            dry_run=dry_run,
            progress=progress,
            retry_dead_letters=retry_dead_letters,
            now=now,
            **options,
        )

    async def arun(
        self,
        *,
        cw: Any = None,
        qbo: Any = None,
        sf: Any = None,
        state: StateStore,
        config: MappingConfig | None,
        retry_dead_letters: bool = False,
        now: Callable[[], datetime] | None = None,
        **options: Any,
    ) -> SyncReport:
        """Run the recipe once over async clients: its flows in order with :func:`~msplink.sync.arun`,
        those reading one shared source in turn with :func:`~msplink.sync.arun_together` (as
        :meth:`sync` runs them). A dry run of a recipe is :meth:`sync`'s (its later flows see what the
        earlier ones would link).

        Args:
            cw: An ``AsyncConnectWiseClient`` (when the recipe needs ConnectWise).
            qbo: An ``AsyncQuickBooksClient`` (when it needs QuickBooks).
            sf: An ``AsyncSalesforceClient`` (when it needs Salesforce).
            state: The state store.
            config: The ``MappingConfig``.
            retry_dead_letters: Retry each flow's dead letters first.
            now: The clock of the adapters (default: the system clock).
            **options: The recipe's own options (see its docs page).

        Returns:
            The recipe's report (``report.parts`` holds each flow's).

        Raises:
            ConfigurationError: A client the recipe needs is missing, or a client is not async.
        """
        flows = self.make_flows(cw=cw, qbo=qbo, sf=sf, state=state, config=config, now=now, **options)
        reports: list[SyncReport] = []
        for group in in_turns(flows):
            reports.extend(await arun_together(group, state=state, retry_dead_letters=retry_dead_letters))
        return SyncReport.combine(self.name, reports)

    def make_flows(
        self,
        *,
        cw: Any = None,
        qbo: Any = None,
        sf: Any = None,
        state: StateStore | None = None,
        config: MappingConfig | None,
        now: Callable[[], datetime] | None = None,
        **options: Any,
    ) -> tuple[Flow, ...]:
        """The recipe's flows over the clients it takes (sync or async; building them does no I/O).

        Args:
            cw: A ConnectWise client (when the recipe needs ConnectWise).
            qbo: A QuickBooks client (when it needs QuickBooks).
            sf: A Salesforce client (when it needs Salesforce).
            state: The state store (needed when :attr:`flows_need_state`; ignored otherwise).
            config: The ``MappingConfig``.
            now: The clock of the adapters.
            **options: The recipe's own options.

        Raises:
            ConfigurationError: A client (or the state store) the recipe needs is missing.
        """
        arguments = self._clients({"cw": cw, "qbo": qbo, "sf": sf})
        if self.flows_need_state:
            if state is None:
                raise ConfigurationError(
                    f"recipe {self.name} builds its flows over the state store: pass state="
                )
            arguments["state"] = state
        return tuple(self.flows(**arguments, config=config, now=now, **options))


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


def _entry(recipe: Any, *, flows_need_state: bool = False, after: tuple[str, ...] = ()) -> Recipe:
    return Recipe(
        name=recipe.name,
        summary=recipe.summary,
        systems=recipe.systems,
        run=recipe,
        flows=recipe.flows,
        flows_need_state=flows_need_state,
        after=after,
    )


RECIPES: Mapping[str, Recipe] = MappingProxyType(
    {
        entry.name: entry
        for entry in (
            _entry(companies_and_customers),
            # a lead's company may be a QuickBooks customer companies_and_customers brought into CW
            _entry(leads_to_connectwise, after=("companies_and_customers",)),
            # the won account's company, contacts and ticket: linked afterwards by accounts_and_contacts
            _entry(closed_won_to_connectwise, flows_need_state=True, after=("companies_and_customers",)),
            # carries the companies and contacts the recipes above brought into ConnectWise to Salesforce
            _entry(
                accounts_and_contacts,
                after=("companies_and_customers", "leads_to_connectwise", "closed_won_to_connectwise"),
            ),
            # invoices need their customers; its customer flow carries the CRM recipes' new companies on
            _entry(invoices_to_quickbooks, after=("companies_and_customers", "accounts_and_contacts")),
            _entry(time_to_quickbooks, after=("companies_and_customers",)),
            # payments are applied to the CW invoices linked to QBO invoices by invoices_to_quickbooks
            _entry(payments_to_connectwise, flows_need_state=True, after=("invoices_to_quickbooks",)),
            # the drop-shipped orders' clients need their customers; vendors are left to this recipe
            _entry(purchase_orders_to_quickbooks, flows_need_state=True, after=("companies_and_customers",)),
            _entry(agreements_to_quickbooks, flows_need_state=True, after=("companies_and_customers",)),
            # invoices go under their accounts, with the balances and statuses payments wrote in CW
            _entry(
                invoices_to_salesforce,
                flows_need_state=True,
                after=("accounts_and_contacts", "payments_to_connectwise"),
            ),
            # cases go under their accounts; the onboarding tickets of won deals are tickets too
            _entry(
                tickets_to_cases,
                flows_need_state=True,
                after=("accounts_and_contacts", "closed_won_to_connectwise"),
            ),
            _entry(renewals_to_salesforce, flows_need_state=True, after=("accounts_and_contacts",)),
        )
    }
)
"""Every recipe by name (read-only), in an order that runs each after the recipes it names in
:attr:`Recipe.after`."""
