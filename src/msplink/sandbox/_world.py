"""``seed_world``: the three sandboxes seeded as one coherent MSP, with its mapping config and its facts.

This is the one sandbox module that may import client code (the vendor clients, ``msplink.testing``
and ``msplink.mappers``): it builds working clients on the in-process transports and the
``MappingConfig`` an admin would write for the world. The emulators themselves stay independent.

Example::

    world = seed_world("small", seed=7)
    with world.clients() as c:
        companies = c.cw.companies.list().to_list()
        customers = c.qbo.customers.list().to_list()
    facts = world.facts()
    facts.overdue_invoice            # a CW invoice id past due and unpaid
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator, Mapping
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

import attrs

from msplink.connectwise import AsyncConnectWiseClient, ConnectWiseClient
from msplink.mappers import MappingConfig
from msplink.quickbooks import (
    AsyncQuickBooksClient,
    MemoryTokenStore,
    OAuthToken,
    QuickBooksClient,
    QuickBooksOAuth2,
)
from msplink.salesforce import AsyncSalesforceClient, ClientCredentialsAuth, SalesforceClient
from msplink.sandbox._worldfacts import WorldFacts, build_facts
from msplink.sandbox._worldgen import company_count, plan_world
from msplink.sandbox._worldprocurement import PO_STATUSES, procurement_counts, seed_procurement
from msplink.sandbox._worldseed import (
    Seeded,
    customise_org,
    seed_connectwise,
    seed_quickbooks,
    seed_salesforce,
)
from msplink.sandbox._worldstore import (
    dump_company,
    dump_org,
    dump_store,
    dumps,
    loads,
    restore_company,
    restore_org,
    restore_store,
)
from msplink.sandbox._worldtables import BILLING_TERMS, CATALOG, CW, MEMBERS, QBO, SF, TAX_CODES, WORK_TYPES
from msplink.sandbox.connectwise import ConnectWiseSandbox
from msplink.sandbox.quickbooks import QuickBooksSandbox
from msplink.sandbox.salesforce import SalesforceSandbox
from msplink.testing import FakeClock

__all__ = ["AsyncWorldClients", "World", "WorldClients", "load_world", "seed_world"]

FORMAT = 1
_FILES = {
    "world": "world.json",
    "config": "config.json",
    CW: "connectwise.json",
    QBO: "quickbooks.json",
    SF: "salesforce.json",
}
_BASE_DAY = date(2026, 3, 2)

OPPORTUNITY_STAGES = {
    "Prospecting": "Prospect",
    "Qualification": "Qualified",
    "Needs Analysis": "Qualified",
    "Value Proposition": "Proposal",
    "Id. Decision Makers": "Proposal",
    "Perception Analysis": "Proposal",
    "Proposal/Price Quote": "Proposal",
    "Negotiation/Review": "Negotiation",
    "Closed Won": "Won",
    "Closed Lost": "Lost",
}
"""SF StageName -> the MSP's CW opportunity stage."""


@attrs.frozen
class WorldClients:
    """Sync clients on a world's in-process transports (sharing its fake clock: nothing really waits)."""

    cw: ConnectWiseClient
    qbo: QuickBooksClient
    sf: SalesforceClient


@attrs.frozen
class AsyncWorldClients:
    """Async clients on a world's in-process transports."""

    cw: AsyncConnectWiseClient
    qbo: AsyncQuickBooksClient
    sf: AsyncSalesforceClient


def _now_for(today: date | datetime | None, seed: int) -> datetime:
    if today is None:
        return datetime.combine(_BASE_DAY + timedelta(days=seed % 97), time(9, 0), tzinfo=timezone.utc)
    if isinstance(today, datetime):
        if today.tzinfo is None or today.utcoffset() is None:
            raise ValueError("today must be timezone-aware when it is a datetime")
        return today.astimezone(timezone.utc)
    return datetime.combine(today, time(9, 0), tzinfo=timezone.utc)


class World:
    """An MSP seeded across ConnectWise, QuickBooks and Salesforce sandboxes.

    Attributes:
        cw: The ConnectWise Manage sandbox.
        qbo: The QuickBooks Online sandbox.
        sf: The Salesforce sandbox.
        clock: The fake clock every sandbox (and every client from :meth:`clients`) shares; advance it
            to let time pass (``world.clock.advance(3600)``).
        now: The moment the world was seeded (aware, UTC).
        today: ``now``'s date: every seeded date is relative to it.
        seed: The seed it was generated from.
        size: Its number of companies.
        config: The :class:`~msplink.mappers.MappingConfig` an admin would have written for this world
            (terms, tax codes, catalog items, product classes, owners, picklists, CW ids, default and
            penny items); a few values are deliberately left unmapped (see ``facts().unmapped``).
    """

    def __init__(
        self,
        *,
        seed: int,
        size: int,
        now: datetime,
        clock: FakeClock,
        config: MappingConfig,
        facts: WorldFacts,
        cw: ConnectWiseSandbox,
        qbo: QuickBooksSandbox,
        sf: SalesforceSandbox,
    ) -> None:
        self.seed = seed
        self.size = size
        self.now = now
        self.today = now.date()
        self.clock = clock
        self.config = config
        self.cw = cw
        self.qbo = qbo
        self.sf = sf
        self._facts = facts

    def __repr__(self) -> str:
        return f"<World size={self.size} seed={self.seed} today={self.today.isoformat()}>"

    def facts(self) -> WorldFacts:
        """What was seeded: counts per kind and the ids of the worked examples."""
        return self._facts

    # ------------------------------------------------------------------------------------ clients

    def _qbo_auth(self) -> QuickBooksOAuth2:
        creds = self.qbo.credentials()
        token = OAuthToken(
            access_token=creds["access_token"],
            refresh_token=creds["refresh_token"],
            expires_at=self.clock.now() + timedelta(seconds=int(creds["expires_in"])),
            realm_id=creds["realm_id"],
        )
        return QuickBooksOAuth2(
            client_id=creds["client_id"],
            client_secret=creds["client_secret"],
            store=MemoryTokenStore(token),
            redirect_uri=creds["redirect_uri"],
            now=self.clock.now,
            transport=self.qbo.transport(),
        )

    def _sf_auth(self) -> ClientCredentialsAuth:
        creds = self.sf.credentials()
        return ClientCredentialsAuth(
            client_id=creds["client_id"], client_secret=creds["client_secret"], clock=self.clock.monotonic
        )

    @contextlib.contextmanager
    def clients(self) -> Iterator[WorldClients]:
        """Working sync clients ``c.cw``, ``c.qbo``, ``c.sf`` on the sandboxes' transports (closed on exit)."""
        clock = self.clock
        with (
            ConnectWiseClient(
                **self.cw.credentials(),
                transport=self.cw.transport(),
                sleep=clock.sleep,
                clock=clock.monotonic,
            ) as cw,
            QuickBooksClient(
                realm_id=self.qbo.realm_id,
                auth=self._qbo_auth(),
                transport=self.qbo.transport(),
                sleep=clock.sleep,
                clock=clock.monotonic,
                now=clock.now,
            ) as qbo,
            SalesforceClient(auth=self._sf_auth(), transport=self.sf.transport(), sleep=clock.sleep) as sf,
        ):
            yield WorldClients(cw=cw, qbo=qbo, sf=sf)

    @contextlib.asynccontextmanager
    async def aclients(self) -> AsyncIterator[AsyncWorldClients]:
        """Working async clients ``c.cw``, ``c.qbo``, ``c.sf`` (``async with world.aclients() as c``)."""
        clock = self.clock
        async with (
            AsyncConnectWiseClient(
                **self.cw.credentials(),
                transport=self.cw.transport(),
                sleep=clock.async_sleep,
                clock=clock.monotonic,
            ) as cw,
            AsyncQuickBooksClient(
                realm_id=self.qbo.realm_id,
                auth=self._qbo_auth(),
                transport=self.qbo.transport(),
                sleep=clock.async_sleep,
                clock=clock.monotonic,
                now=clock.now,
            ) as qbo,
            AsyncSalesforceClient(
                auth=self._sf_auth(), transport=self.sf.transport(), sleep=clock.async_sleep
            ) as sf,
        ):
            yield AsyncWorldClients(cw=cw, qbo=qbo, sf=sf)

    # ------------------------------------------------------------------------------- persistence

    def save(self, directory: str | Path) -> Path:
        """Write the world (every sandbox's records, the config, the facts) as JSON files in ``directory``.

        Returns:
            The directory (created if missing).
        """
        path = Path(directory)
        path.mkdir(parents=True, exist_ok=True)
        header = {
            "format": FORMAT,
            "seed": self.seed,
            "size": self.size,
            "now": self.now,
            "clock": self.clock.now(),
            "facts": self._facts.to_dict(),
        }
        with self.cw.lock(), self.qbo.lock(), self.sf.lock():
            parts = {
                "world": header,
                "config": self.config.to_dict(),
                CW: dump_store(self.cw.store),
                QBO: dump_company(self.qbo.company),
                SF: dump_org(self.sf.org),
            }
            for key, value in parts.items():
                (path / _FILES[key]).write_text(dumps(value), encoding="utf-8")
        return path


def _sandboxes(
    seed: int, clock: FakeClock
) -> tuple[ConnectWiseSandbox, QuickBooksSandbox, SalesforceSandbox]:
    timing: dict[str, Any] = {
        "seed": seed,
        "clock": clock,
        "sleep": clock.sleep,
        "async_sleep": clock.async_sleep,
    }
    return (
        ConnectWiseSandbox(now=clock.now, **timing),
        QuickBooksSandbox(now=clock.now, **timing),
        SalesforceSandbox(wall_clock=clock.now, **timing),
    )


def seed_world(
    size: str | int = "small",
    seed: int = 0,
    *,
    today: date | datetime | None = None,
    procurement: bool = False,
) -> World:
    """Seed the three sandboxes as one MSP (deterministic for ``seed``).

    Companies appear in two or three systems with realistic spelling differences (case, punctuation,
    Inc/LLC/Ltd suffixes, ``&``/``and``), some in one only, a few as genuinely ambiguous pairs; contact
    e-mails are shared; CW holds agreements of every billing cycle (with additions, some ending within
    30/60/90 days), tickets (some escalated) with approved billable and non-billable time, agreement and
    standard invoices with products and time (some overdue); QBO holds the exported invoices with
    partial and multi-invoice payments; SF holds accounts, contacts, opportunities (Closed Won ones with
    no CW company yet), escalated cases and leads (qualified, converted).

    Args:
        size: ``"small"`` (40 companies), ``"medium"`` (400), ``"large"`` (4,000) or a number of companies.
        seed: The seed of every generated value.
        today: The world's today (a date: 09:00 UTC that day; or an aware datetime). Default: derived
            from the seed (2026-03-02 plus ``seed % 97`` days).
        procurement: Also seed the MSP's vendors (ConnectWise companies of type ``Vendor``, two of them
            QuickBooks vendors already) and purchase orders to them with line items, received quantities
            and freight (``facts().purchase_order`` is the worked example). Off by default: the vendors
            are ConnectWise companies, and the default world's company counts are pinned by tests.

    Raises:
        ValueError: Unknown size, or a naive ``today``.
    """
    n = company_count(size)
    now = _now_for(today, seed)
    clock = FakeClock(wall=now)
    cw, qbo, sf = _sandboxes(seed, clock)
    blueprint = plan_world(n, seed, now)
    seeded = Seeded()
    with cw.lock(), qbo.lock(), sf.lock():
        seed_connectwise(cw.store, blueprint, seeded)
        seed_quickbooks(qbo.company, blueprint, seeded)
        seed_salesforce(sf.org, blueprint, seeded)
        bought = seed_procurement(cw.store, qbo.company, blueprint, seeded) if procurement else None
        facts = build_facts(blueprint, seeded, cw=cw.store, qbo=qbo.company, sf=sf.org)
    if bought is not None:
        facts = attrs.evolve(
            facts, counts={**facts.counts, **procurement_counts(bought)}, purchase_order=bought.example
        )
    config = _config(seeded)
    return World(seed=seed, size=n, now=now, clock=clock, config=config, facts=facts, cw=cw, qbo=qbo, sf=sf)


def load_world(directory: str | Path) -> World:
    """Rebuild a world :meth:`World.save` wrote (fresh credentials; the clock resumes where it was).

    Raises:
        ValueError: The directory holds no saved world, or one of another format.
    """
    path = Path(directory)
    try:
        header = loads((path / _FILES["world"]).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"no saved world in {path}") from None
    if header.get("format") != FORMAT:
        raise ValueError(f"unsupported world format {header.get('format')!r} in {path}")
    seed, now, resumed = int(header["seed"]), header["now"], header["clock"]
    clock = FakeClock(wall=resumed)
    cw, qbo, sf = _sandboxes(seed, clock)

    def part(key: str) -> Any:
        return loads((path / _FILES[key]).read_text(encoding="utf-8"))

    with cw.lock(), qbo.lock(), sf.lock():
        restore_store(cw.store, part(CW))
        restore_company(qbo.company, part(QBO))
        customise_org(sf.org)
        restore_org(sf.org, part(SF))
    return World(
        seed=seed,
        size=int(header["size"]),
        now=now,
        clock=clock,
        config=MappingConfig.from_dict(part("config")),
        facts=WorldFacts.from_dict(header["facts"]),
        cw=cw,
        qbo=qbo,
        sf=sf,
    )


# ------------------------------------------------------------------------------------ the config


def _config(seeded: Seeded) -> MappingConfig:
    """The mapping config the MSP's admin wrote: every setup table matched, a few values left out."""
    q = seeded.qbo_setup
    items, accounts = q["items"], q["accounts"]
    cw_ids: dict[str, Mapping[str, str]] = {
        kind: {name: str(i) for name, i in ids.items()}
        for kind, ids in seeded.cw_setup.items()
        if kind != "catalog"
    }
    cw_ids["stages"] = {
        stage: str(i + 1) for i, stage in enumerate(dict.fromkeys(OPPORTUNITY_STAGES.values()))
    }
    cw_ids["opportunity_statuses"] = {"Open": "1", "Won": "2", "Lost": "3"}
    cw_ids["billing_statuses"] = {"Sent": "1", "Paid": "2", "Partially Paid": "3"}
    cw_ids["purchase_order_statuses"] = {name: str(i) for name, i in PO_STATUSES.items()}
    cw_ids["custom_fields"] = {"Overdue": "7"}
    data: dict[str, Any] = {
        "default_currency": "USD",
        "tax_mode": "us",
        "default_item": items["Services"],
        "default_expense_account": accounts["Cost of Goods Sold"],
        "penny_adjustment_item": items["Rounding"],
        "labour_expense_account": accounts["Labour Cost"],
        "labour_liability_account": accounts["Accrued Wages"],
        "catalog_items": {c.sku: items[f"sku:{c.sku}"] for c in CATALOG if c.mapped},
        "product_classes": {
            "Agreement": {
                "item": items["class:Agreement"],
                "income_account": accounts["Managed Services Income"],
            },
            "Service": {"item": items["class:Service"], "income_account": accounts["Services"]},
            "NonInventory": {
                "item": items["class:NonInventory"],
                "income_account": accounts["Hardware Sales"],
                "expense_account": accounts["Hardware COGS"],
            },
        },
        "tax_codes": {ident: qbo for ident, _, _, qbo in TAX_CODES if qbo is not None},
        "terms": {name: q["terms"][qbo] for name, _, qbo in BILLING_TERMS if qbo is not None},
        "opportunity_stages": {
            "map": OPPORTUNITY_STAGES,
            "reverse": {"Qualified": "Qualification", "Proposal": "Proposal/Price Quote"},
        },
        "case_statuses": {
            "map": {"New": "New", "Working": "In Progress", "Escalated": "Escalated", "Closed": "Closed"},
            "reverse": {"Waiting on Client": "Working"},
        },
        "case_priorities": {
            "map": {"High": "Priority 2 - High", "Medium": "Priority 3 - Medium", "Low": "Priority 4 - Low"},
            "reverse": {"Priority 1 - Emergency": "High"},
        },
        "account_types": {"Customer - Direct": "Client", "Prospect": "Prospect"},
        "owners": {seeded.sf_users[m.identifier]: m.identifier for m in MEMBERS if m.sf_user and m.in_cw},
        "employees": dict(q["employees"]),
        "work_types": {name: items[f"work:{name}"] for name, _, mapped in WORK_TYPES if mapped},
        "expense_accounts": {
            "hardware": accounts["Hardware COGS"],
            "labour": accounts["Labour Cost"],
            "freight": accounts["Cost of Goods Sold"],
        },
        "connectwise_ids": cw_ids,
    }
    return MappingConfig.from_dict(data)
