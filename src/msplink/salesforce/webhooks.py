"""Salesforce Outbound Messages: parse and check a notification, build the acknowledgement.

A Flow (or legacy workflow rule) can POST a SOAP ``notifications`` message to your HTTPS endpoint
each time a record changes. Salesforce signs nothing: check that the message comes from *your* org
(``OrganizationId``, compared in constant time), optionally the client certificate at your TLS
terminator, and answer with :func:`ack` or Salesforce retries for 24 hours (at-least-once, out of
order, latest field values only; ≤100 notifications per message).

Example:
    >>> message = parse_outbound_message(body, organization_id="00DdM00000vfgTuUAI")
    >>> for note in message.notifications:
    ...     handle(note.sobject_type, note.record_id, note.fields)
    >>> return Response(ack(), media_type=ACK_CONTENT_TYPE)
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Iterable, Mapping
from typing import Final
from xml.etree import ElementTree as ET

import attrs

from msplink.errors import MsplinkError

__all__ = [
    "ACK_CONTENT_TYPE",
    "OutboundMessage",
    "OutboundMessageError",
    "OutboundNotification",
    "ack",
    "parse_outbound_message",
]

ACK_CONTENT_TYPE: Final = "text/xml; charset=utf-8"
_SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
_OUTBOUND = "http://soap.sforce.com/2005/09/outbound"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_MAX_BYTES = 5_000_000


class OutboundMessageError(MsplinkError):
    """The request is not a well-formed outbound message from the expected org."""


@attrs.frozen(kw_only=True)
class OutboundNotification:
    """One changed record.

    Attributes:
        id: The notification id (retries of the same notification carry the same id).
        sobject_type: ``Account``, ``Opportunity`` ...
        record_id: The record's ``Id``.
        fields: The fields the message carries, as text (SOAP gives no JSON types).
    """

    id: str
    sobject_type: str
    record_id: str | None
    fields: Mapping[str, str | None]


@attrs.frozen(kw_only=True)
class OutboundMessage:
    """A parsed ``notifications`` message.

    Attributes:
        organization_id: The sending org (checked against the expected one).
        action_id: The outbound message definition.
        session_id: A session to call back with, when the message definition sends one (never shown).
        enterprise_url: The enterprise SOAP endpoint of the org.
        partner_url: The partner SOAP endpoint of the org.
        notifications: The changed records.
    """

    organization_id: str
    action_id: str | None
    session_id: str | None = attrs.field(repr=False)
    enterprise_url: str | None
    partner_url: str | None
    notifications: tuple[OutboundNotification, ...]


def _text(element: ET.Element | None) -> str | None:
    if element is None or element.get(f"{{{_XSI}}}nil") == "true":
        return None
    return element.text or ""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _same_org(got: str, expected: Iterable[str]) -> bool:
    ok = False
    for candidate in expected:
        # 18-character ids extend the 15-character ones; compare the case-sensitive 15-char core.
        ok |= hmac.compare_digest(got[:15].encode(), candidate[:15].encode()) and len(candidate) in (15, 18)
    return ok


def parse_outbound_message(body: bytes, *, organization_id: str | Iterable[str]) -> OutboundMessage:
    """Parse an outbound message (POST body) and check it comes from an expected org.

    Args:
        body: The raw request body.
        organization_id: The org id(s) (15 or 18 characters) you accept messages from.

    Returns:
        The message with its notifications.

    Raises:
        OutboundMessageError: Not an outbound message, a DOCTYPE/entity declaration (refused), too
            large, or from another org.
    """
    expected = [organization_id] if isinstance(organization_id, str) else list(organization_id)
    if not expected:
        raise OutboundMessageError("organization_id is required")
    if len(body) > _MAX_BYTES:
        raise OutboundMessageError("outbound message too large")
    if re.search(rb"<!\s*(DOCTYPE|ENTITY)", body, re.IGNORECASE):
        raise OutboundMessageError("DOCTYPE and entity declarations are refused")
    try:
        root = ET.fromstring(body)  # noqa: S314 - no DOCTYPE/ENTITY can reach the parser
    except ET.ParseError:
        raise OutboundMessageError("body is not XML") from None
    notes = root.find(f"{{{_SOAP}}}Body/{{{_OUTBOUND}}}notifications")
    if root.tag != f"{{{_SOAP}}}Envelope" or notes is None:
        raise OutboundMessageError("not a SOAP outbound notifications message")
    org = _text(notes.find(f"{{{_OUTBOUND}}}OrganizationId")) or ""
    if not _same_org(org, expected):
        raise OutboundMessageError("message from an unexpected organization")
    notifications: list[OutboundNotification] = []
    for note in notes.findall(f"{{{_OUTBOUND}}}Notification"):
        record = note.find(f"{{{_OUTBOUND}}}sObject")
        if record is None:
            raise OutboundMessageError("notification without sObject")
        kind = record.get(f"{{{_XSI}}}type") or ""
        fields = {_local(child.tag): _text(child) for child in record}
        notifications.append(
            OutboundNotification(
                id=_text(note.find(f"{{{_OUTBOUND}}}Id")) or "",
                sobject_type=kind.split(":", 1)[-1],
                record_id=fields.get("Id"),
                fields=fields,
            )
        )
    return OutboundMessage(
        organization_id=org,
        action_id=_text(notes.find(f"{{{_OUTBOUND}}}ActionId")),
        session_id=_text(notes.find(f"{{{_OUTBOUND}}}SessionId")),
        enterprise_url=_text(notes.find(f"{{{_OUTBOUND}}}EnterpriseUrl")),
        partner_url=_text(notes.find(f"{{{_OUTBOUND}}}PartnerUrl")),
        notifications=tuple(notifications),
    )


def ack(success: bool = True) -> bytes:
    """The SOAP acknowledgement Salesforce waits for (``<Ack>true</Ack>``); ``False`` asks for a retry."""
    value = "true" if success else "false"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<soapenv:Envelope xmlns:soapenv="{_SOAP}"><soapenv:Body>'
        f'<notificationsResponse xmlns="{_OUTBOUND}"><Ack>{value}</Ack></notificationsResponse>'
        "</soapenv:Body></soapenv:Envelope>"
    ).encode()
