"""``ConnectWiseClient`` and ``AsyncConnectWiseClient``: thin shells over the shared executors.

Also where a tenant's API lives: region shortcuts, ``api-`` prefixed cloud hosts, on-premise FQDNs and
the codebase (REFERENCE §1), resolved lazily by the ``_plans.resolve_codebase`` plan.
"""

from __future__ import annotations

import asyncio
import os
import re
import threading
import time
import weakref
from collections.abc import Awaitable, Callable, Mapping
from types import TracebackType
from typing import Any, Final, TypeVar

import httpx

from msplink._core import AsyncExecutor, Call, CallCounter, RateLimit, RetryPolicy, SyncExecutor
from msplink.connectwise import _calls as calls
from msplink.connectwise import _plans as plans
from msplink.connectwise import _resources as res
from msplink.connectwise._auth import ConnectWiseAuth
from msplink.connectwise._errors import PLATFORM
from msplink.connectwise.models import CompanyInfo
from msplink.errors import ConfigurationError

__all__ = [
    "CLOUD_DOMAINS",
    "DEFAULT_API_VERSION",
    "DEFAULT_CODEBASE",
    "ENV_PREFIX",
    "SITES",
    "AsyncConnectWiseClient",
    "ConnectWiseClient",
    "Tenant",
    "api_root",
    "normalize_site",
]

T = TypeVar("T")

DEFAULT_API_VERSION: Final = "2025.16"
"""The model version msplink is tested against (sent in the ``Accept`` header)."""

DEFAULT_CODEBASE: Final = "v4_6_release/"
"""The routing codebase (on-premise always; on cloud it routes to the tenant's current version)."""

SITES: Final[Mapping[str, str]] = {
    "na": "api-na.myconnectwise.net",
    "eu": "api-eu.myconnectwise.net",
    "au": "api-au.myconnectwise.net",
    "aus": "api-aus.myconnectwise.net",
    "za": "api-za.myconnectwise.net",
    "staging": "api-staging.connectwisedev.com",
    "sandbox-na": "sandbox-na.myconnectwise.net",
    "sandbox-eu": "sandbox-eu.myconnectwise.net",
    "sandbox-au": "sandbox-au.myconnectwise.net",
}
"""Region shortcuts accepted by ``site=``."""

CLOUD_DOMAINS: Final = ("myconnectwise.net", "connectwisedev.com", "connectwise.net")

ENV_PREFIX = "MSPLINK_CW_"
_ENV_KEYS = ("site", "company_id", "public_key", "private_key", "client_id")
_HOST = re.compile(r"[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?::\d{1,5})?")


def normalize_site(site: str) -> tuple[str, str]:
    """Turn ``site=`` into ``(scheme, host)``, adding the ``api-`` prefix cloud hosts require.

    Accepts a region shortcut (``na``, ``eu``, ``au``, ``staging``), a UI host
    (``na.myconnectwise.net`` becomes ``api-na.myconnectwise.net``), an API host, a partner sandbox
    host (kept as is) or an on-premise FQDN (``cw.example.com``), with or without ``https://``.
    Plain ``http://`` is only accepted for ``localhost`` (a local sandbox server).

    Raises:
        ConfigurationError: The site is empty or malformed.
    """
    if not isinstance(site, str) or not site.strip():
        raise ConfigurationError("connectwise: site is required (e.g. 'na' or 'na.myconnectwise.net')")
    text = site.strip().rstrip("/")
    scheme = "https"
    if "://" in text:
        scheme, _, text = text.partition("://")
        scheme = scheme.lower()
        if scheme not in {"http", "https"}:
            raise ConfigurationError(f"connectwise: unsupported scheme in site {site!r}")
    host = text.split("/", 1)[0].lower()
    if not _HOST.fullmatch(host):
        raise ConfigurationError(f"connectwise: invalid site {site!r}")
    if scheme == "http" and host.split(":", 1)[0] not in {"localhost", "127.0.0.1"}:
        raise ConfigurationError("connectwise: SSL is required; use https://")
    if host in SITES:
        return scheme, SITES[host]
    bare = host.split(":", 1)[0]
    is_cloud = any(bare == d or bare.endswith("." + d) for d in CLOUD_DOMAINS)
    if is_cloud and not bare.startswith(("api-", "sandbox-")):
        host = "api-" + host
    return scheme, host


def api_root(scheme: str, host: str, codebase: str) -> str:
    """The API base URL: ``https://{host}/{codebase}apis/3.0``."""
    return f"{scheme}://{host}/{calls.check_codebase(codebase)}apis/3.0"


def _is_cloud(host: str) -> bool:
    bare = host.split(":", 1)[0]
    return any(bare.endswith("." + domain) for domain in CLOUD_DOMAINS)


class Tenant:
    """Where the tenant lives; the codebase is resolved once (lazily) and shared by every copy.

    Args:
        site: See :func:`normalize_site`.
        company_id: The company id of the PSA login screen.
        codebase: Skip discovery and use this codebase.

    Raises:
        ConfigurationError: The site or the codebase is malformed.
    """

    def __init__(self, *, site: str, company_id: str, codebase: str | None) -> None:
        self.scheme, self.host = normalize_site(site)
        self.company_id = company_id
        if codebase is not None:
            try:
                codebase = calls.check_codebase(codebase)
            except ValueError:
                raise ConfigurationError(
                    f"connectwise: invalid codebase {codebase!r} (expected v2025_1 or v4_6_release)"
                ) from None
        self.codebase: str | None = codebase
        self.info: CompanyInfo | None = None
        self.lock = threading.Lock()
        self._async_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )

    def base_url(self) -> str:
        """The API root for the codebase in use (``v4_6_release/`` until one is resolved)."""
        return api_root(self.scheme, self.host, self.codebase or DEFAULT_CODEBASE)

    def needs_codebase(self, call: Call[Any]) -> bool:
        """Tell whether ``call`` (relative to the API root) must wait for codebase discovery."""
        return self.codebase is None and not call.path.startswith(("http://", "https://"))

    def async_lock(self) -> asyncio.Lock:
        """The discovery lock of the running event loop (one per loop: a client may serve several)."""
        loop = asyncio.get_running_loop()
        lock = self._async_locks.get(loop)
        if lock is None:
            lock = self._async_locks[loop] = asyncio.Lock()
        return lock

    def info_call(self) -> Call[CompanyInfo]:
        """``GET /login/companyinfo/{companyId}`` on the configured site."""
        return calls.company_info_call(self.scheme, self.host, self.company_id)

    def adopt(self, info: CompanyInfo | None) -> None:
        """Use the discovered codebase (already validated by the call's parser), or the router."""
        self.info = info
        codebase = (info.codebase if info is not None else None) or DEFAULT_CODEBASE
        self.codebase = calls.check_codebase(codebase)
        # Follow SiteUrl only from one ConnectWise cloud host to another: never let an answer move the
        # credentials to an arbitrary host (or away from a local/on-premise server).
        if info is not None and info.is_cloud and info.site_url and _is_cloud(self.host):
            try:
                scheme, host = normalize_site(info.site_url)
            except ConfigurationError:
                return
            if _is_cloud(host):
                self.scheme, self.host = scheme, host


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
    def from_env(cls, environ: Mapping[str, str] | None = None, **options: Any) -> AsyncConnectWiseClient:
        """Build a client from the ``MSPLINK_CW_*`` environment variables (see the sync twin).

        Raises:
            ConfigurationError: A variable is missing.
        """
        return cls(**{**_read_env(environ), **options})

    async def company_info(self) -> CompanyInfo:
        """Fetch the tenant's company info (``GET /login/companyinfo/{companyId}``); also sets the codebase."""
        info: CompanyInfo = await self._executor.run(plans.company_info(self._executor.tenant))
        return info

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json: object = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """Send any request relative to ``.../apis/3.0`` with auth, retries and error mapping.

        Raises:
            APIError: The status is >= 400 (typed by meaning).
        """
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
