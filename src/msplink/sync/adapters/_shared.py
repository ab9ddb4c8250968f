"""Pieces of the three adapters that are the same up to the vendor's wire shapes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar

from msplink.errors import MsplinkError, RateLimitError, ServerError, TransportError
from msplink.sync._identity import name_key
from msplink.sync._protocols import Intent, WriteOp
from msplink.sync._values import decode, encode, field_values
from msplink.sync.adapters._base import SETTLE_SKEW

__all__ = [
    "ambiguous",
    "budget_chunks",
    "intended_name",
    "intent_of",
    "pair_creates",
    "sorted_records",
    "top_level_diff",
]

T = TypeVar("T")


def ambiguous(error: MsplinkError | None) -> bool:
    """Whether a failed write may have been applied (no answer, a 5xx): look before writing again.

    A throttled write (429) was refused unprocessed.
    """
    return isinstance(error, (TransportError, ServerError)) and not isinstance(error, RateLimitError)


def budget_chunks(
    values: Sequence[T], size_of: Callable[[T], int], budget: int, most: int
) -> Iterator[list[T]]:
    """``values`` in lists whose rendered sizes add up to at most ``budget`` (and at most ``most`` items):
    an ``in (...)`` list sized to the platform's URL or statement limit."""
    chunk: list[T] = []
    used = 0
    for value in values:
        size = size_of(value) + 2
        if chunk and (used + size > budget or len(chunk) >= most):
            yield chunk
            chunk, used = [], 0
        chunk.append(value)
        used += size
    if chunk:
        yield chunk


def intended_name(values: Mapping[str, Any], field: str) -> str | None:
    """The normalised name an intent (or op) meant to write (``None`` when it has none)."""
    raw = values.get(field)
    value = decode(raw) if raw is not None else None
    return name_key(value) if isinstance(value, str) else None


def pair_creates(
    intents: Sequence[Intent],
    candidates: Iterable[tuple[str, str | None, datetime | None, T]],
    field: str,
) -> list[T | None]:
    """Match journalled creates to records created after them, by normalised name.

    Args:
        intents: The creates, in order.
        candidates: ``(id, name, created_at, record)`` of records created around the intents' time.
        field: The canonical field holding the name (``name``).

    Returns:
        Per intent, the record it created, or ``None``. Each record goes to one intent at most: the
        earliest record created after the intent was journalled (minus a clock skew allowance).
    """
    by_name: dict[str, list[tuple[datetime | None, str, T]]] = {}
    for record_id, name, created, record in candidates:
        key = name_key(name)
        if key:
            by_name.setdefault(key, []).append((created, record_id, record))
    for bucket in by_name.values():
        bucket.sort(key=lambda c: (c[0] is None, c[0].timestamp() if c[0] is not None else 0.0, c[1]))
    taken: set[str] = set()
    out: list[T | None] = []
    for intent in intents:
        wanted = intended_name(intent.values, field)
        chosen: T | None = None
        for created, record_id, record in by_name.get(wanted or "", []):
            if record_id in taken:
                continue
            if (
                intent.created_at is not None
                and created is not None
                and created < intent.created_at - SETTLE_SKEW
            ):
                continue
            chosen = record
            taken.add(record_id)
            break
        out.append(chosen)
    return out


def sorted_records(records: Iterable[Any]) -> list[Any]:
    """Remote records in ``(updated_at, id)`` order (records without a time first)."""
    return sorted(
        records,
        key=lambda r: (
            r.updated_at is not None,
            r.updated_at.timestamp() if r.updated_at else 0.0,
            _id_key(r.id),
        ),
    )


def _id_key(value: str) -> tuple[int, str]:
    return (0, value.rjust(20, "0")) if value.isdigit() else (1, value)


def top_level_diff(before: Mapping[str, Any], after: Mapping[str, Any], allowed: Iterable[str]) -> list[str]:
    """The top-level wire fields whose values differ between two renderings of a record."""
    names = set(before) | set(after)
    allowed_set = set(allowed)
    return sorted(k for k in names if k in allowed_set and before.get(k) != after.get(k))


def intent_of(op: WriteOp, started: datetime) -> Intent:
    """An unjournalled stand-in for a write whose answer was lost within a run, to settle it at once."""
    values = {p: encode(v) for p, v in field_values(op.record).items() if isinstance(v, str)}
    return Intent(key=op.key, flow="", action=op.action, source=op.source, values=values, created_at=started)
