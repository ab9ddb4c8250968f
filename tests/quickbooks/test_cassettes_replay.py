# mypy: disable-error-code="union-attr,index"
"""Replay the cassettes assembled from Intuit's sample exchanges (replay-only: record mode ``none``)."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

import pytest

from msplink._core import RetryPolicy
from msplink.quickbooks import (
    AsyncQuickBooksClient,
    BatchOperation,
    DuplicateNameError,
    QuickBooksClient,
)
from msplink.quickbooks import models as m
from msplink.quickbooks import query as q
from msplink.testing import FAKE_REALM_ID
from msplink.testing import vcr_config as msplink_vcr_config
from tests.quickbooks._build_cassettes import READS, REQUEST_ID
from tests.quickbooks.conftest import sample

_TOKEN_KEYS = {"access_token", "refresh_token", "id_token", "client_secret"}


def _scrub(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: ("REDACTED" if k in _TOKEN_KEYS else _scrub(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    return value


def _scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    """Scrub tokens but keep QBO fault ``code`` values (msplink.testing's scrubber blanks every "code")."""
    body = response.get("body", {})
    text = body.get("string") if isinstance(body, dict) else None
    if text:
        raw = text.decode() if isinstance(text, bytes) else text
        try:
            scrubbed = json.dumps(_scrub(json.loads(raw)), separators=(",", ":"))
            body["string"] = scrubbed.encode() if isinstance(text, bytes) else scrubbed
        except ValueError:
            pass
    return response


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    return {**msplink_vcr_config(), "before_record_response": _scrub_response}


def _client(**kw: Any) -> QuickBooksClient:
    return QuickBooksClient(
        realm_id=FAKE_REALM_ID,
        auth="REDACTED",
        retry=RetryPolicy.none(),
        now=lambda: datetime(2015, 12, 24, tzinfo=timezone.utc),
        **kw,
    )


@pytest.mark.vcr
def test_reads_replay():
    with _client() as qbo:
        resources: dict[str, Any] = {
            "account": qbo.accounts,
            "bill": qbo.bills,
            "class": qbo.classes,
            "customer": qbo.customers,
            "department": qbo.departments,
            "employee": qbo.employees,
            "estimate": qbo.estimates,
            "invoice": qbo.invoices,
            "item": qbo.items,
            "journalentry": qbo.journal_entries,
            "payment": qbo.payments,
            "purchaseorder": qbo.purchase_orders,
            "taxcode": qbo.tax_codes,
            "taxrate": qbo.tax_rates,
            "term": qbo.terms,
            "timeactivity": qbo.time_activities,
            "vendor": qbo.vendors,
        }
        for segment, (entity_id, name) in READS.items():
            entity: Any = resources[segment].get(entity_id)
            assert entity.id == entity_id
            envelope = sample(name)
            assert entity.raw == envelope[type(entity).entity_name]
        prefs = qbo.preferences.get()
        assert prefs.currency_prefs["HomeCurrency"] == {"value": "USD"}


@pytest.mark.vcr
def test_invoice_lifecycle_replays():
    with _client() as qbo:
        body = m.Invoice.from_api(sample("invoice-create-request.json"))
        created = qbo.invoices.create(body, request_id=REQUEST_ID)
        assert (created.id, created.doc_number, created.total_amt) == ("238", "1069", Decimal("100.0"))
        sparse = m.Invoice.from_api(sample("invoice-sparse-update-request.json"))
        updated = qbo.invoices.update(
            m.Invoice(id=sparse.id, sync_token=sparse.sync_token, due_date=sparse.due_date),
            request_id=REQUEST_ID,
        )
        assert updated.id == "238"
        voided = qbo.invoices.void("129", sync_token="0", request_id=REQUEST_ID)
        assert (voided.total_amt, voided.private_note, voided.sync_token) == (Decimal("0"), "Voided", "1")
        deleted = qbo.invoices.delete("33", sync_token="3", request_id=REQUEST_ID)
        assert (deleted.status, deleted.id) == ("Deleted", "33")


@pytest.mark.vcr
def test_query_batch_and_cdc_replay(monkeypatch):
    monkeypatch.setattr("msplink.quickbooks._calls.new_request_id", lambda: REQUEST_ID)
    with _client() as qbo:
        stmt = (
            q.select("TimeActivity").where(q.field("TxnDate") >= datetime(2014, 9, 1).date()).order_by("Id")
        )
        activities = qbo.time_activities.list(where=stmt.conditions[0]).to_list()
        assert [a.id for a in activities] == ["5", "4", "3", "2"]
        assert activities[0].hourly_rate == Decimal("15")
        results = qbo.batch(
            [
                BatchOperation.create(m.Vendor(display_name="Smith Family Store")),
                BatchOperation.delete(m.Invoice, "129", sync_token="0"),
                BatchOperation.query("select * from SalesReceipt where TotalAmt > '300.00'"),
            ]
        )
        assert isinstance(results[0].error, DuplicateNameError)
        assert results[1].error.codes == ("610",) and results[2].ok
        changes = qbo.cdc(
            ["Customer", "Estimate"], changed_since=datetime.fromisoformat("2015-12-23T12:00:00-08:00")
        )
        assert [c.id for c in changes.changed["Customer"]] == ["63", "99"]
        assert [d.id for d in changes.deleted["Estimate"]] == ["979"]


@pytest.mark.vcr
def test_payment_create_replays():
    async def run() -> None:
        async with AsyncQuickBooksClient(
            realm_id=FAKE_REALM_ID, auth="REDACTED", retry=RetryPolicy.none()
        ) as qbo:
            payment = await qbo.payments.create(
                m.Payment.from_api(sample("payment-create-linked-request.json")), request_id=REQUEST_ID
            )
            assert payment.line[0].linked_txn[0] == m.LinkedTxn(txn_id="67", txn_type="Invoice")
            customer = await qbo.customers.create(
                m.Customer.from_api(sample("customer-create-request.json")), request_id=REQUEST_ID
            )
            assert customer.id == "58" and customer.balance == Decimal("1500.0")

    asyncio.run(run())
