from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from msplink.errors import MappingError
from msplink.mappers import QBO_ROUNDING, line_amount, penny_adjustment
from msplink.models import Money


@pytest.mark.parametrize(
    ("qty", "price", "amount"),
    [
        ("16.5", "75", "1237.50"),
        ("3", "0.125", "0.38"),  # 0.375 -> 0.38, half up
        ("1", "0.005", "0.01"),
        ("1", "-0.005", "-0.01"),  # half away from zero
        ("0.333", "10", "3.33"),
        ("2", "19.995", "39.99"),
        ("7", "1.4285", "10.00"),  # 9.9995 -> 10.00
    ],
)
def test_line_amount_is_rounded_half_up_to_cents(qty, price, amount):
    assert line_amount(Decimal(qty), Decimal(price)) == Decimal(amount)
    assert QBO_ROUNDING == ROUND_HALF_UP


def test_line_amount_refuses_floats():
    with pytest.raises(TypeError):
        line_amount(1.5, Decimal(1))  # type: ignore[arg-type]


def usd(x: str) -> Money:
    return Money(x, "USD")


def test_penny_adjustment():
    tol = Decimal("0.05")
    assert penny_adjustment(usd("100.00"), usd("100.004"), tolerance=tol, path="p") is None
    assert penny_adjustment(usd("99.99"), usd("100.00"), tolerance=tol, path="p") == usd("0.01")
    assert penny_adjustment(usd("100.03"), usd("100.00"), tolerance=tol, path="p") == usd("-0.03")
    with pytest.raises(MappingError, match="exceeds the penny tolerance") as info:
        penny_adjustment(usd("90"), usd("100"), tolerance=tol, path="Invoice.total")
    assert info.value.path == "Invoice.total"
    with pytest.raises(MappingError, match="EUR"):
        penny_adjustment(usd("1"), Money("1", "EUR"), tolerance=tol, path="p")


qty = st.decimals(min_value=0, max_value=10000, places=4, allow_nan=False, allow_infinity=False)
price = st.decimals(min_value=-10000, max_value=10000, places=4, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(qty, price)
def test_line_amount_properties(q, p):
    amount = line_amount(q, p)
    exact = q * p
    assert amount.as_tuple().exponent == -2
    assert abs(amount - exact) <= Decimal("0.005")
    assert line_amount(q, -p) == -amount  # symmetric: half away from zero
