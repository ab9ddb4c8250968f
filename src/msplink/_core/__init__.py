"""The shared core: ``Call[T]``, executors, retries, rate limits, paginators, converters, ``UNSET``.

It also holds the token-store family and the single-flight bearer auth both OAuth vendors use
(``TokenStore``, ``MemoryTokenStore``, ``FileTokenStore``, ``FlightLock``, ``TokenAuth``).

This is internal API for the vendor packages; users reach ``RetryPolicy``, ``RateLimit``,
``Paginator`` and ``UNSET`` through :mod:`msplink`.
"""

from msplink._core._auth import (
    Acquire,
    AuthFlow,
    Release,
    TokenAuth,
    adrive,
    arun_flow,
    drive,
    malformed_token_response,
    oauth_details,
    run_flow,
    token_endpoint_error,
    token_transport_error,
    trusted_origin,
)
from msplink._core._call import Call, ParamValue, path
from msplink._core._converter import (
    decode_json,
    dumps,
    loads_json,
    make_converter,
    parse_date,
    parse_datetime,
    parse_decimal,
    to_jsonable,
)
from msplink._core._executor import (
    DEFAULT_TIMEOUT,
    AsyncExecutor,
    CallCounter,
    Platform,
    SyncExecutor,
    build_api_error,
    error_class_for_status,
    handle_response,
    user_agent,
)
from msplink._core._files import write_private_file
from msplink._core._pagination import AsyncPaginator, NextCall, Page, Paginator
from msplink._core._plan import Gather, Plan, Sleep, Step, arun_plan, run_plan
from msplink._core._ratelimit import AsyncRateLimiter, RateLimit, RateLimiter
from msplink._core._redact import SENSITIVE_HEADERS, SENSITIVE_KEYS, Secret, redact_headers, redact_text
from msplink._core._retry import RetryPolicy, parse_retry_after
from msplink._core._sentinel import UNSET, Maybe, Unset, is_set
from msplink._core._tokens import (
    FileLock,
    FileTokenStore,
    FlightLock,
    MemoryTokenStore,
    TokenLock,
    TokenStore,
    optional_datetime,
    optional_text,
    require_text,
)
from msplink._core._twins import twin_doc

__all__ = [
    "DEFAULT_TIMEOUT",
    "SENSITIVE_HEADERS",
    "SENSITIVE_KEYS",
    "UNSET",
    "Acquire",
    "AsyncExecutor",
    "AsyncPaginator",
    "AsyncRateLimiter",
    "AuthFlow",
    "Call",
    "CallCounter",
    "FileLock",
    "FileTokenStore",
    "FlightLock",
    "Gather",
    "Maybe",
    "MemoryTokenStore",
    "NextCall",
    "Page",
    "Paginator",
    "ParamValue",
    "Plan",
    "Platform",
    "RateLimit",
    "RateLimiter",
    "Release",
    "RetryPolicy",
    "Secret",
    "Sleep",
    "Step",
    "SyncExecutor",
    "TokenAuth",
    "TokenLock",
    "TokenStore",
    "Unset",
    "adrive",
    "arun_flow",
    "arun_plan",
    "build_api_error",
    "decode_json",
    "drive",
    "dumps",
    "error_class_for_status",
    "handle_response",
    "is_set",
    "loads_json",
    "make_converter",
    "malformed_token_response",
    "oauth_details",
    "optional_datetime",
    "optional_text",
    "parse_date",
    "parse_datetime",
    "parse_decimal",
    "parse_retry_after",
    "path",
    "redact_headers",
    "redact_text",
    "require_text",
    "run_flow",
    "run_plan",
    "to_jsonable",
    "twin_doc",
    "token_endpoint_error",
    "token_transport_error",
    "trusted_origin",
    "user_agent",
    "write_private_file",
]
