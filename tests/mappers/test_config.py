from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from msplink.errors import ConfigurationError, MappingError
from msplink.mappers import CustomFieldMapping, MappingConfig, ProductClassMapping, ValueMap, normalise_name

TOML = """
default_currency = "cad"
tax_mode = "global"
default_item = "1"
penny_adjustment_item = "99"
penny_tolerance = "0.02"

[catalog_items]
"MS-DEV" = "21"

[product_classes.Service]
item = "2"
income_account = "79"
expense_account = "80"

[tax_codes]
"ON" = "13"
"EXEMPT" = "4"

[terms]
"Net 30 days" = "3"

[case_statuses]
map = { "New" = "New", "Working" = "In Progress", "Escalated" = "In Progress" }
reverse = { "In Progress" = "Working" }

[case_priorities]
map = { "High" = "Priority 1 - Critical" }
default = "Priority 3 - Normal"

[owners]
"005A" = "jdoe"

[[custom_fields]]
record = "Customer"
name = "sla"
connectwise = "SLA"
salesforce = "SLA__c"
"""


@pytest.fixture
def config(tmp_path: Path) -> MappingConfig:
    path = tmp_path / "mapping.toml"
    path.write_text(TOML, encoding="utf-8")
    return MappingConfig.from_toml(path)


def test_toml_loads_every_table(config: MappingConfig):
    assert config.default_currency == "CAD"
    assert config.tax_mode == "global"
    assert config.penny_tolerance == Decimal("0.02")
    assert config.catalog_items.get("MS-DEV", path="p") == "21"
    assert config.product_classes["Service"] == ProductClassMapping(
        item="2", income_account="79", expense_account="80"
    )
    assert config.tax_codes.get("ON", path="p") == "13"
    assert config.terms.inverse("3", path="p") == "Net 30 days"
    assert config.owners.inverse("jdoe", path="p") == "005A"
    assert config.custom_fields == (
        CustomFieldMapping(record="Customer", name="sla", connectwise="SLA", salesforce="SLA__c"),
    )
    assert config.custom_fields_for("Customer", "salesforce") == (("sla", "SLA__c"),)
    assert config.custom_fields_for("Customer", "quickbooks") == ()


def test_dict_round_trip(config: MappingConfig):
    assert MappingConfig.from_dict(config.to_dict()) == config


def test_picklist_many_to_one_needs_a_reverse_entry(config: MappingConfig):
    statuses = config.case_statuses
    assert statuses.get("Escalated", path="Ticket.status") == "In Progress"
    assert statuses.inverse("In Progress", path="Case.Status") == "Working"
    ambiguous = ValueMap(forward={"Working": "In Progress", "Escalated": "In Progress"})
    with pytest.raises(MappingError, match="ambiguous") as info:
        ambiguous.inverse("In Progress", path="Case.Status", table="case_statuses")
    assert info.value.path == "Case.Status"
    assert info.value.value == "In Progress"


def test_defaults_and_normalised_lookup(config: MappingConfig):
    assert config.case_priorities.get("Low", path="p") == "Priority 3 - Normal"
    assert config.terms.get("  net 30   DAYS ", path="p") == "3"
    assert "net 30 days" in config.terms
    assert "Net 60" not in config.terms


def test_missing_mapping_names_path_and_value(config: MappingConfig):
    with pytest.raises(MappingError) as info:
        config.terms.get("Net 60", path="Customer.terms", table="terms")
    err = info.value
    assert (err.path, err.value) == ("Customer.terms", "Net 60")
    assert str(err) == "Customer.terms: no mapping in terms for this value (value='Net 60')"


def test_qbo_item_resolution_order(config: MappingConfig):
    assert config.qbo_item_for(sku="MS-DEV", product_class="Service", path="p") == "21"
    assert config.qbo_item_for(sku="OTHER", product_class="service", path="p") == "2"
    assert config.qbo_item_for(sku=None, product_class=None, path="p") == "1"
    bare = MappingConfig()
    with pytest.raises(MappingError) as info:
        bare.qbo_item_for(sku="X-1", product_class=None, path="Invoice.lines[0].sku")
    assert info.value.path == "Invoice.lines[0].sku"
    assert info.value.value == "X-1"


def test_with_entries_keeps_existing(config: MappingConfig):
    updated = config.with_entries("terms", {"Net 30 days": "999", "Net 15": "2"})
    assert updated.terms.get("Net 30 days", path="p") == "3"
    assert updated.terms.get("Net 15", path="p") == "2"
    assert config.terms.find("Net 15") is None


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        ({"bogus": 1}, "unknown keys"),
        ({"terms": ["a"]}, "terms must be a table"),
        ({"terms": {"a": 1.5}}, "terms.a must be a string"),
        ({"default_currency": "dollars"}, "ISO 4217"),
        ({"tax_mode": "eu"}, "tax_mode"),
        ({"product_classes": {"Service": {"itme": "1"}}}, "unknown keys"),
        ({"custom_fields": [{"record": "Customer"}]}, "needs record and name"),
        ({"case_statuses": {"map": {"a": "b"}, "wat": 1}}, "unknown keys"),
        ({"penny_tolerance": "abc"}, "number"),
    ],
)
def test_invalid_config_is_a_configuration_error(data, needle):
    with pytest.raises(ConfigurationError, match=needle):
        MappingConfig.from_dict(data)


def test_bad_toml_and_missing_file(tmp_path: Path):
    bad = tmp_path / "bad.toml"
    bad.write_text("terms = [", encoding="utf-8")
    with pytest.raises(ConfigurationError, match="invalid TOML"):
        MappingConfig.from_toml(bad)
    with pytest.raises(ConfigurationError, match="cannot read"):
        MappingConfig.from_toml(tmp_path / "nope.toml")
    with pytest.raises(ConfigurationError, match="no table"):
        MappingConfig().table("nope")


def test_normalise_name():
    assert normalise_name("  Net\t30  Days ") == "net 30 days"
    assert normalise_name("\uff21\uff22\uff23") == "abc"  # full-width, NFKC
    assert normalise_name("Straße") == normalise_name("STRASSE")


names = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=0x2FF), min_size=1, max_size=12)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(names, names, max_size=8), names)
def test_value_map_lookups_never_raise_anything_but_mapping_error(table, probe):
    vm = ValueMap(forward=table)
    for fn in (vm.get, vm.inverse):
        try:
            fn(probe, path="X.y")
        except MappingError as err:
            assert err.path == "X.y"
            assert err.value == probe
    for key, value in table.items():
        assert vm.get(key, path="p") in set(table.values())
        assert vm.find(key) is not None
        assert value in set(table.values())


def test_the_documented_toml_example_loads(tmp_path: Path):
    docs = Path(__file__).resolve().parents[2] / "docs" / "mapping.md"
    text = docs.read_text(encoding="utf-8")
    block = text.split("```toml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "mapping.toml").write_text(block, encoding="utf-8")
    config = MappingConfig.from_toml(tmp_path / "mapping.toml")
    assert config.case_statuses.inverse("In Progress", path="p") == "Working"
    assert config.case_priorities.get("Low", path="p") == "Priority 3 - Normal"
    assert config.cw_id("billing_terms", "Net 30 days") == 3
    assert config.qbo_id("payment_methods", "Check") == "2"
    assert config.qbo_item_for(sku=None, product_class="Service", path="p") == "2"
    assert config.custom_fields_for("Customer", "connectwise") == (("sla", "SLA"),)


def test_configs_are_hashable_values(config: MappingConfig):
    assert hash(config) == hash(MappingConfig.from_dict(config.to_dict()))
    assert hash(ValueMap(forward={"a": "b"})) == hash(ValueMap(forward={"a": "c"}))  # tables are not hashed
