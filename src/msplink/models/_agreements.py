"""Canonical agreements (recurring contracts) and their additions, with MRR."""

from __future__ import annotations

import enum
from datetime import date, timedelta
from decimal import Decimal

import attrs

from msplink.models._catalog import BillingCycle
from msplink.models._common import Link, Record
from msplink.models._convert import as_tuple, check_same_currency
from msplink.models._money import DEFAULT_ROUNDING, Money, to_decimal

__all__ = [
    "Agreement",
    "AgreementAddition",
    "AgreementStatus",
]


class AgreementStatus(str, enum.Enum):
    """Agreement lifecycle (CW ``agreementStatus``)."""

    ACTIVE = "Active"
    CANCELLED = "Cancelled"
    EXPIRED = "Expired"
    INACTIVE = "Inactive"


@attrs.frozen(kw_only=True)
class AgreementAddition(Record):
    """A recurring product line on an agreement (CW agreement addition).

    Attributes:
        unit_price: Price per unit per billing cycle.
        quantity: Quantity.
        less_included: Units included in the agreement and not charged.
        product: The catalogue product.
        sku: CW catalog identifier.
        description: Line text.
        unit_cost: Cost per unit per cycle.
        billable: Billed to the customer (CW ``billCustomer == Billable``).
        taxable: Taxable flag.
        effective_date: First day it is billed.
        cancelled_date: Day it stops being billed.
    """

    unit_price: Money
    quantity: Decimal = attrs.field(default=Decimal(1), converter=to_decimal)
    less_included: Decimal = attrs.field(default=Decimal(0), converter=to_decimal)
    product: Link | None = None
    sku: str | None = None
    description: str | None = None
    unit_cost: Money | None = None
    billable: bool = True
    taxable: bool | None = None
    effective_date: date | None = None
    cancelled_date: date | None = None

    @property
    def billed_quantity(self) -> Decimal:
        """``quantity - less_included``, never below zero."""
        return max(self.quantity - self.less_included, Decimal(0))

    def amount_per_cycle(self) -> Money:
        """``billed_quantity x unit_price`` (exact, not rounded)."""
        return self.unit_price * self.billed_quantity

    def is_active(self, as_of: date | None = None) -> bool:
        """Billable, started on or before ``as_of`` and not cancelled by then (``as_of=None``: ignore dates)."""
        if not self.billable:
            return False
        if as_of is None:
            return self.cancelled_date is None
        if self.effective_date is not None and self.effective_date > as_of:
            return False
        return self.cancelled_date is None or self.cancelled_date > as_of


@attrs.frozen(kw_only=True)
class Agreement(Record):
    """A recurring service contract (CW agreement, QBO recurring invoice, SF Contract).

    MRR rule: per-cycle recurring amount = ``bill_amount`` + Σ ``amount_per_cycle`` of active
    additions; MRR = that x :attr:`BillingCycle.monthly_factor`, rounded once at the end with
    ROUND_HALF_UP to the currency's minor units. One-time agreements contribute 0.

    Attributes:
        name: Agreement name.
        customer: The client.
        currency: Currency of every amount.
        billing_cycle: How often it bills.
        agreement_type: CW agreement type name.
        status: Lifecycle state.
        start_date: Contract start.
        end_date: Contract end (None with ``no_end_date``).
        no_end_date: Runs until cancelled.
        bill_amount: Fixed recurring amount per cycle.
        next_invoice_date: When the next invoice is due to be generated.
        bill_start_date: First billing date.
        additions: Recurring product lines.
        terms: Billing terms, ConnectWise vocabulary.
        tax_code: Tax code, ConnectWise vocabulary.
        taxable: Whether it is taxable.
        contact: Client contact.
        owner: Account owner.
        description: Invoice description.
        customer_po: Customer purchase-order number.
    """

    name: str
    customer: Link
    currency: str
    billing_cycle: BillingCycle = BillingCycle.MONTHLY
    agreement_type: str | None = None
    status: AgreementStatus = AgreementStatus.ACTIVE
    start_date: date | None = None
    end_date: date | None = None
    no_end_date: bool = False
    bill_amount: Money | None = None
    next_invoice_date: date | None = None
    bill_start_date: date | None = None
    additions: tuple[AgreementAddition, ...] = attrs.field(default=(), converter=as_tuple)
    terms: str | None = None
    tax_code: str | None = None
    taxable: bool | None = None
    contact: Link | None = None
    owner: Link | None = None
    description: str | None = None
    customer_po: str | None = None

    def __attrs_post_init__(self) -> None:
        monies: list[tuple[str, Money | None]] = [("bill_amount", self.bill_amount)]
        for i, addition in enumerate(self.additions):
            monies.append((f"additions[{i}].unit_price", addition.unit_price))
            monies.append((f"additions[{i}].unit_cost", addition.unit_cost))
        check_same_currency("Agreement", self.currency, monies)

    def is_active(self, as_of: date | None = None) -> bool:
        """Active status and, when ``as_of`` is given, started and not yet ended on that day."""
        if self.status is not AgreementStatus.ACTIVE:
            return False
        if as_of is None:
            return True
        if self.start_date is not None and self.start_date > as_of:
            return False
        return self.no_end_date or self.end_date is None or self.end_date >= as_of

    def recurring_amount(self, as_of: date | None = None) -> Money:
        """The amount billed per cycle: ``bill_amount`` + active additions (exact, not rounded)."""
        total = self.bill_amount if self.bill_amount is not None else Money.zero(self.currency)
        for addition in self.additions:
            if addition.is_active(as_of):
                total = total + addition.amount_per_cycle()
        return total

    def mrr(self, as_of: date | None = None, *, rounding: str = DEFAULT_ROUNDING) -> Money:
        """Monthly recurring revenue: the per-cycle amount normalised to one month.

        Weekly x 52/12, bi-weekly x 26/12, monthly x 1, bi-monthly / 2, quarterly / 3,
        semi-annual / 6, yearly / 12, one-time x 0; rounded once, ROUND_HALF_UP by default, to
        the currency's minor units. An inactive agreement (see :meth:`is_active`) has zero MRR.
        """
        if not self.is_active(as_of):
            return Money.zero(self.currency).quantize()
        monthly = self.recurring_amount(as_of) * self.billing_cycle.monthly_factor
        return monthly.quantize(rounding=rounding)

    def arr(self, as_of: date | None = None) -> Money:
        """Annual recurring revenue: ``mrr x 12``."""
        return self.mrr(as_of) * 12

    def expires_within(self, days: int, as_of: date) -> bool:
        """Whether an active agreement with an end date ends within ``days`` days of ``as_of``."""
        if self.no_end_date or self.end_date is None or self.status is not AgreementStatus.ACTIVE:
            return False
        return as_of <= self.end_date <= as_of + timedelta(days=days)
