"""The planner's and run loop's CPU shortcuts give what the long way gives: memoised value hashes, one
flattening per diffed source record, the page watermark without one instance per record, memoised
name and domain keys."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from msplink.models import Address, Customer, ExternalRef, Link, Money
from msplink.sync import Owner, by_name
from msplink.sync._identity import domain_key, name_key
from msplink.sync._model import Watermark
from msplink.sync._plan import Spec, _Planner
from msplink.sync._protocols import RemoteRecord
from msplink.sync._session import _mark
from msplink.sync._values import ENVELOPE, _digest, field_values, get_path, leaf, value_hash

PLAIN = st.none() | st.text(max_size=12) | st.integers() | st.booleans() | st.decimals(allow_nan=False)


@given(PLAIN)
def test_a_memoised_hash_is_the_hash_computed_afresh(value: object) -> None:
    assert value_hash(value) == _digest(value)
    assert value_hash(value) == _digest(value)  # the second call is served by the memo


def test_the_memo_keeps_apart_what_compares_equal_but_hashes_apart() -> None:
    assert value_hash(1) == _digest(1) != value_hash(True) == _digest(True)
    assert value_hash(0) != value_hash(False)
    assert value_hash(Decimal("1.0")) == value_hash(Decimal("1.00"))  # normalised, as before
    assert value_hash(Decimal("-0")) == _digest(Decimal("-0"))
    assert value_hash(Decimal("0")) == _digest(Decimal("0"))
    assert value_hash(None) == _digest(None) != value_hash("")


NAMES = st.sampled_from(["Acme", "Globex", None, "Initech Inc"])


@given(name=NAMES, parent=st.booleans(), city=st.sampled_from([None, "Austin"]))
def test_one_flattening_gives_both_sides_of_a_source_record(
    name: str | None, parent: bool, city: str | None
) -> None:
    link = Link.to("a", "customer", "5").with_ref(ExternalRef("b", "customer", "77")) if parent else None
    record = Customer(
        refs=ExternalRef("a", "customer", "1", "1"), name=name or "X", parent=link,
        billing_address=Address(city=city) if city else None,
    )  # fmt: skip
    fields = frozenset({"name", "parent", "billing_address.city"})
    spec = Spec(
        flow="f", source=("a", "customer"), target=("b", "customer"), rules=(by_name(),),
        owner=lambda path: Owner.SOURCE, fields=fields,
    )  # fmt: skip
    own, cmp = _Planner(spec, {}, {}, {})._sides(record)
    assert own == field_values(record, system="a", fields=fields)
    assert cmp == field_values(record, system="b", fields=fields)
    assert (own is cmp) is not parent


def _at(minutes: int) -> datetime:
    return datetime(2026, 3, 1, tzinfo=timezone.utc) + timedelta(minutes=minutes)


def test_the_page_mark_is_the_newest_time_then_the_highest_id() -> None:
    records = [
        RemoteRecord(id="9", updated_at=_at(1)),
        RemoteRecord(id="2", updated_at=_at(5)),
        RemoteRecord(id="10", updated_at=_at(5)),
        RemoteRecord(id="x"),
    ]
    assert _mark(records) == Watermark(updated_at=_at(5), id="2")  # "2" > "10" as text, as before
    assert _mark([RemoteRecord(id="1")]) is None
    assert _mark([]) is None


def test_a_naive_change_time_is_refused_as_the_watermark_refuses_it() -> None:
    naive = RemoteRecord(id="1", updated_at=_at(1))
    object.__setattr__(naive, "updated_at", datetime(2026, 3, 1))  # a store that bypassed validation
    with pytest.raises(ValueError, match="timezone-aware"):
        _mark([RemoteRecord(id="0", updated_at=_at(9)), naive])


@given(st.text(max_size=20))
def test_memoised_keys_are_the_functions_keys(text: str) -> None:
    assert name_key(text) == name_key.__wrapped__(text)
    assert domain_key(text) == domain_key.__wrapped__(text)


# --- field_values / get_path against the straightforward definitions they replaced


def _reference_flatten(out: dict[str, object], path: str, value: object, system: str | None) -> None:
    if type(value) in {type(None), str, int, bool, Decimal, date, datetime}:
        out[path] = value
    elif attrs.has(type(value)) and not isinstance(value, (Money, Link, ExternalRef)):
        cls: Any = type(value)
        for attribute in attrs.fields(cls):
            _reference_flatten(out, f"{path}.{attribute.name}", getattr(value, attribute.name), system)
    elif isinstance(value, Mapping):
        if not value:
            out[path] = None
        for key in sorted(value, key=str):
            _reference_flatten(out, f"{path}.{key}", value[key], system)
    else:
        out[path] = leaf(value, system)


def _reference_get_path(record: object, path: str) -> object:
    value: object = record
    for step in path.split("."):
        if value is None:
            return None
        if isinstance(value, Mapping):
            value = value.get(step)
        elif attrs.has(type(value)):
            value = getattr(value, step, None)
        else:
            return None
    return value


CUSTOMERS = st.builds(
    Customer,
    refs=st.just(ExternalRef("a", "customer", "1", "1")),
    name=st.text(min_size=1, max_size=5),
    email=st.none() | st.just("a@b.example"),
    billing_address=st.none() | st.builds(Address, city=st.none() | st.text(max_size=4)),
    credit_limit=st.none()
    | st.builds(Money, st.decimals(places=2, allow_nan=False, allow_infinity=False), st.just("USD")),
    parent=st.none() | st.just(Link.to("a", "customer", "5")),
    custom_fields=st.dictionaries(
        st.sampled_from(["x", "y", "cw_id"]), st.none() | st.text(max_size=3), max_size=3
    ),
)
PATHS = st.sampled_from(
    ["name", "email", "billing_address", "billing_address.city", "credit_limit.amount", "credit_limit.currency",
     "parent", "parent.refs", "custom_fields", "custom_fields.x", "custom_fields.cw_id.z", "name.length", "nope"]
)  # fmt: skip


@given(CUSTOMERS, st.sampled_from([None, "a", "b"]), PATHS)
def test_flattening_and_paths_are_what_the_plain_definitions_give(
    record: Customer, system: str | None, path: str
) -> None:
    expected: dict[str, object] = {}
    for attribute in attrs.fields(Customer):
        if attribute.name not in ENVELOPE:
            _reference_flatten(expected, attribute.name, getattr(record, attribute.name), system)
    assert field_values(record, system=system) == expected
    assert get_path(record, path) == _reference_get_path(record, path)
