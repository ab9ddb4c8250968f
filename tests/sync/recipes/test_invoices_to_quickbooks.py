"""``recipes.invoices_to_quickbooks`` end to end against a seeded world (ConnectWise + QuickBooks sandboxes).

The small world of seed 1 holds 97 CW invoices (68 agreement invoices, 29 standard ones billing
products and time); 70 are ``Sent`` (open), 27 ``Paid``. QuickBooks already holds 49 of them (the
older ones, exported before msplink; 31 of those have payments applied in QuickBooks) plus 7
invoices of its own (``Q-...``). The world's config leaves the CW tax code ``OOS`` and the billing terms
``Net 45 days`` unmapped, and one CW company ("Crescent Manufacturing Ltd") is an ambiguous pair in
QuickBooks, so its customer is a question for a person.

Figures of the first run (the 70 ``Sent`` invoices): 29 created, 14 updated (exported invoices whose
terms or time-line descriptions differ), 10 linked and left alone because QuickBooks has payments
on them (``paid``), 16 dead letters naming the missing mapping (``OOS``: 10, ``Net 45 days``: 6), 1
dead letter for the invoice whose customer is undecided.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

import pytest

from msplink.connectwise import models as cw
from msplink.quickbooks import models as qbo
from msplink.sandbox import World, seed_world
from msplink.sync import MemoryStateStore, StateStore, SyncReport, arun
from msplink.sync.recipes import RECIPES, invoices_to_quickbooks
from tests.sync._recipes import INTEGRATION_USER, person

FLOW = "cw-invoices-to-qbo-invoices"
CUSTOMERS = "cw-companies-to-qbo-customers"


def export(world: World, state: StateStore, **options: Any) -> SyncReport:
    """Run the recipe once over fresh sync clients."""
    with world.clients() as c:
        return invoices_to_quickbooks(
            cw=c.cw,
            qbo=c.qbo,
            state=state,
            config=options.pop("config", world.config),
            now=world.clock.now,
            cw_integration_user=INTEGRATION_USER,
            **options,
        )


def part(report: SyncReport, flow: str = FLOW) -> SyncReport:
    return next(p for p in report.parts if p.flow == flow)


def outcomes(report: SyncReport) -> Counter[tuple[str, str, str | None]]:
    return Counter((o.action.value, o.status, o.reason) for o in report.outcomes)


def cw_invoices(world: World) -> dict[str, Any]:
    """CW invoices by number."""
    with world.clients() as c:
        return {str(i.invoice_number): i for i in c.cw.invoices.list().to_list()}


def qbo_invoices(world: World) -> dict[str, Any]:
    """QBO invoices by DocNumber."""
    with world.clients() as c:
        return {str(i.doc_number): i for i in c.qbo.invoices.list().to_list()}


def qbo_rows(world: World) -> list[str]:
    """Every QBO invoice's values (no ids, versions or times), sorted: equal for equal data."""
    rows = []
    for invoice in qbo_invoices(world).values():
        raw = dict(invoice.raw)
        for key in ("Id", "SyncToken", "MetaData", "domain", "sparse", "time"):
            raw.pop(key, None)
        for line in raw.get("Line", []):
            line.pop("Id", None)
        rows.append(json.dumps(raw, sort_keys=True, default=str))
    return sorted(rows)


@pytest.fixture(scope="module")
def exported() -> dict[str, Any]:
    """One world: a dry run, the first run and a rerun an hour later (read-only for the tests below)."""
    world = seed_world("small", seed=1)
    state = MemoryStateStore()
    before = qbo_rows(world)
    tokens = {i.id: i.sync_token for i in qbo_invoices(world).values()}
    dry = export(world, state, dry_run=True)
    after_dry = qbo_rows(world)
    world.cw.clear_log()
    world.qbo.clear_log()
    first = export(world, state)
    calls = {"connectwise": len(world.cw.requests), "quickbooks": len(world.qbo.requests)}
    world.clock.advance(3600)
    second = export(world, state)
    return {
        "world": world, "state": state, "dry": dry, "first": first, "second": second,
        "before": before, "after_dry": after_dry, "calls": calls, "tokens": tokens,
    }  # fmt: skip


def test_the_recipe_is_registered() -> None:
    entry = RECIPES["invoices_to_quickbooks"]
    assert entry.run is invoices_to_quickbooks
    assert entry.systems == ("connectwise", "quickbooks")
    assert entry.summary.startswith("ConnectWise invoices -> QuickBooks invoices")


def test_a_dry_run_writes_nothing_and_its_plan_lists_what_the_first_run_writes(
    exported: dict[str, Any],
) -> None:
    dry, first = part(exported["dry"]), part(exported["first"])
    assert exported["after_dry"] == exported["before"]
    assert exported["dry"].writes == 0 and exported["state"].runs()[0].dry_run
    assert outcomes(dry) == {
        ("create", "planned", None): 30,
        ("update", "planned", None): 14,
        ("link", "planned", "paid"): 10,
        ("skip", "failed", "MappingError"): 16,
    }
    planned = {(o.source.id, o.action.value) for o in dry.outcomes if o.status == "planned"}
    done = {
        (o.source.id, o.action.value) for o in first.outcomes if o.status in ("created", "updated", "linked")
    }
    # everything planned was done, but the invoice whose customer is an open question (its company
    # is an ambiguous pair: the dry run could not know the customer would stay unlinked)
    assert planned - done == {("1", "create")}
    assert done <= planned


def test_the_first_run_writes_exactly_the_plan_and_every_exported_total_equals_the_cw_total(
    exported: dict[str, Any],
) -> None:
    world, first = exported["world"], exported["first"]
    assert outcomes(part(first)) == {
        ("create", "created", None): 29,
        ("update", "updated", None): 14,
        ("link", "linked", "paid"): 10,
        ("skip", "failed", "MappingError"): 16,
        ("create", "failed", None): 1,
    }
    assert part(first).writes == 43 and part(first, CUSTOMERS).writes == 25
    cw_by_number, qbo_by_number = cw_invoices(world), qbo_invoices(world)
    assert len(qbo_by_number) == 56 + 29
    both = sorted(set(cw_by_number) & set(qbo_by_number))
    assert len(both) == 78
    assert [n for n in both if cw_by_number[n].total != qbo_by_number[n].total_amt] == []
    assert sum(qbo_by_number[n].total_amt for n in both) == sum(cw_by_number[n].total for n in both)


def test_each_invoice_carries_its_customer_number_dates_terms_and_every_line(
    exported: dict[str, Any],
) -> None:
    world = exported["world"]
    cw_by_number, qbo_by_number = cw_invoices(world), qbo_invoices(world)
    config = world.config
    # INV-000008: a standard invoice billing two time entries (Onsite + Remote Support), created
    cw_inv, qbo_inv = cw_by_number["INV-000008"], qbo_by_number["INV-000008"]
    state = exported["state"]
    [company_ref] = [r for r in state.links(cw_ref("company", cw_inv.company.id)) if r.system == "quickbooks"]
    assert qbo_inv.customer_ref.value == company_ref.id
    assert (qbo_inv.txn_date, qbo_inv.due_date) == (cw_inv.date.date(), cw_inv.due_date.date())
    assert qbo_inv.sales_term_ref.value == config.terms.find(cw_inv.billing_terms.name)
    with world.clients() as c:
        entries = c.cw.time_entries.list(where=f"invoice/id = {cw_inv.id}").to_list()
    lines = [x for x in qbo_inv.line if x.detail_type == "SalesItemLineDetail"]
    assert [(x.sales_item_line_detail.qty, x.sales_item_line_detail.unit_price) for x in lines] == [
        (e.hours_billed, e.hourly_rate) for e in sorted(entries, key=lambda e: e.id)
    ]
    assert [x.sales_item_line_detail.item_ref.value for x in lines] == [
        config.work_types.find(e.work_type.name) for e in sorted(entries, key=lambda e: e.id)
    ]
    assert {x.sales_item_line_detail.tax_code_ref.value for x in lines} == {"NON"}


def test_an_agreement_invoice_bills_its_additions_for_the_months_of_its_cycle(
    exported: dict[str, Any],
) -> None:
    world = exported["world"]
    qbo_inv = qbo_invoices(world)["INV-000010"]
    cw_inv = cw_invoices(world)["INV-000010"]
    with world.clients() as c:
        agreement = c.cw.agreements.get(cw_inv.agreement.id)
        additions = c.cw.agreements.additions(cw_inv.agreement.id).list().to_list()
    months = {"Monthly": 1, "Quarterly": 3, "Yearly": 12}[agreement.billing_cycle.name]
    lines = [x for x in qbo_inv.line if x.detail_type == "SalesItemLineDetail"]
    assert sorted((x.description, x.sales_item_line_detail.qty) for x in lines) == sorted(
        (a.description, a.quantity * months) for a in additions
    )
    assert qbo_inv.total_amt == cw_inv.agreement_amount == cw_inv.total


def test_a_second_run_writes_nothing_and_reads_once(exported: dict[str, Any]) -> None:
    second = exported["second"]
    assert second.writes == 0
    assert part(second).counts == {a: 0 for a in ("create", "update", "link", "skip", "conflict", "delete")}
    # the first run's requests: the invoice page, their products, time, agreements, each agreement's
    # additions (38), the additions' catalog items; the QBO invoice index, one look-up, two write batches
    assert part(exported["first"]).api_calls == {"connectwise": 43, "quickbooks": 3}


def test_paid_invoices_are_left_alone_and_reported(exported: dict[str, Any]) -> None:
    world, first = exported["world"], exported["first"]
    facts = world.facts()
    paid = {o.target.id for o in part(first).outcomes if o.reason == "paid" and o.target is not None}
    assert len(paid) == 10
    assert set(facts.multi_invoice_payment_invoices) <= paid
    after = {i.id: i for i in qbo_invoices(world).values()}
    assert {i: after[i].sync_token for i in paid} == {i: exported["tokens"][i] for i in paid}  # never written
    assert {after[i].balance for i in facts.multi_invoice_payment_invoices} == {Decimal(0)}


def test_invoices_blocked_by_a_missing_mapping_are_dead_letters_naming_it(exported: dict[str, Any]) -> None:
    letters = exported["state"].dead_letters(FLOW)
    missing = Counter(
        letter.message.split(": ")[0] + " " + letter.message.split("value=")[-1] for letter in letters
    )
    assert missing == {
        "Invoice.tax_code 'OOS')": 10,
        "Invoice.terms 'Net 45 days')": 6,
        "Invoice.CustomerRef 'Crescent Manufacturing Ltd')": 1,
    }


def cw_ref(object_type: str, record_id: object) -> Any:
    from msplink.models import ExternalRef

    return ExternalRef("connectwise", object_type, str(record_id))


# ------------------------------------------------------------------------- changes after the export


@pytest.fixture
def world() -> World:
    return seed_world("small", seed=1)


def test_a_changed_unpaid_invoice_updates_its_qbo_invoice_sparsely(world: World) -> None:
    state = MemoryStateStore()
    export(world, state)
    cw_by_number = cw_invoices(world)
    target = cw_by_number["INV-000008"]
    new_due = datetime(2026, 5, 1, tzinfo=timezone.utc)
    with person(world) as c:
        current = c.qbo.invoices.get(qbo_invoices(world)["INV-000008"].id)
        note = qbo.InvoiceUpdate(
            id=str(current.id),
            sync_token=str(current.sync_token),
            bill_email=qbo.EmailAddress(address="ap@example.com"),
        )
        c.qbo.invoices.update(note)  # a person adds a field the recipe does not carry
        c.cw.invoices.update(target.id, cw.InvoiceUpdate(due_date=new_due))
    report = export(world, state)
    assert report.writes == 1
    [updated] = [o for o in part(report).outcomes if o.status == "updated"]
    assert updated.source.id == str(target.id)
    after = qbo_invoices(world)["INV-000008"]
    assert after.due_date == new_due.date()
    assert (
        int(str(after.sync_token)) == int(str(current.sync_token)) + 2
    )  # the person's edit, then the recipe's
    assert after.bill_email is not None and after.bill_email.address == "ap@example.com"  # sparse
    assert after.total_amt == target.total


def test_a_mapping_added_then_retried_writes_the_blocked_invoices(world: World) -> None:
    state = MemoryStateStore()
    export(world, state)
    with world.clients() as c:
        net45 = c.qbo.terms.create(qbo.Term(name="Net 45", due_days=45))
    config = world.config.with_entries("tax_codes", {"OOS": "NON"}).with_entries(
        "terms", {"Net 45 days": str(net45.id)}
    )
    report = export(world, state, config=config, retry_dead_letters=True)
    inv = part(report)
    assert Counter(o.status for o in inv.outcomes) == {"created": 11, "updated": 4, "linked": 1, "failed": 1}
    assert [d.source.id for d in state.dead_letters(FLOW)] == ["1"]  # only the undecided customer is left
    assert {d.source.id for d in state.dead_letters(CUSTOMERS)} == set()
    cw_by_number, qbo_by_number = cw_invoices(world), qbo_invoices(world)
    both = set(cw_by_number) & set(qbo_by_number)
    assert [n for n in both if cw_by_number[n].total != qbo_by_number[n].total_amt] == []
    assert export(world, state, config=config).writes == 0


def test_async_flows_export_the_same_invoices() -> None:
    sync_world, async_world = seed_world("small", seed=1), seed_world("small", seed=1)
    export(sync_world, MemoryStateStore())

    async def main() -> list[SyncReport]:
        state = MemoryStateStore()
        async with async_world.aclients() as c:
            flows = invoices_to_quickbooks.flows(
                cw=c.cw, qbo=c.qbo, config=async_world.config, now=async_world.clock.now,
                cw_integration_user=INTEGRATION_USER,
            )  # fmt: skip
            return [await arun(flow, state=state) for flow in flows]

    reports = asyncio.run(main())
    assert [r.writes for r in reports] == [25, 43]
    assert qbo_rows(async_world) == qbo_rows(sync_world)


def test_penny_adjustment_line_makes_the_lines_add_up_to_the_cw_subtotal(world: World) -> None:
    """CW's subtotal a cent above what its lines add up to (its own rounding): the QBO invoice gets a
    ``Rounding adjustment`` line of 0.01 on the configured item, and its total is CW's to the cent."""
    state = MemoryStateStore()
    target = cw_invoices(world)["INV-000008"]
    with person(world) as c:
        c.cw.invoices.update(
            target.id,
            cw.InvoiceUpdate(
                subtotal=target.subtotal + Decimal("0.01"), total=target.total + Decimal("0.01")
            ),
        )
    export(world, state)
    qbo_inv = qbo_invoices(world)["INV-000008"]
    [penny] = [x for x in qbo_inv.line if x.description == "Rounding adjustment"]
    assert penny.amount == Decimal("0.01")
    assert penny.sales_item_line_detail.item_ref.value == world.config.penny_adjustment_item
    assert qbo_inv.total_amt == target.total + Decimal("0.01")


def test_a_difference_beyond_the_penny_tolerance_is_a_dead_letter(world: World) -> None:
    state = MemoryStateStore()
    target = cw_invoices(world)["INV-000008"]
    with person(world) as c:
        c.cw.invoices.update(
            target.id,
            cw.InvoiceUpdate(
                subtotal=target.subtotal + Decimal("1.00"), total=target.total + Decimal("1.00")
            ),
        )
    export(world, state)
    [letter] = [d for d in state.dead_letters(FLOW) if d.source.id == str(target.id)]
    assert letter.error_type == "MappingError"
    assert "difference 1.00 exceeds the penny tolerance 0.05" in letter.message
    assert "INV-000008" not in qbo_invoices(world)


def test_an_invoice_already_in_quickbooks_under_its_number_is_linked_not_created_twice(world: World) -> None:
    state = MemoryStateStore()
    first = export(world, state, statuses=None)
    assert part(first).writes > 0
    numbers = Counter(i.doc_number for i in qbo_invoices(world).values())
    assert numbers["INV-000008"] == 1 and max(numbers.values()) == 1
    state.reset(FLOW)  # forget what was read: everything is read and matched again
    again = export(world, state, statuses=None)
    assert again.writes == 0
    assert Counter(i.doc_number for i in qbo_invoices(world).values()) == numbers


def test_paid_cw_invoices_are_exported_when_their_status_is_asked_for(world: World) -> None:
    """With ``Paid`` in the statuses, the 27 paid CW invoices are read too: 20 are in QuickBooks already,
    7 are not; 18 are linked and left alone (``paid``), 5 created, 4 blocked by a missing mapping."""
    state = MemoryStateStore()
    report = export(world, state, statuses=("Sent", "Paid"))
    assert Counter(o.status for o in part(report).outcomes) == {
        "created": 29 + 5, "updated": 14, "linked": 10 + 18, "failed": 17 + 4,
    }  # fmt: skip


# --------------------------------------------------------------------------------------- SIGKILL

KILL_POINTS: tuple[tuple[str, int], ...] = (
    ("qbo.write:after", 2),  # the first /batch of invoice writes applied, its answer lost with the process
    ("store.journal:after", 2),  # the invoice intents durable, nothing of them written
    ("qbo.write:before", 2),  # the first /batch of invoice writes about to go out
    ("store.commit:before", 2),  # the invoices written, their outcomes not recorded
    ("store.record_run:before", 2),  # everything done but the invoice run's log row
)


def outcome(world: World, state: StateStore) -> dict[str, Any]:
    """The QBO invoices' values and the state by invoice numbers (links, dead letters)."""
    numbers = {("connectwise", str(i.id)): n for n, i in cw_invoices(world).items()}
    numbers |= {("quickbooks", str(i.id)): n for n, i in qbo_invoices(world).items()}
    pairs = state.pairs(("connectwise", "invoice"), ("quickbooks", "Invoice"))
    return {
        "invoices": qbo_rows(world),
        "links": sorted((numbers[("connectwise", a)], numbers[("quickbooks", b)]) for a, b in pairs),
        "dead_letters": sorted((d.flow, d.source.id, d.error_type) for d in state.dead_letters()),
    }


@pytest.fixture(scope="module")
def uninterrupted() -> dict[str, Any]:
    world = seed_world("small", seed=1)
    state = MemoryStateStore()
    export(world, state)
    return outcome(world, state)


def _kill_params() -> list[Any]:
    return [
        pytest.param(point, nth, id=f"{point}-{nth}", marks=() if n == 0 else pytest.mark.slow)
        for n, (point, nth) in enumerate(KILL_POINTS)
    ]


@pytest.mark.parametrize(("point", "nth"), _kill_params())
def test_sigkill_then_a_rerun_ends_as_an_uninterrupted_run(
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
            "recipe": "invoices_to_quickbooks",
            "cw": world.cw.credentials(),
            "cw_url": cw_served.url,
            "qbo_url": qbo_served.url,
            "realm_id": world.qbo.realm_id,
            "qbo_token": world.qbo.credentials()["access_token"],
            "config": world.config.to_dict(),
            "now": world.clock.now().isoformat(),
            "integration_user": INTEGRATION_USER,
        }
        (tmp_path / "run.json").write_text(json.dumps(spec, default=str), encoding="utf-8")
        child = subprocess.run(  # noqa: S603 (our own interpreter and module)
            [sys.executable, "-m", "tests.sync._sigkill_recipe_child", str(tmp_path), point, str(nth)],
            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, timeout=120, check=False,
        )  # fmt: skip
        assert child.returncode == -signal.SIGKILL, child.stderr.decode()[-2000:]
        with SQLiteStateStore(tmp_path / "state.db") as state:
            export(world, state)  # settles what the killed run journalled, then finishes
            assert outcome(world, state) == uninterrupted
            numbers = Counter(i.doc_number for i in qbo_invoices(world).values())
            assert max(numbers.values()) == 1 and len(numbers) == 85
            world.clock.advance(3600)
            assert export(world, state).writes == 0
    finally:
        cw_served.stop()
        qbo_served.stop()
