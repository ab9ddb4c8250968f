"""sObject Collections writes five to a ``POST /composite`` call (REFERENCE §9: up to five of a
composite's 25 subrequests may be collections, and the composite counts as one API call).

The client packs the 200-record chunks of ``create_many`` / ``update_many`` / ``upsert_many`` /
``save_many`` five to a call; a call of one chunk stays the plain collection call. Each chunk keeps
its own outcome: a part refused whole fails only its records, row locks are resent per chunk.
"""

from __future__ import annotations

import json
import random
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from msplink.errors import BadRequestError, ConfigurationError
from msplink.salesforce import SalesforceClient
from msplink.salesforce import _calls as calls
from msplink.salesforce.models import CompositeSubrequest
from msplink.sandbox.salesforce import SalesforceSandbox
from tests.salesforce.conftest import make_auth


def _accounts(n: int, prefix: str, *, key: bool = False) -> list[dict[str, Any]]:
    return [
        {"Name": f"{prefix} {i:04d}", **({"CW_Company_Id__c": f"{prefix}-{i}"} if key else {})}
        for i in range(n)
    ]


def _names(sandbox: SalesforceSandbox, ids: list[str | None]) -> list[Any]:
    out = []
    for record_id in ids:
        found = sandbox.org.find(record_id or "")
        out.append(found[1]["Name"] if found else None)
    return out


def _calls_made(sandbox: SalesforceSandbox, before: int) -> list[tuple[str, str]]:
    return [
        (r.method, r.path.split("/v62.0")[-1]) for r in sandbox.requests[before:] if "/composite" in r.path
    ]


def test_creates_and_updates_of_one_save_share_composite_calls(sandbox: SalesforceSandbox) -> None:
    with SalesforceClient(auth=make_auth(sandbox), transport=sandbox.transport()) as client:
        made = client.accounts.create_many(_accounts(450, "Old"))
        before = len(sandbox.requests)
        created, updated = client.accounts.save_many(
            creates=_accounts(500, "New", key=True),
            updates=[{"Id": r.id, "Name": f"Renamed {n:04d}"} for n, r in enumerate(made)],
            external_id_field="CW_Company_Id__c",
        )
    # 500 upserts (3 chunks) and 450 updates (3 chunks): six chunks, five to the first call
    assert _calls_made(sandbox, before) == [("POST", "/composite"), ("PATCH", "/composite/sobjects")]
    assert all(r.success and r.created for r in created) and all(r.success for r in updated)
    assert _names(sandbox, [r.id for r in created]) == [f"New {i:04d}" for i in range(500)]
    assert _names(sandbox, [r.id for r in updated]) == [f"Renamed {i:04d}" for i in range(450)]
    assert [r.id for r in updated] == [r.id for r in made]


def test_one_chunk_is_the_plain_collection_call(sandbox: SalesforceSandbox) -> None:
    with SalesforceClient(auth=make_auth(sandbox), transport=sandbox.transport()) as client:
        before = len(sandbox.requests)
        client.accounts.create_many(_accounts(200, "Plain"))
        client.accounts.save_many(creates=_accounts(3, "Up", key=True), external_id_field="CW_Company_Id__c")
        assert client.accounts.save_many() == ([], [])
    assert _calls_made(sandbox, before) == [
        ("POST", "/composite/sobjects"),
        ("PATCH", "/composite/sobjects/Account/CW_Company_Id__c"),
    ]


def test_row_locks_inside_a_composite_are_resent_per_chunk(sandbox: SalesforceSandbox) -> None:
    sandbox.inject_error("UNABLE_TO_LOCK_ROW", times=3, per_record=True)
    with SalesforceClient(
        auth=make_auth(sandbox), transport=sandbox.transport(), sleep=lambda _s: None
    ) as client:
        before = len(sandbox.requests)
        results = client.accounts.create_many(_accounts(450, "Lock"))
    assert all(r.success for r in results)
    # the composite, then the first chunk's three locked records alone
    assert _calls_made(sandbox, before) == [("POST", "/composite"), ("POST", "/composite/sobjects")]
    assert _names(sandbox, [r.id for r in results]) == [f"Lock {i:04d}" for i in range(450)]
    assert len(sandbox.records("Account")) == 450 + 10  # the seeded ten, none twice


def test_a_part_refused_whole_fails_only_its_records() -> None:
    parts = [
        calls.collection_create("62.0", _accounts(2, "A"), "Account", False),
        calls.collection_update("62.0", [{"Id": "001x", "Name": "B"}], "Account", False),
    ]
    call = calls.collections_in_composite("62.0", parts)
    answer = {
        "compositeResponse": [
            {
                "referenceId": "part1",
                "httpStatusCode": 400,
                "httpHeaders": {},
                "body": [{"errorCode": "JSON_PARSER_ERROR", "message": "bad body"}],
            },
            {
                "referenceId": "part0",
                "httpStatusCode": 200,
                "httpHeaders": {},
                "body": [
                    {"id": "001a", "success": True, "errors": []},
                    {"id": "001b", "success": True, "errors": []},
                ],
            },
        ]
    }
    request = httpx.Request("POST", "https://x.my.salesforce.com" + call.path)
    first, second = call.parse(httpx.Response(200, json=answer, request=request))
    assert [r.id for r in first] == ["001a", "001b"] and all(r.success for r in first)
    assert [(r.success, r.codes) for r in second] == [(False, ("JSON_PARSER_ERROR",))]
    assert not call.idempotent  # a create inside: a lost answer is settled, never resent blind
    updates_only = calls.collections_in_composite("62.0", parts[1:])
    assert updates_only.idempotent


def test_a_composite_takes_one_to_five_collection_writes() -> None:
    part = calls.collection_create("62.0", _accounts(1, "X"), "Account", False)
    with pytest.raises(ConfigurationError):
        calls.collections_in_composite("62.0", [])
    with pytest.raises(ConfigurationError):
        calls.collections_in_composite("62.0", [part] * 6)
    with pytest.raises(ConfigurationError):  # ids in the URL: deletes stay plain calls
        calls.collections_in_composite("62.0", [calls.collection_delete("62.0", ["001a"], False)])


def test_the_sandbox_refuses_a_sixth_collection_subrequest(sandbox: SalesforceSandbox) -> None:
    def sub(n: int) -> CompositeSubrequest:
        records = [{"attributes": {"type": "Account"}, "Name": "Six"}]
        return CompositeSubrequest(
            method="POST",
            url="composite/sobjects",
            reference_id=f"r{n}",
            body={"allOrNone": False, "records": records},
        )

    with SalesforceClient(auth=make_auth(sandbox), transport=sandbox.transport()) as client:
        with pytest.raises(BadRequestError) as info:
            client.composite.execute([sub(n) for n in range(6)])
        five = client.composite.execute([sub(n) for n in range(5)])
    assert info.value.codes == ("LIMIT_EXCEEDED",)
    assert [a.status for a in five] == [200] * 5
    assert sum(1 for r in sandbox.records("Account") if r["Name"] == "Six") == 5


@settings(max_examples=60, deadline=None)
@given(sizes=st.lists(st.integers(1, 200), min_size=1, max_size=5), seed=st.integers(0, 2**16))
def test_answers_map_back_to_their_parts_in_any_order(sizes: list[int], seed: int) -> None:
    parts = [
        calls.collection_create("62.0", _accounts(n, f"P{k}"), "Account", False) for k, n in enumerate(sizes)
    ]
    call = calls.collections_in_composite("62.0", parts)
    sent = json.loads(json.dumps(call.json))
    assert [len(s["body"]["records"]) for s in sent["compositeRequest"]] == sizes
    answers = [
        {
            "referenceId": s["referenceId"],
            "httpStatusCode": 200,
            "httpHeaders": {},
            "body": [{"id": f"{s['referenceId']}-{i}", "success": True, "errors": []} for i in range(n)],
        }
        for s, n in zip(sent["compositeRequest"], sizes, strict=True)
    ]
    random.Random(seed).shuffle(answers)
    request = httpx.Request("POST", "https://x.my.salesforce.com" + call.path)
    parsed = call.parse(httpx.Response(200, json={"compositeResponse": answers}, request=request))
    assert [[r.id for r in results] for results in parsed] == [
        [f"part{k}-{i}" for i in range(n)] for k, n in enumerate(sizes)
    ]


@settings(max_examples=12, deadline=None)
@given(creates=st.integers(0, 1300), updates=st.integers(0, 700))
def test_a_save_makes_one_call_per_five_chunks_and_keeps_every_record_in_order(
    creates: int, updates: int
) -> None:
    sandbox = SalesforceSandbox()
    with SalesforceClient(auth=make_auth(sandbox), transport=sandbox.transport()) as client:
        existing = [sandbox.insert("Account", {"Name": f"Old {i:04d}"}) for i in range(updates)]
        before = len(sandbox.requests)
        created, updated = client.accounts.save_many(
            creates=_accounts(creates, "New"),
            updates=[{"Id": record_id, "Name": f"Renamed {n:04d}"} for n, record_id in enumerate(existing)],
            bulk_threshold=10_000,
        )
    chunks = -(-creates // 200) + -(-updates // 200)
    assert len(_calls_made(sandbox, before)) == -(-chunks // 5)
    assert _names(sandbox, [r.id for r in created]) == [f"New {i:04d}" for i in range(creates)]
    assert _names(sandbox, [r.id for r in updated]) == [f"Renamed {i:04d}" for i in range(updates)]
