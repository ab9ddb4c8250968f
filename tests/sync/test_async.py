"""The async twins run the same generator: same writes, same state, same reports."""

from __future__ import annotations

import asyncio

import attrs
import pytest

from msplink.errors import ConfigurationError
from msplink.sync import Flow, MemoryStateStore, aapply, aplan, arun, plan, run
from tests.sync._crash import edit, seed, world_snapshot
from tests.sync._crash import flow as crash_flow
from tests.sync._world import AsyncMemoryAdapter, MemoryAdapter, MemorySystem


def async_twin(flow: Flow) -> Flow:
    assert isinstance(flow.source, MemoryAdapter) and isinstance(flow.target, MemoryAdapter)
    return attrs.evolve(flow, source=AsyncMemoryAdapter(flow.source), target=AsyncMemoryAdapter(flow.target))


def scenario(use_async: bool) -> tuple[object, ...]:
    a, b = MemorySystem("a"), MemorySystem("b")
    seed(a, b)
    store = MemoryStateStore()
    reports = []
    for phase in (1, 2):
        flow = crash_flow(a, b)
        if use_async:
            reports.append(asyncio.run(arun(async_twin(flow), state=store)))
        else:
            reports.append(run(flow, state=store))
        if phase == 1:
            edit(a, b)
    counts = [(dict(r.counts), dict(r.outcome_counts), r.writes, dict(r.api_calls)) for r in reports]
    conflicts = [(c.kind, c.field, c.source.id, c.status) for c in store.conflicts(None)]
    return world_snapshot(a), world_snapshot(b), counts, conflicts, store.watermark("a-to-b")


def test_arun_does_exactly_what_run_does() -> None:
    assert scenario(use_async=True) == scenario(use_async=False)


def test_aplan_and_aapply() -> None:
    a, b = MemorySystem("a"), MemorySystem("b")
    seed(a, b)
    store = MemoryStateStore()
    flow = async_twin(crash_flow(a, b))
    planned = asyncio.run(aplan(flow, state=store))
    assert planned.counts["create"] == 9
    report = asyncio.run(aapply(planned, state=store))
    assert report.writes == 10
    assert asyncio.run(arun(flow, state=store)).writes == 0


def test_a_driver_refuses_the_other_kind_of_adapter() -> None:
    a, b = MemorySystem("a"), MemorySystem("b")
    flow = crash_flow(a, b)
    with pytest.raises(ConfigurationError, match="use run / plan / apply"):
        asyncio.run(arun(flow, state=MemoryStateStore()))
    with pytest.raises(ConfigurationError, match="use arun / aplan / aapply"):
        run(async_twin(flow), state=MemoryStateStore())
    with pytest.raises(ConfigurationError, match="use arun"):
        plan(async_twin(flow), state=MemoryStateStore())
