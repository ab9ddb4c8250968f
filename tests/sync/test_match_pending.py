"""A record whose one candidate a person is asked about by the flow the other way waits for the
decision (a ``MatchPendingError`` dead letter), and a retry completes it once decided.

Found at 100k (issue 18): ``accounts_and_contacts`` asked a person which of two ConnectWise companies
a Salesforce account was (a ``match`` conflict), then its companies -> accounts flow linked the first
of the two to that account by name anyway, and created a new account for the second: the conflict
was decided by flow order, and the account's Salesforce-owned fields only reached ConnectWise on the
next run.
"""

from __future__ import annotations

import asyncio

import attrs
import pytest

from msplink.models import ExternalRef
from msplink.sync import (
    Action,
    FieldPolicy,
    Flow,
    MatchPendingError,
    Owner,
    StateStore,
    arun,
    by_link,
    by_name,
    plan,
    run,
)
from msplink.sync._model import Conflict
from msplink.sync._plan import Current, Incoming, Spec, disputes, plan_records
from tests.sync._world import MemoryAdapter
from tests.sync.conftest import World
from tests.sync.test_async import async_twin


def _seed(world: World) -> None:
    world.a.add(name="Willow Pharmacy")  # a:1, two candidates in b
    world.a.add(name="Acme", email="ops@acme.test")  # a:2, new to b
    world.b.add(name="Willow Pharmacy Corp.")  # b:1
    world.b.add(name="willow pharmacy corp.")  # b:2


def _flows(world: World, page_size: int = 100) -> tuple[Flow, Flow]:
    # b owns the name (seen from a -> b): the reverse flow carries it to a once linked
    forward, backward = world.both(policies=(FieldPolicy("name", Owner.TARGET),))
    source = MemoryAdapter(world.b, integration_user="msplink", page_size=page_size)
    return forward, attrs.evolve(backward, source=source)


@pytest.mark.parametrize("page_size", [1, 100], ids=["b1-and-b2-in-two-pages", "in-one-page"])
def test_the_flow_the_other_way_waits_for_the_decision_and_a_retry_completes_it(
    world: World, store: StateStore, page_size: int
) -> None:
    _seed(world)
    forward, backward = _flows(world, page_size)

    first = run(forward, state=store)
    assert (first.counts["create"], first.counts["conflict"], first.writes) == (1, 1, 1)  # Acme; Willow
    [conflict] = store.conflicts()
    assert (conflict.kind, conflict.source.id, sorted(c.id for c in conflict.candidates)) == (
        "match",
        "1",
        ["1", "2"],
    )
    a_before = world.a.snapshot()

    back = run(backward, state=store)
    assert back.writes == 0  # neither b record takes a:1 (that would decide the conflict by flow order)
    assert world.a.snapshot() == a_before
    letters = store.dead_letters("b-to-a")
    assert [(d.source.id, d.action, d.error_type) for d in letters] == [
        ("1", "match", "MatchPendingError"),
        ("2", "match", "MatchPendingError"),
    ]
    assert f"conflict {conflict.id}" in letters[0].message
    errors = [f.error for f in back.failures]
    assert all(isinstance(e, MatchPendingError) for e in errors)
    assert [(e.conflict, e.candidate.id) for e in errors if isinstance(e, MatchPendingError)] == [
        (conflict.id, "1"),
        (conflict.id, "1"),
    ]
    assert [c.id for c in store.conflicts()] == [conflict.id]  # one question for the person, not three
    assert run(backward, state=store, retry_dead_letters=True).writes == 0  # still undecided: still waits
    assert len(store.dead_letters("b-to-a")) == 2

    store.resolve_conflict(conflict.id, take="1")  # type: ignore[arg-type]
    decided = run(forward, state=store)
    assert decided.counts["link"] == 1 and decided.writes == 0  # b:1 keeps its name (b owns it)
    retried = run(backward, state=store, retry_dead_letters=True)
    assert (retried.counts["update"], retried.counts["create"], retried.writes) == (1, 1, 2)
    assert store.dead_letters("b-to-a") == []
    assert sorted(r["Name"] for r in world.a.records.values()) == [
        "Acme",
        "Willow Pharmacy Corp.",  # a:1 took b:1's name
        "willow pharmacy corp.",  # b:2 is another company: a new record, as for any record unmatched
    ]
    assert {(r.system, r.id) for r in store.links(ExternalRef("a", "customer", "1"))} == {
        ("a", "1"),
        ("b", "1"),
    }
    assert store.conflicts() == []
    for flow in (forward, backward, forward, backward):
        assert run(flow, state=store).writes == 0


def test_a_dry_run_shows_the_waiting_records_as_failures(world: World, store: StateStore) -> None:
    _seed(world)
    forward, backward = _flows(world)
    run(forward, state=store)
    planned = plan(backward, state=store)
    assert [(f.source.id, f.error_type) for f in planned.failures] == [
        ("1", "MatchPendingError"),
        ("2", "MatchPendingError"),
    ]
    assert store.dead_letters("b-to-a") == []  # a plan writes no state


def test_a_record_decided_to_be_created_frees_its_candidates(world: World, store: StateStore) -> None:
    _seed(world)
    forward, backward = _flows(world)
    run(forward, state=store)
    [conflict] = store.conflicts()
    run(backward, state=store)
    assert conflict.id is not None
    store.resolve_conflict(conflict.id, take="source")  # a:1 is neither: create it in b
    assert run(forward, state=store).counts["create"] == 1
    retried = run(backward, state=store, retry_dead_letters=True)
    assert (retried.counts["create"], retried.writes) == (2, 2)  # b:1 and b:2 are new to a
    assert len(world.a.records) == 4 and len(world.b.records) == 4
    for flow in (forward, backward):
        assert run(flow, state=store).writes == 0


# --------------------------------------------------------------------------------- the pure parts


def _ref(system: str, rid: str) -> ExternalRef:
    return ExternalRef(system, "customer", rid)


SPEC = Spec(
    flow="b-to-a",
    source=("b", "customer"),
    target=("a", "customer"),
    rules=(by_link(), by_name()),
    owner=lambda path: Owner.REVIEW,
)


def _match_conflict(
    cid: int, source: ExternalRef, *candidates: ExternalRef, status: str = "open"
) -> Conflict:
    return Conflict(
        id=cid,
        flow="a-to-b",
        kind="match",
        field="$match",
        source=source,
        candidates=candidates,
        status=status,
    )


def test_disputes_are_the_other_ways_undecided_match_conflicts_only() -> None:
    a1, a2, b1, b2 = _ref("a", "1"), _ref("a", "2"), _ref("b", "1"), _ref("b", "2")
    conflicts = [
        _match_conflict(1, a1, b1, b2),  # the other way's question about a:1
        _match_conflict(2, a2, b1, b2, status="resolved"),  # decided, not yet applied: still waits
        _match_conflict(3, a2, b1, b2, status="applied"),
        _match_conflict(4, b1, a1, a2),  # this flow's own question (source b)
        Conflict(id=5, flow="a-to-b", kind="field", field="phone", source=a1, target=b1),
    ]
    assert disputes(SPEC, conflicts) == {"1": 1, "2": 2}


@pytest.mark.parametrize("disputed", [None, 7])
def test_the_planner_waits_only_for_a_disputed_single_candidate(disputed: int | None) -> None:
    from tests.sync._world import customer_mapper

    mapper = customer_mapper("b")
    record = mapper.to_canonical({"Id": "1", "Name": "Willow Pharmacy", "Version": "1"}, None)
    other = customer_mapper("a").to_canonical({"Id": "1", "Name": "Willow Pharmacy", "Version": "1"}, None)
    targets = {"1": Current(ref=_ref("a", "1"), record=other, disputed=disputed)}
    [item] = plan_records(SPEC, [Incoming(ref=_ref("b", "1"), record=record)], targets, {})
    if disputed is None:
        assert (item.action, item.rule, item.waits_for) == (Action.LINK, "by_name(name)", None)
    else:
        assert (item.action, item.reason, item.waits_for) == (Action.SKIP, "match_pending", 7)
        assert [c.id for c in item.candidates] == ["1"] and item.rule == "by_name(name)"


def test_the_async_driver_waits_the_same_way(world: World, store: StateStore) -> None:
    _seed(world)
    forward, backward = _flows(world, page_size=1)
    twins = [async_twin(forward), async_twin(backward)]

    async def both(**options: bool) -> list[int]:
        return [(await arun(f, state=store, **options)).writes for f in twins]

    assert asyncio.run(both()) == [1, 0]  # Acme; the two b records wait
    assert [d.error_type for d in store.dead_letters("b-to-a")] == ["MatchPendingError"] * 2
    [conflict] = store.conflicts()
    store.resolve_conflict(conflict.id or 0, take="1")
    assert asyncio.run(both(retry_dead_letters=True)) == [0, 2]
    assert store.dead_letters() == [] and asyncio.run(both()) == [0, 0]
