"""``fields_of``: the flat, comparable view of a canonical record that a sync planner diffs and hashes."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import msplink.models as models
from msplink.models import (
    CONNECTWISE,
    QUICKBOOKS,
    Address,
    Customer,
    ExternalRef,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    Link,
    Money,
    Record,
    fields_of,
)

SCALARS = (str, int, bool, Decimal, date, datetime)

text = st.text(min_size=1, max_size=8)
amounts = st.decimals(min_value=-10_000, max_value=10_000, places=2, allow_nan=False, allow_infinity=False)
money = st.builds(Money, amounts, st.just("USD"))
links = st.builds(lambda i: Link.to(CONNECTWISE, "company", i, display=f"#{i}"), st.integers(1, 5))
addresses = st.builds(
    Address, line1=st.none() | text, city=st.none() | text, country=st.none() | text
).filter(lambda a: not a.is_empty())
refs = st.frozensets(
    st.builds(ExternalRef, st.just(QUICKBOOKS), st.just("Customer"), st.integers(1, 9)), max_size=2
)
stamps = st.none() | st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(timezone.utc)
)
customers = st.builds(
    Customer,
    name=text,
    refs=refs,
    updated_at=stamps,
    active=st.booleans(),
    email=st.none() | text,
    balance=st.none() | money,
    billing_address=st.none() | addresses,
    parent=st.none() | links,
    employee_count=st.none() | st.integers(0, 500),
    custom_fields=st.dictionaries(st.sampled_from(["sla", "region"]), text, max_size=2),
)
lines = st.builds(
    InvoiceLine,
    amount=money,
    description=st.none() | text,
    quantity=st.none() | amounts,
    product=st.none() | links,
)
invoices = st.builds(
    Invoice,
    customer=links,
    currency=st.just("USD"),
    refs=refs,
    updated_at=stamps,
    number=st.none() | text,
    status=st.sampled_from(InvoiceStatus),
    issue_date=st.none() | st.dates(date(2020, 1, 1), date(2030, 1, 1)),
    lines=st.lists(lines, max_size=3).map(tuple),
    total=st.none() | money,
)


def _content(record: Any) -> Any:
    return attrs.evolve(record, refs=frozenset(), updated_at=None)


@given(st.one_of(customers, invoices), st.one_of(customers, invoices))
def test_equal_mappings_exactly_when_the_compared_fields_are_equal(a: Any, b: Any) -> None:
    if type(a) is type(b):
        assert (fields_of(a) == fields_of(b)) == (_content(a) == _content(b))


@given(st.one_of(customers, invoices), refs, stamps)
def test_provenance_does_not_change_the_mapping(record: Any, other_refs: Any, other_stamp: Any) -> None:
    moved = attrs.evolve(record, refs=other_refs, updated_at=other_stamp)
    assert fields_of(moved) == fields_of(record)


@given(st.one_of(customers, invoices))
def test_paths_are_sorted_flat_and_values_are_scalars(record: Any) -> None:
    flat = fields_of(record)
    assert list(flat) == sorted(flat)
    assert all(isinstance(v, SCALARS) for v in flat.values())
    assert not {"refs", "updated_at"} & {p.split(".")[0].split("[")[0] for p in flat}
    assert flat["deleted"] is record.deleted


@given(amounts)
def test_money_is_amount_and_currency_with_one_spelling_per_amount(amount: Decimal) -> None:
    padded = Money(amount.quantize(Decimal("0.0001")), "usd")
    flat = fields_of(Customer(name="A", balance=padded))
    assert flat["balance.amount"] == amount and flat["balance.currency"] == "USD"
    assert str(flat["balance.amount"]) == str(
        fields_of(Customer(name="A", balance=Money(amount, "USD")))["balance.amount"]
    )


def test_an_object_without_any_value_is_no_value() -> None:
    assert fields_of(Customer(name="A", billing_address=Address(), parent=Link())) == fields_of(
        Customer(name="A")
    )


def test_a_worked_example() -> None:
    invoice = Invoice(
        refs=ExternalRef(CONNECTWISE, "invoice", 7),
        updated_at=datetime(2026, 5, 1, tzinfo=timezone.utc) + timedelta(hours=1),
        customer=Link.to(CONNECTWISE, "company", 250, display="Contoso"),
        currency="USD",
        number="INV-7",
        status=InvoiceStatus.OPEN,
        lines=(InvoiceLine(amount=Money("100.00", "USD"), quantity=Decimal("2.0"), description="Backup"),),
        custom_fields={"crew": "7"},
    )
    assert fields_of(invoice) == {
        "currency": "USD",
        "custom_fields.crew": "7",
        "customer": "connectwise:company:250",
        "deleted": False,
        "lines[0].amount.amount": Decimal("100"),
        "lines[0].amount.currency": "USD",
        "lines[0].description": "Backup",
        "lines[0].kind": "Item",
        "lines[0].quantity": Decimal("2"),
        "number": "INV-7",
        "status": InvoiceStatus.OPEN.value,
    }


@pytest.mark.parametrize(
    "cls",
    sorted((c for c in vars(models).values() if isinstance(c, type) and issubclass(c, Record)), key=str),
)
def test_every_canonical_record_carries_refs_and_updated_at(cls: type[Record]) -> None:
    names = {f.name for f in attrs.fields(cls)}
    assert {"refs", "updated_at", "deleted", "custom_fields"} <= names


def test_only_attrs_records_are_accepted() -> None:
    with pytest.raises(TypeError, match="expects a canonical record"):
        fields_of({"name": "Acme"})
