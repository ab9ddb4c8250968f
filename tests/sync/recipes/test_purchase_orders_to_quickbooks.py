"""``recipes.purchase_orders_to_quickbooks`` end to end against a seeded world with procurement.

The small world of seed 1 with ``procurement=True`` holds 16 purchase orders to four vendors: 6
``Received`` and 4 ``Closed`` (billed by default), 2 ``Open``, 2 ``Ordered`` and 2 ``Cancelled`` (not).
Their vendors are Ingram Micro (``INGRAM MICRO`` in QuickBooks already), TD SYNNEX (``TD Synnex``, same
e-mail in capitals), Dell (not in QuickBooks) and Pax8 (no order in scope). The four ``Closed`` orders
from TD SYNNEX were drop-shipped to clients that QuickBooks only knows once ``companies_and_customers``
has linked them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from msplink.errors import ConfigurationError
from msplink.sandbox import World, seed_world
from msplink.sync import MemoryStateStore, SQLiteStateStore, StateStore, arun, plan
from msplink.sync.recipes import RECIPES, purchase_orders_to_quickbooks
from msplink.sync.recipes._purchase_orders import BILL_FLOW, VENDOR_FLOW
from tests.sync.recipes._fin2 import counts, kill, methods, run_recipe
from tests.sync.recipes._latency import LATENCY, both, snapshot

NAME = "purchase_orders_to_quickbooks"


@pytest.fixture
def world() -> World:
    return seed_world("small", seed=1, procurement=True)


def sync(world: World, state: StateStore, **options: Any) -> Any:
    return run_recipe(NAME, world, state, **options)


def bills(world: World) -> dict[str, dict[str, Any]]:
    """QBO bills by the purchase order their note names."""
    return {b["PrivateNote"]: b for b in world.qbo.entities("Bill")}


def lines(bill: dict[str, Any]) -> list[tuple[str, str, str, str | None]]:
    """``(kind, amount, item or account, customer)`` of each line."""
    out = []
    for line in bill["Line"]:
        if line["DetailType"] == "ItemBasedExpenseLineDetail":
            detail = line["ItemBasedExpenseLineDetail"]
            ref = f"item {detail['ItemRef']['value']} x {detail['Qty']} @ {detail['UnitPrice']}"
        else:
            detail = line["AccountBasedExpenseLineDetail"]
            ref = f"account {detail['AccountRef']['value']}"
        out.append(
            (line["DetailType"][:4], str(line["Amount"]), ref, (detail.get("CustomerRef") or {}).get("value"))
        )
    return out


def test_registered_with_its_systems() -> None:
    assert RECIPES[NAME].run is purchase_orders_to_quickbooks
    assert RECIPES[NAME].systems == ("connectwise", "quickbooks")


def test_a_dry_run_writes_nothing_and_its_plan_lists_what_would_be_written(world: World) -> None:
    state = MemoryStateStore()
    with world.clients() as c:
        vendors, orders = purchase_orders_to_quickbooks.flows(
            cw=c.cw, qbo=c.qbo, state=state, config=world.config
        )
        world.qbo.clear_log()
        vendor_plan, bill_plan = plan(vendors, state=state), plan(orders, state=state)
    assert vendor_plan.counts["create"] == 1 and vendor_plan.counts["link"] == 2
    assert [i.source.id for i in vendor_plan.where("create")] == ["38"]  # Dell Technologies
    assert bill_plan.counts == {"create": 10, "update": 0, "link": 0, "skip": 6, "conflict": 0, "delete": 0}
    assert {i.reason for i in bill_plan.where("skip")} == {"filtered"}
    report = sync(world, state, dry_run=True)
    assert report.writes == 0 and world.qbo.entities("Bill") == []
    assert sorted(v["DisplayName"] for v in world.qbo.entities("Vendor")) == ["INGRAM MICRO", "TD Synnex"]
    assert (
        set(methods(world, "quickbooks")) <= {"GET", "POST"}
        and state.pairs(("connectwise", "company"), ("quickbooks", "Vendor")) == []
    )


def test_the_first_run_bills_each_received_order_once_and_waits_for_unlinked_clients(world: World) -> None:
    state = MemoryStateStore()
    world.qbo.clear_log()
    report = sync(world, state)
    assert counts(report) == {
        VENDOR_FLOW: {"created": 1, "linked": 2},
        BILL_FLOW: {"created": 6, "skipped": 6, "failed": 4},
    }
    assert (
        report.writes == 7 and methods(world, "quickbooks")["POST"] == 4
    )  # vendors, their look-up, bills ...
    vendors = {v["DisplayName"]: v["Id"] for v in world.qbo.entities("Vendor")}
    assert set(vendors) == {"INGRAM MICRO", "TD Synnex", "Dell Technologies"}  # linked, never renamed
    letters = state.dead_letters()
    assert sorted(d.source.id for d in letters) == ["10", "14", "2", "6"]
    assert all(
        "lines[0].customer" in d.message and "no quickbooks Customer ref" in d.message for d in letters
    )
    # once the clients are linked to their QBO customers, a retry bills the four drop-shipped orders
    run_recipe("companies_and_customers", world, state)
    retried = sync(world, state, retry_dead_letters=True)
    assert counts(retried)[BILL_FLOW] == {"created": 4}
    assert [d for d in state.dead_letters() if d.flow == BILL_FLOW] == []
    billed = bills(world)
    assert len(billed) == 10 and len({b["Id"] for b in billed.values()}) == 10
    drop = billed["PO PO-001-0010"]
    assert {customer for *_, customer in lines(drop)[:3]} == {
        state.links(_company(world, "Heritage Realty Corp."))[-1].id
    }


def _company(world: World, name: str) -> Any:
    from msplink.models import ExternalRef

    company = next(c for c in world.cw.records("companies") if c["name"] == name)
    return ExternalRef("connectwise", "company", str(company["id"]))


def test_the_worked_purchase_order_yields_one_bill_with_the_right_lines(world: World) -> None:
    sync(world, MemoryStateStore())
    bill = bills(world)["PO PO-001-0001"]
    config = world.config
    assert bill["VendorRef"]["name"] == "INGRAM MICRO" and bill["DocNumber"] == "INGR-70000"
    assert bill["TxnDate"] == "2026-01-22" and bill["TotalAmt"] == Decimal("4995.00")
    assert lines(bill) == [
        ("Item", "1960.00", f"item {config.catalog_items.find('LAPTOP-STD')} x 2 @ 980.00", None),
        ("Item", "2275.00", f"item {config.catalog_items.find('SWITCH-24')} x 5 @ 455.00", None),
        ("Acco", "720.00", f"account {config.default_expense_account}", None),  # DOCK-USBC: no QBO item
        ("Acco", "40.00", f"account {config.expense_accounts.find('freight')}", None),  # freight
    ]


def test_a_second_run_writes_nothing_and_reads_only_the_change_window(world: World) -> None:
    state = MemoryStateStore()
    sync(world, state)
    world.clock.advance(3600)
    world.cw.clear_log()
    world.qbo.clear_log()
    report = sync(world, state)
    assert report.writes == 0 and counts(report) == {VENDOR_FLOW: {}, BILL_FLOW: {}}
    assert methods(world, "connectwise") == {"GET": 2} and methods(world, "quickbooks") == {}


def test_an_order_edited_after_billing_is_reported_not_billed_again(world: World) -> None:
    state = MemoryStateStore()
    sync(world, state)
    world.clock.advance(3600)
    with world.clients() as c:
        c.cw.request(
            "PATCH",
            "/procurement/purchaseorders/1",
            json=[{"op": "replace", "path": "internalNotes", "value": "late"}],
        )
        line = c.cw.purchase_orders.line_items(1).list().to_list()[0]
        c.cw.request(
            "PATCH",
            f"/procurement/purchaseorders/1/lineitems/{line.id}",
            json=[{"op": "replace", "path": "quantity", "value": 3}],
        )
    world.clock.advance(60)
    report = sync(world, state)
    assert counts(report)[BILL_FLOW] == {"skipped": 1}
    [outcome] = [o for o in report.parts[1].outcomes if o.source.id == "1"]
    assert outcome.reason == "guard" and len(world.qbo.entities("Bill")) == 6


def test_a_bill_entered_before_is_found_by_its_note_not_created_again(world: World) -> None:
    with world.clients() as c:
        ingram = next(v for v in world.qbo.entities("Vendor") if v["DisplayName"] == "INGRAM MICRO")
        c.qbo.bills.create(
            {
                "VendorRef": {"value": ingram["Id"]},
                "PrivateNote": "PO PO-001-0009",
                "Line": [
                    {
                        "DetailType": "AccountBasedExpenseLineDetail",
                        "Amount": "333.60",
                        "AccountBasedExpenseLineDetail": {
                            "AccountRef": {"value": world.config.default_expense_account}
                        },
                    }
                ],
            }
        )
    report = sync(world, MemoryStateStore())
    assert counts(report)[BILL_FLOW] == {"created": 5, "linked": 1, "skipped": 6, "failed": 4}
    assert len(world.qbo.entities("Bill")) == 6


def test_bill_lines_on_expense_accounts_only(world: World) -> None:
    sync(world, MemoryStateStore(), bill_lines="accounts", expense_account="hardware")
    bill = bills(world)["PO PO-001-0001"]
    hardware = world.config.expense_accounts.find("hardware")
    assert [(kind, amount, ref) for kind, amount, ref, _ in lines(bill)] == [
        ("Acco", "1960.00", f"account {hardware}"),
        ("Acco", "2275.00", f"account {hardware}"),
        ("Acco", "720.00", f"account {hardware}"),
        ("Acco", "40.00", f"account {world.config.expense_accounts.find('freight')}"),
    ]
    with world.clients() as c, pytest.raises(ConfigurationError, match="bill_lines"):
        purchase_orders_to_quickbooks.flows(
            cw=c.cw,
            qbo=c.qbo,
            state=MemoryStateStore(),
            config=world.config,
            bill_lines="lines",  # type: ignore[arg-type]
        )


def test_async_clients_run_the_same_flows(world: World) -> None:
    state = MemoryStateStore()

    async def main() -> list[dict[str, int]]:
        async with world.aclients() as c:
            flows = purchase_orders_to_quickbooks.flows(cw=c.cw, qbo=c.qbo, state=state, config=world.config)
            return [
                {k: v for k, v in (await arun(f, state=state)).outcome_counts.items() if v} for f in flows
            ]

    assert asyncio.run(main()) == [{"created": 1, "linked": 2}, {"created": 6, "skipped": 6, "failed": 4}]


# ------------------------------------------------------------------------------------ SIGKILL

uvicorn = pytest.importorskip("uvicorn")
POINTS = [
    pytest.param("qbo.write:after", 2, id="a /batch of bills applied, its answer lost"),
    pytest.param("qbo.write:after", 1, id="the vendor created, its answer lost", marks=pytest.mark.slow),
    pytest.param("store.journal:after", 2, id="the bills journalled", marks=pytest.mark.slow),
    pytest.param("cw.read", 2, id="before the orders are read", marks=pytest.mark.slow),
]


def _outcome(world: World, state: StateStore) -> dict[str, Any]:
    return {
        "bills": sorted((n, str(b["TotalAmt"]), b["VendorRef"]["name"]) for n, b in bills(world).items()),
        "vendors": sorted(v["DisplayName"] for v in world.qbo.entities("Vendor")),
        "letters": sorted((d.flow, d.source.id) for d in state.dead_letters()),
        "links": len(state.pairs(("connectwise", "purchase_order"), ("quickbooks", "Bill"))),
    }


@pytest.fixture(scope="module")
def uninterrupted() -> dict[str, Any]:
    world = seed_world("small", seed=1, procurement=True)
    state = MemoryStateStore()
    sync(world, state)
    return _outcome(world, state)


@pytest.fixture
def served() -> Iterator[tuple[World, tuple[str, str]]]:
    from tests.sync.test_recipe_sigkill import Served

    world = seed_world("small", seed=1, procurement=True)
    cw, qb = Served(world.cw), Served(world.qbo)
    try:
        yield world, (cw.url, qb.url)
    finally:
        cw.stop()
        qb.stop()


@pytest.mark.parametrize(("point", "nth"), POINTS)
def test_sigkill_then_a_rerun_ends_as_an_uninterrupted_run(
    served: tuple[World, tuple[str, str]], uninterrupted: dict[str, Any], tmp_path: Path, point: str, nth: int
) -> None:
    world, urls = served
    kill(world, NAME, urls, tmp_path, point, nth)
    with SQLiteStateStore(tmp_path / "state.db") as state:
        sync(world, state)
        assert _outcome(world, state) == uninterrupted
        world.clock.advance(3600)
        assert sync(world, state).writes == 0


def test_companies_and_customers_leaves_the_vendors_to_this_recipe(world: World) -> None:
    """Run first (as the demo does), companies_and_customers skips the four ConnectWise companies of
    type ``Vendor`` (reason ``filtered``): Dell becomes a QBO vendor here, not a customer there that
    QuickBooks would then refuse a vendor of the same name for (6240)."""
    state = MemoryStateStore()
    vendor_ids = sorted(
        str(c["id"]) for c in world.cw.records("companies") if c["types"][0]["name"] == "Vendor"
    )
    assert len(vendor_ids) == 4
    customers = run_recipe("companies_and_customers", world, state)
    forward = customers.parts[0]
    assert sorted(o.source.id for o in forward.outcomes if o.reason == "filtered") == vendor_ids
    names = {c["DisplayName"] for c in world.qbo.entities("Customer")}
    assert not names & {"Ingram Micro Inc.", "TD SYNNEX Corp.", "Pax8 LLC", "Dell Technologies"}

    report = sync(world, state)
    assert counts(report)[VENDOR_FLOW] == {"created": 1, "linked": 2}
    assert counts(report)[BILL_FLOW] == {"created": 10, "skipped": 6}  # drop-shipped ones too: linked
    assert [d for d in state.dead_letters() if d.flow in (VENDOR_FLOW, BILL_FLOW)] == []


def test_with_no_vendor_types_the_customer_sync_takes_the_vendor_name_first(world: World) -> None:
    """What the filter prevents: Dell made a QBO customer, so QuickBooks refuses the vendor (6240)."""
    state = MemoryStateStore()
    run_recipe("companies_and_customers", world, state, vendor_types=())
    assert "Dell Technologies" in {c["DisplayName"] for c in world.qbo.entities("Customer")}
    sync(world, state)
    [refused] = [d for d in state.dead_letters() if d.flow == VENDOR_FLOW]
    assert refused.error_type == "DuplicateNameError" and "6240" in refused.message


def test_accounts_and_contacts_leaves_the_vendors_out_of_salesforce(world: World) -> None:
    """The MSP's suppliers are not accounts: the four vendors stay out of Salesforce (reason
    ``filtered``), where with ``vendor_types=()`` each would be a dead letter (no Account.Type for
    ConnectWise's ``Vendor``) waiting for a person."""
    vendor_ids = sorted(
        str(c["id"]) for c in world.cw.records("companies") if c["types"][0]["name"] == "Vendor"
    )
    recipe = RECIPES["accounts_and_contacts"]
    state = MemoryStateStore()
    with world.clients() as c:
        report = recipe.sync(cw=c.cw, sf=c.sf, state=state, config=world.config, now=world.clock.now)
    [to_accounts] = [p for p in report.parts if p.flow == "cw-companies-to-sf-accounts"]
    assert sorted(o.source.id for o in to_accounts.outcomes if o.reason == "filtered") == vendor_ids
    names = {a["Name"] for a in world.sf.records("Account")}
    assert not names & {"Ingram Micro Inc.", "TD SYNNEX Corp.", "Pax8 LLC", "Dell Technologies"}
    assert not [d for d in state.dead_letters() if d.source.id in vendor_ids]

    state = MemoryStateStore()
    with world.clients() as c:
        recipe.sync(cw=c.cw, sf=c.sf, state=state, config=world.config, now=world.clock.now, vendor_types=())
    letters = [d for d in state.dead_letters() if d.flow == "cw-companies-to-sf-accounts"]
    assert sorted(d.source.id for d in letters) == vendor_ids
    assert all(d.error_type == "MappingError" and "'Vendor'" in d.message for d in letters)


# ------------------------------------------------------------------------------------ latency


def test_under_latency_async_reads_the_line_items_concurrently_with_the_same_calls_and_result() -> None:
    (sync_run, sync_world), (async_run, async_world) = both(
        NAME, lambda: seed_world("small", seed=1, procurement=True)
    )
    # after companies_and_customers every client is linked: all ten orders in scope are billed
    # one GET .../lineitems per order in scope (10), the same calls in both runs
    line_reads = {k: n for k, n in sync_run.requests["connectwise"].items() if k[1].endswith("/lineitems")}
    assert sum(line_reads.values()) == 10 and set(line_reads.values()) == {1}
    assert async_run.requests == sync_run.requests
    assert (
        async_run.outcomes
        == sync_run.outcomes
        == [{"created": 1, "linked": 2}, {"created": 10, "skipped": 6}]
    )
    assert snapshot(async_world, ("Bill", "Vendor")) == snapshot(sync_world, ("Bill", "Vendor"))
    # the ten line-item reads go at most 8 at a time (``Many``): two rounds instead of ten
    assert sync_run.peak == {"connectwise": 1, "quickbooks": 1}
    assert async_run.peak["connectwise"] == 8
    assert sync_run.wall - async_run.wall == pytest.approx(8 * LATENCY)
