# mypy: disable-error-code="union-attr,index"
"""Issue 11, QBO: nothing lost, nothing written twice, only typed errors, no route escapes.

The scenarios come from the fault and hostile-input probe (``dup_loss_under_faults.py``,
``bad_input_parsing.py``): sandbox fault injection for lost answers, MockRouter for hostile bodies.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from collections import Counter
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from msplink._core import RetryPolicy
from msplink.errors import (
    APIError,
    ConfigurationError,
    MsplinkError,
    QueryError,
    ServerError,
    TransportError,
)
from msplink.quickbooks import AsyncQuickBooksClient, BatchOperation, QuickBooksClient
from msplink.quickbooks import models as m
from msplink.quickbooks import query as q
from msplink.sandbox import FaultKind
from msplink.sandbox.quickbooks import QuickBooksSandbox
from msplink.testing import FakeClock, MockRouter

RETRY = RetryPolicy(max_attempts=4, initial_delay=0.1, jitter=0.0)
BATCH = "/v3/company/123/batch"


def _request_id(record: Any) -> str:
    return str(dict(p.split("=", 1) for p in record.query.split("&"))["requestid"])


def _faulty_sandbox(seed: int) -> tuple[QuickBooksSandbox, QuickBooksClient]:
    clock = FakeClock()
    sandbox = QuickBooksSandbox(clock=clock, sleep=clock.sleep, async_sleep=clock.async_sleep, seed=seed)
    creds = sandbox.credentials()
    client = QuickBooksClient(
        realm_id=creds["realm_id"],
        auth=creds["access_token"],
        transport=sandbox.transport(),
        sleep=clock.sleep,
        clock=clock.monotonic,
        retry=RETRY,
    )
    return sandbox, client


def _stored(sandbox: QuickBooksSandbox, names: list[str]) -> Counter[str]:
    return Counter(c["DisplayName"] for c in sandbox.entities("Customer") if c["DisplayName"] in names)


@pytest.mark.parametrize(
    ("kind", "rate", "seed"),
    [(FaultKind.LOSE_RESPONSE, 0.6, 5), (FaultKind.LOSE_RESPONSE, 0.4, 7), (FaultKind.SERVER_ERROR, 0.4, 7)],
)
def test_batch_under_heavy_faults_stores_every_record_once_and_reports_it(kind, rate, seed):
    sandbox, client = _faulty_sandbox(seed)
    options = {"status": 503} if kind is FaultKind.SERVER_ERROR else {}
    sandbox.faults.inject(kind, rate=rate, method="POST", path=r"/batch$", **options)
    names = [f"Batch Customer {i:04d}" for i in range(300)]

    results = client.batch(BatchOperation.create(m.Customer(display_name=n)) for n in names)

    stored = _stored(sandbox, names)
    assert len(results) == 300 and all(r.ok and r.applied for r in results)
    assert [r.entity.display_name for r in results] == names
    assert sorted(stored.values()) == [1] * 300  # every record once: resends were replays
    posts = [r for r in sandbox.requests if r.path.endswith("/batch")]
    assert len({_request_id(r) for r in posts}) == 10  # ten chunks, each kept its requestid throughout
    assert client.api_calls.total == len(posts) > 10


def test_a_chunk_that_never_gets_an_answer_does_not_discard_the_others():
    replies: dict[str, int] = Counter()

    def answer(request: httpx.Request) -> httpx.Response:
        items = json.loads(request.content)["BatchItemRequest"]
        replies[request.url.params["requestid"]] += 1
        if items[0]["Customer"]["DisplayName"] == "C30":
            return httpx.Response(503, json={"Fault": {"Error": [{"code": "10000", "Message": "down"}]}})
        body = [
            {"bId": i["bId"], "Customer": {"Id": i["Customer"]["DisplayName"][1:], "SyncToken": "0"}}
            for i in items
        ]
        return httpx.Response(200, json={"BatchItemResponse": body})

    router = MockRouter()
    router.post(BATCH, answer)
    clock = FakeClock()
    client = QuickBooksClient(
        realm_id="123",
        auth="t",
        transport=router.transport(),
        sleep=clock.sleep,
        retry=RetryPolicy(max_attempts=2, initial_delay=1.0, jitter=0.0),
    )
    ops = [BatchOperation.create(m.Customer(display_name=f"C{i}")) for i in range(45)]

    results = client.batch(ops)  # the old client raised here, losing the 30 applied creates

    assert [r.entity.id for r in results[:30]] == [str(i) for i in range(30)]
    assert all(r.applied for r in results[:30])
    assert all(isinstance(r.error, ServerError) and r.applied is None for r in results[30:])
    assert sorted(replies.values()) == [1, 4]  # 2 rounds x 2 attempts, all with one requestid
    assert results[30].request_id == results[44].request_id != results[0].request_id
    assert len(router.calls) == client.api_calls.total == 5


def test_rerun_with_stable_ids_is_replayed_not_applied_twice():
    sandbox, client = _faulty_sandbox(1)
    once = client.with_options(retry=RetryPolicy.none())
    sandbox.faults.inject(FaultKind.LOSE_RESPONSE, method="POST", path=r"/batch$", times=2)
    names = [f"Stable {i:02d}" for i in range(40)]

    def ops() -> list[BatchOperation]:
        return [
            BatchOperation.create(m.Customer(display_name=n), request_id=f"tenant-1/cw-company/{i}/v1")
            for i, n in enumerate(names)
        ]

    first = once.batch(ops())
    assert [r.applied for r in first] == [None] * 40 and all(
        isinstance(r.error, TransportError) for r in first
    )
    assert sum(_stored(sandbox, names).values()) == 40  # applied, answers lost

    second = client.batch(ops())  # the sync engine re-runs the same operations with the same ids

    assert all(r.ok for r in second)
    assert sum(_stored(sandbox, names).values()) == 40  # replayed: nothing written twice
    assert {r.request_id for r in first} == {r.request_id for r in second}
    assert [r.entity.id for r in second] == [c["Id"] for c in sandbox.entities("Customer")]


def test_caller_request_ids_per_chunk(sandbox, auth, clock):
    from tests.quickbooks.conftest import make_sync

    client = make_sync(sandbox, auth, clock)
    ops = [BatchOperation.create(m.Customer(display_name=f"Chunked {i}")) for i in range(31)]
    results = client.batch(ops, request_ids=["run-7-chunk-0", "run-7-chunk-1"])
    assert [r.request_id for r in (results[0], results[29], results[30])] == [
        "run-7-chunk-0",
        "run-7-chunk-0",
        "run-7-chunk-1",
    ]
    again = client.batch(ops, request_ids=["run-7-chunk-0", "run-7-chunk-1"])
    assert [r.entity.id for r in again] == [r.entity.id for r in results]
    assert len(sandbox.entities("Customer")) == 31


@pytest.mark.parametrize(
    ("kwargs", "ops"),
    [
        ({"request_ids": ["only-one"]}, 31),
        ({"request_ids": ["same", "same"]}, 31),
        ({"request_ids": ["x" * 37]}, 1),
        ({"request_ids": ["bad\nid"]}, 1),
        ({}, -1),  # one operation with an id, one without
    ],
)
def test_unusable_request_ids_are_refused_before_io(kwargs, ops):
    router = MockRouter()
    client = QuickBooksClient(realm_id="123", auth="t", transport=router.transport())
    if ops == -1:
        batch = [
            BatchOperation.create(m.Customer(display_name="A"), request_id="a"),
            BatchOperation.create(m.Customer(display_name="B")),
        ]
    else:
        batch = [BatchOperation.create(m.Customer(display_name=f"N{i}")) for i in range(ops)]
    with pytest.raises(ConfigurationError):
        client.batch(batch, **kwargs)
    assert router.calls == []


# ------------------------------------------------------------------------------------ hostile answers


def _client(body: Any, status: int = 200) -> QuickBooksClient:
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    router = MockRouter()
    reply = httpx.Response(status, content=content, headers={"Content-Type": "application/json"})
    router.add("*", re.compile(r"^/v3/company/123/"), reply)
    return QuickBooksClient(realm_id="123", auth="t", transport=router.transport(), retry=RetryPolicy.none())


TWO = [
    BatchOperation.create(m.Customer(display_name="A")),
    BatchOperation.create(m.Customer(display_name="B")),
]


@pytest.mark.parametrize(
    "body",
    [
        {"BatchItemResponse": "x"},
        {"BatchItemResponse": [1]},
        [1],
        {"BatchItemResponse": [{"bId": "0", "Customer": "x"}, {"bId": "1", "Customer": "y"}]},
        {"BatchItemResponse": [{"bId": "0", "Fault": "x"}, {"bId": "1", "Fault": "y"}]},
        {"BatchItemResponse": [{"bId": "0", "QueryResponse": 1}, {"bId": "1"}]},
        {"BatchItemResponse": []},
        {"BatchItemResponse": [{"bId": "0", "Customer": {"Id": {"x": 1}, "Balance": "lots"}}, {"bId": "1"}]},
    ],
    ids=[
        "items-string",
        "items-ints",
        "body-list",
        "entity-string",
        "fault-string",
        "query-int",
        "none",
        "bad",
    ],
)
def test_malformed_batch_answers_are_typed_item_errors(body):
    results = _client(body).batch(TWO)
    assert [r.ok for r in results] == [False, False]  # never a silent success
    for result in results:
        assert isinstance(result.error, APIError) and result.entity is None
        assert result.error.codes[0] in {"malformed_response", "missing"}
        assert result.applied is None  # nobody knows: re-run with the same ids


def test_fault_inside_a_batch_item_keeps_its_details():
    body = {
        "BatchItemResponse": [{"bId": "0", "Fault": {"Error": "x"}}, {"bId": "1", "Fault": {"type": "V"}}]
    }
    results = _client(body).batch(TWO)
    assert [r.applied for r in results] == [False, False]
    assert [r.error.errors[0].message for r in results] == ["a fault without details"] * 2


@pytest.mark.parametrize(
    ("body", "part"),
    [
        ({"CDCResponse": [1]}, "CDCResponse"),
        ({"CDCResponse": "x"}, "CDCResponse"),
        ({"CDCResponse": [{"QueryResponse": [1]}]}, "QueryResponse"),
        ({"CDCResponse": [{"QueryResponse": [{"Customer": [1]}]}]}, "QueryResponse.Customer"),
        ({"CDCResponse": [{"QueryResponse": [{"Customer": "x"}]}]}, "QueryResponse.Customer"),
        ({"CDCResponse": [], "time": "nope"}, "time"),
        ([], "not an object"),
    ],
)
def test_malformed_cdc_answers_are_typed(body, part):
    since = datetime.now(timezone.utc) - timedelta(days=1)
    with pytest.raises(APIError) as info:
        _client(body).cdc(["Customer"], changed_since=since)
    assert info.value.codes == ("malformed_response",) and part in info.value.errors[0].message
    assert info.value.status_code == 200 and info.value.path == "/v3/company/{realm}/cdc"


MALFORMED_QUERY_ANSWERS = [
    {"QueryResponse": {"Customer": "x"}},
    {"QueryResponse": []},
    {"QueryResponse": {"Customer": [None]}},
    {"QueryResponse": {"Customer": [{"Id": "1", "Balance": "lots"}]}},
    "text",
]


@pytest.mark.parametrize("body", MALFORMED_QUERY_ANSWERS)
def test_malformed_query_pages_are_typed(body):
    with pytest.raises(APIError) as info:
        _client(body).customers.list().to_list()
    assert info.value.codes == ("malformed_response",)


@pytest.mark.parametrize("body", [*MALFORMED_QUERY_ANSWERS, {"QueryResponse": {"totalCount": "many"}}])
def test_malformed_counts_are_typed(body):
    with pytest.raises(APIError) as info:
        _client(body).customers.count()
    assert info.value.codes == ("malformed_response",)  # a count is never guessed as 0


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=25,
)
shapes = st.one_of(
    json_values,
    json_values.map(lambda v: {"BatchItemResponse": v}),
    json_values.map(lambda v: {"BatchItemResponse": [{"bId": "0", "Customer": v}, {"bId": "1", "Fault": v}]}),
    json_values.map(lambda v: {"CDCResponse": [{"QueryResponse": [{"Customer": v}]}], "time": v}),
    json_values.map(lambda v: {"QueryResponse": {"Customer": v, "totalCount": v}}),
)


@settings(max_examples=150, deadline=None)
@given(body=shapes)
def test_any_answer_gives_results_or_typed_errors(body):
    client = _client(body)
    since = datetime.now(timezone.utc) - timedelta(days=1)
    for action in (
        lambda: client.cdc(["Customer"], changed_since=since),
        lambda: client.customers.list().to_list(),
        lambda: client.customers.count(),
        lambda: client.customers.get("1"),
    ):
        with contextlib.suppress(MsplinkError):
            action()
    for result in client.batch(TWO):  # never raises, and never "ok" without an entity
        assert result.entity is not None if result.ok else isinstance(result.error, MsplinkError)


@settings(max_examples=25, deadline=None)
@given(depth=st.integers(min_value=1_000, max_value=60_000))
def test_deep_nesting_is_a_typed_error(depth):
    body = b"[" * depth + b"]" * depth
    with pytest.raises(APIError):
        _client(body).customers.get("1")
    assert all(r.error is not None for r in _client(body).batch(TWO))


# ------------------------------------------------------------------------------------ routes and names


@pytest.mark.parametrize("bad", ["..", ".", ""])
def test_dot_segment_ids_are_refused_before_io(qbo, sandbox, bad):
    sandbox.clear_log()
    for resource in (qbo.customers, qbo.invoices, qbo.tax_codes):
        with pytest.raises(ConfigurationError):
            resource.get(bad)
    assert sandbox.requests == []


def test_percent_encoded_ids_stay_in_their_segment(qbo, sandbox):
    sandbox.clear_log()
    with pytest.raises(APIError) as info:
        qbo.customers.get("../../companyinfo/1")
    assert info.value.codes == ("2030",)  # the customer route answered: "Invalid ID", not the company
    assert [(r.method, r.status) for r in sandbox.requests] == [("GET", 400)]


@pytest.mark.parametrize(
    "build",
    [
        lambda: q.field("DisplayName\n"),
        lambda: q.select("Customer\n"),
        lambda: q.select("Customer", "Id\n"),
        lambda: q.select("Customer").order_by("Id\n"),
        lambda: q.order_term("Id\n"),
        lambda: q.order_term("Id DESC\n"),
    ],
)
def test_identifiers_with_a_trailing_newline_are_refused(build):
    with pytest.raises(QueryError):
        build()


def test_async_batch_results_match_sync_under_faults():
    clock = FakeClock()
    sandbox = QuickBooksSandbox(clock=clock, sleep=clock.sleep, async_sleep=clock.async_sleep, seed=3)
    sandbox.faults.inject(FaultKind.DROP_CONNECTION, rate=0.5, method="POST", path=r"/batch$")
    creds = sandbox.credentials()

    async def run() -> list[Any]:
        async with AsyncQuickBooksClient(
            realm_id=creds["realm_id"],
            auth=creds["access_token"],
            transport=sandbox.transport(),
            sleep=clock.async_sleep,
            clock=clock.monotonic,
            retry=RETRY,
        ) as client:
            return await client.batch(
                BatchOperation.create(m.Customer(display_name=f"Async {i:03d}")) for i in range(95)
            )

    results = asyncio.run(run())
    assert [r.entity.display_name for r in results] == [f"Async {i:03d}" for i in range(95)]
    assert len(sandbox.entities("Customer")) == 95


@pytest.mark.parametrize(
    "body", [{"time": "2026-01-01T00:00:00Z"}, {"Invoice": "x"}, {"Customer": {"Id": "1"}}]
)
def test_an_answer_without_its_entity_is_not_an_empty_model(body):
    client = _client(body)
    with pytest.raises(APIError) as read:
        client.invoices.get("1")
    with pytest.raises(APIError) as deleted:
        client.invoices.delete("1", sync_token="0")
    with pytest.raises(APIError) as created:
        client.invoices.create(m.Invoice(customer_ref=m.Ref(value="1")))
    for info in (read, deleted, created):
        assert info.value.codes == ("malformed_response",)
