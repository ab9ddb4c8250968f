"""``seed_world``: one coherent MSP across the three sandboxes — determinism, counts, coherence,
save/load, clients, sizes. Records are read from the sandboxes (``records``/``entities``), so the
assertions do not depend on how the clients parse them; the client tests read through the clients."""

from __future__ import annotations

import asyncio
import os
import re
import time
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from msplink.connectwise import models as cw_models
from msplink.errors import MappingError
from msplink.mappers import connectwise as cw_map
from msplink.mappers import quickbooks as qbo_map
from msplink.sandbox import WORLD_SIZES, World, WorldFacts, load_world, seed_world
from msplink.sandbox._worldgen import company_count, plan_world
from msplink.sandbox._worldstore import (
    COMPANY_DERIVED,
    COMPANY_STATE,
    dump_company,
    dumps,
    loads,
    restore_company,
)
from msplink.sandbox.quickbooks._faults import Fault
from msplink.sandbox.quickbooks._state import Company

CW, QBO, SF = "connectwise", "quickbooks", "salesforce"


def normalised(name: str) -> str:
    """The test's own matcher normal form: case, punctuation, ``&``/``and``, legal suffixes ignored."""
    text = name.lower().replace("&", " and ")
    text = re.sub(r"[^a-z0-9 ]", "", text)
    words = text.split()
    while words and words[-1] in {"inc", "llc", "ltd", "corp"}:
        words.pop()
    return " ".join(words)


@pytest.fixture(scope="module")
def world() -> World:
    return seed_world("small", seed=0)


@pytest.fixture(scope="module")
def facts(world: World) -> WorldFacts:
    return world.facts()


def by_id(rows: list[dict[str, Any]], key: str = "Id") -> dict[Any, dict[str, Any]]:
    return {row[key]: row for row in rows}


# ------------------------------------------------------------------------------------------ sizes


def test_size_presets_and_integer_sizes() -> None:
    assert WORLD_SIZES == {"small": 40, "medium": 400, "large": 4000}
    assert [company_count(s) for s in ("small", "medium", "large", 7)] == [40, 400, 4000, 7]
    for bad in ("tiny", 0, -3, True):
        with pytest.raises(ValueError, match="size"):
            company_count(bad)
    now = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    assert len(plan_world(company_count(60), 0, now).businesses) == 60


@pytest.mark.slow
@pytest.mark.skipif(
    not os.environ.get("MSPLINK_SLOW"), reason="seeds 4,000 companies (~8 s); set MSPLINK_SLOW=1"
)
def test_large_world_has_4000_companies() -> None:
    large = seed_world("large", seed=0)
    counts = large.facts().counts
    assert counts["companies"] == 4000 and len(large.facts().companies) == 4000
    assert sum(v for k, v in counts.items() if k.startswith("companies.")) == 4000
    assert counts["ambiguous_pairs"] == 40


def test_small_world_has_40_companies_and_seeds_fast() -> None:
    started = time.perf_counter()
    small = seed_world("small", seed=11)
    elapsed = time.perf_counter() - started
    assert small.size == 40 and small.facts().counts["companies"] == 40 and len(small.facts().companies) == 40
    assert elapsed < 5.0  # about 0.05 s on a quiet machine; generous for shared CI cores


def test_medium_world_and_an_integer_size() -> None:
    medium = seed_world("medium", seed=2)
    counts = medium.facts().counts
    assert counts["companies"] == 400
    assert sum(v for k, v in counts.items() if k.startswith("companies.")) == 400
    assert counts["ambiguous_pairs"] == 4
    tiny = seed_world(5, seed=1)
    assert tiny.size == 5 and len(tiny.facts().companies) == 5


# ------------------------------------------------------------------------------------ determinism


def test_same_seed_same_saved_json_other_seed_other_world(tmp_path: Path) -> None:
    first = seed_world("small", seed=5).save(tmp_path / "a")
    second = seed_world("small", seed=5).save(tmp_path / "b")
    other = seed_world("small", seed=6).save(tmp_path / "c")
    names = sorted(p.name for p in first.iterdir())
    assert names == ["config.json", "connectwise.json", "quickbooks.json", "salesforce.json", "world.json"]
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert (first / "connectwise.json").read_bytes() != (other / "connectwise.json").read_bytes()


def test_today_is_given_or_derived_from_the_seed() -> None:
    assert seed_world(3, seed=0).today == date(2026, 3, 2)
    assert seed_world(3, seed=1).today == date(2026, 3, 3)
    given = seed_world(12, seed=4, today=date(2025, 1, 15))
    assert given.today == date(2025, 1, 15) and given.now == datetime(2025, 1, 15, 9, tzinfo=timezone.utc)
    assert given.clock.now() == given.now
    aware = seed_world(3, today=datetime(2025, 6, 1, 12, tzinfo=timezone(timedelta(hours=2))))
    assert aware.now == datetime(2025, 6, 1, 10, tzinfo=timezone.utc)
    with pytest.raises(ValueError, match="timezone-aware"):
        seed_world(3, today=datetime(2025, 6, 1, 12))


# ------------------------------------------------------------------------------------------ counts


def test_counts_match_the_sandboxes_and_are_pinned(world: World, facts: WorldFacts) -> None:
    counts = facts.counts
    assert counts[f"{CW}.companies"] == len(world.cw.records("companies"))
    assert counts[f"{QBO}.Customer"] == len(world.qbo.entities("Customer"))
    assert counts[f"{SF}.Account"] == len(world.sf.records("Account"))
    presence = {k: v for k, v in counts.items() if k.startswith("companies.")}
    assert presence == {
        "companies.connectwise+quickbooks+salesforce": 18,
        "companies.connectwise+quickbooks": 8,
        "companies.connectwise+salesforce": 5,
        "companies.quickbooks+salesforce": 1,
        "companies.connectwise": 3,
        "companies.quickbooks": 2,
        "companies.salesforce": 3,
    }
    assert (
        counts[f"{CW}.companies"] == 34 and counts[f"{QBO}.Customer"] == 29 and counts[f"{SF}.Account"] == 27
    )
    in_cw = [c for c in facts.companies if CW in c.ids]
    assert len(in_cw) == 34 and len({c.ids[CW] for c in in_cw}) == 34
    assert counts["ambiguous_pairs"] == len(facts.ambiguous_pairs) == 2
    for kind in ("monthly", "quarterly", "yearly", "one-time"):
        assert counts[f"agreements.{kind}"] >= 1
    for window in ("0_30", "31_60", "61_90"):
        assert counts[f"agreements.ending_in_{window}_days"] >= 1
    for kind in (
        "invoices.overdue",
        "tickets.escalated",
        "time_entries.billable_approved",
        "time_entries.non_billable",
        "payments.partial",
        "payments.multi_invoice",
        "opportunities.closed_won_without_company",
        "leads.qualified",
        "leads.converted",
    ):
        assert counts[kind] >= 1, kind


# --------------------------------------------------------------------------------------- coherence


def test_every_shared_company_has_one_normalised_name_and_realistic_spelling_differences(
    facts: WorldFacts,
) -> None:
    differences: Counter[str] = Counter()
    for company in facts.companies:
        names = list(company.names.values())
        assert len({normalised(n) for n in names}) == 1, company.names
        for name in names[1:]:
            if name == names[0]:
                continue
            if name.lower() == names[0].lower():
                differences["case"] += 1
            elif ("&" in name) != ("&" in names[0]):
                differences["ampersand"] += 1
            elif re.sub(r"[.,]", "", name) == re.sub(r"[.,]", "", names[0]):
                differences["punctuation"] += 1
            else:
                differences["suffix"] += 1
    assert set(differences) >= {"case", "punctuation", "suffix"}
    shared = [c for c in facts.companies if len(c.names) >= 2]
    single = [c for c in facts.companies if len(c.names) == 1]
    assert len(shared) == 32 and len(single) == 8


def test_shared_companies_share_their_emails(world: World, facts: WorldFacts) -> None:
    cw_companies = by_id(world.cw.records("companies"), "id")
    qbo_customers = by_id(world.qbo.entities("Customer"))
    sf_contacts = world.sf.records("Contact")
    emails_by_account: dict[str, set[str]] = {}
    for contact in sf_contacts:
        emails_by_account.setdefault(contact["AccountId"], set()).add(contact["Email"].casefold())
    cw_contact_emails: dict[int, set[str]] = {}
    for item in world.cw.records("contacts"):
        mails = {
            c["value"].casefold() for c in item["communicationItems"] if c["communicationType"] == "Email"
        }
        cw_contact_emails.setdefault(item["company"]["id"], set()).update(mails)
    sources = {p.source_id for p in facts.ambiguous_pairs if p.system == QBO}
    checked_qbo = checked_sf = 0
    for company in facts.companies:
        if CW in company.ids and QBO in company.ids and company.ids[CW] not in sources:
            cw_mail = cw_companies[int(company.ids[CW])]["invoiceToEmailAddress"]
            qbo_mail = qbo_customers[company.ids[QBO]]["PrimaryEmailAddr"]["Address"]
            assert cw_mail.casefold() == qbo_mail.casefold()
            checked_qbo += 1
        if CW in company.ids and SF in company.ids:
            assert emails_by_account[company.ids[SF]] == cw_contact_emails[int(company.ids[CW])]
            checked_sf += 1
    assert (checked_qbo, checked_sf) == (25, 23)
    assert any(c.contact_emails != c.sf_contact_emails for c in facts.companies if c.sf_contact_emails)


def test_ambiguous_pairs_are_genuinely_ambiguous(world: World, facts: WorldFacts) -> None:
    cw_companies = by_id(world.cw.records("companies"), "id")
    qbo_names = {c["Id"]: c for c in world.qbo.entities("Customer")}
    sf_names = {a["Id"]: a for a in world.sf.records("Account")}
    assert {p.system for p in facts.ambiguous_pairs} == {QBO, SF}
    for pair in facts.ambiguous_pairs:
        source = cw_companies[int(pair.source_id)]
        assert normalised(source["name"]) == pair.normalised_name
        targets = qbo_names if pair.system == QBO else sf_names
        key = "DisplayName" if pair.system == QBO else "Name"
        same = sorted(i for i, r in targets.items() if normalised(r[key]) == pair.normalised_name)
        assert same == sorted(pair.candidates)
        if pair.system == QBO:  # no e-mail resolves it either
            mails = {targets[i]["PrimaryEmailAddr"]["Address"].casefold() for i in pair.candidates}
            assert source["invoiceToEmailAddress"].casefold() not in mails
        else:  # no external id links either candidate
            assert all(targets[i]["CW_Company_Id__c"] is None for i in pair.candidates)


def test_connectwise_holds_every_billing_cycle_with_additions_time_and_invoices(
    world: World, facts: WorldFacts
) -> None:
    agreements = world.cw.records("agreements")
    cycles = Counter(a["billingCycle"]["name"] if "billingCycle" in a else "One-Time" for a in agreements)
    assert set(cycles) == {"Monthly", "Quarterly", "Yearly", "One-Time"}
    with_additions = {a["agreementId"] for a in world.cw.records("additions")}
    assert with_additions == {a["id"] for a in agreements}
    entries = world.cw.records("timeEntries")
    assert all(e["chargeToType"] == "ServiceTicket" for e in entries)
    statuses = Counter((e["billableOption"], e["status"]) for e in entries)
    assert statuses[("Billable", "ApprovedByTierTwo")] >= 1 and statuses[("Billable", "Billed")] >= 1
    assert (
        sum(
            v
            for (option, status), v in statuses.items()
            if option == "DoNotBill" and status.startswith("Approved")
        )
        >= 1
    )
    invoices = by_id(world.cw.records("invoices"), "id")
    assert {i["type"] for i in invoices.values()} == {"Agreement", "Standard"}
    billed_time = {e["invoice"]["id"] for e in entries if "invoice" in e}
    with_products = {p["invoice"]["id"] for p in world.cw.records("products")}
    assert billed_time and with_products
    assert {invoices[i]["type"] for i in billed_time | with_products} == {"Standard"}
    for invoice in invoices.values():
        assert invoice["total"] == invoice["subtotal"] == invoice["payments"] + invoice["balance"]


def test_worked_examples(world: World, facts: WorldFacts) -> None:
    today = world.today
    agreement = by_id(world.cw.records("agreements"), "id")[facts.agreement_ending_in_30_days]
    end = date.fromisoformat(agreement["endDate"][:10])
    assert today < end <= today + timedelta(days=30) and agreement["agreementStatus"] == "Active"
    invoice = by_id(world.cw.records("invoices"), "id")[facts.overdue_invoice]
    assert date.fromisoformat(invoice["dueDate"][:10]) < today and invoice["balance"] == invoice["total"] > 0
    ticket = by_id(world.cw.records("tickets"), "id")[facts.escalated_ticket]
    assert ticket["status"]["name"] == "Escalated" and ticket["priority"]["name"] == "Priority 2 - High"
    opportunity = by_id(world.sf.records("Opportunity"))[facts.closed_won_opportunity]
    account = by_id(world.sf.records("Account"))[opportunity["AccountId"]]
    assert opportunity["StageName"] == "Closed Won" and opportunity["IsWon"] is True
    assert account["CW_Company_Id__c"] is None
    owner = next(c for c in facts.companies if c.ids.get(SF) == account["Id"])
    assert CW not in owner.ids
    assert facts.multi_invoice_payment is not None
    payment = world.qbo.entity("Payment", facts.multi_invoice_payment)
    linked = [link["TxnId"] for line in payment["Line"] for link in line["LinkedTxn"]]
    assert len(linked) >= 2 and linked == list(facts.multi_invoice_payment_invoices)
    assert all(world.qbo.entity("Invoice", i)["Balance"] == Decimal("0.00") for i in linked)
    assert facts.partial_payment is not None
    partial = world.qbo.entity("Payment", facts.partial_payment)
    (line,) = partial["Line"]
    paid = world.qbo.entity("Invoice", line["LinkedTxn"][0]["TxnId"])
    assert Decimal(0) < paid["Balance"] < paid["TotalAmt"]
    leads = by_id(world.sf.records("Lead"))
    assert leads[facts.qualified_lead]["Status"] == "Qualified"
    converted = leads[facts.converted_lead]
    assert converted["IsConverted"] is True and converted["ConvertedAccountId"] in by_id(
        world.sf.records("Account")
    )


def test_the_config_matches_both_sides_and_leaves_exactly_the_unmapped_values_out(
    world: World, facts: WorldFacts
) -> None:
    config = world.config
    qbo_terms = by_id(world.qbo.entities("Term"))
    cw_terms = {t["name"]: t for t in world.cw.records("billingTerms")}
    assert set(config.terms.forward) == set(cw_terms) - {"Net 45 days"}
    for name, term_id in config.terms.forward.items():
        assert qbo_terms[term_id]["DueDays"] == cw_terms[name]["dueDays"]
    items = by_id(world.qbo.entities("Item"))
    for sku, item_id in config.catalog_items.forward.items():
        assert items[item_id]["Sku"] == sku
    for product_class, mapping in config.product_classes.items():
        assert mapping.item in items, product_class
    assert config.default_item in items and config.penny_adjustment_item in items
    employees = by_id(world.qbo.entities("Employee"))
    assert set(config.employees.forward) == {"cdiaz", "dpatel", "eokafor"}
    assert set(config.employees.forward.values()) <= set(employees)
    users = by_id(world.sf.records("User"))
    assert set(config.owners.forward.values()) == {"amorgan", "bchen"}
    assert set(config.owners.forward) <= set(users)
    members = {m["identifier"]: m["id"] for m in world.cw.records("members")}
    for identifier, member_id in config.connectwise_ids["members"].forward.items():
        assert members[identifier] == int(member_id)
    for sku in facts.unmapped["catalog_items"]:
        assert sku not in config.catalog_items
    assert config.qbo_item_for(sku="SETUP-KIT", product_class="Bundle", path="x") == config.default_item
    assert config.qbo_item_for(sku="DOCK-USBC", product_class="NonInventory", path="x") == (
        config.product_classes["NonInventory"].item
    )
    assert facts.unmapped == {
        "terms": ("Net 45 days",),
        "tax_codes": ("OOS",),
        "catalog_items": ("FW-SUB", "DOCK-USBC", "SETUP-KIT"),
        "product_classes": ("Bundle",),
        "work_types": ("Admin",),
        "employees": ("fnovak",),
        "owners": ("gsilva",),
    }


def test_mapping_companies_to_quickbooks_fails_exactly_for_the_unmapped_terms_and_tax_codes(
    world: World,
) -> None:
    failures, mapped = [], 0
    companies = world.cw.records("companies")
    for company in companies:
        try:
            qbo_map.customer_from_canonical(cw_map.company_to_customer(company, world.config), world.config)
            mapped += 1
        except MappingError as exc:
            failures.append(exc.path)
    expected = sum(
        1
        for c in companies
        if c["billingTerms"]["name"] == "Net 45 days" or c["taxCode"]["identifier"] == "OOS"
    )
    assert expected >= 1 and len(failures) == expected and mapped == len(companies) - expected
    assert set(failures) <= {"Customer.tax_code", "Customer.SalesTermRef"}


def test_qbo_invoices_are_the_exported_cw_invoices_with_equal_totals(world: World) -> None:
    cw_invoices = {i["invoiceNumber"]: i for i in world.cw.records("invoices")}
    exported = [i for i in world.qbo.entities("Invoice") if i["DocNumber"].startswith("INV-")]
    native = [i for i in world.qbo.entities("Invoice") if i["DocNumber"].startswith("Q-")]
    assert exported and native
    for invoice in exported:
        source = cw_invoices[invoice["DocNumber"]]
        assert invoice["TotalAmt"] == source["total"]
        assert invoice["DueDate"] == source["dueDate"][:10] and invoice["TxnDate"] == source["date"][:10]


# ----------------------------------------------------------------------------------- save and load


def test_save_and_load_round_trip_exactly_and_sequences_continue(tmp_path: Path) -> None:
    original = seed_world("small", seed=9)
    original.clock.advance(90)
    loaded = load_world(original.save(tmp_path / "w"))
    assert (loaded.seed, loaded.size, loaded.now, loaded.today) == (9, 40, original.now, original.today)
    assert loaded.clock.now() == original.clock.now()
    assert loaded.facts() == original.facts() and loaded.config == original.config
    assert loaded.cw.store.data == original.cw.store.data
    assert loaded.cw.store.parents == original.cw.store.parents
    assert loaded.qbo.entities("Invoice") == original.qbo.entities("Invoice")
    assert loaded.qbo.company.changes == original.qbo.company.changes
    assert loaded.sf.records("Account") == original.sf.records("Account")
    opportunity = loaded.sf.records("Opportunity")[0]
    assert isinstance(opportunity["Amount"], Decimal) and isinstance(opportunity["CloseDate"], date)
    assert opportunity["CreatedDate"].tzinfo is not None
    assert (
        loaded.save(tmp_path / "again").joinpath("salesforce.json").read_bytes()
        == (tmp_path / "w" / "salesforce.json").read_bytes()
    )
    with loaded.clients() as c:
        created = c.cw.companies.create(cw_models.Company(identifier="NewCo", name="NewCo LLC"))
        assert created.id == max(r["id"] for r in original.cw.records("companies")) + 1
    assert loaded.sf.insert("Account", {"Name": "Fresh"}) not in {
        r["Id"] for r in original.sf.records("Account")
    }
    assert loaded.sf.run_query("SELECT Id FROM Account WHERE CW_Company_Id__c != null")[2]  # index rebuilt


def test_load_refuses_what_is_not_a_saved_world(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no saved world"):
        load_world(tmp_path)
    (tmp_path / "world.json").write_text('{"format": 99}', encoding="utf-8")
    with pytest.raises(ValueError, match="unsupported world format"):
        load_world(tmp_path)


def test_the_saved_quickbooks_state_is_the_whole_company() -> None:
    company = Company("1", lambda: datetime.now(timezone.utc))
    assert set(vars(company)) == {*COMPANY_STATE, *COMPANY_DERIVED, "_now"}


def test_derived_indexes_are_rebuilt_from_a_saved_world() -> None:
    def company_with(template: str) -> tuple[Company, dict[str, Any]]:
        company = Company("1", lambda: datetime(2026, 3, 2, 9, tzinfo=timezone.utc))
        customer = company.create("Customer", {"DisplayName": "Contoso"})["Id"]
        income = company.create("Account", {"Name": "Sales", "AccountType": "Income"})["Id"]
        labor = {"Name": "Labor", "Type": "Service", "IncomeAccountRef": {"value": income}}
        item = company.create("Item", labor)
        detail = {"ItemRef": {"value": item["Id"]}}
        line = {"DetailType": "SalesItemLineDetail", "Amount": "10", "SalesItemLineDetail": detail}
        body = {"CustomerRef": {"value": customer}, "Line": [line], "RecurringInfo": {"Name": template}}
        company.create_recurring({"Invoice": body})
        return company, body

    saved, body = company_with("Monthly")
    loaded, _ = company_with("Weekly")  # its name index is built before the load replaces its data
    restore_company(loaded, loads(dumps(dump_company(saved))))
    with pytest.raises(Fault) as raised:
        loaded.create_recurring({"Invoice": {**body, "RecurringInfo": {"Name": "MONTHLY"}}})
    assert raised.value.code == "6240"
    loaded.create_recurring({"Invoice": {**body, "RecurringInfo": {"Name": "Weekly"}}})


def test_deposits_attachments_and_rates_survive_save_and_load() -> None:
    company = Company("1", lambda: datetime(2026, 3, 2, 9, tzinfo=timezone.utc))
    company.deposited[("Payment", "7")] = "12"
    company.files["5"] = (b"%PDF-1.4 \x00\xff", "application/pdf")
    company.rates["EUR"] = {"2026-03-01": {"Rate": Decimal("1.0850"), "AsOfDate": "2026-03-01"}}
    company.dirty_vendor_balances.add("3")
    again = Company("1", lambda: datetime(2026, 3, 2, 9, tzinfo=timezone.utc))
    restore_company(again, loads(dumps(dump_company(company))))
    for name in ("deposited", "files", "rates", "dirty_vendor_balances"):
        assert getattr(again, name) == getattr(company, name), name


# ------------------------------------------------------------------------------------------ clients


def test_sync_clients_work_for_all_three(world: World, facts: WorldFacts) -> None:
    fresh = seed_world("small", seed=0)
    with fresh.clients() as c:
        assert len(c.cw.companies.list().to_list()) == facts.counts[f"{CW}.companies"]
        assert len(c.qbo.customers.list().to_list()) == facts.counts[f"{QBO}.Customer"]
        assert len(c.sf.accounts.list().to_list()) == facts.counts[f"{SF}.Account"]
    assert fresh.cw.count("GET", r"/company/companies$") == 1
    assert fresh.qbo.count("POST", r"/query$") + fresh.qbo.count("GET", r"/query$") == 1
    assert fresh.sf.count("POST", r"/oauth2/token$") == 1


def test_clients_survive_hours_of_virtual_time_without_waiting(facts: WorldFacts) -> None:
    fresh = seed_world("small", seed=0)
    started = time.perf_counter()
    with fresh.clients() as c:
        assert len(c.sf.accounts.list().to_list()) == facts.counts[f"{SF}.Account"]
        fresh.clock.advance(3 * 3600)  # the QBO access token (1 h) and the SF session (2 h) expire
        assert len(c.qbo.customers.list().to_list()) == facts.counts[f"{QBO}.Customer"]
        assert len(c.sf.accounts.list().to_list()) == facts.counts[f"{SF}.Account"]
    assert time.perf_counter() - started < 5.0
    assert fresh.qbo.token_requests == 1  # one refresh
    assert fresh.sf.count("POST", r"/oauth2/token$") == 2  # one new session


def test_async_clients_work_for_all_three(facts: WorldFacts) -> None:
    fresh = seed_world("small", seed=0)

    async def read() -> tuple[int, int, int]:
        async with fresh.aclients() as c:
            return (
                len(await c.cw.companies.list().to_list()),
                len(await c.qbo.customers.list().to_list()),
                len(await c.sf.accounts.list().to_list()),
            )

    assert asyncio.run(read()) == (
        facts.counts[f"{CW}.companies"],
        facts.counts[f"{QBO}.Customer"],
        facts.counts[f"{SF}.Account"],
    )
