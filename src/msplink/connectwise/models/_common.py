"""Hand-written wire models shared by every area: references, custom field values, company info.

The objects schema names reference types (``CompanyReference``, ``CurrencyReference`` ...) without
describing them; their shapes come from REFERENCE §7 (``{id, identifier, name, _info}`` plus the
special ones). ``CompanyInfo`` is the PascalCase answer of ``/login/companyinfo`` (REFERENCE §1.2).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import attrs

from msplink.connectwise.models._base import Model, wire_names

__all__ = [
    "AgreementReference",
    "CompanyInfo",
    "CurrencyReference",
    "CustomFieldValue",
    "InvoiceReference",
    "PriorityReference",
    "Reference",
    "TicketReference",
]


@attrs.frozen(kw_only=True, slots=False, field_transformer=wire_names)
class Reference(Model):
    """A reference to another record (``{"id", "identifier", "name", "_info"}``); unknown keys in ``raw``."""

    __cw_open__: ClassVar[bool] = True  # references carry tenant-specific extras (isClosed, sort ...)

    id: int | None = None
    identifier: str | None = None
    name: str | None = None
    info: Mapping[str, Any] | None = attrs.field(default=None, eq=False, metadata={"wire": "_info"})


@attrs.frozen(kw_only=True, slots=False, field_transformer=wire_names)
class PriorityReference(Reference):
    """A ticket priority reference (adds ``sort`` and ``level``)."""

    sort: int | None = None
    level: str | None = None


@attrs.frozen(kw_only=True, slots=False, field_transformer=wire_names)
class AgreementReference(Reference):
    """An agreement reference (adds the agreement ``type`` name)."""

    type: str | None = None


@attrs.frozen(kw_only=True, slots=False, field_transformer=wire_names)
class TicketReference(Reference):
    """A ticket reference (adds ``summary``)."""

    summary: str | None = None


@attrs.frozen(kw_only=True, slots=False, field_transformer=wire_names)
class InvoiceReference(Reference):
    """An invoice reference (adds ``billingType`` and ``applyToType``)."""

    billing_type: str | None = None
    apply_to_type: str | None = None


@attrs.frozen(kw_only=True, slots=False, field_transformer=wire_names)
class CurrencyReference(Reference):
    """A currency reference (symbol, ISO code and display settings)."""

    symbol: str | None = None
    currency_code: str | None = None
    currency_identifier: str | None = None
    decimal_separator: str | None = None
    thousands_separator: str | None = None
    number_of_decimals: int | None = None
    negative_parentheses_flag: bool | None = None
    display_symbol_flag: bool | None = None
    display_id_flag: bool | None = None
    right_align: bool | None = None


@attrs.frozen(kw_only=True, slots=False, field_transformer=wire_names)
class CustomFieldValue(Model):
    """One custom field value (``customFields[]``); ``value`` is polymorphic (str, bool, number, null)."""

    __cw_open__: ClassVar[bool] = True

    id: int | None = None
    caption: str | None = None
    type: str | None = None
    entry_method: str | None = None
    number_of_decimals: int | None = None
    value: Any = None
    connect_wise_id: str | None = None


@attrs.frozen(kw_only=True, slots=False, field_transformer=wire_names)
class CompanyInfo(Model):
    """The answer of ``GET /login/companyinfo/{companyId}`` (PascalCase keys; no auth needed)."""

    company_name: str | None = attrs.field(default=None, metadata={"wire": "CompanyName"})
    codebase: str | None = attrs.field(default=None, metadata={"wire": "Codebase"})
    version_code: str | None = attrs.field(default=None, metadata={"wire": "VersionCode"})
    version_number: str | None = attrs.field(default=None, metadata={"wire": "VersionNumber"})
    company_id: str | None = attrs.field(default=None, metadata={"wire": "CompanyID"})
    is_cloud: bool | None = attrs.field(default=None, metadata={"wire": "IsCloud"})
    site_url: str | None = attrs.field(default=None, metadata={"wire": "SiteUrl"})
    allowed_origins: tuple[str, ...] | None = attrs.field(default=None, metadata={"wire": "AllowedOrigins"})
