"""``reports.reconciliation``: every CW invoice against its QBO invoice, on the seeded world and as a
pure comparison (hypothesis: it reports exactly the differences injected, nothing else)."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from msplink.connectwise import models as cw
from msplink.quickbooks import models as qbo
from msplink.sandbox import World, seed_world
from msplink.sync import MemoryStateStore, StateStore
from msplink.sync.recipes import invoices_to_quickbooks
from msplink.sync.reports import InvoiceDifference, Reconciliation, reconcile, reconciliation
from msplink.sync.reports._reconciliation import InvoiceFigures
from tests.sync._recipes import INTEGRATION_USER, person

FLOW = "cw-invoices-to-qbo-invoices"


def export(world: World, state: StateStore, **options: Any) -> None:
    with world.clients() as c:
        invoices_to_quickbooks(
            cw=c.cw, qbo=c.qbo, state=state, config=options.pop("config", world.config), now=world.clock.now,
            cw_integration_user=INTEGRATION_USER, **options,
        )  # fmt: skip


def reconcile_world(world: World, state: StateStore, **options: Any) -> Reconciliation:
    with world.clients() as c:
        return reconciliation(cw=c.cw, qbo=c.qbo, state=state, **options)


def complete(world: World, state: StateStore) -> None:
    """What the MSP's people and the other recipes do: add the missing mappings, decide the ambiguous
    customer, export again with the dead letters; then record in CW the payments QuickBooks holds (what
    ``payments_to_connectwise`` does), so both sides agree on every balance."""
    export(world, state)
    with world.clients() as c:
        net45 = c.qbo.terms.create(qbo.Term(name="Net 45", due_days=45))
    config = world.config.with_entries("tax_codes", {"OOS": "NON"}).with_entries(
        "terms", {"Net 45 days": str(net45.id)}
    )
    [pair] = [p for p in world.facts().ambiguous_pairs if p.system == "quickbooks"]
    [question] = [q for q in state.conflicts() if q.kind == "match" and q.source.id == pair.source_id]
    assert question.id is not None
    state.resolve_conflict(question.id, take=pair.candidates[0])
    export(world, state, config=config, retry_dead_letters=True)
    before = reconcile_world(world, state)
    with person(world) as c:
        for difference in before.differences:
            assert difference.kind == "balance" and difference.delta is not None and difference.delta < 0
            payment = cw.InvoicePayment(
                amount=-difference.delta,
                type="Payment",
                payment_date=datetime(2026, 3, 9, tzinfo=timezone.utc),
            )
            c.cw.invoices.payments(int(str(difference.connectwise_id))).create(payment)


def test_after_the_first_export_the_gaps_are_the_blocked_invoices_and_the_payments_cw_lacks() -> None:
    world, state = seed_world("small", seed=1), MemoryStateStore()
    export(world, state)
    result = reconcile_world(world, state)
    assert result.counts() == {
        "missing_in_quickbooks": 12, "missing_in_connectwise": 0, "total": 0, "tax": 0, "balance": 11,
    }  # fmt: skip
    assert result.pairs == 78
    assert result.connectwise_total == result.quickbooks_total == Decimal("170697.54")
    # the balances differ by exactly what QuickBooks received and ConnectWise has not recorded
    assert result.connectwise_balance - result.quickbooks_balance == Decimal("11892.96")
    assert sum((-d.delta for d in result.differences if d.delta is not None), Decimal(0)) == Decimal(
        "11892.96"
    )
    assert "  INV-000003: balance differs: CW 2154.90, QBO 1077.45 (-1077.45)" in str(result).splitlines()


def test_after_the_recipes_run_there_are_zero_differences_then_exactly_the_injected_ones() -> None:
    world, state = seed_world("small", seed=1), MemoryStateStore()
    complete(world, state)
    clean = reconcile_world(world, state)
    assert clean.differences == () and not clean
    assert clean.pairs == 90 and clean.connectwise_balance == clean.quickbooks_balance
    assert (
        reconcile_world(world, state, statuses=None).counts()["missing_in_quickbooks"] == 7
    )  # paid, never asked for

    with world.clients() as c:
        by_number: dict[Any, Any] = {i.doc_number: i for i in c.qbo.invoices.list().to_list()}
        cw_by_number: dict[Any, Any] = {i.invoice_number: i for i in c.cw.invoices.list().to_list()}
    edited, deleted = by_number["INV-000008"], by_number["INV-000010"]
    with person(world) as c:
        lines = [dict(x) for x in edited.raw["Line"] if x.get("DetailType") == "SalesItemLineDetail"]
        lines[0]["Amount"] = Decimal(lines[0]["Amount"]) + Decimal("10.00")
        lines[0]["SalesItemLineDetail"]["Qty"] = None
        lines[0]["SalesItemLineDetail"]["UnitPrice"] = None
        c.qbo.invoices.update(
            {"Id": edited.id, "SyncToken": edited.sync_token, "sparse": True, "Line": lines}
        )
        c.qbo.invoices.delete(str(deleted.id), sync_token=str(deleted.sync_token))
        c.cw.invoices.update(cw_by_number["INV-000012"].id, cw.InvoiceUpdate(sales_tax=Decimal("5.00")))
    result = reconcile_world(world, state)
    cw8, cw10, cw12 = cw_by_number["INV-000008"], cw_by_number["INV-000010"], cw_by_number["INV-000012"]
    assert result.differences == (
        InvoiceDifference(
            kind="missing_in_quickbooks", number="INV-000010", connectwise_id=str(cw10.id), connectwise=cw10.total
        ),
        InvoiceDifference(
            kind="total", number="INV-000008", connectwise_id=str(cw8.id), quickbooks_id=str(edited.id),
            connectwise=cw8.total, quickbooks=cw8.total + Decimal("10.00"),
        ),
        InvoiceDifference(
            kind="tax", number="INV-000012", connectwise_id=str(cw12.id),
            quickbooks_id=str(by_number["INV-000012"].id), connectwise=Decimal("5.00"), quickbooks=Decimal("0.00"),
        ),
        InvoiceDifference(
            kind="balance", number="INV-000008", connectwise_id=str(cw8.id), quickbooks_id=str(edited.id),
            connectwise=cw8.balance, quickbooks=cw8.balance + Decimal("10.00"),
        ),
    )  # fmt: skip
    rows = result.to_dicts()
    assert rows[1] == {
        "kind": "total", "number": "INV-000008", "connectwise_id": str(cw8.id), "quickbooks_id": str(edited.id),
        "connectwise": str(cw8.total), "quickbooks": str(cw8.total + Decimal("10.00")), "delta": "10.00",
    }  # fmt: skip
    frame = result.to_pandas()
    assert list(frame["kind"]) == ["missing_in_quickbooks", "total", "tax", "balance"]
    assert frame["delta"].iloc[1] == Decimal("10.00")


# ------------------------------------------------------------------------------------- hypothesis

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2)


@st.composite
def books(draw: st.DrawFn) -> tuple[list[InvoiceFigures], list[InvoiceFigures], list[tuple[str, str]]]:
    n = draw(st.integers(min_value=0, max_value=12))
    cw_rows, qbo_rows, links = [], [], []
    for k in range(n):
        total, paid = draw(amounts), draw(st.integers(min_value=0, max_value=100))
        balance = (total * paid / 100).quantize(Decimal("0.01"))
        number = f"INV-{k:04d}"
        cw_rows.append(
            InvoiceFigures(id=str(k + 1), number=number, total=total, balance=balance, status="Sent")
        )
        qbo_rows.append(InvoiceFigures(id=str(500 + k), number=number, total=total, balance=balance))
        if draw(st.booleans()):
            links.append((str(k + 1), str(500 + k)))
    return cw_rows, qbo_rows, links


@settings(max_examples=150, deadline=None)
@given(books(), st.data())
def test_reconcile_reports_exactly_the_injected_differences(
    book: tuple[list[InvoiceFigures], list[InvoiceFigures], list[tuple[str, str]]], data: st.DataObject
) -> None:
    import attrs

    cw_rows, qbo_rows, links = book
    assert reconcile(cw_rows, qbo_rows, links).differences == ()
    expected: set[tuple[str, str | None]] = set()
    kept_qbo = []
    for row in qbo_rows:
        edit = data.draw(st.sampled_from(["none", "total", "balance", "tax", "drop"]))
        number = row.number
        if edit == "drop":
            expected.add(("missing_in_quickbooks", number))
            continue
        if edit in ("total", "balance", "tax"):
            delta = data.draw(amounts)
            row = attrs.evolve(row, **{edit: getattr(row, edit) + delta})
            expected.add((edit, number))
        kept_qbo.append(row)
    result = reconcile(cw_rows, kept_qbo, links)
    assert {(d.kind, d.number) for d in result.differences} == expected
    assert len(result.differences) == len(expected)
    assert result.pairs == len(kept_qbo)
    assert all(d.delta is None or d.delta != 0 for d in result.differences)


def test_a_qbo_invoice_linked_to_a_vanished_cw_invoice_is_missing_in_connectwise() -> None:
    cw_rows = [InvoiceFigures(id="1", number="INV-1", total=Decimal("10"))]
    qbo_rows = [
        InvoiceFigures(id="7", number="INV-1", total=Decimal("10")),
        InvoiceFigures(id="8", number="INV-2", total=Decimal("20")),
        InvoiceFigures(id="9", number="Q-1", total=Decimal("30")),
    ]
    result = reconcile(cw_rows, qbo_rows, [("1", "7"), ("2", "8")])
    assert [(d.kind, d.quickbooks_id) for d in result.differences] == [("missing_in_connectwise", "8")]
    everything = reconcile(cw_rows, qbo_rows, [("1", "7"), ("2", "8")], quickbooks_only=True)
    assert [(d.kind, d.quickbooks_id) for d in everything.differences] == [
        ("missing_in_connectwise", "8"), ("missing_in_connectwise", "9"),
    ]  # fmt: skip
    assert str(everything).splitlines()[1:] == [
        "  INV-2: missing in ConnectWise (QBO invoice 8, total 20.00)",
        "  Q-1: missing in ConnectWise (QBO invoice 9, total 30.00)",
    ]
