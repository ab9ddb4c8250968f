"""Callbacks: signed deliveries from the sandbox, verification, and rejection of bad ones."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from msplink.connectwise import models as m
from msplink.connectwise.webhooks import (
    AsyncCallbackVerifier,
    CallbackVerificationError,
    CallbackVerifier,
    check_key_url,
    parse_delivery,
    sign,
    verify_signature,
)
from msplink.sandbox.connectwise import ConnectWiseSandbox

from . import payloads as p

HOOK = "https://hooks.example.com/cw?recordId="
ALLOWED = {"api-na.myconnectwise.net"}


def _receiver(sandbox: ConnectWiseSandbox) -> list[tuple[bytes, Mapping[str, str]]]:
    received: list[tuple[bytes, Mapping[str, str]]] = []

    def receive(body: bytes, headers: Mapping[str, str]) -> int:
        received.append((body, headers))
        return 200

    sandbox.register_receiver("https://hooks.example.com/", receive)
    return received


def test_signed_deliveries_verify(cw: Any, sandbox: ConnectWiseSandbox) -> None:
    received = _receiver(sandbox)
    cw.callbacks.register(url=HOOK, type="company", self_suppressed=False)
    created = cw.companies.create(m.Company(identifier="HOOK", name="Hooked"))
    cw.companies.update(created.id, m.CompanyUpdate(name="Hooked 2"))
    cw.companies.delete(created.id)
    assert [json.loads(b)["Action"] for b, _ in received] == ["added", "updated", "deleted"]
    assert sandbox.deliveries[0].url == HOOK + str(created.id)
    verifier = CallbackVerifier(allowed_hosts=ALLOWED, transport=sandbox.transport())
    first = verifier.verify(*received[0])
    assert first.action == "added" and first.type == "company" and first.id == created.id
    assert first.entity is not None and first.entity["identifier"] == "HOOK"
    assert first.entity_as(m.Company).name == "Hooked"
    assert verifier.verify(*received[2]).entity is None
    assert sandbox.count("GET", "callbackkey") == 1  # the key is cached


def test_self_suppressed_callbacks_stay_quiet(cw: Any, sandbox: ConnectWiseSandbox) -> None:
    received = _receiver(sandbox)
    cw.callbacks.register(url=HOOK, type="company")
    cw.companies.create(m.Company(identifier="QUIET", name="Quiet"))
    assert received == []


def test_bad_signature_and_key_url_are_rejected(cw: Any, sandbox: ConnectWiseSandbox) -> None:
    received = _receiver(sandbox)
    cw.callbacks.register(url=HOOK, type="contact", self_suppressed=False)
    sandbox.seed(size=1)
    contact = cw.contacts.list().first()
    cw.contacts.update(contact.id, m.ContactUpdate(title="CEO"))
    body, headers = received[-1]
    verifier = CallbackVerifier(allowed_hosts=ALLOWED, transport=sandbox.transport())
    assert verifier.verify(body, headers).id == contact.id
    with pytest.raises(CallbackVerificationError, match="signature"):
        verifier.verify(body, {**headers, "x-content-signature": sign(body, "wrong key")})
    with pytest.raises(CallbackVerificationError, match="signature"):
        verifier.verify(body.replace(b"CEO", b"CFO"), headers)
    with pytest.raises(CallbackVerificationError, match="signature"):
        verifier.verify(body, {})
    strict = CallbackVerifier(allowed_hosts={"api-eu.myconnectwise.net"}, transport=sandbox.transport())
    before = sandbox.count("GET", "callbackkey")
    with pytest.raises(CallbackVerificationError, match="allow-listed"):
        strict.verify(body, headers)
    assert sandbox.count("GET", "callbackkey") == before


def test_async_verifier(cw: Any, sandbox: ConnectWiseSandbox) -> None:
    received = _receiver(sandbox)
    cw.callbacks.register(url=HOOK, type="company", self_suppressed=False)
    cw.companies.create(m.Company(identifier="A1", name="Async"))

    async def run() -> int | None:
        verifier = AsyncCallbackVerifier(allowed_hosts=ALLOWED, transport=sandbox.transport())
        try:
            return (await verifier.verify(*received[0])).id
        finally:
            await verifier.aclose()

    assert asyncio.run(run()) is not None


@pytest.mark.parametrize(
    "url",
    [
        "http://api-na.myconnectwise.net/x",
        "https://user:pw@api-na.myconnectwise.net/x",
        "https://api-na.myconnectwise.net:8443/x",
        "https://evil.example/x",
        "https://api-na.myconnectwise.net.evil.example/x",
        "https://169.254.169.254/latest/meta-data",
        "",
        None,
    ],
)
def test_key_url_guard(url: str | None) -> None:
    with pytest.raises(CallbackVerificationError):
        check_key_url(url, ALLOWED)


def test_key_url_guard_accepts_the_tenant_host() -> None:
    url = "https://api-na.myconnectwise.net/v2025_1//system/callbackkey/index.rails?companyName=a&id=1"
    assert check_key_url(url, ALLOWED) == url


def test_parse_real_delivery() -> None:
    delivery = parse_delivery(json.dumps(p.DELIVERY).encode())
    assert delivery.type == "contact" and delivery.action == "updated" and delivery.id == 4711
    assert delivery.callback_id == 1234
    assert delivery.entity is not None and delivery.entity["firstName"] == "Ann"
    assert delivery.key_url is not None and "callbackkey" in delivery.key_url
    contact = delivery.entity_as(m.Contact)
    assert contact.last_updated is not None


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[1]",
        b'{"Entity": "{not json"}',
        b'{"Entity": "[1]"}',
        b'{"ID": "abc"}',
        b'{"Entity": 5}',
    ],
)
def test_malformed_deliveries(body: bytes) -> None:
    with pytest.raises(CallbackVerificationError):
        parse_delivery(body)


def test_key_fetch_failures_are_rejections() -> None:
    body = json.dumps(
        {**p.DELIVERY, "Metadata": {"key_url": "https://api-na.myconnectwise.net/k?id=1"}}
    ).encode()
    for response in (
        httpx.Response(404),
        httpx.Response(200, json={"nope": 1}),
        httpx.Response(200, content=b"x" * 20000),
    ):
        verifier = CallbackVerifier(
            allowed_hosts=ALLOWED, transport=httpx.MockTransport(lambda r, resp=response: resp)
        )
        with pytest.raises(CallbackVerificationError):
            verifier.verify(body, {"x-content-signature": "x"})


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200), st.text(min_size=1, max_size=40))
def test_signature_property(body: bytes, key: str) -> None:
    signature = sign(body, key)
    assert verify_signature(body, signature, key)
    assert not verify_signature(body + b"x", signature, key)
    assert not verify_signature(body, signature, key + "x")


# ------------------------------------------------------------------ hostile bodies and other companies

DEEP = b'{"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"


@pytest.mark.parametrize(
    "body",
    [
        DEEP,
        b"[" * 100_000,
        json.dumps({**p.DELIVERY, "Entity": "[" * 50_000 + "]" * 50_000}).encode(),
        json.dumps({**p.DELIVERY, "Entity": '{"a": ' + "[" * 50_000 + "]" * 50_000 + "}"}).encode(),
    ],
    ids=["deep-body", "deep-unterminated", "deep-entity-array", "deep-entity-object"],
)
def test_deeply_nested_bodies_are_verification_errors(body: bytes) -> None:
    with pytest.raises(CallbackVerificationError):
        parse_delivery(body)
    verifier = CallbackVerifier(
        allowed_hosts=ALLOWED, transport=httpx.MockTransport(lambda r: httpx.Response(500))
    )
    with pytest.raises(CallbackVerificationError):
        verifier.verify(body, {"x-content-signature": "anything"})


def test_a_deeply_nested_signing_key_answer_is_a_verification_error() -> None:
    body = json.dumps(p.DELIVERY).encode()
    deep = httpx.Response(
        200, content=b'{"signing_key": ' + b"[" * 5_000 + b"]" * 5_000 + b"}"
    )  # under 16 KiB
    verifier = CallbackVerifier(
        allowed_hosts={"sandbox-na.myconnectwise.net"}, transport=httpx.MockTransport(lambda r: deep)
    )
    with pytest.raises(CallbackVerificationError, match="signing_key"):
        verifier.verify(body, {"x-content-signature": "x"})


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_give_a_delivery_or_a_verification_error(body: bytes) -> None:
    try:
        delivery = parse_delivery(body)
    except CallbackVerificationError:
        return
    assert delivery.raw is not None


def test_the_expected_company_is_enforced(cw: Any, sandbox: ConnectWiseSandbox) -> None:
    received = _receiver(sandbox)
    cw.callbacks.register(url=HOOK, type="company", self_suppressed=False)
    cw.companies.create(m.Company(identifier="OURS", name="Ours"))
    body, headers = received[0]
    ours = CallbackVerifier(allowed_hosts=ALLOWED, transport=sandbox.transport(), company_id="MSPLINK")
    assert ours.verify(body, headers).company_id == sandbox.company_id  # case-insensitive
    theirs = CallbackVerifier(allowed_hosts=ALLOWED, transport=sandbox.transport(), company_id="otherco")
    fetched = sandbox.count("GET", "callbackkey")
    with pytest.raises(CallbackVerificationError, match="another company"):
        theirs.verify(body, headers)
    assert sandbox.count("GET", "callbackkey") == fetched  # rejected before any key fetch


def _attacker_delivery(company_in_body: str) -> tuple[bytes, dict[str, str], httpx.MockTransport]:
    """A delivery signed with *another* tenant's genuine key, served from an allow-listed host."""
    evil_key = "evilco-signing-key"
    key_url = (
        "https://api-na.myconnectwise.net/v2025_1//system/callbackkey/index.rails?companyName=evilco&id=k1"
    )
    payload = {**p.DELIVERY, "CompanyId": company_in_body, "Metadata": {"key_url": key_url}}
    body = json.dumps(payload).encode()
    transport = httpx.MockTransport(lambda r: httpx.Response(200, json={"signing_key": evil_key}))
    return body, {"x-content-signature": sign(body, evil_key)}, transport


def test_a_delivery_signed_by_another_company_is_rejected() -> None:
    body, headers, transport = _attacker_delivery("acme")
    assert (
        CallbackVerifier(allowed_hosts=ALLOWED, transport=transport).verify(body, headers).company_id
        == "acme"
    )
    strict = CallbackVerifier(allowed_hosts=ALLOWED, transport=transport, company_id="acme")
    with pytest.raises(CallbackVerificationError, match="companyName"):
        strict.verify(body, headers)
    body, headers, transport = _attacker_delivery("evilco")
    strict = CallbackVerifier(allowed_hosts=ALLOWED, transport=transport, company_id="acme")
    with pytest.raises(CallbackVerificationError, match="CompanyId"):
        strict.verify(body, headers)


def test_the_async_verifier_enforces_the_company_too() -> None:
    body, headers, transport = _attacker_delivery("acme")

    async def run() -> None:
        verifier = AsyncCallbackVerifier(allowed_hosts=ALLOWED, transport=transport, company_id="acme")
        try:
            with pytest.raises(CallbackVerificationError, match="companyName"):
                await verifier.verify(body, headers)
        finally:
            await verifier.aclose()

    asyncio.run(run())


def test_company_id_must_be_a_name() -> None:
    with pytest.raises(CallbackVerificationError):
        CallbackVerifier(company_id="  ")
