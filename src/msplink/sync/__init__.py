"""Two-way sync between ConnectWise, QuickBooks and Salesforce (SYNC.md).

A :class:`Flow` describes one directional sync (source reader, target writer, mappers, match rules,
field owners, guards); :func:`run` syncs it page by page against a :class:`StateStore`
(:class:`SQLiteStateStore` by default, :class:`MemoryStateStore` for tests) and returns a
:class:`SyncReport`. :func:`plan` returns the pure, serialisable :class:`Plan` without writing,
and :func:`apply` carries it out; ``arun`` / ``aplan`` / ``aapply`` are the async twins.

The engine holds SYNC.md's invariants: nothing is created twice (identity map, match rules,
journalled idempotent writes settled after a crash), nothing is lost (every record ends as a write,
a link, a recorded skip, a conflict or a dead letter), state is never early (the watermark moves in
the page's last transaction), msplink's own writes are not echoed back, ambiguous matches and fields
changed on both sides wait for a person, guards stop a run before its first write, and memory stays
flat (page by page).

Platform adapters implement :class:`Source` / :class:`Target` (or the async twins); recipes in
:mod:`msplink.sync.recipes` build flows for the MSP use cases.
"""

import importlib as _importlib
from typing import Any as _Any

from msplink.sync._engine import aapply, aplan, apply, arun, arun_together, plan, run, run_together
from msplink.sync._flow import Flow
from msplink.sync._identity import (
    MatchRule,
    by_domain,
    by_email,
    by_external_id,
    by_link,
    by_name,
    same_email,
)
from msplink.sync._model import (
    Action,
    Conflict,
    DeadLetter,
    Direction,
    FieldChange,
    FieldPolicy,
    Guards,
    LeaseError,
    MatchPendingError,
    Outcome,
    Owner,
    RunRecord,
    Watermark,
)
from msplink.sync._plan import GuardError, Plan, PlanItem
from msplink.sync._protocols import (
    AsyncSource,
    AsyncTarget,
    ChangePage,
    Intent,
    LookupRequest,
    RemoteRecord,
    Source,
    StateStore,
    Target,
    WriteOp,
    WriteResult,
)
from msplink.sync._report import SyncReport
from msplink.sync._sqlite import SQLiteStateStore
from msplink.sync._state import MemoryStateStore

__all__ = [
    "Action",
    "AsyncSource",
    "AsyncTarget",
    "ChangePage",
    "Conflict",
    "DeadLetter",
    "Direction",
    "FieldChange",
    "FieldPolicy",
    "Flow",
    "GuardError",
    "Guards",
    "Intent",
    "LeaseError",
    "LookupRequest",
    "MatchPendingError",
    "MatchRule",
    "MemoryStateStore",
    "Outcome",
    "Owner",
    "Plan",
    "PlanItem",
    "RemoteRecord",
    "RunRecord",
    "SQLiteStateStore",
    "Source",
    "StateStore",
    "SyncReport",
    "Target",
    "Watermark",
    "WriteOp",
    "WriteResult",
    "aapply",
    "adapters",
    "aplan",
    "apply",
    "arun",
    "arun_together",
    "by_domain",
    "by_email",
    "by_external_id",
    "by_link",
    "by_name",
    "plan",
    "recipes",
    "reports",
    "run",
    "run_together",
    "same_email",
]

_SUBPACKAGES = frozenset({"adapters", "recipes", "reports"})


def __getattr__(name: str) -> _Any:
    """Import ``adapters``, ``recipes`` and ``reports`` on first use (the recipes are built from the
    public names above, so importing them here eagerly would make a circle)."""
    if name in _SUBPACKAGES:
        return _importlib.import_module(f"msplink.sync.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
