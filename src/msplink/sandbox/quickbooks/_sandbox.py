"""``QuickBooksSandbox``: an in-memory emulator of the QBO Accounting API v3 and Intuit OAuth 2.0."""

from __future__ import annotations

import base64
import binascii
import copy
import hashlib
import hmac
import json
import random
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, ClassVar
from urllib.parse import urlencode

import attrs

from msplink.sandbox._framework import (
    Sandbox,
    SandboxRateLimit,
    SandboxRequest,
    SandboxResponse,
    json_dumps,
)
from msplink.sandbox.quickbooks._query import (
    ParsedQuery,
    QueryParseError,
    QueryValidationError,
    matches,
    parse_query,
    sort_key,
)
from msplink.sandbox.quickbooks._state import (
    ENTITIES,
    NAME_LISTS,
    SEGMENTS,
    Company,
    Fault,
)

__all__ = ["QuickBooksSandbox"]

REALM_PREFIX = "/v3/company/{realm}"
ACCESS_TTL = 3600.0
REFRESH_TTL = 8_726_400
BATCH_MAX = 30
CDC_MAX = 1000
CDC_WINDOW = timedelta(days=30)
_CDC_UNSUPPORTED = frozenset({"TaxCode", "TaxRate", "CompanyInfo", "Preferences", "RecurringTransaction"})


@attrs.define
class _Access:
    client_id: str
    realm_id: str
    expires_at: float
    grant: str
    revoked: bool = False


@attrs.define
class _Refresh:
    client_id: str
    realm_id: str
    grant: str
    expires_at: float = float("inf")
    superseded_at: float | None = None
    revoked: bool = False


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


class QuickBooksSandbox(Sandbox):
    """The QBO emulator: Accounting API v3 entities, query language, batch, CDC, webhooks, OAuth 2.0.

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
        self._access: dict[str, _Access] = {}
        self._refresh: dict[str, _Refresh] = {}
        self._codes: dict[str, dict[str, Any]] = {}
        self._replays: dict[tuple[str, str], SandboxResponse] = {}
        self._webhook_cursor = 0
        self.token_requests = 0
        super().__init__(**options)
        self._install_defaults()

    # ------------------------------------------------------------------------------ configuration

    def _register_routes(self) -> None:
        r = self.router
        r.add("POST", "/oauth2/v1/tokens/bearer", self._token)
        r.add("POST", "/v2/oauth2/tokens/revoke", self._revoke)
        r.add("GET", "/connect/oauth2", self._authorize_page)
        r.add("GET", "/.well-known/openid_configuration", self._discovery)
        r.add("GET", "/.well-known/openid_sandbox_configuration", self._discovery)
        r.add("*", REALM_PREFIX + "/query", self._query_route)
        r.add("POST", REALM_PREFIX + "/batch", self._batch_route)
        r.add("GET", REALM_PREFIX + "/cdc", self._cdc_route)
        r.add("GET", REALM_PREFIX + "/preferences", self._preferences_route)
        r.add("GET", REALM_PREFIX + "/{entity}/{entity_id}", self._read_route)
        r.add("POST", REALM_PREFIX + "/{entity}", self._write_route)

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

    def default_rate_limits(self) -> Sequence[SandboxRateLimit]:
        """QBO's limits: 500 requests/minute per realm, 10 concurrent per realm+app, 40 batch/minute."""
        return (
            SandboxRateLimit(name="realm", requests=500, window=60.0, key=self._realm_key),
            SandboxRateLimit(name="concurrency", max_concurrent=10, key=self._app_key),
            SandboxRateLimit(name="batch", requests=40, window=60.0, key=self._batch_key),
        )

    def _time(self) -> str:
        return self.company.now().isoformat(timespec="milliseconds")

    def fault_response(self, fault: Fault) -> SandboxResponse:
        """A Fault body with its HTTP status."""
        return SandboxResponse.json(fault.status, {"Fault": fault.body(), "time": self._time()})

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
        fault = Fault(
            "3001",
            "message=ThrottleExceeded; errorCode=003001; statusCode=429",
            "The request limit was reached.",
            status=429,
            fault_type="SERVICE",
        )
        return self.fault_response(fault).with_headers(headers)

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

    # ------------------------------------------------------------------------------------- OAuth

    def _new_secret(self, prefix: str) -> str:
        return prefix + "".join(self._rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(40))

    def _issue(self, client_id: str, realm_id: str, grant: str | None = None) -> dict[str, Any]:
        grant = grant or uuid.UUID(int=self._rng.getrandbits(128)).hex
        access = self._new_secret("eyJsandbox.")
        refresh = self._new_secret("RT1-")
        self._access[access] = _Access(client_id, realm_id, self._clock() + ACCESS_TTL, grant)
        self._refresh[refresh] = _Refresh(client_id, realm_id, grant, expires_at=self._clock() + REFRESH_TTL)
        return {
            "token_type": "bearer",
            "expires_in": int(ACCESS_TTL),
            "access_token": access,
            "refresh_token": refresh,
            "x_refresh_token_expires_in": REFRESH_TTL,
        }

    def credentials(self) -> dict[str, Any]:
        """Working credentials: realm, client id/secret, a fresh token pair, redirect URI, verifier token."""
        with self._lock:
            tokens = self._issue(self.client_id, self.realm_id)
        return {
            "realm_id": self.realm_id,
            "client_id": self.client_id,
            "client_secret": self._client_secret,
            "access_token": tokens["access_token"],
            "refresh_token": tokens["refresh_token"],
            "expires_in": tokens["expires_in"],
            "redirect_uri": self.redirect_uri,
            "verifier_token": self.verifier_token,
            "environment": "sandbox",
        }

    def authorize(
        self, *, state: str = "", redirect_uri: str | None = None, client_id: str | None = None
    ) -> str:
        """Simulate the user consenting: return the redirect URL carrying ``code``, ``state`` and ``realmId``."""
        with self._lock:
            code = self._new_secret("AB11")
            self._codes[code] = {
                "client_id": client_id or self.client_id,
                "redirect_uri": redirect_uri or self.redirect_uri,
                "used": False,
                "grant": None,
            }
        query = urlencode({"code": code, "state": state, "realmId": self.realm_id})
        return f"{redirect_uri or self.redirect_uri}?{query}"

    def _authorize_page(self, request: SandboxRequest) -> SandboxResponse:
        if request.param("client_id") != self.client_id or request.param("response_type") != "code":
            return SandboxResponse.json(400, {"error": "invalid_request"})
        location = self.authorize(
            state=request.param("state") or "",
            redirect_uri=request.param("redirect_uri"),
            client_id=self.client_id,
        )
        return SandboxResponse.empty(302, {"Location": location})

    def _discovery(self, request: SandboxRequest) -> SandboxResponse:
        return SandboxResponse.json(
            200,
            {
                "issuer": "https://oauth.platform.intuit.com/op/v1",
                "authorization_endpoint": "https://appcenter.intuit.com/connect/oauth2",
                "token_endpoint": "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer",
                "revocation_endpoint": "https://developer.api.intuit.com/v2/oauth2/tokens/revoke",
                "response_types_supported": ["code"],
                "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            },
        )

    def _client_auth(self, request: SandboxRequest) -> str | None:
        header = request.header("authorization") or ""
        if not header.lower().startswith("basic "):
            form = request.form() if request.body else {}
            if form.get("client_id") == self.client_id and form.get("client_secret") == self._client_secret:
                return self.client_id
            return None
        try:
            decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        client_id, _, secret = decoded.partition(":")
        if client_id == self.client_id and hmac.compare_digest(secret, self._client_secret):
            return client_id
        return None

    @staticmethod
    def _oauth_error(status: int, error: str, description: str) -> SandboxResponse:
        return SandboxResponse.json(status, {"error": error, "error_description": description})

    def _token(self, request: SandboxRequest) -> SandboxResponse:
        self.token_requests += 1
        client_id = self._client_auth(request)
        if client_id is None:
            return self._oauth_error(401, "invalid_client", "Client authentication failed")
        form = request.form()
        grant_type = form.get("grant_type")
        if grant_type == "authorization_code":
            code = self._codes.get(form.get("code", ""))
            if code is None or code["client_id"] != client_id:
                return self._oauth_error(400, "invalid_grant", "Incorrect or invalid authorization code")
            if code["used"]:
                self._revoke_grant(code["grant"])  # a double exchange poisons the code
                return self._oauth_error(400, "invalid_grant", "Authorization code has already been used")
            if form.get("redirect_uri") != code["redirect_uri"]:
                return self._oauth_error(400, "invalid_grant", "redirect_uri does not match")
            tokens = self._issue(client_id, self.realm_id)
            code["used"] = True
            code["grant"] = self._refresh[tokens["refresh_token"]].grant
            return SandboxResponse.json(200, tokens)
        if grant_type == "refresh_token":
            value = form.get("refresh_token", "")
            state = self._refresh.get(value)
            if state is None or state.revoked or state.client_id != client_id:
                return self._oauth_error(400, "invalid_grant", "Incorrect or invalid refresh token")
            if self._clock() >= state.expires_at or (
                state.superseded_at is not None and self._clock() - state.superseded_at > self.refresh_grace
            ):
                return self._oauth_error(400, "invalid_grant", "Token has been expired or revoked")
            tokens = self._issue(client_id, state.realm_id, state.grant)
            if self.rotate_refresh_tokens:
                for other in self._refresh.values():
                    if (
                        other.grant == state.grant
                        and other.superseded_at is None
                        and other is not self._refresh[tokens["refresh_token"]]
                    ):
                        other.superseded_at = self._clock()
            else:
                del self._refresh[tokens["refresh_token"]]
                tokens["refresh_token"] = value
            return SandboxResponse.json(200, tokens)
        return self._oauth_error(400, "unsupported_grant_type", f"grant_type {grant_type!r} is not supported")

    def _revoke_grant(self, grant: str | None) -> None:
        if grant is None:
            return
        for access in self._access.values():
            if access.grant == grant:
                access.revoked = True
        for refresh in self._refresh.values():
            if refresh.grant == grant:
                refresh.revoked = True

    def _revoke(self, request: SandboxRequest) -> SandboxResponse:
        if self._client_auth(request) is None:
            return self._oauth_error(401, "invalid_client", "Client authentication failed")
        token = str((request.json() or {}).get("token", ""))
        found = self._refresh.get(token) or self._access.get(token)
        if found is None:
            return self._oauth_error(400, "invalid_request", "Unknown token")
        self._revoke_grant(found.grant)
        return SandboxResponse.empty(200)

    @staticmethod
    def _bearer(request: SandboxRequest) -> str | None:
        header = request.header("authorization") or ""
        return header[7:].strip() if header.lower().startswith("bearer ") else None

    def _unauthorized(self, detail: str) -> SandboxResponse:
        body: dict[str, Any] = {
            "warnings": None,
            "intuitObject": None,
            "fault": {
                "error": [
                    {
                        "message": "message=AuthenticationFailed; errorCode=003200; statusCode=401",
                        "detail": detail,
                        "code": "3200",
                        "element": None,
                    }
                ],
                "type": "AUTHENTICATION",
            },
            "report": None,
            "queryResponse": None,
            "batchItemResponse": [],
            "attachableResponse": [],
            "syncErrorResponse": None,
            "requestId": None,
            "time": int(self._wall().timestamp() * 1000),
            "status": None,
            "cdcresponse": [],
        }
        return SandboxResponse.json(
            401, body, {"WWW-Authenticate": 'Bearer realm="Intuit", error="invalid_token"'}
        )

    def _authenticate(self, request: SandboxRequest) -> None:
        token = self._bearer(request)
        if not token:
            raise _Abort(self._unauthorized("Malformed bearer token: too short or too long"))
        grant = self._access.get(token)
        if grant is None:
            raise _Abort(self._unauthorized("Malformed bearer token: too short or too long"))
        if grant.revoked:
            raise _Abort(self._unauthorized("Token revoked"))
        if self._clock() >= grant.expires_at:
            raise _Abort(self._unauthorized("Token expired: " + token[:8] + "..."))
        realm = request.path_params.get("realm", "")
        if realm != grant.realm_id:
            raise _Abort(
                self.fault_response(
                    Fault(
                        "3100",
                        "message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403",
                        "The token is not authorized for this company",
                        status=403,
                        fault_type="AuthorizationFault",
                    )
                )
            )

    def expire_credentials(self, request: SandboxRequest) -> None:
        """Expire the access token a request carries (TOKEN_EXPIRY faults)."""
        grant = self._access.get(self._bearer(request) or "")
        if grant is not None:
            grant.expires_at = self._clock()

    def expire_access_tokens(self) -> None:
        """Expire every access token now (their refresh tokens stay valid)."""
        with self._lock:
            for grant in self._access.values():
                grant.expires_at = min(grant.expires_at, self._clock())

    # ------------------------------------------------------------------------------------ API glue

    def _api(
        self, request: SandboxRequest, handler: Callable[[], SandboxResponse], *, write: bool
    ) -> SandboxResponse:
        try:
            self._authenticate(request)
        except _Abort as abort:
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
        return SandboxResponse.json(200, {name: obj, "time": self._time()})

    def _entity_name(self, segment: str) -> str:
        name = SEGMENTS.get(segment.lower())
        if name is None:
            raise Fault("500", "Unsupported Operation", f"Unsupported entity {segment}", status=400)
        return name

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
            obj = self.company.get(name, entity_id)
            if name == "RecurringTransaction":
                return self._envelope("RecurringTransaction", obj)
            return self._envelope(name, obj)

        return self._api(request, handler, write=False)

    def _preferences_route(self, request: SandboxRequest) -> SandboxResponse:
        return self._api(
            request, lambda: self._envelope("Preferences", self.company.data["Preferences"]["1"]), write=False
        )

    def _write_route(self, request: SandboxRequest) -> SandboxResponse:
        def handler() -> SandboxResponse:
            name = self._entity_name(request.path_params["entity"])
            body = request.json()
            if not isinstance(body, Mapping):
                raise Fault(
                    "2010", "Request has invalid or unsupported property", "The body must be an object"
                )
            operation = (request.param("operation") or "").lower()
            include = (request.param("include") or "").lower()
            if name == "RecurringTransaction":
                if operation == "delete":
                    return self._envelope("RecurringTransaction", self.company.delete_recurring(body))
                if operation:
                    raise Fault("500", "Unsupported Operation", f"Operation {operation} is not supported")
                return self._envelope("RecurringTransaction", self.company.create_recurring(body))
            result = self._apply(name, operation, include, body, options=None)
            return self._envelope(name, result)

        return self._api(request, handler, write=True)

    def _apply(
        self, name: str, operation: str, include: str, body: Mapping[str, Any], *, options: str | None
    ) -> dict[str, Any]:
        c = self.company
        if operation == "delete":
            return c.delete(name, body)
        if operation == "void":
            if name != "Invoice":
                raise Fault(
                    "500", "Unsupported Operation", f"Use operation=update&include=void to void a {name}"
                )
            return c.void(name, body)
        if operation == "update" and (include == "void" or options == "void"):
            if name == "Invoice" and options == "void":
                return c.void(name, body)
            if name == "Invoice":
                raise Fault("500", "Unsupported Operation", "Use operation=void to void an Invoice")
            return c.void(name, body)
        if operation in {"", "update", "create"}:
            if name in {"CompanyInfo", "Preferences"}:
                return self._update_singleton(name, body)
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
        c = self.company
        old = c.data[name]["1"]
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
            if k not in {"Id", "SyncToken", "MetaData", "domain", "sparse"}
        }
        if body.get("sparse") is True:
            new = {**copy.deepcopy(old), **writable}
        else:
            new = {k: old[k] for k in ("Id", "SyncToken", "MetaData", "domain") if k in old}
            new.update(writable)
        new["sparse"] = False
        c._bump(new)
        c.data[name]["1"] = new
        c.record(name, "1", "Update")
        return new

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
                text = request.text()
            else:
                raise Fault("500", "Unsupported Operation", "Use GET or POST for /query", status=405)
            if not text:
                raise Fault("4000", "Error parsing query", "QueryParserError: empty query")
            return SandboxResponse.json(200, {"QueryResponse": self.run_query(text), "time": self._time()})

        return self._api(request, handler, write=False)

    def run_query(self, text: str) -> dict[str, Any]:
        """Evaluate a statement against the company; the ``QueryResponse`` object.

        Raises:
            Fault: 4000 (parse error) or 4001 (invalid entity / clause).
        """
        try:
            parsed = parse_query(text)
        except QueryParseError as exc:
            raise Fault("4000", "Error parsing query", str(exc)) from None
        except QueryValidationError as exc:
            raise Fault("4001", "Invalid query", str(exc)) from None
        name = next((n for n in ENTITIES if n.lower() == parsed.entity.lower()), None)
        if name is None:
            raise Fault(
                "4001", "Invalid query", f"QueryValidationError: invalid context declaration: {parsed.entity}"
            )
        rows = self._select(name, parsed)
        if parsed.count:
            return {"totalCount": len(rows)}
        page = rows[parsed.start - 1 : parsed.start - 1 + parsed.max_results]
        if not page:
            return {}
        if parsed.fields is not None:
            keep = {f.split(".")[0].lower() for f in parsed.fields} | {"id", "synctoken"}
            page = [
                {**{k: v for k, v in row.items() if k.lower() in keep}, "domain": "QBO", "sparse": True}
                for row in page
            ]
        return {name: page, "startPosition": parsed.start, "maxResults": len(page)}

    def _select(self, name: str, parsed: ParsedQuery) -> list[dict[str, Any]]:
        today = self.company.today()
        rows = list(self.company.data[name].values())
        conditions = list(parsed.conditions)
        if name == "RecurringTransaction":
            kinds = [c for c in conditions if c.field.lower() == "type"]
            conditions = [c for c in conditions if c.field.lower() != "type"]
            rows = [
                row
                for row in rows
                if all(matches({"Type": next(iter(row))}, c, today) for c in kinds)
                and all(matches(row[next(iter(row))], c, today) for c in conditions)
            ]
            return sorted(rows, key=lambda row: int(row[next(iter(row))]["Id"]))
        if name in NAME_LISTS and not any(c.field.lower() == "active" for c in conditions):
            rows = [row for row in rows if row.get("Active", True) is not False]
        rows = [row for row in rows if all(matches(row, c, today) for c in conditions)]
        rows.sort(key=lambda row: int(row.get("Id", "0")))
        for field, desc in reversed(parsed.order):
            rows.sort(key=lambda row, f=field: sort_key(row, f), reverse=desc)  # type: ignore[misc]
        return rows

    # --------------------------------------------------------------------------------------- batch

    def _batch_route(self, request: SandboxRequest) -> SandboxResponse:
        def handler() -> SandboxResponse:
            body = request.json()
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
            answers = [self._batch_item(item) for item in items]
            return SandboxResponse.json(200, {"BatchItemResponse": answers, "time": self._time()})

        return self._api(request, handler, write=True)

    def _batch_item(self, item: Mapping[str, Any]) -> dict[str, Any]:
        bid = str(item.get("bId"))
        try:
            return {"bId": bid, **self._batch_answer(item)}
        except Fault as fault:
            return {"bId": bid, "Fault": fault.body()}

    def _batch_answer(self, item: Mapping[str, Any]) -> dict[str, Any]:
        if "Query" in item:
            return {"QueryResponse": self.run_query(str(item["Query"]))}
        operation = str(item.get("operation") or "").lower()
        names = [k for k in item if k not in {"bId", "operation", "optionsData"}]
        if len(names) != 1:
            raise Fault("2010", "Request has invalid or unsupported property", "One entity per batch item")
        name = self._entity_name(names[0])
        body = item[names[0]]
        if not isinstance(body, Mapping):
            raise Fault("2010", "Request has invalid or unsupported property", "The entity must be an object")
        if operation not in {"create", "update", "delete"}:
            raise Fault(
                "2170", "Invalid Enumeration", f"Invalid operation {operation!r}", element="operation"
            )
        options = str(item.get("optionsData") or "").lower() or None
        if name == "RecurringTransaction":
            raise Fault("500", "Unsupported Operation", "RecurringTransaction is not supported in batch")
        return {name: self._apply(name, operation, "", body, options=options)}

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
                active.sort(key=lambda o: (self.company.last_updated(o), int(o.get("Id", "0"))))
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
                            name: objects,
                            "startPosition": 1,
                            "maxResults": len(objects),
                            "totalCount": len(objects),
                        }
                    )
            return SandboxResponse.json(
                200, {"CDCResponse": [{"QueryResponse": responses or [{}]}], "time": self._time()}
            )

        return self._api(request, handler, write=False)

    # ------------------------------------------------------------------------------------ webhooks

    @property
    def webhook_events(self) -> list[dict[str, Any]]:
        """Every change so far as ``{"realm_id", "entity", "id", "operation", "at"}``."""
        return [
            {"realm_id": self.realm_id, "entity": c.entity, "id": c.id, "operation": c.operation, "at": c.at}
            for c in self.company.changes
        ]

    def webhook_delivery(self, *, format: str = "cloudevents") -> tuple[bytes, dict[str, str]] | None:
        """Drain pending changes into one signed delivery: ``(body, headers)``; ``None`` when nothing changed.

        Args:
            format: ``cloudevents`` (an array of CloudEvents 1.0) or ``legacy`` (``eventNotifications``).
        """
        with self._lock:
            pending = self.company.changes[self._webhook_cursor :]
            self._webhook_cursor = len(self.company.changes)
        if not pending:
            return None
        if format == "legacy":
            payload: Any = {
                "eventNotifications": [
                    {
                        "realmId": self.realm_id,
                        "dataChangeEvent": {
                            "entities": [
                                {
                                    "name": c.entity,
                                    "id": c.id,
                                    "operation": c.operation,
                                    "lastUpdated": c.at.astimezone(timezone.utc).isoformat(
                                        timespec="milliseconds"
                                    ),
                                }
                                for c in pending
                            ]
                        },
                    }
                ]
            }
        elif format == "cloudevents":
            verbs = {
                "Create": "created",
                "Update": "updated",
                "Delete": "deleted",
                "Void": "voided",
                "Merge": "merged",
            }
            payload = [
                {
                    "specversion": "1.0",
                    "id": str(uuid.UUID(int=self._rng.getrandbits(128))),
                    "source": "intuit.sandbox",
                    "type": f"qbo.{c.entity.lower()}.{verbs.get(c.operation, c.operation.lower())}.v1",
                    "datacontenttype": "application/json",
                    "time": c.at.astimezone(timezone.utc).isoformat(),
                    "intuitentityid": c.id,
                    "intuitaccountid": self.realm_id,
                    "data": {},
                }
                for c in pending
            ]
        else:
            raise ValueError("format must be 'cloudevents' or 'legacy'")
        body = json_dumps(payload)
        signature = base64.b64encode(
            hmac.new(self.verifier_token.encode(), body, hashlib.sha256).digest()
        ).decode()
        headers = {
            "content-type": "application/json; charset=utf-8",
            "intuit-signature": signature,
            "intuit-created-time": self._wall().isoformat(),
            "intuit-t-id": uuid.UUID(int=self._rng.getrandbits(128)).hex,
            "user-agent": "intuit_notification_server/0.1",
        }
        return body, headers

    def deliver_webhooks(
        self, send: Callable[[bytes, Mapping[str, str]], object], *, format: str = "cloudevents"
    ) -> int:
        """Send pending changes as one signed delivery to ``send(body, headers)``; return the event count."""
        delivery = self.webhook_delivery(format=format)
        if delivery is None:
            return 0
        body, headers = delivery
        send(body, headers)
        parsed = json.loads(body)
        if isinstance(parsed, list):
            return len(parsed)
        return sum(len(n["dataChangeEvent"]["entities"]) for n in parsed["eventNotifications"])

    # --------------------------------------------------------------------------------------- data

    def _install_defaults(self) -> None:
        c = self.company
        stamp = c.stamp()
        meta = {"CreateTime": stamp, "LastUpdatedTime": stamp}
        c.data["CompanyInfo"]["1"] = {
            "CompanyName": "Sandbox MSP Inc.",
            "LegalName": "Sandbox MSP Inc.",
            "CompanyAddr": {
                "Line1": "1 Main St",
                "City": "Austin",
                "CountrySubDivisionCode": "TX",
                "PostalCode": "78701",
            },
            "Country": "US",
            "FiscalYearStartMonth": "January",
            "SupportedLanguages": "en",
            "DefaultTimeZone": "America/Los_Angeles",
            "Id": "1",
            "SyncToken": "0",
            "MetaData": meta,
            "domain": "QBO",
            "sparse": False,
        }
        c.data["Preferences"]["1"] = {
            "AccountingInfoPrefs": {
                "TrackDepartments": True,
                "ClassTrackingPerTxnLine": True,
                "DepartmentTerminology": "Location",
            },
            "SalesFormsPrefs": {"CustomTxnNumbers": False, "AllowDiscount": True},
            "TaxPrefs": {"UsingSalesTax": True},
            "CurrencyPrefs": {"MultiCurrencyEnabled": False, "HomeCurrency": {"value": "USD"}},
            "TimeTrackingPrefs": {"UseServices": True, "BillCustomers": True},
            "Id": "1",
            "SyncToken": "0",
            "MetaData": meta,
            "domain": "QBO",
            "sparse": False,
        }
        c.data["TaxRate"]["1"] = {
            "Name": "State Sales Tax",
            "RateValue": Decimal("8"),
            "Active": True,
            "AgencyRef": {"value": "1"},
            "SpecialTaxType": "NONE",
            "DisplayType": "ReadOnly",
            "Id": "1",
            "SyncToken": "0",
            "MetaData": meta,
            "domain": "QBO",
            "sparse": False,
        }
        c.data["TaxCode"]["1"] = {
            "Name": "State",
            "Description": "State sales tax",
            "Active": True,
            "Taxable": True,
            "TaxGroup": True,
            "SalesTaxRateList": {
                "TaxRateDetail": [
                    {"TaxRateRef": {"value": "1"}, "TaxTypeApplicable": "TaxOnAmount", "TaxOrder": 0}
                ]
            },
            "PurchaseTaxRateList": {"TaxRateDetail": []},
            "Id": "1",
            "SyncToken": "0",
            "MetaData": meta,
            "domain": "QBO",
            "sparse": False,
        }
        accounts = [
            ("Services", "Income", "ServiceFeeIncome"),
            ("Sales of Product Income", "Income", "SalesOfProductIncome"),
            ("Cost of Goods Sold", "Cost of Goods Sold", "SuppliesMaterialsCogs"),
            ("Inventory Asset", "Other Current Asset", "Inventory"),
            ("Checking", "Bank", "Checking"),
            ("Undeposited Funds", "Other Current Asset", "UndepositedFunds"),
            ("Accounts Receivable (A/R)", "Accounts Receivable", "AccountsReceivable"),
            ("Accounts Payable (A/P)", "Accounts Payable", "AccountsPayable"),
            ("Software Subscriptions", "Expense", "OfficeGeneralAdministrativeExpenses"),
        ]
        for name, kind, sub in accounts:
            c.create("Account", {"Name": name, "AccountType": kind, "AccountSubType": sub})
        for name, days in (("Due on receipt", 0), ("Net 15", 15), ("Net 30", 30), ("Net 60", 60)):
            c.create("Term", {"Name": name, "DueDays": days})
        c.changes.clear()

    def seed(self, *, size: int = 100, seed: int = 0) -> dict[str, int]:
        """Fill the company with a deterministic MSP dataset of about ``size`` customers and invoices.

        Creates classes, departments, service items, customers, vendors, employees, invoices (with
        lines whose amounts obey Qty x UnitPrice), partial and multi-invoice payments, billable time and
        bills, through the same rules as the API. Returns the counts created per entity.
        """
        rng = random.Random(seed)
        c = self.company
        counts: dict[str, int] = {}

        def make(entity: str, body: dict[str, Any]) -> dict[str, Any]:
            counts[entity] = counts.get(entity, 0) + 1
            return c.create(entity, body)

        with self._lock:
            income = next(a["Id"] for a in c.data["Account"].values() if a["Name"] == "Services")
            expense = next(
                a["Id"] for a in c.data["Account"].values() if a["Name"] == "Software Subscriptions"
            )
            net30 = next(t["Id"] for t in c.data["Term"].values() if t["Name"] == "Net 30")
            tag = f"{seed}-{len(c.data['Customer'])}"
            classes = [
                make("Class", {"Name": f"{n} {tag}"})["Id"]
                for n in ("Managed Services", "Projects", "Hardware")
            ]
            make("Department", {"Name": f"HQ {tag}"})
            services = [
                ("Managed Services - Per Device", Decimal("45.00")),
                ("Managed Services - Per User", Decimal("95.00")),
                ("Remote Support Hour", Decimal("125.00")),
                ("Onsite Support Hour", Decimal("150.00")),
                ("Backup Storage TB", Decimal("29.50")),
                ("Microsoft 365 Business Premium", Decimal("22.00")),
                ("Firewall Subscription", Decimal("39.99")),
                ("Project Labour", Decimal("135.00")),
            ]
            items = [
                make(
                    "Item",
                    {
                        "Name": f"{name} {tag}",
                        "Type": "Service",
                        "UnitPrice": price,
                        "IncomeAccountRef": {"value": income},
                        "ExpenseAccountRef": {"value": expense},
                    },
                )
                for name, price in services[: max(2, min(len(services), size // 5 + 2))]
            ]
            words = [
                "Acme",
                "Contoso",
                "Fabrikam",
                "Northwind",
                "Tailspin",
                "Wingtip",
                "Litware",
                "Adatum",
                "Proseware",
                "Lucerne",
                "Margie's",
                "Woodgrove",
                "Alpine",
                "Coho",
                "Fourth Coffee",
                "O'Brien",
            ]
            suffixes = [
                "IT",
                "Dental",
                "Legal LLP",
                "Logistics",
                "Clinic",
                "Holdings",
                "& Sons",
                "Manufacturing",
            ]
            customers = []
            for i in range(size):
                name = f"{rng.choice(words)} {rng.choice(suffixes)} {tag}-{i:05d}"
                customers.append(
                    make(
                        "Customer",
                        {
                            "DisplayName": name,
                            "CompanyName": name,
                            "PrimaryEmailAddr": {"Address": f"ap{i}@customer{i}.example"},
                            "BillAddr": {
                                "Line1": f"{100 + i} Main St",
                                "City": "Austin",
                                "CountrySubDivisionCode": "TX",
                                "PostalCode": "78701",
                            },
                            "SalesTermRef": {"value": net30},
                        },
                    )
                )
            vendors = [
                make(
                    "Vendor",
                    {
                        "DisplayName": f"Vendor {rng.choice(words)} {tag}-{i:04d}",
                        "PrimaryEmailAddr": {"Address": f"billing{i}@vendor.example"},
                    },
                )
                for i in range(max(1, size // 4))
            ]
            employees = [
                make(
                    "Employee",
                    {
                        "GivenName": rng.choice(["Ana", "Ben", "Chen", "Dana", "Eli", "Fay"]),
                        "FamilyName": f"Tech{tag}-{i:04d}",
                        "BillableTime": True,
                        "BillRate": Decimal("125.00"),
                    },
                )
                for i in range(max(1, size // 10))
            ]
            invoices = []
            for i in range(size):
                customer = customers[i % len(customers)]
                lines = []
                for _ in range(rng.randint(1, 4)):
                    item = rng.choice(items)
                    qty = Decimal(rng.randint(1, 40)) / (Decimal(2) if rng.random() < 0.3 else Decimal(1))
                    price = Decimal(str(item["UnitPrice"]))
                    lines.append(
                        {
                            "DetailType": "SalesItemLineDetail",
                            "Amount": (qty * price).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
                            "Description": item["Name"],
                            "SalesItemLineDetail": {
                                "ItemRef": {"value": item["Id"]},
                                "Qty": qty,
                                "UnitPrice": price,
                                "ClassRef": {"value": rng.choice(classes)},
                            },
                        }
                    )
                txn = (self._wall() - timedelta(days=rng.randint(0, 90))).date()
                invoices.append(
                    make(
                        "Invoice",
                        {"CustomerRef": {"value": customer["Id"]}, "TxnDate": txn.isoformat(), "Line": lines},
                    )
                )
            for i in range(0, len(invoices) - 1, 2):
                invoice = c.data["Invoice"][invoices[i]["Id"]]
                balance = Decimal(str(invoice["Balance"]))
                amount = balance if rng.random() < 0.6 else (balance / 2).quantize(Decimal("0.01"))
                make(
                    "Payment",
                    {
                        "CustomerRef": {"value": invoice["CustomerRef"]["value"]},
                        "TotalAmt": amount,
                        "Line": [
                            {"Amount": amount, "LinkedTxn": [{"TxnId": invoice["Id"], "TxnType": "Invoice"}]}
                        ],
                    },
                )
            for i in range(size):
                employee = employees[i % len(employees)]
                make(
                    "TimeActivity",
                    {
                        "NameOf": "Employee",
                        "EmployeeRef": {"value": employee["Id"]},
                        "CustomerRef": {"value": customers[i % len(customers)]["Id"]},
                        "ItemRef": {"value": items[0]["Id"]},
                        "BillableStatus": "Billable",
                        "HourlyRate": Decimal("125.00"),
                        "Hours": rng.randint(0, 4),
                        "Minutes": rng.choice([0, 15, 30, 45]),
                        "TxnDate": c.today().isoformat(),
                        "Description": f"CW ticket #{4000 + i}",
                    },
                )
            for i in range(max(1, size // 4)):
                make(
                    "Bill",
                    {
                        "VendorRef": {"value": vendors[i % len(vendors)]["Id"]},
                        "Line": [
                            {
                                "DetailType": "AccountBasedExpenseLineDetail",
                                "Amount": Decimal(rng.randint(50, 900)),
                                "AccountBasedExpenseLineDetail": {"AccountRef": {"value": expense}},
                            }
                        ],
                    },
                )
        return counts

    def add_entity(self, entity: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """Create an entity directly (no HTTP, no request log), with the API's validations."""
        with self._lock:
            return copy.deepcopy(self.company.create(entity, body))

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
                for _, v in sorted(self.company.data[entity].items(), key=lambda kv: int(kv[0]))
            ]


class _Abort(Exception):
    def __init__(self, response: SandboxResponse) -> None:
        super().__init__(response.status)
        self.response = response


def required_param(name: str) -> Fault:
    """Fault 2020 for a missing query parameter."""
    return Fault(
        "2020",
        "Required param missing, need to supply the required value for the API",
        f"Required parameter {name} is missing in the request",
        element=name,
    )
