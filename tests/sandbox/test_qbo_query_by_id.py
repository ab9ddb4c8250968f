"""QBO sandbox: a query naming ids takes its rows by key (issue 18: at 50,000 customers each 30-id
look-up of a sync tested every row, which made a 100k-record benchmark run for hours), with the same
answer as a scan: stored (numeric id) order, unknown ids left out, the other conditions still applied."""

from __future__ import annotations

from msplink.sandbox.quickbooks import QuickBooksSandbox


def _ids(box: QuickBooksSandbox, statement: str) -> list[str]:
    answer = box.run_query(statement)
    return [row["Id"] for row in answer.get("Customer", [])]


def test_a_query_by_ids_answers_as_a_scan_would() -> None:
    box = QuickBooksSandbox()
    box.seed(size=30, seed=1)
    stored = _ids(box, "select * from Customer where Active IN (true, false) maxresults 1000")
    chosen = [stored[7], stored[2], stored[20], "99999"]
    quoted = ", ".join(f"'{i}'" for i in chosen)
    assert _ids(box, f"select * from Customer where Id IN ({quoted})") == sorted(chosen[:3], key=int)
    assert _ids(box, f"select * from Customer where Id = '{stored[4]}'") == [stored[4]]
    named = box.run_query(f"select * from Customer where Id = '{stored[4]}'")["Customer"][0]["DisplayName"]
    escaped = named.replace("'", "\\\\'")
    assert _ids(box, f"select * from Customer where Id IN ({quoted}) and DisplayName = '{escaped}'") == []
    assert _ids(box, f"select * from Customer where Id IN ('{stored[4]}') and DisplayName = '{escaped}'") == [
        stored[4]
    ]
