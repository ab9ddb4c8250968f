"""QuickBooks Online wire models (frozen attrs classes, snake_case attributes).

The QBO wire uses PascalCase keys (``DisplayName``, ``SyncToken``, ``MetaData``) and lower-case keys
on references (``{"value": "58", "name": "..."}``); the converter of this module does the renaming,
the models never know. Parsing is lenient: unknown keys are tolerated, missing keys are ``None``, money
is :class:`~decimal.Decimal`, timestamps are timezone-aware, and every model keeps the untouched payload
in ``.raw`` (excluded from equality and repr) so full updates never drop fields msplink does not model.

Every model has ``Model.from_api(data)`` and ``model.to_api()``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar, TypeVar

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from msplink._core import make_converter

__all__ = [
    "Account",
    "AccountBasedExpenseLineDetail",
    "Address",
    "Bill",
    "Class",
    "CompanyInfo",
    "CustomField",
    "Customer",
    "DeletedEntity",
    "Department",
    "DescriptionLineDetail",
    "DiscountLineDetail",
    "EmailAddress",
    "Employee",
    "Entity",
    "Estimate",
    "GroupLineDetail",
    "Invoice",
    "Item",
    "ItemBasedExpenseLineDetail",
    "JournalEntry",
    "JournalEntryEntity",
    "JournalEntryLineDetail",
    "Line",
    "LinkedTxn",
    "MetaData",
    "Payment",
    "Preferences",
    "PurchaseOrder",
    "QBOModel",
    "RecurringInfo",
    "RecurringTransaction",
    "Ref",
    "SalesItemLineDetail",
    "ScheduleInfo",
    "TaxCode",
    "TaxLineDetail",
    "TaxRate",
    "TaxRateDetail",
    "TaxRateList",
    "Telephone",
    "Term",
    "TimeActivity",
    "TxnTaxDetail",
    "Vendor",
    "WebAddress",
    "converter",
    "entity_class",
]

M = TypeVar("M", bound="QBOModel")

_RENAMES: Mapping[str, str] = {
    "ap_account_ref": "APAccountRef",
    "ar_account_ref": "ARAccountRef",
    "po_status": "POStatus",
    "po_email": "POEmail",
    "uri": "URI",
    "ssn": "SSN",
    "allow_online_ach_payment": "AllowOnlineACHPayment",
    "allow_ipn_payment": "AllowIPNPayment",
    "domain": "domain",
    "sparse": "sparse",
    "status": "status",
}


def wire_name(cls: type[Any], name: str) -> str:
    """The wire key of attribute ``name`` of ``cls`` (PascalCase, or lower-case on references)."""
    if getattr(cls, "_lower_case_wire", False):
        return name
    if name in _RENAMES:
        return _RENAMES[name]
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


def _raw_field() -> Any:
    return attrs.field(factory=dict, eq=False, repr=False, kw_only=True)


@attrs.frozen(kw_only=True)
class QBOModel:
    """Base of every QBO wire model: ``from_api``/``to_api`` and the untouched payload in ``raw``."""

    raw: Mapping[str, Any] = _raw_field()

    @classmethod
    def from_api(cls: type[M], data: Mapping[str, Any]) -> M:
        """Parse a wire payload (the inner object, not the ``{"Customer": ...}`` envelope)."""
        return converter.structure(dict(data), cls)

    def to_api(self) -> dict[str, Any]:
        """Render the set fields (``None`` left out) with their wire names."""
        result: dict[str, Any] = converter.unstructure(self)
        return result

    def to_api_full(self) -> dict[str, Any]:
        """Render for a full update: the model's fields (``None`` = cleared) plus, at every level, the
        keys of ``raw`` msplink does not model (so a full update never drops fields it does not know)."""
        return _render_full(self)


# ------------------------------------------------------------------------------------------ shared


@attrs.frozen(kw_only=True)
class Ref(QBOModel):
    """A reference to another entity (``ReferenceType``): ``{"value": id, "name": display}``."""

    _lower_case_wire: ClassVar[bool] = True
    value: str | None = None
    name: str | None = None
    type: str | None = None


@attrs.frozen(kw_only=True)
class MetaData(QBOModel):
    """Creation and last-update timestamps (read-only)."""

    create_time: datetime | None = None
    last_updated_time: datetime | None = None


@attrs.frozen(kw_only=True)
class EmailAddress(QBOModel):
    """An e-mail address (``{"Address": ...}``)."""

    address: str | None = None


@attrs.frozen(kw_only=True)
class Telephone(QBOModel):
    """A phone number (``{"FreeFormNumber": ...}``)."""

    free_form_number: str | None = None


@attrs.frozen(kw_only=True)
class WebAddress(QBOModel):
    """A web address (``{"URI": ...}``)."""

    uri: str | None = None


@attrs.frozen(kw_only=True)
class Address(QBOModel):
    """A physical address."""

    id: str | None = None
    line1: str | None = None
    line2: str | None = None
    line3: str | None = None
    line4: str | None = None
    line5: str | None = None
    city: str | None = None
    country: str | None = None
    country_sub_division_code: str | None = None
    postal_code: str | None = None
    lat: str | None = None
    long: str | None = None


@attrs.frozen(kw_only=True)
class LinkedTxn(QBOModel):
    """A link to another transaction (payments applied, estimates converted, time billed)."""

    txn_id: str | None = None
    txn_type: str | None = None
    txn_line_id: str | None = None


@attrs.frozen(kw_only=True)
class CustomField(QBOModel):
    """A legacy string custom field of a sales form."""

    definition_id: str | None = None
    name: str | None = None
    type: str | None = None
    string_value: str | None = None


# ------------------------------------------------------------------------------------------- lines


@attrs.frozen(kw_only=True)
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


@attrs.frozen(kw_only=True)
class DiscountLineDetail(QBOModel):
    """Detail of a discount line."""

    percent_based: bool | None = None
    discount_percent: Decimal | None = None
    discount_account_ref: Ref | None = None


@attrs.frozen(kw_only=True)
class DescriptionLineDetail(QBOModel):
    """Detail of a description-only line."""

    service_date: date | None = None
    tax_code_ref: Ref | None = None


@attrs.frozen(kw_only=True)
class GroupLineDetail(QBOModel):
    """Detail of a bundle (group) line; its inner lines stay in ``raw``."""

    group_item_ref: Ref | None = None
    quantity: Decimal | None = None


@attrs.frozen(kw_only=True)
class AccountBasedExpenseLineDetail(QBOModel):
    """Detail of an expense line booked to an account (bills, purchase orders)."""

    account_ref: Ref | None = None
    customer_ref: Ref | None = None
    billable_status: str | None = None
    class_ref: Ref | None = None
    tax_code_ref: Ref | None = None
    tax_amount: Decimal | None = None


@attrs.frozen(kw_only=True)
class ItemBasedExpenseLineDetail(QBOModel):
    """Detail of an expense line for an item (bills, purchase orders)."""

    item_ref: Ref | None = None
    qty: Decimal | None = None
    unit_price: Decimal | None = None
    customer_ref: Ref | None = None
    billable_status: str | None = None
    class_ref: Ref | None = None
    tax_code_ref: Ref | None = None


@attrs.frozen(kw_only=True)
class JournalEntryEntity(QBOModel):
    """The customer, vendor or employee a journal line is about."""

    type: str | None = None
    entity_ref: Ref | None = None


@attrs.frozen(kw_only=True)
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


@attrs.frozen(kw_only=True)
class TaxLineDetail(QBOModel):
    """Detail of a computed tax line."""

    tax_rate_ref: Ref | None = None
    percent_based: bool | None = None
    tax_percent: Decimal | None = None
    net_amount_taxable: Decimal | None = None


@attrs.frozen(kw_only=True)
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


@attrs.frozen(kw_only=True)
class TxnTaxDetail(QBOModel):
    """Transaction tax: the tax code applied, the computed total and tax lines."""

    txn_tax_code_ref: Ref | None = None
    total_tax: Decimal | None = None
    tax_line: tuple[Line, ...] | None = None


@attrs.frozen(kw_only=True)
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


@attrs.frozen(kw_only=True)
class RecurringInfo(QBOModel):
    """The recurrence of a recurring-transaction template."""

    name: str | None = None
    recur_type: str | None = None
    active: bool | None = None
    schedule_info: ScheduleInfo | None = None


# ---------------------------------------------------------------------------------------- entities


@attrs.frozen(kw_only=True)
class Entity(QBOModel):
    """Fields common to every QBO entity: ``Id``, ``SyncToken``, ``MetaData``."""

    entity_name: ClassVar[str] = ""
    id: str | None = None
    sync_token: str | None = None
    meta_data: MetaData | None = None
    domain: str | None = None
    sparse: bool | None = None


@attrs.frozen(kw_only=True)
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


@attrs.frozen(kw_only=True)
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


@attrs.frozen(kw_only=True)
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


@attrs.frozen(kw_only=True)
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


@attrs.frozen(kw_only=True)
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


@attrs.frozen(kw_only=True)
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


@attrs.frozen(kw_only=True)
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


@attrs.frozen(kw_only=True)
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


@attrs.frozen(kw_only=True)
class Invoice(_SalesTransaction):
    """An invoice (``/invoice``): ``CustomerRef`` and at least one line; void and delete supported."""

    entity_name: ClassVar[str] = "Invoice"
    deposit: Decimal | None = None
    allow_online_credit_card_payment: bool | None = None
    allow_online_ach_payment: bool | None = None
    allow_online_payment: bool | None = None
    allow_ipn_payment: bool | None = None
    invoice_link: str | None = None


@attrs.frozen(kw_only=True)
class Estimate(_SalesTransaction):
    """An estimate (``/estimate``)."""

    entity_name: ClassVar[str] = "Estimate"
    expiration_date: date | None = None
    accepted_by: str | None = None
    accepted_date: date | None = None


@attrs.frozen(kw_only=True)
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


@attrs.frozen(kw_only=True)
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


@attrs.frozen(kw_only=True)
class Bill(_Transaction):
    """A vendor bill (``/bill``)."""

    entity_name: ClassVar[str] = "Bill"
    vendor_ref: Ref | None = None
    ap_account_ref: Ref | None = None
    sales_term_ref: Ref | None = None
    due_date: date | None = None
    balance: Decimal | None = None
    home_balance: Decimal | None = None


@attrs.frozen(kw_only=True)
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


@attrs.frozen(kw_only=True)
class JournalEntry(_Transaction):
    """A journal entry (``/journalentry``): debits must equal credits."""

    entity_name: ClassVar[str] = "JournalEntry"
    adjustment: bool | None = None


@attrs.frozen(kw_only=True)
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


@attrs.frozen(kw_only=True)
class TaxRateDetail(QBOModel):
    """One tax rate of a tax code."""

    tax_rate_ref: Ref | None = None
    tax_type_applicable: str | None = None
    tax_order: int | None = None


@attrs.frozen(kw_only=True)
class TaxRateList(QBOModel):
    """A list of tax rate details."""

    tax_rate_detail: tuple[TaxRateDetail, ...] | None = None


@attrs.frozen(kw_only=True)
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


@attrs.frozen(kw_only=True)
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


@attrs.frozen(kw_only=True)
class Class(Entity):
    """A class (``/class``) for class tracking."""

    entity_name: ClassVar[str] = "Class"
    name: str | None = None
    active: bool | None = None
    sub_class: bool | None = None
    parent_ref: Ref | None = None
    fully_qualified_name: str | None = None


@attrs.frozen(kw_only=True)
class Department(Entity):
    """A department, shown as "Location" in QBO (``/department``)."""

    entity_name: ClassVar[str] = "Department"
    name: str | None = None
    active: bool | None = None
    sub_department: bool | None = None
    parent_ref: Ref | None = None
    fully_qualified_name: str | None = None


@attrs.frozen(kw_only=True)
class CompanyInfo(Entity):
    """The company profile (``/companyinfo/{realmId}``)."""

    entity_name: ClassVar[str] = "CompanyInfo"
    company_name: str | None = None
    legal_name: str | None = None
    company_addr: Address | None = None
    legal_addr: Address | None = None
    customer_communication_addr: Address | None = None
    primary_phone: Telephone | None = None
    company_email_addr: EmailAddress | None = None
    email: EmailAddress | None = None
    web_addr: WebAddress | None = None
    country: str | None = None
    fiscal_year_start_month: str | None = None
    supported_languages: str | None = None
    default_time_zone: str | None = None
    company_start_date: date | None = None
    name_value: tuple[Mapping[str, Any], ...] | None = None


@attrs.frozen(kw_only=True)
class Preferences(Entity):
    """The company preferences (``/preferences``); each group is kept as its wire mapping."""

    entity_name: ClassVar[str] = "Preferences"
    accounting_info_prefs: Mapping[str, Any] | None = None
    product_and_services_prefs: Mapping[str, Any] | None = None
    sales_forms_prefs: Mapping[str, Any] | None = None
    email_messages_prefs: Mapping[str, Any] | None = None
    vendor_and_purchases_prefs: Mapping[str, Any] | None = None
    time_tracking_prefs: Mapping[str, Any] | None = None
    tax_prefs: Mapping[str, Any] | None = None
    currency_prefs: Mapping[str, Any] | None = None
    report_prefs: Mapping[str, Any] | None = None
    other_prefs: Mapping[str, Any] | None = None


@attrs.frozen(kw_only=True)
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
        parsed = converter.structure(dict(data), cls)
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


@attrs.frozen(kw_only=True)
class DeletedEntity(QBOModel):
    """A deletion: the answer of a delete, or a CDC tombstone (``status: "Deleted"``)."""

    entity_name: str = ""
    id: str | None = None
    status: str | None = None
    domain: str | None = None
    meta_data: MetaData | None = None


_ENTITIES: tuple[type[Entity], ...] = (
    Customer,
    Vendor,
    Employee,
    Item,
    Account,
    Invoice,
    Payment,
    TimeActivity,
    Bill,
    PurchaseOrder,
    JournalEntry,
    RecurringTransaction,
    Estimate,
    Term,
    TaxCode,
    TaxRate,
    Class,
    Department,
    CompanyInfo,
    Preferences,
)

_BY_NAME: Mapping[str, type[Entity]] = {cls.entity_name: cls for cls in _ENTITIES}


def entity_class(name: str) -> type[Entity] | None:
    """The model class of a QBO entity name (``"Invoice"`` -> :class:`Invoice`), or ``None``."""
    return _BY_NAME.get(name)


# ---------------------------------------------------------------------------------------- converter


def _full_value(value: Any) -> Any:
    if isinstance(value, QBOModel):
        return _render_full(value)
    if isinstance(value, (tuple, list)):
        return [_full_value(item) for item in value]
    return converter.unstructure(value)


def _render_full(model: QBOModel) -> dict[str, Any]:
    cls = type(model)
    known: set[str] = set()
    out: dict[str, Any] = {}
    for attribute in attrs.fields(cls):
        if attribute.name in {"raw", "entity_name"}:
            continue
        key = wire_name(cls, attribute.name)
        known.add(key)
        value = getattr(model, attribute.name)
        if value is not None:
            out[key] = _full_value(value)
    for key, value in model.raw.items():
        if key not in known:
            out[key] = value
    return out


def _build_converter(*, strict: bool = False) -> cattrs.Converter:
    conv = make_converter(strict=strict)

    def structure_factory(cls: type[Any]) -> Any:
        fields = attrs.fields(cls)
        overrides = {a.name: override(rename=wire_name(cls, a.name)) for a in fields if a.name != "raw"}
        overrides["raw"] = override(omit=True)
        if "entity_name" in {a.name for a in fields}:
            overrides["entity_name"] = override(omit=True)
        inner = make_dict_structure_fn(cls, conv, **overrides)  # type: ignore[arg-type]

        def structure(data: Any, target: type[Any]) -> Any:
            if not isinstance(data, Mapping):
                raise TypeError(f"expected an object for {cls.__name__}, got {type(data).__name__}")
            result = inner(data, target)
            object.__setattr__(result, "raw", data)
            return result

        return structure

    def unstructure_factory(cls: type[Any]) -> Any:
        fields = attrs.fields(cls)
        overrides = {a.name: override(rename=wire_name(cls, a.name)) for a in fields if a.name != "raw"}
        overrides["raw"] = override(omit=True)
        if "entity_name" in {a.name for a in fields}:
            overrides["entity_name"] = override(omit=True)
        inner = make_dict_unstructure_fn(cls, conv, **overrides)  # type: ignore[arg-type]

        def unstructure(value: Any) -> dict[str, Any]:
            data: dict[str, Any] = inner(value)
            return {k: v for k, v in data.items() if v is not None}

        return unstructure

    conv.register_structure_hook_factory(
        lambda t: attrs.has(t) and issubclass(t, QBOModel), structure_factory
    )
    conv.register_unstructure_hook_factory(
        lambda t: attrs.has(t) and issubclass(t, QBOModel), unstructure_factory
    )
    conv.register_structure_hook(str, lambda v, _: v if isinstance(v, str) else str(v))
    conv.register_unstructure_hook(Decimal, lambda v: v)
    return conv


converter = _build_converter()
"""The QBO converter (lenient: unknown keys ignored)."""

strict_converter = _build_converter(strict=True)
"""A converter that forbids unknown keys (used by the test-suite to catch model drift)."""
