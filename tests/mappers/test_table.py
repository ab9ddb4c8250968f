"""The mapper tables: every mapper function is in one, ``reads`` is enough to project, ``writes`` is honest.

The corpus is the raw JSON the three seeded sandboxes answer (``tests/mappers/_corpus.py``) plus the
authored CW payloads and two QBO reference samples. Outcomes compare the canonical record *and* its
refs' versions (``ExternalRef.version`` is excluded from ``==``), or the ``MappingError`` path and reason.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Mapping
from types import ModuleType
from typing import Any

import attrs
import pytest

from msplink.connectwise import models as cw
from msplink.errors import ConfigurationError, MappingError
from msplink.mappers import MAPPERS, Mapper, MappingConfig, find_mapper
from msplink.mappers import connectwise as cwm
from msplink.mappers import quickbooks as qbm
from msplink.mappers import salesforce as sfm
from msplink.models import Address, Contact, Customer, Invoice, InvoiceLine, Record, TimeEntry, Vendor

from . import _corpus
from . import cw_payloads as cwm_payloads

VENDOR_MODULES: dict[str, ModuleType] = {"connectwise": cwm, "quickbooks": qbm, "salesforce": sfm}

HELPERS = {
    "connectwise": {"derive_identifier", "billing_cycle_from_name", "invoice_summary_lines"},
    "quickbooks": set(),
    "salesforce": set(),
}
"""Public functions that are not mappers of a vendor object (they map a name or derive a value)."""

SF_CW_ID_FIELDS = {
    "Account": sfm.CW_COMPANY_ID_FIELD,
    "Contact": sfm.CW_CONTACT_ID_FIELD,
    "Case": sfm.CW_TICKET_ID_FIELD,
    "Contract": sfm.CW_AGREEMENT_ID_FIELD,
    "Opportunity": sfm.CW_OPPORTUNITY_ID_FIELD,
}

INBOUND = [m for m in MAPPERS if m.to_canonical is not None]


def _id(mapper: Mapper[Any]) -> str:
    return f"{mapper.system}:{mapper.object}->{mapper.canonical.__name__}"


def outcome(mapper: Mapper[Any], payload: Mapping[str, Any], config: MappingConfig) -> tuple[Any, ...]:
    assert mapper.to_canonical is not None
    try:
        result = mapper.to_canonical(payload, config)
    except MappingError as exc:
        return ("error", exc.path, exc.reason)
    refs = sorted((r.system, r.object_type, r.id, r.version) for r in getattr(result, "refs", ()))
    return ("ok", result, refs, repr(result))  # repr shows link labels, which == leaves out


SF_EXTRAS: dict[str, Any] = {
    "CurrencyIsoCode": "EUR",  # a multi-currency org
    "Name": "Named",
    **{rel: {"attributes": {"type": rel}, "Name": f"{rel} label"} for rel in ("Owner", "Parent", "Account")},
    **{rel: {"attributes": {"type": "Name"}, "Name": f"{rel} label"} for rel in ("Contact", "Who", "What")},
    "CompletedDateTime": "2026-05-01T10:00:00.000+0000",
}
"""Fields the seeded org leaves out: relationship names (``Owner.Name``), currency, Task completion."""

QBO_DELETION_STUB = {"status": "Deleted", "Id": "999", "domain": "QBO"}


def corpus(mapper: Mapper[Any]) -> list[Mapping[str, Any]]:
    rows = _corpus.payloads(mapper.system, mapper.object)
    if mapper.system == "quickbooks" and "status" in mapper.reads:
        return [*rows, QBO_DELETION_STUB]  # a delete or CDC answer: maps to a tombstone
    if mapper.system != "salesforce":
        return rows
    field = SF_CW_ID_FIELDS.get(mapper.object)
    out = []
    for i, row in enumerate(rows):
        extra = {k: v for k, v in SF_EXTRAS.items() if k not in row}
        if field is not None:  # the ConnectWise id the sync engine stamps (an external id)
            extra[field] = str(1000 + i)
        out.append({**row, **extra} if i % 2 == 0 else row)
    return out


def project(payload: Mapping[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """What a projection answers: the top-level fields named, and relationships for ``Rel.Field`` paths."""
    keep = {field.split(".")[0] for field in fields} | {"attributes"}  # SOQL always sends "attributes"
    return {k: v for k, v in payload.items() if k in keep}


# ------------------------------------------------------------------------------------- the tables


@pytest.mark.parametrize("system", sorted(VENDOR_MODULES))
def test_every_public_mapper_function_is_in_its_table(system: str) -> None:
    module = VENDOR_MODULES[system]
    functions = {name for name in module.__all__ if inspect.isfunction(getattr(module, name))}
    in_table = {
        fn.__name__
        for mapper in module.MAPPERS
        for fn in (mapper.to_canonical, mapper.from_canonical)
        if fn is not None
    }
    assert functions - in_table == HELPERS[system]
    assert in_table <= functions
    assert all(mapper.system == system for mapper in module.MAPPERS)


def test_tables_have_one_mapper_per_key_and_find_mapper_finds_each() -> None:
    assert len(MAPPERS) == len(cwm.MAPPERS) + len(qbm.MAPPERS) + len(sfm.MAPPERS) == 33
    assert len({m.key for m in MAPPERS}) == len(MAPPERS)
    for mapper in MAPPERS:
        assert find_mapper(mapper.system, mapper.object, mapper.canonical) is mapper
        assert mapper.to_canonical is not None or mapper.from_canonical is not None
        assert len(set(mapper.reads)) == len(mapper.reads) and len(set(mapper.writes)) == len(mapper.writes)
        assert (mapper.to_canonical is None) == (mapper.reads == ())
    assert find_mapper("connectwise", "company", Vendor).to_canonical is cwm.company_to_vendor
    assert find_mapper("quickbooks", "JournalEntry", TimeEntry).aggregate


def test_find_mapper_names_what_exists_when_nothing_matches() -> None:
    with pytest.raises(ConfigurationError, match=r"connectwise 'company' maps to Customer, Vendor"):
        find_mapper("connectwise", "company", Address)
    with pytest.raises(ConfigurationError, match=r"quickbooks objects with mappers: Bill, Customer"):
        find_mapper("quickbooks", "company", Customer)
    with pytest.raises(ConfigurationError, match="unknown system"):
        find_mapper("hubspot", "company", Customer)


# ---------------------------------------------------------------------------------- reads / writes


@pytest.mark.parametrize("mapper", INBOUND, ids=_id)
def test_a_payload_projected_to_reads_maps_like_the_full_payload(mapper: Mapper[Any]) -> None:
    config = _corpus.config(mapper.system)
    rows = corpus(mapper)
    assert rows, "the corpus has payloads for every inbound mapper"
    results = [outcome(mapper, row, config) for row in rows]
    for row, full in zip(rows, results, strict=True):
        assert outcome(mapper, project(row, mapper.reads_for(config)), config) == full, row.get("id", row)
    ok = [r for r in results if r[0] == "ok"]
    assert ok, "at least one payload maps, so the comparison is not between two errors only"
    for _, record, refs, _ in ok:  # the provenance ref names the table's object
        if isinstance(record, Record) and record.refs:
            assert any(system == mapper.system and obj == mapper.object for system, obj, _, _ in refs)


CW_MODELS: dict[str, type[cw.Model]] = {
    "company": cw.Company,
    "site": cw.CompanySite,
    "contact": cw.Contact,
    "catalog_item": cw.CatalogItem,
    "agreement": cw.Agreement,
    "addition": cw.AgreementAddition,
    "invoice": cw.Invoice,
    "payment": cw.InvoicePayment,
    "product_item": cw.ProductItem,
    "time_entry": cw.TimeEntry,
    "ticket": cw.Ticket,
    "project": cw.Project,
    "opportunity": cw.Opportunity,
    "purchase_order": cw.PurchaseOrder,
}
"""The wire model each ConnectWise mapper parses."""


def cw_project(payload: Mapping[str, Any], paths: tuple[str, ...]) -> dict[str, Any]:
    """What ConnectWise answers to ``fields=`` with nested paths (``status/name``): only those values."""
    out: dict[str, Any] = {}
    for path in paths:
        head, _, rest = path.partition("/")
        if head not in payload:
            continue
        if not rest:
            out[head] = payload[head]
        elif isinstance(payload[head], Mapping):
            inner = cw_project(payload[head], (rest,))
            if inner:
                out.setdefault(head, {}).update(inner)
    return out


@pytest.mark.parametrize("mapper", [m for m in INBOUND if m.system == "connectwise"], ids=_id)
def test_a_cw_payload_read_with_the_model_projection_maps_like_the_full_payload(mapper: Mapper[Any]) -> None:
    config = _corpus.config(mapper.system)
    paths = CW_MODELS[mapper.object].projection(("id", *mapper.reads_for(config), "_info"))
    assert "_info" not in paths or mapper.object in {"payment", "product_item"}  # not entities: no lifting
    for row in corpus(mapper):
        projected = cw_project(row, paths)
        assert outcome(mapper, projected, config) == outcome(mapper, row, config), row.get("id", row)
        size = len(json.dumps(projected, default=str))
        top_level = project(row, ("id", *mapper.reads_for(config), "_info"))
        assert size <= len(json.dumps(top_level, default=str)), "never more than the top-level read"


UNSEEN_READS: dict[tuple[str, str, str], set[str]] = {
    ("connectwise", "agreement", "Agreement"): {"oneTimeFlag"},
    ("connectwise", "payment", "Payment"): {"credit"},
    ("connectwise", "product_item", "InvoiceLine"): {
        "customerDescription",
        "extPrice",
        "productClass",
        "taxCode",
        "taxableFlag",
    },
    ("connectwise", "time_entry", "InvoiceLine"): {"extendedInvoiceAmount"},
    ("quickbooks", "TimeActivity", "TimeEntry"): {
        "BreakHours",
        "BreakMinutes",
        "EndTime",
        "Seconds",
        "StartTime",
    },
}
"""Read fields the seeded data leaves empty and no outbound mapper writes (checked by name here)."""


@pytest.mark.parametrize("mapper", INBOUND, ids=_id)
def test_every_read_field_is_seen_in_the_corpus_or_written_back(mapper: Mapper[Any]) -> None:
    seen = set().union(*(set(row) for row in corpus(mapper)))
    unseen = {f for f in mapper.reads if f.split(".")[0] not in seen and f not in mapper.writes}
    assert unseen == UNSEEN_READS.get(mapper.key, set())


def test_dropping_a_needed_field_changes_the_outcome() -> None:
    mapper = find_mapper("connectwise", "company", Customer)
    config = _corpus.config("connectwise")
    row = corpus(mapper)[0]
    for field in ("name", "_info", "id"):
        reads = tuple(f for f in mapper.reads if f != field)
        assert outcome(mapper, project(row, reads), config) != outcome(mapper, row, config), field


@pytest.mark.parametrize("mapper", [m for m in INBOUND if m.from_canonical is not None], ids=_id)
def test_outbound_wire_fields_are_within_writes(mapper: Mapper[Any]) -> None:
    assert mapper.to_canonical is not None and mapper.from_canonical is not None
    config = _corpus.config(mapper.system)
    written: set[str] = set()
    for row in corpus(mapper):
        try:
            record = mapper.to_canonical(row, config)
            wire = mapper.from_canonical(record, config)
        except MappingError:
            continue  # e.g. a link without the target system's ref: the engine adds those
        for model in _wire_models(wire):
            written |= set(model.to_api())
    assert written, "at least one record round-trips"
    assert written <= set(mapper.writes), sorted(written - set(mapper.writes))


def _wire_models(wire: Any) -> list[Any]:
    if isinstance(wire, tuple):  # (PO, lines) or ((invoice id, payment), ...)
        found = []
        for part in wire:
            found.extend(_wire_models(part))
        return found[:1] if found and attrs.has(type(found[0])) else found
    return [wire] if hasattr(wire, "to_api") else []


def test_reads_for_adds_configured_salesforce_custom_fields_only() -> None:
    config = MappingConfig.from_dict(
        {
            "custom_fields": [
                {"record": "Customer", "name": "sla", "salesforce": "SLA__c", "connectwise": "SLA"},
                {"record": "Contact", "name": "badge", "salesforce": "Badge__c"},
            ]
        }
    )
    account = find_mapper("salesforce", "Account", Customer)
    assert account.reads_for(config) == (*account.reads, "SLA__c")
    assert account.reads_for(None) == account.reads
    company = find_mapper("connectwise", "company", Customer)
    assert company.reads_for(config) == company.reads and "customFields" in company.reads


def test_reads_for_leaves_out_a_custom_field_array_the_config_maps_nothing_from() -> None:
    config = MappingConfig.from_dict(
        {
            "custom_fields": [
                {"record": "Customer", "name": "sla", "salesforce": "SLA__c", "connectwise": "SLA"}
            ]
        }
    )
    company = find_mapper("connectwise", "company", Customer)
    contact = find_mapper("connectwise", "contact", Contact)
    invoice = find_mapper("quickbooks", "Invoice", Invoice)
    assert "customFields" in contact.reads and "CustomField" in invoice.reads
    assert contact.reads_for(config) == tuple(f for f in contact.reads if f != "customFields")
    assert invoice.reads_for(config) == tuple(f for f in invoice.reads if f != "CustomField")  # none for QBO
    assert company.reads_for(config) == company.reads  # SLA is read from customFields
    assert (
        contact.reads_for(MappingConfig()) == contact.reads_for(config)
        and contact.reads_for(None) == contact.reads
    )


def test_inbound_and_outbound_refuse_a_missing_direction() -> None:
    line = find_mapper("connectwise", "product_item", InvoiceLine)
    assert line.inbound(cwm_payloads.PRODUCT_ITEM) == cwm.product_item_to_invoice_line(
        cwm_payloads.PRODUCT_ITEM
    )
    with pytest.raises(
        ConfigurationError, match=r"connectwise:product_item <-> InvoiceLine\) maps inbound only"
    ):
        line.outbound(line.inbound(cwm_payloads.PRODUCT_ITEM))
    journal = find_mapper("quickbooks", "JournalEntry", TimeEntry)
    with pytest.raises(ConfigurationError, match="maps outbound only"):
        journal.inbound({})


def test_mapper_repr_names_both_ends() -> None:
    assert repr(find_mapper("salesforce", "Account", Customer)) == "Mapper(salesforce:Account <-> Customer)"
