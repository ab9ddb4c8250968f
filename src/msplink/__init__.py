"""msplink: keep ConnectWise Manage, QuickBooks Online and Salesforce in step.

Typed sync and async clients for the three platforms, canonical MSP models, mappers, a sync engine
and in-process sandboxes of the three APIs.
"""

from msplink import errors
from msplink._core import UNSET, AsyncPaginator, Page, Paginator, RateLimit, RetryPolicy, Unset
from msplink._version import __version__

__all__ = [
    "UNSET",
    "AsyncPaginator",
    "Page",
    "Paginator",
    "RateLimit",
    "RetryPolicy",
    "Unset",
    "__version__",
    "errors",
]
