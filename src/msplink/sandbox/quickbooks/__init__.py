"""The QuickBooks Online sandbox: an independent in-memory emulator of the Accounting API and Intuit OAuth."""

from msplink.sandbox.quickbooks._sandbox import QuickBooksSandbox

__all__ = ["QuickBooksSandbox"]
