"""The Salesforce package's public surface: curated ``__all__`` (both ways), no private names
imported across modules, wire models only under ``msplink.salesforce.models`` (issue 9)."""

from __future__ import annotations

import importlib
import inspect
import warnings
from pathlib import Path
from types import ModuleType

import pytest

import msplink.salesforce

PACKAGE = Path(msplink.salesforce.__file__).parent
PUBLIC_MODULES = [
    "msplink.salesforce",
    "msplink.salesforce.models",
    "msplink.salesforce.soql",
    "msplink.salesforce.webhooks",
]


def defined_public_names(module: ModuleType) -> set[str]:
    """Public names the module defines (or re-exports from its own private modules), and its public
    submodules; names merely imported from elsewhere (``re``, ``Decimal``, ``Final``) do not count."""
    own = module.__name__
    names = set()
    for name, value in vars(module).items():
        if name.startswith("_"):
            continue
        if inspect.ismodule(value):
            if value.__name__.startswith(own + "."):
                names.add(name)
        elif inspect.isclass(value) or inspect.isfunction(value):
            origin = value.__module__
            if origin == own or origin.startswith(own + "._"):
                names.add(name)
        elif type(value).__module__ not in {"typing", "typing_extensions", "__future__"}:
            names.add(name)  # data (a str, a frozenset, a Platform, a TypeVar ...): defined here
    return names


def is_module(package: str, name: str) -> bool:
    try:
        importlib.import_module(f"{package}.{name}")
    except ImportError:
        return False
    return True


def test_wire_models_live_in_models_only():
    assert not {"Account", "SaveResult", "JobInfo"} & set(vars(msplink.salesforce))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert msplink.salesforce.Account is msplink.salesforce.models.Account  # deprecated spelling
    assert [w.category for w in caught] == [DeprecationWarning]
    with pytest.raises(AttributeError):
        _ = msplink.salesforce.NoSuchName
