"""Static types of the generic APIs (checked by mypy; the asserts are no-ops at runtime)."""

from __future__ import annotations

from typing import Any

from typing_extensions import assert_type

from msplink._core import AsyncPaginator, Paginator
from msplink.salesforce import AccessTokenAuth, AsyncSalesforceClient, SalesforceClient
from msplink.salesforce.models import Account, Opportunity, Record, SaveResult, SObjectDescribe


def test_sync_types() -> None:
    client = SalesforceClient(auth=AccessTokenAuth(access_token="t", instance_url="https://x.example"))
    assert_type(client.accounts.list(), Paginator[Account])
    assert_type(client.opportunities.list(where="IsWon = true"), Paginator[Opportunity])
    assert_type(client.opportunities.query("SELECT Id FROM Opportunity"), Paginator[Opportunity])
    assert_type(client.query("SELECT Id FROM Account"), Paginator[Record])
    assert_type(client.sobject("X__c").list(), Paginator[dict[str, Any]])
    assert_type(client.api_calls.total, int)

    def type_level_only() -> None:  # never called: these would do I/O
        assert_type(client.accounts.create({"Name": "x"}), SaveResult)
        assert_type(client.describe("Account"), SObjectDescribe)
        assert_type(client.accounts.retrieve(["001"]), list[Account | None])

    assert callable(type_level_only)
    client.close()


def test_async_types() -> None:
    client = AsyncSalesforceClient(auth=AccessTokenAuth(access_token="t", instance_url="https://x.example"))
    assert_type(client.accounts.list(), AsyncPaginator[Account])
    assert_type(client.query("SELECT Id FROM Account", include_deleted=True), AsyncPaginator[Record])
