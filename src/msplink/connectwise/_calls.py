"""Pure request builders for ConnectWise endpoints (sans-I/O: ``Call[T]`` values, no HTTP here)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta, timezone
from typing import Any, Generic, TypeVar
from urllib.parse import parse_qsl, urlsplit

import attrs
import httpx

from msplink._core import Call, Page, decode_json, path
from msplink.connectwise import conditions as cond
from msplink.connectwise.models._converter import structure, structure_many
from msplink.connectwise.models import CompanyInfo, Entity, Model, Update
from msplink.errors import ConfigurationError, QueryError

__all__ = [
    "MAX_PAGE_SIZE",
    "Endpoint",
    "Watermark",
    "changes_condition",
    "company_info_call",
    "count_call",
    "create_call",
    "delete_call",
    "get_call",
    "list_call",
    "next_call",
    "update_call",
]

T = TypeVar("T", bound=Model)
U = TypeVar("U", bound=Update)

MAX_PAGE_SIZE = 1000
FORWARD_ONLY = {"pagination-type": "forward-only"}


@attrs.frozen
class Endpoint(Generic[T, U]):
    """A ConnectWise collection: its path template (``{parent}`` for child collections) and models."""

    template: str
    model: type[T]
    update_model: type[U]

    def collection(self, parent: int | None) -> tuple[str, str]:
        """The concrete collection path and its template."""
        if "{parent}" in self.template:
            if parent is None:
                raise ConfigurationError(f"{self.template} needs a parent id")
            _check_id(parent, "parent id")
            return path(self.template, parent=parent), self.template
        return self.template, self.template

    def item(self, parent: int | None, record_id: int) -> tuple[str, str]:
        """The concrete record path and its template."""
        base, template = self.collection(parent)
        _check_id(record_id, "id")
        return base + path("/{id}", id=record_id), template + "/{id}"


def _check_id(value: object, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ConfigurationError(f"connectwise: {what} must be a positive integer, got {value!r}")


@attrs.frozen
class Watermark:
    """A change-tracking position: the last ``_info.lastUpdated`` seen and, for ties, the highest id.

    Attributes:
        timestamp: An aware UTC datetime (second precision on the wire).
        id: The highest record id seen at exactly ``timestamp`` (0: none).
    """

    timestamp: datetime
    id: int = 0

    def __attrs_post_init__(self) -> None:
        if self.timestamp.tzinfo is None:
            raise ConfigurationError("Watermark.timestamp must be timezone-aware")

    def advance(self, record: Entity) -> Watermark:
        """The watermark after ``record`` (unchanged if the record is older or has no ``last_updated``)."""
        if record.last_updated is None:
            return self
        record_id = getattr(record, "id", None) or 0
        if (record.last_updated, record_id) > (self.timestamp, self.id):
            return Watermark(record.last_updated.astimezone(timezone.utc), record_id)
        return self


def get_call(ep: Endpoint[T, U], parent: int | None, record_id: int, *, fields: list[str] | None) -> Call[T]:
    """``GET {collection}/{id}`` (with an optional ``fields`` projection)."""
    concrete, template = ep.item(parent, record_id)
    params: dict[str, str] = {}
    projection = cond.fields_param(fields)
    if projection:
        params["fields"] = projection
    return Call(
        method="GET",
        path=concrete,
        template=template,
        params=params,
        parse=lambda r: structure(decode_json(r), ep.model),
    )


def _page_parser(
    model: type[T], page_size: int, forward_only: bool, page: int, skip: Callable[[T], bool] | None
) -> Callable[[httpx.Response], Page[T]]:
    def parse(response: httpx.Response) -> Page[T]:
        records = structure_many(decode_json(response), model)
        links = response.links
        next_url = links.get("next", {}).get("url")
        cursor: str | None = None
        # Follow rel="next" whenever the server sends it (a silently capped page size must not
        # truncate the read); without any Link header, keep going while pages come back full.
        if forward_only:
            if next_url and records:
                query = {k.lower(): v for k, v in parse_qsl(urlsplit(next_url).query)}
                cursor = query.get("pageid") or str(getattr(records[-1], "id", "") or "") or None
                if cursor is not None and not cursor.isdigit():
                    cursor = None
        elif records and (next_url or (not links and len(records) >= page_size)):
            cursor = str(page + 1)
        items = [r for r in records if not skip(r)] if skip is not None else records
        raw = {
            "forward_only": forward_only,
            "link": links,
            "parser_for": lambda number: _page_parser(model, page_size, forward_only, number, skip),
        }
        return Page(items=items, next_cursor=cursor, raw=raw)

    return parse


def list_call(
    ep: Endpoint[T, U],
    parent: int | None,
    query: cond.Query,
    *,
    page_size: int = MAX_PAGE_SIZE,
    forward_only: bool | None = None,
    cursor: str | None = None,
    include_info: bool = False,
    skip: Callable[[T], bool] | None = None,
) -> Call[Page[T]]:
    """The first ``GET {collection}`` of a paginated read.

    Args:
        ep: The collection.
        parent: The parent id of a child collection.
        query: Conditions, ordering and projection.
        page_size: 1..1000 (the API maximum, the default).
        forward_only: Keyset paging by id (``pageId``); default: yes unless ``order_by`` is given.
        cursor: Resume from a checkpointed ``Page.next_cursor``.
        include_info: Add ``_info`` to a ``fields`` projection (incremental reads).
        skip: Records to leave out of pages (dedupe), applied after paging decisions.

    Raises:
        QueryError: A malformed query, or ``order_by`` with forward-only paging (before any I/O).
        ConfigurationError: A page size outside 1..1000.
    """
    if isinstance(page_size, bool) or not isinstance(page_size, int) or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise ConfigurationError(f"page_size must be 1..{MAX_PAGE_SIZE}, got {page_size!r}")
    has_order = query.order_by not in (None, "", [], ())
    if forward_only is None:
        forward_only = not has_order
    if forward_only and has_order:
        raise QueryError("orderBy is not allowed with forward-only paging")
    concrete, template = ep.collection(parent)
    params: dict[str, str] = query.params(include_info=include_info)
    params["pageSize"] = str(page_size)
    start = 1
    if cursor is not None:
        if not str(cursor).isdigit():
            raise ConfigurationError(f"invalid page cursor {cursor!r}")
        if forward_only:
            params["pageId"] = str(cursor)
        else:
            start = int(cursor)
    if not forward_only:
        params["page"] = str(start)
    return Call(
        method="GET",
        path=concrete,
        template=template,
        params=params,
        headers=dict(FORWARD_ONLY) if forward_only else {},
        parse=_page_parser(ep.model, page_size, forward_only, start, skip),
    )


def next_call(prev: Call[Page[T]], page: Page[T]) -> Call[Page[T]] | None:
    """The request after ``page``: the next ``page`` number, or the next ``pageId`` (forward-only)."""
    if page.next_cursor is None:
        return None
    raw: Mapping[str, Any] = page.raw or {}
    params = dict(prev.params)
    if raw.get("forward_only"):
        params["pageId"] = page.next_cursor
        parse = prev.parse
    else:
        params["page"] = page.next_cursor
        parse = raw["parser_for"](int(page.next_cursor))
    return Call(
        method=prev.method,
        path=prev.path,
        template=prev.template,
        params=params,
        headers=prev.headers,
        parse=parse,
    )


def count_call(ep: Endpoint[T, U], parent: int | None, query: cond.Query) -> Call[int]:
    """``GET {collection}/count`` with the same conditions → ``{"count": n}``."""
    concrete, template = ep.collection(parent)

    def parse(response: httpx.Response) -> int:
        body = decode_json(response)
        value = body["count"]
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError("count is not an integer")
        return value

    return Call(
        method="GET",
        path=concrete + "/count",
        template=template + "/count",
        params=query.params(with_order=False),
        parse=parse,
    )


def create_call(ep: Endpoint[T, U], parent: int | None, record: T) -> Call[T]:
    """``POST {collection}`` with the fields that are set (201 + the created record)."""
    if not isinstance(record, ep.model):
        raise ConfigurationError(f"expected a {ep.model.__name__}, got {type(record).__name__}")
    concrete, template = ep.collection(parent)
    body = record.to_api()
    body.pop("id", None)
    return Call(
        method="POST",
        path=concrete,
        template=template,
        json=body,
        parse=lambda r: structure(decode_json(r), ep.model),
    )


def update_call(ep: Endpoint[T, U], parent: int | None, record_id: int, patch: U) -> Call[T]:
    """``PATCH {collection}/{id}`` with the JSON Patch operations of a partial model.

    Raises:
        ConfigurationError: ``patch`` is of the wrong type or sets nothing.
    """
    if not isinstance(patch, ep.update_model):
        raise ConfigurationError(f"expected a {ep.update_model.__name__}, got {type(patch).__name__}")
    ops = patch.to_patch()
    if not ops:
        raise ConfigurationError(f"{type(patch).__name__} sets no field; nothing to update")
    concrete, template = ep.item(parent, record_id)
    return Call(
        method="PATCH",
        path=concrete,
        template=template,
        json=ops,
        parse=lambda r: structure(decode_json(r), ep.model),
    )


def delete_call(ep: Endpoint[T, U], parent: int | None, record_id: int) -> Call[None]:
    """``DELETE {collection}/{id}`` (204)."""
    concrete, template = ep.item(parent, record_id)
    return Call(method="DELETE", path=concrete, template=template)


def changes_condition(
    since: datetime | Watermark, *, overlap: timedelta, until: datetime | None = None
) -> cond.Condition:
    """The condition of an incremental read: records changed after ``since`` (minus ``overlap``).

    With a :class:`Watermark` and no overlap the id breaks ties at the same second:
    ``lastUpdated > [t] OR (lastUpdated = [t] AND id > n)``.
    """
    if overlap < timedelta(0):
        raise ConfigurationError("overlap must not be negative")
    stamp = since.timestamp if isinstance(since, Watermark) else since
    if stamp.tzinfo is None:
        raise ConfigurationError("since must be timezone-aware")
    stamp = stamp.astimezone(timezone.utc).replace(microsecond=0)
    field = cond.F("lastUpdated")
    result: cond.Condition
    if isinstance(since, Watermark) and since.id and overlap == timedelta(0):
        result = (field > stamp) | ((field == stamp) & (cond.F("id") > since.id))
    else:
        result = field > stamp - overlap
    if until is not None:
        result = result & (field <= until)
    return result


def company_info_call(scheme: str, host: str, company_id: str) -> Call[CompanyInfo]:
    """``GET https://{site}/login/companyinfo/{companyId}`` (no auth needed): the tenant's codebase."""
    return Call(
        method="GET",
        path=f"{scheme}://{host}" + path("/login/companyinfo/{company}", company=company_id),
        template="/login/companyinfo/{companyId}",
        parse=lambda r: structure(decode_json(r), CompanyInfo),
    )
