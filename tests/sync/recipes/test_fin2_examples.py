"""The finance recipes' example scripts run as written against a seeded world (``examples/run_all.py``
runs them too, in CI's ``nox -s examples``)."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


@pytest.mark.parametrize(
    ("script", "lines"),
    [
        (
            "payments_to_connectwise.py",
            ["11 created, 30 updated, 87 linked, 1 skipped", "second run: 0 writes"],
        ),
        (
            "purchase_orders_to_quickbooks.py",
            ["after linking the clients: 4 more bills", "bill INGR-70000 from INGRAM MICRO: 4995.00"],
        ),
        (
            "agreements_to_quickbooks.py",
            ["33 created", "MRR on 2026-03-03: 66593.83 USD", "2026-08        49647.98 USD  (29)"],
        ),
    ],
)
def test_example_runs_against_the_sandbox(
    script: str, lines: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("MSPLINK_CW_SITE", "MSPLINK_QBO_REALM_ID"):
        monkeypatch.delenv(name, raising=False)
    runpy.run_path(str(EXAMPLES / script), run_name="__main__")
    out = capsys.readouterr().out
    for line in lines:
        assert line in out, line
