"""The ConnectWise ``conditions`` language as the server implements it: a parser and an evaluator.

Independent of the client's builder on purpose (the sandbox must catch client bugs). Grammar::

    expr      := and_expr { OR and_expr }
    and_expr  := term { AND term }
    term      := NOT term | "(" expr ")" | predicate
    predicate := path op value | path [NOT] (contains | like) string | path [NOT] in "(" value {"," value} ")"
    value     := "string" | 'string' | number | True | False | null | [datetime]

Keywords are case-insensitive; string comparison is case-insensitive (SQL Server collation).

String literals, as the public sources describe them (and no further):

* ConnectWise's Developer Guide writes them between double quotes (``Summary = "string"``,
  ``board/name="Integration"``) and ConnectWise's own ``_info`` hrefs between single quotes
  (``chargeToType='Ticket'``): both delimit a string;
* the guide documents no escape sequence inside a literal (only JSON-body escapes and URL encoding), so
  a literal runs from its opening quote to the next identical quote, and a backslash is an ordinary
  character. ``name = "a\\"b"`` is therefore malformed here (``400 ApiFindCondition``);
* ``contains`` and ``like`` are SQL Server ``LIKE`` matches: ``%`` any run, ``_`` one character,
  ``[abc]`` / ``[^abc]`` a set; ``[%]``, ``[_]`` and ``[[]`` match the character itself (Transact-SQL
  LIKE, "Using wildcard characters as literals"; the guide's "Escaping" gives ``[[]`` for a ``[``).
  ``contains "x"`` is ``LIKE '%x%'``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation
from typing import Any, Final

import attrs

__all__ = [
    "ConditionError",
    "Node",
    "NumberLookup",
    "candidates",
    "evaluate",
    "like_to_regex",
    "parse",
    "parse_datetime_text",
    "to_number",
]


class ConditionError(Exception):
    """A malformed condition or an unknown field (answered as 400 ``ApiFindCondition``)."""


@attrs.frozen
class Literal:
    """A literal value: kind in ``str``, ``num``, ``bool``, ``null``, ``dt``."""

    kind: str
    value: Any


@attrs.frozen
class Pred:
    """``path op value``; ``op`` is ``=``, ``!=``, ``<``, ``<=``, ``>``, ``>=``, ``contains``, ``like``, ``in``."""

    path: tuple[str, ...]
    op: str
    value: Literal | tuple[Literal, ...]
    negated: bool = False
    numbers: frozenset[Decimal] | None = attrs.field(init=False, eq=False, repr=False)
    """An ``in`` list's values when every one is a number: a candidate is then tested by one set
    look-up, not one comparison per value (a sync's ``invoice/id in (...)`` over every product)."""

    def __attrs_post_init__(self) -> None:
        values = self.value if self.op == "in" and isinstance(self.value, tuple) else ()
        numeric = bool(values) and all(lit.kind == "num" and isinstance(lit.value, Decimal) for lit in values)
        object.__setattr__(self, "numbers", frozenset(lit.value for lit in values) if numeric else None)


@attrs.frozen
class Bool:
    """``AND`` / ``OR`` of two nodes."""

    op: str
    left: Node
    right: Node


@attrs.frozen
class Not:
    """``NOT`` of a node."""

    inner: Node


Node = Pred | Bool | Not

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<lp>\()
  | (?P<rp>\))
  | (?P<comma>,)
  | (?P<op>!=|<>|<=|>=|=|<|>)
  | (?P<dq>"[^"]*")
  | (?P<sq>'[^']*')
  | (?P<dt>\[[^\[\]]*\])
  | (?P<num>-?\d+(?:\.\d+)?(?![A-Za-z_]))
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*(?:/[A-Za-z_][A-Za-z0-9_]*)*)
    """,
    re.VERBOSE | re.DOTALL,
)
_KEYWORDS = {"and", "or", "not", "contains", "like", "in", "true", "false", "null"}


def parse_datetime_text(text: str) -> datetime:
    """Parse ``2024-01-01T00:00:00Z`` / ``2024-01-01`` (naive means UTC).

    Raises:
        ValueError: Not a datetime.
    """
    text = text.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value


def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        found = _TOKEN.match(text, pos)
        if found is None:
            raise ConditionError(f"Unexpected character at position {pos}.")
        if found.lastgroup != "ws":
            tokens.append((found.lastgroup or "", found.group()))
        pos = found.end()
    return tokens


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise ConditionError("Unexpected end of conditions.")
        self.pos += 1
        return token

    def word(self, *words: str) -> bool:
        token = self.peek()
        return token is not None and token[0] == "word" and token[1].lower() in words

    def expr(self) -> Node:
        node = self.and_expr()
        while self.word("or"):
            self.take()
            node = Bool("or", node, self.and_expr())
        return node

    def and_expr(self) -> Node:
        node = self.term()
        while self.word("and"):
            self.take()
            node = Bool("and", node, self.term())
        return node

    def term(self) -> Node:
        if self.word("not"):
            self.take()
            return Not(self.term())
        token = self.peek()
        if token is not None and token[0] == "lp":
            self.take()
            node = self.expr()
            if self.take()[0] != "rp":
                raise ConditionError("Expected ')'.")
            return node
        return self.predicate()

    def literal(self) -> Literal:
        kind, text = self.take()
        if kind in {"dq", "sq"}:
            return Literal("str", text[1:-1])  # no escapes inside a literal (see the module docstring)
        if kind == "num":
            try:
                return Literal("num", Decimal(text))
            except InvalidOperation:  # pragma: no cover - the regex only admits numbers
                raise ConditionError(f"Invalid number {text}.") from None
        if kind == "dt":
            try:
                return Literal("dt", parse_datetime_text(text[1:-1]))
            except ValueError:
                raise ConditionError(f"Unsupported format applied to {text}.") from None
        if kind == "word" and text.lower() in {"true", "false"}:
            return Literal("bool", text.lower() == "true")
        if kind == "word" and text.lower() == "null":
            return Literal("null", None)
        raise ConditionError(f"Expected a value, found {text[:30]}.")

    def predicate(self) -> Node:
        kind, text = self.take()
        if kind != "word" or text.lower() in _KEYWORDS:
            raise ConditionError(f"Expected a field name, found {text[:30]}.")
        path = tuple(text.split("/"))
        negated = False
        if self.word("not"):
            self.take()
            negated = True
        op_kind, op_text = self.take()
        if op_kind == "op" and not negated:
            return Pred(path, "!=" if op_text == "<>" else op_text, self.literal())
        lowered = op_text.lower()
        if op_kind == "word" and lowered in {"contains", "like"}:
            value = self.literal()
            if value.kind != "str":
                raise ConditionError(f"{op_text} needs a string.")
            return Pred(path, lowered, value, negated)
        if op_kind == "word" and lowered == "in":
            if self.take()[0] != "lp":
                raise ConditionError("Expected '(' after in.")
            values = [self.literal()]
            while (nxt := self.take())[0] == "comma":
                values.append(self.literal())
            if nxt[0] != "rp":
                raise ConditionError("Expected ')' after the in list.")
            return Pred(path, "in", tuple(values), negated)
        raise ConditionError(f"Expected an operator, found {op_text[:30]}.")


def parse(text: str) -> Node:
    """Parse a ``conditions`` string.

    Raises:
        ConditionError: It is malformed.
    """
    parser = _Parser(_tokenize(text))
    node = parser.expr()
    if parser.peek() is not None:
        raise ConditionError(f"Unexpected {parser.tokens[parser.pos][1][:30]}.")
    return node


def paths(node: Node) -> Iterable[tuple[str, ...]]:
    """Every field path a condition uses."""
    if isinstance(node, Pred):
        yield node.path
    elif isinstance(node, Bool):
        yield from paths(node.left)
        yield from paths(node.right)
    else:
        yield from paths(node.inner)


def like_to_regex(pattern: str) -> re.Pattern[str]:
    """Translate a SQL LIKE pattern (``%``, ``_``, ``[abc]``, ``[%]``) to a case-insensitive regex."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "%":
            out.append(".*")
        elif ch == "_":
            out.append(".")
        elif ch == "[":
            end = pattern.find("]", i + 2)
            if end == -1:
                out.append(re.escape(ch))
            else:
                body = pattern[i + 1 : end]
                negate = body.startswith("^") and len(body) > 1
                chars = body[1:] if negate else body
                out.append("[" + ("^" if negate else "") + "".join(re.escape(c) for c in chars) + "]")
                i = end
        else:
            out.append(re.escape(ch))
        i += 1
    return re.compile("".join(out), re.IGNORECASE | re.DOTALL)


Resolver = Callable[[Mapping[str, Any], Sequence[str]], list[Any]]


def to_number(value: Any) -> Decimal | None:
    """A stored value as a numeric literal compares with it (``None``: not a number, ``NaN`` included:
    it orders with nothing)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, Decimal)):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, str):
        try:
            number = Decimal(value)
        except InvalidOperation:
            return None
    else:
        return None
    return None if number.is_nan() else number


def _coerce_datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and value:
        try:
            return parse_datetime_text(value)
        except ValueError:
            return None
    return None


def _compare(op: str, left: Any, right: Any) -> bool:
    if op == "=":
        return bool(left == right)
    if op == "!=":
        return bool(left != right)
    if op == "<":
        return bool(left < right)
    if op == "<=":
        return bool(left <= right)
    if op == ">":
        return bool(left > right)
    return bool(left >= right)


def _match_one(op: str, actual: Any, literal: Literal) -> bool:
    if literal.kind == "null":
        if op == "=":
            return actual is None
        if op == "!=":
            return actual is not None
        return False
    if actual is None:
        return False
    if op in {"contains", "like"}:
        if isinstance(actual, (dict, list)):
            return False
        text = actual if isinstance(actual, str) else str(actual)
        pattern = literal.value if op == "like" else f"%{literal.value}%"
        return like_to_regex(pattern).fullmatch(text) is not None
    if literal.kind == "bool":
        if isinstance(actual, bool):
            return _compare(op, actual, literal.value) if op in {"=", "!="} else False
        if isinstance(actual, str) and actual.lower() in {"true", "false"}:
            return _compare(op, actual.lower() == "true", literal.value) if op in {"=", "!="} else False
        return False
    if literal.kind == "num":
        number = to_number(actual)
        return number is not None and _compare(op, number, literal.value)
    if literal.kind == "dt":
        moment = _coerce_datetime(actual)
        return moment is not None and _compare(op, moment, literal.value)
    # string literal
    if isinstance(actual, bool):
        return _compare(op, str(actual).lower(), str(literal.value).lower())
    if isinstance(actual, (int, Decimal, float)):
        number, stored = to_number(literal.value), to_number(actual)
        return number is not None and stored is not None and _compare(op, stored, number)
    if isinstance(actual, str):
        moment = _coerce_datetime(actual) if re.match(r"^\d{4}-\d{2}-\d{2}T", actual) else None
        other = _coerce_datetime(literal.value) if moment is not None else None
        if moment is not None and other is not None:
            return _compare(op, moment, other)
        return _compare(op, actual.casefold(), str(literal.value).casefold())
    return False


NumberLookup = Callable[[tuple[str, ...], str, tuple[Decimal, ...]], set[int] | None]
"""``(path, op, numbers)`` -> the ids of the records whose value at ``path`` may satisfy ``op`` against
``numbers`` (``None``: unknown, any record may)."""

_INDEXED_OPS: Final = frozenset({"=", "in", "<", "<=", ">", ">="})


def candidates(node: Node, lookup: NumberLookup) -> set[int] | None:
    """The ids a condition can match at most, from numeric comparisons only (``invoice/id in (...)``,
    id ranges ``invoice/id >= 5 and invoice/id <= 9``); ``None`` when any record may match.

    ``and`` keeps what both sides allow (or the one side that knows), ``or`` joins two sides that both
    know; ``not`` and every other predicate know nothing. The answer is a superset: each candidate is
    still tested by :func:`evaluate`.
    """
    if isinstance(node, Bool):
        left, right = candidates(node.left, lookup), candidates(node.right, lookup)
        if node.op == "and":
            return right if left is None else left if right is None else left & right
        return None if left is None or right is None else left | right
    if isinstance(node, Not) or node.negated or node.op not in _INDEXED_OPS:
        return None
    literals = node.value if isinstance(node.value, tuple) else (node.value,)
    if not literals or any(lit.kind != "num" or not isinstance(lit.value, Decimal) for lit in literals):
        return None
    if node.op != "in" and len(literals) != 1:
        return None
    return lookup(node.path, node.op, tuple(lit.value for lit in literals))


def evaluate(node: Node, record: Mapping[str, Any], resolve: Resolver) -> bool:
    """Evaluate a condition on one record; paths through arrays match if any element matches."""
    if isinstance(node, Bool):
        if node.op == "and":
            return evaluate(node.left, record, resolve) and evaluate(node.right, record, resolve)
        return evaluate(node.left, record, resolve) or evaluate(node.right, record, resolve)
    if isinstance(node, Not):
        return not evaluate(node.inner, record, resolve)
    candidates = resolve(record, node.path)
    if node.op == "in" and node.numbers is not None:  # as _match_one("=", c, num) for each value
        hit = any(
            number is not None and not number.is_nan() and number in node.numbers
            for number in map(to_number, candidates)
        )
    elif node.op == "in":
        assert isinstance(node.value, tuple)  # noqa: S101 - parser guarantees it
        hit = any(_match_one("=", c, lit) for c in candidates for lit in node.value)
    else:
        assert isinstance(node.value, Literal)  # noqa: S101 - parser guarantees it
        hit = any(_match_one(node.op, c, node.value) for c in candidates)
    return not hit if node.negated else hit
