"""Twin parity, typed generics (checked by mypy), and never-raising parsers (hypothesis)."""

from __future__ import annotations

import ast
import contextlib
import importlib
import importlib.util
import inspect
import json
import types
import typing
from datetime import timezone
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typing_extensions import assert_type

import msplink.quickbooks as qb
from msplink._core import AsyncPaginator, Paginator
from msplink.quickbooks import AsyncQuickBooksClient, BatchOperation, QuickBooksClient
from msplink.quickbooks import models as m
from msplink.quickbooks._errors import parse_errors
from msplink.quickbooks.webhooks import parse_events

RESOURCES = [
    "customers",
    "vendors",
    "employees",
    "items",
    "accounts",
    "invoices",
    "payments",
    "time_activities",
    "bills",
    "purchase_orders",
    "journal_entries",
    "recurring_transactions",
    "estimates",
    "terms",
    "tax_codes",
    "tax_rates",
    "classes",
    "departments",
    "company_info",
    "preferences",
]


def _public(obj: Any) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(getattr(obj, name))
        for name in dir(obj)
        if not name.startswith("_") and callable(getattr(obj, name))
    }


@pytest.fixture(scope="module")
def twins() -> Any:
    sync = QuickBooksClient(realm_id="1", auth="t")
    asyn = AsyncQuickBooksClient(realm_id="1", auth="t")
    yield sync, asyn
    sync.close()


def _static_types(sync: QuickBooksClient, asyn: AsyncQuickBooksClient) -> None:
    """Checked by mypy only (never called: it would do I/O)."""
    assert_type(sync.customers.list(), Paginator[m.Customer])
    assert_type(asyn.invoices.list(), AsyncPaginator[m.Invoice])
    assert_type(sync.customers.query("SELECT * FROM Customer"), Paginator[m.Customer])
    assert_type(sync.invoices.void("1", sync_token="0"), m.Invoice)
    assert_type(sync.invoices.delete("1", sync_token="0"), m.DeletedEntity)
    assert_type(sync.customers.delete("1", sync_token="0"), m.Customer)
    assert_type(sync.batch([]), list[qb.BatchItemResult])
    assert_type(qb.query.quote("x"), str)


def test_static_types(twins):
    sync, _ = twins
    assert callable(_static_types)
    assert callable(sync.invoices.void) and callable(sync.payments.void)
    assert not hasattr(sync.customers, "void") and not hasattr(sync.tax_codes, "create")
    assert not hasattr(sync.recurring_transactions, "update")


@settings(max_examples=200, deadline=None)
@given(body=st.binary(max_size=300), status=st.sampled_from([200, 400, 401, 429, 500, 503]))
def test_parse_errors_never_raises_on_bytes(body, status):
    details = parse_errors(httpx.Response(status, content=body))
    assert isinstance(details, tuple)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(value=json_values)
def test_parse_errors_never_raises_on_json(value):
    for wrapped in (value, {"Fault": value}, {"fault": {"error": value}}, {"Fault": {"Error": [value]}}):
        assert isinstance(parse_errors(httpx.Response(400, content=json.dumps(wrapped).encode())), tuple)


@settings(max_examples=200, deadline=None)
@given(value=json_values)
def test_webhook_parser_raises_only_value_error(value):
    for wrapped in (value, {"eventNotifications": value}, [value], [{"specversion": "1.0", "type": value}]):
        try:
            parse_events(json.dumps(wrapped).encode())
        except (ValueError, TypeError, AttributeError, KeyError) as exc:
            assert isinstance(exc, ValueError), repr(exc)


@settings(max_examples=100, deadline=None)
@given(
    access=st.text(min_size=1, max_size=40),
    refresh=st.text(min_size=1, max_size=40),
    expires=st.datetimes(timezones=st.just(timezone.utc)),
    realm=st.none() | st.text(alphabet="0123456789", min_size=1, max_size=16),
)
def test_oauth_token_round_trips_through_a_store_dict(access, refresh, expires, realm):
    token = qb.OAuthToken(
        access_token=f"secret-a-{access}",
        refresh_token=f"secret-r-{refresh}",
        expires_at=expires,
        realm_id=realm,
    )
    assert qb.OAuthToken.from_dict(json.loads(json.dumps(token.to_dict()))) == token
    assert "secret-" not in repr(token)


@settings(max_examples=100, deadline=None)
@given(value=json_values)
def test_cdc_and_batch_parsers_fail_only_with_parse_errors(value):
    from msplink.quickbooks._changes import parse_cdc
    from msplink.quickbooks._operations import BatchOperation, parse_batch_items

    # the executor turns these four into an APIError carrying the status; anything else would escape
    parse_failures = (ValueError, KeyError, TypeError, AttributeError)
    for body in ({"CDCResponse": value}, {"CDCResponse": [{"QueryResponse": value}]}):
        with contextlib.suppress(*parse_failures):
            parse_cdc(body)
    with contextlib.suppress(*parse_failures):
        parse_batch_items(
            [BatchOperation.query("SELECT * FROM Term")], {"BatchItemResponse": value}, path="/b"
        )


# --------------------------------------------------------------------------- house rules (issue 9)

PUBLIC_MODULES = [
    "msplink.quickbooks",
    "msplink.quickbooks.models",
    "msplink.quickbooks.query",
    "msplink.quickbooks.webhooks",
]
PACKAGE = Path(qb.__file__).parent


def _public_names(module: Any) -> set[str]:
    """Names a module offers: classes and functions defined in it or re-exported from its submodules,
    its public submodules, and its other values (constants, instances). Classes and functions imported
    from elsewhere (the standard library, third parties, ``msplink.errors``) do not count."""
    names = set()
    for name, value in vars(module).items():
        if name.startswith("_") or name == "annotations":
            continue
        if isinstance(value, types.ModuleType):
            if value.__name__.startswith(module.__name__ + "."):
                names.add(name)
            continue
        if isinstance(value, type) or inspect.isroutine(value) or isinstance(value, typing.TypeVar):
            home = value.__module__
            if home != module.__name__ and not home.startswith(module.__name__ + "."):
                continue
        names.add(name)
    return names


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def _private_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules: set[str] = set()
    bad: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module != "__future__":
            for alias in node.names:
                if alias.name.startswith("_") and not _is_module(f"{node.module}.{alias.name}"):
                    bad.append(f"from {node.module} import {alias.name}")
                if (node.module or "").startswith("msplink"):
                    modules.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            modules.update(
                (a.asname or a.name).split(".")[0] for a in node.names if a.name.startswith("msplink")
            )
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            bad.append(f"{node.value.id}.{node.attr}")
    return bad


def test_api_calls_count_every_request_batch_included(qbo, sandbox):
    sandbox.clear_log()
    qbo.customers.create(m.Customer(display_name="Counted"))
    qbo.batch([BatchOperation.create(m.Customer(display_name=f"Counted {i}")) for i in range(31)])
    qbo.customers.count()
    copy = qbo.with_options(timeout=5)
    copy.customers.count()
    assert qbo.api_calls.total == copy.api_calls.total == len(sandbox.requests) == 5
