"""CW purchase orders -> QBO vendors and bills (DESIGN §1 use case 5).

Two flows, vendors first:

1. ``cw-vendors-to-qbo-vendors``: the vendor company of every purchase order in scope -> a QBO vendor,
   matched by the identity map, then e-mail, then normalised name (``INGRAM MICRO`` is ``Ingram Micro
   Inc.``), else created. A vendor QuickBooks already has is linked, never renamed.
2. ``cw-purchase-orders-to-qbo-bills``: each purchase order whose status is in ``statuses`` -> one QBO
   bill (:func:`msplink.mappers.purchase_order_to_vendor_bill`): its line items (the received
   quantities by default) as item lines where the SKU maps to a QBO item, else as account lines on the
   expense account (the product class's, then ``default_expense_account``), and freight as an account
   line on ``expense_accounts["freight"]``; the vendor's invoice number and date; ``PrivateNote`` =
   ``PO <number>``, by which a bill entered before is found instead of created again. Once per purchase
   order: an order edited after it was billed is reported (skipped, reason ``guard``), not billed again.

A drop-shipped order's lines are billable to its client, which must be linked to its QBO customer
(``companies_and_customers``); until then the order is a dead letter naming the missing link, written
by a retry once it is linked.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import datetime
from functools import partial
from typing import Any, Final, Literal, cast

import attrs

from msplink.errors import ConfigurationError, MappingError
from msplink.mappers import MappingConfig, find_mapper, purchase_order_to_vendor_bill
from msplink.models import (
    CONNECTWISE,
    QUICKBOOKS,
    ExternalRef,
    Link,
    PurchaseOrder,
    Vendor,
    VendorBill,
    VendorBillLine,
)
from msplink.sync import (
    ChangePage,
    Direction,
    Flow,
    Guards,
    RemoteRecord,
    StateStore,
    SyncReport,
    by_email,
    by_link,
    by_name,
    run,
)
from msplink.sync.adapters import (
    AsyncConnectWiseAdapter,
    AsyncQuickBooksAdapter,
    ConnectWiseAdapter,
    QuickBooksAdapter,
)
from msplink.sync.recipes._io_steps import (
    AsyncOperations,
    Call,
    Operations,
    RecipeMapper,
    Steps,
    SyncOperations,
    every,
    is_async_client,
    merge_calls,
)

__all__ = [
    "BILL_FIELDS",
    "BILL_FLOW",
    "DEFAULT_STATUSES",
    "VENDOR_FIELDS",
    "VENDOR_FLOW",
    "Order",
    "PurchaseOrdersToQuickBooks",
    "purchase_orders_to_quickbooks",
]

NAME: Final = "purchase_orders_to_quickbooks"
VENDOR_FLOW: Final = "cw-vendors-to-qbo-vendors"
BILL_FLOW: Final = "cw-purchase-orders-to-qbo-bills"
DEFAULT_STATUSES: Final = ("Received", "Closed")
"""Purchase-order statuses billed by default (what has arrived)."""

VENDOR_FIELDS: Final = (
    "name",
    "email",
    "phone",
    "website",
    "address.line1",
    "address.line2",
    "address.city",
    "address.region",
    "address.postal_code",
    "terms",
)
"""What a vendor created in QuickBooks carries from ConnectWise."""

BILL_FIELDS: Final = ("vendor", "number", "bill_date", "due_date", "lines", "terms", "memo", "currency")
"""What a bill carries from its purchase order."""

_STATUS_KEY: Final = "purchase_order_status"


@attrs.frozen(kw_only=True)
class Order:
    """A purchase order as the bills flow reads it.

    Attributes:
        order: The wire purchase order.
        status: Its status name.
        in_scope: Whether its status is one of the billed statuses.
        lines: Its line items (read only for orders in scope).
        vendor: The QBO vendor id linked to its vendor company, when linked.
        customers: QBO customer ids linked to the CW companies its lines are for.
    """

    order: Any
    status: str | None
    in_scope: bool = False
    lines: tuple[Any, ...] = ()
    vendor: str | None = None
    customers: Mapping[str, str] = attrs.field(factory=dict)


def _status_of(po: Any) -> str | None:
    status = getattr(po, "status", None)
    name = getattr(status, "name", None)
    return name if isinstance(name, str) else None


def _ref_id(value: Any) -> str | None:
    identifier = getattr(value, "id", None)
    return str(identifier) if identifier is not None else None


def _linked(state: StateStore, company_id: str | None, object_type: str) -> str | None:
    if company_id is None:
        return None
    for ref in state.links(ExternalRef(CONNECTWISE, "company", company_id)):
        if ref.system == QUICKBOOKS and ref.object_type == object_type:
            return ref.id
    return None


def _version(record: RemoteRecord, lines: Sequence[Any], vendor: str | None) -> str:
    stamps = ",".join(
        f"{getattr(line, 'id', '')}@{(getattr(line, 'raw', {}) or {}).get('_info', {}).get('lastUpdated', '')}"
        for line in lines
    )
    return f"{record.version}|{stamps}|{vendor or ''}"


class _Orders(Operations):
    """CW purchase orders (``GET /procurement/purchaseorders``) with their line items
    (``GET /procurement/purchaseorders/{id}/lineitems``, one call per order in scope) and the QBO
    vendor and customers their companies are linked to."""

    system = CONNECTWISE
    object = "purchase_order"
    integration_user: str | None = None
    has_delete_feed = False

    def __init__(self, *, cw: Any, orders: Any, state: StateStore, statuses: Collection[str]) -> None:
        self.cw = cw
        self.orders = orders
        self.state = state
        self.statuses = frozenset(statuses)

    @property
    def api_calls(self) -> Mapping[str, int]:
        """The ConnectWise client's own request counter."""
        return dict(self.orders.api_calls)

    def _expand(self, records: Sequence[RemoteRecord]) -> Steps[list[RemoteRecord]]:
        scoped = [int(r.id) for r in records if not r.deleted and _status_of(r.data) in self.statuses]
        # one read per order in scope (ConnectWise serves line items only under their order), all of
        # the page's at once: concurrently on async clients, in order on sync ones
        listed = yield from every([partial(_line_items, self.cw, n) for n in scoped])
        lines_of: dict[int, tuple[Any, ...]] = {
            n: tuple(found) for n, found in zip(scoped, listed, strict=True)
        }
        out: list[RemoteRecord] = []
        for record in records:
            if record.deleted:
                out.append(record)
                continue
            po = record.data
            status = _status_of(po)
            if status not in self.statuses:
                out.append(attrs.evolve(record, data=Order(order=po, status=status)))
                continue
            lines = lines_of[int(record.id)]
            vendor = _linked(self.state, _ref_id(getattr(po, "vendor_company", None)), "Vendor")
            client = _ref_id(getattr(po, "customer_company", None))
            customer = _linked(self.state, client, "Customer")
            customers = {client: customer} if client is not None and customer is not None else {}
            data = Order(
                order=po, status=status, in_scope=True, lines=lines, vendor=vendor, customers=customers
            )
            out.append(attrs.evolve(record, data=data, version=_version(record, lines, vendor)))
        return out

    def _read_changes(self, since: datetime | None, page_token: str | None) -> Steps[ChangePage]:
        page = yield Call(lambda: self.orders.read_changes(since, page_token))
        records = yield from self._expand(list(page.records))
        return ChangePage(records=records, next_token=page.next_token, ordered=page.ordered)

    def _fetch(self, ids: Sequence[str]) -> Steps[list[RemoteRecord]]:
        found = yield Call(lambda: self.orders.fetch(list(ids)))
        return (yield from self._expand(list(found)))

    def _list_ids(self) -> Steps[list[str]]:
        ids = yield Call(lambda: self.orders.list_ids())
        return list(ids)


def _line_items(cw: Any, order_id: int) -> Any:
    """``GET /procurement/purchaseorders/{id}/lineitems``, every page (a list; a coroutine of one on
    async clients)."""
    return cw.purchase_orders.line_items(order_id).list().to_list()


class _Vendors(Operations):
    """The vendor companies of the purchase orders in scope (``GET /procurement/purchaseorders``, then
    ``GET /company/companies?conditions=id in (...)``): a vendor is read when one of its orders changes
    (its change time is the newest order's of the read, so the watermark follows the orders)."""

    system = CONNECTWISE
    object = "company"
    integration_user: str | None = None
    has_delete_feed = False

    def __init__(self, *, orders: Any, companies: Any, statuses: Collection[str]) -> None:
        self.orders = orders
        self.companies = companies
        self.statuses = frozenset(statuses)

    @property
    def api_calls(self) -> Mapping[str, int]:
        """The ConnectWise client's own request counter."""
        return merge_calls(self.orders.api_calls, self.companies.api_calls)

    def _read_changes(self, since: datetime | None, page_token: str | None) -> Steps[ChangePage]:
        page = yield Call(lambda: self.orders.read_changes(since, page_token))
        vendors: set[str] = set()
        stamps = [r.updated_at for r in page.records if r.updated_at is not None]
        for record in page.records:
            if record.deleted or _status_of(record.data) not in self.statuses:
                continue
            vendor = _ref_id(getattr(record.data, "vendor_company", None))
            if vendor is not None:
                vendors.add(vendor)
        found: list[RemoteRecord] = []
        if vendors:
            found = yield Call(lambda: self.companies.fetch(sorted(vendors)))
        newest = max(stamps) if stamps else None
        records = [
            attrs.evolve(r, updated_at=max(d for d in (newest, r.updated_at) if d is not None))
            if newest is not None
            else r
            for r in found
        ]
        return ChangePage(records=records, next_token=page.next_token, ordered=False)

    def _fetch(self, ids: Sequence[str]) -> Steps[list[RemoteRecord]]:
        found = yield Call(lambda: self.companies.fetch(list(ids)))
        return list(found)

    def _list_ids(self) -> Steps[list[str]]:
        ids = yield Call(lambda: self.companies.list_ids())
        return list(ids)


class _SyncOrders(_Orders, SyncOperations):
    pass


class _AsyncOrders(_Orders, AsyncOperations):
    pass


class _SyncVendors(_Vendors, SyncOperations):
    pass


class _AsyncVendors(_Vendors, AsyncOperations):
    pass


BillLines = Literal["items", "accounts"]


def bill_mapper(*, received_only: bool, bill_lines: BillLines, expense_account: str | None) -> RecipeMapper:
    """The source mapper of the bills flow: an :class:`Order` -> the canonical :class:`VendorBill`.

    Orders out of scope map to an empty bill carrying only their status (the flow's filter skips them).
    """
    po_row = find_mapper(CONNECTWISE, "purchase_order", PurchaseOrder)

    def to_canonical(data: Order, config: Any) -> VendorBill:
        currency = config.default_currency if isinstance(config, MappingConfig) else "USD"
        status = {_STATUS_KEY: data.status or ""}
        if not data.in_scope:
            return VendorBill(vendor=Link(), currency=currency, custom_fields=status)
        order: PurchaseOrder = cast(Any, po_row.to_canonical)(data.order, config, lines=data.lines)
        bill = purchase_order_to_vendor_bill(order, received_only=received_only)
        vendor = bill.vendor
        if data.vendor is not None:
            vendor = vendor.with_ref(ExternalRef(QUICKBOOKS, "Vendor", data.vendor))
        lines = []
        for line in bill.lines:
            customer = line.customer
            client = customer.id_for(CONNECTWISE, "company") if customer is not None else None
            if customer is not None and client is not None and client in data.customers:
                customer = customer.with_ref(ExternalRef(QUICKBOOKS, "Customer", data.customers[client]))
            line = attrs.evolve(line, customer=customer)
            if bill_lines == "accounts" and line.account is None:
                line = VendorBillLine(
                    amount=line.amount,
                    description=line.description,
                    account=expense_account,
                    customer=line.customer,
                    billable=line.billable,
                )
            lines.append(line)
        return attrs.evolve(bill, vendor=vendor, lines=tuple(lines), custom_fields=status)

    def from_canonical(bill: VendorBill, config: Any) -> Any:
        raise MappingError("VendorBill", "the bills flow writes QuickBooks only", value=bill.number)

    return RecipeMapper(to_canonical=to_canonical, from_canonical=from_canonical, reads=BILL_FIELDS)


class PurchaseOrdersToQuickBooks:
    """The recipe: call it to bill received purchase orders once; :meth:`flows` gives its two flows."""

    name: Final = NAME
    summary: Final = (
        "ConnectWise purchase orders -> QuickBooks vendors and bills (item or expense-account lines)"
    )
    systems: Final = ("connectwise", "quickbooks")

    def flows(
        self,
        *,
        cw: Any,
        qbo: Any,
        state: StateStore,
        config: MappingConfig | None,
        statuses: Collection[str] = DEFAULT_STATUSES,
        received_only: bool = True,
        bill_lines: BillLines = "items",
        expense_account: str | None = None,
        update_bills: bool = False,
        guards: Guards | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> tuple[Flow, Flow]:
        """The two flows: vendors, then bills.

        Args:
            cw: A ``ConnectWiseClient`` (or ``AsyncConnectWiseClient``).
            qbo: A ``QuickBooksClient`` (or ``AsyncQuickBooksClient``).
            state: The state store (its identity map links vendors and the clients of drop-shipped
                orders to their QuickBooks vendor and customer).
            config: The ``MappingConfig`` (catalog items, product classes, expense accounts, terms).
            statuses: The purchase-order status names that are billed.
            received_only: Bill the received quantities (default) or everything ordered.
            bill_lines: ``items`` (item lines where the SKU maps to a QBO item, account lines otherwise)
                or ``accounts`` (every line on an expense account).
            expense_account: With ``bill_lines="accounts"``: the ``expense_accounts`` key (or QBO account
                id) of the lines (default: each product class's expense account, then
                ``default_expense_account``).
            update_bills: Update a bill when its order changes after billing (default: report it).
            guards: Limits of the bills flow.
            now: The clock of the adapters (default: the system clock).

        Raises:
            ConfigurationError: No status, or an unknown ``bill_lines``.
        """
        if not statuses:
            raise ConfigurationError(f"{NAME}: statuses must name at least one purchase-order status")
        if bill_lines not in ("items", "accounts"):
            raise ConfigurationError(f"{NAME}: bill_lines must be 'items' or 'accounts', got {bill_lines!r}")
        asynchronous = is_async_client(cw, "companies")
        if asynchronous != is_async_client(qbo, "customers"):
            raise TypeError("pass two sync clients or two async clients")
        cw_cls = AsyncConnectWiseAdapter if asynchronous else ConnectWiseAdapter
        qbo_cls = AsyncQuickBooksAdapter if asynchronous else QuickBooksAdapter
        po_row = find_mapper(CONNECTWISE, "purchase_order", PurchaseOrder)
        vendor_source = (_AsyncVendors if asynchronous else _SyncVendors)(
            orders=cw_cls(cw, po_row, config=config, now=now),
            companies=cw_cls(cw, find_mapper(CONNECTWISE, "company", Vendor), config=config, now=now),
            statuses=statuses,
        )
        vendor_mapper = find_mapper(QUICKBOOKS, "Vendor", Vendor)
        vendors = Flow(
            name=VENDOR_FLOW,
            source=vendor_source,
            target=qbo_cls(qbo, vendor_mapper, config=config, now=now),
            source_mapper=find_mapper(CONNECTWISE, "company", Vendor),
            target_mapper=vendor_mapper,
            config=config,
            direction=Direction.ONE_WAY,
            match=(by_link(), by_email(), by_name()),
            fields=VENDOR_FIELDS,
            guards=Guards(allow_update=False),
        )
        statuses_set = frozenset(statuses)
        bills = Flow(
            name=BILL_FLOW,
            source=(_AsyncOrders if asynchronous else _SyncOrders)(
                cw=cw, orders=cw_cls(cw, po_row, config=config, now=now), state=state, statuses=statuses_set
            ),
            target=qbo_cls(
                qbo,
                find_mapper(QUICKBOOKS, "Bill", VendorBill),
                config=config,
                now=now,
                index_rules=(by_name("memo"),),
                name_field="memo",
            ),
            source_mapper=bill_mapper(
                received_only=received_only, bill_lines=bill_lines, expense_account=expense_account
            ),
            target_mapper=find_mapper(QUICKBOOKS, "Bill", VendorBill),
            config=config,
            direction=Direction.ONE_WAY,
            match=(by_link(), by_name("memo")),
            fields=BILL_FIELDS,
            filter=lambda bill: bill.custom_fields.get(_STATUS_KEY) in statuses_set,
            guards=guards or Guards(allow_update=update_bills),
        )
        return vendors, bills

    def __call__(
        self,
        *,
        cw: Any,
        qbo: Any,
        state: StateStore,
        config: MappingConfig | None,
        dry_run: bool = False,
        progress: bool | Callable[[int, int], None] | None = None,
        statuses: Collection[str] = DEFAULT_STATUSES,
        received_only: bool = True,
        bill_lines: BillLines = "items",
        expense_account: str | None = None,
        update_bills: bool = False,
        guards: Guards | None = None,
        retry_dead_letters: bool = False,
        now: Callable[[], datetime] | None = None,
    ) -> SyncReport:
        """Create QuickBooks vendors and bills for ConnectWise purchase orders, once per order.

        Reads CW purchase orders (``GET /procurement/purchaseorders``, ``lastUpdated`` windows), their
        line items and vendor companies; matches QBO vendors and bills (``/query``, ``/batch``); writes
        QBO vendors and bills (``POST /batch``, ``requestid`` = the intent's key).

        Args:
            cw: A ``ConnectWiseClient``.
            qbo: A ``QuickBooksClient``.
            state: The state store both flows share.
            config: The ``MappingConfig``.
            dry_run: Plan and report only.
            progress: ``True`` for a progress bar, or a callback ``(records, writes)``.
            statuses: See :meth:`flows`.
            received_only: See :meth:`flows`.
            bill_lines: See :meth:`flows`.
            expense_account: See :meth:`flows`.
            update_bills: See :meth:`flows`.
            guards: See :meth:`flows`.
            retry_dead_letters: Retry each flow's dead letters first.
            now: The clock of the adapters (default: the system clock).

        Returns:
            One report for both flows (``report.parts`` holds each flow's).

        Raises:
            ConfigurationError: See :meth:`flows`.
            GuardError: A flow's plan exceeded its guards (before its first write).
            LeaseError: Another process runs one of the flows.
            SyncError: Authentication, configuration or reading failed.
            TypeError: Async clients (run :meth:`flows` with ``arun``).
        """
        if is_async_client(cw, "companies") or is_async_client(qbo, "customers"):
            raise TypeError(f"async clients: run each of {NAME}.flows(...) with arun")
        flows = self.flows(
            cw=cw, qbo=qbo, state=state, config=config, statuses=statuses, received_only=received_only,
            bill_lines=bill_lines, expense_account=expense_account, update_bills=update_bills,
            guards=guards, now=now,
        )  # fmt: skip
        reports = [
            run(flow, state=state, dry_run=dry_run, progress=progress, retry_dead_letters=retry_dead_letters)
            for flow in flows
        ]
        return SyncReport.combine(NAME, reports)

    def __repr__(self) -> str:
        return f"<recipe {NAME}>"


purchase_orders_to_quickbooks: Final = PurchaseOrdersToQuickBooks()
"""CW purchase orders -> QBO vendors and bills: ``purchase_orders_to_quickbooks(cw=..., qbo=..., state=...,
config=...)``; ``purchase_orders_to_quickbooks.flows(...)`` for ``arun``."""
