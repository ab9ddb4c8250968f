"""msplink: keep ConnectWise Manage, QuickBooks Online and Salesforce in step.

What is here today: typed sync and async clients for the three platforms
(``msplink.connectwise``, ``msplink.quickbooks``, ``msplink.salesforce``), vendor-neutral canonical
MSP models (``msplink.models``), pure mappers between the two with one mapper table per vendor
(``msplink.mappers``), and in-process sandboxes of the three APIs (``msplink.sandbox``;
``python -m msplink demo`` runs end to end against them), and a sync engine built on the mapper
tables (``msplink.sync``: state store, matching, plan/apply).

For a person at a terminal or in Jupyter: ``msplink.check(client)`` (or ``python -m msplink
check``) tries credentials and says what is wrong; ``to_list()`` returns a :class:`RecordList`
(an HTML table in Jupyter) and ``to_pandas()`` builds DataFrames with proper dtypes.
"""

from msplink import errors
from msplink._check import CheckResult, check
from msplink._core import UNSET, AsyncPaginator, Page, Paginator, RateLimit, RetryPolicy, Unset
from msplink._core._frames import RecordList, to_pandas
from msplink._version import __version__

__all__ = [
    "UNSET",
    "AsyncPaginator",
    "CheckResult",
    "Page",
    "Paginator",
    "RateLimit",
    "RecordList",
    "RetryPolicy",
    "Unset",
    "__version__",
    "check",
    "errors",
    "to_pandas",
]
