"""The msplink version (single source of truth, read by hatchling)."""

__version__ = "0.1.0"
