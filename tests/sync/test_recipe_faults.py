"""``companies_and_customers`` under the sandboxes' fault profile converges exactly.

Both sandboxes answer 429s (with Retry-After), 503s, drop connections and apply writes whose answer
is then lost, at random (seeded). The clients retry what is safe to retry (reads, idempotent PATCHes,
QBO batches by their ``requestid``), the adapters settle what is not (a ConnectWise create whose
answer was lost is looked up), and the engine retries transient per-record failures; a record that
still fails becomes a dead letter with its typed error, and ``retry_dead_letters=True`` finishes the
job. The end state is compared with a fault-free run of the same world: equal, with no duplicates.

The 2,000-company world runs with ``MSPLINK_SLOW=1`` (``nox -s reliability``); the default suite runs
the same scenario on 200 companies.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from msplink.errors import RateLimitError, ServerError, TransportError
from msplink.sandbox import FaultKind, World, seed_world
from msplink.sync import MemoryStateStore
from msplink.sync.adapters import _base as adapter_base
from tests.sync._recipes import snapshot, state_tables, sync

TRANSIENT = (ServerError, TransportError, RateLimitError)


def _profile(world: World, seed: int, rate: float, refused: Sequence[str]) -> None:
    """The fault profile on the API paths of both sandboxes (token endpoints spared): 429s, 503s and
    dropped connections, writes applied with their answer lost; and every update of the ConnectWise
    companies ``refused`` answered 503, so those records exhaust their attempts."""
    api = r"/(apis/3\.0|v3/company)/"
    for company_id in refused:
        world.cw.faults.inject(
            FaultKind.SERVER_ERROR,
            rate=1.0,
            status=503,
            method="PATCH",
            path=f"/company/companies/{company_id}$",
        )
    for sandbox in (world.cw, world.qbo):
        sandbox.faults.reseed(seed)
        sandbox.faults.inject(FaultKind.RATE_LIMIT, rate=rate, retry_after=1, path=api)
        sandbox.faults.inject(FaultKind.SERVER_ERROR, rate=rate, status=503, path=api)
        sandbox.faults.inject(FaultKind.DROP_CONNECTION, rate=rate, path=api)
        for method in ("POST", "PATCH"):
            sandbox.faults.inject(FaultKind.LOSE_RESPONSE, rate=2 * rate, method=method, path=api)


def _converges(size: int, seed: int, rate: float) -> None:
    clean, faulty = seed_world(size, seed=seed), seed_world(size, seed=seed)
    clean_state, faulty_state = MemoryStateStore(), MemoryStateStore()
    clean_report = sync(clean, clean_state)
    expected_letters = {(d.flow, d.source.id, d.error_type) for d in clean_state.dead_letters()}
    updated = [o for o in clean_report.parts[1].outcomes if o.status == "updated" and o.target is not None]
    refused = {o.source.id: o.target.id for o in updated[:2] if o.target is not None}

    _profile(faulty, seed, rate, list(refused.values()))
    report = sync(faulty, faulty_state)
    injected = {
        kind: faulty.cw.faults.injected[kind] + faulty.qbo.faults.injected[kind] for kind in FaultKind
    }
    assert (
        min(injected[k] for k in (FaultKind.RATE_LIMIT, FaultKind.SERVER_ERROR, FaultKind.DROP_CONNECTION))
        > 0
    )
    assert injected[FaultKind.LOSE_RESPONSE] > 0
    letters = {(d.flow, d.source.id, d.error_type) for d in faulty_state.dead_letters()} - expected_letters
    # the refused updates, and any record the random faults failed on every attempt, with its typed error
    # (a refused update's last attempt may meet a random fault before its 503: a dropped connection)
    assert {("qbo-customers-to-cw-companies", source) for source in refused} <= {
        (f, s) for f, s, _ in letters
    }
    assert {error for _, _, error in letters} <= {"ServerError", "TransportError", "RateLimitError"}
    waiting = ("MappingError", "MatchPendingError")  # the clean run's letters too (unmapped; undecided)
    typed = {f.source.id: f.error for f in report.failures if f.error_type not in waiting}
    assert len(typed) == len(letters) and all(isinstance(e, TRANSIENT) for e in typed.values())

    for sandbox in (faulty.cw, faulty.qbo):
        sandbox.faults.clear()
    retried = sync(faulty, faulty_state, retry_dead_letters=True)
    assert {(d.flow, d.source.id, d.error_type) for d in faulty_state.dead_letters()} == expected_letters
    assert retried.outcome_counts["failed"] == len(expected_letters)  # the unmapped term, the undecided pair

    assert snapshot(faulty) == snapshot(clean)
    assert state_tables(faulty, faulty_state) == state_tables(clean, clean_state)


def test_a_200_company_sync_converges_exactly_under_the_fault_profile() -> None:
    _converges(200, seed=11, rate=0.08)


def test_under_the_fault_profile_with_every_wire_record_evicted_a_sync_still_converges(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Adapters keeping 2 wire records (``RAW_CACHE``): every update reads its record again by id
    before the write, under the same faults; the end state is still the fault-free run's."""
    monkeypatch.setattr(adapter_base, "RAW_CACHE", 2)
    monkeypatch.setattr(adapter_base.AdapterBase, "keeps_lookups", False)
    _converges(200, seed=11, rate=0.08)


@pytest.mark.slow
def test_a_2000_company_sync_converges_exactly_under_the_fault_profile() -> None:
    _converges(2000, seed=3, rate=0.03)
