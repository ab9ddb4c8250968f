"""``recipes.renewals_to_salesforce`` end to end against a seeded world (ConnectWise + Salesforce sandboxes).

The small world of seed 1 (today 2026-03-03) holds 46 CW agreements; 5 active ones of companies linked
to a Salesforce account end within the default 90 days and get a renewal opportunity each (the others
are skipped as ``filtered``: no end date, ending later, cancelled or expired, or of a company with no
account). The world's config maps the SF stages Prospecting / Closed Won / Closed Lost to the CW stages
Prospect / Won / Lost.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from msplink.connectwise import models as cw
from msplink.sandbox import World, seed_world
from msplink.sync import MemoryStateStore, SQLiteStateStore, arun
from msplink.sync.recipes import RECIPES, renewals_to_salesforce
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
RENEWALS = "cw-agreements-to-sf-renewals"
FLOWS = (LINKS, RENEWALS)


@pytest.fixture
def world() -> World:
    """The small world of seed 1."""
    return seed_world("small", seed=1)


def _renewals(world: World) -> dict[str, dict[str, Any]]:
    return {o["CW_Renewal_Term__c"]: o for o in sf_rows(world, "Opportunity") if o.get("CW_Renewal_Term__c")}


def _edit(world: World, agreement_id: int, **values: Any) -> None:
    world.clock.advance(60)
    with world.clients() as c:
        c.cw.agreements.update(agreement_id, cw.AgreementUpdate(**values))
    world.clock.advance(60)


def test_a_dry_run_plans_what_the_first_run_writes_and_a_rerun_writes_nothing(world: World) -> None:
    store = MemoryStateStore()  # both stores: see test_invoices_to_salesforce
    before = snapshot(world)
    dry = sync(renewals_to_salesforce, world, store, dry_run=True)
    assert dry.writes == 0 and snapshot(world) == before
    assert {k: v for k, v in dry.parts[1].counts.items() if v} == {"create": 5, "skip": 41}

    world.cw.clear_log()
    world.sf.clear_log()
    first = sync(renewals_to_salesforce, world, store)
    assert first.writes == 5
    assert flow_counts(first)[RENEWALS] == {"created": 5, "skipped": 41}
    # Salesforce (issue 18): the accounts read once (the owners of the new opportunities come from
    # those rows, no retrieve), one describe (CurrencyIsoCode), one look-up by CW_Renewal_Term__c,
    # one upsert; additions read for the 7 agreements ending in the window of linked companies (2 of
    # them cancelled or expired)
    assert request_counts(world, "salesforce") == {
        "GET describe": 1, "GET query": 2, "PATCH CW_Renewal_Term__c": 1,
    }  # fmt: skip
    assert request_counts(world, "connectwise") == {
        "GET companies": 1,
        "GET agreements": 1,
        "GET additions": 7,
    }

    linked = dict(store.pairs(("connectwise", "company"), ("salesforce", "Account")))
    today = world.today
    expected = {
        f"{a['id']}@{a['endDate'][:10]}"
        for a in cw_rows(world, "agreements")
        if a["agreementStatus"] == "Active"
        and not a.get("noEndingDateFlag")
        and a.get("endDate")
        and 0 <= (dt.date.fromisoformat(a["endDate"][:10]) - today).days <= 90
        and str(a["company"]["id"]) in linked
    }
    renewals = _renewals(world)
    assert (
        set(renewals)
        == expected
        == {"4@2026-05-07", "17@2026-03-19", "18@2026-04-18", "19@2026-05-13", "35@2026-05-19"}
    )
    owners = {a["Id"]: a["OwnerId"] for a in sf_rows(world, "Account")}
    for term, opportunity in renewals.items():
        agreement_id, _, end = term.partition("@")
        assert (
            opportunity["AccountId"]
            == linked[
                str(
                    next(a for a in cw_rows(world, "agreements") if a["id"] == int(agreement_id))["company"][
                        "id"
                    ]
                )
            ]
        )
        assert opportunity["OwnerId"] == owners[opportunity["AccountId"]]
        assert (opportunity["CloseDate"].isoformat(), opportunity["StageName"], opportunity["Type"]) == (
            end,
            "Prospecting",
            "Renewal",
        )
        assert opportunity["CW_Agreement_Id__c"] == agreement_id

    world.clock.advance(3600)
    world.cw.clear_log()
    world.sf.clear_log()
    assert sync(renewals_to_salesforce, world, store).writes == 0
    assert requests_by_system(world) == {"connectwise": 2, "salesforce": 0}


def test_an_agreement_ending_in_30_days_yields_one_renewal_with_the_right_amount_and_owner(
    world: World,
) -> None:
    facts = world.facts()
    assert facts.agreement_ending_in_30_days == 17
    store = MemoryStateStore()
    sync(renewals_to_salesforce, world, store)
    # by hand: "Heritage Realty Corp. - Backup monthly" ends 2026-03-19 (16 days on); per month it bills
    # no fee of its own (billAmount 0) plus its additions 18 x 22.00 (M365-BP) and 21 x 39.99 (FW-SUB):
    # 1,235.79 a month, 14,829.48 a year; the Heritage Realty account belongs to user 005SB0000000003YAA
    [renewal] = [o for term, o in _renewals(world).items() if term.startswith("17@")]
    assert renewal["Name"] == "Renewal: Heritage Realty Corp. - Backup monthly (2026-03-19)"
    monthly = Decimal("0.00") + 18 * Decimal("22.00") + 21 * Decimal("39.99")
    assert monthly == Decimal("1235.79")
    assert renewal["Amount"] == 12 * monthly == Decimal("14829.48")
    [account] = [a for a in sf_rows(world, "Account") if a["Id"] == renewal["AccountId"]]
    assert (account["Name"], account["OwnerId"], renewal["OwnerId"]) == (
        "Heritage Realty, Corp.",
        "005SB0000000003YAA",
        "005SB0000000003YAA",
    )
    assert (renewal["CloseDate"], renewal["StageName"], renewal["CW_Renewal_Term__c"]) == (
        dt.date(2026, 3, 19),
        "Prospecting",
        "17@2026-03-19",
    )
    assert renewal["Description"] == (
        "Renews Heritage Realty Corp. - Backup monthly (Monthly, MRR 1235.79 USD), ending 2026-03-19."
    )
    for _ in range(2):
        world.clock.advance(3600)
        assert sync(renewals_to_salesforce, world, store).writes == 0
    assert len([t for t in _renewals(world) if t.startswith("17@")]) == 1


def test_a_value_change_updates_the_amount_and_a_renewal_closes_the_opportunity_as_won(world: World) -> None:
    store = MemoryStateStore()
    sync(renewals_to_salesforce, world, store)
    _edit(world, 17, bill_amount=Decimal("1335.79"))  # 100.00 a month more: 1,200.00 a year
    assert flow_counts(sync(renewals_to_salesforce, world, store))[RENEWALS] == {"updated": 1}
    assert _renewals(world)["17@2026-03-19"]["Amount"] == Decimal("30858.96")

    _edit(world, 17, end_date=dt.datetime(2027, 3, 19, tzinfo=dt.timezone.utc))  # renewed for a year
    report = sync(renewals_to_salesforce, world, store)
    assert flow_counts(report)[RENEWALS] == {"updated": 1, "skipped": 1}  # the new term ends in a year
    old = _renewals(world)["17@2026-03-19"]
    assert (old["StageName"], old["IsWon"], old["IsClosed"]) == ("Closed Won", True, True)
    assert [t for t in _renewals(world) if t.startswith("17@")] == ["17@2026-03-19"]
    world.clock.advance(3600)
    assert sync(renewals_to_salesforce, world, store).writes == 0


def test_a_cancelled_agreement_closes_its_renewal_as_lost(world: World) -> None:
    store = MemoryStateStore()
    sync(renewals_to_salesforce, world, store)
    _edit(world, 35, agreement_status="Cancelled", cancelled_flag=True)
    assert flow_counts(sync(renewals_to_salesforce, world, store))[RENEWALS] == {"updated": 1}
    lost = _renewals(world)["35@2026-05-19"]
    assert (lost["StageName"], lost["IsWon"], lost["IsClosed"]) == ("Closed Lost", False, True)


def test_what_sales_people_change_stays_theirs_and_an_amount_changed_on_both_sides_is_a_conflict(
    world: World,
) -> None:
    store = MemoryStateStore()
    sync(renewals_to_salesforce, world, store)
    renewal = _renewals(world)["19@2026-05-13"]
    with world.clients() as c:
        c.sf.opportunities.update(
            renewal["Id"], {"StageName": "Negotiation/Review", "Amount": Decimal("80000")}
        )
    _edit(world, 19, bill_amount=Decimal("6000.00"))
    report = sync(renewals_to_salesforce, world, store)
    assert flow_counts(report)[RENEWALS] == {"conflict": 1} and report.writes == 0
    [conflict] = store.conflicts(flow=RENEWALS)
    assert (conflict.flow, conflict.field, conflict.target_value.amount) == (
        RENEWALS,
        "amount",
        Decimal("80000"),
    )
    mine = _renewals(world)["19@2026-05-13"]
    assert (mine["StageName"], mine["Amount"]) == ("Negotiation/Review", Decimal("80000"))
    store.resolve_conflict(conflict.id or 0, take="source")
    world.clock.advance(60)
    assert flow_counts(sync(renewals_to_salesforce, world, store))[RENEWALS] == {"updated": 1}
    assert _renewals(world)["19@2026-05-13"]["StageName"] == "Negotiation/Review"  # the stage stays theirs


def test_the_async_twins_end_in_the_same_state_as_the_sync_run() -> None:
    sync_world, async_world = seed_world("small", seed=1), seed_world("small", seed=1)
    sync_store, async_store = MemoryStateStore(), MemoryStateStore()
    sync(renewals_to_salesforce, sync_world, sync_store)

    async def flows() -> list[Any]:
        async with async_world.aclients() as c:
            built = renewals_to_salesforce.flows(
                cw=c.cw, sf=c.sf, state=async_store, config=async_world.config, now=async_world.clock.now,
                cw_integration_user="api_sync",
            )  # fmt: skip
            return [await arun(flow, state=async_store) for flow in built]

    assert sum(r.writes for r in asyncio.run(flows())) == 5
    assert snapshot(async_world) == snapshot(sync_world)
    assert state_tables(async_world, async_store, FLOWS) == state_tables(sync_world, sync_store, FLOWS)
    assert RECIPES["renewals_to_salesforce"].run is renewals_to_salesforce


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    world = seed_world("small", seed=1)
    with SQLiteStateStore(tmp_path_factory.mktemp("baseline") / "state.db") as store:
        sync(renewals_to_salesforce, world, store)
        return {"snapshot": snapshot(world), "state": state_tables(world, store, FLOWS)}


KILLS = [
    pytest.param("sf.write:after", 1, id="renewal-upsert-applied-answer-lost"),
    pytest.param("cw.read", 4, id="reading-additions", marks=pytest.mark.slow),
    pytest.param("store.journal:after", 1, id="renewal-intents-journalled", marks=pytest.mark.slow),
    pytest.param("store.commit:before", 2, id="renewals-written-not-committed", marks=pytest.mark.slow),
]


@pytest.mark.parametrize(("point", "nth"), KILLS)
def test_sigkill_then_a_rerun_ends_as_an_uninterrupted_run(
    uninterrupted: dict[str, Any], tmp_path: Path, point: str, nth: int
) -> None:
    pytest.importorskip("uvicorn")
    world = seed_world("small", seed=1)
    with served(world) as servers:
        kill(world, servers, tmp_path, "renewals_to_salesforce", point, nth)
    with SQLiteStateStore(tmp_path / "state.db") as store:
        sync(renewals_to_salesforce, world, store)
        assert {"snapshot": snapshot(world), "state": state_tables(world, store, FLOWS)} == uninterrupted
        assert len(_renewals(world)) == 5
        world.clock.advance(3600)
        assert sync(renewals_to_salesforce, world, store).writes == 0
