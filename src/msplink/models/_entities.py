"""The canonical MSP records (DESIGN §5): parties, catalogue, billing, service and sales.

Picklist-like values (ticket status and priority, opportunity stage, billing terms, tax codes)
are carried in ConnectWise's vocabulary, the hub of an MSP's systems; the Salesforce and
QuickBooks mappers translate them through :class:`~msplink.mappers.MappingConfig`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Final

import attrs

from msplink.models._common import Address, Link, Record, tz_aware
from msplink.models._money import DEFAULT_ROUNDING, CurrencyMismatchError, Money, to_decimal

__all__ = [
    "MONTHLY_FACTORS",
    "Agreement",
    "AgreementAddition",
    "AgreementStatus",
    "BillableStatus",
    "BillingCycle",
    "Contact",
    "Customer",
    "Invoice",
    "InvoiceLine",
    "InvoiceStatus",
    "LineKind",
    "Opportunity",
    "OpportunityStatus",
    "Payment",
    "PaymentAllocation",
    "Product",
    "ProductKind",
    "PurchaseOrder",
    "PurchaseOrderLine",
    "Task",
    "Ticket",
    "TimeEntry",
    "Vendor",
    "VendorBill",
    "VendorBillLine",
]


def _opt_decimal(value: object) -> Decimal | None:
    return None if value is None else to_decimal(value)


def _tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(value)


def _same_currency(owner: str, currency: str, amounts: Iterable[tuple[str, Money | None]]) -> None:
    for name, money in amounts:
        if money is not None and money.currency != currency:
            raise CurrencyMismatchError(f"{owner}.{name} is in {money.currency}, expected {currency}")


# --------------------------------------------------------------------------------------------- parties


@attrs.frozen(kw_only=True)
class Customer(Record):
    """A client organisation (CW company, QBO Customer, SF Account).

    Attributes:
        name: Display name (unique in QBO across customers, vendors and employees).
        identifier: Short human key (CW company ``identifier``).
        company_name: Legal or company name when it differs from ``name``.
        active: False when the source marks it inactive.
        email: Main billing e-mail address.
        phone: Main phone number, as written.
        fax: Fax number.
        website: Web address.
        billing_address: Where invoices go.
        shipping_address: Where goods go.
        terms: Payment terms, in ConnectWise's vocabulary (billing terms name, ``Net 30 days``).
        tax_code: Tax code, in ConnectWise's vocabulary (tax code identifier).
        taxable: Whether sales to it are taxable, when known.
        currency: ISO currency the customer is billed in.
        balance: Open balance, when the source reports it.
        credit_limit: Credit limit, when set.
        account_number: Account number.
        customer_type: Type/category label (CW company type, SF Account Type).
        industry: Industry label.
        parent: The parent organisation.
        owner: The account owner (a CW member / SF user).
        notes: Free text.
        annual_revenue: Annual revenue (CRM data).
        employee_count: Number of employees (CRM data).
    """

    name: str
    identifier: str | None = None
    company_name: str | None = None
    active: bool = True
    email: str | None = None
    phone: str | None = None
    fax: str | None = None
    website: str | None = None
    billing_address: Address | None = None
    shipping_address: Address | None = None
    terms: str | None = None
    tax_code: str | None = None
    taxable: bool | None = None
    currency: str | None = None
    balance: Money | None = None
    credit_limit: Money | None = None
    account_number: str | None = None
    customer_type: str | None = None
    industry: str | None = None
    parent: Link | None = None
    owner: Link | None = None
    notes: str | None = None
    annual_revenue: Money | None = None
    employee_count: int | None = None

    def link(self, display: str | None = None) -> Link:
        """Return a :class:`Link` to this customer, labelled with its name."""
        return Link(refs=self.refs, display=display or self.name)


@attrs.frozen(kw_only=True)
class Contact(Record):
    """A person at a client (CW contact, SF Contact or Lead).

    Attributes:
        first_name: Given name.
        last_name: Family name.
        email: Primary e-mail address.
        phone: Primary phone.
        mobile_phone: Mobile phone.
        title: Job title.
        department: Department label.
        company: The organisation the person belongs to.
        company_name: Organisation name as free text (leads have no linked account).
        address: Mailing address.
        active: False when inactive.
        primary: The organisation's default contact.
        owner: The owner (CW member / SF user).
        lead_status: Lead status when the record is a lead.
        lead_source: Lead source.
        converted: A lead that was converted.
    """

    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    phone: str | None = None
    mobile_phone: str | None = None
    title: str | None = None
    department: str | None = None
    company: Link | None = None
    company_name: str | None = None
    address: Address | None = None
    active: bool = True
    primary: bool = False
    owner: Link | None = None
    lead_status: str | None = None
    lead_source: str | None = None
    converted: bool = False

    @property
    def full_name(self) -> str:
        """First and last name joined by a space (empty parts left out)."""
        return " ".join(x for x in (self.first_name, self.last_name) if x)


@attrs.frozen(kw_only=True)
class Vendor(Record):
    """A supplier (CW company flagged vendor, QBO Vendor).

    Attributes:
        name: Display name.
        identifier: Short human key (CW ``vendorIdentifier`` or company identifier).
        company_name: Legal name.
        active: False when inactive.
        email: E-mail address.
        phone: Phone number.
        website: Web address.
        address: Billing address.
        terms: Payment terms, ConnectWise vocabulary.
        currency: ISO currency of the vendor.
        balance: Open payable balance.
        account_number: The MSP's account number at the vendor.
        notes: Free text.
    """

    name: str
    identifier: str | None = None
    company_name: str | None = None
    active: bool = True
    email: str | None = None
    phone: str | None = None
    website: str | None = None
    address: Address | None = None
    terms: str | None = None
    currency: str | None = None
    balance: Money | None = None
    account_number: str | None = None
    notes: str | None = None


# ------------------------------------------------------------------------------------------- catalogue


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


# --------------------------------------------------------------------------------------------- billing


class LineKind(str, enum.Enum):
    """The role of an invoice line."""

    ITEM = "Item"
    DESCRIPTION = "Description"
    DISCOUNT = "Discount"
    ADJUSTMENT = "Adjustment"


class InvoiceStatus(str, enum.Enum):
    """Lifecycle state of an invoice, normalised across systems."""

    DRAFT = "Draft"
    OPEN = "Open"
    PARTIALLY_PAID = "PartiallyPaid"
    PAID = "Paid"
    VOID = "Void"


@attrs.frozen(kw_only=True)
class InvoiceLine:
    """One line of an invoice.

    Discount lines carry a negative ``amount``. For item lines ``amount`` should equal
    ``quantity x unit_price`` rounded ROUND_HALF_UP to 2 places (QuickBooks rule 6070);
    :func:`msplink.mappers.line_amount` computes it.

    Attributes:
        amount: The line total.
        description: Line text.
        quantity: Quantity (Decimal).
        unit_price: Price per unit.
        kind: Item, description-only, discount or adjustment.
        product: The product sold.
        sku: The product's SKU / CW catalog identifier (drives item mapping).
        product_class: The CW product class (fallback item/account mapping).
        tax_code: Tax code, ConnectWise vocabulary.
        taxable: Whether the line is taxable, when known.
        service_date: Date the service was delivered.
        line_number: Position on the source document.
    """

    amount: Money
    description: str | None = None
    quantity: Decimal | None = attrs.field(default=None, converter=_opt_decimal)
    unit_price: Money | None = None
    kind: LineKind = LineKind.ITEM
    product: Link | None = None
    sku: str | None = None
    product_class: str | None = None
    tax_code: str | None = None
    taxable: bool | None = None
    service_date: date | None = None
    line_number: int | None = None

    def __attrs_post_init__(self) -> None:
        _same_currency("InvoiceLine", self.amount.currency, [("unit_price", self.unit_price)])


@attrs.frozen(kw_only=True)
class Invoice(Record):
    """A sales invoice or credit memo (CW invoice, QBO Invoice, SF custom invoice object).

    Every amount must be in ``currency`` (``CurrencyMismatchError`` otherwise).

    Attributes:
        customer: Who is billed.
        currency: The invoice currency.
        number: Invoice number (CW ``invoiceNumber``, QBO ``DocNumber``).
        invoice_type: CW invoice type (Standard, Agreement, CreditMemo, DownPayment, Progress ...).
        status: Normalised lifecycle state.
        issue_date: Invoice date.
        due_date: Due date.
        lines: The lines, in order.
        subtotal: Total before tax as the source reports it.
        tax_total: Sales tax.
        total: Grand total as the source reports it.
        balance: Amount still open.
        terms: Payment terms, ConnectWise vocabulary.
        tax_code: Document-level tax code, ConnectWise vocabulary.
        po_number: Customer purchase-order number.
        memo: Private/internal note.
        customer_memo: Message shown to the customer.
        email: Where the invoice is e-mailed.
        agreement: The agreement billed, for agreement invoices.
        billing_address: Bill-to address.
        exchange_rate: Home-currency units per invoice-currency unit, when multi-currency.
        tax_inclusive: Line amounts include tax (non-US); None when the source does not say.
    """

    customer: Link
    currency: str
    number: str | None = None
    invoice_type: str | None = None
    status: InvoiceStatus | None = None
    issue_date: date | None = None
    due_date: date | None = None
    lines: tuple[InvoiceLine, ...] = attrs.field(default=(), converter=_tuple)
    subtotal: Money | None = None
    tax_total: Money | None = None
    total: Money | None = None
    balance: Money | None = None
    terms: str | None = None
    tax_code: str | None = None
    po_number: str | None = None
    memo: str | None = None
    customer_memo: str | None = None
    email: str | None = None
    agreement: Link | None = None
    billing_address: Address | None = None
    exchange_rate: Decimal | None = attrs.field(default=None, converter=_opt_decimal)
    tax_inclusive: bool | None = None

    def __attrs_post_init__(self) -> None:
        monies = [("subtotal", self.subtotal), ("tax_total", self.tax_total), ("total", self.total)]
        monies.append(("balance", self.balance))
        monies.extend((f"lines[{i}].amount", line.amount) for i, line in enumerate(self.lines))
        _same_currency("Invoice", self.currency, monies)

    def lines_total(self) -> Money:
        """Sum of every line's amount (discounts are negative), unrounded."""
        return Money.sum((line.amount for line in self.lines), self.currency)

    def computed_total(self) -> Money:
        """Lines total plus ``tax_total`` (zero when unknown)."""
        tax = self.tax_total if self.tax_total is not None else Money.zero(self.currency)
        return self.lines_total() + tax

    @property
    def amount_paid(self) -> Money | None:
        """``total - balance`` when both are known."""
        if self.total is None or self.balance is None:
            return None
        return self.total - self.balance

    def is_paid(self) -> bool:
        """Whether nothing is left to pay (status PAID, or a zero balance on a non-void invoice)."""
        if self.status is InvoiceStatus.PAID:
            return True
        return self.status is not InvoiceStatus.VOID and self.balance is not None and self.balance.is_zero()

    def is_overdue(self, as_of: date) -> bool:
        """Whether the due date has passed on ``as_of`` and a positive balance remains."""
        if self.due_date is None or self.balance is None or self.status is InvoiceStatus.VOID:
            return False
        return self.due_date < as_of and self.balance.amount > 0


@attrs.frozen(kw_only=True)
class PaymentAllocation:
    """The part of a payment applied to one invoice (or credit memo).

    Attributes:
        target: The invoice or credit memo the amount is applied to.
        amount: The amount applied (positive).
        target_type: ``Invoice`` or ``CreditMemo`` (any source type name is kept as is).
    """

    target: Link
    amount: Money
    target_type: str = "Invoice"


@attrs.frozen(kw_only=True)
class Payment(Record):
    """A customer payment, possibly split across several invoices (QBO Payment, CW invoice payment).

    Attributes:
        customer: Who paid.
        total: Cash received.
        payment_date: When it was received.
        method: Payment method label (Check, Card ...).
        reference: Cheque or reference number.
        memo: Private note.
        allocations: How the payment is applied.
        exchange_rate: Home-currency units per payment-currency unit, when multi-currency.
    """

    customer: Link
    total: Money
    payment_date: date | None = None
    method: str | None = None
    reference: str | None = None
    memo: str | None = None
    allocations: tuple[PaymentAllocation, ...] = attrs.field(default=(), converter=_tuple)
    exchange_rate: Decimal | None = attrs.field(default=None, converter=_opt_decimal)

    def __attrs_post_init__(self) -> None:
        _same_currency(
            "Payment",
            self.total.currency,
            [(f"allocations[{i}].amount", a.amount) for i, a in enumerate(self.allocations)],
        )

    @property
    def currency(self) -> str:
        """The payment currency."""
        return self.total.currency

    @property
    def applied(self) -> Money:
        """Amount applied to invoices net of credit memos used (``Σ invoices - Σ credit memos``)."""
        applied = Money.zero(self.currency)
        for allocation in self.allocations:
            if allocation.target_type == "CreditMemo":
                applied = applied - allocation.amount
            else:
                applied = applied + allocation.amount
        return applied

    @property
    def unapplied(self) -> Money:
        """Cash left as customer credit: ``total - applied`` (QBO ``UnappliedAmt``)."""
        return self.total - self.applied


class BillableStatus(str, enum.Enum):
    """Billing status of time (CW billableOption / status, QBO BillableStatus)."""

    BILLABLE = "Billable"
    NOT_BILLABLE = "NotBillable"
    NO_CHARGE = "NoCharge"
    BILLED = "Billed"


@attrs.frozen(kw_only=True)
class TimeEntry(Record):
    """Time worked by a member (CW time entry, QBO TimeActivity).

    Attributes:
        hours: Actual hours worked (Decimal).
        member: Who worked (CW member / QBO employee).
        customer: Who it was for.
        ticket: The service ticket charged.
        project: The project charged.
        agreement: The agreement that covers it.
        invoice: The invoice it was billed on.
        work_date: The day worked.
        start: Start time (tz-aware).
        end: End time (tz-aware).
        billable_hours: Hours billed when different from ``hours``.
        billable: Billing status.
        hourly_rate: Billing rate per hour.
        cost_rate: Cost per hour (labour cost).
        notes: Description of the work.
        work_type: CW work type name.
        work_role: CW work role name.
        status: Approval status label.
        product: The service item billed (QBO TimeActivity ItemRef).
    """

    hours: Decimal = attrs.field(converter=to_decimal)
    member: Link | None = None
    customer: Link | None = None
    ticket: Link | None = None
    project: Link | None = None
    agreement: Link | None = None
    invoice: Link | None = None
    work_date: date | None = None
    start: datetime | None = attrs.field(default=None, validator=tz_aware)
    end: datetime | None = attrs.field(default=None, validator=tz_aware)
    billable_hours: Decimal | None = attrs.field(default=None, converter=_opt_decimal)
    billable: BillableStatus = BillableStatus.BILLABLE
    hourly_rate: Money | None = None
    cost_rate: Money | None = None
    notes: str | None = None
    work_type: str | None = None
    work_role: str | None = None
    status: str | None = None
    product: Link | None = None

    @property
    def hours_to_bill(self) -> Decimal:
        """``billable_hours`` when set, else ``hours``."""
        return self.billable_hours if self.billable_hours is not None else self.hours

    def billable_amount(self) -> Money | None:
        """``hours_to_bill x hourly_rate`` rounded ROUND_HALF_UP to 2 places; None unless billable."""
        if self.billable is not BillableStatus.BILLABLE or self.hourly_rate is None:
            return None
        return (self.hourly_rate * self.hours_to_bill).quantize(2)

    def cost_amount(self) -> Money | None:
        """``hours x cost_rate`` rounded ROUND_HALF_UP to 2 places, when a cost rate is known."""
        if self.cost_rate is None:
            return None
        return (self.cost_rate * self.hours).quantize(2)


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
    additions: tuple[AgreementAddition, ...] = attrs.field(default=(), converter=_tuple)
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
        _same_currency("Agreement", self.currency, monies)

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


# -------------------------------------------------------------------------------------- service, sales


@attrs.frozen(kw_only=True)
class Ticket(Record):
    """A service ticket (CW service ticket, SF Case).

    Attributes:
        summary: One-line subject.
        description: Long description.
        number: Human number (CW ticket id, SF CaseNumber).
        status: Status name, ConnectWise vocabulary.
        priority: Priority name, ConnectWise vocabulary.
        closed: Closed flag.
        escalated: Escalated flag.
        customer: The client.
        contact: The client contact.
        owner: Owner / assignee.
        board: CW service board name.
        ticket_type: Type label.
        source: Origin (phone, e-mail, portal ...).
        opened_at: When it was opened (tz-aware).
        closed_at: When it was closed (tz-aware).
        agreement: Covering agreement.
    """

    summary: str
    description: str | None = None
    number: str | None = None
    status: str | None = None
    priority: str | None = None
    closed: bool = False
    escalated: bool = False
    customer: Link | None = None
    contact: Link | None = None
    owner: Link | None = None
    board: str | None = None
    ticket_type: str | None = None
    source: str | None = None
    opened_at: datetime | None = attrs.field(default=None, validator=tz_aware)
    closed_at: datetime | None = attrs.field(default=None, validator=tz_aware)
    agreement: Link | None = None


class OpportunityStatus(str, enum.Enum):
    """Whether a deal is still open, won or lost."""

    OPEN = "Open"
    WON = "Won"
    LOST = "Lost"


@attrs.frozen(kw_only=True)
class Opportunity(Record):
    """A sales deal (CW opportunity, SF Opportunity).

    Attributes:
        name: Deal name.
        customer: The client.
        contact: Main contact.
        stage: Sales stage, ConnectWise vocabulary.
        status: Open, won or lost.
        amount: Deal value.
        close_date: Expected or actual close date.
        probability: Win probability in percent (0-100).
        owner: Sales rep (CW member / SF user).
        opportunity_type: Type label (New Customer, Renewal ...).
        source: Lead source.
        description: Notes.
        agreement: The agreement this renews, when a renewal.
    """

    name: str
    customer: Link | None = None
    contact: Link | None = None
    stage: str | None = None
    status: OpportunityStatus = OpportunityStatus.OPEN
    amount: Money | None = None
    close_date: date | None = None
    probability: Decimal | None = attrs.field(default=None, converter=_opt_decimal)
    owner: Link | None = None
    opportunity_type: str | None = None
    source: str | None = None
    description: str | None = None
    agreement: Link | None = None


@attrs.frozen(kw_only=True)
class Task(Record):
    """A to-do for a person (SF Task; e.g. "chase overdue invoice").

    Attributes:
        subject: Subject line.
        description: Details.
        status: Status label (SF vocabulary: Not Started, In Progress, Completed ...).
        priority: Priority label (High, Normal, Low).
        closed: Done.
        due_date: Due date.
        owner: Who must do it.
        who: The person it concerns (contact or lead).
        what: The record it concerns (account, opportunity, case, invoice ...).
        completed_at: When it was completed (tz-aware).
    """

    subject: str
    description: str | None = None
    status: str | None = None
    priority: str | None = None
    closed: bool = False
    due_date: date | None = None
    owner: Link | None = None
    who: Link | None = None
    what: Link | None = None
    completed_at: datetime | None = attrs.field(default=None, validator=tz_aware)


# ----------------------------------------------------------------------------------------- procurement


@attrs.frozen(kw_only=True)
class PurchaseOrderLine:
    """One line of a purchase order.

    Attributes:
        amount: Line total (quantity x unit cost).
        description: Line text.
        quantity: Quantity ordered.
        unit_cost: Cost per unit.
        product: The product bought.
        sku: CW catalog identifier / vendor SKU.
        received_quantity: Quantity received so far.
        line_number: Position on the order.
        customer: The client the item is bought for (billable pass-through).
    """

    amount: Money
    description: str | None = None
    quantity: Decimal | None = attrs.field(default=None, converter=_opt_decimal)
    unit_cost: Money | None = None
    product: Link | None = None
    sku: str | None = None
    received_quantity: Decimal | None = attrs.field(default=None, converter=_opt_decimal)
    line_number: int | None = None
    customer: Link | None = None


@attrs.frozen(kw_only=True)
class PurchaseOrder(Record):
    """A purchase order to a vendor (CW purchase order, QBO PurchaseOrder).

    Attributes:
        vendor: The supplier.
        currency: Currency of every amount.
        number: PO number.
        order_date: Order date.
        status: Status label.
        closed: Closed flag.
        customer: The client it was bought for, when a drop-ship / billable PO.
        lines: The lines.
        subtotal: Total before tax and freight.
        tax_total: Sales tax.
        freight: Freight cost.
        total: Grand total.
        terms: Payment terms, ConnectWise vocabulary.
        vendor_invoice_number: The vendor's invoice number once billed.
        vendor_invoice_date: The vendor's invoice date.
        memo: Internal notes.
    """

    vendor: Link
    currency: str
    number: str | None = None
    order_date: date | None = None
    status: str | None = None
    closed: bool = False
    customer: Link | None = None
    lines: tuple[PurchaseOrderLine, ...] = attrs.field(default=(), converter=_tuple)
    subtotal: Money | None = None
    tax_total: Money | None = None
    freight: Money | None = None
    total: Money | None = None
    terms: str | None = None
    vendor_invoice_number: str | None = None
    vendor_invoice_date: date | None = None
    memo: str | None = None

    def __attrs_post_init__(self) -> None:
        monies = [("subtotal", self.subtotal), ("tax_total", self.tax_total), ("freight", self.freight)]
        monies.append(("total", self.total))
        monies.extend((f"lines[{i}].amount", line.amount) for i, line in enumerate(self.lines))
        _same_currency("PurchaseOrder", self.currency, monies)

    def lines_total(self) -> Money:
        """Sum of the line amounts."""
        return Money.sum((line.amount for line in self.lines), self.currency)


@attrs.frozen(kw_only=True)
class VendorBillLine:
    """One line of a vendor bill: an item line (``product`` set) or an account line (``account``).

    Attributes:
        amount: Line total.
        description: Line text.
        quantity: Quantity (item lines).
        unit_cost: Cost per unit (item lines).
        product: The product bought (item lines).
        sku: CW catalog identifier.
        product_class: CW product class (expense-account mapping).
        account: Expense account key (used with ``MappingConfig``) for account lines.
        customer: Client the cost is for.
        billable: Whether the cost is billable to that client.
        tax_code: Tax code, ConnectWise vocabulary.
        taxable: Whether the line is taxable, when known.
    """

    amount: Money
    description: str | None = None
    quantity: Decimal | None = attrs.field(default=None, converter=_opt_decimal)
    unit_cost: Money | None = None
    product: Link | None = None
    sku: str | None = None
    product_class: str | None = None
    account: str | None = None
    customer: Link | None = None
    billable: bool = False
    tax_code: str | None = None
    taxable: bool | None = None


@attrs.frozen(kw_only=True)
class VendorBill(Record):
    """A bill from a supplier (QBO Bill; built from a received CW purchase order).

    Attributes:
        vendor: The supplier.
        currency: Currency of every amount.
        number: The vendor's bill / invoice number.
        bill_date: Bill date.
        due_date: Due date.
        lines: The lines.
        total: Total.
        balance: Amount still to pay.
        terms: Payment terms, ConnectWise vocabulary.
        purchase_order: The purchase order billed.
        memo: Private note.
        exchange_rate: Home-currency units per bill-currency unit, when multi-currency.
    """

    vendor: Link
    currency: str
    number: str | None = None
    bill_date: date | None = None
    due_date: date | None = None
    lines: tuple[VendorBillLine, ...] = attrs.field(default=(), converter=_tuple)
    total: Money | None = None
    balance: Money | None = None
    terms: str | None = None
    purchase_order: Link | None = None
    memo: str | None = None
    exchange_rate: Decimal | None = attrs.field(default=None, converter=_opt_decimal)

    def __attrs_post_init__(self) -> None:
        monies = [("total", self.total), ("balance", self.balance)]
        monies.extend((f"lines[{i}].amount", line.amount) for i, line in enumerate(self.lines))
        _same_currency("VendorBill", self.currency, monies)

    def lines_total(self) -> Money:
        """Sum of the line amounts."""
        return Money.sum((line.amount for line in self.lines), self.currency)
