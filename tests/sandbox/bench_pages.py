"""Sandbox CPU per record of one 1,000-record page (issue 10: a 100k-record benchmark must measure msplink,
not the emulator). Not a test: run ``python tests/sandbox/bench_pages.py``.

Prints the best of five runs of ``Sandbox.handle`` for a page of 1,000 ConnectWise companies and tickets
(forward-only, ``pageSize=1000``), 1,000 Salesforce accounts (17 fields, ``batchSize=1000``), and the
last page of a forward-only walk with ``conditions`` over 100,000 companies.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable

from msplink.sandbox._framework import SandboxRequest
from msplink.sandbox.connectwise import ConnectWiseSandbox
from msplink.sandbox.salesforce import SalesforceSandbox

ACCOUNT_FIELDS = (
    "Id, Name, Type, Industry, BillingStreet, BillingCity, BillingState, BillingPostalCode, BillingCountry, "
    "Phone, Website, AnnualRevenue, NumberOfEmployees, OwnerId, LastModifiedDate, SystemModstamp, "
    "CW_Company_Id__c"
)


def best(run: Callable[[], object], times: int = 5) -> float:
    """The fastest of ``times`` runs, in seconds of process CPU."""
    spent = []
    for _ in range(times):
        start = time.process_time()
        run()
        spent.append(time.process_time() - start)
    return min(spent)


def _cw_request(sandbox: ConnectWiseSandbox, path: str, **params: str) -> SandboxRequest:
    creds = sandbox.credentials()
    token = base64.b64encode(
        f"{creds['company_id']}+{creds['public_key']}:{creds['private_key']}".encode()
    ).decode()
    full = f"/{sandbox.codebase}/apis/3.0{path}"
    return SandboxRequest(
        method="GET",
        path=full,
        raw_path=full,
        query=tuple(params.items()),
        headers={
            "authorization": f"Basic {token}",
            "clientid": creds["client_id"],
            "pagination-type": "forward-only",
        },
    )


def connectwise() -> dict[str, float]:
    """µs per record: companies and tickets pages of 1,000; the last page of 100k with conditions."""
    sandbox = ConnectWiseSandbox(enforce_rate_limits=False)
    sandbox.seed(size=1000, seed=1)
    out = {}
    for label, path in (("CW company", "/company/companies"), ("CW ticket", "/service/tickets")):
        request = _cw_request(sandbox, path, pageSize="1000")
        assert sandbox.handle(request).status == 200

        def page(request: SandboxRequest = request) -> object:
            return sandbox.handle(request)

        out[label] = best(page) * 1e6 / 1000
    big = ConnectWiseSandbox(enforce_rate_limits=False)
    for i in range(100_000):
        big.store.insert("companies", {"identifier": f"C{i}", "name": f"Company {i}", "deletedFlag": False})
    request = _cw_request(
        big,
        "/company/companies",
        conditions="deletedFlag = False AND lastUpdated > [2000-01-01T00:00:00Z]",
        pageSize="1000",
        pageId="99000",
    )
    assert big.handle(request).status == 200
    out["CW company, last page of 100k with conditions"] = best(lambda: big.handle(request)) * 1e6 / 1000
    return out


def salesforce() -> dict[str, float]:
    """µs per record: a page of 1,000 accounts (17 fields)."""
    sandbox = SalesforceSandbox(enforce_rate_limits=False)
    sandbox.seed(size=1000, seed=1)
    token = sandbox.credentials()["access_token"]
    request = SandboxRequest(
        method="GET",
        path="/services/data/v62.0/query",
        raw_path="/services/data/v62.0/query",
        query=(("q", f"SELECT {ACCOUNT_FIELDS} FROM Account"),),
        headers={"authorization": f"Bearer {token}", "sforce-query-options": "batchSize=1000"},
    )
    assert sandbox.handle(request).status == 200
    return {"SF account (17 fields)": best(lambda: sandbox.handle(request)) * 1e6 / 1000}


def main() -> None:
    """Print µs of sandbox CPU per record for each page."""
    for label, micros in {**connectwise(), **salesforce()}.items():
        print(f"{label:50s} {micros:7.1f} us/record")  # noqa: T201


if __name__ == "__main__":
    main()
