"""QuickBooks Online as a sync source and target (any entity with a mapper: Customer, Invoice ...).

Reading (SYNC.md §5): change data capture (``GET /cdc``) when the watermark is within the CDC
window (30 days; deletions come from it as tombstones), otherwise queries on
``MetaData.LastUpdatedTime >= since`` (with ``Active IN (true, false)`` for name lists, whose inactive
records a plain query hides) ordered by ``MetaData.LastUpdatedTime, Id`` and paged by keyset: each
page starts at the newest change time of the one before (``STARTPOSITION`` only skips the records
already read at exactly that second), so records that change during the read never shift a page.
The version of a record is its ``SyncToken``.

Writing: ``POST /batch`` of 30 operations; each operation's ``requestid`` is the intent's idempotency
key (derived from tenant, flow, source record and versions), and the client derives each chunk's
``requestid`` from them, so a batch resent after a lost answer (by the client's retries, or by a rerun
after a crash) is answered from Intuit's replay cache instead of being applied twice. Updates are
sparse (``"sparse": true``) with only the wire fields the change touches (``None`` clears text); a
change that clears anything else is a full update of the current record. A ``SyncToken`` gone stale
is a ``ConflictError`` and the engine plans the record again. Items whose outcome is unknown after the
client's resends (``BatchItemResult.applied is None``) are looked up: a create by its name among the
entities created since the batch started (``DisplayName`` is unique in QuickBooks).

Look-ups: one ``/batch`` call per page, of ``Id IN (...)`` queries (linked records and candidates);
e-mails, normalised names and domains come from a :class:`~msplink.sync.adapters._base.KeyIndex` of
the entity (the query language has no ``OR`` and no normalisation, and a name search cannot be pushed
down), read once and refreshed from ``MetaData.LastUpdatedTime`` at most every five minutes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any, Final

from msplink.errors import ConfigurationError, MsplinkError, TransportError
from msplink.quickbooks import BatchOperation
from msplink.quickbooks import query as qq
from msplink.sync._identity import MatchRule
from msplink.sync._model import Action
from msplink.sync._protocols import ChangePage, Intent, LookupRequest, RemoteRecord, WriteOp, WriteResult
from msplink.sync.adapters._base import (
    DEFAULT_INDEX_RULES,
    REFRESH_EVERY,
    SETTLE_SKEW,
    AdapterBase,
    AsyncMethods,
    Do,
    FirstPage,
    Steps,
    SyncMethods,
    chunks,
    index_due,
    index_read,
    index_since,
)
from msplink.sync.adapters._disk import HeldRecords
from msplink.sync.adapters._shared import intent_of, pair_creates, sorted_records, top_level_diff

__all__ = [
    "CDC_WINDOW",
    "DEFAULT_INDEX_RULES",
    "NAME_LISTS",
    "PAGE_SIZE",
    "REFRESH_EVERY",
    "RESOURCES",
    "SETTLE_SKEW",
    "AsyncQuickBooksAdapter",
    "QuickBooksAdapter",
    "Steps",
    "changed_since",
    "with_ids",
]

RESOURCES: Final[Mapping[str, str]] = {
    "Customer": "customers",
    "Vendor": "vendors",
    "Employee": "employees",
    "Item": "items",
    "Account": "accounts",
    "Invoice": "invoices",
    "Payment": "payments",
    "TimeActivity": "time_activities",
    "Bill": "bills",
    "PurchaseOrder": "purchase_orders",
    "JournalEntry": "journal_entries",
    "Estimate": "estimates",
    "Term": "terms",
    "RecurringTransaction": "recurring_transactions",
}
"""Entity -> the client's resource attribute."""

NAME_LISTS: Final = frozenset(
    {"Customer", "Vendor", "Employee", "Item", "Account", "Term", "Class", "Department"}
)
"""Entities with ``Active`` (never deleted, only made inactive; queries hide inactive ones)."""

PAGE_SIZE: Final = 1000
CDC_WINDOW: Final = timedelta(days=29)
"""Use CDC when the watermark is newer than this (Intuit's window is 30 days; a day of margin)."""
_STAMP: Final = "MetaData.LastUpdatedTime"


def _stamp(entity: Any) -> datetime | None:
    meta = getattr(entity, "meta_data", None)
    value = meta.last_updated_time if meta is not None else None
    return value.astimezone(timezone.utc) if value is not None else None


def _created(entity: Any) -> datetime | None:
    meta = getattr(entity, "meta_data", None)
    value = meta.create_time if meta is not None else None
    return value.astimezone(timezone.utc) if value is not None else None


class _QuickBooks(AdapterBase):
    """The plans of the QuickBooks adapter (one QuickBooks entity)."""

    system = "quickbooks"
    has_delete_feed = True
    write_concurrency = 10
    """``/batch`` calls the async engine keeps in flight (QuickBooks allows 10 concurrent requests per
    realm and app, REFERENCE §11; the client's limiter holds them to it): each batch stands alone."""

    def __init__(
        self,
        client: Any,
        mapper: Any,
        *,
        config: Any = None,
        resource: str | None = None,
        integration_user: str | None = None,
        now: Callable[[], datetime] | None = None,
        index_rules: Sequence[MatchRule] = DEFAULT_INDEX_RULES,
        name_field: str = "name",
        batch_size: int = 30,
        page_size: int = PAGE_SIZE,
    ) -> None:
        super().__init__(
            client, mapper, config=config, integration_user=integration_user, now=now, index_rules=index_rules
        )
        self.entity: str = mapper.object
        name = resource or RESOURCES.get(self.entity)
        if name is None:
            raise ConfigurationError(f"no QuickBooks resource known for {self.entity!r}: pass resource=")
        self.resource = name
        self.name_field = name_field
        self._batch_size = max(1, min(batch_size, 30))
        if not 1 <= page_size <= PAGE_SIZE:
            raise ConfigurationError(f"page_size must be 1..{PAGE_SIZE}")
        self.page_size = page_size
        self._refreshed_at: datetime | None = None
        self.held = HeldRecords()
        """The newest entity of every record this target's index reads, look-ups and writes returned,
        on disk: a look-up of one is answered from it, not by an ``Id IN`` query (issue 18). It is as
        fresh as the index: each refresh (:data:`REFRESH_EVERY`) reads what changed and replaces it; a
        write that fails drops its record (a stale ``SyncToken``: the replanned update reads it again)."""

    @property
    def batch_size(self) -> int:
        """Writes per :meth:`write` call (one ``/batch`` request of up to 30)."""
        return self._batch_size

    def _res(self, client: Any) -> Any:
        return getattr(client, self.resource)

    def _scope(self, *conditions: Any) -> list[Any]:
        out = list(conditions)
        if self.entity in NAME_LISTS:
            out.append(qq.field("Active").in_([True, False]))
        return out

    def remote(self, entity: Any) -> RemoteRecord:
        """A wire entity as the engine sees it."""
        return RemoteRecord(
            id=str(entity.id), version=entity.sync_token, updated_at=_stamp(entity), data=entity
        )

    def _query(
        self, conditions: Sequence[Any], cursor: str | None, order: Sequence[str] = ("Id",)
    ) -> Steps[Any]:
        where = _joined(conditions)
        size = self.page_size
        return (
            yield FirstPage(
                lambda c: self._res(c).list(where=where, order_by=list(order), page_size=size, cursor=cursor)
            )
        )

    def _walk(self, conditions: Sequence[Any], visit: Callable[[Sequence[Any]], None]) -> Steps[None]:
        """Every matching entity, page by page (only one page held at a time)."""
        cursor: str | None = None
        while True:
            page = yield from self._query(conditions, cursor)
            if page is None:
                return
            visit(page.items)
            cursor = page.next_cursor
            if cursor is None:
                return

    def _all(self, conditions: Sequence[Any]) -> Steps[list[Any]]:
        out: list[Any] = []
        yield from self._walk(conditions, out.extend)
        return out

    # --- source ----------------------------------------------------------------------------

    def _read_changes(self, since: datetime | None, page_token: str | None) -> Steps[ChangePage]:
        if page_token is None and since is not None and self.now() - since < CDC_WINDOW:
            try:
                result = yield Do(lambda c: c.cdc([self.entity], changed_since=since))
            except ConfigurationError:
                result = None  # the client's clock says the window is over: read by query
            if result is not None:
                records = [self.remote(e) for e in result.changed.get(self.entity, ())]
                records += [_tombstone(t) for t in result.deleted.get(self.entity, ())]
                return ChangePage(records=sorted_records(records))
        start, skip = since, 0
        if page_token:
            stamp, _, count = page_token.partition("|")
            start, skip = datetime.fromisoformat(stamp), int(count)
        conditions = self._scope(*([changed_since(start)] if start is not None else []))
        page = yield from self._query(conditions, str(1 + skip), (_STAMP, "Id"))
        items = list(page.items) if page is not None else []
        records = [self.remote(e) for e in items]
        token = None
        if page is not None and page.next_cursor is not None and records:
            newest = max(r.updated_at for r in records if r.updated_at is not None)
            at_newest = sum(1 for r in records if r.updated_at == newest)
            carried = skip if start is not None and newest == start else 0
            token = f"{newest.isoformat()}|{carried + at_newest}"
        return ChangePage(records=records, next_token=token)

    def _fetch(self, ids: Sequence[str]) -> Steps[list[RemoteRecord]]:
        found = yield from self._by_ids(list(dict.fromkeys(ids)))
        return [self.remote(e) for e in found]

    def _list_ids(self) -> Steps[list[str]]:
        ids: list[str] = []
        yield from self._walk(self._scope(), lambda items: ids.extend(str(e.id) for e in items))
        return ids

    # --- target: look-ups ------------------------------------------------------------------

    def _by_ids(self, ids: Sequence[str]) -> Steps[list[Any]]:
        """One ``/batch`` call of ``Id IN (...)`` queries (1,000 ids each, 30 queries per call)."""
        operations = [
            BatchOperation.query(_select(self.entity, self._scope(with_ids(chunk))))
            for chunk in chunks(list(ids), PAGE_SIZE)
        ]
        if not operations:
            return []
        results = yield Do(lambda c: c.batch(operations))
        found: dict[str, Any] = {}
        for result in results:
            if result.error is not None:
                raise result.error
            for entity in result.items or ():
                found[str(entity.id)] = entity
        return list(found.values())

    def _refresh(
        self, wanted: Mapping[str, Sequence[str]], found: dict[str, Any], ids: frozenset[str] = frozenset()
    ) -> Steps[None]:
        """Load the key index (or its changes since the last load); the entities matching ``wanted``,
        and those of ``ids`` the read returns, go to ``found`` (read now: no ``Id IN`` query for
        them afterwards, issue 18)."""
        now = self.now()
        if not index_due(self.index, self._refreshed_at, now):
            return
        since = index_since(self.index)
        conditions = self._scope(*([changed_since(since)] if since is not None else []))

        def visit(items: Sequence[Any]) -> None:
            self.held.put(items)
            for entity in items:
                canonical = self._index(entity)
                if str(entity.id) in ids or (
                    canonical is not None and self.matches(canonical, str(entity.id), wanted)
                ):
                    found[str(entity.id)] = entity

        yield from self._walk(conditions, visit)
        index_read(self.index, now)
        self._refreshed_at = now

    def _index(self, entity: Any) -> Any:
        if self.index.written(str(entity.id)):  # msplink's own: linked, never a candidate
            self.index.put(str(entity.id), (), _stamp(entity))
            return None
        canonical = self.canonical(entity)
        if canonical is not None:
            self.index.put(str(entity.id), self.keys_of(canonical, str(entity.id)), _stamp(entity))
        return canonical

    def _lookup(self, request: LookupRequest) -> Steps[list[RemoteRecord]]:
        wanted = self.wants_index(request)
        found: dict[str, Any] = {}
        if wanted:
            yield from self._refresh(wanted, found, frozenset(request.ids))
            for kind, keys in wanted.items():
                for record_id in self.index.find(kind, keys):
                    found.setdefault(record_id, None)
        for record_id in request.ids:
            found.setdefault(record_id, None)
        missing = [i for i, e in found.items() if e is None]
        found.update(self.held.get(missing))
        fetched = yield from self._by_ids([i for i in missing if found[i] is None])
        self.held.put(fetched)
        for entity in fetched:
            found[str(entity.id)] = entity
        return self.looked_up(found)

    # --- target: writes --------------------------------------------------------------------

    def _write(self, ops: Sequence[WriteOp]) -> Steps[list[WriteResult]]:
        started = self.now()
        missing = [op.target_id for op in ops if op.action is Action.UPDATE and op.target_id]
        missing = [i for i in missing if self.remembered(i) is None]
        for record_id, entity in self.held.get(missing).items():
            self.remember(record_id, entity)
        missing = [i for i in missing if self.remembered(i) is None]
        if missing:
            for entity in (yield from self._by_ids(missing)):
                self.remember(str(entity.id), entity)
        operations: list[BatchOperation] = []
        results: list[WriteResult | None] = []
        sent: list[int] = []
        for n, op in enumerate(ops):
            try:
                operation = self._operation(op)
            except MsplinkError as exc:
                results.append(WriteResult(key=op.key, error=exc))
                continue
            if operation is None:  # nothing on the wire changes
                current = self.remembered(op.target_id or "")
                results.append(
                    WriteResult(
                        key=op.key, id=op.target_id, version=getattr(current, "sync_token", op.version)
                    )
                )
                continue
            results.append(None)
            operations.append(operation)
            sent.append(n)
        answers = (yield Do(lambda c: c.batch(operations))) if operations else []
        unsure: list[int] = []
        # what QuickBooks answered is held; a refused record (stale, gone or unknown) is asked for again
        self.held.put([a.entity for a in answers if a.error is None and a.entity is not None])
        refused = zip(sent, answers, strict=True)
        self.held.drop(
            [str(ops[n].target_id) for n, a in refused if a.error is not None and ops[n].target_id]
        )
        for n, answer in zip(sent, answers, strict=True):
            op = ops[n]
            if answer.error is None:
                results[n] = self._written(op, answer.entity)
            elif answer.applied is None and op.action is Action.CREATE:
                unsure.append(n)
                results[n] = WriteResult(key=op.key, error=answer.error)
            elif answer.applied is None and not isinstance(answer.error, TransportError):
                error = TransportError(
                    f"the outcome of this write is unknown ({answer.error})", platform="quickbooks"
                )
                results[n] = WriteResult(key=op.key, error=error)
            else:
                results[n] = WriteResult(key=op.key, error=answer.error)
        if unsure:
            intents = [intent_of(ops[n], started) for n in unsure]
            landed = yield from self._settle(intents)
            for n, record in zip(unsure, landed, strict=True):
                if record is not None:
                    results[n] = WriteResult(key=ops[n].key, id=record.id, version=record.version)
        return [
            r if r is not None else WriteResult(key=o.key, error=TransportError("no answer"))
            for r, o in zip(results, ops, strict=True)
        ]

    def _operation(self, op: WriteOp) -> BatchOperation | None:
        if op.action is Action.CREATE:
            return BatchOperation.create(op.payload, request_id=op.key)
        current = self.remembered(op.target_id or "")
        token = op.version or getattr(current, "sync_token", None) or "0"
        if op.action is Action.DELETE:
            if self.entity in NAME_LISTS:
                body = {"Id": op.target_id, "SyncToken": token, "sparse": True, "Active": False}
                return BatchOperation(
                    operation="update", entity_name=self.entity, body=body, request_id=op.key
                )
            return BatchOperation.delete(self.entity, str(op.target_id), sync_token=token, request_id=op.key)
        after = op.payload.to_api()
        before: dict[str, Any] = {}
        if current is not None:
            canonical = self.canonical(current)
            if canonical is not None:
                before = self.mapper.from_canonical(canonical, self.config).to_api()
        names = top_level_diff(before, after, set(self.mapper.writes) - {"Id", "SyncToken"})
        if not names:
            return None
        cleared = [k for k in names if k not in after and not isinstance(before.get(k), str)]
        if cleared and current is not None:
            body = dict(current.to_api_full())
            for key in names:
                if key in after:
                    body[key] = after[key]
                else:
                    body.pop(key, None)
            body.update({"Id": op.target_id, "SyncToken": token, "sparse": False})
            body.pop("MetaData", None)
            return BatchOperation(operation="update", entity_name=self.entity, body=body, request_id=op.key)
        body = {"Id": op.target_id, "SyncToken": token, "sparse": True}
        body.update({k: after.get(k) for k in names})
        return BatchOperation(operation="update", entity_name=self.entity, body=body, request_id=op.key)

    def _written(self, op: WriteOp, entity: Any) -> WriteResult:
        if op.action is Action.DELETE and self.entity not in NAME_LISTS:
            self.index.drop(op.target_id or "")
            self.held.drop([op.target_id or ""])
            return WriteResult(key=op.key, id=op.target_id)
        record_id = str(entity.id)
        if op.action is not Action.CREATE:
            # an update's answer replaces what its look-up kept; a create's is not kept in memory
            # (the cache would grow with every record made: flat memory), only in :attr:`held`
            self.remember(record_id, entity)
        self.index.forget(record_id)  # linked from now on: never a match candidate
        return WriteResult(key=op.key, id=record_id, version=entity.sync_token)

    # --- target: settling creates ----------------------------------------------------------

    def _settle(self, intents: Sequence[Intent]) -> Steps[list[RemoteRecord | None]]:
        if not intents:
            return []
        times = [i.created_at for i in intents if i.created_at is not None]
        since = min(times) - SETTLE_SKEW if times else None
        conditions = self._scope(*([qq.field("MetaData.CreateTime") >= since] if since is not None else []))
        entities = yield from self._all(conditions)
        candidates = [(str(e.id), self.name_of(e, self.name_field), _created(e), e) for e in entities]
        out: list[RemoteRecord | None] = []
        for entity in pair_creates(intents, candidates, self.name_field):
            if entity is None:
                out.append(None)
                continue
            self.remember(str(entity.id), entity)
            self.held.put([entity])
            self.index.forget(str(entity.id))
            out.append(self.remote(entity))
        return out


def _joined(conditions: Sequence[Any]) -> Any:
    if not conditions:
        return None
    result = conditions[0]
    for condition in conditions[1:]:
        result = result & condition
    return result


def _select(entity: str, conditions: Sequence[Any]) -> qq.Select:
    return qq.select(entity).where(*conditions).page(1, PAGE_SIZE)


def _tombstone(deleted: Any) -> RemoteRecord:
    stamp = _stamp(deleted)
    version = f"deleted@{stamp.isoformat()}" if stamp is not None else "deleted"
    return RemoteRecord(id=str(deleted.id), version=version, updated_at=stamp, deleted=True)


class QuickBooksAdapter(_QuickBooks, SyncMethods):
    """One QuickBooks entity as a sync :class:`~msplink.sync.Source` and :class:`~msplink.sync.Target`,
    over a :class:`~msplink.quickbooks.QuickBooksClient`.

    Args:
        client: The QuickBooks client.
        mapper: The entity's mapper row: ``find_mapper("quickbooks", "Customer", Customer)``.
        config: The ``MappingConfig``.
        resource: The client's resource attribute (default from the entity: ``customers``).
        integration_user: Unused by QuickBooks (it does not report who changed a record).
        now: The clock choosing CDC or queries (default: the system clock, UTC).
        index_rules: The match keys the target index serves.
        name_field: The canonical field holding the record's name (settling creates).
        batch_size: Writes per ``/batch`` call (at most 30).
        page_size: Records per read request (``MAXRESULTS``, default and maximum 1,000).
    """


class AsyncQuickBooksAdapter(_QuickBooks, AsyncMethods):
    """The async twin of :class:`QuickBooksAdapter` (over an ``AsyncQuickBooksClient``)."""


def changed_since(since: datetime) -> Any:
    """The query condition ``MetaData.LastUpdatedTime >= since`` (for a target of another entity,
    such as the agreements recipe's recurring templates).

    Raises:
        QueryError: ``since`` is a naive datetime.
    """
    return qq.field(_STAMP) >= since


def with_ids(ids: Sequence[str]) -> Any:
    """The query condition ``Id IN (...)`` (1,000 ids at most, a query page's size).

    Raises:
        QueryError: No ids, or one that cannot be quoted safely.
    """
    return qq.field("Id").in_(list(ids))
