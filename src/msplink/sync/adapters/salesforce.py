"""Salesforce as a sync source and target (any sObject with a mapper: Account, Contact ...).

Reading (SYNC.md §5): SOQL on ``SystemModstamp`` with an explicit field list (the mapper's
``reads_for(config)``), ordered by ``SystemModstamp, Id`` and paged by keyset (each page starts after
the last ``(SystemModstamp, Id)`` of the one before, so a page is a checkpoint). The read goes through
``/queryAll``, which also returns the rows deleted in the window (``IsDeleted = true``, kept in the
recycle bin ~15 days, as ``getDeleted`` reports them): tombstones come in order with the changes.
``LastModifiedById`` is who changed a record last (the integration user is the user msplink's
credentials log in as); the version is ``SystemModstamp``.

Writing: sObject Collections (200 records per call) or, above ``bulk_threshold`` records, a Bulk 2.0
job (``SObjects.upsert_many`` / ``create_many`` decide). With an external-id field holding the source
id (``CW_Company_Id__c``), creates are upserts by that field: resending one after a lost answer updates
the record it created instead of creating another, and settling finds it by the field. Updates
(``PATCH /composite/sobjects``) carry only the fields that change.

Look-ups: one SOQL per page, ``Id IN (...) OR <external id field> IN (...)`` (sized to the statement
limit); normalised names and domains come from a
:class:`~msplink.sync.adapters._base.KeyIndex` of the object, read once and refreshed from
``SystemModstamp``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any, Final
from urllib.parse import quote_plus

import attrs

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
)
from msplink.sync.adapters._shared import budget_chunks, intent_of, pair_creates, top_level_diff

__all__ = [
    "BULK_THRESHOLD",
    "DEFAULT_INDEX_RULES",
    "PAGE_SIZE",
    "REFRESH_EVERY",
    "RESOURCES",
    "SETTLE_SKEW",
    "SHARED_MAX_ROWS",
    "SOQL_BUDGET",
    "URI_MAX",
    "AsyncSalesforceAdapter",
    "SalesforceAdapter",
    "SharedReads",
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
_IN_MOST: Final = 2_000
"""Values per ``IN (...)`` list at most (as many as one page of answers)."""
BULK_THRESHOLD: Final = 2000
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
        batch_size: int = 2000,
        bulk_threshold: int = BULK_THRESHOLD,
        page_size: int = PAGE_SIZE,
        where: Mapping[str, Any] | None = None,
        shared: SharedReads | None = None,
    ) -> None:
        super().__init__(
            client, mapper, config=config, integration_user=integration_user, now=now, index_rules=index_rules
        )
        self.sobject: str = soql.check_identifier(mapper.object)
        self.external_id_field = soql.check_identifier(external_id_field) if external_id_field else None
        self.name_field = name_field
        if batch_size < 1 or bulk_threshold < 1 or not 1 <= page_size <= PAGE_SIZE:
            raise ConfigurationError(
                f"batch_size and bulk_threshold must be at least 1, page_size 1..{PAGE_SIZE}"
            )
        self.page_size = page_size
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
        return query.limit(limit or self.page_size).render()

    def _in_budget(self, field: str) -> int:
        """URL-encoded bytes the ``IN (...)`` list of ``field`` may take in one statement: what the
        URI limit leaves after the rest of the statement, at most :data:`SOQL_BUDGET`."""
        rest = len(quote_plus(f"{self._select(None, order=False, limit=50_000)} WHERE {field} IN ()"))
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
        batch = max(200, self.page_size)  # Sforce-Query-Options batchSize takes 200..2,000
        page = yield from self._read(
            lambda: FirstPage(
                lambda c: self._res(c).query(
                    self._select(condition), include_deleted=deleted, page_size=batch
                )
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
        if share is not None:
            share.keep(self.sobject, self._select(condition), deleted, items, position)
            if base is None:
                share.feed_table(self.sobject, after, items, position, deleted=deleted)
        return items, position

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
        found: dict[str, Any] = {}
        groups: list[tuple[str, list[str]]] = [("Id", list(ids))]
        if self.external_id_field and externals:
            groups.append((self.external_id_field, list(externals)))
        for field, values in groups:
            held = self.shared.table_rows(self.sobject, field, values, deleted) if self.shared else None
            if held is not None:
                found.update((str(m.id), m) for m in held)
                continue
            if self.shared is not None and field == "Id":
                known, values = self.shared.held(self.sobject, values, deleted)
                found.update((str(m.id), m) for m in known)
            for chunk in budget_chunks(values, _in_size, self._in_budget(field), _IN_MOST):
                statement = self._by_condition(soql.F(field).in_(chunk))
                for model in (yield from self._rows(statement, deleted=deleted)):
                    found[str(model.id)] = model
        return list(found.values())

    def _related(self, field: str, values: Sequence[str]) -> Steps[list[RemoteRecord]]:
        """The live records whose ``field`` holds one of ``values`` (``AccountId IN (...)``)."""
        name = soql.check_identifier(field)
        held = self.shared.table_rows(self.sobject, name, values, False) if self.shared else None
        if held is not None:
            return [self.remote(m) for m in held]
        found: dict[str, Any] = {}
        for chunk in budget_chunks(sorted(set(values)), _in_size, self._in_budget(name), _IN_MOST):
            for model in (yield from self._rows(self._by_condition(soql.F(name).in_(chunk)))):
                found[str(model.id)] = model
        return [self.remote(m) for m in found.values()]

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

    def _refresh(self, wanted: Mapping[str, Sequence[str]], found: dict[str, Any]) -> Steps[None]:
        now = self.now()
        if self.index.loaded and self._refreshed_at is not None and now - self._refreshed_at < REFRESH_EVERY:
            return
        since = self.index.delta_since() if self.index.loaded else None
        base = soql.F("SystemModstamp") >= since if since is not None else None
        after: tuple[datetime, str] | None = None
        while True:
            items, after = yield from self._keyset(base, after, deleted=since is not None)
            for model in items:
                canonical = self._index(model)
                if canonical is not None and self.matches(canonical, str(model.id), wanted):
                    found[str(model.id)] = model
            if after is None:
                break
        self.index.loaded = True
        self._refreshed_at = now

    def _lookup(self, request: LookupRequest) -> Steps[list[RemoteRecord]]:
        pushed = (
            {k for k in request.keys if k.startswith("external_id:")} if self.external_id_field else set()
        )
        wanted = self.wants_index(request, pushed)
        found: dict[str, Any] = {}
        if wanted:
            yield from self._refresh(wanted, found)
            for kind, keys in wanted.items():
                for record_id in self.index.find(kind, keys):
                    found.setdefault(record_id, None)
        for record_id in request.ids:
            found.setdefault(record_id, None)
        missing = [i for i, m in found.items() if m is None]
        externals = sorted({k for kind in pushed for k in request.keys.get(kind, ())})
        for model in (yield from self._by_ids(missing, externals)):
            found[str(model.id)] = model
        out = []
        for record_id, model in found.items():
            if model is None:
                self.index.drop(record_id)
                continue
            self.remember(record_id, model)
            out.append(self.remote(model))
        return out

    # --- target: writes --------------------------------------------------------------------

    def _write(self, ops: Sequence[WriteOp]) -> Steps[list[WriteResult]]:
        started = self.now()
        if self.shared is not None:  # what the run read of these records is older than this write
            self.shared.forget(self.sobject, [str(op.target_id) for op in ops if op.target_id])
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
        field = self.external_id_field
        threshold = self.bulk_threshold
        if creates:
            bodies = [b for _, b in creates]
            if field:
                saved = yield Do(lambda c: self._res(c).upsert_many(field, bodies, bulk_threshold=threshold))
            else:
                saved = yield Do(lambda c: self._res(c).create_many(bodies, bulk_threshold=threshold))
            for (n, _), result in zip(creates, saved, strict=True):
                results[n] = self._saved(ops[n], result)
        if updates:
            bodies = [b for _, b in updates]
            saved = yield Do(lambda c: self._res(c).update_many(bodies))
            for (n, _), result in zip(updates, saved, strict=True):
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


# --- the reads of one run, shared ---------------------------------------------------------

SHARED_MAX_ROWS: Final = 20_000
"""Records one :class:`SharedReads` holds at most (ten full Salesforce pages)."""

_Position = tuple[datetime, str]


def _position(model: Any) -> _Position:
    stamp = model.system_modstamp
    stamp = stamp.astimezone(timezone.utc) if stamp is not None else datetime.min.replace(tzinfo=timezone.utc)
    return stamp, str(model.id)


@attrs.define
class _Table:
    """Every row of one sObject, in keyset order, as one complete read returned them."""

    deleted: bool
    """Read through ``/queryAll``: the deleted rows are in it (a ``/query`` table has live rows only)."""
    rows: list[Any] = attrs.field(factory=list)
    end: _Position | None = None
    complete: bool = False
    index: dict[str, int] = attrs.field(factory=dict)

    def add(self, items: Sequence[Any]) -> None:
        for model in items:
            self.index[str(model.id)] = len(self.rows)
            self.rows.append(model)


@attrs.define
class _Bucket:
    """What one sObject's reads returned."""

    statements: dict[tuple[str, bool], tuple[list[Any], _Position | None]] = attrs.field(factory=dict)
    table: _Table | None = None
    by_id: dict[str, Any] = attrs.field(factory=dict)
    held: int = 0

    def index(self, rows: Iterable[Any]) -> None:
        for model in rows:
            self.by_id[str(model.id)] = model


_USER_RELATIONS: Final = frozenset({"owner", "createdby", "lastmodifiedby"})
"""Relationships to ``User``, which no flow writes."""


class SharedReads:
    """The Salesforce reads of one run, shared by its adapters so that no record is asked for twice.

    A recipe runs several flows over the same sObjects: ``leads_to_connectwise`` reads every ``Lead``
    three times (lead companies, open leads, converted leads) and looks four of them up again for the
    write-back; ``accounts_and_contacts`` reads every ``Account`` as a source, again to load its target
    index, again by id for the records it updates and by external id for the ones it creates. The
    platform minimum (issue 18) reads each record once. This is that memory, for one run:

    - every adapter that joins it reads its sObject with one field list (the union of theirs), so
      their statements are the same text;
    - a statement answered once is answered again from memory (its rows, and whether a page followed);
    - a record any read returned is not asked for again by ``Id``;
    - a complete read of an sObject with no condition (every keyset page of ``SELECT ... FROM X``, from
      the first page to the last: a source's first read through ``/queryAll``, deleted rows included,
      or a target's index load through ``/query``) is the *table*: later reads of it with no condition
      (any page), by ``Id``, by an external-id field and by a parent field (``AccountId IN (...)``)
      are answered from it, as Salesforce would have answered them at the time of that read (deleted
      rows only from a ``/queryAll`` table);
    - a write through a member (create, upsert, update, delete) forgets the statements and the table
      of its sObject and the records it wrote, and everything of every sObject whose rows reach it
      through a relationship (``Account.Name`` of a Contact): what the write changed is read again
      from Salesforce (settling a write always asks the platform).

    The answers are as fresh as the run's first read of them, never older: a record another user changes
    during the run is read at its new ``SystemModstamp`` by the next run (watermarks come from the
    records, not from the clock). It holds at most ``max_rows`` records; past that it keeps no more, and
    the reads it cannot answer go to Salesforce as before. Make one per run (a recipe's ``flows()`` does):
    it is not a cache across runs.

    Args:
        max_rows: Records held at most; reads past it go to Salesforce.

    Attributes:
        served: Reads answered from memory (each would have been one ``GET /query`` or more).
    """

    def __init__(self, *, max_rows: int = SHARED_MAX_ROWS) -> None:
        self.max_rows = max_rows
        self.served = 0
        self._members: dict[str, list[Any]] = {}
        self._buckets: dict[str, _Bucket] = {}

    def __repr__(self) -> str:
        held = sum(b.held for b in self._buckets.values())
        return f"<SharedReads {sorted(self._members)} held={held} served={self.served}>"

    # --- members ---------------------------------------------------------------------------

    def join(self, adapter: Any) -> None:
        """Read ``adapter``'s sObject with the union of every member's field list."""
        members = self._members.setdefault(adapter.sobject.lower(), [])
        members.append(adapter)
        fields = tuple(dict.fromkeys(f for m in members for f in m.fields))
        for member in members:
            member.fields = fields

    def members(self, sobject: str) -> Sequence[Any]:
        """The adapters of ``sobject`` that joined."""
        return self._members.get(sobject.lower(), ())

    def reads(self, sobject: str, field: str) -> bool:
        """Whether the members of ``sobject`` read ``field``."""
        members = self.members(sobject)
        return bool(members) and field.lower() in {f.lower() for f in members[0].fields}

    def forget(self, sobject: str | None = None, ids: Iterable[str] | None = None) -> None:
        """A member writes ``sobject`` (``None``: anything): what was read of it is not answered
        again (with ``ids``, the records written: the others read by ``Id`` still are, since the
        write did not change them), nor anything of an sObject whose field list reaches it through
        a relationship (``Account.Name`` of a Contact; a relationship this cannot name, a custom
        ``X__r``, counts as reaching it). Relationships to ``User`` (``Owner.Name``) never do: no
        flow writes users."""
        if sobject is None:
            self._buckets.clear()
            return
        written = sobject.lower()
        for name in list(self._buckets):
            if name != written and self._reaches(name, written):
                del self._buckets[name]
        bucket = self._buckets.get(written)
        if bucket is None:
            return
        if ids is None:
            del self._buckets[written]
            return
        bucket.statements.clear()
        bucket.table = None
        for record_id in ids:
            bucket.by_id.pop(record_id, None)
        bucket.held = len(bucket.by_id)

    def _reaches(self, sobject: str, written: str) -> bool:
        for field in self.members(sobject)[0].fields if self.members(sobject) else ():
            head, dot, _ = field.lower().partition(".")
            if not dot or head in _USER_RELATIONS:
                continue
            target = sobject if head == "parent" else head
            if target == written or head.endswith("__r"):
                return True
        return False

    def _bucket(self, sobject: str) -> _Bucket:
        return self._buckets.setdefault(sobject.lower(), _Bucket())

    def _room(self, bucket: _Bucket, rows: int) -> bool:
        if sum(b.held for b in self._buckets.values()) + rows > self.max_rows:
            return False
        bucket.held += rows
        return True

    # --- statements --------------------------------------------------------------------------

    def answer(
        self, sobject: str, statement: str, deleted: bool
    ) -> tuple[list[Any], _Position | None] | None:
        """The rows of a statement read before in this run, and the keyset position after them
        (``None``: the last page, or a statement read whole)."""
        bucket = self._buckets.get(sobject.lower())
        found = bucket.statements.get((statement, deleted)) if bucket is not None else None
        if found is not None:
            self.served += 1
        return found

    def keep(
        self, sobject: str, statement: str, deleted: bool, rows: list[Any], after: _Position | None
    ) -> None:
        """Remember a statement's rows (and the keyset position after them)."""
        bucket = self._bucket(sobject)
        if (statement, deleted) not in bucket.statements and self._room(bucket, len(rows)):
            bucket.statements[statement, deleted] = (rows, after)
            bucket.index(rows)

    def held(self, sobject: str, ids: Iterable[str], deleted: bool) -> tuple[list[Any], list[str]]:
        """The records of ``ids`` any read of this run returned (live ones, unless ``deleted``: a
        deleted one is known not to be live), and the ids no read returned."""
        bucket = self._buckets.get(sobject.lower())
        by_id = bucket.by_id if bucket is not None else {}
        found: list[Any] = []
        missing: list[str] = []
        for record_id in ids:
            model = by_id.get(record_id)
            if model is None:
                missing.append(record_id)
            elif deleted or not model.is_deleted:
                found.append(model)
        return found, missing

    # --- the table of an sObject ---------------------------------------------------------------

    def _table(self, sobject: str, deleted: bool) -> _Table | None:
        bucket = self._buckets.get(sobject.lower())
        table = bucket.table if bucket is not None else None
        if table is None or not table.complete or (deleted and not table.deleted):
            return None
        return table

    def table_page(
        self, sobject: str, after: _Position | None, deleted: bool, size: int
    ) -> tuple[list[Any], _Position | None] | None:
        """A keyset page of every row (``deleted``: tombstones too) after ``after``, from the table."""
        table = self._table(sobject, deleted)
        if table is None:
            return None
        start = 0
        if after is not None:
            at = table.index.get(after[1])
            if at is None or _position(table.rows[at]) != after:
                return None
            start = at + 1
        items: list[Any] = []
        for model in table.rows[start:]:
            if deleted or not model.is_deleted:
                items.append(model)
                if len(items) > size:
                    break
        self.served += 1
        if len(items) > size:
            return items[:size], _position(items[size - 1])
        return items, None

    def table_rows(self, sobject: str, field: str, values: Iterable[str], deleted: bool) -> list[Any] | None:
        """The rows whose ``field`` (``Id``, an external id, a parent id) holds one of ``values``."""
        table = self._table(sobject, deleted)
        if table is None:
            return None
        wanted = set(values)
        self.served += 1
        if field.lower() == "id":
            found: Iterable[Any] = (table.rows[table.index[v]] for v in wanted if v in table.index)
        else:
            found = (m for m in table.rows if _raw(m, field) in wanted)
        return [m for m in found if deleted or not m.is_deleted]

    def feed_table(
        self,
        sobject: str,
        after: _Position | None,
        items: Sequence[Any],
        end: _Position | None,
        *,
        deleted: bool,
    ) -> None:
        """One keyset page of ``SELECT ... FROM X`` (no condition) through ``/queryAll``
        (``deleted``) or ``/query``: the table grows page by page while the pages follow each
        other, and is complete at the last one. A complete table is kept (one through ``/queryAll``
        answers more: it replaces a ``/query`` one)."""
        bucket = self._bucket(sobject)
        table = bucket.table
        if after is None:
            if table is not None and table.complete and (table.deleted or not deleted):
                return
            if table is not None:
                bucket.held -= len(table.rows)
            table = bucket.table = _Table(deleted=deleted)
        elif table is None or table.complete or table.end != after or table.deleted != deleted:
            return
        if not self._room(bucket, len(items)):
            bucket.held -= len(table.rows)
            bucket.table = None
            return
        table.add(items)
        bucket.index(items)
        table.end = end
        table.complete = end is None


def _raw(model: Any, field: str) -> str | None:
    raw = getattr(model, "raw", None) or {}
    for key, value in raw.items():
        if key.lower() == field.lower():
            return None if value is None else str(value)
    return None
