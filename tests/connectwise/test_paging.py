"""Forward-only paging on endpoints that do not support it (issue 12, REFERENCE §4.2).

ConnectWise's developer guide: forward-only paging (``pagination-type: forward-only`` + ``pageId``) is
not supported by every endpoint (Audit Trail at least). Such an endpoint ignores the header and answers
navigable page 1: with ``first``/``next``/``last`` links, or with no ``Link`` header at all. The
ConnectWiseManageAPI PowerShell module (christaylorcodes/ConnectWiseManageAPI,
``Private/Invoke/Invoke-CWMAllResult.ps1``) treats a first answer without a ``Link`` header as "this
endpoint doesn't support forward-only pagination"; a supported endpoint always sends the header (empty on
the last page). The client must fall back to navigable paging, never read one page silently and never
request page 1 again and again.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from msplink.errors import ConfigurationError
from msplink.testing import MockRouter

API = "https://api-na.myconnectwise.net/v2025_1/apis/3.0"
PATH = "/v2025_1/apis/3.0/company/companies"


def _navigable_only(total: int, *, links: bool) -> Any:
    """An endpoint without forward-only paging: ignores the header and ``pageId``, pages by ``page``."""

    def respond(request: httpx.Request) -> httpx.Response:
        params = dict(request.url.params)
        size, page = int(params.get("pageSize", "25")), int(params.get("page", "1"))
        ids = list(range(1, total + 1))[(page - 1) * size : page * size]
        headers: dict[str, str] = {}
        if links:
            last = max(1, -(-total // size))

            def url(number: int) -> str:
                kept = {k: v for k, v in params.items() if k not in {"page", "pageId"}}
                return f"<{API}/company/companies?{urlencode({**kept, 'page': number})}>"

            rels = [f'{url(1)}; rel="first"']
            if page > 1:
                rels.append(f'{url(page - 1)}; rel="prev"')
            if page < last:
                rels.append(f'{url(page + 1)}; rel="next"')
            rels.append(f'{url(last)}; rel="last"')
            headers["Link"] = ", ".join(rels)
        return httpx.Response(200, json=[{"id": i, "name": f"C{i}"} for i in ids], headers=headers)

    return respond


def _client(make_client: Any, router: MockRouter) -> Any:
    return make_client(transport=router.transport(), site="na", company_id="acme", codebase="v2025_1")


@pytest.mark.parametrize("links", [True, False], ids=["navigable-links", "no-link-header"])
def test_an_endpoint_without_forward_only_falls_back_to_navigable_paging(
    make_client: Any, links: bool
) -> None:
    router = MockRouter()
    route = router.get(PATH, _navigable_only(5, links=links))
    client = _client(make_client, router)
    assert [c.id for c in client.companies.list(page_size=2).to_list()] == [1, 2, 3, 4, 5]
    assert route.call_count == 3
    first, *rest = route.calls
    assert first.headers["pagination-type"] == "forward-only" and "page" not in first.url.params
    assert [r.url.params["page"] for r in rest] == ["2", "3"]
    assert all("pagination-type" not in r.headers and "pageId" not in r.url.params for r in rest)
    assert client.api_calls.total == 3


def test_fallback_cursors_checkpoint_and_resume(make_client: Any) -> None:
    router = MockRouter()
    route = router.get(PATH, _navigable_only(5, links=True))
    client = _client(make_client, router)
    pages = list(client.companies.list(page_size=2).pages())
    assert [p.next_cursor for p in pages] == ["page:2", "page:3", None]
    route.calls.clear()
    assert [c.id for c in client.companies.list(page_size=2, cursor="page:3").to_list()] == [5]
    assert route.call_count == 1
    assert route.calls[0].url.params["page"] == "3" and "pagination-type" not in route.calls[0].headers


def test_a_supported_endpoint_ends_at_an_empty_link_header(make_client: Any) -> None:
    router = MockRouter()
    route = router.get(PATH, httpx.Response(200, json=[{"id": 1}, {"id": 2}], headers={"Link": ""}))
    client = _client(make_client, router)
    assert [c.id for c in client.companies.list(page_size=2).to_list()] == [1, 2]
    assert route.call_count == 1


def test_a_short_first_page_without_link_header_is_the_whole_read(make_client: Any) -> None:
    router = MockRouter()
    route = router.get(PATH, httpx.Response(200, json=[{"id": 1}]))
    client = _client(make_client, router)
    assert [c.id for c in client.companies.list(page_size=2).to_list()] == [1]
    assert route.call_count == 1


def test_forward_only_links_keep_keyset_paging(make_client: Any) -> None:
    router = MockRouter()
    route = router.get(
        PATH,
        httpx.Response(
            200,
            json=[{"id": 4}, {"id": 9}],
            headers={"Link": f'<{API}/company/companies?pageSize=2&pageId=9>; rel="next"'},
        ),
        httpx.Response(200, json=[{"id": 12}], headers={"Link": ""}),
    )
    client = _client(make_client, router)
    assert [c.id for c in client.companies.list(page_size=2).to_list()] == [4, 9, 12]
    assert [r.url.params.get("pageId") for r in route.calls] == [None, "9"]
    assert all(r.headers["pagination-type"] == "forward-only" for r in route.calls)


@pytest.mark.parametrize("cursor", ["page:0", "page:x", "page:", "-1", "1.5", "page:2;drop"])
def test_malformed_cursors_are_refused_before_io(make_client: Any, cursor: str) -> None:
    router = MockRouter()
    client = _client(make_client, router)
    with pytest.raises(ConfigurationError):
        client.companies.list(cursor=cursor)
    assert router.calls == []


def test_a_server_repeating_its_cursor_stops_the_walk(make_client: Any) -> None:
    from msplink.errors import APIError

    router = MockRouter()
    stuck = f'<{API}/company/companies?pageSize=2&pageId=2>; rel="next"'
    route = router.get(PATH, httpx.Response(200, json=[{"id": 1}, {"id": 2}], headers={"Link": stuck}))
    client = _client(make_client, router)
    with pytest.raises(APIError) as caught:
        client.companies.list(page_size=2).to_list()
    assert caught.value.codes == ("repeated_cursor",)
    assert route.call_count == 2
