"""Dependencies point one way (DESIGN §2), checked on the imports of every module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "msplink"
VENDORS = ("connectwise", "quickbooks", "salesforce")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _modules(package: str) -> list[Path]:
    root = SRC / package
    return sorted(root.rglob("*.py")) if root.exists() else []


def _forbidden(package: str, prefixes: tuple[str, ...]) -> list[str]:
    bad = []
    for module in _modules(package):
        for name in _imports(module):
            if any(name == p or name.startswith(p + ".") for p in prefixes):
                bad.append(f"{module.relative_to(SRC)} imports {name}")
    return bad


def test_canonical_models_import_no_vendor_mapper_or_sync_code() -> None:
    prefixes = tuple(f"msplink.{p}" for p in (*VENDORS, "mappers", "sync", "sandbox", "_core"))
    assert _forbidden("models", prefixes) == []


@pytest.mark.parametrize("vendor", VENDORS)
def test_vendor_packages_import_no_canonical_models_or_other_vendors(vendor: str) -> None:
    others = tuple(f"msplink.{p}" for p in VENDORS if p != vendor)
    prefixes = (*others, "msplink.models", "msplink.mappers", "msplink.sync", "msplink.sandbox")
    assert _forbidden(vendor, prefixes) == []


def test_sandboxes_import_no_client_code() -> None:
    prefixes = tuple(f"msplink.{p}" for p in (*VENDORS, "_core", "models", "mappers", "sync", "testing"))
    assert _forbidden("sandbox", prefixes) == []


def test_core_imports_nothing_above_it() -> None:
    prefixes = tuple(f"msplink.{p}" for p in (*VENDORS, "models", "mappers", "sync", "sandbox", "testing"))
    assert _forbidden("_core", prefixes) == []
