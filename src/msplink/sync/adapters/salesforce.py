"""Salesforce as a sync source and target (any sObject with a mapper: Account, Contact ...).

Reading (SYNC.md §5): SOQL on ``SystemModstamp`` with an explicit field list (the mapper's
``reads_for(config)``), ordered by ``SystemModstamp, Id`` and paged by keyset (each page starts after
the last ``(SystemModstamp, Id)`` of the one before, so a page is a checkpoint). The read goes through
``/queryAll``, which also returns the rows deleted in the window (``IsDeleted = true``, kept in the
recycle bin ~15 days, as ``getDeleted`` reports them): tombstones come in order with the changes.
``LastModifiedById`` is who changed a record last (the integration user is the user msplink's
credentials log in as); the version is ``SystemModstamp``.

Writing: sObject Collections of 200 records, the creates' and the updates' chunks of a batch five to a
``POST /composite`` call (1,000 records per API call), or, above ``bulk_threshold`` creates, a Bulk 2.0
job (``SObjects.save_many`` decides). With an external-id field holding the source
id (``CW_Company_Id__c``), creates are upserts by that field: resending one after a lost answer updates
the record it created instead of creating another, and settling finds it by the field. Updates
(``PATCH /composite/sobjects``) carry only the fields that change.

Look-ups: one SOQL per page, ``Id IN (...) OR <external id field> IN (...)`` (sized to the statement
limit); normalised names and domains come from a
:class:`~msplink.sync.adapters._base.KeyIndex` of the object, read once and refreshed from
``SystemModstamp``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any, Final
from urllib.parse import quote_plus

from msplink.errors import (
    APIError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    ErrorDetail,
    MsplinkError,
    NotFoundError,
    RateLimitError,
    ServerError,
)
from msplink.salesforce import models as sf
from msplink.salesforce import soql
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
    adrive,
    drive,
    index_due,
    index_read,
    index_since,
)
from msplink.sync.adapters._sf_reads import SHARED_MAX_ROWS, SharedReads
from msplink.sync.adapters._shared import budget_chunks, intent_of, pair_creates, top_level_diff

__all__ = [
    "BULK_THRESHOLD",
    "DEFAULT_INDEX_RULES",
    "PAGE_SIZE",
    "PLAN_RECORDS",
    "REFRESH_EVERY",
    "RESOURCES",
    "SETTLE_SKEW",
    "SHARED_MAX_ROWS",
    "SOQL_BUDGET",
    "URI_MAX",
    "AsyncSalesforceAdapter",
    "SalesforceAdapter",
    "Steps",
]

RESOURCES: Final[Mapping[str, str]] = {
    "Account": "accounts",
    "Contact": "contacts",
    "Lead": "leads",
    "Opportunity": "opportunities",
    "Case": "cases",
    "Task": "tasks",
    "Contract": "contracts",
}
"""sObject -> the client's typed resource attribute (others use ``client.sobject(name)``)."""

PAGE_SIZE: Final = 2000
SOQL_BUDGET: Final = 12_000
"""URL-encoded bytes of an ``IN (...)`` list per statement at most (less when the field list is long):
a GET ``/query`` URI stays under Salesforce's 16,384 bytes with its path and headers (REFERENCE §2)."""
URI_MAX: Final = 16_384
"""Bytes of a request URI, headers included, Salesforce takes (414 / 431 above it)."""
_URI_SLACK: Final = 2_048
"""What a GET ``/query`` URI holds besides the statement, and its headers (path, bearer token,
``Sforce-Query-Options``), with room to spare."""
_NO_LIMIT: Final = -1
"""``limit`` of :meth:`SalesforceAdapter._select` for a statement with no ``LIMIT`` (its first page
tells how many rows match, ``totalSize``)."""
_PER_COMPOSITE: Final = 5
"""Statements one ``POST /composite`` call carries (five subrequests, REFERENCE §9; ``query_many``)."""
_IN_MOST: Final = 2_000
"""Values per ``IN (...)`` list at most (as many as one page of answers)."""
BULK_THRESHOLD: Final = 10_000
"""Creates in one write above which a Bulk 2.0 job takes them: a job costs at least seven calls
(create, upload, close, a poll or more, three result reads) where ``POST /composite`` writes 1,000
records a call, so below this the collections are the fewer calls."""
PLAN_RECORDS: Final = 5000
"""Source records the engine plans and writes together (gathered across source pages), and writes per
:meth:`write` call: a planned page's creates and updates fill five-chunk ``POST /composite`` calls
with few part-filled chunks, where batches of 1,000 would leave most calls part-filled."""
_AUDIT: Final = ("Id", "SystemModstamp", "LastModifiedById", "IsDeleted", "CreatedDate")
_BY_FEATURE: Final = frozenset({"currencyisocode"})
"""Standard fields an org has only with a feature switched on (multi-currency): described first."""
_TRANSIENT: Final = frozenset({"UNABLE_TO_LOCK_ROW", "SERVER_UNAVAILABLE"})
_CONFLICT: Final = frozenset({"DUPLICATE_VALUE", "DUPLICATES_DETECTED", "DUPLICATE_EXTERNAL_ID"})


def _in_size(value: str) -> int:
    """Bytes one value adds to a GET ``/query`` URL: quoted, with its separator, URL-encoded."""
    return len(quote_plus(f"{soql.quote(value)}, "))


def _utc(value: datetime | None) -> datetime | None:
    return value.astimezone(timezone.utc) if value is not None else None


def _model(row: Any) -> Any:
    """A typed row as it is; a plain record of an untyped sObject (``client.sobject("Invoice__c")``
    answers dicts) as a generic :class:`~msplink.salesforce.models.SObject`."""
    return row if isinstance(row, sf.SObject) else sf.SObject.from_api(row)


def _wire(payload: Any) -> dict[str, Any]:
    """The API body of a mapper's output: a typed model's ``to_api()``, or a plain record as it is."""
    return dict(payload) if isinstance(payload, Mapping) else dict(payload.to_api())


def _error(codes: Sequence[Any]) -> MsplinkError:
    """A typed error for a failed record of a collections / Bulk answer."""
    details = tuple(ErrorDetail(code=e.code, message=e.message, fields=tuple(e.fields or ())) for e in codes)
    names = {d.code for d in details}
    cls: type[APIError] = BadRequestError
    if names & _TRANSIENT:
        cls = ServerError
    elif "REQUEST_LIMIT_EXCEEDED" in names:
        cls = RateLimitError
    elif names & _CONFLICT:
        cls = ConflictError
    elif names & {"ENTITY_IS_DELETED", "INVALID_CROSS_REFERENCE_KEY", "NOT_FOUND"}:
        cls = NotFoundError
    return cls(
        platform="salesforce", status_code=200, method="POST", path="/composite/sobjects", errors=details
    )


class _Salesforce(AdapterBase):
    """The plans of the Salesforce adapter (one sObject)."""

    system = "salesforce"
    has_delete_feed = True

    def __init__(
        self,
        client: Any,
        mapper: Any,
        *,
        config: Any = None,
        external_id_field: str | None = None,
        integration_user: str | None = None,
        now: Callable[[], datetime] | None = None,
        index_rules: Sequence[MatchRule] = DEFAULT_INDEX_RULES,
        name_field: str = "name",
        batch_size: int = PLAN_RECORDS,
        bulk_threshold: int = BULK_THRESHOLD,
        page_size: int = PAGE_SIZE,
        plan_records: int = PLAN_RECORDS,
        where: Mapping[str, Any] | None = None,
        shared: SharedReads | None = None,
    ) -> None:
        super().__init__(
            client, mapper, config=config, integration_user=integration_user, now=now, index_rules=index_rules
        )
        self.sobject: str = soql.check_identifier(mapper.object)
        self.external_id_field = soql.check_identifier(external_id_field) if external_id_field else None
        self.name_field = name_field
        if min(batch_size, bulk_threshold, plan_records) < 1 or not 1 <= page_size <= PAGE_SIZE:
            raise ConfigurationError(
                f"batch_size, bulk_threshold and plan_records must be at least 1, page_size 1..{PAGE_SIZE}"
            )
        self.page_size = page_size
        self.plan_records = plan_records
        """Source records the engine plans and writes together when this adapter is the target."""
        self.where: dict[str, Any] = {soql.check_identifier(k): v for k, v in (where or {}).items()}
        """Field values every read of changes is limited to (``{"IsWon": True}``)."""
        self._batch_size = batch_size
        self.bulk_threshold = bulk_threshold
        reads = [f for f in mapper.reads_for(config) if "." not in f or f.count(".") == 1]
        extra = [self.external_id_field] if self.external_id_field else []
        self.fields: tuple[str, ...] = tuple(dict.fromkeys([*_AUDIT, *reads, *extra]))
        canonical = getattr(getattr(mapper, "canonical", None), "__name__", "")
        custom = (
            [f for _, f in config.custom_fields_for(canonical, "salesforce")] if config is not None else []
        )
        self._writable = frozenset({*mapper.writes, *custom}) - {"Id"}
        """What an update may send: the mapper's writes plus the config's custom fields of the record."""
        self._described = False
        self._refreshed_at: datetime | None = None
        self.shared = shared
        """The reads this adapter shares with the others of its run (``None``: none)."""
        if shared is not None:
            shared.join(self)

    def _describe(self) -> Steps[None]:
        """Keep only the fields the org has (``GET /sobjects/{type}/describe``, once per client and
        sObject): an org without multi-currency has no ``CurrencyIsoCode``, one without a custom
        field has no ``X__c``."""
        cached = yield Do(lambda c: self._res(c).cached_describe())
        describe = cached if cached is not None else (yield Do(lambda c: self._res(c).describe()))
        self._cut(describe)

    def _cut(self, describe: Any) -> None:
        names = {f.name.lower() for f in describe.fields}
        relations = {f.relationship_name.lower() for f in describe.fields if f.relationship_name}
        kept = []
        for name in self.fields:
            head, dot, _ = name.partition(".")
            if (dot and head.lower() in relations) or (not dot and name.lower() in names):
                kept.append(name)
        if self.external_id_field and self.external_id_field.lower() not in names:
            raise ConfigurationError(f"salesforce: {self.sobject} has no field {self.external_id_field}")
        self.fields = tuple(kept)
        self._described = True

    def _prepare(self) -> Steps[None]:
        """Cut the field list before the first read when that costs no call, or must (see :meth:`_read`)."""
        if self._described:
            return
        cached = yield Do(lambda c: self._res(c).cached_describe())
        if cached is not None:
            self._cut(cached)
        elif any(f.lower() in _BY_FEATURE for f in self.fields):
            several = yield Do(lambda c: self._res(c).multi_currency())
            if several is None:
                yield from self._describe()
            elif not several:  # a single-currency org: no object has CurrencyIsoCode
                self.fields = tuple(f for f in self.fields if f.lower() not in _BY_FEATURE)

    def _read(self, step: Callable[[], Do | FirstPage]) -> Steps[Any]:
        """One read (``GET /query`` or ``/queryAll``), its statement built by ``step`` from the field
        list as it is when sent.

        ``describe`` is a call the platform minimum does not need, so it is made only when the
        field list cannot be trusted without it: once per client when the list holds a field that
        a standard org may lack by feature (``CurrencyIsoCode``: multi-currency orgs only,
        REFERENCE §4; enabling them adds it to every standard and custom object, so the first
        describe of any such object tells it for all), never when the client holds the describe
        already (another adapter of the run described the object). Otherwise the list is asked for as it is, and only if
        Salesforce answers ``INVALID_FIELD`` (a field the org lacks: "No such column 'X' on entity
        'Y'") is the object described, the list cut to the fields it has, and the read sent again.
        """
        yield from self._prepare()
        try:
            return (yield step())
        except BadRequestError as exc:
            if self._described or not any(e.code == "INVALID_FIELD" for e in exc.errors):
                raise
        yield from self._describe()
        return (yield step())

    @property
    def batch_size(self) -> int:
        """Writes per :meth:`write` call (Collections of 200 inside; Bulk 2.0 above the threshold)."""
        return self._batch_size

    def _res(self, client: Any) -> Any:
        name = RESOURCES.get(self.sobject)
        return getattr(client, name) if name else client.sobject(self.sobject)

    def remote(self, model: Any) -> RemoteRecord:
        """A wire record as the engine sees it."""
        stamp = _utc(model.system_modstamp)
        return RemoteRecord(
            id=str(model.id),
            version=stamp.isoformat() if stamp is not None else None,
            updated_at=stamp,
            data=model,
            deleted=bool(model.is_deleted),
            modified_by=model.last_modified_by_id,
        )

    def _select(
        self, condition: soql.Condition | None, *, order: bool = True, limit: int | None = None
    ) -> str:
        query = soql.select(*self.fields).from_(self.sobject)
        if condition is not None:
            query = query.where(condition)
        if order:
            query = query.order_by("SystemModstamp", "Id")
        if limit == _NO_LIMIT:
            return query.render()
        return query.limit(limit or self.page_size).render()

    def _in_budget(self, field: str, limit: int | None = None) -> int:
        """URL-encoded bytes the ``IN (...)`` list of ``field`` may take in one statement: what the
        URI limit leaves after the rest of the statement, at most :data:`SOQL_BUDGET`; with
        ``limit`` (a statement sent in a ``POST /composite`` body), what ``limit`` characters leave."""
        rest = len(quote_plus(f"{self._select(None, order=False, limit=50_000)} WHERE {field} IN ()"))
        if limit is not None:
            return max(1, limit - rest)
        return max(1, min(SOQL_BUDGET, URI_MAX - _URI_SLACK - rest))

    def _by_condition(self, condition: soql.Condition) -> Callable[[], str]:
        """The statement of every row matching ``condition`` (unordered), built from the field list
        as it is when the read is sent."""
        return lambda: self._select(condition, order=False, limit=50_000)

    def _rows(self, statement: Callable[[], str], *, deleted: bool = False) -> Steps[list[Any]]:
        """Every row of one statement (following ``nextRecordsUrl``), built by ``statement``; one
        this run read already is answered by :attr:`shared`."""
        if self.shared is not None:
            yield from self._prepare()
            found = self.shared.answer(self.sobject, statement(), deleted)
            if found is not None:
                return list(found[0])
        rows = yield from self._read(
            lambda: Do(lambda c: self._res(c).query(statement(), include_deleted=deleted).to_list())
        )
        models = [_model(row) for row in rows]
        if self.shared is not None:
            self.shared.keep(self.sobject, statement(), deleted, models, None)
        return models

    def _rows_many(self, statements: Sequence[Callable[[], str]], *, deleted: bool) -> Steps[list[Any]]:
        """Every row of several statements, five to a ``POST /composite`` call (``query_many``); those
        this run read already are answered by :attr:`shared`."""
        out: list[Any] = []
        rest = list(statements)
        if self.shared is not None:
            yield from self._prepare()
            rest = []
            for statement in statements:
                found = self.shared.answer(self.sobject, statement(), deleted)
                if found is None:
                    rest.append(statement)
                else:
                    out.extend(found[0])
        if not rest:
            return out
        answers = yield from self._read(
            lambda: Do(lambda c: self._res(c).query_many([s() for s in rest], include_deleted=deleted))
        )
        for statement, rows in zip(rest, answers, strict=True):
            models = [_model(row) for row in rows]
            if self.shared is not None:
                self.shared.keep(self.sobject, statement(), deleted, models, None)
            out.extend(models)
        return out

    def _keyset(
        self, base: soql.Condition | None, after: tuple[datetime, str] | None, *, deleted: bool
    ) -> Steps[tuple[list[Any], tuple[datetime, str] | None]]:
        """One keyset page by ``(SystemModstamp, Id)``; the position after it (``None``: the end)."""
        condition = base
        if after is not None:
            stamp, last = after
            beyond = soql.or_(
                soql.F("SystemModstamp") > stamp,
                soql.and_(soql.F("SystemModstamp") == stamp, soql.F("Id") > last),
            )
            condition = beyond if condition is None else soql.and_(condition, beyond)
        share = self.shared
        if share is not None:
            if base is None:
                served = share.table_page(self.sobject, after, deleted, self.page_size)
                if served is not None:
                    return served
            yield from self._prepare()
            known = share.answer(self.sobject, self._select(condition), deleted)
            if known is not None:
                return list(known[0]), known[1]
        items, position, _ = yield from self._first_page(lambda: self._select(condition), deleted)
        if share is not None:
            share.keep(self.sobject, self._select(condition), deleted, items, position)
            if base is None:
                share.feed_table(self.sobject, after, items, position, deleted=deleted)
        return items, position

    def _first_page(
        self, statement: Callable[[], str], deleted: bool
    ) -> Steps[tuple[list[Any], tuple[datetime, str] | None, int]]:
        """The first page of ``statement`` (ordered by ``SystemModstamp, Id``), the keyset position
        after it (``None``: the end) and the rows the statement matches (``totalSize``)."""
        batch = max(200, self.page_size)  # Sforce-Query-Options batchSize takes 200..2,000
        page = yield from self._read(
            lambda: FirstPage(
                lambda c: self._res(c).query(statement(), include_deleted=deleted, page_size=batch)
            )
        )
        items = [_model(row) for row in page.items] if page is not None else []
        position: tuple[datetime, str] | None = None
        if items and not (page is not None and page.next_cursor is None and len(items) < self.page_size):
            last_row = items[-1]
            position = (
                _utc(last_row.system_modstamp) or datetime.min.replace(tzinfo=timezone.utc),
                str(last_row.id),
            )
        total = page.total if page is not None and page.total is not None else len(items)
        return items, position, total

    # --- source ----------------------------------------------------------------------------

    def _read_changes(self, since: datetime | None, page_token: str | None) -> Steps[ChangePage]:
        after: tuple[datetime, str] | None = None
        if page_token:
            stamp, _, last = page_token.partition("|")
            after = (datetime.fromisoformat(stamp), last)
        base = soql.F("SystemModstamp") >= since if since is not None else None
        for field, value in self.where.items():
            equal = soql.F(field) == value
            base = equal if base is None else soql.and_(base, equal)
        items, position = yield from self._keyset(base, after, deleted=True)
        token = f"{position[0].isoformat()}|{position[1]}" if position is not None else None
        return ChangePage(records=[self.remote(m) for m in items], next_token=token)

    def _by_ids(
        self, ids: Sequence[str], externals: Sequence[str] = (), *, deleted: bool = False
    ) -> Steps[list[Any]]:
        groups: list[tuple[str, Sequence[str]]] = [("Id", ids)]
        if self.external_id_field and externals:
            if not deleted:
                yield from self._scoped_table(self.external_id_field, externals)
            groups.append((self.external_id_field, externals))
        return (yield from self._where_in_all(groups, deleted))

    def _where_in(self, field: str, values: Sequence[str], deleted: bool) -> Steps[list[Any]]:
        """The rows whose ``field`` holds one of ``values`` (see :meth:`_where_in_all`)."""
        return (yield from self._where_in_all([(field, values)], deleted))

    def _where_in_all(self, groups: Sequence[tuple[str, Sequence[str]]], deleted: bool) -> Steps[list[Any]]:
        """The rows whose field holds one of its values, for each ``(field, values)``: what the run's
        shared reads answer, the rest by ``field IN (...)`` statements: one ``GET /query`` when one
        statement sized to the URI holds them all, else lists of up to 2,000 values, every group's
        five to a ``POST /composite`` call (an id look-up and an external-id one share the call)."""
        found: dict[str, Any] = {}
        share = self.shared
        rest: list[tuple[str, list[str]]] = []
        for field, values in groups:
            held = share.table_rows(self.sobject, field, values, deleted) if share is not None else None
            if held is not None:
                found.update((str(m.id), m) for m in held[0])
                values = held[1]
            elif share is not None and field == "Id":
                known, values = share.held(self.sobject, values, deleted)
                found.update((str(m.id), m) for m in known)
            if values:
                rest.append((field, sorted(set(values))))
        gets = [
            (field, chunk)
            for field, wanted in rest
            for chunk in budget_chunks(wanted, _in_size, self._in_budget(field), _IN_MOST)
        ]
        if len(gets) == 1:
            [(field, chunk)] = gets
            rows = yield from self._rows(self._by_condition(soql.F(field).in_(chunk)), deleted=deleted)
        elif gets:  # more than one GET: lists of up to 2,000, five to a POST /composite
            statements = [
                self._by_condition(soql.F(field).in_(chunk))
                for field, wanted in rest
                for chunk in budget_chunks(
                    wanted, _in_size, self._in_budget(field, soql.MAX_LENGTH), _IN_MOST
                )
            ]
            rows = yield from self._rows_many(statements, deleted=deleted)
        else:
            rows = []
        found.update((str(m.id), m) for m in rows)
        return list(found.values())

    def _scoped_table(self, field: str, values: Sequence[str]) -> Steps[None]:
        """Before a look-up by ``field`` that takes more than one statement, maybe read every row whose
        ``field`` is set (``WHERE field != null``, keyset pages): the run's shared reads then answer
        this and every later look-up by ``field``.

        Whether that pays depends on look-ups to come, which no one knows, so this rents before it
        buys: the first such look-up reads the first page, without ``LIMIT``, whose ``totalSize``
        tells how many pages the rest takes; the rest is read when it costs no more calls than the
        look-ups by ``IN (...)`` of ``field`` the run made so far and this one would make; until
        then each look-up goes on by ``IN (...)``, its calls counted. A run never pays more than
        about twice the calls of the better choice in hindsight (and one page more): a long initial
        sync reads a short table once, an incremental one with few look-ups never reads a long one.
        """
        share = self.shared
        if share is None or share.answers(self.sobject, field):
            return
        chunks = budget_chunks(sorted(set(values)), _in_size, self._in_budget(field), _IN_MOST)
        if next(chunks, None) is None or next(chunks, None) is None:
            return  # one statement answers it: no cheaper
        scope = share.scope(self.sobject, field)
        if scope is None:
            return
        statements = budget_chunks(
            sorted(set(values)), _in_size, self._in_budget(field, soql.MAX_LENGTH), _IN_MOST
        )
        cost = -(-sum(1 for _ in statements) // _PER_COMPOSITE)  # this look-up's POST /composite calls
        epoch = share.epoch
        keyed = soql.F(field) != None  # noqa: E711 - SOQL's "!= null"
        items: list[Any] | None = None
        after: tuple[datetime, str] | None = None
        if scope.total is None:
            yield from self._prepare()
            items, after, scope.total = yield from self._first_page(
                lambda: self._select(keyed, limit=_NO_LIMIT), False
            )
            left = max(0, scope.total - len(items)) if after is not None else 0
            after = after if left else None  # the first page held every row
        else:
            left = scope.total
        if left and -(-left // self.page_size) > scope.rent + cost:
            scope.rent += cost
            return
        first = True
        while True:  # page by page into the table (memory holds one page)
            if items is None:
                items, after = yield from self._keyset(keyed, after, deleted=False)
            building = share.feed_scoped(self.sobject, field, items, epoch, first=first, last=after is None)
            if not building:
                return
            first, items = False, None

    def _related(self, field: str, values: Sequence[str]) -> Steps[list[RemoteRecord]]:
        """The live records whose ``field`` holds one of ``values`` (``AccountId IN (...)``)."""
        rows = yield from self._where_in(soql.check_identifier(field), values, False)
        return [self.remote(m) for m in rows]

    def _fetch(self, ids: Sequence[str]) -> Steps[list[RemoteRecord]]:
        models = yield from self._by_ids(list(dict.fromkeys(ids)), deleted=True)
        return [self.remote(m) for m in models]

    def _list_ids(self) -> Steps[list[str]]:
        ids: list[str] = []
        after: tuple[datetime, str] | None = None
        while True:
            items, after = yield from self._keyset(None, after, deleted=False)
            ids.extend(str(m.id) for m in items)
            if after is None:
                return ids

    # --- target: look-ups ------------------------------------------------------------------

    def _index(self, model: Any) -> Any:
        if model.is_deleted:
            self.index.drop(str(model.id))
            return None
        if self.index.written(str(model.id)):  # msplink's own: linked, never a candidate
            self.index.put(str(model.id), (), _utc(model.system_modstamp))
            return None
        canonical = self.canonical(model)
        if canonical is not None:
            self.index.put(str(model.id), self.keys_of(canonical, str(model.id)), _utc(model.system_modstamp))
        return canonical

    def _refresh(
        self, wanted: Mapping[str, Sequence[str]], found: dict[str, Any], ids: frozenset[str] = frozenset()
    ) -> Steps[None]:
        """Load the key index (or what changed since its last load); the records matching ``wanted``,
        and the live ones of ``ids`` the read returns, go to ``found`` (not read again by id)."""
        now = self.now()
        if not index_due(self.index, self._refreshed_at, now):
            return
        since = index_since(self.index)
        base = soql.F("SystemModstamp") >= since if since is not None else None
        after: tuple[datetime, str] | None = None
        while True:
            items, after = yield from self._keyset(base, after, deleted=since is not None)
            for model in items:
                canonical = self._index(model)
                if (str(model.id) in ids and not model.is_deleted) or (
                    canonical is not None and self.matches(canonical, str(model.id), wanted)
                ):
                    found[str(model.id)] = model
            if after is None:
                break
        index_read(self.index, now)
        self._refreshed_at = now

    def _lookup(self, request: LookupRequest) -> Steps[list[RemoteRecord]]:
        pushed = (
            {k for k in request.keys if k.startswith("external_id:")} if self.external_id_field else set()
        )
        wanted = self.wants_index(request, pushed)
        found: dict[str, Any] = {}
        if wanted:
            yield from self._refresh(wanted, found, frozenset(request.ids))
            for kind, keys in wanted.items():
                for record_id in self.index.find(kind, keys):
                    found.setdefault(record_id, None)
        for record_id in request.ids:
            found.setdefault(record_id, None)
        missing = [i for i, m in found.items() if m is None]
        externals = sorted({k for kind in pushed for k in request.keys.get(kind, ())})
        for model in (yield from self._by_ids(missing, externals)):
            found[str(model.id)] = model
        return self.looked_up(found)

    # --- target: writes --------------------------------------------------------------------

    def _write(self, ops: Sequence[WriteOp]) -> Steps[list[WriteResult]]:
        started = self.now()
        results: dict[int, WriteResult] = {}
        creates: list[tuple[int, dict[str, Any]]] = []
        updates: list[tuple[int, dict[str, Any]]] = []
        deletes: list[int] = []
        for n, op in enumerate(ops):
            try:
                if op.action is Action.CREATE:
                    creates.append((n, self._create_body(op)))
                elif op.action is Action.DELETE:
                    deletes.append(n)
                else:
                    body = self._update_body(op)
                    if body is None:
                        results[n] = WriteResult(key=op.key, id=op.target_id, version=op.version)
                    else:
                        updates.append((n, body))
            except MsplinkError as exc:
                results[n] = WriteResult(key=op.key, error=exc)
        if self.shared is not None:  # what the run read of these records is older than this write
            sent = [b for _, b in (*creates, *updates)]
            self.shared.forget(self.sobject, [str(op.target_id) for op in ops if op.target_id], sent)
        field = self.external_id_field
        threshold = self.bulk_threshold
        if creates or updates:  # one call carries both (five chunks of 200 per POST /composite)
            new, changed = [b for _, b in creates], [b for _, b in updates]
            saved, resaved = yield Do(
                lambda c: self._res(c).save_many(
                    creates=new, updates=changed, external_id_field=field, bulk_threshold=threshold
                )
            )
            for (n, _), result in (*zip(creates, saved, strict=True), *zip(updates, resaved, strict=True)):
                results[n] = self._saved(ops[n], result)
        if deletes:
            ids = [str(ops[n].target_id) for n in deletes]
            saved = yield Do(lambda c: self._res(c).delete_many(ids))
            for n, result in zip(deletes, saved, strict=True):
                if result.success or "ENTITY_IS_DELETED" in result.codes:
                    self.index.drop(str(ops[n].target_id))
                    results[n] = WriteResult(key=ops[n].key, id=ops[n].target_id)
                else:
                    results[n] = WriteResult(key=ops[n].key, error=_error(result.errors))
        if self.shared is not None:  # an upsert may have updated a record it found by external id
            self.shared.forget(self.sobject, [str(r.id) for r in results.values() if r.id])
        unsure = [
            n
            for n, _ in creates
            if not field and not results[n].ok and isinstance(results[n].error, ServerError)
        ]
        if unsure:
            landed = yield from self._settle([intent_of(ops[n], started) for n in unsure])
            for n, record in zip(unsure, landed, strict=True):
                if record is not None:
                    results[n] = WriteResult(key=ops[n].key, id=record.id, version=record.version)
        return [results[n] for n in range(len(ops))]

    def _create_body(self, op: WriteOp) -> dict[str, Any]:
        body = _wire(op.payload)
        body.pop("Id", None)
        if self.external_id_field and not body.get(self.external_id_field):
            body[self.external_id_field] = op.source.id
        return body

    def _update_body(self, op: WriteOp) -> dict[str, Any] | None:
        current = self.remembered(op.target_id or "")
        after = _wire(op.payload)
        before: dict[str, Any] = {}
        if current is not None:
            canonical = self.canonical(current)
            if canonical is not None:
                before = _wire(self.mapper.from_canonical(canonical, self.config))
        names = top_level_diff(before, after, self._writable - {"Id"})
        if self.external_id_field and not (current is not None and current.raw.get(self.external_id_field)):
            after = {**after, self.external_id_field: after.get(self.external_id_field) or op.source.id}
            names.append(self.external_id_field)  # stamp a record matched by name: later upserts find it
        if not names:
            return None
        body = {k: after.get(k) for k in names}
        body["Id"] = op.target_id
        body["attributes"] = {"type": self.sobject}
        return body

    def _saved(self, op: WriteOp, result: Any) -> WriteResult:
        if not result.success:
            return WriteResult(key=op.key, error=_error(result.errors))
        record_id = str(result.id or op.target_id)
        self.index.forget(record_id)  # linked from now on: never a match candidate
        return WriteResult(key=op.key, id=record_id)

    # --- target: settling creates ----------------------------------------------------------

    def _settle(self, intents: Sequence[Intent]) -> Steps[list[RemoteRecord | None]]:
        if not intents:
            return []
        if self.external_id_field:
            models = yield from self._by_ids([], [i.source.id for i in intents])
            by_source = {str(m.raw.get(self.external_id_field)): m for m in models}
            chosen: list[Any] = [by_source.get(i.source.id) for i in intents]
        else:
            times = [i.created_at for i in intents if i.created_at is not None]
            since = min(times) - SETTLE_SKEW if times else None
            condition = soql.F("CreatedDate") >= since if since is not None else None
            rows = []
            after: tuple[datetime, str] | None = None
            while True:
                items, after = yield from self._keyset(condition, after, deleted=False)
                rows.extend(items)
                if after is None:
                    break
            candidates = [
                (str(m.id), self.name_of(m, self.name_field), _utc(m.created_date), m) for m in rows
            ]
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


class SalesforceAdapter(_Salesforce, SyncMethods):
    """One Salesforce sObject as a sync :class:`~msplink.sync.Source` and :class:`~msplink.sync.Target`,
    over a :class:`~msplink.salesforce.SalesforceClient`.

    Args:
        client: The Salesforce client.
        mapper: The sObject's mapper row: ``find_mapper("salesforce", "Account", Customer)``.
        config: The ``MappingConfig`` (its custom fields join the SOQL field list).
        external_id_field: An external-id field holding the source record's id
            (``CW_Company_Id__c``): creates become idempotent upserts by it, and look-ups and settling
            search it.
        integration_user: The Salesforce user id msplink writes as (``LastModifiedById``).
        now: The clock of the index refresh (default: the system clock, UTC).
        index_rules: The match keys the target index serves.
        name_field: The canonical field holding the record's name (settling creates without an
            external id).
        batch_size: Writes per :meth:`write` call.
        bulk_threshold: Above this many records in one call, creates and upserts go through Bulk 2.0.
        page_size: Records per read request (``LIMIT`` of each keyset page, at most 2,000).
        plan_records: As a target, how many source records the engine gathers (across source pages)
            to plan and write together: fuller write calls, one state transaction per planned page.
        where: Field values every read of changes is limited to (``{"IsWon": True}``: won
            opportunities only); fetches and look-ups by id are not limited.
    """

    def related(self, field: str, values: Sequence[str]) -> list[RemoteRecord]:
        """The live records whose ``field`` holds one of ``values`` (``SELECT ... WHERE AccountId IN
        (...)``, sized to the statement limit): the children of some parents."""
        return drive(self.client, self._related(field, values))


class AsyncSalesforceAdapter(_Salesforce, AsyncMethods):
    """The async twin of :class:`SalesforceAdapter` (over an ``AsyncSalesforceClient``)."""

    async def related(self, field: str, values: Sequence[str]) -> list[RemoteRecord]:
        """See :meth:`SalesforceAdapter.related`."""
        return await adrive(self.client, self._related(field, values))
