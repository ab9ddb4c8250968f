"""Bulk API 2.0 of the Salesforce sandbox: ingest jobs (CSV insert/update/upsert/delete) and query jobs.

Jobs complete on the second status poll, so clients exercise their polling loop.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from msplink.sandbox._framework import SandboxRequest, SandboxResponse
from msplink.sandbox.salesforce._common import RecordFailure, abort, csv_cell, csv_text, fmt_dt, id18
from msplink.sandbox.salesforce._org import Org

__all__ = ["BulkJobs", "Job"]


@attrs.define
class Job:
    """One Bulk 2.0 job: its info document, uploaded CSV, and results."""

    info: dict[str, Any]
    data: list[bytes] = attrs.field(factory=list)
    polls: int = 0
    successful: list[dict[str, str]] = attrs.field(factory=list)
    failed: list[dict[str, str]] = attrs.field(factory=list)
    unprocessed: list[dict[str, str]] = attrs.field(factory=list)
    columns: list[str] = attrs.field(factory=list)
    rows: list[dict[str, str]] = attrs.field(factory=list)


class BulkJobs:
    """The org's Bulk 2.0 jobs and the ``/jobs/ingest`` and ``/jobs/query`` handlers."""

    def __init__(self, org: Org) -> None:
        self.org = org
        self.jobs: dict[str, Job] = {}

    def _new_info(self, operation: str, object_name: str, state: str) -> dict[str, Any]:
        org = self.org
        job_id = id18(f"750SB{org.next_number():010d}")
        now = fmt_dt(org.now())
        return {
            "id": job_id,
            "operation": operation,
            "object": object_name,
            "createdById": org.user,
            "createdDate": now,
            "systemModstamp": now,
            "state": state,
        }

    def _job(self, request: SandboxRequest, kind: str) -> Job:
        job = self.jobs.get(request.path_params["job"])
        if job is None or job.info.get("jobType") != kind:
            raise abort(404, "NOT_FOUND", "The requested resource does not exist")
        return job

    # ---------------------------------------------------------------------------------- ingest

    def ingest_create(self, request: SandboxRequest) -> SandboxResponse:
        """``POST /jobs/ingest``: open an ingest job."""
        body = request.json()
        if not isinstance(body, Mapping):
            raise abort(400, "JSON_PARSER_ERROR", "Expected a JSON object")
        spec = self.org.spec(str(body.get("object") or ""))
        operation = body.get("operation")
        if operation not in {"insert", "update", "upsert", "delete", "hardDelete"}:
            raise abort(400, "INVALIDJOB", f"Invalid operation: {operation}")
        ext = body.get("externalIdFieldName")
        if operation == "upsert":
            f = spec.field(str(ext or ""))
            if f is None or not (f.external_id or f.id_lookup):
                raise abort(400, "INVALIDJOB", f"External ID field {ext} is not valid for {spec.name}")
        info = self._new_info(str(operation), spec.name, "Open")
        version = self.org.version
        info.update(
            {
                "externalIdFieldName": ext,
                "concurrencyMode": "Parallel",
                "contentType": "CSV",
                "apiVersion": Decimal(version),
                "contentUrl": f"services/data/v{version}/jobs/ingest/{info['id']}/batches",
                "lineEnding": body.get("lineEnding", "LF"),
                "columnDelimiter": body.get("columnDelimiter", "COMMA"),
                "jobType": "V2Ingest",
            }
        )
        self.jobs[info["id"]] = Job(info=info)
        return SandboxResponse.json(200, info)

    def ingest_upload(self, request: SandboxRequest) -> SandboxResponse:
        """``PUT /jobs/ingest/{job}/batches``: upload CSV data."""
        job = self._job(request, "V2Ingest")
        if job.info["state"] != "Open":
            raise abort(409, "INVALIDJOBSTATE", "Job is not in Open state")
        job.data.append(request.body)
        return SandboxResponse.empty(201)

    def ingest_state(self, request: SandboxRequest) -> SandboxResponse:
        """``PATCH /jobs/ingest/{job}``: close (``UploadComplete``, which processes the data) or abort."""
        job = self._job(request, "V2Ingest")
        state = (request.json() or {}).get("state")
        if state == "Aborted":
            job.info["state"] = "Aborted"
        elif state == "UploadComplete":
            if job.info["state"] != "Open":
                raise abort(409, "INVALIDJOBSTATE", "Job is not in Open state")
            job.info["state"] = "UploadComplete"
            self._process_ingest(job)
        else:
            raise abort(400, "INVALIDJOBSTATE", f"Invalid state: {state}")
        return SandboxResponse.json(200, dict(job.info))

    def _process_ingest(self, job: Job) -> None:
        org = self.org
        spec = org.spec(job.info["object"])
        rows: list[dict[str, str]] = []
        for upload in job.data:
            text = upload.decode("utf-8").replace("\x00", "")
            rows.extend(csv.DictReader(io.StringIO(text)))
        op = job.info["operation"]
        ext = job.info.get("externalIdFieldName")
        for row in rows:
            body: dict[str, Any] = {}
            for key, value in row.items():
                if key is None or value == "":
                    continue
                body[key] = None if value == "#N/A" else value
            try:
                created = False
                if op == "insert":
                    record_id = org.insert(spec, body, from_csv=True)
                    created = True
                elif op == "update":
                    record_id = str(body.pop("Id", "") or "")
                    org.modify(spec, org.row(spec, record_id), body, from_csv=True)
                elif op in {"delete", "hardDelete"}:
                    record_id = str(body.get("Id") or "")
                    org.remove(spec, org.row(spec, record_id))
                else:
                    key_value = body.get(str(ext))
                    if key_value in (None, ""):
                        raise RecordFailure(  # noqa: TRY301
                            "REQUIRED_FIELD_MISSING", f"Required fields are missing: [{ext}]", [str(ext)]
                        )
                    f, matches = org.by_external(spec, str(ext), str(key_value))
                    if len(matches) > 1:
                        raise RecordFailure(  # noqa: TRY301
                            "DUPLICATE_EXTERNAL_ID", f"more than one record found for {ext}: {key_value}"
                        )
                    if matches:
                        record_id = matches[0]["Id"]
                        org.modify(
                            spec, matches[0], {k: v for k, v in body.items() if k != f.name}, from_csv=True
                        )
                    else:
                        record_id = org.insert(spec, body, from_csv=True)
                        created = True
                job.successful.append(
                    {"sf__Id": record_id, "sf__Created": "true" if created else "false", **row}
                )
            except RecordFailure as failure:
                fields = ",".join(failure.fields)
                job.failed.append(
                    {"sf__Id": "", "sf__Error": f"{failure.code}:{failure.message}:{fields} --", **row}
                )
        job.columns = list(rows[0].keys()) if rows else []
        job.info["numberRecordsProcessed"] = len(rows)
        job.info["numberRecordsFailed"] = len(job.failed)
        job.info["retries"] = 0
        job.info["totalProcessingTime"] = 10 * len(rows)

    def ingest_get(self, request: SandboxRequest) -> SandboxResponse:
        """``GET /jobs/ingest/{job}``: the job's info (complete on the second poll)."""
        job = self._job(request, "V2Ingest")
        if job.info["state"] in {"UploadComplete", "InProgress"}:
            job.polls += 1
            job.info["state"] = "InProgress" if job.polls < 2 else "JobComplete"
        return SandboxResponse.json(200, dict(job.info))

    def job_delete(self, request: SandboxRequest) -> SandboxResponse:
        """``DELETE /jobs/ingest/{job}``."""
        job = self._job(request, "V2Ingest")
        del self.jobs[job.info["id"]]
        return SandboxResponse.empty(204)

    def ingest_results(self, request: SandboxRequest, kind: str) -> SandboxResponse:
        """``successfulResults`` (``ok``), ``failedResults`` (``failed``) or ``unprocessedrecords`` (``un``)."""
        job = self._job(request, "V2Ingest")
        if job.info["state"] != "JobComplete" and kind != "un":
            raise abort(400, "INVALIDJOBSTATE", "Job is not complete")
        if kind == "ok":
            head, rows = ["sf__Id", "sf__Created", *job.columns], job.successful
        elif kind == "failed":
            head, rows = ["sf__Id", "sf__Error", *job.columns], job.failed
        else:
            head, rows = job.columns, job.unprocessed
        return SandboxResponse.text(200, csv_text(head, rows), "text/csv")

    # ----------------------------------------------------------------------------------- query

    def query_job_create(self, request: SandboxRequest) -> SandboxResponse:
        """``POST /jobs/query``: run a SOQL query into a CSV result set."""
        body = request.json()
        operation = body.get("operation")
        if operation not in {"query", "queryAll"}:
            raise abort(400, "INVALIDJOB", f"Invalid operation: {operation}")
        parsed, spec, rows = self.org.run_query(
            str(body.get("query") or ""), include_deleted=operation == "queryAll"
        )
        if parsed.is_count or parsed.offset or parsed.children or parsed.is_aggregate:
            raise abort(
                400,
                "INVALIDJOB",
                "Bulk queries do not support COUNT(), OFFSET, subqueries, aggregate functions or GROUP BY",
            )
        info = self._new_info(str(operation), spec.name, "UploadComplete")
        info.update(
            {
                "concurrencyMode": "Parallel",
                "contentType": "CSV",
                "apiVersion": Decimal(self.org.version),
                "lineEnding": "LF",
                "columnDelimiter": "COMMA",
                "jobType": "V2Query",
            }
        )
        job = Job(info=info, columns=list(parsed.fields))
        resolve = self.org.resolver(spec)
        for row in rows:
            job.rows.append({field: csv_cell(resolve(row, field)[0]) for field in parsed.fields})
        self.jobs[info["id"]] = job
        return SandboxResponse.json(200, info)

    def query_job_get(self, request: SandboxRequest) -> SandboxResponse:
        """``GET /jobs/query/{job}``: the job's info (complete on the second poll)."""
        job = self._job(request, "V2Query")
        if job.info["state"] in {"UploadComplete", "InProgress"}:
            job.polls += 1
            job.info["state"] = "InProgress" if job.polls < 2 else "JobComplete"
            job.info["numberRecordsProcessed"] = len(job.rows)
        return SandboxResponse.json(200, dict(job.info))

    def query_job_results(self, request: SandboxRequest) -> SandboxResponse:
        """``GET /jobs/query/{job}/results``: a CSV chunk, ``Sforce-Locator`` naming the next one."""
        job = self._job(request, "V2Query")
        if job.info["state"] != "JobComplete":
            raise abort(400, "INVALIDJOBSTATE", "Job is not complete")
        start = int(request.param("locator") or "0") if (request.param("locator") or "0").isdigit() else -1
        if start < 0:
            raise abort(400, "INVALID_QUERY_LOCATOR", "invalid locator")
        size = int(request.param("maxRecords") or "50000")
        chunk = job.rows[start : start + size]
        nxt = str(start + size) if start + size < len(job.rows) else "null"
        return SandboxResponse.text(
            200,
            csv_text(job.columns, chunk),
            "text/csv",
            {"Sforce-Locator": nxt, "Sforce-NumberOfRecords": str(len(chunk))},
        )
