"""Save and restore the state of the three sandboxes as JSON (Decimals, dates and datetimes exact).

Only records and their sequences are kept (what a world *is*); credentials, sessions, request logs
and fault rules belong to a running sandbox and are made afresh on load. Values are tagged:
``{"$decimal": "12.50"}``, ``{"$date": "2026-01-31"}``, ``{"$datetime": "2026-01-31T09:00:00+00:00"}``.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from msplink.sandbox.connectwise._store import Store
from msplink.sandbox.quickbooks._state import Change, Company
from msplink.sandbox.salesforce._org import Org

__all__ = [
    "COMPANY_DERIVED",
    "COMPANY_STATE",
    "dump_company",
    "dump_org",
    "dump_store",
    "dumps",
    "loads",
    "restore_company",
    "restore_org",
    "restore_store",
]

COMPANY_STATE = frozenset(
    {
        "realm_id",
        "data",
        "counters",
        "tombstones",
        "changes",
        "doc_numbers",
        "display_names",
        "dirty_balances",
        "dirty_vendor_balances",
        "deposited",
        "files",
        "rates",
    }
)
"""The QBO ``Company`` attributes a saved world holds (its clock, ``_now``, is the world's)."""

COMPANY_DERIVED = frozenset({"_recurring_names", "_party_index"})
"""The QBO ``Company`` attributes derived from its data: not saved, rebuilt after a load."""


def _encode(value: Any) -> Any:
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"cannot save a {type(value).__name__}")


def _decode(obj: dict[str, Any]) -> Any:
    if len(obj) == 1:
        ((key, text),) = obj.items()
        if key == "$decimal":
            return Decimal(text)
        if key == "$datetime":
            return datetime.fromisoformat(text)
        if key == "$date":
            return date.fromisoformat(text)
    return obj


def dumps(value: Any) -> str:
    """JSON text of ``value`` with tagged Decimals, dates and datetimes (key order kept)."""
    return json.dumps(value, default=_encode, ensure_ascii=False, separators=(",", ":"))


def loads(text: str) -> Any:
    """The value :func:`dumps` wrote."""
    return json.loads(text, object_hook=_decode)


def _int_keys(table: Mapping[str, Any]) -> dict[int, Any]:
    return {int(k): v for k, v in table.items()}


# ------------------------------------------------------------------------------------------ ConnectWise


def dump_store(store: Store) -> dict[str, Any]:
    """The ConnectWise sandbox's records, parent links and id sequences."""
    return {"data": store.data, "parents": store.parents, "next_ids": store.next_ids}


def restore_store(store: Store, state: Mapping[str, Any]) -> None:
    """Replace a ConnectWise store's records with a saved state (in place: the sandbox shares the dicts)."""
    for target, saved in ((store.data, state["data"]), (store.parents, state["parents"])):
        target.clear()
        target.update({name: _int_keys(table) for name, table in saved.items()})
    store.next_ids.clear()
    store.next_ids.update({name: int(n) for name, n in state["next_ids"].items()})
    store.reindex()


# ------------------------------------------------------------------------------------------ QuickBooks


def dump_company(company: Company) -> dict[str, Any]:
    """A QBO company's entities, counters, tombstones, change feed and name index."""
    return {
        "realm_id": company.realm_id,
        "data": company.data,
        "counters": company.counters,
        "tombstones": [list(t) for t in company.tombstones],
        "changes": [
            {"entity": c.entity, "id": c.id, "operation": c.operation, "at": c.at} for c in company.changes
        ],
        "doc_numbers": company.doc_numbers,
        "display_names": {k: list(v) for k, v in company.display_names.items()},
        "dirty_balances": sorted(company.dirty_balances),
        "dirty_vendor_balances": sorted(company.dirty_vendor_balances),
        "deposited": [[kind, doc, deposit] for (kind, doc), deposit in sorted(company.deposited.items())],
        "files": {
            entity_id: [base64.b64encode(data).decode("ascii"), content_type]
            for entity_id, (data, content_type) in sorted(company.files.items())
        },
        "rates": company.rates,
    }


def restore_company(company: Company, state: Mapping[str, Any]) -> None:
    """Replace a QBO company's state with a saved one.

    Raises:
        ValueError: The saved state belongs to another realm.
    """
    if state["realm_id"] != company.realm_id:
        raise ValueError(f"saved QuickBooks state is for realm {state['realm_id']}, not {company.realm_id}")
    company.data.clear()
    company.data.update(state["data"])
    company.counters = dict(state["counters"])
    company.tombstones = [(str(e), str(i), when) for e, i, when in state["tombstones"]]
    company.changes = [Change(c["entity"], c["id"], c["operation"], c["at"]) for c in state["changes"]]
    company.doc_numbers = dict(state["doc_numbers"])
    company.display_names = {k: (str(v[0]), str(v[1])) for k, v in state["display_names"].items()}
    company.dirty_balances = set(state["dirty_balances"])
    company.dirty_vendor_balances = set(state.get("dirty_vendor_balances", ()))
    company.deposited = {(str(k), str(d)): str(v) for k, d, v in state.get("deposited", ())}
    company.files = {
        str(entity_id): (base64.b64decode(data), str(content_type))
        for entity_id, (data, content_type) in state.get("files", {}).items()
    }
    company.rates = {code: dict(days) for code, days in state.get("rates", {}).items()}
    company.reindex()


# ------------------------------------------------------------------------------------------ Salesforce


def dump_org(org: Org) -> dict[str, Any]:
    """A Salesforce org's records (deleted ones too), deletion log, id sequence and autonumbers."""
    return {
        "data": org.data,
        "deleted_log": [list(entry) for entry in org.deleted_log],
        "counter": org.counter,
        "autonumbers": org.autonumbers,
    }


def restore_org(org: Org, state: Mapping[str, Any]) -> None:
    """Replace an org's records with a saved state and rebuild its external-id indexes."""
    org.data = {name: dict(table) for name, table in state["data"].items()}
    for name in org.objects:
        org.data.setdefault(name, {})
    org.deleted_log = [(str(o), str(i), when) for o, i, when in state["deleted_log"]]
    org.counter = int(state["counter"])
    org.autonumbers = {k: int(v) for k, v in state["autonumbers"].items()}
    org.rebuild_index()
