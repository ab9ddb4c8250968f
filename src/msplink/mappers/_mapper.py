"""The mapper table record: what a sync engine needs to map one vendor object without naming functions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

import attrs

from msplink.errors import ConfigurationError
from msplink.mappers._config import MappingConfig
from msplink.models import SALESFORCE

_CUSTOM_FIELD_ARRAYS = frozenset({"customFields", "CustomField"})
"""Where ConnectWise (``customFields``) and QuickBooks (``CustomField``) keep a record's custom fields."""

__all__ = [
    "Mapper",
]

C = TypeVar("C")


@attrs.frozen(kw_only=True)
class Mapper(Generic[C]):
    """One vendor object <-> one canonical class, both directions, with the wire fields involved.

    Each vendor mapper package exports ``MAPPERS: tuple[Mapper, ...]`` (for example
    ``msplink.mappers.connectwise.MAPPERS``); :func:`msplink.mappers.find_mapper` looks one up by
    ``(system, object, canonical)``. A sync engine drives every flow through these records and never
    calls a mapper by its function name.

    Attributes:
        system: ``"connectwise"``, ``"quickbooks"`` or ``"salesforce"``.
        object: The vendor object, spelt as the mapper's :class:`~msplink.models.ExternalRef`
            ``object_type`` (``"company"``, ``"Customer"``, ``"Account"``), so a record's provenance
            ref names its mapper.
        canonical: The canonical class (``Customer``, ``Invoice``, ``Address`` ...).
        to_canonical: ``to_canonical(wire, config)``: a wire model or its raw JSON payload to the
            canonical record; ``None`` when msplink maps this object outbound only.
        from_canonical: ``from_canonical(canonical, config)``: the canonical record to the wire model
            (ready for ``to_api()``); ``None`` when msplink maps this object inbound only.
        reads: The top-level wire fields ``to_canonical`` reads: project reads with them (CW
            ``fields=``, a SOQL select list). A payload projected to exactly these fields maps to the
            same canonical record as the full payload. See :meth:`reads_for` for custom fields.
        writes: The top-level wire fields ``from_canonical`` may set (Salesforce custom fields named in
            the ``MappingConfig`` come on top).
        aggregate: ``from_canonical`` takes a sequence of canonical records and builds one wire record
            (a QBO labour-cost ``JournalEntry`` from ``TimeEntry`` records).
    """

    system: str
    object: str
    canonical: type[C]
    to_canonical: Callable[[Any, MappingConfig | None], C] | None = None
    from_canonical: Callable[[C, MappingConfig | None], Any] | None = None
    reads: tuple[str, ...] = ()
    writes: tuple[str, ...] = ()
    aggregate: bool = False

    @property
    def key(self) -> tuple[str, str, str]:
        """``(system, object, canonical class name)``: unique within the tables."""
        return (self.system, self.object, self.canonical.__name__)

    def inbound(self, wire: Any, config: MappingConfig | None = None) -> C:
        """Map a wire model (or its raw JSON payload) to the canonical record with :attr:`to_canonical`.

        Raises:
            ConfigurationError: This mapper has no inbound direction.
            MappingError: A value cannot be mapped (the path names the field).
        """
        if self.to_canonical is None:
            raise ConfigurationError(f"{self!r} maps outbound only (no to_canonical)")
        return self.to_canonical(wire, config)

    def outbound(self, canonical: C, config: MappingConfig | None = None) -> Any:
        """Build the wire model for a canonical record with :attr:`from_canonical`.

        Raises:
            ConfigurationError: This mapper has no outbound direction.
            MappingError: A value cannot be mapped (the path names the field).
        """
        if self.from_canonical is None:
            raise ConfigurationError(f"{self!r} maps inbound only (no from_canonical)")
        return self.from_canonical(canonical, config)

    def reads_for(self, config: MappingConfig | None = None) -> tuple[str, ...]:
        """The fields to project for ``config``: :attr:`reads`, narrowed to the custom fields it maps.

        Salesforce custom fields are top-level fields of the sObject (``SLA__c``): the configured ones
        are added. ConnectWise and QuickBooks carry theirs inside one array (``customFields`` /
        ``CustomField``, in :attr:`reads`): a config that maps none of this record's custom fields
        leaves the array out, since nothing in it would be read. ``None`` (no config known) reads
        everything in :attr:`reads`.
        """
        if config is None:
            return self.reads
        configured = config.custom_fields_for(self.canonical.__name__, self.system)
        if self.system == SALESFORCE:
            return tuple(dict.fromkeys([*self.reads, *(field for _, field in configured)]))
        if configured:
            return self.reads
        return tuple(f for f in self.reads if f not in _CUSTOM_FIELD_ARRAYS)

    def __repr__(self) -> str:
        return f"Mapper({self.system}:{self.object} <-> {self.canonical.__name__})"
