"""QuickBooks <-> canonical mappers, table-driven from the real samples in apis/quickbooks/samples."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings

from msplink.errors import MappingError
from msplink.mappers import MappingConfig
from msplink.mappers import quickbooks as m
from msplink.models import (
    CONNECTWISE,
    BillableStatus,
    BillingCycle,
    Customer,
    ExternalRef,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    Link,
    Money,
    TimeEntry,
)
from msplink.quickbooks import models as qbo

from ._harness import check_round_trip, maps_or_raises_mapping_error, mutated

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "apis" / "quickbooks" / "samples"
if not SAMPLES.exists():  # pragma: no cover - the checkout layout
    SAMPLES = Path("/work/shared/apis/quickbooks/samples")


def sample(name: str, key: str | None = None) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    result: dict[str, Any] = data[key] if key else data
    return result


CONFIG = MappingConfig.from_dict(
    {
        "terms": {"Net 30 days": "3"},
        "tax_codes": {"AUS": "2"},
        "catalog_items": {"FOUNTAIN": "5"},
        "employees": {"eplatt": "55", "jjohnson": "54"},
        "work_types": {"Lighting": "8", "Trimming": "18", "Design": "4", "Gardening": "2"},
        "custom_fields": [{"record": "Invoice", "name": "crew", "quickbooks": "Crew #"}],
        "quickbooks_ids": {"custom_fields": {"Crew #": "1"}, "payment_methods": {"Cash": "1"}},
        "product_classes": {"Inventory": {"income_account": "79", "expense_account": "80"}},
    }
)

NESTED = (
    m.UNMAPPED_ADDRESS_FIELDS
    | m.UNMAPPED_LINE_FIELDS
    | m.UNMAPPED_LINE_DETAIL_FIELDS
    | {"total_tax", "tax_line"}
)


def _without_subtotal(model: Any) -> Any:
    """Drop what QBO generates itself: the SubTotalLine and empty custom-field slots."""
    if getattr(model, "line", None):
        model = attrs.evolve(
            model, line=tuple(x for x in model.line if x.detail_type != "SubTotalLineDetail")
        )
    if getattr(model, "custom_field", None):
        model = attrs.evolve(
            model, custom_field=tuple(x for x in model.custom_field if x.string_value) or None
        )
    return model


CASES = [
    (
        "customer",
        qbo.Customer,
        sample("customer-read-response", "Customer"),
        m.customer_to_customer,
        m.customer_from_canonical,
        m.UNMAPPED_CUSTOMER_FIELDS | {"balance"},
    ),
    (
        "vendor",
        qbo.Vendor,
        sample("vendor-read-response", "Vendor"),
        m.vendor_to_vendor,
        m.vendor_from_canonical,
        m.UNMAPPED_VENDOR_FIELDS | {"balance"},
    ),
    (
        "item",
        qbo.Item,
        sample("item-read-response", "Item"),
        m.item_to_product,
        m.item_from_canonical,
        m.UNMAPPED_ITEM_FIELDS,
    ),
    (
        "invoice",
        qbo.Invoice,
        sample("invoice-read-response", "Invoice"),
        m.invoice_to_invoice,
        m.invoice_from_canonical,
        m.UNMAPPED_INVOICE_FIELDS,
    ),
    (
        "invoice-created",
        qbo.Invoice,
        sample("invoice-create-response", "Invoice"),
        m.invoice_to_invoice,
        m.invoice_from_canonical,
        m.UNMAPPED_INVOICE_FIELDS,
    ),
    (
        "payment",
        qbo.Payment,
        sample("payment-read-response", "Payment"),
        m.payment_to_payment,
        m.payment_from_canonical,
        m.UNMAPPED_PAYMENT_FIELDS,
    ),
    (
        "time_activity",
        qbo.TimeActivity,
        sample("timeactivity-read-response", "TimeActivity"),
        m.time_activity_to_time_entry,
        m.time_activity_from_canonical,
        m.UNMAPPED_TIME_ACTIVITY_FIELDS,
    ),
    *[
        (
            f"time_activity[{i}]",
            qbo.TimeActivity,
            row,
            m.time_activity_to_time_entry,
            m.time_activity_from_canonical,
            m.UNMAPPED_TIME_ACTIVITY_FIELDS,
        )
        for i, row in enumerate(sample("timeactivity-query-response")["QueryResponse"]["TimeActivity"])
    ],
    (
        "bill",
        qbo.Bill,
        sample("bill-read-response", "Bill"),
        m.bill_to_vendor_bill,
        m.bill_from_canonical,
        m.UNMAPPED_BILL_FIELDS,
    ),
    # the documented create requests map to canonical and come back the same
    *[
        (f"{name}-create", cls, sample(f"{name}-create{suffix}-request"), to_c, from_c, unmapped)
        for name, suffix, cls, to_c, from_c, unmapped in [
            (
                "customer",
                "",
                qbo.Customer,
                m.customer_to_customer,
                m.customer_from_canonical,
                m.UNMAPPED_CUSTOMER_FIELDS,
            ),
            (
                "invoice",
                "",
                qbo.Invoice,
                m.invoice_to_invoice,
                m.invoice_from_canonical,
                m.UNMAPPED_INVOICE_FIELDS,
            ),
            ("bill", "", qbo.Bill, m.bill_to_vendor_bill, m.bill_from_canonical, m.UNMAPPED_BILL_FIELDS),
            (
                "payment",
                "-linked",
                qbo.Payment,
                m.payment_to_payment,
                m.payment_from_canonical,
                m.UNMAPPED_PAYMENT_FIELDS,
            ),
        ]
    ],
]


@pytest.mark.parametrize(
    ("name", "cls", "payload", "to_canonical", "from_canonical", "unmapped"), CASES, ids=[c[0] for c in CASES]
)
def test_real_samples_round_trip(name, cls, payload, to_canonical, from_canonical, unmapped):
    original = cls.from_api(payload)
    canonical = to_canonical(original, CONFIG)
    assert to_canonical(payload, CONFIG) == canonical
    back = from_canonical(canonical, CONFIG)
    check_round_trip(_without_subtotal(original), back, unmapped, NESTED)
    again = to_canonical(qbo.__dict__[cls.__name__].from_api(back.to_api()), CONFIG)
    assert attrs.evolve(again, updated_at=canonical.updated_at, refs=canonical.refs) == attrs.evolve(
        canonical, **_read_only(name, again)
    )


def _read_only(name: str, again: Any) -> dict[str, Any]:
    """Canonical fields filled from QBO read-only values, which a write cannot carry back."""
    fields = {
        "customer": ("balance",),
        "vendor": ("balance",),
        "invoice": ("total", "balance", "status", "tax_total", "subtotal"),
        "invoice-created": ("total", "balance", "status", "tax_total", "subtotal"),
        "bill": ("total", "balance"),
    }.get(name, ())
    return {f: getattr(again, f) for f in fields}


def test_recurring_invoice_template_round_trip_and_mrr():
    payload = sample("recurringtransaction-create-invoice-request")
    agreement = m.recurring_transaction_to_agreement(payload, CONFIG)
    assert agreement.billing_cycle is BillingCycle.MONTHLY
    assert agreement.start_date == date(2020, 9, 1)
    assert agreement.mrr() == Money("55.00", "USD")
    back = m.recurring_transaction_from_canonical(agreement, CONFIG, days_before=2)
    original = qbo.RecurringTransaction.from_api(payload)
    assert original.invoice is not None and back.invoice is not None
    check_round_trip(
        _without_subtotal(original.invoice),
        back.invoice,
        m.UNMAPPED_INVOICE_FIELDS
        | {
            "bill_email",
            "ship_addr",
            "bill_addr",
            "department_ref",
            "email_status",
            "custom_field",
            "exchange_rate",
            "recur_data_ref",
        },
        NESTED | {"max_occurrences", "next_date", "tax_code_ref"},
    )


def test_bill_template_is_not_an_agreement():
    with pytest.raises(MappingError, match="only recurring Invoice templates"):
        m.recurring_transaction_to_agreement(
            sample("recurringtransaction-read-response")["QueryResponse"]["RecurringTransaction"][0], CONFIG
        )


def test_agreement_cycles_become_qbo_schedules():
    config = attrs.evolve(CONFIG, default_item="1")
    customer = Link.to("quickbooks", "Customer", "58")
    for cycle, (interval, every) in m.INTERVALS.items():
        template = m.recurring_transaction_from_canonical(_agreement(cycle, customer), config)
        assert template.invoice is not None and template.invoice.recurring_info is not None
        schedule = template.invoice.recurring_info.schedule_info
        assert schedule is not None
        assert (schedule.interval_type, schedule.num_interval) == (interval, every)
        assert m.recurring_transaction_to_agreement(template, config).billing_cycle is cycle
    with pytest.raises(MappingError) as info:
        m.recurring_transaction_from_canonical(_agreement(BillingCycle.ONE_TIME, customer), config)
    assert info.value.path == "Agreement.billing_cycle"


def _agreement(cycle: BillingCycle, customer: Link) -> Any:
    from msplink.models import Agreement

    return Agreement(
        name="MSP",
        customer=customer,
        currency="USD",
        billing_cycle=cycle,
        bill_amount=Money("300", "USD"),
        start_date=date(2026, 1, 1),
    )


def usd(x: str) -> Money:
    return Money(x, "USD")


def test_line_amounts_round_half_up_and_penny_line():
    config = attrs.evolve(CONFIG, penny_adjustment_item="99", default_item="1")
    lines = [
        InvoiceLine(
            amount=usd("0.38"), quantity=Decimal(3), unit_price=usd("0.125"), taxable=True
        ),  # 0.375 -> 0.38
        InvoiceLine(
            amount=usd("33.33"), quantity=Decimal("0.333"), unit_price=usd("100.10")
        ),  # 33.3333 -> 33.33
    ]
    invoice = Invoice(
        customer=Link.to("quickbooks", "Customer", "58"), currency="USD", lines=lines, subtotal=usd("33.72")
    )
    out = m.invoice_from_canonical(invoice, config)
    amounts = [line.amount for line in out.line or ()]
    assert amounts == [Decimal("0.38"), Decimal("33.33"), Decimal("0.01")]
    penny = (out.line or ())[-1]
    assert penny.sales_item_line_detail is not None and penny.sales_item_line_detail.item_ref == qbo.Ref(
        value="99"
    )
    assert penny.sales_item_line_detail.tax_code_ref == qbo.Ref(value="NON")
    # no penny item configured: amounts are still rounded, no extra line
    assert (
        len(m.invoice_from_canonical(invoice, attrs.evolve(config, penny_adjustment_item=None)).line or ())
        == 2
    )
    # a real mismatch is not papered over
    with pytest.raises(MappingError, match="penny tolerance") as info:
        m.invoice_from_canonical(attrs.evolve(invoice, subtotal=usd("40")), config)
    assert info.value.path == "Invoice.subtotal"


def test_multi_currency_is_carried():
    lines = [
        InvoiceLine(
            amount=Money("100", "EUR"), quantity=Decimal(1), unit_price=Money("100", "EUR"), taxable=False
        )
    ]
    invoice = Invoice(
        customer=Link.to("quickbooks", "Customer", "7"),
        currency="EUR",
        lines=lines,
        exchange_rate=Decimal("1.0825"),
    )
    out = m.invoice_from_canonical(invoice, attrs.evolve(CONFIG, default_item="1"))
    assert out.currency_ref == qbo.Ref(value="EUR")
    assert out.exchange_rate == Decimal("1.0825")
    back = m.invoice_to_invoice(out.to_api(), CONFIG)
    assert back.currency == "EUR" and back.lines[0].amount == Money("100.00", "EUR")


def test_global_tax_mode_needs_a_code_per_line():
    config = attrs.evolve(CONFIG, tax_mode="global", default_item="1")
    lines = [InvoiceLine(amount=usd("10"), quantity=Decimal(1), unit_price=usd("10"))]
    invoice = Invoice(customer=Link.to("quickbooks", "Customer", "58"), currency="USD", lines=lines)
    with pytest.raises(MappingError) as info:
        m.invoice_from_canonical(invoice, config)
    assert info.value.path == "Invoice.lines[0].tax_code"
    out = m.invoice_from_canonical(attrs.evolve(invoice, tax_code="AUS"), config)
    assert (out.line or ())[0].sales_item_line_detail.tax_code_ref == qbo.Ref(value="2")  # type: ignore[union-attr]
    assert out.txn_tax_detail is None
    assert out.global_tax_calculation == "TaxExcluded"
    inclusive = m.invoice_from_canonical(attrs.evolve(invoice, tax_code="AUS", tax_inclusive=True), config)
    assert inclusive.global_tax_calculation == "TaxInclusive"
    assert m.invoice_to_invoice(inclusive.to_api(), config).tax_inclusive is True
    us = m.invoice_from_canonical(
        attrs.evolve(invoice, tax_inclusive=True), attrs.evolve(config, tax_mode="us")
    )
    assert us.global_tax_calculation is None  # US companies reject it


def test_invoice_status_and_values():
    invoice = m.invoice_to_invoice(sample("invoice-read-response", "Invoice"), CONFIG)
    assert invoice.status is InvoiceStatus.OPEN
    assert invoice.lines_total() == invoice.subtotal == usd("335.25")
    assert invoice.computed_total() == invoice.total == usd("362.07")
    assert invoice.lines[0].sku == "FOUNTAIN"  # QBO item 5 -> CW catalog identifier via catalog_items
    assert invoice.custom_fields["crew"] == "102"
    assert invoice.terms == "Net 30 days" and invoice.tax_code == "AUS"


def test_unmapped_terms_name_the_path():
    with pytest.raises(MappingError) as info:
        m.invoice_to_invoice(
            sample("invoice-read-response", "Invoice"), MappingConfig(tax_codes=CONFIG.tax_codes)
        )
    assert info.value.path == "Invoice.terms"
    assert info.value.value == "3"


def test_payment_across_invoices_and_credit():
    payment = m.payment_to_payment(
        {
            "Id": "9",
            "CustomerRef": {"value": "58"},
            "TotalAmt": 1500.00,
            "Line": [
                {"Amount": 1187.50, "LinkedTxn": [{"TxnId": "130", "TxnType": "Invoice"}]},
                {"Amount": 300.00, "LinkedTxn": [{"TxnId": "131", "TxnType": "Invoice"}]},
                {"Amount": 50.00, "LinkedTxn": [{"TxnId": "140", "TxnType": "CreditMemo"}]},
            ],
        },
        CONFIG,
    )
    assert [a.target_type for a in payment.allocations] == ["Invoice", "Invoice", "CreditMemo"]
    assert payment.unapplied == usd("62.50")
    out = m.payment_from_canonical(payment, CONFIG)
    assert [(x.linked_txn[0].txn_id, x.amount) for x in out.line or () if x.linked_txn] == [
        ("130", Decimal("1187.50")),
        ("131", Decimal("300.00")),
        ("140", Decimal("50.00")),
    ]
    cw_only = attrs.evolve(payment.allocations[0], target=Link.to(CONNECTWISE, "invoice", "4410"))
    with pytest.raises(MappingError) as info:
        m.payment_from_canonical(attrs.evolve(payment, allocations=[cw_only]), CONFIG)
    assert info.value.path == "Payment.allocations[0].target"


def test_time_entry_from_connectwise_member():
    member = Link.to(CONNECTWISE, "member", "eplatt", display="Emily Platt")
    entry = TimeEntry(
        hours=Decimal("1.5"),
        billable_hours=Decimal("1.26"),  # 75.6 minutes -> 76 (half up)
        member=member,
        customer=Link.to("quickbooks", "Customer", "21"),
        hourly_rate=usd("150"),
        work_type="Lighting",
        work_date=date(2026, 2, 15),
    )
    out = m.time_activity_from_canonical(entry, CONFIG)
    assert (out.employee_ref, out.hours, out.minutes, out.item_ref) == (
        qbo.Ref(value="55", name="Emily Platt"),
        1,
        16,
        qbo.Ref(value="8"),
    )
    with pytest.raises(MappingError) as info:
        m.time_activity_from_canonical(
            attrs.evolve(entry, member=Link.to(CONNECTWISE, "member", "nobody")), CONFIG
        )
    assert (info.value.path, info.value.value) == ("TimeActivity.EmployeeRef", "nobody")
    with pytest.raises(MappingError, match="hourly rate"):
        m.time_activity_from_canonical(attrs.evolve(entry, hourly_rate=None), CONFIG)
    back = m.time_activity_to_time_entry(sample("timeactivity-read-response", "TimeActivity"), CONFIG)
    assert back.billable is BillableStatus.BILLED
    assert back.member is not None and back.member.id_for(CONNECTWISE, "member") == "eplatt"


def test_journal_entry_from_time_entries_balances():
    config = attrs.evolve(CONFIG, labour_expense_account="90", labour_liability_account="44")
    a = Link.to("quickbooks", "Customer", "1")
    entries = [
        TimeEntry(hours=Decimal("1.5"), cost_rate=usd("45.333"), customer=a),  # 68.00 (67.9995)
        TimeEntry(hours=Decimal(2), cost_rate=usd("40"), customer=a),  # 80.00
        TimeEntry(hours=Decimal("0.25"), cost_rate=usd("50")),  # 12.50, no customer
    ]
    je = m.journal_entry_from_canonical(entries, config, txn_date=date(2026, 1, 31), doc_number="JE-1")
    lines = je.line or ()
    debits = [
        x.amount
        for x in lines
        if x.journal_entry_line_detail and x.journal_entry_line_detail.posting_type == "Debit"
    ]
    credits = [
        x.amount
        for x in lines
        if x.journal_entry_line_detail and x.journal_entry_line_detail.posting_type == "Credit"
    ]
    assert debits == [Decimal("12.50"), Decimal("148.00")]
    assert credits == [Decimal("160.50")]
    with pytest.raises(MappingError, match="labour_expense_account"):
        m.journal_entry_from_canonical(entries, CONFIG, txn_date=date(2026, 1, 31))
    with pytest.raises(MappingError, match=r"entries\[0\]\.cost_rate"):
        m.journal_entry_from_canonical([TimeEntry(hours=1)], config, txn_date=date(2026, 1, 31))


def test_customer_needs_mapped_terms_and_clean_name():
    customer = Customer(name="Acme: West", terms="Net 30 days", refs=[ExternalRef(CONNECTWISE, "company", 1)])
    with pytest.raises(MappingError, match="cannot contain"):
        m.customer_from_canonical(customer, CONFIG)
    with pytest.raises(MappingError) as info:
        m.customer_from_canonical(attrs.evolve(customer, name="Acme", terms="Net 60"), CONFIG)
    assert (info.value.path, info.value.value) == ("Customer.SalesTermRef", "Net 60")
    out = m.customer_from_canonical(attrs.evolve(customer, name="Acme"), CONFIG)
    assert out.id is None and out.sales_term_ref == qbo.Ref(value="3")


RANDOM = [
    (m.customer_to_customer, sample("customer-read-response", "Customer")),
    (m.vendor_to_vendor, sample("vendor-read-response", "Vendor")),
    (m.item_to_product, sample("item-read-response", "Item")),
    (m.invoice_to_invoice, sample("invoice-read-response", "Invoice")),
    (m.payment_to_payment, sample("payment-read-response", "Payment")),
    (m.time_activity_to_time_entry, sample("timeactivity-read-response", "TimeActivity")),
    (m.bill_to_vendor_bill, sample("bill-read-response", "Bill")),
    (m.recurring_transaction_to_agreement, sample("recurringtransaction-create-invoice-request")),
]


@pytest.mark.parametrize(("fn", "payload"), RANDOM, ids=[f.__name__ for f, _ in RANDOM])
def test_random_payloads_map_or_raise_mapping_error(fn, payload):
    @settings(max_examples=35, deadline=None)
    @given(mutated(payload))
    def run(data):
        maps_or_raises_mapping_error(lambda p: fn(p, CONFIG), data)

    run()


def test_random_canonical_invoices_map_to_qbo_or_raise_mapping_error():
    from hypothesis import strategies as st

    amounts = st.decimals(min_value=-1000, max_value=1000, places=3, allow_nan=False, allow_infinity=False)
    line = st.builds(
        lambda q, p, taxable, sku: InvoiceLine(
            amount=usd(str(q * p)), quantity=q, unit_price=usd(str(p)), taxable=taxable, sku=sku
        ),
        amounts,
        amounts,
        st.one_of(st.none(), st.booleans()),
        st.sampled_from([None, "FOUNTAIN", "UNKNOWN"]),
    )

    @settings(max_examples=100, deadline=None)
    @given(
        st.lists(line, max_size=4),
        st.sampled_from([None, "AUS", "ZZZ"]),
        st.sampled_from([None, "Net 30 days", "Net 99"]),
    )
    def run(lines, tax_code, terms):
        invoice = Invoice(
            customer=Link.to("quickbooks", "Customer", "1"),
            currency="USD",
            lines=lines,
            tax_code=tax_code,
            terms=terms,
        )
        maps_or_raises_mapping_error(
            lambda inv: m.invoice_from_canonical(inv, attrs.evolve(CONFIG, penny_adjustment_item="99")),
            invoice,
        )

    run()


def test_void_invoices_and_deletion_stubs():
    void = m.invoice_to_invoice(
        sample("invoice-void-response", "Invoice"), CONFIG
    )  # DetailType SALES_ITEM_LINE_DETAIL
    assert void.status is InvoiceStatus.VOID
    assert void.lines[0].amount == usd("0") and void.total == usd("0")
    assert not void.is_paid()
    gone = m.invoice_to_invoice(sample("invoice-delete-response", "Invoice"), CONFIG)
    assert gone.deleted and gone.id_for("quickbooks", "Invoice") == "33"
    cdc = sample("cdc-response")["CDCResponse"][0]["QueryResponse"][1]["Estimate"][2]
    assert m.payment_to_payment(cdc, CONFIG).deleted  # any deletion stub becomes a tombstone
    assert m.bill_to_vendor_bill(cdc, CONFIG).deleted and m.time_activity_to_time_entry(cdc, CONFIG).deleted
