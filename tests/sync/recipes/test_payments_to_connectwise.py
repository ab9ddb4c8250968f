"""``recipes.payments_to_connectwise`` end to end against a seeded world (QuickBooks + ConnectWise).

The small world of seed 1 (today 2026-03-03) holds 31 QBO payments (68,266.28 in all): 30 applied to
invoices ConnectWise issued (their ``DocNumber`` is the CW ``invoiceNumber``), one to an invoice only
QuickBooks has (``Q-00004``, 649.00). 20 of the CW invoices already show their payment (recorded long
ago, same amount and date), so the first run links those and creates the 11 others: the multi-invoice
payment ``7`` (2,070.26 over INV-000029 and INV-000031), the partial payment ``2`` (1,077.45 of
INV-000003's 2,154.90) and 8 more.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from msplink.connectwise import models as cwm
from msplink.errors import ConfigurationError
from msplink.models import QUICKBOOKS, Invoice, Link, Money, Payment, PaymentAllocation
from msplink.sandbox import FaultKind, World, seed_world
from msplink.sync import Guards, MemoryStateStore, SQLiteStateStore, StateStore, arun, plan
from msplink.sync.recipes import RECIPES, payments_to_connectwise
from msplink.sync.recipes._payments import APPLY_FLOW, STANDING_FLOW, allocate_unapplied
from tests.sync._recipes import api_requests
from tests.sync.recipes._fin2 import (
    counts,
    cw_payments,
    kill,
    methods,
    overdue,
    qbo_applied,
    run_recipe,
    snapshot_payments,
    twins,
)
from tests.sync.recipes._latency import both

NAME = "payments_to_connectwise"


@pytest.fixture
def world() -> World:
    """The small world of seed 1."""
    return seed_world("small", seed=1)


def sync(world: World, state: StateStore, **options: Any) -> Any:
    return run_recipe(NAME, world, state, **options)


def test_registered_with_its_systems() -> None:
    recipe = RECIPES[NAME]
    assert recipe.run is payments_to_connectwise and recipe.systems == ("quickbooks", "connectwise")
    assert "payments" in recipe.summary


def test_a_dry_run_writes_nothing_and_its_plan_lists_what_would_be_written(world: World) -> None:
    state = MemoryStateStore()
    before = snapshot_payments(world)
    with world.clients() as c:
        applications, _standing = payments_to_connectwise.flows(
            qbo=c.qbo, cw=c.cw, state=state, config=world.config, today=world.today, now=world.clock.now
        )
        world.cw.clear_log()
        planned = plan(applications, state=state)
    assert planned.counts == {"create": 11, "update": 0, "link": 20, "skip": 1, "conflict": 0, "delete": 0}
    creates = {i.source.id for i in planned.where("create")}
    assert {"7/29", "7/31", "2/3"} <= creates
    [skip] = planned.where("skip")
    assert (skip.source.id, skip.reason) == ("10/q23", "unmapped")
    report = sync(world, state, dry_run=True)
    assert counts(report)[APPLY_FLOW] == {"planned": 32}
    assert report.writes == 0 and snapshot_payments(world) == before
    assert set(methods(world, "connectwise")) == {"GET"}
    assert state.pairs(("quickbooks", "payment_application"), ("connectwise", "invoice_payment")) == []
    assert state.dead_letters() == []


def test_the_first_run_writes_exactly_the_plan_and_the_sums_agree(world: World) -> None:
    state = MemoryStateStore()
    world.cw.clear_log()
    report = sync(world, state)
    assert counts(report) == {
        APPLY_FLOW: {"created": 11, "linked": 20, "skipped": 1},
        STANDING_FLOW: {"updated": 30, "linked": 67},
    }
    assert report.writes == 41 and state.dead_letters() == []
    assert methods(world, "connectwise")["POST"] == 11 and methods(world, "connectwise")["PATCH"] == 30

    # the sum of CW payments applied equals the QBO payments, invoice by invoice and in all
    applied, paid = qbo_applied(world), cw_payments(world)
    for qbo_id, cw_invoice in twins(world).items():
        assert sum((a for a, _ in paid.get(cw_invoice["id"], ())), Decimal(0)) == applied.get(qbo_id, 0)
        assert Decimal(cw_invoice["balance"]) == Decimal(world.qbo.entity("Invoice", qbo_id)["Balance"])
    mirrored = sum((applied[q] for q in twins(world) if q in applied), Decimal(0))
    assert mirrored == Decimal("67617.28") == Decimal("68266.28") - Decimal("649.00")


def test_multi_invoice_and_partial_payments_leave_the_right_balances_and_standing(world: World) -> None:
    facts = world.facts()
    assert facts.multi_invoice_payment == "7" and facts.partial_payment == "2"
    sync(world, MemoryStateStore())
    invoices = {i["invoiceNumber"]: i for i in world.cw.records("invoices")}
    paid = cw_payments(world)
    # one QBO payment across two invoices: one CW payment on each, of the line's amount
    assert paid[invoices["INV-000029"]["id"]] == [(Decimal("1707.76"), "2026-02-27")]
    assert paid[invoices["INV-000031"]["id"]] == [(Decimal("362.50"), "2026-02-27")]
    for number in ("INV-000029", "INV-000031"):
        assert invoices[number]["balance"] == 0 and invoices[number]["status"]["name"] == "Paid"
    # a partial payment: half of 2,154.90 applied, 1,077.45 left, the invoice partly paid
    partial = invoices["INV-000003"]
    assert paid[partial["id"]] == [(Decimal("1077.45"), "2026-03-03")]
    assert partial["balance"] == Decimal("1077.45") and partial["status"]["name"] == "Partially Paid"
    # overdue invoices are flagged, the others not
    flagged = {
        n
        for n, i in invoices.items()
        if any(f["caption"] == "Overdue" and f["value"] for f in i.get("customFields") or ())
    }
    assert flagged == overdue(world, world.today) and len(flagged) == 23
    assert "INV-000009" in flagged and world.facts().overdue_invoice == invoices["INV-000009"]["id"]


def test_a_second_run_writes_nothing(world: World) -> None:
    state = MemoryStateStore()
    sync(world, state)
    world.clock.advance(3600)
    world.cw.clear_log()
    world.qbo.clear_log()
    report = sync(world, state)
    assert report.writes == 0
    assert counts(report) == {APPLY_FLOW: {}, STANDING_FLOW: {"skipped": 19}}  # open invoices: read every run
    # QBO: the payments changed since the watermark (CDC; its one-minute overlap reads the seeded ones
    # again), and one /batch looking up their invoices before they are dropped as processed; CW: the
    # invoices they pay (by number), then the standing's read of the open invoices and its look-up
    assert methods(world, "quickbooks") == {"GET": 1, "POST": 1} and methods(world, "connectwise") == {
        "GET": 3
    }


def _worked_example(world: World) -> dict[str, int]:
    """A customer with three open invoices in both systems (300, 500, 200; due in that order) and a
    payment of 600.00 applied to none of them."""
    cw_ids: dict[str, int] = {}
    with world.clients() as c:
        customer = c.qbo.customers.create({"DisplayName": "Worked Example Dental"})
        company = c.cw.companies.create(
            cwm.Company(identifier="WorkedExample", name="Worked Example Dental", status=cwm.Reference(id=1))
        )
        for number, amount, issued, due in (
            ("W-0001", "300.00", "2026-01-05", "2026-02-04"),
            ("W-0002", "500.00", "2026-01-20", "2026-02-19"),
            ("W-0003", "200.00", "2026-02-01", "2026-03-03"),
        ):
            c.qbo.invoices.create(
                {
                    "CustomerRef": {"value": customer.id},
                    "DocNumber": number,
                    "TxnDate": issued,
                    "DueDate": due,
                    "Line": [
                        {
                            "DetailType": "SalesItemLineDetail",
                            "Amount": amount,
                            "SalesItemLineDetail": {"ItemRef": {"value": world.config.default_item}},
                        }
                    ],
                }
            )
            invoice = c.cw.invoices.create(
                cwm.Invoice(
                    invoice_number=number,
                    type="Standard",
                    company=cwm.Reference(id=company.id),
                    date=datetime.fromisoformat(f"{issued}T00:00:00+00:00"),
                    due_date=datetime.fromisoformat(f"{due}T00:00:00+00:00"),
                    subtotal=Decimal(amount),
                    total=Decimal(amount),
                    balance=Decimal(amount),
                )
            )
            cw_ids[number] = int(invoice.id or 0)
        c.qbo.payments.create(
            {"CustomerRef": {"value": customer.id}, "TotalAmt": "600.00", "TxnDate": "2026-03-02"}
        )
    return cw_ids


@pytest.mark.parametrize(
    ("strategy", "split"),
    [
        ("oldest", {"W-0001": "300.00", "W-0002": "300.00"}),
        ("largest", {"W-0002": "500.00", "W-0001": "100.00"}),
        ("proportional", {"W-0001": "180.00", "W-0002": "300.00", "W-0003": "120.00"}),
    ],
)
def test_each_allocation_strategy_splits_unapplied_cash_as_computed_by_hand(
    world: World, strategy: str, split: dict[str, str]
) -> None:
    ids = _worked_example(world)
    report = sync(world, MemoryStateStore(), unapplied=strategy)
    paid = cw_payments(world)
    assert {n: str(paid[i][0][0]) for n, i in ids.items() if i in paid} == split
    assert all(len(paid[i]) == 1 for i in ids.values() if i in paid)
    assert sum(Decimal(v) for v in split.values()) == Decimal("600.00")
    assert counts(report)[APPLY_FLOW]["created"] == 11 + len(split)


def test_without_a_strategy_unapplied_cash_stays_customer_credit_and_is_reported(world: World) -> None:
    ids = _worked_example(world)
    report = sync(world, MemoryStateStore(), unapplied=None)
    assert not set(ids.values()) & set(cw_payments(world))
    skipped = [o for p in report.parts for o in p.outcomes if o.source.id.endswith("/unapplied")]
    assert len(skipped) == 1 and skipped[0].status == "skipped"


def test_a_changed_or_deleted_payment_updates_or_removes_its_cw_payment(world: World) -> None:
    state = MemoryStateStore()
    sync(world, state)
    partial = next(i for i in world.cw.records("invoices") if i["invoiceNumber"] == "INV-000003")
    world.clock.advance(3600)
    with world.clients() as c:  # the accountant corrects the amount received
        payment = c.qbo.payments.get("2")
        line = {"Amount": "1000.00", "LinkedTxn": [dict(payment.raw["Line"][0]["LinkedTxn"][0])]}
        c.qbo.payments.update(
            {
                "Id": "2",
                "SyncToken": payment.sync_token,
                "sparse": True,
                "TotalAmt": "1000.00",
                "Line": [line],
            }
        )
    report = sync(world, state)
    assert counts(report)[APPLY_FLOW] == {"updated": 1}
    assert cw_payments(world)[partial["id"]] == [(Decimal("1000.00"), "2026-03-03")]
    world.clock.advance(3600)
    with world.clients() as c:
        payment = c.qbo.payments.get("2")
        c.qbo.payments.delete("2", sync_token=str(payment.sync_token))
    report = sync(world, state, guards=Guards(allow_delete=True, max_delete_fraction=1.0), open_status="Sent")
    assert counts(report) == {APPLY_FLOW: {"deleted": 1}, STANDING_FLOW: {"updated": 1}}
    assert partial["id"] not in cw_payments(world)
    refreshed = next(i for i in world.cw.records("invoices") if i["invoiceNumber"] == "INV-000003")
    assert refreshed["balance"] == refreshed["total"] and refreshed["status"]["name"] == "Sent"


def test_a_payment_already_recorded_by_hand_is_never_applied_twice(world: World) -> None:
    invoice = next(i for i in world.cw.records("invoices") if i["invoiceNumber"] == "INV-000003")
    with world.clients() as c:  # someone recorded the whole amount in ConnectWise, on another day
        c.cw.invoices.payments(invoice["id"]).create(
            cwm.InvoicePayment(
                amount=Decimal("2154.90"),
                payment_date=datetime(2026, 3, 1, tzinfo=timezone.utc),
                type="Payment",
            )
        )
    state = MemoryStateStore()
    report = sync(world, state)
    assert counts(report)[APPLY_FLOW] == {"created": 10, "linked": 20, "skipped": 1, "failed": 1}
    [letter] = state.dead_letters()
    assert letter.source.id == "2/3" and letter.error_type == "MappingError"
    assert "more than the open balance of ConnectWise invoice 3 (0.00)" in letter.message
    assert cw_payments(world)[invoice["id"]] == [(Decimal("2154.90"), "2026-03-01")]


def test_flows_refuse_a_status_the_config_has_no_id_for(world: World) -> None:
    with world.clients() as c, pytest.raises(ConfigurationError, match="billing_statuses"):
        payments_to_connectwise.flows(
            qbo=c.qbo, cw=c.cw, state=MemoryStateStore(), config=world.config, paid_status="Settled"
        )
    with world.clients() as c, pytest.raises(ConfigurationError, match="unapplied must be one of"):
        payments_to_connectwise.flows(
            qbo=c.qbo, cw=c.cw, state=MemoryStateStore(), config=world.config, unapplied="newest"
        )


def test_async_clients_run_the_same_flows(world: World) -> None:
    state = MemoryStateStore()

    async def main() -> list[dict[str, int]]:
        async with world.aclients() as c:
            flows = payments_to_connectwise.flows(
                qbo=c.qbo, cw=c.cw, state=state, config=world.config, today=world.today, now=world.clock.now
            )
            return [
                {k: v for k, v in (await arun(f, state=state)).outcome_counts.items() if v} for f in flows
            ]

    assert asyncio.run(main()) == [{"created": 11, "linked": 20, "skipped": 1}, {"updated": 30, "linked": 67}]
    with pytest.raises(TypeError, match="arun"):
        asyncio.run(_call_with_async(world))


async def _call_with_async(world: World) -> None:
    async with world.aclients() as c:
        payments_to_connectwise(qbo=c.qbo, cw=c.cw, state=MemoryStateStore(), config=world.config)


# ------------------------------------------------------------------------------------ SIGKILL


uvicorn = pytest.importorskip("uvicorn")
POINTS = [
    pytest.param("cw.payment:after", 1, id="a CW payment created, its answer lost"),
    pytest.param("store.journal:after", 1, id="intents journalled", marks=pytest.mark.slow),
    pytest.param("store.commit:before", 1, id="a page written, not committed", marks=pytest.mark.slow),
    pytest.param("cw.payment:after", 6, id="the sixth CW payment created", marks=pytest.mark.slow),
]


@pytest.fixture(scope="module")
def uninterrupted() -> dict[str, Any]:
    world = seed_world("small", seed=1)
    sync(world, MemoryStateStore())
    return snapshot_payments(world)


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
    kill(world, NAME, urls, tmp_path, point, nth)
    with SQLiteStateStore(tmp_path / "state.db") as state:
        sync(world, state)
        assert snapshot_payments(world) == uninterrupted
        assert state.dead_letters() == []
        assert (
            len(state.pairs(("quickbooks", "payment_application"), ("connectwise", "invoice_payment"))) == 31
        )
        world.clock.advance(3600)
        assert sync(world, state).writes == 0


# --------------------------------------------------------------------------------- properties


def _invoice(balance: Decimal, day: int) -> Invoice:
    return Invoice(
        customer=Link(), currency="USD", balance=Money(balance, "USD"), due_date=date(2026, 1, 1 + day % 28)
    )


def _payment(total: Decimal, day: int) -> Payment:
    return Payment(
        customer=Link.to(QUICKBOOKS, "Customer", "1"),
        total=Money(total, "USD"),
        payment_date=date(2026, 2, 1 + day),
    )


cents = st.integers(min_value=1, max_value=500_000).map(lambda n: Decimal(n).scaleb(-2))


@settings(max_examples=150, deadline=None)
@given(
    balances=st.lists(cents, min_size=1, max_size=6),
    totals=st.lists(cents, min_size=1, max_size=4),
    strategy=st.sampled_from(["oldest_first", "largest_first", "proportional"]),
)
def test_allocation_never_gives_more_than_a_payment_or_an_invoice_holds_and_conserves_cents(
    balances: list[Decimal], totals: list[Decimal], strategy: Any
) -> None:
    invoices = {str(i + 1): _invoice(b, i) for i, b in enumerate(balances)}
    payments = [(str(k + 1), _payment(t, k)) for k, t in enumerate(totals)]
    shares = allocate_unapplied(payments, invoices, strategy)
    given_by = {pid: sum(split.values(), Decimal(0)) for pid, split in shares.items()}
    taken: dict[str, Decimal] = {}
    for split in shares.values():
        for invoice_id, amount in split.items():
            assert amount > 0 and amount == amount.quantize(Decimal("0.01"))  # whole cents
            taken[invoice_id] = taken.get(invoice_id, Decimal(0)) + amount
    for pid, payment in payments:
        assert given_by.get(pid, Decimal(0)) <= payment.unapplied.amount
    for invoice_id, amount in taken.items():
        assert amount <= balances[int(invoice_id) - 1]
    # conservation: everything is allocated, until the invoices are full
    assert sum(given_by.values(), Decimal(0)) == min(sum(totals), sum(balances))


def test_a_payment_applied_by_its_lines_has_nothing_unapplied_to_split() -> None:
    applied = Payment(
        customer=Link(),
        total=Money("100.00", "USD"),
        allocations=(
            PaymentAllocation(target=Link.to(QUICKBOOKS, "Invoice", "1"), amount=Money("100.00", "USD")),
        ),
    )
    assert allocate_unapplied([("1", applied)], {"1": _invoice(Decimal("50.00"), 0)}, "oldest_first") == {}


# ------------------------------------------------------------------------------------ latency


def _standing(world: World) -> list[tuple[Any, Any, Any]]:
    return sorted((i["id"], i["balance"], i["status"]["name"]) for i in world.cw.records("invoices"))


def test_under_latency_async_overlaps_the_per_invoice_requests_with_the_same_calls_and_result() -> None:
    (sync_run, sync_world), (async_run, async_world) = both(NAME, lambda: seed_world("small", seed=1))
    # one GET .../payments per invoice looked up (31), one POST per payment applied (11), one PATCH
    # per invoice whose standing changed (30), four invoice reads: the same calls in both runs
    by_kind: dict[tuple[str, str], int] = {}
    for (method, path), n in sync_run.requests["connectwise"].items():
        kind = (method, "payments" if path.endswith("/payments") else "invoice")
        by_kind[kind] = by_kind.get(kind, 0) + n
    assert by_kind == {
        ("GET", "payments"): 31, ("POST", "payments"): 11, ("PATCH", "invoice"): 30, ("GET", "invoice"): 4,
    }  # fmt: skip
    assert async_run.requests == sync_run.requests
    assert async_run.outcomes == sync_run.outcomes
    assert sync_run.outcomes == [{"created": 11, "linked": 20, "skipped": 1}, {"updated": 30, "linked": 67}]
    assert cw_payments(async_world) == cw_payments(sync_world)
    assert _standing(async_world) == _standing(sync_world)
    # reads and payments 8 at a time per step, the standing PATCHes 4 batches of up to 8 at once
    assert sync_run.peak == {"connectwise": 1, "quickbooks": 1}
    assert async_run.peak["connectwise"] == 24
    assert async_run.wall < sync_run.wall / 4


def test_a_create_that_did_not_land_gives_its_amount_back_so_a_retry_is_not_refused(world: World) -> None:
    """Every payment POST's connection drops: each create fails transiently, never as "more than the
    open balance" (the in-run retry used to find the balance the failed attempt had taken), and a
    retry of the dead letters with the faults gone creates the 11 payments."""
    state = MemoryStateStore()
    world.cw.faults.inject(FaultKind.DROP_CONNECTION, rate=1.0, method="POST", path="/payments$")
    report = sync(world, state)
    creates = [f for f in report.failures if f.flow == APPLY_FLOW]
    assert len(creates) == 11
    assert {type(f.error).__name__ for f in creates} == {"TransportError"}
    assert methods(world, "connectwise")["POST"] >= 11
    world.cw.faults.clear()
    again = sync(world, state, retry_dead_letters=True)
    assert counts(again)[APPLY_FLOW].get("created") == 11 and state.dead_letters() == []


def test_the_standing_source_reads_a_page_at_a_time_and_ends_as_one_read(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The standing flow reads the invoices a forward-only page at a time (memory stays one page);
    read in pages of 7, it ends exactly as read in one page, and again writes nothing on a rerun."""
    from msplink.sync.recipes import _payments_cw

    expected_world = seed_world("small", seed=1)
    sync(expected_world, MemoryStateStore())
    monkeypatch.setattr(_payments_cw, "STANDING_PAGE", 7)
    state = MemoryStateStore()
    world.cw.clear_log()
    report = sync(world, state)
    assert counts(report)[STANDING_FLOW] == {"updated": 30, "linked": 67}
    invoice_reads = [p for m, p in api_requests(world.cw) if m == "GET" and p.endswith("/finance/invoices")]
    assert len(invoice_reads) >= 97 // 7  # the standing read alone takes 14 pages of 7
    assert snapshot_payments(world) == snapshot_payments(expected_world)
    world.clock.advance(3600)
    assert sync(world, state).writes == 0


def test_a_standing_write_whose_invoice_left_the_cache_reads_it_again(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The standing target keeps the newest invoices looked up (their ``customFields``, replaced whole
    by the patch); one no longer held is read again before its patch, so no custom field is lost."""
    from msplink.sync.recipes import _payments_cw

    expected_world = seed_world("small", seed=1)
    for w in (world, expected_world):  # a custom field of the user's, which the patch must keep
        for invoice in w.cw.data["invoices"].values():
            region = {
                "id": 99,
                "caption": "Region",
                "type": "Text",
                "entryMethod": "EntryField",
                "value": "north",
            }
            invoice["customFields"] = [*(invoice.get("customFields") or ()), region]
    sync(expected_world, MemoryStateStore())
    assert all(("Region", "north") in i[2] for i in snapshot_payments(expected_world)["invoices"].values())
    monkeypatch.setattr(_payments_cw, "RAW_CACHE", 2)
    world.cw.clear_log()
    sync(world, MemoryStateStore())
    by_id = [p for m, p in api_requests(world.cw) if m == "GET" and p.endswith("/finance/invoices")]
    assert snapshot_payments(world) == snapshot_payments(expected_world)
    assert len(by_id) > 3  # the standing read, its look-up, and reads again before the patches
