"""Deterministic MSP demo data for the Salesforce sandbox, written through :class:`Org`."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from msplink.sandbox.salesforce._org import Org

__all__ = ["generate"]

_FIRST = (
    "Ava",
    "Ben",
    "Chloe",
    "Dan",
    "Emma",
    "Finn",
    "Grace",
    "Hugo",
    "Isla",
    "Jack",
    "Kate",
    "Liam",
    "Mia",
    "Noah",
)
_LAST = (
    "Adams",
    "Baker",
    "Clark",
    "Davis",
    "Evans",
    "Foster",
    "Green",
    "Hughes",
    "Irwin",
    "Jones",
    "King",
    "Lopez",
)
_COMPANY_A = (
    "Acme",
    "Northwind",
    "Contoso",
    "Fabrikam",
    "Globex",
    "Initech",
    "Umbrella",
    "Stark",
    "Wayne",
    "Tyrell",
)
_COMPANY_B = ("Dental", "Logistics", "Law Group", "Clinic", "Manufacturing", "Realty", "Accounting", "Foods")
_CITIES = ("Austin", "Denver", "Boston", "Seattle", "Chicago", "Atlanta", "Phoenix", "Portland")
_LEAD_SOURCES = ("Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other")


def generate(org: Org, *, size: int, seed: int) -> dict[str, int]:
    """Fill the org with a deterministic MSP dataset: ``size`` accounts, two contacts each, leads,
    opportunities (about a third Closed Won), cases, tasks and contracts; two queues own some leads and
    cases.

    Returns:
        Counts created per object.
    """
    rng = random.Random(seed)
    counts: dict[str, int] = {}
    org.user = org.integration_user_id
    owners = [org.integration_user_id]
    user_base = len(org.data["user"])
    for i in range(4):
        owners.append(
            org.insert_raw(
                "User",
                {
                    "Username": f"rep{user_base + i}.{seed}@msplink-sandbox.example",
                    "FirstName": rng.choice(_FIRST),
                    "LastName": rng.choice(_LAST),
                    "Email": f"rep{i}@msplink-sandbox.example",
                    "Alias": f"rep{i}",
                    "IsActive": True,
                    "Title": "Account Executive",
                },
            )
        )
    counts["User"] = 4
    # Two queues (Groups of type Queue): every seventh lead and case is owned by one, as in
    # an org that routes leads and cases (Lead/Case/Task OwnerId references Group and User).
    queues = [
        org.insert_raw("Group", {"Name": name, "DeveloperName": name.replace(" ", "_"), "Type": "Queue"})
        for name in ("Sales Queue", "Support Queue")
    ]
    counts["Group"] = len(queues)

    def owner(index: int, drawn: str | None, queue: str) -> str | None:
        return queue if index % 7 == 3 else drawn

    base = len(org.data["account"])  # a second seed() adds records, never duplicate keys
    accounts: list[str] = []
    contacts: list[str] = []
    for i in range(size):
        name = f"{rng.choice(_COMPANY_A)} {rng.choice(_COMPANY_B)} {i + 1}"
        accounts.append(
            org.insert_raw(
                "Account",
                {
                    "Name": name,
                    "Type": rng.choice(("Customer - Direct", "Prospect", "Customer - Channel")),
                    "Industry": rng.choice(
                        ("Technology", "Healthcare", "Finance", "Manufacturing", "Retail")
                    ),
                    "BillingCity": rng.choice(_CITIES),
                    "BillingCountry": "United States",
                    "Phone": f"(555) {rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
                    "Website": f"https://www.{name.split()[0].lower()}{i + 1}.example",
                    "AnnualRevenue": Decimal(rng.randint(1, 500) * 10000),
                    "NumberOfEmployees": rng.randint(5, 2000),
                    "OwnerId": rng.choice(owners),
                    "CW_Company_Id__c": str(19000 + base + i),
                },
            )
        )
    for i, account in enumerate(accounts):
        for j in range(2):
            first, last = rng.choice(_FIRST), rng.choice(_LAST)
            contacts.append(
                org.insert_raw(
                    "Contact",
                    {
                        "AccountId": account,
                        "FirstName": first,
                        "LastName": last,
                        "Email": f"{first.lower()}.{last.lower()}{i}{j}@example.com",
                        "Phone": f"(555) {rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
                        "Title": rng.choice(("CEO", "IT Manager", "Office Manager", "CFO", "Owner")),
                        "OwnerId": rng.choice(owners),
                        "CW_Contact_Id__c": str(50000 + 2 * base + i * 2 + j),
                    },
                )
            )
    counts["Account"], counts["Contact"] = len(accounts), len(contacts)
    today = org.now().date()
    for i in range(size):
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        org.insert_raw(
            "Lead",
            {
                "FirstName": first,
                "LastName": last,
                "Company": f"{rng.choice(_COMPANY_A)} {rng.choice(_COMPANY_B)} Prospect {i + 1}",
                "Email": f"{first.lower()}.{last.lower()}.lead{i}@example.com",
                "Status": rng.choice(
                    ("Open - Not Contacted", "Working - Contacted", "Closed - Not Converted")
                ),
                "LeadSource": rng.choice(_LEAD_SOURCES),
                "OwnerId": owner(i, rng.choice(owners), queues[0]),
            },
        )
    counts["Lead"] = size
    opps = []
    for i in range(size):
        stage = (
            "Closed Won"
            if i % 3 == 0
            else rng.choice(
                (
                    "Prospecting",
                    "Qualification",
                    "Proposal/Price Quote",
                    "Negotiation/Review",
                    "Closed Lost",
                )
            )
        )
        opps.append(
            org.insert_raw(
                "Opportunity",
                {
                    "Name": f"Managed services {i + 1}",
                    "AccountId": accounts[i % len(accounts)] if accounts else None,
                    "StageName": stage,
                    "CloseDate": today + timedelta(days=rng.randint(-90, 90)),
                    "Amount": Decimal(rng.randint(10, 500) * 100),
                    "Type": rng.choice(("New Customer", "Renewal", "Existing Customer - Upgrade")),
                    "OwnerId": rng.choice(owners),
                },
            )
        )
    counts["Opportunity"] = len(opps)
    for i in range(size):
        org.insert_raw(
            "Case",
            {
                "Subject": rng.choice(
                    (
                        "Email not syncing",
                        "VPN down",
                        "New laptop setup",
                        "Printer offline",
                        "Backup failed",
                    )
                ),
                "Status": rng.choice(("New", "Working", "Escalated", "Closed")),
                "Priority": rng.choice(("High", "Medium", "Low")),
                "Origin": rng.choice(("Phone", "Email", "Web")),
                "AccountId": accounts[i % len(accounts)] if accounts else None,
                "ContactId": contacts[(i * 2) % len(contacts)] if contacts else None,
                "OwnerId": owner(i + 2, rng.choice(owners), queues[1]),
                "CW_Ticket_Id__c": str(80000 + base + i),
            },
        )
    counts["Case"] = size
    for i in range(size):
        org.insert_raw(
            "Task",
            {
                "Subject": rng.choice(("Call", "Email", "Send Quote", "Follow up on invoice")),
                "Status": rng.choice(("Not Started", "In Progress", "Completed")),
                "Priority": rng.choice(("High", "Normal", "Low")),
                "ActivityDate": today + timedelta(days=rng.randint(-30, 30)),
                "WhoId": contacts[i % len(contacts)] if contacts else None,
                "WhatId": accounts[i % len(accounts)] if accounts else None,
                "OwnerId": rng.choice(owners),
            },
        )
    counts["Task"] = size
    for i in range(max(1, size // 2) if accounts else 0):
        org.insert_raw(
            "Contract",
            {
                "AccountId": accounts[i],
                "Status": rng.choice(("Draft", "Activated")),
                "StartDate": today - timedelta(days=rng.randint(0, 700)),
                "ContractTerm": rng.choice((12, 24, 36)),
                "OwnerId": rng.choice(owners),
                "CW_Agreement_Id__c": str(3000 + base + i),
            },
        )
    counts["Contract"] = max(1, size // 2) if accounts else 0
    return counts
