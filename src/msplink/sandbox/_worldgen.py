"""The blueprint of a seeded MSP world: who the customers are and what each system knows of them.

Pure and deterministic (one ``random.Random(seed)``): no sandbox, no I/O. ``_worldseed`` writes a
blueprint into the three sandboxes. Every date is relative to ``today``.

The setup tables (terms, tax codes, catalog, work types, members) are shared by all worlds; the
businesses vary with the seed and the size.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

import attrs

from msplink.sandbox._worldtables import (
    ACCOUNT_MANAGERS,
    AGREEMENT_TYPES,
    BILLING_TERMS,
    CATALOG,
    CATALOG_BY_SKU,
    CITIES,
    CW,
    CYCLE_MONTHS,
    CYCLE_ROTATION,
    FIRST_NAMES,
    INDUSTRY_WORDS,
    ISSUES,
    LAST_NAMES,
    PLACES,
    PRIORITIES,
    QBO,
    SF,
    STREETS,
    SUFFIXES,
    SYSTEMS,
    TAILS,
    TAX_CODES,
    TECHNICIANS,
    TICKET_STATUSES,
    TITLES,
    TRADES,
    WORK_TYPES,
)

__all__ = [
    "SIZES",
    "STYLES",
    "AgreementPlan",
    "Blueprint",
    "Business",
    "InvoicePlan",
    "LeadPlan",
    "OpportunityPlan",
    "PaymentPlan",
    "Person",
    "TicketPlan",
    "TimePlan",
    "company_count",
    "normal_form",
    "plan_world",
    "variant",
]


SIZES: dict[str, int] = {"small": 40, "medium": 400, "large": 4000}
"""Companies per size preset."""

CENT = Decimal("0.01")


# ------------------------------------------------------------------------------------- the plans


@attrs.frozen(kw_only=True)
class Person:
    """A contact at a customer; ``sf_email`` is how Salesforce spells the same address."""

    first: str
    last: str
    title: str
    email: str
    sf_email: str
    phone: str


@attrs.frozen(kw_only=True)
class TimePlan:
    """A time entry on a ticket."""

    member: str
    work_type: str
    start: datetime
    hours: Decimal
    rate: Decimal
    billable: bool
    status: str
    invoice: int | None = None  # index into the business's invoices when billed


@attrs.frozen(kw_only=True)
class TicketPlan:
    """A service ticket and its time."""

    summary: str
    priority: str
    status: str
    escalation_level: int
    contact: int
    entered: datetime
    time: tuple[TimePlan, ...]
    sf_case: bool = False


@attrs.frozen(kw_only=True)
class AgreementPlan:
    """A CW agreement; ``additions`` are ``(sku, quantity)``."""

    name: str
    type: str
    cycle: str
    start: date
    end: date | None
    additions: tuple[tuple[str, Decimal], ...]
    cancelled: bool = False

    @property
    def months(self) -> int:
        """Months per billing cycle (one-time: 1)."""
        return CYCLE_MONTHS[self.cycle]

    @property
    def per_cycle(self) -> Decimal:
        """What the agreement bills per cycle: its additions at their per-cycle prices (a catalog price is
        per month, so a quarterly addition costs three months). The agreement's own ``billAmount`` is 0:
        ConnectWise bills ``billAmount`` *plus* every addition, each addition one invoice line."""
        return sum((CATALOG_BY_SKU[s].price * q * self.months for s, q in self.additions), Decimal(0))


@attrs.frozen(kw_only=True)
class InvoicePlan:
    """An invoice: CW (and exported to QBO) or QBO only; ``products`` are ``(sku, quantity)``."""

    number: str
    kind: str  # "Agreement" or "Standard"
    issued: date
    due: date
    products: tuple[tuple[str, Decimal], ...]
    time: tuple[tuple[int, int], ...]  # (ticket index, entry index)
    agreement: int | None = None
    in_cw: bool = True
    in_qbo: bool = False
    cw_paid: bool = False


@attrs.frozen(kw_only=True)
class PaymentPlan:
    """A QBO payment: ``allocations`` are ``(invoice index, amount)``."""

    paid_on: date
    allocations: tuple[tuple[int, Decimal], ...]
    method: str = "Check"

    @property
    def total(self) -> Decimal:
        """The payment's total."""
        return sum((a for _, a in self.allocations), Decimal(0))


@attrs.frozen(kw_only=True)
class OpportunityPlan:
    """A Salesforce opportunity."""

    name: str
    stage: str
    close: date
    amount: Decimal
    type: str


@attrs.frozen(kw_only=True)
class LeadPlan:
    """A Salesforce lead; ``converted_to`` is the business (key) it became."""

    first: str
    last: str
    company: str
    email: str
    status: str
    rating: str | None
    owner: str
    converted_to: int | None = None


@attrs.frozen(kw_only=True)
class Business:
    """One customer of the MSP and how each system spells it.

    ``names`` holds the name in each system the business is in; ``twin_of`` names the business
    whose normalised name this one deliberately shares (an ambiguous pair).
    """

    key: int
    names: dict[str, str]
    identifier: str
    domain: str
    billing_email: str
    qbo_email: str
    phone: str
    street: str
    city: str
    state: str
    zip: str
    terms: str
    tax_code: str
    industry: str
    employees: int
    owner: str
    sf_linked: bool
    people: tuple[Person, ...]
    agreements: tuple[AgreementPlan, ...] = ()
    tickets: tuple[TicketPlan, ...] = ()
    invoices: tuple[InvoicePlan, ...] = ()
    payments: tuple[PaymentPlan, ...] = ()
    opportunities: tuple[OpportunityPlan, ...] = ()
    twin_of: int | None = None

    @property
    def systems(self) -> frozenset[str]:
        """The systems holding this business."""
        return frozenset(self.names)

    def invoice_total(self, index: int) -> Decimal:
        """Subtotal (= total, no sales tax) of one of the business's invoices."""
        plan = self.invoices[index]
        total = sum((CATALOG_BY_SKU[s].price * q for s, q in plan.products), Decimal(0))
        for t, e in plan.time:
            entry = self.tickets[t].time[e]
            total += entry.hours * entry.rate
        return total.quantize(CENT)


@attrs.frozen(kw_only=True)
class Blueprint:
    """A whole world: its clock, its businesses and its leads."""

    seed: int
    now: datetime
    businesses: tuple[Business, ...]
    leads: tuple[LeadPlan, ...]

    @property
    def today(self) -> date:
        """The world's today (UTC)."""
        return self.now.date()


def company_count(size: str | int) -> int:
    """Companies in a world of ``size`` (``small``/``medium``/``large`` or a positive int).

    Raises:
        ValueError: Unknown preset or a count below 1.
    """
    if isinstance(size, bool):
        raise ValueError("size must be 'small', 'medium', 'large' or a positive int")
    if isinstance(size, int):
        if size < 1:
            raise ValueError(f"size must be at least 1 company, got {size}")
        return size
    if size not in SIZES:
        raise ValueError(f"unknown size {size!r}; expected one of {sorted(SIZES)} or an int")
    return SIZES[size]


# ------------------------------------------------------------------------------------- planning


_MIX: tuple[tuple[frozenset[str], float, int], ...] = (
    (frozenset({CW, QBO}), 0.20, 2),
    (frozenset({CW, SF}), 0.12, 2),
    (frozenset({QBO, SF}), 0.03, 0),
    (frozenset({CW}), 0.08, 1),
    (frozenset({QBO}), 0.06, 2),
    (frozenset({SF}), 0.06, 3),
)
"""Presence mix (systems, share, minimum); the rest of the companies are in all three."""


def _presence(n: int, rng: random.Random) -> list[frozenset[str]]:
    plan: list[frozenset[str]] = []
    for systems, share, minimum in _MIX:
        want = max(minimum, round(n * share)) if n >= 12 else (1 if minimum and n >= 6 else 0)
        plan.extend([systems] * want)
    plan = plan[:n]
    plan.extend([frozenset(SYSTEMS)] * (n - len(plan)))
    rng.shuffle(plan)
    return plan


def normal_form(name: str) -> str:
    """A company name as a matcher compares it: case, punctuation, ``&``/``and`` and legal suffixes ignored."""
    text = name.casefold().replace("&", " and ")
    text = re.sub(r"[.,'\u2019]", "", text)
    words = text.split()
    while words and words[-1] in {"inc", "llc", "ltd", "corp", "co", "incorporated", "limited"}:
        words.pop()
    return " ".join(words)


def variant(base: str, suffix: str, style: str) -> str:
    """How another system spells ``base`` + ``suffix`` (same company, same normal form)."""
    full = f"{base} {suffix}".strip()
    if style == "upper":
        return full.upper()
    if style == "lower":
        return full.lower()
    if style == "comma" and suffix:
        return f"{base}, {suffix}"
    if style == "dots" and suffix:
        dotted = {"LLC": "L.L.C.", "Inc.": "Inc", "Ltd": "Ltd.", "Corp.": "Corp"}.get(suffix, suffix)
        return f"{base} {dotted}"
    if style == "bare":
        return base
    if style == "amp" and ("&" in base or " and " in base):
        swapped = base.replace(" & ", " and ") if "&" in base else base.replace(" and ", " & ")
        return f"{swapped} {suffix}".strip()
    return full


STYLES = ("same", "upper", "comma", "dots", "bare", "amp", "lower", "same", "comma", "bare")


class _Planner:
    def __init__(self, n: int, seed: int, now: datetime) -> None:
        self.n = n
        self.rng = random.Random(seed)
        self.now = now
        self.today = now.date()
        self.seen_names: set[str] = set()
        self.identifiers: set[str] = set()
        self.invoice_seq = 0
        self.qbo_seq = 0
        self.agreement_seq = 0
        self.recurring_seq = 0
        self.ticket_seq = 0

    def days_ago(self, low: int, high: int) -> date:
        return self.today - timedelta(days=self.rng.randint(low, high))

    def moment(self, day: date) -> datetime:
        """A working-hours moment of ``day``, never after the world's now."""
        minute = self.rng.choice((0, 15, 30, 45))
        moment = datetime.combine(day, time(self.rng.randint(8, 17), minute), tzinfo=timezone.utc)
        return min(moment, self.now - timedelta(hours=3))

    def name(self) -> str:
        rng = self.rng
        for attempt in range(50):
            base = f"{rng.choice(PLACES)} {rng.choice(TRADES)}"
            if attempt >= 3:
                base = f"{base} {rng.choice(TAILS)}"
            if normal_form(base) not in self.seen_names:
                self.seen_names.add(normal_form(base))
                return base
        base = f"{rng.choice(PLACES)} {rng.choice(TRADES)} {len(self.seen_names) + 1}"
        self.seen_names.add(normal_form(base))
        return base

    def identifier(self, base: str) -> str:
        stem = re.sub(r"[^A-Za-z0-9]", "", base)[:24] or "Company"
        candidate, k = stem, 1
        while candidate.lower() in self.identifiers:
            k += 1
            candidate = f"{stem}{k}"
        self.identifiers.add(candidate.lower())
        return candidate

    def person(self, domain: str, used: set[str]) -> Person:
        rng = self.rng
        while True:
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            local = (
                re.sub(r"[^a-z]", "", _ascii(first).lower())
                + "."
                + re.sub(r"[^a-z]", "", _ascii(last).lower())
            )
            if local not in used:
                used.add(local)
                break
        email = f"{local}@{domain}"
        sf_email = (
            email if rng.random() < 0.75 else f"{_ascii(first)}.{_ascii(last).replace(chr(39), '')}@{domain}"
        )
        phone = f"+1 555 {rng.randint(200, 999)} {rng.randint(1000, 9999)}"
        return Person(
            first=first, last=last, title=rng.choice(TITLES), email=email, sf_email=sf_email, phone=phone
        )

    def business(self, key: int, systems: frozenset[str]) -> Business:
        rng = self.rng
        base = self.name()
        suffix = rng.choice(SUFFIXES)
        canonical = f"{base} {suffix}".strip()
        names = {}
        for system in SYSTEMS:
            if system in systems:
                style = "same" if system == CW else rng.choice(STYLES)
                names[system] = canonical if system == CW else variant(base, suffix, style)
        slug = re.sub(r"[^a-z0-9]", "", _ascii(base).lower())
        domain = f"{slug}{key}.example"
        city, state, zip3 = rng.choice(CITIES)
        used: set[str] = set()
        people = tuple(self.person(domain, used) for _ in range(rng.randint(1, 3)))
        billing = f"billing@{domain}"
        qbo_email = (
            billing if rng.random() < 0.8 else billing.upper() if rng.random() < 0.5 else f"Billing@{domain}"
        )
        terms = BILLING_TERMS[0][0] if rng.random() < 0.55 else rng.choice([t[0] for t in BILLING_TERMS])
        tax = TAX_CODES[1][0] if rng.random() < 0.6 else rng.choice([t[0] for t in TAX_CODES])
        industry = next(
            (v for k, v in INDUSTRY_WORDS.items() if k in base), rng.choice(("Retail", "Other", "Technology"))
        )
        return Business(
            key=key,
            names=names,
            identifier=self.identifier(base),
            domain=domain,
            billing_email=billing,
            qbo_email=qbo_email,
            phone=f"+1 555 {rng.randint(200, 999)} {rng.randint(1000, 9999)}",
            street=f"{rng.randint(10, 9999)} {rng.choice(STREETS)}",
            city=city,
            state=state,
            zip=f"{zip3}{rng.randint(10, 99)}",
            terms=terms,
            tax_code=tax,
            industry=industry,
            employees=rng.randint(4, 400),
            owner=rng.choice(ACCOUNT_MANAGERS)
            if SF not in systems or CW in systems
            else rng.choice(("gsilva", *ACCOUNT_MANAGERS)),
            sf_linked=CW in systems and SF in systems and rng.random() < 0.4,
            people=people,
        )

    # ---- ConnectWise side

    def agreements(self) -> tuple[AgreementPlan, ...]:
        """One or two agreements; cycles rotate through the world, and the first recurring agreements
        rotate through ending within 30, 60 and 90 days, later, and never."""
        rng = self.rng
        out = []
        for j in range(1 + (rng.random() < 0.35)):
            cycle = CYCLE_ROTATION[self.agreement_seq % len(CYCLE_ROTATION)]
            self.agreement_seq += 1
            kind = "Project" if cycle == "One-Time" else rng.choice(AGREEMENT_TYPES[:3])
            start = self.days_ago(60, 900)
            if cycle == "One-Time":
                additions: tuple[tuple[str, Decimal], ...] = (("SETUP-KIT", Decimal(rng.randint(1, 4))),)
                end: date | None = start + timedelta(days=rng.randint(30, 120))
            else:
                pool = [c.sku for c in CATALOG if c.recurring]
                skus = rng.sample(pool, 2)
                additions = tuple((s, Decimal(rng.randint(2, 40))) for s in skus)
                horizon = self.recurring_seq % 10 if j == 0 else 9
                self.recurring_seq += j == 0
                if horizon in (0, 1, 2):  # ending within 30, 60, 90 days
                    end = self.today + timedelta(days=rng.randint(30 * horizon + 1, 30 * horizon + 29))
                elif horizon in (3, 4):
                    end = self.today + timedelta(days=rng.randint(120, 700))
                else:
                    end = None
            out.append(
                AgreementPlan(
                    name=f"{kind} {cycle.lower()}",
                    type=kind,
                    cycle=cycle,
                    start=start,
                    end=end,
                    additions=additions,
                    cancelled=cycle != "One-Time" and rng.random() < 0.04,
                )
            )
        return tuple(out)

    def tickets(self, people: int) -> tuple[TicketPlan, ...]:
        """One to three tickets (every seventh of the world escalated), each with one to three time entries."""
        rng = self.rng
        out = []
        for _ in range(rng.randint(1, 3)):
            entered_day = self.days_ago(0, 60)
            escalated = self.ticket_seq % 7 == 0
            self.ticket_seq += 1
            priority = PRIORITIES[1] if escalated else rng.choice(PRIORITIES)
            status = "Escalated" if escalated else rng.choice((*TICKET_STATUSES[:3], "Closed", "Closed"))
            entries = []
            for _ in range(rng.randint(1, 3)):
                work_type, rate, _mapped = (
                    rng.choice(WORK_TYPES[:3]) if rng.random() < 0.85 else WORK_TYPES[3]
                )
                billable = rate > 0 and rng.random() < 0.8
                day = min(self.today, entered_day + timedelta(days=rng.randint(0, 5)))
                status_time = rng.choice(
                    ("ApprovedByTierTwo", "ApprovedByTierTwo", "ApprovedByTierOne", "Open")
                )
                entries.append(
                    TimePlan(
                        member=rng.choice(TECHNICIANS),
                        work_type=work_type,
                        start=self.moment(day),
                        hours=Decimal(rng.choice((25, 50, 75, 100, 150, 200))) / 100,
                        rate=rate,
                        billable=billable,
                        status=status_time,
                    )
                )
            out.append(
                TicketPlan(
                    summary=rng.choice(ISSUES),
                    priority=priority,
                    status=status,
                    escalation_level=rng.randint(1, 2) if escalated else 0,
                    contact=rng.randrange(people),
                    entered=self.moment(entered_day),
                    time=tuple(entries),
                )
            )
        return tuple(out)

    def due(self, issued: date, terms: str) -> date:
        days = next(d for name, d, _ in BILLING_TERMS if name == terms)
        return issued + timedelta(days=days)

    def settle(self, plan: InvoicePlan, in_qbo: bool) -> InvoicePlan:
        """Export invoices 20 days old to QBO (when the business is there); mark most of those a few days
        past due as paid (in CW, and in QBO by :meth:`payments`)."""
        exported = in_qbo and (self.today - plan.issued).days >= 20
        late = (self.today - plan.due).days >= 3
        paid = late and (exported or not in_qbo) and self.rng.random() < 0.7
        return attrs.evolve(plan, in_qbo=exported, cw_paid=paid)

    def number(self) -> str:
        self.invoice_seq += 1
        return f"INV-{self.invoice_seq:06d}"

    def invoices(self, b: Business) -> tuple[tuple[InvoicePlan, ...], tuple[TicketPlan, ...]]:
        """CW invoices (agreement invoices with additions; a standard one billing older approved time and
        hardware), the older ones exported to QBO when the business is there."""
        rng = self.rng
        in_qbo = QBO in b.systems
        plans: list[InvoicePlan] = []
        for a, agreement in enumerate(b.agreements):
            if agreement.cancelled:
                continue
            months = CYCLE_MONTHS[agreement.cycle]
            issues = [self.days_ago(1, 27)]
            if agreement.cycle == "Monthly":
                issues.insert(0, issues[0] - timedelta(days=30))
            if agreement.cycle == "One-Time":
                issues = [max(agreement.start, self.today - timedelta(days=80))]
            for issued in issues:
                plans.append(
                    self.settle(
                        InvoicePlan(
                            number=self.number(),
                            kind="Agreement",
                            issued=issued,
                            due=self.due(issued, b.terms),
                            products=tuple((s, q * months) for s, q in agreement.additions),
                            time=(),
                            agreement=a,
                        ),
                        in_qbo,
                    )
                )
        tickets = list(b.tickets)
        billed: list[tuple[int, int]] = []
        for t, ticket in enumerate(tickets):
            if (self.today - ticket.entered.date()).days < 14:
                continue
            for e, entry in enumerate(ticket.time):
                if entry.billable and entry.status == "ApprovedByTierTwo":
                    billed.append((t, e))
        hardware = rng.random() < 0.4
        if billed or hardware:
            issued = self.days_ago(8, 40)
            index = len(plans)
            products = (
                (
                    rng.choice(("LAPTOP-STD", "SWITCH-24", "DOCK-USBC", "SETUP-KIT")),
                    Decimal(rng.randint(1, 3)),
                ),
            )
            plans.append(
                self.settle(
                    InvoicePlan(
                        number=self.number(),
                        kind="Standard",
                        issued=issued,
                        due=self.due(issued, b.terms),
                        products=products if hardware else (),
                        time=tuple(billed),
                    ),
                    in_qbo,
                )
            )
            for t, e in billed:
                entries = list(tickets[t].time)
                entries[e] = attrs.evolve(entries[e], status="Billed", invoice=index)
                tickets[t] = attrs.evolve(tickets[t], time=tuple(entries))
        return tuple(plans), tuple(tickets)

    # ---- QuickBooks side

    def qbo_invoices(self, b: Business) -> tuple[InvoicePlan, ...]:
        rng = self.rng
        out = []
        for _ in range(rng.randint(1, 3)):
            self.qbo_seq += 1
            issued = self.days_ago(5, 75)
            items = [c.sku for c in CATALOG if c.mapped]
            products = tuple((s, Decimal(rng.randint(1, 6))) for s in rng.sample(items, rng.randint(1, 2)))
            out.append(
                InvoicePlan(
                    number=f"Q-{self.qbo_seq:05d}",
                    kind="Standard",
                    issued=issued,
                    due=self.due(issued, b.terms if b.terms != "Net 45 days" else "Net 30 days"),
                    products=products,
                    time=(),
                    in_cw=False,
                    in_qbo=True,
                )
            )
        return tuple(out)

    def payments(self, b: Business, pattern: int) -> tuple[PaymentPlan, ...]:
        """QBO payments: one per invoice CW already shows paid (recorded in QBO, synced back long ago);
        then on the open ones, by ``pattern``: 0 full, 1 partial, 2 one payment across several invoices,
        3 and above none."""
        exported = [i for i, inv in enumerate(b.invoices) if inv.in_qbo]
        done = [
            PaymentPlan(
                paid_on=b.invoices[i].issued + timedelta(days=20), allocations=((i, b.invoice_total(i)),)
            )
            for i in exported
            if b.invoices[i].cw_paid
        ]
        open_ = [i for i in exported if not b.invoices[i].cw_paid]
        if not open_:
            return tuple(done)
        paid_on = self.days_ago(0, 10)
        if pattern == 2 and len(open_) >= 2:
            chosen = open_[: min(3, len(open_))]
            done.append(
                PaymentPlan(paid_on=paid_on, allocations=tuple((i, b.invoice_total(i)) for i in chosen))
            )
        elif pattern in (1, 2):
            half = (b.invoice_total(open_[0]) / 2).quantize(CENT)
            done.append(PaymentPlan(paid_on=paid_on, allocations=((open_[0], half),), method="Credit Card"))
        elif pattern == 0:
            done.append(PaymentPlan(paid_on=paid_on, allocations=((open_[0], b.invoice_total(open_[0])),)))
        return tuple(done)

    # ---- Salesforce side

    def opportunities(self, b: Business, closed_won: bool) -> tuple[OpportunityPlan, ...]:
        rng = self.rng
        out = []
        stages = (
            "Prospecting",
            "Qualification",
            "Needs Analysis",
            "Proposal/Price Quote",
            "Negotiation/Review",
            "Closed Lost",
        )
        count = 1 if closed_won else rng.randint(0, 2)
        for k in range(count):
            stage = "Closed Won" if closed_won and k == 0 else rng.choice(stages)
            closed = stage.startswith("Closed")
            close = self.days_ago(1, 40) if closed else self.today + timedelta(days=rng.randint(5, 90))
            kind = (
                "New Customer"
                if CW not in b.systems
                else rng.choice(("Existing Customer - Upgrade", "Renewal"))
            )
            out.append(
                OpportunityPlan(
                    name=f"{b.names[SF]} - {'Managed services' if k == 0 else 'Hardware refresh'}",
                    stage=stage,
                    close=close,
                    amount=Decimal(rng.randint(20, 400) * 100),
                    type=kind,
                )
            )
        return tuple(out)

    def leads(self, businesses: Sequence[Business]) -> tuple[LeadPlan, ...]:
        rng = self.rng
        out = []
        converted = [
            b.key for b in businesses if SF in b.systems and CW not in b.systems and b.twin_of is None
        ]
        total = max(4, self.n // 4)
        statuses = ("Open - Not Contacted", "Working - Contacted", "Qualified", "Closed - Not Converted")
        for i in range(total):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            company = f"{rng.choice(PLACES)} {rng.choice(TRADES)} Prospect {i + 1}"
            target = converted[i // 3] if i % 3 == 1 and i // 3 < len(converted) else None
            status = "Closed - Converted" if target is not None else statuses[i % len(statuses)]
            if target is not None:
                company = businesses[target].names[SF]
            local = f"{_ascii(first)}.{_ascii(last)}{i}".lower().replace("'", "")
            out.append(
                LeadPlan(
                    first=first,
                    last=last,
                    company=company,
                    email=f"{local}@lead{i}.example",
                    status=status,
                    rating="Hot" if status == "Qualified" else rng.choice(("Warm", "Cold", None)),
                    owner=rng.choice(("gsilva", *ACCOUNT_MANAGERS)),
                    converted_to=target,
                )
            )
        return tuple(out)


def _ascii(text: str) -> str:
    table = str.maketrans({"é": "e", "í": "i", "ü": "u", "á": "a", "ó": "o", "ñ": "n"})
    return text.translate(table)


def _twins(planner: _Planner, businesses: list[Business]) -> None:
    """Rename a few single-system businesses so each shares its normalised name with a business that is
    in CW and that system (a genuinely ambiguous pair); their e-mails match nothing in CW."""
    pairs = max(2, planner.n // 100) if planner.n >= 12 else 0
    for k in range(pairs):
        system = QBO if k % 2 == 0 else SF
        singles = [b for b in businesses if b.systems == {system} and b.twin_of is None]
        sources = [
            b for b in businesses if {CW, system} <= b.systems and b.twin_of is None and not b.sf_linked
        ]
        taken = {b.twin_of for b in businesses if b.twin_of is not None}
        sources = [b for b in sources if b.key not in taken]
        if not singles or not sources:
            continue
        single, source = singles[0], sources[(k * 7) % len(sources)]
        base = re.sub(
            r"[,]?\s*(Inc\.?|LLC|L\.L\.C\.|Ltd\.?|Corp\.?)$", "", source.names[CW], flags=re.IGNORECASE
        )
        decoy_suffix = next(s for s in ("LLC", "Inc.", "Ltd") if not source.names[CW].endswith(s))
        businesses[single.key] = attrs.evolve(
            single, names={system: f"{base} {decoy_suffix}"}, twin_of=source.key
        )
        if system == QBO:  # the real QBO customer's e-mail must not resolve the pair either
            businesses[source.key] = attrs.evolve(source, qbo_email=f"accounts@{source.domain}")


def plan_world(n: int, seed: int, now: datetime) -> Blueprint:
    """Plan a world of ``n`` companies (deterministic for ``seed``; dates relative to ``now``)."""
    planner = _Planner(n, seed, now)
    presence = _presence(n, planner.rng)
    businesses = [planner.business(key, systems) for key, systems in enumerate(presence)]
    _twins(planner, businesses)
    closed_won_left = max(1, n // 30)
    payment_counter = 0
    for b in list(businesses):
        if CW in b.systems:
            b = attrs.evolve(b, agreements=planner.agreements(), tickets=planner.tickets(len(b.people)))
            invoices, tickets = planner.invoices(b)
            b = attrs.evolve(b, invoices=invoices, tickets=tickets)
            if SF in b.systems and b.sf_linked:
                b = attrs.evolve(
                    b, tickets=tuple(attrs.evolve(t, sf_case=t.status == "Escalated") for t in b.tickets)
                )
        elif QBO in b.systems:
            b = attrs.evolve(b, invoices=planner.qbo_invoices(b))
        if QBO in b.systems and b.twin_of is None:
            b = attrs.evolve(b, payments=planner.payments(b, payment_counter % 6))
            payment_counter += 1
        if SF in b.systems:
            won = CW not in b.systems and b.twin_of is None and closed_won_left > 0
            closed_won_left -= won
            b = attrs.evolve(b, opportunities=planner.opportunities(b, won))
        businesses[b.key] = b
    return Blueprint(seed=seed, now=now, businesses=tuple(businesses), leads=planner.leads(businesses))
