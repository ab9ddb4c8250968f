"""Build ConnectWise ``conditions``, ``childConditions``, ``customFieldConditions``, ``orderBy`` and ``fields``.

Conditions are built, never formatted (DESIGN §3). :func:`quote` renders any Python value as one safe
literal, and the builder uses it for every value::

    from msplink.connectwise.conditions import C, F, custom_field, quote

    cond = (C.name.like("Acme%") & (C.status.name == "Active")) | (F("company/identifier") == user_input)
    cond = C.last_updated > since                       # lastUpdated > [2024-01-01T00:00:00Z]
    cond = C.board.id.in_([1, 2, 3]) & ~C.closed_flag.is_true()
    outage = custom_field("Outage ID") == 42            # caption="Outage ID" AND value = 42

Literals: numbers bare; booleans ``True``/``False``; ``None`` is ``null``; datetimes
``[YYYY-MM-DDTHH:MM:SSZ]`` in UTC (naive ones are refused); sequences render ``(a, b, c)`` for ``in``;
strings as described below. Field paths are checked (``name``, ``company/identifier``,
``_info/dateEntered``), so no user string can leave its literal or become a field name. Hand-written
condition strings are accepted too, but they are parsed first and a malformed one raises
:class:`~msplink.errors.QueryError` before any request is sent.

Strings follow only what public sources establish about ConnectWise's escaping:

* the Developer Guide ("PSA API Requests": conditions ``Summary = "string"``, ``manufacturer/name =
  "Dell"``; "Escaping": a literal ``[`` in a value is ``[[]``, SQL LIKE escaping) and ConnectWise's own
  ``_info`` hrefs (``chargeToType='Ticket'``) delimit strings with ``"`` or ``'`` (REFERENCE §5.1-5.2);
* nothing public documents an escape for the delimiter *inside* a literal (REFERENCE §13; the SDKs read
  -- pyconnectwise 0.6 ``Condition``, ConnectWiseManageAPI, django-connectwise, go-connectwise-psa,
  ConnectWise.Http, amp-labs/connectors -- write user strings raw or not at all).

So :func:`quote` never escapes: it delimits with ``"`` and, when the value contains ``"``, with ``'``. A
value with both quote characters cannot be written as one literal and raises ``QueryError`` (use
``like()`` with ``_`` for one of them). No literal ends with a backslash either: if the server (against
its documentation) treated ``\\`` as an escape, that backslash would swallow the closing delimiter. So
``quote()`` refuses such a value, ``==``/``!=`` on one become an exact ``like``/``not like`` pattern
ending in the set ``[\\]``, and ``contains``/``starts_with`` end their pattern the same way. Backslashes
elsewhere are ordinary characters.

``contains``/``like`` values go through SQL Server ``LIKE`` (``%`` any run, ``_`` one character, ``[...]``
a set): :meth:`Field.contains` and :meth:`Field.starts_with` escape them as ``[%]``, ``[_]`` and ``[[]``
(Transact-SQL LIKE, "Using wildcard characters as literals",
https://learn.microsoft.com/sql/t-sql/language-elements/like-transact-sql; the Developer Guide's ``[[]``
rule); :meth:`Field.like` takes a pattern as written.
"""

from __future__ import annotations

import abc
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timezone
from decimal import Decimal

import attrs

from msplink.errors import QueryError

__all__ = [
    "C",
    "Condition",
    "F",
    "Field",
    "OrderBy",
    "Query",
    "custom_field",
    "fields_param",
    "order_by_param",
    "quote",
    "render",
    "validate",
]

_IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
_PATH = re.compile(rf"{_IDENT}(?:/{_IDENT})*")  # used with fullmatch: "$" would accept "name\n"
_KEYWORDS = frozenset({"and", "or", "not", "contains", "like", "in", "true", "false", "null"})


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    if name.startswith("_"):
        return name
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _check_path(path: str) -> str:
    if not isinstance(path, str) or not _PATH.fullmatch(path):
        raise QueryError(f"invalid ConnectWise field path: {path!r}")
    if any(segment.lower() in _KEYWORDS for segment in path.split("/")):
        raise QueryError(f"field path {path!r} uses a reserved word")
    return path


def _quote_str(value: str) -> str:
    """Delimit a string with the quote character it does not contain (no escapes: none is documented)."""
    if value.endswith("\\"):
        raise QueryError("a ConnectWise string literal cannot end with a backslash")
    if '"' not in value:
        return '"' + value + '"'
    if "'" not in value:
        return "'" + value + "'"
    raise QueryError("a ConnectWise string literal cannot hold both \" and ' (no escape is documented)")


def _quote_datetime(value: datetime) -> str:
    if value.tzinfo is None or value.utcoffset() is None:
        raise QueryError("naive datetimes are ambiguous in conditions; pass a timezone-aware datetime")
    return "[" + value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") + "]"


def quote(value: object) -> str:
    """Render a Python value as one ConnectWise ``conditions`` literal.

    Args:
        value: ``str``, ``int``, ``Decimal``, finite ``float``, ``bool``, ``date``, aware ``datetime``,
            ``None`` or a non-empty sequence of those (rendered ``(a, b)`` for ``in``).

    Returns:
        The literal text; a string can never leave its quotes (``"Acme"``, or ``'say "hi"'`` when it
        contains ``"``: see the module docstring for the sources).

    Raises:
        QueryError: The value cannot be rendered (naive datetime, NaN, empty sequence, other types, a
            string holding both ``"`` and ``'`` or ending with a backslash).
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, str):
        return _quote_str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise QueryError(f"cannot render a non-finite number: {value!r}")
        return format(value, "f")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise QueryError(f"cannot render a non-finite number: {value!r}")
        return format(Decimal(repr(value)), "f")
    if isinstance(value, datetime):
        return _quote_datetime(value)
    if isinstance(value, date):
        return "[" + value.isoformat() + "T00:00:00Z]"
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else list(value)
        if not items:
            raise QueryError("an 'in' list needs at least one value")
        if any(isinstance(item, (list, tuple, set, frozenset)) for item in items):
            raise QueryError("'in' lists cannot be nested")
        return "(" + ", ".join(quote(item) for item in items) + ")"
    raise QueryError(f"cannot render a {type(value).__name__} in conditions")


def _like_escape(value: str) -> str:
    """Escape SQL Server LIKE wildcards (``[%]``, ``[_]``, ``[[]``) so ``value`` matches literally.

    A trailing backslash becomes the set ``[\\]`` (the same character), so the literal never ends with a
    backslash (see :func:`quote`).
    """
    escaped = "".join(f"[{ch}]" if ch in "%_[" else ch for ch in value)
    return escaped[:-1] + "[\\]" if escaped.endswith("\\") else escaped


# ----------------------------------------------------------------------------------------- the tree


class Condition(abc.ABC):
    """A condition expression; combine with ``&`` (AND), ``|`` (OR) and ``~`` (NOT)."""

    @abc.abstractmethod
    def render(self) -> str:
        """The ``conditions`` text."""

    def __and__(self, other: Condition | str) -> Condition:
        return _Group("AND", (self, _coerce(other)))

    def __or__(self, other: Condition | str) -> Condition:
        return _Group("OR", (self, _coerce(other)))

    def __invert__(self) -> Condition:
        return _Not(self)

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        return f"Condition({self.render()!r})"


@attrs.frozen
class _Predicate(Condition):
    path: str
    op: str
    literal: str

    def render(self) -> str:
        return f"{self.path} {self.op} {self.literal}"


@attrs.frozen
class _Group(Condition):
    joiner: str
    parts: tuple[Condition, ...]

    def render(self) -> str:
        rendered = []
        for part in self.parts:
            text = part.render()
            rendered.append(f"({text})" if isinstance(part, (_Group, _Raw)) else text)
        return f" {self.joiner} ".join(rendered)


@attrs.frozen
class _Not(Condition):
    inner: Condition

    def render(self) -> str:
        return f"NOT ({self.inner.render()})"


@attrs.frozen
class _Raw(Condition):
    text: str

    def render(self) -> str:
        return self.text


def _coerce(value: Condition | str) -> Condition:
    if isinstance(value, Condition):
        return value
    if isinstance(value, str):
        return _Raw(validate(value))
    raise QueryError(f"not a condition: {type(value).__name__}")


def render(value: Condition | str | None) -> str | None:
    """Render a condition (checking hand-written strings); ``None`` stays ``None``.

    Raises:
        QueryError: A hand-written string is not valid ``conditions`` syntax.
    """
    if value is None:
        return None
    return _coerce(value).render()


class Field:
    """A field path in conditions; attribute access descends into references (``C.company.identifier``)."""

    __slots__ = ("_path",)
    _path: str

    def __init__(self, path: str) -> None:
        object.__setattr__(self, "_path", _check_path(path))

    @property
    def path(self) -> str:
        """The wire path (``company/identifier``)."""
        return self._path

    def __getattr__(self, name: str) -> Field:
        if name.startswith("__"):
            raise AttributeError(name)
        return Field(f"{self._path}/{_camel(name)}")

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Field is immutable")

    def __repr__(self) -> str:
        return f"Field({self._path!r})"

    def _cmp(self, op: str, value: object) -> Condition:
        if isinstance(value, (list, tuple, set, frozenset)):
            raise QueryError(f"use in_() for sequences, not {op!r}")
        if isinstance(value, str) and value.endswith("\\") and op in {"=", "!="}:
            # No literal may end with a backslash: the same test as an exact LIKE pattern ("a[\\]").
            return _Predicate(self._path, "like" if op == "=" else "not like", quote(_like_escape(value)))
        return _Predicate(self._path, op, quote(value))

    def __eq__(self, value: object) -> Condition:  # type: ignore[override]
        return self._cmp("=", value)

    def __ne__(self, value: object) -> Condition:  # type: ignore[override]
        return self._cmp("!=", value)

    def __lt__(self, value: object) -> Condition:
        return self._cmp("<", value)

    def __le__(self, value: object) -> Condition:
        return self._cmp("<=", value)

    def __gt__(self, value: object) -> Condition:
        return self._cmp(">", value)

    def __ge__(self, value: object) -> Condition:
        return self._cmp(">=", value)

    __hash__ = None  # type: ignore[assignment]

    def _text(self, value: object, what: str) -> str:
        if not isinstance(value, str):
            raise QueryError(f"{what} needs a string, got {type(value).__name__}")
        return value

    def contains(self, value: str) -> Condition:
        """Substring match (wildcards in ``value`` are escaped: it matches literally)."""
        return _Predicate(self._path, "contains", quote(_like_escape(self._text(value, "contains"))))

    def not_contains(self, value: str) -> Condition:
        """Negated substring match."""
        return _Predicate(self._path, "not contains", quote(_like_escape(self._text(value, "contains"))))

    def like(self, pattern: str) -> Condition:
        """SQL LIKE match: ``%`` any run, ``_`` one character (the pattern is still one quoted literal)."""
        return _Predicate(self._path, "like", quote(self._text(pattern, "like")))

    def not_like(self, pattern: str) -> Condition:
        """Negated LIKE match."""
        return _Predicate(self._path, "not like", quote(self._text(pattern, "like")))

    def starts_with(self, value: str) -> Condition:
        """Prefix match (``like "value%"`` with ``value`` escaped)."""
        return _Predicate(self._path, "like", quote(_like_escape(self._text(value, "starts_with")) + "%"))

    def in_(self, values: Iterable[object]) -> Condition:
        """Membership (``in (a, b)``)."""
        return _Predicate(self._path, "in", quote(list(values)))

    def not_in(self, values: Iterable[object]) -> Condition:
        """Negated membership (``not in (a, b)``)."""
        return _Predicate(self._path, "not in", quote(list(values)))

    def is_null(self) -> Condition:
        """``field = null``."""
        return _Predicate(self._path, "=", "null")

    def is_not_null(self) -> Condition:
        """``field != null``."""
        return _Predicate(self._path, "!=", "null")

    def is_true(self) -> Condition:
        """``field = True``."""
        return _Predicate(self._path, "=", "True")

    def is_false(self) -> Condition:
        """``field = False``."""
        return _Predicate(self._path, "=", "False")

    def asc(self) -> OrderBy:
        """Ascending sort on this field."""
        return OrderBy(self._path, descending=False)

    def desc(self) -> OrderBy:
        """Descending sort on this field."""
        return OrderBy(self._path, descending=True)


class _FieldRoot:
    """``C.name``, ``C.company.identifier``, ``C.last_updated`` (snake_case becomes camelCase)."""

    def __getattr__(self, name: str) -> Field:
        if name.startswith("__"):
            raise AttributeError(name)
        return Field(_camel(name))


C = _FieldRoot()
"""Field paths by attribute: ``C.company.identifier == "ACME"``."""


def F(path: str) -> Field:
    """A field by its wire path (``F("company/identifier")``, ``F("_info/dateEntered")``).

    Raises:
        QueryError: The path is not ``ident{/ident}``.
    """
    return Field(path)


class _CustomField:
    """Conditions on one custom field, for ``customFieldConditions``."""

    def __init__(self, caption: str) -> None:
        if not isinstance(caption, str) or not caption:
            raise QueryError("a custom field caption must be a non-empty string")
        self._caption = _Predicate("caption", "=", quote(caption))
        self._value = Field("value")

    def _wrap(self, cond: Condition) -> Condition:
        return _Group("AND", (self._caption, cond))

    def __eq__(self, value: object) -> Condition:  # type: ignore[override]
        return self._wrap(self._value == value)

    def __ne__(self, value: object) -> Condition:  # type: ignore[override]
        return self._wrap(self._value != value)

    def __lt__(self, value: object) -> Condition:
        return self._wrap(self._value < value)

    def __gt__(self, value: object) -> Condition:
        return self._wrap(self._value > value)

    __hash__ = None  # type: ignore[assignment]

    def contains(self, value: str) -> Condition:
        """The custom field value contains ``value``."""
        return self._wrap(self._value.contains(value))

    def like(self, pattern: str) -> Condition:
        """The custom field value matches a LIKE pattern."""
        return self._wrap(self._value.like(pattern))

    def is_set(self) -> Condition:
        """The custom field has a value (``value != null``)."""
        return self._wrap(self._value.is_not_null())


def custom_field(caption: str) -> _CustomField:
    """Conditions on a custom field by caption: ``custom_field("Outage ID") == 42``."""
    return _CustomField(caption)


@attrs.frozen
class OrderBy:
    """One ``orderBy`` term (``company/name asc``)."""

    path: str = attrs.field(converter=_check_path)
    descending: bool = False

    def render(self) -> str:
        """The ``orderBy`` text."""
        return f"{self.path} {'desc' if self.descending else 'asc'}"


_ORDER_TEXT = re.compile(rf"[ \t]*({_IDENT}(?:/{_IDENT})*)(?:[ \t]+(asc|desc))?[ \t]*", re.IGNORECASE)


def order_by_param(order_by: Sequence[OrderBy | str] | OrderBy | str | None) -> str | None:
    """Render ``orderBy`` (``"name asc"`` strings are checked).

    Raises:
        QueryError: A term is not ``path [asc|desc]``.
    """
    if order_by is None:
        return None
    terms = [order_by] if isinstance(order_by, (OrderBy, str)) else list(order_by)
    rendered: list[str] = []
    for term in terms:
        if isinstance(term, OrderBy):
            rendered.append(term.render())
            continue
        found = _ORDER_TEXT.fullmatch(term) if isinstance(term, str) else None
        if found is None:
            raise QueryError(f"invalid orderBy term: {term!r}")
        rendered.append(OrderBy(found.group(1), (found.group(2) or "asc").lower() == "desc").render())
    return ", ".join(rendered) or None


def fields_param(fields: Sequence[str] | None, *, include_info: bool = False) -> str | None:
    """Render ``fields`` (each path checked); ``include_info`` adds ``_info`` (incremental reads need it)
    unless ``_info`` or ``_info/lastUpdated`` is there already.

    Raises:
        QueryError: A field path is invalid.
    """
    if not fields:
        return None
    if isinstance(fields, str):
        fields = [part.strip() for part in fields.split(",")]
    names = [_check_path(name) for name in fields]
    if include_info and "_info" not in names and "_info/lastUpdated" not in names:
        names.append("_info")
    return ",".join(dict.fromkeys(names))


@attrs.frozen(kw_only=True)
class Query:
    """The query parameters of a ConnectWise list or count request.

    Attributes:
        conditions: ``conditions`` (a :class:`Condition` or a checked string).
        child_conditions: ``childConditions`` (filters on arrays such as ``communicationItems``).
        custom_field_conditions: ``customFieldConditions`` (see :func:`custom_field`).
        order_by: ``orderBy`` terms (not allowed with forward-only paging).
        fields: ``fields`` projection (``_info`` is added when ``include_info`` is asked).
    """

    conditions: Condition | str | None = None
    child_conditions: Condition | str | None = None
    custom_field_conditions: Condition | str | None = None
    order_by: Sequence[OrderBy | str] | OrderBy | str | None = None
    fields: Sequence[str] | None = None

    def params(self, *, include_info: bool = False, with_order: bool = True) -> dict[str, str]:
        """The query parameters (rendered and checked).

        Raises:
            QueryError: Something is malformed; nothing has been sent.
        """
        out: dict[str, str] = {}
        pairs: Mapping[str, str | None] = {
            "conditions": render(self.conditions),
            "childConditions": render(self.child_conditions),
            "customFieldConditions": render(self.custom_field_conditions),
            "orderBy": order_by_param(self.order_by) if with_order else None,
            "fields": fields_param(self.fields, include_info=include_info),
        }
        for key, value in pairs.items():
            if value:
                out[key] = value
        return out


# ------------------------------------------------------------------------------ checking raw strings

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<lp>\()
  | (?P<rp>\))
  | (?P<comma>,)
  | (?P<op>!=|<=|>=|=|<|>)
  | (?P<dq>"[^"]*")
  | (?P<sq>'[^']*')
  | (?P<dt>\[[^\[\]]*\])
  | (?P<num>-?\d+(?:\.\d+)?(?![A-Za-z_]))
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*(?:/[A-Za-z_][A-Za-z0-9_]*)*)
    """,
    re.VERBOSE | re.DOTALL,
)


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        found = _TOKEN.match(text, pos)
        if found is None:
            raise QueryError(f"unexpected character in conditions at {pos}")
        kind = found.lastgroup or ""
        if kind != "ws":
            out.append((kind, found.group()))
        pos = found.end()
    return out


class _Checker:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise QueryError("conditions end too early")
        self.pos += 1
        return token

    def is_word(self, *words: str) -> bool:
        token = self.peek()
        return token is not None and token[0] == "word" and token[1].lower() in words

    def expr(self) -> None:
        self.term()
        while self.is_word("and", "or"):
            self.take()
            self.term()

    def term(self) -> None:
        if self.is_word("not"):
            self.take()
            self.term()
            return
        token = self.peek()
        if token is not None and token[0] == "lp":
            self.take()
            self.expr()
            if self.take()[0] != "rp":
                raise QueryError("missing ')' in conditions")
            return
        self.predicate()

    def value(self) -> None:
        kind, text = self.take()
        if kind in {"dq", "sq", "dt", "num"}:
            return
        if kind == "word" and text.lower() in {"true", "false", "null"}:
            return
        raise QueryError(f"expected a value in conditions, got {text[:20]!r}")

    def predicate(self) -> None:
        kind, text = self.take()
        if kind != "word" or text.lower() in _KEYWORDS:
            raise QueryError(f"expected a field name in conditions, got {text[:20]!r}")
        negated = False
        if self.is_word("not"):
            self.take()
            negated = True
        token = self.take()
        if token[0] == "op" and not negated:
            self.value()
        elif token[0] == "word" and token[1].lower() in {"contains", "like"}:
            if self.take()[0] not in {"dq", "sq"}:
                raise QueryError(f"{token[1]} needs a quoted string")
        elif token[0] == "word" and token[1].lower() == "in":
            if self.take()[0] != "lp":
                raise QueryError("'in' needs a parenthesised list")
            self.value()
            while (nxt := self.take())[0] == "comma":
                self.value()
            if nxt[0] != "rp":
                raise QueryError("missing ')' after an 'in' list")
        else:
            raise QueryError(f"expected an operator in conditions, got {token[1][:20]!r}")


def validate(text: str) -> str:
    """Check a hand-written ``conditions`` string against the grammar and return it unchanged.

    Raises:
        QueryError: The text is empty or malformed (unbalanced quotes or parentheses, missing values).
    """
    if not isinstance(text, str) or not text.strip():
        raise QueryError("conditions must be a non-empty string")
    checker = _Checker(_tokens(text))
    checker.expr()
    if checker.peek() is not None:
        raise QueryError(f"unexpected {checker.peek()[1][:20]!r} in conditions")  # type: ignore[index]
    return text
