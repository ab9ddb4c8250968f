"""Bulk 2.0 ingest under faults: nothing appended twice, nothing lost, every failure typed (issue 11).

``PUT /jobs/ingest/{id}/batches`` appends ("one or more uploads", REFERENCE.md §10): an upload whose
answer was lost is never sent again to the same job; the job is aborted and a new one started. A close
(``PATCH state=UploadComplete``) whose answer was lost is replayed, answered 409 ``INVALIDJOBSTATE``,
and settled by reading the job. Every test runs for the sync and the async client.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from msplink.errors import APIError, BadRequestError, TransportError
from msplink.sandbox import FaultKind
from msplink.sandbox.salesforce import SalesforceSandbox
from msplink.testing import MockRouter

API = "/services/data/v62.0"
JOB = "750dM00000BULKJOBAAA"


def stored(sandbox: SalesforceSandbox, prefix: str) -> int:
    return sum(1 for r in sandbox.records("Account") if str(r.get("Name", "")).startswith(prefix))


def job_ids(sandbox: SalesforceSandbox) -> list[str]:
    """The ids of the jobs created, in order (from the upload paths)."""
    ids: list[str] = []
    for record in sandbox.requests:
        if record.method == "PUT":
            job = record.path.split("/")[-2]
            if job not in ids:
                ids.append(job)
    return ids


def test_a_lost_upload_response_restarts_the_job_and_never_appends_twice(client, sandbox):
    sandbox.faults.inject(FaultKind.LOSE_RESPONSE, method="PUT", path=r"/batches$", times=1)
    sandbox.clear_log()
    results = client.accounts.create_many([{"Name": f"Lost {i:04d}"} for i in range(2500)])
    assert len(results) == 2500 and all(r.success for r in results)
    assert len({r.id for r in results}) == 2500
    assert stored(sandbox, "Lost ") == 2500  # before the fix: 5,000
    assert sandbox.count("POST", r"/jobs/ingest$") == 2
    assert sandbox.count("PUT", r"/batches$") == 2
    assert sandbox.count("PATCH", r"/jobs/ingest/[^/]+$") == 2  # abort the first job, close the second
    first, second = job_ids(sandbox)
    assert client.bulk.get_job(first).state == "Aborted"
    assert client.bulk.get_job(second).state == "JobComplete"


def test_uploads_lost_at_50_percent_store_every_record_exactly_once(client, sandbox):
    sandbox.faults.inject(FaultKind.LOSE_RESPONSE, method="PUT", path=r"/batches$", rate=0.5)
    sandbox.clear_log()
    outcomes = []
    for run in range(4):
        prefix = f"Half {run} "
        try:
            results = client.accounts.create_many([{"Name": f"{prefix}{i:04d}"} for i in range(2500)])
            outcomes.append((sum(r.success for r in results), stored(sandbox, prefix)))
        except TransportError:
            outcomes.append((0, stored(sandbox, prefix)))
    # Seeded faults: three uploads lost over the four runs; each run stores its 2,500 records once.
    assert outcomes == [(2500, 2500)] * 4
    assert sandbox.count("POST", r"/jobs/ingest$") == 7
    assert sandbox.count("PUT", r"/batches$") == 7
    assert (
        sum(1 for r in sandbox.requests if r.method == "PUT" and r.fault == FaultKind.LOSE_RESPONSE.value)
        == 3
    )


def test_a_lost_close_response_reads_the_job_and_goes_on(client, sandbox):
    sandbox.faults.inject(FaultKind.LOSE_RESPONSE, method="PATCH", path=r"/jobs/ingest/[^/]+$", times=1)
    sandbox.clear_log()
    results = client.accounts.upsert_many(
        "CW_Company_Id__c", [{"Name": f"Close {i:04d}", "CW_Company_Id__c": f"CL{i}"} for i in range(2500)]
    )
    assert [r.created for r in results] == [True] * 2500  # before the fix: ConflictError
    assert stored(sandbox, "Close ") == 2500
    assert sandbox.count("PATCH", r"/jobs/ingest/[^/]+$") == 2
    assert sandbox.count("PATCH", r"/jobs/ingest/[^/]+$", status=409) == 1  # the replay
    assert sandbox.count("POST", r"/jobs/ingest$") == 1


def test_every_upload_in_doubt_raises_and_leaves_nothing_to_process(client, sandbox):
    sandbox.faults.inject(FaultKind.LOSE_RESPONSE, method="PUT", path=r"/batches$")
    sandbox.clear_log()
    with pytest.raises(TransportError):
        client.accounts.create_many([{"Name": f"Doubt {i:04d}"} for i in range(2500)])
    assert stored(sandbox, "Doubt ") == 0
    assert sandbox.count("POST", r"/jobs/ingest$") == 4  # RetryPolicy.max_attempts jobs
    assert sandbox.count("PUT", r"/batches$") == 4  # one upload per job, never two
    ids = job_ids(sandbox)
    assert len(ids) == 4 and {client.bulk.get_job(i).state for i in ids} == {"Aborted"}


def test_a_close_that_never_landed_aborts_the_job(client, sandbox):
    sandbox.faults.inject(FaultKind.DROP_CONNECTION, method="PATCH", path=r"/jobs/ingest/[^/]+$", times=4)
    sandbox.clear_log()
    with pytest.raises(TransportError):
        client.accounts.create_many([{"Name": f"Open {i:04d}"} for i in range(2500)])
    assert stored(sandbox, "Open ") == 0
    [job] = job_ids(sandbox)
    assert client.bulk.get_job(job).state == "Aborted"  # before the fix: left Open
    assert sandbox.count("GET", r"/jobs/ingest/[^/]+$") == 2  # the settle read + this assertion's


def test_a_lost_job_creation_is_replayed_and_leaves_only_an_empty_job(client, sandbox):
    sandbox.faults.inject(FaultKind.LOSE_RESPONSE, method="POST", path=r"/jobs/ingest$", times=1)
    sandbox.clear_log()
    results = client.accounts.create_many([{"Name": f"Create {i:04d}"} for i in range(2500)])
    assert all(r.success for r in results) and stored(sandbox, "Create ") == 2500
    assert sandbox.count("POST", r"/jobs/ingest$") == 2  # the lost one made an empty job, never closed
    assert sandbox.count("PUT", r"/batches$") == 1
    sandbox.faults.inject(FaultKind.SERVER_ERROR, status=503, method="POST", path=r"/jobs/ingest$", times=1)
    assert all(r.success for r in client.accounts.create_many([{"Name": f"Again {i}"} for i in range(2001)]))


def test_insert_results_are_matched_to_their_records(client, sandbox):
    records = [{"Name": f"Order {i:04d}"} for i in range(2001)]
    records[7] = {"Name": ""}
    results = client.accounts.create_many(records)
    assert results[7].codes == ("REQUIRED_FIELD_MISSING",)  # before the fix: results[2000] got it
    assert sum(r.success for r in results) == 2000
    by_name = {r["Name"]: r["Id"] for r in sandbox.records("Account")}
    assert all(results[i].id == by_name[records[i]["Name"]] for i in range(2001) if i != 7)


# ----------------------------------------------------------------------- hostile answers (MockRouter)


def bulk_routes(router: MockRouter, *, upload: httpx.Response | None = None, files: dict[str, str]) -> None:
    """A whole ingest job on a MockRouter: create, upload, close/abort, poll, the three result files."""
    router.post(f"{API}/jobs/ingest", json={"id": JOB, "state": "Open"})
    router.add("PUT", f"{API}/jobs/ingest/{JOB}/batches", upload or httpx.Response(201))
    router.patch(
        f"{API}/jobs/ingest/{JOB}",
        lambda r: httpx.Response(200, json={"id": JOB, "state": json.loads(r.content)["state"]}),
    )
    router.get(f"{API}/jobs/ingest/{JOB}", json={"id": JOB, "state": "JobComplete"})
    for kind in ("successfulResults", "failedResults", "unprocessedrecords"):
        router.get(f"{API}/jobs/ingest/{JOB}/{kind}", text=files.get(kind, "Name\n"))


def patches(router: MockRouter) -> list[Any]:
    return [json.loads(r.content) for r in router.calls if r.method == "PATCH"]


def test_a_refused_upload_aborts_the_job(mocked):
    router = MockRouter()
    refusal = httpx.Response(400, json=[{"errorCode": "ClientInputError", "message": "bad CSV"}])
    bulk_routes(router, upload=refusal, files={})
    client = mocked(router)
    with pytest.raises(BadRequestError):
        client.accounts.create_many([{"Name": "A"}, {"Name": "B"}], bulk_threshold=1)
    assert patches(router) == [{"state": "Aborted"}]  # before the fix: left Open, no abort


def test_result_rows_in_any_order_are_matched_back(mocked):
    router = MockRouter()
    ok = '"sf__Id","sf__Created",Name\n"001B","true",B\n"001A1","true",A\n"001A2","true",A\n'
    failed = '"sf__Id","sf__Error",Name\n"","REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --",\n'
    bulk_routes(router, files={"successfulResults": ok, "failedResults": failed})
    client = mocked(router)
    results = client.accounts.create_many(
        [{"Name": "A"}, {"Name": ""}, {"Name": "B"}, {"Name": "A"}], bulk_threshold=1
    )
    assert [(r.success, r.id) for r in results] == [
        (True, "001A1"),
        (False, None),
        (True, "001B"),
        (True, "001A2"),
    ]
    assert results[1].codes == ("REQUIRED_FIELD_MISSING",) and results[1].errors[0].fields == ("Name",)
    assert patches(router) == [{"state": "UploadComplete"}]


@pytest.mark.parametrize(
    "ok",
    [
        '"sf__Id","sf__Created",Name\n"001A","true",A\n',  # a record without a row
        '"sf__Id","sf__Created",Name\n"001A","true",A\n"001B","true",B\n"001C","true",C\n',  # an unknown row
        '"sf__Id","sf__Created",Name\n"001A","true",A\n"001A","true",A\n',  # one record twice
    ],
)
def test_result_files_that_do_not_account_for_every_record_are_an_error(mocked, ok):
    router = MockRouter()
    bulk_routes(router, files={"successfulResults": ok})
    with pytest.raises(APIError) as info:
        mocked(router).accounts.create_many([{"Name": "A"}, {"Name": "B"}], bulk_threshold=1)
    assert info.value.codes == ("result_count_mismatch",)
    assert JOB in str(info.value)


def test_result_rows_are_parsed_as_they_are_read(mocked):
    router = MockRouter()
    router.get(
        f"{API}/jobs/ingest/{JOB}/successfulResults",
        text='"sf__Id","sf__Created",Name\n"001A","true",A\n"001B","true",B,extra,cells\n',
    )
    rows = mocked(router).bulk.result_rows(JOB, "successfulResults")
    assert not isinstance(rows, list)
    first = next(rows)  # the first row is usable before the bad one is reached
    assert (first.id, first.record) == ("001A", {"Name": "A"})
    with pytest.raises(APIError) as info:
        next(rows)
    assert info.value.codes == ("malformed_response",)


def test_a_bulk_upsert_needs_every_key_before_any_io(mocked):
    router = MockRouter()
    with pytest.raises(Exception, match="needs a value for CW_Company_Id__c"):
        mocked(router).accounts.upsert_many(
            "CW_Company_Id__c", [{"Name": "A", "CW_Company_Id__c": "1"}, {"Name": "B"}], bulk_threshold=1
        )
    assert router.calls == []


# ----------------------------------------------------------------------- replayed deletes (sandbox)


def test_a_replayed_delete_is_not_an_error(client, sandbox):
    created = client.accounts.create({"Name": "Delete me"})
    sandbox.faults.inject(FaultKind.LOSE_RESPONSE, method="DELETE", path=r"/sobjects/Account/", times=1)
    sandbox.clear_log()
    client.accounts.delete(created.id)  # before the fix: BadRequestError ENTITY_IS_DELETED
    assert sandbox.count("DELETE", r"/sobjects/Account/") == 2
    assert stored(sandbox, "Delete me") == 0


def test_a_replayed_delete_many_reports_every_record_deleted(client, sandbox):
    ids = [r.id for r in client.accounts.create_many([{"Name": f"Gone {i}"} for i in range(3)])]
    sandbox.faults.inject(FaultKind.LOSE_RESPONSE, method="DELETE", path=r"/composite/sobjects$", times=1)
    results = client.accounts.delete_many(ids)
    assert [(r.id, r.success) for r in results] == [(i, True) for i in ids]
    assert stored(sandbox, "Gone ") == 0
    missing = client.accounts.delete_many(["001000000000000AAA"])  # never existed: still a failure
    assert missing[0].success is False and missing[0].codes != ("ENTITY_IS_DELETED",)
