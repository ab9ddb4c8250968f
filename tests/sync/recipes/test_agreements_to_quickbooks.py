"""``recipes.agreements_to_quickbooks`` and ``reports.mrr`` against a seeded world, and MRR by hand.

The small world of seed 1 (today 2026-03-03) holds 46 CW agreements: 25 monthly, 6 quarterly and 6
yearly ones active, 3 monthly ones cancelled and 6 one-time ones expired. Their companies are linked to
QBO customers by ``companies_and_customers`` first (it leaves two unlinked: the ambiguous pair, and a
company whose ``Net 45 days`` terms QuickBooks has no term for); two more agreements bill on ``Net 45
days`` themselves. So 33 templates are created, 4 agreements are dead letters naming what is missing,
and the 9 one-time and cancelled ones get no template.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from msplink.models import (
    CONNECTWISE,
    Agreement,
    AgreementAddition,
    AgreementStatus,
    BillingCycle,
    ExternalRef,
    Link,
    Money,
)
from msplink.sandbox import World, seed_world
from msplink.sandbox._worldtables import CATALOG_BY_SKU
from msplink.sync import (
    Action,
    LookupRequest,
    MemoryStateStore,
    SQLiteStateStore,
    StateStore,
    WriteOp,
    arun,
    plan,
    reports,
    run,
)
from msplink.sync._identity import name_key
from msplink.sync.recipes import RECIPES, agreements_to_quickbooks
from msplink.sync.recipes._agreements import AGREEMENT_FLOW, _SyncContracts, _SyncTemplates, read_agreements
from tests.sync.recipes._fin2 import counts, kill, methods, run_recipe
from tests.sync.recipes._latency import LATENCY, both

NAME = "agreements_to_quickbooks"
INTERVALS = {"Monthly": ("Monthly", 1), "Quarterly": ("Monthly", 3), "Yearly": ("Yearly", 1)}


@pytest.fixture
def world() -> World:
    return seed_world("small", seed=1)


@pytest.fixture
def linked(world: World) -> StateStore:
    """The state after ``companies_and_customers``: companies linked to QBO customers."""
    state = MemoryStateStore()
    run_recipe("companies_and_customers", world, state)
    world.cw.clear_log()
    world.qbo.clear_log()
    return state


def sync(world: World, state: StateStore, **options: Any) -> Any:
    return run_recipe(NAME, world, state, **options)


def templates(world: World) -> dict[str, dict[str, Any]]:
    """QBO recurring invoice templates by name."""
    return {
        t["Invoice"]["RecurringInfo"]["Name"]: t["Invoice"]
        for t in world.qbo.entities("RecurringTransaction")
    }


def test_registered_with_its_systems() -> None:
    assert RECIPES[NAME].run is agreements_to_quickbooks and RECIPES[NAME].systems == (
        "connectwise",
        "quickbooks",
    )


def test_a_dry_run_writes_nothing_and_its_plan_lists_what_would_be_written(
    world: World, linked: StateStore
) -> None:
    with world.clients() as c:
        (flow,) = agreements_to_quickbooks.flows(
            cw=c.cw, qbo=c.qbo, state=linked, config=world.config, today=world.today
        )
        planned = plan(flow, state=linked)
    assert planned.counts == {"create": 37, "update": 0, "link": 0, "skip": 9, "conflict": 0, "delete": 0}
    assert {i.reason for i in planned.where("skip")} == {"unmapped"}
    report = sync(world, linked, dry_run=True)
    assert report.writes == 0 and world.qbo.entities("RecurringTransaction") == []
    assert "POST" not in methods(world, "connectwise") and methods(world, "quickbooks") == {
        "POST": 2
    }  # 2 reads


def test_the_first_run_creates_a_template_per_active_agreement_with_its_schedule_and_lines(
    world: World, linked: StateStore
) -> None:
    report = sync(world, linked)
    assert counts(report) == {AGREEMENT_FLOW: {"created": 33, "skipped": 9, "failed": 4}}
    assert methods(world, "quickbooks") == {"POST": 34} and methods(world, "connectwise") == {"GET": 41}
    letters = {d.source.id: d.message for d in linked.dead_letters(AGREEMENT_FLOW)}
    assert set(letters) == {"2", "3", "4", "20"}
    assert sum("Net 45 days" in m for m in letters.values()) == 2
    assert sum("no quickbooks Customer ref" in m for m in letters.values()) == 2
    made = templates(world)
    additions: dict[int, list[dict[str, Any]]] = {}
    for addition in world.cw.records("additions"):
        additions.setdefault(addition["agreementId"], []).append(addition)
    for agreement in world.cw.records("agreements"):
        name = f"{agreement['name']} #{agreement['id']}"
        if name not in made:
            continue
        invoice = made[name]
        schedule = invoice["RecurringInfo"]["ScheduleInfo"]
        assert (schedule["IntervalType"], schedule["NumInterval"]) == INTERVALS[
            agreement["billingCycle"]["name"]
        ]
        assert invoice["RecurringInfo"]["Active"] is True and schedule["StartDate"] >= world.today.isoformat()
        sold = [(a["quantity"], a["unitPrice"]) for a in additions[agreement["id"]]]
        lines = [
            (line["SalesItemLineDetail"]["Qty"], line["SalesItemLineDetail"]["UnitPrice"])
            for line in invoice["Line"]
            if line["DetailType"] == "SalesItemLineDetail"
        ]
        assert lines == sold
        assert invoice["TotalAmt"] == sum((q * p for q, p in sold), Decimal(0)).quantize(Decimal("0.01"))


def test_a_quarterly_agreement_yields_a_three_month_schedule_with_its_additions_as_lines(
    world: World, linked: StateStore
) -> None:
    sync(world, linked)
    invoice = templates(world)["Aspen Coffee Ltd - Security quarterly #42"]
    schedule = invoice["RecurringInfo"]["ScheduleInfo"]
    # started 2023-10-17, billed every three months: the first bill on or after 2026-03-03 is 2026-04-17
    assert schedule == {
        "IntervalType": "Monthly",
        "NumInterval": 3,
        "DayOfMonth": 17,
        "StartDate": "2026-04-17",
    }
    items = world.config.catalog_items
    agreement_item = world.config.product_classes["Agreement"].item
    assert [
        (line["Description"], line["SalesItemLineDetail"]["ItemRef"]["value"], line["SalesItemLineDetail"]["Qty"],
         line["SalesItemLineDetail"]["UnitPrice"], line["Amount"])
        for line in invoice["Line"]
        if line["DetailType"] == "SalesItemLineDetail"
    ] == [
        ("Firewall subscription", agreement_item, Decimal("27"), Decimal("119.97"), Decimal("3239.19")),  # no QBO item: its class's
        ("Microsoft 365 Business Premium", items.find("M365-BP"), Decimal("19"), Decimal("66.00"), Decimal("1254.00")),
    ]  # fmt: skip
    assert invoice["TotalAmt"] == Decimal("4493.19")
    assert invoice["CustomerRef"]["name"] == "Aspen Coffee Ltd"


def test_a_second_run_writes_nothing(world: World, linked: StateStore) -> None:
    sync(world, linked)
    world.clock.advance(3600)
    world.cw.clear_log()
    world.qbo.clear_log()
    report = sync(world, linked)
    assert report.writes == 0 and counts(report) == {AGREEMENT_FLOW: {}}
    # CW: the changes (the one-minute overlap reads the newest agreement again, and its additions before
    # it is dropped as processed), then the agreements that ended since; QBO: nothing
    assert methods(world, "connectwise") == {"GET": 3} and methods(world, "quickbooks") == {}


def test_cancelled_and_expired_agreements_deactivate_their_template(world: World, linked: StateStore) -> None:
    sync(world, linked)
    world.clock.advance(3600)
    with world.clients() as c:
        c.cw.request(
            "PATCH",
            "/finance/agreements/42",
            json=[{"op": "replace", "path": "cancelledFlag", "value": True}],
        )
    report = sync(world, linked)
    assert counts(report) == {AGREEMENT_FLOW: {"updated": 1}}
    aspen = templates(world)["Aspen Coffee Ltd - Security quarterly #42"]
    assert aspen["RecurringInfo"]["Active"] is False and aspen["SyncToken"] == "1"
    assert len(templates(world)) == 33  # deactivated, not deleted
    # an agreement ends on its end date without any change in ConnectWise: the day after, it is read again
    ending = world.facts().agreement_ending_in_30_days
    assert ending == 17
    end = date.fromisoformat(next(a for a in world.cw.records("agreements") if a["id"] == 17)["endDate"][:10])
    world.clock.advance(3600)
    report = sync(world, linked, today=end + timedelta(days=1))
    # two active agreements ended by then (the 12th and the 19th of March): both templates stop; the
    # cancelled agreement ending on the 12th never had one
    assert counts(report) == {AGREEMENT_FLOW: {"updated": 2, "skipped": 1}}
    assert {o.source.id for o in report.parts[0].outcomes if o.status == "updated"} == {"17", "31"}
    made = templates(world)
    assert made["Heritage Realty Corp. - Backup monthly #17"]["RecurringInfo"]["Active"] is False
    assert sum(not t["RecurringInfo"]["Active"] for t in made.values()) == 3


def test_a_changed_agreement_updates_its_template_lines(world: World, linked: StateStore) -> None:
    sync(world, linked)
    world.clock.advance(3600)
    with world.clients() as c:
        first = c.cw.agreements.additions(42).list().to_list()[0]
        c.cw.request(
            "PATCH",
            f"/finance/agreements/42/additions/{first.id}",
            json=[{"op": "replace", "path": "quantity", "value": 30}],
        )
        c.cw.request(
            "PATCH", "/finance/agreements/42", json=[{"op": "replace", "path": "customerPO", "value": "PO-7"}]
        )
    report = sync(world, linked)
    assert counts(report) == {AGREEMENT_FLOW: {"updated": 1}}
    aspen = templates(world)["Aspen Coffee Ltd - Security quarterly #42"]
    assert aspen["Line"][0]["SalesItemLineDetail"]["Qty"] == Decimal("30")
    assert aspen["TotalAmt"] == Decimal("30") * Decimal("119.97") + Decimal("1254.00")
    assert (
        aspen["RecurringInfo"]["ScheduleInfo"]["StartDate"] == "2026-04-17"
    )  # QuickBooks keeps its schedule


def test_async_clients_run_the_same_flow(world: World, linked: StateStore) -> None:
    async def main() -> dict[str, int]:
        async with world.aclients() as c:
            (flow,) = agreements_to_quickbooks.flows(
                cw=c.cw, qbo=c.qbo, state=linked, config=world.config, today=world.today
            )
            return {k: v for k, v in (await arun(flow, state=linked)).outcome_counts.items() if v}

    assert asyncio.run(main()) == {"created": 33, "skipped": 9, "failed": 4}


# ------------------------------------------------------------------------------------ SIGKILL

uvicorn = pytest.importorskip("uvicorn")
POINTS = [
    pytest.param("qbo.template:after", 5, id="a template created, its answer lost"),
    pytest.param("store.journal:after", 1, id="the first intent journalled", marks=pytest.mark.slow),
    pytest.param("store.commit:before", 1, id="templates written, not committed", marks=pytest.mark.slow),
]


def _outcome(world: World, state: StateStore) -> dict[str, Any]:
    return {
        "templates": sorted(
            (n, str(t["TotalAmt"]), t["RecurringInfo"]["Active"], t["CustomerRef"]["value"])
            for n, t in templates(world).items()
        ),
        "letters": sorted((d.flow, d.source.id) for d in state.dead_letters() if d.flow == AGREEMENT_FLOW),
        "links": len(state.pairs(("connectwise", "agreement"), ("quickbooks", "RecurringTransaction"))),
    }


@pytest.fixture(scope="module")
def uninterrupted() -> dict[str, Any]:
    world = seed_world("small", seed=1)
    state = MemoryStateStore()
    run_recipe("companies_and_customers", world, state)
    sync(world, state)
    return _outcome(world, state)


@pytest.fixture
def served() -> Iterator[tuple[World, tuple[str, str]]]:
    from tests.sync.test_recipe_sigkill import Served

    world = seed_world("small", seed=1)
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
    with SQLiteStateStore(tmp_path / "state.db") as state:
        run_recipe("companies_and_customers", world, state)
    kill(world, NAME, urls, tmp_path, point, nth)
    with SQLiteStateStore(tmp_path / "state.db") as state:
        sync(world, state)
        assert _outcome(world, state) == uninterrupted
        world.clock.advance(3600)
        assert sync(world, state).writes == 0


# ----------------------------------------------------------------------------------------- MRR


def _agreement(
    customer: str,
    kind: str,
    cycle: BillingCycle,
    lines: list[tuple[str, str]],
    *,
    currency: str = "USD",
    bill: str | None = None,
    end: date | None = None,
    status: AgreementStatus = AgreementStatus.ACTIVE,
) -> Agreement:
    return Agreement(
        name=f"{customer} {kind}",
        customer=Link.to(
            CONNECTWISE, "company", {"Acme": 1, "Beta": 2, "Gamma": 3}[customer], display=customer
        ),
        currency=currency,
        billing_cycle=cycle,
        agreement_type=kind,
        status=status,
        start_date=date(2025, 1, 1),
        end_date=end,
        no_end_date=end is None,
        bill_amount=Money(bill, currency) if bill else None,
        additions=tuple(
            AgreementAddition(unit_price=Money(p, currency), quantity=Decimal(q)) for q, p in lines
        ),
    )


SMALL_SET = (
    _agreement("Acme", "Managed Services", BillingCycle.MONTHLY, [("10", "45.00")]),  # 450.00
    _agreement("Acme", "Backup", BillingCycle.QUARTERLY, [("3", "88.50"), ("1", "100.00")]),  # 365.50 / 3 = 121.83
    _agreement("Beta", "Managed Services", BillingCycle.YEARLY, [("2", "600.00")], bill="1200.00", end=date(2026, 4, 30)),  # 200.00
    _agreement("Beta", "Security", BillingCycle.MONTHLY, [("5", "9.99")], status=AgreementStatus.CANCELLED),  # 0
    _agreement("Gamma", "Managed Services", BillingCycle.MONTHLY, [("1", "99.99")], currency="EUR"),  # 99.99 EUR
    _agreement("Gamma", "Project", BillingCycle.ONE_TIME, [("1", "5000.00")], currency="EUR"),  # 0
)  # fmt: skip


def test_mrr_by_hand_per_customer_type_and_month() -> None:
    report = reports.mrr(SMALL_SET, as_of=date(2026, 3, 15), months=3)
    assert report.totals == (Money("99.99", "EUR"), Money("771.83", "USD"))
    assert report.total("USD") == Money("771.83", "USD") and report.total("GBP").is_zero()
    assert [(r.customer, str(r.mrr), str(r.arr), r.agreements) for r in report.by_customer] == [
        ("Gamma", "99.99 EUR", "1199.88 EUR", 1),
        ("Acme", "571.83 USD", "6861.96 USD", 2),
        ("Beta", "200.00 USD", "2400.00 USD", 1),
    ]
    assert [(r.agreement_type, str(r.mrr), r.agreements) for r in report.by_type] == [
        ("Managed Services", "99.99 EUR", 1),
        ("Managed Services", "650.00 USD", 2),
        ("Backup", "121.83 USD", 1),
    ]
    assert [(r.month.isoformat(), str(r.mrr), r.agreements) for r in report.by_month] == [
        ("2026-03-01", "99.99 EUR", 1),
        ("2026-03-01", "771.83 USD", 3),
        ("2026-04-01", "99.99 EUR", 1),
        ("2026-04-01", "771.83 USD", 3),
        ("2026-05-01", "99.99 EUR", 1),
        ("2026-05-01", "571.83 USD", 2),  # Beta's yearly agreement ended on 30 April
    ]
    frame = report.to_pandas("customer")
    assert list(frame.columns) == ["customer", "currency", "mrr", "arr", "agreements"]
    assert frame["mrr"].tolist() == [Decimal("99.99"), Decimal("571.83"), Decimal("200.00")]
    assert report.to_pandas("month").shape == (6, 4) and report.to_pandas("type").shape == (3, 4)
    data = report.to_dict()
    assert data["totals"] == [{"amount": "99.99", "currency": "EUR"}, {"amount": "771.83", "currency": "USD"}]
    assert "MRR on 2026-03-15: 99.99 EUR, 771.83 USD" in str(report)
    with pytest.raises(ValueError, match="by must be"):
        report.to_pandas("owner")
    with pytest.raises(ValueError, match="needs agreements"):
        reports.mrr()


def test_mrr_of_the_seeded_world_is_its_catalog_prices_per_month(world: World) -> None:
    """Every active recurring agreement of the world bills catalog items priced per month; its MRR is the
    sum of quantity x monthly price, whatever its billing cycle."""
    today = world.today
    with world.clients() as c:
        agreements = read_agreements(c.cw, world.config)
        report = reports.mrr(cw=c.cw, config=world.config, as_of=today, months=1)
    assert reports.mrr(agreements, as_of=today, months=1) == report
    expected = Decimal(0)
    live = 0
    for agreement in world.cw.records("agreements"):
        end = agreement.get("endDate")
        if (
            agreement["agreementStatus"] != "Active"
            or "billingCycle" not in agreement
            or (end and end[:10] < today.isoformat())
        ):
            continue
        live += 1
        for addition in world.cw.records("additions"):
            if addition["agreementId"] == agreement["id"]:
                expected += addition["quantity"] * CATALOG_BY_SKU[addition["product"]["identifier"]].price
    assert report.totals == (Money(expected, "USD"),) and expected == Decimal("66593.83")
    assert sum(r.agreements for r in report.by_type) == live == 37
    assert report.by_month[0].mrr == report.totals[0]


def test_mrr_customer_rows_carry_their_ref() -> None:
    report = reports.mrr(SMALL_SET[:1], as_of=date(2026, 3, 1))
    [row] = report.by_customer
    assert isinstance(row.ref, ExternalRef) and row.ref.system == CONNECTWISE and len(report.by_month) == 12


# ------------------------------------------------------------------------------------ latency


SERVER_STAMPED = ("Id", "SyncToken", "MetaData", "RecurDataRef")


def test_under_latency_async_writes_ten_templates_at_once_with_the_same_calls_and_result() -> None:
    (sync_run, sync_world), (async_run, async_world) = both(NAME, lambda: seed_world("small", seed=1))
    # one GET .../additions per recurring agreement (40), one POST /recurringtransaction per template
    # (33): the same calls in both runs
    qbo_writes = sum(
        n for (m, p), n in sync_run.requests["quickbooks"].items() if p.endswith("/recurringtransaction")
    )
    additions = sum(n for (m, p), n in sync_run.requests["connectwise"].items() if p.endswith("/additions"))
    assert (qbo_writes, additions) == (33, 40)
    assert async_run.requests == sync_run.requests
    assert async_run.outcomes == sync_run.outcomes == [{"created": 33, "skipped": 9, "failed": 4}]

    # what the server assigns in the order creates arrive (ids, times, the template's own id) differs
    def plain(world: World) -> dict[str, Any]:
        return {
            name: {k: v for k, v in t.items() if k not in SERVER_STAMPED}
            for name, t in templates(world).items()
        }

    assert plain(async_world) == plain(sync_world)
    # additions 8 at a time, templates 10 at a time (the engine, by the target's write_concurrency)
    assert sync_run.peak == {"connectwise": 1, "quickbooks": 1}
    assert async_run.peak == {"connectwise": 8, "quickbooks": 10}
    assert sync_run.wall == pytest.approx(76 * LATENCY)  # 41 CW + 34 QBO requests and the login, in a row
    assert async_run.wall == pytest.approx(12 * LATENCY)


def _key(name: str) -> str:
    key = name_key(name)
    assert key is not None
    return key


def _queries(world: World) -> int:
    return sum(1 for r in world.qbo.requests if r.path.endswith("/query"))


def test_templates_are_read_once_per_run_not_once_per_page(world: World, linked: StateStore) -> None:
    """Five pages of agreements: one read of every template (the name index), where each page read them
    all again before (a run over n agreements read n²/1,000 templates)."""
    with world.clients() as c:
        (flow,) = agreements_to_quickbooks.flows(
            cw=c.cw, qbo=c.qbo, state=linked, config=world.config, today=world.today, now=world.clock.now
        )
        source = flow.source
        assert isinstance(source, _SyncContracts)
        source.agreements.page_size = 10
        report = run(flow, state=linked)
    assert {k: v for k, v in report.outcome_counts.items() if v} == {"created": 33, "skipped": 9, "failed": 4}
    assert _queries(world) == 1 and methods(world, "quickbooks") == {"POST": 34}
    world.clock.advance(3600)
    world.qbo.clear_log()
    again = sync(world, linked, retry_dead_letters=True)  # linked templates by id, the 4 letters by name
    assert again.writes == 0 and len(again.failures) == 4
    assert _queries(world) == 1 and methods(world, "quickbooks") == {"POST": 1}


def test_a_template_made_by_someone_else_is_a_candidate_after_the_next_refresh(
    world: World, linked: StateStore
) -> None:
    """The name index is refreshed from ``MetaData.LastUpdatedTime`` at most every five minutes: a
    template made meanwhile is found by its name after the refresh; one msplink made never is."""
    sync(world, linked)
    existing = next(iter(templates(world).values()))
    body = {k: v for k, v in existing.items() if k not in {"Id", "SyncToken", "MetaData", "RecurDataRef"}}
    with world.clients() as c:
        (flow,) = agreements_to_quickbooks.flows(
            cw=c.cw, qbo=c.qbo, state=linked, config=world.config, today=world.today, now=world.clock.now
        )
        target = flow.target
        assert isinstance(target, _SyncTemplates)
        wanted = LookupRequest(keys={"name": (_key("Made by hand"), _key(existing["RecurringInfo"]["Name"]))})
        world.qbo.clear_log()
        assert [r.id for r in target.lookup(wanted)] == [existing["Id"]] and _queries(world) == 1
        made = world.qbo.company.create_recurring(
            {"Invoice": {**body, "RecurringInfo": {**body["RecurringInfo"], "Name": "Made by hand"}}}
        )["Invoice"]
        world.clock.advance(60)  # no refresh yet: the indexed name's template by Id IN, the new one unseen
        assert [r.id for r in target.lookup(wanted)] == [existing["Id"]] and _queries(world) == 2
        world.clock.advance(300)  # the refresh reads what changed since a minute before the newest
        # template indexed: the new one, and the run's own (all made in the same virtual second)
        assert sorted(r.id for r in target.lookup(wanted)) == sorted([existing["Id"], made["Id"]])
        assert _queries(world) == 3
        mine = {"Invoice": {**body, "RecurringInfo": {**body["RecurringInfo"], "Name": "Mine"}}}
        agreement = ExternalRef(system=CONNECTWISE, object_type="agreement", id="9999")
        (written,) = target.write(
            [WriteOp(action=Action.CREATE, key="k-mine", source=agreement, payload=mine)]
        )
        assert written.error is None and written.id is not None
        world.clock.advance(400)  # the refresh reads msplink's own template, and leaves it out
        assert target.lookup(LookupRequest(keys={"name": (_key("Mine"),)})) == []
        assert _queries(world) == 4
