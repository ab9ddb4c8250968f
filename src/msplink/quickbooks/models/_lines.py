"""Transaction lines and their detail types, tax detail, and the schedule of recurring templates."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

import attrs

from msplink.quickbooks.models._base import LinkedTxn, QBOModel, Ref

__all__ = [
    "AccountBasedExpenseLineDetail",
    "DescriptionLineDetail",
    "DiscountLineDetail",
    "GroupLineDetail",
    "ItemBasedExpenseLineDetail",
    "JournalEntryEntity",
    "JournalEntryLineDetail",
    "Line",
    "RecurringInfo",
    "SalesItemLineDetail",
    "ScheduleInfo",
    "TaxLineDetail",
    "TxnTaxDetail",
]


@attrs.frozen(kw_only=True, slots=False)
class SalesItemLineDetail(QBOModel):
    """Detail of a sales item line (``Amount`` must equal ``round(Qty x UnitPrice, 2)``)."""

    item_ref: Ref | None = None
    qty: Decimal | None = None
    unit_price: Decimal | None = None
    service_date: date | None = None
    tax_code_ref: Ref | None = None
    class_ref: Ref | None = None
    item_account_ref: Ref | None = None
    tax_inclusive_amt: Decimal | None = None
    discount_rate: Decimal | None = None
    discount_amt: Decimal | None = None
    tax_classification_ref: Ref | None = None
    markup_info: Mapping[str, Any] | None = None


@attrs.frozen(kw_only=True, slots=False)
class DiscountLineDetail(QBOModel):
    """Detail of a discount line."""

    percent_based: bool | None = None
    discount_percent: Decimal | None = None
    discount_account_ref: Ref | None = None


@attrs.frozen(kw_only=True, slots=False)
class DescriptionLineDetail(QBOModel):
    """Detail of a description-only line."""

    service_date: date | None = None
    tax_code_ref: Ref | None = None


@attrs.frozen(kw_only=True, slots=False)
class GroupLineDetail(QBOModel):
    """Detail of a bundle (group) line; its inner lines stay in ``raw``."""

    group_item_ref: Ref | None = None
    quantity: Decimal | None = None


@attrs.frozen(kw_only=True, slots=False)
class AccountBasedExpenseLineDetail(QBOModel):
    """Detail of an expense line booked to an account (bills, purchase orders)."""

    account_ref: Ref | None = None
    customer_ref: Ref | None = None
    billable_status: str | None = None
    class_ref: Ref | None = None
    tax_code_ref: Ref | None = None
    tax_amount: Decimal | None = None


@attrs.frozen(kw_only=True, slots=False)
class ItemBasedExpenseLineDetail(QBOModel):
    """Detail of an expense line for an item (bills, purchase orders)."""

    item_ref: Ref | None = None
    qty: Decimal | None = None
    unit_price: Decimal | None = None
    customer_ref: Ref | None = None
    billable_status: str | None = None
    class_ref: Ref | None = None
    tax_code_ref: Ref | None = None


@attrs.frozen(kw_only=True, slots=False)
class JournalEntryEntity(QBOModel):
    """The customer, vendor or employee a journal line is about."""

    type: str | None = None
    entity_ref: Ref | None = None


@attrs.frozen(kw_only=True, slots=False)
class JournalEntryLineDetail(QBOModel):
    """Detail of a journal entry line (``PostingType`` Debit or Credit)."""

    posting_type: str | None = None
    account_ref: Ref | None = None
    entity: JournalEntryEntity | None = None
    class_ref: Ref | None = None
    department_ref: Ref | None = None
    tax_code_ref: Ref | None = None
    tax_applicable_on: str | None = None
    tax_amount: Decimal | None = None


@attrs.frozen(kw_only=True, slots=False)
class TaxLineDetail(QBOModel):
    """Detail of a computed tax line."""

    tax_rate_ref: Ref | None = None
    percent_based: bool | None = None
    tax_percent: Decimal | None = None
    net_amount_taxable: Decimal | None = None


@attrs.frozen(kw_only=True, slots=False)
class Line(QBOModel):
    """A transaction line; ``detail_type`` names which ``*_detail`` attribute is set."""

    id: str | None = None
    line_num: int | None = None
    description: str | None = None
    amount: Decimal | None = None
    detail_type: str | None = None
    sales_item_line_detail: SalesItemLineDetail | None = None
    discount_line_detail: DiscountLineDetail | None = None
    description_line_detail: DescriptionLineDetail | None = None
    sub_total_line_detail: Mapping[str, Any] | None = None
    group_line_detail: GroupLineDetail | None = None
    account_based_expense_line_detail: AccountBasedExpenseLineDetail | None = None
    item_based_expense_line_detail: ItemBasedExpenseLineDetail | None = None
    journal_entry_line_detail: JournalEntryLineDetail | None = None
    tax_line_detail: TaxLineDetail | None = None
    linked_txn: tuple[LinkedTxn, ...] | None = None
    project_ref: Ref | None = None


@attrs.frozen(kw_only=True, slots=False)
class TxnTaxDetail(QBOModel):
    """Transaction tax: the tax code applied, the computed total and tax lines."""

    txn_tax_code_ref: Ref | None = None
    total_tax: Decimal | None = None
    tax_line: tuple[Line, ...] | None = None


@attrs.frozen(kw_only=True, slots=False)
class ScheduleInfo(QBOModel):
    """When a recurring template runs."""

    interval_type: str | None = None
    num_interval: int | None = None
    day_of_month: int | None = None
    day_of_week: str | None = None
    week_of_month: str | None = None
    month_of_year: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    max_occurrences: int | None = None
    days_before: int | None = None
    remind_days: int | None = None
    next_date: date | None = None
    previous_date: date | None = None


@attrs.frozen(kw_only=True, slots=False)
class RecurringInfo(QBOModel):
    """The recurrence of a recurring-transaction template."""

    name: str | None = None
    recur_type: str | None = None
    active: bool | None = None
    schedule_info: ScheduleInfo | None = None
