"""sObject Collections (200 records per call, ``allOrNone``) and Composite (25 subrequests with
``@{ref.field}`` references) of the Salesforce sandbox."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from msplink.sandbox._framework import SandboxRequest, SandboxResponse, json_dumps
from msplink.sandbox.salesforce._common import RecordFailure, abort, error
from msplink.sandbox.salesforce._org import Org, OrgSnapshot
from msplink.sandbox.salesforce._schema import ObjectSpec
from msplink.sandbox.salesforce._soql import SoqlError

__all__ = ["Composite"]

Dispatch = Callable[[SandboxRequest], SandboxResponse]

_ROLLED_BACK = {
    "success": False,
    "errors": [
        {
            "statusCode": "ALL_OR_NONE_OPERATION_ROLLED_BACK",
            "message": "Record rolled back because not all records were valid and the request was using AllOrNone header",
            "fields": [],
        }
    ],
}
_HEAVY = re.compile(r"/composite/sobjects|/query(?:All)?(?:/|\?|$)", re.IGNORECASE)
"""Subrequests of which a composite call may hold five: sObject Collections and queries."""
_REF = re.compile(r"@\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+|\[\d+\])+)\}")


def _halted(ref: str) -> dict[str, Any]:
    return {
        "body": [
            {
                "errorCode": "PROCESSING_HALTED",
                "message": "The transaction was rolled back since another operation in the same transaction failed.",
            }
        ],
        "httpHeaders": {},
        "httpStatusCode": 400,
        "referenceId": ref,
    }


def _substitute(value: Any, results: Mapping[str, Any]) -> Any:
    if isinstance(value, str):

        def repl(found: re.Match[str]) -> str:
            ref = found.group(1)
            if ref not in results:
                raise KeyError(found.group(0))
            current: Any = results[ref]
            for step in re.findall(r"\.([A-Za-z0-9_]+)|\[(\d+)\]", found.group(2)):
                name, index = step
                try:
                    current = current[int(index)] if index else current[name]
                except (KeyError, IndexError, TypeError):
                    raise KeyError(found.group(0)) from None
            return str(current)

        return _REF.sub(repl, value)
    if isinstance(value, Mapping):
        return {k: _substitute(v, results) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v, results) for v in value]
    return value


def _typed(org: Org, record: Any) -> ObjectSpec:
    attrs_ = record.get("attributes") if isinstance(record, Mapping) else None
    if not isinstance(attrs_, Mapping) or not attrs_.get("type"):
        raise RecordFailure("INVALID_TYPE", "Must send a concrete entity type.")
    return org.spec(str(attrs_["type"]))


def _collection_body(request: SandboxRequest) -> tuple[list[Any], bool]:
    body = request.json()
    if not isinstance(body, Mapping) or not isinstance(body.get("records"), list):
        raise abort(400, "JSON_PARSER_ERROR", 'Expected {"allOrNone": ..., "records": [...]}')
    return body["records"], bool(body.get("allOrNone", False))


class Composite:
    """The ``/composite/sobjects`` and ``/composite`` handlers.

    Args:
        org: The org written to.
        dispatch: Serves one subrequest of a composite call (the sandbox's router).

    Attributes:
        nested: True while composite subrequests run (they skip the per-request session check).
    """

    def __init__(self, org: Org, dispatch: Dispatch) -> None:
        self.org = org
        self._dispatch = dispatch
        self.nested = False

    # ------------------------------------------------------------------------------ collections

    def _collection(
        self, items: Sequence[Any], op: Callable[[Any], dict[str, Any]], all_or_none: bool
    ) -> SandboxResponse:
        if len(items) > 200:
            raise abort(
                400,
                "EXCEEDED_ID_LIMIT",
                "record limit reached. cannot submit more than 200 records into this call",
            )
        snap: OrgSnapshot | None = self.org.snapshot() if all_or_none else None
        results: list[dict[str, Any]] = []
        failed = False
        for item in items:
            try:
                results.append(op(item))
            except RecordFailure as failure:
                failed = True
                results.append({"success": False, "errors": [failure.body("statusCode")]})
                if all_or_none:
                    break
        if snap is not None and failed:
            self.org.restore(snap)
            results = [
                results[i] if i < len(results) and not results[i].get("success") else _ROLLED_BACK
                for i in range(len(items))
            ]
        return SandboxResponse.json(200, results)

    def create(self, request: SandboxRequest) -> SandboxResponse:
        """``POST /composite/sobjects``."""
        records, all_or_none = _collection_body(request)

        def op(record: Any) -> dict[str, Any]:
            if isinstance(record, Mapping) and ("id" in record or "Id" in record):
                raise RecordFailure("INVALID_FIELD", "cannot specify Id in an insert call", ["Id"])
            record_id = self.org.insert(_typed(self.org, record), record)
            return {"id": record_id, "success": True, "errors": []}

        return self._collection(records, op, all_or_none)

    def update(self, request: SandboxRequest) -> SandboxResponse:
        """``PATCH /composite/sobjects``."""
        records, all_or_none = _collection_body(request)

        def op(record: Any) -> dict[str, Any]:
            spec = _typed(self.org, record)
            record_id = record.get("id") or record.get("Id")
            if not record_id:
                raise RecordFailure("MISSING_ARGUMENT", "Id not specified in an update call", ["Id"])
            try:
                row = self.org.row(spec, str(record_id))
            except RecordFailure as failure:
                if failure.code == "NOT_FOUND":
                    raise RecordFailure("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id") from None
                raise
            self.org.modify(spec, row, {k: v for k, v in record.items() if k not in {"id", "Id"}})
            return {"id": row["Id"], "success": True, "errors": []}

        return self._collection(records, op, all_or_none)

    def upsert(self, request: SandboxRequest) -> SandboxResponse:
        """``PATCH /composite/sobjects/{sobject}/{field}``: upsert by an external id."""
        org = self.org
        spec = org.spec(request.path_params["sobject"])
        field = request.path_params["field"]
        records, all_or_none = _collection_body(request)
        f, _ = org.by_external(spec, field, "")

        def op(record: Any) -> dict[str, Any]:
            if _typed(org, record).name != spec.name:
                raise RecordFailure("INVALID_TYPE", f"all records must be of type {spec.name}")
            value = next((v for k, v in record.items() if k.lower() == f.name.lower()), None)
            if value in (None, ""):
                raise RecordFailure(
                    "REQUIRED_FIELD_MISSING", f"Required fields are missing: [{f.name}]", [f.name]
                )
            _, rows = org.by_external(spec, f.name, value)
            if len(rows) > 1:
                raise RecordFailure(
                    "DUPLICATE_EXTERNAL_ID",
                    f"More than one record found for external id field {f.name}: {value}",
                )
            if rows:
                org.modify(spec, rows[0], {k: v for k, v in record.items() if k.lower() != f.name.lower()})
                return {"id": rows[0]["Id"], "success": True, "errors": [], "created": False}
            record_id = org.insert(spec, record)
            return {"id": record_id, "success": True, "errors": [], "created": True}

        return self._collection(records, op, all_or_none)

    def delete(self, request: SandboxRequest) -> SandboxResponse:
        """``DELETE /composite/sobjects?ids=...&allOrNone=``."""
        ids = [i for i in (request.param("ids") or "").split(",") if i]
        all_or_none = (request.param("allOrNone") or "false").lower() == "true"

        def op(record_id: str) -> dict[str, Any]:
            found = self.org.find(record_id)
            if found is None:
                raise RecordFailure("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id")
            spec, row = found
            if row.get("IsDeleted"):
                raise RecordFailure("ENTITY_IS_DELETED", "entity is deleted")
            self.org.remove(spec, row)
            return {"id": row["Id"], "success": True, "errors": []}

        return self._collection(ids, op, all_or_none)

    def retrieve(self, request: SandboxRequest) -> SandboxResponse:
        """``GET`` (or ``POST``) ``/composite/sobjects/{sobject}``: up to 2,000 records by id."""
        spec = self.org.spec(request.path_params["sobject"])
        if request.method == "POST":
            body = request.json()
            ids, fields = list(body.get("ids") or []), list(body.get("fields") or [])
        else:
            ids = [i for i in (request.param("ids") or "").split(",") if i]
            fields = [f for f in (request.param("fields") or "").split(",") if f]
        if len(ids) > 2000:
            raise abort(400, "EXCEEDED_ID_LIMIT", "cannot retrieve more than 2000 records")
        out: list[Any] = []
        for record_id in ids:
            row = self.org.data[spec.name.lower()].get(record_id)
            out.append(
                None if row is None or row.get("IsDeleted") else self.org.render(spec, row, fields or ["Id"])
            )
        return SandboxResponse.json(200, out)

    # -------------------------------------------------------------------------------- composite

    def composite(self, request: SandboxRequest) -> SandboxResponse:
        """``POST /composite``: subrequests in order, references substituted, optional ``allOrNone``."""
        body = request.json()
        subs = body.get("compositeRequest") if isinstance(body, Mapping) else None
        if not isinstance(subs, list) or not subs:
            raise abort(400, "JSON_PARSER_ERROR", "compositeRequest is required")
        if len(subs) > 25:
            raise abort(400, "LIMIT_EXCEEDED", "Composite requests cannot have more than 25 subrequests")
        heavy = sum(
            1 for sub in subs if isinstance(sub, Mapping) and _HEAVY.search(str(sub.get("url") or ""))
        )
        if heavy > 5:  # up to 5 of the 25 may be sObject Collections or query operations (API v43.0+)
            raise abort(
                400,
                "LIMIT_EXCEEDED",
                "Composite requests cannot have more than 5 sObject Collections or query subrequests",
            )
        all_or_none = bool(body.get("allOrNone", False))
        snap = self.org.snapshot() if all_or_none else None
        results: dict[str, Any] = {}
        out: list[dict[str, Any]] = []
        failed = False
        self.nested = True
        try:
            for sub in subs:
                ref = str(sub.get("referenceId") or "")
                if failed and all_or_none:
                    out.append(_halted(ref))
                    continue
                try:
                    url = _substitute(str(sub.get("url") or ""), results)
                    sub_body = _substitute(sub.get("body"), results)
                except KeyError as exc:
                    out.append(
                        {
                            "body": [
                                {
                                    "errorCode": "INVALID_REFERENCE",
                                    "message": f"Invalid reference specified: {exc.args[0]}",
                                }
                            ],
                            "httpHeaders": {},
                            "httpStatusCode": 400,
                            "referenceId": ref,
                        }
                    )
                    failed = True
                    continue
                response = self._subrequest(request, str(sub.get("method", "GET")), url, sub_body)
                payload = json.loads(response.body, parse_float=Decimal) if response.body else None
                headers = {k: v for k, v in response.headers if k.lower() == "location"}
                out.append(
                    {
                        "body": payload,
                        "httpHeaders": headers,
                        "httpStatusCode": response.status,
                        "referenceId": ref,
                    }
                )
                if response.status >= 400:
                    failed = True
                else:
                    results[ref] = payload
        finally:
            self.nested = False
        if snap is not None and failed:
            self.org.restore(snap)
            out = [o if o["httpStatusCode"] >= 400 else _halted(o["referenceId"]) for o in out]
        return SandboxResponse.json(200, {"compositeResponse": out})

    def _subrequest(self, request: SandboxRequest, method: str, url: str, body: Any) -> SandboxResponse:
        parts = urlsplit(url)
        sub = SandboxRequest(
            method=method.upper(),
            path=unquote(parts.path),
            raw_path=parts.path,
            query=tuple(parse_qsl(parts.query, keep_blank_values=True)),
            headers=dict(request.headers),
            body=json_dumps(body) if body is not None else b"",
        )
        try:
            return self._dispatch(sub)
        except RecordFailure as failure:
            return SandboxResponse.json(failure.status, [failure.body()])
        except SoqlError as exc:
            return error(400, exc.code, exc.message)
