"""``SalesforceClient`` and ``AsyncSalesforceClient``: thin shells over the executors (STYLE R7-R8).

A client holds the configuration, the executor and the state shared with its ``with_options``
copies (the last ``Sforce-Limit-Info`` reading, the describe cache); the resources
(:mod:`msplink.salesforce._resources`) do the work.
"""

from __future__ import annotations

import copy
import os
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator, Mapping
from typing import Any, TypeVar

import httpx

from msplink._core import (
    AsyncExecutor,
    AsyncPaginator,
    Call,
    CallCounter,
    Paginator,
    RateLimit,
    RetryPolicy,
    SyncExecutor,
)
from msplink.errors import ConfigurationError, MsplinkError
from msplink.salesforce import _calls as calls
from msplink.salesforce import _plans as plans
from msplink.salesforce import soql
from msplink.salesforce._auth import (
    DEFAULT_LOGIN_URL,
    PLACEHOLDER_INSTANCE_URL,
    AccessTokenAuth,
    ClientCredentialsAuth,
    JWTBearerAuth,
    RefreshTokenAuth,
)
from msplink.salesforce._bulk import AsyncBulk, Bulk
from msplink.salesforce._errors import PLATFORM, hint_for
from msplink.salesforce._resources import (
    AsyncCollections,
    AsyncComposite,
    AsyncSObjects,
    Collections,
    Composite,
    SObjects,
)
from msplink.salesforce.models import (
    Account,
    Case,
    Contact,
    Contract,
    Lead,
    LimitInfo,
    Limits,
    Opportunity,
    Record,
    SObjectDescribe,
    Task,
    User,
)

__all__ = ["DEFAULT_API_VERSION", "AsyncSalesforceClient", "SalesforceClient"]

DEFAULT_API_VERSION = "62.0"

_C = TypeVar("_C", bound="_ClientBase")


class _State:
    """Mutable state shared by a client and its ``with_options`` copies."""

    def __init__(self) -> None:
        self.limit_info: LimitInfo | None = None
        self.describes: dict[str, SObjectDescribe] = {}

    def observe(self, response: httpx.Response) -> None:
        reading = LimitInfo.parse(response.headers.get("Sforce-Limit-Info"))
        if reading is not None:
            self.limit_info = reading


class _ObservingAuth(httpx.Auth):
    """Wraps the caller's auth to read ``Sforce-Limit-Info`` from every response."""

    def __init__(self, inner: httpx.Auth, state: _State) -> None:
        self.inner = inner
        self.state = state
        self.requires_response_body = getattr(inner, "requires_response_body", False)
        self.requires_request_body = getattr(inner, "requires_request_body", False)

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        flow = self.inner.sync_auth_flow(request)
        try:  # closing the inner flow releases its renewal locks at once, however this one ends
            outgoing = next(flow)
            while True:
                response = yield outgoing
                self.state.observe(response)
                try:
                    outgoing = flow.send(response)
                except StopIteration:
                    return
        finally:
            flow.close()

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        flow = self.inner.async_auth_flow(request)
        try:
            outgoing = await flow.__anext__()
            while True:
                response = yield outgoing
                self.state.observe(response)
                try:
                    outgoing = await flow.asend(response)
                except StopAsyncIteration:
                    return
        finally:
            await flow.aclose()


def _auth_from_env(env: Mapping[str, str]) -> httpx.Auth:
    login = env.get("MSPLINK_SF_LOGIN_URL", DEFAULT_LOGIN_URL)
    client_id = env.get("MSPLINK_SF_CLIENT_ID", "")
    if env.get("MSPLINK_SF_ACCESS_TOKEN") and env.get("MSPLINK_SF_INSTANCE_URL"):
        return AccessTokenAuth(
            access_token=env["MSPLINK_SF_ACCESS_TOKEN"], instance_url=env["MSPLINK_SF_INSTANCE_URL"]
        )
    key = env.get("MSPLINK_SF_PRIVATE_KEY")
    if not key and env.get("MSPLINK_SF_PRIVATE_KEY_FILE"):
        with open(env["MSPLINK_SF_PRIVATE_KEY_FILE"], encoding="utf-8") as handle:
            key = handle.read()
    if key and env.get("MSPLINK_SF_USERNAME") and client_id:
        return JWTBearerAuth(
            client_id=client_id, username=env["MSPLINK_SF_USERNAME"], private_key=key, login_url=login
        )
    if env.get("MSPLINK_SF_REFRESH_TOKEN") and client_id:
        return RefreshTokenAuth(
            client_id=client_id,
            client_secret=env.get("MSPLINK_SF_CLIENT_SECRET") or None,
            refresh_token=env["MSPLINK_SF_REFRESH_TOKEN"],
            login_url=login,
        )
    if client_id and env.get("MSPLINK_SF_CLIENT_SECRET"):
        return ClientCredentialsAuth(
            client_id=client_id, client_secret=env["MSPLINK_SF_CLIENT_SECRET"], login_url=login
        )
    raise ConfigurationError(
        "Salesforce credentials incomplete: set MSPLINK_SF_CLIENT_ID with MSPLINK_SF_USERNAME + "
        "MSPLINK_SF_PRIVATE_KEY(_FILE) (JWT), MSPLINK_SF_CLIENT_SECRET (client credentials) or "
        "MSPLINK_SF_REFRESH_TOKEN; or MSPLINK_SF_ACCESS_TOKEN + MSPLINK_SF_INSTANCE_URL"
    )


def _env_options(environ: Mapping[str, str] | None, options: dict[str, Any]) -> dict[str, Any]:
    """Constructor arguments from ``MSPLINK_SF_*`` variables (``auth`` and ``api_version``) and ``options``."""
    env = os.environ if environ is None else environ
    options.setdefault("api_version", env.get("MSPLINK_SF_API_VERSION", DEFAULT_API_VERSION))
    return {"auth": _auth_from_env(env), **options}


def _raw_call(
    version: str,
    method: str,
    url: str,
    params: Mapping[str, str] | None,
    json: Any,
    content: bytes | None,
    headers: Mapping[str, str] | None,
) -> Call[httpx.Response]:
    target = url if url.startswith(("/", "http://", "https://")) else f"{calls.base(version)}/{url}"
    return Call(
        method=method,
        path=target,
        params=dict(params or {}),
        json=json,
        content=content,
        headers=dict(headers or {}),
        parse=lambda response: response,
    )


class _ClientBase:
    """What both twins share: configuration, base URL resolution, limit readings, the call counter."""

    api_version: str
    _state: _State
    _auth: httpx.Auth
    _instance_url: str | None
    _executor: SyncExecutor | AsyncExecutor

    def _configure(self, auth: httpx.Auth, api_version: str, instance_url: str | None) -> None:
        if not isinstance(auth, httpx.Auth):
            raise ConfigurationError("auth must be an httpx.Auth (JWTBearerAuth, ClientCredentialsAuth, ...)")
        self.api_version = calls.check_version(api_version)
        self._auth = auth
        self._instance_url = instance_url.rstrip("/") if instance_url else None
        self._state = _State()

    def _hint(self, exc: MsplinkError) -> str | None:
        flows = {JWTBearerAuth: "jwt", ClientCredentialsAuth: "client", RefreshTokenAuth: "refresh"}
        flow = next((name for cls, name in flows.items() if isinstance(self._auth, cls)), "token")
        return hint_for(exc, flow=flow, login_url=getattr(self._auth, "login_url", None))

    def _base_url(self) -> str:
        return self._instance_url or getattr(self._auth, "instance_url", None) or PLACEHOLDER_INSTANCE_URL

    @property
    def limit_info(self) -> LimitInfo | None:
        """The last ``Sforce-Limit-Info`` reading (``api-usage=used/max``), or ``None`` before any call."""
        return self._state.limit_info

    @property
    def auth(self) -> httpx.Auth:
        """The auth strategy."""
        return self._auth

    def _copy(self: _C, executor: Any) -> _C:
        """A copy on another executor (``with_options``), sharing the state and the connection pool."""
        clone = copy.copy(self)
        clone._executor = executor
        clone._bind()
        return clone

    def _bind(self) -> None:
        raise TypeError("_ClientBase is abstract")

    @property
    def api_calls(self) -> CallCounter:
        """The HTTP requests this client (and its ``with_options`` copies) sent, retries included."""
        return self._executor.api_calls

    def __repr__(self) -> str:
        return f"{type(self).__name__}(auth={self._auth!r}, api_version={self.api_version!r})"


class SalesforceClient(_ClientBase):
    """The synchronous Salesforce client.

    Args:
        auth: An ``httpx.Auth`` strategy (:class:`JWTBearerAuth`, :class:`ClientCredentialsAuth`,
            :class:`RefreshTokenAuth`, :class:`AccessTokenAuth`); its token's ``instance_url`` is the base URL.
        api_version: The pinned REST API version.
        instance_url: Override the base URL (normally learnt from the token).
        transport: An httpx transport (tests: ``sandbox.transport()``).
        http_client: Borrow an ``httpx.Client`` instead (not closed by this client).
        retry: The :class:`RetryPolicy`; concurrent ``REQUEST_LIMIT_EXCEEDED`` is retried too.
        timeout: Seconds or an ``httpx.Timeout``.
        sleep: Injected sleep (retries, Bulk polling); tests pass a fake clock's.
        rate_limit: Client-side request rate / concurrency limit.
        app_name: Appended to the User-Agent.
    """

    _executor: SyncExecutor

    def __init__(
        self,
        *,
        auth: httpx.Auth,
        api_version: str = DEFAULT_API_VERSION,
        instance_url: str | None = None,
        transport: httpx.BaseTransport | None = None,
        http_client: httpx.Client | None = None,
        retry: RetryPolicy | None = None,
        timeout: httpx.Timeout | float | None = None,
        sleep: Callable[[float], object] | None = None,
        rate_limit: RateLimit | None = None,
        app_name: str | None = None,
    ) -> None:
        self._configure(auth, api_version, instance_url)
        self._executor = SyncExecutor(
            platform=PLATFORM,
            base_url=self._base_url,
            auth=_ObservingAuth(auth, self._state),
            headers={"Sforce-Call-Options": f"client={app_name or 'msplink'}"},
            retry=retry,
            timeout=timeout,
            rate_limit=rate_limit,
            transport=transport,
            http_client=http_client,
            sleep=sleep,
            app_name=app_name,
            hints=self._hint,
        )
        self._bind()

    def _bind(self) -> None:
        x, v, describes = self._executor, self.api_version, self._state.describes
        self.bulk = Bulk(x, v)
        self.collections = Collections(x, v)
        self.composite = Composite(x, v)
        self.accounts = SObjects(
            x, v, "Account", Account.from_api, Account.api_fields(), bulk=self.bulk, describes=describes
        )
        self.contacts = SObjects(
            x, v, "Contact", Contact.from_api, Contact.api_fields(), bulk=self.bulk, describes=describes
        )
        self.leads = SObjects(
            x, v, "Lead", Lead.from_api, Lead.api_fields(), bulk=self.bulk, describes=describes
        )
        self.opportunities = SObjects(
            x,
            v,
            "Opportunity",
            Opportunity.from_api,
            Opportunity.api_fields(),
            bulk=self.bulk,
            describes=describes,
        )
        self.cases = SObjects(
            x, v, "Case", Case.from_api, Case.api_fields(), bulk=self.bulk, describes=describes
        )
        self.tasks = SObjects(
            x, v, "Task", Task.from_api, Task.api_fields(), bulk=self.bulk, describes=describes
        )
        self.contracts = SObjects(
            x, v, "Contract", Contract.from_api, Contract.api_fields(), bulk=self.bulk, describes=describes
        )
        self.users = SObjects(
            x, v, "User", User.from_api, User.api_fields(), bulk=self.bulk, describes=describes
        )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **options: Any) -> SalesforceClient:
        """Build a client from ``MSPLINK_SF_*`` environment variables (``MSPLINK_SF_API_VERSION`` too).

        Args:
            environ: The variables to read (default ``os.environ``).
            **options: Any other constructor argument (``transport=``, ``retry=`` ...).

        Raises:
            ConfigurationError: The variables do not name a complete auth scheme.
        """
        return cls(**_env_options(environ, options))

    def sobject(self, name: str) -> SObjects[Record]:
        """Untyped access to any object, custom ones included (records are plain dicts)."""
        return SObjects(
            self._executor,
            self.api_version,
            name,
            calls.raw_record,
            ("Id",),
            bulk=self.bulk,
            describes=self._state.describes,
        )

    def query(
        self,
        statement: str | soql.Query,
        /,
        *,
        include_deleted: bool = False,
        limit: int | None = None,
        page_size: int | None = None,
    ) -> Paginator[Record]:
        """Run SOQL lazily (GET /query, or /queryAll with ``include_deleted``), following ``nextRecordsUrl``
        (child subqueries' own first); rows are dicts.

        Args:
            statement: A whole SOQL statement, built with :mod:`~msplink.salesforce.soql` or a string.
            include_deleted: Also deleted and archived rows (``/queryAll``).
            limit: Stop after this many rows.
            page_size: Rows per page, 200..2,000 (``Sforce-Query-Options: batchSize``; a hint).

        Raises:
            QueryError: The statement is certainly invalid (checked before any I/O).
        """
        return Paginator(
            self._executor,
            calls.query(
                self.api_version,
                str(statement),
                calls.raw_record,
                include_deleted=include_deleted,
                page_size=page_size,
            ),
            calls.next_query,
            limit=limit,
        )

    def describe(self, sobject: str, *, refresh: bool = False) -> SObjectDescribe:
        """Describe an object (GET /sobjects/{type}/describe), cached per client."""
        return self._executor.run(plans.describe(self.api_version, sobject, self._state.describes, refresh))

    def limits(self) -> Limits:
        """The org limits (GET /limits)."""
        return self._executor.execute(calls.limits(self.api_version))

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        json: Any = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """Send any request with auth, retries and error mapping (paths relative to the instance URL,
        or to the versioned base when they do not start with ``/``)."""
        return self._executor.execute(
            _raw_call(self.api_version, method, url, params, json, content, headers)
        )

    def with_options(
        self, *, retry: RetryPolicy | None = None, timeout: httpx.Timeout | float | None = None
    ) -> SalesforceClient:
        """A copy with another retry policy or timeout, sharing the connection pool and caches."""
        return self._copy(self._executor.with_options(retry=retry, timeout=timeout))

    def close(self) -> None:
        """Close the HTTP client if this client created it."""
        self._executor.close()

    def __enter__(self) -> SalesforceClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncSalesforceClient(_ClientBase):
    """The asynchronous Salesforce client (same resources and methods as :class:`SalesforceClient`)."""

    _executor: AsyncExecutor

    def __init__(
        self,
        *,
        auth: httpx.Auth,
        api_version: str = DEFAULT_API_VERSION,
        instance_url: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        http_client: httpx.AsyncClient | None = None,
        retry: RetryPolicy | None = None,
        timeout: httpx.Timeout | float | None = None,
        sleep: Callable[[float], Awaitable[object]] | None = None,
        rate_limit: RateLimit | None = None,
        app_name: str | None = None,
    ) -> None:
        self._configure(auth, api_version, instance_url)
        self._executor = AsyncExecutor(
            platform=PLATFORM,
            base_url=self._base_url,
            auth=_ObservingAuth(auth, self._state),
            headers={"Sforce-Call-Options": f"client={app_name or 'msplink'}"},
            retry=retry,
            timeout=timeout,
            rate_limit=rate_limit,
            transport=transport,
            http_client=http_client,
            sleep=sleep,
            app_name=app_name,
            hints=self._hint,
        )
        self._bind()

    def _bind(self) -> None:
        x, v, describes = self._executor, self.api_version, self._state.describes
        self.bulk = AsyncBulk(x, v)
        self.collections = AsyncCollections(x, v)
        self.composite = AsyncComposite(x, v)
        self.accounts = AsyncSObjects(
            x, v, "Account", Account.from_api, Account.api_fields(), bulk=self.bulk, describes=describes
        )
        self.contacts = AsyncSObjects(
            x, v, "Contact", Contact.from_api, Contact.api_fields(), bulk=self.bulk, describes=describes
        )
        self.leads = AsyncSObjects(
            x, v, "Lead", Lead.from_api, Lead.api_fields(), bulk=self.bulk, describes=describes
        )
        self.opportunities = AsyncSObjects(
            x,
            v,
            "Opportunity",
            Opportunity.from_api,
            Opportunity.api_fields(),
            bulk=self.bulk,
            describes=describes,
        )
        self.cases = AsyncSObjects(
            x, v, "Case", Case.from_api, Case.api_fields(), bulk=self.bulk, describes=describes
        )
        self.tasks = AsyncSObjects(
            x, v, "Task", Task.from_api, Task.api_fields(), bulk=self.bulk, describes=describes
        )
        self.contracts = AsyncSObjects(
            x, v, "Contract", Contract.from_api, Contract.api_fields(), bulk=self.bulk, describes=describes
        )
        self.users = AsyncSObjects(
            x, v, "User", User.from_api, User.api_fields(), bulk=self.bulk, describes=describes
        )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **options: Any) -> AsyncSalesforceClient:
        """Build a client from ``MSPLINK_SF_*`` environment variables (``MSPLINK_SF_API_VERSION`` too).

        Args:
            environ: The variables to read (default ``os.environ``).
            **options: Any other constructor argument (``transport=``, ``retry=`` ...).

        Raises:
            ConfigurationError: The variables do not name a complete auth scheme.
        """
        return cls(**_env_options(environ, options))

    def sobject(self, name: str) -> AsyncSObjects[Record]:
        """Untyped access to any object, custom ones included (records are plain dicts)."""
        return AsyncSObjects(
            self._executor,
            self.api_version,
            name,
            calls.raw_record,
            ("Id",),
            bulk=self.bulk,
            describes=self._state.describes,
        )

    def query(
        self,
        statement: str | soql.Query,
        /,
        *,
        include_deleted: bool = False,
        limit: int | None = None,
        page_size: int | None = None,
    ) -> AsyncPaginator[Record]:
        """Run SOQL lazily (GET /query, or /queryAll with ``include_deleted``), following ``nextRecordsUrl``
        (child subqueries' own first); rows are dicts.

        Args:
            statement: A whole SOQL statement, built with :mod:`~msplink.salesforce.soql` or a string.
            include_deleted: Also deleted and archived rows (``/queryAll``).
            limit: Stop after this many rows.
            page_size: Rows per page, 200..2,000 (``Sforce-Query-Options: batchSize``; a hint).

        Raises:
            QueryError: The statement is certainly invalid (checked before any I/O).
        """
        return AsyncPaginator(
            self._executor,
            calls.query(
                self.api_version,
                str(statement),
                calls.raw_record,
                include_deleted=include_deleted,
                page_size=page_size,
            ),
            calls.next_query,
            limit=limit,
        )

    async def describe(self, sobject: str, *, refresh: bool = False) -> SObjectDescribe:
        """Describe an object (GET /sobjects/{type}/describe), cached per client."""
        return await self._executor.run(
            plans.describe(self.api_version, sobject, self._state.describes, refresh)
        )

    async def limits(self) -> Limits:
        """The org limits (GET /limits)."""
        return await self._executor.execute(calls.limits(self.api_version))

    async def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        json: Any = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """Send any request with auth, retries and error mapping (paths relative to the instance URL,
        or to the versioned base when they do not start with ``/``)."""
        return await self._executor.execute(
            _raw_call(self.api_version, method, url, params, json, content, headers)
        )

    def with_options(
        self, *, retry: RetryPolicy | None = None, timeout: httpx.Timeout | float | None = None
    ) -> AsyncSalesforceClient:
        """A copy with another retry policy or timeout, sharing the connection pool and caches."""
        return self._copy(self._executor.with_options(retry=retry, timeout=timeout))

    async def aclose(self) -> None:
        """Close the HTTP client if this client created it."""
        await self._executor.aclose()

    async def __aenter__(self) -> AsyncSalesforceClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
