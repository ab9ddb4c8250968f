# mypy: disable-error-code="union-attr,index"
"""The client against the sandbox, sync and async twins through one adapter; exact API-call counts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs
import pytest

from msplink.errors import (
    BadRequestError,
    ConfigurationError,
    ConflictError,
    NotFoundError,
    QueryError,
    RateLimitError,
)
from msplink.quickbooks import (
    AmountMismatchError,
    BatchOperation,
    DuplicateNameError,
    QuickBooksClient,
    QuickBooksEnvironment,
    StaleObjectError,
)
from msplink.quickbooks import models as m
from msplink.quickbooks import query as q
from msplink.sandbox import FaultKind
from msplink.sandbox.quickbooks import QuickBooksSandbox


def _item(sandbox: QuickBooksSandbox, price: str = "45.00") -> dict[str, Any]:
    income = next(a for a in sandbox.entities("Account") if a["Name"] == "Services")
    return sandbox.add_entity(
        "Item",
        {
            "Name": f"Managed {price}",
            "Type": "Service",
            "UnitPrice": Decimal(price),
            "IncomeAccountRef": {"value": income["Id"]},
        },
    )


def _invoice_line(item_id: str, qty: str, price: str, amount: str | None = None) -> m.Line:
    total = Decimal(amount) if amount else (Decimal(qty) * Decimal(price)).quantize(Decimal("0.01"))
    return m.Line(
        detail_type="SalesItemLineDetail",
        amount=total,
        sales_item_line_detail=m.SalesItemLineDetail(
            item_ref=m.Ref(value=item_id), qty=Decimal(qty), unit_price=Decimal(price)
        ),
    )


def test_customer_crud_and_sparse_update(qbo, sandbox):
    created = qbo.customers.create(m.Customer(display_name="Contoso Ltd", notes="CW 12345"))
    assert (created.id, created.sync_token, created.display_name) == ("1", "0", "Contoso Ltd")
    assert created.raw["DisplayName"] == "Contoso Ltd"
    fetched = qbo.customers.get(created.id)
    assert fetched == created
    updated = qbo.customers.update(m.Customer(id=created.id, sync_token="0", company_name="Contoso"))
    assert (updated.sync_token, updated.notes, updated.company_name) == ("1", "CW 12345", "Contoso")
    deactivated = qbo.customers.delete(created.id, sync_token="1")
    assert deactivated.active is False
    assert qbo.customers.count() == 0
    assert qbo.customers.count(where=q.field("Active").in_([True, False])) == 1
    assert sandbox.count("POST", r"/customer$") == 3
    assert all(r.query.startswith("minorversion=75") for r in sandbox.requests)


def test_full_update_replaces_writable_fields_but_round_trips_raw(qbo):
    created = qbo.customers.create(m.Customer(display_name="Fabrikam", notes="keep me"))
    # A full update built from the read model keeps every field (raw is round-tripped).
    full = qbo.customers.update(attrs.evolve(created, company_name="Fabrikam Inc"), full=True)
    assert (full.notes, full.company_name) == ("keep me", "Fabrikam Inc")
    # A full update from a bare mapping clears what it omits.
    bare = qbo.customers.update(
        {"Id": full.id, "SyncToken": full.sync_token, "DisplayName": "Fabrikam"}, full=True
    )
    assert bare.notes is None and bare.company_name is None


def test_write_errors_are_typed(qbo, sandbox):
    qbo.customers.create(m.Customer(display_name="Northwind"))
    with pytest.raises(DuplicateNameError) as dup:
        qbo.vendors.create(m.Vendor(display_name="northwind"))
    assert dup.value.status_code == 400 and dup.value.codes == ("6240",)
    with pytest.raises(StaleObjectError) as stale:
        qbo.customers.update(m.Customer(id="1", sync_token="7", notes="x"))
    assert isinstance(stale.value, ConflictError) and stale.value.status_code == 400
    item = _item(sandbox)
    with pytest.raises(AmountMismatchError) as mismatch:
        qbo.invoices.create(
            m.Invoice(
                customer_ref=m.Ref(value="1"), line=(_invoice_line(item["Id"], "3", "45.00", "130.00"),)
            )
        )
    assert mismatch.value.codes == ("6070",)
    with pytest.raises(NotFoundError):
        qbo.invoices.get("999")
    assert "Northwind" not in str(stale.value)  # one grep-able line, no payload


def test_invoice_payment_allocation_void_and_delete(qbo, sandbox):
    item = _item(sandbox, "75.00")
    customer = qbo.customers.create(m.Customer(display_name="Tailspin"))
    first = qbo.invoices.create(
        m.Invoice(customer_ref=m.Ref(value=customer.id), line=(_invoice_line(item["Id"], "16.5", "75.00"),))
    )
    second = qbo.invoices.create(
        m.Invoice(customer_ref=m.Ref(value=customer.id), line=(_invoice_line(item["Id"], "2", "75.00"),))
    )
    assert (first.total_amt, first.balance, second.balance) == (
        Decimal("1237.50"),
        Decimal("1237.50"),
        Decimal("150.00"),
    )
    payment = qbo.payments.create(
        m.Payment(
            customer_ref=m.Ref(value=customer.id),
            total_amt=Decimal("1500.00"),
            line=(
                m.Line(
                    amount=Decimal("1237.50"), linked_txn=(m.LinkedTxn(txn_id=first.id, txn_type="Invoice"),)
                ),
                m.Line(
                    amount=Decimal("100.00"), linked_txn=(m.LinkedTxn(txn_id=second.id, txn_type="Invoice"),)
                ),
            ),
        )
    )
    assert payment.unapplied_amt == Decimal("162.50")
    assert qbo.invoices.get(first.id).balance == Decimal("0.00")
    assert qbo.invoices.get(second.id).balance == Decimal("50.00")
    assert qbo.customers.get(customer.id).balance == Decimal("-112.50")
    with pytest.raises(ConflictError):  # the payment bumped the invoice's SyncToken
        qbo.invoices.void(second.id, sync_token=second.sync_token)
    voided = qbo.payments.void(payment.id, sync_token=payment.sync_token)
    assert voided.total_amt == Decimal("0") and voided.private_note == "Voided"
    assert qbo.invoices.get(first.id).balance == Decimal("1237.50")
    fresh = qbo.invoices.get(second.id)
    voided_invoice = qbo.invoices.void(fresh.id, sync_token=fresh.sync_token)
    assert (voided_invoice.total_amt, voided_invoice.balance) == (Decimal("0"), Decimal("0"))
    deleted = qbo.invoices.delete(first.id, sync_token=qbo.invoices.get(first.id).sync_token)
    assert (deleted.entity_name, deleted.id, deleted.status) == ("Invoice", first.id, "Deleted")
    with pytest.raises(NotFoundError):
        qbo.invoices.get(first.id)
    void_calls = [r for r in sandbox.requests if "include=void" in r.query or "operation=void" in r.query]
    assert len(void_calls) == 3


def test_list_pages_by_1000_with_exact_call_counts(qbo, sandbox):
    sandbox.seed(size=2500, seed=1)
    sandbox.clear_log()
    customers = qbo.customers.list().to_list()
    assert len(customers) == 2500
    assert [c.id for c in customers[:3]] == ["1", "2", "3"]
    assert sandbox.count("POST", r"/query$") == 3
    assert len(qbo.customers.list(limit=5).to_list()) == 5
    assert sandbox.count("POST", r"/query$") == 4
    assert qbo.invoices.count(where=q.field("Balance") > Decimal("0")) == 2500 - sum(
        1 for i in sandbox.entities("Invoice") if i["Balance"] == 0
    )


def test_query_with_hostile_values_matches_exactly_one_record(qbo):
    hostile = "O'Brien \\' OR 1=1 --"
    qbo.customers.create(m.Customer(display_name=hostile))
    qbo.customers.create(m.Customer(display_name="O'Brien"))
    found = qbo.customers.query(q.select("Customer").where(q.field("DisplayName") == hostile))
    assert [c.display_name for c in found] == [hostile]
    like = qbo.customers.list(where=q.field("DisplayName").like("O'Brien%")).to_list()
    assert len(like) == 2


def test_invalid_queries_fail_before_io(qbo, sandbox):
    sandbox.clear_log()
    with pytest.raises(QueryError):
        qbo.customers.query("DROP TABLE Customer")
    with pytest.raises(QueryError):
        qbo.customers.list(where=q.field("DisplayName; --") == "x")
    with pytest.raises(QueryError):
        qbo.customers.query(q.select("Customer").where(q.field("Name") == "bad\x00"))
    with pytest.raises(ConfigurationError):
        qbo.customers.update(m.Customer(display_name="no id"))
    assert sandbox.requests == []


def test_requestid_replay_after_lost_response(qbo, sandbox):
    sandbox.faults.inject(FaultKind.LOSE_RESPONSE, method="POST", path=r"/customer$", times=1)
    created = qbo.customers.create(m.Customer(display_name="Adatum"))
    assert created.display_name == "Adatum"
    assert len(sandbox.entities("Customer")) == 1  # applied once, replayed once
    posts = [r for r in sandbox.requests if r.path.endswith("/customer")]
    assert len(posts) == 2
    ids = {dict(p.split("=", 1) for p in r.query.split("&"))["requestid"] for r in posts}
    assert len(ids) == 1 and len(ids.pop()) == 32


def test_throttling_is_retried_with_retry_after(qbo, sandbox, clock):
    sandbox.faults.inject(FaultKind.RATE_LIMIT, path=r"/query$", times=2, retry_after=7)
    assert qbo.customers.count() == 0
    assert clock.sleeps[-2:] == [7.0, 7.0]
    assert sandbox.count("POST", r"/query$", status=429) == 2


def test_xml_throttle_body_is_parsed(sandbox, auth, clock):
    from tests.quickbooks.conftest import make_sync

    sandbox.throttle_format = "xml"
    sandbox.faults.inject(FaultKind.RATE_LIMIT, path=r"/query$", retry_after=1)
    from msplink._core import RetryPolicy

    client = make_sync(sandbox, auth, clock, retry=RetryPolicy.none())
    with pytest.raises(RateLimitError) as info:
        client.customers.count()
    assert info.value.codes == ("3001",) and info.value.retry_after == 1.0


def test_all_resources_read_and_singletons(qbo, sandbox):
    sandbox.seed(size=20)
    for name in (
        "customers",
        "vendors",
        "employees",
        "items",
        "accounts",
        "invoices",
        "payments",
        "time_activities",
        "bills",
        "terms",
        "tax_codes",
        "tax_rates",
        "classes",
        "departments",
    ):
        records = getattr(qbo, name).list().to_list()
        assert records, name
        assert getattr(qbo, name).get(records[0].id) == records[0]
    info = qbo.company_info.get()
    assert info.company_name == "Sandbox MSP Inc." and info.id == "1"
    renamed = qbo.company_info.update(
        m.CompanyInfo(id="1", sync_token=info.sync_token, company_name="MSP Two")
    )
    assert renamed.company_name == "MSP Two" and renamed.country == "US"
    prefs = qbo.preferences.get()
    assert prefs.tax_prefs == {"UsingSalesTax": True}


def test_other_transactions(qbo, sandbox):
    sandbox.seed(size=10)
    vendor = qbo.vendors.list().first()
    expense = next(a for a in qbo.accounts.list() if a.account_type == "Expense")
    item = qbo.items.list().first()
    bill = qbo.bills.create(
        m.Bill(
            vendor_ref=m.Ref(value=vendor.id),
            line=(
                m.Line(
                    detail_type="AccountBasedExpenseLineDetail",
                    amount=Decimal("299.00"),
                    account_based_expense_line_detail=m.AccountBasedExpenseLineDetail(
                        account_ref=m.Ref(value=expense.id)
                    ),
                ),
            ),
        )
    )
    assert (bill.total_amt, bill.balance) == (Decimal("299.00"), Decimal("299.00"))
    po = qbo.purchase_orders.create(
        m.PurchaseOrder(
            vendor_ref=m.Ref(value=vendor.id),
            line=(
                m.Line(
                    detail_type="ItemBasedExpenseLineDetail",
                    amount=Decimal("50.00"),
                    item_based_expense_line_detail=m.ItemBasedExpenseLineDetail(
                        item_ref=m.Ref(value=item.id), qty=Decimal("2"), unit_price=Decimal("25")
                    ),
                ),
            ),
        )
    )
    assert po.po_status == "Open" and po.total_amt == Decimal("50.00")
    je = qbo.journal_entries.create(
        m.JournalEntry(
            line=(
                m.Line(
                    detail_type="JournalEntryLineDetail",
                    amount=Decimal("500"),
                    journal_entry_line_detail=m.JournalEntryLineDetail(
                        posting_type="Debit", account_ref=m.Ref(value=expense.id)
                    ),
                ),
                m.Line(
                    detail_type="JournalEntryLineDetail",
                    amount=Decimal("500"),
                    journal_entry_line_detail=m.JournalEntryLineDetail(
                        posting_type="Credit", account_ref=m.Ref(value=expense.id)
                    ),
                ),
            )
        )
    )
    assert je.total_amt == Decimal("500.00")
    employee = qbo.employees.list().first()
    customer = qbo.customers.list().first()
    ta = qbo.time_activities.create(
        m.TimeActivity(
            name_of="Employee",
            employee_ref=m.Ref(value=employee.id),
            customer_ref=m.Ref(value=customer.id),
            billable_status="Billable",
            hourly_rate=Decimal("150"),
            hours=1,
            minutes=30,
        )
    )
    assert ta.hours == 1 and ta.billable_status == "Billable"
    est = qbo.estimates.create(
        m.Estimate(customer_ref=m.Ref(value=customer.id), line=(_invoice_line(item.id, "1", "45.00"),))
    )
    assert est.txn_status == "Pending"
    assert qbo.estimates.delete(est.id, sync_token=est.sync_token).status == "Deleted"
    template = qbo.recurring_transactions.create(
        m.RecurringTransaction(
            invoice=m.Invoice(
                customer_ref=m.Ref(value=customer.id),
                line=(_invoice_line(item.id, "10", "45.00"),),
                recurring_info=m.RecurringInfo(
                    name="Contoso monthly",
                    recur_type="Automated",
                    active=True,
                    schedule_info=m.ScheduleInfo(interval_type="Monthly", num_interval=1, day_of_month=1),
                ),
            )
        )
    )
    assert template.template_type == "Invoice" and template.id is not None
    listed = qbo.recurring_transactions.query("SELECT * FROM RecurringTransaction WHERE Type = 'Invoice'")
    assert [t.id for t in listed] == [template.id]
    gone = qbo.recurring_transactions.delete(template.id, sync_token="0", template_type="Invoice")
    assert gone.status == "Deleted"
    term = qbo.terms.create(m.Term(name="Net 45", due_days=45))
    assert term.type == "STANDARD"
    klass = qbo.classes.create(m.Class(name="Security"))
    dept = qbo.departments.create(m.Department(name="Remote"))
    assert klass.fully_qualified_name == "Security" and dept.active is True
    with pytest.raises(ConfigurationError):
        qbo.invoices.create(m.Customer(display_name="wrong type"))


def test_raw_request_and_with_options(qbo, sandbox):
    response = qbo.request("GET", "/preferences")
    assert response.status_code == 200 and "Preferences" in response.json()
    faster = qbo.with_options(timeout=5)
    assert faster.preferences.get().id == "1"


def test_constructor_validation_and_repr():
    with pytest.raises(ConfigurationError):
        QuickBooksClient(realm_id="", auth="token")
    with pytest.raises(ConfigurationError):
        QuickBooksClient(realm_id="123", auth="token", minor_version=65)
    client = QuickBooksClient(realm_id="123", auth="secret-token", environment=QuickBooksEnvironment.SANDBOX)
    assert "secret-token" not in repr(client) and client.minor_version == 75
    client.close()


def test_from_env(monkeypatch, tmp_path):
    monkeypatch.delenv("MSPLINK_QBO_REALM_ID", raising=False)
    with pytest.raises(ConfigurationError):
        QuickBooksClient.from_env()
    monkeypatch.setenv("MSPLINK_QBO_REALM_ID", "4620816365")
    monkeypatch.setenv("MSPLINK_QBO_CLIENT_ID", "cid")
    monkeypatch.setenv("MSPLINK_QBO_CLIENT_SECRET", "csecret")
    monkeypatch.setenv("MSPLINK_QBO_REFRESH_TOKEN", "RT1-abc")
    monkeypatch.setenv("MSPLINK_QBO_TOKEN_FILE", str(tmp_path / "tokens.json"))
    monkeypatch.setenv("MSPLINK_QBO_ENVIRONMENT", "sandbox")
    client = QuickBooksClient.from_env()
    assert client.realm_id == "4620816365"
    assert (tmp_path / "tokens.json").stat().st_mode & 0o777 == 0o600
    client.close()


def test_sandbox_serves_asgi_whatever_the_host(sandbox, creds):
    import asyncio

    import httpx

    from msplink.quickbooks import AsyncQuickBooksClient

    async def run() -> str | None:
        transport = httpx.ASGITransport(app=sandbox)
        async with AsyncQuickBooksClient(
            realm_id=creds["realm_id"],
            auth=creds["access_token"],
            transport=transport,
            base_url="http://qbo.internal.example:8080",
        ) as client:
            created = await client.customers.create(m.Customer(display_name="Over ASGI"))
            return created.id

    assert asyncio.run(run()) == "1"
    assert sandbox.count("POST", r"/v3/company/\d+/customer$", status=200) == 1


def test_preferences_full_update_and_list_resume(qbo, sandbox):
    prefs = qbo.preferences.get()
    changed = qbo.preferences.update(
        attrs.evolve(prefs, sales_forms_prefs={**prefs.sales_forms_prefs, "CustomTxnNumbers": True})
    )
    assert changed.sales_forms_prefs["CustomTxnNumbers"] is True
    assert changed.tax_prefs == {"UsingSalesTax": True}  # the full update kept the other groups
    for i in range(5):
        sandbox.add_entity("Term", {"Name": f"Net {100 + i}", "DueDays": 100 + i})
    pages = list(qbo.terms.list(page_size=3).pages())
    assert [len(p.items) for p in pages] == [3, 3, 3, 0]  # a full last page costs one empty read
    assert pages[0].next_cursor == "4"
    resumed = qbo.terms.list(page_size=3, cursor=pages[1].next_cursor).to_list()
    assert [t.id for t in resumed] == [t.id for t in pages[2].items]


def test_full_update_clears_none_fields_and_keeps_unknown_keys(qbo, sandbox):
    # BusinessNumber is a real Customer field (Intuit's XSD) the model does not declare; the sandbox now
    # refuses keys the API does not know (2010), so the unknown-to-the-model key is a real one.
    created = qbo.customers.create({"DisplayName": "Wingtip", "Notes": "old", "BusinessNumber": "BN 77"})
    assert created.raw["BusinessNumber"] == "BN 77"
    cleared = qbo.customers.update(attrs.evolve(created, notes=None), full=True)
    assert cleared.notes is None
    assert sandbox.entity("Customer", created.id)["BusinessNumber"] == "BN 77"
    assert "Notes" not in sandbox.entity("Customer", created.id)


def test_faults_end_exactly_right(qbo, sandbox):
    sandbox.faults.inject(FaultKind.SERVER_ERROR, method="GET", path=r"/preferences$", times=2, status=503)
    assert qbo.preferences.get().id == "1"
    assert sandbox.count("GET", r"/preferences$", status=503) == 2
    sandbox.faults.inject(FaultKind.DROP_CONNECTION, method="POST", path=r"/batch$", times=1)
    dropped = qbo.batch([BatchOperation.create(m.Customer(display_name=f"Drop {i}")) for i in range(3)])
    sandbox.faults.inject(FaultKind.LOSE_RESPONSE, method="POST", path=r"/batch$", times=1)
    lost = qbo.batch([BatchOperation.create(m.Customer(display_name=f"Lost {i}")) for i in range(3)])
    assert all(r.ok for r in dropped + lost)
    assert len(sandbox.entities("Customer")) == 6  # dropped: not applied; lost: applied once, then replayed
    assert sandbox.count("POST", r"/batch$") == 4
    sandbox.faults.inject(FaultKind.TOKEN_EXPIRY, method="GET", path=r"/companyinfo/", times=1)
    assert qbo.company_info.get().id == "1"
    assert sandbox.token_requests == 1


def test_deactivated_names_are_freed(qbo):
    first = qbo.customers.create(m.Customer(display_name="Proseware"))
    gone = qbo.customers.delete(first.id, sync_token=first.sync_token)
    assert (gone.display_name, gone.active) == ("Proseware (deleted)", False)
    again = qbo.customers.create(m.Customer(display_name="Proseware"))
    assert again.id != first.id
    back = qbo.customers.update(m.Customer(id=gone.id, sync_token=gone.sync_token, active=True))
    assert back.display_name == "Proseware (deleted)"  # the original name is taken again


def test_payment_update_reallocates_within_the_open_balance(qbo, sandbox):
    item = _item(sandbox, "100.00")
    customer = qbo.customers.create(m.Customer(display_name="Reallocate Co"))
    invoice = qbo.invoices.create(
        m.Invoice(customer_ref=m.Ref(value=customer.id), line=(_invoice_line(item["Id"], "1", "100.00"),))
    )

    def payment_lines(amount: str) -> tuple[m.Line, ...]:
        return (
            m.Line(amount=Decimal(amount), linked_txn=(m.LinkedTxn(txn_id=invoice.id, txn_type="Invoice"),)),
        )

    payment = qbo.payments.create(
        m.Payment(customer_ref=m.Ref(value=customer.id), total_amt=Decimal("150"), line=payment_lines("60"))
    )
    assert qbo.invoices.get(invoice.id).balance == Decimal("40.00")
    moved = qbo.payments.update(
        m.Payment(id=payment.id, sync_token=payment.sync_token, line=payment_lines("100"))
    )
    assert moved.unapplied_amt == Decimal("50.00")
    assert qbo.invoices.get(invoice.id).balance == Decimal("0.00")
    with pytest.raises(BadRequestError) as info:  # 101 > the 100 open once this payment's 100 is un-applied
        qbo.payments.update(m.Payment(id=moved.id, sync_token=moved.sync_token, line=payment_lines("101")))
    assert info.value.codes == ("6000",)
    after = qbo.invoices.get(invoice.id)
    assert (after.balance, after.sync_token) == (Decimal("0.00"), "2")  # the failed update changed nothing
    assert qbo.customers.get(customer.id).balance == Decimal("-50.00")
