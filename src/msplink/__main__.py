"""``python -m msplink``: the command line.

Subcommands:

* ``demo`` runs msplink end to end against the in-process sandboxes (no accounts needed).
* ``check [connectwise|quickbooks|salesforce]`` tries the credentials in the ``MSPLINK_*``
  environment variables with the cheapest real calls and says exactly what is wrong.

Each subcommand is a function registered in :data:`COMMANDS` (``add_arguments`` and ``run``), so
more can be added without touching the others.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping, Sequence

import attrs

__all__ = ["COMMANDS", "Command", "build_parser", "main"]


@attrs.frozen
class Command:
    """A subcommand: its help line, how it adds its arguments, and what it runs (returns the exit code)."""

    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


def _demo_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--size", type=int, default=40, help="records per type to seed (default 40)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the generated data")


def _demo(args: argparse.Namespace) -> int:
    from msplink._demo import run_demo

    run_demo(size=args.size, seed=args.seed)
    return 0


def _check_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "platforms",
        nargs="*",
        metavar="platform",
        help="connectwise, quickbooks and/or salesforce (default: every one with MSPLINK_* variables set)",
    )


def _check(args: argparse.Namespace, environ: Mapping[str, str] | None = None) -> int:
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
    for platform in chosen:
        result = check_from_env(platform, env)
        print(result)
        failed += not result.ok
    return 1 if failed else 0


COMMANDS: dict[str, Command] = {
    "demo": Command(
        "sync ConnectWise, QuickBooks and Salesforce sandboxes, no accounts", _demo_arguments, _demo
    ),
    "check": Command(
        "try the credentials in the MSPLINK_* environment variables and say what is wrong",
        _check_arguments,
        _check,
    ),
}
"""The subcommands, by name."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand of :data:`COMMANDS`."""
    parser = argparse.ArgumentParser(prog="python -m msplink", description="msplink on the command line.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="command")
    for name, command in COMMANDS.items():
        command.add_arguments(sub.add_parser(name, help=command.help, description=command.help))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run the subcommand; returns the exit code."""
    args = build_parser().parse_args(argv)
    return COMMANDS[args.command].run(args)


if __name__ == "__main__":
    sys.exit(main())
