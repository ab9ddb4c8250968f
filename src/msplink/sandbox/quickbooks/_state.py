"""In-memory QBO company state and its validation rules (the sandbox's business logic)."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

import attrs

__all__ = ["Company", "Fault", "ENTITIES", "SEGMENTS"]

COMPANY_TZ = timezone(timedelta(hours=-8))

NAME_LISTS = frozenset({"Customer", "Vendor", "Employee", "Item", "Account", "Term", "Class", "Department"})
TRANSACTIONS = frozenset(
    {"Invoice", "Payment", "TimeActivity", "Bill", "PurchaseOrder", "JournalEntry", "Estimate"}
)
READ_ONLY = frozenset({"TaxCode", "TaxRate"})
SINGLETONS = frozenset({"CompanyInfo", "Preferences"})
ENTITIES = NAME_LISTS | TRANSACTIONS | READ_ONLY | SINGLETONS | {"RecurringTransaction"}
SEGMENTS: Mapping[str, str] = {name.lower(): name for name in ENTITIES}
PEOPLE = ("Customer", "Vendor", "Employee")
TEMPLATE_TYPES = ("Invoice", "Bill", "Estimate", "JournalEntry", "PurchaseOrder")

RO_FIELDS = frozenset(
    {
        "Id",
        "SyncToken",
        "MetaData",
        "TotalAmt",
        "Balance",
        "HomeBalance",
        "HomeTotalAmt",
        "CurrentBalance",
        "CurrentBalanceWithSubAccounts",
        "FullyQualifiedName",
        "UnappliedAmt",
        "BalanceWithJobs",
        "domain",
        "sparse",
        "Level",
        "Classification",
    }
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

CENT = Decimal("0.01")


class Fault(Exception):
    """A QBO fault: raised by the rules, rendered as ``{"Fault": {"Error": [...], "type": ...}}``."""

    def __init__(
        self,
        code: str,
        message: str,
        detail: str = "",
        *,
        element: str = "",
        status: int = 400,
        fault_type: str = "ValidationFault",
    ) -> None:
        super().__init__(f"{code} {message}")
        self.code = code
        self.message = message
        self.detail = detail or message
        self.element = element
        self.status = status
        self.fault_type = fault_type

    def body(self) -> dict[str, Any]:
        """The ``Fault`` object."""
        return {
            "Error": [
                {"Message": self.message, "Detail": self.detail, "code": self.code, "element": self.element}
            ],
            "type": self.fault_type,
        }


def required(field: str) -> Fault:
    """Fault 2020 for a missing required field."""
    return Fault(
        "2020",
        "Required param missing, need to supply the required value for the API",
        f"Required parameter {field} is missing in the request",
        element=field,
    )


def money(value: Any, field: str = "Amount") -> Decimal:
    """Parse an amount (Decimal, int or numeric string) or raise 2170-style validation."""
    if isinstance(value, bool) or value is None:
        raise Fault(
            "2050",
            "String length specified does not match the supported length",
            f"Invalid {field}",
            element=field,
        )
    try:
        result = Decimal(str(value))
    except InvalidOperation:
        raise Fault("2170", "Invalid Number", f"{field} is not a number", element=field) from None
    if not result.is_finite():
        raise Fault("2170", "Invalid Number", f"{field} is not a number", element=field)
    return result


def round2(value: Decimal) -> Decimal:
    """Round half-up to cents (QBO's rule for line amounts)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _ref(obj: Mapping[str, Any], key: str) -> str | None:
    value = obj.get(key)
    if isinstance(value, Mapping) and value.get("value") not in (None, ""):
        return str(value["value"])
    return None


@attrs.define
class Change:
    """One write, for CDC and webhooks."""

    entity: str
    id: str
    operation: str
    at: datetime


class Company:
    """One QBO company: entities by type, id counters, tombstones and the change feed."""

    def __init__(self, realm_id: str, now: Callable[[], datetime]) -> None:
        self.realm_id = realm_id
        self._now = now
        self.data: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in ENTITIES}
        self.counters: dict[str, int] = {}
        self.tombstones: list[tuple[str, str, datetime]] = []
        self.changes: list[Change] = []
        self.doc_numbers: dict[str, int] = {}
        self.display_names: dict[str, tuple[str, str]] = {}
        self.dirty_balances: set[str] = set()

    # ---- helpers

    def now(self) -> datetime:
        """Company-local now."""
        return self._now().astimezone(COMPANY_TZ)

    def stamp(self) -> str:
        """A MetaData timestamp (seconds, company offset)."""
        return self.now().isoformat(timespec="seconds")

    def today(self) -> date:
        """Company-local today."""
        return self.now().date()

    def next_id(self, entity: str) -> str:
        """The next id of an entity type."""
        self.counters[entity] = self.counters.get(entity, 0) + 1
        return str(self.counters[entity])

    def get(self, entity: str, entity_id: str) -> dict[str, Any]:
        """A stored entity or fault 610."""
        self.settle_balances()
        if not entity_id.isdigit():
            raise Fault("2030", "Invalid ID", f"Id {entity_id} is not a valid id", element="Id")
        found = self.data[entity].get(entity_id)
        if found is None:
            raise Fault(
                "610",
                "Object Not Found",
                f"Object Not Found : Something you're trying to use has been made inactive or deleted ({entity} {entity_id}).",
            )
        return found

    def ref_exists(self, entity: str, ref: str | None, field: str) -> dict[str, Any]:
        """The referenced entity (active), or fault 2500 / 610."""
        if ref is None:
            raise required(field)
        found = self.data[entity].get(ref)
        if found is None:
            raise Fault(
                "2500",
                "Invalid Reference Id",
                f"Invalid Reference Id : {field} {ref} does not exist",
                element=field,
            )
        if found.get("Active") is False:
            raise Fault(
                "610",
                "Object Not Found",
                f"Object Not Found : Something you're trying to use has been made inactive ({field} {ref}).",
                element=field,
            )
        return found

    def record(self, entity: str, entity_id: str, operation: str) -> None:
        """Remember a change for CDC and webhooks."""
        self.changes.append(Change(entity, entity_id, operation, self._now()))

    def _finish_new(self, entity: str, obj: dict[str, Any]) -> dict[str, Any]:
        stamp = self.stamp()
        obj["Id"] = self.next_id(entity)
        obj["SyncToken"] = "0"
        obj["MetaData"] = {"CreateTime": stamp, "LastUpdatedTime": stamp}
        obj["domain"] = "QBO"
        obj["sparse"] = False
        return obj

    def _bump(self, obj: dict[str, Any]) -> None:
        obj["SyncToken"] = str(int(obj.get("SyncToken", "0")) + 1)
        meta = dict(obj.get("MetaData") or {})
        meta["LastUpdatedTime"] = self.stamp()
        obj["MetaData"] = meta

    # ---- name uniqueness

    def _display_name_taken(self, name: str, exclude: tuple[str, str] | None) -> bool:
        found = self.display_names.get(name.casefold())
        return found is not None and found != exclude

    def _index_name(self, entity: str, obj: Mapping[str, Any], old: Mapping[str, Any] | None = None) -> None:
        if entity not in PEOPLE:
            return
        if old is not None:
            self.display_names.pop(str(old.get("DisplayName", "")).casefold(), None)
        self.display_names[str(obj.get("DisplayName", "")).casefold()] = (entity, str(obj["Id"]))

    def _name_taken(self, entity: str, name: str, exclude: str | None) -> bool:
        folded = name.casefold()
        return any(
            str(obj.get("Name", "")).casefold() == folded and entity_id != exclude
            for entity_id, obj in self.data[entity].items()
        )

    # ---- validation and derivation per entity

    def _check_name(self, value: str, field: str) -> None:
        if any(ch in value for ch in ":\t\n"):
            raise Fault(
                "2050", "Invalid character", f"{field} cannot contain ':', tab or newline", element=field
            )

    def prepare(
        self, entity: str, obj: dict[str, Any], *, existing: tuple[str, str] | None = None
    ) -> dict[str, Any]:
        """Validate ``obj`` for ``entity`` and fill derived fields (totals, balances, names)."""
        handler = getattr(self, f"_prepare_{entity.lower()}", None)
        if handler is not None:
            handler(obj, existing)
        return obj

    def _prepare_person(self, entity: str, obj: dict[str, Any], existing: tuple[str, str] | None) -> None:
        name = obj.get("DisplayName")
        if not name:
            parts = [
                str(obj[k])
                for k in ("Title", "GivenName", "MiddleName", "FamilyName", "Suffix")
                if obj.get(k)
            ]
            if not parts:
                raise required("DisplayName")
            name = " ".join(parts)
            obj["DisplayName"] = name
        name = str(name)
        self._check_name(name, "DisplayName")
        if len(name) > 500:
            raise Fault(
                "2050",
                "String length is either shorter or longer than supported by specification",
                "DisplayName is longer than 500 characters",
                element="DisplayName",
            )
        if self._display_name_taken(name, existing):
            raise Fault(
                "6240",
                "Duplicate Name Exists Error",
                "The name supplied already exists. : Another customer, vendor or employee is already using this name. Please use a different name.",
            )
        email = (
            (obj.get("PrimaryEmailAddr") or {}).get("Address")
            if isinstance(obj.get("PrimaryEmailAddr"), Mapping)
            else None
        )
        if email and ("@" not in email or "." not in email):
            raise Fault(
                "2050", "Invalid Email Address format", f"Invalid email {email}", element="PrimaryEmailAddr"
            )
        obj.setdefault("Active", True)
        obj.setdefault("PrintOnCheckName", name)
        obj["FullyQualifiedName"] = name
        if entity in {"Customer", "Vendor"}:
            obj.setdefault("Balance", Decimal("0"))
        if entity == "Customer":
            obj.setdefault("BalanceWithJobs", obj.get("Balance", Decimal("0")))
            obj.setdefault("Job", False)
            obj.setdefault("Taxable", True)
            if _ref(obj, "SalesTermRef"):
                self.ref_exists("Term", _ref(obj, "SalesTermRef"), "SalesTermRef")

    def _prepare_customer(self, obj: dict[str, Any], existing: tuple[str, str] | None) -> None:
        self._prepare_person("Customer", obj, existing)

    def _prepare_vendor(self, obj: dict[str, Any], existing: tuple[str, str] | None) -> None:
        self._prepare_person("Vendor", obj, existing)

    def _prepare_employee(self, obj: dict[str, Any], existing: tuple[str, str] | None) -> None:
        self._prepare_person("Employee", obj, existing)

    def _named(self, entity: str, obj: dict[str, Any], existing: tuple[str, str] | None) -> str:
        name = obj.get("Name")
        if not name:
            raise required("Name")
        name = str(name)
        self._check_name(name, "Name")
        if self._name_taken(entity, name, existing[1] if existing else None):
            raise Fault(
                "6240", "Duplicate Name Exists Error", f"Another {entity.lower()} is already using this name."
            )
        obj.setdefault("Active", True)
        return name

    def _prepare_item(self, obj: dict[str, Any], existing: tuple[str, str] | None) -> None:
        name = self._named("Item", obj, existing)
        kind = obj.get("Type")
        if not kind:
            raise required("Type")
        if kind in {"Service", "NonInventory", "Inventory"}:
            self.ref_exists("Account", _ref(obj, "IncomeAccountRef"), "IncomeAccountRef")
        if kind == "Inventory":
            self.ref_exists("Account", _ref(obj, "ExpenseAccountRef"), "ExpenseAccountRef")
            self.ref_exists("Account", _ref(obj, "AssetAccountRef"), "AssetAccountRef")
            for key in ("QtyOnHand", "InvStartDate"):
                if obj.get(key) is None:
                    raise required(key)
            obj["TrackQtyOnHand"] = True
        for key in ("UnitPrice", "PurchaseCost"):
            if obj.get(key) is not None:
                obj[key] = money(obj[key], key)
        obj["FullyQualifiedName"] = name

    def _prepare_account(self, obj: dict[str, Any], existing: tuple[str, str] | None) -> None:
        name = self._named("Account", obj, existing)
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

    def _prepare_term(self, obj: dict[str, Any], existing: tuple[str, str] | None) -> None:
        self._named("Term", obj, existing)
        if obj.get("DueDays") is not None:
            obj["Type"] = "STANDARD"
        elif obj.get("DayOfMonthDue") is not None:
            obj["Type"] = "DATE_DRIVEN"
        else:
            raise required("DueDays")

    def _prepare_class(self, obj: dict[str, Any], existing: tuple[str, str] | None) -> None:
        obj["FullyQualifiedName"] = self._named("Class", obj, existing)
        obj.setdefault("SubClass", False)

    def _prepare_department(self, obj: dict[str, Any], existing: tuple[str, str] | None) -> None:
        obj["FullyQualifiedName"] = self._named("Department", obj, existing)
        obj.setdefault("SubDepartment", False)

    def _lines(self, obj: dict[str, Any], *, sales: bool) -> Decimal:
        lines = obj.get("Line")
        if not isinstance(lines, list) or not lines:
            raise required("Line")
        total = Decimal("0")
        discount = Decimal("0")
        kept: list[dict[str, Any]] = []
        for index, raw in enumerate(lines):
            if not isinstance(raw, Mapping):
                raise Fault("2010", "Request has invalid or unsupported property", "Line must be an object")
            line = dict(raw)
            kind = line.get("DetailType")
            if kind == "SubTotalLineDetail":
                continue
            element = f"Line[{index}].Amount"
            if kind in {"SalesItemLineDetail", "ItemBasedExpenseLineDetail"}:
                detail = dict(line.get(kind) or {})
                if detail.get("ItemRef") is not None:
                    self.ref_exists("Item", _ref(detail, "ItemRef"), "ItemRef")
                elif kind == "ItemBasedExpenseLineDetail":
                    raise required("ItemRef")
                qty, price = detail.get("Qty"), detail.get("UnitPrice")
                if qty is not None and price is not None:
                    expected = round2(money(qty, "Qty") * money(price, "UnitPrice"))
                    if line.get("Amount") is None:
                        line["Amount"] = expected
                    elif round2(money(line["Amount"])) != expected:
                        raise Fault(
                            "6070",
                            "Amount is not equal to UnitPrice * Qty",
                            f"Amount is not equal to UnitPrice * Qty. Supplied value:{line['Amount']}",
                            element=element,
                        )
                if kind == "SalesItemLineDetail":
                    detail.setdefault("TaxCodeRef", {"value": "NON"})
                line[kind] = detail
            elif kind == "AccountBasedExpenseLineDetail":
                detail = dict(line.get(kind) or {})
                self.ref_exists("Account", _ref(detail, "AccountRef"), "AccountRef")
            elif kind == "DiscountLineDetail":
                amount = money(line.get("Amount", 0))
                discount += amount
                line["Amount"] = amount
                line["Id"] = line.get("Id") or str(index + 1)
                kept.append(line)
                continue
            elif kind in {"DescriptionOnly", "GroupLineDetail"}:
                line["Id"] = line.get("Id") or str(index + 1)
                kept.append(line)
                continue
            elif kind == "JournalEntryLineDetail" or (kind is None and not sales):
                pass
            else:
                raise Fault(
                    "2170",
                    "Invalid Enumeration",
                    f"Invalid DetailType {kind}",
                    element=f"Line[{index}].DetailType",
                )
            if line.get("Amount") is None:
                raise required(element)
            line["Amount"] = round2(money(line["Amount"]))
            line["Id"] = str(line.get("Id") or index + 1)
            line["LineNum"] = len(kept) + 1
            total += line["Amount"]
            kept.append(line)
        if sales:
            kept.append({"Amount": total, "DetailType": "SubTotalLineDetail", "SubTotalLineDetail": {}})
        obj["Line"] = kept
        return round2(total - discount)

    def _sales(self, entity: str, obj: dict[str, Any], existing: tuple[str, str] | None) -> None:
        customer = self.ref_exists("Customer", _ref(obj, "CustomerRef"), "CustomerRef")
        obj["CustomerRef"] = {"value": customer["Id"], "name": customer.get("DisplayName")}
        total = self._lines(obj, sales=True)
        obj["TotalAmt"] = total
        obj.setdefault("TxnDate", self.today().isoformat())
        if not obj.get("DocNumber"):
            if existing is not None:
                obj["DocNumber"] = self.data[entity][existing[1]].get("DocNumber")
            else:
                self.doc_numbers[entity] = self.doc_numbers.get(entity, 1000) + 1
                obj["DocNumber"] = str(self.doc_numbers[entity])
        if len(str(obj["DocNumber"])) > 21:
            raise Fault(
                "2050",
                "String length is either shorter or longer than supported by specification",
                "DocNumber is longer than 21 characters",
                element="DocNumber",
            )
        term_id = _ref(obj, "SalesTermRef") or _ref(customer, "SalesTermRef")
        if not obj.get("DueDate"):
            days = 0
            if term_id and term_id in self.data["Term"]:
                days = int(self.data["Term"][term_id].get("DueDays") or 0)
                obj["SalesTermRef"] = {"value": term_id}
            obj["DueDate"] = (date.fromisoformat(str(obj["TxnDate"])[:10]) + timedelta(days=days)).isoformat()
        obj.setdefault("TxnTaxDetail", {"TotalTax": Decimal("0")})
        obj.setdefault("EmailStatus", "NotSet")
        obj.setdefault("PrintStatus", "NeedToPrint")
        obj.setdefault("ApplyTaxAfterDiscount", False)
        obj.setdefault("LinkedTxn", [])
        obj.setdefault("CurrencyRef", {"value": "USD", "name": "United States Dollar"})

    def _prepare_invoice(self, obj: dict[str, Any], existing: tuple[str, str] | None) -> None:
        self._sales("Invoice", obj, existing)
        paid = Decimal("0")
        if existing is not None:
            old = self.data["Invoice"][existing[1]]
            paid = money(old.get("TotalAmt", 0)) - money(old.get("Balance", 0))
            obj["LinkedTxn"] = [lk for lk in old.get("LinkedTxn", []) if lk.get("TxnType") == "Payment"] + [
                lk for lk in obj.get("LinkedTxn", []) if lk.get("TxnType") != "Payment"
            ]
        deposit = money(obj.get("Deposit", 0), "Deposit")
        obj["Deposit"] = deposit
        balance = obj["TotalAmt"] - deposit - paid
        if balance < 0:
            raise Fault(
                "6000",
                "A business validation error has occurred while processing your request",
                "Business Validation Error: the invoice total is below the payments applied to it",
            )
        obj["Balance"] = balance
        for link in obj.get("LinkedTxn", []):
            if link.get("TxnType") == "Estimate" and str(link.get("TxnId")) in self.data["Estimate"]:
                estimate = self.data["Estimate"][str(link["TxnId"])]
                estimate["TxnStatus"] = "Closed"
                self._bump(estimate)

    def _prepare_estimate(self, obj: dict[str, Any], existing: tuple[str, str] | None) -> None:
        self._sales("Estimate", obj, existing)
        obj.setdefault("TxnStatus", "Pending")

    def _prepare_bill(self, obj: dict[str, Any], existing: tuple[str, str] | None) -> None:
        vendor = self.ref_exists("Vendor", _ref(obj, "VendorRef"), "VendorRef")
        obj["VendorRef"] = {"value": vendor["Id"], "name": vendor.get("DisplayName")}
        obj["TotalAmt"] = self._lines(obj, sales=False)
        obj["Balance"] = obj["TotalAmt"]
        obj.setdefault("TxnDate", self.today().isoformat())
        obj.setdefault("DueDate", obj["TxnDate"])
        ap = next(
            (a for a in self.data["Account"].values() if a.get("AccountType") == "Accounts Payable"), None
        )
        if ap is not None:
            obj.setdefault("APAccountRef", {"value": ap["Id"], "name": ap.get("Name")})
        obj.setdefault("CurrencyRef", {"value": "USD", "name": "United States Dollar"})

    def _prepare_purchaseorder(self, obj: dict[str, Any], existing: tuple[str, str] | None) -> None:
        self._prepare_bill(obj, existing)
        obj.pop("Balance", None)
        obj.setdefault("POStatus", "Open")
        obj.setdefault("EmailStatus", "NotSet")
        if not obj.get("DocNumber"):
            self.doc_numbers["PurchaseOrder"] = self.doc_numbers.get("PurchaseOrder", 1000) + 1
            obj["DocNumber"] = str(self.doc_numbers["PurchaseOrder"])

    def _prepare_journalentry(self, obj: dict[str, Any], existing: tuple[str, str] | None) -> None:
        lines = obj.get("Line")
        if not isinstance(lines, list) or len(lines) < 2:
            raise required("Line")
        debit = credit = Decimal("0")
        for index, line in enumerate(lines):
            detail = line.get("JournalEntryLineDetail") or {}
            if line.get("DetailType") == "DescriptionOnly":
                continue
            if line.get("DetailType") != "JournalEntryLineDetail":
                raise Fault(
                    "2170", "Invalid Enumeration", "Invalid DetailType", element=f"Line[{index}].DetailType"
                )
            self.ref_exists("Account", _ref(detail, "AccountRef"), "AccountRef")
            amount = round2(money(line.get("Amount")))
            line["Amount"] = amount
            line["Id"] = str(line.get("Id") or index)
            if detail.get("PostingType") == "Debit":
                debit += amount
            elif detail.get("PostingType") == "Credit":
                credit += amount
            else:
                raise required(f"Line[{index}].JournalEntryLineDetail.PostingType")
        if debit != credit:
            raise Fault(
                "6000",
                "A business validation error has occurred while processing your request",
                f"Business Validation Error: Transaction is not balanced (debits {debit}, credits {credit})",
            )
        obj["TotalAmt"] = debit
        obj.setdefault("TxnDate", self.today().isoformat())
        obj.setdefault("Adjustment", False)

    def _prepare_timeactivity(self, obj: dict[str, Any], existing: tuple[str, str] | None) -> None:
        name_of = obj.get("NameOf")
        if name_of not in {"Employee", "Vendor", "Other"}:
            raise required("NameOf")
        if name_of == "Employee":
            self.ref_exists("Employee", _ref(obj, "EmployeeRef"), "EmployeeRef")
        elif name_of == "Vendor":
            self.ref_exists("Vendor", _ref(obj, "VendorRef"), "VendorRef")
        has_duration = obj.get("Hours") is not None or obj.get("Minutes") is not None
        has_span = obj.get("StartTime") and obj.get("EndTime")
        if not has_duration and not has_span:
            raise required("Hours")
        if obj.get("BillableStatus", "NotBillable") not in {"Billable", "NotBillable", "HasBeenBilled"}:
            raise Fault("2170", "Invalid Enumeration", "Invalid BillableStatus", element="BillableStatus")
        if obj.get("BillableStatus") == "Billable":
            self.ref_exists("Customer", _ref(obj, "CustomerRef"), "CustomerRef")
            if obj.get("HourlyRate") is None:
                raise required("HourlyRate")
        elif _ref(obj, "CustomerRef"):
            self.ref_exists("Customer", _ref(obj, "CustomerRef"), "CustomerRef")
        if _ref(obj, "ItemRef"):
            self.ref_exists("Item", _ref(obj, "ItemRef"), "ItemRef")
        obj.setdefault("BillableStatus", "NotBillable")
        obj.setdefault("TxnDate", self.today().isoformat())
        obj.setdefault("Taxable", False)

    def _prepare_payment(self, obj: dict[str, Any], existing: tuple[str, str] | None) -> None:
        customer = self.ref_exists("Customer", _ref(obj, "CustomerRef"), "CustomerRef")
        obj["CustomerRef"] = {"value": customer["Id"], "name": customer.get("DisplayName")}
        if obj.get("TotalAmt") is None:
            raise required("TotalAmt")
        total = round2(money(obj["TotalAmt"], "TotalAmt"))
        obj["TotalAmt"] = total
        applied = Decimal("0")
        lines: list[dict[str, Any]] = []
        for index, raw in enumerate(obj.get("Line") or []):
            line = dict(raw)
            amount = round2(money(line.get("Amount"), f"Line[{index}].Amount"))
            line["Amount"] = amount
            for link in line.get("LinkedTxn") or []:
                if link.get("TxnType") != "Invoice":
                    continue
                invoice = self.data["Invoice"].get(str(link.get("TxnId")))
                if invoice is None:
                    raise Fault(
                        "2500",
                        "Invalid Reference Id",
                        f"Invalid Reference Id : Invoice {link.get('TxnId')}",
                        element=f"Line[{index}].LinkedTxn",
                    )
                if _ref(invoice, "CustomerRef") != customer["Id"]:
                    raise Fault(
                        "6000",
                        "A business validation error has occurred while processing your request",
                        "Business Validation Error: the invoice belongs to another customer",
                    )
                balance = money(invoice.get("Balance", 0))
                if amount > balance:
                    raise Fault(
                        "6000",
                        "A business validation error has occurred while processing your request",
                        f"Business Validation Error: the payment amount {amount} exceeds the open balance {balance}",
                    )
            applied += amount
            lines.append(line)
        if applied > total:
            raise Fault(
                "6000",
                "A business validation error has occurred while processing your request",
                "Business Validation Error: the amount applied exceeds the payment total",
            )
        obj["Line"] = lines
        obj["UnappliedAmt"] = total - applied
        obj.setdefault("TxnDate", self.today().isoformat())
        obj.setdefault("ProcessPayment", False)
        obj.setdefault("CurrencyRef", {"value": "USD", "name": "United States Dollar"})

    # ---- payment application (Balance maintained as payments apply)

    def apply_payment(self, payment: Mapping[str, Any], sign: int, *, touch: bool = True) -> set[str]:
        """Apply (+1) or un-apply (-1) a payment's lines to its invoices; return the invoice ids touched.

        With ``touch`` the touched invoices get a new SyncToken and a change record (once each).
        """
        touched: set[str] = set()
        for line in payment.get("Line") or []:
            amount = money(line.get("Amount", 0))
            for link in line.get("LinkedTxn") or []:
                if link.get("TxnType") != "Invoice":
                    continue
                invoice = self.data["Invoice"].get(str(link.get("TxnId")))
                if invoice is None:
                    continue
                invoice["Balance"] = money(invoice.get("Balance", 0)) - sign * amount
                links = [
                    lk
                    for lk in invoice.get("LinkedTxn", [])
                    if not (lk.get("TxnType") == "Payment" and lk.get("TxnId") == payment["Id"])
                ]
                if sign > 0:
                    links.append({"TxnId": payment["Id"], "TxnType": "Payment"})
                invoice["LinkedTxn"] = links
                touched.add(str(invoice["Id"]))
        if touch:
            self.touch_invoices(touched)
        self.refresh_customer_balance(_ref(payment, "CustomerRef"))
        return touched

    def touch_invoices(self, ids: set[str]) -> None:
        """Bump the SyncToken of invoices changed by a payment, once each, and record the change."""
        for invoice_id in sorted(ids, key=int):
            invoice = self.data["Invoice"].get(invoice_id)
            if invoice is not None:
                self._bump(invoice)
                self.record("Invoice", invoice_id, "Update")

    def refresh_customer_balance(self, customer_id: str | None) -> None:
        """Mark a customer's Balance for recomputation (see :meth:`settle_balances`)."""
        if customer_id:
            self.dirty_balances.add(customer_id)

    def settle_balances(self) -> None:
        """Recompute the Balance of changed customers from open invoices and unapplied payments (one pass)."""
        if not self.dirty_balances:
            return
        dirty, self.dirty_balances = self.dirty_balances, set()
        totals = dict.fromkeys(dirty, Decimal("0"))
        for inv in self.data["Invoice"].values():
            cid = _ref(inv, "CustomerRef")
            if cid in totals:
                totals[cid] += money(inv.get("Balance", 0))
        for pay in self.data["Payment"].values():
            cid = _ref(pay, "CustomerRef")
            if cid in totals:
                totals[cid] -= money(pay.get("UnappliedAmt", 0))
        for cid, balance in totals.items():
            customer = self.data["Customer"].get(cid)
            if customer is not None and customer.get("Balance") != balance:
                customer["Balance"] = balance
                customer["BalanceWithJobs"] = balance

    # ---- the operations

    def create(self, entity: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """Create an entity (validations, derived fields, balances)."""
        if entity in READ_ONLY or entity in SINGLETONS:
            raise Fault("500", "Unsupported Operation", f"Operation Create is not supported for {entity}")
        obj = {k: copy.deepcopy(v) for k, v in body.items() if k not in RO_FIELDS}
        if entity == "Payment" and body.get("TotalAmt") is not None:
            obj["TotalAmt"] = body["TotalAmt"]
        self.prepare(entity, obj)
        self._finish_new(entity, obj)
        self.data[entity][obj["Id"]] = obj
        self._index_name(entity, obj)
        if entity == "Payment":
            self.apply_payment(obj, +1)
        if entity == "Invoice":
            self.refresh_customer_balance(_ref(obj, "CustomerRef"))
        self.record(entity, obj["Id"], "Create")
        return obj

    def _check_token(self, obj: Mapping[str, Any], body: Mapping[str, Any]) -> None:
        token = body.get("SyncToken")
        if token is None or token == "":
            raise required("SyncToken")
        if str(token) != str(obj.get("SyncToken")):
            raise Fault(
                "5010",
                "Stale Object Error",
                "Stale Object Error : You and sandbox were working on this at the same time. sandbox finished before you did, so your work was not saved.",
                element="SyncToken",
            )

    def update(self, entity: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """Sparse or full update of an entity with optimistic concurrency (SyncToken)."""
        if entity in READ_ONLY:
            raise Fault("500", "Unsupported Operation", f"Operation Update is not supported for {entity}")
        if entity == "RecurringTransaction":
            raise Fault(
                "500", "Unsupported Operation", "Operation Update is not supported for RecurringTransaction"
            )
        entity_id = str(body.get("Id") or "")
        if not entity_id:
            raise required("Id")
        old = self.get(entity, entity_id)
        self._check_token(old, body)
        writable = {k: copy.deepcopy(v) for k, v in body.items() if k not in RO_FIELDS}
        if body.get("sparse") is True:
            new = {**copy.deepcopy(old), **writable}
        else:
            new = {k: copy.deepcopy(v) for k, v in old.items() if k in RO_FIELDS}
            new.update(writable)
            if entity in NAME_LISTS:
                new.setdefault("Active", True)
        if entity == "Payment":
            new["TotalAmt"] = body.get("TotalAmt", old.get("TotalAmt"))
            if new["TotalAmt"] is None:
                raise required("TotalAmt")
        if entity in TRANSACTIONS and entity != "TimeActivity" and entity != "Payment" and "Line" not in new:
            raise required("Line")
        snapshot = copy.deepcopy(self.data["Invoice"]) if entity == "Payment" else None
        changes = len(self.changes)
        touched: set[str] = set()
        if entity == "Payment":
            touched = self.apply_payment(old, -1, touch=False)
        try:
            self.prepare(entity, new, existing=(entity, entity_id))
        except Fault:
            if snapshot is not None:  # a failed write changes nothing, SyncTokens included
                self.data["Invoice"] = snapshot
                del self.changes[changes:]
                self.refresh_customer_balance(_ref(old, "CustomerRef"))
            raise
        self._deleted_suffix(entity, old, new, entity_id)
        new["Id"] = entity_id
        new["SyncToken"] = old["SyncToken"]
        new["MetaData"] = dict(old.get("MetaData") or {})
        new["domain"] = "QBO"
        new["sparse"] = False
        self._bump(new)
        self.data[entity][entity_id] = new
        self._index_name(entity, new, old)
        if entity == "Payment":
            self.touch_invoices(touched | self.apply_payment(new, +1, touch=False))
        if entity == "Invoice":
            self.refresh_customer_balance(_ref(new, "CustomerRef"))
        self.record(entity, entity_id, "Update")
        return new

    def _deleted_suffix(
        self, entity: str, old: Mapping[str, Any], new: dict[str, Any], entity_id: str
    ) -> None:
        """QBO appends " (deleted)" to the name of a deactivated list entity (freeing the name) and strips it
        again on reactivation when the original name is still free."""
        if entity not in NAME_LISTS:
            return
        key = "DisplayName" if entity in PEOPLE else "Name"
        name = str(new.get(key) or "")
        if new.get("Active") is False and old.get("Active") is not False and not name.endswith(" (deleted)"):
            candidate, n = f"{name} (deleted)", 1
            while self._taken(entity, key, candidate, entity_id):
                n += 1
                candidate = f"{name} (deleted {n})"
            new[key] = candidate
        elif new.get("Active") is not False and old.get("Active") is False and name.endswith(" (deleted)"):
            original = name[: -len(" (deleted)")]
            if not self._taken(entity, key, original, entity_id):
                new[key] = original
        if key == "DisplayName" or "FullyQualifiedName" in new:
            new["FullyQualifiedName"] = new[key]

    def _taken(self, entity: str, key: str, name: str, entity_id: str) -> bool:
        if key == "DisplayName":
            return self._display_name_taken(name, (entity, entity_id))
        return self._name_taken(entity, name, entity_id)

    def delete(self, entity: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """Delete a transaction (name lists cannot be deleted: deactivate them)."""
        if entity == "RecurringTransaction":
            return self.delete_recurring(body)
        if entity not in TRANSACTIONS:
            raise Fault(
                "500",
                "Unsupported Operation",
                f"Operation Delete is not supported for {entity}; set Active to false",
            )
        entity_id = str(body.get("Id") or "")
        if not entity_id:
            raise required("Id")
        old = self.get(entity, entity_id)
        self._check_token(old, body)
        if entity == "Invoice" and any(lk.get("TxnType") == "Payment" for lk in old.get("LinkedTxn", [])):
            raise Fault(
                "6000",
                "A business validation error has occurred while processing your request",
                "Business Validation Error: this invoice has payments applied; delete or unapply them first",
            )
        if entity == "Payment":
            self.apply_payment(old, -1)
        del self.data[entity][entity_id]
        if entity == "Invoice":
            self.refresh_customer_balance(_ref(old, "CustomerRef"))
        self.tombstones.append((entity, entity_id, self._now()))
        self.record(entity, entity_id, "Delete")
        return {"status": "Deleted", "domain": "QBO", "Id": entity_id}

    def void(self, entity: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """Void an Invoice or a Payment: keep the document, zero the amounts, note "Voided"."""
        if entity not in {"Invoice", "Payment"}:
            raise Fault("500", "Unsupported Operation", f"Operation Void is not supported for {entity}")
        entity_id = str(body.get("Id") or "")
        if not entity_id:
            raise required("Id")
        old = self.get(entity, entity_id)
        self._check_token(old, body)
        if entity == "Invoice" and any(lk.get("TxnType") == "Payment" for lk in old.get("LinkedTxn", [])):
            raise Fault(
                "6000",
                "A business validation error has occurred while processing your request",
                "Business Validation Error: an invoice with payments applied cannot be voided",
            )
        if entity == "Payment":
            self.apply_payment(old, -1)
        new = copy.deepcopy(old)
        for line in new.get("Line") or []:
            line["Amount"] = Decimal("0")
            for key in ("SalesItemLineDetail",):
                if isinstance(line.get(key), dict):
                    line[key]["Qty"] = Decimal("0")
        new["TotalAmt"] = Decimal("0")
        if entity == "Invoice":
            new["Balance"] = Decimal("0")
        else:
            new["UnappliedAmt"] = Decimal("0")
            new["Line"] = []
        note = str(new.get("PrivateNote") or "")
        new["PrivateNote"] = "Voided" + (f" - {note}" if note else "")
        self._bump(new)
        self.data[entity][entity_id] = new
        self.refresh_customer_balance(_ref(new, "CustomerRef"))
        self.record(entity, entity_id, "Void")
        return new

    # ---- recurring templates (stored wrapped: {"Invoice": {...}})

    def create_recurring(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Create a recurring template around one transaction."""
        kinds = [k for k in body if k in TEMPLATE_TYPES]
        if len(kinds) != 1:
            raise Fault(
                "2010", "Request has invalid or unsupported property", "Send exactly one transaction template"
            )
        kind = kinds[0]
        inner = {k: copy.deepcopy(v) for k, v in dict(body[kind]).items() if k not in RO_FIELDS}
        info = inner.get("RecurringInfo")
        if not isinstance(info, Mapping) or not info.get("Name"):
            raise required("RecurringInfo.Name")
        if any(
            str(((w.get(next(iter(w))) or {}).get("RecurringInfo") or {}).get("Name", "")).casefold()
            == str(info["Name"]).casefold()
            for w in self.data["RecurringTransaction"].values()
        ):
            raise Fault(
                "6240",
                "Duplicate Name Exists Error",
                "Another recurring template is already using this name.",
            )
        inner.pop("DocNumber", None)
        saved_numbers = dict(self.doc_numbers)
        self.prepare(kind, inner)
        self.doc_numbers = saved_numbers
        inner.pop("DocNumber", None)
        self._finish_new("RecurringTransaction", inner)
        inner["RecurDataRef"] = {"value": inner["Id"]}
        wrapped = {kind: inner}
        self.data["RecurringTransaction"][inner["Id"]] = wrapped
        self.record("RecurringTransaction", inner["Id"], "Create")
        return wrapped

    def delete_recurring(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Delete a recurring template (the body wraps ``{"Id", "SyncToken"}`` in its type)."""
        kinds = [k for k in body if k in TEMPLATE_TYPES]
        if len(kinds) != 1:
            raise required("Invoice")
        inner_body = body[kinds[0]]
        entity_id = str(inner_body.get("Id") or "")
        wrapped = self.data["RecurringTransaction"].get(entity_id)
        if wrapped is None or kinds[0] not in wrapped:
            raise Fault("610", "Object Not Found", f"Object Not Found : RecurringTransaction {entity_id}")
        self._check_token(wrapped[kinds[0]], inner_body)
        del self.data["RecurringTransaction"][entity_id]
        self.tombstones.append(("RecurringTransaction", entity_id, self._now()))
        self.record("RecurringTransaction", entity_id, "Delete")
        return {kinds[0]: {"status": "Deleted", "domain": "QBO", "Id": entity_id}}

    def last_updated(self, obj: Mapping[str, Any]) -> datetime:
        """An object's LastUpdatedTime (wrapped recurring templates included)."""
        inner = obj
        if len(obj) == 1 and next(iter(obj)) in TEMPLATE_TYPES:
            inner = obj[next(iter(obj))]
        text = str((inner.get("MetaData") or {}).get("LastUpdatedTime") or "1970-01-01T00:00:00+00:00")
        return datetime.fromisoformat(text)
