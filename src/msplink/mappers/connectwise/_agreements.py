"""ConnectWise agreements and agreement additions <-> canonical agreements (billing cycles, MRR inputs)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, Final

from msplink.connectwise import models as cw
from msplink.mappers._common import parse_model, ref, unmapped_fields
from msplink.mappers._config import MappingConfig, normalise_name
from msplink.mappers._util import at, fail, money, opt_decimal, opt_money, require, total
from msplink.mappers.connectwise._shared import (
    SYSTEM,
    config_or_empty,
    currency_in,
    currency_out,
    custom_fields_in,
    custom_fields_out,
    date_in,
    datetime_out,
    id_out,
    link_in,
    named_reference,
    own_id,
    reference_name_in,
    reference_out,
    updated_in,
    version_in,
)
from msplink.models import Agreement, AgreementAddition, AgreementStatus, BillingCycle

__all__ = [
    "BILLING_CYCLE_NAMES",
    "UNMAPPED_ADDITION_FIELDS",
    "UNMAPPED_AGREEMENT_FIELDS",
    "addition_from_canonical",
    "addition_to_agreement_addition",
    "agreement_from_canonical",
    "agreement_to_agreement",
    "billing_cycle_from_name",
]


BILLING_CYCLE_NAMES: Final[dict[BillingCycle, str]] = {
    BillingCycle.WEEKLY: "Weekly",
    BillingCycle.BIWEEKLY: "Bi-Weekly",
    BillingCycle.MONTHLY: "Monthly",
    BillingCycle.BIMONTHLY: "Bi-Monthly",
    BillingCycle.QUARTERLY: "Quarterly",
    BillingCycle.SEMIANNUAL: "Semi-Annual",
    BillingCycle.YEARLY: "Yearly",
    BillingCycle.ONE_TIME: "Not Recurring",
}
"""The billing-cycle names written back to ConnectWise (ids come from ``connectwise_ids.billing_cycles``)."""


_CYCLE_ALIASES: Final[dict[str, BillingCycle]] = {
    "weekly": BillingCycle.WEEKLY,
    "biweekly": BillingCycle.BIWEEKLY,
    "bi-weekly": BillingCycle.BIWEEKLY,
    "every two weeks": BillingCycle.BIWEEKLY,
    "monthly": BillingCycle.MONTHLY,
    "bimonthly": BillingCycle.BIMONTHLY,
    "bi-monthly": BillingCycle.BIMONTHLY,
    "every two months": BillingCycle.BIMONTHLY,
    "quarterly": BillingCycle.QUARTERLY,
    "semiannual": BillingCycle.SEMIANNUAL,
    "semi-annual": BillingCycle.SEMIANNUAL,
    "semi-annually": BillingCycle.SEMIANNUAL,
    "half-yearly": BillingCycle.SEMIANNUAL,
    "yearly": BillingCycle.YEARLY,
    "annual": BillingCycle.YEARLY,
    "annually": BillingCycle.YEARLY,
    "notrecurring": BillingCycle.ONE_TIME,
    "not recurring": BillingCycle.ONE_TIME,
    "one time": BillingCycle.ONE_TIME,
    "one-time": BillingCycle.ONE_TIME,
    "onetime": BillingCycle.ONE_TIME,
}


def billing_cycle_from_name(name: str | None, *, path: str = "Agreement.billing_cycle") -> BillingCycle:
    """Map a CW billing cycle name or ``billingOptions`` value (``Monthly``, ``Annual`` ...) to a cycle.

    Args:
        name: Company name.
        path: Field path reported in a ``MappingError``.

    Raises:
        MappingError: The name is not a known cycle.
    """
    if not name:
        fail(path, "billing cycle is missing")
    key = normalise_name(name)
    cycle = _CYCLE_ALIASES.get(key) or _CYCLE_ALIASES.get(key.replace(" ", ""))
    if cycle is None:
        fail(path, "unknown billing cycle", value=name)
    return cycle


_AGREEMENT_MAPPED: Final = frozenset(
    {
        "last_updated",
        "id",
        "name",
        "company",
        "contact",
        "type",
        "agreement_status",
        "cancelled_flag",
        "start_date",
        "end_date",
        "no_ending_date_flag",
        "billing_cycle",
        "bill_amount",
        "next_invoice_date",
        "bill_start_date",
        "billing_terms",
        "tax_code",
        "taxable",
        "currency",
        "invoice_description",
        "customer_po",
        "custom_fields",
    }
)


UNMAPPED_AGREEMENT_FIELDS: Final = unmapped_fields(cw.Agreement, _AGREEMENT_MAPPED)
"""Agreement attributes not carried (coverage, application limits, invoicing options ...)."""


_ADDITION_MAPPED: Final = frozenset(
    {
        "last_updated",
        "id",
        "product",
        "quantity",
        "less_included",
        "unit_price",
        "unit_cost",
        "description",
        "bill_customer",
        "taxable_flag",
        "effective_date",
        "cancelled_date",
        "custom_fields",
    }
)


UNMAPPED_ADDITION_FIELDS: Final = unmapped_fields(cw.AgreementAddition, _ADDITION_MAPPED)
"""Agreement addition attributes not carried (``extPrice`` etc. are derived)."""


_AGREEMENT_STATUS: Final[dict[str, AgreementStatus]] = {
    "active": AgreementStatus.ACTIVE,
    "cancelled": AgreementStatus.CANCELLED,
    "canceled": AgreementStatus.CANCELLED,
    "expired": AgreementStatus.EXPIRED,
    "inactive": AgreementStatus.INACTIVE,
}


@total("AgreementAddition")
def addition_to_agreement_addition(
    addition: cw.AgreementAddition | Mapping[str, Any],
    config: MappingConfig | None = None,
    *,
    currency: str | None = None,
) -> AgreementAddition:
    """Map a CW agreement addition (``GET /finance/agreements/{id}/additions``) to canonical.

    Args:
        addition: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).
        currency: Currency of the amounts (default: ``config.default_currency``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = config_or_empty(config)
    a = parse_model(cw.AgreementAddition, addition, "AgreementAddition")
    cur = currency or cfg.default_currency
    bill = normalise_name(a.bill_customer or "billable")
    return AgreementAddition(
        refs=ref(SYSTEM, "addition", a.id, version_in(a)),
        updated_at=updated_in(a, "AgreementAddition.updated_at"),
        custom_fields=custom_fields_in(a.custom_fields, "AgreementAddition", cfg),
        unit_price=money(
            a.unit_price if a.unit_price is not None else 0, cur, "AgreementAddition.unit_price"
        ),
        quantity=opt_decimal(a.quantity, "AgreementAddition.quantity")
        if a.quantity is not None
        else Decimal(1),
        less_included=opt_decimal(a.less_included, "AgreementAddition.less_included") or Decimal(0),
        product=link_in(a.product, "catalog_item"),
        sku=a.product.identifier if a.product is not None else None,
        description=a.description,
        unit_cost=opt_money(a.unit_cost, cur, "AgreementAddition.unit_cost"),
        billable=bill == "billable",
        taxable=a.taxable_flag,
        effective_date=date_in(a.effective_date),
        cancelled_date=date_in(a.cancelled_date),
    )


@total("AgreementAddition")
def addition_from_canonical(
    addition: AgreementAddition, config: MappingConfig | None = None
) -> cw.AgreementAddition:
    """Build a CW agreement addition (``POST /finance/agreements/{id}/additions``) from canonical.

    Args:
        addition: The canonical record.
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = config_or_empty(config)
    product = None
    if addition.product is not None or addition.sku:
        product_id = None
        if addition.product is not None and addition.product.id_for(SYSTEM, "catalog_item") is not None:
            product_id = id_out(addition.product, "catalog_item", "AgreementAddition.product")
        product = cw.Reference(id=product_id, identifier=addition.sku)
    return cw.AgreementAddition(
        id=own_id(addition, "addition"),
        product=require(product, "AgreementAddition.product", "a ConnectWise addition needs a catalog item"),
        quantity=addition.quantity,
        less_included=addition.less_included,
        unit_price=addition.unit_price.amount,
        unit_cost=addition.unit_cost.amount if addition.unit_cost is not None else None,
        description=addition.description,
        bill_customer="Billable" if addition.billable else "DoNotBill",
        taxable_flag=addition.taxable,
        effective_date=datetime_out(addition.effective_date),
        cancelled_date=datetime_out(addition.cancelled_date),
        custom_fields=custom_fields_out(addition.custom_fields, "AgreementAddition", cfg),
    )


@total("Agreement")
def agreement_to_agreement(
    agreement: cw.Agreement | Mapping[str, Any],
    config: MappingConfig | None = None,
    *,
    additions: Sequence[cw.AgreementAddition | Mapping[str, Any]] = (),
) -> Agreement:
    """Map a CW agreement (``GET /finance/agreements/{id}``) and its additions to canonical.

    Args:
        agreement: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).
        additions: The agreement's additions (``GET /finance/agreements/{id}/additions``), models or payloads.

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = config_or_empty(config)
    a = parse_model(cw.Agreement, agreement, "Agreement")
    currency = currency_in(a.currency, cfg, "Agreement.currency")
    status = _AGREEMENT_STATUS.get(normalise_name(a.agreement_status or "active"))
    if status is None:
        fail("Agreement.status", "unknown agreement status", value=a.agreement_status)
    if a.cancelled_flag:
        status = AgreementStatus.CANCELLED
    cycle = BillingCycle.ONE_TIME
    if a.billing_cycle is not None or not a.one_time_flag:
        cycle = billing_cycle_from_name(
            reference_name_in(a.billing_cycle, "billing_cycles", cfg), path="Agreement.billing_cycle"
        )
    mapped_additions = []
    for i, item in enumerate(additions):
        with at(f"Agreement.additions[{i}]"):
            mapped_additions.append(addition_to_agreement_addition(item, cfg, currency=currency))
    return Agreement(
        refs=ref(SYSTEM, "agreement", a.id, version_in(a)),
        updated_at=updated_in(a, "Agreement.updated_at"),
        custom_fields=custom_fields_in(a.custom_fields, "Agreement", cfg),
        name=require(a.name, "Agreement.name"),
        customer=require(link_in(a.company, "company"), "Agreement.customer"),
        currency=currency,
        billing_cycle=cycle,
        agreement_type=reference_name_in(a.type, "agreement_types", cfg),
        status=status,
        start_date=date_in(a.start_date),
        end_date=date_in(a.end_date),
        no_end_date=bool(a.no_ending_date_flag),
        bill_amount=opt_money(a.bill_amount, currency, "Agreement.bill_amount"),
        next_invoice_date=date_in(a.next_invoice_date),
        bill_start_date=date_in(a.bill_start_date),
        additions=mapped_additions,
        terms=reference_name_in(a.billing_terms, "billing_terms", cfg),
        tax_code=reference_name_in(a.tax_code, "tax_codes", cfg),
        taxable=a.taxable,
        contact=link_in(a.contact, "contact"),
        description=a.invoice_description,
        customer_po=a.customer_po,
    )


@total("Agreement")
def agreement_from_canonical(agreement: Agreement, config: MappingConfig | None = None) -> cw.Agreement:
    """Build a CW agreement (``POST /finance/agreements``) from canonical (additions: see ``addition_from_canonical``).

    Args:
        agreement: The canonical record.
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: A value cannot be mapped (the path names the field).
    """
    cfg = config_or_empty(config)
    return cw.Agreement(
        id=own_id(agreement, "agreement"),
        name=agreement.name,
        company=reference_out(agreement.customer, "company", "Agreement.company", required=True),
        contact=reference_out(agreement.contact, "contact", "Agreement.contact"),
        type=named_reference("agreement_types", agreement.agreement_type, cfg),
        agreement_status=agreement.status.value,
        cancelled_flag=agreement.status is AgreementStatus.CANCELLED,
        start_date=datetime_out(agreement.start_date),
        end_date=datetime_out(agreement.end_date),
        no_ending_date_flag=agreement.no_end_date,
        billing_cycle=named_reference("billing_cycles", BILLING_CYCLE_NAMES[agreement.billing_cycle], cfg),
        bill_amount=agreement.bill_amount.amount if agreement.bill_amount is not None else None,
        next_invoice_date=datetime_out(agreement.next_invoice_date),
        bill_start_date=datetime_out(agreement.bill_start_date),
        billing_terms=named_reference("billing_terms", agreement.terms, cfg),
        tax_code=named_reference("tax_codes", agreement.tax_code, cfg),
        taxable=agreement.taxable,
        currency=currency_out(agreement.currency, cfg),
        invoice_description=agreement.description,
        customer_po=agreement.customer_po,
        custom_fields=custom_fields_out(agreement.custom_fields, "Agreement", cfg),
    )
