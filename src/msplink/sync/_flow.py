"""``Flow``: a frozen description of one directional sync (SYNC.md §2)."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping
from datetime import timedelta
from types import MappingProxyType
from typing import Any, cast

import attrs

from msplink.errors import ConfigurationError
from msplink.mappers import Mapper
from msplink.sync._identity import MatchRule, by_link, same_email
from msplink.sync._model import Direction, FieldPolicy, Guards, Owner
from msplink.sync._protocols import AsyncSource, AsyncTarget, MapperLike, Source, Target

__all__ = ["Flow"]

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:/-]{0,199}")


def _name(instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if not isinstance(value, str) or not _NAME.fullmatch(value):
        raise ConfigurationError(
            f"Flow.name must be 1-200 letters, digits or _.:/- (it keys the flow's state), got {value!r}"
        )


def _positive(instance: object, attribute: attrs.Attribute[Any], value: int) -> None:
    if value < 1:
        raise ConfigurationError(f"Flow.{attribute.name} must be at least 1, got {value!r}")


def _mapper(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not callable(getattr(value, "to_canonical", None)) or not callable(
        getattr(value, "from_canonical", None)
    ):
        raise ConfigurationError(f"Flow.{attribute.name} needs to_canonical and from_canonical callables")


def _as_mapper(value: MapperLike | Mapper[Any]) -> MapperLike:
    """A ``msplink.mappers`` row serves as is (the validator checks both directions exist)."""
    return cast(MapperLike, value)


def _fields(value: Iterable[str] | None) -> frozenset[str] | None:
    return None if value is None else frozenset(value)


def _rules(value: Iterable[MatchRule]) -> tuple[MatchRule, ...]:
    return tuple(value)


def _policies(value: Iterable[FieldPolicy]) -> tuple[FieldPolicy, ...]:
    return tuple(value)


def _declared(mapper: object, name: str) -> frozenset[str] | None:
    value = getattr(mapper, name, None)
    return None if value is None else frozenset(value)


def _wire_declared(mapper: object) -> bool:
    """A ``msplink.mappers`` table row: its ``reads``/``writes`` name wire fields, not canonical paths."""
    return isinstance(mapper, Mapper)


_DEFAULT_SAME: Mapping[str, Callable[[Any, Any], bool]] = MappingProxyType({"email": same_email})
"""The comparisons every flow makes unless told otherwise: ``email`` fields (every canonical model
names its e-mail address ``email``) are the same address in any case (``same_email``)."""


def _comparisons(value: Mapping[str, Callable[[Any, Any], bool]]) -> Mapping[str, Callable[[Any, Any], bool]]:
    return MappingProxyType(dict(value))


@attrs.frozen(kw_only=True)
class Flow:
    """One directional sync between one source object and one target object.

    A bidirectional sync is two flows sharing the state store (identity map, ledger, conflicts):
    build the second with :meth:`reversed`.

    Attributes:
        name: Keys the flow's state (watermark, journal, lease); keep it stable.
        source: The change reader (:class:`~msplink.sync.Source` or ``AsyncSource``).
        target: The look-up + writer (:class:`~msplink.sync.Target` or ``AsyncTarget``).
        source_mapper: Maps source wire records to canonical (``to_canonical``).
        target_mapper: Maps target wire records to canonical (to diff) and back (to write).
        config: The ``MappingConfig`` handed to both mappers.
        direction: ``ONE_WAY`` (unlisted fields are source-owned) or ``TWO_WAY`` (unlisted fields
            are ``REVIEW``: a reverse flow writes them too).
        match: Match rules after the identity map, first decisive rule wins.
        policies: Field owners; the most specific path wins.
        fields: The canonical field paths (or prefixes) the flow syncs; ``None``: what the source
            mapper reads and the target mapper reads and writes, when they say, else every field.
        guards: Blast-radius limits.
        filter: A predicate on the canonical source record; ``False`` skips it (reason ``filtered``).
        locked: ``locked(source, target)`` on the canonical source record and the target's current
            canonical record (``None`` for a deleted source): a reason (``"paid"``) to leave that target
            as it is, or ``None``. A
            locked target is neither updated nor deleted: the item is a SKIP with that reason (a LINK
            carrying it, for a new match), and its differences are not recorded as synced.
        detect_deletes: After a complete read of a source without a delete feed, list every source
            id and delete (guards permitting) the targets of linked records that are gone.
        fill_blanks: Treat a blank (``None``) that msplink never synced for a record and field as
            "not known" rather than as a value: it neither overwrites, contests nor clears the other
            side's value, and the other side's value fills it (whatever the field's owner). A value
            someone cleared after msplink synced it is a change like any other and flows by owner.
        same: Field comparisons by canonical path, or by a path's last part (``email`` covers
            ``contact.email``): ``same(source_value, target_value)`` true means the two sides are in
            step although the values differ (default: ``{"email": same_email}``, e-mail addresses in
            any case). Nothing is written for such a field and no conflict is raised; a later change on
            either side is a change as usual.
        overlap: How far before the watermark each read starts again (late commits, equal
            timestamps); records already processed at the same version are dropped.
        max_attempts: Write attempts per record within a run before it becomes a dead letter
            (on top of the client's own retries).
        report_limit: At most this many per-record outcomes, failures and conflicts kept in the
            report (default 1,000; counts stay exact, and every dead letter and conflict is in the
            state store). A bound that a 10k run already fills keeps a 100k run's memory flat.
        lease_ttl: How long the flow's lease lasts without renewal (renewed every page).
    """

    name: str = attrs.field(validator=_name)
    source: Source | AsyncSource
    target: Target | AsyncTarget
    source_mapper: MapperLike = attrs.field(converter=_as_mapper, validator=_mapper)
    target_mapper: MapperLike = attrs.field(converter=_as_mapper, validator=_mapper)
    config: Any = None
    direction: Direction = attrs.field(default=Direction.ONE_WAY, converter=Direction)
    match: tuple[MatchRule, ...] = attrs.field(default=(by_link(),), converter=_rules)
    policies: tuple[FieldPolicy, ...] = attrs.field(default=(), converter=_policies)
    fields: frozenset[str] | None = attrs.field(default=None, converter=_fields)
    guards: Guards = attrs.field(factory=Guards)
    filter: Callable[[Any], bool] | None = None
    locked: Callable[[Any, Any], str | None] | None = None
    detect_deletes: bool = False
    fill_blanks: bool = False
    same: Mapping[str, Callable[[Any, Any], bool]] = attrs.field(
        default=_DEFAULT_SAME, converter=_comparisons
    )
    overlap: timedelta = timedelta(minutes=1)
    max_attempts: int = attrs.field(default=2, validator=_positive)
    report_limit: int = attrs.field(default=1_000, validator=_positive)
    lease_ttl: timedelta = timedelta(minutes=15)

    def __attrs_post_init__(self) -> None:
        for rule in self.match:
            if not isinstance(rule, MatchRule):
                raise ConfigurationError(f"Flow.match takes MatchRule values, got {type(rule).__name__}")
        if self.overlap < timedelta(0):
            raise ConfigurationError("Flow.overlap cannot be negative")
        if self.fields is None and (_wire_declared(self.source_mapper) or _wire_declared(self.target_mapper)):
            raise ConfigurationError(
                f"flow {self.name!r}: name the canonical fields it syncs with fields=(...) "
                "(msplink.mappers rows declare the wire fields they read and write, and a field only "
                "one side carries would never converge)"
            )

    @property
    def source_side(self) -> tuple[str, str]:
        """The source's ``(system, object)``."""
        return (self.source.system, self.source.object)

    @property
    def target_side(self) -> tuple[str, str]:
        """The target's ``(system, object)``."""
        return (self.target.system, self.target.object)

    @property
    def rules(self) -> tuple[MatchRule, ...]:
        """The match rules after the identity map."""
        return tuple(r for r in self.match if r.kind != "link")

    def compared_fields(self) -> frozenset[str] | None:
        """The field paths this flow compares and writes (``None``: all).

        ``fields`` when given; else what the mappers declare as canonical paths (``reads`` of the
        source mapper, ``reads`` and ``writes`` of the target mapper), intersected.
        """
        if self.fields is not None:
            return self.fields
        declared = [
            _declared(self.source_mapper, "reads"),
            _declared(self.target_mapper, "reads"),
            _declared(self.target_mapper, "writes"),
        ]
        known = [d for d in declared if d is not None]
        if not known:
            return None
        result = known[0]
        for other in known[1:]:
            result &= other
        return result

    def comparison(self, path: str) -> Callable[[Any, Any], bool] | None:
        """How a field's two values are compared beyond ``==`` (:attr:`same`): by its path, else by the
        path's last part; ``None``: plain equality."""
        found = self.same.get(path)
        return found if found is not None else self.same.get(path.rpartition(".")[2])

    def owner(self, path: str) -> Owner:
        """The owner of a field path: the most specific matching policy, else the direction's default."""
        best: FieldPolicy | None = None
        for policy in self.policies:
            matches = path == policy.field or path.startswith(policy.field + ".")
            if matches and (best is None or len(policy.field) > len(best.field)):
                best = policy
        return best.owner if best is not None else self.direction.default_owner

    def reversed(
        self,
        *,
        name: str,
        source: Source | AsyncSource | None = None,
        target: Target | AsyncTarget | None = None,
        match: Collection[MatchRule] | None = None,
        fields: Iterable[str] | None = None,
        filter: Callable[[Any], bool] | None = None,
    ) -> Flow:
        """The reverse twin: sides and mappers swapped, owners flipped, ``TWO_WAY`` both.

        Args:
            name: The reverse flow's name.
            source: The reverse source (default: this flow's target, when it also reads changes).
            target: The reverse target (default: this flow's source, when it also writes).
            match: Match rules (default: the same, with ``by_external_id`` sides swapped).
            fields: The fields the reverse flow syncs (default: the same as this flow's), e.g. without
                a field the other side cannot write.
            filter: The reverse flow's filter on its canonical source records (default: none).
        """
        if self.direction is not Direction.TWO_WAY:
            raise ConfigurationError(
                "a reversed flow makes the sync two-way: build this flow with direction=Direction.TWO_WAY"
            )
        new_source: Any = source if source is not None else self.target
        new_target: Any = target if target is not None else self.source
        if not hasattr(new_source, "read_changes") or not hasattr(new_target, "write"):
            raise ConfigurationError("Flow.reversed needs a source and a target for the other direction")
        rules = (
            tuple(match)
            if match is not None
            else tuple(
                MatchRule(r.kind, r.fields, "source" if r.on == "target" else "target")
                if r.kind == "external_id"
                else r
                for r in self.match
            )
        )
        return attrs.evolve(
            self,
            name=name,
            source=new_source,
            target=new_target,
            source_mapper=self.target_mapper,
            target_mapper=self.source_mapper,
            direction=Direction.TWO_WAY,
            match=rules,
            policies=tuple(p.flipped() for p in self.policies),
            fields=self.fields if fields is None else frozenset(fields),
            filter=filter,
            locked=None,
        )
