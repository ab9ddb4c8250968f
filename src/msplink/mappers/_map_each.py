"""Map many records at once, collecting ``MappingError`` s instead of stopping at the first one."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeVar

import attrs

from msplink.errors import MappingError
from msplink.mappers._config import MappingConfig
from msplink.mappers._lookups import UnmappedReport

__all__ = [
    "MapFailure",
    "MappedBatch",
    "map_each",
]

S = TypeVar("S")
T = TypeVar("T")


@attrs.frozen(kw_only=True)
class MapFailure(Generic[S]):
    """One record that could not be mapped.

    Attributes:
        index: Position of the record in the input.
        record: The record as given.
        error: Why (its ``path`` names the field).
    """

    index: int
    record: S
    error: MappingError


@attrs.frozen(kw_only=True)
class MappedBatch(Generic[S, T]):
    """The outcome of :func:`map_each`: what mapped and what did not.

    Attributes:
        mapped: The mapped records, in input order.
        failures: The records that raised ``MappingError``, for the review queue.
    """

    mapped: tuple[T, ...]
    failures: tuple[MapFailure[S], ...]

    @property
    def ok(self) -> bool:
        """Whether every record mapped."""
        return not self.failures

    def unmapped_report(self) -> UnmappedReport:
        """The values that failed, grouped by field path."""
        return UnmappedReport.from_errors(f.error for f in self.failures)


def map_each(
    mapper: Callable[..., T], records: Iterable[S], config: MappingConfig | None = None, **kwargs: Any
) -> MappedBatch[S, T]:
    """Apply a mapper to every record; a ``MappingError`` is recorded and the run goes on.

    Any other exception propagates: mappers are total, so it would be a bug worth seeing.
    """
    mapped: list[T] = []
    failures: list[MapFailure[S]] = []
    for index, record in enumerate(records):
        try:
            mapped.append(mapper(record, config, **kwargs))
        except MappingError as error:
            failures.append(MapFailure(index=index, record=record, error=error))
    return MappedBatch(mapped=tuple(mapped), failures=tuple(failures))
