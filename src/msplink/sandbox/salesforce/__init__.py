"""An in-memory Salesforce org speaking the REST, Composite and Bulk 2.0 wire protocols."""

from msplink.sandbox.salesforce._sandbox import SalesforceSandbox

__all__ = ["SalesforceSandbox"]
