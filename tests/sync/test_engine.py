"""The engine end to end over the in-memory reference adapters, against both state stores."""

from __future__ import annotations

import copy
import json
import logging
import random
from collections import Counter
from datetime import datetime, timedelta

import attrs
import pytest

from msplink.errors import AuthenticationError, BadRequestError, ServerError, SyncError
from msplink.models import ExternalRef
from msplink.sync import (
    Action,
    ChangePage,
    FieldPolicy,
    GuardError,
    Guards,
    LeaseError,
    MemoryStateStore,
    Owner,
    StateStore,
    Watermark,
    apply,
    plan,
    run,
)
from msplink.sync._identity import name_key
from tests.sync._world import MemoryAdapter, MemorySystem
from tests.sync.conftest import World


def seed_overlap(world: World) -> dict[str, str]:
    """Ten companies in ``a``; ``b`` already holds overlapping ones with spelling differences."""
    a, b = world.a, world.b
    ids = {
        "acme": a.add(name="Acme, Inc.", email="ops@acme.com"),
        "globex": a.add(name="Globex Corporation", email="billing@globex.com"),
        "initech": a.add(name="Initech", email="hello@initech.com"),
        "umbrella": a.add(name="Umbrella", email="it@umbrella.com"),
        "hooli": a.add(name="Hooli & Partners", email="ap@hooli.com"),
    }
    for n in range(5):
        ids[f"new{n}"] = a.add(name=f"Newco {n}", email=f"info@newco{n}.com")
    b.add(name="ACME LLC", email="OPS@acme.com")  # same e-mail, other spelling
    b.add(name="globex corp", email="ar@globex.com")  # same name once normalised
    b.add(name="Initech LLC", email="a@initech.com")  # two candidates for Initech
    b.add(name="INITECH, Inc.", email="b@initech.com")
    b.add(name="Hooli and Partners Ltd", email="x@hooli.com")
    b.add(name="Unrelated", email="x@unrelated.com")
    return ids


def test_first_sync_into_overlapping_data_creates_no_duplicates(world: World, store: StateStore) -> None:
    seed_overlap(world)
    flow = world.forward()
    report = run(flow, state=store)

    assert report.counts == {"create": 6, "update": 3, "link": 0, "skip": 0, "conflict": 1, "delete": 0}
    assert report.outcome_counts["created"] == 6
    assert report.outcome_counts["updated"] == 3
    assert report.writes == 9
    assert len(world.b.records) == 6 + 6
    # every normalised name appears once, except the two Initech records that were already there
    names = Counter(name_key(r["Name"]) for r in world.b.records.values())
    assert {n: c for n, c in names.items() if c > 1} == {"initech": 2}
    # the ambiguous pair is in the conflict log, not in the target
    [conflict] = store.conflicts()
    assert conflict.kind == "match"
    assert conflict.source.id == "3"
    assert sorted(c.id for c in conflict.candidates) == ["3", "4"]
    assert not world.b.by_name("Initech")
    # matched records are linked, not copied
    assert {(r.system, r.id) for r in store.links(_ref("a", "1"))} == {("a", "1"), ("b", "1")}
    assert {(r.system, r.id) for r in store.links(_ref("a", "2"))} == {("a", "2"), ("b", "2")}
    assert store.links(_ref("a", "3")) == ()
    # one page read; one batched look-up and one write batch (10 per batch) for the whole page
    assert report.api_calls == {"a": 1, "b": 2}


def _ref(system: str, rid: str) -> ExternalRef:
    return ExternalRef(system, "customer", rid)


def test_rerun_with_no_changes_writes_nothing_and_reads_only_changed_pages(
    world: World, store: StateStore
) -> None:
    seed_overlap(world)
    flow = world.forward(page_size=3, overlap=timedelta(0))
    first = run(flow, state=store)
    assert first.writes == 9
    assert world.a.calls["read"] == 4  # ceil(10 / 3)

    world.a.calls.clear()
    world.b.calls.clear()
    again = run(flow, state=store)
    assert again.writes == 0
    assert again.counts == {"create": 0, "update": 0, "link": 0, "skip": 0, "conflict": 0, "delete": 0}
    assert dict(world.a.calls) == {"read": 1}  # only from the watermark on
    assert dict(world.b.calls) == {}
    assert again.api_calls == {"a": 1, "b": 0}

    world.a.edit("5", email="new@hooli.com")
    world.a.edit("6", phone="555-0100")
    world.a.calls.clear()
    third = run(flow, state=store)
    assert third.counts["update"] == 2
    assert third.writes == 2
    assert dict(world.a.calls) == {"read": 1}
    assert dict(world.b.calls) == {"lookup": 1, "write": 1}


def test_api_calls_are_one_lookup_and_batched_writes_per_page(world: World, store: StateStore) -> None:
    for n in range(25):
        world.a.add(name=f"Company {n}", email=f"c{n}@example{n}.com")
    flow = world.forward(page_size=10, batch_size=4)
    report = run(flow, state=store)
    assert report.writes == 25
    # 3 pages; per page one look-up and ceil(records / 4) write batches
    assert dict(world.a.calls) == {"read": 3}
    assert dict(world.b.calls) == {"lookup": 3, "write": 3 + 3 + 2}
    assert report.api_calls == {"a": 3, "b": 11}


def test_bidirectional_edits_over_three_rounds_never_ping_pong(world: World, store: StateStore) -> None:
    a, b = world.a, world.b
    for n in range(4):
        a.add(name=f"Company {n}", email=f"c{n}@example.com", phone="100", notes="hello")
    forward, backward = world.both(
        policies=(FieldPolicy("phone", Owner.SOURCE), FieldPolicy("notes", Owner.TARGET))
    )
    assert run(forward, state=store).writes == 4
    back = run(backward, state=store)
    assert back.writes == 0
    assert back.outcome_counts["skipped"] == 4

    # round 1: owned fields on each side, a REVIEW field on one side each, one on both sides
    a.edit("1", phone="111")  # a owns phone
    b.edit("1", notes="from b")  # b owns notes
    a.edit("2", email="two@a.example.com")  # REVIEW, changed in a only
    b.edit("3", website="https://three.example.com")  # REVIEW, changed in b only
    a.edit("4", email="four@a.example.com")  # REVIEW, changed on both sides
    b.edit("4", email="four@b.example.com")
    b.edit("2", phone="999")  # b edits a field a owns: a's value stands

    f1 = run(forward, state=store)
    assert (f1.counts["update"], f1.counts["conflict"], f1.writes) == (2, 1, 2)
    assert b.records["1"]["Phone"] == "111"
    assert b.records["2"]["Email"] == "two@a.example.com"
    assert b.records["2"]["Phone"] == "100"
    assert b.records["4"]["Email"] == "four@b.example.com"  # contested: not written

    b1 = run(backward, state=store)
    assert (b1.counts["update"], b1.counts["conflict"], b1.writes) == (2, 1, 2)
    # b's record 2 last changed by msplink's own write, at the version it returned: not even mapped
    assert [(o.source.id, o.reason) for o in b1.outcomes if o.action is Action.SKIP] == [
        ("2", "authored_by_integration_user")
    ]
    assert a.records["1"]["Notes"] == "from b"
    assert a.records["3"]["Web"] == "https://three.example.com"
    assert a.records["4"]["Email"] == "four@a.example.com"
    [conflict] = store.conflicts()
    assert (conflict.field, conflict.kind) == ("email", "field")

    # rounds 2 and 3: nothing changes, nothing is written, in either direction
    for _ in range(2):
        assert run(forward, state=store).writes == 0
        assert run(backward, state=store).writes == 0
    assert len(store.conflicts()) == 1
    for field in ("Name", "Phone", "Notes", "Web"):
        assert [r[field] for r in a.records.values()] == [r[field] for r in b.records.values()]

    # resolving the conflict is applied by the next runs: b's value wins, a receives it
    store.resolve_conflict(conflict.id, take="target")  # type: ignore[arg-type]
    assert run(forward, state=store).writes == 0  # b already holds the decided value
    applied = run(backward, state=store)
    assert applied.writes == 1
    assert a.records["4"]["Email"] == "four@b.example.com"
    assert store.conflicts("applied")[0].id == conflict.id
    assert store.conflicts() == []
    for _ in range(2):
        assert run(forward, state=store).writes == 0
        assert run(backward, state=store).writes == 0


def test_resolving_a_conflict_with_a_value_writes_it_everywhere(world: World, store: StateStore) -> None:
    world.a.add(name="Shared", email="one@shared.com")
    forward, backward = world.both()
    run(forward, state=store)
    world.a.edit("1", phone="1")
    world.b.edit("1", phone="2")
    assert run(forward, state=store).counts["conflict"] == 1
    [conflict] = store.conflicts()
    store.resolve_conflict(conflict.id, take="3")  # type: ignore[arg-type]
    assert run(forward, state=store).writes == 1
    assert run(backward, state=store).writes == 1
    assert world.a.records["1"]["Phone"] == world.b.records["1"]["Phone"] == "3"
    assert [c.status for c in store.conflicts(None)] == ["applied"]


def test_resolving_an_ambiguous_match_links_or_creates(world: World, store: StateStore) -> None:
    seed_overlap(world)
    flow = world.forward()
    run(flow, state=store)
    [conflict] = store.conflicts()
    with pytest.raises(ValueError, match="candidate"):
        store.resolve_conflict(conflict.id, take="target")  # type: ignore[arg-type]
    store.resolve_conflict(conflict.id, take="4")  # type: ignore[arg-type]
    report = run(flow, state=store)
    assert report.counts["update"] == 1
    assert world.b.records["4"]["Name"] == "Initech"
    assert {(r.system, r.id) for r in store.links(_ref("a", "3"))} == {("a", "3"), ("b", "4")}
    assert store.conflicts("applied")[0].id == conflict.id
    assert run(flow, state=store).writes == 0


def test_a_mapping_failure_is_a_dead_letter_and_retry_completes_it(world: World, store: StateStore) -> None:
    world.a.add(name="Good", terms="Net 30")
    world.a.add(name="Needs terms", terms="Net 45")
    world.a.add(name="!Broken")
    world.a.add(name="Also good")
    flow = world.forward(config={"terms": ["Net 30"]})
    report = run(flow, state=store)
    assert report.writes == 2
    assert report.outcome_counts["failed"] == 2
    letters = store.dead_letters()
    assert [(d.source.id, d.action, d.error_type, d.attempts) for d in letters] == [
        ("2", "map", "MappingError", 1),
        ("3", "map", "MappingError", 1),
    ]
    assert "Customer.terms" in letters[0].message
    assert {type(f.error).__name__ for f in report.failures} == {"MappingError"}

    assert run(flow, state=store).writes == 0  # not retried on its own
    fixed = attrs.evolve(flow, config={"terms": ["Net 30", "Net 45"]})
    retried = run(fixed, state=store, retry_dead_letters=True)
    assert retried.writes == 1
    assert world.b.by_name("Needs terms")[0]["Terms"] == "Net 45"
    assert [(d.source.id, d.attempts) for d in store.dead_letters()] == [("3", 2)]


def test_a_report_keeps_its_failures_errors_but_not_the_pages_they_were_raised_over(
    world: World, store: StateStore
) -> None:
    """A failure's traceback would pin every frame it passed through, and with them the page of
    records each held: kept in a report, one failure per page kept most pages of a run alive (memory
    that grew with the run; see benchmarks/results/recipes.md, peak memory)."""
    for n in range(30):
        world.a.add(name=f"Company {n}", terms="Net 45" if n % 10 == 0 else "Net 30")
    flow = world.forward(config={"terms": ["Net 30"]}, page_size=10)
    report = run(flow, state=store)
    assert report.outcome_counts["failed"] == 3  # one on each page
    errors = [f.error for f in report.failures] + [o.error for o in report.outcomes if o.error is not None]
    assert len(errors) == 6 and {type(e).__name__ for e in errors} == {"MappingError"}
    assert all(e is not None and e.__traceback__ is None for e in errors)
    assert all(e.__context__ is None or e.__context__.__traceback__ is None for e in errors if e is not None)


def test_write_failures_are_retried_then_dead_lettered(world: World, store: StateStore) -> None:
    for name in ("Transient", "Rejected", "Twice", "Fine"):
        world.a.add(name=name)
    world.b.fail_item("Transient", ServerError(platform="b", status_code=503))
    world.b.fail_item("Rejected", BadRequestError(platform="b", status_code=400))
    world.b.fail_item(
        "Twice", ServerError(platform="b", status_code=503), ServerError(platform="b", status_code=503)
    )
    flow = world.forward(max_attempts=2)
    report = run(flow, state=store)
    assert report.outcome_counts["created"] == 2
    assert report.outcome_counts["failed"] == 2
    assert {(d.source.id, d.action, d.error_type) for d in store.dead_letters()} == {
        ("2", "create", "BadRequestError"),
        ("3", "create", "ServerError"),
    }
    assert {type(f.error) for f in report.failures} == {BadRequestError, ServerError}
    assert len(world.b.records) == 2
    retried = run(flow, state=store, retry_dead_letters=True)
    assert retried.writes == 2
    assert store.dead_letters() == []
    assert sorted(r["Name"] for r in world.b.records.values()) == ["Fine", "Rejected", "Transient", "Twice"]


def test_a_lost_response_is_settled_without_duplicates(world: World, store: StateStore) -> None:
    for n in range(6):
        world.a.add(name=f"Company {n}")
    world.b.lose = 1  # the first batch is written, its answer never arrives
    flow = world.forward(batch_size=3)
    report = run(flow, state=store)
    assert report.outcome_counts["created"] == 6
    assert len(world.b.records) == 6
    assert world.b.calls["settle"] == 1
    assert world.b.calls["write"] == 2
    assert run(flow, state=store).writes == 0


def test_a_batch_refused_before_writing_is_retried(world: World, store: StateStore) -> None:
    for n in range(3):
        world.a.add(name=f"Company {n}")
    world.b.fail_before = 1
    report = run(world.forward(), state=store)
    assert report.outcome_counts["created"] == 3
    assert len(world.b.records) == 3
    assert (world.b.calls["write"], world.b.calls["settle"]) == (2, 1)


def test_a_record_changed_since_planning_is_replanned_not_overwritten(
    world: World, store: StateStore
) -> None:
    world.a.add(name="Racy", email="one@racy.com", phone="1")
    forward, _ = world.both(policies=(FieldPolicy("phone", Owner.SOURCE),))
    run(forward, state=store)
    world.a.edit("1", phone="2", email="two@racy.com")
    # between the look-up and the write, someone edits the target: the write meets a stale version
    world.b.before_write = lambda: world.b.edit("1", email="three@racy.com")
    report = run(forward, state=store)
    assert world.b.records["1"]["Phone"] == "2"  # the source-owned field still flows (re-planned)
    assert world.b.records["1"]["Email"] == "three@racy.com"  # the contested one is not overwritten
    assert report.counts["update"] == 1
    assert [c.field for c in store.conflicts()] == ["email"]


def test_guards_stop_before_the_first_write(world: World, store: StateStore) -> None:
    for n in range(5):
        world.a.add(name=f"Company {n}")
    flow = world.forward(guards=Guards(max_writes=4))
    with pytest.raises(GuardError, match="5 writes planned") as caught:
        run(flow, state=store)
    assert caught.value.plan is not None
    assert caught.value.plan.counts["create"] == 5
    assert world.b.records == {}
    assert world.b.calls["write"] == 0
    assert store.watermark("a-to-b") is None
    [row] = store.runs()
    assert (row.status, row.writes) == ("guarded", 0)
    assert isinstance(caught.value, SyncError)

    skip = run(world.forward(guards=Guards(allow_create=False)), state=store)
    assert skip.counts["skip"] == 5
    assert {o.reason for o in skip.outcomes} == {"guard"}
    assert world.b.records == {}


def test_the_mass_delete_guard_and_deletes(world: World, store: StateStore) -> None:
    for n in range(10):
        world.a.add(name=f"Company {n}")
    flow = world.forward(detect_deletes=True, guards=Guards(allow_delete=True))
    run(flow, state=store)
    for rid in ("1", "2", "3"):
        world.a.remove(rid)
    with pytest.raises(GuardError, match="3 deletes planned out of 10 linked"):
        run(flow, state=store)
    assert len(world.b.records) == 10
    # three deletes out of ten linked records are within max_delete_fraction=0.3
    relaxed = attrs.evolve(flow, guards=Guards(allow_delete=True, max_delete_fraction=0.3))
    report = run(relaxed, state=store)
    assert (report.counts["delete"], report.writes) == (3, 3)
    assert len(world.b.records) == 7
    assert store.links(_ref("a", "1")) == ()
    assert run(relaxed, state=store).writes == 0
    # deletes not allowed: recorded as skips, nothing deleted
    world.a.remove("4")
    kept = run(attrs.evolve(flow, guards=Guards()), state=store)
    assert (kept.counts["skip"], kept.writes) == (1, 0)
    assert len(world.b.records) == 7


def test_dry_run_writes_nothing_and_moves_no_state(world: World, store: StateStore) -> None:
    seed_overlap(world)
    flow = world.forward()
    report = run(flow, state=store, dry_run=True)
    assert report.dry_run
    assert report.writes == 0
    assert report.counts["create"] == 6
    assert report.outcome_counts["planned"] == 10
    assert world.b.calls["write"] == 0
    assert len(world.b.records) == 6
    assert store.watermark("a-to-b") is None
    assert store.conflicts() == []
    [row] = store.runs()
    assert row.dry_run
    assert run(flow, state=store).writes == 9


def test_plan_then_apply_rechecks_what_changed(world: World, store: StateStore) -> None:
    for n in range(4):
        world.a.add(name=f"Company {n}", email=f"c{n}@x{n}.com")
    flow = world.forward()
    planned = plan(flow, state=store)
    assert planned.counts["create"] == 4
    assert store.watermark("a-to-b") is None
    json.dumps(planned.to_dict())
    world.a.edit("2", email="changed@x1.com")
    report = apply(planned, state=store)
    assert report.writes == 4
    assert report.replanned == 1
    assert world.b.by_name("Company 1")[0]["Email"] == "changed@x1.com"
    assert planned.watermark == Watermark(updated_at=world.a.records["4"]["Updated"], id="4")
    assert store.watermark("a-to-b") == planned.watermark
    world.a.calls.clear()
    assert run(flow, state=store).writes == 0
    assert world.a.calls["read"] == 1


def test_apply_checks_the_guards_on_the_whole_plan(world: World, store: StateStore) -> None:
    for n in range(3):
        world.a.add(name=f"Company {n}")
    planned = plan(world.forward(guards=Guards(max_writes=2)), state=store)
    with pytest.raises(GuardError):
        apply(planned, state=store)
    assert world.b.records == {}


def test_a_second_run_of_the_same_flow_gets_a_lease_error(world: World, store: StateStore) -> None:
    world.a.add(name="X")
    store.acquire_lease("a-to-b", "build-host:4242:abc", timedelta(minutes=5))
    with pytest.raises(LeaseError, match="build-host:4242:abc") as caught:
        run(world.forward(), state=store)
    assert caught.value.holder == "build-host:4242:abc"
    assert world.b.records == {}


def test_an_auth_error_aborts_with_the_partial_report(world: World, store: StateStore) -> None:
    for n in range(4):
        world.a.add(name=f"Company {n}")
    world.b.write_error = AuthenticationError(platform="b", status_code=401)
    flow = world.forward()
    with pytest.raises(SyncError, match="writing failed") as caught:
        run(flow, state=store)
    report = caught.value.report
    assert report is not None
    assert report.status == "failed"  # type: ignore[attr-defined]
    assert store.runs()[-1].status == "failed"
    world.b.write_error = None
    resumed = run(flow, state=store)
    assert resumed.writes == 4
    assert len(world.b.records) == 4


def test_reading_failure_aborts_and_moves_nothing(world: World, store: StateStore) -> None:
    world.a.add(name="X")

    class Broken(MemoryAdapter):
        def read_changes(self, since: datetime | None, page_token: str | None) -> ChangePage:
            raise ServerError(platform="a", status_code=503)

    flow = attrs.evolve(world.forward(), source=Broken(world.a))
    with pytest.raises(SyncError, match="reading changes failed"):
        run(flow, state=store)
    assert store.watermark("a-to-b") is None


def test_progress_callback_and_report_views(world: World, store: StateStore) -> None:
    seed_overlap(world)
    seen: list[tuple[int, int]] = []
    report = run(world.forward(page_size=4), state=store, progress=lambda n, w: seen.append((n, w)))
    assert seen == [(4, 3), (8, 7), (10, 9)]
    text = str(report)
    assert "9 writes" in text and "6 create" in text
    data = report.to_dict()
    json.dumps(data)
    assert data["counts"]["create"] == 6
    frame = report.to_pandas()
    assert list(frame.columns) == ["source", "action", "status", "target", "reason", "error"]
    assert len(frame) == 10
    [row] = store.runs()
    assert row.writes == 9
    assert row.counts["created"] == 6
    assert row.api_calls == {"a": 3, "b": 6}


def test_report_outcomes_are_capped_but_counts_stay_exact(world: World, store: StateStore) -> None:
    for n in range(7):
        world.a.add(name=f"Company {n}")
    report = run(world.forward(report_limit=3), state=store)
    assert len(report.outcomes) == 3
    assert report.outcomes_dropped == 4
    assert report.outcome_counts["created"] == 7


def test_report_failures_are_capped_but_counted_and_every_one_is_a_dead_letter(
    world: World, store: StateStore
) -> None:
    for n in range(9):
        world.a.add(name=f"Company {n}", terms="Net 45" if n % 3 else "Net 30")
    report = run(world.forward(config={"terms": ["Net 30"]}, report_limit=2), state=store)
    assert (len(report.failures), report.failures_dropped, report.failed) == (2, 4, 6)
    assert report.outcome_counts["failed"] == 6 and sum(report.counts.values()) == 9
    assert len(store.dead_letters()) == 6  # the report's bound drops details, never state
    assert report.to_dict()["failures_dropped"] == 4
    text = str(report).splitlines()
    assert sum(line.startswith("  failed ") for line in text) == 2
    assert text[-1] == "  ... 4 more failures"
    both = type(report).combine("both", [report, report])
    assert (len(both.failures), both.failed) == (4, 12)


def test_report_conflicts_are_capped_but_counted(world: World, store: StateStore) -> None:
    for n in range(4):
        world.a.add(name=f"Acme {n}")
        world.b.add(Name=f"Acme {n}")
        world.b.add(Name=f"Acme {n}")  # two candidates: ambiguous, a conflict for a person
    report = run(world.forward(report_limit=1), state=store)
    assert (len(report.conflicts), report.conflicts_dropped, report.counts["conflict"]) == (1, 3, 4)
    assert report.to_dict()["conflicts_dropped"] == 3
    assert len(store.conflicts()) == 4


def test_the_default_report_limit_keeps_a_thousand_details_per_flow(world: World, store: StateStore) -> None:
    """The report's details are bounded by a limit a 10k run already fills: 100k records keep the
    memory of 10k (SYNC.md §1.7); the counts stay exact."""
    assert world.forward().report_limit == 1_000
    for n in range(1_200):
        world.a.add(name=f"Company {n}")
    report = run(world.forward(), state=store)
    assert (len(report.outcomes), report.outcomes_dropped, report.writes) == (1_000, 200, 1_200)


def test_tombstones_from_a_delete_feed(world: World, store: StateStore) -> None:
    for n in range(10):
        world.a.add(name=f"Company {n}")
    flow = world.forward(delete_feed=True, guards=Guards(allow_delete=True))
    run(flow, state=store)
    world.a.remove("7")
    report = run(flow, state=store)
    assert (report.counts["delete"], report.writes) == (1, 1)
    assert sorted(r["Name"] for r in world.b.records.values()) == sorted(
        f"Company {n}" for n in range(10) if n != 6
    )
    assert [o.action for o in report.outcomes] == [Action.DELETE]


def test_logs_say_what_happened_without_record_values(
    world: World, store: StateStore, caplog: pytest.LogCaptureFixture
) -> None:
    seed_overlap(world)
    world.a.add(name="!Secret Customer", email="secret@private.example")
    with caplog.at_level(logging.DEBUG, logger="msplink.sync"):
        run(world.forward(page_size=6), state=store)
    messages = [r.getMessage() for r in caplog.records]
    assert all(r.name.startswith("msplink.sync") for r in caplog.records)
    assert sum("page" in m for m in messages) == 2
    assert any("run ok, 11 records, 9 writes" in m for m in messages)
    text = "\n".join(messages)
    for value in ("Acme", "ops@acme.com", "Secret Customer", "secret@private.example", "Initech"):
        assert value not in text


def test_progress_true_uses_tqdm(world: World, store: StateStore, capsys: pytest.CaptureFixture[str]) -> None:
    for n in range(3):
        world.a.add(name=f"Company {n}")
    run(world.forward(), state=store, progress=True)
    assert "3record" in capsys.readouterr().err.replace(" ", "")


def test_reset_reads_everything_again_and_writes_nothing(world: World, store: StateStore) -> None:
    seed_overlap(world)
    flow = world.forward(page_size=4)
    run(flow, state=store)
    store.reset("a-to-b")
    world.a.calls.clear()
    again = run(flow, state=store)
    assert world.a.calls["read"] == 3
    assert again.writes == 0
    assert again.counts["skip"] == 9 and again.counts["conflict"] == 1
    assert len(world.b.records) == 12


def test_a_dry_run_reports_a_guard_breach(world: World, store: StateStore) -> None:
    for n in range(3):
        world.a.add(name=f"Company {n}")
    with pytest.raises(GuardError):
        run(world.forward(guards=Guards(max_writes=1)), state=store, dry_run=True)
    [row] = store.runs()
    assert (row.dry_run, row.status) == (True, "guarded")
    planned = plan(world.forward(guards=Guards(max_writes=1)), state=store)  # plan() only reports
    assert planned.writes == 3


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_under_random_faults_the_sync_converges_exactly(world: World, store: StateStore, seed: int) -> None:
    """Batches refused, items throttled, connections dropped after writing, settlement failing: the
    target ends exactly as a fault-free sync leaves it; each record that exhausts its retries is a
    dead letter with its typed error until ``retry_dead_letters`` completes it."""
    for n in range(300):
        world.a.add(name=f"Company {n:03d}", email=f"c{n}@company{n}.com")
    for n in range(0, 300, 7):
        world.b.add(name=f"COMPANY {n:03d} LLC", email=f"c{n}@company{n}.com")
    clean = World(MemorySystem("a"), MemorySystem("b"))
    clean.a.records, clean.b.records = copy.deepcopy(world.a.records), copy.deepcopy(world.b.records)
    clean.b.next_id, clean.b.clock = world.b.next_id, world.b.clock
    run(clean.forward(page_size=50, batch_size=10), state=MemoryStateStore())

    world.b.chaos, world.b.chaos_rate = random.Random(seed), 0.15
    flow = world.forward(page_size=50, batch_size=10)
    first = run(flow, state=store)
    letters = store.dead_letters()
    assert first.outcome_counts["failed"] == len(letters)
    assert {d.error_type for d in letters} <= {"RateLimitError", "ServerError", "TransportError"}
    pending = first.outcome_counts["pending"]
    world.b.chaos_rate = 0.0
    final = run(flow, state=store, retry_dead_letters=True)
    assert store.dead_letters() == []
    assert final.writes == len(letters) + pending - final.outcome_counts["skipped"]
    assert sorted((r["Name"], r["Email"]) for r in world.b.records.values()) == sorted(
        (r["Name"], r["Email"]) for r in clean.b.records.values()
    )
    assert len(world.b.records) == len(clean.b.records) == 300
    assert run(flow, state=store).writes == 0
