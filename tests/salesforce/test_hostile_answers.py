"""Hostile and broken server answers through a MockRouter: only typed errors, credentials stay home
(issue 11). Every test runs for the sync and the async client (the ``mocked`` fixture)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from msplink.errors import APIError, ConfigurationError, QueryError, ServerError
from msplink.salesforce import _calls as calls
from msplink.salesforce import soql
from msplink.salesforce.models import CompositeSubrequest
from msplink.testing import MockRouter

from .conftest import INSTANCE, SESSION

API = "/services/data/v62.0"
ID = "001dM00003jU9GxQAK"
HOST = httpx.URL(INSTANCE).host


def ok(n: int) -> list[dict[str, Any]]:
    return [{"id": f"001dM00003jU9G{i:04d}", "success": True, "errors": []} for i in range(n)]


# ------------------------------------------------------------------ answers that lose inputs

MISMATCHES: list[tuple[str, str, str, Any, Callable[[Any], Any]]] = [
    (
        "create_many, [] for 3",
        "POST",
        f"{API}/composite/sobjects",
        [],
        lambda c: c.accounts.create_many([{"Name": "A"}, {"Name": "B"}, {"Name": "C"}]),
    ),
    (
        "create_many, 1 for 3",
        "POST",
        f"{API}/composite/sobjects",
        ok(1),
        lambda c: c.accounts.create_many([{"Name": "A"}, {"Name": "B"}, {"Name": "C"}]),
    ),
    (
        "create_many, 4 for 3",
        "POST",
        f"{API}/composite/sobjects",
        ok(4),
        lambda c: c.accounts.create_many([{"Name": "A"}, {"Name": "B"}, {"Name": "C"}]),
    ),
    (
        "update_many, [] for 1",
        "PATCH",
        f"{API}/composite/sobjects",
        [],
        lambda c: c.accounts.update_many([{"Id": ID, "Name": "A"}]),
    ),
    (
        "upsert_many, [] for 2",
        "PATCH",
        f"{API}/composite/sobjects/Account/Ext__c",
        [],
        lambda c: c.accounts.upsert_many("Ext__c", [{"Ext__c": "1"}, {"Ext__c": "2"}]),
    ),
    (
        "delete_many, 1 for 2",
        "DELETE",
        f"{API}/composite/sobjects",
        ok(1),
        lambda c: c.accounts.delete_many([ID, ID[:-1] + "B"]),
    ),
    (
        "retrieve, [] for 2",
        "POST",
        f"{API}/composite/sobjects/Account",
        [],
        lambda c: c.accounts.retrieve([ID, ID[:-1] + "B"], fields=["Id"]),
    ),
    (
        "retrieve, 3 for 2",
        "POST",
        f"{API}/composite/sobjects/Account",
        [None, None, None],
        lambda c: c.accounts.retrieve([ID, ID[:-1] + "B"], fields=["Id"]),
    ),
    (
        "composite, [] for 1",
        "POST",
        f"{API}/composite",
        {"compositeResponse": []},
        lambda c: c.composite.execute([CompositeSubrequest(method="GET", url="limits", reference_id="a")]),
    ),
    (
        "composite, another referenceId",
        "POST",
        f"{API}/composite",
        {"compositeResponse": [{"referenceId": "b", "httpStatusCode": 200, "body": {}}]},
        lambda c: c.composite.execute([CompositeSubrequest(method="GET", url="limits", reference_id="a")]),
    ),
]


@pytest.mark.parametrize(
    ("case", "method", "path", "answer", "act"), MISMATCHES, ids=[m[0] for m in MISMATCHES]
)
def test_an_answer_that_does_not_account_for_every_input_is_an_error(mocked, case, method, path, answer, act):
    router = MockRouter()
    route = router.add(method, path, json=answer)
    with pytest.raises(APIError) as info:
        act(mocked(router))
    assert info.value.codes == ("result_count_mismatch",), case
    assert info.value.status_code == 200
    assert route.call_count == 1  # a write whose answer is incomplete is never replayed


def test_composite_answers_come_back_in_request_order(mocked):
    router = MockRouter()
    answers = [{"referenceId": r, "httpStatusCode": 200, "body": {"r": r}} for r in ("b", "a")]
    router.post(f"{API}/composite", json={"compositeResponse": answers})
    subs = [CompositeSubrequest(method="GET", url="limits", reference_id=r) for r in ("a", "b")]
    out = mocked(router).composite.execute(subs, collate=True)
    assert [o.reference_id for o in out] == ["a", "b"] and out[0].body == {"r": "a"}


# ------------------------------------------------------------------ cursors and foreign hosts


def page(records: list[dict[str, Any]], next_url: str | None) -> dict[str, Any]:
    body: dict[str, Any] = {"totalSize": 4, "done": next_url is None, "records": records}
    if next_url is not None:
        body["nextRecordsUrl"] = next_url
    return body


ROW = {"attributes": {"type": "Account"}, "Id": ID, "Name": "Edge"}


@pytest.mark.parametrize(
    ("cursor", "code"),
    [
        ("https://evil.example/services/data/v62.0/query/0r8xx-2000", "foreign_url"),
        ("https://acme.my.salesforce.com@evil.example/services/data/v62.0/query/0r8xx-2000", "foreign_url"),
        ("http://[::1/x", "foreign_url"),
        ("@evil.example/services/data/v62.0/query/0r8xx-2000", "invalid_cursor"),
        ("evil.example/services/data/v62.0/query/0r8xx-2000", "invalid_cursor"),
        (".evil.example/x", "invalid_cursor"),
        ("/services/../../x", "invalid_cursor"),
        (17, "malformed_response"),
    ],
)
def test_next_records_url_is_followed_only_on_the_instance(mocked, cursor, code):
    router = MockRouter()
    router.get(f"{API}/query", json=page([ROW], cursor))
    router.get(re.compile("."), json=page([], None))  # serve anything, so a wrong follow shows below
    with pytest.raises(APIError) as info:
        mocked(router).accounts.list().to_list()
    assert info.value.codes == (code,)
    assert [r.url.host for r in router.calls] == [HOST]  # the first page only: nothing sent elsewhere
    assert all(r.headers["Authorization"] == f"Bearer {SESSION}" for r in router.calls)


def test_a_page_that_is_not_done_needs_a_cursor(mocked):
    router = MockRouter()
    router.get(f"{API}/query", json={"totalSize": 9, "done": False, "records": [ROW]})
    with pytest.raises(APIError) as info:
        mocked(router).accounts.list().to_list()  # before the fix: 1 of 9 records, silently
    assert info.value.codes == ("malformed_response",)


def test_a_repeated_cursor_stops_the_walk(mocked):
    router = MockRouter()
    again = f"{API}/query/0r8xx5R2yF2gs3VASQ-2000"
    router.get(f"{API}/query", json=page([ROW], again))
    router.get(again, json=page([ROW], again))
    with pytest.raises(APIError) as info:
        mocked(router).accounts.list().to_list()
    assert info.value.codes == ("repeated_cursor",)
    assert len(router.calls) == 2


def test_a_bulk_locator_stays_a_query_parameter_on_the_instance(mocked):
    router = MockRouter()
    job = "750dM00000QUERYJOBAA"
    router.post(f"{API}/jobs/query", json={"id": job, "state": "UploadComplete"})
    router.get(f"{API}/jobs/query/{job}", json={"id": job, "state": "JobComplete"})
    results = router.get(
        f"{API}/jobs/query/{job}/results",
        httpx.Response(200, text="Id\n001A\n", headers={"Sforce-Locator": "https://evil.example/x?a=1&b=#f"}),
        httpx.Response(200, text="Id\n001B\n", headers={"Sforce-Locator": "null"}),
    )
    rows = mocked(router).bulk.query("SELECT Id FROM Account").to_list()
    assert rows == [{"Id": "001A"}, {"Id": "001B"}]
    assert [r.url.host for r in router.calls] == [HOST] * 4
    assert results.calls[1].url.params["locator"] == "https://evil.example/x?a=1&b=#f"
    assert results.calls[1].url.path == f"{API}/jobs/query/{job}/results"


# ------------------------------------------------------------------ ids that leave their segment

DOT_IDS: list[tuple[str, Callable[[Any, str], Any]]] = [
    ("get", lambda c, v: c.accounts.get(v)),
    ("update", lambda c, v: c.accounts.update(v, {"Name": "x"})),
    ("delete", lambda c, v: c.accounts.delete(v)),
    ("upsert", lambda c, v: c.accounts.upsert("CW_Company_Id__c", v, {"Name": "x"})),
    ("get_by_external_id", lambda c, v: c.accounts.get_by_external_id("CW_Company_Id__c", v)),
    ("bulk.get_job", lambda c, v: c.bulk.get_job(v)),
    ("bulk.get_job query", lambda c, v: c.bulk.get_job(v, kind="query")),
    ("bulk.upload", lambda c, v: c.bulk.upload(v, b"Name\nA\n")),
    ("bulk.close", lambda c, v: c.bulk.close(v)),
    ("bulk.abort", lambda c, v: c.bulk.abort(v)),
    ("bulk.wait", lambda c, v: c.bulk.wait(v)),
    ("bulk.result_rows", lambda c, v: c.bulk.result_rows(v, "failedResults")),
]


@pytest.mark.parametrize("value", [".", ".."])
@pytest.mark.parametrize(("name", "act"), DOT_IDS, ids=[d[0] for d in DOT_IDS])
def test_dot_segment_ids_are_refused_before_any_io(mocked, name, act, value):
    router = MockRouter()
    with pytest.raises(ConfigurationError, match="invalid path parameter"):
        act(mocked(router), value)
    assert router.calls == []


# ------------------------------------------------------------------ what is replayed, and what not


def test_a_503_on_a_create_is_not_replayed(mocked):
    router = MockRouter()
    unavailable = httpx.Response(503, json=[{"errorCode": "SERVER_UNAVAILABLE", "message": "try later"}])
    route = router.post(f"{API}/sobjects/Account", unavailable, httpx.Response(201, json=ok(1)[0]))
    with pytest.raises(ServerError):
        mocked(router).accounts.create({"Name": "Maybe"})  # before the fix: replayed (a duplicate risk)
    assert route.call_count == 1


def test_a_503_on_a_read_is_retried(mocked):
    router = MockRouter()
    unavailable = httpx.Response(503, json=[{"errorCode": "SERVER_UNAVAILABLE", "message": "try later"}])
    route = router.get(
        f"{API}/query", unavailable, httpx.Response(200, json={"totalSize": 3, "done": True, "records": []})
    )
    assert mocked(router).accounts.count() == 3
    assert route.call_count == 2


V = "62.0"
RECORD = {"Name": "x"}

IDEMPOTENCY = [
    ("create", calls.create(V, "Account", RECORD), False),
    ("update", calls.update(V, "Account", ID, RECORD), True),
    ("delete", calls.delete(V, "Account", ID), True),
    ("upsert", calls.upsert(V, "Account", "Ext__c", "1", RECORD), True),
    ("collection_create", calls.collection_create(V, [RECORD], "Account", False), False),
    ("collection_update", calls.collection_update(V, [{"Id": ID, **RECORD}], "Account", False), True),
    ("collection_upsert", calls.collection_upsert(V, "Account", "Ext__c", [{"Ext__c": "1"}], False), True),
    ("collection_delete", calls.collection_delete(V, [ID], False), True),
    ("collection_retrieve (a read)", calls.collection_retrieve(V, "Account", [ID], ["Id"]), True),
    (
        "composite",
        calls.composite(V, [CompositeSubrequest(method="GET", url="limits", reference_id="a")], False, False),
        False,
    ),
    (
        "create_ingest_job (an empty job is never processed)",
        calls.create_ingest_job(V, "Account", "insert", None),
        True,
    ),
    ("upload_job_data (uploads append)", calls.upload_job_data(V, "750x", b"Name\nA\n"), False),
    (
        "set_job_state (replay settled by reading the job)",
        calls.set_job_state(V, "750x", "UploadComplete"),
        True,
    ),
    ("create_query_job (a read)", calls.create_query_job(V, "SELECT Id FROM Account", False), True),
    ("get_job", calls.get_job(V, "ingest", "750x"), True),
]


@pytest.mark.parametrize(("name", "call", "idempotent"), IDEMPOTENCY, ids=[i[0] for i in IDEMPOTENCY])
def test_every_call_says_whether_a_replay_is_safe(name, call, idempotent):
    assert call.idempotent is idempotent, name


# ------------------------------------------------------------------ SOQL identifiers end at \Z


@pytest.mark.parametrize("name", ["Name\n", "Account.Name\n", "Name\n\n"])
def test_identifiers_with_a_trailing_newline_are_refused(name):
    with pytest.raises(QueryError):
        soql.check_identifier(name)  # before the fix: "$" matched before the newline
    with pytest.raises(QueryError):
        soql.F(name)
    with pytest.raises(QueryError):
        soql.select("Id").from_("Account").order_by(name)
    with pytest.raises(QueryError):
        soql.select(name)
