"""The CRM recipes' example scripts run as written against the seeded world (``examples/run_all.py``
runs them as processes in the nox ``examples`` session; here they run in-process, in seconds)."""

from __future__ import annotations

import runpy
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


@pytest.fixture(autouse=True)
def _no_real_accounts(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("MSPLINK_CW_PRIVATE_KEY", "MSPLINK_SF_CLIENT_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.syspath_prepend(str(EXAMPLES))
    yield
    sys.modules.pop("_crm_common", None)


@pytest.mark.parametrize(
    ("script", "lines"),
    [
        (
            "closed_won_to_connectwise",
            [
                "dry run: 3 creates planned, 0 written",
                "rerun: 0 writes",
                "Onboarding: Kingsley Architects LLC",
            ],
        ),
        ("tickets_to_cases", ["dry run: 14 creates planned, 0 written", "rerun: 0 writes", "'Escalated': 8"]),
        ("renewals_to_salesforce", ["dry run: 5 creates planned, 0 written", "rerun: 0 writes", "14829.48"]),
        (
            "invoices_to_salesforce",
            [
                "dry run: 77 creates planned, 0 written",
                "rerun: 0 writes",
                "61 invoice records, 16 follow-up tasks",
            ],
        ),
    ],
)
def test_the_example_runs_against_the_seeded_world(
    script: str, lines: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    runpy.run_path(str(EXAMPLES / f"{script}.py"), run_name="__main__")
    out = capsys.readouterr().out
    for line in lines:
        assert line in out
