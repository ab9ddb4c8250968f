"""``recipes.closed_won_to_connectwise`` end to end against a seeded world (Salesforce + ConnectWise sandboxes).

In the small world of seed 1 (today 2026-03-03) one opportunity is Closed Won: "Kingsley Architects LLC -
Managed services" (2,900 USD, closed 2026-02-10, owned by user 005SB0000000002YAA, whom the config maps
to the CW member ``amorgan``), on the account "Kingsley Architects LLC", which has no ConnectWise company
yet and two contacts, Zoe García and Ines Dubois, created in that order.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from msplink.sandbox import World, seed_world
from msplink.sync import MemoryStateStore, SQLiteStateStore, arun
from msplink.sync.recipes import RECIPES, closed_won_to_connectwise
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

COMPANIES = "sf-won-accounts-to-cw-companies"
CONTACTS = "sf-won-contacts-to-cw-contacts"
TICKETS = "sf-won-opportunities-to-cw-tickets"
PROJECTS = "sf-won-opportunities-to-cw-projects"
WRITE_BACK = "cw-onboarding-to-sf-opportunities"
FLOWS = (COMPANIES, CONTACTS, TICKETS, WRITE_BACK)
WON = "006SB000000000fYAA"
DESCRIPTION = (
    "Kingsley Architects LLC - Managed services was won on 2026-02-10 (2900.00 USD); sales owner Alex Morgan. "
    "Onboard Kingsley Architects LLC: kick-off call, documentation, agents, billing. "
    "Salesforce opportunity 006SB000000000fYAA."
)


@pytest.fixture
def world() -> World:
    """The small world of seed 1."""
    return seed_world("small", seed=1)


def _opportunity(world: World, opportunity_id: str = WON) -> dict[str, Any]:
    [row] = [o for o in sf_rows(world, "Opportunity") if o["Id"] == opportunity_id]
    return row


def _notes(world: World, ticket_id: int) -> list[str]:
    return [n["text"] for n in world.cw.store.data["ticketNotes"].values() if n["ticketId"] == ticket_id]


def test_a_closed_won_opportunity_yields_exactly_one_company_contact_and_ticket(world: World) -> None:
    store = MemoryStateStore()  # both stores: see test_invoices_to_salesforce
    facts = world.facts()
    assert facts.closed_won_opportunity == WON
    companies, contacts, tickets = (len(cw_rows(world, t)) for t in ("companies", "contacts", "tickets"))
    before = snapshot(world)
    dry = sync(closed_won_to_connectwise, world, store, dry_run=True)
    assert dry.writes == 0 and snapshot(world) == before
    assert {p.flow: p.counts["create"] for p in dry.parts} == {
        COMPANIES: 1,
        CONTACTS: 1,
        TICKETS: 1,
        WRITE_BACK: 0,
    }

    world.cw.clear_log()
    first = sync(closed_won_to_connectwise, world, store)
    # the three creates the dry run listed, then the write-back (the dry run cannot name records that
    # do not exist yet)
    assert first.writes == 4
    assert flow_counts(first) == {
        COMPANIES: {"created": 1},
        CONTACTS: {"created": 1},
        TICKETS: {"created": 1},
        WRITE_BACK: {"updated": 1, "skipped": 72},
    }
    assert request_counts(world, "connectwise") == {
        "GET companies": 1,  # the name / domain index of companies (no match)
        "POST companies": 1,
        "GET contacts": 1,  # the e-mail index of contacts (no match)
        "POST contacts": 1,
        "POST tickets": 1,
        "GET tickets": 1,  # the write-back reads the ticket it made
    }
    new_companies, new_contacts, new_tickets = (
        cw_rows(world, t) for t in ("companies", "contacts", "tickets")
    )
    assert (len(new_companies), len(new_contacts), len(new_tickets)) == (
        companies + 1,
        contacts + 1,
        tickets + 1,
    )
    company, contact, ticket = new_companies[-1], new_contacts[-1], new_tickets[-1]
    # by hand, from the account, its first contact and the templates
    assert {
        k: company[k] for k in ("name", "addressLine1", "city", "state", "zip", "phoneNumber", "website")
    } == {
        "name": "Kingsley Architects LLC",
        "addressLine1": "9358 Main St",
        "city": "Seattle",
        "state": "WA",
        "zip": "98117",
        "phoneNumber": "+1 555 861 7826",
        "website": "https://www.kingsleyarchitects13.example",
    }
    assert (contact["firstName"], contact["lastName"], contact["company"]["id"]) == (
        "Zoe",
        "García",
        company["id"],
    )
    assert contact["communicationItems"][0]["value"] == "zoe.garcia@kingsleyarchitects13.example"
    assert (ticket["summary"], ticket["board"]["name"], ticket["owner"]["identifier"]) == (
        "Onboarding: Kingsley Architects LLC",
        "Help Desk",
        "amorgan",
    )
    assert (ticket["company"]["id"], ticket["contact"]["id"]) == (company["id"], contact["id"])
    assert _notes(world, ticket["id"]) == [DESCRIPTION]
    won = _opportunity(world)
    assert (won["CW_Company_Id__c"], won["CW_Ticket_Id__c"]) == (str(company["id"]), str(ticket["id"]))

    world.clock.advance(3600)
    world.cw.clear_log()
    world.sf.clear_log()
    assert sync(closed_won_to_connectwise, world, store).writes == 0
    # the won opportunity is read again within the overlap (each won-record flow), nothing is written
    assert (
        requests_by_system(world)["connectwise"] == 1
        and request_counts(world, "salesforce")["PATCH sobjects"] == 0
    )


def test_the_onboarding_happens_once_even_when_the_opportunity_is_edited_later(world: World) -> None:
    store = MemoryStateStore()
    sync(closed_won_to_connectwise, world, store)
    tickets = len(cw_rows(world, "tickets"))
    world.clock.advance(60)  # a person edits later (SystemModstamp has second resolution)
    with world.clients() as c:
        c.sf.opportunities.update(
            WON, {"Name": "Kingsley Architects - Managed services (3 sites)", "Amount": 4350}
        )
    world.clock.advance(60)
    report = sync(closed_won_to_connectwise, world, store)
    assert report.writes == 0 and len(cw_rows(world, "tickets")) == tickets
    assert flow_counts(report)[TICKETS] == {"skipped": 1}
    assert cw_rows(world, "tickets")[-1]["summary"] == "Onboarding: Kingsley Architects LLC"


def test_a_deal_won_for_an_existing_client_links_its_company_and_contact_and_opens_a_ticket(
    world: World,
) -> None:
    store = MemoryStateStore()
    sync(closed_won_to_connectwise, world, store)
    accounts = {a["Id"]: a for a in sf_rows(world, "Account") if a.get("CW_Company_Id__c")}
    [deal] = [
        o
        for o in sf_rows(world, "Opportunity")
        if o["AccountId"] in accounts and o["StageName"] == "Prospecting"
    ][:1]
    account = accounts[deal["AccountId"]]
    companies, contacts = len(cw_rows(world, "companies")), len(cw_rows(world, "contacts"))
    world.clock.advance(60)
    with world.clients() as c:
        c.sf.opportunities.update(deal["Id"], {"StageName": "Closed Won"})
    world.clock.advance(60)
    report = sync(closed_won_to_connectwise, world, store)
    assert flow_counts(report) == {
        COMPANIES: {"linked": 1},  # by CW_Company_Id__c
        CONTACTS: {"linked": 1},  # by e-mail
        TICKETS: {"created": 1},
        WRITE_BACK: {"updated": 1},
    }
    assert (len(cw_rows(world, "companies")), len(cw_rows(world, "contacts"))) == (companies, contacts)
    ticket = cw_rows(world, "tickets")[-1]
    assert ticket["company"]["id"] == int(account["CW_Company_Id__c"])
    assert ticket["summary"] == f"Onboarding: {account['Name']}"
    assert _opportunity(world, deal["Id"])["CW_Company_Id__c"] == account["CW_Company_Id__c"]


def test_a_project_by_option_with_its_own_templates(world: World) -> None:
    store = MemoryStateStore()
    projects = len(cw_rows(world, "projects"))
    report = sync(
        closed_won_to_connectwise,
        world,
        store,
        onboarding="project",
        summary="{account}: onboarding ({amount})",
        description="Won by {owner} on {close_date}.",
        project_days=45,
    )
    assert flow_counts(report)[PROJECTS] == {"created": 1}
    assert len(cw_rows(world, "projects")) == projects + 1
    project = cw_rows(world, "projects")[-1]
    assert (project["name"], project["description"], project["board"]["name"], project["billingMethod"]) == (
        "Kingsley Architects LLC: onboarding (2900.00 USD)",
        "Won by Alex Morgan on 2026-02-10.",
        "Projects",
        "FixedFee",
    )
    assert (project["estimatedStart"], project["estimatedEnd"]) == (
        "2026-02-10T00:00:00Z",
        "2026-03-27T00:00:00Z",
    )
    won = _opportunity(world)
    assert (won["CW_Project_Id__c"], won["CW_Ticket_Id__c"]) == (str(project["id"]), None)
    world.clock.advance(3600)
    assert sync(closed_won_to_connectwise, world, store, onboarding="project").writes == 0


def test_a_template_naming_an_unknown_value_is_a_dead_letter_naming_it(world: World) -> None:
    store = MemoryStateStore()
    report = sync(closed_won_to_connectwise, world, store, summary="Onboarding {customer_tier}")
    assert flow_counts(report)[TICKETS] == {"failed": 1}
    [letter] = store.dead_letters(TICKETS)
    assert letter.error_type == "MappingError" and "Ticket.summary" in letter.message
    assert "customer_tier" in letter.message


def test_the_async_twins_end_in_the_same_state_as_the_sync_run() -> None:
    sync_world, async_world = seed_world("small", seed=1), seed_world("small", seed=1)
    sync_store, async_store = MemoryStateStore(), MemoryStateStore()
    sync(closed_won_to_connectwise, sync_world, sync_store)

    async def flows() -> list[Any]:
        async with async_world.aclients() as c:
            built = closed_won_to_connectwise.flows(
                cw=c.cw, sf=c.sf, state=async_store, config=async_world.config, now=async_world.clock.now,
                cw_integration_user="api_sync",
            )  # fmt: skip
            return [await arun(flow, state=async_store) for flow in built]

    assert sum(r.writes for r in asyncio.run(flows())) == 4
    assert snapshot(async_world) == snapshot(sync_world)
    assert state_tables(async_world, async_store, FLOWS) == state_tables(sync_world, sync_store, FLOWS)
    assert RECIPES["closed_won_to_connectwise"].systems == ("salesforce", "connectwise")


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    world = seed_world("small", seed=1)
    with SQLiteStateStore(tmp_path_factory.mktemp("baseline") / "state.db") as store:
        sync(closed_won_to_connectwise, world, store)
        return {"snapshot": snapshot(world), "state": state_tables(world, store, FLOWS)}


KILLS = [
    pytest.param("cw.create:after", 3, id="ticket-created-answer-lost"),
    pytest.param("cw.create:after", 1, id="company-created-answer-lost", marks=pytest.mark.slow),
    pytest.param("cw.create:after", 2, id="contact-created-answer-lost", marks=pytest.mark.slow),
    pytest.param("sf.write:after", 1, id="write-back-applied-answer-lost", marks=pytest.mark.slow),
    pytest.param("store.commit:before", 3, id="contact-written-not-committed", marks=pytest.mark.slow),
]


@pytest.mark.parametrize(("point", "nth"), KILLS)
def test_sigkill_then_a_rerun_ends_as_an_uninterrupted_run(
    uninterrupted: dict[str, Any], tmp_path: Path, point: str, nth: int
) -> None:
    pytest.importorskip("uvicorn")
    world = seed_world("small", seed=1)
    tickets = len(cw_rows(world, "tickets"))
    with served(world) as servers:
        kill(world, servers, tmp_path, "closed_won_to_connectwise", point, nth)
    with SQLiteStateStore(tmp_path / "state.db") as store:
        sync(closed_won_to_connectwise, world, store)
        assert {"snapshot": snapshot(world), "state": state_tables(world, store, FLOWS)} == uninterrupted
        assert len(cw_rows(world, "tickets")) == tickets + 1
        world.clock.advance(3600)
        assert sync(closed_won_to_connectwise, world, store).writes == 0
