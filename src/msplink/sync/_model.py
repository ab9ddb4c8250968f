"""The small public value types of the sync engine: actions, owners, guards and the review queues."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any, Final

import attrs

from msplink.errors import ConfigurationError, MsplinkError, SyncError
from msplink.models import ExternalRef, tz_aware

__all__ = [
    "REASONS",
    "STATUSES",
    "Action",
    "Conflict",
    "DeadLetter",
    "Direction",
    "FieldChange",
    "FieldPolicy",
    "Guards",
    "LeaseError",
    "MatchPendingError",
    "Outcome",
    "Owner",
    "RunRecord",
    "Watermark",
]


class Action(str, enum.Enum):
    """What the planner decided for one source record."""

    CREATE = "create"
    """No target record matched: create one."""
    UPDATE = "update"
    """A linked (or newly matched) target record differs: write the changed fields only."""
    LINK = "link"
    """A target record matched by a rule and holds the same values: record the link, write nothing."""
    SKIP = "skip"
    """Nothing to write; the item's ``reason`` says why."""
    CONFLICT = "conflict"
    """A person must decide (ambiguous match, field changed on both sides, linked record missing)."""
    DELETE = "delete"
    """The source record is gone: delete its linked target record."""

    def __str__(self) -> str:
        return self.value


REASONS: Final = (
    "echo",
    "unchanged",
    "filtered",
    "guard",
    "unmapped",
    "authored_by_integration_user",
    "match_pending",
)
"""Why a record was skipped (``PlanItem.reason`` of a SKIP):

- ``echo``: every synced value of the source record is what msplink last synced there (its own
  write coming back, or a change to fields this flow does not carry);
- ``unchanged``: the target already holds the values, or the differences are not this flow's to write
  (target-owned fields, fields only the target changed, a deleted source never linked);
- ``filtered``: the flow's ``filter`` excluded the record;
- ``guard``: the flow's ``Guards`` do not allow the action (``allow_create=False`` ...);
- ``unmapped``: the source mapper declined the record (returned ``None``);
- ``authored_by_integration_user``: the record's last change is msplink's own write (the platform
  names the integration user and the version is the one msplink's write returned);
- ``match_pending``: the record's one candidate is the subject of an open match conflict of the flow
  the other way (which of several records it is waits for a person); the engine keeps the record as a
  dead letter (:class:`MatchPendingError`) that ``retry_dead_letters=True`` completes once decided.

Any other reason is the text a flow's ``locked`` hook returned for a target record it leaves as it
is (``paid``: a QuickBooks invoice with a payment applied).
"""

STATUSES: Final = (
    "created",
    "updated",
    "linked",
    "deleted",
    "skipped",
    "conflict",
    "failed",
    "pending",
    "planned",
)
"""Per-record outcome statuses in a :class:`SyncReport`: ``failed`` records are dead letters;
``pending`` writes have an unknown outcome (the next run settles them before writing again);
``planned`` is every record of a dry run."""


class Owner(str, enum.Enum):
    """Which side of a flow owns a field (SYNC.md §8)."""

    SOURCE = "source"
    """The field flows from the flow's source only; target edits are overwritten."""
    TARGET = "target"
    """The field is never written by this flow (the target owns it)."""
    REVIEW = "review"
    """Both sides write it: a change on both sides since the last sync is a conflict for a person."""

    def flipped(self) -> Owner:
        """The same ownership seen from the reverse flow."""
        return {Owner.SOURCE: Owner.TARGET, Owner.TARGET: Owner.SOURCE}.get(self, self)

    def __str__(self) -> str:
        return self.value


class Direction(str, enum.Enum):
    """Whether a flow has a reverse twin writing the other way (it decides the default owner)."""

    ONE_WAY = "one_way"
    """Only this flow writes the fields: unlisted fields are owned by the source."""
    TWO_WAY = "two_way"
    """A reverse flow writes them too: unlisted fields are ``Owner.REVIEW``."""

    @property
    def default_owner(self) -> Owner:
        """The owner of fields no :class:`FieldPolicy` names."""
        return Owner.SOURCE if self is Direction.ONE_WAY else Owner.REVIEW

    def __str__(self) -> str:
        return self.value


@attrs.frozen
class FieldPolicy:
    """Who owns one field (a canonical field path, or a prefix such as ``billing_address``).

    Attributes:
        field: The canonical field path.
        owner: ``Owner.SOURCE``, ``Owner.TARGET`` or ``Owner.REVIEW`` (seen from the flow).
    """

    field: str = attrs.field(validator=attrs.validators.min_len(1))
    owner: Owner = attrs.field(default=Owner.REVIEW, converter=Owner)

    def flipped(self) -> FieldPolicy:
        """The same policy for the reverse flow."""
        return FieldPolicy(self.field, self.owner.flipped())


@attrs.frozen
class FieldChange:
    """One field an UPDATE writes: its path, the target's current value and the new one.

    Values are the compared forms (a link is ``system:object:id`` in the target system).
    """

    path: str
    old: Any
    new: Any


@attrs.frozen(kw_only=True, order=True)
class Watermark:
    """Where a flow's change reading stands: the newest change processed (timestamp, id tie-break)."""

    updated_at: datetime = attrs.field(validator=tz_aware)
    id: str = ""

    def __str__(self) -> str:
        return f"{self.updated_at.isoformat()}#{self.id}"


def _frozen_map(value: Mapping[str, int] | None) -> Mapping[str, int]:
    return MappingProxyType(dict(sorted((value or {}).items())))


@attrs.frozen(kw_only=True)
class Conflict:
    """A decision for a person: a field both sides changed, an ambiguous match, a vanished target.

    Attributes:
        id: The store's id (``None`` until recorded).
        flow: The flow that found it.
        kind: ``field`` (both sides changed a REVIEW field), ``match`` (several target candidates)
            or ``missing`` (the linked target record no longer exists).
        entity: The identity-map key of the entity, when it has one.
        field: The field path (``$match`` / ``$missing`` for the other kinds).
        source: The source record (its ``version`` is the version seen).
        target: The target record, when there is one.
        source_value: The source's value (compared form).
        target_value: The target's value (compared form).
        candidates: For ``match``: the target records that matched equally well.
        policy: The field's owner when found (``review``).
        status: ``open``, ``resolved`` (decided, not yet written everywhere) or ``applied``.
        take: The decision: ``source``, ``target`` or ``value``.
        value: The value decided when ``take == "value"`` (for ``match``: the chosen target id).
        resolved_at: When a person decided.
        created_at: When it was first found.
    """

    id: int | None = None
    flow: str
    kind: str = "field"
    entity: str | None = None
    field: str
    source: ExternalRef
    target: ExternalRef | None = None
    source_value: Any = None
    target_value: Any = None
    candidates: tuple[ExternalRef, ...] = ()
    policy: str = "review"
    status: str = "open"
    take: str | None = None
    value: Any = None
    resolved_at: datetime | None = attrs.field(default=None, validator=tz_aware)
    created_at: datetime | None = attrs.field(default=None, validator=tz_aware)

    def sides(self) -> frozenset[tuple[str, str]]:
        """The (system, object) pairs of the two sides."""
        pairs = {(self.source.system, self.source.object_type)}
        if self.target is not None:
            pairs.add((self.target.system, self.target.object_type))
        return frozenset(pairs)


@attrs.frozen(kw_only=True)
class DeadLetter:
    """A source record that could not be synced (mapping failure, or a write that exhausted retries).

    Attributes:
        flow: The flow.
        source: The source record (``version`` as last seen).
        action: What failed: ``map``, ``create``, ``update``, ``delete`` or ``link``.
        error_type: The exception class name (``MappingError``, ``BadRequestError`` ...).
        message: The exception message (no secrets: msplink errors never carry them).
        attempts: How many runs failed on it.
        first_seen: When it first failed.
        last_seen: When it last failed.
        error: The exception itself (in the run that raised it; not stored).
    """

    flow: str
    source: ExternalRef
    action: str
    error_type: str
    message: str
    attempts: int = 1
    first_seen: datetime = attrs.field(validator=tz_aware)
    last_seen: datetime = attrs.field(validator=tz_aware)
    error: MsplinkError | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen(kw_only=True)
class RunRecord:
    """One row of the run log.

    Attributes:
        id: The store's id.
        flow: The flow name.
        started_at: Start (aware).
        ended_at: End (aware).
        writes: Records created, updated or deleted in the target.
        counts: Items per action and per outcome status (``create``, ``created`` ...).
        api_calls: API calls per system, read from the adapters' clients.
        dry_run: Whether the run only planned.
        status: ``ok``, ``failed`` (aborted with a ``SyncError``) or ``guarded`` (a ``GuardError``).
        error: The error message of a run that did not finish.
    """

    id: int | None = None
    flow: str
    started_at: datetime = attrs.field(validator=tz_aware)
    ended_at: datetime = attrs.field(validator=tz_aware)
    writes: int = 0
    counts: Mapping[str, int] = attrs.field(factory=dict, converter=_frozen_map)
    api_calls: Mapping[str, int] = attrs.field(factory=dict, converter=_frozen_map)
    dry_run: bool = False
    status: str = "ok"
    error: str | None = None


@attrs.frozen(kw_only=True)
class Outcome:
    """What happened to one source record in a run.

    Attributes:
        source: The source record.
        action: The planned action.
        status: One of :data:`STATUSES`.
        target: The target record written or linked, if any.
        reason: The skip reason, or what a conflict is about.
        error: The typed error of a failure.
    """

    source: ExternalRef
    action: Action
    status: str
    target: ExternalRef | None = None
    reason: str | None = None
    error: MsplinkError | None = attrs.field(default=None, eq=False)


# ------------------------------------------------------------------------------------------ guards


class LeaseError(SyncError):
    """Another process is running the same flow against the same state store.

    Attributes:
        flow: The flow name.
        holder: Who holds the lease (``host:pid:run``).
        expires_at: When the lease runs out unless renewed.
    """

    def __init__(self, flow: str, holder: str, expires_at: datetime) -> None:
        super().__init__(
            f"flow {flow!r} is being run by {holder} (lease held until {expires_at.isoformat()}); "
            "wait for it to finish, or for the lease to expire"
        )
        self.flow = flow
        self.holder = holder
        self.expires_at = expires_at


class MatchPendingError(SyncError):
    """A record's one match candidate waits for a person: a flow the other way found that candidate
    ambiguous (an open ``match`` conflict). Linking the two by a rule now would decide that conflict
    by flow order, so the record is kept as a dead letter; ``retry_dead_letters=True`` completes it
    once the conflict is resolved (it links, or finds nothing left and creates).

    Attributes:
        conflict: The id of the conflict it waits for.
        candidate: The record it matched.
    """

    def __init__(self, source: ExternalRef, candidate: ExternalRef, conflict: int, rule: str | None) -> None:
        super().__init__(
            f"{source.system} {source.object_type} {source.id} matches {candidate.system} "
            f"{candidate.object_type} {candidate.id} by {rule or 'a rule'}, which waits for a decision "
            f"(conflict {conflict}); resolve it, then run with retry_dead_letters=True"
        )
        self.conflict = conflict
        self.candidate = candidate


def _fraction(instance: object, attribute: attrs.Attribute[Any], value: float) -> None:
    if not 0 <= value <= 1:
        raise ConfigurationError(f"Guards.{attribute.name} must be between 0 and 1, got {value!r}")


def _non_negative(instance: object, attribute: attrs.Attribute[Any], value: int | None) -> None:
    if value is not None and value < 0:
        raise ConfigurationError(f"Guards.{attribute.name} must be 0 or more, got {value!r}")


@attrs.frozen(kw_only=True)
class Guards:
    """Blast-radius limits of a flow (SYNC.md §9).

    ``allow_*`` choose which actions a flow may take at all: a disallowed action becomes a SKIP with
    reason ``guard`` (recorded, never silent). The limits are breaches: a plan that exceeds one
    raises :class:`GuardError` before its first write.

    Attributes:
        allow_create: Create target records.
        allow_update: Update target records.
        allow_delete: Delete target records whose source record is gone.
        max_writes: At most this many writes in one run (``None``: no limit).
        max_delete_fraction: At most this fraction of the flow's linked records deleted in one run.
    """

    allow_create: bool = True
    allow_update: bool = True
    allow_delete: bool = False
    max_writes: int | None = attrs.field(default=None, validator=_non_negative)
    max_delete_fraction: float = attrs.field(default=0.1, validator=_fraction)

    def allows(self, action: Action) -> bool:
        """Whether the flow may take ``action``."""
        return {
            Action.CREATE: self.allow_create,
            Action.UPDATE: self.allow_update,
            Action.DELETE: self.allow_delete,
        }.get(action, True)

    def breach(self, *, writes: int, deletes: int, linked: int) -> str | None:
        """Say which limit a run with these totals breaks, or ``None``.

        Args:
            writes: Writes planned in the run so far (this plan included).
            deletes: Deletes planned in the run so far.
            linked: Records the flow had linked before the run (the mass-delete base).
        """
        if self.max_writes is not None and writes > self.max_writes:
            return f"{writes} writes planned, more than max_writes={self.max_writes}"
        if deletes and deletes > self.max_delete_fraction * max(linked, 1):
            return (
                f"{deletes} deletes planned out of {linked} linked records, more than "
                f"max_delete_fraction={self.max_delete_fraction}"
            )
        return None
