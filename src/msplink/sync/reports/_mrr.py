"""``reports.mrr``: monthly recurring revenue per customer, per agreement type and month by month.

MRR of one agreement is :meth:`msplink.models.Agreement.mrr`: its per-cycle recurring amount (fixed
``bill_amount`` plus the additions billable on the day) normalised to one month (quarterly / 3, yearly
/ 12, weekly x 52/12 ...), rounded once ROUND_HALF_UP to the currency's minor unit; inactive, ended,
not yet started and one-time agreements count 0. Money keeps its currency: every total, row and
column is per currency, never summed across two.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime, timezone
from typing import Any, Final

import attrs

from msplink.models import Agreement, ExternalRef, Money

__all__ = ["CustomerMrr", "MonthMrr", "MrrReport", "TypeMrr", "mrr"]

UNTYPED: Final = "(no type)"
"""The agreement type label of agreements without one."""


@attrs.frozen(kw_only=True)
class CustomerMrr:
    """One customer's MRR in one currency, on the report's day.

    Attributes:
        customer: The customer's name (the agreement's customer link display, else its ref).
        ref: The customer's record (CW company) when known.
        mrr: Monthly recurring revenue.
        arr: ``mrr x 12``.
        agreements: Agreements contributing (MRR above zero).
    """

    customer: str
    ref: ExternalRef | None
    mrr: Money
    arr: Money
    agreements: int


@attrs.frozen(kw_only=True)
class TypeMrr:
    """MRR of one agreement type in one currency, on the report's day.

    Attributes:
        agreement_type: The CW agreement type (``Managed Services`` ...), or ``(no type)``.
        mrr: Monthly recurring revenue.
        agreements: Agreements contributing.
    """

    agreement_type: str
    mrr: Money
    agreements: int


@attrs.frozen(kw_only=True)
class MonthMrr:
    """MRR on the first day of one month, in one currency.

    Attributes:
        month: The first day of the month.
        mrr: Monthly recurring revenue that day.
        agreements: Agreements contributing.
    """

    month: date
    mrr: Money
    agreements: int


@attrs.frozen(kw_only=True)
class MrrReport:
    """MRR three ways. Rows are sorted (largest MRR first; months in order), per currency.

    Attributes:
        as_of: The day of :attr:`totals`, :attr:`by_customer` and :attr:`by_type`.
        totals: Total MRR per currency (one ``Money`` each, sorted by currency).
        by_customer: MRR per customer.
        by_type: MRR per agreement type.
        by_month: MRR on the first day of each month of the timeline.
    """

    as_of: date
    totals: tuple[Money, ...]
    by_customer: tuple[CustomerMrr, ...]
    by_type: tuple[TypeMrr, ...]
    by_month: tuple[MonthMrr, ...]

    def total(self, currency: str) -> Money:
        """Total MRR in ``currency`` (zero when no agreement bills in it)."""
        return next((m for m in self.totals if m.currency == currency), Money.zero(currency).quantize())

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable view (amounts as strings, dates ISO)."""

        def money(value: Money) -> dict[str, str]:
            return {"amount": str(value.amount), "currency": value.currency}

        return {
            "as_of": self.as_of.isoformat(),
            "totals": [money(m) for m in self.totals],
            "by_customer": [
                {
                    "customer": r.customer,
                    "ref": str(r.ref) if r.ref else None,
                    "mrr": money(r.mrr),
                    "arr": money(r.arr),
                    "agreements": r.agreements,
                }
                for r in self.by_customer
            ],
            "by_type": [
                {"agreement_type": r.agreement_type, "mrr": money(r.mrr), "agreements": r.agreements}
                for r in self.by_type
            ],
            "by_month": [
                {"month": r.month.isoformat(), "mrr": money(r.mrr), "agreements": r.agreements}
                for r in self.by_month
            ],
        }

    def to_pandas(self, by: str = "customer") -> Any:
        """One breakdown as a DataFrame (needs the ``pandas`` extra): ``by`` is ``customer``, ``type``
        or ``month``; amounts stay ``Decimal`` in an ``mrr`` column next to a ``currency`` column.

        Raises:
            ValueError: Unknown ``by``.
        """
        import pandas as pd

        if by == "customer":
            rows: list[dict[str, Any]] = [
                {
                    "customer": r.customer,
                    "currency": r.mrr.currency,
                    "mrr": r.mrr.amount,
                    "arr": r.arr.amount,
                    "agreements": r.agreements,
                }
                for r in self.by_customer
            ]
            columns = ["customer", "currency", "mrr", "arr", "agreements"]
        elif by == "type":
            rows = [
                {
                    "agreement_type": r.agreement_type,
                    "currency": r.mrr.currency,
                    "mrr": r.mrr.amount,
                    "agreements": r.agreements,
                }
                for r in self.by_type
            ]
            columns = ["agreement_type", "currency", "mrr", "agreements"]
        elif by == "month":
            rows = [
                {
                    "month": r.month,
                    "currency": r.mrr.currency,
                    "mrr": r.mrr.amount,
                    "agreements": r.agreements,
                }
                for r in self.by_month
            ]
            columns = ["month", "currency", "mrr", "agreements"]
        else:
            raise ValueError(f"by must be 'customer', 'type' or 'month', got {by!r}")
        return pd.DataFrame(rows, columns=columns)

    def __str__(self) -> str:
        totals = ", ".join(f"{m.amount} {m.currency}" for m in self.totals) or "nothing"
        lines = [f"MRR on {self.as_of.isoformat()}: {totals}", "  by agreement type:"]
        lines += [
            f"    {r.agreement_type:<28}{r.mrr.amount:>14} {r.mrr.currency}  ({r.agreements})"
            for r in self.by_type
        ]
        lines.append("  by customer:")
        lines += [
            f"    {r.customer[:40]:<42}{r.mrr.amount:>14} {r.mrr.currency}" for r in self.by_customer[:20]
        ]
        if len(self.by_customer) > 20:
            lines.append(f"    ... {len(self.by_customer) - 20} more")
        lines.append("  month by month:")
        lines += [
            f"    {r.month.isoformat()[:7]}  {r.mrr.amount:>14} {r.mrr.currency}  ({r.agreements})"
            for r in self.by_month
        ]
        return "\n".join(lines)


def _first_of_months(start: date, months: int) -> Iterator[date]:
    year, month = start.year, start.month
    for _ in range(months):
        yield date(year, month, 1)
        month += 1
        if month > 12:
            year, month = year + 1, 1


def _customer_of(agreement: Agreement) -> tuple[str, ExternalRef | None]:
    refs = sorted(agreement.customer.refs, key=lambda r: (r.system, r.object_type, r.id))
    ref = refs[0] if refs else None
    return agreement.customer.display or (str(ref) if ref else "(no customer)"), ref


def mrr(
    agreements: Iterable[Agreement] | None = None,
    *,
    as_of: date | None = None,
    start: date | None = None,
    months: int = 12,
    cw: Any = None,
    config: Any = None,
) -> MrrReport:
    """Monthly recurring revenue of agreements: per customer, per agreement type, and month by month.

    Args:
        agreements: Canonical agreements with their additions (``recipes.read_agreements(cw)``, or
            any source). Omit to read them from ``cw``.
        as_of: The day of the totals and of the customer and type breakdowns (default: today, UTC).
        start: The first month of the timeline (default: ``as_of``'s month).
        months: How many months the timeline runs (the MRR on each one's first day).
        cw: A sync ``ConnectWiseClient`` to read agreements from (``GET /finance/agreements`` and
            ``GET /finance/agreements/{id}/additions``) when ``agreements`` is not given.
        config: The ``MappingConfig`` for reading from ``cw``.

    Raises:
        ValueError: Neither ``agreements`` nor ``cw``, or ``months`` below 1.
    """
    if months < 1:
        raise ValueError("months must be at least 1")
    if agreements is None:
        if cw is None:
            raise ValueError("mrr needs agreements, or a ConnectWise client (cw=) to read them from")
        from msplink.sync.recipes._agreements import read_agreements

        agreements = read_agreements(cw, config)
    day = as_of or datetime.now(timezone.utc).date()
    items = list(agreements)
    totals: dict[str, Money] = {}
    customers: dict[tuple[str, ExternalRef | None, str], tuple[Money, int]] = {}
    kinds: dict[tuple[str, str], tuple[Money, int]] = {}
    for agreement in items:
        value = agreement.mrr(day)
        if value.is_zero():
            continue
        currency = value.currency
        totals[currency] = totals.get(currency, Money.zero(currency)) + value
        name, ref = _customer_of(agreement)
        old, count = customers.get((name, ref, currency), (Money.zero(currency), 0))
        customers[(name, ref, currency)] = (old + value, count + 1)
        kind = agreement.agreement_type or UNTYPED
        old, count = kinds.get((kind, currency), (Money.zero(currency), 0))
        kinds[(kind, currency)] = (old + value, count + 1)
    first = start or day.replace(day=1)
    per_month: list[MonthMrr] = []
    currencies = sorted({a.currency for a in items})
    for month in _first_of_months(first.replace(day=1), months):
        for currency in currencies:
            values = [a.mrr(month) for a in items if a.currency == currency]
            live = [v for v in values if not v.is_zero()]
            per_month.append(
                MonthMrr(month=month, mrr=Money.sum(live, currency).quantize(), agreements=len(live))
            )
    return MrrReport(
        as_of=day,
        totals=tuple(totals[c] for c in sorted(totals)),
        by_customer=tuple(
            sorted(
                (
                    CustomerMrr(customer=name, ref=ref, mrr=total, arr=total * 12, agreements=count)
                    for (name, ref, _), (total, count) in customers.items()
                ),
                key=lambda r: (r.mrr.currency, -r.mrr.amount, r.customer),
            )
        ),
        by_type=tuple(
            sorted(
                (
                    TypeMrr(agreement_type=kind, mrr=total, agreements=count)
                    for (kind, _), (total, count) in kinds.items()
                ),
                key=lambda r: (r.mrr.currency, -r.mrr.amount, r.agreement_type),
            )
        ),
        by_month=tuple(per_month),
    )
