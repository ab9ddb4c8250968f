"""Canonical, vendor-neutral MSP domain models (DESIGN §5).

Every record is a frozen attrs class carrying its provenance ``refs`` (one
:class:`ExternalRef` per system), a timezone-aware ``updated_at`` and a ``deleted`` tombstone flag.
Money is :class:`Money` (Decimal + ISO 4217 currency), never float. This package imports nothing
from the vendor packages, the mappers or the sync engine.
"""

from msplink.models._agreements import Agreement, AgreementAddition, AgreementStatus
from msplink.models._billing import Invoice, InvoiceLine, InvoiceStatus, LineKind, Payment, PaymentAllocation
from msplink.models._catalog import MONTHLY_FACTORS, BillingCycle, Product, ProductKind
from msplink.models._common import (
    CONNECTWISE,
    QUICKBOOKS,
    SALESFORCE,
    Address,
    ExternalRef,
    Link,
    Record,
    tz_aware,
)
from msplink.models._fields import PROVENANCE_FIELDS, fields_of
from msplink.models._money import (
    DEFAULT_ROUNDING,
    CurrencyMismatchError,
    Money,
    minor_units,
    to_currency,
    to_decimal,
)
from msplink.models._parties import Contact, Customer, Vendor
from msplink.models._procurement import PurchaseOrder, PurchaseOrderLine, VendorBill, VendorBillLine
from msplink.models._sales import Opportunity, OpportunityStatus, Task
from msplink.models._service import BillableStatus, Ticket, TimeEntry

__all__ = [
    "CONNECTWISE",
    "DEFAULT_ROUNDING",
    "MONTHLY_FACTORS",
    "PROVENANCE_FIELDS",
    "QUICKBOOKS",
    "SALESFORCE",
    "Address",
    "Agreement",
    "AgreementAddition",
    "AgreementStatus",
    "BillableStatus",
    "BillingCycle",
    "Contact",
    "CurrencyMismatchError",
    "Customer",
    "ExternalRef",
    "Invoice",
    "InvoiceLine",
    "InvoiceStatus",
    "LineKind",
    "Link",
    "Money",
    "Opportunity",
    "OpportunityStatus",
    "Payment",
    "PaymentAllocation",
    "Product",
    "ProductKind",
    "PurchaseOrder",
    "PurchaseOrderLine",
    "Record",
    "Task",
    "Ticket",
    "TimeEntry",
    "Vendor",
    "VendorBill",
    "VendorBillLine",
    "fields_of",
    "minor_units",
    "to_currency",
    "to_decimal",
    "tz_aware",
]
