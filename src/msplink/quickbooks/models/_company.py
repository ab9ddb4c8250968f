"""The company itself: its profile (``CompanyInfo``, with a typed sparse update) and its preferences."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, ClassVar

import attrs

from msplink._core import UNSET, Maybe
from msplink.quickbooks.models._base import Address, EmailAddress, Entity, SparseUpdate, Telephone, WebAddress

__all__ = ["CompanyInfo", "CompanyInfoUpdate", "Preferences"]


@attrs.frozen(kw_only=True, slots=False)
class CompanyInfo(Entity):
    """The company profile (``/companyinfo/{realmId}``)."""

    entity_name: ClassVar[str] = "CompanyInfo"
    company_name: str | None = None
    legal_name: str | None = None
    company_addr: Address | None = None
    legal_addr: Address | None = None
    customer_communication_addr: Address | None = None
    primary_phone: Telephone | None = None
    company_email_addr: EmailAddress | None = None
    email: EmailAddress | None = None
    web_addr: WebAddress | None = None
    country: str | None = None
    fiscal_year_start_month: str | None = None
    supported_languages: str | None = None
    default_time_zone: str | None = None
    company_start_date: date | None = None
    name_value: tuple[Mapping[str, Any], ...] | None = None


@attrs.frozen(kw_only=True, slots=False)
class Preferences(Entity):
    """The company preferences (``/preferences``); each group is kept as its wire mapping.

    QBO documents only full updates for preferences, so there is no sparse-update class.
    """

    entity_name: ClassVar[str] = "Preferences"
    accounting_info_prefs: Mapping[str, Any] | None = None
    product_and_services_prefs: Mapping[str, Any] | None = None
    sales_forms_prefs: Mapping[str, Any] | None = None
    email_messages_prefs: Mapping[str, Any] | None = None
    vendor_and_purchases_prefs: Mapping[str, Any] | None = None
    time_tracking_prefs: Mapping[str, Any] | None = None
    tax_prefs: Mapping[str, Any] | None = None
    currency_prefs: Mapping[str, Any] | None = None
    report_prefs: Mapping[str, Any] | None = None
    other_prefs: Mapping[str, Any] | None = None


@attrs.frozen(kw_only=True, slots=False)
class CompanyInfoUpdate(SparseUpdate):
    """A sparse update of :class:`CompanyInfo`: ``UNSET`` leaves a field alone, ``None`` clears it."""

    entity_name: ClassVar[str] = "CompanyInfo"
    company_name: Maybe[str] = UNSET
    legal_name: Maybe[str] = UNSET
    company_addr: Maybe[Address] = UNSET
    legal_addr: Maybe[Address] = UNSET
    customer_communication_addr: Maybe[Address] = UNSET
    primary_phone: Maybe[Telephone] = UNSET
    company_email_addr: Maybe[EmailAddress] = UNSET
    email: Maybe[EmailAddress] = UNSET
    web_addr: Maybe[WebAddress] = UNSET
    country: Maybe[str] = UNSET
    fiscal_year_start_month: Maybe[str] = UNSET
    supported_languages: Maybe[str] = UNSET
    default_time_zone: Maybe[str] = UNSET
    company_start_date: Maybe[date] = UNSET
    name_value: Maybe[tuple[Mapping[str, Any], ...]] = UNSET
