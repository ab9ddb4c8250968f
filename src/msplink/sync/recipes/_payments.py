"""QBO payments -> CW invoice payments (DESIGN §1 use cases 4 and 8).

A QuickBooks payment is applied to invoices by its lines (``Line[].LinkedTxn``); what no line applies
is unapplied cash (``UnappliedAmt``). This recipe mirrors each payment into ConnectWise as one invoice
payment per ConnectWise invoice it pays, so service staff see who owes what:

1. **applications** (flow ``qbo-payments-to-cw-invoice-payments``): each payment fans out into one
   record per ConnectWise invoice (id ``<payment id>/<CW invoice id>``) whose amount is what the
   payment's lines apply to that invoice's QuickBooks twin, plus its share of the unapplied cash when
   an allocation strategy is set (``oldest``, ``largest`` or ``proportional``, over the customer's open
   QuickBooks invoices, payments in date order, see :func:`msplink.mappers.allocate_payment`). A QBO
   invoice is found in ConnectWise through the identity map (``invoices_to_quickbooks`` links them),
   else by its ``DocNumber`` = the CW ``invoiceNumber``. Each record is created once as a CW invoice
   payment, or linked to the one already there (same invoice, amount and date: a payment recorded by
   hand, or by another tool, is never applied twice); a changed payment updates or removes its CW
   payments. Lines on invoices ConnectWise does not have, credit-memo lines and cash left unapplied are
   recorded as skipped, so every cent is accounted for in the report.
2. **standing** (flow ``cw-invoice-payment-standing``): every CW invoice touched, and every open one,
   gets the billing status its balance says (``paid_status`` / ``partly_paid_status``) and the overdue
   flag (a ``Checkbox`` custom field named by ``overdue_field``) of the day.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any, Final

import attrs

from msplink.errors import ConfigurationError, MappingError
from msplink.mappers import (
    ALLOCATION_STRATEGIES,
    AllocationStrategy,
    MappingConfig,
    allocate_payment,
    find_mapper,
)
from msplink.models import (
    CONNECTWISE,
    QUICKBOOKS,
    ExternalRef,
    Invoice,
    Link,
    Money,
    Payment,
    PaymentAllocation,
)
from msplink.sync import (
    ChangePage,
    Direction,
    Flow,
    Guards,
    LookupRequest,
    MatchRule,
    RemoteRecord,
    StateStore,
    SyncReport,
    by_external_id,
    by_link,
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
    Items,
    Operations,
    RecipeMapper,
    Steps,
    SyncOperations,
    is_async_client,
    merge_calls,
)
from msplink.sync.recipes._payments_cw import (
    APPLICATION_FIELD,
    InvoicePayments,
    Standing,
    StandingSource,
    StandingTarget,
    application_key,
    payment_mapper,
    standing_mapper,
)

__all__ = [
    "APPLICATION_OBJECT",
    "APPLY_FLOW",
    "STANDING_FLOW",
    "UNAPPLIED",
    "Application",
    "allocate_unapplied",
    "PaymentsToConnectWise",
    "payments_to_connectwise",
]

NAME: Final = "payments_to_connectwise"
APPLY_FLOW: Final = "qbo-payments-to-cw-invoice-payments"
STANDING_FLOW: Final = "cw-invoice-payment-standing"
APPLICATION_OBJECT: Final = "payment_application"

UNAPPLIED: Final[Mapping[str, AllocationStrategy]] = {
    "oldest": "oldest_first",
    "largest": "largest_first",
    "proportional": "proportional",
    **{name: name for name in ALLOCATION_STRATEGIES},
}
"""``unapplied=`` values: ``oldest`` (due date, then date, then number), ``largest`` (open balance) or
``proportional`` (by open balance, pennies oldest first), or the ``msplink.mappers`` names."""

ZERO: Final = Decimal(0)


@attrs.frozen(kw_only=True)
class Application:
    """One record of the applications flow: what a QBO payment applies to one ConnectWise invoice.

    Attributes:
        payment: The canonical QuickBooks payment.
        invoice: The ConnectWise invoice id (``None`` for a record that writes nothing).
        number: The invoice number (display).
        from_lines: What the payment's lines apply to the invoice.
        share: The invoice's share of the payment's unapplied cash.
        declined: Why the record writes nothing (no CW invoice, a credit memo, cash left unapplied).
        error: Why the record cannot be mapped at all (a dead letter).
    """

    payment: Payment | None = None
    invoice: str | None = None
    number: str | None = None
    from_lines: Decimal = ZERO
    share: Decimal = ZERO
    declined: str | None = None
    error: MappingError | None = None

    @property
    def amount(self) -> Decimal:
        """What is applied to the invoice."""
        return self.from_lines + self.share


def application_to_payment(application: Application, config: Any) -> Payment | None:
    """The canonical one-invoice payment an :class:`Application` writes (``None``: it writes nothing)."""
    if application.error is not None:
        raise application.error
    payment = application.payment
    if application.declined is not None or payment is None or application.invoice is None:
        return None
    amount = Money(application.amount, payment.currency)
    target = Link.to(CONNECTWISE, "invoice", application.invoice, display=application.number)
    return Payment(
        refs=payment.refs,
        updated_at=payment.updated_at,
        customer=payment.customer,
        total=amount,
        payment_date=payment.payment_date,
        reference=payment.reference,
        allocations=(PaymentAllocation(target=target, amount=amount),),
        custom_fields={
            "application": application_key(application.invoice, amount.amount, payment.payment_date)
        },
    )


def applications_mapper() -> RecipeMapper:
    """The source mapper of the applications flow (QBO side; writes nothing back)."""

    def refuse(record: Any, config: Any) -> Any:
        raise MappingError("Payment", "the applications flow writes ConnectWise only")

    fields = ("total", "payment_date", "allocations")
    return RecipeMapper(
        to_canonical=application_to_payment, from_canonical=refuse, reads=fields, writes=fields
    )


def _strategy(unapplied: str | None) -> AllocationStrategy | None:
    if unapplied is None:
        return None
    found = UNAPPLIED.get(unapplied)
    if found is None:
        raise ConfigurationError(
            f"{NAME}: unapplied must be one of {sorted(UNAPPLIED)} or None, got {unapplied!r}"
        )
    return found


class _Applications(Operations):
    """QBO payments fanned out into one record per ConnectWise invoice they pay (see the module)."""

    system = QUICKBOOKS
    object = APPLICATION_OBJECT
    integration_user: str | None = None
    has_delete_feed = True

    def __init__(
        self,
        *,
        qbo: Any,
        payments: Any,
        qbo_invoices: Any,
        cw_invoices: Any,
        state: StateStore,
        config: MappingConfig | None,
        strategy: AllocationStrategy | None,
        target: tuple[str, str],
    ) -> None:
        self.qbo = qbo
        self.payments = payments
        self.qbo_invoices = qbo_invoices
        self.cw_invoices = cw_invoices
        self.state = state
        self.config = config
        self.strategy = strategy
        self.target = target
        self.payment_mapper = find_mapper(QUICKBOOKS, "Payment", Payment)
        self.invoice_mapper = find_mapper(QUICKBOOKS, "Invoice", Invoice)

    @property
    def api_calls(self) -> Mapping[str, int]:
        """The QuickBooks and ConnectWise clients' own request counters."""
        return merge_calls(self.payments.api_calls, self.cw_invoices.api_calls)

    # --- reading ---------------------------------------------------------------------------

    def _read_changes(self, since: datetime | None, page_token: str | None) -> Steps[ChangePage]:
        page = yield Call(lambda: self.payments.read_changes(since, page_token))
        records = yield from self._expand(list(page.records), related=True)
        return ChangePage(records=records, next_token=page.next_token, ordered=page.ordered)

    def _fetch(self, ids: Sequence[str]) -> Steps[list[RemoteRecord]]:
        wanted = sorted({i.split("/")[0] for i in ids})
        found = yield Call(lambda: self.payments.fetch(wanted))
        seen = {r.id for r in found}
        gone = [RemoteRecord(id=p, version="deleted", deleted=True) for p in wanted if p not in seen]
        return (yield from self._expand([*found, *gone], related=False))

    def _list_ids(self) -> Steps[list[str]]:
        ids = yield Call(lambda: self.payments.list_ids())
        records = yield from self._fetch([f"{i}/" for i in ids])
        return [r.id for r in records if not r.deleted]

    def _expand(self, payments: list[RemoteRecord], *, related: bool) -> Steps[list[RemoteRecord]]:
        """Every application record of these payments (and of the payments whose unapplied shares they
        move), plus tombstones for the applications a payment no longer has."""
        linked: dict[str, set[str]] = defaultdict(set)
        on_invoice: dict[str, set[str]] = defaultdict(set)
        for source_id, target_id in self.state.pairs((self.system, self.object), self.target):
            owner = source_id.partition("/")[0]
            linked[owner].add(source_id)
            on_invoice[target_id.split(":")[0]].add(owner)
        mapped: dict[str, tuple[RemoteRecord, Payment]] = {}
        out: list[RemoteRecord] = []
        for record in payments:
            if record.deleted:
                out += [_tombstone(i, record) for i in sorted(linked.get(record.id, ()))]
                continue
            try:
                mapped[record.id] = (record, self.payment_mapper.to_canonical(record.data, self.config))  # type: ignore[misc]
            except MappingError as exc:
                out.append(_record(record, f"{record.id}/*", Application(error=exc)))
        resolved = yield from self._resolve(
            {
                a.target.id_for(QUICKBOOKS) or ""
                for _, p in mapped.values()
                for a in p.allocations
                if a.target_type == "Invoice"
            }
        )
        shares: dict[str, dict[str, Decimal]] = {}
        if self.strategy is not None:
            customers = {_customer(p) for _, p in mapped.values() if p.unapplied.amount > 0}
            if related:
                touched = {cw_id for cw_id, _ in resolved.values() if cw_id}
                others = {pid for cw_id in touched for pid in on_invoice.get(cw_id, ()) if pid not in mapped}
                if others:
                    found = yield Call(lambda: self.payments.fetch(sorted(others)))
                    for record in found:
                        payment = self.payment_mapper.to_canonical(record.data, self.config)  # type: ignore[misc]
                        if payment.unapplied.amount > 0:
                            customers.add(_customer(payment))
            for customer in sorted(c for c in customers if c):
                unapplied, computed = yield from self._allocate(customer)
                shares.update(computed)
                for record, payment in unapplied:
                    mapped.setdefault(record.id, (record, payment))
            resolved.update(
                (yield from self._resolve({q for s in shares.values() for q in s} - set(resolved)))
            )
        for payment_id, (record, payment) in mapped.items():
            fresh = _applications(record, payment, resolved, shares.get(payment_id, {}), self.strategy)
            out += fresh
            keep = {r.id for r in fresh}
            out += [_tombstone(i, record) for i in sorted(linked.get(payment_id, ())) if i not in keep]
        return out

    def _resolve(self, qbo_ids: Iterable[str]) -> Steps[dict[str, tuple[str | None, str | None]]]:
        """QBO invoice id -> (CW invoice id, number): the identity map, else ``DocNumber`` =
        ``invoiceNumber`` (``None`` when ConnectWise has no such invoice)."""
        wanted = sorted(i for i in qbo_ids if i)
        out: dict[str, tuple[str | None, str | None]] = {}
        numbers: dict[str, str] = {}
        if not wanted:
            return out
        for qbo_id in wanted:
            for ref in self.state.links(ExternalRef(QUICKBOOKS, "Invoice", qbo_id)):
                if ref.system == CONNECTWISE and ref.object_type == "invoice":
                    out[qbo_id] = (ref.id, None)
        missing = [i for i in wanted if i not in out]
        if missing:
            found = yield Call(lambda: self.qbo_invoices.lookup(LookupRequest(ids=missing)))
            for record in found:
                number = getattr(record.data, "doc_number", None)
                if number:
                    numbers[record.id] = number
            keys = sorted(set(numbers.values()))
            cw_found: list[RemoteRecord] = []
            if keys:
                request = LookupRequest(keys={"external_id:number": keys})
                cw_found = yield Call(lambda: self.cw_invoices.lookup(request))
            by_number: dict[str, list[str]] = defaultdict(list)
            for record in cw_found:
                by_number[str(getattr(record.data, "invoice_number", "") or "")].append(record.id)
            for qbo_id in missing:
                hits = by_number.get(numbers.get(qbo_id, ""), [])
                out[qbo_id] = (hits[0], numbers[qbo_id]) if len(hits) == 1 else (None, numbers.get(qbo_id))
        return out

    def _allocate(
        self, customer: str
    ) -> Steps[tuple[list[tuple[RemoteRecord, Payment]], dict[str, dict[str, Decimal]]]]:
        """Allocate the customer's unapplied cash over its open QBO invoices: payments in date order, each
        taking from what the ones before it left (``POST /query``: the customer's invoices and payments)."""
        if not customer.isdigit():
            return [], {}
        where = f"CustomerRef = '{customer}'"
        invoices = yield Items(lambda: self.qbo.invoices.list(where=where))
        payments = yield Items(lambda: self.qbo.payments.list(where=where))
        open_: dict[str, Invoice] = {}
        for wire in invoices:
            invoice = self.invoice_mapper.to_canonical(wire, self.config)  # type: ignore[misc]
            if invoice.balance is not None and invoice.balance.amount > 0:
                open_[str(wire.id)] = attrs.evolve(
                    invoice, refs=ExternalRef(QUICKBOOKS, "Invoice", str(wire.id))
                )
        unapplied: list[tuple[RemoteRecord, Payment]] = []
        for wire in payments:
            payment = self.payment_mapper.to_canonical(wire, self.config)  # type: ignore[misc]
            if payment.unapplied.amount > 0:
                record = RemoteRecord(
                    id=str(wire.id), version=wire.sync_token, updated_at=payment.updated_at, data=wire
                )
                unapplied.append((record, payment))
        assert self.strategy is not None  # noqa: S101 - only called with a strategy
        split = allocate_unapplied([(r.id, p) for r, p in unapplied], open_, self.strategy)
        return unapplied, split


def allocate_unapplied(
    payments: Sequence[tuple[str, Payment]], invoices: Mapping[str, Invoice], strategy: AllocationStrategy
) -> dict[str, dict[str, Decimal]]:
    """Split payments' unapplied cash over open invoices (pure).

    Payments take their turn by payment date, then id; each is split by ``strategy``
    (:func:`msplink.mappers.allocate_payment`) over what the ones before it left open, so no invoice
    receives more than its balance and no payment gives more than its unapplied cash.

    Args:
        payments: ``(payment id, payment)`` pairs (their ``unapplied`` is split).
        invoices: Open invoices by id (their ``balance`` is what they can take).
        strategy: ``oldest_first``, ``largest_first`` or ``proportional``.

    Returns:
        Per payment id, the amount given to each invoice id (only positive amounts).
    """
    open_ = {i: inv for i, inv in invoices.items() if inv.balance is not None and inv.balance.amount > 0}
    ordered = sorted(
        (p for p in payments if p[1].unapplied.amount > 0),
        key=lambda p: (
            p[1].payment_date or date.min,
            (0, p[0].rjust(20, "0")) if p[0].isdigit() else (1, p[0]),
        ),
    )
    shares: dict[str, dict[str, Decimal]] = {}
    for payment_id, payment in ordered:
        candidates = [
            attrs.evolve(inv, refs=ExternalRef(QUICKBOOKS, "Invoice", i))
            for i, inv in open_.items()
            if inv.balance is not None and inv.balance.amount > 0
        ]
        if not candidates:
            break
        mine: dict[str, Decimal] = {}
        for allocation in allocate_payment(payment.unapplied, candidates, strategy=strategy):
            invoice_id = allocation.target.id_for(QUICKBOOKS, "Invoice") or ""
            mine[invoice_id] = mine.get(invoice_id, ZERO) + allocation.amount.amount
            left = open_[invoice_id]
            assert left.balance is not None  # noqa: S101 - open invoices have a balance
            open_[invoice_id] = attrs.evolve(left, balance=left.balance - allocation.amount)
        shares[payment_id] = {k: v for k, v in mine.items() if v > 0}
    return shares


def _customer(payment: Payment) -> str:
    return payment.customer.id_for(QUICKBOOKS, "Customer") or ""


def _tombstone(source_id: str, payment: RemoteRecord) -> RemoteRecord:
    return RemoteRecord(
        id=source_id, version=f"gone@{payment.version}", updated_at=payment.updated_at, deleted=True
    )


def _record(payment: RemoteRecord, source_id: str, application: Application) -> RemoteRecord:
    amount = application.amount.quantize(Decimal("0.01"))
    return RemoteRecord(
        id=source_id,
        version=f"{payment.version}/{amount}/{application.declined or ''}",
        updated_at=payment.updated_at,
        data=application,
    )


def _applications(
    record: RemoteRecord,
    payment: Payment,
    resolved: Mapping[str, tuple[str | None, str | None]],
    shares: Mapping[str, Decimal],
    strategy: AllocationStrategy | None,
) -> list[RemoteRecord]:
    """The records of one payment: per CW invoice, lines + share; and what cannot be applied in CW."""
    per_invoice: dict[str, Application] = {}
    out: list[RemoteRecord] = []
    for allocation in payment.allocations:
        qbo_id = allocation.target.id_for(QUICKBOOKS) or ""
        if allocation.target_type != "Invoice":
            declined = f"a {allocation.target_type} line: applied in QuickBooks only"
            out.append(
                _record(
                    record,
                    f"{payment_id(record)}/{allocation.target_type.lower()}{qbo_id}",
                    Application(payment=payment, from_lines=allocation.amount.amount, declined=declined),
                )
            )
            continue
        cw_id, number = resolved.get(qbo_id, (None, None))
        if cw_id is None:
            declined = f"QuickBooks invoice {number or qbo_id} is not in ConnectWise"
            out.append(
                _record(
                    record,
                    f"{payment_id(record)}/q{qbo_id}",
                    Application(payment=payment, from_lines=allocation.amount.amount, declined=declined),
                )
            )
            continue
        current = per_invoice.get(cw_id, Application(payment=payment, invoice=cw_id, number=number))
        per_invoice[cw_id] = attrs.evolve(current, from_lines=current.from_lines + allocation.amount.amount)
    left = payment.unapplied.amount
    for qbo_id, share in sorted(shares.items()):
        cw_id, number = resolved.get(qbo_id, (None, None))
        if cw_id is None:
            continue  # the share stays unapplied in ConnectWise (reported below)
        current = per_invoice.get(cw_id, Application(payment=payment, invoice=cw_id, number=number))
        per_invoice[cw_id] = attrs.evolve(current, share=current.share + share)
        left -= share
    for cw_id, application in sorted(per_invoice.items()):
        if application.amount > 0:
            out.append(_record(record, f"{payment_id(record)}/{cw_id}", application))
    if left > 0:
        why = (
            "no allocation strategy"
            if strategy is None
            else "no open invoice left to allocate it to, or only QuickBooks invoices ConnectWise does not have"
        )
        out.append(
            _record(
                record,
                f"{payment_id(record)}/unapplied",
                Application(
                    payment=payment, share=left, declined=f"unapplied cash left as customer credit ({why})"
                ),
            )
        )
    return out


def payment_id(record: RemoteRecord) -> str:
    """The QBO payment id of a payment record."""
    return record.id


class _SyncApplications(_Applications, SyncOperations):
    pass


class _AsyncApplications(_Applications, AsyncOperations):
    pass


class _SyncPayments(InvoicePayments, SyncOperations):
    pass


class _AsyncPayments(InvoicePayments, AsyncOperations):
    pass


class _SyncStandingSource(StandingSource, SyncOperations):
    pass


class _AsyncStandingSource(StandingSource, AsyncOperations):
    pass


class _SyncStandingTarget(StandingTarget, SyncOperations):
    pass


class _AsyncStandingTarget(StandingTarget, AsyncOperations):
    pass


STANDING_FIELDS: Final = (
    "id",
    "invoiceNumber",
    "total",
    "balance",
    "dueDate",
    "status",
    "customFields",
    "_info",
)
"""What the standing flow reads of a CW invoice (``fields=``)."""


class PaymentsToConnectWise:
    """The recipe: call it to mirror QBO payments once; :meth:`flows` gives its flows."""

    name: Final = NAME
    summary: Final = "QuickBooks payments -> ConnectWise invoice payments (multi-invoice, unapplied cash, paid and overdue flags)"
    systems: Final = ("quickbooks", "connectwise")

    def flows(
        self,
        *,
        qbo: Any,
        cw: Any,
        state: StateStore,
        config: MappingConfig | None,
        unapplied: str | None = "oldest",
        paid_status: str | None = "Paid",
        partly_paid_status: str | None = "Partially Paid",
        open_status: str | None = None,
        overdue_field: str | None = "Overdue",
        today: date | None = None,
        guards: Guards | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> tuple[Flow, ...]:
        """The flows: applications (QBO -> CW), then the invoices' standing (when anything is managed).

        Args:
            qbo: A ``QuickBooksClient`` (or ``AsyncQuickBooksClient``).
            cw: A ``ConnectWiseClient`` (or ``AsyncConnectWiseClient``).
            state: The state store (its identity map finds a payment's applications and the CW twins of
                QBO invoices).
            config: The ``MappingConfig`` (currency; ``connectwise_ids.billing_statuses`` and
                ``connectwise_ids.custom_fields`` for the standing).
            unapplied: How unapplied cash is allocated: ``oldest``, ``largest``, ``proportional``, or
                ``None`` (left as customer credit).
            paid_status: The CW billing status of a paid invoice (``None``: not managed).
            partly_paid_status: The CW billing status of a partly paid invoice (``None``: not managed).
            open_status: The status an invoice returns to when it is open again (``None``: left alone).
            overdue_field: The caption of the CW ``Checkbox`` custom field flagging overdue invoices
                (``None``: not managed).
            today: The day overdue is judged on (default: today, UTC, from ``now``).
            guards: Limits of the applications flow (default: deletes allowed, so a voided or deleted
                QuickBooks payment removes its ConnectWise payments; at most 10 % of them per run).
            now: The clock of the adapters (default: the system clock).

        Raises:
            ConfigurationError: An unknown ``unapplied``, or a status or field the config has no
                ConnectWise id for (before any I/O).
        """
        strategy = _strategy(unapplied)
        asynchronous = is_async_client(cw, "companies")
        if asynchronous != is_async_client(qbo, "customers"):
            raise TypeError("pass two sync clients or two async clients")
        clock = now or (lambda: datetime.now(timezone.utc))
        standing = Standing(
            paid_status=paid_status,
            partly_paid_status=partly_paid_status,
            open_status=open_status,
            overdue_field=overdue_field,
            today=today or clock().date(),
        )
        _check_ids(config, standing)
        qbo_cls = AsyncQuickBooksAdapter if asynchronous else QuickBooksAdapter
        cw_cls = AsyncConnectWiseAdapter if asynchronous else ConnectWiseAdapter
        cw_invoice = find_mapper(CONNECTWISE, "invoice", Invoice)
        cw_invoices = cw_cls(cw, cw_invoice, config=config, now=now, index_rules=(by_external_id("number"),))
        payments_target = (_AsyncPayments if asynchronous else _SyncPayments)(cw, cw_invoices, now=clock)
        source = (_AsyncApplications if asynchronous else _SyncApplications)(
            qbo=qbo,
            payments=qbo_cls(qbo, find_mapper(QUICKBOOKS, "Payment", Payment), config=config, now=now),
            qbo_invoices=qbo_cls(qbo, find_mapper(QUICKBOOKS, "Invoice", Invoice), config=config, now=now),
            cw_invoices=cw_invoices,
            state=state,
            config=config,
            strategy=strategy,
            target=(payments_target.system, payments_target.object),
        )
        applications = Flow(
            name=APPLY_FLOW,
            source=source,
            target=payments_target,
            source_mapper=applications_mapper(),
            target_mapper=payment_mapper(),
            config=config,
            direction=Direction.ONE_WAY,
            match=(by_link(), MatchRule("application", (APPLICATION_FIELD,))),
            fields=("total", "payment_date", "allocations"),
            guards=guards or Guards(allow_delete=True),
        )
        fields = standing.fields()
        if not fields:
            return (applications,)
        stand = Flow(
            name=STANDING_FLOW,
            source=(_AsyncStandingSource if asynchronous else _SyncStandingSource)(
                cw, standing, STANDING_FIELDS
            ),
            target=(_AsyncStandingTarget if asynchronous else _SyncStandingTarget)(
                cw, standing, STANDING_FIELDS, config
            ),
            source_mapper=standing_mapper(standing, source=True),
            target_mapper=standing_mapper(standing, source=False),
            config=config,
            direction=Direction.ONE_WAY,
            match=(by_link(), by_external_id("refs.connectwise.invoice")),
            fields=fields,
            guards=Guards(allow_create=False, allow_delete=False),
        )
        return (applications, stand)

    def __call__(
        self,
        *,
        qbo: Any,
        cw: Any,
        state: StateStore,
        config: MappingConfig | None,
        dry_run: bool = False,
        progress: bool | Callable[[int, int], None] | None = None,
        unapplied: str | None = "oldest",
        paid_status: str | None = "Paid",
        partly_paid_status: str | None = "Partially Paid",
        open_status: str | None = None,
        overdue_field: str | None = "Overdue",
        today: date | None = None,
        guards: Guards | None = None,
        retry_dead_letters: bool = False,
        now: Callable[[], datetime] | None = None,
    ) -> SyncReport:
        """Mirror QuickBooks payments into ConnectWise invoice payments, then the invoices' standing.

        Reads QBO payments (``/cdc`` or ``/query``), their invoices (``/batch`` of queries) and, for
        unapplied cash, the customer's invoices and payments (``/query``); reads CW invoices
        (``GET /finance/invoices``) and their payments (``GET /finance/invoices/{id}/payments``);
        writes CW payments (``POST``/``PATCH``/``DELETE /finance/invoices/{id}/payments``) and the
        invoices' status and overdue flag (``PATCH /finance/invoices/{id}``).

        Args:
            qbo: A ``QuickBooksClient``.
            cw: A ``ConnectWiseClient``.
            state: The state store.
            config: The ``MappingConfig``.
            dry_run: Plan and report only.
            progress: ``True`` for a progress bar, or a callback ``(records, writes)``.
            unapplied: ``oldest``, ``largest``, ``proportional`` or ``None`` (see :meth:`flows`).
            paid_status: See :meth:`flows`.
            partly_paid_status: See :meth:`flows`.
            open_status: See :meth:`flows`.
            overdue_field: See :meth:`flows`.
            today: See :meth:`flows`.
            guards: See :meth:`flows`.
            retry_dead_letters: Retry each flow's dead letters first.
            now: The clock of the adapters (default: the system clock).

        Returns:
            One report for the flows (``report.parts`` holds each flow's).

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
            qbo=qbo, cw=cw, state=state, config=config, unapplied=unapplied, paid_status=paid_status,
            partly_paid_status=partly_paid_status, open_status=open_status, overdue_field=overdue_field,
            today=today, guards=guards, now=now,
        )  # fmt: skip
        reports = [
            run(flow, state=state, dry_run=dry_run, progress=progress, retry_dead_letters=retry_dead_letters)
            for flow in flows
        ]
        return SyncReport.combine(NAME, reports)

    def __repr__(self) -> str:
        return f"<recipe {NAME}>"


def _check_ids(config: MappingConfig | None, standing: Standing) -> None:
    """Every status and field the standing writes must have its ConnectWise id in the config."""
    wanted = [
        ("billing_statuses", n)
        for n in (standing.paid_status, standing.partly_paid_status, standing.open_status)
        if n
    ]
    if standing.overdue_field:
        wanted.append(("custom_fields", standing.overdue_field))
    missing = [
        f"connectwise_ids.{kind}[{name!r}]"
        for kind, name in wanted
        if config is None or config.cw_id(kind, name) is None
    ]
    if missing:
        raise ConfigurationError(
            f"{NAME}: the config has no ConnectWise id for {', '.join(missing)} (add it, or pass None for that option)"
        )


payments_to_connectwise: Final = PaymentsToConnectWise()
"""QBO payments -> CW invoice payments: ``payments_to_connectwise(qbo=..., cw=..., state=..., config=...)``;
``payments_to_connectwise.flows(...)`` for ``arun``."""
