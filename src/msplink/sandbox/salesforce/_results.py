"""Query results of the Salesforce sandbox: field paths, record rendering, aggregates and cursors.

What a query answers, as REFERENCE.md §5 describes it:

* every record carries ``"attributes": {"type", "url"}``; a parent relationship is a nested record (or
  ``null``); a *polymorphic* relationship (``Lead.Owner``, ``Case.Owner``, ``Task.Who``/``What``)
  answers as the ``Name`` object: ``"attributes": {"type": "Name", "url": ".../sobjects/User/005..."}``
  with the fields any target has (``Owner.Name``, ``Owner.Type`` = ``User`` or ``Queue``;
  ``samples/query-leads-owner-relationship.json``);
* a child subquery is a nested ``{"totalSize", "done", "records"}`` (``null`` with no children); a large
  child set holds its first records and a ``nextRecordsUrl`` of its own (``.../query/01g...-N``), to be
  followed before the parent's (simple-salesforce#311: 1,200 children, ``done: false``, a locator
  ending ``-499``; jsforce#1752: 199 of 257 children inline). Child rows count toward the page's
  ``batchSize``;
* an aggregate query answers ``AggregateResult`` records without ``url``: grouped fields under their
  names (or aliases), aggregates under their aliases or ``expr0``, ``expr1`` ... numbered over the
  aggregates without an alias (``samples/query-aggregate-result.restforce.json``; Salesforce, "Use
  Aliases with GROUP BY"). Aggregates ignore nulls, except ``COUNT(Id)``; ``MIN``/``MAX`` of a picklist
  follow the picklist's order (Salesforce, "Aggregate Functions").

Field paths are resolved once per query into getters, and records are rendered by a plan compiled once
per select list, so a page costs what its bytes cost.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

import attrs

from msplink.sandbox.salesforce._common import abort, wire
from msplink.sandbox.salesforce._schema import NAME_OBJECT, FieldSpec, ObjectSpec
from msplink.sandbox.salesforce._soql import (
    Aggregate,
    Cmp,
    InList,
    Like,
    Logic,
    Not,
    ParsedQuery,
    SoqlError,
    evaluate,
    sort_rows,
    validate_where,
)

__all__ = [
    "MAX_AGGREGATE_ROWS",
    "Cursor",
    "Org",
    "Query",
    "Renderer",
    "compile_renderer",
    "field_path",
    "page_of",
]

Row = dict[str, Any]


class Org(Protocol):
    """What query results need of the org (:class:`~msplink.sandbox.salesforce._org.Org` has it)."""

    objects: dict[str, ObjectSpec]
    name_spec: ObjectSpec
    version: str

    def find(self, record_id: str) -> tuple[ObjectSpec, Row] | None:
        """The object and row of an id."""

    def name_view(self, spec: ObjectSpec, row: Mapping[str, Any]) -> Row:
        """A record seen through the ``Name`` object."""

    def url(self, spec: ObjectSpec, record_id: str) -> str:
        """A record's REST URL."""

    def today(self) -> date:
        """UTC today (date literals)."""


Getter = Callable[[Mapping[str, Any]], Any]
Renderer = Callable[[Mapping[str, Any]], Row]

MAX_AGGREGATE_ROWS = 2000
"""An aggregate query answers in one batch: more groups than this without a LIMIT is refused."""

_NUMERIC = frozenset({"int", "double", "currency", "percent"})


@attrs.define
class Cursor:
    """What a ``nextRecordsUrl`` continues: the selected rows and how to render one page of them.

    Attributes:
        rows: The rows (parents, or one parent's remaining children), selected when the query ran.
        render: Renders one row; returns the record and how many rows it weighs against ``batchSize``
            (1 plus the child records it holds inline).
        total: The ``totalSize`` the pages report.
        resource: ``query`` or ``queryAll`` (the path ``nextRecordsUrl`` names).
    """

    rows: Sequence[Row]
    render: Callable[[Row], tuple[Row, int]]
    total: int
    resource: str = "query"


def _hop_target(org: Org, ref: FieldSpec) -> ObjectSpec:
    if len(ref.reference_to) > 1:
        return org.name_spec
    target = ref.reference_to[0] if ref.reference_to else "User"
    return org.objects[target.lower()]


def field_path(org: Org, spec: ObjectSpec, path: str) -> tuple[FieldSpec, Getter]:
    """The field a path names (``Account.Owner.Name``) and a getter of its value on a row of ``spec``.

    Raises:
        SoqlError: ``INVALID_FIELD`` for an unknown relationship or column.
    """
    parts = path.split(".")
    hops: list[tuple[str, bool]] = []
    current = spec
    for part in parts[:-1]:
        if current.name == NAME_OBJECT:
            raise SoqlError("INVALID_FIELD", f"Didn't understand relationship '{part}' in field path.")
        ref = current.relationship(part)
        if ref is None:
            raise SoqlError("INVALID_FIELD", f"Didn't understand relationship '{part}' in field path.")
        polymorphic = len(ref.reference_to) > 1
        hops.append((ref.name, polymorphic))
        current = _hop_target(org, ref)
    f = current.field(parts[-1])
    if f is None:
        raise SoqlError(
            "INVALID_FIELD",
            f"No such column '{parts[-1]}' on entity '{current.name}'. If you are attempting to use "
            "a custom field, be sure to append the '__c' after the custom field name.",
        )
    name = f.name
    if not hops:
        return f, lambda row: row.get(name)

    def get(row: Mapping[str, Any]) -> Any:
        current_row: Mapping[str, Any] | None = row
        for ref_name, polymorphic in hops:
            target_id = current_row.get(ref_name) if current_row is not None else None
            found = org.find(target_id) if isinstance(target_id, str) and target_id else None
            if found is None:
                return None
            current_row = org.name_view(*found) if polymorphic else found[1]
        return current_row.get(name) if current_row is not None else None

    return f, get


def _converter(f: FieldSpec) -> Callable[[Any], Any] | None:
    return wire if f.type in {"datetime", "date"} else None


def compile_renderer(org: Org, spec: ObjectSpec, fields: Sequence[str] | None) -> Renderer:
    """A function rendering a row as the REST API returns it (``attributes`` first; paths nested).

    Raises:
        Abort: 400 ``INVALID_FIELD`` for an unknown column.
        SoqlError: An unknown relationship or column in a path.
    """
    names = list(fields) if fields is not None else [f.name for f in spec.fields.values()]
    plan: list[tuple[str, Any]] = []
    nested: dict[str, list[str]] = {}
    for name in names:
        if "." in name:
            head, _, rest = name.partition(".")
            key = head.lower()
            if key not in nested:
                nested[key] = []
                plan.append(("path", head))
            nested[key].append(rest)
            continue
        f = spec.field(name)
        if f is None:
            raise abort(400, "INVALID_FIELD", f"No such column '{name}' on entity '{spec.name}'.")
        plan.append(("field", (f.name, _converter(f))))
    steps: list[Callable[[Mapping[str, Any], Row], None]] = []
    for kind, value in plan:
        if kind == "field":
            steps.append(_field_step(*value))
        else:
            steps.append(_relationship_step(org, spec, value, nested[value.lower()]))
    typename = spec.name
    prefix = f"/services/data/v{org.version}/sobjects/{typename}/"

    def render(row: Mapping[str, Any]) -> Row:
        out: Row = {"attributes": {"type": typename, "url": prefix + str(row.get("Id"))}}
        for step in steps:
            step(row, out)
        return out

    return render


def _field_step(name: str, convert: Callable[[Any], Any] | None) -> Callable[[Mapping[str, Any], Row], None]:
    if convert is None:

        def plain(row: Mapping[str, Any], out: Row) -> None:
            out[name] = row.get(name)

        return plain

    def converted(row: Mapping[str, Any], out: Row) -> None:
        out[name] = convert(row.get(name))

    return converted


def _relationship_step(
    org: Org, spec: ObjectSpec, head: str, rest: list[str]
) -> Callable[[Mapping[str, Any], Row], None]:
    ref = spec.relationship(head)
    if ref is None or spec.name == NAME_OBJECT:
        raise SoqlError("INVALID_FIELD", f"Didn't understand relationship '{head}' in field path.")
    polymorphic = len(ref.reference_to) > 1
    target = _hop_target(org, ref)
    inner = compile_renderer(org, target, rest)
    key, ref_name = ref.relationship_name or head, ref.name

    def step(row: Mapping[str, Any], out: Row) -> None:
        target_id = row.get(ref_name)
        found = org.find(target_id) if isinstance(target_id, str) and target_id else None
        if found is None:
            out[key] = None
            return
        tspec, trow = found
        if polymorphic:
            view = org.name_view(tspec, trow)
            record = inner(view)
            record["attributes"] = {"type": NAME_OBJECT, "url": org.url(tspec, trow["Id"])}
        else:
            record = inner(trow)
        out[key] = record

    return step


class Query:
    """One parsed query bound to its object: validated once, then selects, groups and renders rows.

    Raises (constructor):
        SoqlError: Unknown fields or relationships, filters on fields that cannot be filtered, grouping
            on fields that cannot be grouped, aggregates of the wrong field type.
    """

    def __init__(self, org: Org, spec: ObjectSpec, parsed: ParsedQuery) -> None:
        self.org, self.spec, self.parsed = org, spec, parsed
        self._paths: dict[str, tuple[FieldSpec, Getter]] = {}
        self.aggregates: dict[str, tuple[Aggregate, FieldSpec, Getter]] = {}
        for item in parsed.items:
            if item.aggregate is not None:
                self._aggregate(item.aggregate)
        for field in parsed.fields:
            if field != "COUNT()":
                self.path(field)
        for field in parsed.group_by:
            f, _ = self.path(field)
            if not f.groupable:
                raise SoqlError("MALFORMED_QUERY", f"field '{f.name}' can not be grouped in a query call")
        self._check_where(parsed.where)
        if parsed.is_aggregate:
            self._check_having(parsed.having)
            for name, _, _ in parsed.order:
                self._group_key_type(name)
        else:
            for name, _, _ in parsed.order:
                f, _ = self.path(name)
                if not f.filterable:
                    raise SoqlError("INVALID_FIELD", f"field '{f.name}' can not be sorted in a query call")

    # ----------------------------------------------------------------------------- field paths

    def path(self, name: str) -> tuple[FieldSpec, Getter]:
        """The field and getter of a path (cached per query)."""
        found = self._paths.get(name)
        if found is None:
            found = self._paths[name] = field_path(self.org, self.spec, name)
        return found

    def resolve(self, row: Mapping[str, Any], name: str) -> tuple[Any, str]:
        """A row's value of a path, and the field's type (the evaluator's resolver)."""
        f, get = self.path(name)
        return get(row), f.type

    def _check_where(self, node: Any) -> None:
        validate_where(node, lambda name: self.path(name)[0].type)
        for name in _fields_of(node):
            f = self.path(name)[0]
            if not f.filterable:
                raise SoqlError("INVALID_FIELD", f"field '{f.name}' can not be filtered in a query call")

    # ------------------------------------------------------------------------------- selecting

    def select(self, rows: Iterable[Row], include_deleted: bool) -> list[Row]:
        """The rows the WHERE clause keeps, ordered, offset and limited (an aggregate query: grouped)."""
        parsed, today, resolve = self.parsed, self.org.today(), self.resolve
        where = parsed.where
        matched = [
            r
            for r in rows
            if (include_deleted or not r.get("IsDeleted"))
            and (where is None or evaluate(where, r, resolve, today))
        ]
        if parsed.is_aggregate:
            return self._groups(matched)
        matched = sort_rows(matched, parsed.order, resolve)
        if parsed.offset:
            matched = matched[parsed.offset :]
        if parsed.limit is not None:
            matched = matched[: parsed.limit]
        return matched

    # ------------------------------------------------------------------------------ aggregates

    def _aggregate(self, agg: Aggregate) -> tuple[Aggregate, FieldSpec, Getter]:
        found = self.aggregates.get(agg.text.lower())
        if found is not None:
            return found
        f, get = self.path(agg.field)
        if agg.func in {"SUM", "AVG"} and f.type not in _NUMERIC:
            raise SoqlError(
                "MALFORMED_QUERY", f"field {f.name} does not support aggregate operator {agg.func}"
            )
        if agg.func != "COUNT" and not f.aggregatable:
            raise SoqlError(
                "MALFORMED_QUERY", f"field {f.name} does not support aggregate operator {agg.func}"
            )
        found = self.aggregates[agg.text.lower()] = (agg, f, get)
        return found

    def _group_key_type(self, name: str) -> str:
        """The type of a HAVING / ORDER BY term of an aggregate query (a grouped field or an aggregate)."""
        if "(" in name:
            func, _, rest = name.partition("(")
            agg, f, _ = self._aggregate(Aggregate(func.upper(), rest.rstrip(")")))
            return (
                "int"
                if agg.func in {"COUNT", "COUNT_DISTINCT"}
                else ("double" if agg.func == "AVG" else f.type)
            )
        if name.lower() not in {g.lower() for g in self.parsed.group_by}:
            raise SoqlError("MALFORMED_QUERY", f"Field must be grouped or aggregated: {name}")
        return self.path(name)[0].type

    def _check_having(self, node: Any) -> None:
        validate_where(node, self._group_key_type)

    def _value(self, agg: Aggregate, f: FieldSpec, get: Getter, rows: Sequence[Row]) -> Any:
        if agg.func == "COUNT":
            if f.name == "Id":
                return len(rows)
            return sum(1 for r in rows if get(r) is not None)
        values = [v for v in (get(r) for r in rows) if v is not None]
        if agg.func == "COUNT_DISTINCT":
            return len({v.lower() if isinstance(v, str) else v for v in values})
        if not values:
            return None
        if agg.func == "SUM":
            total = sum((Decimal(v) for v in values), Decimal(0))
            return int(total) if f.type == "int" else total
        if agg.func == "AVG":
            return sum((Decimal(v) for v in values), Decimal(0)) / len(values)
        if f.type in {"picklist", "multipicklist"} and f.picklist:
            order = {v: i for i, v in enumerate(f.picklist)}
            key: Callable[[Any], Any] = lambda v: (order.get(v, len(order)), v)  # noqa: E731
        else:
            key = (lambda v: v.lower()) if isinstance(values[0], str) else (lambda v: v)
        return min(values, key=key) if agg.func == "MIN" else max(values, key=key)

    def _groups(self, rows: list[Row]) -> list[Row]:
        parsed = self.parsed
        getters = [(g, self.path(g)[1]) for g in parsed.group_by]
        buckets: dict[tuple[Any, ...], list[Row]] = {}
        for row in rows:
            key = tuple((v.lower() if isinstance(v, str) else v) for v in (get(row) for _, get in getters))
            buckets.setdefault(key, []).append(row)
        if not parsed.group_by:
            buckets = {(): rows}
        terms = {a.text.lower() for a, _, _ in self.aggregates.values()}
        for name, _, _ in parsed.order:
            if "(" in name:
                terms.add(name.lower())
        for name in _fields_of(parsed.having):
            if "(" in name:
                terms.add(name.lower())
        groups: list[Row] = []
        for members in buckets.values():
            context: Row = {}
            for name, get in getters:
                context[name.lower()] = get(members[0]) if members else None
            for term in terms:
                func, _, rest = term.partition("(")
                agg, f, get = self._aggregate(Aggregate(func.upper(), rest.rstrip(")")))
                context[agg.text.lower()] = self._value(agg, f, get, members)
            groups.append(context)
        if parsed.having is not None:
            today = self.org.today()
            groups = [
                g
                for g in groups
                if evaluate(
                    parsed.having, g, lambda row, n: (row.get(n.lower()), self._group_key_type(n)), today
                )
            ]
        groups = sort_rows(groups, [(n.lower(), d, nf) for n, d, nf in parsed.order], _context_resolver)
        if parsed.offset:
            groups = groups[parsed.offset :]
        if parsed.limit is not None:
            groups = groups[: parsed.limit]
        elif len(groups) > MAX_AGGREGATE_ROWS:
            raise SoqlError(
                "MALFORMED_QUERY",
                "Aggregate query does not support queryMore(), use LIMIT to restrict the results to a "
                "single batch",
            )
        return [self._aggregate_record(g) for g in groups]

    def _aggregate_record(self, context: Mapping[str, Any]) -> Row:
        out: Row = {"attributes": {"type": "AggregateResult"}}
        implied = 0
        for item in self.parsed.items:
            if item.aggregate is not None:
                if item.alias:
                    key = item.alias
                else:
                    key, implied = f"expr{implied}", implied + 1
                value = context.get(item.aggregate.text.lower())
                out[key] = wire(value)
            elif item.field is not None:
                f = self.path(item.field)[0]
                out[item.alias or f.name] = wire(context.get(item.field.lower()))
        return out


def _context_resolver(row: Mapping[str, Any], name: str) -> tuple[Any, str]:
    return row.get(name), ""


def _fields_of(node: Any) -> list[str]:
    """The field paths a WHERE/HAVING tree names."""
    if node is None:
        return []
    if isinstance(node, Logic):
        return [name for n in node.nodes for name in _fields_of(n)]
    if isinstance(node, Not):
        return _fields_of(node.node)
    if isinstance(node, (Cmp, InList, Like)):
        return [node.field]
    return []


def page_of(cursor: Cursor, start: int, size: int, locator: str, version: str) -> dict[str, Any]:
    """One page of a cursor from row ``start``: rows up to ``size`` of weight (at least one), and the
    ``nextRecordsUrl`` of the rest (``/services/data/vXX.X/query/{locator}-{next row}``)."""
    records: list[Row] = []
    weight = 0
    index = start
    rows = cursor.rows
    while index < len(rows):
        record, cost = cursor.render(rows[index])
        if records and weight + cost > size:
            break
        records.append(record)
        weight += cost
        index += 1
    body: dict[str, Any] = {"totalSize": cursor.total, "done": index >= len(rows), "records": records}
    if index < len(rows):
        body["nextRecordsUrl"] = f"/services/data/v{version}/{cursor.resource}/{locator}-{index}"
    return body
