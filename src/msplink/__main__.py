"""``python -m msplink demo``: run msplink end to end against the in-process sandboxes."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run the demo."""
    parser = argparse.ArgumentParser(prog="python -m msplink", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="sync ConnectWise, QuickBooks and Salesforce sandboxes, no accounts")
    demo.add_argument("--size", type=int, default=40, help="records per type to seed (default 40)")
    demo.add_argument("--seed", type=int, default=7, help="seed of the generated data")
    args = parser.parse_args(argv)

    from msplink._demo import run_demo

    run_demo(size=args.size, seed=args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
