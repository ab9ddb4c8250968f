"""Every record the three sandboxes seed maps to canonical; CW invoices land in the QBO sandbox.

The sandboxes are independent implementations of the vendor APIs (they validate QBO's 6070 rule,
SalesTermRef, CustomerRef ...), so pushing mapped records into them checks the mappers against a
second opinion. All clients run on a shared FakeClock: nothing sleeps.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import attrs
import pytest

from msplink.connectwise import ConnectWiseClient
from msplink.mappers import MappingConfig, map_each, propose_mappings, unmapped_report
from msplink.mappers import connectwise as cwm
from msplink.mappers import quickbooks as qbm
from msplink.mappers import salesforce as sfm
from msplink.models import QUICKBOOKS, ExternalRef, Invoice
from msplink.quickbooks import MemoryTokenStore, OAuthToken, QuickBooksClient, QuickBooksOAuth2
from msplink.salesforce import JWTBearerAuth, SalesforceClient
from msplink.sandbox.connectwise import ConnectWiseSandbox
from msplink.sandbox.quickbooks import QuickBooksSandbox
from msplink.sandbox.salesforce import SalesforceSandbox
from msplink.testing import FakeClock

SIZE = 20


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def cw_sandbox(clock: FakeClock) -> ConnectWiseSandbox:
    sandbox = ConnectWiseSandbox(clock=clock, now=clock.now, sleep=clock.sleep, async_sleep=clock.async_sleep)
    sandbox.seed(size=SIZE, seed=1)
    return sandbox


@pytest.fixture
def cw(cw_sandbox: ConnectWiseSandbox, clock: FakeClock) -> Any:
    with ConnectWiseClient(
        **cw_sandbox.credentials(), transport=cw_sandbox.transport(), sleep=clock.sleep, clock=clock.monotonic
    ) as client:
        yield client


@pytest.fixture
def qbo_sandbox(clock: FakeClock) -> QuickBooksSandbox:
    sandbox = QuickBooksSandbox(clock=clock, sleep=clock.sleep, async_sleep=clock.async_sleep)
    sandbox.seed(size=SIZE, seed=1)
    return sandbox


@pytest.fixture
def qbo(qbo_sandbox: QuickBooksSandbox, clock: FakeClock) -> Any:
    creds = qbo_sandbox.credentials()
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
        realm_id=qbo_sandbox.realm_id,
        auth=auth,
        transport=qbo_sandbox.transport(),
        sleep=clock.sleep,
        clock=clock.monotonic,
    ) as client:
        yield client


CW_FLOWS: list[tuple[str, Callable[..., Any]]] = [
    ("companies", cwm.company_to_customer),
    ("contacts", cwm.contact_to_contact),
    ("agreements", cwm.agreement_to_agreement),
    ("invoices", cwm.invoice_to_invoice),
    ("time_entries", cwm.time_entry_to_time_entry),
    ("tickets", cwm.ticket_to_ticket),
    ("catalog_items", cwm.catalog_item_to_product),
    ("opportunities", cwm.opportunity_to_opportunity),
    ("purchase_orders", cwm.purchase_order_to_purchase_order),
    ("product_items", cwm.product_item_to_invoice_line),
]


def test_every_seeded_connectwise_record_maps(cw: Any, cw_sandbox: ConnectWiseSandbox):
    mapped = 0
    for resource, mapper in CW_FLOWS:
        rows = getattr(cw, resource).list().to_list()
        batch = map_each(mapper, rows, MappingConfig())
        assert batch.failures == (), resource
        assert len(batch.mapped) == len(rows) > 0
        mapped += len(rows)
    assert mapped == 254  # 20 companies, 40 contacts, 20 agreements, 20 invoices, 80 time entries, ...
    assert (
        cw_sandbox.count("GET", r"^/.*") == len(CW_FLOWS) + 1
    )  # one page per list (pageSize=1000) + codebase


def test_every_seeded_quickbooks_record_maps(qbo: Any, qbo_sandbox: QuickBooksSandbox):
    terms = {t.name: t.id for t in qbo.terms.list().to_list()}
    config = MappingConfig.from_dict({"terms": terms})
    counts = {}
    for resource, mapper in [
        ("customers", qbm.customer_to_customer),
        ("vendors", qbm.vendor_to_vendor),
        ("items", qbm.item_to_product),
        ("invoices", qbm.invoice_to_invoice),
        ("payments", qbm.payment_to_payment),
        ("time_activities", qbm.time_activity_to_time_entry),
        ("bills", qbm.bill_to_vendor_bill),
    ]:
        batch = map_each(mapper, getattr(qbo, resource).list().to_list(), config)
        assert batch.failures == (), resource
        counts[resource] = len(batch.mapped)
    assert counts == {
        "customers": 20,
        "vendors": 5,
        "items": 6,
        "invoices": 20,
        "payments": 10,
        "time_activities": 20,
        "bills": 5,
    }
    assert len(qbo_sandbox.requests) == 8  # terms + one query page per entity


def test_every_seeded_salesforce_record_maps(clock: FakeClock):
    sandbox = SalesforceSandbox(clock=clock, wall_clock=clock.now)
    sandbox.seed(size=10, seed=1)
    creds = sandbox.credentials()
    auth = JWTBearerAuth(
        client_id=creds["client_id"], username=creds["username"], private_key=creds["private_key"]
    )
    with SalesforceClient(auth=auth, transport=sandbox.transport(), sleep=clock.sleep) as sf:
        stages = {r["StageName"] for r in sf.query("SELECT StageName FROM Opportunity").to_list()}
        statuses = {r["Status"] for r in sf.query("SELECT Status FROM Case").to_list()}
        priorities = {r["Priority"] for r in sf.query("SELECT Priority FROM Case").to_list() if r["Priority"]}
        # identity picklist maps: the CW vocabulary is the SF one here
        config = MappingConfig.from_dict(
            {
                "opportunity_stages": {s: s for s in stages},
                "case_statuses": {s: s for s in statuses},
                "case_priorities": {p: p for p in priorities},
            }
        )
        counts = {}
        for resource, mapper in [
            ("accounts", sfm.account_to_customer),
            ("contacts", sfm.contact_to_contact),
            ("leads", sfm.lead_to_contact),
            ("opportunities", sfm.opportunity_to_opportunity),
            ("cases", sfm.case_to_ticket),
            ("tasks", sfm.task_to_task),
            ("contracts", sfm.contract_to_agreement),
        ]:
            batch = map_each(mapper, getattr(sf, resource).list().to_list(), config)
            assert batch.failures == (), resource
            counts[resource] = len(batch.mapped)
    assert counts == {
        "accounts": 10,
        "contacts": 20,
        "leads": 10,
        "opportunities": 10,
        "cases": 10,
        "tasks": 10,
        "contracts": 5,
    }


def test_connectwise_invoices_become_quickbooks_invoices(cw: Any, qbo: Any, qbo_sandbox: QuickBooksSandbox):
    # 1. propose mappings by exact normalised name, see what is left, fill the gaps by hand
    cw_terms = [t.name for t in cw.billing_terms.list().to_list()]
    qbo_terms = {t.id: t.name for t in qbo.terms.list().to_list()}
    proposal = propose_mappings(cw_terms, qbo_terms)
    assert dict(proposal.matched) == {"Due on receipt": "1"}
    config = MappingConfig.from_dict(
        {
            "default_currency": "USD",
            "tax_codes": {"TAX": "TAX", "NONTAX": "NON"},
            "product_classes": {"Agreement": {"item": "1"}, "Standard": {"item": "3"}},
            "penny_adjustment_item": "3",
        }
    ).with_entries("terms", proposal.matched)
    invoices = cw.invoices.list().to_list()
    report = unmapped_report(config, terms=[i.billing_terms.name for i in invoices if i.billing_terms])
    assert report.to_dict() == {"terms": ["Net 15 days", "Net 30 days"]}
    config = config.with_entries("terms", {"Net 30 days": "3", "Net 15 days": "2"})
    assert unmapped_report(config, terms=cw_terms).is_empty()

    # 2. CW -> canonical; the sync engine's identity map is stood in for by pairing companies in order
    canonical = map_each(cwm.invoice_to_invoice, invoices, config)
    assert canonical.ok
    companies = sorted({int(i.customer.id_for("connectwise") or 0) for i in canonical.mapped})
    qbo_customers = [c.id for c in qbo.customers.list().to_list()]
    identity = dict(zip(companies, qbo_customers, strict=False))

    def linked(invoice: Invoice) -> Invoice:
        cw_id = int(invoice.customer.id_for("connectwise") or 0)
        return attrs.evolve(
            invoice, customer=invoice.customer.with_ref(ExternalRef(QUICKBOOKS, "Customer", identity[cw_id]))
        )

    # 3. canonical -> QBO wire models, created in the QBO sandbox (which checks amounts and refs)
    payloads = map_each(qbm.invoice_from_canonical, [linked(i) for i in canonical.mapped], config)
    assert payloads.ok
    qbo_sandbox.clear_log()
    created = [qbo.invoices.create(p) for p in payloads.mapped]
    assert qbo_sandbox.count("POST", r"/invoice$") == len(invoices) == SIZE
    for source, result in zip(canonical.mapped, created, strict=True):
        assert source.subtotal is not None
        lines = sum(
            (x.amount or Decimal(0) for x in result.line or () if x.detail_type == "SalesItemLineDetail"),
            Decimal(0),
        )
        assert lines == source.subtotal.amount
        assert result.doc_number == source.number
        back = qbm.invoice_to_invoice(result, config)
        assert back.terms == source.terms
        assert back.issue_date == source.issue_date and back.due_date == source.due_date
