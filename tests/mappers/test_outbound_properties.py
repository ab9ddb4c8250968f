"""Random canonical records either map to every vendor (and serialise) or raise MappingError with a path."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timezone
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from msplink.errors import MappingError
from msplink.mappers import MappingConfig
from msplink.mappers import connectwise as cwm
from msplink.mappers import quickbooks as qbm
from msplink.mappers import salesforce as sfm
from msplink.models import (
    CONNECTWISE,
    QUICKBOOKS,
    SALESFORCE,
    Address,
    Agreement,
    AgreementAddition,
    AgreementStatus,
    BillableStatus,
    BillingCycle,
    Contact,
    Customer,
    ExternalRef,
    Invoice,
    InvoiceLine,
    LineKind,
    Link,
    Money,
    Opportunity,
    OpportunityStatus,
    Payment,
    PaymentAllocation,
    Ticket,
    TimeEntry,
    VendorBill,
    VendorBillLine,
)

CONFIG = MappingConfig.from_dict(
    {
        "terms": {"Net 30 days": "3"},
        "tax_codes": {"AUS": "TAX"},
        "owners": {"005A": "jdoe"},
        "employees": {"jdoe": "55"},
        "work_types": {"Remote": "2"},
        "opportunity_stages": {"Prospecting": "1.Prospect"},
        "case_statuses": {"New": "New", "Working": "In Progress"},
        "case_priorities": {"High": "P1"},
        "product_classes": {"Agreement": {"item": "1"}},
        "default_item": "9",
    }
)

texts = st.one_of(st.none(), st.text(max_size=25))
ids = st.one_of(
    st.integers(min_value=1, max_value=10**6).map(str), st.text(min_size=1, max_size=8).filter(str.strip)
)
refs = st.builds(
    ExternalRef,
    st.sampled_from([CONNECTWISE, QUICKBOOKS, SALESFORCE, "other"]),
    st.sampled_from(
        [
            "company",
            "Customer",
            "Account",
            "User",
            "member",
            "contact",
            "Contact",
            "agreement",
            "Employee",
            "invoice",
            "Invoice",
            "ticket",
        ]
    ),
    ids,
)
ref_sets = st.frozensets(refs, max_size=3)
links = st.one_of(st.none(), st.builds(Link, refs=ref_sets, display=texts))
required_links = st.builds(Link, refs=ref_sets, display=texts)
amounts = st.decimals(min_value=-(10**6), max_value=10**6, places=3, allow_nan=False, allow_infinity=False)
money = st.builds(Money, amounts, st.just("USD"))
addresses = st.one_of(
    st.none(),
    st.builds(
        Address,
        line1=texts,
        line2=texts,
        line3=texts,
        city=texts,
        region=texts,
        postal_code=texts,
        country=texts,
    ),
)
dates = st.one_of(st.none(), st.dates())
picked = st.one_of(
    st.none(),
    st.sampled_from(["Net 30 days", "AUS", "New", "In Progress", "P1", "1.Prospect", "Remote", "unknown"]),
)

customers = st.builds(
    Customer,
    name=st.text(max_size=40),
    refs=ref_sets,
    terms=picked,
    tax_code=picked,
    currency=st.one_of(st.none(), st.just("USD")),
    parent=links,
    owner=links,
    billing_address=addresses,
    email=texts,
    phone=texts,
    customer_type=texts,
    credit_limit=st.one_of(st.none(), money),
)
contacts = st.builds(
    Contact,
    refs=ref_sets,
    first_name=texts,
    last_name=texts,
    email=texts,
    phone=texts,
    mobile_phone=texts,
    company=links,
    company_name=texts,
    owner=links,
    address=addresses,
)
tickets = st.builds(
    Ticket,
    summary=st.text(max_size=40),
    refs=ref_sets,
    status=picked,
    priority=picked,
    customer=links,
    contact=links,
    owner=links,
)
opportunities = st.builds(
    Opportunity,
    name=st.text(max_size=40),
    refs=ref_sets,
    stage=picked,
    status=st.sampled_from(list(OpportunityStatus)),
    amount=st.one_of(st.none(), money),
    close_date=dates,
    probability=st.one_of(st.none(), st.decimals(min_value=0, max_value=100, places=1, allow_nan=False)),
    customer=links,
    owner=links,
)
agreements = st.builds(
    Agreement,
    name=st.text(max_size=40),
    customer=required_links,
    currency=st.just("USD"),
    refs=ref_sets,
    billing_cycle=st.sampled_from(list(BillingCycle)),
    status=st.sampled_from(list(AgreementStatus)),
    bill_amount=st.one_of(st.none(), money),
    start_date=dates,
    end_date=dates,
    terms=picked,
    additions=st.lists(
        st.builds(
            AgreementAddition,
            unit_price=money,
            quantity=amounts,
            sku=st.one_of(st.none(), st.just("X")),
            product=links,
        ),
        max_size=3,
    ),
)
time_entries = st.builds(
    TimeEntry,
    hours=st.decimals(min_value=-5, max_value=24, places=2, allow_nan=False, allow_infinity=False),
    refs=ref_sets,
    member=links,
    customer=links,
    ticket=links,
    billable=st.sampled_from(list(BillableStatus)),
    hourly_rate=st.one_of(st.none(), money),
    work_type=picked,
    start=st.one_of(st.none(), st.datetimes(timezones=st.just(timezone.utc))),
)
payments = st.builds(
    Payment,
    customer=required_links,
    total=money,
    refs=ref_sets,
    method=st.one_of(st.none(), st.sampled_from(["2", "Check"])),
    allocations=st.lists(st.builds(PaymentAllocation, target=required_links, amount=money), max_size=3),
)

invoice_lines = st.builds(
    InvoiceLine,
    amount=money,
    quantity=st.one_of(st.none(), amounts),
    unit_price=st.one_of(st.none(), money),
    kind=st.sampled_from(list(LineKind)),
    product=links,
    sku=st.one_of(st.none(), st.just("X")),
    tax_code=picked,
    taxable=st.one_of(st.none(), st.booleans()),
)
invoices = st.builds(
    Invoice,
    customer=required_links,
    currency=st.just("USD"),
    refs=ref_sets,
    number=texts,
    lines=st.lists(invoice_lines, max_size=4),
    subtotal=st.one_of(st.none(), money),
    terms=picked,
    tax_code=picked,
    agreement=links,
)
bills = st.builds(
    VendorBill,
    vendor=required_links,
    currency=st.just("USD"),
    refs=ref_sets,
    number=texts,
    lines=st.lists(
        st.builds(
            VendorBillLine,
            amount=money,
            quantity=st.one_of(st.none(), amounts),
            unit_cost=st.one_of(st.none(), money),
            product=links,
            sku=st.one_of(st.none(), st.just("X")),
            account=st.one_of(st.none(), st.just("64"), st.just("freight")),
            customer=links,
            taxable=st.one_of(st.none(), st.booleans()),
        ),
        max_size=3,
    ),
    terms=picked,
    purchase_order=links,
)

OUTBOUND: list[tuple[str, Any, list[Callable[..., Any]]]] = [
    (
        "invoice",
        invoices,
        [cwm.invoice_from_canonical, qbm.invoice_from_canonical, sfm.invoice_record_from_canonical],
    ),
    ("vendor_bill", bills, [qbm.bill_from_canonical]),
    (
        "customer",
        customers,
        [cwm.company_from_canonical, qbm.customer_from_canonical, sfm.account_from_canonical],
    ),
    ("contact", contacts, [cwm.contact_from_canonical, sfm.contact_from_canonical, sfm.lead_from_canonical]),
    ("ticket", tickets, [cwm.ticket_from_canonical, sfm.case_from_canonical]),
    ("opportunity", opportunities, [cwm.opportunity_from_canonical, sfm.opportunity_from_canonical]),
    (
        "agreement",
        agreements,
        [cwm.agreement_from_canonical, sfm.contract_from_canonical, qbm.recurring_transaction_from_canonical],
    ),
    ("time_entry", time_entries, [cwm.time_entry_from_canonical, qbm.time_activity_from_canonical]),
    ("payment", payments, [qbm.payment_from_canonical, cwm.invoice_payments_from_canonical]),
]


@pytest.mark.parametrize(("name", "records", "mappers"), OUTBOUND, ids=[o[0] for o in OUTBOUND])
def test_random_canonical_records_map_or_raise_mapping_error(name, records, mappers):
    @settings(max_examples=50, deadline=None)
    @given(records)
    def run(record):
        for mapper in mappers:
            try:
                result = mapper(record, CONFIG)
            except MappingError as err:
                assert err.path and str(err).startswith(err.path)
                continue
            for model in result if isinstance(result, tuple) else (result,):
                wire = model[1] if isinstance(model, tuple) else model
                payload = wire if isinstance(wire, dict) else wire.to_api()
                assert isinstance(payload, dict)
                assert not any(isinstance(v, float) for v in payload.values())

    run()


def test_decimal_survives_every_outbound_mapper():
    out = qbm.customer_from_canonical(Customer(name="A", credit_limit=Money("1.10", "USD")), CONFIG)
    assert out.to_api() == {"DisplayName": "A", "Active": True}
    company = cwm.company_from_canonical(Customer(name="A", credit_limit=Money("1.10", "USD")), CONFIG)
    assert company.credit_limit == Decimal("1.10")
