"""Reports over synced data (SYNC.md §2): MRR, unified pipeline + service + billing,
reconciliation, unmapped values, AR ageing. The modules land with the recipes that feed them.

- :func:`unified`: one row per customer (joined through the identity map) with pipeline, service and
  billing figures from the three systems;
- :func:`ar_aging`: open receivables by age (current, 1-30, 31-60, 61-90, 90+), with ``plot()``;
- :func:`plot_mrr`: an MRR report's month-by-month line as a chart (the ``plot`` extra).
"""

from msplink.sync.reports._ar_aging import BUCKETS, AgingRow, ArAging, ar_aging
from msplink.sync.reports._plot import plot_mrr
from msplink.sync.reports._unified import (
    HIGH_PRIORITIES,
    CustomerRow,
    UnifiedReport,
    read_active_agreements,
    unified,
)

__all__ = [
    "BUCKETS",
    "HIGH_PRIORITIES",
    "AgingRow",
    "ArAging",
    "CustomerRow",
    "UnifiedReport",
    "ar_aging",
    "plot_mrr",
    "read_active_agreements",
    "unified",
]
