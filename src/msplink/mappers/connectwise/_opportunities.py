"""ConnectWise opportunities <-> canonical opportunities."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Final

from msplink.connectwise import models as cw
from msplink.mappers._common import parse_model, ref, unmapped_fields
from msplink.mappers._config import MappingConfig, normalise_name
from msplink.mappers._util import require, total
from msplink.mappers.connectwise._shared import (
    SYSTEM,
    config_or_empty,
    currency_out,
    custom_fields_in,
    custom_fields_out,
    date_in,
    datetime_out,
    link_in,
    member_link_in,
    member_out,
    named_reference,
    own_id,
    reference_name_in,
    reference_out,
    updated_in,
    version_in,
)
from msplink.models import Money, Opportunity, OpportunityStatus

__all__ = [
    "UNMAPPED_OPPORTUNITY_FIELDS",
    "opportunity_from_canonical",
    "opportunity_to_opportunity",
]


_OPPORTUNITY_MAPPED: Final = frozenset(
    {
        "last_updated",
        "id",
        "name",
        "company",
        "contact",
        "stage",
        "status",
        "expected_close_date",
        "probability",
        "primary_sales_rep",
        "type",
        "source",
        "notes",
        "custom_fields",
    }
)


UNMAPPED_OPPORTUNITY_FIELDS: Final = unmapped_fields(cw.Opportunity, _OPPORTUNITY_MAPPED)
"""Opportunity attributes not carried (amounts live on the forecast endpoint, not here)."""


_OPP_STATUS: Final[dict[str, OpportunityStatus]] = {
    "won": OpportunityStatus.WON,
    "closed won": OpportunityStatus.WON,
    "lost": OpportunityStatus.LOST,
    "closed lost": OpportunityStatus.LOST,
    "no decision": OpportunityStatus.LOST,
}


def _probability(reference: cw.Reference | None) -> Decimal | None:
    if reference is None or not reference.name:
        return None
    digits = "".join(ch for ch in reference.name if ch.isdigit() or ch == ".")
    return Decimal(digits) if digits and digits.count(".") <= 1 and digits != "." else None


@total("Opportunity")
def opportunity_to_opportunity(
    opportunity: cw.Opportunity | Mapping[str, Any],
    config: MappingConfig | None = None,
    *,
    amount: Money | None = None,
) -> Opportunity:
    """Map a CW opportunity (``GET /sales/opportunities/{id}``) to a canonical :class:`Opportunity`.

    ``amount`` comes from the forecast endpoint (``/sales/opportunities/{id}/forecast``) when the
    caller has it.

    Args:
        opportunity: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).
        amount: The deal value from the forecast endpoint, when known.

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = config_or_empty(config)
    o = parse_model(cw.Opportunity, opportunity, "Opportunity")
    status = _OPP_STATUS.get(
        normalise_name(reference_name_in(o.status, "opportunity_statuses", cfg) or ""), OpportunityStatus.OPEN
    )
    return Opportunity(
        refs=ref(SYSTEM, "opportunity", o.id, version_in(o)),
        updated_at=updated_in(o, "Opportunity.updated_at"),
        custom_fields=custom_fields_in(o.custom_fields, "Opportunity", cfg),
        name=require(o.name, "Opportunity.name"),
        customer=link_in(o.company, "company"),
        contact=link_in(o.contact, "contact"),
        stage=reference_name_in(o.stage, "stages", cfg),
        status=status,
        amount=amount,
        close_date=date_in(o.expected_close_date),
        probability=_probability(o.probability),
        owner=member_link_in(o.primary_sales_rep),
        opportunity_type=reference_name_in(o.type, "opportunity_types", cfg),
        source=o.source,
        description=o.notes,
    )


@total("Opportunity")
def opportunity_from_canonical(
    opportunity: Opportunity, config: MappingConfig | None = None
) -> cw.Opportunity:
    """Build a CW opportunity (``POST /sales/opportunities``) from a canonical :class:`Opportunity`.

    The status is written as ``Open``, ``Won`` or ``Lost`` (ids from ``connectwise_ids.opportunity_statuses``).

    Args:
        opportunity: The canonical record.
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = config_or_empty(config)
    probability = None
    if opportunity.probability is not None:
        text = format(opportunity.probability.normalize(), "f")
        probability = cw.Reference(id=cfg.cw_id("probabilities", text), name=text)
    return cw.Opportunity(
        id=own_id(opportunity, "opportunity"),
        name=opportunity.name,
        company=reference_out(opportunity.customer, "company", "Opportunity.company"),
        contact=reference_out(opportunity.contact, "contact", "Opportunity.contact"),
        stage=named_reference("stages", opportunity.stage, cfg),
        status=named_reference("opportunity_statuses", opportunity.status.value, cfg),
        expected_close_date=datetime_out(opportunity.close_date),
        probability=probability,
        primary_sales_rep=member_out(opportunity.owner, cfg, "Opportunity.primarySalesRep"),
        type=named_reference("opportunity_types", opportunity.opportunity_type, cfg),
        source=opportunity.source,
        notes=opportunity.description,
        currency=currency_out(opportunity.amount.currency if opportunity.amount is not None else None, cfg),
        custom_fields=custom_fields_out(opportunity.custom_fields, "Opportunity", cfg),
    )
