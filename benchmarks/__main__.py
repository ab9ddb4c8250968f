"""Run every ``benchmarks/bench_*.py`` module's ``run()`` and print a table; exit 1 if a target is missed."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

from benchmarks._harness import Result


def main(argv: list[str]) -> int:
    """Run the benchmarks whose module names contain any of ``argv`` (all when empty)."""
    here = Path(__file__).parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    if argv:
        names = [n for n in names if any(a in n for a in argv)]
    results: list[Result] = []
    for name in names:
        module = importlib.import_module(f"benchmarks.{name}")
        results.extend(module.run())
    width = max((len(r.name) for r in results), default=10)
    for r in results:
        mark = "ok  " if r.ok else "MISS"
        relation = ">=" if r.higher_is_better else "<="
        print(f"{mark} {r.name:<{width}}  {r.value:>12.2f} {r.unit:<8} (target {relation} {r.target:g})")
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
