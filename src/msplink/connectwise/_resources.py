"""Resource shells: one line per verb over the pure builders in ``_calls`` and the plans in ``_plans``.

Sync and async twins have the same names and signatures (``tests/connectwise/test_config.py`` checks
it); the logic lives once, in ``_calls`` / ``_plans``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Generic, TypeVar

from msplink._core import AsyncPaginator, Paginator, twin_doc
from msplink.connectwise import _calls as calls
from msplink.connectwise import _plans as plans
from msplink.connectwise import models as m
from msplink.connectwise._calls import Endpoint, Watermark
from msplink.connectwise.conditions import Condition, OrderBy, Query

if TYPE_CHECKING:
    from msplink._core import AsyncExecutor, SyncExecutor

__all__ = [
    "AsyncAgreements",
    "AsyncBoards",
    "AsyncCallbacks",
    "AsyncCompanies",
    "AsyncContacts",
    "AsyncInvoices",
    "AsyncPurchaseOrders",
    "AsyncResource",
    "Agreements",
    "Boards",
    "Callbacks",
    "Companies",
    "Contacts",
    "Invoices",
    "PurchaseOrders",
    "Resource",
]

T = TypeVar("T", bound=m.Model)
U = TypeVar("U", bound=m.Update)

Where = Condition | str | None
OrderArg = Sequence[OrderBy | str] | OrderBy | str | None
DEFAULT_OVERLAP = timedelta(minutes=2)


class Resource(Generic[T, U]):
    """A ConnectWise collection: ``get``, ``list``, ``count``, ``create``, ``update``, ``delete``, ``updated``."""

    def __init__(self, executor: SyncExecutor, endpoint: Endpoint[T, U], parent: int | None = None) -> None:
        self._x = executor
        self._ep = endpoint
        self._parent = parent

    def __repr__(self) -> str:
        path = self._ep.template.replace("{parent}", str(self._parent))
        return f"<{type(self).__name__} connectwise {path}>"

    @property
    def model(self) -> type[T]:
        """The wire model of this collection's records (``Company`` for ``/company/companies``)."""
        return self._ep.model

    def get(self, record_id: int, /, *, fields: Sequence[str] | None = None) -> T:
        """Fetch one record (``GET {collection}/{id}``, optionally projected with ``fields``).

        Raises:
            NotFoundError: No such record.
        """
        return self._x.execute(calls.get_call(self._ep, self._parent, record_id, fields=fields))

    def list(
        self,
        *,
        where: Where = None,
        order_by: OrderArg = None,
        fields: Sequence[str] | None = None,
        limit: int | None = None,
        page_size: int | None = None,
        child_conditions: Where = None,
        custom_field_conditions: Where = None,
        forward_only: bool | None = None,
        cursor: str | None = None,
    ) -> Paginator[T]:
        """List records lazily, every page (``GET {collection}``; forward-only ``pageId`` paging unless
        ordered, navigable ``page`` numbers otherwise or when the endpoint has no forward-only paging).

        Args:
            where: ``conditions`` (a :mod:`~msplink.connectwise.conditions` condition or a checked string).
            order_by: ``orderBy`` terms (navigable paging).
            fields: ``fields`` projection.
            limit: At most this many records.
            page_size: Records per request, 1..1000 (default 1000).
            child_conditions: ``childConditions`` (arrays such as ``communicationItems``).
            custom_field_conditions: ``customFieldConditions`` (see ``conditions.custom_field``).
            forward_only: Force (or refuse) forward-only paging.
            cursor: Resume from a ``Page.next_cursor``.

        Raises:
            QueryError: Malformed conditions, ordering or fields (raised here, before any request).
        """
        return Paginator(
            self._x,
            calls.list_call(
                self._ep,
                self._parent,
                Query(
                    conditions=where,
                    child_conditions=child_conditions,
                    custom_field_conditions=custom_field_conditions,
                    order_by=order_by,
                    fields=fields,
                ),
                page_size=page_size,
                forward_only=forward_only,
                cursor=cursor,
            ),
            calls.next_call,
            limit=limit,
        )

    def count(
        self, *, where: Where = None, child_conditions: Where = None, custom_field_conditions: Where = None
    ) -> int:
        """Count matching records (``GET {collection}/count``)."""
        return self._x.execute(
            calls.count_call(
                self._ep,
                self._parent,
                Query(
                    conditions=where,
                    child_conditions=child_conditions,
                    custom_field_conditions=custom_field_conditions,
                ),
            )
        )

    def create(self, record: T, /) -> T:
        """Create a record from the fields that are set (``POST {collection}``); returns the created record.

        Not retried after a lost answer (ConnectWise has no idempotency key): look up before you retry.
        """
        return self._x.execute(calls.create_call(self._ep, self._parent, record))

    def update(self, record_id: int, patch: U, /) -> T:
        """Patch the fields a partial model sets (``PATCH {collection}/{id}``); returns the updated record."""
        return self._x.execute(calls.update_call(self._ep, self._parent, record_id, patch))

    def delete(self, record_id: int, /) -> None:
        """Delete a record (``DELETE {collection}/{id}``).

        Raises:
            NotFoundError: It does not exist (catch it for idempotent deletes).
            ConflictError: It is in use.
        """
        self._x.execute(calls.delete_call(self._ep, self._parent, record_id))

    def updated(
        self,
        since: datetime | Watermark,
        *,
        overlap: timedelta = DEFAULT_OVERLAP,
        until: datetime | None = None,
        where: Where = None,
        fields: Sequence[str] | None = None,
        seen: Mapping[int, datetime] | None = None,
        page_size: int | None = None,
        limit: int | None = None,
    ) -> Paginator[T]:
        """Records changed since a watermark (``GET {collection}`` with ``lastUpdated > [t]``, forward-only).

        The lower bound is ``since - overlap`` (late commits land inside it); records already in
        ``seen`` (id -> last_updated processed) with an unchanged ``lastUpdated`` are left out, and an
        id never appears twice in one read. ``fields`` always gains ``id`` and ``_info``.
        """
        return Paginator(
            self._x,
            calls.updated_call(
                self._ep,
                self._parent,
                since,
                overlap=overlap,
                until=until,
                where=where,
                fields=fields,
                seen=seen,
                page_size=page_size,
            ),
            calls.next_call,
            limit=limit,
        )


class AsyncResource(Generic[T, U]):
    """The async twin of :class:`Resource` (same verbs; ``await`` them, ``async for`` the paginators)."""

    def __init__(self, executor: AsyncExecutor, endpoint: Endpoint[T, U], parent: int | None = None) -> None:
        self._x = executor
        self._ep = endpoint
        self._parent = parent

    def __repr__(self) -> str:
        path = self._ep.template.replace("{parent}", str(self._parent))
        return f"<{type(self).__name__} connectwise {path}>"

    @property
    def model(self) -> type[T]:
        """The wire model of this collection's records (``Company`` for ``/company/companies``)."""
        return self._ep.model

    @twin_doc(Resource.get)
    async def get(self, record_id: int, /, *, fields: Sequence[str] | None = None) -> T:
        return await self._x.execute(calls.get_call(self._ep, self._parent, record_id, fields=fields))

    @twin_doc(Resource.list)
    def list(
        self,
        *,
        where: Where = None,
        order_by: OrderArg = None,
        fields: Sequence[str] | None = None,
        limit: int | None = None,
        page_size: int | None = None,
        child_conditions: Where = None,
        custom_field_conditions: Where = None,
        forward_only: bool | None = None,
        cursor: str | None = None,
    ) -> AsyncPaginator[T]:
        return AsyncPaginator(
            self._x,
            calls.list_call(
                self._ep,
                self._parent,
                Query(
                    conditions=where,
                    child_conditions=child_conditions,
                    custom_field_conditions=custom_field_conditions,
                    order_by=order_by,
                    fields=fields,
                ),
                page_size=page_size,
                forward_only=forward_only,
                cursor=cursor,
            ),
            calls.next_call,
            limit=limit,
        )

    @twin_doc(Resource.count)
    async def count(
        self, *, where: Where = None, child_conditions: Where = None, custom_field_conditions: Where = None
    ) -> int:
        return await self._x.execute(
            calls.count_call(
                self._ep,
                self._parent,
                Query(
                    conditions=where,
                    child_conditions=child_conditions,
                    custom_field_conditions=custom_field_conditions,
                ),
            )
        )

    @twin_doc(Resource.create)
    async def create(self, record: T, /) -> T:
        return await self._x.execute(calls.create_call(self._ep, self._parent, record))

    @twin_doc(Resource.update)
    async def update(self, record_id: int, patch: U, /) -> T:
        return await self._x.execute(calls.update_call(self._ep, self._parent, record_id, patch))

    @twin_doc(Resource.delete)
    async def delete(self, record_id: int, /) -> None:
        await self._x.execute(calls.delete_call(self._ep, self._parent, record_id))

    @twin_doc(Resource.updated)
    def updated(
        self,
        since: datetime | Watermark,
        *,
        overlap: timedelta = DEFAULT_OVERLAP,
        until: datetime | None = None,
        where: Where = None,
        fields: Sequence[str] | None = None,
        seen: Mapping[int, datetime] | None = None,
        page_size: int | None = None,
        limit: int | None = None,
    ) -> AsyncPaginator[T]:
        return AsyncPaginator(
            self._x,
            calls.updated_call(
                self._ep,
                self._parent,
                since,
                overlap=overlap,
                until=until,
                where=where,
                fields=fields,
                seen=seen,
                page_size=page_size,
            ),
            calls.next_call,
            limit=limit,
        )


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
CALLBACKS = plans.CALLBACKS


class Companies(Resource[m.Company, m.CompanyUpdate]):
    """Companies (``/company/companies``)."""

    def sites(self, company_id: int, /) -> Resource[m.CompanySite, m.CompanySiteUpdate]:
        """The sites of a company (``/company/companies/{id}/sites``)."""
        return Resource(self._x, SITES, company_id)


class AsyncCompanies(AsyncResource[m.Company, m.CompanyUpdate]):
    """Companies (``/company/companies``)."""

    def sites(self, company_id: int, /) -> AsyncResource[m.CompanySite, m.CompanySiteUpdate]:
        """The sites of a company (``/company/companies/{id}/sites``)."""
        return AsyncResource(self._x, SITES, company_id)


class Contacts(Resource[m.Contact, m.ContactUpdate]):
    """Contacts (``/company/contacts``)."""

    def communications(self, contact_id: int, /) -> Resource[m.CommunicationItem, m.CommunicationItemUpdate]:
        """The communication items of a contact (``/company/contacts/{id}/communications``)."""
        return Resource(self._x, COMMUNICATIONS, contact_id)


class AsyncContacts(AsyncResource[m.Contact, m.ContactUpdate]):
    """Contacts (``/company/contacts``)."""

    def communications(
        self, contact_id: int, /
    ) -> AsyncResource[m.CommunicationItem, m.CommunicationItemUpdate]:
        """The communication items of a contact (``/company/contacts/{id}/communications``)."""
        return AsyncResource(self._x, COMMUNICATIONS, contact_id)


class Agreements(Resource[m.Agreement, m.AgreementUpdate]):
    """Agreements (``/finance/agreements``)."""

    def additions(self, agreement_id: int, /) -> Resource[m.AgreementAddition, m.AgreementAdditionUpdate]:
        """The additions of an agreement (``/finance/agreements/{id}/additions``)."""
        return Resource(self._x, ADDITIONS, agreement_id)


class AsyncAgreements(AsyncResource[m.Agreement, m.AgreementUpdate]):
    """Agreements (``/finance/agreements``)."""

    def additions(
        self, agreement_id: int, /
    ) -> AsyncResource[m.AgreementAddition, m.AgreementAdditionUpdate]:
        """The additions of an agreement (``/finance/agreements/{id}/additions``)."""
        return AsyncResource(self._x, ADDITIONS, agreement_id)


class Invoices(Resource[m.Invoice, m.InvoiceUpdate]):
    """Invoices (``/finance/invoices``)."""

    def payments(self, invoice_id: int, /) -> Resource[m.InvoicePayment, m.InvoicePaymentUpdate]:
        """The payments applied to an invoice (``/finance/invoices/{id}/payments``)."""
        return Resource(self._x, PAYMENTS, invoice_id)


class AsyncInvoices(AsyncResource[m.Invoice, m.InvoiceUpdate]):
    """Invoices (``/finance/invoices``)."""

    def payments(self, invoice_id: int, /) -> AsyncResource[m.InvoicePayment, m.InvoicePaymentUpdate]:
        """The payments applied to an invoice (``/finance/invoices/{id}/payments``)."""
        return AsyncResource(self._x, PAYMENTS, invoice_id)


class Boards(Resource[m.Board, m.BoardUpdate]):
    """Service boards (``/service/boards``)."""

    def statuses(self, board_id: int, /) -> Resource[m.BoardStatus, m.BoardStatusUpdate]:
        """The statuses of a board (``/service/boards/{id}/statuses``)."""
        return Resource(self._x, BOARD_STATUSES, board_id)


class AsyncBoards(AsyncResource[m.Board, m.BoardUpdate]):
    """Service boards (``/service/boards``)."""

    def statuses(self, board_id: int, /) -> AsyncResource[m.BoardStatus, m.BoardStatusUpdate]:
        """The statuses of a board (``/service/boards/{id}/statuses``)."""
        return AsyncResource(self._x, BOARD_STATUSES, board_id)


class PurchaseOrders(Resource[m.PurchaseOrder, m.PurchaseOrderUpdate]):
    """Purchase orders (``/procurement/purchaseorders``)."""

    def line_items(
        self, purchase_order_id: int, /
    ) -> Resource[m.PurchaseOrderLineItem, m.PurchaseOrderLineItemUpdate]:
        """The line items of a purchase order (``/procurement/purchaseorders/{id}/lineitems``)."""
        return Resource(self._x, LINE_ITEMS, purchase_order_id)


class AsyncPurchaseOrders(AsyncResource[m.PurchaseOrder, m.PurchaseOrderUpdate]):
    """Purchase orders (``/procurement/purchaseorders``)."""

    def line_items(
        self, purchase_order_id: int, /
    ) -> AsyncResource[m.PurchaseOrderLineItem, m.PurchaseOrderLineItemUpdate]:
        """The line items of a purchase order (``/procurement/purchaseorders/{id}/lineitems``)."""
        return AsyncResource(self._x, LINE_ITEMS, purchase_order_id)


def _callback(
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
        """Register a callback unless the same one exists (``GET`` then ``POST /system/callbacks``).

        Look-up-before-create makes it safe to call at every start-up; ``self_suppressed`` keeps changes
        made by this API member from calling back (no sync echo).
        """
        return self._x.run(
            plans.register_callback(_callback(url, type, level, object_id, description, self_suppressed))
        )


class AsyncCallbacks(AsyncResource[m.Callback, m.CallbackUpdate]):
    """Callback registrations (``/system/callbacks``)."""

    @twin_doc(Callbacks.register)
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
        return await self._x.run(
            plans.register_callback(_callback(url, type, level, object_id, description, self_suppressed))
        )
