"""Every model parses the real payloads in shared/apis/salesforce and keeps them in ``.raw``."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from msplink.salesforce import models
from msplink.salesforce._csv import parse_csv, to_csv
from msplink.salesforce._errors import parse_errors

APIS = Path(__file__).resolve().parents[3] / "shared" / "apis" / "salesforce"
if not APIS.exists():  # the checkout's sibling folder
    APIS = Path("/work/shared/apis/salesforce")
SAMPLES = APIS / "samples"
TYPED: dict[str, type[models.SObject]] = {
    "Account": models.Account,
    "Contact": models.Contact,
    "Lead": models.Lead,
    "Opportunity": models.Opportunity,
    "Case": models.Case,
    "Task": models.Task,
    "Contract": models.Contract,
    "User": models.User,
}


def load(name: str):
    return json.loads((SAMPLES / name).read_text(), parse_float=Decimal)


QUERY_SAMPLES = sorted(p.name for p in SAMPLES.glob("query-*.json"))


@pytest.mark.parametrize("name", QUERY_SAMPLES)
def test_query_samples_parse_into_models(name):
    body = load(name)
    for record in body["records"]:
        cls = TYPED.get(record["attributes"]["type"])
        if cls is None:
            continue
        model: models.SObject = cls.from_api(record)
        assert model.raw is record
        assert model.id == record.get("Id")
        for key, value in record.items():
            if key.endswith("__c"):
                assert model[key] == value


def test_every_typed_model_is_covered_by_samples_or_sandbox():
    seen = {r["attributes"]["type"] for n in QUERY_SAMPLES for r in load(n)["records"]}
    assert {"Account", "Contact", "Lead", "Opportunity", "Case", "User"} <= seen


def test_datetimes_are_aware_and_money_decimal():
    record = load("query-opportunities.json")["records"][0]
    opp = models.Opportunity.from_api(record)
    for value in (opp.created_date, opp.last_modified_date, opp.system_modstamp):
        assert value is None or (isinstance(value, datetime) and value.tzinfo is not None)
    assert opp.amount is None or isinstance(opp.amount, Decimal)


def test_relationship_paths_read_from_raw():
    record = load("query-leads-owner-relationship.json")["records"][0]
    lead = models.Lead.from_api(record)
    assert lead["Owner.Name"] == record["Owner"]["Name"]
    assert lead.get("Nope.Field", "default") == "default"


def test_describes_parse():
    account = models.SObjectDescribe.from_api(
        json.loads((APIS / "describe/Account.describe.v58.json").read_text(), parse_float=Decimal)
    )
    assert account.required_fields == ("Name",)
    assert "CustomerPriority__c" in account.picklists
    task = models.SObjectDescribe.from_api(
        json.loads((APIS / "describe/Task.describe.v60.json").read_text(), parse_float=Decimal)
    )
    assert task.required_fields == ()
    assert task.field("WhoId").reference_to


@pytest.mark.parametrize(
    "name",
    [
        "bulk2-ingest-create-job.restforce.json",
        "bulk2-ingest-job-status.restforce.json",
        "bulk2-query-job-info.airbyte.json",
        "authored/bulk2-ingest-job-complete.json",
    ],
)
def test_job_infos_parse(name):
    job = models.JobInfo.from_api(load(name))
    assert job.id and job.raw is not None


def test_results_and_limits_parse():
    mixed = [models.SaveResult.from_api(r) for r in load("authored/collections-create-mixed-results.json")]
    assert mixed[0].success and mixed[1].codes == ("UNABLE_TO_LOCK_ROW",)
    upserts = [
        models.SaveResult.from_api(r) for r in load("authored/collections-upsert-by-external-id-results.json")
    ]
    assert [u.created for u in upserts] == [False, True]
    limits = models.Limits.from_api(load("limits-developer-edition.camel.json"))
    assert limits.daily_api_requests == models.Limit(max=15000, remaining=14998)
    updated = models.UpdatedResult.from_api(load("authored/get-updated.json"))
    assert len(updated.ids) == 2 and updated.latest_date_covered is not None
    deleted = models.DeletedResult.from_api(load("authored/get-deleted.json"))
    assert deleted.deleted_records[0].id == "001dM00003kS5tZQAS"
    composite = [
        models.CompositeSubresponse.from_api(x)
        for x in load("composite-response-allOrNone-failure.camel.json")["compositeResponse"]
    ]
    assert any(c.errors for c in composite)


@pytest.mark.parametrize(
    ("header", "used", "maximum", "app"),
    [
        ("api-usage=45/15000", 45, 15000, None),
        (
            "api-usage=25/5000; per-app-api-usage=17/250(appName=sample-connected-app)",
            25,
            5000,
            "sample-connected-app",
        ),
    ],
)
def test_limit_info(header, used, maximum, app):
    info = models.LimitInfo.parse(header)
    assert info is not None and (info.used, info.max, info.app_name) == (used, maximum, app)
    assert models.LimitInfo.parse("garbage") is None


@pytest.mark.parametrize("name", sorted(p.name for p in (SAMPLES / "authored").glob("error-*.json")))
def test_error_bodies_parse(name):
    status = int(name.rsplit("-", 1)[1].split(".")[0])
    details = parse_errors(httpx.Response(status, content=(SAMPLES / "authored" / name).read_bytes()))
    assert details and all(d.code for d in details)


def test_multiple_choices_and_oauth_errors_parse():
    urls = parse_errors(
        httpx.Response(300, content=(SAMPLES / "authored/upsert-300-multiple-choices.json").read_bytes())
    )
    assert [d.code for d in urls] == ["MULTIPLE_CHOICES", "MULTIPLE_CHOICES"]
    oauth = parse_errors(
        httpx.Response(400, json={"error": "invalid_grant", "error_description": "audience is invalid"})
    )
    assert oauth[0].code == "invalid_grant"
    assert parse_errors(httpx.Response(500, content=b"<html>oops"))[0].message == "<html>oops"


def test_bulk_failed_results_csv_parses():
    text = (SAMPLES / "authored/bulk2-ingest-failedResults.csv").read_text()
    rows = parse_csv(text)
    errors = [models.RecordError.from_bulk(r["sf__Error"]) for r in rows]
    assert [e.code for e in errors] == ["REQUIRED_FIELD_MISSING", "UNABLE_TO_LOCK_ROW"]
    assert errors[0].fields == ("Name",)


cell = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(st.characters(codec="utf-8", exclude_characters="\x00\r"), max_size=20),
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "Name": cell,
                "CW_Company_Id__c": st.text(
                    st.characters(codec="utf-8", exclude_characters="\x00\r"), max_size=10
                ),
            }
        ),
        min_size=1,
        max_size=5,
    )
)
def test_csv_round_trip(records):
    data, columns = to_csv(records)
    rows = parse_csv(data.decode("utf-8"))
    assert sorted(columns) == ["CW_Company_Id__c", "Name"]
    assert len(rows) == len(records)
    for row, record in zip(rows, records, strict=True):
        expected = record["Name"]
        if expected is None:
            assert row["Name"] == "#N/A"
        elif isinstance(expected, bool):
            assert row["Name"] == ("true" if expected else "false")
        else:
            assert row["Name"] == str(expected)
        assert row["CW_Company_Id__c"] == record["CW_Company_Id__c"]


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10**9), st.integers(0, 10**9), st.from_regex(r"[A-Za-z0-9_-]{1,20}", fullmatch=True))
def test_limit_info_parses_any_reading(used, maximum, app):
    info = models.LimitInfo.parse(f"api-usage={used}/{maximum}; per-app-api-usage=1/2(appName={app})")
    assert info is not None and (info.used, info.max, info.app_name) == (used, maximum, app)
    assert info.remaining == max(0, maximum - used)


@settings(max_examples=200, deadline=None)
@given(
    st.from_regex(r"[A-Z][A-Z_]{2,30}", fullmatch=True),
    st.text(st.characters(codec="utf-8", exclude_characters=":\r\n"), max_size=40),
    st.lists(st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,20}", fullmatch=True), max_size=3),
)
def test_bulk_error_cells_parse(code, message, fields):
    error = models.RecordError.from_bulk(f"{code}:{message}:{','.join(fields)} --")
    assert error.code == code
    assert error.message == message.strip()
    assert error.fields == tuple(fields)


@pytest.mark.parametrize(
    "name",
    [
        "authored/oauth-token-jwt-bearer.json",
        "authored/oauth-token-client-credentials.json",
        "authored/oauth-token-refresh.json",
    ],
)
def test_token_responses_parse(name):
    from msplink.salesforce import Token

    token = Token.from_api(load(name), refresh_token="kept")
    assert token.instance_url == "https://acme-msp.my.salesforce.com"
    assert token.refresh_token == "kept"
    assert "REDACTED" not in repr(token) and "kept" not in repr(token)
    if "issued_at" in load(name):
        assert token.issued_at is not None and token.issued_at.tzinfo is not None


def test_child_subquery_rows_keep_their_children():
    record = load("query-parent-and-child-subquery.restforce.json")["records"][0]
    model = models.SObject.from_api(record)  # a custom object: the generic base model
    assert model["Whizbangs__r"]["records"][0]["Name"] == "Child Whizbang"
    assert model["ParentWhizbang__r.Name"] == "Parent Whizbang"
    assert model.raw is record
