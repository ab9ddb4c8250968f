"""The sync and async clients expose the same resources, methods and signatures (STYLE R8)."""

from __future__ import annotations

import inspect

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
