"""``Flow.fill_blanks``: a blank msplink never synced is "not known", never a value to write (use case 19).

Without it, a first link between a record with a phone and one without is a conflict for a ``REVIEW``
field and clears the phone for a ``SOURCE`` one; with it, the known value fills the blank, and a
value someone clears *after* a sync still flows like any other change.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from msplink.models import Customer, ExternalRef
from msplink.sync import Action, FieldPolicy, MemoryStateStore, Owner, run
from msplink.sync._plan import Current, Incoming, Spec, plan_records
from msplink.sync._values import value_hash
from tests.sync.conftest import World


def _both(world: World, **options: Any) -> tuple[Any, Any]:
    return world.both(policies=(FieldPolicy("name", Owner.SOURCE),), **options)


def test_without_fill_blanks_a_first_link_against_a_blank_is_a_conflict(world: World) -> None:
    world.a.add(name="Acme", email="ops@acme.com")
    world.b.add(name="Acme", email="ops@acme.com", phone="+1 555 0100")
    store = MemoryStateStore()
    forward, _ = _both(world)
    report = run(forward, state=store)
    assert report.counts["conflict"] == 1
    assert [(c.field, c.source_value, c.target_value) for c in store.conflicts()] == [
        ("phone", None, "+1 555 0100")
    ]


def test_a_blank_never_synced_is_filled_from_the_other_side_and_nothing_ping_pongs(world: World) -> None:
    a_id = world.a.add(name="Acme", email="ops@acme.com", website="acme.example")
    b_id = world.b.add(name="Acme", email="ops@acme.com", phone="+1 555 0100")
    store = MemoryStateStore()
    forward, backward = _both(world, fill_blanks=True)
    first = run(forward, state=store)
    # the blank phone of ``a`` neither clears nor contests ``b``'s; ``a``'s website fills ``b``'s blank
    assert (first.counts["update"], first.counts["conflict"]) == (1, 0)
    assert world.b.records[b_id]["Web"] == "acme.example"
    assert world.b.records[b_id]["Phone"] == "+1 555 0100"
    second = run(backward, state=store)
    assert second.counts["update"] == 1 and world.a.records[a_id]["Phone"] == "+1 555 0100"
    assert store.conflicts() == []
    for flow in (forward, backward, forward, backward):
        assert run(flow, state=store).writes == 0


def test_a_source_owned_blank_does_not_clear_the_target(world: World) -> None:
    world.a.add(name="Acme", email="ops@acme.com")
    b_id = world.b.add(name="Acme", email="ops@acme.com", notes="key account")
    store = MemoryStateStore()
    forward, _ = world.both(policies=(FieldPolicy("notes", Owner.SOURCE),), fill_blanks=True)
    assert run(forward, state=store).writes == 0
    assert world.b.records[b_id]["Notes"] == "key account"


def test_a_value_cleared_after_a_sync_flows_as_a_change(world: World) -> None:
    a_id = world.a.add(name="Acme", email="ops@acme.com", phone="+1 555 0100")
    b_id = world.b.add(name="Acme", email="ops@acme.com", phone="+1 555 0100")
    store = MemoryStateStore()
    forward, backward = _both(world, fill_blanks=True)
    run(forward, state=store)
    run(backward, state=store)
    world.a.edit(a_id, phone=None)
    report = run(forward, state=store)
    assert report.counts["update"] == 1 and world.b.records[b_id]["Phone"] is None
    assert run(backward, state=store).writes == 0


# ------------------------------------------------------------------------------ planner property

_VALUES = st.sampled_from([None, "x", "y"])
_OWNERS = st.sampled_from(list(Owner))


@given(s=_VALUES, t=_VALUES, owner=_OWNERS, synced=st.sampled_from([None, "x", "y"]), known=st.booleans())
def test_fill_blanks_never_writes_a_blank_msplink_never_synced(
    s: str | None, t: str | None, owner: Owner, synced: str | None, known: bool
) -> None:
    """Over every pair of values, owner and ledger state: a planned change to ``None`` only ever
    happens to a field msplink synced before (its owner cleared it, or holds a blank msplink synced),
    and a first link (no ledger) never produces a conflict over a blank."""
    spec = Spec(
        flow="f",
        source=("a", "customer"),
        target=("b", "customer"),
        owner=lambda path: owner,
        fields=frozenset({"phone"}),
        one_way=False,
        fill_blanks=True,
    )
    source_ref, target_ref = ExternalRef("a", "customer", "1", "1"), ExternalRef("b", "customer", "9", "1")
    source = Customer(refs=source_ref, name="N", phone=s)
    target = Customer(refs=target_ref, name="N", phone=t)
    ledger = (
        {
            ("a", "customer", "1"): {"phone": value_hash(synced)},
            ("b", "customer", "9"): {"phone": value_hash(synced)},
        }
        if known
        else {}
    )
    [item] = plan_records(
        spec,
        [Incoming(ref=source_ref, record=source, target=target_ref, entity="e")],
        {"9": Current(ref=target_ref, record=target)},
        ledger,
    )
    blanked = [c for c in item.changes if c.new is None]
    if blanked:
        assert known and s is None
    if not known and (s is None or t is None):
        assert item.action is not Action.CONFLICT
    if not known and s is not None and t is None and owner is not Owner.TARGET:
        assert [(c.path, c.new) for c in item.changes] == [("phone", s)]
