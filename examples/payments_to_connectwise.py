"""Mirror QuickBooks payments into ConnectWise invoice payments, so service staff see who owes what.

With ``MSPLINK_CW_*`` and ``MSPLINK_QBO_*`` credentials set, it runs against your accounts (a dry run
unless ``--apply`` is given, state in ``msplink-state.db``); otherwise against a seeded sandbox world.
"""

from __future__ import annotations

import os
import sys
from contextlib import ExitStack
from decimal import Decimal

from msplink.connectwise import ConnectWiseClient
from msplink.mappers import MappingConfig
from msplink.quickbooks import QuickBooksClient
from msplink.sandbox import seed_world
from msplink.sync import MemoryStateStore, SQLiteStateStore, StateStore
from msplink.sync.recipes import payments_to_connectwise


def real_accounts(apply: bool) -> None:
    """Run against the accounts in the environment (dry run unless ``apply``)."""
    config = MappingConfig.from_toml(os.environ.get("MSPLINK_MAPPING", "mapping.toml"))
    with ExitStack() as stack:
        cw = stack.enter_context(ConnectWiseClient.from_env(app_name="msplink-example"))
        qbo = stack.enter_context(QuickBooksClient.from_env(app_name="msplink-example"))
        state: StateStore = stack.enter_context(SQLiteStateStore("msplink-state.db"))
        report = payments_to_connectwise(qbo=qbo, cw=cw, state=state, config=config, dry_run=not apply)
        print(report)


def sandbox() -> None:
    """Run against a seeded world: the first run applies the payments, the second writes nothing."""
    world = seed_world("small", seed=1)
    state = MemoryStateStore()
    with world.clients() as c:
        report = payments_to_connectwise(
            qbo=c.qbo, cw=c.cw, state=state, config=world.config, today=world.today, now=world.clock.now
        )
        print(report)
        facts = world.facts()
        invoice = c.cw.invoices.get(facts.overdue_invoice or 0)
        print(
            f"overdue invoice {invoice.invoice_number}: balance {invoice.balance}, due {invoice.due_date:%Y-%m-%d}"
        )
        paid = sum((Decimal(p["amount"]) for p in world.cw.records("payments")), Decimal(0))
        print(f"ConnectWise payments now total {paid}")
        again = payments_to_connectwise(
            qbo=c.qbo, cw=c.cw, state=state, config=world.config, today=world.today, now=world.clock.now
        )
        print(f"second run: {again.writes} writes")


if __name__ == "__main__":
    if os.environ.get("MSPLINK_CW_SITE") and os.environ.get("MSPLINK_QBO_REALM_ID"):
        real_accounts(apply="--apply" in sys.argv)
    else:
        sandbox()
