"""Salesforce <-> canonical mappers, table-driven from the real samples in apis/salesforce/samples."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings

from msplink.errors import MappingError
from msplink.mappers import MappingConfig
from msplink.mappers import salesforce as m
from msplink.models import (
    CONNECTWISE,
    Agreement,
    AgreementStatus,
    Contact,
    ExternalRef,
    Link,
    Money,
    OpportunityStatus,
    Ticket,
)
from msplink.salesforce import models as sf

from ._harness import check_round_trip, maps_or_raises_mapping_error, mutated

SAMPLES = Path("/work/shared/apis/salesforce/samples")


def records(name: str) -> list[dict[str, Any]]:
    data: dict[str, Any] = json.loads((SAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    rows: list[dict[str, Any]] = data["records"]
    return rows


CONFIG = MappingConfig.from_dict(
    {
        "owners": {"005J6000001B3C8IAK": "jdoe", "005dM00000aYf0qQAC": "asmith"},
        "opportunity_stages": {
            "map": {
                "sam": "1.Prospect",
                "sam-1": "2.Qualify",
                "Meet & Present": "3.Quote",
                "Closed Won": "Won",
            },
        },
        "case_statuses": {
            "map": {"New": "New", "Working": "In Progress", "Escalated": "In Progress", "Closed": "Closed"},
            "reverse": {"In Progress": "Working"},
        },
        "case_priorities": {
            "High": "Priority 1 - Critical",
            "Medium": "Priority 3 - Normal",
            "Low": "Priority 4 - Low",
        },
        "custom_fields": [{"record": "Customer", "name": "sla", "salesforce": "SLA__c"}],
    }
)

# Task and Contract: no recorded payloads in apis/salesforce/samples; authored from REFERENCE.md §15.
TASK = {
    "attributes": {"type": "Task", "url": "/services/data/v62.0/sobjects/Task/00TdM00000abcdEFAB"},
    "Id": "00TdM00000abcdEFAB",
    "Subject": "Chase overdue invoice 10042",
    "Status": "Not Started",
    "Priority": "High",
    "ActivityDate": "2026-03-09",
    "WhoId": "003dM00001vWOXJQA4",
    "WhatId": "001dM00003jU9GxQAK",
    "AccountId": "001dM00003jU9GxQAK",
    "Description": "Balance 963.34 USD, 7 days overdue",
    "IsClosed": False,
    "IsHighPriority": True,
    "TaskSubtype": "Task",
    "OwnerId": "005dM00000aYf0qQAC",
    "SystemModstamp": "2026-03-09T08:00:00.000+0000",
}
CONTRACT = {
    "attributes": {"type": "Contract", "url": "/services/data/v62.0/sobjects/Contract/800dM00000xyzABCAB"},
    "Id": "800dM00000xyzABCAB",
    "AccountId": "001dM00003jU9GxQAK",
    "Status": "Activated",
    "StatusCode": "Activated",
    "StartDate": "2026-01-01",
    "EndDate": "2026-12-31",
    "ContractTerm": 12,
    "ContractNumber": "00000100",
    "Description": "Managed services",
    "OwnerId": "005dM00000aYf0qQAC",
    "CW_Agreement_Id__c": "771",
    "SystemModstamp": "2026-01-02T08:00:00.000+0000",
}

CASES: list[tuple[str, type[Any], dict[str, Any], Any, Any, frozenset[str]]] = [
    *[
        (
            f"account[{i}]",
            sf.Account,
            r,
            m.account_to_customer,
            m.account_from_canonical,
            m.UNMAPPED_ACCOUNT_FIELDS,
        )
        for i, r in enumerate(records("query-accounts.v60") + records("query-accounts-limit5"))
    ],
    *[
        (
            f"contact[{i}]",
            sf.Contact,
            r,
            m.contact_to_contact,
            m.contact_from_canonical,
            m.UNMAPPED_CONTACT_FIELDS,
        )
        for i, r in enumerate(records("query-contacts.truncated"))
    ],
    *[
        (f"lead[{i}]", sf.Lead, r, m.lead_to_contact, m.lead_from_canonical, m.UNMAPPED_LEAD_FIELDS)
        for i, r in enumerate(records("query-leads-owner-relationship"))
    ],
    *[
        (
            f"opportunity[{i}]",
            sf.Opportunity,
            r,
            m.opportunity_to_opportunity,
            m.opportunity_from_canonical,
            m.UNMAPPED_OPPORTUNITY_FIELDS,
        )
        for i, r in enumerate(records("query-opportunities"))
    ],
    *[
        (f"case[{i}]", sf.Case, r, m.case_to_ticket, m.case_from_canonical, m.UNMAPPED_CASE_FIELDS)
        for i, r in enumerate(records("query-cases.truncated"))
    ],
    ("task", sf.Task, TASK, m.task_to_task, m.task_from_canonical, m.UNMAPPED_TASK_FIELDS),
    (
        "contract",
        sf.Contract,
        CONTRACT,
        m.contract_to_agreement,
        m.contract_from_canonical,
        m.UNMAPPED_CONTRACT_FIELDS,
    ),
]


@pytest.mark.parametrize(
    ("name", "cls", "payload", "to_canonical", "from_canonical", "unmapped"), CASES, ids=[c[0] for c in CASES]
)
def test_real_samples_round_trip(name, cls, payload, to_canonical, from_canonical, unmapped):
    original = cls.from_api(payload)
    canonical = to_canonical(original, CONFIG)
    assert to_canonical(payload, CONFIG) == canonical
    back = from_canonical(canonical, CONFIG)
    check_round_trip(original, back, unmapped)
    assert {
        k: v for k, v in original.custom.items() if k in {"SLA__c", "CW_Company_Id__c", "CW_Agreement_Id__c"}
    } == {k: v for k, v in back.custom.items() if k in {"SLA__c", "CW_Company_Id__c", "CW_Agreement_Id__c"}}
    again = to_canonical(cls.from_api({**back.to_api(), "Id": original.id}), CONFIG)
    assert (
        attrs.evolve(
            again, updated_at=canonical.updated_at, refs=canonical.refs, **_read_only(name, canonical)
        )
        == canonical
    )


def _read_only(name: str, canonical: Any) -> dict[str, Any]:
    """Canonical fields read from SF values that are read-only there (CaseNumber, IsClosed, CreatedDate ...)."""
    if name.startswith("case"):
        return {f: getattr(canonical, f) for f in ("number", "closed", "opened_at", "closed_at")}
    if name.startswith("opportunity"):
        return {"status": canonical.status}
    if name == "task":
        return {"closed": canonical.closed}
    if name == "contract":
        return {"name": canonical.name}  # read from ContractNumber (auto-number, read-only)
    if name.startswith("lead"):
        return {"converted": canonical.converted, "company": canonical.company}
    return {}


def test_account_external_id_and_owner_mapping():
    row = {
        "attributes": {"type": "Account"},
        "Id": "001dM00003kS2ndQAC",
        "Name": "Contoso Managed Services",
        "CW_Company_Id__c": "19342",
        "SLA__c": "Gold",
        "OwnerId": "005J6000001B3C8IAK",
        "BillingStreet": "312 Constitution Place\nSuite 5\nAustin, TX 78767\nUSA",
    }
    customer = m.account_to_customer(row, CONFIG)
    assert customer.id_for(CONNECTWISE, "company") == "19342"
    assert customer.custom_fields["sla"] == "Gold"
    assert customer.owner is not None and customer.owner.id_for(CONNECTWISE, "member") == "jdoe"
    assert customer.billing_address is not None and customer.billing_address.line4 == "USA"
    account = m.account_from_canonical(customer, CONFIG)
    assert account.custom == {"SLA__c": "Gold", "CW_Company_Id__c": "19342"}
    assert account.billing_street == row["BillingStreet"]
    # a customer that only came from ConnectWise: owner translated through the owners table
    from_cw = attrs.evolve(
        customer,
        refs=[ExternalRef(CONNECTWISE, "company", "19342")],
        owner=Link.to(CONNECTWISE, "member", "asmith"),
    )
    out = m.account_from_canonical(from_cw, CONFIG)
    assert (out.id, out.owner_id) == (None, "005dM00000aYf0qQAC")
    with pytest.raises(MappingError) as info:
        m.account_from_canonical(attrs.evolve(from_cw, owner=Link.to(CONNECTWISE, "member", "ghost")), CONFIG)
    assert (info.value.path, info.value.value) == ("Account.OwnerId", "ghost")


def test_case_status_and_priority_picklists():
    ticket = Ticket(
        summary="VPN down", status="In Progress", priority="Priority 1 - Critical", escalated=True
    )
    case = m.case_from_canonical(ticket, CONFIG)
    assert (case.status, case.priority, case.is_escalated) == (
        "Working",
        "High",
        True,
    )  # many-to-one: reverse wins
    with pytest.raises(MappingError) as info:
        m.case_from_canonical(attrs.evolve(ticket, status="Waiting on client"), CONFIG)
    assert (info.value.path, info.value.value) == ("Case.Status", "Waiting on client")
    with pytest.raises(MappingError) as info:
        m.case_to_ticket({**records("query-cases.truncated")[0], "Status": "On Hold"}, CONFIG)
    assert (info.value.path, info.value.value) == ("Ticket.status", "On Hold")
    linked_elsewhere = attrs.evolve(ticket, customer=Link.to(CONNECTWISE, "company", "250"))
    with pytest.raises(MappingError, match=r"^Case\.AccountId"):
        m.case_from_canonical(linked_elsewhere, CONFIG)


def test_opportunity_stage_status_and_currency():
    won = m.opportunity_to_opportunity(
        {**records("query-opportunities")[2], "StageName": "Closed Won", "IsWon": True, "IsClosed": True},
        CONFIG,
    )
    assert (won.stage, won.status) == ("Won", OpportunityStatus.WON)
    euro = m.opportunity_to_opportunity(
        {**records("query-opportunities")[2], "CurrencyIsoCode": "EUR"}, CONFIG
    )
    assert euro.amount == Money("12000", "EUR")
    assert m.opportunity_from_canonical(euro, CONFIG).custom["CurrencyIsoCode"] == "EUR"
    with pytest.raises(MappingError, match=r"^Opportunity\.CloseDate"):
        m.opportunity_from_canonical(attrs.evolve(euro, close_date=None), CONFIG)
    with pytest.raises(MappingError) as info:
        m.opportunity_to_opportunity(
            {**records("query-opportunities")[2], "StageName": "Negotiation"}, CONFIG
        )
    assert (info.value.path, info.value.value) == ("Opportunity.stage", "Negotiation")


def test_lead_conversion_and_required_fields():
    converted = m.lead_to_contact(
        {
            **records("query-leads-owner-relationship")[0],
            "IsConverted": True,
            "ConvertedContactId": "003dM00001vWOXJQA4",
            "ConvertedAccountId": "001dM00003jU9GxQAK",
            "Status": "Closed - Converted",
        },
        CONFIG,
    )
    assert converted.converted and converted.lead_status == "Closed - Converted"
    assert converted.id_for("salesforce", "Contact") == "003dM00001vWOXJQA4"
    assert (
        converted.company is not None
        and converted.company.id_for("salesforce", "Account") == "001dM00003jU9GxQAK"
    )
    with pytest.raises(MappingError, match=r"^Lead\.Company"):
        m.lead_from_canonical(Contact(last_name="Lee"), CONFIG)
    with pytest.raises(MappingError, match=r"^Contact\.LastName"):
        m.contact_from_canonical(Contact(first_name="Ann"), CONFIG)


def test_contract_terms_and_agreement_link():
    agreement = m.contract_to_agreement(CONTRACT, CONFIG)
    assert agreement.id_for(CONNECTWISE, "agreement") == "771"
    assert (agreement.status, agreement.end_date) == (AgreementStatus.ACTIVE, date(2026, 12, 31))
    derived = m.contract_to_agreement({k: v for k, v in CONTRACT.items() if k != "EndDate"}, CONFIG)
    assert derived.end_date == date(2026, 12, 31)
    cw_agreement = Agreement(
        name="MSP",
        customer=Link.to("salesforce", "Account", "001dM00003jU9GxQAK"),
        currency="USD",
        start_date=date(2026, 1, 15),
        end_date=date(2027, 1, 20),
        refs=[ExternalRef(CONNECTWISE, "agreement", "9")],
        status=AgreementStatus.CANCELLED,
    )
    contract = m.contract_from_canonical(cw_agreement, CONFIG)
    assert (contract.contract_term, contract.status, contract.custom) == (
        13,
        "Draft",
        {"CW_Agreement_Id__c": "9"},
    )
    with pytest.raises(MappingError, match=r"^Contract\.AccountId"):
        m.contract_from_canonical(
            attrs.evolve(cw_agreement, customer=Link.to(CONNECTWISE, "company", "1")), CONFIG
        )


def test_task_polymorphic_links():
    task = m.task_to_task(TASK, CONFIG)
    assert task.who is not None and task.who.ref_for("salesforce") == ExternalRef(
        "salesforce", "Contact", "003dM00001vWOXJQA4"
    )
    assert task.what is not None and task.what.ref_for("salesforce") == ExternalRef(
        "salesforce", "Account", "001dM00003jU9GxQAK"
    )
    assert task.owner is not None and task.owner.id_for(CONNECTWISE, "member") == "asmith"


RANDOM = [
    (m.account_to_customer, records("query-accounts.v60")[1]),
    (m.contact_to_contact, records("query-contacts.truncated")[0]),
    (m.lead_to_contact, records("query-leads-owner-relationship")[0]),
    (m.opportunity_to_opportunity, records("query-opportunities")[2]),
    (m.case_to_ticket, records("query-cases.truncated")[0]),
    (m.task_to_task, TASK),
    (m.contract_to_agreement, CONTRACT),
]


@pytest.mark.parametrize(("fn", "payload"), RANDOM, ids=[f.__name__ for f, _ in RANDOM])
def test_random_payloads_map_or_raise_mapping_error(fn, payload):
    @settings(max_examples=35, deadline=None)
    @given(mutated(payload))
    def run(data):
        maps_or_raises_mapping_error(lambda p: fn(p, CONFIG), data)

    run()


def test_decimal_amounts_stay_decimal():
    opp = m.opportunity_to_opportunity(
        {**records("query-opportunities")[2], "Amount": Decimal("12000.50")}, CONFIG
    )
    assert opp.amount == Money("12000.50", "USD")
    assert isinstance(m.opportunity_from_canonical(opp, CONFIG).amount, Decimal)
