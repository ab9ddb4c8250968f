"""Object describes (``GET /sobjects/{type}/describe``): fields, picklists, external ids."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from msplink.salesforce.models._converter import camel_converter, fitted

__all__ = ["FieldDescribe", "PicklistValue", "SObjectDescribe"]


@attrs.frozen(kw_only=True, slots=False)
class PicklistValue:
    """One picklist entry of a describe."""

    value: str
    label: str | None = None
    active: bool = True
    default_value: bool = False


@attrs.frozen(kw_only=True, slots=False)
class FieldDescribe:
    """One field of an object describe."""

    name: str
    label: str | None = None
    type: str = "string"
    length: int | None = None
    nillable: bool = True
    createable: bool = False
    updateable: bool = False
    defaulted_on_create: bool = False
    external_id: bool = False
    id_lookup: bool = False
    unique: bool = False
    custom: bool = False
    calculated: bool = False
    restricted_picklist: bool = False
    picklist_values: tuple[PicklistValue, ...] = ()
    reference_to: tuple[str, ...] = ()
    relationship_name: str | None = None

    @property
    def required_on_create(self) -> bool:
        """``createable and not nillable and not defaultedOnCreate`` (Salesforce's definition)."""
        return self.createable and not self.nillable and not self.defaulted_on_create

    @property
    def active_picklist_values(self) -> tuple[str, ...]:
        """The active picklist values."""
        return tuple(p.value for p in self.picklist_values if p.active)


@attrs.frozen(kw_only=True, slots=False)
class SObjectDescribe:
    """An object describe (``GET /sobjects/{type}/describe``)."""

    name: str
    label: str | None = None
    key_prefix: str | None = None
    custom: bool = False
    createable: bool = False
    updateable: bool = False
    deletable: bool = False
    queryable: bool = False
    fields: tuple[FieldDescribe, ...] = ()
    raw: Any = attrs.field(default=None, eq=False, repr=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> SObjectDescribe:
        """Parse a describe body.

        Raises:
            ParseError: The payload does not fit (a ``ValueError``; the message names no value).
        """
        return fitted(cls.__name__, lambda: cls._from_api(data))

    @classmethod
    def _from_api(cls, data: Mapping[str, Any]) -> SObjectDescribe:
        model = camel_converter.structure(dict(data), cls)
        object.__setattr__(model, "raw", data)
        return model

    def field(self, name: str) -> FieldDescribe:
        """A field by API name (case-insensitive).

        Raises:
            KeyError: No such field.
        """
        for f in self.fields:
            if f.name.lower() == name.lower():
                return f
        raise KeyError(name)

    @property
    def field_names(self) -> tuple[str, ...]:
        """Every field's API name."""
        return tuple(f.name for f in self.fields)

    @property
    def required_fields(self) -> tuple[str, ...]:
        """Fields that must be given on create."""
        return tuple(f.name for f in self.fields if f.required_on_create)

    @property
    def external_id_fields(self) -> tuple[str, ...]:
        """Fields flagged External ID (usable for upserts)."""
        return tuple(f.name for f in self.fields if f.external_id)

    @property
    def picklists(self) -> dict[str, tuple[str, ...]]:
        """Active values of every picklist / multi-select picklist field."""
        return {
            f.name: f.active_picklist_values for f in self.fields if f.type in {"picklist", "multipicklist"}
        }
