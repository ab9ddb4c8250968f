"""A fake clock whose ``sleep`` advances time instantly: tests and benchmarks never wait."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

__all__ = ["FakeClock"]


class FakeClock:
    """Virtual time shared by a client (``sleep=``) and a sandbox (``clock=``).

    Attributes:
        sleeps: Every delay asked for, in order (sync and async).
    """

    def __init__(self, start: float = 1_000.0, *, wall: datetime | None = None) -> None:
        self._now = start
        self._start = start
        self._wall = wall or datetime(2026, 1, 1, tzinfo=timezone.utc)
        self._lock = threading.Lock()
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        """The current virtual monotonic time."""
        with self._lock:
            return self._now

    __call__ = monotonic

    def now(self) -> datetime:
        """The current virtual wall-clock time (aware, UTC)."""
        with self._lock:
            return self._wall + timedelta(seconds=self._now - self._start)

    def advance(self, seconds: float) -> None:
        """Move time forward."""
        with self._lock:
            self._now += seconds

    def sleep(self, seconds: float) -> None:
        """Record the delay and advance time by it, at once."""
        with self._lock:
            self.sleeps.append(seconds)
            self._now += max(0.0, seconds)

    async def async_sleep(self, seconds: float) -> None:
        """The coroutine twin of :meth:`sleep`."""
        self.sleep(seconds)
