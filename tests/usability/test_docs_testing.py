"""docs/testing.md runs as written: its Python blocks are executed in order and its tests called."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

PAGE = Path(__file__).parents[2] / "docs" / "testing.md"


def test_every_example_of_the_testing_page_runs() -> None:
    blocks = re.findall(r"```python\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.DOTALL)
    assert len(blocks) == 4
    namespace: dict[str, Any] = {"__name__": "docs_testing"}
    for block in blocks:
        exec(compile(block, str(PAGE), "exec"), namespace)  # noqa: S102 - our own documentation
    tests = [name for name in namespace if name.startswith("test_")]
    assert tests == [
        "test_onboard_creates_each_company_once",
        "test_onboard_survives_throttling",
        "test_an_outage_is_a_typed_error",
    ]
    for name in tests:
        namespace[name]()
    config = namespace["vcr_config"].__wrapped__()
    assert ("authorization", "REDACTED") in config["filter_headers"]
