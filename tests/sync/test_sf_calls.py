"""Salesforce adapter reads at the platform minimum (issue 18): no ``describe`` unless the org lacks a field.

REFERENCE (salesforce) §4: a SOQL statement naming a column the object lacks is refused with 400
``INVALID_FIELD`` ("No such column 'X' on entity 'Y'"); the adapter asks for its field list as it is
and describes the object only then, so an org that has every field pays for no ``describe`` call.
"""

from __future__ import annotations

import asyncio

import pytest

from msplink.errors import ConfigurationError
from msplink.mappers import CustomFieldMapping, MappingConfig, find_mapper
from msplink.models import Contact, Customer
from msplink.sandbox import World, seed_world
from msplink.sync.adapters import AsyncSalesforceAdapter, SalesforceAdapter
from msplink.sync.recipes._crm import with_custom_fields
from tests.sync._recipes import request_counts

ACCOUNT = find_mapper("salesforce", "Account", Customer)
CONTACT = find_mapper("salesforce", "Contact", Contact)

CONTACTS = 60
"""Contacts of the small world (every one read in one page)."""


@pytest.fixture
def world() -> World:
    return seed_world("small", seed=1)


def _with_missing_field(world: World) -> MappingConfig:
    missing = CustomFieldMapping(record="Contact", name="tier", salesforce="Tier__c")
    return with_custom_fields(world.config, [missing])


def test_an_org_with_every_field_is_read_without_describe(world: World) -> None:
    with world.clients() as c:
        adapter = SalesforceAdapter(c.sf, CONTACT, config=world.config, now=world.clock.now)
        world.sf.clear_log()
        page = adapter.read_changes(None, None)
        found = adapter.fetch([page.records[0].id, page.records[1].id])
    assert request_counts(world.sf) == {"GET queryAll": 2}
    assert len(page.records) == CONTACTS and len(found) == 2


def test_a_field_an_org_has_by_feature_is_described_once_per_client(world: World) -> None:
    with world.clients() as c:
        world.sf.clear_log()
        first = SalesforceAdapter(c.sf, ACCOUNT, config=world.config, now=world.clock.now)
        second = SalesforceAdapter(c.sf, ACCOUNT, config=world.config, now=world.clock.now)
        assert "CurrencyIsoCode" in first.fields  # multi-currency only: this org has none
        pages = [first.read_changes(None, None), second.read_changes(None, None)]
    assert request_counts(world.sf) == {"GET describe": 1, "GET queryAll": 2}  # no refused statement
    assert world.sf.count(status=400) == 0
    assert "CurrencyIsoCode" not in first.fields and first.fields == second.fields
    assert [len(p.records) for p in pages] == [27, 27]


def test_an_org_without_a_field_is_described_once_and_the_read_sent_again(world: World) -> None:
    config = _with_missing_field(world)
    with world.clients() as c:
        adapter = SalesforceAdapter(c.sf, CONTACT, config=config, now=world.clock.now)
        assert "Tier__c" in adapter.fields
        world.sf.clear_log()
        first = adapter.read_changes(None, None)
        assert request_counts(world.sf) == {"GET queryAll": 2, "GET describe": 1}
        assert world.sf.count(status=400) == 1  # the refused statement, answered INVALID_FIELD
        world.sf.clear_log()
        again = adapter.read_changes(None, None)
        found = adapter.fetch([first.records[0].id])
    assert request_counts(world.sf) == {"GET queryAll": 2}  # described once: the list stays cut
    assert "Tier__c" not in adapter.fields and "Email" in adapter.fields
    assert len(first.records) == len(again.records) == CONTACTS and len(found) == 1


def test_the_async_adapter_describes_only_on_a_refused_field(world: World) -> None:
    config = _with_missing_field(world)

    async def read() -> int:
        async with world.aclients() as a:
            adapter = AsyncSalesforceAdapter(a.sf, CONTACT, config=config, now=world.clock.now)
            world.sf.clear_log()
            return len((await adapter.read_changes(None, None)).records)

    assert asyncio.run(read()) == CONTACTS
    assert request_counts(world.sf) == {"GET queryAll": 2, "GET describe": 1}


def test_a_missing_external_id_field_is_still_a_configuration_error(world: World) -> None:
    with world.clients() as c:
        adapter = SalesforceAdapter(
            c.sf, CONTACT, config=world.config, now=world.clock.now, external_id_field="Nope__c"
        )
        world.sf.clear_log()
        with pytest.raises(ConfigurationError, match="Nope__c"):
            adapter.read_changes(None, None)
    assert request_counts(world.sf) == {"GET queryAll": 1, "GET describe": 1}
