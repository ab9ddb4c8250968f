"""The QBO query language, built and never formatted: :func:`quote` and a small builder.

``quote(value)`` renders any Python value as a safe literal: strings in single quotes with ``\\`` and
``'`` backslash-escaped (backslash first, so a trailing backslash can never un-escape the quote),
booleans bare, numbers bare, dates and aware datetimes quoted ISO-8601, sequences as ``(a, b)`` for
``IN``. Field and entity names are checked against an identifier pattern, so no user-supplied
string can leave its literal::

    from msplink.quickbooks import query as q

    stmt = (
        q.select("Customer")
        .where(q.field("DisplayName") == "O'Brien IT", q.field("Active").in_([True, False]))
        .order_by("Id")
    )
    str(stmt)  # SELECT * FROM Customer WHERE DisplayName = 'O\\'Brien IT' AND Active IN (true, false) ORDERBY Id

QBO supports ``=``, ``<``, ``>``, ``<=``, ``>=``, ``IN`` and ``LIKE`` (``%`` wildcard), conditions
joined with ``AND`` only (no ``OR``), ``ORDERBY``, ``STARTPOSITION`` (1-based) and ``MAXRESULTS``
(at most 1000).
"""

from __future__ import annotations

import enum
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

import attrs

from msplink.errors import QueryError

__all__ = [
    "MAX_RESULTS",
    "Condition",
    "Field",
    "Select",
    "count",
    "ensure_statement",
    "field",
    "order_term",
    "parse_where",
    "quote",
    "select",
]

MAX_RESULTS = 1000
"""The largest page QBO serves (``MAXRESULTS``)."""

# \Z, not $: "$" also matches before a trailing newline, which would let "Name\n" through.
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)*\Z")
_ENTITY = re.compile(r"[A-Za-z][A-Za-z0-9]*\Z")
_ORDER_TERM = re.compile(
    r"(?P<name>[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)*)(?:\s+(?P<dir>ASC|DESC))?\Z", re.I
)
_TOKEN = re.compile(
    r"""\s*(?:
      (?P<string>'(?:\\.|[^'\\])*')
    | (?P<number>-?\d+(?:\.\d+)?)
    | (?P<op><=|>=|=|<|>)
    | (?P<punct>[(),])
    | (?P<word>[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)*)
    )""",
    re.X,
)
_VALUE_WORDS = frozenset({"TRUE", "FALSE", "CURRENT_DATE"})


def _check_name(name: str, what: str = "field") -> str:
    if not isinstance(name, str) or not _NAME.match(name):
        raise QueryError(f"invalid {what} name {name!r}")
    return name


def _quote_string(value: str) -> str:
    for char in value:
        if unicodedata.category(char) == "Cc":
            raise QueryError("control characters cannot appear in a QBO query literal")
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def quote(value: object) -> str:
    """Render a Python value as a QBO query literal.

    Args:
        value: ``str``, ``bool``, ``int``, ``Decimal``, finite ``float``, ``date``, aware
            ``datetime``, an ``Enum`` (its value), ``None`` (QBO's ``' '``), or a non-empty
            sequence/set of those (rendered ``(a, b)`` for ``IN``).

    Returns:
        The literal.

    Raises:
        QueryError: The value cannot be rendered safely (naive datetime, control characters,
            non-finite number, empty sequence, unsupported type).
    """
    if isinstance(value, enum.Enum):
        return quote(value.value)
    if value is None:
        return "' '"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return _quote_string(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise QueryError(f"cannot render a non-finite number {value!r}")
        return format(value, "f")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise QueryError(f"cannot render a non-finite number {value!r}")
        return format(Decimal(repr(value)), "f")
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise QueryError("datetimes in QBO queries must be timezone-aware")
        return "'" + value.isoformat() + "'"
    if isinstance(value, date):
        return "'" + value.isoformat() + "'"
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else list(value)
        if not items:
            raise QueryError("IN needs at least one value")
        return "(" + ", ".join(quote(item) for item in items) + ")"
    raise QueryError(f"cannot render a {type(value).__name__} in a QBO query")


@attrs.frozen
class Condition:
    """One rendered ``<field> <op> <literal>`` condition; join several with ``&`` (AND)."""

    text: str

    def __and__(self, other: Condition) -> Condition:
        if not isinstance(other, Condition):
            return NotImplemented
        return Condition(f"{self.text} AND {other.text}")

    def __str__(self) -> str:
        return self.text


@attrs.frozen(eq=False)
class Field:
    """A queryable property (``DisplayName``, ``MetaData.LastUpdatedTime``); comparisons build conditions."""

    name: str = attrs.field(validator=lambda _i, _a, v: _check_name(v))

    def _cond(self, op: str, value: object) -> Condition:
        if isinstance(value, (list, tuple, set, frozenset)):
            raise QueryError(f"use .in_() for sequences, not {op}")
        return Condition(f"{self.name} {op} {quote(value)}")

    def __eq__(self, value: object) -> Condition:  # type: ignore[override]
        return self._cond("=", value)

    def __lt__(self, value: object) -> Condition:
        return self._cond("<", value)

    def __le__(self, value: object) -> Condition:
        return self._cond("<=", value)

    def __gt__(self, value: object) -> Condition:
        return self._cond(">", value)

    def __ge__(self, value: object) -> Condition:
        return self._cond(">=", value)

    __hash__ = None  # type: ignore[assignment]

    def in_(self, values: Iterable[object]) -> Condition:
        """``<field> IN (a, b, ...)``."""
        items = list(values) if not isinstance(values, (str, bytes)) else None
        if items is None:
            raise QueryError("IN takes a sequence of values, not a string")
        return Condition(f"{self.name} IN {quote(items)}")

    def like(self, pattern: str) -> Condition:
        """``<field> LIKE '<pattern>'`` (``%`` is the only wildcard)."""
        if not isinstance(pattern, str):
            raise QueryError("LIKE takes a string pattern")
        return Condition(f"{self.name} LIKE {quote(pattern)}")


def field(name: str) -> Field:
    """A queryable property by name (checked against ``[A-Za-z][A-Za-z0-9_]*`` with dots).

    Raises:
        QueryError: The name is not a plain identifier.
    """
    try:
        return Field(name)
    except QueryError:
        raise
    except (TypeError, ValueError) as exc:
        raise QueryError(f"invalid field name {name!r}") from exc


@attrs.frozen(kw_only=True)
class Select:
    """An immutable ``SELECT`` statement; every method returns a new statement."""

    entity: str
    fields: tuple[str, ...] = ("*",)
    is_count: bool = False
    conditions: tuple[Condition, ...] = ()
    order: tuple[str, ...] = ()
    start: int | None = None
    max_results: int | None = None

    def where(self, *conditions: Condition) -> Select:
        """Add conditions (joined with AND)."""
        for cond in conditions:
            if not isinstance(cond, Condition):
                raise QueryError("where() takes conditions built with field(...)")
        return attrs.evolve(self, conditions=self.conditions + tuple(conditions))

    def order_by(self, name: str, *, desc: bool = False) -> Select:
        """Add an ``ORDERBY`` key."""
        _check_name(name)
        return attrs.evolve(self, order=(*self.order, f"{name} DESC" if desc else name))

    def start_position(self, position: int) -> Select:
        """Set ``STARTPOSITION`` (1-based)."""
        if isinstance(position, bool) or not isinstance(position, int) or position < 1:
            raise QueryError("STARTPOSITION must be an integer >= 1")
        return attrs.evolve(self, start=position)

    def limit(self, count: int) -> Select:
        """Set ``MAXRESULTS`` (1..1000)."""
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_RESULTS:
            raise QueryError(f"MAXRESULTS must be an integer in 1..{MAX_RESULTS}")
        return attrs.evolve(self, max_results=count)

    def page(self, start: int, size: int = MAX_RESULTS) -> Select:
        """The same statement for one page (``STARTPOSITION start MAXRESULTS size``)."""
        return self.start_position(start).limit(size)

    def render(self) -> str:
        """The statement text."""
        head = "COUNT(*)" if self.is_count else ", ".join(self.fields)
        parts = [f"SELECT {head} FROM {self.entity}"]  # noqa: S608 - names are validated identifiers
        if self.conditions:
            parts.append("WHERE " + " AND ".join(c.text for c in self.conditions))
        if self.order and not self.is_count:
            parts.append("ORDERBY " + ", ".join(self.order))
        if self.start is not None:
            parts.append(f"STARTPOSITION {self.start}")
        if self.max_results is not None:
            parts.append(f"MAXRESULTS {self.max_results}")
        return " ".join(parts)

    def __str__(self) -> str:
        return self.render()


def select(entity: str, *fields: str) -> Select:
    """``SELECT * FROM <entity>`` (or the given fields).

    Raises:
        QueryError: The entity or a field name is not a plain identifier.
    """
    if not isinstance(entity, str) or not _ENTITY.match(entity):
        raise QueryError(f"invalid entity name {entity!r}")
    for name in fields:
        _check_name(name)
    return Select(entity=entity, fields=tuple(fields) or ("*",))


def count(entity: str) -> Select:
    """``SELECT COUNT(*) FROM <entity>``."""
    return attrs.evolve(select(entity), is_count=True)


def order_term(text: str) -> str:
    """Validate one ``ORDERBY`` term: ``"Name"``, ``"TxnDate DESC"`` or ``"Id ASC"``.

    Raises:
        QueryError: It is not a property name, optionally followed by ``ASC`` or ``DESC``.
    """
    match = _ORDER_TERM.match(text) if isinstance(text, str) else None
    if match is None:
        raise QueryError(f"invalid ORDERBY term {text!r}")
    direction = match.group("dir")
    return f"{match.group('name')} {direction.upper()}" if direction else match.group("name")


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    position, end = 0, len(text.rstrip())
    while position < end:
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise QueryError("a WHERE clause may hold only conditions joined by AND")
        kind = match.lastgroup or ""
        value = match.group(kind)
        if kind == "string" and any(unicodedata.category(c) == "Cc" for c in value):
            raise QueryError("control characters cannot appear in a QBO query literal")
        tokens.append((kind, value))
        position = match.end()
    return tokens


class _Where:
    """A recursive-descent reader of ``cond (AND cond)*`` over the tokens of a WHERE clause."""

    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self._tokens = tokens
        self._at = 0

    def _next(self) -> tuple[str, str]:
        if self._at >= len(self._tokens):
            raise QueryError("the WHERE clause ends in the middle of a condition")
        token = self._tokens[self._at]
        self._at += 1
        return token

    def _value(self) -> str:
        kind, value = self._next()
        if kind in {"string", "number"}:
            return value
        if kind == "word" and value.upper() in _VALUE_WORDS:
            return "CURRENT_DATE" if value.upper() == "CURRENT_DATE" else value.lower()
        raise QueryError("a condition compares a property with a literal")

    def _condition(self) -> str:
        kind, name = self._next()
        if kind != "word" or name.upper() in {"AND", "IN", "LIKE", *_VALUE_WORDS}:
            raise QueryError("a condition starts with a property name")
        kind, op = self._next()
        if kind == "op":
            return f"{name} {op} {self._value()}"
        if kind == "word" and op.upper() == "LIKE":
            kind, pattern = self._next()
            if kind != "string":
                raise QueryError("LIKE takes a quoted pattern")
            return f"{name} LIKE {pattern}"
        if kind == "word" and op.upper() == "IN":
            if self._next() != ("punct", "("):
                raise QueryError("IN takes a parenthesised list")
            values = [self._value()]
            while (separator := self._next()) == ("punct", ","):
                values.append(self._value())
            if separator != ("punct", ")"):
                raise QueryError("IN takes a parenthesised list")
            return f"{name} IN ({', '.join(values)})"
        raise QueryError("QBO conditions use =, <, >, <=, >=, IN or LIKE")

    def read(self) -> str:
        parts = [self._condition()]
        while self._at < len(self._tokens):
            kind, word = self._next()
            if kind != "word" or word.upper() != "AND":
                raise QueryError("QBO conditions combine with AND only")
            parts.append(self._condition())
        return " AND ".join(parts)


def parse_where(text: str) -> Condition:
    """Validate a WHERE clause written by hand (``"Balance > '0' AND Active = true"``) before any I/O.

    The clause may hold only ``<property> <op> <literal>`` conditions (``=``, ``<``, ``>``, ``<=``,
    ``>=``, ``IN (...)``, ``LIKE '...'``) joined by ``AND``; literals are quoted strings (``\\'`` and
    ``\\\\`` escapes), numbers, ``true``, ``false`` or ``CURRENT_DATE``. Anything else (``OR``, a
    second statement, ``ORDERBY``, paging clauses, an unclosed quote) is refused.

    Returns:
        The condition, its whitespace normalised.

    Raises:
        QueryError: The text is not such a clause.
    """
    if not isinstance(text, str) or not text.strip():
        raise QueryError("a WHERE clause is a non-empty string")
    return Condition(_Where(_tokens(text)).read())


def ensure_statement(statement: str | Select | Sequence[str]) -> str:
    """Accept a built :class:`Select` or a statement string; reject anything else before I/O."""
    if isinstance(statement, Select):
        return statement.render()
    if isinstance(statement, str):
        text = statement.strip()
        if not re.match(r"(?is)^select\s", text):
            raise QueryError("a QBO query starts with SELECT")
        return text
    raise QueryError("a query is a Select or a string")
