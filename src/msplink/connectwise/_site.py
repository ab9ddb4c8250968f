"""Sites, regions and codebases: where a ConnectWise tenant's API lives."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

from msplink.errors import ConfigurationError

__all__ = ["CLOUD_DOMAINS", "DEFAULT_API_VERSION", "DEFAULT_CODEBASE", "SITES", "api_root", "normalize_site"]

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

_HOST = re.compile(r"^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$")


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
    if not _HOST.match(host):
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
    codebase = codebase.strip("/")
    if not codebase:
        raise ConfigurationError("connectwise: empty codebase")
    return f"{scheme}://{host}/{codebase}/apis/3.0"
