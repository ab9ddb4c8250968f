"""Shared building blocks of the canonical models: refs, links, addresses and the record envelope."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any, Final, TypeVar

import attrs

__all__ = [
    "CONNECTWISE",
    "QUICKBOOKS",
    "SALESFORCE",
    "Address",
    "ExternalRef",
    "Link",
    "Record",
    "tz_aware",
]

CONNECTWISE: Final = "connectwise"
QUICKBOOKS: Final = "quickbooks"
SALESFORCE: Final = "salesforce"

_R = TypeVar("_R", bound="Record")


def tz_aware(instance: object, attribute: attrs.Attribute[Any], value: datetime | None) -> None:
    """Validate that a datetime attribute is ``None`` or timezone-aware."""
    if value is not None and (value.tzinfo is None or value.utcoffset() is None):
        raise ValueError(f"{attribute.name} must be timezone-aware, got naive {value!r}")


def _non_empty(instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"ExternalRef.{attribute.name} must be a non-empty string, got {value!r}")


def _to_id(value: object) -> str:
    if isinstance(value, bool):
        raise TypeError("an id cannot be a bool")
    if isinstance(value, int):
        return str(value)
    return value  # type: ignore[return-value]  # validated below


@attrs.frozen(kw_only=False)
class ExternalRef:
    """Where a record lives in one system: ``ExternalRef("connectwise", "company", "250")``.

    Attributes:
        system: ``connectwise``, ``quickbooks`` or ``salesforce`` (any non-empty name is accepted).
        object_type: The vendor object (``company``, ``Customer``, ``Account``).
        id: The vendor id as a string (ints are converted).
        version: The vendor's concurrency token when known (QBO SyncToken, SF SystemModstamp,
            CW ``_info.lastUpdated``); excluded from equality so a newer read links to the same record.
    """

    system: str = attrs.field(validator=_non_empty)
    object_type: str = attrs.field(validator=_non_empty)
    id: str = attrs.field(converter=_to_id, validator=_non_empty)
    version: str | None = attrs.field(default=None, eq=False)

    def __str__(self) -> str:
        return f"{self.system}:{self.object_type}:{self.id}"


def _to_refs(value: Iterable[ExternalRef] | ExternalRef | None) -> frozenset[ExternalRef]:
    if value is None:
        return frozenset()
    if isinstance(value, ExternalRef):
        return frozenset({value})
    refs = frozenset(value)
    for ref in refs:
        if not isinstance(ref, ExternalRef):
            raise TypeError(f"refs must hold ExternalRef values, got {type(ref).__name__}")
    return refs


def _find(refs: frozenset[ExternalRef], system: str, object_type: str | None) -> ExternalRef | None:
    found = sorted(
        (r for r in refs if r.system == system and (object_type is None or r.object_type == object_type)),
        key=lambda r: (r.object_type, r.id),
    )
    return found[0] if found else None


@attrs.frozen(kw_only=True)
class Link:
    """A pointer from one canonical record to another, by one ref per system (plus a display name).

    The sync engine adds the target system's ref (from its identity map) before a mapper writes the
    link out; a mapper that finds no ref for its system raises ``MappingError``.

    Attributes:
        refs: The known refs of the linked record, one per system usually.
        display: A human label (company name, member identifier); not part of equality.
    """

    refs: frozenset[ExternalRef] = attrs.field(factory=frozenset, converter=_to_refs)
    display: str | None = attrs.field(default=None, eq=False)

    @classmethod
    def to(cls, system: str, object_type: str, id: str | int, *, display: str | None = None) -> Link:
        """Build a link holding one ref."""
        return cls(refs=frozenset({ExternalRef(system, object_type, str(id))}), display=display)

    def ref_for(self, system: str, object_type: str | None = None) -> ExternalRef | None:
        """Return the ref in ``system`` (and of ``object_type`` when given), if any."""
        return _find(self.refs, system, object_type)

    def id_for(self, system: str, object_type: str | None = None) -> str | None:
        """Return the id in ``system`` (and of ``object_type`` when given), if any."""
        ref = self.ref_for(system, object_type)
        return ref.id if ref is not None else None

    def with_ref(self, ref: ExternalRef) -> Link:
        """Return a copy that also carries ``ref``."""
        return attrs.evolve(self, refs=self.refs | {ref})


@attrs.frozen(kw_only=True)
class Address:
    """A postal address, vendor-neutral.

    Attributes:
        line1: First street line.
        line2: Second street line.
        line3: Third street line (QBO Line3; SF multi-line street).
        line4: Fourth line (QBO Line4).
        line5: Fifth line (QBO Line5).
        city: City or locality.
        region: State, province or county, as written (``TX``).
        postal_code: ZIP or postcode.
        country: Country as written by the source (``USA``, ``United States``, ``US``).
    """

    line1: str | None = None
    line2: str | None = None
    line3: str | None = None
    line4: str | None = None
    line5: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None

    @property
    def street_lines(self) -> tuple[str, ...]:
        """The non-empty street lines in order."""
        return tuple(x for x in (self.line1, self.line2, self.line3, self.line4, self.line5) if x)

    def is_empty(self) -> bool:
        """Whether no component is set."""
        return not any(attrs.astuple(self))


def _freeze_mapping(value: Mapping[str, object] | None) -> Mapping[str, object]:
    return MappingProxyType(dict(value or {}))


@attrs.frozen(kw_only=True)
class Record:
    """The envelope every canonical record carries (provenance, change time, tombstone, custom fields).

    Attributes:
        refs: Where the record lives (one ``ExternalRef`` per system it was read from or written to).
        updated_at: When the source last changed it (timezone-aware), if known.
        deleted: The source reported it deleted / inactive-as-deleted (a tombstone).
        custom_fields: Values of custom fields by their canonical name (see ``MappingConfig``);
            read-only, excluded from hashing.
    """

    refs: frozenset[ExternalRef] = attrs.field(factory=frozenset, converter=_to_refs)
    updated_at: datetime | None = attrs.field(default=None, validator=tz_aware)
    deleted: bool = False
    custom_fields: Mapping[str, object] = attrs.field(
        factory=lambda: MappingProxyType({}), converter=_freeze_mapping, hash=False
    )

    def ref_for(self, system: str, object_type: str | None = None) -> ExternalRef | None:
        """Return this record's ref in ``system`` (and of ``object_type`` when given), if any."""
        return _find(self.refs, system, object_type)

    def id_for(self, system: str, object_type: str | None = None) -> str | None:
        """Return this record's id in ``system``, if it has one."""
        ref = self.ref_for(system, object_type)
        return ref.id if ref is not None else None

    def with_ref(self: _R, ref: ExternalRef) -> _R:
        """Return a copy that also carries ``ref`` (replacing an older ref to the same record)."""
        return attrs.evolve(self, refs=(self.refs - {ref}) | {ref})

    def link(self, display: str | None = None) -> Link:
        """Return a :class:`Link` pointing at this record through all its refs."""
        return Link(refs=self.refs, display=display)
