"""The one exception hierarchy of msplink (DESIGN §3).

```
MsplinkError
├── ConfigurationError             invalid configuration or argument, raised before any I/O
│   └── QueryError                 an invalid conditions / QBO query / SOQL expression
├── TransportError                 the HTTP exchange failed (wraps httpx.TransportError)
│   └── RequestTimeoutError
├── APIError                       the vendor answered with an error
│   ├── BadRequestError 400   ├── AuthenticationError 401 (ReauthorizationRequiredError)
│   ├── PermissionDeniedError 403   ├── NotFoundError 404   ├── ConflictError 409
│   ├── RateLimitError 429    └── ServerError 5xx
├── WebhookVerificationError       a webhook delivery failed signature or origin checks
├── MappingError                   a value could not be mapped (names the field path)
└── SyncError                      a sync run was aborted
```

Messages are one grep-able line built from the path *template*, never from the URL with its query
string (conditions, SOQL and QBO queries may carry personal data) and never from secrets. When the
likely mistake is known, the message ends with `` -- hint: ...`` and ``exc.hint`` holds the hint.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    import httpx

__all__ = [
    "APIError",
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "ConflictError",
    "ErrorDetail",
    "MappingError",
    "MsplinkError",
    "NotFoundError",
    "PermissionDeniedError",
    "QueryError",
    "RateLimitError",
    "ReauthorizationRequiredError",
    "RequestTimeoutError",
    "ServerError",
    "SyncError",
    "TransportError",
    "WebhookVerificationError",
]


@attrs.frozen(kw_only=True)
class ErrorDetail:
    """One error reported by a vendor, parsed from its error body.

    Attributes:
        code: The vendor's error code (CW ``code``, QBO ``Fault.Error[].code``, SF ``errorCode``).
        message: The human-readable message.
        detail: Extra detail text (QBO ``Detail``), if any.
        fields: Field names the error refers to (SF ``fields``, CW ``errors[].field``).
        element: The vendor's element or resource name (QBO ``element``, CW ``resource``), if any.
    """

    code: str | None = None
    message: str = ""
    detail: str | None = None
    fields: tuple[str, ...] = ()
    element: str | None = None

    def __str__(self) -> str:
        head = f"[{self.code}] " if self.code else ""
        return f"{head}{self.message}".strip()


class MsplinkError(Exception):
    """Base class of every exception msplink raises on purpose.

    Attributes:
        hint: What to do about it, when msplink can tell the likely mistake (a wrong company id,
            an expired grant, a host that does not resolve ...); also at the end of the message.
    """

    hint: str | None = None


class ConfigurationError(MsplinkError, ValueError):
    """The configuration or an argument is invalid; raised before any I/O happens."""


class QueryError(ConfigurationError):
    """A query, ``conditions`` expression or SOQL statement is invalid; raised before any I/O."""


class TransportError(MsplinkError):
    """The HTTP exchange failed before a response arrived (connection, TLS, protocol).

    Attributes:
        platform: ``connectwise``, ``quickbooks`` or ``salesforce``.
        method: The HTTP method.
        path: The path template of the call.
    """

    def __init__(self, message: str, *, platform: str = "", method: str = "", path: str = "") -> None:
        super().__init__(message)
        self.platform = platform
        self.method = method
        self.path = path


class RequestTimeoutError(TransportError):
    """The request timed out (connect, read, write or pool timeout)."""


class APIError(MsplinkError):
    """The vendor answered with an error status (or an error body inside a success status).

    Attributes:
        platform: ``connectwise``, ``quickbooks`` or ``salesforce``.
        status_code: The real HTTP status on the wire (kept even when classification differs).
        method: The HTTP method.
        path: The path template (``/company/companies/{id}``), never a URL with a query string.
        errors: Every error detail the vendor sent, parsed.
        request_id: The vendor's request id header, when sent.
        response: The httpx response, when there was one (excluded from the message).
    """

    def __init__(
        self,
        message: str | None = None,
        *,
        platform: str,
        status_code: int,
        method: str = "",
        path: str = "",
        errors: Sequence[ErrorDetail] = (),
        request_id: str | None = None,
        response: httpx.Response | None = None,
    ) -> None:
        self.platform = platform
        self.status_code = status_code
        self.method = method
        self.path = path
        self.errors: tuple[ErrorDetail, ...] = tuple(errors)
        self.request_id = request_id
        self.response = response
        super().__init__(message if message is not None else self._default_message())

    @property
    def codes(self) -> tuple[str, ...]:
        """The vendor error codes carried, in order (empty codes left out)."""
        return tuple(e.code for e in self.errors if e.code)

    def _default_message(self) -> str:
        where = f"{self.platform} {self.method} {self.path}".strip()
        what = "; ".join(str(e) for e in self.errors) or "no error detail"
        rid = f" (request_id={self.request_id})" if self.request_id else ""
        return f"{where} -> {self.status_code} {what}{rid}"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(platform={self.platform!r}, status_code={self.status_code}, "
            f"method={self.method!r}, path={self.path!r}, errors={self.errors!r}, "
            f"request_id={self.request_id!r})"
        )


class BadRequestError(APIError):
    """The request was invalid (400, or a validation fault)."""


class AuthenticationError(APIError):
    """Credentials were missing, wrong or expired (401, or CW's 404-for-bad-credentials)."""


class ReauthorizationRequiredError(AuthenticationError):
    """The refresh token is no longer valid (OAuth ``invalid_grant``): a user must authorize again."""


class PermissionDeniedError(APIError):
    """The credentials are valid but not allowed to do this (403)."""


class NotFoundError(APIError):
    """The record or endpoint does not exist (404)."""


class ConflictError(APIError):
    """The write conflicts with the current state (409, stale QBO SyncToken, duplicate objects)."""


class RateLimitError(APIError):
    """The vendor throttled the request (429, QBO throttle faults, SF REQUEST_LIMIT_EXCEEDED).

    Attributes:
        retry_after: Seconds the vendor asked to wait, when it said so.
    """

    def __init__(
        self, message: str | None = None, *, retry_after: float | None = None, **kwargs: object
    ) -> None:
        self.retry_after = retry_after
        super().__init__(message, **kwargs)  # type: ignore[arg-type]


class ServerError(APIError):
    """The vendor failed (5xx)."""


class WebhookVerificationError(MsplinkError):
    """A webhook or callback delivery failed verification (bad signature, untrusted key URL, bad body).

    Deliveries that fail verification must be rejected unprocessed.
    """


class MappingError(MsplinkError):
    """A value could not be mapped between a vendor model and a canonical model.

    Attributes:
        path: The field path that failed (``Invoice.lines[2].tax_code``).
        reason: Why it failed.
        value: The offending value, when there is one.
    """

    def __init__(self, path: str, reason: str, *, value: object = None) -> None:
        self.path = path
        self.reason = reason
        self.value = value
        suffix = f" (value={value!r})" if value is not None else ""
        super().__init__(f"{path}: {reason}{suffix}")


class SyncError(MsplinkError):
    """A sync run was aborted (authentication, configuration, exhausted limits, guards).

    Attributes:
        report: The partial report of what the run had done before it stopped, if any.
    """

    def __init__(self, message: str, *, report: object = None) -> None:
        super().__init__(message)
        self.report = report
