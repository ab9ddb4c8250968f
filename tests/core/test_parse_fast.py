"""The compiled parsing hot path gives exactly the reference (cattrs) path's result.

The reference is each vendor's cattrs converter with detailed validation, the path every model took
before the hooks were compiled. Random payloads start from real ones (CW payloads of the test-suite
and the benchmark's full records, QBO samples, SF query samples) and are mutated the ways vendors and
projections change them: fields dropped (projection), nulls, numbers sent as strings, strings where a
datetime belongs, empty strings, nested objects replaced by scalars, extra keys. Both paths must
agree: the same model (``==`` and the same ``to_api()``), or both refuse.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from benchmarks import _payloads as bench
from dateutil import parser as date_parser
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from msplink._core import parse_datetime
from msplink._core._hooks import FastStructurer, ParseError
from msplink.connectwise import ConnectWiseClient
from msplink.connectwise import models as cw
from msplink.connectwise.models import _converter as cw_converter
from msplink.errors import APIError
from msplink.quickbooks import models as qbo
from msplink.quickbooks.models import _converter as qbo_converter
from msplink.salesforce import models as sf
from msplink.salesforce.models import _converter as sf_converter
from msplink.testing import MockRouter
from tests.mappers import cw_payloads
from tests.quickbooks.conftest import sample as qbo_sample

SF_SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "apis" / "salesforce" / "samples"
if not SF_SAMPLES.is_dir():  # pragma: no cover - a worktree outside /work
    SF_SAMPLES = Path("/work/shared/apis/salesforce/samples")


def _decimal_json(value: Any) -> Any:
    """A payload as the clients decode it (fractions as Decimal)."""
    return json.loads(json.dumps(value, default=str), parse_float=Decimal)


CW_CASES: list[tuple[type[Any], dict[str, Any]]] = [
    (cw.Company, bench.cw_company(3)),
    (cw.Ticket, bench.cw_ticket(4)),
    (cw.Company, cw_payloads.COMPANY),
    (cw.Company, cw_payloads.VENDOR_COMPANY),
    (cw.Contact, cw_payloads.CONTACT),
    (cw.Contact, cw_payloads.CONTACT_FIXTURE),
    (cw.CatalogItem, cw_payloads.CATALOG_ITEM),
    (cw.Agreement, cw_payloads.AGREEMENT),
    (cw.AgreementAddition, cw_payloads.ADDITIONS[0]),
    (cw.Invoice, cw_payloads.INVOICE),
    (cw.Invoice, cw_payloads.INVOICE_FIXTURE),
    (cw.InvoicePayment, cw_payloads.INVOICE_PAYMENT),
    (cw.TimeEntry, cw_payloads.TIME_ENTRY),
    (cw.TimeEntry, cw_payloads.TIME_ENTRY_FIXTURE),
    (cw.Ticket, cw_payloads.TICKET),
    (cw.Opportunity, cw_payloads.OPPORTUNITY),
    (cw.PurchaseOrder, cw_payloads.PURCHASE_ORDER),
    (cw.PurchaseOrderLineItem, cw_payloads.PURCHASE_ORDER_LINES[0]),
    (cw.ProductItem, cw_payloads.PRODUCT_ITEM),
    (cw.CompanySite, cw_payloads.BILLING_SITE),
]
CW_CASES = [(cls, _decimal_json(payload)) for cls, payload in CW_CASES]

QBO_CASES: list[tuple[type[Any], dict[str, Any]]] = [
    (cls, qbo_sample(name)[cls.entity_name])  # type: ignore[attr-defined]
    for name, cls in [
        ("account-read-response.json", qbo.Account),
        ("bill-read-response.json", qbo.Bill),
        ("customer-read-response.json", qbo.Customer),
        ("employee-read-response.json", qbo.Employee),
        ("estimate-read-response.json", qbo.Estimate),
        ("invoice-read-response.json", qbo.Invoice),
        ("item-read-response.json", qbo.Item),
        ("journalentry-read-response.json", qbo.JournalEntry),
        ("payment-read-response.json", qbo.Payment),
        ("purchaseorder-read-response.json", qbo.PurchaseOrder),
        ("taxrate-read-response.json", qbo.TaxRate),
        ("timeactivity-read-response.json", qbo.TimeActivity),
        ("vendor-read-response.json", qbo.Vendor),
    ]
]

_SF_TYPED: dict[str, type[sf.SObject]] = {
    "Account": sf.Account,
    "Contact": sf.Contact,
    "Lead": sf.Lead,
    "Opportunity": sf.Opportunity,
    "Case": sf.Case,
    "Task": sf.Task,
    "Contract": sf.Contract,
    "User": sf.User,
}


def _sf_cases() -> list[tuple[type[Any], dict[str, Any]]]:
    cases: list[tuple[type[Any], dict[str, Any]]] = []
    for path in sorted(SF_SAMPLES.glob("query-*.json")):
        body = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
        for record in body.get("records", [])[:3]:
            cls = _SF_TYPED.get(record.get("attributes", {}).get("type", ""))
            if cls is not None:
                cases.append((cls, record))
    return cases


SF_CASES = _sf_cases()


def _odd_values(value: Any) -> list[Any]:
    """What a vendor, a proxy or a caller may send instead of ``value``."""
    odd: list[Any] = [None, "", "x", 0, 1, True, False, [], {}, Decimal("1.5"), 2.5]
    if isinstance(value, bool):
        odd += ["true", "False", "1", "0", "maybe"]
    elif isinstance(value, int):
        odd += [str(value), Decimal(value), Decimal(value) + Decimal("0.5"), " 7 ", "1e3"]
    elif isinstance(value, Decimal):
        odd += [str(value), int(value), float(value), Decimal("NaN"), "NaN", "lots", " 3.25 "]
    elif isinstance(value, str):
        odd += [value.upper(), "2024-03-01T10:00:00Z", "2024-03-01T10:00:00.5-0700", "2024-03-01", "  ", 12]
    elif isinstance(value, list):
        odd += ["x", value[:1], [None], [{"id": "x"}], ["a", 1], ("a",)]
    elif isinstance(value, dict):
        odd += [{"id": "x"}, {"id": 1, "name": 2}, ["x"]]
    return odd


def _variants(value: Any) -> st.SearchStrategy[Any]:
    return st.sampled_from(_odd_values(value))


@st.composite
def _mutated(draw: st.DrawFn, payload: dict[str, Any], depth: int = 0) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in payload.items():
        action = draw(st.sampled_from(["keep", "keep", "drop", "vary", "vary", "nest"]))
        if action == "drop":  # a projection, or a field the tenant leaves empty
            continue
        if action == "nest" and isinstance(value, dict) and depth < 2:
            out[key] = draw(_mutated(value, depth + 1))
        elif (
            action == "nest"
            and isinstance(value, list)
            and value
            and isinstance(value[0], dict)
            and depth < 2
        ):
            out[key] = [draw(_mutated(item, depth + 1)) for item in value]
        elif action == "vary":
            out[key] = draw(_variants(value))
        else:
            out[key] = value
    if draw(st.booleans()):
        out["unknownKey"] = draw(st.sampled_from([1, "x", None, {"a": 1}]))
    return out


def _typed(value: Any) -> Any:
    """A value with its exact types spelt out (``True`` is not ``1``, ``Decimal("1.0")`` not ``Decimal(1)``)."""
    if hasattr(value, "__attrs_attrs__"):
        return (
            type(value),
            tuple((a.name, _typed(getattr(value, a.name))) for a in value.__attrs_attrs__ if a.name != "raw"),
        )
    if isinstance(value, (tuple, list)):
        return (type(value), tuple(_typed(item) for item in value))
    if isinstance(value, dict):
        return (dict, tuple((k, _typed(v)) for k, v in value.items()))
    if isinstance(value, Decimal):
        return (Decimal, str(value))
    if isinstance(value, datetime):
        return (datetime, value.isoformat(), value.utcoffset())
    return (type(value), value)


def _outcome(parse: Callable[[], Any]) -> Any:
    try:
        return ("ok", parse())
    except (ValueError, TypeError, KeyError, AttributeError, ArithmeticError) as exc:
        return ("error", type(exc))
    except Exception as exc:  # cattrs validation groups
        return ("error", type(exc))


def _assert_same(fast: FastStructurer, cls: type[Any], payload: dict[str, Any]) -> None:
    compiled = _outcome(lambda: fast.hook(cls)(payload))
    reference = _outcome(lambda: fast.reference_hook(cls)(payload, cls))
    assert compiled[0] == reference[0], (compiled, reference)
    if compiled[0] == "ok":
        new, old = compiled[1], reference[1]
        assert new == old
        assert _typed(new) == _typed(old)
        assert new.to_api() == old.to_api()
        assert new.raw is payload


_PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_PROPERTY
@given(st.data())
def test_connectwise_fast_path_equals_reference(data: st.DataObject) -> None:
    cls, payload = data.draw(st.sampled_from(CW_CASES))
    _assert_same(cw_converter.FAST, cls, data.draw(_mutated(payload)))


@_PROPERTY
@given(st.data())
def test_quickbooks_fast_path_equals_reference(data: st.DataObject) -> None:
    cls, payload = data.draw(st.sampled_from(QBO_CASES))
    _assert_same(qbo_converter._FAST, cls, data.draw(_mutated(payload)))


@pytest.mark.skipif(not SF_CASES, reason="the shared Salesforce samples are not beside the checkout")
@_PROPERTY
@given(st.data())
def test_salesforce_fast_path_equals_reference(data: st.DataObject) -> None:
    cls, payload = data.draw(st.sampled_from(SF_CASES))
    mutated = data.draw(_mutated(payload))
    _assert_same(sf_converter._SOBJECTS, cls, mutated)
    parsed = _outcome(lambda: cls.from_api(mutated))
    if parsed[0] == "ok":
        assert parsed[1].custom == {k: v for k, v in mutated.items() if k.endswith("__c")}


def _fast_of(cls: type[Any]) -> FastStructurer:
    if cls.__module__.startswith("msplink.connectwise"):
        return cw_converter.FAST
    if cls.__module__.startswith("msplink.quickbooks"):
        return qbo_converter._FAST
    return sf_converter._SOBJECTS


@pytest.mark.parametrize(("cls", "payload"), CW_CASES + QBO_CASES + SF_CASES)
def test_real_payloads_parse_on_the_fast_path_exactly(cls: type[Any], payload: dict[str, Any]) -> None:
    _assert_same(_fast_of(cls), cls, payload)


_EXHAUSTIVE = [CW_CASES[0], CW_CASES[1], QBO_CASES[2], QBO_CASES[5], *SF_CASES[:1]]


@pytest.mark.parametrize(("cls", "payload"), _EXHAUSTIVE, ids=lambda v: getattr(v, "__name__", ""))
def test_every_field_with_every_odd_value_agrees(cls: type[Any], payload: dict[str, Any]) -> None:
    """One field at a time, every odd value a wire may carry, at the top level and one level down."""
    fast = _fast_of(cls)
    checked = 0
    for key, value in payload.items():
        for odd in _odd_values(value):
            _assert_same(fast, cls, {**payload, key: odd})
            checked += 1
        if isinstance(value, dict):
            for inner, inner_value in value.items():
                for odd in _odd_values(inner_value)[:6]:
                    _assert_same(fast, cls, {**payload, key: {**value, inner: odd}})
                    checked += 1
    assert checked > 10 * len(payload)


def _old_parse_datetime_text(text: str) -> datetime:
    """The parser before the hot path (dateutil's ``isoparse`` first), the reference of the new order."""
    try:
        return date_parser.isoparse(text)
    except (ValueError, OverflowError):
        pass
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    try:
        return date_parser.parse(text)
    except (ValueError, OverflowError):
        raise ValueError(text) from None


def _old_parse_datetime(text: str) -> datetime:
    result = _old_parse_datetime_text(text.strip())
    return result if result.tzinfo is not None else result.replace(tzinfo=timezone.utc)


_OFFSETS = st.sampled_from(
    ["", "Z", "z", "+00:00", "-07:00", "+0530", "-0000", "+05", " Z", "+14:00", "+05:30:15"]
)
_FRACTIONS = st.sampled_from(["", ".0", ".5", ".123", ".000", ".123456", ".1234567", ",5"])


@st.composite
def _iso_texts(draw: st.DrawFn) -> str:
    moment = draw(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)))
    separator = draw(st.sampled_from(["T", " ", "t"]))
    date_part = draw(st.sampled_from([moment.strftime("%Y-%m-%d"), moment.strftime("%Y%m%d")]))
    time_part = draw(
        st.sampled_from(
            [moment.strftime("%H:%M:%S"), moment.strftime("%H:%M"), moment.strftime("%H"), "24:00:00"]
        )
    )
    if draw(st.integers(0, 9)) == 0:
        return date_part
    return f"{date_part}{separator}{time_part}{draw(_FRACTIONS)}{draw(_OFFSETS)}"


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(_iso_texts(), st.datetimes(timezones=st.one_of(st.none(), st.timezones())).map(str), st.text())
)
def test_fromisoformat_first_gives_the_old_datetimes(text: str) -> None:
    new = _outcome(lambda: parse_datetime(text))
    old = _outcome(lambda: _old_parse_datetime(text))
    assert new[0] == old[0]
    if new[0] == "ok":
        assert new[1] == old[1]
        assert new[1].utcoffset() == old[1].utcoffset()
        assert new[1].replace(tzinfo=None) == old[1].replace(tzinfo=None)


def test_vendor_datetimes_read_on_the_fast_parser() -> None:
    expected = datetime(2026, 3, 2, 14, 5, tzinfo=timezone.utc)
    assert parse_datetime("2026-03-02T14:05:00Z") == expected
    assert parse_datetime("2026-03-02T07:05:00.000-0700") == expected
    assert parse_datetime("2026-03-02T14:05:00.000+0000").utcoffset() == timedelta(0)


def test_hooks_are_compiled_once_per_class() -> None:
    hook = cw_converter.FAST.hook(cw.Company)
    assert cw_converter.FAST.hook(cw.Company) is hook
    assert "def hook(data)" in (hook.__doc__ or "")
    company = cw.Company.from_api(CW_CASES[0][1])
    assert company.status is not None and company.status.raw is CW_CASES[0][1]["status"]


def test_a_projected_payload_gives_the_full_payloads_values() -> None:
    full = CW_CASES[0][1]
    reads = ("id", "name", "status", "billingTerms", "_info", "customFields")
    projected = cw.Company.from_api({k: full[k] for k in reads})
    complete = cw.Company.from_api(full)
    assert projected.raw is not complete.raw
    for name in ("id", "name", "status", "billing_terms", "last_updated", "updated_by", "custom_fields"):
        assert getattr(projected, name) == getattr(complete, name)
    assert projected.city is None and projected.types is None


@pytest.mark.parametrize(
    ("payload", "path"),
    [
        ({"id": "not-a-number"}, "Company.id"),
        ({"id": 1, "status": {"id": "x"}}, "Company.status.id"),
        (
            {"customFields": [{"id": 1}, {"numberOfDecimals": "many"}]},
            "Company.custom_fields[1].number_of_decimals",
        ),
        ({"_info": {"lastUpdated": "yesterday-ish"}}, "Company.last_updated"),
    ],
)
def test_errors_name_the_field_path(payload: dict[str, Any], path: str) -> None:
    with pytest.raises(ParseError) as info:
        cw.Company.from_api(payload)
    assert info.value.path.startswith(path)
    assert "not-a-number" not in str(info.value) and "many" not in str(info.value)


def test_malformed_pages_are_api_errors_naming_the_field_path() -> None:
    router = MockRouter()
    body = json.dumps([{"id": 1}, {"id": 2, "customFields": [{"id": "x"}]}]).encode()
    router.add("GET", "/v2025_1/apis/3.0/company/companies", httpx.Response(200, content=body))
    client = ConnectWiseClient(
        site="na",
        company_id="acme",
        public_key="pub",
        private_key="priv",
        client_id="cid",
        codebase="v2025_1",
        transport=router.transport(),
    )
    with pytest.raises(APIError) as info:
        client.companies.list().to_list()
    assert info.value.codes == ("malformed_response",)
    assert (
        info.value.errors[0].message == "unreadable response body (ParseError at Company.custom_fields[0].id)"
    )


def test_quickbooks_and_salesforce_errors_name_the_field_path() -> None:
    with pytest.raises(ParseError) as info:
        qbo.Customer.from_api({"Id": "1", "Balance": "lots"})
    assert info.value.path == "Customer.balance"
    with pytest.raises(ParseError) as sf_info:
        sf.Account.from_api({"Id": "001", "AnnualRevenue": "lots"})
    assert sf_info.value.path == "Account.annual_revenue"
