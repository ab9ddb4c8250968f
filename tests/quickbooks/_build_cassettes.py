"""Assemble the replay cassettes from the real exchanges in ../shared/apis/quickbooks/samples.

Run ``python -m tests.quickbooks._build_cassettes`` to rebuild ``tests/quickbooks/cassettes/``. Each
cassette pairs a request (as msplink sends it, with the sample request body where Intuit published one)
with Intuit's sample response, scrubbed like any recorded cassette (no token, fake realm id).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]

from msplink.testing import FAKE_REALM_ID
from tests.quickbooks.conftest import SAMPLES

HOST = "https://quickbooks.api.intuit.com"
BASE = f"{HOST}/v3/company/{FAKE_REALM_ID}"
OUT = Path(__file__).parent / "cassettes" / "test_cassettes_replay"
REQUEST_ID = "cassette00000000000000000000001"


def _text(name: str) -> str:
    return json.dumps(json.loads((SAMPLES / name).read_text(encoding="utf-8")), separators=(",", ":"))


def _interaction(
    method: str, uri: str, response: str, body: str | None = None, content_type: str | None = None
) -> dict[str, Any]:
    headers: dict[str, list[str]] = {"Accept": ["application/json"], "Authorization": ["REDACTED"]}
    if content_type:
        headers["Content-Type"] = [content_type]
    return {
        "request": {"body": body or "", "headers": headers, "method": method, "uri": uri},
        "response": {
            "status": {"code": 200, "message": "OK"},
            "headers": {"Content-Type": ["application/json;charset=UTF-8"], "intuit_tid": ["1-cassette"]},
            "body": {"string": response},
        },
    }


def _write(name: str, interactions: list[dict[str, Any]]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{name}.yaml").write_text(
        yaml.safe_dump({"interactions": interactions, "version": 1}, sort_keys=False)
    )


READS = {
    "account": ("94", "account-read-response.json"),
    "bill": ("25", "bill-read-response.json"),
    "class": ("5000000000000007280", "class-read-response.json"),
    "customer": ("58", "customer-read-response.json"),
    "department": ("2", "department-read-response.json"),
    "employee": ("71", "employee-read-response.json"),
    "estimate": ("177", "estimate-read-response.json"),
    "invoice": ("130", "invoice-read-response.json"),
    "item": ("5", "item-read-response.json"),
    "journalentry": ("227", "journalentry-read-response.json"),
    "payment": ("125", "payment-read-response.json"),
    "purchaseorder": ("257", "purchaseorder-read-response.json"),
    "taxcode": ("2", "taxcode-read-response.json"),
    "taxrate": ("2", "taxrate-read-response.json"),
    "term": ("4", "term-read-response.json"),
    "timeactivity": ("5", "timeactivity-read-response.json"),
    "vendor": ("30", "vendor-read-response.json"),
}

TIME_QUERY = (
    "SELECT * FROM TimeActivity WHERE TxnDate >= '2014-09-01' ORDERBY Id STARTPOSITION 1 MAXRESULTS 1000"
)
CDC_SINCE = "2015-12-23T12:00:00-08:00"


def main() -> None:
    """Write every cassette."""
    _write(
        "test_reads_replay",
        [
            _interaction("GET", f"{BASE}/{seg}/{eid}?minorversion=75", _text(f))
            for seg, (eid, f) in READS.items()
        ]
        + [
            _interaction(
                "GET", f"{BASE}/preferences?minorversion=75", _text("preferences-read-response.json")
            )
        ],
    )
    writes = f"minorversion=75&requestid={REQUEST_ID}"
    _write(
        "test_invoice_lifecycle_replays",
        [
            _interaction(
                "POST",
                f"{BASE}/invoice?{writes}",
                _text("invoice-create-response.json"),
                _text("invoice-create-request.json"),
                "application/json",
            ),
            _interaction(
                "POST",
                f"{BASE}/invoice?{writes}",
                _text("invoice-create-response.json"),
                _text("invoice-sparse-update-request.json"),
                "application/json",
            ),
            _interaction(
                "POST",
                f"{BASE}/invoice?{writes}&operation=void",
                _text("invoice-void-response.json"),
                json.dumps({"Id": "129", "SyncToken": "0"}, separators=(",", ":")),
                "application/json",
            ),
            _interaction(
                "POST",
                f"{BASE}/invoice?{writes}&operation=delete",
                _text("invoice-delete-response.json"),
                json.dumps({"Id": "33", "SyncToken": "3"}, separators=(",", ":")),
                "application/json",
            ),
        ],
    )
    _write(
        "test_query_batch_and_cdc_replay",
        [
            _interaction(
                "POST",
                f"{BASE}/query?minorversion=75",
                _text("timeactivity-query-response.json"),
                TIME_QUERY,
                "application/text",
            ),
            _interaction(
                "POST", f"{BASE}/batch?{writes}", _batch_response(), _batch_request(), "application/json"
            ),
            _interaction(
                "GET",
                f"{BASE}/cdc?minorversion=75&entities=Customer%2CEstimate&changedSince="
                + CDC_SINCE.replace(":", "%3A").replace("+", "%2B"),
                _text("cdc-response.json"),
            ),
        ],
    )
    _write(
        "test_payment_create_replays",
        [
            _interaction(
                "POST",
                f"{BASE}/payment?{writes}",
                _text("payment-read-response.json"),
                _text("payment-create-linked-request.json"),
                "application/json",
            ),
            _interaction(
                "POST",
                f"{BASE}/customer?{writes}",
                _text("customer-read-response.json"),
                _text("customer-create-request.json"),
                "application/json",
            ),
        ],
    )


def _batch_request() -> str:
    data = json.loads((SAMPLES / "batch-request.json").read_text(encoding="utf-8"))
    items = data["BatchItemRequest"]
    out = []
    for index, item in enumerate(items[:2] + items[3:]):
        out.append({**item, "bId": str(index)})
    return json.dumps({"BatchItemRequest": out}, separators=(",", ":"))


def _batch_response() -> str:
    data = json.loads((SAMPLES / "batch-response-with-faults.json").read_text(encoding="utf-8"))
    items = data["BatchItemResponse"]
    kept = [items[0], items[1], items[3]]
    for index, item in enumerate(kept):
        item["bId"] = str(index)
    return json.dumps({"BatchItemResponse": kept, "time": data["time"]}, separators=(",", ":"))


if __name__ == "__main__":
    main()
