"""Open a Salesforce renewal opportunity for every ConnectWise agreement ending within 90 days.

Runs against a seeded world unless ``MSPLINK_CW_*`` and ``MSPLINK_SF_*`` credentials are set (see
``_crm_common.py``); ``docs/recipes/renewals_to_salesforce.md`` describes the recipe.
"""

from __future__ import annotations

from _crm_common import run

from msplink.sandbox import World
from msplink.sync.recipes import renewals_to_salesforce


def show(world: World | None) -> None:
    """The renewals of the seeded world."""
    if world is None:
        return
    for opportunity in world.sf.records("Opportunity"):
        if opportunity.get("CW_Renewal_Term__c"):
            print(f"  {opportunity['CloseDate']}  {opportunity['Amount']:>10}  {opportunity['Name']}")


def main() -> None:
    """Dry run, run, rerun."""
    run(renewals_to_salesforce, show, within_days=90, stage="Prospect")


if __name__ == "__main__":
    main()
