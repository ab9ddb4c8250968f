"""``python -m msplink demo`` runs end to end against the sandboxes with exact, repeatable numbers."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

from msplink.__main__ import main
from msplink._demo import run_demo


def test_demo_syncs_every_company_once_and_nothing_twice() -> None:
    lines: list[str] = []
    report = run_demo(size=25, seed=3, say=lines.append)

    assert report.companies == 25
    assert report.mapping_failures == 0
    assert (report.qbo_created_first_run, report.qbo_created_second_run) == (25, 0)
    assert (report.sf_created_first_run, report.sf_created_second_run, report.sf_updated_second_run) == (
        25,
        0,
        25,
    )
    assert report.mrr_total > Decimal("0")
    # QuickBooks: terms + customers queries, 1 batch (25 <= 30); second run: 1 customers query only.
    assert report.calls["quickbooks"] == 2 + 1 + 1
    # Salesforce: 1 token + one collection upsert per run.
    assert report.calls["salesforce"] == 1 + 1 + 1
    assert any("matched by external id" in line for line in lines)


def test_demo_is_deterministic() -> None:
    first, second = (
        run_demo(size=10, seed=5, say=lambda s: None),
        run_demo(size=10, seed=5, say=lambda s: None),
    )
    assert first == second


def test_command_line_entry_point() -> None:
    assert main(["demo", "--size", "3"]) == 0
    result = subprocess.run(
        [sys.executable, "-m", "msplink", "demo", "--size", "3"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "API calls served" in result.stdout
