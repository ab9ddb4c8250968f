"""Full snapshots of a world's three sandboxes, comparable across runs whose writes took other orders.

Every record of every collection (ConnectWise tables, QuickBooks entities, Salesforce sObjects) is
kept, with what a run cannot reproduce exactly taken out: server ids, versions and audit times
(``_info``, ``SyncToken``, ``MetaData``, ``SystemModstamp``, ``CreatedDate`` ...). References between
records are kept by *what they point at*: a reference is replaced by the label of its target (its
content, with its own references labelled the same way, three levels deep), so two runs that created
the same records in another order (a dead letter retried last gets a later id) have equal snapshots,
and a record linked to the wrong parent, or stored twice, does not.

References are found structurally, per vendor: ConnectWise ``{"id": n, ...}`` objects (the collection
from the key: ``company`` -> ``companies``, a contact's ``communicationItems`` -> ``communications``;
unknown keys keep the id) and scalar ``<name>Id`` fields (``ticketId``, ``agreementId``), QuickBooks
``...Ref`` ``{"value": id}`` objects and ``LinkedTxn`` ``{"TxnId", "TxnType"}``, Salesforce id strings
in any system's records (ids are unique across the org, and the pattern is the sandbox's). Ids written
into another system's fields are references too: the Salesforce custom fields ``CW_<Object>_Id__c``
(``CW_Company_Id__c: "36"``) point at the ConnectWise record of that collection, so a lead whose
company was created third in one run and first in another is equal, and one linked to another
company is not.

A QuickBooks RecurringTransaction keeps its own id inside the transaction it wraps (``Invoice.Id``
and ``Invoice.RecurDataRef``): those are taken out too, so templates created concurrently in another
order compare equal.

A ConnectWise custom field with no value (an unchecked checkbox) counts as unset: ConnectWise itself
answers every custom field of a record's type, set or not.

Derived QuickBooks balances (a customer's ``Balance``) are settled first, as the API would answer
them on the next request: the sandbox recomputes them lazily.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

from msplink.sandbox import World

__all__ = ["counts", "duplicates", "snapshot"]

VOLATILE = frozenset(
    {
        "_info", "MetaData", "SyncToken", "domain", "sparse", "time", "attributes",
        "SystemModstamp", "LastModifiedDate", "CreatedDate", "LastModifiedById", "CreatedById",
        "LastViewedDate", "LastReferencedDate", "LastActivityDate", "dateEntered", "lastUpdated",
        "enteredBy", "updatedBy", "_href", "dateCreated",
    }
)  # fmt: skip
_SF_ID = re.compile(r"^[a-zA-Z0-9]{3}SB[a-zA-Z0-9]{13}$")
_CW_ID_FIELD = re.compile(r"^CW_([A-Za-z]+)_Id__c$")
"""A Salesforce custom field holding a ConnectWise id (``CW_Company_Id__c``)."""
_CW_PLURAL = {
    "company": "companies", "contact": "contacts", "site": "sites", "agreement": "agreements",
    "invoice": "invoices", "ticket": "tickets", "project": "projects", "opportunity": "opportunities",
    "purchaseOrder": "purchaseOrders", "product": "products", "catalogItem": "catalog",
    "member": "members", "board": "boards", "status": "statuses", "priority": "priorities",
    "billingTerms": "billingTerms", "taxCode": "taxCodes", "vendor": "companies", "phase": "phases",
    "communicationItems": "communications",
}  # fmt: skip

Tables = dict[str, dict[str, dict[str, Any]]]  # system/collection -> id -> record


def _tables(world: World) -> Tables:
    out: Tables = {}
    with world.cw.lock(), world.qbo.lock(), world.sf.lock():
        world.qbo.company.settle_balances()  # derived balances, as the API would answer them
        sources: list[tuple[str, Mapping[str, Mapping[Any, Mapping[str, Any]]]]] = [
            ("connectwise", world.cw.store.data),
            ("quickbooks", world.qbo.company.data),
            ("salesforce", world.sf.org.data),
        ]
        for system, data in sources:
            for name, table in data.items():
                out[f"{system}/{name}"] = {str(k): dict(v) for k, v in table.items()}
    return out


def _digest(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha1(text.encode()).hexdigest()[:16]  # noqa: S324 - a label, not security


class _Labeller:
    def __init__(self, tables: Tables) -> None:
        self.tables = tables
        self.sf_index = {
            rid: name for name, t in tables.items() if name.startswith("salesforce/") for rid in t
        }
        self.labels: dict[tuple[str, str], str] = {}

    def target(self, system: str, key: str, value: Any) -> tuple[str, str] | None:
        """The (table, id) a reference points at, when it can be told."""
        if system == "connectwise":
            table = f"connectwise/{_CW_PLURAL.get(key, key + 's')}"
            return (table, str(value)) if str(value) in self.tables.get(table, {}) else None
        if system == "quickbooks":
            table = f"quickbooks/{key}"
            return (table, str(value)) if str(value) in self.tables.get(table, {}) else None
        found = self.sf_index.get(str(value))
        return (found, str(value)) if found is not None else None

    def relabel(self, system: str, value: Any, key: str, level: int) -> Any:
        """``value`` with its references replaced by their targets' labels (``level`` deep)."""
        if isinstance(value, Mapping):
            if system == "connectwise" and "id" in value and key:
                ref = self.target(system, key, value["id"])
                rest = {
                    k: self.relabel(system, v, k, level)
                    for k, v in value.items()
                    if k not in VOLATILE and k != "id"
                }
                return {**rest, "->": self.label(ref, level - 1) if ref else value["id"]}
            if system == "quickbooks" and key.endswith("Ref") and "value" in value:
                ref = self.target(system, key[:-3], value["value"])
                return {
                    **{k: v for k, v in value.items() if k != "value"},
                    "->": self.label(ref, level - 1) if ref else value["value"],
                }
            if system == "quickbooks" and "TxnId" in value and "TxnType" in value:
                ref = self.target(system, str(value["TxnType"]), value["TxnId"])
                rest = {k: v for k, v in value.items() if k != "TxnId"}
                return {**rest, "->": self.label(ref, level - 1) if ref else value["TxnId"]}
            return {k: self.relabel(system, v, k, level) for k, v in value.items() if k not in VOLATILE}
        if isinstance(value, (list, tuple)):
            items = [self.relabel(system, v, key, level) for v in value]
            return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, default=str))
        if isinstance(value, str) and _SF_ID.match(value):
            ref = self.target("salesforce", key, value)
            return {"->": self.label(ref, level - 1)} if ref else value
        cw_key = self.cw_id_field(system, key, value)
        if cw_key is not None:
            ref = self.target("connectwise", cw_key, value)
            return {"->": self.label(ref, level - 1)} if ref else value
        return value

    @staticmethod
    def cw_id_field(system: str, key: str, value: Any) -> str | None:
        """The ConnectWise reference key (``company``) of a scalar field holding a ConnectWise id: a
        ConnectWise ``ticketId`` or a Salesforce ``CW_Company_Id__c``; ``None`` for any other field."""
        if (
            system == "connectwise"
            and isinstance(value, int)
            and key.endswith("Id")
            and key[:-2] in _CW_PLURAL
        ):
            return key[:-2]
        found = _CW_ID_FIELD.match(key) if system == "salesforce" and isinstance(value, str) else None
        if found is not None:
            name = found.group(1)
            return name[0].lower() + name[1:]
        return None

    def content(self, table: str, record: Mapping[str, Any], level: int) -> Any:
        system = table.split("/", 1)[0]
        own = {"id", "Id"}
        body = {k: v for k, v in record.items() if k not in VOLATILE and k not in own}
        if table == "quickbooks/RecurringTransaction":  # the template's own id is inside its wrapper
            body = {k: _unwrapped(v) for k, v in body.items()}
        if system == "connectwise" and "customFields" in body:
            body = _set_custom_fields(body)
        if level <= 0:
            return {k: v for k, v in body.items() if not isinstance(v, (Mapping, list))}
        return self.relabel(system, body, "", level)

    def label(self, ref: tuple[str, str] | None, level: int) -> str:
        if ref is None:
            return "?"
        table, rid = ref
        return _digest([table, self.content(table, self.tables[table][rid], level)])


def _set_custom_fields(body: Mapping[str, Any]) -> dict[str, Any]:
    """A ConnectWise record's custom fields that hold a value: an unchecked checkbox or an empty value
    is the field unset (ConnectWise answers every custom field of a record's type, set or not; the
    sandbox only those written), so a record whose overdue flag went on and off again equals one whose
    flag was never set."""
    kept = [
        f
        for f in body.get("customFields") or ()
        if not (isinstance(f, Mapping) and f.get("value") in (None, False, ""))
    ]
    out = {k: v for k, v in body.items() if k != "customFields"}
    if kept:
        out["customFields"] = kept
    return out


def _unwrapped(value: Any) -> Any:
    """A QuickBooks RecurringTransaction's wrapped transaction without the ids the server gave the
    template (``Id``, and ``RecurDataRef``, which names the template itself)."""
    if not isinstance(value, Mapping):
        return value
    return {k: v for k, v in value.items() if k not in ("Id", "RecurDataRef")}


def snapshot(world: World, *, depth: int = 3) -> dict[str, list[str]]:
    """Every collection with records: its records' contents (references by target), sorted."""
    tables = _tables(world)
    labeller = _Labeller(tables)
    out: dict[str, list[str]] = {}
    for table, records in sorted(tables.items()):
        if not records:
            continue
        out[table] = sorted(
            json.dumps(labeller.content(table, r, depth), sort_keys=True, default=str)
            for r in records.values()
        )
    return out


def counts(world: World) -> dict[str, int]:
    """Records per collection."""
    return {table: len(records) for table, records in _tables(world).items() if records}


def duplicates(snap: Mapping[str, list[str]], baseline: Mapping[str, list[str]]) -> dict[str, int]:
    """Per collection, records that occur more often than in ``baseline`` (stored twice)."""
    out: dict[str, int] = {}
    for table, rows in snap.items():
        extra = Counter(rows) - Counter(baseline.get(table, []))
        n = sum(c for row, c in extra.items() if row in set(baseline.get(table, [])))
        if n:
            out[table] = n
    return out


def first_difference(a: Mapping[str, list[str]], b: Mapping[str, list[str]]) -> str:
    """A short description of where two snapshots differ (for assertion messages)."""
    for table in sorted(set(a) | set(b)):
        left, right = Counter(a.get(table, [])), Counter(b.get(table, []))
        if left != right:
            only_a, only_b = list((left - right).elements())[:2], list((right - left).elements())[:2]
            return f"{table}: {len(a.get(table, []))} vs {len(b.get(table, []))} records; only in first: {only_a}; only in second: {only_b}"
    return "equal"


Compare = Callable[[World, World], None]
