"""The sync and async clients expose the same resources, methods and signatures (STYLE R8)."""

from __future__ import annotations

import ast
import inspect
import textwrap

import pytest

import msplink.salesforce as sf

PAIRS = [
    (sf.SalesforceClient, sf.AsyncSalesforceClient),
    (sf.SObjects, sf.AsyncSObjects),
    (sf.Collections, sf.AsyncCollections),
    (sf.Composite, sf.AsyncComposite),
    (sf.Bulk, sf.AsyncBulk),
]


def public(cls: type) -> dict[str, object]:
    return {n: v for n, v in vars(cls).items() if not n.startswith("_") and callable(v)}


@pytest.mark.parametrize(("sync", "asynchronous"), PAIRS, ids=lambda c: c.__name__)
def test_same_methods_and_parameters(sync, asynchronous):
    left, right = public(sync), public(asynchronous)
    if "aclose" in right:
        left.pop("close")
        right.pop("aclose")
    assert sorted(left) == sorted(right)
    for name in left:
        lp = list(inspect.signature(left[name]).parameters)  # type: ignore[arg-type]
        rp = list(inspect.signature(right[name]).parameters)  # type: ignore[arg-type]
        assert lp == rp, name
        if name not in {"with_options", "sobject", "query", "list", "from_env"}:
            assert inspect.iscoroutinefunction(right[name]) or name in {"query", "list"}, name


def test_resources_match(sandbox):
    sync = sf.SalesforceClient(auth=sf.AccessTokenAuth(access_token="t", instance_url="https://x.example"))
    asynchronous = sf.AsyncSalesforceClient(
        auth=sf.AccessTokenAuth(access_token="t", instance_url="https://x.example")
    )
    names = ["accounts", "contacts", "leads", "opportunities", "cases", "tasks", "contracts", "users"]
    for name in [*names, "collections", "composite", "bulk"]:
        assert hasattr(sync, name) and hasattr(asynchronous, name)
    assert [getattr(sync, n).sobject for n in names] == [getattr(asynchronous, n).sobject for n in names]
    sync.close()


def body_statements(function: object) -> int:
    """Statements in a method's body, its docstring aside."""
    source = inspect.getsource(function)  # type: ignore[arg-type]
    node = ast.parse(textwrap.dedent(source)).body[0]
    assert isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    body = node.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    return len(body)


@pytest.mark.parametrize("cls", [c for pair in PAIRS for c in pair], ids=lambda c: c.__name__)
def test_every_public_method_is_one_line_over_a_call_or_a_plan(cls):
    """The logic exists once (in _calls and _plans); a twin method only hands it to its executor."""
    longer = {name: n for name, f in public(cls).items() if (n := body_statements(inspect.unwrap(f))) != 1}  # type: ignore[arg-type]
    assert longer == {}
