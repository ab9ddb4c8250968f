"""Lists an MSP maps onto: items, accounts, terms, tax codes and rates, classes and departments.

Writable lists have a typed sparse update (``ItemUpdate`` ...): ``UNSET`` leaves a field alone, ``None``
clears it. Tax codes and rates are read-only in the API, so they have none.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import ClassVar

import attrs

from msplink._core import UNSET, Maybe
from msplink.quickbooks.models._base import Entity, QBOModel, Ref, SparseUpdate

__all__ = [
    "Account",
    "AccountUpdate",
    "Class",
    "ClassUpdate",
    "Department",
    "DepartmentUpdate",
    "Item",
    "ItemUpdate",
    "TaxCode",
    "TaxRate",
    "TaxRateDetail",
    "TaxRateList",
    "Term",
    "TermUpdate",
]


@attrs.frozen(kw_only=True, slots=False)
class Item(Entity):
    """A product or service (``/item``)."""

    entity_name: ClassVar[str] = "Item"
    name: str | None = None
    type: str | None = None
    sku: str | None = None
    description: str | None = None
    purchase_desc: str | None = None
    active: bool | None = None
    fully_qualified_name: str | None = None
    sub_item: bool | None = None
    parent_ref: Ref | None = None
    level: int | None = None
    unit_price: Decimal | None = None
    purchase_cost: Decimal | None = None
    taxable: bool | None = None
    sales_tax_code_ref: Ref | None = None
    income_account_ref: Ref | None = None
    expense_account_ref: Ref | None = None
    asset_account_ref: Ref | None = None
    class_ref: Ref | None = None
    pref_vendor_ref: Ref | None = None
    track_qty_on_hand: bool | None = None
    qty_on_hand: Decimal | None = None
    inv_start_date: date | None = None
    reorder_point: Decimal | None = None
    qty_on_purchase_order: Decimal | None = None


@attrs.frozen(kw_only=True, slots=False)
class Account(Entity):
    """A chart-of-accounts account (``/account``)."""

    entity_name: ClassVar[str] = "Account"
    name: str | None = None
    acct_num: str | None = None
    description: str | None = None
    account_type: str | None = None
    account_sub_type: str | None = None
    classification: str | None = None
    active: bool | None = None
    sub_account: bool | None = None
    parent_ref: Ref | None = None
    fully_qualified_name: str | None = None
    current_balance: Decimal | None = None
    current_balance_with_sub_accounts: Decimal | None = None
    currency_ref: Ref | None = None


@attrs.frozen(kw_only=True, slots=False)
class Term(Entity):
    """A payment term (``/term``)."""

    entity_name: ClassVar[str] = "Term"
    name: str | None = None
    active: bool | None = None
    type: str | None = None
    due_days: int | None = None
    discount_percent: Decimal | None = None
    discount_days: int | None = None
    day_of_month_due: int | None = None
    due_next_month_days: int | None = None
    discount_day_of_month: int | None = None


@attrs.frozen(kw_only=True, slots=False)
class TaxRateDetail(QBOModel):
    """One tax rate of a tax code."""

    tax_rate_ref: Ref | None = None
    tax_type_applicable: str | None = None
    tax_order: int | None = None


@attrs.frozen(kw_only=True, slots=False)
class TaxRateList(QBOModel):
    """A list of tax rate details."""

    tax_rate_detail: tuple[TaxRateDetail, ...] | None = None


@attrs.frozen(kw_only=True, slots=False)
class TaxCode(Entity):
    """A tax code (``/taxcode``, read-only)."""

    entity_name: ClassVar[str] = "TaxCode"
    name: str | None = None
    description: str | None = None
    active: bool | None = None
    taxable: bool | None = None
    tax_group: bool | None = None
    sales_tax_rate_list: TaxRateList | None = None
    purchase_tax_rate_list: TaxRateList | None = None


@attrs.frozen(kw_only=True, slots=False)
class TaxRate(Entity):
    """A tax rate (``/taxrate``, read-only); ``rate_value`` is a percentage."""

    entity_name: ClassVar[str] = "TaxRate"
    name: str | None = None
    description: str | None = None
    active: bool | None = None
    rate_value: Decimal | None = None
    agency_ref: Ref | None = None
    tax_return_line_ref: Ref | None = None
    special_tax_type: str | None = None
    display_type: str | None = None


@attrs.frozen(kw_only=True, slots=False)
class Class(Entity):
    """A class (``/class``) for class tracking."""

    entity_name: ClassVar[str] = "Class"
    name: str | None = None
    active: bool | None = None
    sub_class: bool | None = None
    parent_ref: Ref | None = None
    fully_qualified_name: str | None = None


@attrs.frozen(kw_only=True, slots=False)
class Department(Entity):
    """A department, shown as "Location" in QBO (``/department``)."""

    entity_name: ClassVar[str] = "Department"
    name: str | None = None
    active: bool | None = None
    sub_department: bool | None = None
    parent_ref: Ref | None = None
    fully_qualified_name: str | None = None


@attrs.frozen(kw_only=True, slots=False)
class ItemUpdate(SparseUpdate):
    """A sparse update of an :class:`Item`: ``UNSET`` leaves a field alone, ``None`` clears it."""

    entity_name: ClassVar[str] = "Item"
    name: Maybe[str] = UNSET
    type: Maybe[str] = UNSET
    sku: Maybe[str] = UNSET
    description: Maybe[str] = UNSET
    purchase_desc: Maybe[str] = UNSET
    active: Maybe[bool] = UNSET
    sub_item: Maybe[bool] = UNSET
    parent_ref: Maybe[Ref] = UNSET
    unit_price: Maybe[Decimal] = UNSET
    purchase_cost: Maybe[Decimal] = UNSET
    taxable: Maybe[bool] = UNSET
    sales_tax_code_ref: Maybe[Ref] = UNSET
    income_account_ref: Maybe[Ref] = UNSET
    expense_account_ref: Maybe[Ref] = UNSET
    asset_account_ref: Maybe[Ref] = UNSET
    class_ref: Maybe[Ref] = UNSET
    pref_vendor_ref: Maybe[Ref] = UNSET
    track_qty_on_hand: Maybe[bool] = UNSET
    qty_on_hand: Maybe[Decimal] = UNSET
    inv_start_date: Maybe[date] = UNSET
    reorder_point: Maybe[Decimal] = UNSET


@attrs.frozen(kw_only=True, slots=False)
class AccountUpdate(SparseUpdate):
    """A sparse update of an :class:`Account`: ``UNSET`` leaves a field alone, ``None`` clears it."""

    entity_name: ClassVar[str] = "Account"
    name: Maybe[str] = UNSET
    acct_num: Maybe[str] = UNSET
    description: Maybe[str] = UNSET
    account_type: Maybe[str] = UNSET
    account_sub_type: Maybe[str] = UNSET
    classification: Maybe[str] = UNSET
    active: Maybe[bool] = UNSET
    sub_account: Maybe[bool] = UNSET
    parent_ref: Maybe[Ref] = UNSET
    currency_ref: Maybe[Ref] = UNSET


@attrs.frozen(kw_only=True, slots=False)
class TermUpdate(SparseUpdate):
    """A sparse update of a :class:`Term`: ``UNSET`` leaves a field alone, ``None`` clears it."""

    entity_name: ClassVar[str] = "Term"
    name: Maybe[str] = UNSET
    active: Maybe[bool] = UNSET
    type: Maybe[str] = UNSET
    due_days: Maybe[int] = UNSET
    discount_percent: Maybe[Decimal] = UNSET
    discount_days: Maybe[int] = UNSET
    day_of_month_due: Maybe[int] = UNSET
    due_next_month_days: Maybe[int] = UNSET
    discount_day_of_month: Maybe[int] = UNSET


@attrs.frozen(kw_only=True, slots=False)
class ClassUpdate(SparseUpdate):
    """A sparse update of a :class:`Class`: ``UNSET`` leaves a field alone, ``None`` clears it."""

    entity_name: ClassVar[str] = "Class"
    name: Maybe[str] = UNSET
    active: Maybe[bool] = UNSET
    sub_class: Maybe[bool] = UNSET
    parent_ref: Maybe[Ref] = UNSET


@attrs.frozen(kw_only=True, slots=False)
class DepartmentUpdate(SparseUpdate):
    """A sparse update of a :class:`Department`: ``UNSET`` leaves a field alone, ``None`` clears it."""

    entity_name: ClassVar[str] = "Department"
    name: Maybe[str] = UNSET
    active: Maybe[bool] = UNSET
    sub_department: Maybe[bool] = UNSET
    parent_ref: Maybe[Ref] = UNSET
