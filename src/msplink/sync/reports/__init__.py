"""Reports over synced data (SYNC.md §2): MRR, unified pipeline + service + billing,
reconciliation, unmapped values, AR ageing. The modules land with the recipes that feed them."""

__all__: list[str] = []
