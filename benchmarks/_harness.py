"""A tiny harness: each benchmark returns results with a target, and the runner prints a table."""

from __future__ import annotations

from collections.abc import Callable

import attrs

__all__ = ["Result", "Benchmark"]


@attrs.frozen
class Result:
    """One measured number and its target."""

    name: str
    value: float
    unit: str
    target: float
    higher_is_better: bool = False

    @property
    def ok(self) -> bool:
        """Whether the value meets its target."""
        return self.value >= self.target if self.higher_is_better else self.value <= self.target


Benchmark = Callable[[], list[Result]]
