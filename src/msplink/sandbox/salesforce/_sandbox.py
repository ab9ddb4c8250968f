"""``SalesforceSandbox``: an in-memory Salesforce org speaking the real REST wire protocol.

Independent of the client package: OAuth token endpoint (JWT bearer with signature check, client
credentials, refresh token), expiring sessions (401 ``INVALID_SESSION_ID``), sObject CRUD with
describe-driven validation, SOQL query/queryAll with ``nextRecordsUrl`` cursors, upsert by external
id, sObject Collections, Composite, Bulk API 2.0 over CSV, getUpdated/getDeleted, ``/limits`` and
``Sforce-Limit-Info``, and injectable ``UNABLE_TO_LOCK_ROW`` / ``REQUEST_LIMIT_EXCEEDED`` errors.
"""

from __future__ import annotations

import base64
import copy
import csv
import io
import json
import random
import re
import secrets
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar
from urllib.parse import parse_qsl, unquote, urlsplit

import attrs

from msplink.sandbox._framework import (
    Abort,
    Sandbox,
    SandboxRateLimit,
    SandboxRequest,
    SandboxResponse,
)
from msplink.sandbox.salesforce._keys import KeyPair, generate_key_pair, verify_rs256
from msplink.sandbox.salesforce._schema import STAGES, FieldSpec, ObjectSpec, standard_objects
from msplink.sandbox.salesforce._soql import (
    ParsedQuery,
    SoqlError,
    evaluate,
    parse_soql,
    sort_rows,
    validate_where,
)

__all__ = ["SalesforceSandbox"]

V = "/services/data/v{version}"
INSTANCE_URL = "https://msplink-sandbox.my.salesforce.com"
ORG_ID = "00DSB0000000001"
_B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_SUFFIX = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"


def _id18(id15: str) -> str:
    suffix = ""
    for block in range(3):
        bits = 0
        for pos, ch in enumerate(id15[block * 5 : block * 5 + 5]):
            if "A" <= ch <= "Z":
                bits |= 1 << pos
        suffix += _SUFFIX[bits]
    return id15 + suffix


def _fmt_dt(value: datetime) -> str:
    utc = value.astimezone(timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}+0000"


def _wire(value: Any) -> Any:
    if isinstance(value, datetime):
        return _fmt_dt(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


class _RecordFailure(Exception):
    def __init__(self, code: str, message: str, fields: Sequence[str] = (), status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.fields = list(fields)
        self.status = status

    def body(self, key: str = "errorCode") -> dict[str, Any]:
        return {key: self.code, "message": self.message, "fields": self.fields}


def _error(status: int, code: str, message: str, fields: Sequence[str] | None = None) -> SandboxResponse:
    item: dict[str, Any] = {"message": message, "errorCode": code}
    if fields is not None:
        item["fields"] = list(fields)
    return SandboxResponse.json(status, [item])


def _abort(status: int, code: str, message: str, fields: Sequence[str] | None = None) -> Abort:
    return Abort(_error(status, code, message, fields))


@attrs.define
class _App:
    client_id: str
    client_secret: str
    public_key_pem: bytes | None = None


@attrs.define
class _Injection:
    code: str
    remaining: int
    per_record: bool
    method: str | None
    path: str | None
    message: str | None


@attrs.define
class _Job:
    info: dict[str, Any]
    data: list[bytes] = attrs.field(factory=list)
    polls: int = 0
    successful: list[dict[str, str]] = attrs.field(factory=list)
    failed: list[dict[str, str]] = attrs.field(factory=list)
    unprocessed: list[dict[str, str]] = attrs.field(factory=list)
    columns: list[str] = attrs.field(factory=list)
    rows: list[dict[str, str]] = attrs.field(factory=list)


class SalesforceSandbox(Sandbox):
    """An in-memory Salesforce org.

    Args:
        seed: Seed of fault injection and generated data.
        clock: Monotonic clock (session expiry, rate windows); share a ``FakeClock`` with the client.
        wall_clock: Aware "now" for record timestamps, date literals and replication windows
            (``FakeClock.now``).
        session_ttl: Seconds a session lives (Salesforce's default is 2 hours).
        daily_api_limit: The rolling 24-hour API allocation (Developer Edition: 15,000).
        rotate_refresh_tokens: Issue a new refresh token on every refresh (and invalidate the old one).
        instance_url: The ``instance_url`` tokens name. By default a fake My Domain host, except when a
            client reached the token endpoint through a non-Salesforce host (the sandbox served over a
            socket): then that host, so the client keeps talking to the sandbox.
        **options: Passed to :class:`msplink.sandbox.Sandbox` (``sleep``, ``enforce_rate_limits`` ...).
    """

    platform: ClassVar[str] = "salesforce"

    def __init__(
        self,
        *,
        seed: int = 0,
        clock: Callable[[], float] | None = None,
        wall_clock: Callable[[], datetime] | None = None,
        session_ttl: float = 7200.0,
        daily_api_limit: int = 15000,
        rotate_refresh_tokens: bool = False,
        instance_url: str | None = None,
        **options: Any,
    ) -> None:
        self._objects: dict[str, ObjectSpec] = standard_objects()
        self._data: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in self._objects}
        self._index: dict[tuple[str, str], dict[str, set[str]]] = {}
        self._deleted_log: list[tuple[str, str, datetime]] = []
        self._counter = 0
        self._autonumbers: dict[str, int] = {}
        self._sessions: dict[str, tuple[float, str]] = {}
        self._refresh_tokens: dict[str, str] = {}
        self._apps: dict[str, _App] = {}
        self._usernames: dict[str, str] = {}
        self._cursors: dict[str, tuple[list[dict[str, Any]], int]] = {}
        self._jobs: dict[str, _Job] = {}
        self._injections: list[_Injection] = []
        self._usage: deque[float] = deque()
        self._nested = False
        self._wall = wall_clock or (lambda: datetime.now(timezone.utc))
        self.session_ttl = session_ttl
        self.daily_api_limit = daily_api_limit
        self.rotate_refresh_tokens = rotate_refresh_tokens
        self.instance_url = instance_url or INSTANCE_URL
        self._fixed_instance = instance_url is not None
        self._token_host: str | None = None
        self._token_scheme = "http"
        if clock is not None:
            options["clock"] = clock
        super().__init__(seed=seed, **options)
        self._random = random.Random(seed)
        self._keys: KeyPair | None = None
        self._setup_org()

    # ------------------------------------------------------------------------------ org setup

    def _setup_org(self) -> None:
        self.integration_user_id = self._insert_raw(
            "User",
            {
                "Username": "integration@msplink-sandbox.example",
                "FirstName": "Integration",
                "LastName": "User",
                "Email": "integration@msplink-sandbox.example",
                "Alias": "integ",
                "IsActive": True,
            },
        )
        self._usernames["integration@msplink-sandbox.example"] = self.integration_user_id
        self.client_id = "3MVG9SANDBOX" + secrets.token_hex(8)
        self._apps[self.client_id] = _App(self.client_id, secrets.token_hex(16))
        self.refresh_token = "5Aep" + secrets.token_hex(20)
        self._refresh_tokens[self.refresh_token] = self.integration_user_id

    def _key_pair(self) -> KeyPair:
        if self._keys is None:
            self._keys = generate_key_pair()
            self._apps[self.client_id].public_key_pem = self._keys.public_pem
        return self._keys

    def register_public_key(self, client_id: str, public_key_pem: bytes) -> None:
        """Register a connected app's certificate public key for the JWT bearer flow."""
        app = self._apps.setdefault(client_id, _App(client_id, secrets.token_hex(16)))
        app.public_key_pem = public_key_pem

    def credentials(self) -> dict[str, Any]:
        """Working credentials: client id/secret, JWT user and private key, refresh token, a live session."""
        creds: dict[str, Any] = {
            "login_url": "https://login.salesforce.com",
            "instance_url": self.instance_url,
            "client_id": self.client_id,
            "client_secret": self._apps[self.client_id].client_secret,
            "username": "integration@msplink-sandbox.example",
            "refresh_token": self.refresh_token,
            "access_token": self._new_session(self.integration_user_id),
        }
        try:
            creds["private_key"] = self._key_pair().private_pem.decode("ascii")
        except ImportError:
            creds["private_key"] = None
        return creds

    def add_field(self, sobject: str, name: str, *, type: str = "string", **options: Any) -> None:
        """Add a custom field (``picklist=``, ``restricted=``, ``external_id=``, ``unique=``, ``required=``)."""
        if "picklist" in options:
            options["picklist"] = tuple(options["picklist"])
        if type == "picklist" and "picklist" not in options:
            options["picklist"] = ()
        self._spec(sobject).add(FieldSpec(name=name, type=type, custom=name.endswith("__c"), **options))
        self._rebuild_index()

    def add_object(self, name: str, *, key_prefix: str = "a00", fields: Iterable[FieldSpec] = ()) -> None:
        """Add a custom object (``Project__c``) with system fields, ``Name`` and the given fields."""
        spec = ObjectSpec(name=name, key_prefix=key_prefix, custom=True)
        base = standard_objects()["account"]
        for f in base.fields.values():
            if f.name in {
                "Id",
                "IsDeleted",
                "CreatedDate",
                "CreatedById",
                "LastModifiedDate",
                "LastModifiedById",
                "SystemModstamp",
                "OwnerId",
            }:
                spec.add(f)
        spec.add(FieldSpec(name="Name", length=80))
        for f in fields:
            spec.add(f)
        self._objects[name.lower()] = spec
        self._data[name.lower()] = {}

    def expire_sessions(self) -> None:
        """End every session: the next API call gets 401 ``INVALID_SESSION_ID``."""
        with self._lock:
            self._sessions.clear()

    def expire_credentials(self, request: SandboxRequest) -> None:
        """End the session the request carries (``TOKEN_EXPIRY`` faults)."""
        token = self._bearer(request)
        if token:
            self._sessions.pop(token, None)

    def inject_error(
        self,
        code: str,
        *,
        times: int = 1,
        per_record: bool = False,
        method: str | None = None,
        path: str | None = None,
        message: str | None = None,
    ) -> None:
        """Make the next ``times`` matching requests (or record writes, ``per_record=True``) fail.

        ``UNABLE_TO_LOCK_ROW`` answers 400 (or fails the record inside collections / Bulk);
        ``REQUEST_LIMIT_EXCEEDED`` answers 403 "ConcurrentPerOrgLongTxn Limit exceeded." unless
        ``message`` says otherwise ("TotalRequests Limit exceeded.").
        """
        self._injections.append(_Injection(code, times, per_record, method, path, message))

    def records(self, sobject: str, *, include_deleted: bool = False) -> list[dict[str, Any]]:
        """A copy of the stored records of an object (for assertions)."""
        rows = self._data[self._spec(sobject).name.lower()].values()
        return [dict(r) for r in rows if include_deleted or not r.get("IsDeleted")]

    @property
    def api_usage(self) -> int:
        """API requests counted in the rolling 24 hours."""
        self._trim_usage()
        return len(self._usage)

    # ------------------------------------------------------------------------------ framework hooks

    def default_rate_limits(self) -> Sequence[SandboxRateLimit]:
        """25 concurrent long requests per org (production/sandbox orgs)."""
        return (SandboxRateLimit(name="ConcurrentPerOrgLongTxn", max_concurrent=25),)

    def rate_limited_response(
        self, request: SandboxRequest, retry_after: float, limit: str
    ) -> SandboxResponse:
        """Salesforce refuses with 403 REQUEST_LIMIT_EXCEEDED (no 429, no Retry-After)."""
        return _error(403, "REQUEST_LIMIT_EXCEEDED", "ConcurrentPerOrgLongTxn Limit exceeded.")

    def server_error_response(self, request: SandboxRequest, status: int) -> SandboxResponse:
        """5xx in Salesforce's array shape."""
        code = "SERVER_UNAVAILABLE" if status == 503 else "UNKNOWN_EXCEPTION"
        return _error(status, code, "An unexpected error occurred. Please try again.")

    def not_found_response(self, request: SandboxRequest) -> SandboxResponse:
        """Unknown resource."""
        return _error(404, "NOT_FOUND", "The requested resource does not exist")

    def method_not_allowed_response(self, request: SandboxRequest) -> SandboxResponse:
        """Known resource, wrong method."""
        return _error(405, "METHOD_NOT_ALLOWED", f"HTTP Method '{request.method}' not allowed.")

    def invalid_body_response(self, request: SandboxRequest, message: str) -> SandboxResponse:
        """Unreadable JSON."""
        return _error(400, "JSON_PARSER_ERROR", message)

    # ------------------------------------------------------------------------------------ routes

    def _register_routes(self) -> None:
        add = self.router.add
        add("POST", "/services/oauth2/token", self._token)
        add("GET", "/services/data", self._versions)
        api = self._api
        add("POST", "/services/oauth2/revoke", self._revoke)
        add("GET", "/services/oauth2/userinfo", self._userinfo)
        add("GET", V, api(self._resources))
        add("GET", V + "/limits", api(self._limits))
        add("GET", V + "/query", api(lambda r: self._query(r, False)))
        add("GET", V + "/queryAll", api(lambda r: self._query(r, True)))
        add("GET", V + "/query/{locator}", api(self._query_more))
        add("GET", V + "/queryAll/{locator}", api(self._query_more))
        add("GET", V + "/sobjects", api(self._global_describe))
        add("GET", V + "/sobjects/{sobject}/describe", api(self._describe))
        add("GET", V + "/sobjects/{sobject}", api(self._basic_info))
        add("GET", V + "/sobjects/{sobject}/updated", api(self._updated))
        add("GET", V + "/sobjects/{sobject}/deleted", api(self._deleted))
        add("POST", V + "/sobjects/{sobject}", api(self._create))
        add("GET", V + "/sobjects/{sobject}/{id}", api(self._get))
        add("PATCH", V + "/sobjects/{sobject}/{id}", api(self._update))
        add("DELETE", V + "/sobjects/{sobject}/{id}", api(self._delete))
        add("GET", V + "/sobjects/{sobject}/{field}/{value:path}", api(self._get_by_ext))
        add("PATCH", V + "/sobjects/{sobject}/{field}/{value:path}", api(self._upsert))
        add("POST", V + "/composite/sobjects", api(self._coll_create))
        add("PATCH", V + "/composite/sobjects", api(self._coll_update))
        add("DELETE", V + "/composite/sobjects", api(self._coll_delete))
        add("GET", V + "/composite/sobjects/{sobject}", api(self._coll_retrieve))
        add("POST", V + "/composite/sobjects/{sobject}", api(self._coll_retrieve))
        add("PATCH", V + "/composite/sobjects/{sobject}/{field}", api(self._coll_upsert))
        add("POST", V + "/composite", api(self._composite))
        add("POST", V + "/jobs/ingest", api(self._ingest_create))
        add("GET", V + "/jobs/ingest/{job}", api(self._ingest_get))
        add("PATCH", V + "/jobs/ingest/{job}", api(self._ingest_state))
        add("DELETE", V + "/jobs/ingest/{job}", api(self._job_delete))
        add("PUT", V + "/jobs/ingest/{job}/batches", api(self._ingest_upload))
        add("GET", V + "/jobs/ingest/{job}/successfulResults", api(lambda r: self._ingest_results(r, "ok")))
        add("GET", V + "/jobs/ingest/{job}/failedResults", api(lambda r: self._ingest_results(r, "failed")))
        add("GET", V + "/jobs/ingest/{job}/unprocessedrecords", api(lambda r: self._ingest_results(r, "un")))
        add("POST", V + "/jobs/query", api(self._query_job_create))
        add("GET", V + "/jobs/query/{job}", api(self._query_job_get))
        add("GET", V + "/jobs/query/{job}/results", api(self._query_job_results))

    # -------------------------------------------------------------------------------- plumbing

    @staticmethod
    def _bearer(request: SandboxRequest) -> str | None:
        header = request.header("authorization") or ""
        if header.lower().startswith("bearer "):
            return header[7:].strip()
        return None

    def _new_session(self, user_id: str) -> str:
        token = f"{ORG_ID}!" + secrets.token_urlsafe(32)
        self._sessions[token] = (self._clock() + self.session_ttl, user_id)
        return token

    def _trim_usage(self) -> None:
        now = self._clock()
        while self._usage and self._usage[0] <= now - 86400:
            self._usage.popleft()

    def _limit_header(self) -> dict[str, str]:
        return {"Sforce-Limit-Info": f"api-usage={self.api_usage}/{self.daily_api_limit}"}

    def _api(
        self, handler: Callable[[SandboxRequest], SandboxResponse]
    ) -> Callable[[SandboxRequest], SandboxResponse]:
        def wrapped(request: SandboxRequest) -> SandboxResponse:
            if self._nested:
                return handler(request)
            token = self._bearer(request)
            session = self._sessions.get(token or "")
            if session is None or session[0] <= self._clock():
                if token:
                    self._sessions.pop(token, None)
                return _error(401, "INVALID_SESSION_ID", "Session expired or invalid")
            self._user = session[1]
            self._version = request.path_params.get("version", "62.0")
            self._trim_usage()
            if len(self._usage) >= self.daily_api_limit:
                return _error(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.").with_headers(
                    self._limit_header()
                )
            self._usage.append(self._clock())
            injected = self._take_injection(request, per_record=False)
            if injected is not None:
                if injected.code == "REQUEST_LIMIT_EXCEEDED":
                    response = _error(
                        403, injected.code, injected.message or "ConcurrentPerOrgLongTxn Limit exceeded."
                    )
                else:
                    response = _error(
                        400, injected.code, injected.message or _MESSAGES.get(injected.code, injected.code)
                    )
                return response.with_headers(self._limit_header())
            try:
                response = handler(request)
            except _RecordFailure as failure:
                response = SandboxResponse.json(failure.status, [failure.body()])
            except SoqlError as exc:
                response = _error(400, exc.code, exc.message)
            return response.with_headers(self._limit_header())

        return wrapped

    def _take_injection(self, request: SandboxRequest | None, *, per_record: bool) -> _Injection | None:
        for inj in self._injections:
            if inj.remaining <= 0 or inj.per_record != per_record:
                continue
            if request is not None:
                if inj.method and inj.method.upper() != request.method:
                    continue
                if inj.path and not re.search(inj.path, request.path):
                    continue
            inj.remaining -= 1
            return inj
        return None

    def _spec(self, sobject: str) -> ObjectSpec:
        spec = self._objects.get(sobject.lower())
        if spec is None:
            raise _abort(
                404,
                "NOT_FOUND",
                f"The requested resource does not exist: sObject type '{sobject}' is not supported.",
            )
        return spec

    def _table(self, sobject: str) -> dict[str, dict[str, Any]]:
        return self._data[self._spec(sobject).name.lower()]

    def _now(self) -> datetime:
        return self._wall().astimezone(timezone.utc).replace(microsecond=0)

    def _new_id(self, spec: ObjectSpec) -> str:
        self._counter += 1
        n, digits = self._counter, ""
        while n:
            n, r = divmod(n, 62)
            digits = _B62[r] + digits
        return _id18(spec.key_prefix + "SB" + digits.rjust(10, "0"))

    def _find(self, record_id: str) -> tuple[ObjectSpec, dict[str, Any]] | None:
        for name, table in self._data.items():
            row = table.get(record_id) or (table.get(_id18(record_id)) if len(record_id) == 15 else None)
            if row is not None:
                return self._objects[name], row
        return None

    def _url(self, spec: ObjectSpec, record_id: str) -> str:
        return f"/services/data/v{self._version}/sobjects/{spec.name}/{record_id}"

    def _render(
        self, spec: ObjectSpec, row: dict[str, Any], fields: Sequence[str] | None = None
    ) -> dict[str, Any]:
        out: dict[str, Any] = {"attributes": {"type": spec.name, "url": self._url(spec, row["Id"])}}
        names = fields if fields is not None else [f.name for f in spec.fields.values()]
        for name in names:
            if "." in name:
                self._render_path(spec, row, name, out)
            else:
                f = spec.field(name)
                if f is None:
                    raise _abort(400, "INVALID_FIELD", f"No such column '{name}' on entity '{spec.name}'.")
                out[f.name] = _wire(row.get(f.name))
        return out

    def _render_path(self, spec: ObjectSpec, row: dict[str, Any], path: str, out: dict[str, Any]) -> None:
        head, _, rest = path.partition(".")
        ref = spec.relationship(head)
        if ref is None:
            raise SoqlError("INVALID_FIELD", f"Didn't understand relationship '{head}' in field path.")
        key = ref.relationship_name or head
        target_id = row.get(ref.name)
        found = self._find(target_id) if target_id else None
        if found is None:
            out[key] = None
            return
        tspec, trow = found
        nested = out.get(key)
        if not isinstance(nested, dict):
            nested = {
                "attributes": {
                    "type": tspec.name if len(ref.reference_to) == 1 else "Name",
                    "url": self._url(tspec, trow["Id"]),
                }
            }
            out[key] = nested
        if "." in rest:
            self._render_path(tspec, trow, rest, nested)
        else:
            f = tspec.field(rest)
            if f is None:
                raise SoqlError("INVALID_FIELD", f"No such column '{rest}' on entity '{tspec.name}'.")
            nested[f.name] = _wire(trow.get(f.name))

    def _resolver(self, spec: ObjectSpec) -> Callable[[dict[str, Any], str], tuple[Any, str]]:
        def resolve(row: dict[str, Any], path: str) -> tuple[Any, str]:
            current_spec, current = spec, row
            parts = path.split(".")
            for part in parts[:-1]:
                ref = current_spec.relationship(part)
                if ref is None:
                    raise SoqlError(
                        "INVALID_FIELD", f"Didn't understand relationship '{part}' in field path."
                    )
                target = current.get(ref.name) if current is not None else None
                found = self._find(target) if target else None
                if found is None:
                    tname = ref.reference_to[0] if ref.reference_to else "User"
                    current_spec, current = self._objects[tname.lower()], None  # type: ignore[assignment]
                else:
                    current_spec, current = found
            f = current_spec.field(parts[-1])
            if f is None:
                raise SoqlError(
                    "INVALID_FIELD",
                    f"No such column '{parts[-1]}' on entity '{current_spec.name}'. If you are attempting to use "
                    "a custom field, be sure to append the '__c' after the custom field name.",
                )
            return (current.get(f.name) if current is not None else None), f.type

        return resolve

    # ------------------------------------------------------------------------------------- auth

    def _oauth_error(self, error: str, description: str, status: int = 400) -> SandboxResponse:
        return SandboxResponse.json(status, {"error": error, "error_description": description})

    def _token_body(
        self, user_id: str, *, refresh: str | None = None, signature: bool = True
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "access_token": self._new_session(user_id),
            "scope": "api refresh_token" if refresh else "api",
            "instance_url": self._instance_for(self._token_host),
            "id": f"https://login.salesforce.com/id/{_id18(ORG_ID)}/{user_id}",
            "token_type": "Bearer",
        }
        if signature:
            body["issued_at"] = str(int(self._wall().timestamp() * 1000))
            body["signature"] = base64.b64encode(secrets.token_bytes(32)).decode()
        if refresh:
            body["refresh_token"] = refresh
        return body

    def _instance_for(self, host: str | None) -> str:
        """The instance URL a token names: the configured one, or the host a served client reached."""
        if self._fixed_instance or not host:
            return self.instance_url
        name = host.split(":", 1)[0].lower()
        if name.endswith((".salesforce.com", ".force.com")) or name == "testserver":
            return self.instance_url
        return f"{self._token_scheme}://{host}"

    def _token(self, request: SandboxRequest) -> SandboxResponse:
        self._token_host = request.header("host")
        self._token_scheme = request.header("x-forwarded-proto") or "http"
        form = request.form()
        grant = form.get("grant_type", "")
        if grant == "urn:ietf:params:oauth:grant-type:jwt-bearer":
            return self._jwt_grant(form.get("assertion", ""))
        if grant == "client_credentials":
            client_id, secret = form.get("client_id"), form.get("client_secret")
            header = request.header("authorization") or ""
            if header.lower().startswith("basic "):
                try:
                    client_id, _, secret = base64.b64decode(header[6:]).decode().partition(":")
                except (ValueError, UnicodeDecodeError):
                    return self._oauth_error("invalid_client", "invalid client credentials")
            app = self._apps.get(client_id or "")
            if app is None:
                return self._oauth_error("invalid_client_id", "client identifier invalid")
            if not secrets.compare_digest(app.client_secret, secret or ""):
                return self._oauth_error("invalid_client", "invalid client credentials")
            return SandboxResponse.json(200, self._token_body(self.integration_user_id))
        if grant == "refresh_token":
            app = self._apps.get(form.get("client_id", ""))
            if app is None:
                return self._oauth_error("invalid_client_id", "client identifier invalid")
            if form.get("client_secret") and not secrets.compare_digest(
                app.client_secret, form["client_secret"]
            ):
                return self._oauth_error("invalid_client", "invalid client credentials")
            user = self._refresh_tokens.get(form.get("refresh_token", ""))
            if user is None:
                return self._oauth_error("invalid_grant", "expired access/refresh token")
            new_refresh = None
            if self.rotate_refresh_tokens:
                del self._refresh_tokens[form["refresh_token"]]
                new_refresh = "5Aep" + secrets.token_hex(20)
                self._refresh_tokens[new_refresh] = user
                self.refresh_token = new_refresh
            return SandboxResponse.json(200, self._token_body(user, refresh=new_refresh))
        if grant == "password":
            return self._oauth_error("invalid_grant", "authentication failure")
        return self._oauth_error("unsupported_grant_type", "grant type not supported")

    def _jwt_grant(self, assertion: str) -> SandboxResponse:
        parts = assertion.split(".")
        if len(parts) != 3:
            return self._oauth_error("invalid_grant", "invalid assertion")
        try:
            header = json.loads(_b64url(parts[0]))
            claims = json.loads(_b64url(parts[1]))
            signature = _b64url(parts[2])
        except (ValueError, UnicodeDecodeError):
            return self._oauth_error("invalid_grant", "invalid assertion")
        if header.get("alg") != "RS256":
            return self._oauth_error("invalid_grant", "invalid assertion")
        app = self._apps.get(str(claims.get("iss", "")))
        if app is None:
            return self._oauth_error("invalid_client_id", "client identifier invalid")
        if app.public_key_pem is None or not verify_rs256(
            app.public_key_pem, f"{parts[0]}.{parts[1]}".encode("ascii"), signature
        ):
            return self._oauth_error("invalid_grant", "invalid assertion")
        if claims.get("aud") not in {"https://login.salesforce.com", "https://test.salesforce.com"}:
            return self._oauth_error("invalid_grant", "audience is invalid")
        exp = claims.get("exp")
        now = time.time()  # assertions are signed against the real clock
        if not isinstance(exp, int) or exp < now or exp > now + 600:
            return self._oauth_error("invalid_grant", "expired authorization code")
        user = self._usernames.get(str(claims.get("sub", "")))
        if user is None:
            return self._oauth_error("invalid_grant", "user hasn't approved this consumer")
        return SandboxResponse.json(200, self._token_body(user, signature=False))

    def _versions(self, request: SandboxRequest) -> SandboxResponse:
        labels = {
            "62.0": "Winter '25",
            "63.0": "Spring '25",
            "64.0": "Summer '25",
            "65.0": "Winter '26",
            "66.0": "Spring '26",
        }
        return SandboxResponse.json(
            200,
            [{"label": label, "url": f"/services/data/v{v}", "version": v} for v, label in labels.items()],
        )

    def _revoke(self, request: SandboxRequest) -> SandboxResponse:
        token = request.form().get("token") or request.param("token") or ""
        self._sessions.pop(token, None)
        self._refresh_tokens.pop(token, None)
        return SandboxResponse.empty(200)

    def _userinfo(self, request: SandboxRequest) -> SandboxResponse:
        session = self._sessions.get(self._bearer(request) or "")
        if session is None or session[0] <= self._clock():
            return SandboxResponse.text(403, "Bad_OAuth_Token")
        user = self._data["user"][session[1]]
        return SandboxResponse.json(
            200,
            {
                "sub": f"https://login.salesforce.com/id/{_id18(ORG_ID)}/{user['Id']}",
                "user_id": user["Id"],
                "organization_id": _id18(ORG_ID),
                "preferred_username": user["Username"],
                "name": user["Name"],
                "email": user["Email"],
                "active": bool(user["IsActive"]),
                "urls": {"rest": f"{self.instance_url}/services/data/v{{version}}/"},
            },
        )

    def _resources(self, request: SandboxRequest) -> SandboxResponse:
        base = f"/services/data/v{self._version}"
        names = ("sobjects", "query", "queryAll", "composite", "limits", "jobs")
        return SandboxResponse.json(200, {name: f"{base}/{name}" for name in names})

    def _basic_info(self, request: SandboxRequest) -> SandboxResponse:
        spec = self._spec(request.path_params["sobject"])
        return SandboxResponse.json(200, {"objectDescribe": spec.summary(self._version), "recentItems": []})

    # ----------------------------------------------------------------------------------- limits

    def _limits(self, request: SandboxRequest) -> SandboxResponse:
        used = self.api_usage
        bulk_used = len(self._jobs)
        return SandboxResponse.json(
            200,
            {
                "DailyApiRequests": {
                    "Max": self.daily_api_limit,
                    "Remaining": max(0, self.daily_api_limit - used),
                },
                "DailyBulkV2QueryJobs": {"Max": 10000, "Remaining": 10000 - bulk_used},
                "DailyBulkApiBatches": {"Max": 15000, "Remaining": 15000 - bulk_used},
                "DataStorageMB": {"Max": 5, "Remaining": 5},
                "ConcurrentAsyncGetReportInstances": {"Max": 200, "Remaining": 200},
            },
        )

    # ------------------------------------------------------------------------------------ query

    def _child_relationships(self, parent: ObjectSpec) -> dict[str, tuple[ObjectSpec, FieldSpec]]:
        """Parent-to-child relationships of an object, by lower-cased name (``contacts``)."""
        out: dict[str, tuple[ObjectSpec, FieldSpec]] = {}
        for child in self._objects.values():
            for f in child.fields.values():
                if f.child_relationship and parent.name in f.reference_to:
                    out.setdefault(f.child_relationship.lower(), (child, f))
        return out

    def _filter(
        self, spec: ObjectSpec, parsed: ParsedQuery, rows: Iterable[dict[str, Any]], include_deleted: bool
    ) -> list[dict[str, Any]]:
        resolve = self._resolver(spec)
        probe: dict[str, Any] = {}
        for field in parsed.fields:
            if field != "COUNT()":
                resolve(probe, field)
        for field, _, _ in parsed.order:
            resolve(probe, field)
        validate_where(parsed.where, lambda name: resolve(probe, name)[1])
        today = self._wall().astimezone(timezone.utc).date()
        matched = [
            r
            for r in rows
            if (include_deleted or not r.get("IsDeleted")) and evaluate(parsed.where, r, resolve, today)
        ]
        matched = sort_rows(matched, parsed.order, resolve)
        if parsed.offset:
            matched = matched[parsed.offset :]
        if parsed.limit is not None:
            matched = matched[: parsed.limit]
        return matched

    def run_query(
        self, statement: str, *, include_deleted: bool = False
    ) -> tuple[ParsedQuery, ObjectSpec, list[dict[str, Any]]]:
        """Parse and evaluate SOQL; returns the parsed query, the object and the matching raw rows."""
        parsed = parse_soql(statement)
        spec = self._objects.get(parsed.sobject.lower())
        if spec is None:
            raise SoqlError("INVALID_TYPE", f"sObject type '{parsed.sobject}' is not supported.")
        relationships = self._child_relationships(spec)
        for child in parsed.children:
            if child.sobject.lower() not in relationships:
                raise SoqlError(
                    "INVALID_TYPE",
                    f"Didn't understand relationship '{child.sobject}' in FROM part of query call.",
                )
            self._filter(relationships[child.sobject.lower()][0], child, (), include_deleted)
        rows = self._filter(spec, parsed, self._table(spec.name).values(), include_deleted)
        return parsed, spec, rows

    def _render_rows(
        self, spec: ObjectSpec, parsed: ParsedQuery, rows: Sequence[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        """Render rows with their selected fields and parent-to-child subquery results."""
        relationships = self._child_relationships(spec)
        groups: list[tuple[ParsedQuery, ObjectSpec, FieldSpec, dict[str, list[dict[str, Any]]]]] = []
        for child in parsed.children:
            child_spec, ref = relationships[child.sobject.lower()]
            by_parent: dict[str, list[dict[str, Any]]] = {}
            for r in self._table(child_spec.name).values():
                if r.get(ref.name):
                    by_parent.setdefault(r[ref.name], []).append(r)
            groups.append((child, child_spec, ref, by_parent))
        out: list[dict[str, Any]] = []
        for row in rows:
            rendered = self._render(spec, row, parsed.fields)
            for child, child_spec, ref, by_parent in groups:
                kids = self._filter(child_spec, child, by_parent.get(row["Id"], ()), False)
                rendered[ref.child_relationship or child.sobject] = (
                    {
                        "totalSize": len(kids),
                        "done": True,
                        "records": [self._render(child_spec, k, child.fields) for k in kids],
                    }
                    if kids
                    else None
                )
            out.append(rendered)
        return out

    def _query(self, request: SandboxRequest, include_deleted: bool) -> SandboxResponse:
        statement = request.param("q")
        if not statement:
            raise _abort(400, "MALFORMED_QUERY", "A query string has to be specified")
        parsed, spec, rows = self.run_query(statement, include_deleted=include_deleted)
        if parsed.is_count:
            return SandboxResponse.json(200, {"totalSize": len(rows), "done": True, "records": []})
        return self._page(request, self._render_rows(spec, parsed, rows), 0, include_deleted)

    def _batch_size(self, request: SandboxRequest) -> int:
        options = request.header("sforce-query-options") or ""
        found = re.search(r"batchSize\s*=\s*(\d+)", options)
        size = int(found.group(1)) if found else 2000
        return min(2000, max(200, size))

    def _page(
        self, request: SandboxRequest, rows: list[dict[str, Any]], start: int, include_deleted: bool
    ) -> SandboxResponse:
        size = self._batch_size(request)
        chunk = rows[start : start + size]
        body: dict[str, Any] = {"totalSize": len(rows), "done": start + size >= len(rows), "records": chunk}
        if not body["done"]:
            self._counter += 1
            locator = _id18(f"0r8SB{self._counter:010d}")
            self._cursors[locator] = (rows, start + size)
            resource = "queryAll" if include_deleted else "query"
            body["nextRecordsUrl"] = f"/services/data/v{self._version}/{resource}/{locator}-{start + size}"
        return SandboxResponse.json(200, body)

    def _query_more(self, request: SandboxRequest) -> SandboxResponse:
        locator, _, offset = request.path_params["locator"].partition("-")
        cursor = self._cursors.get(locator)
        if cursor is None or not offset.isdigit():
            raise _abort(400, "INVALID_QUERY_LOCATOR", "invalid query locator")
        rows, _ = cursor
        return self._page(request, rows, int(offset), "/queryAll/" in request.path)

    # --------------------------------------------------------------------------------- describe

    def _global_describe(self, request: SandboxRequest) -> SandboxResponse:
        return SandboxResponse.json(
            200,
            {
                "encoding": "UTF-8",
                "maxBatchSize": 200,
                "sobjects": [s.summary(self._version) for s in self._objects.values()],
            },
        )

    def _describe(self, request: SandboxRequest) -> SandboxResponse:
        spec = self._spec(request.path_params["sobject"])
        children = [
            {
                "childSObject": child.name,
                "field": ref.name,
                "relationshipName": ref.child_relationship,
                "cascadeDelete": False,
            }
            for child, ref in self._child_relationships(spec).values()
        ]
        return SandboxResponse.json(200, spec.describe(children))

    # ------------------------------------------------------------------------------- validation

    def _coerce(self, spec: ObjectSpec, f: FieldSpec, value: Any, *, from_csv: bool = False) -> Any:
        if value is None:
            return None
        t = f.type
        bad = _RecordFailure(
            "JSON_PARSER_ERROR" if not from_csv else "INVALID_FIELD",
            f"Cannot deserialize instance of {t} from {type(value).__name__} value {value!r} for field {f.name}",
            [f.name],
        )
        if t in {
            "string",
            "textarea",
            "picklist",
            "multipicklist",
            "combobox",
            "email",
            "phone",
            "url",
            "id",
        }:
            if not isinstance(value, str):
                if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
                    value = str(value)
                else:
                    raise bad
            if len(value) > f.length:
                raise _RecordFailure(
                    "STRING_TOO_LONG",
                    f"{f.name}: data value too large: {value[:20]} (max length={f.length})",
                    [f.name],
                )
            if t == "picklist" and f.restricted and value not in f.picklist:
                raise _RecordFailure(
                    "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                    f"{f.label or f.name}: bad value for restricted picklist field: {value}",
                    [f.name],
                )
            return value
        if t == "reference":
            if not isinstance(value, str) or len(value) not in (15, 18):
                raise _RecordFailure(
                    "MALFORMED_ID", f"{f.name}: id value of incorrect type: {value}", [f.name]
                )
            found = self._find(value)
            if (
                found is None
                or found[1].get("IsDeleted")
                or (f.reference_to and found[0].name not in f.reference_to)
            ):
                raise _RecordFailure("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", [f.name])
            return found[1]["Id"]
        if t == "boolean":
            if from_csv and isinstance(value, str) and value.lower() in {"true", "false"}:
                return value.lower() == "true"
            if not isinstance(value, bool):
                raise bad
            return value
        if t == "int":
            try:
                number = Decimal(value) if isinstance(value, str) and from_csv else value
            except InvalidOperation:
                raise bad from None
            if isinstance(number, bool) or not isinstance(number, (int, Decimal)) or number != int(number):
                raise bad
            return int(number)
        if t in {"double", "currency", "percent"}:
            try:
                number = Decimal(value) if isinstance(value, str) and from_csv else value
            except InvalidOperation:
                raise bad from None
            if isinstance(number, bool) or not isinstance(number, (int, Decimal)):
                raise bad
            return Decimal(number)
        if t == "date":
            if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                raise _RecordFailure(
                    "JSON_PARSER_ERROR",
                    f"Cannot deserialize instance of date from VALUE_STRING value {value!r}",
                    [f.name],
                )
            try:
                return date.fromisoformat(value)
            except ValueError:
                raise bad from None
        if t == "datetime":
            if not isinstance(value, str) or "T" not in value:
                raise bad
            text = value.replace("Z", "+00:00")
            if re.search(r"[+-]\d{4}$", text):
                text = text[:-2] + ":" + text[-2:]
            try:
                parsed = datetime.fromisoformat(text)
            except ValueError:
                raise bad from None
            return (parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)
        return value

    def _apply(
        self, spec: ObjectSpec, body: Mapping[str, Any], *, creating: bool, from_csv: bool = False
    ) -> dict[str, Any]:
        """Validate a write body into stored values (relationship external ids resolved)."""
        if not isinstance(body, Mapping):
            raise _RecordFailure("JSON_PARSER_ERROR", "Expected a JSON object for the record")
        values: dict[str, Any] = {}
        for key, value in body.items():
            if key == "attributes":
                continue
            f = spec.field(key)
            if f is None:
                ref = spec.relationship(key)
                if ref is not None and isinstance(value, Mapping):
                    values[ref.name] = self._resolve_foreign(ref, value)
                    continue
                raise _RecordFailure(
                    "INVALID_FIELD", f"No such column '{key}' on sobject of type {spec.name}", [key]
                )
            if f.readonly:
                if f.name == "Id" and not creating:
                    continue
                raise _RecordFailure(
                    "INVALID_FIELD_FOR_INSERT_UPDATE",
                    f"Unable to create/update fields: {f.name}. Please check the security settings of this field "
                    "and verify that it is read/write for your profile or permission set.",
                    [f.name],
                )
            values[f.name] = self._coerce(spec, f, value, from_csv=from_csv)
        return values

    def _resolve_foreign(self, ref: FieldSpec, value: Mapping[str, Any]) -> str:
        keys = [k for k in value if k != "attributes"]
        target = self._objects[(ref.reference_to[0] if ref.reference_to else "Account").lower()]
        if isinstance(value.get("attributes"), Mapping) and value["attributes"].get("type"):
            target = self._spec(str(value["attributes"]["type"]))
        if len(keys) != 1:
            raise _RecordFailure(
                "INVALID_FIELD", "A foreign key reference needs exactly one external id field"
            )
        field = target.field(keys[0])
        if field is None or not (field.external_id or field.id_lookup):
            raise _RecordFailure("INVALID_FIELD", f"Field {keys[0]} is not an external id on {target.name}")
        lookup = value[keys[0]]
        matches = [
            r
            for r in self._data[target.name.lower()].values()
            if not r.get("IsDeleted") and _eq(r.get(field.name), lookup)
        ]
        if not matches:
            raise _RecordFailure(
                "INVALID_FIELD",
                f"Foreign key external ID: {lookup} not found for field {field.name} in entity {target.name}",
            )
        return str(matches[0]["Id"])

    def _check_unique(self, spec: ObjectSpec, values: Mapping[str, Any], own_id: str | None) -> None:
        for name, value in values.items():
            f = spec.field(name)
            if f is None or not f.unique or value is None:
                continue
            for row in self._lookup(spec, f, value):
                if row["Id"] != own_id:
                    raise _RecordFailure(
                        "DUPLICATE_VALUE",
                        f"duplicate value found: {f.name} duplicates value on record with id: {row['Id']}",
                        [],
                    )

    def _derive(self, spec: ObjectSpec, row: dict[str, Any], creating: bool) -> None:
        name = spec.name
        if name in {"Contact", "Lead", "User"}:
            row["Name"] = " ".join(p for p in (row.get("FirstName"), row.get("LastName")) if p)
        if name == "Opportunity":
            stage = STAGES.get(row.get("StageName") or "", (0, False, False, "Pipeline"))
            row["IsClosed"], row["IsWon"] = stage[1], stage[2]
            row["ForecastCategoryName"] = stage[3]
            if row.get("Probability") is None or creating:
                row["Probability"] = Decimal(stage[0])
        if name == "Case":
            row["IsClosed"] = row.get("Status") == "Closed"
            if row["IsClosed"] and row.get("ClosedDate") is None:
                row["ClosedDate"] = self._now()
            if not row["IsClosed"]:
                row["ClosedDate"] = None
        if name == "Task":
            row["IsClosed"] = row.get("Status") == "Completed"
            row["IsHighPriority"] = row.get("Priority") == "High"
            what = row.get("WhatId")
            found = self._find(what) if what else None
            row["AccountId"] = (
                found[1]["Id"]
                if found and found[0].name == "Account"
                else (found[1].get("AccountId") if found else None)
            )
        if name == "Contract":
            start, term = row.get("StartDate"), row.get("ContractTerm")
            if isinstance(start, date) and isinstance(term, int):
                month = start.month - 1 + term
                year, month = start.year + month // 12, month % 12 + 1
                day = min(start.day, 28)
                row["EndDate"] = date(year, month, day) - timedelta(days=1)
            row["StatusCode"] = {"Activated": "Activated", "In Approval Process": "InApproval"}.get(
                row.get("Status") or "", "Draft"
            )
            if row["StatusCode"] == "Activated" and row.get("ActivatedDate") is None:
                row["ActivatedDate"] = self._now()

    def _insert(self, spec: ObjectSpec, body: Mapping[str, Any], *, from_csv: bool = False) -> str:
        if self._take_injection(None, per_record=True) is not None:
            raise _RecordFailure("UNABLE_TO_LOCK_ROW", _MESSAGES["UNABLE_TO_LOCK_ROW"])
        values = self._apply(spec, body, creating=True, from_csv=from_csv)
        missing = [
            f.name
            for f in spec.fields.values()
            if f.required and not f.readonly and values.get(f.name) in (None, "")
        ]
        if missing:
            raise _RecordFailure(
                "REQUIRED_FIELD_MISSING", f"Required fields are missing: [{', '.join(missing)}]", missing
            )
        self._check_unique(spec, values, None)
        return self._insert_values(spec, values)

    def _insert_values(self, spec: ObjectSpec, values: Mapping[str, Any]) -> str:
        now = self._now()
        record_id = self._new_id(spec)
        row: dict[str, Any] = {f.name: None for f in spec.fields.values()}
        for f in spec.fields.values():
            if f.type == "boolean":
                row[f.name] = bool(f.default)
            elif f.default is not None:
                row[f.name] = f.default
        user = getattr(self, "_user", None) or getattr(self, "integration_user_id", None)
        row.update(
            Id=record_id,
            IsDeleted=False,
            CreatedDate=now,
            CreatedById=user or record_id,
            LastModifiedDate=now,
            LastModifiedById=user or record_id,
            SystemModstamp=now,
        )
        if spec.field("OwnerId") is not None:
            row["OwnerId"] = user
        if spec.name in {"Case", "Contract"}:
            n = self._autonumbers.get(spec.name, 0) + 1
            self._autonumbers[spec.name] = n
            row["CaseNumber" if spec.name == "Case" else "ContractNumber"] = f"{n:08d}"
        if spec.name == "User":
            row["UserType"] = "Standard"
        row.update(values)
        self._derive(spec, row, True)
        self._data[spec.name.lower()][record_id] = row
        self._index_row(spec, row, add=True)
        return record_id

    def _insert_raw(self, sobject: str, values: Mapping[str, Any]) -> str:
        spec = self._spec(sobject)
        return self._insert_values(spec, values)

    def _row(self, spec: ObjectSpec, record_id: str) -> dict[str, Any]:
        table = self._data[spec.name.lower()]
        row = table.get(record_id) or (table.get(_id18(record_id)) if len(record_id) == 15 else None)
        if row is None:
            if len(record_id) not in (15, 18):
                raise _RecordFailure(
                    "MALFORMED_ID", f"Id value of incorrect type: {record_id}", ["Id"], status=400
                )
            raise _RecordFailure("NOT_FOUND", "The requested resource does not exist", [], status=404)
        if row.get("IsDeleted"):
            raise _RecordFailure("ENTITY_IS_DELETED", "entity is deleted", [], status=400)
        return row

    def _modify(
        self, spec: ObjectSpec, row: dict[str, Any], body: Mapping[str, Any], *, from_csv: bool = False
    ) -> None:
        if self._take_injection(None, per_record=True) is not None:
            raise _RecordFailure("UNABLE_TO_LOCK_ROW", _MESSAGES["UNABLE_TO_LOCK_ROW"])
        if spec.name == "Lead" and row.get("IsConverted"):
            raise _RecordFailure("CANNOT_UPDATE_CONVERTED_LEAD", "cannot reference converted lead")
        values = self._apply(spec, body, creating=False, from_csv=from_csv)
        for f in spec.fields.values():
            if f.required and f.name in values and values[f.name] in (None, ""):
                raise _RecordFailure(
                    "REQUIRED_FIELD_MISSING", f"Required fields are missing: [{f.name}]", [f.name]
                )
        self._check_unique(spec, values, row["Id"])
        now = self._now()
        self._index_row(spec, row, add=False)
        row.update(values)
        self._index_row(spec, row, add=True)
        row["LastModifiedDate"] = row["SystemModstamp"] = now
        row["LastModifiedById"] = getattr(self, "_user", None) or row["LastModifiedById"]
        self._derive(spec, row, False)

    def _remove(self, spec: ObjectSpec, row: dict[str, Any]) -> None:
        if self._take_injection(None, per_record=True) is not None:
            raise _RecordFailure("UNABLE_TO_LOCK_ROW", _MESSAGES["UNABLE_TO_LOCK_ROW"])
        now = self._now()
        row["IsDeleted"] = True
        row["SystemModstamp"] = now
        self._deleted_log.append((spec.name, row["Id"], now))

    def _by_external(
        self, spec: ObjectSpec, field: str, value: str
    ) -> tuple[FieldSpec, list[dict[str, Any]]]:
        f = spec.field(field)
        if f is None or not (f.external_id or f.id_lookup):
            raise _RecordFailure(
                "NOT_FOUND",
                f"Provided external ID field does not exist or is not accessible: {field}",
                [],
                status=404,
            )
        return f, self._lookup(spec, f, value)

    # ---------------------------------------------------------------------- external-id index

    @staticmethod
    def _indexed(f: FieldSpec) -> bool:
        return f.unique or f.external_id or f.id_lookup

    def _lookup(self, spec: ObjectSpec, f: FieldSpec, value: Any) -> list[dict[str, Any]]:
        """Live records whose indexed field equals ``value`` (case-insensitive for text)."""
        table = self._data[spec.name.lower()]
        ids = self._index.get((spec.name.lower(), f.name), {}).get(_norm(value), set())
        rows = [table[i] for i in sorted(ids) if i in table]
        return [r for r in rows if not r.get("IsDeleted") and _eq(r.get(f.name), value)]

    def _index_row(self, spec: ObjectSpec, row: Mapping[str, Any], *, add: bool) -> None:
        for f in spec.fields.values():
            value = row.get(f.name)
            if value is None or not self._indexed(f):
                continue
            bucket = self._index.setdefault((spec.name.lower(), f.name), {}).setdefault(_norm(value), set())
            if add:
                bucket.add(row["Id"])
            else:
                bucket.discard(row["Id"])

    def _rebuild_index(self) -> None:
        self._index = {}
        for name, table in self._data.items():
            for row in table.values():
                self._index_row(self._objects[name], row, add=True)

    # ------------------------------------------------------------------------------------- CRUD

    def _create(self, request: SandboxRequest) -> SandboxResponse:
        spec = self._spec(request.path_params["sobject"])
        record_id = self._insert(spec, request.json())
        return SandboxResponse.json(
            201, {"id": record_id, "success": True, "errors": []}, {"Location": self._url(spec, record_id)}
        )

    def _fields_param(self, request: SandboxRequest) -> list[str] | None:
        fields = request.param("fields")
        return [f.strip() for f in fields.split(",") if f.strip()] if fields else None

    def _get(self, request: SandboxRequest) -> SandboxResponse:
        spec = self._spec(request.path_params["sobject"])
        row = self._row(spec, request.path_params["id"])
        return SandboxResponse.json(200, self._render(spec, row, self._fields_param(request)))

    def _update(self, request: SandboxRequest) -> SandboxResponse:
        spec = self._spec(request.path_params["sobject"])
        self._modify(spec, self._row(spec, request.path_params["id"]), request.json())
        return SandboxResponse.empty(204)

    def _delete(self, request: SandboxRequest) -> SandboxResponse:
        spec = self._spec(request.path_params["sobject"])
        self._remove(spec, self._row(spec, request.path_params["id"]))
        return SandboxResponse.empty(204)

    @staticmethod
    def _ext_value(request: SandboxRequest) -> str:
        """The external id value from the raw path (one percent-decoding, slashes kept)."""
        raw = request.raw_path or request.path
        segments = raw.split("/")
        return unquote("/".join(segments[7:])) if len(segments) > 7 else request.path_params["value"]

    def _get_by_ext(self, request: SandboxRequest) -> SandboxResponse:
        spec = self._spec(request.path_params["sobject"])
        _, rows = self._by_external(spec, request.path_params["field"], self._ext_value(request))
        if not rows:
            raise _abort(404, "NOT_FOUND", "The requested resource does not exist")
        if len(rows) > 1:
            return SandboxResponse.json(300, [self._url(spec, r["Id"]) for r in rows])
        return SandboxResponse.json(200, self._render(spec, rows[0], self._fields_param(request)))

    def _upsert(self, request: SandboxRequest) -> SandboxResponse:
        spec = self._spec(request.path_params["sobject"])
        field, value = request.path_params["field"], self._ext_value(request)
        f, rows = self._by_external(spec, field, value)
        body = dict(request.json())
        if any(k.lower() in {"id", f.name.lower()} for k in body):
            raise _abort(
                400, "INVALID_FIELD", f"{f.name} is not allowed in the body of an upsert by that field"
            )
        if len(rows) > 1:
            return SandboxResponse.json(300, [self._url(spec, r["Id"]) for r in rows])
        if rows:
            self._modify(spec, rows[0], body)
            return SandboxResponse.json(
                200, {"id": rows[0]["Id"], "success": True, "errors": [], "created": False}
            )
        if request.param("updateOnly", "false") == "true":
            raise _abort(404, "NOT_FOUND", "The requested resource does not exist")
        body[f.name] = value if f.type != "int" else int(value)
        record_id = self._insert(spec, body)
        return SandboxResponse.json(
            201,
            {"id": record_id, "success": True, "errors": [], "created": True},
            {"Location": self._url(spec, record_id)},
        )

    # ------------------------------------------------------------------------------ collections

    def _snapshot(self) -> Any:
        return (
            {k: {i: dict(r) for i, r in t.items()} for k, t in self._data.items()},
            list(self._deleted_log),
            self._counter,
            dict(self._autonumbers),
        )

    def _restore(self, snap: Any) -> None:
        self._data, self._deleted_log, self._counter, self._autonumbers = (
            copy.copy(snap[0]),
            snap[1],
            snap[2],
            snap[3],
        )
        self._rebuild_index()

    def _collection(
        self,
        request: SandboxRequest,
        items: Sequence[Any],
        op: Callable[[Any], dict[str, Any]],
        all_or_none: bool,
    ) -> SandboxResponse:
        if len(items) > 200:
            raise _abort(
                400,
                "EXCEEDED_ID_LIMIT",
                "record limit reached. cannot submit more than 200 records into this call",
            )
        snap = self._snapshot() if all_or_none else None
        results: list[dict[str, Any]] = []
        failed = False
        for item in items:
            try:
                results.append(op(item))
            except _RecordFailure as failure:
                failed = True
                results.append({"success": False, "errors": [failure.body("statusCode")]})
                if all_or_none:
                    break
        if all_or_none and failed:
            self._restore(snap)
            rolled = {
                "success": False,
                "errors": [
                    {
                        "statusCode": "ALL_OR_NONE_OPERATION_ROLLED_BACK",
                        "message": "Record rolled back because not all records were valid and the request was using AllOrNone header",
                        "fields": [],
                    }
                ],
            }
            out = []
            for i in range(len(items)):
                if i < len(results) and not results[i].get("success"):
                    out.append(results[i])
                else:
                    out.append(rolled)
            results = out
        return SandboxResponse.json(200, results)

    def _coll_body(self, request: SandboxRequest) -> tuple[list[Any], bool]:
        body = request.json()
        if not isinstance(body, Mapping) or not isinstance(body.get("records"), list):
            raise _abort(400, "JSON_PARSER_ERROR", 'Expected {"allOrNone": ..., "records": [...]}')
        return body["records"], bool(body.get("allOrNone", False))

    def _typed(self, record: Any) -> ObjectSpec:
        attrs_ = record.get("attributes") if isinstance(record, Mapping) else None
        if not isinstance(attrs_, Mapping) or not attrs_.get("type"):
            raise _RecordFailure("INVALID_TYPE", "Must send a concrete entity type.")
        return self._spec(str(attrs_["type"]))

    def _coll_create(self, request: SandboxRequest) -> SandboxResponse:
        records, all_or_none = self._coll_body(request)

        def op(record: Any) -> dict[str, Any]:
            if isinstance(record, Mapping) and ("id" in record or "Id" in record):
                raise _RecordFailure("INVALID_FIELD", "cannot specify Id in an insert call", ["Id"])
            record_id = self._insert(self._typed(record), record)
            return {"id": record_id, "success": True, "errors": []}

        return self._collection(request, records, op, all_or_none)

    def _coll_update(self, request: SandboxRequest) -> SandboxResponse:
        records, all_or_none = self._coll_body(request)

        def op(record: Any) -> dict[str, Any]:
            spec = self._typed(record)
            record_id = record.get("id") or record.get("Id")
            if not record_id:
                raise _RecordFailure("MISSING_ARGUMENT", "Id not specified in an update call", ["Id"])
            try:
                row = self._row(spec, str(record_id))
            except _RecordFailure as failure:
                if failure.code == "NOT_FOUND":
                    raise _RecordFailure(
                        "INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id"
                    ) from None
                raise
            self._modify(spec, row, {k: v for k, v in record.items() if k not in {"id", "Id"}})
            return {"id": row["Id"], "success": True, "errors": []}

        return self._collection(request, records, op, all_or_none)

    def _coll_upsert(self, request: SandboxRequest) -> SandboxResponse:
        spec = self._spec(request.path_params["sobject"])
        field = request.path_params["field"]
        records, all_or_none = self._coll_body(request)
        f, _ = self._by_external(spec, field, "")

        def op(record: Any) -> dict[str, Any]:
            if self._typed(record).name != spec.name:
                raise _RecordFailure("INVALID_TYPE", f"all records must be of type {spec.name}")
            value = next((v for k, v in record.items() if k.lower() == f.name.lower()), None)
            if value in (None, ""):
                raise _RecordFailure(
                    "REQUIRED_FIELD_MISSING", f"Required fields are missing: [{f.name}]", [f.name]
                )
            _, rows = self._by_external(spec, f.name, value)
            if len(rows) > 1:
                raise _RecordFailure(
                    "DUPLICATE_EXTERNAL_ID",
                    f"More than one record found for external id field {f.name}: {value}",
                )
            if rows:
                self._modify(spec, rows[0], {k: v for k, v in record.items() if k.lower() != f.name.lower()})
                return {"id": rows[0]["Id"], "success": True, "errors": [], "created": False}
            record_id = self._insert(spec, record)
            return {"id": record_id, "success": True, "errors": [], "created": True}

        return self._collection(request, records, op, all_or_none)

    def _coll_delete(self, request: SandboxRequest) -> SandboxResponse:
        ids = [i for i in (request.param("ids") or "").split(",") if i]
        all_or_none = (request.param("allOrNone") or "false").lower() == "true"

        def op(record_id: str) -> dict[str, Any]:
            found = self._find(record_id)
            if found is None:
                raise _RecordFailure("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id")
            spec, row = found
            if row.get("IsDeleted"):
                raise _RecordFailure("ENTITY_IS_DELETED", "entity is deleted")
            self._remove(spec, row)
            return {"id": row["Id"], "success": True, "errors": []}

        return self._collection(request, ids, op, all_or_none)

    def _coll_retrieve(self, request: SandboxRequest) -> SandboxResponse:
        spec = self._spec(request.path_params["sobject"])
        if request.method == "POST":
            body = request.json()
            ids, fields = list(body.get("ids") or []), list(body.get("fields") or [])
        else:
            ids = [i for i in (request.param("ids") or "").split(",") if i]
            fields = [f for f in (request.param("fields") or "").split(",") if f]
        if len(ids) > 2000:
            raise _abort(400, "EXCEEDED_ID_LIMIT", "cannot retrieve more than 2000 records")
        out: list[Any] = []
        for record_id in ids:
            row = self._data[spec.name.lower()].get(record_id)
            out.append(
                None if row is None or row.get("IsDeleted") else self._render(spec, row, fields or ["Id"])
            )
        return SandboxResponse.json(200, out)

    # -------------------------------------------------------------------------------- composite

    def _composite(self, request: SandboxRequest) -> SandboxResponse:
        body = request.json()
        subs = body.get("compositeRequest") if isinstance(body, Mapping) else None
        if not isinstance(subs, list) or not subs:
            raise _abort(400, "JSON_PARSER_ERROR", "compositeRequest is required")
        if len(subs) > 25:
            raise _abort(400, "LIMIT_EXCEEDED", "Composite requests cannot have more than 25 subrequests")
        all_or_none = bool(body.get("allOrNone", False))
        snap = self._snapshot() if all_or_none else None
        results: dict[str, Any] = {}
        out: list[dict[str, Any]] = []
        failed = False
        self._nested = True
        try:
            for sub in subs:
                ref = str(sub.get("referenceId") or "")
                if failed and all_or_none:
                    out.append(_halted(ref))
                    continue
                try:
                    url = _substitute(str(sub.get("url") or ""), results)
                    sub_body = _substitute(sub.get("body"), results)
                except KeyError as exc:
                    out.append(
                        {
                            "body": [
                                {
                                    "errorCode": "INVALID_REFERENCE",
                                    "message": f"Invalid reference specified: {exc.args[0]}",
                                }
                            ],
                            "httpHeaders": {},
                            "httpStatusCode": 400,
                            "referenceId": ref,
                        }
                    )
                    failed = True
                    continue
                response = self._dispatch_sub(request, str(sub.get("method", "GET")), url, sub_body)
                payload = json.loads(response.body) if response.body else None
                headers = {k: v for k, v in response.headers if k.lower() == "location"}
                out.append(
                    {
                        "body": payload,
                        "httpHeaders": headers,
                        "httpStatusCode": response.status,
                        "referenceId": ref,
                    }
                )
                if response.status >= 400:
                    failed = True
                else:
                    results[ref] = payload
        finally:
            self._nested = False
        if all_or_none and failed:
            self._restore(snap)
            out = [o if o["httpStatusCode"] >= 400 else _halted(o["referenceId"]) for o in out]
        return SandboxResponse.json(200, {"compositeResponse": out})

    def _dispatch_sub(self, request: SandboxRequest, method: str, url: str, body: Any) -> SandboxResponse:
        parts = urlsplit(url)
        sub = SandboxRequest(
            method=method.upper(),
            path=unquote(parts.path),
            raw_path=parts.path,
            query=tuple(parse_qsl(parts.query, keep_blank_values=True)),
            headers=dict(request.headers),
            body=json.dumps(body).encode() if body is not None else b"",
        )
        try:
            return self._dispatch(sub)
        except _RecordFailure as failure:
            return SandboxResponse.json(failure.status, [failure.body()])
        except SoqlError as exc:
            return _error(400, exc.code, exc.message)

    # ------------------------------------------------------------------------- getUpdated/Deleted

    def _window(self, request: SandboxRequest, days: int) -> tuple[datetime, datetime]:
        try:
            start = _parse_param_dt(request.param("start") or "")
            end = _parse_param_dt(request.param("end") or "")
        except ValueError:
            raise _abort(400, "INVALID_REPLICATION_DATE", "start and end must be valid dateTimes") from None
        now = self._now()
        if start >= end:
            raise _abort(400, "INVALID_REPLICATION_DATE", "startDate must chronologically precede endDate")
        if start < now - timedelta(days=days):
            raise _abort(400, "INVALID_REPLICATION_DATE", f"startDate cannot be more than {days} days ago")
        return start.replace(second=0), min(end, now).replace(second=0)

    def _updated(self, request: SandboxRequest) -> SandboxResponse:
        spec = self._spec(request.path_params["sobject"])
        start, end = self._window(request, 30)
        ids = [
            r["Id"]
            for r in self._data[spec.name.lower()].values()
            if not r.get("IsDeleted") and start <= r["SystemModstamp"] < end
        ]
        if len(ids) > 600000:
            raise _abort(400, "EXCEEDED_ID_LIMIT", "too many ids")
        return SandboxResponse.json(200, {"ids": ids, "latestDateCovered": _fmt_dt(end)})

    def _deleted(self, request: SandboxRequest) -> SandboxResponse:
        spec = self._spec(request.path_params["sobject"])
        start, end = self._window(request, 15)
        records = [
            {"id": rid, "deletedDate": _fmt_dt(when)}
            for name, rid, when in self._deleted_log
            if name == spec.name and start <= when < end
        ]
        earliest = self._now() - timedelta(days=15)
        return SandboxResponse.json(
            200,
            {
                "deletedRecords": records,
                "earliestDateAvailable": _fmt_dt(earliest.replace(second=0)),
                "latestDateCovered": _fmt_dt(end),
            },
        )

    # --------------------------------------------------------------------------------- Bulk 2.0

    def _job_info(self, job: _Job) -> dict[str, Any]:
        return dict(job.info)

    def _ingest_create(self, request: SandboxRequest) -> SandboxResponse:
        body = request.json()
        if not isinstance(body, Mapping):
            raise _abort(400, "JSON_PARSER_ERROR", "Expected a JSON object")
        spec = self._spec(str(body.get("object") or ""))
        operation = body.get("operation")
        if operation not in {"insert", "update", "upsert", "delete", "hardDelete"}:
            raise _abort(400, "INVALIDJOB", f"Invalid operation: {operation}")
        ext = body.get("externalIdFieldName")
        if operation == "upsert":
            f = spec.field(str(ext or ""))
            if f is None or not (f.external_id or f.id_lookup):
                raise _abort(400, "INVALIDJOB", f"External ID field {ext} is not valid for {spec.name}")
        self._counter += 1
        job_id = _id18(f"750SB{self._counter:010d}")
        now = _fmt_dt(self._now())
        info = {
            "id": job_id,
            "operation": operation,
            "object": spec.name,
            "createdById": self._user,
            "createdDate": now,
            "systemModstamp": now,
            "state": "Open",
            "externalIdFieldName": ext,
            "concurrencyMode": "Parallel",
            "contentType": "CSV",
            "apiVersion": Decimal(self._version),
            "contentUrl": f"services/data/v{self._version}/jobs/ingest/{job_id}/batches",
            "lineEnding": body.get("lineEnding", "LF"),
            "columnDelimiter": body.get("columnDelimiter", "COMMA"),
            "jobType": "V2Ingest",
        }
        self._jobs[job_id] = _Job(info=info)
        return SandboxResponse.json(200, info)

    def _job(self, request: SandboxRequest, kind: str) -> _Job:
        job = self._jobs.get(request.path_params["job"])
        if job is None or job.info.get("jobType") != kind:
            raise _abort(404, "NOT_FOUND", "The requested resource does not exist")
        return job

    def _ingest_upload(self, request: SandboxRequest) -> SandboxResponse:
        job = self._job(request, "V2Ingest")
        if job.info["state"] != "Open":
            raise _abort(409, "INVALIDJOBSTATE", "Job is not in Open state")
        job.data.append(request.body)
        return SandboxResponse.empty(201)

    def _ingest_state(self, request: SandboxRequest) -> SandboxResponse:
        job = self._job(request, "V2Ingest")
        state = (request.json() or {}).get("state")
        if state == "Aborted":
            job.info["state"] = "Aborted"
        elif state == "UploadComplete":
            if job.info["state"] != "Open":
                raise _abort(409, "INVALIDJOBSTATE", "Job is not in Open state")
            job.info["state"] = "UploadComplete"
            self._process_ingest(job)
        else:
            raise _abort(400, "INVALIDJOBSTATE", f"Invalid state: {state}")
        return SandboxResponse.json(200, self._job_info(job))

    def _process_ingest(self, job: _Job) -> None:
        spec = self._spec(job.info["object"])
        rows: list[dict[str, str]] = []
        for upload in job.data:
            text = upload.decode("utf-8").replace("\x00", "")
            rows.extend(csv.DictReader(io.StringIO(text)))
        op = job.info["operation"]
        ext = job.info.get("externalIdFieldName")
        for row in rows:
            body: dict[str, Any] = {}
            for key, value in row.items():
                if key is None or value == "":
                    continue
                body[key] = None if value == "#N/A" else value
            try:
                created = False
                if op == "insert":
                    record_id = self._insert(spec, body, from_csv=True)
                    created = True
                elif op == "update":
                    record_id = str(body.pop("Id", "") or "")
                    self._modify(spec, self._row(spec, record_id), body, from_csv=True)
                elif op in {"delete", "hardDelete"}:
                    record_id = str(body.get("Id") or "")
                    self._remove(spec, self._row(spec, record_id))
                else:
                    key_value = body.get(str(ext))
                    if key_value in (None, ""):
                        raise _RecordFailure(  # noqa: TRY301
                            "REQUIRED_FIELD_MISSING", f"Required fields are missing: [{ext}]", [str(ext)]
                        )
                    f, matches = self._by_external(spec, str(ext), str(key_value))
                    if len(matches) > 1:
                        raise _RecordFailure(  # noqa: TRY301
                            "DUPLICATE_EXTERNAL_ID", f"more than one record found for {ext}: {key_value}"
                        )
                    if matches:
                        record_id = matches[0]["Id"]
                        self._modify(
                            spec, matches[0], {k: v for k, v in body.items() if k != f.name}, from_csv=True
                        )
                    else:
                        record_id = self._insert(spec, body, from_csv=True)
                        created = True
                job.successful.append(
                    {"sf__Id": record_id, "sf__Created": "true" if created else "false", **row}
                )
            except _RecordFailure as failure:
                fields = ",".join(failure.fields)
                job.failed.append(
                    {"sf__Id": "", "sf__Error": f"{failure.code}:{failure.message}:{fields} --", **row}
                )
        job.columns = list(rows[0].keys()) if rows else []
        job.info["numberRecordsProcessed"] = len(rows)
        job.info["numberRecordsFailed"] = len(job.failed)
        job.info["retries"] = 0
        job.info["totalProcessingTime"] = 10 * len(rows)

    def _ingest_get(self, request: SandboxRequest) -> SandboxResponse:
        job = self._job(request, "V2Ingest")
        if job.info["state"] in {"UploadComplete", "InProgress"}:
            job.polls += 1
            job.info["state"] = "InProgress" if job.polls < 2 else "JobComplete"
        return SandboxResponse.json(200, self._job_info(job))

    def _job_delete(self, request: SandboxRequest) -> SandboxResponse:
        job = self._job(request, "V2Ingest")
        del self._jobs[job.info["id"]]
        return SandboxResponse.empty(204)

    def _ingest_results(self, request: SandboxRequest, kind: str) -> SandboxResponse:
        job = self._job(request, "V2Ingest")
        if job.info["state"] != "JobComplete" and kind != "un":
            raise _abort(400, "INVALIDJOBSTATE", "Job is not complete")
        if kind == "ok":
            head, rows = ["sf__Id", "sf__Created", *job.columns], job.successful
        elif kind == "failed":
            head, rows = ["sf__Id", "sf__Error", *job.columns], job.failed
        else:
            head, rows = job.columns, job.unprocessed
        return SandboxResponse.text(200, _csv(head, rows), "text/csv")

    def _query_job_create(self, request: SandboxRequest) -> SandboxResponse:
        body = request.json()
        operation = body.get("operation")
        if operation not in {"query", "queryAll"}:
            raise _abort(400, "INVALIDJOB", f"Invalid operation: {operation}")
        parsed, spec, rows = self.run_query(
            str(body.get("query") or ""), include_deleted=operation == "queryAll"
        )
        if parsed.is_count or parsed.offset or parsed.children:
            raise _abort(400, "INVALIDJOB", "Bulk queries do not support COUNT(), OFFSET or subqueries")
        self._counter += 1
        job_id = _id18(f"750SB{self._counter:010d}")
        now = _fmt_dt(self._now())
        info = {
            "id": job_id,
            "operation": operation,
            "object": spec.name,
            "createdById": self._user,
            "createdDate": now,
            "systemModstamp": now,
            "state": "UploadComplete",
            "concurrencyMode": "Parallel",
            "contentType": "CSV",
            "apiVersion": Decimal(self._version),
            "lineEnding": "LF",
            "columnDelimiter": "COMMA",
            "jobType": "V2Query",
        }
        job = _Job(info=info, columns=list(parsed.fields))
        resolve = self._resolver(spec)
        for row in rows:
            flat: dict[str, str] = {}
            for field in parsed.fields:
                value = resolve(row, field)[0]
                flat[field] = _csv_cell(value)
            job.rows.append(flat)
        self._jobs[job_id] = job
        return SandboxResponse.json(200, info)

    def _query_job_get(self, request: SandboxRequest) -> SandboxResponse:
        job = self._job(request, "V2Query")
        if job.info["state"] in {"UploadComplete", "InProgress"}:
            job.polls += 1
            job.info["state"] = "InProgress" if job.polls < 2 else "JobComplete"
            job.info["numberRecordsProcessed"] = len(job.rows)
        return SandboxResponse.json(200, self._job_info(job))

    def _query_job_results(self, request: SandboxRequest) -> SandboxResponse:
        job = self._job(request, "V2Query")
        if job.info["state"] != "JobComplete":
            raise _abort(400, "INVALIDJOBSTATE", "Job is not complete")
        start = int(request.param("locator") or "0") if (request.param("locator") or "0").isdigit() else -1
        if start < 0:
            raise _abort(400, "INVALID_QUERY_LOCATOR", "invalid locator")
        size = int(request.param("maxRecords") or "50000")
        chunk = job.rows[start : start + size]
        nxt = str(start + size) if start + size < len(job.rows) else "null"
        return SandboxResponse.text(
            200,
            _csv(job.columns, chunk),
            "text/csv",
            {"Sforce-Locator": nxt, "Sforce-NumberOfRecords": str(len(chunk))},
        )

    # ------------------------------------------------------------------------------------- seed

    def seed(self, *, size: int = 100, seed: int = 0) -> dict[str, int]:
        """Fill the org with a deterministic MSP dataset: ``size`` accounts, two contacts each, leads,
        opportunities (about a third Closed Won), cases, tasks and contracts.

        Returns:
            Counts created per object.
        """
        rng = random.Random(seed)
        counts: dict[str, int] = {}
        with self._lock:
            self._user = self.integration_user_id
            owners = [self.integration_user_id]
            user_base = len(self._data["user"])
            for i in range(4):
                owners.append(
                    self._insert_raw(
                        "User",
                        {
                            "Username": f"rep{user_base + i}.{seed}@msplink-sandbox.example",
                            "FirstName": rng.choice(_FIRST),
                            "LastName": rng.choice(_LAST),
                            "Email": f"rep{i}@msplink-sandbox.example",
                            "Alias": f"rep{i}",
                            "IsActive": True,
                            "Title": "Account Executive",
                        },
                    )
                )
            counts["User"] = 4
            base = len(self._data["account"])  # a second seed() adds records, never duplicate keys
            accounts: list[str] = []
            contacts: list[str] = []
            for i in range(size):
                name = f"{rng.choice(_COMPANY_A)} {rng.choice(_COMPANY_B)} {i + 1}"
                accounts.append(
                    self._insert_raw(
                        "Account",
                        {
                            "Name": name,
                            "Type": rng.choice(("Customer - Direct", "Prospect", "Customer - Channel")),
                            "Industry": rng.choice(
                                ("Technology", "Healthcare", "Finance", "Manufacturing", "Retail")
                            ),
                            "BillingCity": rng.choice(_CITIES),
                            "BillingCountry": "United States",
                            "Phone": f"(555) {rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
                            "Website": f"https://www.{name.split()[0].lower()}{i + 1}.example",
                            "AnnualRevenue": Decimal(rng.randint(1, 500) * 10000),
                            "NumberOfEmployees": rng.randint(5, 2000),
                            "OwnerId": rng.choice(owners),
                            "CW_Company_Id__c": str(19000 + base + i),
                        },
                    )
                )
            for i, account in enumerate(accounts):
                for j in range(2):
                    first, last = rng.choice(_FIRST), rng.choice(_LAST)
                    contacts.append(
                        self._insert_raw(
                            "Contact",
                            {
                                "AccountId": account,
                                "FirstName": first,
                                "LastName": last,
                                "Email": f"{first.lower()}.{last.lower()}{i}{j}@example.com",
                                "Phone": f"(555) {rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
                                "Title": rng.choice(("CEO", "IT Manager", "Office Manager", "CFO", "Owner")),
                                "OwnerId": rng.choice(owners),
                                "CW_Contact_Id__c": str(50000 + 2 * base + i * 2 + j),
                            },
                        )
                    )
            counts["Account"], counts["Contact"] = len(accounts), len(contacts)
            today = self._now().date()
            for i in range(size):
                first, last = rng.choice(_FIRST), rng.choice(_LAST)
                self._insert_raw(
                    "Lead",
                    {
                        "FirstName": first,
                        "LastName": last,
                        "Company": f"{rng.choice(_COMPANY_A)} {rng.choice(_COMPANY_B)} Prospect {i + 1}",
                        "Email": f"{first.lower()}.{last.lower()}.lead{i}@example.com",
                        "Status": rng.choice(
                            ("Open - Not Contacted", "Working - Contacted", "Closed - Not Converted")
                        ),
                        "LeadSource": rng.choice(_LEAD_SOURCES),
                        "OwnerId": rng.choice(owners),
                    },
                )
            counts["Lead"] = size
            opps = []
            for i in range(size):
                stage = (
                    "Closed Won"
                    if i % 3 == 0
                    else rng.choice(
                        (
                            "Prospecting",
                            "Qualification",
                            "Proposal/Price Quote",
                            "Negotiation/Review",
                            "Closed Lost",
                        )
                    )
                )
                opps.append(
                    self._insert_raw(
                        "Opportunity",
                        {
                            "Name": f"Managed services {i + 1}",
                            "AccountId": accounts[i % len(accounts)] if accounts else None,
                            "StageName": stage,
                            "CloseDate": today + timedelta(days=rng.randint(-90, 90)),
                            "Amount": Decimal(rng.randint(10, 500) * 100),
                            "Type": rng.choice(("New Customer", "Renewal", "Existing Customer - Upgrade")),
                            "OwnerId": rng.choice(owners),
                        },
                    )
                )
            counts["Opportunity"] = len(opps)
            for i in range(size):
                self._insert_raw(
                    "Case",
                    {
                        "Subject": rng.choice(
                            (
                                "Email not syncing",
                                "VPN down",
                                "New laptop setup",
                                "Printer offline",
                                "Backup failed",
                            )
                        ),
                        "Status": rng.choice(("New", "Working", "Escalated", "Closed")),
                        "Priority": rng.choice(("High", "Medium", "Low")),
                        "Origin": rng.choice(("Phone", "Email", "Web")),
                        "AccountId": accounts[i % len(accounts)] if accounts else None,
                        "ContactId": contacts[(i * 2) % len(contacts)] if contacts else None,
                        "OwnerId": rng.choice(owners),
                        "CW_Ticket_Id__c": str(80000 + base + i),
                    },
                )
            counts["Case"] = size
            for i in range(size):
                self._insert_raw(
                    "Task",
                    {
                        "Subject": rng.choice(("Call", "Email", "Send Quote", "Follow up on invoice")),
                        "Status": rng.choice(("Not Started", "In Progress", "Completed")),
                        "Priority": rng.choice(("High", "Normal", "Low")),
                        "ActivityDate": today + timedelta(days=rng.randint(-30, 30)),
                        "WhoId": contacts[i % len(contacts)] if contacts else None,
                        "WhatId": accounts[i % len(accounts)] if accounts else None,
                        "OwnerId": rng.choice(owners),
                    },
                )
            counts["Task"] = size
            for i in range(max(1, size // 2) if accounts else 0):
                self._insert_raw(
                    "Contract",
                    {
                        "AccountId": accounts[i],
                        "Status": rng.choice(("Draft", "Activated")),
                        "StartDate": today - timedelta(days=rng.randint(0, 700)),
                        "ContractTerm": rng.choice((12, 24, 36)),
                        "OwnerId": rng.choice(owners),
                        "CW_Agreement_Id__c": str(3000 + base + i),
                    },
                )
            counts["Contract"] = max(1, size // 2) if accounts else 0
        return counts


_MESSAGES = {
    "UNABLE_TO_LOCK_ROW": "unable to obtain exclusive access to this record or 1 records",
    "SERVER_UNAVAILABLE": "Server unavailable, please try again",
}
_FIRST = (
    "Ava",
    "Ben",
    "Chloe",
    "Dan",
    "Emma",
    "Finn",
    "Grace",
    "Hugo",
    "Isla",
    "Jack",
    "Kate",
    "Liam",
    "Mia",
    "Noah",
)
_LAST = (
    "Adams",
    "Baker",
    "Clark",
    "Davis",
    "Evans",
    "Foster",
    "Green",
    "Hughes",
    "Irwin",
    "Jones",
    "King",
    "Lopez",
)
_COMPANY_A = (
    "Acme",
    "Northwind",
    "Contoso",
    "Fabrikam",
    "Globex",
    "Initech",
    "Umbrella",
    "Stark",
    "Wayne",
    "Tyrell",
)
_COMPANY_B = ("Dental", "Logistics", "Law Group", "Clinic", "Manufacturing", "Realty", "Accounting", "Foods")
_CITIES = ("Austin", "Denver", "Boston", "Seattle", "Chicago", "Atlanta", "Phoenix", "Portland")
_LEAD_SOURCES = ("Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other")


def _norm(value: Any) -> str:
    return value.lower() if isinstance(value, str) else str(value)


def _eq(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return a.lower() == b.lower()
    if a is None or b is None:
        return False
    return str(a) == str(b)


def _b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _parse_param_dt(text: str) -> datetime:
    value = text.strip().replace(" ", "+").replace("Z", "+00:00")
    if re.search(r"[+-]\d{4}$", value):
        value = value[:-2] + ":" + value[-2:]
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError("naive")
    return parsed.astimezone(timezone.utc)


def _halted(ref: str) -> dict[str, Any]:
    return {
        "body": [
            {
                "errorCode": "PROCESSING_HALTED",
                "message": "The transaction was rolled back since another operation in the same transaction failed.",
            }
        ],
        "httpHeaders": {},
        "httpStatusCode": 400,
        "referenceId": ref,
    }


_REF = re.compile(r"@\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+|\[\d+\])+)\}")


def _substitute(value: Any, results: Mapping[str, Any]) -> Any:
    if isinstance(value, str):

        def repl(found: re.Match[str]) -> str:
            ref = found.group(1)
            if ref not in results:
                raise KeyError(found.group(0))
            current: Any = results[ref]
            for step in re.findall(r"\.([A-Za-z0-9_]+)|\[(\d+)\]", found.group(2)):
                name, index = step
                try:
                    current = current[int(index)] if index else current[name]
                except (KeyError, IndexError, TypeError):
                    raise KeyError(found.group(0)) from None
            return str(current)

        return _REF.sub(repl, value)
    if isinstance(value, Mapping):
        return {k: _substitute(v, results) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v, results) for v in value]
    return value


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _csv(head: Sequence[str], rows: Sequence[Mapping[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(head)
    for row in rows:
        writer.writerow([row.get(h, "") for h in head])
    return buffer.getvalue()
