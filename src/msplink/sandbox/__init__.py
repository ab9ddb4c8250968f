"""In-process emulators of the ConnectWise Manage, QuickBooks Online and Salesforce APIs.

Each sandbox is an httpx transport (``sandbox.transport()``) and an ASGI application, holds its
state in memory, can be seeded with a realistic MSP dataset, injects faults on demand and logs
every request for exact API-call counts. Serve one over HTTP with
``python -m msplink.sandbox serve <platform> --port 8080`` (needs the ``sandbox`` extra).

``seed_world(size, seed)`` seeds all three as one coherent MSP and hands back a :class:`World`
(sandboxes, mapping config, facts, working clients, save/load). It is imported on first use: the
emulators themselves import no client code.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from msplink.sandbox._framework import (
    Abort,
    FaultInjector,
    FaultKind,
    FaultRule,
    InvalidBody,
    RequestRecord,
    Router,
    Sandbox,
    SandboxRateLimit,
    SandboxRequest,
    SandboxResponse,
    SandboxTransport,
)
from msplink.sandbox._registry import PLATFORMS, load_sandbox
from msplink.sandbox._worldfacts import AmbiguousPair, CompanyFacts, WorldFacts
from msplink.sandbox._worldgen import SIZES as WORLD_SIZES
from msplink.sandbox.connectwise import ConnectWiseSandbox
from msplink.sandbox.quickbooks import QuickBooksSandbox
from msplink.sandbox.salesforce import SalesforceSandbox

if TYPE_CHECKING:
    from msplink.sandbox._world import AsyncWorldClients, World, WorldClients, load_world, seed_world

__all__ = [
    "PLATFORMS",
    "WORLD_SIZES",
    "Abort",
    "AmbiguousPair",
    "AsyncWorldClients",
    "CompanyFacts",
    "ConnectWiseSandbox",
    "FaultInjector",
    "FaultKind",
    "FaultRule",
    "InvalidBody",
    "QuickBooksSandbox",
    "RequestRecord",
    "Router",
    "SalesforceSandbox",
    "Sandbox",
    "SandboxRateLimit",
    "SandboxRequest",
    "SandboxResponse",
    "SandboxTransport",
    "World",
    "WorldClients",
    "WorldFacts",
    "load_sandbox",
    "load_world",
    "seed_world",
]

_WORLD = frozenset({"AsyncWorldClients", "World", "WorldClients", "load_world", "seed_world"})


def __getattr__(name: str) -> Any:
    """Import the world bridge (which builds clients) only when one of its names is used."""
    if name in _WORLD:
        return getattr(importlib.import_module("msplink.sandbox._world"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
