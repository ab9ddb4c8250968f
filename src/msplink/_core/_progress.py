"""Progress bars for long reads (the ``progress`` extra: tqdm) and notes about waits.

A read started with ``progress=True`` shows a tqdm bar while it runs, counting records, with a
total where the API reports one (Salesforce ``totalSize``). While a bar is active in the current
thread or task, a wait that would otherwise look like a hang (client-side throttling, a retry
after ``Retry-After``) is written on it as a note: :func:`note_wait` is what the rate limiter and
the executor call.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from msplink.errors import ConfigurationError

__all__ = ["ProgressBar", "active_bar", "note_wait", "progress_bar"]

_ACTIVE: contextvars.ContextVar[ProgressBar | None] = contextvars.ContextVar(
    "msplink_progress_bar", default=None
)


class ProgressBar:
    """A tqdm bar counting records, which also shows why the read is waiting."""

    def __init__(self, *, desc: str, total: int | None = None, unit: str = "record") -> None:
        try:
            from tqdm.auto import tqdm
        except ImportError:
            raise ConfigurationError("progress=True needs tqdm: pip install 'msplink[progress]'") from None
        self.bar: Any = tqdm(desc=desc, total=total, unit=unit)
        self.count = 0
        self.waits: list[str] = []

    def set_total(self, total: int | None) -> None:
        """Set the total once it is known (the first page tells it)."""
        if total is not None and self.bar.total != total:
            self.bar.total = total
            self.bar.refresh()

    def update(self, records: int) -> None:
        """Count records read; clears a wait note."""
        self.count += records
        if self.waits:
            self.bar.set_postfix_str("", refresh=False)
        self.bar.update(records)

    def note(self, text: str) -> None:
        """Show why the read is waiting (kept in :attr:`waits` too)."""
        self.waits.append(text)
        self.bar.set_postfix_str(text)

    def close(self) -> None:
        """Close the bar."""
        self.bar.close()


def active_bar() -> ProgressBar | None:
    """The bar of the read running in this thread or task, if it has one."""
    return _ACTIVE.get()


def note_wait(seconds: float, reason: str) -> None:
    """Write a wait on the active bar, if there is one (``waiting 2.0 s: client-side rate limit``)."""
    bar = _ACTIVE.get()
    if bar is not None:
        bar.note(f"waiting {seconds:.1f} s: {reason}")


@contextmanager
def progress_bar(enabled: bool, *, desc: str, total: int | None = None) -> Iterator[ProgressBar | None]:
    """A bar active for the block (``None`` when not ``enabled``), closed at the end.

    Raises:
        ConfigurationError: ``enabled`` but tqdm is not installed.
    """
    if not enabled:
        yield None
        return
    bar = ProgressBar(desc=desc, total=total)
    token = _ACTIVE.set(bar)
    try:
        yield bar
    finally:
        try:
            _ACTIVE.reset(token)
        except ValueError:  # closed from another context (an abandoned generator collected later)
            _ACTIVE.set(None)
        bar.close()
