"""Helpers shared by the three vendor mapper modules (parsing, refs, custom fields, names)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any, TypeVar

import attrs
import cattrs

from msplink.errors import MappingError
from msplink.mappers._config import MappingConfig, normalise_name
from msplink.models import ExternalRef, Link

__all__ = [
    "has_ref",
    "iso",
    "parse_model",
    "ref",
    "unmapped_fields",
    "vendor_custom_in",
    "vendor_custom_out",
]

M = TypeVar("M")

_PARSE_ERRORS: tuple[type[BaseException], ...] = (
    ValueError,
    TypeError,
    KeyError,
    AttributeError,
    ArithmeticError,
    cattrs.errors.BaseValidationError,
)


def parse_model(cls: type[M], data: M | Mapping[str, Any], root: str) -> M:
    """Return ``data`` when it already is a ``cls``; parse a raw payload with ``cls.from_api`` otherwise.

    Raises:
        MappingError: The payload cannot be parsed (path ``root``).
    """
    if isinstance(data, cls):
        return data
    if not isinstance(data, Mapping):
        raise MappingError(root, f"expected a {cls.__name__} or a JSON object, got {type(data).__name__}")
    try:
        parsed: M = cls.from_api(data)  # type: ignore[attr-defined]
    except _PARSE_ERRORS as exc:
        raise MappingError(root, f"payload does not parse as {cls.__name__}: {type(exc).__name__}") from exc
    return parsed


def unmapped_fields(cls: type[Any], mapped: Iterable[str], extra: Iterable[str] = ()) -> frozenset[str]:
    """All attrs field names of a wire model except the mapped ones and the bookkeeping fields."""
    skip = {"raw", "info", "custom", *extra}
    names = {f.name for f in attrs.fields(cls)}
    unknown = set(mapped) - names
    if unknown:  # a typo in a mapped list is a programming error caught at import time
        raise AssertionError(f"{cls.__name__} has no fields {sorted(unknown)}")
    return frozenset(names - set(mapped) - skip)


def iso(value: datetime | date | None) -> str | None:
    """ISO text of a date/datetime (None stays None)."""
    return value.isoformat() if value is not None else None


def has_ref(link: Link | None, system: str, object_type: str | None = None) -> bool:
    """Whether ``link`` carries a ref in ``system``."""
    return link is not None and link.ref_for(system, object_type) is not None


def ref(system: str, object_type: str, id: object, version: str | None = None) -> frozenset[ExternalRef]:
    """A one-element ref set (empty when ``id`` is None or blank)."""
    if id is None or (isinstance(id, str) and not id.strip()):
        return frozenset()
    return frozenset({ExternalRef(system, object_type, str(id), version)})


def vendor_custom_in(
    values: Mapping[str, Any], record: str, system: str, config: MappingConfig
) -> dict[str, Any]:
    """Canonical custom fields from a vendor's ``field name -> value`` map, per the config."""
    out: dict[str, Any] = {}
    pairs = config.custom_fields_for(record, system)
    if not pairs:
        return out
    lowered = {normalise_name(k): v for k, v in values.items()}
    for canonical, vendor_field in pairs:
        if vendor_field in values:
            out[canonical] = values[vendor_field]
        elif normalise_name(vendor_field) in lowered:
            out[canonical] = lowered[normalise_name(vendor_field)]
    return out


def vendor_custom_out(
    custom: Mapping[str, Any], record: str, system: str, config: MappingConfig
) -> dict[str, Any]:
    """A vendor ``field name -> value`` map from canonical custom fields, per the config."""
    return {
        vendor_field: custom[canonical]
        for canonical, vendor_field in config.custom_fields_for(record, system)
        if canonical in custom
    }
