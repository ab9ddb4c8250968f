"""Every script in ``examples/`` runs as ``examples/run_all.py`` runs it (no MSPLINK_* credentials in
the environment: each falls back to the sandboxes), in-process to keep the suite fast."""

from __future__ import annotations

import os
import runpy
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SCRIPTS = sorted(p for p in EXAMPLES.glob("*.py") if p.name != "run_all.py" and not p.name.startswith("_"))


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
    try:
        runpy.run_path(str(script), run_name="__main__")
    except SystemExit as exit:
        assert exit.code in (0, None), exit.code
    assert capsys.readouterr().out.strip(), "an example says what it did"
