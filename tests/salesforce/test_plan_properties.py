"""Properties of the Salesforce plans, parsers and matchers (hypothesis).

The ingest plan is driven against a simulated Bulk 2.0 server whose every upload and close may be
applied, lost after being applied, dropped before being applied, or answered 5xx: whatever the
faults, no job that runs holds a part twice, and a call that returns ran exactly one complete job.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st

from msplink._core import Call, RetryPolicy, handle_response, run_plan
from msplink.errors import ConflictError, ErrorDetail, MsplinkError, QueryError, ServerError, TransportError
from msplink.salesforce import _calls as calls
from msplink.salesforce import _plans as plans
from msplink.salesforce import soql
from msplink.salesforce._csv import RowMatcher, iter_csv, result_row, to_csv
from msplink.salesforce._errors import PLATFORM
from msplink.salesforce.models import CompositeSubrequest, JobInfo

V = "62.0"
FATES = st.sampled_from(["ok", "lost", "dropped", "5xx"])


class BulkServer:
    """A Bulk 2.0 ingest server in memory, with a fate drawn for every upload and close."""

    def __init__(self, fates: Iterator[str]) -> None:
        self.fates = fates
        self.jobs: dict[str, dict[str, Any]] = {}
        self.sleeps: list[float] = []

    def fate(self) -> str:
        return next(self.fates, "ok")

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)

    def execute(self, call: Call[Any]) -> Any:
        parts = call.path.split("/")
        if call.method == "POST":
            job_id = f"750{len(self.jobs):015d}"
            self.jobs[job_id] = {"state": "Open", "data": []}
            return JobInfo(id=job_id, state="Open")
        job = self.jobs[parts[-2] if parts[-1] == "batches" else parts[-1]]
        if call.method == "GET":
            return JobInfo(
                id=parts[-1], state="JobComplete" if job["state"] == "UploadComplete" else job["state"]
            )
        fate = self.fate()
        if fate == "dropped":
            raise TransportError("dropped", platform="salesforce")
        if fate == "5xx":
            raise ServerError(platform="salesforce", status_code=503)
        if call.method == "PUT":
            if job["state"] != "Open":
                raise ConflictError(
                    platform="salesforce", status_code=409, errors=(ErrorDetail(code="INVALIDJOBSTATE"),)
                )
            job["data"].append(call.content)
        else:
            body: dict[str, str] = call.json  # type: ignore[assignment]
            state = body["state"]
            if state == "UploadComplete" and job["state"] != "Open":
                raise ConflictError(
                    platform="salesforce", status_code=409, errors=(ErrorDetail(code="INVALIDJOBSTATE"),)
                )
            job["state"] = state
        if fate == "lost":
            raise TransportError("response lost", platform="salesforce")
        return JobInfo(id=parts[-1], state=job["state"]) if call.method == "PATCH" else None


@settings(max_examples=300, deadline=None)
@given(st.lists(FATES, max_size=30), st.integers(1, 4), st.integers(1, 5))
def test_no_job_that_runs_holds_a_part_twice(fates, parts, attempts):
    server = BulkServer(iter(fates))
    uploads = [f"Name\nP{i}\n".encode() for i in range(parts)]
    plan = plans.run_ingest_job(
        V, "Account", "insert", None, uploads, retry=RetryPolicy(max_attempts=attempts, jitter=0), timeout=60
    )
    try:
        job_id, job = run_plan(server, plan)
        returned = True
    except MsplinkError:
        returned = False
    ran = [j for j in server.jobs.values() if j["state"] == "UploadComplete"]
    for j in ran:
        assert j["data"] == uploads  # every part exactly once, in order
    assert len(ran) <= 1
    if returned:
        assert len(ran) == 1 and server.jobs[job_id] is ran[0] and job.state == "JobComplete"
    assert len(server.jobs) <= attempts
    assert all(j["state"] in {"Aborted", "Open", "UploadComplete"} for j in server.jobs.values())


records_strategy = st.lists(
    st.fixed_dictionaries({"Name": st.sampled_from(["A", "B", "C", "", "a,b", 'q"q', "l\nl"])}),
    min_size=1,
    max_size=12,
)


@settings(max_examples=200, deadline=None)
@given(records_strategy, st.randoms(use_true_random=False))
def test_result_rows_in_any_order_match_their_records(records, rnd):
    """Rows echo the uploaded cells; whatever the order and the file, each record gets one result and
    identical records share their results."""
    data, _ = to_csv(records)
    rows = list(iter_csv([data]))
    tagged = [(i, row) for i, row in enumerate(rows)]
    rnd.shuffle(tagged)
    matcher = RowMatcher(records, None, upsert=False)
    for i, row in tagged:
        kind = "failedResults" if i % 3 == 0 else "successfulResults"
        extra = (
            {"sf__Id": "", "sf__Error": "X:failed: --"}
            if kind == "failedResults"
            else {"sf__Id": f"id{i}", "sf__Created": "true"}
        )
        matcher.add(result_row(kind, {**extra, **row}))
    assert matcher.missing == 0 and matcher.unmatched_rows == 0
    for i, record in enumerate(records):
        same = [j for j, r in enumerate(records) if r == record]
        expected = sorted((j % 3 != 0, f"id{j}" if j % 3 else None) for j in same)
        got = sorted((matcher.results[j].success, matcher.results[j].id) for j in same)  # type: ignore[union-attr]
        assert got == expected, i


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_result_csv_parsing_raises_only_value_errors(data):
    with contextlib.suppress(ValueError):
        for row in iter_csv([data]):
            assert isinstance(row, dict)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=1, max_size=6))
def test_child_sets_split_over_pages_are_reassembled(sizes):
    total = sum(sizes)
    children = [{"LastName": f"C{i}"} for i in range(total)]
    bounds = [sum(sizes[:k]) for k in range(len(sizes) + 1)]
    pages = [children[bounds[k] : bounds[k + 1]] for k in range(len(sizes))]

    def body(k: int) -> dict[str, Any]:
        out: dict[str, Any] = {"totalSize": total, "done": k == len(pages) - 1, "records": pages[k]}
        if k < len(pages) - 1:
            out["nextRecordsUrl"] = f"/services/data/v62.0/query/01gxx-{k + 1}"
        return out

    first_body = {"totalSize": 1, "done": True, "records": [{"Id": "001", "Contacts": body(0)}]}
    call = calls.query(V, "SELECT Id, (SELECT LastName FROM Contacts) FROM Account", calls.raw_record)
    page = call.parse(httpx.Response(200, json=first_body))
    requests = 0
    while not page.items:
        child = calls.next_query(call, page)
        assert child is not None
        requests += 1
        call, page = child, child.parse(httpx.Response(200, json=body(int(child.path.rsplit("-", 1)[1]))))
    assert requests == len(pages) - 1
    assert page.items[0]["Contacts"]["records"] == children
    assert calls.next_query(call, page) is None


identifiers = st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,10}", fullmatch=True)
values = st.one_of(st.text(max_size=15), st.integers(), st.booleans(), st.none())


@settings(max_examples=300, deadline=None)
@given(identifiers, values, st.sampled_from(["==", "!=", "contains", "startswith"]))
def test_every_built_condition_passes_the_string_check(name, value, op):
    field = soql.F(name)
    if op in {"contains", "startswith"}:
        built = getattr(field, op)(str(value))
    else:
        built = field == value if op == "==" else field != value
    assert soql.condition(str(built)).text == str(built)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_condition_raises_only_query_errors(text):
    with contextlib.suppress(QueryError):
        soql.condition(text)


def test_plans_sleep_through_the_executor():
    """Plans never sleep themselves: backoff between job attempts is a Sleep step."""
    server = BulkServer(iter(["lost"]))
    plan = plans.run_ingest_job(
        V, "Account", "insert", None, [b"Name\nA\n"], retry=RetryPolicy(jitter=0), timeout=60
    )
    run_plan(server, plan)
    assert server.sleeps == [0.5]  # RetryPolicy.backoff(1) without jitter, before the second job
    assert [j["state"] for j in server.jobs.values()] == ["Aborted", "UploadComplete"]


json_bodies = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "records",
                    "done",
                    "totalSize",
                    "nextRecordsUrl",
                    "compositeResponse",
                    "referenceId",
                    "id",
                    "state",
                    "Id",
                    "x",
                ]
            ),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)
bodies = st.one_of(
    st.binary(max_size=120),
    json_bodies.map(lambda v: json.dumps(v).encode()),
    st.integers(1, 3).map(lambda k: b"[" * (10_000 * k) + b"]" * (10_000 * k)),  # hostile nesting
)
PARSED_CALLS: list[Call[Any]] = [
    calls.get_record(V, "Account", "001dM00003jU9GxQAK", lambda d: d),
    calls.query(V, "SELECT Id, (SELECT Id FROM Contacts) FROM Account", calls.raw_record),
    calls.query(V, "SELECT COUNT() FROM Account", calls.raw_record).with_parse(calls.count_parser),
    calls.upsert(V, "Account", "Ext__c", "1", {"Name": "x"}),
    calls.collection_create(V, [{"Name": "x"}], "Account", False),
    calls.collection_retrieve(V, "Account", ["001dM00003jU9GxQAK"], ["Id"]),
    calls.composite(V, [CompositeSubrequest(method="GET", url="limits", reference_id="a")], False, False),
    calls.describe(V, "Account"),
    calls.limits(V),
    calls.get_job(V, "ingest", "750x"),
    calls.query_results(V, "750x", None, None),
]


@settings(max_examples=150, deadline=None)
@given(bodies, st.sampled_from([200, 201, 300, 400, 401, 404, 409, 500, 503]))
def test_every_parser_answers_random_bodies_with_typed_errors_only(body, status):
    response = httpx.Response(status, content=body, headers={"Sforce-Locator": "null"})
    for call in [*PARSED_CALLS, calls.ingest_results(V, "750x", "failedResults")]:
        try:
            result: Any = handle_response(PLATFORM, call, response)
            if call.template.endswith("failedResults"):
                list(result)  # rows are parsed as they are read
        except MsplinkError:
            pass


def test_result_csv_lines_are_split_in_linear_time():
    """A 4 MB answer without a line break took minutes to split with a backtracking line regex."""
    data = b"a," * 2_000_000
    started = time.perf_counter()
    with contextlib.suppress(ValueError):
        list(iter_csv([data]))
    assert time.perf_counter() - started < 5.0  # quadratic splitting would take hours
