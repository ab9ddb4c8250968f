"""Business rules of the QBO sandbox for money movements and the remaining entities of REFERENCE.md §12.

Payment, BillPayment, CreditCardPayment, CreditMemo, Deposit, Purchase, RefundReceipt, SalesReceipt,
Transfer, Attachable, TaxAgency and CompanyCurrency. Required fields follow Intuit's API reference pages
for each entity (mirrored in Petrus-Han/finance_plugins ``ref/quickbooks_dev_docs/api-reference``, the
same source as ``shared/apis/quickbooks/samples``) and REFERENCE.md §12.3, §12.15 and §13.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from msplink.sandbox.quickbooks._faults import Fault, business, money, ref, required, round2
from msplink.sandbox.quickbooks._rules import (
    Existing,
    apply_currency,
    lines,
    rule,
    sales_document,
    txn_defaults,
    vendor_document,
)

if TYPE_CHECKING:
    from msplink.sandbox.quickbooks._company import CompanyState as Company

__all__ = ["CURRENCIES", "account"]

CURRENCIES = {
    "USD": "United States Dollar",
    "EUR": "Euro",
    "GBP": "British Pound Sterling",
    "CAD": "Canadian Dollar",
    "AUD": "Australian Dollar",
    "NZD": "New Zealand Dollar",
    "JPY": "Japanese Yen",
    "CHF": "Swiss Franc",
    "INR": "Indian Rupee",
    "MXN": "Mexican Peso",
    "ZAR": "South African Rand",
    "SEK": "Swedish Krona",
    "NOK": "Norwegian Krone",
    "DKK": "Danish Krone",
    "SGD": "Singapore Dollar",
    "HKD": "Hong Kong Dollar",
    "CNY": "Chinese Yuan Renminbi",
    "BRL": "Brazilian Real",
    "PHP": "Philippine Peso",
    "ANG": "Dutch Guilder",
}
"""ISO 4217 codes the sandbox knows, with the names QBO shows (``CompanyCurrency.Name``)."""


def account(c: Company, account_id: str | None, field: str, types: tuple[str, ...] = ()) -> dict[str, Any]:
    """An existing account, of one of ``types`` when given (6000 otherwise)."""
    found = c.ref_exists("Account", account_id, field)
    if types and found.get("AccountType") not in types:
        raise business(f"{field} must be an account of type {' or '.join(types)}", field)
    return found


def _undeposited(c: Company, obj: dict[str, Any], key: str = "DepositToAccountRef") -> None:
    if ref(obj, key):
        account(c, ref(obj, key), key)
        return
    funds = next(
        (a for a in c.data["Account"].values() if a.get("AccountSubType") == "UndepositedFunds"), None
    )
    if funds is not None:
        obj[key] = {"value": funds["Id"], "name": funds.get("Name")}


# ------------------------------------------------------------------------------------ receivables


@rule("Payment")
def prepare_payment(c: Company, entity: str, obj: dict[str, Any], existing: Existing) -> None:
    """Payment: CustomerRef + TotalAmt; lines apply amounts to invoices (+) and credit memos (-) (§12.3).

    ``UnappliedAmt = TotalAmt - Σ invoice lines + Σ credit-memo lines``; an invoice line may not exceed
    the invoice's open balance nor a credit line the memo's remaining credit; every linked document must
    belong to the customer and be in the payment's currency.
    """
    customer = c.ref_exists("Customer", ref(obj, "CustomerRef"), "CustomerRef")
    obj["CustomerRef"] = {"value": customer["Id"], "name": customer.get("DisplayName")}
    if obj.get("TotalAmt") is None:
        raise required("TotalAmt")
    total = round2(money(obj["TotalAmt"], "TotalAmt"))
    if total < 0:
        raise business("the payment amount cannot be negative", "TotalAmt")
    obj["TotalAmt"] = total
    applied = Decimal("0")
    kept: list[dict[str, Any]] = []
    code = ref(obj, "CurrencyRef") or ref(customer, "CurrencyRef") or c.home_currency
    for index, raw in enumerate(obj.get("Line") or []):
        line = dict(raw)
        if line.get("Amount") is None:
            raise required(f"Line[{index}].Amount")
        amount = round2(money(line["Amount"], f"Line[{index}].Amount"))
        if amount < 0:
            raise business("a payment line amount cannot be negative", f"Line[{index}].Amount")
        line["Amount"] = amount
        for link in line.get("LinkedTxn") or []:
            kind = link.get("TxnType")
            if kind not in {"Invoice", "CreditMemo"}:
                continue
            doc = c.data[kind].get(str(link.get("TxnId")))
            if doc is None:
                raise Fault(
                    "2500",
                    "Invalid Reference Id",
                    f"Invalid Reference Id : {kind} {link.get('TxnId')}",
                    element=f"Line[{index}].LinkedTxn",
                )
            if ref(doc, "CustomerRef") != customer["Id"]:
                raise business(f"the {kind.lower()} belongs to another customer")
            if (ref(doc, "CurrencyRef") or c.home_currency) != code:
                raise business("a payment must be in the currency of the documents it pays")
            balance = money(doc.get("Balance", 0))
            if amount > balance:
                raise business(f"the payment amount {amount} exceeds the open balance {balance}")
            applied += amount if kind == "Invoice" else -amount
        kept.append(line)
    if applied > total:
        raise business("the amount applied exceeds the payment total")
    obj["Line"] = kept
    obj["UnappliedAmt"] = total - applied
    obj.setdefault("TxnDate", c.today().isoformat())
    obj.setdefault("ProcessPayment", False)
    _undeposited(c, obj)
    if ref(obj, "PaymentMethodRef"):
        c.ref_exists("PaymentMethod", ref(obj, "PaymentMethodRef"), "PaymentMethodRef")
    apply_currency(c, obj, customer, ("TotalAmt",))


@rule("CreditMemo")
def prepare_creditmemo(c: Company, entity: str, obj: dict[str, Any], existing: Existing) -> None:
    """CreditMemo: CustomerRef + Line; Balance / RemainingCredit = what payments have not used yet."""
    customer = sales_document(c, "CreditMemo", obj, existing)
    used = Decimal("0")
    if existing is not None:
        old = c.data["CreditMemo"][existing[1]]
        used = money(old.get("TotalAmt", 0)) - money(old.get("Balance", 0))
        obj["LinkedTxn"] = [lk for lk in old.get("LinkedTxn", []) if lk.get("TxnType") == "Payment"]
    if obj["TotalAmt"] < used:
        raise business("the credit memo total is below the credit already applied")
    obj["Balance"] = obj["RemainingCredit"] = obj["TotalAmt"] - used
    apply_currency(c, obj, customer, ("TotalAmt",))


@rule("SalesReceipt")
def prepare_salesreceipt(c: Company, entity: str, obj: dict[str, Any], existing: Existing) -> None:
    """SalesReceipt: Line (a customer is optional); paid at sale, into Undeposited Funds by default."""
    customer = sales_document(c, "SalesReceipt", obj, existing, customer_required=False)
    obj["Balance"] = Decimal("0")
    _undeposited(c, obj)
    apply_currency(c, obj, customer, ("TotalAmt",))


@rule("RefundReceipt")
def prepare_refundreceipt(c: Company, entity: str, obj: dict[str, Any], existing: Existing) -> None:
    """RefundReceipt: Line + DepositToAccountRef (a Bank or Other Current Asset account) are required."""
    customer = sales_document(c, "RefundReceipt", obj, existing, customer_required=False)
    account(c, ref(obj, "DepositToAccountRef"), "DepositToAccountRef", ("Bank", "Other Current Asset"))
    obj["Balance"] = Decimal("0")
    apply_currency(c, obj, customer, ("TotalAmt",))


# --------------------------------------------------------------------------------------- payables


@rule("BillPayment")
def prepare_billpayment(c: Company, entity: str, obj: dict[str, Any], existing: Existing) -> None:
    """BillPayment: VendorRef, PayType (Check needs CheckPayment.BankAccountRef, CreditCard needs
    CreditCardPayment.CCAccountRef), TotalAmt; lines pay bills (+) and use vendor credits (-).

    An overpayment (TotalAmt above the lines) stays with the vendor as a credit; lines above TotalAmt
    are refused.
    """
    vendor = vendor_document(c, obj)
    pay_type = obj.get("PayType")
    if pay_type is None:
        raise required("PayType")
    if pay_type == "Check":
        detail = obj.get("CheckPayment") or {}
        account(c, ref(detail, "BankAccountRef"), "CheckPayment.BankAccountRef", ("Bank",))
        obj.setdefault("CheckPayment", {}).setdefault("PrintStatus", "NotSet")
    elif pay_type == "CreditCard":
        detail = obj.get("CreditCardPayment") or {}
        account(c, ref(detail, "CCAccountRef"), "CreditCardPayment.CCAccountRef", ("Credit Card",))
    else:
        raise Fault("2170", "Invalid Enumeration", f"Invalid PayType {pay_type}", element="PayType")
    if obj.get("TotalAmt") is None:
        raise required("TotalAmt")
    total = round2(money(obj["TotalAmt"], "TotalAmt"))
    obj["TotalAmt"] = total
    applied = Decimal("0")
    kept = []
    for index, raw in enumerate(obj.get("Line") or []):
        line = dict(raw)
        if line.get("Amount") is None:
            raise required(f"Line[{index}].Amount")
        amount = round2(money(line["Amount"], f"Line[{index}].Amount"))
        line["Amount"] = amount
        for link in line.get("LinkedTxn") or []:
            kind = link.get("TxnType")
            if kind not in {"Bill", "VendorCredit"}:
                continue
            doc = c.data[kind].get(str(link.get("TxnId")))
            if doc is None:
                raise Fault(
                    "2500",
                    "Invalid Reference Id",
                    f"Invalid Reference Id : {kind} {link.get('TxnId')}",
                    element=f"Line[{index}].LinkedTxn",
                )
            if ref(doc, "VendorRef") != vendor["Id"]:
                raise business(f"the {kind.lower()} belongs to another vendor")
            if amount > money(doc.get("Balance", 0)):
                raise business(f"the payment amount {amount} exceeds the open balance {doc.get('Balance')}")
            applied += amount if kind == "Bill" else -amount
        kept.append(line)
    if applied > total:
        raise business("the amount applied exceeds the payment total")
    obj["Line"] = kept
    txn_defaults(c, "BillPayment", obj, existing, numbered=False)
    if ref(obj, "APAccountRef"):
        account(c, ref(obj, "APAccountRef"), "APAccountRef")
    apply_currency(c, obj, vendor, ("TotalAmt",))


@rule("Purchase")
def prepare_purchase(c: Company, entity: str, obj: dict[str, Any], existing: Existing) -> None:
    """Purchase (expense, check, card charge): PaymentType, AccountRef of the matching type, Line."""
    kind = obj.get("PaymentType")
    if kind is None:
        raise required("PaymentType")
    types = {"Cash": ("Bank", "Other Current Asset"), "Check": ("Bank",), "CreditCard": ("Credit Card",)}
    if kind not in types:
        raise Fault("2170", "Invalid Enumeration", f"Invalid PaymentType {kind}", element="PaymentType")
    account(c, ref(obj, "AccountRef"), "AccountRef", types[kind])
    if obj.get("Credit") is True and kind != "CreditCard":
        raise business("Credit is only allowed for a CreditCard purchase", "Credit")
    party: Mapping[str, Any] | None = None
    entity_ref = obj.get("EntityRef")
    if isinstance(entity_ref, dict) and entity_ref.get("value"):
        party_type = str(entity_ref.get("type") or "Vendor")
        if party_type not in {"Vendor", "Customer", "Employee"}:
            raise Fault(
                "2170", "Invalid Enumeration", f"Invalid EntityRef.type {party_type}", element="EntityRef"
            )
        party = c.ref_exists(party_type, str(entity_ref["value"]), "EntityRef")
    obj["TotalAmt"] = lines(c, obj, sales=False)
    txn_defaults(c, "Purchase", obj, existing, numbered=False)
    apply_currency(c, obj, party if party is not None and "CurrencyRef" in party else None, ("TotalAmt",))


@rule("CreditCardPayment")
def prepare_creditcardpayment(c: Company, entity: str, obj: dict[str, Any], existing: Existing) -> None:
    """CreditCardPayment (``CreditCardPaymentTxn``): Bank → Credit Card account, home currency only."""
    card = account(c, ref(obj, "CreditCardAccountRef"), "CreditCardAccountRef", ("Credit Card",))
    bank = account(c, ref(obj, "BankAccountRef"), "BankAccountRef", ("Bank",))
    if obj.get("Amount") is None:
        raise required("Amount")
    amount = round2(money(obj["Amount"], "Amount"))
    if amount <= 0:
        raise business("Amount must be greater than zero", "Amount")
    obj["Amount"] = amount
    for found in (card, bank):
        if (ref(found, "CurrencyRef") or c.home_currency) != c.home_currency:
            raise business("This transaction does not support multicurrency: use home-currency accounts")
    if ref(obj, "VendorRef"):
        vendor_document(c, obj)
    txn_defaults(c, "CreditCardPayment", obj, existing, numbered=False)
    obj["CurrencyRef"] = {"value": c.home_currency, "name": c.currency_name(c.home_currency)}


@rule("Transfer")
def prepare_transfer(c: Company, entity: str, obj: dict[str, Any], existing: Existing) -> None:
    """Transfer: FromAccountRef, ToAccountRef (two different asset accounts) and Amount."""
    source = account(c, ref(obj, "FromAccountRef"), "FromAccountRef")
    target = account(c, ref(obj, "ToAccountRef"), "ToAccountRef")
    for field, found in (("FromAccountRef", source), ("ToAccountRef", target)):
        if found.get("Classification") != "Asset":
            raise business(f"{field} must be an asset account", field)
    if source["Id"] == target["Id"]:
        raise business("The accounts of a transfer must be different", "ToAccountRef")
    if obj.get("Amount") is None:
        raise required("Amount")
    amount = round2(money(obj["Amount"], "Amount"))
    if amount <= 0:
        raise business("Amount must be greater than zero", "Amount")
    obj["Amount"] = amount
    txn_defaults(c, "Transfer", obj, existing, numbered=False)
    apply_currency(c, obj, None, ())


@rule("Deposit")
def prepare_deposit(c: Company, entity: str, obj: dict[str, Any], existing: Existing) -> None:
    """Deposit: DepositToAccountRef (Bank / Other Current Asset) + Line; lines deposit undeposited
    payments and sales receipts (LinkedTxn) or record income (DepositLineDetail.AccountRef)."""
    account(c, ref(obj, "DepositToAccountRef"), "DepositToAccountRef", ("Bank", "Other Current Asset"))
    raw_lines = obj.get("Line")
    if not isinstance(raw_lines, list) or not raw_lines:
        raise required("Line")
    total = Decimal("0")
    kept: list[dict[str, Any]] = []
    own = existing[1] if existing else None
    for index, raw in enumerate(raw_lines):
        line = dict(raw)
        if line.get("Amount") is None:
            raise required(f"Line[{index}].Amount")
        amount = round2(money(line["Amount"], f"Line[{index}].Amount"))
        line["Amount"] = amount
        links = [lk for lk in line.get("LinkedTxn") or [] if isinstance(lk, Mapping)]
        if links:
            for link in links:
                kind = str(link.get("TxnType"))
                if kind not in c.data or kind not in {
                    "Payment",
                    "SalesReceipt",
                    "RefundReceipt",
                    "JournalEntry",
                    "Transfer",
                }:
                    raise Fault(
                        "2170",
                        "Invalid Enumeration",
                        f"Invalid TxnType {kind}",
                        element=f"Line[{index}].LinkedTxn",
                    )
                doc = c.data[kind].get(str(link.get("TxnId")))
                if doc is None:
                    raise Fault(
                        "2500",
                        "Invalid Reference Id",
                        f"Invalid Reference Id : {kind} {link.get('TxnId')}",
                        element=f"Line[{index}].LinkedTxn",
                    )
                holder = c.deposited.get((kind, str(doc["Id"])))
                if holder is not None and holder != own:
                    raise business(f"{kind} {doc['Id']} is already deposited")
        else:
            line["DetailType"] = "DepositLineDetail"
            detail = dict(line.get("DepositLineDetail") or {})
            account(c, ref(detail, "AccountRef"), f"Line[{index}].DepositLineDetail.AccountRef")
            line["DepositLineDetail"] = detail
        line["Id"] = str(line.get("Id") or index + 1)
        line["LineNum"] = len(kept) + 1
        total += amount
        kept.append(line)
    cash_back = obj.get("CashBack")
    if isinstance(cash_back, dict) and cash_back.get("Amount") is not None:
        total -= round2(money(cash_back["Amount"], "CashBack.Amount"))
    obj["Line"] = kept
    obj["TotalAmt"] = total
    txn_defaults(c, "Deposit", obj, existing, numbered=False)
    apply_currency(c, obj, None, ("TotalAmt",))


# ----------------------------------------------------------------------------------------- others


@rule("Attachable")
def prepare_attachable(c: Company, entity: str, obj: dict[str, Any], existing: Existing) -> None:
    """Attachable: a note (Note), a file (FileName) or both; AttachableRef entities must exist."""
    if not obj.get("Note") and not obj.get("FileName"):
        raise required("Note")
    for field, limit in (("Note", 2000), ("FileName", 1000)):
        if len(str(obj.get(field) or "")) > limit:
            raise Fault(
                "2050",
                "String length is either shorter or longer than supported by specification",
                f"{field} is longer than {limit} characters",
                element=field,
            )
    for index, link in enumerate(obj.get("AttachableRef") or []):
        target = link.get("EntityRef") or {}
        kind = next((name for name in c.data if name.lower() == str(target.get("type", "")).lower()), None)
        if kind is None or str(target.get("value")) not in c.data[kind]:
            raise Fault(
                "2500",
                "Invalid Reference Id",
                f"Invalid Reference Id : {target.get('type')} {target.get('value')}",
                element=f"AttachableRef[{index}].EntityRef",
            )
        target["type"] = kind
        link.setdefault("IncludeOnSend", False)


@rule("TaxAgency")
def prepare_taxagency(c: Company, entity: str, obj: dict[str, Any], existing: Existing) -> None:
    """TaxAgency: DisplayName (≤100, unique)."""
    name = str(obj.get("DisplayName") or "")
    if not name:
        raise required("DisplayName")
    if len(name) > 100:
        raise Fault(
            "2050",
            "String length is either shorter or longer than supported by specification",
            "DisplayName is longer than 100 characters",
            element="DisplayName",
        )
    if any(str(a.get("DisplayName", "")).casefold() == name.casefold() for a in c.data["TaxAgency"].values()):
        raise Fault("6240", "Duplicate Name Exists Error", "Another tax agency is already using this name.")
    obj.setdefault("TaxTrackedOnSales", True)
    obj.setdefault("TaxTrackedOnPurchases", False)


@rule("CompanyCurrency")
def prepare_companycurrency(c: Company, entity: str, obj: dict[str, Any], existing: Existing) -> None:
    """CompanyCurrency: Code (ISO 4217) of a currency to activate; multicurrency companies only."""
    c.require_multicurrency()
    code = str(obj.get("Code") or "").upper()
    if existing is not None:
        old = c.data["CompanyCurrency"][existing[1]]
        if code and code != old["Code"]:
            raise business("The Code of a currency cannot be changed", "Code")
        obj["Code"], obj["Name"] = old["Code"], old["Name"]
        obj.setdefault("Active", True)
        return
    if not code:
        raise required("Code")
    if code not in CURRENCIES:
        raise Fault("2050", "Invalid currency code", f"Unsupported currency code {code}", element="Code")
    if code == c.home_currency:
        raise business(f"{code} is the home currency", "Code")
    if any(v.get("Code") == code for v in c.data["CompanyCurrency"].values()):
        raise Fault("6240", "Duplicate Name Exists Error", f"The currency {code} is already in the list.")
    obj["Code"] = code
    obj["Name"] = CURRENCIES[code]
    obj.setdefault("Active", True)


def create_tax_code(c: Company, body: Mapping[str, Any]) -> dict[str, Any]:
    """POST /taxservice/taxcode: a TaxCode with new (TaxRateName, RateValue 0-100, TaxAgencyId) or existing
    (TaxRateId) rates, none listed twice; the answer is the bare TaxService object (Intuit's TaxService page)."""
    name = str(body.get("TaxCode") or "")
    details = body.get("TaxRateDetails") or []
    if not name:
        raise Fault(
            "2020",
            "Required param missing, need to supply the required value for the API",
            "Required parameter TaxCode is missing in the request",
            element="TaxCode",
        )
    if not details:
        raise Fault(
            "2020",
            "Required param missing, need to supply the required value for the API",
            "Required parameter TaxRateDetails is missing in the request",
            element="TaxRateDetails",
        )
    if any(str(t.get("Name", "")).casefold() == name.casefold() for t in c.data["TaxCode"].values()):
        raise Fault("6240", "Duplicate Name Exists Error", f"The tax code {name} already exists.")
    sales: list[dict[str, Any]] = []
    purchase: list[dict[str, Any]] = []
    seen: set[str] = set()
    out_details = []
    stamp = c.stamp()
    for index, detail in enumerate(details):
        rate_id = str(detail.get("TaxRateId") or "")
        if rate_id:
            if rate_id not in c.data["TaxRate"]:
                raise Fault(
                    "2500",
                    "Invalid Reference Id",
                    f"Invalid Reference Id : TaxRateId {rate_id}",
                    element=f"TaxRateDetails[{index}].TaxRateId",
                )
        else:
            rate_name = str(detail.get("TaxRateName") or "")
            agency = str(detail.get("TaxAgencyId") or "")
            if not rate_name or detail.get("RateValue") in (None, "") or not agency:
                raise Fault(
                    "2020",
                    "Required param missing, need to supply the required value for the API",
                    "TaxRateName, RateValue and TaxAgencyId are required for a new tax rate",
                    element=f"TaxRateDetails[{index}]",
                )
            if agency not in c.data["TaxAgency"]:
                raise Fault(
                    "2500",
                    "Invalid Reference Id",
                    f"Invalid Reference Id : TaxAgencyId {agency}",
                    element=f"TaxRateDetails[{index}].TaxAgencyId",
                )
            value = money(detail["RateValue"], f"TaxRateDetails[{index}].RateValue")
            if not 0 <= value <= 100:
                raise Fault(
                    "6000",
                    "A business validation error has occurred while processing your request",
                    "Business Validation Error: RateValue must be between 0 and 100",
                    element=f"TaxRateDetails[{index}].RateValue",
                )
            rate_id = c.next_id("TaxRate")
            c.data["TaxRate"][rate_id] = {
                "Name": rate_name,
                "RateValue": value,
                "Active": True,
                "AgencyRef": {"value": agency},
                "SpecialTaxType": "NONE",
                "DisplayType": "ReadOnly",
                "Id": rate_id,
                "SyncToken": "0",
                "MetaData": {"CreateTime": stamp, "LastUpdatedTime": stamp},
                "domain": "QBO",
                "sparse": False,
            }
        if rate_id in seen:
            raise Fault(
                "6000",
                "A business validation error has occurred while processing your request",
                "Business Validation Error: a tax rate may not be listed twice",
            )
        seen.add(rate_id)
        applicable = str(detail.get("TaxApplicableOn") or "Sales")
        entry = {
            "TaxRateRef": {"value": rate_id, "name": c.data["TaxRate"][rate_id]["Name"]},
            "TaxTypeApplicable": "TaxOnAmount",
            "TaxOrder": 0,
        }
        (purchase if applicable == "Purchase" else sales).append(entry)
        out_details.append({**detail, "TaxRateId": rate_id, "TaxApplicableOn": applicable})
    code_id = c.next_id("TaxCode")
    c.data["TaxCode"][code_id] = {
        "Name": name,
        "Description": name,
        "Active": True,
        "Taxable": True,
        "TaxGroup": True,
        "SalesTaxRateList": {"TaxRateDetail": sales},
        "PurchaseTaxRateList": {"TaxRateDetail": purchase},
        "Id": code_id,
        "SyncToken": "0",
        "MetaData": {"CreateTime": stamp, "LastUpdatedTime": stamp},
        "domain": "QBO",
        "sparse": False,
    }
    return {"TaxCode": name, "TaxCodeId": code_id, "TaxRateDetails": out_details}
