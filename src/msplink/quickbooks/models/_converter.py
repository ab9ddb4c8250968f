"""The QBO converter: PascalCase wire names, ``Decimal`` money, aware datetimes, ``raw`` kept.

The QBO wire uses PascalCase keys (``DisplayName``, ``SyncToken``, ``MetaData``) and lower-case keys on
references (``{"value": "58", "name": "..."}``). :func:`wire_name` derives every key from the attribute
name; the few that do not follow the rule are in one small exceptions table. The models never know.

Models are recognised by a class marker (``__qbo_model__``), sparse updates by ``__qbo_update__``, so
this module imports no model and the models import it.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from msplink._core import UNSET, make_converter
from msplink._core._hooks import FastStructurer, FieldPlan
from msplink.errors import ConfigurationError

__all__ = ["converter", "render_full", "render_update", "strict_converter", "structure", "wire_name"]

T = TypeVar("T")

_RENAMES: Mapping[str, str] = {
    "ap_account_ref": "APAccountRef",
    "ar_account_ref": "ARAccountRef",
    "po_status": "POStatus",
    "po_email": "POEmail",
    "uri": "URI",
    "ssn": "SSN",
    "allow_online_ach_payment": "AllowOnlineACHPayment",
    "allow_ipn_payment": "AllowIPNPayment",
    "domain": "domain",
    "sparse": "sparse",
    "status": "status",
}
"""The attributes whose wire key is not their PascalCase spelling."""

_NOT_ON_THE_WIRE = frozenset({"raw", "entity_name"})


def wire_name(cls: type[Any], name: str) -> str:
    """The wire key of attribute ``name`` of ``cls`` (PascalCase, or lower-case on references)."""
    if getattr(cls, "_lower_case_wire", False):
        return name
    if name in _RENAMES:
        return _RENAMES[name]
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


def _is_model(cls: Any) -> bool:
    return isinstance(cls, type) and attrs.has(cls) and bool(getattr(cls, "__qbo_model__", False))


def _overrides(cls: type[Any]) -> dict[str, Any]:
    fields = attrs.fields(cls)
    overrides = {a.name: override(rename=wire_name(cls, a.name)) for a in fields}
    for name in _NOT_ON_THE_WIRE & {a.name for a in fields}:
        overrides[name] = override(omit=True)
    return overrides


def _build_converter(*, strict: bool = False) -> cattrs.Converter:
    conv = make_converter(strict=strict)

    def structure_factory(cls: type[Any]) -> Any:
        inner = make_dict_structure_fn(cls, conv, **_overrides(cls))

        def structure(data: Any, target: type[Any]) -> Any:
            if not isinstance(data, Mapping):
                raise TypeError(f"expected an object for {cls.__name__}, got {type(data).__name__}")
            result = inner(data, target)
            object.__setattr__(result, "raw", data)
            return result

        return structure

    def unstructure_factory(cls: type[Any]) -> Any:
        inner = make_dict_unstructure_fn(cls, conv, **_overrides(cls))

        def unstructure(value: Any) -> dict[str, Any]:
            data: dict[str, Any] = inner(value)
            return {k: v for k, v in data.items() if v is not None}

        return unstructure

    conv.register_structure_hook_factory(_is_model, structure_factory)
    conv.register_unstructure_hook_factory(_is_model, unstructure_factory)
    conv.register_structure_hook(str, lambda v, _: v if isinstance(v, str) else str(v))
    conv.register_unstructure_hook(Decimal, lambda v: v)
    return conv


converter = _build_converter()
"""The QBO converter (lenient: unknown keys ignored)."""

strict_converter = _build_converter(strict=True)
"""A converter that forbids unknown keys (the test-suite uses it to catch model drift)."""


def _plan(cls: type[Any]) -> list[FieldPlan]:
    plans: list[FieldPlan] = []
    for attribute in attrs.fields(cls):
        if attribute.name == "raw":
            plans.append(FieldPlan("raw", None, raw=True))
        elif attribute.name in _NOT_ON_THE_WIRE:
            plans.append(FieldPlan(attribute.name, None))
        else:
            plans.append(FieldPlan(attribute.name, wire_name(cls, attribute.name)))
    return plans


_FAST = FastStructurer(converter, is_model=_is_model, planner=_plan)


def structure(data: Any, cls: type[T]) -> T:
    """Parse one wire object (the inner object, not the ``{"Customer": ...}`` envelope) into ``cls``.

    Runs on hooks compiled once per class (:mod:`msplink._core._hooks`); :data:`converter` is their
    reference for unusual values and for errors naming the field path. ``raw`` is ``data`` itself.

    Raises:
        ValueError: A field does not fit its type (a ``ParseError`` naming the field paths).
        TypeError: ``data`` is not a JSON object.
    """
    return _FAST.structure(data, cls)


def _full_value(value: Any) -> Any:
    if _is_model(type(value)):
        return render_full(value)
    if isinstance(value, (tuple, list)):
        return [_full_value(item) for item in value]
    return converter.unstructure(value)


def render_full(model: Any) -> dict[str, Any]:
    """Render a model for a full update: its fields (``None`` = cleared) plus, at every level, the keys
    of ``raw`` msplink does not model (so a full update never drops fields it does not know)."""
    cls = type(model)
    known: set[str] = set()
    out: dict[str, Any] = {}
    for attribute in attrs.fields(cls):
        if attribute.name in _NOT_ON_THE_WIRE:
            continue
        key = wire_name(cls, attribute.name)
        known.add(key)
        value = getattr(model, attribute.name)
        if value is not None:
            out[key] = _full_value(value)
    for key, value in model.raw.items():
        if key not in known:
            out[key] = value
    return out


@functools.cache
def _text_fields(cls: type) -> frozenset[str]:
    hints = typing.get_type_hints(cls)
    return frozenset(name for name, hint in hints.items() if str in typing.get_args(hint) or hint is str)


def render_update(update: Any) -> dict[str, Any]:
    """Render a sparse update: ``Id``, ``SyncToken``, ``sparse: true`` and every field that is not
    ``UNSET``, with its wire shape.

    ``None`` clears a text field, sent as ``""``: QBO's deserialiser reads ``null`` as "not given",
    which a sparse update leaves alone, while an empty string is stored as no value. Other fields
    (references, amounts, dates, objects) cannot be cleared by a sparse update (REFERENCE §5.3; Intuit
    on ``Item.ClassRef``, QuickBooks-V3-DotNET-SDK#113): ``None`` there is a ``ConfigurationError``
    naming the field; use ``update(model, full=True)``.

    Raises:
        ConfigurationError: ``None`` given for a field a sparse update cannot clear.
    """
    cls: type = type(update)
    out: dict[str, Any] = {"Id": update.id, "SyncToken": update.sync_token, "sparse": True}
    for attribute in attrs.fields(cls):
        if attribute.name in {"id", "sync_token"}:
            continue
        value = getattr(update, attribute.name)
        if value is UNSET:
            continue
        name = wire_name(cls, attribute.name)
        if value is None:
            if attribute.name not in _text_fields(cls):
                raise ConfigurationError(
                    f"quickbooks: {cls.__name__}.{attribute.name} ({name}) cannot be cleared by a sparse "
                    "update; send a full update (update(model, full=True))"
                )
            out[name] = ""
        else:
            out[name] = converter.unstructure(value)
    return out
