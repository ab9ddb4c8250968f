"""``python -m msplink demo``: every recipe against a seeded MSP, twice, with no accounts.

Read this module top to bottom as an example of using msplink: it is what the demo runs.

1. :func:`open_world` seeds ConnectWise, QuickBooks and Salesforce sandboxes as one MSP with
   :func:`msplink.sandbox.seed_world` (or continues the world saved in ``--workdir``) and opens the
   state store the recipes share (``DIR/state.sqlite``, or one in memory).
2. :func:`dependency_order` sorts :data:`msplink.sync.recipes.RECIPES` so a recipe runs after the
   recipes its registry entry names in ``after`` (those whose links it needs or whose new records
   it carries on).
3. :func:`run_recipe` calls one recipe with :meth:`Recipe.sync <msplink.sync.recipes.Recipe.sync>`,
   which passes it the clients it declares.
4. :func:`run_demo` runs every recipe once (the first pass), lists what waits for a person (conflicts,
   dead letters: never applied automatically), prints the reports (MRR, AR aging, reconciliation),
   then runs every recipe again: nothing changed in between, so the second pass writes nothing.

Every API call is counted from the sandboxes' own request logs: the calls of each step add up to the
totals printed. The *platform minimum* next to them is what the platforms would allow at best for the
same work: one read per full page of the records each flow read (ConnectWise and QuickBooks pages of
1,000, Salesforce 2,000) plus one write per full batch of what it wrote (QuickBooks ``/batch`` of 30,
Salesforce 1,000: five collections of 200 in one ``POST /composite``; ConnectWise one record per call); token requests are not in it.
"""

from __future__ import annotations

import math
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Final, TextIO

import attrs

from msplink.sandbox import World, WorldClients, load_world, seed_world
from msplink.sync import (
    Conflict,
    DeadLetter,
    Flow,
    MemoryStateStore,
    SQLiteStateStore,
    StateStore,
    SyncReport,
    recipes,
)
from msplink.sync import reports as sync_reports
from msplink.sync.recipes import Recipe

__all__ = [
    "PAGE_SIZES",
    "STATE_FILE",
    "SYSTEMS",
    "WRITE_BATCHES",
    "DemoReport",
    "Step",
    "dependency_order",
    "minimum_calls",
    "open_world",
    "recipe_flows",
    "run_demo",
    "run_recipe",
]

SYSTEMS: Final = ("connectwise", "quickbooks", "salesforce")
STATE_FILE: Final = "state.sqlite"
"""The state store's file name inside ``--workdir`` (the world's JSON files sit beside it)."""

PAGE_SIZES: Final = {"connectwise": 1000, "quickbooks": 1000, "salesforce": 2000}
"""The largest page each platform serves (records per read call)."""

WRITE_BATCHES: Final = {"connectwise": 1, "quickbooks": 30, "salesforce": 1000}
"""The most records one write call can carry: ConnectWise has no batch writes, QuickBooks ``/batch``
takes 30 operations, Salesforce five sObject Collections of 200 records in one ``POST /composite``
(one API call, REFERENCE §9)."""


# ------------------------------------------------------------------------------------- the world


def open_world(
    *, size: str | int = "small", seed: int = 7, workdir: str | Path | None = None
) -> tuple[World, StateStore, bool]:
    """The seeded world and the state store: ``(world, state, resumed)``.

    With ``workdir``, a world saved there earlier is loaded (``resumed`` is true; ``size`` and
    ``seed`` are those it was seeded with) and the state store is ``workdir/state.sqlite``; else a
    new world is seeded. Without ``workdir`` the state lives in memory.
    """
    if workdir is None:
        return seed_world(size, seed=seed, procurement=True), MemoryStateStore(), False
    directory = Path(workdir)
    directory.mkdir(parents=True, exist_ok=True)
    state = SQLiteStateStore(directory / STATE_FILE)
    if (directory / "world.json").exists():
        return load_world(directory), state, True
    return seed_world(size, seed=seed, procurement=True), state, False


# ----------------------------------------------------------------------------------- the recipes


def _clients(clients: WorldClients | Any) -> dict[str, Any]:
    return {"cw": clients.cw, "qbo": clients.qbo, "sf": clients.sf}


def recipe_flows(
    recipe: Recipe, clients: WorldClients | Any, *, state: StateStore, config: Any, now: Any = None
) -> list[Flow]:
    """The recipe's flows, built over ``clients`` (building them does no I/O):
    :meth:`Recipe.make_flows <msplink.sync.recipes.Recipe.make_flows>` with the world's clients."""
    return list(recipe.make_flows(**_clients(clients), state=state, config=config, now=now))


def dependency_order(recipes: Mapping[str, Recipe]) -> list[str]:
    """Recipe names so that each comes after the recipes its :attr:`Recipe.after` names.

    A recipe runs after the ones whose links it needs (an invoice's customer) and the ones whose
    new records it carries on (a company a lead brought into ConnectWise becomes a Salesforce
    account), so one pass in this order leaves the next pass nothing to write. Ties keep the
    registry order; names in ``after`` that are not in ``recipes`` are ignored.

    Raises:
        ValueError: The ``after`` declarations form a cycle.
    """
    names = list(recipes)
    order: list[str] = []
    placed: set[str] = set()
    while len(order) < len(names):
        ready = [
            n
            for n in names
            if n not in placed and all(m in placed or m not in recipes for m in recipes[n].after)
        ]
        if not ready:
            raise ValueError(
                f"the recipes' after= declarations form a cycle among {sorted(set(names) - placed)}"
            )
        order.append(ready[0])
        placed.add(ready[0])
    return order


def run_recipe(
    recipe: Recipe,
    clients: WorldClients | Any,
    *,
    state: StateStore,
    config: Any,
    now: Any = None,
    dry_run: bool = False,
    progress: Any = None,
    retry_dead_letters: bool = False,
) -> SyncReport:
    """Run one registered recipe over the world's clients (:meth:`Recipe.sync
    <msplink.sync.recipes.Recipe.sync>`: each recipe gets the clients it declares)."""
    return recipe.sync(
        **_clients(clients),
        state=state,
        config=config,
        now=now,
        dry_run=dry_run,
        progress=progress,
        retry_dead_letters=retry_dead_letters,
    )


def minimum_calls(report: SyncReport, flows: Sequence[Any]) -> Counter[str]:
    """The fewest API calls the platforms allow for what ``report``'s flows read and wrote.

    Per object a recipe's flows read: one read per full page (:data:`PAGE_SIZES`) of the most records
    one of them read (at least one: the object must be asked even when nothing changed; flows that
    read the same object, ``Lead`` and its ``Lead.Company`` view, can share the read, as the
    Salesforce adapters of one recipe run do); per flow, one write per full batch
    (:data:`WRITE_BATCHES`) of what it wrote.
    """
    by_name = {f.name: f for f in flows}
    out: Counter[str] = Counter()
    reads: dict[tuple[str, str], int] = {}
    for part in report.parts or (report,):
        flow = by_name.get(part.flow)
        if flow is None:
            continue
        source, target = flow.source.system, flow.target.system
        records = sum(part.counts.values())
        key = (source, str(getattr(flow.source, "object", part.flow)).split(".")[0])
        reads[key] = max(reads.get(key, 1), math.ceil(records / PAGE_SIZES.get(source, 1000)))
        out[target] += math.ceil(part.writes / WRITE_BATCHES.get(target, 1))
    for (source, _), pages in reads.items():
        out[source] += pages
    return out


# --------------------------------------------------------------------------------------- the run


@attrs.frozen(kw_only=True)
class Step:
    """One recipe run in one pass.

    Attributes:
        recipe: The recipe name.
        round: 1 (first pass) or 2 (second pass).
        report: The recipe's :class:`~msplink.sync.SyncReport`.
        calls: API calls served per system during the step (the sandboxes' request logs).
        minimum: The platform minimum per system (:func:`minimum_calls`).
        seconds: Wall time of the step.
    """

    recipe: str
    round: int
    report: SyncReport
    calls: Mapping[str, int]
    minimum: Mapping[str, int]
    seconds: float


@attrs.frozen(kw_only=True)
class DemoReport:
    """What the demo did (the printed report, as data).

    Attributes:
        size: Companies in the world.
        seed: Its seed.
        workdir: Where the world and the state are kept (``None``: in memory).
        resumed: Whether an earlier run's world was continued.
        order: The recipes in the order they ran.
        steps: Every recipe run, both passes.
        report_calls: API calls per system of the reports (MRR, AR aging, reconciliation).
        calls: Every API call served per system (the steps' and the reports' add up to it).
        conflicts: Open conflicts after the first pass, waiting for a person.
        dead_letters: Dead letters after the first pass, waiting for a fix and a retry.
        mrr: The MRR report (``None`` when ``reports.mrr`` is not there).
        aging: The AR aging report (QuickBooks).
        reconciliation: The reconciliation (``None`` when ``reports.reconciliation`` is not there).
    """

    size: int
    seed: int
    workdir: Path | None
    resumed: bool
    order: tuple[str, ...]
    steps: tuple[Step, ...]
    report_calls: Mapping[str, int]
    calls: Mapping[str, int]
    conflicts: tuple[Conflict, ...]
    dead_letters: tuple[DeadLetter, ...]
    mrr: Any
    aging: sync_reports.ArAging
    reconciliation: Any

    def writes(self, round: int) -> int:
        """Records written in one pass."""
        return sum(s.report.writes for s in self.steps if s.round == round)

    def pass_calls(self, round: int) -> Counter[str]:
        """API calls per system in one pass."""
        out: Counter[str] = Counter()
        for step in self.steps:
            if step.round == round:
                out.update(step.calls)
        return out


def _served(world: World) -> dict[str, int]:
    return {
        "connectwise": len(world.cw.requests),
        "quickbooks": len(world.qbo.requests),
        "salesforce": len(world.sf.requests),
    }


@attrs.define
class _Calls:
    """API calls served since the last :meth:`take`, per system (from the sandboxes' logs)."""

    world: World
    last: dict[str, int] = attrs.Factory(dict)

    def __attrs_post_init__(self) -> None:
        self.last = _served(self.world)

    def take(self) -> dict[str, int]:
        now = _served(self.world)
        delta = {s: now[s] - self.last[s] for s in SYSTEMS}
        self.last = now
        return delta


class _Progress:
    """A progress bar per recipe: tqdm on stderr when the ``progress`` extra is installed, a line
    rewritten in place when stderr is a terminal, nothing otherwise. Called ``(records, writes)``
    per page of each flow."""

    def __init__(self, label: str, enabled: bool, stream: TextIO) -> None:
        self.label, self.stream = label, stream
        self.base = self.last = self.shown = 0
        self.bar: Any = None
        self.line = enabled and stream.isatty()
        if enabled:
            try:
                from tqdm import tqdm

                self.bar = tqdm(desc=label, unit=" records", file=stream, leave=False)
                self.line = False
            except ImportError:
                pass

    def __call__(self, records: int, writes: int) -> None:
        if records < self.last:  # the recipe's next flow started counting
            self.base += self.last
        self.last = records
        done = self.base + records
        if self.bar is not None:
            self.bar.update(done - self.shown)
            self.bar.set_postfix(writes=writes, refresh=False)
        elif self.line:
            self.stream.write(f"\r  {self.label}: {done} records, {writes} writes ")
            self.stream.flush()
        self.shown = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
        elif self.line:
            self.stream.write("\r" + " " * 78 + "\r")
            self.stream.flush()


def _run_pass(
    round: int,
    world: World,
    clients: WorldClients,
    state: StateStore,
    order: Sequence[str],
    flows: Mapping[str, Sequence[Any]],
    calls: _Calls,
    *,
    progress: bool,
    stream: TextIO,
    say: Callable[[str], object],
) -> list[Step]:
    steps = []
    for number, name in enumerate(order, 1):
        recipe = recipes.RECIPES[name]
        bar = _Progress(name, progress, stream)
        started = time.perf_counter()
        try:
            report = run_recipe(
                recipe, clients, state=state, config=world.config, now=world.clock.now, progress=bar
            )
        finally:
            bar.close()
        step = Step(
            recipe=name,
            round=round,
            report=report,
            calls=calls.take(),
            minimum=dict(minimum_calls(report, flows[name])),
            seconds=time.perf_counter() - started,
        )
        steps.append(step)
        for line in _describe(number, step):
            say(line)
    return steps


def run_demo(
    *,
    size: str | int = "small",
    seed: int = 7,
    workdir: str | Path | None = None,
    progress: bool = True,
    say: Callable[[str], object] = print,
    stream: TextIO | None = None,
) -> DemoReport:
    """Run every recipe twice against a seeded world and print a readable report.

    Args:
        size: ``small`` (40 companies), ``medium`` (400), ``large`` (4,000) or a number of companies.
        seed: The seed of the generated world.
        workdir: Keep the world and the state store there (``DIR/state.sqlite``): a second run
            continues the same world (and, nothing having changed, writes nothing).
        progress: Show a progress bar per recipe on ``stream``.
        say: Where the report's lines go (``print``).
        stream: The progress bars' stream (default: stderr).

    Returns:
        The :class:`DemoReport`.
    """
    world, state, resumed = open_world(size=size, seed=seed, workdir=workdir)
    stream = stream or sys.stderr
    try:
        with world.clients() as clients:
            return _demo(world, state, clients, resumed, workdir, progress, say, stream)
    finally:
        if workdir is not None:
            world.save(workdir)
        state.close()


def _demo(
    world: World,
    state: StateStore,
    clients: WorldClients,
    resumed: bool,
    workdir: str | Path | None,
    progress: bool,
    say: Callable[[str], object],
    stream: TextIO,
) -> DemoReport:
    flows = {
        name: recipe_flows(recipe, clients, state=state, config=world.config, now=world.clock.now)
        for name, recipe in recipes.RECIPES.items()
    }
    order = dependency_order(recipes.RECIPES)
    where = (
        f"world and state kept in {workdir} ({'continued' if resumed else 'new'})"
        if workdir is not None
        else "state in memory (--workdir DIR keeps it)"
    )
    say(
        f"msplink demo: an MSP of {world.size} companies (seed {world.seed}, today {world.today}) in "
        f"ConnectWise, QuickBooks and Salesforce sandboxes; {where}"
    )
    say("")
    say(f"First pass: {len(order)} recipe{'s' if len(order) != 1 else ''} in dependency order")
    calls = _Calls(world)
    first = _run_pass(
        1, world, clients, state, order, flows, calls, progress=progress, stream=stream, say=say
    )
    _say_totals(first, say)

    conflicts = tuple(state.conflicts("open"))
    dead = tuple(state.dead_letters())
    say("")
    for line in _review(conflicts, dead, workdir):
        say(line)

    say("")
    say("Reports")
    agreements = sync_reports.read_active_agreements(clients.cw, world.config)
    mrr_report, mrr = None, getattr(sync_reports, "mrr", None)  # reports land with their recipes
    if mrr is not None:
        mrr_report = mrr(agreements, as_of=world.today, months=6)
        say(_indent(_mrr_text(mrr_report)))
    aging = sync_reports.ar_aging(qbo=clients.qbo, config=world.config, as_of=world.today)
    say(_indent(str(aging)))
    reconciliation, reconcile = None, getattr(sync_reports, "reconciliation", None)
    if reconcile is not None:
        reconciliation = reconcile(cw=clients.cw, qbo=clients.qbo, state=state)
        say(_indent(_first_lines(str(reconciliation), 12)))
    report_calls = calls.take()
    say(f"  (the reports read {_calls_text(report_calls)})")

    say("")
    say("Second pass: every recipe again, nothing changed in between")
    second = _run_pass(
        2, world, clients, state, order, flows, calls, progress=progress, stream=stream, say=say
    )
    _say_totals(second, say)
    written = sum(s.report.writes for s in second)
    say(
        "  the second pass wrote nothing: every record was recognised as already in step"
        if written == 0
        else f"  the second pass wrote {written} records (see the steps above)"
    )
    steps = (*first, *second)
    total: Counter[str] = Counter(report_calls)
    for step in steps:
        total.update(step.calls)
    say("")
    say(f"API calls served in all: {_calls_text(total)}")
    return DemoReport(
        size=world.size,
        seed=world.seed,
        workdir=Path(workdir) if workdir is not None else None,
        resumed=resumed,
        order=tuple(order),
        steps=steps,
        report_calls=report_calls,
        calls={s: total[s] for s in SYSTEMS},
        conflicts=conflicts,
        dead_letters=dead,
        mrr=mrr_report,
        aging=aging,
        reconciliation=reconciliation,
    )


# ----------------------------------------------------------------------------------- the printing


def _calls_text(calls: Mapping[str, int], minimum: Mapping[str, int] | None = None) -> str:
    parts = []
    for system in SYSTEMS:
        n = calls.get(system, 0)
        if not n and not (minimum or {}).get(system):
            continue
        least = f" (minimum {minimum.get(system, 0)})" if minimum is not None else ""
        parts.append(f"{system} {n}{least}")
    total = sum(calls.values())
    return (", ".join(parts) or "none") + f" = {total} API call{'s' if total != 1 else ''}"


def _describe(number: int, step: Step) -> Iterator[str]:
    report = step.report
    outcomes = {k: v for k, v in report.outcome_counts.items() if v}
    records = sum(report.counts.values())
    summary = recipes.RECIPES[step.recipe].summary
    yield f"  {number}. {step.recipe}: {summary}"
    done = ", ".join(f"{n} {status}" for status, n in outcomes.items()) or "nothing to do"
    yield f"     read {records} records -> {report.writes} writes ({done})"
    for part in report.parts:
        if part.writes or part.outcome_counts.get("failed") or part.outcome_counts.get("conflict"):
            made = ", ".join(f"{n} {s}" for s, n in part.outcome_counts.items() if n and s != "skipped")
            yield f"       {part.flow}: {made}"
    yield f"     API calls: {_calls_text(step.calls, step.minimum)}  [{step.seconds:.1f}s]"


def _say_totals(steps: Sequence[Step], say: Callable[[str], object]) -> None:
    calls: Counter[str] = Counter()
    least: Counter[str] = Counter()
    for step in steps:
        calls.update(step.calls)
        least.update(step.minimum)
    writes = sum(s.report.writes for s in steps)
    say(f"  pass total: {writes} writes; API calls {_calls_text(calls, least)}")


def _review(
    conflicts: Sequence[Conflict], dead: Sequence[DeadLetter], workdir: str | Path | None
) -> Iterator[str]:
    yield (
        f"Waiting for review (msplink never applies these by itself): {len(conflicts)} conflicts, "
        f"{len(dead)} dead letters"
    )
    kinds = Counter(c.kind for c in conflicts)
    if conflicts:
        described = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
        yield f"  conflicts ({described}):"
        for c in conflicts[:8]:
            yield f"    #{c.id} {_conflict_text(c)}"
        if len(conflicts) > 8:
            yield f"    ... {len(conflicts) - 8} more"
    if dead:
        yield "  dead letters:"
        for d in dead[:8]:
            yield f"    {d.flow}: {d.source.system} {d.source.object_type} {d.source.id}: {d.error_type}: {d.message}"
        if len(dead) > 8:
            yield f"    ... {len(dead) - 8} more"
    where = f" --sandbox {workdir}" if workdir is not None else ""
    if conflicts or dead:
        if workdir is None:
            yield "  (run the demo with --workdir DIR to review them afterwards with the commands below)"
        yield f"  review: python -m msplink conflicts{where}; python -m msplink resolve ID --take source|target{where}"
        yield f"  retry:  python -m msplink dead-letters{where}; python -m msplink retry RECIPE{where}"


def _conflict_text(c: Conflict) -> str:
    source = f"{c.source.system} {c.source.object_type} {c.source.id}"
    if c.kind == "match":
        n = len(c.candidates)
        return f"{c.flow}: {source}: no certain match ({n} candidate{'s' if n != 1 else ''}, possibly claimed by another record)"
    if c.kind == "missing":
        return f"{c.flow}: {source}: its linked record is gone"
    return f"{c.flow}: {source} field {c.field!r}: {c.source_value!r} here, {c.target_value!r} there"


def _mrr_text(report: Any) -> str:
    totals = ", ".join(f"{m.amount:,.2f} {m.currency}" for m in report.totals) or "nothing"
    lines = [f"MRR on {report.as_of}: {totals}"]
    lines += [f"  {r.agreement_type:<26}{r.mrr.amount:>12,.2f} {r.mrr.currency}" for r in report.by_type]
    months = "  ".join(f"{m.month:%Y-%m} {m.mrr.amount:,.2f}" for m in report.by_month)
    lines.append(f"  month by month ({report.totals[0].currency if report.totals else ''}): {months}")
    return "\n".join(lines)


def _first_lines(text: str, n: int) -> str:
    lines = text.splitlines()
    return "\n".join(lines[:n] + ([f"  ... {len(lines) - n} more lines"] if len(lines) > n else []))


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())
