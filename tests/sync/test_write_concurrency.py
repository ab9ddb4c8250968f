"""The async driver sends a page's write batches concurrently when the target declares a
``write_concurrency`` (one at a time otherwise: ``WRITE_CONCURRENCY``); the sync driver sends the same
batches in order. Both stop sending after a batch fails for good (an authentication error), and end
in the same state otherwise."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import attrs
import pytest

from msplink.errors import AuthenticationError, SyncError
from msplink.sync import Flow, MemoryStateStore, WriteOp, WriteResult, arun, run
from msplink.sync._session import WRITE_CONCURRENCY
from tests.sync._crash import world_snapshot
from tests.sync._world import AsyncMemoryAdapter, MemoryAdapter, MemorySystem
from tests.sync.conftest import World


class Counting(AsyncMemoryAdapter):
    """An async target that yields to the loop inside each write, counting the writes in flight; the
    ``fail_at``-th write (1-based) raises an authentication error."""

    def __init__(self, inner: MemoryAdapter, *, fail_at: int = 0) -> None:
        super().__init__(inner)
        self.in_flight = 0
        self.peak = 0
        self.started = 0
        self.fail_at = fail_at

    async def write(self, ops: Sequence[WriteOp]) -> list[WriteResult]:
        self.started += 1
        number = self.started
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        try:
            await asyncio.sleep(0)
            await asyncio.sleep(0)
            if number == self.fail_at:
                raise AuthenticationError(platform="b", status_code=401)
            return await super().write(ops)
        finally:
            self.in_flight -= 1


class Two(Counting):
    """A target whose batches stand alone: two at once."""

    write_concurrency = 2


class Four(Counting):
    """A target whose batches stand alone: four at once."""

    write_concurrency = 4


def _world(records: int) -> World:
    world = World(MemorySystem("a"), MemorySystem("b"))
    for n in range(records):
        world.a.add(name=f"Company {n:02}")
    return world


def _async(flow: Flow, target: Counting) -> Flow:
    assert isinstance(flow.source, MemoryAdapter)
    return attrs.evolve(flow, source=AsyncMemoryAdapter(flow.source), target=target)


def test_async_sends_a_pages_batches_concurrently_with_the_same_writes_and_state() -> None:
    sync_world, async_world = _world(25), _world(25)
    sync_report = run(sync_world.forward(batch_size=5), state=MemoryStateStore())
    flow = async_world.forward(batch_size=5)
    target = Four(flow.target)  # type: ignore[arg-type]
    async_report = asyncio.run(arun(_async(flow, target), state=MemoryStateStore()))
    assert sync_report.writes == async_report.writes == 25
    assert sync_world.b.calls["write"] == async_world.b.calls["write"] == 5  # 25 creates, 5 per batch
    assert target.peak == 4
    assert world_snapshot(async_world.b) == world_snapshot(sync_world.b)


@pytest.mark.parametrize(("target_type", "peak"), [(Counting, WRITE_CONCURRENCY), (Two, 2)])
def test_batches_go_one_at_a_time_unless_the_target_declares_more(
    target_type: type[Counting], peak: int
) -> None:
    world = _world(25)
    flow = world.forward(batch_size=5)
    target = target_type(flow.target)  # type: ignore[arg-type]
    assert asyncio.run(arun(_async(flow, target), state=MemoryStateStore())).writes == 25
    assert target.peak == peak
    assert WRITE_CONCURRENCY == 1


def test_the_sync_driver_sends_no_batch_after_one_fails_for_good() -> None:
    world = _world(25)
    store = MemoryStateStore()

    def fail_next() -> None:
        world.b.write_error = AuthenticationError(platform="b", status_code=401)

    world.b.before_write = lambda: setattr(world.b, "before_write", fail_next)  # the second write fails
    with pytest.raises(SyncError, match="writing failed"):
        run(world.forward(batch_size=5), state=store)
    assert world.b.calls["write"] == 2 and len(world.b.records) == 5
    world.b.write_error = None
    assert run(world.forward(batch_size=5), state=store).writes == 20
    assert len(world.b.records) == 25


@pytest.mark.parametrize(("target_type", "sent"), [(Counting, 2), (Two, 2), (Four, 4)])
def test_the_async_driver_starts_no_batch_after_one_fails_for_good(
    target_type: type[Counting], sent: int
) -> None:
    # the batches in flight when the second fails finish; none starts after it
    world = _world(25)
    store = MemoryStateStore()
    flow = world.forward(batch_size=5)
    target = target_type(flow.target, fail_at=2)  # type: ignore[arg-type]
    with pytest.raises(SyncError, match="writing failed"):
        asyncio.run(arun(_async(flow, target), state=store))
    assert target.started == sent
    assert len(world.b.records) == 5 * (sent - 1)
    # the rerun settles the journalled creates that landed and writes the rest, once each
    target.fail_at = 0
    rerun = asyncio.run(arun(_async(flow, target), state=store))
    assert len(world.b.records) == 25
    assert rerun.writes == 25 - 5 * (sent - 1)
