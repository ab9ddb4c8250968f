"""``reports.ar_aging``: buckets by hand, a property that nothing open is lost, QBO and CW sources
against a seeded world, and the chart rendered to a PNG with the Agg canvas."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from msplink.models import Invoice, Link, Money
from msplink.sandbox import World, seed_world
from msplink.sync.reports import BUCKETS, ArAging, ar_aging
from msplink.sync.reports._ar_aging import age, bucket_of

TODAY = date(2026, 3, 9)


def _invoice(customer: str, balance: str | None, due: date | None, currency: str = "USD") -> Invoice:
    return Invoice(
        customer=Link.to("quickbooks", "Customer", customer, display=f"Customer {customer}"),
        currency=currency,
        balance=Money(balance, currency) if balance is not None else None,
        due_date=due,
        issue_date=TODAY - timedelta(days=200),
    )


@pytest.fixture(scope="module")
def world() -> World:
    return seed_world("small", seed=7)


def test_bucket_edges() -> None:
    assert [bucket_of(d) for d in (-5, 0, 1, 30, 31, 60, 61, 90, 91, 400)] == [
        "current", "current", "1-30", "1-30", "31-60", "31-60", "61-90", "61-90", "90+", "90+",
    ]  # fmt: skip


def test_invoices_by_hand() -> None:
    report = age(
        [
            _invoice("1", "100.00", TODAY),  # due today: current
            _invoice("1", "50.25", TODAY - timedelta(days=1)),  # 1-30
            _invoice("1", "0.00", TODAY - timedelta(days=100)),  # paid: left out
            _invoice("2", "10.00", TODAY - timedelta(days=31)),  # 31-60
            _invoice("2", "20.00", TODAY - timedelta(days=91)),  # 90+
            _invoice("3", "7.00", TODAY - timedelta(days=61), currency="EUR"),  # 61-90, another currency
            _invoice("4", "-3.00", TODAY - timedelta(days=5)),  # a credit: not a receivable
            _invoice("5", None, TODAY),  # no balance known
        ],
        as_of=TODAY,
    )
    rows = {(r.customer_id, r.currency): r for r in report}
    assert len(report) == 3
    assert [m.amount for m in rows[("1", "USD")].buckets] == [Decimal("100.00"), Decimal("50.25"), 0, 0, 0]
    assert rows[("1", "USD")].invoices == 2
    assert rows[("1", "USD")].overdue == Money("50.25", "USD")
    assert [m.amount for m in rows[("2", "USD")].buckets] == [0, 0, Decimal("10.00"), 0, Decimal("20.00")]
    assert rows[("3", "EUR")].amount("61-90") == Money("7.00", "EUR")
    assert report.totals("USD") == {
        "current": Money("100.00", "USD"),
        "1-30": Money("50.25", "USD"),
        "31-60": Money("10.00", "USD"),
        "61-90": Money("0", "USD"),
        "90+": Money("20.00", "USD"),
        "total": Money("180.25", "USD"),
    }
    assert report.currencies == ("EUR", "USD")
    assert report[0].customer == "Customer 3"  # EUR sorts first, then the largest USD balance
    assert "180.25  USD" in str(report)
    assert report.to_dict()["totals"]["EUR"]["61-90"] == "7.00"


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["1", "2", "3"]),
            st.decimals(min_value=Decimal("-50"), max_value=Decimal("5000"), places=2),
            st.integers(min_value=-60, max_value=400),
        ),
        max_size=40,
    )
)
def test_every_open_cent_lands_in_exactly_one_bucket(items: list[tuple[str, Decimal, int]]) -> None:
    invoices = [_invoice(c, str(b), TODAY - timedelta(days=d)) for c, b, d in items]
    report = age(invoices, as_of=TODAY)
    open_total = sum((b for _, b, _ in items if b > 0), Decimal(0))
    assert report.totals("USD")["total"].amount == open_total
    assert sum(r.invoices for r in report) == sum(1 for _, b, _ in items if b > 0)
    for customer, balance, days in items:
        if balance > 0:
            row = next(r for r in report if r.customer_id == customer)
            assert row.amount(bucket_of(days)).amount >= balance


def test_quickbooks_open_invoices_in_one_query(world: World) -> None:
    with world.clients() as c:
        expected = [
            (inv.customer_ref.value, inv.balance, inv.due_date)
            for inv in c.qbo.invoices.list()
            if inv.balance and inv.balance > 0 and inv.customer_ref and inv.due_date
        ]
        before = len(world.qbo.requests)
        report = ar_aging(qbo=c.qbo, config=world.config, as_of=world.today)
        served = world.qbo.requests[before:]
    assert [(r.method, r.path.rsplit("/", 1)[-1]) for r in served] == [
        ("POST", "query")
    ]  # the query is the body
    assert report.source == "quickbooks"
    assert sum(r.invoices for r in report) == len(expected) == 33
    assert report.totals("USD")["total"].amount == sum(b for _, b, _ in expected) == Decimal("50186.20")
    for customer, balance, due in expected:
        row = next(r for r in report if r.customer_id == customer)
        assert row.amount(bucket_of((world.today - due).days)).amount >= balance


def test_connectwise_balances_and_one_source_only(world: World) -> None:
    with world.clients() as c:
        expected = sum(i.balance for i in c.cw.invoices.list() if i.balance and i.balance > 0)
        report = ar_aging(cw=c.cw, config=world.config, as_of=world.today)
        with pytest.raises(ValueError, match="exactly one"):
            ar_aging(cw=c.cw, qbo=c.qbo)
    with pytest.raises(ValueError, match="exactly one"):
        ar_aging()
    assert report.source == "connectwise"
    assert report.totals("USD")["total"].amount == expected == Decimal("193711.65")


def test_plot_renders_a_png(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    report = age(
        [_invoice("1", "100.00", TODAY), _invoice("2", "40.00", TODAY - timedelta(days=45))], as_of=TODAY
    )
    target = tmp_path / "aging.png"
    figure = report.plot(target)
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    axes = figure.axes[0]
    assert [t.get_text() for t in axes.get_xticklabels()] == list(BUCKETS)
    assert [p.get_height() for p in axes.patches] == [100.0, 0.0, 40.0, 0.0, 0.0]
    assert "USD" in axes.get_ylabel()


def test_empty_report_reads_well() -> None:
    report = ArAging(as_of=TODAY, source="invoices", rows=())
    assert str(report) == "AR aging on 2026-03-09 (invoices): nothing open"
    assert report.totals("USD")["total"] == Money("0", "USD")
    assert list(report.to_pandas().columns) == [
        "customer",
        "customer_id",
        "currency",
        *BUCKETS,
        "total",
        "invoices",
    ]
