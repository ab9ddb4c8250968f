"""The finance recipes' example scripts run as written against the seeded world (``nox -s examples``
runs them as scripts too), and print the figures the recipe tests pin."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

EXAMPLES = Path(__file__).parents[3] / "examples"


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(autouse=True)
def no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("MSPLINK_CW_SITE", "MSPLINK_QBO_REALM_ID"):
        monkeypatch.delenv(name, raising=False)


def test_invoices_example(capsys: pytest.CaptureFixture[str]) -> None:
    load("invoices_to_quickbooks").main()
    out = capsys.readouterr().out.splitlines()
    assert out[:4] == [
        "plan: 30 invoices to create, 14 to update",
        "exported: 29 created, 14 updated, 10 linked",
        "left alone (payments applied in QuickBooks): 10",
        "dead letters (fix the mapping, then retry_dead_letters=True): 17",
    ]
    assert out[-1] == (
        "reconciliation: 78 pairs, 23 differences {'missing_in_quickbooks': 12, 'missing_in_connectwise': 0, "
        "'total': 0, 'tax': 0, 'balance': 11}"
    )


def test_time_example(capsys: pytest.CaptureFixture[str]) -> None:
    load("time_to_quickbooks").main()
    assert capsys.readouterr().out.splitlines() == [
        "unmapped members of billable time: fnovak",
        "time_activity: 45 entries posted, 0 adjusted, 13 dead letters",
        "journal: 58 entries posted, 0 adjusted, 0 dead letters",
        "a second run posts 0 entries",
    ]
