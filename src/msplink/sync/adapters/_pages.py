"""One source read by several flows: :class:`SharedPages` (and its async twin) answers a page the
flows ask for again from memory, holding the newest page only.

Flows run in turn by :func:`~msplink.sync.run_together` ask a shared source for the same page one after
another (same ``since``, same page token), so one page of memory is all the sharing needs, however
many pages the run reads (flat memory, SYNC.md §1 invariant 7); flows run one after the other read
every page again, as they would without it.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from msplink.sync._protocols import ChangePage, RemoteRecord

__all__ = ["AsyncSharedPages", "SharedPages", "SourceWrapper", "in_turns", "pages_of", "shared_pages"]

_Key = tuple[datetime | None, str | None]


class SourceWrapper:
    """A source over another one (``inner``, an adapter or another wrapper): its platform, object,
    integration user, delete feed and API calls are the inner one's. Subclasses read through it.

    Args:
        inner: The source read through.
    """

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    @property
    def system(self) -> str:
        """The inner source's platform."""
        value: str = self.inner.system
        return value

    @property
    def object(self) -> str:
        """The inner source's object."""
        value: str = self.inner.object
        return value

    @property
    def integration_user(self) -> str | None:
        """The inner source's integration user."""
        value: str | None = self.inner.integration_user
        return value

    @property
    def has_delete_feed(self) -> bool:
        """The inner source's (ConnectWise has none, Salesforce has one)."""
        return bool(self.inner.has_delete_feed)

    @property
    def api_calls(self) -> Mapping[str, int]:
        """The inner source's client's calls."""
        value: Mapping[str, int] = self.inner.api_calls
        return value

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.system}:{self.object})"


class _Shared(SourceWrapper):
    def __init__(self, inner: Any) -> None:
        super().__init__(inner)
        self.served = 0
        """Pages answered from memory (each one ``read_changes`` call of the inner adapter saved)."""
        self._last: tuple[_Key, ChangePage] | None = None

    def _held(self, key: _Key) -> ChangePage | None:
        if self._last is not None and self._last[0] == key:
            self.served += 1
            return self._last[1]
        return None

    def _keep(self, key: _Key, page: ChangePage) -> ChangePage:
        self._last = (key, page)
        return page

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.system}:{self.object} served={self.served})"


class SharedPages(_Shared):
    """A :class:`~msplink.sync.Source` over one adapter, for several flows run in turn.

    Args:
        inner: The adapter that reads the changes (``ConnectWiseAdapter`` ...).

    Attributes:
        served: Pages answered from memory.
    """

    def read_changes(self, since: datetime | None, page_token: str | None) -> ChangePage:
        """The page another flow just read with the same ``since`` and token, else the inner adapter's."""
        held = self._held((since, page_token))
        return (
            held
            if held is not None
            else self._keep((since, page_token), self.inner.read_changes(since, page_token))
        )

    def fetch(self, ids: Sequence[str]) -> list[RemoteRecord]:
        """The inner adapter's fetch."""
        return list(self.inner.fetch(ids))

    def list_ids(self) -> list[str]:
        """The inner adapter's ids."""
        return list(self.inner.list_ids())


class AsyncSharedPages(_Shared):
    """The async twin of :class:`SharedPages` (over an async adapter)."""

    async def read_changes(self, since: datetime | None, page_token: str | None) -> ChangePage:
        """See :meth:`SharedPages.read_changes`."""
        held = self._held((since, page_token))
        return (
            held
            if held is not None
            else self._keep((since, page_token), await self.inner.read_changes(since, page_token))
        )

    async def fetch(self, ids: Sequence[str]) -> list[RemoteRecord]:
        """See :meth:`SharedPages.fetch`."""
        return list(await self.inner.fetch(ids))

    async def list_ids(self) -> list[str]:
        """See :meth:`SharedPages.list_ids`."""
        return list(await self.inner.list_ids())


def shared_pages(inner: Any) -> SharedPages | AsyncSharedPages:
    """A :class:`SharedPages` over ``inner``, or its async twin when ``inner`` is an async adapter."""
    return AsyncSharedPages(inner) if inspect.iscoroutinefunction(inner.read_changes) else SharedPages(inner)


def pages_of(source: Any) -> _Shared | None:
    """The :class:`SharedPages` a source reads through (itself, or one its wrappers' ``inner`` holds)."""
    seen = 0
    while source is not None and seen < 8:
        if isinstance(source, _Shared):
            return source
        source, seen = getattr(source, "inner", None), seen + 1
    return None


def in_turns(flows: Sequence[Any]) -> list[list[Any]]:
    """``flows`` in order, grouped: consecutive flows whose sources read one :class:`SharedPages` form
    one group (run it with :func:`~msplink.sync.run_together`), every other flow is a group alone."""
    groups: list[list[Any]] = []
    for flow in flows:
        pages = pages_of(flow.source)
        last = groups[-1] if groups else None
        if last is not None and pages is not None and pages_of(last[-1].source) is pages:
            last.append(flow)
        else:
            groups.append([flow])
    return groups
