"""Bring qualified Salesforce leads into ConnectWise as contacts (with their company), ids written back.

Runs the ``leads_to_connectwise`` recipe against a seeded in-process world (Salesforce + ConnectWise
sandboxes), qualifies one more lead, runs it again, and shows the contact, its company and the ids on
the lead. With ``MSPLINK_SF_*`` and ``MSPLINK_CW_*`` credentials set it only plans against the real
systems (a dry run: nothing is written).
"""

from __future__ import annotations

import os

from msplink.connectwise import ConnectWiseClient
from msplink.mappers import MappingConfig
from msplink.salesforce import SalesforceClient, soql
from msplink.sandbox import seed_world
from msplink.sync import MemoryStateStore, SyncReport
from msplink.sync.recipes import leads_to_connectwise


def summary(report: SyncReport) -> None:
    """One line per flow: what it did."""
    for part in report.parts:
        done = ", ".join(f"{n} {k}" for k, n in part.outcome_counts.items() if n)
        print(f"  {part.flow:<34} {done or 'nothing to do'}")


def main() -> None:
    """Sync the qualified and converted leads, qualify one more, sync again."""
    if os.environ.get("MSPLINK_SF_CLIENT_ID") and os.environ.get("MSPLINK_CW_SITE"):
        config = MappingConfig.from_toml(os.environ.get("MSPLINK_MAPPING", "mapping.toml"))
        with SalesforceClient.from_env() as sf, ConnectWiseClient.from_env() as cw:
            plan = leads_to_connectwise(sf=sf, cw=cw, state=MemoryStateStore(), config=config, dry_run=True)
        print("dry run against the real systems:")
        summary(plan)
        return

    world = seed_world("small", seed=0)
    state = MemoryStateStore()
    with world.clients() as c:
        first = leads_to_connectwise(sf=c.sf, cw=c.cw, state=state, config=world.config, now=world.clock.now)
        print(f"first run: {first.writes} writes")
        summary(first)

        [lead] = c.sf.query(
            "SELECT Id, Name, Company FROM Lead WHERE Status = 'Working - Contacted' LIMIT 1"
        ).to_list()
        world.clock.advance(600)
        c.sf.leads.update(lead["Id"], {"Status": "Qualified"})
        world.clock.advance(600)
        second = leads_to_connectwise(sf=c.sf, cw=c.cw, state=state, config=world.config, now=world.clock.now)
        print(f"after qualifying {lead['Name']} of {lead['Company']}: {second.writes} writes")
        summary(second)

        fields = soql.select("CW_Contact_Id__c", "CW_Company_Id__c").from_("Lead")
        [ids] = c.sf.query(fields.where(soql.F("Id") == lead["Id"])).to_list()
        contact = c.cw.contacts.get(int(ids["CW_Contact_Id__c"]))
        company = c.cw.companies.get(int(ids["CW_Company_Id__c"]))
        print(
            f"  CW contact {contact.id}: {contact.first_name} {contact.last_name} at {company.name} ({company.id})"
        )

    with world.clients() as c:
        world.clock.advance(600)
        third = leads_to_connectwise(sf=c.sf, cw=c.cw, state=state, config=world.config, now=world.clock.now)
    print(f"a rerun writes {third.writes}")


if __name__ == "__main__":
    main()
