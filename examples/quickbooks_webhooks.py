"""Verify and parse QuickBooks webhook deliveries (``intuit-signature``), both the legacy and CloudEvents formats.

The sandbox stands in for Intuit: it signs a delivery for every change made through the API. With
``MSPLINK_QBO_VERIFIER_TOKEN`` set, a body read from stdin is verified instead.
"""

from __future__ import annotations

import os
import sys

from msplink.quickbooks import QuickBooksClient, WebhookSignatureError
from msplink.quickbooks import models as m
from msplink.quickbooks.webhooks import verify_and_parse
from msplink.sandbox.quickbooks import QuickBooksSandbox


def main() -> None:
    """Make two changes, receive the signed deliveries, verify them and reject a tampered copy."""
    token = os.environ.get("MSPLINK_QBO_VERIFIER_TOKEN")
    if token:
        body = sys.stdin.buffer.read()
        signature = os.environ.get("MSPLINK_QBO_SIGNATURE", "")
        for event in verify_and_parse(body, {"intuit-signature": signature}, token):
            print(event.realm_id, event.entity, event.entity_id, event.operation)
        return
    sandbox = QuickBooksSandbox()
    creds = sandbox.credentials()
    with QuickBooksClient(
        realm_id=creds["realm_id"], auth=creds["access_token"], transport=sandbox.transport()
    ) as qbo:
        customer = qbo.customers.create(m.Customer(display_name="Webhook Example Co"))
        qbo.customers.update(m.Customer(id=customer.id, sync_token=customer.sync_token, notes="CW #4411"))
    delivery = sandbox.webhook_delivery(format="cloudevents")
    if delivery is None:
        raise SystemExit("no delivery")
    body, headers = delivery
    for event in verify_and_parse(body, headers, creds["verifier_token"]):
        print(f"verified: {event.operation} {event.entity} {event.entity_id} (event {event.event_id})")
    try:
        verify_and_parse(body.replace(b"updated", b"deleted"), headers, creds["verifier_token"])
    except WebhookSignatureError:
        print("tampered delivery rejected")


if __name__ == "__main__":
    main()
