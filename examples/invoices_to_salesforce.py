"""Show ConnectWise invoices in Salesforce, with a follow-up Task for each overdue one.

Runs against a seeded world unless ``MSPLINK_CW_*`` and ``MSPLINK_SF_*`` credentials are set (see
``_crm_common.py``); ``docs/recipes/invoices_to_salesforce.md`` describes the recipe.
"""

from __future__ import annotations

from _crm_common import run

from msplink.sandbox import World
from msplink.sync.recipes import invoices_to_salesforce


def show(world: World | None) -> None:
    """The follow-up tasks of the seeded world."""
    if world is None:
        return
    tasks = world.sf.records("Task")
    print(f"{len(world.sf.records('Invoice__c'))} invoice records, {len(tasks)} follow-up tasks")
    for task in tasks[:3]:
        print(f"  {task['Subject']}: {task['Description']}")


def main() -> None:
    """Dry run, run, rerun."""
    run(invoices_to_salesforce, show, task_priority="High")


if __name__ == "__main__":
    main()
