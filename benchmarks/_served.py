"""Serve a ConnectWise sandbox holding N companies and an empty QuickBooks sandbox over real sockets.

``python -m benchmarks._served N`` prints one JSON line (the two URLs, credentials, the QBO term id)
and serves until its standard input closes. The benchmarks run msplink in their own process against
it, so the process time and memory they measure are msplink's alone (the emulated platforms keep all
N records by design).
"""

from __future__ import annotations

import json
import sys
import threading
import time
from typing import Any

import uvicorn

from msplink.sandbox import ConnectWiseSandbox, QuickBooksSandbox, Sandbox
from msplink.testing import FakeClock


def serve(sandbox: Sandbox) -> str:
    """Serve one sandbox on a free port in a thread; return its URL."""
    server = uvicorn.Server(
        uvicorn.Config(sandbox, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.01)
    return f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"


def main(argv: list[str]) -> int:
    n = int(argv[0])
    clock = FakeClock()  # throttling budgets wait in virtual time (as in a seeded world)
    timing: dict[str, Any] = {
        "clock": clock.monotonic,
        "sleep": clock.sleep,
        "async_sleep": clock.async_sleep,
    }
    cw = ConnectWiseSandbox(enforce_rate_limits=False, raise_internal_errors=False, **timing)
    qbo = QuickBooksSandbox(enforce_rate_limits=False, raise_internal_errors=False, **timing)
    term = cw.insert("billingTerms", {"name": "Net 30 days"})
    for i in range(n):
        cw.insert(
            "companies",
            {
                "identifier": f"Company{i:06d}",
                "name": f"Company {i:06d} LLC",
                "phoneNumber": f"+1 555 {i:07d}",
                "website": f"https://company{i}.example.com",
                "city": "Portland",
                "zip": "97201",
                "invoiceToEmailAddress": f"billing@company{i}.example.com",
                "billingTerms": {"id": term["id"], "name": "Net 30 days"},
            },
        )
    terms = qbo.company.data["Term"]
    term_id = next((tid for tid, t in terms.items() if t.get("Name") == "Net 30"), None) or next(iter(terms))
    info = {
        "cw_url": serve(cw),
        "qbo_url": serve(qbo),
        "cw": cw.credentials(),
        "realm_id": qbo.realm_id,
        "qbo_token": qbo.credentials()["access_token"],
        "term_id": str(term_id),
    }
    sys.stdout.write(json.dumps(info, default=str) + "\n")
    sys.stdout.flush()
    sys.stdin.read()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
