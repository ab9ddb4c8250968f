"""Child process of the SIGKILL tests: run one phase of the crash scenario and die at the point.

``python -m tests.sync._sigkill_child WORKDIR PHASE WHERE POINT NTH`` loads the two systems from
``WORKDIR/a.json`` and ``WORKDIR/b.json`` (saved after every change, like a real platform keeps its
data), opens ``WORKDIR/state.db`` and runs; reaching the point sends SIGKILL to itself. Exit code 3
means the point was never reached.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from msplink.sync import SQLiteStateStore
from tests.sync._crash import arm, run_phase
from tests.sync._world import MemorySystem


def main(argv: list[str]) -> int:
    workdir, _phase, where, point, nth = Path(argv[0]), int(argv[1]), argv[2], argv[3], int(argv[4])
    a = MemorySystem.load(workdir / "a.json")
    b = MemorySystem.load(workdir / "b.json")

    def kill(_point: str) -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    a.on_crash = b.on_crash = kill
    store = arm(a, b, SQLiteStateStore(workdir / "state.db"), where, point, nth)
    run_phase(a, b, store)
    return 3


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
