"""``QuickBooksClient`` and ``AsyncQuickBooksClient``: thin shells over the shared executors.

Every method is one line over a call builder (:mod:`._calls`) or a plan (:mod:`._plans`); the async twin
is the same line with ``await`` and carries the sync docstring.
"""

from __future__ import annotations

import enum
import os
import re
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import quote

import httpx

from msplink._core import AsyncExecutor, CallCounter, RateLimit, RetryPolicy, SyncExecutor, twin_doc
from msplink._core._hints import with_hint
from msplink.errors import ConfigurationError, MsplinkError
from msplink.quickbooks import _calls as calls
from msplink.quickbooks import _resources as res
from msplink.quickbooks._auth import (
    FileTokenStore,
    MemoryTokenStore,
    OAuthToken,
    QuickBooksOAuth2,
    StaticBearer,
)
from msplink.quickbooks._changes import CDCResult
from msplink.quickbooks._errors import BATCH_RATE_LIMIT, PLATFORM, hint_for
from msplink.quickbooks._operations import BatchItemResult, BatchOperation
from msplink.quickbooks._plans import batch_plan, cdc_plan
from msplink.quickbooks.models import Entity, entity_class

__all__ = [
    "CDC_WINDOW",
    "DEFAULT_MINOR_VERSION",
    "DEFAULT_RETRY",
    "AsyncQuickBooksClient",
    "QuickBooksClient",
    "QuickBooksEnvironment",
]

DEFAULT_MINOR_VERSION = 75
"""The ``minorversion`` sent by default (1-74 are retired)."""

CDC_WINDOW = timedelta(days=30)
"""How far back ``/cdc`` reaches."""

DEFAULT_RETRY = RetryPolicy(rate_limit_delay=60.0)
"""QBO's retry default: a throttle (3001/429) without Retry-After waits at least 60 s, as Intuit asks."""

_CDC_UNSUPPORTED = frozenset({"TaxCode", "TaxRate", "CompanyInfo", "Preferences", "RecurringTransaction"})
_REALM = re.compile(r"[0-9]{1,32}\Z")


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
            raise with_hint(
                ConfigurationError(f"realm_id must be the company's numeric Realm ID, got {realm_id!r}"),
                "the realmId comes with the connect flow's redirect (python examples/quickbooks_oauth_connect.py); "
                "QuickBooks also shows it as Company ID under Settings > Account and settings > Billing & "
                "subscription",
            )
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

    def hint(self, exc: MsplinkError) -> str | None:
        """The hint for an error of this client (see :func:`msplink.quickbooks._errors.hint_for`)."""
        store = getattr(self.auth, "store", None)
        token = store.load() if isinstance(self.auth, QuickBooksOAuth2) and store is not None else None
        return hint_for(
            exc,
            realm_id=self.realm_id,
            sandbox=self.environment is QuickBooksEnvironment.SANDBOX,
            host=httpx.URL(self.base_url).host,
            token_realm=token.realm_id if token is not None else None,
            refreshing=not isinstance(self.auth, StaticBearer),
        )

    def executor_options(
        self, retry: RetryPolicy | None, timeout: httpx.Timeout | float | None, app_name: str | None
    ) -> dict[str, Any]:
        """The executor keywords both executors of a client share."""
        return {
            "platform": PLATFORM,
            "base_url": self.base_url,
            "auth": self.auth,
            "retry": retry if retry is not None else DEFAULT_RETRY,
            "timeout": timeout,
            "app_name": app_name,
            "hints": self.hint,
        }

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


def _env_config(environ: Mapping[str, str]) -> dict[str, Any]:
    def env(name: str) -> str | None:
        return environ.get(name) or None

    realm, client_id, client_secret = (
        env("MSPLINK_QBO_REALM_ID"),
        env("MSPLINK_QBO_CLIENT_ID"),
        env("MSPLINK_QBO_CLIENT_SECRET"),
    )
    refresh_token, token_file = env("MSPLINK_QBO_REFRESH_TOKEN"), env("MSPLINK_QBO_TOKEN_FILE")
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
                access_token=env("MSPLINK_QBO_ACCESS_TOKEN") or "",
                refresh_token=refresh_token,
                expires_at=datetime(1970, 1, 1, tzinfo=timezone.utc),
                realm_id=realm,
            )
        )
    env_name = (env("MSPLINK_QBO_ENVIRONMENT") or "production").lower()
    try:
        environment = QuickBooksEnvironment(env_name)
    except ValueError:
        raise ConfigurationError("MSPLINK_QBO_ENVIRONMENT must be 'production' or 'sandbox'") from None
    auth = QuickBooksOAuth2(client_id=str(client_id), client_secret=str(client_secret), store=store)
    return {
        "realm_id": realm,
        "auth": auth,
        "environment": environment,
        "base_url": env("MSPLINK_QBO_BASE_URL"),
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
        rate_limit: Client-side limit (default 450/min, 10 concurrent per realm).
        batch_rate_limit: The ``/batch`` budget (default 15 full batches = 450 items a minute, 10 in
            flight; every batch item counts against the realm's 500/min).
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
        options = self._config.executor_options(retry, timeout, app_name)
        options.update({"clock": clock} if clock is not None else {})
        self._executor = SyncExecutor(
            **options, rate_limit=rate_limit, transport=transport, http_client=http_client, sleep=sleep
        )
        self._batch_executor = SyncExecutor(
            **options,
            rate_limit=batch_rate_limit or BATCH_RATE_LIMIT,
            http_client=self._executor.http_client,
            sleep=sleep,
        )
        self._batch_executor.api_calls = self._executor.api_calls
        self._bind()

    def _bind(self) -> None:
        x, mv, realm, s = self._executor, self._config.minor_version, self._config.realm_id, res.SPECS
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
    def from_env(cls, environ: Mapping[str, str] | None = None, **options: Any) -> QuickBooksClient:
        """Build a client from ``MSPLINK_QBO_*`` variables (``environ``, default ``os.environ``, read once).

        Reads ``MSPLINK_QBO_REALM_ID``, ``MSPLINK_QBO_CLIENT_ID``, ``MSPLINK_QBO_CLIENT_SECRET``,
        ``MSPLINK_QBO_REFRESH_TOKEN`` and/or ``MSPLINK_QBO_TOKEN_FILE``, optional
        ``MSPLINK_QBO_ACCESS_TOKEN``, ``MSPLINK_QBO_ENVIRONMENT`` (``production``/``sandbox``) and
        ``MSPLINK_QBO_BASE_URL``; ``options`` are passed to the constructor and win.

        Raises:
            ConfigurationError: A required variable is missing.
        """
        return cls(**{**_env_config(os.environ if environ is None else environ), **options})

    @property
    def realm_id(self) -> str:
        """The company id."""
        return self._config.realm_id

    @property
    def minor_version(self) -> int:
        """The ``minorversion`` sent on every call."""
        return self._config.minor_version

    @property
    def api_calls(self) -> CallCounter:
        """The HTTP requests this client sent (``/batch`` included, retries counted; shared by copies)."""
        return self._executor.api_calls

    def with_options(
        self, *, retry: RetryPolicy | None = None, timeout: httpx.Timeout | float | None = None
    ) -> QuickBooksClient:
        """A copy sharing the connection pool and rate limiters, with another retry policy or timeout."""
        clone = object.__new__(QuickBooksClient)
        clone._config = self._config
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
        return self._executor.execute(
            calls.raw_call(
                method,
                path,
                minor_version=self.minor_version,
                params=params,
                json=json,
                content=content,
                headers=headers,
            )
        )

    def batch(
        self, operations: Iterable[BatchOperation], /, *, request_ids: str | Sequence[str] | None = None
    ) -> list[BatchItemResult]:
        """Run any number of operations through POST /v3/company/{realm}/batch, 30 per call.

        Every operation gets a result, in order, and nothing raises away applied results: failed items
        carry a typed error (``StaleObjectError``, ``DuplicateNameError``, a ``TransportError`` when
        their call never got an answer ...) and ``result.applied`` tells refused (``False``) from
        unknown (``None``). Each 30-item chunk keeps one ``requestid`` for all its resends: the
        ``request_ids`` given (one per chunk), one derived from the operations' own ``request_id``, or
        a fresh uuid; a re-run with the same ids is answered by QBO's replay, never applied twice.
        Chunks that got no answer (or a 5xx) are resent with their id; items throttled inside a 200
        answer (3001) are resent alone after a back-off; both up to the retry policy's
        ``max_attempts`` rounds. The async client sends the chunks concurrently (10 in flight, within
        the ``/batch`` budget); this one in order.

        Raises:
            ConfigurationError: Not ``BatchOperation`` values, or unusable request ids (before any I/O).
        """
        return self._batch_executor.run(
            batch_plan(
                operations,
                request_ids=request_ids,
                minor_version=self.minor_version,
                retry=self._batch_executor.retry,
                concurrency=self._batch_executor.rate_limiter.limit.max_concurrency,
            )
        )

    def cdc(self, entities: Sequence[str | type[Entity]], *, changed_since: datetime) -> CDCResult:
        """Changes since ``changed_since`` (GET /v3/company/{realm}/cdc), deletions included.

        ``changedSince`` is sent at second precision (fractions cut), as Intuit documents it. A
        response that reaches QBO's 1,000-object cap is never taken as complete: the entities are
        re-read one per call; an entity still at the cap walks forward from its newest tombstone, or
        falls back to a paginated ``MetaData.LastUpdatedTime`` query (its name then lands in
        ``incomplete_deletions``). An unreadable answer is a typed ``APIError``.

        Raises:
            ConfigurationError: Unknown/unsupported entity, naive datetime or a window over 30 days.
        """
        names = self._config.cdc_check(entities, changed_since)  # before any I/O
        return self._executor.run(cdc_plan(names, changed_since, minor_version=self.minor_version))

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
        options = self._config.executor_options(retry, timeout, app_name)
        options.update({"clock": clock} if clock is not None else {})
        self._executor = AsyncExecutor(
            **options, rate_limit=rate_limit, transport=transport, http_client=http_client, sleep=sleep
        )
        self._batch_executor = AsyncExecutor(
            **options,
            rate_limit=batch_rate_limit or BATCH_RATE_LIMIT,
            http_client=self._executor.http_client,
            sleep=sleep,
        )
        self._batch_executor.api_calls = self._executor.api_calls
        self._bind()

    def _bind(self) -> None:
        x, mv, realm, s = self._executor, self._config.minor_version, self._config.realm_id, res.SPECS
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
    @twin_doc(QuickBooksClient.from_env)
    def from_env(cls, environ: Mapping[str, str] | None = None, **options: Any) -> AsyncQuickBooksClient:
        return cls(**{**_env_config(os.environ if environ is None else environ), **options})

    @property
    @twin_doc(QuickBooksClient.realm_id.fget)  # type: ignore[attr-defined]
    def realm_id(self) -> str:
        return self._config.realm_id

    @property
    @twin_doc(QuickBooksClient.minor_version.fget)  # type: ignore[attr-defined]
    def minor_version(self) -> int:
        return self._config.minor_version

    @property
    @twin_doc(QuickBooksClient.api_calls.fget)  # type: ignore[attr-defined]
    def api_calls(self) -> CallCounter:
        return self._executor.api_calls

    @twin_doc(QuickBooksClient.with_options)
    def with_options(
        self, *, retry: RetryPolicy | None = None, timeout: httpx.Timeout | float | None = None
    ) -> AsyncQuickBooksClient:
        clone = object.__new__(AsyncQuickBooksClient)
        clone._config = self._config
        clone._executor = self._executor.with_options(retry=retry, timeout=timeout)
        clone._batch_executor = self._batch_executor.with_options(retry=retry, timeout=timeout)
        clone._bind()
        return clone

    @twin_doc(QuickBooksClient.request)
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
        return await self._executor.execute(
            calls.raw_call(
                method,
                path,
                minor_version=self.minor_version,
                params=params,
                json=json,
                content=content,
                headers=headers,
            )
        )

    @twin_doc(QuickBooksClient.batch)
    async def batch(
        self, operations: Iterable[BatchOperation], /, *, request_ids: str | Sequence[str] | None = None
    ) -> list[BatchItemResult]:
        return await self._batch_executor.run(
            batch_plan(
                operations,
                request_ids=request_ids,
                minor_version=self.minor_version,
                retry=self._batch_executor.retry,
                concurrency=self._batch_executor.rate_limiter.limit.max_concurrency,
            )
        )

    @twin_doc(QuickBooksClient.cdc)
    async def cdc(self, entities: Sequence[str | type[Entity]], *, changed_since: datetime) -> CDCResult:
        names = self._config.cdc_check(entities, changed_since)  # before any I/O
        return await self._executor.run(cdc_plan(names, changed_since, minor_version=self.minor_version))

    async def aclose(self) -> None:
        """Close the HTTP client if this client created it."""
        await self._executor.aclose()

    async def __aenter__(self) -> AsyncQuickBooksClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"AsyncQuickBooksClient(realm_id={self.realm_id!r}, environment={self._config.environment.value!r})"
