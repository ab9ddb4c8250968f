"""``python -m msplink``: --help everywhere, each subcommand against a saved world, --json, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from msplink.__main__ import COMMANDS, build_parser, main
from msplink.quickbooks import models as qbo
from msplink.sandbox import load_world, seed_world
from msplink.sync import SQLiteStateStore
from tests.sync._recipes import edit_company, edit_customer, person

RECIPE = "companies_and_customers"


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    """A small world saved as the demo's --workdir saves it (seed 1: 34 CW companies, 29 QBO customers)."""
    return seed_world("small", seed=1).save(tmp_path / "world")


def _json(capsys: pytest.CaptureFixture[str]) -> Any:
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_subcommand_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit:
        main([command, "--help"])
    assert exit.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: python -m msplink {command}")
    assert "exit codes: 0 done; 1 done, but" in out


def test_top_level_help_lists_every_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for name, command in COMMANDS.items():
        assert name in out and command.help[:30] in out
    assert build_parser().prog == "python -m msplink"


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["sync", "no_such_recipe"], ["nothing"], ["resolve", "1"], ["demo", "--size", "huge"]):
        with pytest.raises(SystemExit) as exit:
            main(argv)
        assert exit.value.code == 2, argv
    capsys.readouterr()


def test_sync_plan_and_the_review_queues_against_a_saved_world(
    saved: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # plan: nothing written
    assert main(["plan", RECIPE, "--sandbox", str(saved), "--json"]) == 0
    plans = _json(capsys)
    assert isinstance(plans, list) and len(plans) == 2
    assert [p["flow"] for p in plans] == ["cw-companies-to-qbo-customers", "qbo-customers-to-cw-companies"]
    assert SQLiteStateStore(saved / "state.sqlite").runs() == []

    # dry run: every record planned, nothing written
    assert main(["sync", RECIPE, "--dry-run", "--sandbox", str(saved), "--json"]) == 0
    [dry] = _json(capsys)
    assert dry["dry_run"] is True and dry["writes"] == 0
    assert dry["outcome_counts"]["planned"] == sum(dry["counts"].values()) > 0

    # the run: the recipe's own figures (tests/sync/test_recipe.py pins them for seed 1)
    assert main(["sync", RECIPE, "--sandbox", str(saved), "--json"]) == 1
    [first] = _json(capsys)
    assert first["writes"] == 29 and first["outcome_counts"]["failed"] == 3  # a term; 2 wait for a decision
    # the world was saved back: a second sync continues it and writes nothing
    assert main(["sync", RECIPE, "--sandbox", str(saved)]) == 0
    out = capsys.readouterr().out
    assert "[ok]" in out and ": 0 writes" in out

    assert main(["runs", "--sandbox", str(saved), "--json"]) == 0
    runs = _json(capsys)
    assert isinstance(runs, list)
    assert [(r["flow"], r["dry_run"]) for r in runs][-2:] == [
        ("cw-companies-to-qbo-customers", False),
        ("qbo-customers-to-cw-companies", False),
    ]
    assert runs[-1]["writes"] == 0 and runs[-2]["writes"] == 0

    # a person changes one linked pair's phone number on both sides: the next sync asks which to keep
    world = load_world(saved)
    with person(world) as c:
        edit_company(c, 10, phone_number="+1 555 111 1010")
        edit_customer(c, "9", primary_phone=qbo.Telephone(free_form_number="+1 555 999 0909"))
    world.save(saved)
    assert main(["sync", RECIPE, "--sandbox", str(saved), "--json"]) == 1
    assert [r["writes"] for r in _json(capsys)] == [0]

    assert main(["conflicts", "--sandbox", str(saved), "--json"]) == 0
    conflicts = _json(capsys)
    # the store's open questions: the ambiguous pair (asked once; its customers wait as dead letters) and
    # the contested phone
    assert isinstance(conflicts, list) and len(conflicts) == 2
    assert sorted((c["kind"], c["field"]) for c in conflicts) == [("field", "phone"), ("match", "$match")]
    field = next(c for c in conflicts if c["kind"] == "field")
    assert main(["resolve", str(field["id"]), "--take", "target", "--sandbox", str(saved)]) == 0
    assert "decided: the next sync of its recipe writes it" in capsys.readouterr().out
    assert main(["conflicts", "--status", "resolved", "--sandbox", str(saved), "--json"]) == 0
    assert [c["id"] for c in _json(capsys)] == [field["id"]]

    match = next(c for c in conflicts if c["kind"] == "match")
    assert main(["resolve", str(match["id"]), "--take", "target", "--sandbox", str(saved)]) == 3
    assert "ambiguous match" in capsys.readouterr().err

    assert main(["dead-letters", "--sandbox", str(saved), "--json"]) == 0
    letters = _json(capsys)
    assert sorted(d["error_type"] for d in letters) == [
        "MappingError",
        "MatchPendingError",
        "MatchPendingError",
    ]
    [letter] = [d for d in letters if d["error_type"] == "MappingError"]
    assert "Net 45 days" in letter["message"]
    assert all(f"conflict {match['id']}" in d["message"] for d in letters if d is not letter)
    assert main(["retry", "--sandbox", str(saved), "--json"]) == 1  # still unmapped, still undecided
    [retried] = _json(capsys)
    assert retried["outcome_counts"]["failed"] == 3
    assert main(["dead-letters", "--sandbox", str(saved), "--json"]) == 0
    assert [d["attempts"] for d in _json(capsys)] == [2, 2, 2]


def test_text_output_is_readable(saved: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["conflicts", "--sandbox", str(saved)]) == 0
    assert capsys.readouterr().out == "no open conflicts\n"
    assert main(["dead-letters", "--sandbox", str(saved)]) == 0
    assert capsys.readouterr().out == "no dead letters\n"
    assert main(["runs", "--sandbox", str(saved)]) == 0
    assert capsys.readouterr().out == "no runs\n"
    assert main(["mappings", "--sandbox", str(saved)]) == 0
    out = capsys.readouterr().out
    assert "terms: " in out and "tax_codes: " in out


def test_configuration_errors_exit_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [v for v in os.environ if v.startswith("MSPLINK_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    assert main(["conflicts"]) == 3
    assert "no state store at msplink-state.sqlite" in capsys.readouterr().err
    assert main(["sync", RECIPE, "--sandbox", str(tmp_path / "nothing")]) == 3
    assert "no saved world" in capsys.readouterr().err
    assert main(["sync", RECIPE]) == 3  # no MSPLINK_CW_* credentials
    assert "MSPLINK_CW_" in capsys.readouterr().err
    assert not (tmp_path / "msplink-state.sqlite").exists()  # nothing created on the way out


def test_sync_in_a_subprocess(saved: Path, tmp_path: Path) -> None:
    result = subprocess.run(  # noqa: S603 - our own module
        [sys.executable, "-m", "msplink", "sync", RECIPE, "--sandbox", str(saved), "--json"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        timeout=300,
    )
    assert result.returncode == 1, result.stderr  # records wait for review
    [report] = json.loads(result.stdout)
    assert report["flow"] == RECIPE and report["writes"] == 29
    assert result.stderr == ""  # warnings stay out of the way unless -v
