"""Change data capture (``GET /cdc``): the result value and its parser.

The parser checks every level of the ``CDCResponse`` (a list of objects, each with a list of
``QueryResponse`` objects whose entity values are lists of objects, and a readable ``time``) and raises
:class:`~msplink.quickbooks._errors.BadShape` otherwise, which the call turns into a typed
``APIError``: a malformed answer is never taken for "no changes".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import attrs

from msplink._core import parse_datetime
from msplink.quickbooks._errors import BadShape
from msplink.quickbooks.models import DeletedEntity, Entity, entity_class

__all__ = ["CDC_MAX_OBJECTS", "CDCResult", "merge_cdc", "parse_cdc"]

CDC_MAX_OBJECTS = 1000
"""QBO's maximum of objects in one ``/cdc`` response (no paging)."""


@attrs.frozen(kw_only=True)
class CDCResult:
    """Changes since a moment, by entity.

    Attributes:
        time: The server time of the (first) response: the next ``changed_since`` (minus an overlap).
        changed: Created or updated entities, by entity name.
        deleted: Deletion tombstones, by entity name.
        incomplete_deletions: Entities whose answer hit the 1,000-object cap, so their active objects
            were re-read by paginated query; deletions older than the cap may be missing for them
            (poll more often). Empty when nothing hit the cap.
        calls: How many HTTP calls the result took.
    """

    time: datetime | None
    changed: Mapping[str, tuple[Entity, ...]]
    deleted: Mapping[str, tuple[DeletedEntity, ...]]
    incomplete_deletions: frozenset[str] = frozenset()
    calls: int = 1

    @property
    def object_count(self) -> int:
        """Objects in the result (changed and deleted)."""
        return sum(len(v) for v in self.changed.values()) + sum(len(v) for v in self.deleted.values())


def _objects(value: object, what: str) -> list[Mapping[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
        raise BadShape(f"{what} is not a list of objects")
    return value


def parse_cdc(body: object) -> CDCResult:
    """Parse a ``CDCResponse`` body into a :class:`CDCResult`.

    Raises:
        BadShape: A level of the answer has the wrong shape, or ``time`` is not a datetime.
        ValueError: An entity does not parse (the call turns both into a typed ``APIError``).
    """
    if not isinstance(body, Mapping):
        raise BadShape("the CDC answer is not an object")
    changed: dict[str, list[Entity]] = {}
    deleted: dict[str, list[DeletedEntity]] = {}
    for block in _objects(body.get("CDCResponse", []) or [], "CDCResponse"):
        for response in _objects(block.get("QueryResponse", []) or [], "CDCResponse[].QueryResponse"):
            for key, value in response.items():
                cls = entity_class(key)
                if cls is None and not isinstance(value, list):
                    continue  # startPosition, maxResults, totalCount
                for data in _objects(value, f"QueryResponse.{key}"):
                    if data.get("status") == "Deleted":
                        tombstone = attrs.evolve(DeletedEntity.from_api(data), entity_name=key)
                        deleted.setdefault(key, []).append(tombstone)
                    elif cls is not None:  # an entity msplink does not model keeps its tombstones only
                        changed.setdefault(key, []).append(cls.from_api(data))
    time = body.get("time")
    try:
        parsed_time = parse_datetime(time) if time else None
    except ValueError:
        raise BadShape("time is not a datetime") from None
    return CDCResult(
        time=parsed_time,
        changed={k: tuple(v) for k, v in changed.items()},
        deleted={k: tuple(v) for k, v in deleted.items()},
    )


def merge_cdc(first: CDCResult, parts: Sequence[CDCResult], *, incomplete: frozenset[str]) -> CDCResult:
    """Merge per-entity CDC results, de-duplicating by ``(Id, SyncToken)``."""
    changed: dict[str, dict[tuple[str | None, str | None], Entity]] = {}
    deleted: dict[str, dict[str | None, DeletedEntity]] = {}
    for part in parts:
        for name, entities in part.changed.items():
            bucket = changed.setdefault(name, {})
            for entity in entities:
                bucket[(entity.id, entity.sync_token)] = entity
        for name, gone in part.deleted.items():
            dbucket = deleted.setdefault(name, {})
            for item in gone:
                dbucket[item.id] = item
    return CDCResult(
        time=first.time,
        changed={k: tuple(v.values()) for k, v in changed.items()},
        deleted={k: tuple(v.values()) for k, v in deleted.items()},
        incomplete_deletions=incomplete,
        calls=sum(p.calls for p in parts),
    )
