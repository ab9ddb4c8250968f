"""The QBO sandbox's type catalogue is Intuit's XSD (``shared/apis/quickbooks/schema/xsd``), read again here.

``msplink/sandbox/quickbooks/_xsd_types.json`` is generated from Intuit's published XML Schema (the JSON wire format
is the JSON rendering of these types: element names are JSON keys, attributes such as ``ReferenceType@name``
become keys too; REFERENCE.md's SOURCE notes). This test regenerates it and fails on drift; run this
module as a script to rewrite it: ``python tests/sandbox/test_quickbooks_schema.py``.
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from msplink.sandbox.quickbooks import _schema

XSD_DIR = next(
    (
        parent / "shared" / "apis" / "quickbooks" / "schema" / "xsd"
        for parent in Path(__file__).resolve().parents
        if (parent / "shared" / "apis" / "quickbooks" / "schema" / "xsd").is_dir()
    ),
    Path("shared/apis/quickbooks/schema/xsd"),
)
TARGET = Path(_schema.__file__).with_name("_xsd_types.json")
XS = "{http://www.w3.org/2001/XMLSchema}"
FILES = (
    "IntuitBaseTypes.xsd",
    "IntuitNamesTypes.xsd",
    "Finance.xsd",
    "IntuitRestServiceDef.xsd",
    "SalesTax.xsd",
)
SIMPLE = {
    "string": "string",
    "normalizedString": "string",
    "token": "string",
    "anyURI": "string",
    "base64Binary": "string",
    "decimal": "decimal",
    "double": "decimal",
    "float": "decimal",
    "int": "int",
    "integer": "int",
    "long": "int",
    "short": "int",
    "positiveInteger": "int",
    "nonNegativeInteger": "int",
    "boolean": "boolean",
    "date": "date",
    "dateTime": "dateTime",
    "time": "string",
    "duration": "string",
    "anyType": "any",
}


def _local(name: str | None) -> str:
    return (name or "").split(":")[-1]


def build() -> dict[str, dict[str, tuple[str, bool]]]:
    """Every complex type as ``{field: (kind or type name, is_list)}``, inheritance flattened."""
    complex_nodes: dict[str, ET.Element] = {}
    simple_kinds: dict[str, str] = {}
    for name in FILES:
        root = ET.parse(XSD_DIR / name).getroot()  # noqa: S314 - vendor schema
        for node in root:
            if node.tag == XS + "complexType":
                complex_nodes[node.attrib["name"]] = node
            elif node.tag == XS + "simpleType":
                restriction = node.find(XS + "restriction")
                base = _local(restriction.attrib.get("base")) if restriction is not None else "string"
                simple_kinds[node.attrib["name"]] = base

    def kind(type_name: str) -> str:
        local = _local(type_name)
        seen = 0
        while local in simple_kinds and seen < 10:
            local, seen = simple_kinds[local], seen + 1
        if local in SIMPLE:
            return SIMPLE[local]
        if local in complex_nodes:
            return local
        return "string"

    cache: dict[str, dict[str, tuple[str, bool]]] = {}

    def fields(type_name: str) -> dict[str, tuple[str, bool]]:
        if type_name in cache:
            return cache[type_name]
        node = complex_nodes[type_name]
        out: dict[str, tuple[str, bool]] = {}
        cache[type_name] = out

        def walk(elem: ET.Element) -> None:
            for child in elem:
                tag = child.tag
                if tag == XS + "element":
                    name = child.attrib.get("name") or _local(child.attrib.get("ref"))
                    typ = child.attrib.get("type") or child.attrib.get("ref") or "string"
                    if child.find(XS + "complexType") is not None:
                        typ = "anyType"
                    out[name] = (kind(typ), child.attrib.get("maxOccurs", "1") != "1")
                elif tag == XS + "attribute":
                    out[child.attrib["name"]] = (kind(child.attrib.get("type", "string")), False)
                elif tag in {XS + "sequence", XS + "choice", XS + "all"}:
                    walk(child)
                elif tag in {XS + "complexContent", XS + "simpleContent"}:
                    for ext in child:
                        if ext.tag in {XS + "extension", XS + "restriction"}:
                            base = _local(ext.attrib.get("base"))
                            if base in complex_nodes:
                                out.update(fields(base))
                            elif tag == XS + "simpleContent":
                                out["value"] = (kind(base), False)
                            walk(ext)

        walk(node)
        return out

    return {name: dict(fields(name)) for name in sorted(complex_nodes)}


def render(types: dict[str, dict[str, tuple[str, bool]]]) -> str:
    """The generated file's text: one type per line, keys sorted."""
    lines = [
        f"{json.dumps(name)}: {json.dumps(fields, sort_keys=True)}" for name, fields in sorted(types.items())
    ]
    return "{\n" + ",\n".join(lines) + "\n}\n"


@pytest.mark.skipif(not XSD_DIR.is_dir(), reason="the shared vendor schema folder is not checked out")
def test_generated_catalogue_matches_intuits_xsd() -> None:
    assert TARGET.read_text(encoding="utf-8") == render(build())
    assert _schema.TYPES["Invoice"]["Line"] == ("Line", True)  # the loader turns pairs back into tuples


if __name__ == "__main__":
    TARGET.write_text(render(build()), encoding="utf-8")
    sys.stdout.write(f"wrote {TARGET}\n")
