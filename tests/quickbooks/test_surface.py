"""Twin parity, typed generics (checked by mypy), and never-raising parsers (hypothesis)."""

from __future__ import annotations

import contextlib
import inspect
import json
from datetime import timezone
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typing_extensions import assert_type

import msplink.quickbooks as qb
from msplink._core import AsyncPaginator, Paginator
from msplink.quickbooks import AsyncQuickBooksClient, QuickBooksClient
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


@pytest.mark.parametrize("name", RESOURCES)
def test_resources_are_twins(twins, name):
    sync, asyn = twins
    sync_methods, async_methods = _public(getattr(sync, name)), _public(getattr(asyn, name))
    assert sync_methods.keys() == async_methods.keys()
    for method, signature in sync_methods.items():
        assert list(signature.parameters) == list(async_methods[method].parameters), method


def test_clients_are_twins(twins):
    sync, asyn = twins
    sync_names = {n for n in _public(sync) if n not in {"close"}}
    async_names = {n for n in _public(asyn) if n not in {"aclose"}}
    assert sync_names == async_names
    assert all(hasattr(sync, r) and hasattr(asyn, r) for r in RESOURCES)


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
