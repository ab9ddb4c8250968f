"""Write a world blueprint into the three sandboxes, one way: through each sandbox's state object.

ConnectWise records go through :class:`~msplink.sandbox.connectwise._store.Store`, QuickBooks
entities through :class:`~msplink.sandbox.quickbooks._state.Company` (with the API's own validation:
line amounts, payment balances, unique names), Salesforce records through
:class:`~msplink.sandbox.salesforce._org.Org`. No sandbox private is touched. Returns every id
created, by business, so the world can build its mapping config and its facts.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import attrs

from msplink.sandbox._worldgen import Blueprint, Business, InvoicePlan, TicketPlan
from msplink.sandbox._worldtables import (
    BILLING_TERMS,
    CATALOG,
    CATALOG_BY_SKU,
    CW,
    MEMBERS,
    PRIORITIES,
    QBO,
    SF,
    TAX_CODES,
    TICKET_STATUSES,
    WORK_TYPES,
)
from msplink.sandbox.connectwise._store import Store
from msplink.sandbox.quickbooks._state import Company
from msplink.sandbox.salesforce._org import Org
from msplink.sandbox.salesforce._schema import INVOICE_OBJECT, invoice_fields

__all__ = [
    "CW_REFERENCE_IDS",
    "QBO_ACCOUNTS",
    "Seeded",
    "customise_org",
    "qbo_item_for_sku",
    "seed_connectwise",
    "seed_quickbooks",
    "seed_salesforce",
]

CW_REFERENCE_IDS: dict[str, dict[str, int]] = {
    "billing_cycles": {"Monthly": 1, "Quarterly": 2, "Yearly": 3},
    "agreement_types": {"Managed Services": 1, "Backup": 2, "Security": 3, "Project": 4},
    "work_types": {name: i + 1 for i, (name, _, _) in enumerate(WORK_TYPES)},
    "work_roles": {"Technician": 1, "Engineer": 2},
    "company_statuses": {"Active": 1},
    "company_types": {"Client": 1, "Prospect": 2},
    "markets": {  # the industries of the world's businesses (Salesforce Industry <-> CW market)
        "Agriculture": 1,
        "Construction": 2,
        "Education": 3,
        "Finance": 4,
        "Healthcare": 5,
        "Manufacturing": 6,
        "Other": 7,
        "Retail": 8,
        "Technology": 9,
    },
    "countries": {"United States": 1},
    "currencies": {"USD": 1},
    "communication_types": {"Email": 1, "Direct": 2},
}
"""ConnectWise reference ids for kinds the sandbox serves no collection of (setup tables)."""

QBO_ACCOUNTS: tuple[tuple[str, str, str], ...] = (
    ("Managed Services Income", "Income", "ServiceFeeIncome"),
    ("Hardware Sales", "Income", "SalesOfProductIncome"),
    ("Hardware COGS", "Cost of Goods Sold", "SuppliesMaterialsCogs"),
    ("Labour Cost", "Expense", "PayrollExpenses"),
    ("Accrued Wages", "Other Current Liability", "OtherCurrentLiabilities"),
)
"""Accounts the MSP added to its chart of accounts (the sandbox's defaults stay)."""

_USD = {"id": 1, "symbol": "$", "currencyCode": "USD", "name": "US Dollars"}


@attrs.define
class Seeded:
    """Every id written, by business key (``None`` where a plan has no record in that system)."""

    cw_setup: dict[str, dict[str, int]] = attrs.field(factory=dict)
    qbo_setup: dict[str, dict[str, str]] = attrs.field(factory=dict)
    sf_users: dict[str, str] = attrs.field(factory=dict)
    cw_company: dict[int, int] = attrs.field(factory=dict)
    cw_contacts: dict[int, list[int]] = attrs.field(factory=dict)
    cw_agreements: dict[int, list[int]] = attrs.field(factory=dict)
    cw_tickets: dict[int, list[int]] = attrs.field(factory=dict)
    cw_invoices: dict[int, list[int | None]] = attrs.field(factory=dict)
    qbo_customer: dict[int, str] = attrs.field(factory=dict)
    qbo_invoices: dict[int, list[str | None]] = attrs.field(factory=dict)
    qbo_payments: dict[int, list[str]] = attrs.field(factory=dict)
    sf_account: dict[int, str] = attrs.field(factory=dict)
    sf_contacts: dict[int, list[str]] = attrs.field(factory=dict)
    sf_opportunities: dict[int, list[str]] = attrs.field(factory=dict)
    sf_cases: dict[int, list[str]] = attrs.field(factory=dict)
    sf_leads: list[str] = attrs.field(factory=list)


def _day(value: date) -> str:
    return f"{value.isoformat()}T00:00:00Z"


def _stamp(value: datetime) -> str:
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# ------------------------------------------------------------------------------------------ ConnectWise


def _cw_setup(store: Store, bp: Blueprint, seeded: Seeded) -> None:
    setup = seeded.cw_setup
    stamp = _stamp(bp.now - timedelta(days=900))

    def put(collection: str, record: dict[str, Any], parent: int | None = None) -> dict[str, Any]:
        record["_stamp"] = stamp
        return store.insert(collection, record, parent=parent)

    setup["billing_terms"] = {
        name: put(
            "billingTerms",
            {"name": name, "dueDays": days, "defaultFlag": days == 30, "termsXref": name.upper()},
        )["id"]
        for name, days, _ in BILLING_TERMS
    }
    setup["tax_codes"] = {
        ident: put(
            "taxCodes",
            {
                "identifier": ident,
                "description": desc,
                "invoiceCaption": desc,
                "effectiveDate": "2020-01-01T00:00:00Z",
                "levelOneRate": rate,
                "levelOneRateType": "Percent",
            },
        )["id"]
        for ident, desc, rate, _ in TAX_CODES
    }
    setup["members"] = {
        m.identifier: put(
            "members",
            {
                "identifier": m.identifier,
                "firstName": m.first,
                "lastName": m.last,
                "title": m.title,
                "licenseClass": "F",
                "inactiveFlag": False,
                "hourlyRate": Decimal("150.00"),
            },
        )["id"]
        for m in MEMBERS
        if m.in_cw
    }
    setup["priorities"] = {
        name: put("priorities", {"name": name, "sortOrder": n + 1, "defaultFlag": n == 2})["id"]
        for n, name in enumerate(PRIORITIES)
    }
    setup["boards"], setup["ticket_statuses"] = {}, {}
    for board_name in ("Help Desk", "Projects"):
        board = put(
            "boards", {"name": board_name, "projectFlag": board_name == "Projects", "inactiveFlag": False}
        )
        setup["boards"][board_name] = board["id"]
        for order, status in enumerate(TICKET_STATUSES):
            ref = store.ref_of("boards", board)
            row = put(
                "statuses",
                {"name": status, "sortOrder": order, "closedStatus": status == "Closed", "board": ref},
                parent=board["id"],
            )
            if board_name == "Help Desk":
                setup["ticket_statuses"][status] = row["id"]
    setup["catalog"] = {
        c.sku: put(
            "catalog",
            {
                "identifier": c.sku,
                "description": c.description,
                "customerDescription": c.description,
                "productClass": c.product_class,
                "price": c.price,
                "cost": c.cost,
                "taxableFlag": not c.recurring,
                "recurringFlag": c.recurring,
                "inactiveFlag": False,
            },
        )["id"]
        for c in CATALOG
    }
    setup.update({kind: dict(ids) for kind, ids in CW_REFERENCE_IDS.items()})


def seed_connectwise(store: Store, bp: Blueprint, seeded: Seeded) -> None:
    """Write the setup tables and every business in ConnectWise (companies, sites, contacts,
    agreements with additions, tickets with time, invoices with products and payments)."""
    _cw_setup(store, bp, seeded)
    for b in bp.businesses:
        if CW in b.systems:
            _cw_business(store, bp, b, seeded)
    store.refresh_all_contact_items()


def _ref(store: Store, collection: str, record_id: int) -> dict[str, Any]:
    return store.ref_of(collection, store.data[collection][record_id])


def _cw_business(store: Store, bp: Blueprint, b: Business, seeded: Seeded) -> None:
    setup = seeded.cw_setup
    entered = bp.now - timedelta(days=400 + b.key % 300)

    def put(
        collection: str, record: dict[str, Any], when: datetime, parent: int | None = None
    ) -> dict[str, Any]:
        record["_stamp"] = _stamp(when)
        return store.insert(collection, record, parent=parent)

    terms = _ref(store, "billingTerms", setup["billing_terms"][b.terms])
    tax = _ref(store, "taxCodes", setup["tax_codes"][b.tax_code])
    company = put(
        "companies",
        {
            "identifier": b.identifier,
            "name": b.names[CW],
            "status": {"id": 1, "name": "Active"},
            "types": [{"id": 1, "name": "Client"}],
            "addressLine1": b.street,
            "city": b.city,
            "state": b.state,
            "zip": b.zip,
            "country": {"id": 1, "name": "United States"},
            "phoneNumber": b.phone,
            "website": f"https://www.{b.domain}",
            "invoiceToEmailAddress": b.billing_email,
            "billingTerms": terms,
            "taxCode": tax,
            "territoryManager": _ref(store, "members", setup["members"][b.owner]),
            "numberOfEmployees": b.employees,
            "deletedFlag": False,
        },
        entered,
    )
    seeded.cw_company[b.key] = company["id"]
    cref = store.ref_of("companies", company)
    put(
        "sites",
        {
            "name": "Main",
            "addressLine1": b.street,
            "city": b.city,
            "stateReference": {"identifier": b.state},
            "zip": b.zip,
            "primaryAddressFlag": True,
            "defaultBillingFlag": True,
            "company": cref,
        },
        entered,
        parent=company["id"],
    )
    contacts = []
    for k, person in enumerate(b.people):
        contact = put(
            "contacts",
            {
                "firstName": person.first,
                "lastName": person.last,
                "title": person.title,
                "company": cref,
                "defaultFlag": k == 0,
                "inactiveFlag": False,
            },
            entered,
        )
        for kind, value, type_name in (("Email", person.email, "Email"), ("Phone", person.phone, "Direct")):
            put(
                "communications",
                {
                    "type": {"id": CW_REFERENCE_IDS["communication_types"][type_name], "name": type_name},
                    "value": value,
                    "defaultFlag": True,
                    "communicationType": kind,
                    **({"domain": "@" + b.domain} if kind == "Email" else {}),
                },
                entered,
                parent=contact["id"],
            )
        contacts.append(contact)
    seeded.cw_contacts[b.key] = [c["id"] for c in contacts]
    agreements = []
    for plan in b.agreements:
        one_time = plan.cycle == "One-Time"
        status = (
            "Cancelled" if plan.cancelled else ("Expired" if plan.end and plan.end < bp.today else "Active")
        )
        agreement = put(
            "agreements",
            {
                "name": f"{b.names[CW]} - {plan.name}",
                "type": {"id": CW_REFERENCE_IDS["agreement_types"][plan.type], "name": plan.type},
                "company": cref,
                "contact": store.ref_of("contacts", contacts[0]),
                "agreementStatus": status,
                "startDate": _day(plan.start),
                **({"endDate": _day(plan.end)} if plan.end else {}),
                "noEndingDateFlag": plan.end is None,
                **(
                    {"oneTimeFlag": True}
                    if one_time
                    else {
                        "oneTimeFlag": False,
                        "billingCycle": {
                            "id": CW_REFERENCE_IDS["billing_cycles"][plan.cycle],
                            "name": plan.cycle,
                        },
                    }
                ),
                "billAmount": Decimal("0.00"),
                "billingTerms": terms,
                "taxCode": tax,
                "taxable": False,
                "billTime": "Billable",
                "billExpenses": "Billable",
                "billProducts": "Billable",
                "cancelledFlag": plan.cancelled,
                "currency": dict(_USD),
            },
            datetime.combine(plan.start, datetime.min.time(), tzinfo=timezone.utc),
        )
        for sku, quantity in plan.additions:
            item = CATALOG_BY_SKU[sku]
            put(
                "additions",
                {
                    "product": {"id": setup["catalog"][sku], "identifier": sku},
                    "description": item.description,
                    "billCustomer": "Billable",
                    "quantity": quantity,
                    "unitPrice": item.price * plan.months,
                    "unitCost": item.cost * plan.months,
                    "extPrice": quantity * item.price * plan.months,
                    "extCost": quantity * item.cost * plan.months,
                    "effectiveDate": _day(plan.start),
                    "taxableFlag": False,
                    "agreementStatus": "Cancelled" if plan.cancelled else "Active",
                },
                datetime.combine(plan.start, datetime.min.time(), tzinfo=timezone.utc),
                parent=agreement["id"],
            )
        agreements.append(agreement)
    seeded.cw_agreements[b.key] = [a["id"] for a in agreements]
    invoice_ids = _cw_invoices(store, bp, b, seeded, cref, terms, tax, agreements)
    tickets = []
    help_desk = _ref(store, "boards", setup["boards"]["Help Desk"])
    for plan_t in b.tickets:
        status_id = setup["ticket_statuses"][plan_t.status]
        ticket = put(
            "tickets",
            {
                "summary": plan_t.summary,
                "recordType": "ServiceTicket",
                "board": help_desk,
                "status": {"id": status_id, "name": plan_t.status},
                "priority": _ref(store, "priorities", setup["priorities"][plan_t.priority]),
                "company": cref,
                "contact": store.ref_of("contacts", contacts[plan_t.contact]),
                "closedFlag": plan_t.status == "Closed",
                **({"closedDate": _stamp(_closed_at(plan_t))} if plan_t.status == "Closed" else {}),
                "escalationLevel": plan_t.escalation_level,
                "severity": "High" if plan_t.escalation_level else "Medium",
                "impact": "High" if plan_t.escalation_level else "Medium",
            },
            plan_t.entered,
        )
        tickets.append(ticket)
        for entry in plan_t.time:
            member = _ref(store, "members", setup["members"][entry.member])
            billed = entry.invoice is not None and invoice_ids[entry.invoice] is not None
            put(
                "timeEntries",
                {
                    "chargeToType": "ServiceTicket",
                    "chargeToId": ticket["id"],
                    "company": cref,
                    "member": member,
                    "timeStart": _stamp(entry.start),
                    "timeEnd": _stamp(entry.start + timedelta(hours=float(entry.hours))),
                    "actualHours": entry.hours,
                    "hoursBilled": entry.hours if entry.billable else Decimal(0),
                    "billableOption": "Billable" if entry.billable else "DoNotBill",
                    "hourlyRate": entry.rate,
                    "workType": {
                        "id": CW_REFERENCE_IDS["work_types"][entry.work_type],
                        "name": entry.work_type,
                    },
                    "workRole": {"id": 1, "name": "Technician"},
                    "notes": f"{plan_t.summary}: worked on by {entry.member}",
                    "status": entry.status,
                    "ticket": {"id": ticket["id"], "summary": ticket["summary"]},
                    **(
                        {
                            "invoice": {
                                "id": invoice_ids[entry.invoice],
                                "identifier": b.invoices[entry.invoice].number,
                            }
                        }
                        if billed and entry.invoice is not None
                        else {}
                    ),
                },
                entry.start + timedelta(hours=float(entry.hours)),
            )
    seeded.cw_tickets[b.key] = [t["id"] for t in tickets]


def _closed_at(ticket: TicketPlan) -> datetime:
    """When a closed ticket closed: the end of its last time entry (ConnectWise sets ``closedDate``)."""
    return max(e.start + timedelta(hours=float(e.hours)) for e in ticket.time)


def _cw_invoices(
    store: Store,
    bp: Blueprint,
    b: Business,
    seeded: Seeded,
    cref: dict[str, Any],
    terms: dict[str, Any],
    tax: dict[str, Any],
    agreements: list[dict[str, Any]],
) -> list[int | None]:
    setup = seeded.cw_setup
    ids: list[int | None] = []
    for index, plan in enumerate(b.invoices):
        if not plan.in_cw:
            ids.append(None)
            continue
        total = b.invoice_total(index)
        products = sum((CATALOG_BY_SKU[s].price * q for s, q in plan.products), Decimal(0))
        service = total - products
        paid = total if plan.cw_paid else Decimal("0.00")
        when = datetime.combine(plan.issued, datetime.min.time(), tzinfo=timezone.utc) + timedelta(hours=18)
        components: dict[str, Any] = (
            {"agreementAmount": total}
            if plan.kind == "Agreement"
            else {"productTotal": products, "serviceTotal": service}
        )
        record = store.insert(
            "invoices",
            {
                "invoiceNumber": plan.number,
                "type": plan.kind,
                "status": {"id": 2, "name": "Paid", "isClosed": True}
                if plan.cw_paid
                else {"id": 1, "name": "Sent", "isClosed": False},
                "company": cref,
                "billToCompany": cref,
                "date": _day(plan.issued),
                "dueDate": _day(plan.due),
                "billingTerms": terms,
                "taxCode": tax,
                "taxableFlag": False,
                "subtotal": total,
                "salesTax": Decimal("0.00"),
                "total": total,
                "payments": paid,
                "credits": Decimal("0.00"),
                "balance": total - paid,
                "currency": dict(_USD),
                **components,
                **(
                    {
                        "agreement": {
                            "id": agreements[plan.agreement]["id"],
                            "name": agreements[plan.agreement]["name"],
                        }
                    }
                    if plan.agreement is not None
                    else {}
                ),
                "_stamp": _stamp(when),
            },
        )
        ids.append(record["id"])
        if plan.kind == "Standard":
            for sku, quantity in plan.products:
                item = CATALOG_BY_SKU[sku]
                store.insert(
                    "products",
                    {
                        "catalogItem": {"id": setup["catalog"][sku], "identifier": sku},
                        "description": item.description,
                        "customerDescription": item.description,
                        "productClass": item.product_class,
                        "quantity": quantity,
                        "price": item.price,
                        "cost": item.cost,
                        "extPrice": quantity * item.price,
                        "extCost": quantity * item.cost,
                        "billableOption": "Billable",
                        "taxableFlag": not item.recurring,
                        "company": cref,
                        "invoice": {"id": record["id"], "identifier": plan.number},
                        "_stamp": _stamp(when),
                    },
                )
        if plan.cw_paid:
            store.insert(
                "payments",
                {
                    "type": "Payment",
                    "amount": total,
                    "paymentDate": _day(plan.issued + timedelta(days=20)),
                    "appliedBy": "api_sync",
                    "invoice": {"id": record["id"], "identifier": plan.number},
                    "_stamp": _stamp(when + timedelta(days=20)),
                },
                parent=record["id"],
            )
    seeded.cw_invoices[b.key] = ids
    return ids


# ------------------------------------------------------------------------------------------ QuickBooks


def _qbo_setup(company: Company, seeded: Seeded) -> None:
    setup: dict[str, dict[str, str]] = {"accounts": {}, "terms": {}, "items": {}, "employees": {}}
    for name, kind, sub in QBO_ACCOUNTS:
        setup["accounts"][name] = company.create(
            "Account", {"Name": name, "AccountType": kind, "AccountSubType": sub}
        )["Id"]
    for account in company.data["Account"].values():
        setup["accounts"].setdefault(str(account["Name"]), str(account["Id"]))
    for term in company.data["Term"].values():
        setup["terms"][str(term["Name"])] = str(term["Id"])
    accounts = setup["accounts"]

    def item(
        key: str, name: str, kind: str, income: str, price: Decimal | None = None, sku: str | None = None
    ) -> None:
        body: dict[str, Any] = {"Name": name, "Type": kind, "IncomeAccountRef": {"value": accounts[income]}}
        if kind == "NonInventory":
            body["ExpenseAccountRef"] = {"value": accounts["Hardware COGS"]}
        if price is not None:
            body["UnitPrice"] = price
        if sku is not None:
            body["Sku"] = sku
        setup["items"][key] = company.create("Item", body)["Id"]

    item("Services", "Services", "Service", "Services")
    item("Rounding", "Rounding Adjustment", "Service", "Services")
    item("class:Agreement", "Managed Services", "Service", "Managed Services Income")
    item("class:Service", "Professional Services", "Service", "Services")
    item("class:NonInventory", "Hardware", "NonInventory", "Hardware Sales")
    for c in CATALOG:
        if c.mapped:
            income = {"Agreement": "Managed Services Income", "NonInventory": "Hardware Sales"}.get(
                c.product_class, "Services"
            )
            kind = "NonInventory" if c.product_class == "NonInventory" else "Service"
            item(f"sku:{c.sku}", c.description, kind, income, c.price, c.sku)
    for name, rate, mapped in WORK_TYPES:
        if mapped:
            item(f"work:{name}", name, "Service", "Services", rate)
    for m in MEMBERS:
        if m.qbo_employee:
            body = {
                "GivenName": m.first,
                "FamilyName": m.last,
                "DisplayName": f"{m.first} {m.last}",
                "BillableTime": True,
                "BillRate": Decimal("125.00"),
            }
            setup["employees"][m.identifier] = company.create("Employee", body)["Id"]
    seeded.qbo_setup = setup


def qbo_item_for_sku(seeded: Seeded, sku: str) -> str:
    """The QBO item a CW catalog item lands on: its own, its product class's, or the default item."""
    items = seeded.qbo_setup["items"]
    product_class = CATALOG_BY_SKU[sku].product_class
    return items.get(f"sku:{sku}") or items.get(f"class:{product_class}") or items["Services"]


def _qbo_lines(b: Business, plan: InvoicePlan, seeded: Seeded) -> list[dict[str, Any]]:
    lines: list[dict[str, Any]] = []
    for sku, quantity in plan.products:
        item = CATALOG_BY_SKU[sku]
        lines.append(
            {
                "DetailType": "SalesItemLineDetail",
                "Amount": (item.price * quantity).quantize(Decimal("0.01")),
                "Description": item.description,
                "SalesItemLineDetail": {
                    "ItemRef": {"value": qbo_item_for_sku(seeded, sku)},
                    "Qty": quantity,
                    "UnitPrice": item.price,
                },
            }
        )
    items = seeded.qbo_setup["items"]
    for t, e in plan.time:
        ticket = b.tickets[t]
        entry = ticket.time[e]
        lines.append(
            {
                "DetailType": "SalesItemLineDetail",
                "Amount": (entry.hours * entry.rate).quantize(Decimal("0.01")),
                "Description": f"{ticket.summary} ({entry.work_type})",
                "SalesItemLineDetail": {
                    "ItemRef": {"value": items.get(f"work:{entry.work_type}", items["Services"])},
                    "Qty": entry.hours,
                    "UnitPrice": entry.rate,
                    "ServiceDate": entry.start.date().isoformat(),
                },
            }
        )
    return lines


def seed_quickbooks(company: Company, bp: Blueprint, seeded: Seeded) -> None:
    """Write the chart of accounts, items, employees, customers, invoices and payments, with QBO's rules."""
    _qbo_setup(company, seeded)
    terms = dict(seeded.qbo_setup["terms"])
    term_of = {name: terms[qbo] for name, _, qbo in BILLING_TERMS if qbo is not None}
    for b in bp.businesses:
        if QBO not in b.systems:
            continue
        body: dict[str, Any] = {
            "DisplayName": b.names[QBO],
            "CompanyName": b.names[QBO],
            "PrimaryEmailAddr": {"Address": b.qbo_email},
            "PrimaryPhone": {"FreeFormNumber": b.phone},
            "BillAddr": {
                "Line1": b.street,
                "City": b.city,
                "CountrySubDivisionCode": b.state,
                "PostalCode": b.zip,
                "Country": "US",
            },
        }
        if b.twin_of is None:
            body["WebAddr"] = {"URI": f"https://www.{b.domain}"}
        if b.terms in term_of:
            body["SalesTermRef"] = {"value": term_of[b.terms]}
        customer_id = str(company.create("Customer", body)["Id"])
        seeded.qbo_customer[b.key] = customer_id
        invoice_ids: list[str | None] = []
        for plan in b.invoices:
            if not plan.in_qbo:
                invoice_ids.append(None)
                continue
            invoice = {
                "CustomerRef": {"value": customer_id},
                "DocNumber": plan.number,
                "TxnDate": plan.issued.isoformat(),
                "DueDate": plan.due.isoformat(),
                "Line": _qbo_lines(b, plan, seeded),
            }
            invoice_ids.append(str(company.create("Invoice", invoice)["Id"]))
        seeded.qbo_invoices[b.key] = invoice_ids
        payment_ids = []
        for payment in b.payments:
            lines = [
                {"Amount": amount, "LinkedTxn": [{"TxnId": invoice_ids[i], "TxnType": "Invoice"}]}
                for i, amount in payment.allocations
            ]
            created = company.create(
                "Payment",
                {
                    "CustomerRef": {"value": customer_id},
                    "TotalAmt": payment.total,
                    "TxnDate": payment.paid_on.isoformat(),
                    "PaymentRefNum": f"{payment.method[:2].upper()}-{b.key:05d}",
                    "Line": lines,
                },
            )
            payment_ids.append(str(created["Id"]))
        seeded.qbo_payments[b.key] = payment_ids


# ------------------------------------------------------------------------------------------ Salesforce


def customise_org(org: Org) -> None:
    """The MSP's Salesforce customisation: a ``Qualified`` lead status (the org's lead process) and an
    invoice custom object (``Invoice__c``, where CW invoices are shown)."""
    if INVOICE_OBJECT.lower() not in org.objects:
        org.add_object(INVOICE_OBJECT, key_prefix="a01", fields=invoice_fields())
    lead = org.spec("Lead")
    status = lead.field("Status")
    if status is not None and "Qualified" not in status.picklist:
        lead.add(attrs.evolve(status, picklist=(*status.picklist[:2], "Qualified", *status.picklist[2:])))


def seed_salesforce(org: Org, bp: Blueprint, seeded: Seeded) -> None:
    """Write users, accounts, contacts, opportunities, cases and leads (CW ids where already linked)."""
    customise_org(org)
    org.user = org.integration_user_id
    for m in MEMBERS:
        if m.sf_user:
            seeded.sf_users[m.identifier] = org.insert_raw(
                "User",
                {
                    "Username": f"{m.identifier}@msp.example",
                    "FirstName": m.first,
                    "LastName": m.last,
                    "Email": f"{m.identifier}@msp.example",
                    "Alias": m.identifier[:8],
                    "IsActive": True,
                    "Title": m.title,
                },
            )
    users = seeded.sf_users
    for b in bp.businesses:
        if SF not in b.systems:
            continue
        owner = users[b.owner]
        linked = b.sf_linked and b.key in seeded.cw_company
        account: dict[str, Any] = {
            "Name": b.names[SF],
            "Type": "Customer - Direct" if (CW in b.systems or QBO in b.systems) else "Prospect",
            "Industry": b.industry,
            "BillingStreet": b.street,
            "BillingCity": b.city,
            "BillingState": b.state,
            "BillingPostalCode": b.zip,
            "BillingCountry": "United States",
            "Phone": b.phone,
            "NumberOfEmployees": b.employees,
            "OwnerId": owner,
        }
        if b.twin_of is None:
            account["Website"] = f"https://www.{b.domain}"
        if linked:
            account["CW_Company_Id__c"] = str(seeded.cw_company[b.key])
        account_id = org.insert_raw("Account", account)
        seeded.sf_account[b.key] = account_id
        contact_ids = []
        for k, person in enumerate(b.people):
            contact: dict[str, Any] = {
                "AccountId": account_id,
                "FirstName": person.first,
                "LastName": person.last,
                "Email": person.sf_email,
                "Phone": person.phone,
                "Title": person.title,
                "OwnerId": owner,
            }
            if linked:
                contact["CW_Contact_Id__c"] = str(seeded.cw_contacts[b.key][k])
            contact_ids.append(org.insert_raw("Contact", contact))
        seeded.sf_contacts[b.key] = contact_ids
        seeded.sf_opportunities[b.key] = [
            org.insert_raw(
                "Opportunity",
                {
                    "Name": opp.name,
                    "AccountId": account_id,
                    "StageName": opp.stage,
                    "CloseDate": opp.close,
                    "Amount": opp.amount,
                    "Type": opp.type,
                    "LeadSource": "Partner Referral",
                    "OwnerId": owner,
                },
            )
            for opp in b.opportunities
        ]
        cases = []
        for t, ticket in enumerate(b.tickets):
            if ticket.sf_case:
                cases.append(
                    org.insert_raw(
                        "Case",
                        {
                            "Subject": ticket.summary,
                            "Status": "Escalated",
                            "Priority": "High",
                            "Origin": "Phone",
                            "AccountId": account_id,
                            "ContactId": contact_ids[ticket.contact],
                            "IsEscalated": True,
                            "OwnerId": owner,
                            "CW_Ticket_Id__c": str(seeded.cw_tickets[b.key][t]),
                        },
                    )
                )
        seeded.sf_cases[b.key] = cases
    _sf_leads(org, bp, seeded)


def _sf_leads(org: Org, bp: Blueprint, seeded: Seeded) -> None:
    for i, lead in enumerate(bp.leads):
        values: dict[str, Any] = {
            "FirstName": lead.first,
            "LastName": lead.last,
            "Company": lead.company,
            "Email": lead.email,
            "Status": lead.status,
            "Rating": lead.rating,
            "LeadSource": ("Web", "Phone Inquiry", "Partner Referral")[i % 3],
            "OwnerId": seeded.sf_users[lead.owner],
        }
        target = lead.converted_to
        if target is not None:
            opportunities: list[str | None] = [*seeded.sf_opportunities.get(target, []), None]
            values.update(
                IsConverted=True,
                ConvertedDate=bp.today - timedelta(days=30 + i % 20),
                ConvertedAccountId=seeded.sf_account[target],
                ConvertedContactId=seeded.sf_contacts[target][0],
                ConvertedOpportunityId=opportunities[0],
            )
        seeded.sf_leads.append(org.insert_raw("Lead", values))
