"""Child process of the key-index crash test: build a SQLite-held index and die half way.

``python -m tests.sync._keys_child STATE_DB RECORDS KILL_AT`` opens the state file, starts a key
index and puts ``RECORDS`` records (keys from :func:`record_keys`); after ``KILL_AT`` puts (some of
them flushed to the file, the rest still buffered) it sends SIGKILL to itself, before the index is
marked loaded. Exit code 3 means it was never killed.
"""

from __future__ import annotations

import os
import signal
import sys
from datetime import datetime, timedelta, timezone

from msplink.sync import SQLiteStateStore

T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)


def record_keys(n: int) -> set[tuple[str, str]]:
    """The keys of record ``n`` (shared names every 7 records, shared domains every 5)."""
    return {("name", f"company {n % 7}"), ("email", f"billing@c{n}.example"), ("domain", f"d{n % 5}.example")}


def main(argv: list[str]) -> int:
    path, records, kill_at = argv[0], int(argv[1]), int(argv[2])
    store = SQLiteStateStore(path)
    index = store.key_index("quickbooks:Customer")
    for n in range(records):
        if n == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        index.put(str(n), record_keys(n), T0 + timedelta(seconds=n))
    return 3


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
