"""Where a ConnectWise tenant lives: site normalisation, the API root and lazy codebase discovery."""

from __future__ import annotations

import asyncio
import re
import threading
import weakref
from collections.abc import Mapping
from typing import Any, Final

from msplink._core import Call
from msplink._core._hints import with_hint
from msplink.connectwise import _calls as calls
from msplink.connectwise.models import CompanyInfo
from msplink.errors import ConfigurationError

__all__ = ["CLOUD_DOMAINS", "DEFAULT_CODEBASE", "SITES", "Tenant", "api_root", "normalize_site"]

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

_HOST = re.compile(r"[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?::\d{1,5})?")


def normalize_site(site: str) -> tuple[str, str]:
    """Turn ``site=`` into ``(scheme, host)``, adding the ``api-`` prefix cloud hosts require.

    Accepts a region shortcut (``na``, ``eu``, ``au``, ``aus``, ``za``, ``staging``, ``sandbox-na``
    ...), a UI host
    (``na.myconnectwise.net`` becomes ``api-na.myconnectwise.net``), an API host, a partner sandbox
    host (kept as is) or an on-premise FQDN (``cw.example.com``), with or without ``https://``.
    Plain ``http://`` is only accepted for ``localhost`` (a local sandbox server).

    Raises:
        ConfigurationError: The site is empty, malformed, or a one-word name that is no shortcut
            (``us`` would otherwise become ``https://us``); the error's hint lists the shortcuts.
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
    if "." not in host.split(":", 1)[0] and host.split(":", 1)[0] != "localhost":
        raise with_hint(
            ConfigurationError(f"connectwise: unknown site {site!r}"),
            f"use a region shortcut ({', '.join(sorted(SITES))}), the host you log in to "
            "(na.myconnectwise.net) or your on-premise server's full name (cw.example.com)",
        )
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
        self.company_unknown = False
        """``GET /login/companyinfo/{company}`` answered 404: the company id is probably wrong."""
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
        self.company_unknown = info is None
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
