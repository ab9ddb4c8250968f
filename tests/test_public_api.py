"""Every public module curates a sorted ``__all__`` that is exactly its public names, both ways.

A public module is any module of ``msplink`` whose path has no ``_``-prefixed part. Its public names
are the names it binds without a leading underscore: what it defines, what it re-exports from its
own (private) submodules, the submodules it imports by name, and its other values (constants,
aliases); classes and functions imported from elsewhere (the standard library, third parties,
another msplink package) are not its names. Names served lazily through a module ``__getattr__``
count when ``__all__`` lists them. No private name is imported across modules anywhere in ``src``.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import types
import typing
from pathlib import Path

import pytest

import msplink

SRC = Path(msplink.__file__).resolve().parent
PUBLIC = sorted(
    name
    for _, name, _ in pkgutil.walk_packages(msplink.__path__, "msplink.")
    if not any(part.startswith("_") for part in name.split(".")[1:])
)


def _imported_submodules(module: types.ModuleType) -> set[str]:
    """Submodules a package's source imports by name (``from msplink.sync import recipes``)."""
    if module.__file__ is None or not module.__file__.endswith("__init__.py"):
        return set()
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == module.__name__:
            names.update(alias.asname or alias.name for alias in node.names)
    return names


def public_names(module: types.ModuleType) -> set[str]:
    """The names ``module`` offers (see the module docstring)."""
    submodules = _imported_submodules(module)
    names: set[str] = set()
    for name, value in vars(module).items():
        if name.startswith("_") or name == "annotations" or getattr(typing, name, object()) is value:
            continue
        if isinstance(value, types.ModuleType):
            lazy = name in getattr(module, "__all__", ()) and hasattr(module, "__getattr__")
            if value.__name__ == f"{module.__name__}.{name}" and (name in submodules or lazy):
                names.add(name)  # imported by name, or loaded on first use by the package's __getattr__
            continue
        if isinstance(value, type) or inspect.isroutine(value) or isinstance(value, typing.TypeVar):
            home = getattr(value, "__module__", "") or ""
            if home != module.__name__ and not home.startswith(module.__name__ + "."):
                continue
        names.add(name)
    return names


@pytest.mark.parametrize("module_name", ["msplink", *PUBLIC])
def test_all_is_sorted_and_equals_the_public_names_both_ways(module_name: str) -> None:
    module = importlib.import_module(module_name)
    exported = getattr(module, "__all__", None)
    if module_name.endswith("__main__"):
        pytest.skip("a script, not an importable API")
    assert exported is not None, f"{module_name} defines no __all__"
    isort_style = sorted(exported, key=lambda n: (0 if n.isupper() else 1 if n[:1].isupper() else 2, n))
    assert list(exported) in (isort_style, sorted(exported)), f"{module_name}.__all__ is not sorted"
    assert len(set(exported)) == len(exported)
    for name in exported:
        assert hasattr(module, name), f"{module_name}.__all__ names missing {name}"
    listed = {n for n in exported if not (n.startswith("__") and n.endswith("__"))}
    served = vars(module)
    lazy = (  # served by the module's __getattr__: not bound yet, or a submodule it bound on first use
        {n for n in listed if n not in served or isinstance(served[n], types.ModuleType)}
        if hasattr(module, "__getattr__")
        else set()
    )
    assert public_names(module) - listed == set(), f"{module_name}: public names missing from __all__"
    assert listed - lazy - public_names(module) == set(), f"{module_name}: __all__ names it does not define"


def _private_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ImportFrom) or not node.module or not node.module.startswith("msplink"):
            continue
        for alias in node.names:
            if alias.name.startswith("_") and not alias.name.startswith("__"):
                target = SRC.parent.joinpath(*node.module.split("."), alias.name)
                if not (target.with_suffix(".py").exists() or target.is_dir()):
                    found.append(f"{path.relative_to(SRC.parent)}: {node.module}.{alias.name}")
    return found


def test_no_private_name_is_imported_across_modules() -> None:
    found = [hit for path in sorted(SRC.rglob("*.py")) for hit in _private_imports(path)]
    assert found == []


def test_version() -> None:
    assert msplink.__version__.count(".") == 2
