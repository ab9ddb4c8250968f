"""Salesforce adapter reads at the platform minimum (issue 18): no ``describe`` unless the org lacks a field.

REFERENCE (salesforce) §4: a SOQL statement naming a column the object lacks is refused with 400
``INVALID_FIELD`` ("No such column 'X' on entity 'Y'"); the adapter asks for its field list as it is
and describes the object only then, so an org that has every field pays for no ``describe`` call.
"""

from __future__ import annotations

import asyncio
import pickle
import tracemalloc
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from msplink.errors import ConfigurationError
from msplink.mappers import CustomFieldMapping, MappingConfig, find_mapper
from msplink.models import Contact, Customer, ExternalRef, Ticket
from msplink.salesforce import models as sf
from msplink.sandbox import World, WorldClients, seed_world
from msplink.sync import Action, LookupRequest, WriteOp
from msplink.sync.adapters import AsyncSalesforceAdapter, SalesforceAdapter, SharedReads
from msplink.sync.adapters._sf_reads import _position
from msplink.sync.adapters.salesforce import URI_MAX
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


def test_a_field_refused_inside_a_composite_look_up_is_described_and_the_look_up_sent_again(
    world: World,
) -> None:
    config = _with_missing_field(world)
    with world.clients() as c:
        real = [str(r.id) for r in c.sf.contacts.query("SELECT Id FROM Contact").to_list()]
        adapter = SalesforceAdapter(c.sf, CONTACT, config=config, now=world.clock.now)
        world.sf.clear_log()
        found = adapter.fetch([*(f"003SB{n:010d}AAA" for n in range(1500)), *real])
    # the composite's subrequest answered INVALID_FIELD (the composite itself is 200): describe, resend
    assert request_counts(world.sf) == {"POST composite": 2, "GET describe": 1}
    assert "Tier__c" not in adapter.fields
    assert sorted(r.id for r in found) == sorted(real) and len(real) == CONTACTS


def test_the_async_adapter_describes_only_on_a_refused_field(world: World) -> None:
    config = _with_missing_field(world)

    async def read() -> int:
        async with world.aclients() as a:
            adapter = AsyncSalesforceAdapter(a.sf, CONTACT, config=config, now=world.clock.now)
            world.sf.clear_log()
            return len((await adapter.read_changes(None, None)).records)

    assert asyncio.run(read()) == CONTACTS
    assert request_counts(world.sf) == {"GET queryAll": 2, "GET describe": 1}


@pytest.mark.parametrize("option", ["batch_size", "bulk_threshold", "plan_records"])
def test_batch_threshold_and_plan_records_below_one_are_refused(world: World, option: str) -> None:
    options: dict[str, Any] = {option: 0}
    with world.clients() as c, pytest.raises(ConfigurationError, match="plan_records must be at least 1"):
        SalesforceAdapter(c.sf, ACCOUNT, config=world.config, **options)


def test_a_missing_external_id_field_is_still_a_configuration_error(world: World) -> None:
    with world.clients() as c:
        adapter = SalesforceAdapter(
            c.sf, CONTACT, config=world.config, now=world.clock.now, external_id_field="Nope__c"
        )
        world.sf.clear_log()
        with pytest.raises(ConfigurationError, match="Nope__c"):
            adapter.read_changes(None, None)
    assert request_counts(world.sf) == {"GET queryAll": 1, "GET describe": 1}


# ------------------------------------------------------------------------------- shared reads


def _rows(flags: list[tuple[bool, int]]) -> list[sf.Account]:
    """Accounts as a keyset read returns them: stamps in order (step 0: rows sharing a stamp,
    ordered by Id), some deleted, each with a parent field."""
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    stamp, rows = start, []
    for n, (deleted, step) in enumerate(flags):
        stamp += timedelta(seconds=step)
        raw = {
            "Id": f"001{n:015d}",
            "SystemModstamp": stamp.isoformat().replace("+00:00", ".000+0000"),
            "IsDeleted": deleted,
            "AccountId": str(n % 3),
            "AnnualRevenue": Decimal(f"{n}.50"),
        }
        rows.append(sf.Account.from_api(raw))
    return rows


@given(
    flags=st.lists(st.tuples(st.booleans(), st.integers(0, 2)), max_size=40),
    page=st.integers(1, 7),
    source_page=st.integers(1, 9),
    deleted=st.booleans(),
)
def test_a_complete_table_pages_as_the_keyset_read_would(
    flags: list[tuple[bool, int]], page: int, source_page: int, deleted: bool
) -> None:
    rows = _rows(flags)
    shared = SharedReads()
    after = None
    for start in range(0, max(len(rows), 1), source_page):  # fed as a /queryAll keyset read pages it
        chunk = rows[start : start + source_page]
        end = None if start + source_page >= len(rows) else _position(chunk[-1])
        shared.feed_table("Account", after, chunk, end, deleted=True)
        after = end
    pages, position = [], None
    while True:
        answer = shared.table_page("Account", position, deleted, page)
        assert answer is not None
        items, position = answer
        pages.append(items)
        if position is None:
            break
    wanted = [r for r in rows if deleted or not r.is_deleted]
    assert [r for p in pages for r in p] == wanted
    assert [r.raw for p in pages for r in p] == [r.raw for r in wanted]  # kept on disk, built again
    assert all(len(p) == page for p in pages[:-1]) and len(pages[-1]) <= page
    live = {r.id for r in rows if not r.is_deleted}
    assert {
        r.id for r in (shared.table_rows("Account", "Id", [str(r.id) for r in rows], False) or ([], []))[0]
    } == live
    parents = {r.id for r in rows if r["AccountId"] == "1" and (deleted or not r.is_deleted)}
    assert {
        r.id for r in (shared.table_rows("Account", "AccountId", ["1"], deleted) or ([], []))[0]
    } == parents


def test_records_past_the_old_in_memory_cap_are_held_on_disk_and_answered() -> None:
    """25,000 accounts (past the 20,000 SharedReads once kept in memory): every page and look-up is
    answered, each record equal to the one fed (payload included), and the Python heap holds a small
    part of what the models take (the rest is in the run's temporary database)."""
    rows = _rows([(n % 50 == 0, n % 2) for n in range(25_000)])
    tracemalloc.start()
    try:
        shared = SharedReads()
        before = tracemalloc.get_traced_memory()[0]
        for start in range(0, len(rows), 2000):  # fed as a /queryAll keyset read pages it
            chunk = rows[start : start + 2000]
            after = _position(rows[start - 1]) if start else None
            end = _position(chunk[-1]) if start + 2000 < len(rows) else None
            shared.feed_table("Account", after, chunk, end, deleted=True)
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    models = sum(len(pickle.dumps(r)) for r in rows)  # a lower bound of what the models take
    assert held < models / 10, (held, models)
    pages, position = [], None
    while True:
        answer = shared.table_page("Account", position, False, 2000)
        assert answer is not None
        items, position = answer
        pages.extend(items)
        if position is None:
            break
    live = [r for r in rows if not r.is_deleted]
    assert pages == live and [r.raw for r in pages] == [r.raw for r in live]
    found, rest = shared.table_rows("Account", "AccountId", ["2"], deleted=True) or ([], ["?"])
    assert rest == [] and found == [r for r in rows if r["AccountId"] == "2"]
    found, _ = shared.table_rows("Account", "Id", [str(rows[-1].id), "001nope"], deleted=False) or ([], [])
    assert found == [rows[-1]]
    # a relationship's field is not the rows' own: Salesforce answers it, never an empty table look-up
    assert not shared.answers("Account", "Parent.Name") and shared.answers("Account", "AccountId")
    assert shared.table_rows("Account", "Parent.Name", ["x"], False) is None


def test_what_a_run_writes_after_a_table_is_kept_stale_on_disk() -> None:
    """A table keeps the ids and external-id values of every record the run writes after its read,
    so that a look-up of one goes to Salesforce; 20,000 written cases keep them in the run's
    database, not on the heap (two Python sets of them took 6.7 MiB), and every one is still
    answered as stale."""
    field = "CW_Ticket_Id__c"
    shared = SharedReads()
    assert shared.feed_scoped("Case", field, [], shared.epoch, first=True, last=False)
    assert not shared.feed_scoped("Case", field, [], shared.epoch, first=False, last=True)
    ids = [f"500Dn{n:013d}" for n in range(20_000)]
    records = [{"CW_Ticket_Id__c": str(100_000 + n), "Subject": f"Ticket {n}"} for n in range(20_000)]
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for start in range(0, len(ids), 1000):  # a write of 1,000 cases at a time
            shared.forget("Case", ids=ids[start : start + 1000], records=records[start : start + 1000])
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert grown < 512 * 1024, grown
    asked = [str(100_000 + n) for n in range(0, 20_000, 7)] + ["1"]
    found, rest = shared.table_rows("Case", field, asked, False) or ([], [])
    assert found == [] and rest == sorted(asked[:-1])  # "1": answered from the table (no such case)
    assert shared.table_rows("Case", "Id", [ids[5]], False) is None  # a keyed table answers its field only


def test_a_table_with_a_gap_or_over_the_limit_answers_nothing() -> None:
    rows = _rows([(False, 1)] * 6)
    gap = SharedReads()
    gap.feed_table("Account", None, rows[:2], _position(rows[1]), deleted=True)
    gap.feed_table("Account", _position(rows[3]), rows[4:], None, deleted=True)  # page 2 never came
    assert gap.table_page("Account", None, True, 10) is None
    small = SharedReads(max_rows=5)
    small.feed_table("Account", None, rows, None, deleted=True)
    assert small.table_page("Account", None, True, 10) is None
    live = SharedReads()
    live.feed_table("Account", None, rows, None, deleted=False)  # a /query table: no tombstones
    assert live.table_page("Account", None, True, 10) is None
    assert live.table_page("Account", None, False, 10) == (rows, None)


def test_a_write_forgets_its_object_and_those_reaching_it(world: World) -> None:
    with world.clients() as c:
        shared = SharedReads()
        accounts = SalesforceAdapter(c.sf, ACCOUNT, config=world.config, now=world.clock.now, shared=shared)
        contacts = SalesforceAdapter(c.sf, CONTACT, config=world.config, now=world.clock.now, shared=shared)
        twin = SalesforceAdapter(c.sf, CONTACT, config=world.config, now=world.clock.now, shared=shared)
        read = accounts.read_changes(None, None), contacts.read_changes(None, None)
        world.sf.clear_log()
        again = accounts.read_changes(None, None), twin.read_changes(None, None)
        assert request_counts(world.sf) == {}  # both answered by the tables the first reads left
        assert [len(p.records) for p in again] == [len(p.records) for p in read] == [27, CONTACTS]
        first = read[0].records[0]
        op = WriteOp(
            key="k", action=Action.UPDATE, source=ExternalRef("connectwise", "company", "1"),
            target_id=first.id, payload={"Phone": "555-0100"}, version=first.version,
        )  # fmt: skip
        [result] = accounts.write([op])
        assert result.ok
        world.sf.clear_log()
        accounts.read_changes(None, None), twin.read_changes(None, None)
    # Contact rows carry Account.Name: the account write made both stale, both are read again
    assert request_counts(world.sf) == {"GET queryAll": 2}
    assert shared.served == 2


# ------------------------------------------------------------------------------- IN lists


def _uri(path: str, query: str) -> str:
    """The request URI as sent (the sandbox logs the query string decoded)."""
    return f"{path}?{urlencode(parse_qsl(query))}"


def test_look_ups_longer_than_one_get_go_five_statements_to_a_composite_call(world: World) -> None:
    """A look-up that fits one ``GET /query`` URI is one; a longer one goes in ``POST /composite``
    subrequests of up to 2,000 values each (a statement may be 100,000 characters there), five to a
    call: 1,560 ids are one call where GETs of 12,000 URI bytes took four."""
    fake = [f"003SB{n:010d}AAA" for n in range(12_000)]  # 18 characters, none of them there
    short = [str(n) for n in range(700)]  # ConnectWise ids in CW_Contact_Id__c (about 14 bytes each)
    with world.clients() as c:
        adapter = SalesforceAdapter(
            c.sf, CONTACT, config=world.config, now=world.clock.now, external_id_field="CW_Contact_Id__c"
        )
        real = [r.id for r in adapter.read_changes(None, None).records]
        world.sf.clear_log()
        found = adapter.fetch([*fake[:1500], *real])
        one = request_counts(world.sf)
        world.sf.clear_log()
        assert adapter.fetch(fake) == []
        six = request_counts(world.sf)
        world.sf.clear_log()
        adapter.lookup(LookupRequest(keys={"external_id:refs.connectwise": short}))
        by_external = [_uri(r.path, r.query) for r in world.sf.requests if r.path.endswith("/query")]
    assert sorted(r.id for r in found) == sorted(real) and len(real) == CONTACTS
    assert one == {"POST composite": 1}  # 1,560 ids: one statement
    assert six == {"POST composite": 2}  # six statements of 2,000: five, then one
    assert len(by_external) == 1 and len(by_external[0]) <= URI_MAX - 2048  # fits one GET


def test_an_id_look_up_and_an_external_id_look_up_share_one_composite_call(world: World) -> None:
    with world.clients() as c:
        adapter = SalesforceAdapter(
            c.sf, CONTACT, config=world.config, now=world.clock.now, external_id_field="CW_Contact_Id__c"
        )
        rows = c.sf.contacts.query("SELECT Id, CW_Contact_Id__c FROM Contact").to_list()
        ids = [str(r.id) for r in rows[:5]]
        externals = [
            "9001",
            *(str(r.raw["CW_Contact_Id__c"]) for r in rows[5:8] if r.raw.get("CW_Contact_Id__c")),
        ]
        world.sf.clear_log()
        found = adapter.lookup(LookupRequest(ids=ids, keys={"external_id:refs.connectwise": externals}))
    assert request_counts(world.sf) == {"POST composite": 1}  # was a GET for each
    assert {r.id for r in found} >= set(ids)
    assert {str(r.data.raw.get("CW_Contact_Id__c")) for r in found} >= set(externals[1:])


# ------------------------------------------------------------------ scoped tables, stale values

CASE = find_mapper("salesforce", "Case", Ticket)
TICKET_KEYS = "external_id:refs.connectwise.ticket"


def _case_adapter(c: WorldClients, world: World, shared: SharedReads | None) -> SalesforceAdapter:
    return SalesforceAdapter(
        c.sf,
        CASE,
        config=world.config,
        now=world.clock.now,
        external_id_field="CW_Ticket_Id__c",
        shared=shared,
    )


def _many(extra: list[str] = []) -> list[str]:  # noqa: B006 - read only
    """Ticket ids for a look-up too long for one statement (the seeded cases hold 22, 23 and 24)."""
    return [str(n) for n in range(1, 3_001)] + extra


def _create(key: str, ticket: str, account: str) -> WriteOp:
    payload = {"Subject": f"Ticket {ticket}", "AccountId": account}
    source = ExternalRef("connectwise", "ticket", ticket)
    return WriteOp(
        key=key, action=Action.CREATE, source=source, target_id=None, payload=payload, version=None
    )


def _found(adapter: SalesforceAdapter, tickets: list[str]) -> set[tuple[str, str]]:
    records = adapter.lookup(LookupRequest(keys={TICKET_KEYS: tickets}))
    return {(r.id, str(r.data.raw.get("CW_Ticket_Id__c"))) for r in records}


def test_a_long_external_id_look_up_reads_the_keyed_rows_once_and_answers_the_next(world: World) -> None:
    with world.clients() as c:
        plain, shared = _case_adapter(c, world, None), _case_adapter(c, world, SharedReads())
        expected = _found(plain, _many())
        world.sf.clear_log()
        first = _found(shared, _many())
        assert request_counts(world.sf) == {"GET query": 1}  # WHERE CW_Ticket_Id__c != null: one page
        world.sf.clear_log()
        second = _found(shared, _many()[1000:])
    assert request_counts(world.sf) == {}
    assert first == expected and len(first) == 3
    assert second == {f for f in expected if int(f[1]) > 1000}


def test_a_long_external_id_look_up_the_full_table_answers_reads_nothing(world: World) -> None:
    """A run that read every row of the object (a source's first read) answers a look-up by the
    external id from that table: no keyed ``WHERE CW_Ticket_Id__c != null`` read, no ``IN`` list,
    also after a write (its sent values are stale: only they go to Salesforce)."""
    with world.clients() as c:
        expected = _found(_case_adapter(c, world, None), _many())
        shared = _case_adapter(c, world, SharedReads())
        page = shared.read_changes(None, None)
        assert page.next_token is None  # the whole table in one /queryAll page
        world.sf.clear_log()
        assert _found(shared, _many()) == expected
        assert request_counts(world.sf) == {}
        account = str(c.sf.accounts.query("SELECT Id FROM Account LIMIT 1").to_list()[0].id)
        [result] = shared.write([_create("k", "9001", account)])
        world.sf.clear_log()
        after = _found(shared, _many(["9001"]))
    assert request_counts(world.sf) == {"GET query": 1}  # CW_Ticket_Id__c IN ('9001') only
    assert after == expected | {(str(result.id), "9001")}


def test_a_table_counts_each_record_once_and_answers_by_external_id_after_a_first_write(
    world: World,
) -> None:
    """A keyset page is kept as a statement and as table rows: the same records, held once
    (``max_rows`` of 3 cases fits a 3-case table). The members' external-id field is answered from
    the table from its first write on, even when no look-up asked by it before that write."""
    with world.clients() as c:
        expected = _found(_case_adapter(c, world, None), _many())
        shared = _case_adapter(c, world, SharedReads(max_rows=len(expected)))
        assert shared.read_changes(None, None).next_token is None  # the table: every case
        account = str(c.sf.accounts.query("SELECT Id FROM Account LIMIT 1").to_list()[0].id)
        [result] = shared.write([_create("k", "9001", account)])
        world.sf.clear_log()
        after = _found(shared, _many())
        assert request_counts(world.sf) == {}  # no value of these was written
        found = _found(shared, ["9001"])
    assert request_counts(world.sf) == {"GET query": 1}  # the value the write sent goes to Salesforce
    assert after == expected and found == {(str(result.id), "9001")}


def test_values_a_write_sent_are_read_again_and_the_rest_answered(world: World) -> None:
    with world.clients() as c:
        shared = _case_adapter(c, world, SharedReads())
        before = _found(shared, _many())
        account = str(c.sf.accounts.query("SELECT Id FROM Account LIMIT 1").to_list()[0].id)
        [result] = shared.write([_create("k", "9001", account)])
        assert result.ok
        world.sf.clear_log()
        after = _found(shared, _many(["9001"]))
        assert request_counts(world.sf) == {"GET query": 1}  # CW_Ticket_Id__c IN ('9001') only
        world.sf.clear_log()
        fresh = _found(_case_adapter(c, world, None), _many(["9001"]))
    assert after == fresh == before | {(str(result.id), "9001")}


def _calls(world: World, adapter: SalesforceAdapter, tickets: list[str]) -> tuple[set[tuple[str, str]], int]:
    world.sf.clear_log()
    found = _found(adapter, tickets)
    return found, sum(request_counts(world.sf).values())  # GET query, POST composite


def _keyed_cases(c: WorldClients, world: World, count: int) -> None:
    """``count`` more cases with a ticket id (9001 on), written without shared reads."""
    account = str(c.sf.accounts.query("SELECT Id FROM Account LIMIT 1").to_list()[0].id)
    ops = [_create(f"k{n}", str(9001 + n), account) for n in range(count)]
    assert all(r.ok for r in _case_adapter(c, world, None).write(ops))


def test_a_keyed_read_the_first_page_holds_whole_is_one_call(world: World) -> None:
    """The first page of ``WHERE CW_Ticket_Id__c != null`` has no ``LIMIT``: its 200-row batch holds
    the three seeded cases however small the adapter's pages, and that one call is the table."""
    with world.clients() as c:
        shared = _case_adapter(c, world, SharedReads())
        shared.page_size = 2
        first, tried = _calls(world, shared, _many())
        again, later = _calls(world, shared, _many()[1:])
        expected = _found(_case_adapter(c, world, None), _many())
    assert (tried, later) == (1, 0)
    assert first == again == expected and len(first) == 3


@pytest.mark.parametrize(
    ("keyed", "per_look_up"),
    [
        # 203 keyed rows, pages of 200: the first page (no LIMIT) counts them; the one page left
        # costs no more than this look-up's IN lists (one POST /composite): read, and the table answers
        (200, [2, 0, 0]),
        # 603 rows: three pages left, dearer than one look-up: IN lists (one call each) while the
        # four pages of the table cost more than the look-ups so far and this one; at the fourth
        # look-up they cost no more (3 + 1): the table is read whole and answers the rest
        (600, [2, 1, 1, 4, 0, 0]),
    ],
)
def test_a_keyed_table_is_read_once_the_look_ups_have_paid_for_it(
    world: World, keyed: int, per_look_up: list[int]
) -> None:
    with world.clients() as c:
        _keyed_cases(c, world, keyed)
        shared = _case_adapter(c, world, SharedReads())
        shared.page_size = 200
        plain = _case_adapter(c, world, None)
        made = []
        for n in range(len(per_look_up)):
            asked = _many([str(9001 + k) for k in range(n, keyed, 3)])
            found, calls = _calls(world, shared, asked)
            made.append(calls)
            assert found == _found(plain, asked)
            assert len(found) == 3 + len(range(n, keyed, 3))
    assert made == per_look_up


def test_a_keyed_table_read_across_a_write_is_not_kept() -> None:
    """A run's write between the first and the last page of a keyed read (an async flow's) may have
    changed rows already read: the read answers its own look-up but is no table for the next."""
    field = "CW_Ticket_Id__c"
    shared = SharedReads()
    epoch = shared.epoch
    assert shared.scope("Case", field) is not None
    assert shared.feed_scoped("Case", field, [], epoch, first=True, last=False)  # building
    shared.forget("Case", ids=["500000000000001AAA"], records=[])
    assert not shared.feed_scoped("Case", field, [], epoch, first=False, last=True)
    assert not shared.answers("Case", field)
    assert not shared.feed_scoped("Case", field, [], shared.epoch, first=False, last=True)  # no first page
    assert not shared.answers("Case", field)
    assert shared.feed_scoped("Case", field, [], shared.epoch, first=True, last=False)
    assert not shared.feed_scoped("Case", field, [], shared.epoch, first=False, last=True)  # done
    assert shared.answers("Case", field) and shared.scope("Case", field) is None


@given(
    keys=st.lists(st.sampled_from(["22", "23", "24", "25", "9001"]), max_size=5),
    written=st.lists(st.sampled_from(["22", "25", "9001"]), max_size=3, unique=True),
)
def test_stale_tracking_answers_as_salesforce_does(keys: list[str], written: list[str]) -> None:
    world = seed_world("small", seed=1)
    with world.clients() as c:
        shared = _case_adapter(c, world, SharedReads())
        _found(shared, _many())  # the keyed table
        account = str(c.sf.accounts.query("SELECT Id FROM Account LIMIT 1").to_list()[0].id)
        ops = [_create(f"k{n}", t, account) for n, t in enumerate(written)]
        assert all(r.ok for r in shared.write(ops))
        asked = _many(keys)
        assert _found(shared, asked) == _found(_case_adapter(c, world, None), asked)


@given(moves=st.lists(st.tuples(st.integers(0, 59), st.none() | st.integers(0, 26)), max_size=6))
def test_a_table_written_through_answers_parent_look_ups_as_salesforce_does(
    moves: list[tuple[int, int | None]],
) -> None:
    world = seed_world("small", seed=1)
    with world.clients() as c:
        shared = SharedReads()
        contacts = SalesforceAdapter(c.sf, CONTACT, config=world.config, now=world.clock.now, shared=shared)
        rows = contacts.read_changes(None, None).records  # the table of every Contact
        accounts = sorted(str(a.id) for a in c.sf.accounts.query("SELECT Id FROM Account").to_list())
        world.sf.clear_log()
        contacts.related("AccountId", accounts[:1])  # asked before the writes: the table answers it
        assert request_counts(world.sf) == {}
        ops = [
            WriteOp(
                key=f"k{n}",
                action=Action.UPDATE,
                source=ExternalRef("connectwise", "contact", str(n)),
                target_id=rows[contact].id,
                payload={"Phone": "555-0100"} if account is None else {"AccountId": accounts[account]},
                version=rows[contact].version,
            )
            for n, (contact, account) in enumerate(dict(moves).items())
        ]
        assert all(r.ok for r in contacts.write(ops))
        plain = SalesforceAdapter(c.sf, CONTACT, config=world.config, now=world.clock.now)
        world.sf.clear_log()
        contacts.related("Email", ["nobody@example.com"])  # first asked after a write: Salesforce answers
        assert request_counts(world.sf) == ({"GET query": 1} if ops else {})
        for wanted in (accounts[:9], accounts[9:]):
            got = {(r.id, r.data.raw.get("AccountId")) for r in contacts.related("AccountId", wanted)}
            assert got == {(r.id, r.data.raw.get("AccountId")) for r in plain.related("AccountId", wanted)}
