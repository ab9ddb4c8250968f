from decimal import ROUND_HALF_EVEN, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from msplink.models import CurrencyMismatchError, Money, minor_units

amounts = st.decimals(min_value=-(10**9), max_value=10**9, allow_nan=False, allow_infinity=False, places=4)
currencies = st.sampled_from(["USD", "EUR", "JPY", "KWD", "GBP"])


def test_construction_normalises_and_converts():
    assert Money("12.50", "usd") == Money(Decimal("12.5"), "USD")
    assert Money(3, "EUR").amount == Decimal(3)
    assert str(Money("1.20", "GBP")) == "1.20 GBP"


@pytest.mark.parametrize("bad", [1.5, True, None, object()])
def test_refuses_float_bool_and_other_types(bad):
    with pytest.raises(TypeError):
        Money(bad, "USD")


@pytest.mark.parametrize("bad", ["abc", "NaN", "Infinity"])
def test_refuses_non_finite_text(bad):
    with pytest.raises(ValueError, match="number"):
        Money(bad, "USD")


@pytest.mark.parametrize("code", ["US", "USDX", "12A", ""])
def test_refuses_bad_currency(code):
    with pytest.raises(ValueError, match="ISO 4217"):
        Money(1, code)


def test_arithmetic():
    a, b = Money("10.10", "USD"), Money("0.95", "USD")
    assert a + b == Money("11.05", "USD")
    assert a - b == Money("9.15", "USD")
    assert -a == Money("-10.10", "USD")
    assert abs(Money("-2", "USD")) == Money(2, "USD")
    assert a * 3 == Money("30.30", "USD")
    assert 2 * a == Money("20.20", "USD")
    assert a * Decimal("0.5") == Money("5.05", "USD")
    assert (Money(10, "USD") / 4) == Money("2.5", "USD")
    assert sum([a, b]) == Money("11.05", "USD")
    assert Money.sum([a, b, b], "USD") == Money("12.00", "USD")
    assert Money.sum([], "EUR") == Money.zero("EUR")


def test_comparison():
    assert Money(1, "USD") < Money(2, "USD") <= Money(2, "USD")
    assert Money(3, "USD") > Money(2, "USD") >= Money("2.00", "USD")
    assert Money(1, "USD") != Money(1, "EUR")


def test_mixed_currencies_are_refused():
    with pytest.raises(CurrencyMismatchError, match="USD and EUR"):
        Money(1, "USD") + Money(1, "EUR")
    with pytest.raises(CurrencyMismatchError):
        Money(1, "USD") - Money(1, "EUR")
    with pytest.raises(CurrencyMismatchError):
        _ = Money(1, "USD") < Money(1, "EUR")
    with pytest.raises(CurrencyMismatchError):
        Money.sum([Money(1, "EUR")], "USD")


def test_bad_operands():
    with pytest.raises(TypeError):
        Money(1, "USD") * 1.5  # type: ignore[operator]
    with pytest.raises(TypeError):
        Money(1, "USD") * Money(1, "USD")  # type: ignore[operator]
    with pytest.raises(TypeError):
        Money(1, "USD") + 1  # type: ignore[operator]
    with pytest.raises(ZeroDivisionError):
        Money(1, "USD") / 0


def test_quantize_per_currency_half_up():
    assert Money("2.345", "USD").quantize() == Money("2.35", "USD")
    assert Money("-2.345", "USD").quantize() == Money("-2.35", "USD")
    assert Money("2.345", "USD").quantize(rounding=ROUND_HALF_EVEN) == Money("2.34", "USD")
    assert Money("1234.5", "JPY").quantize() == Money(1235, "JPY")
    assert Money("1.2345", "KWD").quantize() == Money("1.235", "KWD")
    assert Money("1.2345", "USD").quantize(3).amount.as_tuple().exponent == -3
    assert Money("19.999", "USD").to_minor() == 2000
    assert Money(5, "JPY").to_minor() == 5
    assert minor_units("jpy") == 0
    assert minor_units("XYZ") == 2


@settings(max_examples=200, deadline=None)
@given(amounts, amounts, amounts, currencies)
def test_addition_is_exact_and_associative(a, b, c, cur):
    x, y, z = Money(a, cur), Money(b, cur), Money(c, cur)
    assert (x + y) + z == x + (y + z)
    assert x + y - y == x
    assert (x + y).amount == a + b


@settings(max_examples=200, deadline=None)
@given(amounts, currencies)
def test_quantize_is_idempotent_and_close(a, cur):
    q = Money(a, cur).quantize()
    assert q.quantize() == q
    assert abs(q.amount - a) <= Decimal(1).scaleb(-minor_units(cur)) / 2
    assert q.amount.as_tuple().exponent == -minor_units(cur)
