from msplink.errors import MappingError
from msplink.mappers import MappingConfig, UnmappedReport, propose_mappings, unmapped_report


def test_propose_by_exact_normalised_name():
    sources = {"MS-DEV": "Managed Services - Per Device", "BKP": "Backup", "AV": "Antivirus", "X": "Nothing"}
    targets = {"21": "managed services -  per device", "30": "BACKUP", "31": "backup", "40": "Anti virus"}
    proposal = propose_mappings(sources, targets)
    assert dict(proposal.matched) == {"MS-DEV": "21"}
    assert dict(proposal.ambiguous) == {"BKP": ("30", "31")}
    assert proposal.unmatched == ("AV", "X")  # "Anti virus" is not an exact normalised match


def test_propose_falls_back_to_the_source_key_and_accepts_plain_names():
    assert dict(propose_mappings({"Net 30": "Net 30 days (legacy)"}, {"3": "net 30"}).matched) == {
        "Net 30": "3"
    }
    proposal = propose_mappings(
        ["Net 30 days", "Due on receipt"], {"3": "Net 30 Days", "1": "Due on Receipt"}
    )
    assert dict(proposal.matched) == {"Net 30 days": "3", "Due on receipt": "1"}
    config = MappingConfig().with_entries("terms", proposal.matched)
    assert config.terms.get("Due on receipt", path="p") == "1"


def test_unmapped_report():
    config = MappingConfig.from_dict(
        {
            "catalog_items": {"MS-DEV": "21"},
            "product_classes": {"Service": {"item": "2"}},
            "case_statuses": {"New": "New", "Working": "In Progress"},
        }
    )
    report = unmapped_report(
        config,
        catalog_items=["MS-DEV", "BKP", "BKP", None, ""],
        product_classes=["Service", "Bundle"],
        tax_codes=["AUS"],
        case_statuses=["New", "Closed"],
        case_statuses_reverse=["In Progress", "Waiting"],
    )
    assert report.to_dict() == {
        "catalog_items": ["BKP"],
        "product_classes": ["Bundle"],
        "tax_codes": ["AUS"],
        "case_statuses": ["Closed"],
        "case_statuses_reverse": ["Waiting"],
    }
    assert not report.is_empty()
    assert "catalog_items (1 unmapped):\n  - BKP" in report.render()
    assert unmapped_report(config, catalog_items=["MS-DEV"]).render() == "Everything is mapped."


def test_report_from_collected_errors():
    errors = [
        MappingError("Invoice.lines[0].sku", "no item", value="BKP"),
        MappingError("Invoice.lines[3].sku", "no item", value="AV"),
        MappingError("Invoice.lines[4].sku", "no item", value="BKP"),
        MappingError("Customer.terms", "no terms", value="Net 60"),
    ]
    report = UnmappedReport.from_errors(errors)
    assert report.to_dict() == {"Invoice.lines.sku": ["AV", "BKP"], "Customer.terms": ["Net 60"]}
