"""``reports.unmapped``: what the finance recipes cannot map yet, read before a run (DESIGN §1 use case 7).

ConnectWise's catalog items, product classes, tax codes and billing terms (and, for the time
recipe, the members logging billable time and their work types) each need a QuickBooks counterpart
in the :class:`~msplink.mappers.MappingConfig`. This report reads them from ConnectWise, checks each
against the config, and proposes a QuickBooks record for every unmapped value whose name equals a
QuickBooks name once normalised (case, Unicode form, whitespace: nothing fuzzier, so a proposal is
safe to accept; :func:`msplink.mappers.propose_mappings`). A run meanwhile records every record a
missing entry blocks as a dead letter naming it; add the entries (``report.accept(config)`` takes
the proposals) and run again with ``retry_dead_letters=True``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

import attrs

from msplink.mappers import (
    MappingConfig,
    MatchProposal,
    ProductClassMapping,
    UnmappedReport,
    normalise_name,
    propose_mappings,
    unmapped_report,
)

__all__ = ["TABLES", "UnmappedMappings", "unmapped", "unmapped_from"]

TABLES: Final = ("catalog_items", "product_classes", "tax_codes", "terms", "employees", "work_types")
"""The tables the report covers, in the order it lists them."""

_WHERE: Final[Mapping[str, str]] = {
    "catalog_items": "CW catalog items (/procurement/catalog) -> QBO Items",
    "product_classes": "CW product classes (of active catalog items) -> QBO Items",
    "tax_codes": "CW tax codes (/finance/taxCodes) -> QBO tax codes",
    "terms": "CW billing terms (/finance/billingTerms) -> QBO Terms",
    "employees": "CW members logging billable time -> QBO Employees",
    "work_types": "CW work types of billable time -> QBO service Items",
}


def _names(values: Mapping[str, str | None]) -> dict[str, str]:
    return {k: v or k for k, v in values.items()}


@attrs.frozen(kw_only=True)
class UnmappedMappings:
    """What a config cannot map yet, and what QuickBooks holds under the same names.

    Attributes:
        missing: Per table (:data:`TABLES`), the unmapped ConnectWise values, sorted (an
            :class:`~msplink.mappers.UnmappedReport`).
        proposals: Per table, the auto-match proposals for those values (exact normalised names).
        fallbacks: Per table, for unmapped values that still map: the QuickBooks record they fall back
            to (an unmapped catalog item uses its product class's item, then ``default_item``).
        labels: Per table, the ConnectWise name of each value (a catalog item's description).
    """

    missing: UnmappedReport
    proposals: Mapping[str, MatchProposal] = attrs.field(factory=dict)
    fallbacks: Mapping[str, Mapping[str, str]] = attrs.field(factory=dict)
    labels: Mapping[str, Mapping[str, str]] = attrs.field(factory=dict)

    def is_empty(self) -> bool:
        """Whether everything is mapped."""
        return self.missing.is_empty()

    def rows(self) -> list[dict[str, Any]]:
        """One row per unmapped value: table, value, label, proposed QBO id, candidates, fallback."""
        out = []
        for table in TABLES:
            proposal = self.proposals.get(table)
            for value in self.missing.missing.get(table, ()):
                out.append(
                    {
                        "table": table,
                        "value": value,
                        "label": self.labels.get(table, {}).get(value, value),
                        "proposed": proposal.matched.get(value) if proposal else None,
                        "candidates": list(proposal.ambiguous.get(value, ())) if proposal else [],
                        "fallback": self.fallbacks.get(table, {}).get(value),
                    }
                )
        return out

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable view: ``{"missing": {table: [values]}, "rows": [...]}``."""
        return {"missing": self.missing.to_dict(), "rows": self.rows()}

    def to_pandas(self) -> Any:
        """One row per unmapped value (needs the ``pandas`` extra)."""
        import pandas as pd

        columns = ["table", "value", "label", "proposed", "candidates", "fallback"]
        return pd.DataFrame(self.rows(), columns=columns)

    def __str__(self) -> str:
        if self.is_empty():
            return "Everything is mapped."
        lines = []
        for table in TABLES:
            rows = [r for r in self.rows() if r["table"] == table]
            if not rows:
                continue
            lines.append(f"{_WHERE[table]}: {len(rows)} unmapped")
            for row in rows:
                text = f"  - {row['value']}"
                if row["label"] != row["value"]:
                    text += f" ({row['label']})"
                if row["proposed"]:
                    text += f"  proposed: QBO {row['proposed']}"
                elif row["candidates"]:
                    text += f"  candidates: {', '.join(row['candidates'])}"
                if row["fallback"]:
                    text += f"  falls back to QBO {row['fallback']}"
                lines.append(text)
        return "\n".join(lines)

    def accept(self, config: MappingConfig) -> MappingConfig:
        """``config`` with every exact proposal added (existing entries win); ambiguous ones are left
        for a person. A product class gets the proposed item as its ``item``."""
        result = config
        for table, proposal in self.proposals.items():
            if not proposal.matched:
                continue
            if table == "product_classes":
                classes = dict(result.product_classes)
                for name, item in proposal.matched.items():
                    classes.setdefault(name, ProductClassMapping(item=item))
                result = attrs.evolve(result, product_classes=classes)
            else:
                result = result.with_entries(table, dict(proposal.matched))
        return result


def unmapped_from(
    config: MappingConfig,
    *,
    catalog: Sequence[tuple[str, str | None, str | None]] = (),
    tax_codes: Mapping[str, str | None] | None = None,
    terms: Iterable[str] = (),
    members: Mapping[str, str | None] | None = None,
    work_types: Iterable[str] = (),
    qbo_items: Mapping[str, str] | None = None,
    qbo_tax_codes: Mapping[str, str] | None = None,
    qbo_terms: Mapping[str, str] | None = None,
    qbo_employees: Mapping[str, str] | None = None,
) -> UnmappedMappings:
    """The report from values already read (pure; :func:`unmapped` reads them).

    Args:
        config: The mapping config.
        catalog: Active CW catalog items: ``(identifier, description, product class)``.
        tax_codes: CW tax code identifier -> description.
        terms: CW billing terms names.
        members: CW member identifier -> full name (members logging billable time).
        work_types: CW work type names of billable time.
        qbo_items: QBO Item id -> Name (active items).
        qbo_tax_codes: QBO TaxCode id -> Name.
        qbo_terms: QBO Term id -> Name.
        qbo_employees: QBO Employee id -> DisplayName.
    """
    items = dict(qbo_items or {})
    classes = sorted({c for _, _, c in catalog if c})
    seen: dict[str, list[str]] = {
        "catalog_items": [sku for sku, _, _ in catalog],
        "product_classes": classes,
        "tax_codes": list(tax_codes or {}),
        "terms": list(terms),
        "employees": list(members or {}),
        "work_types": list(work_types),
    }
    report = unmapped_report(config, **seen)
    missing = report.missing
    labels: dict[str, dict[str, str]] = {
        "catalog_items": {sku: desc or sku for sku, desc, _ in catalog},
        "tax_codes": _names(dict(tax_codes or {})),
        "employees": _names(dict(members or {})),
    }
    targets: dict[str, Mapping[str, str]] = {
        "catalog_items": items,
        "product_classes": items,
        "tax_codes": dict(qbo_tax_codes or {}),
        "terms": dict(qbo_terms or {}),
        "employees": dict(qbo_employees or {}),
        "work_types": items,
    }
    proposals: dict[str, MatchProposal] = {}
    for table in TABLES:
        values = missing.get(table, ())
        if not values:
            continue
        named = {v: labels.get(table, {}).get(v, v) for v in values}
        proposals[table] = propose_mappings(named, targets[table])
    fallbacks: dict[str, dict[str, str]] = {}
    class_of = {sku: cls for sku, _, cls in catalog}
    for sku in missing.get("catalog_items", ()):
        fallback = config.product_class(class_of.get(sku))
        item = (fallback.item if fallback is not None else None) or config.default_item
        if item:
            fallbacks.setdefault("catalog_items", {})[sku] = item
    for name in missing.get("product_classes", ()):
        if config.default_item:
            fallbacks.setdefault("product_classes", {})[name] = config.default_item
    return UnmappedMappings(missing=report, proposals=proposals, fallbacks=fallbacks, labels=labels)


BILLABLE_TIME: Final = ("ApprovedByTierTwo", "ReadyToBill", "Billed")
"""The time statuses whose members and work types the report checks (the time recipe's default)."""


def unmapped(
    *,
    cw: Any,
    qbo: Any,
    config: MappingConfig,
    time: bool = True,
    time_statuses: Iterable[str] = BILLABLE_TIME,
) -> UnmappedMappings:
    """List what ``config`` cannot map yet, with proposals, before a run.

    Reads ``GET /procurement/catalog`` (active items: identifier, description, product class),
    ``GET /finance/taxCodes``, ``GET /finance/billingTerms`` and, with ``time``, the billable time
    entries in ``time_statuses`` (``GET /time/entries``, projected to member, work type, status,
    billable option) and the members; then QuickBooks Items, TaxCodes, Terms and Employees (one
    query each). Nothing is written.

    Args:
        cw: A ``ConnectWiseClient``.
        qbo: A ``QuickBooksClient``.
        config: The mapping config to check.
        time: Also check the members and work types of billable time (``time_to_quickbooks``).
        time_statuses: The time statuses that count as billable (approved).

    Returns:
        The unmapped values per table, proposals, and fallbacks.
    """
    catalog = [
        (str(c.identifier), c.description, c.product_class)
        for c in cw.catalog_items.list(
            fields=["id", "identifier", "description", "productClass", "inactiveFlag"]
        )
        if c.identifier and not c.inactive_flag
    ]
    tax_codes = {str(t.identifier): t.description for t in cw.tax_codes.list() if t.identifier}
    terms = [str(t.name) for t in cw.billing_terms.list() if t.name]
    members: dict[str, str | None] = {}
    work_types: set[str] = set()
    employees: dict[str, str] = {}
    if time:
        wanted = {s.casefold() for s in time_statuses}
        fields = ["id", "member", "workType", "status", "billableOption"]
        identifiers: set[str] = set()
        for entry in cw.time_entries.list(fields=fields):
            if (entry.status or "").casefold() not in wanted or (entry.billable_option or "") != "Billable":
                continue
            if entry.member is not None and entry.member.identifier:
                identifiers.add(str(entry.member.identifier))
            if entry.work_type is not None and entry.work_type.name:
                work_types.add(str(entry.work_type.name))
        for member in cw.members.list(fields=["id", "identifier", "firstName", "lastName"]):
            if member.identifier in identifiers:
                name = " ".join(p for p in (member.first_name, member.last_name) if p)
                members[str(member.identifier)] = name or None
        employees = {str(e.id): str(e.display_name) for e in qbo.employees.list() if e.display_name}
    qbo_items = list(qbo.items.list())
    items = {str(i.id): str(i.name) for i in qbo_items if i.name}
    by_sku = {str(i.id): str(i.sku) for i in qbo_items if getattr(i, "sku", None)}
    report = unmapped_from(
        config,
        catalog=catalog,
        tax_codes=tax_codes,
        terms=terms,
        members=members,
        work_types=sorted(work_types),
        qbo_items=items,
        qbo_tax_codes={str(t.id): str(t.name) for t in qbo.tax_codes.list() if t.name},
        qbo_terms={str(t.id): str(t.name) for t in qbo.terms.list() if t.name},
        qbo_employees=employees,
    )
    return _with_sku_matches(report, by_sku)


def _with_sku_matches(report: UnmappedMappings, by_sku: Mapping[str, str]) -> UnmappedMappings:
    """Add proposals for catalog items whose identifier equals a QBO Item's ``Sku`` (normalised)."""
    missing = report.missing.missing.get("catalog_items", ())
    if not missing or not by_sku:
        return report
    proposal = report.proposals.get("catalog_items") or MatchProposal(matched={}, ambiguous={}, unmatched=())
    matched, ambiguous = dict(proposal.matched), dict(proposal.ambiguous)
    skus: dict[str, list[str]] = {}
    for item_id, sku in by_sku.items():
        skus.setdefault(normalise_name(sku), []).append(item_id)
    for sku in missing:
        hits = sorted(skus.get(normalise_name(sku), []))
        if len(hits) == 1 and sku not in matched and sku not in ambiguous:
            matched[sku] = hits[0]
    unmatched = tuple(s for s in missing if s not in matched and s not in ambiguous)
    proposals = {
        **report.proposals,
        "catalog_items": MatchProposal(matched=matched, ambiguous=ambiguous, unmatched=unmatched),
    }
    return attrs.evolve(report, proposals=proposals)
