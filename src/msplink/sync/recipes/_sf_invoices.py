"""CW invoices -> Salesforce invoice records, and one follow-up Task per overdue invoice (DESIGN §1
use case 14).

Three flows, run in order over one state store:

1. ``crm:cw-companies-to-sf-accounts``: ConnectWise companies linked to their Salesforce accounts
   (:func:`~msplink.sync.recipes._cw_to_sf.company_account_flow`);
2. ``cw-invoices-to-sf-invoices``: every CW invoice of a linked company (``GET /finance/invoices``
   by ``lastUpdated``) upserted into the invoice custom object by ``CW_Invoice_Id__c``
   (``PATCH /composite/sobjects`` / upsert by external id): number, account, amount, balance, invoice
   and due dates, status;
3. ``cw-invoices-to-sf-tasks``: an invoice past due with a balance gets one Task (``Overdue invoice
   <number>``) for the account's owner, related to the account; once it is paid (or no longer past
   due) the Task is completed. The Task is created once: its subject, text, priority and due date
   are never rewritten, and a Task people completed or reopened is left as they left it.

An invoice falls due without changing, so each read of the task flow also reads the open invoices
whose due date passed since the read's start (``balance > 0 AND dueDate < today``); the day it fell
due is part of the record's version, so it is planned again that day and not on the days after.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any, Final

import attrs
from dateutil.parser import isoparse

from msplink.errors import ConfigurationError, MappingError
from msplink.mappers import Mapper, MappingConfig, find_mapper, overdue_invoice_task
from msplink.models import CONNECTWISE, SALESFORCE, ExternalRef, Invoice, InvoiceStatus, Link, Money, Task
from msplink.sync import (
    Direction,
    FieldPolicy,
    Flow,
    Guards,
    Owner,
    RemoteRecord,
    StateStore,
    SyncReport,
    by_external_id,
    by_link,
    run,
    run_together,
)
from msplink.sync.adapters import SharedReads, shared_pages
from msplink.sync.recipes._cw_to_sf import (
    Read,
    Steps,
    account_owner_target,
    company_account_flow,
    cw_adapter,
    enriched_source,
    link_refs,
    linked_to,
    planned_state,
    same_kind,
    sf_adapter,
)

__all__ = [
    "INVOICE_FLOW",
    "RECORD_FIELDS",
    "TASK_FLOW",
    "InvoicesToSalesforce",
    "invoice_record_mapper",
    "invoice_record_to_invoice",
    "invoices_to_salesforce",
]

NAME: Final = "invoices_to_salesforce"
INVOICE_OBJECT: Final = "Invoice__c"
INVOICE_FLOW: Final = "cw-invoices-to-sf-invoices"
TASK_FLOW: Final = "cw-invoices-to-sf-tasks"

INVOICE_FIELDS: Final = ("number", "customer", "total", "balance", "issue_date", "due_date", "status")
"""What the invoice flow keeps equal (ConnectWise owns every one of them)."""

TASK_FIELDS: Final = ("subject", "description", "status", "priority", "due_date", "what", "closed")
"""What the task flow writes: everything once, at the create; afterwards only ``closed``."""

CLOSED_TASK_STATUS: Final = "Completed"


RECORD_FIELDS: Final[Mapping[str, str]] = {
    "number": "Name",
    "account": "Account__c",
    "total": "Amount__c",
    "balance": "Balance__c",
    "currency": "CurrencyIsoCode",
    "issue_date": "Invoice_Date__c",
    "due_date": "Due_Date__c",
    "status": "Status__c",
    "cw_id": "CW_Invoice_Id__c",
}
"""The invoice object's fields, as ``msplink.mappers`` writes them (``INVOICE_RECORD_FIELDS``)."""


def _stamp(record: Any) -> datetime | None:
    stamp = getattr(record, "system_modstamp", None) or record.get("SystemModstamp")
    if isinstance(stamp, str):
        stamp = isoparse(stamp)
    return stamp.astimezone(timezone.utc) if isinstance(stamp, datetime) else None


def _money(value: Any, currency: str, path: str) -> Money | None:
    if value is None or value == "":
        return None
    try:
        return Money(Decimal(str(value)), currency)
    except (InvalidOperation, ValueError) as exc:
        raise MappingError(path, "not an amount", value=str(value)) from exc


def _day(value: Any, path: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError as exc:
        raise MappingError(path, "not a date", value=str(value)) from exc


def invoice_record_to_invoice(record: Any, config: MappingConfig | None = None) -> Invoice:
    """Map an invoice record (``GET .../sobjects/Invoice__c/{id}``, a Salesforce record or its JSON) to a
    canonical :class:`Invoice`: the inbound half ``msplink.mappers`` leaves out.

    Raises:
        MappingError: The record names no account, or a value cannot be read (the path names it).
    """
    cfg = config if config is not None else MappingConfig()

    def get(key: str) -> Any:
        return record.get(RECORD_FIELDS[key])

    currency = str(get("currency") or cfg.default_currency)
    stamp = _stamp(record)
    own = record.get("Id")
    refs = (
        {ExternalRef(SALESFORCE, INVOICE_OBJECT, str(own), stamp.isoformat() if stamp else None)}
        if own
        else set()
    )
    cw_id = get("cw_id")
    if cw_id not in (None, ""):
        refs.add(ExternalRef(CONNECTWISE, "invoice", str(cw_id).removesuffix(".0")))
    account = get("account")
    if not account:
        raise MappingError("Invoice.customer", "the invoice record names no account")
    status = get("status")
    try:
        parsed = InvoiceStatus(status) if status else None
    except ValueError as exc:
        raise MappingError("Invoice.status", "unknown invoice status", value=str(status)) from exc
    return Invoice(
        refs=refs,
        updated_at=stamp,
        deleted=bool(record.get("IsDeleted")),
        customer=Link.to(SALESFORCE, "Account", str(account)),
        currency=currency,
        number=get("number"),
        status=parsed,
        issue_date=_day(get("issue_date"), "Invoice.issue_date"),
        due_date=_day(get("due_date"), "Invoice.due_date"),
        total=_money(get("total"), currency, "Invoice.total"),
        balance=_money(get("balance"), currency, "Invoice.balance"),
    )


def invoice_record_mapper() -> Mapper[Invoice]:
    """The invoice object's mapper row, both directions: the table's outbound row
    (``find_mapper("salesforce", "Invoice__c", Invoice)``) plus :func:`invoice_record_to_invoice`."""
    row = find_mapper(SALESFORCE, INVOICE_OBJECT, Invoice)
    if set(row.writes) != set(RECORD_FIELDS.values()):
        raise ConfigurationError(f"the invoice record fields changed: {sorted(row.writes)}")
    return attrs.evolve(
        row,
        to_canonical=invoice_record_to_invoice,
        reads=("Id", "IsDeleted", "SystemModstamp", *RECORD_FIELDS.values()),
    )


def _completed(task_mapper: Mapper[Task]) -> Mapper[Task]:
    """The Task row whose outbound half marks a closed task ``Completed`` (``IsClosed`` is read-only)."""
    base = task_mapper.from_canonical
    assert base is not None  # noqa: S101 - the table's Task row maps both ways

    def from_canonical(task: Task, config: MappingConfig | None) -> Any:
        if task.closed and task.status != CLOSED_TASK_STATUS:
            task = attrs.evolve(task, status=CLOSED_TASK_STATUS)
        return base(task, config)

    return attrs.evolve(task_mapper, from_canonical=from_canonical)


class InvoicesToSalesforce:
    """The recipe: call it to sync once; :meth:`flows` gives its three flows."""

    name: Final = NAME
    summary: Final = "ConnectWise invoices -> Salesforce invoice records, and a Task per overdue invoice"
    systems: Final = ("connectwise", "salesforce")

    def flows(
        self,
        *,
        cw: Any,
        sf: Any,
        state: StateStore,
        config: MappingConfig | None,
        today: date | None = None,
        task_priority: str = "High",
        create_accounts: bool = False,
        tasks: bool = True,
        cw_integration_user: str | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> tuple[Flow, ...]:
        """The flows (company links, invoices, overdue tasks), over sync or async clients.

        Args:
            cw: A ``ConnectWiseClient`` (or ``AsyncConnectWiseClient``).
            sf: A ``SalesforceClient`` (or ``AsyncSalesforceClient``).
            state: The state store the flows will run with (their scope asks its identity map).
            config: The ``MappingConfig``.
            today: The day that decides "past due" (default: today by ``now``).
            task_priority: The follow-up Task's priority.
            create_accounts: Create a Salesforce account for a company that has none (default: only
                companies that have one are synced; the others are skipped as ``filtered``).
            tasks: Create the overdue follow-up Tasks.
            cw_integration_user: The ConnectWise API member msplink writes as.
            now: The clock of the adapters (default: the system clock).
        """
        same_kind(cw, sf)
        clock = now or (lambda: datetime.now(timezone.utc))
        day = today or clock().date()
        shared = SharedReads()  # the run's Salesforce reads, each once (issue 18)
        links = company_account_flow(
            cw=cw, sf=sf, config=config, create_accounts=create_accounts,
            cw_integration_user=cw_integration_user, now=now, shared=shared,
        )  # fmt: skip
        cw_invoice = find_mapper("connectwise", "invoice", Invoice)
        record = invoice_record_mapper()
        account_linked = linked_to(state, SALESFORCE, "Account")
        invoice_linked = linked_to(state, SALESFORCE, INVOICE_OBJECT)
        # the invoice and task flows read the same changes: run in turn, each page is read once
        pages = shared_pages(
            cw_adapter(cw, cw_invoice, config=config, integration_user=cw_integration_user, now=now)
        )
        invoices = Flow(
            name=INVOICE_FLOW,
            source=pages,
            target=sf_adapter(
                sf, record, config=config, external_id_field="CW_Invoice_Id__c", now=now, shared=shared
            ),
            source_mapper=cw_invoice,
            target_mapper=record,
            config=config,
            direction=Direction.ONE_WAY,
            match=(by_link(), by_external_id("refs.connectwise.invoice")),
            fields=INVOICE_FIELDS,
            guards=Guards(),
            filter=lambda inv: account_linked(link_refs(inv.customer)) or invoice_linked(inv.refs),
        )
        if not tasks:
            return links, invoices
        task_linked = linked_to(state, SALESFORCE, "Task")
        task_mapper = _completed(find_mapper("salesforce", "Task", Task))
        follow_up = _follow_up_mapper(cw_invoice, day, task_priority)
        sweep = _overdue_sweep(cw, pages, day)
        target = sf_adapter(sf, task_mapper, config=config, name_field="subject", now=now, shared=shared)
        overdue = Flow(
            name=TASK_FLOW,
            source=enriched_source(pages, sweep),
            target=account_owner_target(target, sf, account_field="what_id"),
            source_mapper=follow_up,
            target_mapper=task_mapper,
            config=config,
            direction=Direction.ONE_WAY,
            match=(by_link(),),
            fields=TASK_FIELDS,
            policies=(
                *(FieldPolicy(f, Owner.TARGET) for f in TASK_FIELDS if f != "closed"),
                FieldPolicy("closed", Owner.REVIEW),
            ),
            guards=Guards(),
            filter=lambda task: (
                (not task.closed and account_linked(link_refs(task.what))) or task_linked(task.refs)
            ),
        )
        return links, invoices, overdue

    def __call__(
        self,
        *,
        cw: Any,
        sf: Any,
        state: StateStore,
        config: MappingConfig | None,
        dry_run: bool = False,
        progress: bool | Callable[[int, int], None] | None = None,
        today: date | None = None,
        task_priority: str = "High",
        create_accounts: bool = False,
        tasks: bool = True,
        retry_dead_letters: bool = False,
        cw_integration_user: str | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> SyncReport:
        """Sync ConnectWise invoices to Salesforce once (see the module docstring for what it does).

        Args:
            cw: A ``ConnectWiseClient`` (``GET /finance/invoices``, ``GET /company/companies``).
            sf: A ``SalesforceClient`` (SOQL, ``PATCH /composite/sobjects/Invoice__c/CW_Invoice_Id__c``, ``POST /composite/sobjects`` (Tasks)).
            state: The state store the flows share.
            config: The ``MappingConfig``.
            dry_run: Plan and report only (the dry run of the later flows sees the company links the
                first one would make).
            progress: ``True`` for a progress bar, or a callback ``(records, writes)``.
            today: The day that decides "past due" (default: today).
            task_priority: The follow-up Task's priority.
            create_accounts: Create a Salesforce account for a company that has none.
            tasks: Create the overdue follow-up Tasks.
            retry_dead_letters: Retry each flow's dead letters first.
            cw_integration_user: The ConnectWise API member msplink writes as.
            now: The clock of the adapters (default: the system clock).

        Returns:
            One report for the flows (``report.parts`` holds each flow's).

        Raises:
            GuardError: A flow's plan exceeded its guards (before its first write).
            LeaseError: Another process runs one of the flows.
            SyncError: Authentication, configuration or reading failed.
            TypeError: Async clients (run :meth:`flows` with ``arun``).
        """
        if same_kind(cw, sf):
            raise TypeError("async clients: run each of invoices_to_salesforce.flows(...) with arun")
        options: dict[str, Any] = {
            "cw": cw, "sf": sf, "config": config, "today": today, "task_priority": task_priority,
            "create_accounts": create_accounts, "tasks": tasks, "cw_integration_user": cw_integration_user,
            "now": now,
        }  # fmt: skip
        links, *rest = self.flows(state=state, **options)
        first = run(
            links, state=state, dry_run=dry_run, progress=progress, retry_dead_letters=retry_dead_letters
        )
        view = planned_state(state, dry_run, [first])
        if view is not state:  # a dry run: the later flows see the links the first one planned
            _, *rest = self.flows(state=view, **options)
        together = run_together(
            rest, state=view, dry_run=dry_run, progress=progress, retry_dead_letters=retry_dead_letters
        )  # page by page: the invoice flow, then the task flow, over one read of each page
        return SyncReport.combine(NAME, [first, *together])

    def __repr__(self) -> str:
        return "<recipe invoices_to_salesforce>"


def _follow_up_mapper(cw_invoice: Mapper[Invoice], today: date, priority: str) -> Mapper[Task]:
    """CW invoice -> the canonical follow-up Task (open while past due with a balance, else closed)."""
    base = cw_invoice.to_canonical
    assert base is not None  # noqa: S101 - the table's invoice row maps inbound

    def to_canonical(wire: Any, config: MappingConfig | None) -> Task:
        invoice = base(wire, config)
        task = overdue_invoice_task(invoice, as_of=today, priority=priority)
        if task is None:
            number = invoice.number or "(no number)"
            task = Task(subject=f"Overdue invoice {number}", status=CLOSED_TASK_STATUS, what=invoice.customer)
        return attrs.evolve(
            task, refs=invoice.refs, updated_at=invoice.updated_at, closed=task.status == CLOSED_TASK_STATUS
        )

    def from_canonical(task: Task, config: MappingConfig | None) -> Any:
        raise MappingError("Task", "a follow-up task is not written to ConnectWise (this flow is one-way)")

    return Mapper(
        system=CONNECTWISE,
        object="invoice",
        canonical=Task,
        to_canonical=to_canonical,
        from_canonical=from_canonical,
        reads=cw_invoice.reads,
    )


def _is_overdue(model: Any, today: date) -> bool:
    due_day = _due_day(model.due_date)
    balance = model.balance
    return due_day is not None and due_day < today and balance is not None and Decimal(str(balance)) > 0


def _due_day(value: Any) -> date | None:
    return value.astimezone(timezone.utc).date() if isinstance(value, datetime) else value


def _overdue_sweep(
    cw: Any, inner: Any, today: date
) -> Callable[[list[RemoteRecord], Read | None], Steps[list[RemoteRecord]]]:
    """The task flow's expansion: on the first page of a read since a watermark, the open invoices that
    fell due since the read's start (``GET /finance/invoices?conditions=balance > 0&fields=id,dueDate,balance``, the due dates
    compared here); and every invoice's version carries whether it is past due."""

    def expand(records: list[RemoteRecord], read: Read | None) -> Steps[list[RemoteRecord]]:
        out = list(records)
        # a read from the start (no watermark yet) reads every invoice, overdue ones included: the
        # sweep would only find them again (issue 18: one call per open-invoice page saved)
        if read is not None and read.first_page and read.since is not None:
            start = read.since.astimezone(timezone.utc).date() - timedelta(days=1) if read.since else None
            rows = yield functools.partial(_open_invoices, cw)
            seen = {r.id for r in out}
            ids = []
            for row in rows:
                due = _due_day(row.due_date)
                if due is None or due >= today or (start is not None and due < start) or str(row.id) in seen:
                    continue
                ids.append(str(row.id))
            if ids:
                fetched = yield functools.partial(inner.fetch, ids)
                out.extend(fetched)
        return [
            attrs.evolve(r, version=f"{r.version}|{'overdue' if _is_overdue(r.data, today) else 'due'}")
            if r.data is not None
            else r
            for r in out
        ]

    return expand


def _open_invoices(cw: Any) -> Any:
    """Every invoice with a balance, projected to what decides "past due" (a constant condition)."""
    return cw.invoices.list(where="balance > 0", fields=["id", "dueDate", "balance"]).to_list()


invoices_to_salesforce: Final = InvoicesToSalesforce()
"""CW invoices -> Salesforce invoice records and overdue Tasks: ``invoices_to_salesforce(cw=..., sf=...,
state=..., config=...)``; ``invoices_to_salesforce.flows(...)`` for ``arun``."""
