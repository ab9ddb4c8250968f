"""``seed_world`` for the finance recipes: agreements whose additions make up what they bill, and the
opt-in procurement (vendors, purchase orders with line items, received quantities and freight)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import pytest

from msplink.connectwise import models as cw_models
from msplink.mappers import find_mapper
from msplink.models import Agreement, Money
from msplink.sandbox import World, load_world, seed_world
from msplink.sandbox._worldprocurement import purchase_order_count
from msplink.sandbox._worldtables import CATALOG_BY_SKU

CW, QBO = "connectwise", "quickbooks"


@pytest.fixture(scope="module")
def world() -> World:
    return seed_world("small", seed=1, procurement=True)


def test_agreement_invoices_bill_exactly_the_additions_per_cycle(world: World) -> None:
    """ConnectWise bills ``billAmount`` plus every addition (one line each): the world's agreements keep
    their fee in the additions, priced per billing cycle, so an agreement invoice is their sum."""
    agreements = {a["id"]: a for a in world.cw.records("agreements")}
    per_cycle: dict[int, Decimal] = defaultdict(Decimal)
    for addition in world.cw.records("additions"):
        per_cycle[addition["agreementId"]] += addition["quantity"] * addition["unitPrice"]
        assert addition["extPrice"] == addition["quantity"] * addition["unitPrice"]
    assert all(a["billAmount"] == 0 for a in agreements.values())
    invoices = [i for i in world.cw.records("invoices") if i["type"] == "Agreement"]
    assert len(invoices) == 68
    for invoice in invoices:
        assert invoice["total"] == per_cycle[invoice["agreement"]["id"]]
    quarterly = next(a for a in agreements.values() if a.get("billingCycle", {}).get("name") == "Quarterly")
    mapper = find_mapper(CW, "agreement", Agreement)
    additions = [a for a in world.cw.records("additions") if a["agreementId"] == quarterly["id"]]
    canonical = cast(Any, mapper.to_canonical)(quarterly, world.config, additions=additions)
    assert canonical.bill_amount is not None and canonical.bill_amount.is_zero()
    assert additions and all(
        a["unitPrice"] == CATALOG_BY_SKU[a["product"]["identifier"]].price * 3 for a in additions
    )
    assert canonical.mrr() == Money(
        sum(
            (a["quantity"] * CATALOG_BY_SKU[a["product"]["identifier"]].price for a in additions), Decimal(0)
        ),
        "USD",
    )


def test_procurement_adds_vendors_and_purchase_orders_and_leaves_the_rest_as_it_was(world: World) -> None:
    plain = seed_world("small", seed=1)
    facts, base = world.facts(), plain.facts()
    assert facts.companies == base.companies
    changed = {k for k in facts.counts if facts.counts[k] != base.counts.get(k)}
    assert changed == {
        "connectwise.companies",
        "connectwise.purchaseOrders",
        "connectwise.lineItems",
        "quickbooks.Vendor",
        "vendors",
        "vendors.in_quickbooks",
        "purchase_orders.open",
        "purchase_orders.ordered",
        "purchase_orders.received",
        "purchase_orders.closed",
        "purchase_orders.cancelled",
    }
    assert facts.counts["connectwise.companies"] == base.counts["connectwise.companies"] + 4 == 38
    assert (facts.counts["vendors"], facts.counts["vendors.in_quickbooks"]) == (4, 2)
    assert {k: v for k, v in facts.counts.items() if k.startswith("purchase_orders.")} == {
        "purchase_orders.open": 2,
        "purchase_orders.ordered": 2,
        "purchase_orders.received": 6,
        "purchase_orders.closed": 4,
        "purchase_orders.cancelled": 2,
    }
    assert base.purchase_order is None and "connectwise.purchaseOrders" not in base.counts
    for key in ("invoices.overdue", "payments.partial", "payments.multi_invoice", "ambiguous_pairs"):
        assert facts.counts[key] == base.counts[key]


def test_purchase_orders_grow_with_the_world_past_the_first_160_clients() -> None:
    """One per four of the first 160 client companies (the small and medium worlds), one per client
    beyond; the world holds exactly that many, with the same status rotation."""
    assert [purchase_order_count(n) for n in (0, 32, 160, 161, 1000)] == [8, 16, 48, 49, 888]
    facts = seed_world(400, seed=7, procurement=True).facts()
    clients = facts.counts["connectwise.companies"] - 4  # the four vendors are companies too
    held = {k: v for k, v in facts.counts.items() if k.startswith("purchase_orders.")}
    assert sum(held.values()) == facts.counts["connectwise.purchaseOrders"] == purchase_order_count(clients)
    assert sum(held.values()) > purchase_order_count(160) == 48
    assert held["purchase_orders.received"] > held["purchase_orders.cancelled"] > 0


def test_no_purchase_order_or_line_changes_after_the_world_s_now() -> None:
    """An order placed five days ago and received five days later changed "at 15:00 today": after
    the 09:00 clock of a seeded world, so a first sync's read (a window closed at its start) left it
    out and a rerun after 15:00 billed it (889 bills on a 100k benchmark's rerun). Every stamp is at
    the world's now or before it, as every other seeded record's is (3 were after it here)."""
    world = seed_world(400, seed=7, procurement=True)
    now = world.clock.now()
    for table in ("purchaseOrders", "lineItems"):
        stamps = [
            datetime.fromisoformat(r["_info"]["lastUpdated"].replace("Z", "+00:00"))
            for r in world.cw.store.data[table].values()
        ]
        assert stamps and max(stamps) <= now, table


def test_the_worked_purchase_order(world: World) -> None:
    order_id = world.facts().purchase_order
    assert order_id is not None
    order = next(p for p in world.cw.records("purchaseOrders") if p["id"] == order_id)
    lines = [line for line in world.cw.records("lineItems") if line["purchaseOrderId"] == order_id]
    assert order["status"]["name"] == "Received" and order["vendorCompany"]["name"] == "Ingram Micro Inc."
    assert "customerCompany" not in order and order["freightCost"] == Decimal("40.00")
    assert [(line["product"]["identifier"], line["receivedQuantity"]) for line in lines] == [
        ("LAPTOP-STD", 2),
        ("SWITCH-24", 5),
        ("DOCK-USBC", 6),
    ]
    assert (
        order["subTotal"] == sum(line["quantity"] * line["unitCost"] for line in lines) == Decimal("4955.00")
    )
    assert order["total"] == Decimal("4995.00")
    vendors = {v["DisplayName"]: v for v in world.qbo.entities("Vendor")}
    assert set(vendors) == {"INGRAM MICRO", "TD Synnex"}


def test_a_saved_procurement_world_loads_back(world: World, tmp_path: Path) -> None:
    loaded = load_world(world.save(tmp_path / "w"))
    assert loaded.facts() == world.facts()
    rows: list[Any] = loaded.cw.records("purchaseOrders")
    assert len(rows) == 16 and len(loaded.cw.records("lineItems")) == len(world.cw.records("lineItems"))


def test_a_deleted_invoice_payment_no_longer_pays_its_invoice(world: World) -> None:
    """ConnectWise recomputes an invoice's ``payments`` and ``balance`` when one of its payments is
    posted, changed or deleted (``/finance/invoices/{id}/payments``)."""
    invoice = next(i for i in world.cw.records("invoices") if i["balance"] > 0)
    with world.clients() as c:
        payments = c.cw.invoices.payments(invoice["id"])
        created = payments.create(cw_models.InvoicePayment(amount=Decimal("10.00")))
        assert next(i for i in world.cw.records("invoices") if i["id"] == invoice["id"])["balance"] == (
            invoice["total"] - Decimal("10.00")
        )
        payments.delete(int(created.id or 0))
    after = next(i for i in world.cw.records("invoices") if i["id"] == invoice["id"])
    assert after["balance"] == after["total"] and after["payments"] == 0
