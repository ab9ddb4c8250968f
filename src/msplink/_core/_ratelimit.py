"""Client-side rate limiting: requests per window and maximum concurrency.

The window keeps a schedule of slot times rather than polling the clock, so an injected ``sleep``
that does not really wait (tests) still yields exact, deterministic waits.

A wait longer than :data:`LOG_WAITS_OVER` seconds is logged at INFO on the client's logger
(``msplink.connectwise`` ...) and written on the progress bar of a read started with
``progress=True``, so a throttled run does not look like a hang.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
import weakref
from collections import deque
from collections.abc import Awaitable, Callable

import attrs

from msplink._core._progress import note_wait
from msplink.errors import ConfigurationError

__all__ = ["LOG_WAITS_OVER", "AsyncRateLimiter", "RateLimit", "RateLimiter"]

LOG_WAITS_OVER = 1.0
"""Client-side throttling waits longer than this (seconds) are logged at INFO."""

_logger = logging.getLogger("msplink")


def _announce(logger: logging.Logger, limit: RateLimit, delay: float) -> None:
    if delay <= LOG_WAITS_OVER:
        return
    logger.info(
        "client-side rate limit (%s requests per %s s) reached: waiting %.1f s",
        limit.requests,
        f"{limit.per:g}",
        delay,
    )
    note_wait(delay, "client-side rate limit")


@attrs.frozen(kw_only=True)
class RateLimit:
    """A rate limit: at most ``requests`` per ``per`` seconds and ``max_concurrency`` in flight.

    ``None`` disables that part.
    """

    requests: int | None = None
    per: float = 60.0
    max_concurrency: int | None = None

    def __attrs_post_init__(self) -> None:
        if self.requests is not None and self.requests < 1:
            raise ConfigurationError("RateLimit.requests must be >= 1")
        if self.per <= 0:
            raise ConfigurationError("RateLimit.per must be > 0")
        if self.max_concurrency is not None and self.max_concurrency < 1:
            raise ConfigurationError("RateLimit.max_concurrency must be >= 1")


class _Slot:
    """One request's place in the window: the time it counts from."""

    __slots__ = ("at",)

    def __init__(self, at: float) -> None:
        self.at = at


class _Window:
    def __init__(self, limit: RateLimit, clock: Callable[[], float]) -> None:
        self._limit = limit
        self._clock = clock
        self._slots: deque[_Slot] = deque()

    def reserve(self) -> tuple[float, _Slot | None]:
        """Reserve the next slot; return the seconds to wait before using it, and the slot."""
        if self._limit.requests is None:
            return 0.0, None
        now = self._clock()
        while self._slots and self._slots[0].at <= now - self._limit.per:
            self._slots.popleft()
        if len(self._slots) < self._limit.requests:
            slot = _Slot(now)
            self._slots.append(slot)
            return 0.0, slot
        slot = _Slot(self._slots.popleft().at + self._limit.per)
        self._slots.append(slot)
        return max(0.0, slot.at - now), slot

    def settle(self, slot: _Slot | None) -> None:
        """The request of ``slot`` got its answer: count it from now on.

        A server meters a request when it arrives (QuickBooks meters each ``/batch`` item when it
        runs), which is after the client sent it; a slot that counted from the send would reopen up
        to one latency early, and a full window sent at once would then be refused (QBO answers 3001
        per item, 429 per request) and resent. Counting from the answer is never early.
        """
        if slot is not None:
            slot.at = max(slot.at, self._clock())


class RateLimiter:
    """The thread-safe limiter of a sync client."""

    def __init__(
        self,
        limit: RateLimit,
        *,
        sleep: Callable[[float], object] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        logger: logging.Logger | None = None,
    ) -> None:
        self.limit = limit
        self._sleep = sleep
        self._logger = logger or _logger
        self._lock = threading.Lock()
        self._window = _Window(limit, clock)
        self._slots = threading.BoundedSemaphore(limit.max_concurrency) if limit.max_concurrency else None

    def acquire(self) -> _Slot | None:
        """Wait for a slot in the window and a concurrency permit; return the slot for :meth:`release`."""
        with self._lock:
            delay, slot = self._window.reserve()
        if delay > 0:
            _announce(self._logger, self.limit, delay)
            self._sleep(delay)
        if self._slots is not None:
            self._slots.acquire()
        return slot

    def release(self, slot: _Slot | None = None) -> None:
        """Give the concurrency permit back; the window counts ``slot`` from now (the answer)."""
        with self._lock:
            self._window.settle(slot)
        if self._slots is not None:
            self._slots.release()


class AsyncRateLimiter:
    """The limiter of an async client.

    The request window is shared by every event loop the client is used from; the concurrency
    permits are kept per event loop (an ``asyncio.Semaphore`` binds itself to one loop), so a client
    reused from a second loop (a notebook cell, a fresh ``asyncio.run``) keeps working.
    """

    def __init__(
        self,
        limit: RateLimit,
        *,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
        logger: logging.Logger | None = None,
    ) -> None:
        self.limit = limit
        self._sleep = sleep
        self._logger = logger or _logger
        self._window = _Window(limit, clock)
        self._slots: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
            weakref.WeakKeyDictionary()
        )

    def _permits(self) -> asyncio.Semaphore | None:
        if not self.limit.max_concurrency:
            return None
        loop = asyncio.get_running_loop()
        permits = self._slots.get(loop)
        if permits is None:
            permits = self._slots[loop] = asyncio.Semaphore(self.limit.max_concurrency)
        return permits

    async def acquire(self) -> _Slot | None:
        """Wait for a concurrency permit, then a slot in the window; return the slot for :meth:`release`.

        The permit comes first, so a slot is reserved only once no more than ``max_concurrency - 1``
        other requests are in flight: a future slot is scheduled from the oldest one, which has then
        (as a rule) been answered and counts from its answer (see ``_Window.settle``).
        """
        permits = self._permits()
        if permits is not None:
            await permits.acquire()
        try:
            delay, slot = self._window.reserve()
            if delay > 0:
                _announce(self._logger, self.limit, delay)
                await self._sleep(delay)
        except BaseException:
            if permits is not None:
                permits.release()
            raise
        return slot

    def release(self, slot: _Slot | None = None) -> None:
        """Give the concurrency permit back (from the task that acquired it); the window counts
        ``slot`` from now (the answer)."""
        self._window.settle(slot)
        permits = self._permits()
        if permits is not None:
            permits.release()
