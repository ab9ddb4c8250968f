"""attrs converters and checks shared by the canonical record modules."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from msplink.models._money import CurrencyMismatchError, Money, to_decimal

__all__ = [
    "as_tuple",
    "check_same_currency",
    "opt_decimal",
]


def opt_decimal(value: object) -> Decimal | None:
    """Decimal of a value (None stays None)."""
    return None if value is None else to_decimal(value)


def as_tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    """A tuple of an iterable (attrs converter)."""
    return tuple(value)


def check_same_currency(owner: str, currency: str, amounts: Iterable[tuple[str, Money | None]]) -> None:
    """Raise CurrencyMismatchError when an amount is not in ``currency``."""
    for name, money in amounts:
        if money is not None and money.currency != currency:
            raise CurrencyMismatchError(f"{owner}.{name} is in {money.currency}, expected {currency}")
