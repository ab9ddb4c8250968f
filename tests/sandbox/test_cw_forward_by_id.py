"""CW sandbox: a forward-only page whose condition names ids walks only those ids (issue 18: each
30-id look-up of a sync walked every record of the table), with the scan's answer."""

from __future__ import annotations

from msplink.connectwise import ConnectWiseClient
from msplink.connectwise import conditions as c
from msplink.sandbox import seed_world


def test_a_page_of_named_ids_answers_as_a_scan_would() -> None:
    world = seed_world(40, seed=4)
    with ConnectWiseClient(**world.cw.credentials(), transport=world.cw.transport()) as client:
        everything = [int(x.id or 0) for x in client.companies.list()]
        chosen = [everything[9], everything[3], everything[20]]
        named = [x.id for x in client.companies.list(where=c.F("id").in_([*chosen, 999_999]))]
        assert named == sorted(chosen)
        one = [x.id for x in client.companies.list(where=c.F("id") == chosen[0])]
        assert one == [chosen[0]]
        both = (c.F("id").in_(chosen)) & (c.F("name") == "no such company")
        assert [x.id for x in client.companies.list(where=both)] == []
        paged = [x.id for x in client.companies.list(where=c.F("id").in_(everything[:7]), page_size=2)]
        assert paged == sorted(everything[:7])
