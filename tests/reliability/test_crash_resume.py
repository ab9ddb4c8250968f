"""Crash-resume: SIGKILL at 20 random points across the registered recipes; rerun; exact state (issue 18).

For each recipe an uninterrupted run of a seeded world is made first, in process, counting how often
each point is reached (every API request to each platform before it is sent and after it was served,
and the state store's ``journal``, ``commit`` and ``record_run`` before and after); its full snapshot
of the three sandboxes and its dead letters are the expected end state. Then, per case, a kill point
is drawn (seeded) from those counts: recipe ``i mod len(RECIPES)``, a point it reaches, and an
occurrence of it. A fresh copy of the world is served over real sockets (uvicorn in threads, as in
``tests/sync/test_recipe_sigkill.py``, whose ``Served`` this reuses), a child process runs the recipe
with a ``SQLiteStateStore`` file and SIGKILLs itself at that occurrence
(``tests/reliability/_crash_child.py``), and this process reruns the recipe from the same state file.
The world must then equal the uninterrupted run's by full snapshot, with the same dead letters, no
record twice, and a further run writes nothing. Each recipe runs on a world holding what it syncs, with
the recipes it needs run first into its state (``_recipes.world_for`` and ``prepare``, outside the
counted and killed run).

Three cases run in the default suite; all twenty with ``MSPLINK_SLOW=1`` (``nox -s reliability``).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from msplink.sync import SQLiteStateStore
from msplink.sync.recipes import RECIPES
from tests.reliability._clients import auths, sync_clients
from tests.reliability._crash_child import Counting, Points, run_recipe, wrap_store
from tests.reliability._recipes import INTEGRATION_USER, dead_letters, prepare, world_for
from tests.reliability._snapshot import duplicates, first_difference, snapshot

uvicorn = pytest.importorskip("uvicorn")
from tests.sync.test_recipe_sigkill import Served  # noqa: E402 - needs uvicorn

ROOT = Path(__file__).resolve().parents[2]
SIZE, SEED = 30, 9
CASES = 20
FAST = 3


@cache
def uninterrupted(name: str, workdir: str) -> tuple[dict[str, list[str]], frozenset[Any], dict[str, int]]:
    """The expected end state of recipe ``name`` and how often each point is reached."""
    world = world_for(name, SIZE, SEED)
    counting = Counting()
    transports = {
        "cw": Points(world.cw.transport(), "cw", counting),
        "qbo": Points(world.qbo.transport(), "qbo", counting),
        "sf": Points(world.sf.transport(), "sf", counting),
    }
    path = Path(workdir) / f"baseline-{name}.db"
    store = SQLiteStateStore(path)
    prepare(world, name, store)
    with sync_clients(world, auths(world), transports) as c:
        clients = {"cw": c.cw, "qbo": c.qbo, "sf": c.sf}
        run_recipe(
            name, clients, wrap_store(store, counting), world.config, world.clock.now, INTEGRATION_USER
        )
    letters = frozenset(dead_letters(store))
    store.close()
    return snapshot(world), letters, dict(counting.counts)


def draw(index: int, workdir: str) -> tuple[str, str, int]:
    """Case ``index``: the recipe, the point and its occurrence (seeded, from the counts)."""
    names = sorted(RECIPES)
    name = names[index % len(names)]
    counts = uninterrupted(name, workdir)[2]
    rng = random.Random(f"crash-{index}")
    point = rng.choice(sorted(counts))
    return name, point, rng.randint(1, counts[point])


def _params() -> list[Any]:
    return [
        pytest.param(i, id=f"kill-{i:02d}", marks=() if i < FAST else (pytest.mark.slow,))
        for i in range(CASES)
    ]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("crash-baselines"))


@pytest.mark.parametrize("index", _params())
def test_sigkill_at_a_random_point_then_a_rerun_ends_exactly_as_an_uninterrupted_run(
    index: int, workdir: str, tmp_path: Path
) -> None:
    _kill_and_rerun(*draw(index, workdir), workdir, tmp_path)


@pytest.mark.parametrize(
    ("point", "share"),
    [("sf.send", 0.5), ("store.commit:after", 0.6), ("cw.answered", 1.0)],
    ids=["sf-write-mid-turns", "commit-mid-turns", "last-cw-read"],
)
def test_sigkill_while_two_flows_run_in_turn_then_a_rerun_ends_exactly(
    point: str, share: float, workdir: str, tmp_path: Path
) -> None:
    """invoices_to_salesforce runs its invoice and task flows page by page in turn over one read of
    each page (``run_together``): killed between their turns, each flow resumes from its own state."""
    name = "invoices_to_salesforce"
    counts = uninterrupted(name, workdir)[2]
    assert counts[point] > 1, sorted(counts)
    _kill_and_rerun(name, point, max(1, round(counts[point] * share)), workdir, tmp_path)


def _kill_and_rerun(name: str, point: str, nth: int, workdir: str, tmp_path: Path) -> None:
    expected, expected_letters, _ = uninterrupted(name, workdir)
    world = world_for(name, SIZE, SEED)
    with SQLiteStateStore(tmp_path / "state.db") as first:
        prepare(world, name, first)
    served = [Served(world.cw), Served(world.qbo), Served(world.sf)]
    try:
        spec = {
            "recipe": name, "point": point, "nth": nth, "now": world.clock.now().isoformat(),
            "urls": {"cw": served[0].url, "qbo": served[1].url, "sf": served[2].url},
            "credentials": {"cw": world.cw.credentials(), "qbo": world.qbo.credentials(), "sf": world.sf.credentials()},
            "realm_id": world.qbo.realm_id, "config": world.config.to_dict(), "integration_user": INTEGRATION_USER,
        }  # fmt: skip
        (tmp_path / "run.json").write_text(json.dumps(spec, default=str), encoding="utf-8")
        child = subprocess.run(  # noqa: S603 (our own interpreter and module)
            [sys.executable, "-m", "tests.reliability._crash_child", str(tmp_path)],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            timeout=180,
            check=False,
        )
    finally:
        for server in served:
            server.stop()
    assert child.returncode == -signal.SIGKILL, (
        name,
        point,
        nth,
        child.returncode,
        child.stderr.decode()[-2000:],
    )

    with SQLiteStateStore(tmp_path / "state.db") as store, sync_clients(world, auths(world)) as c:
        clients = {"cw": c.cw, "qbo": c.qbo, "sf": c.sf}
        run_recipe(name, clients, store, world.config, world.clock.now, INTEGRATION_USER)
        actual = snapshot(world)
        assert duplicates(actual, expected) == {}, (name, point, nth)
        assert actual == expected, (name, point, nth, first_difference(actual, expected))
        assert frozenset(dead_letters(store)) == expected_letters, (name, point, nth)
        world.clock.advance(3600)
        again = run_recipe(name, clients, store, world.config, world.clock.now, INTEGRATION_USER)
        assert again.writes == 0, (name, point, nth)


def test_the_draw_spreads_over_recipes_and_kinds_of_point(workdir: str) -> None:
    drawn = [draw(i, workdir) for i in range(CASES)]
    assert {name for name, _, _ in drawn} == set(RECIPES) or len(RECIPES) > CASES
    kinds = Counter(point.split(".")[0] for _, point, _ in drawn)
    assert len(kinds) >= 2, kinds
