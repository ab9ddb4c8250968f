"""``QuickBooksSandbox``: an in-memory emulator of the QBO Accounting API v3 and Intuit OAuth 2.0."""

from __future__ import annotations

import copy
import hashlib
import random
import re
import uuid
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Mapping, MutableMapping, Sequence
from datetime import datetime, timedelta, timezone
from itertools import islice
from typing import Any, ClassVar

from msplink.sandbox._framework import Sandbox, SandboxRateLimit, SandboxRequest, SandboxResponse
from msplink.sandbox.quickbooks._attachments import AttachmentsMixin
from msplink.sandbox.quickbooks._faults import Fault
from msplink.sandbox.quickbooks._oauth import (
    DISCOVERY_PATHS,
    JWKS_PATH,
    USERINFO_PATH,
    AccessGrant,
    AuthAbort,
    OAuthMixin,
    RefreshGrant,
    origin,
)
from msplink.sandbox.quickbooks._query import (
    Condition,
    ParsedQuery,
    QueryParseError,
    QueryValidationError,
    matches,
    parse_query,
    sort_key,
)
from msplink.sandbox.quickbooks._rules_banking import create_tax_code
from msplink.sandbox.quickbooks._schema import resolve
from msplink.sandbox.quickbooks._seed import install_defaults, seed_company
from msplink.sandbox.quickbooks._state import (
    ACTIVE_FILTERED,
    ENTITIES,
    JSON_NAMES,
    SEGMENTS,
    TEMPLATE_TYPES,
    VOID_BY_OPERATION,
    Company,
)
from msplink.sandbox.quickbooks._webhooks import WebhookMixin
from msplink.sandbox.quickbooks._wire import check_body, json_response, read_json

__all__ = ["QuickBooksSandbox"]

REALM_PREFIX = "/v3/company/{realm}"
BATCH_MAX = 30
CDC_MAX = 1000
CDC_WINDOW = timedelta(days=30)
_CDC_UNSUPPORTED = frozenset(
    {"TaxCode", "TaxRate", "TaxAgency", "ExchangeRate", "CompanyInfo", "Preferences", "RecurringTransaction"}
)
_NOT_QUERYABLE: Mapping[str, frozenset[str]] = {
    # Real answers "QueryValidationError: property 'AcctNum' is not queryable" (intuit/QuickBooks-V3-DotNET-SDK#163:
    # "for vendor and Account - AcctNum is a valid property but it is not filterable") and for the Vendor's
    # PrimaryEmailAddr (ruckus/quickbooks-ruby#403, raw response quoted). Line is never filterable.
    "Customer": frozenset({"AcctNum"}),
    "Vendor": frozenset({"AcctNum", "PrimaryEmailAddr"}),
    "Account": frozenset({"AcctNum"}),
}


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _id_key(entity_id: str) -> tuple[int, int]:
    return (1, int(entity_id)) if entity_id.isdigit() else (0, 0)


class QuickBooksSandbox(OAuthMixin, WebhookMixin, AttachmentsMixin, Sandbox):
    """The QBO emulator: Accounting API v3 entities, query language, batch, CDC, webhooks, OAuth 2.0, OpenID.

    Args:
        realm_id: The company id (default derived from ``seed``).
        client_id: The app's client id (default ``sandbox-client``).
        client_secret: The app's client secret.
        verifier_token: The webhook verifier token used to sign deliveries.
        redirect_uri: The registered redirect URI.
        now: The wall clock (timestamps, CDC windows); defaults to the real UTC time.
        rotate_refresh_tokens: Issue a new refresh token on every refresh (QBO may; tests want it).
        refresh_grace: Seconds a superseded refresh token keeps working.
        throttle_format: ``json`` or ``xml`` 429 bodies (QBO has sent both).
        multicurrency: Start with ``Preferences.CurrencyPrefs.MultiCurrencyEnabled`` on (REFERENCE §13).
        home_currency: ``Preferences.CurrencyPrefs.HomeCurrency``.
        **options: Passed to :class:`~msplink.sandbox._framework.Sandbox` (``seed``, ``clock`` ...).
    """

    platform: ClassVar[str] = "quickbooks"

    def __init__(
        self,
        *,
        realm_id: str | None = None,
        client_id: str = "sandbox-client",
        client_secret: str = "sandbox-secret",
        verifier_token: str = "sandbox-verifier-token",
        redirect_uri: str = "https://localhost/callback",
        now: Callable[[], datetime] | None = None,
        rotate_refresh_tokens: bool = True,
        refresh_grace: float = 86_400.0,
        throttle_format: str = "json",
        multicurrency: bool = False,
        home_currency: str = "USD",
        **options: Any,
    ) -> None:
        seed = int(options.get("seed", 0))
        self._rng = random.Random(seed)
        self.realm_id = realm_id or str(9130_3500_0000_0000 + seed)
        self.client_id = client_id
        self._client_secret = client_secret
        self.verifier_token = verifier_token
        self.redirect_uri = redirect_uri
        self.rotate_refresh_tokens = rotate_refresh_tokens
        self.refresh_grace = refresh_grace
        self.throttle_format = throttle_format
        self._wall = now or _utcnow
        self.company = Company(self.realm_id, self._wall)
        self._access: dict[str, AccessGrant] = {}
        self._refresh: dict[str, RefreshGrant] = {}
        self._codes: dict[str, dict[str, Any]] = {}
        self._replays: dict[tuple[str, str], SandboxResponse] = {}
        self._webhook_cursor = 0
        self.token_requests = 0
        self.user: dict[str, Any] = {
            "sub": str(uuid.UUID(int=self._rng.getrandbits(128))),
            "email": "admin@sandbox-msp.example",
            "givenName": "Sandbox",
            "familyName": "Admin",
            "phoneNumber": "+1 5125550100",
            "address": {
                "streetAddress": "1 Main St",
                "locality": "Austin",
                "region": "TX",
                "postalCode": "78701",
                "country": "US",
            },
        }
        super().__init__(**options)
        install_defaults(self.company, multicurrency=multicurrency, home_currency=home_currency)

    # ------------------------------------------------------------------------------ configuration

    def _register_routes(self) -> None:
        r = self.router
        r.add("POST", "/oauth2/v1/tokens/bearer", self._token)
        r.add("POST", "/v2/oauth2/tokens/revoke", self._revoke)
        r.add("GET", "/connect/oauth2", self._authorize_page)
        for path in DISCOVERY_PATHS:
            r.add("GET", path, self._discovery)
        r.add("GET", JWKS_PATH, self._jwks)
        r.add("GET", USERINFO_PATH, self._userinfo)
        r.add("GET", "/sandbox-files/{realm}/{file_id}/{name}", self._file_route)
        r.add("*", REALM_PREFIX + "/query", self._query_route)
        r.add("POST", REALM_PREFIX + "/batch", self._batch_route)
        r.add("GET", REALM_PREFIX + "/cdc", self._cdc_route)
        r.add("GET", REALM_PREFIX + "/preferences", self._preferences_route)
        r.add("GET", REALM_PREFIX + "/exchangerate", self._exchangerate_route)
        r.add("POST", REALM_PREFIX + "/upload", self._upload_route)
        r.add("GET", REALM_PREFIX + "/download/{entity_id}", self._download_route)
        r.add("POST", REALM_PREFIX + "/taxservice/taxcode", self._taxservice_route)
        r.add("GET", REALM_PREFIX + "/{entity}/{entity_id}", self._read_route)
        r.add("POST", REALM_PREFIX + "/{entity}", self._write_route)

    async def __call__(
        self,
        scope: MutableMapping[str, Any],
        receive: Callable[[], Awaitable[MutableMapping[str, Any]]],
        send: Callable[[MutableMapping[str, Any]], Awaitable[None]],
    ) -> None:
        """Serve as an ASGI application; the scope's scheme reaches the handlers as ``X-Forwarded-Proto``
        (unless a proxy set one), so the discovery document names the URLs the client used."""
        if scope.get("type") == "http" and scope.get("scheme"):
            headers = list(scope.get("headers") or [])
            if not any(k.lower() == b"x-forwarded-proto" for k, _ in headers):
                headers.append((b"x-forwarded-proto", str(scope["scheme"]).encode("latin-1")))
                scope = {**scope, "headers": headers}
        await super().__call__(scope, receive, send)

    def _realm_key(self, request: SandboxRequest) -> str | None:
        if not request.path.lower().startswith("/v3/company/"):
            return None
        return request.path.split("/")[3] if len(request.path.split("/")) > 3 else None

    def _app_key(self, request: SandboxRequest) -> str | None:
        realm = self._realm_key(request)
        if realm is None:
            return None
        token = self._bearer(request)
        grant = self._access.get(token or "")
        return f"{realm}:{grant.client_id if grant else 'anonymous'}"

    def _batch_key(self, request: SandboxRequest) -> str | None:
        if not request.path.lower().endswith("/batch"):
            return None
        return self._app_key(request)

    def _batch_realm_key(self, request: SandboxRequest) -> str | None:
        if not request.path.lower().endswith("/batch"):
            return None
        return self._realm_key(request)

    def default_rate_limits(self) -> Sequence[SandboxRateLimit]:
        """QBO's limits (REFERENCE §11): 500 requests/minute per realm (every batch item counts, see
        :meth:`_take_item_slots`), 10 concurrent per realm+app, 40 batch requests/minute per realm+app
        and 120 batch requests/minute per realm."""
        return (
            SandboxRateLimit(name="realm", requests=500, window=60.0, key=self._realm_key),
            SandboxRateLimit(name="concurrency", max_concurrent=10, key=self._app_key),
            SandboxRateLimit(name="batch", requests=40, window=60.0, key=self._batch_key),
            SandboxRateLimit(name="batch-realm", requests=120, window=60.0, key=self._batch_realm_key),
        )

    def _take_item_slots(self, request: SandboxRequest, wanted: int) -> int:
        """Meter ``wanted`` more calls against the realm's 500/minute window; return how many fit.

        A batch item "is metered like a normal call against the 500/min realm budget" and items beyond
        the budget fail one by one with throttle fault 3001 inside the 200 answer (REFERENCE §7).
        """
        if wanted <= 0 or not self.enforce_rate_limits:
            return max(0, wanted)
        limit = next((rl for rl in self.rate_limits if rl.name == "realm"), None)
        key = limit.key(request) if limit is not None else None
        if limit is None or limit.requests is None or key is None:
            return wanted
        with self._limit_lock:
            now = self._clock()
            window = self._windows.setdefault((limit.name, key), deque())
            while window and window[0] <= now - limit.window:
                window.popleft()
            granted = max(0, min(wanted, limit.requests - len(window)))
            window.extend([now] * granted)
        return granted

    def _time(self) -> str:
        return self.company.now().isoformat(timespec="milliseconds")

    def fault_response(self, fault: Fault) -> SandboxResponse:
        """A Fault body with its HTTP status."""
        return json_response(fault.status, {"Fault": fault.body(), "time": self._time()})

    @staticmethod
    def _throttle_fault() -> Fault:
        return Fault(
            "3001",
            "message=ThrottleExceeded; errorCode=003001; statusCode=429",
            "The request limit was reached.",
            status=429,
            fault_type="SERVICE",
        )

    def rate_limited_response(
        self, request: SandboxRequest, retry_after: float, limit: str
    ) -> SandboxResponse:
        """QBO's throttle answer: 429 with fault 3001 (JSON, or XML when ``throttle_format='xml'``)."""
        seconds = str(int(retry_after)) if float(retry_after).is_integer() else f"{retry_after:.3f}"
        headers = {"Retry-After": seconds}
        if self.throttle_format == "xml":
            body = (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<IntuitResponse xmlns="http://schema.intuit.com/finance/v3" time="' + self._time() + '">'
                '<Fault type="SERVICE"><Error code="3001"><Message>message=ThrottleExceeded; errorCode=003001; '
                "statusCode=429</Message><Detail>The request limit was reached.</Detail></Error></Fault>"
                "</IntuitResponse>"
            )
            return SandboxResponse.text(429, body, "application/xml", headers)
        return self.fault_response(self._throttle_fault()).with_headers(headers)

    def server_error_response(self, request: SandboxRequest, status: int) -> SandboxResponse:
        """A SystemFault."""
        return self.fault_response(
            Fault(
                "10000",
                "An application error has occurred while processing your request",
                "System Failure Error",
                status=status,
                fault_type="SystemFault",
            )
        )

    def not_found_response(self, request: SandboxRequest) -> SandboxResponse:
        """An unknown path."""
        return self.fault_response(
            Fault("500", "Unsupported Operation", f"Unsupported path {request.path}", status=404)
        )

    def method_not_allowed_response(self, request: SandboxRequest) -> SandboxResponse:
        """A known path with another method."""
        return self.fault_response(
            Fault("500", "Unsupported Operation", f"Method {request.method} is not supported", status=405)
        )

    def invalid_body_response(self, request: SandboxRequest, message: str) -> SandboxResponse:
        """A body that is not JSON."""
        return self.fault_response(Fault("2010", "Request has invalid or unsupported property", message))

    def enable_multicurrency(self) -> None:
        """Turn multicurrency on (irreversible in QBO, as here)."""
        with self._lock:
            prefs = self.company.data["Preferences"]["1"]
            prefs["CurrencyPrefs"] = {**prefs.get("CurrencyPrefs", {}), "MultiCurrencyEnabled": True}
            self.company.bump(prefs)
            self.company.record("Preferences", "1", "Update")

    # ------------------------------------------------------------------------------------ API glue

    def _api(
        self, request: SandboxRequest, handler: Callable[[], SandboxResponse], *, write: bool
    ) -> SandboxResponse:
        try:
            self._authenticate(request)
        except AuthAbort as abort:
            return abort.response
        self.company.settle_balances()
        request_id = request.param("requestid") if write else None
        if request_id is not None:
            limit = 36 if request.path.lower().endswith("/batch") else 50
            if len(request_id) > limit:
                return self.fault_response(
                    Fault(
                        "6000",
                        "A business validation error has occurred while processing your request",
                        f"Business Validation Error: You cannot enter more than {limit} characters in the request_id field.",
                    )
                )
            cached = self._replays.get((self.realm_id, request_id))
            if cached is not None:
                return cached
        try:
            response = handler()
        except Fault as fault:
            response = self.fault_response(fault)
        if request_id is not None:
            self._replays[(self.realm_id, request_id)] = response
        return response

    def _envelope(self, name: str, obj: Mapping[str, Any]) -> SandboxResponse:
        return json_response(200, {JSON_NAMES.get(name, name): obj, "time": self._time()})

    def _entity_name(self, segment: str) -> str:
        name = SEGMENTS.get(segment.lower())
        if name is None:
            raise Fault("500", "Unsupported Operation", f"Unsupported entity {segment}", status=400)
        return name

    def _with_links(self, request: SandboxRequest, name: str, obj: dict[str, Any]) -> dict[str, Any]:
        """``?include=invoiceLink`` (mv36): the customer-facing link of an invoice whose online payment is on
        and whose BillEmail holds an address (Intuit's Invoice page: "The link is generated only for invoices
        with online payment enabled and having a valid customer email address")."""
        if name != "Invoice" or "invoicelink" not in (request.param("include") or "").lower():
            return obj
        email = (
            (obj.get("BillEmail") or {}).get("Address") if isinstance(obj.get("BillEmail"), Mapping) else None
        )
        online = (
            obj.get("AllowOnlineCreditCardPayment")
            or obj.get("AllowOnlineACHPayment")
            or obj.get("AllowOnlinePayment")
        )
        if not email or "@" not in str(email) or not online:
            return obj
        token = hashlib.sha256(f"{self.realm_id}:{obj['Id']}".encode()).hexdigest()[:32]
        return {
            **obj,
            "InvoiceLink": f"{origin(request)}/comm/portal/app/CommerceNetwork/view/scs-v1-{token}",
        }

    def _read_route(self, request: SandboxRequest) -> SandboxResponse:
        def handler() -> SandboxResponse:
            name = self._entity_name(request.path_params["entity"])
            entity_id = request.path_params["entity_id"]
            if name == "CompanyInfo":
                if entity_id != self.realm_id:
                    raise Fault("610", "Object Not Found", "Object Not Found : CompanyInfo")
                return self._envelope(name, self.company.data["CompanyInfo"]["1"])
            if name == "Preferences":
                return self._envelope(name, self.company.data["Preferences"]["1"])
            if name == "ExchangeRate":
                raise Fault(
                    "500",
                    "Unsupported Operation",
                    "Read an ExchangeRate with GET /exchangerate?sourcecurrencycode=",
                )
            return self._envelope(name, self._with_links(request, name, self.company.get(name, entity_id)))

        return self._api(request, handler, write=False)

    def _preferences_route(self, request: SandboxRequest) -> SandboxResponse:
        return self._api(
            request, lambda: self._envelope("Preferences", self.company.data["Preferences"]["1"]), write=False
        )

    def _exchangerate_route(self, request: SandboxRequest) -> SandboxResponse:
        def handler() -> SandboxResponse:
            self.company.require_multicurrency()
            code = (request.param("sourcecurrencycode") or "").upper()
            if not code:
                raise required_param("sourcecurrencycode")
            as_of = request.param("asofdate") or self.company.today().isoformat()
            if not re.match(r"^\d{4}-\d{2}-\d{2}$", as_of):
                raise Fault("2170", "Invalid Date", f"Invalid asofdate {as_of!r}", element="asofdate")
            self.company.require_currency(code)
            return self._envelope("ExchangeRate", self.company.exchange_rate(code, as_of))

        return self._api(request, handler, write=False)

    def _write_route(self, request: SandboxRequest) -> SandboxResponse:
        def handler() -> SandboxResponse:
            name = self._entity_name(request.path_params["entity"])
            body = read_json(request)
            operation = (request.param("operation") or "").lower()
            include = (request.param("include") or "").lower()
            result = self._apply(name, operation, include, body, options=None)
            return self._envelope(name, self._with_links(request, name, result))

        return self._api(request, handler, write=True)

    def _read_body(self, name: str, body: Any) -> dict[str, Any]:
        """The body read against the entity's XSD type (fault 2010 for unknown keys and wrong shapes)."""
        if name == "RecurringTransaction":
            if not isinstance(body, Mapping):
                return check_body("RecurringTransaction", body)
            out: dict[str, Any] = {}
            for key, value in body.items():
                if key not in TEMPLATE_TYPES:
                    check_body("RecurringTransaction", {key: value})
                out[key] = check_body(key, value, key)
            return out
        return check_body(JSON_NAMES.get(name, name), body)

    def _apply(
        self, name: str, operation: str, include: str, raw: Any, *, options: str | None
    ) -> dict[str, Any]:
        c = self.company
        body = self._read_body(name, raw)
        if name == "ExchangeRate":
            if operation not in {"", "update"}:
                raise Fault(
                    "500", "Unsupported Operation", f"Operation {operation} is not supported for ExchangeRate"
                )
            return c.set_exchange_rate(body)
        if operation == "delete":
            return c.delete(name, body)
        if operation == "void":
            if name not in VOID_BY_OPERATION:
                raise Fault(
                    "500", "Unsupported Operation", f"Use operation=update&include=void to void a {name}"
                )
            return c.void(name, body)
        if operation == "update" and (include == "void" or options == "void"):
            if name in VOID_BY_OPERATION and options != "void":
                raise Fault("500", "Unsupported Operation", f"Use operation=void to void an {name}")
            return c.void(name, body)
        if operation in {"", "update", "create"}:
            if name in {"CompanyInfo", "Preferences"}:
                return self._update_singleton(name, body)
            if name == "RecurringTransaction":
                return c.update_recurring(body) if operation != "create" else c.create_recurring(body)
            if body.get("Id") not in (None, "") and operation != "create":
                return c.update(name, body)
            if operation == "update":
                raise Fault(
                    "2020",
                    "Required param missing, need to supply the required value for the API",
                    "Required parameter Id is missing in the request",
                    element="Id",
                )
            return c.create(name, body)
        raise Fault("500", "Unsupported Operation", f"Operation {operation} is not supported")

    def _update_singleton(self, name: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """CompanyInfo (full or sparse) and Preferences (full only; read-only prefs such as CurrencyPrefs
        are kept, writable sections omitted from the body are cleared, as Intuit's Preferences page says)."""
        c = self.company
        old = c.data[name]["1"]
        if body.get("SyncToken") in (None, ""):
            raise Fault(
                "2020",
                "Required param missing, need to supply the required value for the API",
                "Required parameter SyncToken is missing in the request",
                element="SyncToken",
            )
        if str(body.get("SyncToken")) != str(old.get("SyncToken")):
            raise Fault(
                "5010",
                "Stale Object Error",
                "Stale Object Error : the SyncToken is stale",
                element="SyncToken",
            )
        if name == "Preferences" and body.get("sparse") is True:
            raise Fault("500", "Unsupported Operation", "Preferences support full update only")
        writable = {
            k: copy.deepcopy(v)
            for k, v in body.items()
            if k not in {"Id", "SyncToken", "MetaData", "domain", "sparse", "status"}
        }
        if name == "Preferences":
            writable.pop("CurrencyPrefs", None)  # read-only: multicurrency is switched on in the UI only
        if body.get("sparse") is True:
            new = {**copy.deepcopy(old), **writable}
        else:
            keep = ("Id", "SyncToken", "MetaData", "domain", "CurrencyPrefs")
            new = {k: old[k] for k in keep if k in old}
            new.update(writable)
        new = {k: v for k, v in new.items() if v != ""}  # an empty string is no value (see Company.prepare)
        new["sparse"] = False
        c.bump(new)
        c.data[name]["1"] = new
        c.record(name, "1", "Update")
        return new

    # ------------------------------------------------------------------------------ taxes and files

    def _taxservice_route(self, request: SandboxRequest) -> SandboxResponse:
        """POST /taxservice/taxcode (see :func:`create_tax_code`)."""
        return self._api(
            request,
            lambda: json_response(
                200, create_tax_code(self.company, check_body("TaxService", read_json(request)))
            ),
            write=True,
        )

    # --------------------------------------------------------------------------------------- query

    def _query_route(self, request: SandboxRequest) -> SandboxResponse:
        def handler() -> SandboxResponse:
            if request.method == "GET":
                text = request.param("query")
            elif request.method == "POST":
                content_type = (request.header("content-type") or "").lower()
                if "application/text" not in content_type and "text/plain" not in content_type:
                    raise Fault(
                        "500", "Unsupported Operation", "POST /query needs Content-Type: application/text"
                    )
                try:
                    text = request.body.decode("utf-8")
                except UnicodeDecodeError:
                    raise Fault(
                        "500",
                        "Unsupported Operation",
                        "MalformedByteSequenceException: the body is not UTF-8",
                    ) from None
            else:
                raise Fault("500", "Unsupported Operation", "Use GET or POST for /query", status=405)
            if not text:
                raise Fault("4000", "Error parsing query", "QueryParserError: empty query")
            page = self.run_query(text)
            name = next((k for k in page if k not in {"startPosition", "maxResults", "totalCount"}), None)
            if name == "Invoice" and "invoicelink" in (request.param("include") or "").lower():
                page = {**page, name: [self._with_links(request, "Invoice", row) for row in page[name]]}
            return json_response(200, {"QueryResponse": page, "time": self._time()})

        return self._api(request, handler, write=False)

    def _query_entity(self, parsed: ParsedQuery) -> str:
        wanted = parsed.entity.lower()
        name = next(
            (n for n in ENTITIES if n.lower() == wanted or JSON_NAMES.get(n, "").lower() == wanted), None
        )
        if name is None:
            raise Fault(
                "4001", "Invalid query", f"QueryValidationError: invalid context declaration: {parsed.entity}"
            )
        return name

    def _check_properties(self, name: str, parsed: ParsedQuery) -> None:
        """Every property the statement names must exist on the entity (and be filterable in WHERE)."""
        type_name = JSON_NAMES.get(name, name)
        extra = {"Type"} if name == "RecurringTransaction" else set()

        def check(path: str, *, where: bool) -> None:
            head = path.split(".")[0]
            if head in extra or head.lower() in {e.lower() for e in extra}:
                return
            canonical = resolve(type_name, path)
            if canonical is None and name == "RecurringTransaction":
                canonical = next((resolve(t, path) for t in TEMPLATE_TYPES if resolve(t, path)), None)
            if canonical is None:
                raise Fault(
                    "4001", "Invalid query", f"QueryValidationError: property '{path}' is not queryable"
                )
            if where and (
                canonical.split(".")[0] == "Line" or canonical.split(".")[0] in _NOT_QUERYABLE.get(name, ())
            ):
                raise Fault(
                    "4001", "Invalid query", f"QueryValidationError: property '{canonical}' is not queryable"
                )

        for field in parsed.selected:
            check(field, where=False)
        for cond in parsed.conditions:
            check(cond.field, where=True)
        for field, _ in parsed.order:
            check(field, where=False)

    def run_query(self, text: str) -> dict[str, Any]:
        """Evaluate a statement against the company; the ``QueryResponse`` object.

        Raises:
            Fault: 4000 (parse error) or 4001 (invalid entity, clause or property).
        """
        try:
            parsed = parse_query(text)
        except QueryParseError as exc:
            raise Fault("4000", "Error parsing query", str(exc)) from None
        except QueryValidationError as exc:
            raise Fault("4001", "Invalid query", str(exc)) from None
        name = self._query_entity(parsed)
        self._check_properties(name, parsed)
        rows = self._select(name, parsed)
        if parsed.count:
            return {"totalCount": sum(1 for _ in rows)}
        page = list(islice(rows, parsed.start - 1, parsed.start - 1 + parsed.max_results))
        if not page:
            return {}
        if parsed.fields is not None:
            keep = {f.split(".")[0].lower() for f in parsed.fields} | {"id", "synctoken"}
            page = [
                {**{k: v for k, v in row.items() if k.lower() in keep}, "domain": "QBO", "sparse": True}
                for row in page
            ]
        return {JSON_NAMES.get(name, name): page, "startPosition": parsed.start, "maxResults": len(page)}

    def _select(self, name: str, parsed: ParsedQuery) -> Iterable[dict[str, Any]]:
        """The matching rows in answer order; lazy when no sort is needed, so a page of a large table
        costs its own rows, not the whole table."""
        today = self.company.today()
        conditions = list(parsed.conditions)
        if name == "RecurringTransaction":
            kinds = [c for c in conditions if c.field.lower() == "type"]
            conditions = [c for c in conditions if c.field.lower() != "type"]
            wrapped = [
                row
                for row in self.company.data[name].values()
                if all(matches({"Type": next(iter(row))}, c, today) for c in kinds)
                and all(matches(row[next(iter(row))], c, today) for c in conditions)
            ]
            return sorted(wrapped, key=lambda row: int(row[next(iter(row))]["Id"]))
        order = list(parsed.order)
        by_id = len(order) == 1 and order[0][0].lower() == "id"
        rows: Iterable[dict[str, Any]]
        if name == "ExchangeRate":
            # ``asofdate = 'D'`` picks the rates in effect on D (each keeps its own AsOfDate, as in Intuit's
            # ExchangeRate query sample), so it selects rather than filters.
            rows = self._exchange_rows(parsed)
            conditions = [c for c in conditions if c.field.lower() != "asofdate"]
            by_id = False
        elif by_id and order[0][1]:
            rows = reversed(self.company.data[name].values())
        elif (picked := self._by_ids(name, conditions)) is not None:
            rows = picked
        else:
            # Stored in id order (ids grow; updates keep their slot), pseudo tax codes first.
            rows = self.company.data[name].values()
        if name in ACTIVE_FILTERED and not any(c.field.lower() == "active" for c in conditions):
            rows = (row for row in rows if row.get("Active", True) is not False)
        if conditions:
            rows = (row for row in rows if all(matches(row, c, today) for c in conditions))
        if not order or by_id:
            return rows
        ordered = list(rows)
        for field, desc in reversed(order):
            ordered.sort(key=lambda row, f=field: sort_key(row, f), reverse=desc)  # type: ignore[misc]
        return ordered

    def _by_ids(self, name: str, conditions: list[Condition]) -> list[dict[str, Any]] | None:
        """The rows an ``Id = x`` / ``Id IN (...)`` condition names, in stored (numeric id) order, taken
        from the table by key instead of by testing every row (a look-up of 30 ids in a 50,000-row table
        tested 50,000 rows). ``None`` when no such condition applies or an id is not numeric (pseudo
        tax codes keep their own order); the caller still tests every condition on the rows."""
        for cond in conditions:
            if cond.field.lower() != "id" or cond.op not in {"=", "IN"}:
                continue
            literals = cond.value if isinstance(cond.value, tuple) else (cond.value,)
            ids = {str(literal.value) for literal in literals}
            if not all(i.isdigit() for i in ids):
                return None
            table = self.company.data[name]
            return [table[i] for i in sorted(ids, key=int) if i in table]
        return None

    def _exchange_rows(self, parsed: ParsedQuery) -> list[dict[str, Any]]:
        """One rate per active currency as of the ``AsOfDate`` the statement names (default today)."""
        self.company.require_multicurrency()
        as_of = next(
            (
                str(c.value.value)
                for c in parsed.conditions
                if c.field.lower() == "asofdate" and c.op == "=" and not isinstance(c.value, tuple)
            ),
            self.company.today().isoformat(),
        )
        codes = [
            v["Code"] for v in self.company.data["CompanyCurrency"].values() if v.get("Active") is not False
        ]
        return [self.company.exchange_rate(code, as_of) for code in codes]

    # --------------------------------------------------------------------------------------- batch

    def _batch_route(self, request: SandboxRequest) -> SandboxResponse:
        def handler() -> SandboxResponse:
            body = read_json(request)
            items = body.get("BatchItemRequest") if isinstance(body, Mapping) else None
            if not isinstance(items, list) or not items:
                raise Fault(
                    "2020",
                    "Required param missing, need to supply the required value for the API",
                    "BatchItemRequest is missing",
                    element="BatchItemRequest",
                )
            if len(items) > BATCH_MAX:
                raise Fault(
                    "6000",
                    "A business validation error has occurred while processing your request",
                    f"Business Validation Error: a batch holds at most {BATCH_MAX} items, got {len(items)}",
                )
            if not all(isinstance(item, Mapping) for item in items):
                raise Fault(
                    "2010",
                    "Request has invalid or unsupported property",
                    "Property Name:every BatchItemRequest entry must be an object",
                )
            bids = [str(item.get("bId", "")) for item in items]
            if any(not b for b in bids) or len(set(bids)) != len(bids):
                raise Fault(
                    "6000",
                    "A business validation error has occurred while processing your request",
                    "Business Validation Error: every item needs a unique bId",
                )
            if request.param("requestid") is not None and any(len(b) > 10 for b in bids):
                raise Fault(
                    "6000",
                    "A business validation error has occurred while processing your request",
                    "Business Validation Error: bId is limited to 10 characters when requestid is used",
                )
            granted = 1 + self._take_item_slots(request, len(items) - 1)
            answers = [
                self._batch_item(item)
                if index < granted
                else {"bId": str(item.get("bId")), "Fault": self._throttle_fault().body()}
                for index, item in enumerate(items)
            ]
            return json_response(200, {"BatchItemResponse": answers, "time": self._time()})

        return self._api(request, handler, write=True)

    def _batch_item(self, item: Mapping[str, Any]) -> dict[str, Any]:
        bid = str(item.get("bId"))
        try:
            return {"bId": bid, **self._batch_answer(item)}
        except Fault as fault:
            return {"bId": bid, "Fault": fault.body()}

    def _batch_answer(self, item: Mapping[str, Any]) -> dict[str, Any]:
        if "Query" in item:
            if not isinstance(item["Query"], str):
                raise Fault(
                    "2010",
                    "Request has invalid or unsupported property",
                    "Property Name:Query must be a string",
                )
            return {"QueryResponse": self.run_query(item["Query"])}
        operation = str(item.get("operation") or "").lower()
        names = [k for k in item if k not in {"bId", "operation", "optionsData"}]
        if len(names) != 1:
            raise Fault("2010", "Request has invalid or unsupported property", "One entity per batch item")
        key = names[0]
        name = next(
            (n for n in ENTITIES if JSON_NAMES.get(n, n).lower() == key.lower()), None
        ) or self._entity_name(key)
        if operation not in {"create", "update", "delete"}:
            raise Fault(
                "2170", "Invalid Enumeration", f"Invalid operation {operation!r}", element="operation"
            )
        options = str(item.get("optionsData") or "").lower() or None
        if name == "RecurringTransaction":
            raise Fault("500", "Unsupported Operation", "RecurringTransaction is not supported in batch")
        return {JSON_NAMES.get(name, name): self._apply(name, operation, "", item[key], options=options)}

    # ----------------------------------------------------------------------------------------- CDC

    def _cdc_route(self, request: SandboxRequest) -> SandboxResponse:
        def handler() -> SandboxResponse:
            entities = [e.strip() for e in (request.param("entities") or "").split(",") if e.strip()]
            since_text = request.param("changedSince") or ""
            if not entities:
                raise required_param("entities")
            try:
                since = datetime.fromisoformat(since_text.replace("Z", "+00:00"))
            except ValueError:
                raise Fault(
                    "2170", "Invalid Date", f"Invalid changedSince {since_text!r}", element="changedSince"
                ) from None
            if since.tzinfo is None:
                since = since.replace(tzinfo=timezone.utc)
            if self._wall() - since > CDC_WINDOW:
                raise Fault(
                    "6000",
                    "A business validation error has occurred while processing your request",
                    "Business Validation Error: changedSince must be within the last 30 days",
                )
            responses: list[dict[str, Any]] = []
            budget = CDC_MAX
            for raw_name in entities:
                name = next((n for n in ENTITIES if n.lower() == raw_name.lower()), None)
                if name is None or name in _CDC_UNSUPPORTED:
                    raise Fault("4001", "Invalid query", f"CDC does not support entity {raw_name}")
                active = [
                    o for o in self.company.data[name].values() if self.company.last_updated(o) >= since
                ]
                active.sort(key=lambda o: (self.company.last_updated(o), _id_key(str(o.get("Id", "0")))))
                gone = [
                    {
                        "domain": "QBO",
                        "status": "Deleted",
                        "Id": entity_id,
                        "MetaData": {
                            "LastUpdatedTime": at.astimezone(self.company.now().tzinfo).isoformat(
                                timespec="seconds"
                            )
                        },
                    }
                    for entity, entity_id, at in self.company.tombstones
                    if entity == name and at >= since
                ]
                objects = (active + gone)[: max(0, budget)]
                budget -= len(objects)
                if objects:
                    responses.append(
                        {
                            JSON_NAMES.get(name, name): objects,
                            "startPosition": 1,
                            "maxResults": len(objects),
                            "totalCount": len(objects),
                        }
                    )
            return json_response(
                200, {"CDCResponse": [{"QueryResponse": responses or [{}]}], "time": self._time()}
            )

        return self._api(request, handler, write=False)

    # --------------------------------------------------------------------------------------- data

    def seed(self, *, size: int = 100, seed: int = 0) -> dict[str, int]:
        """Fill the company with a deterministic MSP dataset of about ``size`` customers and invoices.

        Creates classes, departments, service items, customers, vendors, employees, invoices (with
        lines whose amounts obey Qty x UnitPrice), partial and multi-invoice payments, billable time and
        bills, through the same rules as the API. Returns the counts created per entity.
        """
        with self._lock:
            return seed_company(self.company, self._wall, size=size, seed=seed)

    def add_entity(self, entity: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """Create an entity directly (no HTTP, no request log), with the API's validations.

        The body is read against Intuit's schema as an HTTP create is (unknown keys are fault 2010).

        Raises:
            Fault: What the API would answer (``.code``, ``.detail``, ``.element``).
        """
        with self._lock:
            return copy.deepcopy(self.company.create(entity, self._read_body(entity, body)))

    def entity(self, entity: str, entity_id: str) -> dict[str, Any]:
        """A stored entity as the API would return it (a copy)."""
        with self._lock:
            return copy.deepcopy(self.company.get(entity, entity_id))

    def entities(self, entity: str) -> list[dict[str, Any]]:
        """Every stored entity of a type (copies), by id."""
        with self._lock:
            self.company.settle_balances()
            return [
                copy.deepcopy(v)
                for _, v in sorted(self.company.data[entity].items(), key=lambda kv: _id_key(kv[0]))
            ]


def required_param(name: str) -> Fault:
    """Fault 2020 for a missing query parameter."""
    return Fault(
        "2020",
        "Required param missing, need to supply the required value for the API",
        f"Required parameter {name} is missing in the request",
        element=name,
    )
