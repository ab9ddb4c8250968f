"""Vendor <-> canonical mappers and their configuration (DESIGN §6).

``msplink.mappers.connectwise``, ``.quickbooks`` and ``.salesforce`` hold pure, total,
directional functions (``connectwise.company_to_customer``, ``quickbooks.customer_from_canonical``
...). Lookups come from a :class:`MappingConfig` passed in; a mapper never calls a client. Any
value that cannot be mapped raises :class:`msplink.errors.MappingError` naming the field path.

Also here: the QBO money rules (:func:`line_amount`, :func:`penny_adjustment`), auto-matching
(:func:`propose_mappings`) and the unmapped report (:func:`unmapped_report`), and canonical
derivations for the use cases (:func:`renewal_opportunity`, :func:`overdue_invoice_task`,
:func:`purchase_order_to_vendor_bill`, :func:`allocate_payment`).
"""

from msplink.mappers import connectwise, quickbooks, salesforce
from msplink.mappers._config import (
    VALUE_MAP_TABLES,
    CustomFieldMapping,
    MappingConfig,
    ProductClassMapping,
    TaxMode,
    ValueMap,
    normalise_name,
)
from msplink.mappers._derive import (
    ALLOCATION_STRATEGIES,
    AllocationStrategy,
    aggregate_time_entries,
    allocate_payment,
    onboarding_ticket,
    overdue_invoice_task,
    purchase_order_to_vendor_bill,
    renewal_opportunity,
)
from msplink.mappers._lookups import MatchProposal, UnmappedReport, propose_mappings, unmapped_report
from msplink.mappers._map_each import MapFailure, MappedBatch, map_each
from msplink.mappers._mapper import Mapper
from msplink.mappers._money import (
    QBO_AMOUNT_PLACES,
    QBO_ROUNDING,
    line_amount,
    penny_adjustment,
    quantize_amount,
)
from msplink.mappers._registry import MAPPERS, find_mapper

__all__ = [
    "ALLOCATION_STRATEGIES",
    "MAPPERS",
    "QBO_AMOUNT_PLACES",
    "QBO_ROUNDING",
    "VALUE_MAP_TABLES",
    "AllocationStrategy",
    "CustomFieldMapping",
    "MapFailure",
    "MappedBatch",
    "Mapper",
    "MappingConfig",
    "MatchProposal",
    "ProductClassMapping",
    "TaxMode",
    "UnmappedReport",
    "ValueMap",
    "aggregate_time_entries",
    "allocate_payment",
    "connectwise",
    "find_mapper",
    "line_amount",
    "map_each",
    "normalise_name",
    "onboarding_ticket",
    "overdue_invoice_task",
    "penny_adjustment",
    "propose_mappings",
    "purchase_order_to_vendor_bill",
    "quantize_amount",
    "quickbooks",
    "renewal_opportunity",
    "salesforce",
    "unmapped_report",
]
