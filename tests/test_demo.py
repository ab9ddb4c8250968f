"""``python -m msplink demo``: every recipe twice against a seeded world; the second pass writes nothing,
every figure printed adds up, ``--workdir`` continues across invocations."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from msplink.demo import DemoReport, dependency_order, minimum_calls, run_demo
from msplink.sync import SyncReport
from msplink.sync.recipes import RECIPES

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def demo() -> tuple[DemoReport, list[str]]:
    lines: list[str] = []
    return run_demo(size=12, seed=3, say=lines.append, progress=False), lines


def test_every_recipe_runs_in_order_and_the_second_pass_writes_nothing(
    demo: tuple[DemoReport, list[str]],
) -> None:
    report, lines = demo
    assert sorted(report.order) == sorted(RECIPES)
    assert [s.recipe for s in report.steps] == [*report.order, *report.order]
    assert report.writes(1) > 0
    assert report.writes(2) == 0
    assert "  the second pass wrote nothing: every record was recognised as already in step" in lines


def test_calls_of_the_steps_add_up_to_the_totals(demo: tuple[DemoReport, list[str]]) -> None:
    report, lines = demo
    total: Counter[str] = Counter(report.report_calls)
    for step in report.steps:
        total.update(step.calls)
        assert all(step.calls.get(s, 0) >= n for s, n in step.minimum.items())  # never below the minimum
    assert {s: total[s] for s in report.calls} == dict(report.calls)
    printed = next(line for line in lines if line.startswith("API calls served in all: "))
    assert printed.endswith(f"= {sum(report.calls.values())} API calls")
    first = report.pass_calls(1)
    pass_line = next(line for line in lines if line.startswith("  pass total: "))
    assert f"= {sum(first.values())} API calls" in pass_line


def test_what_waits_for_a_person_is_listed_not_applied(demo: tuple[DemoReport, list[str]]) -> None:
    report, lines = demo
    head = next(line for line in lines if line.startswith("Waiting for review"))
    assert head == (
        "Waiting for review (msplink never applies these by itself): "
        f"{len(report.conflicts)} conflicts, {len(report.dead_letters)} dead letters"
    )
    assert all(c.status == "open" for c in report.conflicts)


def test_money_carries_its_currency(demo: tuple[DemoReport, list[str]]) -> None:
    report, lines = demo
    aging = report.aging
    total = aging.totals("USD")["total"]
    printed = "\n".join(lines).splitlines()
    assert any(line.strip().startswith("total") and line.endswith("USD") for line in printed)
    assert f"{total.amount:,.2f}  USD" in "\n".join(lines)


def test_the_same_seed_gives_the_same_run() -> None:
    def figures() -> list[tuple[str, int, int, dict[str, int]]]:
        report = run_demo(size=6, seed=11, say=lambda _: None, progress=False)
        return [(s.recipe, s.round, s.report.writes, dict(s.calls)) for s in report.steps]

    assert figures() == figures()


# --------------------------------------------------------------------------------- ordering


def _flow(name: str, source: tuple[str, str], target: tuple[str, str]) -> Any:
    return SimpleNamespace(
        name=name,
        source=SimpleNamespace(system=source[0], object=source[1]),
        target=SimpleNamespace(system=target[0], object=target[1]),
    )


def _recipes(after: dict[str, tuple[str, ...]]) -> Any:
    return {name: SimpleNamespace(after=names) for name, names in after.items()}


def test_dependency_order_runs_each_recipe_after_those_it_names() -> None:
    recipes = _recipes(
        {
            "payments": ("invoices",),
            "companies": (),
            "accounts": ("companies", "elsewhere"),
            "invoices": ("companies",),
        }
    )
    # ties keep the registry order; a name not in the registry is no dependency
    assert dependency_order(recipes) == ["companies", "accounts", "invoices", "payments"]
    with pytest.raises(ValueError, match="cycle"):
        dependency_order(_recipes({"a": ("b",), "b": ("a",), "c": ()}))


def test_the_registry_runs_links_before_the_recipes_that_need_them() -> None:
    order = dependency_order(RECIPES)
    before = [
        ("companies_and_customers", "invoices_to_quickbooks"),
        ("invoices_to_quickbooks", "payments_to_connectwise"),
        ("companies_and_customers", "agreements_to_quickbooks"),
        ("leads_to_connectwise", "accounts_and_contacts"),
        ("closed_won_to_connectwise", "accounts_and_contacts"),
        ("accounts_and_contacts", "invoices_to_quickbooks"),
        ("payments_to_connectwise", "invoices_to_salesforce"),
        ("closed_won_to_connectwise", "tickets_to_cases"),
        ("accounts_and_contacts", "renewals_to_salesforce"),
    ]
    for first, then in before:
        assert order.index(first) < order.index(then), (first, then)


@given(st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7)), max_size=20))
def test_dependency_order_respects_every_edge_of_an_acyclic_graph(edges: list[tuple[int, int]]) -> None:
    acyclic = {(a, b) for a, b in edges if a < b}  # b runs after a
    names = [f"r{i}" for i in range(8)][::-1]  # registry order opposite to the edges' direction
    order = dependency_order(_recipes({n: tuple(f"r{a}" for a, b in acyclic if f"r{b}" == n) for n in names}))
    assert sorted(order) == sorted(names)
    for a, b in acyclic:
        assert order.index(f"r{a}") < order.index(f"r{b}")


def test_minimum_calls_by_hand() -> None:
    now = datetime(2026, 3, 9, tzinfo=timezone.utc)

    def part(flow: str, records: int, writes: int) -> SyncReport:
        return SyncReport(flow=flow, started_at=now, ended_at=now, counts={"create": records}, writes=writes)

    report = SyncReport.combine("r", [part("f", 2500, 61), part("b", 0, 0), part("s", 1, 1001)])
    flows = [
        _flow("f", ("connectwise", "company"), ("quickbooks", "Customer")),
        _flow("b", ("quickbooks", "Customer"), ("connectwise", "company")),
        _flow("s", ("quickbooks", "Customer"), ("salesforce", "Account")),
    ]
    # f: 3 CW pages of 1,000 + 3 QBO batches of 30; b and s read the same QBO Customer object: one
    # read between them (issue 18: flows of a recipe can share it); s: 1,001 SF writes, two calls of
    # up to five collections of 200
    assert minimum_calls(report, flows) == {"connectwise": 3, "quickbooks": 4, "salesforce": 2}


# ------------------------------------------------------------------------------ the command line


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own module
        [sys.executable, "-m", "msplink", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        timeout=300,
    )


def test_workdir_continues_across_two_invocations(tmp_path: Path) -> None:
    work = tmp_path / "world"
    first = _cli("demo", "--size", "8", "--seed", "5", "--workdir", str(work), "--json", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    one = json.loads(first.stdout)
    assert (one["resumed"], one["size"], one["seed"]) == (False, 8, 5)
    assert one["writes"]["first"] > 0 and one["writes"]["second"] == 0
    assert sorted(p.name for p in work.iterdir()) == [
        "config.json", "connectwise.json", "quickbooks.json", "salesforce.json", "state.sqlite", "world.json",
    ]  # fmt: skip
    assert (work / "state.sqlite").stat().st_mode & 0o777 == 0o600

    second = _cli("demo", "--workdir", str(work), "--json", cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    two = json.loads(second.stdout)
    assert (two["resumed"], two["size"], two["seed"]) == (True, 8, 5)
    assert two["writes"] == {"first": 0, "second": 0}
    assert two["conflicts"] == one["conflicts"] and two["dead_letters"] == one["dead_letters"]
    assert two["ar_aging"] == one["ar_aging"]


def test_the_readme_command_prints_the_report(tmp_path: Path) -> None:
    result = _cli("demo", "--size", "6", "--no-progress", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for heading in ("First pass: ", "Waiting for review", "Reports", "AR aging on ", "Second pass: "):
        assert heading in out, heading
    assert "the second pass wrote nothing" in out
    assert result.stderr == ""
