"""No cassette anywhere in the test-suite carries a credential (STYLE R34)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CASSETTES = sorted((Path(__file__).parent).rglob("cassettes/**/*.yaml"))

_LEAKS = [
    re.compile(r"Bearer (?!REDACTED)[A-Za-z0-9._~+/=-]{8,}"),
    re.compile(r"Basic (?!REDACTED)[A-Za-z0-9+/=]{8,}"),
    re.compile(r'"(access_token|refresh_token|client_secret|id_token)"\s*:\s*"(?!REDACTED)[^"]{4,}"'),
    re.compile(r"(refresh_token|client_secret|assertion)=(?!REDACTED)[^&\s]{4,}"),
    re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
]


def test_cassettes_exist_for_every_vendor() -> None:
    vendors = {p.relative_to(Path(__file__).parent).parts[0] for p in CASSETTES}
    missing = {"connectwise", "quickbooks", "salesforce"} - vendors
    if missing:
        pytest.skip(f"no cassettes yet for {sorted(missing)}")
    assert len(CASSETTES) >= 3


@pytest.mark.parametrize("cassette", CASSETTES, ids=lambda p: str(p.name))
def test_cassette_carries_no_secret(cassette: Path) -> None:
    text = cassette.read_text(encoding="utf-8")
    for pattern in _LEAKS:
        found = pattern.search(text)
        assert found is None, f"{cassette}: {found.group(0)[:40]}..."
