"""Every script in ``examples/`` runs as ``examples/run_all.py`` runs it (no MSPLINK_* credentials in
the environment: each falls back to the sandboxes), in-process to keep the suite fast, and prints the
figures its recipe's tests pin (:data:`PRINTS`). This is the one place the suite runs the examples."""

from __future__ import annotations

import os
import runpy
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SCRIPTS = sorted(p for p in EXAMPLES.glob("*.py") if p.name != "run_all.py" and not p.name.startswith("_"))

PRINTS: dict[str, list[str]] = {
    "closed_won_to_connectwise": [
        "dry run: 3 creates planned, 0 written",
        "rerun: 0 writes",
        "Onboarding: Kingsley Architects LLC",
    ],
    "tickets_to_cases": ["dry run: 14 creates planned, 0 written", "rerun: 0 writes", "'Escalated': 8"],
    "renewals_to_salesforce": ["dry run: 5 creates planned, 0 written", "rerun: 0 writes", "14829.48"],
    "invoices_to_salesforce": [
        "dry run: 77 creates planned, 0 written",
        "rerun: 0 writes",
        "61 invoice records, 16 follow-up tasks",
    ],
    "invoices_to_quickbooks": [
        "plan: 30 invoices to create, 14 to update",
        "exported: 29 created, 14 updated, 10 linked",
        "left alone (payments applied in QuickBooks): 10",
        "dead letters (fix the mapping, then retry_dead_letters=True): 17",
        "reconciliation: 78 pairs, 23 differences {'missing_in_quickbooks': 12, 'missing_in_connectwise': 0, "
        "'total': 0, 'tax': 0, 'balance': 11}",
    ],
    "accounts_and_contacts": [
        "first sync: 113 writes",
        "second sync after an edit on each side: 2 writes",
        "CW market 'Manufacturing', SF phone '+1 555 010 0001'",
    ],
    "leads_to_connectwise": [
        "first run: 12 writes",
        "after qualifying Tara Lee of Redwood Plumbing Prospect 6: 3 writes",
        ": Tara Lee at Redwood Plumbing Prospect 6 (",
        "a rerun writes 0",
    ],
    "payments_to_connectwise": ["11 created, 30 updated, 87 linked, 1 skipped", "second run: 0 writes"],
    "purchase_orders_to_quickbooks": [
        "after linking the clients: 4 more bills",
        "bill INGR-70000 from INGRAM MICRO: 4995.00",
    ],
    "agreements_to_quickbooks": [
        "33 created",
        "MRR on 2026-03-03: 66593.83 USD",
        "2026-08        49647.98 USD  (29)",
    ],
    "time_to_quickbooks": [
        "unmapped members of billable time: fnovak",
        "time_activity: 45 entries posted, 0 adjusted, 13 dead letters",
        "journal: 58 entries posted, 0 adjusted, 0 dead letters",
        "a second run posts 0 entries",
    ],
}
OCCURRENCES: dict[str, dict[str, int]] = {"accounts_and_contacts": {"  match ": 3, "  failed ": 4}}
"""How often an example prints a text (what waits for review, one line each)."""

"""What an example must print (each within one line of its output): the figures its recipe's tests pin
for the seeded world it falls back to."""


def test_there_are_examples() -> None:
    assert len(SCRIPTS) >= 9


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_example_runs(
    script: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in [v for v in os.environ if v.startswith("MSPLINK_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(script.parent)
    monkeypatch.setattr("sys.argv", [str(script)])
    monkeypatch.syspath_prepend(str(EXAMPLES))  # as when run as a script: its folder comes first
    try:
        runpy.run_path(str(script), run_name="__main__")
    except SystemExit as exit:
        assert exit.code in (0, None), exit.code
    finally:
        for name in [m for m in sys.modules if m.startswith("_crm_common")]:
            del sys.modules[name]  # the examples' shared helper, imported from the folder above
    out = capsys.readouterr().out
    assert out.strip(), "an example says what it did"
    lines = out.splitlines()
    for expected in PRINTS.get(script.stem, []):
        assert any(expected in line for line in lines), expected
    for text, times in OCCURRENCES.get(script.stem, {}).items():
        assert out.count(text) == times, text


def test_every_pinned_example_exists() -> None:
    assert set(PRINTS) | set(OCCURRENCES) <= {p.stem for p in SCRIPTS}
