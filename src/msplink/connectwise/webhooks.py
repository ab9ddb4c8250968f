"""ConnectWise callbacks (webhooks): parse deliveries and verify ``x-content-signature``.

A delivery is a POST with PascalCase keys whose ``Entity`` is a JSON *string* of the record. Its
signature is ``base64(HMAC_SHA256(SHA256(signing_key), raw_body))``; the signing key is fetched from
``Metadata.key_url`` — only over https, without credentials in the URL, and only from an allow-listed
host (SSRF guard) — and compared in constant time::

    verifier = CallbackVerifier(allowed_hosts={"api-na.myconnectwise.net"}, company_id="acme")
    delivery = verifier.verify(request_body, request_headers)     # raises CallbackVerificationError

Given ``company_id=``, the verifier also rejects deliveries for another company: both the body's
``CompanyId`` and the ``companyName`` of its ``key_url`` must name the expected company (a key URL on an
allow-listed host proves only that *some* ConnectWise company signed the body). Bodies nested too deeply
to decode are rejected like any malformed body, signed or not.
"""

from __future__ import annotations

import base64
import builtins
import hashlib
import hmac
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import attrs
import httpx

from msplink._core import loads_json
from msplink.connectwise.models import Model
from msplink.errors import WebhookVerificationError

__all__ = [
    "DEFAULT_ALLOWED_HOSTS",
    "SIGNATURE_HEADER",
    "AsyncCallbackVerifier",
    "CallbackDelivery",
    "CallbackVerificationError",
    "CallbackVerifier",
    "check_company",
    "check_key_url",
    "parse_delivery",
    "sign",
    "verify_signature",
]

SIGNATURE_HEADER = "x-content-signature"

DEFAULT_ALLOWED_HOSTS: frozenset[str] = frozenset(
    {
        f"{prefix}.myconnectwise.net"
        for prefix in (
            "na",
            "eu",
            "au",
            "api-na",
            "api-eu",
            "api-au",
            "sandbox-na",
            "sandbox-eu",
            "sandbox-au",
        )
    }
    | {"staging.connectwisedev.com", "api-staging.connectwisedev.com"}
)
"""ConnectWise cloud hosts that may serve callback signing keys."""

_MAX_KEY_BYTES = 16 * 1024


class CallbackVerificationError(WebhookVerificationError, ValueError):
    """A callback delivery is malformed, its key URL is not allowed, or its signature does not match."""


@attrs.frozen(kw_only=True)
class CallbackDelivery:
    """One callback delivery (POSTed by ConnectWise to a registered URL).

    Attributes:
        message_id: ``MessageId`` (a GUID).
        from_url: ``FromUrl`` (the site that sent it).
        company_id: ``CompanyId``.
        member_id: ``MemberId`` (who made the change).
        action: ``added``, ``updated`` or ``deleted``.
        type: The lowercase entity type (``ticket``, ``contact`` ...).
        id: The record id.
        entity: The record, decoded from the ``Entity`` JSON string (``None`` on delete): a hint only,
            re-GET the record for authoritative data.
        key_url: ``Metadata.key_url`` (where the signing key is).
        callback_id: ``CallbackObjectRecId`` (the registration id).
        product_instance_id: ``ProductInstanceId``, when sent.
        partner_id: ``PartnerId``, when sent.
        raw: The decoded payload as received.
    """

    message_id: str | None = None
    from_url: str | None = None
    company_id: str | None = None
    member_id: str | None = None
    action: str | None = None
    type: str | None = None
    id: int | None = None
    entity: Mapping[str, Any] | None = None
    key_url: str | None = None
    callback_id: int | None = None
    product_instance_id: str | None = None
    partner_id: str | None = None
    raw: Mapping[str, Any] = attrs.field(factory=dict, eq=False, repr=False)

    def entity_as(self, model: builtins.type[Model]) -> Any:
        """Parse ``entity`` into a wire model (``delivery.entity_as(Ticket)``); ``None`` when absent."""
        return None if self.entity is None else model.from_api(self.entity)


def _opt_str(value: object) -> str | None:
    return None if value is None else str(value)


def _opt_int(value: object, what: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise CallbackVerificationError(f"callback {what} is not an integer")
    try:
        return int(str(value))
    except ValueError:
        raise CallbackVerificationError(f"callback {what} is not an integer") from None


def parse_delivery(body: bytes | str | Mapping[str, Any]) -> CallbackDelivery:
    """Parse a delivery body; ``Entity`` (a JSON string) is decoded a second time.

    Raises:
        CallbackVerificationError: The body is not a JSON object or a field has the wrong shape.
    """
    if isinstance(body, Mapping):
        data: Any = body
    else:
        try:
            data = loads_json(body)
        except (ValueError, UnicodeDecodeError):
            raise CallbackVerificationError("callback body is not JSON (or nests too deeply)") from None
    if not isinstance(data, dict):
        raise CallbackVerificationError("callback body is not a JSON object")
    entity_text = data.get("Entity")
    entity: Mapping[str, Any] | None = None
    if isinstance(entity_text, str) and entity_text.strip() and entity_text.strip() != "null":
        try:
            decoded = loads_json(entity_text)
        except ValueError:
            raise CallbackVerificationError("callback Entity is not a JSON string of an object") from None
        if not isinstance(decoded, dict):
            raise CallbackVerificationError("callback Entity is not a JSON object")
        entity = decoded
    elif isinstance(entity_text, dict):
        entity = entity_text
    elif entity_text not in (None, "", "null"):
        raise CallbackVerificationError("callback Entity has an unexpected type")
    metadata = data.get("Metadata")
    key_url = metadata.get("key_url") if isinstance(metadata, dict) else None
    return CallbackDelivery(
        message_id=_opt_str(data.get("MessageId")),
        from_url=_opt_str(data.get("FromUrl")),
        company_id=_opt_str(data.get("CompanyId")),
        member_id=_opt_str(data.get("MemberId")),
        action=_opt_str(data.get("Action")),
        type=_opt_str(data.get("Type")),
        id=_opt_int(data.get("ID"), "ID"),
        entity=entity,
        key_url=_opt_str(key_url),
        callback_id=_opt_int(data.get("CallbackObjectRecId"), "CallbackObjectRecId"),
        product_instance_id=_opt_str(data.get("ProductInstanceId")),
        partner_id=_opt_str(data.get("PartnerId")),
        raw=data,
    )


def sign(body: bytes, signing_key: str) -> str:
    """The ``x-content-signature`` of a body: ``base64(HMAC_SHA256(SHA256(signing_key), body))``."""
    key = hashlib.sha256(signing_key.encode("utf-8")).digest()
    return base64.b64encode(hmac.new(key, body, hashlib.sha256).digest()).decode("ascii")


def verify_signature(body: bytes, signature: str | None, signing_key: str) -> bool:
    """Check a signature in constant time (never re-serialise the body: hash the raw bytes)."""
    if not signature:
        return False
    return hmac.compare_digest(
        sign(body, signing_key).encode("ascii"), signature.strip().encode("ascii", "replace")
    )


def check_key_url(url: str | None, allowed_hosts: Iterable[str]) -> str:
    """Validate ``Metadata.key_url`` before fetching it (https, no userinfo, allow-listed host).

    Raises:
        CallbackVerificationError: The URL may not be fetched.
    """
    if not url:
        raise CallbackVerificationError("callback has no Metadata.key_url")
    parts = urlsplit(url)
    allowed = {h.lower().rstrip(".") for h in allowed_hosts}
    host = (parts.hostname or "").lower().rstrip(".")
    if parts.scheme != "https":
        raise CallbackVerificationError("callback key_url must use https")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise CallbackVerificationError("callback key_url must not carry credentials")
    if parts.port not in (None, 443):
        raise CallbackVerificationError("callback key_url must use the default https port")
    if host not in allowed:
        raise CallbackVerificationError("callback key_url host is not allow-listed")
    return url


def check_company(delivery: CallbackDelivery, company_id: str) -> None:
    """Check that a delivery is for ``company_id``: its ``CompanyId`` and its key URL's ``companyName``.

    ConnectWise company ids are case-insensitive (the login screen's company). The signing key is what
    authenticates a delivery, and the key URL names the company it belongs to, so both must match.

    Raises:
        CallbackVerificationError: Either names another company, or is missing.
    """
    expected = company_id.strip().casefold()
    if (delivery.company_id or "").strip().casefold() != expected:
        raise CallbackVerificationError("callback is for another company (CompanyId)")
    query = {k.lower(): v for k, v in parse_qsl(urlsplit(delivery.key_url or "").query)}
    if query.get("companyname", "").strip().casefold() != expected:
        raise CallbackVerificationError("callback key_url belongs to another company (companyName)")


def _signing_key(response: httpx.Response) -> str:
    if response.status_code != 200 or len(response.content) > _MAX_KEY_BYTES:
        raise CallbackVerificationError(f"could not fetch the callback signing key ({response.status_code})")
    try:
        key = loads_json(response.content)["signing_key"]
    except (ValueError, KeyError, TypeError):
        raise CallbackVerificationError("the callback key endpoint returned no signing_key") from None
    if not isinstance(key, str) or not key:
        raise CallbackVerificationError("the callback key endpoint returned no signing_key")
    return key


def _header(headers: Mapping[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


class _KeyCache:
    def __init__(self, ttl: float, clock: Callable[[], float]) -> None:
        self._ttl = ttl
        self._clock = clock
        self._items: dict[str, tuple[float, str]] = {}
        self._lock = threading.Lock()

    def get(self, url: str) -> str | None:
        with self._lock:
            hit = self._items.get(url)
            if hit is None or hit[0] < self._clock():
                return None
            return hit[1]

    def put(self, url: str, key: str) -> None:
        with self._lock:
            self._items[url] = (self._clock() + self._ttl, key)


class _Verification:
    """What both verifiers do around the key fetch (parse, check, cache, compare): the logic exists once."""

    def __init__(
        self,
        allowed_hosts: Iterable[str],
        company_id: str | None,
        cache_ttl: float,
        clock: Callable[[], float],
    ) -> None:
        if company_id is not None and (not isinstance(company_id, str) or not company_id.strip()):
            raise CallbackVerificationError("company_id must be a non-empty string")
        self.allowed_hosts = frozenset(h.lower() for h in allowed_hosts)
        self.company_id = company_id
        self.cache = _KeyCache(cache_ttl, clock)

    def prepare(self, body: bytes) -> tuple[CallbackDelivery, str, str | None]:
        """Parse and check a delivery before any I/O: the delivery, its key URL and a cached key."""
        delivery = parse_delivery(body)
        url = check_key_url(delivery.key_url, self.allowed_hosts)
        if self.company_id is not None:
            check_company(delivery, self.company_id)
        return delivery, url, self.cache.get(url)

    def finish(
        self,
        body: bytes,
        headers: Mapping[str, str],
        delivery: CallbackDelivery,
        url: str,
        key: str,
        fresh: bool,
    ) -> CallbackDelivery:
        """Cache a freshly fetched key, then compare the signature in constant time."""
        if fresh:
            self.cache.put(url, key)
        if not verify_signature(body, _header(headers, SIGNATURE_HEADER), key):
            raise CallbackVerificationError("callback signature does not match")
        return delivery


class CallbackVerifier:
    """Verifies deliveries: parse, check ``key_url`` (and the company), fetch the signing key (cached),
    compare.

    Args:
        allowed_hosts: Hosts that may serve signing keys (add your site's API host).
        company_id: The company whose deliveries are accepted (``CompanyId`` and the key URL's
            ``companyName``); ``None`` accepts any company on the allowed hosts.
        transport: An httpx transport for the key fetch (tests: ``sandbox.transport()``).
        http_client: An httpx client to borrow instead.
        timeout: Key fetch timeout in seconds (short: the sender waits 5 s at most).
        cache_ttl: Seconds a fetched key is reused.
        clock: Monotonic clock for the cache.
    """

    def __init__(
        self,
        *,
        allowed_hosts: Iterable[str] = DEFAULT_ALLOWED_HOSTS,
        company_id: str | None = None,
        transport: httpx.BaseTransport | None = None,
        http_client: httpx.Client | None = None,
        timeout: float = 3.0,
        cache_ttl: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._check = _Verification(allowed_hosts, company_id, cache_ttl, clock)
        self.allowed_hosts = self._check.allowed_hosts
        self._client = http_client or httpx.Client(
            transport=transport, follow_redirects=False, timeout=timeout
        )

    def verify(self, body: bytes, headers: Mapping[str, str]) -> CallbackDelivery:
        """Verify and parse one delivery (fetching ``GET {key_url}`` when the key is not cached).

        Raises:
            CallbackVerificationError: Malformed body, key URL off the allow-list, another company, or a
                bad signature.
        """
        delivery, url, key = self._check.prepare(body)
        fresh = key is None
        if key is None:
            try:
                key = _signing_key(self._client.get(url))
            except httpx.HTTPError:
                raise CallbackVerificationError("could not fetch the callback signing key") from None
        return self._check.finish(body, headers, delivery, url, key, fresh)

    def close(self) -> None:
        """Close the key-fetching HTTP client."""
        self._client.close()


class AsyncCallbackVerifier:
    """The async twin of :class:`CallbackVerifier` (same arguments; ``await verify(...)``)."""

    def __init__(
        self,
        *,
        allowed_hosts: Iterable[str] = DEFAULT_ALLOWED_HOSTS,
        company_id: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        http_client: httpx.AsyncClient | None = None,
        timeout: float = 3.0,
        cache_ttl: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._check = _Verification(allowed_hosts, company_id, cache_ttl, clock)
        self.allowed_hosts = self._check.allowed_hosts
        self._client = http_client or httpx.AsyncClient(
            transport=transport, follow_redirects=False, timeout=timeout
        )

    async def verify(self, body: bytes, headers: Mapping[str, str]) -> CallbackDelivery:
        """Verify and parse one delivery (fetching ``GET {key_url}`` when the key is not cached).

        Raises:
            CallbackVerificationError: Malformed body, key URL off the allow-list, another company, or a
                bad signature.
        """
        delivery, url, key = self._check.prepare(body)
        fresh = key is None
        if key is None:
            try:
                key = _signing_key(await self._client.get(url))
            except httpx.HTTPError:
                raise CallbackVerificationError("could not fetch the callback signing key") from None
        return self._check.finish(body, headers, delivery, url, key, fresh)

    async def aclose(self) -> None:
        """Close the key-fetching HTTP client."""
        await self._client.aclose()
