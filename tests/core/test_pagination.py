"""Paginators walk every page, stop exactly, honour limit=, and expose pages."""

from __future__ import annotations

import asyncio

import pytest

from msplink import AsyncPaginator, Paginator
from msplink.errors import ConfigurationError
from msplink.testing import FakeClock
from tests.core._toy import ToySandbox, async_executor, list_call, next_list_call, sync_executor


@pytest.mark.parametrize(
    ("records", "page_size", "calls"),
    [(0, 10, 1), (1, 10, 1), (9, 10, 1), (10, 10, 2), (25, 10, 3), (30, 10, 4), (2500, 1000, 3)],
)
def test_walks_every_page_and_stops_exactly(records: int, page_size: int, calls: int) -> None:
    clock = FakeClock()
    sandbox = ToySandbox(records=records, clock=clock)
    paginator = Paginator(sync_executor(sandbox, sleep=clock.sleep), list_call(1, page_size), next_list_call)

    ids = [item["id"] for item in paginator]

    assert ids == list(range(1, records + 1))
    assert len(sandbox.requests) == calls
    assert [r.query for r in sandbox.requests] == [
        f"page={n}&pageSize={page_size}" for n in range(1, calls + 1)
    ]


def test_nothing_is_fetched_until_iteration() -> None:
    sandbox = ToySandbox(records=5)
    Paginator(sync_executor(sandbox, sleep=lambda s: None), list_call(), next_list_call)
    assert sandbox.requests == []


@pytest.mark.parametrize(("limit", "calls"), [(0, 0), (1, 1), (10, 1), (11, 2), (25, 3), (100, 3)])
def test_limit_caps_items_and_requests(limit: int, calls: int) -> None:
    sandbox = ToySandbox(records=25)
    paginator = Paginator(
        sync_executor(sandbox, sleep=lambda s: None), list_call(1, 10), next_list_call, limit=limit
    )

    assert [i["id"] for i in paginator] == list(range(1, min(limit, 25) + 1))
    assert len(sandbox.requests) == calls


def test_pages_expose_checkpointable_cursors() -> None:
    sandbox = ToySandbox(records=25)
    paginator = Paginator(sync_executor(sandbox, sleep=lambda s: None), list_call(1, 10), next_list_call)

    pages = list(paginator.pages())

    assert [len(p.items) for p in pages] == [10, 10, 5]
    assert [p.next_cursor for p in pages] == ["2", "3", None]
    resumed = Paginator(sync_executor(sandbox, sleep=lambda s: None), list_call(2, 10), next_list_call)
    assert [i["id"] for i in resumed] == list(range(11, 26))


def test_first_fetches_one_page() -> None:
    sandbox = ToySandbox(records=25)
    paginator = Paginator(sync_executor(sandbox, sleep=lambda s: None), list_call(1, 10), next_list_call)
    assert paginator.first() == {"id": 1, "name": "item 1"}
    assert len(sandbox.requests) == 1


def test_async_paginator_matches_the_sync_one() -> None:
    clock = FakeClock()
    sandbox = ToySandbox(records=25, clock=clock)

    async def run() -> tuple[list[int], list[int], list[int], object]:
        executor = async_executor(sandbox, sleep=clock.async_sleep)
        everything = [i["id"] async for i in AsyncPaginator(executor, list_call(1, 10), next_list_call)]
        capped = await AsyncPaginator(executor, list_call(1, 10), next_list_call, limit=12).to_list()
        sizes = [
            len(p.items) async for p in AsyncPaginator(executor, list_call(1, 10), next_list_call).pages()
        ]
        first = await AsyncPaginator(executor, list_call(1, 10), next_list_call).first()
        return everything, [i["id"] for i in capped], sizes, first

    everything, capped, sizes, first = asyncio.run(run())
    assert everything == list(range(1, 26))
    assert capped == list(range(1, 13))
    assert sizes == [10, 10, 5]
    assert first == {"id": 1, "name": "item 1"}
    assert len(sandbox.requests) == 3 + 2 + 3 + 1


@pytest.mark.parametrize("limit", [-1, True, 2.5, "10"])
def test_invalid_limit_is_a_configuration_error(limit: object) -> None:
    sandbox = ToySandbox()
    with pytest.raises(ConfigurationError):
        Paginator(sync_executor(sandbox, sleep=lambda s: None), list_call(), next_list_call, limit=limit)  # type: ignore[arg-type]
    assert sandbox.requests == []
