# mypy: disable-error-code="index"
"""The QBO entity set an MSP's company uses (REFERENCE.md §12), each with the real operations and rules.

Sources: REFERENCE.md §5 (CRUD, void), §12 (entities), §13 (multicurrency); ``shared/apis/quickbooks/samples``
(Preferences, Estimate); Intuit's API reference pages per entity (mirrored in Petrus-Han/finance_plugins
``ref/quickbooks_dev_docs/api-reference``, the source of the shared samples); python-quickbooks 0.9.12 object
mixins for the operations each entity supports (``VoidMixin`` on Payment, SalesReceipt, BillPayment;
``CreditCardPayment.qbo_json_object_name = "CreditCardPaymentTxn"``; ``RecurringTransaction`` saved with
``UpdateNoIdMixin``).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from msplink.sandbox.quickbooks import QuickBooksSandbox
from msplink.testing import FakeClock

SAMPLES = next(
    (
        parent / "shared" / "apis" / "quickbooks" / "samples"
        for parent in Path(__file__).resolve().parents
        if (parent / "shared" / "apis" / "quickbooks" / "samples").is_dir()
    ),
    Path(__file__).resolve().parents[1] / "quickbooks" / "samples",
)


def sample(name: str) -> Any:
    return json.loads((SAMPLES / name).read_text(encoding="utf-8"), parse_float=Decimal)


def _client(sandbox: QuickBooksSandbox) -> httpx.Client:
    creds = sandbox.credentials()
    return httpx.Client(
        transport=sandbox.transport(),
        base_url=f"https://quickbooks.api.intuit.com/v3/company/{creds['realm_id']}",
        headers={"Authorization": f"Bearer {creds['access_token']}", "Accept": "application/json"},
    )


@pytest.fixture
def sandbox() -> QuickBooksSandbox:
    clock = FakeClock()
    return QuickBooksSandbox(clock=clock, sleep=clock.sleep)


@pytest.fixture
def api(sandbox: QuickBooksSandbox) -> Iterator[httpx.Client]:
    with _client(sandbox) as client:
        yield client


def body(response: httpx.Response) -> Any:
    return json.loads(response.text, parse_float=Decimal)


def ok(response: httpx.Response, key: str) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    data: dict[str, Any] = body(response)[key]
    return data


def fault(response: httpx.Response) -> tuple[int, str]:
    error = response.json()["Fault"]["Error"][0]
    return response.status_code, error["code"]


def account_id(sandbox: QuickBooksSandbox, name: str) -> str:
    return str(next(a["Id"] for a in sandbox.entities("Account") if a["Name"] == name))


@pytest.fixture
def parties(sandbox: QuickBooksSandbox) -> dict[str, str]:
    item = sandbox.add_entity(
        "Item",
        {
            "Name": "Remote Support Hour",
            "Type": "Service",
            "IncomeAccountRef": {"value": account_id(sandbox, "Services")},
        },
    )
    return {
        "customer": sandbox.add_entity("Customer", {"DisplayName": "Contoso"})["Id"],
        "vendor": sandbox.add_entity("Vendor", {"DisplayName": "Pax8"})["Id"],
        "item": item["Id"],
    }


def sales_line(item: str, amount: str, qty: str | None = None, price: str | None = None) -> dict[str, Any]:
    detail: dict[str, Any] = {"ItemRef": {"value": item}}
    if qty is not None:
        detail["Qty"] = Decimal(qty)
    if price is not None:
        detail["UnitPrice"] = Decimal(price)
    return {"DetailType": "SalesItemLineDetail", "Amount": Decimal(amount), "SalesItemLineDetail": detail}


def post(api: httpx.Client, path: str, data: Any, **params: str) -> httpx.Response:
    text = json.dumps(data, default=lambda d: float(d) if isinstance(d, Decimal) else str(d))
    return api.post(path, params=params, content=text, headers={"Content-Type": "application/json"})


# ------------------------------------------------------------------------------------ preferences, tax


def test_preferences_carry_every_standard_section(api: httpx.Client) -> None:
    prefs = ok(api.get("/preferences"), "Preferences")
    real = sample("preferences-read-response.json")["Preferences"]
    sections = {k for k in real if k.endswith("Prefs")}
    assert sections | {"EmailMessagesPrefs"} <= set(prefs)
    assert set(prefs["EmailMessagesPrefs"]) == {
        "InvoiceMessage",
        "EstimateMessage",
        "SalesReceiptMessage",
        "StatementMessage",
    }
    assert all(set(m) == {"Subject", "Message"} for m in prefs["EmailMessagesPrefs"].values())
    for section in (
        "ProductAndServicesPrefs",
        "TimeTrackingPrefs",
        "TaxPrefs",
        "CurrencyPrefs",
        "ReportPrefs",
    ):
        assert prefs[section] == real[section], section
    # Full update only: writable sections left out are cleared, the read-only CurrencyPrefs stays.
    update = {"Id": "1", "SyncToken": prefs["SyncToken"], "SalesFormsPrefs": {"CustomTxnNumbers": True}}
    updated = ok(post(api, "/preferences", update), "Preferences")
    assert updated["SalesFormsPrefs"] == {"CustomTxnNumbers": True}
    assert "EmailMessagesPrefs" not in updated and updated["CurrencyPrefs"] == real["CurrencyPrefs"]
    sparse = {**update, "SyncToken": updated["SyncToken"], "sparse": True}
    assert fault(post(api, "/preferences", sparse)) == (400, "500")


def test_pseudo_tax_codes_have_their_name_as_id(api: httpx.Client, parties: dict[str, str]) -> None:
    codes = ok(api.get("/query", params={"query": "SELECT * FROM TaxCode"}), "QueryResponse")["TaxCode"]
    assert [(c["Id"], c["Name"]) for c in codes[:3]] == [
        ("TAX", "TAX"),
        ("NON", "NON"),
        ("CustomSalesTax", "CustomSalesTax"),
    ]
    assert [(c["Taxable"], c["TaxGroup"]) for c in codes[:3]] == [(True, False), (False, False), (True, True)]
    assert ok(api.get("/taxcode/TAX"), "TaxCode")["Name"] == "TAX"
    assert fault(api.get("/taxcode/ABC")) == (400, "2030")
    line = sales_line(parties["item"], "100")
    line["SalesItemLineDetail"]["TaxCodeRef"] = {"value": "TAX"}
    invoice = ok(
        post(api, "/invoice", {"CustomerRef": {"value": parties["customer"]}, "Line": [line]}), "Invoice"
    )
    assert invoice["Line"][0]["SalesItemLineDetail"]["TaxCodeRef"] == {"value": "TAX"}
    line["SalesItemLineDetail"]["TaxCodeRef"] = {"value": "BOGUS"}
    assert fault(post(api, "/invoice", {"CustomerRef": {"value": parties["customer"]}, "Line": [line]})) == (
        400,
        "2500",
    )
    line["SalesItemLineDetail"]["TaxCodeRef"] = {"value": "NON"}
    custom = {
        "CustomerRef": {"value": parties["customer"]},
        "Line": [line],
        "TxnTaxDetail": {"TxnTaxCodeRef": {"value": "CustomSalesTax"}},
    }
    assert fault(post(api, "/invoice", custom)) == (400, "6000")


def test_tax_service_creates_a_code_and_its_rates(api: httpx.Client, sandbox: QuickBooksSandbox) -> None:
    created = post(
        api,
        "/taxservice/taxcode",
        {
            "TaxCode": "Austin City",
            "TaxRateDetails": [
                {"TaxRateName": "City", "RateValue": "2", "TaxAgencyId": "1", "TaxApplicableOn": "Sales"}
            ],
        },
    )
    assert created.status_code == 200
    answer = created.json()
    assert set(answer) == {"TaxCode", "TaxCodeId", "TaxRateDetails"}  # the bare TaxService object
    code = ok(api.get(f"/taxcode/{answer['TaxCodeId']}"), "TaxCode")
    rate_id = answer["TaxRateDetails"][0]["TaxRateId"]
    assert code["SalesTaxRateList"]["TaxRateDetail"][0]["TaxRateRef"]["value"] == rate_id
    assert ok(api.get(f"/taxrate/{rate_id}"), "TaxRate")["RateValue"] == 2
    out_of_range = {
        "TaxCode": "Bad",
        "TaxRateDetails": [{"TaxRateName": "X", "RateValue": "101", "TaxAgencyId": "1"}],
    }
    assert fault(post(api, "/taxservice/taxcode", out_of_range)) == (400, "6000")
    twice = {"TaxCode": "Twice", "TaxRateDetails": [{"TaxRateId": rate_id}, {"TaxRateId": rate_id}]}
    assert fault(post(api, "/taxservice/taxcode", twice)) == (400, "6000")
    assert fault(post(api, "/taxcode", {"Name": "Direct"})) == (400, "500")  # TaxCode itself is read-only


def test_tax_agency_is_create_read_query_only(api: httpx.Client) -> None:
    agency = ok(post(api, "/taxagency", {"DisplayName": "Travis County"}), "TaxAgency")
    assert (agency["TaxTrackedOnSales"], agency["TaxTrackedOnPurchases"]) == (True, False)
    assert ok(api.get(f"/taxagency/{agency['Id']}"), "TaxAgency")["DisplayName"] == "Travis County"
    found = ok(
        api.get("/query", params={"query": "select * from TaxAgency where DisplayName = 'Travis County'"}),
        "QueryResponse",
    )
    assert [a["Id"] for a in found["TaxAgency"]] == [agency["Id"]]
    assert fault(post(api, "/taxagency", {"DisplayName": "travis county"})) == (400, "6240")
    update = {"Id": agency["Id"], "SyncToken": "0", "DisplayName": "Renamed"}
    assert fault(post(api, "/taxagency", update)) == (400, "500")
    assert fault(post(api, "/taxagency", {})) == (400, "2020")


def test_payment_methods_are_a_name_list(api: httpx.Client) -> None:
    defaults = ok(api.get("/query", params={"query": "SELECT * FROM PaymentMethod"}), "QueryResponse")[
        "PaymentMethod"
    ]
    assert [(m["Name"], m["Type"]) for m in defaults] == [
        ("Cash", "NON_CREDIT_CARD"),
        ("Check", "NON_CREDIT_CARD"),
        ("Visa", "CREDIT_CARD"),
    ]
    ach = ok(post(api, "/paymentmethod", {"Name": "ACH"}), "PaymentMethod")
    assert (ach["Type"], ach["Active"]) == ("NON_CREDIT_CARD", True)
    assert fault(post(api, "/paymentmethod", {"Name": "ach"})) == (400, "6240")
    assert fault(post(api, "/paymentmethod", {"Name": "x" * 32})) == (400, "2050")
    assert fault(post(api, "/paymentmethod", {"Name": "Bad", "Type": "CRYPTO"})) == (400, "2170")
    assert fault(post(api, "/paymentmethod", {"Id": ach["Id"], "SyncToken": "0"}, operation="delete")) == (
        400,
        "500",
    )
    gone = ok(
        post(api, "/paymentmethod", {"Id": ach["Id"], "SyncToken": "0", "sparse": True, "Active": False}),
        "PaymentMethod",
    )
    assert gone["Name"] == "ACH (deleted)"


# ----------------------------------------------------------------------------------------- documents


def test_estimate_lines_come_back_in_the_samples_order(api: httpx.Client, parties: dict[str, str]) -> None:
    discount = {
        "DetailType": "DiscountLineDetail",
        "Amount": 0,
        "DiscountLineDetail": {"PercentBased": True, "DiscountPercent": 10},
    }
    lines = [discount, sales_line(parties["item"], "35", "1", "35"), sales_line(parties["item"], "15")]
    estimate = ok(
        post(api, "/estimate", {"CustomerRef": {"value": parties["customer"]}, "Line": lines}), "Estimate"
    )
    expected = [line["DetailType"] for line in sample("estimate-read-response.json")["Estimate"]["Line"]]
    assert expected == ["SalesItemLineDetail", "SubTotalLineDetail", "DiscountLineDetail"]
    assert [line["DetailType"] for line in estimate["Line"]] == ["SalesItemLineDetail", *expected]
    assert [line["Amount"] for line in estimate["Line"]] == [35, 15, 50, 5]
    assert estimate["TotalAmt"] == 45 and estimate["TxnStatus"] == "Pending"
    assert [line.get("LineNum") for line in estimate["Line"]] == [1, 2, None, None]


def test_amount_only_lines_are_accepted_and_products_checked(
    api: httpx.Client, parties: dict[str, str]
) -> None:
    customer = {"value": parties["customer"]}
    amount_only = ok(
        post(api, "/invoice", {"CustomerRef": customer, "Line": [sales_line(parties["item"], "99.95")]}),
        "Invoice",
    )
    assert amount_only["TotalAmt"] == Decimal("99.95")
    zeros = ok(
        post(
            api, "/invoice", {"CustomerRef": customer, "Line": [sales_line(parties["item"], "120", "0", "0")]}
        ),
        "Invoice",
    )
    assert zeros["TotalAmt"] == 120
    mismatch = {"CustomerRef": customer, "Line": [sales_line(parties["item"], "100", "2", "45")]}
    assert fault(post(api, "/invoice", mismatch)) == (400, "6070")
    no_amount = {
        "CustomerRef": customer,
        "Line": [
            {
                "DetailType": "SalesItemLineDetail",
                "SalesItemLineDetail": {"ItemRef": {"value": parties["item"]}},
            }
        ],
    }
    assert fault(post(api, "/invoice", no_amount)) == (400, "2020")


def test_include_invoice_link(api: httpx.Client, parties: dict[str, str]) -> None:
    base = {"CustomerRef": {"value": parties["customer"]}, "Line": [sales_line(parties["item"], "10")]}
    online = ok(
        post(
            api,
            "/invoice",
            {**base, "BillEmail": {"Address": "ap@contoso.example"}, "AllowOnlineCreditCardPayment": True},
            include="invoiceLink",
        ),
        "Invoice",
    )
    assert online["InvoiceLink"].startswith("https://quickbooks.api.intuit.com/")
    offline = ok(post(api, "/invoice", {**base, "BillEmail": {"Address": "ap@contoso.example"}}), "Invoice")
    assert "InvoiceLink" not in ok(
        api.get(f"/invoice/{offline['Id']}", params={"include": "invoiceLink"}), "Invoice"
    )
    assert "InvoiceLink" not in ok(api.get(f"/invoice/{online['Id']}"), "Invoice")
    read = ok(api.get(f"/invoice/{online['Id']}", params={"include": "invoiceLink"}), "Invoice")
    assert read["InvoiceLink"] == online["InvoiceLink"]
    page = ok(
        api.get("/query", params={"query": "SELECT * FROM Invoice", "include": "invoiceLink"}),
        "QueryResponse",
    )
    assert [("InvoiceLink" in i) for i in page["Invoice"]] == [True, False]


def test_recurring_names_stay_unique_through_renames_and_deletes(
    api: httpx.Client, parties: dict[str, str]
) -> None:
    def template(name: str, **extra: Any) -> dict[str, Any]:
        info = {"Name": name, "RecurType": "Automated", "Active": True}
        body = {"CustomerRef": {"value": parties["customer"]}, "Line": [sales_line(parties["item"], "10")]}
        return {"Invoice": {**body, "RecurringInfo": info, **extra}}

    def create(name: str) -> httpx.Response:
        return post(api, "/recurringtransaction", template(name))

    first = ok(create("Monthly A"), "RecurringTransaction")["Invoice"]
    second = ok(create("Monthly B"), "RecurringTransaction")["Invoice"]
    assert fault(create("monthly a")) == (400, "6240")  # names compare without case
    renamed = template("Monthly C", Id=first["Id"], SyncToken=first["SyncToken"])
    ok(post(api, "/recurringtransaction", renamed), "RecurringTransaction")
    assert fault(create("MONTHLY C")) == (400, "6240")
    ok(create("Monthly A"), "RecurringTransaction")  # the old name is free again
    gone = {"Invoice": {"Id": second["Id"], "SyncToken": second["SyncToken"]}}
    ok(post(api, "/recurringtransaction", gone, operation="delete"), "RecurringTransaction")
    ok(create("Monthly B"), "RecurringTransaction")
    same = template("Monthly C", Id=first["Id"], SyncToken="1")
    assert ok(post(api, "/recurringtransaction", same), "RecurringTransaction")["Invoice"]["SyncToken"] == "2"


def test_recurring_update_is_an_update(api: httpx.Client, parties: dict[str, str]) -> None:
    info: dict[str, Any] = {
        "Name": "Contoso monthly",
        "RecurType": "Automated",
        "Active": True,
        "ScheduleInfo": {"IntervalType": "Monthly", "NumInterval": 1, "DayOfMonth": 1},
    }
    template = {
        "CustomerRef": {"value": parties["customer"]},
        "Line": [sales_line(parties["item"], "450", "10", "45")],
        "RecurringInfo": info,
    }
    created = ok(post(api, "/recurringtransaction", {"Invoice": template}), "RecurringTransaction")["Invoice"]
    changed = {
        **template,
        "Id": created["Id"],
        "SyncToken": created["SyncToken"],
        "RecurringInfo": {**info, "ScheduleInfo": {**info["ScheduleInfo"], "DayOfMonth": 15}},
    }
    updated = ok(post(api, "/recurringtransaction", {"Invoice": changed}), "RecurringTransaction")["Invoice"]
    assert (updated["Id"], updated["SyncToken"]) == (created["Id"], "1")
    assert updated["RecurringInfo"]["ScheduleInfo"]["DayOfMonth"] == 15
    assert fault(post(api, "/recurringtransaction", {"Invoice": changed})) == (400, "5010")
    sparse = {"Id": created["Id"], "SyncToken": "1", "sparse": True, "PrivateNote": "CW agreement 771"}
    noted = ok(post(api, "/recurringtransaction", {"Invoice": sparse}), "RecurringTransaction")["Invoice"]
    assert noted["PrivateNote"] == "CW agreement 771" and noted["TotalAmt"] == 450
    other = ok(
        post(
            api,
            "/recurringtransaction",
            {"Invoice": {**template, "RecurringInfo": {**info, "Name": "Other"}}},
        ),
        "RecurringTransaction",
    )
    clash = {**template, "Id": other["Invoice"]["Id"], "SyncToken": "0"}
    assert fault(post(api, "/recurringtransaction", {"Invoice": clash})) == (400, "6240")
    found = ok(
        api.get("/query", params={"query": "SELECT * FROM RecurringTransaction WHERE Type = 'Invoice'"}),
        "QueryResponse",
    )
    assert len(found["RecurringTransaction"]) == 2


def test_sales_receipt_refund_receipt_and_credit_memo(
    api: httpx.Client, sandbox: QuickBooksSandbox, parties: dict[str, str]
) -> None:
    receipt = ok(post(api, "/salesreceipt", {"Line": [sales_line(parties["item"], "80")]}), "SalesReceipt")
    assert receipt["Balance"] == 0 and receipt["TotalAmt"] == 80 and "CustomerRef" not in receipt
    assert receipt["DepositToAccountRef"]["value"] == account_id(sandbox, "Undeposited Funds")
    assert fault(post(api, "/salesreceipt", {"Id": receipt["Id"], "SyncToken": "0"}, operation="void")) == (
        400,
        "500",
    )
    voided = ok(
        post(
            api,
            "/salesreceipt",
            {"Id": receipt["Id"], "SyncToken": "0", "sparse": True},
            operation="update",
            include="void",
        ),
        "SalesReceipt",
    )
    assert (voided["TotalAmt"], voided["PrivateNote"]) == (0, "Voided")
    refund = {"CustomerRef": {"value": parties["customer"]}, "Line": [sales_line(parties["item"], "20")]}
    assert fault(post(api, "/refundreceipt", refund)) == (400, "2020")
    refund["DepositToAccountRef"] = {"value": account_id(sandbox, "Checking")}
    assert ok(post(api, "/refundreceipt", refund), "RefundReceipt")["TotalAmt"] == 20
    refund["DepositToAccountRef"] = {"value": account_id(sandbox, "Services")}
    assert fault(post(api, "/refundreceipt", refund)) == (400, "6000")
    customer = {"value": parties["customer"]}
    invoice = ok(
        post(api, "/invoice", {"CustomerRef": customer, "Line": [sales_line(parties["item"], "100")]}),
        "Invoice",
    )
    memo = ok(
        post(api, "/creditmemo", {"CustomerRef": customer, "Line": [sales_line(parties["item"], "30")]}),
        "CreditMemo",
    )
    assert (memo["Balance"], memo["RemainingCredit"]) == (30, 30)
    assert sandbox.entity("Customer", parties["customer"])["Balance"] == 70
    lines = [
        {"Amount": 30, "LinkedTxn": [{"TxnId": invoice["Id"], "TxnType": "Invoice"}]},
        {"Amount": 30, "LinkedTxn": [{"TxnId": memo["Id"], "TxnType": "CreditMemo"}]},
    ]
    applied = ok(post(api, "/payment", {"CustomerRef": customer, "TotalAmt": 0, "Line": lines}), "Payment")
    assert applied["UnappliedAmt"] == 0
    assert sandbox.entity("Invoice", invoice["Id"])["Balance"] == 70
    assert sandbox.entity("CreditMemo", memo["Id"])["RemainingCredit"] == 0
    assert sandbox.entity("Customer", parties["customer"])["Balance"] == 70
    assert fault(post(api, "/creditmemo", {"Id": memo["Id"], "SyncToken": "1"}, operation="delete")) == (
        400,
        "6000",
    )


def test_bill_payment_pays_bills_and_voids(
    api: httpx.Client, sandbox: QuickBooksSandbox, parties: dict[str, str]
) -> None:
    expense = {
        "DetailType": "AccountBasedExpenseLineDetail",
        "Amount": 300,
        "AccountBasedExpenseLineDetail": {
            "AccountRef": {"value": account_id(sandbox, "Software Subscriptions")}
        },
    }
    bill = ok(post(api, "/bill", {"VendorRef": {"value": parties["vendor"]}, "Line": [expense]}), "Bill")
    vendor = {"value": parties["vendor"]}
    pay = {
        "VendorRef": vendor,
        "PayType": "Check",
        "TotalAmt": 300,
        "Line": [{"Amount": 300, "LinkedTxn": [{"TxnId": bill["Id"], "TxnType": "Bill"}]}],
    }
    assert fault(post(api, "/billpayment", pay)) == (400, "2020")  # CheckPayment.BankAccountRef
    pay["CheckPayment"] = {"BankAccountRef": {"value": account_id(sandbox, "Company Visa")}}
    assert fault(post(api, "/billpayment", pay)) == (400, "6000")  # a credit card is no bank account
    pay["CheckPayment"] = {"BankAccountRef": {"value": account_id(sandbox, "Checking")}}
    assert fault(post(api, "/billpayment", {**pay, "TotalAmt": 200})) == (400, "6000")
    paid = ok(post(api, "/billpayment", pay), "BillPayment")
    stored = sandbox.entity("Bill", bill["Id"])
    assert stored["Balance"] == 0 and stored["LinkedTxn"] == [
        {"TxnId": paid["Id"], "TxnType": "BillPaymentCheck"}
    ]
    assert sandbox.entity("Vendor", parties["vendor"])["Balance"] == 0
    assert fault(
        post(api, "/bill", {"Id": bill["Id"], "SyncToken": stored["SyncToken"]}, operation="delete")
    ) == (400, "6000")
    card = {"VendorRef": vendor, "PayType": "CreditCard", "TotalAmt": 1}
    assert fault(post(api, "/billpayment", card)) == (400, "2020")  # CreditCardPayment.CCAccountRef
    voided = ok(
        post(
            api,
            "/billpayment",
            {"Id": paid["Id"], "SyncToken": "0", "sparse": True},
            operation="update",
            include="void",
        ),
        "BillPayment",
    )
    assert voided["TotalAmt"] == 0 and voided["PrivateNote"] == "Voided"
    assert sandbox.entity("Bill", bill["Id"])["Balance"] == 300
    assert sandbox.entity("Vendor", parties["vendor"])["Balance"] == 300


def test_purchase_transfer_and_credit_card_payment(api: httpx.Client, sandbox: QuickBooksSandbox) -> None:
    checking, savings, visa = (account_id(sandbox, n) for n in ("Checking", "Savings", "Company Visa"))
    expense = {
        "DetailType": "AccountBasedExpenseLineDetail",
        "Amount": 42,
        "AccountBasedExpenseLineDetail": {
            "AccountRef": {"value": account_id(sandbox, "Software Subscriptions")}
        },
    }
    assert fault(post(api, "/purchase", {"AccountRef": {"value": visa}, "Line": [expense]})) == (400, "2020")
    assert fault(
        post(api, "/purchase", {"PaymentType": "Check", "AccountRef": {"value": visa}, "Line": [expense]})
    ) == (400, "6000")
    charge = ok(
        post(
            api, "/purchase", {"PaymentType": "CreditCard", "AccountRef": {"value": visa}, "Line": [expense]}
        ),
        "Purchase",
    )
    assert charge["TotalAmt"] == 42
    assert fault(
        post(
            api,
            "/purchase",
            {"PaymentType": "Cash", "Credit": True, "AccountRef": {"value": checking}, "Line": [expense]},
        )
    ) == (400, "6000")
    transfer = ok(
        post(
            api,
            "/transfer",
            {"FromAccountRef": {"value": checking}, "ToAccountRef": {"value": savings}, "Amount": 500},
        ),
        "Transfer",
    )
    assert transfer["Amount"] == 500
    assert fault(
        post(
            api,
            "/transfer",
            {"FromAccountRef": {"value": checking}, "ToAccountRef": {"value": checking}, "Amount": 5},
        )
    ) == (400, "6000")
    assert fault(
        post(
            api,
            "/transfer",
            {"FromAccountRef": {"value": checking}, "ToAccountRef": {"value": visa}, "Amount": 5},
        )
    ) == (400, "6000")
    assert fault(
        post(api, "/transfer", {"FromAccountRef": {"value": checking}, "ToAccountRef": {"value": savings}})
    ) == (400, "2020")
    # Intuit's CreditCardPayment page: the JSON object is CreditCardPaymentTxn; Bank -> Credit Card only.
    sent = {
        "TxnDate": "2026-03-27",
        "Amount": "100",
        "BankAccountRef": {"value": checking},
        "CreditCardAccountRef": {"value": visa},
    }
    response = post(api, "/creditcardpayment", sent)
    paid = ok(response, "CreditCardPaymentTxn")
    assert paid["Amount"] == 100 and paid["CurrencyRef"] == {"value": "USD", "name": "United States Dollar"}
    assert ok(api.get(f"/creditcardpayment/{paid['Id']}"), "CreditCardPaymentTxn")["TxnDate"] == "2026-03-27"
    page = ok(api.get("/query", params={"query": "SELECT * FROM CreditCardPayment"}), "QueryResponse")
    assert [p["Id"] for p in page["CreditCardPaymentTxn"]] == [paid["Id"]]
    swapped = {**sent, "BankAccountRef": {"value": visa}, "CreditCardAccountRef": {"value": checking}}
    assert fault(post(api, "/creditcardpayment", swapped)) == (400, "6000")
    gone = ok(
        post(api, "/creditcardpayment", {**sent, "Id": paid["Id"], "SyncToken": "0"}, operation="delete"),
        "CreditCardPaymentTxn",
    )
    assert gone == {"status": "Deleted", "domain": "QBO", "Id": paid["Id"]}


def test_deposit_locks_the_payments_it_deposits(
    api: httpx.Client, sandbox: QuickBooksSandbox, parties: dict[str, str]
) -> None:
    payment = ok(
        post(api, "/payment", {"CustomerRef": {"value": parties["customer"]}, "TotalAmt": 250}), "Payment"
    )
    assert payment["DepositToAccountRef"]["value"] == account_id(sandbox, "Undeposited Funds")
    line = {"Amount": 250, "LinkedTxn": [{"TxnId": payment["Id"], "TxnType": "Payment", "TxnLineId": "0"}]}
    assert fault(post(api, "/deposit", {"Line": [line]})) == (400, "2020")
    checking = {"value": account_id(sandbox, "Checking")}
    deposit = ok(post(api, "/deposit", {"DepositToAccountRef": checking, "Line": [line]}), "Deposit")
    assert deposit["TotalAmt"] == 250
    assert fault(post(api, "/deposit", {"DepositToAccountRef": checking, "Line": [line]})) == (400, "6000")
    change = {"Id": payment["Id"], "SyncToken": "0", "sparse": True, "PrivateNote": "x"}
    assert fault(post(api, "/payment", change)) == (400, "6540")
    assert fault(post(api, "/payment", {"Id": payment["Id"], "SyncToken": "0"}, operation="delete")) == (
        400,
        "6540",
    )
    income = {
        "Amount": 10,
        "DetailType": "DepositLineDetail",
        "DepositLineDetail": {"AccountRef": {"value": account_id(sandbox, "Services")}},
    }
    assert (
        ok(post(api, "/deposit", {"DepositToAccountRef": checking, "Line": [income]}), "Deposit")["TotalAmt"]
        == 10
    )
    ok(post(api, "/deposit", {"Id": deposit["Id"], "SyncToken": "0"}, operation="delete"), "Deposit")
    assert ok(post(api, "/payment", change), "Payment")["PrivateNote"] == "x"


def test_attachable_notes_uploads_and_downloads(
    api: httpx.Client, sandbox: QuickBooksSandbox, parties: dict[str, str]
) -> None:
    invoice = ok(
        post(
            api,
            "/invoice",
            {"CustomerRef": {"value": parties["customer"]}, "Line": [sales_line(parties["item"], "5")]},
        ),
        "Invoice",
    )
    target = [{"IncludeOnSend": "false", "EntityRef": {"type": "Invoice", "value": invoice["Id"]}}]
    note = ok(
        post(api, "/attachable", {"Note": "This is an attached note.", "AttachableRef": target}), "Attachable"
    )
    assert len(note["Id"]) == 21 and note["AttachableRef"][0]["IncludeOnSend"] is False
    assert fault(post(api, "/attachable", {"AttachableRef": target})) == (400, "2020")
    missing = [{"EntityRef": {"type": "Invoice", "value": "999"}}]
    assert fault(post(api, "/attachable", {"Note": "n", "AttachableRef": missing})) == (400, "2500")
    # python-quickbooks' multipart body: bare LF line ends, base64 content, file_metadata_01/file_content_01.
    meta = json.dumps({"AttachableRef": target, "FileName": "receipt.pdf", "ContentType": "application/pdf"})
    payload = b"%PDF-1.4 receipt"
    boundary = "-------------PythonMultipartPost"
    text = (
        f'\n--{boundary}\nContent-Disposition: form-data; name="file_metadata_01"\nContent-Type: application/json\n\n{meta}\n\n'
        f'--{boundary}\nContent-Disposition: form-data; name="file_content_01"\nContent-Type: application/pdf\n'
        f"Content-Transfer-Encoding: base64\n\n{base64.b64encode(payload).decode()}\n\n--{boundary}--\n"
    )
    uploaded = api.post(
        "/upload",
        content=text.encode(),
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    answer = ok(uploaded, "AttachableResponse")[0]["Attachable"]
    assert (answer["FileName"], answer["ContentType"], answer["Size"]) == (
        "receipt.pdf",
        "application/pdf",
        len(payload),
    )
    temp = api.get(f"/download/{answer['Id']}")
    assert temp.status_code == 200 and temp.text == answer["TempDownloadUri"]
    assert api.get(temp.text).content == payload
    files = {"file_content_0": ("virus.exe", b"MZ", "application/octet-stream")}
    refused = ok(api.post("/upload", files=files), "AttachableResponse")
    assert refused[0]["Fault"]["Error"][0]["code"] == "6000"
    gone = ok(
        post(api, "/attachable", {"Id": answer["Id"], "SyncToken": "0"}, operation="delete"), "Attachable"
    )
    assert gone["status"] == "Deleted" and api.get(temp.text).status_code == 404


# --------------------------------------------------------------------------------------- multicurrency


def test_multicurrency_is_off_by_default(api: httpx.Client) -> None:
    assert fault(api.get("/exchangerate", params={"sourcecurrencycode": "EUR"})) == (400, "6000")
    assert fault(post(api, "/companycurrency", {"Code": "EUR"})) == (400, "6000")
    assert fault(post(api, "/customer", {"DisplayName": "Euro Co", "CurrencyRef": {"value": "EUR"}})) == (
        400,
        "6000",
    )


def test_multicurrency_company_currencies_rates_and_documents() -> None:
    clock = FakeClock()
    sandbox = QuickBooksSandbox(clock=clock, sleep=clock.sleep, multicurrency=True)
    with _client(sandbox) as api:
        assert ok(api.get("/preferences"), "Preferences")["CurrencyPrefs"] == {
            "MultiCurrencyEnabled": True,
            "HomeCurrency": {"value": "USD"},
        }
        euro = ok(post(api, "/companycurrency", {"Code": "EUR"}), "CompanyCurrency")
        assert (euro["Code"], euro["Name"], euro["Active"]) == ("EUR", "Euro", True)
        assert fault(post(api, "/companycurrency", {"Code": "EUR"})) == (400, "6240")
        assert fault(post(api, "/companycurrency", {"Code": "USD"})) == (400, "6000")
        assert fault(post(api, "/companycurrency", {"Code": "XXX"})) == (400, "2050")
        rate = ok(
            api.get("/exchangerate", params={"sourcecurrencycode": "EUR", "asofdate": "2026-01-15"}),
            "ExchangeRate",
        )
        assert (rate["SourceCurrencyCode"], rate["TargetCurrencyCode"], rate["AsOfDate"]) == (
            "EUR",
            "USD",
            "2026-01-15",
        )
        set_rate = ok(
            post(api, "/exchangerate", {"SourceCurrencyCode": "EUR", "Rate": 1.25, "AsOfDate": "2026-01-10"}),
            "ExchangeRate",
        )
        assert (set_rate["Rate"], set_rate["SyncToken"]) == (Decimal("1.25"), "0")
        assert ok(
            api.get("/exchangerate", params={"sourcecurrencycode": "EUR", "asofdate": "2026-01-15"}),
            "ExchangeRate",
        )["Rate"] == Decimal("1.25")
        assert fault(
            post(api, "/exchangerate", {"SourceCurrencyCode": "USD", "Rate": 2, "AsOfDate": "2026-01-10"})
        ) == (400, "6000")
        assert fault(post(api, "/exchangerate", {"SourceCurrencyCode": "EUR", "AsOfDate": "2026-01-10"})) == (
            400,
            "2020",
        )
        rows = ok(
            api.get("/query", params={"query": "select * from exchangerate where asofdate = '2026-01-15'"}),
            "QueryResponse",
        )
        assert [r["SourceCurrencyCode"] for r in rows["ExchangeRate"]] == ["EUR"]
        customer = ok(
            post(api, "/customer", {"DisplayName": "Euro GmbH", "CurrencyRef": {"value": "EUR"}}), "Customer"
        )
        assert customer["CurrencyRef"] == {"value": "EUR", "name": "Euro"}
        moved = {"Id": customer["Id"], "SyncToken": "0", "sparse": True, "CurrencyRef": {"value": "USD"}}
        assert fault(post(api, "/customer", moved)) == (400, "6000")
        item = sandbox.add_entity(
            "Item",
            {
                "Name": "Hour",
                "Type": "Service",
                "IncomeAccountRef": {"value": account_id(sandbox, "Services")},
            },
        )
        invoice = ok(
            post(
                api,
                "/invoice",
                {
                    "CustomerRef": {"value": customer["Id"]},
                    "TxnDate": "2026-01-12",
                    "Line": [sales_line(item["Id"], "100")],
                },
            ),
            "Invoice",
        )
        assert invoice["CurrencyRef"]["value"] == "EUR" and invoice["ExchangeRate"] == Decimal("1.25")
        assert (invoice["HomeTotalAmt"], invoice["HomeBalance"]) == (Decimal("125.00"), Decimal("125.00"))
        usd = {
            "CustomerRef": {"value": customer["Id"]},
            "CurrencyRef": {"value": "USD"},
            "Line": [sales_line(item["Id"], "1")],
        }
        assert fault(post(api, "/invoice", usd)) == (400, "6000")
        payment = {
            "CustomerRef": {"value": customer["Id"]},
            "TotalAmt": 40,
            "Line": [{"Amount": 40, "LinkedTxn": [{"TxnId": invoice["Id"], "TxnType": "Invoice"}]}],
        }
        paid = ok(post(api, "/payment", payment), "Payment")
        assert paid["CurrencyRef"]["value"] == "EUR"
        assert sandbox.entity("Invoice", invoice["Id"])["HomeBalance"] == Decimal("75.00")
        inactive = ok(
            post(
                api, "/companycurrency", {"Id": euro["Id"], "SyncToken": "0", "sparse": True, "Active": False}
            ),
            "CompanyCurrency",
        )
        assert inactive["Active"] is False and inactive["Code"] == "EUR"
        listed = ok(api.get("/query", params={"query": "select * from companycurrency"}), "QueryResponse")
        assert listed == {}


def test_enable_multicurrency_is_a_preferences_change() -> None:
    sandbox = QuickBooksSandbox()
    assert sandbox.company.multicurrency is False
    sandbox.enable_multicurrency()
    prefs = sandbox.entity("Preferences", "1")
    assert prefs["CurrencyPrefs"]["MultiCurrencyEnabled"] is True and prefs["SyncToken"] == "1"
    assert sandbox.webhook_events[-1]["entity"] == "Preferences"


# ------------------------------------------------------------------------------------ capabilities


@pytest.mark.parametrize(
    ("entity", "operation", "expected"),
    [
        ("customer", "delete", "500"),
        ("vendor", "delete", "500"),
        ("item", "delete", "500"),
        ("paymentmethod", "delete", "500"),
        ("companycurrency", "delete", "500"),
        ("taxcode", "delete", "500"),
        ("estimate", "void", "500"),
        ("payment", "void", "500"),
        ("bill", "void", "500"),
        ("creditmemo", "void", "500"),
        ("purchase", "void", "500"),
    ],
)
def test_operations_each_entity_does_not_support(
    api: httpx.Client, entity: str, operation: str, expected: str
) -> None:
    assert fault(post(api, f"/{entity}", {"Id": "1", "SyncToken": "0"}, operation=operation)) == (
        400,
        expected,
    )


def test_deletable_transactions_leave_tombstones(
    api: httpx.Client, sandbox: QuickBooksSandbox, parties: dict[str, str]
) -> None:
    expense = {
        "DetailType": "AccountBasedExpenseLineDetail",
        "Amount": 7,
        "AccountBasedExpenseLineDetail": {
            "AccountRef": {"value": account_id(sandbox, "Software Subscriptions")}
        },
    }
    created = {
        "VendorCredit": ok(
            post(api, "/vendorcredit", {"VendorRef": {"value": parties["vendor"]}, "Line": [expense]}),
            "VendorCredit",
        ),
        "Purchase": ok(
            post(
                api,
                "/purchase",
                {
                    "PaymentType": "Cash",
                    "AccountRef": {"value": account_id(sandbox, "Checking")},
                    "Line": [expense],
                },
            ),
            "Purchase",
        ),
        "Transfer": ok(
            post(
                api,
                "/transfer",
                {
                    "FromAccountRef": {"value": account_id(sandbox, "Checking")},
                    "ToAccountRef": {"value": account_id(sandbox, "Savings")},
                    "Amount": 1,
                },
            ),
            "Transfer",
        ),
    }
    for entity, obj in created.items():
        gone = ok(
            post(
                api,
                f"/{entity.lower()}",
                {"Id": obj["Id"], "SyncToken": obj["SyncToken"]},
                operation="delete",
            ),
            entity,
        )
        assert gone["status"] == "Deleted"
    assert sorted(e for e, _, _ in sandbox.company.tombstones) == ["Purchase", "Transfer", "VendorCredit"]


def test_add_entity_reads_bodies_as_the_api_does(sandbox: QuickBooksSandbox) -> None:
    from msplink.sandbox.quickbooks._faults import Fault

    with pytest.raises(Fault) as info:
        sandbox.add_entity("Customer", {"DisplayName": "Typo Co", "DisplayNmae": "x"})
    assert (info.value.code, info.value.element) == ("2010", "DisplayNmae")
    assert sandbox.add_entity("Customer", {"DisplayName": "Coerced", "Taxable": "false"})["Taxable"] is False
