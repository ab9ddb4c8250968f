"""List active ConnectWise companies with their billing terms.

Uses ``MSPLINK_CW_*`` credentials when they are set; otherwise it runs against the in-process sandbox.
"""

from __future__ import annotations

import os

from msplink.connectwise import ConnectWiseClient
from msplink.connectwise.conditions import C
from msplink.sandbox.connectwise import ConnectWiseSandbox


def make_client() -> ConnectWiseClient:
    """A client on the real tenant when configured, else on a seeded sandbox."""
    if os.environ.get("MSPLINK_CW_PRIVATE_KEY"):
        return ConnectWiseClient.from_env(app_name="msplink-example")
    sandbox = ConnectWiseSandbox()
    sandbox.seed(size=40, seed=1)
    return ConnectWiseClient(**sandbox.credentials(), transport=sandbox.transport())


def main() -> None:
    """Print active companies (forward-only paging, 1000 per page) and a count."""
    with make_client() as cw:
        active = C.deleted_flag.is_false() & C.name.like("A%")
        print("matching companies:", cw.companies.count(where=active))
        for company in cw.companies.list(where=active, fields=["id", "identifier", "name", "billingTerms"]):
            terms = company.billing_terms.name if company.billing_terms else "-"
            print(f"{company.id:>6} {company.identifier:<12} {company.name:<40} {terms}")
        print("API calls:", cw.api_calls.total)  # codebase discovery + count + one page


if __name__ == "__main__":
    main()
