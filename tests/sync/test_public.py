"""``msplink.sync`` exports exactly its public names (SYNC.md §2), and sync sits where it should."""

from __future__ import annotations

import types

import msplink.sync
from msplink.sync import adapters, recipes, reports
from tests.test_layering import _forbidden

CONTRACT = {  # SYNC.md §2, word for word
    "StateStore", "SQLiteStateStore", "MemoryStateStore",
    "Flow", "Direction", "FieldPolicy", "Owner",
    "MatchRule", "by_link", "by_external_id", "by_email", "by_name", "by_domain",
    "Guards",
    "Plan", "PlanItem", "Action", "FieldChange",
    "SyncReport", "Outcome", "Conflict", "DeadLetter", "RunRecord",
    "plan", "apply", "run", "aplan", "aapply", "arun",
    "recipes", "reports",
}  # fmt: skip
ADDED = {  # what adapters and users also need; to be listed in SYNC.md §2
    "GuardError", "LeaseError", "MatchPendingError", "Watermark", "adapters",
    "Source", "Target", "AsyncSource", "AsyncTarget",
    "RemoteRecord", "ChangePage", "LookupRequest", "WriteOp", "WriteResult", "Intent",
    "same_email",
    "run_together", "arun_together",
}  # fmt: skip


def test_all_is_the_contract_plus_the_adapter_protocols_both_ways() -> None:
    exported = set(msplink.sync.__all__)
    assert exported == CONTRACT | ADDED
    public = {
        name
        for name, value in vars(msplink.sync).items()
        if not name.startswith("_") and not (isinstance(value, types.ModuleType) and name not in exported)
    }
    assert public == exported


def test_the_subpackages_load_on_first_use() -> None:
    assert set(adapters.__all__) == {
        "AsyncConnectWiseAdapter", "AsyncQuickBooksAdapter", "AsyncSalesforceAdapter",
        "ConnectWiseAdapter", "QuickBooksAdapter", "SalesforceAdapter",
        "SharedPages", "AsyncSharedPages", "SharedReads", "SourceWrapper", "in_turns", "shared_pages",
    }  # fmt: skip
    assert msplink.sync.adapters is adapters and msplink.sync.recipes is recipes
    assert {"adapters", "recipes", "reports"} <= set(dir(msplink.sync))


def test_errors_are_sync_errors() -> None:
    from msplink.errors import SyncError

    assert issubclass(msplink.sync.GuardError, SyncError)
    assert issubclass(msplink.sync.LeaseError, SyncError)


def test_the_recipe_registry_lists_each_recipe_with_its_summary_and_systems() -> None:
    assert "companies_and_customers" in recipes.RECIPES  # the reference recipe; others register theirs
    for name, recipe in recipes.RECIPES.items():
        assert (
            recipe.name == name and recipe.run is getattr(recipes, name) and recipe.summary and recipe.systems
        )
    entry = recipes.RECIPES["companies_and_customers"]
    assert entry.run is recipes.companies_and_customers
    assert entry.flows == recipes.companies_and_customers.flows
    assert entry.systems == ("connectwise", "quickbooks")
    assert entry.summary.startswith("ConnectWise companies <-> QuickBooks customers")
    assert recipes.__all__ == sorted(recipes.__all__) and {"RECIPES", "Recipe"} <= set(recipes.__all__)
    assert set(recipes.__all__) == {"RECIPES", "Recipe", *recipes.RECIPES}
    assert {"mrr", "reconciliation", "unmapped"} <= set(reports.__all__)
    assert all(hasattr(reports, name) for name in reports.__all__)
    assert {"ArAging", "UnifiedReport", "ar_aging", "plot_mrr", "unified"} <= set(reports.__all__)


def test_only_sync_adapters_import_vendor_packages_and_mappers_never_import_sync() -> None:
    vendors = ("msplink.connectwise", "msplink.quickbooks", "msplink.salesforce", "msplink.sandbox")
    assert [b for b in _forbidden("sync", vendors) if not b.startswith("sync/adapters/")] == []
    assert _forbidden("mappers", ("msplink.sync",)) == []
    assert _forbidden("models", ("msplink.sync",)) == []
