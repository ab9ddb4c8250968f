"""Each public package curates a sorted ``__all__`` that matches what it really exports."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import msplink

PUBLIC = sorted(
    name
    for _, name, _ in pkgutil.walk_packages(msplink.__path__, "msplink.")
    if not any(part.startswith("_") for part in name.split(".")[1:])
)


@pytest.mark.parametrize("module_name", ["msplink", *PUBLIC])
def test_all_is_sorted_and_complete(module_name: str) -> None:
    module = importlib.import_module(module_name)
    exported = getattr(module, "__all__", None)
    if exported is None:
        pytest.skip(f"{module_name} defines no __all__")
    isort_style = sorted(exported, key=lambda n: (0 if n.isupper() else 1 if n[:1].isupper() else 2, n))
    assert list(exported) in (isort_style, sorted(exported)), f"{module_name}.__all__ is not sorted"
    assert len(set(exported)) == len(exported)
    for name in exported:
        assert hasattr(module, name), f"{module_name}.__all__ names missing {name}"


def test_version() -> None:
    assert msplink.__version__.count(".") == 2
