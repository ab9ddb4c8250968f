"""``MemoryStateStore`` and what both state stores share (conflict decisions, leases, keys).

The memory store keeps every table of SYNC.md §3 in dictionaries keyed by tenant, for tests and
notebooks; :class:`~msplink.sync.SQLiteStateStore` is the durable default with the same behaviour
(one parametrised test suite runs against both).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any

import attrs

from msplink.errors import ConfigurationError
from msplink.models import ExternalRef
from msplink.sync._model import Conflict, DeadLetter, LeaseError, RunRecord, Watermark
from msplink.sync._protocols import Intent, StateChanges

__all__ = ["MemoryStateStore", "conflict_key", "decide", "lease_is_free", "oriented", "utcnow"]

logger = logging.getLogger("msplink.sync.state")

Clock = Callable[[], datetime]
Side = tuple[str, str, str]


def utcnow() -> datetime:
    """The current time, aware (UTC)."""
    return datetime.now(timezone.utc)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def lease_is_free(current: str | None, expires_at: datetime | None, holder: str, now: datetime) -> bool:
    """Whether ``holder`` may take a lease held by ``current`` until ``expires_at``.

    Free when nobody holds it, the holder renews, it expired, or it is held by a process on this
    host that no longer exists (a crashed run: SIGKILL leaves its lease behind).
    """
    if current is None or current == holder or expires_at is None or expires_at <= now:
        return True
    host, _, rest = current.partition(":")
    pid_text = rest.partition(":")[0]
    if host == socket.gethostname() and pid_text.isdigit():
        return not _pid_alive(int(pid_text))
    return False


def decide(conflict: Conflict, take: object) -> tuple[str, Any]:
    """Check a decision on a conflict; return ``(take, value)`` to store.

    Raises:
        ConfigurationError: The decision does not fit the conflict's kind.
    """
    if conflict.kind == "match":
        if take == "source":
            return "source", None
        ids = {c.id for c in conflict.candidates}
        if take == "target" or str(take) not in ids:
            raise ConfigurationError(
                f"conflict {conflict.id} is an ambiguous match: take one of the candidate ids "
                f"{sorted(ids)}, or take='source' to create a new record"
            )
        return "value", str(take)
    if conflict.kind == "missing":
        if take not in ("source", "target"):
            raise ConfigurationError(
                f"conflict {conflict.id}: take='source' re-creates the target record, take='target' "
                "leaves it deleted"
            )
        return str(take), None
    if take in ("source", "target"):
        return str(take), None
    return "value", take


def conflict_key(conflict: Conflict) -> tuple[str, ...]:
    """What makes two conflicts the same open question."""
    if conflict.kind == "field" and conflict.entity:
        return ("field", conflict.entity, conflict.field)
    src = conflict.source
    return (conflict.kind, conflict.flow, src.system, src.object_type, src.id, conflict.field)


def oriented(new: Conflict, existing: Conflict) -> Conflict:
    """``new`` seen the way ``existing`` was first recorded (the reverse flow finds the same
    conflict with source and target swapped; a decision's ``source``/``target`` keep their meaning)."""
    if _side(new.source) == _side(existing.source):
        return attrs.evolve(new, flow=existing.flow)
    return attrs.evolve(
        new,
        flow=existing.flow,
        source=new.target or existing.source,
        target=new.source,
        source_value=new.target_value,
        target_value=new.source_value,
    )


def _side(ref: ExternalRef) -> Side:
    return (ref.system, ref.object_type, ref.id)


@attrs.define
class _Tables:
    """Rows of one memory database (all tenants)."""

    watermarks: dict[tuple[str, str], Watermark] = attrs.Factory(dict)
    identity: dict[tuple[str, Side], list[Any]] = attrs.Factory(dict)  # -> [entity, written_version, ref]
    entities: dict[tuple[str, str], dict[tuple[str, str], Side]] = attrs.Factory(dict)
    ledger: dict[tuple[str, Side], dict[str, str]] = attrs.Factory(dict)
    journal: dict[tuple[str, str], Intent] = attrs.Factory(dict)
    conflicts: dict[int, tuple[str, Conflict]] = attrs.Factory(dict)
    dead: dict[tuple[str, str, Side], DeadLetter] = attrs.Factory(dict)
    runs: list[tuple[str, RunRecord]] = attrs.Factory(list)
    leases: dict[tuple[str, str], tuple[str, datetime]] = attrs.Factory(dict)
    processed: dict[tuple[str, str], dict[str, str]] = attrs.Factory(dict)
    lock: threading.RLock = attrs.Factory(threading.RLock)


class MemoryStateStore:
    """A state store in memory (tests, notebooks); gone when the process ends.

    Args:
        tenant: The tenant every row belongs to.
        clock: Returns the current aware time (leases, timestamps); injectable for tests.
    """

    def __init__(
        self, *, tenant: str = "default", clock: Clock = utcnow, _tables: _Tables | None = None
    ) -> None:
        if not tenant:
            raise ConfigurationError("a state store needs a non-empty tenant")
        self._tenant = tenant
        self._clock = clock
        self._t = _tables or _Tables()

    def __repr__(self) -> str:
        return f"MemoryStateStore(tenant={self._tenant!r})"

    @property
    def tenant(self) -> str:
        """The tenant every row belongs to."""
        return self._tenant

    def with_tenant(self, tenant: str) -> MemoryStateStore:
        """The same memory database seen as another tenant."""
        return MemoryStateStore(tenant=tenant, clock=self._clock, _tables=self._t)

    def close(self) -> None:
        """Nothing to release."""

    # --- public helpers --------------------------------------------------------------------

    def conflicts(self, status: str | None = "open", *, flow: str | None = None) -> list[Conflict]:
        """Conflicts with this status (``None``: all), oldest first."""
        with self._t.lock:
            rows = [c for t, c in self._t.conflicts.values() if t == self._tenant]
        return sorted(
            (c for c in rows if (status is None or c.status == status) and (flow is None or c.flow == flow)),
            key=lambda c: c.id or 0,
        )

    def resolve_conflict(self, id: int, take: object = "source") -> Conflict:
        """Decide a conflict (see :meth:`StateStore.resolve_conflict`).

        Raises:
            ConfigurationError: No such conflict for this tenant, it is already applied, or the
                decision does not fit it.
        """
        with self._t.lock:
            row = self._t.conflicts.get(id)
            if row is None or row[0] != self._tenant:
                raise ConfigurationError(f"no conflict {id} for tenant {self._tenant!r}")
            conflict = row[1]
            if conflict.status == "applied":
                raise ConfigurationError(f"conflict {id} is already applied")
            kind, value = decide(conflict, take)
            decided = attrs.evolve(
                conflict, status="resolved", take=kind, value=value, resolved_at=self._clock()
            )
            self._t.conflicts[id] = (self._tenant, decided)
            return decided

    def dead_letters(self, flow: str | None = None) -> list[DeadLetter]:
        """Records that failed, oldest first."""
        with self._t.lock:
            rows = [
                d
                for (t, f, _), d in self._t.dead.items()
                if t == self._tenant and (flow is None or f == flow)
            ]
        return sorted(rows, key=lambda d: (d.first_seen, d.source.id))

    def runs(self, flow: str | None = None) -> list[RunRecord]:
        """The run log, oldest first."""
        with self._t.lock:
            return [r for t, r in self._t.runs if t == self._tenant and (flow is None or r.flow == flow)]

    def links(self, entity: str | ExternalRef) -> tuple[ExternalRef, ...]:
        """Every record linked to an entity (by key, or by any of its records)."""
        with self._t.lock:
            if isinstance(entity, ExternalRef):
                row = self._t.identity.get((self._tenant, _side(entity)))
                if row is None:
                    return ()
                key = str(row[0])
            else:
                key = entity
            sides = self._t.entities.get((self._tenant, key), {}).values()
            refs = [self._t.identity[(self._tenant, side)][2] for side in sides]
        return tuple(sorted(refs, key=lambda r: (r.system, r.object_type, r.id)))

    def watermark(self, flow: str) -> Watermark | None:
        """Where the flow's change reading stands."""
        return self._t.watermarks.get((self._tenant, flow))

    def reset(self, flow: str) -> None:
        """Forget the flow's watermark and processed versions (links and ledger stay)."""
        with self._t.lock:
            self._t.watermarks.pop((self._tenant, flow), None)
            self._t.processed.pop((self._tenant, flow), None)
        logger.info("flow %s: state reset (full resync on the next run)", flow)

    # --- engine side -----------------------------------------------------------------------

    def acquire_lease(self, flow: str, holder: str, ttl: timedelta) -> None:
        """Take or renew the flow's lease (raises ``LeaseError`` naming a live holder)."""
        with self._t.lock:
            now = self._clock()
            current = self._t.leases.get((self._tenant, flow))
            if current is not None and not lease_is_free(current[0], current[1], holder, now):
                raise LeaseError(flow, current[0], current[1])
            self._t.leases[(self._tenant, flow)] = (holder, now + ttl)

    def release_lease(self, flow: str, holder: str) -> None:
        """Give the lease back if ``holder`` holds it."""
        with self._t.lock:
            current = self._t.leases.get((self._tenant, flow))
            if current is not None and current[0] == holder:
                del self._t.leases[(self._tenant, flow)]

    def identities(self, refs: Iterable[ExternalRef]) -> dict[ExternalRef, tuple[str, str | None]]:
        """For each linked ref: ``(entity, written_version)``."""
        out: dict[ExternalRef, tuple[str, str | None]] = {}
        with self._t.lock:
            for ref in refs:
                row = self._t.identity.get((self._tenant, _side(ref)))
                if row is not None:
                    out[ref] = (row[0], row[1])
        return out

    def linked(self, entities: Iterable[str], system: str, object: str | None) -> dict[str, ExternalRef]:
        """For each entity: its record in ``(system, object)`` (any object when ``None``)."""
        out: dict[str, ExternalRef] = {}
        with self._t.lock:
            for entity in set(entities):
                slots = self._t.entities.get((self._tenant, entity), {})
                found = sorted(
                    side for (sys_, obj), side in slots.items() if sys_ == system and object in (None, obj)
                )
                if found:
                    out[entity] = self._t.identity[(self._tenant, found[0])][2]
        return out

    def pairs(self, a: tuple[str, str], b: tuple[str, str]) -> list[tuple[str, str]]:
        """Linked id pairs between two (system, object)s."""
        with self._t.lock:
            slots = [v for (tenant, _), v in self._t.entities.items() if tenant == self._tenant]
        return sorted((s[a][2], s[b][2]) for s in slots if a in s and b in s)

    def ledger(self, refs: Iterable[ExternalRef]) -> dict[tuple[str, str, str], dict[str, str]]:
        """Ledger hashes by ``(system, object, id)`` then field."""
        with self._t.lock:
            return {
                _side(r): dict(self._t.ledger[(self._tenant, _side(r))])
                for r in refs
                if (self._tenant, _side(r)) in self._t.ledger
            }

    def processed(self, flow: str, ids: Iterable[str]) -> dict[str, str]:
        """The version each source id was last processed at."""
        with self._t.lock:
            seen = self._t.processed.get((self._tenant, flow), {})
            return {i: seen[i] for i in ids if i in seen}

    def conflicts_for(self, refs: Iterable[ExternalRef], statuses: Collection[str]) -> list[Conflict]:
        """Conflicts in these statuses about one of ``refs`` (as source or target)."""
        sides = {_side(r) for r in refs}
        with self._t.lock:
            rows = [c for t, c in self._t.conflicts.values() if t == self._tenant and c.status in statuses]
        return sorted(
            (
                c
                for c in rows
                if _side(c.source) in sides or (c.target is not None and _side(c.target) in sides)
            ),
            key=lambda c: c.id or 0,
        )

    def journal(self, intents: Sequence[Intent]) -> None:
        """Record intents pending."""
        with self._t.lock:
            for intent in intents:
                self._t.journal[(self._tenant, intent.key)] = attrs.evolve(intent, status="pending")

    def pending(self, flow: str) -> list[Intent]:
        """The flow's intents still pending."""
        with self._t.lock:
            return [
                i
                for (t, _), i in self._t.journal.items()
                if t == self._tenant and i.flow == flow and i.status == "pending"
            ]

    def journal_entries(self, flow: str | None = None) -> list[Intent]:
        """Every journalled intent (for inspection), oldest first."""
        with self._t.lock:
            rows = [
                i
                for (t, _), i in self._t.journal.items()
                if t == self._tenant and (flow is None or i.flow == flow)
            ]
        return sorted(rows, key=lambda i: (i.created_at or utcnow(), i.key))

    def commit(self, changes: StateChanges, *, lease: tuple[str, timedelta] | None = None) -> None:
        """Apply a page's changes at once (one lock: no reader sees half a page)."""
        t, tenant, now = self._t, self._tenant, self._clock()
        with t.lock:
            for absorbed, into in changes.merges:
                moved = t.entities.pop((tenant, absorbed), {})
                for side in moved.values():
                    t.identity[(tenant, side)][0] = into
                t.entities.setdefault((tenant, into), {}).update(moved)
            for ref in changes.unlinks:
                self._unlink(_side(ref))
            for entity, ref in changes.links:
                side = _side(ref)
                slots = t.entities.setdefault((tenant, entity), {})
                previous = slots.get(side[:2])
                if previous is not None and previous != side:
                    self._unlink(previous)
                row = t.identity.get((tenant, side))
                if row is not None and row[0] != entity:
                    self._unlink(side)
                    row = None
                version = row[1] if row is not None else None
                t.identity[(tenant, side)] = [entity, version, attrs.evolve(ref, version=None)]
                t.entities.setdefault((tenant, entity), {})[side[:2]] = side
            for ref, version in changes.written:
                row = t.identity.get((tenant, _side(ref)))
                if row is not None:
                    row[1] = version
            for ref in changes.forget:
                t.ledger.pop((tenant, _side(ref)), None)
            for row_ in changes.ledger:
                t.ledger.setdefault((tenant, (row_.system, row_.object, row_.id)), {})[row_.field] = row_.hash
            for key, status in changes.journal:
                intent = t.journal.get((tenant, key))
                if intent is not None:
                    t.journal[(tenant, key)] = attrs.evolve(intent, status=status)
            self._upsert_conflicts(changes.conflicts, now)
            for cid in changes.applied:
                found = t.conflicts.get(cid)
                if found is not None and found[0] == tenant and found[1].status == "resolved":
                    t.conflicts[cid] = (tenant, attrs.evolve(found[1], status="applied"))
            for ref in changes.cleared:
                t.dead.pop((tenant, changes.flow, _side(ref)), None)
            for letter in changes.dead_letters:
                key3 = (tenant, changes.flow, _side(letter.source))
                old = t.dead.get(key3)
                if old is not None:
                    letter = attrs.evolve(letter, attempts=old.attempts + 1, first_seen=old.first_seen)
                t.dead[key3] = attrs.evolve(letter, last_seen=now, error=None)
            seen = t.processed.setdefault((tenant, changes.flow), {})
            seen.update(changes.processed)
            if changes.watermark is not None:
                t.watermarks[(tenant, changes.flow)] = changes.watermark
            if lease is not None:
                held = t.leases.get((tenant, changes.flow))
                if held is not None and held[0] == lease[0]:
                    t.leases[(tenant, changes.flow)] = (lease[0], now + lease[1])

    def _unlink(self, side: Side) -> None:
        row = self._t.identity.pop((self._tenant, side), None)
        if row is not None:
            slots = self._t.entities.get((self._tenant, row[0]), {})
            if slots.get(side[:2]) == side:
                del slots[side[:2]]
            if not slots:
                self._t.entities.pop((self._tenant, row[0]), None)

    def _upsert_conflicts(self, conflicts: Iterable[Conflict], now: datetime) -> None:
        t = self._t
        open_by_key = {
            conflict_key(c): cid
            for cid, (tenant, c) in t.conflicts.items()
            if tenant == self._tenant and c.status == "open"
        }
        for conflict in conflicts:
            cid = open_by_key.get(conflict_key(conflict))
            if cid is None:
                cid = max(t.conflicts, default=0) + 1
                t.conflicts[cid] = (
                    self._tenant,
                    attrs.evolve(conflict, id=cid, status="open", created_at=now),
                )
                open_by_key[conflict_key(conflict)] = cid
            else:
                old = t.conflicts[cid][1]
                t.conflicts[cid] = (
                    self._tenant,
                    attrs.evolve(oriented(conflict, old), id=cid, status="open", created_at=old.created_at),
                )

    def record_run(self, run: RunRecord) -> RunRecord:
        """Append to the run log."""
        with self._t.lock:
            stored = attrs.evolve(run, id=len(self._t.runs) + 1)
            self._t.runs.append((self._tenant, stored))
            return stored
