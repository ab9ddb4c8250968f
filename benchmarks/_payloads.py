"""Full-record payloads for the parse benchmarks: every field the 2025.16 schema has, shaped as CW sends it.

A real ``GET /company/companies/{id}`` answer carries every field that has a value, references as
``{"id", "identifier"/"name", "_info": {"<field>_href": ...}}`` and an ``_info`` block with the record's
hrefs (REFERENCE §7, §10.1, §10.10). These builders fill every field of the schema that way, with
values that differ per record (so 10,000 records are 10,000 distinct payloads); a company is ~5.8 KB
and a ticket ~6.6 KB of JSON, the sizes the issue measured. QBO payloads are the real samples in
``tests/quickbooks/samples`` (copied from ``../shared/apis/quickbooks/samples``), varied per record the same way.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

__all__ = [
    "CW_API",
    "cw_company",
    "cw_ticket",
    "qbo_customer",
    "qbo_invoice",
    "SAMPLES",
]

CW_API = "https://api-na.myconnectwise.net/v2025_1/apis/3.0"
SAMPLES = Path(__file__).resolve().parents[1] / "tests" / "quickbooks" / "samples"
"""The verbatim copy of ``../shared/apis/quickbooks/samples`` the test-suite keeps (so CI needs no shared/)."""


def _ref(field: str, path: str, rid: int, name: str, *, identifier: str | None = None) -> dict[str, Any]:
    ref: dict[str, Any] = {"id": rid}
    if identifier is not None:
        ref["identifier"] = identifier
    ref["name"] = name
    ref["_info"] = {f"{field}_href": f"{CW_API}/{path}/{rid}"}
    return ref


def _currency() -> dict[str, Any]:
    return {
        "id": 7,
        "symbol": "$",
        "currencyCode": "USD",
        "decimalSeparator": ".",
        "numberOfDecimals": 2,
        "thousandsSeparator": ",",
        "negativeParenthesesFlag": False,
        "displaySymbolFlag": False,
        "currencyIdentifier": "USD",
        "displayIdFlag": False,
        "rightAlign": False,
        "name": "US Dollars",
        "_info": {"currency_href": f"{CW_API}/finance/currencies/7"},
    }


def _custom_fields(i: int) -> list[dict[str, Any]]:
    return [
        {
            "id": 1,
            "caption": "QBO Customer Id",
            "type": "Text",
            "entryMethod": "EntryField",
            "numberOfDecimals": 0,
            "value": str(1000 + i),
            "connectWiseId": "6b0e0b35-43a5-4e5c-9f6c-1f2e3d4c5b6a",
        },
        {
            "id": 2,
            "caption": "Managed Seats",
            "type": "Number",
            "entryMethod": "EntryField",
            "numberOfDecimals": 0,
            "value": 25 + i % 40,
            "connectWiseId": "0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
        },
        {
            "id": 3,
            "caption": "SLA Tier",
            "type": "Text",
            "entryMethod": "List",
            "numberOfDecimals": 0,
            "value": "Gold",
            "connectWiseId": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
        },
    ]


def cw_company(i: int = 1) -> dict[str, Any]:
    """A full ConnectWise company (every field of the 2025.16 schema set), distinct per ``i``."""
    cid = 19000 + i
    hrefs = [
        "contacts",
        "agreements",
        "tickets",
        "opportunities",
        "activities",
        "projects",
        "configurations",
        "orders",
        "documents",
        "sites",
        "teams",
        "reports",
        "notes",
    ]
    info: dict[str, Any] = {
        "lastUpdated": f"2026-0{1 + i % 9}-1{i % 10}T1{i % 10}:2{i % 10}:3{i % 10}Z",
        "updatedBy": "jdoe",
        "dateEntered": "2019-04-03T15:04:11Z",
        "enteredBy": "import",
    }
    for name in hrefs:
        info[f"{name}_href"] = f"{CW_API}/company/{name}?conditions=company/id={cid}"
    return {
        "id": cid,
        "identifier": f"Acme{i:05d}",
        "name": f"Acme Dental Group {i}",
        "status": _ref("status", "company/companies/statuses", 1, "Active"),
        "addressLine1": f"{100 + i % 900} Commerce Parkway",
        "addressLine2": "Suite 400",
        "city": "Tampa",
        "state": "FL",
        "zip": "33607",
        "country": _ref("country", "company/countries", 1, "United States", identifier="US"),
        "phoneNumber": "8135550100",
        "faxNumber": "8135550199",
        "website": f"https://www.acme{i}.example",
        "territory": _ref("territory", "system/locations", 2, "Tampa Office"),
        "market": _ref("market", "company/marketDescriptions", 4, "Healthcare"),
        "accountNumber": f"AC-{cid}",
        "defaultContact": _ref("defaultContact", "company/contacts", 5000 + i, "Dana Whitfield"),
        "dateAcquired": "2019-04-03T00:00:00Z",
        "sicCode": _ref("sicCode", "company/sicCodes", 8021, "Offices and Clinics of Dentists"),
        "parentCompany": _ref(
            "parentCompany", "company/companies", 18000, "Acme Holdings", identifier="AcmeHold"
        ),
        "annualRevenue": 4250000.75,
        "numberOfEmployees": 85,
        "yearEstablished": 1998,
        "revenueYear": 2025,
        "ownershipType": _ref("ownershipType", "company/ownershipTypes", 2, "Private"),
        "timeZoneSetup": _ref("timeZoneSetup", "system/timeZoneSetups", 1, "US Eastern"),
        "leadSource": "Referral",
        "leadFlag": False,
        "unsubscribeFlag": False,
        "calendar": _ref("calendar", "schedule/calendars", 1, "Standard Business Hours"),
        "userDefinedField1": "Tier 1",
        "userDefinedField2": "Dental",
        "userDefinedField3": "FL-West",
        "userDefinedField4": "Net 30",
        "userDefinedField5": "Quarterly review",
        "userDefinedField6": "Windows",
        "userDefinedField7": "M365 E3",
        "userDefinedField8": "Datto BCDR",
        "userDefinedField9": "SentinelOne",
        "userDefinedField10": "Yes",
        "vendorIdentifier": f"V{cid}",
        "taxIdentifier": "59-1234567",
        "taxCode": _ref("taxCode", "finance/taxCodes", 11, "Florida"),
        "billingTerms": _ref("billingTerms", "finance/billingTerms", 1, "Net 30 days"),
        "invoiceTemplate": _ref("invoiceTemplate", "finance/invoiceTemplates", 1, "Standard"),
        "pricingSchedule": _ref("pricingSchedule", "procurement/pricingschedules", 3, "Healthcare Pricing"),
        "companyEntityType": _ref("companyEntityType", "company/entityTypes", 1, "Organization"),
        "billToCompany": _ref(
            "billToCompany", "company/companies", cid, f"Acme Dental Group {i}", identifier=f"Acme{i:05d}"
        ),
        "billingSite": _ref("billingSite", f"company/companies/{cid}/sites", 1000, "Main"),
        "billingContact": _ref("billingContact", "company/contacts", 5100 + i, "Accounts Payable"),
        "invoiceDeliveryMethod": _ref("invoiceDeliveryMethod", "finance/invoiceDeliveryMethods", 1, "Email"),
        "invoiceToEmailAddress": f"ap@acme{i}.example",
        "invoiceCCEmailAddress": f"controller@acme{i}.example",
        "deletedFlag": False,
        "dateDeleted": "2026-01-01T00:00:00Z",
        "deletedBy": "nobody",
        "mobileGuid": "3f2504e0-4f89-41d3-9a0c-0305e82c3301",
        "facebookUrl": "https://facebook.com/acme",
        "twitterUrl": "https://twitter.com/acme",
        "linkedInUrl": "https://linkedin.com/company/acme",
        "currency": _currency(),
        "territoryManager": _ref("territoryManager", "system/members", 150, "Chris Lane", identifier="clane"),
        "resellerIdentifier": f"R-{cid}",
        "isVendorFlag": False,
        "types": [
            _ref("type", "company/companies/types", 1, "Client"),
            _ref("type", "company/companies/types", 9, "Managed Services"),
        ],
        "site": _ref("site", f"company/companies/{cid}/sites", 1000, "Main"),
        "integratorTags": ["msplink", "qbo"],
        "creditLimit": 50000.00,
        "additionalDebt": 1250.5,
        "emailTemplate": _ref("emailTemplate", "marketing/emailTemplates", 2, "Client Notice"),
        "customFields": _custom_fields(i),
        "_info": info,
    }


def cw_ticket(i: int = 1) -> dict[str, Any]:
    """A full ConnectWise service ticket (every field of the 2025.16 schema set), distinct per ``i``."""
    tid = 310000 + i
    hrefs = (
        "activities scheduleentries documents configurations tasks notes products timeentries expenseEntries"
    )
    info: dict[str, Any] = {
        "lastUpdated": f"2026-0{1 + i % 9}-1{i % 10}T0{i % 10}:1{i % 10}:2{i % 10}Z",
        "updatedBy": "clane",
        "dateEntered": "2026-03-02T14:05:00Z",
        "enteredBy": "portal",
    }
    for name in hrefs.split():
        info[f"{name}_href"] = f"{CW_API}/service/tickets/{tid}/{name}"
    return {
        "id": tid,
        "summary": f"Workstation {i} cannot reach the practice management server",
        "recordType": "ServiceTicket",
        "board": _ref("board", "service/boards", 1, "Help Desk"),
        "status": _ref("status", "service/boards/1/statuses", 17, "In Progress"),
        "company": _ref(
            "company", "company/companies", 19000 + i, f"Acme Dental Group {i}", identifier=f"Acme{i:05d}"
        ),
        "site": _ref("site", f"company/companies/{19000 + i}/sites", 1000, "Main"),
        "siteName": "Main",
        "addressLine1": "500 Commerce Parkway",
        "addressLine2": "Suite 400",
        "city": "Tampa",
        "stateIdentifier": "FL",
        "zip": "33607",
        "country": _ref("country", "company/countries", 1, "United States", identifier="US"),
        "contact": _ref("contact", "company/contacts", 5000 + i, "Dana Whitfield"),
        "contactName": "Dana Whitfield",
        "contactPhoneNumber": "8135550100",
        "contactPhoneExtension": "204",
        "contactEmailAddress": f"dana@acme{i}.example",
        "contactEmailLookup": f"dana@acme{i}.example",
        "type": _ref("type", "service/boards/1/types", 3, "Network"),
        "subType": _ref("subType", "service/boards/1/subtypes", 12, "Connectivity"),
        "item": _ref("item", "service/boards/1/items", 4, "Server"),
        "team": _ref("team", "service/boards/1/teams", 2, "Tier 2"),
        "owner": _ref("owner", "system/members", 150, "Chris Lane", identifier="clane"),
        "priority": {
            "id": 4,
            "name": "Priority 3 - Normal Response",
            "sort": 6,
            "level": "Medium",
            "_info": {
                "priority_href": f"{CW_API}/service/priorities/4",
                "image_href": f"{CW_API}/service/priorities/4/image",
            },
        },
        "serviceLocation": _ref("serviceLocation", "service/locations", 1, "On-Site"),
        "source": _ref("source", "service/sources", 2, "Phone"),
        "severity": "Medium",
        "impact": "Medium",
        "externalXRef": f"RMM-{tid}",
        "poNumber": f"PO-{i}",
        "knowledgeBaseCategoryId": 3,
        "knowledgeBaseSubCategoryId": 7,
        "allowAllClientsPortalView": False,
        "customerUpdatedFlag": False,
        "automaticEmailContactFlag": True,
        "automaticEmailResourceFlag": True,
        "automaticEmailCcFlag": False,
        "automaticEmailCc": "noc@msp.example",
        "initialDescription": "User reports the PMS client times out after the morning update.",
        "initialInternalAnalysis": "DNS suffix missing after GPO change.",
        "initialResolution": "Re-applied GPO and flushed DNS.",
        "initialDescriptionFrom": "Dana Whitfield",
        "closedDate": "2026-03-03T16:00:00Z",
        "closedBy": "clane",
        "closedFlag": False,
        "actualHours": 1.75,
        "approved": True,
        "estimatedExpenseCost": 0.00,
        "estimatedExpenseRevenue": 0.00,
        "estimatedProductCost": 120.00,
        "estimatedProductRevenue": 189.99,
        "estimatedTimeCost": 85.50,
        "estimatedTimeRevenue": 262.50,
        "billingMethod": "ActualRates",
        "billingAmount": 262.50,
        "hourlyRate": 150.00,
        "subBillingMethod": "ActualRates",
        "subBillingAmount": 0.00,
        "subDateAccepted": "2026-03-02T15:00:00Z",
        "dateResolved": "2026-03-03T15:45:00Z",
        "dateResplan": "2026-03-02T14:30:00Z",
        "dateResponded": "2026-03-02T14:12:00Z",
        "resolveMinutes": 1540,
        "resPlanMinutes": 25,
        "respondMinutes": 7,
        "isInSla": True,
        "knowledgeBaseLinkId": 0,
        "resources": "clane,jdoe",
        "parentTicketId": 0,
        "hasChildTicket": False,
        "hasMergedChildTicketFlag": False,
        "knowledgeBaseLinkType": "ServiceTicket",
        "billTime": "Billable",
        "billExpenses": "Billable",
        "billProducts": "Billable",
        "predecessorType": "Ticket",
        "predecessorId": 0,
        "predecessorClosedFlag": False,
        "lagDays": 0,
        "lagNonworkingDaysFlag": False,
        "estimatedStartDate": "2026-03-02T15:00:00Z",
        "duration": 2,
        "location": _ref("location", "system/locations", 2, "Tampa Office"),
        "department": _ref("department", "system/departments", 1, "Service", identifier="SVC"),
        "mobileGuid": "9b2c1d3e-4f5a-4b6c-8d7e-6f5a4b3c2d1e",
        "sla": _ref("sla", "service/SLAs", 1, "Standard SLA"),
        "slaStatus": "Resolved",
        "requestForChangeFlag": False,
        "currency": _currency(),
        "integratorTags": ["rmm"],
        "escalationStartDateUTC": "2026-03-02T14:05:00Z",
        "escalationLevel": 0,
        "minutesBeforeWaiting": 0,
        "respondedSkippedMinutes": 0,
        "resplanSkippedMinutes": 0,
        "respondedHours": 0.12,
        "respondedBy": "clane",
        "resplanHours": 0.42,
        "resplanBy": "clane",
        "resolutionHours": 25.67,
        "resolvedBy": "clane",
        "minutesWaiting": 0,
        "respondByGoalUTC": "2026-03-02T15:05:00Z",
        "resplanGoalUTC": "2026-03-02T18:05:00Z",
        "resolutionGoalUTC": "2026-03-04T14:05:00Z",
        "escalationLastUpdateMinutes": 0,
        "agreement": {
            "id": 812,
            "name": "Managed Services - Gold",
            "type": "Managed Services",
            "_info": {"agreement_href": f"{CW_API}/finance/agreements/812"},
        },
        "agreementType": "Managed Services",
        "opportunity": _ref("opportunity", "sales/opportunities", 77, "Server refresh"),
        "workRole": _ref("workRole", "time/workRoles", 3, "Engineer"),
        "workType": _ref("workType", "time/workTypes", 1, "Remote Support"),
        "requiredDate": "2026-03-05T00:00:00Z",
        "budgetHours": 2.00,
        "skipCallback": False,
        "processNotifications": True,
        "customFields": _custom_fields(i),
        "_info": info,
    }


def _sample(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SAMPLES / name).read_text(encoding="utf-8"))
    return data


def qbo_customer(i: int = 1) -> dict[str, Any]:
    """The real QBO customer sample (``customer-read-response.json``), distinct per ``i``."""
    body: dict[str, Any] = copy.deepcopy(_sample("customer-read-response.json")["Customer"])
    body["Id"] = str(i)
    body["DisplayName"] = f"{body.get('DisplayName', 'Customer')} {i}"
    return body


def qbo_invoice(i: int = 1) -> dict[str, Any]:
    """The real QBO invoice sample (``invoice-read-response.json``), distinct per ``i``."""
    body: dict[str, Any] = copy.deepcopy(_sample("invoice-read-response.json")["Invoice"])
    body["Id"] = str(i)
    body["DocNumber"] = f"{1000 + i}"
    return body
