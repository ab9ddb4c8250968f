"""The pure planner: what to do with a page of source records (SYNC.md §4 step 5, §6-§8).

:func:`plan_records` takes a page of source records already mapped to canonical, what the identity
map says about them, the target's current values (linked records and match candidates), the write
ledger and the conflict decisions, and returns one frozen :class:`PlanItem` per record. It does no
I/O and reads no clock: the same inputs always give the same plan, so a plan can be inspected,
serialised, tested with hypothesis, and re-made after a crash.

Per field (the flow's compared paths), with ``s`` the source value, ``t`` the target value and the
ledger's hashes of the values last synced on each side:

- ``s == t``: nothing to write (the ledger learns the agreed value);
- owner ``TARGET``: never written by this flow;
- owner ``SOURCE``: ``t`` becomes ``s``;
- owner ``REVIEW``: changed on both sides since the last sync -> a conflict, neither side written;
  changed in the source only -> written; changed in the target only -> left for the reverse flow;
- a decided conflict: the decided value is written wherever it is missing;
- with ``Flow.fill_blanks``, a ``None`` the ledger has no hash for (never synced) is not known: a
  source blank writes nothing, a target blank counts as unchanged (so the source value fills it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from types import MappingProxyType
from typing import Any

import attrs

from msplink.errors import SyncError
from msplink.models import ExternalRef, Link
from msplink.sync._identity import MatchRule
from msplink.sync._model import (
    Action,
    Conflict,
    DeadLetter,
    FieldChange,
    Guards,
    Owner,
    Watermark,
)
from msplink.sync._values import (
    UNRESOLVED,
    encode,
    field_values,
    get_path,
    leaf,
    merge_paths,
    scoped,
    value_hash,
)

__all__ = ["Current", "GuardError", "Incoming", "Plan", "PlanItem", "Resolution", "Spec", "plan_records"]

Ledger = Mapping[tuple[str, str, str], Mapping[str, str]]


def _proxy(value: Mapping[str, str] | None) -> Mapping[str, str]:
    return MappingProxyType(dict(value or {}))


@attrs.frozen(kw_only=True)
class PlanItem:
    """The decision for one source record.

    Attributes:
        action: What to do.
        source: The source record (``version`` as planned from).
        target: The target record (``None`` for a create or an unmatched record).
        entity: The identity-map key, when the record is linked.
        changes: For an UPDATE, the fields that change (nothing else is written).
        reason: For a SKIP, why (see ``REASONS``); for a CONFLICT, what it is about.
        rule: The match rule that found the target, for a new link.
        link: Whether the item records a new identity link (a LINK, or an UPDATE of a new match).
        unlink: Whether the item removes the link (the target record is gone).
        conflicts: The conflicts found (field conflicts may ride on an UPDATE of other fields).
        candidates: For an ambiguous match, every candidate.
        applied: Conflict decisions this item carries out.
        record: The canonical record to write (create: the source record; update: the target's
            current record with the changes applied); excluded from eq and repr.
        source_hashes: Ledger hashes to record for the source record.
        target_hashes: Ledger hashes to record for the target record.
        pure: Whether the target record holds no change msplink has not synced once this item is done.
        waits_for: For a ``match_pending`` SKIP, the open match conflict (of the flow the other way)
            that asks a person which record the one matched is; the engine keeps the record as a
            dead letter (:class:`MatchPendingError`) that a retry completes once it is decided.
    """

    action: Action
    source: ExternalRef
    target: ExternalRef | None = None
    entity: str | None = None
    changes: tuple[FieldChange, ...] = ()
    reason: str | None = None
    rule: str | None = None
    link: bool = False
    unlink: bool = False
    conflicts: tuple[Conflict, ...] = ()
    candidates: tuple[ExternalRef, ...] = ()
    applied: tuple[int, ...] = ()
    record: Any = attrs.field(default=None, eq=False, repr=False)
    source_hashes: Mapping[str, str] = attrs.field(factory=dict, converter=_proxy, eq=False, repr=False)
    target_hashes: Mapping[str, str] = attrs.field(factory=dict, converter=_proxy, eq=False, repr=False)
    pure: bool = attrs.field(default=True, eq=False, repr=False)
    waits_for: int | None = None

    @property
    def writes(self) -> bool:
        """Whether the item writes to the target."""
        return self.action in (Action.CREATE, Action.UPDATE, Action.DELETE)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable view."""
        return {
            "action": self.action.value,
            "source": _ref(self.source),
            "target": _ref(self.target),
            "entity": self.entity,
            "changes": [{"path": c.path, "old": encode(c.old), "new": encode(c.new)} for c in self.changes],
            "reason": self.reason,
            "rule": self.rule,
            "link": self.link,
            "conflicts": [
                {
                    "kind": c.kind,
                    "field": c.field,
                    "source_value": encode(c.source_value),
                    "target_value": encode(c.target_value),
                }
                for c in self.conflicts
            ],
            "candidates": [_ref(c) for c in self.candidates],
        }

    def describe(self) -> str:
        """One line for a terminal."""
        src = f"{self.source.system}:{self.source.object_type}:{self.source.id}"
        tgt = f"{self.target.system}:{self.target.object_type}:{self.target.id}" if self.target else "(new)"
        head = f"{self.action.value.upper():<9}{src} -> {tgt}"
        if self.changes:
            shown = ", ".join(f"{c.path}: {_short(c.old)} -> {_short(c.new)}" for c in self.changes[:4])
            more = f" (+{len(self.changes) - 4} more)" if len(self.changes) > 4 else ""
            head += f"  {shown}{more}"
        if self.conflicts:
            head += "  conflict on " + ", ".join(c.field for c in self.conflicts)
        if self.candidates:
            head += "  candidates " + ", ".join(c.id for c in self.candidates)
        if self.reason and self.action is not Action.CONFLICT:
            head += f"  ({self.reason})"
        if self.rule:
            head += f"  [{self.rule}]"
        return head


def _ref(ref: ExternalRef | None) -> dict[str, Any] | None:
    if ref is None:
        return None
    return {"system": ref.system, "object": ref.object_type, "id": ref.id, "version": ref.version}


def _short(value: object, width: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= width else text[: width - 3] + "..."


def _items(value: Iterable[PlanItem]) -> tuple[PlanItem, ...]:
    return tuple(value)


def _letters(value: Iterable[DeadLetter]) -> tuple[DeadLetter, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Plan:
    """A frozen, serialisable plan: one item per source record, in reading order.

    Attributes:
        flow: The flow name.
        items: The decisions.
        failures: Records that could not be mapped (they become dead letters when applied).
        watermark: Where the read ended (``apply`` moves the flow's watermark here).
        complete: Whether the read reached the end of the changes.
        created_at: When the plan was made (aware).
        flow_object: The :class:`Flow` it was made for (not serialised), used by ``apply``.
    """

    flow: str
    items: tuple[PlanItem, ...] = attrs.field(default=(), converter=_items)
    failures: tuple[DeadLetter, ...] = attrs.field(default=(), converter=_letters)
    watermark: Watermark | None = None
    complete: bool = True
    created_at: datetime | None = None
    flow_object: Any = attrs.field(default=None, eq=False, repr=False)

    def __iter__(self) -> Iterator[PlanItem]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def counts(self) -> dict[str, int]:
        """Items per action (every action listed, zeros included)."""
        counts = {a.value: 0 for a in Action}
        for item in self.items:
            counts[item.action.value] += 1
        return counts

    @property
    def writes(self) -> int:
        """Creates, updates and deletes planned."""
        return sum(1 for item in self.items if item.writes)

    @property
    def deletes(self) -> int:
        """Deletes planned."""
        return sum(1 for item in self.items if item.action is Action.DELETE)

    def where(self, action: Action | str) -> tuple[PlanItem, ...]:
        """The items with this action."""
        wanted = Action(action)
        return tuple(item for item in self.items if item.action is wanted)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable view (``json.dumps(plan.to_dict())`` works)."""
        return {
            "flow": self.flow,
            "created_at": self.created_at.isoformat() if self.created_at else None,
            "complete": self.complete,
            "watermark": str(self.watermark) if self.watermark else None,
            "counts": self.counts,
            "writes": self.writes,
            "items": [item.to_dict() for item in self.items],
            "failures": [
                {"source": _ref(f.source), "error_type": f.error_type, "message": f.message}
                for f in self.failures
            ],
        }

    def to_pandas(self) -> Any:
        """One row per item (needs the ``pandas`` extra)."""
        import pandas as pd

        rows = [
            {
                "action": item.action.value,
                "source_system": item.source.system,
                "source_id": item.source.id,
                "target_system": item.target.system if item.target else None,
                "target_id": item.target.id if item.target else None,
                "entity": item.entity,
                "reason": item.reason,
                "rule": item.rule,
                "fields": ", ".join(c.path for c in item.changes),
                "changes": len(item.changes),
                "conflicts": len(item.conflicts),
            }
            for item in self.items
        ]
        return pd.DataFrame(rows, columns=_COLUMNS)

    def _repr_html_(self, limit: int = 50) -> str:
        """The plan as HTML (Jupyter): the summary line, one row per item, then the failures."""
        from msplink._core._display import html_table

        def ref(value: ExternalRef | None) -> str:
            return f"{value.system}:{value.object_type}:{value.id}" if value else "(new)"

        rows = [
            (
                item.action.value,
                ref(item.source),
                ref(item.target),
                "; ".join(f"{c.path}: {c.old!r} -> {c.new!r}" for c in item.changes),
                item.reason or item.rule or "",
            )
            for item in self.items[:limit]
        ]
        caption = str(self).split("\n", 1)[0]
        table = html_table(
            ("action", "source", "target", "changes", "reason"),
            rows,
            caption=caption,
            more=len(self.items) - limit,
        )
        if self.failures:
            failed = [(str(f.source), f.error_type, f.message) for f in self.failures[:limit]]
            table += html_table(("failed", "error", "message"), failed, more=len(self.failures) - limit)
        return table

    def __str__(self, limit: int = 50) -> str:
        counts = ", ".join(f"{n} {a}" for a, n in self.counts.items() if n)
        lines = [f"Plan for flow {self.flow!r}: {len(self.items)} items ({counts or 'nothing'})"]
        lines.extend("  " + item.describe() for item in self.items[:limit])
        if len(self.items) > limit:
            lines.append(f"  ... {len(self.items) - limit} more")
        lines.extend(f"  FAILED   {f.source} ({f.error_type}: {f.message})" for f in self.failures[:limit])
        return "\n".join(lines)


_COLUMNS = [
    "action",
    "source_system",
    "source_id",
    "target_system",
    "target_id",
    "entity",
    "reason",
    "rule",
    "fields",
    "changes",
    "conflicts",
]


# ---------------------------------------------------------------------------------- planner input


@attrs.frozen(kw_only=True)
class Incoming:
    """One source record to plan.

    Attributes:
        ref: The source record (with its version).
        record: Its canonical form (``None`` for a tombstone).
        deleted: The source record is gone.
        target: Its linked target record, from the identity map.
        entity: Its identity-map key.
    """

    ref: ExternalRef
    record: Any = None
    deleted: bool = False
    target: ExternalRef | None = None
    entity: str | None = None


@attrs.frozen(kw_only=True)
class Current:
    """A target record as it is now.

    Attributes:
        ref: The target record (with its version).
        record: Its canonical form.
        claimed: Linked already to another source record (not a match candidate).
        disputed: The open match conflict, of a flow the other way, whose source is this record:
            a person decides which record it is, so no rule links it meanwhile.
    """

    ref: ExternalRef
    record: Any
    claimed: bool = False
    disputed: int | None = None


@attrs.frozen(kw_only=True)
class Resolution:
    """A person's decision on a conflict, for the planner to carry out.

    Attributes:
        conflict: The conflict id.
        kind: ``field``, ``match`` or ``missing``.
        field: The field path (``$match`` / ``$missing``).
        winner: The (system, object) whose value wins, or ``None`` for an explicit value.
        value: The explicit value (for ``match``: the chosen target id; ``None``: create).
    """

    conflict: int
    kind: str = "field"
    field: str
    winner: tuple[str, str] | None = None
    value: Any = None


@attrs.frozen(kw_only=True)
class Spec:
    """What the planner needs from a flow."""

    flow: str
    source: tuple[str, str]
    target: tuple[str, str]
    rules: tuple[MatchRule, ...] = ()
    owner: Callable[[str], Owner]
    fields: frozenset[str] | None = None
    guards: Guards = attrs.field(factory=Guards)
    filter: Callable[[Any], bool] | None = None
    locked: Callable[[Any, Any], str | None] | None = None
    one_way: bool = True
    fill_blanks: bool = False
    same: Callable[[str], Callable[[Any, Any], bool] | None] = lambda path: None

    @classmethod
    def of(cls, flow: Any) -> Spec:
        """Build from a :class:`~msplink.sync.Flow`."""
        return cls(
            flow=flow.name,
            source=flow.source_side,
            target=flow.target_side,
            rules=flow.rules,
            owner=flow.owner,
            fields=flow.compared_fields(),
            guards=flow.guards,
            filter=flow.filter,
            locked=flow.locked,
            one_way=flow.direction.value == "one_way",
            fill_blanks=bool(getattr(flow, "fill_blanks", False)),
            same=flow.comparison,
        )


def differs(item: PlanItem, planned: PlanItem | None) -> bool:
    """Whether ``item`` decides otherwise than ``planned`` (action, versions or changes): a re-plan."""
    if planned is None:
        return True
    versions = (item.source.version, item.target.version if item.target else None)
    before = (planned.source.version, planned.target.version if planned.target else None)
    return item.action is not planned.action or versions != before or item.changes != planned.changes


def disputes(spec: Spec, conflicts: Iterable[Conflict]) -> dict[str, int]:
    """Target ids a person is asked about: each the source of an open (or decided, not yet applied)
    ``match`` conflict of a flow the other way, whose candidates are this flow's source records.

    Args:
        spec: The flow's planning settings.
        conflicts: Conflicts about the page's target records (any kind, flow and status).

    Returns:
        The conflict id by target id (for :attr:`Current.disputed`).
    """
    out: dict[str, int] = {}
    for c in conflicts:
        if c.kind != "match" or c.id is None or c.status not in ("open", "resolved"):
            continue
        if (c.source.system, c.source.object_type) != spec.target:
            continue
        if any((r.system, r.object_type) == spec.source for r in c.candidates):
            out.setdefault(c.source.id, c.id)
    return out


# ---------------------------------------------------------------------------------------- planner


def plan_records(
    spec: Spec,
    incoming: Sequence[Incoming],
    targets: Mapping[str, Current],
    ledger: Ledger,
    resolutions: Mapping[str, Sequence[Resolution]] | None = None,
) -> tuple[PlanItem, ...]:
    """Plan a page (pure).

    Args:
        spec: The flow's planning settings.
        incoming: The page's source records, mapped, with their identity links.
        targets: Target records by id: linked records and match candidates, as they are now.
        ledger: Hashes of the values last synced, by ``(system, object, id)`` then field path.
        resolutions: Decided conflicts by source id.

    Returns:
        One item per incoming record, in order. A target matched by one record of the page is not
        a candidate for the next (no two source records claim one target).
    """
    planner = _Planner(spec, targets, ledger, resolutions or {})
    planner.prematch(incoming)
    return tuple(planner.plan(record) for record in incoming)


class _Planner:
    def __init__(
        self,
        spec: Spec,
        targets: Mapping[str, Current],
        ledger: Ledger,
        resolutions: Mapping[str, Sequence[Resolution]],
    ) -> None:
        self.spec = spec
        self.targets = targets
        self.ledger = ledger
        self.resolutions = resolutions
        self.claimed: set[str] = {tid for tid, cur in targets.items() if cur.claimed}
        self.matched: dict[str, tuple[str, str]] = {}
        self.chosen: dict[str, str] = {}
        self.undecided: dict[str, tuple[MatchRule | None, tuple[str, ...]]] = {}
        self.contested: dict[str, tuple[MatchRule, tuple[str, ...]]] = {}
        self.contested_targets: set[str] = set()
        self.disputed: dict[str, int] = {t: c.disputed for t, c in targets.items() if c.disputed is not None}
        self.waiting: dict[str, tuple[MatchRule, str]] = {}
        self._keys: dict[MatchRule, dict[str, set[str]]] = {}

    def prematch(self, incoming: Sequence[Incoming]) -> None:
        """Match the page's unlinked records to a fixed point.

        Linked targets and decided matches are claimed first; then each round links every record
        whose first decisive rule finds exactly one unclaimed candidate that no other record of the
        page finds as its only candidate, until a round links none. Records competing for the same
        single candidate are *contested*: none of them gets it (each is a conflict for a person, never
        a guess by page order). A record left ambiguous is ambiguous among what nobody else in the
        page took, so applying the plan and planning again gives the same answer. A record whose one
        candidate is *disputed* (the flow the other way asked a person which record that one is)
        waits for the decision instead of taking it.
        """
        self.claimed.update(inc.target.id for inc in incoming if inc.target is not None)
        open_: list[Incoming] = []
        for inc in incoming:
            if inc.target is not None or inc.deleted or inc.record is None:
                continue
            if self.spec.filter is not None and not self.spec.filter(inc.record):
                continue
            whole = next((d for d in self.resolutions.get(inc.ref.id, ()) if d.kind == "match"), None)
            if whole is not None:
                chosen = None if whole.value is None else str(whole.value)
                if chosen is not None and chosen in self.targets and chosen not in self.claimed:
                    self.chosen[inc.ref.id] = chosen
                    self.claimed.add(chosen)
                continue
            open_.append(inc)
        progress = True
        while progress:
            progress = False
            pending = [
                inc
                for inc in open_
                if inc.ref.id not in self.matched
                and inc.ref.id not in self.contested
                and inc.ref.id not in self.waiting
            ]
            decisions = {inc.ref.id: self._decisive(inc) for inc in pending}
            wanted: dict[str, int] = {}
            for rule, hits in decisions.values():
                if rule is not None and len(hits) == 1:
                    wanted[hits[0]] = wanted.get(hits[0], 0) + 1
            for inc in pending:
                rule, hits = decisions[inc.ref.id]
                if rule is not None and len(hits) == 1 and hits[0] in self.disputed:
                    # the flow the other way asked a person which record this one is: not a guess now
                    self.waiting[inc.ref.id] = (rule, hits[0])
                    self.undecided.pop(inc.ref.id, None)
                elif rule is not None and len(hits) == 1:
                    if wanted[hits[0]] > 1 or hits[0] in self.contested_targets:
                        self.contested[inc.ref.id] = (rule, hits)
                        self.contested_targets.add(hits[0])
                        self.undecided.pop(inc.ref.id, None)
                    else:
                        self.matched[inc.ref.id] = (hits[0], rule.name)
                        self.claimed.add(hits[0])
                        progress = True
                else:
                    self.undecided[inc.ref.id] = (rule, hits)

    def _by_key(self, rule: MatchRule) -> dict[str, set[str]]:
        """Target ids by the keys ``rule`` finds them by (computed once per page and rule)."""
        index = self._keys.get(rule)
        if index is None:
            index = {}
            side = self.spec.target
            for tid, cur in self.targets.items():
                if (cur.ref.system, cur.ref.object_type) != side:
                    continue
                for key in rule.target_keys(cur.record, tid):
                    index.setdefault(key, set()).add(tid)
            self._keys[rule] = index
        return index

    def _decisive(self, inc: Incoming) -> tuple[MatchRule | None, tuple[str, ...]]:
        """The first rule that finds any unclaimed candidate, and its candidates (as
        ``MatchRule.candidates`` would over the unclaimed targets, through a per-page key index)."""
        for rule in self.spec.rules:
            keys = rule.source_keys(inc.record, inc.ref.id)
            if not keys:
                continue
            index = self._by_key(rule)
            hits: set[str] = set()
            for key in keys:
                hits |= index.get(key, set())
            hits -= self.claimed
            if hits:
                return rule, tuple(sorted(hits))
        return None, ()

    def _scoped(self, record: object, system: str | None) -> dict[str, object]:
        return field_values(record, system=system, fields=self.spec.fields)

    def _sides(self, record: object) -> tuple[dict[str, object], dict[str, object]]:
        """A source record's values with links as the source and as the target system compare them
        (one flattening: only link values differ, so without links both are the same mapping)."""
        raw = self._scoped(record, None)
        if not any(isinstance(v, Link) for v in raw.values()):
            return raw, raw
        source_system, target_system = self.spec.source[0], self.spec.target[0]
        own = {p: leaf(v, source_system) if isinstance(v, Link) else v for p, v in raw.items()}
        cmp = {p: leaf(v, target_system) if isinstance(v, Link) else v for p, v in raw.items()}
        return own, cmp

    def _hashes(self, record: object) -> tuple[dict[str, str], dict[str, str]]:
        """Ledger hashes of a created record: each side renders links in its own system."""
        raw = self._scoped(record, None)
        source_system, target_system = self.spec.source[0], self.spec.target[0]
        target = {p: value_hash(leaf(v, target_system)) for p, v in raw.items()}
        source = {
            p: value_hash(leaf(v, source_system)) if isinstance(v, Link) else target[p]
            for p, v in raw.items()
        }
        return source, target

    def plan(self, inc: Incoming) -> PlanItem:
        base: dict[str, Any] = {"source": inc.ref, "entity": inc.entity}
        decisions = self.resolutions.get(inc.ref.id, ())
        if inc.deleted or inc.record is None:
            return self._deleted(inc)
        if self.spec.filter is not None and not self.spec.filter(inc.record):
            return PlanItem(action=Action.SKIP, reason="filtered", target=inc.target, **base)
        whole = next((d for d in decisions if d.kind in ("match", "missing")), None)
        if inc.target is not None:
            self.claimed.add(inc.target.id)
            current = self.targets.get(inc.target.id)
            if current is not None:
                return self._diff(inc, current, decisions, new_link=None)
            if whole is not None and whole.kind == "missing":
                if whole.winner == self.spec.target:
                    return PlanItem(
                        action=Action.SKIP,
                        reason="unchanged",
                        target=inc.target,
                        applied=(whole.conflict,),
                        **base,
                    )
                return self._create(inc, unlink=True, applied=(whole.conflict,))
            conflict = Conflict(
                flow=self.spec.flow, kind="missing", entity=inc.entity, field="$missing", source=inc.ref,
                target=inc.target,
            )  # fmt: skip
            return PlanItem(
                action=Action.CONFLICT, target=inc.target, conflicts=(conflict,),
                reason="the linked target record no longer exists", **base,
            )  # fmt: skip
        if inc.ref.id in self.chosen:
            chosen = self.targets[self.chosen[inc.ref.id]]
            applied = (whole.conflict,) if whole is not None else ()
            return self._diff(inc, chosen, decisions, new_link="resolution", applied=applied)
        if whole is not None and whole.kind == "match" and whole.value is None:
            return self._create(inc, applied=(whole.conflict,))
        return self._match(inc, decisions)

    def _deleted(self, inc: Incoming) -> PlanItem:
        base: dict[str, Any] = {"source": inc.ref, "entity": inc.entity}
        if inc.target is None:
            return PlanItem(action=Action.SKIP, reason="unchanged", **base)
        current = self.targets.get(inc.target.id)
        if current is None:
            return PlanItem(action=Action.SKIP, reason="unchanged", target=inc.target, unlink=True, **base)
        if not self.spec.guards.allow_delete:
            return PlanItem(action=Action.SKIP, reason="guard", target=current.ref, **base)
        locked = self.spec.locked(None, current.record) if self.spec.locked is not None else None
        if locked:
            return PlanItem(action=Action.SKIP, reason=locked, target=current.ref, **base)
        return PlanItem(action=Action.DELETE, target=current.ref, unlink=True, **base)

    def _create(self, inc: Incoming, *, unlink: bool = False, applied: tuple[int, ...] = ()) -> PlanItem:
        if not self.spec.guards.allow_create:
            return PlanItem(action=Action.SKIP, reason="guard", source=inc.ref, entity=inc.entity)
        source_hashes, target_hashes = self._hashes(inc.record)
        return PlanItem(
            action=Action.CREATE,
            source=inc.ref,
            entity=inc.entity,
            unlink=unlink,
            applied=applied,
            record=scoped(inc.record, self.spec.fields),
            source_hashes=source_hashes,
            target_hashes=target_hashes,
        )

    def _match(self, inc: Incoming, decisions: Sequence[Resolution]) -> PlanItem:
        if inc.ref.id in self.matched:
            target_id, rule_name = self.matched[inc.ref.id]
            return self._diff(inc, self.targets[target_id], decisions, new_link=rule_name)
        if inc.ref.id in self.waiting:
            waited, target_id = self.waiting[inc.ref.id]
            return PlanItem(
                action=Action.SKIP, source=inc.ref, entity=inc.entity, reason="match_pending",
                candidates=(self.targets[target_id].ref,), rule=waited.name, waits_for=self.disputed[target_id],
            )  # fmt: skip
        if inc.ref.id in self.contested:
            contest_rule, contested = self.contested[inc.ref.id]
            candidates = tuple(self.targets[h].ref for h in contested)
            conflict = Conflict(
                flow=self.spec.flow, kind="match", entity=inc.entity, field="$match", source=inc.ref,
                candidates=candidates, source_value=contest_rule.name,
            )  # fmt: skip
            return PlanItem(
                action=Action.CONFLICT, source=inc.ref, entity=inc.entity, conflicts=(conflict,),
                candidates=candidates, rule=contest_rule.name,
                reason=f"{contest_rule.name} finds the same record for another record of this page",
            )  # fmt: skip
        # the last prematch round saw the final claims: its answer for this record stands
        rule, hits = self.undecided.get(inc.ref.id) or self._decisive(inc)
        if rule is None:
            return self._create(inc)
        if len(hits) == 1:
            self.claimed.add(hits[0])
            return self._diff(inc, self.targets[hits[0]], decisions, new_link=rule.name)
        candidates = tuple(self.targets[h].ref for h in hits)
        conflict = Conflict(
            flow=self.spec.flow, kind="match", entity=inc.entity, field="$match", source=inc.ref,
            candidates=candidates, source_value=rule.name,
        )  # fmt: skip
        return PlanItem(
            action=Action.CONFLICT, source=inc.ref, entity=inc.entity, conflicts=(conflict,),
            candidates=candidates, rule=rule.name, reason=f"{len(hits)} candidates by {rule.name}",
        )  # fmt: skip

    def _diff(
        self,
        inc: Incoming,
        current: Current,
        decisions: Sequence[Resolution],
        *,
        new_link: str | None,
        applied: tuple[int, ...] = (),
    ) -> PlanItem:
        spec = self.spec
        src, tgt = inc.ref, current.ref
        s_own, s_cmp = self._sides(inc.record)
        t_cmp = self._scoped(current.record, spec.target[0])
        left = self.ledger.get((src.system, src.object_type, src.id), {})
        right = self.ledger.get((tgt.system, tgt.object_type, tgt.id), {})
        decided = {d.field: d for d in decisions if d.kind == "field"}
        changes: list[FieldChange] = []
        values: dict[str, object] = {}
        conflicts: list[Conflict] = []
        done: list[int] = list(applied)
        base_s: dict[str, str] = {}
        base_t: dict[str, str] = {}
        write_s: dict[str, str] = {}
        write_t: dict[str, str] = {}
        pure = True
        own_hashes: dict[str, str] = {}
        for path in sorted(set(s_cmp) | set(t_cmp)):
            s, t = s_cmp.get(path), t_cmp.get(path)
            if s is UNRESOLVED:
                continue
            hs, ht = value_hash(s_own.get(path)), value_hash(t)
            own_hashes[path] = hs
            decision = decided.get(path)
            if decision is not None:
                chosen = self._decided(decision, inc.record, current.record, path)
                v = leaf(chosen, spec.target[0])
                if t != v:
                    changes.append(FieldChange(path, t, v))
                    values[path] = chosen
                    write_t[path] = value_hash(v)
                elif right.get(path) != ht:
                    base_t[path] = ht
                if s == v:
                    base_s[path] = hs
                if s == v or spec.one_way:
                    done.append(decision.conflict)
                continue
            if s == t or ((same := spec.same(path)) is not None and same(s, t)):
                if left.get(path) != hs:
                    base_s[path] = hs
                if right.get(path) != ht:
                    base_t[path] = ht
                continue
            owner = spec.owner(path)
            source_changed = left.get(path) != hs
            target_changed = right.get(path) != ht
            if spec.fill_blanks:
                if s is None and path not in left:  # a blank never synced: nothing to say
                    pure = pure and not target_changed
                    continue
                if t is None and path not in right:
                    target_changed = False
            if owner is Owner.TARGET or (owner is Owner.REVIEW and not source_changed):
                pure = pure and not target_changed
                continue
            if owner is Owner.REVIEW and target_changed:
                pure = False
                conflicts.append(
                    Conflict(
                        flow=spec.flow, entity=inc.entity, field=path, source=src, target=tgt,
                        source_value=s, target_value=t, policy=owner.value,
                    )
                )  # fmt: skip
                continue
            changes.append(FieldChange(path, t, s))
            write_s[path] = hs
            write_t[path] = value_hash(s)
        base: dict[str, Any] = {
            "source": src,
            "target": tgt,
            "entity": inc.entity,
            "rule": new_link,
            "link": new_link is not None,
        }
        if changes and not spec.guards.allow_update:
            return PlanItem(
                action=Action.LINK if new_link else Action.SKIP, reason=None if new_link else "guard",
                conflicts=tuple(conflicts), source_hashes=base_s, target_hashes=base_t, pure=False, **base,
            )  # fmt: skip
        locked = spec.locked(inc.record, current.record) if changes and spec.locked is not None else None
        if locked:
            return PlanItem(
                action=Action.LINK if new_link else Action.SKIP, reason=locked, conflicts=tuple(conflicts),
                source_hashes=base_s, target_hashes=base_t, pure=False, **base,
            )  # fmt: skip
        if changes:
            desired = merge_paths(current.record, inc.record, [c.path for c in changes], values)
            return PlanItem(
                action=Action.UPDATE, changes=tuple(changes), conflicts=tuple(conflicts), applied=tuple(done),
                record=desired, source_hashes={**base_s, **write_s}, target_hashes={**base_t, **write_t},
                pure=pure, **base,
            )  # fmt: skip
        common: dict[str, Any] = {
            "applied": tuple(done),
            "source_hashes": base_s,
            "target_hashes": base_t,
            "pure": pure,
        }
        if conflicts:
            fields = ", ".join(c.field for c in conflicts)
            return PlanItem(
                action=Action.CONFLICT, conflicts=tuple(conflicts), reason=f"changed on both sides: {fields}",
                **common, **base,
            )  # fmt: skip
        if new_link:
            return PlanItem(action=Action.LINK, **common, **base)
        echo = bool(left) and all(
            left.get(p) == (own_hashes.get(p) or value_hash(v)) for p, v in s_own.items() if p in s_cmp
        )
        return PlanItem(action=Action.SKIP, reason="echo" if echo else "unchanged", **common, **base)

    def _decided(self, decision: Resolution, source: object, target: object, path: str) -> object:
        if decision.winner == self.spec.source:
            return get_path(source, path)
        if decision.winner == self.spec.target:
            return get_path(target, path)
        return decision.value


class GuardError(SyncError):
    """A plan exceeded the flow's :class:`Guards`; raised before the first write of the plan.

    Attributes:
        plan: The plan that breached the guard (nothing of it was written).
        report: The report of the run so far.
    """

    def __init__(self, message: str, *, plan: Plan | None = None, report: object = None) -> None:
        super().__init__(message, report=report)
        self.plan = plan
