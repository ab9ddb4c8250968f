"""``ConnectWiseClient`` and ``AsyncConnectWiseClient``: thin shells over the shared executors.

Also where a tenant's API lives: region shortcuts, ``api-`` prefixed cloud hosts, on-premise FQDNs and
the codebase (REFERENCE §1), resolved lazily by the ``_plans.resolve_codebase`` plan.
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Awaitable, Callable, Mapping
from types import TracebackType
from typing import Any, Final, TypeVar

import httpx

from msplink._core import AsyncExecutor, Call, CallCounter, RateLimit, RetryPolicy, SyncExecutor, twin_doc
from msplink.connectwise import _calls as calls
from msplink.connectwise import _plans as plans
from msplink.connectwise import _resources as res
from msplink.connectwise._auth import ConnectWiseAuth
from msplink.connectwise._errors import PLATFORM, hint_for
from msplink.connectwise._tenant import (
    Tenant,
)
from msplink.connectwise.models import CompanyInfo
from msplink.errors import ConfigurationError

__all__ = [
    "DEFAULT_API_VERSION",
    "ENV_PREFIX",
    "AsyncConnectWiseClient",
    "ConnectWiseClient",
]

T = TypeVar("T")

DEFAULT_API_VERSION: Final = "2025.16"
"""The model version msplink is tested against (sent in the ``Accept`` header)."""

ENV_PREFIX = "MSPLINK_CW_"
_ENV_KEYS = ("site", "company_id", "public_key", "private_key", "client_id")


def _headers(api_version: str) -> dict[str, str]:
    if not isinstance(api_version, str) or not api_version.strip():
        raise ConfigurationError("connectwise: api_version must be a version such as '2025.16'")
    return {"Accept": f"application/vnd.connectwise.com+json; version={api_version}"}


class _SyncExecutor(SyncExecutor):
    """Resolves the codebase (once, under a lock) before the first call relative to the API root."""

    tenant: Tenant

    def execute(self, call: Call[T]) -> T:
        if self.tenant.needs_codebase(call):
            with self.tenant.lock:
                if self.tenant.codebase is None:
                    self.run(plans.resolve_codebase(self.tenant))
        return super().execute(call)


class _AsyncExecutor(AsyncExecutor):
    """The async twin of :class:`_SyncExecutor`."""

    tenant: Tenant

    async def execute(self, call: Call[T]) -> T:
        if self.tenant.needs_codebase(call):
            async with self.tenant.async_lock():
                if self.tenant.codebase is None:
                    await self.run(plans.resolve_codebase(self.tenant))
        return await super().execute(call)


def _read_env(environ: Mapping[str, str] | None) -> dict[str, str]:
    env = os.environ if environ is None else environ
    values = {key: env.get(ENV_PREFIX + key.upper(), "") for key in _ENV_KEYS}
    missing = [ENV_PREFIX + key.upper() for key, value in values.items() if not value]
    if missing:
        raise ConfigurationError(f"connectwise: missing environment variables: {', '.join(missing)}")
    optional = {
        "codebase": env.get(ENV_PREFIX + "CODEBASE"),
        "api_version": env.get(ENV_PREFIX + "API_VERSION"),
    }
    values.update({k: v for k, v in optional.items() if v})
    return values


def _executor_options(
    *,
    site: str,
    company_id: str,
    public_key: str,
    private_key: str,
    client_id: str,
    codebase: str | None,
    api_version: str,
    clock: Callable[[], float] | None,
) -> tuple[Tenant, dict[str, Any]]:
    tenant = Tenant(site=site, company_id=company_id, codebase=codebase)
    auth = ConnectWiseAuth(
        company_id=company_id, public_key=public_key, private_key=private_key, client_id=client_id
    )
    options: dict[str, Any] = {
        "platform": PLATFORM,
        "base_url": tenant.base_url,
        "auth": auth,
        "headers": _headers(api_version),
        "clock": clock or time.monotonic,
        "hints": functools.partial(hint_for, tenant=tenant),
    }
    return tenant, options


class _ClientBase:
    _executor: Any

    @property
    def codebase(self) -> str | None:
        """The codebase in use (``v2025_1/``), or ``None`` until the first call resolves it."""
        codebase: str | None = self._executor.tenant.codebase
        return codebase

    @property
    def base_url(self) -> str:
        """The API base URL (``https://api-na.myconnectwise.net/v2025_1/apis/3.0``) once resolved."""
        url: str = self._executor.tenant.base_url()
        return url

    @property
    def api_calls(self) -> CallCounter:
        """The requests this client (and its ``with_options`` copies) sent, retries and discovery included."""
        counter: CallCounter = self._executor.api_calls
        return counter

    def __repr__(self) -> str:
        tenant = self._executor.tenant
        return f"{type(self).__name__}(site={tenant.host!r}, company_id={tenant.company_id!r})"


class ConnectWiseClient(_ClientBase):
    """A synchronous ConnectWise Manage REST API 3.0 client.

    Constructing it does no I/O and reads no environment (see :meth:`from_env`). The codebase is
    discovered lazily with ``GET /login/companyinfo/{company}`` on the first call (and cached) unless
    ``codebase=`` is given.

    Args:
        site: A region (``na``, ``eu``, ``au``, ``staging``), a cloud host (the ``api-`` prefix is
            added) or an on-premise FQDN.
        company_id: The company id of the PSA login screen.
        public_key: The API member's public key.
        private_key: The API member's private key (never logged or shown).
        client_id: The integration's clientId GUID.
        codebase: Skip discovery and use this codebase (``v2025_1`` or ``v4_6_release``).
        api_version: The model version sent in ``Accept`` (default ``2025.16``).
        transport: An httpx transport (tests: ``sandbox.transport()``).
        http_client: An httpx client to borrow instead (not closed by this client).
        retry: The retry policy (default :class:`~msplink.RetryPolicy`).
        timeout: Seconds or an ``httpx.Timeout`` (default 30 s, 5 s to connect).
        sleep: How to wait (tests inject a fake clock's ``sleep``).
        rate_limit: Client-side limit (default 1000 requests/minute).
        app_name: Appended to the User-Agent.
        clock: Monotonic clock of the client-side rate limiter (tests pass a fake clock with ``sleep``).

    Raises:
        ConfigurationError: A setting is missing or invalid.
    """

    def __init__(
        self,
        *,
        site: str,
        company_id: str,
        public_key: str,
        private_key: str,
        client_id: str,
        codebase: str | None = None,
        api_version: str = DEFAULT_API_VERSION,
        transport: httpx.BaseTransport | None = None,
        http_client: httpx.Client | None = None,
        retry: RetryPolicy | None = None,
        timeout: httpx.Timeout | float | None = None,
        sleep: Callable[[float], object] | None = None,
        rate_limit: RateLimit | None = None,
        app_name: str | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        tenant, options = _executor_options(
            site=site,
            company_id=company_id,
            public_key=public_key,
            private_key=private_key,
            client_id=client_id,
            codebase=codebase,
            api_version=api_version,
            clock=clock,
        )
        executor = _SyncExecutor(
            **options,
            retry=retry,
            timeout=timeout,
            rate_limit=rate_limit,
            transport=transport,
            http_client=http_client,
            sleep=sleep,
            app_name=app_name,
        )
        executor.tenant = tenant
        self._executor = executor
        self._bind()

    def _bind(self) -> None:
        ex = self._executor
        self.companies = res.Companies(ex, res.COMPANIES)
        self.contacts = res.Contacts(ex, res.CONTACTS)
        self.agreements = res.Agreements(ex, res.AGREEMENTS)
        self.invoices = res.Invoices(ex, res.INVOICES)
        self.billing_terms = res.Resource(ex, res.BILLING_TERMS)
        self.tax_codes = res.Resource(ex, res.TAX_CODES)
        self.time_entries = res.Resource(ex, res.TIME_ENTRIES)
        self.tickets = res.Resource(ex, res.TICKETS)
        self.boards = res.Boards(ex, res.BOARDS)
        self.priorities = res.Resource(ex, res.PRIORITIES)
        self.projects = res.Resource(ex, res.PROJECTS)
        self.purchase_orders = res.PurchaseOrders(ex, res.PURCHASE_ORDERS)
        self.catalog_items = res.Resource(ex, res.CATALOG_ITEMS)
        self.product_items = res.Resource(ex, res.PRODUCT_ITEMS)
        self.opportunities = res.Resource(ex, res.OPPORTUNITIES)
        self.members = res.Resource(ex, res.MEMBERS)
        self.callbacks = res.Callbacks(ex, res.CALLBACKS)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **options: Any) -> ConnectWiseClient:
        """Build a client from ``MSPLINK_CW_SITE``, ``_COMPANY_ID``, ``_PUBLIC_KEY``, ``_PRIVATE_KEY``,
        ``_CLIENT_ID`` (and optional ``_CODEBASE``, ``_API_VERSION``); ``options`` go to the constructor.

        Args:
            environ: The variables to read (default ``os.environ``).
            **options: Further constructor arguments (``transport=``, ``retry=`` ...).

        Raises:
            ConfigurationError: A variable is missing.
        """
        return cls(**{**_read_env(environ), **options})

    def company_info(self) -> CompanyInfo:
        """Fetch the tenant's company info (``GET /login/companyinfo/{companyId}``); also sets the codebase.

        Raises:
            APIError: The answer is not company info (``invalid_codebase`` for a hostile codebase).
        """
        info: CompanyInfo = self._executor.run(plans.company_info(self._executor.tenant))
        return info

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json: object = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """Send any request relative to ``.../apis/3.0`` (e.g. ``GET /system/info``) with auth,
        retries and error mapping; returns the raw response.

        Raises:
            APIError: The status is >= 400 (typed by meaning).
        """
        response: httpx.Response = self._executor.execute(calls.raw_call(method, path, params, json, headers))
        return response

    def with_options(
        self, *, retry: RetryPolicy | None = None, timeout: httpx.Timeout | float | None = None
    ) -> ConnectWiseClient:
        """A copy sharing the connection pool, rate limiter and codebase, with another retry or timeout."""
        clone = object.__new__(ConnectWiseClient)
        clone._executor = self._executor.with_options(retry=retry, timeout=timeout)
        clone._bind()
        return clone

    def close(self) -> None:
        """Close the HTTP client if this client created it."""
        self._executor.close()

    def __enter__(self) -> ConnectWiseClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncConnectWiseClient(_ClientBase):
    """The asynchronous twin of :class:`ConnectWiseClient` (same arguments, ``await`` the verbs)."""

    def __init__(
        self,
        *,
        site: str,
        company_id: str,
        public_key: str,
        private_key: str,
        client_id: str,
        codebase: str | None = None,
        api_version: str = DEFAULT_API_VERSION,
        transport: httpx.AsyncBaseTransport | None = None,
        http_client: httpx.AsyncClient | None = None,
        retry: RetryPolicy | None = None,
        timeout: httpx.Timeout | float | None = None,
        sleep: Callable[[float], Awaitable[object]] | None = None,
        rate_limit: RateLimit | None = None,
        app_name: str | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        tenant, options = _executor_options(
            site=site,
            company_id=company_id,
            public_key=public_key,
            private_key=private_key,
            client_id=client_id,
            codebase=codebase,
            api_version=api_version,
            clock=clock,
        )
        executor = _AsyncExecutor(
            **options,
            retry=retry,
            timeout=timeout,
            rate_limit=rate_limit,
            transport=transport,
            http_client=http_client,
            sleep=sleep,
            app_name=app_name,
        )
        executor.tenant = tenant
        self._executor = executor
        self._bind()

    def _bind(self) -> None:
        ex = self._executor
        self.companies = res.AsyncCompanies(ex, res.COMPANIES)
        self.contacts = res.AsyncContacts(ex, res.CONTACTS)
        self.agreements = res.AsyncAgreements(ex, res.AGREEMENTS)
        self.invoices = res.AsyncInvoices(ex, res.INVOICES)
        self.billing_terms = res.AsyncResource(ex, res.BILLING_TERMS)
        self.tax_codes = res.AsyncResource(ex, res.TAX_CODES)
        self.time_entries = res.AsyncResource(ex, res.TIME_ENTRIES)
        self.tickets = res.AsyncResource(ex, res.TICKETS)
        self.boards = res.AsyncBoards(ex, res.BOARDS)
        self.priorities = res.AsyncResource(ex, res.PRIORITIES)
        self.projects = res.AsyncResource(ex, res.PROJECTS)
        self.purchase_orders = res.AsyncPurchaseOrders(ex, res.PURCHASE_ORDERS)
        self.catalog_items = res.AsyncResource(ex, res.CATALOG_ITEMS)
        self.product_items = res.AsyncResource(ex, res.PRODUCT_ITEMS)
        self.opportunities = res.AsyncResource(ex, res.OPPORTUNITIES)
        self.members = res.AsyncResource(ex, res.MEMBERS)
        self.callbacks = res.AsyncCallbacks(ex, res.CALLBACKS)

    @classmethod
    @twin_doc(ConnectWiseClient.from_env)
    def from_env(cls, environ: Mapping[str, str] | None = None, **options: Any) -> AsyncConnectWiseClient:
        return cls(**{**_read_env(environ), **options})

    @twin_doc(ConnectWiseClient.company_info)
    async def company_info(self) -> CompanyInfo:
        info: CompanyInfo = await self._executor.run(plans.company_info(self._executor.tenant))
        return info

    @twin_doc(ConnectWiseClient.request)
    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json: object = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        call = calls.raw_call(method, path, params, json, headers)
        response: httpx.Response = await self._executor.execute(call)
        return response

    def with_options(
        self, *, retry: RetryPolicy | None = None, timeout: httpx.Timeout | float | None = None
    ) -> AsyncConnectWiseClient:
        """A copy sharing the connection pool, rate limiter and codebase, with another retry or timeout."""
        clone = object.__new__(AsyncConnectWiseClient)
        clone._executor = self._executor.with_options(retry=retry, timeout=timeout)
        clone._bind()
        return clone

    async def aclose(self) -> None:
        """Close the HTTP client if this client created it."""
        await self._executor.aclose()

    async def __aenter__(self) -> AsyncConnectWiseClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
