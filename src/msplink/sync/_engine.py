"""The engine's public functions and the two drivers of the run loop (``msplink.sync._session``).

A driver takes each I/O request the session yields, carries it out with the flow's adapters and
sends the result back (or throws the adapter's ``MsplinkError`` in); the sync driver calls the
sync adapters, the async driver awaits the async ones. Nothing else differs between the twins.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Generator, Sequence
from typing import Any, TypeAlias

from msplink.errors import ConfigurationError, MsplinkError
from msplink.sync._flow import Flow
from msplink.sync._plan import Plan
from msplink.sync._protocols import StateStore
from msplink.sync._report import ProgressCallback, SyncReport, make_progress
from msplink.sync._session import (
    WRITE_CONCURRENCY,
    Fetch,
    ListIds,
    Lookup,
    ReadChanges,
    Request,
    Session,
    Settle,
    Writes,
    api_calls,
    is_fatal,
)

__all__ = ["aapply", "aplan", "apply", "arun", "arun_together", "plan", "run", "run_together"]


# ------------------------------------------------------------------------------------- drivers


def _is_async(flow: Flow) -> bool:
    return inspect.iscoroutinefunction(
        getattr(flow.source, "read_changes", None)
    ) or inspect.iscoroutinefunction(getattr(flow.target, "write", None))


def _adapter_call(flow: Flow, request: Request) -> tuple[Callable[..., Any], tuple[Any, ...]]:
    """The adapter method that carries out a request, and its arguments."""
    source: Any = flow.source
    target: Any = flow.target
    if isinstance(request, ReadChanges):
        return source.read_changes, (request.since, request.token)
    if isinstance(request, Fetch):
        return source.fetch, (list(request.ids),)
    if isinstance(request, ListIds):
        return source.list_ids, ()
    if isinstance(request, Lookup):
        return target.lookup, (request.request,)
    if isinstance(request, Settle):
        return target.settle, (list(request.intents),)
    raise TypeError(f"{type(request).__name__} is carried out by the driver itself")


def _write(target: Any, request: Writes) -> tuple[Any, ...]:
    """The batches of a :class:`Writes`, in order (none after one that failed for good)."""
    out: list[Any] = []
    stopped = False
    for ops in request.batches:
        if stopped:
            out.append(None)
            continue
        try:
            out.append(target.write(list(ops)))
        except MsplinkError as exc:
            out.append(exc)
            stopped = is_fatal(exc)
    return tuple(out)


async def _awrite(target: Any, request: Writes) -> tuple[Any, ...]:
    """The batches of a :class:`Writes`, up to the target's ``write_concurrency`` (default
    :data:`~msplink.sync._session.WRITE_CONCURRENCY`: one) at once; none starts after one failed for
    good."""
    limit = asyncio.Semaphore(max(1, int(getattr(target, "write_concurrency", WRITE_CONCURRENCY))))
    stopped = False

    async def one(ops: tuple[Any, ...]) -> Any:
        nonlocal stopped
        async with limit:
            if stopped:
                return None
            try:
                return await target.write(list(ops))
            except MsplinkError as exc:
                stopped = stopped or is_fatal(exc)
                return exc

    return tuple(await asyncio.gather(*(one(ops) for ops in request.batches)))


Turns: TypeAlias = Generator[tuple[Flow, Request], Any, list[Any]]


def _turns(sessions: Sequence[Session]) -> Turns:
    """The run loops of ``sessions`` in turn, one page each: the plan both drivers carry out.

    It yields ``(flow, request)`` for the driver to carry out with that flow's adapters and takes the
    result back (or the adapter's ``MsplinkError`` thrown in). A session's turn ends when it asks for
    its next page (the next :class:`ReadChanges` after the one its turn answered): the next session
    then handles the page it has, so each page of a shared source is read once while the sessions
    page through it together (:class:`~msplink.sync.adapters.SharedPages`). Sessions whose targets
    gather source pages (``plan_records``) all gather to the largest, so a flow that needs another's
    writes (tasks of invoices) never plans a page the other has only read. One session is the plain
    run loop. Every loop is closed when it ends or one fails (its lease released).
    """
    unit = max((session.own_unit for session in sessions), default=1)
    for session in sessions:  # every session plans on the same page boundaries: a page is handled
        session.unit = unit  # by all of them (written, committed) before any plans the next
    loops = [session.main() for session in sessions]
    results: list[Any] = [None] * len(loops)
    waiting: dict[int, Request] = {}
    active = list(range(len(loops)))
    try:
        while active:
            for n in list(active):
                loop, flow = loops[n], sessions[n].flow
                others = [m for m in active if m != n]
                before = [api_calls(sessions[m].flow) for m in others]
                try:
                    request = waiting.pop(n) if n in waiting else next(loop)
                    read = False
                    while not (read and isinstance(request, ReadChanges)):
                        read = read or isinstance(request, ReadChanges)
                        try:
                            result = yield flow, request
                        except MsplinkError as exc:
                            request = loop.throw(exc)
                        else:
                            request = loop.send(result)
                    waiting[n] = request  # its next page: the next session's turn
                except StopIteration as stop:
                    results[n] = stop.value
                    active.remove(n)
                for m, was in zip(others, before, strict=True):  # what this turn called is not theirs
                    elsewhere = sessions[m].calls_elsewhere
                    for system, count in api_calls(sessions[m].flow).items():
                        elsewhere[system] = elsewhere.get(system, 0) + count - was.get(system, 0)
        return results
    finally:
        for loop in loops:
            loop.close()


def _drive_all(sessions: Sequence[Session]) -> list[Any]:
    for session in sessions:
        if _is_async(session.flow):
            raise ConfigurationError(
                f"flow {session.flow.name!r} has async adapters: use arun / aplan / aapply"
            )
    turns = _turns(sessions)
    try:
        flow, request = next(turns)
        while True:
            if isinstance(request, Writes):
                flow, request = turns.send(_write(flow.target, request))
                continue
            method, args = _adapter_call(flow, request)
            try:
                result = method(*args)
            except MsplinkError as exc:
                flow, request = turns.throw(exc)
            else:
                flow, request = turns.send(result)
    except StopIteration as stop:
        done: list[Any] = stop.value
        return done
    finally:
        turns.close()


async def _adrive_all(sessions: Sequence[Session]) -> list[Any]:
    for session in sessions:
        if not _is_async(session.flow):
            raise ConfigurationError(f"flow {session.flow.name!r} has sync adapters: use run / plan / apply")
    turns = _turns(sessions)
    try:
        flow, request = next(turns)
        while True:
            if isinstance(request, Writes):
                flow, request = turns.send(await _awrite(flow.target, request))
                continue
            method, args = _adapter_call(flow, request)
            try:
                result = await method(*args)
            except MsplinkError as exc:
                flow, request = turns.throw(exc)
            else:
                flow, request = turns.send(result)
    except StopIteration as stop:
        done: list[Any] = stop.value
        return done
    finally:
        turns.close()


def _drive(session: Session) -> Any:
    return _drive_all([session])[0]


async def _adrive(session: Session) -> Any:
    return (await _adrive_all([session]))[0]


# ------------------------------------------------------------------------------------ public API


def _run_session(
    flow: Flow, state: StateStore, dry_run: bool, progress: Any, retry_dead_letters: bool
) -> tuple[Session, Any]:
    callback, close = make_progress(progress, flow.name)
    mode = "dry" if dry_run else "run"
    return Session(flow, state, mode=mode, retry_dead_letters=retry_dead_letters, progress=callback), close


def _apply_session(plan: Plan, state: StateStore, flow: Flow | None, progress: Any) -> tuple[Session, Any]:
    flow = flow or plan.flow_object
    if not isinstance(flow, Flow):
        raise ConfigurationError("apply() needs the flow: pass flow= for a plan that was not made by plan()")
    if flow.name != plan.flow:
        raise ConfigurationError(f"the plan is for flow {plan.flow!r}, not {flow.name!r}")
    callback, close = make_progress(progress, flow.name)
    return Session(flow, state, mode="apply", progress=callback, given=plan), close


def plan(flow: Flow, *, state: StateStore) -> Plan:
    """Read the flow's changes and plan them, writing nothing and moving no state.

    Reads pages of changes from the source (``read_changes``) and one batched target look-up per
    page; the returned :class:`Plan` can be inspected and handed to :func:`apply`.

    Raises:
        SyncError: Reading failed (authentication, configuration, exhausted retries).
        ConfigurationError: The flow's adapters are async (use :func:`aplan`).
    """
    result: Plan = _drive(Session(flow, state, mode="plan"))
    return result


def run(
    flow: Flow,
    *,
    state: StateStore,
    dry_run: bool = False,
    progress: bool | ProgressCallback | None = None,
    retry_dead_letters: bool = False,
) -> SyncReport:
    """Sync one flow: plan and apply page by page (SYNC.md §4).

    Args:
        flow: What to sync.
        state: The state store (identity map, ledger, journal, watermark ...).
        dry_run: Plan and report only: nothing is written and no state moves (the run log gets a
            row marked dry).
        progress: ``True`` for a tqdm bar (``progress`` extra; log lines otherwise), or a callback
            ``progress(records_done, writes_done)`` called after every page.
        retry_dead_letters: Fetch the flow's dead letters again and retry them first.

    Returns:
        The report, also written to the run log.

    Raises:
        GuardError: The plan exceeded the flow's guards (raised before the page's first write).
        LeaseError: Another process is running the flow against this state store.
        SyncError: Authentication, configuration or reading failed; ``exc.report`` holds the
            partial report. Everything committed before stays (the next run resumes).
    """
    session, close = _run_session(flow, state, dry_run, progress, retry_dead_letters)
    try:
        result: SyncReport = _drive(session)
        return result
    finally:
        close()


def apply(
    plan: Plan,
    *,
    state: StateStore,
    flow: Flow | None = None,
    progress: bool | ProgressCallback | None = None,
) -> SyncReport:
    """Carry out a plan made by :func:`plan`.

    Every record that writes or links is read again (one fetch and one look-up per chunk): one that
    changed since planning is re-planned (and may become a conflict), never blindly overwritten.
    The guards are checked on the whole plan before the first write; the watermark moves to where
    the plan's read ended.

    Raises:
        GuardError: The plan exceeds the flow's guards (nothing written).
        LeaseError: Another process is running the flow.
        SyncError: Authentication, configuration or reading failed.
    """
    session, close = _apply_session(plan, state, flow, progress)
    try:
        result: SyncReport = _drive(session)
        return result
    finally:
        close()


async def aplan(flow: Flow, *, state: StateStore) -> Plan:
    """The async twin of :func:`plan` (async adapters)."""
    result: Plan = await _adrive(Session(flow, state, mode="plan"))
    return result


async def arun(
    flow: Flow,
    *,
    state: StateStore,
    dry_run: bool = False,
    progress: bool | ProgressCallback | None = None,
    retry_dead_letters: bool = False,
) -> SyncReport:
    """The async twin of :func:`run` (async adapters; the state store is called in-line)."""
    session, close = _run_session(flow, state, dry_run, progress, retry_dead_letters)
    try:
        result: SyncReport = await _adrive(session)
        return result
    finally:
        close()


async def aapply(
    plan: Plan,
    *,
    state: StateStore,
    flow: Flow | None = None,
    progress: bool | ProgressCallback | None = None,
) -> SyncReport:
    """The async twin of :func:`apply`."""
    session, close = _apply_session(plan, state, flow, progress)
    try:
        result: SyncReport = await _adrive(session)
        return result
    finally:
        close()


def run_together(
    flows: Sequence[Flow],
    *,
    state: StateStore,
    dry_run: bool = False,
    progress: bool | ProgressCallback | None = None,
    retry_dead_letters: bool = False,
) -> list[SyncReport]:
    """Sync several flows page by page in turn: each flow handles its next page after every other
    flow handled the page it had (the same run loop as :func:`run`, one page at a time per flow).

    Flows that read one source through a :class:`~msplink.sync.adapters.SharedPages` (the same
    changes, two targets: invoices and their follow-up tasks) read each page once, and hold one page,
    however many pages the run reads. Run together only flows none of which needs another's whole run
    first: a flow that needs the links another makes for records of any page runs after it (:func:`run`).

    Args:
        flows: The flows, in the order each page goes through them.
        state: The state store they share.
        dry_run: Plan and report only (see :func:`run`).
        progress: See :func:`run` (one bar or callback per flow).
        retry_dead_letters: Retry each flow's dead letters first.

    Returns:
        One report per flow, in order (each counts the API calls of its own turns only).

    Raises:
        GuardError: A flow's plan exceeded its guards (before that page's first write).
        LeaseError: Another process runs one of the flows.
        SyncError: Authentication, configuration or reading failed in a flow; every flow keeps what
            it committed (the next run resumes each).
    """
    opened = [_run_session(flow, state, dry_run, progress, retry_dead_letters) for flow in flows]
    try:
        results: list[SyncReport] = _drive_all([session for session, _ in opened])
        return results
    finally:
        for _, close in opened:
            close()


async def arun_together(
    flows: Sequence[Flow],
    *,
    state: StateStore,
    dry_run: bool = False,
    progress: bool | ProgressCallback | None = None,
    retry_dead_letters: bool = False,
) -> list[SyncReport]:
    """The async twin of :func:`run_together`."""
    opened = [_run_session(flow, state, dry_run, progress, retry_dead_letters) for flow in flows]
    try:
        results: list[SyncReport] = await _adrive_all([session for session, _ in opened])
        return results
    finally:
        for _, close in opened:
            close()
