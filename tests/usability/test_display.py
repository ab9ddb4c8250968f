"""Objects a person reads: short reprs, HTML tables, DataFrames with proper dtypes, progress bars."""

from __future__ import annotations

import logging
import sys
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import msplink
from msplink import RateLimit, RecordList, RetryPolicy
from msplink._core._frames import column_values
from msplink.connectwise import ConnectWiseClient
from msplink.connectwise import models as cw
from msplink.errors import ConfigurationError
from msplink.quickbooks import models as qbo
from msplink.salesforce import models as sf
from msplink.sandbox import ConnectWiseSandbox, QuickBooksSandbox, SalesforceSandbox
from msplink.testing import FakeClock
from tests.usability.conftest import cw_client, qbo_client, sf_client

# ------------------------------------------------------------------------------------------------ reprs


def test_connectwise_company_repr_lists_only_set_fields(cw_sandbox: ConnectWiseSandbox) -> None:
    company = cw_client(cw_sandbox).companies.get(1)
    text = repr(company)
    assert text.startswith("Company(id=1, ")
    assert "=None" not in text and "raw=" not in text and " info=" not in text
    assert len(text) < 800  # was 2,354 characters for this record
    generated = attrs.fields(cw.Company)
    assert len(generated) > 60  # the model is wide; the repr is not


def test_reprs_of_the_three_vendors() -> None:
    assert repr(cw.Company(name="Acme", id=7)) == "Company(id=7, name='Acme')"
    assert repr(cw.Company()) == "Company()"
    assert repr(qbo.Customer(display_name="Acme", balance=Decimal("10.50"))) == (
        "Customer(display_name='Acme', balance=Decimal('10.50'))"
    )
    assert repr(sf.Account(name="Acme", custom={"CW_Company_Id__c": "250"})) == (
        "Account(name='Acme', custom={'CW_Company_Id__c': '250'})"
    )
    nested = qbo.Invoice(customer_ref=qbo.Ref(value="58"), id="130")
    assert repr(nested) == "Invoice(id='130', customer_ref=Ref(value='58'))"


def test_partial_update_reprs_show_clears() -> None:
    assert (
        repr(cw.CompanyUpdate(name="Acme Ltd", phone_number=None))
        == "CompanyUpdate(name='Acme Ltd', phone_number=None)"
    )
    assert (
        repr(qbo.CustomerUpdate(id="58", sync_token="3", fax=None))
        == "CustomerUpdate(id='58', sync_token='3', fax=None)"
    )


@given(
    st.fixed_dictionaries(
        {},
        optional={
            "name": st.text(max_size=20),
            "city": st.text(max_size=10),
            "annual_revenue": st.decimals(allow_nan=False, allow_infinity=False, places=2),
            "number_of_employees": st.integers(),
            "lead_flag": st.booleans(),
        },
    )
)
def test_repr_names_exactly_the_set_fields(values: dict[str, object]) -> None:
    company = cw.Company(**values)  # type: ignore[arg-type]
    expected = ", ".join(
        f"{a.name}={values[a.name]!r}" for a in attrs.fields(cw.Company) if values.get(a.name) is not None
    )
    assert repr(company) == f"Company({expected})"


def test_model_html_is_a_table_of_set_fields() -> None:
    html = cw.Company(id=7, name="<Acme & Co>")._repr_html_()
    assert html.startswith("<table><caption style='text-align:left'><b>Company</b></caption>")
    assert (
        "<th style='text-align:left'>name</th><td style='text-align:left'>&lt;Acme &amp; Co&gt;</td>" in html
    )
    assert "city" not in html


def test_clients_resources_and_paginators_have_short_reprs(cw_sandbox: ConnectWiseSandbox) -> None:
    client = cw_client(cw_sandbox)
    assert repr(client) == "ConnectWiseClient(site='api-na.myconnectwise.net', company_id='msplink')"
    assert repr(client.companies) == "<Companies connectwise /company/companies>"
    assert repr(client.companies.list(limit=5)) == "<Paginator connectwise GET /company/companies, limit=5>"
    assert "SandboxPrivateKey01" not in repr(client) + repr(client.companies)
    assert cw_sandbox.requests == []  # reprs make no requests
    assert client.companies.list()._repr_html_().startswith("<p><code>&lt;Paginator connectwise GET")


def test_quickbooks_and_salesforce_client_reprs(
    qbo_sandbox: QuickBooksSandbox, sf_sandbox: SalesforceSandbox
) -> None:
    q = qbo_client(qbo_sandbox)
    assert repr(q) == f"QuickBooksClient(realm_id='{qbo_sandbox.realm_id}', environment='production')"
    assert repr(q.customers) == "<Customers quickbooks Customer>"
    s = sf_client(sf_sandbox)
    assert (
        repr(s)
        == "SalesforceClient(auth=JWTBearerAuth(login_url='https://login.salesforce.com'), api_version='62.0')"
    )
    assert repr(s.accounts) == "<SObjects salesforce Account>"
    assert sf_sandbox.credentials()["private_key"][30:60] not in repr(s)


# ------------------------------------------------------------------------------------------- DataFrames


def test_to_list_is_a_record_list_with_a_table(cw_sandbox: ConnectWiseSandbox) -> None:
    companies = cw_client(cw_sandbox).companies.list(limit=3).to_list()
    assert isinstance(companies, RecordList) and len(companies) == 3
    assert companies == list(companies)
    html = companies._repr_html_()
    assert html.startswith("<p>3 records</p><table><tr><th>id</th><th>name</th>") or "<th>id</th>" in html
    assert RecordList([])._repr_html_() == "<p><i>no records</i></p>"


def test_connectwise_to_pandas_dtypes_and_calls(cw_sandbox: ConnectWiseSandbox) -> None:
    client = cw_client(cw_sandbox)
    frame = client.companies.list(page_size=2).to_pandas()
    assert len(frame) == 5
    assert cw_sandbox.count("GET", r"/company/companies$") == 3  # 2 + 2 + 1: one request per page
    assert frame["id"].dtype == "Int64"
    assert frame["annual_revenue"].dtype == "float64"
    assert frame["status.name"].tolist() == [c.status and c.status.name for c in client.companies.list()]
    assert frame["deleted_flag"].dtype == "boolean"
    assert "raw" not in frame.columns and "info" not in frame.columns


def test_quickbooks_to_pandas_money_and_datetimes(qbo_sandbox: QuickBooksSandbox) -> None:
    frame = qbo_client(qbo_sandbox).invoices.list().to_pandas()
    assert frame["total_amt"].dtype == "float64"
    assert str(frame["meta_data.last_updated_time"].dtype) == "datetime64[ns, UTC]"
    assert str(frame["txn_date"].dtype) == "datetime64[ns]"
    assert frame["customer_ref.value"].notna().all()


def test_salesforce_rows_to_pandas(sf_sandbox: SalesforceSandbox) -> None:
    frame = sf_client(sf_sandbox).query("SELECT Id, Name, Owner.Name FROM Account").to_pandas()
    assert list(frame.columns) == ["Id", "Name", "Owner.Name"]  # record ``attributes`` left out


def test_money_too_precise_for_floats_stays_decimal() -> None:
    exact = Decimal("12345678901234.567")  # 17 significant digits
    frame = msplink.to_pandas([qbo.Invoice(total_amt=exact), qbo.Invoice(total_amt=Decimal("1"))])
    assert frame["total_amt"].dtype == object
    assert frame["total_amt"].tolist() == [exact, Decimal("1")]


@given(
    st.lists(
        st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-(10**12), max_value=10**12)
        | st.none(),
        min_size=1,
    )
)
def test_float_money_prints_back_as_the_same_decimal(values: list[Decimal | None]) -> None:
    kind, data = column_values(list(values))
    if kind == "float-decimal":
        for original, number in zip(values, data, strict=True):
            assert (original is None and number is None) or Decimal(repr(number)) == original
    else:
        assert kind in {"decimal", "other"}


def test_column_kinds() -> None:
    aware = datetime(2026, 3, 2, 9, 30, tzinfo=timezone.utc)
    assert column_values([aware, None])[0] == "datetime"
    assert column_values([datetime(2026, 3, 2), None])[0] == "other"  # naive: not typed as UTC
    assert column_values([date(2026, 3, 2)])[0] == "date"
    assert column_values([True, None])[0] == "bool"
    assert column_values([1, None, 3])[0] == "int"
    frame = msplink.to_pandas([{"when": aware, "n": 1}, {"n": None}])
    assert str(frame["when"].dtype) == "datetime64[ns, UTC]" and frame["n"].dtype == "Int64"


def test_to_pandas_without_pandas(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ConfigurationError, match=r"pip install 'msplink\[pandas\]'"):
        msplink.to_pandas([{"a": 1}])


def test_async_to_pandas(cw_sandbox: ConnectWiseSandbox) -> None:
    import asyncio

    from msplink.connectwise import AsyncConnectWiseClient

    async def read() -> Any:
        async with AsyncConnectWiseClient(
            **cw_sandbox.credentials(), transport=cw_sandbox.transport()
        ) as client:
            return await client.companies.list(limit=4).to_pandas()

    assert len(asyncio.run(read())) == 4


# ------------------------------------------------------------------------------------ progress, throttling


def test_progress_bar_counts_records_with_the_total_salesforce_reports(
    sf_sandbox: SalesforceSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    bars: list[object] = []
    from msplink._core import _progress

    original = _progress.ProgressBar.__init__

    def spy(self: _progress.ProgressBar, **kwargs: object) -> None:
        original(self, **kwargs)  # type: ignore[arg-type]
        bars.append(self)

    monkeypatch.setattr(_progress.ProgressBar, "__init__", spy)
    rows = sf_client(sf_sandbox).query("SELECT Id FROM Account", page_size=200).to_list(progress=True)
    (bar,) = bars
    assert bar.count == len(rows) == 5  # type: ignore[attr-defined]
    assert bar.bar.total == 5  # type: ignore[attr-defined]  # Salesforce's totalSize


def test_progress_without_tqdm(cw_sandbox: ConnectWiseSandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    with pytest.raises(ConfigurationError, match=r"pip install 'msplink\[progress\]'"):
        cw_client(cw_sandbox).companies.list().to_list(progress=True)
    assert cw_sandbox.requests == []


def test_throttling_waits_over_a_second_are_logged_and_shown(
    cw_sandbox: ConnectWiseSandbox, caplog: pytest.LogCaptureFixture
) -> None:
    clock = FakeClock()
    client = ConnectWiseClient(
        **cw_sandbox.credentials(), transport=cw_sandbox.transport(), codebase="v2025_1",
        rate_limit=RateLimit(requests=2, per=10.0), sleep=clock.sleep, clock=clock.monotonic,
        retry=RetryPolicy.none(),
    )  # fmt: skip
    from msplink._core import _progress

    with (
        caplog.at_level(logging.INFO, logger="msplink.connectwise"),
        _progress.progress_bar(True, desc="t") as bar,
    ):
        rows = client.companies.list(page_size=1, limit=3).to_list()
    assert len(rows) == 3 and clock.sleeps == [10.0]
    messages = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
    assert messages == ["client-side rate limit (2 requests per 10 s) reached: waiting 10.0 s"]
    assert bar is not None and bar.waits == ["waiting 10.0 s: client-side rate limit"]


def test_short_throttling_waits_stay_quiet(
    cw_sandbox: ConnectWiseSandbox, caplog: pytest.LogCaptureFixture
) -> None:
    clock = FakeClock()
    client = ConnectWiseClient(
        **cw_sandbox.credentials(), transport=cw_sandbox.transport(), codebase="v2025_1",
        rate_limit=RateLimit(requests=2, per=1.0), sleep=clock.sleep, clock=clock.monotonic,
    )  # fmt: skip
    with caplog.at_level(logging.INFO, logger="msplink"):
        client.companies.list(page_size=1, limit=3).to_list()
    assert clock.sleeps == [1.0]
    assert [r for r in caplog.records if r.levelno == logging.INFO] == []
