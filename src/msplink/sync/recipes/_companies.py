"""CW companies <-> QBO customers, both directions (DESIGN §1 use case 2).

Built only from public parts (copy it and vary it): two adapters over the clients, the mapper rows
from ``msplink.mappers.find_mapper``, two :class:`~msplink.sync.Flow` values sharing one state store
(identity map, ledger, conflicts) and the same field owners seen from each side, and
:func:`~msplink.sync.run` (or :func:`~msplink.sync.arun` over async clients).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Collection, Mapping
from datetime import datetime
from typing import Any, Final

from msplink.mappers import MappingConfig, find_mapper
from msplink.models import Customer
from msplink.sync import (
    Direction,
    FieldPolicy,
    Flow,
    Guards,
    Owner,
    StateStore,
    SyncReport,
    by_email,
    by_link,
    by_name,
    run,
)
from msplink.sync.adapters import (
    AsyncConnectWiseAdapter,
    AsyncQuickBooksAdapter,
    ConnectWiseAdapter,
    QuickBooksAdapter,
)

__all__ = [
    "COMPANY_FIELDS",
    "DEFAULT_OWNERS",
    "VENDOR_TYPES",
    "CompaniesAndCustomers",
    "companies_and_customers",
    "not_a_vendor",
]

NAME: Final = "companies_and_customers"
FORWARD: Final = "cw-companies-to-qbo-customers"
BACKWARD: Final = "qbo-customers-to-cw-companies"

COMPANY_FIELDS: Final = (
    "name",
    "email",
    "phone",
    "fax",
    "website",
    "billing_address.line1",
    "billing_address.line2",
    "billing_address.city",
    "billing_address.region",
    "billing_address.postal_code",
    "terms",
)
"""The canonical fields both flows sync (both mappers read and write them). The country is left out:
ConnectWise names it (``United States``) where QuickBooks codes it (``US``), so they would never agree.
``active`` goes one way (ConnectWise has no writable active flag)."""

DEFAULT_OWNERS: Final[Mapping[str, Owner]] = {
    "name": Owner.SOURCE,
    "website": Owner.SOURCE,
    "fax": Owner.SOURCE,
    "active": Owner.SOURCE,
    "terms": Owner.TARGET,
    "email": Owner.REVIEW,
    "phone": Owner.REVIEW,
    "billing_address": Owner.REVIEW,
}
"""Who owns each field, seen from ConnectWise (``SOURCE`` = ConnectWise, ``TARGET`` = QuickBooks):
ConnectWise names the company; QuickBooks keeps the payment terms; e-mail, phone and billing address
are written on both sides, so a change on both sides is a conflict for a person (``REVIEW``)."""

VENDOR_TYPES: Final = ("Vendor",)
"""The ConnectWise company types that are suppliers, not customers: a company whose (first) type is one
of them is not made a QuickBooks customer (reason ``filtered``). ``purchase_orders_to_quickbooks``
makes it a QuickBooks vendor instead, and QuickBooks refuses a customer and a vendor of the same
display name (error 6240, "Duplicate Name Exists Error": names are unique across customers, vendors
and employees; quickbooks REFERENCE.md, error codes)."""


def _is_async(client: Any) -> bool:
    return inspect.iscoroutinefunction(getattr(getattr(client, "companies", None), "create", None)) or (
        inspect.iscoroutinefunction(getattr(getattr(client, "customers", None), "create", None))
    )


class CompaniesAndCustomers:
    """The recipe: call it to sync both directions once; :meth:`flows` gives its two flows."""

    name: Final = NAME
    summary: Final = "ConnectWise companies <-> QuickBooks customers (contact, billing address, terms)"
    systems: Final = ("connectwise", "quickbooks")

    def flows(
        self,
        *,
        cw: Any,
        qbo: Any,
        config: MappingConfig | None,
        owners: Mapping[str, Owner] | None = None,
        cw_integration_user: str | None = None,
        guards: Guards | None = None,
        now: Callable[[], datetime] | None = None,
        vendor_types: Collection[str] = VENDOR_TYPES,
    ) -> tuple[Flow, Flow]:
        """The two flows (ConnectWise -> QuickBooks first, then back), over sync or async clients.

        Args:
            cw: A ``ConnectWiseClient`` (or ``AsyncConnectWiseClient``).
            qbo: A ``QuickBooksClient`` (or ``AsyncQuickBooksClient``).
            config: The ``MappingConfig`` (billing terms, tax codes ...).
            owners: Field owners seen from ConnectWise (default :data:`DEFAULT_OWNERS`); a field left
                out is ``REVIEW``.
            cw_integration_user: The ConnectWise API member msplink writes as (its changes are
                recognised as msplink's own without being read field by field).
            guards: Blast-radius limits for both flows.
            now: The clock of the adapters (default: the system clock).
            vendor_types: ConnectWise company types left out of the customers (default
                :data:`VENDOR_TYPES`; ``()`` syncs every company).
        """
        asynchronous = _is_async(cw)
        if asynchronous != _is_async(qbo):
            raise TypeError("pass two sync clients or two async clients")
        cw_mapper = find_mapper("connectwise", "company", Customer)
        qbo_mapper = find_mapper("quickbooks", "Customer", Customer)
        cw_cls = AsyncConnectWiseAdapter if asynchronous else ConnectWiseAdapter
        qbo_cls = AsyncQuickBooksAdapter if asynchronous else QuickBooksAdapter
        companies = cw_cls(cw, cw_mapper, config=config, integration_user=cw_integration_user, now=now)
        customers = qbo_cls(qbo, qbo_mapper, config=config, now=now)
        policies = tuple(FieldPolicy(f, o) for f, o in sorted((owners or DEFAULT_OWNERS).items()))
        forward = Flow(
            name=FORWARD,
            source=companies,
            target=customers,
            source_mapper=cw_mapper,
            target_mapper=qbo_mapper,
            config=config,
            direction=Direction.TWO_WAY,
            match=(by_link(), by_email(), by_name()),
            policies=policies,
            fields=(*COMPANY_FIELDS, "active"),
            guards=guards or Guards(),
            filter=not_a_vendor(vendor_types),
        )
        backward = forward.reversed(name=BACKWARD, fields=COMPANY_FIELDS, filter=_active)
        return forward, backward

    def __call__(
        self,
        *,
        cw: Any,
        qbo: Any,
        state: StateStore,
        config: MappingConfig | None,
        dry_run: bool = False,
        progress: bool | Callable[[int, int], None] | None = None,
        owners: Mapping[str, Owner] | None = None,
        cw_integration_user: str | None = None,
        guards: Guards | None = None,
        retry_dead_letters: bool = False,
        now: Callable[[], datetime] | None = None,
        vendor_types: Collection[str] = VENDOR_TYPES,
    ) -> SyncReport:
        """Sync ConnectWise companies and QuickBooks customers, both directions, once.

        ConnectWise -> QuickBooks runs first (new companies become customers, CW-owned fields
        flow), then QuickBooks -> ConnectWise (new active customers become companies, QBO-owned fields
        flow). Records are matched by the identity map, then e-mail, then normalised name; ambiguous
        matches and fields changed on both sides wait in ``state.conflicts()``.

        Args:
            cw: A ``ConnectWiseClient`` (``GET/POST/PATCH /company/companies``).
            qbo: A ``QuickBooksClient`` (``/cdc``, ``/query``, ``/batch`` of customers).
            state: The state store both flows share.
            config: The ``MappingConfig``.
            dry_run: Plan and report only.
            progress: ``True`` for a progress bar, or a callback ``(records, writes)``.
            owners: Field owners seen from ConnectWise (default :data:`DEFAULT_OWNERS`).
            cw_integration_user: The ConnectWise API member msplink writes as.
            guards: Blast-radius limits for both flows.
            retry_dead_letters: Retry each flow's dead letters first.
            now: The clock of the adapters (default: the system clock).
            vendor_types: ConnectWise company types that are suppliers, not customers (default
                :data:`VENDOR_TYPES`).

        Returns:
            One report for both flows (``report.parts`` holds each flow's).

        Raises:
            GuardError: A flow's plan exceeded its guards (before its first write).
            LeaseError: Another process runs one of the flows.
            SyncError: Authentication, configuration or reading failed.
            TypeError: Async clients (run :meth:`flows` with ``arun``).
        """
        if _is_async(cw) or _is_async(qbo):
            raise TypeError("async clients: run each of companies_and_customers.flows(...) with arun")
        reports = [
            run(flow, state=state, dry_run=dry_run, progress=progress, retry_dead_letters=retry_dead_letters)
            for flow in self.flows(
                cw=cw, qbo=qbo, config=config, owners=owners, cw_integration_user=cw_integration_user,
                guards=guards, now=now, vendor_types=vendor_types,
            )
        ]  # fmt: skip
        return SyncReport.combine(NAME, reports)

    def __repr__(self) -> str:
        return "<recipe companies_and_customers>"


def _active(customer: Any) -> bool:
    return bool(getattr(customer, "active", True))


def not_a_vendor(vendor_types: Collection[str]) -> Callable[[Any], bool] | None:
    """A filter on canonical ConnectWise companies: ``False`` for a company whose type is one of
    ``vendor_types`` (``None``, no filter, when there are none). The MSP's suppliers are neither
    QuickBooks customers nor Salesforce accounts: ``purchase_orders_to_quickbooks`` makes them vendors."""
    if not vendor_types:
        return None
    skipped = frozenset(vendor_types)

    def not_a_vendor(customer: Any) -> bool:
        return getattr(customer, "customer_type", None) not in skipped

    return not_a_vendor


companies_and_customers: Final = CompaniesAndCustomers()
"""CW companies <-> QBO customers, both directions: ``companies_and_customers(cw=..., qbo=..., state=...,
config=...)``; ``companies_and_customers.flows(...)`` for ``arun``."""
