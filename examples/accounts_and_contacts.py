"""Keep Salesforce accounts and contacts and ConnectWise companies and contacts in step, both ways.

Runs the ``accounts_and_contacts`` recipe against a seeded in-process world (Salesforce +
ConnectWise sandboxes): a first sync into overlapping data, an edit on each side, a second sync; then
prints what flowed and what waits for a person. With ``MSPLINK_SF_*`` and ``MSPLINK_CW_*``
credentials set it only plans against the real systems (a dry run: nothing is written).
"""

from __future__ import annotations

import os

from msplink.connectwise import ConnectWiseClient
from msplink.connectwise import models as cw
from msplink.mappers import MappingConfig
from msplink.salesforce import SalesforceClient
from msplink.sandbox import seed_world
from msplink.sync import MemoryStateStore, SyncReport
from msplink.sync.recipes import accounts_and_contacts


def summary(report: SyncReport) -> None:
    """One line per flow: what it did."""
    for part in report.parts:
        done = ", ".join(f"{n} {k}" for k, n in part.outcome_counts.items() if n)
        print(f"  {part.flow:<30} {done or 'nothing to do'}")


def main() -> None:
    """A first sync, edits on both sides, a second sync."""
    if os.environ.get("MSPLINK_SF_CLIENT_ID") and os.environ.get("MSPLINK_CW_SITE"):
        config = MappingConfig.from_toml(os.environ.get("MSPLINK_MAPPING", "mapping.toml"))
        with SalesforceClient.from_env() as sf, ConnectWiseClient.from_env() as cw_client:
            plan = accounts_and_contacts(
                sf=sf, cw=cw_client, state=MemoryStateStore(), config=config, dry_run=True
            )
        print("dry run against the real systems:")
        summary(plan)
        return

    world = seed_world("small", seed=0)
    state = MemoryStateStore()
    with world.clients() as c:
        first = accounts_and_contacts(sf=c.sf, cw=c.cw, state=state, config=world.config, now=world.clock.now)
        print(f"first sync: {first.writes} writes")
        summary(first)

        pioneer = world.facts().companies[1].ids
        world.clock.advance(600)
        c.sf.accounts.update(pioneer["salesforce"], {"Industry": "Manufacturing"})  # Salesforce owns it
        c.cw.companies.update(int(pioneer["connectwise"]), cw.CompanyUpdate(phone_number="+1 555 010 0001"))
        world.clock.advance(600)

        second = accounts_and_contacts(
            sf=c.sf, cw=c.cw, state=state, config=world.config, now=world.clock.now
        )
        print(f"second sync after an edit on each side: {second.writes} writes")
        summary(second)
        company = c.cw.companies.get(int(pioneer["connectwise"]))
        account = c.sf.accounts.get(pioneer["salesforce"])
        print(f"  CW market {company.raw['market']['name']!r}, SF phone {account.raw['Phone']!r}")

    print("waiting for a person:")
    for conflict in state.conflicts():
        candidates = ", ".join(x.id for x in conflict.candidates)
        print(f"  {conflict.kind:<6} {conflict.source} -> candidates {candidates}")
    for letter in state.dead_letters():
        print(f"  failed {letter.source}: {letter.message[:90]}")


if __name__ == "__main__":
    main()
