"""QBO webhooks: verify ``intuit-signature`` and parse both delivery formats.

The signature is ``base64(HMAC-SHA256(key=verifier_token, msg=raw body))``; verify it on the raw bytes
before parsing (constant-time comparison). Deliveries come as the legacy ``{"eventNotifications": ...}``
object or as a CloudEvents 1.0 array (``[{"specversion": "1.0", "type": "qbo.customer.created.v1" ...}]``);
:func:`parse_events` detects the shape and returns the same :class:`WebhookEvent` values for both.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

import attrs

from msplink._core import loads_json, parse_datetime
from msplink.errors import WebhookVerificationError

__all__ = [
    "SIGNATURE_HEADER",
    "WebhookEvent",
    "WebhookPayloadError",
    "WebhookSignatureError",
    "parse_events",
    "sign",
    "verify_and_parse",
    "verify_signature",
]

SIGNATURE_HEADER = "intuit-signature"

_OPERATIONS = {
    "create": "Create",
    "created": "Create",
    "update": "Update",
    "updated": "Update",
    "delete": "Delete",
    "deleted": "Delete",
    "merge": "Merge",
    "merged": "Merge",
    "void": "Void",
    "voided": "Void",
    "emailed": "Emailed",
}


class WebhookSignatureError(WebhookVerificationError, ValueError):
    """The ``intuit-signature`` header is missing or does not match the body."""


class WebhookPayloadError(WebhookVerificationError, ValueError):
    """The body is not a QBO webhook delivery (not JSON, nested too deeply, or neither format)."""


@attrs.frozen(kw_only=True)
class WebhookEvent:
    """One entity change announced by a webhook (ids only: re-read the entity or run CDC).

    Attributes:
        realm_id: The company (``realmId`` / ``intuitaccountid``).
        entity: The entity name, as QBO spells it in the legacy format (``Customer``).
        entity_id: The entity id.
        operation: ``Create``, ``Update``, ``Delete``, ``Merge``, ``Void`` or ``Emailed``.
        occurred_at: When it happened (aware), when given.
        event_id: The CloudEvents ``id`` (dedupe key), ``None`` for legacy events.
        deleted_id: The id merged away (Merge only).
        raw: The event as delivered.
    """

    realm_id: str
    entity: str
    entity_id: str
    operation: str
    occurred_at: datetime | None = None
    event_id: str | None = None
    deleted_id: str | None = None
    raw: Mapping[str, Any] = attrs.field(factory=dict, eq=False, repr=False)


def sign(body: bytes, verifier_token: str) -> str:
    """The ``intuit-signature`` value of a body (what Intuit sends; used by the sandbox and tests)."""
    digest = hmac.new(verifier_token.encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def verify_signature(body: bytes, signature: str | None, verifier_token: str) -> bool:
    """Check ``intuit-signature`` against the raw body, in constant time."""
    if not signature or not verifier_token:
        return False
    expected = sign(body, verifier_token)
    return hmac.compare_digest(expected.encode("ascii"), signature.strip().encode("ascii", errors="replace"))


def _when(value: object) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return datetime.fromtimestamp(float(value) / 1000, tz=timezone.utc)
    try:
        return parse_datetime(value)
    except ValueError:
        return None


def _entity_name(lower: str) -> str:
    from msplink.quickbooks.models import ENTITIES  # the canonical spellings

    for cls in ENTITIES:
        if cls.entity_name.lower() == lower:
            return cls.entity_name
    return lower[:1].upper() + lower[1:]


def _cloud_event(event: Mapping[str, Any]) -> WebhookEvent:
    kind = str(event.get("type", ""))
    parts = kind.split(".")
    if len(parts) < 3 or parts[0] != "qbo":
        raise WebhookPayloadError(f"unknown CloudEvents type {kind!r}")
    data = event.get("data") or {}
    deleted = (data.get("deletedid") or data.get("deletedId")) if isinstance(data, Mapping) else None
    return WebhookEvent(
        realm_id=str(event.get("intuitaccountid", "")),
        entity=_entity_name(parts[1]),
        entity_id=str(event.get("intuitentityid", "")),
        operation=_OPERATIONS.get(parts[2].lower(), parts[2]),
        occurred_at=_when(event.get("time")),
        event_id=str(event["id"]) if event.get("id") is not None else None,
        deleted_id=str(deleted) if deleted else None,
        raw=dict(event),
    )


def parse_events(body: bytes | str | Any) -> list[WebhookEvent]:
    """Parse a delivery (legacy ``eventNotifications`` or a CloudEvents array) into events.

    Raises:
        WebhookPayloadError: The body is neither format (a ``ValueError`` too).
    """
    try:
        data = loads_json(body) if isinstance(body, (bytes, str)) else body
        return _parse(data)
    except WebhookPayloadError:
        raise
    except (AttributeError, TypeError, KeyError, ValueError) as exc:
        raise WebhookPayloadError(f"malformed QBO webhook delivery ({type(exc).__name__})") from None


def _parse(data: Any) -> list[WebhookEvent]:
    if isinstance(data, Mapping) and data.get("specversion"):
        data = [data]
    if isinstance(data, list):
        return [_cloud_event(event) for event in data if isinstance(event, Mapping)]
    if isinstance(data, Mapping) and "eventNotifications" in data:
        events: list[WebhookEvent] = []
        for notification in data.get("eventNotifications") or []:
            realm = str(notification.get("realmId", ""))
            change = notification.get("dataChangeEvent") or {}
            for entity in change.get("entities") or []:
                operation = str(entity.get("operation", ""))
                events.append(
                    WebhookEvent(
                        realm_id=realm,
                        entity=str(entity.get("name", "")),
                        entity_id=str(entity.get("id", "")),
                        operation=_OPERATIONS.get(operation.lower(), operation),
                        occurred_at=_when(entity.get("lastUpdated")),
                        deleted_id=str(entity["deletedID"]) if entity.get("deletedID") else None,
                        raw=dict(entity),
                    )
                )
        return events
    raise WebhookPayloadError("not a QBO webhook delivery (neither eventNotifications nor CloudEvents)")


def verify_and_parse(body: bytes, headers: Mapping[str, str], verifier_token: str) -> list[WebhookEvent]:
    """Verify the signature of a delivery, then parse it.

    Args:
        body: The raw request body, exactly as received.
        headers: The request headers (any casing).
        verifier_token: The app's webhook verifier token.

    Raises:
        WebhookSignatureError: The signature is missing or wrong (the body was tampered with).
        WebhookPayloadError: The verified body is not a QBO delivery (a ``ValueError`` too).
    """
    signature = next((v for k, v in headers.items() if k.lower() == SIGNATURE_HEADER), None)
    if not verify_signature(body, signature, verifier_token):
        raise WebhookSignatureError("intuit-signature does not match the body")
    return parse_events(body)
