"""The subcommands of ``python -m msplink`` (each an ``add_arguments`` and a ``run`` returning the
exit code; :mod:`msplink.__main__` registers them)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from msplink._cli._common import (
    EXIT_OK,
    EXIT_REVIEW,
    EXIT_STOPPED,
    EXIT_USAGE,
    Context,
    add_json,
    add_source,
    add_state,
    emit,
    open_context,
    open_state,
)
from msplink.errors import ConfigurationError

__all__ = [
    "conflicts",
    "conflicts_arguments",
    "dead_letters",
    "dead_letters_arguments",
    "demo",
    "demo_arguments",
    "mappings",
    "mappings_arguments",
    "plan",
    "plan_arguments",
    "resolve",
    "resolve_arguments",
    "retry",
    "retry_arguments",
    "runs",
    "runs_arguments",
    "sync",
    "sync_arguments",
]


def _recipes() -> Any:
    from msplink.sync.recipes import RECIPES

    return RECIPES


def _recipe_argument(parser: argparse.ArgumentParser, *, nargs: str | None = None) -> None:
    names = sorted(_recipes())
    parser.add_argument(
        "recipe",
        nargs=nargs,
        choices=None if nargs else names,  # argparse checks an empty "*" list against choices
        metavar="RECIPE",
        help="a recipe of msplink.sync.recipes.RECIPES: " + ", ".join(names),
    )


# ------------------------------------------------------------------------------------------- demo


def _size(value: str) -> str | int:
    from msplink.sandbox import WORLD_SIZES

    if value in WORLD_SIZES:
        return value
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"choose small, medium, large or a number of companies, not {value!r}"
        ) from None
    if number < 1:
        raise argparse.ArgumentTypeError("the number of companies must be at least 1")
    return number


def demo_arguments(parser: argparse.ArgumentParser) -> None:
    """``demo [--size small|medium|large] [--seed N] [--workdir DIR] [--no-progress] [--json]``."""
    parser.add_argument(
        "--size",
        type=_size,
        default="small",
        help="small (40 companies, the default), medium (400), large (4,000) or a number of companies",
    )
    parser.add_argument("--seed", type=int, default=7, help="the seed of the generated world (default 7)")
    parser.add_argument(
        "--workdir",
        metavar="DIR",
        help="keep the world and the state store (DIR/state.sqlite) there: a second run continues it",
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")
    add_json(parser)


def demo(args: argparse.Namespace) -> int:
    """Seed the sandboxes, run every recipe twice, print the report."""
    from msplink.demo import run_demo

    quiet = bool(args.json)
    lines: list[str] = []
    report = run_demo(
        size=args.size,
        seed=args.seed,
        workdir=args.workdir,
        progress=not args.no_progress and not quiet,
        say=lines.append if quiet else print,
    )
    if quiet:
        emit(
            args,
            {
                "size": report.size,
                "seed": report.seed,
                "workdir": str(report.workdir) if report.workdir else None,
                "resumed": report.resumed,
                "order": list(report.order),
                "steps": [
                    {
                        "recipe": s.recipe,
                        "round": s.round,
                        "writes": s.report.writes,
                        "outcomes": {k: v for k, v in s.report.outcome_counts.items() if v},
                        "calls": dict(s.calls),
                        "minimum": dict(s.minimum),
                    }
                    for s in report.steps
                ],
                "writes": {"first": report.writes(1), "second": report.writes(2)},
                "report_calls": dict(report.report_calls),
                "calls": dict(report.calls),
                "conflicts": len(report.conflicts),
                "dead_letters": len(report.dead_letters),
                "ar_aging": report.aging.to_dict(),
                "mrr": report.mrr.to_dict() if report.mrr is not None else None,
            },
            "",
        )
    return EXIT_OK


# ------------------------------------------------------------------------------------- sync, plan


def sync_arguments(parser: argparse.ArgumentParser) -> None:
    """``sync RECIPE [--dry-run] [--state PATH] [--sandbox DIR] [--config PATH] [--json]``."""
    _recipe_argument(parser)
    parser.add_argument("--dry-run", action="store_true", help="plan and report only: write nothing")
    add_source(parser)
    add_json(parser)


def _review_code(report: Any) -> int:
    if report.status == "failed":
        return EXIT_STOPPED
    waiting = report.failures or report.outcome_counts.get("conflict") or report.outcome_counts.get("failed")
    return EXIT_REVIEW if waiting else EXIT_OK


def _run(args: argparse.Namespace, names: Sequence[str], *, retry_dead_letters: bool = False) -> int:
    recipes = _recipes()
    systems = sorted({s for n in names for s in recipes[n].systems})
    worst = EXIT_OK
    reports = []
    with open_context(args, systems, save=not getattr(args, "dry_run", False)) as ctx:
        for name in names:
            report = recipes[name].sync(
                cw=ctx.cw,
                qbo=ctx.qbo,
                sf=ctx.sf,
                state=ctx.state,
                config=ctx.config,
                now=ctx.now,
                dry_run=getattr(args, "dry_run", False),
                progress=True if not args.json and sys.stderr.isatty() else None,
                retry_dead_letters=retry_dead_letters,
            )
            reports.append(report)
            worst = max(worst, _review_code(report))
    emit(
        args,
        [r.to_dict() for r in reports],
        [str(r) for r in reports],
    )
    return worst


def _flows(recipe: Any, ctx: Context) -> tuple[Any, ...]:
    """The recipe's flows over the command's clients (building them does no I/O)."""
    flows: tuple[Any, ...] = recipe.make_flows(
        cw=ctx.cw, qbo=ctx.qbo, sf=ctx.sf, state=ctx.state, config=ctx.config, now=ctx.now
    )
    return flows


def sync(args: argparse.Namespace) -> int:
    """Run one recipe (exit 1 when records failed or conflicts wait for review)."""
    return _run(args, [args.recipe])


def plan_arguments(parser: argparse.ArgumentParser) -> None:
    """``plan RECIPE [--state PATH] [--sandbox DIR] [--config PATH] [--json]``."""
    _recipe_argument(parser)
    add_source(parser)
    add_json(parser)


def plan(args: argparse.Namespace) -> int:
    """Print what each flow of a recipe would write, writing nothing."""
    from msplink.sync import plan as make_plan

    recipe = _recipes()[args.recipe]
    with open_context(args, recipe.systems) as ctx:
        plans = [make_plan(flow, state=ctx.state) for flow in _flows(recipe, ctx)]
    emit(args, [p.to_dict() for p in plans], [str(p) for p in plans])
    return EXIT_OK


def retry_arguments(parser: argparse.ArgumentParser) -> None:
    """``retry [RECIPE ...] [--state PATH] [--sandbox DIR] [--config PATH] [--json]``."""
    _recipe_argument(parser, nargs="*")
    add_source(parser)
    add_json(parser)


def retry(args: argparse.Namespace) -> int:
    """Run recipes with their dead letters retried first (default: every recipe with dead letters)."""
    names = list(args.recipe)
    unknown = [n for n in names if n not in _recipes()]
    if unknown:
        sys.stderr.write(
            f"msplink retry: unknown recipe {unknown[0]!r}: choose from {', '.join(sorted(_recipes()))}\n"
        )
        return EXIT_USAGE
    if not names:
        from msplink.demo import dependency_order

        recipes = _recipes()
        systems = sorted({s for r in recipes.values() for s in r.systems})
        with open_context(args, systems) as ctx:
            waiting = {d.flow for d in ctx.state.dead_letters()}
            # each waiting flow is retried once, by the first recipe (in dependency order) that runs it;
            # several recipes share a flow (invoices_to_quickbooks carries companies_and_customers' one)
            for name in dependency_order(recipes):
                flows = {f.name for f in _flows(recipes[name], ctx)} & waiting
                if flows:
                    names.append(name)
                    waiting -= flows
        if not names:
            emit(args, [], "no dead letters to retry")
            return EXIT_OK
    return _run(args, names, retry_dead_letters=True)


# --------------------------------------------------------------------------------- review queues


def conflicts_arguments(parser: argparse.ArgumentParser) -> None:
    """``conflicts [--status open|resolved|applied|all] [--flow FLOW] [--state PATH] [--json]``."""
    parser.add_argument(
        "--status",
        choices=("open", "resolved", "applied", "all"),
        default="open",
        help="which conflicts (default: open ones, waiting for a person)",
    )
    parser.add_argument("--flow", help="only this flow's")
    add_state(parser)
    add_json(parser)


def _ref(ref: Any) -> str:
    return "-" if ref is None else f"{ref.system}:{ref.object_type}:{ref.id}"


def _conflict_line(c: Any) -> str:
    head = f"#{c.id} [{c.status}] {c.flow}: {_ref(c.source)}"
    if c.kind == "match":
        candidates = ", ".join(_ref(x) for x in c.candidates)
        return f"{head} matches several records: {candidates} (take one id, or 'source' to create)"
    if c.kind == "missing":
        return f"{head}: its linked record {_ref(c.target)} is gone (source re-creates it, target leaves it)"
    decided = f" -> take {c.take}" if c.take else ""
    return f"{head} -> {_ref(c.target)} field {c.field!r}: source {c.source_value!r}, target {c.target_value!r}{decided}"


def _conflict_dict(c: Any) -> dict[str, Any]:
    return {
        "id": c.id,
        "flow": c.flow,
        "kind": c.kind,
        "field": c.field,
        "status": c.status,
        "source": _ref(c.source),
        "target": _ref(c.target) if c.target else None,
        "source_value": c.source_value,
        "target_value": c.target_value,
        "candidates": [_ref(x) for x in c.candidates],
        "take": c.take,
        "value": c.value,
    }


def conflicts(args: argparse.Namespace) -> int:
    """List conflicts (exit 0: listing is not a failure)."""
    state = open_state(args)
    try:
        found = state.conflicts(None if args.status == "all" else args.status, flow=args.flow)
    finally:
        state.close()
    text = [_conflict_line(c) for c in found] or [f"no {args.status} conflicts"]
    emit(args, [_conflict_dict(c) for c in found], text)
    return EXIT_OK


def resolve_arguments(parser: argparse.ArgumentParser) -> None:
    """``resolve ID --take source|target|CANDIDATE [--state PATH] [--json]``."""
    parser.add_argument("id", type=int, help="the conflict's id (see 'conflicts')")
    parser.add_argument(
        "--take",
        required=True,
        metavar="source|target|CANDIDATE",
        help="keep the source's value or the target's; for an ambiguous match, the candidate id to link "
        "(or 'source' to create a new record)",
    )
    add_state(parser)
    add_json(parser)


def resolve(args: argparse.Namespace) -> int:
    """Decide a conflict; the recipe's next run writes the decision."""
    state = open_state(args)
    try:
        decided = state.resolve_conflict(args.id, args.take)
    finally:
        state.close()
    emit(
        args,
        _conflict_dict(decided),
        [_conflict_line(decided), "decided: the next sync of its recipe writes it"],
    )
    return EXIT_OK


def dead_letters_arguments(parser: argparse.ArgumentParser) -> None:
    """``dead-letters [--flow FLOW] [--state PATH] [--json]``."""
    parser.add_argument("--flow", help="only this flow's")
    add_state(parser)
    add_json(parser)


def dead_letters(args: argparse.Namespace) -> int:
    """List records that failed, with their errors (exit 0)."""
    state = open_state(args)
    try:
        letters = state.dead_letters(args.flow)
    finally:
        state.close()
    rows = [
        {
            "flow": d.flow,
            "source": _ref(d.source),
            "action": d.action,
            "error_type": d.error_type,
            "message": d.message,
            "attempts": d.attempts,
            "first_seen": d.first_seen,
            "last_seen": d.last_seen,
        }
        for d in letters
    ]
    text = [
        f"{d.flow}: {_ref(d.source)} {d.action} failed {d.attempts}x: {d.error_type}: {d.message}"
        for d in letters
    ] or ["no dead letters"]
    if letters:
        text.append("fix the cause (a mapping, a record), then: python -m msplink retry RECIPE")
    emit(args, rows, text)
    return EXIT_OK


def runs_arguments(parser: argparse.ArgumentParser) -> None:
    """``runs [--flow FLOW] [--limit N] [--state PATH] [--json]``."""
    parser.add_argument("--flow", help="only this flow's")
    parser.add_argument("--limit", type=int, default=20, help="the last N runs (default 20; 0: all)")
    add_state(parser)
    add_json(parser)


def runs(args: argparse.Namespace) -> int:
    """The run log, oldest first (exit 0)."""
    state = open_state(args)
    try:
        found = state.runs(args.flow)
    finally:
        state.close()
    if args.limit > 0:
        found = found[-args.limit :]
    rows = [
        {
            "id": r.id,
            "flow": r.flow,
            "started_at": r.started_at,
            "ended_at": r.ended_at,
            "writes": r.writes,
            "counts": dict(r.counts),
            "api_calls": dict(r.api_calls),
            "dry_run": r.dry_run,
            "status": r.status,
            "error": r.error,
        }
        for r in found
    ]
    text = [
        f"#{r.id} {r.started_at:%Y-%m-%d %H:%M:%S} {r.flow} [{r.status}{', dry run' if r.dry_run else ''}] "
        f"{r.writes} writes, API calls {sum(r.api_calls.values())}" + (f": {r.error}" if r.error else "")
        for r in found
    ] or ["no runs"]
    emit(args, rows, text)
    return EXIT_OK


# ---------------------------------------------------------------------------------------- mappings


def mappings_arguments(parser: argparse.ArgumentParser) -> None:
    """``mappings [--unmapped] [--sandbox DIR] [--config PATH] [--json]``."""
    parser.add_argument(
        "--unmapped",
        action="store_true",
        help="list the ConnectWise values the config cannot map to QuickBooks yet, with proposals",
    )
    add_source(parser)
    add_json(parser)


def mappings(args: argparse.Namespace) -> int:
    """Show the MappingConfig, or (``--unmapped``) what it cannot map yet (exit 1 when something is)."""
    if not args.unmapped:
        with open_context(args, ()) as ctx:
            data = ctx.config.to_dict()
        tables = {k: v for k, v in data.items() if isinstance(v, dict)}
        text = [f"{name}: {len(entries)} entries" for name, entries in sorted(tables.items())]
        emit(args, data, text or ["an empty MappingConfig"])
        return EXIT_OK
    from msplink.sync import reports

    unmapped = getattr(reports, "unmapped", None)
    if unmapped is None:
        raise ConfigurationError("this msplink has no reports.unmapped yet")
    with open_context(args, ("connectwise", "quickbooks")) as ctx:
        found = unmapped(cw=ctx.cw, qbo=ctx.qbo, config=ctx.config)
    emit(args, found.to_dict(), str(found))
    missing = getattr(found, "missing", {})
    return EXIT_REVIEW if any(missing.values()) else EXIT_OK
