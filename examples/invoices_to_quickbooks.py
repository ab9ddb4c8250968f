"""Export ConnectWise invoices to QuickBooks Online with every line, then reconcile the two.

With ``MSPLINK_CW_*`` and ``MSPLINK_QBO_*`` credentials set it runs against the real accounts
(``from_env()``), with the mapping config in ``MSPLINK_MAPPING`` (a TOML file) and the state in
``msplink-state.db``; otherwise against a seeded world of the in-process sandboxes. A first dry run
shows the plan, then the export runs, then ``reports.reconciliation`` compares every CW invoice with
its QBO invoice.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from msplink.connectwise import ConnectWiseClient
from msplink.mappers import MappingConfig
from msplink.quickbooks import QuickBooksClient
from msplink.sandbox import seed_world
from msplink.sync import MemoryStateStore, SQLiteStateStore, StateStore
from msplink.sync.recipes import invoices_to_quickbooks
from msplink.sync.reports import reconciliation


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
    """Plan, export, reconcile."""
    with accounts() as (cw, qbo, config, state):
        plan = invoices_to_quickbooks(cw=cw, qbo=qbo, state=state, config=config, dry_run=True)
        planned = Counter(o.action.value for o in plan.parts[-1].outcomes if o.status == "planned")
        print(f"plan: {planned['create']} invoices to create, {planned['update']} to update")
        report = invoices_to_quickbooks(cw=cw, qbo=qbo, state=state, config=config)
        invoices = report.parts[-1]
        done = Counter(o.status for o in invoices.outcomes)
        print(f"exported: {done['created']} created, {done['updated']} updated, {done['linked']} linked")
        paid = sum(1 for o in invoices.outcomes if o.reason == "paid")
        print(f"left alone (payments applied in QuickBooks): {paid}")
        print(f"dead letters (fix the mapping, then retry_dead_letters=True): {invoices.failed}")
        for letter in invoices.failures[:3]:
            print(f"  {letter.source.id}: {letter.message}")
        result = reconciliation(cw=cw, qbo=qbo, state=state)
        print(f"reconciliation: {result.pairs} pairs, {len(result)} differences {result.counts()}")


if __name__ == "__main__":
    main()
