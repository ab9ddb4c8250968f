"""``plot_mrr`` draws an MRR report's month-by-month line (Agg canvas, PNG in a temp dir)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest

from msplink.models import Money
from msplink.sync.reports import plot_mrr


def test_mrr_by_month_renders_one_currency(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    months = [
        SimpleNamespace(month=date(2026, m, 1), mrr=Money(amount, currency))
        for m, amount, currency in (
            (1, "100.00", "USD"),
            (2, "150.50", "USD"),
            (1, "9.00", "EUR"),
            (3, "90", "USD"),
        )
    ]
    target = tmp_path / "mrr.png"
    figure = plot_mrr(SimpleNamespace(by_month=months), target)
    assert target.read_bytes()[:4] == b"\x89PNG"
    [line] = figure.axes[0].get_lines()
    assert [Decimal(str(y)) for y in line.get_ydata()] == [
        Decimal("100.0"),
        Decimal("150.5"),
        Decimal("90.0"),
    ]
    assert figure.axes[0].get_ylabel() == "MRR (USD)"
    euro = plot_mrr(SimpleNamespace(by_month=months), currency="EUR")
    assert list(euro.axes[0].get_lines()[0].get_ydata()) == [9.0]
