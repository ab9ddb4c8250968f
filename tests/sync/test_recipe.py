"""``recipes.companies_and_customers`` end to end against a seeded world (ConnectWise + QuickBooks sandboxes).

The small world of seed 1 holds 34 CW companies and 29 QBO customers; 26 companies are in both, with
their names spelt differently (case, punctuation, Inc/LLC/Ltd) and e-mails sometimes in another case;
one CW company ("Crescent Manufacturing Ltd") has two QBO candidates of the same normalised name (an
ambiguous pair of ``world.facts()``), and three CW companies bill on "Net 45 days", a term the world's
config leaves unmapped.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import attrs
import pytest

from msplink.errors import ConflictError, MappingError
from msplink.mappers import MappingConfig
from msplink.quickbooks import models as qbo
from msplink.sandbox import World, seed_world
from msplink.sync import (
    GuardError,
    Guards,
    LeaseError,
    MemoryStateStore,
    SQLiteStateStore,
    StateStore,
    SyncReport,
    arun,
    run,
)
from msplink.sync.recipes import RECIPES, companies_and_customers
from tests.sync._recipes import (
    BACKWARD,
    FORWARD,
    INTEGRATION_USER,
    api_requests,
    companies,
    customers,
    edit_company,
    edit_customer,
    person,
    request_counts,
    snapshot,
    state_tables,
    sync,
)


@pytest.fixture
def world() -> World:
    """The small world of seed 1 (34 CW companies, 29 QBO customers)."""
    return seed_world("small", seed=1)


def _flow_counts(report: Any) -> dict[str, dict[str, int]]:
    return {p.flow: {k: v for k, v in p.outcome_counts.items() if v} for p in report.parts}


def test_first_sync_links_overlapping_records_creates_the_rest_and_asks_about_the_ambiguous_pair(
    world: World, store: StateStore
) -> None:
    facts = world.facts()
    [pair] = [p for p in facts.ambiguous_pairs if p.system == "quickbooks"]
    report = sync(world, store)

    assert _flow_counts(report) == {
        FORWARD: {"created": 7, "updated": 18, "linked": 7, "conflict": 1, "failed": 1},
        BACKWARD: {"created": 2, "updated": 2, "skipped": 30, "failed": 2},
    }
    assert report.writes == 29
    with world.clients() as c:
        cw_after, qbo_after = companies(c), customers(c)
    assert (len(cw_after), len(qbo_after)) == (34 + 2, 29 + 7)

    # every company that was in both systems is linked to its own customer, none twice
    links = set(store.pairs(("connectwise", "company"), ("quickbooks", "Customer")))
    expected = {
        (f.ids["connectwise"], f.ids["quickbooks"])
        for f in facts.companies
        if {"connectwise", "quickbooks"} <= set(f.ids) and f.ids["connectwise"] != pair.source_id
    }
    assert expected <= links
    assert len({a for a, _ in links}) == len({b for _, b in links}) == len(links) == 34

    # the ambiguous pair waits in the conflict log: no customer created or linked for it
    [conflict] = [c for c in store.conflicts() if c.flow == FORWARD and c.kind == "match"]
    assert conflict.source.id == pair.source_id
    assert tuple(sorted(c.id for c in conflict.candidates)) == tuple(sorted(pair.candidates))
    assert pair.source_id not in {a for a, _ in links}
    assert not set(pair.candidates) & {b for _, b in links}
    # the QBO side of the pair finds that CW company by name: both wait for the same person's decision
    # (dead letters naming the conflict), neither links it by flow order
    assert not [c for c in store.conflicts() if c.flow == BACKWARD]
    waiting = store.dead_letters(BACKWARD)
    assert sorted(d.source.id for d in waiting) == sorted(pair.candidates)
    assert {(d.action, d.error_type) for d in waiting} == {("match", "MatchPendingError")}
    assert all(f"conflict {conflict.id}" in d.message for d in waiting)

    # an e-mail address QuickBooks spells in another case is the same address: no field conflict, and
    # neither side is rewritten
    recased = {
        f.ids["connectwise"]: f.qbo_email
        for f in facts.companies
        if f.qbo_email and "connectwise" in f.ids and f.qbo_email != f.billing_email
        and f.qbo_email.casefold() == f.billing_email.casefold()
    }  # fmt: skip
    assert len(recased) == 6
    assert not [c for c in store.conflicts() if c.kind == "field"]
    by_id = {str(x.id): x for x in cw_after}
    assert {i: by_id[i].invoice_to_email_address for i in recased} == {
        f.ids["connectwise"]: f.billing_email for f in facts.companies if f.ids.get("connectwise") in recased
    }

    # no duplicates by name in either system
    assert len({x.display_name.casefold() for x in qbo_after}) == len(qbo_after)
    assert len({x.name.casefold() for x in cw_after}) == len(cw_after)

    # the unmapped term is a dead letter naming the missing entry; the run went on
    [letter] = store.dead_letters(FORWARD)
    assert (letter.flow, letter.action, letter.error_type) == (FORWARD, "create", "MappingError")
    assert "Net 45 days" in letter.message and "terms" in letter.message
    assert isinstance(report.failures[0].error, MappingError)


def test_a_second_run_with_no_changes_writes_nothing_and_reads_only_the_change_feeds(world: World) -> None:
    store = MemoryStateStore()
    sync(world, store)
    for _ in range(2):
        world.clock.advance(3600)
        world.cw.clear_log()
        world.qbo.clear_log()
        report = sync(world, store)
        assert report.writes == 0
        assert request_counts(world.cw) == {"GET companies": 1}  # lastUpdated window, one page
        assert request_counts(world.qbo) == {"GET cdc": 1}  # CDC since the watermark
        assert {p.flow: dict(p.api_calls) for p in report.parts} == {
            FORWARD: {"connectwise": 2, "quickbooks": 0},  # the client's codebase discovery + the read
            BACKWARD: {"quickbooks": 1, "connectwise": 0},
        }


def test_edits_on_both_sides_flow_by_owner_conflict_when_contested_and_never_ping_pong(world: World) -> None:
    store = MemoryStateStore()
    sync(world, store)
    with person(world) as c:
        edit_company(c, 2, phone_number="+1 555 000 0002")  # REVIEW, changed in CW only
        edit_customer(c, "3", primary_email_addr=qbo.EmailAddress(address="ap@oakridgelegal3.example"))
        edit_customer(c, "5", sales_term_ref=qbo.Ref(value="1"))  # terms: QuickBooks owns them
        edit_company(c, 7, name="Redwood Design Studio")  # name: ConnectWise owns it
        edit_company(c, 10, phone_number="+1 555 111 1010")  # phone changed on both sides
        edit_customer(c, "9", primary_phone=qbo.Telephone(free_form_number="+1 555 999 0909"))
    world.cw.clear_log()
    world.qbo.clear_log()
    report = sync(world, store)
    assert _flow_counts(report) == {
        FORWARD: {"updated": 2, "skipped": 3, "conflict": 1},  # 3: msplink's own round-1 writes
        BACKWARD: {"updated": 2, "skipped": 2, "conflict": 1},  # 2: echoes of this round's writes
    }
    assert request_counts(world.cw) == {"GET companies": 2, "PATCH 4": 1, "PATCH 6": 1}
    assert request_counts(world.qbo) == {"GET cdc": 1, "POST batch": 2}  # a look-up and a write
    with world.clients() as c:
        assert c.qbo.customers.get("2").raw["PrimaryPhone"]["FreeFormNumber"] == "+1 555 000 0002"
        assert c.cw.companies.get(4).invoice_to_email_address == "ap@oakridgelegal3.example"
        assert c.cw.companies.get(6).raw["billingTerms"]["name"] == "Due on receipt"
        assert c.qbo.customers.get("6").display_name == "Redwood Design Studio"
        assert c.cw.companies.get(10).phone_number == "+1 555 111 1010"  # contested: neither side written
        assert c.qbo.customers.get("9").raw["PrimaryPhone"]["FreeFormNumber"] == "+1 555 999 0909"
    [contested] = [c for c in store.conflicts() if c.field == "phone"]
    assert (contested.source.id, contested.target.id) == ("10", "9")  # type: ignore[union-attr]
    assert (contested.source_value, contested.target_value) == ("+1 555 111 1010", "+1 555 999 0909")

    for _ in range(3):  # nothing ping-pongs
        world.clock.advance(3600)
        assert sync(world, store).writes == 0

    store.resolve_conflict(contested.id or 0, take="source")
    world.clock.advance(3600)
    applied = sync(world, store)
    assert applied.writes == 1
    with world.clients() as c:
        assert c.qbo.customers.get("9").raw["PrimaryPhone"]["FreeFormNumber"] == "+1 555 111 1010"
    assert store.conflicts("applied")[0].id == contested.id
    world.clock.advance(3600)
    assert sync(world, store).writes == 0


def test_deciding_the_ambiguous_pair_completes_the_waiting_customers_on_retry(world: World) -> None:
    store = MemoryStateStore()
    [pair] = [p for p in world.facts().ambiguous_pairs if p.system == "quickbooks"]
    sync(world, store)
    [conflict] = [c for c in store.conflicts() if c.flow == FORWARD and c.kind == "match"]
    chosen, other = sorted(pair.candidates)
    store.resolve_conflict(conflict.id or 0, take=chosen)
    world.clock.advance(3600)
    report = sync(world, store, retry_dead_letters=True)
    assert store.dead_letters(BACKWARD) == [] and store.conflicts("applied")[0].id == conflict.id
    links = set(store.pairs(("connectwise", "company"), ("quickbooks", "Customer")))
    assert (pair.source_id, chosen) in links  # the person's choice
    [(made, _)] = [(a, b) for a, b in links if b == other]  # the other customer is a company of its own
    assert made not in {pair.source_id} and len(links) == 34 + 2
    # the chosen customer's own values meet the company's (a field for the person, as for any new link);
    # the forward failure is the unmapped term, retried and still unmapped
    assert _flow_counts(report) == {
        FORWARD: {"updated": 1, "skipped": 4, "failed": 1},
        BACKWARD: {"created": 1, "conflict": 1},
    }
    assert report.writes == 2
    world.clock.advance(3600)
    assert sync(world, store, retry_dead_letters=True).writes == 0


def test_the_unmapped_term_is_retried_from_the_dead_letters_once_it_is_mapped(world: World) -> None:
    store = MemoryStateStore()
    sync(world, store)
    [letter] = store.dead_letters(FORWARD)
    with person(world) as c:
        term = c.qbo.terms.create(qbo.Term(name="Net 45", due_days=45))
    config = MappingConfig.from_dict(
        {**world.config.to_dict(), "terms": {**world.config.terms.forward, "Net 45 days": str(term.id)}}
    )
    world.qbo.clear_log()
    report = sync(world, store, config=config, retry_dead_letters=True)
    assert _flow_counts(report)[FORWARD] == {"created": 1, "skipped": 4}  # 4: msplink's round-1 writes
    assert store.dead_letters(FORWARD) == []
    # the QBO pair's records still wait for the person's decision on the ambiguous match
    assert [d.error_type for d in store.dead_letters(BACKWARD)] == ["MatchPendingError"] * 2
    with world.clients() as c:
        [created] = [x for x in customers(c) if x.display_name == "Keystone Design Ltd"]
        assert created.sales_term_ref.value == str(term.id)
    assert letter.source.id == "3"


def test_guards_stop_a_run_before_its_first_write(world: World) -> None:
    store = MemoryStateStore()
    before = snapshot(world)
    world.cw.clear_log()
    with pytest.raises(GuardError) as caught:
        sync(world, store, guards=Guards(max_writes=3))
    assert "max_writes=3" in str(caught.value)
    assert caught.value.plan is not None and caught.value.plan.writes == 26
    assert {m for m, _ in api_requests(world.cw)} == {"GET"}
    assert snapshot(world) == before
    assert store.pairs(("connectwise", "company"), ("quickbooks", "Customer")) == []
    assert store.watermark(FORWARD) is None
    assert [r.status for r in store.runs()] == ["guarded"]


def test_the_mass_delete_guard_stops_deletes_before_the_first_write(world: World) -> None:
    store = MemoryStateStore()
    sync(world, store)
    before = snapshot(world)["quickbooks"]
    linked = {int(a) for a, _ in store.pairs(("connectwise", "company"), ("quickbooks", "Customer"))}
    deleted: list[int] = []
    with person(world) as c:
        for company_id in sorted(linked):
            try:
                c.cw.companies.delete(company_id)
            except ConflictError:  # in use (agreements, tickets): ConnectWise refuses
                continue
            deleted.append(company_id)
        forward, _ = companies_and_customers.flows(
            cw=c.cw, qbo=c.qbo, config=world.config, now=world.clock.now
        )
        deleting = attrs.evolve(
            forward, detect_deletes=True, guards=Guards(allow_delete=True, max_delete_fraction=0.05)
        )
        world.qbo.clear_log()
        with pytest.raises(GuardError, match="2 deletes planned out of 34 linked records"):
            run(deleting, state=store)
    assert deleted == [35, 36]  # the two companies the first sync created: nothing refers to them yet
    assert request_counts(world.qbo) == {"POST batch": 2}  # look-ups (changed page, deleted page) only
    assert snapshot(world)["quickbooks"] == before
    assert len(store.pairs(("connectwise", "company"), ("quickbooks", "Customer"))) == 34


def test_a_dry_run_writes_nothing_and_moves_no_watermark(world: World) -> None:
    store = MemoryStateStore()
    before = snapshot(world)
    report = sync(world, store, dry_run=True)
    assert report.dry_run and report.writes == 0
    assert report.counts["create"] == 10 and report.outcome_counts["planned"] == 34 + 29  # every record
    assert snapshot(world) == before
    assert store.watermark(FORWARD) is None and store.watermark(BACKWARD) is None
    assert [(r.flow, r.dry_run) for r in store.runs()] == [(FORWARD, True), (BACKWARD, True)]
    assert store.pairs(("connectwise", "company"), ("quickbooks", "Customer")) == []


_HOLDER = textwrap.dedent(
    """
    import os, socket, sys
    from datetime import timedelta
    from msplink.sync import SQLiteStateStore
    store = SQLiteStateStore(sys.argv[1])
    store.acquire_lease(sys.argv[2], f"{socket.gethostname()}:{os.getpid()}:other", timedelta(minutes=5))
    print("held", flush=True)
    sys.stdin.read()
    """
)


def test_a_second_process_on_the_same_flow_gets_a_lease_error(world: World, tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    child = subprocess.Popen(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", _HOLDER, str(path), FORWARD],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "held"
        store = SQLiteStateStore(path)
        with pytest.raises(LeaseError) as caught:
            sync(world, store)
        assert caught.value.holder.endswith(f":{child.pid}:other")
        assert str(child.pid) in str(caught.value)
        store.close()
    finally:
        child.communicate("")
    assert child.returncode == 0


def test_the_async_twins_end_in_the_same_state_as_the_sync_run() -> None:
    sync_world, async_world = seed_world("small", seed=1), seed_world("small", seed=1)
    sync_store, async_store = MemoryStateStore(), MemoryStateStore()
    sync(sync_world, sync_store)

    async def both_flows() -> list[Any]:
        async with async_world.aclients() as c:
            flows = companies_and_customers.flows(
                cw=c.cw, qbo=c.qbo, config=async_world.config, now=async_world.clock.now,
                cw_integration_user=INTEGRATION_USER,
            )  # fmt: skip
            return [await arun(flow, state=async_store) for flow in flows]

    reports = asyncio.run(both_flows())
    assert sum(r.writes for r in reports) == 29
    assert snapshot(async_world) == snapshot(sync_world)
    assert state_tables(async_world, async_store) == state_tables(sync_world, sync_store)


def test_the_recipe_refuses_async_clients_and_is_registered() -> None:
    world = seed_world(4, seed=2)

    async def call() -> None:
        async with world.aclients() as c:
            with pytest.raises(TypeError, match="arun"):
                companies_and_customers(cw=c.cw, qbo=c.qbo, state=MemoryStateStore(), config=world.config)

    asyncio.run(call())
    assert RECIPES["companies_and_customers"].run is companies_and_customers


def test_the_recipe_report_adds_up_its_flows_and_renders(world: World) -> None:
    report = sync(world, MemoryStateStore())
    forward, backward = report.parts
    assert report.flow == "companies_and_customers" and (forward.flow, backward.flow) == (FORWARD, BACKWARD)
    for key in ("create", "update", "skip", "conflict"):
        assert report.counts[key] == forward.counts[key] + backward.counts[key]
    assert report.writes == forward.writes + backward.writes
    assert dict(report.api_calls) == {
        s: forward.api_calls.get(s, 0) + backward.api_calls.get(s, 0) for s in ("connectwise", "quickbooks")
    }
    assert report.outcomes == forward.outcomes + backward.outcomes
    assert report.watermarks == {FORWARD: str(forward.watermark), BACKWARD: str(backward.watermark)}
    assert report.to_dict()["watermarks"] == report.watermarks
    text = str(report)
    assert f"watermark: {FORWARD}: {forward.watermark}" in text and "29 writes" in text
    with pytest.raises(ValueError, match="at least one"):
        SyncReport.combine("nothing", [])


def test_mixed_sync_and_async_clients_are_refused(world: World) -> None:
    async def call() -> None:
        async with world.aclients() as a:
            with world.clients() as c:
                with pytest.raises(TypeError, match="two sync clients or two async clients"):
                    companies_and_customers.flows(cw=c.cw, qbo=a.qbo, config=world.config)

    asyncio.run(call())
