"""ConnectWise error bodies and their classification (DESIGN §3, REFERENCE §3.2)."""

from __future__ import annotations

import re

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

__all__ = ["PLATFORM", "parse_error_body"]

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
