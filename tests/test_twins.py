"""Sync and async twins of the three vendors: the same resources, methods, parameters and docstrings,
and every resource method one statement over a shared call builder or plan (STYLE R7, R8; issue 9).

One parametrised test for the three vendors: a pair is ``X`` / ``AsyncX`` in a vendor's ``_client``
or ``_resources`` module.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import textwrap
from typing import Any

import pytest

VENDORS = ("connectwise", "quickbooks", "salesforce")
_ASYNC_ITERATING = ("AsyncPaginator", "AsyncIterator", "AsyncGenerator")


def _pairs(module_suffix: str) -> list[tuple[type, type]]:
    pairs = []
    for vendor in VENDORS:
        module = importlib.import_module(f"msplink.{vendor}.{module_suffix}")
        classes = {
            n: c for n, c in vars(module).items() if inspect.isclass(c) and c.__module__ == module.__name__
        }
        pairs += [(c, classes[f"Async{n}"]) for n, c in sorted(classes.items()) if f"Async{n}" in classes]
    return pairs


CLIENTS = _pairs("_client")
RESOURCES = _pairs("_resources")
WEBHOOKS = _pairs("webhooks")


def _methods(cls: type) -> dict[str, Any]:
    return {
        name: inspect.unwrap(value)
        for name, value in inspect.getmembers(cls)
        if not name.startswith("_")
        and (inspect.isfunction(value) or inspect.ismethod(value))
        and getattr(value, "__module__", "").startswith("msplink.")
    }


def _ids(pair: tuple[type, type]) -> str:
    return f"{pair[0].__module__.split('.')[1]}.{pair[0].__name__}"


def test_each_vendor_has_client_twins() -> None:
    assert sorted(_ids(p).split(".")[0] for p in CLIENTS) == sorted(VENDORS)


def test_the_callback_verifiers_are_twins() -> None:
    assert [_ids(p) for p in WEBHOOKS] == ["connectwise.CallbackVerifier"]


@pytest.mark.parametrize("pair", CLIENTS + RESOURCES + WEBHOOKS, ids=_ids)
def test_twins_have_the_same_methods_parameters_and_docstrings(pair: tuple[type, type]) -> None:
    sync, asynchronous = (_methods(c) for c in pair)
    if "aclose" in asynchronous:
        assert sync.pop("close") is not None and asynchronous.pop("aclose") is not None
    assert sorted(sync) == sorted(asynchronous)
    for name, function in sync.items():
        twin = asynchronous[name]
        assert list(inspect.signature(function).parameters) == list(inspect.signature(twin).parameters), name
        assert inspect.getdoc(function) == inspect.getdoc(twin), f"{name}: the twins' docstrings drifted"
        returns = str(inspect.signature(twin).return_annotation)
        accessor = returns.startswith("Async")  # a sub-resource (``sites(id)``) or an async iterator
        if not isinstance(inspect.getattr_static(pair[1], name), (classmethod, staticmethod)) and not (
            accessor or any(kind in returns for kind in _ASYNC_ITERATING)
        ):
            sync_is_plain = not inspect.iscoroutinefunction(function)
            assert sync_is_plain, name
            assert inspect.iscoroutinefunction(twin) or name in {"with_options", "sobject"}, name


def _statements(function: Any) -> int:
    node = ast.parse(textwrap.dedent(inspect.getsource(function))).body[0]
    assert isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    body = node.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    return len(body)


@pytest.mark.parametrize(
    "cls", [c for pair in RESOURCES for c in pair], ids=lambda c: f"{c.__module__}.{c.__name__}"
)
def test_every_resource_method_is_one_statement_over_a_call_or_a_plan(cls: type) -> None:
    longer = {name: n for name, f in _methods(cls).items() if (n := _statements(f)) != 1}
    assert longer == {}
