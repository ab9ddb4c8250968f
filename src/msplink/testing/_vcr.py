"""vcrpy configuration that scrubs secrets at record time (STYLE R34)."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = [
    "FAKE_REALM_ID",
    "SCRUBBED",
    "scrub_request",
    "scrub_response",
    "vcr_config",
]

SCRUBBED = "REDACTED"
FAKE_REALM_ID = "9130000000000000"

_FILTER_HEADERS = [
    "authorization",
    "clientid",
    "cookie",
    "set-cookie",
    "proxy-authorization",
    "intuit-signature",
]
_SECRET_JSON_KEYS = {
    "access_token",
    "refresh_token",
    "id_token",
    "client_secret",
    "assertion",
    "password",
    "private_key",
    "signature",
}
"""Secret keys of JSON bodies. ``code`` is not one: vendors use it for error codes."""
_SECRET_FORM_KEYS = _SECRET_JSON_KEYS | {"code"}
"""Secret keys of form bodies (the OAuth authorization ``code`` travels in a form)."""
_SECRET_QUERY_KEYS = {"code", "client_secret", "refresh_token", "access_token", "assertion", "state"}
_REALM_IN_PATH = re.compile(r"(/v3/company/)(\d+)")
_REALM_ANYWHERE = re.compile(r"(\"?realm[_]?id\"?\s*[:=]\s*\"?)(\d{6,})", re.IGNORECASE)


def _scrub_url(url: str) -> str:
    parts = urlsplit(url)
    path = _REALM_IN_PATH.sub(lambda m: m.group(1) + FAKE_REALM_ID, parts.path)
    query = urlencode(
        [
            (k, SCRUBBED if k.lower() in _SECRET_QUERY_KEYS else v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
        ]
    )
    query = _REALM_ANYWHERE.sub(lambda m: m.group(1) + FAKE_REALM_ID, query)
    return urlunsplit((parts.scheme, parts.netloc, path, query, parts.fragment))


def _scrub_json(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: (SCRUBBED if str(k).lower() in _SECRET_JSON_KEYS else _scrub_json(v)) for k, v in value.items()
        }
    if isinstance(value, list):
        return [_scrub_json(v) for v in value]
    return value


def _scrub_body(body: bytes | str | None) -> bytes | str | None:
    if not body:
        return body
    text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
    try:
        scrubbed = json.dumps(_scrub_json(json.loads(text)))
    except ValueError:
        if ("=" in text and "&" in text) or text.startswith(("grant_type=", "code=", "refresh_token=")):
            scrubbed = urlencode(
                [
                    (k, SCRUBBED if k.lower() in _SECRET_FORM_KEYS else v)
                    for k, v in parse_qsl(text, keep_blank_values=True)
                ]
            )
        else:
            scrubbed = text
    scrubbed = _REALM_IN_PATH.sub(lambda m: m.group(1) + FAKE_REALM_ID, scrubbed)
    scrubbed = _REALM_ANYWHERE.sub(lambda m: m.group(1) + FAKE_REALM_ID, scrubbed)
    return scrubbed.encode("utf-8") if isinstance(body, bytes) else scrubbed


def scrub_request(request: Any) -> Any:
    """vcrpy ``before_record_request``: scrub the URL (realm id, secret query values) and body."""
    request.uri = _scrub_url(request.uri)
    request.body = _scrub_body(request.body)
    for name in list(request.headers):
        if name.lower() in _FILTER_HEADERS:
            request.headers[name] = SCRUBBED
    return request


def scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    """vcrpy ``before_record_response``: scrub token values and realm ids from the body and cookies."""
    headers = response.get("headers", {})
    for name in list(headers):
        if name.lower() in _FILTER_HEADERS:
            headers[name] = [SCRUBBED]
    body = response.get("body", {})
    if isinstance(body, dict) and "string" in body:
        body["string"] = _scrub_body(body["string"])
    return response


def vcr_config() -> dict[str, Any]:
    """The vcrpy / pytest-recording configuration msplink's tests use (and users can reuse).

    Returns a dict for the ``vcr_config`` fixture: headers with credentials filtered, request and
    response bodies scrubbed at record time, bodies matched (QBO queries are POST bodies). It sets no
    ``record_mode``, so ``--record-mode`` (default ``none``: replay only) stays in charge.
    """
    return {
        "filter_headers": [(name, SCRUBBED) for name in _FILTER_HEADERS],
        "before_record_request": scrub_request,
        "before_record_response": scrub_response,
        "decode_compressed_response": True,
        "match_on": ["method", "scheme", "host", "path", "query", "body"],
    }
