"""An independent SOQL parser and evaluator for the Salesforce sandbox.

Supports: field lists with parent relationship paths (``Account.Owner.Name``), ``FIELDS(ALL|STANDARD|CUSTOM)``
(expanded by the org; ALL and CUSTOM need ``LIMIT`` 200 or less, REFERENCE.md §6), ``COUNT()``, the
aggregate functions ``COUNT(f)``, ``COUNT_DISTINCT(f)``, ``SUM``, ``AVG``, ``MIN``, ``MAX`` with aliases
(``SUM(Amount) total``; unaliased aggregates are named ``expr0``, ``expr1`` ... in the order of the
aggregates without an alias, Salesforce's "Use Aliases with GROUP BY"), GROUP BY and HAVING, WHERE
with ``= != < > <= >= LIKE IN NOT IN AND OR NOT`` and parentheses, string / number / boolean /
null / date / datetime literals and date literals (``TODAY``, ``YESTERDAY``, ``TOMORROW``,
``LAST_N_DAYS:n``, ``NEXT_N_DAYS:n``, ``THIS_MONTH``, ``LAST_MONTH``), ORDER BY (ASC/DESC,
NULLS FIRST/LAST, aggregate expressions too), LIMIT and OFFSET. Errors raise :class:`SoqlError` with a
Salesforce code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any

import attrs

__all__ = [
    "AGGREGATES",
    "Aggregate",
    "Cmp",
    "DateLit",
    "InList",
    "Like",
    "Logic",
    "Not",
    "ParsedQuery",
    "SelectItem",
    "SoqlError",
    "decode_string",
    "like_regex",
    "parse_soql",
]


class SoqlError(Exception):
    """A query the server rejects: ``code`` is the Salesforce error code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<str>'(?:[^'\\]|\\.)*')
  | (?P<datetime>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2}))
  | (?P<date>\d{4}-\d{2}-\d{2})
  | (?P<num>-?\d+(?:\.\d+)?)
  | (?P<op>!=|<=|>=|=|<|>|\(|\)|,|:)
  | (?P<id>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)
    """,
    re.VERBOSE | re.DOTALL,
)

AGGREGATES = frozenset({"COUNT", "COUNT_DISTINCT", "SUM", "AVG", "MIN", "MAX"})
"""The aggregate functions of SOQL (``COUNT()`` without a field is the row count of the query)."""

_KEYWORDS = {
    "SELECT",
    "GROUP",
    "HAVING",
    "FROM",
    "WHERE",
    "AND",
    "OR",
    "NOT",
    "IN",
    "LIKE",
    "ORDER",
    "BY",
    "ASC",
    "DESC",
    "NULLS",
    "FIRST",
    "LAST",
    "LIMIT",
    "OFFSET",
    "NULL",
    "TRUE",
    "FALSE",
}
_DATE_LITERALS = {
    "TODAY",
    "YESTERDAY",
    "TOMORROW",
    "LAST_N_DAYS",
    "NEXT_N_DAYS",
    "THIS_MONTH",
    "LAST_MONTH",
    "THIS_YEAR",
}
_SIMPLE_ESCAPES = {
    "n": "\n",
    "N": "\n",
    "r": "\r",
    "R": "\r",
    "t": "\t",
    "T": "\t",
    "b": "\b",
    "B": "\b",
    "f": "\f",
    "F": "\f",
    '"': '"',
    "'": "'",
    "\\": "\\",
}


@attrs.frozen
class Token:
    kind: str
    text: str
    pos: int


def tokenize(text: str) -> list[Token]:
    """Split SOQL into tokens.

    Raises:
        SoqlError: ``MALFORMED_QUERY`` on an unterminated string or unknown character.
    """
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        found = _TOKEN.match(text, pos)
        if found is None:
            if text[pos] == "'":
                raise SoqlError("MALFORMED_QUERY", f"unterminated string literal at position {pos}")
            raise SoqlError("MALFORMED_QUERY", f"unexpected token: {text[pos]!r} at position {pos}")
        kind = found.lastgroup or ""
        if kind != "ws":
            tokens.append(Token(kind, found.group(), pos))
        pos = found.end()
    return tokens


def decode_string(raw: str) -> str:
    """Decode the body of a string literal (between the quotes).

    Raises:
        SoqlError: An escape sequence SOQL does not define (``\\%`` and ``\\_`` are LIKE-only).
    """
    out: list[str] = []
    i = 0
    while i < len(raw):
        ch = raw[i]
        if ch != "\\":
            out.append(ch)
            i += 1
            continue
        nxt = raw[i + 1] if i + 1 < len(raw) else ""
        if nxt in _SIMPLE_ESCAPES:
            out.append(_SIMPLE_ESCAPES[nxt])
            i += 2
        elif nxt == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", raw[i + 2 : i + 6]):
            out.append(chr(int(raw[i + 2 : i + 6], 16)))
            i += 6
        else:
            raise SoqlError("MALFORMED_QUERY", f"Invalid string literal: invalid escape sequence \\{nxt}")
    return "".join(out)


def like_regex(raw: str) -> re.Pattern[str]:
    """Compile a LIKE pattern body: ``%`` any run, ``_`` one character, ``\\%``/``\\_`` literal."""
    parts: list[str] = []
    i = 0
    while i < len(raw):
        ch = raw[i]
        if ch == "\\":
            nxt = raw[i + 1] if i + 1 < len(raw) else ""
            if nxt in {"%", "_"}:
                parts.append(re.escape(nxt))
                i += 2
                continue
            if nxt == "u":
                parts.append(re.escape(decode_string(raw[i : i + 6])))
                i += 6
                continue
            parts.append(re.escape(decode_string(raw[i : i + 2])))
            i += 2
        elif ch == "%":
            parts.append(".*")
            i += 1
        elif ch == "_":
            parts.append(".")
            i += 1
        else:
            parts.append(re.escape(ch))
            i += 1
    return re.compile("^" + "".join(parts) + "$", re.IGNORECASE | re.DOTALL)


@attrs.frozen
class DateLit:
    """A date literal such as ``TODAY`` or ``LAST_N_DAYS:7``."""

    name: str
    n: int | None = None


@attrs.frozen
class Cmp:
    field: str
    op: str
    value: Any  # str | Decimal | bool | None | date | datetime | DateLit


@attrs.frozen
class InList:
    field: str
    values: tuple[Any, ...]
    negate: bool = False
    keys: frozenset[Any] | None = attrs.field(init=False, eq=False, repr=False)
    """The values as compared (``_key``), when all are plain (text, numbers, booleans, null): a row is
    then tested by one set look-up, not one comparison per value (``IN`` lists of 2,000 ids)."""

    def __attrs_post_init__(self) -> None:
        plain = all(v is None or isinstance(v, (str, Decimal, bool)) for v in self.values)
        keys = frozenset(_key(v) for v in self.values if v is not None) if plain else None
        object.__setattr__(self, "keys", keys)


@attrs.frozen
class Like:
    field: str
    raw: str


@attrs.frozen
class Not:
    node: Any


@attrs.frozen
class Logic:
    op: str  # AND / OR
    nodes: tuple[Any, ...]


@attrs.frozen
class Aggregate:
    """An aggregate function of a field: ``SUM(Amount)``; ``text`` is how WHERE/HAVING/ORDER BY name it."""

    func: str
    field: str

    @property
    def text(self) -> str:
        """The canonical spelling (``SUM(Amount)``), the key HAVING and ORDER BY resolve."""
        return f"{self.func}({self.field})"


@attrs.frozen
class SelectItem:
    """One entry of an aggregate query's select list: a grouped field or an aggregate, and its alias."""

    field: str | None = None
    aggregate: Aggregate | None = None
    alias: str | None = None


@attrs.frozen
class ParsedQuery:
    fields: tuple[str, ...]
    sobject: str
    where: Any = None
    order: tuple[tuple[str, bool, bool | None], ...] = ()  # field, descending, nulls_first
    limit: int | None = None
    offset: int | None = None
    children: tuple[ParsedQuery, ...] = ()  # parent-to-child subqueries, FROM = relationship name
    items: tuple[SelectItem, ...] = ()  # the select list of an aggregate query, in order
    group_by: tuple[str, ...] = ()
    having: Any = None

    @property
    def is_count(self) -> bool:
        return self.fields == ("COUNT()",) and not self.group_by

    @property
    def is_aggregate(self) -> bool:
        """An aggregate query: its records are ``AggregateResult`` rows, one per group."""
        return bool(self.group_by) or any(item.aggregate is not None for item in self.items)


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.i = 0

    def peek(self, offset: int = 0) -> Token | None:
        j = self.i + offset
        return self.tokens[j] if j < len(self.tokens) else None

    def kw(self, *words: str) -> bool:
        tok = self.peek()
        return tok is not None and tok.kind == "id" and tok.text.upper() in words

    def take(self) -> Token:
        tok = self.peek()
        if tok is None:
            raise SoqlError("MALFORMED_QUERY", "unexpected end of query")
        self.i += 1
        return tok

    def expect_kw(self, word: str) -> None:
        tok = self.take()
        if tok.kind != "id" or tok.text.upper() != word:
            raise SoqlError("MALFORMED_QUERY", f"unexpected token: {tok.text!r}, expecting {word}")

    def expect_op(self, op: str) -> None:
        tok = self.take()
        if tok.kind != "op" or tok.text != op:
            raise SoqlError("MALFORMED_QUERY", f"unexpected token: {tok.text!r}, expecting {op!r}")

    def ident(self) -> str:
        tok = self.take()
        if tok.kind != "id" or tok.text.upper() in _KEYWORDS:
            raise SoqlError("MALFORMED_QUERY", f"unexpected token: {tok.text!r}")
        return tok.text

    def aggregate(self) -> Aggregate | None:
        """An aggregate expression at the cursor (``SUM(Amount)``), or ``None``."""
        tok, nxt = self.peek(), self.peek(1)
        if tok is None or tok.kind != "id" or tok.text.upper() not in AGGREGATES:
            return None
        if nxt is None or nxt.kind != "op" or nxt.text != "(":
            return None
        self.take()
        self.take()
        closing = self.peek()
        if closing is not None and closing.kind == "op" and closing.text == ")":
            raise SoqlError("MALFORMED_QUERY", f"{tok.text.upper()}() needs a field")
        field = self.ident()
        self.expect_op(")")
        return Aggregate(tok.text.upper(), field)

    def alias(self) -> str | None:
        """An alias after a select item (an identifier that is not a keyword)."""
        tok = self.peek()
        if tok is None or tok.kind != "id" or tok.text.upper() in _KEYWORDS or "." in tok.text:
            return None
        self.take()
        return tok.text

    def parse(self, nested: bool = False) -> ParsedQuery:
        self.expect_kw("SELECT")
        fields: list[str] = []
        items: list[SelectItem] = []
        children: list[ParsedQuery] = []
        aliased = False
        while True:
            tok = self.peek()
            if tok is not None and tok.kind == "op" and tok.text == "(":
                if nested:
                    raise SoqlError("MALFORMED_QUERY", "nested subqueries are not supported here")
                self.take()
                children.append(self.parse(nested=True))
            elif (
                self.kw("COUNT")
                and self.peek(1) is not None
                and self.peek(1).text == "("  # type: ignore[union-attr]
                and self.peek(2) is not None
                and self.peek(2).text == ")"  # type: ignore[union-attr]
            ):
                self.take()
                self.expect_op("(")
                self.expect_op(")")
                fields.append("COUNT()")
            elif self.kw("FIELDS") and self.peek(1) is not None and self.peek(1).text == "(":  # type: ignore[union-attr]
                self.take()
                self.expect_op("(")
                word = self.take().text.upper()
                if word not in {"ALL", "STANDARD", "CUSTOM"}:
                    raise SoqlError(
                        "MALFORMED_QUERY", f"unexpected token: {word!r}, expecting ALL, STANDARD or CUSTOM"
                    )
                self.expect_op(")")
                fields.append(f"FIELDS({word})")
            else:
                agg = self.aggregate()
                if agg is not None:
                    name = self.alias()
                    aliased = aliased or name is not None
                    items.append(SelectItem(aggregate=agg, alias=name))
                else:
                    field = self.ident()
                    name = self.alias()
                    aliased = aliased or name is not None
                    fields.append(field)
                    items.append(SelectItem(field=field, alias=name))
            tok = self.peek()
            if tok is not None and tok.kind == "op" and tok.text == ",":
                self.take()
                continue
            break
        if not fields and not items and not children:
            raise SoqlError("MALFORMED_QUERY", "SELECT needs at least one field")
        if "COUNT()" in fields and (len(fields) > 1 or children or items):
            raise SoqlError("MALFORMED_QUERY", "COUNT() cannot be combined with other fields")
        self.expect_kw("FROM")
        tok = self.take()
        if tok.kind != "id" or tok.text.upper() in _KEYWORDS - {"GROUP"}:
            raise SoqlError("MALFORMED_QUERY", f"unexpected token: {tok.text!r}")
        sobject = tok.text  # ``FROM Group`` names the Group object
        if "." in sobject:
            raise SoqlError("MALFORMED_QUERY", f"unexpected token: {sobject!r}")
        where = None
        if self.kw("WHERE"):
            self.take()
            where = self.condition()
            if _aggregates_in(where):
                raise SoqlError("MALFORMED_QUERY", "Aggregate functions are not allowed in WHERE; use HAVING")
        group_by: list[str] = []
        having = None
        if self.kw("GROUP"):
            self.take()
            self.expect_kw("BY")
            group_by.append(self.ident())
            while self.peek() is not None and self.peek().kind == "op" and self.peek().text == ",":  # type: ignore[union-attr]
                self.take()
                group_by.append(self.ident())
            if self.kw("HAVING"):
                self.take()
                having = self.condition()
        elif self.kw("HAVING"):
            raise SoqlError("MALFORMED_QUERY", "HAVING needs GROUP BY")
        order: list[tuple[str, bool, bool | None]] = []
        if self.kw("ORDER"):
            self.take()
            self.expect_kw("BY")
            while True:
                agg = self.aggregate()
                name = agg.text if agg is not None else self.ident()
                desc = False
                nulls: bool | None = None
                if self.kw("ASC", "DESC"):
                    desc = self.take().text.upper() == "DESC"
                if self.kw("NULLS"):
                    self.take()
                    word = self.take().text.upper()
                    if word not in {"FIRST", "LAST"}:
                        raise SoqlError("MALFORMED_QUERY", "expecting FIRST or LAST after NULLS")
                    nulls = word == "FIRST"
                order.append((name, desc, nulls))
                tok = self.peek()
                if tok is not None and tok.kind == "op" and tok.text == ",":
                    self.take()
                    continue
                break
        limit = offset = None
        if self.kw("LIMIT"):
            self.take()
            limit = self.integer()
        if self.kw("OFFSET"):
            self.take()
            offset = self.integer()
            if offset > 2000:
                raise SoqlError("NUMBER_OUTSIDE_VALID_RANGE", "Maximum SOQL offset allowed is 2000")
        tok = self.peek()
        if nested:
            self.expect_op(")")
        elif tok is not None:
            raise SoqlError("MALFORMED_QUERY", f"unexpected token: {tok.text!r}")
        aggregate_query = bool(group_by) or any(item.aggregate is not None for item in items)
        if aggregate_query:
            if children:
                raise SoqlError("MALFORMED_QUERY", "Nested queries are not supported in aggregate queries")
            grouped = {g.lower() for g in group_by}
            for field in fields:
                if field != "COUNT()" and field.lower() not in grouped:
                    raise SoqlError("MALFORMED_QUERY", f"Field must be grouped or aggregated: {field}")
            for name, _, _ in order:
                if "(" not in name and name.lower() not in grouped:
                    raise SoqlError("MALFORMED_QUERY", f"Ordered field must be grouped or aggregated: {name}")
            if fields == ["COUNT()"]:
                items = []
        elif aliased:
            raise SoqlError("MALFORMED_QUERY", "Aliases are only allowed in aggregate queries")
        return ParsedQuery(
            tuple(fields),
            sobject,
            where,
            tuple(order),
            limit,
            offset,
            tuple(children),
            tuple(items) if aggregate_query else (),
            tuple(group_by),
            having,
        )

    def integer(self) -> int:
        tok = self.take()
        if tok.kind != "num" or not tok.text.isdigit():
            raise SoqlError(
                "MALFORMED_QUERY", f"unexpected token: {tok.text!r}, expecting a non-negative integer"
            )
        return int(tok.text)

    def condition(self) -> Any:
        nodes = [self.conjunction()]
        while self.kw("OR"):
            self.take()
            nodes.append(self.conjunction())
        return nodes[0] if len(nodes) == 1 else Logic("OR", tuple(nodes))

    def conjunction(self) -> Any:
        nodes = [self.unary()]
        while self.kw("AND"):
            self.take()
            nodes.append(self.unary())
        return nodes[0] if len(nodes) == 1 else Logic("AND", tuple(nodes))

    def unary(self) -> Any:
        if self.kw("NOT"):
            self.take()
            return Not(self.unary())
        tok = self.peek()
        if tok is not None and tok.kind == "op" and tok.text == "(":
            self.take()
            node = self.condition()
            self.expect_op(")")
            return node
        return self.atom()

    def atom(self) -> Any:
        agg = self.aggregate()
        field = agg.text if agg is not None else self.ident()
        if self.kw("LIKE"):
            self.take()
            tok = self.take()
            if tok.kind != "str":
                raise SoqlError("MALFORMED_QUERY", "LIKE needs a string literal")
            return Like(field, tok.text[1:-1])
        negate = False
        if self.kw("NOT"):
            self.take()
            negate = True
            if not self.kw("IN"):
                raise SoqlError("MALFORMED_QUERY", "expecting IN after NOT")
        if self.kw("IN"):
            self.take()
            self.expect_op("(")
            values = [self.value()]
            while True:
                tok = self.take()
                if tok.kind == "op" and tok.text == ",":
                    values.append(self.value())
                    continue
                if tok.kind == "op" and tok.text == ")":
                    break
                raise SoqlError("MALFORMED_QUERY", f"unexpected token: {tok.text!r}")
            return InList(field, tuple(values), negate)
        tok = self.take()
        if tok.kind != "op" or tok.text not in {"=", "!=", "<", ">", "<=", ">="}:
            raise SoqlError("MALFORMED_QUERY", f"unexpected token: {tok.text!r}")
        return Cmp(field, tok.text, self.value())

    def value(self) -> Any:
        tok = self.take()
        if tok.kind == "str":
            return decode_string(tok.text[1:-1])
        if tok.kind == "num":
            return Decimal(tok.text)
        if tok.kind == "date":
            try:
                return date.fromisoformat(tok.text)
            except ValueError:
                raise SoqlError("MALFORMED_QUERY", f"invalid date: {tok.text}") from None
        if tok.kind == "datetime":
            text = tok.text.replace("Z", "+00:00")
            if re.search(r"[+-]\d{4}$", text):
                text = text[:-2] + ":" + text[-2:]
            try:
                return datetime.fromisoformat(text)
            except ValueError:
                raise SoqlError("MALFORMED_QUERY", f"invalid datetime: {tok.text}") from None
        if tok.kind == "id":
            word = tok.text.upper()
            if word == "NULL":
                return None
            if word in {"TRUE", "FALSE"}:
                return word == "TRUE"
            if word in _DATE_LITERALS:
                if word in {"LAST_N_DAYS", "NEXT_N_DAYS"}:
                    self.expect_op(":")
                    return DateLit(word, self.integer())
                return DateLit(word)
        raise SoqlError("MALFORMED_QUERY", f"unexpected token: {tok.text!r}")


def _aggregates_in(node: Any) -> bool:
    if isinstance(node, Logic):
        return any(_aggregates_in(n) for n in node.nodes)
    if isinstance(node, Not):
        return _aggregates_in(node.node)
    field = getattr(node, "field", "")
    return isinstance(field, str) and "(" in field


def parse_soql(text: str) -> ParsedQuery:
    """Parse one SOQL statement.

    Raises:
        SoqlError: ``MALFORMED_QUERY`` and friends.
    """
    return _Parser(text).parse()


# ---------------------------------------------------------------------------------- evaluation

Resolver = Callable[[dict[str, Any], str], tuple[Any, str]]
"""(record, field path) -> (value, field type); raises SoqlError for unknown fields."""


def _date_range(lit: DateLit, today: date) -> tuple[date, date]:
    if lit.name == "TODAY":
        return today, today
    if lit.name == "YESTERDAY":
        d = today - timedelta(days=1)
        return d, d
    if lit.name == "TOMORROW":
        d = today + timedelta(days=1)
        return d, d
    if lit.name == "LAST_N_DAYS":
        return today - timedelta(days=lit.n or 0), today
    if lit.name == "NEXT_N_DAYS":
        return today + timedelta(days=1), today + timedelta(days=lit.n or 0)
    if lit.name == "THIS_MONTH":
        start = today.replace(day=1)
        nxt = (start + timedelta(days=32)).replace(day=1)
        return start, nxt - timedelta(days=1)
    if lit.name == "LAST_MONTH":
        end = today.replace(day=1) - timedelta(days=1)
        return end.replace(day=1), end
    if lit.name == "THIS_YEAR":
        return today.replace(month=1, day=1), today.replace(month=12, day=31)
    raise SoqlError("MALFORMED_QUERY", f"unsupported date literal {lit.name}")


_STRINGY = {
    "id",
    "string",
    "textarea",
    "picklist",
    "multipicklist",
    "combobox",
    "reference",
    "email",
    "phone",
    "url",
}
_NUMERIC = {"int", "double", "currency", "percent"}


def _check_type(field: str, ftype: str, value: Any) -> None:
    if value is None:
        return
    ok = (
        (ftype in _STRINGY and isinstance(value, str))
        or (ftype in _NUMERIC and isinstance(value, Decimal))
        or (ftype == "boolean" and isinstance(value, bool))
        or (
            ftype == "date"
            and (isinstance(value, DateLit) or (isinstance(value, date) and not isinstance(value, datetime)))
        )
        or (ftype == "datetime" and isinstance(value, (datetime, DateLit)))
    )
    if not ok:
        raise SoqlError(
            "INVALID_QUERY_FILTER_OPERATOR" if ftype == "boolean" else "MALFORMED_QUERY",
            f"value of filter criterion for field '{field}' must be of type {ftype}"
            + (
                " and should be enclosed in quotes"
                if ftype in _STRINGY
                else " and should not be enclosed in quotes"
            ),
        )


def _key(value: Any) -> Any:
    if isinstance(value, str):
        return value.lower()
    return value


def _compare(actual: Any, op: str, expected: Any, ftype: str, today: date) -> bool:
    if isinstance(expected, DateLit):
        start, end = _date_range(expected, today)
        if actual is None:
            return op == "!="
        if isinstance(actual, datetime):
            lo = datetime.combine(start, time.min, tzinfo=timezone.utc)
            hi = datetime.combine(end + timedelta(days=1), time.min, tzinfo=timezone.utc)
            inside = lo <= actual < hi
            before, after = actual < lo, actual >= hi
        else:
            inside = start <= actual <= end
            before, after = actual < start, actual > end
        return {
            "=": inside,
            "!=": not inside,
            "<": before,
            "<=": before or inside,
            ">": after,
            ">=": after or inside,
        }[op]
    if expected is None:
        if op == "=":
            return actual is None
        if op == "!=":
            return actual is not None
        return False
    if actual is None:
        return op == "!="
    if (ftype == "datetime" and isinstance(actual, datetime) and isinstance(expected, datetime)) or (
        ftype == "date" and isinstance(expected, date)
    ):
        a, b = actual, expected
    else:
        a, b = _key(actual), _key(expected)
    if op == "=":
        return bool(a == b)
    if op == "!=":
        return bool(a != b)
    try:
        return bool({"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op])
    except TypeError:
        return False


def evaluate(node: Any, record: dict[str, Any], resolve: Resolver, today: date) -> bool:
    """Tell whether a record satisfies a WHERE tree."""
    if node is None:
        return True
    if isinstance(node, Logic):
        results = (evaluate(n, record, resolve, today) for n in node.nodes)
        return all(results) if node.op == "AND" else any(results)
    if isinstance(node, Not):
        return not evaluate(node.node, record, resolve, today)
    if isinstance(node, Cmp):
        actual, ftype = resolve(record, node.field)
        _check_type(node.field, ftype, node.value)
        return _compare(actual, node.op, node.value, ftype, today)
    if isinstance(node, InList):
        actual, ftype = resolve(record, node.field)
        if node.keys is not None and ftype not in {"date", "datetime"}:
            # the literals' types were checked against the field's when the query was made
            # (validate_where); equal to _compare's "=" for plain literals
            hit = None in node.values if actual is None else _key(actual) in node.keys
        else:
            for v in node.values:
                _check_type(node.field, ftype, v)
            hit = any(_compare(actual, "=", v, ftype, today) for v in node.values)
        return not hit if node.negate else hit
    if isinstance(node, Like):
        actual, ftype = resolve(record, node.field)
        if ftype not in _STRINGY:
            raise SoqlError("INVALID_QUERY_FILTER_OPERATOR", f"invalid operator on field {node.field}: LIKE")
        if actual is None:
            return False
        return like_regex(node.raw).match(str(actual)) is not None
    raise SoqlError("MALFORMED_QUERY", "unsupported condition")


def validate_where(node: Any, resolve_type: Callable[[str], str]) -> None:
    """Check field names and literal types once, even when no record is there to evaluate."""
    if node is None:
        return
    if isinstance(node, Logic):
        for n in node.nodes:
            validate_where(n, resolve_type)
    elif isinstance(node, Not):
        validate_where(node.node, resolve_type)
    elif isinstance(node, Cmp):
        _check_type(node.field, resolve_type(node.field), node.value)
    elif isinstance(node, InList):
        ftype = resolve_type(node.field)
        for v in node.values:
            _check_type(node.field, ftype, v)
    elif isinstance(node, Like) and resolve_type(node.field) not in _STRINGY:
        raise SoqlError("INVALID_QUERY_FILTER_OPERATOR", f"invalid operator on field {node.field}: LIKE")


def sort_rows(
    rows: Sequence[dict[str, Any]], order: Sequence[tuple[str, bool, bool | None]], resolve: Resolver
) -> list[dict[str, Any]]:
    """Sort by the ORDER BY terms (nulls first ascending, last descending, unless told)."""
    out = list(rows)
    for field, desc, nulls_first in reversed(order):
        first = (not desc) if nulls_first is None else nulls_first
        present = [r for r in out if resolve(r, field)[0] is not None]
        missing = [r for r in out if resolve(r, field)[0] is None]
        present.sort(key=lambda r: _key(resolve(r, field)[0]), reverse=desc)
        out = missing + present if first else present + missing
    return out
