"""Salesforce Contracts <-> canonical agreements."""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any, Final

from msplink.mappers._common import parse_model, unmapped_fields
from msplink.mappers._config import MappingConfig, normalise_name
from msplink.mappers._util import at, fail, require, total
from msplink.mappers.salesforce._shared import (
    CW_AGREEMENT_ID_FIELD,
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
    Agreement,
    AgreementStatus,
)
from msplink.salesforce import models as sf

__all__ = [
    "UNMAPPED_CONTRACT_FIELDS",
    "contract_from_canonical",
    "contract_to_agreement",
]


_CONTRACT_MAPPED: Final = frozenset(
    {
        "id",
        "is_deleted",
        "system_modstamp",
        "last_modified_date",
        "account_id",
        "status",
        "status_code",
        "start_date",
        "end_date",
        "contract_term",
        "description",
        "owner_id",
    }
)


UNMAPPED_CONTRACT_FIELDS: Final = unmapped_fields(sf.Contract, _CONTRACT_MAPPED) | {"status_code", "end_date"}
"""Contract attributes not carried (billing address, special terms, signatures; ``EndDate`` is
derived from ``StartDate`` + ``ContractTerm`` and ``StatusCode`` from ``Status``)."""


_CONTRACT_STATUS: Final[dict[str, AgreementStatus]] = {
    "activated": AgreementStatus.ACTIVE,
    "draft": AgreementStatus.INACTIVE,
    "inapproval": AgreementStatus.INACTIVE,
    "in approval process": AgreementStatus.INACTIVE,
    "terminated": AgreementStatus.CANCELLED,
    "expired": AgreementStatus.EXPIRED,
}


def _add_months(start: date, months: int) -> date:
    month = start.month - 1 + months
    year = start.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _months_between(start: date, end: date) -> int:
    """Whole months from ``start`` to the day after ``end`` (Salesforce's ContractTerm), rounded up."""
    after = end + timedelta(days=1)
    months = (after.year - start.year) * 12 + (after.month - start.month)
    if _add_months(start, months) < after:
        months += 1
    return max(months, 1)


@total("Agreement")
def contract_to_agreement(
    contract: sf.Contract | Mapping[str, Any], config: MappingConfig | None = None
) -> Agreement:
    """Map a Salesforce Contract (``GET .../sobjects/Contract/{id}``) to a canonical :class:`Agreement`.

    Contracts carry no billing amounts or cycle: the agreement has no ``bill_amount`` and a monthly
    cycle; the CW agreement id comes from ``CW_Agreement_Id__c``.

    Args:
        contract: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = config_or_empty(config)
    c = parse_model(sf.Contract, contract, "Agreement")
    key = normalise_name(c.status_code or c.status or "draft")
    status = _CONTRACT_STATUS.get(key) or _CONTRACT_STATUS.get(normalise_name(c.status or ""))
    if status is None:
        fail("Agreement.status", "unknown contract status", value=c.status_code or c.status)
    end = c.end_date
    if end is None and c.start_date is not None and c.contract_term:
        with at("Agreement.end_date"):
            end = _add_months(c.start_date, c.contract_term) - timedelta(days=1)
    name = c.get("Name") or c.contract_number or c.description
    return Agreement(
        refs=refs_of(c, "Contract", CW_AGREEMENT_ID_FIELD, "agreement"),
        updated_at=updated_in(c, "Agreement.updated_at"),
        deleted=bool(c.is_deleted),
        custom_fields=custom_fields_in(c, "Agreement", cfg),
        name=str(require(name, "Agreement.name")),
        customer=require(link_in(c.account_id, "Account", c.get("Account.Name")), "Agreement.customer"),
        currency=str(c.get("CurrencyIsoCode") or cfg.default_currency),
        status=status,
        start_date=c.start_date,
        end_date=end,
        no_end_date=end is None,
        description=c.description,
        owner=owner_in(c, c.owner_id, cfg),
    )


@total("Contract")
def contract_from_canonical(agreement: Agreement, config: MappingConfig | None = None) -> sf.Contract:
    """Build a Salesforce Contract (``POST .../sobjects/Contract``) from a canonical :class:`Agreement`.

    ``Status`` is ``Activated`` for active agreements and ``Draft`` otherwise (Salesforce creates
    contracts as Draft); ``ContractTerm`` is the months from start to end, rounded up.

    Args:
        agreement: The canonical record.
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: The customer has no Salesforce Account ref, or the owner cannot be mapped.
    """
    cfg = config_or_empty(config)
    term = None
    if agreement.start_date is not None and agreement.end_date is not None and not agreement.no_end_date:
        if agreement.end_date < agreement.start_date:
            fail(
                "Contract.ContractTerm",
                "the agreement ends before it starts",
                value=agreement.end_date.isoformat(),
            )
        term = _months_between(agreement.start_date, agreement.end_date)
    custom = {
        **custom_fields_out(agreement.custom_fields, "Agreement", cfg),
        **cw_id_out(agreement, "agreement", CW_AGREEMENT_ID_FIELD),
    }
    return sf.Contract(
        id=own_id(agreement, "Contract"),
        account_id=id_out(agreement.customer, "Account", "Contract.AccountId", required=True),
        status="Activated" if agreement.status is AgreementStatus.ACTIVE else "Draft",
        start_date=agreement.start_date,
        contract_term=term,
        description=agreement.description,
        owner_id=owner_out(agreement.owner, cfg, "Contract.OwnerId"),
        custom=custom,
    )
