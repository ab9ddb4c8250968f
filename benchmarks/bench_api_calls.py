"""API-call efficiency against the sandboxes: calls made vs the minimum the platforms allow (DESIGN §9)."""

from __future__ import annotations

import math
import time

from benchmarks._harness import Result
from msplink.connectwise import ConnectWiseClient
from msplink.quickbooks import BatchOperation, QuickBooksClient
from msplink.quickbooks import models as qbo
from msplink.salesforce import ClientCredentialsAuth, SalesforceClient
from msplink.salesforce.models import Account
from msplink.sandbox import ConnectWiseSandbox, QuickBooksSandbox, SalesforceSandbox
from msplink.testing import FakeClock


def _connectwise() -> list[Result]:
    sandbox = ConnectWiseSandbox()
    sandbox.seed(size=2500, seed=1)
    client = ConnectWiseClient(**sandbox.credentials(), transport=sandbox.transport(), codebase="v2025_1/")
    sandbox.clear_log()
    started = time.perf_counter()
    count = sum(1 for _ in client.companies.list())
    elapsed = time.perf_counter() - started
    minimum = math.ceil(count / 1000)
    return [
        Result(
            "connectwise: list 2,500 companies, calls / minimum",
            len(sandbox.requests) / minimum,
            "ratio",
            1.1,
        ),
        Result("connectwise: companies listed per second (sandbox)", count / elapsed, "rec/s", 2000, True),
    ]


def _quickbooks() -> list[Result]:
    clock = FakeClock()
    sandbox = QuickBooksSandbox(clock=clock)
    creds = sandbox.credentials()
    client = QuickBooksClient(
        realm_id=creds["realm_id"],
        auth=creds["access_token"],
        transport=sandbox.transport(),
        sleep=clock.sleep,
        clock=clock,
    )
    operations = [BatchOperation.create(qbo.Customer(display_name=f"Customer {i:05d}")) for i in range(1000)]
    results = client.batch(operations)
    assert all(r.error is None for r in results)
    minimum = math.ceil(1000 / 30)
    return [
        Result(
            "quickbooks: 1,000 creates through /batch, calls / minimum",
            len(sandbox.requests) / minimum,
            "ratio",
            1.1,
        )
    ]


def _salesforce() -> list[Result]:
    clock = FakeClock()
    sandbox = SalesforceSandbox(clock=clock)
    creds = sandbox.credentials()
    auth = ClientCredentialsAuth(client_id=creds["client_id"], client_secret=creds["client_secret"])
    client = SalesforceClient(auth=auth, transport=sandbox.transport(), sleep=clock.sleep)
    accounts = [Account(name=f"Account {i:05d}", custom={"CW_Company_Id__c": str(i)}) for i in range(1000)]
    client.accounts.upsert_many("CW_Company_Id__c", accounts)
    api_calls = sandbox.count(None, r"/services/data/")
    minimum = math.ceil(1000 / 200)
    return [Result("salesforce: upsert 1,000 accounts, calls / minimum", api_calls / minimum, "ratio", 1.1)]


def run() -> list[Result]:
    """Measure API calls against their minimum for each platform's bulk path."""
    return [*_connectwise(), *_quickbooks(), *_salesforce()]
