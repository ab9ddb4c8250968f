"""People and companies: customers, vendors and employees (``DisplayName`` is unique across the three).

Each entity has a typed sparse update (``CustomerUpdate`` ...): ``UNSET`` leaves a field alone, ``None``
clears it. Read-only fields (``Balance``, ``FullyQualifiedName``, ``Level`` ...) are not in the updates.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import ClassVar

import attrs

from msplink._core import UNSET, Maybe
from msplink.quickbooks.models._base import (
    Address,
    EmailAddress,
    Entity,
    Ref,
    SparseUpdate,
    Telephone,
    WebAddress,
)

__all__ = ["Customer", "CustomerUpdate", "Employee", "EmployeeUpdate", "Vendor", "VendorUpdate"]


@attrs.frozen(kw_only=True, slots=False)
class _NameBase(Entity):
    display_name: str | None = None
    title: str | None = None
    given_name: str | None = None
    middle_name: str | None = None
    family_name: str | None = None
    suffix: str | None = None
    company_name: str | None = None
    print_on_check_name: str | None = None
    fully_qualified_name: str | None = None
    active: bool | None = None
    primary_email_addr: EmailAddress | None = None
    primary_phone: Telephone | None = None
    mobile: Telephone | None = None
    fax: Telephone | None = None
    alternate_phone: Telephone | None = None
    web_addr: WebAddress | None = None
    bill_addr: Address | None = None
    currency_ref: Ref | None = None
    balance: Decimal | None = None


@attrs.frozen(kw_only=True, slots=False)
class Customer(_NameBase):
    """A customer (``/customer``); DisplayName is unique across customers, vendors and employees."""

    entity_name: ClassVar[str] = "Customer"
    primary_tax_identifier: str | None = None
    ship_addr: Address | None = None
    notes: str | None = None
    job: bool | None = None
    bill_with_parent: bool | None = None
    parent_ref: Ref | None = None
    level: int | None = None
    taxable: bool | None = None
    default_tax_code_ref: Ref | None = None
    sales_term_ref: Ref | None = None
    payment_method_ref: Ref | None = None
    preferred_delivery_method: str | None = None
    resale_num: str | None = None
    balance_with_jobs: Decimal | None = None
    open_balance_date: date | None = None
    tax_exemption_reason_id: str | None = None
    customer_type_ref: Ref | None = None
    ar_account_ref: Ref | None = None
    is_project: bool | None = None


@attrs.frozen(kw_only=True, slots=False)
class Vendor(_NameBase):
    """A vendor (``/vendor``)."""

    entity_name: ClassVar[str] = "Vendor"
    acct_num: str | None = None
    vendor1099: bool | None = None
    term_ref: Ref | None = None
    tax_identifier: str | None = None
    bill_rate: Decimal | None = None
    cost_rate: Decimal | None = None
    ap_account_ref: Ref | None = None


@attrs.frozen(kw_only=True, slots=False)
class Employee(_NameBase):
    """An employee (``/employee``), needed as ``EmployeeRef`` of time activities."""

    entity_name: ClassVar[str] = "Employee"
    primary_addr: Address | None = None
    employee_number: str | None = None
    ssn: str | None = None
    billable_time: bool | None = None
    bill_rate: Decimal | None = None
    cost_rate: Decimal | None = None
    hired_date: date | None = None
    released_date: date | None = None
    birth_date: date | None = None
    gender: str | None = None


@attrs.frozen(kw_only=True, slots=False)
class _NameUpdate(SparseUpdate):
    display_name: Maybe[str] = UNSET
    title: Maybe[str] = UNSET
    given_name: Maybe[str] = UNSET
    middle_name: Maybe[str] = UNSET
    family_name: Maybe[str] = UNSET
    suffix: Maybe[str] = UNSET
    company_name: Maybe[str] = UNSET
    print_on_check_name: Maybe[str] = UNSET
    active: Maybe[bool] = UNSET
    primary_email_addr: Maybe[EmailAddress] = UNSET
    primary_phone: Maybe[Telephone] = UNSET
    mobile: Maybe[Telephone] = UNSET
    fax: Maybe[Telephone] = UNSET
    alternate_phone: Maybe[Telephone] = UNSET
    web_addr: Maybe[WebAddress] = UNSET
    bill_addr: Maybe[Address] = UNSET
    currency_ref: Maybe[Ref] = UNSET


@attrs.frozen(kw_only=True, slots=False)
class CustomerUpdate(_NameUpdate):
    """A sparse update of a :class:`Customer`: ``UNSET`` leaves a field alone, ``None`` clears it."""

    entity_name: ClassVar[str] = "Customer"
    primary_tax_identifier: Maybe[str] = UNSET
    ship_addr: Maybe[Address] = UNSET
    notes: Maybe[str] = UNSET
    job: Maybe[bool] = UNSET
    bill_with_parent: Maybe[bool] = UNSET
    parent_ref: Maybe[Ref] = UNSET
    taxable: Maybe[bool] = UNSET
    default_tax_code_ref: Maybe[Ref] = UNSET
    sales_term_ref: Maybe[Ref] = UNSET
    payment_method_ref: Maybe[Ref] = UNSET
    preferred_delivery_method: Maybe[str] = UNSET
    resale_num: Maybe[str] = UNSET
    open_balance_date: Maybe[date] = UNSET
    tax_exemption_reason_id: Maybe[str] = UNSET
    customer_type_ref: Maybe[Ref] = UNSET
    ar_account_ref: Maybe[Ref] = UNSET
    is_project: Maybe[bool] = UNSET


@attrs.frozen(kw_only=True, slots=False)
class VendorUpdate(_NameUpdate):
    """A sparse update of a :class:`Vendor`: ``UNSET`` leaves a field alone, ``None`` clears it."""

    entity_name: ClassVar[str] = "Vendor"
    acct_num: Maybe[str] = UNSET
    vendor1099: Maybe[bool] = UNSET
    term_ref: Maybe[Ref] = UNSET
    tax_identifier: Maybe[str] = UNSET
    bill_rate: Maybe[Decimal] = UNSET
    cost_rate: Maybe[Decimal] = UNSET
    ap_account_ref: Maybe[Ref] = UNSET


@attrs.frozen(kw_only=True, slots=False)
class EmployeeUpdate(_NameUpdate):
    """A sparse update of an :class:`Employee`: ``UNSET`` leaves a field alone, ``None`` clears it."""

    entity_name: ClassVar[str] = "Employee"
    primary_addr: Maybe[Address] = UNSET
    employee_number: Maybe[str] = UNSET
    ssn: Maybe[str] = UNSET
    billable_time: Maybe[bool] = UNSET
    bill_rate: Maybe[Decimal] = UNSET
    cost_rate: Maybe[Decimal] = UNSET
    hired_date: Maybe[date] = UNSET
    released_date: Maybe[date] = UNSET
    birth_date: Maybe[date] = UNSET
    gender: Maybe[str] = UNSET
