"""The shared core: ``Call[T]``, executors, retries, rate limits, paginators, converters, ``UNSET``.

This is internal API for the vendor packages; users reach ``RetryPolicy``, ``RateLimit``,
``Paginator`` and ``UNSET`` through :mod:`msplink`.
"""

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

__all__ = [
    "DEFAULT_TIMEOUT",
    "SENSITIVE_HEADERS",
    "SENSITIVE_KEYS",
    "UNSET",
    "AsyncExecutor",
    "AsyncPaginator",
    "AsyncRateLimiter",
    "Call",
    "CallCounter",
    "Gather",
    "Maybe",
    "NextCall",
    "Page",
    "Paginator",
    "Plan",
    "ParamValue",
    "Platform",
    "RateLimit",
    "RateLimiter",
    "RetryPolicy",
    "Secret",
    "Sleep",
    "Step",
    "SyncExecutor",
    "Unset",
    "arun_plan",
    "build_api_error",
    "decode_json",
    "dumps",
    "error_class_for_status",
    "handle_response",
    "is_set",
    "loads_json",
    "make_converter",
    "parse_date",
    "parse_datetime",
    "parse_decimal",
    "parse_retry_after",
    "path",
    "redact_headers",
    "redact_text",
    "run_plan",
    "to_jsonable",
    "user_agent",
    "write_private_file",
]
