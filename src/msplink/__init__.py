"""msplink: keep ConnectWise Manage, QuickBooks Online and Salesforce in step.

What is here today: typed sync and async clients for the three platforms
(``msplink.connectwise``, ``msplink.quickbooks``, ``msplink.salesforce``), vendor-neutral canonical
MSP models (``msplink.models``), pure mappers between the two with one mapper table per vendor
(``msplink.mappers``), and in-process sandboxes of the three APIs (``msplink.sandbox``;
``python -m msplink demo`` runs end to end against them). A sync engine built on the mapper tables
(``msplink.sync``: state store, matching, plan/apply) is coming; it is not in this release.
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
