"""``msplink.mappers*`` and ``msplink.models``: ``__all__`` is exactly the public names, both ways.

Implementation modules are underscored; helpers shared between them carry public names inside their
private module, so no module imports an underscored name from another (checked on the source).
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest

import msplink.mappers
import msplink.models

PACKAGES = [msplink.mappers, msplink.models]


def _modules(private: bool) -> list[str]:
    names = []
    for package in PACKAGES:
        names.append(package.__name__)
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            is_private = any(part.startswith("_") for part in info.name.split("."))
            if is_private == private:
                names.append(info.name)
    return sorted(names)


PUBLIC_MODULES = _modules(private=False)


def test_the_public_modules_are_the_packages_and_the_three_vendor_mapper_packages() -> None:
    assert PUBLIC_MODULES == [
        "msplink.mappers",
        "msplink.mappers.connectwise",
        "msplink.mappers.quickbooks",
        "msplink.mappers.salesforce",
        "msplink.models",
    ]


@pytest.mark.parametrize("module_name", _modules(private=True))
def test_private_modules_export_what_they_define(module_name: str) -> None:
    module = importlib.import_module(module_name)
    exported = set(getattr(module, "__all__", ()))
    defined = {
        name
        for name, value in vars(module).items()
        if not name.startswith("_") and getattr(value, "__module__", module_name) == module_name
    }
    assert exported <= set(vars(module))
    missing = {
        n for n in defined - exported if callable(vars(module)[n]) and not isinstance(vars(module)[n], type)
    }
    assert not missing, f"{module_name} defines public functions outside __all__: {sorted(missing)}"


def _sources() -> list[Path]:
    return sorted(p for package in PACKAGES for p in Path(package.__path__[0]).rglob("*.py"))
