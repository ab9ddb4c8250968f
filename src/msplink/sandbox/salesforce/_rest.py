"""REST handlers of the Salesforce sandbox: sObject CRUD, upsert by external id, SOQL query/queryAll with
``nextRecordsUrl`` cursors, describes, and getUpdated/getDeleted."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from urllib.parse import unquote

from msplink.sandbox._framework import SandboxRequest, SandboxResponse
from msplink.sandbox.salesforce._common import abort, fmt_dt, parse_param_dt
from msplink.sandbox.salesforce._org import Org
from msplink.sandbox.salesforce._results import page_of

URI_MAX = 16_384
"""Bytes a request URI may take; longer is 414 URI Too Long (a long SOQL statement goes in a
``POST /composite`` subrequest instead, whose URL travels in the body)."""
SOQL_MAX = 100_000
"""Characters of one SOQL statement at most (REFERENCE §5)."""

__all__ = ["RestApi"]


def _fields_param(request: SandboxRequest) -> list[str] | None:
    fields = request.param("fields")
    return [f.strip() for f in fields.split(",") if f.strip()] if fields else None


def _ext_value(request: SandboxRequest) -> str:
    """The external id value from the raw path (one percent-decoding, slashes kept)."""
    raw = request.raw_path or request.path
    segments = raw.split("/")
    return unquote("/".join(segments[7:])) if len(segments) > 7 else request.path_params["value"]


def _batch_size(request: SandboxRequest) -> int:
    options = request.header("sforce-query-options") or ""
    found = re.search(r"batchSize\s*=\s*(\d+)", options)
    size = int(found.group(1)) if found else 2000
    return min(2000, max(200, size))


class RestApi:
    """The ``/services/data/vXX.X`` REST resources over an :class:`Org`, and the query cursors."""

    def __init__(self, org: Org) -> None:
        self.org = org

    # ------------------------------------------------------------------------------------- CRUD

    def create(self, request: SandboxRequest) -> SandboxResponse:
        """``POST /sobjects/{sobject}``."""
        spec = self.org.spec(request.path_params["sobject"])
        record_id = self.org.insert(spec, request.json())
        return SandboxResponse.json(
            201, {"id": record_id, "success": True, "errors": []}, {"Location": self.org.url(spec, record_id)}
        )

    def get(self, request: SandboxRequest) -> SandboxResponse:
        """``GET /sobjects/{sobject}/{id}`` (``fields=`` projects)."""
        spec = self.org.spec(request.path_params["sobject"])
        row = self.org.row(spec, request.path_params["id"])
        return SandboxResponse.json(200, self.org.render(spec, row, _fields_param(request)))

    def update(self, request: SandboxRequest) -> SandboxResponse:
        """``PATCH /sobjects/{sobject}/{id}``."""
        spec = self.org.spec(request.path_params["sobject"])
        self.org.modify(spec, self.org.row(spec, request.path_params["id"]), request.json())
        return SandboxResponse.empty(204)

    def delete(self, request: SandboxRequest) -> SandboxResponse:
        """``DELETE /sobjects/{sobject}/{id}``."""
        spec = self.org.spec(request.path_params["sobject"])
        self.org.remove(spec, self.org.row(spec, request.path_params["id"]))
        return SandboxResponse.empty(204)

    def get_by_external(self, request: SandboxRequest) -> SandboxResponse:
        """``GET /sobjects/{sobject}/{field}/{value}`` (300 with the candidates' URLs when several match)."""
        spec = self.org.spec(request.path_params["sobject"])
        _, rows = self.org.by_external(spec, request.path_params["field"], _ext_value(request))
        if not rows:
            raise abort(404, "NOT_FOUND", "The requested resource does not exist")
        if len(rows) > 1:
            return SandboxResponse.json(300, [self.org.url(spec, r["Id"]) for r in rows])
        return SandboxResponse.json(200, self.org.render(spec, rows[0], _fields_param(request)))

    def upsert(self, request: SandboxRequest) -> SandboxResponse:
        """``PATCH /sobjects/{sobject}/{field}/{value}``: 201 created, 200 updated, 300 ambiguous."""
        org = self.org
        spec = org.spec(request.path_params["sobject"])
        field, value = request.path_params["field"], _ext_value(request)
        f, rows = org.by_external(spec, field, value)
        body = dict(request.json())
        if any(k.lower() in {"id", f.name.lower()} for k in body):
            raise abort(
                400, "INVALID_FIELD", f"{f.name} is not allowed in the body of an upsert by that field"
            )
        if len(rows) > 1:
            return SandboxResponse.json(300, [org.url(spec, r["Id"]) for r in rows])
        if rows:
            org.modify(spec, rows[0], body)
            return SandboxResponse.json(
                200, {"id": rows[0]["Id"], "success": True, "errors": [], "created": False}
            )
        if request.param("updateOnly", "false") == "true":
            raise abort(404, "NOT_FOUND", "The requested resource does not exist")
        body[f.name] = value if f.type != "int" else int(value)
        record_id = org.insert(spec, body)
        return SandboxResponse.json(
            201,
            {"id": record_id, "success": True, "errors": [], "created": True},
            {"Location": org.url(spec, record_id)},
        )

    # ------------------------------------------------------------------------------------ query

    def query(self, request: SandboxRequest, include_deleted: bool) -> SandboxResponse:
        """``GET /query`` and ``/queryAll``: the first page (``Sforce-Query-Options: batchSize=``).

        Records render page by page (a cursor keeps the selected rows, not rendered records); child
        rows count toward the batch; an aggregate query answers its groups in one page.
        """
        statement = request.param("q")
        if not statement:
            raise abort(400, "MALFORMED_QUERY", "A query string has to be specified")
        if len(statement) > SOQL_MAX:
            raise abort(
                400, "MALFORMED_QUERY", f"SOQL statements cannot be longer than {SOQL_MAX} characters"
            )
        parsed, spec, rows = self.org.run_query(statement, include_deleted=include_deleted)
        if parsed.fields == ("COUNT()",):
            return SandboxResponse.json(200, {"totalSize": len(rows), "done": True, "records": []})
        resource = "queryAll" if include_deleted else "query"
        cursor = self.org.open_cursor(spec, parsed, rows, resource=resource)
        if parsed.is_aggregate:
            return SandboxResponse.json(200, page_of(cursor, 0, len(rows) or 1, "", self.org.version))
        locator = self.org.new_locator()
        body = page_of(cursor, 0, _batch_size(request), locator, self.org.version)
        if not body["done"]:
            self.org.cursors[locator] = cursor
        return SandboxResponse.json(200, body)

    def query_more(self, request: SandboxRequest) -> SandboxResponse:
        """``GET /query/{locator}-{offset}``: a following page of a query, or of a child set."""
        locator, _, offset = request.path_params["locator"].partition("-")
        cursor = self.org.cursors.get(locator)
        if cursor is None or not offset.isdigit():
            raise abort(400, "INVALID_QUERY_LOCATOR", "invalid query locator")
        return SandboxResponse.json(
            200, page_of(cursor, int(offset), _batch_size(request), locator, self.org.version)
        )

    # --------------------------------------------------------------------------------- describe

    def resources(self, request: SandboxRequest) -> SandboxResponse:
        """``GET /services/data/vXX.X``: the resources of a version."""
        base = f"/services/data/v{self.org.version}"
        names = ("sobjects", "query", "queryAll", "composite", "limits", "jobs")
        return SandboxResponse.json(200, {name: f"{base}/{name}" for name in names})

    def basic_info(self, request: SandboxRequest) -> SandboxResponse:
        """``GET /sobjects/{sobject}``."""
        spec = self.org.spec(request.path_params["sobject"])
        return SandboxResponse.json(
            200, {"objectDescribe": spec.summary(self.org.version), "recentItems": []}
        )

    def global_describe(self, request: SandboxRequest) -> SandboxResponse:
        """``GET /sobjects``."""
        return SandboxResponse.json(
            200,
            {
                "encoding": "UTF-8",
                "maxBatchSize": 200,
                "sobjects": [s.summary(self.org.version) for s in self.org.objects.values()],
            },
        )

    def describe(self, request: SandboxRequest) -> SandboxResponse:
        """``GET /sobjects/{sobject}/describe`` (with child relationships)."""
        spec = self.org.spec(request.path_params["sobject"])
        children = [
            {
                "childSObject": child.name,
                "field": ref.name,
                "relationshipName": ref.child_relationship,
                "cascadeDelete": False,
            }
            for child, ref in self.org.child_relationships(spec).values()
        ]
        return SandboxResponse.json(200, spec.describe(children))

    # ------------------------------------------------------------------------- getUpdated/Deleted

    def _window(self, request: SandboxRequest, days: int) -> tuple[datetime, datetime]:
        try:
            start = parse_param_dt(request.param("start") or "")
            end = parse_param_dt(request.param("end") or "")
        except ValueError:
            raise abort(400, "INVALID_REPLICATION_DATE", "start and end must be valid dateTimes") from None
        now = self.org.now()
        if start >= end:
            raise abort(400, "INVALID_REPLICATION_DATE", "startDate must chronologically precede endDate")
        if start < now - timedelta(days=days):
            raise abort(400, "INVALID_REPLICATION_DATE", f"startDate cannot be more than {days} days ago")
        return start.replace(second=0), min(end, now).replace(second=0)

    def updated(self, request: SandboxRequest) -> SandboxResponse:
        """``GET /sobjects/{sobject}/updated?start=&end=`` (30 days back at most)."""
        spec = self.org.spec(request.path_params["sobject"])
        start, end = self._window(request, 30)
        ids = [
            r["Id"]
            for r in self.org.data[spec.name.lower()].values()
            if not r.get("IsDeleted") and start <= r["SystemModstamp"] < end
        ]
        if len(ids) > 600000:
            raise abort(400, "EXCEEDED_ID_LIMIT", "too many ids")
        return SandboxResponse.json(200, {"ids": ids, "latestDateCovered": fmt_dt(end)})

    def deleted(self, request: SandboxRequest) -> SandboxResponse:
        """``GET /sobjects/{sobject}/deleted?start=&end=`` (15 days back at most)."""
        spec = self.org.spec(request.path_params["sobject"])
        start, end = self._window(request, 15)
        records = [
            {"id": rid, "deletedDate": fmt_dt(when)}
            for name, rid, when in self.org.deleted_log
            if name == spec.name and start <= when < end
        ]
        earliest = self.org.now() - timedelta(days=15)
        return SandboxResponse.json(
            200,
            {
                "deletedRecords": records,
                "earliestDateAvailable": fmt_dt(earliest.replace(second=0)),
                "latestDateCovered": fmt_dt(end),
            },
        )
