"""The CRM picklists of accounts and companies (use case 19): Salesforce Industry, Type, Rating and
Account/Lead Source in ConnectWise's vocabulary (company market, type, status, lead source), through
the ``industries``, ``account_types``, ``account_ratings`` and ``lead_sources`` tables."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from msplink.errors import MappingError
from msplink.mappers import MappingConfig
from msplink.mappers import connectwise as cwm
from msplink.mappers import salesforce as sfm

CONFIG = MappingConfig.from_dict(
    {
        "industries": {"Healthcare": "Medical", "Construction": "Construction"},
        "account_types": {
            "map": {"Customer - Direct": "Client", "Customer - Channel": "Client", "Prospect": "Prospect"},
            "reverse": {"Client": "Customer - Direct"},
        },
        "account_ratings": {"Hot": "Active", "Cold": "Inactive"},
        "lead_sources": {"Web": "Website", "Partner Referral": "Partner"},
        "connectwise_ids": {
            "markets": {"Medical": "4", "Construction": "5"},
            "company_statuses": {"Active": "1", "Inactive": "2"},
            "company_types": {"Client": "1", "Prospect": "2"},
        },
    }
)

ACCOUNT: dict[str, Any] = {
    "attributes": {"type": "Account"},
    "Id": "001SB0000000005YAA",
    "Name": "Pioneer Electric",
    "Industry": "Healthcare",
    "Type": "Customer - Channel",
    "Rating": "Hot",
    "AccountSource": "Web",
}

COMPANY: dict[str, Any] = {
    "id": 2,
    "identifier": "PioneerElectric",
    "name": "Pioneer Electric",
    "market": {"id": 4, "name": "Medical"},
    "types": [{"id": 1, "name": "Client"}],
    "status": {"id": 1, "name": "Active"},
    "leadSource": "Website",
}


def test_an_account_reads_its_picklists_in_connectwise_vocabulary_and_writes_them_back() -> None:
    customer = sfm.account_to_customer(ACCOUNT, CONFIG)
    assert (customer.industry, customer.customer_type, customer.rating, customer.lead_source) == (
        "Medical",
        "Client",
        "Active",
        "Website",
    )
    account = sfm.account_from_canonical(customer, CONFIG)
    # many-to-one: the reverse entry says which Salesforce type "Client" goes back as
    assert (account.industry, account.type, account.rating, account.account_source) == (
        "Healthcare",
        "Customer - Direct",
        "Hot",
        "Web",
    )


def test_a_company_and_its_account_agree_once_mapped() -> None:
    company = cwm.company_to_customer(COMPANY, CONFIG)
    customer = sfm.account_to_customer(ACCOUNT, CONFIG)
    picked = ("industry", "customer_type", "rating", "lead_source")
    assert {f: getattr(company, f) for f in picked} == {f: getattr(customer, f) for f in picked}
    wire = cwm.company_from_canonical(customer, CONFIG).to_api()
    assert (wire["market"], wire["status"], wire["leadSource"], wire["types"]) == (
        {"id": 4, "name": "Medical"},
        {"id": 1, "name": "Active"},
        "Website",
        [{"id": 1, "name": "Client"}],
    )


def test_empty_tables_pass_names_unchanged_and_leave_statuses_out() -> None:
    empty = MappingConfig()
    customer = sfm.account_to_customer(ACCOUNT, empty)
    assert (customer.industry, customer.customer_type, customer.rating, customer.lead_source) == (
        "Healthcare",
        "Customer - Channel",
        "Hot",
        "Web",
    )
    company = cwm.company_to_customer(COMPANY, empty)
    assert (company.industry, company.rating, company.lead_source) == ("Medical", None, "Website")
    assert "status" not in cwm.company_from_canonical(customer, empty).to_api()


@pytest.mark.parametrize(
    ("field", "value", "path"),
    [
        ("Industry", "Banking", "Customer.industry"),
        ("Type", "Partner", "Customer.customer_type"),
        ("Rating", "Warm", "Customer.rating"),
        ("AccountSource", "Other", "Customer.lead_source"),
    ],
)
def test_a_value_a_configured_table_does_not_map_is_a_mapping_error(
    field: str, value: str, path: str
) -> None:
    with pytest.raises(MappingError) as caught:
        sfm.account_to_customer({**ACCOUNT, field: value}, CONFIG)
    assert (caught.value.path, caught.value.value) == (path, value)


def test_contacts_and_leads_translate_their_lead_source() -> None:
    contact = sfm.contact_to_contact(
        {"Id": "003SB0000000006YAA", "LastName": "Okafor", "LeadSource": "Web"}, CONFIG
    )
    assert contact.lead_source == "Website"
    assert sfm.contact_from_canonical(contact, CONFIG).lead_source == "Web"
    lead = sfm.lead_to_contact(
        {"Id": "00QSB000000001o2AA", "LastName": "Khan", "Company": "Acme", "LeadSource": "Partner Referral"},
        CONFIG,
    )
    assert lead.lead_source == "Partner"
    assert sfm.lead_from_canonical(lead, CONFIG).lead_source == "Partner Referral"


_NAMES = st.text(
    alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz -/", min_size=1, max_size=20
).filter(lambda s: s.strip() == s and s.strip() != "")


@given(st.dictionaries(_NAMES, _NAMES, min_size=1, max_size=8), st.data())
def test_every_value_of_a_one_to_one_table_survives_the_round_trip(table: dict[str, str], data: Any) -> None:
    """Salesforce -> canonical -> Salesforce gives the value back whenever the table is one-to-one
    (by normalised name, as lookups go); otherwise the inverse asks for a reverse entry."""
    config = MappingConfig.from_dict({"industries": table})
    sf_value = data.draw(st.sampled_from(sorted(table)))
    customer = sfm.account_to_customer({**ACCOUNT, "Industry": sf_value}, config)
    assert customer.industry == config.industries.find(sf_value)
    lefts = config.industries.candidates(customer.industry or "")
    if len(lefts) == 1:
        back = sfm.account_from_canonical(customer, config)
        assert config.industries.find(back.industry or "") == customer.industry
    else:
        with pytest.raises(MappingError, match="reverse"):
            sfm.account_from_canonical(customer, config)
