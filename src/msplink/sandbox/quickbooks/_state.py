"""In-memory QBO company state: entities by type, the operations each type allows, and their effects.

The per-entity validations live in ``_rules`` / ``_rules_banking``; this module owns storage, ids,
SyncTokens, the change feed (CDC, webhooks), deletes and voids, the application of payments to documents
(invoice and bill balances, credit used, deposits) and the company settings (currencies, preferences).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import attrs

from msplink.sandbox.quickbooks import _rules_banking
from msplink.sandbox.quickbooks._faults import Fault, business, money, ref, required, round2
from msplink.sandbox.quickbooks._rules import PEOPLE, RULES
from msplink.sandbox.quickbooks._rules_banking import CURRENCIES

__all__ = [
    "DELETABLE",
    "ENTITIES",
    "JSON_NAMES",
    "NAME_LISTS",
    "SEGMENTS",
    "TEMPLATE_TYPES",
    "TRANSACTIONS",
    "Company",
    "Fault",
    "money",
    "required",
    "round2",
]

COMPANY_TZ = timezone(timedelta(hours=-8))

NAME_LISTS = frozenset(
    {"Customer", "Vendor", "Employee", "Item", "Account", "Term", "Class", "Department", "PaymentMethod"}
)
TRANSACTIONS = frozenset(
    {
        "Invoice",
        "Payment",
        "TimeActivity",
        "Bill",
        "PurchaseOrder",
        "JournalEntry",
        "Estimate",
        "BillPayment",
        "CreditCardPayment",
        "CreditMemo",
        "Deposit",
        "Purchase",
        "RefundReceipt",
        "SalesReceipt",
        "Transfer",
        "VendorCredit",
    }
)
DELETABLE = TRANSACTIONS | {"Attachable"}
READ_ONLY = frozenset({"TaxCode", "TaxRate"})
CREATE_ONLY = frozenset({"TaxAgency"})
SINGLETONS = frozenset({"CompanyInfo", "Preferences"})
ENTITIES = (
    NAME_LISTS
    | TRANSACTIONS
    | READ_ONLY
    | SINGLETONS
    | {"Attachable", "CompanyCurrency", "TaxAgency", "ExchangeRate", "RecurringTransaction"}
)
ACTIVE_FILTERED = NAME_LISTS | {"CompanyCurrency"}
VOID_BY_OPERATION = frozenset({"Invoice"})
VOID_BY_UPDATE = frozenset({"Payment", "SalesReceipt", "BillPayment"})
JSON_NAMES: Mapping[str, str] = {"CreditCardPayment": "CreditCardPaymentTxn"}
"""Entities whose JSON object (and XSD type) is named differently from their endpoint (python-quickbooks'
``CreditCardPayment.qbo_json_object_name``; Intuit's CreditCardPayment page shows ``CreditCardPaymentTxn``)."""
SEGMENTS: Mapping[str, str] = {name.lower(): name for name in ENTITIES}
TEMPLATE_TYPES = (
    "Invoice",
    "Bill",
    "Estimate",
    "JournalEntry",
    "PurchaseOrder",
    "Purchase",
    "CreditMemo",
    "Deposit",
    "RefundReceipt",
    "SalesReceipt",
    "Transfer",
    "VendorCredit",
)
LINELESS = frozenset({"TimeActivity", "Payment", "BillPayment", "Transfer", "CreditCardPayment"})
PSEUDO_TAX_CODES = ("TAX", "NON", "CustomSalesTax")
ATTACHABLE_BASE = 200_900_000_000_000_000_000
BASE_RATES = {
    "USD": Decimal("1"),
    "EUR": Decimal("1.085"),
    "GBP": Decimal("1.27"),
    "CAD": Decimal("0.735"),
    "AUD": Decimal("0.66"),
    "NZD": Decimal("0.61"),
    "JPY": Decimal("0.0067"),
    "CHF": Decimal("1.13"),
    "INR": Decimal("0.012"),
    "MXN": Decimal("0.058"),
}

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
        "RemainingCredit",
        "InvoiceLink",
        "domain",
        "sparse",
        "status",
        "Level",
        "Classification",
    }
)
_ENTERED_TOTALS = frozenset({"Payment", "BillPayment"})  # TotalAmt is an input on these


@attrs.define
class Change:
    """One write, for CDC and webhooks."""

    entity: str
    id: str
    operation: str
    at: datetime


@attrs.define
class _PartyIndex:
    """Which documents name each party: see :meth:`Company._party_docs`."""

    upto: int
    last: Change | None
    docs: dict[str, set[tuple[str, str]]]


class Company:
    """One QBO company: entities by type, id counters, tombstones, the change feed and settings."""

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
        self.dirty_vendor_balances: set[str] = set()
        self.deposited: dict[tuple[str, str], str] = {}
        self.files: dict[str, tuple[bytes, str]] = {}
        self.rates: dict[str, dict[str, dict[str, Any]]] = {}
        self._recurring_names: dict[str, str] | None = None
        self._party_index: dict[str, _PartyIndex] = {}

    # ---- clock and ids

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
        """The next id of an entity type (Attachable ids are 21 digits, as in Intuit's note sample)."""
        self.counters[entity] = self.counters.get(entity, 0) + 1
        if entity == "Attachable":
            return str(ATTACHABLE_BASE + self.counters[entity])
        return str(self.counters[entity])

    # ---- settings

    @property
    def preferences(self) -> Mapping[str, Any]:
        """The company's Preferences (empty before the sandbox installs them)."""
        return self.data["Preferences"].get("1", {})

    @property
    def home_currency(self) -> str:
        """``Preferences.CurrencyPrefs.HomeCurrency``."""
        return str(ref(self.preferences.get("CurrencyPrefs") or {}, "HomeCurrency") or "USD")

    @property
    def multicurrency(self) -> bool:
        """``Preferences.CurrencyPrefs.MultiCurrencyEnabled``."""
        return bool((self.preferences.get("CurrencyPrefs") or {}).get("MultiCurrencyEnabled"))

    @property
    def custom_txn_numbers(self) -> bool:
        """``Preferences.SalesFormsPrefs.CustomTxnNumbers`` (then DocNumber is not auto-assigned)."""
        return bool((self.preferences.get("SalesFormsPrefs") or {}).get("CustomTxnNumbers"))

    def currency_name(self, code: str) -> str:
        """The currency's display name."""
        return CURRENCIES.get(code, code)

    def require_multicurrency(self) -> None:
        """Fault 6000 unless multicurrency is on (CompanyCurrency / ExchangeRate pages: multicurrency only)."""
        if not self.multicurrency:
            raise business(
                "Multicurrency is not enabled for this company (Preferences.CurrencyPrefs.MultiCurrencyEnabled)"
            )

    def require_currency(self, code: str) -> None:
        """A foreign currency must be active in the company's currency list."""
        self.require_multicurrency()
        if code == self.home_currency:
            return
        if not any(
            v["Code"] == code and v.get("Active") is not False for v in self.data["CompanyCurrency"].values()
        ):
            raise business(f"The currency {code} is not in the company's currency list", "CurrencyRef")

    def exchange_rate(self, code: str, as_of: str) -> dict[str, Any]:
        """The rate of ``code`` in home units on ``as_of``: the latest set on or before it, else the base rate."""
        home = self.home_currency
        on = as_of[:10]
        stored = [r for d, r in sorted(self.rates.get(code, {}).items()) if d <= on]
        if stored:
            return copy.deepcopy(stored[-1])
        base = BASE_RATES.get(code, Decimal("1")) / BASE_RATES.get(home, Decimal("1"))
        return {
            "SyncToken": "0",
            "domain": "QBO",
            "AsOfDate": on,
            "SourceCurrencyCode": code,
            "Rate": Decimal("1") if code == home else base.quantize(Decimal("0.0000001")).normalize(),
            "sparse": False,
            "TargetCurrencyCode": home,
            "MetaData": {"LastUpdatedTime": self.stamp()},
        }

    def set_exchange_rate(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Update a rate (POST /exchangerate): SourceCurrencyCode, Rate and AsOfDate are mandatory."""
        self.require_multicurrency()
        for key in ("SourceCurrencyCode", "Rate", "AsOfDate"):
            if body.get(key) in (None, ""):
                raise required(key)
        code = str(body["SourceCurrencyCode"]).upper()
        target = str(body.get("TargetCurrencyCode") or self.home_currency).upper()
        if code == self.home_currency:
            raise business("You cannot set an exchange rate for the home currency", "SourceCurrencyCode")
        if target != self.home_currency:
            raise business("TargetCurrencyCode must be the home currency", "TargetCurrencyCode")
        self.require_currency(code)
        rate = money(body["Rate"], "Rate")
        if rate <= 0:
            raise business("Rate must be greater than zero", "Rate")
        on = str(body["AsOfDate"])[:10]
        old = self.rates.get(code, {}).get(on)
        if (
            old is not None
            and body.get("SyncToken") not in (None, "")
            and str(body["SyncToken"]) != old["SyncToken"]
        ):
            raise _stale()
        record = {
            "SyncToken": str(int(old["SyncToken"]) + 1) if old else "0",
            "domain": "QBO",
            "AsOfDate": on,
            "SourceCurrencyCode": code,
            "Rate": rate,
            "sparse": False,
            "TargetCurrencyCode": target,
            "MetaData": {"LastUpdatedTime": self.stamp()},
        }
        self.rates.setdefault(code, {})[on] = record
        return copy.deepcopy(record)

    # ---- lookups

    def get(self, entity: str, entity_id: str) -> dict[str, Any]:
        """A stored entity or fault 610 (2030 for an id that is not a number)."""
        self.settle_balances()
        if not entity_id.isdigit() and not (entity == "TaxCode" and entity_id in PSEUDO_TAX_CODES):
            raise Fault("2030", "Invalid ID", f"Id {entity_id} is not a valid id", element="Id")
        found = self.data[entity].get(entity_id)
        if found is None:
            raise Fault(
                "610",
                "Object Not Found",
                f"Object Not Found : Something you're trying to use has been made inactive or deleted ({entity} {entity_id}).",
            )
        return found

    def ref_exists(self, entity: str, ref_id: str | None, field: str) -> dict[str, Any]:
        """The referenced entity (active), or fault 2500 / 610."""
        if ref_id is None:
            raise required(field)
        found = self.data[entity].get(ref_id)
        if found is None:
            raise Fault(
                "2500",
                "Invalid Reference Id",
                f"Invalid Reference Id : {field} {ref_id} does not exist",
                element=field,
            )
        if found.get("Active") is False:
            raise Fault(
                "610",
                "Object Not Found",
                f"Object Not Found : Something you're trying to use has been made inactive ({field} {ref_id}).",
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

    def bump(self, obj: dict[str, Any]) -> None:
        obj["SyncToken"] = str(int(obj.get("SyncToken", "0")) + 1)
        meta = dict(obj.get("MetaData") or {})
        meta["LastUpdatedTime"] = self.stamp()
        obj["MetaData"] = meta

    # ---- name uniqueness

    def display_name_taken(self, name: str, exclude: tuple[str, str] | None) -> bool:
        found = self.display_names.get(name.casefold())
        return found is not None and found != exclude

    def _index_name(self, entity: str, obj: Mapping[str, Any], old: Mapping[str, Any] | None = None) -> None:
        if entity not in PEOPLE:
            return
        if old is not None:
            self.display_names.pop(str(old.get("DisplayName", "")).casefold(), None)
        self.display_names[str(obj.get("DisplayName", "")).casefold()] = (entity, str(obj["Id"]))

    def name_taken(self, entity: str, name: str, exclude: str | None) -> bool:
        folded = name.casefold()
        return any(
            str(obj.get("Name", "")).casefold() == folded and entity_id != exclude
            for entity_id, obj in self.data[entity].items()
        )

    def prepare(
        self, entity: str, obj: dict[str, Any], *, existing: tuple[str, str] | None = None
    ) -> dict[str, Any]:
        """Validate ``obj`` for ``entity`` and fill derived fields (totals, balances, names).

        An empty string is no value: QBO stores nothing and leaves the field out of its answers, so a
        string sent as ``""`` (in a sparse update too) clears that field. ``null`` is the absence of
        a value for Intuit's deserialiser and, in a sparse update, leaves the field alone.
        """
        for key in [k for k, v in obj.items() if v == ""]:
            del obj[key]
        handler = RULES.get(entity)
        if handler is not None:
            handler(self, entity, obj, existing)
        return obj

    # ---- effects of payments, credits and deposits on other documents

    def apply_payment(self, payment: Mapping[str, Any], sign: int, *, touch: bool = True) -> set[str]:
        """Apply (+1) or un-apply (-1) a payment's lines to its invoices and credit memos.

        Returns the ids of the invoices touched; with ``touch`` every touched document gets a new
        SyncToken and a change record (once each).
        """
        docs = self._apply_payment(payment, sign, touch=touch)
        return {doc_id for kind, doc_id in docs if kind == "Invoice"}

    def _apply_payment(self, payment: Mapping[str, Any], sign: int, *, touch: bool) -> set[tuple[str, str]]:
        docs = self._apply_links(payment, sign, {"Invoice": "Payment", "CreditMemo": "Payment"})
        if touch:
            self.touch(docs)
        self.refresh_customer_balance(ref(payment, "CustomerRef"))
        return docs

    def apply_bill_payment(
        self, payment: Mapping[str, Any], sign: int, *, touch: bool = True
    ) -> set[tuple[str, str]]:
        """Apply or un-apply a bill payment to its bills and vendor credits."""
        link = "BillPaymentCheck" if payment.get("PayType") == "Check" else "BillPaymentCreditCard"
        docs = self._apply_links(payment, sign, {"Bill": link, "VendorCredit": link})
        if touch:
            self.touch(docs)
        self.refresh_vendor_balance(ref(payment, "VendorRef"))
        return docs

    def _apply_links(
        self, payment: Mapping[str, Any], sign: int, kinds: Mapping[str, str]
    ) -> set[tuple[str, str]]:
        touched: set[tuple[str, str]] = set()
        for line in payment.get("Line") or []:
            amount = money(line.get("Amount", 0))
            for link in line.get("LinkedTxn") or []:
                kind = link.get("TxnType")
                if kind not in kinds:
                    continue
                doc = self.data[kind].get(str(link.get("TxnId")))
                if doc is None:
                    continue
                doc["Balance"] = money(doc.get("Balance", 0)) - sign * amount
                if kind == "CreditMemo":
                    doc["RemainingCredit"] = doc["Balance"]
                if doc.get("HomeBalance") is not None and doc.get("ExchangeRate") is not None:
                    doc["HomeBalance"] = round2(doc["Balance"] * money(doc["ExchangeRate"]))
                links = [
                    lk
                    for lk in doc.get("LinkedTxn", [])
                    if not (lk.get("TxnType") == kinds[kind] and lk.get("TxnId") == payment["Id"])
                ]
                if sign > 0:
                    links.append({"TxnId": payment["Id"], "TxnType": kinds[kind]})
                doc["LinkedTxn"] = links
                touched.add((kind, str(doc["Id"])))
        return touched

    def touch_invoices(self, ids: set[str]) -> None:
        """Bump the SyncToken of invoices changed by a payment, once each, and record the change."""
        self.touch({("Invoice", i) for i in ids})

    def touch(self, docs: set[tuple[str, str]]) -> None:
        """Bump the SyncToken of documents changed by a payment, once each, and record the change."""
        for kind, doc_id in sorted(docs, key=lambda d: (d[0], int(d[1]))):
            doc = self.data[kind].get(doc_id)
            if doc is not None:
                self.bump(doc)
                self.record(kind, doc_id, "Update")

    def _deposit_links(self, deposit: Mapping[str, Any], sign: int) -> None:
        for line in deposit.get("Line") or []:
            for link in line.get("LinkedTxn") or []:
                key = (str(link.get("TxnType")), str(link.get("TxnId")))
                if sign > 0:
                    self.deposited[key] = str(deposit["Id"])
                elif self.deposited.get(key) == str(deposit["Id"]):
                    del self.deposited[key]

    def _effects(
        self, entity: str, obj: Mapping[str, Any], sign: int, *, touch: bool = True
    ) -> set[tuple[str, str]]:
        """What a stored document does to the others (sign +1 when it appears, -1 when it goes)."""
        if entity == "Payment":
            return self._apply_payment(obj, sign, touch=touch)
        if entity == "BillPayment":
            return self.apply_bill_payment(obj, sign, touch=touch)
        if entity == "Deposit":
            self._deposit_links(obj, sign)
        if entity in {"Invoice", "CreditMemo"}:
            self.refresh_customer_balance(ref(obj, "CustomerRef"))
        if entity in {"Bill", "VendorCredit"}:
            self.refresh_vendor_balance(ref(obj, "VendorRef"))
        return set()

    def _linked_docs(self, entity: str, obj: Mapping[str, Any]) -> list[tuple[str, str]]:
        kinds = {"Payment": ("Invoice", "CreditMemo"), "BillPayment": ("Bill", "VendorCredit")}.get(
            entity, ()
        )
        return [
            (str(link.get("TxnType")), str(link.get("TxnId")))
            for line in obj.get("Line") or []
            for link in line.get("LinkedTxn") or []
            if link.get("TxnType") in kinds
        ]

    @contextmanager
    def _undo_on_fault(self, entity: str, old: Mapping[str, Any]) -> Iterator[None]:
        """Restore the documents a payment touched (and the change feed) when the block raises a Fault."""
        saved = {
            (kind, doc_id): copy.deepcopy(self.data[kind][doc_id])
            for kind, doc_id in self._linked_docs(entity, old)
            if doc_id in self.data.get(kind, {})
        }
        deposited = dict(self.deposited)
        changes = len(self.changes)
        try:
            yield
        except Fault:
            for (kind, doc_id), doc in saved.items():
                self.data[kind][doc_id] = doc
            self.deposited = deposited
            del self.changes[changes:]
            self.refresh_customer_balance(ref(old, "CustomerRef"))
            self.refresh_vendor_balance(ref(old, "VendorRef"))
            raise

    # ---- balances

    def refresh_customer_balance(self, customer_id: str | None) -> None:
        """Mark a customer's Balance for recomputation (see :meth:`settle_balances`)."""
        if customer_id:
            self.dirty_balances.add(customer_id)

    def refresh_vendor_balance(self, vendor_id: str | None) -> None:
        """Mark a vendor's Balance for recomputation."""
        if vendor_id:
            self.dirty_vendor_balances.add(vendor_id)

    def settle_balances(self) -> None:
        """Recompute changed customers' Balance (open invoices - unapplied payments - open credit memos)
        and vendors' Balance (open bills - open vendor credits), one pass each."""
        if self.dirty_balances:
            dirty, self.dirty_balances = self.dirty_balances, set()
            self._settle(
                "Customer",
                dirty,
                (("Invoice", "Balance", 1), ("Payment", "UnappliedAmt", -1), ("CreditMemo", "Balance", -1)),
            )
        if self.dirty_vendor_balances:
            dirty, self.dirty_vendor_balances = self.dirty_vendor_balances, set()
            self._settle("Vendor", dirty, (("Bill", "Balance", 1), ("VendorCredit", "Balance", -1)))

    def _settle(self, party: str, dirty: set[str], sources: tuple[tuple[str, str, int], ...]) -> None:
        key = f"{party}Ref"
        docs = self._party_docs(key, tuple(entity for entity, _, _ in sources))
        fields = {entity: (field, sign) for entity, field, sign in sources}
        for pid in dirty:
            balance = Decimal("0")
            for entity, doc_id in list(docs.get(pid, ())):
                doc = self.data[entity].get(doc_id)
                if doc is None or ref(doc, key) != pid:  # deleted, or it names another party now
                    docs[pid].discard((entity, doc_id))
                    continue
                field, sign = fields[entity]
                balance += sign * money(doc.get(field, 0) or 0)
            found = self.data[party].get(pid)
            if found is not None and found.get("Balance") != balance:
                found["Balance"] = balance
                if party == "Customer":
                    found["BalanceWithJobs"] = balance

    def _party_docs(self, key: str, entities: tuple[str, ...]) -> dict[str, set[tuple[str, str]]]:
        """The documents of ``entities`` naming each party (by ``key``: ``CustomerRef``, ``VendorRef``).

        Built by one scan, then kept up to date from the change feed (every create and update is in
        it), so a settle reads the dirty parties' documents, not every document of the company (a
        batch of invoices scanned all of them: quadratic over a run). A listed document is checked
        again where it is read (it may be gone, or name another party now). The scan is made again
        when the feed was cut back (a write undone), cleared (the end of the seed) or replaced, and
        after :meth:`reindex` (a restored world).
        """
        held = self._party_index.get(key)
        fresh = (
            held is not None
            and held.upto <= len(self.changes)
            and (held.upto == 0 or self.changes[held.upto - 1] is held.last)
        )
        if held is None or not fresh:
            docs: dict[str, set[tuple[str, str]]] = {}
            for entity in entities:
                for doc_id, doc in self.data[entity].items():
                    pid = ref(doc, key)
                    if pid is not None:
                        docs.setdefault(pid, set()).add((entity, doc_id))
            held = self._party_index[key] = _PartyIndex(0, None, docs)
        else:
            wanted = set(entities)
            for change in self.changes[held.upto :]:
                changed = self.data[change.entity].get(change.id) if change.entity in wanted else None
                pid = ref(changed, key) if changed is not None else None
                if pid is not None:
                    held.docs.setdefault(pid, set()).add((change.entity, change.id))
        held.upto, held.last = len(self.changes), self.changes[-1] if self.changes else None
        return held.docs

    # ---- the operations

    def create(self, entity: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """Create an entity (validations, derived fields, balances)."""
        if entity in READ_ONLY or entity in SINGLETONS or entity == "ExchangeRate":
            raise _unsupported("Create", entity)
        if entity == "RecurringTransaction":
            return self.create_recurring(body)
        obj = {k: copy.deepcopy(v) for k, v in body.items() if k not in RO_FIELDS}
        if entity in _ENTERED_TOTALS and body.get("TotalAmt") is not None:
            obj["TotalAmt"] = body["TotalAmt"]
        self.prepare(entity, obj)
        self._finish_new(entity, obj)
        self.data[entity][obj["Id"]] = obj
        self._index_name(entity, obj)
        self._effects(entity, obj, +1)
        self.record(entity, obj["Id"], "Create")
        return obj

    def _check_token(self, obj: Mapping[str, Any], body: Mapping[str, Any]) -> None:
        token = body.get("SyncToken")
        if token is None or token == "":
            raise required("SyncToken")
        if str(token) != str(obj.get("SyncToken")):
            raise _stale()

    def _not_deposited(self, entity: str, entity_id: str) -> None:
        if (entity, entity_id) in self.deposited:
            raise Fault(
                "6540",
                "Deposited Transaction cannot be changed",
                f"This {entity} has been deposited (Deposit {self.deposited[(entity, entity_id)]}); "
                "remove it from the deposit first.",
            )

    def update(self, entity: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """Sparse or full update of an entity with optimistic concurrency (SyncToken)."""
        if entity in READ_ONLY or entity in CREATE_ONLY or entity == "ExchangeRate":
            raise _unsupported("Update", entity)
        if entity == "RecurringTransaction":
            return self.update_recurring(body)
        entity_id = str(body.get("Id") or "")
        if not entity_id:
            raise required("Id")
        old = self.get(entity, entity_id)
        self._check_token(old, body)
        self._not_deposited(entity, entity_id)
        writable = {k: copy.deepcopy(v) for k, v in body.items() if k not in RO_FIELDS}
        if body.get("sparse") is True:
            new = {**copy.deepcopy(old), **writable}
        else:
            new = {k: copy.deepcopy(v) for k, v in old.items() if k in RO_FIELDS}
            new.update(writable)
            if entity in NAME_LISTS:
                new.setdefault("Active", True)
        if entity in _ENTERED_TOTALS:
            new["TotalAmt"] = body.get("TotalAmt", old.get("TotalAmt"))
            if new["TotalAmt"] is None:
                raise required("TotalAmt")
        if entity in TRANSACTIONS and entity not in LINELESS and "Line" not in new:
            raise required("Line")
        with self._undo_on_fault(entity, old):
            touched = self._effects(entity, old, -1, touch=False)
            self.prepare(entity, new, existing=(entity, entity_id))
        self._deleted_suffix(entity, old, new, entity_id)
        new["Id"] = entity_id
        new["SyncToken"] = old["SyncToken"]
        new["MetaData"] = dict(old.get("MetaData") or {})
        new["domain"] = "QBO"
        new["sparse"] = False
        self.bump(new)
        self.data[entity][entity_id] = new
        self._index_name(entity, new, old)
        touched |= self._effects(entity, new, +1, touch=False)
        self.touch({d for d in touched if d[0] in {"Invoice", "CreditMemo", "Bill", "VendorCredit"}})
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
            return self.display_name_taken(name, (entity, entity_id))
        return self.name_taken(entity, name, entity_id)

    def _payments_applied(self, entity: str, obj: Mapping[str, Any]) -> bool:
        kinds = {
            "Invoice": ("Payment",),
            "CreditMemo": ("Payment",),
            "Bill": ("BillPaymentCheck", "BillPaymentCreditCard"),
            "VendorCredit": ("BillPaymentCheck", "BillPaymentCreditCard"),
        }.get(entity, ())
        return any(lk.get("TxnType") in kinds for lk in obj.get("LinkedTxn", []))

    def delete(self, entity: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """Delete a transaction or an attachable (name lists cannot be deleted: deactivate them)."""
        if entity == "RecurringTransaction":
            return self.delete_recurring(body)
        if entity not in DELETABLE:
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
        self._not_deposited(entity, entity_id)
        if self._payments_applied(entity, old):
            raise business(f"this {entity.lower()} has payments applied; delete or unapply them first")
        self._effects(entity, old, -1)
        del self.data[entity][entity_id]
        self._effects_after_removal(entity, old)
        if entity == "Attachable":
            self.files.pop(entity_id, None)
        self.tombstones.append((entity, entity_id, self._now()))
        self.record(entity, entity_id, "Delete")
        return {"status": "Deleted", "domain": "QBO", "Id": entity_id}

    def _effects_after_removal(self, entity: str, old: Mapping[str, Any]) -> None:
        if entity in {"Invoice", "CreditMemo"}:
            self.refresh_customer_balance(ref(old, "CustomerRef"))
        if entity in {"Bill", "VendorCredit"}:
            self.refresh_vendor_balance(ref(old, "VendorRef"))

    def void(self, entity: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """Void an Invoice, Payment, SalesReceipt or BillPayment: keep the document, zero the amounts and
        prefix "Voided" to PrivateNote (REFERENCE §5.4)."""
        if entity not in VOID_BY_OPERATION | VOID_BY_UPDATE:
            raise _unsupported("Void", entity)
        entity_id = str(body.get("Id") or "")
        if not entity_id:
            raise required("Id")
        old = self.get(entity, entity_id)
        self._check_token(old, body)
        self._not_deposited(entity, entity_id)
        if self._payments_applied(entity, old):
            raise business(f"an {entity.lower()} with payments applied cannot be voided")
        touched = self._effects(entity, old, -1, touch=False)
        new = copy.deepcopy(old)
        for line in new.get("Line") or []:
            line["Amount"] = Decimal("0")
            if isinstance(line.get("SalesItemLineDetail"), dict):
                line["SalesItemLineDetail"]["Qty"] = Decimal("0")
        new["TotalAmt"] = Decimal("0")
        if entity == "Invoice":
            new["Balance"] = Decimal("0")
        elif entity == "Payment":
            new["UnappliedAmt"] = Decimal("0")
            new["Line"] = []
        elif entity == "BillPayment":
            new["Line"] = []
        for key in ("HomeTotalAmt", "HomeBalance"):
            if key in new:
                new[key] = Decimal("0")
        note = str(new.get("PrivateNote") or "")
        new["PrivateNote"] = "Voided" + (f" - {note}" if note else "")
        self.bump(new)
        self.data[entity][entity_id] = new
        self.touch(touched)
        self.refresh_customer_balance(ref(new, "CustomerRef"))
        self.record(entity, entity_id, "Void")
        return new

    # ---- recurring templates (stored wrapped: {"Invoice": {...}})

    def _template(self, body: Mapping[str, Any]) -> tuple[str, Mapping[str, Any]]:
        kinds = [k for k in body if k in TEMPLATE_TYPES]
        if len(kinds) != 1 or not isinstance(body[kinds[0]], Mapping):
            raise Fault(
                "2010", "Request has invalid or unsupported property", "Send exactly one transaction template"
            )
        return kinds[0], body[kinds[0]]

    def reindex(self) -> None:
        """Drop the derived indexes (after :attr:`data` was replaced wholesale)."""
        self._recurring_names = None
        self._party_index.clear()

    @staticmethod
    def _template_name(wrapped: Mapping[str, Any]) -> str:
        inner = (wrapped.get(next(iter(wrapped))) or {}) if wrapped else {}
        return str((inner.get("RecurringInfo") or {}).get("Name", "")).casefold()

    def _recurring_index(self) -> dict[str, str]:
        """Template ids by folded name, derived from :attr:`data` on first use."""
        if self._recurring_names is None:
            self._recurring_names = {
                self._template_name(w): entity_id
                for entity_id, w in self.data["RecurringTransaction"].items()
            }
        return self._recurring_names

    def _index_template(
        self, entity_id: str, old: Mapping[str, Any] | None, new: Mapping[str, Any] | None
    ) -> None:
        index = self._recurring_index()
        if old is not None and index.get(self._template_name(old)) == entity_id:
            del index[self._template_name(old)]
        if new is not None:
            index[self._template_name(new)] = entity_id

    def _recurring_name(self, info: Any, exclude: str | None) -> None:
        if not isinstance(info, Mapping) or not info.get("Name"):
            raise required("RecurringInfo.Name")
        found = self._recurring_index().get(str(info["Name"]).casefold())
        if found is not None and found != exclude:
            raise Fault(
                "6240",
                "Duplicate Name Exists Error",
                "Another recurring template is already using this name.",
            )

    def _prepare_template(self, kind: str, inner: dict[str, Any], existing: str | None) -> None:
        inner.pop("DocNumber", None)
        saved_numbers = dict(self.doc_numbers)
        self.prepare(kind, inner)
        self.doc_numbers = saved_numbers
        inner.pop("DocNumber", None)
        self._recurring_name(inner.get("RecurringInfo"), existing)

    def create_recurring(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Create a recurring template around one transaction."""
        kind, template = self._template(body)
        inner = {k: copy.deepcopy(v) for k, v in template.items() if k not in RO_FIELDS}
        self._recurring_name(inner.get("RecurringInfo"), None)
        self._prepare_template(kind, inner, None)
        self._finish_new("RecurringTransaction", inner)
        inner["RecurDataRef"] = {"value": inner["Id"]}
        wrapped = {kind: inner}
        self.data["RecurringTransaction"][inner["Id"]] = wrapped
        self._index_template(inner["Id"], None, wrapped)
        self.record("RecurringTransaction", inner["Id"], "Create")
        return wrapped

    def update_recurring(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Update a recurring template (full, or sparse with ``"sparse": true``): the wrapped body carries
        the template's Id and SyncToken; its name stays its own (python-quickbooks saves templates with
        ``UpdateNoIdMixin``, i.e. ``POST /recurringtransaction`` with the Id inside)."""
        kind, template = self._template(body)
        entity_id = str(template.get("Id") or "")
        if not entity_id:
            return self.create_recurring(body)
        wrapped = self.data["RecurringTransaction"].get(entity_id)
        if wrapped is None or kind not in wrapped:
            raise Fault("610", "Object Not Found", f"Object Not Found : RecurringTransaction {entity_id}")
        old = wrapped[kind]
        self._check_token(old, template)
        writable = {k: copy.deepcopy(v) for k, v in template.items() if k not in RO_FIELDS}
        inner = {**copy.deepcopy(old), **writable} if template.get("sparse") is True else writable
        for key in ("Id", "SyncToken", "MetaData", "domain", "sparse", "RecurDataRef"):
            inner.pop(key, None)
        self._prepare_template(kind, inner, entity_id)
        inner.update({k: old[k] for k in ("Id", "SyncToken", "MetaData") if k in old})
        inner["RecurDataRef"] = {"value": entity_id}
        inner["domain"], inner["sparse"] = "QBO", False
        self.bump(inner)
        self.data["RecurringTransaction"][entity_id] = {kind: inner}
        self._index_template(entity_id, wrapped, {kind: inner})
        self.record("RecurringTransaction", entity_id, "Update")
        return {kind: inner}

    def delete_recurring(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Delete a recurring template (the body wraps ``{"Id", "SyncToken"}`` in its type)."""
        kinds = [k for k in body if k in TEMPLATE_TYPES]
        if len(kinds) != 1 or not isinstance(body[kinds[0]], Mapping):
            raise required("Invoice")
        inner_body = body[kinds[0]]
        entity_id = str(inner_body.get("Id") or "")
        wrapped = self.data["RecurringTransaction"].get(entity_id)
        if wrapped is None or kinds[0] not in wrapped:
            raise Fault("610", "Object Not Found", f"Object Not Found : RecurringTransaction {entity_id}")
        self._check_token(wrapped[kinds[0]], inner_body)
        del self.data["RecurringTransaction"][entity_id]
        self._index_template(entity_id, wrapped, None)
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


def _stale() -> Fault:
    return Fault(
        "5010",
        "Stale Object Error",
        "Stale Object Error : You and sandbox were working on this at the same time. sandbox finished before you did, so your work was not saved.",
        element="SyncToken",
    )


def _unsupported(operation: str, entity: str) -> Fault:
    return Fault("500", "Unsupported Operation", f"Operation {operation} is not supported for {entity}")


_ = _rules_banking  # the import registers the banking rules
