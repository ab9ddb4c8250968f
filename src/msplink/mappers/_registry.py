"""All mapper tables together, and the look-up a sync engine uses instead of function names."""

from __future__ import annotations

from typing import Any, TypeVar

from msplink.errors import ConfigurationError
from msplink.mappers._mapper import Mapper
from msplink.mappers.connectwise import MAPPERS as CONNECTWISE_MAPPERS
from msplink.mappers.quickbooks import MAPPERS as QUICKBOOKS_MAPPERS
from msplink.mappers.salesforce import MAPPERS as SALESFORCE_MAPPERS

__all__ = [
    "MAPPERS",
    "find_mapper",
]

C = TypeVar("C")

MAPPERS: tuple[Mapper[Any], ...] = (*CONNECTWISE_MAPPERS, *QUICKBOOKS_MAPPERS, *SALESFORCE_MAPPERS)
"""Every mapper of the three vendors (``connectwise.MAPPERS + quickbooks.MAPPERS + salesforce.MAPPERS``)."""

_BY_KEY: dict[tuple[str, str, type[Any]], Mapper[Any]] = {
    (m.system, m.object, m.canonical): m for m in MAPPERS
}


def find_mapper(system: str, object: str, canonical: type[C]) -> Mapper[C]:
    """The mapper between ``system``'s ``object`` and the canonical class ``canonical``.

    Example: ``find_mapper("connectwise", "company", Customer).to_canonical(payload, config)``.

    Args:
        system: ``"connectwise"``, ``"quickbooks"`` or ``"salesforce"``.
        object: The vendor object as the mapper's refs name it (``"company"``, ``"Customer"``,
            ``"Account"``): :attr:`Mapper.object`.
        canonical: The canonical class (``msplink.models.Customer`` ...).

    Raises:
        ConfigurationError: No mapper exists for that triple (the message lists what does exist).
    """
    found = _BY_KEY.get((system, object, canonical))
    if found is not None:
        return found
    same_object = sorted(m.canonical.__name__ for m in MAPPERS if m.system == system and m.object == object)
    if same_object:
        hint = f"{system} {object!r} maps to {', '.join(same_object)}"
    else:
        objects = sorted({m.object for m in MAPPERS if m.system == system})
        hint = f"{system} objects with mappers: {', '.join(objects)}" if objects else "unknown system"
    name = getattr(canonical, "__name__", repr(canonical))
    raise ConfigurationError(f"no mapper between {system} {object!r} and {name} ({hint})")
