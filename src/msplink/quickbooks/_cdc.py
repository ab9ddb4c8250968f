"""The CDC plan: a pure generator of calls, driven by the sync and async clients alike.

``GET /cdc`` answers at most 1,000 objects with no paging, grouped by entity, ordered by
LastUpdatedTime, deletions after active objects. The plan never takes a capped answer as complete:

1. one call for every entity; below the cap, done;
2. at the cap, one call per entity;
3. an entity still at the cap whose answer holds tombstones has all its active objects (deletions come
   after them): the plan walks forward from the newest tombstone to collect the remaining deletions;
4. an entity still at the cap without tombstones is re-read through a paginated
   ``MetaData.LastUpdatedTime >= changed_since`` query; its deletions may be incomplete and it is named
   in ``CDCResult.incomplete_deletions``.
"""

from __future__ import annotations

import logging
from collections.abc import Generator, Sequence
from datetime import datetime
from typing import Any

from msplink._core import Call
from msplink.quickbooks import _calls as calls
from msplink.quickbooks._batch import CDC_MAX_OBJECTS, CDCResult, merge_cdc, parse_cdc
from msplink.quickbooks.models import DeletedEntity, Entity, entity_class
from msplink.quickbooks.query import MAX_RESULTS, field, select

__all__ = ["cdc_plan"]

logger = logging.getLogger("msplink.quickbooks")

Plan = Generator["Call[Any]", Any, CDCResult]


def _newest_tombstone(result: CDCResult, name: str) -> datetime | None:
    times = [d.meta_data.last_updated_time for d in result.deleted.get(name, ()) if d.meta_data is not None]
    known = [t for t in times if t is not None]
    return max(known) if known else None


def _query_actives(
    name: str, since: datetime, minor_version: int
) -> Generator[Call[Any], Any, tuple[list[Entity], int]]:
    spec = calls.EntitySpec(entity_class(name) or Entity, name.lower())
    stmt = (
        select(name)
        .where(field("MetaData.LastUpdatedTime") >= since)
        .order_by("MetaData.LastUpdatedTime")
        .page(1, MAX_RESULTS)
    )
    call: Call[Any] | None = calls.query_page_call(spec, stmt, minor_version=minor_version)
    next_call = calls.next_query_page(minor_version, spec)
    items: list[Entity] = []
    pages = 0
    while call is not None:
        page = yield call
        pages += 1
        items.extend(page.items)
        call = next_call(call, page)
    return items, pages


def _single(name: str, since: datetime, minor_version: int, first: CDCResult | None) -> Plan:
    part = (
        first
        if first is not None
        else parse_cdc((yield calls.cdc_call([name], since, minor_version=minor_version)))
    )
    if part.object_count < CDC_MAX_OBJECTS:
        return part
    newest = _newest_tombstone(part, name)
    if newest is not None:
        # Deletions come after active objects: every active object is here; walk on for the deletions.
        parts = [part]
        while True:
            more = parse_cdc((yield calls.cdc_call([name], newest, minor_version=minor_version)))
            parts.append(more)
            following = _newest_tombstone(more, name)
            if more.object_count < CDC_MAX_OBJECTS:
                return merge_cdc(part, parts, incomplete=frozenset())
            if following is None or following <= newest:
                break  # no progress (over 1,000 changes in one timestamp): give up honestly
            newest = following
        logger.warning("CDC for %s: more than %d changes share one timestamp", name, CDC_MAX_OBJECTS)
        return merge_cdc(part, parts, incomplete=frozenset({name}))
    logger.warning("CDC for %s hit the %d-object cap; re-reading it by query", name, CDC_MAX_OBJECTS)
    actives, pages = yield from _query_actives(name, since, minor_version)
    deleted: dict[str, tuple[DeletedEntity, ...]] = {name: part.deleted[name]} if name in part.deleted else {}
    return CDCResult(
        time=part.time,
        changed={name: tuple(actives)},
        deleted=deleted,
        incomplete_deletions=frozenset({name}),
        calls=part.calls + pages,
    )


def cdc_plan(names: Sequence[str], since: datetime, *, minor_version: int) -> Plan:
    """The calls of one ``cdc()`` request, as a generator (send each call's result back in)."""
    first = parse_cdc((yield calls.cdc_call(names, since, minor_version=minor_version)))
    if first.object_count < CDC_MAX_OBJECTS:
        return first
    parts = []
    for name in names:
        part = yield from _single(name, since, minor_version, first if len(names) == 1 else None)
        parts.append(part)
    incomplete = frozenset(n for p in parts for n in p.incomplete_deletions)
    merged = merge_cdc(first, parts, incomplete=incomplete)
    extra = 0 if len(names) == 1 else 1
    return CDCResult(
        time=merged.time,
        changed=merged.changed,
        deleted=merged.deleted,
        incomplete_deletions=merged.incomplete_deletions,
        calls=merged.calls + extra,
    )
