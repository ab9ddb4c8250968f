"""The public surface of ``msplink.connectwise``: ``__all__`` is exactly what each public module defines,
no private name crosses a module boundary, the package top exports no executor internals, and twins match.
"""

from __future__ import annotations

import ast
import pkgutil
from pathlib import Path
from types import ModuleType

import msplink.connectwise

SRC = Path(msplink.connectwise.__file__).resolve().parents[1]
PACKAGE = SRC / "connectwise"
PUBLIC_MODULES = sorted(
    name
    for _, name, _ in pkgutil.walk_packages(msplink.connectwise.__path__, "msplink.connectwise.")
    if not any(part.startswith("_") for part in name.split("."))
)


def _bindings(module: ModuleType) -> set[str]:
    """The public names a module binds: its definitions, plus its imports when it is a package ``__init__``."""
    assert module.__file__ is not None
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    is_package = module.__file__.endswith("__init__.py")
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif is_package and isinstance(node, ast.ImportFrom) and node.module != "__future__":
            names.update(alias.asname or alias.name for alias in node.names)
    return {n for n in names if not n.startswith("_")}


def test_the_public_modules() -> None:
    assert PUBLIC_MODULES == [
        "msplink.connectwise.conditions",
        "msplink.connectwise.models",
        "msplink.connectwise.webhooks",
    ]


def test_the_package_top_exports_no_executor_internals() -> None:
    exported = set(msplink.connectwise.__all__)
    assert exported.isdisjoint({"PLATFORM", "parse_error_body", "Resource", "AsyncResource", "Callbacks"})
    assert {"ConnectWiseClient", "AsyncConnectWiseClient", "ConnectWiseAuth", "Watermark"} <= exported
    assert not any(hasattr(getattr(msplink.connectwise, n), "execute") for n in exported)


def _private_imports(path: Path, prefix: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ImportFrom) or not node.module or not node.module.startswith(prefix):
            continue
        for alias in node.names:
            if not alias.name.startswith("_"):
                continue
            where = SRC.parent.joinpath(*node.module.split("."), alias.name)
            if not (
                where.with_suffix(".py").exists() or (where / "__init__.py").exists()
            ):  # a private *module* is fine
                found.append(f"{path.relative_to(SRC)}: from {node.module} import {alias.name}")
    return found


def test_the_wire_model_bases_are_public() -> None:
    from msplink.connectwise import models as m

    assert issubclass(m.Company, m.Entity) and issubclass(m.Entity, m.Model)
    assert issubclass(m.CompanyUpdate, m.Update)
    assert issubclass(m.Reference, m.Model) and not issubclass(m.Reference, m.Entity)
