"""msplink's CPU per request and per record on the hot paths, without sandboxes (issue 18).

Each number is thread CPU per operation, the median of five rounds:

- one ConnectWise ``companies.get`` over an ``httpx.MockTransport`` that returns a fixed small body
  (the client, httpx and the executor around a request: build, auth, retry wrapper, cookies, parse);
- ``msplink._core.dumps`` of a five-line QuickBooks invoice body (every write's serialisation);
- planning one source record against its linked target with one changed field (flatten both,
  hash every field, diff, merge): ``msplink.sync._plan.plan_records``.

The targets are budgets, not the end-to-end 30 µs per record of the recipes: a regression past one
shows here before it shows in ``bench_recipes``.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import httpx

from benchmarks._harness import Result
from msplink._core import dumps
from msplink.connectwise import ConnectWiseClient
from msplink.models import Address, Customer, ExternalRef, Money
from msplink.sync import Owner, by_name
from msplink.sync._plan import Current, Incoming, Spec, plan_records
from msplink.sync._values import field_values, value_hash

_BODY = (
    b'{"id": 1, "identifier": "Acme", "name": "Acme Inc", "_info": {"lastUpdated": "2026-01-02T03:04:05Z"}}'
)


def _per_op(operation: Callable[[], object], count: int) -> float:
    """Median thread-CPU microseconds per call of ``operation`` over five rounds of ``count``."""
    for _ in range(count // 10):
        operation()
    rounds = []
    for _ in range(5):
        started = time.thread_time_ns()
        for _ in range(count):
            operation()
        rounds.append((time.thread_time_ns() - started) / 1e3 / count)
    return statistics.median(rounds)


def _request() -> float:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=_BODY, headers={"Content-Type": "application/json"})

    client = ConnectWiseClient(
        site="na.myconnectwise.net", company_id="bench", public_key="pub", private_key="priv",
        client_id="00000000-0000-0000-0000-000000000000", transport=httpx.MockTransport(handler),
        sleep=lambda _s: None,
    )  # fmt: skip
    with client:
        return _per_op(lambda: client.companies.get(1), 1000)


def _invoice_body() -> dict[str, object]:
    line = {
        "Amount": Decimal("12.50"),
        "DetailType": "SalesItemLineDetail",
        "Description": "Managed services — Ünïcode",
        "SalesItemLineDetail": {
            "ItemRef": {"value": "1", "name": "Svc"},
            "Qty": 3,
            "UnitPrice": Decimal("4.1666"),
        },
    }
    return {"CustomerRef": {"value": "58"}, "Line": [dict(line) for _ in range(5)], "TxnDate": "2026-01-02"}


def _plan_one() -> float:
    fields = frozenset({"name", "email", "phone", "billing_address.city", "credit_limit"})
    spec = Spec(
        flow="bench", source=("a", "customer"), target=("b", "customer"), rules=(by_name(),),
        owner=lambda path: Owner.SOURCE, fields=fields,
    )  # fmt: skip
    common: dict[str, Any] = {
        "email": "ap@acme.example",
        "phone": "555-0100",
        "credit_limit": Money(Decimal("500.00"), "USD"),
    }
    source = Customer(
        refs=ExternalRef("a", "customer", "1", "2"),
        name="Acme",
        billing_address=Address(city="Austin"),
        **common,
    )
    target = Customer(
        refs=ExternalRef("b", "customer", "9", "1"),
        name="Acme",
        billing_address=Address(city="Dallas"),
        **common,
    )
    ledger = {
        ("a", "customer", "1"): {p: value_hash(v) for p, v in field_values(target, fields=fields).items()},
        ("b", "customer", "9"): {p: value_hash(v) for p, v in field_values(target, fields=fields).items()},
    }
    incoming = [
        Incoming(
            ref=ExternalRef("a", "customer", "1", "2"),
            record=source,
            target=ExternalRef("b", "customer", "9"),
        )
    ]
    targets = {"9": Current(ref=ExternalRef("b", "customer", "9", "1"), record=target)}
    item = plan_records(spec, incoming, targets, ledger)[0]
    assert [c.path for c in item.changes] == ["billing_address.city"], item
    return _per_op(lambda: plan_records(spec, incoming, targets, ledger), 2000)


def run() -> list[Result]:
    """Measure the three hot paths."""
    body = _invoice_body()
    return [
        Result("cpu: one CW request over a mock transport", _request(), "us", 150),
        Result("cpu: dumps of a 5-line QBO invoice body", _per_op(lambda: dumps(body), 2000), "us", 150),
        Result("cpu: plan one record with one changed field", _plan_one(), "us", 150),
    ]
