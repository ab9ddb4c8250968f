# mypy: disable-error-code="union-attr,index"
"""The verb set of the one template: ``list(*, where, order_by, fields, limit, page_size, cursor)``,
``query(statement, /)`` paged like ``list()``, ``count(*, where)``; exact call counts on the sandbox."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from msplink.errors import ConfigurationError, QueryError
from msplink.quickbooks import models as m
from msplink.quickbooks import query as q


def _bodies(sandbox: Any) -> list[Any]:
    return [r for r in sandbox.requests if r.path.endswith("/query")]


def test_where_takes_a_condition_or_a_checked_string(qbo, sandbox):
    sandbox.seed(size=40, seed=2)
    sandbox.clear_log()
    built = qbo.invoices.list(where=(q.field("Balance") > Decimal("0")) & (q.field("TotalAmt") > 0)).to_list()
    typed = qbo.invoices.list(where="Balance > '0' AND TotalAmt > '0'").to_list()
    assert [i.id for i in built] == [i.id for i in typed] and built
    assert qbo.invoices.count(where="Balance > '0'") == len(
        [i for i in sandbox.entities("Invoice") if i["Balance"] > 0]
    )
    assert len(_bodies(sandbox)) == 3
    with pytest.raises(QueryError):
        qbo.invoices.list(where="Balance > 0 OR 1 = 1")
    with pytest.raises(QueryError):
        qbo.invoices.count(where="Balance > 0; DROP")
    assert len(_bodies(sandbox)) == 3  # refused before any I/O


def test_order_by_fields_and_page_size(qbo, sandbox):
    for name in ("Charlie", "alpha", "Bravo"):
        qbo.customers.create(m.Customer(display_name=name, notes="kept out"))
    ordered = qbo.customers.list(order_by="DisplayName DESC", fields=["Id", "DisplayName"]).to_list()
    assert [c.display_name for c in ordered] == ["Charlie", "Bravo", "alpha"]
    assert all(c.notes is None for c in ordered)  # projected: only the fields asked for
    pages = list(qbo.customers.list(page_size=2, order_by=["DisplayName", "Id"]).pages())
    assert [len(p.items) for p in pages] == [2, 1] and pages[0].next_cursor == "3"
    assert (
        qbo.customers.list(cursor="3", page_size=2, order_by="DisplayName").first().display_name == "Charlie"
    )
    for bad in ({"page_size": 0}, {"page_size": 1001}, {"cursor": "x"}, {"cursor": "0"}):
        with pytest.raises(ConfigurationError):
            qbo.customers.list(**bad)
    with pytest.raises(QueryError):
        qbo.customers.list(fields=["Id; --"])
    with pytest.raises(QueryError):
        qbo.customers.list(order_by="DisplayName; --")


def test_query_pages_a_whole_statement(qbo, sandbox):
    for i in range(1050):
        sandbox.add_entity("Customer", {"DisplayName": f"Paged {i:04d}"})
    sandbox.clear_log()
    everything = qbo.customers.query("SELECT * FROM Customer ORDERBY Id").to_list()
    assert len(everything) == 1050 and len(_bodies(sandbox)) == 2
    built = qbo.customers.query(q.select("Customer").where(q.field("Active") == True))  # noqa: E712
    assert len(built.to_list()) == 1050 and len(_bodies(sandbox)) == 4
    one_page = qbo.customers.query("SELECT * FROM Customer STARTPOSITION 11 MAXRESULTS 10").to_list()
    assert [c.id for c in one_page] == [str(i) for i in range(11, 21)] and len(_bodies(sandbox)) == 5
    limited = qbo.customers.query(q.select("Customer").order_by("Id").limit(5)).to_list()
    assert len(limited) == 5 and len(_bodies(sandbox)) == 6
    literal = qbo.customers.query("SELECT * FROM Customer WHERE DisplayName = 'MAXRESULTS 1'").to_list()
    assert literal == [] and len(_bodies(sandbox)) == 7


@pytest.mark.parametrize(
    "statement",
    [
        "SELECT COUNT(*) FROM Customer",
        "SELECT * FROM Invoice",
        "DELETE FROM Customer",
        "SELECT * FROM",
        q.count("Customer"),
        q.select("Vendor"),
    ],
)
def test_query_refuses_before_io(qbo, sandbox, statement):
    sandbox.clear_log()
    with pytest.raises(QueryError):
        qbo.customers.query(statement)
    assert sandbox.requests == []


def test_from_env_reads_the_mapping_it_is_given(tmp_path):
    from msplink.quickbooks import AsyncQuickBooksClient, QuickBooksClient

    environ = {
        "MSPLINK_QBO_REALM_ID": "4620816365",
        "MSPLINK_QBO_CLIENT_ID": "cid",
        "MSPLINK_QBO_CLIENT_SECRET": "csecret",
        "MSPLINK_QBO_REFRESH_TOKEN": "RT1-abc",
        "MSPLINK_QBO_ENVIRONMENT": "sandbox",
        "MSPLINK_QBO_BASE_URL": "https://qbo.example.test",
    }
    client = QuickBooksClient.from_env(environ, minor_version=76)
    assert (client.realm_id, client.minor_version) == ("4620816365", 76)
    assert repr(client) == "QuickBooksClient(realm_id='4620816365', environment='sandbox')"
    client.close()
    assert AsyncQuickBooksClient.from_env(environ).realm_id == "4620816365"
    with pytest.raises(ConfigurationError) as info:
        QuickBooksClient.from_env({"MSPLINK_QBO_REALM_ID": "1", "MSPLINK_QBO_CLIENT_SECRET": ""})
    assert "MSPLINK_QBO_CLIENT_ID" in str(info.value) and "MSPLINK_QBO_CLIENT_SECRET" in str(info.value)
    assert "csecret" not in repr(client)
