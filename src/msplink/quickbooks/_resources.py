"""Resources: plural nouns with a closed set of verbs, sync and async twins.

Every verb is one line over a pure call builder (:mod:`._calls`); the async twin of a verb is the same
line with ``await`` and carries the sync docstring (copied, so the two cannot drift).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Generic, TypeVar

from msplink._core import (
    AsyncExecutor,
    AsyncPaginator,
    Call,
    NextCall,
    Page,
    Paginator,
    SyncExecutor,
    path,
    twin_doc,
)
from msplink.quickbooks import _calls as calls
from msplink.quickbooks._calls import EntitySpec
from msplink.quickbooks.models import (
    Account,
    AccountUpdate,
    Bill,
    BillUpdate,
    Class,
    ClassUpdate,
    CompanyInfo,
    CompanyInfoUpdate,
    Customer,
    CustomerUpdate,
    DeletedEntity,
    Department,
    DepartmentUpdate,
    Employee,
    EmployeeUpdate,
    Entity,
    Estimate,
    EstimateUpdate,
    Invoice,
    InvoiceUpdate,
    Item,
    ItemUpdate,
    JournalEntry,
    JournalEntryUpdate,
    Payment,
    PaymentUpdate,
    Preferences,
    PurchaseOrder,
    PurchaseOrderUpdate,
    RecurringTransaction,
    SparseUpdate,
    TaxCode,
    TaxRate,
    Term,
    TermUpdate,
    TimeActivity,
    TimeActivityUpdate,
    Vendor,
    VendorUpdate,
)
from msplink.quickbooks.query import Condition, Select

__all__ = [
    "SPECS",
    "Accounts",
    "AsyncAccounts",
    "AsyncBills",
    "AsyncClasses",
    "AsyncCompanyInfoResource",
    "AsyncCustomers",
    "AsyncDepartments",
    "AsyncEmployees",
    "AsyncEstimates",
    "AsyncInvoices",
    "AsyncItems",
    "AsyncJournalEntries",
    "AsyncPayments",
    "AsyncPreferencesResource",
    "AsyncPurchaseOrders",
    "AsyncRecurringTransactions",
    "AsyncTaxCodes",
    "AsyncTaxRates",
    "AsyncTerms",
    "AsyncTimeActivities",
    "AsyncVendors",
    "Bills",
    "Classes",
    "CompanyInfoResource",
    "Customers",
    "Departments",
    "Employees",
    "Estimates",
    "Invoices",
    "Items",
    "JournalEntries",
    "Payments",
    "PreferencesResource",
    "PurchaseOrders",
    "RecurringTransactions",
    "TaxCodes",
    "TaxRates",
    "Terms",
    "TimeActivities",
    "Vendors",
]

E = TypeVar("E", bound=Entity)
U = TypeVar("U", bound=SparseUpdate)

Where = Condition | str | None
OrderBy = str | Sequence[str] | None


class _Resource(Generic[E]):
    """What both twins share: the entity, the minor version, the realm, and the call builders."""

    def __init__(self, spec: EntitySpec[E], minor_version: int, realm_id: str) -> None:
        self._spec = spec
        self._mv = minor_version
        self._realm = realm_id

    def __repr__(self) -> str:
        return f"<{type(self).__name__} quickbooks {self._spec.name}>"

    def _get(self, entity_id: str) -> Call[E]:
        return calls.get_call(self._spec, entity_id, minor_version=self._mv)

    def _list(
        self,
        where: Where,
        order_by: OrderBy,
        fields: Sequence[str] | None,
        limit: int | None,
        page_size: int | None,
        cursor: str | None,
    ) -> tuple[Call[Page[E]], NextCall[E]]:
        stmt = calls.list_statement(
            self._spec,
            where=where,
            order_by=order_by,
            fields=fields,
            limit=limit,
            page_size=page_size,
            cursor=cursor,
        )
        first = calls.query_page_call(self._spec, stmt, minor_version=self._mv)
        return first, calls.next_query_page(self._mv, self._spec)

    def _query(self, statement: str | Select) -> tuple[Call[Page[E]], NextCall[E]]:
        stmt = calls.statement_of(self._spec, statement)
        first = calls.query_page_call(self._spec, stmt, minor_version=self._mv)
        return first, calls.next_query_page(self._mv, self._spec)

    def _count(self, where: Where) -> Call[int]:
        return calls.count_call(self._spec, where, minor_version=self._mv)

    def _create(self, entity: E | Mapping[str, Any], request_id: str | None) -> Call[E]:
        return calls.create_call(self._spec, entity, minor_version=self._mv, request_id=request_id)

    def _update(
        self, entity: E | SparseUpdate | Mapping[str, Any], full: bool, request_id: str | None
    ) -> Call[E]:
        return calls.update_call(self._spec, entity, full=full, minor_version=self._mv, request_id=request_id)

    def _delete(
        self, entity_id: str, sync_token: str, request_id: str | None, wrap: str | None = None
    ) -> Call[DeletedEntity]:
        return calls.delete_call(
            self._spec,
            entity_id,
            sync_token=sync_token,
            minor_version=self._mv,
            request_id=request_id,
            wrap=wrap,
        )

    def _deactivate(self, entity_id: str, sync_token: str, request_id: str | None) -> Call[E]:
        return calls.deactivate_call(
            self._spec, entity_id, sync_token=sync_token, minor_version=self._mv, request_id=request_id
        )

    def _void(self, entity_id: str, sync_token: str, request_id: str | None) -> Call[E]:
        return calls.void_call(
            self._spec, entity_id, sync_token=sync_token, minor_version=self._mv, request_id=request_id
        )

    def _company_info(self) -> Call[E]:
        return calls.singleton_call(
            self._spec, path("/companyinfo/{id}", id=self._realm), minor_version=self._mv
        )

    def _preferences(self) -> Call[E]:
        return calls.singleton_call(self._spec, "/preferences", minor_version=self._mv)


class _Sync(_Resource[E]):
    def __init__(
        self, executor: SyncExecutor, spec: EntitySpec[E], minor_version: int, realm_id: str
    ) -> None:
        super().__init__(spec, minor_version, realm_id)
        self._x = executor


class _Async(_Resource[E]):
    def __init__(
        self, executor: AsyncExecutor, spec: EntitySpec[E], minor_version: int, realm_id: str
    ) -> None:
        super().__init__(spec, minor_version, realm_id)
        self._x = executor


# ------------------------------------------------------------------------------------------ sync verbs


class _Get(_Sync[E]):
    def get(self, entity_id: str, /) -> E:
        """Read one entity (GET /v3/company/{realm}/{entity}/{id}).

        Raises:
            NotFoundError: No such entity (QBO fault 610).
            ConfigurationError: An empty id, ``.`` or ``..`` (refused before any I/O).
        """
        return self._x.execute(self._get(entity_id))


class _Query(_Sync[E]):
    def list(
        self,
        *,
        where: Where = None,
        order_by: OrderBy = None,
        fields: Sequence[str] | None = None,
        limit: int | None = None,
        page_size: int | None = None,
        cursor: str | None = None,
    ) -> Paginator[E]:
        """Every matching entity, lazily paged (POST /v3/company/{realm}/query, STARTPOSITION/MAXRESULTS).

        Args:
            where: One condition built with :mod:`msplink.quickbooks.query` (combine with ``&``), or a
                WHERE clause as a string, validated before any I/O.
            order_by: ``"Name"``, ``"TxnDate DESC"`` or a sequence of them (default ``Id``).
            fields: Project to these properties (``SELECT Id, DisplayName ...``): sparse models.
            limit: Stop after this many entities.
            page_size: ``MAXRESULTS`` (default and maximum 1000).
            cursor: Resume from a checkpoint (a page's ``next_cursor``).

        Raises:
            QueryError: A malformed condition, ordering or field name.
        """
        return Paginator(self._x, *self._list(where, order_by, fields, limit, page_size, cursor), limit=limit)

    def query(self, statement: str | Select, /) -> Paginator[E]:
        """Run a whole statement, lazily paged (POST /v3/company/{realm}/query).

        Without ``STARTPOSITION``/``MAXRESULTS`` every page is read; with ``MAXRESULTS`` exactly the
        page asked for.

        Raises:
            QueryError: Not a SELECT of this entity, or a COUNT (use ``count()``); before any I/O.
        """
        return Paginator(self._x, *self._query(statement))

    def count(self, *, where: Where = None) -> int:
        """Count matching entities (POST /v3/company/{realm}/query with SELECT COUNT(*))."""
        return self._x.execute(self._count(where))


class _Create(_Sync[E]):
    def create(self, entity: E | Mapping[str, Any], /, *, request_id: str | None = None) -> E:
        """Create an entity (POST /v3/company/{realm}/{entity}); the ``requestid`` is kept across retries.

        Raises:
            DuplicateNameError: The name is taken (6240).
            AmountMismatchError: A line amount is not Qty x UnitPrice (6070).
        """
        return self._x.execute(self._create(entity, request_id))


class _Update(_Sync[E], Generic[E, U]):
    def update(
        self, entity: U | E | Mapping[str, Any], /, *, full: bool = False, request_id: str | None = None
    ) -> E:
        """Update an entity (POST /v3/company/{realm}/{entity}).

        A typed sparse update (``CustomerUpdate`` ...) changes the fields it sets: ``None`` clears,
        ``UNSET`` leaves alone. A model is sent sparse with its set fields (``None`` leaves alone)
        unless ``full=True``: a full update round-tripping ``model.raw``, clearing what it omits.

        Raises:
            StaleObjectError: The SyncToken is stale (5010); re-read and re-apply.
        """
        return self._x.execute(self._update(entity, full, request_id))


class _Delete(_Sync[E]):
    def delete(self, entity_id: str, /, *, sync_token: str, request_id: str | None = None) -> DeletedEntity:
        """Delete a transaction (POST /v3/company/{realm}/{entity}?operation=delete)."""
        return self._x.execute(self._delete(entity_id, sync_token, request_id))


class _Deactivate(_Sync[E]):
    def delete(self, entity_id: str, /, *, sync_token: str, request_id: str | None = None) -> E:
        """Deactivate a name-list entity (POST /v3/company/{realm}/{entity}, sparse ``Active: false``).

        QBO has no delete for name lists: inactive entities disappear from default queries.
        """
        return self._x.execute(self._deactivate(entity_id, sync_token, request_id))


class _Void(_Sync[E]):
    def void(self, entity_id: str, /, *, sync_token: str, request_id: str | None = None) -> E:
        """Void a transaction (POST /v3/company/{realm}/invoice?operation=void, or payment ?operation=update&include=void)."""
        return self._x.execute(self._void(entity_id, sync_token, request_id))


class _NameList(_Get[E], _Query[E], _Create[E], _Update[E, U], _Deactivate[E]):
    """A name list: get, list, query, count, create, update, delete (deactivate)."""


class _Transactions(_Get[E], _Query[E], _Create[E], _Update[E, U], _Delete[E]):
    """A transaction: get, list, query, count, create, update, delete."""


class Customers(_NameList[Customer, CustomerUpdate]):
    """Customers (``/customer``)."""


class Vendors(_NameList[Vendor, VendorUpdate]):
    """Vendors (``/vendor``)."""


class Employees(_NameList[Employee, EmployeeUpdate]):
    """Employees (``/employee``)."""


class Items(_NameList[Item, ItemUpdate]):
    """Items: products and services (``/item``)."""


class Accounts(_NameList[Account, AccountUpdate]):
    """Chart of accounts (``/account``)."""


class Terms(_NameList[Term, TermUpdate]):
    """Payment terms (``/term``)."""


class Classes(_NameList[Class, ClassUpdate]):
    """Classes (``/class``)."""


class Departments(_NameList[Department, DepartmentUpdate]):
    """Departments / locations (``/department``)."""


class Invoices(_Transactions[Invoice, InvoiceUpdate], _Void[Invoice]):
    """Invoices (``/invoice``), with void."""


class Payments(_Transactions[Payment, PaymentUpdate], _Void[Payment]):
    """Payments (``/payment``), with void."""


class TimeActivities(_Transactions[TimeActivity, TimeActivityUpdate]):
    """Time activities (``/timeactivity``)."""


class Bills(_Transactions[Bill, BillUpdate]):
    """Vendor bills (``/bill``)."""


class PurchaseOrders(_Transactions[PurchaseOrder, PurchaseOrderUpdate]):
    """Purchase orders (``/purchaseorder``)."""


class JournalEntries(_Transactions[JournalEntry, JournalEntryUpdate]):
    """Journal entries (``/journalentry``)."""


class Estimates(_Transactions[Estimate, EstimateUpdate]):
    """Estimates (``/estimate``)."""


class TaxCodes(_Get[TaxCode], _Query[TaxCode]):
    """Tax codes (``/taxcode``, read-only)."""


class TaxRates(_Get[TaxRate], _Query[TaxRate]):
    """Tax rates (``/taxrate``, read-only)."""


class RecurringTransactions(
    _Get[RecurringTransaction], _Query[RecurringTransaction], _Create[RecurringTransaction]
):
    """Recurring templates (``/recurringtransaction``): create, read, list, delete; QBO has no update."""

    def delete(
        self, entity_id: str, /, *, sync_token: str, template_type: str, request_id: str | None = None
    ) -> DeletedEntity:
        """Delete a template (POST /v3/company/{realm}/recurringtransaction?operation=delete, wrapped body)."""
        return self._x.execute(self._delete(entity_id, sync_token, request_id, template_type))


class CompanyInfoResource(_Update[CompanyInfo, CompanyInfoUpdate]):
    """The company profile (``/companyinfo/{realmId}``)."""

    def get(self) -> CompanyInfo:
        """Read the company profile (GET /v3/company/{realm}/companyinfo/{realm})."""
        return self._x.execute(self._company_info())


class PreferencesResource(_Sync[Preferences]):
    """The company preferences (``/preferences``); QBO documents full update only, so that is the default."""

    def get(self) -> Preferences:
        """Read the preferences (GET /v3/company/{realm}/preferences)."""
        return self._x.execute(self._preferences())

    def update(
        self, entity: Preferences | Mapping[str, Any], /, *, full: bool = True, request_id: str | None = None
    ) -> Preferences:
        """Update the preferences (POST /v3/company/{realm}/preferences), a full update of a read model."""
        return self._x.execute(self._update(entity, full, request_id))


# ----------------------------------------------------------------------------------------- async verbs


class _AGet(_Async[E]):
    @twin_doc(_Get.get)
    async def get(self, entity_id: str, /) -> E:
        return await self._x.execute(self._get(entity_id))


class _AQuery(_Async[E]):
    @twin_doc(_Query.list)
    def list(
        self,
        *,
        where: Where = None,
        order_by: OrderBy = None,
        fields: Sequence[str] | None = None,
        limit: int | None = None,
        page_size: int | None = None,
        cursor: str | None = None,
    ) -> AsyncPaginator[E]:
        return AsyncPaginator(
            self._x, *self._list(where, order_by, fields, limit, page_size, cursor), limit=limit
        )

    @twin_doc(_Query.query)
    def query(self, statement: str | Select, /) -> AsyncPaginator[E]:
        return AsyncPaginator(self._x, *self._query(statement))

    @twin_doc(_Query.count)
    async def count(self, *, where: Where = None) -> int:
        return await self._x.execute(self._count(where))


class _ACreate(_Async[E]):
    @twin_doc(_Create.create)
    async def create(self, entity: E | Mapping[str, Any], /, *, request_id: str | None = None) -> E:
        return await self._x.execute(self._create(entity, request_id))


class _AUpdate(_Async[E], Generic[E, U]):
    @twin_doc(_Update.update)
    async def update(
        self, entity: U | E | Mapping[str, Any], /, *, full: bool = False, request_id: str | None = None
    ) -> E:
        return await self._x.execute(self._update(entity, full, request_id))


class _ADelete(_Async[E]):
    @twin_doc(_Delete.delete)
    async def delete(
        self, entity_id: str, /, *, sync_token: str, request_id: str | None = None
    ) -> DeletedEntity:
        return await self._x.execute(self._delete(entity_id, sync_token, request_id))


class _ADeactivate(_Async[E]):
    @twin_doc(_Deactivate.delete)
    async def delete(self, entity_id: str, /, *, sync_token: str, request_id: str | None = None) -> E:
        return await self._x.execute(self._deactivate(entity_id, sync_token, request_id))


class _AVoid(_Async[E]):
    @twin_doc(_Void.void)
    async def void(self, entity_id: str, /, *, sync_token: str, request_id: str | None = None) -> E:
        return await self._x.execute(self._void(entity_id, sync_token, request_id))


class _ANameList(_AGet[E], _AQuery[E], _ACreate[E], _AUpdate[E, U], _ADeactivate[E]):
    """A name list (async)."""


class _ATransactions(_AGet[E], _AQuery[E], _ACreate[E], _AUpdate[E, U], _ADelete[E]):
    """A transaction (async)."""


class AsyncCustomers(_ANameList[Customer, CustomerUpdate]):
    """Customers (``/customer``)."""


class AsyncVendors(_ANameList[Vendor, VendorUpdate]):
    """Vendors (``/vendor``)."""


class AsyncEmployees(_ANameList[Employee, EmployeeUpdate]):
    """Employees (``/employee``)."""


class AsyncItems(_ANameList[Item, ItemUpdate]):
    """Items: products and services (``/item``)."""


class AsyncAccounts(_ANameList[Account, AccountUpdate]):
    """Chart of accounts (``/account``)."""


class AsyncTerms(_ANameList[Term, TermUpdate]):
    """Payment terms (``/term``)."""


class AsyncClasses(_ANameList[Class, ClassUpdate]):
    """Classes (``/class``)."""


class AsyncDepartments(_ANameList[Department, DepartmentUpdate]):
    """Departments / locations (``/department``)."""


class AsyncInvoices(_ATransactions[Invoice, InvoiceUpdate], _AVoid[Invoice]):
    """Invoices (``/invoice``), with void."""


class AsyncPayments(_ATransactions[Payment, PaymentUpdate], _AVoid[Payment]):
    """Payments (``/payment``), with void."""


class AsyncTimeActivities(_ATransactions[TimeActivity, TimeActivityUpdate]):
    """Time activities (``/timeactivity``)."""


class AsyncBills(_ATransactions[Bill, BillUpdate]):
    """Vendor bills (``/bill``)."""


class AsyncPurchaseOrders(_ATransactions[PurchaseOrder, PurchaseOrderUpdate]):
    """Purchase orders (``/purchaseorder``)."""


class AsyncJournalEntries(_ATransactions[JournalEntry, JournalEntryUpdate]):
    """Journal entries (``/journalentry``)."""


class AsyncEstimates(_ATransactions[Estimate, EstimateUpdate]):
    """Estimates (``/estimate``)."""


class AsyncTaxCodes(_AGet[TaxCode], _AQuery[TaxCode]):
    """Tax codes (``/taxcode``, read-only)."""


class AsyncTaxRates(_AGet[TaxRate], _AQuery[TaxRate]):
    """Tax rates (``/taxrate``, read-only)."""


class AsyncRecurringTransactions(
    _AGet[RecurringTransaction], _AQuery[RecurringTransaction], _ACreate[RecurringTransaction]
):
    """Recurring templates (``/recurringtransaction``): create, read, list, delete; QBO has no update."""

    @twin_doc(RecurringTransactions.delete)
    async def delete(
        self, entity_id: str, /, *, sync_token: str, template_type: str, request_id: str | None = None
    ) -> DeletedEntity:
        return await self._x.execute(self._delete(entity_id, sync_token, request_id, template_type))


class AsyncCompanyInfoResource(_AUpdate[CompanyInfo, CompanyInfoUpdate]):
    """The company profile (``/companyinfo/{realmId}``)."""

    @twin_doc(CompanyInfoResource.get)
    async def get(self) -> CompanyInfo:
        return await self._x.execute(self._company_info())


class AsyncPreferencesResource(_Async[Preferences]):
    """The company preferences (``/preferences``); QBO documents full update only, so that is the default."""

    @twin_doc(PreferencesResource.get)
    async def get(self) -> Preferences:
        return await self._x.execute(self._preferences())

    @twin_doc(PreferencesResource.update)
    async def update(
        self, entity: Preferences | Mapping[str, Any], /, *, full: bool = True, request_id: str | None = None
    ) -> Preferences:
        return await self._x.execute(self._update(entity, full, request_id))


SPECS: Mapping[str, EntitySpec[Any]] = {
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
"""The entity of every resource attribute of the clients."""
