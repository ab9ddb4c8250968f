"""Default company data of the QBO sandbox (accounts, terms, tax codes, preferences) and ``seed()`` data."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from msplink.sandbox.quickbooks._state import PSEUDO_TAX_CODES, Company

__all__ = ["install_defaults", "seed_company"]


def preferences(*, multicurrency: bool, home_currency: str, company_name: str) -> dict[str, Any]:
    """Preferences with every standard section of Intuit's Preferences object.

    Sections and values follow ``samples/preferences-read-response.json`` (Intuit's read sample) plus the
    sections of Intuit's published Preferences sample the shared copy omits, ``EmailMessagesPrefs``
    (InvoiceMessage, EstimateMessage, SalesReceiptMessage, StatementMessage: XSD ``EmailMessagesPrefs``) and
    the CurrencyPrefs of the company (``MultiCurrencyEnabled``, ``HomeCurrency``).
    """

    def message(form: str) -> dict[str, str]:
        return {
            "Subject": f"{form} from {company_name}",
            "Message": f"Your {form.lower()} is attached. Thank you for your business - we appreciate it very much.",
        }

    return {
        "EmailMessagesPrefs": {
            "InvoiceMessage": message("Invoice"),
            "EstimateMessage": message("Estimate"),
            "SalesReceiptMessage": message("Sales Receipt"),
            "StatementMessage": message("Statement"),
        },
        "ProductAndServicesPrefs": {
            "ForSales": True,
            "ForPurchase": True,
            "QuantityWithPriceAndRate": True,
            "QuantityOnHand": True,
        },
        "ReportPrefs": {"ReportBasis": "Accrual", "CalcAgingReportFromTxnDate": False},
        "AccountingInfoPrefs": {
            "FirstMonthOfFiscalYear": "January",
            "UseAccountNumbers": True,
            "TaxYearMonth": "January",
            "ClassTrackingPerTxn": False,
            "ClassTrackingPerTxnLine": True,
            "TrackDepartments": True,
            "DepartmentTerminology": "Location",
            "CustomerTerminology": "Customers",
        },
        "SalesFormsPrefs": {
            "CustomField": [
                {
                    "CustomField": [
                        {
                            "Name": "SalesFormsPrefs.UseSalesCustom1",
                            "Type": "BooleanType",
                            "BooleanValue": True,
                        },
                        {
                            "Name": "SalesFormsPrefs.UseSalesCustom2",
                            "Type": "BooleanType",
                            "BooleanValue": False,
                        },
                        {
                            "Name": "SalesFormsPrefs.UseSalesCustom3",
                            "Type": "BooleanType",
                            "BooleanValue": False,
                        },
                    ]
                },
                {
                    "CustomField": [
                        {
                            "Name": "SalesFormsPrefs.SalesCustomName1",
                            "Type": "StringType",
                            "StringValue": "PO #",
                        }
                    ]
                },
            ],
            "AllowDeposit": True,
            "AllowDiscount": True,
            "AllowEstimates": True,
            "AllowServiceDate": False,
            "AllowShipping": False,
            "CustomTxnNumbers": False,
            "ETransactionEnabledStatus": "Enabled",
            "ETransactionAttachPDF": False,
            "ETransactionPaymentEnabled": False,
            "IPNSupportEnabled": False,
            "UsingPriceLevels": False,
            "UsingProgressInvoicing": False,
            "DefaultDiscountAccount": "86",
        },
        "VendorAndPurchasesPrefs": {"BillableExpenseTracking": True, "TrackingByCustomer": True},
        "TaxPrefs": {"UsingSalesTax": True},
        "OtherPrefs": {
            "NameValue": [
                {"Name": "SalesFormsPrefs.DefaultCustomerMessage", "Value": "Thank you for your business!"},
                {"Name": "SalesFormsPrefs.DefaultItem", "Value": "1"},
                {"Name": "DTXCopyMemo", "Value": "false"},
                {"Name": "UncategorizedAssetAccountId", "Value": "32"},
                {"Name": "VendorAndPurchasesPrefs.TPAREnabled", "Value": "false"},
            ]
        },
        "TimeTrackingPrefs": {
            "UseServices": True,
            "BillCustomers": True,
            "ShowBillRateToAll": False,
            "WorkWeekStartDate": "Monday",
            "MarkTimeEntriesBillable": True,
        },
        "CurrencyPrefs": {
            "MultiCurrencyEnabled": multicurrency,
            "HomeCurrency": {"value": home_currency},
        },
    }


def install_defaults(c: Company, *, multicurrency: bool = False, home_currency: str = "USD") -> None:
    """What a new QBO company holds: CompanyInfo, Preferences, the pseudo tax codes and a rate, the chart of
    accounts an MSP needs (incl. a credit card account), terms and the default payment methods."""
    stamp = c.stamp()
    meta = {"CreateTime": stamp, "LastUpdatedTime": stamp}
    c.data["CompanyInfo"]["1"] = {
        "CompanyName": "Sandbox MSP Inc.",
        "LegalName": "Sandbox MSP Inc.",
        "CompanyAddr": {
            "Line1": "1 Main St",
            "City": "Austin",
            "CountrySubDivisionCode": "TX",
            "PostalCode": "78701",
        },
        "Country": "US",
        "FiscalYearStartMonth": "January",
        "SupportedLanguages": "en",
        "DefaultTimeZone": "America/Los_Angeles",
        "Id": "1",
        "SyncToken": "0",
        "MetaData": meta,
        "domain": "QBO",
        "sparse": False,
    }
    prefs = preferences(
        multicurrency=multicurrency, home_currency=home_currency, company_name="Sandbox MSP Inc."
    )
    c.data["Preferences"]["1"] = {
        **prefs,
        "Id": "1",
        "SyncToken": "0",
        "MetaData": meta,
        "domain": "QBO",
        "sparse": False,
    }
    # The US pseudo tax codes: Id = Name (a real `select * from TaxCode` answer, Intuit's TaxCode page).
    for name, taxable, group in zip(PSEUDO_TAX_CODES, (True, False, True), (False, False, True), strict=True):
        c.data["TaxCode"][name] = {
            "Name": name,
            "Description": name,
            "Taxable": taxable,
            "TaxGroup": group,
            "Active": True,
            "Id": name,
            "SyncToken": "0",
            "MetaData": meta,
            "domain": "QBO",
            "sparse": False,
        }
    c.data["TaxAgency"]["1"] = {
        "DisplayName": "Texas Comptroller of Public Accounts",
        "TaxTrackedOnSales": True,
        "TaxTrackedOnPurchases": False,
        "Id": "1",
        "SyncToken": "0",
        "MetaData": meta,
        "domain": "QBO",
        "sparse": False,
    }
    c.counters["TaxAgency"] = 1
    c.data["TaxRate"]["1"] = {
        "Name": "State Sales Tax",
        "RateValue": Decimal("8"),
        "Active": True,
        "AgencyRef": {"value": "1"},
        "SpecialTaxType": "NONE",
        "DisplayType": "ReadOnly",
        "Id": "1",
        "SyncToken": "0",
        "MetaData": meta,
        "domain": "QBO",
        "sparse": False,
    }
    c.counters["TaxRate"] = 1
    c.data["TaxCode"]["1"] = {
        "Name": "State",
        "Description": "State sales tax",
        "Active": True,
        "Taxable": True,
        "TaxGroup": True,
        "SalesTaxRateList": {
            "TaxRateDetail": [
                {"TaxRateRef": {"value": "1"}, "TaxTypeApplicable": "TaxOnAmount", "TaxOrder": 0}
            ]
        },
        "PurchaseTaxRateList": {"TaxRateDetail": []},
        "Id": "1",
        "SyncToken": "0",
        "MetaData": meta,
        "domain": "QBO",
        "sparse": False,
    }
    c.counters["TaxCode"] = 1
    accounts = [
        ("Services", "Income", "ServiceFeeIncome"),
        ("Sales of Product Income", "Income", "SalesOfProductIncome"),
        ("Cost of Goods Sold", "Cost of Goods Sold", "SuppliesMaterialsCogs"),
        ("Inventory Asset", "Other Current Asset", "Inventory"),
        ("Checking", "Bank", "Checking"),
        ("Undeposited Funds", "Other Current Asset", "UndepositedFunds"),
        ("Accounts Receivable (A/R)", "Accounts Receivable", "AccountsReceivable"),
        ("Accounts Payable (A/P)", "Accounts Payable", "AccountsPayable"),
        ("Software Subscriptions", "Expense", "OfficeGeneralAdministrativeExpenses"),
        ("Savings", "Bank", "Savings"),
        ("Company Visa", "Credit Card", "CreditCard"),
        ("Discounts given", "Income", "DiscountsRefundsGiven"),
    ]
    for name, kind, sub in accounts:
        c.create("Account", {"Name": name, "AccountType": kind, "AccountSubType": sub})
    for name, days in (("Due on receipt", 0), ("Net 15", 15), ("Net 30", 30), ("Net 60", 60)):
        c.create("Term", {"Name": name, "DueDays": days})
    for name, kind in (("Cash", "NON_CREDIT_CARD"), ("Check", "NON_CREDIT_CARD"), ("Visa", "CREDIT_CARD")):
        c.create("PaymentMethod", {"Name": name, "Type": kind})
    c.changes.clear()


def seed_company(
    c: Company, wall: Callable[[], datetime], *, size: int = 100, seed: int = 0
) -> dict[str, int]:
    """Fill the company with a deterministic MSP dataset of about ``size`` customers and invoices.

    Creates classes, departments, service items, customers, vendors, employees, invoices (with
    lines whose amounts obey Qty x UnitPrice), partial and multi-invoice payments, billable time and
    bills, through the same rules as the API. Returns the counts created per entity.
    """
    rng = random.Random(seed)
    counts: dict[str, int] = {}

    def make(entity: str, body: dict[str, Any]) -> dict[str, Any]:
        counts[entity] = counts.get(entity, 0) + 1
        return c.create(entity, body)

    income = next(a["Id"] for a in c.data["Account"].values() if a["Name"] == "Services")
    expense = next(a["Id"] for a in c.data["Account"].values() if a["Name"] == "Software Subscriptions")
    net30 = next(t["Id"] for t in c.data["Term"].values() if t["Name"] == "Net 30")
    tag = f"{seed}-{len(c.data['Customer'])}"
    classes = [
        make("Class", {"Name": f"{n} {tag}"})["Id"] for n in ("Managed Services", "Projects", "Hardware")
    ]
    make("Department", {"Name": f"HQ {tag}"})
    services = [
        ("Managed Services - Per Device", Decimal("45.00")),
        ("Managed Services - Per User", Decimal("95.00")),
        ("Remote Support Hour", Decimal("125.00")),
        ("Onsite Support Hour", Decimal("150.00")),
        ("Backup Storage TB", Decimal("29.50")),
        ("Microsoft 365 Business Premium", Decimal("22.00")),
        ("Firewall Subscription", Decimal("39.99")),
        ("Project Labour", Decimal("135.00")),
    ]
    items = [
        make(
            "Item",
            {
                "Name": f"{name} {tag}",
                "Type": "Service",
                "UnitPrice": price,
                "IncomeAccountRef": {"value": income},
                "ExpenseAccountRef": {"value": expense},
            },
        )
        for name, price in services[: max(2, min(len(services), size // 5 + 2))]
    ]
    words = [
        "Acme",
        "Contoso",
        "Fabrikam",
        "Northwind",
        "Tailspin",
        "Wingtip",
        "Litware",
        "Adatum",
        "Proseware",
        "Lucerne",
        "Margie's",
        "Woodgrove",
        "Alpine",
        "Coho",
        "Fourth Coffee",
        "O'Brien",
    ]
    suffixes = [
        "IT",
        "Dental",
        "Legal LLP",
        "Logistics",
        "Clinic",
        "Holdings",
        "& Sons",
        "Manufacturing",
    ]
    customers = []
    for i in range(size):
        name = f"{rng.choice(words)} {rng.choice(suffixes)} {tag}-{i:05d}"
        customers.append(
            make(
                "Customer",
                {
                    "DisplayName": name,
                    "CompanyName": name,
                    "PrimaryEmailAddr": {"Address": f"ap{i}@customer{i}.example"},
                    "BillAddr": {
                        "Line1": f"{100 + i} Main St",
                        "City": "Austin",
                        "CountrySubDivisionCode": "TX",
                        "PostalCode": "78701",
                    },
                    "SalesTermRef": {"value": net30},
                },
            )
        )
    vendors = [
        make(
            "Vendor",
            {
                "DisplayName": f"Vendor {rng.choice(words)} {tag}-{i:04d}",
                "PrimaryEmailAddr": {"Address": f"billing{i}@vendor.example"},
            },
        )
        for i in range(max(1, size // 4))
    ]
    employees = [
        make(
            "Employee",
            {
                "GivenName": rng.choice(["Ana", "Ben", "Chen", "Dana", "Eli", "Fay"]),
                "FamilyName": f"Tech{tag}-{i:04d}",
                "BillableTime": True,
                "BillRate": Decimal("125.00"),
            },
        )
        for i in range(max(1, size // 10))
    ]
    invoices = []
    for i in range(size):
        customer = customers[i % len(customers)]
        lines = []
        for _ in range(rng.randint(1, 4)):
            item = rng.choice(items)
            qty = Decimal(rng.randint(1, 40)) / (Decimal(2) if rng.random() < 0.3 else Decimal(1))
            price = Decimal(str(item["UnitPrice"]))
            lines.append(
                {
                    "DetailType": "SalesItemLineDetail",
                    "Amount": (qty * price).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
                    "Description": item["Name"],
                    "SalesItemLineDetail": {
                        "ItemRef": {"value": item["Id"]},
                        "Qty": qty,
                        "UnitPrice": price,
                        "ClassRef": {"value": rng.choice(classes)},
                    },
                }
            )
        txn = (wall() - timedelta(days=rng.randint(0, 90))).date()
        invoices.append(
            make(
                "Invoice",
                {"CustomerRef": {"value": customer["Id"]}, "TxnDate": txn.isoformat(), "Line": lines},
            )
        )
    for i in range(0, len(invoices) - 1, 2):
        invoice = c.data["Invoice"][invoices[i]["Id"]]
        balance = Decimal(str(invoice["Balance"]))
        amount = balance if rng.random() < 0.6 else (balance / 2).quantize(Decimal("0.01"))
        make(
            "Payment",
            {
                "CustomerRef": {"value": invoice["CustomerRef"]["value"]},
                "TotalAmt": amount,
                "Line": [{"Amount": amount, "LinkedTxn": [{"TxnId": invoice["Id"], "TxnType": "Invoice"}]}],
            },
        )
    for i in range(size):
        employee = employees[i % len(employees)]
        make(
            "TimeActivity",
            {
                "NameOf": "Employee",
                "EmployeeRef": {"value": employee["Id"]},
                "CustomerRef": {"value": customers[i % len(customers)]["Id"]},
                "ItemRef": {"value": items[0]["Id"]},
                "BillableStatus": "Billable",
                "HourlyRate": Decimal("125.00"),
                "Hours": rng.randint(0, 4),
                "Minutes": rng.choice([0, 15, 30, 45]),
                "TxnDate": c.today().isoformat(),
                "Description": f"CW ticket #{4000 + i}",
            },
        )
    for i in range(max(1, size // 4)):
        make(
            "Bill",
            {
                "VendorRef": {"value": vendors[i % len(vendors)]["Id"]},
                "Line": [
                    {
                        "DetailType": "AccountBasedExpenseLineDetail",
                        "Amount": Decimal(rng.randint(50, 900)),
                        "AccountBasedExpenseLineDetail": {"AccountRef": {"value": expense}},
                    }
                ],
            },
        )
    return counts
