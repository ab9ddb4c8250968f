"""``ConnectWiseSandbox``: an in-memory ConnectWise Manage REST API 3.0.

Independent of the client package: it only uses the stdlib, attrs/httpx and the sandbox framework.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any
from urllib.parse import quote, urlencode

import attrs

from msplink.sandbox._framework import (
    Abort,
    Sandbox,
    SandboxRateLimit,
    SandboxRequest,
    SandboxResponse,
    json_dumps,
)
from msplink.sandbox.connectwise import _conditions as cond
from msplink.sandbox.connectwise._collections import COLLECTIONS, Collection
from msplink.sandbox.connectwise._fields import ENTITY_FIELDS
from msplink.sandbox.connectwise._seed import generate
from msplink.sandbox.connectwise._store import Store

__all__ = ["ApiMember", "CallbackDeliveryRecord", "ConnectWiseSandbox"]

API_ROOT = "/{codebase}/apis/3.0"
INFO_ALIASES = {
    "lastupdated": "lastUpdated",
    "updatedby": "updatedBy",
    "dateentered": "dateEntered",
    "enteredby": "enteredBy",
}
CALLBACK_LEVELS = {
    "owner",
    "status",
    "type",
    "company",
    "territory",
    "integratortag",
    "board",
    "activity",
    "agreement",
}
Receiver = Callable[[bytes, Mapping[str, str]], int]


@attrs.frozen(kw_only=True)
class ApiMember:
    """An API member's keys (what ``Authorization: Basic company+public:private`` must carry)."""

    identifier: str
    member_id: int
    public_key: str
    private_key: str = attrs.field(repr=False)


@attrs.frozen(kw_only=True)
class CallbackDeliveryRecord:
    """One callback POST the sandbox made (to an in-process receiver)."""

    url: str
    body: bytes
    headers: Mapping[str, str]
    status: int | None


def _error(status: int, code: str, message: str, errors: list[dict[str, Any]] | None = None) -> Abort:
    return Abort(SandboxResponse.json(status, {"code": code, "message": message, "errors": errors}))


def _invalid(label: str, errors: list[dict[str, Any]]) -> Abort:
    return _error(400, "InvalidObject", f"{label} object is invalid", errors)


def _lookup(record: Mapping[str, Any], key: str) -> tuple[bool, Any]:
    if key in record:
        return True, record[key]
    lowered = key.lower()
    for name, value in record.items():
        if name.lower() == lowered:
            return True, value
    return False, None


def _resolve(record: Mapping[str, Any], path: Sequence[str]) -> list[Any]:
    current: list[Any] = [record]
    for index, segment in enumerate(path):
        nxt: list[Any] = []
        for item in current:
            items = item if isinstance(item, list) else [item]
            for element in items:
                if not isinstance(element, Mapping):
                    nxt.append(None)
                    continue
                found, value = _lookup(element, segment)
                if not found and index == 0 and segment.lower() in INFO_ALIASES:
                    info = element.get("_info") or {}
                    found, value = _lookup(info, segment)
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
        found, value = _lookup(record, path[0])
        if not found:
            continue
        key = next((k for k in record if k.lower() == path[0].lower()), path[0])
        if len(path) == 1:
            out[key] = value
        elif isinstance(value, Mapping):
            sub = _project(value, [path[1:]])
            if sub:
                merged = out.setdefault(key, {})
                if isinstance(merged, dict):
                    merged.update(sub)
    return out


class ConnectWiseSandbox(Sandbox):
    """An in-process ConnectWise Manage: API-key auth, companyinfo, conditions, paging, writes, callbacks.

    Args:
        company_id: The tenant's company id (login company).
        codebase: The codebase ``/login/companyinfo`` announces (``v4_6_release`` also routes).
        site: The cloud API host announced as ``SiteUrl``.
        now: Wall clock for ``_info.lastUpdated`` (tests pass ``FakeClock.now``).
        **options: ``seed``, ``clock``, ``sleep``, ``async_sleep``, ``enforce_rate_limits``,
            ``raise_internal_errors`` (see :class:`~msplink.sandbox._framework.Sandbox`).
    """

    platform = "connectwise"

    def __init__(
        self,
        *,
        company_id: str = "msplink",
        codebase: str = "v2025_1",
        site: str = "api-na.myconnectwise.net",
        now: Callable[[], datetime] | None = None,
        **options: Any,
    ) -> None:
        self.company_id = company_id
        self.store = Store(
            now=now or (lambda: datetime.now(timezone.utc)), site=site, codebase=codebase.strip("/")
        )
        self.members_keys: dict[str, ApiMember] = {}
        self.client_ids: set[str] = {"11111111-2222-3333-4444-555555555555"}
        self.html_throttling = False
        self.data = self.store.data
        self.parents = self.store.parents
        self.receivers: dict[str, Receiver] = {}
        self.deliveries: list[CallbackDeliveryRecord] = []
        self.signing_keys: dict[str, str] = {}
        self._by_name = self.store.specs
        self._request_counter = 0
        super().__init__(**options)
        self.add_api_member(
            identifier="api_sync", public_key="SandboxPublicKey01", private_key="SandboxPrivateKey01"
        )

    # ------------------------------------------------------------------ setup helpers

    def add_api_member(self, *, identifier: str, public_key: str, private_key: str) -> ApiMember:
        """Add an API member whose keys authenticate (and a ``/system/members`` record for it)."""
        with self._lock:
            record = self.store.insert(
                "members", {"identifier": identifier, "firstName": identifier, "licenseClass": "A"}
            )
            member = ApiMember(
                identifier=identifier, member_id=record["id"], public_key=public_key, private_key=private_key
            )
            self.members_keys[public_key] = member
            return member

    @property
    def site(self) -> str:
        """The cloud API host announced as ``SiteUrl`` (and named in reference links)."""
        return self.store.site

    @site.setter
    def site(self, value: str) -> None:
        self.store.site = value

    @property
    def codebase(self) -> str:
        """The codebase ``/login/companyinfo`` announces."""
        return self.store.codebase

    @codebase.setter
    def codebase(self, value: str) -> None:
        self.store.codebase = value.strip("/")

    def credentials(self) -> dict[str, Any]:
        """Keyword arguments for ``ConnectWiseClient(**sandbox.credentials(), transport=...)``."""
        member = next(iter(self.members_keys.values()))
        return {
            "site": self.site,
            "company_id": self.company_id,
            "public_key": member.public_key,
            "private_key": member.private_key,
            "client_id": next(iter(sorted(self.client_ids))),
        }

    def register_receiver(self, url_prefix: str, receiver: Receiver) -> None:
        """Route callback deliveries whose URL starts with ``url_prefix`` to ``receiver(body, headers)``."""
        self.receivers[url_prefix] = receiver

    def seed(self, *, size: int = 100, seed: int = 0) -> dict[str, int]:
        """Fill the sandbox with a deterministic MSP dataset of ``size`` companies (and related records).

        Returns:
            How many records each collection holds.
        """
        with self._lock:
            generate(self.store, size=size, seed=seed)
            return {name: len(records) for name, records in self.data.items()}

    def insert(
        self, collection: str, record: Mapping[str, Any], *, parent: int | None = None
    ) -> dict[str, Any]:
        """Store a record as-is (no validation), stamping ``id`` and ``_info``; returns the stored copy."""
        with self._lock:
            return copy.deepcopy(self.store.insert(collection, dict(record), parent=parent))

    def record(self, collection: str, record_id: int) -> dict[str, Any] | None:
        """A copy of a stored record."""
        found = self.data[collection].get(record_id)
        return copy.deepcopy(found) if found is not None else None

    # ------------------------------------------------------------------ framework hooks

    def default_rate_limits(self) -> Sequence[SandboxRateLimit]:
        """About 1000 requests per minute per API key (CW throttles "over 1,000 requests per minute")."""

        def key(request: SandboxRequest) -> str | None:
            if request.path.lower().startswith("/login/"):
                return None
            return request.header("authorization") or "anonymous"

        return (SandboxRateLimit(name="api", requests=1000, window=60.0, key=key),)

    def rate_limited_response(
        self, request: SandboxRequest, retry_after: float, limit: str
    ) -> SandboxResponse:
        """CW's 429: ``{"error": "ConnectWiseAPI", "message": ...}`` (or Cloudflare HTML) + Retry-After."""
        seconds = max(1, round(retry_after))
        headers = {"Retry-After": str(seconds)}
        if self.html_throttling:
            html = "<html><head><title>429 Too Many Requests</title></head><body>Rate limited</body></html>"
            return SandboxResponse.text(429, html, "text/html", headers)
        message = f"Too many requests. Please try again in {seconds} seconds."
        return SandboxResponse.json(429, {"error": "ConnectWiseAPI", "message": message}, headers)

    def server_error_response(self, request: SandboxRequest, status: int) -> SandboxResponse:
        """CW's 5xx body."""
        return SandboxResponse.json(
            status,
            {"code": "ConnectWiseApi", "message": "An error occurred, please try again.", "errors": None},
        )

    def not_found_response(self, request: SandboxRequest) -> SandboxResponse:
        """CW's answer for an unknown path."""
        return SandboxResponse.json(
            404, {"code": "ConnectWiseApi", "message": "The endpoint does not exist.", "errors": None}
        )

    def method_not_allowed_response(self, request: SandboxRequest) -> SandboxResponse:
        """CW's answer for a known path with the wrong method."""
        message = f"The requested resource does not support http method '{request.method}'."
        return SandboxResponse.json(405, {"code": "ConnectWiseApi", "message": message, "errors": None})

    def invalid_body_response(self, request: SandboxRequest, message: str) -> SandboxResponse:
        """CW's answer for an unreadable body."""
        return SandboxResponse.json(400, {"code": "InvalidObject", "message": message, "errors": None})

    # ------------------------------------------------------------------ routes

    def _register_routes(self) -> None:
        add = self.router.add
        add("GET", "/login/companyinfo/{company}", self._company_info)
        add("GET", "/{codebase}/system/callbackkey/index.rails", self._callback_key)
        add("GET", "/{codebase}//system/callbackkey/index.rails", self._callback_key)
        add("GET", API_ROOT + "/system/info", self._system_info)
        for spec in COLLECTIONS:
            base = API_ROOT + spec.path
            add("GET", base + "/count", self._bind(self._count, spec))
            add("GET", base, self._bind(self._list, spec))
            add("POST", base, self._bind(self._create, spec))
            add("GET", base + "/{id}", self._bind(self._get, spec))
            add("PUT", base + "/{id}", self._bind(self._put, spec))
            add("PATCH", base + "/{id}", self._bind(self._patch, spec))
            add("DELETE", base + "/{id}", self._bind(self._delete, spec))

    def _bind(
        self, handler: Callable[[SandboxRequest, Collection], SandboxResponse], spec: Collection
    ) -> Callable[[SandboxRequest], SandboxResponse]:
        def serve(request: SandboxRequest) -> SandboxResponse:
            try:
                response = handler(request, spec)
            except Abort as abort:
                response = abort.response
            self._request_counter += 1
            return response.with_headers({"x-cw-request-id": f"{self._request_counter:032x}"})

        return serve

    def _company_info(self, request: SandboxRequest) -> SandboxResponse:
        if request.path_params["company"].lower() != self.company_id.lower():
            return SandboxResponse.json(
                404, {"code": "NotFound", "message": "Company not found.", "errors": None}
            )
        return SandboxResponse.json(
            200,
            {
                "CompanyName": self.company_id,
                "Codebase": self.codebase + "/",
                "VersionCode": "v2025.1",
                "VersionNumber": "v4.6.2025.1",
                "CompanyID": self.company_id,
                "IsCloud": True,
                "SiteUrl": self.site,
                "AllowedOrigins": ["*.connectwisedev.com", "*.myconnectwise.net", "*.connectwise.net"],
            },
        )

    def _callback_key(self, request: SandboxRequest) -> SandboxResponse:
        key = self.signing_keys.get(request.param("id") or "")
        if key is None:
            return SandboxResponse.json(
                404, {"code": "NotFound", "message": "Key not found.", "errors": None}
            )
        return SandboxResponse.json(200, {"signing_key": key})

    def _system_info(self, request: SandboxRequest) -> SandboxResponse:
        self._auth(request)
        return SandboxResponse.json(
            200, {"version": "v2025.1.10333", "isCloud": True, "serverTimeZone": "UTC", "cloudRegion": "NA"}
        )

    # ------------------------------------------------------------------ auth

    def _auth(self, request: SandboxRequest) -> ApiMember:
        codebase = request.path_params.get("codebase", "")
        routed = codebase.lower() == "v4_6_release"
        if not routed and codebase.lower() != self.codebase.lower():
            raise Abort(self.not_found_response(request))
        member = self._member(request)
        if member is None:
            if routed:
                # Cloud answers bad credentials behind the v4_6_release router with a bare 404.
                html = "<html><head><title>404 - Not Found</title></head><body></body></html>"
                raise Abort(SandboxResponse.text(404, html, "text/html"))
            raise _error(401, "Unauthorized", "Authentication failed.")
        if (request.header("clientid") or "") not in self.client_ids:
            raise _error(401, "Unauthorized", "A valid clientId header is required.")
        return member

    def _member(self, request: SandboxRequest) -> ApiMember | None:
        header = request.header("authorization") or ""
        if not header.lower().startswith("basic "):
            return None
        try:
            decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            return None
        user, _, private = decoded.partition(":")
        company, _, public = user.partition("+")
        member = self.members_keys.get(public)
        if member is None or company.lower() != self.company_id.lower():
            return None
        if not hmac.compare_digest(member.private_key.encode(), private.encode()):
            return None
        return member

    # ------------------------------------------------------------------ reading

    def _parent_id(self, request: SandboxRequest, spec: Collection) -> int | None:
        if spec.parent is None:
            return None
        raw = request.path_params.get("parent", "")
        parent_spec = self._by_name[spec.parent]
        if not raw.isdigit() or int(raw) not in self.data[spec.parent]:
            raise _error(
                404, "NotFound", f"{parent_spec.label[:1].upper()}{parent_spec.label[1:]} {raw} not found"
            )
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
            raise _error(400, "ApiFindCondition", str(exc)) from None
        for path in cond.paths(node):
            head = path[0]
            if kind == "conditions" and not self._known(spec, head):
                raise _error(400, "ApiFindCondition", f"{head} is not a recognized name.")
            if kind == "child" and not (head.lower() in {a.lower() for a in spec.arrays} and len(path) > 1):
                raise _error(
                    400, "ApiFindCondition", f"{'/'.join(path)} is not a recognized child condition."
                )
            if kind == "custom" and head.lower() not in {"caption", "value", "id", "type", "entrymethod"}:
                raise _error(400, "ApiFindCondition", f"{head} is not a recognized name.")
        return node

    def _filter(
        self, request: SandboxRequest, spec: Collection, records: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        where = self._condition(spec, request.param("conditions"), "conditions")
        child = self._condition(spec, request.param("childConditions"), "child")
        custom = self._condition(spec, request.param("customFieldConditions"), "custom")
        out = []
        for record in records:
            if where is not None and not cond.evaluate(where, record, _resolve):
                continue
            if child is not None and not cond.evaluate(child, record, _resolve):
                continue
            if custom is not None and not any(
                isinstance(cf, Mapping) and cond.evaluate(custom, cf, _resolve)
                for cf in record.get("customFields") or []
            ):
                continue
            out.append(record)
        return out

    def _fields(self, request: SandboxRequest) -> list[list[str]] | None:
        text = request.param("fields")
        if not text:
            return None
        paths = [part.strip().split("/") for part in text.split(",") if part.strip()]
        if not paths or any(not segment for path in paths for segment in path):
            raise _error(400, "InvalidObject", "fields is malformed")
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
            raise _error(400, "InvalidObject", f"{name} must be an integer") from None

    def _link(self, request: SandboxRequest, **changes: int) -> str:
        query = [(k, v) for k, v in request.query if k.lower() not in {k2.lower() for k2 in changes}]
        query.extend((k, str(v)) for k, v in changes.items())
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
                raise _error(400, "InvalidObject", f"orderBy term {term} is invalid")
            path = parts[0].split("/")
            if not self._known(spec, path[0]):
                raise _error(400, "ApiFindCondition", f"{path[0]} is not a recognized name.")
            descending = len(parts) == 2 and parts[1].lower() == "desc"

            def key(record: dict[str, Any], path: list[str] = path) -> tuple[int, Any]:
                value = _resolve(record, path)[0]
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
        records = self._filter(request, spec, self.store.scope(spec.name, self._parent_id(request, spec)))
        fields = self._fields(request)
        page_size = min(max(self._int_param(request, "pageSize", 25), 1), 1000)
        headers: dict[str, str] = {}
        if (request.header("pagination-type") or "").lower() == "forward-only":
            if request.param("orderBy"):
                raise _error(400, "InvalidObject", "orderBy is not supported with forward-only pagination")
            page_id = self._int_param(request, "pageId", 0)
            remaining = sorted((r for r in records if r["id"] > page_id), key=lambda r: r["id"])
            chunk = remaining[:page_size]
            if len(remaining) > page_size:
                headers["Link"] = f'<{self._link(request, pageId=chunk[-1]["id"])}>; rel="next"'
        else:
            page = max(self._int_param(request, "page", 1), 1)
            ordered = self._sort(request, spec, records)
            last = max(1, -(-len(ordered) // page_size))
            chunk = ordered[(page - 1) * page_size : page * page_size]
            links = [f'<{self._link(request, page=1, pageSize=page_size)}>; rel="first"']
            if page > 1:
                links.append(f'<{self._link(request, page=page - 1, pageSize=page_size)}>; rel="prev"')
            if page < last:
                links.append(f'<{self._link(request, page=page + 1, pageSize=page_size)}>; rel="next"')
            links.append(f'<{self._link(request, page=last, pageSize=page_size)}>; rel="last"')
            headers["Link"] = ", ".join(links)
        body = [self._render(r, fields) for r in chunk]
        return SandboxResponse.json(200, body, headers)

    def _count(self, request: SandboxRequest, spec: Collection) -> SandboxResponse:
        self._auth(request)
        records = self._filter(request, spec, self.store.scope(spec.name, self._parent_id(request, spec)))
        return SandboxResponse.json(200, {"count": len(records)})

    def _find(self, request: SandboxRequest, spec: Collection) -> dict[str, Any]:
        parent = self._parent_id(request, spec)
        raw = request.path_params.get("id", "")
        record = self.data[spec.name].get(int(raw)) if raw.isdigit() else None
        if record is None or (parent is not None and self.parents[spec.name].get(record["id"]) != parent):
            label = spec.label[:1].upper() + spec.label[1:]
            raise _error(404, "NotFound", f"{label} {raw} not found")
        return record

    def _get(self, request: SandboxRequest, spec: Collection) -> SandboxResponse:
        self._auth(request)
        return SandboxResponse.json(200, self._render(self._find(request, spec), self._fields(request)))

    # ------------------------------------------------------------------ writing

    def _body_object(self, request: SandboxRequest, spec: Collection) -> dict[str, Any]:
        body = request.json()
        if not isinstance(body, dict):
            raise _invalid(spec.label, [])
        return body

    def _validate(
        self, spec: Collection, record: dict[str, Any], *, record_id: int | None, check_required: bool
    ) -> None:
        errors: list[dict[str, Any]] = []
        if check_required:
            for name in spec.required:
                value = record.get(name)
                if value is None or value == "" or value == {}:
                    errors.append(
                        {
                            "code": "MissingRequiredField",
                            "message": f"The {name} field is required.",
                            "resource": spec.label,
                            "field": name,
                        }
                    )
        for name, target in spec.refs.items():
            value = record.get(name)
            if value is None:
                continue
            found = self.store.resolve_ref(target, value)
            if found is None:
                shown = (
                    value.get("id", value.get("identifier", value.get("name")))
                    if isinstance(value, Mapping)
                    else value
                )
                errors.append(
                    {
                        "code": "NotFound",
                        "message": f"{self._by_name[target].label} {shown} not found",
                        "resource": spec.label,
                        "field": f"{name}/id",
                    }
                )
            else:
                record[name] = self.store.ref_of(target, found)
        if spec.unique and isinstance(record.get(spec.unique), str):
            wanted = record[spec.unique].lower()
            for other in self.data[spec.name].values():
                if other["id"] != record_id and str(other.get(spec.unique, "")).lower() == wanted:
                    errors.append(
                        {
                            "code": "ObjectExists",
                            "message": f"The {spec.unique} '{record[spec.unique]}' already exists.",
                            "resource": spec.label,
                            "field": spec.unique,
                        }
                    )
        if spec.name == "callbacks":
            self._validate_callback(record, record_id, errors)
        if spec.name == "tickets":
            self._ticket_defaults(record, errors)
        if errors:
            raise _invalid(spec.label, errors)

    def _validate_callback(
        self, record: dict[str, Any], record_id: int | None, errors: list[dict[str, Any]]
    ) -> None:
        url = record.get("url")
        if isinstance(url, str) and not url.lower().startswith(("https://", "http://")):
            errors.append(
                {"code": "InvalidField", "message": "Invalid URL", "resource": "callback", "field": "url"}
            )
        level = record.get("level")
        if isinstance(level, str) and level.lower() not in CALLBACK_LEVELS:
            errors.append(
                {
                    "code": "InvalidObject",
                    "message": "Unrecognized level for type, see documentation for supported levels for each type",
                    "resource": "callback",
                    "field": "level",
                }
            )
        for other in self.data["callbacks"].values():
            same = all(
                str(other.get(k, "")).lower() == str(record.get(k, "")).lower()
                for k in ("url", "type", "level", "objectId")
            )
            if same and other["id"] != record_id:
                errors.append(
                    {
                        "code": "ObjectExists",
                        "message": "A matching callback entry already exists",
                        "resource": "callback",
                        "field": "objectId",
                    }
                )

    def _ticket_defaults(self, record: dict[str, Any], errors: list[dict[str, Any]]) -> None:
        board = record.get("board")
        if board is None and self.data["boards"]:
            board = self.store.ref_of("boards", next(iter(self.data["boards"].values())))
            record["board"] = board
        if not isinstance(board, Mapping) or "id" not in board:
            return
        statuses = self.store.statuses(board["id"])
        status = record.get("status")
        if status is None:
            if statuses:
                record["status"] = {"id": statuses[0]["id"], "name": statuses[0].get("name")}
            return
        found = next(
            (
                s
                for s in statuses
                if (
                    isinstance(status, Mapping)
                    and (
                        s["id"] == status.get("id")
                        or str(s.get("name", "")).lower() == str(status.get("name", "")).lower()
                    )
                )
            ),
            None,
        )
        if found is None:
            shown = status.get("id", status.get("name")) if isinstance(status, Mapping) else status
            errors.append(
                {
                    "code": "NotFound",
                    "message": f"status {shown} not found",
                    "resource": "ticket",
                    "field": "status/id",
                }
            )
        else:
            record["status"] = {"id": found["id"], "name": found.get("name")}

    def _clean(self, spec: Collection, body: Mapping[str, Any]) -> dict[str, Any]:
        """The writable fields of a body (unknown and read-only keys dropped, nulls omitted).

        Newlines are stored as spaces: ConnectWise does not keep ``\\n`` in JSON strings.
        """
        known = ENTITY_FIELDS[spec.entity]
        record = {
            k: copy.deepcopy(v)
            for k, v in body.items()
            if k in known and k not in {"id", "_info"} and v is not None
        }
        for key, value in list(record.items()):
            if isinstance(value, str) and spec.name != "callbacks":
                record[key] = value.replace("\r", " ").replace("\n", " ")
        return record

    def _derive(self, spec: Collection, record: dict[str, Any]) -> None:
        if spec.name in {"additions"}:
            quantity = Decimal(str(record.get("quantity", 0) or 0))
            price = Decimal(str(record.get("unitPrice", 0) or 0))
            cost = Decimal(str(record.get("unitCost", 0) or 0))
            record["extPrice"] = quantity * price
            record["extCost"] = quantity * cost
        if spec.name == "communications" and "communicationType" not in record:
            record["communicationType"] = "Email" if "@" in str(record.get("value", "")) else "Phone"

    def _touch(self, record: dict[str, Any], member: ApiMember) -> None:
        info = record.setdefault("_info", {})
        info["lastUpdated"] = self.store.stamp()
        info["updatedBy"] = member.identifier

    def _after_write(
        self,
        spec: Collection,
        record: dict[str, Any],
        member: ApiMember,
        action: str,
        request: SandboxRequest,
    ) -> None:
        parent_id = self.parents[spec.name].get(record["id"])
        if spec.name == "communications" and parent_id is not None and parent_id in self.data["contacts"]:
            self.store.refresh_contact_items(parent_id)
        if spec.name == "payments" and parent_id is not None:
            invoice = self.data["invoices"].get(parent_id)
            if invoice is not None:
                paid = sum(
                    (Decimal(str(p.get("amount", 0))) for p in self.store.scope(spec.name, parent_id)),
                    Decimal(0),
                )
                total = Decimal(str(invoice.get("total", 0) or 0))
                invoice["payments"] = paid
                invoice["balance"] = total - paid - Decimal(str(invoice.get("credits", 0) or 0))
                self._touch(invoice, member)
        if spec.callback_type:
            self._deliver(spec, record, member, action, request)

    def _create(self, request: SandboxRequest, spec: Collection) -> SandboxResponse:
        member = self._auth(request)
        parent = self._parent_id(request, spec)
        record = self._clean(spec, self._body_object(request, spec))
        if spec.parent is not None and spec.parent_field:
            record[spec.parent_field] = parent if spec.parent_as_id else {"id": parent}
        self._validate(spec, record, record_id=None, check_required=True)
        if spec.name == "callbacks":
            record.setdefault("memberId", member.member_id)
            record.setdefault("payloadVersion", "3.0.0")
            record.setdefault("inactiveFlag", False)
            record.setdefault("isSoapCallbackFlag", False)
            record.setdefault("isSelfSuppressedFlag", False)
            record["connectWiseID"] = str(uuid.UUID(int=self.faults.getrandbits(128)))
        items = record.pop("communicationItems", None) if spec.name == "contacts" else None
        self._derive(spec, record)
        stored = self.store.insert(spec.name, record, parent=parent, by=member.identifier)
        if spec.name == "contacts":
            stored["communicationItems"] = []
            for item in items or []:
                if isinstance(item, Mapping):
                    child = self._clean(self._by_name["communications"], item)
                    self._derive(self._by_name["communications"], child)
                    self.store.insert("communications", child, parent=stored["id"], by=member.identifier)
            self.store.refresh_contact_items(stored["id"])
        self._after_write(spec, stored, member, "added", request)
        return SandboxResponse.json(201, stored)

    def _put(self, request: SandboxRequest, spec: Collection) -> SandboxResponse:
        member = self._auth(request)
        current = self._find(request, spec)
        record = self._clean(spec, self._body_object(request, spec))
        parent = self.parents[spec.name].get(current["id"])
        if spec.parent_field and parent is not None:
            record[spec.parent_field] = parent if spec.parent_as_id else {"id": parent}
        self._validate(spec, record, record_id=current["id"], check_required=True)
        self._derive(spec, record)
        record["id"] = current["id"]
        record["_info"] = dict(current.get("_info") or {})
        self._touch(record, member)
        self.data[spec.name][current["id"]] = record
        self._after_write(spec, record, member, "updated", request)
        return SandboxResponse.json(200, record)

    def _patch(self, request: SandboxRequest, spec: Collection) -> SandboxResponse:
        member = self._auth(request)
        current = self._find(request, spec)
        ops = request.json()
        if not isinstance(ops, list) or not ops:
            raise _invalid(
                spec.label,
                [
                    {
                        "code": "InvalidObject",
                        "message": "A JSON Patch array is required.",
                        "resource": spec.label,
                    }
                ],
            )
        record = copy.deepcopy(current)
        known = ENTITY_FIELDS[spec.entity]
        for op in ops:
            if (
                not isinstance(op, Mapping)
                or not isinstance(op.get("path"), str)
                or not isinstance(op.get("op"), str)
            ):
                raise _invalid(
                    spec.label,
                    [
                        {
                            "code": "InvalidObject",
                            "message": "Invalid patch operation.",
                            "resource": spec.label,
                        }
                    ],
                )
            kind = op["op"].lower()
            parts = [p for p in op["path"].strip("/").split("/") if p != ""]
            if kind not in {"add", "replace", "remove"} or not parts:
                raise _invalid(
                    spec.label,
                    [{"code": "InvalidField", "message": f"Invalid op {op['op']}.", "resource": spec.label}],
                )
            if parts[0] not in known or parts[0] in {"id", "_info"}:
                raise _invalid(
                    spec.label,
                    [
                        {
                            "code": "InvalidField",
                            "message": f"{parts[0]} is not a valid field.",
                            "resource": spec.label,
                            "field": parts[0],
                        }
                    ],
                )
            value = copy.deepcopy(op.get("value"))
            if len(parts) == 1:
                if kind == "remove" or value is None:
                    record.pop(parts[0], None)
                else:
                    record[parts[0]] = value
                continue
            container = record.get(parts[0])
            if isinstance(container, dict):
                # CW answers 200 without applying a patch into a reference (company/identifier).
                continue
            if isinstance(container, list) and parts[1].isdigit():
                index = int(parts[1])
                if len(parts) == 2:
                    if kind == "add":
                        container.insert(min(index, len(container)), value)
                    elif index < len(container):
                        if kind == "remove":
                            container.pop(index)
                        else:
                            container[index] = value
                elif index < len(container) and isinstance(container[index], dict):
                    container[index][parts[2]] = value
        self._validate(spec, record, record_id=current["id"], check_required=True)
        self._derive(spec, record)
        if record != current:
            self._touch(record, member)
        self.data[spec.name][current["id"]] = record
        self._after_write(spec, record, member, "updated", request)
        return SandboxResponse.json(200, record)

    def _delete(self, request: SandboxRequest, spec: Collection) -> SandboxResponse:
        member = self._auth(request)
        record = self._find(request, spec)
        for other in COLLECTIONS:
            for field, target in other.refs.items():
                if target != spec.name or other.name == spec.name:
                    continue
                if any(
                    isinstance(r.get(field), Mapping) and r[field].get("id") == record["id"]
                    for r in self.data[other.name].values()
                ):
                    raise _error(409, "ConnectWiseApi", f"This {spec.label} is in use and cannot be deleted.")
        del self.data[spec.name][record["id"]]
        parent = self.parents[spec.name].pop(record["id"], None)
        for child in COLLECTIONS:
            if child.parent == spec.name:
                for cid in [c for c, p in self.parents[child.name].items() if p == record["id"]]:
                    self.data[child.name].pop(cid, None)
                    self.parents[child.name].pop(cid, None)
        if spec.name == "communications" and parent is not None and parent in self.data["contacts"]:
            self.store.refresh_contact_items(parent)
        if spec.callback_type:
            self._deliver(spec, record, member, "deleted", request)
        return SandboxResponse.empty(204)

    # ------------------------------------------------------------------ callbacks

    def _deliver(
        self,
        spec: Collection,
        record: Mapping[str, Any],
        member: ApiMember,
        action: str,
        request: SandboxRequest,
    ) -> None:
        host = request.header("host") or self.site
        for callback in list(self.data["callbacks"].values()):
            if str(callback.get("type", "")).lower() != spec.callback_type or callback.get("inactiveFlag"):
                continue
            if callback.get("isSelfSuppressedFlag") and callback.get("memberId") == member.member_id:
                continue
            key_id = str(callback.get("connectWiseID") or callback["id"])
            signing_key = self.signing_keys.setdefault(
                key_id, hashlib.sha256(f"{key_id}:{self.company_id}".encode()).hexdigest()
            )
            payload = {
                "MessageId": str(uuid.UUID(int=self.faults.getrandbits(128))),
                "FromUrl": host,
                "CompanyId": self.company_id,
                "MemberId": member.identifier,
                "Action": action,
                "Type": spec.callback_type,
                "ID": record["id"],
                "ProductInstanceId": None,
                "PartnerId": None,
                "Entity": None if action == "deleted" else json_dumps(record).decode("utf-8"),
                "Metadata": {
                    "key_url": f"https://{host}/{self.codebase}//system/callbackkey/index.rails?companyName={self.company_id}&id={key_id}"
                },
                "CallbackObjectRecId": callback["id"],
            }
            body = json_dumps(payload)
            digest = hmac.new(hashlib.sha256(signing_key.encode()).digest(), body, hashlib.sha256).digest()
            headers = {
                "Content-Type": "application/json",
                "x-content-signature": base64.b64encode(digest).decode(),
            }
            url = str(callback.get("url", ""))
            target = url + str(record["id"]) if url.endswith("=") else url
            receiver = next((fn for prefix, fn in self.receivers.items() if target.startswith(prefix)), None)
            status: int | None = None
            if receiver is not None:
                status = receiver(body, headers)
            self.deliveries.append(
                CallbackDeliveryRecord(url=target, body=body, headers=headers, status=status)
            )

    def records(self, collection: str) -> list[dict[str, Any]]:
        """Copies of every stored record of a collection (for assertions)."""
        return [copy.deepcopy(r) for r in self.data[collection].values()]
