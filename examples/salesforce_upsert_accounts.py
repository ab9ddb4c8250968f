"""Upsert accounts idempotently by external id: Collections for a few, Bulk 2.0 for many.

Runs against the in-process sandbox unless ``MSPLINK_SF_*`` credentials are set.
"""

from __future__ import annotations

import os
from decimal import Decimal

from msplink.salesforce import JWTBearerAuth, SalesforceClient
from msplink.salesforce.models import Account
from msplink.sandbox.salesforce import SalesforceSandbox
from msplink.testing import FakeClock


def company_accounts(count: int) -> list[Account]:
    """Accounts as a ConnectWise export would give them, keyed by CW company id."""
    return [
        Account(
            name=f"Customer {i:04d}",
            billing_city="Austin",
            annual_revenue=Decimal(10_000 + i),
            custom={"CW_Company_Id__c": str(19_000 + i)},
        )
        for i in range(count)
    ]


def run(client: SalesforceClient) -> None:
    """Upsert 500 accounts (3 Collections calls), then 2,500 (one Bulk 2.0 job), and run it again."""
    small = client.accounts.upsert_many("CW_Company_Id__c", company_accounts(500))
    print(f"collections: {sum(r.created is True for r in small)} created")
    big = client.accounts.upsert_many("CW_Company_Id__c", company_accounts(2500))
    created = sum(r.created is True for r in big)
    print(f"bulk 2.0: {created} created, {sum(r.created is False for r in big)} updated")
    again = client.accounts.upsert_many("CW_Company_Id__c", company_accounts(500))
    print(f"re-run: {sum(r.created is False for r in again)} updated, nothing duplicated")
    print("limit reading:", client.limit_info, "| API calls sent:", client.api_calls.total)


def main() -> None:
    """Use real credentials when present, else the sandbox."""
    if os.environ.get("MSPLINK_SF_CLIENT_ID"):
        with SalesforceClient.from_env(app_name="msplink-example") as client:
            run(client)
        return
    clock = FakeClock()
    org = SalesforceSandbox(clock=clock, wall_clock=clock.now)
    creds = org.credentials()
    auth = JWTBearerAuth(
        client_id=creds["client_id"], username=creds["username"], private_key=creds["private_key"]
    )
    with SalesforceClient(auth=auth, transport=org.transport(), sleep=clock.sleep) as client:
        run(client)
    print(f"{len(org.requests)} API requests served by the sandbox")


if __name__ == "__main__":
    main()
