"""Reports over synced data (SYNC.md §2): MRR, unified pipeline + service + billing,
reconciliation, unmapped values, AR ageing. The modules land with the recipes that feed them."""

from msplink.sync.reports._mrr import CustomerMrr, MonthMrr, MrrReport, TypeMrr, mrr

__all__: list[str] = [
    "CustomerMrr",
    "MonthMrr",
    "MrrReport",
    "TypeMrr",
    "mrr",
]
