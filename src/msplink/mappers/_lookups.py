"""Lookup tables: proposing entries by exact normalised name, and reporting the values still unmapped."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from msplink.errors import MappingError
from msplink.mappers._config import MappingConfig, normalise_name

__all__ = [
    "MatchProposal",
    "UnmappedReport",
    "propose_mappings",
    "unmapped_report",
]


@attrs.frozen(kw_only=True)
class MatchProposal:
    """Mappings proposed by exact normalised name, for a human to review before saving.

    Attributes:
        matched: source key -> target id, where exactly one target has the same normalised name.
        ambiguous: source key -> every target id sharing that normalised name (needs a human).
        unmatched: source keys with no target of the same normalised name.
    """

    matched: Mapping[str, str]
    ambiguous: Mapping[str, tuple[str, ...]]
    unmatched: tuple[str, ...]


def propose_mappings(sources: Mapping[str, str] | Iterable[str], targets: Mapping[str, str]) -> MatchProposal:
    """Propose ``source key -> target id`` mappings where the names are equal once normalised.

    Normalisation (:func:`normalise_name`) is NFKC + case-fold + collapsed whitespace; nothing
    fuzzier, so every proposal is safe to accept (ANCHORS L14: auto-map on exact normalised keys only).

    Args:
        sources: Source values, either ``key -> name`` (e.g. CW catalog identifier -> description)
            or plain names (key and name the same, e.g. CW billing terms names).
        targets: Target ``id -> name`` (e.g. QBO Item id -> Name).

    Returns:
        The proposal; nothing is changed until the caller merges ``matched`` into a config
        (:meth:`MappingConfig.with_entries`).
    """
    source_map = dict(sources) if isinstance(sources, Mapping) else {s: s for s in sources}
    by_name: dict[str, list[str]] = defaultdict(list)
    for target_id, name in targets.items():
        by_name[normalise_name(name)].append(target_id)
    matched: dict[str, str] = {}
    ambiguous: dict[str, tuple[str, ...]] = {}
    unmatched: list[str] = []
    for key, name in source_map.items():
        hits = by_name.get(normalise_name(name), [])
        if not hits and name != key:
            hits = by_name.get(normalise_name(key), [])
        if len(hits) == 1:
            matched[key] = hits[0]
        elif hits:
            ambiguous[key] = tuple(sorted(hits))
        else:
            unmatched.append(key)
    return MatchProposal(matched=matched, ambiguous=ambiguous, unmatched=tuple(unmatched))


@attrs.frozen(kw_only=True)
class UnmappedReport:
    """What still has no mapping: values per table (or per field path, when built from errors).

    Attributes:
        missing: table or field path -> the values that are not mapped, sorted.
    """

    missing: Mapping[str, tuple[str, ...]]

    def is_empty(self) -> bool:
        """Whether everything is mapped."""
        return not any(self.missing.values())

    def render(self) -> str:
        """A human-readable text listing, one table per paragraph."""
        if self.is_empty():
            return "Everything is mapped."
        parts = []
        for table, values in sorted(self.missing.items()):
            if values:
                parts.append(f"{table} ({len(values)} unmapped):\n" + "\n".join(f"  - {v}" for v in values))
        return "\n".join(parts)

    def to_dict(self) -> dict[str, list[str]]:
        """Plain dict form (JSON-able)."""
        return {k: list(v) for k, v in self.missing.items() if v}

    @classmethod
    def from_errors(cls, errors: Iterable[MappingError]) -> UnmappedReport:
        """Group the values of collected ``MappingError`` s by field path (indexes stripped)."""
        grouped: dict[str, set[str]] = defaultdict(set)
        for error in errors:
            path = _strip_indexes(error.path)
            grouped[path].add("" if error.value is None else str(error.value))
        return cls(missing={k: tuple(sorted(v)) for k, v in grouped.items()})


def _strip_indexes(path: str) -> str:
    out, depth = [], 0
    for ch in path:
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth = max(depth - 1, 0)
        elif depth == 0:
            out.append(ch)
    return "".join(out)


def unmapped_report(config: MappingConfig, **seen: Iterable[Any]) -> UnmappedReport:
    """List the values seen in the data that ``config`` cannot map yet.

    Args:
        config: The mapping configuration.
        **seen: Per table (``catalog_items``, ``tax_codes``, ``terms``, ``opportunity_stages``,
            ``case_statuses``, ``case_priorities``, ``owners``, ``employees``, ``work_types``,
            ``expense_accounts``, ``product_classes``) the values found in the source data. For
            ``*_reverse`` names (``case_statuses_reverse``) the values are checked in the inverse
            direction (CW -> SF). A ``ValueMap`` default counts as mapped.

    Raises:
        ConfigurationError: An unknown table name.
    """
    missing: dict[str, tuple[str, ...]] = {}
    for name, values in seen.items():
        distinct = sorted({str(v) for v in values if v is not None and str(v) != ""})
        if name == "product_classes":
            missing[name] = tuple(v for v in distinct if config.product_class(v) is None)
            continue
        reverse = name.endswith("_reverse")
        table = config.table(name[: -len("_reverse")] if reverse else name)
        if reverse:
            missing[name] = tuple(v for v in distinct if table.find_inverse(v) is None)
        else:
            missing[name] = tuple(v for v in distinct if table.find(v) is None)
    return UnmappedReport(missing=missing)
