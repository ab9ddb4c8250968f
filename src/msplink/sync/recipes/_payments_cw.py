"""The ConnectWise side of ``payments_to_connectwise``: invoice payments as a sync target, and the
invoices' standing (paid / partly paid status, overdue flag) as a source and a target.

ConnectWise keeps a payment as a child of its invoice (``/finance/invoices/{id}/payments``, REFERENCE
§10.6); posting one lowers the invoice's ``balance``. A payment has no field msplink could stamp, so
it is recognised by what it is: its invoice, amount and payment date (the *application key*). The
target's ids are ``<invoice id>:<payment id>`` (a payment is only reachable through its invoice).

Updates are JSON Patch ``replace`` operations (REFERENCE §6.1), sent with the client's ``request()``:
the generated partial-update models live in the vendor package, which the recipes do not import.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from functools import partial
from typing import Any, Final

import attrs

from msplink._core import loads_json
from msplink.errors import (
    MappingError,
    MsplinkError,
    NotFoundError,
    RateLimitError,
    ServerError,
    TransportError,
)
from msplink.mappers import MappingConfig, find_mapper
from msplink.models import CONNECTWISE, ExternalRef, Invoice, InvoiceStatus, Link, Payment
from msplink.sync import Action, ChangePage, Intent, LookupRequest, RemoteRecord, WriteOp, WriteResult
from msplink.sync._values import decode, encode, field_values
from msplink.sync.adapters._base import RAW_CACHE, keep_newest
from msplink.sync.recipes._io_steps import Call, Items, Many, Operations, Page, RecipeMapper, Steps, every

__all__ = [
    "APPLICATION_FIELD",
    "PAYMENT_OBJECT",
    "STANDING_OBJECT",
    "StandingSource",
    "StandingTarget",
    "application_key",
    "InvoicePayments",
    "RecipeMapper",
    "payment_mapper",
    "standing_mapper",
]

PAYMENT_OBJECT: Final = "invoice_payment"
STANDING_OBJECT: Final = "invoice_standing"
APPLICATION_FIELD: Final = "custom_fields.application"
"""Where both sides of the payment flow carry the application key (the match rule reads it)."""

SETTLE_SKEW: Final = timedelta(minutes=5)
CENT: Final = Decimal("0.01")


def application_key(invoice_id: str, amount: Decimal, day: date | None) -> str:
    """``<invoice id>|<amount to the cent>|<payment date>``: one payment applied to one invoice."""
    return f"{invoice_id}|{amount.quantize(CENT)}|{day.isoformat() if day else ''}"


def _raw(value: Any) -> Mapping[str, Any]:
    raw = getattr(value, "raw", value)
    return raw if isinstance(raw, Mapping) else {}


def _stamp(raw: Mapping[str, Any], key: str = "lastUpdated") -> datetime | None:
    info = raw.get("_info")
    text = info.get(key) if isinstance(info, Mapping) else None
    if not text:
        return None
    try:
        return datetime.fromisoformat(str(text).replace("Z", "+00:00")).astimezone(timezone.utc)
    except ValueError:
        return None


def _day(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
        except ValueError:
            return None
    return None


def _decimal(value: object) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, (int, str)) and not isinstance(value, bool):
        return Decimal(value)
    return Decimal(0)


def _ambiguous(error: MsplinkError) -> bool:
    """Whether a failed create may have landed (no answer, a 5xx): look before writing again."""
    return isinstance(error, (TransportError, ServerError)) and not isinstance(error, RateLimitError)


# --------------------------------------------------------------------------------- payment mapper


def payment_mapper() -> RecipeMapper:
    """CW invoice payment <-> a canonical one-invoice :class:`~msplink.models.Payment` (the table row
    ``find_mapper("connectwise", "payment", Payment)``, plus the application key)."""
    row = find_mapper(CONNECTWISE, "payment", Payment)

    def to_canonical(wire: Any, config: Any) -> Payment:
        payment = row.to_canonical(wire, config)  # type: ignore[misc]
        invoices = tuple(a for a in payment.allocations if a.target_type == "Invoice")
        key = ""
        if len(invoices) == 1:
            invoice_id = invoices[0].target.id_for(CONNECTWISE, "invoice") or ""
            key = application_key(invoice_id, payment.total.amount, payment.payment_date)
        return attrs.evolve(payment, allocations=invoices, method=None, custom_fields={"application": key})

    def from_canonical(payment: Payment, config: Any) -> tuple[int, Any]:
        pairs = row.from_canonical(attrs.evolve(payment, method=None), config)  # type: ignore[misc]
        if len(pairs) != 1:
            raise MappingError("Payment.allocations", "a ConnectWise payment applies to exactly one invoice")
        invoice_id, model = pairs[0]
        return int(invoice_id), model

    fields = ("total", "payment_date", "allocations")
    return RecipeMapper(to_canonical=to_canonical, from_canonical=from_canonical, reads=fields, writes=fields)


def _payment_version(raw: Mapping[str, Any]) -> str:
    info = raw.get("_info")
    stamp = info.get("lastUpdated") if isinstance(info, Mapping) else None
    return f"{stamp}#{_decimal(raw.get('amount')).quantize(CENT)}#{raw.get('paymentDate')}"


# ------------------------------------------------------------------------------ payments target


class InvoicePayments(Operations):
    """ConnectWise invoice payments as a sync target (``system`` connectwise, ``object``
    ``invoice_payment``; ids ``<invoice id>:<payment id>``).

    Look-ups read the payments of each invoice named by an id or an application key
    (``GET /finance/invoices/{id}/payments``, one call per invoice) and the invoices' balances
    (``GET /finance/invoices?conditions=id in (...)``). Creates refuse to pay more than an invoice's open
    balance (a dead letter for a person: the invoice was paid some other way); a create whose answer
    is lost is settled at once by looking for its application key among the payments entered since.
    A batch's requests go in one step (concurrently on async clients); the batches themselves go one at
    a time (no ``write_concurrency``): each counts down the open balances the next one checks.
    """

    system = CONNECTWISE
    object = PAYMENT_OBJECT

    def __init__(self, cw: Any, invoices: Any, *, now: Callable[[], datetime], batch_size: int = 10) -> None:
        self.cw = cw
        self.invoices = invoices
        self.now = now
        self._batch_size = batch_size
        self.balances: dict[str, Decimal] = {}

    @property
    def batch_size(self) -> int:
        """Writes per call of :meth:`write` (one request each)."""
        return self._batch_size

    @property
    def api_calls(self) -> Mapping[str, int]:
        """The ConnectWise client's own request counter."""
        return {CONNECTWISE: int(self.cw.api_calls.total)}

    def remote(self, invoice_id: str, payment: Any) -> RemoteRecord:
        """A payment as the engine sees it."""
        raw = _raw(payment)
        return RemoteRecord(
            id=f"{invoice_id}:{raw.get('id')}",
            version=_payment_version(raw),
            updated_at=_stamp(raw),
            data=payment,
        )

    def _payments_of(self, invoice_ids: Iterable[str]) -> Steps[list[RemoteRecord]]:
        wanted = sorted(set(invoice_ids), key=_id_order)
        # one read per invoice (ConnectWise serves payments only under their invoice), all at once:
        # concurrently on async clients, in order on sync ones
        listed = yield from every([partial(_list_payments, self.cw, int(i)) for i in wanted])
        out: list[RemoteRecord] = []
        for invoice_id, items in zip(wanted, listed, strict=True):
            out.extend(self.remote(invoice_id, p) for p in items)
        return out

    def _read_balances(self, invoice_ids: Iterable[str]) -> Steps[None]:
        wanted = sorted({i for i in invoice_ids if i.isdigit()}, key=_id_order)
        if not wanted:
            return
        found = yield Call(lambda: self.invoices.fetch(wanted))
        for record in found:
            self.balances[record.id] = _decimal(_raw(record.data).get("balance"))

    def _lookup(self, request: LookupRequest) -> Steps[list[RemoteRecord]]:
        invoice_ids = {i.split(":")[0] for i in request.ids}
        invoice_ids |= {k.split("|")[0] for k in request.keys.get("application", ())}
        invoice_ids = {i for i in invoice_ids if i.isdigit()}
        yield from self._read_balances(invoice_ids)
        return (yield from self._payments_of(invoice_ids))

    def _write(self, ops: Sequence[WriteOp]) -> Steps[list[WriteResult]]:
        results: dict[str, WriteResult] = {}
        creates: list[tuple[WriteOp, int, Any]] = []
        unknown = [str(op.payload[0]) for op in ops if op.action is Action.CREATE and op.payload is not None]
        yield from self._read_balances(i for i in unknown if i not in self.balances)
        for op in ops:
            if op.action is Action.CREATE:
                invoice_id, model = op.payload
                open_ = self.balances.get(str(invoice_id), Decimal(0))
                amount = _decimal(model.amount)
                if amount > open_:
                    results[op.key] = WriteResult(
                        key=op.key,
                        error=MappingError(
                            "Payment.total",
                            f"more than the open balance of ConnectWise invoice {invoice_id} ({open_}): it "
                            "was paid some other way; record the payment by hand or void one of them",
                            value=str(amount),
                        ),
                    )
                    continue
                self.balances[str(invoice_id)] = open_ - amount
                creates.append((op, invoice_id, model))
        started = self.now()  # before the creates: a lost answer's payment was entered after this
        answers = yield Many(
            tuple(partial(_create_payment, self.cw, invoice_id, model) for _, invoice_id, model in creates)
        )
        unsure: list[WriteOp] = []
        for (op, invoice_id, _), answer in zip(creates, answers, strict=True):
            if isinstance(answer, MsplinkError):
                if _ambiguous(answer):
                    unsure.append(op)
                results[op.key] = WriteResult(key=op.key, error=answer)
            else:
                record = self.remote(str(invoice_id), answer)
                results[op.key] = WriteResult(key=op.key, id=record.id, version=record.version)
        if unsure:
            intents = [
                Intent(
                    key=op.key,
                    flow="",
                    action=op.action,
                    source=op.source,
                    values=_values(op),
                    created_at=started,
                )
                for op in unsure
            ]
            landed = yield from self._settle(intents)
            for op, found in zip(unsure, landed, strict=True):
                if found is not None:
                    results[op.key] = WriteResult(key=op.key, id=found.id, version=found.version)
        for _, invoice_id, model in (c for c in creates if results[c[0].key].error is not None):
            # a create that did not land gives its amount back: a retry must find the balance it had
            self.balances[str(invoice_id)] += _decimal(model.amount)
        # the updates and deletes (one request each) in one step: concurrently on async clients
        changed = [op for op in ops if op.action in (Action.UPDATE, Action.DELETE)]
        answers = (yield Many(tuple(self._change(op) for op in changed))) if changed else ()
        for op, answer in zip(changed, answers, strict=True):
            results[op.key] = self._changed(op, answer)
        return [results[op.key] for op in ops]

    def _change(self, op: WriteOp) -> Callable[[], Any]:
        """The request of an update (``PATCH /finance/invoices/{id}/payments/{id}``, the amount and the
        date) or a delete (``DELETE`` of the same path)."""
        invoice_id, _, payment_id = (op.target_id or "").partition(":")
        if op.action is Action.DELETE:
            return partial(_delete_payment, self.cw, int(invoice_id), int(payment_id))
        _, model = op.payload
        patch = [
            {"op": "replace", "path": "amount", "value": _decimal(model.amount)},
            {"op": "replace", "path": "paymentDate", "value": _wire_day(model.payment_date)},
        ]
        path = f"/finance/invoices/{int(invoice_id)}/payments/{int(payment_id)}"
        return partial(self.cw.request, "PATCH", path, json=patch)

    def _changed(self, op: WriteOp, answer: Any) -> WriteResult:
        """The result of an update or a delete from its answer (a payment deleted already is deleted)."""
        if op.action is Action.DELETE:
            if isinstance(answer, MsplinkError) and not isinstance(answer, NotFoundError):
                return WriteResult(key=op.key, error=answer)
            return WriteResult(key=op.key, id=op.target_id)
        if isinstance(answer, MsplinkError):
            return WriteResult(key=op.key, error=answer)
        record = self.remote((op.target_id or "").partition(":")[0], loads_json(answer.content))
        return WriteResult(key=op.key, id=record.id, version=record.version)

    def _settle(self, intents: Sequence[Intent]) -> Steps[list[RemoteRecord | None]]:
        wanted = [_intended(i) for i in intents]
        found = yield from self._payments_of(k.split("|")[0] for k in wanted if k)
        taken: set[str] = set()
        out: list[RemoteRecord | None] = []
        for intent, key in zip(intents, wanted, strict=True):
            since = intent.created_at - SETTLE_SKEW if intent.created_at is not None else None
            chosen: RemoteRecord | None = None
            for record in sorted(found, key=lambda r: _id_order(r.id.split(":")[1]), reverse=True):
                raw = _raw(record.data)
                entered = _stamp(raw, "dateEntered")
                if record.id in taken or key != _key_of(record):
                    continue
                if since is not None and entered is not None and entered < since:
                    continue
                chosen = record
                break
            if chosen is not None:
                taken.add(chosen.id)
            out.append(chosen)
        return out


STANDING_PAGE: Final = 1000
"""Invoices a page of the standing source reads (ConnectWise's largest page)."""


def _list_payments(cw: Any, invoice_id: int) -> Any:
    """``GET /finance/invoices/{id}/payments``, every page (a list; a coroutine of one on async clients)."""
    return cw.invoices.payments(invoice_id).list().to_list()


def _create_payment(cw: Any, invoice_id: int, model: Any) -> Any:
    return cw.invoices.payments(invoice_id).create(model)


def _invoices_where(cw: Any, where: str, fields: Sequence[str]) -> Any:
    """``GET /finance/invoices?conditions=...&fields=...``, every page (a list; a coroutine of one on
    async clients)."""
    return cw.invoices.list(where=where, fields=fields).to_list()


def _delete_payment(cw: Any, invoice_id: int, payment_id: int) -> Any:
    return cw.invoices.payments(invoice_id).delete(payment_id)


def _key_of(record: RemoteRecord) -> str:
    raw = _raw(record.data)
    return application_key(record.id.split(":")[0], _decimal(raw.get("amount")), _day(raw.get("paymentDate")))


def _values(op: WriteOp) -> dict[str, Any]:
    return {p: encode(v) for p, v in field_values(op.record, system=CONNECTWISE).items()}


def _intended(intent: Intent) -> str:
    """The application key a journalled create meant to write (from its encoded compared values)."""
    allocations = decode(intent.values.get("allocations"))
    day = decode(intent.values.get("payment_date"))
    if not isinstance(allocations, tuple) or len(allocations) != 1:
        return ""
    allocation = allocations[0]
    invoice_id = allocation.target.id_for(CONNECTWISE, "invoice") or ""
    return application_key(invoice_id, allocation.amount.amount, day if isinstance(day, date) else None)


def _wire_day(value: object) -> str | None:
    day = _day(value)
    return f"{day.isoformat()}T00:00:00Z" if day is not None else None


def _id_order(value: str) -> tuple[int, str]:
    return (0, value.rjust(20, "0")) if value.isdigit() else (1, value)


# ---------------------------------------------------------------------------- invoice standing


@attrs.frozen(kw_only=True)
class Standing:
    """How an invoice should show, or shows, in ConnectWise.

    Attributes:
        paid_status: The billing status name for a paid invoice (``None``: not managed).
        partly_paid_status: The name for a partly paid invoice (``None``: not managed).
        open_status: The name an invoice returns to when it is open again (``None``: left as it is).
        overdue_field: The caption of the ConnectWise custom field flagging overdue invoices.
        today: The day overdue is judged on.
    """

    paid_status: str | None
    partly_paid_status: str | None
    open_status: str | None
    overdue_field: str | None
    today: date

    def fields(self) -> tuple[str, ...]:
        """The canonical paths the standing flow syncs."""
        out = ["status"] if self.paid_status or self.partly_paid_status else []
        if self.overdue_field:
            out.append("custom_fields.overdue")
        return tuple(out)

    def current(self, raw: Mapping[str, Any]) -> InvoiceStatus:
        """What the invoice's billing status name says (only the names this recipe writes count)."""
        status = raw.get("status")
        name = status.get("name") if isinstance(status, Mapping) else None
        if name and name == self.paid_status:
            return InvoiceStatus.PAID
        if name and name == self.partly_paid_status:
            return InvoiceStatus.PARTIALLY_PAID
        return InvoiceStatus.OPEN

    def desired(self, raw: Mapping[str, Any]) -> InvoiceStatus:
        """What the balance says (open invoices keep their status unless ``open_status`` is set)."""
        total, balance = _decimal(raw.get("total")), _decimal(raw.get("balance"))
        if total > 0 and balance <= 0 and self.paid_status:
            return InvoiceStatus.PAID
        if 0 < balance < total and self.partly_paid_status:
            return InvoiceStatus.PARTIALLY_PAID
        current = self.current(raw)
        if current is not InvoiceStatus.OPEN and self.open_status is None:
            return current  # nothing to return it to: leave it
        return InvoiceStatus.OPEN if current is not InvoiceStatus.OPEN else current

    def overdue(self, raw: Mapping[str, Any]) -> bool:
        """Whether the invoice is past due with a balance on :attr:`today`."""
        due = _day(raw.get("dueDate"))
        return due is not None and due < self.today and _decimal(raw.get("balance")) > 0

    def flagged(self, raw: Mapping[str, Any]) -> bool:
        """Whether the invoice's overdue custom field is set."""
        for field in raw.get("customFields") or ():
            if isinstance(field, Mapping) and field.get("caption") == self.overdue_field:
                return field.get("value") is True or str(field.get("value")).casefold() in {
                    "true",
                    "yes",
                    "1",
                }
        return False

    def name_for(self, status: InvoiceStatus) -> str | None:
        """The billing status name written for ``status``."""
        return {
            InvoiceStatus.PAID: self.paid_status,
            InvoiceStatus.PARTIALLY_PAID: self.partly_paid_status,
        }.get(status, self.open_status)


def _standing_invoice(raw: Mapping[str, Any], status: InvoiceStatus, overdue: bool, currency: str) -> Invoice:
    return Invoice(
        refs=ExternalRef(CONNECTWISE, "invoice", str(raw.get("id"))),
        customer=Link(),
        currency=currency,
        number=raw.get("invoiceNumber"),
        status=status,
        custom_fields={"overdue": overdue},
    )


def standing_mapper(standing: Standing, *, source: bool) -> RecipeMapper:
    """CW invoice -> its standing: desired (``source``: from the balance and today) or current."""

    def to_canonical(wire: Any, config: Any) -> Invoice:
        raw = _raw(wire)
        currency = config.default_currency if isinstance(config, MappingConfig) else "USD"
        if source:
            return _standing_invoice(raw, standing.desired(raw), standing.overdue(raw), currency)
        return _standing_invoice(raw, standing.current(raw), standing.flagged(raw), currency)

    def from_canonical(invoice: Invoice, config: Any) -> Invoice:
        return invoice

    fields = standing.fields()
    return RecipeMapper(to_canonical=to_canonical, from_canonical=from_canonical, reads=fields, writes=fields)


def _standing_version(raw: Mapping[str, Any], standing: Standing) -> str:
    info = raw.get("_info")
    stamp = info.get("lastUpdated") if isinstance(info, Mapping) else None
    return f"{stamp}#{raw.get('balance')}#{standing.overdue(raw)}"


class StandingSource(Operations):
    """CW invoices whose standing may have changed (``system`` connectwise, ``object`` invoice): those
    changed since the watermark, and every open invoice (one may fall overdue without changing).

    ``GET /finance/invoices?conditions=balance > 0 OR lastUpdated >= [since]``, a forward-only page at
    a time (the first run reads every invoice; the watermark moves once the last page is committed);
    the version carries the balance and the overdue verdict of the day, so an invoice is planned
    again when either moves.
    """

    system = CONNECTWISE
    object = "invoice"
    integration_user: str | None = None
    has_delete_feed = True  # deleted invoices have no standing to keep

    def __init__(self, cw: Any, standing: Standing, fields: Sequence[str]) -> None:
        self.cw = cw
        self.standing = standing
        self.fields = list(fields)

    @property
    def api_calls(self) -> Mapping[str, int]:
        """The ConnectWise client's own request counter."""
        return {CONNECTWISE: int(self.cw.api_calls.total)}

    def _remote(self, invoice: Any) -> RemoteRecord:
        raw = _raw(invoice)
        return RemoteRecord(
            id=str(raw.get("id")),
            version=_standing_version(raw, self.standing),
            updated_at=_stamp(raw),
            data=raw,
        )

    def _read_changes(self, since: datetime | None, page_token: str | None) -> Steps[ChangePage]:
        where: str | None = None  # the first read takes every invoice
        if since is not None:
            moment = since.astimezone(timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
            where = f"balance > 0 OR lastUpdated >= [{moment}]"
        page = yield Page(
            lambda: self.cw.invoices.list(
                where=where, fields=self.fields, page_size=STANDING_PAGE, forward_only=True, cursor=page_token
            )
        )  # a page at a time (by id): the engine moves the watermark once the last one is committed
        items = list(page.items) if page is not None else []
        records = sorted(
            (self._remote(i) for i in items), key=lambda r: (r.updated_at is not None, r.updated_at, r.id)
        )
        return ChangePage(
            records=records, next_token=page.next_cursor if page is not None else None, ordered=False
        )

    def _fetch(self, ids: Sequence[str]) -> Steps[list[RemoteRecord]]:
        numbers = [int(i) for i in ids if i.isdigit()]
        chunks = [
            ",".join(str(n) for n in numbers[start : start + 100]) for start in range(0, len(numbers), 100)
        ]
        # ``GET /finance/invoices?conditions=id in (...)`` per 100 ids, all at once: concurrently on
        # async clients
        listed = yield from every(
            [partial(_invoices_where, self.cw, f"id in ({c})", self.fields) for c in chunks]
        )
        return [self._remote(i) for items in listed for i in items]

    def _list_ids(self) -> Steps[list[str]]:
        items = yield Items(lambda: self.cw.invoices.list(fields=["id"]))
        return [str(_raw(i).get("id")) for i in items]


class StandingTarget(StandingSource):
    """The same CW invoices as the target of their standing (``object`` ``invoice_standing``): look-ups
    by id (the source's own ids, through ``by_external_id("refs.connectwise.invoice")``), updates as
    JSON Patch ``replace`` of ``status`` and the whole ``customFields`` array
    (``PATCH /finance/invoices/{id}``)."""

    object = STANDING_OBJECT
    batch_size = 10
    write_concurrency = 4
    """Batches the async engine sends at once: each PATCH stands alone (up to 4 x 8 requests in
    flight; the client holds them to ConnectWise's 1,000 requests a minute)."""

    def __init__(
        self, cw: Any, standing: Standing, fields: Sequence[str], config: MappingConfig | None
    ) -> None:
        super().__init__(cw, standing, fields)
        self.config = config
        self._raw: OrderedDict[str, Mapping[str, Any]] = OrderedDict()
        """The newest invoices looked up (their ``customFields``, for the patch), at most ``RAW_CACHE``
        (1,000, a page's): memory stays flat; a write whose invoice is no longer held reads it again."""

    def _remote(self, invoice: Any) -> RemoteRecord:
        record = super()._remote(invoice)
        keep_newest(self._raw, record.id, _raw(invoice), RAW_CACHE)
        info = _raw(invoice).get("_info")
        stamp = info.get("lastUpdated") if isinstance(info, Mapping) else None
        return attrs.evolve(record, version=f"{stamp}")

    def _lookup(self, request: LookupRequest) -> Steps[list[RemoteRecord]]:
        ids = set(request.ids)
        for keys in request.keys.values():
            ids.update(keys)
        return (yield from self._fetch(sorted(ids, key=_id_order)))

    def _patch(self, op: WriteOp, invoice: Mapping[str, Any]) -> list[dict[str, Any]]:
        paths = {c.path for c in op.changes}
        record: Invoice = op.payload
        ops: list[dict[str, Any]] = []
        if "status" in paths and record.status is not None:
            name = self.standing.name_for(record.status)
            status_id = self.config.cw_id("billing_statuses", name) if self.config is not None else None
            if status_id is None:
                raise MappingError(
                    "Invoice.status",
                    "no ConnectWise billing status id (connectwise_ids.billing_statuses)",
                    value=name,
                )
            ops.append({"op": "replace", "path": "status", "value": {"id": status_id, "name": name}})
        if "custom_fields.overdue" in paths:
            caption = self.standing.overdue_field
            field_id = self.config.cw_id("custom_fields", caption) if self.config is not None else None
            if field_id is None:
                raise MappingError(
                    "Invoice.custom_fields.overdue",
                    "no ConnectWise custom field id (connectwise_ids.custom_fields)",
                    value=caption,
                )
            current = [dict(f) for f in invoice.get("customFields") or () if isinstance(f, Mapping)]
            flag = bool(record.custom_fields.get("overdue"))
            kept = [f for f in current if f.get("caption") != caption and f.get("id") != field_id]
            kept.append(
                {
                    "id": field_id,
                    "caption": caption,
                    "type": "Checkbox",
                    "entryMethod": "EntryField",
                    "value": flag,
                }
            )
            ops.append(
                {
                    "op": "replace",
                    "path": "customFields",
                    "value": sorted(kept, key=lambda f: int(f.get("id") or 0)),
                }
            )
        return ops

    def _write(self, ops: Sequence[WriteOp]) -> Steps[list[WriteResult]]:
        # the customFields array is replaced whole: what each invoice holds now (read again if it is
        # no longer held)
        ids = [op.target_id for op in ops if op.target_id]
        current = {i: self._raw[i] for i in ids if i in self._raw}
        missing = [i for i in ids if i not in current]
        if missing:
            current.update((r.id, _raw(r.data)) for r in (yield from self._fetch(missing)))
        out: list[WriteResult | None] = []
        sent: list[tuple[int, WriteOp]] = []
        calls: list[Callable[[], Any]] = []
        for op in ops:
            if op.action is not Action.UPDATE:
                out.append(
                    WriteResult(
                        key=op.key,
                        error=MappingError(
                            "Invoice", f"the standing of an invoice is only updated, not {op.action.value}d"
                        ),
                    )
                )
                continue
            try:
                patch = self._patch(op, current.get(op.target_id or "", {}))
            except MappingError as exc:
                out.append(WriteResult(key=op.key, error=exc))
                continue
            path = f"/finance/invoices/{int(op.target_id or 0)}"
            sent.append((len(out), op))
            out.append(None)
            calls.append(partial(self.cw.request, "PATCH", path, json=patch))
        # one PATCH per invoice, all of the batch's at once: concurrently on async clients
        answers = (yield Many(tuple(calls))) if calls else ()
        for (slot, op), answer in zip(sent, answers, strict=True):
            if isinstance(answer, MsplinkError):
                out[slot] = WriteResult(key=op.key, error=answer)
                continue
            record = self._remote(loads_json(answer.content))
            out[slot] = WriteResult(key=op.key, id=record.id, version=record.version)
        return [result for result in out if result is not None]

    def _settle(self, intents: Sequence[Intent]) -> Steps[list[RemoteRecord | None]]:
        if not intents:
            return []
        yield from ()
        return [None for _ in intents]  # only updates are written: no create to settle
