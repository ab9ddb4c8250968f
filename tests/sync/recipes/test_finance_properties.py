"""Hypothesis properties of the finance recipes' parsers and mappers: posting tags round-trip, invoice
lines add up to the CW subtotal to the cent (or the record is a dead letter), and the hours of a
TimeActivity read back exactly as the recipe compares them (so a rerun never rewrites it)."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from msplink.connectwise import models as cw
from msplink.errors import MappingError
from msplink.mappers import MappingConfig, find_mapper, line_amount
from msplink.models import ExternalRef, Invoice, Link, TimeEntry
from msplink.sync.recipes._invoicing import InvoiceBundle, bundle_to_invoice, qbo_invoice_to_invoice
from msplink.sync.recipes._postings import contributions, tag
from msplink.sync.recipes._time import _minutes

CONFIG = MappingConfig.from_dict(
    {"default_item": "1", "penny_adjustment_item": "99", "catalog_items": {"A": "7"}}
)
QBO_INVOICE = find_mapper("quickbooks", "Invoice", Invoice)

money = st.decimals(min_value=Decimal("-9999.9999"), max_value=Decimal("9999.9999"), places=4)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.integers(min_value=1, max_value=10**9).map(str), money, max_size=20))
def test_a_tag_reads_back_what_it_wrote(amounts: dict[str, Decimal]) -> None:
    text = f"Labour cost {tag(amounts)} (checked)"
    assert contributions(text) == amounts
    assert contributions(text + " " + tag(amounts)) == {k: 2 * v for k, v in amounts.items()}


quantities = st.decimals(min_value=Decimal("0.25"), max_value=Decimal("50"), places=2)
prices = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("2000"), places=3)


def _bundle(products: list[tuple[Decimal, Decimal]], subtotal: Decimal) -> InvoiceBundle:
    invoice = cw.Invoice.from_api(
        {
            "id": 1, "invoiceNumber": "INV-1", "type": "Standard", "status": {"id": 1, "name": "Sent"},
            "company": {"id": 5, "identifier": "Acme", "name": "Acme"}, "date": "2026-03-01T00:00:00Z",
            "subtotal": subtotal, "salesTax": 0, "total": subtotal, "balance": subtotal, "taxableFlag": False,
            "productTotal": subtotal, "currency": {"currencyCode": "USD"},
        }
    )  # fmt: skip
    items = tuple(
        cw.ProductItem.from_api(
            {
                "id": n + 1,
                "catalogItem": {"id": 3, "identifier": "A"},
                "description": f"line {n}",
                "quantity": q,
                "price": p,
                "billableOption": "Billable",
                "productClass": "Hardware",
                "invoice": {"id": 1, "identifier": "INV-1"},
            }
        )
        for n, (q, p) in enumerate(products)
    )
    return InvoiceBundle(invoice=invoice, products=items)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(quantities, prices), min_size=1, max_size=6), st.integers(min_value=-8, max_value=8)
)
def test_lines_add_up_to_the_cw_subtotal_or_the_invoice_is_a_dead_letter(
    products: list[tuple[Decimal, Decimal]], cents: int
) -> None:
    exact = sum((q * p for q, p in products), Decimal(0))
    subtotal = exact.quantize(Decimal("0.01")) + Decimal(cents) / 100
    bundle = _bundle(products, subtotal)
    rounded = sum((line_amount(q, p) for q, p in products), Decimal(0))
    if abs(subtotal - rounded) > CONFIG.penny_tolerance:
        with pytest.raises(MappingError, match="exceeds the penny tolerance"):
            bundle_to_invoice(bundle, CONFIG)
        return
    invoice = bundle_to_invoice(bundle, CONFIG)
    assert sum((line.amount.amount for line in invoice.lines), Decimal(0)) == subtotal
    pennies = [line for line in invoice.lines if line.description == "Rounding adjustment"]
    assert len(pennies) == (1 if subtotal != rounded else 0)
    for line in invoice.lines:
        assert line.quantity is not None and line.unit_price is not None
        assert line.amount.amount == line_amount(line.quantity, line.unit_price.amount)  # rule 6070
    # what QuickBooks would store reads back as the same lines: a rerun writes nothing
    written = attrs.evolve(invoice, customer=Link.to("quickbooks", "Customer", "5"))
    wire = QBO_INVOICE.outbound(written, CONFIG)
    back = qbo_invoice_to_invoice(wire.to_api() | {"Id": "9", "SyncToken": "0"}, CONFIG)
    assert back.lines == invoice.lines


TIME_ACTIVITY = find_mapper("quickbooks", "TimeActivity", TimeEntry)


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("24"), places=3))
def test_time_activity_hours_read_back_as_compared(hours: Decimal) -> None:
    compared = _minutes(hours)
    entry = TimeEntry(
        hours=compared,
        member=Link(
            refs={ExternalRef("quickbooks", "Employee", "1"), ExternalRef("connectwise", "member", "cdiaz")}
        ),
        customer=Link.to("quickbooks", "Customer", "5"),
        hourly_rate=CONFIG.money("125"),
        notes="x [cw-time 1]",
    )
    wire = TIME_ACTIVITY.outbound(entry, CONFIG)
    back = TIME_ACTIVITY.inbound(wire.to_api() | {"Id": "1", "SyncToken": "0"}, CONFIG)
    assert back.hours == compared
    assert abs(compared - hours) <= Decimal(1) / 120  # within half a minute
