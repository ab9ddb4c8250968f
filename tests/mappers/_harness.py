"""Shared helpers for the mapper tests: field-preservation checks and random-payload strategies."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs
from hypothesis import strategies as st

from msplink.errors import MappingError

_SKIP = {"raw", "info"}
READ_ONLY_AUDIT = frozenset(
    {
        "last_updated",  # CW _info.lastUpdated: carried as ExternalRef.version / updated_at, never written
        "updated_by",
        "meta_data",  # QBO MetaData: same
        "sync_token",  # QBO SyncToken: carried as ExternalRef.version, written back from it
        "is_deleted",  # SF audit fields: read-only
        "created_date",
        "created_by_id",
        "last_modified_date",
        "last_modified_by_id",
        "system_modstamp",
    }
)


def _identity(value: Any) -> tuple[str, Any] | None:
    """The identifying attribute of a reference object (CW ``id``, QBO Ref ``value``), if it has one."""
    names = {f.name for f in attrs.fields(type(value))}
    if "name" not in names:
        return None
    for key in ("id", "value"):
        if key in names and getattr(value, key) is not None:
            return key, getattr(value, key)
    return None


def preserved(
    original: Any, result: Any, path: str = "", nested_unmapped: frozenset[str] = frozenset()
) -> list[str]:
    """Paths where a value present in ``original`` is not the same in ``result``.

    A value absent (None) in the original is not checked. References that carry an id (CW ``id``,
    QBO ``value``) are the same when the ids match (names are display data); other attrs objects
    are compared field by field, skipping ``nested_unmapped`` attribute names.
    """
    problems: list[str] = []
    if original is None:
        return problems
    if attrs.has(type(original)):
        checked = [
            f for f in attrs.fields(type(original)) if f.name not in _SKIP and f.name not in nested_unmapped
        ]
        if all(getattr(original, f.name) is None for f in checked):
            return problems  # only unmapped parts were set: nothing to preserve
        if result is None or not attrs.has(type(result)):
            return [f"{path}: {original!r} became {result!r}"]
        identity = _identity(original)
        if identity is not None:
            key, value = identity
            if getattr(result, key, None) != value:
                problems.append(f"{path}.{key}: {value!r} became {getattr(result, key, None)!r}")
            return problems
        checked = [
            f for f in attrs.fields(type(original)) if f.name not in _SKIP and f.name not in nested_unmapped
        ]
        if all(getattr(original, f.name) is None for f in checked):
            return problems  # only unmapped parts were set: nothing to preserve
        for field in checked:
            problems += preserved(
                getattr(original, field.name),
                getattr(result, field.name, None),
                f"{path}.{field.name}",
                nested_unmapped,
            )
        return problems
    if isinstance(original, (tuple, list)):
        if not isinstance(result, (tuple, list)) or len(result) != len(original):
            return [f"{path}: {original!r} became {result!r}"]
        for i, (a, b) in enumerate(zip(original, result, strict=True)):
            problems += preserved(a, b, f"{path}[{i}]", nested_unmapped)
        return problems
    if isinstance(original, Mapping):
        if not isinstance(result, Mapping):
            return [f"{path}: {original!r} became {result!r}"]
        for key, value in original.items():
            problems += preserved(value, result.get(key), f"{path}[{key!r}]", nested_unmapped)
        return problems
    if original != result:
        problems.append(f"{path}: {original!r} became {result!r}")
    return problems


def check_round_trip(
    original: Any, result: Any, unmapped: Iterable[str], nested_unmapped: Iterable[str] = ()
) -> None:
    """Assert every attribute of ``original`` outside ``unmapped`` survived the round trip."""
    skipped = set(unmapped) | _SKIP | READ_ONLY_AUDIT | {"custom"}
    nested = frozenset(nested_unmapped)
    problems: list[str] = []
    for field in attrs.fields(type(original)):
        if field.name in skipped:
            continue
        problems += preserved(getattr(original, field.name), getattr(result, field.name), field.name, nested)
    assert problems == [], "\n".join(problems)


json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-(10**9), max_value=10**9),
    st.text(max_size=12),
    st.sampled_from(
        ["2026-01-31", "2026-01-31T10:00:00Z", "2026-01-31T10:00:00", "", "Monthly", "TAX", "NON", "Billable"]
    ),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def mutated(sample: Mapping[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Payloads shaped like ``sample``: each key kept, dropped, or given a random JSON value."""
    missing = object()

    def value_for(value: Any) -> st.SearchStrategy[Any]:
        options = [st.just(value), json_values, st.just(missing)]
        if isinstance(value, Mapping):
            options.append(mutated(value))
        if isinstance(value, list) and value and isinstance(value[0], Mapping):
            options.append(st.lists(mutated(value[0]), max_size=3))
        return st.one_of(*options)

    return st.fixed_dictionaries({k: value_for(v) for k, v in sample.items()}).map(
        lambda d: {k: v for k, v in d.items() if v is not missing}
    )


def maps_or_raises_mapping_error(fn: Callable[[Any], Any], payload: Any) -> None:
    """Call a mapper; anything but a result or a ``MappingError`` with a path fails the test."""
    try:
        fn(payload)
    except MappingError as err:
        assert err.path, "MappingError without a path"
        assert str(err).startswith(err.path)
