"""Business rules of the QBO sandbox for name lists and the sales / purchase documents (REFERENCE.md §12).

Each ``prepare_<entity>(company, obj, existing)`` validates a request body (already read against Intuit's
XSD by ``_wire.check_body``) and fills the fields the server derives: totals, balances, names, defaults.
``existing`` is ``(entity, id)`` on an update. The money-movement entities live in ``_rules_banking``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from msplink.sandbox.quickbooks._faults import Fault, business, money, ref, required, round2

if TYPE_CHECKING:
    from msplink.sandbox.quickbooks._company import CompanyState as Company

__all__ = ["RULES", "apply_currency", "lines", "named", "txn_defaults"]

Existing = tuple[str, str] | None
Rule = Callable[["Company", str, dict[str, Any], Existing], None]

PEOPLE = ("Customer", "Vendor", "Employee")
SALES_DETAILS = frozenset(
    {"SalesItemLineDetail", "GroupLineDetail", "DescriptionOnly", "DiscountLineDetail", "SubTotalLineDetail"}
)
EXPENSE_DETAILS = frozenset(
    {"AccountBasedExpenseLineDetail", "ItemBasedExpenseLineDetail", "DescriptionOnly"}
)
ACCOUNT_CLASSIFICATION = {
    "Bank": "Asset",
    "Accounts Receivable": "Asset",
    "Other Current Asset": "Asset",
    "Fixed Asset": "Asset",
    "Other Asset": "Asset",
    "Accounts Payable": "Liability",
    "Credit Card": "Liability",
    "Other Current Liability": "Liability",
    "Long Term Liability": "Liability",
    "Equity": "Equity",
    "Income": "Revenue",
    "Other Income": "Revenue",
    "Cost of Goods Sold": "Expense",
    "Expense": "Expense",
    "Other Expense": "Expense",
}
RULES: dict[str, Rule] = {}


def rule(*entities: str) -> Callable[[Rule], Rule]:
    """Register a prepare function for entities."""

    def register(fn: Rule) -> Rule:
        for entity in entities:
            RULES[entity] = fn
        return fn

    return register


# ------------------------------------------------------------------------------------------ names


def check_name(value: str, field: str) -> None:
    """Names may not contain ``:`` (the hierarchy separator), tab or newline (REFERENCE §4)."""
    if any(ch in value for ch in ":\t\n"):
        raise Fault("2050", "Invalid character", f"{field} cannot contain ':', tab or newline", element=field)


def _too_long(field: str, limit: int) -> Fault:
    return Fault(
        "2050",
        "String length is either shorter or longer than supported by specification",
        f"{field} is longer than {limit} characters",
        element=field,
    )


def named(c: Company, entity: str, obj: dict[str, Any], existing: Existing, *, limit: int = 100) -> str:
    """Validate a ``Name`` unique within its list (6240 otherwise)."""
    name = obj.get("Name")
    if not name:
        raise required("Name")
    name = str(name)
    check_name(name, "Name")
    if len(name) > limit:
        raise _too_long("Name", limit)
    if c.name_taken(entity, name, existing[1] if existing else None):
        raise Fault(
            "6240", "Duplicate Name Exists Error", f"Another {entity.lower()} is already using this name."
        )
    obj.setdefault("Active", True)
    return name


@rule(*PEOPLE)
def prepare_person(c: Company, entity: str, obj: dict[str, Any], existing: Existing) -> None:
    """Customer / Vendor / Employee: DisplayName (derived from name parts), unique across the three lists."""
    name = obj.get("DisplayName")
    if not name:
        parts = [
            str(obj[k]) for k in ("Title", "GivenName", "MiddleName", "FamilyName", "Suffix") if obj.get(k)
        ]
        if not parts:
            raise required("DisplayName")
        name = " ".join(parts)
        obj["DisplayName"] = name
    name = str(name)
    check_name(name, "DisplayName")
    if len(name) > 500:
        raise _too_long("DisplayName", 500)
    if c.display_name_taken(name, existing):
        raise Fault(
            "6240",
            "Duplicate Name Exists Error",
            "The name supplied already exists. : Another customer, vendor or employee is already using this name. Please use a different name.",
        )
    email = (obj.get("PrimaryEmailAddr") or {}).get("Address")
    if email and ("@" not in email or "." not in email):
        raise Fault(
            "2050", "Invalid Email Address format", f"Invalid email {email}", element="PrimaryEmailAddr"
        )
    obj.setdefault("Active", True)
    obj.setdefault("PrintOnCheckName", name)
    obj["FullyQualifiedName"] = name
    if entity in {"Customer", "Vendor"}:
        obj.setdefault("Balance", Decimal("0"))
        _party_currency(c, entity, obj, existing)
    if entity == "Customer":
        obj.setdefault("BalanceWithJobs", obj.get("Balance", Decimal("0")))
        obj.setdefault("Job", False)
        obj.setdefault("Taxable", True)
        if ref(obj, "SalesTermRef"):
            c.ref_exists("Term", ref(obj, "SalesTermRef"), "SalesTermRef")
        if ref(obj, "PaymentMethodRef"):
            c.ref_exists("PaymentMethod", ref(obj, "PaymentMethodRef"), "PaymentMethodRef")
    if entity == "Vendor" and ref(obj, "TermRef"):
        c.ref_exists("Term", ref(obj, "TermRef"), "TermRef")


def _party_currency(c: Company, entity: str, obj: dict[str, Any], existing: Existing) -> None:
    """A customer's or vendor's currency: home unless set on create; immutable afterwards (REFERENCE §13)."""
    home = c.home_currency
    code = ref(obj, "CurrencyRef") or home
    if existing is not None:
        old = ref(c.data[existing[0]][existing[1]], "CurrencyRef") or home
        if code != old:
            raise business("You can't change the currency of a name once it is set.", "CurrencyRef")
    elif code != home:
        c.require_currency(code)
    obj["CurrencyRef"] = {"value": code, "name": c.currency_name(code)}


@rule("Item")
def prepare_item(c: Company, entity: str, obj: dict[str, Any], existing: Existing) -> None:
    """Item: Name + Type, accounts by type (REFERENCE §12.4)."""
    name = named(c, "Item", obj, existing)
    kind = obj.get("Type")
    if not kind:
        raise required("Type")
    if kind in {"Service", "NonInventory", "Inventory"}:
        c.ref_exists("Account", ref(obj, "IncomeAccountRef"), "IncomeAccountRef")
    if kind == "Inventory":
        c.ref_exists("Account", ref(obj, "ExpenseAccountRef"), "ExpenseAccountRef")
        c.ref_exists("Account", ref(obj, "AssetAccountRef"), "AssetAccountRef")
        for key in ("QtyOnHand", "InvStartDate"):
            if obj.get(key) is None:
                raise required(key)
        obj["TrackQtyOnHand"] = True
    for key in ("UnitPrice", "PurchaseCost"):
        if obj.get(key) is not None:
            obj[key] = money(obj[key], key)
    obj["FullyQualifiedName"] = name


@rule("Account")
def prepare_account(c: Company, entity: str, obj: dict[str, Any], existing: Existing) -> None:
    """Account: Name (no ``"``), AccountType or AccountSubType; Classification derived (REFERENCE §12.5)."""
    name = named(c, "Account", obj, existing)
    if '"' in name:
        raise Fault("2050", "Invalid character", "Account Name cannot contain '\"'", element="Name")
    if not obj.get("AccountType") and not obj.get("AccountSubType"):
        raise required("AccountType")
    obj.setdefault("AccountType", "Expense")
    obj["Classification"] = ACCOUNT_CLASSIFICATION.get(str(obj["AccountType"]), "Expense")
    obj.setdefault("SubAccount", False)
    obj.setdefault("CurrentBalance", Decimal("0"))
    obj.setdefault("CurrentBalanceWithSubAccounts", obj["CurrentBalance"])
    obj["FullyQualifiedName"] = name
    code = ref(obj, "CurrencyRef") or c.home_currency
    if code != c.home_currency:
        c.require_currency(code)
    obj["CurrencyRef"] = {"value": code, "name": c.currency_name(code)}


@rule("Term")
def prepare_term(c: Company, entity: str, obj: dict[str, Any], existing: Existing) -> None:
    """Term: Name (≤31) and DueDays (STANDARD) or DayOfMonthDue (DATE_DRIVEN) (REFERENCE §12.11)."""
    named(c, "Term", obj, existing, limit=31)
    if obj.get("DueDays") is not None:
        obj["Type"] = "STANDARD"
    elif obj.get("DayOfMonthDue") is not None:
        obj["Type"] = "DATE_DRIVEN"
    else:
        raise required("DueDays")


@rule("Class")
def prepare_class(c: Company, entity: str, obj: dict[str, Any], existing: Existing) -> None:
    """Class: Name (REFERENCE §12.13)."""
    obj["FullyQualifiedName"] = named(c, "Class", obj, existing)
    obj.setdefault("SubClass", False)


@rule("Department")
def prepare_department(c: Company, entity: str, obj: dict[str, Any], existing: Existing) -> None:
    """Department ("Location"): Name (REFERENCE §12.13)."""
    obj["FullyQualifiedName"] = named(c, "Department", obj, existing)
    obj.setdefault("SubDepartment", False)


@rule("PaymentMethod")
def prepare_paymentmethod(c: Company, entity: str, obj: dict[str, Any], existing: Existing) -> None:
    """PaymentMethod: Name (≤31, unique), Type CREDIT_CARD | NON_CREDIT_CARD (Intuit's PaymentMethod page)."""
    named(c, "PaymentMethod", obj, existing, limit=31)
    kind = obj.setdefault("Type", "NON_CREDIT_CARD")
    if kind not in {"CREDIT_CARD", "NON_CREDIT_CARD"}:
        raise Fault("2170", "Invalid Enumeration", f"Invalid Type {kind}", element="Type")


# ------------------------------------------------------------------------------------------ lines


def _tax_code(c: Company, detail: dict[str, Any], element: str) -> None:
    """US lines carry only the pseudo codes TAX or NON (default NON; REFERENCE §12.12)."""
    code = ref(detail, "TaxCodeRef")
    if code is None:
        detail["TaxCodeRef"] = {"value": "NON"}
    elif code not in {"TAX", "NON"}:
        if code not in c.data["TaxCode"]:
            raise Fault(
                "2500", "Invalid Reference Id", f"Invalid Reference Id : TaxCodeRef {code}", element=element
            )
        raise business(f"TaxCodeRef {code} cannot be used on a line: use TAX or NON", element)


def _item_line(c: Company, line: dict[str, Any], kind: str, index: int, *, sales: bool) -> None:
    element = f"Line[{index}].Amount"
    detail = dict(line.get(kind) or {})
    if detail.get("ItemRef") is not None:
        c.ref_exists("Item", ref(detail, "ItemRef"), "ItemRef")
    elif not sales:
        raise required("ItemRef")
    qty, price = detail.get("Qty"), detail.get("UnitPrice")
    q = money(qty, "Qty") if qty is not None else None
    p = money(price, "UnitPrice") if price is not None else None
    if q is not None and p is not None and q != 0 and p != 0:
        expected = round2(q * p)
        if line.get("Amount") is None:
            line["Amount"] = expected
        elif round2(money(line["Amount"])) != expected:
            raise Fault(
                "6070",
                "Amount is not equal to UnitPrice * Qty",
                f"Amount is not equal to UnitPrice * Qty. Supplied value:{line['Amount']}",
                element=element,
            )
    elif line.get("Amount") is None:
        # A line given by amount only is accepted; with neither amount nor both factors it is incomplete.
        if q is None or p is None:
            raise required(element)
        line["Amount"] = round2(q * p)
    if sales:
        _tax_code(c, detail, f"Line[{index}].{kind}.TaxCodeRef")
    line[kind] = detail


def lines(c: Company, obj: dict[str, Any], *, sales: bool) -> Decimal:
    """Validate ``Line`` and return the total; sales documents get item lines, a subtotal, then discounts.

    The order is Intuit's (``samples/estimate-read-response.json``: sales lines, ``SubTotalLineDetail``,
    ``DiscountLineDetail``). An item line given by ``Amount`` only (no Qty/UnitPrice, or zeros) is accepted;
    Qty and UnitPrice both non-zero must multiply to the amount (6070, REFERENCE §4).
    """
    raw_lines = obj.get("Line")
    if not isinstance(raw_lines, list) or not raw_lines:
        raise required("Line")
    allowed = SALES_DETAILS if sales else EXPENSE_DETAILS
    total = Decimal("0")
    kept: list[dict[str, Any]] = []
    discounts: list[dict[str, Any]] = []
    for index, raw in enumerate(raw_lines):
        line = dict(raw)
        kind = line.get("DetailType")
        if kind is None:
            kind = next((k for k in allowed if isinstance(line.get(k), Mapping)), None)
            if kind is None:
                raise required(f"Line[{index}].DetailType")
            line["DetailType"] = kind
        if kind not in allowed:
            raise Fault(
                "2170",
                "Invalid Enumeration",
                f"Invalid DetailType {kind}",
                element=f"Line[{index}].DetailType",
            )
        if kind == "SubTotalLineDetail":
            continue
        if kind == "DiscountLineDetail":
            discounts.append(line)
            continue
        if kind in {"DescriptionOnly", "GroupLineDetail"}:
            line["Id"] = str(line.get("Id") or index + 1)
            line["LineNum"] = len(kept) + 1
            kept.append(line)
            continue
        if kind in {"SalesItemLineDetail", "ItemBasedExpenseLineDetail"}:
            _item_line(c, line, kind, index, sales=sales)
        else:  # AccountBasedExpenseLineDetail
            detail = dict(line.get(kind) or {})
            c.ref_exists("Account", ref(detail, "AccountRef"), "AccountRef")
            line[kind] = detail
            if line.get("Amount") is None:
                raise required(f"Line[{index}].Amount")
        for key in ("CustomerRef",):
            detail = line.get(kind) or {}
            if ref(detail, key):
                c.ref_exists("Customer", ref(detail, key), key)
        line["Amount"] = round2(money(line["Amount"], f"Line[{index}].Amount"))
        line["Id"] = str(line.get("Id") or index + 1)
        line["LineNum"] = len(kept) + 1
        total += line["Amount"]
        kept.append(line)
    discount = Decimal("0")
    if discounts and not sales:
        raise Fault("2170", "Invalid Enumeration", "Invalid DetailType DiscountLineDetail", element="Line")
    if sales:
        kept.append({"Amount": total, "DetailType": "SubTotalLineDetail", "SubTotalLineDetail": {}})
        for line in discounts[:1]:  # one discount line per document (REFERENCE §12.2)
            detail = dict(line.get("DiscountLineDetail") or {})
            if detail.get("PercentBased") is True and detail.get("DiscountPercent") is not None:
                line["Amount"] = round2(total * money(detail["DiscountPercent"], "DiscountPercent") / 100)
            line["Amount"] = round2(money(line.get("Amount", 0)))
            line["DiscountLineDetail"] = detail
            line.pop("Id", None)
            line.pop("LineNum", None)
            discount += line["Amount"]
            kept.append(line)
    obj["Line"] = kept
    return round2(total - discount)


# ------------------------------------------------------------------------------------------ documents


def txn_defaults(c: Company, entity: str, obj: dict[str, Any], existing: Existing, *, numbered: bool) -> None:
    """TxnDate (today), DocNumber (auto-numbered unless CustomTxnNumbers), PrivateNote length."""
    obj.setdefault("TxnDate", c.today().isoformat())
    if numbered and not obj.get("DocNumber"):
        if existing is not None:
            old = c.data[entity][existing[1]].get("DocNumber")
            if old:
                obj["DocNumber"] = old
        elif not c.custom_txn_numbers:
            c.doc_numbers[entity] = c.doc_numbers.get(entity, 1000) + 1
            obj["DocNumber"] = str(c.doc_numbers[entity])
    if len(str(obj.get("DocNumber") or "")) > 21:
        raise _too_long("DocNumber", 21)
    if len(str(obj.get("PrivateNote") or "")) > 4000:
        raise _too_long("PrivateNote", 4000)


def apply_currency(
    c: Company, obj: dict[str, Any], party: Mapping[str, Any] | None, total_keys: tuple[str, ...]
) -> None:
    """CurrencyRef from the party (must match it), ExchangeRate, and the Home* mirrors (REFERENCE §13)."""
    home = c.home_currency
    party_code = ref(party, "CurrencyRef") if party is not None else None
    code = ref(obj, "CurrencyRef") or party_code or home
    if party_code is not None and code != party_code:
        raise business(
            f"The currency of the transaction ({code}) must be the currency of its name ({party_code}).",
            "CurrencyRef",
        )
    if code != home:
        c.require_currency(code)
        rate = money(obj["ExchangeRate"], "ExchangeRate") if obj.get("ExchangeRate") else None
        if rate is None:
            rate = c.exchange_rate(code, str(obj.get("TxnDate") or c.today().isoformat()))["Rate"]
        obj["ExchangeRate"] = rate
        for key in total_keys:
            if obj.get(key) is not None:
                obj["Home" + key] = round2(money(obj[key]) * rate)
    else:
        obj.pop("ExchangeRate", None)
    obj["CurrencyRef"] = {"value": code, "name": c.currency_name(code)}


def _due_date(c: Company, obj: dict[str, Any], term_id: str | None) -> None:
    if obj.get("DueDate"):
        return
    days = 0
    if term_id and term_id in c.data["Term"]:
        days = int(c.data["Term"][term_id].get("DueDays") or 0)
        obj["SalesTermRef"] = {"value": term_id}
    obj["DueDate"] = (date.fromisoformat(str(obj["TxnDate"])[:10]) + timedelta(days=days)).isoformat()


def sales_document(
    c: Company, entity: str, obj: dict[str, Any], existing: Existing, *, customer_required: bool = True
) -> Mapping[str, Any] | None:
    """The common part of Invoice, Estimate, CreditMemo, SalesReceipt and RefundReceipt."""
    customer: Mapping[str, Any] | None = None
    if customer_required or ref(obj, "CustomerRef") is not None:
        customer = c.ref_exists("Customer", ref(obj, "CustomerRef"), "CustomerRef")
        obj["CustomerRef"] = {"value": customer["Id"], "name": customer.get("DisplayName")}
    obj["TotalAmt"] = lines(c, obj, sales=True)
    txn_defaults(c, entity, obj, existing, numbered=True)
    if ref(obj, "PaymentMethodRef"):
        c.ref_exists("PaymentMethod", ref(obj, "PaymentMethodRef"), "PaymentMethodRef")
    tax = obj.get("TxnTaxDetail")
    code = ref(tax, "TxnTaxCodeRef") if isinstance(tax, dict) else None
    if code is not None and code not in c.data["TaxCode"]:
        raise Fault(
            "2500", "Invalid Reference Id", "Invalid Reference Id : TxnTaxCodeRef", element="TxnTaxCodeRef"
        )
    if code in {"TAX", "NON", "CustomSalesTax"}:
        # Intuit's RecurringTransaction/TaxCode notes: CustomSalesTax "cannot be used as TxnTaxCodeRef ...
        # You cannot create or update a transaction that implements TaxCode.CustomSalesTax"; TAX and NON
        # are line-level pseudo codes.
        raise business(f"TaxCode {code} cannot be used as TxnTaxCodeRef", "TxnTaxCodeRef")
    obj["TxnTaxDetail"] = {"TotalTax": Decimal("0"), **(tax if isinstance(tax, dict) else {})}
    obj.setdefault("EmailStatus", "NotSet")
    obj.setdefault("PrintStatus", "NeedToPrint")
    obj.setdefault("ApplyTaxAfterDiscount", False)
    obj.setdefault("LinkedTxn", [])
    return customer


@rule("Invoice")
def prepare_invoice(c: Company, entity: str, obj: dict[str, Any], existing: Existing) -> None:
    """Invoice: CustomerRef + Line; Balance = TotalAmt - Deposit - payments (REFERENCE §12.2)."""
    customer = sales_document(c, "Invoice", obj, existing)
    assert customer is not None  # noqa: S101 - customer_required
    _due_date(c, obj, ref(obj, "SalesTermRef") or ref(customer, "SalesTermRef"))
    paid = Decimal("0")
    if existing is not None:
        old = c.data["Invoice"][existing[1]]
        paid = money(old.get("TotalAmt", 0)) - money(old.get("Balance", 0))
        obj["LinkedTxn"] = [lk for lk in old.get("LinkedTxn", []) if lk.get("TxnType") == "Payment"] + [
            lk for lk in obj.get("LinkedTxn", []) if lk.get("TxnType") != "Payment"
        ]
    deposit = money(obj.get("Deposit", 0), "Deposit")
    obj["Deposit"] = deposit
    balance = obj["TotalAmt"] - deposit - paid
    if balance < 0:
        raise business("the invoice total is below the payments applied to it")
    obj["Balance"] = balance
    apply_currency(c, obj, customer, ("TotalAmt", "Balance"))
    for link in obj.get("LinkedTxn", []):
        if link.get("TxnType") == "Estimate" and str(link.get("TxnId")) in c.data["Estimate"]:
            estimate = c.data["Estimate"][str(link["TxnId"])]
            estimate["TxnStatus"] = "Closed"
            c.bump(estimate)


@rule("Estimate")
def prepare_estimate(c: Company, entity: str, obj: dict[str, Any], existing: Existing) -> None:
    """Estimate: like an invoice, with TxnStatus (REFERENCE §12.14)."""
    customer = sales_document(c, "Estimate", obj, existing)
    apply_currency(c, obj, customer, ("TotalAmt",))
    obj.setdefault("TxnStatus", "Pending")


def vendor_document(c: Company, obj: dict[str, Any]) -> Mapping[str, Any]:
    """VendorRef (required) of a purchase-side document."""
    vendor = c.ref_exists("Vendor", ref(obj, "VendorRef"), "VendorRef")
    obj["VendorRef"] = {"value": vendor["Id"], "name": vendor.get("DisplayName")}
    return vendor


def _ap_account(c: Company, obj: dict[str, Any]) -> None:
    if ref(obj, "APAccountRef"):
        c.ref_exists("Account", ref(obj, "APAccountRef"), "APAccountRef")
        return
    ap = next((a for a in c.data["Account"].values() if a.get("AccountType") == "Accounts Payable"), None)
    if ap is not None:
        obj["APAccountRef"] = {"value": ap["Id"], "name": ap.get("Name")}


@rule("Bill")
def prepare_bill(c: Company, entity: str, obj: dict[str, Any], existing: Existing) -> None:
    """Bill: VendorRef + expense lines; Balance = TotalAmt - bill payments (REFERENCE §12.7)."""
    vendor = vendor_document(c, obj)
    obj["TotalAmt"] = lines(c, obj, sales=False)
    paid = Decimal("0")
    if existing is not None:
        old = c.data["Bill"][existing[1]]
        paid = money(old.get("TotalAmt", 0)) - money(old.get("Balance", 0))
        obj["LinkedTxn"] = [
            lk for lk in old.get("LinkedTxn", []) if str(lk.get("TxnType", "")).startswith("BillPayment")
        ] + [
            lk for lk in obj.get("LinkedTxn", []) if not str(lk.get("TxnType", "")).startswith("BillPayment")
        ]
    if obj["TotalAmt"] - paid < 0:
        raise business("the bill total is below the payments applied to it")
    obj["Balance"] = obj["TotalAmt"] - paid
    txn_defaults(c, "Bill", obj, existing, numbered=False)
    _due_date_bill(c, obj, vendor)
    _ap_account(c, obj)
    apply_currency(c, obj, vendor, ("TotalAmt", "Balance"))


def _due_date_bill(c: Company, obj: dict[str, Any], vendor: Mapping[str, Any]) -> None:
    if obj.get("DueDate"):
        return
    term_id = ref(obj, "SalesTermRef") or ref(vendor, "TermRef")
    days = int(c.data["Term"][term_id].get("DueDays") or 0) if term_id in c.data["Term"] else 0
    obj["DueDate"] = (date.fromisoformat(str(obj["TxnDate"])[:10]) + timedelta(days=days)).isoformat()


@rule("PurchaseOrder")
def prepare_purchaseorder(c: Company, entity: str, obj: dict[str, Any], existing: Existing) -> None:
    """PurchaseOrder: VendorRef + lines, APAccountRef defaulted, POStatus Open (REFERENCE §12.8)."""
    vendor = vendor_document(c, obj)
    obj["TotalAmt"] = lines(c, obj, sales=False)
    txn_defaults(c, "PurchaseOrder", obj, existing, numbered=True)
    _ap_account(c, obj)
    obj.setdefault("POStatus", "Open")
    obj.setdefault("EmailStatus", "NotSet")
    apply_currency(c, obj, vendor, ("TotalAmt",))


@rule("VendorCredit")
def prepare_vendorcredit(c: Company, entity: str, obj: dict[str, Any], existing: Existing) -> None:
    """VendorCredit: VendorRef + expense lines; Balance is the credit not yet used by bill payments."""
    vendor = vendor_document(c, obj)
    obj["TotalAmt"] = lines(c, obj, sales=False)
    used = Decimal("0")
    if existing is not None:
        old = c.data["VendorCredit"][existing[1]]
        used = money(old.get("TotalAmt", 0)) - money(old.get("Balance", 0))
    if obj["TotalAmt"] < used:
        raise business("the vendor credit total is below the amount already used")
    obj["Balance"] = obj["TotalAmt"] - used
    txn_defaults(c, "VendorCredit", obj, existing, numbered=False)
    _ap_account(c, obj)
    apply_currency(c, obj, vendor, ("TotalAmt",))


@rule("JournalEntry")
def prepare_journalentry(c: Company, entity: str, obj: dict[str, Any], existing: Existing) -> None:
    """JournalEntry: ≥2 lines whose debits equal credits (REFERENCE §12.9)."""
    raw_lines = obj.get("Line")
    if not isinstance(raw_lines, list) or len(raw_lines) < 2:
        raise required("Line")
    debit = credit = Decimal("0")
    kept = []
    for index, raw in enumerate(raw_lines):
        line = dict(raw)
        if line.get("DetailType") == "DescriptionOnly":
            kept.append(line)
            continue
        if line.get("DetailType") != "JournalEntryLineDetail":
            raise Fault(
                "2170", "Invalid Enumeration", "Invalid DetailType", element=f"Line[{index}].DetailType"
            )
        detail = dict(line.get("JournalEntryLineDetail") or {})
        c.ref_exists("Account", ref(detail, "AccountRef"), "AccountRef")
        if line.get("Amount") is None:
            raise required(f"Line[{index}].Amount")
        amount = round2(money(line["Amount"], f"Line[{index}].Amount"))
        line["Amount"] = amount
        line["Id"] = str(line.get("Id") or index)
        if detail.get("PostingType") == "Debit":
            debit += amount
        elif detail.get("PostingType") == "Credit":
            credit += amount
        else:
            raise required(f"Line[{index}].JournalEntryLineDetail.PostingType")
        line["JournalEntryLineDetail"] = detail
        kept.append(line)
    if debit != credit:
        raise business(f"Transaction is not balanced (debits {debit}, credits {credit})")
    obj["Line"] = kept
    obj["TotalAmt"] = debit
    txn_defaults(c, "JournalEntry", obj, existing, numbered=False)
    obj.setdefault("Adjustment", False)
    apply_currency(c, obj, None, ("TotalAmt",))


@rule("TimeActivity")
def prepare_timeactivity(c: Company, entity: str, obj: dict[str, Any], existing: Existing) -> None:
    """TimeActivity: NameOf + its ref, a duration, Billable needs CustomerRef + HourlyRate (REFERENCE §12.6)."""
    name_of = obj.get("NameOf")
    if name_of not in {"Employee", "Vendor", "Other"}:
        raise required("NameOf")
    if name_of == "Employee":
        c.ref_exists("Employee", ref(obj, "EmployeeRef"), "EmployeeRef")
    elif name_of == "Vendor":
        c.ref_exists("Vendor", ref(obj, "VendorRef"), "VendorRef")
    has_duration = obj.get("Hours") is not None or obj.get("Minutes") is not None
    has_span = obj.get("StartTime") and obj.get("EndTime")
    if not has_duration and not has_span:
        raise required("Hours")
    if obj.get("BillableStatus", "NotBillable") not in {"Billable", "NotBillable", "HasBeenBilled"}:
        raise Fault("2170", "Invalid Enumeration", "Invalid BillableStatus", element="BillableStatus")
    if obj.get("BillableStatus") == "Billable":
        c.ref_exists("Customer", ref(obj, "CustomerRef"), "CustomerRef")
        if obj.get("HourlyRate") is None:
            raise required("HourlyRate")
    elif ref(obj, "CustomerRef"):
        c.ref_exists("Customer", ref(obj, "CustomerRef"), "CustomerRef")
    if ref(obj, "ItemRef"):
        c.ref_exists("Item", ref(obj, "ItemRef"), "ItemRef")
    obj.setdefault("BillableStatus", "NotBillable")
    obj.setdefault("TxnDate", c.today().isoformat())
    obj.setdefault("Taxable", False)
