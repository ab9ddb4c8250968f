"""``recipes.time_to_quickbooks`` end to end against a seeded world, in its three modes.

The small world of seed 1 holds 152 CW time entries; 58 are approved (``ApprovedByTierTwo`` or
``Billed``) and billable: 59.5 hours by cdiaz (19 entries), dpatel (16), eokafor (13) and fnovak (10),
a technician the world's config deliberately leaves without a QBO employee. 46 of the 58 are already
billed on CW invoices; the 12 others bill 1,511.25. Labour cost at 45.00/h: 2,677.50.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest

from msplink.connectwise import models as cw
from msplink.quickbooks import models as qbo
from msplink.sandbox import World, seed_world
from msplink.sync import MemoryStateStore, StateStore, SyncReport, arun
from msplink.sync.recipes import RECIPES, time_to_quickbooks
from msplink.sync.recipes._postings import contributions, tag
from tests.sync._recipes import INTEGRATION_USER, person
from tests.sync.recipes._latency import LATENCY, both, snapshot

COST = Decimal("45.00")
FLOWS = {
    "time_activity": "cw-time-to-qbo-time-activities",
    "journal": "cw-time-to-qbo-labour-cost",
    "invoice_lines": "cw-time-to-qbo-time-invoices",
}


def post(world: World, state: StateStore, mode: str, **options: Any) -> SyncReport:
    with world.clients() as c:
        return time_to_quickbooks(
            cw=c.cw, qbo=c.qbo, state=state, config=options.pop("config", world.config), now=world.clock.now,
            cw_integration_user=INTEGRATION_USER, mode=mode, default_cost_rate=COST, **options,
        )  # fmt: skip


def part(report: SyncReport, mode: str) -> SyncReport:
    return next(p for p in report.parts if p.flow == FLOWS[mode])


def outcomes(report: SyncReport) -> Counter[tuple[str, str, str | None]]:
    return Counter((o.action.value, o.status, o.reason) for o in report.outcomes)


def approved(world: World) -> list[Any]:
    with world.clients() as c:
        entries = c.cw.time_entries.list().to_list()
    return [
        e for e in entries if e.status in ("ApprovedByTierTwo", "Billed") and e.billable_option == "Billable"
    ]


def change_hours(world: World, entry_id: int, extra: Decimal) -> None:
    """A person corrects a posted entry: ``extra`` hours more, worked and billed."""
    with person(world) as c:
        entry = c.cw.time_entries.get(entry_id)
        hours, billed = entry.actual_hours or Decimal(0), entry.hours_billed or Decimal(0)
        c.cw.time_entries.update(
            entry_id, cw.TimeEntryUpdate(actual_hours=hours + extra, hours_billed=billed + extra)
        )


@pytest.fixture
def world() -> World:
    return seed_world("small", seed=1)


def test_the_recipe_is_registered_with_its_modes() -> None:
    entry = RECIPES["time_to_quickbooks"]
    assert entry.run is time_to_quickbooks and entry.systems == ("connectwise", "quickbooks")
    from msplink.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match="mode must be one of time_activity, journal, invoice_lines"):
        time_to_quickbooks.flows(cw=None, qbo=None, config=None, mode="payroll")  # type: ignore[arg-type]


def test_tags_round_trip() -> None:
    amounts = {"12": Decimal("187.5"), "3": Decimal("-22.50"), "100": Decimal("0.0625")}
    text = f"Labour cost {tag(amounts)}"
    assert text == "Labour cost [cw-time 3=-22.5 12=187.5 100=0.0625]"
    assert contributions(text) == amounts
    assert contributions("no tag [cw-time x=1] here") == {}


# -------------------------------------------------------------------------------- time activities


def test_time_activities_dry_run_first_run_rerun(world: World) -> None:
    state = MemoryStateStore()
    dry = part(post(world, state, "time_activity", dry_run=True), "time_activity")
    assert outcomes(dry) == {
        ("create", "planned", None): 48,
        ("skip", "planned", "filtered"): 94,
        ("skip", "failed", "MappingError"): 10,  # fnovak's entries: no QBO employee
    }
    with world.clients() as c:
        assert c.qbo.time_activities.list().to_list() == []
    first = part(post(world, state, "time_activity"), "time_activity")
    assert outcomes(first) == {
        ("create", "created", None): 45,
        (
            "create",
            "failed",
            None,
        ): 3,  # their companies have no QBO customer (unmapped terms, ambiguous pair)
        ("skip", "skipped", "filtered"): 94,
        ("skip", "failed", "MappingError"): 10,
    }
    planned = {o.source.id for o in dry.outcomes if o.action.value == "create"}
    assert {
        o.source.id
        for o in first.outcomes
        if o.status in ("created", "failed") and o.action.value == "create"
    } == planned
    with world.clients() as c:
        activities: list[Any] = list(c.qbo.time_activities.list())
    assert len(activities) == 45
    assert Counter(a.billable_status for a in activities) == {"HasBeenBilled": 37, "Billable": 8}
    by_entry = {int(str(a.description).rsplit("[cw-time ", 1)[1].rstrip("]")): a for a in activities}
    for entry in approved(world):
        if entry.id in by_entry:
            activity = by_entry[entry.id]
            assert Decimal(activity.hours or 0) + Decimal(activity.minutes or 0) / 60 == entry.hours_billed
            assert activity.employee_ref.value == world.config.employees.find(entry.member.identifier)
            assert activity.item_ref.value == world.config.work_types.find(entry.work_type.name)
    world.clock.advance(3600)
    assert post(world, state, "time_activity").writes == 0


def test_a_changed_entry_updates_its_time_activity_never_a_second_one(world: World) -> None:
    state = MemoryStateStore()
    first = part(post(world, state, "time_activity"), "time_activity")
    entry_id = int(next(o.source.id for o in first.outcomes if o.status == "created"))
    change_hours(world, entry_id, Decimal("0.5"))
    second = part(post(world, state, "time_activity"), "time_activity")
    assert outcomes(second) == {("update", "updated", None): 1}
    with world.clients() as c:
        activities = [
            a for a in c.qbo.time_activities.list().to_list() if f"[cw-time {entry_id}]" in str(a.description)
        ]
        entry = c.cw.time_entries.get(entry_id)
    [activity] = activities
    assert (activity.sync_token, Decimal(activity.hours or 0) + Decimal(activity.minutes or 0) / 60) == (
        "1",
        entry.hours_billed,
    )


def test_fnovak_s_time_is_written_once_the_employee_is_mapped_and_retried(world: World) -> None:
    state = MemoryStateStore()
    post(world, state, "time_activity")
    letters = state.dead_letters(FLOWS["time_activity"])
    assert Counter(d.message for d in letters if "fnovak" in d.message) == {
        "TimeActivity.EmployeeRef: no mapping in employees for this value (value='fnovak')": 10
    }
    with world.clients() as c:
        fiona = c.qbo.employees.create(
            qbo.Employee(given_name="Fiona", family_name="Novak", display_name="Fiona Novak")
        )
    config = world.config.with_entries("employees", {"fnovak": str(fiona.id)})
    again = part(post(world, state, "time_activity", config=config, retry_dead_letters=True), "time_activity")
    # every dead letter is retried: fnovak's 10 entries are written, the 3 whose companies have no QBO
    # customer yet fail again (and stay dead letters)
    assert Counter(o.status for o in again.outcomes) == {"created": 10, "failed": 3}
    with world.clients() as c:
        activities: list[Any] = list(c.qbo.time_activities.list())
    assert sum(1 for a in activities if a.employee_ref.value == fiona.id) == 10
    assert len(state.dead_letters(FLOWS["time_activity"])) == 3


# ----------------------------------------------------------------------------------- labour cost


def test_labour_cost_is_posted_once_in_one_journal_entry_per_month(world: World) -> None:
    state = MemoryStateStore()
    dry = part(post(world, state, "journal", dry_run=True), "journal")
    assert outcomes(dry) == {("create", "planned", None): 58, ("skip", "planned", "filtered"): 94}
    world.qbo.clear_log()
    first = part(post(world, state, "journal"), "journal")
    assert outcomes(first) == {("create", "created", None): 58, ("skip", "skipped", "filtered"): 94}
    assert first.api_calls == {"connectwise": 1, "quickbooks": 4}  # the index read, then one create per month
    with world.clients() as c:
        entries: list[Any] = list(c.qbo.journal_entries.list())
    assert [(str(j.txn_date), j.total_amt, len(j.line)) for j in sorted(entries, key=lambda j: str(j.txn_date))] == [
        ("2026-01-31", Decimal("922.50"), 11), ("2026-02-28", Decimal("1575.00"), 23), ("2026-03-03", Decimal("180.00"), 4),
    ]  # fmt: skip
    assert (
        sum(j.total_amt for j in entries)
        == sum(e.actual_hours * COST for e in approved(world))
        == Decimal("2677.50")
    )
    for journal in entries:
        lines = journal.line or ()
        debits = sum(x.amount for x in lines if x.journal_entry_line_detail.posting_type == "Debit")
        credits = sum(x.amount for x in lines if x.journal_entry_line_detail.posting_type == "Credit")
        assert debits == credits == journal.total_amt
    world.clock.advance(3600)
    assert post(world, state, "journal").writes == 0


def test_a_changed_posted_entry_yields_one_adjustment_not_a_second_posting(world: World) -> None:
    state = MemoryStateStore()
    first = part(post(world, state, "journal"), "journal")
    entry_id = int(next(o.source.id for o in first.outcomes if o.status == "created"))
    change_hours(world, entry_id, Decimal("0.5"))
    second = part(post(world, state, "journal"), "journal")
    assert outcomes(second) == {("update", "updated", None): 1}
    with world.clients() as c:
        entries: list[Any] = list(c.qbo.journal_entries.list())
    assert len(entries) == 4
    [adjustment] = [j for j in entries if str(j.doc_number).startswith("LCA-")]
    assert adjustment.total_amt == Decimal("0.5") * COST == Decimal("22.50")
    posted = [contributions(x.description).get(str(entry_id)) for j in entries for x in j.line or ()]
    assert sorted(p for p in posted if p is not None) == sorted(
        [Decimal("22.5"), (approved_hours(world, entry_id) - Decimal("0.5")) * COST]
    )
    world.clock.advance(3600)
    assert post(world, state, "journal").writes == 0


def approved_hours(world: World, entry_id: int) -> Decimal:
    with world.clients() as c:
        return Decimal(c.cw.time_entries.get(entry_id).actual_hours or 0)


# ---------------------------------------------------------------------------------- invoice lines


def test_unbilled_time_becomes_invoice_lines_per_customer_and_month(world: World) -> None:
    state = MemoryStateStore()
    first = part(post(world, state, "invoice_lines"), "invoice_lines")
    assert outcomes(first) == {("create", "created", None): 12, ("skip", "skipped", "filtered"): 140}
    with world.clients() as c:
        invoices: list[Any] = [
            i for i in c.qbo.invoices.list().to_list() if str(i.doc_number).startswith("T-")
        ]
    assert len(invoices) == 11
    assert sum(i.total_amt for i in invoices) == Decimal("1511.25")
    for invoice in invoices:
        tagged = [x for x in invoice.line or () if contributions(x.description)]
        assert sum(x.amount for x in tagged) == invoice.total_amt
        for line in tagged:
            assert sum(contributions(line.description).values()) == line.amount
    entry_id = int(next(o.source.id for o in first.outcomes if o.status == "created"))
    change_hours(world, entry_id, Decimal("0.25"))
    second = part(post(world, state, "invoice_lines"), "invoice_lines")
    assert outcomes(second) == {("update", "updated", None): 1}
    with world.clients() as c:
        adjustments: list[Any] = [
            i for i in c.qbo.invoices.list().to_list() if str(i.doc_number).startswith("TA-")
        ]
    [adjustment] = adjustments
    with world.clients() as c:
        rate = Decimal(c.cw.time_entries.get(entry_id).hourly_rate or 0)
    assert adjustment.total_amt == Decimal("0.25") * rate
    assert contributions(adjustment.line[0].description) == {str(entry_id): Decimal("0.25") * rate}
    world.clock.advance(3600)
    assert post(world, state, "invoice_lines").writes == 0


# ------------------------------------------------------------------------------ async and SIGKILL


def test_async_flows_post_the_same_labour_cost() -> None:
    sync_world, async_world = seed_world("small", seed=1), seed_world("small", seed=1)
    post(sync_world, MemoryStateStore(), "journal")

    async def main() -> list[SyncReport]:
        state = MemoryStateStore()
        async with async_world.aclients() as c:
            flows = time_to_quickbooks.flows(
                cw=c.cw, qbo=c.qbo, config=async_world.config, now=async_world.clock.now, mode="journal",
                default_cost_rate=COST, cw_integration_user=INTEGRATION_USER,
            )  # fmt: skip
            return [await arun(flow, state=state) for flow in flows]

    reports = asyncio.run(main())
    assert [r.writes for r in reports] == [25, 58]

    def totals(world: World) -> list[Decimal]:
        with world.clients() as c:
            return sorted(Decimal(j.total_amt or 0) for j in c.qbo.journal_entries.list().to_list())

    assert totals(async_world) == totals(sync_world)


KILL_POINTS: tuple[tuple[str, int], ...] = (
    ("store.commit:before", 2),  # the journal entries posted, their outcomes not recorded
    ("store.journal:after", 2),  # the postings journalled, nothing posted
    ("store.record_run:before", 2),  # everything done but the run's log row
)


def _kill_params() -> list[Any]:
    return [
        pytest.param(point, nth, id=f"{point}-{nth}", marks=() if n == 0 else pytest.mark.slow)
        for n, (point, nth) in enumerate(KILL_POINTS)
    ]


def ledger(world: World, state: StateStore) -> dict[str, Any]:
    """What was posted per entry (by tags) and the state's links and dead letters."""
    posted: dict[str, Decimal] = {}
    with world.clients() as c:
        for journal in c.qbo.journal_entries.list().to_list():
            for line in journal.line or ():
                for entry, amount in contributions(line.description).items():
                    posted[entry] = posted.get(entry, Decimal(0)) + amount
    return {
        "posted": sorted(posted.items()),
        "links": sorted(state.pairs(("connectwise", "time_entry"), ("quickbooks", "LabourPosting"))),
        "dead_letters": sorted((d.flow, d.source.id, d.error_type) for d in state.dead_letters()),
    }


@pytest.fixture(scope="module")
def uninterrupted() -> dict[str, Any]:
    world = seed_world("small", seed=1)
    state = MemoryStateStore()
    post(world, state, "journal")
    return ledger(world, state)


@pytest.mark.parametrize(("point", "nth"), _kill_params())
def test_sigkill_then_a_rerun_posts_each_entry_once(
    uninterrupted: dict[str, Any], tmp_path: Any, point: str, nth: int
) -> None:
    import os
    import signal
    import subprocess
    import sys

    from msplink.sync import SQLiteStateStore
    from tests.sync.test_recipe_sigkill import ROOT, Served

    world = seed_world("small", seed=1)
    cw_served, qbo_served = Served(world.cw), Served(world.qbo)
    try:
        spec = {
            "recipe": "time_to_quickbooks",
            "options": {"mode": "journal", "default_cost_rate": str(COST)},
            "cw": world.cw.credentials(), "cw_url": cw_served.url, "qbo_url": qbo_served.url,
            "realm_id": world.qbo.realm_id, "qbo_token": world.qbo.credentials()["access_token"],
            "config": world.config.to_dict(), "now": world.clock.now().isoformat(),
            "integration_user": INTEGRATION_USER,
        }  # fmt: skip
        (tmp_path / "run.json").write_text(json.dumps(spec, default=str), encoding="utf-8")
        child = subprocess.run(  # noqa: S603 (our own interpreter and module)
            [sys.executable, "-m", "tests.sync._sigkill_recipe_child", str(tmp_path), point, str(nth)],
            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, timeout=120, check=False,
        )  # fmt: skip
        assert child.returncode == -signal.SIGKILL, child.stderr.decode()[-2000:]
        with SQLiteStateStore(tmp_path / "state.db") as state:
            post(world, state, "journal")
            assert ledger(world, state) == uninterrupted
            world.clock.advance(3600)
            assert post(world, state, "journal").writes == 0
    finally:
        cw_served.stop()
        qbo_served.stop()


def test_the_posting_index_reads_everything_once_then_what_changed(world: World) -> None:
    from msplink.sync import LookupRequest
    from msplink.sync.recipes._postings import posting_target

    with world.clients() as c:
        target = posting_target(c.qbo, mode="journal", config=world.config, now=world.clock.now)
        assert target.lookup(LookupRequest(ids=["7"])) == []
        expense, liability = world.config.labour_expense_account, world.config.labour_liability_account
        c.qbo.journal_entries.create(
            {
                "TxnDate": "2026-03-01",
                "Line": [
                    {"DetailType": "JournalEntryLineDetail", "Amount": Decimal("10.00"),
                     "Description": f"Labour cost {tag({'7': Decimal('10')})}",
                     "JournalEntryLineDetail": {"PostingType": "Debit", "AccountRef": {"value": expense}}},
                    {"DetailType": "JournalEntryLineDetail", "Amount": Decimal("10.00"), "Description": "Labour cost",
                     "JournalEntryLineDetail": {"PostingType": "Credit", "AccountRef": {"value": liability}}},
                ],
            }
        )  # fmt: skip
        assert target.lookup(LookupRequest(ids=["7"])) == []  # refreshed at most once a minute
        world.clock.advance(120)
        world.qbo.clear_log()
        [found] = target.lookup(LookupRequest(ids=["7"]))
    assert found.data.net == Decimal("10")
    [query] = [r for r in world.qbo.requests if r.path.endswith("/query")]
    assert query.status == 200


# ------------------------------------------------------------------------------------ latency


def test_under_latency_async_sends_the_time_batches_concurrently_with_the_same_calls_and_result() -> None:
    (sync_run, sync_world), (async_run, async_world) = both(
        "time_to_quickbooks", lambda: seed_world(150, seed=7)
    )
    # 125 TimeActivity creates: five /batch calls of up to 30, the same calls in both runs
    batches = [k for k in sync_run.requests["quickbooks"] if k[1].endswith("/batch")]
    assert len(batches) == 1 and sync_run.requests["quickbooks"][batches[0]] == 5
    assert async_run.requests == sync_run.requests
    assert async_run.outcomes == sync_run.outcomes
    assert sync_run.outcomes[1] == {"created": 125, "skipped": 307, "failed": 47}
    assert snapshot(async_world, ("TimeActivity",)) == snapshot(sync_world, ("TimeActivity",))
    # the QuickBooks adapter lets the engine send up to 10 of a page's batches at once: all five in
    # one round instead of five
    assert sync_run.peak == {"connectwise": 1, "quickbooks": 1}
    assert async_run.peak == {"connectwise": 1, "quickbooks": 5}
    assert sync_run.wall - async_run.wall == pytest.approx(4 * LATENCY)
