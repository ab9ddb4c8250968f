"""``Money``: a Decimal amount with an ISO 4217 currency; never a float.

Rounding rule used everywhere in msplink unless a caller says otherwise: ``ROUND_HALF_UP`` to the
currency's minor units (2 for USD/EUR/GBP, 0 for JPY, 3 for KWD ...).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Final

import attrs

__all__ = [
    "DEFAULT_ROUNDING",
    "CurrencyMismatchError",
    "Money",
    "minor_units",
    "to_currency",
    "to_decimal",
]

DEFAULT_ROUNDING: Final = ROUND_HALF_UP
"""The rounding mode msplink uses when it quantises money (half away from zero)."""

# ISO 4217 currencies whose minor unit is not 2 (every other well-formed code uses 2).
_MINOR_UNITS: Final[dict[str, int]] = {
    "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0, "PYG": 0,
    "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
    "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
    "CLF": 4, "UYW": 4,
}  # fmt: skip

_CURRENCY_RE: Final = re.compile(r"[A-Z]{3}")


class CurrencyMismatchError(ValueError):
    """Two amounts in different currencies were combined or compared."""


def minor_units(currency: str) -> int:
    """Return the number of minor-unit digits of an ISO 4217 currency (2 unless listed otherwise)."""
    return _MINOR_UNITS.get(currency.upper(), 2)


def to_decimal(value: object) -> Decimal:
    """Convert an int, str or Decimal to a finite Decimal; refuse float and bool.

    Raises:
        TypeError: The value is a float, a bool or not a number type at all.
        ValueError: The value is not a finite number.
    """
    if isinstance(value, (bool, float)):
        raise TypeError(f"money and quantities must be Decimal, int or str, never {type(value).__name__}")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"not a number: {value!r}") from None
    else:
        raise TypeError(f"expected Decimal, int or str, got {type(value).__name__}")
    if not result.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return result


def to_currency(value: object) -> str:
    """Validate and normalise an ISO 4217 currency code (``" usd"`` -> ``"USD"``).

    Raises:
        TypeError: Not a string.
        ValueError: Not three letters.
    """
    if not isinstance(value, str):
        raise TypeError(f"currency must be an ISO 4217 code string, got {type(value).__name__}")
    code = value.strip().upper()
    if not _CURRENCY_RE.fullmatch(code):
        raise ValueError(f"not an ISO 4217 currency code: {value!r}")
    return code


@attrs.frozen(order=False)
class Money:
    """An amount of money: a finite ``Decimal`` and an ISO 4217 currency code.

    ``Money("12.50", "usd")`` and ``Money(Decimal("12.5"), "USD")`` are equal. Floats are refused
    (``TypeError``); adding, subtracting or comparing two currencies raises
    :class:`CurrencyMismatchError`. Arithmetic keeps full precision; call :meth:`quantize` at the
    boundary (ROUND_HALF_UP to the currency's minor units by default).

    Attributes:
        amount: The amount, exact.
        currency: The upper-case ISO 4217 code (``USD``).
    """

    amount: Decimal = attrs.field(converter=to_decimal)
    currency: str = attrs.field(converter=to_currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        """Return zero in ``currency``."""
        return cls(Decimal(0), currency)

    @classmethod
    def sum(cls, items: Iterable[Money], currency: str) -> Money:
        """Add up amounts that must all be in ``currency`` (an empty iterable gives zero).

        Raises:
            CurrencyMismatchError: An item is in another currency.
        """
        total = cls.zero(currency)
        for item in items:
            total = total + item
        return total

    @property
    def minor_units(self) -> int:
        """The number of decimal places of this currency's minor unit."""
        return minor_units(self.currency)

    def quantize(self, places: int | None = None, *, rounding: str = DEFAULT_ROUNDING) -> Money:
        """Round to ``places`` decimals (default: the currency's minor units), ROUND_HALF_UP by default."""
        digits = self.minor_units if places is None else places
        exponent = Decimal(1).scaleb(-digits)
        return Money(self.amount.quantize(exponent, rounding=rounding), self.currency)

    def to_minor(self) -> int:
        """Return the amount in minor units (cents), rounding ROUND_HALF_UP first."""
        return int(self.quantize().amount.scaleb(self.minor_units))

    def is_zero(self) -> bool:
        """Whether the amount is zero."""
        return self.amount == 0

    def is_negative(self) -> bool:
        """Whether the amount is below zero."""
        return self.amount < 0

    def _check(self, other: object, op: str) -> Money:
        if not isinstance(other, Money):
            raise TypeError(f"cannot {op} Money and {type(other).__name__}")
        if other.currency != self.currency:
            raise CurrencyMismatchError(f"cannot {op} {self.currency} and {other.currency}")
        return other

    def __add__(self, other: Money) -> Money:
        return Money(self.amount + self._check(other, "add").amount, self.currency)

    def __radd__(self, other: object) -> Money:
        if isinstance(other, int) and not isinstance(other, bool) and other == 0:
            return self  # lets the builtin sum() start from 0
        return self.__add__(self._check(other, "add"))

    def __sub__(self, other: Money) -> Money:
        return Money(self.amount - self._check(other, "subtract").amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __pos__(self) -> Money:
        return self

    def __abs__(self) -> Money:
        return Money(abs(self.amount), self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        if not isinstance(factor, (Decimal, int)):
            raise TypeError(f"cannot multiply Money by {type(factor).__name__}")
        return Money(self.amount * to_decimal(factor), self.currency)

    __rmul__ = __mul__

    def __truediv__(self, divisor: Decimal | int) -> Money:
        if not isinstance(divisor, (Decimal, int)):
            raise TypeError(f"cannot divide Money by {type(divisor).__name__}; use .amount for ratios")
        value = to_decimal(divisor)
        if value == 0:
            raise ZeroDivisionError("division of Money by zero")
        return Money(self.amount / value, self.currency)

    def __lt__(self, other: Money) -> bool:
        return self.amount < self._check(other, "compare").amount

    def __le__(self, other: Money) -> bool:
        return self.amount <= self._check(other, "compare").amount

    def __gt__(self, other: Money) -> bool:
        return self.amount > self._check(other, "compare").amount

    def __ge__(self, other: Money) -> bool:
        return self.amount >= self._check(other, "compare").amount

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"
