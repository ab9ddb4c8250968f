"""Lazy typed paginators driven by a pure "what is the next request?" function (STYLE R15-R16).

A vendor describes paging with a first ``Call[Page[T]]`` and ``next_call(prev_call, page)``, which
returns the next call or ``None``. :class:`Paginator` and :class:`AsyncPaginator` share that state
machine; they only differ by ``await``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from html import escape as html_escape
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs

from msplink._core._call import Call
from msplink._core._frames import RecordList, to_pandas
from msplink._core._progress import ProgressBar, progress_bar
from msplink.errors import APIError, ConfigurationError, ErrorDetail

if TYPE_CHECKING:
    from msplink._core._executor import AsyncExecutor, SyncExecutor

__all__ = ["AsyncPaginator", "NextCall", "Page", "Paginator"]

T = TypeVar("T")


@attrs.frozen(kw_only=True)
class Page(Generic[T]):
    """One page of results.

    Attributes:
        items: The records of this page.
        next_cursor: An opaque, checkpointable cursor for the page after this one (a page number, a
            ``pageId``, a ``STARTPOSITION``, a ``nextRecordsUrl``), or ``None`` on the last page.
        total: The total count when the vendor reports it.
        raw: Vendor paging data (Link header, ``done`` flag ...), for the next-call function.
    """

    items: Sequence[T]
    next_cursor: str | None = None
    total: int | None = None
    raw: Any = attrs.field(default=None, eq=False, repr=False)


NextCall = Callable[[Call[Page[T]], Page[T]], "Call[Page[T]] | None"]


def _cursor_key(call: Call[Any]) -> tuple[str, str, tuple[tuple[str, str], ...], object, bytes | None]:
    params = tuple(sorted((k, v if isinstance(v, str) else ",".join(v)) for k, v in call.params.items()))
    return call.method.upper(), call.path, params, repr(call.json), call.content


class _CursorGuard:
    """Refuses to request the same page twice: a server that hands back a cursor already followed
    would otherwise make the walk loop forever (or return records twice)."""

    def __init__(self, platform: str) -> None:
        self._platform = platform
        self._seen: set[tuple[str, str, tuple[tuple[str, str], ...], object, bytes | None]] = set()

    def check(self, call: Call[Any]) -> None:
        key = _cursor_key(call)
        if key in self._seen:
            detail = ErrorDetail(code="repeated_cursor", message="the server returned a page cursor twice")
            raise APIError(
                platform=self._platform,
                status_code=0,
                method=call.method.upper(),
                path=call.template,
                errors=(detail,),
            )
        self._seen.add(key)


def _check_limit(limit: int | None) -> None:
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise ConfigurationError(f"limit must be a non-negative integer, got {limit!r}")


def _describe(platform: str, call: Call[Any], limit: int | None) -> str:
    cap = f", limit={limit}" if limit is not None else ""
    return f"{platform} {call.method.upper()} {call.template}{cap}"


def _count(bar: ProgressBar | None, page: Page[Any], limit: int | None) -> None:
    if bar is None:
        return
    if page.total is not None:
        bar.set_total(min(page.total, limit) if limit is not None else page.total)
    bar.update(len(page.items))


class Paginator(Generic[T]):
    """Iterates every record of every page, lazily; ``limit=`` caps the number of records.

    Nothing is fetched until iteration starts. ``pages()`` yields whole pages (with their cursors)
    for checkpointing. ``to_list()`` and ``to_pandas()`` read everything, with a tqdm bar when
    ``progress=True``; in Jupyter a paginator shows what it would read, not the records (showing
    them would make requests).
    """

    def __init__(
        self,
        executor: SyncExecutor,
        first: Call[Page[T]],
        next_call: NextCall[T],
        *,
        limit: int | None = None,
    ) -> None:
        _check_limit(limit)
        self._executor = executor
        self._first = first
        self._next_call = next_call
        self.limit = limit

    def pages(self) -> Iterator[Page[T]]:
        """Yield the pages one by one (the last one trimmed to ``limit``)."""
        call: Call[Page[T]] | None = self._first
        remaining = self.limit
        guard = _CursorGuard(self._executor.platform.name)
        while call is not None and (remaining is None or remaining > 0):
            guard.check(call)
            page = self._executor.execute(call)
            if remaining is not None:
                if len(page.items) >= remaining:
                    yield attrs.evolve(page, items=list(page.items)[:remaining])
                    return
                remaining -= len(page.items)
            yield page
            call = self._next_call(call, page)

    def __iter__(self) -> Iterator[T]:
        for page in self.pages():
            yield from page.items

    def iter(self, *, progress: bool = False) -> Iterator[T]:
        """Iterate every record, with a tqdm progress bar when ``progress`` (the ``progress`` extra).

        Raises:
            ConfigurationError: ``progress`` is set and tqdm is not installed.
        """
        with progress_bar(progress, desc=self._desc()) as bar:
            for page in self.pages():
                _count(bar, page, self.limit)
                yield from page.items

    def to_list(self, *, progress: bool = False) -> RecordList[T]:
        """Fetch everything (up to ``limit``) into a list (a :class:`~msplink.RecordList`: a table in
        Jupyter, ``to_pandas()``); ``progress=True`` shows a tqdm bar while reading."""
        return RecordList(self.iter(progress=progress))

    def to_pandas(self, *, progress: bool = False) -> Any:
        """Fetch everything (up to ``limit``) into a ``pandas.DataFrame``, one row per record, with
        proper dtypes (money ``float64`` where exact, aware datetimes ``datetime64[ns, UTC]``;
        see :func:`msplink.to_pandas`). Needs the ``pandas`` extra."""
        return to_pandas(self.iter(progress=progress))

    def first(self) -> T | None:
        """The first record, or ``None``; fetches one page at most."""
        for item in self:
            return item
        return None

    def _desc(self) -> str:
        return f"{self._executor.platform.name} {self._first.template}"

    def __repr__(self) -> str:
        return f"<Paginator {_describe(self._executor.platform.name, self._first, self.limit)}>"

    def _repr_html_(self) -> str:
        return f"<p><code>{html_escape(repr(self))}</code> (iterate, <code>to_list()</code> or <code>to_pandas()</code> to read)</p>"


class AsyncPaginator(Generic[T]):
    """The async twin of :class:`Paginator` (``async for``)."""

    def __init__(
        self,
        executor: AsyncExecutor,
        first: Call[Page[T]],
        next_call: NextCall[T],
        *,
        limit: int | None = None,
    ) -> None:
        _check_limit(limit)
        self._executor = executor
        self._first = first
        self._next_call = next_call
        self.limit = limit

    async def pages(self) -> AsyncIterator[Page[T]]:
        """Yield the pages one by one (the last one trimmed to ``limit``)."""
        call: Call[Page[T]] | None = self._first
        remaining = self.limit
        guard = _CursorGuard(self._executor.platform.name)
        while call is not None and (remaining is None or remaining > 0):
            guard.check(call)
            page = await self._executor.execute(call)
            if remaining is not None:
                if len(page.items) >= remaining:
                    yield attrs.evolve(page, items=list(page.items)[:remaining])
                    return
                remaining -= len(page.items)
            yield page
            call = self._next_call(call, page)

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.pages():
            for item in page.items:
                yield item

    async def iter(self, *, progress: bool = False) -> AsyncIterator[T]:
        """Iterate every record, with a tqdm progress bar when ``progress`` (the ``progress`` extra).

        Raises:
            ConfigurationError: ``progress`` is set and tqdm is not installed.
        """
        with progress_bar(progress, desc=self._desc()) as bar:
            async for page in self.pages():
                _count(bar, page, self.limit)
                for item in page.items:
                    yield item

    async def to_list(self, *, progress: bool = False) -> RecordList[T]:
        """Fetch everything (up to ``limit``) into a :class:`~msplink.RecordList`; ``progress=True``
        shows a tqdm bar while reading."""
        return RecordList([item async for item in self.iter(progress=progress)])

    async def to_pandas(self, *, progress: bool = False) -> Any:
        """Fetch everything (up to ``limit``) into a ``pandas.DataFrame`` (see :meth:`Paginator.to_pandas`)."""
        return to_pandas(await self.to_list(progress=progress))

    async def first(self) -> T | None:
        """The first record, or ``None``; fetches one page at most."""
        async for item in self:
            return item
        return None

    def _desc(self) -> str:
        return f"{self._executor.platform.name} {self._first.template}"

    def __repr__(self) -> str:
        return f"<AsyncPaginator {_describe(self._executor.platform.name, self._first, self.limit)}>"

    def _repr_html_(self) -> str:
        return f"<p><code>{html_escape(repr(self))}</code> (<code>await to_list()</code> or <code>await to_pandas()</code> to read)</p>"
