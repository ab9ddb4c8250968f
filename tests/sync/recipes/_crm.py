"""Helpers of the CRM recipe tests (``accounts_and_contacts``, ``leads_to_connectwise``): the recipes
over a world's sync clients, both systems' records as comparable snapshots (ids replaced by names,
so two runs that create in another order compare equal), the state by names, and people editing."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from msplink.connectwise import models as cw
from msplink.sandbox import World, WorldClients
from msplink.sync import StateStore, SyncReport
from msplink.sync.recipes import accounts_and_contacts, leads_to_connectwise

ACCOUNTS = "sf-accounts-to-cw-companies"
COMPANIES = "cw-companies-to-sf-accounts"
SF_CONTACTS = "sf-contacts-to-cw-contacts"
CW_CONTACTS = "cw-contacts-to-sf-contacts"
ACCOUNT_FLOWS = (ACCOUNTS, COMPANIES, SF_CONTACTS, CW_CONTACTS)

LEAD_COMPANIES = "sf-leads-to-cw-companies"
LEAD_CONTACTS = "sf-leads-to-cw-contacts"
CONVERTED = "sf-converted-leads-to-cw-contacts"
WRITE_BACK = "cw-contacts-to-sf-leads"
LEAD_FLOWS = (LEAD_COMPANIES, LEAD_CONTACTS, CONVERTED, WRITE_BACK)

_AUDIT = {
    "Id",
    "attributes",
    "CreatedDate",
    "CreatedById",
    "LastModifiedDate",
    "LastModifiedById",
    "SystemModstamp",
    "IsDeleted",
}


def integration_user(world: World) -> str:
    """The Salesforce user the world's credentials log in as."""
    return world.sf.integration_user_id


def sync_accounts(world: World, state: StateStore, **options: Any) -> SyncReport:
    """Run ``accounts_and_contacts`` once over fresh sync clients."""
    with world.clients() as c:
        return accounts_and_contacts(
            sf=c.sf,
            cw=c.cw,
            state=state,
            config=options.pop("config", world.config),
            now=world.clock.now,
            sf_integration_user=integration_user(world),
            **options,
        )


def sync_leads(world: World, state: StateStore, **options: Any) -> SyncReport:
    """Run ``leads_to_connectwise`` once over fresh sync clients."""
    with world.clients() as c:
        return leads_to_connectwise(
            sf=c.sf,
            cw=c.cw,
            state=state,
            config=options.pop("config", world.config),
            now=world.clock.now,
            **options,
        )


def counts(report: SyncReport) -> dict[str, dict[str, int]]:
    """Non-zero outcome counts per flow."""
    return {p.flow: {k: v for k, v in p.outcome_counts.items() if v} for p in report.parts}


def changed_fields(report: SyncReport) -> dict[str, Counter[str]]:
    """Per flow, how many records each write touched, by action (``update``/``create``)."""
    out: dict[str, Counter[str]] = {}
    for part in report.parts:
        out[part.flow] = Counter(o.action.value for o in part.outcomes if o.status in ("created", "updated"))
    return out


# ------------------------------------------------------------------------------------ reading


def companies(c: WorldClients) -> list[Any]:
    """Every CW company."""
    return c.cw.companies.list().to_list()


def cw_contacts(c: WorldClients) -> list[Any]:
    """Every CW contact."""
    return c.cw.contacts.list().to_list()


def sf_rows(c: WorldClients, sobject: str) -> list[dict[str, Any]]:
    """Every live record of an sObject, all fields."""
    return [dict(r) for r in c.sf.query(f"SELECT FIELDS(ALL) FROM {sobject} LIMIT 200").to_list()]


def cw_email(contact: Any) -> str | None:
    """A CW contact's e-mail address (lower case)."""
    for item in contact.raw.get("communicationItems") or ():
        if item.get("communicationType") == "Email" and item.get("value"):
            return str(item["value"]).lower()
    return None


def snapshot(world: World) -> dict[str, list[str]]:
    """Every CW company and contact and every SF account, contact and lead, values only, with ids
    replaced by the names they stand for; sorted."""
    with world.clients() as c:
        cw_companies = companies(c)
        contacts = cw_contacts(c)
        accounts = sf_rows(c, "Account")
        sf_contacts = sf_rows(c, "Contact")
        leads = sf_rows(c, "Lead")
    company_names = {str(x.id): x.name for x in cw_companies}
    contact_names = {str(x.id): cw_email(x) or f"{x.first_name} {x.last_name}" for x in contacts}
    account_names = {a["Id"]: a["Name"] for a in accounts}

    def company_row(x: Any) -> dict[str, Any]:
        raw = {k: v for k, v in x.raw.items() if k not in {"id", "_info", "dateAcquired"}}
        return raw

    def contact_row(x: Any) -> dict[str, Any]:
        raw = {k: v for k, v in x.raw.items() if k not in {"id", "_info"}}
        if isinstance(raw.get("company"), dict):
            raw["company"] = raw["company"].get("name")
        raw["communicationItems"] = sorted(
            (i.get("communicationType"), i.get("value")) for i in raw.get("communicationItems") or ()
        )
        return raw

    def sf_row(row: dict[str, Any]) -> dict[str, Any]:
        out = {k: v for k, v in row.items() if k not in _AUDIT}
        if out.get("AccountId"):
            out["AccountId"] = account_names.get(out["AccountId"], out["AccountId"])
        if out.get("CW_Company_Id__c"):
            out["CW_Company_Id__c"] = company_names.get(out["CW_Company_Id__c"], "?")
        if out.get("CW_Contact_Id__c"):
            out["CW_Contact_Id__c"] = contact_names.get(out["CW_Contact_Id__c"], "?")
        return out

    def dump(rows: Any) -> list[str]:
        return sorted(json.dumps(r, sort_keys=True, default=str) for r in rows)

    return {
        "cw.companies": dump(company_row(x) for x in cw_companies),
        "cw.contacts": dump(contact_row(x) for x in contacts),
        "sf.accounts": dump(sf_row(r) for r in accounts),
        "sf.contacts": dump(sf_row(r) for r in sf_contacts),
        "sf.leads": dump(sf_row(r) for r in leads),
    }


def state_tables(world: World, state: StateStore) -> dict[str, Any]:
    """The state that matters after a run, by names: links, conflicts, dead letters."""
    with world.clients() as c:
        names: dict[tuple[str, str, str], str] = {}
        for x in companies(c):
            names[("connectwise", "company", str(x.id))] = x.name
        for x in cw_contacts(c):
            names[("connectwise", "contact", str(x.id))] = cw_email(x) or str(x.last_name)
        for r in sf_rows(c, "Account"):
            names[("salesforce", "Account", r["Id"])] = r["Name"]
        for r in sf_rows(c, "Contact"):
            names[("salesforce", "Contact", r["Id"])] = str(r["Email"]).lower()
        for r in sf_rows(c, "Lead"):
            names[("salesforce", "Lead", r["Id"])] = names[("salesforce", "Lead.Converted", r["Id"])] = str(
                r["Email"]
            ).lower()

    def label(ref: Any) -> str:
        if ref is None:
            return "-"
        return names.get((ref.system, ref.object_type, ref.id), f"{ref.object_type}:{ref.id}")

    sides = [
        (("salesforce", "Account"), ("connectwise", "company")),
        (("salesforce", "Contact"), ("connectwise", "contact")),
        (("salesforce", "Lead"), ("connectwise", "contact")),
        (("salesforce", "Lead.Converted"), ("connectwise", "contact")),
        (("salesforce", "Lead.Company"), ("connectwise", "company")),
    ]
    links = {}
    for a, b in sides:
        from msplink.models import ExternalRef

        links[f"{a[1]}-{b[1]}"] = sorted(
            (label(ExternalRef(*a, x)), label(ExternalRef(*b, y))) for x, y in state.pairs(a, b)
        )
    return {
        "links": links,
        "conflicts": sorted(
            (
                c.flow,
                c.kind,
                c.field,
                label(c.source),
                label(c.target),
                tuple(sorted(label(x) for x in c.candidates)),
                c.status,
            )
            for c in state.conflicts(None)
        ),
        "dead_letters": sorted(
            (d.flow, label(d.source), d.action, d.error_type) for d in state.dead_letters()
        ),
    }


def no_duplicates(world: World) -> dict[str, list[str]]:
    """Names / e-mails held twice in any of the four systems' objects (all lists empty: none)."""
    with world.clients() as c:
        held = {
            "cw.companies": [x.name.casefold() for x in companies(c)],
            "cw.contacts": [e for e in (cw_email(x) for x in cw_contacts(c)) if e],
            "sf.accounts": [str(r["Name"]).casefold() for r in sf_rows(c, "Account")],
            "sf.contacts": [str(r["Email"]).casefold() for r in sf_rows(c, "Contact") if r["Email"]],
        }
    return {k: sorted(n for n, k2 in Counter(v).items() if k2 > 1) for k, v in held.items()}


# ------------------------------------------------------------------------------------ editing


@contextmanager
def person(world: World) -> Iterator[WorldClients]:
    """Clients for a person editing records; the clock moves on first so changes have their own time."""
    world.clock.advance(60)
    with world.clients() as c:
        yield c
    world.clock.advance(60)


def edit_company(c: WorldClients, company_id: int, **values: Any) -> None:
    """A person changes fields of a CW company (``phone_number=...``)."""
    c.cw.companies.update(company_id, cw.CompanyUpdate(**values))


def edit_account(c: WorldClients, account_id: str, **values: Any) -> None:
    """A person changes fields of a SF account (``Phone=...``)."""
    c.sf.accounts.update(account_id, values)


def edit_sf_contact(c: WorldClients, contact_id: str, **values: Any) -> None:
    """A person changes fields of a SF contact (``Title=...``)."""
    c.sf.contacts.update(contact_id, values)


def edit_cw_contact(c: WorldClients, contact_id: int, **values: Any) -> None:
    """A person changes fields of a CW contact (``title=...``)."""
    c.cw.contacts.update(contact_id, cw.ContactUpdate(**values))
