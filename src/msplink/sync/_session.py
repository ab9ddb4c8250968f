"""The run loop (SYNC.md §4), written once as a sans-I/O generator.

:class:`Session.main` is a generator that *yields I/O requests* (read a page of changes, fetch
records, look up targets, write a batch, settle journalled intents, list ids) and receives their
results; the state store is called directly (local and synchronous). ``msplink.sync._engine`` drives
it with the sync adapters (``run``, ``plan``, ``apply``) or the async ones (``arun``, ``aplan``,
``aapply``): the logic exists once (as in ``msplink.quickbooks._cdc`` and ``msplink._core._plan``).

One run, page by page:

1. take the flow's lease; settle pending journal entries first (did each write land?);
2. replay what needs it: records whose journalled write was settled, records with a decided
   conflict, dead letters (``retry_dead_letters=True``);
3. read pages of changes from the watermark minus the overlap, dropping records already processed at
   the same version; map each record (a ``MappingError`` is a dead letter, the run goes on);
4. match against the identity map, then ONE batched target look-up per page; plan (pure); a record
   whose one candidate a person is asked about by the flow the other way waits as a dead letter;
5. check the guards on the run so far (a breach raises ``GuardError`` before the page's first write);
6. journal the intents ``pending`` (durable) with deterministic idempotency keys, then write in the
   target's batches; a batch whose outcome is unknown is settled at once, transient per-item
   failures are retried, the rest become dead letters;
7. record outcomes, ledger, identity, conflicts, dead letters and processed versions, then move the
   watermark: one transaction per page.
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
import uuid
from collections import defaultdict
from collections.abc import Generator, Iterable, Iterator, Sequence
from datetime import datetime, timezone
from typing import Any, TypeAlias, TypeVar

import attrs

from msplink.errors import (
    AuthenticationError,
    ConfigurationError,
    ConflictError,
    MappingError,
    MsplinkError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    SyncError,
    TransportError,
)
from msplink.models import ExternalRef
from msplink.sync._flow import Flow
from msplink.sync._model import Action, DeadLetter, MatchPendingError, Watermark
from msplink.sync._plan import (
    Current,
    GuardError,
    Incoming,
    Plan,
    PlanItem,
    Resolution,
    Spec,
    differs,
    disputes,
    plan_records,
)
from msplink.sync._protocols import (
    Intent,
    LedgerRow,
    LookupRequest,
    RemoteRecord,
    StateChanges,
    StateStore,
    WriteOp,
    WriteResult,
)
from msplink.sync._report import ProgressCallback, ReportBuilder, SyncReport
from msplink.sync._values import encode, field_values, links_of, named_links, value_hash

__all__ = [
    "Fetch",
    "ListIds",
    "Lookup",
    "ReadChanges",
    "Request",
    "Session",
    "Settle",
    "Writes",
    "WRITE_CONCURRENCY",
    "entity_key",
    "idempotency_key",
    "is_fatal",
]

logger = logging.getLogger("msplink.sync.engine")

T = TypeVar("T")
FETCH_CHUNK = 200
"""Records per fetch request of a replay, and journalled creates per settle request."""


# ------------------------------------------------------------------------------------ requests


@attrs.frozen
class ReadChanges:
    """Read one page of source changes."""

    since: datetime | None
    token: str | None


@attrs.frozen
class Fetch:
    """Fetch source records by id."""

    ids: tuple[str, ...]


@attrs.frozen
class ListIds:
    """List every live source id."""


@attrs.frozen
class Lookup:
    """One batched target look-up."""

    request: LookupRequest


WRITE_CONCURRENCY = 1
"""Write batches the async driver keeps in flight at once for a target that declares no
``write_concurrency``: one, as the sync driver. A target opts in (a class attribute
``write_concurrency = n``) when its batches are independent of each other: one batch never reads what
another wrote (a document several batches add lines to, a balance a batch decrements, a name a batch
reserves). Each client's own limiter caps its platform's requests further."""


@attrs.frozen
class Writes:
    """Write one page's batches to the target: the sync driver sends them in order, the async driver
    up to ``write_concurrency`` at once. The answer holds, per batch in order, its list of results,
    the ``MsplinkError`` it raised, or ``None`` when it was not sent (a batch failed with an error no
    retry mends, such as a revoked grant, so none after it starts)."""

    batches: tuple[tuple[WriteOp, ...], ...]


@attrs.frozen
class Settle:
    """Ask the target which journalled creates landed."""

    intents: tuple[Intent, ...]


Request: TypeAlias = "ReadChanges | Fetch | ListIds | Lookup | Writes | Settle"
Loop: TypeAlias = Generator[Request, Any, T]


# ----------------------------------------------------------------------------------- helpers


def idempotency_key(
    tenant: str, flow: str, source_id: str, source_version: str | None, target_version: str | None = None
) -> str:
    """The deterministic key of one intended write (32 hex digits): the same source record at the
    same version, written against the same target version, always gets the same key, so a resent
    write is recognised (QBO ``requestid``, SF external id, CW stamp) across retries and crashes."""
    raw = "\x1f".join((tenant, flow, source_id, source_version or "", target_version or ""))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


def entity_key(ref: ExternalRef) -> str:
    """The deterministic identity-map key of an entity first seen as ``ref``."""
    raw = f"{ref.system}\x1f{ref.object_type}\x1f{ref.id}"
    return "e-" + hashlib.sha256(raw.encode("utf-8")).hexdigest()[:24]


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _chunks(items: Sequence[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(items), max(1, size)):
        yield list(items[start : start + max(1, size)])


def is_fatal(error: BaseException | None) -> bool:
    """Whether a write error is one no retry mends (authentication, permission, configuration)."""
    return isinstance(error, (AuthenticationError, PermissionDeniedError, ConfigurationError))


def _transient(error: BaseException | None) -> bool:
    return isinstance(error, (RateLimitError, ServerError, TransportError))


def api_calls(flow: Flow) -> dict[str, int]:
    calls: dict[str, int] = {}
    for adapter in (flow.source, flow.target):
        for system, count in dict(adapter.api_calls).items():
            calls[system] = max(calls.get(system, 0), int(count))
    return calls


def _mark(records: Iterable[RemoteRecord]) -> Watermark | None:
    """The page's newest ``(updated_at, id)`` as a watermark (one instance, not one per record)."""
    best: tuple[datetime, str] | None = None
    for r in records:
        moment = r.updated_at
        if moment is None:
            continue
        if moment.tzinfo is None or moment.utcoffset() is None:
            Watermark(updated_at=moment, id=r.id)  # raises the watermark's own error for a naive time
        if best is None or (moment, r.id) > best:
            best = (moment, r.id)
    return None if best is None else Watermark(updated_at=best[0], id=best[1])


# ----------------------------------------------------------------------------------- session


class Session:
    """One run of one flow, as a generator of I/O requests."""

    def __init__(
        self,
        flow: Flow,
        state: StateStore,
        *,
        mode: str,
        retry_dead_letters: bool = False,
        progress: ProgressCallback | None = None,
        given: Plan | None = None,
    ) -> None:
        self.flow = flow
        self.state = state
        self.spec = Spec.of(flow)
        self.mode = mode
        self.writing = mode in ("run", "apply")
        use_state = getattr(flow.target, "use_state", None)
        if use_state is not None and self.writing:
            # a writing run keeps the target's key index in the store when it can (flat memory); a
            # plan or dry run writes nothing to the store (SYNC.md §9), so its index stays in memory
            use_state(state)
        self.retry_dead_letters = retry_dead_letters
        self.progress = progress
        self.given = given
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"
        self.report = ReportBuilder(
            flow.name, started_at=_now(), dry_run=not self.writing, limit=flow.report_limit
        )
        self.watermark = state.watermark(flow.name)
        self.planned: list[PlanItem] = []
        self.failures: list[DeadLetter] = []
        self.seen: set[str] = set()
        self.writes = 0
        self.deletes = 0
        self.linked_base = (
            len(state.pairs(self.spec.source, self.spec.target)) if flow.guards.allow_delete else 0
        )
        self.replan: list[str] = []
        self.replanned: set[str] = set()
        self.pages = 0
        self.complete = False
        self.calls_at_start = api_calls(flow)
        self.calls_elsewhere: dict[str, int] = {}  # by sessions run in turn with this one (same clients)
        self.unit = self.own_unit
        """Source records gathered into one planned page (sessions run in turn share the largest)."""

    @property
    def _batch(self) -> int:
        return max(1, int(self.flow.target.batch_size))

    @property
    def _lease(self) -> tuple[str, Any] | None:
        return (self.holder, self.flow.lease_ttl) if self.writing else None

    # --- the run ---------------------------------------------------------------------------

    def main(self) -> Loop[Any]:
        flow = self.flow
        leased = False
        if self.writing:
            self.state.acquire_lease(flow.name, self.holder, flow.lease_ttl)
            leased = True
        logger.info("flow %s: %s started (watermark %s)", flow.name, self.mode, self.watermark or "-")
        try:
            replay: list[str] = []
            if self.writing:
                replay = yield from self._settle_pending()
            if self.mode == "apply":
                yield from self._apply_given(replay)
            else:
                yield from self._replay([*replay, *self._decided_ids(), *self._dead_letter_ids()])
                yield from self._read()
                if self.complete and flow.detect_deletes and not flow.source.has_delete_feed:
                    yield from self._full_diff()
            while self.replan:
                ids, self.replan = self.replan, []
                self.replanned.update(ids)
                yield from self._replay(ids)
        except SyncError as exc:
            exc.report = self._finish("guarded" if isinstance(exc, GuardError) else "failed", str(exc))
            raise
        finally:
            if leased:
                self.state.release_lease(flow.name, self.holder)
        if self.mode == "plan":
            return Plan(
                flow=flow.name,
                items=tuple(self.planned),
                failures=tuple(self.failures),
                watermark=self.watermark,
                complete=self.complete,
                created_at=_now(),
                flow_object=flow,
            )
        return self._finish("ok")

    def _finish(self, status: str, error: str | None = None) -> SyncReport:
        calls_now = api_calls(self.flow)
        start, elsewhere = self.calls_at_start, self.calls_elsewhere
        calls = {s: n - start.get(s, 0) - elsewhere.get(s, 0) for s, n in calls_now.items()}
        report = self.report.build(ended_at=_now(), api_calls=calls, watermark=self.watermark, status=status)
        if self.mode != "plan":
            self.state.record_run(attrs.evolve(report.to_record(), error=error))
        logger.info(
            "flow %s: %s %s, %d records, %d writes, API calls %s",
            self.flow.name,
            self.mode,
            status,
            self.report.records,
            report.writes,
            dict(calls),
        )
        return report

    def _ask(self, request: Request, what: str) -> Loop[Any]:
        """Yield a read-side request; its failure aborts the run (nothing can be planned without it)."""
        try:
            return (yield request)
        except SyncError:
            raise
        except MsplinkError as exc:
            raise SyncError(f"flow {self.flow.name}: {what} failed: {exc}") from exc

    # --- settlement ------------------------------------------------------------------------

    def _settle_pending(self) -> Loop[list[str]]:
        pending = self.state.pending(self.flow.name)
        if not pending:
            return []
        logger.info("flow %s: settling %d journalled writes", self.flow.name, len(pending))
        try:
            landed = yield from self._settle(pending)
        except MsplinkError as exc:
            raise SyncError(f"flow {self.flow.name}: settling journalled writes failed: {exc}") from exc
        changes = StateChanges(flow=self.flow.name)
        for intent in pending:
            record = landed.get(intent.key)
            if record is None:
                changes.journal.append((intent.key, "abandoned"))
            else:
                self._landed(changes, intent, record)
        self.state.commit(changes, lease=self._lease)
        return [intent.source.id for intent in pending]

    def _settle(self, intents: Sequence[Intent]) -> Loop[dict[str, RemoteRecord | None]]:
        """Which intents landed: creates by asking the target, updates and deletes by looking up."""
        out: dict[str, RemoteRecord | None] = {}
        creates = [i for i in intents if i.action is Action.CREATE]
        for chunk in _chunks(creates, FETCH_CHUNK):
            found = yield Settle(tuple(chunk))
            for intent, record in zip(chunk, found, strict=True):
                out[intent.key] = record if record is not None and not record.deleted else None
        others = [i for i in intents if i.action is not Action.CREATE and i.target is not None]
        if others:
            targets = {i.key: i.target.id for i in others if i.target is not None}
            found = yield Lookup(LookupRequest(ids=sorted(set(targets.values()))))
            current = {r.id: r for r in found if not r.deleted}
            for intent in others:
                record = current.get(targets[intent.key])
                if intent.action is Action.DELETE:
                    out[intent.key] = (
                        RemoteRecord(id=targets[intent.key], deleted=True) if record is None else None
                    )
                else:
                    out[intent.key] = record if record is not None and self._holds(record, intent) else None
        return out

    def _holds(self, record: RemoteRecord, intent: Intent) -> bool:
        try:
            canonical = self.flow.target_mapper.to_canonical(record.data, self.flow.config)
        except MappingError:
            return False
        values = field_values(canonical, system=self.spec.target[0])
        return all(value_hash(values.get(p)) == h for p, h in intent.target_hashes.items())

    def _landed(self, changes: StateChanges, intent: Intent, record: RemoteRecord) -> None:
        """Record a journalled write that landed (found by settlement)."""
        system, object_type = self.spec.target
        changes.journal.append((intent.key, "done"))
        changes.applied.extend(intent.applied)
        if intent.action is Action.DELETE:
            changes.unlinks.extend(r for r in (intent.source, intent.target) if r is not None)
            changes.forget.extend(r for r in (intent.source, intent.target) if r is not None)
            return
        entity = intent.entity or entity_key(intent.source)
        target = ExternalRef(system, object_type, record.id, record.version)
        changes.links.extend([(entity, intent.source), (entity, target)])
        changes.written.append((target, record.version if intent.pure else None))
        self._ledger(changes, intent.source, intent.source_hashes, None)
        self._ledger(changes, target, intent.target_hashes, record.version)

    @staticmethod
    def _ledger(changes: StateChanges, ref: ExternalRef, hashes: Any, version: str | None) -> None:
        changes.ledger.extend(
            LedgerRow(ref.system, ref.object_type, ref.id, path, digest, version)
            for path, digest in hashes.items()
        )

    # --- what to read ----------------------------------------------------------------------

    def _decided_ids(self) -> list[str]:
        ids: list[str] = []
        pair = frozenset({self.spec.source, self.spec.target})
        for conflict in self.state.conflicts("resolved"):
            source_side = (conflict.source.system, conflict.source.object_type)
            if conflict.kind == "field" and conflict.sides() == pair:
                ref = conflict.source if source_side == self.spec.source else conflict.target
                if ref is not None:
                    ids.append(ref.id)
            elif conflict.kind != "field" and conflict.flow == self.flow.name:
                ids.append(conflict.source.id)
        return ids

    def _dead_letter_ids(self) -> list[str]:
        if not self.retry_dead_letters:
            return []
        return [letter.source.id for letter in self.state.dead_letters(self.flow.name)]

    def _replay(self, ids: Sequence[str]) -> Loop[None]:
        unique = list(dict.fromkeys(ids))
        for chunk in _chunks(unique, FETCH_CHUNK):
            found = yield from self._ask(Fetch(tuple(chunk)), "fetching source records")
            by_id = {r.id: r for r in found}
            records = [by_id.get(i) or RemoteRecord(id=i, version="deleted", deleted=True) for i in chunk]
            asked = set(chunk)
            records += [r for r in found if r.id not in asked]  # records that come with the ones asked for
            yield from self._page(records, replay=True)

    @property
    def own_unit(self) -> int:
        """Source records planned and written together: the target's ``plan_records`` (source pages
        are gathered until they hold that many), else one (one source page)."""
        return max(1, int(getattr(self.flow.target, "plan_records", 0) or 0))

    def _read(self) -> Loop[None]:
        since = None if self.watermark is None else self.watermark.updated_at - self.flow.overlap
        token: str | None = None
        newest: Watermark | None = None  # of an unordered read, held back until it completes
        records: list[RemoteRecord] = []  # the pages gathered toward one planned page
        ordered = True
        while True:
            page = yield from self._ask(ReadChanges(since, token), "reading changes")
            records.extend(page.records)
            ordered = ordered and page.ordered
            token = page.next_token
            if token is not None and len(records) < self.unit:
                continue
            mark = _mark(records)
            if not ordered:
                newest = max(filter(None, (newest, mark)), default=None)
                mark = newest if token is None else None
            yield from self._page(records, mark=mark)
            records, ordered = [], True
            if token is None:
                self.complete = True
                return

    def _full_diff(self) -> Loop[None]:
        live = set((yield from self._ask(ListIds(), "listing source ids")))
        gone = sorted(
            sid for sid, _ in self.state.pairs(self.spec.source, self.spec.target) if sid not in live
        )
        if gone:
            logger.info("flow %s: %d linked source records are gone", self.flow.name, len(gone))
        tombstones = [RemoteRecord(id=sid, version="deleted", deleted=True) for sid in gone]
        for chunk in _chunks(tombstones, FETCH_CHUNK):
            yield from self._page(chunk, replay=True)

    def _apply_given(self, replay: list[str]) -> Loop[None]:
        plan = self.given
        if plan is None:
            raise ConfigurationError("apply needs a plan")
        breach = self.flow.guards.breach(writes=plan.writes, deletes=plan.deletes, linked=self.linked_base)
        if breach:
            raise GuardError(f"flow {self.flow.name}: {breach}; nothing was written", plan=plan)
        yield from self._replay(replay)
        changes = StateChanges(flow=self.flow.name)
        for letter in plan.failures:
            self._dead(changes, letter.source, letter.action, letter.error, letter.error_type, letter.message)
        for item in plan.items:
            if not item.writes and not item.link:
                self._record(changes, item, None, entity=item.entity, absorbed=None)
        self.state.commit(changes, lease=self._lease)
        redo = [item for item in plan.items if item.writes or item.link]
        for chunk in _chunks(redo, FETCH_CHUNK):
            found = yield from self._ask(Fetch(tuple(i.source.id for i in chunk)), "fetching source records")
            by_id = {r.id: r for r in found}
            records = [by_id.get(i.source.id) or RemoteRecord(id=i.source.id, deleted=True) for i in chunk]
            yield from self._page(records, replay=True, expected={i.source.id: i for i in chunk})
        if plan.watermark is not None and (self.watermark is None or plan.watermark > self.watermark):
            self.watermark = plan.watermark
            self.state.commit(StateChanges(flow=self.flow.name, watermark=plan.watermark), lease=self._lease)

    # --- one page --------------------------------------------------------------------------

    def _page(
        self,
        records: list[RemoteRecord],
        *,
        mark: Watermark | None = None,
        replay: bool = False,
        expected: dict[str, PlanItem] | None = None,
    ) -> Loop[None]:
        """Plan and carry out one page; ``mark`` is where the watermark may move once it is committed."""
        flow, spec, state = self.flow, self.spec, self.state
        latest: dict[str, RemoteRecord] = {}
        for record in records:
            latest[record.id] = record
        fresh = list(latest.values())
        if not replay:
            done = state.processed(flow.name, latest)
            fresh = [r for r in fresh if r.version is None or done.get(r.id) != r.version]
        if not self.writing:
            fresh = [r for r in fresh if r.id not in self.seen]
            self.seen.update(r.id for r in fresh)
        self.pages += 1
        if not fresh:
            self._commit(StateChanges(flow=flow.name), mark)
            return
        refs = {r.id: ExternalRef(spec.source[0], spec.source[1], r.id, r.version) for r in fresh}
        known = state.identities(refs.values())
        entity_of = {sid: known[ref][0] for sid, ref in refs.items() if ref in known}
        linked = state.linked(entity_of.values(), *spec.target)
        early: dict[str, PlanItem | DeadLetter] = {}
        incoming: list[Incoming] = []
        user = None if replay else flow.source.integration_user
        resolutions = self._resolutions(refs.values())
        for record in fresh:
            ref, entity = refs[record.id], entity_of.get(record.id)
            target = linked.get(entity) if entity else None
            base: dict[str, Any] = {"source": ref, "entity": entity, "target": target}
            if record.deleted:
                incoming.append(Incoming(ref=ref, deleted=True, target=target, entity=entity))
                continue
            if (
                user
                and record.id not in resolutions
                and record.modified_by == user
                and record.version
                and known.get(ref, ("", None))[1] == record.version
            ):
                early[record.id] = PlanItem(action=Action.SKIP, reason="authored_by_integration_user", **base)
                continue
            try:
                canonical = flow.source_mapper.to_canonical(record.data, flow.config)
            except MappingError as exc:
                early[record.id] = self._letter(ref, "map", exc)
                continue
            if canonical is None:
                early[record.id] = PlanItem(action=Action.SKIP, reason="unmapped", **base)
                continue
            incoming.append(Incoming(ref=ref, record=canonical, target=target, entity=entity))
        incoming = self._resolve_links(incoming)
        currents, unreadable, target_entity = yield from self._candidates(incoming, resolutions)
        for inc in list(incoming):
            if inc.target is not None and inc.target.id in unreadable:
                error = MappingError(f"{inc.target}", "the linked target record cannot be mapped")
                early[inc.ref.id] = self._letter(inc.ref, "map", error)
                incoming.remove(inc)
        ledger = state.ledger([i.ref for i in incoming] + [c.ref for c in currents.values()])
        planned = {
            item.source.id: item for item in plan_records(spec, incoming, currents, ledger, resolutions)
        }
        items: list[PlanItem] = []
        letters: list[DeadLetter] = []
        for record in fresh:
            entry = early.get(record.id) or planned.get(record.id)
            if isinstance(entry, DeadLetter):
                letters.append(entry)
            elif entry is not None and entry.waits_for is not None:  # see MatchPendingError
                waits = MatchPendingError(entry.source, entry.candidates[0], entry.waits_for, entry.rule)
                letters.append(self._letter(entry.source, "match", waits))
            elif entry is not None:
                items.append(entry)
        if expected:
            self.report.replanned += sum(1 for i in items if differs(i, expected.get(i.source.id)))
        self._guard(items)
        if not self.writing:
            self.planned.extend(items)
            self.failures.extend(letters)
            for item in items:
                self.report.add(item.source, item.action, "planned", target=item.target, reason=item.reason)
            for letter in letters:
                self.report.add(
                    letter.source, Action.SKIP, "failed", reason=letter.error_type, error=letter.error
                )
                self.report.fail(letter)
            self._commit(StateChanges(flow=flow.name), mark)  # moves only the in-memory watermark
            return
        yield from self._execute(items, letters, mark, target_entity)

    def _guard(self, items: list[PlanItem]) -> None:
        writes = sum(1 for i in items if i.writes)
        deletes = sum(1 for i in items if i.action is Action.DELETE)
        if self.mode != "plan":
            breach = self.flow.guards.breach(
                writes=self.writes + writes, deletes=self.deletes + deletes, linked=self.linked_base
            )
            if breach:
                page = Plan(flow=self.flow.name, items=tuple(items), created_at=_now(), flow_object=self.flow)
                raise GuardError(
                    f"flow {self.flow.name}: {breach}; nothing of this plan was written", plan=page
                )
        self.writes += writes
        self.deletes += deletes

    def _resolve_links(self, incoming: list[Incoming]) -> list[Incoming]:
        """Give every link in a source record its target-system ref, from the identity map."""
        system = self.spec.target[0]
        refs = {
            ref
            for inc in incoming
            if inc.record is not None
            for value in links_of(inc.record)
            for ref in value.refs
            if value.ref_for(system) is None
        }
        if not refs:
            return incoming
        known = self.state.identities(refs)
        targets = self.state.linked({entity for entity, _ in known.values()}, system, None)
        out = []
        for inc in incoming:
            updates = {}
            for name, link in named_links(inc.record):
                value = link
                for ref in link.refs:
                    found = targets.get(known[ref][0]) if ref in known else None
                    if found is not None and value.ref_for(system) is None:
                        value = value.with_ref(found)
                if value is not link:  # a record none of whose links changed is kept as it is
                    updates[name] = value
            out.append(attrs.evolve(inc, record=attrs.evolve(inc.record, **updates)) if updates else inc)
        return out

    def _resolutions(self, refs: Iterable[ExternalRef]) -> dict[str, list[Resolution]]:
        out: dict[str, list[Resolution]] = defaultdict(list)
        pair = frozenset({self.spec.source, self.spec.target})
        for conflict in self.state.conflicts_for(refs, ("resolved", "applied")):
            if conflict.id is None:
                continue
            if conflict.kind == "field" and conflict.sides() != pair:
                continue
            if conflict.kind != "field" and conflict.flow != self.flow.name:
                continue
            if conflict.status == "applied" and conflict.kind != "missing":
                continue
            source_side = (conflict.source.system, conflict.source.object_type)
            mine = conflict.source if source_side == self.spec.source else conflict.target
            if mine is None:
                continue
            winner: tuple[str, str] | None = None
            if conflict.take == "source":
                winner = source_side
            elif conflict.take == "target" and conflict.target is not None:
                winner = (conflict.target.system, conflict.target.object_type)
            value = conflict.value
            if conflict.kind == "match" and conflict.take == "source":
                value = None
            out[mine.id].append(
                Resolution(
                    conflict=conflict.id, kind=conflict.kind, field=conflict.field, winner=winner, value=value
                )
            )
        return out

    def _candidates(
        self, incoming: list[Incoming], resolutions: dict[str, list[Resolution]]
    ) -> Loop[tuple[dict[str, Current], set[str], dict[str, str]]]:
        spec = self.spec
        ids = {inc.target.id for inc in incoming if inc.target is not None}
        ids.update(
            str(r.value)
            for rs in resolutions.values()
            for r in rs
            if r.kind == "match" and r.value is not None
        )
        keys: dict[str, set[str]] = defaultdict(set)
        values: dict[str, set[str]] = defaultdict(set)
        for inc in incoming:
            if inc.target is None and inc.record is not None:
                for rule in spec.rules:
                    keys[rule.lookup_kind] |= rule.source_keys(inc.record, inc.ref.id)
                    values[rule.lookup_kind].update(rule.raw_values(inc.record))
        request = LookupRequest(
            ids=sorted(ids),
            keys={k: sorted(v) for k, v in keys.items() if v},
            values={k: sorted(v) for k, v in values.items() if v},
        )
        if not request:
            return {}, set(), {}
        found = yield from self._ask(Lookup(request), "looking up target records")
        currents: dict[str, Current] = {}
        unreadable: set[str] = set()
        for record in found:
            if record.deleted:
                continue
            try:
                canonical = self.flow.target_mapper.to_canonical(record.data, self.flow.config)
            except MappingError:
                unreadable.add(record.id)
                continue
            if canonical is not None:
                ref = ExternalRef(spec.target[0], spec.target[1], record.id, record.version)
                currents[record.id] = Current(ref=ref, record=canonical)
        known = self.state.identities(c.ref for c in currents.values())
        target_entity = {ref.id: entity for ref, (entity, _) in known.items()}
        owners = self.state.linked(set(target_entity.values()), *spec.source)
        claimed = {tid for tid, entity in target_entity.items() if entity in owners}
        free = [c.ref for tid, c in currents.items() if tid not in claimed]  # asked of the other way
        disputed = disputes(spec, self.state.conflicts_for(free, ("open", "resolved")))
        marked = claimed | disputed.keys()
        currents = {
            t: attrs.evolve(c, claimed=t in claimed, disputed=disputed.get(t)) if t in marked else c
            for t, c in currents.items()
        }
        return currents, unreadable, target_entity

    # --- writing ---------------------------------------------------------------------------

    def _execute(
        self,
        items: list[PlanItem],
        letters: list[DeadLetter],
        mark: Watermark | None,
        target_entity: dict[str, str],
    ) -> Loop[None]:
        flow = self.flow
        changes = StateChanges(flow=flow.name)
        for letter in letters:
            self._dead(changes, letter.source, letter.action, letter.error, letter.error_type, letter.message)
        entities = {item.source.id: self._entity(item, target_entity) for item in items}
        ops: list[WriteOp] = []
        intents: dict[str, Intent] = {}
        by_key: dict[str, PlanItem] = {}
        for item in items:
            if not item.writes:
                self._record(changes, item, None, *entities[item.source.id])
                continue
            try:
                payload = (
                    None
                    if item.action is Action.DELETE
                    else flow.target_mapper.from_canonical(item.record, flow.config)
                )
            except MappingError as exc:
                self._dead(changes, item.source, item.action.value, exc)
                self.report.add(item.source, item.action, "failed", target=item.target, error=exc)
                continue
            target_version = item.target.version if item.target is not None else None
            key = idempotency_key(
                self.state.tenant, flow.name, item.source.id, item.source.version, target_version
            )
            entity, _ = entities[item.source.id]
            ops.append(
                WriteOp(
                    action=item.action,
                    key=key,
                    source=item.source,
                    target_id=item.target.id if item.target is not None else None,
                    version=target_version,
                    payload=payload,
                    record=item.record,
                    changes=item.changes,
                )
            )
            intents[key] = Intent(
                key=key,
                flow=flow.name,
                action=item.action,
                source=item.source,
                target=item.target,
                entity=entity,
                values=self._values(item),
                source_hashes=item.source_hashes,
                target_hashes=item.target_hashes,
                pure=item.pure,
                applied=item.applied,
                created_at=self._target_now(),
            )
            by_key[key] = item
        results: dict[str, WriteResult | None] = {}
        if ops:
            self.state.journal(list(intents.values()))
            results = yield from self._write(ops, intents)
        for key, item in by_key.items():
            self._record(changes, item, results.get(key), *entities[item.source.id], key=key)
        self._commit(changes, mark)

    def _target_now(self) -> datetime:
        """The time by the target adapter's clock (``now``, when it has one): journalled creates are
        settled by comparing it with the target's own creation times."""
        clock = getattr(self.flow.target, "now", None)
        moment = clock() if callable(clock) else None
        return moment.astimezone(timezone.utc) if isinstance(moment, datetime) else _now()

    def _values(self, item: PlanItem) -> dict[str, Any]:
        if item.record is None:
            return {}
        values = field_values(item.record, system=self.spec.target[0], fields=self.spec.fields)
        return {p: encode(v) for p, v in values.items()}

    def _write(self, ops: list[WriteOp], intents: dict[str, Intent]) -> Loop[dict[str, WriteResult | None]]:
        results: dict[str, WriteResult | None] = {}
        pending = ops
        attempt = 1
        while pending:
            answered: dict[str, WriteResult | None] = {}
            chunks = [tuple(chunk) for chunk in _chunks(pending, self._batch)]
            outs = yield Writes(tuple(chunks))
            for chunk, out in zip(chunks, outs, strict=True):
                if out is None:  # not sent (a batch before it failed for good)
                    answered.update(dict.fromkeys((op.key for op in chunk), None))
                    continue
                if isinstance(out, MsplinkError):
                    if is_fatal(out):
                        raise SyncError(f"flow {self.flow.name}: writing failed: {out}") from out
                    logger.warning(
                        "flow %s: a write batch failed (%s); settling it", self.flow.name, type(out).__name__
                    )
                    try:
                        landed = yield from self._settle([intents[op.key] for op in chunk])
                    except MsplinkError:
                        answered.update(dict.fromkeys((op.key for op in chunk), None))
                        continue
                    for op in chunk:
                        record = landed.get(op.key)
                        answered[op.key] = (
                            WriteResult(key=op.key, id=record.id, version=record.version)
                            if record is not None
                            else WriteResult(key=op.key, error=out)
                        )
                    continue
                given = {result.key: result for result in out}
                for op in chunk:
                    answered[op.key] = given.get(
                        op.key,
                        WriteResult(
                            key=op.key, error=SyncError("the target returned no result for this write")
                        ),
                    )
            retry = []
            for op in pending:
                result = answered[op.key]
                if result is not None and is_fatal(result.error):
                    raise SyncError(
                        f"flow {self.flow.name}: writing failed: {result.error}"
                    ) from result.error
                if result is not None and _transient(result.error) and attempt < self.flow.max_attempts:
                    retry.append(op)
                else:
                    results[op.key] = result
            pending = retry
            attempt += 1
        return results

    def _entity(self, item: PlanItem, target_entity: dict[str, str]) -> tuple[str, str | None]:
        """The entity an item's records belong to, and an entity it absorbs (a merge), if any."""
        theirs = target_entity.get(item.target.id) if item.target is not None else None
        mine = item.entity
        if mine and theirs and mine != theirs and item.link:
            return mine, theirs
        return mine or theirs or entity_key(item.source), None

    def _record(
        self,
        changes: StateChanges,
        item: PlanItem,
        result: WriteResult | None,
        entity: str | None,
        absorbed: str | None,
        *,
        key: str | None = None,
    ) -> None:
        """Record one item's outcome into the page's changes and the report."""
        action, source = item.action, item.source
        status = {Action.SKIP: "skipped", Action.LINK: "linked", Action.CONFLICT: "conflict"}.get(action)
        target = item.target
        if item.writes:
            if result is None or key is None:
                self.report.add(source, action, "pending", target=target, reason="outcome unknown")
                return
            if not result.ok:
                error = result.error
                if (
                    isinstance(error, ConflictError)
                    and action is Action.UPDATE
                    and source.id not in self.replanned
                ):
                    changes.journal.append((key, "failed"))
                    self.replan.append(source.id)
                    return
                changes.journal.append((key, "failed"))
                self._dead(changes, source, action.value, error)
                changes.processed.append((source.id, source.version or ""))
                self.report.add(source, action, "failed", target=target, error=error)
                return
            changes.journal.append((key, "done"))
            status = {Action.CREATE: "created", Action.UPDATE: "updated", Action.DELETE: "deleted"}[action]
            if action is not Action.DELETE:
                system, object_type = self.spec.target
                target = ExternalRef(
                    system, object_type, result.id or (target.id if target else ""), result.version
                )
                changes.written.append((target, result.version if item.pure else None))
        if item.unlink or action is Action.DELETE:
            for ref in (source, item.target):
                if ref is not None:
                    changes.unlinks.append(ref)
                    changes.forget.append(ref)
        elif target is not None and entity is not None and (item.link or action is Action.CREATE):
            if absorbed is not None:
                changes.merges.append((absorbed, entity))
            changes.links.extend([(entity, source), (entity, target)])
        if action is not Action.DELETE and not item.unlink:
            self._ledger(changes, source, item.source_hashes, None)
            if target is not None:
                self._ledger(changes, target, item.target_hashes, result.version if result else None)
        for conflict in item.conflicts:
            found = attrs.evolve(conflict, entity=conflict.entity or (entity if target is not None else None))
            changes.conflicts.append(found)
            self.report.conflict(found)
        changes.applied.extend(item.applied)
        changes.processed.append((source.id, source.version or ""))
        changes.cleared.append(source)
        self.report.add(source, action, status or "skipped", target=target, reason=item.reason)

    def _letter(self, source: ExternalRef, action: str, error: MsplinkError) -> DeadLetter:
        now = _now()
        return DeadLetter(
            flow=self.flow.name,
            source=source,
            action=action,
            error_type=type(error).__name__,
            message=str(error),
            first_seen=now,
            last_seen=now,
            error=error,
        )

    def _dead(
        self,
        changes: StateChanges,
        source: ExternalRef,
        action: str,
        error: MsplinkError | None,
        error_type: str | None = None,
        message: str | None = None,
    ) -> None:
        letter = self._letter(source, action, error or SyncError(message or "failed"))
        if error is None:
            letter = attrs.evolve(letter, error_type=error_type or letter.error_type, message=message or "")
        changes.dead_letters.append(letter)
        changes.processed.append((source.id, source.version or ""))
        if action in ("map", "match"):  # no write was tried: the outcome is the letter
            self.report.add(source, Action.SKIP, "failed", reason=letter.error_type, error=error)
        self.report.fail(letter)
        logger.warning("flow %s: %s of %s failed: %s", self.flow.name, action, source, letter.error_type)

    def _commit(self, changes: StateChanges, mark: Watermark | None) -> None:
        if self.writing:
            if mark is not None and (self.watermark is None or mark > self.watermark):
                changes.watermark = mark
            if changes or self._lease:
                self.state.commit(changes, lease=self._lease)
            if changes.watermark is not None:
                self.watermark = changes.watermark
        elif mark is not None and (self.watermark is None or mark > self.watermark):
            self.watermark = mark
        self._tick()

    def _tick(self) -> None:
        done = (self.flow.name, self.pages, self.report.records, self.report.writes)
        logger.info("flow %s: page %d done, %d records, %d writes", *done)
        if self.progress is not None:
            self.progress(self.report.records, self.report.writes)
