"""A vcrpy cassette suite assembled from the real Salesforce exchanges in shared/apis/salesforce (replay only).

The cassettes under ``cassettes/test_vcr_replay/`` were assembled by ``record_cassettes.py`` from the
recorded and authored sample bodies; in CI they replay with no network and no sandbox.
"""

from __future__ import annotations

from typing import Any

import pytest

from msplink._core import RetryPolicy
from msplink.errors import BadRequestError, ConflictError, NotFoundError, RateLimitError
from msplink.salesforce import (
    AccessTokenAuth,
    ClientCredentialsAuth,
    MultipleMatchesError,
    SalesforceClient,
    soql,
)
from msplink.salesforce.models import CompositeSubrequest
from msplink.testing import vcr_config as msplink_vcr_config

INSTANCE = "https://acme-msp.my.salesforce.com"


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    return {**msplink_vcr_config(), "record_mode": "none"}


def client_credentials_client(**options: Any) -> SalesforceClient:
    auth = ClientCredentialsAuth(
        client_id="3MVG9-consumer-key", client_secret="not-a-secret", login_url=INSTANCE
    )
    return SalesforceClient(auth=auth, retry=RetryPolicy.none(), **options)


def token_client(**options: Any) -> SalesforceClient:
    auth = AccessTokenAuth(access_token="00DdM00000vfgTu!session", instance_url=INSTANCE)
    return SalesforceClient(auth=auth, retry=RetryPolicy.none(), **options)


# The scenarios run both when replaying (tests below) and when assembling the cassettes.


def scenario_token_and_pagination(client: SalesforceClient) -> None:
    rows = client.query(soql.select("Id", "Name").from_("Account").order_by("SystemModstamp")).to_list()
    assert len(rows) == 6  # 3 truncated rows on page 1, 3 on the last page
    assert rows[0]["Id"] == "001dM00003jU9GyQAK" and rows[-1]["Id"] == "001dM00003kSPnWQAW"
    assert client.limit_info is not None and client.limit_info.used == 45
    accounts = client.accounts.list(fields=["Id", "Name"], limit=5).to_list()
    assert [a.name for a in accounts][:1] == [accounts[0].raw["Name"]]


def scenario_expired_session(client: SalesforceClient) -> None:
    limits = client.limits()
    assert limits.daily_api_requests is not None and limits.daily_api_requests.max == 15000


def scenario_real_error_bodies(client: SalesforceClient) -> None:
    with pytest.raises(MultipleMatchesError) as ambiguous:
        client.accounts.upsert("CW_Company_Id__c", "19342", {"Name": "Contoso"})
    assert ambiguous.value.ids == ("001dM00003kS2ndQAC", "001dM00003kS2neQAC")
    with pytest.raises(NotFoundError) as bad_field:
        client.accounts.upsert("Namez", "x", {"Phone": "1"})
    assert bad_field.value.codes == ("NOT_FOUND",)
    with pytest.raises(ConflictError) as duplicate:
        client.accounts.create({"Name": "Contoso"})
    assert duplicate.value.codes == ("DUPLICATES_DETECTED",)
    with pytest.raises(BadRequestError) as malformed:
        client.query("SELECT Id FROM Account WHERE Name = 'Bob\\'s BBQ'").to_list()
    assert malformed.value.codes == ("MALFORMED_QUERY",)
    with pytest.raises(NotFoundError):
        client.describe("Nope__c")
    with pytest.raises(RateLimitError) as quota:
        client.accounts.count()
    assert quota.value.status_code == 403


def scenario_collections_and_composite(client: SalesforceClient) -> None:
    results = client.collections.create([{"Name": f"A{i}"} for i in range(4)], sobject="Account")
    assert [r.success for r in results] == [True, False, False, False]
    assert results[1].codes == ("UNABLE_TO_LOCK_ROW",)
    assert results[2].errors[0].fields == ("BillingCountry",)
    upserted = client.accounts.upsert_many(
        "CW_Company_Id__c",
        [{"Name": "Contoso", "CW_Company_Id__c": "19342"}, {"Name": "New", "CW_Company_Id__c": "19343"}],
    )
    assert [u.created for u in upserted] == [False, True]
    rows = client.accounts.retrieve(
        ["001dM00003kS2ndQAC", "001dM00003kS2neQAC"], fields=["Id", "Name", "CW_Company_Id__c"]
    )
    assert rows[0] is not None and rows[0]["CW_Company_Id__c"] == "19342" and rows[1] is None
    out = client.composite.execute(
        [
            CompositeSubrequest(
                method="POST", url="sobjects/blng__Payment__c", reference_id="NewPayment1", body={"x": 1}
            ),
            CompositeSubrequest(
                method="POST", url="sobjects/blng__Payment__c", reference_id="NewPayment2", body={"x": 2}
            ),
        ]
    )
    assert [o.status for o in out] == [201, 201]


def scenario_bulk_ingest(client: SalesforceClient) -> None:
    result = client.bulk.ingest("Account", [{"Name": "Foo Bar"}, {"Name": "Bizz Buzz"}])
    assert result.job.state == "JobComplete"
    assert [r.id for r in result.successful] == ["0012f000007uKgsAAE", "0012f000007uKgtAAE"]
    assert all(r.created for r in result.successful)
    assert [r.error.code for r in result.failed if r.error] == ["UNKNOWN", "UNKNOWN"]


@pytest.mark.vcr
def test_token_and_pagination() -> None:
    with client_credentials_client() as client:
        scenario_token_and_pagination(client)


@pytest.mark.vcr
def test_expired_session() -> None:
    with client_credentials_client() as client:
        scenario_expired_session(client)


@pytest.mark.vcr
def test_real_error_bodies() -> None:
    with token_client() as client:
        scenario_real_error_bodies(client)


@pytest.mark.vcr
def test_collections_and_composite() -> None:
    with token_client() as client:
        scenario_collections_and_composite(client)


@pytest.mark.vcr
def test_bulk_ingest() -> None:
    with token_client(sleep=lambda s: None) as client:
        scenario_bulk_ingest(client)
