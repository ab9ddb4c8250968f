"""Procurement for a seeded world (``seed_world(..., procurement=True)``): vendors and purchase orders.

ConnectWise holds the MSP's distributors as companies of type ``Vendor`` and purchase orders to them,
with line items (hardware from the catalog, a licence the admin never mapped), received quantities
and freight, in every status (``Open``, ``Ordered``, ``Received``, ``Closed``, ``Cancelled``); a few are
drop-shipped to a client. QuickBooks already knows two of the vendors, spelt its own way
(``INGRAM MICRO`` for ``Ingram Micro Inc.``); the others exist in ConnectWise only.

Everything here draws from its own ``random.Random``, so a world with procurement holds exactly the
businesses, invoices and payments of the same world without it (their counts stay as pinned), plus
the vendors and purchase orders.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Final

import attrs

from msplink.sandbox._worldgen import Blueprint
from msplink.sandbox._worldseed import Seeded
from msplink.sandbox._worldtables import BILLING_TERMS, CATALOG_BY_SKU, CW
from msplink.sandbox.connectwise._store import Store
from msplink.sandbox.quickbooks._state import Company

__all__ = [
    "PO_STATUSES",
    "VENDORS",
    "Procurement",
    "VendorEntry",
    "procurement_counts",
    "purchase_order_count",
    "seed_procurement",
]


@attrs.frozen
class VendorEntry:
    """A distributor: its ConnectWise name and e-mail, and its QuickBooks name when QBO knows it."""

    name: str
    email: str
    qbo_name: str | None


VENDORS: Final[tuple[VendorEntry, ...]] = (
    VendorEntry("Ingram Micro Inc.", "orders@ingrammicro.example", "INGRAM MICRO"),
    VendorEntry("TD SYNNEX Corp.", "ar@tdsynnex.example", "TD Synnex"),
    VendorEntry("Pax8 LLC", "billing@pax8.example", None),
    VendorEntry("Dell Technologies", "invoices@dell.example", None),
)
"""The world's vendors; the first two are in QuickBooks already (their names normalise alike)."""

PO_STATUSES: Final[Mapping[str, int]] = {
    "Open": 1,
    "Ordered": 2,
    "Received": 3,
    "Closed": 4,
    "Cancelled": 5,
}
"""ConnectWise purchase-order statuses (``/procurement/purchaseorderstatuses``) and their ids."""

_LINES: Final = ("LAPTOP-STD", "SWITCH-24", "DOCK-USBC", "M365-BP", "FW-SUB")
"""What the MSP buys: hardware (``DOCK-USBC`` unmapped in QuickBooks) and licences (``FW-SUB`` unmapped)."""

_QUARTERED: Final = 160
"""Client companies with one purchase order per four of them; each client beyond has one of its own."""

_ROTATION: Final = ("Received", "Closed", "Ordered", "Received", "Open", "Closed", "Cancelled", "Received")


@attrs.define
class Procurement:
    """What was seeded: vendor company ids (by CW name), QBO vendor ids, purchase orders by status."""

    vendors: dict[str, int] = attrs.field(factory=dict)
    qbo_vendors: dict[str, str] = attrs.field(factory=dict)
    purchase_orders: dict[str, list[int]] = attrs.field(factory=dict)
    example: int | None = None


def _day(value: date) -> str:
    return f"{value.isoformat()}T00:00:00Z"


def _stamp(value: datetime) -> str:
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def purchase_order_count(clients: int) -> int:
    """Purchase orders a world with ``clients`` ConnectWise client companies holds (see
    :func:`seed_procurement`)."""
    return len(VENDORS) * 2 + min(_QUARTERED, clients) // 4 + max(0, clients - _QUARTERED)


def seed_procurement(store: Store, company: Company, bp: Blueprint, seeded: Seeded) -> Procurement:
    """Write the vendors (CW companies, two of them QBO vendors) and the purchase orders.

    Two purchase orders per vendor, plus one per four of the first 160 client companies in ConnectWise
    (the 8-48 orders of the small and medium worlds), and one per client company beyond them (a large
    MSP orders hardware or licences for most of its clients in the two months the world spans:
    :func:`purchase_order_count`);
    statuses rotate through :data:`_ROTATION`; the first (``Received`` from Ingram Micro, three lines, one
    of them on a SKU QuickBooks has no item for, and $40 freight) is the worked example
    (``WorldFacts.purchase_order``).
    """
    rng = random.Random(bp.seed * 7919 + 17)
    out = Procurement()
    entered = bp.now - timedelta(days=700)
    terms_name = BILLING_TERMS[0][0]
    terms = store.ref_of(
        "billingTerms", store.data["billingTerms"][seeded.cw_setup["billing_terms"][terms_name]]
    )
    qbo_terms = seeded.qbo_setup["terms"][str(BILLING_TERMS[0][2])]
    for n, vendor in enumerate(VENDORS):
        record = store.insert(
            "companies",
            {
                "identifier": "".join(ch for ch in vendor.name if ch.isalnum())[:24],
                "name": vendor.name,
                "status": {"id": 1, "name": "Active"},
                "types": [{"id": 2, "name": "Vendor"}],
                "addressLine1": f"{100 + 11 * n} Distribution Way",
                "city": "Irvine",
                "state": "CA",
                "zip": f"9261{n}",
                "country": {"id": 1, "name": "United States"},
                "phoneNumber": f"+1 800 555 01{n:02d}",
                "invoiceToEmailAddress": vendor.email,
                "billingTerms": terms,
                "deletedFlag": False,
                "_stamp": _stamp(entered),
            },
        )
        out.vendors[vendor.name] = record["id"]
        if vendor.qbo_name is not None:
            created = company.create(
                "Vendor",
                {
                    "DisplayName": vendor.qbo_name,
                    "CompanyName": vendor.qbo_name,
                    "PrimaryEmailAddr": {"Address": vendor.email.upper() if n % 2 else vendor.email},
                    "TermRef": {"value": qbo_terms},
                },
            )
            out.qbo_vendors[vendor.name] = str(created["Id"])
    clients = [b for b in bp.businesses if CW in b.systems]
    count = purchase_order_count(len(clients))
    catalog = seeded.cw_setup["catalog"]
    for k in range(count):
        vendor = VENDORS[k % len(VENDORS)]
        status = _ROTATION[k % len(_ROTATION)]
        ordered = bp.today - timedelta(days=rng.randint(5, 60))
        skus = [_LINES[(k + j) % len(_LINES)] for j in range(2 + (k % 3 == 0))]
        client = clients[(k * 5) % len(clients)] if clients and k % 4 == 1 else None
        received_all = status in {"Received", "Closed"}
        lines = []
        subtotal = Decimal(0)
        for j, sku in enumerate(skus):
            item = CATALOG_BY_SKU[sku]
            quantity = Decimal(
                rng.randint(1, 6) if item.product_class == "NonInventory" else rng.randint(5, 25)
            )
            received = int(quantity) if received_all else (int(quantity) // 2 if status == "Ordered" else 0)
            subtotal += quantity * item.cost
            lines.append(
                {
                    "lineNumber": j + 1,
                    "product": {"id": catalog[sku], "identifier": sku},
                    "description": item.description,
                    "quantity": quantity,
                    "unitCost": item.cost,
                    "receivedQuantity": received,
                    "receivedStatus": "FullyReceived" if received_all else "Waiting",
                    **({"dateReceived": _day(ordered + timedelta(days=4))} if received else {}),
                }
            )
        freight = (
            Decimal(rng.choice(("0.00", "0.00", "25.00", "40.00")))
            if status != "Cancelled"
            else Decimal("0.00")
        )
        if k == 0:
            freight = Decimal("40.00")
        number = f"PO-{bp.seed % 1000:03d}-{k + 1:04d}"
        vendor_invoice = f"{vendor.name.split()[0][:4].upper()}-{70000 + 37 * k}" if received_all else None
        when = datetime.combine(ordered, datetime.min.time(), tzinfo=timezone.utc) + timedelta(hours=15)
        po: dict[str, Any] = {
            "poNumber": number,
            "poDate": _day(ordered),
            "status": {"id": PO_STATUSES[status], "name": status},
            "closedFlag": status in {"Closed", "Cancelled"},
            "vendorCompany": store.ref_of("companies", store.data["companies"][out.vendors[vendor.name]]),
            "terms": terms,
            "subTotal": subtotal,
            "freightCost": freight,
            "salesTax": Decimal("0.00"),
            "total": subtotal + freight,
            "currency": {"id": 1, "symbol": "$", "currencyCode": "USD", "name": "US Dollars"},
            "internalNotes": f"Ordered for {'a client' if client is not None else 'stock'}",
            **({"vendorInvoiceNumber": vendor_invoice} if vendor_invoice else {}),
            **({"vendorInvoiceDate": _day(ordered + timedelta(days=5))} if vendor_invoice else {}),
        }
        # never after the world's now (as every seeded record): an order received five days after one
        # placed five days ago would otherwise change at 15:00 today, in the future of a morning clock,
        # and appear to the first sync that runs after 15:00 (a 100k bench's rerun billed 889 of them)
        stamp = _stamp(min(when + timedelta(days=5 if received_all else 0), bp.now - timedelta(hours=3)))
        po["_stamp"] = stamp
        if client is not None:
            po["customerCompany"] = store.ref_of(
                "companies", store.data["companies"][seeded.cw_company[client.key]]
            )
            po["dropShipCustomerFlag"] = True
        record = store.insert("purchaseOrders", po)
        for line in lines:
            line["purchaseOrderId"] = record["id"]
            line["_stamp"] = stamp
            store.insert("lineItems", line, parent=record["id"])
        out.purchase_orders.setdefault(status, []).append(record["id"])
        if k == 0:  # Received, three lines (one unmapped SKU), freight, a vendor QuickBooks knows
            out.example = record["id"]
    return out


def procurement_counts(done: Procurement) -> dict[str, int]:
    """``WorldFacts.counts`` entries: ``vendors``, ``vendors.in_quickbooks``, ``purchase_orders.<status>``."""
    counts = {"vendors": len(done.vendors), "vendors.in_quickbooks": len(done.qbo_vendors)}
    for status in PO_STATUSES:
        counts[f"purchase_orders.{status.lower()}"] = len(done.purchase_orders.get(status, []))
    return counts
