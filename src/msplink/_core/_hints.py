"""Hints: what to do about an error, added to its message (`` -- hint: ...``) and kept in ``exc.hint``.

The common first-hour mistakes (a wrong ConnectWise company id, an unknown site, a QuickBooks realm
the token does not belong to, an expired grant, a Salesforce user that is not pre-authorized, a host
that does not resolve) are recognised by the vendor packages' ``hint_for`` functions, which the
executor applies to every error a call raises.
"""

from __future__ import annotations

import errno
import re
import socket
from collections.abc import Callable
from typing import TypeVar

from msplink.errors import MsplinkError

__all__ = ["HintFor", "is_name_resolution_failure", "os_reason", "with_hint"]

E = TypeVar("E", bound=MsplinkError)

HintFor = Callable[[MsplinkError], "str | None"]
"""A vendor's hint function: the hint for an error, or ``None``."""

SEPARATOR = " -- hint: "

_DNS_WORDS = re.compile(
    r"name or service not known|nodename nor servname|getaddrinfo failed|temporary failure in name "
    r"resolution|no address associated|name resolution|could not resolve|no such host|11001|11004",
    re.IGNORECASE,
)


_QUERY = re.compile(r"\?\S*")
_USERINFO = re.compile(r"//[^/\s@]+@")


def _clean(text: str) -> str:
    """No query strings (they may carry personal data) and no user:password@ in what is kept."""
    return _USERINFO.sub("//", _QUERY.sub("?...", text))[:300]


def with_hint(exc: E, hint: str | None) -> E:
    """Attach ``hint`` to ``exc`` (once: a hint already given is kept) and return ``exc``."""
    if not hint or exc.hint:
        return exc
    exc.hint = hint
    message = str(exc.args[0]) if exc.args else ""
    exc.args = (f"{message}{SEPARATOR}{hint}", *exc.args[1:])
    return exc


def os_reason(exc: BaseException) -> str:
    """The operating system's reason for a failed connection (``[Errno -2] Name or service not
    known``, ``[Errno 111] Connection refused``, a TLS verification failure ...), without query
    strings or credentials in URLs.

    httpx wraps the socket error; its text (or the innermost cause's) is the reason. Empty when
    nothing more than the exception type is known.
    """
    current: BaseException | None = exc
    text = ""
    seen: set[int] = set()
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.strerror:
            code = f"[Errno {current.errno}] " if current.errno is not None else ""
            return _clean(f"{code}{current.strerror}")
        candidate = str(current).strip()
        if candidate and not text:
            text = candidate
        current = current.__cause__ or current.__context__
    return _clean(text)


def is_name_resolution_failure(exc: BaseException, reason: str | None = None) -> bool:
    """Tell whether a connection failed because the host name does not resolve (DNS)."""
    current: BaseException | None = exc
    seen: set[int] = set()
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, socket.gaierror):
            return True
        if isinstance(current, OSError) and current.errno in {errno.ENOENT} and "resolve" in str(current):
            return True
        current = current.__cause__ or current.__context__
    return bool(_DNS_WORDS.search(reason if reason is not None else os_reason(exc)))
