"""``reports.ar_aging``: accounts receivable by age (current, 1-30, 31-60, 61-90, over 90 days past due).

The books are QuickBooks, so the open balances come from the QBO invoices by default (``select * from
Invoice where Balance > '0'``, one request per 1,000 invoices); ``cw=`` ages ConnectWise's own
balances instead (``GET /finance/invoices?conditions=balance > 0``), and ``invoices=`` ages any
canonical :class:`~msplink.models.Invoice` records already read. An invoice is aged by its due date
(its issue date when it has none: due on receipt) against ``as_of``; money keeps its currency (every
row and total is per currency, never summed across two).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Final, overload

import attrs

from msplink.mappers import MappingConfig
from msplink.models import Invoice, Money
from msplink.sync.reports._unified import inbound

__all__ = ["BUCKETS", "AgingRow", "ArAging", "ar_aging", "bucket_of"]

BUCKETS: Final = ("current", "1-30", "31-60", "61-90", "90+")
"""The age buckets, in order: not yet due, then days past due."""


def bucket_of(days_past_due: int) -> str:
    """The bucket of an invoice ``days_past_due`` days past its due date (0 or less: ``current``)."""
    if days_past_due <= 0:
        return "current"
    if days_past_due <= 30:
        return "1-30"
    if days_past_due <= 60:
        return "31-60"
    if days_past_due <= 90:
        return "61-90"
    return "90+"


@attrs.frozen(kw_only=True)
class AgingRow:
    """One customer's open balance by age, in one currency.

    Attributes:
        customer: The customer's name (as the invoices name it, else its id).
        customer_id: The customer's id in the system the invoices came from.
        currency: The ISO currency of every amount in the row.
        buckets: The open balance per bucket of :data:`BUCKETS` (zeros included), in that order.
        invoices: Open invoices counted.
    """

    customer: str
    customer_id: str | None
    currency: str
    buckets: tuple[Money, ...]
    invoices: int

    def amount(self, bucket: str) -> Money:
        """The balance in ``bucket`` (one of :data:`BUCKETS`)."""
        return self.buckets[BUCKETS.index(bucket)]

    @property
    def total(self) -> Money:
        """The whole open balance."""
        return Money.sum(self.buckets, self.currency)

    @property
    def overdue(self) -> Money:
        """The balance past due (every bucket but ``current``)."""
        return Money.sum(self.buckets[1:], self.currency)


@attrs.frozen(kw_only=True)
class ArAging(Sequence[AgingRow]):
    """Receivables by age: a sequence of :class:`AgingRow` (largest balance first, per currency).

    Attributes:
        as_of: The day invoices are aged against.
        source: Where the balances came from (``quickbooks``, ``connectwise`` or ``invoices``).
        rows: One row per customer and currency.
    """

    as_of: date
    source: str
    rows: tuple[AgingRow, ...]

    @overload
    def __getitem__(self, index: int) -> AgingRow: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[AgingRow]: ...
    def __getitem__(self, index: int | slice) -> AgingRow | Sequence[AgingRow]:
        return self.rows[index]

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[AgingRow]:
        return iter(self.rows)

    @property
    def currencies(self) -> tuple[str, ...]:
        """The currencies of the rows, sorted."""
        return tuple(sorted({r.currency for r in self.rows}))

    def totals(self, currency: str) -> dict[str, Money]:
        """Every bucket's total in ``currency`` (zeros when nothing is open in it), plus ``total``."""
        rows = [r for r in self.rows if r.currency == currency]
        out = {b: Money.sum((r.amount(b) for r in rows), currency) for b in BUCKETS}
        out["total"] = Money.sum(out.values(), currency)
        return out

    def to_dicts(self) -> list[dict[str, Any]]:
        """One JSON-able dict per row (amounts as strings, exact)."""
        return [
            {
                "customer": r.customer,
                "customer_id": r.customer_id,
                "currency": r.currency,
                **{b: str(m.amount) for b, m in zip(BUCKETS, r.buckets, strict=True)},
                "total": str(r.total.amount),
                "invoices": r.invoices,
            }
            for r in self.rows
        ]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able view: the rows and the totals per currency."""
        return {
            "as_of": self.as_of.isoformat(),
            "source": self.source,
            "rows": self.to_dicts(),
            "totals": {c: {b: str(m.amount) for b, m in self.totals(c).items()} for c in self.currencies},
        }

    def to_pandas(self) -> Any:
        """One row per customer and currency (needs the ``pandas`` extra); amounts stay ``Decimal``."""
        import pandas as pd

        columns = ["customer", "customer_id", "currency", *BUCKETS, "total", "invoices"]
        rows = [
            {
                "customer": r.customer,
                "customer_id": r.customer_id,
                "currency": r.currency,
                **{b: m.amount for b, m in zip(BUCKETS, r.buckets, strict=True)},
                "total": r.total.amount,
                "invoices": r.invoices,
            }
            for r in self.rows
        ]
        return pd.DataFrame(rows, columns=columns)

    def plot(self, path: str | Path | None = None, *, currency: str | None = None) -> Any:
        """A bar chart of the open balance per bucket (needs the ``plot`` extra: matplotlib).

        Args:
            path: Also write the chart there (PNG unless the suffix names another format).
            currency: The currency to chart (default: the first; one chart never mixes two).

        Returns:
            The ``matplotlib.figure.Figure`` (Jupyter shows it).
        """
        from msplink.sync.reports._plot import bar_chart

        code = currency or (self.currencies[0] if self.currencies else "USD")
        totals = self.totals(code)
        return bar_chart(
            list(BUCKETS),
            [totals[b].amount for b in BUCKETS],
            title=f"Accounts receivable by age on {self.as_of.isoformat()} ({self.source})",
            ylabel=f"open balance ({code})",
            xlabel="days past due",
            path=path,
        )

    def __str__(self) -> str:
        head = f"AR aging on {self.as_of.isoformat()} ({self.source}): "
        if not self.rows:
            return head + "nothing open"
        lines = [head + f"{len(self.rows)} customers with open balances"]
        width = 40
        lines.append(f"  {'customer':<{width}}" + "".join(f"{b:>13}" for b in (*BUCKETS, "total")))
        for code in self.currencies:
            for r in [r for r in self.rows if r.currency == code][:15]:
                cells = "".join(f"{m.amount:>13,.2f}" for m in (*r.buckets, r.total))
                lines.append(f"  {r.customer[: width - 1]:<{width}}{cells}  {code}")
            totals = self.totals(code)
            cells = "".join(f"{totals[b].amount:>13,.2f}" for b in (*BUCKETS, "total"))
            lines.append(f"  {'total':<{width}}{cells}  {code}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        from msplink._core._display import html_table

        rows = [
            (r.customer, r.currency, *(f"{m.amount:,.2f}" for m in (*r.buckets, r.total)))
            for r in self.rows[:50]
        ]
        return html_table(
            ("customer", "currency", *BUCKETS, "total"),
            rows,
            caption=str(self).split("\n", 1)[0],
            more=len(self.rows) - 50,
        )


def _today(as_of: date | None) -> date:
    return as_of if as_of is not None else datetime.now(timezone.utc).date()


def _customer(invoice: Invoice) -> tuple[str, str | None]:
    refs = sorted(invoice.customer.refs, key=lambda r: (r.system, r.object_type, r.id))
    ident = refs[0].id if refs else None
    return invoice.customer.display or ident or "(no customer)", ident


def age(invoices: Iterable[Invoice], *, as_of: date, source: str = "invoices") -> ArAging:
    """Age canonical invoices already read (pure: no I/O).

    Invoices without an open balance (zero, negative or unknown) are left out.
    """
    acc: dict[tuple[str | None, str, str], tuple[list[Money], int]] = {}
    for invoice in invoices:
        balance = invoice.balance
        if balance is None or balance.amount <= 0:
            continue
        due = invoice.due_date or invoice.issue_date or as_of
        name, ident = _customer(invoice)
        key = (ident, name, balance.currency)
        amounts, count = acc.get(key) or ([Money.zero(balance.currency) for _ in BUCKETS], 0)
        index = BUCKETS.index(bucket_of((as_of - due).days))
        amounts[index] = amounts[index] + balance
        acc[key] = (amounts, count + 1)
    rows = [
        AgingRow(customer=name, customer_id=ident, currency=code, buckets=tuple(amounts), invoices=count)
        for (ident, name, code), (amounts, count) in acc.items()
    ]
    rows.sort(key=lambda r: (r.currency, -r.total.amount, r.customer))
    return ArAging(as_of=as_of, source=source, rows=tuple(rows))


def ar_aging(
    *,
    qbo: Any = None,
    cw: Any = None,
    invoices: Iterable[Invoice] | None = None,
    config: MappingConfig | None = None,
    as_of: date | None = None,
) -> ArAging:
    """Open receivables by age: current, 1-30, 31-60, 61-90 and over 90 days past due.

    Give exactly one of ``qbo``, ``cw`` or ``invoices``.

    Args:
        qbo: A sync ``QuickBooksClient``: ages QBO open invoices (``GET /v3/company/{realm}/query``
            ``select * from Invoice where Balance > '0'``).
        cw: A sync ``ConnectWiseClient``: ages CW open invoices (``GET /finance/invoices`` with
            ``conditions=balance > 0``).
        invoices: Canonical invoices already read (any system).
        config: The ``MappingConfig`` for reading from a client.
        as_of: The day to age against (default: today, UTC).

    Returns:
        The :class:`ArAging` report (a sequence of rows; ``str()``, ``to_pandas()``, ``plot()``).

    Raises:
        ValueError: Not exactly one of ``qbo``, ``cw``, ``invoices``.
    """
    given = [name for name, value in (("qbo", qbo), ("cw", cw), ("invoices", invoices)) if value is not None]
    if len(given) != 1:
        raise ValueError(f"ar_aging needs exactly one of qbo=, cw= or invoices= (got {given or 'none'})")
    day = _today(as_of)
    if invoices is not None:
        return age(invoices, as_of=day)
    if qbo is not None:
        convert = inbound("quickbooks", "Invoice", Invoice)
        read = (convert(i, config) for i in qbo.invoices.list(where="Balance > '0'"))
        return age(read, as_of=day, source="quickbooks")
    convert = inbound("connectwise", "invoice", Invoice)
    read = (convert(i, config) for i in cw.invoices.list(where="balance > 0"))
    return age(read, as_of=day, source="connectwise")
