"""What the engine needs from a platform and from a state store (SYNC.md §3-§7).

A platform adapter (``msplink.sync.adapters``) wraps one client and one vendor object and implements
:class:`Source` (change reader), :class:`Target` (look-up + writer), or both; the ``Async*`` twins do
the same over the async clients. The engine never imports a client: it talks to these protocols with
the small frozen types below, so an in-memory implementation (tests, notebooks) serves as well as
ConnectWise, QuickBooks or Salesforce.

What each platform brings (SYNC.md §5):

- **ConnectWise**: ``read_changes`` pages ``lastUpdated >= since`` forward-only with ``fields=``
  limited to what the mapper reads; no delete feed (``has_delete_feed = False``: deletes come from
  :meth:`Source.list_ids` after a complete read); writes one call per record, creates settled by
  looking the record up with the flow's match rules (the intent's ``values``).
- **QuickBooks**: CDC when the watermark is recent, else ``MetaData.LastUpdatedTime`` queries with
  ``Active IN (true, false)``; tombstones from CDC; ``/batch`` of 30 with the intent's ``key`` as
  ``requestid`` (a resent batch is answered from Intuit's cache, so a lost response never creates
  twice).
- **Salesforce**: SOQL on ``SystemModstamp`` with an explicit field list, ``getDeleted`` tombstones,
  ``LastModifiedById`` as ``modified_by``; writes through sObject Collections (200) or upsert by an
  external-id field holding the intent's ``key``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any, Protocol, runtime_checkable

import attrs

from msplink.errors import MsplinkError
from msplink.models import ExternalRef, tz_aware
from msplink.sync._model import Action, Conflict, DeadLetter, FieldChange, RunRecord, Watermark

__all__ = [
    "AsyncSource",
    "AsyncTarget",
    "ChangePage",
    "Intent",
    "LedgerRow",
    "LookupRequest",
    "MapperLike",
    "RemoteRecord",
    "Source",
    "StateChanges",
    "StateStore",
    "Target",
    "WriteOp",
    "WriteResult",
]


def _frozen(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(value or {}))


def _tuples(value: Mapping[str, Iterable[str]] | None) -> Mapping[str, tuple[str, ...]]:
    return MappingProxyType({k: tuple(v) for k, v in sorted((value or {}).items())})


def _ids(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class RemoteRecord:
    """One record as a platform returns it, with what the engine needs to know about it.

    Attributes:
        id: The platform id.
        version: The concurrency token (CW ``_info.lastUpdated``, QBO ``SyncToken``, SF
            ``SystemModstamp``); two reads with the same version hold the same values.
        updated_at: When it last changed (aware); the change cursor.
        data: The wire record, handed to the flow's mapper (excluded from eq and repr).
        deleted: A tombstone (QBO CDC deletion, SF ``getDeleted``, a full-listing diff).
        modified_by: Who last changed it, where the platform says (SF ``LastModifiedById``).
        key: The idempotency key stamped on it by msplink's create, where the platform keeps one.
    """

    id: str
    version: str | None = None
    updated_at: datetime | None = attrs.field(default=None, validator=tz_aware)
    data: Any = attrs.field(default=None, eq=False, repr=False)
    deleted: bool = False
    modified_by: str | None = None
    key: str | None = None


def _records(value: Iterable[RemoteRecord]) -> tuple[RemoteRecord, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class ChangePage:
    """One page of changes.

    Attributes:
        records: The changed records (tombstones included where the platform has a delete feed).
        next_token: Opaque token for the next page of the same read, or ``None`` at the end.
        ordered: Whether the read's pages come in ``(updated_at, id)`` order, so the flow's watermark
            may move to each page's newest record as soon as the page is committed. A read paged in
            another order (ConnectWise forward-only paging goes by id) says ``False``: its watermark
            moves only once the whole read is committed (a crash in between re-reads the window, and
            records already processed at the same version are dropped).
    """

    records: tuple[RemoteRecord, ...] = attrs.field(converter=_records)
    next_token: str | None = None
    ordered: bool = True


@attrs.frozen(kw_only=True)
class LookupRequest:
    """One batched look-up of target records for a page (one query per page, not per record).

    Attributes:
        ids: Target ids to fetch (records already linked in the identity map).
        keys: Normalised match keys by kind: ``email`` (lower-cased addresses), ``name``
            (normalised names, see ``by_name``), ``domain`` (``example.com``) and
            ``external_id:<field>`` (the source ids a target field should hold).
        values: The raw source values behind ``keys`` (for platforms that search raw text).
    """

    ids: tuple[str, ...] = attrs.field(default=(), converter=_ids)
    keys: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict, converter=_tuples)
    values: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict, converter=_tuples)

    def __bool__(self) -> bool:
        return bool(self.ids) or any(self.keys.values())


@attrs.frozen(kw_only=True)
class WriteOp:
    """One write the engine asks a target to make.

    Attributes:
        action: ``CREATE``, ``UPDATE`` or ``DELETE``.
        key: The idempotency key (stable across crashes and retries of the same intent): QBO
            ``requestid``, the SF external-id value, the CW stamp.
        source: The source record it comes from.
        target_id: The target record (``None`` for a create).
        version: The target version the plan was made against (optimistic concurrency).
        payload: The wire record from the flow's target mapper (``None`` for a delete).
        record: The canonical record that ``payload`` was mapped from.
        changes: For an update, the fields that change (send these, sparse).
    """

    action: Action
    key: str
    source: ExternalRef
    target_id: str | None = None
    version: str | None = None
    payload: Any = attrs.field(default=None, eq=False, repr=False)
    record: Any = attrs.field(default=None, eq=False, repr=False)
    changes: tuple[FieldChange, ...] = ()


@attrs.frozen(kw_only=True)
class WriteResult:
    """The outcome of one :class:`WriteOp`, matched to it by ``key``.

    Attributes:
        key: The op's idempotency key.
        id: The target id written (the new id of a create).
        version: The version the platform returned after the write.
        error: The typed error when this item failed (the rest of the batch may have succeeded).
    """

    key: str
    id: str | None = None
    version: str | None = None
    error: MsplinkError | None = attrs.field(default=None, eq=False)

    @property
    def ok(self) -> bool:
        """Whether the item was written."""
        return self.error is None


@attrs.frozen(kw_only=True)
class Intent:
    """A journalled write: recorded ``pending`` before the API call, ``done``/``failed`` after.

    After a crash, pending intents are settled before anything is written again: creates by asking
    the target (:meth:`Target.settle`, by ``key`` or by match rules on ``values``), updates and
    deletes by looking the target record up.

    Attributes:
        key: The idempotency key.
        flow: The flow name.
        action: ``CREATE``, ``UPDATE`` or ``DELETE``.
        source: The source record (with the version planned from).
        target: The target record (``None`` for a create).
        entity: The identity-map key, when known.
        values: The desired compared values (JSON-encoded) for settlement by match rules.
        source_hashes: Ledger hashes to record for the source side once the write landed.
        target_hashes: Ledger hashes to record for the target side once the write landed.
        pure: Whether the written target record holds no change msplink has not synced.
        applied: Conflict ids this write applies.
        status: ``pending``, ``done``, ``failed`` or ``abandoned`` (did not land; re-planned).
        created_at: When it was journalled.
    """

    key: str
    flow: str
    action: Action
    source: ExternalRef
    target: ExternalRef | None = None
    entity: str | None = None
    values: Mapping[str, Any] = attrs.field(factory=dict, converter=_frozen, eq=False)
    source_hashes: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen, eq=False)
    target_hashes: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen, eq=False)
    pure: bool = True
    applied: tuple[int, ...] = ()
    status: str = "pending"
    created_at: datetime | None = attrs.field(default=None, validator=tz_aware)


# ------------------------------------------------------------------------------------ adapters


@runtime_checkable
class MapperLike(Protocol):
    """A vendor object's mapper pair, as ``msplink.mappers.Mapper`` rows provide it.

    ``reads`` are the canonical field paths ``to_canonical`` fills, ``writes`` those
    ``from_canonical`` carries to the wire; a flow compares the fields its source mapper reads and
    its target mapper both reads and writes (anything else would never converge).
    """

    @property
    def to_canonical(self) -> Callable[[Any, Any], Any]:
        """Map a wire record to a canonical record (``MappingError`` names the failing field)."""

    @property
    def from_canonical(self) -> Callable[[Any, Any], Any]:
        """Map a canonical record to a wire record for a write."""

    @property
    def reads(self) -> Collection[str]:
        """Canonical field paths ``to_canonical`` fills."""

    @property
    def writes(self) -> Collection[str]:
        """Canonical field paths ``from_canonical`` writes."""


class _Counted(Protocol):
    @property
    def api_calls(self) -> Mapping[str, int]:
        """API calls made so far through this adapter's client(s), per system (``connectwise`` ...).

        Read from the clients' own counters (``executor.api_calls``), never estimated; the engine
        reports the difference between a run's start and end.
        """


class _Described(Protocol):
    @property
    def system(self) -> str:
        """The platform: ``connectwise``, ``quickbooks``, ``salesforce`` (any name for tests)."""

    @property
    def object(self) -> str:
        """The vendor object (``company``, ``Customer``, ``Account``)."""


class _SourceInfo(_Described, _Counted, Protocol):
    @property
    def integration_user(self) -> str | None:
        """The platform user msplink writes as, when the platform reports ``modified_by``."""

    @property
    def has_delete_feed(self) -> bool:
        """Whether change pages carry tombstones (QBO CDC, SF getDeleted); if not, deletes come
        from a full :meth:`Source.list_ids` diff after a complete read (CW)."""


class _TargetInfo(_Described, _Counted, Protocol):
    @property
    def batch_size(self) -> int:
        """How many :class:`WriteOp` one :meth:`Target.write` call takes (QBO 30, SF 200, CW 1)."""


@runtime_checkable
class Source(_SourceInfo, Protocol):
    """Reads changes from one vendor object (sync)."""

    def read_changes(self, since: datetime | None, page_token: str | None) -> ChangePage:
        """Read one page of records changed at or after ``since`` (all records when ``None``),
        ordered by ``(updated_at, id)``; ``page_token`` continues the same read."""

    def fetch(self, ids: Sequence[str]) -> Sequence[RemoteRecord]:
        """Read these records by id, in as few calls as the platform allows (missing ids are left
        out; deleted ones come back as tombstones where the platform can say so)."""

    def list_ids(self) -> Sequence[str]:
        """Every live id of the object (projected to ids only), for delete detection."""


@runtime_checkable
class Target(_TargetInfo, Protocol):
    """Looks up and writes records of one vendor object (sync)."""

    def lookup(self, request: LookupRequest) -> Sequence[RemoteRecord]:
        """Return the records with the requested ids plus candidates for the requested match keys
        (over-fetching is fine: the engine re-checks every candidate)."""

    def write(self, ops: Sequence[WriteOp]) -> Sequence[WriteResult]:
        """Apply up to ``batch_size`` writes; one result per op (by key), per-item failures typed.

        Raising means the outcome of the whole batch is unknown (the engine settles it)."""

    def settle(self, intents: Sequence[Intent]) -> Sequence[RemoteRecord | None]:
        """For journalled creates, return the record each one created (found by its ``key`` or by
        match rules on its ``values``), or ``None`` when it did not land; in order."""


@runtime_checkable
class AsyncSource(_SourceInfo, Protocol):
    """The async twin of :class:`Source`."""

    async def read_changes(self, since: datetime | None, page_token: str | None) -> ChangePage:
        """See :meth:`Source.read_changes`."""

    async def fetch(self, ids: Sequence[str]) -> Sequence[RemoteRecord]:
        """See :meth:`Source.fetch`."""

    async def list_ids(self) -> Sequence[str]:
        """See :meth:`Source.list_ids`."""


@runtime_checkable
class AsyncTarget(_TargetInfo, Protocol):
    """The async twin of :class:`Target`."""

    async def lookup(self, request: LookupRequest) -> Sequence[RemoteRecord]:
        """See :meth:`Target.lookup`."""

    async def write(self, ops: Sequence[WriteOp]) -> Sequence[WriteResult]:
        """See :meth:`Target.write`."""

    async def settle(self, intents: Sequence[Intent]) -> Sequence[RemoteRecord | None]:
        """See :meth:`Target.settle`."""


# --------------------------------------------------------------------------------- state store


@attrs.frozen
class LedgerRow:
    """The hash of the value last synced into one field of one record, and the version written."""

    system: str
    object: str
    id: str
    field: str
    hash: str
    version: str | None = None


@attrs.define(kw_only=True)
class StateChanges:
    """Everything one page changes in the state store, applied in one transaction by
    :meth:`StateStore.commit` (watermark last, so it never moves before the rest is durable)."""

    flow: str
    links: list[tuple[str, ExternalRef]] = attrs.Factory(list)
    """``(entity, ref)``: link ``ref`` to ``entity``."""
    written: list[tuple[ExternalRef, str | None]] = attrs.Factory(list)
    """``(ref, version)``: the version msplink's own write returned, when the written record holds
    nothing msplink has not synced (``None`` otherwise); used by the integration-user skip."""
    unlinks: list[ExternalRef] = attrs.Factory(list)
    merges: list[tuple[str, str]] = attrs.Factory(list)
    """``(absorbed, into)``: one entity turned out to be another; move its links."""
    ledger: list[LedgerRow] = attrs.Factory(list)
    forget: list[ExternalRef] = attrs.Factory(list)
    """Records whose ledger rows go (deleted records)."""
    journal: list[tuple[str, str]] = attrs.Factory(list)
    """``(key, status)`` updates of journalled intents."""
    conflicts: list[Conflict] = attrs.Factory(list)
    applied: list[int] = attrs.Factory(list)
    dead_letters: list[DeadLetter] = attrs.Factory(list)
    cleared: list[ExternalRef] = attrs.Factory(list)
    """Source records whose dead letters go (they synced)."""
    processed: list[tuple[str, str]] = attrs.Factory(list)
    """``(source id, version)`` processed by the flow (dedupe of overlap re-reads)."""
    watermark: Watermark | None = None

    def __bool__(self) -> bool:
        return any(
            (
                self.links,
                self.written,
                self.unlinks,
                self.merges,
                self.ledger,
                self.forget,
                self.journal,
                self.conflicts,
                self.applied,
                self.dead_letters,
                self.cleared,
                self.processed,
                self.watermark,
            )
        )


class StateStore(Protocol):
    """Where a sync keeps what it knows (SYNC.md §3); every row is keyed by the store's tenant.

    The first group is the public API for people and notebooks; the second is what the engine uses.
    """

    @property
    def tenant(self) -> str:
        """The tenant (one MSP) every row belongs to."""

    def conflicts(self, status: str | None = "open", *, flow: str | None = None) -> list[Conflict]:
        """Conflicts with this status (``None``: all), oldest first."""

    def resolve_conflict(self, id: int, take: object = "source") -> Conflict:
        """Decide a conflict: ``take="source"``, ``"target"``, or any other value (the value to
        write; for a ``match`` conflict the chosen candidate's id). The next run applies it."""

    def dead_letters(self, flow: str | None = None) -> list[DeadLetter]:
        """Records that failed, oldest first."""

    def runs(self, flow: str | None = None) -> list[RunRecord]:
        """The run log, oldest first."""

    def links(self, entity: str | ExternalRef) -> tuple[ExternalRef, ...]:
        """Every record linked to an entity (given by key, or by any of its records)."""

    def watermark(self, flow: str) -> Watermark | None:
        """Where the flow's change reading stands."""

    def reset(self, flow: str) -> None:
        """Forget the flow's watermark and processed versions: the next run reads everything again
        (links and ledger stay, so nothing is created twice)."""

    def close(self) -> None:
        """Release the store's resources."""

    # --- engine side -------------------------------------------------------------------------

    def acquire_lease(self, flow: str, holder: str, ttl: timedelta) -> None:
        """Take (or renew) the flow's lease; raise ``LeaseError`` naming the live holder."""

    def release_lease(self, flow: str, holder: str) -> None:
        """Give the lease back (only if ``holder`` still holds it)."""

    def identities(self, refs: Iterable[ExternalRef]) -> dict[ExternalRef, tuple[str, str | None]]:
        """For each linked ref: ``(entity, written_version)``."""

    def linked(self, entities: Iterable[str], system: str, object: str | None) -> dict[str, ExternalRef]:
        """For each entity: its record in ``(system, object)`` (any object when ``None``), if linked."""

    def pairs(self, a: tuple[str, str], b: tuple[str, str]) -> list[tuple[str, str]]:
        """Linked id pairs between two (system, object)s: ``(id in a, id in b)``."""

    def ledger(self, refs: Iterable[ExternalRef]) -> dict[tuple[str, str, str], dict[str, str]]:
        """Ledger hashes by ``(system, object, id)`` then field."""

    def processed(self, flow: str, ids: Iterable[str]) -> dict[str, str]:
        """The version each source id was last processed at by the flow."""

    def conflicts_for(self, refs: Iterable[ExternalRef], statuses: Collection[str]) -> list[Conflict]:
        """Conflicts in these statuses whose source or target is one of ``refs``."""

    def journal(self, intents: Sequence[Intent]) -> None:
        """Record intents ``pending``, durably, before the API call (its own transaction)."""

    def pending(self, flow: str) -> list[Intent]:
        """The flow's intents still pending (a crash came between journal and outcome)."""

    def commit(self, changes: StateChanges, *, lease: tuple[str, timedelta] | None = None) -> None:
        """Apply a page's changes in one transaction (renewing the lease ``(holder, ttl)``)."""

    def record_run(self, run: RunRecord) -> RunRecord:
        """Append to the run log; return the row with its id."""
