# mypy: disable-error-code="union-attr,index"
"""Webhook signatures and both delivery formats; every QBO error body shape."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from msplink._core import RetryPolicy
from msplink.errors import (
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ReauthorizationRequiredError,
    ServerError,
)
from msplink.quickbooks import QuickBooksClient, StaleObjectError, WebhookSignatureError
from msplink.quickbooks import models as m
from msplink.quickbooks._errors import parse_errors
from msplink.quickbooks.webhooks import parse_events, sign, verify_and_parse, verify_signature
from msplink.testing import MockRouter
from tests.quickbooks.conftest import SAMPLES

TOKEN = "verifier-token-123"


def test_legacy_sample_parses():
    events = parse_events((SAMPLES / "webhook-legacy-eventnotifications.json").read_bytes())
    assert [(e.realm_id, e.entity, e.entity_id, e.operation) for e in events] == [
        ("1185883450", "Customer", "1", "Create"),
        ("1185883450", "Vendor", "1", "Create"),
    ]
    assert events[0].occurred_at.utcoffset().total_seconds() == -7 * 3600


def test_cloudevents_sample_parses():
    events = parse_events((SAMPLES / "webhook-cloudevents.json").read_bytes())
    assert len(events) == 1
    event = events[0]
    assert (event.realm_id, event.entity, event.entity_id, event.operation) == (
        "310687",
        "Customer",
        "1234",
        "Create",
    )
    assert event.event_id == "88cd52aa-33b6-4351-9aa4-47572edbd068"
    assert event.occurred_at == datetime(2025, 9, 10, 21, 31, 25, 179000, tzinfo=timezone.utc)


def test_cloudevents_variants():
    body = json.dumps(
        [
            {
                "specversion": "1.0",
                "id": "1",
                "type": "qbo.invoice.void.v1",
                "intuitentityid": "7",
                "intuitaccountid": "9",
            },
            {
                "specversion": "1.0",
                "id": "2",
                "type": "qbo.customer.merged.v1",
                "intuitentityid": "27",
                "intuitaccountid": "8",
                "data": {"deletedid": "28"},
            },
            {
                "specversion": "1.0",
                "id": "3",
                "type": "qbo.timeactivity.updated.v1",
                "intuitentityid": "3",
                "intuitaccountid": "9",
            },
        ]
    )
    events = parse_events(body)
    assert [(e.entity, e.operation, e.realm_id) for e in events] == [
        ("Invoice", "Void", "9"),
        ("Customer", "Merge", "8"),
        ("TimeActivity", "Update", "9"),
    ]
    assert events[1].deleted_id == "28"
    with pytest.raises(ValueError):
        parse_events(b'{"unexpected": true}')


def test_signature_verification_and_tampering():
    body = (SAMPLES / "webhook-cloudevents.json").read_bytes()
    headers = {"Intuit-Signature": sign(body, TOKEN)}
    assert len(verify_and_parse(body, headers, TOKEN)) == 1
    tampered = body.replace(b"1234", b"1235")
    with pytest.raises(WebhookSignatureError):
        verify_and_parse(tampered, headers, TOKEN)
    with pytest.raises(WebhookSignatureError):
        verify_and_parse(body, {}, TOKEN)
    with pytest.raises(WebhookSignatureError):
        verify_and_parse(body, headers, "other-token")
    assert not verify_signature(body, "not base64 ☃", TOKEN)


@settings(max_examples=200, deadline=None)
@given(body=st.binary(max_size=200), flip=st.integers(min_value=0, max_value=199))
def test_any_change_to_the_body_breaks_the_signature(body, flip):
    signature = sign(body, TOKEN)
    assert verify_signature(body, signature, TOKEN)
    if body:
        index = flip % len(body)
        changed = body[:index] + bytes([body[index] ^ 0x01]) + body[index + 1 :]
        assert not verify_signature(changed, signature, TOKEN)


@pytest.mark.parametrize("fmt", ["cloudevents", "legacy"])
def test_sandbox_deliveries_are_signed(qbo, sandbox, fmt):
    customer = qbo.customers.create(m.Customer(display_name="Webhook Co"))
    qbo.customers.update(m.Customer(id=customer.id, sync_token="0", notes="n"))
    received: list[tuple[bytes, dict[str, str]]] = []
    assert (
        sandbox.deliver_webhooks(lambda body, headers: received.append((body, dict(headers))), format=fmt)
        == 2
    )
    body, headers = received[0]
    events = verify_and_parse(body, headers, sandbox.verifier_token)
    assert [(e.entity, e.entity_id, e.operation) for e in events] == [
        ("Customer", customer.id, "Create"),
        ("Customer", customer.id, "Update"),
    ]
    assert all(e.realm_id == sandbox.realm_id for e in events)
    assert sandbox.webhook_delivery(format=fmt) is None


def _response(status: int, body: bytes | str, content_type: str = "application/json") -> httpx.Response:
    return httpx.Response(
        status,
        content=body.encode() if isinstance(body, str) else body,
        headers={"Content-Type": content_type},
    )


def test_parse_errors_every_shape():
    lower = _response(
        401,
        json.dumps(
            {
                "fault": {
                    "error": [
                        {
                            "message": "AuthenticationFailed",
                            "detail": "Token expired",
                            "code": "003200",
                            "element": None,
                        }
                    ],
                    "type": "AUTHENTICATION",
                }
            }
        ),
    )
    assert [(d.code, d.detail) for d in parse_errors(lower)] == [("3200", "Token expired")]
    xml = _response(
        429,
        '<IntuitResponse><Fault type="SERVICE"><Error code="3001"><Message>ThrottleExceeded</Message>'
        "<Detail>The request limit was reached.</Detail></Error></Fault></IntuitResponse>",
        "application/xml",
    )
    assert [(d.code, d.message) for d in parse_errors(xml)] == [("3001", "ThrottleExceeded")]
    two = _response(
        400,
        json.dumps(
            {
                "Fault": {
                    "Error": [
                        {"Message": "a", "code": "2020", "element": "Line"},
                        {"Message": "b", "code": "6000"},
                    ],
                    "type": "ValidationFault",
                }
            }
        ),
    )
    assert [(d.code, d.element) for d in parse_errors(two)] == [("2020", "Line"), ("6000", None)]
    assert parse_errors(_response(500, "<html>oops")) == ()
    assert parse_errors(_response(502, "")) == ()
    assert [d.message for d in parse_errors(_response(503, "gateway down"))] == ["gateway down"]


@pytest.mark.parametrize(
    ("status", "code", "cls"),
    [
        (400, "5010", StaleObjectError),
        (400, "610", NotFoundError),
        (400, "4000", BadRequestError),
        (401, "3200", AuthenticationError),
        (403, "3100", PermissionDeniedError),
        (429, "3001", RateLimitError),
        (500, "10000", ServerError),
        (200, "5010", StaleObjectError),  # a Fault inside HTTP 200
    ],
)
def test_faults_are_classified_by_meaning(status, code, cls):
    router = MockRouter()
    body = {
        "Fault": {
            "Error": [{"Message": "m", "Detail": "d", "code": code, "element": ""}],
            "type": "ValidationFault",
        }
    }
    router.get("/v3/company/123/customer/1", status=status, json=body, headers={"intuit_tid": "tid-1"})
    # The access token is a distinctive value, so that hints mentioning "token" cannot mask a leak.
    client = QuickBooksClient(
        realm_id="123", auth="acc-tok-7f3e9", transport=router.transport(), retry=RetryPolicy.none()
    )
    with pytest.raises(cls) as info:
        client.customers.get("1")
    assert info.value.status_code == status and info.value.codes == (code,)
    assert info.value.request_id == "tid-1"
    assert info.value.path == "/v3/company/{realm}/customer/{id}"
    assert "acc-tok-7f3e9" not in str(info.value)


def test_invalid_grant_is_reauthorization(tmp_path):
    from msplink.quickbooks import MemoryTokenStore, OAuthToken, QuickBooksOAuth2

    router = MockRouter()
    router.post(
        "/oauth2/v1/tokens/bearer",
        status=400,
        json={"error": "invalid_grant", "error_description": "Token expired"},
    )
    store = MemoryTokenStore(
        OAuthToken(access_token="a", refresh_token="r", expires_at=datetime(2000, 1, 1, tzinfo=timezone.utc))
    )
    auth = QuickBooksOAuth2(client_id="c", client_secret="s", store=store, transport=router.transport())
    with pytest.raises(ReauthorizationRequiredError) as info:
        auth.refresh()
    assert info.value.status_code == 400 and str(info.value) != "s"


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_throttled_batch_items_are_resent_alone(flavour):
    import asyncio

    from msplink.quickbooks import AsyncQuickBooksClient, BatchOperation
    from msplink.testing import FakeClock

    sent: list[list[str]] = []

    def respond(request: httpx.Request) -> httpx.Response:
        items = json.loads(request.content)["BatchItemRequest"]
        sent.append([next(iter(i["Customer"].values())) for i in items])
        answers = []
        for item in items:
            name = item["Customer"]["DisplayName"]
            if name == "B" and len(sent) == 1:
                answers.append(
                    {
                        "bId": item["bId"],
                        "Fault": {
                            "type": "SERVICE",
                            "Error": [
                                {
                                    "Message": "ThrottleExceeded",
                                    "code": "3001",
                                    "Detail": "The request limit was reached.",
                                }
                            ],
                        },
                    }
                )
            else:
                answers.append(
                    {"bId": item["bId"], "Customer": {"Id": name, "SyncToken": "0", "DisplayName": name}}
                )
        return httpx.Response(200, json={"BatchItemResponse": answers})

    router = MockRouter()
    router.post("/v3/company/123/batch", respond)
    clock = FakeClock()
    ops = [BatchOperation.create(m.Customer(display_name=n)) for n in ("A", "B", "C")]
    retry = RetryPolicy(max_attempts=3, initial_delay=2.0, jitter=0.0)
    if flavour == "sync":
        client = QuickBooksClient(
            realm_id="123", auth="t", transport=router.transport(), retry=retry, sleep=clock.sleep
        )
        results = client.batch(ops)
    else:
        aclient = AsyncQuickBooksClient(
            realm_id="123", auth="t", transport=router.transport(), retry=retry, sleep=clock.async_sleep
        )
        results = asyncio.run(aclient.batch(ops))
    assert [r.entity.id for r in results] == ["A", "B", "C"] and all(r.ok for r in results)
    assert sent == [["A", "B", "C"], ["B"]]
    assert clock.sleeps == [2.0]


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"eventNotifications": ' + b"[" * 50_000 + b"]" * 50_000 + b"}",
        b"nope",
    ],
)
def test_a_validly_signed_hostile_body_is_a_typed_payload_error(body: bytes) -> None:
    from msplink.errors import WebhookVerificationError
    from msplink.quickbooks import webhooks as qwh

    with pytest.raises(qwh.WebhookPayloadError) as info:
        qwh.verify_and_parse(body, {"intuit-signature": qwh.sign(body, "token")}, "token")
    assert isinstance(info.value, WebhookVerificationError) and isinstance(info.value, ValueError)
