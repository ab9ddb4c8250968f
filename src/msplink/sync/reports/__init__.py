"""Reports over synced data (SYNC.md §2): MRR, unified pipeline + service + billing,
reconciliation, unmapped values, AR ageing.

- :func:`mrr`: monthly recurring revenue per customer, per agreement type and month by month;
  :func:`plot_mrr` draws its month-by-month line (the ``plot`` extra);
- :func:`unified`: one row per customer (joined through the identity map) with pipeline, service and
  billing figures from the three systems;
- :func:`ar_aging`: open receivables by age (current, 1-30, 31-60, 61-90, 90+), with ``plot()``;
- :func:`unmapped`: what a ``MappingConfig`` cannot map yet (catalog items, product classes, tax
  codes, billing terms, members and work types of billable time), with auto-match proposals;
- :func:`reconciliation`: every CW invoice against its QBO invoice (totals, tax, balances, missing
  on either side).
"""

from msplink.sync.reports._ar_aging import BUCKETS, AgingRow, ArAging, ar_aging
from msplink.sync.reports._mrr import CustomerMrr, MonthMrr, MrrReport, TypeMrr, mrr
from msplink.sync.reports._plot import plot_mrr
from msplink.sync.reports._reconciliation import (
    InvoiceDifference,
    Reconciliation,
    reconcile,
    reconciliation,
)
from msplink.sync.reports._unified import (
    HIGH_PRIORITIES,
    CustomerRow,
    UnifiedReport,
    read_active_agreements,
    unified,
)
from msplink.sync.reports._unmapped import UnmappedMappings, unmapped, unmapped_from

__all__ = [
    "BUCKETS",
    "HIGH_PRIORITIES",
    "AgingRow",
    "ArAging",
    "CustomerMrr",
    "CustomerRow",
    "InvoiceDifference",
    "MonthMrr",
    "MrrReport",
    "Reconciliation",
    "TypeMrr",
    "UnifiedReport",
    "UnmappedMappings",
    "ar_aging",
    "mrr",
    "plot_mrr",
    "read_active_agreements",
    "reconcile",
    "reconciliation",
    "unified",
    "unmapped",
    "unmapped_from",
]
