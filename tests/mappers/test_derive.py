from datetime import date
from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from msplink.errors import MappingError
from msplink.mappers import (
    MappingConfig,
    allocate_payment,
    onboarding_ticket,
    overdue_invoice_task,
    purchase_order_to_vendor_bill,
    renewal_opportunity,
)
from msplink.mappers import connectwise as cwm
from msplink.mappers import quickbooks as qbm
from msplink.mappers import salesforce as sfm
from msplink.models import (
    CONNECTWISE,
    QUICKBOOKS,
    SALESFORCE,
    Agreement,
    AgreementAddition,
    BillingCycle,
    ExternalRef,
    Invoice,
    Link,
    Money,
    PaymentAllocation,
)

from . import cw_payloads as P

ACME = Link(
    refs=[ExternalRef(CONNECTWISE, "company", "250"), ExternalRef(SALESFORCE, "Account", "001A")],
    display="Acme",
)


def usd(x: str) -> Money:
    return Money(x, "USD")


def inv(number: str, due: date, balance: str, total: str | None = None) -> Invoice:
    return Invoice(
        customer=ACME,
        currency="USD",
        number=number,
        due_date=due,
        balance=usd(balance),
        total=usd(total or balance),
        refs=[ExternalRef(QUICKBOOKS, "Invoice", number)],
    )


def test_renewal_opportunity_to_salesforce():
    agreement = Agreement(
        name="Acme MSP",
        customer=ACME,
        currency="USD",
        billing_cycle=BillingCycle.QUARTERLY,
        bill_amount=usd("3000"),
        additions=[AgreementAddition(quantity=10, unit_price=usd("30"))],
        end_date=date(2026, 12, 31),
        owner=Link.to(SALESFORCE, "User", "005X"),
        refs=[ExternalRef(CONNECTWISE, "agreement", "771")],
    )
    opp = renewal_opportunity(agreement, stage="1.Prospect")
    assert opp.amount == usd("13200.00")  # (3000 + 300) / 3 = 1100.00 MRR x 12
    assert opp.close_date == date(2026, 12, 31)
    config = MappingConfig.from_dict({"opportunity_stages": {"Prospecting": "1.Prospect"}})
    out = sfm.opportunity_from_canonical(opp, config)
    assert (out.stage_name, out.account_id, out.owner_id, out.amount) == (
        "Prospecting",
        "001A",
        "005X",
        Decimal("13200.00"),
    )
    assert out.custom["CW_Agreement_Id__c"] == "771"
    with pytest.raises(MappingError, match="no end date"):
        renewal_opportunity(Agreement(name="x", customer=ACME, currency="USD", no_end_date=True), stage="s")


def test_overdue_invoice_task():
    invoice = inv("10042", date(2026, 3, 2), "963.34", "2963.34")
    assert overdue_invoice_task(invoice, as_of=date(2026, 3, 2)) is None
    task = overdue_invoice_task(invoice, as_of=date(2026, 3, 9), owner=Link.to(SALESFORCE, "User", "005X"))
    assert task is not None
    assert task.subject == "Overdue invoice 10042"
    assert task.description == "Invoice 10042: 963.34 USD open, 7 days past due (2026-03-02)."
    out = sfm.task_from_canonical(task)
    assert (out.what_id, out.owner_id, out.activity_date, out.priority) == (
        "001A",
        "005X",
        date(2026, 3, 9),
        "High",
    )
    assert overdue_invoice_task(inv("1", date(2026, 1, 1), "0"), as_of=date(2026, 3, 9)) is None


def test_purchase_order_to_vendor_bill_to_qbo():
    order = cwm.purchase_order_to_purchase_order(P.PURCHASE_ORDER, lines=P.PURCHASE_ORDER_LINES)
    bill = purchase_order_to_vendor_bill(order)
    assert [(line.sku, line.quantity, line.amount) for line in bill.lines] == [
        ("FW-60F", 2, usd("1098.0")),
        (None, None, usd("25.0")),
    ]  # the licence line has nothing received yet; freight becomes an account line
    assert bill.number == "INV-7781"
    config = MappingConfig.from_dict(
        {
            "catalog_items": {"FW-60F": "41"},
            "expense_accounts": {"freight": "62"},
            "terms": {"Net 30 days": "3"},
        }
    )
    vendor = bill.vendor.with_ref(ExternalRef(QUICKBOOKS, "Vendor", "46"))
    customer_ref = ExternalRef(QUICKBOOKS, "Customer", "58")
    lines = [
        line if line.customer is None else attrs.evolve(line, customer=line.customer.with_ref(customer_ref))
        for line in bill.lines
    ]
    out = qbm.bill_from_canonical(attrs.evolve(bill, vendor=vendor, lines=lines), config)
    assert [x.detail_type for x in out.line or ()] == [
        "ItemBasedExpenseLineDetail",
        "AccountBasedExpenseLineDetail",
    ]
    assert [x.amount for x in out.line or ()] == [Decimal("1098.00"), Decimal("25.00")]
    with pytest.raises(MappingError, match="nothing received"):
        purchase_order_to_vendor_bill(attrs.evolve(order, lines=order.lines[1:], freight=None))


def test_allocation_strategies():
    invoices = [
        inv("A", date(2026, 1, 31), "100.00"),
        inv("B", date(2026, 1, 15), "300.00"),
        inv("C", date(2026, 2, 28), "50.00"),
    ]

    def summary(allocs: tuple[PaymentAllocation, ...]) -> list[tuple[str | None, Decimal]]:
        return [(a.target.display, a.amount.amount) for a in allocs]

    assert summary(allocate_payment(usd("350"), invoices)) == [("B", Decimal("300.00")), ("A", Decimal("50"))]
    assert summary(allocate_payment(usd("350"), invoices, strategy="largest_first")) == [
        ("B", Decimal("300.00")),
        ("A", Decimal("50")),
    ]
    assert summary(allocate_payment(usd("120"), invoices, strategy="largest_first")) == [
        ("B", Decimal("120"))
    ]
    # 100/450, 300/450, 50/450 of 100.00 = 22.22, 66.66, 11.11 (+0.01 to the oldest: B)
    assert summary(allocate_payment(usd("100"), invoices, strategy="proportional")) == [
        ("B", Decimal("66.67")),
        ("A", Decimal("22.22")),
        ("C", Decimal("11.11")),
    ]
    overpaid = allocate_payment(usd("500"), invoices)
    assert sum(a.amount.amount for a in overpaid) == Decimal("450.00")
    with pytest.raises(MappingError):
        allocate_payment(usd("0"), invoices)
    with pytest.raises(MappingError):
        allocate_payment(Money(1, "EUR"), invoices)
    with pytest.raises(MappingError):
        allocate_payment(usd("1"), invoices, strategy="random")  # type: ignore[arg-type]


balances = st.lists(
    st.decimals(min_value=0, max_value=5000, places=2, allow_nan=False, allow_infinity=False), max_size=6
)


@settings(max_examples=200, deadline=None)
@given(
    balances,
    st.decimals(min_value="0.01", max_value=20000, places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from(["oldest_first", "largest_first", "proportional"]),
)
def test_allocations_never_exceed_payment_or_balances(open_balances, paid, strategy):
    invoices = [inv(f"I{i}", date(2026, 1, 1 + i), str(b)) for i, b in enumerate(open_balances)]
    allocations = allocate_payment(usd(str(paid)), invoices, strategy=strategy)
    total_alloc = sum((a.amount.amount for a in allocations), Decimal(0))
    assert total_alloc == min(paid, sum(open_balances, Decimal(0)))
    by_number = {i.number: i.balance.amount for i in invoices if i.balance is not None}
    for a in allocations:
        assert Decimal(0) < a.amount.amount <= by_number[a.target.display]


def test_won_opportunity_starts_an_onboarding_ticket_in_connectwise():
    from msplink.models import Opportunity, OpportunityStatus

    won = Opportunity(
        name="Acme firewall refresh",
        status=OpportunityStatus.WON,
        customer=ACME,
        amount=usd("12000"),
        close_date=date(2026, 7, 31),
        owner=Link.to(SALESFORCE, "User", "005A"),
    )
    ticket = onboarding_ticket(won, board="Service Desk", status="New", priority="Priority 3 - Normal")
    assert ticket.summary == "Onboarding: Acme firewall refresh"
    config = MappingConfig.from_dict(
        {"owners": {"005A": "jdoe"}, "connectwise_ids": {"boards": {"Service Desk": "1"}}}
    )
    out = cwm.ticket_from_canonical(ticket, config)
    assert out.to_api()["company"] == {"id": 250, "name": "Acme"}
    assert (out.board.id if out.board else None, out.owner.identifier if out.owner else None) == (1, "jdoe")
    with pytest.raises(MappingError, match="only won"):
        onboarding_ticket(attrs.evolve(won, status=OpportunityStatus.OPEN))


def test_invoice_record_for_salesforce():
    invoice = attrs.evolve(
        inv("10042", date(2026, 3, 2), "963.34", "2963.34"),
        refs=[ExternalRef(CONNECTWISE, "invoice", "4410")],
    )
    record = sfm.invoice_record_from_canonical(invoice)
    assert record == {
        "Name": "10042",
        "Account__c": "001A",
        "Amount__c": Decimal("2963.34"),
        "Balance__c": Decimal("963.34"),
        "Due_Date__c": "2026-03-02",
        "CW_Invoice_Id__c": "4410",
    }
    custom = sfm.invoice_record_from_canonical(invoice, fields={"balance": "Open__c", "number": ""})
    assert "Open__c" in custom and "Name" not in custom
    with pytest.raises(MappingError, match="unknown invoice record fields"):
        sfm.invoice_record_from_canonical(invoice, fields={"colour": "Colour__c"})


def test_time_entries_aggregate_into_invoice_lines():
    from msplink.mappers import aggregate_time_entries
    from msplink.models import BillableStatus, TimeEntry

    other = Link.to(CONNECTWISE, "company", "251")
    entries = [
        TimeEntry(
            hours="1.5", customer=ACME, work_type="Remote", hourly_rate=usd("150"), work_date=date(2026, 2, 3)
        ),
        TimeEntry(
            hours="0.25",
            customer=ACME,
            work_type="Remote",
            hourly_rate=usd("150"),
            work_date=date(2026, 2, 9),
        ),
        TimeEntry(hours="2", billable_hours="1", customer=ACME, work_type="Onsite", hourly_rate=usd("175")),
        TimeEntry(hours="3", customer=other, work_type="Remote", hourly_rate=usd("99.995")),
        TimeEntry(
            hours="8",
            customer=ACME,
            work_type="Remote",
            hourly_rate=usd("150"),
            billable=BillableStatus.NO_CHARGE,
        ),
    ]
    config = MappingConfig.from_dict({"work_types": {"Remote": "2"}})
    lines = aggregate_time_entries(entries, config)
    acme = lines[ACME]
    assert [(x.description, x.quantity, x.amount) for x in acme] == [
        ("Remote: 2 entries, 1.75 h", Decimal("1.75"), usd("262.50")),
        ("Onsite: 1 entries, 1 h", Decimal("1"), usd("175.00")),
    ]
    assert acme[0].product == Link.to(QUICKBOOKS, "Item", "2") and acme[0].service_date == date(2026, 2, 9)
    assert lines[other][0].amount == usd("299.99")  # 299.985 rounds half up
    with pytest.raises(MappingError, match=r"TimeEntry\[0\]\.hourly_rate"):
        aggregate_time_entries([TimeEntry(hours=1, customer=ACME)])
