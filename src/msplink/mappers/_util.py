"""Shared helpers of the mapper modules: totality (every failure is a ``MappingError`` with a path)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from types import TracebackType
from typing import NoReturn, ParamSpec, TypeVar

from msplink.errors import MappingError
from msplink.models import Money, to_decimal

__all__ = [
    "as_date",
    "at",
    "aware",
    "fail",
    "money",
    "opt_decimal",
    "opt_money",
    "require",
    "total",
]

P = ParamSpec("P")
T = TypeVar("T")

_CONVERTED: tuple[type[Exception], ...] = (
    ValueError,
    TypeError,
    ArithmeticError,
    KeyError,
    IndexError,
    AttributeError,
)


def fail(path: str, reason: str, value: object = None) -> NoReturn:
    """Raise ``MappingError(path, reason, value=value)``."""
    raise MappingError(path, reason, value=value)


class at:
    """Turn a ValueError/TypeError/... raised inside the block into a ``MappingError`` at ``path``.

    A class rather than a ``contextmanager`` generator: mappers enter it several times per record.
    """

    __slots__ = ("path",)

    def __init__(self, path: str) -> None:
        self.path = path

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc is not None and not isinstance(exc, MappingError) and isinstance(exc, _CONVERTED):
            raise MappingError(self.path, f"{type(exc).__name__}: {exc}") from exc


def total(root: str) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """Decorate a mapper so any unexpected error surfaces as a ``MappingError`` at ``root``."""

    def decorate(fn: Callable[P, T]) -> Callable[P, T]:
        @functools.wraps(fn)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
            try:
                return fn(*args, **kwargs)
            except MappingError:
                raise
            except _CONVERTED as exc:
                raise MappingError(root, f"{type(exc).__name__}: {exc}") from exc

        return wrapper

    return decorate


def require(value: T | None, path: str, reason: str = "is required but missing") -> T:
    """Return ``value`` or raise ``MappingError`` at ``path`` when it is None (or an empty string)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        fail(path, reason)
    return value


def opt_decimal(value: object, path: str) -> Decimal | None:
    """Convert to Decimal (None stays None); floats are accepted only via their exact repr."""
    if value is None:
        return None
    if isinstance(value, float):
        value = repr(value)
    with at(path):
        return to_decimal(value)


def money(value: object, currency: str, path: str) -> Money:
    """Build :class:`Money` or raise ``MappingError`` at ``path``."""
    amount = opt_decimal(value, path)
    if amount is None:
        fail(path, "amount is required but missing")
    with at(path):
        return Money(amount, currency)


def opt_money(value: object, currency: str, path: str) -> Money | None:
    """Like :func:`money` but None stays None."""
    return None if value is None else money(value, currency, path)


def aware(value: datetime | None, path: str) -> datetime | None:
    """Check a datetime is timezone-aware (None passes)."""
    if value is not None and (value.tzinfo is None or value.utcoffset() is None):
        fail(path, "datetime must be timezone-aware", value=value.isoformat())
    return value


def as_date(value: date | datetime | None) -> date | None:
    """The date part of a datetime (dates and None pass through)."""
    if isinstance(value, datetime):
        return value.date()
    return value
