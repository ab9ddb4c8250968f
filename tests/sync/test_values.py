"""Field values: flat paths, merging, the tagged codec and ledger hashes."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from msplink.models import Address, BillingCycle, Customer, ExternalRef, Link, Money
from msplink.sync._values import (
    UNRESOLVED,
    decode,
    encode,
    field_values,
    get_path,
    in_scope,
    merge_paths,
    value_hash,
)


def test_field_values_flattens_records_and_leaves_the_envelope_out() -> None:
    customer = Customer(
        refs=ExternalRef("a", "customer", "1", "3"),
        updated_at=datetime(2026, 1, 1, tzinfo=timezone.utc),
        name="Acme",
        billing_address=Address(city="Austin"),
        credit_limit=Money(Decimal("10.00"), "USD"),
        parent=Link.to("a", "customer", "5"),
        custom_fields={"cw_id": "250"},
    )
    values = field_values(customer)
    assert "refs" not in values and "updated_at" not in values and "deleted" not in values
    assert values["billing_address.city"] == "Austin"
    assert values["billing_address.line1"] is None
    assert values["shipping_address"] is None
    assert values["credit_limit"] == Money(Decimal("10.00"), "USD")
    assert values["custom_fields.cw_id"] == "250"
    assert values["parent"] == Link.to("a", "customer", "5")
    assert field_values(customer, system="b")["parent"] is UNRESOLVED
    assert field_values(customer, system="a")["parent"] == "a:customer:5"
    assert field_values(Customer(name="x"))["custom_fields"] is None
    assert get_path(customer, "billing_address.city") == "Austin"
    assert get_path(customer, "shipping_address.city") is None
    assert get_path(customer, "custom_fields.cw_id") == "250"
    assert in_scope("billing_address.city", frozenset({"billing_address"}))
    assert in_scope("billing_address", frozenset({"billing_address.city"}))
    assert not in_scope("billing", frozenset({"billing_address"}))


def test_merge_paths_changes_only_the_paths_given() -> None:
    target = Customer(name="T", email="t@x.com", billing_address=Address(city="Dallas", postal_code="1"))
    source = Customer(name="S", email="s@x.com", billing_address=Address(city="Austin"))
    merged = merge_paths(target, source, ["email", "billing_address.city"], {})
    assert (merged.name, merged.email, merged.billing_address) == (
        "T",
        "s@x.com",
        Address(city="Austin", postal_code="1"),
    )
    assert merge_paths(target, source, ["email"], {"email": "v@x.com"}).email == "v@x.com"
    bare = Customer(name="T")
    assert merge_paths(bare, source, ["billing_address.city"], {}).billing_address == Address(city="Austin")


VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=10)
    | st.decimals(allow_nan=False, allow_infinity=False, places=4)
    | st.dates()
    | st.datetimes(timezones=st.just(timezone(timedelta(hours=-5))))
    | st.sampled_from(list(BillingCycle))
    | st.builds(Address, city=st.text(max_size=5), postal_code=st.none() | st.text(max_size=5))
    | st.builds(Money, st.decimals(allow_nan=False, allow_infinity=False, places=2), st.just("EUR")),
    lambda inner: (
        st.tuples(inner, inner)
        | st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)


@given(VALUES)
def test_codec_round_trips_every_field_value(value: object) -> None:
    data = json.loads(json.dumps(encode(value)))
    assert decode(data) == value


def test_hashes_are_stable_and_numeric() -> None:
    assert value_hash(Decimal("1.0")) == value_hash(Decimal("1.00")) == value_hash(Decimal("1"))
    assert value_hash(Money(Decimal("5.10"), "USD")) == value_hash(Money(Decimal("5.1"), "USD"))
    assert value_hash("a") != value_hash("A")
    assert value_hash(None) != value_hash("")
    assert value_hash(date(2026, 1, 2)) == value_hash(date(2026, 1, 2))
    assert len(value_hash({"a": [1, 2]})) == 32


def test_the_codec_refuses_what_it_does_not_carry() -> None:
    with pytest.raises(TypeError):
        encode(object())
    assert decode(encode(1.5)) == 1.5  # a custom field may hold a float; money never does
    with pytest.raises(ValueError, match="unknown value class"):
        decode({"$attrs": "Popen", "v": {}})
    with pytest.raises(ValueError, match="unknown tagged value"):
        decode({"$eval": "1"})
