"""An asyncio event loop that runs in virtual time, so 100 ms of latency per request costs nothing real.

The loop reads the time from a :class:`~msplink.testing.FakeClock` and, whenever every task is
waiting on a timer (a latency, a rate-limit wait, a back-off), moves the clock straight to the next
timer instead of blocking. Tasks keep their real interleaving: ten requests that each wait 100 ms
concurrently finish after 100 virtual ms, ten in a row after one virtual second. The sandboxes'
rate-limit windows and the clients' limiters read the same clock, so throttling acts exactly as it
would in real time. (The technique of ``aiotools.VirtualClock`` and ``looptime``.)

Only in-process transports may run on it: a real socket would wait in real time while the clock
jumps ahead.
"""

from __future__ import annotations

import asyncio
import selectors
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

from msplink.testing import FakeClock

__all__ = ["VirtualTimeLoop", "run_virtual"]

T = TypeVar("T")


class _VirtualSelector(selectors.DefaultSelector):
    """Polls without blocking; a wait with nothing ready advances the clock by the wait instead."""

    def __init__(self, clock: FakeClock, ready: Callable[[], bool]) -> None:
        super().__init__()
        self._clock = clock
        self._ready = ready

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        events = super().select(0)
        if not events and timeout is not None and timeout > 0 and not self._ready():
            self._clock.advance(timeout)
        return events


class VirtualTimeLoop(asyncio.SelectorEventLoop):
    """A selector event loop whose ``time()`` is ``clock.monotonic()`` and whose idle waits are free."""

    def __init__(self, clock: FakeClock) -> None:
        self._virtual_clock = clock
        super().__init__(_VirtualSelector(clock, lambda: bool(self._ready)))  # type: ignore[attr-defined]

    def time(self) -> float:
        """The virtual monotonic time."""
        return self._virtual_clock.monotonic()


def run_virtual(clock: FakeClock, main: Callable[[], Coroutine[Any, Any, T]] | Awaitable[T]) -> T:
    """Run a coroutine to completion on a fresh :class:`VirtualTimeLoop` over ``clock``."""
    loop = VirtualTimeLoop(clock)
    try:
        asyncio.set_event_loop(loop)
        coroutine = main() if callable(main) else main
        return loop.run_until_complete(coroutine)
    finally:
        asyncio.set_event_loop(None)
        loop.close()
