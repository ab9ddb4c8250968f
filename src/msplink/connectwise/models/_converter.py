"""The ConnectWise converter: camelCase wire names, ``_info`` lifting, ``raw`` capture, lenient scalars.

Parsing runs on hooks compiled once per class (:class:`msplink._core._hooks.FastStructurer`); the
cattrs converters built here are their reference: the fallback for values of unusual types, the
source of typed errors naming the field path, and (``strict=True``) the test-suite's drift check.

Every field carries its wire name in ``metadata["wire"]``, put there when the class is created by
:func:`msplink.connectwise.models._base.wire_names` (the camelCase rule plus a small per-class exceptions
table), so the models stay plain classes (STYLE R17); ``_info.lastUpdated`` / ``_info.updatedBy`` are
lifted onto ``last_updated`` / ``updated_by`` by the structure hook.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, override

from msplink._core import UNSET, make_converter, parse_datetime, parse_decimal
from msplink._core._hooks import FastStructurer, FieldPlan

__all__ = ["FAST", "format_datetime", "structure", "structure_many", "unstructure_value"]

T = TypeVar("T")

_INFO_PREFIX = "\x00info."


def format_datetime(value: datetime) -> str:
    """Render a datetime the way ConnectWise expects it: UTC, second precision, ``Z`` suffix."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _bool(value: object, _: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, Decimal)):
        return value != 0
    if isinstance(value, str) and value.strip().lower() in {"true", "false", "1", "0"}:
        return value.strip().lower() in {"true", "1"}
    raise ValueError(f"not a boolean: {value!r}")


def _int(value: object, _: object) -> int:
    if isinstance(value, bool):
        raise ValueError(f"not an integer: {value!r}")
    if isinstance(value, int):
        return value
    number = parse_decimal(value)
    if number != number.to_integral_value():
        raise ValueError(f"not an integer: {value!r}")
    return int(number)


def _str(value: object, _: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return str(value)
    raise ValueError(f"not a string: {value!r}")


def _datetime(value: object, _: object) -> datetime | None:
    if value == "":
        return None
    return parse_datetime(value)


def _decimal(value: object, _: object) -> Decimal | None:
    if value == "":
        return None
    return parse_decimal(value)


def _is_model(cls: Any) -> bool:
    return isinstance(cls, type) and attrs.has(cls) and getattr(cls, "__cw_model__", False)


def _build(strict: bool) -> cattrs.Converter:
    conv = make_converter(strict=strict)
    conv.register_structure_hook(bool, _bool)
    conv.register_structure_hook(int, _int)
    conv.register_structure_hook(str, _str)
    conv.register_structure_hook(datetime, _datetime)
    conv.register_structure_hook(Decimal, _decimal)

    def factory(cls: type[Any]) -> Callable[[Any, type[Any]], Any]:
        attrs.resolve_types(cls)
        overrides: dict[str, Any] = {}
        lifted: list[str] = []
        for field in attrs.fields(cls):
            meta = field.metadata
            if meta.get("raw"):
                overrides[field.name] = override(omit=True)
            elif "info" in meta:
                lifted.append(meta["info"])
                overrides[field.name] = override(rename=_INFO_PREFIX + meta["info"])
            elif "wire" in meta:
                overrides[field.name] = override(rename=meta["wire"])
        forbid = strict and not getattr(cls, "__cw_open__", False)
        inner = make_dict_structure_fn(cls, conv, _cattrs_forbid_extra_keys=forbid, **overrides)

        def structure_model(data: Any, _: type[Any]) -> Any:
            if not isinstance(data, Mapping):
                raise TypeError(f"{cls.__name__}: expected a JSON object, got {type(data).__name__}")
            prepared = dict(data)
            info = prepared.get("_info")
            if lifted and isinstance(info, Mapping):
                for key in lifted:
                    if key in info:
                        prepared[_INFO_PREFIX + key] = info[key]
            obj = inner(prepared, cls)
            object.__setattr__(obj, "raw", data)
            return obj

        return structure_model

    conv.register_structure_hook_factory(_is_model, factory)
    return conv


_LENIENT = _build(strict=False)
_STRICT = _build(strict=True)


def _plan(cls: type[Any]) -> list[FieldPlan]:
    plans: list[FieldPlan] = []
    for field in attrs.fields(cls):
        meta = field.metadata
        if meta.get("raw"):
            plans.append(FieldPlan(field.name, None, raw=True))
        elif "info" in meta:
            plans.append(FieldPlan(field.name, meta["info"], container="_info"))
        else:
            plans.append(FieldPlan(field.name, meta.get("wire", field.name)))
    return plans


FAST = FastStructurer(_LENIENT, is_model=_is_model, planner=_plan)
"""The compiled hooks (``_datetime`` is ``parse_datetime`` on every non-empty string, as the default
string parsers assume)."""


def structure(data: Any, cls: type[T], *, strict: bool = False) -> T:
    """Parse one wire object into a model (``strict`` forbids unknown keys: used by the tests).

    Raises:
        ValueError: A field has the wrong type (a ``ParseError`` whose message lists the field paths).
        TypeError: ``data`` is not a JSON object.
    """
    if not strict:
        return FAST.structure(data, cls)
    try:
        return _STRICT.structure(data, cls)
    except cattrs.BaseValidationError as exc:
        problems = "; ".join(cattrs.transform_error(exc, path=cls.__name__))
        raise ValueError(problems) from exc


def structure_many(data: Any, cls: type[T]) -> list[T]:
    """Parse a JSON array of wire objects (one page of a list).

    Raises:
        TypeError: The payload is not a JSON array.
        ValueError: A record does not fit the model (a ``ParseError`` naming the field path).
    """
    if not isinstance(data, list):
        raise TypeError(f"expected a JSON array of {cls.__name__}, got {type(data).__name__}")
    return FAST.structure_each(data, cls)


def unstructure_value(value: Any) -> Any:
    """Turn a model, tuple or scalar into its JSON wire form (``None`` fields of models omitted)."""
    if _is_model(type(value)):
        out: dict[str, Any] = {}
        for field in attrs.fields(type(value)):
            meta = field.metadata
            if meta.get("raw") or "info" in meta or "wire" not in meta:
                continue
            item = getattr(value, field.name)
            if item is None or item is UNSET or meta["wire"] == "_info":
                continue
            out[meta["wire"]] = unstructure_value(item)
        return out
    if isinstance(value, (list, tuple)):
        return [unstructure_value(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): unstructure_value(v) for k, v in value.items()}
    if isinstance(value, datetime):
        return format_datetime(value)
    return value
