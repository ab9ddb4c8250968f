"""``recipes.invoices_to_salesforce`` end to end against a seeded world (ConnectWise + Salesforce sandboxes).

The small world of seed 1 (today 2026-03-03) holds 34 CW companies, 27 SF accounts and 97 CW invoices;
22 companies link to their account (by ``CW_Company_Id__c``, name or domain), 11 have no account, and
one ("Stonebridge Auto Repair") has two accounts of the same normalised name (an ambiguous pair: a
conflict, not a link). The 61 invoices of linked companies become invoice records; 16 of them are
past due with a balance and get a follow-up Task each; the rest (36 invoices) are skipped as
``filtered``: their company has no Salesforce account.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from msplink.connectwise import models as cw
from msplink.models import ExternalRef
from msplink.sandbox import World, seed_world
from msplink.sync import MemoryStateStore, SQLiteStateStore, StateStore, arun
from msplink.sync.recipes import RECIPES, invoices_to_salesforce
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
INVOICES = "cw-invoices-to-sf-invoices"
TASKS = "cw-invoices-to-sf-tasks"
FLOWS = (LINKS, INVOICES, TASKS)


@pytest.fixture
def world() -> World:
    """The small world of seed 1."""
    return seed_world("small", seed=1)


def _linked_companies(state: StateStore) -> set[str]:
    return {cw_id for cw_id, _ in state.pairs(("connectwise", "company"), ("salesforce", "Account"))}


def _task(world: World, number: str) -> list[dict[str, Any]]:
    return [t for t in sf_rows(world, "Task") if t["Subject"] == f"Overdue invoice {number}"]


def test_a_dry_run_plans_what_the_first_run_writes_and_a_rerun_writes_nothing(
    world: World, store: StateStore
) -> None:
    before = snapshot(world)
    dry = sync(invoices_to_salesforce, world, store, dry_run=True)
    assert dry.dry_run and dry.writes == 0
    assert {p.flow: p.counts["create"] for p in dry.parts} == {LINKS: 0, INVOICES: 61, TASKS: 16}
    assert snapshot(world) == before
    assert [store.watermark(f) for f in FLOWS] == [None, None, None]

    world.sf.clear_log()
    first = sync(invoices_to_salesforce, world, store)
    assert first.writes == 61 + 16 == sum(p.counts["create"] for p in dry.parts)
    assert flow_counts(first) == {
        LINKS: {"linked": 22, "skipped": 11, "conflict": 1},
        INVOICES: {"created": 61, "skipped": 36},
        TASKS: {"created": 16, "skipped": 81},
    }
    # Salesforce (issue 18): the accounts read once (the link flow's index load; the tasks' owners
    # come from those rows, no retrieve), one describe (CurrencyIsoCode: this org has one currency,
    # which tells it for Invoice__c too), one look-up of the invoices by CW_Invoice_Id__c, one upsert
    # for the 61 records and one create for the 16 tasks
    assert request_counts(world, "salesforce") == {
        "GET describe": 1, "GET query": 2, "PATCH CW_Invoice_Id__c": 1, "POST sobjects": 1,
    }  # fmt: skip

    # every invoice of a linked company is there once, as ConnectWise holds it
    linked = _linked_companies(store)
    invoices = {str(i["id"]): i for i in cw_rows(world, "invoices")}
    expected = {n for n, i in invoices.items() if str(i["company"]["id"]) in linked}
    records = {r["CW_Invoice_Id__c"]: r for r in sf_rows(world, "Invoice__c")}
    assert set(records) == expected and len(records) == 61
    for number, record in records.items():
        source = invoices[number]
        assert record["Name"] == source["invoiceNumber"]
        assert (record["Amount__c"], record["Balance__c"]) == (source["total"], source["balance"])
        assert record["Due_Date__c"].isoformat() == source["dueDate"][:10]
        paid = source["balance"] == 0
        assert record["Status__c"] == ("Paid" if paid else "PartiallyPaid" if source["payments"] else "Open")

    # one task per overdue invoice of a linked company, owned by the account's owner
    today = world.today.isoformat()
    overdue = {n for n in expected if invoices[n]["balance"] > 0 and invoices[n]["dueDate"][:10] < today}
    tasks = sf_rows(world, "Task")
    assert sorted(t["Subject"] for t in tasks) == sorted(
        f"Overdue invoice {invoices[n]['invoiceNumber']}" for n in overdue
    )
    owners = {a["Id"]: a["OwnerId"] for a in sf_rows(world, "Account")}
    assert all(t["OwnerId"] == owners[t["WhatId"]] for t in tasks)

    world.clock.advance(3600)
    world.cw.clear_log()
    world.sf.clear_log()
    again = sync(invoices_to_salesforce, world, store)
    assert again.writes == 0
    assert requests_by_system(world) == {"connectwise": 4, "salesforce": 0}
    # the change page (read once for both flows, run in turn), the sweep of open invoices, and the
    # ones that fell due since the last run fetched by id
    assert request_counts(world, "connectwise") == {"GET companies": 1, "GET invoices": 3}


def test_an_overdue_invoice_yields_one_task_and_paying_it_completes_that_task(world: World) -> None:
    facts = world.facts()
    assert facts.overdue_invoice == 9
    store = MemoryStateStore()
    sync(invoices_to_salesforce, world, store)
    # by hand: INV-000009 (Copper Insurance LLC) is an agreement invoice of 1,343.26 USD dated
    # 2026-01-31, due 2026-03-02 on Net 30 days, unpaid: one day past due on 2026-03-03
    [task] = _task(world, "INV-000009")
    [account] = [a for a in sf_rows(world, "Account") if a["Id"] == task["WhatId"]]
    assert account["Name"] == "Copper Insurance"
    assert task["OwnerId"] == account["OwnerId"] == "005SB0000000003YAA"
    assert task["Description"] == "Invoice INV-000009: 1343.26 USD open, 1 days past due (2026-03-02)."
    assert (task["Status"], task["Priority"], task["ActivityDate"]) == ("Not Started", "High", world.today)
    for _ in range(2):  # not one per run
        world.clock.advance(3600)
        assert sync(invoices_to_salesforce, world, store).writes == 0
    assert len(_task(world, "INV-000009")) == 1

    world.clock.advance(3600)
    with world.clients() as c:
        payment = cw.InvoicePayment(
            amount=Decimal("1343.26"), payment_date=dt.datetime(2026, 3, 3, 12, tzinfo=dt.timezone.utc)
        )
        c.cw.invoices.payments(9).create(payment)
    world.clock.advance(60)
    paid = sync(invoices_to_salesforce, world, store)
    assert flow_counts(paid) == {LINKS: {}, INVOICES: {"updated": 1}, TASKS: {"updated": 1}}
    [task] = _task(world, "INV-000009")
    assert (task["Status"], task["IsClosed"]) == ("Completed", True)
    [record] = [r for r in sf_rows(world, "Invoice__c") if r["Name"] == "INV-000009"]
    assert (record["Balance__c"], record["Status__c"]) == (Decimal("0.00"), "Paid")
    world.clock.advance(3600)
    assert sync(invoices_to_salesforce, world, store).writes == 0


def test_an_invoice_falling_due_gets_its_task_that_day_without_changing(world: World) -> None:
    store = MemoryStateStore()
    sync(invoices_to_salesforce, world, store)
    linked = _linked_companies(store)
    today = world.today
    due = sorted(
        (i["dueDate"][:10], i["invoiceNumber"])
        for i in cw_rows(world, "invoices")
        if i["balance"] > 0 and str(i["company"]["id"]) in linked and i["dueDate"][:10] >= today.isoformat()
    )
    first_day, number = due[0]
    falling = {n for d, n in due if d == first_day}
    assert number == "INV-000045" and first_day == "2026-03-03" and len(falling) == 1  # due today
    assert _task(world, number) == []
    days = (dt.date.fromisoformat(first_day) - today).days + 1
    world.clock.advance(days * 86400)  # the invoice itself does not change
    report = sync(invoices_to_salesforce, world, store)
    assert flow_counts(report)[TASKS] == {"created": 1}
    assert len(_task(world, number)) == 1
    world.clock.advance(3600)
    assert sync(invoices_to_salesforce, world, store).writes == 0


def test_a_task_people_completed_or_edited_is_left_as_they_left_it(world: World) -> None:
    store = MemoryStateStore()
    sync(invoices_to_salesforce, world, store)
    [task] = _task(world, "INV-000009")
    with world.clients() as c:  # a person takes the task on, and renames it
        c.sf.tasks.update(task["Id"], {"Status": "In Progress", "Subject": "Call Copper about INV-000009"})
        c.cw.invoices.payments(9).create(  # and the customer pays half
            cw.InvoicePayment(
                amount=Decimal("600.00"), payment_date=dt.datetime(2026, 3, 3, tzinfo=dt.timezone.utc)
            )
        )
    world.clock.advance(60)
    report = sync(invoices_to_salesforce, world, store)
    assert flow_counts(report)[INVOICES] == {"updated": 1} and flow_counts(report)[TASKS] == {"skipped": 1}
    [mine] = [t for t in sf_rows(world, "Task") if t["Id"] == task["Id"]]
    assert (mine["Status"], mine["Subject"]) == ("In Progress", "Call Copper about INV-000009")


def test_the_async_twins_end_in_the_same_state_as_the_sync_run() -> None:
    sync_world, async_world = seed_world("small", seed=1), seed_world("small", seed=1)
    sync_store, async_store = MemoryStateStore(), MemoryStateStore()
    sync(invoices_to_salesforce, sync_world, sync_store)

    async def flows() -> list[Any]:
        async with async_world.aclients() as c:
            built = invoices_to_salesforce.flows(
                cw=c.cw, sf=c.sf, state=async_store, config=async_world.config, now=async_world.clock.now,
                cw_integration_user="api_sync",
            )  # fmt: skip
            return [await arun(flow, state=async_store) for flow in built]

    reports = asyncio.run(flows())
    assert sum(r.writes for r in reports) == 77
    assert snapshot(async_world) == snapshot(sync_world)
    assert state_tables(async_world, async_store, FLOWS) == state_tables(sync_world, sync_store, FLOWS)


def test_the_recipe_is_registered_and_refuses_async_clients() -> None:
    entry = RECIPES["invoices_to_salesforce"]
    assert entry.run is invoices_to_salesforce and entry.systems == ("connectwise", "salesforce")
    world = seed_world(4, seed=2)

    async def call() -> None:
        async with world.aclients() as c:
            with pytest.raises(TypeError, match="arun"):
                invoices_to_salesforce(cw=c.cw, sf=c.sf, state=MemoryStateStore(), config=world.config)

    asyncio.run(call())


def _outcome(world: World, store: StateStore) -> dict[str, Any]:
    return {"snapshot": snapshot(world), "state": state_tables(world, store, FLOWS)}


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    world = seed_world("small", seed=1)
    with SQLiteStateStore(tmp_path_factory.mktemp("baseline") / "state.db") as store:
        sync(invoices_to_salesforce, world, store)
        return _outcome(world, store)


KILLS = [
    pytest.param("sf.write:after", 1, id="invoice-upsert-applied-answer-lost"),
    pytest.param("sf.write:after", 2, id="task-create-applied-answer-lost", marks=pytest.mark.slow),
    pytest.param("store.journal:after", 2, id="invoice-intents-journalled", marks=pytest.mark.slow),
    pytest.param("cw.read", 2, id="reading-invoices", marks=pytest.mark.slow),
    pytest.param("store.commit:before", 3, id="invoices-written-not-committed", marks=pytest.mark.slow),
]


@pytest.mark.parametrize(("point", "nth"), KILLS)
def test_sigkill_then_a_rerun_ends_as_an_uninterrupted_run(
    uninterrupted: dict[str, Any], tmp_path: Path, point: str, nth: int
) -> None:
    pytest.importorskip("uvicorn")
    world = seed_world("small", seed=1)
    with served(world) as servers:
        kill(world, servers, tmp_path, "invoices_to_salesforce", point, nth)
    with SQLiteStateStore(tmp_path / "state.db") as store:
        sync(invoices_to_salesforce, world, store)  # settles what the killed run journalled, then finishes
        assert _outcome(world, store) == uninterrupted
        assert len(sf_rows(world, "Invoice__c")) == 61 and len(sf_rows(world, "Task")) == 16
        world.clock.advance(3600)
        assert sync(invoices_to_salesforce, world, store).writes == 0
        assert store.links(ExternalRef("connectwise", "invoice", "9"))  # the worked example is linked
