"""ConnectWise Manage as a sync source and target (any collection with a mapper: companies ...).

Reading (SYNC.md §5): ``conditions=lastUpdated >= [since] AND lastUpdated <= [until]`` with
forward-only paging (``pagination-type: forward-only``, ``pageSize=1000``) and ``fields=`` limited to
what the mapper reads (``Mapper.reads_for(config)``), as ConnectWise's own incremental recipe says
(REFERENCE §8: a window closed at the read's start, so records changed while it runs wait for the
next read). Forward-only pages come in id order, so a read says ``ordered=False`` and the flow's
watermark moves when the whole window is committed. The version of a record is its
``_info.lastUpdated`` (second resolution) plus a hash of the projected values: two reads with the
same version hold the same values. ``_info.updatedBy`` names who changed it last (the API member
msplink writes as is the integration user). ConnectWise has no delete feed: deletes come from
:meth:`list_ids` (``fields=id``) after a complete read.

Writing: one call per record (``POST`` a create, ``PATCH`` the JSON Patch ``replace`` operations of
only the fields that change, ``DELETE``); the async twin sends a batch's calls concurrently.
ConnectWise has no idempotency key, so creates are found again by looking: a create whose answer was
lost is settled at once by reading what changed since the batch started (a record of the intended
name entered since then is the create), and journalled creates of a crashed run the same way.

Look-ups: ids by ``id in (...)`` (sized to the URL limit), a dense run of them by one page of an id
range (:func:`id_reads`); e-mails, normalised names and domains from
a :class:`~msplink.sync.adapters._base.KeyIndex` of the target (normalised names cannot be searched
with ``conditions``), read once (``fields=`` the mapper's reads) and refreshed from ``lastUpdated``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any, Final
from urllib.parse import quote

import attrs

from msplink.connectwise import conditions as cwc
from msplink.connectwise import models as cw
from msplink.errors import ConfigurationError, MsplinkError, NotFoundError, SyncError
from msplink.sync._identity import MatchRule
from msplink.sync._model import Action
from msplink.sync._protocols import ChangePage, Intent, LookupRequest, RemoteRecord, WriteOp, WriteResult
from msplink.sync.adapters._base import (
    DEFAULT_INDEX_RULES,
    REFRESH_EVERY,
    SETTLE_SKEW,
    AdapterBase,
    AsyncMethods,
    Each,
    FirstPage,
    Steps,
    SyncMethods,
    content_hash,
    index_due,
    index_read,
    index_since,
)
from msplink.sync.adapters._shared import (
    ambiguous,
    budget_chunks,
    intent_of,
    pair_creates,
    sorted_records,
    top_level_diff,
)

__all__ = [
    "DEFAULT_INDEX_RULES",
    "IDS_PER_REQUEST",
    "PAGE_SIZE",
    "REFRESH_EVERY",
    "RESOURCES",
    "SAFE_URL",
    "SETTLE_SKEW",
    "URL_BUDGET",
    "AsyncConnectWiseAdapter",
    "ConnectWiseAdapter",
    "Steps",
    "id_reads",
]

RESOURCES: Final[Mapping[str, str]] = {
    "company": "companies",
    "contact": "contacts",
    "agreement": "agreements",
    "invoice": "invoices",
    "time_entry": "time_entries",
    "ticket": "tickets",
    "opportunity": "opportunities",
    "purchase_order": "purchase_orders",
    "catalog_item": "catalog_items",
}
"""Mapper object -> the client's resource attribute."""

PAGE_SIZE: Final = 1000
URL_BUDGET: Final = 1200
"""Characters of ``conditions`` per request at most (ConnectWise advises URLs under ~2,000)."""
SAFE_URL: Final = 1745
"""Characters of a request URL after the host that ConnectWise answers safely (REFERENCE §5.2)."""
_URL_FIXED: Final = 150
"""The path, ``pageSize``, ``conditions=`` and paging parameters of a look-up, with room to spare."""
IDS_PER_REQUEST: Final = 100
"""At most this many ids in one ``id in (...)`` (practitioners report ~100 as safe)."""


def id_reads(ids: Iterable[int], width: int, dense: int) -> tuple[list[tuple[int, int]], list[int]]:
    """Ids to read split into ranges read a page at a time and the rest, read by ``id in (...)``.

    A range spans at most ``width`` ids (one page of ``pageSize=width`` holds all of it) and holds
    more than ``dense`` of the ids asked for (as many as one ``id in (...)`` request carries), so it
    costs one call where its ids would cost two or more. Sorted, each id once, in exactly one part.
    """
    ordered = sorted(set(ids))
    ranges: list[tuple[int, int]] = []
    rest: list[int] = []
    start = 0
    while start < len(ordered):
        end = bisect_right(ordered, ordered[start] + width - 1, lo=start)
        if end - start > dense:
            ranges.append((ordered[start], ordered[end - 1]))
            start = end
        else:
            rest.append(ordered[start])
            start += 1
    return ranges, rest


def _tree(paths: Iterable[str]) -> dict[str, Any]:
    """``fields=`` paths as a tree: ``["id", "status/name"]`` -> ``{"id": None, "status": {"name": None}}``."""
    root: dict[str, Any] = {}
    for path in paths:
        node = root
        *heads, last = path.split("/")
        for head in heads:
            child = node.get(head, _MISSING)
            if child is None:  # the whole value is asked already
                break
            node = node.setdefault(head, {})
        else:
            node[last] = None
    return root


_MISSING: Final = object()


def _pick(data: Mapping[str, Any], tree: Mapping[str, Any]) -> dict[str, Any]:
    """The values of ``data`` a ``fields=`` projection of ``tree`` answers (the same from a full record).

    A version hashes this, so a record read projected and the full record a write answers hold the
    same version when their projected values agree.
    """
    out: dict[str, Any] = {}
    for key, sub in tree.items():
        if key not in data:
            continue
        value = data[key]
        if sub is None:
            out[key] = value
        elif isinstance(value, Mapping):
            out[key] = _pick(value, sub)
    return out


def _floor(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc).replace(microsecond=0)


class _ConnectWise(AdapterBase):
    """The plans of the ConnectWise adapter (one ConnectWise collection)."""

    system = "connectwise"
    has_delete_feed = False

    def __init__(
        self,
        client: Any,
        mapper: Any,
        *,
        config: Any = None,
        resource: str | None = None,
        integration_user: str | None = None,
        now: Callable[[], datetime] | None = None,
        page_size: int = PAGE_SIZE,
        batch_size: int = 10,
        index_rules: Sequence[MatchRule] = DEFAULT_INDEX_RULES,
        name_field: str = "name",
    ) -> None:
        super().__init__(
            client, mapper, config=config, integration_user=integration_user, now=now, index_rules=index_rules
        )
        name = resource or RESOURCES.get(mapper.object)
        if name is None:
            raise ConfigurationError(f"no ConnectWise resource known for {mapper.object!r}: pass resource=")
        if not 1 <= page_size <= PAGE_SIZE:
            raise ConfigurationError(f"page_size must be 1..{PAGE_SIZE}")
        self.resource = name
        self.page_size = page_size
        self._batch_size = max(1, batch_size)
        self.name_field = name_field
        reads = tuple(dict.fromkeys(["id", *mapper.reads_for(config), "_info"]))
        model = getattr(getattr(client, name, None), "model", None)
        projected = isinstance(model, type) and issubclass(model, cw.Model)
        self.fields: tuple[str, ...] = model.projection(reads) if projected and model is not None else reads
        self._whole_info = tuple(dict.fromkeys("_info" if f.startswith("_info/") else f for f in self.fields))
        self._hashed = _tree(f for f in self.fields if f != "_info" and not f.startswith("_info/"))
        self._refreshed_at: datetime | None = None

    def _condition_budget(self) -> int:
        """Characters of ``conditions`` a look-up may use beside its encoded ``fields=`` (REFERENCE §5.2)."""
        fields = len(quote(",".join(self.fields), safe="/"))
        return max(200, min(URL_BUDGET, SAFE_URL - _URL_FIXED - fields))

    @property
    def batch_size(self) -> int:
        """Writes per :meth:`write` call (one API call each)."""
        return self._batch_size

    # --- records ---------------------------------------------------------------------------

    def _res(self, client: Any) -> Any:
        return getattr(client, self.resource)

    def version_of(self, model: Any) -> str | None:
        """``_info.lastUpdated`` plus a hash of the projected values."""
        info = model.raw.get("_info") or {}
        stamp = info.get("lastUpdated") if isinstance(info, Mapping) else None
        if stamp is None:
            return None
        return f"{stamp}#{content_hash(_pick(model.raw, self._hashed))}"

    def remote(self, model: Any) -> RemoteRecord:
        """A wire model as the engine sees it."""
        updated = model.last_updated
        return RemoteRecord(
            id=str(model.id),
            version=self.version_of(model),
            updated_at=updated.astimezone(timezone.utc) if updated is not None else None,
            data=model,
            modified_by=model.updated_by,
        )

    def _page(self, where: Any, cursor: str | None, fields: Sequence[str] | None = None) -> Steps[Any]:
        """One forward-only page, projected to ``fields`` (default: :attr:`fields`).

        The default projection asks for ``_info/lastUpdated`` rather than the whole ``_info`` block
        (a dozen ``_href`` links per record). Should a page come back without the stamp on a record,
        the adapter reads ``_info`` whole from then on, starting with this page again: a version is
        never lost to a projection the server does not answer.
        """
        size = self.page_size
        names = list(fields or self.fields)
        page = yield FirstPage(
            lambda c: self._res(c).list(
                where=where, fields=names, page_size=size, forward_only=True, cursor=cursor
            )
        )
        unstamped = page is not None and any(m.last_updated is None for m in page.items)
        if fields is None and unstamped and self.fields != self._whole_info:
            self.fields = self._whole_info
            page = yield from self._page(where, cursor)
        return page

    def _all(self, where: Any, fields: Sequence[str] | None = None) -> Steps[list[Any]]:
        out: list[Any] = []
        cursor: str | None = None
        while True:
            page = yield from self._page(where, cursor, fields)
            if page is None:
                return out
            out.extend(page.items)
            cursor = page.next_cursor
            if cursor is None:
                return out

    def _by_ids(self, ids: Sequence[str]) -> Steps[list[Any]]:
        """The records of ``ids`` (those that exist): a dense run of them a page at a time
        (``id >= lo AND id <= hi``, one page wide, the records between not asked for left out), the
        rest by ``id in (...)`` sized to the URL budget."""
        out: list[Any] = []
        numbers = [int(i) for i in ids if i.isdigit()]
        budget = self._condition_budget()
        most = len(str(max(numbers, default=0))) + 4
        ranges, rest = id_reads(numbers, self.page_size, max(1, min(IDS_PER_REQUEST, budget // most)))
        asked = set(numbers)
        for low, high in ranges:
            found = yield from self._all((cwc.F("id") >= low) & (cwc.F("id") <= high))
            out.extend(m for m in found if m.id in asked)
        for chunk in budget_chunks(rest, lambda n: len(str(n)) + 4, budget, IDS_PER_REQUEST):
            out.extend((yield from self._all(cwc.F("id").in_(chunk))))
        return out

    # --- source ----------------------------------------------------------------------------

    def _read_changes(self, since: datetime | None, page_token: str | None) -> Steps[ChangePage]:
        if page_token:
            until_text, _, cursor = page_token.partition("|")
            until = datetime.fromisoformat(until_text)
        else:
            until, cursor = _floor(self.now()), ""
        where: Any = cwc.F("lastUpdated") <= until
        if since is not None:
            where = (cwc.F("lastUpdated") >= _floor(since)) & where
        page = yield from self._page(where, cursor or None)
        items = list(page.items) if page is not None else []
        following = page.next_cursor if page is not None else None
        return ChangePage(
            records=sorted_records(self.remote(m) for m in items),
            next_token=f"{until.isoformat()}|{following}" if following else None,
            ordered=False,
        )

    def _fetch(self, ids: Sequence[str]) -> Steps[list[RemoteRecord]]:
        models = yield from self._by_ids(list(dict.fromkeys(ids)))
        return [self.remote(m) for m in models]

    def _list_ids(self) -> Steps[list[str]]:
        ids: list[str] = []
        cursor: str | None = None
        while True:  # page by page: only the ids are kept
            page = yield from self._page(None, cursor, ["id"])
            if page is None:
                return ids
            ids.extend(str(m.id) for m in page.items)
            cursor = page.next_cursor
            if cursor is None:
                return ids

    # --- target: look-ups ------------------------------------------------------------------

    def _index_records(self, models: Sequence[Any]) -> list[tuple[Any, Any]]:
        """Index wire records; return each with its canonical form."""
        out = []
        for model in models:
            record_id = str(model.id)
            if self.index.written(record_id):  # msplink's own: linked, never a candidate
                self.index.put(record_id, (), model.last_updated)
                continue
            canonical = self.canonical(model)
            if canonical is not None:
                self.index.put(record_id, self.keys_of(canonical, record_id), model.last_updated)
            out.append((model, canonical))
        return out

    def _refresh(
        self, wanted: Mapping[str, Sequence[str]], found: dict[str, Any], ids: frozenset[str] = frozenset()
    ) -> Steps[None]:
        """Read the whole index (first time) or what changed since (at most every five minutes); the
        records matching ``wanted``, and those of ``ids`` the read returns, go to ``found`` (read now:
        not read again by id)."""
        now = self.now()
        if not index_due(self.index, self._refreshed_at, now):
            return
        since = index_since(self.index)
        where = None if since is None else cwc.F("lastUpdated") >= _floor(since)
        cursor: str | None = None
        while True:
            page = yield from self._page(where, cursor)
            if page is None:
                break
            for model, canonical in self._index_records(page.items):
                if str(model.id) in ids or (
                    canonical is not None and self.matches(canonical, str(model.id), wanted)
                ):
                    found[str(model.id)] = model
            cursor = page.next_cursor
            if cursor is None:
                break
        index_read(self.index, now)
        self._refreshed_at = now

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
        missing = [i for i, model in found.items() if model is None]
        for model in (yield from self._by_ids(missing)):
            found[str(model.id)] = model
        return self.looked_up(found)

    # --- target: writes --------------------------------------------------------------------

    def _write(self, ops: Sequence[WriteOp]) -> Steps[list[WriteResult]]:
        started = self.now()
        missing = [op.target_id for op in ops if op.action is Action.UPDATE and op.target_id]
        missing = [i for i in missing if self.remembered(i) is None]
        if missing:
            for model in (yield from self._by_ids(missing)):
                self.remember(str(model.id), model)
        calls: list[Callable[[Any], Any] | None] = []
        refused: dict[int, MsplinkError] = {}
        for n, op in enumerate(ops):
            try:
                calls.append(self._call_for(op))
            except MsplinkError as exc:  # the current record cannot be mapped back, or no partial model
                refused[n] = exc
                calls.append(None)
        answers = yield Each(tuple(fn or _nothing for fn in calls))
        results: list[WriteResult] = []
        unsure: list[int] = []
        for n, (op, fn, answer) in enumerate(zip(ops, calls, answers, strict=True)):
            if n in refused:
                results.append(WriteResult(key=op.key, error=refused[n]))
            elif fn is None:
                current = self.remembered(op.target_id or "")
                version = self.version_of(current) if current is not None else op.version
                results.append(WriteResult(key=op.key, id=op.target_id, version=version))
            elif isinstance(answer, MsplinkError):
                if op.action is Action.DELETE and isinstance(answer, NotFoundError):
                    self.index.drop(op.target_id or "")
                    results.append(WriteResult(key=op.key, id=op.target_id))
                    continue
                if op.action is Action.CREATE and ambiguous(answer):
                    unsure.append(n)
                results.append(WriteResult(key=op.key, error=answer))
            else:
                results.append(self._written(op, answer))
        if unsure:
            intents = [intent_of(ops[n], started) for n in unsure]
            landed = yield from self._settle(intents)
            for n, record in zip(unsure, landed, strict=True):
                if record is not None:
                    results[n] = WriteResult(key=ops[n].key, id=record.id, version=record.version)
        return results

    def _call_for(self, op: WriteOp) -> Callable[[Any], Any] | None:
        if op.action is Action.CREATE:
            payload = op.payload
            return lambda c: self._res(c).create(payload)
        record_id = int(op.target_id or 0)
        if op.action is Action.DELETE:
            return lambda c: self._res(c).delete(record_id)
        patch = self._patch(op)
        if patch is None:
            return None
        return lambda c: self._res(c).update(record_id, patch)

    def _patch(self, op: WriteOp) -> Any:
        """The partial model of the fields this update changes (``None``: nothing to send)."""
        current = self.remembered(op.target_id or "")
        after = op.payload.to_api()
        writes = set(self.mapper.writes) - {"id"}
        if current is not None:
            canonical = self.canonical(current)
            before = (
                self.mapper.from_canonical(canonical, self.config).to_api() if canonical is not None else {}
            )
        else:
            before = {}
        names = top_level_diff(before, after, writes)
        if not names:
            return None
        update_cls = getattr(cw, type(op.payload).__name__ + "Update", None)
        if update_cls is None:
            raise SyncError(f"connectwise: no partial update model for {type(op.payload).__name__}")
        values = {
            f.name: getattr(op.payload, f.name, None)
            for f in attrs.fields(update_cls)
            if f.metadata.get("wire") in names
        }
        return update_cls(**values) if values else None

    def _written(self, op: WriteOp, model: Any) -> WriteResult:
        if op.action is Action.DELETE:
            self.index.drop(op.target_id or "")
            return WriteResult(key=op.key, id=op.target_id)
        record_id = str(model.id)
        if op.action is not Action.CREATE:
            # an update's answer replaces what its look-up kept; a create's is not kept (the cache
            # would grow with every record made: flat memory); updated again later, it is read again
            self.remember(record_id, model)
        self.index.forget(record_id)  # linked from now on: never a match candidate
        return WriteResult(key=op.key, id=record_id, version=self.version_of(model))

    # --- target: settling creates ----------------------------------------------------------

    def _settle(self, intents: Sequence[Intent]) -> Steps[list[RemoteRecord | None]]:
        times = [i.created_at for i in intents if i.created_at is not None]
        if not intents:
            return []
        since = min(times) - SETTLE_SKEW if times else None
        where = None if since is None else cwc.F("lastUpdated") >= _floor(since)
        models = yield from self._all(where)
        candidates = [(str(m.id), self.name_of(m, self.name_field), _entered(m), m) for m in models]
        chosen = pair_creates(intents, candidates, self.name_field)
        out: list[RemoteRecord | None] = []
        for model in chosen:
            if model is None:
                out.append(None)
                continue
            self.remember(str(model.id), model)
            self.index.forget(str(model.id))
            out.append(self.remote(model))
        return out


def _nothing(client: Any) -> None:
    return None


def _entered(model: Any) -> datetime | None:
    info = model.raw.get("_info") or {}
    text = info.get("dateEntered") if isinstance(info, Mapping) else None
    if not text:
        return None
    try:
        return datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None


class ConnectWiseAdapter(_ConnectWise, SyncMethods):
    """One ConnectWise collection as a sync :class:`~msplink.sync.Source` and
    :class:`~msplink.sync.Target`, over a :class:`~msplink.connectwise.ConnectWiseClient`.

    Args:
        client: The ConnectWise client.
        mapper: The collection's mapper row: ``find_mapper("connectwise", "company", Customer)``.
        config: The ``MappingConfig`` (``fields=`` projection and the index's mapping).
        resource: The client's resource attribute (default from the mapper's object: ``companies``).
        integration_user: The API member's identifier (``_info.updatedBy`` of msplink's own writes).
        now: The clock closing each read's window (default: the system clock, UTC).
        page_size: Records per read request (default and maximum 1,000).
        batch_size: Writes per :meth:`write` call (one request each).
        index_rules: The match keys the target index serves.
        name_field: The canonical field holding the record's name (settling creates).
    """


class AsyncConnectWiseAdapter(_ConnectWise, AsyncMethods):
    """The async twin of :class:`ConnectWiseAdapter` (over an ``AsyncConnectWiseClient``; a batch's
    writes go out concurrently)."""
