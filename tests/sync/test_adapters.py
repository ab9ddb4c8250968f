"""The platform adapters against the sandboxes: reads, look-ups, writes, settling, call counts, twins."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode

import attrs
import httpx
import pytest

from msplink.connectwise import ConnectWiseClient
from msplink.connectwise import models as cwm
from msplink.errors import ConfigurationError, SyncError
from msplink.mappers import find_mapper
from msplink.models import Customer, ExternalRef, Payment
from msplink.quickbooks import StaleObjectError
from msplink.sandbox import FaultKind, World, seed_world
from msplink.sync import (
    Action,
    Flow,
    LookupRequest,
    MemoryStateStore,
    RemoteRecord,
    SQLiteStateStore,
    SyncReport,
    WriteOp,
    by_email,
    by_external_id,
    by_link,
    by_name,
    run,
)
from msplink.sync.adapters import (
    AsyncConnectWiseAdapter,
    AsyncQuickBooksAdapter,
    AsyncSalesforceAdapter,
    ConnectWiseAdapter,
    QuickBooksAdapter,
    SalesforceAdapter,
)
from msplink.sync.adapters import _base as adapter_base
from msplink.sync.adapters import connectwise as cw_adapter
from msplink.sync.adapters._base import (
    INDEX_OVERLAP,
    RAW_CACHE,
    REFRESH_EVERY,
    KeyIndex,
    index_due,
    index_read,
    index_since,
)
from tests.sync._recipes import INTEGRATION_USER, edit_company, edit_customer, request_counts

CW_MAPPER = find_mapper("connectwise", "company", Customer)
QBO_MAPPER = find_mapper("quickbooks", "Customer", Customer)
SF_MAPPER = find_mapper("salesforce", "Account", Customer)


@pytest.fixture
def world() -> World:
    return seed_world("small", seed=1)


def _queries(world: World) -> list[str]:
    return [r.query for r in world.cw.requests if r.path.endswith("/company/companies")]


# ------------------------------------------------------------------------------------ ConnectWise


def test_cw_reads_a_closed_window_forward_only_with_the_mapper_projection(world: World) -> None:
    with world.clients() as c:
        adapter = ConnectWiseAdapter(c.cw, CW_MAPPER, config=world.config, now=world.clock.now, page_size=10)
        pages, token = [], None
        while True:
            page = adapter.read_changes(None, token)
            pages.append(page)
            token = page.next_token
            if token is None:
                break
    assert [len(p.records) for p in pages] == [10, 10, 10, 4]
    assert all(not p.ordered for p in pages)  # id order: the watermark waits for the end of the read
    ids = [r.id for p in pages for r in p.records]
    assert sorted(ids, key=int) == [str(n) for n in range(1, 35)]
    for page in pages:
        stamps = [(r.updated_at, int(r.id)) for r in page.records]
        assert stamps == sorted(stamps)  # each page handed over in (updated_at, id) order
    until = world.clock.now().strftime("%Y-%m-%dT%H:%M:%SZ")
    queries = _queries(world)
    assert len(queries) == 4
    assert all(f"conditions=lastUpdated <= [{until}]" in q for q in queries)
    fields = unquote(queries[0].split("fields=")[1].split("&")[0]).split(",")
    assert fields == list(cwm.Company.projection(["id", *CW_MAPPER.reads_for(world.config), "_info"]))
    info = ["_info/lastUpdated", "_info/updatedBy", "_info/dateEntered", "_info/enteredBy"]
    assert fields[:5] == ["id", *info] and "_info" not in fields
    assert {"status/name", "taxCode/id", "types"} <= set(fields) and "status" not in fields
    assert "customFields" not in fields  # the world's config maps no ConnectWise custom field of a Customer
    assert [q.rsplit("pageId=", 1)[-1] if "pageId" in q else None for q in queries] == [
        None,
        "10",
        "20",
        "30",
    ]


def _links(value: Any, path: str = "") -> list[str]:
    """The paths of every ``_info`` block below the top level of a payload."""
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "_info" and path:
                found.append(path)
            found += _links(item, f"{path}/{key}")
    elif isinstance(value, list):
        for item in value:
            found += _links(item, path + "[]")
    return found


def test_cw_projection_leaves_the_links_out_and_maps_like_the_full_record(world: World) -> None:
    with world.clients() as c:
        adapter = ConnectWiseAdapter(c.cw, CW_MAPPER, config=world.config, now=world.clock.now)
        page = adapter.read_changes(None, None)
        full = {m.id: m for m in c.cw.companies.list(page_size=1000)}
    assert len(page.records) == len(full) == 34
    for record in page.records:
        raw = record.data.raw
        assert (
            {"lastUpdated", "updatedBy"}
            <= set(raw["_info"])
            <= {"lastUpdated", "updatedBy", "dateEntered", "enteredBy"}
        )
        # only arrays (company types, custom fields) keep their references' links
        assert {p.split("[]")[0] for p in _links(raw)} <= {"/types", "/customFields"}
        whole = full[int(record.id)]
        assert record.updated_at == whole.last_updated and record.data.updated_by == whole.updated_by
        assert adapter.canonical(record.data) == CW_MAPPER.inbound(whole, world.config)
        # the full record a write answers holds the same version as the projected read
        assert adapter.version_of(whole) == record.version
    assert sum(1 for r in world.cw.requests if r.path.endswith("/company/companies")) == 2


class _IgnoresInfoPaths(httpx.BaseTransport):
    """A ConnectWise that does not answer ``fields=_info/...`` (it leaves ``_info`` out altogether)."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        params = [
            (k, ",".join(f for f in v.split(",") if not f.startswith("_info/")) if k == "fields" else v)
            for k, v in parse_qsl(request.url.query.decode())
        ]
        url = request.url.copy_with(query=urlencode(params).encode())
        return self.inner.handle_request(httpx.Request(request.method, url, headers=request.headers))


def test_cw_reads_info_whole_when_the_server_does_not_answer_its_paths(world: World) -> None:
    with ConnectWiseClient(
        **world.cw.credentials(),
        transport=_IgnoresInfoPaths(world.cw.transport()),
        sleep=world.clock.sleep,
        clock=world.clock.monotonic,
    ) as cw:
        adapter = ConnectWiseAdapter(cw, CW_MAPPER, config=world.config, now=world.clock.now, page_size=20)
        first = adapter.read_changes(None, None)
        second = adapter.read_changes(None, first.next_token)
    assert [len(first.records), len(second.records)] == [20, 14]
    assert all(r.updated_at is not None and r.version for r in [*first.records, *second.records])
    # the first page is asked twice (projected, then with _info whole); every page after once
    fields = [unquote(q.split("fields=")[1].split("&")[0]).split(",") for q in _queries(world)]
    assert len(fields) == 3
    assert "_info" not in fields[0] and "_info" in fields[1] and "_info" in fields[2]
    assert adapter.fields == adapter._whole_info


def test_cw_reads_a_dense_run_of_ids_as_one_page_of_a_range_and_the_rest_by_id_in(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ids by ``id in (...)`` cost a call per URL-sized chunk (~100 ids); a run of them one page wide
    costs one page of ``id >= lo AND id <= hi`` (the records between that were not asked for left
    out). Here a chunk holds 5 ids and a page 10: ids 2-9 but 5 are one range read, 20 and 30 one
    ``id in``."""
    monkeypatch.setattr(cw_adapter, "IDS_PER_REQUEST", 5)
    wanted = ["2", "3", "4", "6", "7", "8", "9", "20", "30"]
    with world.clients() as c:
        adapter = ConnectWiseAdapter(c.cw, CW_MAPPER, config=world.config, now=world.clock.now, page_size=10)
        world.cw.clear_log()
        records = adapter.fetch(wanted)
    assert sorted((r.id for r in records), key=int) == wanted  # 5 lay in the range: not asked, left out
    conditions = [dict(parse_qsl(q)).get("conditions") for q in _queries(world)]
    assert conditions == ["id >= 2 AND id <= 9", "id in (20, 30)"]


def test_cw_versions_hold_the_values_so_a_same_second_edit_is_a_new_version(world: World) -> None:
    with world.clients() as c:
        adapter = ConnectWiseAdapter(c.cw, CW_MAPPER, config=world.config, now=world.clock.now)
        [before] = adapter.fetch(["2"])
        edit_company(c, 2, phone_number="+1 555 123 4567")  # the clock does not move: same lastUpdated
        [after] = adapter.fetch(["2"])
        [again] = adapter.fetch(["2"])
    assert before.version != after.version == again.version
    assert after.version is not None and after.version.startswith(
        world.clock.now().strftime("%Y-%m-%dT%H:%M:%SZ")
    )
    assert after.modified_by == INTEGRATION_USER


def test_a_record_changed_during_a_read_waits_for_the_next_one(world: World) -> None:
    with world.clients() as c:
        adapter = ConnectWiseAdapter(c.cw, CW_MAPPER, config=world.config, now=world.clock.now, page_size=10)
        first = adapter.read_changes(None, None)
        world.clock.advance(5)
        edit_company(c, 25, phone_number="+1 555 765 4321")  # page 3 of this read
        rest: list[RemoteRecord] = []
        token = first.next_token
        while token is not None:
            page = adapter.read_changes(None, token)
            rest.extend(page.records)
            token = page.next_token
        assert "25" not in {r.id for r in rest}  # changed after the window closed
        later: list[RemoteRecord] = []
        token = None
        while True:
            page = adapter.read_changes(first.records[0].updated_at, token)
            later.extend(page.records)
            token = page.next_token
            if token is None:
                break
    assert "25" in {r.id for r in later}


def test_the_engine_moves_the_watermark_only_when_an_unordered_read_completes(world: World) -> None:
    store = MemoryStateStore()
    marks: list[Any] = []
    with world.clients() as c:
        source = ConnectWiseAdapter(c.cw, CW_MAPPER, config=world.config, now=world.clock.now, page_size=10)
        target = QuickBooksAdapter(c.qbo, QBO_MAPPER, config=world.config, now=world.clock.now)
        flow = Flow(
            name="cw-to-qbo", source=source, target=target, source_mapper=CW_MAPPER, target_mapper=QBO_MAPPER,
            config=world.config, match=(by_link(), by_email(), by_name()), fields=("name", "phone"),
        )  # fmt: skip
        report = run(
            flow, state=store, progress=lambda records, writes: marks.append(store.watermark(flow.name))
        )
    assert marks[:3] == [None, None, None] and marks[3] is not None
    assert report.watermark == marks[3]


def test_cw_look_ups_find_normalised_names_from_the_index_and_fetch_ids_within_the_url_limit(
    world: World,
) -> None:
    with world.clients() as c:
        adapter = ConnectWiseAdapter(c.cw, CW_MAPPER, config=world.config, now=world.clock.now)
        world.cw.clear_log()
        found = adapter.lookup(
            LookupRequest(
                ids=[str(n) for n in range(1, 31)],
                keys={
                    "name": ["oakridge legal", "crescent manufacturing"],
                    "email": ["billing@metroroofing9.example"],
                },
            )
        )
        assert request_counts(world.cw) == {"GET companies": 1}  # the index (one page) holds the ids too
        again = adapter.lookup(LookupRequest(keys={"name": ["heritage realty"]}))
        assert request_counts(world.cw) == {"GET companies": 2}  # the index is fresh: only the candidate
        world.clock.advance(360)
        adapter.lookup(LookupRequest(keys={"name": ["heritage realty"]}))
    assert request_counts(world.cw) == {"GET companies": 4}  # five minutes later: refreshed by lastUpdated
    assert sorted(int(r.id) for r in found) == list(range(1, 31))
    assert [r.id for r in again] == ["12"]
    conditions = [dict(parse_qsl(q)).get("conditions") for q in _queries(world)]
    assert conditions[0] is None and conditions[1] == conditions[3] == "id in (12)"


def test_cw_create_whose_answer_is_lost_is_found_again_not_created_twice(world: World) -> None:
    world.cw.faults.inject(FaultKind.LOSE_RESPONSE, method="POST", path="/company/companies$", times=1)
    with world.clients() as c:
        adapter = ConnectWiseAdapter(c.cw, CW_MAPPER, config=world.config, now=world.clock.now)
        record = Customer(name="Brand New Co", email="ap@brandnew.example")
        payload = CW_MAPPER.outbound(record, world.config)
        op = WriteOp(action=Action.CREATE, key="k1", source=ExternalRef("quickbooks", "Customer", "99"),
                     payload=payload, record=record)  # fmt: skip
        [result] = adapter.write([op])
        names = [x.name for x in c.cw.companies.list(where="name = 'Brand New Co'")]
    assert result.ok and result.id == "35"
    assert names == ["Brand New Co"]
    assert world.cw.faults.injected[FaultKind.LOSE_RESPONSE] == 1


def test_cw_needs_a_known_resource_and_a_cw_mapper(world: World) -> None:
    with world.clients() as c:
        with pytest.raises(ConfigurationError, match="resource="):
            ConnectWiseAdapter(c.cw, find_mapper("connectwise", "payment", _payment()))
        with pytest.raises(ValueError, match="quickbooks mapper"):
            ConnectWiseAdapter(c.cw, QBO_MAPPER)


def _payment() -> Any:
    return Payment


# -------------------------------------------------------------------------------------- QuickBooks


def test_qbo_first_read_pages_by_keyset_through_equal_change_times(world: World) -> None:
    with world.clients() as c:
        adapter = QuickBooksAdapter(c.qbo, QBO_MAPPER, config=world.config, now=world.clock.now, page_size=10)
        world.qbo.clear_log()
        pages, token = [], None
        while True:
            page = adapter.read_changes(None, token)
            pages.append(page)
            token = page.next_token
            if token is None:
                break
    assert [len(p.records) for p in pages] == [10, 10, 9]
    assert all(p.ordered for p in pages)
    ids = [r.id for p in pages for r in p.records]
    assert sorted(ids, key=int) == [str(n) for n in range(1, 30)]  # every customer once
    stamp = pages[0].records[0].updated_at
    assert stamp is not None
    assert {r.updated_at for p in pages for r in p.records} == {stamp}  # all seeded in the same second
    assert [p.next_token for p in pages[:2]] == [f"{stamp.isoformat()}|10", f"{stamp.isoformat()}|20"]
    assert request_counts(world.qbo) == {"POST query": 3}


def test_qbo_reads_cdc_within_its_window_and_queries_beyond_it(world: World) -> None:
    with world.clients() as c:
        adapter = QuickBooksAdapter(c.qbo, QBO_MAPPER, config=world.config, now=world.clock.now)
        world.qbo.clear_log()
        recent = adapter.read_changes(world.clock.now() - timedelta(days=2), None)
        old = adapter.read_changes(world.clock.now() - timedelta(days=45), None)
    assert request_counts(world.qbo) == {"GET cdc": 1, "POST query": 1}
    assert len(recent.records) == len(old.records) == 29
    assert recent.next_token is None and all(r.version == "0" for r in recent.records)


def test_qbo_look_ups_take_their_records_from_the_index_read(world: World) -> None:
    with world.clients() as c:
        adapter = QuickBooksAdapter(c.qbo, QBO_MAPPER, config=world.config, now=world.clock.now)
        world.qbo.clear_log()
        found = adapter.lookup(
            LookupRequest(ids=["1", "2"], keys={"email": ["billing@metroroofing9.example"]})
        )
        # the index read returns the ids asked for too: no Id IN query after it (issue 18)
        assert request_counts(world.qbo) == {"POST query": 1}
        named = adapter.lookup(LookupRequest(ids=["3"], keys={"name": ["crescent manufacturing"]}))
        # the index is fresh, and so are the records its read held: no Id IN query for the second either
        assert request_counts(world.qbo) == {"POST query": 1}
        plain = QuickBooksAdapter(c.qbo, QBO_MAPPER, config=world.config)
        fresh = {r.id: r.data for r in plain.fetch(["1", "3", "7"])}
    assert sorted(r.id for r in found) == ["1", "2", "8"]  # "BILLING@METROROOFING9.EXAMPLE" too
    assert {r.id: r.data for r in named} == fresh


def test_qbo_held_records_are_as_fresh_as_the_index_and_a_refused_write_reads_its_record_again(
    world: World,
) -> None:
    """What the index read held answers look-ups until the index is due again (someone else's change
    inside that window is not seen, as the index's keys are not); the refresh reads the change and
    replaces the held record. An update sent with a held ``SyncToken`` someone else moved on is
    refused (``StaleObjectError``): its record is dropped, so the replanned update reads it again."""
    with world.clients() as c:
        adapter = QuickBooksAdapter(c.qbo, QBO_MAPPER, config=world.config, now=world.clock.now)
        adapter.lookup(LookupRequest(ids=["3"], keys={"name": ["nobody"]}))
        edit_customer(c, "3", display_name="Crescent Renamed")  # someone else, inside the window
        world.qbo.clear_log()
        [held] = adapter.lookup(LookupRequest(ids=["3"], keys={"name": ["nobody"]}))
        assert request_counts(world.qbo) == {} and held.version == "0"
        desired = attrs.evolve(QBO_MAPPER.inbound(held.data, world.config), phone="+1 555 222 0000")
        op = WriteOp(action=Action.UPDATE, key="u3", source=ExternalRef("connectwise", "company", "3"),
                     target_id="3", version=held.version, payload=QBO_MAPPER.outbound(desired, world.config),
                     record=desired)  # fmt: skip
        [refused] = adapter.write([op])
        assert isinstance(refused.error, StaleObjectError)
        world.qbo.clear_log()
        [again] = adapter.lookup(LookupRequest(ids=["3"], keys={"name": ["nobody"]}))
        assert request_counts(world.qbo) == {"POST batch": 1} and again.version == "1"  # Id IN: read again
        edit_customer(c, "3", display_name="Crescent Twice")
        world.clock.advance(REFRESH_EVERY.total_seconds())
        world.qbo.clear_log()
        [refreshed] = adapter.lookup(LookupRequest(ids=["3"], keys={"name": ["nobody"]}))
    assert request_counts(world.qbo) == {"POST query": 1}  # the refresh: what changed, this record too
    assert refreshed.version == "2" and refreshed.data.display_name == "Crescent Twice"


def test_an_index_refresh_reads_from_when_the_last_read_began_not_from_the_newest_record(
    world: World,
) -> None:
    """Records last changed long before the index was read are not read again by its refresh (issue
    18): it reads from when the last read began, minus the overlap. The old rule read from a minute
    before the newest indexed change, which here is the seeded world's one instant: every record."""
    world.clock.advance(3600)  # every seeded record last changed an hour before the first read
    with world.clients() as c:
        adapter = QuickBooksAdapter(c.qbo, QBO_MAPPER, config=world.config, now=world.clock.now, page_size=10)
        world.qbo.clear_log()
        assert adapter.lookup(LookupRequest(keys={"name": ["somebody new"]})) == []
        whole = request_counts(world.qbo)["POST query"]
        assert whole >= 3  # the seeded customers, ten a page
        world.clock.advance(360)
        edit_customer(c, "4", display_name="Somebody New")  # someone else, after the index was read
        found = adapter.lookup(LookupRequest(keys={"name": ["somebody new"]}))
    assert [r.id for r in found] == ["4"]
    assert request_counts(world.qbo) == {"POST query": whole + 1, "POST customer": 1, "GET 4": 1}


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_a_complete_index_read_moves_the_mark_to_its_start_unless_a_newer_change_was_indexed(
    kind: str, tmp_path: Any
) -> None:
    started = datetime(2026, 3, 9, 10, 0, tzinfo=timezone.utc)
    store = SQLiteStateStore(tmp_path / "state.db")
    for newest, mark in (
        (None, started - INDEX_OVERLAP),  # nothing indexed (an empty object): read from its start
        (started - timedelta(days=400), started - INDEX_OVERLAP),
        (started + timedelta(seconds=5), started + timedelta(seconds=5)),  # the platform's clock is ahead
    ):
        index = KeyIndex() if kind == "memory" else store.key_index(f"b:customer:{newest}")
        assert index_since(index) is None and index_due(index, None, started)
        index.put("1", [("name", "acme")], newest)
        index_read(index, started)
        assert index.loaded and index.mark == mark
        assert index_since(index) == mark - INDEX_OVERLAP
        assert not index_due(index, started, started + REFRESH_EVERY - timedelta(seconds=1))
        assert index_due(index, started, started + REFRESH_EVERY)
    store.close()


def test_qbo_sparse_update_sends_only_the_changed_field_and_a_resend_is_replayed(world: World) -> None:
    with world.clients() as c:
        adapter = QuickBooksAdapter(c.qbo, QBO_MAPPER, config=world.config, now=world.clock.now)
        [current] = adapter.lookup(LookupRequest(ids=["2"]))
        record = QBO_MAPPER.inbound(current.data, world.config)
        desired = attrs.evolve(record, phone="+1 555 222 0000")
        op = WriteOp(action=Action.UPDATE, key="u1", source=ExternalRef("connectwise", "company", "2"),
                     target_id="2", version=current.version, payload=QBO_MAPPER.outbound(desired, world.config),
                     record=desired)  # fmt: skip
        operation = adapter._operation(op)
        assert operation is not None
        assert dict(operation.body or {}) == {
            "Id": "2", "SyncToken": "0", "sparse": True, "PrimaryPhone": {"FreeFormNumber": "+1 555 222 0000"},
        }  # fmt: skip
        [first] = adapter.write([op])
        [again] = adapter.write([op])  # the same intent resent: Intuit's requestid replay answers it
        stored = c.qbo.customers.get("2")
    assert first.ok and again.ok and first.version == again.version == "1"
    assert stored.sync_token == "1" and stored.primary_phone is not None
    assert stored.primary_phone.free_form_number == "+1 555 222 0000"


def test_a_target_keeps_a_bounded_page_of_wire_records_and_takes_an_evicted_one_from_disk(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The wire records kept for sparse updates are bounded (``raw_cache``): memory stays flat. An
    update whose record is no longer kept takes it from the records the adapter holds on disk (what
    its reads returned), reads nothing, and is still sparse."""
    assert RAW_CACHE == 1000
    with world.clients() as c:
        adapter = QuickBooksAdapter(c.qbo, QBO_MAPPER, config=world.config, now=world.clock.now, batch_size=1)
        assert adapter.raw_cache == RAW_CACHE
        monkeypatch.setattr(adapter_base, "RAW_CACHE", 2)
        [current] = adapter.lookup(LookupRequest(ids=["2"]))
        adapter.lookup(LookupRequest(ids=["3", "4"]))
        assert list(adapter._raw) == ["3", "4"]  # "2" went first
        desired = attrs.evolve(QBO_MAPPER.inbound(current.data, world.config), phone="+1 555 222 0000")
        op = WriteOp(action=Action.UPDATE, key="u1", source=ExternalRef("connectwise", "company", "2"),
                     target_id="2", version=current.version, payload=QBO_MAPPER.outbound(desired, world.config),
                     record=desired)  # fmt: skip
        world.qbo.clear_log()
        sent: list[Any] = []
        batch = c.qbo.batch

        def spy(operations: Sequence[Any], **kwargs: Any) -> Any:
            sent.extend(o for o in operations if o.operation == "update")
            return batch(operations, **kwargs)

        c.qbo.batch = spy  # type: ignore[method-assign,assignment]
        [written] = adapter.write([op])
        assert written.ok
        assert request_counts(world.qbo) == {"POST batch": 1}  # the update: "2" is held on disk
        [update] = sent
        assert dict(update.body or {}) == {
            "Id": "2", "SyncToken": "0", "sparse": True, "PrimaryPhone": {"FreeFormNumber": "+1 555 222 0000"},
        }  # fmt: skip
        assert len(adapter._raw) == 2
        sf = SalesforceAdapter(c.sf, SF_MAPPER, config=world.config, now=world.clock.now, plan_records=7_000)
        assert sf.raw_cache == 7_000  # a gathered page's targets
        assert QuickBooksAdapter(c.qbo, QBO_MAPPER, config=world.config).raw_cache == 30  # a write batch


@pytest.mark.parametrize("keeps_lookups", [True, False])
def test_a_lookup_larger_than_the_bound_keeps_every_record_its_updates_need(
    world: World, monkeypatch: pytest.MonkeyPatch, keeps_lookups: bool
) -> None:
    """A look-up answers a planned page's targets, and a page can be larger than ``RAW_CACHE`` (a
    Salesforce source page is 2,000): the bound grows to the largest look-up, so the page's updates
    read nothing again. Without that floor, each write batch's reads by id push out the records the
    next batches update (FIFO under a sequential scan): one read per batch."""
    monkeypatch.setattr(adapter_base, "RAW_CACHE", 3)
    monkeypatch.setattr(adapter_base.AdapterBase, "keeps_lookups", keeps_lookups)
    ids = [str(n) for n in range(2, 10)]
    with world.clients() as c:
        adapter = ConnectWiseAdapter(c.cw, CW_MAPPER, config=world.config, now=world.clock.now, batch_size=2)
        looked = adapter.lookup(LookupRequest(ids=ids))
        assert sorted(r.id for r in looked) == sorted(ids)
        assert adapter.raw_cache == (8 if keeps_lookups else 3)
        ops = []
        for n, current in enumerate(looked):
            desired = attrs.evolve(CW_MAPPER.inbound(current.data, world.config), phone=f"+1 555 300 {n:04d}")
            ops.append(WriteOp(action=Action.UPDATE, key=f"u{n}", source=ExternalRef("quickbooks", "Customer", str(n)),
                               target_id=current.id, version=current.version,
                               payload=CW_MAPPER.outbound(desired, world.config), record=desired))  # fmt: skip
        world.cw.clear_log()
        results = [r for batch in range(0, len(ops), 2) for r in adapter.write(ops[batch : batch + 2])]
        stored = {str(m.id): m.phone_number for m in c.cw.companies.list(where="id in (2,3,4,5,6,7,8,9)")}
    assert all(r.ok for r in results)
    assert sorted(str(v) for v in stored.values()) == [f"+1 555 300 {n:04d}" for n in range(8)]
    reads = request_counts(world.cw)["GET companies"] - 1  # the check above
    assert request_counts(world.cw)["PATCH " + ids[0]] == 1
    assert reads == (0 if keeps_lookups else 4)  # one read by id per write batch of two
    assert len(adapter._raw) == (8 if keeps_lookups else 3)


def test_qbo_a_batch_without_answers_is_settled_by_the_names_it_created(world: World) -> None:
    world.qbo.faults.inject(FaultKind.LOSE_RESPONSE, method="POST", path="/batch$", times=4)
    with world.clients() as c:
        adapter = QuickBooksAdapter(c.qbo, QBO_MAPPER, config=world.config, now=world.clock.now)
        ops = []
        for n in range(3):
            record = Customer(name=f"Settled {n}", email=f"s{n}@settled.example")
            ops.append(WriteOp(action=Action.CREATE, key=f"c{n}", source=ExternalRef("connectwise", "company", str(90 + n)),
                               payload=QBO_MAPPER.outbound(record, world.config), record=record))  # fmt: skip
        results = adapter.write(ops)
        names = sorted(
            x.display_name or ""
            for x in c.qbo.customers.list()
            if (x.display_name or "").startswith("Settled")
        )
    assert [r.ok for r in results] == [True, True, True]
    assert names == ["Settled 0", "Settled 1", "Settled 2"]  # applied once, found by name
    assert sorted(r.id or "" for r in results) == ["30", "31", "32"]


# -------------------------------------------------------------------------------------- Salesforce


def _sf_flow(world: World, c: Any) -> Flow:
    source = ConnectWiseAdapter(
        c.cw, CW_MAPPER, config=world.config, now=world.clock.now, integration_user=INTEGRATION_USER
    )
    target = SalesforceAdapter(
        c.sf, SF_MAPPER, config=world.config, now=world.clock.now, external_id_field="CW_Company_Id__c"
    )
    return Flow(
        name="cw-companies-to-sf-accounts", source=source, target=target, source_mapper=CW_MAPPER,
        target_mapper=SF_MAPPER, config=world.config,
        match=(by_link(), by_external_id("refs.connectwise"), by_name()),
        fields=("name", "phone", "website", "billing_address.city"),
    )  # fmt: skip


def test_sf_accounts_from_cw_companies_upsert_by_external_id_and_rerun_clean(world: World) -> None:
    store = MemoryStateStore()
    with world.clients() as c:
        world.sf.clear_log()
        first = run(_sf_flow(world, c), state=store)
        world.clock.advance(3600)
        second = run(_sf_flow(world, c), state=store)
        accounts = c.sf.accounts.list(fields=["Id", "Name", "CW_Company_Id__c"]).to_list()
    assert {k: v for k, v in first.outcome_counts.items() if v} == {
        "created": 11, "updated": 16, "linked": 6, "conflict": 1,
    }  # fmt: skip
    assert second.writes == 0
    by_cw = [a.custom.get("CW_Company_Id__c") for a in accounts if a.custom.get("CW_Company_Id__c")]
    # created and updated accounts carry their company's id (one of the 6 linked ones came with it)
    assert len(by_cw) == len(set(by_cw)) == 11 + 16 + 1
    [conflict] = store.conflicts()
    assert conflict.kind == "match" and conflict.source.id == "17"  # the ambiguous Salesforce pair


def test_sf_reads_deletes_inline_and_pages_by_keyset(world: World) -> None:
    with world.clients() as c:
        adapter = SalesforceAdapter(c.sf, SF_MAPPER, config=world.config, now=world.clock.now, page_size=10)
        doomed = c.sf.accounts.list(fields=["Id"], limit=1).to_list()[0].id
        world.clock.advance(60)
        c.sf.accounts.delete(str(doomed))
        pages, token = [], None
        while True:
            page = adapter.read_changes(None, token)
            pages.append(page)
            token = page.next_token
            if token is None:
                break
    records = [r for p in pages for r in p.records]
    assert [len(p.records) for p in pages] == [10, 10, 7]
    assert len({r.id for r in records}) == 27
    [tombstone] = [r for r in records if r.deleted]
    assert tombstone.id == doomed and records[-1] is tombstone  # the newest change, in its place
    assert [r.updated_at for r in records] == sorted(r.updated_at for r in records if r.updated_at)


# ---------------------------------------------------------------------------------------- twins


def _summary(records: Sequence[Any]) -> list[tuple[str, str | None, bool]]:
    return sorted((r.id, r.version, r.deleted) for r in records)


def test_the_async_adapters_read_and_look_up_what_the_sync_ones_do(world: World) -> None:
    request = LookupRequest(ids=["1", "2"], keys={"name": ["crescent manufacturing"]})
    with world.clients() as c:
        sync_results = [
            ConnectWiseAdapter(c.cw, CW_MAPPER, config=world.config, now=world.clock.now)
            .read_changes(None, None)
            .records,
            QuickBooksAdapter(c.qbo, QBO_MAPPER, config=world.config, now=world.clock.now).lookup(request),
            SalesforceAdapter(c.sf, SF_MAPPER, config=world.config, now=world.clock.now)
            .read_changes(None, None)
            .records,
        ]

    async def twins() -> list[Any]:
        async with world.aclients() as a:
            cw = AsyncConnectWiseAdapter(a.cw, CW_MAPPER, config=world.config, now=world.clock.now)
            qb = AsyncQuickBooksAdapter(a.qbo, QBO_MAPPER, config=world.config, now=world.clock.now)
            sf = AsyncSalesforceAdapter(a.sf, SF_MAPPER, config=world.config, now=world.clock.now)
            return [
                (await cw.read_changes(None, None)).records,
                await qb.lookup(request),
                (await sf.read_changes(None, None)).records,
            ]

    async_results = asyncio.run(twins())
    assert [_summary(r) for r in async_results] == [_summary(r) for r in sync_results]


def test_a_failed_look_up_aborts_the_run_with_a_sync_error_and_its_partial_report(world: World) -> None:
    store = MemoryStateStore()
    world.qbo.faults.inject(FaultKind.SERVER_ERROR, status=503, method="POST", path="/query$")
    with world.clients() as c:
        flow = Flow(
            name="cw-to-qbo", source=ConnectWiseAdapter(c.cw, CW_MAPPER, config=world.config, now=world.clock.now),
            target=QuickBooksAdapter(c.qbo, QBO_MAPPER, config=world.config, now=world.clock.now),
            source_mapper=CW_MAPPER, target_mapper=QBO_MAPPER, config=world.config,
            match=(by_link(), by_email()), fields=("name", "phone"),
        )  # fmt: skip
        with pytest.raises(SyncError, match="looking up target records failed") as caught:
            run(flow, state=store)
    report = caught.value.report
    assert isinstance(report, SyncReport) and report.status == "failed"
    assert store.watermark("cw-to-qbo") is None
    assert [r.status for r in store.runs()] == ["failed"]


def test_qbo_clearing_an_address_is_a_full_update_of_the_current_customer(world: World) -> None:
    with world.clients() as c:
        adapter = QuickBooksAdapter(c.qbo, QBO_MAPPER, config=world.config, now=world.clock.now)
        [current] = adapter.lookup(LookupRequest(ids=["2"]))
        record = QBO_MAPPER.inbound(current.data, world.config)
        desired = attrs.evolve(record, billing_address=None, phone=None)
        op = WriteOp(
            action=Action.UPDATE,
            key="u2",
            source=ExternalRef("connectwise", "company", "2"),
            target_id="2",
            version=current.version,
            payload=QBO_MAPPER.outbound(desired, world.config),
            record=desired,
        )
        operation = adapter._operation(op)
        assert operation is not None and operation.body is not None
        assert operation.body["sparse"] is False  # a sparse null cannot clear an address
        assert "BillAddr" not in operation.body and "PrimaryPhone" not in operation.body
        assert operation.body["DisplayName"] == "Oakridge Motors Corp."  # the rest of the record, kept
        [result] = adapter.write([op])
        stored = c.qbo.customers.get("2")
    assert result.ok and result.version == "1"
    assert stored.bill_addr is None and stored.primary_phone is None
    assert stored.display_name == "Oakridge Motors Corp." and stored.web_addr is not None


def test_cw_a_read_ending_on_a_full_page_stops_there(world: World) -> None:
    """A resumed forward-only walk whose last page is full (no Link header) is not mistaken for an
    endpoint without forward-only paging (the client once fell back to navigable pages there)."""
    with world.clients() as c:
        adapter = ConnectWiseAdapter(c.cw, CW_MAPPER, config=world.config, now=world.clock.now, page_size=17)
        first = adapter.read_changes(None, None)
        second = adapter.read_changes(None, first.next_token)
    assert (len(first.records), len(second.records), second.next_token) == (17, 17, None)
    assert len(_queries(world)) == 2 and "page=" not in _queries(world)[1]
