# mypy: disable-error-code="union-attr,index"
"""Issue 12, QBO client: ``changedSince`` at second precision and typed sparse updates with ``UNSET``."""

from __future__ import annotations

import typing
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Literal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from msplink._core import UNSET, Unset
from msplink.errors import ConfigurationError
from msplink.quickbooks import BatchOperation
from msplink.quickbooks import models as m
from msplink.quickbooks._calls import changed_since_param

# ------------------------------------------------------------------------------------------------ CDC


def test_cdc_sends_changed_since_in_whole_seconds(qbo, sandbox):
    # Intuit documents changedSince as xs:dateTime to the second ("2015-12-23T10:00:01-07:00",
    # https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/changedatacapture).
    since = (sandbox.company.now() - timedelta(minutes=5)).replace(microsecond=987654)
    sandbox.clear_log()
    qbo.cdc(["Customer"], changed_since=since)
    sent = [r.query for r in sandbox.requests if r.path.endswith("/cdc")]
    assert len(sent) == 1
    param = dict(p.split("=", 1) for p in sent[0].split("&"))["changedSince"]
    assert param == since.replace(microsecond=0).isoformat() and "." not in param


@settings(max_examples=200, deadline=None)
@given(
    moment=st.datetimes(
        min_value=datetime(2000, 1, 1),
        timezones=st.sampled_from([timezone.utc, timezone(timedelta(hours=-8))]),
    )
)
def test_changed_since_is_cut_to_the_second_never_rounded_up(moment):
    text = changed_since_param(moment)
    parsed = datetime.fromisoformat(text)
    assert parsed.microsecond == 0 and "." not in text
    assert timedelta(0) <= moment - parsed < timedelta(seconds=1)  # the window only ever grows
    assert parsed.utcoffset() == moment.utcoffset()


# ------------------------------------------------------------------------------------- sparse updates

UPDATES: list[tuple[type[Any], type[m.SparseUpdate]]] = [
    (m.Customer, m.CustomerUpdate),
    (m.Vendor, m.VendorUpdate),
    (m.Employee, m.EmployeeUpdate),
    (m.Item, m.ItemUpdate),
    (m.Account, m.AccountUpdate),
    (m.Term, m.TermUpdate),
    (m.Class, m.ClassUpdate),
    (m.Department, m.DepartmentUpdate),
    (m.Invoice, m.InvoiceUpdate),
    (m.Estimate, m.EstimateUpdate),
    (m.Payment, m.PaymentUpdate),
    (m.TimeActivity, m.TimeActivityUpdate),
    (m.Bill, m.BillUpdate),
    (m.PurchaseOrder, m.PurchaseOrderUpdate),
    (m.JournalEntry, m.JournalEntryUpdate),
    (m.CompanyInfo, m.CompanyInfoUpdate),
]

# REFERENCE §4 and §12: read-only fields QBO ignores on input (TotalAmt is input on payments only).
READ_ONLY = {
    "meta_data",
    "domain",
    "sparse",
    "balance",
    "home_balance",
    "balance_with_jobs",
    "current_balance",
    "current_balance_with_sub_accounts",
    "fully_qualified_name",
    "level",
    "home_total_amt",
    "unapplied_amt",
    "invoice_link",
    "qty_on_purchase_order",
}


@pytest.mark.parametrize(("model", "update"), UPDATES, ids=[u.__name__ for _, u in UPDATES])
def test_each_update_class_mirrors_the_writable_fields_of_its_model(model, update):
    read_only = READ_ONLY | ({"total_amt"} if model is not m.Payment else set())
    writable = {a.name for a in attrs.fields(model)} - read_only - {"raw", "id", "sync_token"}
    fields = {a.name for a in attrs.fields(update)} - {"id", "sync_token"}
    assert fields == writable
    assert update.entity_name == model.entity_name
    model_hints = typing.get_type_hints(model)
    update_hints = typing.get_type_hints(update)
    for name in fields:
        expected = set(typing.get_args(model_hints[name])) | {Literal[Unset.UNSET]}
        assert set(typing.get_args(update_hints[name])) == expected, name
        assert getattr(update(id="1", sync_token="0"), name) is UNSET


def test_update_body_sends_set_fields_and_an_empty_string_for_cleared_text():
    patch = m.CustomerUpdate(
        id="7", sync_token="3", notes=None, company_name="Contoso", bill_addr=m.Address(city="Leeds")
    )
    assert patch.to_api() == {
        "Id": "7",
        "SyncToken": "3",
        "sparse": True,
        "CompanyName": "Contoso",
        "BillAddr": {"City": "Leeds"},
        "Notes": "",
    }
    assert m.CustomerUpdate(id="7", sync_token="3").is_empty() and not patch.is_empty()
    invoice = m.InvoiceUpdate(id="1", sync_token="0", due_date=date(2026, 3, 1), customer_ref=UNSET)
    assert invoice.to_api() == {"Id": "1", "SyncToken": "0", "sparse": True, "DueDate": "2026-03-01"}
    vendor = m.VendorUpdate(
        id="2", sync_token="0", ap_account_ref=m.Ref(value="33"), bill_rate=Decimal("1.10")
    )
    assert vendor.to_api()["APAccountRef"] == {"value": "33"}
    assert vendor.to_api()["BillRate"] == Decimal("1.10")


def test_none_clears_and_unset_leaves_alone(qbo, sandbox):
    created = qbo.customers.create(
        m.Customer(display_name="Clearable", notes="CW 1", company_name="Clearable Ltd", title="Dr")
    )
    updated = qbo.customers.update(
        m.CustomerUpdate(id=created.id, sync_token=created.sync_token, notes=None, title="Prof")
    )
    assert (updated.notes, updated.title, updated.company_name) == (None, "Prof", "Clearable Ltd")
    stored = sandbox.entity("Customer", created.id)
    assert stored.get("Notes") is None and stored["CompanyName"] == "Clearable Ltd"
    # The old way needed a raw mapping to clear a field: a model's None means "leave alone".
    again = qbo.customers.update(
        m.Customer(id=updated.id, sync_token=updated.sync_token, notes=None, title="Mx")
    )
    assert (again.title, again.company_name) == ("Mx", "Clearable Ltd")


def test_sparse_updates_in_a_batch(qbo, sandbox):
    first = qbo.customers.create(m.Customer(display_name="Batch Clear A", notes="a"))
    second = qbo.customers.create(m.Customer(display_name="Batch Clear B", notes="b"))
    results = qbo.batch(
        [
            BatchOperation.update(m.CustomerUpdate(id=first.id, sync_token="0", notes=None)),
            BatchOperation.update(m.CustomerUpdate(id=second.id, sync_token="9", notes=None)),
        ]
    )
    assert [r.ok for r in results] == [True, False]
    assert results[0].entity.notes is None and sandbox.entity("Customer", second.id)["Notes"] == "b"


def test_wrong_update_classes_are_refused_before_io(qbo, sandbox):
    sandbox.clear_log()
    with pytest.raises(ConfigurationError):
        qbo.customers.update(m.VendorUpdate(id="1", sync_token="0", acct_num="9"))
    with pytest.raises(ConfigurationError):
        qbo.customers.update(m.CustomerUpdate(id="1", sync_token="0", notes="x"), full=True)
    with pytest.raises(ConfigurationError):
        qbo.customers.update(m.CustomerUpdate(id="", sync_token="0", notes="x"))
    with pytest.raises(ConfigurationError):
        qbo.customers.create(m.CustomerUpdate(id="1", sync_token="0"))
    with pytest.raises(ConfigurationError):
        qbo.invoices.update(m.Customer(id="1", sync_token="0"))
    assert sandbox.requests == []


def test_company_info_sparse_update(qbo):
    info = qbo.company_info.get()
    renamed = qbo.company_info.update(
        m.CompanyInfoUpdate(
            id=str(info.id), sync_token=str(info.sync_token), legal_name=None, company_name="Two"
        )
    )
    assert (renamed.company_name, renamed.legal_name, renamed.country) == ("Two", None, info.country)


texts = st.none() | st.text(max_size=12) | st.just(UNSET)


@settings(max_examples=200, deadline=None)
@given(
    notes=texts,
    title=texts,
    active=st.none() | st.booleans() | st.just(UNSET),
    rate=st.just(UNSET) | st.none(),
)
def test_update_bodies_carry_exactly_the_fields_that_are_set(notes, title, active, rate):
    patch = m.CustomerUpdate(id="1", sync_token="2", notes=notes, title=title, active=active)
    body = patch.to_api() if active is not None else {}
    expected = {"Id": "1", "SyncToken": "2", "sparse": True}
    for key, value in (("Notes", notes), ("Title", title), ("Active", active)):
        if value is not UNSET:
            expected[key] = "" if value is None else value
    if active is None:
        # QBO reads null as "not given": a sparse update cannot clear a non-text field.
        with pytest.raises(ConfigurationError, match="Active"):
            patch.to_api()
        return
    assert body == expected
    vendor = m.VendorUpdate(id="1", sync_token="2", bill_rate=rate)
    if rate is None:
        with pytest.raises(ConfigurationError, match="BillRate"):
            vendor.to_api()
    else:
        assert "BillRate" not in vendor.to_api()
