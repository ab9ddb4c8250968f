"""Keep QuickBooks recurring invoices in step with ConnectWise agreements, and report MRR.

With ``MSPLINK_CW_*`` and ``MSPLINK_QBO_*`` credentials set, it runs against your accounts (a dry run
unless ``--apply`` is given, state in ``msplink-state.db``); otherwise against a seeded sandbox world.
Companies are linked to QuickBooks customers first (``companies_and_customers``): a template bills the
agreement's company's customer.
"""

from __future__ import annotations

import os
import sys
from contextlib import ExitStack

from msplink.connectwise import ConnectWiseClient
from msplink.mappers import MappingConfig
from msplink.quickbooks import QuickBooksClient
from msplink.sandbox import seed_world
from msplink.sync import MemoryStateStore, SQLiteStateStore, StateStore, reports
from msplink.sync.recipes import agreements_to_quickbooks, companies_and_customers


def real_accounts(apply: bool) -> None:
    """Run against the accounts in the environment (dry run unless ``apply``), then print the MRR."""
    config = MappingConfig.from_toml(os.environ.get("MSPLINK_MAPPING", "mapping.toml"))
    with ExitStack() as stack:
        cw = stack.enter_context(ConnectWiseClient.from_env(app_name="msplink-example"))
        qbo = stack.enter_context(QuickBooksClient.from_env(app_name="msplink-example"))
        state: StateStore = stack.enter_context(SQLiteStateStore("msplink-state.db"))
        print(companies_and_customers(cw=cw, qbo=qbo, state=state, config=config, dry_run=not apply))
        print(agreements_to_quickbooks(cw=cw, qbo=qbo, state=state, config=config, dry_run=not apply))
        print(reports.mrr(cw=cw, config=config))


def sandbox() -> None:
    """Run against a seeded world and print its MRR."""
    world = seed_world("small", seed=1)
    state = MemoryStateStore()
    with world.clients() as c:
        companies_and_customers(cw=c.cw, qbo=c.qbo, state=state, config=world.config)
        report = agreements_to_quickbooks(
            cw=c.cw, qbo=c.qbo, state=state, config=world.config, today=world.today
        )
        print(report)
        for template in c.qbo.recurring_transactions.list(limit=3):
            invoice = template.invoice
            if invoice is None or invoice.recurring_info is None:
                continue
            schedule = invoice.recurring_info.schedule_info
            every = f"every {schedule.num_interval} {schedule.interval_type}" if schedule else "unscheduled"
            print(f"  {invoice.recurring_info.name}: {invoice.total_amt} {every}")
        mrr = reports.mrr(cw=c.cw, config=world.config, as_of=world.today, months=6)
        print(mrr)


if __name__ == "__main__":
    if os.environ.get("MSPLINK_CW_SITE") and os.environ.get("MSPLINK_QBO_REALM_ID"):
        real_accounts(apply="--apply" in sys.argv)
    else:
        sandbox()
