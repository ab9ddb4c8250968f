"""``reports.unified``: pipeline, service and billing side by side, one row per customer (use case 16).

A customer is one entity of the state store's identity map: the CW company, the QBO customer and the
SF account the recipes linked are one row; a record no recipe linked is a row of its own (so the
report is honest before the first sync too). What each column reads:

| column | from |
|---|---|
| ``open_pipeline``, ``open_opportunities`` | SF ``SELECT AccountId, SUM(Amount), COUNT(Id) FROM Opportunity WHERE IsClosed = false GROUP BY AccountId`` (one call) |
| ``won``, ``won_opportunities`` | the same aggregate over ``IsWon = true AND CloseDate >= as_of - window`` (one call) |
| ``open_tickets``, ``high_priority_tickets`` | CW ``GET /service/tickets`` (open, and closed within the window) |
| ``mean_time_to_resolve_hours``, ``resolved_tickets`` | the same tickets: ``closedDate`` minus ``dateEntered`` of tickets closed within the window |
| ``active_agreements``, ``mrr`` | CW active agreements and their additions (:meth:`~msplink.models.Agreement.mrr`) |
| ``cw_outstanding``, ``cw_overdue`` | CW ``GET /finance/invoices?conditions=balance > 0`` (overdue: due before ``as_of``) |
| ``qbo_balance`` | QBO customers' ``Balance`` |
| ``last_payment`` | the latest QBO payment's ``TxnDate`` |

Money keeps its currency: a customer's amounts in a second currency make a second row.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Final, TypeAlias, TypeVar, overload

import attrs

from msplink.errors import ConfigurationError
from msplink.mappers import MappingConfig, find_mapper
from msplink.models import Agreement, Customer, Invoice, Money, Payment, Ticket

__all__ = ["HIGH_PRIORITIES", "CustomerRow", "UnifiedReport", "inbound", "read_active_agreements", "unified"]

C = TypeVar("C")

HIGH_PRIORITIES: Final = ("Priority 1 - Emergency", "Priority 2 - High")
"""The CW ticket priorities counted as high (ConnectWise's default priority names)."""

_SYSTEMS: Final = (
    ("connectwise", "company"),
    ("quickbooks", "Customer"),
    ("salesforce", "Account"),
)

_MONEY_COLUMNS: Final = ("open_pipeline", "won", "mrr", "cw_outstanding", "cw_overdue", "qbo_balance")


@attrs.frozen(kw_only=True)
class CustomerRow:
    """One customer (one currency) across the three systems.

    Attributes:
        customer: The name (CW's, else Salesforce's, else QuickBooks').
        connectwise_id: The CW company id, when there is one.
        quickbooks_id: The QBO customer id, when there is one.
        salesforce_id: The SF account id, when there is one.
        currency: The ISO currency of every amount in the row.
        open_pipeline: The amount of open SF opportunities.
        open_opportunities: How many SF opportunities are open.
        won: The amount of SF opportunities won within the window (90 days by default).
        won_opportunities: How many were won within the window.
        open_tickets: Open CW service tickets.
        high_priority_tickets: Open CW tickets of a high priority.
        resolved_tickets: CW tickets closed within the window.
        mean_time_to_resolve_hours: Their mean hours from entered to closed (``None``: none closed).
        active_agreements: Active CW agreements with recurring revenue today.
        mrr: Their monthly recurring revenue.
        cw_outstanding: The open balance of CW invoices.
        cw_overdue: The part of it past due.
        qbo_balance: The QBO customer's open balance.
        last_payment: The date of the customer's latest QBO payment.
    """

    customer: str
    connectwise_id: str | None = None
    quickbooks_id: str | None = None
    salesforce_id: str | None = None
    currency: str
    open_pipeline: Money
    open_opportunities: int = 0
    won: Money
    won_opportunities: int = 0
    open_tickets: int = 0
    high_priority_tickets: int = 0
    resolved_tickets: int = 0
    mean_time_to_resolve_hours: Decimal | None = None
    active_agreements: int = 0
    mrr: Money
    cw_outstanding: Money
    cw_overdue: Money
    qbo_balance: Money
    last_payment: date | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dict (amounts as exact strings, dates ISO)."""
        out: dict[str, Any] = {}
        for field in attrs.fields(CustomerRow):
            value = getattr(self, field.name)
            if isinstance(value, Money):
                value = str(value.amount)
            elif isinstance(value, (Decimal, date)):
                value = str(value) if isinstance(value, Decimal) else value.isoformat()
            out[field.name] = value
        return out


@attrs.frozen(kw_only=True)
class UnifiedReport(Sequence[CustomerRow]):
    """The unified report: a sequence of :class:`CustomerRow` (sorted by customer, then currency).

    Attributes:
        as_of: The day of the figures.
        window_days: The look-back of ``won``, ``resolved_tickets`` and the time to resolve.
        systems: The systems read.
        rows: One row per customer and currency.
    """

    as_of: date
    window_days: int
    systems: tuple[str, ...]
    rows: tuple[CustomerRow, ...]

    @overload
    def __getitem__(self, index: int) -> CustomerRow: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[CustomerRow]: ...
    def __getitem__(self, index: int | slice) -> CustomerRow | Sequence[CustomerRow]:
        return self.rows[index]

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[CustomerRow]:
        return iter(self.rows)

    @property
    def currencies(self) -> tuple[str, ...]:
        """The currencies of the rows, sorted."""
        return tuple(sorted({r.currency for r in self.rows}))

    def totals(self, currency: str) -> dict[str, Money]:
        """The money columns added up over the rows in ``currency``."""
        rows = [r for r in self.rows if r.currency == currency]
        return {c: Money.sum((getattr(r, c) for r in rows), currency) for c in _MONEY_COLUMNS}

    def to_dicts(self) -> list[dict[str, Any]]:
        """One JSON-able dict per row."""
        return [r.to_dict() for r in self.rows]

    def to_pandas(self) -> Any:
        """One row per customer and currency (needs the ``pandas`` extra); amounts stay ``Decimal``."""
        import pandas as pd

        columns = [f.name for f in attrs.fields(CustomerRow)]
        rows = [
            {c: (v.amount if isinstance(v, Money) else v) for c, v in ((c, getattr(r, c)) for c in columns)}
            for r in self.rows
        ]
        return pd.DataFrame(rows, columns=columns)

    def __str__(self) -> str:
        head = (
            f"Unified report on {self.as_of.isoformat()} ({', '.join(self.systems)}; "
            f"{self.window_days}-day window): {len(self.rows)} customers"
        )
        lines = [head]
        header = (
            f"  {'customer':<34}{'pipeline':>12}{'won':>12}{'tickets':>8}{'high':>5}{'MTTR h':>8}"
            f"{'MRR':>11}{'CW open':>12}{'overdue':>12}{'QBO bal.':>12}  last paid"
        )
        lines.append(header)
        for r in self.rows[:25]:
            mttr = "-" if r.mean_time_to_resolve_hours is None else f"{r.mean_time_to_resolve_hours}"
            lines.append(
                f"  {r.customer[:33]:<34}{r.open_pipeline.amount:>12,.2f}{r.won.amount:>12,.2f}"
                f"{r.open_tickets:>8}{r.high_priority_tickets:>5}{mttr:>8}{r.mrr.amount:>11,.2f}"
                f"{r.cw_outstanding.amount:>12,.2f}{r.cw_overdue.amount:>12,.2f}"
                f"{r.qbo_balance.amount:>12,.2f}  {r.last_payment or '-'} {r.currency}"
            )
        if len(self.rows) > 25:
            lines.append(f"  ... {len(self.rows) - 25} more")
        for code in self.currencies:
            t = self.totals(code)
            lines.append(
                f"  {'total':<34}{t['open_pipeline'].amount:>12,.2f}{t['won'].amount:>12,.2f}"
                f"{'':>21}{t['mrr'].amount:>11,.2f}{t['cw_outstanding'].amount:>12,.2f}"
                f"{t['cw_overdue'].amount:>12,.2f}{t['qbo_balance'].amount:>12,.2f}  {code}"
            )
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        from msplink._core._display import html_table

        columns = [f.name for f in attrs.fields(CustomerRow)]
        rows = [[getattr(r, c) for c in columns] for r in self.rows[:50]]
        return html_table(columns, rows, caption=str(self).split("\n", 1)[0], more=len(self.rows) - 50)


# ------------------------------------------------------------------------------------------ joining


class _Entities:
    """Union-find over ``(system, id)`` nodes: the identity map's links make one customer of several."""

    def __init__(self) -> None:
        self.parent: dict[tuple[str, str], tuple[str, str]] = {}
        self.names: dict[tuple[str, str], str] = {}

    def add(self, node: tuple[str, str], name: str | None = None) -> None:
        self.parent.setdefault(node, node)
        if name:
            self.names.setdefault(node, name)

    def root(self, node: tuple[str, str]) -> tuple[str, str]:
        self.add(node)
        while self.parent[node] != node:
            self.parent[node] = self.parent[self.parent[node]]
            node = self.parent[node]
        return node

    def link(self, a: tuple[str, str], b: tuple[str, str]) -> None:
        ra, rb = self.root(a), self.root(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def groups(self) -> dict[tuple[str, str], list[tuple[str, str]]]:
        out: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for node in list(self.parent):
            out.setdefault(self.root(node), []).append(node)
        return out


@attrs.define
class _Acc:
    pipeline: Decimal = Decimal(0)
    open_opportunities: int = 0
    won: Decimal = Decimal(0)
    won_opportunities: int = 0
    open_tickets: int = 0
    high: int = 0
    resolve_hours: list[Decimal] = attrs.Factory(list)
    agreements: int = 0
    mrr: Decimal = Decimal(0)
    outstanding: Decimal = Decimal(0)
    overdue: Decimal = Decimal(0)
    balance: Decimal = Decimal(0)
    last_payment: date | None = None

    def add(self, kind: str, value: Any) -> None:
        """Count one fact (see :func:`unified`'s reads) into the customer's figures."""
        if kind == "open_ticket":
            self.open_tickets += 1
            self.high += bool(value)
        elif kind == "resolved":
            self.resolve_hours.append(value)
        elif kind == "agreement":
            self.agreements += 1
            self.mrr += value
        elif kind == "invoice":
            amount, overdue = value
            self.outstanding += amount
            self.overdue += amount if overdue else Decimal(0)
        elif kind == "balance":
            self.balance += value
        elif kind == "payment":
            self.last_payment = _later(self.last_payment, value)
        elif kind == "pipeline":
            self.pipeline += value[0]
            self.open_opportunities += value[1]
        else:  # won
            self.won += value[0]
            self.won_opportunities += value[1]


_Fact: TypeAlias = tuple[tuple[str, str], str | None, str, Any]
"""``(node, currency or None for the customer's own, kind, value)``: one figure read for a record."""


def inbound(system: str, object: str, canonical: type[C]) -> Callable[..., C]:
    """The ``to_canonical`` function of a mapper of :data:`msplink.mappers.MAPPERS`.

    Raises:
        ConfigurationError: No such mapper, or it maps outbound only.
    """
    convert = find_mapper(system, object, canonical).to_canonical
    if convert is None:
        raise ConfigurationError(f"the {system} {object!r} mapper does not read {canonical.__name__}")
    return convert


def _decimal(value: Any) -> Decimal:
    return Decimal(str(value)) if value is not None else Decimal(0)


def _mean_hours(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.1"))


def _later(a: date | None, b: date | None) -> date | None:
    return b if a is None else a if b is None else max(a, b)


def read_active_agreements(cw: Any, config: MappingConfig | None = None) -> list[Agreement]:
    """Active CW agreements with their additions, as canonical agreements.

    ``GET /finance/agreements?conditions=agreementStatus="Active"``, then
    ``GET /finance/agreements/{id}/additions`` per agreement (ConnectWise has no bulk additions read).
    """
    row = inbound("connectwise", "agreement", Agreement)
    out = []
    for wire in cw.agreements.list(where='agreementStatus = "Active"'):
        additions = cw.agreements.additions(int(wire.id)).list().to_list()
        out.append(row(wire, config, additions=additions))
    return out


def unified(
    *,
    cw: Any,
    qbo: Any = None,
    sf: Any = None,
    state: Any = None,
    config: MappingConfig | None = None,
    as_of: date | None = None,
    window_days: int = 90,
    high_priorities: Collection[str] = HIGH_PRIORITIES,
    agreements: Iterable[Agreement] | None = None,
) -> UnifiedReport:
    """Pipeline, service and billing per customer, joined through the identity map.

    Nothing is written. Reads (sync clients): CW companies (``fields=id,name``), tickets open or closed
    within the window, open invoices, active agreements with their additions (unless ``agreements``
    are given); QBO customers and payments; SF accounts and two ``GROUP BY AccountId`` aggregates of
    opportunities (``SUM(Amount)``, ``COUNT(Id)``) instead of reading every opportunity.

    Args:
        cw: A ``ConnectWiseClient``.
        qbo: A ``QuickBooksClient`` (``None``: no QBO columns).
        sf: A ``SalesforceClient`` (``None``: no pipeline columns).
        state: The state store the recipes use; its identity map joins the systems (``None``: every
            record is its own row).
        config: The ``MappingConfig`` (its ``default_currency`` is the currency of rows without
            money of their own; USD without a config).
        as_of: The day of the figures (default: today, UTC).
        window_days: The look-back of won opportunities and resolved tickets.
        high_priorities: CW priority names counted as high (compared without case).
        agreements: Canonical agreements already read (e.g. for :func:`msplink.sync.reports.mrr`),
            to save their reads.

    Returns:
        The :class:`UnifiedReport`: a sequence of typed rows; ``to_pandas()`` gives the DataFrame.

    Raises:
        ValueError: ``window_days`` below 1.
    """
    if window_days < 1:
        raise ValueError("window_days must be at least 1")
    day = as_of or datetime.now(timezone.utc).date()
    since = day - timedelta(days=window_days)
    default_currency = config.default_currency if config is not None else "USD"
    high = {p.casefold() for p in high_priorities}
    entities = _Entities()
    primary: dict[tuple[str, str], str] = {}  # node -> its own currency (QBO customer currency)
    facts: list[_Fact] = []
    systems = ["connectwise"]

    def fact(node: tuple[str, str], currency: str | None, kind: str, value: Any) -> None:
        entities.add(node)
        facts.append((node, currency, kind, value))

    # ConnectWise: companies, tickets, agreements, open invoices.
    for company in cw.companies.list(fields=["id", "name"]):
        entities.add(("connectwise", str(company.id)), company.name)
    ticket_row = inbound("connectwise", "ticket", Ticket)
    where = f"closedFlag = false or closedDate >= [{since.isoformat()}T00:00:00Z]"
    for wire in cw.tickets.list(where=where):
        ticket = ticket_row(wire, config)
        company = ticket.customer.id_for("connectwise") if ticket.customer else None
        if company is None:
            continue
        if not ticket.closed:
            fact(("connectwise", company), None, "open_ticket", (ticket.priority or "").casefold() in high)
        elif ticket.closed_at and ticket.opened_at and ticket.closed_at.date() >= since:
            hours = Decimal((ticket.closed_at - ticket.opened_at).total_seconds()) / 3600
            fact(("connectwise", company), None, "resolved", hours)
    for agreement in agreements if agreements is not None else read_active_agreements(cw, config):
        value = agreement.mrr(day)
        company = agreement.customer.id_for("connectwise")
        if not value.is_zero() and company is not None:
            fact(("connectwise", company), value.currency, "agreement", value.amount)
    invoice_row = inbound("connectwise", "invoice", Invoice)
    for wire in cw.invoices.list(where="balance > 0"):
        invoice = invoice_row(wire, config)
        company = invoice.customer.id_for("connectwise")
        if invoice.balance is not None and company is not None:
            overdue = invoice.due_date is not None and invoice.due_date < day
            fact(
                ("connectwise", company),
                invoice.balance.currency,
                "invoice",
                (invoice.balance.amount, overdue),
            )

    # QuickBooks: customers' balances, payments.
    if qbo is not None:
        systems.append("quickbooks")
        customer_row = inbound("quickbooks", "Customer", Customer)
        for wire in qbo.customers.list():
            customer = customer_row(wire, config)
            node = ("quickbooks", str(wire.id))
            entities.add(node, customer.name)
            primary[node] = customer.balance.currency if customer.balance is not None else default_currency
            fact(node, primary[node], "balance", _decimal(wire.balance))
        payment_row = inbound("quickbooks", "Payment", Payment)
        for wire in qbo.payments.list():
            payment = payment_row(wire, config)
            ident = payment.customer.id_for("quickbooks")
            if ident is not None and payment.payment_date is not None:
                fact(("quickbooks", ident), None, "payment", payment.payment_date)

    # Salesforce: accounts, then the opportunities aggregated per account (two calls).
    if sf is not None:
        systems.append("salesforce")
        for account in sf.query("SELECT Id, Name FROM Account"):
            entities.add(("salesforce", str(account["Id"])), account.get("Name"))
        grouped = (
            "SELECT AccountId, SUM(Amount) total, COUNT(Id) n FROM Opportunity "
            "WHERE {} AND AccountId != null GROUP BY AccountId"
        )
        for kind, condition in (
            ("pipeline", "IsClosed = false"),
            ("won", f"IsWon = true AND CloseDate >= {since.isoformat()}"),
        ):
            for row in sf.query(grouped.format(condition)):
                node = ("salesforce", str(row["AccountId"]))
                fact(node, default_currency, kind, (_decimal(row["total"]), int(row["n"])))

    # Join through the identity map, then add everything up per (customer, currency).
    if state is not None:
        for i, a in enumerate(_SYSTEMS):
            for b in _SYSTEMS[i + 1 :]:
                for left, right in state.pairs(a, b):
                    entities.link((a[0], left), (b[0], right))
    groups = entities.groups()
    currency_of = {
        root: next((primary[n] for n in sorted(members) if n in primary), default_currency)
        for root, members in groups.items()
    }
    accs: dict[tuple[tuple[str, str], str], _Acc] = {}
    for node, currency, kind, value in facts:
        root = entities.root(node)
        accs.setdefault((root, currency or currency_of[root]), _Acc()).add(kind, value)
    for root in groups:
        accs.setdefault((root, currency_of[root]), _Acc())
    rows = [_row(entities, groups[root], currency, acc) for (root, currency), acc in accs.items()]
    rows.sort(key=lambda r: (r.customer.casefold(), r.currency))
    return UnifiedReport(as_of=day, window_days=window_days, systems=tuple(systems), rows=tuple(rows))


def _row(entities: _Entities, members: list[tuple[str, str]], currency: str, acc: _Acc) -> CustomerRow:
    ids = {system: ident for system, ident in sorted(members, reverse=True)}
    name = next(
        (
            entities.names[(s, ids[s])]
            for s in ("connectwise", "salesforce", "quickbooks")
            if s in ids and (s, ids[s]) in entities.names
        ),
        next(iter(ids.values()), "?"),
    )

    def money(amount: Decimal) -> Money:
        return Money(amount, currency)

    return CustomerRow(
        customer=name,
        connectwise_id=ids.get("connectwise"),
        quickbooks_id=ids.get("quickbooks"),
        salesforce_id=ids.get("salesforce"),
        currency=currency,
        open_pipeline=money(acc.pipeline),
        open_opportunities=acc.open_opportunities,
        won=money(acc.won),
        won_opportunities=acc.won_opportunities,
        open_tickets=acc.open_tickets,
        high_priority_tickets=acc.high,
        resolved_tickets=len(acc.resolve_hours),
        mean_time_to_resolve_hours=_mean_hours(acc.resolve_hours),
        active_agreements=acc.agreements,
        mrr=money(acc.mrr),
        cw_outstanding=money(acc.outstanding),
        cw_overdue=money(acc.overdue),
        qbo_balance=money(acc.balance),
        last_payment=acc.last_payment,
    )
