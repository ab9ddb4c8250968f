"""QuickBooks Online error bodies and their classification by meaning.

QBO answers errors in four shapes: ``{"Fault": {"Error": [...]}}`` (most), the lower-case
``{"fault": {"error": [...]}}`` of a 401, an XML ``<IntuitResponse><Fault>`` (throttling), and the
OAuth ``{"error": "invalid_grant"}`` of the token endpoint. A ``Fault`` may also arrive inside HTTP 200.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any

import httpx

from msplink._core import Platform, RateLimit, loads_json
from msplink._core._hints import is_name_resolution_failure
from msplink.errors import (
    APIError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    ErrorDetail,
    MsplinkError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ReauthorizationRequiredError,
    ServerError,
    TransportError,
)

__all__ = [
    "BATCH_RATE_LIMIT",
    "MALFORMED",
    "PLATFORM",
    "AmountMismatchError",
    "BadShape",
    "DuplicateDocNumberError",
    "DuplicateNameError",
    "StaleObjectError",
    "classify",
    "classify_details",
    "details_from_body",
    "fault_details",
    "hint_for",
    "malformed",
    "parse_errors",
]


class StaleObjectError(ConflictError):
    """The ``SyncToken`` sent is stale (QBO fault 5010): re-read, re-apply the change, retry."""


class DuplicateNameError(ConflictError):
    """The name is already used (QBO fault 6240): DisplayName is unique across Customer, Vendor, Employee."""


class DuplicateDocNumberError(ConflictError):
    """The document number is already used (QBO fault 6140)."""


class AmountMismatchError(BadRequestError):
    """A line ``Amount`` is not ``round(Qty x UnitPrice, 2)`` (QBO fault 6070)."""


class BadShape(ValueError):
    """A part of an answer has the wrong shape (raised by parsers, turned into a typed ``APIError``
    coded ``malformed_response``); the message names the part, never a value."""


_CODE_CLASSES: Mapping[str, type[APIError]] = {
    "5010": StaleObjectError,
    "6240": DuplicateNameError,
    "6140": DuplicateDocNumberError,
    "6070": AmountMismatchError,
    "3001": RateLimitError,
    "610": NotFoundError,
    "3200": AuthenticationError,
    "100": AuthenticationError,
    "3100": PermissionDeniedError,
    "120": PermissionDeniedError,
    "10000": ServerError,
    "invalid_grant": ReauthorizationRequiredError,
    "invalid_client": AuthenticationError,
}


def _norm_code(code: object) -> str | None:
    if code is None or code == "":
        return None
    text = str(code).strip()
    if text.isdigit():
        return str(int(text))
    return text


def _text(value: object) -> str | None:
    if value is None:
        return None
    return str(value)


def fault_details(fault: Mapping[str, Any]) -> tuple[ErrorDetail, ...]:
    """Parse a ``Fault`` (or lower-case ``fault``) object into error details, keeping every error."""
    errors = fault.get("Error", fault.get("error", []))
    if isinstance(errors, Mapping):
        errors = [errors]
    details: list[ErrorDetail] = []
    for item in errors if isinstance(errors, list) else []:
        if not isinstance(item, Mapping):
            continue
        element = _text(item.get("element"))
        details.append(
            ErrorDetail(
                code=_norm_code(item.get("code")),
                message=str(item.get("Message", item.get("message", "")) or ""),
                detail=_text(item.get("Detail", item.get("detail"))),
                element=element or None,
                fields=(element,) if element else (),
            )
        )
    return tuple(details)


def _xml_details(text: str) -> tuple[ErrorDetail, ...]:
    try:
        root = ET.fromstring(text)  # noqa: S314 - small vendor error body
    except ET.ParseError:
        return ()
    details: list[ErrorDetail] = []
    for element in root.iter():
        if element.tag.rsplit("}", 1)[-1] != "Error":
            continue
        fields = {child.tag.rsplit("}", 1)[-1]: (child.text or "") for child in element}
        details.append(
            ErrorDetail(
                code=_norm_code(element.attrib.get("code")),
                message=fields.get("Message", ""),
                detail=fields.get("Detail") or None,
                element=element.attrib.get("element") or None,
            )
        )
    return tuple(details)


def details_from_body(body: object) -> tuple[ErrorDetail, ...]:
    """The error details of a decoded JSON body (any of the QBO shapes); ``()`` when none."""
    if not isinstance(body, Mapping):
        return ()
    for key in ("Fault", "fault"):
        fault = body.get(key)
        if isinstance(fault, Mapping):
            return fault_details(fault)
    if isinstance(body.get("error"), str):
        return (
            ErrorDetail(code=str(body["error"]), message=str(body.get("error_description") or body["error"])),
        )
    return ()


def parse_errors(response: httpx.Response) -> tuple[ErrorDetail, ...]:
    """Parse any QBO error body (JSON ``Fault``, lower-case ``fault``, XML, OAuth); never raises."""
    try:
        text = response.content.decode("utf-8", errors="replace").strip()
    except Exception:
        return ()
    if not text:
        return ()
    if text.startswith("<"):
        return _xml_details(text)
    try:
        body = loads_json(text)
    except ValueError:
        return (ErrorDetail(code=None, message=text[:200]),)
    return details_from_body(body)


def classify_details(details: tuple[ErrorDetail, ...]) -> type[APIError] | None:
    """Pick the error class from QBO error codes (the first known code wins)."""
    for detail in details:
        if detail.code and detail.code in _CODE_CLASSES:
            return _CODE_CLASSES[detail.code]
    return None


def classify(response: httpx.Response, details: tuple[ErrorDetail, ...]) -> type[APIError] | None:
    """Classify by meaning: stale SyncToken is a conflict even though the wire says 400."""
    return classify_details(details)


PLATFORM = Platform(
    name="quickbooks",
    parse_errors=parse_errors,
    classify=classify,
    request_id_header="intuit_tid",
    transient_codes=frozenset({"3001"}),
    default_rate_limit=RateLimit(requests=450, per=60.0, max_concurrency=10),
)
"""The QBO platform description: ~450 requests/minute and 10 concurrent per realm (REFERENCE §11)."""

BATCH_RATE_LIMIT = RateLimit(requests=15, per=60.0, max_concurrency=10)
"""The client-side budget of ``/batch``: 15 full batches (450 items) a minute, 10 in flight.

``/batch`` allows 40 requests a minute per realm and app (Intuit blog, 2023-07-19), but every item is
metered like a normal call against the 500 requests a minute of the realm ("Each BatchItemRequest is
metered like a normal call (no cost discount)", IntuitDeveloper/SampleApp-Batch-Java,
docs/batch-tutorial.md). Full 30-item batches therefore fit 16 times a minute; 15 keeps the same
margin as the 450/min default of single calls.
"""

MALFORMED = "malformed_response"
"""The error code of an answer msplink cannot read (a batch item whose entity is a string ...)."""


def malformed(path: str, message: str, *, method: str = "POST", status_code: int = 200) -> APIError:
    """The typed error of an unreadable answer (or part of one): an :class:`APIError` coded
    ``malformed_response``, never an ``AttributeError`` or a silent success.

    ``message`` describes the shape that was wrong, never the values (they may be personal data).
    """
    return APIError(
        platform="quickbooks",
        status_code=status_code,
        method=method,
        path=path,
        errors=(ErrorDetail(code=MALFORMED, message=message),),
    )


_GUIDE = "docs/quickbooks-credentials.md"
_CONNECT = "python examples/quickbooks_oauth_connect.py"


def hint_for(
    exc: MsplinkError,
    *,
    realm_id: str,
    sandbox: bool,
    host: str,
    token_realm: str | None = None,
    refreshing: bool = True,
) -> str | None:
    """The likely mistake behind a QuickBooks error, for its message (``exc.hint``).

    Args:
        exc: The error.
        realm_id: The realm the client calls.
        sandbox: Whether the client calls Intuit's sandbox-company host.
        host: The API host.
        token_realm: The realm the stored grant was issued for, when known.
        refreshing: Whether the auth can refresh (``False`` for a bare access token).
    """
    if isinstance(exc, TransportError):
        if is_name_resolution_failure(exc.__cause__ or exc, str(exc)):
            return f"the host {host!r} does not resolve: check base_url= (or leave it out)"
        return None
    if not isinstance(exc, APIError):
        return None
    codes = set(exc.codes)
    if isinstance(exc, ReauthorizationRequiredError):
        return (
            "the QuickBooks grant is gone (expired after 100 days unused, revoked, disconnected, or its "
            f"refresh token already spent elsewhere): connect the app again ({_CONNECT}; see {_GUIDE})"
        )
    if "invalid_client" in codes:
        return (
            "Intuit refused the client id/secret: copy both from the app's Keys and credentials page "
            "(Development keys work only with sandbox companies, Production keys only with real ones)"
        )
    other = "production" if sandbox else "sandbox"
    if "3100" in codes or (isinstance(exc, PermissionDeniedError) and exc.status_code == 403):
        if token_realm and token_realm != realm_id:
            return (
                f"the token was issued for realm {token_realm}, not {realm_id}: use realm_id="
                f"{token_realm!r} or connect the app to company {realm_id}"
            )
        return (
            f"the token is not authorized for realm {realm_id}: take the realmId the connect flow returned "
            f"({_CONNECT}); if the company is {'a real' if sandbox else 'an Intuit sandbox'} company, use "
            f"environment=QuickBooksEnvironment.{other.upper()} (the default is production)"
        )
    if isinstance(exc, AuthenticationError) and exc.status_code == 401:
        if not refreshing:
            return (
                "the access token was refused (they last one hour): pass auth=QuickBooksOAuth2(...) with a "
                "token store so msplink refreshes it"
            )
        return (
            f"the access token was refused right after a refresh: check the environment (the company may be "
            f"{'a real' if sandbox else 'an Intuit sandbox'} company: "
            f"environment=QuickBooksEnvironment.{other.upper()})"
        )
    return None
