"""Helpers shared by the ConnectWise mapper modules: references, links, ids, currency, custom fields."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timezone
from typing import Any, Final

from msplink.connectwise import models as cw
from msplink.mappers._common import vendor_custom_in, vendor_custom_out
from msplink.mappers._config import MappingConfig
from msplink.mappers._util import as_date, at, aware, fail
from msplink.models import CONNECTWISE, SALESFORCE, Address, Link, Money

__all__ = [
    "SYSTEM",
    "address_of",
    "config_or_empty",
    "currency_in",
    "currency_out",
    "custom_fields_in",
    "custom_fields_out",
    "date_in",
    "datetime_out",
    "id_out",
    "link_in",
    "member_link_in",
    "member_out",
    "named_reference",
    "own_id",
    "reference_name",
    "reference_name_in",
    "reference_out",
    "updated_in",
    "version_in",
]


SYSTEM: Final = CONNECTWISE


_EMPTY: Final = MappingConfig()


def config_or_empty(config: MappingConfig | None) -> MappingConfig:
    """The given config, or the shared empty one."""
    return config if config is not None else _EMPTY


def version_in(model: Any) -> str | None:
    """The record's ``_info.lastUpdated`` as ISO text: its ``ExternalRef.version``."""
    updated: datetime | None = getattr(model, "last_updated", None)
    return updated.isoformat() if updated is not None else None


def updated_in(model: Any, path: str) -> datetime | None:
    """The record's ``_info.lastUpdated``, checked timezone-aware."""
    return aware(getattr(model, "last_updated", None), path)


def link_in(reference: cw.Reference | None, object_type: str) -> Link | None:
    """A link to the referenced CW record (None for a missing or id-less reference)."""
    if reference is None or reference.id is None:
        return None
    return Link.to(SYSTEM, object_type, reference.id, display=reference.name or reference.identifier)


def member_link_in(reference: cw.Reference | None) -> Link | None:
    """A link to a CW member by identifier (or id), labelled with the name."""
    if reference is None:
        return None
    key = reference.identifier or (str(reference.id) if reference.id is not None else None)
    if not key:
        return None
    return Link.to(SYSTEM, "member", key, display=reference.name or reference.identifier)


def reference_name(reference: cw.Reference | None) -> str | None:
    """A reference's name, else its identifier."""
    if reference is None:
        return None
    return reference.name or reference.identifier


def reference_name_in(reference: cw.Reference | None, kind: str, config: MappingConfig) -> str | None:
    """The name of a reference; for an id-only reference, the name ``connectwise_ids.<kind>`` gives its id."""
    name = reference_name(reference)
    if name is None and reference is not None and reference.id is not None:
        table = config.connectwise_ids.get(kind)
        if table is not None:
            name = table.find_inverse(str(reference.id))
    return name


def named_reference(kind: str, name: str | None, config: MappingConfig) -> cw.Reference | None:
    """A ``{id, name}`` reference with the id from ``connectwise_ids.<kind>`` (None for no name)."""
    if not name:
        return None
    return cw.Reference(id=config.cw_id(kind, name), name=name)


def id_out(link: Link | None, object_type: str, path: str, *, required: bool = False) -> int | None:
    """The CW id of a linked record as an int (MappingError without a CW ref)."""
    if link is None:
        if required:
            fail(path, "is required but missing")
        return None
    value = link.id_for(SYSTEM, object_type)
    if value is None:
        fail(path, f"the linked record has no {SYSTEM} {object_type} ref", value=link.display)
    try:
        return int(value)
    except ValueError:
        fail(path, "ConnectWise ids are integers", value=value)


def reference_out(
    link: Link | None, object_type: str, path: str, *, required: bool = False
) -> cw.Reference | None:
    """A ``{id, name}`` reference to a linked record (MappingError without a CW ref)."""
    record_id = id_out(link, object_type, path, required=required)
    if record_id is None or link is None:
        return None
    return cw.Reference(id=record_id, name=link.display)


def member_out(link: Link | None, config: MappingConfig, path: str) -> cw.Reference | None:
    """A member reference for a person link (CW member ref, else the SF owner via ``owners``)."""
    if link is None:
        return None
    identifier = link.id_for(SYSTEM, "member")
    if identifier is None:
        sf_user = link.id_for(SALESFORCE, "User")
        if sf_user is not None:
            identifier = config.owners.get(sf_user, path=path, table="owners")
    if identifier is None:
        fail(path, "no ConnectWise member for this person", value=link.display)
    return cw.Reference(id=config.cw_id("members", identifier), identifier=identifier, name=link.display)


def own_id(record: Any, object_type: str) -> int | None:
    """The record's own CW id as an int, when it has a CW ref."""
    value = record.id_for(SYSTEM, object_type)
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        fail(f"{type(record).__name__}.refs", "ConnectWise ids are integers", value=value)


def currency_in(reference: cw.CurrencyReference | None, config: MappingConfig, path: str) -> str:
    """The ISO currency of a CW currency reference (default: ``config.default_currency``)."""
    code = reference.currency_code if reference is not None else None
    if not code:
        return config.default_currency
    with at(path):
        return Money(0, code).currency


def currency_out(currency: str | None, config: MappingConfig) -> cw.CurrencyReference | None:
    """A CW currency reference for an ISO code (id from ``connectwise_ids.currencies``)."""
    if not currency:
        return None
    return cw.CurrencyReference(id=config.cw_id("currencies", currency), currency_code=currency)


def date_in(value: datetime | None) -> date | None:
    """The date part of a CW datetime (CW sends dates as midnight UTC)."""
    return as_date(value)


def datetime_out(value: date | None) -> datetime | None:
    """A CW datetime (midnight UTC) for a date."""
    if value is None:
        return None
    return datetime(value.year, value.month, value.day, tzinfo=timezone.utc)


def custom_fields_in(
    values: Sequence[cw.CustomFieldValue] | None, record: str, config: MappingConfig
) -> dict[str, Any]:
    """Canonical custom fields from CW ``customFields`` (matched by caption, per the config)."""
    by_caption = {cf.caption: cf.value for cf in values or () if cf.caption}
    return vendor_custom_in(by_caption, record, SYSTEM, config)


def custom_fields_out(
    custom: Mapping[str, Any], record: str, config: MappingConfig
) -> tuple[cw.CustomFieldValue, ...] | None:
    """CW ``customFields`` for the configured canonical custom fields (None when there are none)."""
    values = vendor_custom_out(custom, record, SYSTEM, config)
    if not values:
        return None
    return tuple(
        cw.CustomFieldValue(id=config.cw_id("custom_fields", caption), caption=caption, value=value)
        for caption, value in values.items()
    )


def address_of(
    line1: str | None,
    line2: str | None,
    city: str | None,
    region: str | None,
    postal: str | None,
    country: str | None,
) -> Address | None:
    """An :class:`Address` from CW address parts (None when every part is empty)."""
    address = Address(line1=line1, line2=line2, city=city, region=region, postal_code=postal, country=country)
    return None if address.is_empty() else address
