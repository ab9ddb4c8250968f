"""Platform adapters: the only part of :mod:`msplink.sync` that talks to the vendor clients.

Each adapter wraps one client and one vendor object (with its ``msplink.mappers`` row) and is both a
:class:`~msplink.sync.Source` (change reader) and a :class:`~msplink.sync.Target` (look-up + writer);
the ``Async*`` twins do the same over the async clients, running the same plans.
"""

from msplink.sync.adapters._pages import (
    AsyncSharedPages,
    SharedPages,
    SourceWrapper,
    in_turns,
    shared_pages,
)
from msplink.sync.adapters._sf_reads import SharedReads
from msplink.sync.adapters.connectwise import AsyncConnectWiseAdapter, ConnectWiseAdapter
from msplink.sync.adapters.quickbooks import AsyncQuickBooksAdapter, QuickBooksAdapter
from msplink.sync.adapters.salesforce import AsyncSalesforceAdapter, SalesforceAdapter

__all__ = [
    "AsyncConnectWiseAdapter",
    "AsyncQuickBooksAdapter",
    "AsyncSalesforceAdapter",
    "AsyncSharedPages",
    "ConnectWiseAdapter",
    "QuickBooksAdapter",
    "SalesforceAdapter",
    "SharedPages",
    "SharedReads",
    "SourceWrapper",
    "in_turns",
    "shared_pages",
]
