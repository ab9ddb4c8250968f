"""``reports.unified`` against a seeded world: every figure equals what a plain read of each system
says, the identity map joins rows, SF figures come from two GROUP BY aggregates, money keeps its
currency."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from msplink.models import Money
from msplink.sandbox import World, seed_world
from msplink.sync import MemoryStateStore
from msplink.sync.recipes import companies_and_customers
from msplink.sync.reports import HIGH_PRIORITIES, UnifiedReport, unified


@pytest.fixture(scope="module")
def world() -> World:
    return seed_world("small", seed=7)


@pytest.fixture(scope="module")
def report(world: World) -> tuple[UnifiedReport, dict[str, int]]:
    with world.clients() as c:
        before = {"cw": len(world.cw.requests), "qbo": len(world.qbo.requests), "sf": len(world.sf.requests)}
        result = unified(cw=c.cw, qbo=c.qbo, sf=c.sf, config=world.config, as_of=world.today)
        calls = {
            "cw": len(world.cw.requests) - before["cw"],
            "qbo": len(world.qbo.requests) - before["qbo"],
            "sf": len(world.sf.requests) - before["sf"],
        }
    return result, calls


def test_calls_one_read_per_collection_and_two_sf_aggregates(
    world: World, report: tuple[UnifiedReport, dict[str, int]]
) -> None:
    _, calls = report
    sf_queries = [r.query for r in world.sf.requests if r.path.endswith("/query")]
    with world.clients() as c:
        active = sum(1 for a in c.cw.agreements.list() if a.agreement_status == "Active")
    assert active == 36
    # CW: client discovery, companies, tickets, agreements, one additions read per active agreement, invoices.
    assert calls["cw"] == 1 + 1 + 1 + 1 + active + 1
    assert calls["qbo"] == 2  # customers, payments
    assert calls["sf"] == 1 + 3  # token, accounts, two aggregates
    assert sum("GROUP BY AccountId" in q for q in sf_queries) == 2


def test_without_links_every_record_is_its_own_row(
    world: World, report: tuple[UnifiedReport, dict[str, int]]
) -> None:
    result, _ = report
    counts = world.facts().counts
    records = counts["connectwise.companies"] + counts["quickbooks.Customer"] + counts["salesforce.Account"]
    assert len(result) == records == 34 + 29 + 27
    assert all(
        sum(x is not None for x in (r.connectwise_id, r.quickbooks_id, r.salesforce_id)) == 1 for r in result
    )
    assert result.currencies == ("USD",)


def test_totals_equal_plain_reads_of_each_system(
    world: World, report: tuple[UnifiedReport, dict[str, int]]
) -> None:
    result, _ = report
    totals = result.totals("USD")
    today = world.today
    since = today - timedelta(days=90)
    with world.clients() as c:
        opportunities = c.sf.query(
            "SELECT Amount, IsClosed, IsWon, CloseDate, AccountId FROM Opportunity"
        ).to_list()
        invoices = [i for i in c.cw.invoices.list() if i.balance and i.balance > 0]
        customers = c.qbo.customers.list().to_list()
        tickets = c.cw.tickets.list().to_list()
    open_opps = [o for o in opportunities if not o["IsClosed"] and o["AccountId"]]
    won = [
        o for o in opportunities if o["IsWon"] and o["AccountId"] and str(o["CloseDate"]) >= since.isoformat()
    ]
    assert totals["open_pipeline"] == Money(sum(Decimal(str(o["Amount"])) for o in open_opps), "USD")
    assert sum(r.open_opportunities for r in result) == len(open_opps)
    assert totals["won"] == Money(sum(Decimal(str(o["Amount"])) for o in won), "USD") == Money("35000", "USD")
    assert (
        totals["cw_outstanding"]
        == Money(sum(i.balance or 0 for i in invoices), "USD")
        == Money("193711.65", "USD")
    )
    overdue = sum(i.balance or 0 for i in invoices if i.due_date and i.due_date.date() < today)
    assert totals["cw_overdue"] == Money(overdue, "USD") == Money("58327.51", "USD")
    assert totals["qbo_balance"] == Money(sum(c.balance or 0 for c in customers), "USD")
    open_tickets = [t for t in tickets if not t.closed_flag]
    assert sum(r.open_tickets for r in result) == len(open_tickets)
    high = {p.casefold() for p in HIGH_PRIORITIES}
    assert sum(r.high_priority_tickets for r in result) == sum(
        1 for t in open_tickets if t.priority and (t.priority.name or "").casefold() in high
    )
    resolved = [t for t in tickets if t.closed_flag and t.closed_date and t.closed_date.date() >= since]
    assert sum(r.resolved_tickets for r in result) == len(resolved) > 0


def test_mean_time_to_resolve_by_hand(world: World, report: tuple[UnifiedReport, dict[str, int]]) -> None:
    result, _ = report
    row = next(r for r in result if r.resolved_tickets >= 2)
    with world.clients() as c:
        closed = [
            t
            for t in c.cw.tickets.list(where=f"company/id = {row.connectwise_id} and closedFlag = true")
            if t.closed_date and t.closed_date.date() >= world.today - timedelta(days=90)
        ]
    hours = [Decimal((t.closed_date - _entered(t)).total_seconds()) / 3600 for t in closed if t.closed_date]
    assert len(closed) == row.resolved_tickets
    assert row.mean_time_to_resolve_hours == (sum(hours, Decimal(0)) / len(hours)).quantize(Decimal("0.1"))


def _entered(ticket: Any) -> datetime:
    return datetime.fromisoformat(str(ticket.info["dateEntered"]).replace("Z", "+00:00"))


def test_the_identity_map_joins_linked_records(world: World) -> None:
    fresh = seed_world("small", seed=7)
    state = MemoryStateStore()
    with fresh.clients() as c:
        companies_and_customers(cw=c.cw, qbo=c.qbo, state=state, config=fresh.config, now=fresh.clock.now)
        pairs = state.pairs(("connectwise", "company"), ("quickbooks", "Customer"))
        joined = unified(cw=c.cw, qbo=c.qbo, sf=c.sf, state=state, config=fresh.config, as_of=fresh.today)
        apart = unified(cw=c.cw, qbo=c.qbo, sf=c.sf, config=fresh.config, as_of=fresh.today)
    assert len(pairs) == 33
    assert len(apart) - len(joined) == len(pairs)
    both = [r for r in joined if r.connectwise_id and r.quickbooks_id]
    assert sorted((r.connectwise_id, r.quickbooks_id) for r in both) == sorted(pairs)
    assert joined.totals("USD") == apart.totals("USD")  # joining moves figures, never changes them
    by_cw = {r.connectwise_id: r for r in joined if r.connectwise_id}
    cw_id, qbo_id = pairs[0]
    qbo_alone = next(r for r in apart if r.quickbooks_id == qbo_id)
    assert by_cw[cw_id].qbo_balance == qbo_alone.qbo_balance
    assert by_cw[cw_id].last_payment == qbo_alone.last_payment


def test_rows_render_as_text_dicts_and_dataframe(report: tuple[UnifiedReport, dict[str, int]]) -> None:
    result, _ = report
    text = str(result)
    assert text.startswith(
        "Unified report on 2026-03-09 (connectwise, quickbooks, salesforce; 90-day window): 90 customers"
    )
    assert text.splitlines()[-1].startswith("  total") and text.endswith("USD")
    row = result.to_dicts()[0]
    assert row["currency"] == "USD" and isinstance(row["cw_outstanding"], str)
    frame = result.to_pandas()
    assert len(frame) == len(result) and frame["cw_outstanding"].sum() == Decimal("193711.65")
    assert "<table>" in result._repr_html_()
    assert Counter(type(r).__name__ for r in result) == {"CustomerRow": 90}


def test_sf_and_qbo_are_optional_and_the_window_is_checked(world: World) -> None:
    with world.clients() as c:
        only_cw = unified(cw=c.cw, config=world.config, as_of=world.today)
        with pytest.raises(ValueError, match="window_days"):
            unified(cw=c.cw, window_days=0)
    assert only_cw.systems == ("connectwise",)
    assert len(only_cw) == 34
    assert only_cw.totals("USD")["open_pipeline"] == Money("0", "USD")
