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
from msplink._core._hints import is_name_resolution_failure
from msplink.errors import (
    APIError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    ErrorDetail,
    MsplinkError,
    NotFoundError,
    RateLimitError,
    ReauthorizationRequiredError,
    TransportError,
)

__all__ = [
    "PLATFORM",
    "TRANSIENT_CODES",
    "MultipleMatchesError",
    "classify",
    "hint_for",
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


_GUIDE = "docs/salesforce-credentials.md"
_TOKEN_PATH = "/services/oauth2/token"


def _token_hint(exc: APIError, *, flow: str, login_url: str | None) -> str | None:
    codes = set(exc.codes)
    text = " ".join(d.message for d in exc.errors).lower()
    where = login_url or "the login URL"
    if "invalid_client_id" in codes:
        return (
            f"{where} does not know this consumer key: copy the Consumer Key of the connected app (or external "
            "client app) of this org, and use https://test.salesforce.com (or the My Domain) for a sandbox org"
        )
    if "invalid_client" in codes:
        return "the consumer secret does not match the consumer key: copy both again from the app's settings"
    if "hasn't approved" in text or "not approved" in text:
        return (
            "the user is not pre-authorized for the app: set Permitted Users to 'Admin approved users are "
            "pre-authorized' and add the user's profile or a permission set to the app; also check the "
            f"username and that {where} is the user's environment (test.salesforce.com for a sandbox org)"
        )
    if "audience" in text:
        return (
            "the JWT audience must be https://login.salesforce.com (production, Developer Edition) or "
            "https://test.salesforce.com (sandbox org), never the My Domain: pass audience= to JWTBearerAuth"
        )
    if "expired authorization code" in text:
        return "the assertion's exp was refused: check this machine's clock (JWT bearer allows 3 minutes)"
    if "no client credentials user" in text:
        return "the app has no run-as user: enable the client credentials flow on it and choose a Run As user"
    if "not supported on this domain" in text or ("unsupported_grant_type" in codes and flow == "client"):
        return (
            "the client credentials flow works only on the org's My Domain: pass "
            "login_url='https://<MyDomain>.my.salesforce.com'"
        )
    if isinstance(exc, ReauthorizationRequiredError) or "invalid_grant" in codes:
        return f"the grant was refused: authorize the app again (see {_GUIDE})"
    if exc.status_code in {404, 405} or not exc.codes:
        return f"{where} answered {exc.status_code} to the token request: is it a Salesforce login host?"
    return None


def hint_for(exc: MsplinkError, *, flow: str, login_url: str | None) -> str | None:
    """The likely mistake behind a Salesforce error, for its message (``exc.hint``).

    Args:
        exc: The error.
        flow: ``jwt``, ``client``, ``refresh`` or ``token`` (the auth strategy).
        login_url: The token host of the strategy, when it has one.
    """
    if isinstance(exc, TransportError):
        if is_name_resolution_failure(exc.__cause__ or exc, str(exc)):
            return (
                "the host does not resolve: check login_url= (https://login.salesforce.com, "
                "https://test.salesforce.com or https://<MyDomain>.my.salesforce.com)"
            )
        return None
    if not isinstance(exc, APIError):
        return None
    if exc.path == _TOKEN_PATH:
        return _token_hint(exc, flow=flow, login_url=login_url)
    if isinstance(exc, AuthenticationError) and flow == "token":
        return "the session id was refused (expired or revoked): use an auth strategy that can mint tokens"
    return None
