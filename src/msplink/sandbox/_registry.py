"""The sandboxes by platform name, imported lazily (for ``serve`` and the demo)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from msplink.sandbox._framework import Sandbox

__all__ = ["PLATFORMS", "load_sandbox"]

PLATFORMS: dict[str, str] = {
    "connectwise": "msplink.sandbox.connectwise:ConnectWiseSandbox",
    "quickbooks": "msplink.sandbox.quickbooks:QuickBooksSandbox",
    "salesforce": "msplink.sandbox.salesforce:SalesforceSandbox",
}


def load_sandbox(platform: str) -> type[Sandbox]:
    """Return the sandbox class of a platform (``connectwise``, ``quickbooks``, ``salesforce``).

    Raises:
        KeyError: The platform is unknown.
    """
    if platform not in PLATFORMS:
        raise KeyError(f"unknown platform {platform!r}; expected one of {sorted(PLATFORMS)}")
    module_name, _, class_name = PLATFORMS[platform].partition(":")
    cls: type[Sandbox] = getattr(importlib.import_module(module_name), class_name)
    return cls
