"""Post approved ConnectWise time to QuickBooks Online: time activities, and labour cost as journal entries.

With ``MSPLINK_CW_*`` and ``MSPLINK_QBO_*`` credentials set it runs against the real accounts (mapping
config from ``MSPLINK_MAPPING``, state in ``msplink-state.db``); otherwise against a seeded world of
the in-process sandboxes. Each entry is posted once; run it again after changing an entry's hours in
ConnectWise and the difference is posted as an adjustment.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from msplink.connectwise import ConnectWiseClient
from msplink.mappers import MappingConfig
from msplink.quickbooks import QuickBooksClient
from msplink.sandbox import seed_world
from msplink.sync import MemoryStateStore, SQLiteStateStore, StateStore
from msplink.sync.recipes import time_to_quickbooks
from msplink.sync.reports import unmapped

LABOUR_COST = Decimal("45.00")
"""Cost per hour of members whose time entries carry no ``hourlyCost``."""


@contextmanager
def accounts() -> Iterator[tuple[Any, Any, MappingConfig, StateStore]]:
    """ConnectWise and QuickBooks clients, the mapping config and a state store (real or sandbox)."""
    if os.environ.get("MSPLINK_CW_SITE") and os.environ.get("MSPLINK_QBO_REALM_ID"):
        config = MappingConfig.from_toml(Path(os.environ.get("MSPLINK_MAPPING", "msplink-mapping.toml")))
        with (
            ConnectWiseClient.from_env() as cw,
            QuickBooksClient.from_env() as qbo,
            SQLiteStateStore("msplink-state.db") as state,
        ):
            yield cw, qbo, config, state
        return
    world = seed_world("small", seed=1)
    with world.clients() as c:
        yield c.cw, c.qbo, world.config, MemoryStateStore()


def main() -> None:
    """Check the mappings, then post time activities and labour cost."""
    with accounts() as (cw, qbo, config, state):
        gaps = unmapped(cw=cw, qbo=qbo, config=config)
        print(
            f"unmapped members of billable time: {', '.join(gaps.missing.missing.get('employees', ())) or 'none'}"
        )
        for mode in ("time_activity", "journal"):
            report = time_to_quickbooks(
                cw=cw, qbo=qbo, state=state, config=config, mode=mode, default_cost_rate=LABOUR_COST
            )
            flow = report.parts[-1]
            done = Counter(o.status for o in flow.outcomes)
            print(
                f"{mode}: {done['created']} entries posted, {done['updated']} adjusted, {flow.failed} dead letters"
            )
        again = time_to_quickbooks(
            cw=cw, qbo=qbo, state=state, config=config, mode="journal", default_cost_rate=LABOUR_COST
        )
        print(f"a second run posts {again.writes} entries")


if __name__ == "__main__":
    main()
