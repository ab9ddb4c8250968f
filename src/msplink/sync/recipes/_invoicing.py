"""The parts ``invoices_to_quickbooks`` adds to the generic adapters: ConnectWise invoices read with
their lines, and the invoice mapper pair that makes a CW invoice and a QBO invoice comparable.

ConnectWise invoices carry totals, not lines (REFERENCE §10.6). The lines are the products billed on
the invoice (``GET /procurement/products?conditions=invoice/id in (...)``), the time entries billed
on it (``GET /time/entries?conditions=invoice/id in (...)``) and, for an agreement invoice, the
agreement's additions (``GET /finance/agreements?conditions=id in (...)`` for the billing cycle, then
``GET /finance/agreements/{id}/additions``). :class:`ConnectWiseInvoices` wraps the generic
:class:`~msplink.sync.adapters.ConnectWiseAdapter` of invoices and reads those per page of changed
invoices: a page of up to 1,000 invoices costs one request for products and one for time (the page's
invoice ids as ranges, ``invoice/id >= a and invoice/id <= b``, within the URL limit), one for the
agreements, and one per agreement for its additions. Each record's ``data`` is an
:class:`InvoiceBundle`; its version is the invoice's plus a hash of its lines.

Both sides map to canonical invoices whose lines are already *QuickBooks lines*: the QBO item of
each line resolved (catalog item, product class, ``default_item``), amounts per QBO's rule 6070,
taxability as QuickBooks records it (``TAX``/``NON`` in US companies, tax codes elsewhere), and a
penny-adjustment line where rounding left the lines short of the CW subtotal. So a CW invoice and
the QBO invoice written from it compare equal line for line, and a changed CW line is one change.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Final
from urllib.parse import quote

import attrs

from msplink.errors import MappingError
from msplink.mappers import (
    Mapper,
    MappingConfig,
    find_mapper,
    line_amount,
    penny_adjustment,
    quantize_amount,
)
from msplink.models import (
    QUICKBOOKS,
    Agreement,
    AgreementAddition,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    LineKind,
    Link,
    Money,
)
from msplink.sync import ChangePage, RemoteRecord
from msplink.sync.adapters._base import AsyncMethods, Each, FirstPage, Steps, SyncMethods, adrive, drive

__all__ = [
    "CONNECTWISE_INVOICE",
    "QUICKBOOKS_INVOICE",
    "STATUS_FIELD",
    "AsyncConnectWiseInvoices",
    "ConnectWiseInvoices",
    "InvoiceBundle",
    "agreement_lines",
    "bundle_to_invoice",
    "paid_or_void",
    "qbo_invoice_to_invoice",
]

STATUS_FIELD: Final = "connectwise_status"
"""The ``custom_fields`` key holding the CW billing status name (``Sent``) of a mapped invoice."""

PENNY_DESCRIPTION: Final = "Rounding adjustment"
"""The description QuickBooks lines of penny adjustments carry (``msplink.mappers`` writes it)."""

CONDITION_BUDGET: Final = 1200
"""URL-encoded bytes of one ``conditions`` value at most: a ConnectWise URL stays under the ~2,000
characters the developer guide recommends (REFERENCE §5.2, "safe ≈1745 excluding host"), with the
path, ``fields`` and ``pageSize`` beside it."""

RANGE_GAP: Final = 8
"""Ids this close together are read as one range (``id >= a and id <= b``): the few records of the
ids between them (invoices of another status) cost rows, never a request."""

PAGE_SIZE: Final = 1000

_CW_INVOICE = find_mapper("connectwise", "invoice", Invoice)
_CW_PRODUCT = find_mapper("connectwise", "product_item", InvoiceLine)
_CW_TIME = find_mapper("connectwise", "time_entry", InvoiceLine)
_CW_AGREEMENT = find_mapper("connectwise", "agreement", Agreement)
_CW_ADDITION = find_mapper("connectwise", "addition", AgreementAddition)
_QBO_INVOICE = find_mapper("quickbooks", "Invoice", Invoice)

_PRODUCT_FIELDS: Final = ("id", "invoice", "billableOption", *_CW_PRODUCT.reads)
_TIME_FIELDS: Final = ("id", "invoice", "billableOption", *_CW_TIME.reads)
_CATALOG_FIELDS: Final = ("id", "identifier", "productClass")
_AGREEMENT_FIELDS: Final = (
    "id",
    "name",
    "company",
    "billingCycle",
    "oneTimeFlag",
    "agreementStatus",
    "currency",
)


@attrs.frozen(kw_only=True)
class InvoiceBundle:
    """A ConnectWise invoice with what it bills (wire models, as the client returns them).

    Attributes:
        invoice: The invoice.
        products: The billable products whose ``invoice`` is this invoice.
        time_entries: The billable time entries whose ``invoice`` is this invoice.
        agreement: For an agreement invoice, its agreement (billing cycle).
        additions: For an agreement invoice, the agreement's additions.
        catalog: The catalog items of those additions (their product classes).
    """

    invoice: Any
    products: tuple[Any, ...] = ()
    time_entries: tuple[Any, ...] = ()
    agreement: Any = None
    additions: tuple[Any, ...] = ()
    catalog: tuple[Any, ...] = ()


def _plain(model: Any) -> dict[str, Any]:
    raw = dict(model.raw)
    raw.pop("_info", None)
    return raw


def _lines_hash(bundle: InvoiceBundle) -> str:
    """A short hash of everything an invoice's lines come from (its version moves when they change)."""
    parts = {
        "products": [_plain(m) for m in bundle.products],
        "time": [_plain(m) for m in bundle.time_entries],
        "agreement": _plain(bundle.agreement) if bundle.agreement is not None else None,
        "additions": [_plain(m) for m in bundle.additions],
        "catalog": [_plain(m) for m in bundle.catalog],
    }
    text = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _id_conditions(field: str, ids: Iterable[int]) -> Iterator[str]:
    """ConnectWise ``conditions`` that together select the records whose ``field`` is one of ``ids``
    (and possibly ids less than :data:`RANGE_GAP` apart from them), each within
    :data:`CONDITION_BUDGET`: runs of close ids as ranges, ``(field>=1 and field<=240)``, the others
    in one ``field in (...)``, joined with ``or``. A page of invoices (ids mostly in sequence) is
    one condition, not one per 100 ids (issue 18). Integers only: no text can enter a condition."""
    runs: list[list[int]] = []
    for number in sorted({int(i) for i in ids}):
        if runs and number - runs[-1][1] <= RANGE_GAP:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    head = len(quote(f" or {field} in ()"))
    ranges: list[str] = []
    singles: list[int] = []
    used = 0
    for first, last in runs:
        if first == last:
            size = len(quote(f"{first},")) + (0 if singles else head)
        else:
            size = len(quote(f" or ({field}>={first} and {field}<={last})"))
        if (ranges or singles) and used + size > CONDITION_BUDGET:
            yield _joined(field, ranges, singles)
            ranges, singles, used = [], [], 0
            size = len(quote(f"{first},")) + head if first == last else size
        if first == last:
            singles.append(first)
        else:
            ranges.append(f"({field}>={first} and {field}<={last})")
        used += size
    if ranges or singles:
        yield _joined(field, ranges, singles)


def _joined(field: str, ranges: Sequence[str], singles: Sequence[int]) -> str:
    listed = [f"{field} in ({','.join(str(n) for n in singles)})"] if singles else []
    return " or ".join([*ranges, *listed])


def _lister(resource: str, where: str, fields: Sequence[str], cursor: str | None) -> Callable[[Any], Any]:
    """``client.<resource>.list(...)``: one page of records matching ``where``, from ``cursor``."""
    projection = list(dict.fromkeys(fields))

    def call(client: Any) -> Any:
        return getattr(client, resource).list(
            where=where, fields=projection, page_size=PAGE_SIZE, cursor=cursor
        )

    return call


def _additions(agreement_id: int) -> Callable[[Any], Any]:
    """``client.agreements.additions(id).list().to_list()`` (``GET /finance/agreements/{id}/additions``)."""

    def call(client: Any) -> Any:
        return client.agreements.additions(agreement_id).list(page_size=PAGE_SIZE).to_list()

    return call


def _billable(model: Any) -> bool:
    return str(getattr(model, "billable_option", None) or "Billable") == "Billable"


class _Invoices:
    """The plans: the generic adapter's invoice pages, each record bundled with its lines."""

    system = "connectwise"
    has_delete_feed = False

    def __init__(self, invoices: Any, statuses: Iterable[str] | None = None) -> None:
        self.invoices = invoices
        self.statuses = None if statuses is None else frozenset(s.casefold() for s in statuses)

    def wanted(self, invoice: Any) -> bool:
        """Whether a wire invoice's billing status is one of ``statuses`` (all, when ``None``)."""
        if self.statuses is None:
            return True
        status = invoice.status.name if invoice.status is not None else None
        return isinstance(status, str) and status.casefold() in self.statuses

    @property
    def object(self) -> str:
        """``invoice``."""
        value: str = self.invoices.object
        return value

    @property
    def integration_user(self) -> str | None:
        """The API member msplink writes as in ConnectWise."""
        value: str | None = self.invoices.integration_user
        return value

    @property
    def api_calls(self) -> Mapping[str, int]:
        """The ConnectWise client's request counter (line reads included)."""
        value: Mapping[str, int] = self.invoices.api_calls
        return value

    def __repr__(self) -> str:
        return f"{type(self).__name__}(connectwise:invoice with lines)"

    def _read(self, since: datetime | None, token: str | None) -> Steps[ChangePage]:
        page = yield from self.invoices._read_changes(since, token)
        records = yield from self._bundle(page.records)
        return ChangePage(records=records, next_token=page.next_token, ordered=page.ordered)

    def _fetched(self, ids: Sequence[str]) -> Steps[list[RemoteRecord]]:
        records = yield from self.invoices._fetch(ids)
        return (yield from self._bundle(records))

    def _ids(self) -> Steps[list[str]]:
        ids: list[str] = yield from self.invoices._list_ids()
        return ids

    def _children(
        self, resource: str, field: str, ids: Sequence[int], fields: Sequence[str]
    ) -> Steps[list[Any]]:
        out: list[Any] = []
        for where in _id_conditions(field, ids):
            cursor: str | None = None
            while True:
                page = yield FirstPage(_lister(resource, where, fields, cursor))
                if page is None:
                    break
                out.extend(page.items)
                cursor = page.next_cursor
                if cursor is None:
                    break
        return out

    def _bundle(self, records: Sequence[RemoteRecord]) -> Steps[list[RemoteRecord]]:
        records = [r for r in records if r.deleted or r.data is None or self.wanted(r.data)]
        live = [r for r in records if not r.deleted and r.data is not None]
        if not live:
            return list(records)
        ids = [int(r.id) for r in live]
        products = yield from self._children("product_items", "invoice/id", ids, _PRODUCT_FIELDS)
        entries = yield from self._children("time_entries", "invoice/id", ids, _TIME_FIELDS)
        wanted = sorted(
            {
                int(r.data.agreement.id)
                for r in live
                if r.data.agreement is not None
                and r.data.agreement.id is not None
                and r.data.agreement_amount
            }
        )
        agreements = yield from self._children("agreements", "id", wanted, _AGREEMENT_FIELDS)
        listed = yield Each(tuple(_additions(a) for a in wanted))
        additions: dict[int, tuple[Any, ...]] = {}
        for agreement_id, result in zip(wanted, listed, strict=True):
            if isinstance(result, BaseException):
                raise result
            additions[agreement_id] = tuple(result)
        products_sold = sorted(
            {
                int(a.product.id)
                for rows in additions.values()
                for a in rows
                if a.product is not None and a.product.id is not None
            }
        )
        catalog = yield from self._children("catalog_items", "id", products_sold, _CATALOG_FIELDS)
        catalog_by_id = {int(item.id): item for item in catalog}
        by_invoice: dict[int, list[Any]] = defaultdict(list)
        for product in products:
            if product.invoice is not None and product.invoice.id is not None and _billable(product):
                by_invoice[int(product.invoice.id)].append(product)
        time_by_invoice: dict[int, list[Any]] = defaultdict(list)
        for entry in entries:
            if entry.invoice is not None and entry.invoice.id is not None and _billable(entry):
                time_by_invoice[int(entry.invoice.id)].append(entry)
        agreement_by_id = {int(a.id): a for a in agreements}
        out: list[RemoteRecord] = []
        for record in records:
            if record.deleted or record.data is None:
                out.append(record)
                continue
            invoice = record.data
            number = int(record.id)
            agreement = None
            if (
                invoice.agreement is not None
                and invoice.agreement.id is not None
                and invoice.agreement_amount
            ):
                agreement = agreement_by_id.get(int(invoice.agreement.id))
            rows = additions.get(int(agreement.id), ()) if agreement is not None else ()
            used = sorted(
                {int(a.product.id) for a in rows if a.product is not None and a.product.id is not None}
            )
            bundle = InvoiceBundle(
                invoice=invoice,
                products=tuple(sorted(by_invoice.get(number, ()), key=lambda m: int(m.id))),
                time_entries=tuple(sorted(time_by_invoice.get(number, ()), key=lambda m: int(m.id))),
                agreement=agreement,
                additions=rows,
                catalog=tuple(catalog_by_id[i] for i in used if i in catalog_by_id),
            )
            version = f"{record.version}+{_lines_hash(bundle)}" if record.version else None
            out.append(attrs.evolve(record, data=bundle, version=version))
        return out


class ConnectWiseInvoices(_Invoices):
    """ConnectWise invoices with their lines, as a sync :class:`~msplink.sync.Source`.

    Invoices whose billing status is not one of ``statuses`` are left out of the pages, as a
    ``status/name in (...)`` condition would leave them out (their lines are not read).

    Args:
        invoices: The generic ``ConnectWiseAdapter`` of invoices (its ``fields=`` projection must
            include what :func:`bundle_to_invoice` reads: build it with :data:`CONNECTWISE_INVOICE`).
        statuses: The billing statuses wanted (``None``: every invoice).
    """

    def __init__(self, invoices: SyncMethods, statuses: Iterable[str] | None = None) -> None:
        super().__init__(invoices, statuses)

    def read_changes(self, since: datetime | None, page_token: str | None) -> ChangePage:
        """One page of changed invoices (``GET /finance/invoices``) with their lines."""
        return drive(self.invoices.client, self._read(since, page_token))

    def fetch(self, ids: Sequence[str]) -> list[RemoteRecord]:
        """Invoices by id with their lines."""
        return drive(self.invoices.client, self._fetched(ids))

    def list_ids(self) -> list[str]:
        """Every invoice id."""
        return drive(self.invoices.client, self._ids())


class AsyncConnectWiseInvoices(_Invoices):
    """The async twin of :class:`ConnectWiseInvoices` (over an ``AsyncConnectWiseAdapter``)."""

    def __init__(self, invoices: AsyncMethods, statuses: Iterable[str] | None = None) -> None:
        super().__init__(invoices, statuses)

    async def read_changes(self, since: datetime | None, page_token: str | None) -> ChangePage:
        """See :meth:`ConnectWiseInvoices.read_changes`."""
        return await adrive(self.invoices.client, self._read(since, page_token))

    async def fetch(self, ids: Sequence[str]) -> list[RemoteRecord]:
        """See :meth:`ConnectWiseInvoices.fetch`."""
        return await adrive(self.invoices.client, self._fetched(ids))

    async def list_ids(self) -> list[str]:
        """See :meth:`ConnectWiseInvoices.list_ids`."""
        return await adrive(self.invoices.client, self._ids())


# --------------------------------------------------------------------------------------- mapping


def _config(config: MappingConfig | None) -> MappingConfig:
    return config if config is not None else MappingConfig()


def _months(agreement: Any, config: MappingConfig) -> Decimal:
    """Months one invoice of the agreement covers (its billing cycle; one-time: 1)."""
    canonical = _CW_AGREEMENT.inbound(agreement, config)
    months = canonical.billing_cycle.months
    return months if months is not None and months == months.to_integral_value() else Decimal(1)


def _class_of(addition: AgreementAddition, classes: Mapping[str, str | None]) -> str:
    """The product class of an addition's catalog item (``Agreement`` when the catalog does not say)."""
    product = addition.product.id_for("connectwise", "catalog_item") if addition.product is not None else None
    return (classes.get(product) if product is not None else None) or "Agreement"


def agreement_lines(bundle: InvoiceBundle, config: MappingConfig, currency: str) -> list[InvoiceLine]:
    """The lines of an agreement invoice: the agreement's additions active on the invoice date.

    Each line maps through its catalog item (SKU), then the catalog item's product class. An addition
    bills ``unitPrice`` per unit per month for the months of the agreement's billing
    cycle (a quarterly invoice: three months): quantity = billed quantity x months. When those lines
    do not add up to the invoice's ``agreementAmount`` (additions priced per cycle: quantity x 1 is
    tried next; additions changed since the invoice was made), the invoice gets one ``Agreement``
    line of its agreement amount instead, so the QuickBooks total is still the ConnectWise total.
    """
    invoice = bundle.invoice
    amount = invoice.agreement_amount
    if not amount:
        return []
    day = invoice.date.date() if isinstance(invoice.date, datetime) else invoice.date
    additions = [_CW_ADDITION.inbound(a, config) for a in bundle.additions]
    classes = {str(item.id): item.product_class for item in bundle.catalog}
    active = [a for a in additions if a.is_active(day if isinstance(day, date) else None)]
    tolerance = config.penny_tolerance
    factors = [_months(bundle.agreement, config), Decimal(1)] if bundle.agreement is not None else []
    for factor in dict.fromkeys(factors):
        lines = [
            InvoiceLine(
                amount=Money(line_amount(a.billed_quantity * factor, a.unit_price.amount), currency),
                description=a.description,
                quantity=a.billed_quantity * factor,
                unit_price=Money(a.unit_price.amount, currency),
                sku=a.sku,
                product_class=_class_of(a, classes),
                taxable=a.taxable,
            )
            for a in active
            if a.billed_quantity
        ]
        if lines and abs(sum((line.amount.amount for line in lines), Decimal(0)) - amount) <= tolerance:
            return lines
    name = invoice.agreement.name if invoice.agreement is not None else None
    return [
        InvoiceLine(
            amount=Money(amount, currency),
            description=name or "Agreement",
            quantity=Decimal(1),
            unit_price=Money(amount, currency),
            product_class="Agreement",
            taxable=False,
        )
    ]


def _qbo_line(
    line: InvoiceLine,
    config: MappingConfig,
    path: str,
    *,
    taxable_document: bool,
    document_code: str | None,
) -> InvoiceLine:
    """A CW line as the QuickBooks line it becomes (item resolved, amount per rule 6070, tax)."""
    item = line.product.id_for(QUICKBOOKS, "Item") if line.product is not None else None
    if item is None:
        item = config.qbo_item_for(sku=line.sku, product_class=line.product_class, path=f"{path}.item")
    quantity, price = line.quantity, line.unit_price
    if quantity is not None and price is not None:
        amount = line_amount(quantity, price.amount)
    else:
        amount = quantize_amount(line.amount.amount)
    taxable: bool | None = None
    code: str | None = None
    if config.tax_mode == "us":
        taxable = bool(line.taxable) and taxable_document
    else:
        code = line.tax_code or document_code
        if not code:
            raise MappingError(f"{path}.tax_code", "a tax code is required on every line (tax_mode = global)")
        config.tax_codes.get(code, path=f"{path}.tax_code", table="tax_codes")
    return InvoiceLine(
        amount=Money(amount, line.amount.currency),
        description=line.description,
        quantity=quantity,
        unit_price=price,
        kind=line.kind if line.kind is not LineKind.ADJUSTMENT else LineKind.ITEM,
        product=Link.to(QUICKBOOKS, "Item", item),
        service_date=line.service_date,
        tax_code=code,
        taxable=taxable,
    )


def _penny_line(amount: Money, config: MappingConfig) -> InvoiceLine:
    item = config.penny_adjustment_item or ""
    return InvoiceLine(
        amount=amount,
        description=PENNY_DESCRIPTION,
        quantity=Decimal(1),
        unit_price=amount,
        product=Link.to(QUICKBOOKS, "Item", item),
        taxable=False if config.tax_mode == "us" else None,
    )


def bundle_to_invoice(bundle: InvoiceBundle | Any, config: MappingConfig | None = None) -> Invoice:
    """A ConnectWise invoice and its lines as the canonical invoice QuickBooks should hold.

    Lines, in order: billed products, billed time, the agreement's additions (:func:`agreement_lines`),
    an ``Expenses`` line for ``expenseTotal``; then a penny-adjustment line when the QBO line amounts
    fall short of the CW subtotal by no more than ``MappingConfig.penny_tolerance``. Every mapping the
    QuickBooks invoice needs is checked here, so a record that cannot be written is a dead letter
    before any plan says it will be: each line's QBO item (catalog item, product class,
    ``default_item``), the billing terms (``terms``), the tax code (``tax_codes``).

    Args:
        bundle: The invoice with its lines (a bare invoice maps with summary lines).
        config: Lookup tables.

    Raises:
        MappingError: A mapping is missing (the path names the field, the value the missing entry), or
            the lines differ from the subtotal by more than the penny tolerance.
    """
    cfg = _config(config)
    if not isinstance(bundle, InvoiceBundle):
        bundle = InvoiceBundle(invoice=bundle)
    invoice = bundle.invoice
    base = _CW_INVOICE.inbound(invoice, cfg)
    currency = base.currency
    detail: list[InvoiceLine] = []
    for i, product in enumerate(bundle.products):
        try:
            detail.append(_CW_PRODUCT.inbound(product, cfg))
        except MappingError as exc:
            raise MappingError(f"Invoice.products[{i}].{exc.path}", exc.reason, value=exc.value) from exc
    for i, entry in enumerate(bundle.time_entries):
        try:
            detail.append(_CW_TIME.inbound(entry, cfg))
        except MappingError as exc:
            raise MappingError(f"Invoice.time[{i}].{exc.path}", exc.reason, value=exc.value) from exc
    detail.extend(agreement_lines(bundle, cfg, currency))
    if invoice.expense_total:
        amount = Money(invoice.expense_total, currency)
        detail.append(
            InvoiceLine(
                amount=amount, description="Expenses", quantity=Decimal(1), unit_price=amount,
                product_class="Expense", taxable=False,
            )
        )  # fmt: skip
    if not detail:
        detail = list(base.lines)  # summary lines: nothing billed in detail
    if base.terms:
        cfg.terms.get(base.terms, path="Invoice.terms", table="terms")
    document_code = base.tax_code
    taxable_document = invoice.taxable_flag is not False
    if document_code:
        mapped = cfg.tax_codes.get(document_code, path="Invoice.tax_code", table="tax_codes")
        taxable_document = taxable_document and mapped != "NON"
    lines = [
        _qbo_line(
            line, cfg, f"Invoice.lines[{i}]", taxable_document=taxable_document, document_code=document_code
        )
        for i, line in enumerate(detail)
    ]
    subtotal = base.subtotal if base.subtotal is not None else Money.sum((x.amount for x in detail), currency)
    written = Money.sum((x.amount for x in lines), currency)
    if quantize_amount(written.amount) != quantize_amount(subtotal.amount):
        if cfg.penny_adjustment_item is None:
            raise MappingError(
                "Invoice.lines",
                f"the QuickBooks lines add up to {quantize_amount(written.amount)}, the ConnectWise subtotal "
                f"is {quantize_amount(subtotal.amount)}, and no penny_adjustment_item is configured",
                value=base.number,
            )
        adjustment = penny_adjustment(written, subtotal, tolerance=cfg.penny_tolerance, path="Invoice.lines")
        if adjustment is not None:
            lines.append(_penny_line(adjustment, cfg))
    status = invoice.status.name if invoice.status is not None else None
    return attrs.evolve(base, lines=tuple(lines), custom_fields={**base.custom_fields, STATUS_FIELD: status})


def _normal_line(line: InvoiceLine, config: MappingConfig) -> InvoiceLine:
    """A QBO line as :func:`bundle_to_invoice` writes it (no display names, SKUs or line numbers)."""
    item = line.product.id_for(QUICKBOOKS, "Item") if line.product is not None else None
    us = config.tax_mode == "us"
    return attrs.evolve(
        line,
        product=Link.to(QUICKBOOKS, "Item", item) if item is not None else None,
        sku=None,
        product_class=None,
        line_number=None,
        tax_code=None if us else line.tax_code,
        taxable=line.taxable if us else None,
    )


def qbo_invoice_to_invoice(invoice: Any, config: MappingConfig | None = None) -> Invoice:
    """A QuickBooks invoice (``GET /v3/company/{realm}/invoice/{id}``) in the form
    :func:`bundle_to_invoice` gives a ConnectWise invoice (lines normalised; ``subtotal`` left out, so
    a rewritten invoice's penny line is computed from its new lines)."""
    cfg = _config(config)
    base = _QBO_INVOICE.inbound(invoice, cfg)
    return attrs.evolve(base, lines=tuple(_normal_line(x, cfg) for x in base.lines), subtotal=None)


def paid_or_void(source: Any, target: Invoice) -> str | None:
    """The lock of a QuickBooks invoice: ``paid`` once a payment is applied to it, ``void`` when voided.

    An invoice with money applied is the books' record of what the customer paid against: changing
    its lines could leave it below its payments. Such invoices are left alone and reported.
    """
    if target.status is InvoiceStatus.VOID:
        return "void"
    paid = target.amount_paid
    return "paid" if paid is not None and paid.amount > 0 else None


CONNECTWISE_INVOICE: Final = Mapper(
    system="connectwise",
    object="invoice",
    canonical=Invoice,
    to_canonical=bundle_to_invoice,
    from_canonical=_CW_INVOICE.from_canonical,
    reads=tuple(
        sorted(
            {*_CW_INVOICE.reads, "status", "productTotal", "expenseTotal", "agreementAmount", "taxableFlag"}
        )
    ),
    writes=_CW_INVOICE.writes,
)
"""The ConnectWise invoice row of the recipe: maps an :class:`InvoiceBundle` (reads the billing status
too, for the status filter)."""

QUICKBOOKS_INVOICE: Final = Mapper(
    system="quickbooks",
    object="Invoice",
    canonical=Invoice,
    to_canonical=qbo_invoice_to_invoice,
    from_canonical=_QBO_INVOICE.from_canonical,
    reads=_QBO_INVOICE.reads,
    writes=_QBO_INVOICE.writes,
)
"""The QuickBooks invoice row of the recipe: the standard one, lines normalised on the way in."""
