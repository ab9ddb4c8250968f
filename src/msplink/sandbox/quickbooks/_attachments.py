"""Attachments of the QBO sandbox: ``POST /upload`` (multipart), ``GET /download/{id}`` and the files.

Intuit's Attachable page: an upload pairs ``file_metadata_NN`` (an Attachable as JSON) with
``file_content_NN``; the answer lists an ``Attachable`` (or a ``Fault``) per file in ``AttachableResponse``;
``GET /download/{id}`` answers the file's temporary download URL as text; approved file types are AI, CSV,
DOC, DOCX, EPS, GIF, JPEG, JPG, ODS, PDF, PNG, RTF, TIF, TXT, XLS, XLSX and XML. python-quickbooks sends
the content base64-encoded (``Content-Transfer-Encoding: base64``) with bare LF line ends; both are read.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote

from msplink.sandbox._framework import SandboxRequest, SandboxResponse
from msplink.sandbox.quickbooks._faults import Fault
from msplink.sandbox.quickbooks._oauth import origin
from msplink.sandbox.quickbooks._state import Company
from msplink.sandbox.quickbooks._wire import check_body, json_response

__all__ = ["APPROVED_FILES", "AttachmentsMixin"]

APPROVED_FILES = frozenset(
    {
        "ai",
        "csv",
        "doc",
        "docx",
        "eps",
        "gif",
        "jpeg",
        "jpg",
        "ods",
        "pdf",
        "png",
        "rtf",
        "tif",
        "tiff",
        "txt",
        "xls",
        "xlsx",
        "xml",
    }
)


class AttachmentsMixin:
    """The upload, download and file routes of :class:`QuickBooksSandbox`."""

    realm_id: str
    company: Company
    _api: Callable[..., SandboxResponse]
    _time: Callable[[], str]

    def _upload_route(self, request: SandboxRequest) -> SandboxResponse:
        """POST /upload (multipart/form-data): ``file_metadata_NN`` (an Attachable, JSON) pairs with
        ``file_content_NN``; the answer lists one ``Attachable`` (or ``Fault``) per file."""

        def handler() -> SandboxResponse:
            parts = _multipart(request)
            contents = sorted(k for k in parts if k.startswith("file_content_"))
            if not contents:
                raise Fault(
                    "2020",
                    "Required param missing, need to supply the required value for the API",
                    "Required parameter file_content is missing in the request",
                    element="file_content",
                )
            answers: list[dict[str, Any]] = []
            for key in contents:
                suffix = key[len("file_content_") :]
                try:
                    answers.append(
                        {
                            "Attachable": self._store_upload(
                                request, parts.get("file_metadata_" + suffix), parts[key]
                            )
                        }
                    )
                except Fault as fault:
                    answers.append({"Fault": fault.body()})
            return json_response(200, {"AttachableResponse": answers, "time": self._time()})

        return self._api(request, handler, write=True)

    def _store_upload(
        self, request: SandboxRequest, meta_part: _Part | None, content: _Part
    ) -> dict[str, Any]:
        meta: dict[str, Any] = {}
        if meta_part is not None:
            try:
                raw = json.loads(meta_part.data.decode("utf-8"))
            except (UnicodeDecodeError, ValueError, RecursionError):
                raise Fault(
                    "2010",
                    "Request has invalid or unsupported property",
                    "Property Name:failed to parse json object; a property specified is unsupported or invalid",
                ) from None
            meta = check_body("Attachable", raw)
        data = content.data
        if content.transfer_encoding == "base64":
            try:
                data = base64.b64decode(b"".join(data.split()), validate=True)
            except (binascii.Error, ValueError):
                raise Fault(
                    "2010", "Request has invalid or unsupported property", "file_content is not valid base64"
                ) from None
        name = str(meta.get("FileName") or content.filename or "")
        if not name:
            raise Fault(
                "2020",
                "Required param missing, need to supply the required value for the API",
                "Required parameter FileName is missing in the request",
                element="FileName",
            )
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if extension not in APPROVED_FILES:
            raise Fault(
                "6000",
                "A business validation error has occurred while processing your request",
                f"Business Validation Error: the file type .{extension} is not supported",
                element="FileName",
            )
        meta["FileName"] = name
        meta["ContentType"] = str(
            meta.get("ContentType") or content.content_type or "application/octet-stream"
        )
        created = self.company.create("Attachable", meta)
        created["Size"] = len(data)
        created["FileAccessUri"] = f"/v3/company/{self.realm_id}/download/{created['Id']}"
        self.company.files[created["Id"]] = (data, str(meta["ContentType"]))
        return {**created, "TempDownloadUri": self._temp_uri(request, created)}

    def _temp_uri(self, request: SandboxRequest, attachable: Mapping[str, Any]) -> str:
        return f"{origin(request)}/sandbox-files/{self.realm_id}/{attachable['Id']}/{quote(str(attachable.get('FileName') or 'file'))}"

    def _download_route(self, request: SandboxRequest) -> SandboxResponse:
        """GET /download/{id}: the temporary download URL of an uploaded file, as text (Attachable page)."""

        def handler() -> SandboxResponse:
            found = self.company.get("Attachable", request.path_params["entity_id"])
            if found["Id"] not in self.company.files:
                raise Fault("610", "Object Not Found", "Object Not Found : the attachable holds no file")
            return SandboxResponse.text(200, self._temp_uri(request, found))

        return self._api(request, handler, write=False)

    def _file_route(self, request: SandboxRequest) -> SandboxResponse:
        stored = self.company.files.get(request.path_params["file_id"])
        if stored is None or request.path_params["realm"] != self.realm_id:
            return SandboxResponse.text(404, "Not Found")
        data, content_type = stored
        return SandboxResponse(status=200, headers=(("Content-Type", content_type),), body=data)


class _Part:
    """One part of a multipart/form-data body."""

    def __init__(self, headers: Mapping[str, str], data: bytes) -> None:
        self.headers = headers
        self.data = data
        disposition = headers.get("content-disposition", "")
        self.name = _param(disposition, "name")
        self.filename = _param(disposition, "filename")
        self.content_type = headers.get("content-type", "").split(";")[0].strip()
        self.transfer_encoding = headers.get("content-transfer-encoding", "").strip().lower()


def _param(header: str, key: str) -> str:
    found = re.search(r"(?:^|;)\s*" + key + r'="?([^";]*)"?', header, re.IGNORECASE)
    return found.group(1) if found else ""


def _multipart(request: SandboxRequest) -> dict[str, _Part]:
    """The named parts of a multipart/form-data body (CRLF or bare LF line ends, as clients send both)."""
    content_type = request.header("content-type") or ""
    boundary = _param(content_type, "boundary")
    if not content_type.lower().startswith("multipart/") or not boundary:
        raise Fault(
            "2010",
            "Request has invalid or unsupported property",
            "Property Name:the upload body must be multipart/form-data with a boundary",
        )
    parts: dict[str, _Part] = {}
    for chunk in request.body.split(b"--" + boundary.encode("latin-1"))[1:]:
        if chunk.startswith(b"--"):
            break
        chunk = chunk[2:] if chunk.startswith(b"\r\n") else chunk[1:] if chunk.startswith(b"\n") else chunk
        head, sep, data = chunk.partition(b"\r\n\r\n")
        if not sep:
            head, sep, data = chunk.partition(b"\n\n")
        if not sep:
            continue
        data = data[:-2] if data.endswith(b"\r\n") else data[:-1] if data.endswith(b"\n") else data
        headers: dict[str, str] = {}
        for line in head.decode("latin-1").splitlines():
            key, colon, value = line.partition(":")
            if colon:
                headers[key.strip().lower()] = value.strip()
        part = _Part(headers, data)
        if part.name:
            parts[part.name] = part
    return parts
