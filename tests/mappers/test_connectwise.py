"""ConnectWise <-> canonical mappers: round trips preserve every mapped field; random payloads are safe."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given, settings

from msplink.connectwise import models as cw
from msplink.errors import MappingError
from msplink.mappers import MappingConfig
from msplink.mappers import connectwise as m
from msplink.models import QUICKBOOKS, BillableStatus, BillingCycle, InvoiceStatus, Link, Money

from . import cw_payloads as P
from ._harness import check_round_trip, maps_or_raises_mapping_error, mutated

CONFIG = MappingConfig.from_dict(
    {
        "work_types": {"Remote Support": "2"},
        "custom_fields": [
            {"record": "Customer", "name": "sla", "connectwise": "SLA"},
            {"record": "Contact", "name": "cloud_plus", "connectwise": "CloudPlus"},
            {"record": "Contact", "name": "seats", "connectwise": "Seats"},
        ],
        "connectwise_ids": {
            "currencies": {"USD": "7"},
            "custom_fields": {"SLA": "4", "CloudPlus": "5", "Seats": "29"},
            "members": {"jdoe": "178"},
            "billing_terms": {"Net 30 days": "3"},
            "tax_codes": {"AUS": "11"},
            "billing_cycles": {"Monthly": "2"},
            "agreement_types": {"Managed Services": "4"},
            "company_types": {"Client": "1"},
            "countries": {"United States": "1"},
            "states": {"TX": "44"},
            "contact_departments": {"IT": "2"},
            "categories": {"Managed Services": "5"},
            "ticket_statuses": {"In Progress": "16"},
            "priorities": {"Priority 1 - Critical": "4"},
            "boards": {"Service Desk": "1"},
            "ticket_types": {"Network": "9"},
            "sources": {"Email": "2"},
            "work_types": {"Remote Support": "1"},
            "work_roles": {"Engineer": "2"},
            "stages": {"3.Quote": "3"},
            "opportunity_statuses": {"Open": "1"},
            "opportunity_types": {"New Business": "1"},
            "probabilities": {"50": "5"},
            "purchase_order_statuses": {"Ordered": "2"},
        },
    }
)

# (name, wire class, payload, to canonical, from canonical, unmapped attributes of the wire model)
CASES: list[tuple[str, type[Any], dict[str, Any], Any, Any, frozenset[str]]] = [
    (
        "company",
        cw.Company,
        P.COMPANY,
        m.company_to_customer,
        m.company_from_canonical,
        m.UNMAPPED_COMPANY_FIELDS,
    ),
    (
        "vendor",
        cw.Company,
        P.VENDOR_COMPANY,
        m.company_to_vendor,
        m.company_from_vendor,
        m.UNMAPPED_VENDOR_FIELDS,
    ),
    (
        "contact",
        cw.Contact,
        P.CONTACT,
        m.contact_to_contact,
        m.contact_from_canonical,
        m.UNMAPPED_CONTACT_FIELDS,
    ),
    (
        "catalog_item",
        cw.CatalogItem,
        P.CATALOG_ITEM,
        m.catalog_item_to_product,
        m.catalog_item_from_canonical,
        m.UNMAPPED_CATALOG_ITEM_FIELDS,
    ),
    (
        "agreement",
        cw.Agreement,
        P.AGREEMENT,
        m.agreement_to_agreement,
        m.agreement_from_canonical,
        m.UNMAPPED_AGREEMENT_FIELDS,
    ),
    (
        "invoice",
        cw.Invoice,
        P.INVOICE,
        m.invoice_to_invoice,
        m.invoice_from_canonical,
        m.UNMAPPED_INVOICE_FIELDS,
    ),
    (
        "time_entry",
        cw.TimeEntry,
        P.TIME_ENTRY,
        m.time_entry_to_time_entry,
        m.time_entry_from_canonical,
        m.UNMAPPED_TIME_ENTRY_FIELDS,
    ),
    ("ticket", cw.Ticket, P.TICKET, m.ticket_to_ticket, m.ticket_from_canonical, m.UNMAPPED_TICKET_FIELDS),
    (
        "opportunity",
        cw.Opportunity,
        P.OPPORTUNITY,
        m.opportunity_to_opportunity,
        m.opportunity_from_canonical,
        m.UNMAPPED_OPPORTUNITY_FIELDS,
    ),
]


CASES += [
    (
        "contact-fixture",
        cw.Contact,
        P.CONTACT_FIXTURE,
        m.contact_to_contact,
        m.contact_from_canonical,
        m.UNMAPPED_CONTACT_FIELDS,
    ),
    (
        "time-fixture",
        cw.TimeEntry,
        P.TIME_ENTRY_FIXTURE,
        m.time_entry_to_time_entry,
        m.time_entry_from_canonical,
        m.UNMAPPED_TIME_ENTRY_FIELDS,
    ),
    (
        "invoice-fixture",
        cw.Invoice,
        P.INVOICE_FIXTURE,
        m.invoice_to_invoice,
        m.invoice_from_canonical,
        m.UNMAPPED_INVOICE_FIELDS,
    ),
]


@pytest.mark.parametrize(
    ("name", "cls", "payload", "to_canonical", "from_canonical", "unmapped"), CASES, ids=[c[0] for c in CASES]
)
def test_round_trip_preserves_every_mapped_field(name, cls, payload, to_canonical, from_canonical, unmapped):
    original = cls.from_api(payload)
    canonical = to_canonical(original, CONFIG)
    assert to_canonical(payload, CONFIG) == canonical  # raw payloads map the same as parsed models
    back = from_canonical(canonical, CONFIG)
    check_round_trip(original, back, unmapped, CUSTOM_FIELD_DEFINITION)
    assert cls.from_api(back.to_api()) == back  # what a mapper builds serialises and parses back
    if not name.startswith(
        "invoice"
    ):  # CW invoices carry no lines; the summary lines come from read-only totals
        again = to_canonical(back, CONFIG)
        one_way = ONE_WAY.get(name, {})
        assert attrs.evolve(again, updated_at=canonical.updated_at, **one_way) == attrs.evolve(
            canonical, **one_way
        )


# custom-field definition metadata: only id, caption and value are written
CUSTOM_FIELD_DEFINITION = frozenset({"type", "entry_method", "number_of_decimals", "connect_wise_id"})

# canonical fields read from CW but never written back (derived or read-only there)
ONE_WAY: dict[str, dict[str, Any]] = {"ticket": {"escalated": False, "opened_at": None}}


def test_addition_and_purchase_order_lines_round_trip():
    for raw in P.ADDITIONS:
        original = cw.AgreementAddition.from_api(raw)
        back = m.addition_from_canonical(m.addition_to_agreement_addition(original, CONFIG), CONFIG)
        check_round_trip(original, back, m.UNMAPPED_ADDITION_FIELDS)
    order = cw.PurchaseOrder.from_api(P.PURCHASE_ORDER)
    lines = [cw.PurchaseOrderLineItem.from_api(x) for x in P.PURCHASE_ORDER_LINES]
    canonical = m.purchase_order_to_purchase_order(order, CONFIG, lines=lines)
    header, back_lines = m.purchase_order_from_canonical(canonical, CONFIG)
    check_round_trip(order, header, m.UNMAPPED_PURCHASE_ORDER_FIELDS)
    for a, b in zip(lines, back_lines, strict=True):
        check_round_trip(a, b, m.UNMAPPED_PURCHASE_ORDER_LINE_FIELDS | {"id", "last_updated"})
    assert canonical.lines_total() == Money("1198.0", "USD")


def test_company_values():
    customer = m.company_to_customer(P.COMPANY, CONFIG)
    assert customer.id_for("connectwise", "company") == "250"
    own = customer.ref_for("connectwise")
    assert own is not None and own.version == "2026-05-01T10:20:30+00:00"
    assert customer.terms == "Net 30 days"
    assert customer.credit_limit == Money("25000", "USD")
    assert customer.custom_fields["sla"] == "Gold"
    assert customer.owner is not None and customer.owner.id_for("connectwise", "member") == "jdoe"
    assert customer.billing_address is not None and customer.billing_address.country == "United States"
    inactive = m.company_to_customer({**P.COMPANY, "status": {"id": 2, "name": "Inactive"}}, CONFIG)
    assert not inactive.active


def test_agreement_mrr_from_cw_payload():
    agreement = m.agreement_to_agreement(P.AGREEMENT, CONFIG, additions=P.ADDITIONS)
    assert agreement.billing_cycle is BillingCycle.MONTHLY
    assert agreement.mrr() == Money("2625.00", "USD")  # 1500 + 25 x 45; the backup addition is cancelled
    assert agreement.mrr(date(2026, 2, 1)) == Money("2665.00", "USD")  # + (3 - 1 included) x 20
    quarterly = m.agreement_to_agreement(
        {**P.AGREEMENT, "billingCycle": {"id": 3, "name": "Quarterly"}}, CONFIG
    )
    assert quarterly.mrr() == Money("500.00", "USD")


def test_unknown_billing_cycle_is_a_mapping_error():
    with pytest.raises(MappingError) as info:
        m.agreement_to_agreement(
            {**P.AGREEMENT, "billingCycle": {"id": 9, "name": "Fortnightly-ish"}}, CONFIG
        )
    assert info.value.path == "Agreement.billing_cycle"
    assert info.value.value == "Fortnightly-ish"


def test_invoice_summary_lines_cover_the_subtotal():
    invoice = m.invoice_to_invoice(P.INVOICE, CONFIG)
    assert invoice.status is InvoiceStatus.PARTIALLY_PAID
    assert [line.product_class for line in invoice.lines] == ["Agreement", "Service"]
    assert invoice.lines_total() == invoice.subtotal == Money("2737.50", "USD")
    odd = m.invoice_to_invoice({**P.INVOICE, "subtotal": 2740.00}, CONFIG)
    assert odd.lines[-1].description == "Adjustments"
    assert odd.lines[-1].amount == Money("2.50", "USD")
    assert odd.lines_total() == Money("2740.00", "USD")


def test_invoice_detail_lines_from_products_and_time():
    product_line = m.product_item_to_invoice_line(P.PRODUCT_ITEM, CONFIG)
    time_line = m.time_entry_to_invoice_line(P.TIME_ENTRY, CONFIG)
    assert product_line.sku == "FW-60F"
    assert product_line.amount == Money("1599.99", "USD")
    assert time_line.amount == Money("225.00", "USD")
    assert time_line.product == Link.to(QUICKBOOKS, "Item", "2")  # work type -> QBO service item
    invoice = m.invoice_to_invoice(P.INVOICE, CONFIG, lines=[product_line, time_line])
    assert len(invoice.lines) == 2


def test_time_entry_values():
    entry = m.time_entry_to_time_entry(P.TIME_ENTRY, CONFIG)
    assert entry.hours == Decimal("1.5")
    assert entry.billable is BillableStatus.BILLABLE
    assert entry.billable_amount() == Money("225.00", "USD")
    assert entry.cost_amount() == Money("67.50", "USD")
    assert entry.ticket is not None and entry.ticket.id_for("connectwise", "ticket") == "54321"
    billed = m.time_entry_to_time_entry({**P.TIME_ENTRY, "status": "Billed"}, CONFIG)
    assert billed.billable is BillableStatus.BILLED


def test_payment_both_ways():
    payment = m.invoice_payment_to_payment(P.INVOICE_PAYMENT, CONFIG)
    assert payment.total == Money("2000", "USD")
    assert payment.allocations[0].target.id_for("connectwise", "invoice") == "4410"
    [(invoice_id, back)] = m.invoice_payments_from_canonical(payment, CONFIG)
    assert invoice_id == 4410
    check_round_trip(cw.InvoicePayment.from_api(P.INVOICE_PAYMENT), back, m.UNMAPPED_PAYMENT_FIELDS)


def test_missing_links_name_the_path():
    customer = m.company_to_customer(P.COMPANY, CONFIG)
    foreign_parent = Link(display="?")  # a parent known by no system
    with pytest.raises(MappingError) as info:
        m.company_from_canonical(attrs.evolve(customer, parent=foreign_parent), CONFIG)
    assert info.value.path == "Company.parentCompany"
    with pytest.raises(MappingError, match=r"Invoice\.customer"):
        m.invoice_to_invoice({**P.INVOICE, "company": None}, CONFIG)
    with pytest.raises(MappingError, match=r"^Customer: expected a Company"):
        m.company_to_customer([1, 2], CONFIG)  # type: ignore[arg-type]


RANDOM = [
    (m.company_to_customer, P.COMPANY),
    (m.company_to_vendor, P.VENDOR_COMPANY),
    (m.contact_to_contact, P.CONTACT),
    (m.catalog_item_to_product, P.CATALOG_ITEM),
    (m.agreement_to_agreement, P.AGREEMENT),
    (m.addition_to_agreement_addition, P.ADDITIONS[0]),
    (m.invoice_to_invoice, P.INVOICE),
    (m.invoice_payment_to_payment, P.INVOICE_PAYMENT),
    (m.time_entry_to_time_entry, P.TIME_ENTRY),
    (m.time_entry_to_invoice_line, P.TIME_ENTRY),
    (m.product_item_to_invoice_line, P.PRODUCT_ITEM),
    (m.ticket_to_ticket, P.TICKET),
    (m.opportunity_to_opportunity, P.OPPORTUNITY),
    (m.purchase_order_to_purchase_order, P.PURCHASE_ORDER),
    (m.site_to_address, P.BILLING_SITE),
]


@pytest.mark.parametrize(("fn", "sample"), RANDOM, ids=[f.__name__ for f, _ in RANDOM])
def test_random_payloads_map_or_raise_mapping_error(fn, sample):
    @settings(max_examples=35, deadline=None)
    @given(mutated(sample))
    def run(payload):
        maps_or_raises_mapping_error(lambda p: fn(p, CONFIG), payload)

    run()


def test_map_each_collects_failures():
    from msplink.mappers import map_each

    rows = [
        P.COMPANY,
        {**P.COMPANY, "name": None},
        {**P.COMPANY, "id": 251, "currency": {"currencyCode": "dollars"}},
    ]
    batch = map_each(m.company_to_customer, rows, CONFIG)
    assert not batch.ok
    assert [c.name for c in batch.mapped] == ["Contoso Ltd"]
    assert [(f.index, f.error.path) for f in batch.failures] == [
        (1, "Customer.name"),
        (2, "Customer.currency"),
    ]
    assert set(batch.unmapped_report().to_dict()) == {"Customer.name", "Customer.currency"}


def test_creating_in_connectwise_from_other_systems():
    from msplink.models import CONNECTWISE, SALESFORCE, Customer, ExternalRef, Ticket, TimeEntry

    account = Customer(name="Édge Communications, Inc.", refs=[ExternalRef(SALESFORCE, "Account", "001A")])
    assert m.company_from_canonical(account, CONFIG).identifier == "EdgeCommunicationsInc"
    with pytest.raises(MappingError) as info:
        m.company_from_canonical(Customer(name="!!!"), CONFIG)
    assert info.value.path == "Company.identifier"
    with pytest.raises(MappingError, match=r"^Ticket\.company"):
        m.ticket_from_canonical(Ticket(summary="VPN down"), CONFIG)
    existing = Ticket(summary="VPN down", refs=[ExternalRef(CONNECTWISE, "ticket", 5)])
    assert m.ticket_from_canonical(existing, CONFIG).company is None  # updates need not repeat it
    qbo_time = TimeEntry(
        hours="1.5", work_date=date(2026, 2, 3), member=Link.to(CONNECTWISE, "member", "jdoe")
    )
    out = m.time_entry_from_canonical(qbo_time, CONFIG)
    assert out.to_api()["timeStart"] == "2026-02-03T00:00:00Z"
    assert out.actual_hours == Decimal("1.5")


def test_billing_site_gives_the_billing_address():
    from msplink.models import Address

    customer = m.company_to_customer(P.COMPANY, CONFIG, billing_site=P.BILLING_SITE)
    assert customer.billing_address == Address(
        line1="PO Box 77", city="Austin", region="TX", postal_code="78767", country="United States"
    )
    assert m.site_to_address(P.BILLING_SITE, CONFIG) == customer.billing_address
    site = m.site_from_canonical(customer.billing_address, CONFIG, name="Billing")
    check_round_trip(cw.CompanySite.from_api(P.BILLING_SITE), site, {"id", "company", "primary_address_flag"})
    with pytest.raises(MappingError, match="two street lines"):
        m.site_from_canonical(Address(line1="a", line2="b", line3="c"), CONFIG)
