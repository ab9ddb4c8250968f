"""Match keys and rules (SYNC.md §6)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from msplink.errors import ConfigurationError
from msplink.models import Customer
from msplink.sync import by_domain, by_email, by_external_id, by_link, by_name
from msplink.sync._identity import domain_key, email_key, name_key


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Acme, Inc.", "acme"),
        ("ACME LLC", "acme"),
        ("  acme  ", "acme"),
        ("Acme L.L.C.", "acme"),
        ("Acme Corp. Ltd", "acme"),
        ("Smith & Sons Ltd.", "smith and sons"),
        ("Smith and Sons", "smith and sons"),
        ("Müller GmbH", "müller"),
        ("O'Brien's Plumbing", "obriens plumbing"),
        ("Widgets + Gadgets, Co.", "widgets and gadgets"),
        ("Inc", "inc"),  # a lone suffix is the name
        ("The Company Company", "the"),
        ("...", None),
        ("", None),
        (None, None),
    ],
)
def test_name_key(name: str | None, key: str | None) -> None:
    assert name_key(name) == key


@pytest.mark.parametrize(
    ("value", "key"),
    [
        (" Ops@Acme.COM ", "ops@acme.com"),
        ("mailto:a@b.io", "a@b.io"),
        ("nobody", None),
        ("a@b", None),
        (None, None),
    ],
)
def test_email_key(value: str | None, key: str | None) -> None:
    assert email_key(value) == key


@pytest.mark.parametrize(
    ("value", "key"),
    [
        ("https://www.Example.com/about", "example.com"),
        ("example.com:8080/x?y", "example.com"),
        ("www.acme.co.uk", "acme.co.uk"),
        ("ann@example.com", "example.com"),
        ("joe@gmail.com", None),
        ("localhost", None),
        ("", None),
    ],
)
def test_domain_key(value: str, key: str | None) -> None:
    assert domain_key(value) == key


def test_rules_find_candidates_by_their_keys() -> None:
    source = Customer(name="Acme, Inc.", email="Ops@Acme.com", website="acme.com", account_number="T-9")
    pool = [
        ("1", Customer(name="ACME LLC", email="ap@acme.com")),
        ("2", Customer(name="Other", email="ops@acme.com", website="https://www.acme.com")),
        ("3", Customer(name="Globex", account_number="77")),
    ]
    assert by_name().candidates(source, "77", pool) == ("1",)
    assert by_email().candidates(source, "77", pool) == ("2",)
    assert by_domain().candidates(source, "77", pool) == ("1", "2")
    assert by_external_id("account_number").candidates(source, "77", pool) == ("3",)
    assert by_external_id("account_number", on="source").candidates(
        source, "77", [("T-9", Customer(name="x"))]
    ) == ("T-9",)
    assert by_email().candidates(Customer(name="no email"), "1", pool) == ()
    assert [r.name for r in (by_link(), by_email(), by_domain(), by_external_id("x", on="source"))] == [
        "by_link()",
        "by_email(email)",
        "by_domain(website, email)",
        "by_external_id(x, on='source')",
    ]
    assert by_external_id("custom_fields.cw_id").lookup_kind == "external_id:custom_fields.cw_id"
    assert by_name().raw_values(source) == ("Acme, Inc.",)
    with pytest.raises(ConfigurationError):
        by_external_id("x", on="both")


WORDS = st.text(alphabet=st.characters(codec="utf-8"), max_size=30)


@given(WORDS)
def test_name_key_is_idempotent(name: str) -> None:
    key = name_key(name)
    if key is not None:
        assert name_key(key) == key


@given(
    st.text(alphabet="abcdefghij ,.&-'", max_size=30),
    st.sampled_from(["", " Inc.", ", LLC", " Ltd", " GmbH"]),
)
def test_name_key_ignores_case_punctuation_and_legal_suffixes(name: str, suffix: str) -> None:
    base = name_key(name)
    if base is not None and base.split(" ")[-1] not in ("inc", "llc", "ltd", "gmbh"):
        assert name_key(name.upper() + suffix) == base
        assert name_key(f"  {name}.{suffix} ") == base
