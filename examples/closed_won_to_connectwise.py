"""Onboard Salesforce Closed Won deals in ConnectWise: company, primary contact and an onboarding ticket.

Runs against a seeded world unless ``MSPLINK_CW_*`` and ``MSPLINK_SF_*`` credentials are set (see
``_crm_common.py``); ``docs/recipes/closed_won_to_connectwise.md`` describes the recipe.
"""

from __future__ import annotations

from _crm_common import run

from msplink.sandbox import World
from msplink.sync.recipes import closed_won_to_connectwise


def show(world: World | None) -> None:
    """The onboarding ticket the seeded world's won deal got."""
    if world is None:
        return
    ticket = list(world.cw.store.data["tickets"].values())[-1]
    print(f"ticket #{ticket['id']}: {ticket['summary']} (board {ticket['board']['name']})")


def main() -> None:
    """Dry run, run, rerun."""
    run(closed_won_to_connectwise, show, summary="Onboarding: {account}", board="Help Desk")


if __name__ == "__main__":
    main()
