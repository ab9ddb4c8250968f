"""Wire shapes the ConnectWise sandbox's modules share: API members, callback records, CW error bodies."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from msplink.sandbox._framework import Abort, SandboxResponse

__all__ = ["ApiMember", "CallbackDeliveryRecord", "error", "invalid", "problem"]


@attrs.frozen(kw_only=True)
class ApiMember:
    """An API member's keys (what ``Authorization: Basic company+public:private`` must carry)."""

    identifier: str
    member_id: int
    public_key: str
    private_key: str = attrs.field(repr=False)


@attrs.frozen(kw_only=True)
class CallbackDeliveryRecord:
    """One callback POST the sandbox made (to an in-process receiver)."""

    url: str
    body: bytes
    headers: Mapping[str, str]
    status: int | None


def error(status: int, code: str, message: str, errors: list[dict[str, Any]] | None = None) -> Abort:
    """An :class:`Abort` with CW's error body ``{"code", "message", "errors"}`` (REFERENCE.md §3.2)."""
    return Abort(SandboxResponse.json(status, {"code": code, "message": message, "errors": errors}))


def invalid(label: str, errors: list[dict[str, Any]]) -> Abort:
    """400 ``InvalidObject`` "``label`` object is invalid" with the nested ``errors``."""
    return error(400, "InvalidObject", f"{label} object is invalid", errors)


def problem(code: str, message: str, resource: str, field: str | None = None) -> dict[str, Any]:
    """One nested ``errors[]`` entry (``code``, ``message``, ``resource``, ``field``)."""
    entry: dict[str, Any] = {"code": code, "message": message, "resource": resource}
    if field is not None:
        entry["field"] = field
    return entry
