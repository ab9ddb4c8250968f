"""Transactions: invoices, estimates, payments, time activities, bills, purchase orders, journal
entries, and the recurring templates that wrap them.

Each updatable transaction has a typed sparse update (``InvoiceUpdate`` ...): ``UNSET`` leaves a field
alone, ``None`` clears it, ``line`` replaces every line. Read-only fields (``TotalAmt`` except on
payments, ``Balance``, ``HomeBalance``, ``UnappliedAmt``, ``InvoiceLink`` ...) are not in the updates.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar

import attrs

from msplink._core import UNSET, Maybe
from msplink.quickbooks.models._base import (
    Address,
    CustomField,
    EmailAddress,
    Entity,
    LinkedTxn,
    Ref,
    SparseUpdate,
)
from msplink.quickbooks.models._converter import structure
from msplink.quickbooks.models._lines import Line, RecurringInfo, TxnTaxDetail

__all__ = [
    "Bill",
    "BillUpdate",
    "Estimate",
    "EstimateUpdate",
    "Invoice",
    "InvoiceUpdate",
    "JournalEntry",
    "JournalEntryUpdate",
    "Payment",
    "PaymentUpdate",
    "PurchaseOrder",
    "PurchaseOrderUpdate",
    "RecurringTransaction",
    "TimeActivity",
    "TimeActivityUpdate",
]


@attrs.frozen(kw_only=True, slots=False)
class _Transaction(Entity):
    doc_number: str | None = None
    txn_date: date | None = None
    private_note: str | None = None
    currency_ref: Ref | None = None
    exchange_rate: Decimal | None = None
    department_ref: Ref | None = None
    linked_txn: tuple[LinkedTxn, ...] | None = None
    line: tuple[Line, ...] | None = None
    txn_tax_detail: TxnTaxDetail | None = None
    total_amt: Decimal | None = None
    home_total_amt: Decimal | None = None
    project_ref: Ref | None = None
    recur_data_ref: Ref | None = None
    recurring_info: RecurringInfo | None = None
    custom_field: tuple[CustomField, ...] | None = None
    global_tax_calculation: str | None = None


@attrs.frozen(kw_only=True, slots=False)
class _SalesTransaction(_Transaction):
    customer_ref: Ref | None = None
    customer_memo: Mapping[str, Any] | None = None
    bill_email: EmailAddress | None = None
    bill_addr: Address | None = None
    ship_addr: Address | None = None
    class_ref: Ref | None = None
    sales_term_ref: Ref | None = None
    due_date: date | None = None
    email_status: str | None = None
    print_status: str | None = None
    balance: Decimal | None = None
    home_balance: Decimal | None = None
    apply_tax_after_discount: bool | None = None
    txn_status: str | None = None
    ship_from_addr: Address | None = None
    ship_date: date | None = None
    ship_method_ref: Ref | None = None
    tracking_num: str | None = None
    free_form_address: bool | None = None
    bill_email_cc: EmailAddress | None = None
    bill_email_bcc: EmailAddress | None = None
    delivery_info: Mapping[str, Any] | None = None
    tax_exemption_ref: Ref | None = None


@attrs.frozen(kw_only=True, slots=False)
class Invoice(_SalesTransaction):
    """An invoice (``/invoice``): ``CustomerRef`` and at least one line; void and delete supported."""

    entity_name: ClassVar[str] = "Invoice"
    deposit: Decimal | None = None
    allow_online_credit_card_payment: bool | None = None
    allow_online_ach_payment: bool | None = None
    allow_online_payment: bool | None = None
    allow_ipn_payment: bool | None = None
    invoice_link: str | None = None


@attrs.frozen(kw_only=True, slots=False)
class Estimate(_SalesTransaction):
    """An estimate (``/estimate``)."""

    entity_name: ClassVar[str] = "Estimate"
    expiration_date: date | None = None
    accepted_by: str | None = None
    accepted_date: date | None = None


@attrs.frozen(kw_only=True, slots=False)
class Payment(_Transaction):
    """A received payment (``/payment``); each line applies an amount to one linked invoice."""

    entity_name: ClassVar[str] = "Payment"
    customer_ref: Ref | None = None
    deposit_to_account_ref: Ref | None = None
    payment_method_ref: Ref | None = None
    payment_ref_num: str | None = None
    unapplied_amt: Decimal | None = None
    process_payment: bool | None = None
    txn_status: str | None = None
    ar_account_ref: Ref | None = None


@attrs.frozen(kw_only=True, slots=False)
class TimeActivity(Entity):
    """A time activity (``/timeactivity``): billable time of an employee or vendor."""

    entity_name: ClassVar[str] = "TimeActivity"
    txn_date: date | None = None
    name_of: str | None = None
    employee_ref: Ref | None = None
    vendor_ref: Ref | None = None
    customer_ref: Ref | None = None
    item_ref: Ref | None = None
    class_ref: Ref | None = None
    department_ref: Ref | None = None
    project_ref: Ref | None = None
    billable_status: str | None = None
    taxable: bool | None = None
    hourly_rate: Decimal | None = None
    cost_rate: Decimal | None = None
    hours: int | None = None
    minutes: int | None = None
    seconds: int | None = None
    break_hours: int | None = None
    break_minutes: int | None = None
    start_time: datetime | None = None
    end_time: datetime | None = None
    description: str | None = None


@attrs.frozen(kw_only=True, slots=False)
class Bill(_Transaction):
    """A vendor bill (``/bill``)."""

    entity_name: ClassVar[str] = "Bill"
    vendor_ref: Ref | None = None
    ap_account_ref: Ref | None = None
    sales_term_ref: Ref | None = None
    due_date: date | None = None
    balance: Decimal | None = None
    home_balance: Decimal | None = None


@attrs.frozen(kw_only=True, slots=False)
class PurchaseOrder(_Transaction):
    """A purchase order (``/purchaseorder``)."""

    entity_name: ClassVar[str] = "PurchaseOrder"
    vendor_ref: Ref | None = None
    ap_account_ref: Ref | None = None
    po_status: str | None = None
    po_email: EmailAddress | None = None
    manually_closed: bool | None = None
    ship_addr: Address | None = None
    vendor_addr: Address | None = None
    ship_method_ref: Ref | None = None
    ship_to: Ref | None = None
    due_date: date | None = None
    memo: str | None = None
    email_status: str | None = None
    class_ref: Ref | None = None
    sales_term_ref: Ref | None = None


@attrs.frozen(kw_only=True, slots=False)
class JournalEntry(_Transaction):
    """A journal entry (``/journalentry``): debits must equal credits."""

    entity_name: ClassVar[str] = "JournalEntry"
    adjustment: bool | None = None


@attrs.frozen(kw_only=True, slots=False)
class RecurringTransaction(Entity):
    """A recurring template (``/recurringtransaction``) wrapping one transaction.

    Exactly one of the transaction attributes is set; :attr:`template` returns it.
    """

    entity_name: ClassVar[str] = "RecurringTransaction"
    invoice: Invoice | None = None
    bill: Bill | None = None
    estimate: Estimate | None = None
    journal_entry: JournalEntry | None = None
    purchase_order: PurchaseOrder | None = None

    @property
    def template(self) -> Entity | None:
        """The wrapped transaction."""
        for value in (self.invoice, self.bill, self.estimate, self.journal_entry, self.purchase_order):
            if value is not None:
                return value
        return None

    @property
    def template_type(self) -> str | None:
        """The wrapped transaction's entity name (``Invoice``, ``Bill`` ...)."""
        template = self.template
        return template.entity_name if template is not None else None

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> RecurringTransaction:
        """Parse a wrapped template; ``Id`` and ``SyncToken`` are lifted from the transaction."""
        parsed = structure(data, cls)
        template = parsed.template
        if template is not None:
            parsed = attrs.evolve(
                parsed, id=template.id, sync_token=template.sync_token, meta_data=template.meta_data
            )
            object.__setattr__(parsed, "raw", dict(data))
        return parsed

    def to_api(self) -> dict[str, Any]:
        """Render the wrapped template only (``{"Invoice": {...}}``)."""
        template = self.template
        if template is None:
            return {}
        return {template.entity_name: template.to_api()}


# ------------------------------------------------------------------------------------- sparse updates


@attrs.frozen(kw_only=True, slots=False)
class _TransactionUpdate(SparseUpdate):
    doc_number: Maybe[str] = UNSET
    txn_date: Maybe[date] = UNSET
    private_note: Maybe[str] = UNSET
    currency_ref: Maybe[Ref] = UNSET
    exchange_rate: Maybe[Decimal] = UNSET
    department_ref: Maybe[Ref] = UNSET
    linked_txn: Maybe[tuple[LinkedTxn, ...]] = UNSET
    line: Maybe[tuple[Line, ...]] = UNSET
    txn_tax_detail: Maybe[TxnTaxDetail] = UNSET
    project_ref: Maybe[Ref] = UNSET
    recur_data_ref: Maybe[Ref] = UNSET
    recurring_info: Maybe[RecurringInfo] = UNSET
    custom_field: Maybe[tuple[CustomField, ...]] = UNSET
    global_tax_calculation: Maybe[str] = UNSET


@attrs.frozen(kw_only=True, slots=False)
class _SalesTransactionUpdate(_TransactionUpdate):
    customer_ref: Maybe[Ref] = UNSET
    customer_memo: Maybe[Mapping[str, Any]] = UNSET
    bill_email: Maybe[EmailAddress] = UNSET
    bill_addr: Maybe[Address] = UNSET
    ship_addr: Maybe[Address] = UNSET
    class_ref: Maybe[Ref] = UNSET
    sales_term_ref: Maybe[Ref] = UNSET
    due_date: Maybe[date] = UNSET
    email_status: Maybe[str] = UNSET
    print_status: Maybe[str] = UNSET
    apply_tax_after_discount: Maybe[bool] = UNSET
    txn_status: Maybe[str] = UNSET
    ship_from_addr: Maybe[Address] = UNSET
    ship_date: Maybe[date] = UNSET
    ship_method_ref: Maybe[Ref] = UNSET
    tracking_num: Maybe[str] = UNSET
    free_form_address: Maybe[bool] = UNSET
    bill_email_cc: Maybe[EmailAddress] = UNSET
    bill_email_bcc: Maybe[EmailAddress] = UNSET
    delivery_info: Maybe[Mapping[str, Any]] = UNSET
    tax_exemption_ref: Maybe[Ref] = UNSET


@attrs.frozen(kw_only=True, slots=False)
class InvoiceUpdate(_SalesTransactionUpdate):
    """A sparse update of an :class:`Invoice`: ``UNSET`` leaves a field alone, ``None`` clears it."""

    entity_name: ClassVar[str] = "Invoice"
    deposit: Maybe[Decimal] = UNSET
    allow_online_credit_card_payment: Maybe[bool] = UNSET
    allow_online_ach_payment: Maybe[bool] = UNSET
    allow_online_payment: Maybe[bool] = UNSET
    allow_ipn_payment: Maybe[bool] = UNSET


@attrs.frozen(kw_only=True, slots=False)
class EstimateUpdate(_SalesTransactionUpdate):
    """A sparse update of an :class:`Estimate`: ``UNSET`` leaves a field alone, ``None`` clears it."""

    entity_name: ClassVar[str] = "Estimate"
    expiration_date: Maybe[date] = UNSET
    accepted_by: Maybe[str] = UNSET
    accepted_date: Maybe[date] = UNSET


@attrs.frozen(kw_only=True, slots=False)
class PaymentUpdate(_TransactionUpdate):
    """A sparse update of a :class:`Payment`: ``UNSET`` leaves a field alone, ``None`` clears it."""

    entity_name: ClassVar[str] = "Payment"
    total_amt: Maybe[Decimal] = UNSET
    customer_ref: Maybe[Ref] = UNSET
    deposit_to_account_ref: Maybe[Ref] = UNSET
    payment_method_ref: Maybe[Ref] = UNSET
    payment_ref_num: Maybe[str] = UNSET
    process_payment: Maybe[bool] = UNSET
    txn_status: Maybe[str] = UNSET
    ar_account_ref: Maybe[Ref] = UNSET


@attrs.frozen(kw_only=True, slots=False)
class TimeActivityUpdate(SparseUpdate):
    """A sparse update of a :class:`TimeActivity`: ``UNSET`` leaves a field alone, ``None`` clears it."""

    entity_name: ClassVar[str] = "TimeActivity"
    txn_date: Maybe[date] = UNSET
    name_of: Maybe[str] = UNSET
    employee_ref: Maybe[Ref] = UNSET
    vendor_ref: Maybe[Ref] = UNSET
    customer_ref: Maybe[Ref] = UNSET
    item_ref: Maybe[Ref] = UNSET
    class_ref: Maybe[Ref] = UNSET
    department_ref: Maybe[Ref] = UNSET
    project_ref: Maybe[Ref] = UNSET
    billable_status: Maybe[str] = UNSET
    taxable: Maybe[bool] = UNSET
    hourly_rate: Maybe[Decimal] = UNSET
    cost_rate: Maybe[Decimal] = UNSET
    hours: Maybe[int] = UNSET
    minutes: Maybe[int] = UNSET
    seconds: Maybe[int] = UNSET
    break_hours: Maybe[int] = UNSET
    break_minutes: Maybe[int] = UNSET
    start_time: Maybe[datetime] = UNSET
    end_time: Maybe[datetime] = UNSET
    description: Maybe[str] = UNSET


@attrs.frozen(kw_only=True, slots=False)
class BillUpdate(_TransactionUpdate):
    """A sparse update of a :class:`Bill`: ``UNSET`` leaves a field alone, ``None`` clears it."""

    entity_name: ClassVar[str] = "Bill"
    vendor_ref: Maybe[Ref] = UNSET
    ap_account_ref: Maybe[Ref] = UNSET
    sales_term_ref: Maybe[Ref] = UNSET
    due_date: Maybe[date] = UNSET


@attrs.frozen(kw_only=True, slots=False)
class PurchaseOrderUpdate(_TransactionUpdate):
    """A sparse update of a :class:`PurchaseOrder`: ``UNSET`` leaves a field alone, ``None`` clears it."""

    entity_name: ClassVar[str] = "PurchaseOrder"
    vendor_ref: Maybe[Ref] = UNSET
    ap_account_ref: Maybe[Ref] = UNSET
    po_status: Maybe[str] = UNSET
    po_email: Maybe[EmailAddress] = UNSET
    manually_closed: Maybe[bool] = UNSET
    ship_addr: Maybe[Address] = UNSET
    vendor_addr: Maybe[Address] = UNSET
    ship_method_ref: Maybe[Ref] = UNSET
    ship_to: Maybe[Ref] = UNSET
    due_date: Maybe[date] = UNSET
    memo: Maybe[str] = UNSET
    email_status: Maybe[str] = UNSET
    class_ref: Maybe[Ref] = UNSET
    sales_term_ref: Maybe[Ref] = UNSET


@attrs.frozen(kw_only=True, slots=False)
class JournalEntryUpdate(_TransactionUpdate):
    """A sparse update of a :class:`JournalEntry`: ``UNSET`` leaves a field alone, ``None`` clears it."""

    entity_name: ClassVar[str] = "JournalEntry"
    adjustment: Maybe[bool] = UNSET
