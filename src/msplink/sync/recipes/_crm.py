"""Parts the CRM recipes share (``accounts_and_contacts``, ``leads_to_connectwise``), built only from
public names: mapper rows that compare as a person would, the id fields written back to Salesforce,
and a helper telling sync clients from async ones.

- :func:`comparable`: a mapper row whose canonical records hold no blank strings (``""`` and
  whitespace are ``None``, text is trimmed) and lower-case e-mail addresses, so ``Sam.Lee@x.example``
  in Salesforce and ``sam.lee@x.example`` in ConnectWise are one value, not a conflict; it can also
  carry the record's own id as a canonical custom field (``custom_fields.cw_company_id``), which is
  how the ConnectWise id becomes a field that flows to Salesforce like any other.
- :func:`with_custom_fields`: the ``MappingConfig`` with the Salesforce id fields added as custom
  fields (``CW_Company_Id__c`` ...), unless the config maps those names already.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Mapping
from typing import Any, Final

import attrs

from msplink.mappers import CustomFieldMapping, Mapper, MappingConfig
from msplink.models import Address

__all__ = [
    "CW_COMPANY_ID",
    "CW_CONTACT_ID",
    "comparable",
    "custom_field_paths",
    "is_async",
    "with_custom_fields",
]

CW_COMPANY_ID: Final = "cw_company_id"
"""The canonical custom field holding a ConnectWise company id (Salesforce ``CW_Company_Id__c``)."""

CW_CONTACT_ID: Final = "cw_contact_id"
"""The canonical custom field holding a ConnectWise contact id (Salesforce ``CW_Contact_Id__c``)."""


def is_async(*clients: Any) -> bool:
    """Whether the clients are async ones (all of them; mixing raises ``TypeError``)."""
    kinds = {inspect.iscoroutinefunction(getattr(client, "request", None)) for client in clients}
    if len(kinds) > 1:
        raise TypeError("pass sync clients only, or async clients only")
    return kinds == {True}


def _text(value: object) -> object:
    if isinstance(value, str):
        stripped = value.strip()
        return stripped or None
    return value


_ADDRESS_FIELDS: tuple[str, ...] = tuple(a.name for a in attrs.fields(Address))


def _address(value: Address | None) -> Address | None:
    if value is None:
        return None
    texts: dict[str, Any] = {name: _text(getattr(value, name)) for name in _ADDRESS_FIELDS}
    if not any(texts.values()):  # Address.is_empty() of the cleaned address
        return None
    changed = {name: text for name, text in texts.items() if text is not getattr(value, name)}
    return attrs.evolve(value, **changed) if changed else value


def _clean(record: Any, own_id: tuple[str, str, str] | None) -> Any:
    changes: dict[str, Any] = {}
    for attribute in attrs.fields(type(record)):
        name = attribute.name
        value = getattr(record, name)
        if isinstance(value, str):
            cleaned: Any = _text(value)
            if cleaned is not None and name == "email":
                cleaned = str(cleaned).casefold()
        elif isinstance(value, Address):
            cleaned = _address(value)
        elif name == "custom_fields" and isinstance(value, Mapping):
            cleaned = {k: _text(v) for k, v in value.items()}
            if own_id is not None:
                system, object_type, field = own_id
                cleaned[field] = record.id_for(system, object_type)
        else:
            continue
        if cleaned != value:
            changes[name] = cleaned
    return attrs.evolve(record, **changes) if changes else record


def comparable(row: Mapper[Any], *, own_id_field: str | None = None) -> Mapper[Any]:
    """The mapper ``row`` with its canonical records cleaned for comparison.

    Blank and whitespace-only strings become ``None`` (at the top level, in addresses and in custom
    fields), text is trimmed and e-mail addresses are lower-cased. Writing is the row's own
    ``from_canonical``.

    Args:
        row: A ``msplink.mappers`` row (``find_mapper("connectwise", "company", Customer)``).
        own_id_field: A canonical custom field to fill with the record's own id in the row's system
            (``cw_company_id`` for ConnectWise companies), so the id can flow to the other side.
    """
    if row.to_canonical is None:
        raise ValueError(f"{row!r} maps outbound only")
    inbound = row.to_canonical
    own = (row.system, row.object, own_id_field) if own_id_field else None

    def to_canonical(wire: Any, config: MappingConfig | None) -> Any:
        return _clean(inbound(wire, config), own)

    to_canonical.__name__ = getattr(inbound, "__name__", "to_canonical")
    return attrs.evolve(row, to_canonical=to_canonical)


def with_custom_fields(config: MappingConfig | None, entries: Iterable[CustomFieldMapping]) -> MappingConfig:
    """``config`` plus the custom-field mappings it does not have yet (by record and name)."""
    base = config if config is not None else MappingConfig()
    known = {(cf.record, cf.name) for cf in base.custom_fields}
    extra = [cf for cf in entries if (cf.record, cf.name) not in known]
    changes: dict[str, Any] = {"custom_fields": (*base.custom_fields, *extra)}
    return attrs.evolve(base, **changes) if extra else base


def custom_field_paths(config: MappingConfig, record: str) -> tuple[str, ...]:
    """``custom_fields.<name>`` of every custom field configured for ``record`` in both ConnectWise
    and Salesforce (the ones a two-way sync can carry)."""
    return tuple(
        f"custom_fields.{cf.name}"
        for cf in config.custom_fields
        if cf.record == record and cf.connectwise and cf.salesforce
    )
