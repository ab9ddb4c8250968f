"""Pure request builders for ConnectWise endpoints (sans-I/O: ``Call[T]`` values, no HTTP here).

Every ``Call`` built here says whether it is ``idempotent`` (retry eligibility, DESIGN §3): reads,
``PATCH`` bodies made only of ``replace``/``test`` operations and ``DELETE`` are; ``POST`` never is
(ConnectWise has no idempotency key, REFERENCE §3.3), and neither is a raw ``PATCH`` that adds,
removes, moves or copies array elements (applying it twice changes the record twice).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any, Generic, TypeVar
from urllib.parse import parse_qsl, urlsplit

import attrs
import httpx

from msplink._core import Call, Page, build_api_error, decode_json, path
from msplink.connectwise import conditions as cond
from msplink.connectwise._errors import PLATFORM
from msplink.connectwise.models import CompanyInfo, Entity, Model, Update
from msplink.connectwise.models._converter import structure, structure_many
from msplink.errors import APIError, ConfigurationError, ErrorDetail, QueryError

__all__ = [
    "FORWARD_ONLY",
    "MAX_PAGE_SIZE",
    "Endpoint",
    "Watermark",
    "changes_condition",
    "check_codebase",
    "company_info_call",
    "count_call",
    "create_call",
    "delete_call",
    "get_call",
    "list_call",
    "next_call",
    "raw_call",
    "update_call",
    "updated_call",
]

T = TypeVar("T", bound=Model)
U = TypeVar("U", bound=Update)

MAX_PAGE_SIZE = 1000
FORWARD_ONLY = {"pagination-type": "forward-only"}
PAGE_CURSOR = "page:"
"""Prefix of the cursor of a read that fell back from forward-only to navigable paging (``page:2``)."""

_CODEBASE = re.compile(r"v\d{1,4}_\d{1,3}(?:_release)?/?")
_IDEMPOTENT_PATCH_OPS = frozenset({"replace", "test"})


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


def check_codebase(value: object) -> str:
    """A codebase as ConnectWise routes it (``v2025_1/``, ``v4_6_release/``), with its trailing slash.

    Anything else (``#``, ``?``, ``../``, an empty string, a host) would change the API path.

    Raises:
        ValueError: ``value`` is not a codebase.
    """
    text = value.strip() if isinstance(value, str) else ""
    if not _CODEBASE.fullmatch(text):
        raise ValueError("not a ConnectWise codebase (v2025_1/, v4_6_release/)")
    return text.rstrip("/") + "/"


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


def get_call(
    ep: Endpoint[T, U], parent: int | None, record_id: int, *, fields: Sequence[str] | None
) -> Call[T]:
    """``GET {collection}/{id}`` (with an optional ``fields`` projection)."""
    concrete, template = ep.item(parent, record_id)
    params: dict[str, str] = {}
    projection = cond.fields_param(list(fields) if fields else None)
    if projection:
        params["fields"] = projection
    return Call(
        method="GET",
        path=concrete,
        template=template,
        params=params,
        parse=lambda r: structure(decode_json(r), ep.model),
    )


# ---------------------------------------------------------------------------------------------- paging


def _navigable_links(links: Mapping[str | None, Mapping[str, str]]) -> bool:
    """Tell whether a ``Link`` header is navigable paging's (``first``/``prev``/``last``, ``page=N``)."""
    if any(rel in links for rel in ("first", "prev", "last")):
        return True
    url = links.get("next", {}).get("url")
    if not url:
        return False
    query = {k.lower() for k, _ in parse_qsl(urlsplit(url).query)}
    return "page" in query and "pageid" not in query


def _forward_cursor(next_url: str, records: Sequence[Model]) -> str | None:
    query = {k.lower(): v for k, v in parse_qsl(urlsplit(next_url).query)}
    cursor = query.get("pageid") or str(getattr(records[-1], "id", "") or "")
    return cursor if cursor.isdigit() else None


@attrs.frozen
class _Pager(Generic[T]):
    """How to read one page of a walk: the model, the page size and where the walk is."""

    model: type[T]
    page_size: int
    forward_only: bool
    page: int = 1  # navigable page number
    first: bool = True  # the first request of the walk (forward-only detection looks at it)
    fallback: bool = False  # the walk fell back from forward-only to navigable paging
    skip: Callable[[T], bool] | None = None

    def parse(self, response: httpx.Response) -> Page[T]:
        records = structure_many(decode_json(response), self.model)
        links = response.links
        next_url = links.get("next", {}).get("url")
        mode = self
        if self.forward_only and (
            _navigable_links(links)
            or (self.first and "link" not in response.headers and len(records) >= self.page_size)
        ):
            # REFERENCE §4.2: an endpoint without forward-only paging ignores the header and answers
            # navigable page 1 (Link rel first/last, or no Link header at all on the first answer, as
            # the ConnectWiseManageAPI module detects it): continue with navigable page numbers.
            mode = attrs.evolve(self, forward_only=False, page=1, fallback=True)
        cursor: str | None = None
        if mode.forward_only:
            # Follow rel="next" whenever the server sends it (a silently capped page size must not
            # truncate the read); no rel="next" ends the walk.
            if next_url and records:
                cursor = _forward_cursor(next_url, records)
        elif records and (next_url or (not links and len(records) >= self.page_size)):
            number = str(mode.page + 1)
            cursor = PAGE_CURSOR + number if mode.fallback else number
        items = [r for r in records if not self.skip(r)] if self.skip is not None else records
        raw = {"pager": mode, "link": links}
        return Page(items=items, next_cursor=cursor, raw=raw)


def list_call(
    ep: Endpoint[T, U],
    parent: int | None,
    query: cond.Query,
    *,
    page_size: int | None = None,
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
        page_size: 1..1000 (default: 1000, the API maximum).
        forward_only: Keyset paging by id (``pageId``); default: yes unless ``order_by`` is given.
        cursor: Resume from a checkpointed ``Page.next_cursor`` (a ``pageId``, a page number, or
            ``page:N`` for a read that fell back to navigable paging).
        include_info: Add ``_info`` to a ``fields`` projection (incremental reads).
        skip: Records to leave out of pages (dedupe), applied after paging decisions.

    Raises:
        QueryError: A malformed query, or ``order_by`` with forward-only paging (before any I/O).
        ConfigurationError: A page size outside 1..1000, or a malformed cursor.
    """
    size = MAX_PAGE_SIZE if page_size is None else page_size
    if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= MAX_PAGE_SIZE:
        raise ConfigurationError(f"page_size must be 1..{MAX_PAGE_SIZE}, got {page_size!r}")
    has_order = query.order_by not in (None, "", [], ())
    if forward_only is None:
        forward_only = not has_order
    if forward_only and has_order:
        raise QueryError("orderBy is not allowed with forward-only paging")
    concrete, template = ep.collection(parent)
    params: dict[str, str] = query.params(include_info=include_info)
    params["pageSize"] = str(size)
    start, fallback = 1, False
    if cursor is not None:
        text = str(cursor)
        if text.startswith(PAGE_CURSOR):
            text, forward_only, fallback = text[len(PAGE_CURSOR) :], False, True
        if not text.isdigit() or int(text) < 1:
            raise ConfigurationError(f"invalid page cursor {cursor!r}")
        if forward_only:
            params["pageId"] = text
        else:
            start = int(text)
    if not forward_only:
        params["page"] = str(start)
    # a walk resumed from a cursor is past its first request: a full page without a Link header is
    # then its last page, not an endpoint answering forward-only with navigable page 1
    pager = _Pager(
        ep.model, size, forward_only, page=start, first=cursor is None, fallback=fallback, skip=skip
    )
    return Call(
        method="GET",
        path=concrete,
        template=template,
        params=params,
        headers=dict(FORWARD_ONLY) if forward_only else {},
        parse=pager.parse,
    )


def next_call(prev: Call[Page[T]], page: Page[T]) -> Call[Page[T]] | None:
    """The request after ``page``: the next ``pageId`` (forward-only) or the next ``page`` number."""
    if page.next_cursor is None:
        return None
    pager: _Pager[T] = page.raw["pager"]
    params = dict(prev.params)
    headers = dict(prev.headers)
    if pager.forward_only:
        params["pageId"] = page.next_cursor
        following = attrs.evolve(pager, first=False)
    else:
        number = int(page.next_cursor.removeprefix(PAGE_CURSOR))
        params.pop("pageId", None)
        params["page"] = str(number)
        headers.pop("pagination-type", None)
        following = attrs.evolve(pager, page=number, first=False)
    return Call(
        method=prev.method,
        path=prev.path,
        template=prev.template,
        params=params,
        headers=headers,
        parse=following.parse,
    )


def count_call(ep: Endpoint[T, U], parent: int | None, query: cond.Query) -> Call[int]:
    """``GET {collection}/count`` with the same conditions -> ``{"count": n}``."""
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
    """``POST {collection}`` with the fields that are set (201 + the created record); never retried."""
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
        idempotent=False,  # no idempotency key: a lost answer is resolved by looking up, not resending
        parse=lambda r: structure(decode_json(r), ep.model),
    )


def update_call(ep: Endpoint[T, U], parent: int | None, record_id: int, patch: U) -> Call[T]:
    """``PATCH {collection}/{id}`` with the JSON Patch ``replace`` operations of a partial model.

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
        idempotent=True,  # only "replace" operations: applying them twice gives the same record
        parse=lambda r: structure(decode_json(r), ep.model),
    )


def delete_call(ep: Endpoint[T, U], parent: int | None, record_id: int) -> Call[None]:
    """``DELETE {collection}/{id}`` (204); a retry after a lost answer may see 404 (already gone)."""
    concrete, template = ep.item(parent, record_id)
    return Call(method="DELETE", path=concrete, template=template, idempotent=True)


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


def _skipper(seen: Mapping[int, datetime] | None) -> Callable[[Any], bool] | None:
    """Leave out records already processed with the same ``lastUpdated`` (stateless: safe to re-iterate).

    Keyset paging by id already guarantees an id appears once per read.
    """
    if not seen:
        return None

    def skip(record: Any) -> bool:
        record_id = getattr(record, "id", None)
        last_updated = getattr(record, "last_updated", None)
        if record_id is None or record_id not in seen or last_updated is None:
            return False
        return bool(last_updated <= seen[record_id])

    return skip


def updated_call(
    ep: Endpoint[T, U],
    parent: int | None,
    since: datetime | Watermark,
    *,
    overlap: timedelta,
    until: datetime | None,
    where: cond.Condition | str | None,
    fields: Sequence[str] | None,
    seen: Mapping[int, datetime] | None,
    page_size: int | None,
) -> Call[Page[T]]:
    """The first ``GET {collection}`` of an incremental read (``lastUpdated > [t]``, forward-only).

    ``fields`` always gains ``id`` and ``_info``; records in ``seen`` with an unchanged
    ``lastUpdated`` are left out of the pages.
    """
    condition = changes_condition(since, overlap=overlap, until=until)
    if where is not None:
        condition = condition & where
    names = list(fields) if fields else None
    if names is not None and "id" not in names:
        names.insert(0, "id")
    query = cond.Query(conditions=condition, fields=names)
    return list_call(
        ep, parent, query, page_size=page_size, forward_only=True, include_info=True, skip=_skipper(seen)
    )


def company_info_call(scheme: str, host: str, company_id: str) -> Call[CompanyInfo]:
    """``GET https://{site}/login/companyinfo/{companyId}`` (no auth needed): the tenant's codebase.

    The answer's ``Codebase`` is checked: anything but a codebase (``v2025_1/``) is an
    :class:`~msplink.errors.APIError` (``invalid_codebase``), so it can never change the API path.
    """
    call: Call[CompanyInfo]

    def parse(response: httpx.Response) -> CompanyInfo:
        info = structure(decode_json(response), CompanyInfo)
        if info.codebase:  # empty or absent: the v4_6_release router
            try:
                check_codebase(info.codebase)
            except ValueError:
                detail = ErrorDetail(
                    code="invalid_codebase", message="companyinfo returned an invalid codebase"
                )
                raise build_api_error(PLATFORM, call, response, details=(detail,), cls=APIError) from None
        return info

    call = Call(
        method="GET",
        path=f"{scheme}://{host}" + path("/login/companyinfo/{company}", company=company_id),
        template="/login/companyinfo/{companyId}",
        parse=parse,
    )
    return call


def _patch_is_idempotent(body: object) -> bool:
    return isinstance(body, list) and all(
        isinstance(op, Mapping) and op.get("op") in _IDEMPOTENT_PATCH_OPS for op in body
    )


def raw_call(
    method: str,
    target: str,
    params: Mapping[str, str] | None,
    json: object,
    headers: Mapping[str, str] | None,
) -> Call[httpx.Response]:
    """Any request relative to ``.../apis/3.0`` (``request()``), returning the raw response.

    Raises:
        ConfigurationError: The path is not relative to the API root, or the method is malformed.
    """
    if not isinstance(target, str) or not target.startswith("/") or target.startswith("//"):
        raise ConfigurationError(
            "connectwise: request() takes a path starting with '/' (relative to apis/3.0)"
        )
    if not isinstance(method, str) or not method.isalpha():
        raise ConfigurationError(f"connectwise: invalid method {method!r}")
    verb = method.upper()
    idempotent = verb in {"GET", "HEAD", "OPTIONS", "PUT", "DELETE"} or (
        verb == "PATCH" and _patch_is_idempotent(json)
    )
    return Call(
        method=verb,
        path=target,
        template=target.split("?", 1)[0],
        params=dict(params or {}),
        json=json,
        headers=dict(headers or {}),
        idempotent=idempotent,
        parse=lambda r: r,
    )
