"""Helpers of the finance recipe tests (payments, purchase orders, agreements): runs over fresh clients,
what the sandboxes hold as comparable values, and the SIGKILL runs through the existing harness."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from msplink.sandbox import World
from msplink.sync import StateStore, SyncReport
from msplink.sync.recipes import RECIPES

ROOT = Path(__file__).resolve().parents[3]


def run_recipe(name: str, world: World, state: StateStore, **options: Any) -> SyncReport:
    """Run a registered recipe once over fresh sync clients, on the world's clock."""
    recipe = RECIPES[name].run
    with world.clients() as c:
        extra: dict[str, Any] = {"cw": c.cw, "qbo": c.qbo, "state": state, "now": world.clock.now}
        if name in ("payments_to_connectwise", "agreements_to_quickbooks"):
            extra["today"] = world.today
        extra.update(options)
        extra.setdefault("config", world.config)
        report: SyncReport = recipe(**extra)
        return report


def counts(report: SyncReport) -> dict[str, dict[str, int]]:
    """Non-zero outcome counts per flow."""
    return {p.flow: {k: v for k, v in p.outcome_counts.items() if v} for p in report.parts}


def methods(world: World, system: str) -> dict[str, int]:
    """Requests served by one sandbox since its log was cleared, by method (token calls left out)."""
    sandbox = world.cw if system == "connectwise" else world.qbo
    out: dict[str, int] = defaultdict(int)
    for r in sandbox.requests:
        if "/oauth2/" not in r.path and "/login/companyinfo/" not in r.path:
            out[r.method] += 1
    return dict(out)


def cw_payments(world: World) -> dict[int, list[tuple[Decimal, str]]]:
    """Every CW invoice payment: invoice id -> sorted ``(amount, payment date)``."""
    out: dict[int, list[tuple[Decimal, str]]] = defaultdict(list)
    for p in world.cw.records("payments"):
        out[p["invoice"]["id"]].append((Decimal(p["amount"]), str(p.get("paymentDate", ""))[:10]))
    return {k: sorted(v) for k, v in out.items()}


def twins(world: World) -> dict[str, dict[str, Any]]:
    """QBO invoice id -> its CW invoice (same number), for every QBO invoice ConnectWise has."""
    cw = {i["invoiceNumber"]: i for i in world.cw.records("invoices")}
    return {i["Id"]: cw[i["DocNumber"]] for i in world.qbo.entities("Invoice") if i.get("DocNumber") in cw}


def qbo_applied(world: World) -> dict[str, Decimal]:
    """QBO invoice id -> what QBO payment lines apply to it."""
    out: dict[str, Decimal] = defaultdict(Decimal)
    for payment in world.qbo.entities("Payment"):
        for line in payment.get("Line") or ():
            for txn in line.get("LinkedTxn") or ():
                if txn.get("TxnType") == "Invoice":
                    out[txn["TxnId"]] += Decimal(line["Amount"])
    return dict(out)


def snapshot_payments(world: World) -> dict[str, Any]:
    """The CW side after the payments recipe: payments per invoice, balances, statuses and flags."""
    invoices = {
        i["invoiceNumber"]: (
            str(i["balance"]),
            (i.get("status") or {}).get("name"),
            sorted((f["caption"], f["value"]) for f in i.get("customFields") or ()),
        )
        for i in world.cw.records("invoices")
    }
    return {"payments": {str(k): v for k, v in cw_payments(world).items()}, "invoices": invoices}


def overdue(world: World, today: date) -> set[str]:
    """CW invoice numbers past due with a balance on ``today``."""
    return {
        i["invoiceNumber"]
        for i in world.cw.records("invoices")
        if Decimal(i["balance"]) > 0 and str(i["dueDate"])[:10] < today.isoformat()
    }


def kill(world: World, recipe: str, urls: tuple[str, str], workdir: Path, point: str, nth: int) -> None:
    """Run ``recipe`` in a child process against the served sandboxes, and let it SIGKILL itself the
    ``nth`` time it reaches ``point`` (``tests/sync/recipes/_fin2_child.py`` over the harness of
    ``tests/sync/_sigkill_recipe_child.py``)."""
    spec = {
        "recipe": recipe,
        "cw": world.cw.credentials(),
        "cw_url": urls[0],
        "qbo_url": urls[1],
        "realm_id": world.qbo.realm_id,
        "qbo_token": world.qbo.credentials()["access_token"],
        "config": world.config.to_dict(),
        "now": world.clock.now().isoformat(),
        "today": world.today.isoformat(),
    }
    (workdir / "run.json").write_text(json.dumps(spec, default=str), encoding="utf-8")
    child = subprocess.run(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "tests.sync.recipes._fin2_child", str(workdir), point, str(nth)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr.decode()[-2000:]
