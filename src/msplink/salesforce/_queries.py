"""Several SOQL statements in few API calls: up to five in one ``POST /composite`` call.

Salesforce counts a composite request as one API call and takes up to five query (or sObject
Collections) subrequests among its 25 (REFERENCE §9). A subrequest's URL travels in the request body,
so it is not bound by the 16,384-byte URI of a ``GET /query`` (REFERENCE §5; Salesforce help article
000386264 recommends exactly this for long statements): one statement may hold up to
:data:`~msplink.salesforce.soql.MAX_LENGTH` characters. Look-ups by long ``IN (...)`` lists therefore take one call per five
statements of up to 2,000 values each, where ``GET /query`` would take one call per ~480 ids.

A statement whose answer does not fit its first page is followed by ``nextRecordsUrl`` with plain
``GET`` calls, as :meth:`SObjects.query` follows it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar
from urllib.parse import urlencode

import httpx

from msplink._core import Call, Page, Plan, build_api_error, dumps
from msplink.errors import ConfigurationError
from msplink.salesforce import _calls as calls
from msplink.salesforce._errors import PLATFORM

__all__ = ["queries_in_composite", "query_many"]

_T = TypeVar("_T")


def queries_in_composite(
    version: str,
    statements: Sequence[str],
    parse_record: Callable[[Mapping[str, Any]], _T],
    *,
    include_deleted: bool = False,
) -> Call[list[Page[_T]]]:
    """Up to five SOQL statements as one ``POST /composite`` call of ``GET /query`` (or ``/queryAll``)
    subrequests.

    Args:
        version: The API version.
        statements: The statements, 1 to :data:`~msplink.salesforce._calls.COMPOSITE_COLLECTIONS`,
            each at most :data:`~msplink.salesforce.soql.MAX_LENGTH` characters.
        parse_record: Turns a row into the page's item.
        include_deleted: Through ``/queryAll`` (deleted and archived rows too).

    Returns:
        The call; its answer holds each statement's first page, in order (follow each with
        :func:`~msplink.salesforce._calls.next_query` over the statement's ``GET /query`` call).

    Raises:
        ConfigurationError: No statement, or more than five.
        QueryError: A statement is certainly invalid or too long (before any I/O).

    A statement Salesforce refuses (its subresponse is 4xx) makes the call raise the typed error a
    ``GET /query`` of it would have raised (``BadRequestError`` with ``INVALID_FIELD`` ...).
    """
    if not 1 <= len(statements) <= calls.COMPOSITE_COLLECTIONS:
        raise ConfigurationError(f"a composite call takes 1 to {calls.COMPOSITE_COLLECTIONS} statements")
    parts = [calls.query(version, s, parse_record, include_deleted=include_deleted) for s in statements]
    subrequests = [
        {"method": "GET", "url": f"{part.path}?{urlencode(part.params)}", "referenceId": f"q{n}"}
        for n, part in enumerate(parts)
    ]
    call: Call[list[Page[_T]]] = Call(
        method="POST",
        path=calls.base(version) + "/composite",
        json={"allOrNone": False, "collateSubrequests": False, "compositeRequest": subrequests},
        idempotent=True,
    )

    def parse(response: httpx.Response) -> list[Page[_T]]:
        answers = {a.reference_id: a for a in calls.composite_parse(response)}
        if set(answers) != {f"q{n}" for n in range(len(parts))}:
            raise ValueError("the composite answer does not hold one subresponse per statement")
        pages: list[Page[_T]] = []
        for n, part in enumerate(parts):
            answer = answers[f"q{n}"]
            if not answer.ok:
                refused = httpx.Response(answer.status, content=dumps(answer.body), request=response.request)
                raise build_api_error(PLATFORM, part, refused)
            if not isinstance(answer.body, Mapping):
                raise TypeError("a query subresponse is not a JSON object")
            pages.append(calls.query_page(answer.body, parse_record))
        return pages

    return call.with_parse(parse)


def query_many(
    version: str,
    statements: Sequence[str],
    parse_record: Callable[[Mapping[str, Any]], _T],
    *,
    include_deleted: bool = False,
) -> Plan[list[list[_T]]]:
    """Every row of each statement: five statements to a ``POST /composite`` call (one API call),
    each followed by ``nextRecordsUrl`` until done.

    Returns:
        One row list per statement, in order.
    """
    out: list[list[_T]] = []
    for start in range(0, len(statements), calls.COMPOSITE_COLLECTIONS):
        pack = [str(s) for s in statements[start : start + calls.COMPOSITE_COLLECTIONS]]
        pages: list[Page[_T]] = yield queries_in_composite(
            version, pack, parse_record, include_deleted=include_deleted
        )
        for statement, page in zip(pack, pages, strict=True):
            rows = list(page.items)
            base = calls.query(version, statement, parse_record, include_deleted=include_deleted)
            following = calls.next_query(base, page)
            while following is not None:
                page = yield following
                rows.extend(page.items)
                following = calls.next_query(following, page)
            out.append(rows)
    return out
