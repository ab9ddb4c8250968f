"""Real ConnectWise payloads, copied from ../shared/apis/connectwise/REFERENCE.md (DG and recorded fixtures)."""

from __future__ import annotations

from typing import Any

COMPANY_INFO: dict[str, Any] = {
    "CompanyName": "ConnectWise",
    "Codebase": "v2020_4/",
    "VersionCode": "v2020.4",
    "VersionNumber": "v4.6.77997",
    "CompanyID": "CW",
    "IsCloud": True,
    "SiteUrl": "api-na.myconnectwise.net",
    "AllowedOrigins": ["*.connectwisedev.com", "*.myconnectwise.net", "*.connectwise.net"],
}

COMPANY_INFO_DG: dict[str, Any] = {**COMPANY_INFO, "IsCloud": "True"}  # DG example: a string

INVALID_OBJECT: dict[str, Any] = {
    "code": "InvalidObject",
    "message": "ticket object is invalid",
    "errors": [
        {
            "code": "NotFound",
            "message": "company 99999 not found",
            "resource": "ticket",
            "field": "company/id",
        }
    ],
}

NOT_FOUND: dict[str, Any] = {"code": "NotFound", "message": "Service Ticket 404 not found", "errors": None}
API_FIND_CONDITION: dict[str, Any] = {
    "code": "ApiFindCondition",
    "message": "ticket is not a recognized name.",
}
ENDPOINT_MISSING: dict[str, Any] = {"code": "ConnectWiseApi", "message": "The endpoint does not exist."}
SSL_REQUIRED: dict[str, Any] = {"code": "Security", "message": "SSL is required.", "errors": None}
THROTTLED: dict[str, Any] = {
    "error": "ConnectWiseAPI",
    "message": "Too many requests. Please try again in 30 seconds.",
}
OBJECT_EXISTS: dict[str, Any] = {
    "code": "InvalidObject",
    "message": "callback object is invalid",
    "errors": [
        {
            "code": "ObjectExists",
            "message": "A matching callback entry already exists",
            "resource": "callback",
            "field": "objectId",
        }
    ],
}

CALLBACK_CREATED: dict[str, Any] = {
    "id": 1234,
    "url": "https://hooks.example.com/cw?recordId=",
    "objectId": 1,
    "type": "ticket",
    "level": "owner",
    "memberId": 17,
    "payloadVersion": "3.0.0",
    "inactiveFlag": False,
    "isSoapCallbackFlag": False,
    "isSelfSuppressedFlag": False,
    "connectWiseID": "7f0c1d2e-0000-4000-8000-000000000001",
    "_info": {"lastUpdated": "2024-06-03T23:32:20Z", "updatedBy": "api_sync"},
}

DELIVERY: dict[str, Any] = {
    "MessageId": "5f1b7a8e-1c2d-4e5f-9a0b-1c2d3e4f5a6b",
    "FromUrl": "sandbox-na.myconnectwise.net",
    "CompanyId": "acme",
    "MemberId": "api_sync",
    "Action": "updated",
    "Type": "contact",
    "ID": 4711,
    "ProductInstanceId": "0123456789abcdef01234567",
    "PartnerId": "0123456789abcdef01234567",
    "Entity": '{"id":4711,"firstName":"Ann","_info":{"lastUpdated":"2024-06-09T21:59:49Z","updatedBy":"api_sync"}}',
    "Metadata": {
        "key_url": "https://sandbox-na.myconnectwise.net/v2025_1//system/callbackkey/index.rails?companyName=acme&id=0f0f"
    },
    "CallbackObjectRecId": 1234,
}

COMMUNICATION_ITEMS: list[dict[str, Any]] = [
    {
        "id": 501,
        "type": {"id": 2, "name": "Direct", "_info": {"type_href": "https://x/company/communicationTypes/2"}},
        "value": "5555550100",
        "defaultFlag": True,
        "communicationType": "Phone",
    },
    {
        "id": 502,
        "type": {"id": 1, "name": "Email"},
        "value": "ann@example.com",
        "defaultFlag": True,
        "domain": "@example.com",
        "communicationType": "Email",
    },
]

CONTACT: dict[str, Any] = {
    "id": 4711,
    "firstName": "Ann",
    "lastName": "Lee",
    "company": {"id": 250, "identifier": "ACME", "name": "Acme", "_info": {"company_href": "https://x"}},
    "site": {},
    "communicationItems": COMMUNICATION_ITEMS,
    "phoneIntegrationType": "TEL",
    "customFields": [
        {
            "id": 5,
            "caption": "CloudPlus",
            "type": "Checkbox",
            "entryMethod": "EntryField",
            "numberOfDecimals": 0,
            "value": False,
        },
        {
            "id": 28,
            "caption": "test",
            "type": "Text",
            "entryMethod": "List",
            "numberOfDecimals": 0,
            "value": "test",
        },
        {
            "id": 29,
            "caption": "Seats",
            "type": "Number",
            "entryMethod": "EntryField",
            "numberOfDecimals": 2,
            "value": 12.5,
        },
    ],
    "_info": {
        "lastUpdated": "2024-05-01T10:20:30Z",
        "updatedBy": "jdoe",
        "dateEntered": "2024-01-01T00:00:00Z",
    },
}

TIME_ENTRY_POST: dict[str, Any] = {
    "chargeToType": "ServiceTicket",
    "chargeToId": 54321,
    "member": {"identifier": "jdoe"},
    "timeStart": "2024-02-15T09:00:00Z",
    "timeEnd": "2024-02-15T10:30:00Z",
    "workType": {"id": 1},
    "workRole": {"id": 2},
    "billableOption": "Billable",
    "notes": "Patched server",
}

TIME_ENTRY: dict[str, Any] = {
    **TIME_ENTRY_POST,
    "id": 9001,
    "actualHours": 1.5,
    "hoursBilled": 1.5,
    "hourlyRate": 150.00,
    "invoiceReady": 0,
    "company": {"id": 250, "identifier": "ACME", "name": "Acme"},
    "ticket": {"id": 54321, "summary": "VPN drops"},
    "invoice": {"id": 77, "identifier": "INV-77", "billingType": "Standard", "applyToType": "All"},
    "_info": {"lastUpdated": "2024-02-15T10:31:00Z", "updatedBy": "jdoe"},
}

INVOICE: dict[str, Any] = {
    "id": 77,
    "invoiceNumber": "INV-77",
    "type": "Standard",
    "status": {"id": 3, "name": "Sent", "isClosed": False},
    "company": {"id": 250, "identifier": "ACME", "name": "Acme"},
    "date": "2024-06-01T00:00:00Z",
    "dueDate": "2024-07-01T00:00:00Z",
    "subtotal": 182714.0,
    "salesTax": 0.00,
    "total": 182714.0,
    "balance": 182714.0,
    "payments": 0.00,
    "credits": 0.00,
    "currency": {
        "id": 7,
        "symbol": "$",
        "currencyCode": "USD",
        "decimalSeparator": ".",
        "numberOfDecimals": 2,
        "thousandsSeparator": ",",
        "negativeParenthesesFlag": False,
        "displaySymbolFlag": True,
        "currencyIdentifier": "USD",
        "displayIdFlag": False,
        "rightAlign": False,
        "name": "US Dollars",
    },
    "agreement": {"id": 12, "name": "Managed Services", "type": "MSP"},
    "_info": {"lastUpdated": "2024-06-03T23:32:20Z", "updatedBy": "jdoe"},
}

PATCH_EXAMPLE: list[dict[str, Any]] = [
    {"op": "replace", "path": "summary", "value": "New Summary"},
    {"op": "replace", "path": "company", "value": {"identifier": "NewCo"}},
    {"op": "replace", "path": "status", "value": {"id": 552}},
]

SYSTEM_INFO: dict[str, Any] = {
    "version": "v2025.1.10333",
    "isCloud": False,
    "serverTimeZone": "GMT Standard Time",
    "cloudRegion": "NA",
    "licenseBits": [{"name": "x", "activeFlag": True}],
    "maxWorkFlowRecordsAllowed": 100,
}
