"""Salesforce Opportunities <-> canonical opportunities."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from msplink.mappers._common import parse_model, unmapped_fields
from msplink.mappers._config import MappingConfig, normalise_name
from msplink.mappers._util import opt_money, require, total
from msplink.mappers.salesforce._shared import (
    CW_AGREEMENT_ID_FIELD,
    CW_OPPORTUNITY_ID_FIELD,
    config_or_empty,
    custom_fields_in,
    custom_fields_out,
    cw_id_out,
    id_out,
    link_in,
    own_id,
    owner_in,
    owner_out,
    refs_of,
    updated_in,
)
from msplink.models import (
    CONNECTWISE,
    Link,
    Opportunity,
    OpportunityStatus,
)
from msplink.salesforce import models as sf

__all__ = [
    "UNMAPPED_OPPORTUNITY_FIELDS",
    "opportunity_from_canonical",
    "opportunity_to_opportunity",
]


_OPPORTUNITY_MAPPED: Final = frozenset(
    {
        "id",
        "is_deleted",
        "system_modstamp",
        "last_modified_date",
        "name",
        "account_id",
        "stage_name",
        "close_date",
        "amount",
        "probability",
        "type",
        "lead_source",
        "description",
        "is_closed",
        "is_won",
        "owner_id",
    }
)


UNMAPPED_OPPORTUNITY_FIELDS: Final = unmapped_fields(sf.Opportunity, _OPPORTUNITY_MAPPED) | {
    "is_closed",
    "is_won",
}
"""Opportunity attributes not carried (``IsClosed``/``IsWon`` are read into ``status`` but derived in SF)."""


def _opportunity_status(o: sf.Opportunity) -> OpportunityStatus:
    if o.is_won:
        return OpportunityStatus.WON
    if o.is_closed:
        return OpportunityStatus.LOST
    stage = normalise_name(o.stage_name or "")
    if stage == "closed won":
        return OpportunityStatus.WON
    if stage == "closed lost":
        return OpportunityStatus.LOST
    return OpportunityStatus.OPEN


@total("Opportunity")
def opportunity_to_opportunity(
    opportunity: sf.Opportunity | Mapping[str, Any], config: MappingConfig | None = None
) -> Opportunity:
    """Map a Salesforce Opportunity (``GET .../sobjects/Opportunity/{id}``) to a canonical :class:`Opportunity`.

    ``StageName`` is translated with ``opportunity_stages`` (SF -> CW); ``CurrencyIsoCode`` (multi-
    currency orgs) gives the amount's currency, else the default currency.

    Args:
        opportunity: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: An unmapped stage or another value that cannot be mapped.
    """
    cfg = config_or_empty(config)
    o = parse_model(sf.Opportunity, opportunity, "Opportunity")
    currency = o.get("CurrencyIsoCode") or cfg.default_currency
    stage = None
    if o.stage_name:
        stage = cfg.opportunity_stages.get(o.stage_name, path="Opportunity.stage", table="opportunity_stages")
    agreement_id = o.custom.get(CW_AGREEMENT_ID_FIELD)
    return Opportunity(
        refs=refs_of(o, "Opportunity", CW_OPPORTUNITY_ID_FIELD, "opportunity"),
        updated_at=updated_in(o, "Opportunity.updated_at"),
        deleted=bool(o.is_deleted),
        custom_fields=custom_fields_in(o, "Opportunity", cfg),
        name=require(o.name, "Opportunity.name"),
        customer=link_in(o.account_id, "Account", o.get("Account.Name")),
        stage=stage,
        status=_opportunity_status(o),
        amount=opt_money(o.amount, str(currency), "Opportunity.amount"),
        close_date=o.close_date,
        probability=o.probability,
        owner=owner_in(o, o.owner_id, cfg),
        opportunity_type=o.type,
        source=o.lead_source,
        description=o.description,
        agreement=Link.to(CONNECTWISE, "agreement", str(agreement_id)) if agreement_id else None,
    )


@total("Opportunity")
def opportunity_from_canonical(
    opportunity: Opportunity, config: MappingConfig | None = None
) -> sf.Opportunity:
    """Build a Salesforce Opportunity (``POST .../sobjects/Opportunity``) from a canonical :class:`Opportunity`.

    Args:
        opportunity: The canonical record.
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: No stage or close date (both required by Salesforce), an unmapped stage or owner.
    """
    cfg = config_or_empty(config)
    stage = require(opportunity.stage, "Opportunity.StageName")
    custom = {**custom_fields_out(opportunity.custom_fields, "Opportunity", cfg)}
    custom.update(cw_id_out(opportunity, "opportunity", CW_OPPORTUNITY_ID_FIELD))
    if opportunity.agreement is not None and opportunity.agreement.id_for(CONNECTWISE, "agreement"):
        custom[CW_AGREEMENT_ID_FIELD] = opportunity.agreement.id_for(CONNECTWISE, "agreement")
    if opportunity.amount is not None and opportunity.amount.currency != cfg.default_currency:
        custom["CurrencyIsoCode"] = opportunity.amount.currency
    return sf.Opportunity(
        id=own_id(opportunity, "Opportunity"),
        name=opportunity.name,
        account_id=id_out(opportunity.customer, "Account", "Opportunity.AccountId"),
        stage_name=cfg.opportunity_stages.inverse(
            stage, path="Opportunity.StageName", table="opportunity_stages"
        ),
        close_date=require(opportunity.close_date, "Opportunity.CloseDate"),
        amount=opportunity.amount.amount if opportunity.amount is not None else None,
        probability=opportunity.probability,
        type=opportunity.opportunity_type,
        lead_source=opportunity.source,
        description=opportunity.description,
        owner_id=owner_out(opportunity.owner, cfg, "Opportunity.OwnerId"),
        custom=custom,
    )
