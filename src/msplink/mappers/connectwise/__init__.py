"""ConnectWise Manage <-> canonical mappers (pure, total, both directions).

Vendor -> canonical functions are named ``<cw object>_to_<canonical>`` (``company_to_customer``)
and accept a wire model or its raw JSON payload; canonical -> vendor functions are named
``<cw object>_from_canonical`` and return wire models ready for ``to_api()``. Every function takes
the :class:`~msplink.mappers.MappingConfig` (default: an empty one) and raises
:class:`~msplink.errors.MappingError` naming the field path, never anything else.

ConnectWise references (billing terms, tax codes, statuses, priorities, boards ...) travel as
names in the canonical models; on the way back they become ``{"id", "name"}`` references, the id
taken from ``MappingConfig.connectwise_ids[<kind>]`` when configured. Members are referred to by
their ``identifier``. Each ``UNMAPPED_*_FIELDS`` set lists the wire-model attributes a mapper
deliberately leaves out (read-only, derived or tenant plumbing).
"""

from msplink.mappers.connectwise._agreements import (
    BILLING_CYCLE_NAMES,
    UNMAPPED_ADDITION_FIELDS,
    UNMAPPED_AGREEMENT_FIELDS,
    addition_from_canonical,
    addition_to_agreement_addition,
    agreement_from_canonical,
    agreement_to_agreement,
    billing_cycle_from_name,
)
from msplink.mappers.connectwise._catalog import (
    UNMAPPED_CATALOG_ITEM_FIELDS,
    catalog_item_from_canonical,
    catalog_item_to_product,
)
from msplink.mappers.connectwise._companies import (
    UNMAPPED_COMPANY_FIELDS,
    UNMAPPED_CONTACT_FIELDS,
    UNMAPPED_VENDOR_FIELDS,
    company_from_canonical,
    company_from_vendor,
    company_to_customer,
    company_to_vendor,
    contact_from_canonical,
    contact_to_contact,
    derive_identifier,
    site_from_canonical,
    site_to_address,
)
from msplink.mappers.connectwise._invoices import (
    UNMAPPED_INVOICE_FIELDS,
    UNMAPPED_PAYMENT_FIELDS,
    invoice_from_canonical,
    invoice_payment_to_payment,
    invoice_payments_from_canonical,
    invoice_summary_lines,
    invoice_to_invoice,
    product_item_to_invoice_line,
    time_entry_to_invoice_line,
)
from msplink.mappers.connectwise._opportunities import (
    UNMAPPED_OPPORTUNITY_FIELDS,
    opportunity_from_canonical,
    opportunity_to_opportunity,
)
from msplink.mappers.connectwise._projects import (
    PROJECT_BILLING_METHOD,
    PROJECT_DAYS,
    UNMAPPED_PROJECT_FIELDS,
    project_from_canonical,
    project_to_ticket,
)
from msplink.mappers.connectwise._purchase_orders import (
    UNMAPPED_PURCHASE_ORDER_FIELDS,
    UNMAPPED_PURCHASE_ORDER_LINE_FIELDS,
    purchase_order_from_canonical,
    purchase_order_to_purchase_order,
)
from msplink.mappers.connectwise._shared import SYSTEM
from msplink.mappers.connectwise._table import MAPPERS
from msplink.mappers.connectwise._time import (
    UNMAPPED_TICKET_FIELDS,
    UNMAPPED_TIME_ENTRY_FIELDS,
    ticket_from_canonical,
    ticket_to_ticket,
    time_entry_from_canonical,
    time_entry_to_time_entry,
)

__all__ = [
    "BILLING_CYCLE_NAMES",
    "MAPPERS",
    "PROJECT_BILLING_METHOD",
    "PROJECT_DAYS",
    "SYSTEM",
    "UNMAPPED_ADDITION_FIELDS",
    "UNMAPPED_AGREEMENT_FIELDS",
    "UNMAPPED_CATALOG_ITEM_FIELDS",
    "UNMAPPED_COMPANY_FIELDS",
    "UNMAPPED_CONTACT_FIELDS",
    "UNMAPPED_INVOICE_FIELDS",
    "UNMAPPED_OPPORTUNITY_FIELDS",
    "UNMAPPED_PAYMENT_FIELDS",
    "UNMAPPED_PROJECT_FIELDS",
    "UNMAPPED_PURCHASE_ORDER_FIELDS",
    "UNMAPPED_PURCHASE_ORDER_LINE_FIELDS",
    "UNMAPPED_TICKET_FIELDS",
    "UNMAPPED_TIME_ENTRY_FIELDS",
    "UNMAPPED_VENDOR_FIELDS",
    "addition_from_canonical",
    "addition_to_agreement_addition",
    "agreement_from_canonical",
    "agreement_to_agreement",
    "billing_cycle_from_name",
    "catalog_item_from_canonical",
    "catalog_item_to_product",
    "company_from_canonical",
    "company_from_vendor",
    "company_to_customer",
    "company_to_vendor",
    "contact_from_canonical",
    "contact_to_contact",
    "derive_identifier",
    "invoice_from_canonical",
    "invoice_payment_to_payment",
    "invoice_payments_from_canonical",
    "invoice_summary_lines",
    "invoice_to_invoice",
    "opportunity_from_canonical",
    "opportunity_to_opportunity",
    "product_item_to_invoice_line",
    "project_from_canonical",
    "project_to_ticket",
    "purchase_order_from_canonical",
    "purchase_order_to_purchase_order",
    "site_from_canonical",
    "site_to_address",
    "ticket_from_canonical",
    "ticket_to_ticket",
    "time_entry_from_canonical",
    "time_entry_to_invoice_line",
    "time_entry_to_time_entry",
]
