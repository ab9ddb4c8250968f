"""Bulk 2.0 save results read only the result files that can hold rows (issue 18: msplink made more
calls than simple-salesforce's ``bulk2``: it read ``failedResults`` and ``unprocessedrecords`` of a job
whose counts said both were empty). The row matcher still proves every record has exactly one row."""

from __future__ import annotations

import httpx
import pytest

from msplink.errors import APIError
from msplink.testing import MockRouter

API = "/services/data/v62.0"
JOB = "750dM00000BULKJOBAAA"


def test_a_clean_job_reads_only_its_successful_rows(client, sandbox):
    sandbox.clear_log()
    records = [{"Name": f"Clean {i}", "CW_Company_Id__c": f"C{i}"} for i in range(2500)]
    results = client.accounts.upsert_many("CW_Company_Id__c", records)
    assert len(results) == 2500 and all(r.success for r in results)
    assert sandbox.count("GET", r"/successfulResults$") == 1
    assert sandbox.count("GET", r"/(failedResults|unprocessedrecords)$") == 0
    assert sandbox.count(None, r"/services/data/") == 6  # create, upload, close, 2 polls, results


def _routes(router: MockRouter, job: dict[str, object], successful: str) -> None:
    router.post(f"{API}/jobs/ingest", json={"id": JOB, "state": "Open"})
    router.add("PUT", f"{API}/jobs/ingest/{JOB}/batches", httpx.Response(201))
    router.patch(f"{API}/jobs/ingest/{JOB}", json={"id": JOB, "state": "UploadComplete"})
    router.get(f"{API}/jobs/ingest/{JOB}", json={"id": JOB, **job})
    router.get(f"{API}/jobs/ingest/{JOB}/successfulResults", text=successful)
    router.get(f"{API}/jobs/ingest/{JOB}/failedResults", text='"sf__Id","sf__Error",Name\n')
    router.get(f"{API}/jobs/ingest/{JOB}/unprocessedrecords", text="Name\n")


def test_a_job_whose_counts_do_not_match_its_rows_is_an_error_not_a_guess(mocked):
    router = MockRouter()
    counts = {"state": "JobComplete", "numberRecordsProcessed": 2, "numberRecordsFailed": 0}
    _routes(router, counts, '"sf__Id","sf__Created",Name\n"001000000000001AAA","true","A"\n')
    client = mocked(router)
    with pytest.raises(APIError) as raised:
        client.accounts.create_many([{"Name": "A"}, {"Name": "B"}], bulk_threshold=1)
    assert raised.value.errors[0].code == "result_count_mismatch"
    assert [r.url.path.rsplit("/", 1)[-1] for r in router.calls if r.method == "GET"][
        -1
    ] == "successfulResults"


def test_unknown_counts_read_every_file(mocked):
    router = MockRouter()
    rows = '"sf__Id","sf__Created",Name\n"001000000000001AAA","true","A"\n"001000000000002AAA","true","B"\n'
    _routes(router, {"state": "JobComplete"}, rows)
    client = mocked(router)
    results = client.accounts.create_many([{"Name": "A"}, {"Name": "B"}], bulk_threshold=1)
    assert [r.id for r in results] == ["001000000000001AAA", "001000000000002AAA"]
    files = [r.url.path.rsplit("/", 1)[-1] for r in router.calls if r.method == "GET"][-3:]
    assert files == ["successfulResults", "failedResults", "unprocessedrecords"]
