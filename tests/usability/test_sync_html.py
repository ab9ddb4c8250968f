"""Plans and reports render as HTML tables in Jupyter, next to their text form."""

from __future__ import annotations

from datetime import datetime, timezone

from msplink.models import ExternalRef
from msplink.sync._model import Action, FieldChange
from msplink.sync._plan import Plan, PlanItem
from msplink.sync._report import SyncReport


def test_plan_html_lists_items_with_their_changes() -> None:
    src = ExternalRef("connectwise", "company", 250)
    tgt = ExternalRef("quickbooks", "Customer", "58")
    plan = Plan(
        flow="companies",
        items=[
            PlanItem(action=Action.CREATE, source=ExternalRef("connectwise", "company", 251)),
            PlanItem(
                action=Action.UPDATE,
                source=src,
                target=tgt,
                changes=(FieldChange("name", "Acme", "Acme <Ltd>"),),
            ),
        ],
    )
    html = plan._repr_html_()
    assert html.startswith(
        "<p><b>Plan for flow &#x27;companies&#x27;: 2 items (1 create, 1 update)</b></p><table>"
    )
    assert (
        "<td style='text-align:left'>connectwise:company:251</td><td style='text-align:left'>(new)</td>"
        in html
    )
    assert "name: &#x27;Acme&#x27; -&gt; &#x27;Acme &lt;Ltd&gt;&#x27;" in html
    assert html.count("<tr>") == 3
    assert "more not shown" in plan._repr_html_(limit=1)


def test_report_html_shows_counts_and_calls() -> None:
    now = datetime(2026, 3, 2, tzinfo=timezone.utc)
    report = SyncReport(
        flow="companies",
        started_at=now,
        ended_at=now,
        counts={"create": 3, "update": 0},
        outcome_counts={"created": 3},
        writes=3,
        api_calls={"quickbooks": 2},
    )
    html = report._repr_html_()
    assert html.startswith("<p><b>sync &#x27;companies&#x27; [ok] in 0.00s: 3 writes</b></p>")
    for row in (("planned", "create", "3"), ("outcome", "created", "3"), ("API calls", "quickbooks", "2")):
        assert "".join(f"<td style='text-align:left'>{cell}</td>" for cell in row) in html
    assert "update" not in html  # zero counts left out, as in the text form
