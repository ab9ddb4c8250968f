"""Deterministic MSP demo data for the ConnectWise sandbox, written through its :class:`Store`."""

from __future__ import annotations

import random
from datetime import timedelta, timezone
from decimal import Decimal
from typing import Any

from msplink.sandbox.connectwise._store import Store

__all__ = ["generate"]

_WORDS = [
    "Acme",
    "Blue",
    "Harbor",
    "Summit",
    "Pioneer",
    "Granite",
    "Maple",
    "Cedar",
    "Atlas",
    "Nova",
    "Orion",
    "Apex",
    "Vertex",
    "Lumen",
    "Crest",
    "Delta",
    "Beacon",
    "Falcon",
    "Willow",
    "Meridian",
    "Horizon",
    "Sterling",
    "Cobalt",
    "Aurora",
    "Evergreen",
]
_SUFFIX = ("Dental", "Legal", "Logistics", "Clinic", "Accounting", "Realty", "Manufacturing", "Foods", "Labs")
_FIRST = (
    "Ann",
    "Ben",
    "Chloé",
    "Dev",
    "Eva",
    "Farid",
    "Grace",
    "Hiro",
    "Ines",
    "Jon",
    "Kai",
    "Lena",
    "Mo",
    "Noor",
)
_LAST = ("Smith", "Nguyen", "García", "Okafor", "Müller", "Kowalski", "O'Brien", "Patel", "Rossi", "Tanaka")


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low * 100, high * 100)) / 100


def generate(sb: Store, *, size: int, seed: int) -> None:
    """Insert ``size`` companies and their contacts, sites, agreements (with additions), tickets, time
    entries, invoices (with payments), purchase orders (with lines), catalog items, products,
    opportunities and projects; plus setup tables (billing terms, tax codes, boards, priorities, members).
    """
    rng = random.Random(seed)
    now = sb.now().astimezone(timezone.utc).replace(microsecond=0)

    def stamp() -> str:
        moment = now - timedelta(seconds=rng.randint(0, 90 * 86400))
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")

    def ref(collection: str, record: dict[str, Any]) -> dict[str, Any]:
        return sb.ref_of(collection, record)

    def put(collection: str, record: dict[str, Any], parent: int | None = None) -> dict[str, Any]:
        record["_stamp"] = stamp()
        return sb.insert(collection, record, parent=parent)

    terms = [
        put("billingTerms", {"name": name, "dueDays": days, "defaultFlag": days == 30, "termsXref": xref})
        for name, days, xref in (
            ("Net 30 days", 30, "NET30"),
            ("Net 15 days", 15, "NET15"),
            ("Due on receipt", 0, "DOR"),
        )
        if not any(t.get("name") == name for t in sb.data["billingTerms"].values())
    ] or list(sb.data["billingTerms"].values())
    taxes = [
        put(
            "taxCodes",
            {
                "identifier": ident,
                "description": desc,
                "invoiceCaption": desc,
                "effectiveDate": "2020-01-01T00:00:00Z",
                "levelOneRate": rate,
                "levelOneRateType": "Percent",
            },
        )
        for ident, desc, rate in (
            ("TAX", "Sales tax", Decimal("8.25")),
            ("NONTAX", "Non-taxable", Decimal(0)),
        )
        if not any(t.get("identifier") == ident for t in sb.data["taxCodes"].values())
    ] or list(sb.data["taxCodes"].values())
    techs = [
        put(
            "members",
            {
                "identifier": f"tech{i}",
                "firstName": _FIRST[i % len(_FIRST)],
                "lastName": _LAST[i % len(_LAST)],
                "licenseClass": "F",
                "hourlyRate": Decimal(150),
            },
        )
        for i in range(1, 6)
        if not any(m.get("identifier") == f"tech{i}" for m in sb.data["members"].values())
    ] or list(sb.data["members"].values())
    priorities = [
        put("priorities", {"name": f"Priority {n} - {label}", "sortOrder": n, "defaultFlag": n == 3})
        for n, label in ((1, "Emergency"), (2, "High"), (3, "Medium"), (4, "Low"))
    ]
    boards = []
    for name in ("Help Desk", "Projects"):
        board = put("boards", {"name": name, "projectFlag": name == "Projects", "inactiveFlag": False})
        boards.append(board)
        for order, status in enumerate(("New", "In Progress", "Waiting on Client", "Closed")):
            put(
                "statuses",
                {
                    "name": status,
                    "sortOrder": order,
                    "closedStatus": status == "Closed",
                    "board": ref("boards", board),
                },
                parent=board["id"],
            )
    catalog = []
    for i in range(max(10, size // 5)):
        recurring = i % 3 == 0
        price = _money(rng, 20, 400)
        catalog.append(
            put(
                "catalog",
                {
                    "identifier": f"SKU-{seed}-{i:05d}",
                    "description": f"{'Managed' if recurring else 'Hardware'} item {i}",
                    "customerDescription": f"{'Monthly managed service' if recurring else 'Device'} #{i}",
                    "productClass": "Agreement" if recurring else "NonInventory",
                    "price": price,
                    "cost": (price * Decimal("0.6")).quantize(Decimal("0.01")),
                    "taxableFlag": not recurring,
                    "recurringFlag": recurring,
                    "inactiveFlag": False,
                    "integrationXRef": f"QBO-ITEM-{i}",
                },
            )
        )
    for c in range(size):
        name = f"{_WORDS[c % len(_WORDS)]} {_SUFFIX[(c // len(_WORDS)) % len(_SUFFIX)]} {c + 1}"
        term = terms[c % len(terms)]
        company = put(
            "companies",
            {
                "identifier": f"C{seed}-{c + 1:05d}",
                "name": name,
                "status": {"id": 1, "name": "Active"},
                "types": [{"id": 1, "name": "Client"}],
                "addressLine1": f"{rng.randint(1, 999)} Main Street",
                "city": "Springfield",
                "state": "IL",
                "zip": f"{rng.randint(10000, 99999)}",
                "country": {"id": 1, "identifier": "US", "name": "United States"},
                "phoneNumber": f"555{rng.randint(1000000, 9999999)}",
                "website": f"www.company{c + 1}.example",
                "billingTerms": ref("billingTerms", term),
                "taxCode": ref("taxCodes", taxes[c % len(taxes)]),
                "deletedFlag": False,
                "annualRevenue": _money(rng, 100000, 5000000),
                "customFields": [
                    {
                        "id": 1,
                        "caption": "QBO Customer Id",
                        "type": "Text",
                        "entryMethod": "EntryField",
                        "numberOfDecimals": 0,
                        "value": str(1000 + c),
                    }
                ],
            },
        )
        cref = ref("companies", company)
        put(
            "sites",
            {
                "name": "Main",
                "addressLine1": company["addressLine1"],
                "city": "Springfield",
                "zip": company["zip"],
                "primaryAddressFlag": True,
                "defaultBillingFlag": True,
                "company": cref,
            },
            parent=company["id"],
        )
        contacts = []
        for k in range(2):
            first = _FIRST[(c + k) % len(_FIRST)]
            last = _LAST[(c * 3 + k) % len(_LAST)]
            contact = put(
                "contacts",
                {
                    "firstName": first,
                    "lastName": last,
                    "company": cref,
                    "defaultFlag": k == 0,
                    "inactiveFlag": False,
                    "title": "Office Manager" if k == 0 else "Owner",
                },
            )
            email = f"{first.lower()}.{last.lower().replace(chr(39), '')}{c}@company{c + 1}.example"
            for kind, value, type_name in (
                ("Email", email, "Email"),
                ("Phone", f"555{rng.randint(1000000, 9999999)}", "Direct"),
            ):
                put(
                    "communications",
                    {
                        "type": {"id": 1 if kind == "Email" else 2, "name": type_name},
                        "value": value,
                        "defaultFlag": True,
                        "communicationType": kind,
                        **({"domain": "@" + email.split("@")[1]} if kind == "Email" else {}),
                    },
                    parent=contact["id"],
                )
            sb.refresh_contact_items(contact["id"])
            contacts.append(contact)
        agreement = put(
            "agreements",
            {
                "name": f"Managed Services - {name}",
                "type": {"id": 1, "name": "Managed Services"},
                "company": cref,
                "contact": ref("contacts", contacts[0]),
                "agreementStatus": "Active",
                "startDate": "2024-01-01T00:00:00Z",
                "noEndingDateFlag": c % 4 != 0,
                **(
                    {"endDate": (now + timedelta(days=rng.randint(10, 400))).strftime("%Y-%m-%dT00:00:00Z")}
                    if c % 4 == 0
                    else {}
                ),
                "billingCycle": {"id": 2, "name": "Monthly"},
                "billAmount": _money(rng, 500, 5000),
                "billingTerms": ref("billingTerms", term),
                "taxable": False,
                "billTime": "Billable",
                "billExpenses": "Billable",
                "billProducts": "Billable",
                "cancelledFlag": False,
            },
        )
        for a in range(2):
            item = catalog[(c + a) % len(catalog)]
            quantity = Decimal(rng.randint(1, 25))
            put(
                "additions",
                {
                    "product": {"id": item["id"], "identifier": item["identifier"]},
                    "billCustomer": "Billable",
                    "quantity": quantity,
                    "unitPrice": item["price"],
                    "unitCost": item["cost"],
                    "extPrice": quantity * item["price"],
                    "extCost": quantity * item["cost"],
                    "effectiveDate": "2024-01-01T00:00:00Z",
                    "taxableFlag": False,
                    "agreementId": agreement["id"],
                },
                parent=agreement["id"],
            )
        tickets = []
        for t in range(2):
            board = boards[0]
            statuses = sb.statuses(board["id"])
            picked = statuses[rng.randrange(len(statuses))]
            tickets.append(
                put(
                    "tickets",
                    {
                        "summary": f"{['Printer offline', 'VPN drops', 'New hire setup', 'Email quota'][(c + t) % 4]} ({name})",
                        "recordType": "ServiceTicket",
                        "board": ref("boards", board),
                        "status": {"id": picked["id"], "name": picked["name"]},
                        "priority": ref("priorities", priorities[(c + t) % 4]),
                        "company": cref,
                        "contact": ref("contacts", contacts[0]),
                        "closedFlag": picked["name"] == "Closed",
                        "severity": "Medium",
                        "impact": "Medium",
                        "budgetHours": Decimal(2),
                        "actualHours": Decimal(t + 1),
                    },
                )
            )
        for ticket in tickets:
            for e in range(2):
                tech = techs[(c + e) % len(techs)]
                start = now - timedelta(days=rng.randint(1, 60), hours=rng.randint(0, 8))
                hours = Decimal(rng.choice((25, 50, 75, 100, 150))) / 100
                put(
                    "timeEntries",
                    {
                        "chargeToType": "ServiceTicket",
                        "chargeToId": ticket["id"],
                        "company": cref,
                        "member": ref("members", tech),
                        "timeStart": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                        "timeEnd": (start + timedelta(hours=float(hours))).strftime("%Y-%m-%dT%H:%M:%SZ"),
                        "actualHours": hours,
                        "hoursBilled": hours,
                        "billableOption": "Billable",
                        "hourlyRate": Decimal(150),
                        "workType": {"id": 1, "name": "Remote Support"},
                        "workRole": {"id": 1, "name": "Technician"},
                        "notes": "Resolved remotely",
                        "status": "Open",
                        "ticket": {"id": ticket["id"], "summary": ticket["summary"]},
                        "agreement": {"id": agreement["id"], "name": agreement["name"]},
                    },
                )
        subtotal = _money(rng, 200, 8000)
        tax = (subtotal * Decimal("0.0825")).quantize(Decimal("0.01")) if c % 2 else Decimal("0.00")
        total = subtotal + tax
        invoice = put(
            "invoices",
            {
                "invoiceNumber": f"INV{seed}-{c + 1:05d}",
                "type": "Agreement" if c % 3 == 0 else "Standard",
                "status": {"id": 1, "name": "Sent", "isClosed": False},
                "company": cref,
                "billToCompany": cref,
                "date": (now - timedelta(days=rng.randint(1, 60))).strftime("%Y-%m-%dT00:00:00Z"),
                "dueDate": (now + timedelta(days=rng.randint(-30, 30))).strftime("%Y-%m-%dT00:00:00Z"),
                "billingTerms": ref("billingTerms", term),
                "taxCode": ref("taxCodes", taxes[c % len(taxes)]),
                "subtotal": subtotal,
                "salesTax": tax,
                "total": total,
                "payments": Decimal("0.00"),
                "credits": Decimal("0.00"),
                "balance": total,
                "currency": {"id": 1, "symbol": "$", "currencyCode": "USD", "name": "US Dollars"},
                **(
                    {
                        "agreement": {
                            "id": agreement["id"],
                            "name": agreement["name"],
                            "type": "Managed Services",
                        }
                    }
                    if c % 3 == 0
                    else {}
                ),
            },
        )
        if c % 3 == 1:
            amount = (total / 2).quantize(Decimal("0.01"))
            put(
                "payments",
                {
                    "type": "Payment",
                    "amount": amount,
                    "paymentDate": now.strftime("%Y-%m-%dT00:00:00Z"),
                    "appliedBy": "api_sync",
                    "invoice": {"id": invoice["id"], "identifier": invoice["invoiceNumber"]},
                },
                parent=invoice["id"],
            )
            invoice["payments"] = amount
            invoice["balance"] = total - amount
        if c % 2 == 0:
            item = catalog[c % len(catalog)]
            put(
                "products",
                {
                    "catalogItem": {"id": item["id"], "identifier": item["identifier"]},
                    "description": item["description"],
                    "quantity": Decimal(rng.randint(1, 5)),
                    "price": item["price"],
                    "cost": item["cost"],
                    "billableOption": "Billable",
                    "company": cref,
                    "ticket": {"id": tickets[0]["id"], "summary": tickets[0]["summary"]},
                },
            )
            put(
                "opportunities",
                {
                    "name": f"Server refresh - {name}",
                    "company": cref,
                    "contact": ref("contacts", contacts[0]),
                    "primarySalesRep": ref("members", techs[c % len(techs)]),
                    "status": {"id": 1, "name": "Open"},
                    "stage": {"id": 1, "name": "Qualified"},
                    "expectedCloseDate": (now + timedelta(days=rng.randint(5, 90))).strftime(
                        "%Y-%m-%dT00:00:00Z"
                    ),
                },
            )
        if c % 5 == 0:
            vendor = company
            po = put(
                "purchaseOrders",
                {
                    "poNumber": f"PO{seed}-{c + 1:05d}",
                    "poDate": now.strftime("%Y-%m-%dT00:00:00Z"),
                    "status": {"id": 1, "name": "Open"},
                    "vendorCompany": cref,
                    "customerCompany": cref,
                    "subTotal": Decimal(0),
                    "total": Decimal(0),
                    "closedFlag": False,
                    "terms": ref("billingTerms", term),
                },
            )
            running = Decimal(0)
            for line in range(2):
                item = catalog[(c + line) % len(catalog)]
                qty = Decimal(rng.randint(1, 10))
                running += qty * item["cost"]
                put(
                    "lineItems",
                    {
                        "lineNumber": line + 1,
                        "product": {"id": item["id"], "identifier": item["identifier"]},
                        "description": item["description"],
                        "quantity": qty,
                        "unitCost": item["cost"],
                        "receivedStatus": "Waiting",
                        "purchaseOrderId": po["id"],
                    },
                    parent=po["id"],
                )
            po["subTotal"] = running
            po["total"] = running
            put(
                "projects",
                {
                    "name": f"Onboarding - {vendor['name']}",
                    "company": cref,
                    "board": ref("boards", boards[1]),
                    "billingMethod": "FixedFee",
                    "billingAmount": _money(rng, 1000, 20000),
                    "estimatedStart": now.strftime("%Y-%m-%dT00:00:00Z"),
                    "estimatedEnd": (now + timedelta(days=30)).strftime("%Y-%m-%dT00:00:00Z"),
                    "status": {"id": 1, "name": "Open"},
                    "manager": ref("members", techs[0]),
                    "closedFlag": False,
                },
            )
