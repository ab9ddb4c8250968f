"""The README's Python example runs as written (against the sandbox it names)."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_python_blocks_run(capsys) -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert blocks
    for block in blocks:
        exec(compile(block, str(README), "exec"), {})  # noqa: S102 - our own README
    assert capsys.readouterr().out.strip()


def test_readme_quickstart_commands_match_ci() -> None:
    text = README.read_text(encoding="utf-8")
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    commands = re.findall(r"```bash\n(python -m pip install[^\n]*)\n```", text)
    assert commands[:2] == [
        "python -m pip install -e . && python -m msplink demo",
        'python -m pip install -e ".[test]" && python -m pytest -n 2 -q',
    ]
    assert commands[1] in ci.splitlines()
