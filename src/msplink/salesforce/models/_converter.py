"""The Salesforce converters (DESIGN §4, STYLE R18): one naming rule per payload family.

- sObject records use the API names of their fields: ``billing_city`` <-> ``BillingCity``
  (:func:`api_name`, PascalCase unless :data:`RENAMES` says otherwise); custom fields (``__c``) and
  the untouched payload are filled in by the model, never by the converter.
- Describe and Bulk 2.0 job bodies use camelCase: ``key_prefix`` <-> ``keyPrefix``.

Both converters are built on :func:`msplink._core.make_converter` (Decimal, tz-aware datetimes, dates).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, override

from msplink._core import make_converter
from msplink._core._hooks import FastStructurer, FieldPlan, ParseError

__all__ = [
    "RENAMES",
    "api_name",
    "camel",
    "camel_converter",
    "fitted",
    "format_datetime",
    "pascal",
    "sobject_converter",
    "structure_sobject",
]

T = TypeVar("T")

RENAMES: dict[str, str] = {}
"""Attribute names whose API name is not their PascalCase form (none of the typed fields today)."""

_NOT_WIRE = frozenset({"custom", "raw"})

_MISFITS: tuple[type[BaseException], ...] = (
    TypeError,
    AttributeError,
    ValueError,
    KeyError,
    IndexError,
    cattrs.BaseValidationError,
)


def fitted(name: str, build: Callable[[], T]) -> T:
    """``build()``, with a payload that does not fit its model (a list where an object belongs, an
    error that is a string ...) reported as a :class:`~msplink._core._hooks.ParseError` naming the
    model, as the compiled models do, instead of whatever the parsing code happened to trip on. The
    message names no value (payloads may hold personal data)."""
    try:
        return build()
    except ParseError:
        raise
    except _MISFITS as exc:
        raise ParseError(
            f"{name}: the payload does not fit the model ({type(exc).__name__})", path=name
        ) from exc


def pascal(name: str) -> str:
    """``billing_city`` -> ``BillingCity``."""
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


def camel(name: str) -> str:
    """``key_prefix`` -> ``keyPrefix``."""
    text = pascal(name)
    return text[:1].lower() + text[1:]


def api_name(attribute: str) -> str:
    """The Salesforce API name of a typed sObject attribute."""
    return RENAMES.get(attribute) or pascal(attribute)


def format_datetime(value: datetime) -> str:
    """Format an aware datetime the way Salesforce accepts it (``2026-05-06T11:30:49.000Z``)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    utc = value.astimezone(timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def _sobject_converter() -> cattrs.Converter:
    conv = make_converter()

    def factory(cls: type[Any]) -> Any:
        overrides: dict[str, Any] = {
            a.name: override(rename=api_name(a.name)) for a in attrs.fields(cls) if a.name not in _NOT_WIRE
        }
        for name in _NOT_WIRE:
            overrides[name] = override(omit=True)
        return make_dict_structure_fn(cls, conv, **overrides)

    conv.register_structure_hook_factory(attrs.has, factory)
    return conv


def _camel_converter() -> cattrs.Converter:
    conv = make_converter()

    def factory(cls: type[Any]) -> Any:
        overrides: dict[str, Any] = {a.name: override(rename=camel(a.name)) for a in attrs.fields(cls)}
        if "raw" in overrides:
            overrides["raw"] = override(omit=True)
        return make_dict_structure_fn(cls, conv, **overrides)

    conv.register_structure_hook_factory(attrs.has, factory)
    conv.register_structure_hook(str, lambda v, _: str(v))
    return conv


sobject_converter = _sobject_converter()
"""Structures sObject records (API-name keys)."""

camel_converter = _camel_converter()
"""Structures describe and Bulk job bodies (camelCase keys)."""


def custom_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    """The custom fields (``__c``) of a record payload, as sent."""
    return {k: v for k, v in data.items() if k.endswith("__c")}


def _sobject_plan(cls: type[Any]) -> list[FieldPlan]:
    plans: list[FieldPlan] = []
    for attribute in attrs.fields(cls):
        if attribute.name == "raw":
            plans.append(FieldPlan("raw", None, raw=True))
        elif attribute.name == "custom":
            plans.append(FieldPlan("custom", None, compute=custom_fields))
        else:
            plans.append(FieldPlan(attribute.name, api_name(attribute.name)))
    return plans


_SOBJECTS = FastStructurer(sobject_converter, is_model=attrs.has, planner=_sobject_plan)


def structure_sobject(data: Any, cls: type[T]) -> T:
    """Parse a record payload into a typed sObject: standard fields by API name, ``custom`` the
    ``__c`` fields, ``raw`` the payload itself (never a copy).

    Runs on hooks compiled once per class (:mod:`msplink._core._hooks`); :data:`sobject_converter`
    is their reference for unusual values and for errors naming the field path.

    Raises:
        ValueError: A field does not fit its type (a ``ParseError`` naming the field paths).
    """
    return _SOBJECTS.structure(data, cls)
