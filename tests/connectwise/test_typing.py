"""Static types of the public API (checked by mypy; the runtime part only exercises the calls)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, TypeVar

from msplink._core import AsyncPaginator, Paginator
from msplink.connectwise import AsyncConnectWiseClient, ConnectWiseClient
from msplink.connectwise import models as m
from msplink.sandbox.connectwise import ConnectWiseSandbox

if TYPE_CHECKING:
    from typing_extensions import assert_type  # typeshed ships it: no runtime dependency
else:
    _T = TypeVar("_T")

    def assert_type(value: _T, _: Any) -> _T:
        return value


def test_public_types(sandbox: ConnectWiseSandbox) -> None:
    sandbox.insert("companies", {"identifier": "T", "name": "Typed"})
    cw = ConnectWiseClient(**sandbox.credentials(), transport=sandbox.transport())
    acw = AsyncConnectWiseClient(**sandbox.credentials(), transport=sandbox.transport())
    assert_type(cw.companies.list(), Paginator[m.Company])
    assert_type(acw.companies.list(), AsyncPaginator[m.Company])
    assert_type(cw.time_entries.updated(datetime(2020, 1, 1, tzinfo=timezone.utc)), Paginator[m.TimeEntry])
    assert_type(cw.companies.sites(1).list(), Paginator[m.CompanySite])
    assert_type(cw.invoices.payments(1).list(), Paginator[m.InvoicePayment])
    assert_type(cw.purchase_orders.line_items(1).list(), Paginator[m.PurchaseOrderLineItem])
    company = cw.companies.get(1)
    assert_type(company, m.Company)
    assert_type(cw.companies.count(), int)
    assert company.name == "Typed"
    cw.close()
