"""docs/sync.md stays honest: its code blocks are valid Python using names that exist."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import msplink.sync
import msplink.sync.adapters

DOC = Path(__file__).resolve().parents[2] / "docs" / "sync.md"


def test_code_blocks_parse_and_import_real_names() -> None:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    assert len(blocks) == 3
    modules = {"msplink.sync": msplink.sync, "msplink.sync.adapters": msplink.sync.adapters}
    for block in blocks:
        tree = ast.parse(block)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module in modules:
                assert all(hasattr(modules[node.module], alias.name) for alias in node.names)


def test_every_skip_reason_and_status_is_documented() -> None:
    from msplink.sync._model import REASONS, STATUSES

    text = DOC.read_text(encoding="utf-8")
    for word in (*REASONS[:2], "guard", "authored_by_integration_user", *STATUSES):
        assert word in text, word


RECIPE = DOC.parent / "recipes" / "companies_and_customers.md"


def test_the_recipe_page_documents_its_fields_owners_and_options() -> None:
    import inspect

    from msplink.sync.recipes import _companies, companies_and_customers

    text = RECIPE.read_text(encoding="utf-8")
    for block in re.findall(r"```python\n(.*?)```", text, flags=re.S):
        ast.parse(block.replace("await ", ""))
    for field in _companies.COMPANY_FIELDS:
        assert field.rsplit(".", 1)[-1] in text, field
    for name, owner in _companies.DEFAULT_OWNERS.items():
        assert name in text and f"Owner.{owner.name}" in text
    options = set(inspect.signature(type(companies_and_customers).__call__).parameters) - {
        "self", "cw", "qbo", "state", "config",
    }  # fmt: skip
    for option in options:
        assert f"`{option}`" in text, option


def test_the_sync_pages_are_in_the_docs_navigation() -> None:
    nav = (DOC.parents[1] / "mkdocs.yml").read_text(encoding="utf-8")
    assert "sync.md" in nav and "recipes/companies_and_customers.md" in nav
