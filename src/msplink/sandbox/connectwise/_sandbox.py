"""``ConnectWiseSandbox``: an in-memory ConnectWise Manage REST API 3.0.

Independent of the client package: it only uses the stdlib, attrs/httpx and the sandbox framework. The
read handlers live in ``_reads``, the write handlers in ``_writes``; records in the ``Store``.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

from msplink.sandbox._framework import (
    Abort,
    Sandbox,
    SandboxRateLimit,
    SandboxRequest,
    SandboxResponse,
    json_dumps,
)
from msplink.sandbox.connectwise._collections import COLLECTIONS, Collection
from msplink.sandbox.connectwise._reads import Reads
from msplink.sandbox.connectwise._seed import generate
from msplink.sandbox.connectwise._store import Store
from msplink.sandbox.connectwise._wire import ApiMember, CallbackDeliveryRecord, error
from msplink.sandbox.connectwise._writes import Writes

__all__ = ["ApiMember", "CallbackDeliveryRecord", "ConnectWiseSandbox"]

API_ROOT = "/{codebase}/apis/3.0"
Receiver = Callable[[bytes, Mapping[str, str]], int]


class ConnectWiseSandbox(Reads, Writes, Sandbox):
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
        self.navigable_only: dict[str, bool] = {}
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

    def disable_forward_only(self, *collections: str, links: bool = True) -> None:
        """Make collections answer as endpoints without forward-only paging do (REFERENCE.md §4.2: "Not
        supported by Audit Trail endpoints (and possibly other non-entity endpoints)"): the
        ``pagination-type`` header is ignored and navigable pages are served, with their ``Link`` header
        or, ``links=False``, without any. For testing a client's fallback.
        """
        for name in collections:
            self._by_name[name]
            self.navigable_only[name] = links

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
            if spec.view:
                add("GET", base + "/count", self._bind(self._count_time, spec))
                add("GET", base, self._bind(self._list_time, spec))
                continue
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
            raise error(401, "Unauthorized", "Authentication failed.")
        if (request.header("clientid") or "") not in self.client_ids:
            raise error(401, "Unauthorized", "A valid clientId header is required.")
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
