"""Helpers shared by the Salesforce mapper modules: refs, owners, links, addresses, custom fields."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final

from msplink.mappers._common import vendor_custom_in, vendor_custom_out
from msplink.mappers._config import MappingConfig
from msplink.mappers._util import aware, fail
from msplink.models import (
    CONNECTWISE,
    SALESFORCE,
    Address,
    ExternalRef,
    Link,
)
from msplink.salesforce import models as sf

__all__ = [
    "CW_AGREEMENT_ID_FIELD",
    "CW_COMPANY_ID_FIELD",
    "CW_CONTACT_ID_FIELD",
    "CW_INVOICE_ID_FIELD",
    "CW_OPPORTUNITY_ID_FIELD",
    "CW_TICKET_ID_FIELD",
    "KEY_PREFIXES",
    "SYSTEM",
    "address_in",
    "config_or_empty",
    "custom_fields_in",
    "custom_fields_out",
    "cw_id_out",
    "id_out",
    "link_in",
    "object_type_of",
    "own_id",
    "owner_in",
    "owner_out",
    "picklist_in",
    "picklist_out",
    "refs_of",
    "stamp_of",
    "street_of",
    "updated_in",
]


SYSTEM: Final = SALESFORCE


CW_COMPANY_ID_FIELD: Final = "CW_Company_Id__c"
"""Account external-id field holding the ConnectWise company id (msplink's upsert key)."""


CW_CONTACT_ID_FIELD: Final = "CW_Contact_Id__c"
"""Contact external-id field holding the ConnectWise contact id."""


CW_TICKET_ID_FIELD: Final = "CW_Ticket_Id__c"
"""Case external-id field holding the ConnectWise ticket id."""


CW_AGREEMENT_ID_FIELD: Final = "CW_Agreement_Id__c"
"""Contract (and renewal Opportunity) field holding the ConnectWise agreement id."""


CW_INVOICE_ID_FIELD: Final = "CW_Invoice_Id__c"
"""External-id field of the invoice custom object holding the ConnectWise invoice id."""


CW_OPPORTUNITY_ID_FIELD: Final = "CW_Opportunity_Id__c"
"""Opportunity external-id field holding the ConnectWise opportunity id."""


KEY_PREFIXES: Final[dict[str, str]] = {
    "001": "Account",
    "003": "Contact",
    "005": "User",
    "006": "Opportunity",
    "00G": "Group",
    "00Q": "Lead",
    "00T": "Task",
    "500": "Case",
    "800": "Contract",
}
"""Record-id key prefixes -> sObject names (for polymorphic ``WhoId``/``WhatId``/``OwnerId``)."""


_EMPTY: Final = MappingConfig()


def config_or_empty(config: MappingConfig | None) -> MappingConfig:
    """The given config, or the shared empty one."""
    return config if config is not None else _EMPTY


def picklist_in(config: MappingConfig, table: str, value: str | None, path: str) -> str | None:
    """A Salesforce picklist value in ConnectWise's vocabulary, through the config table ``table``
    (``industries``, ``account_types``, ``lead_sources``); an empty table passes values unchanged.

    Raises:
        MappingError: The table is configured but has no entry (and no default) for the value.
    """
    if not value:
        return None
    values = config.table(table)
    return values.get(value, path=path, table=table) if values else value


def picklist_out(config: MappingConfig, table: str, value: str | None, path: str) -> str | None:
    """The Salesforce picklist value of a ConnectWise-vocabulary value (the inverse of :func:`picklist_in`).

    Raises:
        MappingError: The table is configured but cannot say which Salesforce value it is.
    """
    if not value:
        return None
    values = config.table(table)
    return values.inverse(value, path=path, table=table) if values else value


def stamp_of(record: sf.SObject) -> datetime | None:
    """The record's change stamp (``SystemModstamp``, else ``LastModifiedDate``)."""
    return record.system_modstamp or record.last_modified_date


def refs_of(
    record: sf.SObject, object_type: str, cw_field: str | None, cw_type: str
) -> frozenset[ExternalRef]:
    """The record's own SF ref plus the CW ref its external-id field carries."""
    refs: set[ExternalRef] = set()
    stamp = stamp_of(record)
    if record.id:
        refs.add(
            ExternalRef(SYSTEM, object_type, record.id, stamp.isoformat() if stamp is not None else None)
        )
    if cw_field is not None:
        value = record.custom.get(cw_field)
        if value is not None and str(value).strip():
            cw_id = str(value).strip()
            if cw_id.endswith(".0"):  # numbers in text fields sometimes come back as 19342.0
                cw_id = cw_id[:-2]
            refs.add(ExternalRef(CONNECTWISE, cw_type, cw_id))
    return frozenset(refs)


def object_type_of(record_id: str, default: str) -> str:
    """The sObject type of an id, from its key prefix (``001`` -> Account)."""
    return KEY_PREFIXES.get(record_id[:3], default)


def link_in(record_id: str | None, default_type: str, display: object = None) -> Link | None:
    """A link to the SF record with that id (None for no id)."""
    if not record_id:
        return None
    text = display if isinstance(display, str) else None
    return Link.to(SYSTEM, object_type_of(record_id, default_type), record_id, display=text)


def owner_in(record: sf.SObject, owner_id: str | None, config: MappingConfig) -> Link | None:
    """A link to the record's owner: the SF User, plus the CW member ``owners`` maps it to."""
    link = link_in(owner_id, "User", record.get("Owner.Name"))
    if link is None or owner_id is None:
        return None
    member = config.owners.find(owner_id)
    return link.with_ref(ExternalRef(CONNECTWISE, "member", member)) if member else link


def owner_out(link: Link | None, config: MappingConfig, path: str) -> str | None:
    """The SF User id for an owner link (its SF ref, else through ``owners``)."""
    if link is None:
        return None
    user = link.id_for(SYSTEM, "User") or link.id_for(SYSTEM, "Group")
    if user is not None:
        return user
    member = link.id_for(CONNECTWISE, "member")
    if member is None:
        fail(path, "the owner has no Salesforce user or ConnectWise member ref", value=link.display)
    return config.owners.inverse(member, path=path, table="owners")


def id_out(link: Link | None, object_type: str | None, path: str, *, required: bool = False) -> str | None:
    """The SF id of a linked record (MappingError without an SF ref)."""
    if link is None:
        if required:
            fail(path, "is required but missing")
        return None
    value = link.id_for(SYSTEM, object_type)
    if value is None:
        fail(path, f"the linked record has no {SYSTEM} {object_type or 'record'} ref", value=link.display)
    return value


def own_id(record: Any, object_type: str) -> str | None:
    """The record's own SF id, when it has an SF ref."""
    value: str | None = record.id_for(SYSTEM, object_type)
    return value


def cw_id_out(record: Any, cw_type: str, field: str) -> dict[str, Any]:
    """The CW external-id field for a record with a CW ref (empty otherwise)."""
    cw_id = record.id_for(CONNECTWISE, cw_type)
    return {field: cw_id} if cw_id is not None else {}


def street_of(lines: tuple[str, ...]) -> str | None:
    """One SF street field from address lines (newline-separated)."""
    return "\n".join(lines) if lines else None


def address_in(
    street: str | None, city: str | None, state: str | None, postal: str | None, country: str | None
) -> Address | None:
    """An :class:`Address` from SF address fields (None when empty)."""
    parts = [p for p in (street or "").replace("\r\n", "\n").split("\n")] if street else []
    if len(parts) > 5:
        parts = [*parts[:4], " ".join(parts[4:])]
    parts += [""] * (5 - len(parts))
    address = Address(
        line1=parts[0] or None,
        line2=parts[1] or None,
        line3=parts[2] or None,
        line4=parts[3] or None,
        line5=parts[4] or None,
        city=city,
        region=state,
        postal_code=postal,
        country=country,
    )
    return None if address.is_empty() else address


def custom_fields_in(record: sf.SObject, name: str, config: MappingConfig) -> dict[str, Any]:
    """Canonical custom fields from the record's custom fields, per the config."""
    return vendor_custom_in(record.custom, name, SYSTEM, config)


def custom_fields_out(custom: Mapping[str, Any], name: str, config: MappingConfig) -> dict[str, Any]:
    """SF custom fields for the configured canonical custom fields."""
    return vendor_custom_out(custom, name, SYSTEM, config)


def updated_in(record: sf.SObject, path: str) -> datetime | None:
    """The record's change stamp, checked timezone-aware."""
    return aware(stamp_of(record), path)
