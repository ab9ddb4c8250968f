"""Resource shells: one line per verb over the pure builders in ``_calls`` (sync and async twins)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Generic, TypeVar

from msplink._core import AsyncPaginator, Paginator
from msplink.connectwise import _calls as calls
from msplink.connectwise import models as m
from msplink.connectwise._calls import Endpoint, Watermark
from msplink.connectwise.conditions import Condition, F, OrderBy, Query

if TYPE_CHECKING:
    from msplink._core import AsyncExecutor, SyncExecutor

__all__ = [
    "AsyncCallbacks",
    "AsyncResource",
    "Callbacks",
    "Resource",
]

T = TypeVar("T", bound=m.Model)
U = TypeVar("U", bound=m.Update)
E = TypeVar("E", bound=m.Entity)

CondArg = Condition | str | None
OrderArg = Sequence[OrderBy | str] | OrderBy | str | None
DEFAULT_OVERLAP = timedelta(minutes=2)


def _skipper(seen: Mapping[int, datetime] | None) -> Callable[[E], bool] | None:
    """Leave out records already processed with the same ``lastUpdated`` (stateless: safe to re-iterate).

    Keyset paging by id already guarantees an id appears once per read.
    """
    if not seen:
        return None

    def skip(record: E) -> bool:
        record_id = getattr(record, "id", None)
        if record_id is None or record_id not in seen or record.last_updated is None:
            return False
        return record.last_updated <= seen[record_id]

    return skip


def _with_info(fields: Sequence[str] | None) -> list[str] | None:
    if not fields:
        return None
    names = list(fields)
    return names if "id" in names else ["id", *names]


class Resource(Generic[T, U]):
    """A ConnectWise collection: ``get``, ``list``, ``count``, ``create``, ``update``, ``delete``, ``updated``."""

    def __init__(self, executor: SyncExecutor, endpoint: Endpoint[T, U], parent: int | None = None) -> None:
        self._executor = executor
        self._endpoint = endpoint
        self._parent = parent

    def get(self, record_id: int, /, *, fields: Sequence[str] | None = None) -> T:
        """Fetch one record (GET {collection}/{id}).

        Raises:
            NotFoundError: No such record.
        """
        return self._executor.execute(
            calls.get_call(self._endpoint, self._parent, record_id, fields=list(fields) if fields else None)
        )

    def list(
        self,
        *,
        conditions: CondArg = None,
        child_conditions: CondArg = None,
        custom_field_conditions: CondArg = None,
        order_by: OrderArg = None,
        fields: Sequence[str] | None = None,
        page_size: int = calls.MAX_PAGE_SIZE,
        limit: int | None = None,
        forward_only: bool | None = None,
        cursor: str | None = None,
    ) -> Paginator[T]:
        """List records lazily, every page (GET {collection}; forward-only ``pageId`` paging unless ordered).

        Raises:
            QueryError: Malformed conditions, ordering or fields (raised here, before any request).
        """
        query = Query(
            conditions=conditions,
            child_conditions=child_conditions,
            custom_field_conditions=custom_field_conditions,
            order_by=order_by,
            fields=fields,
        )
        first = calls.list_call(
            self._endpoint, self._parent, query, page_size=page_size, forward_only=forward_only, cursor=cursor
        )
        return Paginator(self._executor, first, calls.next_call, limit=limit)

    def count(
        self,
        *,
        conditions: CondArg = None,
        child_conditions: CondArg = None,
        custom_field_conditions: CondArg = None,
    ) -> int:
        """Count matching records (GET {collection}/count)."""
        query = Query(
            conditions=conditions,
            child_conditions=child_conditions,
            custom_field_conditions=custom_field_conditions,
        )
        return self._executor.execute(calls.count_call(self._endpoint, self._parent, query))

    def create(self, record: T, /) -> T:
        """Create a record from the fields that are set (POST {collection}); returns the created record."""
        return self._executor.execute(calls.create_call(self._endpoint, self._parent, record))

    def update(self, record_id: int, patch: U, /) -> T:
        """Patch the fields a partial model sets (PATCH {collection}/{id}); returns the updated record."""
        return self._executor.execute(calls.update_call(self._endpoint, self._parent, record_id, patch))

    def delete(self, record_id: int, /) -> None:
        """Delete a record (DELETE {collection}/{id}).

        Raises:
            NotFoundError: It does not exist (catch it for idempotent deletes).
            ConflictError: It is in use.
        """
        self._executor.execute(calls.delete_call(self._endpoint, self._parent, record_id))

    def updated(
        self,
        since: datetime | Watermark,
        *,
        overlap: timedelta = DEFAULT_OVERLAP,
        until: datetime | None = None,
        conditions: CondArg = None,
        fields: Sequence[str] | None = None,
        seen: Mapping[int, datetime] | None = None,
        page_size: int = calls.MAX_PAGE_SIZE,
        limit: int | None = None,
    ) -> Paginator[T]:
        """Records changed since a watermark (GET {collection} with ``lastUpdated > [t]``, forward-only).

        The lower bound is ``since - overlap`` (late commits land inside it); records already in
        ``seen`` (id -> last_updated processed) with an unchanged ``lastUpdated`` are left out, and an
        id never appears twice in one read. ``fields`` always gains ``id`` and ``_info``.
        """
        where = calls.changes_condition(since, overlap=overlap, until=until)
        if conditions is not None:
            where = where & conditions
        query = Query(conditions=where, fields=_with_info(fields))
        first = calls.list_call(
            self._endpoint,
            self._parent,
            query,
            page_size=page_size,
            forward_only=True,
            include_info=True,
            skip=_skipper(seen),  # type: ignore[arg-type]
        )
        return Paginator(self._executor, first, calls.next_call, limit=limit)


class AsyncResource(Generic[T, U]):
    """The async twin of :class:`Resource`."""

    def __init__(self, executor: AsyncExecutor, endpoint: Endpoint[T, U], parent: int | None = None) -> None:
        self._executor = executor
        self._endpoint = endpoint
        self._parent = parent

    async def get(self, record_id: int, /, *, fields: Sequence[str] | None = None) -> T:
        """Fetch one record (GET {collection}/{id})."""
        return await self._executor.execute(
            calls.get_call(self._endpoint, self._parent, record_id, fields=list(fields) if fields else None)
        )

    def list(
        self,
        *,
        conditions: CondArg = None,
        child_conditions: CondArg = None,
        custom_field_conditions: CondArg = None,
        order_by: OrderArg = None,
        fields: Sequence[str] | None = None,
        page_size: int = calls.MAX_PAGE_SIZE,
        limit: int | None = None,
        forward_only: bool | None = None,
        cursor: str | None = None,
    ) -> AsyncPaginator[T]:
        """List records lazily, every page (GET {collection}; forward-only ``pageId`` paging unless ordered)."""
        query = Query(
            conditions=conditions,
            child_conditions=child_conditions,
            custom_field_conditions=custom_field_conditions,
            order_by=order_by,
            fields=fields,
        )
        first = calls.list_call(
            self._endpoint, self._parent, query, page_size=page_size, forward_only=forward_only, cursor=cursor
        )
        return AsyncPaginator(self._executor, first, calls.next_call, limit=limit)

    async def count(
        self,
        *,
        conditions: CondArg = None,
        child_conditions: CondArg = None,
        custom_field_conditions: CondArg = None,
    ) -> int:
        """Count matching records (GET {collection}/count)."""
        query = Query(
            conditions=conditions,
            child_conditions=child_conditions,
            custom_field_conditions=custom_field_conditions,
        )
        return await self._executor.execute(calls.count_call(self._endpoint, self._parent, query))

    async def create(self, record: T, /) -> T:
        """Create a record from the fields that are set (POST {collection})."""
        return await self._executor.execute(calls.create_call(self._endpoint, self._parent, record))

    async def update(self, record_id: int, patch: U, /) -> T:
        """Patch the fields a partial model sets (PATCH {collection}/{id})."""
        return await self._executor.execute(calls.update_call(self._endpoint, self._parent, record_id, patch))

    async def delete(self, record_id: int, /) -> None:
        """Delete a record (DELETE {collection}/{id})."""
        await self._executor.execute(calls.delete_call(self._endpoint, self._parent, record_id))

    def updated(
        self,
        since: datetime | Watermark,
        *,
        overlap: timedelta = DEFAULT_OVERLAP,
        until: datetime | None = None,
        conditions: CondArg = None,
        fields: Sequence[str] | None = None,
        seen: Mapping[int, datetime] | None = None,
        page_size: int = calls.MAX_PAGE_SIZE,
        limit: int | None = None,
    ) -> AsyncPaginator[T]:
        """Records changed since a watermark (GET {collection} with ``lastUpdated > [t]``, forward-only)."""
        where = calls.changes_condition(since, overlap=overlap, until=until)
        if conditions is not None:
            where = where & conditions
        query = Query(conditions=where, fields=_with_info(fields))
        first = calls.list_call(
            self._endpoint,
            self._parent,
            query,
            page_size=page_size,
            forward_only=True,
            include_info=True,
            skip=_skipper(seen),  # type: ignore[arg-type]
        )
        return AsyncPaginator(self._executor, first, calls.next_call, limit=limit)


# ------------------------------------------------------------------------------------ the endpoints

COMPANIES = Endpoint("/company/companies", m.Company, m.CompanyUpdate)
SITES = Endpoint("/company/companies/{parent}/sites", m.CompanySite, m.CompanySiteUpdate)
CONTACTS = Endpoint("/company/contacts", m.Contact, m.ContactUpdate)
COMMUNICATIONS = Endpoint(
    "/company/contacts/{parent}/communications", m.CommunicationItem, m.CommunicationItemUpdate
)
AGREEMENTS = Endpoint("/finance/agreements", m.Agreement, m.AgreementUpdate)
ADDITIONS = Endpoint("/finance/agreements/{parent}/additions", m.AgreementAddition, m.AgreementAdditionUpdate)
INVOICES = Endpoint("/finance/invoices", m.Invoice, m.InvoiceUpdate)
PAYMENTS = Endpoint("/finance/invoices/{parent}/payments", m.InvoicePayment, m.InvoicePaymentUpdate)
BILLING_TERMS = Endpoint("/finance/billingTerms", m.BillingTerm, m.BillingTermUpdate)
TAX_CODES = Endpoint("/finance/taxCodes", m.TaxCode, m.TaxCodeUpdate)
TIME_ENTRIES = Endpoint("/time/entries", m.TimeEntry, m.TimeEntryUpdate)
TICKETS = Endpoint("/service/tickets", m.Ticket, m.TicketUpdate)
BOARDS = Endpoint("/service/boards", m.Board, m.BoardUpdate)
BOARD_STATUSES = Endpoint("/service/boards/{parent}/statuses", m.BoardStatus, m.BoardStatusUpdate)
PRIORITIES = Endpoint("/service/priorities", m.Priority, m.PriorityUpdate)
PROJECTS = Endpoint("/project/projects", m.Project, m.ProjectUpdate)
PURCHASE_ORDERS = Endpoint("/procurement/purchaseorders", m.PurchaseOrder, m.PurchaseOrderUpdate)
LINE_ITEMS = Endpoint(
    "/procurement/purchaseorders/{parent}/lineitems", m.PurchaseOrderLineItem, m.PurchaseOrderLineItemUpdate
)
CATALOG_ITEMS = Endpoint("/procurement/catalog", m.CatalogItem, m.CatalogItemUpdate)
PRODUCT_ITEMS = Endpoint("/procurement/products", m.ProductItem, m.ProductItemUpdate)
OPPORTUNITIES = Endpoint("/sales/opportunities", m.Opportunity, m.OpportunityUpdate)
MEMBERS = Endpoint("/system/members", m.Member, m.MemberUpdate)
CALLBACKS = Endpoint("/system/callbacks", m.Callback, m.CallbackUpdate)


class Companies(Resource[m.Company, m.CompanyUpdate]):
    """Companies (``/company/companies``)."""

    def sites(self, company_id: int, /) -> Resource[m.CompanySite, m.CompanySiteUpdate]:
        """The sites of a company (``/company/companies/{id}/sites``)."""
        return Resource(self._executor, SITES, company_id)


class AsyncCompanies(AsyncResource[m.Company, m.CompanyUpdate]):
    """Companies (``/company/companies``)."""

    def sites(self, company_id: int, /) -> AsyncResource[m.CompanySite, m.CompanySiteUpdate]:
        """The sites of a company (``/company/companies/{id}/sites``)."""
        return AsyncResource(self._executor, SITES, company_id)


class Contacts(Resource[m.Contact, m.ContactUpdate]):
    """Contacts (``/company/contacts``)."""

    def communications(self, contact_id: int, /) -> Resource[m.CommunicationItem, m.CommunicationItemUpdate]:
        """The communication items of a contact (``/company/contacts/{id}/communications``)."""
        return Resource(self._executor, COMMUNICATIONS, contact_id)


class AsyncContacts(AsyncResource[m.Contact, m.ContactUpdate]):
    """Contacts (``/company/contacts``)."""

    def communications(
        self, contact_id: int, /
    ) -> AsyncResource[m.CommunicationItem, m.CommunicationItemUpdate]:
        """The communication items of a contact (``/company/contacts/{id}/communications``)."""
        return AsyncResource(self._executor, COMMUNICATIONS, contact_id)


class Agreements(Resource[m.Agreement, m.AgreementUpdate]):
    """Agreements (``/finance/agreements``)."""

    def additions(self, agreement_id: int, /) -> Resource[m.AgreementAddition, m.AgreementAdditionUpdate]:
        """The additions of an agreement (``/finance/agreements/{id}/additions``)."""
        return Resource(self._executor, ADDITIONS, agreement_id)


class AsyncAgreements(AsyncResource[m.Agreement, m.AgreementUpdate]):
    """Agreements (``/finance/agreements``)."""

    def additions(
        self, agreement_id: int, /
    ) -> AsyncResource[m.AgreementAddition, m.AgreementAdditionUpdate]:
        """The additions of an agreement (``/finance/agreements/{id}/additions``)."""
        return AsyncResource(self._executor, ADDITIONS, agreement_id)


class Invoices(Resource[m.Invoice, m.InvoiceUpdate]):
    """Invoices (``/finance/invoices``)."""

    def payments(self, invoice_id: int, /) -> Resource[m.InvoicePayment, m.InvoicePaymentUpdate]:
        """The payments applied to an invoice (``/finance/invoices/{id}/payments``)."""
        return Resource(self._executor, PAYMENTS, invoice_id)


class AsyncInvoices(AsyncResource[m.Invoice, m.InvoiceUpdate]):
    """Invoices (``/finance/invoices``)."""

    def payments(self, invoice_id: int, /) -> AsyncResource[m.InvoicePayment, m.InvoicePaymentUpdate]:
        """The payments applied to an invoice (``/finance/invoices/{id}/payments``)."""
        return AsyncResource(self._executor, PAYMENTS, invoice_id)


class Boards(Resource[m.Board, m.BoardUpdate]):
    """Service boards (``/service/boards``)."""

    def statuses(self, board_id: int, /) -> Resource[m.BoardStatus, m.BoardStatusUpdate]:
        """The statuses of a board (``/service/boards/{id}/statuses``)."""
        return Resource(self._executor, BOARD_STATUSES, board_id)


class AsyncBoards(AsyncResource[m.Board, m.BoardUpdate]):
    """Service boards (``/service/boards``)."""

    def statuses(self, board_id: int, /) -> AsyncResource[m.BoardStatus, m.BoardStatusUpdate]:
        """The statuses of a board (``/service/boards/{id}/statuses``)."""
        return AsyncResource(self._executor, BOARD_STATUSES, board_id)


class PurchaseOrders(Resource[m.PurchaseOrder, m.PurchaseOrderUpdate]):
    """Purchase orders (``/procurement/purchaseorders``)."""

    def line_items(
        self, purchase_order_id: int, /
    ) -> Resource[m.PurchaseOrderLineItem, m.PurchaseOrderLineItemUpdate]:
        """The line items of a purchase order (``/procurement/purchaseorders/{id}/lineitems``)."""
        return Resource(self._executor, LINE_ITEMS, purchase_order_id)


class AsyncPurchaseOrders(AsyncResource[m.PurchaseOrder, m.PurchaseOrderUpdate]):
    """Purchase orders (``/procurement/purchaseorders``)."""

    def line_items(
        self, purchase_order_id: int, /
    ) -> AsyncResource[m.PurchaseOrderLineItem, m.PurchaseOrderLineItemUpdate]:
        """The line items of a purchase order (``/procurement/purchaseorders/{id}/lineitems``)."""
        return AsyncResource(self._executor, LINE_ITEMS, purchase_order_id)


def _callback_match(url: str, type_: str, level: str, object_id: int) -> Condition:
    return (F("url") == url) & (F("type") == type_) & (F("level") == level) & (F("objectId") == object_id)


def _callback_record(
    url: str, type_: str, level: str, object_id: int, description: str | None, self_suppressed: bool
) -> m.Callback:
    return m.Callback(
        url=url,
        type=type_,
        level=level,
        object_id=object_id,
        description=description,
        payload_version="3.0.0",
        inactive_flag=False,
        is_self_suppressed_flag=self_suppressed,
    )


class Callbacks(Resource[m.Callback, m.CallbackUpdate]):
    """Callback registrations (``/system/callbacks``)."""

    def register(
        self,
        *,
        url: str,
        type: str,
        level: str = "owner",
        object_id: int = 1,
        description: str | None = None,
        self_suppressed: bool = True,
    ) -> m.Callback:
        """Register a callback unless the same one exists (GET then POST /system/callbacks).

        Look-up-before-create makes it safe to call at every start-up.
        """
        existing = self.list(conditions=_callback_match(url, type, level, object_id), limit=1).first()
        if existing is not None:
            return existing
        return self.create(_callback_record(url, type, level, object_id, description, self_suppressed))


class AsyncCallbacks(AsyncResource[m.Callback, m.CallbackUpdate]):
    """Callback registrations (``/system/callbacks``)."""

    async def register(
        self,
        *,
        url: str,
        type: str,
        level: str = "owner",
        object_id: int = 1,
        description: str | None = None,
        self_suppressed: bool = True,
    ) -> m.Callback:
        """Register a callback unless the same one exists (GET then POST /system/callbacks)."""
        existing = await self.list(conditions=_callback_match(url, type, level, object_id), limit=1).first()
        if existing is not None:
            return existing
        return await self.create(_callback_record(url, type, level, object_id, description, self_suppressed))
