"""Sites, configuration, twin parity, and writes under injected faults."""

from __future__ import annotations

import inspect
from typing import Any

import httpx
import pytest

from msplink.connectwise import AsyncConnectWiseClient, ConnectWiseClient
from msplink.connectwise import _resources as res
from msplink.connectwise import models as m
from msplink.connectwise._tenant import normalize_site
from msplink.errors import ConfigurationError, TransportError
from msplink.sandbox._framework import FaultKind
from msplink.sandbox.connectwise import ConnectWiseSandbox
from msplink.testing import MockRouter


@pytest.mark.parametrize(
    ("site", "expected"),
    [
        ("na", ("https", "api-na.myconnectwise.net")),
        ("EU", ("https", "api-eu.myconnectwise.net")),
        ("au.myconnectwise.net", ("https", "api-au.myconnectwise.net")),
        ("https://na.myconnectwise.net/", ("https", "api-na.myconnectwise.net")),
        ("api-na.myconnectwise.net", ("https", "api-na.myconnectwise.net")),
        ("staging", ("https", "api-staging.connectwisedev.com")),
        ("staging.connectwisedev.com", ("https", "api-staging.connectwisedev.com")),
        ("sandbox-na.myconnectwise.net", ("https", "sandbox-na.myconnectwise.net")),
        ("cw.example.com", ("https", "cw.example.com")),
        ("http://localhost:8000", ("http", "localhost:8000")),
    ],
)
def test_normalize_site(site: str, expected: tuple[str, str]) -> None:
    assert normalize_site(site) == expected


@pytest.mark.parametrize("site", ["", "   ", "http://cw.example.com", "ftp://x", "user@host", "https://"])
def test_bad_sites(site: str) -> None:
    with pytest.raises(ConfigurationError):
        normalize_site(site)


def test_constructor_does_no_io_and_checks_config() -> None:
    router = MockRouter()
    client = ConnectWiseClient(
        site="na",
        company_id="acme",
        public_key="p",
        private_key="k",
        client_id="c",
        transport=router.transport(),
    )
    assert router.calls == []
    assert client.codebase is None
    for missing in ("company_id", "public_key", "private_key", "client_id"):
        options: dict[str, Any] = {
            "site": "na",
            "company_id": "acme",
            "public_key": "p",
            "private_key": "k",
            "client_id": "c",
        }
        options[missing] = ""
        with pytest.raises(ConfigurationError):
            ConnectWiseClient(**options)
    with pytest.raises(ConfigurationError):
        ConnectWiseClient(
            site="na", company_id="a", public_key="p", private_key="k", client_id="c", api_version=""
        )


def test_on_premise_discovery_and_fallback() -> None:
    router = MockRouter()
    router.get("/login/companyinfo/acme", status=404, json={"code": "NotFound", "message": "x"})
    router.get("/v4_6_release/apis/3.0/system/info", json={"version": "v2025.1"})
    client = ConnectWiseClient(
        site="cw.example.com",
        company_id="acme",
        public_key="p",
        private_key="k",
        client_id="c",
        transport=router.transport(),
    )
    assert client.request("GET", "/system/info").json() == {"version": "v2025.1"}
    assert client.codebase == "v4_6_release/"
    assert str(router.calls[-1].url) == "https://cw.example.com/v4_6_release/apis/3.0/system/info"
    auth = router.calls[-1].headers["authorization"]
    assert auth.startswith("Basic ") and router.calls[-1].headers["clientid"] == "c"


def _public(cls: type) -> dict[str, inspect.Signature]:
    out = {}
    for name, member in inspect.getmembers(cls):
        if not name.startswith("_") and callable(member):
            out[name] = inspect.signature(member)
    return out


@pytest.mark.parametrize(
    ("sync", "asynchronous"),
    [
        (ConnectWiseClient, AsyncConnectWiseClient),
        (res.Resource, res.AsyncResource),
        (res.Companies, res.AsyncCompanies),
        (res.Contacts, res.AsyncContacts),
        (res.Agreements, res.AsyncAgreements),
        (res.Invoices, res.AsyncInvoices),
        (res.Boards, res.AsyncBoards),
        (res.PurchaseOrders, res.AsyncPurchaseOrders),
        (res.Callbacks, res.AsyncCallbacks),
    ],
)
def test_twins_have_the_same_surface(sync: type, asynchronous: type) -> None:
    ours, theirs = _public(sync), _public(asynchronous)
    ours.pop("close", None)
    theirs.pop("aclose", None)
    assert set(ours) == set(theirs)
    for name, signature in ours.items():
        assert list(signature.parameters) == list(theirs[name].parameters), name


def test_twin_clients_expose_the_same_resources(sandbox: ConnectWiseSandbox) -> None:
    sync = ConnectWiseClient(**sandbox.credentials(), transport=sandbox.transport())
    asynchronous = AsyncConnectWiseClient(**sandbox.credentials(), transport=sandbox.transport())
    assert set(vars(sync)) == set(vars(asynchronous))
    assert {"companies", "time_entries", "purchase_orders", "catalog_items", "callbacks"} <= set(vars(sync))


def test_lost_post_response_is_not_retried(cw: Any, sandbox: ConnectWiseSandbox) -> None:
    sandbox.faults.inject(FaultKind.LOSE_RESPONSE, method="POST", times=1)
    with pytest.raises(TransportError):
        cw.companies.create(m.Company(identifier="LOST", name="Lost"))
    assert sandbox.count("POST") == 1
    assert [c.identifier for c in cw.companies.list().to_list()] == [
        "LOST"
    ]  # applied: look up before retrying


def test_dropped_reads_and_patches_are_retried(cw: Any, sandbox: ConnectWiseSandbox) -> None:
    sandbox.insert("companies", {"identifier": "D", "name": "Dropped"})
    sandbox.faults.inject(FaultKind.DROP_CONNECTION, times=1, method="GET")
    sandbox.faults.inject(FaultKind.LOSE_RESPONSE, times=1, method="PATCH")
    assert cw.companies.get(1).name == "Dropped"
    assert cw.companies.update(1, m.CompanyUpdate(name="Patched")).name == "Patched"
    assert sandbox.count("PATCH") == 2


def test_user_agent_and_accept(sandbox: ConnectWiseSandbox) -> None:
    seen: list[httpx.Request] = []
    inner = sandbox.transport()

    def spy(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return inner.handle_request(request)

    client = ConnectWiseClient(
        **sandbox.credentials(),
        transport=httpx.MockTransport(spy),
        app_name="acme-sync/1.0",
        api_version="2024.1",
    )
    client.members.count()
    assert all(r.headers["accept"] == "application/vnd.connectwise.com+json; version=2024.1" for r in seen)
    assert (
        seen[-1].headers["user-agent"].startswith("msplink/")
        and "acme-sync/1.0" in seen[-1].headers["user-agent"]
    )


def test_site_url_only_moves_between_cloud_hosts() -> None:
    router = MockRouter()
    router.get(
        "/login/companyinfo/acme",
        json={"Codebase": "v2025_1/", "IsCloud": True, "SiteUrl": "api-eu.myconnectwise.net"},
    )
    router.get("/v2025_1/apis/3.0/system/info", json={})
    options: dict[str, Any] = {"company_id": "acme", "public_key": "p", "private_key": "k", "client_id": "c"}
    local = ConnectWiseClient(site="http://localhost:8080", transport=router.transport(), **options)
    local.request("GET", "/system/info")
    assert str(router.calls[-1].url) == "http://localhost:8080/v2025_1/apis/3.0/system/info"
    cloud = ConnectWiseClient(site="na", transport=router.transport(), **options)
    cloud.request("GET", "/system/info")
    assert str(router.calls[-1].url) == "https://api-eu.myconnectwise.net/v2025_1/apis/3.0/system/info"
    router.routes[0].responses[:] = [
        httpx.Response(200, json={"Codebase": "v2025_1/", "IsCloud": True, "SiteUrl": "evil.example"})
    ]
    moved = ConnectWiseClient(site="na", transport=router.transport(), **options)
    moved.request("GET", "/system/info")
    assert str(router.calls[-1].url) == "https://api-na.myconnectwise.net/v2025_1/apis/3.0/system/info"


def _page(ids: list[int], link: str | None) -> httpx.Response:
    headers = {"Link": link} if link else {}
    return httpx.Response(200, json=[{"id": i} for i in ids], headers=headers)


def test_a_silently_capped_page_size_does_not_truncate() -> None:
    router = MockRouter()
    url = "https://api-na.myconnectwise.net/v2025_1/apis/3.0/company/companies"
    router.get(
        "/v2025_1/apis/3.0/company/companies",
        _page([1, 2], f'<{url}?pageSize=1000&pageId=2>; rel="next"'),
        _page([3], None),
    )
    client = ConnectWiseClient(
        site="na",
        company_id="a",
        public_key="p",
        private_key="k",
        client_id="c",
        codebase="v2025_1",
        transport=router.transport(),
    )
    assert [c.id for c in client.companies.list().to_list()] == [1, 2, 3]
    assert router.calls[1].url.params["pageId"] == "2"
    nav = MockRouter()
    nav.get(
        "/v2025_1/apis/3.0/company/companies",
        _page([1], f'<{url}?page=2>; rel="next", <{url}?page=2>; rel="last"'),
        _page([2], f'<{url}?page=1>; rel="first"'),
        _page([], None),
    )
    client = ConnectWiseClient(
        site="na",
        company_id="a",
        public_key="p",
        private_key="k",
        client_id="c",
        codebase="v2025_1",
        transport=nav.transport(),
    )
    assert [c.id for c in client.companies.list(forward_only=False).to_list()] == [1, 2]
    assert len(nav.calls) == 2


def test_servers_without_link_headers_page_until_short() -> None:
    router = MockRouter()
    router.get(
        "/v2025_1/apis/3.0/company/companies", _page([1, 2], None), _page([3, 4], None), _page([5], None)
    )
    client = ConnectWiseClient(
        site="na",
        company_id="a",
        public_key="p",
        private_key="k",
        client_id="c",
        codebase="v2025_1",
        transport=router.transport(),
    )
    assert len(client.companies.list(page_size=2, forward_only=False).to_list()) == 5
    assert [c.url.params["page"] for c in router.calls] == ["1", "2", "3"]
