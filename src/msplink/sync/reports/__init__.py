"""Reports over synced data (SYNC.md §2): MRR, unified pipeline + service + billing,
reconciliation, unmapped values, AR ageing.

- :func:`mrr`: monthly recurring revenue per customer, per agreement type and month by month;
- :func:`unmapped`: what a ``MappingConfig`` cannot map yet (catalog items, product classes, tax
  codes, billing terms, members and work types of billable time), with auto-match proposals;
- :func:`reconciliation`: every CW invoice against its QBO invoice (totals, tax, balances, missing
  on either side).
"""

from msplink.sync.reports._mrr import CustomerMrr, MonthMrr, MrrReport, TypeMrr, mrr
from msplink.sync.reports._reconciliation import (
    InvoiceDifference,
    Reconciliation,
    reconcile,
    reconciliation,
)
from msplink.sync.reports._unmapped import UnmappedMappings, unmapped, unmapped_from

__all__ = [
    "CustomerMrr",
    "InvoiceDifference",
    "MonthMrr",
    "MrrReport",
    "Reconciliation",
    "TypeMrr",
    "UnmappedMappings",
    "mrr",
    "reconcile",
    "reconciliation",
    "unmapped",
    "unmapped_from",
]
