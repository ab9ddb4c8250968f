"""What the three platform adapters share: steps over a client, their two drivers, the key index.

Each adapter operation (read a page of changes, look targets up, write a batch, settle journalled
creates) is written once, as a generator that *yields steps* and receives their results:

- :class:`Do`: call the client (``fn(client)``); the async driver awaits what the async client
  returns. Sync and async clients have the same resource names and verbs, so one ``fn`` serves both;
- :class:`FirstPage`: ``fn(client)`` returns a paginator; the step's result is its first
  :class:`~msplink._core.Page` (reads page on by cursor, one step per page);
- :class:`Each`: several calls; the result is a tuple with, per call, its value or the
  :class:`~msplink.errors.MsplinkError` it raised. The async driver runs them concurrently
  (ConnectWise writes, one call per record).

A :class:`~msplink.errors.MsplinkError` of a ``Do`` / ``FirstPage`` step is thrown into the
generator. :func:`drive` and :func:`adrive` are the only drivers; the sync adapter's methods are
``drive(client, self._x(...))`` and the async twin's ``await adrive(client, self._x(...))``
(:class:`SyncMethods`, :class:`AsyncMethods`): the logic exists once, as in ``msplink._core._plan``.

:class:`KeyIndex` holds the normalised match keys of every target record for the rules a platform
cannot search server-side (a normalised name: ``Acme, Inc.`` = ``ACME LLC``). It is read once per
adapter (projected to the mapper's fields, page by page, only the keys kept), kept in step with the
adapter's own writes, and refreshed from the platform's change stamp by a look-up that needs it at
most every five minutes (records others create meanwhile are found at the next refresh; a create
that would duplicate one of them is refused by the platform's unique names and retried).
The index lives in memory by default; an adapter run against a state store that can hold it
(:meth:`~msplink.sync.SQLiteStateStore.key_index`) keeps it there instead (:meth:`AdapterBase.use_state`,
called by the engine), so the memory of a run stays flat however many target records there are
(SYNC.md §1 invariant 7).
"""

from __future__ import annotations

import abc
import hashlib
import inspect
import json
from collections import OrderedDict
from collections.abc import (
    AsyncIterator,
    Callable,
    Collection,
    Generator,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from datetime import datetime, timedelta, timezone
from typing import Any, Protocol, TypeVar

import attrs

from msplink.errors import ConfigurationError, MappingError, MsplinkError
from msplink.sync._identity import MatchRule, by_domain, by_email, by_name
from msplink.sync._protocols import ChangePage, Intent, LookupRequest, RemoteRecord, WriteOp, WriteResult
from msplink.sync._values import get_path

__all__ = [
    "DEFAULT_INDEX_RULES",
    "REFRESH_EVERY",
    "SETTLE_SKEW",
    "AdapterBase",
    "AsyncMethods",
    "Do",
    "Each",
    "FirstPage",
    "KeyIndex",
    "MatchIndex",
    "Steps",
    "SyncMethods",
    "adrive",
    "chunks",
    "content_hash",
    "drive",
    "index_due",
    "index_read",
    "index_since",
    "first_page",
    "keep_newest",
    "utc_now",
]

T = TypeVar("T")

SETTLE_SKEW = timedelta(minutes=5)
"""How far before an intent was journalled a record may say it was created and still be the intent's
create (clocks of msplink and the platform differ)."""

INDEX_OVERLAP = timedelta(minutes=1)
"""How far before the newest indexed change, or the start of the last complete read, each index refresh
reads again (late commits, clocks that differ)."""

REFRESH_EVERY = timedelta(minutes=5)
"""At most this often a look-up re-reads what changed in the target since the index was read: each
refresh also reads msplink's own recent writes again (they are changes), about 1.2 times each."""

RAW_CACHE = 1000
"""Wire records a target adapter keeps from look-ups and update answers (the newest), so an update can
send only the fields it changes; one no longer kept is read again by id before its write. The engine
looks up and writes a page at a time (1,000 source records, the platforms' largest page), so a page's
targets fit, and a bound a 10k run already fills keeps a 100k run's memory flat (SYNC.md §1.7; at
5,000, QuickBooks customers of ~7 KB each filled it between 10k and 30k). An adapter that gathers
more records per page keeps that many (:attr:`AdapterBase.raw_cache`). Create answers are not kept."""


def keep_newest(cache: OrderedDict[str, Any], key: str, value: Any, most: int | None = None) -> None:
    """Put ``value`` in ``cache`` as its newest entry, dropping the oldest past ``most`` (default
    :data:`RAW_CACHE`)."""
    cache[key] = value
    cache.move_to_end(key)
    limit = RAW_CACHE if most is None else most
    while len(cache) > limit:
        cache.popitem(last=False)


DEFAULT_INDEX_RULES: tuple[MatchRule, ...] = (by_email(), by_name(), by_domain())
"""The keys a target index serves (e-mail, normalised name, web domain)."""


# ------------------------------------------------------------------------------------------- steps


@attrs.frozen
class Do:
    """A step: call the client, ``fn(client)`` (awaited by the async driver when it returns an awaitable)."""

    fn: Callable[[Any], Any]


@attrs.frozen
class FirstPage:
    """A step: ``fn(client)`` returns a paginator; the result is its first page (``None`` if none)."""

    fn: Callable[[Any], Any]


@attrs.frozen
class Each:
    """A step: several calls, results (or the ``MsplinkError`` each raised) in order.

    Attributes:
        fns: The calls, each ``fn(client)``.
        concurrency: At most this many in flight on the async driver (the sync driver runs them in order).
    """

    fns: tuple[Callable[[Any], Any], ...]
    concurrency: int = 8


Step = Do | FirstPage | Each
Steps = Generator[Step, Any, T]


def drive(client: Any, plan: Steps[T]) -> T:
    """Run a plan with a sync client."""
    try:
        step = next(plan)
        while True:
            try:
                if isinstance(step, Each):
                    result: Any = tuple(_capture(fn, client) for fn in step.fns)
                elif isinstance(step, FirstPage):
                    result = next(iter(step.fn(client).pages()), None)
                else:
                    result = step.fn(client)
            except MsplinkError as exc:
                step = plan.throw(exc)
            else:
                step = plan.send(result)
    except StopIteration as stop:
        value: T = stop.value
        return value
    finally:
        plan.close()


async def adrive(client: Any, plan: Steps[T]) -> T:
    """Run a plan with an async client (``Each`` runs concurrently)."""
    try:
        step = next(plan)
        while True:
            try:
                if isinstance(step, Each):
                    result: Any = await _gather(client, step)
                elif isinstance(step, FirstPage):
                    result = await first_page(step.fn(client))
                else:
                    result = await _value(step.fn(client))
            except MsplinkError as exc:
                step = plan.throw(exc)
            else:
                step = plan.send(result)
    except StopIteration as stop:
        value: T = stop.value
        return value
    finally:
        plan.close()


def _capture(fn: Callable[[Any], Any], client: Any) -> Any:
    try:
        return fn(client)
    except MsplinkError as exc:
        return exc


async def _value(result: Any) -> Any:
    return await result if inspect.isawaitable(result) else result


async def first_page(paginator: Any) -> Any:
    """The first page of an async paginator (``None`` if none), its page iterator closed."""
    pages: AsyncIterator[Any] = paginator.pages()
    try:
        async for page in pages:
            return page
        return None
    finally:
        closing = getattr(pages, "aclose", None)
        if closing is not None:
            await closing()


async def _gather(client: Any, step: Each) -> tuple[Any, ...]:
    import asyncio

    limit = asyncio.Semaphore(max(1, step.concurrency))

    async def one(fn: Callable[[Any], Any]) -> Any:
        async with limit:
            try:
                return await _value(fn(client))
            except MsplinkError as exc:
                return exc

    return tuple(await asyncio.gather(*(one(fn) for fn in step.fns)))


# ------------------------------------------------------------------------------------- helpers


def utc_now() -> datetime:
    """The current time, UTC (the default clock of the adapters)."""
    return datetime.now(timezone.utc)


def chunks(items: Sequence[T], size: int) -> Iterator[list[T]]:
    """``items`` in lists of at most ``size``."""
    step = max(1, size)
    for start in range(0, len(items), step):
        yield list(items[start : start + step])


def content_hash(data: Mapping[str, Any], keys: Collection[str] | None = None) -> str:
    """A short stable hash of a wire record's values (``keys`` only, when given).

    Platforms whose change stamp has second resolution (ConnectWise ``lastUpdated``) add it to the
    version, so two reads with the same version always hold the same values.
    """
    picked = {k: v for k, v in data.items() if keys is None or k in keys}
    text = json.dumps(picked, sort_keys=True, separators=(",", ":"), default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


class MatchIndex(Protocol):
    """What an adapter asks of its key index (:class:`KeyIndex` in memory, or
    :class:`~msplink.sync._keys.SQLiteKeyIndex` in a SQLite state store)."""

    loaded: bool
    mark: datetime | None

    def __len__(self) -> int: ...
    def put(self, record_id: str, keys: Iterable[tuple[str, str]], updated_at: datetime | None) -> None: ...
    def drop(self, record_id: str) -> None: ...
    def forget(self, record_id: str) -> None: ...
    def written(self, record_id: str) -> bool: ...
    def find(self, kind: str, keys: Iterable[str]) -> set[str]: ...
    def delta_since(self) -> datetime | None: ...


class KeyIndex:
    """The normalised match keys of the records of a target object that may still be matched.

    Compact on purpose (about 40 bytes a key): keys are kept as their hashes, so two different keys
    sharing a hash only make a record a candidate it is not, which the engine re-checks on the record
    itself (over-fetching is fine). Records msplink writes are linked, so never candidates: the
    adapters keep them out (:meth:`forget`), and the index holds what others created.

    Attributes:
        loaded: Whether the full read is done (after it, refreshes keep the index fresh).
        mark: The newest change time indexed (the next refresh reads from it, minus an overlap).
    """

    def __init__(self) -> None:
        self.loaded = False
        self.mark: datetime | None = None
        self._ids: dict[int, str | tuple[str, ...]] = {}
        self._keys: dict[str, tuple[int, ...]] = {}
        self._mine: set[str] = set()

    def __len__(self) -> int:
        return len(self._keys)

    def put(self, record_id: str, keys: Iterable[tuple[str, str]], updated_at: datetime | None) -> None:
        """Index (or re-index) one record (records msplink wrote are left out)."""
        if updated_at is not None and (self.mark is None or updated_at > self.mark):
            self.mark = updated_at
        if record_id in self._mine:
            return
        self.drop(record_id)
        hashes = tuple(sorted({hash(key) for key in keys}))
        if not hashes:
            return
        self._keys[record_id] = hashes
        for digest in hashes:
            held = self._ids.get(digest)
            if held is None:
                self._ids[digest] = record_id
            else:
                ids = (held,) if isinstance(held, str) else held
                self._ids[digest] = (*ids, record_id) if record_id not in ids else ids

    def drop(self, record_id: str) -> None:
        """Forget one record (deleted, or about to be re-indexed)."""
        for digest in self._keys.pop(record_id, ()):
            held = self._ids.get(digest)
            if held is None:
                continue
            ids = tuple(i for i in ((held,) if isinstance(held, str) else held) if i != record_id)
            if not ids:
                del self._ids[digest]
            else:
                self._ids[digest] = ids[0] if len(ids) == 1 else ids

    def forget(self, record_id: str) -> None:
        """A record msplink wrote: linked, so never a candidate; out of the index for good."""
        self.drop(record_id)
        self._mine.add(record_id)

    def written(self, record_id: str) -> bool:
        """Whether msplink wrote the record (a refresh reading it again need not map it)."""
        return record_id in self._mine

    def find(self, kind: str, keys: Iterable[str]) -> set[str]:
        """Ids of the records holding any of ``keys`` of this kind (a superset: see above)."""
        found: set[str] = set()
        for key in keys:
            held = self._ids.get(hash((kind, key)))
            if held is not None:
                found.update((held,) if isinstance(held, str) else held)
        return found

    def delta_since(self) -> datetime | None:
        """Where the next refresh reads from (``None``: nothing indexed yet, read from the start)."""
        return None if self.mark is None else self.mark - INDEX_OVERLAP


def index_due(index: MatchIndex, refreshed_at: datetime | None, now: datetime) -> bool:
    """Whether a look-up reads ``index`` (again): never read whole, or last read ``REFRESH_EVERY`` ago."""
    return not index.loaded or refreshed_at is None or now - refreshed_at >= REFRESH_EVERY


def index_since(index: MatchIndex) -> datetime | None:
    """Where the next read of ``index`` starts (``None``: the whole object, the first time)."""
    return index.delta_since() if index.loaded else None


def index_read(index: MatchIndex, started: datetime) -> None:
    """Record a complete read of ``index`` (whole, or its changes) that began at ``started``.

    Every change older than ``started`` minus the overlap is in it now, however long ago the newest
    indexed record changed: the next refresh reads from there, not from a minute before that record's
    change. On a platform whose records last changed together (an import, a seeded world) the old rule
    read every one of them again at each refresh (issue 18).

    Args:
        index: The index just read.
        started: The adapter's clock when the read began.
    """
    index.loaded = True
    if not index.loaded:  # a SQLite-held index lost rows during the read: it is read whole again
        return
    floor = started - INDEX_OVERLAP
    if index.mark is None or index.mark < floor:
        index.mark = floor


# ------------------------------------------------------------------------------------ the base


class AdapterBase(abc.ABC):
    """What every platform adapter holds: the client, the mapper row, the config, a clock, the index.

    Subclasses write the six operations as plans (``_read_changes``, ``_fetch``, ``_list_ids``,
    ``_lookup``, ``_write``, ``_settle``); :class:`SyncMethods` / :class:`AsyncMethods` drive them.
    """

    system: str = ""

    def __init__(
        self,
        client: Any,
        mapper: Any,
        *,
        config: Any = None,
        integration_user: str | None = None,
        now: Callable[[], datetime] | None = None,
        index_rules: Sequence[MatchRule] = DEFAULT_INDEX_RULES,
    ) -> None:
        if getattr(mapper, "system", self.system) != self.system:
            raise ConfigurationError(f"a {mapper.system} mapper cannot drive a {self.system} adapter")
        self.client = client
        self.mapper = mapper
        self.config = config
        self._integration_user = integration_user
        self.now = now or utc_now
        self.index: MatchIndex = KeyIndex()
        self._index_home: Any = None  # the state store holding the index (None: in memory)
        self.index_rules: tuple[MatchRule, ...] = tuple(index_rules)
        self._raw: OrderedDict[str, Any] = OrderedDict()
        self._lookup_most = 0  # the most records one look-up returned (what the writes after it update)

    # --- protocol attributes ---------------------------------------------------------------

    @property
    def object(self) -> str:
        """The vendor object (the mapper's: ``company``, ``Customer``, ``Account``)."""
        value: str = self.mapper.object
        return value

    @property
    def integration_user(self) -> str | None:
        """The platform user msplink writes as (its changes are recognised as msplink's own)."""
        return self._integration_user

    @property
    def api_calls(self) -> Mapping[str, int]:
        """The client's own request counter (every attempt, retries included), by system."""
        return {self.system: int(self.client.api_calls.total)}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.system}:{self.object})"

    # --- where the key index lives --------------------------------------------------------

    def use_state(self, state: Any) -> None:
        """Hold the key index in ``state`` when it can (``key_index``), else in memory.

        Called by the engine at the start of every run with the flow's state store. The same store
        again keeps the index (and its freshness); another store starts a new, empty one (read in
        full at the next look-up, as for a new adapter).
        """
        factory = getattr(state, "key_index", None)
        home = state if callable(factory) else None
        if home is self._index_home:
            return
        self._discard_index()
        self._index_home = home
        self.index = self._new_index()

    def _new_index(self) -> MatchIndex:
        if self._index_home is None:
            return KeyIndex()
        index: MatchIndex = self._index_home.key_index(f"{self.system}:{self.object}")
        return index

    def _discard_index(self) -> None:
        discard = getattr(self.index, "discard", None)
        if discard is not None:
            discard()

    # --- mapping helpers -------------------------------------------------------------------

    def canonical(self, data: Any) -> Any:
        """The canonical record of a wire record, or ``None`` when it cannot be mapped."""
        try:
            return self.mapper.to_canonical(data, self.config)
        except MappingError:
            return None

    def name_of(self, data: Any, field: str = "name") -> str | None:
        """The canonical name of a wire record (settling creates by name), or ``None``."""
        canonical = self.canonical(data)
        value = get_path(canonical, field) if canonical is not None else None
        return value if isinstance(value, str) else None

    def keys_of(self, canonical: Any, record_id: str) -> set[tuple[str, str]]:
        """The index keys of a canonical record: ``(lookup kind, normalised key)``."""
        keys: set[tuple[str, str]] = set()
        for rule in self.index_rules:
            keys.update((rule.lookup_kind, k) for k in rule.target_keys(canonical, record_id))
        return keys

    def wants_index(self, request: LookupRequest, pushed: Collection[str] = ()) -> dict[str, tuple[str, ...]]:
        """The requested key kinds the index must answer (those not searched on the platform)."""
        wanted = {kind: keys for kind, keys in request.keys.items() if keys and kind not in pushed}
        served = {rule.lookup_kind for rule in self.index_rules}
        missing = [kind for kind in wanted if kind not in served]
        if missing:
            for kind in missing:
                self.index_rules += (_rule_for(kind),)
            self._discard_index()
            self.index = self._new_index()  # the new kinds need every record read again
        return wanted

    def matches(self, canonical: Any, record_id: str, wanted: Mapping[str, Collection[str]]) -> bool:
        """Whether a record is a candidate for any wanted key."""
        if not wanted:
            return False
        return any(k in wanted.get(kind, ()) for kind, k in self.keys_of(canonical, record_id))

    # --- wire records seen by look-ups (for sparse updates) -------------------------------

    keeps_lookups = True
    """Whether the wire records kept for sparse updates are at least the largest look-up's
    (:meth:`looked_up`); off, a look-up larger than :attr:`raw_cache` has its oldest records read
    again by id before their updates."""

    @property
    def raw_cache(self) -> int:
        """Wire records kept for sparse updates: :data:`RAW_CACHE`, or more where this target's unit
        is larger: the source records the engine gathers into one page (``plan_records``), the
        largest look-up's records (:meth:`looked_up`), and always one write batch (``batch_size``),
        whose records a write reads again by id and then updates from what it read."""
        units = (getattr(self, name, 0) or 0 for name in ("plan_records", "batch_size"))
        floor = self._lookup_most if self.keeps_lookups else 0
        return max(RAW_CACHE, floor, *(int(unit) for unit in units))

    def looked_up(self, found: Mapping[str, Any]) -> list[RemoteRecord]:
        """What a look-up answers, from the wire records it found by id (``None``: gone since it was
        indexed, so dropped from the index); each is kept for the updates that follow it.

        The engine plans a source page (as large as the source's pages: Salesforce's 2,000) and then
        writes it, so the cache keeps at least the largest look-up's records: kept at fewer, the
        page's own writes would push out the records they are about to update and read them again
        by id, a batch at a time. One look-up's records are a page's worth at any run size, so this
        floor keeps memory flat.
        """
        self._lookup_most = max(self._lookup_most, sum(1 for data in found.values() if data is not None))
        out = []
        for record_id, data in found.items():
            if data is None:
                self.index.drop(record_id)
                continue
            self.remember(record_id, data)
            out.append(self.remote(data))
        return out

    def remember(self, record_id: str, data: Any) -> None:
        """Keep the newest wire record of a target (bounded, oldest dropped first)."""
        keep_newest(self._raw, record_id, data, self.raw_cache)

    def remembered(self, record_id: str) -> Any:
        """The wire record a look-up last returned for ``record_id`` (``None`` if not kept)."""
        return self._raw.get(record_id)

    # --- the six operations, as plans (subclasses) ----------------------------------------

    @abc.abstractmethod
    def remote(self, data: Any) -> RemoteRecord:
        """A wire record as the engine sees it."""

    @abc.abstractmethod
    def _read_changes(self, since: datetime | None, page_token: str | None) -> Steps[ChangePage]:
        """Plan: one page of records changed at or after ``since``."""

    @abc.abstractmethod
    def _fetch(self, ids: Sequence[str]) -> Steps[list[RemoteRecord]]:
        """Plan: records by id."""

    @abc.abstractmethod
    def _list_ids(self) -> Steps[list[str]]:
        """Plan: every live id."""

    @abc.abstractmethod
    def _lookup(self, request: LookupRequest) -> Steps[list[RemoteRecord]]:
        """Plan: linked records and match candidates."""

    @abc.abstractmethod
    def _write(self, ops: Sequence[WriteOp]) -> Steps[list[WriteResult]]:
        """Plan: one batch of writes."""

    @abc.abstractmethod
    def _settle(self, intents: Sequence[Intent]) -> Steps[list[RemoteRecord | None]]:
        """Plan: what journalled creates created."""


def _rule_for(kind: str) -> MatchRule:
    if kind.startswith("external_id:"):
        return MatchRule("external_id", (kind.split(":", 1)[1],), "target")
    return {"email": by_email(), "name": by_name(), "domain": by_domain()}.get(kind) or MatchRule(kind)


class SyncMethods(AdapterBase):
    """The sync adapter methods: each drives its plan with the sync client."""

    def read_changes(self, since: datetime | None, page_token: str | None) -> ChangePage:
        """Read one page of changes at or after ``since`` (see :class:`~msplink.sync.Source`)."""
        return drive(self.client, self._read_changes(since, page_token))

    def fetch(self, ids: Sequence[str]) -> list[RemoteRecord]:
        """Read records by id (see :class:`~msplink.sync.Source`)."""
        return drive(self.client, self._fetch(ids))

    def list_ids(self) -> list[str]:
        """Every live id (see :class:`~msplink.sync.Source`)."""
        return drive(self.client, self._list_ids())

    def lookup(self, request: LookupRequest) -> list[RemoteRecord]:
        """Linked records and match candidates (see :class:`~msplink.sync.Target`)."""
        return drive(self.client, self._lookup(request))

    def write(self, ops: Sequence[WriteOp]) -> list[WriteResult]:
        """Apply a batch of writes (see :class:`~msplink.sync.Target`)."""
        return drive(self.client, self._write(ops))

    def settle(self, intents: Sequence[Intent]) -> list[RemoteRecord | None]:
        """Find what journalled creates created (see :class:`~msplink.sync.Target`)."""
        return drive(self.client, self._settle(intents))


class AsyncMethods(AdapterBase):
    """The async adapter methods: each drives the same plan with the async client."""

    async def read_changes(self, since: datetime | None, page_token: str | None) -> ChangePage:
        """See :meth:`SyncMethods.read_changes`."""
        return await adrive(self.client, self._read_changes(since, page_token))

    async def fetch(self, ids: Sequence[str]) -> list[RemoteRecord]:
        """See :meth:`SyncMethods.fetch`."""
        return await adrive(self.client, self._fetch(ids))

    async def list_ids(self) -> list[str]:
        """See :meth:`SyncMethods.list_ids`."""
        return await adrive(self.client, self._list_ids())

    async def lookup(self, request: LookupRequest) -> list[RemoteRecord]:
        """See :meth:`SyncMethods.lookup`."""
        return await adrive(self.client, self._lookup(request))

    async def write(self, ops: Sequence[WriteOp]) -> list[WriteResult]:
        """See :meth:`SyncMethods.write`."""
        return await adrive(self.client, self._write(ops))

    async def settle(self, intents: Sequence[Intent]) -> list[RemoteRecord | None]:
        """See :meth:`SyncMethods.settle`."""
        return await adrive(self.client, self._settle(intents))
