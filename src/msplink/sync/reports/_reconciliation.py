"""``reports.reconciliation``: every ConnectWise invoice against its QuickBooks invoice (use case F5).

An accountant's check after the finance recipes ran: for each CW invoice, its QBO invoice (the one
msplink linked, else the one whose ``DocNumber`` is the CW invoice number) must hold the same total,
the same sales tax and, once payments are recorded on both sides, the same balance; a CW invoice the
recipe should have exported but QuickBooks lacks, or a QBO invoice linked to a CW invoice that is
gone, is missing on one side. Each difference is listed (never summed away), as text, as dicts and as
a DataFrame.

:func:`reconcile` is the pure comparison of figures already read; :func:`reconciliation` reads them:
``GET /finance/invoices`` projected to the figures (one request per 1,000 invoices) and the QBO
invoice query (one per 1,000), plus the state store's links when given.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, Final

import attrs

__all__ = ["KINDS", "InvoiceDifference", "InvoiceFigures", "Reconciliation", "reconcile", "reconciliation"]

KINDS: Final = ("missing_in_quickbooks", "missing_in_connectwise", "total", "tax", "balance")
"""The kinds of difference, in the order a report lists them."""

DEFAULT_STATUSES: Final = ("Sent",)
"""The CW billing statuses a QBO invoice is expected for (``invoices_to_quickbooks``' default)."""

_FIELDS: Final = ("total", "tax", "balance")


@attrs.frozen(kw_only=True)
class InvoiceFigures:
    """One invoice's figures on one side.

    Attributes:
        id: The record id in its system.
        number: CW ``invoiceNumber`` / QBO ``DocNumber``.
        total: The grand total (CW ``total``, QBO ``TotalAmt``).
        tax: The sales tax (CW ``salesTax``, QBO ``TxnTaxDetail.TotalTax``).
        balance: What is still open after the payments recorded on that side.
        status: CW billing status name (``Sent``); ``None`` for QuickBooks.
        date: The invoice date.
    """

    id: str
    number: str | None
    total: Decimal = Decimal(0)
    tax: Decimal = Decimal(0)
    balance: Decimal = Decimal(0)
    status: str | None = None
    date: date | None = None


@attrs.frozen(kw_only=True)
class InvoiceDifference:
    """One difference between a CW invoice and its QBO invoice.

    Attributes:
        kind: One of :data:`KINDS`.
        number: The invoice number.
        connectwise_id: The CW invoice id (``None`` when missing there).
        quickbooks_id: The QBO invoice id (``None`` when missing there).
        connectwise: The CW figure (for ``total``, ``tax``, ``balance``; the CW total for a missing QBO invoice).
        quickbooks: The QBO figure (the QBO total for a missing CW invoice).
    """

    kind: str
    number: str | None
    connectwise_id: str | None = None
    quickbooks_id: str | None = None
    connectwise: Decimal | None = None
    quickbooks: Decimal | None = None

    @property
    def delta(self) -> Decimal | None:
        """QuickBooks minus ConnectWise, when both figures are known."""
        if self.connectwise is None or self.quickbooks is None:
            return None
        return self.quickbooks - self.connectwise

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable view (amounts as strings, exact)."""

        def text(value: Decimal | None) -> str | None:
            return None if value is None else str(value)

        return {
            "kind": self.kind,
            "number": self.number,
            "connectwise_id": self.connectwise_id,
            "quickbooks_id": self.quickbooks_id,
            "connectwise": text(self.connectwise),
            "quickbooks": text(self.quickbooks),
            "delta": text(self.delta),
        }

    def describe(self) -> str:
        """One line for a terminal."""
        if self.kind == "missing_in_quickbooks":
            return f"{self.number or '?'}: missing in QuickBooks (CW invoice {self.connectwise_id}, total {self.connectwise})"
        if self.kind == "missing_in_connectwise":
            return f"{self.number or '?'}: missing in ConnectWise (QBO invoice {self.quickbooks_id}, total {self.quickbooks})"
        sign = "+" if (self.delta or 0) > 0 else ""
        return (
            f"{self.number or '?'}: {self.kind} differs: CW {self.connectwise}, QBO {self.quickbooks} "
            f"({sign}{self.delta})"
        )


@attrs.frozen(kw_only=True)
class Reconciliation:
    """The result: every difference, and the figures of the pairs compared.

    Attributes:
        differences: Every difference, by kind (:data:`KINDS` order) then number.
        pairs: CW invoices compared with a QBO invoice.
        connectwise_total: Sum of the compared CW invoices' totals.
        quickbooks_total: Sum of the compared QBO invoices' totals.
        connectwise_balance: Sum of the compared CW invoices' balances.
        quickbooks_balance: Sum of the compared QBO invoices' balances.
    """

    differences: tuple[InvoiceDifference, ...] = ()
    pairs: int = 0
    connectwise_total: Decimal = Decimal(0)
    quickbooks_total: Decimal = Decimal(0)
    connectwise_balance: Decimal = Decimal(0)
    quickbooks_balance: Decimal = Decimal(0)

    def __bool__(self) -> bool:
        """True when there is any difference."""
        return bool(self.differences)

    def __len__(self) -> int:
        return len(self.differences)

    def counts(self) -> dict[str, int]:
        """Differences per kind (every kind listed, zeros included)."""
        counts = dict.fromkeys(KINDS, 0)
        for difference in self.differences:
            counts[difference.kind] += 1
        return counts

    def to_dicts(self) -> list[dict[str, Any]]:
        """One dict per difference (JSON-serialisable)."""
        return [d.to_dict() for d in self.differences]

    def to_pandas(self) -> Any:
        """One row per difference (needs the ``pandas`` extra); amounts stay ``Decimal``."""
        import pandas as pd

        columns = ["kind", "number", "connectwise_id", "quickbooks_id", "connectwise", "quickbooks", "delta"]
        rows = [{**attrs.asdict(d), "delta": d.delta} for d in self.differences]
        return pd.DataFrame(rows, columns=columns)

    def __str__(self) -> str:
        head = (
            f"Reconciliation: {self.pairs} invoice pairs (CW {self.connectwise_total}, QBO {self.quickbooks_total}; "
            f"open CW {self.connectwise_balance}, QBO {self.quickbooks_balance}), "
            f"{len(self.differences)} differences"
        )
        counts = ", ".join(f"{n} {k}" for k, n in self.counts().items() if n)
        lines = [head + (f" ({counts})" if counts else "")]
        lines.extend("  " + d.describe() for d in self.differences)
        return "\n".join(lines)


def reconcile(
    connectwise: Iterable[InvoiceFigures],
    quickbooks: Iterable[InvoiceFigures],
    links: Iterable[tuple[str, str]] = (),
    *,
    statuses: Iterable[str] | None = DEFAULT_STATUSES,
    quickbooks_only: bool = False,
) -> Reconciliation:
    """Compare CW and QBO invoice figures (pure).

    Pairs come from ``links`` (``(CW id, QBO id)`` the state store holds) first, then from equal
    invoice numbers. A paired invoice differs in ``total``, ``tax`` or ``balance`` when the figures
    are not equal to the cent. An unpaired CW invoice whose status is in ``statuses`` (``None``: any)
    is missing in QuickBooks; a QBO invoice linked to a CW invoice that is not there (or, with
    ``quickbooks_only``, any unpaired QBO invoice) is missing in ConnectWise.

    Args:
        connectwise: The CW invoices.
        quickbooks: The QBO invoices.
        links: Known pairs by id.
        statuses: The CW statuses that must be in QuickBooks.
        quickbooks_only: Also list QBO invoices with no CW invoice at all (invoices made in QBO).
    """
    cw_by_id = {f.id: f for f in connectwise}
    qbo_by_id = {f.id: f for f in quickbooks}
    wanted = None if statuses is None else {s.casefold() for s in statuses}
    pairs: dict[str, str] = {}
    orphans: list[str] = []
    for cw_id, qbo_id in links:
        if cw_id in cw_by_id and qbo_id in qbo_by_id:
            pairs[cw_id] = qbo_id
        elif qbo_id in qbo_by_id and cw_id not in cw_by_id:
            orphans.append(qbo_id)
    taken = set(pairs.values()) | set(orphans)
    qbo_by_number: dict[str, list[str]] = {}
    for qbo_id, figures in qbo_by_id.items():
        if qbo_id not in taken and figures.number:
            qbo_by_number.setdefault(figures.number.strip().casefold(), []).append(qbo_id)
    for cw_id, figures in sorted(cw_by_id.items()):
        if cw_id in pairs or not figures.number:
            continue
        candidates = [q for q in qbo_by_number.get(figures.number.strip().casefold(), []) if q not in taken]
        if len(candidates) == 1:
            pairs[cw_id] = candidates[0]
            taken.add(candidates[0])
    out: list[InvoiceDifference] = []
    for cw_id, figures in cw_by_id.items():
        if cw_id in pairs:
            other = qbo_by_id[pairs[cw_id]]
            for field in _FIELDS:
                left, right = _cents(getattr(figures, field)), _cents(getattr(other, field))
                if left != right:
                    out.append(
                        InvoiceDifference(
                            kind=field, number=figures.number, connectwise_id=cw_id, quickbooks_id=other.id,
                            connectwise=left, quickbooks=right,
                        )
                    )  # fmt: skip
        elif wanted is None or (figures.status or "").casefold() in wanted:
            out.append(
                InvoiceDifference(
                    kind="missing_in_quickbooks", number=figures.number, connectwise_id=cw_id,
                    connectwise=_cents(figures.total),
                )
            )  # fmt: skip
    unpaired = [q for q in qbo_by_id if q not in taken] if quickbooks_only else []
    for qbo_id in [*orphans, *unpaired]:
        figures = qbo_by_id[qbo_id]
        out.append(
            InvoiceDifference(
                kind="missing_in_connectwise", number=figures.number, quickbooks_id=qbo_id,
                quickbooks=_cents(figures.total),
            )
        )  # fmt: skip
    order = {kind: n for n, kind in enumerate(KINDS)}
    out.sort(key=lambda d: (order[d.kind], d.number or "", d.connectwise_id or "", d.quickbooks_id or ""))
    compared_cw = [cw_by_id[c] for c in pairs]
    compared_qbo = [qbo_by_id[q] for q in pairs.values()]
    return Reconciliation(
        differences=tuple(out),
        pairs=len(pairs),
        connectwise_total=sum((_cents(f.total) for f in compared_cw), Decimal(0)),
        quickbooks_total=sum((_cents(f.total) for f in compared_qbo), Decimal(0)),
        connectwise_balance=sum((_cents(f.balance) for f in compared_cw), Decimal(0)),
        quickbooks_balance=sum((_cents(f.balance) for f in compared_qbo), Decimal(0)),
    )


def _cents(value: Decimal | None) -> Decimal:
    return (value if value is not None else Decimal(0)).quantize(Decimal("0.01"))


def _day(value: Any) -> date | None:
    if value is None:
        return None
    return value.date() if hasattr(value, "date") and callable(value.date) else value  # type: ignore[no-any-return]


def connectwise_figures(invoices: Iterable[Any]) -> list[InvoiceFigures]:
    """Figures of CW invoice wire models."""
    return [
        InvoiceFigures(
            id=str(i.id),
            number=i.invoice_number,
            total=i.total or Decimal(0),
            tax=i.sales_tax or Decimal(0),
            balance=i.balance or Decimal(0),
            status=i.status.name if i.status is not None else None,
            date=_day(i.date),
        )
        for i in invoices
    ]


def quickbooks_figures(invoices: Iterable[Any]) -> list[InvoiceFigures]:
    """Figures of QBO invoice wire models."""
    out = []
    for i in invoices:
        tax = i.txn_tax_detail.total_tax if i.txn_tax_detail is not None else None
        out.append(
            InvoiceFigures(
                id=str(i.id),
                number=i.doc_number,
                total=i.total_amt or Decimal(0),
                tax=tax or Decimal(0),
                balance=i.balance or Decimal(0),
                date=i.txn_date,
            )
        )
    return out


_CW_FIELDS: Final = ("id", "invoiceNumber", "status", "total", "salesTax", "balance", "date")


def reconciliation(
    *,
    cw: Any,
    qbo: Any,
    state: Any = None,
    statuses: Sequence[str] | None = DEFAULT_STATUSES,
    since: date | None = None,
    quickbooks_only: bool = False,
) -> Reconciliation:
    """Reconcile every CW invoice with its QBO invoice.

    Reads ``GET /finance/invoices`` (``fields=`` the figures; ``conditions=date >= [since]`` with
    ``since``) and ``select * from Invoice`` (``where TxnDate >= 'since'``), and the links the state
    store holds between CW invoices and QBO invoices (``state.pairs``). Nothing is written.

    Args:
        cw: A ``ConnectWiseClient``.
        qbo: A ``QuickBooksClient``.
        state: The state store the recipes use (``None``: pair by invoice number only).
        statuses: The CW statuses whose invoices must be in QuickBooks (``None``: every CW invoice);
            invoices of other statuses are still compared when QuickBooks has them.
        since: Only invoices dated on or after this day.
        quickbooks_only: Also list QBO invoices with no CW invoice (made in QuickBooks).

    Returns:
        The :class:`Reconciliation` (``str()`` for text, ``to_dicts()``, ``to_pandas()``).
    """
    where_cw = f"date >= [{since.isoformat()}T00:00:00Z]" if since is not None else None
    where_qbo = f"TxnDate >= '{since.isoformat()}'" if since is not None else None
    cw_invoices = cw.invoices.list(where=where_cw, fields=list(_CW_FIELDS))
    qbo_invoices = qbo.invoices.list(where=where_qbo)
    links = state.pairs(("connectwise", "invoice"), ("quickbooks", "Invoice")) if state is not None else []
    return reconcile(
        connectwise_figures(cw_invoices),
        quickbooks_figures(qbo_invoices),
        links,
        statuses=statuses,
        quickbooks_only=quickbooks_only,
    )
