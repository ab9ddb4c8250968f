"""QuickBooks recurring transactions (recurring invoice templates) <-> canonical agreements."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Final

import attrs

from msplink.mappers._common import parse_model, ref
from msplink.mappers._config import MappingConfig
from msplink.mappers._util import fail, require, total
from msplink.mappers.quickbooks._lines import sales_lines_in, sales_lines_out, txn_tax_out
from msplink.mappers.quickbooks._shared import (
    SYSTEM,
    config_or_empty,
    currency_in,
    link_in,
    reference_out,
    terms_in,
    terms_out,
    updated_in,
)
from msplink.models import (
    Agreement,
    AgreementAddition,
    AgreementStatus,
    BillingCycle,
    Invoice,
    InvoiceLine,
    LineKind,
)
from msplink.quickbooks import models as qbo

__all__ = [
    "INTERVALS",
    "UNMAPPED_RECURRING_FIELDS",
    "recurring_transaction_from_canonical",
    "recurring_transaction_to_agreement",
]


INTERVALS: Final[dict[BillingCycle, tuple[str, int]]] = {
    BillingCycle.WEEKLY: ("Weekly", 1),
    BillingCycle.BIWEEKLY: ("Weekly", 2),
    BillingCycle.MONTHLY: ("Monthly", 1),
    BillingCycle.BIMONTHLY: ("Monthly", 2),
    BillingCycle.QUARTERLY: ("Monthly", 3),
    BillingCycle.SEMIANNUAL: ("Monthly", 6),
    BillingCycle.YEARLY: ("Yearly", 1),
}
"""Billing cycle -> QBO ``ScheduleInfo`` (``IntervalType``, ``NumInterval``); one-time has none."""


_CYCLES: Final = {v: k for k, v in INTERVALS.items()} | {("Monthly", 12): BillingCycle.YEARLY}


UNMAPPED_RECURRING_FIELDS: Final = frozenset(
    {
        "recurring_info.recur_type",
        "schedule_info.day_of_week",
        "schedule_info.week_of_month",
        "schedule_info.month_of_year",
    }
)
"""Recurring-template parts not carried (reminder/unscheduled types, weekday/month anchors)."""


@total("Agreement")
def recurring_transaction_to_agreement(
    transaction: qbo.RecurringTransaction | Mapping[str, Any], config: MappingConfig | None = None
) -> Agreement:
    """Map a QBO recurring invoice template (``GET /v3/company/{realm}/recurringtransaction/{id}``) to an agreement.

    Every sales line becomes an addition (quantity x unit price per cycle); the schedule gives the
    billing cycle, start/end and next invoice date.

    Args:
        transaction: The wire model, or its raw JSON payload (parsed with ``from_api``).
        config: Lookup tables (default: an empty ``MappingConfig``).

    Raises:
        MappingError: Not an invoice template, or an interval msplink cannot express.
    """
    cfg = config_or_empty(config)
    rt = parse_model(qbo.RecurringTransaction, transaction, "Agreement")
    inv = rt.invoice
    if inv is None:
        fail("Agreement", "only recurring Invoice templates map to agreements")
    currency = currency_in(inv.currency_ref, cfg, "Agreement.currency")
    info = inv.recurring_info or qbo.RecurringInfo()
    schedule = info.schedule_info or qbo.ScheduleInfo()
    key = (schedule.interval_type or "", schedule.num_interval or 1)
    cycle = _CYCLES.get(key)
    if cycle is None:
        fail("Agreement.billing_cycle", "unsupported recurring interval", value=f"{key[0]} x {key[1]}")
    lines, _ = sales_lines_in(inv.line, currency, cfg, "Agreement")
    additions = []
    for i, line in enumerate(lines):
        if line.kind is not LineKind.ITEM:
            continue
        price = line.unit_price if line.unit_price is not None else line.amount
        additions.append(
            AgreementAddition(
                unit_price=price,
                quantity=line.quantity if line.quantity is not None else Decimal(1),
                product=line.product,
                sku=line.sku,
                description=line.description,
                taxable=line.taxable,
                refs=ref(SYSTEM, "Line", (inv.line or ())[i].id if i < len(inv.line or ()) else None),
            )
        )
    return Agreement(
        refs=ref(SYSTEM, "RecurringTransaction", inv.id, inv.sync_token),
        updated_at=updated_in(inv, "Agreement.updated_at"),
        name=require(info.name, "Agreement.name"),
        customer=require(link_in(inv.customer_ref, "Customer"), "Agreement.customer"),
        currency=currency,
        billing_cycle=cycle,
        status=AgreementStatus.ACTIVE if info.active is not False else AgreementStatus.INACTIVE,
        start_date=schedule.start_date,
        end_date=schedule.end_date,
        no_end_date=schedule.end_date is None,
        next_invoice_date=schedule.next_date,
        additions=additions,
        terms=terms_in(inv.sales_term_ref, cfg, "Agreement.terms"),
        description=inv.private_note,
    )


def _day(value: date | None) -> int | None:
    return value.day if value is not None else None


@total("RecurringTransaction")
def recurring_transaction_from_canonical(
    agreement: Agreement,
    config: MappingConfig | None = None,
    *,
    as_of: date | None = None,
    days_before: int | None = None,
) -> qbo.RecurringTransaction:
    """Build a QBO recurring invoice (``POST /v3/company/{realm}/recurringtransaction``) from an agreement.

    Lines: the fixed ``bill_amount`` (product class ``Agreement``) plus every addition active on
    ``as_of``; schedule from the billing cycle, starting at ``next_invoice_date`` (else
    ``bill_start_date``/``start_date``) and ending at ``end_date``.

    Args:
        agreement: The canonical record.
        config: Lookup tables (default: an empty ``MappingConfig``).
        as_of: Day on which additions must be active (None: ignore dates).
        days_before: QBO ``DaysBefore``: create each invoice this many days early.

    Raises:
        MappingError: One-time agreements, or lines that cannot be mapped.
    """
    cfg = config_or_empty(config)
    if agreement.billing_cycle is BillingCycle.ONE_TIME:
        fail(
            "Agreement.billing_cycle", "one-time agreements have no recurring schedule", value="NotRecurring"
        )
    interval, every = INTERVALS[agreement.billing_cycle]
    lines: list[InvoiceLine] = []
    if agreement.bill_amount is not None and not agreement.bill_amount.is_zero():
        lines.append(
            InvoiceLine(
                amount=agreement.bill_amount,
                quantity=Decimal(1),
                unit_price=agreement.bill_amount,
                description=agreement.description or agreement.name,
                product_class="Agreement",
                taxable=agreement.taxable,
            )
        )
    for addition in agreement.additions:
        if addition.is_active(as_of):
            lines.append(
                InvoiceLine(
                    amount=addition.amount_per_cycle(),
                    quantity=addition.billed_quantity,
                    unit_price=addition.unit_price,
                    description=addition.description,
                    product=addition.product,
                    sku=addition.sku,
                    taxable=addition.taxable if addition.taxable is not None else agreement.taxable,
                )
            )
    if not lines:
        fail("Agreement.additions", "nothing to bill: no bill amount and no active additions")
    lines = [attrs.evolve(line, line_number=i + 1) for i, line in enumerate(lines)]
    start = agreement.next_invoice_date or agreement.bill_start_date or agreement.start_date
    stub = Invoice(customer=agreement.customer, currency=agreement.currency, tax_code=agreement.tax_code)
    qbo_lines = sales_lines_out(stub, lines, cfg, "Agreement")
    name = agreement.name[:100]
    schedule = qbo.ScheduleInfo(
        interval_type=interval,
        num_interval=every,
        day_of_month=_day(start) if interval != "Weekly" else None,
        start_date=start,
        end_date=None if agreement.no_end_date else agreement.end_date,
        days_before=days_before,
    )
    invoice = qbo.Invoice(
        id=agreement.id_for(SYSTEM, "RecurringTransaction"),
        customer_ref=reference_out(agreement.customer, "Customer", "Agreement.CustomerRef", required=True),
        currency_ref=qbo.Ref(value=agreement.currency),
        line=tuple(qbo_lines),
        sales_term_ref=terms_out(agreement.terms, cfg, "Agreement.SalesTermRef"),
        txn_tax_detail=txn_tax_out(agreement.tax_code, cfg, "Agreement.TxnTaxDetail"),
        private_note=agreement.description,
        recurring_info=qbo.RecurringInfo(
            name=name, recur_type="Automated", active=agreement.is_active(), schedule_info=schedule
        ),
    )
    return qbo.RecurringTransaction(invoice=invoice)
