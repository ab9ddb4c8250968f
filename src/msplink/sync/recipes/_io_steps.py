"""Sources and targets of the finance recipes, written once for sync and async clients.

The payments, purchase-order and agreement recipes read and write records the generic adapters do not
(child collections such as invoice payments and purchase-order line items, recurring templates that
QuickBooks keeps out of ``/batch``). Each such source or target writes its six operations as generators
that *yield steps* and receive their results, like the adapters do:

- :class:`Call`: ``fn()`` (a client call, or a call of a wrapped adapter); the async driver awaits what
  it returns when that is awaitable;
- :class:`Items`: ``fn()`` returns a paginator; the result is the list of every item (the async driver
  iterates the async paginator);
- :class:`Page`: ``fn()`` returns a paginator; the result is its first page (``None`` if none): a
  source reads page on by the page's cursor, one step a page (memory stays one page);
- :class:`Many`: several calls; the result is a tuple with, per call, its value or the
  :class:`~msplink.errors.MsplinkError` it raised (the async driver runs them concurrently).

A :class:`~msplink.errors.MsplinkError` of a ``Call`` / ``Items`` step is thrown into the generator.
:class:`SyncOperations` and :class:`AsyncOperations` drive the same generators with :func:`drive` and
:func:`adrive`, so the logic exists once. Only public client methods are called (``cw.invoices.payments(
invoice_id).list()`` ...), and only public adapters are wrapped: a user can copy these classes.
"""

from __future__ import annotations

import abc
import asyncio
import inspect
from collections.abc import Callable, Generator, Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar

import attrs

from msplink.errors import MsplinkError
from msplink.sync import ChangePage, Intent, LookupRequest, RemoteRecord, WriteOp, WriteResult
from msplink.sync.adapters._base import first_page

__all__ = [
    "AsyncOperations",
    "Call",
    "Items",
    "Many",
    "Operations",
    "Page",
    "RecipeMapper",
    "Steps",
    "SyncOperations",
    "adrive",
    "drive",
    "every",
    "gather",
    "is_async_client",
    "merge_calls",
]

T = TypeVar("T")


@attrs.frozen
class Call:
    """A step: ``fn()``, awaited by the async driver when it returns an awaitable."""

    fn: Callable[[], Any]


@attrs.frozen
class Items:
    """A step: ``fn()`` returns a paginator (sync or async); the result is the list of its items."""

    fn: Callable[[], Any]


@attrs.frozen
class Page:
    """A step: ``fn()`` returns a paginator (sync or async); the result is its first page (``None`` if none)."""

    fn: Callable[[], Any]


@attrs.frozen
class Many:
    """A step: several calls; results (or the ``MsplinkError`` each raised) in order.

    Attributes:
        fns: The calls.
        concurrency: At most this many in flight on the async driver (the sync driver runs them in order).
    """

    fns: tuple[Callable[[], Any], ...]
    concurrency: int = 8


Step = Call | Items | Page | Many
Steps = Generator[Step, Any, T]


def every(fns: Sequence[Callable[[], Any]]) -> Steps[tuple[Any, ...]]:
    """Run ``fns`` as one :class:`Many` step (concurrently on async clients) and return their values;
    the first :class:`~msplink.errors.MsplinkError` among them is raised (no step for no calls)."""
    if not fns:
        return ()
    results: tuple[Any, ...] = yield Many(tuple(fns))
    failed = next((r for r in results if isinstance(r, MsplinkError)), None)
    if failed is not None:
        raise failed
    return results


def drive(plan: Steps[T]) -> T:
    """Run a plan with sync clients and adapters."""
    try:
        step = next(plan)
        while True:
            try:
                if isinstance(step, Many):
                    result: Any = tuple(_capture(fn) for fn in step.fns)
                elif isinstance(step, Items):
                    result = list(step.fn())
                elif isinstance(step, Page):
                    result = next(iter(step.fn().pages()), None)
                else:
                    result = step.fn()
            except MsplinkError as exc:
                step = plan.throw(exc)
            else:
                step = plan.send(result)
    except StopIteration as stop:
        value: T = stop.value
        return value
    finally:
        plan.close()


async def adrive(plan: Steps[T]) -> T:
    """Run a plan with async clients and adapters (``Many`` runs concurrently)."""
    try:
        step = next(plan)
        while True:
            try:
                if isinstance(step, Many):
                    result: Any = await _gather(step)
                elif isinstance(step, Items):
                    result = [item async for item in step.fn()]
                elif isinstance(step, Page):
                    result = await first_page(step.fn())
                else:
                    result = await _value(step.fn())
            except MsplinkError as exc:
                step = plan.throw(exc)
            else:
                step = plan.send(result)
    except StopIteration as stop:
        value: T = stop.value
        return value
    finally:
        plan.close()


def _capture(fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except MsplinkError as exc:
        return exc


async def _value(result: Any) -> Any:
    return await result if inspect.isawaitable(result) else result


async def _gather(step: Many) -> tuple[Any, ...]:
    return await gather(step.fns, step.concurrency)


async def gather(fns: Sequence[Callable[[], Any]], concurrency: int) -> tuple[Any, ...]:
    """Run calls (awaiting what each returns when it is awaitable), at most ``concurrency`` in flight:
    their results in order, or the :class:`~msplink.errors.MsplinkError` each raised."""
    limit = asyncio.Semaphore(max(1, concurrency))

    async def one(fn: Callable[[], Any]) -> Any:
        async with limit:
            try:
                return await _value(fn())
            except MsplinkError as exc:
                return exc

    return tuple(await asyncio.gather(*(one(fn) for fn in fns)))


def is_async_client(client: Any, resource: str) -> bool:
    """Whether ``client`` is an async msplink client (its ``resource`` creates with a coroutine)."""
    return inspect.iscoroutinefunction(getattr(getattr(client, resource, None), "create", None))


def merge_calls(*counters: Mapping[str, int]) -> dict[str, int]:
    """API calls per system over several adapters sharing clients (the largest count per system)."""
    out: dict[str, int] = {}
    for counter in counters:
        for system, count in counter.items():
            out[system] = max(out.get(system, 0), int(count))
    return out


@attrs.frozen
class RecipeMapper:
    """A mapper pair for a flow (``to_canonical``, ``from_canonical``, the canonical paths they carry)."""

    to_canonical: Callable[[Any, Any], Any]
    from_canonical: Callable[[Any, Any], Any]
    reads: tuple[str, ...] = ()
    writes: tuple[str, ...] = ()


class Operations(abc.ABC):
    """The six operations of a source and/or target, as plans (subclasses write the ones they serve)."""

    def _read_changes(self, since: datetime | None, page_token: str | None) -> Steps[ChangePage]:
        raise TypeError(f"{type(self).__name__} is not a source")

    def _fetch(self, ids: Sequence[str]) -> Steps[list[RemoteRecord]]:
        raise TypeError(f"{type(self).__name__} is not a source")

    def _list_ids(self) -> Steps[list[str]]:
        raise TypeError(f"{type(self).__name__} is not a source")

    def _lookup(self, request: LookupRequest) -> Steps[list[RemoteRecord]]:
        raise TypeError(f"{type(self).__name__} is not a target")

    def _write(self, ops: Sequence[WriteOp]) -> Steps[list[WriteResult]]:
        raise TypeError(f"{type(self).__name__} is not a target")

    def _settle(self, intents: Sequence[Intent]) -> Steps[list[RemoteRecord | None]]:
        raise TypeError(f"{type(self).__name__} is not a target")


class SyncOperations(Operations):
    """The sync methods of the protocols: each drives its plan."""

    def read_changes(self, since: datetime | None, page_token: str | None) -> ChangePage:
        """See :class:`~msplink.sync.Source`."""
        return drive(self._read_changes(since, page_token))

    def fetch(self, ids: Sequence[str]) -> list[RemoteRecord]:
        """See :class:`~msplink.sync.Source`."""
        return drive(self._fetch(ids))

    def list_ids(self) -> list[str]:
        """See :class:`~msplink.sync.Source`."""
        return drive(self._list_ids())

    def lookup(self, request: LookupRequest) -> list[RemoteRecord]:
        """See :class:`~msplink.sync.Target`."""
        return drive(self._lookup(request))

    def write(self, ops: Sequence[WriteOp]) -> list[WriteResult]:
        """See :class:`~msplink.sync.Target`."""
        return drive(self._write(ops))

    def settle(self, intents: Sequence[Intent]) -> list[RemoteRecord | None]:
        """See :class:`~msplink.sync.Target`."""
        return drive(self._settle(intents))


class AsyncOperations(Operations):
    """The async methods of the protocols: each drives the same plan."""

    async def read_changes(self, since: datetime | None, page_token: str | None) -> ChangePage:
        """See :class:`~msplink.sync.AsyncSource`."""
        return await adrive(self._read_changes(since, page_token))

    async def fetch(self, ids: Sequence[str]) -> list[RemoteRecord]:
        """See :class:`~msplink.sync.AsyncSource`."""
        return await adrive(self._fetch(ids))

    async def list_ids(self) -> list[str]:
        """See :class:`~msplink.sync.AsyncSource`."""
        return await adrive(self._list_ids())

    async def lookup(self, request: LookupRequest) -> list[RemoteRecord]:
        """See :class:`~msplink.sync.AsyncTarget`."""
        return await adrive(self._lookup(request))

    async def write(self, ops: Sequence[WriteOp]) -> list[WriteResult]:
        """See :class:`~msplink.sync.AsyncTarget`."""
        return await adrive(self._write(ops))

    async def settle(self, intents: Sequence[Intent]) -> list[RemoteRecord | None]:
        """See :class:`~msplink.sync.AsyncTarget`."""
        return await adrive(self._settle(intents))
