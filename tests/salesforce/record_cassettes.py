"""Assemble ``cassettes/test_vcr_replay/*.yaml`` from the real sample bodies (run by hand, never in CI).

    python -m tests.salesforce.record_cassettes

Each scenario of ``test_vcr_replay`` runs against an ``httpx.MockTransport`` that answers with the
sample bodies in ``shared/apis/salesforce/samples``; vcrpy records the exchanges (scrubbed by
``msplink.testing.vcr_config``), so the replayed suite exercises the client on real payloads.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import httpx
import vcr

from msplink.salesforce import SalesforceClient
from msplink.testing import vcr_config

from . import test_vcr_replay as suite

SAMPLES = Path("/work/shared/apis/salesforce/samples")
OUT = Path(__file__).parent / "cassettes" / "test_vcr_replay"
LIMIT_INFO = {"Sforce-Limit-Info": "api-usage=45/15000"}
Route = tuple[int, bytes, dict[str, str]]


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def json_reply(status: int, name: str) -> Route:
    return status, sample(name), {"Content-Type": "application/json;charset=UTF-8", **LIMIT_INFO}


def csv_reply(text: str) -> Route:
    return 200, text.encode(), {"Content-Type": "text/csv", **LIMIT_INFO}


def transport(routes: dict[tuple[str, str], list[Route]]) -> httpx.MockTransport:
    served: dict[tuple[str, str], int] = defaultdict(int)

    def handler(request: httpx.Request) -> httpx.Response:
        key = (request.method, request.url.path)
        replies = routes[key]
        status, body, headers = replies[min(served[key], len(replies) - 1)]
        served[key] += 1
        return httpx.Response(status, content=body, headers=headers)

    return httpx.MockTransport(handler)


V = "/services/data/v62.0"
A = "authored/"
SCENARIOS: dict[
    str,
    tuple[
        Callable[..., SalesforceClient],
        Callable[[SalesforceClient], None],
        dict[tuple[str, str], list[Route]],
    ],
] = {
    "test_token_and_pagination": (
        suite.client_credentials_client,
        suite.scenario_token_and_pagination,
        {
            ("POST", "/services/oauth2/token"): [json_reply(200, A + "oauth-token-client-credentials.json")],
            ("GET", f"{V}/query"): [
                json_reply(200, "query-page1-nextRecordsUrl.truncated.json"),
                json_reply(200, "query-accounts-limit5.json"),
            ],
            ("GET", "/services/data/v59.0/query/0r8xx5R2yF2gs3VASQ-2000"): [
                json_reply(200, "query-page2-last.truncated.json")
            ],
        },
    ),
    "test_expired_session": (
        suite.client_credentials_client,
        suite.scenario_expired_session,
        {
            ("POST", "/services/oauth2/token"): [json_reply(200, A + "oauth-token-client-credentials.json")],
            ("GET", f"{V}/limits"): [
                json_reply(401, A + "error-INVALID_SESSION_ID-401.json"),
                json_reply(200, "limits-developer-edition.camel.json"),
            ],
        },
    ),
    "test_real_error_bodies": (
        suite.token_client,
        suite.scenario_real_error_bodies,
        {
            ("PATCH", f"{V}/sobjects/Account/CW_Company_Id__c/19342"): [
                json_reply(300, A + "upsert-300-multiple-choices.json")
            ],
            ("PATCH", f"{V}/sobjects/Account/Namez/x"): [
                json_reply(404, "error-upsert-NOT_FOUND-bad-extid-field.restforce.json")
            ],
            ("POST", f"{V}/sobjects/Account"): [json_reply(400, A + "error-DUPLICATES_DETECTED-400.json")],
            ("GET", f"{V}/query"): [
                json_reply(400, A + "error-MALFORMED_QUERY-400.json"),
                json_reply(403, A + "error-REQUEST_LIMIT_EXCEEDED-daily-403.json"),
            ],
            ("GET", f"{V}/sobjects/Nope__c/describe"): [
                json_reply(404, "error-describe-NOT_FOUND.restforce.json")
            ],
        },
    ),
    "test_collections_and_composite": (
        suite.token_client,
        suite.scenario_collections_and_composite,
        {
            ("POST", f"{V}/composite/sobjects"): [
                json_reply(200, A + "collections-create-mixed-results.json")
            ],
            ("PATCH", f"{V}/composite/sobjects/Account/CW_Company_Id__c"): [
                json_reply(200, A + "collections-upsert-by-external-id-results.json")
            ],
            ("POST", f"{V}/composite/sobjects/Account"): [
                json_reply(200, A + "collections-retrieve-by-ids.json")
            ],
            ("POST", f"{V}/composite"): [json_reply(200, "composite-response-success.camel.json")],
        },
    ),
    "test_bulk_ingest": (
        suite.token_client,
        suite.scenario_bulk_ingest,
        {
            ("POST", f"{V}/jobs/ingest"): [json_reply(200, "bulk2-ingest-create-job.restforce.json")],
            ("PUT", f"{V}/jobs/ingest/0123456789ABC/batches"): [(201, b"", LIMIT_INFO)],
            ("PATCH", f"{V}/jobs/ingest/0123456789ABC"): [
                json_reply(200, "bulk2-ingest-upload-complete.restforce.json")
            ],
            ("GET", f"{V}/jobs/ingest/0123456789ABC"): [
                json_reply(200, "bulk2-ingest-job-status.restforce.json")
            ],
            ("GET", f"{V}/jobs/ingest/0123456789ABC/successfulResults"): [
                csv_reply(json.loads(sample("bulk2-ingest-successfulResults.restforce.json")))
            ],
            ("GET", f"{V}/jobs/ingest/0123456789ABC/failedResults"): [
                csv_reply(json.loads(sample("bulk2-ingest-failedResults.restforce.json")))
            ],
            ("GET", f"{V}/jobs/ingest/0123456789ABC/unprocessedrecords"): [csv_reply("Name\n")],
        },
    ),
}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, (factory, scenario, routes) in SCENARIOS.items():
        path = OUT / f"{name}.yaml"
        path.unlink(missing_ok=True)
        options = {**vcr_config(), "record_mode": "all"}
        with (
            vcr.use_cassette(str(path), **options),
            factory(transport=transport(routes), sleep=lambda s: None) as client,
        ):
            scenario(client)
        print(f"wrote {path}")  # noqa: T201


if __name__ == "__main__":
    main()
