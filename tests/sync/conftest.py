"""Fixtures for the sync engine tests: both state stores, and a two-system world."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

from msplink.sync import (
    Direction,
    Flow,
    MemoryStateStore,
    SQLiteStateStore,
    StateStore,
    by_email,
    by_link,
    by_name,
)
from tests.sync._world import MemoryAdapter, MemorySystem, customer_mapper


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``slow`` (the full SIGKILL matrix) run only with ``MSPLINK_SLOW=1``."""
    if os.environ.get("MSPLINK_SLOW"):
        return
    skip = pytest.mark.skip(reason="slow: set MSPLINK_SLOW=1 to run")
    for item in items:
        if "slow" in item.keywords and "/sync/" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StateStore]:
    """Each state store in turn (the same suite runs against both)."""
    if request.param == "memory":
        yield MemoryStateStore()
    else:
        sqlite = SQLiteStateStore(tmp_path / "state.db")
        yield sqlite
        sqlite.close()


@attrs.define
class World:
    """Two memory systems, ``a`` (think ConnectWise) and ``b`` (think QuickBooks)."""

    a: MemorySystem
    b: MemorySystem

    def forward(self, **options: Any) -> Flow:
        """The flow a -> b."""
        adapter_options = {
            k: options.pop(k)
            for k in ("page_size", "batch_size", "delete_feed", "plan_records")
            if k in options
        }
        defaults: dict[str, Any] = {
            "name": "a-to-b",
            "source": MemoryAdapter(self.a, integration_user="msplink", **adapter_options),
            "target": MemoryAdapter(self.b, **adapter_options),
            "source_mapper": customer_mapper("a"),
            "target_mapper": customer_mapper("b"),
            "match": (by_link(), by_email(), by_name()),
        }
        return Flow(**{**defaults, **options})

    def both(self, **options: Any) -> tuple[Flow, Flow]:
        """The two flows of a bidirectional sync (a -> b and b -> a, TWO_WAY)."""
        forward = self.forward(direction=Direction.TWO_WAY, **options)
        backward = forward.reversed(
            name="b-to-a",
            source=MemoryAdapter(self.b, integration_user="msplink"),
            target=MemoryAdapter(self.a),
        )
        return forward, backward


@pytest.fixture
def world() -> World:
    """Two empty systems."""
    return World(MemorySystem("a"), MemorySystem("b"))
