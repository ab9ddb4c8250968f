"""ConnectWise error bodies and their classification (DESIGN §3, REFERENCE §3.2)."""

from __future__ import annotations

import re
from typing import Protocol

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
    PermissionDeniedError,
    RateLimitError,
    TransportError,
)


class Tenant(Protocol):
    """What a hint needs to know about the tenant (:class:`msplink.connectwise._tenant.Tenant`)."""

    company_id: str
    host: str
    company_unknown: bool


__all__ = ["PLATFORM", "hint_for", "parse_error_body"]

_TAGS = re.compile(r"<[^>]+>")


def _text_detail(text: str) -> ErrorDetail:
    title = re.search(r"<title>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
    message = (title.group(1) if title else _TAGS.sub(" ", text)).strip()
    return ErrorDetail(code=None, message=" ".join(message.split())[:200])


def parse_error_body(response: httpx.Response) -> tuple[ErrorDetail, ...]:
    """Parse a CW error body: ``{code, message, errors[]}``, the 429 ``{error, message}`` shape, or HTML.

    Never raises: an unreadable body gives one detail with its first words.
    """
    try:
        body = decode_json(response)
    except ValueError:
        text = response.content.decode("utf-8", errors="replace")
        return (_text_detail(text),) if text.strip() else ()
    if not isinstance(body, dict):
        return ()
    details: list[ErrorDetail] = []
    code = body.get("code")
    if code is None and isinstance(body.get("error"), str):
        code = body["error"]
    message = body.get("message")
    if code is not None or message is not None:
        details.append(ErrorDetail(code=str(code) if code is not None else None, message=str(message or "")))
    nested = body.get("errors")
    if isinstance(nested, list):
        for item in nested:
            if not isinstance(item, dict):
                continue
            field = item.get("field")
            details.append(
                ErrorDetail(
                    code=str(item["code"]) if item.get("code") is not None else None,
                    message=str(item.get("message") or ""),
                    detail=str(item["details"]) if item.get("details") is not None else None,
                    fields=(str(field),) if field else (),
                    element=str(item["resource"]) if item.get("resource") is not None else None,
                )
            )
    return tuple(details)


def _classify(response: httpx.Response, details: tuple[ErrorDetail, ...]) -> type[APIError] | None:
    status = response.status_code
    codes = {d.code for d in details if d.code}
    text = " ".join(d.message for d in details).lower()
    if status == 429:
        return RateLimitError
    if "ObjectExists" in codes:
        return ConflictError
    if status == 404:
        if "UserNotAuthenticated" in codes or "notauthenticated" in text.replace(" ", ""):
            return AuthenticationError
        if not details or not any(d.code for d in details):
            # CW cloud answers bad credentials under v4_6_release with a bare 404 (REFERENCE §1.2).
            return AuthenticationError
        return NotFoundError
    if status == 401 or "UserNotAuthenticated" in codes:
        return AuthenticationError
    if status == 400 and "ApiFindCondition" in codes:
        return BadRequestError
    return None


PLATFORM = Platform(
    name="connectwise",
    parse_errors=parse_error_body,
    classify=_classify,
    request_id_header="x-cw-request-id",
    default_rate_limit=RateLimit(requests=1000, per=60.0),
)
"""The ConnectWise platform description for the shared executors (1000 requests/minute by default)."""


_COMPANY_INFO = "/login/companyinfo/{companyId}"
_GUIDE = "docs/connectwise-credentials.md"


def hint_for(exc: MsplinkError, tenant: Tenant) -> str | None:
    """The likely mistake behind a ConnectWise error, for its message (``exc.hint``).

    * ``/login/companyinfo/{companyId}`` answers 404, or later calls fail authentication after it did:
      the company id is wrong (it is the company name typed on the login screen).
    * 401 naming the ``clientId``: the integration's clientId is missing or not registered.
    * 401, or cloud's bare 404 behind ``v4_6_release``: the keys are wrong, of another company, or
      their API member is inactive.
    * 403: the API member's security role lacks the module.
    * a host that does not resolve: the ``site`` is wrong.
    """
    company, host = tenant.company_id, tenant.host
    if isinstance(exc, TransportError):
        if is_name_resolution_failure(exc.__cause__ or exc, str(exc)):
            return (
                f"the ConnectWise host {host!r} does not resolve: check site= (a region such as 'na', the "
                "host you log in to, or your on-premise server's full name)"
            )
        return None
    if not isinstance(exc, APIError):
        return None
    if exc.path == _COMPANY_INFO and exc.status_code == 404:
        return (
            f"ConnectWise at {host} does not know the company id {company!r}: use the company name you "
            f"type on the ConnectWise login screen (see {_GUIDE})"
        )
    if isinstance(exc, AuthenticationError):
        text = " ".join(f"{d.code} {d.message}" for d in exc.errors).lower()
        if tenant.company_unknown:
            return (
                f"GET /login/companyinfo/{company} answered 404 at {host}: the company id {company!r} is "
                "probably wrong (it is the company name typed on the login screen); if it is right, check the "
                "keys and the clientId"
            )
        if "clientid" in text:
            return (
                "the clientId header was refused: register your integration's clientId with "
                f"ConnectWise and pass it as client_id= (see {_GUIDE})"
            )
        return (
            f"the public/private key pair was refused for company {company!r}: check both keys of the API "
            "member (System > Members > API Members > API Keys), that the member is active, and the "
            f"clientId (see {_GUIDE})"
        )
    if isinstance(exc, PermissionDeniedError):
        return (
            f"the API member's security role does not allow {exc.method} {exc.path}: grant the module in "
            f"System > Security Roles (the permissions each recipe needs are in {_GUIDE})"
        )
    return None
