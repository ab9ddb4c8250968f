"""Charts of the reports (the ``plot`` extra: matplotlib), drawn on a bare ``Figure``.

No ``pyplot``: a figure built here touches no global state and no GUI backend, so it renders the
same in a script (``path=`` writes a PNG through the Agg canvas), in a test and in Jupyter (which
shows a returned figure).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from msplink.errors import ConfigurationError

__all__ = ["bar_chart", "line_chart", "plot_mrr"]


def _figure() -> Any:
    try:
        from matplotlib.figure import Figure
    except ImportError:  # pragma: no cover - exercised without the extra
        raise ConfigurationError('charts need matplotlib: python -m pip install "msplink[plot]"') from None
    return Figure(figsize=(8, 4.5), layout="constrained")


def _save(figure: Any, path: str | Path | None) -> Any:
    if path is not None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        FigureCanvasAgg(figure)
        figure.savefig(Path(path), dpi=100)
    return figure


def bar_chart(
    labels: Sequence[str],
    values: Sequence[Decimal],
    *,
    title: str,
    ylabel: str,
    xlabel: str = "",
    path: str | Path | None = None,
) -> Any:
    """One bar per label, each labelled with its exact value; returns the ``Figure``."""
    figure = _figure()
    axes = figure.add_subplot()
    bars = axes.bar(list(labels), [float(v) for v in values], color="#3f51b5")
    axes.bar_label(bars, labels=[f"{v:,.2f}" for v in values], fontsize=8)
    axes.set_title(title)
    axes.set_ylabel(ylabel)
    if xlabel:
        axes.set_xlabel(xlabel)
    return _save(figure, path)


def line_chart(
    points: Sequence[tuple[date, Decimal]],
    *,
    title: str,
    ylabel: str,
    path: str | Path | None = None,
) -> Any:
    """A line with a marker per point (dates on the x axis); returns the ``Figure``."""
    figure = _figure()
    axes = figure.add_subplot()
    axes.plot([d for d, _ in points], [float(v) for _, v in points], marker="o", color="#3f51b5")
    axes.set_title(title)
    axes.set_ylabel(ylabel)
    axes.set_ylim(bottom=0)
    axes.grid(True, alpha=0.3)
    figure.autofmt_xdate()
    return _save(figure, path)


def plot_mrr(report: Any, path: str | Path | None = None, *, currency: str | None = None) -> Any:
    """MRR month by month (a :class:`~msplink.sync.reports.MrrReport`'s ``by_month``), one currency.

    Args:
        report: The MRR report (anything with ``by_month`` rows of ``month`` and ``mrr`` Money).
        path: Also write the chart there (PNG unless the suffix names another format).
        currency: The currency to chart (default: the first of the timeline).

    Returns:
        The ``matplotlib.figure.Figure``.
    """
    months = list(report.by_month)
    code = currency or (months[0].mrr.currency if months else "USD")
    points = [(m.month, m.mrr.amount) for m in months if m.mrr.currency == code]
    return line_chart(points, title="Monthly recurring revenue", ylabel=f"MRR ({code})", path=path)
