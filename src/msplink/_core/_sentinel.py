"""The ``UNSET`` sentinel for partial updates: ``None`` clears a field, ``UNSET`` leaves it alone."""

from __future__ import annotations

import enum
from typing import Final, Literal, TypeAlias, TypeVar, Union

__all__ = ["UNSET", "Maybe", "Unset", "is_set"]

_T = TypeVar("_T")


class Unset(enum.Enum):
    """The type of :data:`UNSET` (a one-member enum, so ``is UNSET`` narrows under mypy)."""

    UNSET = enum.auto()

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False


UNSET: Final = Unset.UNSET

Maybe: TypeAlias = Union[_T, Literal[Unset.UNSET], None]
"""A field of a partial update: a value, ``None`` (clear it) or ``UNSET`` (leave it alone)."""


def is_set(value: object) -> bool:
    """Tell whether a partial-update value was given (anything but ``UNSET``)."""
    return value is not UNSET
