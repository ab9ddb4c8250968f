"""Mirror high-priority and escalated ConnectWise tickets as Salesforce Cases on the client's account.

Runs against a seeded world unless ``MSPLINK_CW_*`` and ``MSPLINK_SF_*`` credentials are set (see
``_crm_common.py``); ``docs/recipes/tickets_to_cases.md`` describes the recipe.
"""

from __future__ import annotations

from _crm_common import run

from msplink.sandbox import World
from msplink.sync.recipes import tickets_to_cases


def show(world: World | None) -> None:
    """The cases of the seeded world by status."""
    if world is None:
        return
    statuses: dict[str, int] = {}
    for case in world.sf.records("Case"):
        statuses[case["Status"]] = statuses.get(case["Status"], 0) + 1
    print("cases by status:", dict(sorted(statuses.items())))


def main() -> None:
    """Dry run, run, rerun: open tickets escalated or of priority 1 or 2, on the Help Desk board."""
    run(tickets_to_cases, show, scope=tickets_to_cases.Scope(boards=["Help Desk"]))


if __name__ == "__main__":
    main()
