"""``python -m msplink.sandbox serve <platform> --host 127.0.0.1 --port N``: serve a sandbox over HTTP."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from msplink.sandbox._registry import PLATFORMS, load_sandbox


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments and serve (blocks until interrupted)."""
    parser = argparse.ArgumentParser(prog="python -m msplink.sandbox", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve one sandbox over HTTP through uvicorn")
    serve.add_argument("platform", choices=sorted(PLATFORMS))
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument("--size", type=int, default=50, help="records per type to seed (0 for none)")
    serve.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    try:
        import uvicorn
    except ImportError:
        sys.stderr.write("serving needs the sandbox extra: pip install 'msplink[sandbox]'\n")
        return 2
    sandbox = load_sandbox(args.platform)(raise_internal_errors=False)
    if args.size:
        sandbox.seed(size=args.size, seed=args.seed)
    sys.stderr.write("credentials: " + json.dumps(sandbox.credentials(), default=str) + "\n")
    uvicorn.run(sandbox, host=args.host, port=args.port, log_level="info", lifespan="on")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
