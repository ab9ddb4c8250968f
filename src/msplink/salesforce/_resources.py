"""Resource shells, sync and async twins: every method is one line over a call builder or a plan.

``SObjects`` (``client.accounts`` ... and ``client.sobject("X__c")``), ``Collections``
(``/composite/sobjects``) and ``Composite`` (``/composite``); ``Bulk`` (Bulk API 2.0) is in
:mod:`msplink.salesforce._bulk`. The logic lives in
:mod:`msplink.salesforce._calls` (one request) and :mod:`msplink.salesforce._plans` (several).
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Mapping, MutableMapping, Sequence
from datetime import datetime
from typing import Any, Generic, TypeVar

from msplink._core import AsyncExecutor, AsyncPaginator, Paginator, SyncExecutor
from msplink.errors import QueryError
from msplink.salesforce import _calls as calls
from msplink.salesforce import _plans as plans
from msplink.salesforce import _queries as queries
from msplink.salesforce import soql
from msplink.salesforce._bulk import AsyncBulk, Bulk
from msplink.salesforce.models import (
    CompositeSubrequest,
    CompositeSubresponse,
    DeletedResult,
    Record,
    SaveResult,
    SObject,
    SObjectDescribe,
    UpdatedResult,
)

__all__ = [
    "DEFAULT_BULK_THRESHOLD",
    "AsyncCollections",
    "AsyncComposite",
    "AsyncSObjects",
    "Collections",
    "Composite",
    "SObjects",
]

DEFAULT_BULK_THRESHOLD = 2000
"""Above this many records, ``create_many`` / ``upsert_many`` use Bulk API 2.0 instead of Collections."""

_M = TypeVar("_M")

Fields = Sequence[str | soql.Query]
Where = soql.Condition | str
OrderBy = Sequence[str | soql.F] | str
Records = Sequence[SObject | Mapping[str, Any]]


def _statement(sobject: str, statement: str | soql.Query) -> str:
    named = statement.sobject if isinstance(statement, soql.Query) else None
    if named is not None and named.lower() != sobject.lower():
        raise QueryError(f"this resource queries {sobject}, not {named}")
    return str(statement)


# ================================================================================================ sync


class Collections:
    """sObject Collections (``/composite/sobjects``): 200 records per chunk, chunked for you, five
    chunks to a ``POST /composite`` call (one API call per 1,000 records; one chunk alone is the
    plain collection call).

    Every answer must hold one result per record (else :class:`~msplink.errors.APIError`
    ``result_count_mismatch``); records refused with ``UNABLE_TO_LOCK_ROW`` are resent.
    """

    def __init__(self, executor: SyncExecutor, version: str) -> None:
        self._x = executor
        self._v = version

    def create(
        self, records: Records, *, sobject: str | None = None, all_or_none: bool = False
    ) -> builtins.list[SaveResult]:
        """Create records (POST /composite/sobjects), per-record results in order."""
        return self._x.run(
            plans.create_records(
                self._v, records, sobject=sobject, all_or_none=all_or_none, retry=self._x.retry
            )
        )

    def update(
        self, records: Records, *, sobject: str | None = None, all_or_none: bool = False
    ) -> builtins.list[SaveResult]:
        """Update records by Id (PATCH /composite/sobjects)."""
        return self._x.run(
            plans.update_records(
                self._v, records, sobject=sobject, all_or_none=all_or_none, retry=self._x.retry
            )
        )

    def upsert(
        self, sobject: str, field: str, records: Records, *, all_or_none: bool = False
    ) -> builtins.list[SaveResult]:
        """Upsert by external id (PATCH /composite/sobjects/{type}/{field}); ``created`` per record."""
        return self._x.run(
            plans.upsert_records(
                self._v, sobject, field, records, all_or_none=all_or_none, retry=self._x.retry
            )
        )

    def delete(self, ids: Sequence[str], *, all_or_none: bool = False) -> builtins.list[SaveResult]:
        """Delete records (DELETE /composite/sobjects?ids=...); records already deleted are reported deleted."""
        return self._x.run(plans.delete_records(self._v, ids, all_or_none=all_or_none, retry=self._x.retry))

    def retrieve(
        self, sobject: str, ids: Sequence[str], *, fields: Sequence[str]
    ) -> builtins.list[Record | None]:
        """Fetch records by id (POST /composite/sobjects/{type}), 2,000 per call; ``None`` for missing ids."""
        return self._x.run(plans.retrieve(self._v, sobject, ids, fields, calls.raw_record))


class Composite:
    """Composite requests (``POST /composite``): up to 25 chained subrequests in one API call."""

    def __init__(self, executor: SyncExecutor, version: str) -> None:
        self._x = executor
        self._v = version

    def execute(
        self, subrequests: Sequence[CompositeSubrequest], *, all_or_none: bool = False, collate: bool = False
    ) -> builtins.list[CompositeSubresponse]:
        """Run subrequests (POST /composite); ``@{ref.id}`` references earlier results.

        Returns:
            One subresponse per subrequest, in the order given.

        Raises:
            APIError: ``result_count_mismatch`` when the answer does not hold every referenceId once.
        """
        return self._x.execute(calls.composite(self._v, subrequests, all_or_none, collate))


class SObjects(Generic[_M]):
    """One sObject type: ``client.accounts``, ``client.contacts`` ... or ``client.sobject("X__c")``."""

    def __init__(
        self,
        executor: SyncExecutor,
        version: str,
        sobject: str,
        parse: Callable[[Mapping[str, Any]], _M],
        fields: Sequence[str],
        *,
        bulk: Bulk,
        describes: MutableMapping[str, SObjectDescribe],
    ) -> None:
        self._x = executor
        self._v = version
        self.sobject = soql.check_identifier(sobject)
        self._parse = parse
        self.default_fields = tuple(fields)
        self._bulk = bulk
        self._describes = describes

    def __repr__(self) -> str:
        return f"<{type(self).__name__} salesforce {self.sobject}>"

    def get(self, record_id: str, /, *, fields: Sequence[str] | None = None) -> _M:
        """Fetch one record (GET /sobjects/{type}/{id})."""
        return self._x.execute(calls.get_record(self._v, self.sobject, record_id, self._parse, fields))

    def get_by_external_id(self, field: str, value: str, /, *, fields: Sequence[str] | None = None) -> _M:
        """Fetch one record by external id (GET /sobjects/{type}/{field}/{value}).

        Raises:
            MultipleMatchesError: Several records match (HTTP 300).
            NotFoundError: No record or no such field.
        """
        return self._x.execute(
            calls.get_by_external_id(self._v, self.sobject, field, value, self._parse, fields)
        )

    def create(self, record: SObject | Mapping[str, Any], /) -> SaveResult:
        """Create one record (POST /sobjects/{type}); never replayed (a lost answer raises TransportError)."""
        return self._x.execute(calls.create(self._v, self.sobject, record))

    def update(self, record_id: str, values: SObject | Mapping[str, Any], /) -> None:
        """Update fields of one record (PATCH /sobjects/{type}/{id}); ``None`` in a mapping clears."""
        self._x.execute(calls.update(self._v, self.sobject, record_id, values))

    def delete(self, record_id: str, /) -> None:
        """Delete one record (DELETE /sobjects/{type}/{id}); a record already deleted is no error
        (a replay after a lost answer is told ``ENTITY_IS_DELETED``)."""
        self._x.run(plans.delete_record(self._v, self.sobject, record_id))

    def upsert(self, field: str, value: str, record: SObject | Mapping[str, Any], /) -> SaveResult:
        """Insert or update by external id (PATCH /sobjects/{type}/{field}/{value}).

        Returns:
            The result; ``created`` tells insert (201) from update (200).

        Raises:
            MultipleMatchesError: The value matched several records (HTTP 300).
            NotFoundError: The field is not an external id field (HTTP 404).
        """
        return self._x.execute(calls.upsert(self._v, self.sobject, field, value, record))

    def list(
        self,
        *,
        where: Where | None = None,
        order_by: OrderBy | None = None,
        fields: Fields | None = None,
        limit: int | None = None,
        page_size: int | None = None,
        include_deleted: bool = False,
    ) -> Paginator[_M]:
        """Every matching record, lazily (GET /query or /queryAll ``SELECT <fields> FROM <type> ...``),
        following ``nextRecordsUrl`` (child subqueries' own first).

        Args:
            where: A :mod:`~msplink.salesforce.soql` condition, or a SOQL condition string (checked
                by :func:`~msplink.salesforce.soql.condition` before any I/O).
            order_by: ``ORDER BY`` terms (``"Name"``, ``F("Name").desc()``).
            fields: The select list (default: the model's standard fields; subqueries allowed).
            limit: Stop after this many records.
            page_size: Records per page, 200..2,000 (``Sforce-Query-Options: batchSize``; a hint).
            include_deleted: Query ``/queryAll`` (deleted and archived rows too).

        Raises:
            QueryError: A field, condition or ORDER BY term is invalid (before any I/O).
        """
        return Paginator(
            self._x,
            calls.query(
                self._v,
                calls.list_statement(self.sobject, fields or self.default_fields, where, order_by),
                self._parse,
                include_deleted=include_deleted,
                page_size=page_size,
            ),
            calls.next_query,
            limit=limit,
        )

    def query(
        self,
        statement: str | soql.Query,
        /,
        *,
        include_deleted: bool = False,
        limit: int | None = None,
        page_size: int | None = None,
    ) -> Paginator[_M]:
        """Run a whole SOQL statement on this type, lazily (GET /query or /queryAll); rows are parsed
        as this resource's records.

        Raises:
            QueryError: The statement is invalid, or a built query names another object (before any I/O).
        """
        return Paginator(
            self._x,
            calls.query(
                self._v,
                _statement(self.sobject, statement),
                self._parse,
                include_deleted=include_deleted,
                page_size=page_size,
            ),
            calls.next_query,
            limit=limit,
        )

    def query_many(
        self, statements: Sequence[str | soql.Query], /, *, include_deleted: bool = False
    ) -> builtins.list[builtins.list[_M]]:
        """Every row of each statement, five statements to a ``POST /composite`` call (one API call;
        a statement may be up to 100,000 characters, past a GET URI's 16 KB), each followed by
        ``nextRecordsUrl``; one row list per statement, in order.

        Raises:
            QueryError: A statement is invalid or names another object (before any I/O).
        """
        return self._x.run(
            queries.query_many(
                self._v,
                [_statement(self.sobject, s) for s in statements],
                self._parse,
                include_deleted=include_deleted,
            )
        )

    def count(self, *, where: Where | None = None) -> int:
        """Count records (GET /query ``SELECT COUNT() FROM <type> [WHERE ...]``)."""
        return self._x.execute(
            calls.query(
                self._v, calls.list_statement(self.sobject, ["COUNT()"], where, None), calls.raw_record
            ).with_parse(calls.count_parser)
        )

    def updated(self, start: datetime, end: datetime) -> UpdatedResult:
        """Ids changed in a window (GET /sobjects/{type}/updated, at most 30 days back)."""
        return self._x.execute(calls.updated(self._v, self.sobject, start, end))

    def deleted(self, start: datetime, end: datetime) -> DeletedResult:
        """Records deleted in a window (GET /sobjects/{type}/deleted, at most 15 days back)."""
        return self._x.execute(calls.deleted(self._v, self.sobject, start, end))

    def cached_describe(self) -> SObjectDescribe | None:
        """This type's describe if the client holds it already (no call), else ``None``."""
        return self._describes.get(self.sobject.lower())

    def multi_currency(self) -> bool | None:
        """Whether the org has multiple currencies, as the describes the client holds tell (no
        call): see :func:`~msplink.salesforce._plans.multi_currency`."""
        return plans.multi_currency(self._describes.values())

    def describe(self, *, refresh: bool = False) -> SObjectDescribe:
        """Describe this type, cached per client (GET /sobjects/{type}/describe)."""
        return self._x.run(plans.describe(self._v, self.sobject, self._describes, refresh))

    def retrieve(
        self, ids: Sequence[str], /, *, fields: Sequence[str] | None = None
    ) -> builtins.list[_M | None]:
        """Fetch records by id, 2,000 per call (POST /composite/sobjects/{type}); missing ids give ``None``.

        Raises:
            APIError: ``result_count_mismatch`` when an answer does not hold one entry per id.
        """
        return self._x.run(
            plans.retrieve(self._v, self.sobject, ids, fields or self.default_fields, self._parse)
        )

    def create_many(
        self, records: Records, /, *, all_or_none: bool = False, bulk_threshold: int = DEFAULT_BULK_THRESHOLD
    ) -> builtins.list[SaveResult]:
        """Create records: sObject Collections (POST /composite/sobjects, 200 per chunk, five chunks per
        ``POST /composite`` call; the async client sends the calls concurrently up to its rate limit), or a Bulk 2.0 insert job above
        ``bulk_threshold`` records. Results are in input order."""
        return self._x.run(
            plans.create_many(
                self._v,
                self.sobject,
                records,
                all_or_none=all_or_none,
                bulk_threshold=bulk_threshold,
                max_upload_bytes=self._bulk.max_upload_bytes,
                retry=self._x.retry,
            )
        )

    def update_many(self, records: Records, /, *, all_or_none: bool = False) -> builtins.list[SaveResult]:
        """Update records by Id (PATCH /composite/sobjects, 200 per chunk, five chunks per ``POST /composite`` call)."""
        return self._x.run(
            plans.update_records(
                self._v, records, sobject=self.sobject, all_or_none=all_or_none, retry=self._x.retry
            )
        )

    def upsert_many(
        self,
        field: str,
        records: Records,
        /,
        *,
        all_or_none: bool = False,
        bulk_threshold: int = DEFAULT_BULK_THRESHOLD,
    ) -> builtins.list[SaveResult]:
        """Upsert by external id: Collections (PATCH /composite/sobjects/{type}/{field}, 200 per chunk,
        five chunks per ``POST /composite`` call; the async client sends the calls concurrently up to its rate limit), or a Bulk 2.0 upsert job
        above ``bulk_threshold`` records. Results are in input order."""
        return self._x.run(
            plans.upsert_many(
                self._v,
                self.sobject,
                field,
                records,
                all_or_none=all_or_none,
                bulk_threshold=bulk_threshold,
                max_upload_bytes=self._bulk.max_upload_bytes,
                retry=self._x.retry,
            )
        )

    def save_many(
        self,
        *,
        creates: Records = (),
        updates: Records = (),
        external_id_field: str | None = None,
        all_or_none: bool = False,
        bulk_threshold: int = DEFAULT_BULK_THRESHOLD,
    ) -> tuple[builtins.list[SaveResult], builtins.list[SaveResult]]:
        """Create (or upsert by ``external_id_field``) and update records: chunks of 200 of both, five
        to a ``POST /composite`` call (one API call per 1,000 records); creates above ``bulk_threshold``
        through Bulk 2.0. Returns the creates' and the updates' results, each in input order."""
        return self._x.run(
            plans.save_many(
                self._v,
                self.sobject,
                creates=creates,
                updates=updates,
                external_id_field=external_id_field,
                all_or_none=all_or_none,
                bulk_threshold=bulk_threshold,
                max_upload_bytes=self._bulk.max_upload_bytes,
                retry=self._x.retry,
            )
        )

    def delete_many(self, ids: Sequence[str], /, *, all_or_none: bool = False) -> builtins.list[SaveResult]:
        """Delete records, 200 per call (DELETE /composite/sobjects); records already deleted are reported deleted."""
        return self._x.run(plans.delete_records(self._v, ids, all_or_none=all_or_none, retry=self._x.retry))


# =============================================================================================== async


class AsyncCollections:
    """The async twin of :class:`Collections`.

    sObject Collections (``/composite/sobjects``): 200 records per chunk, chunked for you, five
    chunks to a ``POST /composite`` call (one API call per 1,000 records; one chunk alone is the
    plain collection call).

    Every answer must hold one result per record (else :class:`~msplink.errors.APIError`
    ``result_count_mismatch``); records refused with ``UNABLE_TO_LOCK_ROW`` are resent.
    """

    def __init__(self, executor: AsyncExecutor, version: str) -> None:
        self._x = executor
        self._v = version

    async def create(
        self, records: Records, *, sobject: str | None = None, all_or_none: bool = False
    ) -> builtins.list[SaveResult]:
        """Create records (POST /composite/sobjects), per-record results in order."""
        return await self._x.run(
            plans.create_records(
                self._v, records, sobject=sobject, all_or_none=all_or_none, retry=self._x.retry
            )
        )

    async def update(
        self, records: Records, *, sobject: str | None = None, all_or_none: bool = False
    ) -> builtins.list[SaveResult]:
        """Update records by Id (PATCH /composite/sobjects)."""
        return await self._x.run(
            plans.update_records(
                self._v, records, sobject=sobject, all_or_none=all_or_none, retry=self._x.retry
            )
        )

    async def upsert(
        self, sobject: str, field: str, records: Records, *, all_or_none: bool = False
    ) -> builtins.list[SaveResult]:
        """Upsert by external id (PATCH /composite/sobjects/{type}/{field}); ``created`` per record."""
        return await self._x.run(
            plans.upsert_records(
                self._v, sobject, field, records, all_or_none=all_or_none, retry=self._x.retry
            )
        )

    async def delete(self, ids: Sequence[str], *, all_or_none: bool = False) -> builtins.list[SaveResult]:
        """Delete records (DELETE /composite/sobjects?ids=...); records already deleted are reported deleted."""
        return await self._x.run(
            plans.delete_records(self._v, ids, all_or_none=all_or_none, retry=self._x.retry)
        )

    async def retrieve(
        self, sobject: str, ids: Sequence[str], *, fields: Sequence[str]
    ) -> builtins.list[Record | None]:
        """Fetch records by id (POST /composite/sobjects/{type}), 2,000 per call; ``None`` for missing ids."""
        return await self._x.run(plans.retrieve(self._v, sobject, ids, fields, calls.raw_record))


class AsyncComposite:
    """The async twin of :class:`Composite`.

    Composite requests (``POST /composite``): up to 25 chained subrequests in one API call."""

    def __init__(self, executor: AsyncExecutor, version: str) -> None:
        self._x = executor
        self._v = version

    async def execute(
        self, subrequests: Sequence[CompositeSubrequest], *, all_or_none: bool = False, collate: bool = False
    ) -> builtins.list[CompositeSubresponse]:
        """Run subrequests (POST /composite); ``@{ref.id}`` references earlier results.

        Returns:
            One subresponse per subrequest, in the order given.

        Raises:
            APIError: ``result_count_mismatch`` when the answer does not hold every referenceId once.
        """
        return await self._x.execute(calls.composite(self._v, subrequests, all_or_none, collate))


class AsyncSObjects(Generic[_M]):
    """The async twin of :class:`SObjects`.

    One sObject type: ``client.accounts``, ``client.contacts`` ... or ``client.sobject("X__c")``."""

    def __init__(
        self,
        executor: AsyncExecutor,
        version: str,
        sobject: str,
        parse: Callable[[Mapping[str, Any]], _M],
        fields: Sequence[str],
        *,
        bulk: AsyncBulk,
        describes: MutableMapping[str, SObjectDescribe],
    ) -> None:
        self._x = executor
        self._v = version
        self.sobject = soql.check_identifier(sobject)
        self._parse = parse
        self.default_fields = tuple(fields)
        self._bulk = bulk
        self._describes = describes

    def __repr__(self) -> str:
        return f"<{type(self).__name__} salesforce {self.sobject}>"

    async def get(self, record_id: str, /, *, fields: Sequence[str] | None = None) -> _M:
        """Fetch one record (GET /sobjects/{type}/{id})."""
        return await self._x.execute(calls.get_record(self._v, self.sobject, record_id, self._parse, fields))

    async def get_by_external_id(
        self, field: str, value: str, /, *, fields: Sequence[str] | None = None
    ) -> _M:
        """Fetch one record by external id (GET /sobjects/{type}/{field}/{value}).

        Raises:
            MultipleMatchesError: Several records match (HTTP 300).
            NotFoundError: No record or no such field.
        """
        return await self._x.execute(
            calls.get_by_external_id(self._v, self.sobject, field, value, self._parse, fields)
        )

    async def create(self, record: SObject | Mapping[str, Any], /) -> SaveResult:
        """Create one record (POST /sobjects/{type}); never replayed (a lost answer raises TransportError)."""
        return await self._x.execute(calls.create(self._v, self.sobject, record))

    async def update(self, record_id: str, values: SObject | Mapping[str, Any], /) -> None:
        """Update fields of one record (PATCH /sobjects/{type}/{id}); ``None`` in a mapping clears."""
        await self._x.execute(calls.update(self._v, self.sobject, record_id, values))

    async def delete(self, record_id: str, /) -> None:
        """Delete one record (DELETE /sobjects/{type}/{id}); a record already deleted is no error
        (a replay after a lost answer is told ``ENTITY_IS_DELETED``)."""
        await self._x.run(plans.delete_record(self._v, self.sobject, record_id))

    async def upsert(self, field: str, value: str, record: SObject | Mapping[str, Any], /) -> SaveResult:
        """Insert or update by external id (PATCH /sobjects/{type}/{field}/{value}).

        Returns:
            The result; ``created`` tells insert (201) from update (200).

        Raises:
            MultipleMatchesError: The value matched several records (HTTP 300).
            NotFoundError: The field is not an external id field (HTTP 404).
        """
        return await self._x.execute(calls.upsert(self._v, self.sobject, field, value, record))

    def list(
        self,
        *,
        where: Where | None = None,
        order_by: OrderBy | None = None,
        fields: Fields | None = None,
        limit: int | None = None,
        page_size: int | None = None,
        include_deleted: bool = False,
    ) -> AsyncPaginator[_M]:
        """Every matching record, lazily (GET /query or /queryAll ``SELECT <fields> FROM <type> ...``),
        following ``nextRecordsUrl`` (child subqueries' own first).

        Args:
            where: A :mod:`~msplink.salesforce.soql` condition, or a SOQL condition string (checked
                by :func:`~msplink.salesforce.soql.condition` before any I/O).
            order_by: ``ORDER BY`` terms (``"Name"``, ``F("Name").desc()``).
            fields: The select list (default: the model's standard fields; subqueries allowed).
            limit: Stop after this many records.
            page_size: Records per page, 200..2,000 (``Sforce-Query-Options: batchSize``; a hint).
            include_deleted: Query ``/queryAll`` (deleted and archived rows too).

        Raises:
            QueryError: A field, condition or ORDER BY term is invalid (before any I/O).
        """
        return AsyncPaginator(
            self._x,
            calls.query(
                self._v,
                calls.list_statement(self.sobject, fields or self.default_fields, where, order_by),
                self._parse,
                include_deleted=include_deleted,
                page_size=page_size,
            ),
            calls.next_query,
            limit=limit,
        )

    def query(
        self,
        statement: str | soql.Query,
        /,
        *,
        include_deleted: bool = False,
        limit: int | None = None,
        page_size: int | None = None,
    ) -> AsyncPaginator[_M]:
        """Run a whole SOQL statement on this type, lazily (GET /query or /queryAll); rows are parsed
        as this resource's records.

        Raises:
            QueryError: The statement is invalid, or a built query names another object (before any I/O).
        """
        return AsyncPaginator(
            self._x,
            calls.query(
                self._v,
                _statement(self.sobject, statement),
                self._parse,
                include_deleted=include_deleted,
                page_size=page_size,
            ),
            calls.next_query,
            limit=limit,
        )

    async def query_many(
        self, statements: Sequence[str | soql.Query], /, *, include_deleted: bool = False
    ) -> builtins.list[builtins.list[_M]]:
        """Every row of each statement, five statements to a ``POST /composite`` call (one API call;
        a statement may be up to 100,000 characters, past a GET URI's 16 KB), each followed by
        ``nextRecordsUrl``; one row list per statement, in order.

        Raises:
            QueryError: A statement is invalid or names another object (before any I/O).
        """
        return await self._x.run(
            queries.query_many(
                self._v,
                [_statement(self.sobject, s) for s in statements],
                self._parse,
                include_deleted=include_deleted,
            )
        )

    async def count(self, *, where: Where | None = None) -> int:
        """Count records (GET /query ``SELECT COUNT() FROM <type> [WHERE ...]``)."""
        return await self._x.execute(
            calls.query(
                self._v, calls.list_statement(self.sobject, ["COUNT()"], where, None), calls.raw_record
            ).with_parse(calls.count_parser)
        )

    async def updated(self, start: datetime, end: datetime) -> UpdatedResult:
        """Ids changed in a window (GET /sobjects/{type}/updated, at most 30 days back)."""
        return await self._x.execute(calls.updated(self._v, self.sobject, start, end))

    async def deleted(self, start: datetime, end: datetime) -> DeletedResult:
        """Records deleted in a window (GET /sobjects/{type}/deleted, at most 15 days back)."""
        return await self._x.execute(calls.deleted(self._v, self.sobject, start, end))

    async def cached_describe(self) -> SObjectDescribe | None:
        """This type's describe if the client holds it already (no call), else ``None``."""
        return self._describes.get(self.sobject.lower())

    async def multi_currency(self) -> bool | None:
        """Whether the org has multiple currencies, as the describes the client holds tell (no
        call): see :func:`~msplink.salesforce._plans.multi_currency`."""
        return plans.multi_currency(self._describes.values())

    async def describe(self, *, refresh: bool = False) -> SObjectDescribe:
        """Describe this type, cached per client (GET /sobjects/{type}/describe)."""
        return await self._x.run(plans.describe(self._v, self.sobject, self._describes, refresh))

    async def retrieve(
        self, ids: Sequence[str], /, *, fields: Sequence[str] | None = None
    ) -> builtins.list[_M | None]:
        """Fetch records by id, 2,000 per call (POST /composite/sobjects/{type}); missing ids give ``None``.

        Raises:
            APIError: ``result_count_mismatch`` when an answer does not hold one entry per id.
        """
        return await self._x.run(
            plans.retrieve(self._v, self.sobject, ids, fields or self.default_fields, self._parse)
        )

    async def create_many(
        self, records: Records, /, *, all_or_none: bool = False, bulk_threshold: int = DEFAULT_BULK_THRESHOLD
    ) -> builtins.list[SaveResult]:
        """Create records: sObject Collections (POST /composite/sobjects, 200 per chunk, five chunks per
        ``POST /composite`` call; the async client sends the calls concurrently up to its rate limit), or a Bulk 2.0 insert job above
        ``bulk_threshold`` records. Results are in input order."""
        return await self._x.run(
            plans.create_many(
                self._v,
                self.sobject,
                records,
                all_or_none=all_or_none,
                bulk_threshold=bulk_threshold,
                max_upload_bytes=self._bulk.max_upload_bytes,
                retry=self._x.retry,
                concurrency=None,
            )
        )

    async def update_many(
        self, records: Records, /, *, all_or_none: bool = False
    ) -> builtins.list[SaveResult]:
        """Update records by Id (PATCH /composite/sobjects, 200 per chunk, five chunks per ``POST /composite`` call)."""
        return await self._x.run(
            plans.update_records(
                self._v, records, sobject=self.sobject, all_or_none=all_or_none, retry=self._x.retry
            )
        )

    async def upsert_many(
        self,
        field: str,
        records: Records,
        /,
        *,
        all_or_none: bool = False,
        bulk_threshold: int = DEFAULT_BULK_THRESHOLD,
    ) -> builtins.list[SaveResult]:
        """Upsert by external id: Collections (PATCH /composite/sobjects/{type}/{field}, 200 per chunk,
        five chunks per ``POST /composite`` call; the async client sends the calls concurrently up to its rate limit), or a Bulk 2.0 upsert job
        above ``bulk_threshold`` records. Results are in input order."""
        return await self._x.run(
            plans.upsert_many(
                self._v,
                self.sobject,
                field,
                records,
                all_or_none=all_or_none,
                bulk_threshold=bulk_threshold,
                max_upload_bytes=self._bulk.max_upload_bytes,
                retry=self._x.retry,
                concurrency=None,
            )
        )

    async def save_many(
        self,
        *,
        creates: Records = (),
        updates: Records = (),
        external_id_field: str | None = None,
        all_or_none: bool = False,
        bulk_threshold: int = DEFAULT_BULK_THRESHOLD,
    ) -> tuple[builtins.list[SaveResult], builtins.list[SaveResult]]:
        """Create (or upsert by ``external_id_field``) and update records: chunks of 200 of both, five
        to a ``POST /composite`` call (one API call per 1,000 records); creates above ``bulk_threshold``
        through Bulk 2.0. Returns the creates' and the updates' results, each in input order."""
        return await self._x.run(
            plans.save_many(
                self._v,
                self.sobject,
                creates=creates,
                updates=updates,
                external_id_field=external_id_field,
                all_or_none=all_or_none,
                bulk_threshold=bulk_threshold,
                max_upload_bytes=self._bulk.max_upload_bytes,
                retry=self._x.retry,
                concurrency=None,
            )
        )

    async def delete_many(
        self, ids: Sequence[str], /, *, all_or_none: bool = False
    ) -> builtins.list[SaveResult]:
        """Delete records, 200 per call (DELETE /composite/sobjects); records already deleted are reported deleted."""
        return await self._x.run(
            plans.delete_records(self._v, ids, all_or_none=all_or_none, retry=self._x.retry)
        )
