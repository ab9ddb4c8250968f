"""QuickBooks Online <-> canonical mappers (pure, total, both directions).

Vendor -> canonical functions are named ``<qbo entity>_to_<canonical>`` (``time_activity_to_time_entry``)
or ``<entity>_to_canonical`` when the names agree; canonical -> QBO functions are
``<entity>_from_canonical`` (``customer_from_canonical``) and return wire models ready for
``to_api()``. Every function takes the :class:`~msplink.mappers.MappingConfig` and raises
:class:`~msplink.errors.MappingError` naming the field path, never anything else.

Money rules: every sales line ``Amount`` is ``round(Qty x UnitPrice, 2)`` with ROUND_HALF_UP
(:func:`~msplink.mappers.line_amount`); when the rounded lines differ from the canonical
subtotal and ``MappingConfig.penny_adjustment_item`` is set, one adjustment line absorbs the
difference (up to ``penny_tolerance``, otherwise ``MappingError``). ``CurrencyRef`` and
``ExchangeRate`` are always carried.

Tax: in ``tax_mode = "us"`` lines carry the pseudo codes ``TAX``/``NON`` (from the line's
``taxable`` flag or the mapped tax code) and a document tax code that maps to a real QBO code id
goes to ``TxnTaxDetail.TxnTaxCodeRef``; in ``"global"`` mode every line carries the mapped code id.
Each ``UNMAPPED_*_FIELDS`` set lists attributes left out (read-only totals, projects, delivery ...).

Deletion stubs (``{"status": "Deleted", "Id": ...}`` from a delete or from CDC) of invoices,
payments, bills and time activities map to tombstones: records with ``deleted=True`` and only their
ref set (the customer/vendor link is empty).
"""

from msplink.mappers.quickbooks._bills import UNMAPPED_BILL_FIELDS, bill_from_canonical, bill_to_vendor_bill
from msplink.mappers.quickbooks._invoices import (
    UNMAPPED_INVOICE_FIELDS,
    invoice_from_canonical,
    invoice_to_invoice,
)
from msplink.mappers.quickbooks._items import UNMAPPED_ITEM_FIELDS, item_from_canonical, item_to_product
from msplink.mappers.quickbooks._lines import UNMAPPED_LINE_DETAIL_FIELDS, UNMAPPED_LINE_FIELDS
from msplink.mappers.quickbooks._parties import (
    UNMAPPED_CUSTOMER_FIELDS,
    UNMAPPED_VENDOR_FIELDS,
    customer_from_canonical,
    customer_to_customer,
    vendor_from_canonical,
    vendor_to_vendor,
)
from msplink.mappers.quickbooks._payments import (
    UNMAPPED_PAYMENT_FIELDS,
    payment_from_canonical,
    payment_to_payment,
)
from msplink.mappers.quickbooks._recurring import (
    INTERVALS,
    UNMAPPED_RECURRING_FIELDS,
    recurring_transaction_from_canonical,
    recurring_transaction_to_agreement,
)
from msplink.mappers.quickbooks._shared import SYSTEM, UNMAPPED_ADDRESS_FIELDS
from msplink.mappers.quickbooks._table import MAPPERS
from msplink.mappers.quickbooks._time import (
    UNMAPPED_TIME_ACTIVITY_FIELDS,
    journal_entry_from_canonical,
    time_activity_from_canonical,
    time_activity_to_time_entry,
)

__all__ = [
    "INTERVALS",
    "MAPPERS",
    "SYSTEM",
    "UNMAPPED_ADDRESS_FIELDS",
    "UNMAPPED_BILL_FIELDS",
    "UNMAPPED_CUSTOMER_FIELDS",
    "UNMAPPED_INVOICE_FIELDS",
    "UNMAPPED_ITEM_FIELDS",
    "UNMAPPED_LINE_DETAIL_FIELDS",
    "UNMAPPED_LINE_FIELDS",
    "UNMAPPED_PAYMENT_FIELDS",
    "UNMAPPED_RECURRING_FIELDS",
    "UNMAPPED_TIME_ACTIVITY_FIELDS",
    "UNMAPPED_VENDOR_FIELDS",
    "bill_from_canonical",
    "bill_to_vendor_bill",
    "customer_from_canonical",
    "customer_to_customer",
    "invoice_from_canonical",
    "invoice_to_invoice",
    "item_from_canonical",
    "item_to_product",
    "journal_entry_from_canonical",
    "payment_from_canonical",
    "payment_to_payment",
    "recurring_transaction_from_canonical",
    "recurring_transaction_to_agreement",
    "time_activity_from_canonical",
    "time_activity_to_time_entry",
    "vendor_from_canonical",
    "vendor_to_vendor",
]
