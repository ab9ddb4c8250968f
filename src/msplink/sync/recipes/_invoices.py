"""CW invoices -> QBO invoices, with every line (DESIGN §1 use case 1).

Built from public parts (copy it and vary it): the generic ConnectWise adapter of invoices wrapped so
each invoice comes with what it bills (:class:`~msplink.sync.recipes._invoicing.ConnectWiseInvoices`),
the QuickBooks adapter of invoices indexed by ``DocNumber``, the invoice mapper pair whose lines are
already QuickBooks lines, one :class:`~msplink.sync.Flow` and :func:`~msplink.sync.run`; the invoice's
customer comes through the identity map, after ``companies_and_customers``' ConnectWise -> QuickBooks
flow has run (so a new company's customer exists first).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, Final

from msplink.mappers import MappingConfig
from msplink.sync import (
    Direction,
    Flow,
    Guards,
    MatchRule,
    StateStore,
    SyncReport,
    by_link,
    run,
)
from msplink.sync.adapters import (
    AsyncConnectWiseAdapter,
    AsyncQuickBooksAdapter,
    ConnectWiseAdapter,
    QuickBooksAdapter,
)
from msplink.sync.recipes._companies import companies_and_customers
from msplink.sync.recipes._invoicing import (
    CONNECTWISE_INVOICE,
    QUICKBOOKS_INVOICE,
    AsyncConnectWiseInvoices,
    ConnectWiseInvoices,
    paid_or_void,
)

__all__ = [
    "BY_NUMBER",
    "DEFAULT_STATUSES",
    "FLOW",
    "INVOICE_FIELDS",
    "InvoicesToQuickBooks",
    "invoices_to_quickbooks",
]

NAME: Final = "invoices_to_quickbooks"
FLOW: Final = "cw-invoices-to-qbo-invoices"

DEFAULT_STATUSES: Final = ("Sent",)
"""The CW billing statuses exported by default: invoices sent to the customer. Paid invoices are
usually in QuickBooks already (payments are recorded there); add ``"Paid"`` to export those too."""

INVOICE_FIELDS: Final = (
    "customer",
    "number",
    "issue_date",
    "due_date",
    "terms",
    "lines",
    "memo",
    "customer_memo",
)
"""The canonical fields written to QuickBooks: the customer, ``DocNumber`` (the CW invoice number),
dates, terms, every line, the private note and the customer message. Totals follow from the lines;
sales tax is computed by QuickBooks from each line's ``TAX``/``NON`` code (US companies)."""

BY_NUMBER: Final = MatchRule("number", ("number",))
"""Match on the invoice number (CW ``invoiceNumber`` = QBO ``DocNumber``): an invoice exported before
msplink, or whose create answer was lost, is found again instead of created twice."""


def _is_async(client: Any) -> bool:
    return inspect.iscoroutinefunction(getattr(getattr(client, "invoices", None), "create", None))


class InvoicesToQuickBooks:
    """The recipe: call it to export once; :meth:`flows` gives its flows."""

    name: Final = NAME
    summary: Final = (
        "ConnectWise invoices -> QuickBooks invoices (every line, item, tax code, terms; never twice)"
    )
    systems: Final = ("connectwise", "quickbooks")

    def flows(
        self,
        *,
        cw: Any,
        qbo: Any,
        config: MappingConfig | None,
        statuses: Iterable[str] | None = DEFAULT_STATUSES,
        sync_customers: bool = True,
        update_paid: bool = False,
        cw_integration_user: str | None = None,
        guards: Guards | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> tuple[Flow, ...]:
        """The flows, in run order: ConnectWise companies -> QuickBooks customers (with
        ``sync_customers``), then ConnectWise invoices -> QuickBooks invoices.

        Args:
            cw: A ``ConnectWiseClient`` (or ``AsyncConnectWiseClient``).
            qbo: A ``QuickBooksClient`` (or ``AsyncQuickBooksClient``).
            config: The ``MappingConfig`` (items, product classes, tax codes, terms, penny item).
            statuses: The CW billing statuses to export (``None``: every invoice).
            sync_customers: Run ``companies_and_customers``' ConnectWise -> QuickBooks flow first.
            update_paid: Also rewrite QBO invoices with a payment applied (default: leave them, SKIP
                ``paid``).
            cw_integration_user: The ConnectWise API member msplink writes as.
            guards: Blast-radius limits for every flow.
            now: The clock of the adapters (default: the system clock).
        """
        asynchronous = _is_async(cw)
        if asynchronous != _is_async(qbo):
            raise TypeError("pass two sync clients or two async clients")
        if asynchronous:
            invoices: Any = AsyncConnectWiseInvoices(
                AsyncConnectWiseAdapter(
                    cw, CONNECTWISE_INVOICE, config=config, integration_user=cw_integration_user, now=now
                ),
                statuses,
            )
            target: Any = AsyncQuickBooksAdapter(
                qbo, QUICKBOOKS_INVOICE, config=config, now=now, name_field="number", index_rules=(BY_NUMBER,)
            )
        else:
            invoices = ConnectWiseInvoices(
                ConnectWiseAdapter(
                    cw, CONNECTWISE_INVOICE, config=config, integration_user=cw_integration_user, now=now
                ),
                statuses,
            )
            target = QuickBooksAdapter(
                qbo, QUICKBOOKS_INVOICE, config=config, now=now, name_field="number", index_rules=(BY_NUMBER,)
            )
        flow = Flow(
            name=FLOW,
            source=invoices,
            target=target,
            source_mapper=CONNECTWISE_INVOICE,
            target_mapper=QUICKBOOKS_INVOICE,
            config=config,
            direction=Direction.ONE_WAY,
            match=(by_link(), BY_NUMBER),
            fields=INVOICE_FIELDS,
            guards=guards or Guards(),
            locked=None if update_paid else paid_or_void,
        )
        if not sync_customers:
            return (flow,)
        customers, _ = companies_and_customers.flows(
            cw=cw, qbo=qbo, config=config, cw_integration_user=cw_integration_user, guards=guards, now=now
        )
        return (customers, flow)

    def __call__(
        self,
        *,
        cw: Any,
        qbo: Any,
        state: StateStore,
        config: MappingConfig | None,
        dry_run: bool = False,
        progress: bool | Callable[[int, int], None] | None = None,
        statuses: Iterable[str] | None = DEFAULT_STATUSES,
        sync_customers: bool = True,
        update_paid: bool = False,
        cw_integration_user: str | None = None,
        guards: Guards | None = None,
        retry_dead_letters: bool = False,
        now: Callable[[], datetime] | None = None,
    ) -> SyncReport:
        """Export ConnectWise invoices to QuickBooks once.

        Each CW invoice in ``statuses`` becomes one QBO invoice: the customer through the identity map,
        ``DocNumber`` = the CW invoice number, the invoice and due dates, the terms, and every line
        (billed products, billed time, the agreement's additions) with its QBO item and tax code; a
        penny-adjustment line makes the lines add up to the CW subtotal to the cent. An invoice is
        found again by its number before anything is created (and QBO's ``requestid`` answers a
        resent create from its cache), so none is created twice. A changed CW invoice updates its QBO
        invoice (sparse, with the ``SyncToken``) unless a payment is applied to it: a paid invoice is
        left alone and reported (SKIP ``paid``). An invoice blocked by a missing mapping is a dead
        letter naming the entry (see ``msplink.sync.reports.unmapped``); add it to the config and run
        again with ``retry_dead_letters=True``.

        Args:
            cw: A ``ConnectWiseClient`` (``GET /finance/invoices``, ``/procurement/products``,
                ``/time/entries``, ``/finance/agreements/{id}/additions``).
            qbo: A ``QuickBooksClient`` (``/query`` and ``/batch`` of invoices).
            state: The state store.
            config: The ``MappingConfig``.
            dry_run: Plan and report only.
            progress: ``True`` for a progress bar, or a callback ``(records, writes)``.
            statuses: The CW billing statuses to export (default :data:`DEFAULT_STATUSES`).
            sync_customers: Sync new companies to QuickBooks customers first (default ``True``).
            update_paid: Rewrite QBO invoices with payments applied too.
            cw_integration_user: The ConnectWise API member msplink writes as.
            guards: Blast-radius limits for every flow.
            retry_dead_letters: Retry each flow's dead letters first.
            now: The clock of the adapters (default: the system clock).

        Returns:
            One report for the flows (``report.parts`` holds each flow's).

        Raises:
            GuardError: A flow's plan exceeded its guards (before its first write).
            LeaseError: Another process runs one of the flows.
            SyncError: Authentication, configuration or reading failed.
            TypeError: Async clients (run :meth:`flows` with ``arun``).
        """
        if _is_async(cw) or _is_async(qbo):
            raise TypeError("async clients: run each of invoices_to_quickbooks.flows(...) with arun")
        flows = self.flows(
            cw=cw, qbo=qbo, config=config, statuses=statuses, sync_customers=sync_customers,
            update_paid=update_paid, cw_integration_user=cw_integration_user, guards=guards, now=now,
        )  # fmt: skip
        reports = [
            run(flow, state=state, dry_run=dry_run, progress=progress, retry_dead_letters=retry_dead_letters)
            for flow in flows
        ]
        return SyncReport.combine(NAME, reports)

    def __repr__(self) -> str:
        return f"<recipe {NAME}>"


invoices_to_quickbooks: Final = InvoicesToQuickBooks()
"""CW invoices -> QBO invoices: ``invoices_to_quickbooks(cw=..., qbo=..., state=..., config=...)``;
``invoices_to_quickbooks.flows(...)`` for ``arun``."""
