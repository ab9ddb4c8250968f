from datetime import datetime, timedelta, timezone

import attrs
import pytest

from msplink.models import CONNECTWISE, QUICKBOOKS, Address, Customer, ExternalRef, Link


def test_external_ref_converts_int_ids_and_ignores_version_in_equality():
    a = ExternalRef("connectwise", "company", 250, "2024-01-01T00:00:00Z")
    b = ExternalRef("connectwise", "company", "250")
    assert a == b
    assert a.id == "250"
    assert str(a) == "connectwise:company:250"


@pytest.mark.parametrize(("system", "obj", "id_"), [("", "company", "1"), ("cw", " ", "1"), ("cw", "x", "")])
def test_external_ref_rejects_empty_parts(system, obj, id_):
    with pytest.raises(ValueError, match="non-empty"):
        ExternalRef(system, obj, id_)


def test_record_refs_and_with_ref_replace_older_version():
    old = ExternalRef(QUICKBOOKS, "Customer", "58", "0")
    c = Customer(name="Acme", refs=[ExternalRef(CONNECTWISE, "company", 1), old])
    assert c.id_for(CONNECTWISE) == "1"
    assert c.id_for(QUICKBOOKS, "Customer") == "58"
    assert c.id_for("salesforce") is None
    newer = c.with_ref(ExternalRef(QUICKBOOKS, "Customer", "58", "1"))
    versions = {r.version for r in newer.refs if r.system == QUICKBOOKS}
    assert versions == {"1"}
    assert len(newer.refs) == 2
    link = newer.link()
    assert link.display == "Acme"
    assert link.id_for(QUICKBOOKS) == "58"


def test_updated_at_must_be_tz_aware():
    Customer(name="x", updated_at=datetime(2024, 1, 1, tzinfo=timezone(timedelta(hours=2))))
    with pytest.raises(ValueError, match="timezone-aware"):
        Customer(name="x", updated_at=datetime(2024, 1, 1))


def test_records_are_frozen_and_hashable_with_custom_fields():
    c = Customer(name="x", custom_fields={"sla": "Gold"})
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        c.name = "y"  # type: ignore[misc]
    with pytest.raises(TypeError):
        c.custom_fields["sla"] = "Silver"  # type: ignore[index]
    assert hash(c) == hash(Customer(name="x", custom_fields={"sla": "Other"}))
    assert c == Customer(name="x", custom_fields={"sla": "Gold"})
    assert c != Customer(name="x", custom_fields={"sla": "Other"})


def test_link_helpers():
    link = Link.to(CONNECTWISE, "company", 5, display="Acme")
    assert link.id_for(CONNECTWISE) == "5"
    both = link.with_ref(ExternalRef(QUICKBOOKS, "Customer", "9"))
    assert both.id_for(QUICKBOOKS, "Customer") == "9"
    assert both.id_for(QUICKBOOKS, "Vendor") is None
    with pytest.raises(TypeError):
        Link(refs=["nope"])  # type: ignore[list-item]


def test_address():
    a = Address(line1="1 Main", line3="Suite 2", city="Austin")
    assert a.street_lines == ("1 Main", "Suite 2")
    assert not a.is_empty()
    assert Address().is_empty()
