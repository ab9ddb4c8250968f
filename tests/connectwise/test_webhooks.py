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
