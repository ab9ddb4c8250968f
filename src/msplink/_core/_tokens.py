"""Token stores and the locks behind single-flight token renewal (QuickBooks and Salesforce alike).

A token store persists one token (a vendor's token type that serialises to and from a dict). Two
stores ship: :class:`MemoryTokenStore` and :class:`FileTokenStore`; anything with ``load()`` and
``save()`` is a :class:`TokenStore` (a database row, a secrets manager).

Renewing a token is a read-modify-write (read the refresh token, ask the token endpoint, save the
rotated pair), so it must happen once at a time. :class:`FlightLock` is the lock for that: one lock
that threads wait on (blocking) and asyncio tasks wait on (awaiting, on *any* event loop) together,
handed over first come, first served. A store may carry such a lock as ``store.lock``
(:class:`TokenLock`); :class:`FileTokenStore`'s lock also holds across processes (``flock`` on a
``.lock`` file beside the token file), so two processes sharing a token file never spend the same
rotating refresh token twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import stat
import sys
import threading
from collections import deque
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar, runtime_checkable

from msplink._core._converter import loads_json, parse_datetime
from msplink._core._files import write_private_file
from msplink.errors import ConfigurationError

if sys.platform != "win32":
    import fcntl

__all__ = [
    "FileLock",
    "FileTokenStore",
    "FlightLock",
    "MemoryTokenStore",
    "TokenLock",
    "TokenStore",
    "optional_datetime",
    "optional_text",
    "require_text",
]

T = TypeVar("T")

_log = logging.getLogger("msplink")


# ------------------------------------------------------------------------------------------ locks


@runtime_checkable
class TokenLock(Protocol):
    """A lock that threads and asyncio tasks (on any event loop) can hold, one holder at a time."""

    def acquire(self) -> None:
        """Block the calling thread until the lock is held."""

    async def acquire_async(self) -> None:
        """Wait, without blocking the event loop, until the lock is held."""

    def release(self) -> None:
        """Release the lock (from any thread)."""


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


class _Waiter:
    """One queued thread (an event) or task (a future on its own loop)."""

    __slots__ = ("event", "future", "granted", "loop")

    def __init__(
        self,
        *,
        event: threading.Event | None = None,
        loop: asyncio.AbstractEventLoop | None = None,
        future: asyncio.Future[None] | None = None,
    ) -> None:
        self.event = event
        self.loop = loop
        self.future = future
        self.granted = False

    def grant(self) -> bool:
        """Hand the lock over; ``False`` when the waiter can no longer take it (its loop is closed)."""
        if self.event is not None:
            self.granted = True
            self.event.set()
            return True
        if self.loop is None or self.future is None:
            return False
        try:
            self.loop.call_soon_threadsafe(_resolve, self.future)
        except RuntimeError:  # the waiter's event loop is closed: nobody is left to take it
            return False
        self.granted = True
        return True


class FlightLock:
    """A FIFO lock shared by threads and asyncio tasks on any number of event loops.

    ``asyncio.Lock`` binds itself to one event loop and a ``threading.Lock`` cannot be awaited, so
    neither makes a refresh single-flight when one auth object serves a sync client's threads and
    async clients' tasks at once. Here a waiting thread blocks on its own event and a waiting task
    awaits its own future (resolved thread-safely on its loop); ``release()`` hands the lock to the
    oldest waiter. A task cancelled while waiting leaves the queue, or passes the lock on when it
    was handed over at the same moment. Not reentrant.
    """

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._locked = False
        self._waiters: deque[_Waiter] = deque()

    def locked(self) -> bool:
        """Whether someone holds the lock."""
        return self._locked

    @property
    def waiting(self) -> int:
        """How many threads and tasks are queued for the lock."""
        return len(self._waiters)

    def acquire(self) -> None:
        """Block the calling thread until the lock is held."""
        with self._mutex:
            if not self._locked and not self._waiters:
                self._locked = True
                return
            event = threading.Event()
            waiter = _Waiter(event=event)
            self._waiters.append(waiter)
        try:
            event.wait()
        except BaseException:  # interrupted (KeyboardInterrupt): leave the queue or pass the lock on
            self._abandon(waiter)
            raise

    async def acquire_async(self) -> None:
        """Wait, without blocking the event loop, until the lock is held."""
        loop = asyncio.get_running_loop()
        with self._mutex:
            if not self._locked and not self._waiters:
                self._locked = True
                return
            future: asyncio.Future[None] = loop.create_future()
            waiter = _Waiter(loop=loop, future=future)
            self._waiters.append(waiter)
        try:
            await future
        except BaseException:  # cancelled: leave the queue, or pass on a lock handed over meanwhile
            self._abandon(waiter)
            raise

    def release(self) -> None:
        """Release the lock, handing it to the oldest waiter (thread or task) if there is one.

        Raises:
            RuntimeError: The lock is not held.
        """
        with self._mutex:
            if not self._locked:
                raise RuntimeError("release of an unlocked FlightLock")
            self._hand_over()

    def _hand_over(self) -> None:
        while self._waiters:
            if self._waiters.popleft().grant():
                return  # still locked: ownership moved to the waiter
        self._locked = False

    def _abandon(self, waiter: _Waiter) -> None:
        with self._mutex:
            if waiter.granted:
                self._hand_over()
            else:
                with contextlib.suppress(ValueError):
                    self._waiters.remove(waiter)

    def __repr__(self) -> str:
        return f"FlightLock(locked={self._locked}, waiting={len(self._waiters)})"


class FileLock:
    """A :class:`FlightLock` plus an exclusive ``flock`` on a lock file: threads, tasks and processes.

    The lock file (created 0600, never followed when it is a symlink) stays in place: deleting it
    while another process waits on it would let two holders in. An async holder polls the file lock
    without blocking its event loop. On Windows only the in-process part applies.

    Args:
        path: The lock file.
        poll_interval: Seconds between attempts of an async waiter while another process holds it.
    """

    def __init__(self, path: str | os.PathLike[str], *, poll_interval: float = 0.05) -> None:
        self.path = Path(path)
        self.poll_interval = poll_interval
        self._flight = FlightLock()
        self._fd: int | None = None

    def acquire(self) -> None:
        """Block until this process's threads and tasks, and other processes, have let go."""
        self._flight.acquire()
        try:
            self._fd = self._lock_file(blocking=True)
        except BaseException:
            self._flight.release()
            raise

    async def acquire_async(self) -> None:
        """Wait (polling the file lock, never blocking the event loop) until the lock is held."""
        await self._flight.acquire_async()
        try:
            # Another process holds the flock; nothing in this process can signal its release.
            while (fd := self._lock_file(blocking=False)) is None:  # noqa: ASYNC110
                await asyncio.sleep(self.poll_interval)
            self._fd = fd
        except BaseException:
            self._flight.release()
            raise

    def release(self) -> None:
        """Release the file lock and the in-process lock."""
        fd, self._fd = self._fd, None
        try:
            if fd is not None and fd >= 0:
                os.close(fd)  # closing the descriptor drops its flock
        finally:
            self._flight.release()

    def _lock_file(self, *, blocking: bool) -> int | None:
        if sys.platform == "win32":
            return -1
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        flags = os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW
        try:
            fd = os.open(self.path, flags, 0o600)
        except OSError as exc:
            raise ConfigurationError(f"cannot open the lock file {self.path} ({exc.strerror})") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            os.close(fd)
            return None
        except OSError as exc:
            os.close(fd)
            raise ConfigurationError(f"cannot lock {self.path} ({exc.strerror})") from None
        return fd

    def __repr__(self) -> str:
        return f"FileLock({str(self.path)!r})"


# ----------------------------------------------------------------------------------------- stores


@runtime_checkable
class TokenStore(Protocol[T]):
    """Where a token is persisted. Tokens may rotate on any renewal: every new one must be saved.

    A store may also offer ``lock`` (a :class:`TokenLock`); the auth flows hold it around each
    renewal, so auth objects in other threads, event loops or (for a file) processes that share the
    store renew once between them.
    """

    def load(self) -> T | None:
        """The current token, or ``None`` when none was saved."""

    def save(self, token: T) -> None:
        """Persist a new token (atomically)."""


class MemoryTokenStore(Generic[T]):
    """A thread-safe in-memory token store (tests, short scripts); ``saves`` counts the saves."""

    def __init__(self, token: T | None = None) -> None:
        self._token = token
        self._mutex = threading.Lock()
        self.saves = 0
        self.lock: TokenLock = FlightLock()

    def load(self) -> T | None:
        """The current token."""
        with self._mutex:
            return self._token

    def save(self, token: T) -> None:
        """Replace the token."""
        with self._mutex:
            self._token = token
            self.saves += 1

    def __repr__(self) -> str:
        return f"{type(self).__name__}(has_token={self._token is not None}, saves={self.saves})"


class FileTokenStore(Generic[T]):
    """A JSON token file: written 0600 and atomically (temporary file, fsync, rename), locked for renewal.

    A token path that is a symlink is replaced by the new file on save (the link's target is never
    written); a file other users can read is tightened to 0600 (with a warning) when loaded. A file
    that cannot be read or is not a token (not JSON, empty, a list, ``null``, missing or mistyped
    fields) raises :class:`~msplink.errors.ConfigurationError` naming the file, never a bare
    ``JSONDecodeError`` or ``KeyError``; the message never quotes the file's content.

    Args:
        path: The token file (``~`` is expanded); its folder is created 0700 when missing.
        decode: Builds a token from the file's JSON object (raises ``ValueError``, ``KeyError`` or
            ``TypeError`` on a bad one; a :class:`~msplink.errors.ConfigurationError` message is kept).
        encode: Turns a token into a JSON-ready dict.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        decode: Callable[[Mapping[str, Any]], T],
        encode: Callable[[T], Mapping[str, Any]],
    ) -> None:
        self.path = Path(path).expanduser()
        self._decode = decode
        self._encode = encode
        self.lock: TokenLock = FileLock(self.path.with_name(self.path.name + ".lock"))

    def load(self) -> T | None:
        """Read the token, or ``None`` when the file does not exist.

        Raises:
            ConfigurationError: The file cannot be read or does not hold a valid token.
        """
        try:
            raw = self._read()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise ConfigurationError(f"token file {self.path} cannot be read ({exc.strerror})") from None
        try:
            data = loads_json(raw.decode("utf-8"))
        except ValueError:  # UnicodeDecodeError is a ValueError too
            raise self._invalid("not JSON") from None
        if not isinstance(data, Mapping):
            raise self._invalid(f"JSON {_json_kind(data)}, not an object")
        try:
            return self._decode(data)
        except ConfigurationError as exc:
            raise self._invalid(str(exc)) from None
        except KeyError as exc:
            raise self._invalid(f"missing field {exc.args[0]!r}") from None
        except (ValueError, TypeError, AttributeError, OverflowError) as exc:
            raise self._invalid(f"unreadable fields ({type(exc).__name__})") from None

    def save(self, token: T) -> None:
        """Write the token to a 0600 temporary file beside the target, then rename it over the target."""
        data = json.dumps(dict(self._encode(token))).encode("utf-8")
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_private_file(self.path, data)

    def _read(self) -> bytes:
        fd = os.open(self.path, os.O_RDONLY | os.O_CLOEXEC)
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise IsADirectoryError(21, "not a regular file")
            if sys.platform != "win32" and info.st_mode & 0o077 and info.st_uid == os.geteuid():
                _log.warning("token file %s was readable by other users; its mode is now 0600", self.path)
                with contextlib.suppress(OSError):
                    os.fchmod(fd, 0o600)
            chunks = []
            while chunk := os.read(fd, 65536):
                chunks.append(chunk)
            return b"".join(chunks)
        finally:
            os.close(fd)

    def _invalid(self, why: str) -> ConfigurationError:
        return ConfigurationError(f"token file {self.path} does not hold a valid token: {why}")

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self.path)!r})"


def _json_kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, list):
        return "array"
    return "string" if isinstance(value, str) else "number"


# ------------------------------------------------------------------ field readers for token types


def require_text(data: Mapping[str, Any], key: str) -> str:
    """A non-empty string field of a stored token.

    Raises:
        ConfigurationError: The field is missing, empty or not a string (the value is never quoted).
    """
    value = data.get(key)
    if not isinstance(value, str) or not value:
        raise ConfigurationError(f"field {key!r} must be a non-empty string")
    return value


def optional_text(data: Mapping[str, Any], key: str) -> str | None:
    """A string field that may be missing or ``null``.

    Raises:
        ConfigurationError: The field is present but not a string.
    """
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ConfigurationError(f"field {key!r} must be a string")
    return value


def optional_datetime(data: Mapping[str, Any], key: str) -> datetime | None:
    """A timezone-aware ISO 8601 datetime field that may be missing or ``null`` (naive means UTC).

    Raises:
        ConfigurationError: The field is present but not an ISO 8601 datetime.
    """
    value = data.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ConfigurationError(f"field {key!r} must be an ISO 8601 datetime")
    try:
        return parse_datetime(value)
    except (ValueError, OverflowError):
        raise ConfigurationError(f"field {key!r} must be an ISO 8601 datetime") from None
