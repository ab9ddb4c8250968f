"""What went over the wire: an instrumented transport in front of a sandbox, and the platform minimum.

:class:`Meter` wraps a sandbox's in-process transport (sync and async). For every request it keeps
what the request did, read from the vendor's own wire format (REFERENCE.md of each vendor):

- ``read``: records returned, by object (ConnectWise JSON arrays, QuickBooks ``QueryResponse`` of
  ``/query``, ``/cdc`` and query items of ``/batch``, Salesforce ``records`` of ``/query``), with
  their ids;
- ``write``: records created, updated or deleted, by object (a ConnectWise POST/PATCH/PUT/DELETE;
  a QuickBooks entity POST or the ``operation`` items of a ``/batch``; a Salesforce sObject call,
  an sObject Collections call with its ``records``, a Bulk 2.0 CSV upload with its rows);
- ``meta``: everything else that is an API call (describe, preferences, Bulk job control);
- ``auth``: token and login requests, which are not API calls.

It also measures the CPU time spent outside msplink (the sandbox serving the request, and this
analysis), so ``thread CPU - meter.outside`` is msplink's own cost; and the requests in flight
over time (peak, and the mean while busy, on the clock the run uses), for the concurrency
benchmark.

:func:`minimum_calls` turns the traffic into the fewest API calls the platforms allow for the same
data: every distinct record read once, in pages of the maximum size (ConnectWise 1,000, QuickBooks
1,000, Salesforce 2,000), every object read at least once; every write in batches of the maximum size
(QuickBooks ``/batch`` 30 operations, Salesforce 1,000 records: five sObject Collections of 200 in
one ``POST /composite``; ConnectWise one call per record: it has no batch write).
"""

from __future__ import annotations

import json
import math
import re
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import unquote_plus

import attrs
import httpx

__all__ = ["PAGE_MAX", "WRITE_BATCH_MAX", "Meter", "Traffic", "minimum_calls"]

PAGE_MAX: Mapping[str, int] = {"connectwise": 1000, "quickbooks": 1000, "salesforce": 2000}
"""The largest page each platform serves (CW ``pageSize``, QBO ``MAXRESULTS``, SF query batch)."""

WRITE_BATCH_MAX: Mapping[str, int] = {"connectwise": 1, "quickbooks": 30, "salesforce": 1000}
"""The most records one write call can carry (CW none, QBO ``/batch``; SF five sObject Collections
of 200 in one ``POST /composite``, which Salesforce counts as one API call, REFERENCE §9)."""

QBO_UNBATCHED: frozenset[str] = frozenset({"recurringtransaction"})
"""QuickBooks entities written one per call: Intuit documents create and delete of a
``RecurringTransaction`` on ``/recurringtransaction`` only, not as ``/batch`` items (REFERENCE §12.10)."""

_CW_CHILD = re.compile(r"^.*/(\d+)/[A-Za-z]+(?:/\d+)?$")

_AUTH = re.compile(r"/oauth2/|/services/oauth2/|/login/companyinfo|/\.well-known/", re.IGNORECASE)
_CW_API = re.compile(r"/apis/3\.0(/.*)$", re.IGNORECASE)
_QBO_API = re.compile(r"/v3/company/[^/]+(/.*)$", re.IGNORECASE)
_SF_API = re.compile(r"/services/data/v[\d.]+(/.*)?$", re.IGNORECASE)
_SF_ID = re.compile(r"^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$")
_FROM = re.compile(r"\bFROM\s+(\w+)", re.IGNORECASE)


@attrs.define
class Traffic:
    """The requests of one system, classified.

    Attributes:
        calls: API calls by kind (``read``, ``write``, ``meta``; auth requests are not counted).
        auth: Token and login requests.
        read_ids: Distinct ids read, per object.
        read_calls: Read calls per object.
        writes: Records written, per object.
        parents: For ConnectWise child collections (``/finance/agreements/{id}/additions``): the
            parents whose children were read. The platform serves children one parent at a time
            (REFERENCE §8.7), so their floor is one read per parent, not full pages across parents.
        unbatched: Records written with one call each because the platform takes them no other way
            (:data:`QBO_UNBATCHED`).
        statuses: Responses by status (``None``: no answer).
    """

    system: str
    calls: Counter[str] = attrs.field(factory=Counter)
    auth: int = 0
    read_ids: dict[str, set[str]] = attrs.field(factory=lambda: defaultdict(set))
    read_calls: Counter[str] = attrs.field(factory=Counter)
    writes: Counter[str] = attrs.field(factory=Counter)
    parents: dict[str, set[str]] = attrs.field(factory=lambda: defaultdict(set))
    unbatched: Counter[str] = attrs.field(factory=Counter)
    statuses: Counter[int | None] = attrs.field(factory=Counter)

    @property
    def api_calls(self) -> int:
        """Every API call (auth requests left out)."""
        return sum(self.calls.values())

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready counts."""
        return {
            "api_calls": self.api_calls,
            "calls": dict(self.calls),
            "auth_requests": self.auth,
            "records_read": {k: len(v) for k, v in sorted(self.read_ids.items())},
            "read_calls": dict(sorted(self.read_calls.items())),
            "records_written": dict(sorted(self.writes.items())),
            "child_parents": {k: len(v) for k, v in sorted(self.parents.items())},
            "minimum": minimum_calls(self),
        }


def minimum_calls(traffic: Traffic) -> int:
    """The fewest API calls the platform allows for the same records read and written: full pages of
    each object read (a child collection: one read per parent, as ConnectWise serves them), full
    batches of what was written (one call per record the platform takes no other way)."""
    page = PAGE_MAX[traffic.system]
    reads = sum(
        max(1, len(traffic.parents.get(obj, ())), math.ceil(len(traffic.read_ids.get(obj, ())) / page))
        for obj in traffic.read_calls
    )
    unbatched = sum(traffic.unbatched.values())
    written = sum(traffic.writes.values()) - unbatched
    batch = WRITE_BATCH_MAX[traffic.system]
    writes = written if batch == 1 else math.ceil(written / batch)
    return reads + writes + unbatched


def _json(content: bytes) -> Any:
    if not content:
        return None
    try:
        return json.loads(content)
    except ValueError:
        return None


def _cw_object(path: str) -> str:
    return re.sub(r"/\d+(?=/|$)", "/{id}", path.rstrip("/"))


def _analyse_cw(t: Traffic, request: httpx.Request, response: httpx.Response | None, api: str) -> None:
    obj = _cw_object(api)
    if request.method == "GET":
        body = _json(response.content) if response is not None else None
        if api.rstrip("/").endswith("/count") or not isinstance(body, (list, dict)):
            t.calls["meta"] += 1
            return
        t.calls["read"] += 1
        rows = body if isinstance(body, list) else [body]
        obj = re.sub(r"/\{id\}$", "", obj)
        t.read_calls[obj] += 1
        child = _CW_CHILD.match(api.rstrip("/"))
        if child is not None:
            t.parents[obj].add(child.group(1))
        t.read_ids[obj].update(str(r.get("id")) for r in rows if isinstance(r, dict))
        return
    t.calls["write"] += 1
    t.writes[re.sub(r"/\{id\}$", "", obj)] += 1


def _qbo_reads(t: Traffic, query_response: Any) -> None:
    if not isinstance(query_response, dict):
        return
    for key, value in query_response.items():
        if isinstance(value, list):
            t.read_calls[key] += 0
            t.read_ids[key].update(str(r.get("Id")) for r in value if isinstance(r, dict))


def _analyse_qbo(t: Traffic, request: httpx.Request, response: httpx.Response | None, api: str) -> None:
    parts = [p for p in api.split("/") if p]
    head = parts[0].lower() if parts else ""
    body = _json(response.content) if response is not None else None
    if head == "query":
        t.calls["read"] += 1
        query = request.url.params.get("query") or request.content.decode("utf-8", "replace")
        found = _FROM.search(query)
        obj = found.group(1) if found else "?"
        t.read_calls[obj] += 1
        if isinstance(body, dict):
            _qbo_reads(t, body.get("QueryResponse"))
        return
    if head == "cdc":
        t.calls["read"] += 1
        for name in (request.url.params.get("entities") or "").split(","):
            t.read_calls[name.strip()] += 1
        for part in (body or {}).get("CDCResponse", []) if isinstance(body, dict) else []:
            for qr in part.get("QueryResponse", []):
                _qbo_reads(t, qr)
        return
    if head == "batch":
        items = (_json(request.content) or {}).get("BatchItemRequest", [])
        answers = (body or {}).get("BatchItemResponse", []) if isinstance(body, dict) else []
        kinds = set()
        for item in items:
            if "Query" in item:
                kinds.add("read")
                found = _FROM.search(item["Query"])
                t.read_calls[found.group(1) if found else "?"] += 1
            else:
                kinds.add("write")
                entity = next((k for k in item if k not in {"bId", "operation", "optionsData"}), "?")
                t.writes[entity] += 1
        for answer in answers:
            _qbo_reads(t, answer.get("QueryResponse"))
        t.calls["write" if "write" in kinds else "read"] += 1
        return
    if request.method == "GET":
        entity = parts[0] if parts else "?"
        if isinstance(body, dict) and len(parts) > 1:
            t.calls["read"] += 1
            t.read_calls[entity] += 1
            for value in body.values():
                if isinstance(value, dict) and "Id" in value:
                    t.read_ids[entity].add(str(value["Id"]))
        else:
            t.calls["meta"] += 1
        return
    t.calls["write"] += 1
    entity = parts[0] if parts else "?"
    t.writes[entity] += 1
    if entity.lower() in QBO_UNBATCHED:
        t.unbatched[entity] += 1


def _analyse_sf(t: Traffic, request: httpx.Request, response: httpx.Response | None, api: str) -> None:
    parts = [p for p in api.split("/") if p]
    body = _json(response.content) if response is not None else None
    head = parts[0].lower() if parts else ""
    if head in {"query", "queryall"}:
        t.calls["read"] += 1
        query = request.url.params.get("q") or ""
        found = _FROM.search(query)
        records = body.get("records", []) if isinstance(body, dict) else []
        obj = found.group(1) if found else None
        if obj is None and records:
            obj = str(records[0].get("attributes", {}).get("type", "?"))
        obj = obj or "?"
        t.read_calls[obj] += 1
        t.read_ids[obj].update(str(r.get("Id")) for r in records if isinstance(r, dict))
        return
    if head == "composite" and len(parts) == 1 and request.method == "POST":
        subs = (_json(request.content) or {}).get("compositeRequest", [])
        if subs and all(str(sub.get("method")).upper() == "GET" for sub in subs):  # queries: one read
            t.calls["read"] += 1
            answers = body.get("compositeResponse", []) if isinstance(body, dict) else []
            read: set[str] = set()
            for sub, answer in zip(subs, answers, strict=False):
                found = _FROM.search(unquote_plus(str(sub.get("url") or "")))
                obj = found.group(1) if found else "?"
                read.add(obj)
                rows = (answer.get("body") or {}).get("records", []) if isinstance(answer, dict) else []
                t.read_ids[obj].update(str(r.get("Id")) for r in rows if isinstance(r, dict))
            for obj in read:
                t.read_calls[obj] += 1
            return
        t.calls["write"] += 1  # one API call, whatever its subrequests (collections writes here)
        for sub in subs:
            url = str(sub.get("url") or "")
            tail = [p for p in url.split("?")[0].split("/") if p]
            at = tail.index("sobjects") + 1 if "sobjects" in tail else len(tail)
            obj = tail[at] if at < len(tail) else None  # an upsert names its sObject in the URL
            for record in (sub.get("body") or {}).get("records", []):
                t.writes[obj or str(record.get("attributes", {}).get("type", "?"))] += 1
        return
    if head == "composite" and len(parts) > 1 and parts[1].lower() == "sobjects":
        if request.method == "GET":
            t.calls["read"] += 1
            obj = parts[2] if len(parts) > 2 else "?"
            t.read_calls[obj] += 1
            rows = body if isinstance(body, list) else []
            t.read_ids[obj].update(str(r.get("Id")) for r in rows if isinstance(r, dict))
            return
        t.calls["write"] += 1
        if request.method == "DELETE":
            ids = (request.url.params.get("ids") or "").split(",")
            t.writes["?"] += len([i for i in ids if i])
            return
        for record in (_json(request.content) or {}).get("records", []):
            obj = parts[2] if len(parts) > 2 else str(record.get("attributes", {}).get("type", "?"))
            t.writes[obj] += 1
        return
    if head == "jobs":
        if request.method == "PUT" and parts[-1].lower() == "batches":
            t.calls["write"] += 1
            lines = max(0, request.content.count(b"\n") - 1) if request.content else 0
            t.writes["bulk"] += lines
        else:
            t.calls["meta"] += 1
        return
    if head == "sobjects" and len(parts) >= 2:
        obj = parts[1]
        if request.method == "GET":
            if len(parts) >= 3 and _SF_ID.match(parts[2]) and isinstance(body, dict) and "Id" in body:
                t.calls["read"] += 1
                t.read_calls[obj] += 1
                t.read_ids[obj].add(str(body["Id"]))
            else:
                t.calls["meta"] += 1
            return
        t.calls["write"] += 1
        t.writes[obj] += 1
        return
    t.calls["meta"] += 1


_ANALYSERS: dict[
    str,
    tuple[re.Pattern[str], Callable[[Traffic, httpx.Request, httpx.Response | None, str], None]],
] = {
    "connectwise": (_CW_API, _analyse_cw),
    "quickbooks": (_QBO_API, _analyse_qbo),
    "salesforce": (_SF_API, _analyse_sf),
}


class Meter(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """An instrumented transport in front of a sandbox's transport (see the module docstring).

    Args:
        system: ``connectwise``, ``quickbooks`` or ``salesforce``.
        inner: The sandbox's transport.
        clock: The clock of the run (virtual or real), for the in-flight curve.
        analyse: Classify every request (off for pure timing runs).
    """

    def __init__(
        self,
        system: str,
        inner: Any,
        *,
        clock: Callable[[], float] = time.monotonic,
        analyse: bool = True,
    ) -> None:
        self.system = system
        self.inner = inner
        self.clock = clock
        self.analyse = analyse
        self.traffic = Traffic(system)
        self.outside_ns = 0
        self.in_flight = 0
        self.peak_in_flight = 0
        self._busy_since: float | None = None
        self._busy = 0.0
        self._area = 0.0
        self._last = 0.0
        self._lock = threading.Lock()

    # ---- in-flight accounting (time-weighted on the run's clock)

    def _enter(self) -> None:
        with self._lock:
            now = self.clock()
            self._account(now)
            self.in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self.in_flight)

    def _leave(self) -> None:
        with self._lock:
            self._account(self.clock())
            self.in_flight -= 1

    def _account(self, now: float) -> None:
        if self.in_flight:
            self._area += self.in_flight * (now - self._last)
            self._busy += now - self._last
        self._last = now

    @property
    def mean_in_flight(self) -> float:
        """Requests in flight on average while at least one was (time-weighted)."""
        return self._area / self._busy if self._busy else 0.0

    @property
    def busy_seconds(self) -> float:
        """Time during which at least one request was in flight."""
        return self._busy

    # ---- analysis

    def _classify(self, request: httpx.Request, response: httpx.Response | None) -> None:
        path = request.url.path
        if _AUTH.search(path):
            self.traffic.auth += 1
            return
        pattern, analyse = _ANALYSERS[self.system]
        found = pattern.search(path)
        self.traffic.statuses[response.status_code if response is not None else None] += 1
        if found is None:
            self.traffic.calls["meta"] += 1
            return
        analyse(self.traffic, request, response, found.group(1) or "/")

    def _after(self, request: httpx.Request, response: httpx.Response | None) -> None:
        if self.analyse:
            self._classify(request, response)

    # ---- transport

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Serve through the sandbox; the time inside is not msplink's."""
        started = time.thread_time_ns()
        self._enter()
        response: httpx.Response | None = None
        try:
            response = self.inner.handle_request(request)
            response.read()
            return response
        finally:
            self._leave()
            self._after(request, response)
            self.outside_ns += time.thread_time_ns() - started

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """The async twin (CPU is not split here: async runs are timed, not profiled)."""
        self._enter()
        response: httpx.Response | None = None
        try:
            response = await self.inner.handle_async_request(request)
            await response.aread()
            return response
        finally:
            self._leave()
            self._after(request, response)


def merge(meters: Iterable[Meter]) -> dict[str, Traffic]:
    """The traffic of each system."""
    return {m.system: m.traffic for m in meters}
