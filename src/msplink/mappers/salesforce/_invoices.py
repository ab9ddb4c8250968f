"""Canonical invoices -> the Salesforce invoice custom object (``Invoice__c``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from msplink.mappers._config import MappingConfig
from msplink.mappers._util import fail, total
from msplink.mappers.salesforce._shared import CW_INVOICE_ID_FIELD, config_or_empty, id_out
from msplink.models import (
    CONNECTWISE,
    Invoice,
)

__all__ = [
    "INVOICE_RECORD_FIELDS",
    "invoice_record_from_canonical",
]


INVOICE_RECORD_FIELDS: Final[dict[str, str]] = {
    "number": "Name",
    "account": "Account__c",
    "total": "Amount__c",
    "balance": "Balance__c",
    "currency": "CurrencyIsoCode",
    "issue_date": "Invoice_Date__c",
    "due_date": "Due_Date__c",
    "status": "Status__c",
    "cw_id": CW_INVOICE_ID_FIELD,
}
"""Default field names of the invoice custom object (Salesforce has no standard invoice); override
per org with ``fields=``. A field mapped to an empty string is left out."""


@total("Invoice")
def invoice_record_from_canonical(
    invoice: Invoice, config: MappingConfig | None = None, *, fields: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Build an invoice custom-object record (``PATCH .../sobjects/Invoice__c/CW_Invoice_Id__c/{id}``).

    Use case 14: amount, balance, due date and status of CW invoices visible in Salesforce. Returns
    a plain record for ``client.sobject("Invoice__c")``; amounts are Decimals rounded to the
    currency's minor units, dates ISO strings; ``CurrencyIsoCode`` is only sent when it differs
    from the default currency.

    Args:
        invoice: The canonical record.
        config: Lookup tables (default: an empty ``MappingConfig``).
        fields: Field-name overrides for the org's invoice object.

    Raises:
        MappingError: The invoice's customer has no Salesforce Account ref.
    """
    cfg = config_or_empty(config)
    names = {**INVOICE_RECORD_FIELDS, **(fields or {})}
    values: dict[str, Any] = {
        "number": invoice.number,
        "account": id_out(invoice.customer, "Account", "Invoice.Account__c", required=True),
        "total": invoice.total.quantize().amount if invoice.total is not None else None,
        "balance": invoice.balance.quantize().amount if invoice.balance is not None else None,
        "currency": invoice.currency if invoice.currency != cfg.default_currency else None,
        "issue_date": invoice.issue_date.isoformat() if invoice.issue_date else None,
        "due_date": invoice.due_date.isoformat() if invoice.due_date else None,
        "status": invoice.status.value if invoice.status is not None else None,
        "cw_id": invoice.id_for(CONNECTWISE, "invoice"),
    }
    unknown = set(names) - set(values)
    if unknown:
        fail("Invoice.fields", f"unknown invoice record fields {sorted(unknown)}")
    return {names[k]: v for k, v in values.items() if v is not None and names[k]}
