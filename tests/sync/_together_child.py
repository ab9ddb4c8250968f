"""Child process of the SIGKILL test of flows run in turn (``tests/sync/test_together.py``).

``python -m tests.sync._together_child WORKDIR SYSTEM POINT NTH`` loads systems ``a``, ``b`` and ``c``
from ``WORKDIR/{a,b,c}.json`` (saved after every change, like a real platform keeps its data), opens
``WORKDIR/state.db`` and runs the two flows in turn; the ``NTH`` time ``SYSTEM`` reaches ``POINT`` it
sends itself SIGKILL. Exit code 3 means the point was never reached.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from msplink.sync import SQLiteStateStore, run_together
from msplink.sync.adapters import SharedPages
from tests.sync._world import MemoryAdapter, MemorySystem
from tests.sync.test_together import PAGE, flows


def main(argv: list[str]) -> int:
    workdir, where, point, nth = Path(argv[0]), argv[1], argv[2], int(argv[3])
    a, b, c = (MemorySystem.load(workdir / f"{n}.json") for n in "abc")

    def kill(_point: str) -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    for system in (a, b, c):
        system.on_crash = kill
    {"a": a, "b": b, "c": c}[where].crash(point, nth)
    with SQLiteStateStore(workdir / "state.db") as store:
        run_together(flows(a, b, c, SharedPages(MemoryAdapter(a, page_size=PAGE))), state=store)
    return 3


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
