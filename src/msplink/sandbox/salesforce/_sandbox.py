"""``SalesforceSandbox``: an in-memory Salesforce org speaking the real REST wire protocol.

Independent of the client package: OAuth token endpoint (JWT bearer with signature check, client
credentials, refresh token), expiring sessions (401 ``INVALID_SESSION_ID``), sObject CRUD with
describe-driven validation, SOQL query/queryAll with ``nextRecordsUrl`` cursors (child sets page through
their own), aggregate queries, polymorphic relationships (``Owner.Type``), upsert by external
id, sObject Collections, Composite, Bulk API 2.0 over CSV, getUpdated/getDeleted, ``/limits`` and
``Sforce-Limit-Info``, and injectable ``UNABLE_TO_LOCK_ROW`` / ``REQUEST_LIMIT_EXCEEDED`` errors.

The class is the HTTP surface: routes, the per-request session and limit checks, and the public
test API. State lives in :class:`~msplink.sandbox.salesforce._org.Org` (records, validation, SOQL),
the OAuth server in ``_auth``, Bulk jobs in ``_bulk``, the handlers in ``_rest`` and ``_composite``.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timezone
from typing import Any, ClassVar
from urllib.parse import urlencode

from msplink.sandbox._framework import Sandbox, SandboxRateLimit, SandboxRequest, SandboxResponse
from msplink.sandbox.salesforce._auth import INTEGRATION_USERNAME, OAuthServer
from msplink.sandbox.salesforce._bulk import BulkJobs
from msplink.sandbox.salesforce._common import (
    MESSAGES,
    Injection,
    Injections,
    RecordFailure,
    V,
    error,
)
from msplink.sandbox.salesforce._composite import Composite
from msplink.sandbox.salesforce._org import Org
from msplink.sandbox.salesforce._rest import URI_MAX, RestApi
from msplink.sandbox.salesforce._schema import FieldSpec, ObjectSpec
from msplink.sandbox.salesforce._seed import generate
from msplink.sandbox.salesforce._soql import ParsedQuery, SoqlError

__all__ = ["SalesforceSandbox"]

Handler = Callable[[SandboxRequest], SandboxResponse]


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

    Attributes:
        org: The org's state (records, metadata, validation, SOQL): seeding modules write through it.
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
        self._injections = Injections()
        self.org = Org(wall=wall_clock or (lambda: datetime.now(timezone.utc)), injections=self._injections)
        self._usage: deque[float] = deque()
        self.daily_api_limit = daily_api_limit
        if clock is not None:
            options["clock"] = clock
        self._rest = RestApi(self.org)
        self._bulk = BulkJobs(self.org)
        self._composite = Composite(self.org, self._dispatch)
        super().__init__(seed=seed, **options)
        self.oauth = OAuthServer(
            self.org,
            clock=lambda: self._clock(),
            session_ttl=session_ttl,
            rotate_refresh_tokens=rotate_refresh_tokens,
            instance_url=instance_url,
        )

    # ------------------------------------------------------------------------------ org setup

    @property
    def integration_user_id(self) -> str:
        """The integration user's id (the user tokens act as by default)."""
        return self.oauth.integration_user_id

    @property
    def client_id(self) -> str:
        """The connected app's consumer key."""
        return self.oauth.client_id

    @property
    def refresh_token(self) -> str:
        """The integration user's current refresh token."""
        return self.oauth.refresh_token

    @property
    def instance_url(self) -> str:
        """The ``instance_url`` tokens name."""
        return self.oauth.instance_url

    @instance_url.setter
    def instance_url(self, value: str) -> None:
        self.oauth.instance_url = value

    @property
    def session_ttl(self) -> float:
        """Seconds a new session lives."""
        return self.oauth.session_ttl

    @session_ttl.setter
    def session_ttl(self, value: float) -> None:
        self.oauth.session_ttl = value

    @property
    def rotate_refresh_tokens(self) -> bool:
        """Whether a refresh issues a new refresh token (and invalidates the old one)."""
        return self.oauth.rotate_refresh_tokens

    @rotate_refresh_tokens.setter
    def rotate_refresh_tokens(self, value: bool) -> None:
        self.oauth.rotate_refresh_tokens = value

    def register_public_key(self, client_id: str, public_key_pem: bytes) -> None:
        """Register a connected app's certificate public key for the JWT bearer flow."""
        self.oauth.register_public_key(client_id, public_key_pem)

    def credentials(self) -> dict[str, Any]:
        """Working credentials: client id/secret, JWT user and private key, refresh token, a live session."""
        creds: dict[str, Any] = {
            "login_url": "https://login.salesforce.com",
            "instance_url": self.instance_url,
            "client_id": self.client_id,
            "client_secret": self.oauth.client_secret(),
            "username": INTEGRATION_USERNAME,
            "refresh_token": self.refresh_token,
            "access_token": self.oauth.new_session(self.integration_user_id),
        }
        try:
            creds["private_key"] = self.oauth.key_pair().private_pem.decode("ascii")
        except ImportError:
            creds["private_key"] = None
        return creds

    def add_field(self, sobject: str, name: str, *, type: str = "string", **options: Any) -> None:
        """Add a custom field (``picklist=``, ``restricted=``, ``external_id=``, ``unique=``, ``required=``)."""
        self.org.add_field(sobject, name, type=type, **options)

    def add_object(self, name: str, *, key_prefix: str = "a00", fields: Iterable[FieldSpec] = ()) -> None:
        """Add a custom object (``Project__c``) with system fields, ``Name`` and the given fields."""
        self.org.add_object(name, key_prefix=key_prefix, fields=fields)

    def expire_sessions(self) -> None:
        """End every session: the next API call gets 401 ``INVALID_SESSION_ID``."""
        with self._lock:
            self.oauth.end_all_sessions()

    def expire_credentials(self, request: SandboxRequest) -> None:
        """End the session the request carries (``TOKEN_EXPIRY`` faults)."""
        token = self.oauth.bearer(request)
        if token:
            self.oauth.end_session(token)

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
        self._injections.add(Injection(code, times, per_record, method, path, message))

    def records(self, sobject: str, *, include_deleted: bool = False) -> list[dict[str, Any]]:
        """A copy of the stored records of an object (for assertions)."""
        return self.org.records(sobject, include_deleted=include_deleted)

    def insert(self, sobject: str, values: dict[str, Any]) -> str:
        """Store a record directly (no HTTP, no validation; Python values: ``date``, ``Decimal``); its id."""
        with self._lock:
            return self.org.insert_raw(sobject, values)

    def _insert_raw(self, sobject: str, values: dict[str, Any]) -> str:
        """Alias of :meth:`insert` kept for existing callers."""
        return self.insert(sobject, values)

    def run_query(
        self, statement: str, *, include_deleted: bool = False
    ) -> tuple[ParsedQuery, ObjectSpec, list[dict[str, Any]]]:
        """Parse and evaluate SOQL; returns the parsed query, the object and the matching raw rows."""
        return self.org.run_query(statement, include_deleted=include_deleted)

    @property
    def api_usage(self) -> int:
        """API requests counted in the rolling 24 hours."""
        self._trim_usage()
        return len(self._usage)

    def seed(self, *, size: int = 100, seed: int = 0) -> dict[str, int]:
        """Fill the org with a deterministic MSP dataset: ``size`` accounts, two contacts each, leads,
        opportunities (about a third Closed Won), cases, tasks and contracts; two queues (``Group`` of type
        ``Queue``) own every seventh lead and case.

        Returns:
            Counts created per object.
        """
        with self._lock:
            return generate(self.org, size=size, seed=seed)

    # ------------------------------------------------------------------------------ framework hooks

    def default_rate_limits(self) -> Sequence[SandboxRateLimit]:
        """25 concurrent long requests per org (production/sandbox orgs)."""
        return (SandboxRateLimit(name="ConcurrentPerOrgLongTxn", max_concurrent=25),)

    def rate_limited_response(
        self, request: SandboxRequest, retry_after: float, limit: str
    ) -> SandboxResponse:
        """Salesforce refuses with 403 REQUEST_LIMIT_EXCEEDED (no 429, no Retry-After)."""
        return error(403, "REQUEST_LIMIT_EXCEEDED", "ConcurrentPerOrgLongTxn Limit exceeded.")

    def server_error_response(self, request: SandboxRequest, status: int) -> SandboxResponse:
        """5xx in Salesforce's array shape."""
        code = "SERVER_UNAVAILABLE" if status == 503 else "UNKNOWN_EXCEPTION"
        return error(status, code, "An unexpected error occurred. Please try again.")

    def not_found_response(self, request: SandboxRequest) -> SandboxResponse:
        """Unknown resource."""
        return error(404, "NOT_FOUND", "The requested resource does not exist")

    def method_not_allowed_response(self, request: SandboxRequest) -> SandboxResponse:
        """Known resource, wrong method."""
        return error(405, "METHOD_NOT_ALLOWED", f"HTTP Method '{request.method}' not allowed.")

    def invalid_body_response(self, request: SandboxRequest, message: str) -> SandboxResponse:
        """Unreadable JSON."""
        return error(400, "JSON_PARSER_ERROR", message)

    # ------------------------------------------------------------------------------------ routes

    def _register_routes(self) -> None:
        add, api, rest, bulk, comp = self.router.add, self._api, self._rest, self._bulk, self._composite
        add("POST", "/services/oauth2/token", lambda r: self.oauth.token(r))
        add("GET", "/services/data", lambda r: self.oauth.versions(r))
        add("POST", "/services/oauth2/revoke", lambda r: self.oauth.revoke(r))
        add("GET", "/services/oauth2/userinfo", lambda r: self.oauth.userinfo(r))
        add("GET", V, api(rest.resources))
        add("GET", V + "/limits", api(self._limits))
        add("GET", V + "/query", api(lambda r: rest.query(r, False)))
        add("GET", V + "/queryAll", api(lambda r: rest.query(r, True)))
        add("GET", V + "/query/{locator}", api(rest.query_more))
        add("GET", V + "/queryAll/{locator}", api(rest.query_more))
        add("GET", V + "/sobjects", api(rest.global_describe))
        add("GET", V + "/sobjects/{sobject}/describe", api(rest.describe))
        add("GET", V + "/sobjects/{sobject}", api(rest.basic_info))
        add("GET", V + "/sobjects/{sobject}/updated", api(rest.updated))
        add("GET", V + "/sobjects/{sobject}/deleted", api(rest.deleted))
        add("POST", V + "/sobjects/{sobject}", api(rest.create))
        add("GET", V + "/sobjects/{sobject}/{id}", api(rest.get))
        add("PATCH", V + "/sobjects/{sobject}/{id}", api(rest.update))
        add("DELETE", V + "/sobjects/{sobject}/{id}", api(rest.delete))
        add("GET", V + "/sobjects/{sobject}/{field}/{value:path}", api(rest.get_by_external))
        add("PATCH", V + "/sobjects/{sobject}/{field}/{value:path}", api(rest.upsert))
        add("POST", V + "/composite/sobjects", api(comp.create))
        add("PATCH", V + "/composite/sobjects", api(comp.update))
        add("DELETE", V + "/composite/sobjects", api(comp.delete))
        add("GET", V + "/composite/sobjects/{sobject}", api(comp.retrieve))
        add("POST", V + "/composite/sobjects/{sobject}", api(comp.retrieve))
        add("PATCH", V + "/composite/sobjects/{sobject}/{field}", api(comp.upsert))
        add("POST", V + "/composite", api(comp.composite))
        add("POST", V + "/jobs/ingest", api(bulk.ingest_create))
        add("GET", V + "/jobs/ingest/{job}", api(bulk.ingest_get))
        add("PATCH", V + "/jobs/ingest/{job}", api(bulk.ingest_state))
        add("DELETE", V + "/jobs/ingest/{job}", api(bulk.job_delete))
        add("PUT", V + "/jobs/ingest/{job}/batches", api(bulk.ingest_upload))
        add("GET", V + "/jobs/ingest/{job}/successfulResults", api(lambda r: bulk.ingest_results(r, "ok")))
        add("GET", V + "/jobs/ingest/{job}/failedResults", api(lambda r: bulk.ingest_results(r, "failed")))
        add("GET", V + "/jobs/ingest/{job}/unprocessedrecords", api(lambda r: bulk.ingest_results(r, "un")))
        add("POST", V + "/jobs/query", api(bulk.query_job_create))
        add("GET", V + "/jobs/query/{job}", api(bulk.query_job_get))
        add("GET", V + "/jobs/query/{job}/results", api(bulk.query_job_results))

    # -------------------------------------------------------------------------------- plumbing

    def _trim_usage(self) -> None:
        now = self._clock()
        while self._usage and self._usage[0] <= now - 86400:
            self._usage.popleft()

    def _limit_header(self) -> dict[str, str]:
        return {"Sforce-Limit-Info": f"api-usage={self.api_usage}/{self.daily_api_limit}"}

    def _api(self, handler: Handler) -> Handler:
        """Wrap a REST handler: session check, daily allocation, injected errors, error bodies."""

        def wrapped(request: SandboxRequest) -> SandboxResponse:
            if self._composite.nested:  # a subrequest: its URL travels in the body, not the URI
                return handler(request)
            uri = len(request.raw_path or request.path) + len(urlencode(request.query)) + 1
            if uri > URI_MAX:  # REFERENCE §5 (help article 000386264): before any session check
                return SandboxResponse.text(414, "URI Too Long", content_type="text/html")
            token = self.oauth.bearer(request)
            user = self.oauth.session_user(token)
            if user is None:
                if token:
                    self.oauth.end_session(token)
                return error(401, "INVALID_SESSION_ID", "Session expired or invalid")
            self.org.user = user
            self.org.version = request.path_params.get("version", "62.0")
            self._trim_usage()
            if len(self._usage) >= self.daily_api_limit:
                return error(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.").with_headers(
                    self._limit_header()
                )
            self._usage.append(self._clock())
            injected = self._injections.take(request, per_record=False)
            if injected is not None:
                if injected.code == "REQUEST_LIMIT_EXCEEDED":
                    response = error(
                        403, injected.code, injected.message or "ConcurrentPerOrgLongTxn Limit exceeded."
                    )
                else:
                    response = error(
                        400, injected.code, injected.message or MESSAGES.get(injected.code, injected.code)
                    )
                return response.with_headers(self._limit_header())
            try:
                response = handler(request)
            except RecordFailure as failure:
                response = SandboxResponse.json(failure.status, [failure.body()])
            except SoqlError as exc:
                response = error(400, exc.code, exc.message)
            return response.with_headers(self._limit_header())

        return wrapped

    def _limits(self, request: SandboxRequest) -> SandboxResponse:
        """``GET /limits``: the daily API allocation and Bulk job counts."""
        used = self.api_usage
        bulk_used = len(self._bulk.jobs)
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
