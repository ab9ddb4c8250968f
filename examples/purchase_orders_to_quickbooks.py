"""Bill received ConnectWise purchase orders in QuickBooks, once per order (vendors matched or created).

With ``MSPLINK_CW_*`` and ``MSPLINK_QBO_*`` credentials set, it runs against your accounts (a dry run
unless ``--apply`` is given, state in ``msplink-state.db``); otherwise against a seeded sandbox world
with procurement (vendors and purchase orders).
"""

from __future__ import annotations

import os
import sys
from contextlib import ExitStack

from msplink.connectwise import ConnectWiseClient
from msplink.mappers import MappingConfig
from msplink.quickbooks import QuickBooksClient
from msplink.sandbox import seed_world
from msplink.sync import MemoryStateStore, SQLiteStateStore, StateStore
from msplink.sync.recipes import companies_and_customers, purchase_orders_to_quickbooks


def real_accounts(apply: bool) -> None:
    """Run against the accounts in the environment (dry run unless ``apply``)."""
    config = MappingConfig.from_toml(os.environ.get("MSPLINK_MAPPING", "mapping.toml"))
    with ExitStack() as stack:
        cw = stack.enter_context(ConnectWiseClient.from_env(app_name="msplink-example"))
        qbo = stack.enter_context(QuickBooksClient.from_env(app_name="msplink-example"))
        state: StateStore = stack.enter_context(SQLiteStateStore("msplink-state.db"))
        report = purchase_orders_to_quickbooks(
            cw=cw, qbo=qbo, state=state, config=config, statuses=("Received", "Closed"), dry_run=not apply
        )
        print(report)


def sandbox() -> None:
    """Run against a seeded world: bills for received orders, then the drop-shipped ones once their
    clients are linked to QuickBooks customers."""
    world = seed_world("small", seed=1, procurement=True)
    state = MemoryStateStore()
    with world.clients() as c:
        first = purchase_orders_to_quickbooks(cw=c.cw, qbo=c.qbo, state=state, config=world.config)
        print(first)
        companies_and_customers(cw=c.cw, qbo=c.qbo, state=state, config=world.config)
        retried = purchase_orders_to_quickbooks(
            cw=c.cw, qbo=c.qbo, state=state, config=world.config, retry_dead_letters=True
        )
        print(f"after linking the clients: {retried.writes} more bills")
        for bill in c.qbo.bills.list(order_by="Id"):
            vendor = bill.vendor_ref.name if bill.vendor_ref else "?"
            print(f"  bill {bill.doc_number} from {vendor}: {bill.total_amt} ({bill.private_note})")


if __name__ == "__main__":
    if os.environ.get("MSPLINK_CW_SITE") and os.environ.get("MSPLINK_QBO_REALM_ID"):
        real_accounts(apply="--apply" in sys.argv)
    else:
        sandbox()
