"""docs/sync.md stays honest: its code blocks are valid Python using names that exist."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import msplink.sync

DOC = Path(__file__).resolve().parents[2] / "docs" / "sync.md"


def test_code_blocks_parse_and_import_real_names() -> None:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    assert len(blocks) == 2
    for block in blocks:
        tree = ast.parse(block)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "msplink.sync":
                assert all(hasattr(msplink.sync, alias.name) for alias in node.names)


def test_every_skip_reason_and_status_is_documented() -> None:
    from msplink.sync._model import REASONS, STATUSES

    text = DOC.read_text(encoding="utf-8")
    for word in (*REASONS[:2], "guard", "authored_by_integration_user", *STATUSES):
        assert word in text, word
