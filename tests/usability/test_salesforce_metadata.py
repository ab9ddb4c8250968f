"""``docs/salesforce-metadata/`` is a deployable description of the custom fields and objects the
recipes need, written from the Salesforce sandbox's schema (and the invoice object the mappers
write); the docs table lists the same fields. Regenerate with
``python -m tests.usability.test_salesforce_metadata``."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from msplink.mappers.salesforce import INVOICE_RECORD_FIELDS
from msplink.sandbox.salesforce._schema import FieldSpec, invoice_fields, standard_objects

ROOT = Path(__file__).parents[2]
FOLDER = ROOT / "docs" / "salesforce-metadata"
GUIDE = ROOT / "docs" / "salesforce-credentials.md"
API_VERSION = "62.0"
NS = "http://soap.sforce.com/2006/04/metadata"

# The invoice object of use case 14 (``invoice_record_from_canonical``): field -> (type, detail).
INVOICE_FIELDS: dict[str, tuple[str, str]] = {
    "Account__c": ("Lookup", "Account"),
    "Amount__c": ("Currency", "16,2"),
    "Balance__c": ("Currency", "16,2"),
    "Invoice_Date__c": ("Date", ""),
    "Due_Date__c": ("Date", ""),
    "Status__c": ("Text", "40"),
    "CW_Invoice_Id__c": ("Text", "50"),
}


def _label(name: str) -> str:
    return name.removesuffix("__c").replace("_", " ")


def _custom_fields() -> list[tuple[str, FieldSpec]]:
    return [
        (spec.name, field)
        for spec in standard_objects().values()
        for field in spec.fields.values()
        if field.custom
    ]


def _text_field(name: str, length: int, *, external: bool, unique: bool) -> str:
    flags = f"<externalId>{str(external).lower()}</externalId><unique>{str(unique).lower()}</unique>" + (
        "<caseSensitive>false</caseSensitive>" if unique else ""
    )
    return (
        f"    <fields>\n        <fullName>{name}</fullName>\n        <label>{_label(name)}</label>\n"
        f"        <type>Text</type>\n        <length>{length}</length>\n        {flags}\n    </fields>\n"
    )


def _invoice_field(name: str, kind: str, detail: str) -> str:
    if name == "CW_Invoice_Id__c":
        return _text_field(name, int(detail), external=True, unique=True)
    body = f"<type>{kind}</type>"
    if kind == "Lookup":
        body += f"<referenceTo>{detail}</referenceTo><relationshipName>Invoices</relationshipName><deleteConstraint>SetNull</deleteConstraint>"
    elif kind == "Currency":
        precision, scale = detail.split(",")
        body += f"<precision>{precision}</precision><scale>{scale}</scale>"
    elif kind == "Text":
        body += f"<length>{detail}</length>"
    return f"    <fields>\n        <fullName>{name}</fullName>\n        <label>{_label(name)}</label>\n        {body}\n    </fields>\n"


def render() -> dict[str, str]:
    """Every file of ``docs/salesforce-metadata`` by relative path."""
    header = f'<?xml version="1.0" encoding="UTF-8"?>\n<CustomObject xmlns="{NS}">\n'
    by_object: dict[str, list[str]] = {}
    for obj, field in _custom_fields():
        by_object.setdefault(obj, []).append(
            _text_field(field.name, field.length, external=field.external_id, unique=field.unique)
        )
    files = {
        f"objects/{obj}.object": header + "".join(parts) + "</CustomObject>\n"
        for obj, parts in by_object.items()
    }
    invoice = (
        header
        + "    <label>Invoice</label>\n    <pluralLabel>Invoices</pluralLabel>\n"
        + "    <nameField><label>Invoice Number</label><type>Text</type></nameField>\n"
        + "    <deploymentStatus>Deployed</deploymentStatus>\n    <sharingModel>ReadWrite</sharingModel>\n"
        + "".join(_invoice_field(n, k, d) for n, (k, d) in INVOICE_FIELDS.items())
        + "</CustomObject>\n"
    )
    files["objects/Invoice__c.object"] = invoice
    members = sorted(f"{obj}.{field.name}" for obj, field in _custom_fields())
    package = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="{NS}">\n'
        "    <types>\n"
        + "".join(f"        <members>{m}</members>\n" for m in members)
        + "        <name>CustomField</name>\n    </types>\n"
        "    <types>\n        <members>Invoice__c</members>\n        <name>CustomObject</name>\n    </types>\n"
        f"    <version>{API_VERSION}</version>\n</Package>\n"
    )
    files["package.xml"] = package
    return files


def table() -> str:
    """The Markdown table of the guide."""
    rows = ["| object | field | type | used for |", "|---|---|---|---|"]
    purpose = {
        "CW_Company_Id__c": "the ConnectWise company of an account (upsert key)",
        "QBO_Customer_Id__c": "the QuickBooks customer of an account",
        "CW_Contact_Id__c": "the ConnectWise contact of a contact",
        "CW_Opportunity_Id__c": "the ConnectWise opportunity (Closed Won -> CW)",
        "CW_Ticket_Id__c": "the ConnectWise ticket of a case",
        "CW_Agreement_Id__c": "the ConnectWise agreement of a contract (renewals)",
        "Lead.CW_Contact_Id__c": "the ConnectWise contact a lead became (written back)",
        "Lead.CW_Company_Id__c": "the ConnectWise company of that contact (written back)",
        "Opportunity.CW_Company_Id__c": "the ConnectWise company a won deal went to (written back)",
        "Opportunity.CW_Ticket_Id__c": "the onboarding ticket of a won deal (written back)",
        "Opportunity.CW_Project_Id__c": "the onboarding project of a won deal (written back)",
        "Opportunity.CW_Agreement_Id__c": "the ConnectWise agreement a renewal renews",
        "Opportunity.CW_Renewal_Term__c": "agreement id and end date of a renewal (upsert key)",
    }
    for obj, field in _custom_fields():
        flags = ", ".join(f for f, on in (("external id", field.external_id), ("unique", field.unique)) if on)
        used = purpose.get(f"{obj}.{field.name}", purpose.get(field.name, ""))
        rows.append(f"| {obj} | `{field.name}` | Text({field.length}), {flags} | {used} |")
    rows.append("| Invoice__c (custom object) | `Name` | Text | invoice number |")
    for name, (kind, detail) in INVOICE_FIELDS.items():
        shown = (
            f"{kind}({detail})"
            if detail and kind != "Lookup"
            else (f"Lookup({detail})" if kind == "Lookup" else kind)
        )
        if name == "CW_Invoice_Id__c":
            shown += ", external id, unique"
        rows.append(f"| Invoice__c | `{name}` | {shown} | CW invoices in Salesforce (use case 14) |")
    return "\n".join(rows)


def _guide_table(text: str) -> str:
    start, end = "<!-- fields:start -->\n", "\n<!-- fields:end -->"
    return text[text.index(start) + len(start) : text.index(end)]


def test_metadata_files_are_current() -> None:
    for path, content in render().items():
        assert (FOLDER / path).read_text(encoding="utf-8") == content, f"{path} is stale: regenerate it"
    assert sorted(p.relative_to(FOLDER).as_posix() for p in FOLDER.rglob("*") if p.is_file()) == sorted(
        render()
    )


def test_metadata_files_are_well_formed_and_complete() -> None:
    package = ET.fromstring((FOLDER / "package.xml").read_text(encoding="utf-8"))  # noqa: S314 - our file
    members = {m.text for m in package.iter(f"{{{NS}}}members")}
    assert members >= {
        "Account.CW_Company_Id__c",
        "Account.QBO_Customer_Id__c",
        "Contact.CW_Contact_Id__c",
        "Invoice__c",
    }
    for path in FOLDER.glob("objects/*.object"):
        ET.fromstring(path.read_text(encoding="utf-8"))  # noqa: S314 - our file
    # Every field the invoice mapper writes by default exists on the object (``CurrencyIsoCode`` is
    # standard in multi-currency orgs).
    names = {n for n in INVOICE_RECORD_FIELDS.values() if n not in {"Name", "CurrencyIsoCode"}}
    assert names == set(INVOICE_FIELDS) == {f.name for f in invoice_fields()}  # the world's org has it too


def test_the_guide_lists_the_same_fields() -> None:
    assert _guide_table(GUIDE.read_text(encoding="utf-8")) == table()


if __name__ == "__main__":
    for relative, content in render().items():
        target = FOLDER / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    guide = GUIDE.read_text(encoding="utf-8")
    GUIDE.write_text(guide.replace(_guide_table(guide), table()), encoding="utf-8")
