"""In-process emulators of the ConnectWise Manage, QuickBooks Online and Salesforce APIs.

Each sandbox is an httpx transport (``sandbox.transport()``) and an ASGI application, holds its
state in memory, can be seeded with a realistic MSP dataset, injects faults on demand and logs
every request for exact API-call counts. Serve one over HTTP with
``python -m msplink.sandbox serve <platform> --port 8080`` (needs the ``sandbox`` extra).
"""

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
from msplink.sandbox.connectwise import ConnectWiseSandbox
from msplink.sandbox.quickbooks import QuickBooksSandbox
from msplink.sandbox.salesforce import SalesforceSandbox

__all__ = [
    "PLATFORMS",
    "Abort",
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
    "load_sandbox",
]
