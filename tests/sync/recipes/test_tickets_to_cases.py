"""``recipes.tickets_to_cases`` end to end against a seeded world (ConnectWise + Salesforce sandboxes).

The small world of seed 1 (today 2026-03-03) holds 72 CW tickets; 24 are open and in the default scope
(escalated, or of priority 1 or 2), 17 of those belong to the 22 companies linked to a Salesforce
account, and 3 of the 17 already have a Case (seeded with ``CW_Ticket_Id__c``). The world's config maps
Case statuses New / Working / Escalated / Closed to the CW statuses New / In Progress / Escalated /
Closed (``Waiting on Client`` -> Working) and Case priorities High / Medium / Low to CW priorities 2 / 3 /
4 (``Priority 1 - Emergency`` -> High).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from msplink.connectwise import models as cw
from msplink.sandbox import World, seed_world
from msplink.sync import MemoryStateStore, SQLiteStateStore, arun
from msplink.sync.recipes import RECIPES, tickets_to_cases
from msplink.sync.recipes._cases import TicketScope
from tests.sync.recipes._cw_to_sf import (
    cw_rows,
    flow_counts,
    request_counts,
    requests_by_system,
    sf_rows,
    snapshot,
    state_tables,
    sync,
)
from tests.sync.recipes._sigkill import kill, served

LINKS = "crm:cw-companies-to-sf-accounts"
CASES = "cw-tickets-to-sf-cases"
FLOWS = (LINKS, CASES)
CASE_STATUS = {
    "New": "New",
    "In Progress": "Working",
    "Waiting on Client": "Working",
    "Escalated": "Escalated",
}
CASE_PRIORITY = {
    "Priority 1 - Emergency": "High",
    "Priority 2 - High": "High",
    "Priority 3 - Medium": "Medium",
}


@pytest.fixture
def world() -> World:
    """The small world of seed 1."""
    return seed_world("small", seed=1)


def _cases(world: World) -> dict[str, dict[str, Any]]:
    return {c["CW_Ticket_Id__c"]: c for c in sf_rows(world, "Case")}


def _in_scope(ticket: dict[str, Any]) -> bool:
    return not ticket["closedFlag"] and (
        ticket["priority"]["name"] in {"Priority 1 - Emergency", "Priority 2 - High"}
        or ticket["status"]["name"] == "Escalated"
        or bool(ticket.get("escalationLevel"))
    )


def test_a_dry_run_plans_what_the_first_run_writes_and_a_rerun_writes_nothing(world: World) -> None:
    store = MemoryStateStore()  # both stores: see test_invoices_to_salesforce
    before = snapshot(world)
    dry = sync(tickets_to_cases, world, store, dry_run=True)
    assert dry.writes == 0 and snapshot(world) == before
    assert {k: v for k, v in dry.parts[1].counts.items() if v} == {"create": 14, "link": 3, "skip": 55}

    world.cw.clear_log()
    world.sf.clear_log()
    first = sync(tickets_to_cases, world, store)
    assert first.writes == 14 == dry.parts[1].counts["create"]
    assert flow_counts(first) == {
        LINKS: {"linked": 22, "skipped": 11, "conflict": 1},
        CASES: {"created": 14, "linked": 3, "skipped": 55},
    }
    # one upsert call by CW_Ticket_Id__c; one notes read per ticket in scope (its description)
    assert request_counts(world, "salesforce")["PATCH CW_Ticket_Id__c"] == 1
    assert request_counts(world, "connectwise") == {"GET companies": 1, "GET tickets": 1, "GET notes": 17}

    linked = {a: b for a, b in store.pairs(("connectwise", "company"), ("salesforce", "Account"))}
    tickets = {str(t["id"]): t for t in cw_rows(world, "tickets")}
    expected = {i for i, t in tickets.items() if _in_scope(t) and str(t["company"]["id"]) in linked}
    cases = _cases(world)
    assert set(cases) == expected and len(expected) == 17 == len(sf_rows(world, "Case"))
    for ticket_id, case in cases.items():
        ticket = tickets[ticket_id]
        assert case["Subject"] == ticket["summary"]
        assert case["Status"] == CASE_STATUS[ticket["status"]["name"]]
        assert case["Priority"] == CASE_PRIORITY[ticket["priority"]["name"]]
        assert case["IsEscalated"] is bool(ticket.get("escalationLevel"))
        assert case["AccountId"] == linked[str(ticket["company"]["id"])]
    assert set(store.pairs(("connectwise", "ticket"), ("salesforce", "Case"))) == {
        (i, c["Id"]) for i, c in cases.items()
    }

    world.clock.advance(3600)
    world.cw.clear_log()
    world.sf.clear_log()
    assert sync(tickets_to_cases, world, store).writes == 0
    assert requests_by_system(world) == {"connectwise": 2, "salesforce": 0}  # two change reads


def test_an_escalated_ticket_yields_one_case_and_closing_it_in_cw_closes_the_case(world: World) -> None:
    facts = world.facts()
    assert facts.escalated_ticket == 1
    store = MemoryStateStore()
    sync(tickets_to_cases, world, store)
    # by hand: ticket 1 "VPN drops every hour" of Crescent Manufacturing Ltd is Escalated (level 2) at
    # Priority 2 - High: a case "VPN drops every hour", Escalated, High, escalated, on its account
    [case] = [c for c in sf_rows(world, "Case") if c["CW_Ticket_Id__c"] == "1"]
    [account] = [a for a in sf_rows(world, "Account") if a["Id"] == case["AccountId"]]
    assert account["Name"] == "Crescent Manufacturing Ltd."  # matched to "Crescent Manufacturing Ltd" by name
    assert (case["Subject"], case["Status"], case["Priority"], case["IsEscalated"], case["IsClosed"]) == (
        "VPN drops every hour",
        "Escalated",
        "High",
        True,
        False,
    )
    for _ in range(2):
        world.clock.advance(3600)
        assert sync(tickets_to_cases, world, store).writes == 0
    assert len([c for c in sf_rows(world, "Case") if c["CW_Ticket_Id__c"] == "1"]) == 1

    with world.clients() as c:  # the technician works it, then closes it
        c.cw.tickets.update(1, cw.TicketUpdate(status=cw.Reference(id=2, name="In Progress")))
    world.clock.advance(60)
    assert flow_counts(sync(tickets_to_cases, world, store))[CASES] == {"updated": 1}
    assert _cases(world)["1"]["Status"] == "Working"
    with world.clients() as c:
        c.cw.tickets.update(1, cw.TicketUpdate(status=cw.Reference(id=5, name="Closed"), closed_flag=True))
    world.clock.advance(60)
    assert flow_counts(sync(tickets_to_cases, world, store))[CASES] == {"updated": 1}
    closed = _cases(world)["1"]
    assert (closed["Status"], closed["IsClosed"]) == ("Closed", True)
    world.clock.advance(3600)
    assert sync(tickets_to_cases, world, store).writes == 0


def test_a_new_ticket_brings_its_description_and_origin_and_later_priority_changes_follow(
    world: World,
) -> None:
    store = MemoryStateStore()
    sync(tickets_to_cases, world, store)
    world.clock.advance(60)
    with world.clients() as c:
        ticket = c.cw.tickets.create(
            cw.Ticket(
                summary="Server down at HQ",
                company=cw.Reference(id=1),
                board=cw.Reference(id=1, name="Help Desk"),
                priority=cw.PriorityReference(id=1, name="Priority 1 - Emergency"),
                source=cw.Reference(id=2, name="Phone"),
                initial_description="The file server does not boot since 8am.",
            )
        )
    world.clock.advance(60)
    assert flow_counts(sync(tickets_to_cases, world, store))[CASES] == {"created": 1}
    case = _cases(world)[str(ticket.id)]
    assert (case["Subject"], case["Description"], case["Origin"], case["Priority"], case["Status"]) == (
        "Server down at HQ",
        "The file server does not boot since 8am.",
        "Phone",
        "High",  # Priority 1 - Emergency: High, and the ticket reads back as Priority 2 - High
        "New",
    )
    with world.clients() as c:  # an emergency still is High: nothing to write
        c.cw.tickets.update(ticket.id or 0, cw.TicketUpdate(summary="Server down at HQ (all users)"))
    world.clock.advance(60)
    assert flow_counts(sync(tickets_to_cases, world, store))[CASES] == {"updated": 1}
    assert _cases(world)[str(ticket.id)]["Subject"] == "Server down at HQ (all users)"
    with world.clients() as c:  # out of the scope now, but its case follows
        c.cw.tickets.update(ticket.id or 0, cw.TicketUpdate(priority=cw.PriorityReference(id=3)))
    world.clock.advance(60)
    assert flow_counts(sync(tickets_to_cases, world, store))[CASES] == {"updated": 1}
    assert _cases(world)[str(ticket.id)]["Priority"] == "Medium"
    world.clock.advance(3600)
    assert sync(tickets_to_cases, world, store).writes == 0


def test_the_scope_and_create_accounts_options(world: World) -> None:
    store = MemoryStateStore()
    scope = TicketScope(priorities=(), statuses=("Escalated",), escalated=False, boards=("Help Desk",))
    report = sync(tickets_to_cases, world, store, scope=scope, create_accounts=True)
    # 11 companies had no account: each gets one; the 11 escalated open tickets all get cases (3 had one)
    assert flow_counts(report)[f"{LINKS}:create"] == {"created": 11, "linked": 22, "conflict": 1}
    assert flow_counts(report)[CASES] == {"created": 8, "linked": 3, "skipped": 61}
    escalated = {str(t["id"]) for t in cw_rows(world, "tickets") if t["status"]["name"] == "Escalated"}
    assert set(_cases(world)) == escalated
    created = [
        a
        for a in sf_rows(world, "Account")
        if a.get("CW_Company_Id__c") and a["OwnerId"] == "005SB0000000001YAA"
    ]
    assert len(created) == 11


def test_the_async_twins_end_in_the_same_state_as_the_sync_run() -> None:
    sync_world, async_world = seed_world("small", seed=1), seed_world("small", seed=1)
    sync_store, async_store = MemoryStateStore(), MemoryStateStore()
    sync(tickets_to_cases, sync_world, sync_store)

    async def flows() -> list[Any]:
        async with async_world.aclients() as c:
            built = tickets_to_cases.flows(
                cw=c.cw, sf=c.sf, state=async_store, config=async_world.config, now=async_world.clock.now,
                cw_integration_user="api_sync",
            )  # fmt: skip
            return [await arun(flow, state=async_store) for flow in built]

    assert sum(r.writes for r in asyncio.run(flows())) == 14
    assert snapshot(async_world) == snapshot(sync_world)
    assert state_tables(async_world, async_store, FLOWS) == state_tables(sync_world, sync_store, FLOWS)
    assert RECIPES["tickets_to_cases"].run is tickets_to_cases


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    world = seed_world("small", seed=1)
    with SQLiteStateStore(tmp_path_factory.mktemp("baseline") / "state.db") as store:
        sync(tickets_to_cases, world, store)
        return {"snapshot": snapshot(world), "state": state_tables(world, store, FLOWS)}


KILLS = [
    pytest.param("sf.write:after", 1, id="case-upsert-applied-answer-lost"),
    pytest.param("cw.read", 2, id="reading-tickets", marks=pytest.mark.slow),
    pytest.param("store.journal:after", 1, id="case-intents-journalled", marks=pytest.mark.slow),
    pytest.param("store.commit:before", 2, id="cases-written-not-committed", marks=pytest.mark.slow),
]


@pytest.mark.parametrize(("point", "nth"), KILLS)
def test_sigkill_then_a_rerun_ends_as_an_uninterrupted_run(
    uninterrupted: dict[str, Any], tmp_path: Path, point: str, nth: int
) -> None:
    pytest.importorskip("uvicorn")
    world = seed_world("small", seed=1)
    with served(world) as servers:
        kill(world, servers, tmp_path, "tickets_to_cases", point, nth)
    with SQLiteStateStore(tmp_path / "state.db") as store:
        sync(tickets_to_cases, world, store)
        assert {"snapshot": snapshot(world), "state": state_tables(world, store, FLOWS)} == uninterrupted
        assert len(sf_rows(world, "Case")) == 17
        world.clock.advance(3600)
        assert sync(tickets_to_cases, world, store).writes == 0
