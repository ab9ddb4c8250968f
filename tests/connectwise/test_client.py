"""The sync and async clients against the sandbox, through the same cases (exact API-call counts)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from msplink._core import RateLimit, RetryPolicy
from msplink.connectwise import ConnectWiseClient, Watermark
from msplink.connectwise import models as m
from msplink.connectwise.conditions import C, F, custom_field
from msplink.errors import (
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    NotFoundError,
    QueryError,
    RateLimitError,
)
from msplink.sandbox._framework import FaultKind
from msplink.sandbox.connectwise import ConnectWiseSandbox
from msplink.testing import FakeClock


def _companies(sandbox: ConnectWiseSandbox, n: int) -> None:
    for i in range(n):
        sandbox.insert(
            "companies", {"identifier": f"C{i:05d}", "name": f"Company {i}", "deletedFlag": i % 2 == 0}
        )


def test_listing_2500_companies_is_three_pages_plus_discovery(cw: Any, sandbox: ConnectWiseSandbox) -> None:
    _companies(sandbox, 2500)
    companies = cw.companies.list().to_list()
    assert len(companies) == 2500
    assert len({c.id for c in companies}) == 2500
    assert sandbox.count("GET", r"/company/companies$") == 3
    assert sandbox.count("GET", r"/login/companyinfo/") == 1
    assert len(sandbox.requests) == 4
    assert cw.api_calls.total == 4
    assert cw.codebase == "v2025_1/"


def test_explicit_codebase_skips_discovery(make_client: Any, sandbox: ConnectWiseSandbox) -> None:
    _companies(sandbox, 2500)
    client = make_client(codebase="v2025_1")
    assert len(client.companies.list(forward_only=False).to_list()) == 2500
    assert [r.path for r in sandbox.requests] == ["/v2025_1/apis/3.0/company/companies"] * 3
    assert "page=3" in sandbox.requests[-1].query


def test_exact_multiple_of_page_size_needs_no_extra_call(cw: Any, sandbox: ConnectWiseSandbox) -> None:
    _companies(sandbox, 2000)
    assert len(cw.companies.list().to_list()) == 2000
    assert sandbox.count("GET", r"/company/companies$") == 2
    sandbox.clear_log()
    assert len(cw.companies.list(forward_only=False).to_list()) == 2000
    assert sandbox.count("GET", r"/company/companies$") == 2


def test_codebase_is_discovered_once(cw: Any, sandbox: ConnectWiseSandbox) -> None:
    _companies(sandbox, 3)
    cw.companies.get(1)
    cw.companies.get(2)
    cw.companies.count()
    assert sandbox.count("GET", r"/login/companyinfo/") == 1
    assert len(sandbox.requests) == 4


def test_limit_and_small_pages(cw: Any, sandbox: ConnectWiseSandbox) -> None:
    _companies(sandbox, 30)
    assert [c.id for c in cw.companies.list(page_size=10, limit=15).to_list()] == list(range(1, 16))
    assert sandbox.count("GET", r"/company/companies$") == 2


def test_pages_carry_checkpointable_cursors(cw: Any, sandbox: ConnectWiseSandbox) -> None:
    _companies(sandbox, 25)
    pages = list(cw.companies.list(page_size=10).pages())
    assert [len(p.items) for p in pages] == [10, 10, 5]
    assert [p.next_cursor for p in pages] == ["10", "20", None]
    sandbox.clear_log()
    resumed = cw.companies.list(page_size=10, cursor=pages[0].next_cursor).to_list()
    assert [c.id for c in resumed] == list(range(11, 26))
    navigable = list(cw.companies.list(page_size=10, forward_only=False).pages())
    assert [p.next_cursor for p in navigable] == ["2", "3", None]
    again = cw.companies.list(page_size=10, forward_only=False, cursor="3").to_list()
    assert len(again) == 5


def test_conditions_filter_and_count(cw: Any, sandbox: ConnectWiseSandbox) -> None:
    _companies(sandbox, 40)
    live = C.deleted_flag == False  # noqa: E712 - builds a condition
    assert cw.companies.count(where=live) == 20
    assert len(cw.companies.list(where=live & C.name.like("Company 1%")).to_list()) == 6
    assert cw.companies.count(where=F("identifier").in_(["C00001", "C00002", "nope"])) == 2
    assert cw.companies.count(where='name contains "any 3"') == 11
    assert cw.companies.count(where=C.name.contains("%")) == 0


def test_order_by_uses_navigable_paging(cw: Any, sandbox: ConnectWiseSandbox) -> None:
    _companies(sandbox, 5)
    names = [c.name for c in cw.companies.list(order_by=C.name.desc()).to_list()]
    assert names == sorted(names, reverse=True)
    assert "page=1" in sandbox.requests[-1].query
    with pytest.raises(QueryError):
        cw.companies.list(order_by="name asc", forward_only=True)


def test_fields_projection(cw: Any, sandbox: ConnectWiseSandbox) -> None:
    sandbox.seed(size=3)
    company = cw.companies.list(fields=["id", "name", "billingTerms/name"]).first()
    assert company.name is not None
    assert company.identifier is None
    assert company.billing_terms.name == "Net 30 days"
    assert company.billing_terms.id is None
    assert set(company.raw) == {"id", "name", "billingTerms"}


def test_child_and_custom_field_conditions(cw: Any, sandbox: ConnectWiseSandbox) -> None:
    sandbox.seed(size=6)
    email = sandbox.records("communications")[0]["value"]
    found = cw.contacts.list(
        child_conditions=(C.communication_items.value == email)
        & (C.communication_items.communication_type == "Email")
    ).to_list()
    assert len(found) == 1
    assert found[0].communication_items[0].value == email
    assert cw.companies.count(custom_field_conditions=custom_field("QBO Customer Id") == "1003") == 1
    assert cw.companies.count(custom_field_conditions=custom_field("QBO Customer Id").is_set()) == 6


def test_crud_round_trip(cw: Any, sandbox: ConnectWiseSandbox, clock: FakeClock) -> None:
    created = cw.companies.create(m.Company(identifier="NEWCO", name="New Co", phone_number="5551234"))
    assert created.id is not None
    assert created.last_updated == clock.now().replace(microsecond=0)
    clock.advance(60)
    updated = cw.companies.update(created.id, m.CompanyUpdate(name="Renamed Co", phone_number=None))
    assert updated.name == "Renamed Co"
    assert updated.phone_number is None
    assert updated.last_updated == created.last_updated + timedelta(seconds=60)
    fetched = cw.companies.get(created.id)
    assert fetched == updated
    cw.companies.delete(created.id)
    with pytest.raises(NotFoundError) as info:
        cw.companies.get(created.id)
    assert info.value.codes == ("NotFound",)
    with pytest.raises(NotFoundError):
        cw.companies.delete(created.id)
    assert sandbox.count("PATCH") == 1
    patch_body = [r for r in sandbox.requests if r.method == "PATCH"]
    assert patch_body[0].path.endswith(f"/company/companies/{created.id}")


def test_update_replaces_references_whole_and_custom_fields(cw: Any, sandbox: ConnectWiseSandbox) -> None:
    sandbox.seed(size=2)
    contact = cw.contacts.list().first()
    other = cw.companies.list(where=C.id != contact.company.id).first()
    fields = (m.CustomFieldValue(id=5, caption="Seats", type="Number", value=Decimal("12.50")),)
    patched = cw.contacts.update(
        contact.id, m.ContactUpdate(company=m.Reference(identifier=other.identifier), custom_fields=fields)
    )
    assert patched.company.id == other.id
    assert patched.company.name == other.name
    assert patched.custom_fields[0].value == Decimal("12.50")


def test_validation_errors_are_typed(cw: Any) -> None:
    with pytest.raises(BadRequestError) as info:
        cw.companies.create(m.Company(name="No identifier"))
    err = info.value
    assert err.status_code == 400
    assert err.codes == ("InvalidObject", "MissingRequiredField")
    assert err.errors[1].fields == ("identifier",)
    assert err.request_id is not None and len(err.request_id) == 32
    with pytest.raises(BadRequestError) as info:
        cw.tickets.create(m.Ticket(summary="x", company=m.Reference(id=99999)))
    assert info.value.errors[1].fields == ("company/id",)
    assert "company 99999 not found" in str(info.value)


def test_duplicates_are_conflicts(cw: Any) -> None:
    cw.companies.create(m.Company(identifier="DUP", name="One"))
    with pytest.raises(ConflictError) as info:
        cw.companies.create(m.Company(identifier="dup", name="Two"))
    assert info.value.status_code == 400
    assert "ObjectExists" in info.value.codes


def test_bad_conditions_field_is_a_bad_request(cw: Any, sandbox: ConnectWiseSandbox) -> None:
    with pytest.raises(BadRequestError) as info:
        cw.companies.count(where=F("ticket") == 1)
    assert info.value.codes == ("ApiFindCondition",)


@pytest.mark.parametrize(
    "text", ['name = "unterminated', "name =", "(name = 1", "name in ()", "AND name = 1", "name ~ 1", ""]
)
def test_malformed_conditions_raise_before_io(cw: Any, sandbox: ConnectWiseSandbox, text: str) -> None:
    with pytest.raises(QueryError):
        cw.companies.list(where=text)
    with pytest.raises(QueryError):
        cw.companies.count(where=text)
    assert sandbox.requests == []


def test_bad_arguments_raise_before_io(cw: Any, sandbox: ConnectWiseSandbox) -> None:
    with pytest.raises(ConfigurationError):
        cw.companies.get(0)
    with pytest.raises(ConfigurationError):
        cw.companies.list(page_size=1001)
    with pytest.raises(ConfigurationError):
        cw.companies.update(1, m.CompanyUpdate())
    with pytest.raises(ConfigurationError):
        cw.companies.update(1, m.ContactUpdate(first_name="x"))
    with pytest.raises(QueryError):
        cw.companies.list(fields=["name", "bad field"])
    assert sandbox.requests == []


def test_wrong_keys_are_authentication_errors(make_client: Any, sandbox: ConnectWiseSandbox) -> None:
    client = make_client(private_key="wrong")
    with pytest.raises(AuthenticationError) as info:
        client.companies.count()
    assert info.value.status_code == 401
    assert "wrong" not in str(info.value) and "wrong" not in repr(info.value)
    routed = make_client(private_key="wrong", codebase="v4_6_release")
    with pytest.raises(AuthenticationError) as info:
        routed.companies.count()
    assert info.value.status_code == 404


def test_missing_client_id_is_rejected(make_client: Any, sandbox: ConnectWiseSandbox) -> None:
    client = make_client(client_id="not-registered")
    with pytest.raises(AuthenticationError):
        client.companies.count()


def test_429_is_retried_after_retry_after(cw: Any, sandbox: ConnectWiseSandbox, clock: FakeClock) -> None:
    _companies(sandbox, 3)
    sandbox.faults.inject(FaultKind.RATE_LIMIT, path=r"/company/companies$", times=2, retry_after=30)
    assert len(cw.companies.list().to_list()) == 3
    assert sandbox.count("GET", r"/company/companies$", status=429) == 2
    assert sandbox.count("GET", r"/company/companies$", status=200) == 1
    assert clock.sleeps.count(30.0) == 2


def test_html_429_from_the_edge(make_client: Any, sandbox: ConnectWiseSandbox) -> None:
    sandbox.html_throttling = True
    sandbox.faults.inject(FaultKind.RATE_LIMIT, retry_after=5)
    client = make_client(retry=RetryPolicy.none())
    with pytest.raises(RateLimitError) as info:
        client.companies.count()
    assert info.value.retry_after == 5
    assert "429 Too Many Requests" in str(info.value)


def test_server_rate_limit_and_client_limiter(
    make_client: Any, sandbox: ConnectWiseSandbox, clock: FakeClock
) -> None:
    _companies(sandbox, 1)
    client = make_client(codebase="v2025_1", rate_limit=RateLimit(requests=1000, per=60.0))
    for _ in range(1001):
        client.companies.count()
    assert sandbox.count(status=429) == 0
    assert clock.sleeps == [pytest.approx(60.0)]


def test_sandbox_throttles_above_1000_per_minute(
    make_client: Any, sandbox: ConnectWiseSandbox, clock: FakeClock
) -> None:
    client = make_client(codebase="v2025_1", rate_limit=RateLimit(requests=None), retry=RetryPolicy.none())
    for _ in range(1000):
        client.companies.count()
    with pytest.raises(RateLimitError) as info:
        client.companies.count()
    assert info.value.retry_after is not None and info.value.retry_after > 0
    assert info.value.errors[0].code == "ConnectWiseAPI"


def test_server_errors_are_retried_for_reads(cw: Any, sandbox: ConnectWiseSandbox) -> None:
    _companies(sandbox, 1)
    sandbox.faults.inject(FaultKind.SERVER_ERROR, status=500, times=1, path="/count")
    assert cw.companies.count() == 1
    assert sandbox.count("GET", "/count", status=500) == 1


def test_incremental_reads(cw: Any, sandbox: ConnectWiseSandbox, clock: FakeClock) -> None:
    start = clock.now()
    for i in range(5):
        sandbox.insert("companies", {"identifier": f"X{i}", "name": f"X {i}"})
    clock.advance(600)
    changed = cw.companies.create(m.Company(identifier="LATE", name="Late"))
    since = start + timedelta(minutes=5)
    found = cw.companies.updated(since).to_list()
    assert [c.id for c in found] == [changed.id]
    assert "lastUpdated" in sandbox.requests[-1].query
    seen = {c.id: c.last_updated for c in found}
    assert cw.companies.updated(since, seen=seen).to_list() == []
    wide = cw.companies.updated(start - timedelta(seconds=1), overlap=timedelta(0)).to_list()
    assert len(wide) == 6
    mark = Watermark(start - timedelta(seconds=1))
    for company in wide:
        mark = mark.advance(company)
    assert mark.id == changed.id
    assert cw.companies.updated(mark, overlap=timedelta(0)).to_list() == []
    projected = cw.companies.updated(since, fields=["name"]).to_list()
    assert projected[0].id == changed.id and projected[0].last_updated is not None


def test_watermark_tie_break_by_id(cw: Any, sandbox: ConnectWiseSandbox, clock: FakeClock) -> None:
    for i in range(4):
        sandbox.insert("companies", {"identifier": f"T{i}", "name": f"T {i}"})
    moment = clock.now().replace(microsecond=0)
    found = cw.companies.updated(Watermark(moment, 2), overlap=timedelta(0)).to_list()
    assert [c.id for c in found] == [3, 4]


def test_sub_resources(cw: Any, sandbox: ConnectWiseSandbox) -> None:
    sandbox.seed(size=3)
    company = cw.companies.list().first()
    sites = cw.companies.sites(company.id).list().to_list()
    assert [s.name for s in sites] == ["Main"]
    site = cw.companies.sites(company.id).create(m.CompanySite(name="Warehouse", city="Austin"))
    assert cw.companies.sites(company.id).count() == 2
    cw.companies.sites(company.id).update(site.id, m.CompanySiteUpdate(city="Dallas"))
    assert cw.companies.sites(company.id).get(site.id).city == "Dallas"
    agreement = cw.agreements.list().first()
    additions = cw.agreements.additions(agreement.id).list().to_list()
    assert len(additions) == 2
    assert all(a.ext_price == a.quantity * a.unit_price for a in additions)
    board = cw.boards.list().first()
    assert [s.name for s in cw.boards.statuses(board.id).list().to_list()][:2] == ["New", "In Progress"]
    po = cw.purchase_orders.list().first()
    assert cw.purchase_orders.line_items(po.id).count() == 2
    contact = cw.contacts.list().first()
    items = cw.contacts.communications(contact.id).list().to_list()
    assert {i.communication_type for i in items} == {"Email", "Phone"}
    with pytest.raises(NotFoundError):
        cw.companies.sites(99999).list().to_list()


def test_invoice_payments_update_the_balance(cw: Any, sandbox: ConnectWiseSandbox, clock: FakeClock) -> None:
    sandbox.seed(size=3)
    invoice = cw.invoices.list(where=C.payments == 0).first()
    amount = (invoice.total / 4).quantize(Decimal("0.01"))
    payment = cw.invoices.payments(invoice.id).create(
        m.InvoicePayment(type="Payment", amount=amount, payment_date=clock.now())
    )
    assert payment.amount == amount
    after = cw.invoices.get(invoice.id)
    assert after.balance == invoice.total - amount
    assert isinstance(after.balance, Decimal)


def test_every_resource_lists(cw: Any, sandbox: ConnectWiseSandbox) -> None:
    counts = sandbox.seed(size=5)
    resources = {
        "companies": cw.companies,
        "contacts": cw.contacts,
        "agreements": cw.agreements,
        "invoices": cw.invoices,
        "billingTerms": cw.billing_terms,
        "taxCodes": cw.tax_codes,
        "timeEntries": cw.time_entries,
        "tickets": cw.tickets,
        "boards": cw.boards,
        "priorities": cw.priorities,
        "projects": cw.projects,
        "purchaseOrders": cw.purchase_orders,
        "catalog": cw.catalog_items,
        "products": cw.product_items,
        "opportunities": cw.opportunities,
        "members": cw.members,
        "callbacks": cw.callbacks,
    }
    for name, resource in resources.items():
        assert len(resource.list().to_list()) == counts[name], name
        assert resource.count() == counts[name], name
    entry = cw.time_entries.list().first()
    assert isinstance(entry.hourly_rate, Decimal)
    assert entry.time_start.tzinfo is not None


def test_raw_request_and_with_options(cw: Any, sandbox: ConnectWiseSandbox) -> None:
    response = cw.request("GET", "/system/info")
    assert response.json()["version"].startswith("v2025")
    faster = cw.with_options(timeout=5.0, retry=RetryPolicy.none())
    sandbox.faults.inject(FaultKind.SERVER_ERROR, status=503, times=1)
    with pytest.raises(Exception) as info:
        faster.request("GET", "/system/info")
    assert getattr(info.value, "status_code", None) == 503
    assert sandbox.count("GET", r"/login/companyinfo/") == 1
    with pytest.raises(ConfigurationError):
        cw.request("GET", "https://evil.example/x")


def test_callbacks_register_is_look_up_before_create(cw: Any, sandbox: ConnectWiseSandbox) -> None:
    first = cw.callbacks.register(url="https://hooks.example.com/cw?recordId=", type="company")
    again = cw.callbacks.register(url="https://hooks.example.com/cw?recordId=", type="company")
    assert first.id == again.id
    assert sandbox.count("POST", "/system/callbacks") == 1
    assert [c.id for c in cw.callbacks.list().to_list()] == [first.id]
    with pytest.raises(ConflictError):
        cw.callbacks.create(m.Callback(url=first.url, type="company", level="owner", object_id=1))
    with pytest.raises(BadRequestError):
        cw.callbacks.create(
            m.Callback(url="https://x.example/", type="company", level="nonsense", object_id=1)
        )
    cw.callbacks.delete(first.id)
    assert cw.callbacks.count() == 0


def test_from_env(sandbox: ConnectWiseSandbox) -> None:
    env = {f"MSPLINK_CW_{k.upper()}": str(v) for k, v in sandbox.credentials().items()}
    with ConnectWiseClient.from_env(env, transport=sandbox.transport()) as client:
        assert client.members.count() == 1
    with pytest.raises(ConfigurationError, match="MSPLINK_CW_PRIVATE_KEY"):
        ConnectWiseClient.from_env({k: v for k, v in env.items() if "PRIVATE" not in k})


def test_secrets_stay_out_of_repr(sandbox: ConnectWiseSandbox) -> None:
    creds = sandbox.credentials()
    client = ConnectWiseClient(**creds, transport=sandbox.transport())
    text = repr(client) + repr(client._executor._auth)
    assert creds["private_key"] not in text
    assert creds["client_id"] not in text


def test_datetimes_sent_in_utc(cw: Any, sandbox: ConnectWiseSandbox) -> None:
    sandbox.seed(size=1)
    local = datetime(2024, 2, 15, 11, 0, tzinfo=timezone(timedelta(hours=2)))
    entry = cw.time_entries.create(m.TimeEntry(time_start=local, company=m.Reference(id=1), notes="x"))
    stored = sandbox.record("timeEntries", entry.id)
    assert stored is not None
    assert stored["timeStart"] == "2024-02-15T09:00:00Z"
    assert entry.time_start == local


def test_quotes_and_wildcards_in_values_end_to_end(cw: Any, sandbox: ConnectWiseSandbox) -> None:
    for identifier, name in [("Q1", '50% "off" [sale]'), ("Q2", "O'Brien & Sons"), ("Q3", "50 percent off")]:
        sandbox.insert("companies", {"identifier": identifier, "name": name})
    assert [c.identifier for c in cw.companies.list(where=C.name == '50% "off" [sale]').to_list()] == ["Q1"]
    assert [c.identifier for c in cw.companies.list(where=C.name.contains('% "off" [')).to_list()] == ["Q1"]
    assert [c.identifier for c in cw.companies.list(where=C.name == "O'Brien & Sons").to_list()] == ["Q2"]
    assert cw.companies.count(where=C.name.starts_with("50")) == 2
    assert cw.companies.count(where=C.name.starts_with("50%")) == 1
    sandbox.clear_log()
    with pytest.raises(QueryError):
        cw.companies.count(where=C.name == 'O\'Brien "Bob"')
    with pytest.raises(QueryError):
        cw.companies.count(where='name = "a\\"b"')  # no backslash escapes in the documented grammar
    assert sandbox.requests == []


def test_a_trailing_backslash_matches_exactly_end_to_end(cw: Any, sandbox: ConnectWiseSandbox) -> None:
    for identifier, name in [("T1", "Trail\\"), ("T2", "Trail\\ing"), ("T3", "trail\\")]:
        sandbox.insert("companies", {"identifier": identifier, "name": name})
    assert cw.companies.count(where=C.name == "Trail\\") == 2  # SQL Server collation: case-insensitive
    assert cw.companies.count(where=C.name != "Trail\\") == 1
    assert cw.companies.count(where=C.name.contains("l\\")) == 3
    assert cw.companies.count(where=C.name.starts_with("Trail\\")) == 3
