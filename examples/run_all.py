"""Run every example script against the in-process sandboxes (credentials removed from the environment)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def main() -> int:
    """Run each ``examples/*.py`` (except this one); return non-zero if any fails."""
    here = Path(__file__).parent
    env = {k: v for k, v in os.environ.items() if not k.startswith("MSPLINK_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(here.parent / "src"), env.get("PYTHONPATH", "")]))
    failures = []
    scripts = sorted(
        p for p in here.glob("*.py") if p.name != Path(__file__).name and not p.name.startswith("_")
    )
    for script in scripts:
        result = subprocess.run(  # noqa: S603 - our own example scripts
            [sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=120, check=False
        )
        status = "ok" if result.returncode == 0 else f"FAILED ({result.returncode})"
        print(f"{status:<12} {script.name}")
        if result.returncode != 0:
            failures.append(script.name)
            print(result.stdout[-2000:], result.stderr[-2000:], sep="\n")
    print(f"{len(scripts) - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
