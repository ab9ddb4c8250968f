"""Field values of canonical records: flat paths, a tagged JSON codec and stable hashes.

The planner compares records field by field. :func:`field_values` turns a canonical record into a
flat ``path -> value`` mapping (``billing_address.city``, ``custom_fields.cw_id``); money, links and
refs stay whole leaves. Links are compared by the id they carry in one system (the target's), so a
CW parent company and the QBO parent customer it is linked to compare equal.

:func:`encode` / :func:`decode` write field values as JSON and read them back exactly (Decimal,
datetimes, dates, enums and the attrs value classes of :mod:`msplink.models`, nothing else), for
the state store, ``Plan.to_dict()`` and conflict resolutions. :func:`value_hash` is the write
ledger's hash: equal values hash equal (``Decimal("1.0")`` and ``Decimal("1.00")`` too).
"""

from __future__ import annotations

import enum
import functools
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Final

import attrs

from msplink import models
from msplink.models import ExternalRef, Link, Money

__all__ = [
    "ENVELOPE",
    "UNRESOLVED",
    "decode",
    "encode",
    "field_values",
    "get_path",
    "in_scope",
    "leaf",
    "links_of",
    "merge_paths",
    "named_links",
    "scoped",
    "value_hash",
]

ENVELOPE: Final = frozenset({"refs", "updated_at", "deleted"})
"""Record attributes that are provenance, not data: never compared, never written as fields."""

_LEAVES: Final = (Money, Link, ExternalRef)


class _Unresolved:
    """A link whose record has no id yet in the system compared (its target was never synced)."""

    _instance: _Unresolved | None = None

    def __new__(cls) -> _Unresolved:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNRESOLVED"


UNRESOLVED: Final = _Unresolved()
"""The compared value of a link that cannot be resolved in the target system (left alone)."""


def leaf(value: object, system: str | None) -> object:
    """The comparable form of one field value (a link becomes its id in ``system``)."""
    if isinstance(value, Link) and system is not None:
        if not value.refs:
            return None
        ref = value.ref_for(system)
        return UNRESOLVED if ref is None else f"{ref.system}:{ref.object_type}:{ref.id}"
    return value


@functools.lru_cache(maxsize=256)
def _fields_of_class(cls: Any) -> tuple[Any, ...]:
    return tuple(attrs.fields(cls))


def _fields_of(value: object) -> tuple[Any, ...]:
    cls: Any = type(value)
    return _fields_of_class(cls)


_SCALARS: Final = frozenset({type(None), str, int, bool, Decimal, date, datetime})

_SCALAR, _RECORD, _MAPPING, _LEAF = range(4)
_KINDS: dict[type, int] = {}


def _kind(cls: type) -> int:
    """How :func:`_flatten` and :func:`get_path` treat instances of ``cls`` (memoised per class: the
    ``Mapping`` check is an ABC look-up, the costliest step of flattening a record)."""
    kind = _KINDS.get(cls)
    if kind is None:
        if cls in _SCALARS:
            kind = _SCALAR
        elif attrs.has(cls) and not issubclass(cls, _LEAVES):
            kind = _RECORD
        elif issubclass(cls, Mapping):
            kind = _MAPPING
        else:
            kind = _LEAF
        _KINDS[cls] = kind
    return kind


def _flatten(out: dict[str, object], path: str, value: object, system: str | None) -> None:
    kind = _kind(type(value))
    if kind == _SCALAR:
        out[path] = value
    elif kind == _RECORD:
        for attribute in _fields_of(value):
            _flatten(out, f"{path}.{attribute.name}", getattr(value, attribute.name), system)
    elif kind == _MAPPING:
        mapping: Any = value
        if not mapping:
            out[path] = None
        for key in sorted(mapping, key=str):
            _flatten(out, f"{path}.{key}", mapping[key], system)
    else:
        out[path] = leaf(value, system)


def field_values(
    record: object, *, system: str | None = None, fields: frozenset[str] | None = None
) -> dict[str, object]:
    """Flatten a canonical record into ``path -> value`` (envelope attributes left out).

    Args:
        record: A canonical record (any attrs instance).
        system: Compare links by their id in this system (the flow's target system).
        fields: Only the paths in scope of these fields (``in_scope``); ``None``: every path.

    Returns:
        Leaf values by dotted path; a ``None`` sub-record is one ``None`` leaf at its own path.
    """
    out: dict[str, object] = {}
    for attribute in _fields_of(record):
        name = attribute.name
        if name not in ENVELOPE and (fields is None or in_scope(name, fields)):
            _flatten(out, name, getattr(record, name), system)
    if fields is not None:
        return {p: v for p, v in out.items() if in_scope(p, fields)}
    return out


@functools.lru_cache(maxsize=8192)
def in_scope(path: str, fields: frozenset[str] | None) -> bool:
    """Whether ``path`` is one of ``fields`` or below or above one of them (``None``: every field)."""
    if fields is None or path in fields:
        return True
    return any(path.startswith(f + ".") or f.startswith(path + ".") for f in fields)


def get_path(record: object, path: str) -> object:
    """Read a dotted path from a record (``None`` when a step on the way is ``None`` or missing)."""
    value: Any = record
    for step in path.split(".") if "." in path else (path,):
        if value is None:
            return None
        cls = type(value)
        kind = _STEPS.get(cls)
        if kind is None:
            kind = _STEPS[cls] = 0 if issubclass(cls, Mapping) else 1 if attrs.has(cls) else 2
        if kind == 0:
            value = value.get(step)
        elif kind == 1:
            value = getattr(value, step, None)
        else:
            return None
    return value


_STEPS: dict[type, int] = {}
"""How :func:`get_path` steps into an instance of a class: 0 a mapping, 1 an attrs record, 2 not at all."""


def _is_empty(value: object) -> bool:
    if attrs.has(type(value)) and not isinstance(value, _LEAVES):
        return all(_is_empty(getattr(value, a.name)) for a in _fields_of(value))
    return value is None


def _set(base: object, steps: list[str], value: object, template: object) -> object:
    """Return ``base`` with ``steps`` set to ``value``; ``template`` (the source's sub-record at the
    same place) supplies the class when ``base`` has nothing there yet."""
    if not steps:
        return value
    head, rest = steps[0], steps[1:]
    if base is None:
        if template is None:
            return base
        base = _blank(template)
    child_template = get_path(template, head) if template is not None else None
    if isinstance(base, Mapping):
        new = dict(base)
        new[head] = _set(base.get(head), rest, value, child_template)
        return new
    current = getattr(base, head)
    record: Any = base
    return attrs.evolve(record, **{head: _set(current, rest, value, child_template)})


def _blank(template: object) -> object:
    """An instance like ``template`` with every field cleared (or ``template`` itself if it cannot be)."""
    if isinstance(template, Mapping):
        return {}
    try:
        blank: Any = template
        return attrs.evolve(blank, **{a.name: None for a in _fields_of(template)})
    except (TypeError, ValueError):
        return template


def merge_paths(base: Any, source: object, paths: Iterable[str], values: Mapping[str, object]) -> Any:
    """Copy ``paths`` into ``base``: a path in ``values`` takes that value, any other the source's.

    A sub-record that ends up with every field empty becomes ``None`` again when the source has
    ``None`` there, so merging is idempotent with :func:`field_values`.
    """
    result = base
    touched: set[str] = set()
    for path in sorted(paths):
        value = values[path] if path in values else get_path(source, path)
        result = _set(result, path.split("."), value, source)
        touched.add(path.split(".")[0])
    for head in touched:
        if get_path(source, head) is None and _is_empty(get_path(result, head)):
            result = attrs.evolve(result, **{head: None})
    return result


def scoped(record: Any, fields: frozenset[str] | None, prefix: str = "") -> Any:
    """``record`` with every field outside ``fields`` back at its default (envelope attributes kept).

    A create writes what the flow syncs, nothing else: a field the flow does not carry (a tax code the
    flow leaves to people) is neither written nor mapped, so it cannot fail the create.
    """
    if fields is None or record is None or not attrs.has(type(record)) or isinstance(record, _LEAVES):
        return record
    changes: dict[str, Any] = {}
    for attribute in _fields_of(record):
        name = attribute.name
        if not prefix and name in ENVELOPE:
            continue
        path = f"{prefix}{name}"
        value = getattr(record, name)
        if not in_scope(path, fields):
            default: Any = attribute.default
            if default is attrs.NOTHING:
                continue  # required: the mapper needs it whatever the flow syncs
            fresh = default.factory() if isinstance(default, attrs.Factory) else default  # type: ignore[arg-type]
            if fresh != value:
                changes[name] = fresh
        elif _partly(path, fields):
            inner = scoped(value, fields, path + ".")
            if inner is not value:
                changes[name] = inner
    if not changes:
        return record
    evolved: Any = record
    return attrs.evolve(evolved, **changes)


def _partly(path: str, fields: frozenset[str]) -> bool:
    """Whether only some paths below ``path`` are in scope (``billing_address.city`` but not all of it)."""
    return path not in fields and not any(path.startswith(f + ".") for f in fields)


# --------------------------------------------------------------------------------------- codec

_ALLOWED: Final[dict[str, type]] = {
    name: obj
    for name in models.__all__
    if isinstance(obj := getattr(models, name), type) and (attrs.has(obj) or issubclass(obj, enum.Enum))
}


def encode(value: object) -> object:
    """Turn a field value into JSON-able data that :func:`decode` reads back exactly.

    Raises:
        TypeError: The value is of a type the codec does not carry.
    """
    if value is None or (isinstance(value, (bool, str, int)) and not isinstance(value, enum.Enum)):
        return value
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, float):  # never money (that is Decimal), but custom fields may hold one
        return {"$float": repr(value)}
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, enum.Enum):
        return {"$enum": type(value).__name__, "v": value.value}
    if isinstance(value, _Unresolved):
        return {"$unresolved": True}
    if isinstance(value, (tuple, list, frozenset, set)):
        items = [encode(v) for v in value]
        if isinstance(value, (frozenset, set)):
            items.sort(key=lambda v: json.dumps(v, sort_keys=True))
            return {"$set": items}
        return {"$tuple": items} if isinstance(value, tuple) else items
    if isinstance(value, Mapping):
        return {"$map": {str(k): encode(v) for k, v in value.items()}}
    if attrs.has(type(value)) and _ALLOWED.get(type(value).__name__) is type(value):
        fields = {a.name: encode(getattr(value, a.name)) for a in _fields_of(value) if a.init}
        return {"$attrs": type(value).__name__, "v": fields}
    raise TypeError(f"cannot encode a {type(value).__name__} as a sync field value")


def _decode_tagged(data: Mapping[str, Any]) -> object:
    simple: dict[str, Callable[[Any], object]] = {
        "$decimal": Decimal,
        "$float": float,
        "$datetime": datetime.fromisoformat,
        "$date": date.fromisoformat,
        "$tuple": lambda v: tuple(decode(x) for x in v),
        "$set": lambda v: frozenset(decode(x) for x in v),
        "$map": lambda v: {k: decode(x) for k, x in v.items()},
        "$unresolved": lambda v: UNRESOLVED,
    }
    for tag, build in simple.items():
        if tag in data:
            return build(data[tag])
    for tag in ("$enum", "$attrs"):
        if tag in data:
            cls = _ALLOWED.get(str(data[tag]))
            if cls is None:
                raise ValueError(f"unknown value class {data[tag]!r} in stored sync data")
            if tag == "$enum":
                return cls(data["v"])
            return cls(**{k: decode(v) for k, v in data["v"].items()})
    raise ValueError(f"unknown tagged value {sorted(data)!r} in stored sync data")


def decode(data: object) -> object:
    """Read back what :func:`encode` wrote (only msplink.models classes are ever instantiated).

    Raises:
        ValueError: The data names a class or tag the codec does not know.
    """
    if isinstance(data, list):
        return [decode(v) for v in data]
    if isinstance(data, Mapping):
        return _decode_tagged(data)
    return data


def _normal(data: object) -> object:
    """Encoded data with every Decimal written in its shortest exact form (1.0 and 1.00 alike)."""
    if isinstance(data, list):
        return [_normal(v) for v in data]
    if isinstance(data, dict):
        if set(data) == {"$decimal"}:
            number = Decimal(data["$decimal"])
            return {"$decimal": format(number.normalize(), "f") if number.is_finite() else str(number)}
        return {k: _normal(v) for k, v in data.items()}
    return data


_NONE_HASH: Final = hashlib.sha256(b"null").hexdigest()[:32]
_HASHES: dict[tuple[type, object], str] = {}
_HASHES_MAX: Final = 1 << 12
"""Hashes of the plain values already hashed (a run hashes the same names, codes and flags again
for both sides of every record, and again on its rerun); dropped whole when full. Small on purpose:
the values worth keeping (codes, flags, terms) are few, a record's own name is hashed twice at most,
and 65,536 entries held ~8 MiB at 100k records (SYNC.md §1 invariant 7)."""
_CACHED: Final = frozenset({str, int, bool, Decimal})


def value_hash(value: object) -> str:
    """A stable 32-hex-digit hash of a field value (numerically equal Decimals hash equal).

    The hash is of the value's canonical JSON (``encode``, sorted keys, Decimals normalised), so it
    does not depend on the Python process; plain strings, the common case, skip the encoder. Hashes
    of ``None``, strings, ints, bools and Decimals are memoised (keyed by the exact type and, for a
    Decimal, its text: ``Decimal("-0")`` and ``Decimal("0")`` stay apart as the encoder keeps them).
    """
    if value is None:
        return _NONE_HASH
    kind = type(value)
    if kind in _CACHED:
        key = (kind, str(value) if kind is Decimal else value)
        found = _HASHES.get(key)
        if found is None:
            if len(_HASHES) >= _HASHES_MAX:
                _HASHES.clear()
            found = _HASHES[key] = _digest(value)
        return found
    return _digest(value)


def _digest(value: object) -> str:
    if type(value) is str:
        data = json.dumps(value, ensure_ascii=False)
    else:
        data = json.dumps(_normal(encode(value)), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    # surrogatepass: a lone surrogate (valid in JSON as "\\ud800") hashes instead of raising
    return hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def named_links(record: Any) -> list[tuple[str, Link]]:
    """The attributes of an attrs record holding a :class:`~msplink.models.Link`, with their names."""
    return [(a.name, v) for a in attrs.fields(type(record)) if isinstance(v := getattr(record, a.name), Link)]


def links_of(record: Any) -> list[Link]:
    """The :class:`~msplink.models.Link` values of an attrs record."""
    return [link for _, link in named_links(record)]
