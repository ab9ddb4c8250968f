"""Resource shells: one line per verb over the pure call builders (sync and async twins)."""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from typing import Any, Generic, TypeVar

from msplink._core import AsyncExecutor, AsyncPaginator, Paginator, SyncExecutor, path
from msplink.errors import ConfigurationError
from msplink.quickbooks import _calls as calls
from msplink.quickbooks._calls import EntitySpec
from msplink.quickbooks.models import (
    Account,
    Bill,
    Class,
    CompanyInfo,
    Customer,
    DeletedEntity,
    Department,
    Employee,
    Entity,
    Estimate,
    Invoice,
    Item,
    JournalEntry,
    Payment,
    Preferences,
    PurchaseOrder,
    RecurringTransaction,
    TaxCode,
    TaxRate,
    Term,
    TimeActivity,
    Vendor,
)
from msplink.quickbooks.query import MAX_RESULTS, Condition, Select, select

E = TypeVar("E", bound=Entity)


def _statement(spec: EntitySpec[Any], conditions: tuple[Condition, ...], order_by: str, desc: bool) -> Select:
    return select(spec.name).where(*conditions).order_by(order_by, desc=desc)


def _page_size(limit: int | None, page_size: int) -> int:
    if isinstance(page_size, bool) or not isinstance(page_size, int) or not 1 <= page_size <= MAX_RESULTS:
        raise ConfigurationError(f"page_size must be in 1..{MAX_RESULTS}")
    return min(page_size, limit) if limit else page_size


class _Sync(Generic[E]):
    def __init__(
        self, executor: SyncExecutor, spec: EntitySpec[E], minor_version: int, realm_id: str
    ) -> None:
        self._x = executor
        self._spec = spec
        self._mv = minor_version
        self._realm = realm_id


class _Async(Generic[E]):
    def __init__(
        self, executor: AsyncExecutor, spec: EntitySpec[E], minor_version: int, realm_id: str
    ) -> None:
        self._x = executor
        self._spec = spec
        self._mv = minor_version
        self._realm = realm_id


# ------------------------------------------------------------------------------------------ sync verbs


class _Get(_Sync[E]):
    def get(self, entity_id: str, /) -> E:
        """Read one entity (GET /v3/company/{realm}/{entity}/{id}).

        Raises:
            NotFoundError: No such entity (QBO fault 610).
        """
        return self._x.execute(calls.get_call(self._spec, entity_id, minor_version=self._mv))


class _Query(_Sync[E]):
    def query(self, statement: str | Select, /) -> builtins.list[E]:
        """Run one query statement as given (POST /v3/company/{realm}/query).

        Raises:
            QueryError: The statement is not a SELECT (before any I/O).
        """
        return self._x.execute(calls.query_call(self._spec, statement, minor_version=self._mv))

    def list(
        self,
        *conditions: Condition,
        order_by: str = "Id",
        desc: bool = False,
        limit: int | None = None,
        page_size: int = MAX_RESULTS,
        start: int = 1,
    ) -> Paginator[E]:
        """Every matching entity, lazily paged by STARTPOSITION/MAXRESULTS (POST /v3/company/{realm}/query).

        ``start`` resumes from a checkpoint (a page's ``next_cursor``).
        """
        stmt = _statement(self._spec, conditions, order_by, desc).page(start, _page_size(limit, page_size))
        first = calls.query_page_call(self._spec, stmt, minor_version=self._mv)
        return Paginator(self._x, first, calls.next_query_page(self._mv, self._spec), limit=limit)

    def count(self, *conditions: Condition) -> int:
        """Count matching entities (POST /v3/company/{realm}/query with SELECT COUNT(*))."""
        return self._x.execute(
            calls.count_call(select(self._spec.name).where(*conditions), minor_version=self._mv)
        )


class _Create(_Sync[E]):
    def create(self, entity: E | Mapping[str, Any], /, *, request_id: str | None = None) -> E:
        """Create an entity (POST /v3/company/{realm}/{entity}); the ``requestid`` is kept across retries.

        Raises:
            DuplicateNameError: The name is taken (6240).
            AmountMismatchError: A line amount is not Qty x UnitPrice (6070).
        """
        call = calls.create_call(self._spec, entity, minor_version=self._mv, request_id=request_id)
        return self._x.execute(call)


class _Update(_Sync[E]):
    def update(
        self, entity: E | Mapping[str, Any], /, *, full: bool = False, request_id: str | None = None
    ) -> E:
        """Update an entity (POST /v3/company/{realm}/{entity}); sparse (set fields only) unless ``full``.

        Raises:
            StaleObjectError: The SyncToken is stale (5010); re-read and re-apply.
        """
        call = calls.update_call(self._spec, entity, full=full, minor_version=self._mv, request_id=request_id)
        return self._x.execute(call)


class _Delete(_Sync[E]):
    def delete(self, entity_id: str, /, *, sync_token: str, request_id: str | None = None) -> DeletedEntity:
        """Delete a transaction (POST /v3/company/{realm}/{entity}?operation=delete)."""
        call = calls.delete_call(
            self._spec, entity_id, sync_token=sync_token, minor_version=self._mv, request_id=request_id
        )
        return self._x.execute(call)


class _Deactivate(_Sync[E]):
    def delete(self, entity_id: str, /, *, sync_token: str, request_id: str | None = None) -> E:
        """Deactivate a name-list entity (POST /v3/company/{realm}/{entity}, sparse ``Active: false``).

        QBO has no delete for name lists: inactive entities disappear from default queries.
        """
        call = calls.deactivate_call(
            self._spec, entity_id, sync_token=sync_token, minor_version=self._mv, request_id=request_id
        )
        return self._x.execute(call)


class _Void(_Sync[E]):
    def void(self, entity_id: str, /, *, sync_token: str, request_id: str | None = None) -> E:
        """Void a transaction (POST /v3/company/{realm}/invoice?operation=void, or payment ?operation=update&include=void)."""
        call = calls.void_call(
            self._spec, entity_id, sync_token=sync_token, minor_version=self._mv, request_id=request_id
        )
        return self._x.execute(call)


class _NameList(_Get[E], _Query[E], _Create[E], _Update[E], _Deactivate[E]):
    """A name list: get, query, list, count, create, update, delete (deactivate)."""


class _Transactions(_Get[E], _Query[E], _Create[E], _Update[E], _Delete[E]):
    """A transaction: get, query, list, count, create, update, delete."""


class Customers(_NameList[Customer]):
    """Customers (``/customer``)."""


class Vendors(_NameList[Vendor]):
    """Vendors (``/vendor``)."""


class Employees(_NameList[Employee]):
    """Employees (``/employee``)."""


class Items(_NameList[Item]):
    """Items: products and services (``/item``)."""


class Accounts(_NameList[Account]):
    """Chart of accounts (``/account``)."""


class Terms(_NameList[Term]):
    """Payment terms (``/term``)."""


class Classes(_NameList[Class]):
    """Classes (``/class``)."""


class Departments(_NameList[Department]):
    """Departments / locations (``/department``)."""


class Invoices(_Transactions[Invoice], _Void[Invoice]):
    """Invoices (``/invoice``), with void."""


class Payments(_Transactions[Payment], _Void[Payment]):
    """Payments (``/payment``), with void."""


class TimeActivities(_Transactions[TimeActivity]):
    """Time activities (``/timeactivity``)."""


class Bills(_Transactions[Bill]):
    """Vendor bills (``/bill``)."""


class PurchaseOrders(_Transactions[PurchaseOrder]):
    """Purchase orders (``/purchaseorder``)."""


class JournalEntries(_Transactions[JournalEntry]):
    """Journal entries (``/journalentry``)."""


class Estimates(_Transactions[Estimate]):
    """Estimates (``/estimate``)."""


class TaxCodes(_Get[TaxCode], _Query[TaxCode]):
    """Tax codes (``/taxcode``, read-only)."""


class TaxRates(_Get[TaxRate], _Query[TaxRate]):
    """Tax rates (``/taxrate``, read-only)."""


class RecurringTransactions(
    _Get[RecurringTransaction], _Query[RecurringTransaction], _Create[RecurringTransaction]
):
    """Recurring templates (``/recurringtransaction``): create, read, query, delete; QBO has no update."""

    def delete(
        self, entity_id: str, /, *, sync_token: str, template_type: str, request_id: str | None = None
    ) -> DeletedEntity:
        """Delete a template (POST /v3/company/{realm}/recurringtransaction?operation=delete, wrapped body)."""
        call = calls.delete_call(
            self._spec,
            entity_id,
            sync_token=sync_token,
            minor_version=self._mv,
            request_id=request_id,
            wrap=template_type,
        )
        return self._x.execute(call)


class CompanyInfoResource(_Update[CompanyInfo]):
    """The company profile (``/companyinfo/{realmId}``)."""

    def get(self) -> CompanyInfo:
        """Read the company profile (GET /v3/company/{realm}/companyinfo/{realm})."""
        return self._x.execute(
            calls.singleton_call(
                self._spec, path("/companyinfo/{id}", id=self._realm), minor_version=self._mv
            )
        )


class PreferencesResource(_Update[Preferences]):
    """The company preferences (``/preferences``); QBO documents full update only, so that is the default."""

    def update(
        self, entity: Preferences | Mapping[str, Any], /, *, full: bool = True, request_id: str | None = None
    ) -> Preferences:
        """Update the preferences (POST /v3/company/{realm}/preferences), a full update of a read model."""
        return super().update(entity, full=full, request_id=request_id)

    def get(self) -> Preferences:
        """Read the preferences (GET /v3/company/{realm}/preferences)."""
        return self._x.execute(calls.singleton_call(self._spec, "/preferences", minor_version=self._mv))


# ----------------------------------------------------------------------------------------- async verbs


class _AGet(_Async[E]):
    async def get(self, entity_id: str, /) -> E:
        """Read one entity (GET /v3/company/{realm}/{entity}/{id})."""
        return await self._x.execute(calls.get_call(self._spec, entity_id, minor_version=self._mv))


class _AQuery(_Async[E]):
    async def query(self, statement: str | Select, /) -> builtins.list[E]:
        """Run one query statement as given (POST /v3/company/{realm}/query)."""
        return await self._x.execute(calls.query_call(self._spec, statement, minor_version=self._mv))

    def list(
        self,
        *conditions: Condition,
        order_by: str = "Id",
        desc: bool = False,
        limit: int | None = None,
        page_size: int = MAX_RESULTS,
        start: int = 1,
    ) -> AsyncPaginator[E]:
        """Every matching entity, lazily paged by STARTPOSITION/MAXRESULTS (POST /v3/company/{realm}/query).

        ``start`` resumes from a checkpoint (a page's ``next_cursor``).
        """
        stmt = _statement(self._spec, conditions, order_by, desc).page(start, _page_size(limit, page_size))
        first = calls.query_page_call(self._spec, stmt, minor_version=self._mv)
        return AsyncPaginator(self._x, first, calls.next_query_page(self._mv, self._spec), limit=limit)

    async def count(self, *conditions: Condition) -> int:
        """Count matching entities (POST /v3/company/{realm}/query with SELECT COUNT(*))."""
        return await self._x.execute(
            calls.count_call(select(self._spec.name).where(*conditions), minor_version=self._mv)
        )


class _ACreate(_Async[E]):
    async def create(self, entity: E | Mapping[str, Any], /, *, request_id: str | None = None) -> E:
        """Create an entity (POST /v3/company/{realm}/{entity}); the ``requestid`` is kept across retries."""
        call = calls.create_call(self._spec, entity, minor_version=self._mv, request_id=request_id)
        return await self._x.execute(call)


class _AUpdate(_Async[E]):
    async def update(
        self, entity: E | Mapping[str, Any], /, *, full: bool = False, request_id: str | None = None
    ) -> E:
        """Update an entity (POST /v3/company/{realm}/{entity}); sparse unless ``full``."""
        call = calls.update_call(self._spec, entity, full=full, minor_version=self._mv, request_id=request_id)
        return await self._x.execute(call)


class _ADelete(_Async[E]):
    async def delete(
        self, entity_id: str, /, *, sync_token: str, request_id: str | None = None
    ) -> DeletedEntity:
        """Delete a transaction (POST /v3/company/{realm}/{entity}?operation=delete)."""
        call = calls.delete_call(
            self._spec, entity_id, sync_token=sync_token, minor_version=self._mv, request_id=request_id
        )
        return await self._x.execute(call)


class _ADeactivate(_Async[E]):
    async def delete(self, entity_id: str, /, *, sync_token: str, request_id: str | None = None) -> E:
        """Deactivate a name-list entity (POST /v3/company/{realm}/{entity}, sparse ``Active: false``)."""
        call = calls.deactivate_call(
            self._spec, entity_id, sync_token=sync_token, minor_version=self._mv, request_id=request_id
        )
        return await self._x.execute(call)


class _AVoid(_Async[E]):
    async def void(self, entity_id: str, /, *, sync_token: str, request_id: str | None = None) -> E:
        """Void a transaction (POST /v3/company/{realm}/invoice?operation=void, or payment ?operation=update&include=void)."""
        call = calls.void_call(
            self._spec, entity_id, sync_token=sync_token, minor_version=self._mv, request_id=request_id
        )
        return await self._x.execute(call)


class _ANameList(_AGet[E], _AQuery[E], _ACreate[E], _AUpdate[E], _ADeactivate[E]):
    """A name list (async)."""


class _ATransactions(_AGet[E], _AQuery[E], _ACreate[E], _AUpdate[E], _ADelete[E]):
    """A transaction (async)."""


class AsyncCustomers(_ANameList[Customer]):
    """Customers (``/customer``)."""


class AsyncVendors(_ANameList[Vendor]):
    """Vendors (``/vendor``)."""


class AsyncEmployees(_ANameList[Employee]):
    """Employees (``/employee``)."""


class AsyncItems(_ANameList[Item]):
    """Items (``/item``)."""


class AsyncAccounts(_ANameList[Account]):
    """Chart of accounts (``/account``)."""


class AsyncTerms(_ANameList[Term]):
    """Payment terms (``/term``)."""


class AsyncClasses(_ANameList[Class]):
    """Classes (``/class``)."""


class AsyncDepartments(_ANameList[Department]):
    """Departments (``/department``)."""


class AsyncInvoices(_ATransactions[Invoice], _AVoid[Invoice]):
    """Invoices (``/invoice``), with void."""


class AsyncPayments(_ATransactions[Payment], _AVoid[Payment]):
    """Payments (``/payment``), with void."""


class AsyncTimeActivities(_ATransactions[TimeActivity]):
    """Time activities (``/timeactivity``)."""


class AsyncBills(_ATransactions[Bill]):
    """Vendor bills (``/bill``)."""


class AsyncPurchaseOrders(_ATransactions[PurchaseOrder]):
    """Purchase orders (``/purchaseorder``)."""


class AsyncJournalEntries(_ATransactions[JournalEntry]):
    """Journal entries (``/journalentry``)."""


class AsyncEstimates(_ATransactions[Estimate]):
    """Estimates (``/estimate``)."""


class AsyncTaxCodes(_AGet[TaxCode], _AQuery[TaxCode]):
    """Tax codes (``/taxcode``, read-only)."""


class AsyncTaxRates(_AGet[TaxRate], _AQuery[TaxRate]):
    """Tax rates (``/taxrate``, read-only)."""


class AsyncRecurringTransactions(
    _AGet[RecurringTransaction], _AQuery[RecurringTransaction], _ACreate[RecurringTransaction]
):
    """Recurring templates (``/recurringtransaction``): create, read, query, delete."""

    async def delete(
        self, entity_id: str, /, *, sync_token: str, template_type: str, request_id: str | None = None
    ) -> DeletedEntity:
        """Delete a template (POST /v3/company/{realm}/recurringtransaction?operation=delete, wrapped body)."""
        call = calls.delete_call(
            self._spec,
            entity_id,
            sync_token=sync_token,
            minor_version=self._mv,
            request_id=request_id,
            wrap=template_type,
        )
        return await self._x.execute(call)


class AsyncCompanyInfoResource(_AUpdate[CompanyInfo]):
    """The company profile (``/companyinfo/{realmId}``)."""

    async def get(self) -> CompanyInfo:
        """Read the company profile (GET /v3/company/{realm}/companyinfo/{realm})."""
        return await self._x.execute(
            calls.singleton_call(
                self._spec, path("/companyinfo/{id}", id=self._realm), minor_version=self._mv
            )
        )


class AsyncPreferencesResource(_AUpdate[Preferences]):
    """The company preferences (``/preferences``); QBO documents full update only, so that is the default."""

    async def update(
        self, entity: Preferences | Mapping[str, Any], /, *, full: bool = True, request_id: str | None = None
    ) -> Preferences:
        """Update the preferences (POST /v3/company/{realm}/preferences), a full update of a read model."""
        return await super().update(entity, full=full, request_id=request_id)

    async def get(self) -> Preferences:
        """Read the preferences (GET /v3/company/{realm}/preferences)."""
        return await self._x.execute(calls.singleton_call(self._spec, "/preferences", minor_version=self._mv))


SPECS: dict[str, EntitySpec[Any]] = {
    "customers": EntitySpec(Customer, "customer"),
    "vendors": EntitySpec(Vendor, "vendor"),
    "employees": EntitySpec(Employee, "employee"),
    "items": EntitySpec(Item, "item"),
    "accounts": EntitySpec(Account, "account"),
    "invoices": EntitySpec(Invoice, "invoice"),
    "payments": EntitySpec(Payment, "payment"),
    "time_activities": EntitySpec(TimeActivity, "timeactivity"),
    "bills": EntitySpec(Bill, "bill"),
    "purchase_orders": EntitySpec(PurchaseOrder, "purchaseorder"),
    "journal_entries": EntitySpec(JournalEntry, "journalentry"),
    "recurring_transactions": EntitySpec(RecurringTransaction, "recurringtransaction"),
    "estimates": EntitySpec(Estimate, "estimate"),
    "terms": EntitySpec(Term, "term"),
    "tax_codes": EntitySpec(TaxCode, "taxcode"),
    "tax_rates": EntitySpec(TaxRate, "taxrate"),
    "classes": EntitySpec(Class, "class"),
    "departments": EntitySpec(Department, "department"),
    "company_info": EntitySpec(CompanyInfo, "companyinfo"),
    "preferences": EntitySpec(Preferences, "preferences"),
}
