"""The sans-I/O request description ``Call[T]`` and path building.

Every endpoint of every vendor is a pure function returning a :class:`Call`: what to send and how to
parse the answer. The sync and async executors only run it, so both twins share one behaviour and
calls are unit-tested without HTTP.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Generic, TypeVar
from urllib.parse import quote

import attrs
import httpx

from msplink.errors import ConfigurationError

__all__ = ["Call", "ParamValue", "path"]

T = TypeVar("T")
U = TypeVar("U")

ParamValue = str | Sequence[str]


def _no_parse(response: httpx.Response) -> None:
    return None


@attrs.frozen(kw_only=True)
class Call(Generic[T]):
    """One logical request: built once, executed (and perhaps retried) as-is.

    Attributes:
        method: HTTP method.
        path: The concrete path, already quoted (see :func:`path`), relative to the client's base URL;
            an absolute ``https://`` URL is used as given (Salesforce ``nextRecordsUrl`` is relative too).
        template: The path template for logs and errors (``/company/companies/{id}``); never carries values.
        params: Query parameters (values are strings or sequences of strings).
        json: A JSON body (``None`` for none). Decimals must already be rendered by the vendor converter.
        content: A raw body (CSV, ``application/text`` queries); exclusive with ``json``.
        headers: Extra headers for this call.
        idempotent: Whether retrying cannot duplicate an effect (reads, PUT/PATCH/DELETE, writes with
            an idempotency key such as QBO ``requestid``). Drives retry eligibility.
        parse: Turns a successful response into ``T``; may raise :class:`msplink.errors.APIError`
            (for example a QBO ``Fault`` inside HTTP 200).
    """

    method: str
    path: str
    template: str = ""
    params: Mapping[str, ParamValue] = attrs.field(factory=dict)
    json: object = None
    content: bytes | None = None
    headers: Mapping[str, str] = attrs.field(factory=dict)
    idempotent: bool = attrs.field()
    parse: Callable[[httpx.Response], T] = attrs.field(default=_no_parse)  # type: ignore[assignment]

    @idempotent.default
    def _default_idempotent(self) -> bool:
        return self.method.upper() in {"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "PATCH"}

    def __attrs_post_init__(self) -> None:
        if not self.template:
            object.__setattr__(self, "template", self.path.split("?", 1)[0])
        if self.json is not None and self.content is not None:
            raise ConfigurationError("a Call carries either json or content, not both")

    def with_parse(self, parse: Callable[[httpx.Response], U]) -> Call[U]:
        """Return the same request with another parser."""
        return Call(
            method=self.method,
            path=self.path,
            template=self.template,
            params=self.params,
            json=self.json,
            content=self.content,
            headers=self.headers,
            idempotent=self.idempotent,
            parse=parse,
        )

    def replace(self, **changes: Any) -> Call[T]:
        """Return a copy with some attributes changed (``attrs.evolve``)."""
        return attrs.evolve(self, **changes)


def path(template: str, /, **values: str | int) -> str:
    """Fill a path template, quoting each value as one path segment.

    Args:
        template: A template such as ``/company/companies/{id}``.
        **values: The values of its placeholders.

    Returns:
        The concrete path, each value percent-encoded (``/`` included), so no value can change the route.

    Raises:
        ConfigurationError: A value is empty (it would silently hit the collection URL), is ``.`` or
            ``..`` (it would leave its segment), or a placeholder is missing.
    """
    for key, value in values.items():
        # "." and ".." survive percent-encoding and would leave their segment (RFC 3986 §5.2.4).
        if isinstance(value, bool) or str(value) in {"", ".", ".."}:
            raise ConfigurationError(f"invalid path parameter {key!r} for {template}")
    try:
        return template.format(**{k: quote(str(v), safe="") for k, v in values.items()})
    except (KeyError, IndexError) as exc:
        raise ConfigurationError(f"missing path parameter {exc} for {template}") from None
