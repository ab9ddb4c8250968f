"""The pure planner: per-field rules, matching, rendering, and hypothesis properties."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from msplink.models import Customer, ExternalRef, Link
from msplink.sync import Action, FieldChange, Guards, Owner, Plan, by_email, by_name, same_email
from msplink.sync._plan import Current, Incoming, Resolution, Spec, plan_records
from msplink.sync._values import field_values, value_hash

FIELDS = frozenset({"name", "email", "phone", "notes"})


def spec(owners: Mapping[str, Owner] | None = None, *, default: Owner = Owner.REVIEW, **kw: Any) -> Spec:
    table = dict(owners or {})
    base: dict[str, Any] = {
        "flow": "f",
        "source": ("a", "customer"),
        "target": ("b", "customer"),
        "rules": (by_email(), by_name()),
        "owner": lambda path: table.get(path, default),
        "fields": FIELDS,
    }
    return Spec(**{**base, **kw})


def src(rid: str, version: str = "1", **fields: Any) -> Customer:
    return Customer(refs=ExternalRef("a", "customer", rid, version), **{"name": "X", **fields})


def tgt(rid: str, version: str = "1", **fields: Any) -> Customer:
    return Customer(refs=ExternalRef("b", "customer", rid, version), **{"name": "X", **fields})


def incoming(record: Customer, target: str | None = None, entity: str | None = None) -> Incoming:
    ref = next(iter(record.refs))
    return Incoming(
        ref=ref, record=record, target=ExternalRef("b", "customer", target) if target else None, entity=entity
    )


def current(record: Customer, claimed: bool = False) -> Current:
    return Current(ref=next(iter(record.refs)), record=record, claimed=claimed)


def hashes(record: Customer) -> dict[str, str]:
    return {p: value_hash(v) for p, v in field_values(record).items() if p in FIELDS}


# ------------------------------------------------------------------------------ per-field rules

CASES = [
    # owner, source changed since last sync, target changed since last sync -> outcome
    (Owner.SOURCE, True, False, "write"),
    (Owner.SOURCE, False, True, "write"),  # the source owns it: target edits are overwritten
    (Owner.SOURCE, True, True, "write"),
    (Owner.TARGET, True, False, "keep"),
    (Owner.TARGET, True, True, "keep"),
    (Owner.REVIEW, True, False, "write"),
    (Owner.REVIEW, False, True, "keep"),  # the reverse flow carries it
    (Owner.REVIEW, True, True, "conflict"),
]


@pytest.mark.parametrize(("owner", "source_changed", "target_changed", "outcome"), CASES)
def test_field_rules(owner: Owner, source_changed: bool, target_changed: bool, outcome: str) -> None:
    old, s_value, t_value = "old@x.com", "s@x.com", "t@x.com"
    s = src("1", email=s_value if source_changed else old)
    t = tgt("9", email=t_value if target_changed else old)
    ledger = {
        ("a", "customer", "1"): {**hashes(s), "email": value_hash(old)},
        ("b", "customer", "9"): {**hashes(t), "email": value_hash(old)},
    }
    [item] = plan_records(spec({"email": owner}), [incoming(s, "9", "e1")], {"9": current(t)}, ledger)
    if outcome == "write":
        assert item.action is Action.UPDATE
        assert item.changes == (FieldChange("email", t.email, s.email),)
        assert item.record.email == s.email
        assert item.record.refs == t.refs  # the target's record, changed
        assert item.target_hashes["email"] == value_hash(s.email)
    elif outcome == "conflict":
        assert item.action is Action.CONFLICT
        [conflict] = item.conflicts
        assert (conflict.field, conflict.source_value, conflict.target_value) == ("email", s_value, t_value)
        assert not item.pure
    else:
        assert item.action is Action.SKIP
        assert item.reason in ("unchanged", "echo")
        assert item.pure is (not target_changed)


def test_equal_values_teach_the_ledger_and_skip() -> None:
    s, t = src("1", email="a@x.com"), tgt("9", email="a@x.com")
    [item] = plan_records(spec(), [incoming(s, "9", "e1")], {"9": current(t)}, {})
    assert (item.action, item.reason) == (Action.SKIP, "unchanged")
    assert item.source_hashes == item.target_hashes == hashes(s)
    ledger = {("a", "customer", "1"): hashes(s), ("b", "customer", "9"): hashes(t)}
    [again] = plan_records(spec(), [incoming(s, "9", "e1")], {"9": current(t)}, ledger)
    assert (again.action, again.reason) == (Action.SKIP, "echo")
    assert again.source_hashes == again.target_hashes == {}


def test_values_a_comparison_calls_the_same_are_in_step() -> None:
    s, t = src("1", email="Ann@X.com", notes="n"), tgt("9", email="ann@x.com", notes="n")
    by_path = {"email": same_email}  # a Flow's default comparisons (tests/sync/test_recipe.py: in a recipe)
    [item] = plan_records(spec(same=by_path.get), [incoming(s, "9", "e1")], {"9": current(t)}, {})
    assert (item.action, item.reason, item.conflicts) == (Action.SKIP, "unchanged", ())
    assert item.target_hashes["email"] == value_hash("ann@x.com")  # each side's own value is its baseline
    assert item.source_hashes["email"] == value_hash("Ann@X.com")
    # plain equality (no comparison): a first link with differing REVIEW values asks a person
    [plain] = plan_records(spec(), [incoming(s, "9", "e1")], {"9": current(t)}, {})
    assert plain.action is Action.CONFLICT and [c.field for c in plain.conflicts] == ["email"]


@given(
    st.from_regex(r"[A-Za-z0-9._%+-]{1,12}@[A-Za-z0-9-]{1,10}\.[A-Za-z]{2,6}", fullmatch=True),
    st.lists(st.booleans(), min_size=40, max_size=40),
)
def test_property_same_email_ignores_case_and_nothing_else(address: str, flips: list[bool]) -> None:
    recased = "".join(
        ch.swapcase() if flip else ch for ch, flip in zip(address, flips[: len(address)], strict=True)
    )
    assert same_email(address, recased) and same_email(recased, address)
    assert same_email(address, f"  {address} ")
    assert not same_email(address, "x" + address)
    assert not same_email(address, None) and not same_email("not an address", "NOT AN ADDRESS")


def test_a_decided_value_is_written_and_applies_the_conflict() -> None:
    s, t = src("1", email="s@x.com"), tgt("9", email="t@x.com")
    decision = Resolution(conflict=5, field="email", winner=("b", "customer"))
    [item] = plan_records(
        spec(one_way=False), [incoming(s, "9", "e1")], {"9": current(t)}, {}, {"1": [decision]}
    )
    assert item.action is Action.SKIP  # b already holds b's value
    assert item.applied == ()  # a still holds the other value: the reverse flow applies it
    value = Resolution(conflict=6, field="email", value="v@x.com")
    [item] = plan_records(
        spec(one_way=False), [incoming(s, "9", "e1")], {"9": current(t)}, {}, {"1": [value]}
    )
    assert item.changes == (FieldChange("email", "t@x.com", "v@x.com"),)
    assert item.applied == ()
    [one_way] = plan_records(
        spec(one_way=True), [incoming(s, "9", "e1")], {"9": current(t)}, {}, {"1": [value]}
    )
    assert one_way.applied == (6,)


def test_matching_exact_ambiguous_none_and_claimed() -> None:
    page = [
        incoming(src("1", email="ops@acme.com", name="Acme")),
        incoming(src("2", name="Initech")),
        incoming(src("3", name="Umbrella")),
        incoming(src("4", name="Globex")),
        incoming(src("5", name="GLOBEX LLC")),
    ]
    targets = {
        "10": current(tgt("10", email="OPS@acme.com", name="Acme Corp")),
        "11": current(tgt("11", name="Initech LLC")),
        "12": current(tgt("12", name="initech, inc.")),
        "13": current(tgt("13", name="Globex")),
        "14": current(tgt("14", name="Umbrella"), claimed=True),  # linked to another record already
    }
    items = plan_records(spec(default=Owner.SOURCE), page, targets, {})
    assert [(i.action, i.target.id if i.target else None, i.rule) for i in items] == [
        (Action.UPDATE, "10", "by_email(email)"),
        (Action.CONFLICT, None, "by_name(name)"),
        (Action.CREATE, None, None),
        # records 4 and 5 both find only 13: neither gets it by page order, a person decides
        (Action.CONFLICT, None, "by_name(name)"),
        (Action.CONFLICT, None, "by_name(name)"),
    ]
    assert [c.id for c in items[1].candidates] == ["11", "12"]
    assert items[1].conflicts[0].kind == "match"
    assert [c.id for c in items[3].candidates] == [c.id for c in items[4].candidates] == ["13"]
    assert items[0].link and not items[2].link and not items[3].link


def test_a_linked_record_whose_target_vanished_is_a_conflict() -> None:
    [item] = plan_records(spec(), [incoming(src("1"), "9", "e1")], {}, {})
    assert item.action is Action.CONFLICT
    assert item.conflicts[0].kind == "missing"
    recreate = Resolution(conflict=1, kind="missing", field="$missing", winner=("a", "customer"))
    [again] = plan_records(spec(), [incoming(src("1"), "9", "e1")], {}, {}, {"1": [recreate]})
    assert (again.action, again.unlink, again.applied) == (Action.CREATE, True, (1,))
    keep = Resolution(conflict=1, kind="missing", field="$missing", winner=("b", "customer"))
    [kept] = plan_records(spec(), [incoming(src("1"), "9", "e1")], {}, {}, {"1": [keep]})
    assert (kept.action, kept.applied) == (Action.SKIP, (1,))


def test_deletes_filters_and_guards() -> None:
    gone = Incoming(
        ref=ExternalRef("a", "customer", "1"), deleted=True, target=ExternalRef("b", "customer", "9")
    )
    targets = {"9": current(tgt("9"))}
    [blocked] = plan_records(spec(), [gone], targets, {})
    assert (blocked.action, blocked.reason) == (Action.SKIP, "guard")
    [delete] = plan_records(spec(guards=Guards(allow_delete=True)), [gone], targets, {})
    assert (delete.action, delete.unlink) == (Action.DELETE, True)
    [already] = plan_records(spec(guards=Guards(allow_delete=True)), [gone], {}, {})
    assert (already.action, already.unlink) == (Action.SKIP, True)
    [never] = plan_records(spec(), [attrs.evolve(gone, target=None)], {}, {})
    assert (never.action, never.reason) == (Action.SKIP, "unchanged")
    [filtered] = plan_records(spec(filter=lambda c: c.name != "X"), [incoming(src("2"))], {}, {})
    assert (filtered.action, filtered.reason) == (Action.SKIP, "filtered")
    [no_create] = plan_records(spec(guards=Guards(allow_create=False)), [incoming(src("2"))], {}, {})
    assert (no_create.action, no_create.reason) == (Action.SKIP, "guard")
    s, t = src("3", email="new@x.com"), tgt("8", email="old@x.com")
    [no_update] = plan_records(
        spec(default=Owner.SOURCE, guards=Guards(allow_update=False)),
        [incoming(s, "8")],
        {"8": current(t)},
        {},
    )
    assert (no_update.action, no_update.reason, no_update.changes) == (Action.SKIP, "guard", ())


def test_links_compare_by_their_target_id_and_unresolved_ones_are_left_alone() -> None:
    parent_b = Link.to("b", "customer", "50")
    resolved = Link.to("a", "customer", "5").with_ref(ExternalRef("b", "customer", "50"))
    unresolved = Link.to("a", "customer", "6")
    s = src("1", parent=resolved)
    t = tgt("9", parent=parent_b)
    sp = spec(default=Owner.SOURCE, fields=frozenset({"name", "parent"}))
    [same] = plan_records(sp, [incoming(s, "9")], {"9": current(t)}, {})
    assert same.action is Action.SKIP
    [left] = plan_records(sp, [incoming(src("1", parent=unresolved), "9")], {"9": current(t)}, {})
    assert left.action is Action.SKIP
    moved = src("1", parent=Link.to("a", "customer", "7").with_ref(ExternalRef("b", "customer", "70")))
    [update] = plan_records(sp, [incoming(moved, "9")], {"9": current(t)}, {})
    assert update.changes == (FieldChange("parent", "b:customer:50", "b:customer:70"),)
    assert update.record.parent.id_for("b") == "70"


def test_nested_fields_update_only_what_changed() -> None:
    from msplink.models import Address

    s = src("1", billing_address=Address(line1="1 Main", city="Austin"))
    t = tgt("9", billing_address=Address(line1="1 Main", city="Dallas", postal_code="75001"))
    sp = spec(default=Owner.SOURCE, fields=frozenset({"billing_address"}))
    [item] = plan_records(sp, [incoming(s, "9")], {"9": current(t)}, {})
    assert item.changes == (
        FieldChange("billing_address.city", "Dallas", "Austin"),
        FieldChange("billing_address.postal_code", "75001", None),
    )
    assert item.record.billing_address == Address(line1="1 Main", city="Austin")
    [created] = plan_records(sp, [incoming(s, "9")], {"9": current(tgt("9"))}, {})
    assert created.record.billing_address == s.billing_address
    [cleared] = plan_records(sp, [incoming(src("1"), "9")], {"9": current(t)}, {})
    assert cleared.record.billing_address is None


def test_plan_renders_as_text_dict_and_dataframe() -> None:
    page = [incoming(src("1", email="ops@acme.com", name="Acme")), incoming(src("2", name="Initech"))]
    targets = {
        "11": current(tgt("11", name="Initech LLC")),
        "12": current(tgt("12", name="initech, inc.")),
        "10": current(tgt("10", email="ops@acme.com", name="Acme Corp", phone="1")),
    }
    plan = Plan(flow="f", items=plan_records(spec(default=Owner.SOURCE), page, targets, {}))
    text = str(plan)
    assert text.splitlines()[0] == "Plan for flow 'f': 2 items (1 update, 1 conflict)"
    assert "UPDATE   a:customer:1 -> b:customer:10  name: 'Acme Corp' -> 'Acme', phone: '1' -> None" in text
    assert "candidates 11, 12" in text
    data = plan.to_dict()
    assert json.loads(json.dumps(data))["counts"] == {
        "create": 0,
        "update": 1,
        "link": 0,
        "skip": 0,
        "conflict": 1,
        "delete": 0,
    }
    assert data["items"][0]["changes"][0] == {"path": "name", "old": "Acme Corp", "new": "Acme"}
    frame = plan.to_pandas()
    assert list(frame["action"]) == ["update", "conflict"]
    assert list(frame["fields"]) == ["name, phone", ""]
    assert plan.writes == 1 and len(plan) == 2 and plan.where("conflict")[0].source.id == "2"


# --------------------------------------------------------------------------------- properties

NAMES = st.sampled_from(["Acme", "acme inc", "ACME, LLC", "Globex", "Initech LLC", "initech"])
EMAILS = st.sampled_from(["a@x.com", "A@x.com", "b@y.com", None])
SMALL = st.sampled_from(["1", "2", None])


@st.composite
def states(draw: st.DrawFn) -> dict[str, Any]:
    n_src = draw(st.integers(1, 6))
    n_tgt = draw(st.integers(0, 6))
    sources = [
        src(str(i), name=draw(NAMES), email=draw(EMAILS), phone=draw(SMALL), notes=draw(SMALL))
        for i in range(n_src)
    ]
    targets = [
        tgt(str(100 + i), name=draw(NAMES), email=draw(EMAILS), phone=draw(SMALL), notes=draw(SMALL))
        for i in range(n_tgt)
    ]
    pairs = draw(
        st.lists(st.tuples(st.integers(0, n_src - 1), st.integers(0, max(n_tgt - 1, 0))), max_size=n_tgt)
    )
    links: dict[str, str] = {}
    used: set[str] = set()
    for si, ti in pairs:
        sid, tid = str(si), str(100 + ti)
        if n_tgt and sid not in links and tid not in used:
            links[sid] = tid
            used.add(tid)
    claimed = {t for t in (str(100 + i) for i in range(n_tgt)) if t not in used and draw(st.booleans())}
    ledger: dict[tuple[str, str, str], dict[str, str]] = {}
    for sid, tid in links.items():
        for side, rid in (("a", sid), ("b", tid)):
            row = {
                f: value_hash(draw(st.sampled_from(["1", "2", "a@x.com", "Acme", None])))
                for f in FIELDS
                if draw(st.booleans())
            }
            ledger[(side, "customer", rid)] = row
    owners = {f: draw(st.sampled_from(list(Owner))) for f in FIELDS}
    return {
        "spec": spec(owners, one_way=draw(st.booleans())),
        "incoming": [
            incoming(s, links.get(str(i)), f"e{i}" if str(i) in links else None)
            for i, s in enumerate(sources)
        ],
        "targets": {
            next(iter(t.refs)).id: current(t, claimed=next(iter(t.refs)).id in claimed) for t in targets
        },
        "ledger": ledger,
        "links": links,
    }


def _apply(state: dict[str, Any], items: tuple[Any, ...]) -> dict[str, Any]:
    """What the engine records after a successful apply of ``items`` (targets, links, ledger)."""
    targets = dict(state["targets"])
    ledger = {k: dict(v) for k, v in state["ledger"].items()}
    links = dict(state["links"])
    for n, item in enumerate(items):
        target_id = item.target.id if item.target is not None else None
        if item.action is Action.CREATE:
            target_id = f"new{n}"
            ref = ExternalRef("b", "customer", target_id, "1")
            targets[target_id] = Current(ref=ref, record=item.record)
        elif item.action is Action.UPDATE:
            targets[target_id] = attrs.evolve(targets[target_id], record=item.record)
        if item.link or item.action is Action.CREATE:
            links[item.source.id] = target_id
        ledger.setdefault(("a", "customer", item.source.id), {}).update(item.source_hashes)
        if target_id is not None:
            ledger.setdefault(("b", "customer", target_id), {}).update(item.target_hashes)
    claimed = {tid for tid, cur in targets.items() if cur.claimed} | set(links.values())
    targets = {tid: attrs.evolve(cur, claimed=tid in claimed) for tid, cur in targets.items()}
    incoming_ = [
        attrs.evolve(i, target=ExternalRef("b", "customer", links[i.ref.id]) if i.ref.id in links else None)
        for i in state["incoming"]
    ]
    return {**state, "targets": targets, "ledger": ledger, "links": links, "incoming": incoming_}


def _plan(state: dict[str, Any]) -> tuple[Any, ...]:
    return plan_records(state["spec"], state["incoming"], state["targets"], state["ledger"])


@settings(max_examples=150)
@given(states())
def test_property_never_a_duplicate_create_for_a_linked_entity(state: dict[str, Any]) -> None:
    items = _plan(state)
    for inc, item in zip(state["incoming"], items, strict=True):
        if inc.target is not None:
            assert item.action is not Action.CREATE
    claimed = [i.target.id for i in items if i.target is not None and (i.link or i.action is Action.UPDATE)]
    assert len(claimed) == len(set(claimed))  # no target claimed twice
    taken = {tid for tid, cur in state["targets"].items() if cur.claimed}
    assert not any(i.link and i.target.id in taken for i in items)


@settings(max_examples=150)
@given(states())
def test_property_a_review_field_changed_on_both_sides_is_never_overwritten(state: dict[str, Any]) -> None:
    for item in _plan(state):
        if item.action is not Action.UPDATE:
            continue
        left = state["ledger"].get(("a", "customer", item.source.id), {})
        right = state["ledger"].get(("b", "customer", item.target.id), {})
        source = next(i.record for i in state["incoming"] if i.ref.id == item.source.id)
        target = state["targets"][item.target.id].record
        for change in item.changes:
            if state["spec"].owner(change.path) is not Owner.REVIEW:
                continue
            s_changed = left.get(change.path) != value_hash(field_values(source).get(change.path))
            t_changed = right.get(change.path) != value_hash(field_values(target).get(change.path))
            assert not (s_changed and t_changed)


@settings(max_examples=100)
@given(states())
def test_property_the_planner_is_deterministic(state: dict[str, Any]) -> None:
    first, second = _plan(state), _plan(state)
    assert first == second
    assert [i.record for i in first] == [i.record for i in second]
    assert [dict(i.target_hashes) for i in first] == [dict(i.target_hashes) for i in second]


@settings(max_examples=150)
@given(states())
def test_property_replanning_after_applying_writes_nothing(state: dict[str, Any]) -> None:
    applied = _apply(state, _plan(state))
    again = _plan(applied)
    assert [i.action for i in again if i.writes] == []
    assert not any(i.link for i in again)
