"""The SIGKILL scenario of the CRM recipe tests: the ConnectWise and Salesforce sandboxes of a seeded
world served by this process over real sockets (``Served`` of ``tests/sync/test_recipe_sigkill.py``),
a child process (``tests/sync/recipes/_crm_child.py``) running the recipe with a ``SQLiteStateStore``
file and killing itself at a point, then reruns here."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from msplink.sandbox import World
from tests.sync.recipes._cw_to_sf import INTEGRATION_USER
from tests.sync.test_recipe_sigkill import Served

ROOT = Path(__file__).resolve().parents[3]


@contextmanager
def served(world: World) -> Iterator[tuple[Served, Served]]:
    """The world's ConnectWise and Salesforce sandboxes over real sockets."""
    cw, sf = Served(world.cw), Served(world.sf)
    try:
        yield cw, sf
    finally:
        cw.stop()
        sf.stop()


def kill(
    world: World,
    servers: tuple[Served, Served],
    workdir: Path,
    recipe: str,
    point: str,
    nth: int,
    **options: Any,
) -> None:
    """Run ``recipe`` in a child process that dies with SIGKILL the ``nth`` time it reaches ``point``."""
    cw, sf = servers
    creds = world.sf.credentials()
    spec = {
        "recipe": recipe,
        "options": options,
        "cw": world.cw.credentials(),
        "cw_url": cw.url,
        "sf": {"client_id": creds["client_id"], "client_secret": creds["client_secret"]},
        "sf_url": sf.url,
        "config": world.config.to_dict(),
        "now": world.clock.now().isoformat(),
        "integration_user": INTEGRATION_USER,
    }
    (workdir / "run.json").write_text(json.dumps(spec, default=str), encoding="utf-8")
    child = subprocess.run(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "tests.sync.recipes._crm_child", str(workdir), point, str(nth)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr.decode()[-3000:]
