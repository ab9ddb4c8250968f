"""List Closed Won opportunities of the last 90 days with their account, and open a follow-up Task.

Runs against a seeded in-process sandbox unless ``MSPLINK_SF_*`` credentials are set.
"""

from __future__ import annotations

import asyncio
import os
from datetime import timedelta

from msplink.salesforce import AsyncSalesforceClient, ClientCredentialsAuth, soql
from msplink.salesforce.models import Task
from msplink.salesforce.soql import F
from msplink.sandbox.salesforce import SalesforceSandbox
from msplink.testing import FakeClock


async def run(client: AsyncSalesforceClient) -> None:
    """Query with the builder (parent fields included), then create one Task per won deal."""
    query = (
        soql.select("Id", "Name", "Amount", "CloseDate", "Account.Name", "OwnerId")
        .from_("Opportunity")
        .where(F("StageName") == "Closed Won", F("CloseDate") >= soql.LAST_N_DAYS(90))
        .order_by(F("Amount").desc(nulls="last"))
    )
    won = await client.query(query).to_list()
    print(f"{len(won)} Closed Won opportunities in the last 90 days")
    for row in won[:5]:
        account = row["Account"]["Name"] if row["Account"] else "(no account)"
        print(f"  {row['Name']:<28} {row['Amount']!s:>10}  {account}")
    tasks = [
        Task(subject="Kick off onboarding", what_id=row["Id"], owner_id=row["OwnerId"], priority="High")
        for row in won
    ]
    if tasks:
        results = await client.tasks.create_many(tasks)
        print(f"{sum(r.success for r in results)} onboarding tasks created")
    describe = await client.describe("Opportunity")
    print("required on create:", ", ".join(describe.required_fields))


async def main() -> None:
    """Use real credentials when present, else a seeded sandbox."""
    if os.environ.get("MSPLINK_SF_CLIENT_ID"):
        async with AsyncSalesforceClient.from_env() as client:
            await run(client)
        return
    clock = FakeClock()
    org = SalesforceSandbox(clock=clock, wall_clock=clock.now)
    org.seed(size=60, seed=3)
    clock.advance(timedelta(days=1).total_seconds())
    creds = org.credentials()
    auth = ClientCredentialsAuth(client_id=creds["client_id"], client_secret=creds["client_secret"])
    async with AsyncSalesforceClient(auth=auth, transport=org.transport(), sleep=clock.async_sleep) as client:
        await run(client)


if __name__ == "__main__":
    asyncio.run(main())
