"""The Salesforce adapter sends the config's custom fields in sparse updates (the ``Mapper.writes``
contract: "Salesforce custom fields named in the MappingConfig come on top"), not only the mapper's
own writes: a lead's ``CW_Contact_Id__c`` reaches Salesforce."""

from __future__ import annotations

import attrs

from msplink.mappers import MappingConfig, find_mapper
from msplink.models import Contact, ExternalRef
from msplink.sandbox import seed_world
from msplink.sync import Action, LookupRequest, WriteOp
from msplink.sync.adapters import SalesforceAdapter


def test_an_update_of_a_configured_custom_field_is_sent() -> None:
    world = seed_world(4, seed=3)
    custom = {"record": "Contact", "name": "cw_contact_id", "salesforce": "CW_Contact_Id__c"}
    config = MappingConfig.from_dict({**world.config.to_dict(), "custom_fields": [custom]})
    row = find_mapper("salesforce", "Lead", Contact)
    with world.clients() as c:
        adapter = SalesforceAdapter(c.sf, row, config=config)
        lead_id = c.sf.query("SELECT Id FROM Lead LIMIT 1").to_list()[0]["Id"]
        [current] = adapter.lookup(LookupRequest(ids=[lead_id]))
        canonical = row.inbound(current.data, config)
        assert canonical.custom_fields == {"cw_contact_id": None}
        desired = attrs.evolve(canonical, custom_fields={"cw_contact_id": "68"})
        world.sf.clear_log()
        [result] = adapter.write(
            [
                WriteOp(
                    action=Action.UPDATE,
                    key="k1",
                    source=ExternalRef("connectwise", "contact", "68"),
                    target_id=lead_id,
                    version=current.version,
                    payload=row.outbound(desired, config),
                    record=desired,
                )
            ]
        )
        assert result.ok
        assert [(r.method, r.path) for r in world.sf.requests] == [
            ("PATCH", "/services/data/v62.0/composite/sobjects")
        ]
        [row_after] = c.sf.query(f"SELECT CW_Contact_Id__c FROM Lead WHERE Id = '{lead_id}'").to_list()
        assert row_after["CW_Contact_Id__c"] == "68"
