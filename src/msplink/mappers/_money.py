"""Money rules for QuickBooks lines: amounts, rounding and penny-adjustment lines.

QuickBooks checks every sales line: ``Amount`` must equal ``round(Qty x UnitPrice, 2)`` (error
6070). msplink rounds that product **ROUND_HALF_UP** (half away from zero: 0.125 -> 0.13,
-0.125 -> -0.13). When the rounded lines no longer add up to the source document's total, an
optional penny-adjustment line absorbs the difference, up to ``MappingConfig.penny_tolerance``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Final

from msplink.errors import MappingError
from msplink.models import Money, to_decimal

__all__ = [
    "QBO_AMOUNT_PLACES",
    "QBO_ROUNDING",
    "line_amount",
    "penny_adjustment",
    "quantize_amount",
]

QBO_ROUNDING: Final = ROUND_HALF_UP
"""Rounding mode of QBO line amounts (half away from zero)."""

QBO_AMOUNT_PLACES: Final = 2
"""QBO line ``Amount`` = round(Qty x UnitPrice, 2)."""


def quantize_amount(value: Decimal | int | str) -> Decimal:
    """Round a QBO amount to 2 places, ROUND_HALF_UP."""
    return to_decimal(value).quantize(Decimal("0.01"), rounding=QBO_ROUNDING)


def line_amount(quantity: Decimal | int | str, unit_price: Decimal | int | str) -> Decimal:
    """Return the QBO line ``Amount``: ``round(quantity x unit_price, 2)`` with ROUND_HALF_UP.

    >>> line_amount(Decimal("16.5"), Decimal("75"))
    Decimal('1237.50')
    >>> line_amount(3, Decimal("0.125"))
    Decimal('0.38')
    """
    return quantize_amount(to_decimal(quantity) * to_decimal(unit_price))


def penny_adjustment(lines_total: Money, expected: Money, *, tolerance: Decimal, path: str) -> Money | None:
    """Return the amount of the adjustment line that makes ``lines_total`` equal ``expected``.

    Returns ``None`` when they are already equal (after rounding both to 2 places).

    Raises:
        MappingError: The currencies differ, or the difference exceeds ``tolerance`` (that is a real
            mismatch, not rounding, and needs a human).
    """
    if lines_total.currency != expected.currency:
        raise MappingError(path, f"lines are in {lines_total.currency}, total in {expected.currency}")
    diff = quantize_amount(expected.amount) - quantize_amount(lines_total.amount)
    if diff == 0:
        return None
    if abs(diff) > tolerance:
        raise MappingError(
            path,
            f"lines add up to {quantize_amount(lines_total.amount)} but the total is "
            f"{quantize_amount(expected.amount)}: difference {diff} exceeds the penny tolerance {tolerance}",
            value=str(expected.amount),
        )
    return Money(diff, expected.currency)
