# mypy: disable-error-code="union-attr,index"
"""Every model parses the real payloads in ../shared/apis/quickbooks/samples and keeps them in ``.raw``."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import cattrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from msplink.quickbooks import models as m
from msplink.quickbooks._changes import parse_cdc
from msplink.quickbooks._operations import BatchOperation, parse_batch_items
from msplink.quickbooks.models import strict_converter
from tests.quickbooks.conftest import sample

READ_SAMPLES = [
    ("account-read-response.json", m.Account),
    ("bill-read-response.json", m.Bill),
    ("class-read-response.json", m.Class),
    ("customer-read-response.json", m.Customer),
    ("department-read-response.json", m.Department),
    ("employee-read-response.json", m.Employee),
    ("estimate-read-response.json", m.Estimate),
    ("invoice-create-response.json", m.Invoice),
    ("invoice-read-response.json", m.Invoice),
    ("invoice-void-response.json", m.Invoice),
    ("item-read-response.json", m.Item),
    ("journalentry-read-response.json", m.JournalEntry),
    ("payment-read-response.json", m.Payment),
    ("preferences-read-response.json", m.Preferences),
    ("purchaseorder-read-response.json", m.PurchaseOrder),
    ("taxcode-read-response.json", m.TaxCode),
    ("taxrate-read-response.json", m.TaxRate),
    ("term-read-response.json", m.Term),
    ("timeactivity-read-response.json", m.TimeActivity),
    ("vendor-read-response.json", m.Vendor),
]

REQUEST_SAMPLES = [
    ("bill-create-request.json", m.Bill),
    ("customer-create-request.json", m.Customer),
    ("customer-sparse-update-request.json", m.Customer),
    ("invoice-create-request.json", m.Invoice),
    ("invoice-sparse-update-request.json", m.Invoice),
    ("item-create-inventory-request.json", m.Item),
    ("item-create-service-request.json", m.Item),
    ("journalentry-create-request.json", m.JournalEntry),
    ("payment-create-linked-request.json", m.Payment),
    ("purchaseorder-create-request.json", m.PurchaseOrder),
]


def _decimals_and_aware(value: Any) -> None:
    if isinstance(value, float):
        raise AssertionError("a float leaked into a model")
    if isinstance(value, datetime):
        assert value.tzinfo is not None
    if hasattr(value, "__attrs_attrs__"):
        for attribute in value.__attrs_attrs__:
            if attribute.name != "raw":
                _decimals_and_aware(getattr(value, attribute.name))
    elif isinstance(value, tuple):
        for item in value:
            _decimals_and_aware(item)


def _known_keys_survive(data: dict[str, Any], rendered: dict[str, Any]) -> None:
    for key, value in rendered.items():
        assert key in data, key
        if isinstance(value, dict) and isinstance(data[key], dict):
            _known_keys_survive(data[key], value)


@pytest.mark.parametrize(("name", "cls"), READ_SAMPLES, ids=[n for n, _ in READ_SAMPLES])
def test_read_samples_parse_and_keep_raw(name, cls):
    envelope = sample(name)
    data = envelope[cls.entity_name]
    model = cls.from_api(data)
    assert model.raw == data
    assert model.id == data["Id"] and model.sync_token == data["SyncToken"]
    _decimals_and_aware(model)
    rendered = model.to_api()
    _known_keys_survive(data, rendered)
    assert cls.from_api(rendered) == model


@pytest.mark.parametrize(("name", "cls"), REQUEST_SAMPLES, ids=[n for n, _ in REQUEST_SAMPLES])
def test_request_samples_round_trip(name, cls):
    data = sample(name)
    model = cls.from_api(data)
    assert model.raw == data
    _decimals_and_aware(model)
    assert cls.from_api(model.to_api()) == model


def test_values_of_interest():
    invoice = m.Invoice.from_api(sample("invoice-read-response.json")["Invoice"])
    assert invoice.total_amt == Decimal("362.07") and invoice.balance == Decimal("362.07")
    assert invoice.line[0].sales_item_line_detail.item_ref == m.Ref(value="5", name="Rock Fountain")
    assert invoice.txn_tax_detail.tax_line[0].tax_line_detail.tax_percent == Decimal("8")
    assert invoice.meta_data.create_time.utcoffset().total_seconds() == -7 * 3600
    assert invoice.custom_field[0].string_value == "102"
    po = m.PurchaseOrder.from_api(sample("purchaseorder-read-response.json")["PurchaseOrder"])
    assert po.po_status == "Open" and po.po_email == m.EmailAddress(address="send_email@intuit.com")
    assert po.to_api()["POStatus"] == "Open"
    vendor = m.Vendor.from_api(sample("vendor-read-response.json")["Vendor"])
    assert vendor.web_addr.uri == "http://www.booksbybessie.co" and vendor.vendor1099 is False
    je = m.JournalEntry.from_api(sample("journalentry-read-response.json")["JournalEntry"])
    assert je.line[0].journal_entry_line_detail.entity.entity_ref.value == "1"
    assert "raw" not in repr(invoice)


def test_recurring_transaction_samples():
    query = sample("recurringtransaction-read-response.json")["QueryResponse"]["RecurringTransaction"][0]
    template = m.RecurringTransaction.from_api(query)
    assert template.template_type == "Bill" and template.id == "20"
    assert template.bill.recurring_info.schedule_info.next_date.isoformat() == "2020-08-01"
    created = m.RecurringTransaction.from_api(sample("recurringtransaction-create-invoice-request.json"))
    assert created.invoice.recurring_info.name == "RecurTemplate2"
    assert list(created.to_api()) == ["Invoice"]


def test_batch_and_cdc_samples():
    ops = [
        BatchOperation.create(m.Vendor(display_name="Smith Family Store")),
        BatchOperation.delete(m.Invoice, "129", sync_token="0"),
        BatchOperation.update(m.Customer(id="11", sync_token="0", notes="x")),
        BatchOperation.query("select * from SalesReceipt where TotalAmt > '300.00'"),
    ]
    body = sample("batch-response-with-faults.json")
    for index, item in enumerate(body["BatchItemResponse"]):
        item["bId"] = str(index)
    results = parse_batch_items(ops, body, path="/v3/company/{realm}/batch")
    codes = [tuple(d.code for d in r.errors if d.code) or None for r in results]
    assert codes == [("6240",), ("610",), ("5010",), None]
    assert [type(r.error).__name__ for r in results[:3]] == [
        "DuplicateNameError",
        "NotFoundError",
        "StaleObjectError",
    ]
    assert results[3].items == ()  # SalesReceipt is not modelled; nothing is invented
    cdc = parse_cdc(sample("cdc-response.json"))
    assert [c.id for c in cdc.changed["Customer"]] == ["63", "99"]
    assert [d.id for d in cdc.deleted["Estimate"]] == ["979"]
    assert cdc.deleted["Estimate"][0].entity_name == "Estimate"
    assert cdc.object_count == 5


def test_strict_converter_flags_unknown_keys():
    with pytest.raises(cattrs.BaseValidationError):
        strict_converter.structure({"Name": "x", "Brand": "new"}, m.Term)
    assert strict_converter.structure({"Name": "Net 30", "DueDays": 30}, m.Term).due_days == 30


money = st.decimals(min_value=Decimal("-1000000"), max_value=Decimal("1000000"), places=2)
names = st.text(max_size=30)


@settings(max_examples=200, deadline=None)
@given(name=names, amount=money, qty=st.integers(min_value=0, max_value=1000), note=st.none() | names)
def test_models_round_trip_through_the_wire_shape(name, amount, qty, note):
    invoice = m.Invoice(
        doc_number=name,
        private_note=note,
        customer_ref=m.Ref(value="1", name=name),
        line=(
            m.Line(
                amount=amount,
                detail_type="SalesItemLineDetail",
                sales_item_line_detail=m.SalesItemLineDetail(qty=Decimal(qty), unit_price=amount),
            ),
        ),
    )
    wire = invoice.to_api()
    assert wire["Line"][0]["Amount"] == amount and isinstance(wire["Line"][0]["Amount"], Decimal)
    assert m.Invoice.from_api(wire) == invoice
    assert "PrivateNote" not in wire if note is None else wire["PrivateNote"] == note


@pytest.mark.parametrize(
    ("name", "cls"), READ_SAMPLES + REQUEST_SAMPLES, ids=[n for n, _ in READ_SAMPLES + REQUEST_SAMPLES]
)
def test_samples_have_no_unmodelled_keys(name, cls):
    data = sample(name)
    strict_converter.structure(data.get(cls.entity_name, data), cls)  # raises on model drift (STYLE R19)


def test_recurring_samples_have_no_unmodelled_keys():
    strict_converter.structure(
        sample("recurringtransaction-create-invoice-request.json"), m.RecurringTransaction
    )
    wrapped = sample("recurringtransaction-read-response.json")["QueryResponse"]["RecurringTransaction"][0]
    strict_converter.structure(wrapped, m.RecurringTransaction)


def test_samples_match_the_shared_reference():
    from tests.quickbooks.conftest import SAMPLES, SHARED_SAMPLES

    if not SHARED_SAMPLES.exists():
        pytest.skip("the shared reference folder is not checked out")
    shared = {p.name: p.read_bytes() for p in SHARED_SAMPLES.glob("*.json")}
    local = {p.name: p.read_bytes() for p in SAMPLES.glob("*.json")}
    assert local == shared
