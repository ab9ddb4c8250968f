"""Raw wire payloads from the three seeded sandboxes, per ``(system, object)``, for the mapper-table tests.

The payloads are the untouched JSON each client read (``model.raw``), so projecting them to a
mapper's ``reads`` is exactly what a ``fields=`` / SOQL-select projection would return. Every list
is read once per test session (``functools.cache``); the sandboxes run in-process on a fake clock.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from msplink.connectwise import ConnectWiseClient
from msplink.mappers import MappingConfig
from msplink.quickbooks import MemoryTokenStore, OAuthToken, QuickBooksClient, QuickBooksOAuth2
from msplink.salesforce import JWTBearerAuth, SalesforceClient
from msplink.sandbox.connectwise import ConnectWiseSandbox
from msplink.sandbox.quickbooks import QuickBooksSandbox
from msplink.sandbox.salesforce import SalesforceSandbox
from msplink.testing import FakeClock
from tests.mappers import cw_payloads

Payloads = dict[tuple[str, str], list[Mapping[str, Any]]]

SIZE = 8

SHARED = Path(__file__).resolve().parents[3] / "shared" / "apis"
if not SHARED.is_dir():  # pragma: no cover - a worktree outside /work
    SHARED = Path("/work/shared/apis")

_CONFIG: dict[str, MappingConfig] = {}


def _raw(rows: Any) -> list[Mapping[str, Any]]:
    return [dict(row.raw) for row in rows]


@functools.cache
def connectwise_payloads() -> Payloads:
    """CW companies, sites, contacts, catalog items, agreements, additions, invoices, payments, time, tickets ..."""
    clock = FakeClock()
    box = ConnectWiseSandbox(clock=clock, now=clock.now, sleep=clock.sleep, async_sleep=clock.async_sleep)
    box.seed(size=SIZE, seed=11)
    out: Payloads = {}
    with ConnectWiseClient(
        **box.credentials(), transport=box.transport(), sleep=clock.sleep, clock=clock.monotonic
    ) as cw:
        companies = cw.companies.list().to_list()
        out["connectwise", "company"] = [*_raw(companies), cw_payloads.COMPANY]
        out["connectwise", "site"] = [
            dict(site.raw)
            for company in companies[:3]
            if company.id
            for site in cw.companies.sites(company.id).list()
        ]
        out["connectwise", "contact"] = [*_raw(cw.contacts.list()), cw_payloads.CONTACT]
        out["connectwise", "catalog_item"] = [*_raw(cw.catalog_items.list()), cw_payloads.CATALOG_ITEM]
        agreements = cw.agreements.list().to_list()
        out["connectwise", "agreement"] = _raw(agreements)
        out["connectwise", "addition"] = [
            dict(a.raw)
            for agreement in agreements[:4]
            if agreement.id
            for a in cw.agreements.additions(agreement.id).list()
        ]
        invoices = cw.invoices.list().to_list()
        out["connectwise", "invoice"] = [*_raw(invoices), cw_payloads.INVOICE]
        out["connectwise", "payment"] = [
            dict(p.raw)
            for invoice in invoices[:4]
            if invoice.id
            for p in cw.invoices.payments(invoice.id).list()
        ]
        out["connectwise", "product_item"] = _raw(cw.product_items.list())
        out["connectwise", "time_entry"] = [*_raw(cw.time_entries.list()), cw_payloads.TIME_ENTRY]
        out["connectwise", "ticket"] = [*_raw(cw.tickets.list()), cw_payloads.TICKET]
        out["connectwise", "opportunity"] = [*_raw(cw.opportunities.list()), cw_payloads.OPPORTUNITY]
        out["connectwise", "project"] = _raw(cw.projects.list())
        out["connectwise", "purchase_order"] = [*_raw(cw.purchase_orders.list()), cw_payloads.PURCHASE_ORDER]
    return out


@functools.cache
def quickbooks_payloads() -> Payloads:
    """QBO customers, vendors, items, invoices, payments, time activities and bills."""
    clock = FakeClock()
    box = QuickBooksSandbox(clock=clock, sleep=clock.sleep, async_sleep=clock.async_sleep)
    box.seed(size=SIZE, seed=11)
    creds = box.credentials()
    token = OAuthToken(
        access_token=creds["access_token"],
        refresh_token=creds["refresh_token"],
        expires_at=clock.now() + timedelta(seconds=3600),
        realm_id=creds["realm_id"],
    )
    auth = QuickBooksOAuth2(
        client_id=creds["client_id"],
        client_secret=creds["client_secret"],
        store=MemoryTokenStore(token),
        redirect_uri=creds["redirect_uri"],
        now=clock.now,
    )
    with QuickBooksClient(
        realm_id=box.realm_id, auth=auth, transport=box.transport(), sleep=clock.sleep, clock=clock.monotonic
    ) as qbo:
        terms = {term.name: term.id for term in qbo.terms.list() if term.name and term.id}
        _CONFIG["quickbooks"] = MappingConfig.from_dict({"terms": terms})
        samples = SHARED / "quickbooks" / "samples"
        recurring = json.loads((samples / "recurringtransaction-read-response.json").read_text())
        invoice_template = json.loads(
            (samples / "recurringtransaction-create-invoice-request.json").read_text()
        )
        return {
            ("quickbooks", "RecurringTransaction"): [
                invoice_template,
                *recurring["QueryResponse"]["RecurringTransaction"],
            ],
            ("quickbooks", "Customer"): _raw(qbo.customers.list()),
            ("quickbooks", "Vendor"): _raw(qbo.vendors.list()),
            ("quickbooks", "Item"): _raw(qbo.items.list()),
            ("quickbooks", "Invoice"): _raw(qbo.invoices.list()),
            ("quickbooks", "Payment"): _raw(qbo.payments.list()),
            ("quickbooks", "TimeActivity"): _raw(qbo.time_activities.list()),
            ("quickbooks", "Bill"): _raw(qbo.bills.list()),
        }


@functools.cache
def salesforce_payloads() -> Payloads:
    """SF Accounts, Contacts, Leads, Opportunities, Cases, Tasks and Contracts (every model field selected)."""
    clock = FakeClock()
    box = SalesforceSandbox(clock=clock, wall_clock=clock.now)
    box.seed(size=SIZE, seed=11)
    creds = box.credentials()
    auth = JWTBearerAuth(
        client_id=creds["client_id"], username=creds["username"], private_key=creds["private_key"]
    )
    with SalesforceClient(auth=auth, transport=box.transport(), sleep=clock.sleep) as sf:
        resources: dict[str, Any] = {
            "Account": sf.accounts,
            "Contact": sf.contacts,
            "Lead": sf.leads,
            "Opportunity": sf.opportunities,
            "Case": sf.cases,
            "Task": sf.tasks,
            "Contract": sf.contracts,
        }
        out = {("salesforce", name): _raw(resource.list()) for name, resource in resources.items()}
    picklist = {
        "opportunity_stages": {
            r["StageName"] for r in out["salesforce", "Opportunity"] if r.get("StageName")
        },
        "case_statuses": {r["Status"] for r in out["salesforce", "Case"] if r.get("Status")},
        "case_priorities": {r["Priority"] for r in out["salesforce", "Case"] if r.get("Priority")},
    }
    # identity picklist maps: the CW vocabulary is the SF one here
    _CONFIG["salesforce"] = MappingConfig.from_dict({k: {v: v for v in vs} for k, vs in picklist.items()})
    return out


def config(system: str) -> MappingConfig:
    """The mapping config the corpus of ``system`` maps with (QBO terms, SF identity picklists)."""
    payloads(system, "")
    return _CONFIG.get(system, MappingConfig())


def payloads(system: str, obj: str) -> list[Mapping[str, Any]]:
    """The payloads of one ``(system, object)`` (empty when the corpus holds none)."""
    table = {
        "connectwise": connectwise_payloads,
        "quickbooks": quickbooks_payloads,
        "salesforce": salesforce_payloads,
    }[system]()
    return table.get((system, obj), [])
