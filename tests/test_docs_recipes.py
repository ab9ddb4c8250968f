"""The recipes index lists every recipe of RECIPES with its summary, and links a page that exists
and is in the docs navigation."""

from __future__ import annotations

import re
from pathlib import Path

from msplink.sync.recipes import RECIPES

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_every_recipe_is_in_the_index_with_a_page_in_the_nav() -> None:
    index = (DOCS / "recipes" / "index.md").read_text(encoding="utf-8")
    nav = (DOCS.parent / "mkdocs.yml").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| \[`(\w+)`\]\((\w+)\.md\) \|", index, flags=re.M))
    assert sorted(rows) == sorted(RECIPES)
    for name, recipe in RECIPES.items():
        assert rows[name] == name
        assert (DOCS / "recipes" / f"{name}.md").exists(), name
        assert nav.count(f"recipes/{name}.md") == 1, name
        row = next(line for line in index.splitlines() if line.startswith(f"| [`{name}`]"))
        assert recipe.summary in row and ", ".join(recipe.systems) in row


def test_docs_pages_are_in_the_nav() -> None:
    nav = (DOCS.parent / "mkdocs.yml").read_text(encoding="utf-8")
    for page in (
        "quickstart.md",
        "cli.md",
        "reports.md",
        "review.md",
        "mapping-config.md",
        "testing-flows.md",
        "recipes/index.md",
    ):
        assert page in nav, page
