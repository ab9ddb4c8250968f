"""``accounts_and_contacts`` and ``leads_to_connectwise`` killed with SIGKILL at points over reading,
journalling, writing and committing, then rerun, end exactly as an uninterrupted run (SYNC.md
invariants 1-3).

The harness of ``tests/sync/test_recipe_sigkill.py``: the world's ConnectWise and Salesforce sandboxes
are served by this process over real sockets (:class:`~tests.sync.test_recipe_sigkill.Served`), a
child process (``tests/sync/recipes/_sigkill_crm_child.py``) runs the recipe with a
``SQLiteStateStore`` file and kills itself at the Nth occurrence of a named point. The rerun happens
here, then the edits and the second sync; both systems' records (ids replaced by names) and the state
that matters (links, conflicts, dead letters) are compared with a run that was never interrupted,
and nothing exists twice. ConnectWise creates whose answer died with the process are found again by
name (companies) or e-mail (contacts); Salesforce creates are upserts by the CW id.

One point per recipe runs by default; the others with ``MSPLINK_SLOW=1``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from msplink.sandbox import World, seed_world
from msplink.sync import SQLiteStateStore, StateStore, SyncReport
from tests.sync.recipes._crm import (
    edit_account,
    edit_company,
    integration_user,
    no_duplicates,
    person,
    snapshot,
    state_tables,
    sync_accounts,
    sync_leads,
)

ROOT = Path(__file__).resolve().parents[3]
pytest.importorskip("uvicorn")
from tests.sync.test_recipe_sigkill import Served  # noqa: E402 - needs uvicorn

POINTS: tuple[tuple[str, int, str, int], ...] = (
    # (recipe, phase, point, nth)
    ("accounts_and_contacts", 1, "cw.create:after", 1),  # a company created from an account, answer lost
    ("accounts_and_contacts", 1, "cw.read", 2),  # reading: the companies window of the reverse flow
    ("accounts_and_contacts", 1, "store.journal:after", 2),  # intents durable, nothing written
    ("accounts_and_contacts", 1, "sf.write:after", 1),  # accounts upserted, the answer lost
    ("accounts_and_contacts", 1, "store.commit:before", 4),  # written, outcomes not recorded
    ("accounts_and_contacts", 1, "cw.create:after", 3),  # a contact created from a SF contact
    ("accounts_and_contacts", 1, "store.record_run:before", 4),  # all but the last run log row
    ("accounts_and_contacts", 2, "cw.update:after", 1),  # an edit's update applied, answer lost
    ("accounts_and_contacts", 2, "sf.write:after", 1),
    ("leads_to_connectwise", 1, "cw.create:after", 6),  # the first contact of a lead, answer lost
    ("leads_to_connectwise", 1, "cw.create:after", 1),  # the first lead company, answer lost
    ("leads_to_connectwise", 1, "sf.write:after", 1),  # the ids written back, answer lost
    ("leads_to_connectwise", 1, "store.commit:after", 2),  # the companies committed, nothing after
    ("leads_to_connectwise", 2, "cw.create:after", 1),  # phase 2: the new qualified lead's company
)
DEFAULT = {
    ("accounts_and_contacts", 1, "cw.create:after", 1),
    ("leads_to_connectwise", 1, "cw.create:after", 6),
}

RECIPES: dict[str, Callable[..., SyncReport]] = {
    "accounts_and_contacts": sync_accounts,
    "leads_to_connectwise": sync_leads,
}


def _params() -> list[Any]:
    return [
        pytest.param(
            *p, id=f"{p[0]}-phase{p[1]}-{p[2]}-{p[3]}", marks=() if p in DEFAULT else pytest.mark.slow
        )
        for p in POINTS
    ]


def edits(world: World, recipe: str) -> None:
    """Between the two syncs: people edit both sides."""
    facts = world.facts()
    with person(world) as c:
        if recipe == "accounts_and_contacts":
            pioneer, copper = facts.companies[1].ids, facts.companies[2].ids
            edit_company(c, int(pioneer["connectwise"]), phone_number="+1 555 000 0002")
            edit_account(c, pioneer["salesforce"], Industry="Finance")
            edit_account(c, copper["salesforce"], Phone="+1 555 000 0003")
        else:  # a working lead is qualified
            [working] = c.sf.query(
                "SELECT Id FROM Lead WHERE Status = 'Working - Contacted' ORDER BY Id LIMIT 1"
            ).to_list()
            c.sf.leads.update(working["Id"], {"Status": "Qualified"})


def outcome(world: World, store: StateStore) -> dict[str, Any]:
    """Everything compared: both systems' records and the state by names."""
    return {"snapshot": snapshot(world), "state": state_tables(world, store)}


@pytest.fixture(scope="module")
def expected(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """The uninterrupted runs of each recipe: sync, edits, sync."""
    out = {}
    for recipe, sync in RECIPES.items():
        world = seed_world("small", seed=0)
        store = SQLiteStateStore(tmp_path_factory.mktemp(recipe) / "state.db")
        sync(world, store)
        edits(world, recipe)
        sync(world, store)
        out[recipe] = outcome(world, store)
        store.close()
    return out


@pytest.fixture
def served() -> Iterator[tuple[World, Served, Served]]:
    world = seed_world("small", seed=0)
    cw, sf = Served(world.cw), Served(world.sf)
    try:
        yield world, cw, sf
    finally:
        cw.stop()
        sf.stop()


def _kill(world: World, cw: Served, sf: Served, workdir: Path, recipe: str, point: str, nth: int) -> None:
    creds = world.sf.credentials()
    spec = {
        "recipe": recipe,
        "cw": world.cw.credentials(),
        "cw_url": cw.url,
        "sf_url": sf.url,
        "sf_token": creds["access_token"],
        "sf_instance": creds["instance_url"],
        "sf_integration_user": integration_user(world),
        "config": world.config.to_dict(),
        "now": world.clock.now().isoformat(),
    }
    (workdir / "run.json").write_text(json.dumps(spec, default=str), encoding="utf-8")
    child = subprocess.run(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "tests.sync.recipes._sigkill_crm_child", str(workdir), point, str(nth)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr.decode()[-2000:]


@pytest.mark.parametrize(("recipe", "phase", "point", "nth"), _params())
def test_sigkill_at_a_point_then_a_rerun_ends_as_an_uninterrupted_run(
    served: tuple[World, Served, Served],
    expected: dict[str, dict[str, Any]],
    tmp_path: Path,
    recipe: str,
    phase: int,
    point: str,
    nth: int,
) -> None:
    world, cw, sf = served
    sync = RECIPES[recipe]
    path = tmp_path / "state.db"
    if phase == 2:
        with SQLiteStateStore(path) as store:
            sync(world, store)
        edits(world, recipe)
    _kill(world, cw, sf, tmp_path, recipe, point, nth)
    with SQLiteStateStore(path) as store:
        sync(world, store)  # the rerun settles what the killed run journalled, then finishes
        if phase == 1:
            edits(world, recipe)
            sync(world, store)
        assert outcome(world, store) == expected[recipe]
        assert no_duplicates(world) == {
            "cw.companies": [],
            "cw.contacts": [],
            "sf.accounts": [],
            "sf.contacts": [],
        }
        world.clock.advance(3600)
        sync(world, store)  # read back the last run's own writes
        assert sync(world, store).writes == 0
