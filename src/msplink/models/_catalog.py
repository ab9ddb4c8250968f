"""Canonical catalogue: products, product kinds and billing cycles."""

from __future__ import annotations

import enum
from decimal import Decimal
from typing import Final

import attrs

from msplink.models._common import Record
from msplink.models._money import Money

__all__ = [
    "MONTHLY_FACTORS",
    "BillingCycle",
    "Product",
    "ProductKind",
]


class ProductKind(str, enum.Enum):
    """What kind of thing a product is (CW productClass, QBO Item Type)."""

    SERVICE = "Service"
    NON_INVENTORY = "NonInventory"
    INVENTORY = "Inventory"
    AGREEMENT = "Agreement"
    BUNDLE = "Bundle"
    OTHER = "Other"


class BillingCycle(str, enum.Enum):
    """How often something is billed (CW billing cycle ``billingOptions``; QBO recurring interval)."""

    WEEKLY = "Weekly"
    BIWEEKLY = "BiWeekly"
    MONTHLY = "Monthly"
    BIMONTHLY = "BiMonthly"
    QUARTERLY = "Quarterly"
    SEMIANNUAL = "SemiAnnual"
    YEARLY = "Yearly"
    ONE_TIME = "NotRecurring"

    @property
    def monthly_factor(self) -> Decimal:
        """Multiply an amount per cycle by this to get its monthly equivalent (exact)."""
        return MONTHLY_FACTORS[self]

    @property
    def months(self) -> Decimal | None:
        """Length of one cycle in months (weeks as 12/52 of a month); None for one-time billing."""
        factor = self.monthly_factor
        return None if factor == 0 else Decimal(1) / factor


MONTHLY_FACTORS: Final[dict[BillingCycle, Decimal]] = {
    BillingCycle.WEEKLY: Decimal(52) / Decimal(12),
    BillingCycle.BIWEEKLY: Decimal(26) / Decimal(12),
    BillingCycle.MONTHLY: Decimal(1),
    BillingCycle.BIMONTHLY: Decimal(1) / Decimal(2),
    BillingCycle.QUARTERLY: Decimal(1) / Decimal(3),
    BillingCycle.SEMIANNUAL: Decimal(1) / Decimal(6),
    BillingCycle.YEARLY: Decimal(1) / Decimal(12),
    BillingCycle.ONE_TIME: Decimal(0),
}
"""Per-cycle → monthly factors: weekly 52/12, bi-weekly 26/12, bi-monthly (every 2 months) 1/2,
quarterly 1/3, semi-annual 1/6, yearly 1/12, one-time 0."""


@attrs.frozen(kw_only=True)
class Product(Record):
    """A catalogue item or service (CW catalog item, QBO Item).

    Attributes:
        name: Product name (QBO Item Name).
        sku: Part number / SKU (CW catalog ``identifier``, QBO ``Sku``).
        description: Customer-facing description.
        kind: Service, inventory, non-inventory ...
        product_class: The CW product class (drives income/expense account mapping).
        category: Category label.
        unit_price: Sales price per unit.
        unit_cost: Purchase cost per unit.
        taxable: Whether it is taxable, when known.
        active: False when inactive.
        recurring: Billed on a cycle (CW ``recurringFlag``).
        billing_cycle: The recurring billing cycle, when recurring.
    """

    name: str
    sku: str | None = None
    description: str | None = None
    kind: ProductKind = ProductKind.NON_INVENTORY
    product_class: str | None = None
    category: str | None = None
    unit_price: Money | None = None
    unit_cost: Money | None = None
    taxable: bool | None = None
    active: bool = True
    recurring: bool = False
    billing_cycle: BillingCycle | None = None
