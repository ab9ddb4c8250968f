"""Dependencies point one way (DESIGN §2), checked on the imports of every module."""

from __future__ import annotations

import ast
import functools
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


WORLD_BRIDGE = "sandbox/_world.py"
"""The one sandbox module allowed to import client code: it builds a seeded world's clients and config."""


def test_sandboxes_import_no_client_code() -> None:
    prefixes = tuple(f"msplink.{p}" for p in (*VENDORS, "_core", "models", "mappers", "sync", "testing"))
    assert [bad for bad in _forbidden("sandbox", prefixes) if not bad.startswith(WORLD_BRIDGE + " ")] == []


def test_the_world_bridge_imports_only_vendor_clients_testing_and_mappers() -> None:
    imported = {
        name
        for name in _imports(SRC / WORLD_BRIDGE)
        if name.startswith("msplink.") and not name.startswith("msplink.sandbox")
    }
    allowed = tuple(f"msplink.{p}" for p in (*VENDORS, "testing", "mappers"))
    assert {
        name for name in imported if not any(name == a or name.startswith(a + ".") for a in allowed)
    } == set()
    assert {name.split(".")[1] for name in imported} == {*VENDORS, "testing", "mappers"}


def test_core_imports_nothing_above_it() -> None:
    prefixes = tuple(f"msplink.{p}" for p in (*VENDORS, "models", "mappers", "sync", "sandbox", "testing"))
    assert _forbidden("_core", prefixes) == []


# ------------------------------------------------------------------------------------------ no circles


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@functools.cache
def _import_graph() -> dict[str, set[str]]:
    """Module -> the msplink modules it imports anywhere (top level, functions, ``TYPE_CHECKING``).

    ``from a.b import c`` is an edge to ``a.b.c`` when that is a module, else to ``a.b``; relative
    imports are resolved. A type-only import is still a dependency: it is how a circle hides.
    """
    paths = {_module_name(p): p for p in SRC.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        edges: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                edges.update(alias.name for alias in node.names if alias.name in paths)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package[: len(package) - (node.level - 1)]
                    base = ".".join([*anchor, *([node.module] if node.module else [])])
                for alias in node.names:
                    target = f"{base}.{alias.name}"
                    edges.add(target if target in paths else base)
        graph[name] = {e for e in edges if e in paths and e != name}
    return graph


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def test_the_circle_finder_finds_circles() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}, "f": set()}
    assert _circles(graph) == [["a", "b", "c"]]
    assert _circles({"x": {"y"}, "y": set()}) == []


def test_the_import_graph_sees_lazy_and_type_only_imports() -> None:
    graph = _import_graph()
    assert "msplink.sandbox._world" in graph["msplink.sandbox"]  # TYPE_CHECKING import
    assert "msplink.sandbox._framework" in graph["msplink.sandbox.salesforce._sandbox"]
    assert "msplink.sandbox.salesforce._org" in graph["msplink.sandbox.salesforce._seed"]


def test_no_module_of_msplink_is_in_an_import_circle() -> None:
    assert _circles(_import_graph()) == []


def test_hand_written_modules_stay_readable() -> None:
    """No module in src over ~1,000 lines unless it is generated (headed "generated ... do not edit")."""
    large = {}
    for module in sorted(SRC.rglob("*.py")):
        lines = module.read_text(encoding="utf-8").splitlines()
        head = "\n".join(lines[:20]).lower()
        if len(lines) > 1000 and not ("generated" in head and "do not edit" in head):
            large[str(module.relative_to(SRC))] = len(lines)
    assert large == {}


# ------------------------------------------------------------------------------------------------ sync

SYNC_ADAPTERS = "sync/adapters/"
"""The only part of ``msplink.sync`` that talks to vendor clients."""


def test_only_the_sync_adapters_import_vendor_packages() -> None:
    vendors = tuple(f"msplink.{p}" for p in (*VENDORS, "sandbox", "testing"))
    bad = _forbidden("sync", vendors)
    assert [b for b in bad if not b.startswith(SYNC_ADAPTERS)] == []
    assert {b.split(" imports ")[0] for b in bad} == {
        "sync/adapters/connectwise.py",
        "sync/adapters/quickbooks.py",
        "sync/adapters/salesforce.py",
    }  # each adapter imports its own vendor ...
    for vendor in VENDORS:  # ... and only its own
        others = tuple(f"msplink.{p}" for p in VENDORS if p != vendor)
        module = SRC / SYNC_ADAPTERS / f"{vendor}.py"
        assert not [n for n in _imports(module) if any(n == o or n.startswith(o + ".") for o in others)]


def test_mappers_never_import_sync() -> None:
    assert _forbidden("mappers", ("msplink.sync",)) == []


def test_the_engine_consumes_mappers_through_the_table() -> None:
    """No sync module names a vendor mapper module (``msplink.mappers.connectwise`` ...): flows get
    their mapper rows from ``msplink.mappers.find_mapper`` / ``MAPPERS``."""
    vendor_mappers = tuple(f"msplink.mappers.{v}" for v in VENDORS)
    assert _forbidden("sync", vendor_mappers) == []
    used = {
        name for module in _modules("sync") for name in _imports(module) if name.startswith("msplink.mappers")
    }
    assert used == {"msplink.mappers"}
