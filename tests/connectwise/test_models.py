"""Wire models: real payloads parse (raw kept), partial updates become CW JSON Patch, bad payloads are typed."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

import attrs
import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from msplink._core import UNSET
from msplink.connectwise import ConnectWiseClient
from msplink.connectwise import models as m
from msplink.connectwise.models._converter import structure
from msplink.errors import APIError
from msplink.testing import MockRouter

from . import payloads as p

REAL = [
    (m.CompanyInfo, p.COMPANY_INFO),
    (m.CompanyInfo, p.COMPANY_INFO_DG),
    (m.Callback, p.CALLBACK_CREATED),
    (m.Contact, p.CONTACT),
    (m.CommunicationItem, p.COMMUNICATION_ITEMS[0]),
    (m.TimeEntry, p.TIME_ENTRY),
    (m.TimeEntry, p.TIME_ENTRY_POST),
    (m.Invoice, p.INVOICE),
]


@pytest.mark.parametrize(("model", "payload"), REAL, ids=lambda v: getattr(v, "__name__", ""))
def test_real_payloads_parse_and_keep_raw(model: type[m.Model], payload: dict[str, Any]) -> None:
    parsed = model.from_api(payload)
    assert parsed.raw == payload
    assert "raw" not in repr(parsed)
    again = model.from_api(payload)
    assert again == parsed


def test_real_payload_values() -> None:
    info = m.CompanyInfo.from_api(p.COMPANY_INFO_DG)
    assert info.is_cloud is True
    assert info.codebase == "v2020_4/"
    contact = m.Contact.from_api(p.CONTACT)
    assert contact.last_updated == datetime(2024, 5, 1, 10, 20, 30, tzinfo=timezone.utc)
    assert contact.updated_by == "jdoe"
    assert contact.company is not None and contact.company.identifier == "ACME"
    assert contact.site == m.Reference()
    assert contact.communication_items is not None
    assert [c.communication_type for c in contact.communication_items] == ["Phone", "Email"]
    assert contact.custom_fields is not None and contact.custom_fields[2].value == Decimal("12.5")
    assert contact.raw["phoneIntegrationType"] == "TEL"
    entry = m.TimeEntry.from_api(p.TIME_ENTRY)
    assert entry.hourly_rate == Decimal("150.00") and isinstance(entry.actual_hours, Decimal)
    assert entry.invoice_ready == 0
    assert entry.invoice is not None and entry.invoice.billing_type == "Standard"
    invoice = m.Invoice.from_api(p.INVOICE)
    assert invoice.total == Decimal("182714.0")
    assert invoice.currency is not None and invoice.currency.currency_code == "USD"
    assert invoice.agreement is not None and invoice.agreement.type == "MSP"
    assert invoice.status is not None and invoice.status.raw["isClosed"] is False


def test_to_api_round_trip() -> None:
    entry = m.TimeEntry.from_api(p.TIME_ENTRY_POST)
    body = entry.to_api()
    assert body["timeStart"] == "2024-02-15T09:00:00Z"
    assert body["member"] == {"identifier": "jdoe"}
    assert m.TimeEntry.from_api(body) == entry


def test_every_seeded_record_parses_strictly() -> None:
    from msplink.sandbox.connectwise import ConnectWiseSandbox

    sb = ConnectWiseSandbox()
    sb.seed(size=3)
    models: dict[str, type[m.Model]] = {
        "companies": m.Company,
        "sites": m.CompanySite,
        "contacts": m.Contact,
        "communications": m.CommunicationItem,
        "agreements": m.Agreement,
        "additions": m.AgreementAddition,
        "invoices": m.Invoice,
        "payments": m.InvoicePayment,
        "billingTerms": m.BillingTerm,
        "taxCodes": m.TaxCode,
        "timeEntries": m.TimeEntry,
        "tickets": m.Ticket,
        "boards": m.Board,
        "statuses": m.BoardStatus,
        "priorities": m.Priority,
        "projects": m.Project,
        "purchaseOrders": m.PurchaseOrder,
        "lineItems": m.PurchaseOrderLineItem,
        "catalog": m.CatalogItem,
        "products": m.ProductItem,
        "opportunities": m.Opportunity,
        "members": m.Member,
    }
    for name, model in models.items():
        records = sb.records(name)
        assert records, name
        for record in records:
            structure(record, model, strict=True)


def test_partial_update_becomes_patch_ops() -> None:
    patch = m.TicketUpdate(
        summary="New Summary",
        company=m.Reference(identifier="NewCo"),
        status=m.Reference(id=552),
        required_date=None,
        custom_fields=(m.CustomFieldValue(id=5, caption="CloudPlus", value=False),),
    )
    ops = patch.to_patch()
    assert {"op": "replace", "path": "summary", "value": "New Summary"} in ops
    assert {"op": "replace", "path": "company", "value": {"identifier": "NewCo"}} in ops
    assert {"op": "replace", "path": "status", "value": {"id": 552}} in ops
    assert {"op": "replace", "path": "requiredDate", "value": None} in ops
    assert {
        "op": "replace",
        "path": "customFields",
        "value": [{"id": 5, "caption": "CloudPlus", "value": False}],
    } in ops
    assert len(ops) == 5
    assert m.TicketUpdate().is_empty()
    assert m.TicketUpdate().to_patch() == []


@settings(max_examples=100, deadline=None)
@given(
    name=st.one_of(st.just(UNSET), st.none(), st.text(max_size=20)),
    revenue=st.one_of(
        st.just(UNSET), st.none(), st.decimals(allow_nan=False, allow_infinity=False, places=2)
    ),
    flag=st.one_of(st.just(UNSET), st.none(), st.booleans()),
)
def test_update_ops_match_set_fields(name: Any, revenue: Any, flag: Any) -> None:
    patch = m.CompanyUpdate(name=name, annual_revenue=revenue, lead_flag=flag)
    ops = {op["path"]: op["value"] for op in patch.to_patch()}
    expected = {
        k: v for k, v in {"name": name, "annualRevenue": revenue, "leadFlag": flag}.items() if v is not UNSET
    }
    assert ops == expected


@settings(max_examples=100, deadline=None)
@given(
    st.fixed_dictionaries(
        {},
        optional={
            "id": st.integers(1, 2**31 - 1),
            "identifier": st.text(max_size=10),
            "name": st.text(max_size=20),
            "annualRevenue": st.decimals(allow_nan=False, allow_infinity=False, places=2),
            "deletedFlag": st.booleans(),
            "unknownField": st.text(max_size=5),
        },
    )
)
def test_company_parse_is_total_on_valid_shapes(payload: dict[str, Any]) -> None:
    company = m.Company.from_api(payload)
    assert company.raw == payload
    assert company.to_api() == {k: v for k, v in payload.items() if k != "unknownField"}


@pytest.mark.parametrize(
    "payload",
    [
        {"id": "not-a-number"},
        {"annualRevenue": "lots"},
        {"deletedFlag": "maybe"},
        {"dateAcquired": "yesterday-ish"},
        {"status": "Active"},
    ],
)
def test_malformed_fields_raise(payload: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        m.Company.from_api(payload)


@pytest.mark.parametrize("body", [b"<html>oops</html>", b'{"id": 1}', b'[{"id": "x"}]', b"[1, 2]", b"[{"])
def test_malformed_responses_are_typed_api_errors(body: bytes) -> None:
    router = MockRouter()
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
    assert info.value.status_code == 200
    assert info.value.codes == ("malformed_response",)


def test_models_are_frozen() -> None:
    company = m.Company(name="x")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        company.name = "y"  # type: ignore[misc]


def _sample(tp: Any) -> Any:
    import types
    import typing

    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        return _sample(inner[0])
    if origin is tuple:
        return [_sample(typing.get_args(tp)[0])]
    if tp is int:
        return 7
    if tp is Decimal:
        return Decimal("12.50")
    if tp is bool:
        return True
    if tp is str:
        return "text"
    if tp is datetime:
        return "2024-01-02T03:04:05Z"
    if isinstance(tp, type) and issubclass(tp, m.Model):
        return {"id": 3, "name": "ref"} if issubclass(tp, m.Reference) else {"id": 3}
    return {"any": "thing"} if origin is not None else "value"


ALL_MODELS = sorted(
    (
        obj
        for obj in vars(m).values()
        if isinstance(obj, type) and issubclass(obj, m.Model) and not obj.__name__.startswith("_")
    ),
    key=lambda c: c.__name__,
)


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda c: c.__name__)
def test_every_field_of_every_model_parses_strictly(model: type[m.Model]) -> None:
    attrs.resolve_types(model)
    payload: dict[str, Any] = {}
    for field in attrs.fields(model):
        wire = field.metadata.get("wire")
        if wire and wire != "_info":
            payload[wire] = _sample(field.type)
    parsed = structure(payload, model, strict=True)
    assert parsed.raw == payload
    assert parsed.to_api() == payload


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=200),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=10),
            lambda inner: (
                st.lists(inner, max_size=3)
                | st.dictionaries(
                    st.sampled_from(
                        ["code", "message", "errors", "error", "field", "resource", "details", "x"]
                    ),
                    inner,
                    max_size=4,
                )
            ),
            max_leaves=12,
        ).map(lambda v: __import__("json").dumps(v).encode()),
    ),
    st.sampled_from([400, 401, 404, 429, 500, 503]),
)
def test_error_body_parser_is_total(body: bytes, status: int) -> None:
    from msplink.connectwise._errors import parse_error_body

    details = parse_error_body(httpx.Response(status, content=body))
    assert isinstance(details, tuple)
    assert all(isinstance(d.message, str) for d in details)


def test_error_body_shapes() -> None:
    from msplink.connectwise._errors import parse_error_body

    invalid = parse_error_body(httpx.Response(400, json=p.INVALID_OBJECT))
    assert [(d.code, d.fields, d.element) for d in invalid] == [
        ("InvalidObject", (), None),
        ("NotFound", ("company/id",), "ticket"),
    ]
    throttled = parse_error_body(httpx.Response(429, json=p.THROTTLED))
    assert throttled[0].code == "ConnectWiseAPI" and "30 seconds" in throttled[0].message
    html = parse_error_body(
        httpx.Response(502, content=b"<html><title>502 Bad Gateway</title><body>cf</body></html>")
    )
    assert html[0].message == "502 Bad Gateway"
    assert parse_error_body(httpx.Response(404, content=b"")) == ()
