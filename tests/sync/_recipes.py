"""Helpers of the end-to-end recipe tests: the world's targets as comparable snapshots, request
counts from the sandboxes' own logs, and people editing records through the clients."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from msplink.connectwise import models as cw
from msplink.quickbooks import models as qbo
from msplink.sandbox import Sandbox, World, WorldClients
from msplink.sync import StateStore, SyncReport
from msplink.sync.recipes import companies_and_customers

INTEGRATION_USER = "api_sync"
"""The API member the world's ConnectWise credentials log in as."""

FORWARD = "cw-companies-to-qbo-customers"
BACKWARD = "qbo-customers-to-cw-companies"

_TOKEN_PATHS = re.compile(r"/oauth2/|/services/oauth2/|/login/companyinfo/")


def sync(world: World, state: StateStore, **options: Any) -> SyncReport:
    """Run the recipe once over fresh sync clients."""
    with world.clients() as c:
        return companies_and_customers(
            cw=c.cw,
            qbo=c.qbo,
            state=state,
            config=options.pop("config", world.config),
            now=world.clock.now,
            cw_integration_user=INTEGRATION_USER,
            **options,
        )


def api_requests(sandbox: Sandbox) -> list[tuple[str, str]]:
    """``(method, path)`` of every API request served (token and discovery requests left out)."""
    return [(r.method, r.path) for r in sandbox.requests if not _TOKEN_PATHS.search(r.path)]


def request_counts(sandbox: Sandbox) -> Counter[str]:
    """API requests by ``METHOD last-path-segment`` (``GET companies``, ``POST batch``, ``GET cdc``)."""
    return Counter(f"{m} {p.rstrip('/').rsplit('/', 1)[-1]}" for m, p in api_requests(sandbox))


def companies(c: WorldClients) -> list[Any]:
    """Every CW company."""
    return c.cw.companies.list().to_list()


def customers(c: WorldClients) -> list[Any]:
    """Every QBO customer, inactive ones too."""
    return c.qbo.customers.list(where="Active IN (true, false)").to_list()


def _company_row(company: Any) -> dict[str, Any]:
    raw = dict(company.raw)
    for key in ("id", "_info", "dateAcquired"):
        raw.pop(key, None)
    return raw


def _customer_row(customer: Any) -> dict[str, Any]:
    raw = dict(customer.raw)
    for key in ("Id", "SyncToken", "MetaData", "domain", "sparse", "time"):
        raw.pop(key, None)
    return raw


def snapshot(world: World) -> dict[str, list[str]]:
    """Both targets' records, values only (no ids, versions or change times), sorted: two runs that
    end in the same data have equal snapshots whatever order their writes took."""
    import json

    with world.clients() as c:
        return {
            "connectwise": sorted(
                json.dumps(_company_row(x), sort_keys=True, default=str) for x in companies(c)
            ),
            "quickbooks": sorted(
                json.dumps(_customer_row(x), sort_keys=True, default=str) for x in customers(c)
            ),
        }


def name_pairs(world: World, state: StateStore) -> set[tuple[str, str]]:
    """Linked (CW company name, QBO DisplayName) pairs, by the state store's identity map."""
    with world.clients() as c:
        cw_names = {str(x.id): x.name for x in companies(c)}
        qbo_names = {str(x.id): x.display_name for x in customers(c)}
    pairs = state.pairs(("connectwise", "company"), ("quickbooks", "Customer"))
    return {(cw_names.get(a, f"?{a}"), qbo_names.get(b, f"?{b}")) for a, b in pairs}


def state_tables(world: World, state: StateStore) -> dict[str, Any]:
    """The state that matters after a run, by names instead of ids: links, open conflicts, dead letters."""
    with world.clients() as c:
        names = {("connectwise", str(x.id)): x.name for x in companies(c)}
        names |= {("quickbooks", str(x.id)): x.display_name for x in customers(c)}

    def label(ref: Any) -> str:
        return names.get((ref.system, ref.id), f"{ref.system}:{ref.id}") if ref is not None else "-"

    return {
        "links": sorted(name_pairs(world, state)),
        "conflicts": sorted(
            (
                c.flow,
                c.kind,
                c.field,
                label(c.source),
                label(c.target),
                tuple(sorted(label(x) for x in c.candidates)),
            )
            for c in state.conflicts(None)
        ),
        "dead_letters": sorted(
            (d.flow, label(d.source), d.action, d.error_type) for d in state.dead_letters()
        ),
    }


@contextmanager
def person(world: World) -> Iterator[WorldClients]:
    """Clients for a person editing records (through the same API member, as an admin script would);
    the clock moves on first so their changes have their own timestamps."""
    world.clock.advance(60)
    with world.clients() as c:
        yield c
    world.clock.advance(60)


def edit_company(c: WorldClients, company_id: int, **values: Any) -> None:
    """A person changes fields of a CW company (``phone_number=...``)."""
    c.cw.companies.update(company_id, cw.CompanyUpdate(**values))


def edit_customer(c: WorldClients, customer_id: str, **values: Any) -> None:
    """A person changes fields of a QBO customer (``primary_phone=...``, sparse)."""
    current = c.qbo.customers.get(customer_id)
    c.qbo.customers.update(qbo.CustomerUpdate(id=customer_id, sync_token=str(current.sync_token), **values))
