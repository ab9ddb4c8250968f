"""An independent parser and evaluator of the QBO query language (sandbox side).

Grammar: ``SELECT * [, f ...] | COUNT(*) | f1, f2 FROM Entity [WHERE cond [AND cond]*]
[ORDERBY | ORDER BY f [ASC|DESC] [, ...]] [STARTPOSITION n] [MAXRESULTS m]`` where ``cond`` is
``field op literal`` (``= < > <= >=``), ``field IN (lit, ...)`` or ``field LIKE 'pat'``. String
literals are single-quoted; a backslash escapes the next character (``\\'`` and ``\\\\``).

The real service accepts ``ORDER BY`` as two words and ``SELECT *, Sku FROM Item`` (python-quickbooks
builds both: ``ListMixin.all`` sends ``SELECT *, Sku FROM Item ... ORDER BY ...``); ``selected`` keeps every
property named in the select list so the sandbox can refuse unknown ones as the service does.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

__all__ = ["Condition", "Literal", "ParsedQuery", "QueryParseError", "QueryValidationError", "parse_query"]


class QueryParseError(Exception):
    """The statement does not lex or parse (QBO 4000)."""


class QueryValidationError(Exception):
    """The statement parses but names something invalid (QBO 4001)."""


@attrs.frozen
class Literal:
    """A literal: ``kind`` is ``string``, ``number``, ``bool`` or ``current_date``."""

    kind: str
    value: Any


@attrs.frozen
class Condition:
    """``field op literal`` (``op`` one of = < > <= >= != IN LIKE; IN holds a tuple of literals)."""

    field: str
    op: str
    value: Literal | tuple[Literal, ...]


@attrs.frozen(kw_only=True)
class ParsedQuery:
    """A parsed statement."""

    entity: str
    fields: tuple[str, ...] | None  # None = * (whole objects)
    count: bool
    conditions: tuple[Condition, ...]
    order: tuple[tuple[str, bool], ...]  # (field, descending)
    start: int
    max_results: int
    selected: tuple[str, ...] = ()  # every property named in the select list (with or without *)


_KEYWORDS = {
    "SELECT",
    "FROM",
    "WHERE",
    "AND",
    "OR",
    "ORDERBY",
    "ORDER",
    "BY",
    "ASC",
    "DESC",
    "STARTPOSITION",
    "MAXRESULTS",
    "IN",
    "LIKE",
    "COUNT",
    "TRUE",
    "FALSE",
    "CURRENT_DATE",
    "NOT",
}


@attrs.frozen
class _Token:
    kind: str  # word, string, number, op, punct, star
    text: str
    value: Any = None


def _lex(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if ch == "'":
            i += 1
            chars: list[str] = []
            while True:
                if i >= n:
                    raise QueryParseError('QueryParserError: Encountered "<EOF>" in a string literal')
                c = text[i]
                if c == "\\":
                    if i + 1 >= n:
                        raise QueryParseError("QueryParserError: dangling escape")
                    chars.append(text[i + 1])
                    i += 2
                    continue
                if c == "'":
                    i += 1
                    break
                chars.append(c)
                i += 1
            tokens.append(_Token("string", "'", "".join(chars)))
            continue
        if ch in "(),":
            tokens.append(_Token("punct", ch))
            i += 1
            continue
        if ch == "*":
            tokens.append(_Token("star", ch))
            i += 1
            continue
        if ch in "<>=!":
            two = text[i : i + 2]
            if two in {"<=", ">=", "!=", "<>"}:
                tokens.append(_Token("op", "!=" if two == "<>" else two))
                i += 2
            elif ch == "!":
                raise QueryParseError('QueryParserError: Encountered "!"')
            else:
                tokens.append(_Token("op", ch))
                i += 1
            continue
        m = re.match(r"-?\d+(\.\d+)?", text[i:])
        if m and (ch.isdigit() or ch == "-"):
            tokens.append(_Token("number", m.group(0), Decimal(m.group(0))))
            i += len(m.group(0))
            continue
        m = re.match(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*", text[i:])
        if m:
            tokens.append(_Token("word", m.group(0)))
            i += len(m.group(0))
            continue
        raise QueryParseError(f'QueryParserError: Encountered "{ch}" at column {i + 1}')
    return tokens


class _Parser:
    def __init__(self, tokens: Sequence[_Token]) -> None:
        self.tokens = list(tokens)
        self.pos = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.peek()
        if token is None:
            raise QueryParseError('QueryParserError: Encountered "<EOF>"')
        self.pos += 1
        return token

    def keyword(self, word: str) -> bool:
        token = self.peek()
        if token is not None and token.kind == "word" and token.text.upper() == word:
            self.pos += 1
            return True
        return False

    def keywords(self, *words: str) -> bool:
        """Consume a sequence of keywords (``ORDER BY``) if they all follow."""
        ahead = self.tokens[self.pos : self.pos + len(words)]
        if len(ahead) == len(words) and all(
            t.kind == "word" and t.text.upper() == w for t, w in zip(ahead, words, strict=True)
        ):
            self.pos += len(words)
            return True
        return False

    def expect_keyword(self, word: str) -> None:
        if not self.keyword(word):
            token = self.peek()
            raise QueryParseError(
                f'QueryParserError: Encountered "{token.text if token else "<EOF>"}"; expected {word}'
            )

    def identifier(self) -> str:
        token = self.take()
        if token.kind != "word" or token.text.upper() in _KEYWORDS:
            raise QueryParseError(f'QueryParserError: Encountered "{token.text}"; expected an identifier')
        return token.text

    def literal(self) -> Literal:
        token = self.take()
        if token.kind == "string":
            return Literal("string", token.value)
        if token.kind == "number":
            return Literal("number", token.value)
        if token.kind == "word" and token.text.upper() in {"TRUE", "FALSE"}:
            return Literal("bool", token.text.upper() == "TRUE")
        if token.kind == "word" and token.text.upper() == "CURRENT_DATE":
            return Literal("current_date", None)
        raise QueryParseError(f'QueryParserError: Encountered "{token.text}"; expected a literal')

    def integer(self) -> int:
        token = self.take()
        if token.kind != "number" or "." in token.text or token.text.startswith("-"):
            raise QueryParseError("QueryParserError: expected a positive integer")
        return int(token.text)


def parse_query(text: str) -> ParsedQuery:
    """Parse a statement.

    Raises:
        QueryParseError: It does not parse (4000).
        QueryValidationError: It uses OR or an invalid clause (4001).
    """
    p = _Parser(_lex(text))
    p.expect_keyword("SELECT")
    fields: tuple[str, ...] | None = None
    count = False
    token = p.peek()
    selected: list[str] = []
    if token is not None and token.kind == "star":
        p.take()
        while (sep := p.peek()) is not None and sep.kind == "punct" and sep.text == ",":
            p.take()
            selected.append(p.identifier())
    elif p.keyword("COUNT"):
        for expected in ("(", "*", ")"):
            tok = p.take()
            if tok.text != expected:
                raise QueryParseError("QueryParserError: expected COUNT(*)")
        count = True
    else:
        names = [p.identifier()]
        while (sep := p.peek()) is not None and sep.kind == "punct" and sep.text == ",":
            p.take()
            names.append(p.identifier())
        fields = tuple(names)
        selected = names
    p.expect_keyword("FROM")
    entity = p.identifier()
    conditions: list[Condition] = []
    if p.keyword("WHERE"):
        while True:
            name = p.identifier()
            if p.keyword("IN"):
                t = p.take()
                if t.text != "(":
                    raise QueryParseError("QueryParserError: expected ( after IN")
                values = [p.literal()]
                while (t := p.take()).text == ",":
                    values.append(p.literal())
                if t.text != ")":
                    raise QueryParseError("QueryParserError: expected )")
                conditions.append(Condition(name, "IN", tuple(values)))
            elif p.keyword("LIKE"):
                lit = p.literal()
                if lit.kind != "string":
                    raise QueryParseError("QueryParserError: LIKE needs a string")
                conditions.append(Condition(name, "LIKE", lit))
            else:
                op = p.take()
                if op.kind != "op":
                    raise QueryParseError(f'QueryParserError: Encountered "{op.text}"; expected an operator')
                conditions.append(Condition(name, op.text, p.literal()))
            if p.keyword("AND"):
                continue
            if p.keyword("OR"):
                raise QueryValidationError("QueryValidationError: OR is not supported")
            break
    order: list[tuple[str, bool]] = []
    if p.keyword("ORDERBY") or p.keywords("ORDER", "BY"):
        while True:
            name = p.identifier()
            desc = False
            if p.keyword("DESC"):
                desc = True
            else:
                p.keyword("ASC")
            order.append((name, desc))
            nxt = p.peek()
            if nxt is not None and nxt.kind == "punct" and nxt.text == ",":
                p.take()
                continue
            break
    start = 1
    max_results = 100
    for _ in range(2):
        if p.keyword("STARTPOSITION"):
            start = max(1, p.integer())
        elif p.keyword("MAXRESULTS"):
            max_results = min(1000, max(1, p.integer()))
    if p.peek() is not None:
        raise QueryParseError(f'QueryParserError: Encountered "{p.take().text}"')
    return ParsedQuery(
        entity=entity,
        fields=fields,
        count=count,
        conditions=tuple(conditions),
        order=tuple(order),
        start=start,
        max_results=max_results,
        selected=tuple(selected),
    )


# ------------------------------------------------------------------------------------------- evaluation


class Many(list):  # type: ignore[type-arg]
    """The values a path finds through a list (``AttachableRef.EntityRef.value``): any of them may match."""


def lookup(obj: Mapping[str, Any], path: str) -> Any:
    """A (case-insensitive) dotted property of a stored object; references compare by ``value``.

    A path through a list (Intuit's Attachable sample query ``where AttachableRef.EntityRef.Type =
    'purchase' and AttachableRef.EntityRef.value = '611'``) finds every element's value, as :class:`Many`.
    """
    current: Any = obj
    parts = path.split(".")
    for index, part in enumerate(parts):
        if isinstance(current, list):
            rest = ".".join(parts[index:])
            found = Many()
            for item in current:
                if isinstance(item, Mapping):
                    value = lookup(item, rest)
                    found.extend(value if isinstance(value, Many) else [value])
            return found
        if not isinstance(current, Mapping):
            return None
        if part in current:
            current = current[part]
            continue
        lowered = part.lower()
        key = next((k for k in current if k.lower() == lowered), None)
        if key is None:
            return None
        current = current[key]
    if isinstance(current, Mapping) and "value" in current:
        return current["value"]
    return current


_DATE_START = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _as_datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=timezone.utc)
    if isinstance(value, str):
        return _text_datetime(value)
    return None


@functools.lru_cache(maxsize=65_536)
def _text_datetime(value: str) -> datetime | None:
    """A stored or literal timestamp text as an aware datetime (memoised: a query compares the same
    ``LastUpdatedTime`` texts on every page)."""
    if not _DATE_START.match(value):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _compare_key(stored: Any, literal: Literal, today: date) -> tuple[Any, Any] | None:
    lit: Any = today.isoformat() if literal.kind == "current_date" else literal.value
    if stored is None:
        return None
    if isinstance(stored, bool) or literal.kind == "bool":
        if isinstance(lit, str):
            lit = lit.strip().lower() == "true"
        if isinstance(stored, str):
            stored = stored.lower() == "true"
        return (bool(stored), bool(lit))
    if isinstance(stored, (int, Decimal)):
        try:
            number = Decimal(str(lit).strip())
        except InvalidOperation:
            return None
        if not number.is_finite():  # 'NaN' / 'Infinity' are words to QuickBooks, never numbers
            return None
        return (Decimal(stored), number)
    if isinstance(stored, str):
        stored_dt = _as_datetime(stored)
        lit_dt = _as_datetime(lit) if isinstance(lit, str) else None
        if stored_dt is not None and lit_dt is not None:
            if len(stored) == 10 or len(str(lit)) == 10:
                return (stored_dt.date(), lit_dt.date())
            return (stored_dt, lit_dt)
        return (stored.casefold(), str(lit).casefold())
    return (str(stored).casefold(), str(lit).casefold())


def _like(stored: Any, pattern: str) -> bool:
    if stored is None:
        return False
    regex = "^" + ".*".join(re.escape(part) for part in pattern.split("%")) + "$"
    return re.match(regex, str(stored), re.IGNORECASE | re.DOTALL) is not None


def matches(obj: Mapping[str, Any], cond: Condition, today: date) -> bool:
    """Evaluate one condition on a stored object."""
    stored = lookup(obj, cond.field)
    if isinstance(stored, Many):
        return any(_matches(value, cond, today) for value in stored)
    return _matches(stored, cond, today)


def _matches(stored: Any, cond: Condition, today: date) -> bool:
    if cond.op == "LIKE":
        assert isinstance(cond.value, Literal)  # noqa: S101 - parser guarantees
        return _like(stored, str(cond.value.value))
    if cond.op == "IN":
        assert isinstance(cond.value, tuple)  # noqa: S101
        for lit in cond.value:
            pair = _compare_key(stored, lit, today)
            if pair is not None and pair[0] == pair[1]:
                return True
        return False
    assert isinstance(cond.value, Literal)  # noqa: S101
    pair = _compare_key(stored, cond.value, today)
    if pair is None:
        return False
    left, right = pair
    try:
        if cond.op == "=":
            return bool(left == right)
        if cond.op == "!=":
            return bool(left != right)
        if cond.op == "<":
            return bool(left < right)
        if cond.op == ">":
            return bool(left > right)
        if cond.op == "<=":
            return bool(left <= right)
        if cond.op == ">=":
            return bool(left >= right)
    except TypeError:
        return False
    return False


def sort_key(obj: Mapping[str, Any], name: str) -> tuple[int, Any]:
    """An ORDERBY key (numbers numerically, timestamps chronologically, strings case-insensitively)."""
    value = lookup(obj, name)
    if value is None:
        return (0, "")
    if isinstance(value, bool):
        return (1, int(value))
    if isinstance(value, (int, Decimal)):
        return (2, Decimal(value))
    if isinstance(value, str):
        if value.isdigit():
            return (2, Decimal(value))
        dt = _as_datetime(value)
        if dt is not None:
            return (3, dt.timestamp())
        return (4, value.casefold())
    return (5, str(value))
