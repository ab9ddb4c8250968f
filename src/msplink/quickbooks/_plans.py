"""Multi-call operations as plans: generators of ``Call`` / ``Sleep`` / ``Gather`` steps that the sync
and async executors drive alike (``executor.run(plan)``), so each exists once.

**Batch** (``POST /batch``, 30 operations a call). Every 30-operation chunk gets its ``requestid`` once
(the caller's, one derived from the operations' own ids, or a fresh uuid) and keeps it for every resend,
so QBO's ``requestid`` replay answers a chunk that was already applied instead of applying it twice.
The chunks go out as one ``Gather`` (concurrently on the async client, in order on the sync one). Then,
for up to ``retry.max_attempts`` rounds:

* a chunk whose call failed in a way that may hide an applied write (no answer, a 5xx, an unreadable
  body) or was refused unprocessed (429) is resent whole, with the *same* ``requestid``;
* items throttled inside a 200 answer (fault 3001) were not applied: they are resent on their own, in
  new chunks with new (derived) ids, after the back-off (Retry-After when given; never the items
  that succeeded);
* anything else is final: per-item faults (``StaleObjectError`` ...) and 4xx answers of a whole call.

Nothing raises away applied results: every operation gets a :class:`BatchItemResult`, failed ones with
their typed error (``result.applied`` is ``None`` when the outcome is unknown; re-running the same
operations with the same ids is then answered by replay).

**CDC** (``GET /cdc``) answers at most 1,000 objects with no paging, grouped by entity, ordered by
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

import hashlib
import logging
from collections.abc import Generator, Iterable, Sequence
from datetime import datetime
from typing import Any

import attrs

from msplink._core import Call, Gather, Plan, RetryPolicy, Sleep
from msplink.errors import ConfigurationError, MsplinkError, RateLimitError
from msplink.quickbooks import _calls as calls
from msplink.quickbooks._changes import CDC_MAX_OBJECTS, CDCResult, merge_cdc
from msplink.quickbooks._operations import (
    BATCH_SIZE,
    BatchItemResult,
    BatchOperation,
    check_request_id,
    chunk_request_id,
    is_ambiguous,
    validate_operations,
)
from msplink.quickbooks.models import DeletedEntity, Entity, entity_class
from msplink.quickbooks.query import field, select

__all__ = ["batch_plan", "cdc_plan"]

logger = logging.getLogger("msplink.quickbooks")


# ---------------------------------------------------------------------------------------------- batch


@attrs.frozen
class _Chunk:
    request_id: str
    indices: tuple[int, ...]


def _groups(indices: Sequence[int]) -> list[tuple[int, ...]]:
    return [tuple(indices[i : i + BATCH_SIZE]) for i in range(0, len(indices), BATCH_SIZE)]


def _first_chunks(ops: Sequence[BatchOperation], request_ids: str | Sequence[str] | None) -> list[_Chunk]:
    groups = _groups(range(len(ops)))
    if request_ids is None:
        ids = [chunk_request_id([ops[i] for i in g]) or calls.new_request_id() for g in groups]
    else:
        given = [request_ids] if isinstance(request_ids, str) else list(request_ids)
        if len(given) != len(groups):
            raise ConfigurationError(f"{len(groups)} chunks of {BATCH_SIZE} need {len(groups)} request ids")
        ids = [check_request_id(i) for i in given]
        if len(set(ids)) != len(ids):
            raise ConfigurationError("the request ids of a batch must differ from each other")
    return [_Chunk(i, g) for i, g in zip(ids, groups, strict=True)]


def _resend_id(round_: int, chunks: Sequence[_Chunk], indices: Sequence[int]) -> str:
    """A deterministic new ``requestid`` for throttled items resent together (they were not applied)."""
    parts = ["resend", str(round_), *(c.request_id for c in chunks), *(str(i) for i in indices)]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


def _wait(retry: RetryPolicy, error: MsplinkError, round_: int) -> float:
    if isinstance(error, RateLimitError) and error.retry_after is not None:
        return error.retry_after
    if isinstance(error, RateLimitError):
        return max(retry.rate_limit_delay, retry.backoff(round_))
    return retry.backoff(round_)


def _resendable(retry: RetryPolicy, error: MsplinkError) -> bool:
    too_long = (
        isinstance(error, RateLimitError)
        and error.retry_after is not None
        and error.retry_after > retry.max_retry_after
    )
    return not too_long


def batch_plan(
    operations: Iterable[BatchOperation],
    *,
    request_ids: str | Sequence[str] | None,
    minor_version: int,
    retry: RetryPolicy,
    concurrency: int | None,
) -> Plan[list[BatchItemResult]]:
    """Run any number of operations through ``/batch``; see the module docstring.

    Args:
        operations: The operations, in order.
        request_ids: One ``requestid`` per 30-operation chunk (or one string for a single chunk);
            ``None`` derives them from the operations' own ``request_id`` or generates them.
        minor_version: Sent as ``minorversion``.
        retry: Its ``max_attempts`` bounds the resend rounds; its back-off paces them.
        concurrency: Chunks in flight at once on the async executor.

    Returns:
        One result per operation, in order.

    Raises:
        ConfigurationError: Not BatchOperation values, or unusable request ids (before any I/O).
    """
    ops = validate_operations(operations)
    results: list[BatchItemResult | None] = [None] * len(ops)
    chunks = _first_chunks(ops, request_ids)
    for round_ in range(1, retry.max_attempts + 1):
        if not chunks:
            break
        batch = [
            calls.batch_call(
                [ops[i] for i in c.indices], request_id=c.request_id, minor_version=minor_version
            )
            for c in chunks
        ]
        answers = yield Gather(batch, concurrency=concurrency)
        again: list[_Chunk] = []
        throttled: list[int] = []
        waits: list[float] = []
        for chunk, answer in zip(chunks, answers, strict=True):
            if isinstance(answer, MsplinkError):
                for position, index in enumerate(chunk.indices):
                    results[index] = BatchItemResult(
                        operation=ops[index], bid=str(position), request_id=chunk.request_id, error=answer
                    )
                if is_ambiguous(answer) and _resendable(retry, answer):
                    again.append(chunk)
                    waits.append(_wait(retry, answer, round_))
                continue
            for index, result in zip(chunk.indices, answer, strict=True):
                results[index] = result
                if isinstance(result.error, RateLimitError) and _resendable(retry, result.error):
                    throttled.append(index)
                    waits.append(_wait(retry, result.error, round_))
        if round_ == retry.max_attempts or not waits:
            break
        yield Sleep(max(waits))
        chunks = again + [_Chunk(_resend_id(round_, chunks, g), g) for g in _groups(throttled)]
    done = [r for r in results if r is not None]
    unknown = sum(1 for r in done if r.applied is None)
    if unknown:
        logger.warning("batch: %d of %d operations ended with an unknown outcome", unknown, len(done))
    return done


# ------------------------------------------------------------------------------------------------ CDC


def _newest_tombstone(result: CDCResult, name: str) -> datetime | None:
    times = [d.meta_data.last_updated_time for d in result.deleted.get(name, ()) if d.meta_data is not None]
    known = [t for t in times if t is not None]
    return max(known) if known else None


def _query_actives(
    name: str, since: datetime, minor_version: int
) -> Generator[Call[Any], Any, tuple[list[Entity], int]]:
    spec = calls.EntitySpec(entity_class(name) or Entity, name.lower())
    stmt = select(name).where(field("MetaData.LastUpdatedTime") >= since).order_by("MetaData.LastUpdatedTime")
    call: Call[Any] | None = calls.query_page_call(
        spec, calls.statement_of(spec, stmt), minor_version=minor_version
    )
    next_call = calls.next_query_page(minor_version, spec)
    items: list[Entity] = []
    pages = 0
    while call is not None:
        page = yield call
        pages += 1
        items.extend(page.items)
        call = next_call(call, page)
    return items, pages


def _single(name: str, since: datetime, minor_version: int, first: CDCResult | None) -> Plan[CDCResult]:
    part: CDCResult = (
        first if first is not None else (yield calls.cdc_call([name], since, minor_version=minor_version))
    )
    if part.object_count < CDC_MAX_OBJECTS:
        return part
    newest = _newest_tombstone(part, name)
    if newest is not None:
        # Deletions come after active objects: every active object is here; walk on for the deletions.
        parts = [part]
        while True:
            more: CDCResult = yield calls.cdc_call([name], newest, minor_version=minor_version)
            parts.append(more)
            following = _newest_tombstone(more, name)
            if more.object_count < CDC_MAX_OBJECTS:
                return merge_cdc(part, parts, incomplete=frozenset())
            if following is None or following <= newest:
                break  # no progress (over 1,000 changes in one second): give up honestly
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


def cdc_plan(names: Sequence[str], since: datetime, *, minor_version: int) -> Plan[CDCResult]:
    """The calls of one ``cdc()`` request (GET /v3/company/{realm}/cdc, and queries past the cap)."""
    first: CDCResult = yield calls.cdc_call(names, since, minor_version=minor_version)
    if first.object_count < CDC_MAX_OBJECTS:
        return first
    parts = []
    for name in names:
        part = yield from _single(name, since, minor_version, first if len(names) == 1 else None)
        parts.append(part)
    incomplete = frozenset(n for p in parts for n in p.incomplete_deletions)
    merged = merge_cdc(first, parts, incomplete=incomplete)
    extra = 0 if len(names) == 1 else 1
    return attrs.evolve(merged, calls=merged.calls + extra)
