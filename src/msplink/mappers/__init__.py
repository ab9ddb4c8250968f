"""Vendor <-> canonical mappers and their configuration (DESIGN §6).

``msplink.mappers.connectwise``, ``.quickbooks`` and ``.salesforce`` hold pure, total,
directional functions (``connectwise.company_to_customer``, ``quickbooks.customer_from_canonical``
...). Lookups come from a :class:`MappingConfig` passed in; a mapper never calls a client. Any
value that cannot be mapped raises :class:`msplink.errors.MappingError` naming the field path.
"""

from msplink.mappers._config import (
    VALUE_MAP_TABLES,
    CustomFieldMapping,
    MappingConfig,
    ProductClassMapping,
    TaxMode,
    ValueMap,
    normalise_name,
)
from msplink.mappers._matching import MatchProposal, UnmappedReport, propose_mappings, unmapped_report
from msplink.mappers._money import (
    QBO_AMOUNT_PLACES,
    QBO_ROUNDING,
    line_amount,
    penny_adjustment,
    quantize_amount,
)

__all__ = [
    "QBO_AMOUNT_PLACES",
    "QBO_ROUNDING",
    "VALUE_MAP_TABLES",
    "CustomFieldMapping",
    "MappingConfig",
    "MatchProposal",
    "ProductClassMapping",
    "TaxMode",
    "UnmappedReport",
    "ValueMap",
    "line_amount",
    "normalise_name",
    "penny_adjustment",
    "propose_mappings",
    "quantize_amount",
    "unmapped_report",
]
