"""``recipes.leads_to_connectwise`` end to end against a seeded world (Salesforce + ConnectWise sandboxes).

The small world of seed 0 holds 10 leads: 2 ``Qualified`` (``facts.qualified_lead`` is Ann Cohen of
"Clayton Foods Prospect 3"; Hiro Okafor of "Riverbend Printing Prospect 7"), 3 converted ("seaside
storage", "Sterling Family Medicine Ltd", "Atlas Bakery, LLC": companies in Salesforce but not in
ConnectWise), 2 open, 2 working, 1 closed unconverted. None of their e-mails is a CW contact yet.

Hand-computed first run (default scope: ``Qualified`` or converted):

- lead companies -> CW companies: the 5 companies the 5 leads in scope name are created (none is in
  ConnectWise); the other 5 are filtered: 5 + 5 = 10;
- open leads -> CW contacts: the 2 qualified leads become contacts under their new companies; 8
  filtered;
- converted leads -> CW contacts: the 3 converted leads become contacts; 7 filtered;
- CW contacts -> leads: the 2 qualified leads get their CW contact and company ids (converted leads
  cannot be updated in Salesforce); the 67 + 3 other CW contacts are no open lead's: skipped (guard).
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from msplink.sandbox import World, seed_world
from msplink.sync import MemoryStateStore, StateStore, arun
from msplink.sync.recipes import RECIPES, leads_to_connectwise
from tests.sync.recipes._crm import (
    CONVERTED,
    LEAD_COMPANIES,
    LEAD_CONTACTS,
    LEAD_FLOWS,
    WRITE_BACK,
    companies,
    counts,
    cw_contacts,
    cw_email,
    no_duplicates,
    person,
    sf_rows,
    snapshot,
    state_tables,
    sync_accounts,
    sync_leads,
)

FIRST = {
    LEAD_COMPANIES: {"created": 5, "skipped": 5},
    LEAD_CONTACTS: {"created": 2, "skipped": 8},
    CONVERTED: {"created": 3, "skipped": 7},
    WRITE_BACK: {"updated": 2, "skipped": 70},
}


@pytest.fixture
def world() -> World:
    """The small world of seed 0."""
    return seed_world("small", seed=0)


def _lead(world: World, lead_id: str) -> dict[str, Any]:
    with world.clients() as c:
        return next(r for r in sf_rows(c, "Lead") if r["Id"] == lead_id)


def test_a_qualified_lead_yields_one_contact_and_company_with_the_ids_written_back_once(
    world: World, store: StateStore
) -> None:
    qualified = world.facts().qualified_lead
    assert qualified is not None
    lead = _lead(world, qualified)
    assert (lead["Status"], lead["Company"], lead["CW_Contact_Id__c"]) == (
        "Qualified",
        "Clayton Foods Prospect 3",
        None,
    )
    report = sync_leads(world, store)
    assert counts(report) == FIRST
    assert report.writes == 5 + 2 + 3 + 2

    with world.clients() as c:
        [contact] = [x for x in cw_contacts(c) if cw_email(x) == lead["Email"]]
        [company] = [x for x in companies(c) if x.name == "Clayton Foods Prospect 3"]
    assert (contact.first_name, contact.last_name, contact.company.id) == ("Ann", "Cohen", company.id)
    assert company.raw["leadSource"] == lead["LeadSource"]
    after = _lead(world, qualified)
    assert (after["CW_Contact_Id__c"], after["CW_Company_Id__c"]) == (str(contact.id), str(company.id))
    assert (qualified, str(contact.id)) in store.pairs(("salesforce", "Lead"), ("connectwise", "contact"))

    # once: reruns write nothing, and an edit of the lead creates no second contact
    for _ in range(2):
        world.clock.advance(600)
        assert sync_leads(world, store).writes == 0
    with person(world) as c:
        c.sf.leads.update(
            qualified, {"Title": "Head of Operations", "Company": "Clayton Foods Prospect 3 Inc."}
        )
    again = sync_leads(world, store)
    assert again.writes == 0  # matched and linked already; ConnectWise owns the contact now
    assert counts(again)[LEAD_COMPANIES] == {"skipped": 1} and counts(again)[LEAD_CONTACTS] == {"skipped": 1}
    with world.clients() as c:
        assert [x.id for x in cw_contacts(c) if cw_email(x) == lead["Email"]] == [contact.id]
        assert len([x for x in companies(c) if x.name.startswith("Clayton Foods")]) == 1


def test_a_lead_whose_email_is_a_contact_links_to_it_and_the_converted_leads_are_never_updated(
    world: World,
) -> None:
    facts = world.facts()
    with world.clients() as c:
        leads = sf_rows(c, "Lead")
    [riverbend] = [r for r in leads if r["Status"] == "Qualified" and r["Id"] != facts.qualified_lead]
    with person(world) as c:  # the prospect turns out to be someone ConnectWise knows
        c.sf.leads.update(riverbend["Id"], {"Email": "Jon.Okafor@pioneerelectric1.example"})
    store = MemoryStateStore()
    world.sf.clear_log()
    report = sync_leads(world, store)
    assert counts(report)[LEAD_CONTACTS] == {"created": 1, "linked": 1, "skipped": 8}
    after = _lead(world, riverbend["Id"])
    assert after["CW_Contact_Id__c"] == "2"  # Jon Okafor's CW contact, whose company is Pioneer
    assert after["CW_Company_Id__c"] == "2"
    # converted leads are read-only in Salesforce: the write-back patched the two open leads only
    patched = [r for r in world.sf.requests if r.method == "PATCH"]
    assert len(patched) == 1 and report.failures == ()
    converted = [r for r in sf_rows_of(world) if r["IsConverted"]]
    assert facts.converted_lead in {r["Id"] for r in converted}
    assert [(r["CW_Contact_Id__c"], r["CW_Company_Id__c"]) for r in converted] == [(None, None)] * 3


def sf_rows_of(world: World) -> list[dict[str, Any]]:
    """Every lead."""
    with world.clients() as c:
        return sf_rows(c, "Lead")


def test_the_statuses_in_scope_are_configurable(world: World) -> None:
    store = MemoryStateStore()
    report = sync_leads(world, store, statuses=("Working - Contacted",), converted=False)
    assert counts(report) == {
        LEAD_COMPANIES: {"created": 2, "skipped": 8},
        LEAD_CONTACTS: {"created": 2, "skipped": 8},
        CONVERTED: {"skipped": 10},
        WRITE_BACK: {"updated": 2, "skipped": 67},
    }
    working = {r["Id"]: r for r in sf_rows_of(world) if r["Status"] == "Working - Contacted"}
    assert all(r["CW_Contact_Id__c"] for r in working.values())
    with pytest.raises(TypeError, match="collection"):
        sync_leads(world, store, statuses="Qualified")


def test_a_dry_run_writes_nothing_and_lists_what_it_would_write(world: World) -> None:
    store = MemoryStateStore()
    before = snapshot(world)
    report = sync_leads(world, store, dry_run=True)
    assert report.writes == 0 and snapshot(world) == before
    # what the first run creates; the write-back has nothing to write before the contacts exist: the
    # 67 CW contacts are no lead's (a create its guard refuses, a skip)
    assert {p.flow: (p.counts["create"], p.counts["update"], p.counts["skip"]) for p in report.parts} == {
        LEAD_COMPANIES: (5, 0, 5),
        LEAD_CONTACTS: (2, 0, 8),
        CONVERTED: (3, 0, 7),
        WRITE_BACK: (0, 0, 67),
    }
    assert all(store.watermark(f) is None for f in LEAD_FLOWS)
    assert store.pairs(("salesforce", "Lead"), ("connectwise", "contact")) == []


@pytest.mark.parametrize(
    ("order", "writes"),
    [
        # one pass carries everything: the converted leads' accounts find their companies by name
        ("leads first", [12, 124, 0, 0]),
        # the second pass brings the lead companies into Salesforce (2 prospects created, Sterling's
        # account linked by name: its create had failed on the unmapped owner); the third fills
        # Sterling's market from the account, which Salesforce owns
        ("accounts first", [113, 10, 8, 0, 1, 0, 0, 0]),
    ],
)
def test_with_accounts_and_contacts_in_either_order_nothing_exists_twice(
    world: World, order: str, writes: list[int]
) -> None:
    store = MemoryStateStore()
    steps = [sync_leads, sync_accounts] if order == "leads first" else [sync_accounts, sync_leads]
    done = []
    for _ in range(len(writes) // 2):
        for step in steps:
            done.append(step(world, store).writes)
            world.clock.advance(600)
    assert done == writes
    assert no_duplicates(world) == {
        "cw.companies": [],
        "cw.contacts": [],
        "sf.accounts": [],
        "sf.contacts": [],
    }
    with world.clients() as c:
        names = {x.name for x in companies(c)}
        accounts = {r["Name"] for r in sf_rows(c, "Account")}
    assert len(names) == 34 + 5  # the 2 prospects' companies and the 3 converted leads' companies
    assert {"Clayton Foods Prospect 3", "seaside storage", "Sterling Family Medicine Ltd"} <= names
    assert len(accounts) == 27 + 11 + 2  # every CW company is an account (the ambiguous pair: 2 for 1)


def test_the_async_twins_end_in_the_same_state_as_the_sync_run() -> None:
    sync_world, async_world = seed_world("small", seed=0), seed_world("small", seed=0)
    sync_store, async_store = MemoryStateStore(), MemoryStateStore()
    sync_leads(sync_world, sync_store)

    async def every_flow() -> list[Any]:
        async with async_world.aclients() as c:
            flows = leads_to_connectwise.flows(
                sf=c.sf, cw=c.cw, config=async_world.config, now=async_world.clock.now
            )
            return [await arun(flow, state=async_store) for flow in flows]

    reports = asyncio.run(every_flow())
    assert [r.writes for r in reports] == [5, 2, 3, 2]
    assert snapshot(async_world) == snapshot(sync_world)
    assert state_tables(async_world, async_store) == state_tables(sync_world, sync_store)


def test_the_recipe_is_registered_and_refuses_async_clients() -> None:
    world = seed_world(4, seed=2)
    entry = RECIPES["leads_to_connectwise"]
    assert (entry.run, entry.systems) == (leads_to_connectwise, ("salesforce", "connectwise"))

    async def call() -> None:
        async with world.aclients() as c:
            with pytest.raises(TypeError, match="arun"):
                leads_to_connectwise(sf=c.sf, cw=c.cw, state=MemoryStateStore(), config=world.config)
            flows = leads_to_connectwise.flows(sf=c.sf, cw=c.cw, config=world.config)
            assert [f.name for f in flows] == list(LEAD_FLOWS)

    asyncio.run(call())
