"""Twin helpers: an async method carries its sync twin's docstring, copied so the two cannot drift."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["twin_doc"]

F = TypeVar("F", bound=Callable[..., Any])


def twin_doc(sync_method: Callable[..., Any]) -> Callable[[F], F]:
    """Give an async method the docstring of its sync twin (so the two cannot drift)."""

    def copy(method: F) -> F:
        method.__doc__ = sync_method.__doc__
        return method

    return copy
