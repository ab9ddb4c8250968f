"""A source whose ``fetch`` returns more records than asked for (records that fan out of one vendor
record): retrying one dead letter plans the whole family, so nothing of it is left behind."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from msplink.sync import RemoteRecord, StateStore, run
from tests.sync._world import START, MemoryAdapter, MemorySystem
from tests.sync.conftest import World


class Family(MemoryAdapter):
    """Records whose ids share a prefix before ``/`` belong together: fetching one brings them all."""

    def fetch(self, ids: Sequence[str]) -> list[RemoteRecord]:
        families = {i.split("/")[0] for i in ids}
        self._call("fetch")
        return [
            self._remote(r) for rid, r in sorted(self.memory.records.items()) if rid.split("/")[0] in families
        ]


def test_retrying_one_dead_letter_plans_the_records_that_come_with_it(
    world: World, store: StateStore
) -> None:
    a: MemorySystem = world.a
    for family_id, name, email in (("p1/1", "Alpha One", "one"), ("p1/2", "!Alpha Two", "two")):
        record = a.records.pop(a.add(name=name, email=f"{email}@alpha.example"))
        a.records[family_id] = {**record, "Id": family_id}  # "!" names cannot be mapped
    flow = world.forward(source=Family(a, integration_user="msplink"))
    report = run(flow, state=store)
    assert report.outcome_counts["created"] == 1 and report.outcome_counts["failed"] == 1
    [letter] = store.dead_letters()
    assert letter.source.id == "p1/2"

    # the family changes: the bad record is fixed and a third one appears (with a change time the
    # next read does not reach), so only the retry can find it
    a.records["p1/2"]["Name"] = "Alpha Two"
    a.records["p1/3"] = {**a.records["p1/1"], "Id": "p1/3", "Name": "Alpha Three", "Email": "three@alpha.ex"}
    a.records["p1/3"]["Updated"] = START - timedelta(days=1)
    retried = run(flow, state=store, retry_dead_letters=True)

    assert store.dead_letters() == []
    assert {(o.source.id, o.status) for o in retried.outcomes if o.status != "skipped"} == {
        ("p1/2", "created"),
        ("p1/3", "created"),
    }
    assert sorted(r["Name"] for r in world.b.records.values()) == ["Alpha One", "Alpha Three", "Alpha Two"]
