"""What the executor needs to know about Salesforce: ``PLATFORM``, error bodies, classification by meaning.

Salesforce error bodies come in several shapes (REFERENCE.md §0.5, §14): ``[{message, errorCode,
fields}]`` for single-resource calls, ``{"success": false, "errors": [{statusCode, ...}]}`` inside
collections, ``{error, error_description}`` from OAuth, the misspelled ``duplicateResut`` of
``DUPLICATES_DETECTED`` and a JSON list of record URLs with HTTP 300. All are parsed into
:class:`~msplink.errors.ErrorDetail` tuples.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from msplink._core import Platform, RateLimit, decode_json
from msplink.errors import (
    APIError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    ErrorDetail,
    NotFoundError,
    RateLimitError,
)

__all__ = [
    "PLATFORM",
    "TRANSIENT_CODES",
    "MultipleMatchesError",
    "classify",
    "is_concurrency_limit",
    "parse_errors",
]

TRANSIENT_CODES = frozenset({"UNABLE_TO_LOCK_ROW"})
"""Codes that mean "refused, nothing written: try again", whatever the call (REFERENCE.md §0.11, §14).

``SERVER_UNAVAILABLE`` is not one of them: like any 5xx it is retried for idempotent calls only
(REFERENCE.md §14: "never blind-retry POST create")."""


class MultipleMatchesError(ConflictError):
    """An external id matched several records (HTTP 300 on upsert or GET by external id).

    Attributes:
        urls: The record URLs Salesforce listed.
    """

    @property
    def urls(self) -> tuple[str, ...]:
        """The matching record URLs."""
        return tuple(e.message for e in self.errors if e.code == "MULTIPLE_CHOICES")

    @property
    def ids(self) -> tuple[str, ...]:
        """The matching record ids (last URL segment)."""
        return tuple(url.rstrip("/").rsplit("/", 1)[-1] for url in self.urls)


def _detail(item: Mapping[str, Any]) -> ErrorDetail:
    code = item.get("errorCode") or item.get("statusCode") or item.get("error")
    message = item.get("message") or item.get("error_description") or ""
    fields = item.get("fields") or ()
    detail = None
    if "duplicateResut" in item or "duplicateResult" in item:
        dup = item.get("duplicateResut") or item.get("duplicateResult") or {}
        message = message or str(dup.get("errorMessage") or "")
        code = code or "DUPLICATES_DETECTED"
        detail = str(dup.get("duplicateRule") or "") or None
    return ErrorDetail(
        code=str(code) if code else None,
        message=str(message),
        detail=detail,
        fields=tuple(str(f) for f in fields) if isinstance(fields, (list, tuple)) else (),
    )


def parse_errors(response: httpx.Response) -> tuple[ErrorDetail, ...]:
    """Parse every Salesforce error shape: ``[{message,errorCode,fields}]``, a bare object, OAuth errors,
    collection items (``statusCode``) and the 300 list of record URLs. Never raises."""
    try:
        body = decode_json(response)
    except ValueError:
        text = response.text.strip()
        return (ErrorDetail(code=None, message=text[:500]),) if text else ()
    if response.status_code == 300 and isinstance(body, list):
        return tuple(ErrorDetail(code="MULTIPLE_CHOICES", message=str(url)) for url in body)
    items = body if isinstance(body, list) else [body]
    details: list[ErrorDetail] = []
    for item in items:
        if isinstance(item, Mapping):
            if "errors" in item and isinstance(item["errors"], list):
                details.extend(_detail(e) for e in item["errors"] if isinstance(e, Mapping))
            else:
                details.append(_detail(item))
        elif isinstance(item, str):
            details.append(ErrorDetail(code=None, message=item))
    return tuple(details)


def is_concurrency_limit(details: tuple[ErrorDetail, ...]) -> bool:
    """Tell a concurrent-request refusal (retryable) from an exhausted daily quota."""
    return any(d.code == "REQUEST_LIMIT_EXCEEDED" and "concurrent" in d.message.lower() for d in details)


def classify(response: httpx.Response, details: tuple[ErrorDetail, ...]) -> type[APIError] | None:
    """Classify by meaning: quota/concurrency refusals are rate limits, 300 is a conflict."""
    codes = {d.code for d in details}
    if response.status_code == 300:
        return MultipleMatchesError
    if "REQUEST_LIMIT_EXCEEDED" in codes:
        return RateLimitError
    if "INVALID_SESSION_ID" in codes:
        return AuthenticationError
    if codes & {"DUPLICATE_VALUE", "DUPLICATES_DETECTED"}:
        return ConflictError
    if response.status_code == 404 and "NOT_FOUND" in codes:
        return NotFoundError
    if response.status_code == 400:
        return BadRequestError
    return None


PLATFORM = Platform(
    name="salesforce",
    parse_errors=parse_errors,
    classify=classify,
    request_id_header="x-sfdc-request-id",
    transient_codes=TRANSIENT_CODES,
    is_transient=lambda error: error.status_code == 403 and is_concurrency_limit(error.errors),
    default_rate_limit=RateLimit(max_concurrency=8),
)
"""The executor's description of Salesforce: error parsing and classification, ``x-sfdc-request-id``,
``UNABLE_TO_LOCK_ROW`` / concurrency ``REQUEST_LIMIT_EXCEEDED`` retried, at most 8 requests in flight."""
