"""Drive an async msplink client through a synchronous surface, so one test body checks both twins."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Iterator
from typing import Any, Generic, TypeVar

from msplink._core import AsyncPaginator

__all__ = ["SyncAdapter", "SyncPages"]

T = TypeVar("T")


class SyncPages(Generic[T]):
    """The sync paginator surface (iteration, ``to_list``, ``first``, ``pages``) over an AsyncPaginator."""

    def __init__(self, paginator: AsyncPaginator[T], loop: asyncio.AbstractEventLoop) -> None:
        self._paginator = paginator
        self._loop = loop

    def to_list(self) -> list[T]:
        """Every record."""
        return self._loop.run_until_complete(self._paginator.to_list())

    def first(self) -> T | None:
        """The first record, fetching one page at most."""
        return self._loop.run_until_complete(self._paginator.first())

    def pages(self) -> list[Any]:
        """Every page."""

        async def collect() -> list[Any]:
            return [page async for page in self._paginator.pages()]

        return self._loop.run_until_complete(collect())

    def __iter__(self) -> Iterator[T]:
        return iter(self.to_list())


_ASYNC_SURFACES: dict[type, bool] = {}


def _is_async_surface(cls: type) -> bool:
    """A msplink class with coroutine methods (an async client or one of its resources); cached per class."""
    known = _ASYNC_SURFACES.get(cls)
    if known is None:
        known = cls.__module__.startswith("msplink.") and any(
            inspect.iscoroutinefunction(getattr(cls, name, None))
            for name in dir(cls)
            if not name.startswith("__")
        )
        _ASYNC_SURFACES[cls] = known
    return known


class SyncAdapter:
    """Makes an async client (and its resources, paginators and sub-resources) look synchronous.

    Every coroutine is run to completion on ``loop``; ``AsyncPaginator`` results become
    :class:`SyncPages`; other async msplink objects are wrapped in turn. Attribute writes go to the
    wrapped object. This lets a parametrized fixture hand the sync client or the adapted async client
    to one test body::

        @pytest.fixture(params=["sync", "async"])
        def client(request):
            if request.param == "sync":
                yield ConnectWiseClient(**creds, transport=sandbox.transport())
            else:
                loop = asyncio.new_event_loop()
                yield SyncAdapter(AsyncConnectWiseClient(**creds, transport=sandbox.transport()), loop)
                loop.close()
    """

    def __init__(self, target: Any, loop: asyncio.AbstractEventLoop) -> None:
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_loop", loop)

    def _wrap(self, value: Any) -> Any:
        if inspect.isawaitable(value):
            return self._wrap(self._loop.run_until_complete(value))
        if isinstance(value, AsyncPaginator):
            return SyncPages(value, self._loop)
        if _is_async_surface(type(value)):
            return SyncAdapter(value, self._loop)
        return value

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._target, name)
        if callable(attr) and not isinstance(attr, type) and not _is_async_surface(type(attr)):

            def call(*args: Any, **kwargs: Any) -> Any:
                return self._wrap(attr(*args, **kwargs))

            return call
        return self._wrap(attr)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._target, name, value)

    def __repr__(self) -> str:
        return f"SyncAdapter({self._target!r})"
