"""Keeping secrets out of reprs, logs, errors and cassettes."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

__all__ = ["SENSITIVE_HEADERS", "SENSITIVE_KEYS", "Secret", "redact_headers", "redact_text"]

REDACTED = "***"

SENSITIVE_HEADERS = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "clientid",
        "cookie",
        "set-cookie",
        "x-api-key",
        "intuit-signature",
        "x-content-signature",
    }
)
"""Header names whose values are never shown (compared lower-case)."""

SENSITIVE_KEYS = frozenset(
    {
        "access_token",
        "refresh_token",
        "id_token",
        "client_secret",
        "private_key",
        "password",
        "assertion",
        "code",
        "token",
        "privatekey",
        "private_key_pem",
        "signing_key",
        "secret",
    }
)
"""JSON / form keys whose values are never shown (compared lower-case)."""


class Secret:
    """A string that never shows itself: ``repr`` and ``str`` print ``***``.

    Use :meth:`get` at the single place the real value is needed (building a header).
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get(self) -> str:
        """Return the real value."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    def __str__(self) -> str:
        return REDACTED

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(("Secret", self._value))

    def __bool__(self) -> bool:
        return bool(self._value)

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("a Secret cannot be pickled")


def redact_headers(headers: Mapping[str, str] | Iterable[tuple[str, str]]) -> dict[str, str]:
    """Return the headers with every sensitive value replaced by ``***``."""
    items = headers.items() if isinstance(headers, Mapping) else headers
    return {k: (REDACTED if k.lower() in SENSITIVE_HEADERS else v) for k, v in items}


def redact_text(text: str, secrets: Iterable[str]) -> str:
    """Replace every occurrence of each secret (non-empty, 4+ characters) in ``text`` with ``***``."""
    values = sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True)
    if not values:
        return text
    return re.sub("|".join(re.escape(v) for v in values), REDACTED, text)
