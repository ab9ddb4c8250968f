"""List QuickBooks Online customers with an open balance and their unpaid invoices.

Uses ``MSPLINK_QBO_*`` credentials when they are set (``QuickBooksClient.from_env()``); otherwise it
runs against the in-process sandbox seeded with a small MSP dataset.
"""

from __future__ import annotations

import os
from datetime import timedelta
from decimal import Decimal

from msplink.quickbooks import MemoryTokenStore, OAuthToken, QuickBooksClient, QuickBooksOAuth2
from msplink.quickbooks import query as q
from msplink.sandbox.quickbooks import QuickBooksSandbox


def connect() -> QuickBooksClient:
    """A client for the real API (environment) or for a seeded sandbox."""
    if os.environ.get("MSPLINK_QBO_REALM_ID"):
        return QuickBooksClient.from_env(app_name="msplink-example")
    sandbox = QuickBooksSandbox()
    sandbox.seed(size=25, seed=7)
    creds = sandbox.credentials()
    token = OAuthToken(
        access_token=creds["access_token"],
        refresh_token=creds["refresh_token"],
        expires_at=sandbox.company.now() + timedelta(seconds=creds["expires_in"]),
        realm_id=creds["realm_id"],
    )
    auth = QuickBooksOAuth2(
        client_id=creds["client_id"], client_secret=creds["client_secret"], store=MemoryTokenStore(token)
    )
    return QuickBooksClient(realm_id=creds["realm_id"], auth=auth, transport=sandbox.transport())


def main() -> None:
    """Print each customer that owes money, with its open invoices (all pages, no truncation)."""
    with connect() as qbo:
        owing = qbo.customers.list(where=q.field("Balance") > Decimal("0"), order_by="DisplayName", limit=10)
        for customer in owing:
            open_for_customer = (q.field("CustomerRef") == customer.id) & (q.field("Balance") > Decimal("0"))
            invoices = qbo.invoices.list(where=open_for_customer, order_by="TxnDate").to_list()
            print(f"{customer.display_name}: {customer.balance} open")
            for invoice in invoices:
                print(
                    f"    #{invoice.doc_number} {invoice.txn_date} balance {invoice.balance} of {invoice.total_amt}"
                )
        print("open invoices in total:", qbo.invoices.count(where=q.field("Balance") > Decimal("0")))


if __name__ == "__main__":
    main()
