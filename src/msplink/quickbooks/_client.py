"""``QuickBooksClient`` and ``AsyncQuickBooksClient``: thin shells over the shared executors."""

from __future__ import annotations

import asyncio
import enum
import logging
import os
import re
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any, TypeVar
from urllib.parse import quote

import httpx

from msplink._core import AsyncExecutor, RateLimit, RetryPolicy, SyncExecutor
from msplink.errors import ConfigurationError, RateLimitError
from msplink.quickbooks import _calls as calls
from msplink.quickbooks import _resources as res
from msplink.quickbooks._auth import (
    FileTokenStore,
    MemoryTokenStore,
    OAuthToken,
    QuickBooksOAuth2,
    StaticBearer,
)
from msplink.quickbooks._batch import (
    BATCH_SIZE,
    BatchItemResult,
    BatchOperation,
    CDCResult,
    chunked,
    parse_batch_items,
)
from msplink.quickbooks._cdc import cdc_plan
from msplink.quickbooks._errors import BATCH_RATE_LIMIT, PLATFORM
from msplink.quickbooks.models import Entity, entity_class

__all__ = ["AsyncQuickBooksClient", "QuickBooksClient", "QuickBooksEnvironment"]

logger = logging.getLogger("msplink.quickbooks")

T = TypeVar("T")

DEFAULT_MINOR_VERSION = 75
CDC_WINDOW = timedelta(days=30)
_CDC_UNSUPPORTED = frozenset({"TaxCode", "TaxRate", "CompanyInfo", "Preferences", "RecurringTransaction"})
_REALM = re.compile(r"^[A-Za-z0-9]+$")


_BATCH = f"{calls.PREFIX}/batch"


def _index_chunks(indices: Sequence[int]) -> list[list[int]]:
    return [list(indices[i : i + BATCH_SIZE]) for i in range(0, len(indices), BATCH_SIZE)]


def _throttled(results: Sequence[BatchItemResult | None], pending: Sequence[int]) -> list[int]:
    return [i for i in pending if (r := results[i]) is not None and isinstance(r.error, RateLimitError)]


def _throttle_wait(
    results: Sequence[BatchItemResult | None], pending: Sequence[int], retry: RetryPolicy, attempt: int
) -> float:
    waits = [
        e.retry_after
        for i in pending
        if (r := results[i]) is not None and isinstance(e := r.error, RateLimitError) and e.retry_after
    ]
    return max(waits) if waits else max(retry.rate_limit_delay, retry.backoff(attempt))


DEFAULT_RETRY = RetryPolicy(rate_limit_delay=60.0)
"""QBO's retry default: a throttle (3001/429) without Retry-After waits at least 60 s, as Intuit asks."""


class QuickBooksEnvironment(enum.Enum):
    """Production or the Intuit developer sandbox (they differ by API host and by key pair)."""

    PRODUCTION = "production"
    SANDBOX = "sandbox"

    @property
    def api_base(self) -> str:
        """The Accounting API host."""
        if self is QuickBooksEnvironment.SANDBOX:
            return "https://sandbox-quickbooks.api.intuit.com"
        return "https://quickbooks.api.intuit.com"


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


class _Config:
    """Validation and wiring shared by the sync and async clients (no I/O)."""

    def __init__(
        self,
        *,
        realm_id: str,
        auth: httpx.Auth | str,
        environment: QuickBooksEnvironment,
        minor_version: int,
        base_url: str | None,
        now: Callable[[], datetime] | None,
    ) -> None:
        if not isinstance(realm_id, str) or not _REALM.match(realm_id):
            raise ConfigurationError("realm_id must be a non-empty alphanumeric string")
        if isinstance(auth, str):
            auth = StaticBearer(auth)
        if not isinstance(auth, httpx.Auth):
            raise ConfigurationError("auth must be an httpx.Auth (e.g. QuickBooksOAuth2) or an access token")
        if not isinstance(environment, QuickBooksEnvironment):
            raise ConfigurationError("environment must be a QuickBooksEnvironment")
        if isinstance(minor_version, bool) or not isinstance(minor_version, int) or minor_version < 75:
            raise ConfigurationError("minor_version must be an integer >= 75 (1-74 are retired)")
        self.realm_id = realm_id
        self.auth = auth
        self.environment = environment
        self.minor_version = minor_version
        host = (base_url or environment.api_base).rstrip("/")
        if not host.startswith(("http://", "https://")):
            raise ConfigurationError("base_url must start with http:// or https://")
        self.base_url = f"{host}/v3/company/{quote(realm_id, safe='')}"
        self.now = now or _utcnow

    def cdc_check(self, entities: Sequence[str | type[Entity]], changed_since: datetime) -> list[str]:
        """Validate a CDC request before any I/O; return the entity names."""
        names = [e if isinstance(e, str) else e.entity_name for e in entities]
        if not names:
            raise ConfigurationError("cdc() needs at least one entity")
        for name in names:
            if entity_class(name) is None or name in _CDC_UNSUPPORTED:
                raise ConfigurationError(f"CDC does not support entity {name!r}")
        if changed_since.tzinfo is None:
            raise ConfigurationError("changed_since must be timezone-aware")
        if self.now() - changed_since > CDC_WINDOW:
            raise ConfigurationError("changed_since must be within the last 30 days (CDC window)")
        return names


def _env(name: str) -> str | None:
    value = os.environ.get(name)
    return value if value else None


def _env_config() -> dict[str, Any]:
    realm = _env("MSPLINK_QBO_REALM_ID")
    client_id = _env("MSPLINK_QBO_CLIENT_ID")
    client_secret = _env("MSPLINK_QBO_CLIENT_SECRET")
    refresh_token = _env("MSPLINK_QBO_REFRESH_TOKEN")
    token_file = _env("MSPLINK_QBO_TOKEN_FILE")
    missing = [
        n
        for n, v in (
            ("MSPLINK_QBO_REALM_ID", realm),
            ("MSPLINK_QBO_CLIENT_ID", client_id),
            ("MSPLINK_QBO_CLIENT_SECRET", client_secret),
        )
        if v is None
    ]
    if refresh_token is None and token_file is None:
        missing.append("MSPLINK_QBO_REFRESH_TOKEN or MSPLINK_QBO_TOKEN_FILE")
    if missing:
        raise ConfigurationError("missing environment variables: " + ", ".join(missing))
    store: FileTokenStore | MemoryTokenStore
    store = FileTokenStore(token_file) if token_file else MemoryTokenStore()
    if refresh_token and store.load() is None:
        store.save(
            OAuthToken(
                access_token=_env("MSPLINK_QBO_ACCESS_TOKEN") or "",
                refresh_token=refresh_token,
                expires_at=datetime(1970, 1, 1, tzinfo=timezone.utc),
                realm_id=realm,
            )
        )
    env_name = (_env("MSPLINK_QBO_ENVIRONMENT") or "production").lower()
    try:
        environment = QuickBooksEnvironment(env_name)
    except ValueError:
        raise ConfigurationError("MSPLINK_QBO_ENVIRONMENT must be 'production' or 'sandbox'") from None
    auth = QuickBooksOAuth2(client_id=str(client_id), client_secret=str(client_secret), store=store)
    return {
        "realm_id": realm,
        "auth": auth,
        "environment": environment,
        "base_url": _env("MSPLINK_QBO_BASE_URL"),
    }


class QuickBooksClient:
    """The QuickBooks Online Accounting API client (sync). One instance per realm; no I/O in the constructor.

    Args:
        realm_id: The company id.
        auth: A :class:`QuickBooksOAuth2` (refreshing) or any ``httpx.Auth``, or a bare access token.
        environment: Production or the developer sandbox.
        minor_version: Sent as ``minorversion`` on every call (75; lower versions are retired).
        base_url: Override the API host (``https://host``; ``/v3/company/{realm}`` is appended).
        transport: An httpx transport (tests: ``QuickBooksSandbox().transport()``).
        http_client: An ``httpx.Client`` to borrow (not closed by the client).
        retry: The retry policy.
        timeout: Seconds or an ``httpx.Timeout``.
        sleep: How to wait (tests pass a fake clock's ``sleep``).
        rate_limit: Client-side limit (default ~450/min, 10 concurrent per realm).
        batch_rate_limit: The separate ``/batch`` budget (default 35/min).
        app_name: Appended to the User-Agent.
        clock: Monotonic clock of the rate limiters (tests pass a fake one).
        now: Wall clock for the CDC 30-day guard.
    """

    def __init__(
        self,
        *,
        realm_id: str,
        auth: httpx.Auth | str,
        environment: QuickBooksEnvironment = QuickBooksEnvironment.PRODUCTION,
        minor_version: int = DEFAULT_MINOR_VERSION,
        base_url: str | None = None,
        transport: httpx.BaseTransport | None = None,
        http_client: httpx.Client | None = None,
        retry: RetryPolicy | None = None,
        timeout: httpx.Timeout | float | None = None,
        sleep: Callable[[float], object] | None = None,
        rate_limit: RateLimit | None = None,
        batch_rate_limit: RateLimit | None = None,
        app_name: str | None = None,
        clock: Callable[[], float] | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        self._config = _Config(
            realm_id=realm_id,
            auth=auth,
            environment=environment,
            minor_version=minor_version,
            base_url=base_url,
            now=now,
        )
        extra: dict[str, Any] = {"clock": clock} if clock is not None else {}
        self._sleep: Callable[[float], object] = sleep if sleep is not None else time.sleep
        self._executor = SyncExecutor(
            platform=PLATFORM,
            base_url=self._config.base_url,
            auth=self._config.auth,
            retry=retry if retry is not None else DEFAULT_RETRY,
            timeout=timeout,
            rate_limit=rate_limit,
            transport=transport,
            http_client=http_client,
            sleep=sleep,
            app_name=app_name,
            **extra,
        )
        self._batch_executor = SyncExecutor(
            platform=PLATFORM,
            base_url=self._config.base_url,
            auth=self._config.auth,
            retry=retry if retry is not None else DEFAULT_RETRY,
            timeout=timeout,
            rate_limit=batch_rate_limit or BATCH_RATE_LIMIT,
            http_client=self._executor.http_client,
            sleep=sleep,
            app_name=app_name,
            **extra,
        )
        self._bind()

    def _bind(self) -> None:
        x, mv, realm = self._executor, self._config.minor_version, self._config.realm_id
        s = res.SPECS
        self.customers = res.Customers(x, s["customers"], mv, realm)
        self.vendors = res.Vendors(x, s["vendors"], mv, realm)
        self.employees = res.Employees(x, s["employees"], mv, realm)
        self.items = res.Items(x, s["items"], mv, realm)
        self.accounts = res.Accounts(x, s["accounts"], mv, realm)
        self.invoices = res.Invoices(x, s["invoices"], mv, realm)
        self.payments = res.Payments(x, s["payments"], mv, realm)
        self.time_activities = res.TimeActivities(x, s["time_activities"], mv, realm)
        self.bills = res.Bills(x, s["bills"], mv, realm)
        self.purchase_orders = res.PurchaseOrders(x, s["purchase_orders"], mv, realm)
        self.journal_entries = res.JournalEntries(x, s["journal_entries"], mv, realm)
        self.recurring_transactions = res.RecurringTransactions(x, s["recurring_transactions"], mv, realm)
        self.estimates = res.Estimates(x, s["estimates"], mv, realm)
        self.terms = res.Terms(x, s["terms"], mv, realm)
        self.tax_codes = res.TaxCodes(x, s["tax_codes"], mv, realm)
        self.tax_rates = res.TaxRates(x, s["tax_rates"], mv, realm)
        self.classes = res.Classes(x, s["classes"], mv, realm)
        self.departments = res.Departments(x, s["departments"], mv, realm)
        self.company_info = res.CompanyInfoResource(x, s["company_info"], mv, realm)
        self.preferences = res.PreferencesResource(x, s["preferences"], mv, realm)

    @classmethod
    def from_env(cls, **options: Any) -> QuickBooksClient:
        """Build a client from ``MSPLINK_QBO_*`` environment variables (read once, here).

        Reads ``MSPLINK_QBO_REALM_ID``, ``MSPLINK_QBO_CLIENT_ID``, ``MSPLINK_QBO_CLIENT_SECRET``,
        ``MSPLINK_QBO_REFRESH_TOKEN`` and/or ``MSPLINK_QBO_TOKEN_FILE``, optional
        ``MSPLINK_QBO_ENVIRONMENT`` (``production``/``sandbox``) and ``MSPLINK_QBO_BASE_URL``.

        Raises:
            ConfigurationError: A required variable is missing.
        """
        return cls(**{**_env_config(), **options})

    @property
    def realm_id(self) -> str:
        """The company id."""
        return self._config.realm_id

    @property
    def minor_version(self) -> int:
        """The ``minorversion`` sent on every call."""
        return self._config.minor_version

    def with_options(
        self, *, retry: RetryPolicy | None = None, timeout: httpx.Timeout | float | None = None
    ) -> QuickBooksClient:
        """A copy sharing the connection pool and rate limiters, with another retry policy or timeout."""
        clone = object.__new__(QuickBooksClient)
        clone._config = self._config
        clone._sleep = self._sleep
        clone._executor = self._executor.with_options(retry=retry, timeout=timeout)
        clone._batch_executor = self._batch_executor.with_options(retry=retry, timeout=timeout)
        clone._bind()
        return clone

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json: Any = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """Send a raw request relative to ``/v3/company/{realm}`` (e.g. ``GET /reports/ProfitAndLoss``).

        Auth, ``minorversion``, ``requestid`` (POST), rate limits, retries and error mapping still apply.
        """
        call = calls.raw_call(
            method,
            path,
            minor_version=self.minor_version,
            params=params,
            json=json,
            content=content,
            headers=headers,
        )
        return self._executor.execute(call)

    def batch(self, operations: Iterable[BatchOperation]) -> list[BatchItemResult]:
        """Run any number of operations through POST /v3/company/{realm}/batch, 30 per call.

        Each call carries its own ``requestid`` (kept across retries); items are matched to operations by
        ``bId``; failed items carry a typed error instead of raising. Items throttled inside a 200 answer
        (fault 3001) are resent, alone, after a back-off (never the items that succeeded), up to the
        retry policy's ``max_attempts``.
        """
        ops = [op for chunk in chunked(operations) for op in chunk]
        results: list[BatchItemResult | None] = [None] * len(ops)
        pending = list(range(len(ops)))
        for attempt in range(1, self._batch_executor.retry.max_attempts + 1):
            for chunk in _index_chunks(pending):
                items = [ops[i].to_item(str(n)) for n, i in enumerate(chunk)]
                body = self._batch_executor.execute(calls.batch_call(items, minor_version=self.minor_version))
                for index, result in zip(
                    chunk, parse_batch_items([ops[i] for i in chunk], body, path=_BATCH), strict=True
                ):
                    results[index] = result
            pending = _throttled(results, pending)
            if not pending or attempt == self._batch_executor.retry.max_attempts:
                break
            self._sleep(_throttle_wait(results, pending, self._batch_executor.retry, attempt))
        return [r for r in results if r is not None]

    def cdc(self, entities: Sequence[str | type[Entity]], *, changed_since: datetime) -> CDCResult:
        """Changes since ``changed_since`` (GET /v3/company/{realm}/cdc), deletions included.

        A response that reaches QBO's 1,000-object cap is never taken as complete: the entities are
        re-read one per call; an entity still at the cap walks forward from its newest tombstone, or
        falls back to a paginated ``MetaData.LastUpdatedTime`` query (its name then lands in
        ``incomplete_deletions``). See :mod:`msplink.quickbooks._cdc`.

        Raises:
            ConfigurationError: Unknown/unsupported entity, naive datetime or a window over 30 days.
        """
        names = self._config.cdc_check(entities, changed_since)
        plan = cdc_plan(names, changed_since, minor_version=self.minor_version)
        try:
            call = next(plan)
            while True:
                call = plan.send(self._executor.execute(call))
        except StopIteration as done:
            result: CDCResult = done.value
            return result

    def close(self) -> None:
        """Close the HTTP client if this client created it."""
        self._executor.close()

    def __enter__(self) -> QuickBooksClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"QuickBooksClient(realm_id={self.realm_id!r}, environment={self._config.environment.value!r})"


class AsyncQuickBooksClient:
    """The async twin of :class:`QuickBooksClient` (same resources and verbs, awaited)."""

    def __init__(
        self,
        *,
        realm_id: str,
        auth: httpx.Auth | str,
        environment: QuickBooksEnvironment = QuickBooksEnvironment.PRODUCTION,
        minor_version: int = DEFAULT_MINOR_VERSION,
        base_url: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        http_client: httpx.AsyncClient | None = None,
        retry: RetryPolicy | None = None,
        timeout: httpx.Timeout | float | None = None,
        sleep: Callable[[float], Awaitable[object]] | None = None,
        rate_limit: RateLimit | None = None,
        batch_rate_limit: RateLimit | None = None,
        app_name: str | None = None,
        clock: Callable[[], float] | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        self._config = _Config(
            realm_id=realm_id,
            auth=auth,
            environment=environment,
            minor_version=minor_version,
            base_url=base_url,
            now=now,
        )
        extra: dict[str, Any] = {"clock": clock} if clock is not None else {}
        self._sleep: Callable[[float], Awaitable[object]] = sleep if sleep is not None else asyncio.sleep
        self._executor = AsyncExecutor(
            platform=PLATFORM,
            base_url=self._config.base_url,
            auth=self._config.auth,
            retry=retry if retry is not None else DEFAULT_RETRY,
            timeout=timeout,
            rate_limit=rate_limit,
            transport=transport,
            http_client=http_client,
            sleep=sleep,
            app_name=app_name,
            **extra,
        )
        self._batch_executor = AsyncExecutor(
            platform=PLATFORM,
            base_url=self._config.base_url,
            auth=self._config.auth,
            retry=retry if retry is not None else DEFAULT_RETRY,
            timeout=timeout,
            rate_limit=batch_rate_limit or BATCH_RATE_LIMIT,
            http_client=self._executor.http_client,
            sleep=sleep,
            app_name=app_name,
            **extra,
        )
        self._bind()

    def _bind(self) -> None:
        x, mv, realm = self._executor, self._config.minor_version, self._config.realm_id
        s = res.SPECS
        self.customers = res.AsyncCustomers(x, s["customers"], mv, realm)
        self.vendors = res.AsyncVendors(x, s["vendors"], mv, realm)
        self.employees = res.AsyncEmployees(x, s["employees"], mv, realm)
        self.items = res.AsyncItems(x, s["items"], mv, realm)
        self.accounts = res.AsyncAccounts(x, s["accounts"], mv, realm)
        self.invoices = res.AsyncInvoices(x, s["invoices"], mv, realm)
        self.payments = res.AsyncPayments(x, s["payments"], mv, realm)
        self.time_activities = res.AsyncTimeActivities(x, s["time_activities"], mv, realm)
        self.bills = res.AsyncBills(x, s["bills"], mv, realm)
        self.purchase_orders = res.AsyncPurchaseOrders(x, s["purchase_orders"], mv, realm)
        self.journal_entries = res.AsyncJournalEntries(x, s["journal_entries"], mv, realm)
        self.recurring_transactions = res.AsyncRecurringTransactions(
            x, s["recurring_transactions"], mv, realm
        )
        self.estimates = res.AsyncEstimates(x, s["estimates"], mv, realm)
        self.terms = res.AsyncTerms(x, s["terms"], mv, realm)
        self.tax_codes = res.AsyncTaxCodes(x, s["tax_codes"], mv, realm)
        self.tax_rates = res.AsyncTaxRates(x, s["tax_rates"], mv, realm)
        self.classes = res.AsyncClasses(x, s["classes"], mv, realm)
        self.departments = res.AsyncDepartments(x, s["departments"], mv, realm)
        self.company_info = res.AsyncCompanyInfoResource(x, s["company_info"], mv, realm)
        self.preferences = res.AsyncPreferencesResource(x, s["preferences"], mv, realm)

    @classmethod
    def from_env(cls, **options: Any) -> AsyncQuickBooksClient:
        """Build a client from ``MSPLINK_QBO_*`` environment variables (see :meth:`QuickBooksClient.from_env`).

        Raises:
            ConfigurationError: A required variable is missing.
        """
        return cls(**{**_env_config(), **options})

    @property
    def realm_id(self) -> str:
        """The company id."""
        return self._config.realm_id

    @property
    def minor_version(self) -> int:
        """The ``minorversion`` sent on every call."""
        return self._config.minor_version

    def with_options(
        self, *, retry: RetryPolicy | None = None, timeout: httpx.Timeout | float | None = None
    ) -> AsyncQuickBooksClient:
        """A copy sharing the connection pool and rate limiters, with another retry policy or timeout."""
        clone = object.__new__(AsyncQuickBooksClient)
        clone._config = self._config
        clone._sleep = self._sleep
        clone._executor = self._executor.with_options(retry=retry, timeout=timeout)
        clone._batch_executor = self._batch_executor.with_options(retry=retry, timeout=timeout)
        clone._bind()
        return clone

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json: Any = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """Send a raw request relative to ``/v3/company/{realm}`` (auth, retries and errors apply)."""
        call = calls.raw_call(
            method,
            path,
            minor_version=self.minor_version,
            params=params,
            json=json,
            content=content,
            headers=headers,
        )
        return await self._executor.execute(call)

    async def batch(self, operations: Iterable[BatchOperation]) -> list[BatchItemResult]:
        """Run any number of operations through POST /v3/company/{realm}/batch, 30 per call."""
        ops = [op for chunk in chunked(operations) for op in chunk]
        results: list[BatchItemResult | None] = [None] * len(ops)
        pending = list(range(len(ops)))
        for attempt in range(1, self._batch_executor.retry.max_attempts + 1):
            for chunk in _index_chunks(pending):
                items = [ops[i].to_item(str(n)) for n, i in enumerate(chunk)]
                body = await self._batch_executor.execute(
                    calls.batch_call(items, minor_version=self.minor_version)
                )
                for index, result in zip(
                    chunk, parse_batch_items([ops[i] for i in chunk], body, path=_BATCH), strict=True
                ):
                    results[index] = result
            pending = _throttled(results, pending)
            if not pending or attempt == self._batch_executor.retry.max_attempts:
                break
            await self._sleep(_throttle_wait(results, pending, self._batch_executor.retry, attempt))
        return [r for r in results if r is not None]

    async def cdc(self, entities: Sequence[str | type[Entity]], *, changed_since: datetime) -> CDCResult:
        """Changes since ``changed_since`` (GET /v3/company/{realm}/cdc); see :meth:`QuickBooksClient.cdc`."""
        names = self._config.cdc_check(entities, changed_since)
        plan = cdc_plan(names, changed_since, minor_version=self.minor_version)
        try:
            call = next(plan)
            while True:
                call = plan.send(await self._executor.execute(call))
        except StopIteration as done:
            result: CDCResult = done.value
            return result

    async def aclose(self) -> None:
        """Close the HTTP client if this client created it."""
        await self._executor.aclose()

    async def __aenter__(self) -> AsyncQuickBooksClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"AsyncQuickBooksClient(realm_id={self.realm_id!r}, environment={self._config.environment.value!r})"
