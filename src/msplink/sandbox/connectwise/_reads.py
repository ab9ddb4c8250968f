"""The read side of the ConnectWise sandbox: conditions, ``fields``, ``orderBy``, paging and ``Link``
headers, ``/count``, single records and the ticket time-entry views."""

from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from msplink.sandbox._framework import SandboxRequest, SandboxResponse
from msplink.sandbox.connectwise import _conditions as cond
from msplink.sandbox.connectwise._collections import Collection
from msplink.sandbox.connectwise._fields import ENTITY_FIELDS
from msplink.sandbox.connectwise._wire import ApiMember, error

if TYPE_CHECKING:
    from msplink.sandbox.connectwise._store import Store

__all__ = ["INFO_ALIASES", "Reads", "lookup", "resolve_path"]

INFO_ALIASES = {
    "lastupdated": "lastUpdated",
    "updatedby": "updatedBy",
    "dateentered": "dateEntered",
    "enteredby": "enteredBy",
}


def lookup(record: Mapping[str, Any], key: str) -> tuple[bool, Any]:
    if key in record:
        return True, record[key]
    lowered = key.lower()
    for name, value in record.items():
        if name.lower() == lowered:
            return True, value
    return False, None


def resolve_path(record: Mapping[str, Any], path: Sequence[str]) -> list[Any]:
    current: list[Any] = [record]
    for index, segment in enumerate(path):
        nxt: list[Any] = []
        for item in current:
            items = item if isinstance(item, list) else [item]
            for element in items:
                if not isinstance(element, Mapping):
                    nxt.append(None)
                    continue
                found, value = lookup(element, segment)
                if not found and index == 0 and segment.lower() in INFO_ALIASES:
                    info = element.get("_info") or {}
                    found, value = lookup(info, segment)
                nxt.append(value if found else None)
        current = nxt
    flat: list[Any] = []
    for value in current:
        if isinstance(value, list):
            flat.extend(value or [None])
        else:
            flat.append(value)
    return flat or [None]


def _project(record: Mapping[str, Any], fields: Sequence[Sequence[str]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for path in fields:
        key = path[0]
        if key not in record:  # names match in any case, as ConnectWise's do
            lowered = key.lower()
            key = next((k for k in record if k.lower() == lowered), "")
            if not key:
                continue
        value = record[key]
        if len(path) == 1:
            out[key] = value
        elif isinstance(value, Mapping):
            sub = _project(value, [path[1:]])
            if sub:
                merged = out.setdefault(key, {})
                if isinstance(merged, dict):
                    merged.update(sub)
    return out


class Reads:
    """The read handlers, mixed into :class:`~msplink.sandbox.connectwise.ConnectWiseSandbox`."""

    if TYPE_CHECKING:
        store: Store
        data: dict[str, dict[int, dict[str, Any]]]
        parents: dict[str, dict[int, int]]
        navigable_only: dict[str, bool]
        _by_name: dict[str, Collection]

        @property
        def site(self) -> str: ...

        def _auth(self, request: SandboxRequest) -> ApiMember: ...

    # ------------------------------------------------------------------ reading

    def _parent_id(self, request: SandboxRequest, spec: Collection) -> int | None:
        if spec.parent is None:
            return None
        raw = request.path_params.get("parent", "")
        parent_spec = self._by_name[spec.parent]
        if not raw.isdigit() or int(raw) not in self.data[spec.parent]:
            label = parent_spec.not_found or parent_spec.label[:1].upper() + parent_spec.label[1:]
            raise error(404, "NotFound", f"{label} {raw} not found")
        return int(raw)

    def _known(self, spec: Collection, segment: str) -> bool:
        lowered = segment.lower()
        if lowered in INFO_ALIASES or lowered in {"_info", "id"}:
            return True
        return any(f.lower() == lowered for f in ENTITY_FIELDS[spec.entity])

    def _condition(self, spec: Collection, text: str | None, kind: str) -> cond.Node | None:
        if text is None or not text.strip():
            return None
        try:
            node = cond.parse(text)
        except cond.ConditionError as exc:
            raise error(400, "ApiFindCondition", str(exc)) from None
        for path in cond.paths(node):
            head = path[0]
            if kind == "conditions" and not self._known(spec, head):
                raise error(400, "ApiFindCondition", f"{head} is not a recognized name.")
            if kind == "child" and not (head.lower() in {a.lower() for a in spec.arrays} and len(path) > 1):
                raise error(400, "ApiFindCondition", f"{'/'.join(path)} is not a recognized child condition.")
            if kind == "custom" and head.lower() not in {"caption", "value", "id", "type", "entrymethod"}:
                raise error(400, "ApiFindCondition", f"{head} is not a recognized name.")
        return node

    def _matcher(
        self, request: SandboxRequest, spec: Collection
    ) -> tuple[Callable[[Mapping[str, Any]], bool] | None, set[int] | None]:
        """The request's ``conditions``, ``childConditions`` and ``customFieldConditions`` as one test
        (parsed and checked once; ``None`` when there are none), and the ids the ``conditions`` can
        match at most (:meth:`_candidates`; ``None``: any record may)."""
        where = self._condition(spec, request.param("conditions"), "conditions")
        child = self._condition(spec, request.param("childConditions"), "child")
        custom = self._condition(spec, request.param("customFieldConditions"), "custom")
        if where is None and child is None and custom is None:
            return None, None

        def matches(record: Mapping[str, Any]) -> bool:
            seen: dict[tuple[str, ...], list[Any]] = {}

            def resolve(item: Mapping[str, Any], path: Sequence[str]) -> list[Any]:
                if item is not record:
                    return resolve_path(item, path)
                key = tuple(path)  # a path the condition names twice (ranges of ids) is walked once
                found = seen.get(key)
                if found is None:
                    found = seen[key] = resolve_path(item, path)
                return found

            if where is not None and not cond.evaluate(where, record, resolve):
                return False
            if child is not None and not cond.evaluate(child, record, resolve):
                return False
            return custom is None or any(
                isinstance(cf, Mapping) and cond.evaluate(custom, cf, resolve_path)
                for cf in record.get("customFields") or []
            )

        return matches, None if where is None else self._candidates(spec, where)

    def _filter(
        self, request: SandboxRequest, spec: Collection, records: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        matches, allowed = self._matcher(request, spec)
        if matches is None:
            return records
        if allowed is not None:
            records = [r for r in records if r["id"] in allowed]
        return [r for r in records if matches(r)]

    def _candidates(self, spec: Collection, where: cond.Node) -> set[int] | None:
        """The ids the ``conditions`` can match at most, from their numeric comparisons
        (:func:`~msplink.sandbox.connectwise._conditions.candidates`; ``None``: any record may).

        A sync reads an invoice's products and time entries by ``invoice/id in (...)`` or id ranges,
        page after page: tested on every record, each page cost the whole collection (issue 18).
        """
        return cond.candidates(where, lambda path, op, numbers: self._number_ids(spec, path, op, numbers))

    def _number_ids(
        self, spec: Collection, path: tuple[str, ...], op: str, numbers: tuple[Decimal, ...]
    ) -> set[int] | None:
        """The records whose value at ``path`` may compare ``op`` with ``numbers`` (see
        :meth:`_candidates`): the record's own ``id`` from the table, any other path from a sorted
        index of its values, derived once and kept until the collection is written."""
        table = self.data[spec.name]
        if tuple(p.lower() for p in path) == ("id",):
            if op not in {"=", "in"}:
                return None
            return {int(n) for n in numbers if n == n.to_integral_value() and int(n) in table}
        keys, ids = self.store.derived(spec.name, ("numbers", path), lambda: _number_index(table, path))
        if op in {"=", "in"}:
            out: set[int] = set()
            for number in numbers:
                out.update(ids[bisect_left(keys, number) : bisect_right(keys, number)])
            return out
        (number,) = numbers
        if op == "<":
            return set(ids[: bisect_left(keys, number)])
        if op == "<=":
            return set(ids[: bisect_right(keys, number)])
        if op == ">":
            return set(ids[bisect_right(keys, number) :])
        return set(ids[bisect_left(keys, number) :])

    def _fields(self, request: SandboxRequest) -> list[list[str]] | None:
        text = request.param("fields")
        if not text:
            return None
        paths = [part.strip().split("/") for part in text.split(",") if part.strip()]
        if not paths or any(not segment for path in paths for segment in path):
            raise error(400, "InvalidObject", "fields is malformed")
        return paths

    def _render(self, record: Mapping[str, Any], fields: list[list[str]] | None) -> Mapping[str, Any]:
        """The record as a list or get answer shows it (the stored mapping itself: answers are encoded
        at once, so nothing copies it)."""
        if fields is None:
            return record
        return _project(record, fields)

    def _int_param(self, request: SandboxRequest, name: str, default: int) -> int:
        raw = request.param(name)
        if raw is None or raw == "":
            return default
        try:
            return int(raw)
        except ValueError:
            raise error(400, "InvalidObject", f"{name} must be an integer") from None

    def _link(self, request: SandboxRequest, name: str, value: int) -> str:
        """The request's URL with its parameters kept in order, ``name`` moved to the end as ``value``
        (``...?pageSize=50&page=2``, REFERENCE.md §4.1: clients read the page number at the end)."""
        query = [(k, v) for k, v in request.query if k.lower() != name.lower()]
        query.append((name, str(value)))
        host = request.header("host") or self.site
        return f"https://{host}{request.raw_path or request.path}?{urlencode(query, quote_via=quote)}"

    def _sort(
        self, request: SandboxRequest, spec: Collection, records: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        text = request.param("orderBy")
        ordered = sorted(records, key=lambda r: r["id"])
        if not text:
            return ordered
        for term in reversed([t.strip() for t in text.split(",") if t.strip()]):
            parts = term.split()
            if len(parts) > 2 or (len(parts) == 2 and parts[1].lower() not in {"asc", "desc"}):
                raise error(400, "InvalidObject", f"orderBy term {term} is invalid")
            path = parts[0].split("/")
            if not self._known(spec, path[0]):
                raise error(400, "ApiFindCondition", f"{path[0]} is not a recognized name.")
            descending = len(parts) == 2 and parts[1].lower() == "desc"

            def key(record: dict[str, Any], path: list[str] = path) -> tuple[int, Any]:
                value = resolve_path(record, path)[0]
                if value is None:
                    return (1, "")
                if isinstance(value, str):
                    return (0, value.casefold())
                if isinstance(value, (dict, list)):
                    return (0, json.dumps(value, sort_keys=True, default=str))
                return (0, value)

            present = [r for r in ordered if key(r)[0] == 0]
            missing = [r for r in ordered if key(r)[0] == 1]
            present.sort(key=key, reverse=descending)
            ordered = present + missing
        return ordered

    def _list(self, request: SandboxRequest, spec: Collection) -> SandboxResponse:
        self._auth(request)
        parent = self._parent_id(request, spec)
        if self._forward_only(request, spec):
            return self._forward_page(request, spec, parent)
        records = self._filter(request, spec, self.store.scope(spec.name, parent))
        return self._page(request, spec, records, self._fields(request))

    def _forward_only(self, request: SandboxRequest, spec: Collection) -> bool:
        supported = spec.forward_only and spec.name not in self.navigable_only
        return supported and (request.header("pagination-type") or "").lower() == "forward-only"

    def _forward_page(self, request: SandboxRequest, spec: Collection, parent: int | None) -> SandboxResponse:
        """A forward-only page read lazily: ids after ``pageId`` in order, conditions tested only until
        the page (and one more record) is found, so a walk costs each record once, not once per page."""
        if request.param("orderBy"):
            raise error(400, "InvalidObject", "orderBy is not supported with forward-only pagination")
        page_size = min(max(self._int_param(request, "pageSize", 25), 1), 1000)
        page_id = self._int_param(request, "pageId", 0)
        matches, allowed = self._matcher(request, spec)
        fields = self._fields(request)
        table = self.data[spec.name]
        ids = sorted(table) if parent is None else self.store.children(spec.name, parent)
        if allowed is not None:
            owned = None if parent is None else set(ids)
            ids = sorted(i for i in allowed if i in table and (owned is None or i in owned))
        chunk: list[dict[str, Any]] = []
        more = False
        for record_id in ids[bisect_right(ids, page_id) :]:
            if record_id not in table:
                continue
            record = table[record_id]
            if matches is not None and not matches(record):
                continue
            if len(chunk) == page_size:
                more = True
                break
            chunk.append(record)
        link = f'<{self._link(request, "pageId", chunk[-1]["id"])}>; rel="next"' if more else ""
        return SandboxResponse.json(200, [self._render(r, fields) for r in chunk], {"Link": link})

    def _page(
        self,
        request: SandboxRequest,
        spec: Collection,
        records: list[dict[str, Any]],
        fields: list[list[str]] | None,
    ) -> SandboxResponse:
        """One page of ``records``: forward-only (by id after ``pageId``) or navigable (``page``).

        Forward-only answers always carry a ``Link`` header, empty on the last page, so a client can tell
        the header was honoured (REFERENCE.md §4.2; the ConnectWiseManageAPI module's
        ``Invoke-CWMAllResult`` treats a first answer without ``Link`` as "endpoint doesn't support
        forward-only"). A collection without forward-only paging ignores the header and answers as
        navigable paging does, with ``Link`` headers or, with ``links=False``, without any.
        """
        page_size = min(max(self._int_param(request, "pageSize", 25), 1), 1000)
        headers: dict[str, str] = {}
        if self._forward_only(request, spec):
            if request.param("orderBy"):
                raise error(400, "InvalidObject", "orderBy is not supported with forward-only pagination")
            page_id = self._int_param(request, "pageId", 0)
            remaining = sorted((r for r in records if r["id"] > page_id), key=lambda r: r["id"])
            chunk = remaining[:page_size]
            more = len(remaining) > page_size
            headers["Link"] = (
                f'<{self._link(request, "pageId", chunk[-1]["id"])}>; rel="next"' if more else ""
            )
        else:
            page = max(self._int_param(request, "page", 1), 1)
            ordered = self._sort(request, spec, records)
            last = max(1, -(-len(ordered) // page_size))
            chunk = ordered[(page - 1) * page_size : page * page_size]
            links = [f'<{self._link(request, "page", 1)}>; rel="first"']
            if page > 1:
                links.append(f'<{self._link(request, "page", page - 1)}>; rel="prev"')
            if page < last:
                links.append(f'<{self._link(request, "page", page + 1)}>; rel="next"')
            links.append(f'<{self._link(request, "page", last)}>; rel="last"')
            if self.navigable_only.get(spec.name, True):
                headers["Link"] = ", ".join(links)
        body = [self._render(r, fields) for r in chunk]
        return SandboxResponse.json(200, body, headers)

    def _time_views(self, request: SandboxRequest, spec: Collection) -> list[dict[str, Any]]:
        """The time entries charged to a (service or project) ticket, as ``TimeEntryReference`` items."""
        ticket = self._parent_id(request, spec)
        kind = "ProjectTicket" if spec.name == "projectTicketTime" else "ServiceTicket"
        entries = [
            e
            for e in self.data["timeEntries"].values()
            if e.get("chargeToId") == ticket and str(e.get("chargeToType", "")).lower() == kind.lower()
        ]
        return [self.store.ref_of("timeEntries", e, keys=()) for e in entries]

    def _list_time(self, request: SandboxRequest, spec: Collection) -> SandboxResponse:
        """``GET /service/tickets/{id}/timeentries`` (and the project ticket twin): references, paged."""
        self._auth(request)
        return self._page(
            request, spec, self._filter(request, spec, self._time_views(request, spec)), self._fields(request)
        )

    def _count_time(self, request: SandboxRequest, spec: Collection) -> SandboxResponse:
        """``GET /service/tickets/{id}/timeentries/count``."""
        self._auth(request)
        return SandboxResponse.json(
            200, {"count": len(self._filter(request, spec, self._time_views(request, spec)))}
        )

    def _count(self, request: SandboxRequest, spec: Collection) -> SandboxResponse:
        self._auth(request)
        records = self._filter(request, spec, self.store.scope(spec.name, self._parent_id(request, spec)))
        return SandboxResponse.json(200, {"count": len(records)})

    def _find(self, request: SandboxRequest, spec: Collection) -> dict[str, Any]:
        parent = self._parent_id(request, spec)
        raw = request.path_params.get("id", "")
        record = self.data[spec.name].get(int(raw)) if raw.isdigit() else None
        if record is None or (parent is not None and self.parents[spec.name].get(record["id"]) != parent):
            label = spec.not_found or spec.label[:1].upper() + spec.label[1:]
            raise error(404, "NotFound", f"{label} {raw} not found")
        return record

    def _get(self, request: SandboxRequest, spec: Collection) -> SandboxResponse:
        self._auth(request)
        return SandboxResponse.json(200, self._render(self._find(request, spec), self._fields(request)))


def _number_index(
    table: Mapping[int, Mapping[str, Any]], path: Sequence[str]
) -> tuple[list[Decimal], list[int]]:
    """Every record's numeric values at ``path`` (as a numeric condition reads them), sorted, with the
    record ids beside them."""
    pairs = sorted(
        (number, record_id)
        for record_id, record in table.items()
        for number in {cond.to_number(value) for value in resolve_path(record, path)}
        if number is not None
    )
    return [number for number, _ in pairs], [record_id for _, record_id in pairs]
