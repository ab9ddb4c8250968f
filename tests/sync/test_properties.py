"""Hypothesis properties of the pieces the adapters and the planner added: contested matching, create
scoping, the target key index, URL-budget chunks, create settling and page ordering."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta, timezone
from typing import Any

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from msplink.models import Address, Customer, ExternalRef
from msplink.sync import Action, Intent, RemoteRecord, by_email, by_name
from msplink.sync._identity import name_key
from msplink.sync._model import Owner
from msplink.sync._plan import Current, Incoming, Spec, plan_records
from msplink.sync._values import field_values, in_scope, scoped
from msplink.sync.adapters._base import KeyIndex
from msplink.sync.adapters._shared import budget_chunks, pair_creates, sorted_records
from msplink.sync.adapters.connectwise import id_reads

T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)
NAMES = st.sampled_from(["Acme", "ACME LLC", "acme, inc.", "Globex", "Globex Corp", "Initech", "Umbrella"])
EMAILS = st.sampled_from(["a@x.com", "A@X.com", "b@y.com", "c@z.com", None])


def _spec() -> Spec:
    return Spec(
        flow="f",
        source=("a", "customer"),
        target=("b", "customer"),
        rules=(by_email(), by_name()),
        owner=lambda _p: Owner.SOURCE,
        fields=frozenset({"name", "email"}),
    )


@st.composite
def pages(draw: st.DrawFn) -> tuple[list[Incoming], dict[str, Current]]:
    sources = [
        Customer(refs=ExternalRef("a", "customer", str(i), "1"), name=draw(NAMES), email=draw(EMAILS))
        for i in range(draw(st.integers(1, 7)))
    ]
    targets = [
        Customer(refs=ExternalRef("b", "customer", str(100 + i), "1"), name=draw(NAMES), email=draw(EMAILS))
        for i in range(draw(st.integers(0, 7)))
    ]
    incoming = [Incoming(ref=next(iter(s.refs)), record=s) for s in sources]
    currents = {next(iter(t.refs)).id: Current(ref=next(iter(t.refs)), record=t) for t in targets}
    return incoming, currents


@settings(max_examples=200)
@given(pages())
def test_property_no_target_is_linked_twice_and_competing_records_wait_for_a_person(
    page: tuple[list[Incoming], dict[str, Current]],
) -> None:
    incoming, currents = page
    items = plan_records(_spec(), incoming, currents, {})
    linked = [i.target.id for i in items if i.link and i.target is not None]
    assert len(linked) == len(set(linked))  # no target taken twice
    contested = Counter(
        i.candidates[0].id for i in items if i.action is Action.CONFLICT and len(i.candidates) == 1
    )
    for target, contenders in contested.items():
        assert contenders >= 2  # a single candidate is only withheld when several records want it
        assert target not in linked  # and then nobody gets it
    for item in items:
        if item.action is Action.CONFLICT:
            assert [c.kind for c in item.conflicts] == ["match"] and item.candidates
        if item.action is Action.CREATE:  # created only when no rule finds an unclaimed candidate
            assert item.record is not None


@settings(max_examples=200)
@given(pages(), st.sets(st.integers(100, 106), max_size=4))
def test_property_a_disputed_target_is_never_linked_by_a_rule_and_its_takers_wait(
    page: tuple[list[Incoming], dict[str, Current]], disputed: set[int]
) -> None:
    incoming, currents = page
    marked = {t: attrs.evolve(c, disputed=int(t)) if int(t) in disputed else c for t, c in currents.items()}
    items = plan_records(_spec(), incoming, marked, {})
    plain = {i.source.id: i for i in plan_records(_spec(), incoming, currents, {})}
    asked = {t for t in marked if int(t) in disputed}
    for item in items:
        assert not (item.link and item.target is not None and item.target.id in asked)
        if item.reason == "match_pending":
            assert item.action is Action.SKIP and item.waits_for is not None
            assert [c.id for c in item.candidates] == [str(item.waits_for)]
        before = plain[item.source.id]
        if before.link and before.target is not None and before.target.id in asked:
            # what took a disputed target by a rule now waits (or is ambiguous): never created beside it
            assert item.reason == "match_pending" or item.action is Action.CONFLICT
    if not asked:
        assert list(items) == list(plain.values())


ADDRESSES = st.builds(
    Address,
    line1=st.sampled_from(["1 Main St", None]),
    city=st.sampled_from(["Portland", None]),
    country=st.sampled_from(["US", None]),
)
FIELD_SETS = st.sets(
    st.sampled_from(["name", "email", "phone", "billing_address.city", "billing_address.line1", "tax_code"]),
    min_size=1,
)


@settings(max_examples=200)
@given(
    st.builds(
        Customer,
        name=NAMES,
        email=EMAILS,
        phone=st.sampled_from(["1", None]),
        tax_code=st.sampled_from(["OOS", None]),
        billing_address=st.one_of(st.none(), ADDRESSES),
        active=st.booleans(),
    ),
    FIELD_SETS,
)
def test_property_a_scoped_create_keeps_the_flows_fields_and_nothing_else(
    record: Customer, fields: set[str]
) -> None:
    scope = frozenset(fields)
    out = scoped(record, scope)
    before, after = field_values(record), field_values(out)
    for path, value in after.items():
        if in_scope(path, scope):
            assert before.get(path) == value
        elif value is not None and path != "name":  # name is required: kept whatever the flow syncs
            assert value == field_values(Customer(name="x")).get(path)
    assert out.refs == record.refs and scoped(out, scope) == out


KEYS = st.sampled_from([("name", "acme"), ("name", "globex"), ("email", "a@x.com"), ("domain", "x.com")])


@settings(max_examples=200)
@given(
    st.lists(st.tuples(st.sampled_from("abcdef"), st.sets(KEYS), st.sampled_from(["put", "drop", "forget"])))
)
def test_property_the_key_index_answers_as_a_scan_of_its_records(
    ops: list[tuple[str, set[Any], str]],
) -> None:
    index, truth, mine = KeyIndex(), dict[str, set[Any]](), set[str]()
    for n, (record_id, keys, op) in enumerate(ops):
        if op == "put":
            index.put(record_id, keys, T0 + timedelta(seconds=n))
            if record_id not in mine:
                truth[record_id] = set(keys)
        else:
            getattr(index, op)(record_id)
            truth.pop(record_id, None)
            if op == "forget":
                mine.add(record_id)  # msplink wrote it: linked, never indexed again
    for kind, key in [("name", "acme"), ("name", "globex"), ("email", "a@x.com"), ("domain", "x.com")]:
        assert index.find(kind, [key]) == {rid for rid, keys in truth.items() if (kind, key) in keys}
    assert len(index) == sum(1 for keys in truth.values() if keys)
    if any(op == "put" for _, _, op in ops):
        assert index.mark == T0 + timedelta(seconds=max(n for n, (_, _, op) in enumerate(ops) if op == "put"))


@given(st.lists(st.text(min_size=0, max_size=40), max_size=60), st.integers(20, 200), st.integers(1, 20))
def test_property_budget_chunks_keep_order_and_limits(values: list[str], budget: int, most: int) -> None:
    chunks = list(budget_chunks(values, len, budget, most))
    assert [v for c in chunks for v in c] == values
    for chunk in chunks:
        assert 1 <= len(chunk) <= most
        assert len(chunk) == 1 or sum(len(v) + 2 for v in chunk) <= budget


@given(st.lists(st.integers(1, 3000), max_size=400), st.integers(1, 1000), st.integers(1, 120))
def test_property_id_reads_cover_each_id_once_with_ranges_a_page_wide_and_dense(
    ids: list[int], width: int, dense: int
) -> None:
    ranges, rest = id_reads(ids, width, dense)
    wanted = sorted(set(ids))
    covered = [i for low, high in ranges for i in wanted if low <= i <= high]
    assert sorted(covered + rest) == wanted  # every id once: in one range or in the rest
    assert rest == sorted(set(rest))
    for low, high in ranges:
        assert high - low + 1 <= width  # one page of pageSize=width holds the range
        assert sum(1 for i in wanted if low <= i <= high) > dense  # cheaper than its ids by id in
        assert low in wanted and high in wanted
    # the rest holds no run a range would take: each of its ids starts a window too sparse
    for i in rest:
        assert sum(1 for j in wanted if i <= j < i + width) <= dense
    assert [low for low, _ in ranges] == sorted(low for low, _ in ranges)


@settings(max_examples=200)
@given(
    st.lists(st.tuples(NAMES, st.integers(-10, 10)), max_size=8),
    st.lists(st.tuples(NAMES, st.integers(-10, 10)), max_size=8),
)
def test_property_settling_pairs_each_create_with_at_most_one_record_of_its_name_made_after_it(
    intents_spec: list[tuple[str, int]], records_spec: list[tuple[str, int]]
) -> None:
    intents = [
        Intent(
            key=f"k{n}",
            flow="f",
            action=Action.CREATE,
            source=ExternalRef("a", "customer", str(n)),
            values={"name": name},
            created_at=T0 + timedelta(minutes=minute),
        )
        for n, (name, minute) in enumerate(intents_spec)
    ]
    candidates = [
        (str(n), name, T0 + timedelta(minutes=minute), f"r{n}")
        for n, (name, minute) in enumerate(records_spec)
    ]
    chosen = pair_creates(intents, candidates, "name")
    picked = [c for c in chosen if c is not None]
    assert len(picked) == len(set(picked))
    for intent, record in zip(intents, chosen, strict=True):
        if record is None:
            continue
        _, name, created, _ = candidates[int(record[1:])]
        assert name_key(name) == name_key(str(intent.values["name"]))
        assert intent.created_at is not None and created >= intent.created_at - timedelta(minutes=5)


@given(st.lists(st.tuples(st.one_of(st.none(), st.integers(0, 5)), st.integers(1, 30)), max_size=30))
def test_property_pages_are_handed_over_in_change_order(rows: list[tuple[int | None, int]]) -> None:
    records = [
        RemoteRecord(id=str(rid), updated_at=None if minute is None else T0 + timedelta(minutes=minute))
        for minute, rid in rows
    ]
    ordered = sorted_records(records)
    assert sorted(map(repr, ordered)) == sorted(map(repr, records))
    keys: list[Any] = [(r.updated_at is not None, r.updated_at or T0, int(r.id)) for r in ordered]
    assert keys == sorted(keys)
