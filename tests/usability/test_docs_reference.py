"""The API reference renders Sphinx roles as cross-references (docs/_build/griffe_rst_roles.py),
and mkdocs.yml names every docs page (strict builds fail otherwise; ``nox -s docs`` builds)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import griffe
import pytest

ROOT = Path(__file__).parents[2]


@pytest.fixture(scope="module")
def roles() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "griffe_rst_roles", ROOT / "docs" / "_build" / "griffe_rst_roles.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def core() -> griffe.Module:
    return griffe.load("msplink._core._pagination", search_paths=[str(ROOT / "src")])  # type: ignore[return-value]


def test_roles_become_optional_autorefs(roles: ModuleType, core: griffe.Module) -> None:
    paginator = core["Paginator"]
    text = "See :class:`~msplink.RetryPolicy`, :meth:`Paginator.to_list` and :func:`msplink.to_pandas`::"
    assert roles.convert(text, paginator) == (
        'See <autoref identifier="msplink.RetryPolicy" optional><code>RetryPolicy</code></autoref>, '
        '<autoref identifier="msplink._core._pagination.Paginator.to_list" optional><code>Paginator.to_list</code></autoref> '
        'and <autoref identifier="msplink.to_pandas" optional><code>msplink.to_pandas</code></autoref>:'
    )
    assert roles.convert("Example:\n\n::\n\n    code\n", paginator) == "Example:\n\n\n    code\n"


def test_every_page_is_in_the_nav() -> None:
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    pages = {p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*.md")}
    listed = set(re.findall(r"([\w/-]+\.md)", nav))
    assert pages - {p for p in pages if p.startswith("recipes/")} <= listed
