"""Issue 11 for ConnectWise: hostile discovery answers, foreign Link URLs, retry eligibility, identifiers.

Every case runs through both twins (the ``make_client`` fixture) on MockRouter answers or the sandbox.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from msplink.connectwise import _calls as calls
from msplink.connectwise import _resources as res
from msplink.connectwise import models as m
from msplink.connectwise.conditions import C, F, OrderBy, Query, fields_param, order_by_param
from msplink.errors import APIError, ConfigurationError, QueryError, TransportError
from msplink.sandbox._framework import FaultKind
from msplink.sandbox.connectwise import ConnectWiseSandbox
from msplink.testing import MockRouter

API = "/v2025_1/apis/3.0"
ORIGIN = "https://api-na.myconnectwise.net"


def _router_client(make_client: Any, router: MockRouter, **options: Any) -> Any:
    return make_client(transport=router.transport(), site="na", company_id="acme", **options)


# ------------------------------------------------------------------------- codebase from companyinfo


@pytest.mark.parametrize(
    "codebase",
    [
        "v2025_1/#",
        "v2025_1/?pageSize=1&",
        "../v2025_1/",
        "v2025_1/../../login/",
        "evil.example/v2025_1/",
        "v2025_1/apis/3.0/company/companies/1?",
        "v2025_1 /",
        "https://evil.example/",
        "%2e%2e/",
    ],
)
def test_a_hostile_codebase_is_a_typed_error_and_never_changes_the_path(
    make_client: Any, codebase: str
) -> None:
    router = MockRouter()
    info = router.get("/login/companyinfo/acme", json={"Codebase": codebase, "IsCloud": True})
    client = _router_client(make_client, router)
    with pytest.raises(APIError) as caught:
        client.companies.count()
    assert caught.value.codes == ("invalid_codebase",)
    assert caught.value.status_code == 200
    assert [str(r.url) for r in router.calls] == [f"{ORIGIN}/login/companyinfo/acme"]
    assert client.codebase is None  # nothing adopted: the next call asks again
    with pytest.raises(APIError):
        client.company_info()
    assert info.call_count == 2
    assert client.api_calls.total == 2


def test_a_valid_codebase_is_adopted_and_empty_means_the_router(make_client: Any) -> None:
    router = MockRouter()
    router.get("/login/companyinfo/acme", json={"Codebase": "", "IsCloud": False})
    router.get("/v4_6_release/apis/3.0/company/companies/count", json={"count": 3})
    client = _router_client(make_client, router)
    assert client.companies.count() == 3
    assert client.codebase == "v4_6_release/"


@pytest.mark.parametrize("codebase", ["", "/", "v2025_1/#", "../v2025_1", "v2025_1/x", "release"])
def test_a_malformed_codebase_option_is_a_configuration_error(codebase: str) -> None:
    from msplink.connectwise import ConnectWiseClient

    with pytest.raises(ConfigurationError):
        ConnectWiseClient(
            site="na", company_id="a", public_key="p", private_key="k", client_id="c", codebase=codebase
        )


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_check_codebase_accepts_only_codebases(text: str) -> None:
    try:
        normalized = calls.check_codebase(text)
    except ValueError:
        return
    assert normalized.endswith("/") and normalized.count("/") == 1
    assert normalized[:-1].replace("_", "").replace("release", "").lstrip("v").isdigit()


# ------------------------------------------------------------------------- Link headers and origins


def _page(ids: list[int], link: str | None) -> httpx.Response:
    return httpx.Response(
        200, json=[{"id": i} for i in ids], headers={"Link": link} if link is not None else {}
    )


def test_link_urls_on_another_origin_are_never_requested(make_client: Any) -> None:
    router = MockRouter()
    evil = router.get("/v2025_1/apis/3.0/company/companies", _page([], None))
    evil.path = "/never"  # a route for the foreign URL would be hit only if the client followed it
    pages = router.get(
        f"{API}/company/companies",
        _page(
            [1, 2],
            '<https://evil.example/v2025_1/apis/3.0/company/companies?pageSize=2&pageId=2>; rel="next"',
        ),
        _page([3], ""),
    )
    client = _router_client(make_client, router, codebase="v2025_1")
    assert [c.id for c in client.companies.list(page_size=2).to_list()] == [1, 2, 3]
    assert {r.url.host for r in router.calls} == {"api-na.myconnectwise.net"}
    assert pages.calls[1].url.params["pageId"] == "2"
    assert all(r.url.host != "evil.example" for r in router.calls)


def test_raw_requests_to_absolute_urls_are_refused_before_io(make_client: Any) -> None:
    router = MockRouter()
    client = _router_client(make_client, router, codebase="v2025_1")
    for target in ("https://evil.example/x", "//evil.example/x", "system/info"):
        with pytest.raises(ConfigurationError):
            client.request("GET", target)
    assert router.calls == []


def test_the_core_refuses_a_call_to_a_foreign_origin(make_client: Any) -> None:
    router = MockRouter()
    client = _router_client(make_client, router, codebase="v2025_1")
    call = calls.company_info_call("https", "evil.example", "acme")
    with pytest.raises(APIError) as caught:
        client._executor.execute(call)
    assert caught.value.codes == ("foreign_url",)
    assert router.calls == []


# ------------------------------------------------------------------------------ idempotent flags


def test_every_call_builder_says_whether_it_may_be_retried() -> None:
    query = C.id > 0
    assert calls.get_call(res.COMPANIES, None, 1, fields=None).idempotent is True
    assert calls.list_call(res.COMPANIES, None, Query(conditions=query)).idempotent is True
    assert calls.count_call(res.COMPANIES, None, Query()).idempotent is True
    assert calls.company_info_call("https", "api-na.myconnectwise.net", "acme").idempotent is True
    assert calls.create_call(res.COMPANIES, None, m.Company(identifier="X", name="X")).idempotent is False
    assert calls.update_call(res.COMPANIES, None, 1, m.CompanyUpdate(name="Y")).idempotent is True
    assert calls.delete_call(res.COMPANIES, None, 1).idempotent is True
    replace = [{"op": "replace", "path": "name", "value": "x"}]
    add = [{"op": "add", "path": "/communicationItems/3", "value": {"value": "x"}}]
    assert calls.raw_call("PATCH", "/company/contacts/1", None, replace, None).idempotent is True
    assert calls.raw_call("patch", "/company/contacts/1", None, add, None).idempotent is False
    assert (
        calls.raw_call(
            "PATCH", "/company/contacts/1", None, [*replace, {"op": "remove", "path": "/x/0"}], None
        ).idempotent
        is False
    )
    assert calls.raw_call("PATCH", "/company/contacts/1", None, {"op": "replace"}, None).idempotent is False
    assert calls.raw_call("POST", "/service/tickets/search", None, {}, None).idempotent is False
    assert calls.raw_call("PUT", "/company/companies/1", None, {}, None).idempotent is True
    assert calls.raw_call("DELETE", "/company/companies/1", None, None, None).idempotent is True


def test_a_lost_raw_patch_that_adds_is_not_resent(make_client: Any) -> None:
    def lost(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadError("connection dropped after the server applied the patch", request=request)

    router = MockRouter()
    route = router.patch(f"{API}/company/contacts/7", lost)
    client = _router_client(make_client, router, codebase="v2025_1")
    add = [{"op": "add", "path": "/communicationItems/3", "value": {"value": "a@b.c"}}]
    with pytest.raises(TransportError):
        client.request("PATCH", "/company/contacts/7", json=add)
    assert route.call_count == 1
    replace = [{"op": "replace", "path": "title", "value": "CEO"}]
    route.responses[:] = [lost, httpx.Response(200, json={"id": 7, "title": "CEO"})]
    route.calls.clear()
    assert client.request("PATCH", "/company/contacts/7", json=replace).json()["title"] == "CEO"
    assert route.call_count == 2
    assert json.loads(route.calls[0].content) == replace


def test_lost_puts_are_resent_and_lost_creates_are_not(make_client: Any, sandbox: ConnectWiseSandbox) -> None:
    client = make_client(codebase="v2025_1")
    sandbox.insert("companies", {"identifier": "P", "name": "Put"})
    sandbox.faults.inject(FaultKind.LOSE_RESPONSE, method="PUT", times=1)
    sandbox.faults.inject(FaultKind.LOSE_RESPONSE, method="POST", times=1)
    body = {"identifier": "P", "name": "Put again", "status": {"id": 1}}
    assert client.request("PUT", "/company/companies/1", json=body).status_code == 200
    assert sandbox.count("PUT") == 2
    with pytest.raises(TransportError):
        client.companies.create(m.Company(identifier="ONCE", name="Once"))
    assert sandbox.count("POST", r"/company/companies$") == 1
    assert client.companies.count(where=C.identifier == "ONCE") == 1
    assert client.api_calls.total == 4


# ---------------------------------------------------------------------- identifiers end with \Z


@pytest.mark.parametrize("name", ["name\n", "company/name\n", "_info\n", "name\r\n"])
def test_identifiers_with_a_trailing_newline_are_refused(name: str) -> None:
    with pytest.raises(QueryError):
        F(name)
    with pytest.raises(QueryError):
        OrderBy(name)
    with pytest.raises(QueryError):
        fields_param([name])
    with pytest.raises(QueryError):
        order_by_param(name + " asc")
    with pytest.raises(QueryError):
        getattr(C.company, name)


def test_order_by_text_keeps_refusing_junk_but_allows_spaces() -> None:
    assert order_by_param("  name   desc ") == "name desc"
    for junk in ("name\nOR", "name asc\n,id", "name\x00"):
        with pytest.raises(QueryError):
            order_by_param(junk)
