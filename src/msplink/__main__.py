"""``python -m msplink``: the command line.

Subcommands (``python -m msplink COMMAND --help`` for each):

* ``demo [--size small|medium|large] [--seed N] [--workdir DIR]``: every recipe, twice, against
  seeded sandboxes (no accounts needed); the code is :mod:`msplink.demo`.
* ``sync RECIPE [--dry-run] [--state PATH]``: run a recipe (credentials from the ``MSPLINK_*``
  environment via each client's ``from_env()``, or ``--sandbox DIR`` for a world the demo saved).
* ``plan RECIPE``: print what a recipe would write, writing nothing.
* ``conflicts`` / ``resolve ID --take source|target``: the questions waiting for a person.
* ``dead-letters`` / ``retry [RECIPE ...]``: records that failed, and running them again.
* ``runs``: the run log. ``mappings [--unmapped]``: the MappingConfig and what it cannot map yet.
* ``check [PLATFORM ...]``: try the credentials in the environment and say what is wrong.

Every subcommand takes ``--json`` (one JSON document on stdout, for scripts) where it prints data.

Exit codes:

* 0: done; nothing waits for a person.
* 1: done, but records failed (dead letters) or conflicts wait for review; a check failed; the
  config cannot map everything (``mappings --unmapped``).
* 2: the command line is wrong (unknown command, recipe or option; no platform configured for ``check``).
* 3: configuration: missing credentials or mapping config, no state store or saved world where one
  was named, a decision that does not fit its conflict.
* 4: a run stopped: a guard was breached before its first write, another process holds the flow's
  lease, or an API or transport error aborted it.

Each subcommand is a :class:`Command` registered in :data:`COMMANDS` (``add_arguments`` and
``run``), so more can be added without touching the others.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence

import attrs

from msplink._cli import _commands as cli
from msplink._cli._common import EXIT_CONFIG, EXIT_STOPPED, add_json

__all__ = ["COMMANDS", "Command", "build_parser", "main"]


@attrs.frozen
class Command:
    """A subcommand: its help line, how it adds its arguments, and what it runs (returns the exit code)."""

    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


def _check_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "platforms",
        nargs="*",
        metavar="platform",
        help="connectwise, quickbooks and/or salesforce (default: every one with MSPLINK_* variables set)",
    )
    add_json(parser)


def _check(args: argparse.Namespace, environ: Mapping[str, str] | None = None) -> int:
    import json
    import os

    from msplink._check import PLATFORMS, check_from_env, configured

    env = os.environ if environ is None else environ
    unknown = [p for p in args.platforms if p not in PLATFORMS]
    if unknown:
        print(f"unknown platform {unknown[0]!r}: choose from {', '.join(PLATFORMS)}", file=sys.stderr)
        return 2
    chosen = list(args.platforms) or [p for p in PLATFORMS if configured(p, env)]
    if not chosen:
        print(
            "No MSPLINK_CW_*, MSPLINK_QBO_* or MSPLINK_SF_* variables are set: name a platform, or see "
            "docs/connectwise-credentials.md, docs/quickbooks-credentials.md, docs/salesforce-credentials.md"
        )
        return 2
    failed = 0
    results = []
    for platform in chosen:
        result = check_from_env(platform, env)
        results.append(result)
        failed += not result.ok
    if getattr(args, "json", False):
        rows = [{"platform": p, "ok": r.ok, "text": str(r)} for p, r in zip(chosen, results, strict=True)]
        print(json.dumps(rows, indent=2))
    else:
        for result in results:
            print(result)
    return 1 if failed else 0


COMMANDS: dict[str, Command] = {
    "demo": Command(
        "run every recipe twice against seeded ConnectWise, QuickBooks and Salesforce sandboxes, no accounts",
        cli.demo_arguments,
        cli.demo,
    ),
    "sync": Command("run a recipe once", cli.sync_arguments, cli.sync),
    "plan": Command("print what a recipe would write, writing nothing", cli.plan_arguments, cli.plan),
    "conflicts": Command("list the conflicts waiting for a person", cli.conflicts_arguments, cli.conflicts),
    "resolve": Command(
        "decide a conflict (the recipe's next sync writes the decision)", cli.resolve_arguments, cli.resolve
    ),
    "dead-letters": Command(
        "list the records that failed, and why", cli.dead_letters_arguments, cli.dead_letters
    ),
    "retry": Command("run recipes with their dead letters retried first", cli.retry_arguments, cli.retry),
    "runs": Command("the run log", cli.runs_arguments, cli.runs),
    "mappings": Command(
        "show the MappingConfig, or what it cannot map yet (--unmapped)", cli.mappings_arguments, cli.mappings
    ),
    "check": Command(
        "try the credentials in the MSPLINK_* environment variables and say what is wrong",
        _check_arguments,
        _check,
    ),
}
"""The subcommands, by name."""

_EPILOG = """exit codes: 0 done; 1 done, but records failed or conflicts wait for review (or a check
failed); 2 wrong command line; 3 configuration (credentials, state store, saved world); 4 a run
stopped (guard, lease, API error). See python -m msplink COMMAND --help."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand of :data:`COMMANDS`."""
    parser = argparse.ArgumentParser(
        prog="python -m msplink",
        description="msplink on the command line: keep ConnectWise, QuickBooks and Salesforce in step.",
        epilog=_EPILOG,
    )
    parser.add_argument("-v", "--verbose", action="count", default=0, help="log more (-v INFO, -vv DEBUG)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="command")
    for name, command in COMMANDS.items():
        command.add_arguments(
            sub.add_parser(name, help=command.help, description=command.help, epilog=_EPILOG)
        )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run the subcommand; returns the exit code (see the module doc)."""
    from msplink.errors import APIError, ConfigurationError, MsplinkError, TransportError

    args = build_parser().parse_args(argv)
    with _logging(args.verbose):
        try:
            return COMMANDS[args.command].run(args)
        except ConfigurationError as exc:
            print(f"msplink {args.command}: {exc}", file=sys.stderr)
            return EXIT_CONFIG
        except (APIError, TransportError, MsplinkError) as exc:
            print(f"msplink {args.command}: stopped: {type(exc).__name__}: {exc}", file=sys.stderr)
            return EXIT_STOPPED


@contextlib.contextmanager
def _logging(verbose: int) -> Iterator[None]:
    """msplink's log lines on stderr for this command only (errors by default; ``-v`` INFO, ``-vv``
    DEBUG); the logger is put back as it was afterwards (the library itself adds no handlers)."""
    logger = logging.getLogger("msplink")
    level = {0: logging.ERROR, 1: logging.INFO}.get(verbose, logging.DEBUG)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    saved = (logger.level, logger.propagate)
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(saved[0])
        logger.propagate = saved[1]


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # `python -m msplink runs | head`: the reader left, which is fine
        sys.stderr.close()
        sys.exit(0)
