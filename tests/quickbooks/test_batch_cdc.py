# mypy: disable-error-code="union-attr,index"
"""Batch (30 per call, per-item faults, batch rate limit) and CDC (deletions, 30-day guard, 1,000 cap)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from msplink.errors import ConfigurationError, NotFoundError
from msplink.quickbooks import BatchOperation, DuplicateNameError, OAuthToken, StaleObjectError
from msplink.quickbooks import models as m
from msplink.quickbooks import query as q
from tests.quickbooks.conftest import make_sync


def test_thousand_creates_take_34_batch_calls(qbo, sandbox):
    ops = [BatchOperation.create(m.Customer(display_name=f"Batch Customer {i:04d}")) for i in range(1000)]
    results = qbo.batch(ops)
    assert len(results) == 1000 and all(r.ok for r in results)
    # The sandbox meters every batch item against the realm's 500/min (REFERENCE §7); the client paces
    # 15 full batches (450 items) a minute, so no batch is throttled or refused.
    assert sandbox.count("POST", r"/batch$", status=200) == 34
    assert sandbox.count("POST", r"/batch$", status=429) == 0
    assert len(sandbox.requests) == 34
    assert [r.entity.display_name for r in results[:2]] == ["Batch Customer 0000", "Batch Customer 0001"]
    assert len(sandbox.entities("Customer")) == 1000
    assert max(len(r.bid) for r in results) <= 10
    request_ids = {dict(p.split("=", 1) for p in r.query.split("&"))["requestid"] for r in sandbox.requests}
    assert len(request_ids) == 34


def test_batch_items_fail_independently_with_typed_errors(qbo, sandbox):
    customer = qbo.customers.create(m.Customer(display_name="Litware"))
    results = qbo.batch(
        [
            BatchOperation.create(m.Vendor(display_name="litware")),
            BatchOperation.update(m.Customer(id=customer.id, sync_token="5", notes="stale")),
            BatchOperation.update(m.Customer(id=customer.id, sync_token="0", notes="fresh")),
            BatchOperation.delete(m.Invoice, "404", sync_token="0"),
            BatchOperation.query(q.select("Customer").where(q.field("DisplayName") == "Litware")),
            BatchOperation.query(q.count("Customer")),
        ]
    )
    assert [r.ok for r in results] == [False, False, True, False, True, True]
    assert isinstance(results[0].error, DuplicateNameError)
    assert isinstance(results[1].error, StaleObjectError) and results[1].fault_type == "ValidationFault"
    assert results[2].entity.notes == "fresh" and results[2].entity.sync_token == "1"
    assert isinstance(results[3].error, NotFoundError)
    assert [c.id for c in results[4].items] == [customer.id]
    assert results[5].total_count == 1
    assert sandbox.count("POST", r"/batch$") == 1


def test_batch_void_and_delete(qbo, sandbox):
    sandbox.seed(size=4)
    invoices = qbo.invoices.list().to_list()
    unpaid = [i for i in invoices if i.balance == i.total_amt]
    results = qbo.batch(
        [
            BatchOperation.void(m.Invoice, unpaid[0].id, sync_token=unpaid[0].sync_token),
            BatchOperation.delete("Invoice", unpaid[1].id, sync_token=unpaid[1].sync_token),
        ]
    )
    assert [r.ok for r in results] == [True, True]
    assert results[0].entity.total_amt == Decimal("0")
    assert results[1].entity.status == "Deleted"


def test_batch_rate_limit_is_respected(sandbox, auth, clock):
    client = make_sync(sandbox, auth, clock)
    ops = [BatchOperation.query(q.count("Customer")) for _ in range(50 * 30)]
    results = client.batch(ops)
    assert len(results) == 1500 and all(r.ok for r in results)
    assert sandbox.count("POST", r"/batch$", status=200) == 50
    assert sandbox.count("POST", r"/batch$", status=429) == 0
    # 15 full batches (450 items) a minute client-side, since every item counts against the realm's
    # 500/min (IntuitDeveloper/SampleApp-Batch-Java docs/batch-tutorial.md): 50 batches wait 3 times.
    assert clock.sleeps == [60.0, 60.0, 60.0]


def test_cdc_reports_changes_and_deletions(qbo, sandbox, clock):
    since = sandbox.company.now() - timedelta(minutes=5)
    sandbox.seed(size=6)
    invoice = next(i for i in qbo.invoices.list() if i.balance == i.total_amt)
    qbo.invoices.delete(invoice.id, sync_token=invoice.sync_token)
    result = qbo.cdc(["Customer", m.Invoice], changed_since=since)
    assert len(result.changed["Customer"]) == 6
    assert len(result.changed["Invoice"]) == 5
    assert [d.id for d in result.deleted["Invoice"]] == [invoice.id]
    assert result.incomplete_deletions == frozenset() and result.calls == 1
    assert result.time is not None and result.time.tzinfo is not None
    assert sandbox.count("GET", r"/cdc$") == 1


def test_cdc_guards_before_io(qbo, sandbox):
    sandbox.clear_log()
    now = sandbox.company.now()
    with pytest.raises(ConfigurationError):
        qbo.cdc(["Customer"], changed_since=now - timedelta(days=31))
    with pytest.raises(ConfigurationError):
        qbo.cdc(["TaxCode"], changed_since=now)
    with pytest.raises(ConfigurationError):
        qbo.cdc([], changed_since=now)
    with pytest.raises(ConfigurationError):
        qbo.cdc(["Customer"], changed_since=now.replace(tzinfo=None))
    assert sandbox.requests == []


def test_cdc_at_the_1000_cap_loses_nothing(qbo, sandbox):
    since = sandbox.company.now() - timedelta(minutes=1)
    for i in range(700):
        sandbox.add_entity("Customer", {"DisplayName": f"Cap Customer {i:04d}"})
    item = sandbox.entities("Account")[0]
    for i in range(700):
        sandbox.add_entity("Vendor", {"DisplayName": f"Cap Vendor {i:04d}"})
    sandbox.clear_log()
    result = qbo.cdc(["Customer", "Vendor"], changed_since=since)
    assert len(result.changed["Customer"]) == 700
    assert len(result.changed["Vendor"]) == 700
    assert result.incomplete_deletions == frozenset()
    assert result.calls == 3 and sandbox.count("GET", r"/cdc$") == 3
    assert item["Id"]


def test_cdc_single_entity_over_the_cap_falls_back_to_query(qbo, sandbox):
    since = sandbox.company.now() - timedelta(minutes=1)
    for i in range(1500):
        sandbox.add_entity("Customer", {"DisplayName": f"Big {i:05d}"})
    sandbox.clear_log()
    result = qbo.cdc(["Customer"], changed_since=since)
    assert len(result.changed["Customer"]) == 1500
    assert len({c.id for c in result.changed["Customer"]}) == 1500
    assert result.incomplete_deletions == frozenset({"Customer"})
    assert sandbox.count("GET", r"/cdc$") == 1 and sandbox.count("POST", r"/query$") == 2
    assert result.calls == 3


def test_cdc_walks_forward_through_truncated_deletions(auth, clock):
    from msplink.sandbox.quickbooks import QuickBooksSandbox

    sandbox = QuickBooksSandbox(clock=clock, now=clock.now)
    creds = sandbox.credentials()
    auth.store.save(
        OAuthToken(
            access_token=creds["access_token"],
            refresh_token=creds["refresh_token"],
            expires_at=clock.now() + timedelta(hours=1),
            realm_id=creds["realm_id"],
        )
    )
    since = clock.now() - timedelta(minutes=1)
    income = next(a for a in sandbox.entities("Account") if a["Name"] == "Services")
    item = sandbox.add_entity(
        "Item", {"Name": "Svc", "Type": "Service", "IncomeAccountRef": {"value": income["Id"]}}
    )
    customer = sandbox.add_entity("Customer", {"DisplayName": "Walk Co"})
    line = {
        "DetailType": "SalesItemLineDetail",
        "Amount": Decimal("10"),
        "SalesItemLineDetail": {"ItemRef": {"value": item["Id"]}},
    }
    invoices = [
        sandbox.add_entity("Invoice", {"CustomerRef": {"value": customer["Id"]}, "Line": [line]})
        for _ in range(1010)
    ]
    client = make_sync(sandbox, auth, clock, now=clock.now)
    clock.advance(10)
    for invoice in invoices[:40]:
        clock.advance(1)
        client.invoices.delete(invoice["Id"], sync_token=invoice["SyncToken"])
    sandbox.clear_log()
    result = client.cdc(["Invoice"], changed_since=since)
    assert len(result.changed["Invoice"]) == 970
    assert sorted(int(str(d.id)) for d in result.deleted["Invoice"]) == [int(i["Id"]) for i in invoices[:40]]
    assert result.incomplete_deletions == frozenset()
    assert sandbox.count("GET", r"/cdc$") == 2 and result.calls == 2
