"""The client against the sandbox; every test runs for the sync and the async client."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from msplink.errors import (
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    NotFoundError,
    QueryError,
    RateLimitError,
    TransportError,
)
from msplink.salesforce import MultipleMatchesError, soql
from msplink.salesforce.models import Account, CompositeSubrequest
from msplink.salesforce.soql import F
from msplink.sandbox import FaultKind

API = "/services/data/v62.0"


def test_query_follows_next_records_url_with_batch_size(client, sandbox):
    for i in range(450):
        sandbox._insert_raw("Account", {"Name": f"Bulk {i:03d}"})
    sandbox.clear_log()
    rows = client.accounts.list(where=F("Name").startswith("Bulk "), page_size=200).to_list()
    assert len(rows) == 450
    assert len({r.id for r in rows}) == 450
    assert sandbox.count("GET", r"/query") == 3
    assert all(isinstance(r, Account) for r in rows)


def test_query_raw_rows_include_parent_relationship(client, sandbox):
    q = soql.select("Id", "LastName", "Account.Name", "Owner.Name").from_("Contact").limit(3)
    rows = client.query(q).to_list()
    assert len(rows) == 3
    assert rows[0]["Account"]["Name"]
    assert rows[0]["Owner"]["attributes"]["type"] == "User"


def test_crud_roundtrip(client, sandbox):
    result = client.accounts.create(
        Account(name="Bob's BBQ", annual_revenue=Decimal("1200.50"), custom={"CW_Company_Id__c": "C-1"})
    )
    assert result.success and result.id and result.id.startswith("001")
    account = client.accounts.get(result.id, fields=["Id", "Name", "AnnualRevenue", "CW_Company_Id__c"])
    assert account.name == "Bob's BBQ"
    assert account.annual_revenue == Decimal("1200.50")
    assert account["CW_Company_Id__c"] == "C-1"
    assert account.raw["attributes"]["type"] == "Account"
    client.accounts.update(result.id, {"Phone": "555-0100", "AnnualRevenue": None})
    again = client.accounts.get(result.id)
    assert again.phone == "555-0100" and again.annual_revenue is None
    client.accounts.delete(result.id)
    with pytest.raises(BadRequestError) as info:
        client.accounts.get(result.id)
    assert info.value.codes == ("ENTITY_IS_DELETED",)


def test_upsert_created_updated_multiple_and_bad_field(client, sandbox):
    created = client.accounts.upsert("CW_Company_Id__c", "a/b c%", {"Name": "Slashy"})
    assert created.created is True
    updated = client.accounts.upsert("CW_Company_Id__c", "a/b c%", {"Phone": "1"})
    assert updated.created is False and updated.id == created.id
    client.contacts.create({"LastName": "Twin", "Email": "twin@example.com"})
    client.contacts.create({"LastName": "Twin", "Email": "twin@example.com"})
    with pytest.raises(MultipleMatchesError) as info:
        client.contacts.upsert("Email", "twin@example.com", {"LastName": "X"})
    assert len(info.value.ids) == 2 and info.value.status_code == 300
    with pytest.raises(NotFoundError):
        client.accounts.upsert("Phone", "1", {"Name": "x"})


def test_collections_upsert_1000_accounts_is_one_composite_call(client, sandbox):
    sandbox.clear_log()
    records = [{"Name": f"Co {i}", "CW_Company_Id__c": f"K{i}"} for i in range(1000)]
    results = client.accounts.upsert_many("CW_Company_Id__c", records)
    assert len(results) == 1000 and all(r.success and r.created for r in results)
    assert sandbox.count("POST", r"/composite$") == 1  # five collections of 200 in one API call
    assert sandbox.count("PATCH", r"/composite/sobjects") == 0
    assert len(sandbox.requests) == 1 + 1  # + the token request
    again = client.accounts.upsert_many("CW_Company_Id__c", records)
    assert all(r.created is False for r in again)


def test_above_threshold_bulk_is_chosen(client, sandbox, clock):
    sandbox.clear_log()
    records = [{"Name": f"Big {i}", "CW_Company_Id__c": f"B{i}"} for i in range(2001)]
    records[7] = {"Name": "", "CW_Company_Id__c": "B7"}
    results = client.accounts.upsert_many("CW_Company_Id__c", records)
    assert sandbox.count(None, r"/composite/sobjects") == 0
    assert sandbox.count("POST", r"/jobs/ingest$") == 1
    assert sandbox.count("PUT", r"/batches$") == 1
    assert sandbox.count("PATCH", r"/jobs/ingest/") == 1
    assert sandbox.count("GET", r"/jobs/ingest/[^/]+$") == 2
    # successful and failed rows; no unprocessedrecords call: the job says every record was processed
    assert sandbox.count("GET", r"(successfulResults|failedResults)$") == 2
    assert sandbox.count("GET", r"unprocessedrecords$") == 0
    assert len(results) == 2001
    assert results[7].success is False and results[7].codes == ("REQUIRED_FIELD_MISSING",)
    assert sum(r.success for r in results) == 2000
    assert clock.sleeps == [1.0]


def test_collections_per_record_errors_and_all_or_none(client, sandbox):
    results = client.collections.create(
        [{"Name": "Good"}, {"Name": ""}, {"Nme": "typo"}, {"Name": "x", "AnnualRevenue": "lots"}],
        sobject="Account",
    )
    assert [r.success for r in results] == [True, False, False, False]
    assert results[1].codes == ("REQUIRED_FIELD_MISSING",) and results[1].errors[0].fields == ("Name",)
    assert results[2].codes == ("INVALID_FIELD",)
    assert results[3].codes == ("JSON_PARSER_ERROR",)
    before = client.accounts.count()
    rolled = client.accounts.create_many([{"Name": "A"}, {"Name": ""}], all_or_none=True)
    assert rolled[0].codes == ("ALL_OR_NONE_OPERATION_ROLLED_BACK",)
    assert rolled[1].codes == ("REQUIRED_FIELD_MISSING",)
    assert client.accounts.count() == before


def test_restricted_picklist_is_validated(client):
    result = client.collections.create(
        [{"Name": "Deal", "StageName": "Maybe", "CloseDate": "2026-01-01"}], sobject="Opportunity"
    )
    assert result[0].codes == ("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",)


def test_session_expiry_mid_pagination_loses_nothing(client, sandbox):
    for i in range(500):
        sandbox._insert_raw("Lead", {"LastName": f"L{i}", "Company": "Co"})
    sandbox.faults.inject(FaultKind.TOKEN_EXPIRY, path=r"/query/0r8", times=1)
    sandbox.clear_log()
    ids = [lead.id for lead in client.leads.list(page_size=200).to_list()]
    assert len(ids) == 510 and len(set(ids)) == 510
    assert sandbox.count("GET", r"/query/0r8", status=401) == 1
    assert sandbox.count("POST", r"/oauth2/token") == 2  # first token + one re-authentication
    assert sandbox.count("GET", r"/query", status=200) == 3


def test_session_expiry_reauthenticates_once(client, sandbox):
    client.accounts.count()
    sandbox.expire_sessions()
    sandbox.clear_log()
    assert client.accounts.count() == 10
    assert [(r.method, r.status) for r in sandbox.requests] == [("GET", 401), ("POST", 200), ("GET", 200)]


def test_unable_to_lock_row_is_retried(client, sandbox, clock):
    sandbox.inject_error("UNABLE_TO_LOCK_ROW", times=2)
    assert client.accounts.count() == 10
    assert sandbox.count("GET", r"/query", status=400) == 2
    assert len(clock.sleeps) == 2


def test_concurrent_limit_retried_daily_quota_raised(client, sandbox):
    sandbox.inject_error("REQUEST_LIMIT_EXCEEDED", times=1)
    assert client.accounts.count() == 10
    sandbox.inject_error("REQUEST_LIMIT_EXCEEDED", times=5, message="TotalRequests Limit exceeded.")
    sandbox.clear_log()
    with pytest.raises(RateLimitError) as info:
        client.accounts.count()
    assert info.value.status_code == 403 and info.value.codes == ("REQUEST_LIMIT_EXCEEDED",)
    assert len(sandbox.requests) == 1


def test_daily_quota_from_sandbox_limits(client, sandbox):
    sandbox.daily_api_limit = sandbox.api_usage + 2
    client.accounts.count()
    assert client.limit_info is not None and client.limit_info.remaining == 1
    client.accounts.count()
    with pytest.raises(RateLimitError):
        client.accounts.count()


def test_composite_reference_chaining_and_rollback(client, sandbox):
    subs = [
        CompositeSubrequest(
            method="POST", url="sobjects/Account", reference_id="acct", body={"Name": "Chain"}
        ),
        CompositeSubrequest(
            method="POST",
            url="sobjects/Contact",
            reference_id="ct",
            body={"LastName": "Doe", "AccountId": "@{acct.id}"},
        ),
        CompositeSubrequest(
            method="GET", url="sobjects/Contact/@{ct.id}?fields=AccountId", reference_id="read"
        ),
    ]
    out = client.composite.execute(subs)
    assert [o.status for o in out] == [201, 201, 200]
    assert out[2].body["AccountId"] == out[0].body["id"]
    before = client.accounts.count()
    bad = [
        CompositeSubrequest(method="POST", url="sobjects/Account", reference_id="a", body={"Name": "Rolled"}),
        CompositeSubrequest(
            method="POST", url="sobjects/Contact", reference_id="c", body={"FirstName": "NoLast"}
        ),
    ]
    out = client.composite.execute(bad, all_or_none=True)
    assert out[0].errors[0].code == "PROCESSING_HALTED"
    assert out[1].errors[0].code == "REQUIRED_FIELD_MISSING"
    assert client.accounts.count() == before
    with pytest.raises(Exception, match="at most 25"):
        client.composite.execute([subs[0]] * 26)


def test_bulk_query_pages_by_locator(client, sandbox):
    paginator = client.bulk.query("SELECT Id, Name, Account.Name FROM Contact", page_size=7)
    rows = paginator.to_list()
    assert len(rows) == 20
    assert sandbox.count("GET", r"/jobs/query/[^/]+/results") == 3
    assert set(rows[0]) == {"Id", "Name", "Account.Name"}


def test_get_updated_and_deleted_windows(client, sandbox, clock):
    start = clock.now()
    clock.advance(120)
    created = client.accounts.create({"Name": "Fresh"})
    client.accounts.delete(created.id)
    clock.advance(120)
    end = clock.now()
    updated = client.accounts.updated(start - timedelta(minutes=1), end)
    assert created.id not in updated.ids  # deleted records are reported by getDeleted
    deleted = client.accounts.deleted(start - timedelta(minutes=1), end)
    assert [d.id for d in deleted.deleted_records] == [created.id]
    with pytest.raises(BadRequestError) as info:
        client.accounts.updated(end - timedelta(days=40), end)
    assert info.value.codes == ("INVALID_REPLICATION_DATE",)


def test_describe_is_cached_and_exposes_metadata(client, sandbox):
    sandbox.clear_log()
    describe = client.describe("Opportunity")
    client.opportunities.describe()
    assert sandbox.count("GET", r"/describe$") == 1
    assert set(describe.required_fields) == {"Name", "StageName", "CloseDate"}
    assert "Closed Won" in describe.picklists["StageName"]
    assert describe.external_id_fields == ("CW_Opportunity_Id__c", "CW_Renewal_Term__c")


def test_limits_and_limit_info(client, sandbox):
    limits = client.limits()
    assert limits.daily_api_requests is not None and limits.daily_api_requests.max == 15000
    assert client.limit_info is not None and client.limit_info.used == sandbox.api_usage


def test_invalid_soql_fails_before_io(client, sandbox):
    sandbox.clear_log()
    for bad in [
        "",
        "SELEC Id FROM Account",
        "SELECT Id FROM Account WHERE Name = 'x",
        "SELECT Id FROM Account WHERE (Name = 'x'",
    ]:
        with pytest.raises(QueryError):
            client.query(bad).to_list()
    with pytest.raises(QueryError):
        client.accounts.list(fields=["Name; DROP"]).to_list()
    assert sandbox.requests == []
    with pytest.raises(BadRequestError) as info:
        client.query("SELECT Id, Nope__c FROM Account").to_list()
    assert info.value.codes == ("INVALID_FIELD",)


def test_closed_won_opportunities_are_seeded(client):
    won = client.opportunities.list(where=F("StageName") == "Closed Won").to_list()
    assert won and all(o.is_won and o.is_closed for o in won)


def test_untyped_sobject_hatch(client, sandbox):
    sandbox.add_object("Project__c", fields=[])
    sandbox.add_field("Project__c", "Budget__c", type="currency")
    project = client.sobject("Project__c")
    result = project.create({"Name": "Migration", "Budget__c": Decimal("1500.25")})
    row = project.get(result.id)
    assert row["Budget__c"] == Decimal("1500.25") and row["Name"] == "Migration"


def test_duplicate_external_id_is_a_conflict(client):
    client.accounts.create({"Name": "One", "CW_Company_Id__c": "DUP"})
    with pytest.raises(ConflictError) as info:
        client.accounts.create({"Name": "Two", "CW_Company_Id__c": "DUP"})
    assert info.value.codes == ("DUPLICATE_VALUE",)


def test_bad_jwt_key_is_rejected(sandbox):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    from msplink.salesforce import JWTBearerAuth, SalesforceClient

    other = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    creds = sandbox.credentials()
    auth = JWTBearerAuth(client_id=creds["client_id"], username=creds["username"], private_key=other)
    with (
        SalesforceClient(auth=auth, transport=sandbox.transport()) as c,
        pytest.raises(AuthenticationError) as info,
    ):
        c.accounts.count()
    assert info.value.codes == ("invalid_grant",)


def test_collections_resend_records_refused_for_row_locks(client, sandbox, clock):
    sandbox.inject_error("UNABLE_TO_LOCK_ROW", times=2, per_record=True)
    sandbox.clear_log()
    results = client.collections.create([{"Name": f"L{i}"} for i in range(5)], sobject="Account")
    assert all(r.success for r in results)
    assert sandbox.count("POST", r"/composite/sobjects$") == 2  # the chunk, then the 2 locked records
    assert len(clock.sleeps) == 1
    assert client.accounts.count(where=F("Name").startswith("L")) == 5


def test_row_lock_retries_are_bounded(client, sandbox):
    sandbox.inject_error("UNABLE_TO_LOCK_ROW", times=50, per_record=True)
    sandbox.clear_log()
    results = client.collections.create([{"Name": "Stuck"}], sobject="Account")
    assert results[0].codes == ("UNABLE_TO_LOCK_ROW",)
    assert sandbox.count("POST", r"/composite/sobjects$") == 4  # RetryPolicy.max_attempts


def test_malformed_records_fail_before_io(client, sandbox):
    sandbox.clear_log()
    with pytest.raises(ConfigurationError):
        client.collections.create([{"Name": "x"}])  # no type
    with pytest.raises(ConfigurationError):
        client.collections.update([{"Name": "x"}], sobject="Account")  # no Id
    with pytest.raises(ConfigurationError):
        client.accounts.upsert_many("CW_Company_Id__c", [{"Name": "no key"}])
    with pytest.raises(ConfigurationError):
        client.accounts.create(["not", "a", "record"])
    assert sandbox.requests == []


def test_bulk_ingest_splits_large_uploads(client, sandbox):
    client.bulk.max_upload_bytes = 4096
    sandbox.clear_log()
    result = client.bulk.ingest(
        "Lead", [{"LastName": f"Lead {i}", "Company": 'Big Co, "Quoted"\nLine'} for i in range(300)]
    )
    assert sandbox.count("PUT", r"/batches$") > 1
    assert len(result.successful) == 300 and not result.failed
    assert client.leads.count(where=F("Company") == 'Big Co, "Quoted"\nLine') == 300


def test_users_list_with_default_fields(client):
    users = client.users.list().to_list()
    assert len(users) == 5 and all(u.username for u in users)
    assert "IsDeleted" not in users[0].raw


def test_framework_faults_are_retried_when_safe(client, sandbox):
    sandbox.faults.inject(FaultKind.RATE_LIMIT, path=r"/query", times=1)
    sandbox.faults.inject(FaultKind.SERVER_ERROR, status=503, path=r"/query", times=1)
    assert client.accounts.count() == 10
    sandbox.faults.clear()
    sandbox.faults.inject(FaultKind.LOSE_RESPONSE, method="PATCH", times=1)
    result = client.accounts.upsert("CW_Company_Id__c", "LOST-1", {"Name": "Lost once"})
    assert result.created is False  # applied by the lost attempt, updated by the replay: no duplicate
    assert client.accounts.count(where=F("Name") == "Lost once") == 1
    sandbox.faults.clear()
    sandbox.faults.inject(FaultKind.LOSE_RESPONSE, method="POST", path=r"/sobjects/Account$", times=1)
    with pytest.raises(TransportError):
        client.accounts.create({"Name": "Maybe created"})  # a POST is never replayed blindly
    assert client.accounts.count(where=F("Name") == "Maybe created") == 1


def test_builder_subquery_through_the_client(client):
    q = (
        soql.select(
            "Id", "Name", soql.select("Email").from_("Contacts").where(F("Email").endswith("@example.com"))
        )
        .from_("Account")
        .limit(3)
    )
    rows = client.query(q).to_list()
    assert len(rows) == 3 and all(r["Contacts"]["totalSize"] == 2 for r in rows)
    [account] = client.accounts.list(
        fields=["Id", "Name", soql.select("Subject").from_("Cases")], limit=1
    ).to_list()
    assert account["Cases"]["records"][0]["Subject"]
