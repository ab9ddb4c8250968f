"""Helpers shared by the QuickBooks mapper modules: refs, links, addresses, terms, custom fields, line details."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, Final

from msplink.mappers._common import ref, unmapped_fields, vendor_custom_in, vendor_custom_out
from msplink.mappers._config import MappingConfig
from msplink.mappers._util import at, aware, fail
from msplink.models import (
    QUICKBOOKS,
    Address,
    Link,
    Money,
)
from msplink.quickbooks import models as qbo

__all__ = [
    "SYSTEM",
    "UNMAPPED_ADDRESS_FIELDS",
    "address_in",
    "address_out",
    "amount_of",
    "config_or_empty",
    "currency_in",
    "custom_fields_in",
    "custom_fields_out",
    "email_in",
    "is_deletion_stub",
    "link_in",
    "own_ref",
    "phone_in",
    "reference_out",
    "refs_of",
    "terms_in",
    "terms_out",
    "updated_in",
]


SYSTEM: Final = QUICKBOOKS


_EMPTY: Final = MappingConfig()


def is_deletion_stub(entity: Any) -> bool:
    """Whether a payload is a deletion stub (``{"status": "Deleted", "Id": ...}`` from delete or CDC)."""
    raw = getattr(entity, "raw", None) or {}
    return isinstance(raw, Mapping) and raw.get("status") == "Deleted"


UNMAPPED_ADDRESS_FIELDS: Final = unmapped_fields(
    qbo.Address,
    {
        "line1",
        "line2",
        "line3",
        "line4",
        "line5",
        "city",
        "country",
        "country_sub_division_code",
        "postal_code",
    },
)
"""Address attributes not carried (QBO's address record id and geocode)."""


def config_or_empty(config: MappingConfig | None) -> MappingConfig:
    """The given config, or the shared empty one."""
    return config if config is not None else _EMPTY


def _version(entity: Any) -> str | None:
    token: str | None = getattr(entity, "sync_token", None)
    return token


def updated_in(entity: Any, path: str) -> datetime | None:
    """The entity's ``MetaData.LastUpdatedTime``, checked timezone-aware."""
    meta = getattr(entity, "meta_data", None)
    return aware(meta.last_updated_time if meta is not None else None, path)


def refs_of(entity: Any, object_type: str) -> frozenset[Any]:
    """The entity's own QBO ref (version: its ``SyncToken``)."""
    return ref(SYSTEM, object_type, getattr(entity, "id", None), _version(entity))


def own_ref(record: Any, object_type: str) -> tuple[str | None, str | None]:
    """The record's own QBO id and SyncToken, when it has a QBO ref."""
    own = record.ref_for(SYSTEM, object_type)
    if own is None:
        return None, None
    return own.id, own.version


def link_in(reference: qbo.Ref | None, object_type: str) -> Link | None:
    """A link to the referenced QBO entity (None for an empty reference)."""
    if reference is None or not reference.value:
        return None
    return Link.to(SYSTEM, object_type, reference.value, display=reference.name)


def reference_out(
    link: Link | None, object_type: str, path: str, *, required: bool = False
) -> qbo.Ref | None:
    """A QBO ``Ref`` to a linked record (MappingError without a QBO ref)."""
    if link is None:
        if required:
            fail(path, "is required but missing")
        return None
    value = link.id_for(SYSTEM, object_type)
    if value is None:
        fail(path, f"the linked record has no {SYSTEM} {object_type} ref", value=link.display)
    return qbo.Ref(value=value, name=link.display)


def currency_in(reference: qbo.Ref | None, config: MappingConfig, path: str) -> str:
    """The ISO currency of a ``CurrencyRef`` (default: ``config.default_currency``)."""
    if reference is None or not reference.value:
        return config.default_currency
    with at(path):
        return Money(0, reference.value).currency


def address_in(address: qbo.Address | None) -> Address | None:
    """An :class:`Address` from a QBO address (None when empty)."""
    if address is None:
        return None
    result = Address(
        line1=address.line1,
        line2=address.line2,
        line3=address.line3,
        line4=address.line4,
        line5=address.line5,
        city=address.city,
        region=address.country_sub_division_code,
        postal_code=address.postal_code,
        country=address.country,
    )
    return None if result.is_empty() else result


def address_out(address: Address | None) -> qbo.Address | None:
    """A QBO address from an :class:`Address` (None when empty)."""
    if address is None or address.is_empty():
        return None
    return qbo.Address(
        line1=address.line1,
        line2=address.line2,
        line3=address.line3,
        line4=address.line4,
        line5=address.line5,
        city=address.city,
        country_sub_division_code=address.region,
        postal_code=address.postal_code,
        country=address.country,
    )


def email_in(value: qbo.EmailAddress | None) -> str | None:
    """The address of a QBO e-mail object."""
    return value.address if value is not None else None


def phone_in(value: qbo.Telephone | None) -> str | None:
    """The free-form number of a QBO phone object."""
    return value.free_form_number if value is not None else None


def terms_in(reference: qbo.Ref | None, config: MappingConfig, path: str) -> str | None:
    """The CW terms name of a QBO ``SalesTermRef`` (through the ``terms`` table)."""
    if reference is None or not reference.value:
        return None
    return config.terms.inverse(reference.value, path=path, table="terms")


def terms_out(terms: str | None, config: MappingConfig, path: str) -> qbo.Ref | None:
    """The QBO ``SalesTermRef`` for CW terms (through the ``terms`` table)."""
    if not terms:
        return None
    return qbo.Ref(value=config.terms.get(terms, path=path, table="terms"))


def custom_fields_in(
    fields: Sequence[qbo.CustomField] | None, record: str, config: MappingConfig
) -> dict[str, Any]:
    """Canonical custom fields from QBO ``CustomField`` entries, per the config."""
    values = {cf.name: cf.string_value for cf in fields or () if cf.name and cf.string_value is not None}
    return vendor_custom_in(values, record, SYSTEM, config)


def custom_fields_out(
    custom: Mapping[str, Any], record: str, config: MappingConfig
) -> tuple[qbo.CustomField, ...] | None:
    """QBO ``CustomField`` entries for the configured canonical custom fields."""
    values = vendor_custom_out(custom, record, SYSTEM, config)
    if not values:
        return None
    return tuple(
        qbo.CustomField(
            definition_id=config.qbo_id("custom_fields", name),
            name=name,
            type="StringType",
            string_value=str(value),
        )
        for name, value in values.items()
    )


def amount_of(value: Money | None) -> Decimal | None:
    """The Decimal amount of optional Money."""
    return value.amount if value is not None else None
