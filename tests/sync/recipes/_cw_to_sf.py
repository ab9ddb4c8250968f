"""Helpers of the CRM recipe tests (ConnectWise <-> Salesforce against a seeded world): run a recipe
over fresh clients, snapshot the records the recipes write (values only: ids and change times vary
between an interrupted and an uninterrupted run), label the state store's links by content, count
requests per system."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from msplink.models import ExternalRef
from msplink.sandbox import World
from msplink.sync import StateStore, SyncReport
from tests.sync._recipes import api_requests

INTEGRATION_USER = "api_sync"
"""The API member the world's ConnectWise credentials log in as."""

CW_TABLES = ("companies", "contacts", "tickets", "projects")
SF_OBJECTS = ("Account", "Contact", "Case", "Opportunity", "Invoice__c", "Task")
_VOLATILE = {
    "Id", "CreatedDate", "LastModifiedDate", "SystemModstamp", "CreatedById", "LastModifiedById",
    "CaseNumber", "ClosedDate", "attributes", "id", "_info", "dateEntered",
}  # fmt: skip


def sync(recipe: Any, world: World, state: StateStore, **options: Any) -> SyncReport:
    """Run a recipe once over fresh sync clients (the world's config and clock)."""
    with world.clients() as c:
        report: SyncReport = recipe(
            cw=c.cw,
            sf=c.sf,
            state=state,
            config=options.pop("config", world.config),
            now=world.clock.now,
            cw_integration_user=INTEGRATION_USER,
            **options,
        )
        return report


def flow_counts(report: SyncReport) -> dict[str, dict[str, int]]:
    """Per flow: outcome statuses that occurred."""
    return {p.flow: {k: v for k, v in p.outcome_counts.items() if v} for p in report.parts}


def requests_by_system(world: World) -> dict[str, int]:
    """API requests served per sandbox (token requests left out)."""
    return {"connectwise": len(api_requests(world.cw)), "salesforce": len(api_requests(world.sf))}


def request_counts(world: World, system: str) -> Counter[str]:
    """``METHOD last-path-segment`` of one sandbox's requests."""
    box = world.cw if system == "connectwise" else world.sf
    return Counter(f"{m} {p.rstrip('/').rsplit('/', 1)[-1]}" for m, p in api_requests(box))


def sf_rows(world: World, sobject: str) -> list[dict[str, Any]]:
    """The live records of one Salesforce object."""
    return [r for r in world.sf.records(sobject) if not r.get("IsDeleted")]


def cw_rows(world: World, table: str) -> list[dict[str, Any]]:
    """The records of one ConnectWise table."""
    return [dict(r) for r in world.cw.store.data[table].values()]


def _labels(world: World) -> dict[tuple[str, str, str], str]:
    """A content label per record (what a run writes never depends on ids or on the order of creates)."""
    out: dict[tuple[str, str, str], str] = {}
    for row in world.sf.records("Account", include_deleted=True):
        out["salesforce", "Account", row["Id"]] = f"account:{row['Name']}"
    for row in world.sf.records("Contact", include_deleted=True):
        out["salesforce", "Contact", row["Id"]] = f"contact:{row.get('Email')}"
    for row in world.sf.records("Opportunity", include_deleted=True):
        out["salesforce", "Opportunity", row["Id"]] = f"opportunity:{row['Name']}"
    for row in world.sf.records("Case", include_deleted=True):
        out["salesforce", "Case", row["Id"]] = f"case:{row.get('CW_Ticket_Id__c')}:{row.get('Subject')}"
    for row in world.sf.records("Invoice__c", include_deleted=True):
        out["salesforce", "Invoice__c", row["Id"]] = f"invoice:{row.get('Name')}"
    for row in world.sf.records("Task", include_deleted=True):
        out["salesforce", "Task", row["Id"]] = f"task:{row.get('Subject')}"
    for row in world.cw.store.data["companies"].values():
        out["connectwise", "company", str(row["id"])] = f"company:{row['name']}"
    for row in world.cw.store.data["contacts"].values():
        out["connectwise", "contact", str(row["id"])] = (
            f"contact:{row.get('firstName')} {row.get('lastName')}"
        )
    for row in world.cw.store.data["tickets"].values():
        out["connectwise", "ticket", str(row["id"])] = f"ticket:{row['summary']}"
    for row in world.cw.store.data["projects"].values():
        out["connectwise", "project", str(row["id"])] = f"project:{row['name']}"
    return out


def label(labels: dict[tuple[str, str, str], str], ref: ExternalRef | None) -> str:
    """A ref as its record's content label (the ref itself for records with none)."""
    if ref is None:
        return "-"
    return labels.get((ref.system, ref.object_type, ref.id), f"{ref.system}:{ref.object_type}:{ref.id}")


def _value(value: Any, salesforce: dict[str, str]) -> Any:
    return salesforce.get(value, value) if isinstance(value, str) else value


def snapshot(world: World) -> dict[str, list[str]]:
    """Every record of the tables the CRM recipes write, values only, sorted (Salesforce ids as labels)."""
    salesforce = {rid: text for (system, _, rid), text in _labels(world).items() if system == "salesforce"}
    out: dict[str, list[str]] = {}
    for sobject in SF_OBJECTS:
        out[sobject] = sorted(
            json.dumps(
                {k: _value(v, salesforce) for k, v in row.items() if k not in _VOLATILE},
                sort_keys=True,
                default=str,
            )
            for row in sf_rows(world, sobject)
        )
    for table in CW_TABLES:
        out[table] = sorted(
            json.dumps({k: v for k, v in row.items() if k not in _VOLATILE}, sort_keys=True, default=str)
            for row in cw_rows(world, table)
        )
    return out


def state_tables(world: World, state: StateStore, flows: tuple[str, ...]) -> dict[str, Any]:
    """The state that matters after a run, by content labels: links (per entity), conflicts, dead letters."""
    labels = _labels(world)
    sides = [
        (("connectwise", "company"), ("salesforce", "Account")),
        (("connectwise", "ticket"), ("salesforce", "Case")),
        (("connectwise", "invoice"), ("salesforce", "Invoice__c")),
        (("connectwise", "invoice"), ("salesforce", "Task")),
        (("connectwise", "agreement_term"), ("salesforce", "Opportunity")),
        (("salesforce", "Account"), ("connectwise", "company")),
        (("salesforce", "Contact"), ("connectwise", "contact")),
        (("salesforce", "Opportunity"), ("connectwise", "ticket")),
        (("salesforce", "Opportunity"), ("connectwise", "project")),
    ]
    links = sorted(
        {
            (label(labels, ExternalRef(*a, x)), label(labels, ExternalRef(*b, y)))
            for a, b in sides
            for x, y in state.pairs(a, b)
        }
    )
    return {
        "links": links,
        "conflicts": sorted(
            (c.flow, c.kind, c.field, label(labels, c.source), label(labels, c.target), c.status)
            for c in state.conflicts(None)
        ),
        "dead_letters": sorted(
            (d.flow, label(labels, d.source), d.action, d.error_type) for d in state.dead_letters()
        ),
        "watermarked": sorted(f for f in flows if state.watermark(f) is not None),
    }
