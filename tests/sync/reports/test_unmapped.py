"""``reports.unmapped`` (the mapping layer, DESIGN §1 use case 7): the world's deliberately unmapped
entries are listed before a run, the records they block are dead letters naming them, and once the
proposals are accepted (or the entries added by hand) a retry of the dead letters writes them."""

from __future__ import annotations

from typing import Any

from msplink.mappers import MappingConfig
from msplink.quickbooks import models as qbo
from msplink.sandbox import World, seed_world
from msplink.sync import MemoryStateStore, StateStore, SyncReport
from msplink.sync.recipes import invoices_to_quickbooks
from msplink.sync.reports import UnmappedMappings, unmapped, unmapped_from
from tests.sync._recipes import INTEGRATION_USER, api_requests

FLOW = "cw-invoices-to-qbo-invoices"


def export(world: World, state: StateStore, config: MappingConfig, **options: Any) -> SyncReport:
    with world.clients() as c:
        return invoices_to_quickbooks(
            cw=c.cw, qbo=c.qbo, state=state, config=config, now=world.clock.now,
            cw_integration_user=INTEGRATION_USER, **options,
        )  # fmt: skip


def report_of(world: World, config: MappingConfig) -> UnmappedMappings:
    with world.clients() as c:
        return unmapped(cw=c.cw, qbo=c.qbo, config=config)


def test_the_world_s_deliberately_unmapped_entries_are_listed_with_their_fallbacks() -> None:
    world = seed_world("small", seed=1)
    facts = world.facts()
    world.cw.clear_log()
    world.qbo.clear_log()
    report = report_of(world, world.config)
    missing = report.missing.to_dict()
    assert missing == {
        "catalog_items": sorted(facts.unmapped["catalog_items"]),
        "product_classes": list(facts.unmapped["product_classes"]),
        "tax_codes": list(facts.unmapped["tax_codes"]),
        "terms": list(facts.unmapped["terms"]),
        "employees": list(facts.unmapped["employees"]),
    }  # the unmapped work type ("Admin") is never billable, so no billable time needs it
    assert report.fallbacks == {
        "catalog_items": {
            "DOCK-USBC": world.config.product_classes["NonInventory"].item,
            "FW-SUB": world.config.product_classes["Agreement"].item,
            "SETUP-KIT": world.config.default_item,
        },
        "product_classes": {"Bundle": world.config.default_item},
    }
    assert all(not p.matched and not p.ambiguous for p in report.proposals.values())  # QBO has no such names
    # catalog, tax codes, terms, time entries, members; QBO employees, items, tax codes, terms
    assert (len(api_requests(world.cw)), len(api_requests(world.qbo))) == (5, 4)
    text = str(report).splitlines()
    assert "  - fnovak (Fiona Novak)" in text and "  - OOS (Out of state)" in text
    assert "  - SETUP-KIT (New-hire setup kit)  falls back to QBO 1" in text
    frame = report.to_pandas()
    assert list(frame["table"]) == [
        "catalog_items", "catalog_items", "catalog_items", "product_classes", "tax_codes", "terms", "employees",
    ]  # fmt: skip


def test_blocked_records_are_dead_letters_and_are_written_after_the_proposals_are_accepted() -> None:
    world = seed_world("small", seed=1)
    state = MemoryStateStore()
    first = export(world, state, world.config)
    blocked = {d.source.id for d in state.dead_letters(FLOW) if "Net 45 days" in d.message}
    assert len(blocked) == 6 and first.writes == 68
    with world.clients() as c:  # the admin creates the missing term in QuickBooks, spelt their way
        term = c.qbo.terms.create(qbo.Term(name="NET 45  days", due_days=45))
        c.qbo.employees.create(
            qbo.Employee(given_name="Fiona", family_name="Novak", display_name="Fiona Novak")
        )
    report = report_of(world, world.config)
    assert report.proposals["terms"].matched == {"Net 45 days": str(term.id)}
    assert dict(report.proposals["employees"].matched) == {"fnovak": "4"}
    config = report.accept(world.config)
    assert config.terms.find("Net 45 days") == str(term.id) and config.employees.find("fnovak") == "4"
    assert report_of(world, config).missing.to_dict().keys() == {
        "catalog_items",
        "product_classes",
        "tax_codes",
    }

    again = export(world, state, config, retry_dead_letters=True)
    customers = next(p for p in again.parts if p.flow != FLOW)
    invoices = next(p for p in again.parts if p.flow == FLOW)
    assert customers.outcome_counts["created"] == 1  # the Net 45 company, blocked before
    fates = sorted(o.status for o in invoices.outcomes if o.source.id in blocked)
    assert fates == ["created", "created", "created", "created", "linked", "updated"]  # linked: paid in QBO
    assert {d.source.id for d in state.dead_letters(FLOW)} & blocked == set()
    with world.clients() as c:
        written = [
            i
            for i in c.qbo.invoices.list().to_list()
            if i.sales_term_ref and i.sales_term_ref.value == term.id
        ]
    assert len(written) == 5  # the paid one is left as it was


def test_proposals_are_exact_normalised_names_and_ambiguity_is_left_to_a_person() -> None:
    config = MappingConfig(default_item="1")
    report = unmapped_from(
        config,
        catalog=[("DOCK", "USB-C Dock", "Hardware"), ("CABLE", "Cable", None), ("PSU", "Power supply", None)],
        tax_codes={"GST": "Goods and services"},
        terms=["Net 30 days"],
        qbo_items={"7": "usb-c  dock", "8": "Cable", "9": "CABLE", "10": "Hardware"},
        qbo_tax_codes={"3": "GST"},
        qbo_terms={"1": "Net 30"},
    )
    assert report.proposals["catalog_items"].matched == {"DOCK": "7"}
    assert report.proposals["catalog_items"].ambiguous == {"CABLE": ("8", "9")}
    assert report.proposals["catalog_items"].unmatched == ("PSU",)
    assert report.proposals["product_classes"].matched == {"Hardware": "10"}
    assert report.proposals["tax_codes"].matched == {"GST": "3"}
    assert report.proposals["terms"].unmatched == ("Net 30 days",)  # "Net 30" is not the same name
    accepted = report.accept(config)
    assert accepted.catalog_items.find("DOCK") == "7" and accepted.catalog_items.find("CABLE") is None
    assert accepted.product_classes["Hardware"].item == "10"
    rows = report.to_dict()["rows"]
    assert rows[0] == {
        "table": "catalog_items", "value": "CABLE", "label": "Cable", "proposed": None,
        "candidates": ["8", "9"], "fallback": "1",
    }  # fmt: skip
    assert str(UnmappedMappings(missing=report.missing.__class__(missing={}))) == "Everything is mapped."
