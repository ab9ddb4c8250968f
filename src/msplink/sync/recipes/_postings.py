"""Posting targets of ``time_to_quickbooks``: CW time entries posted into QuickBooks documents that
aggregate many entries (labour-cost journal entries; invoices per customer and period), once each.

A QuickBooks journal entry or invoice holds the time of many CW entries, so the generic adapters
(one source record, one target record) do not fit. A posting target makes each CW time entry one
*posting record* (target id = the CW entry id) whose value is the money posted for it so far:
every document line it writes carries a tag naming the entries it covers and what each contributed,
``[cw-time 12=187.5 15=250]``. The target reads the tagged documents (once per run, then what changed
since: ``MetaData.LastUpdatedTime``), sums each entry's contributions, and so knows, for every entry,
what has been posted. Creates go out grouped (one document per period, or per customer and period);
an entry changed after posting is an UPDATE whose difference is posted as an *adjustment* line in a
new document, never as a second posting and never by rewriting a posted document. A create whose
answer is lost is found again by its tag (and QuickBooks' ``requestid`` answers a resend from its
cache), so nothing is posted twice.
"""

from __future__ import annotations

import abc
import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Final

import attrs

from msplink.errors import MappingError, MsplinkError
from msplink.mappers import MappingConfig, line_amount, quantize_amount
from msplink.models import CONNECTWISE, QUICKBOOKS, ExternalRef, Link, Money, TimeEntry
from msplink.sync import Action, Intent, LookupRequest, RemoteRecord, WriteOp, WriteResult
from msplink.sync.adapters._base import Do, Steps, adrive, drive

__all__ = [
    "DETAIL",
    "POSTED",
    "TAG_RULE_FIELD",
    "PostingLine",
    "Postings",
    "async_posting_target",
    "contributions",
    "posting_target",
    "postings_to_entry",
    "tag",
    "unchanged",
]

POSTED: Final = "posted"
"""The ``custom_fields`` key of the money posted (or to post) for an entry: the compared field."""

DETAIL: Final = "posting"
"""The ``custom_fields`` key of what a create needs to build its line (item, rate, hours, date, label)."""

TAG_RULE_FIELD: Final = "refs.connectwise.time_entry"
"""The match key of a posting: the CW time entry it belongs to (``by_external_id`` on it)."""

_TAG = re.compile(r"\[cw-time ([^\]]*)\]")
_PAIR = re.compile(r"^(\d+)=([-+]?\d+(?:\.\d+)?)$")
_OVERLAP: Final = timedelta(minutes=2)
REFRESH_EVERY: Final = timedelta(minutes=1)


def _number(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def tag(amounts: Mapping[str, Decimal]) -> str:
    """The tag of a line: ``[cw-time 12=187.5 15=250]`` (entries in id order, exact amounts)."""
    pairs = " ".join(f"{k}={_number(v)}" for k, v in sorted(amounts.items(), key=lambda kv: int(kv[0])))
    return f"[cw-time {pairs}]"


def contributions(text: str | None) -> dict[str, Decimal]:
    """What each CW entry contributed to a line, from its description's tag (``{}`` without one)."""
    out: dict[str, Decimal] = {}
    for match in _TAG.finditer(text or ""):
        for pair in match.group(1).split():
            found = _PAIR.match(pair)
            if found is not None:
                entry = found.group(1)
                out[entry] = out.get(entry, Decimal(0)) + Decimal(found.group(2))
    return out


@attrs.frozen(kw_only=True)
class PostingLine:
    """One entry's part of one posted document line.

    Attributes:
        document: ``JournalEntry:12`` / ``Invoice:40``.
        amount: What the line posted for the entry (adjustments may be negative).
        customer: The QBO customer of the line (journal entity, invoice customer).
        item: The QBO item of an invoice line.
    """

    document: str
    amount: Decimal
    customer: str | None = None
    item: str | None = None


@attrs.frozen(kw_only=True)
class Postings:
    """Everything posted for one CW time entry.

    Attributes:
        entry: The CW time entry id.
        lines: Its parts of posted lines, oldest document first.
        version: Changes whenever one of its documents changes.
    """

    entry: str
    lines: tuple[PostingLine, ...]
    version: str

    @property
    def net(self) -> Decimal:
        """The money posted for the entry so far (original posting plus adjustments)."""
        return sum((line.amount for line in self.lines), Decimal(0))

    @property
    def customer(self) -> str | None:
        """The customer of its first posting."""
        return next((line.customer for line in self.lines if line.customer), None)

    @property
    def item(self) -> str | None:
        """The item of its first posting (invoice lines)."""
        return next((line.item for line in self.lines if line.item), None)


def postings_to_entry(postings: Postings, config: MappingConfig | None = None) -> TimeEntry:
    """A posting record as the canonical :class:`~msplink.models.TimeEntry` the flow compares: its CW
    ref, the customer of its first posting, and ``custom_fields.posted`` = the net money posted."""
    currency = config.default_currency if config is not None else "USD"
    customer = Link.to(QUICKBOOKS, "Customer", postings.customer) if postings.customer else None
    return TimeEntry(
        refs=ExternalRef(CONNECTWISE, "time_entry", postings.entry),
        hours=Decimal(0),
        customer=customer,
        custom_fields={POSTED: Money(postings.net, currency)},
    )


def unchanged(record: Any, config: MappingConfig | None = None) -> Any:
    """The target mapper's ``from_canonical``: a posting target builds its documents from the
    canonical records themselves (several entries share one document)."""
    return record


class _Index:
    """Tagged lines of every posting document, by entry; fed document by document."""

    def __init__(self) -> None:
        self.loaded = False
        self.mark: datetime | None = None
        self.refreshed_at: datetime | None = None
        self._docs: dict[str, tuple[str, tuple[tuple[str, PostingLine], ...]]] = {}
        self._entries: dict[str, dict[str, list[PostingLine]]] = defaultdict(dict)

    def put(
        self, document: str, token: str, lines: Iterable[tuple[str, PostingLine]], stamp: datetime | None
    ) -> None:
        old = self._docs.pop(document, None)
        if old is not None:
            for entry, _ in old[1]:
                self._entries[entry].pop(document, None)
        kept = tuple(lines)
        if kept:
            self._docs[document] = (token, kept)
            for entry, line in kept:
                self._entries[entry].setdefault(document, []).append(line)
        if stamp is not None and (self.mark is None or stamp > self.mark):
            self.mark = stamp

    def postings(self, entry: str) -> Postings | None:
        documents = self._entries.get(entry)
        if not documents:
            return None
        ordered = sorted(documents, key=lambda d: (d.split(":")[0], int(d.split(":")[1])))
        lines = tuple(line for d in ordered for line in documents[d])
        stamp = ",".join(f"{d}@{self._docs[d][0]}" for d in ordered)
        version = hashlib.sha256(stamp.encode("utf-8")).hexdigest()[:16]
        return Postings(entry=entry, lines=lines, version=version)


class _Plans(abc.ABC):
    """The plans shared by the journal and invoice posting targets."""

    system = QUICKBOOKS
    entity = ""
    resource = ""

    def __init__(
        self,
        client: Any,
        *,
        config: MappingConfig,
        now: Callable[[], datetime] | None = None,
        batch_size: int = 100,
    ) -> None:
        self.client = client
        self.config = config
        self.now = now or (lambda: datetime.now(timezone.utc))
        self._batch_size = max(1, batch_size)
        self.index = _Index()

    @property
    def object(self) -> str:
        """The posting object (``LabourPosting`` / ``TimePosting``): one record per CW time entry."""
        return f"{self.entity}Posting"

    @property
    def batch_size(self) -> int:
        """Entries per write (their creates share documents)."""
        return self._batch_size

    @property
    def api_calls(self) -> Mapping[str, int]:
        """The QuickBooks client's request counter."""
        return {QUICKBOOKS: int(self.client.api_calls.total)}

    def __repr__(self) -> str:
        return f"{type(self).__name__}(quickbooks:{self.entity})"

    # --- reading the posted documents --------------------------------------------------------

    @abc.abstractmethod
    def _lines(self, document: Any) -> list[tuple[str, PostingLine]]:
        """The tagged parts of a document's lines."""

    def _refresh(self, *, force: bool = False) -> Steps[None]:
        now = self.now()
        index = self.index
        fresh = index.refreshed_at is not None and now - index.refreshed_at < REFRESH_EVERY
        if index.loaded and fresh and not force:
            return
        where = None
        if index.loaded and index.mark is not None:
            since = (index.mark - _OVERLAP).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+00:00")
            where = f"MetaData.LastUpdatedTime >= '{since}'"
        resource = self.resource
        documents = yield Do(lambda c: getattr(c, resource).list(where=where).to_list())
        for document in documents:
            self._index(document)
        index.loaded = True
        index.refreshed_at = now

    def _index(self, document: Any) -> None:
        meta = getattr(document, "meta_data", None)
        stamp = meta.last_updated_time if meta is not None else None
        self.index.put(f"{self.entity}:{document.id}", str(document.sync_token), self._lines(document), stamp)

    def _record(self, entry: str) -> RemoteRecord | None:
        postings = self.index.postings(entry)
        if postings is None:
            return None
        return RemoteRecord(id=entry, version=postings.version, data=postings)

    def _lookup(self, request: LookupRequest) -> Steps[list[RemoteRecord]]:
        yield from self._refresh()
        wanted = [*request.ids, *request.keys.get(f"external_id:{TAG_RULE_FIELD}", ())]
        out = []
        for entry in dict.fromkeys(wanted):
            record = self._record(entry)
            if record is not None:
                out.append(record)
        return out

    def _settle(self, intents: Sequence[Intent]) -> Steps[list[RemoteRecord | None]]:
        if not intents:
            return []
        yield from self._refresh(force=True)
        return [self._record(intent.source.id) for intent in intents]

    # --- writing -----------------------------------------------------------------------------

    @abc.abstractmethod
    def _documents(
        self, ops: Sequence[WriteOp]
    ) -> tuple[list[tuple[dict[str, Any], list[WriteOp]]], dict[str, MsplinkError]]:
        """The documents a batch posts, each with the ops it covers; and the ops refused."""

    def _write(self, ops: Sequence[WriteOp]) -> Steps[list[WriteResult]]:
        yield from self._refresh()
        documents, refused = self._documents(ops)
        results: dict[str, WriteResult] = {k: WriteResult(key=k, error=e) for k, e in refused.items()}
        resource = self.resource
        for body, covered in documents:
            key = hashlib.sha256("|".join(sorted(op.key for op in covered)).encode("utf-8")).hexdigest()[:32]
            try:
                created = yield Do(_creator(resource, body, key))
            except MsplinkError as exc:
                results.update({op.key: WriteResult(key=op.key, error=exc) for op in covered})
                continue
            self._index(created)
            for op in covered:
                record = self._record(op.source.id)
                version = record.version if record is not None else None
                results[op.key] = WriteResult(key=op.key, id=op.source.id, version=version)
        return [
            results.get(op.key) or WriteResult(key=op.key, error=MsplinkError("not posted")) for op in ops
        ]

    # --- shared helpers ----------------------------------------------------------------------

    def _current(self, op: WriteOp) -> Postings | None:
        return self.index.postings(op.source.id)

    @staticmethod
    def _amount(record: Any) -> Decimal:
        value = record.custom_fields.get(POSTED) if record is not None else None
        return value.amount if isinstance(value, Money) else Decimal(0)

    @staticmethod
    def _detail(record: Any) -> Mapping[str, Any]:
        value = record.custom_fields.get(DETAIL) if record is not None else None
        return value if isinstance(value, Mapping) else {}

    @staticmethod
    def _customer(record: Any) -> str | None:
        customer = getattr(record, "customer", None)
        return customer.id_for(QUICKBOOKS, "Customer") if isinstance(customer, Link) else None

    def _delta(self, op: WriteOp) -> Decimal:
        current = self._current(op)
        return self._amount(op.record) - (current.net if current is not None else Decimal(0))


def _creator(resource: str, body: Mapping[str, Any], request_id: str) -> Callable[[Any], Any]:
    """``client.<resource>.create(body, request_id=...)`` (``POST /v3/company/{realm}/<entity>``)."""

    def call(client: Any) -> Any:
        return getattr(client, resource).create(body, request_id=request_id)

    return call


def _month(value: object, fallback: date) -> date:
    day = value if isinstance(value, date) else fallback
    return day.replace(day=1)


def _key8(ops: Sequence[WriteOp]) -> str:
    return hashlib.sha256("|".join(sorted(op.key for op in ops)).encode("utf-8")).hexdigest()[:8].upper()


class _Journal(_Plans):
    """Labour cost: journal entries debiting ``labour_expense_account`` (per customer) and crediting
    ``labour_liability_account``, one per month of work per batch; adjustments dated the run's day."""

    entity = "JournalEntry"
    resource = "journal_entries"

    @property
    def object(self) -> str:
        """``LabourPosting``: one record per CW time entry."""
        return "LabourPosting"

    def _lines(self, document: Any) -> list[tuple[str, PostingLine]]:
        expense = self.config.labour_expense_account
        out = []
        for line in document.line or ():
            detail = line.journal_entry_line_detail
            if detail is None or detail.account_ref is None or detail.account_ref.value != expense:
                continue
            customer = detail.entity.entity_ref.value if detail.entity and detail.entity.entity_ref else None
            for entry, amount in contributions(line.description).items():
                out.append(
                    (
                        entry,
                        PostingLine(document=f"JournalEntry:{document.id}", amount=amount, customer=customer),
                    )
                )
        return out

    def _documents(
        self, ops: Sequence[WriteOp]
    ) -> tuple[list[tuple[dict[str, Any], list[WriteOp]]], dict[str, MsplinkError]]:
        expense, liability = self.config.labour_expense_account, self.config.labour_liability_account
        refused: dict[str, MsplinkError] = {}
        if not expense or not liability:
            error = MappingError(
                "JournalEntry.labour_expense_account",
                "labour_expense_account and labour_liability_account must be configured",
            )
            return [], {op.key: error for op in ops}
        today = self.now().date()
        groups: dict[tuple[str, date], list[tuple[WriteOp, Decimal]]] = defaultdict(list)
        for op in ops:
            if op.action is Action.DELETE:
                refused[op.key] = MappingError(
                    "LabourPosting", "a posted entry is never deleted; it is adjusted"
                )
                continue
            if op.action is Action.CREATE:
                detail = self._detail(op.record)
                groups[("post", _month(detail.get("work_date"), today))].append((op, self._amount(op.record)))
            else:
                groups[("adjust", today)].append((op, self._delta(op)))
        documents = []
        for (kind, period), members in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1])):
            body = self._journal_entry(kind, period, members, today, expense, liability)
            if body is not None:
                documents.append((body, [op for op, _ in members]))
        return documents, refused

    def _journal_entry(
        self,
        kind: str,
        period: date,
        members: Sequence[tuple[WriteOp, Decimal]],
        today: date,
        expense: str,
        liability: str,
    ) -> dict[str, Any] | None:
        per_customer: dict[str | None, dict[str, Decimal]] = defaultdict(dict)
        dates: list[date] = []
        for op, amount in members:
            customer = self._customer(op.record)
            if customer is None and kind == "adjust":
                current = self._current(op)
                customer = current.customer if current is not None else None
            per_customer[customer][op.source.id] = amount
            work_date = self._detail(op.record).get("work_date")
            if isinstance(work_date, date):
                dates.append(work_date)
        lines: list[dict[str, Any]] = []
        net = Decimal(0)
        label = "Labour cost" if kind == "post" else "Labour cost adjustment"
        for customer, amounts in sorted(per_customer.items(), key=lambda kv: kv[0] or ""):
            total = quantize_amount(sum(amounts.values(), Decimal(0)))
            detail: dict[str, Any] = {
                "PostingType": "Debit" if total >= 0 else "Credit",
                "AccountRef": {"value": expense},
            }
            if customer is not None:
                detail["Entity"] = {"Type": "Customer", "EntityRef": {"value": customer}}
            lines.append(
                {
                    "DetailType": "JournalEntryLineDetail",
                    "Amount": abs(total),
                    "Description": f"{label} {tag(amounts)}",
                    "JournalEntryLineDetail": detail,
                }
            )
            net += total
        lines.append(
            {
                "DetailType": "JournalEntryLineDetail",
                "Amount": abs(net),
                "Description": label,
                "JournalEntryLineDetail": {
                    "PostingType": "Credit" if net >= 0 else "Debit",
                    "AccountRef": {"value": liability},
                },
            }
        )
        txn = max(dates) if kind == "post" and dates else today
        prefix = "LC" if kind == "post" else "LCA"
        return {
            "TxnDate": txn.isoformat(),
            "DocNumber": f"{prefix}-{period:%Y%m}-{_key8([op for op, _ in members])}",
            "PrivateNote": f"msplink: ConnectWise time, {label.lower()} for {period:%B %Y}",
            "Line": lines,
        }


class _Invoices(_Plans):
    """Billable time as invoice lines: one QBO invoice per customer and month of work per batch, one
    line per service item and rate; adjustments as lines of a customer's adjustment invoice."""

    entity = "Invoice"
    resource = "invoices"

    @property
    def object(self) -> str:
        """``TimePosting``: one record per CW time entry."""
        return "TimePosting"

    def _lines(self, document: Any) -> list[tuple[str, PostingLine]]:
        customer = document.customer_ref.value if document.customer_ref is not None else None
        out = []
        for line in document.line or ():
            detail = line.sales_item_line_detail
            item = detail.item_ref.value if detail is not None and detail.item_ref is not None else None
            for entry, amount in contributions(line.description).items():
                out.append(
                    (
                        entry,
                        PostingLine(
                            document=f"Invoice:{document.id}", amount=amount, customer=customer, item=item
                        ),
                    )
                )
        return out

    def _documents(
        self, ops: Sequence[WriteOp]
    ) -> tuple[list[tuple[dict[str, Any], list[WriteOp]]], dict[str, MsplinkError]]:
        today = self.now().date()
        refused: dict[str, MsplinkError] = {}
        groups: dict[tuple[str, str, date], list[WriteOp]] = defaultdict(list)
        for op in ops:
            customer = self._customer(op.record)
            if customer is None and op.action is Action.UPDATE:
                current = self._current(op)
                customer = current.customer if current is not None else None
            if op.action is Action.DELETE:
                refused[op.key] = MappingError(
                    "TimePosting", "a posted entry is never deleted; it is adjusted"
                )
            elif customer is None:
                refused[op.key] = MappingError(
                    "TimePosting.CustomerRef", "the entry's company has no QuickBooks customer linked"
                )
            elif op.action is Action.CREATE:
                groups[("post", customer, _month(self._detail(op.record).get("work_date"), today))].append(op)
            else:
                groups[("adjust", customer, today)].append(op)
        documents = []
        for (kind, customer, period), members in sorted(groups.items()):
            lines = self._post_lines(members) if kind == "post" else self._adjust_lines(members)
            total = sum((Decimal(str(line["Amount"])) for line in lines), Decimal(0))
            if total < 0:
                error = MappingError(
                    "TimePosting", "the adjustment lowers what was billed: issue a credit memo in QuickBooks"
                )
                refused.update({op.key: error for op in members})
                continue
            label = "time" if kind == "post" else "time adjustments"
            documents.append(
                (
                    {
                        "CustomerRef": {"value": customer},
                        "TxnDate": today.isoformat(),
                        "DocNumber": f"{'T' if kind == 'post' else 'TA'}-{period:%Y%m}-{_key8(members)}",
                        "PrivateNote": f"msplink: ConnectWise {label} for {period:%B %Y}",
                        "Line": lines,
                    },
                    list(members),
                )
            )
        return documents, refused

    def _post_lines(self, ops: Sequence[WriteOp]) -> list[dict[str, Any]]:
        groups: dict[tuple[str, Decimal, str], dict[str, tuple[Decimal, Decimal, date | None]]] = defaultdict(
            dict
        )
        for op in ops:
            given = self._detail(op.record)
            rate, hours = Decimal(str(given.get("rate", 0))), Decimal(str(given.get("hours", 0)))
            work_date = given.get("work_date")
            key = (str(given.get("item", "")), rate, str(given.get("label", "Time")))
            groups[key][op.source.id] = (
                hours,
                self._amount(op.record),
                work_date if isinstance(work_date, date) else None,
            )
        lines = []
        for (item, rate, label), entries in sorted(groups.items()):
            hours = sum((h for h, _, _ in entries.values()), Decimal(0))
            dates = sorted(d for _, _, d in entries.values() if d is not None)
            detail: dict[str, Any] = {
                "ItemRef": {"value": item},
                "Qty": hours,
                "UnitPrice": rate,
                "TaxCodeRef": {"value": "NON"},
            }
            if dates:
                detail["ServiceDate"] = dates[-1].isoformat()
            lines.append(
                {
                    "DetailType": "SalesItemLineDetail",
                    "Amount": line_amount(hours, rate),
                    "Description": f"{label}: {len(entries)} entries, {_number(hours)} h {tag({e: a for e, (_, a, _) in entries.items()})}",
                    "SalesItemLineDetail": detail,
                }
            )
        return lines

    def _adjust_lines(self, ops: Sequence[WriteOp]) -> list[dict[str, Any]]:
        lines = []
        for op in sorted(ops, key=lambda o: int(o.source.id)):
            current = self._current(op)
            delta = self._delta(op)
            item = (current.item if current is not None else None) or self.config.default_item or ""
            lines.append(
                {
                    "DetailType": "SalesItemLineDetail",
                    "Amount": quantize_amount(delta),
                    "Description": f"Adjustment of ConnectWise time entry {op.source.id} {tag({op.source.id: delta})}",
                    "SalesItemLineDetail": {
                        "ItemRef": {"value": item},
                        "Qty": Decimal(1),
                        "UnitPrice": quantize_amount(delta),
                        "TaxCodeRef": {"value": "NON"},
                    },
                }
            )
        return lines


class _SyncTarget:
    def lookup(self: Any, request: LookupRequest) -> list[RemoteRecord]:
        """Posting records by entry id (``select * from JournalEntry`` / ``Invoice``; see
        :class:`~msplink.sync.Target`)."""
        return drive(self.client, self._lookup(request))

    def write(self: Any, ops: Sequence[WriteOp]) -> list[WriteResult]:
        """Post a batch (``POST /v3/company/{realm}/journalentry`` / ``invoice``, one per document)."""
        return drive(self.client, self._write(ops))

    def settle(self: Any, intents: Sequence[Intent]) -> list[RemoteRecord | None]:
        """Find what journalled creates posted (see :class:`~msplink.sync.Target`)."""
        return drive(self.client, self._settle(intents))


class _AsyncTarget:
    async def lookup(self: Any, request: LookupRequest) -> list[RemoteRecord]:
        """See :meth:`PostingTarget.lookup`."""
        return await adrive(self.client, self._lookup(request))

    async def write(self: Any, ops: Sequence[WriteOp]) -> list[WriteResult]:
        """See :meth:`PostingTarget.write`."""
        return await adrive(self.client, self._write(ops))

    async def settle(self: Any, intents: Sequence[Intent]) -> list[RemoteRecord | None]:
        """See :meth:`PostingTarget.settle`."""
        return await adrive(self.client, self._settle(intents))


def posting_target(
    client: Any, *, mode: str, config: MappingConfig, now: Callable[[], datetime] | None = None
) -> Any:
    """The sync posting target of ``mode`` (``journal`` or ``invoice_lines``) over a ``QuickBooksClient``."""
    cls = {"journal": _SyncJournal, "invoice_lines": _SyncInvoices}[mode]
    return cls(client, config=config, now=now)


def async_posting_target(
    client: Any, *, mode: str, config: MappingConfig, now: Callable[[], datetime] | None = None
) -> Any:
    """The async twin of :func:`posting_target` (over an ``AsyncQuickBooksClient``)."""
    cls = {"journal": _AsyncJournal, "invoice_lines": _AsyncInvoices}[mode]
    return cls(client, config=config, now=now)


class _SyncJournal(_SyncTarget, _Journal):
    """Labour-cost journal entries (sync)."""


class _AsyncJournal(_AsyncTarget, _Journal):
    """Labour-cost journal entries (async)."""


class _SyncInvoices(_SyncTarget, _Invoices):
    """Time invoices per customer and month (sync)."""


class _AsyncInvoices(_AsyncTarget, _Invoices):
    """Time invoices per customer and month (async)."""
