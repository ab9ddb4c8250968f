"""SOQL, built never formatted: ``quote(value)`` and a small query builder (DESIGN §3, STYLE R14).

Every value goes through :func:`quote`, which renders it as one safe SOQL literal: strings are
single-quoted with ``\\ ' " \\n \\r \\t \\b \\f`` backslash-escaped (and ``%`` / ``_`` too for
``LIKE``), numbers, booleans, ``null``, dates and UTC datetimes are unquoted, sequences become
``(a, b)`` lists for ``IN``. Identifiers (objects, fields, relationship paths) are never quoted:
they are checked against ``[A-Za-z][A-Za-z0-9_]*(\\.[A-Za-z][A-Za-z0-9_]*)*`` (the whole name: a
trailing newline is refused too).

Example:
    >>> from msplink.salesforce import soql
    >>> q = soql.select("Id", "Name").from_("Account").where(soql.F("Name") == "Bob's BBQ").limit(10)
    >>> str(q)
    "SELECT Id, Name FROM Account WHERE Name = 'Bob\\\\'s BBQ' LIMIT 10"
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Final

import attrs

from msplink.errors import QueryError

__all__ = [
    "Condition",
    "DateLiteral",
    "F",
    "LAST_N_DAYS",
    "MAX_LENGTH",
    "NEXT_N_DAYS",
    "Query",
    "TODAY",
    "TOMORROW",
    "YESTERDAY",
    "and_",
    "check_identifier",
    "condition",
    "date_literal",
    "datetime_literal",
    "escape",
    "not_",
    "or_",
    "quote",
    "select",
    "validate",
]

_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*\Z")
_ESCAPES: Final = {
    "\\": "\\\\",
    "'": "\\'",
    '"': '\\"',
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}
_LIKE_ESCAPES: Final = {"%": "\\%", "_": "\\_"}
MAX_LENGTH: Final = 100_000
"""Characters one SOQL statement may hold (REFERENCE §5); a ``GET /query`` URI (16,384 bytes) holds
less, a statement in a ``POST /composite`` subrequest all of it."""


def check_identifier(name: str) -> str:
    """Validate an object, field or relationship-path name (``Account.Owner.Name``).

    Raises:
        QueryError: The name is not a SOQL identifier (it could change the statement).
    """
    if not isinstance(name, str) or not _IDENTIFIER.match(name):
        raise QueryError(f"invalid SOQL identifier: {name!r}")
    return name


def escape(text: str, *, like: bool = False) -> str:
    """Backslash-escape a string for use between single quotes (``like=True`` also escapes % and _)."""
    out = "".join(_ESCAPES.get(ch, ch) for ch in text)
    if like:
        out = "".join(_LIKE_ESCAPES.get(ch, ch) for ch in out)
    return out


@attrs.frozen
class DateLiteral:
    """A SOQL date literal such as ``TODAY`` or ``LAST_N_DAYS:30`` (rendered unquoted)."""

    name: str
    n: int | None = None

    def __attrs_post_init__(self) -> None:
        if not re.fullmatch(r"[A-Z_]+", self.name):
            raise QueryError(f"invalid SOQL date literal: {self.name!r}")
        if self.n is not None and (isinstance(self.n, bool) or not isinstance(self.n, int) or self.n < 0):
            raise QueryError(f"invalid SOQL date literal count: {self.n!r}")

    def __str__(self) -> str:
        return self.name if self.n is None else f"{self.name}:{self.n}"


TODAY: Final = DateLiteral("TODAY")
YESTERDAY: Final = DateLiteral("YESTERDAY")
TOMORROW: Final = DateLiteral("TOMORROW")


def LAST_N_DAYS(n: int) -> DateLiteral:
    """The ``LAST_N_DAYS:n`` date literal."""
    return DateLiteral("LAST_N_DAYS", n)


def NEXT_N_DAYS(n: int) -> DateLiteral:
    """The ``NEXT_N_DAYS:n`` date literal."""
    return DateLiteral("NEXT_N_DAYS", n)


def date_literal(value: date) -> str:
    """Render a date as ``YYYY-MM-DD`` (unquoted)."""
    if isinstance(value, datetime):
        raise QueryError("date_literal() takes a date; use datetime_literal() for datetimes")
    return value.isoformat()


def datetime_literal(value: datetime) -> str:
    """Render an aware datetime as a UTC ``YYYY-MM-DDThh:mm:ssZ`` literal (sub-seconds dropped).

    Raises:
        QueryError: The datetime is naive (its meaning would depend on the org's time zone).
    """
    if value.tzinfo is None or value.utcoffset() is None:
        raise QueryError("SOQL datetimes must be timezone-aware")
    utc = value.astimezone(timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%SZ")


def quote(value: object, *, like: bool = False) -> str:
    """Render any Python value as one safe SOQL literal.

    Args:
        value: ``str``, ``int``, ``Decimal``, ``float`` (finite), ``bool``, ``None``, ``date``,
            aware ``datetime``, a :class:`DateLiteral`, or a non-empty sequence of those (for ``IN``).
        like: Also escape the ``LIKE`` wildcards ``%`` and ``_`` inside strings.

    Returns:
        The literal text; a string can never leave its quotes.

    Raises:
        QueryError: The value has no SOQL literal form.
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return "'" + escape(value, like=like) + "'"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise QueryError(f"non-finite number has no SOQL literal: {value!r}")
        return format(value, "f")
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise QueryError(f"non-finite number has no SOQL literal: {value!r}")
        return format(Decimal(repr(value)), "f")
    if isinstance(value, datetime):
        return datetime_literal(value)
    if isinstance(value, date):
        return date_literal(value)
    if isinstance(value, DateLiteral):
        return str(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else list(value)
        if not items:
            raise QueryError("an IN list needs at least one value")
        for item in items:
            if isinstance(item, (list, tuple, set, frozenset)):
                raise QueryError("IN lists cannot nest")
        return "(" + ", ".join(quote(item) for item in items) + ")"
    raise QueryError(f"no SOQL literal for {type(value).__name__}")


# ------------------------------------------------------------------------------------------ builder


@attrs.frozen
class Condition:
    """A rendered WHERE condition; combine with ``&``, ``|`` and ``~``."""

    text: str
    compound: bool = False

    def _wrapped(self) -> str:
        return f"({self.text})" if self.compound else self.text

    def __and__(self, other: Condition) -> Condition:
        return Condition(f"{self._wrapped()} AND {other._wrapped()}", compound=True)

    def __or__(self, other: Condition) -> Condition:
        return Condition(f"{self._wrapped()} OR {other._wrapped()}", compound=True)

    def __invert__(self) -> Condition:
        return Condition(f"NOT {self._wrapped() if self.compound else '(' + self.text + ')'}", compound=True)

    def __str__(self) -> str:
        return self.text


def and_(*conditions: Condition) -> Condition:
    """All of the conditions."""
    return _join(" AND ", conditions)


def or_(*conditions: Condition) -> Condition:
    """Any of the conditions."""
    return _join(" OR ", conditions)


def not_(condition: Condition) -> Condition:
    """The negation of a condition."""
    return ~condition


def _join(sep: str, conditions: Sequence[Condition]) -> Condition:
    if not conditions:
        raise QueryError("at least one condition is required")
    if len(conditions) == 1:
        return conditions[0]
    return Condition(sep.join(c._wrapped() for c in conditions), compound=True)


class F:
    """A field reference whose operators build conditions: ``F("Amount") > Decimal("1000")``."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = check_identifier(name)

    def __repr__(self) -> str:
        return f"F({self.name!r})"

    def _op(self, op: str, value: object) -> Condition:
        if isinstance(value, (list, tuple, set, frozenset)):
            raise QueryError(f"use .in_() for sequences, not {op}")
        return Condition(f"{self.name} {op} {quote(value)}")

    def __eq__(self, value: object) -> Condition:  # type: ignore[override]
        return self._op("=", value)

    def __ne__(self, value: object) -> Condition:  # type: ignore[override]
        return self._op("!=", value)

    def __lt__(self, value: object) -> Condition:
        return self._op("<", value)

    def __le__(self, value: object) -> Condition:
        return self._op("<=", value)

    def __gt__(self, value: object) -> Condition:
        return self._op(">", value)

    def __ge__(self, value: object) -> Condition:
        return self._op(">=", value)

    __hash__ = None  # type: ignore[assignment]

    def in_(self, values: Iterable[object]) -> Condition:
        """``field IN (...)``."""
        return Condition(f"{self.name} IN {quote(tuple(values))}")

    def not_in(self, values: Iterable[object]) -> Condition:
        """``field NOT IN (...)``."""
        return Condition(f"{self.name} NOT IN {quote(tuple(values))}")

    def like(self, pattern: str) -> Condition:
        """``field LIKE 'pattern'``: ``%`` and ``_`` in ``pattern`` are wildcards."""
        return Condition(f"{self.name} LIKE {quote(pattern)}")

    def contains(self, text: str) -> Condition:
        """``field LIKE '%text%'`` with ``text`` matched literally."""
        return Condition(f"{self.name} LIKE '%{escape(text, like=True)}%'")

    def startswith(self, text: str) -> Condition:
        """``field LIKE 'text%'`` with ``text`` matched literally."""
        return Condition(f"{self.name} LIKE '{escape(text, like=True)}%'")

    def endswith(self, text: str) -> Condition:
        """``field LIKE '%text'`` with ``text`` matched literally."""
        return Condition(f"{self.name} LIKE '%{escape(text, like=True)}'")

    def is_null(self) -> Condition:
        """``field = null``."""
        return Condition(f"{self.name} = null")

    def asc(self, *, nulls: str | None = None) -> str:
        """An ``ORDER BY`` term, ascending."""
        return _order(self.name, "ASC", nulls)

    def desc(self, *, nulls: str | None = None) -> str:
        """An ``ORDER BY`` term, descending."""
        return _order(self.name, "DESC", nulls)


def _order(name: str, direction: str, nulls: str | None) -> str:
    if nulls is None:
        return f"{name} {direction}"
    if nulls.upper() not in {"FIRST", "LAST"}:
        raise QueryError("nulls must be 'first' or 'last'")
    return f"{name} {direction} NULLS {nulls.upper()}"


_ORDER_TERM = re.compile(
    r"[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*( (ASC|DESC))?( NULLS (FIRST|LAST))?\Z", re.IGNORECASE
)


@attrs.frozen
class Query:
    """An immutable SOQL statement; each method returns a new one. ``str(query)`` renders it."""

    fields: tuple[str, ...] = ()
    sobject: str | None = None
    condition: Condition | None = None
    ordering: tuple[str, ...] = ()
    limit_value: int | None = None
    offset_value: int | None = None

    def from_(self, sobject: str) -> Query:
        """Set the object queried."""
        return attrs.evolve(self, sobject=check_identifier(sobject))

    def where(self, *conditions: Condition) -> Query:
        """Add conditions (ANDed with any present)."""
        for cond in conditions:
            if not isinstance(cond, Condition):
                raise QueryError("where() takes conditions built with F(...); never raw strings")
        parts = ([self.condition] if self.condition is not None else []) + list(conditions)
        return attrs.evolve(self, condition=and_(*parts))

    def order_by(self, *terms: str | F) -> Query:
        """Add ``ORDER BY`` terms: field names, ``F("X").desc()`` or ``"X DESC NULLS LAST"``."""
        rendered: list[str] = []
        for term in terms:
            text = term.name if isinstance(term, F) else term
            if not _ORDER_TERM.match(text):
                raise QueryError(f"invalid ORDER BY term: {text!r}")
            rendered.append(text)
        return attrs.evolve(self, ordering=self.ordering + tuple(rendered))

    def limit(self, n: int) -> Query:
        """Set ``LIMIT``."""
        return attrs.evolve(self, limit_value=_count(n, "LIMIT"))

    def offset(self, n: int) -> Query:
        """Set ``OFFSET`` (Salesforce allows at most 2,000)."""
        if _count(n, "OFFSET") > 2000:
            raise QueryError("OFFSET cannot exceed 2000")
        return attrs.evolve(self, offset_value=n)

    def render(self) -> str:
        """The SOQL text.

        Raises:
            QueryError: No fields or no object.
        """
        if not self.fields:
            raise QueryError("a SOQL query needs at least one field")
        if self.sobject is None:
            raise QueryError("a SOQL query needs FROM")
        parts = [f"SELECT {', '.join(self.fields)} FROM {self.sobject}"]  # noqa: S608 - identifiers checked
        if self.condition is not None:
            parts.append(f"WHERE {self.condition.text}")
        if self.ordering:
            parts.append("ORDER BY " + ", ".join(self.ordering))
        if self.limit_value is not None:
            parts.append(f"LIMIT {self.limit_value}")
        if self.offset_value is not None:
            parts.append(f"OFFSET {self.offset_value}")
        return " ".join(parts)

    def __str__(self) -> str:
        return self.render()


def _count(n: int, what: str) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise QueryError(f"{what} must be a non-negative integer")
    return n


def select(*fields: str | Query) -> Query:
    """Start a query: ``select("Id", "Name", "Account.Name")``, ``select("COUNT()")``, or with a
    parent-to-child subquery ``select("Id", select("LastName").from_("Contacts"))``."""
    checked: list[str] = []
    for name in fields:
        if isinstance(name, Query):
            checked.append(f"({name.render()})")
        elif name.upper() == "COUNT()":
            checked.append("COUNT()")
        else:
            checked.append(check_identifier(name))
    if not checked:
        raise QueryError("select() needs at least one field")
    return Query(fields=tuple(checked))


_VALID_ESCAPES = set("nNrRtTbBfF\"'\\%_u")


def _skeleton(soql: str, *, top_level: bool = False) -> str:
    """The statement with every string literal blanked (and, with ``top_level``, everything inside
    parentheses too), after checking literals are closed, escapes valid and parentheses balanced."""
    depth = 0
    outside: list[str] = []
    i = 0
    while i < len(soql):
        ch = soql[i]
        if ch == "'":
            i += 1
            while True:
                if i >= len(soql):
                    raise QueryError("unterminated string literal in SOQL")
                c = soql[i]
                if c == "\\":
                    if i + 1 >= len(soql) or soql[i + 1] not in _VALID_ESCAPES:
                        raise QueryError("invalid escape sequence in SOQL string literal")
                    i += 2
                    continue
                if c == "'":
                    break
                i += 1
            outside.append(" ")
        elif ch == "(":
            depth += 1
            outside.append(ch)
        elif ch == ")":
            depth -= 1
            if depth < 0:
                raise QueryError("unbalanced parentheses in SOQL")
            outside.append(ch)
        else:
            outside.append(" " if top_level and depth > 0 else ch)
        i += 1
    if depth != 0:
        raise QueryError("unbalanced parentheses in SOQL")
    return "".join(outside)


_CLAUSE = re.compile(
    r"\b(SELECT|FROM|WHERE|WITH|GROUP\s+BY|HAVING|ORDER\s+BY|LIMIT|OFFSET|FOR|UPDATE|USING)\b", re.IGNORECASE
)


def condition(text: str) -> Condition:
    """A WHERE expression written in SOQL, checked before any I/O (for ``list(where="...")``).

    The text is the caller's own SOQL (values in it are not escaped for you: build conditions with
    :class:`F` when a value comes from elsewhere). It must be one condition: string literals closed
    with valid escapes, parentheses balanced, and no clause keyword (``LIMIT``, ``ORDER BY``,
    ``FROM`` ...) outside parentheses (semi-joins such as ``Id IN (SELECT ...)`` are fine).

    Raises:
        QueryError: The text is empty or not a single condition.
    """
    if not isinstance(text, str) or not text.strip():
        raise QueryError("empty SOQL condition")
    if len(text) > MAX_LENGTH:
        raise QueryError("SOQL condition longer than 100,000 characters")
    found = _CLAUSE.search(_skeleton(text, top_level=True))
    if found is not None:
        raise QueryError(f"a WHERE condition cannot contain {found.group(1).upper()!r} outside parentheses")
    return Condition(text.strip(), compound=True)


def validate(soql: str) -> str:
    """Check a SOQL string for errors detectable without the server; return it unchanged.

    Checks: not empty, at most 100,000 characters, starts with ``SELECT`` and has ``FROM``, quotes
    closed, only valid backslash escapes inside strings, parentheses balanced.

    Raises:
        QueryError: The statement is certainly invalid.
    """
    if not isinstance(soql, str) or not soql.strip():
        raise QueryError("empty SOQL statement")
    if len(soql) > MAX_LENGTH:
        raise QueryError("SOQL statement longer than 100,000 characters")
    text = _skeleton(soql)
    if not re.match(r"^\s*SELECT\s", text, re.IGNORECASE):
        raise QueryError("SOQL must start with SELECT")
    if not re.search(r"\sFROM\s+[A-Za-z]", text, re.IGNORECASE):
        raise QueryError("SOQL needs FROM <object>")
    return soql
