"""Webhook deliveries of the QBO sandbox: legacy ``eventNotifications`` and CloudEvents, HMAC-signed (REFERENCE §9)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import random
import threading
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any

from msplink.sandbox._framework import json_dumps
from msplink.sandbox.quickbooks._state import Company

__all__ = ["WebhookMixin"]


class WebhookMixin:
    """Turns the company's change feed into signed webhook deliveries."""

    realm_id: str
    verifier_token: str
    company: Company
    _webhook_cursor: int
    _rng: random.Random
    _lock: threading.RLock
    _wall: Callable[[], datetime]

    @property
    def webhook_events(self) -> list[dict[str, Any]]:
        """Every change so far as ``{"realm_id", "entity", "id", "operation", "at"}``."""
        return [
            {"realm_id": self.realm_id, "entity": c.entity, "id": c.id, "operation": c.operation, "at": c.at}
            for c in self.company.changes
        ]

    def webhook_delivery(self, *, format: str = "cloudevents") -> tuple[bytes, dict[str, str]] | None:
        """Drain pending changes into one signed delivery: ``(body, headers)``; ``None`` when nothing changed.

        Args:
            format: ``cloudevents`` (an array of CloudEvents 1.0) or ``legacy`` (``eventNotifications``).
        """
        with self._lock:
            pending = self.company.changes[self._webhook_cursor :]
            self._webhook_cursor = len(self.company.changes)
        if not pending:
            return None
        if format == "legacy":
            payload: Any = {
                "eventNotifications": [
                    {
                        "realmId": self.realm_id,
                        "dataChangeEvent": {
                            "entities": [
                                {
                                    "name": c.entity,
                                    "id": c.id,
                                    "operation": c.operation,
                                    "lastUpdated": c.at.astimezone(timezone.utc).isoformat(
                                        timespec="milliseconds"
                                    ),
                                }
                                for c in pending
                            ]
                        },
                    }
                ]
            }
        elif format == "cloudevents":
            verbs = {
                "Create": "created",
                "Update": "updated",
                "Delete": "deleted",
                "Void": "voided",
                "Merge": "merged",
            }
            payload = [
                {
                    "specversion": "1.0",
                    "id": str(uuid.UUID(int=self._rng.getrandbits(128))),
                    "source": "intuit.sandbox",
                    "type": f"qbo.{c.entity.lower()}.{verbs.get(c.operation, c.operation.lower())}.v1",
                    "datacontenttype": "application/json",
                    "time": c.at.astimezone(timezone.utc).isoformat(),
                    "intuitentityid": c.id,
                    "intuitaccountid": self.realm_id,
                    "data": {},
                }
                for c in pending
            ]
        else:
            raise ValueError("format must be 'cloudevents' or 'legacy'")
        body = json_dumps(payload)
        signature = base64.b64encode(
            hmac.new(self.verifier_token.encode(), body, hashlib.sha256).digest()
        ).decode()
        headers = {
            "content-type": "application/json; charset=utf-8",
            "intuit-signature": signature,
            "intuit-created-time": self._wall().isoformat(),
            "intuit-t-id": uuid.UUID(int=self._rng.getrandbits(128)).hex,
            "user-agent": "intuit_notification_server/0.1",
        }
        return body, headers

    def deliver_webhooks(
        self, send: Callable[[bytes, Mapping[str, str]], object], *, format: str = "cloudevents"
    ) -> int:
        """Send pending changes as one signed delivery to ``send(body, headers)``; return the event count."""
        delivery = self.webhook_delivery(format=format)
        if delivery is None:
            return 0
        body, headers = delivery
        send(body, headers)
        parsed = json.loads(body)
        if isinstance(parsed, list):
            return len(parsed)
        return sum(len(n["dataChangeEvent"]["entities"]) for n in parsed["eventNotifications"])
