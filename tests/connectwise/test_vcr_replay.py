"""A vcrpy cassette suite assembled from the real ConnectWise exchanges in REFERENCE.md (replay only)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from msplink._core import RetryPolicy
from msplink.connectwise import ConnectWiseClient
from msplink.connectwise import models as m
from msplink.connectwise.conditions import F
from msplink.errors import AuthenticationError, BadRequestError, ConflictError, NotFoundError, RateLimitError
from msplink.testing import vcr_config as msplink_vcr_config

from . import payloads as p


def _scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    # msplink.testing.scrub_response treats any JSON "code" key as an OAuth code and would erase CW's
    # error codes ("InvalidObject", "ObjectExists"); CW responses carry no secrets, so only headers go.
    headers = response.get("headers", {})
    for name in list(headers):
        if name.lower() in {"set-cookie", "authorization", "clientid"}:
            headers[name] = ["REDACTED"]
    return response


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    return {**msplink_vcr_config(), "before_record_response": _scrub_response, "record_mode": "none"}


def _client(**options: Any) -> ConnectWiseClient:
    return ConnectWiseClient(
        site="na.myconnectwise.net",
        company_id="acme",
        public_key="public",
        private_key="private",
        client_id="client",
        retry=RetryPolicy.none(),
        **options,
    )


@pytest.mark.vcr
def test_discovery_and_contact() -> None:
    with _client() as client:
        contact = client.contacts.get(4711)
        assert client.codebase == "v2020_4/"
    assert contact.first_name == "Ann"
    assert contact.raw == p.CONTACT
    assert contact.custom_fields is not None and contact.custom_fields[2].value == Decimal("12.5")


@pytest.mark.vcr
def test_real_error_bodies() -> None:
    with _client() as client:
        with pytest.raises(BadRequestError) as invalid:
            client.tickets.create(m.Ticket(summary="Printer offline", company=m.Reference(id=99999)))
        assert invalid.value.codes == ("InvalidObject", "NotFound")
        assert invalid.value.errors[1].fields == ("company/id",)
        assert invalid.value.request_id == "0a1b2c3d"
        with pytest.raises(NotFoundError):
            client.tickets.get(404)
        with pytest.raises(BadRequestError) as condition:
            client.tickets.list(where=F("ticket") == 1).to_list()
        assert condition.value.codes == ("ApiFindCondition",)
        with pytest.raises(RateLimitError) as throttled:
            client.request("GET", "/system/info")
        assert throttled.value.retry_after == 30
        assert throttled.value.errors[0].code == "ConnectWiseAPI"


@pytest.mark.vcr
def test_callback_registration() -> None:
    record = m.Callback(
        url="https://hooks.example.com/cw?recordId=",
        object_id=1,
        type="ticket",
        level="owner",
        payload_version="3.0.0",
        is_self_suppressed_flag=False,
        inactive_flag=False,
    )
    with _client() as client:
        created = client.callbacks.create(record)
        assert created.id == 1234 and created.member_id == 17
        with pytest.raises(ConflictError) as dup:
            client.callbacks.create(record)
    assert dup.value.status_code == 400


@pytest.mark.vcr
def test_time_entry_post() -> None:
    with _client() as client:
        entry = client.time_entries.create(m.TimeEntry.from_api(p.TIME_ENTRY_POST))
    assert entry.id == 9001
    assert entry.hourly_rate == Decimal("150.00")


@pytest.mark.vcr
def test_cloud_bad_credentials() -> None:
    with _client(codebase="v4_6_release") as client, pytest.raises(AuthenticationError) as info:
        client.request("GET", "/system/info")
    assert info.value.status_code == 404
