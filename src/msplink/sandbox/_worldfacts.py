"""``WorldFacts``: what a seeded world holds, so tests assert exact figures without re-deriving them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

import attrs

from msplink.sandbox._worldgen import Blueprint, Business, normal_form
from msplink.sandbox._worldseed import Seeded
from msplink.sandbox._worldtables import (
    BILLING_TERMS,
    CATALOG,
    CW,
    CYCLES,
    MEMBERS,
    QBO,
    SF,
    SYSTEMS,
    TAX_CODES,
    TECHNICIANS,
    WORK_TYPES,
)
from msplink.sandbox.connectwise._store import Store
from msplink.sandbox.quickbooks._state import Company
from msplink.sandbox.salesforce._org import Org

__all__ = ["AmbiguousPair", "CompanyFacts", "WorldFacts", "build_facts"]


@attrs.frozen(kw_only=True)
class CompanyFacts:
    """One company of the world and how each system holds it.

    Attributes:
        key: Its index in the world.
        names: The name in each system that holds it (``connectwise``, ``quickbooks``, ``salesforce``).
        ids: Its record id in each of those systems (CW company id, QBO Customer Id, SF Account Id).
        billing_email: The CW ``invoiceToEmailAddress``.
        qbo_email: The QBO ``PrimaryEmailAddr`` (the same address, possibly other case; ``None`` when not
            in QuickBooks).
        contact_emails: Its contacts' e-mails as CW holds them.
        sf_contact_emails: The same contacts' e-mails as Salesforce spells them (when in Salesforce).
        twin_of: For one half of an ambiguous pair: the key of the company whose normalised name it shares.
    """

    key: int
    names: Mapping[str, str]
    ids: Mapping[str, str]
    billing_email: str
    qbo_email: str | None
    contact_emails: tuple[str, ...]
    sf_contact_emails: tuple[str, ...]
    twin_of: int | None = None


@attrs.frozen(kw_only=True)
class AmbiguousPair:
    """A CW company with two candidates of the same normalised name in another system.

    Attributes:
        system: Where the candidates are (``quickbooks`` or ``salesforce``).
        source_id: The CW company id.
        candidates: The two candidate record ids; the first is the same company, the second is not.
        normalised_name: The name both candidates share (case, punctuation, ``&``/``and`` and legal
            suffixes ignored).
    """

    system: str
    source_id: str
    candidates: tuple[str, str]
    normalised_name: str


@attrs.frozen(kw_only=True)
class WorldFacts:
    """A typed summary of a seeded world.

    ``counts`` keys: ``companies``; ``companies.<systems>`` (``companies.connectwise+quickbooks`` ...);
    ``<system>.<collection or object>`` for every non-empty table (``connectwise.timeEntries``,
    ``quickbooks.Invoice``, ``salesforce.Lead``); and the worked kinds: ``agreements.<cycle>``,
    ``agreements.ending_in_0_30_days`` / ``31_60`` / ``61_90``, ``invoices.overdue``,
    ``tickets.escalated``, ``time_entries.billable_approved``, ``time_entries.non_billable``,
    ``payments.partial``, ``payments.multi_invoice``, ``opportunities.closed_won_without_company``,
    ``leads.qualified``, ``leads.converted``, ``ambiguous_pairs``.

    The worked examples (``None`` only in worlds too small to hold one) are ids in their system: CW
    ids for agreements, invoices, tickets and the purchase order; QBO ids for payments; SF ids for
    opportunities and leads. Worlds seeded with ``procurement=True`` add ``vendors``,
    ``vendors.in_quickbooks`` and ``purchase_orders.<status>`` counts and ``purchase_order`` (a received
    order with three lines, one on a SKU QuickBooks has no item for, and freight; ``None`` otherwise).
    """

    seed: int
    size: int
    today: date
    counts: Mapping[str, int]
    companies: tuple[CompanyFacts, ...]
    ambiguous_pairs: tuple[AmbiguousPair, ...]
    closed_won_opportunity: str | None
    agreement_ending_in_30_days: int | None
    agreement_ending_in_60_days: int | None
    agreement_ending_in_90_days: int | None
    overdue_invoice: int | None
    escalated_ticket: int | None
    partial_payment: str | None
    multi_invoice_payment: str | None
    multi_invoice_payment_invoices: tuple[str, ...]
    qualified_lead: str | None
    converted_lead: str | None
    unmapped: Mapping[str, tuple[str, ...]]
    purchase_order: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able form (dates as ``date`` objects; :mod:`msplink.sandbox._worldstore` tags them)."""
        return attrs.asdict(self, value_serializer=_plain)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> WorldFacts:
        """Rebuild facts from :meth:`to_dict`'s output."""
        values = dict(data)
        values["companies"] = tuple(
            CompanyFacts(
                key=int(c["key"]),
                names=dict(c["names"]),
                ids=dict(c["ids"]),
                billing_email=c["billing_email"],
                qbo_email=c["qbo_email"],
                contact_emails=tuple(c["contact_emails"]),
                sf_contact_emails=tuple(c["sf_contact_emails"]),
                twin_of=c["twin_of"],
            )
            for c in data["companies"]
        )
        values["ambiguous_pairs"] = tuple(
            AmbiguousPair(
                system=p["system"],
                source_id=p["source_id"],
                candidates=(p["candidates"][0], p["candidates"][1]),
                normalised_name=p["normalised_name"],
            )
            for p in data["ambiguous_pairs"]
        )
        values["counts"] = dict(data["counts"])
        values["multi_invoice_payment_invoices"] = tuple(data["multi_invoice_payment_invoices"])
        values["unmapped"] = {k: tuple(v) for k, v in data["unmapped"].items()}
        values.setdefault("purchase_order", None)
        return cls(**values)


def _plain(_inst: Any, _field: Any, value: Any) -> Any:
    if isinstance(value, Mapping):
        return dict(value)
    return value


UNMAPPED: dict[str, tuple[str, ...]] = {
    "terms": tuple(name for name, _, qbo in BILLING_TERMS if qbo is None),
    "tax_codes": tuple(ident for ident, _, _, qbo in TAX_CODES if qbo is None),
    "catalog_items": tuple(c.sku for c in CATALOG if not c.mapped),
    "product_classes": ("Bundle",),
    "work_types": tuple(name for name, _, mapped in WORK_TYPES if not mapped),
    "employees": tuple(m.identifier for m in MEMBERS if m.identifier in TECHNICIANS and not m.qbo_employee),
    "owners": tuple(m.identifier for m in MEMBERS if m.sf_user and not m.in_cw),
}
"""Values the world's config deliberately leaves unmapped (``employees``: technicians logging time with no
QBO employee; ``owners``: SF users with no CW member)."""


def _presence_key(systems: frozenset[str]) -> str:
    return "companies." + "+".join(s for s in SYSTEMS if s in systems)


def build_facts(bp: Blueprint, seeded: Seeded, *, cw: Store, qbo: Company, sf: Org) -> WorldFacts:
    """Summarise a seeded world from its blueprint, the ids written and the sandboxes' tables."""
    today = bp.today
    counts: dict[str, int] = {"companies": len(bp.businesses)}
    for b in bp.businesses:
        key = _presence_key(b.systems)
        counts[key] = counts.get(key, 0) + 1
    for name, table in cw.data.items():
        if table:
            counts[f"{CW}.{name}"] = len(table)
    for entity, rows in qbo.data.items():
        if rows:
            counts[f"{QBO}.{entity}"] = len(rows)
    for name, rows in sf.data.items():
        live = sum(1 for r in rows.values() if not r.get("IsDeleted"))
        if live:
            counts[f"{SF}.{sf.objects[name].name}"] = live
    for cycle in CYCLES:
        counts[f"agreements.{cycle.lower()}"] = 0
    windows = {
        "ending_in_0_30_days": (0, 30),
        "ending_in_31_60_days": (30, 60),
        "ending_in_61_90_days": (60, 90),
    }
    ending: dict[str, int | None] = dict.fromkeys(windows)
    for window in windows:
        counts[f"agreements.{window}"] = 0
    for kind in ("invoices.overdue", "tickets.escalated", "time_entries.billable_approved"):
        counts[kind] = 0
    counts["time_entries.non_billable"] = 0
    overdue: int | None = None
    escalated: int | None = None
    for b in bp.businesses:
        for a, plan in enumerate(b.agreements):
            counts[f"agreements.{plan.cycle.lower()}"] += 1
            if plan.end is None or plan.cancelled:
                continue
            for window, (low, high) in windows.items():
                if today + timedelta(days=low) < plan.end <= today + timedelta(days=high):
                    counts[f"agreements.{window}"] += 1
                    if ending[window] is None:
                        ending[window] = seeded.cw_agreements[b.key][a]
        for t, ticket in enumerate(b.tickets):
            if ticket.status == "Escalated":
                counts["tickets.escalated"] += 1
                escalated = escalated if escalated is not None else seeded.cw_tickets[b.key][t]
            for entry in ticket.time:
                if not entry.billable:
                    counts["time_entries.non_billable"] += 1
                elif entry.status in {"ApprovedByTierTwo", "Billed"}:
                    counts["time_entries.billable_approved"] += 1
        paid_in_qbo = {i for p in b.payments for i, _ in p.allocations}
        for i, inv in enumerate(b.invoices):
            if inv.in_cw and not inv.cw_paid and inv.due < today:
                counts["invoices.overdue"] += 1
                if overdue is None and i not in paid_in_qbo:
                    overdue = seeded.cw_invoices[b.key][i]
    partial, multi, multi_invoices = _payments(bp, seeded, counts)
    closed_won = _closed_won(bp, seeded, counts)
    qualified, converted = _leads(bp, seeded, counts)
    pairs = _pairs(bp, seeded)
    counts["ambiguous_pairs"] = len(pairs)
    return WorldFacts(
        seed=bp.seed,
        size=len(bp.businesses),
        today=today,
        counts=counts,
        companies=tuple(_company(b, seeded) for b in bp.businesses),
        ambiguous_pairs=pairs,
        closed_won_opportunity=closed_won,
        agreement_ending_in_30_days=ending["ending_in_0_30_days"],
        agreement_ending_in_60_days=ending["ending_in_31_60_days"],
        agreement_ending_in_90_days=ending["ending_in_61_90_days"],
        overdue_invoice=overdue,
        escalated_ticket=escalated,
        partial_payment=partial,
        multi_invoice_payment=multi,
        multi_invoice_payment_invoices=multi_invoices,
        qualified_lead=qualified,
        converted_lead=converted,
        unmapped=dict(UNMAPPED),
    )


def _company(b: Business, seeded: Seeded) -> CompanyFacts:
    ids: dict[str, str] = {}
    if b.key in seeded.cw_company:
        ids[CW] = str(seeded.cw_company[b.key])
    if b.key in seeded.qbo_customer:
        ids[QBO] = seeded.qbo_customer[b.key]
    if b.key in seeded.sf_account:
        ids[SF] = seeded.sf_account[b.key]
    return CompanyFacts(
        key=b.key,
        names=dict(b.names),
        ids=ids,
        billing_email=b.billing_email,
        qbo_email=b.qbo_email if QBO in b.systems else None,
        contact_emails=tuple(p.email for p in b.people),
        sf_contact_emails=tuple(p.sf_email for p in b.people) if SF in b.systems else (),
        twin_of=b.twin_of,
    )


def _payments(
    bp: Blueprint, seeded: Seeded, counts: dict[str, int]
) -> tuple[str | None, str | None, tuple[str, ...]]:
    counts["payments.partial"] = counts["payments.multi_invoice"] = 0
    partial: str | None = None
    multi: str | None = None
    multi_invoices: tuple[str, ...] = ()
    for b in bp.businesses:
        for p, payment in enumerate(b.payments):
            payment_id = seeded.qbo_payments[b.key][p]
            if len(payment.allocations) > 1:
                counts["payments.multi_invoice"] += 1
                if multi is None:
                    multi = payment_id
                    multi_invoices = tuple(str(seeded.qbo_invoices[b.key][i]) for i, _ in payment.allocations)
            elif any(amount < b.invoice_total(i) for i, amount in payment.allocations):
                counts["payments.partial"] += 1
                partial = partial if partial is not None else payment_id
    return partial, multi, multi_invoices


def _closed_won(bp: Blueprint, seeded: Seeded, counts: dict[str, int]) -> str | None:
    counts["opportunities.closed_won_without_company"] = 0
    found: str | None = None
    for b in bp.businesses:
        if CW in b.systems:
            continue
        for o, opp in enumerate(b.opportunities):
            if opp.stage == "Closed Won":
                counts["opportunities.closed_won_without_company"] += 1
                found = found if found is not None else seeded.sf_opportunities[b.key][o]
    return found


def _leads(bp: Blueprint, seeded: Seeded, counts: dict[str, int]) -> tuple[str | None, str | None]:
    qualified = [seeded.sf_leads[i] for i, lead in enumerate(bp.leads) if lead.status == "Qualified"]
    converted = [seeded.sf_leads[i] for i, lead in enumerate(bp.leads) if lead.converted_to is not None]
    counts["leads.qualified"], counts["leads.converted"] = len(qualified), len(converted)
    return (qualified[0] if qualified else None), (converted[0] if converted else None)


def _pairs(bp: Blueprint, seeded: Seeded) -> tuple[AmbiguousPair, ...]:
    pairs = []
    for b in bp.businesses:
        if b.twin_of is None:
            continue
        source = bp.businesses[b.twin_of]
        system = QBO if QBO in b.systems else SF
        ids = seeded.qbo_customer if system == QBO else seeded.sf_account
        pairs.append(
            AmbiguousPair(
                system=system,
                source_id=str(seeded.cw_company[source.key]),
                candidates=(ids[source.key], ids[b.key]),
                normalised_name=normal_form(source.names[CW]),
            )
        )
    return tuple(pairs)
